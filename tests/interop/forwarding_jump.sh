#!/usr/bin/env bash
# sshkit-ssh -W and -J against OpenSSH's sshd: -W joins stdio to a TCP
# service through the server (a mebibyte each way through an echo server,
# checksums equal), a refused destination and a bad specification end in
# status 255 with ssh's messages; -J goes through two hops (two sshd on
# loopback, each hop's host key checked and its user authenticated) to the
# destination; a hop that refuses ends the connection in 255.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSH=$BIN/sshkit-ssh
me=$(id -un)
export HOME=$S/home
mkdir -p "$HOME"
unset SSH_AUTH_SOCK

ssh-keygen -q -t ed25519 -N '' -f "$S/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
sshd_conf() {
  printf 'HostKey %s\nAuthorizedKeysFile %s\nPasswordAuthentication no\n' "$S/hostkey" "$S/authorized_keys"
  printf 'KbdInteractiveAuthentication no\nAllowTcpForwarding yes\n'
}
pid_a= pid_b= echo_pid=
cleanup() {
  for p in $pid_a $pid_b $echo_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
mkdir -p "$S/a" "$S/b"
SCRATCH=$S/a start_sshd < <(sshd_conf)
pid_a=$sshd_pid port_a=$sshd_port
sshd_pid=
SCRATCH=$S/b start_sshd < <(sshd_conf)
pid_b=$sshd_pid port_b=$sshd_port
sshd_pid=

start_echo_server

cat >"$S/config" <<EOF2
Host *
  User $me
  IdentityFile $S/id
  BatchMode yes
  StrictHostKeyChecking accept-new
  UserKnownHostsFile $S/known_hosts
  GlobalKnownHostsFile none
Host hop1
  HostName 127.0.0.1
  Port $port_a
Host hop2
  HostName 127.0.0.1
  Port $port_b
Host target
  HostName localhost
  Port $port_a
Host refused
  HostName 127.0.0.1
  Port $port_a
  PubkeyAuthentication no
EOF2

echo "== -W: a mebibyte each way through an echo server"
head -c 1048576 /dev/urandom >"$S/data"
got=0
timeout 60 "$SSH" -F "$S/config" -W "127.0.0.1:$echo_port" hop1 <"$S/data" >"$S/back" 2>"$S/err" || got=$?
[ "$got" -eq 0 ] || { cat "$S/err" >&2; fail "sshkit-ssh -W exited $got"; }
[ "$(sha256sum <"$S/data")" = "$(sha256sum <"$S/back")" ] || fail "-W did not bring the bytes back"

echo "== -W [host]:port"
timeout 60 "$SSH" -F "$S/config" -W "[127.0.0.1]:$echo_port" hop1 <"$S/data" >"$S/back" 2>"$S/err" ||
  { cat "$S/err" >&2; fail "-W [host]:port failed"; }
cmp -s "$S/data" "$S/back" || fail "-W [host]:port did not bring the bytes back"

echo "== -W to a refused port: 255, the server's reason"
kill "$echo_pid"; wait "$echo_pid" 2>/dev/null || true; echo_pid=
expect_status 255 timeout 60 "$SSH" -F "$S/config" -W "127.0.0.1:$echo_port" hop1
grep -q "open failed: connect failed" "$SCRATCH/last.err" || fail "no open failure reported"
grep -q "stdio forwarding failed" "$SCRATCH/last.err" || fail "no stdio forwarding failure"

echo "== -W with a bad specification: 255"
for bad in "127.0.0.1" "127.0.0.1:0" ":22" "::1:22" "[::1]22" "host:70000"; do
  expect_status 255 "$SSH" -F "$S/config" -W "$bad" hop1
  grep -q "Bad stdio forwarding specification" "$SCRATCH/last.err" || fail "-W $bad: no message"
done

echo "== -J through two hops"
: >"$S/known_hosts"
got=0
timeout 60 "$SSH" -F "$S/config" -J hop1,hop2 target 'echo "through: ${SSH_CONNECTION%% *}"' \
  >"$S/out" 2>"$S/err" || got=$?
[ "$got" -eq 0 ] || { cat "$S/err" >&2; fail "-J hop1,hop2 exited $got"; }
grep -qx "through: 127.0.0.1" "$S/out" || fail "the command did not run through the hops"
grep -q "^\[127.0.0.1\]:$port_a " "$S/known_hosts" || fail "hop1's key was not checked"
grep -q "^\[127.0.0.1\]:$port_b " "$S/known_hosts" || fail "hop2's key was not checked"
grep -q "^\[localhost\]:$port_a " "$S/known_hosts" || fail "the target's key was not checked under its name"
[ "$(grep -c "Accepted publickey for $me" "$S/a/sshd.log")" -ge 2 ] ||
  fail "hop1 and the target did not both authenticate"
grep -q "Accepted publickey for $me" "$S/b/sshd.log" || fail "hop2 did not authenticate"

echo "== -J with user@ and :port, given as ProxyJump"
timeout 60 "$SSH" -F "$S/config" -o "ProxyJump=$me@127.0.0.1:$port_b" target true 2>"$S/err" ||
  { cat "$S/err" >&2; fail "ProxyJump user@host:port failed"; }

echo "== a hop that refuses: 255"
expect_status 255 timeout 60 "$SSH" -F "$S/config" -J hop1,refused target true
grep -q "Permission denied" "$SCRATCH/last.err" || fail "the refusing hop is not reported"
echo "ok"
