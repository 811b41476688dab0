# Helpers shared by the interop scripts. Source it after setting BIN and SCRATCH.
# shellcheck shell=bash

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs a command and fails unless it exits with the expected status.
expect_status() {
  local want=$1
  shift
  local got=0
  "$@" >"$SCRATCH/last.out" 2>"$SCRATCH/last.err" </dev/null || got=$?
  if [ "$got" -ne "$want" ]; then
    cat "$SCRATCH/last.out" "$SCRATCH/last.err" >&2
    fail "'$*' exited $got, expected $want"
  fi
}

# Fails unless two files are byte-identical, showing the difference.
same_file() {
  diff -u "$1" "$2" >&2 || fail "$3"
}

setup_scratch() {
  rm -rf "$SCRATCH"
  mkdir -p "$SCRATCH"
  chmod 700 "$SCRATCH"
}

# Starts OpenSSH's sshd on a free loopback port with the config lines given
# on standard input added to a base config (host keys and the rest are the
# caller's). Sets sshd_pid and sshd_port; the caller's EXIT trap must call
# stop_sshd. The log is $SCRATCH/sshd.log.
start_sshd() {
  local extra try
  extra=$(cat)
  [ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
  for try in 1 2 3 4 5; do
    sshd_port=$((20000 + RANDOM % 20000))
    printf 'ListenAddress 127.0.0.1\nPort %s\nPidFile %s/sshd.pid\nUsePAM no\nStrictModes no\n%s\n' \
      "$sshd_port" "$SCRATCH" "$extra" >"$SCRATCH/sshd_config"
    : >"$SCRATCH/sshd.log"
    /usr/sbin/sshd -D -e -f "$SCRATCH/sshd_config" 2>>"$SCRATCH/sshd.log" &
    sshd_pid=$!
    for _ in $(seq 50); do
      grep -q "Server listening" "$SCRATCH/sshd.log" && return 0
      kill -0 "$sshd_pid" 2>/dev/null || break
      sleep 0.1
    done
    stop_sshd
  done
  fail "sshd did not start: $(cat "$SCRATCH/sshd.log")"
}

stop_sshd() {
  if [ -n "${sshd_pid:-}" ]; then
    kill "$sshd_pid" 2>/dev/null || true
    wait "$sshd_pid" 2>/dev/null || true
    sshd_pid=
  fi
}

# Starts sshkit-sshd ($BIN) on a free loopback port with host key $1, the
# authorized keys in $SCRATCH/keys/USER.authorized (HOME=$SCRATCH) and
# LogLevel DEBUG1; further arguments go to sshkit-sshd (-o ...). Sets
# srv_pid and port; the log is $SCRATCH/server.log. The caller's EXIT trap
# kills srv_pid; stop_sshkit_sshd stops it in between.
start_sshkit_sshd() {
  local hostkey=$1 _try
  shift
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s\nAuthorizedKeysFile %%h/keys/%%u.authorized\nLogLevel DEBUG1\nPidFile none\n' \
      "$port" "$hostkey" >"$SCRATCH/sshkit_sshd.config"
    : >"$SCRATCH/server.log"
    HOME=$SCRATCH "$BIN/sshkit-sshd" -D -e -f "$SCRATCH/sshkit_sshd.config" "$@" 2>>"$SCRATCH/server.log" &
    srv_pid=$!
    wait_for_line "$SCRATCH/server.log" 50 "Server listening on 127.0.0.1 port $port" && return 0
    kill "$srv_pid" 2>/dev/null || true
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=
  done
  fail "sshkit-sshd did not start: $(cat "$SCRATCH/server.log")"
}

# Stops what start_sshkit_sshd started; fails unless it exits 0 on SIGTERM.
stop_sshkit_sshd() {
  kill "$srv_pid"
  wait "$srv_pid" || fail "sshkit-sshd did not exit 0 on SIGTERM"
  srv_pid=
}

# Starts tests/interop/echo_server.py on a free loopback port (it echoes
# every connection's bytes back). Sets echo_pid (the caller's EXIT trap
# kills it) and echo_port.
start_echo_server() {
  : >"$SCRATCH/echo.port"
  python3 "$(dirname "${BASH_SOURCE[0]}")/echo_server.py" "$SCRATCH/echo.port" &
  echo_pid=$!
  wait_for_line "$SCRATCH/echo.port" 50 "[0-9]" || fail "the echo server did not start"
  echo_port=$(cat "$SCRATCH/echo.port")
}

# A loopback TCP port free at the time of asking.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Waits (at most $2 tenths of a second) until file $1 has a line matching $3.
wait_for_line() {
  local file=$1 tenths=$2 pattern=$3
  for _ in $(seq "$tenths"); do
    grep -q -- "$pattern" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
