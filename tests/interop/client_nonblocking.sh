#!/usr/bin/env bash
# The high-level client in non-blocking mode (sshkit-nbclient-probe): several
# clients from one poll() loop, each connecting, running a command with
# input, output on both streams and an exit status, then sshkit_client_run();
# one of them held on the server until the others are done (they must go
# on meanwhile), one connected to a server that never answers (it must time
# out), and the rules of calls in progress. Against OpenSSH's sshd with
# publickey, then against sshkit-sshd with publickey, password, and
# keyboard-interactive answered with the password; refusals worded as ssh.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
me=$(id -un)
PROBE=$BIN/sshkit-nbclient-probe

srv_pid=
cleanup() {
  stop_sshd
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -f "$S/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$S/id_ed25519"
cp "$S/id_ed25519.pub" "$S/authorized_keys"
host_line=$(cut -d' ' -f1,2 "$S/host_ed25519.pub")

# probe PORT ARGS...: the probe, bounded, its output in $S/probe.out.
probe() {
  local port=$1 got=0
  shift
  rm -f "$S/go" "$S/go.write"
  timeout 180 "$PROBE" -p "$port" -l "$me" -o "$S/known_hosts" "$@" 127.0.0.1 \
    >"$S/probe.out" 2>&1 </dev/null || got=$?
  cat "$S/probe.out"
  return "$got"
}

# The checks every full run must show for clients 0..n-1.
expect_full_run() {
  local n=$1 i
  for ((i = 0; i < n; i++)); do
    grep -qxF "[$i] connected" "$S/probe.out" || fail "client $i did not connect"
    grep -qxF "[$i] exec with input, stdout, stderr, exit status: ok" "$S/probe.out" ||
      fail "client $i: exec"
    grep -qxF "[$i] run: ok" "$S/probe.out" || fail "client $i: run"
  done
  grep -q "^PASS: 0 failed checks" "$S/probe.out" || fail "the probe reported failures"
}

echo "== OpenSSH's sshd, publickey"
start_sshd <<CONF
HostKey $S/host_ed25519
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
CONF
printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$host_line" >"$S/known_hosts"
probe "$sshd_port" -i "$S/id_ed25519" -n 4 -g "$S/go" -s -r || fail "the probe failed against sshd"
expect_full_run 4
grep -qxF "every other client is done: releasing the held one" "$S/probe.out" ||
  fail "the held client was not released last"
grep -q "^\[4\] silent server: SSHKIT_E_TIMEOUT after [1-9][0-9]* calls" "$S/probe.out" ||
  fail "the silent server did not time out after non-blocking calls"
for rule in "a second exec while one is in progress: SSHKIT_E_STATE" \
            "a second run while one is in progress: SSHKIT_E_STATE" \
            "4 MiB to a command not reading: SSHKIT_E_AGAIN" \
            "another write on the channel meanwhile: SSHKIT_E_STATE" \
            "4 MiB written through a closed window, every byte received"; do
  grep -qxF "[0] $rule: ok" "$S/probe.out" || fail "rule: $rule"
done
[ "$(grep -c "Accepted publickey for $me" "$S/sshd.log")" -ge 4 ] || fail "sshd saw fewer than 4 logins"
echo "ok: 4 clients and a silent server from one poll loop against sshd"

echo "== OpenSSH's sshd, an unknown host key: refused in ssh's words, sshd told why"
: >"$S/known_hosts"
got=0
probe "$sshd_port" -i "$S/id_ed25519" -n 2 || got=$?
[ "$got" -eq 1 ] || fail "an unknown host key was not refused"
[ "$(grep -c "failed: SSHKIT_E_HOST_KEY_REJECTED: No ED25519 host key is known for \[127.0.0.1\]:$sshd_port and you have requested strict checking\.\$" "$S/probe.out")" -eq 2 ] &&
  [ "$(grep -cxF "Host key verification failed." "$S/probe.out")" -eq 2 ] ||
  fail "not refused with ssh's message"
wait_for_line "$S/sshd.log" 50 "Host key verification failed" || fail "sshd did not receive the DISCONNECT"
stop_sshd
echo "ok: host key refused, the DISCONNECT written by a non-blocking client"

echo "== sshkit-sshd: publickey, password, keyboard-interactive"
mkdir -p "$S/keys"
cp "$S/id_ed25519.pub" "$S/keys/$me.authorized"
printf '%s:%s\n' "$me" "$(openssl passwd -6 'right horse')" >"$S/passwd"
start_server() {  # extra config lines on stdin
  local extra _try
  extra=$(cat)
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s/host_ed25519\nAuthorizedKeysFile %%h/keys/%%u.authorized\nPasswordFile %s/passwd\nLogLevel VERBOSE\n%s\n' \
      "$port" "$S" "$S" "$extra" >"$S/config"
    : >"$S/server.log"
    HOME=$S "$BIN/sshkit-sshd" -D -e -f "$S/config" 2>>"$S/server.log" &
    srv_pid=$!
    wait_for_line "$S/server.log" 50 "Server listening on 127.0.0.1 port $port" && return 0
    kill "$srv_pid" 2>/dev/null || true
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=
  done
  fail "sshkit-sshd did not start: $(cat "$S/server.log")"
}
stop_server() {
  kill "$srv_pid" 2>/dev/null || true
  wait "$srv_pid" 2>/dev/null || true
  srv_pid=
}

start_server <<CONF
PasswordAuthentication yes
KbdInteractiveAuthentication no
CONF
printf '[127.0.0.1]:%s %s\n' "$port" "$host_line" >"$S/known_hosts"
probe "$port" -i "$S/id_ed25519" -n 4 -g "$S/go" -s -r || fail "the probe failed against sshkit-sshd"
expect_full_run 4
grep -q "^\[4\] silent server: SSHKIT_E_TIMEOUT" "$S/probe.out" || fail "no timeout"
echo "ok: publickey, 4 clients"

probe "$port" -P 'right horse' -n 3 || fail "password clients failed"
expect_full_run 3
[ "$(grep -c "Accepted password for $me" "$S/server.log")" -ge 3 ] || fail "no password logins"
echo "ok: password, 3 clients"

got=0
probe "$port" -P 'wrong horse' -n 1 || got=$?
[ "$got" -eq 1 ] || fail "a wrong password was accepted"
grep -qxF "[0] failed: SSHKIT_E_PERMISSION_DENIED: $me@127.0.0.1: Permission denied (publickey,password)." \
  "$S/probe.out" || fail "no Permission denied line"
echo "ok: a wrong password: Permission denied (publickey,password)."
stop_server

start_server <<CONF
PasswordAuthentication no
KbdInteractiveAuthentication yes
CONF
printf '[127.0.0.1]:%s %s\n' "$port" "$host_line" >"$S/known_hosts"
probe "$port" -P 'right horse' -n 3 -g "$S/go" || fail "keyboard-interactive clients failed"
expect_full_run 3
[ "$(grep -c "Accepted keyboard-interactive for $me" "$S/server.log")" -ge 3 ] ||
  fail "no keyboard-interactive logins: $(cat "$S/server.log")"
got=0
probe "$port" -P 'wrong horse' -n 1 || got=$?
[ "$got" -eq 1 ] || fail "a wrong keyboard-interactive answer was accepted"
grep -qxF "[0] failed: SSHKIT_E_PERMISSION_DENIED: $me@127.0.0.1: Permission denied (publickey,keyboard-interactive)." \
  "$S/probe.out" || fail "no Permission denied line"
stop_server
echo "ok: keyboard-interactive answered with the password"
echo "PASS"
