#!/usr/bin/env bash
# Checks the README's first command: ./run.sh reaches /readyz = 200, and Ctrl-C (SIGINT to its whole
# process group, as a terminal sends it) stops everything it started, PostgreSQL included.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=$(mktemp -d /tmp/appmsg-smoke-XXXXXX)
LOG="$STATE/run.log"
fail() { echo "run.sh smoke check FAILED: $*" >&2; echo "--- run.sh output ---" >&2; tail -n 60 "$LOG" >&2 || true; exit 1; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Below Linux's ephemeral range (32768 and up), so an outgoing connection cannot take the port meanwhile.
pick_port() { local p; while :; do p=$((20000 + RANDOM % 12000)); port_free "$p" && { echo "$p"; return; }; done; }

HTTP=$(pick_port); TCP=$(pick_port); SILO=$(pick_port); GATEWAY=$(pick_port); METRICS=$(pick_port)

set -m # the background job gets its own process group and keeps the default SIGINT disposition
APPMSG_STATE_DIR="$STATE" APPMSG_HTTP_PORT=$HTTP APPMSG_TCP_PORT=$TCP APPMSG_SILO_PORT=$SILO APPMSG_GATEWAY_PORT=$GATEWAY APPMSG_METRICS_PORT=$METRICS \
  "$ROOT/run.sh" >"$LOG" 2>&1 &
PID=$!
set +m

deadline=$((SECONDS + 300))
until curl -fs -o /dev/null "http://127.0.0.1:$HTTP/readyz"; do
  kill -0 "$PID" 2>/dev/null || fail "run.sh exited before /readyz answered 200"
  [ $SECONDS -lt $deadline ] || { kill -KILL -- -"$PID" 2>/dev/null; fail "/readyz did not answer 200 within 300 s"; }
  sleep 1
done
# run.sh prints its summary after its own readiness check, a moment after ours.
for _ in $(seq 1 60); do grep -q "Ctrl-C stops everything" "$LOG" && break; sleep 0.5; done
grep -q "admin key:" "$LOG" || fail "run.sh did not print the admin key"
grep -q "http://127.0.0.1:$HTTP" "$LOG" || fail "run.sh did not print the HTTP endpoint"
echo "run.sh smoke: /readyz = 200 on port $HTTP"
curl -fs -o /dev/null "http://127.0.0.1:$HTTP/console/" || fail "the console at /console/ did not answer 200"
# Read whole before searching: with pipefail, grep -q leaving early makes curl fail on the closed pipe.
edge_metrics=$(curl -fs "http://127.0.0.1:$HTTP/metrics") || fail "the edge's /metrics did not answer 200"
grep -q '^http_server_request_duration_seconds' <<<"$edge_metrics" || fail "the edge's /metrics has no HTTP server series"
silo_metrics=$(curl -fs "http://127.0.0.1:$METRICS/metrics") || fail "the silo's metrics on port $METRICS did not answer 200"
grep -q '^orleans_' <<<"$silo_metrics" || fail "the silo's metrics on port $METRICS have no Orleans series"
echo "run.sh smoke: the console, the edge's /metrics and the silo's metrics answer"

kill -INT -- -"$PID"
deadline=$((SECONDS + 60))
while kill -0 "$PID" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || { kill -KILL -- -"$PID" 2>/dev/null; fail "run.sh did not stop within 60 s of Ctrl-C"; }
  sleep 0.5
done

sleep 1
left=$(pgrep -g "$PID" 2>/dev/null || true)
left+=$(pgrep -f "$STATE" 2>/dev/null | grep -v "^$$\$" || true)
left+=$(pgrep -f "appmsg-pg-$(printf '%s' "$STATE" | sha1sum | cut -c1-12)" 2>/dev/null || true)
if [ -n "$left" ]; then
  ps -o pid,pgid,args -p $(echo "$left" | tr '\n' ' ') >&2 || true
  fail "processes were left behind after Ctrl-C"
fi
port_free "$HTTP" || fail "port $HTTP still in use after Ctrl-C"
echo "run.sh smoke: Ctrl-C stopped everything; no process left behind"
rm -rf "$STATE" "/tmp/appmsg-pg-$(printf '%s' "$STATE" | sha1sum | cut -c1-12)"
