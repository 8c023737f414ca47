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

# The browser tests (itests BrowserIT) drive Debian's Chromium and Firefox ESR with playwright-core from npm: install
# the npm packages once, and again when package.json pins another version (this needs the network). Without Node.js or
# the packages BrowserIT is skipped, without one of the browsers that browser's pass, except on CI (CI=true), where
# they fail.
BROWSER_DIR=itests/src/test/browser
if command -v npm >/dev/null 2>&1 && ! (cd "$BROWSER_DIR" && node -e '
  const want = require("./package.json").devDependencies["playwright-core"];
  process.exit(require("./node_modules/playwright-core/package.json").version === want ? 0 : 1)' 2>/dev/null); then
  (cd "$BROWSER_DIR" && npm ci --no-audit --no-fund) \
    || echo "test.sh: npm ci in $BROWSER_DIR failed, the browser tests cannot run" >&2
fi

mvn -B verify ${CI:+-Dmusubi.browser.required=true} "$@"
