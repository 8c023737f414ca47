#!/usr/bin/env bash
# Builds Musubi (when the sources changed) and runs the hub with embedded defaults: ActiveMQ Artemis, the
# REST API on http://127.0.0.1:8181/api/v1, the pages (/desktop/, /supervisor/, /widget/), the web chat and the
# demo connector. The hub runs from ./run/musubi; its data (broker journal, demo inbox) and generated secrets
# survive a rebuild.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/java17.sh

VERSION="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)"
TARBALL="distribution/target/musubi-distribution-$VERSION.tar.gz"
HOME_DIR="run/musubi"
PORT="${MUSUBI_HTTP_PORT:-8181}"

stale() {
  [ ! -f "$TARBALL" ] && return 0
  [ -n "$(find pom.xml bundles routes connectors features distribution -newer "$TARBALL" \
           \( -name '*.java' -o -name '*.xml' -o -name '*.cfg' -o -name '*.properties' -o -name '*.js' \
              -o -name '*.html' -o -name '*.css' \) -print -quit)" ]
}

if stale; then
  echo "run.sh: building Musubi (tests skipped; ./test.sh runs them)"
  mvn -B -q -DskipTests install
fi

if [ ! -d "$HOME_DIR" ] || [ "$TARBALL" -nt "$HOME_DIR/.installed" ]; then
  echo "run.sh: installing the distribution into $HOME_DIR"
  keep="$(mktemp -d)"
  if [ -d "$HOME_DIR" ]; then
    # Keep what the hub generated or stored: data, the broker secret and the users file that names it.
    [ -d "$HOME_DIR/data" ] && mv "$HOME_DIR/data" "$keep/data"
    [ -d "$HOME_DIR/etc/musubi" ] && mv "$HOME_DIR/etc/musubi" "$keep/musubi"
    [ -f "$HOME_DIR/etc/users.properties" ] && mv "$HOME_DIR/etc/users.properties" "$keep/users.properties"
    rm -rf "$HOME_DIR"
  fi
  mkdir -p "$HOME_DIR"
  tar xzf "$TARBALL" -C "$HOME_DIR" --strip-components=1
  [ -d "$keep/data" ] && rm -rf "$HOME_DIR/data" && mv "$keep/data" "$HOME_DIR/data"
  [ -d "$keep/musubi" ] && mv "$keep/musubi" "$HOME_DIR/etc/musubi"
  [ -f "$keep/users.properties" ] && mv "$keep/users.properties" "$HOME_DIR/etc/users.properties"
  rmdir "$keep" 2>/dev/null || true
  touch "$HOME_DIR/.installed"
fi

cat <<INFO

  Musubi is starting (Karaf console below; type 'shutdown -f' or Ctrl-D to stop, or run $HOME_DIR/bin/stop).

  Health          curl -s http://127.0.0.1:$PORT/api/v1/health
  Version         curl -s http://127.0.0.1:$PORT/api/v1/version
  First contact   echo "Hello from my first customer" > $HOME_DIR/data/demo/inbox/first-contact.txt
                  the demo connector makes it a web-chat message of tenant 'default', waiting in queue 'default'
                  until an agent takes it. Follow it:
                    in this console  musubi:queues   and   musubi:queue-waiting default
                    in the log       one line per event (never the text):
                                     grep ' journey ' $HOME_DIR/data/log/karaf.log
                    over the API     the waiting list and the customer's journey with the text: docs/rest.md,
                                     "The demo contact over the API"
  REST API        the admin key is written on first start to $HOME_DIR/etc/musubi/admin.key:
                  curl -s -H "Authorization: Bearer \$(cat $HOME_DIR/etc/musubi/admin.key)" \\
                       http://127.0.0.1:$PORT/api/v1/queues
                  a first contact over the API, the agent flow and the event stream: docs/rest.md
                  OpenAPI document: http://127.0.0.1:$PORT/api/v1/openapi.json
  Agents, queues  in this console: musubi:queues, musubi:agents, musubi:agent-presence alice AVAILABLE
                  (plain ids are tenant 'default's, acme/alice another tenant's; create agents over the API:
                   PUT /api/v1/agents/alice, docs/rest.md)
  Demo set-up     done by itself once the hub is up (scripts/demo.sh: agents alice and bob, the default queue,
                  the widget's entry point): the keys to sign in with are then in
                  $HOME_DIR/etc/musubi/demo.keys  (what it did: $HOME_DIR/demo-setup.log; MUSUBI_DEMO=0 skips it)
  Agent desktop   http://127.0.0.1:$PORT/desktop/       (docs/desktop.md)
  Supervisor      http://127.0.0.1:$PORT/supervisor/
  Customer widget http://127.0.0.1:$PORT/widget/demo.html  (a sample company page; docs/widget.md)

INFO

export MUSUBI_HTTP_PORT="$PORT"
# The demo set-up runs in the background once the hub wrote its admin key and answers (scripts/demo.sh waits for
# the API); it only uses the REST API, and its keys are random, written owner-only to etc/musubi/demo.keys.
if [ "${MUSUBI_DEMO:-1}" != 0 ]; then
  (
    for _ in $(seq 1 150); do [ -r "$HOME_DIR/etc/musubi/admin.key" ] && break; sleep 2; done
    MUSUBI_HOME="$HOME_DIR" scripts/demo.sh > "$HOME_DIR/demo-setup.log" 2>&1 || true
  ) < /dev/null &
fi
if [ -t 0 ]; then
  exec "$HOME_DIR/bin/karaf"
else
  exec "$HOME_DIR/bin/karaf" server
fi
