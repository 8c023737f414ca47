#!/usr/bin/env bash
# Footprint of the assembled distribution: archive and unpacked size, cold start (fresh unpack) to
# GET /api/v1/health = 200, warm restart (same directory, second start) to 200, and RSS of the idle hub.
# A benchmark, not a test: it prints figures and never fails on them.
#
#   benchmarks/distribution/footprint.sh [runs]      (default 3 runs; build the distribution first)
#
# MUSUBI_BENCH_TARBALL=<file> measures another build (e.g. an older one, for a comparison under the same load).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/java17.sh

RUNS="${1:-3}"
VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
TARBALL="${MUSUBI_BENCH_TARBALL:-distribution/target/musubi-distribution-$VERSION.tar.gz}"
PORT="${MUSUBI_BENCH_PORT:-18281}"
WORK="$(mktemp -d /tmp/musubi-footprint.XXXXXX)"
[ -f "$TARBALL" ] || { echo "build the distribution first: mvn -B -DskipTests install" >&2; exit 1; }

now() { date +%s.%N; }
wait_health() {
  local deadline=$(( $(date +%s) + 180 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/health")" = "200" ]; do
    [ "$(date +%s)" -gt "$deadline" ] && { echo "no health 200 within 180 s" >&2; return 1; }
    sleep 0.1
  done
}
karaf_pid() { pgrep -f "karaf.base=$1" | head -n 1; }
stop_hub() {
  local home="$1" pid
  pid="$(karaf_pid "$home" || true)"
  "$home/bin/stop" >/dev/null 2>&1 || true
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
echo "archive: $(du -h "$TARBALL" | cut -f1) ($TARBALL)"
for run in $(seq 1 "$RUNS"); do
  home="$WORK/run$run"
  mkdir -p "$home"
  tar xzf "$TARBALL" -C "$home" --strip-components=1
  [ "$run" = 1 ] && echo "unpacked: $(du -sh "$home" | cut -f1)"
  t0=$(now); MUSUBI_HTTP_PORT=$PORT "$home/bin/start" >/dev/null; wait_health; t1=$(now)
  cold=$(echo "$t1 - $t0" | bc)
  warnings=$(grep -c '| WARN ' "$home/data/log/karaf.log" || true)
  stop_hub "$home"
  t0=$(now); MUSUBI_HTTP_PORT=$PORT "$home/bin/start" >/dev/null; wait_health; t1=$(now)
  warm=$(echo "$t1 - $t0" | bc)
  # Idle: 30 s after ready, sum the RSS of the Karaf JVM.
  deadline=$(( $(date +%s) + 30 )); while [ "$(date +%s)" -lt "$deadline" ]; do sleep 1; done
  rss_kb=$(ps -o rss= -p "$(karaf_pid "$home")" | tr -d ' ')
  printf 'run %s: cold start to health 200 %.1f s (%s WARN lines in the log at that point), warm restart %.1f s, idle RSS %d MB\n' \
    "$run" "$cold" "$warnings" "$warm" $((rss_kb / 1024))
  stop_hub "$home"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK"
