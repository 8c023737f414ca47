#!/usr/bin/env bash
# The ingress benchmark of issue #11 on a throw-away copy of the distribution: signed Twilio SMS webhooks at a fixed
# rate into the Twilio connector, through the broker and the ingress into the ACD (IngressLoad). A benchmark, not a
# test: it prints figures and exits non-zero only when something was lost or refused.
#
#   mvn -B -DskipTests install && benchmarks/ingress/run.sh [rate] [seconds] [concurrency]
#
# MUSUBI_BENCH_PG_URL=jdbc:postgresql://... (with MUSUBI_BENCH_PG_USER/PASSWORD) runs it on PostgreSQL instead of H2;
# MUSUBI_BENCH_TARBALL=... another build of the distribution (a baseline); MUSUBI_BENCH_CONSUMERS=n the ingress consumers;
# MUSUBI_BENCH_SENDERS=n webhooks from n numbers in turn (messages of known customers on open conversations);
# MUSUBI_BENCH_WARMUP=s an unmeasured run first (default 20 s; 0: measure the cold hub); MUSUBI_BENCH_RUNS=n measured
# runs in a row (default 1); MUSUBI_BENCH_KEYS=sequential counts numbers and MessageSids up (the store's indexes keyed
# by them then grow at their end) instead of spreading them as real traffic does (the default, random).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/java17.sh
. benchmarks/throwaway-hub.sh

RATE="${1:-2000}"; SECONDS_="${2:-60}"; CONCURRENCY="${3:-64}"
VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
TARBALL="${MUSUBI_BENCH_TARBALL:-distribution/target/musubi-distribution-$VERSION.tar.gz}"
DRIVER=benchmarks/ingress/target/ingress.jar
PORT="${MUSUBI_BENCH_PORT:-18381}"
[ -f "$TARBALL" ] && [ -f "$DRIVER" ] || { echo "build first: mvn -B -DskipTests install" >&2; exit 1; }
bench_unpack "$TARBALL" musubi-ingress-bench
HOME_="$HUB"

# The Twilio connector at boot, one instance "bench" with a random auth token.
# In the boot features' second stage, after "(wrap)", with the hub's own: listed before "(wrap)" it would be a stage of
# its own, installed before JAAS, and the broker would refuse the hub's login and restart once during the start.
sed -i 's/^\(    (wrap), \\\)$/\1\n    musubi-connector-twilio, \\/' "$HOME_/etc/org.apache.karaf.features.cfg"
grep -q musubi-connector-twilio "$HOME_/etc/org.apache.karaf.features.cfg" || { echo "could not add the Twilio feature" >&2; exit 1; }
mkdir -p "$HOME_/etc/musubi"
(umask 077; head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$HOME_/etc/musubi/twilio-bench.token")
cat > "$HOME_/etc/io.musubi.connector.twilio-bench.cfg" <<CFG
id = bench
accountSid = AC0123456789abcdef0123456789abcdef
authTokenFile = musubi/twilio-bench.token
fromNumbers = +81501234567
publicBaseUrl = https://bench.invalid
statusCallbacks = false
apiBaseUrl = http://127.0.0.1:9
CFG
bench_store_cfg

# MUSUBI_BENCH_CONSUMERS=n: the ingress queue's parallel consumers (io.musubi.ingress.route, default 32), and a store
# pool (io.musubi.store maxPoolSize, default 48) with n + 8 connections so that each consumer has one.
if [ -n "${MUSUBI_BENCH_CONSUMERS:-}" ]; then
  echo "concurrentConsumers = $MUSUBI_BENCH_CONSUMERS" > "$HOME_/etc/io.musubi.ingress.route.cfg"
  echo "maxPoolSize = $(( MUSUBI_BENCH_CONSUMERS + 8 ))" >> "$HOME_/etc/io.musubi.store.cfg"
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc); store: ${MUSUBI_BENCH_PG_URL:+PostgreSQL}${MUSUBI_BENCH_PG_URL:-H2 embedded}"
MUSUBI_HTTP_PORT=$PORT MUSUBI_RATE_PER_SECOND=0 "$HOME_/bin/start" >/dev/null
deadline=$(( $(date +%s) + 180 ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/api/v1/health")" = "200" ] \
    && [ -s "$HOME_/etc/musubi/admin.key" ] \
    && curl -s "http://127.0.0.1:$PORT/api/v1/health" | grep -q '"twilio/bench"\|twilio.bench\|bench'; do
  [ "$(date +%s)" -gt "$deadline" ] && { echo "the hub did not come up with the Twilio instance" >&2; exit 1; }
  sleep 0.5
done
status=0
# The driver against this hub at the rate and concurrency given: drive <seconds> <run id> (the run id keeps each run's
# numbers and message ids apart).
drive() {
  java -Xmx512m -jar "$DRIVER" --hub "http://127.0.0.1:$PORT" --key-file "$HOME_/etc/musubi/admin.key" \
    --token-file "$HOME_/etc/musubi/twilio-bench.token" --public-base https://bench.invalid --instance bench \
    --rate "$RATE" --seconds "$1" --concurrency "$CONCURRENCY" --senders "${MUSUBI_BENCH_SENDERS:-0}" --run "$2" \
    --keys "${MUSUBI_BENCH_KEYS:-random}"
}
# MUSUBI_BENCH_WARMUP=s (default 20): a first, unmeasured run of that many seconds at the same rate, so that the
# measured run finds the hub's JIT-compiled code, pools and caches warm (a fresh JVM spends a core on its compilers
# for the first half minute). 0 measures the cold hub.
WARMUP="${MUSUBI_BENCH_WARMUP:-20}"
if [ "$WARMUP" -gt 0 ]; then
  echo "warm-up: $WARMUP s at $RATE/s (not measured)"
  drive "$WARMUP" 1 | grep -v '^  t=' | sed 's/^/  warm-up: /' \
    || echo "  warm-up: the driver reported refused or unprocessed webhooks (the warm-up is not measured)"
fi
# MUSUBI_BENCH_RUNS=n (default 1): n measured runs one after another on the same hub, each reported on its own (how the
# figure moves as the JIT settles: on a slow machine the compilers are still busy minutes into the load).
for run in $(seq 1 "${MUSUBI_BENCH_RUNS:-1}"); do
  [ "${MUSUBI_BENCH_RUNS:-1}" -gt 1 ] && echo "measured run $run of ${MUSUBI_BENCH_RUNS}"
  TIMEFORMAT='driver CPU during this run (it shares the machine with the hub): %U s user + %S s system'
  cpu_before="$(bench_hub_cpu)"
  time drive "$SECONDS_" $(( run + 1 )) || status=$?
  echo "hub CPU during this run (until every webhook was processed): $(bench_hub_cpu_since "$cpu_before") s"
done
# How many store commits and H2 group flushes the run took (a flush makes every commit before it durable).
curl -s -H "Authorization: Bearer $(cat "$HOME_/etc/musubi/admin.key")" "http://127.0.0.1:$PORT/api/v1/metrics" \
  | grep -E '^musubi_store_(commit|flush)_seconds_(count|sum)' || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "WARN/ERROR lines in the hub's log: $(grep -c '| WARN \|| ERROR ' "$HOME_/data/log/karaf.log" || true)"
grep '| ERROR \|| WARN ' "$HOME_/data/log/karaf.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -n 5 || true
exit "$status"
