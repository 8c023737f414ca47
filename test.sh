#!/usr/bin/env bash
# Runs every test of Musubi: unit and route tests, the history store on embedded H2 and on a throwaway
# PostgreSQL (started here when PostgreSQL is installed or installable), then the Pax Exam tests on the
# assembled Karaf distribution. Extra arguments go to Maven, e.g. ./test.sh -pl bundles/musubi-acd -am
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java17.sh

if PG_ENV="$(scripts/postgres-test.sh --reset)"; then
  eval "$PG_ENV"
  trap 'scripts/postgres-test.sh --stop >/dev/null 2>&1 || true' EXIT
else
  echo "test.sh: PostgreSQL is not available, its tests will be skipped (the embedded database tests still run)" >&2
fi

# The browser tests (itests BrowserIT) drive Debian's Chromium with playwright-core from npm: install the npm
# packages once (this needs the network). Without Chromium, Node.js or the packages BrowserIT is skipped, except on
# CI (CI=true), where it fails.
BROWSER_DIR=itests/src/test/browser
if [ ! -d "$BROWSER_DIR/node_modules/playwright-core" ] && command -v npm >/dev/null 2>&1; then
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund) \
    || echo "test.sh: npm ci in $BROWSER_DIR failed, the browser tests cannot run" >&2
fi

mvn -B verify ${CI:+-Dmusubi.browser.required=true} "$@"
