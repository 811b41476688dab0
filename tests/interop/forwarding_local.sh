#!/usr/bin/env bash
# sshkit-ssh -L against OpenSSH's sshd: with -N, four connections at once
# carry 16 MiB each way each (64 MiB in all, checksums equal) while a fifth
# is closed early; a forward to a refused destination closes its own
# connection with ssh's message and the next connection still works; a
# forward to a Unix socket (direct-streamlocal) and one listening on a Unix
# socket; forwards alongside a remote command (the session's loop);
# LocalForward from ssh_config; bad specifications.
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
cp "$S/id.pub" "$S/authorized_keys"
echo_pid= uecho_pid= fwd_pid= hold_pid=
cleanup() {
  for p in $fwd_pid $hold_pid $echo_pid $uecho_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  stop_sshd
}
trap cleanup EXIT
start_sshd <<CONF
HostKey $S/hostkey
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
CONF
cat >"$S/config" <<EOF2
Host target
  HostName 127.0.0.1
  Port $sshd_port
  User $me
  IdentityFile $S/id
  BatchMode yes
  StrictHostKeyChecking accept-new
  UserKnownHostsFile $S/known_hosts
  GlobalKnownHostsFile none
EOF2

python3 "$HERE/echo_server.py" "$S/echo.port" &
echo_pid=$!
python3 "$HERE/echo_server.py" "$S/uecho.port" "$S/echo.sock" &
uecho_pid=$!
for _ in $(seq 50); do [ -s "$S/echo.port" ] && [ -s "$S/uecho.port" ] && break; sleep 0.1; done
echo_port=$(cat "$S/echo.port")
for i in 1 2 3 4; do head -c 16777216 /dev/urandom >"$S/big$i"; done
head -c 1048576 /dev/urandom >"$S/small"

# A port nobody listens on: the echo server's, taken and let go.
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# Starts sshkit-ssh with the arguments given in the background, waiting for
# the listener named by $1 (a port or a path) to be announced.
start_fwd() {
  local what=$1
  shift
  : >"$S/fwd.err"
  timeout 600 "$SSH" -v -F "$S/config" "$@" <&0 2>"$S/fwd.err" &
  fwd_pid=$!
  wait_for_line "$S/fwd.err" 100 "Local forwarding listening on .*$what" ||
    fail "sshkit-ssh $*: no listener: $(cat "$S/fwd.err")"
}
stop_fwd() {
  kill "$fwd_pid"
  local got=0
  wait "$fwd_pid" || got=$?
  fwd_pid=
  [ "$got" -eq 0 ] || fail "sshkit-ssh -N exited $got on SIGTERM: $(cat "$S/fwd.err")"
}
# Sends FILE through the forward at WHERE (port or path) and compares.
through() {
  timeout 300 python3 "$HERE/fwd_client.py" "$1" "$2" "$S/back" || fail "through $1: the connection failed"
  cmp -s "$2" "$S/back" || fail "through $1: the bytes did not come back"
}

echo "== -N -L: four connections at once, 16 MiB each way each, one closed early"
lport=$(free_port)
refused_port=$(free_port)
start_fwd "port $refused_port" -N -L "$lport:127.0.0.1:$echo_port" \
  -L "127.0.0.1:$refused_port:127.0.0.1:$closed_port" target
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

echo "== a refused destination closes its connection only"
timeout 60 python3 "$HERE/fwd_client.py" "$refused_port" "$S/small" "$S/back" 2>/dev/null || true
[ ! -s "$S/back" ] || fail "bytes came back from a refused destination"
wait_for_line "$S/fwd.err" 50 "open failed: connect failed: Connection refused" ||
  fail "no message for the refused destination: $(cat "$S/fwd.err")"
through "$lport" "$S/small"
stop_fwd

echo "== to a Unix socket, and listening on one"
lport=$(free_port)
start_fwd "path $S/l.sock" -N -L "$lport:$S/echo.sock" -L "$S/l.sock:127.0.0.1:$echo_port" target
through "$lport" "$S/big1"
through "$S/l.sock" "$S/big2"
stop_fwd
[ ! -e "$S/l.sock" ] || fail "the listening socket was left behind"

echo "== forwards next to a remote command"
lport=$(free_port)
mkfifo "$S/hold"
sleep 300 >"$S/hold" &
hold_pid=$!
start_fwd "port $lport" -L "$lport:127.0.0.1:$echo_port" target 'cat >/dev/null; echo session done' <"$S/hold" >"$S/session.out"
through "$lport" "$S/big3"
kill "$hold_pid"; wait "$hold_pid" 2>/dev/null || true; hold_pid=
wait "$fwd_pid" || fail "the session with forwards failed: $(cat "$S/fwd.err")"
fwd_pid=
grep -qx "session done" "$S/session.out" || fail "the remote command did not finish"

echo "== LocalForward in ssh_config"
lport=$(free_port)
printf '  LocalForward %s 127.0.0.1:%s\n' "$lport" "$echo_port" >>"$S/config"
start_fwd "port $lport" -N target
through "$lport" "$S/small"
stop_fwd

echo "== bad specifications"
for bad in "8080" "8080:host" "x:h:80" "8080:h:0" "8080:h:x" "1:2:3:4:5" "[::1:8080:h:80"; do
  expect_status 255 "$SSH" -F none -L "$bad" host true
  grep -q "Bad local forwarding specification" "$S/last.err" || fail "-L $bad: no message"
done
echo "ok"
