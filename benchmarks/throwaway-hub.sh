# Sourced by the benchmarks' run.sh scripts: a throw-away copy of the distribution to drive.
#
#   bench_unpack <tarball> <name>   unpacks it into a new directory /tmp/<name>.XXXXXX (set as HUB), stopped and
#                                   deleted again when the calling script exits
#   bench_store_cfg                 points its store at MUSUBI_BENCH_PG_URL (with MUSUBI_BENCH_PG_USER/PASSWORD) when
#                                   set; else it keeps the embedded H2 default. MUSUBI_BENCH_CFG: more settings, one
#                                   per line as "<pid>: <key> = <value>", each appended to etc/<pid>.cfg (e.g.
#                                   "io.musubi.store: h2FlushIntervalMillis = 0")

bench_unpack() {
  HUB="$(mktemp -d "/tmp/$2.XXXXXX")"
  tar xzf "$1" -C "$HUB" --strip-components=1
  trap '"$HUB/bin/stop" >/dev/null 2>&1 || true; while pgrep -f "karaf.base=$HUB" >/dev/null; do sleep 0.2; done; rm -rf "$HUB"' EXIT
}

bench_store_cfg() {
  if [ -n "${MUSUBI_BENCH_PG_URL:-}" ]; then
    cat > "$HUB/etc/io.musubi.store.cfg" <<CFG
jdbcUrl = $MUSUBI_BENCH_PG_URL
user = ${MUSUBI_BENCH_PG_USER:-musubi}
password = ${MUSUBI_BENCH_PG_PASSWORD:-}
CFG
  fi
  local line
  while IFS= read -r line; do
    if [ -n "$line" ]; then
      printf '%s\n' "${line#*: }" >> "$HUB/etc/${line%%: *}.cfg"
    fi
  done <<< "${MUSUBI_BENCH_CFG:-}"
}

# CPU seconds the throw-away hub's JVM has used so far (user + system, from /proc); call after it started.
bench_hub_cpu() {
  local pid
  pid="$(pgrep -f "karaf.base=$HUB" | head -n 1)"
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$pid/stat"
}

# CPU seconds the hub's JVM has used since an earlier bench_hub_cpu reading ($1).
bench_hub_cpu_since() {
  awk -v a="$1" -v b="$(bench_hub_cpu)" 'BEGIN { printf "%.1f", b - a }'
}
