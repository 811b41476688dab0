#!/usr/bin/env bash
# Remote forwarding (tcpip-forward, forwarded-tcpip) both ways against
# OpenSSH, port 0 with the allocated port reported as ssh reports it:
#  - sshkit-ssh -R to OpenSSH's sshd: four connections at once through the
#    port sshd allocated carry 16 MiB each way each (64 MiB in all,
#    checksums equal) while a fifth is closed early; a fixed port; a
#    forward to a refused destination closes only its connection;
#  - OpenSSH's ssh -R to sshkit-sshd: the same 4 x 16 MiB; cancel-tcpip-forward
#    (ssh -O cancel through a control socket) closes the listener;
#    AllowTcpForwarding local and the key's no-port-forwarding refuse it
#    (ssh's "remote port forwarding failed"); GatewayPorts no keeps the
#    listener on loopback;
#  - sshkit-ssh -R to sshkit-sshd.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
HERE=$(dirname "$0")
SSH=$BIN/sshkit-ssh
me=$(id -un)
export HOME=$S/home
mkdir -p "$HOME"
unset SSH_AUTH_SOCK

ssh-keygen -q -t ed25519 -N '' -f "$S/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
ssh-keygen -q -t ed25519 -N '' -f "$S/nofwd"
cp "$S/id.pub" "$S/authorized_keys"
mkdir -p "$S/keys"
{ cat "$S/id.pub"; printf 'no-port-forwarding '; cat "$S/nofwd.pub"; } >"$S/keys/$me.authorized"
echo_pid= fwd_pid= srv_pid=
cleanup() {
  for p in $fwd_pid $srv_pid $echo_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_sshd
}
trap cleanup EXIT
start_sshd <<CONF
HostKey $S/hostkey
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding yes
CONF
start_echo_server
for i in 1 2 3 4; do head -c 16777216 /dev/urandom >"$S/big$i"; done
head -c 1048576 /dev/urandom >"$S/small"
closed_port=$(free_port)

stop_fwd() {
  kill "$fwd_pid" 2>/dev/null || true
  wait "$fwd_pid" 2>/dev/null || true
  fwd_pid=
}
kh=(-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o GlobalKnownHostsFile=/dev/null
    -o BatchMode=yes -o IdentitiesOnly=yes)
# Starts CLIENT (sshkit-ssh or ssh) -N with the rest in the background,
# waiting for its "Allocated port" line; sets rport.
start_remote() {
  local client=$1
  shift
  : >"$S/fwd.err"
  timeout 600 "$client" -F none "${kh[@]}" -N "$@" </dev/null 2>"$S/fwd.err" &
  fwd_pid=$!
  wait_for_line "$S/fwd.err" 100 "Allocated port [0-9]* for remote forward to 127.0.0.1:$echo_port" ||
    fail "$client $*: no allocated port: $(cat "$S/fwd.err")"
  rport=$(sed -n 's/^Allocated port \([0-9]*\) for remote forward.*/\1/p' "$S/fwd.err" | head -n 1)
}
# Four connections at once, 16 MiB each way each, and one closed early.
parallel_through() {
  local pids=() i p
  for i in 1 2 3 4; do
    timeout 300 python3 "$HERE/fwd_client.py" "$1" "$S/big$i" "$S/back$i" &
    pids+=($!)
  done
  python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.send(b"x"*1000); s.close()' "$1"
  for p in "${pids[@]}"; do wait "$p" || fail "a forwarded connection failed"; done
  for i in 1 2 3 4; do
    [ "$(sha256sum <"$S/big$i")" = "$(sha256sum <"$S/back$i")" ] || fail "connection $i: checksums differ"
  done
}
through() {
  timeout 300 python3 "$HERE/fwd_client.py" "$1" "$2" "$S/back" || fail "through $1: the connection failed"
  cmp -s "$2" "$S/back" || fail "through $1: the bytes did not come back"
}

echo "== sshkit-ssh -R 0 to sshd: the allocated port, 4 x 16 MiB each way at once"
start_remote "$SSH" -i "$S/id" -p "$sshd_port" -R "0:127.0.0.1:$echo_port" -R "0:127.0.0.1:$closed_port" 127.0.0.1
parallel_through "$rport"
refused_rport=$(sed -n "s/^Allocated port \([0-9]*\) for remote forward to 127.0.0.1:$closed_port\$/\1/p" "$S/fwd.err")
[ -n "$refused_rport" ] || fail "no allocated port for the second forward: $(cat "$S/fwd.err")"
timeout 60 python3 "$HERE/fwd_client.py" "$refused_rport" "$S/small" "$S/back" 2>/dev/null || true
[ ! -s "$S/back" ] || fail "bytes came back from a refused destination"
wait_for_line "$S/fwd.err" 50 "connect_to 127.0.0.1 port $closed_port: failed" ||
  fail "no message for the refused destination: $(cat "$S/fwd.err")"
through "$rport" "$S/small"
stop_fwd

echo "== sshkit-ssh -R with a fixed port"
fixed=$(free_port)
: >"$S/fwd.err"
timeout 600 "$SSH" -v -F none "${kh[@]}" -N -i "$S/id" -p "$sshd_port" -R "$fixed:127.0.0.1:$echo_port" 127.0.0.1 \
  </dev/null 2>"$S/fwd.err" &
fwd_pid=$!
wait_for_line "$S/fwd.err" 100 "remote forward success for: listen $fixed" || fail "-R $fixed: $(cat "$S/fwd.err")"
through "$fixed" "$S/small"
stop_fwd

echo "== ssh -R 0 to sshkit-sshd: the allocated port, 4 x 16 MiB each way at once"
start_sshkit_sshd "$S/hostkey"
start_remote ssh -i "$S/id" -p "$port" -o ControlMaster=yes -o "ControlPath=$S/ctl" \
  -R "0:127.0.0.1:$echo_port" 127.0.0.1
parallel_through "$rport"
ss -ltn | grep -q "127.0.0.1:$rport " || fail "the listener is not on loopback"
! ss -ltn | grep -q "0.0.0.0:$rport " || fail "GatewayPorts no: listening on every address"

echo "== cancel-tcpip-forward"
fixed=$(free_port)
timeout 60 ssh -F none "${kh[@]}" -o "ControlPath=$S/ctl" -O forward -R "$fixed:127.0.0.1:$echo_port" 127.0.0.1 ||
  fail "ssh -O forward failed"
through "$fixed" "$S/small"
timeout 60 ssh -F none "${kh[@]}" -o "ControlPath=$S/ctl" -O cancel -R "$fixed:127.0.0.1:$echo_port" 127.0.0.1 ||
  fail "ssh -O cancel failed"
wait_for_line "$S/server.log" 50 "cancel remote forward for .* port $fixed: done" || fail "no cancel: $(cat "$S/server.log")"
! python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])))' "$fixed" 2>/dev/null ||
  fail "the cancelled listener still takes connections"
through "$rport" "$S/small"
stop_fwd

echo "== sshkit-ssh -R 0 to sshkit-sshd"
start_remote "$SSH" -i "$S/id" -p "$port" -R "0:127.0.0.1:$echo_port" 127.0.0.1
through "$rport" "$S/big1"
stop_fwd

echo "== refusals: the key's no-port-forwarding, AllowTcpForwarding local"
expect_status 255 timeout 60 ssh -F none "${kh[@]}" -o ExitOnForwardFailure=yes -i "$S/nofwd" -p "$port" \
  -N -R "0:127.0.0.1:$echo_port" 127.0.0.1
grep -q "remote port forwarding failed for listen port 0" "$S/last.err" || fail "no-port-forwarding: $(cat "$S/last.err")"
stop_sshkit_sshd
start_sshkit_sshd "$S/hostkey" -o AllowTcpForwarding=local
expect_status 255 timeout 60 ssh -F none "${kh[@]}" -o ExitOnForwardFailure=yes -i "$S/id" -p "$port" \
  -N -R "0:127.0.0.1:$echo_port" 127.0.0.1
grep -q "remote port forwarding failed for listen port 0" "$S/last.err" || fail "AllowTcpForwarding local: $(cat "$S/last.err")"
stop_sshkit_sshd

echo "== bad specifications"
for bad in "8080" "8080:host" "x:h:80" "8080:h:0" "1:2:3:4:5"; do
  expect_status 255 "$SSH" -F none -R "$bad" host true
  grep -q "Bad remote forwarding specification" "$S/last.err" || fail "-R $bad: no message"
done
echo "ok"
