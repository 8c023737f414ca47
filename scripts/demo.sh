#!/usr/bin/env bash
# Sets up a running hub for a first chat and video call: the tenant's default queue (web chat, video, voice...) with
# two agents, alice and bob, last-agent routing (a chat upgraded to video goes to the same agent), a published entry
# point 'web' for the customer widget, and API keys for the agents and a supervisor. Run it once the hub started
# (./run.sh in another terminal). It only uses the REST API with the admin key the hub wrote on its first start.
#
#   scripts/demo.sh                 set up and print the keys and the URLs
#   scripts/demo.sh --json FILE     also write the keys as JSON to FILE (mode 600), for the browser tests
#
# Environment: MUSUBI_URL (default http://127.0.0.1:${MUSUBI_HTTP_PORT:-8181}), MUSUBI_HOME (default run/musubi: where etc/musubi/admin.key
# is). The keys are written to $MUSUBI_HOME/etc/musubi/demo.keys (mode 600) and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."

URL="${MUSUBI_URL:-http://127.0.0.1:${MUSUBI_HTTP_PORT:-8181}}"
API="$URL/api/v1"
HOME_DIR="${MUSUBI_HOME:-run/musubi}"
ADMIN_FILE="$HOME_DIR/etc/musubi/admin.key"
KEYS_FILE="$HOME_DIR/etc/musubi/demo.keys"
JSON_OUT=""
if [ "${1:-}" = "--json" ]; then JSON_OUT="${2:?--json needs a file}"; fi

if [ ! -r "$ADMIN_FILE" ]; then
  echo "demo.sh: no admin key at $ADMIN_FILE (start the hub with ./run.sh first; the key is written on its first start)" >&2
  exit 1
fi
ADMIN="Authorization: Bearer $(tr -d '[:space:]' < "$ADMIN_FILE")"

call() { # method path [json] -> prints the body; fails on HTTP >= 400
  local method="$1" path="$2" body="${3:-}" out code
  out="$(mktemp)"
  if [ -n "$body" ]; then
    code="$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$API$path" -H "$ADMIN" -H 'Content-Type: application/json' -d "$body")"
  else
    code="$(curl -s -o "$out" -w '%{http_code}' -X "$method" "$API$path" -H "$ADMIN")"
  fi
  if [ "$code" -ge 400 ]; then
    echo "demo.sh: $method $path answered $code: $(cat "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

for _ in $(seq 1 90); do
  if curl -s -o /dev/null -w '%{http_code}' "$API/me" -H "$ADMIN" | grep -q 200; then break; fi
  sleep 2
done

echo "demo.sh: agents alice and bob, the default queue, the published entry point 'web'"
call PUT /agents/alice '{"name":"Alice","skills":{"ja":5,"en":3},"capacities":{"VOICE":1,"VIDEO":1,"WEBCHAT":3,"LINE":3,"CUSTOM":3}}' >/dev/null
call PUT /agents/bob '{"name":"Bob","skills":{"ja":4},"capacities":{"VOICE":1,"VIDEO":1,"WEBCHAT":3,"LINE":3,"CUSTOM":3}}' >/dev/null
call PUT /queues/default '{"name":"Support","channels":["WEBCHAT","VIDEO","VOICE","LINE","EMAIL","SMS","CUSTOM"],"members":["alice","bob"],"wrapUpSeconds":30,"sticky":{"mode":"PREFERRED","ttlSeconds":86400,"preferredWaitSeconds":20}}' >/dev/null
call PUT /channel-menu/entry-points/web '{"name":"Example Shop","published":true,"options":[
  {"channel":"WEBCHAT","queueId":"default","label":"Chat","reach":{"kind":"WEBCHAT","value":"web"}},
  {"channel":"VIDEO","queueId":"default","label":"Video","reach":{"kind":"VIDEO","value":"web"}},
  {"channel":"LINE","queueId":"default","label":"LINE","reach":{"kind":"LINE","value":"https://lin.ee/example"}},
  {"channel":"VOICE","queueId":"default","label":"Phone","reach":{"kind":"PHONE","value":"+81-3-0000-0000"}},
  {"channel":"VOICE","queueId":"default","label":"Call-back","reach":{"kind":"CALLBACK"}},
  {"channel":"EMAIL","queueId":"default","label":"Mail","reach":{"kind":"MAIL","value":"support@example.jp"}}]}' >/dev/null

key_valid() { [ -n "$1" ] && curl -s -o /dev/null -w '%{http_code}' "$API/me" -H "Authorization: Bearer $1" | grep -q 200; }
new_key() { call POST /api-keys "$1" | grep -o 'msk_[0-9a-f]*_[A-Za-z0-9_-]*' | head -n 1; }

ALICE=""; BOB=""; SUPERVISOR=""
# shellcheck disable=SC1090
[ -r "$KEYS_FILE" ] && . "$KEYS_FILE"
key_valid "$ALICE" || ALICE="$(new_key '{"name":"demo alice","roles":["agent"],"agentId":"alice"}')"
key_valid "$BOB" || BOB="$(new_key '{"name":"demo bob","roles":["agent"],"agentId":"bob"}')"
key_valid "$SUPERVISOR" || SUPERVISOR="$(new_key '{"name":"demo supervisor","roles":["supervisor"]}')"
umask 077
printf 'ALICE=%s\nBOB=%s\nSUPERVISOR=%s\n' "$ALICE" "$BOB" "$SUPERVISOR" > "$KEYS_FILE"
if [ -n "$JSON_OUT" ]; then
  printf '{"url":"%s","alice":"%s","bob":"%s","supervisor":"%s","admin":"%s"}\n' "$URL" "$ALICE" "$BOB" "$SUPERVISOR" \
    "$(tr -d '[:space:]' < "$ADMIN_FILE")" > "$JSON_OUT"
fi

cat <<INFO

  Ready. Keys (also in $KEYS_FILE, mode 600; paste one into the page's sign-in):
    alice (agent)       $ALICE
    bob (agent)         $BOB
    supervisor          $SUPERVISOR

  Agent desktop     $URL/desktop/        sign in as alice, set presence Available
  Supervisor view   $URL/supervisor/     sign in as the supervisor
  Customer widget   $URL/widget/demo.html  (a sample company page; the widget alone: $URL/widget/)
                    chat, or "Video call"; in a chat the agent can "Invite to video"
INFO
