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

mvn -B verify "$@"
