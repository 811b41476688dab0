#!/usr/bin/env bash
# sshkit-ssh -D against OpenSSH's sshd: SOCKS5 (an address, a name), SOCKS4
# and 4a through the same listener, four SOCKS5 connections at once
# carrying 16 MiB each way each (checksums equal); refusals, each closing
# only its own connection: a refused destination (the SOCKS failure reply),
# a 255-byte host name (sshd cannot reach it: failure reply), a request of
# another version (closed); the listener keeps working after them.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
HERE=$(dirname "$0")
SSH=$BIN/sshkit-ssh
export HOME=$S/home
mkdir -p "$HOME"
unset SSH_AUTH_SOCK

ssh-keygen -q -t ed25519 -N '' -f "$S/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
echo_pid= fwd_pid=
cleanup() {
  for p in $fwd_pid $echo_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
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
dport=$(free_port)
: >"$S/fwd.err"
timeout 600 "$SSH" -v -F none -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o BatchMode=yes \
  -i "$S/id" -p "$sshd_port" -N -D "127.0.0.1:$dport" 127.0.0.1 </dev/null 2>"$S/fwd.err" &
fwd_pid=$!
wait_for_line "$S/fwd.err" 100 "Local forwarding listening on 127.0.0.1 port $dport" ||
  fail "no SOCKS listener: $(cat "$S/fwd.err")"
socks() {  # VERSION HOST PORT FILE: 0 when the bytes came back
  timeout 300 python3 "$HERE/socks_client.py" "$dport" "$1" "$2" "$3" "$4" "$S/back" 2>"$S/socks.err"
}
check() {  # VERSION HOST
  socks "$1" "$2" "$echo_port" "$S/small" || fail "SOCKS$1 to $2: $(cat "$S/socks.err")"
  cmp -s "$S/small" "$S/back" || fail "SOCKS$1 to $2: the bytes did not come back"
}

echo "== SOCKS5 (address and name), SOCKS4, SOCKS4a"
check 5 127.0.0.1
check 5 localhost
check 4 127.0.0.1
check 4a localhost

echo "== four SOCKS5 connections at once, 16 MiB each way each"
pids=()
for i in 1 2 3 4; do
  timeout 300 python3 "$HERE/socks_client.py" "$dport" 5 127.0.0.1 "$echo_port" "$S/big$i" "$S/back$i" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a SOCKS connection failed"; done
for i in 1 2 3 4; do
  [ "$(sha256sum <"$S/big$i")" = "$(sha256sum <"$S/back$i")" ] || fail "connection $i: checksums differ"
done

echo "== refusals"
got=0; socks 5 127.0.0.1 "$closed_port" "$S/small" || got=$?
[ "$got" -eq 2 ] || fail "a refused destination: status $got, expected the SOCKS failure reply"
got=0; socks 4 127.0.0.1 "$closed_port" "$S/small" || got=$?
[ "$got" -eq 2 ] || fail "SOCKS4 to a refused destination: status $got"
long=$(printf 'a%.0s' $(seq 255))
got=0; socks 5 "$long" "$echo_port" "$S/small" || got=$?
[ "$got" -eq 2 ] || fail "a 255-byte host name: status $got"
got=0; socks bad 127.0.0.1 "$echo_port" "$S/small" || got=$?
[ "$got" -eq 2 ] || fail "a bad version: status $got"
kill -0 "$fwd_pid" || fail "sshkit-ssh died"
check 5 127.0.0.1
kill "$fwd_pid"; wait "$fwd_pid" || fail "sshkit-ssh -D did not exit 0 on SIGTERM"; fwd_pid=
echo "ok"
