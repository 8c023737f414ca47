#!/usr/bin/env bash
# Starts (or reuses) a throwaway PostgreSQL for the history store's tests and benchmarks, and prints the
# environment the tests read:
#
#   eval "$(scripts/postgres-test.sh)"      # installs if missing, starts, creates user + database
#   mvn -pl bundles/musubi-store-jdbc,bundles/musubi-identity verify   # PostgreSQL tests now run
#
#   scripts/postgres-test.sh --db musubi_bench   # another database on the same instance
#   scripts/postgres-test.sh --reset             # drop and recreate the database first
#   scripts/postgres-test.sh --stop              # stop the instance (data kept)
#   scripts/postgres-test.sh --destroy           # stop it and delete its directory
#
# The instance listens on 127.0.0.1 only (port MUSUBI_PG_PORT, default 55432), keeps its files in MUSUBI_PG_DIR
# (default /tmp/musubi-pg) and runs with PostgreSQL's durable defaults (fsync on, synchronous_commit on).
# Idempotent: run it as often as you like. Works as root (CI: installs the Debian package, runs the server as
# the postgres user) or as an ordinary user with PostgreSQL already installed. The credentials are for this
# loopback test instance only. Only the export lines go to stdout; progress goes to stderr.
set -euo pipefail

PORT="${MUSUBI_PG_PORT:-55432}"
DIR="${MUSUBI_PG_DIR:-/tmp/musubi-pg}"
DB="musubi_test"
USER_NAME="musubi"
PASSWORD="musubi-test-only"
ACTION="start"
RESET=0

while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB="$2"; shift 2 ;;
    --reset) RESET=1; shift ;;
    --stop) ACTION="stop"; shift ;;
    --destroy) ACTION="destroy"; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
case "$DB" in
  *[!a-z0-9_]*|"") echo "database name must be [a-z0-9_]+" >&2; exit 2 ;;
esac

log() { echo "postgres-test: $*" >&2; }

find_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pg_ctl" ]; then pg_config --bindir; return 0; fi
  return 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and this is not root: install the 'postgresql' package first"; exit 1
  fi
  log "installing PostgreSQL (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  BINDIR="$(find_bindir)"
fi

# The server refuses to run as root: as root, run it as the postgres user the package created.
if [ "$(id -u)" -eq 0 ]; then
  RUN_AS=(runuser -u postgres --)
  OWNER="postgres"
else
  RUN_AS=()
  OWNER="$(id -un)"
fi
pg() { "${RUN_AS[@]}" "$BINDIR/$1" "${@:2}"; }

DATA="$DIR/data"
SOCK="$DIR"

running() { pg pg_ctl -D "$DATA" status >/dev/null 2>&1; }

if [ "$ACTION" = "stop" ] || [ "$ACTION" = "destroy" ]; then
  if [ -d "$DATA" ] && running; then
    log "stopping the instance in $DATA"
    pg pg_ctl -D "$DATA" -m fast -w stop >&2
  fi
  if [ "$ACTION" = "destroy" ]; then
    log "deleting $DIR"
    rm -rf "$DIR"
  fi
  exit 0
fi

mkdir -p "$DIR"
chown "$OWNER" "$DIR"
chmod 700 "$DIR"

if [ ! -s "$DATA/PG_VERSION" ]; then
  log "initialising a cluster in $DATA"
  pg initdb -D "$DATA" -U postgres -E UTF8 --locale=C --auth-local=trust --auth-host=scram-sha-256 >&2
fi

if ! running; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT is taken by another program: set MUSUBI_PG_PORT"; exit 1
  fi
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  pg pg_ctl -D "$DATA" -l "$DIR/server.log" -w -t 60 \
     -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$SOCK -c max_connections=100" start >&2
fi

psql_admin() { pg psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" -U postgres -d postgres "$@"; }

if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$USER_NAME'")" != "1" ]; then
  log "creating role $USER_NAME"
  psql_admin -c "CREATE ROLE $USER_NAME LOGIN PASSWORD '$PASSWORD'" >&2
fi
if [ "$RESET" = "1" ]; then
  log "dropping database $DB"
  psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >&2
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
  log "creating database $DB"
  psql_admin -c "CREATE DATABASE $DB OWNER $USER_NAME ENCODING 'UTF8'" >&2
fi

log "ready: $("$BINDIR/postgres" --version)"
echo "export MUSUBI_TEST_PG_URL='jdbc:postgresql://127.0.0.1:$PORT/$DB'"
echo "export MUSUBI_TEST_PG_USER='$USER_NAME'"
echo "export MUSUBI_TEST_PG_PASSWORD='$PASSWORD'"
