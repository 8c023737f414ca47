#!/usr/bin/env bash
# The REST offer path of issue #11 on a throw-away copy of the distribution: POST /interactions at fixed rates, each
# timed from when it was due to its "offered" event on the SSE stream, beside GET /version at the same rate
# (OfferPath). Several rates run one after another on the same hub: each run ends what it created. A benchmark, not
# a test: it prints figures.
#
#   mvn -B -DskipTests install && benchmarks/offer-path/run.sh [rate ...]      # default: 200 1000
#
# MUSUBI_BENCH_PG_URL=jdbc:postgresql://... (with MUSUBI_BENCH_PG_USER/PASSWORD) runs it on PostgreSQL instead of H2;
# MUSUBI_BENCH_TARBALL=... another build of the distribution; MUSUBI_BENCH_SECONDS (default 20; with the warm-up under
# 30 s, the offer timeout of a text channel: the bench agents never answer, so later offers would meet RONA), MUSUBI_BENCH_WARMUP
# (default 5), MUSUBI_BENCH_AGENTS (default 100) and MUSUBI_BENCH_IN_FLIGHT (requests in flight at most, default 256)
# shape each run; MUSUBI_BENCH_WARMUP_RATE (default 200, 0: none) an unmeasured run before them.
# MUSUBI_BENCH_KEYS=sequential counts senders and message ids up (the store's indexes keyed by them then grow at their
# end) instead of spreading them as real traffic does (the default, random).
# The driver runs on the same machine: its CPU seconds are printed beside the hub's.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/java17.sh
. benchmarks/throwaway-hub.sh

RATES=("$@"); [ ${#RATES[@]} -gt 0 ] || RATES=(200 1000)
VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
TARBALL="${MUSUBI_BENCH_TARBALL:-distribution/target/musubi-distribution-$VERSION.tar.gz}"
DRIVER=benchmarks/offer-path/target/offer-path.jar
PORT="${MUSUBI_BENCH_PORT:-18391}"
[ -f "$TARBALL" ] && [ -f "$DRIVER" ] || { echo "build first: mvn -B -DskipTests install" >&2; exit 1; }
bench_unpack "$TARBALL" musubi-offer-bench
HOME_="$HUB"
bench_store_cfg

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc); store: ${MUSUBI_BENCH_PG_URL:+PostgreSQL}${MUSUBI_BENCH_PG_URL:-H2 embedded}"
# MUSUBI_RATE_PER_SECOND=0: no per-caller rate limit (the driver is one caller at up to 1 000 requests/s).
MUSUBI_HTTP_PORT=$PORT MUSUBI_RATE_PER_SECOND=0 "$HOME_/bin/start" >/dev/null
deadline=$(( $(date +%s) + 180 ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/health")" = "200" ] \
    && [ -s "$HOME_/etc/musubi/admin.key" ]; do
  [ "$(date +%s)" -gt "$deadline" ] && { echo "the hub did not come up" >&2; exit 1; }
  sleep 0.5
done
# The store's commits and H2 group flushes so far (count and total seconds), one line each.
store_counts() {
  curl -s -H "Authorization: Bearer $(cat "$HOME_/etc/musubi/admin.key")" "http://127.0.0.1:$PORT/api/v1/metrics" \
    | grep -E '^musubi_store_(commit|flush)_seconds_(count|sum)' || true
}
# One run of the driver at a rate.
drive() {
  java -Xmx512m -jar "$DRIVER" --url "http://127.0.0.1:$PORT/api/v1" --key-file "$HOME_/etc/musubi/admin.key" \
    --rate "$1" --seconds "${MUSUBI_BENCH_SECONDS:-20}" --warmup "${MUSUBI_BENCH_WARMUP:-5}" \
    --agents "${MUSUBI_BENCH_AGENTS:-100}" --max-in-flight "${MUSUBI_BENCH_IN_FLIGHT:-256}" \
    --keys "${MUSUBI_BENCH_KEYS:-random}"
}
# MUSUBI_BENCH_WARMUP_RATE (default 200; 0: none): an unmeasured run at that rate first, so the first measured rate finds
# the hub's code compiled (a fresh hub's JIT takes a core for its first minute of load: a cold 1 000/s run completed
# 15 000 of 20 000 creates where a warm one completes them all).
WARMUP_RATE="${MUSUBI_BENCH_WARMUP_RATE:-200}"
if [ "$WARMUP_RATE" -gt 0 ]; then
  echo "warm-up: $WARMUP_RATE/s (not measured)"
  drive "$WARMUP_RATE" | grep -E '^(GET|create)' | sed 's/^/  warm-up: /' || true
fi
for rate in "${RATES[@]}"; do
  echo "== $rate/s"
  cpu_before="$(bench_hub_cpu)"
  store_before="$(store_counts)"
  TIMEFORMAT='driver CPU during this rate: %U s user + %S s system'
  time drive "$rate"
  echo "hub CPU during this rate (set-up, baseline, creates, ends): $(bench_hub_cpu_since "$cpu_before") s"
  echo "store during this rate (set-up, baseline, creates, ends):"
  # Each metric's growth over the rate: the lines before, then the lines after, matched by name.
  { echo "$store_before"; echo "--"; store_counts; } | awk '$0 == "--" { after = 1; next }
    !after { v[$1] = $2; next } { printf "  %s %.1f\n", $1, $2 - v[$1] }' 
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "WARN/ERROR lines in the hub's log: $(grep -c '| WARN \|| ERROR ' "$HOME_/data/log/karaf.log" || true)"
grep -h '| WARN \|| ERROR ' "$HOME_/data/log/karaf.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -n 10 || true
