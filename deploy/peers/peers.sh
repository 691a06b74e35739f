#!/usr/bin/env bash
# Real test peers on 127.0.0.1: Orthanc + DICOMweb, an in-memory FHIR R4 server, PostgreSQL 15.
#
#   peers.sh install               install what is missing (Debian packages, npm ci)
#   peers.sh start [STATE_DIR]     start $PEERS on free loopback ports; stdout: export lines only
#   peers.sh stop  [STATE_DIR]     stop exactly the processes recorded in STATE_DIR
#   peers.sh env   [STATE_DIR]     print STATE_DIR/env again
#
# STATE_DIR: argument, else env STATE_DIR, else <repo>/.peers.
# Env: PEERS (default "orthanc fhir postgres"), READY_TIMEOUT_S (default 30).
# Safe use from a script (eval "$(...)" would hide a failed start):
#   env_lines=$(deploy/peers/peers.sh start "$dir") && eval "$env_lines"
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
FHIR_DIR=$SCRIPT_DIR/fhir-server
ORTHANC_TEMPLATE=$SCRIPT_DIR/orthanc/orthanc.json
SHIM_SOURCE=$SCRIPT_DIR/orthanc/loopback-bind.c
DICOMWEB_PLUGIN=/usr/share/orthanc/plugins/libOrthancDicomWeb.so
# curl and python3 are used by start itself (readiness probes, free ports).
APT_PACKAGES=(orthanc orthanc-dicomweb dcmtk postgresql gcc libc6-dev curl python3)
KNOWN_PEERS=(orthanc fhir postgres)
PG_TMP_PREFIX=/tmp/llavarad-peer-pg.
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3

log() { printf 'peers.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
verbose() { [ "${PEERS_VERBOSE:-0}" = 0 ] || log "$*"; }

# ---------------------------------------------------------------- helpers

now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((10#$t / 1000)); }

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# /proc/PID/stat fields after the ")" that ends comm: 0 state, 1 ppid, ... 19 starttime.
proc_stat_fields() { # PID -> sets array STAT
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -r -a STAT <<<"${stat##*) }"
}

proc_starttime() { local STAT; proc_stat_fields "$1" && echo "${STAT[19]}"; }

# True while PID is a live process that started at STARTTIME (so a reused PID never counts).
# A zombie counts as gone (PID 1 may reap it late) once no other thread of it is left: a
# thread-group leader turns Z while its other threads still close their files (sockets).
proc_alive() { # PID STARTTIME
  local STAT task
  proc_stat_fields "$1" && [ "${STAT[19]}" = "$2" ] || return 1
  [ "${STAT[0]}" != Z ] && return 0
  for task in /proc/"$1"/task/*; do
    [ "$task" = "/proc/$1/task/$1" ] || [ ! -e "$task" ] || return 0
  done
  return 1
}

# Children of PID (used only for the backends of a postmaster that had to be SIGKILLed).
proc_children() { # PID
  local f STAT
  for f in /proc/[0-9]*; do
    proc_stat_fields "${f#/proc/}" || continue
    if [ "${STAT[1]}" = "$1" ]; then echo "${f#/proc/}"; fi
  done
}

record_pid() { # PEER PID
  echo "$2" > "$STATE/$1.pid"
  proc_starttime "$2" > "$STATE/$1.starttime" || : > "$STATE/$1.starttime"
}

# Prints a peer's failure and the tail of its log to stderr, then exits (in its subshell).
peer_fail() { # PEER MESSAGE
  local text="peers.sh: $1: $2"$'\n'
  if [ -s "$STATE/$1.log" ]; then
    text+="peers.sh: last lines of $STATE/$1.log:"$'\n'
    text+=$(tail -n 25 "$STATE/$1.log" | sed 's/^/    /')$'\n'
  fi
  printf '%s' "$text" >&2 # one write: peers start in parallel
  exit 1
}

# Waits until CHECK succeeds; returns 2 when PID died first, 1 on timeout.
wait_until() { # PEER PID CHECK...
  local peer=$1 pid=$2 starttime
  shift 2
  starttime=$(cat "$STATE/$peer.starttime")
  while :; do
    if "$@"; then return 0; fi
    proc_alive "$pid" "$starttime" || return 2
    [ "$(now_ms)" -lt "$DEADLINE_MS" ] || return 1
    sleep 0.05
  done
}

state_dir_from() { # [STATE_DIR]
  local dir=${1:-${STATE_DIR:-$REPO_DIR/.peers}}
  case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
  STATE=$dir
}

q() { # single-quote for sh
  printf "'%s'" "${1//\'/\'\\\'\'}"
}

# ---------------------------------------------------------------- install

policy_denies() {
  [ -x /usr/sbin/policy-rc.d ] || return 1
  local rc=0
  /usr/sbin/policy-rc.d orthanc start >/dev/null 2>&1 || rc=$?
  [ "$rc" = 101 ]
}

apt_install() { # PACKAGE...
  local sudo=() out backup='' created=0 rc=0
  [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null || die "not root and no sudo: cannot install $*"; sudo=(sudo); }
  # A policy-rc.d that denies keeps the packages' postinst from starting system services
  # (a system Orthanc would listen on all interfaces, 8042 and 4242).
  if ! policy_denies; then
    if [ -e /usr/sbin/policy-rc.d ]; then
      backup=$(mktemp)
      "${sudo[@]}" cp -p /usr/sbin/policy-rc.d "$backup"
    fi
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
    created=1
  fi
  out=$(mktemp)
  {
    "${sudo[@]}" apt-get update -qq &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
  } >"$out" 2>&1 || rc=$?
  if [ "$created" = 1 ]; then
    if [ -n "$backup" ]; then "${sudo[@]}" cp -p "$backup" /usr/sbin/policy-rc.d; rm -f "$backup"
    else "${sudo[@]}" rm -f /usr/sbin/policy-rc.d; fi
  fi
  if [ "$rc" != 0 ]; then
    cat "$out" >&2
    rm -f "$out"
    die "apt-get install $* failed (exit $rc)"
  fi
  rm -f "$out"
}

cmd_install() {
  local missing=() p out
  for p in "${APT_PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi

  command -v node >/dev/null && command -v npm >/dev/null || die "node (>= 20.19) and npm are required for the FHIR peer"
  if [ ! -f "$FHIR_DIR/node_modules/.package-lock.json" ] ||
    [ "$FHIR_DIR/package-lock.json" -nt "$FHIR_DIR/node_modules/.package-lock.json" ]; then
    out=$(mktemp)
    # definitions.js builds the trimmed FHIR definitions cache that speeds up every start
    if ! (cd "$FHIR_DIR" && npm ci --no-audit --no-fund --loglevel=error && node definitions.js) >"$out" 2>&1; then
      cat "$out" >&2
      rm -f "$out"
      die "npm ci in $FHIR_DIR failed"
    fi
    rm -f "$out"
  fi
}

# ---------------------------------------------------------------- peers
# Each start_<peer> runs in a background subshell: it launches the server (stdin, stdout and
# stderr detached from the caller), records its PID, waits for readiness and writes the
# peer's export lines to STATE/<peer>.exports. On failure it prints the log tail and exits 1.

start_orthanc() {
  local dir=$STATE/orthanc shim=$STATE/loopback-bind.so port name pid attempt rc
  command -v Orthanc >/dev/null || peer_fail orthanc "Orthanc not installed (run: peers.sh install)"
  [ -f "$DICOMWEB_PLUGIN" ] || peer_fail orthanc "$DICOMWEB_PLUGIN missing (run: peers.sh install)"
  if [ ! -f "$shim" ] || [ "$SHIM_SOURCE" -nt "$shim" ]; then
    gcc -shared -fPIC -O2 -o "$shim.$$" "$SHIM_SOURCE" -ldl >"$STATE/orthanc.log" 2>&1 ||
      peer_fail orthanc "cannot compile $SHIM_SOURCE"
    mv -f "$shim.$$" "$shim"
  fi
  for attempt in 1 2 3; do
    rm -rf "$dir"
    mkdir -p "$dir"
    port=$(free_port)
    name=llavarad-orthanc-$(random_hex 6)
    sed -e "s/\"HttpPort\" *: *[0-9]*/\"HttpPort\" : $port/" \
      -e "s/\"Name\" *: *\"[^\"]*\"/\"Name\" : \"$name\"/" "$ORTHANC_TEMPLATE" >"$dir/orthanc.json"
    LD_PRELOAD=$shim Orthanc "$dir/orthanc.json" </dev/null >"$STATE/orthanc.log" 2>&1 &
    pid=$!
    record_pid orthanc "$pid"
    # The answer must carry this instance's random Name: a port taken by someone else fails.
    rc=0
    wait_until orthanc "$pid" orthanc_ready "$port" "$name" || rc=$?
    [ "$rc" = 2 ] && continue # died, most likely the port was taken meanwhile: new port
    [ "$rc" = 0 ] || peer_fail orthanc "not ready within ${READY_TIMEOUT_S}s"
    grep -qF "$shim" "/proc/$pid/maps" || peer_fail orthanc "loopback-bind.so is not loaded: refusing an Orthanc on 0.0.0.0"
    {
      echo "export PEER_ORTHANC_URL=$(q "http://127.0.0.1:$port")"
      echo "export PEER_DICOMWEB_URL=$(q "http://127.0.0.1:$port/dicom-web")"
    } >"$STATE/orthanc.exports"
    verbose "orthanc ready after $(($(now_ms) - START_MS)) ms"
    return 0
  done
  peer_fail orthanc "exited during start-up (3 attempts)"
}

orthanc_ready() { # PORT NAME
  curl -sf --max-time 2 "http://127.0.0.1:$1/system" 2>/dev/null | grep -Eq "\"Name\" *: *\"$2\""
}

start_fhir() {
  local pid url rc
  command -v node >/dev/null || peer_fail fhir "node not found"
  [ -d "$FHIR_DIR/node_modules/@medplum/fhir-router" ] || peer_fail fhir "node_modules missing (run: peers.sh install)"
  FHIR_HOST=127.0.0.1 FHIR_PORT=0 node "$FHIR_DIR/server.js" </dev/null >"$STATE/fhir.log" 2>&1 &
  pid=$!
  record_pid fhir "$pid"
  rc=0
  wait_until fhir "$pid" fhir_ready || rc=$?
  case $rc in
    0) ;;
    2) peer_fail fhir "exited during start-up" ;;
    *) peer_fail fhir "not ready within ${READY_TIMEOUT_S}s" ;;
  esac
  url=$(grep -m1 '^http://' "$STATE/fhir.log")
  echo "export PEER_FHIR_URL=$(q "$url")" >"$STATE/fhir.exports"
  verbose "fhir ready after $(($(now_ms) - START_MS)) ms"
}

fhir_ready() { # the server prints its base URL (…/fhir/R4) as its first stdout line
  local url
  url=$(grep -m1 '^http://' "$STATE/fhir.log" 2>/dev/null) || return 1
  curl -sf --max-time 2 -o /dev/null "${url%/fhir/R4}/healthz"
}

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/15/bin "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && { echo "$d"; return 0; }
  done
  return 1
}

start_postgres() {
  local bin tmp user password port pid attempt rc
  local as_user=() exec_as=()
  bin=$(pg_bindir) || peer_fail postgres "PostgreSQL server binaries not found (run: peers.sh install)"
  if [ "$(id -u)" = 0 ]; then # postgres refuses to run as root
    user=postgres
    as_user=(runuser -u postgres --)
    exec_as=(setpriv --reuid=postgres --regid=postgres --init-groups --) # execs: $! is postgres
  else
    user=$(id -un)
  fi
  : >"$STATE/postgres.log"
  tmp=$(mktemp -d "${PG_TMP_PREFIX}XXXXXX")
  echo "$tmp" >"$STATE/postgres.tmpdir"
  [ "$user" = postgres ] && chown postgres: "$tmp"
  chmod 700 "$tmp"
  cd "$tmp" # a folder the server user can read
  # initdb takes 1-3 s: its output is kept in STATE/postgres-template and copied on later starts.
  local template=$STATE/postgres-template stamp
  stamp="$bin $("$bin/postgres" --version) user=$user"
  if [ -f "$template/PG_VERSION" ] && [ "$(cat "$template.stamp" 2>/dev/null)" = "$stamp" ]; then
    cp -a "$template" "$tmp/data"
  else
    "${as_user[@]}" "$bin/initdb" -D "$tmp/data" -U "$user" --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C --no-sync --no-instructions >"$STATE/postgres.log" 2>&1 ||
      peer_fail postgres "initdb failed"
    rm -rf "$template" "$template.stamp"
    cp -a "$tmp/data" "$template.$$" && mv "$template.$$" "$template" && echo "$stamp" >"$template.stamp"
  fi
  password=$(random_hex 16)
  for attempt in 1 2 3; do
    port=$(free_port)
    "${exec_as[@]}" "$bin/postgres" -D "$tmp/data" -c listen_addresses=127.0.0.1 -c port="$port" \
      -c unix_socket_directories="$tmp" -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
      -c max_connections=200 -c logging_collector=off -c log_min_messages=warning \
      </dev/null >>"$STATE/postgres.log" 2>&1 &
    pid=$!
    record_pid postgres "$pid"
    rc=0
    wait_until postgres "$pid" "$bin/pg_isready" -q -h "$tmp" -p "$port" || rc=$?
    [ "$rc" = 2 ] && continue
    [ "$rc" = 0 ] || peer_fail postgres "not ready within ${READY_TIMEOUT_S}s"
    printf "CREATE ROLE llavarad LOGIN PASSWORD '%s';\nCREATE DATABASE llavarad OWNER llavarad;\n" "$password" |
      "${as_user[@]}" "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$user" -d postgres \
        >>"$STATE/postgres.log" 2>&1 || peer_fail postgres "cannot create role/database llavarad"
    # Check the exported credentials over TCP (a foreign server on this port would fail here).
    [ "$(PGPASSWORD=$password PGCONNECT_TIMEOUT=5 "$bin/psql" -X -Atq -h 127.0.0.1 -p "$port" -U llavarad \
      -d llavarad -c 'select 1' 2>>"$STATE/postgres.log")" = 1 ] ||
      peer_fail postgres "cannot connect as llavarad over TCP"
    echo "export PEER_POSTGRES_CONNECTION=$(q \
      "Host=127.0.0.1;Port=$port;Username=llavarad;Password=$password;Database=llavarad")" >"$STATE/postgres.exports"
    verbose "postgres ready after $(($(now_ms) - START_MS)) ms"
    return 0
  done
  peer_fail postgres "exited during start-up (3 attempts)"
}

# ---------------------------------------------------------------- commands

cmd_start() {
  state_dir_from "$@"
  local peers=() peer p
  read -r -a peers <<<"${PEERS:-orthanc fhir postgres}"
  for peer in "${peers[@]}"; do
    [[ " ${KNOWN_PEERS[*]} " == *" $peer "* ]] || die "unknown peer '$peer' in PEERS (known: ${KNOWN_PEERS[*]})"
  done
  READY_TIMEOUT_S=${READY_TIMEOUT_S:-30}
  [[ $READY_TIMEOUT_S =~ ^[0-9]+$ ]] || die "READY_TIMEOUT_S must be whole seconds"

  # LD_PRELOAD splits on blanks and colons: such a path would leave Orthanc on 0.0.0.0.
  [[ $STATE != *[[:space:]:]* ]] || die "STATE_DIR must not contain blanks or colons: $STATE"
  mkdir -p "$STATE"
  STATE=$(cd "$STATE" && pwd)
  cmd_stop "$STATE" # a fresh start: stop what this folder recorded before
  START_MS=$(now_ms)
  DEADLINE_MS=$((START_MS + READY_TIMEOUT_S * 1000))

  local -A jobs=()
  for peer in "${peers[@]}"; do
    rm -f "$STATE/$peer.exports"
    ("start_$peer") >&2 &
    jobs[$peer]=$!
  done
  local failed=()
  for peer in "${peers[@]}"; do
    wait "${jobs[$peer]}" || failed+=("$peer")
  done
  if [ "${#failed[@]}" -gt 0 ]; then
    cmd_stop "$STATE"
    die "start failed: ${failed[*]} (logs in $STATE)"
  fi

  {
    for p in "${KNOWN_PEERS[@]}"; do
      [ -f "$STATE/$p.exports" ] && cat "$STATE/$p.exports"
    done
    echo "export PEER_STATE_DIR=$(q "$STATE")"
  } >"$STATE/env.tmp"
  rm -f "$STATE"/*.exports
  mv -f "$STATE/env.tmp" "$STATE/env"
  cat "$STATE/env"
}

cmd_stop() {
  state_dir_from "$@"
  [ -d "$STATE" ] || return 0
  local peer pid starttime sig deadline child
  local -a pids=() starts=()
  for peer in "${KNOWN_PEERS[@]}"; do
    [ -f "$STATE/$peer.pid" ] || continue
    pid=$(cat "$STATE/$peer.pid")
    starttime=$(cat "$STATE/$peer.starttime" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && [ -n "$starttime" ] && proc_alive "$pid" "$starttime"; then
      sig=TERM
      [ "$peer" = postgres ] && sig=INT # "fast" shutdown: SIGTERM would wait for clients to leave
      kill -s "$sig" "$pid" 2>/dev/null || true
      pids+=("$pid")
      starts+=("$starttime")
    fi
  done

  local i alive
  deadline=$(($(now_ms) + 10000))
  for round in 1 2; do
    while :; do
      alive=()
      for i in "${!pids[@]}"; do
        proc_alive "${pids[$i]}" "${starts[$i]}" && alive+=("$i")
      done
      [ "${#alive[@]}" -eq 0 ] && break 2
      [ "$(now_ms)" -lt "$deadline" ] || break
      sleep 0.05
    done
    [ "$round" = 2 ] && { log "still running after SIGKILL: ${pids[*]}"; break; }
    for i in "${alive[@]}"; do
      log "pid ${pids[$i]} did not exit within 10s: SIGKILL"
      for child in $(proc_children "${pids[$i]}"); do kill -KILL "$child" 2>/dev/null || true; done
      kill -KILL "${pids[$i]}" 2>/dev/null || true
    done
    deadline=$(($(now_ms) + 3000))
  done

  for peer in "${KNOWN_PEERS[@]}"; do
    rm -f "$STATE/$peer.pid" "$STATE/$peer.starttime"
  done
  if [ -f "$STATE/postgres.tmpdir" ]; then
    local tmp
    tmp=$(cat "$STATE/postgres.tmpdir")
    case $tmp in "$PG_TMP_PREFIX"??????) rm -rf "$tmp" ;; esac
    rm -f "$STATE/postgres.tmpdir"
  fi
  rm -f "$STATE/env"
}

cmd_env() {
  state_dir_from "$@"
  [ -f "$STATE/env" ] || die "no peers running for $STATE (run: peers.sh start)"
  cat "$STATE/env"
}

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 1 ] || usage
command=$1
shift
case $command in
  install) cmd_install ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  env) cmd_env "$@" ;;
  *) usage ;;
esac
