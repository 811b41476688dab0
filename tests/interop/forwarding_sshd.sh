#!/usr/bin/env bash
# sshkit-sshd's direct-tcpip channels against OpenSSH's ssh: ssh -W to an
# echo server (a MiB each way), ssh -L with four connections at once
# carrying 16 MiB each way each (64 MiB in all, checksums equal) while a
# fifth connection is closed early without disturbing them; refusals with
# ssh's messages: a destination that refuses ("connect failed"),
# AllowTcpForwarding no and remote, PermitOpen (none, and a list that
# does not hold the destination: "administratively prohibited"), the key's
# no-port-forwarding and restrict; PermitOpen that holds it lets it through.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
HERE=$(dirname "$0")
me=$(id -un)
unset SSH_AUTH_SOCK

srv_pid= echo_pid= fwd_pid=
cleanup() {
  for p in $fwd_pid $srv_pid $echo_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -f "$S/host"
ssh-keygen -q -t ed25519 -N '' -f "$S/login"
for opt in no-port-forwarding restrict restrict,port-forwarding; do
  ssh-keygen -q -t ed25519 -N '' -C "$opt" -f "$S/key_$opt"
done
mkdir -p "$S/keys"
{
  cat "$S/login.pub"
  for opt in no-port-forwarding restrict restrict,port-forwarding; do
    printf '%s ' "$opt"; cat "$S/key_$opt.pub"
  done
} >"$S/keys/$me.authorized"

opts=(-F none -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no
      -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes -o IdentitiesOnly=yes)
sshc() { timeout 120 ssh "${opts[@]}" -i "${key:-$S/login}" -p "$port" "$@"; }

start_echo_server
head -c 1048576 /dev/urandom >"$S/small"

# ssh -W HOST:PORT through sshkit-sshd; the output in $S/w.out.
through_w() {
  sshc -W "$1" 127.0.0.1 <"$S/small" >"$S/w.out" 2>"$S/w.err"
}

start_sshkit_sshd "$S/host"
echo "== ssh -W: a MiB each way"
through_w "127.0.0.1:$echo_port" || { cat "$S/w.err" "$S/server.log" >&2; fail "ssh -W failed"; }
cmp -s "$S/small" "$S/w.out" || fail "ssh -W did not bring the bytes back"
through_w "localhost:$echo_port" || { cat "$S/w.err" >&2; fail "ssh -W to a name failed"; }
cmp -s "$S/small" "$S/w.out" || fail "ssh -W to a name did not bring the bytes back"

echo "== ssh -L: four connections at once, 16 MiB each way each, and one closed early"
for i in 1 2 3 4; do head -c 16777216 /dev/urandom >"$S/big$i"; done
for _try in 1 2 3 4 5; do
  lport=$((20000 + RANDOM % 20000))
  : >"$S/l.err"
  sshc -v -N -o ExitOnForwardFailure=yes -L "127.0.0.1:$lport:127.0.0.1:$echo_port" 127.0.0.1 \
    </dev/null 2>"$S/l.err" &
  fwd_pid=$!
  wait_for_line "$S/l.err" 100 "Local forwarding listening on 127.0.0.1 port $lport" && break
  kill "$fwd_pid" 2>/dev/null || true; wait "$fwd_pid" 2>/dev/null || true; fwd_pid=
done
[ -n "$fwd_pid" ] || fail "ssh -L did not start: $(cat "$S/l.err")"
pids=()
for i in 1 2 3 4; do
  timeout 300 python3 "$HERE/fwd_client.py" "$lport" "$S/big$i" "$S/back$i" &
  pids+=($!)
done
python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.send(b"x"*1000); s.close()' "$lport"
for p in "${pids[@]}"; do wait "$p" || fail "a forwarded connection failed"; done
for i in 1 2 3 4; do
  [ "$(sha256sum <"$S/big$i")" = "$(sha256sum <"$S/back$i")" ] || fail "connection $i: checksums differ"
done
kill "$fwd_pid"; wait "$fwd_pid" 2>/dev/null || true; fwd_pid=
kill -0 "$srv_pid" || fail "sshkit-sshd died"

echo "== a destination that refuses: connect failed"
kill "$echo_pid"; wait "$echo_pid" 2>/dev/null || true; echo_pid=
! through_w "127.0.0.1:$echo_port" || fail "ssh -W to a closed port succeeded"
grep -q "open failed: connect failed: Connection refused" "$S/w.err" || fail "no connect failure: $(cat "$S/w.err")"
! through_w "no-such-host.invalid:80" || fail "ssh -W to an unknown name succeeded"
grep -q "open failed: connect failed" "$S/w.err" || fail "no failure for an unknown name: $(cat "$S/w.err")"

python3 "$HERE/echo_server.py" "$S/echo2.port" &
echo_pid=$!
for _ in $(seq 50); do [ -s "$S/echo2.port" ] && break; sleep 0.1; done
echo_port=$(cat "$S/echo2.port")

echo "== the key's options"
for opt in no-port-forwarding restrict; do
  ! key=$S/key_$opt through_w "127.0.0.1:$echo_port" || fail "$opt: forwarding allowed"
  grep -q "administratively prohibited" "$S/w.err" || fail "$opt: $(cat "$S/w.err")"
done
key=$S/key_restrict,port-forwarding through_w "127.0.0.1:$echo_port" ||
  fail "restrict,port-forwarding: $(cat "$S/w.err")"
stop_sshkit_sshd

echo "== AllowTcpForwarding and PermitOpen"
for o in "AllowTcpForwarding=no" "AllowTcpForwarding=remote" "PermitOpen=none" \
         "PermitOpen=127.0.0.1:1 localhost:$echo_port"; do
  start_sshkit_sshd "$S/host" -o "$o"
  ! through_w "127.0.0.1:$echo_port" || fail "$o: forwarding allowed"
  grep -q "open failed: administratively prohibited" "$S/w.err" || fail "$o: $(cat "$S/w.err")"
  stop_sshkit_sshd
done
for o in "AllowTcpForwarding=local" "PermitOpen=127.0.0.1:1 127.0.0.1:$echo_port" "PermitOpen=*:$echo_port" \
         "PermitOpen=127.0.0.1:*" "PermitOpen=any"; do
  start_sshkit_sshd "$S/host" -o "$o"
  through_w "127.0.0.1:$echo_port" || fail "$o: forwarding refused: $(cat "$S/w.err")"
  cmp -s "$S/small" "$S/w.out" || fail "$o: the bytes did not come back"
  stop_sshkit_sshd
done
echo "ok"
