# Helpers shared by the benchmark scripts: keys, an OpenSSH sshd and an
# sshkit-sshd on loopback, the client command lines, timing and cleanup.
# Source it after setting BIN (the build's bin directory) and TMP (a fresh
# private directory the caller removes); call bench_cleanup from the
# caller's EXIT trap.
# shellcheck shell=bash

bench_pids=()

bench_fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Stops one process this script started: TERM, a bounded wait, then KILL.
bench_stop_pid() {
  local pid=$1 _
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do
    bench_stop_pid "$pid"
  done
  bench_pids=()
}

bench_now_ns() {
  date +%s%N
}

# The host key (both servers use it), the user key, authorized_keys.
bench_make_keys() {
  ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$TMP/host_ed25519" </dev/null
  ssh-keygen -q -t ed25519 -N '' -C bench-user -f "$TMP/id_ed25519" </dev/null
  cp "$TMP/id_ed25519.pub" "$TMP/authorized_keys"
  chmod 600 "$TMP/authorized_keys"
  : >"$TMP/known_hosts"
  bench_user=$(id -un)
}

# Remembers a server's port in known_hosts.
bench_trust_port() {
  printf '[127.0.0.1]:%s %s\n' "$1" "$(cut -d' ' -f1,2 "$TMP/host_ed25519.pub")" >>"$TMP/known_hosts"
}

# Starts OpenSSH's sshd on a free loopback port; sets sshd_port. Lines in
# bench_extra_config are added to its configuration (and to sshkit-sshd's).
bench_start_sshd() {
  local pid
  [ "$(id -u)" -ne 0 ] || mkdir -p /run/sshd
  for _ in 1 2 3 4 5; do
    sshd_port=$((20000 + RANDOM % 20000))
    cat >"$TMP/sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $sshd_port
HostKey $TMP/host_ed25519
PidFile $TMP/sshd.pid
AuthorizedKeysFile $TMP/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
MaxStartups 100:30:200
MaxSessions 100
AcceptEnv SHLVL
LogLevel ERROR
${bench_extra_config:-}
CFG
    : >"$TMP/sshd.log"
    /usr/sbin/sshd -D -e -o LogLevel=INFO -f "$TMP/sshd_config" 2>>"$TMP/sshd.log" &
    pid=$!
    bench_pids+=("$pid")
    for _ in $(seq 50); do
      if grep -q "Server listening" "$TMP/sshd.log"; then
        bench_trust_port "$sshd_port"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    bench_stop_pid "$pid"
  done
  bench_fail "sshd did not start: $(cat "$TMP/sshd.log")"
}

# Starts sshkit-sshd on a free loopback port; sets sk_sshd_port, or
# returns 1 (with why in sk_sshd_why) when it cannot be started.
bench_start_sshkit_sshd() {
  local pid
  sk_sshd_why=
  if [ ! -x "$BIN/sshkit-sshd" ]; then
    sk_sshd_why="$BIN/sshkit-sshd is not built"
    return 1
  fi
  for _ in 1 2 3 4 5; do
    sk_sshd_port=$((20000 + RANDOM % 20000))
    cat >"$TMP/sshkit_sshd_config" <<CFG
ListenAddress 127.0.0.1
Port $sk_sshd_port
HostKey $TMP/host_ed25519
AuthorizedKeysFile $TMP/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
MaxStartups 100:30:200
MaxSessions 100
AcceptEnv SHLVL
LogLevel ERROR
${bench_extra_config:-}
CFG
    : >"$TMP/sshkit_sshd.log"
    "$BIN/sshkit-sshd" -D -e -f "$TMP/sshkit_sshd_config" 2>>"$TMP/sshkit_sshd.log" &
    pid=$!
    bench_pids+=("$pid")
    for _ in $(seq 50); do
      # LogLevel ERROR hides "Server listening": ask the port instead.
      if (exec 3<>"/dev/tcp/127.0.0.1/$sk_sshd_port") 2>/dev/null; then
        bench_trust_port "$sk_sshd_port"
        return 0
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    bench_stop_pid "$pid"
  done
  sk_sshd_why="sshkit-sshd did not start: $(head -c 300 "$TMP/sshkit_sshd.log")"
  return 1
}

# Sets the array cmd to a client command line for PORT, with the cipher
# (or "default") and, for sshkit's client, the kex: bench_client ssh|sshkit PORT CIPHER [KEX].
bench_client() {
  local which=$1 port=$2 cipher=$3 kex=${4:-}
  if [ "$which" = ssh ]; then
    cmd=(ssh -F /dev/null -p "$port" -l "$bench_user" -i "$TMP/id_ed25519"
         -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
         -o UserKnownHostsFile="$TMP/known_hosts" -o GlobalKnownHostsFile=/dev/null
         -o Compression=no -o LogLevel=ERROR -o ControlMaster=no -o ControlPath=none)
    [ "$cipher" = default ] || cmd+=(-c "$cipher")
    [ -z "$kex" ] || cmd+=(-o KexAlgorithms="$kex")
  else
    cmd=("$BIN/sshkit-bench-client" -p "$port" -l "$bench_user" -i "$TMP/id_ed25519"
         -o "$TMP/known_hosts")
    [ "$cipher" = default ] || cmd+=(-c "$cipher")
    [ -z "$kex" ] || cmd+=(-k "$kex")
  fi
  cmd+=(127.0.0.1)
}

# True when sshkit-sshd on sk_sshd_port runs a command for OpenSSH's ssh
# (`ssh -p PORT 127.0.0.1 true`); otherwise sets sk_sshd_why. A server that
# authenticates but does not serve channels leaves ssh waiting: 5 s bound.
# shellcheck disable=SC2034  # sk_sshd_why is read by the callers
bench_sshkit_sshd_serves_exec() {
  local cmd rc=0
  bench_client ssh "$sk_sshd_port" default
  timeout 5 "${cmd[@]}" true </dev/null >/dev/null 2>"$TMP/exec_probe.err" || rc=$?
  case $rc in
    0) return 0 ;;
    124) sk_sshd_why="no answer to exec within 5 s" ;;
    *) sk_sshd_why="exit $rc: $(tr '\n' ' ' <"$TMP/exec_probe.err" | head -c 200)" ;;
  esac
  return 1
}

# The median, minimum and maximum of the numbers on standard input: "med min max".
bench_stats() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan nan nan"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f %.1f\n", m, v[1], v[NR] }'
}

bench_machine() {
  printf 'machine: %s CPUs, %s; %s; %s\n' "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
    "$(ssh -V 2>&1)" "$(date -u '+%Y-%m-%d %H:%M UTC')"
}
