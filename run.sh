#!/usr/bin/env bash
# AppMsg: start the system locally, run the tests, or run the benchmarks.
#
#   ./run.sh [--silos N] [--edges M] [--tls]   private PostgreSQL + N silos + M edges; Ctrl-C stops everything;
#                                      --tls: edges also serve TLS with a self-signed certificate kept in .appmsg/tls
#   ./run.sh test                      the whole test suite (each test run starts its own PostgreSQL)
#   ./run.sh migrate                   migrate the private database and exit
#   ./run.sh bench [scenario] [opts]   the benchmark tool (bench/); ./run.sh bench faults: the fault suite (docs/faults.md)
#   ./run.sh fuzz [--execs N | --slice S] [target...]
#                                      coverage-guided fuzzing (afl++ and SharpFuzz) of the device protocol's parsers:
#                                      N executions per target (1,000,000), or S seconds shared by all (CI's slice);
#                                      crashes are saved under tests/Protocol.Tests/FuzzRegressions (docs/security.md)
#
# Settings (environment): APPMSG_HTTP_PORT (8080), APPMSG_TCP_PORT (7100), APPMSG_SILO_PORT (11111),
# APPMSG_GATEWAY_PORT (30000), APPMSG_METRICS_PORT (9090: silo n gets 9090 + n - 1), APPMSG_ADMIN_KEY (generated and kept in .appmsg/admin-key),
# APPMSG_SECRETS_KEY (base64 of 32 bytes: encrypts stored secrets; generated and kept in .appmsg/secrets-key),
# ConnectionStrings__AppMsg (set it to use your own PostgreSQL instead of the private one),
# APPMSG_STATE_DIR (.appmsg: the private PostgreSQL cluster, the admin key, the secrets key), with --tls:
# APPMSG_TLS_TCP_PORT (7443), APPMSG_HTTPS_PORT (8443), APPMSG_TLS_CERT_PEM / APPMSG_TLS_KEY_PEM (your own certificate
# instead of the generated one).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE="${APPMSG_STATE_DIR:-$ROOT/.appmsg}"
CONFIG=Release
BIN="bin/$CONFIG/net10.0"

say() { printf '\033[1m[appmsg]\033[0m %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    die "the .NET 10 SDK is not installed: install it (https://dotnet.microsoft.com/download, or the dotnet-sdk-10.0 package from Microsoft's Debian repository) and run again"
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  dir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then echo "$dir"; return; fi
}

ensure_postgres() {
  PG_BIN=$(pg_bin_dir)
  if [ -z "$PG_BIN" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing the PostgreSQL server (apt-get)"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      PG_BIN=$(pg_bin_dir)
    fi
    [ -n "$PG_BIN" ] || die "the PostgreSQL server binaries (initdb, postgres) are missing: install PostgreSQL 15 or newer (Debian: apt-get install postgresql) and run again"
  fi
  export APPMSG_PG_BIN="$PG_BIN"
}

# Runs a PostgreSQL program as the postgres user when we are root (the server refuses root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port_from() {
  local p=$1
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}

# The private cluster lives in .appmsg/pg, unless the postgres user cannot enter this checkout
# (a home directory closed to others, say): then in a folder under /tmp named after the checkout.
choose_pg_home() {
  PG_HOME="$STATE/pg"
  mkdir -p "$PG_HOME"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_HOME"
    if ! runuser -u postgres -- test -w "$PG_HOME" 2>/dev/null; then
      PG_HOME="/tmp/appmsg-pg-$(printf '%s' "$STATE" | sha1sum | cut -c1-12)"
      mkdir -p "$PG_HOME"
      chown postgres:postgres "$PG_HOME"
      chmod 700 "$PG_HOME"
    fi
  fi
}

# The private server's max_connections, for N silos and M edges with their connection budgets (docs/resources.md):
# each silo APPMSG_DB_POOL_SIZE + APPMSG_DB_ORLEANS_POOL_SIZE + 1, each edge its media and Orleans pools + 1, plus 3 superuser
# slots and 10 of headroom; never below PostgreSQL's default of 100.
pg_max_connections() {
  local silos=$1 edges=$2
  local silo=$(( ${APPMSG_DB_POOL_SIZE:-30} + ${APPMSG_DB_ORLEANS_POOL_SIZE:-30} + 1 ))
  local edge=$(( ${APPMSG_DB_MEDIA_POOL_SIZE:-4} + ${APPMSG_DB_ORLEANS_POOL_SIZE:-4} + 1 ))
  local needed=$(( silos * silo + edges * edge + 3 + 10 ))
  [ "$needed" -lt 100 ] && needed=100
  echo "$needed"
}

start_postgres() {
  local max_connections=${1:-100}
  ensure_postgres
  choose_pg_home
  local data="$PG_HOME/data"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a private PostgreSQL cluster in $data"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 >"$PG_HOME/initdb.log" 2>&1 \
      || die "initdb failed; see $PG_HOME/initdb.log"
  fi
  if as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    PG_PORT=$(sed -n 4p "$data/postmaster.pid")
    say "reusing the running private PostgreSQL on port $PG_PORT"
    local running
    running=$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SHOW max_connections" 2>/dev/null || echo 0)
    [ "${running:-0}" -ge "$max_connections" ] \
      || say "warning: its max_connections is ${running}, fewer than the $max_connections these processes may use; stop it to have it restarted with more"
  else
    PG_PORT=$(cat "$PG_HOME/port" 2>/dev/null || echo 15432)
    port_free "$PG_PORT" || PG_PORT=$(free_port_from 15432)
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$PG_HOME/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=$max_connections" start >/dev/null \
      || die "PostgreSQL did not start; see $PG_HOME/postgres.log"
  fi
  echo "$PG_PORT" | as_pg tee "$PG_HOME/port" >/dev/null
  STARTED_PG="$data"
  local exists
  exists=$(as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'appmsg'")
  [ "$exists" = 1 ] || as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres appmsg
  export ConnectionStrings__AppMsg="Host=127.0.0.1;Port=$PG_PORT;Database=appmsg;Username=postgres"
}

stop_postgres() {
  if [ -n "${STARTED_PG:-}" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$STARTED_PG" -m fast -w stop >/dev/null 2>&1 || true
    STARTED_PG=
  fi
}

# Building the edge bundles the console's chart library from npm (docs/console.md): node and npm must be there.
ensure_node() {
  command -v npm >/dev/null 2>&1 && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing node and npm (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || die "apt-get could not install nodejs npm"
  else
    die "building the edge needs node and npm (Debian: apt-get install nodejs npm): install them and run again"
  fi
}

build() {
  ensure_node
  say "building ($CONFIG)"
  dotnet build "$ROOT/Orleans.sln" -c "$CONFIG" -nologo -v quiet -clp:ErrorsOnly >&2 || die "the build failed"
}

PIDS=()
cleanup() {
  local code=$?
  trap - INT TERM EXIT
  if [ ${#PIDS[@]} -gt 0 ]; then
    say "stopping ${#PIDS[@]} process(es)"
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 30))
    for pid in "${PIDS[@]}"; do
      while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2 || true; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  # Reap every child (the processes above and the poll loop's sleep), so that no zombie outlives run.sh.
  jobs -p | xargs -r kill 2>/dev/null || true
  wait 2>/dev/null || true
  stop_postgres
  say "stopped"
  exit "$code"
}

wait_ready() {
  local url=$1 deadline=$((SECONDS + ${2:-120}))
  while [ $SECONDS -lt $deadline ]; do
    if curl -fs -o /dev/null "$url" 2>/dev/null; then return 0; fi
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "a process exited during start-up (see its log above)"; done
    sleep 0.5
  done
  die "$url did not become ready in time"
}

# --tls: a self-signed certificate for localhost and 127.0.0.1 in $STATE/tls (made once, renewed when it expires within
# a day), unless APPMSG_TLS_CERT_PEM and APPMSG_TLS_KEY_PEM name one already. Exports both.
ensure_tls_certificate() {
  if [ -z "${APPMSG_TLS_CERT_PEM:-}" ] && [ -z "${APPMSG_TLS_KEY_PEM:-}" ]; then
    command -v openssl >/dev/null 2>&1 || die "--tls needs openssl to make a certificate (apt-get install openssl), or set APPMSG_TLS_CERT_PEM and APPMSG_TLS_KEY_PEM"
    local dir="$STATE/tls"
    APPMSG_TLS_CERT_PEM="$dir/edge.crt.pem" APPMSG_TLS_KEY_PEM="$dir/edge.key.pem"
    mkdir -p "$dir"
    if ! openssl x509 -in "$APPMSG_TLS_CERT_PEM" -noout -checkend 86400 >/dev/null 2>&1 || [ ! -s "$APPMSG_TLS_KEY_PEM" ]; then
      (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 \
        -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$APPMSG_TLS_KEY_PEM" -out "$APPMSG_TLS_CERT_PEM" 2>/dev/null) || die "openssl could not make a certificate in $dir"
      say "made a self-signed TLS certificate in $dir"
    fi
  fi
  [ -n "${APPMSG_TLS_CERT_PEM:-}" ] && [ -n "${APPMSG_TLS_KEY_PEM:-}" ] || die "set both APPMSG_TLS_CERT_PEM and APPMSG_TLS_KEY_PEM, or neither"
  export APPMSG_TLS_CERT_PEM APPMSG_TLS_KEY_PEM
}

cmd_start() {
  local silos=1 edges=1 tls=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --silos) silos=$2; shift 2 ;;
      --edges) edges=$2; shift 2 ;;
      --tls) tls=1; shift ;;
      *) die "unknown option $1 (use --silos N --edges M --tls)" ;;
    esac
  done
  ensure_dotnet
  command -v curl >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && apt-get install -y -qq curl >/dev/null; }
  trap cleanup INT TERM EXIT
  if [ -z "${ConnectionStrings__AppMsg:-}" ]; then start_postgres "$(pg_max_connections "$silos" "$edges")"; fi
  build

  mkdir -p "$STATE"
  if [ -z "${APPMSG_ADMIN_KEY:-}" ]; then
    [ -s "$STATE/admin-key" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$STATE/admin-key"
    APPMSG_ADMIN_KEY=$(cat "$STATE/admin-key")
  fi
  export APPMSG_ADMIN_KEY
  if [ "$tls" = 1 ]; then ensure_tls_certificate; fi
  # The key that encrypts stored secrets (webhook signing secrets): 32 random bytes, kept like the admin key.
  if [ -z "${APPMSG_SECRETS_KEY:-}" ]; then
    [ -s "$STATE/secrets-key" ] || (umask 077 && head -c 32 /dev/urandom | base64 >"$STATE/secrets-key")
    APPMSG_SECRETS_KEY=$(cat "$STATE/secrets-key")
  fi
  export APPMSG_SECRETS_KEY

  dotnet "$ROOT/src/Silo/$BIN/AppMsg.Silo.dll" migrate || die "migration failed"

  local silo_port=${APPMSG_SILO_PORT:-11111} gateway_port=${APPMSG_GATEWAY_PORT:-30000} metrics_port=${APPMSG_METRICS_PORT:-9090}
  local http_port=${APPMSG_HTTP_PORT:-8080} tcp_port=${APPMSG_TCP_PORT:-7100}
  local tls_tcp_port=${APPMSG_TLS_TCP_PORT:-7443} https_port=${APPMSG_HTTPS_PORT:-8443}
  for ((i = 0; i < silos; i++)); do
    APPMSG_SILO_PORT=$((silo_port + i)) APPMSG_GATEWAY_PORT=$((gateway_port + i)) APPMSG_METRICS_PORT=$((metrics_port + i)) \
      APPMSG_SILO_NAME="silo-$((i + 1))" \
      dotnet "$ROOT/src/Silo/$BIN/AppMsg.Silo.dll" &
    PIDS+=($!)
  done
  for ((i = 0; i < edges; i++)); do
    APPMSG_HTTP_PORT=$((http_port + i)) APPMSG_TCP_PORT=$((tcp_port + i)) APPMSG_EDGE_ID="edge-$((i + 1))" \
      APPMSG_TLS_TCP_PORT=$((tls_tcp_port + i)) APPMSG_HTTPS_PORT=$((https_port + i)) \
      dotnet "$ROOT/src/Edge/$BIN/AppMsg.Edge.dll" &
    PIDS+=($!)
  done
  for ((i = 0; i < edges; i++)); do wait_ready "http://127.0.0.1:$((http_port + i))/readyz"; done

  echo
  say "AppMsg is running: $silos silo(s), $edges edge(s)"
  for ((i = 0; i < edges; i++)); do
    say "  edge-$((i + 1)): HTTP API http://127.0.0.1:$((http_port + i))  WebSocket ws://127.0.0.1:$((http_port + i))/ws  binary tcp://127.0.0.1:$((tcp_port + i))"
    say "         console http://127.0.0.1:$((http_port + i))/console  metrics /metrics  Orleans dashboard /dashboard/ (admin key)"
    if [ -n "${APPMSG_TLS_CERT_PEM:-}" ]; then
      say "         TLS: HTTPS https://127.0.0.1:$((https_port + i))  WebSocket wss://127.0.0.1:$((https_port + i))/ws  binary tls://127.0.0.1:$((tls_tcp_port + i))"
    fi
  done
  if [ -n "${APPMSG_TLS_CERT_PEM:-}" ]; then
    say "  TLS certificate: $APPMSG_TLS_CERT_PEM"
    say "  its SHA-256 fingerprint (DeviceClientOptions.PinnedCertificateSha256): $(openssl x509 -in "$APPMSG_TLS_CERT_PEM" -noout -fingerprint -sha256 2>/dev/null | cut -d= -f2)"
  fi
  say "  silo metrics: http://127.0.0.1:${metrics_port}/metrics$([ "$silos" -gt 1 ] && echo " (silo n: port $metrics_port + n - 1)")"
  say "  PostgreSQL: ${ConnectionStrings__AppMsg}"
  say "  admin key: $APPMSG_ADMIN_KEY   (Authorization: Bearer <admin key>)"
  say "Ctrl-C stops everything."
  # Poll instead of 'wait -n': a signal interrupts the short wait at once and runs the trap.
  while true; do
    for pid in "${PIDS[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        say "process $pid exited; stopping"
        exit 1
      fi
    done
    sleep 1 &
    wait $! || true
  done
}

# What the tests need beyond .NET and PostgreSQL: promtool (Debian's prometheus package) checks the /metrics scrapes,
# Debian's chromium is the browser the console test drives (through Playwright's ExecutablePath), and node/npm
# bundle the console's chart library. Installed with apt-get when running as root; otherwise named.
ensure_test_tools() {
  local missing=()
  command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v chromium >/dev/null 2>&1 || [ -x /usr/lib/chromium/chromium ] || missing+=(chromium)
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "apt-get could not install ${missing[*]}"
  else
    die "the tests need ${missing[*]}: install them (Debian: apt-get install ${missing[*]}) and run again"
  fi
}

cmd_test() {
  ensure_dotnet
  ensure_postgres
  ensure_test_tools
  say "running the tests"
  local results="$STATE/test-results"
  rm -rf "$results"
  mkdir -p "$results"
  local status=0
  dotnet test "$ROOT/Orleans.sln" -c "$CONFIG" -nologo --logger "console;verbosity=normal" \
    --results-directory "$results" 2>&1 | tee "$results/output.txt" || status=$?
  local passed failed
  # grep finds nothing when a count is absent (dotnet prints no "Failed:" line when none failed).
  passed=$({ grep -oE 'Passed: +[0-9]+' "$results/output.txt" || true; } | awk '{s += $2} END {print s + 0}')
  failed=$({ grep -oE 'Failed: +[0-9]+' "$results/output.txt" || true; } | awk '{s += $2} END {print s + 0}')
  echo "tests: $passed passed, $failed failed"
  if [ "$status" != 0 ]; then
    # Repeat each failure with its message at the end, where a reader of CI's tail sees it.
    awk '/^  Failed [A-Za-z]/ {show = 1; lines = 0}
         /^  Passed [A-Za-z]/ || /^Test Run / {show = 0}
         show && lines++ < 40 {print}' "$results/output.txt"
    die "the tests failed"
  fi
  # 60 s of coverage-guided fuzzing in all (the saved inputs ran above, in FuzzRegressionTests).
  cmd_fuzz --slice 60
  say "checking ./run.sh start-up and Ctrl-C"
  bash "$ROOT/tests/smoke/run-sh-smoke.sh"
}

cmd_migrate() {
  ensure_dotnet
  trap cleanup INT TERM EXIT
  if [ -z "${ConnectionStrings__AppMsg:-}" ]; then start_postgres; fi
  build
  dotnet "$ROOT/src/Silo/$BIN/AppMsg.Silo.dll" migrate
}

# The benchmark tool starts its own PostgreSQL, silo, edge and peers (see docs/BENCHMARKS.md) and stops
# them on exit, Ctrl-C included. It needs only its own projects built, not the whole solution.
cmd_bench() {
  ensure_dotnet
  ensure_postgres
  ensure_node
  # The fault suite (bench faults) measures AppMsg alone: no peer to build.
  local projects=(src/Silo/AppMsg.Silo.csproj src/Edge/AppMsg.Edge.csproj bench/AppMsg.Bench/AppMsg.Bench.csproj) what="the benchmark tool, the silo and the edge"
  if [ "${1:-}" != faults ]; then
    projects+=(bench/peers/SignalRPeer/SignalRPeer.csproj)
    what="the benchmark tool, the silo, the edge and the SignalR peer"
  fi
  say "building $what ($CONFIG)"
  local project
  for project in "${projects[@]}"; do
    dotnet build "$ROOT/$project" -c "$CONFIG" -nologo -v quiet -clp:ErrorsOnly >&2 || die "the build of $project failed"
  done
  # exec: Ctrl-C and SIGTERM go straight to the tool, which stops everything it started.
  exec dotnet "$ROOT/bench/AppMsg.Bench/$BIN/AppMsg.Bench.dll" "$@"
}

FUZZ_TARGETS=(binary-frames json-frames galopush-web register)
FUZZ_REGRESSIONS="$ROOT/tests/Protocol.Tests/FuzzRegressions"

# afl-fuzz from Debian's afl++ package; installed when we are root. Returns 1 when it is missing and cannot be.
ensure_afl() {
  command -v afl-fuzz >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing afl++ (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null 2>&1 || true
  fi
  command -v afl-fuzz >/dev/null 2>&1
}

cmd_fuzz() {
  local execs=1000000 slice=0 targets=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --execs) execs=$2; shift 2 ;;
      --slice) slice=$2; shift 2 ;;
      -*) die "unknown option $1 (use --execs N or --slice SECONDS)" ;;
      *) targets+=("$1"); shift ;;
    esac
  done
  [ ${#targets[@]} -gt 0 ] || targets=("${FUZZ_TARGETS[@]}")
  ensure_dotnet
  if ! ensure_afl; then
    if [ "$slice" != 0 ]; then
      say "SKIPPED the fuzz slice: afl-fuzz is not installed and could not be (install Debian's afl++ package); the saved inputs still ran in the tests"
      return 0
    fi
    die "afl-fuzz is not installed: install Debian's afl++ package (apt-get install afl++) and run again"
  fi

  local dir="$STATE/fuzz" bin="$STATE/fuzz/bin"
  rm -rf "$bin" "$dir/seeds"
  mkdir -p "$dir"
  say "building the fuzz harness and instrumenting AppMsg.Protocol.dll (sharpfuzz)"
  dotnet build "$ROOT/tests/Fuzz/AppMsg.Fuzz.csproj" -c "$CONFIG" -nologo -v quiet -clp:ErrorsOnly -o "$bin" >&2 || die "the build of the fuzz harness failed"
  # The seeds first: instrumented code runs only under afl-fuzz.
  dotnet "$bin/AppMsg.Fuzz.dll" --seeds "$dir/seeds" || die "the fuzz harness could not write its seeds"
  (cd "$ROOT" && dotnet tool restore >/dev/null) || die "dotnet tool restore (sharpfuzz) failed"
  (cd "$ROOT" && dotnet tool run sharpfuzz "$bin/AppMsg.Protocol.dll") >&2 || die "sharpfuzz could not instrument AppMsg.Protocol.dll"

  local per_target=0 failed=0 found=0 target
  [ "$slice" != 0 ] && per_target=$(( slice / ${#targets[@]} > 0 ? slice / ${#targets[@]} : 1 ))
  for target in "${targets[@]}"; do
    local out="$dir/out/$target" input="$dir/seeds/$target"
    [ -d "$input" ] || die "unknown fuzz target $target (targets: ${FUZZ_TARGETS[*]})"
    # Saved crashes start the run too: the fuzzer keeps exploring around what once broke.
    if [ -d "$FUZZ_REGRESSIONS/$target" ]; then cp "$FUZZ_REGRESSIONS/$target"/* "$input"/ 2>/dev/null || true; fi
    rm -rf "$out"; mkdir -p "$dir/out"
    local limit=(-E "$execs")
    [ "$per_target" != 0 ] && limit=(-V "$per_target")
    AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
      afl-fuzz -i "$input" -o "$out" -t 5000 -m none "${limit[@]}" -- dotnet "$bin/AppMsg.Fuzz.dll" "$target" \
      >"$dir/$target.log" 2>&1 || { say "afl-fuzz failed on $target; see $dir/$target.log"; failed=1; continue; }
    local stats="$out/default/fuzzer_stats" done_execs run_time crashes
    done_execs=$(awk -F: '/^execs_done/ {gsub(/ /, "", $2); print $2}' "$stats")
    run_time=$(awk -F: '/^run_time/ {gsub(/ /, "", $2); print $2}' "$stats")
    crashes=$(awk -F: '/^saved_crashes/ {gsub(/ /, "", $2); print $2}' "$stats")
    say "fuzz $target: $done_execs executions in ${run_time} s ($(( done_execs / (run_time > 0 ? run_time : 1) ))/s), $(awk -F: '/^corpus_count/ {gsub(/ /, "", $2); print $2}' "$stats") inputs in the corpus, $crashes crash(es)"
    if [ "${crashes:-0}" -gt 0 ]; then
      mkdir -p "$FUZZ_REGRESSIONS/$target"
      local crash
      for crash in "$out"/default/crashes/id:*; do
        cp "$crash" "$FUZZ_REGRESSIONS/$target/crash-$(sha256sum "$crash" | cut -c1-16)"
      done
      found=$((found + crashes))
    fi
    if [ "$per_target" = 0 ] && [ "${done_execs:-0}" -lt "$execs" ]; then
      say "fuzz $target stopped after $done_execs of $execs executions"; failed=1
    fi
  done
  [ "$found" = 0 ] || die "$found crash(es) saved under $FUZZ_REGRESSIONS: commit them; FuzzRegressionTests replays them"
  [ "$failed" = 0 ] || die "the fuzz run failed"
}

case "${1:-}" in
  test) shift; cmd_test "$@" ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  migrate) shift; cmd_migrate "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  -h|--help|help) sed -n '2,16p' "$0" ;;
  *) cmd_start "$@" ;;
esac
