#!/usr/bin/env bash
# Time from process start to the ACD serving again with a contact centre's state in the store (issue #11): unpacks the
# distribution, starts it once (first start: keys, schema) and stops it, seeds its embedded H2 store with
# SeedAcdState (50 000 waiting interactions, 2 000 agents' assigned work, presence, last-agent records), then starts
# it again and polls GET /api/v1/health every 100 ms until component "recovery" is UP and the ingress route runs
# (the hub consumes again). The baseline is the same start of the same unpack with an empty store, right before.
# A benchmark, not a test: it prints figures and never fails on them.
#
#   benchmarks/acd-restore/restore-time.sh [waiting] [agents]
#   (build first: mvn -B -DskipTests install; MUSUBI_BENCH_PORT, default 18291)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/java17.sh

WAITING="${1:-50000}"
AGENTS="${2:-2000}"
VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
TARBALL="${MUSUBI_BENCH_TARBALL:-distribution/target/musubi-distribution-$VERSION.tar.gz}"
JAR=benchmarks/acd-restore/target/acd-restore.jar
PORT="${MUSUBI_BENCH_PORT:-18291}"
WORK="$(mktemp -d /tmp/musubi-restore.XXXXXX)"
home="$WORK/hub"
[ -f "$TARBALL" ] && [ -f "$JAR" ] || { echo "build first: mvn -B -DskipTests install" >&2; exit 1; }

now() { date +%s.%N; }
health() { curl -s "http://127.0.0.1:$PORT/api/v1/health" || true; }
wait_serving() {
  local deadline=$(( $(date +%s) + 600 ))
  until h="$(health)" && [[ "$h" == *'"recovery":{"status":"UP"'* && "$h" == *'"musubi-ingress":"Started 1/1 routes"'* ]]; do
    [ "$(date +%s)" -gt "$deadline" ] && { echo "the ACD did not come back within 600 s" >&2; return 1; }
    sleep 0.1
  done
}
stop_hub() {
  local pid
  pid="$(pgrep -f "karaf.base=$home" | head -n 1 || true)"
  "$home/bin/stop" >/dev/null 2>&1 || true
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}
trap 'stop_hub; rm -rf "$WORK"' EXIT

mkdir -p "$home"
tar xzf "$TARBALL" -C "$home" --strip-components=1
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
MUSUBI_HTTP_PORT=$PORT "$home/bin/start" >/dev/null; wait_serving; stop_hub
t0=$(now); MUSUBI_HTTP_PORT=$PORT "$home/bin/start" >/dev/null; wait_serving; t1=$(now)
printf 'baseline: start to serving with an empty store %.1f s\n' "$(echo "$t1 - $t0" | bc)"
stop_hub

java -cp "$JAR" io.musubi.bench.restore.SeedAcdState "$home/data/musubi/history" "$WAITING" "$AGENTS" 2>&1 | grep -v INFO
t0=$(now); MUSUBI_HTTP_PORT=$PORT "$home/bin/start" >/dev/null; wait_serving; t1=$(now)
printf 'start to serving with the seeded store %.1f s\n' "$(echo "$t1 - $t0" | bc)"
echo "launched at $(date -d @"${t0%.*}" +%H:%M:%S); the log of this start:"
# karaf.log may have rolled over: the last two such lines of all its files, in time order
grep -h 'restored [0-9]* agent and\|ACD of tenant' "$home"/data/log/karaf.log* | sort | tail -n 2 \
  | awk -F'|' '{print $1 "|" $NF}' || true
admin="$(cat "$home/etc/musubi/admin.key")"
echo "waiting in queue q1: $(curl -s "http://127.0.0.1:$PORT/api/v1/queues/q1/waiting" -H "Authorization: Bearer $admin" \
  | grep -o '"interactionId"' | wc -l)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
