#!/usr/bin/env bash
# examples/poll_clients against OpenSSH's sshd on a loopback port: several
# sessions from one poll() loop with the non-blocking driver complete their
# key exchange, print the host key's fingerprint as ssh-keygen -l does,
# check it against a known_hosts file, and end with a DISCONNECT sshd logs.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH

ssh-keygen -q -t ed25519 -N '' -f "$S/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$S/id_ed25519"
cp "$S/id_ed25519.pub" "$S/authorized_keys"

# sshd on a free loopback port (a few tries, in case one is taken).
sshd_pid=
trap '[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null; true' EXIT
for try in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  cat >"$S/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $port
HostKey $S/host_ed25519
AuthorizedKeysFile $S/authorized_keys
PidFile $S/sshd.pid
UsePAM no
StrictModes no
LogLevel VERBOSE
CONF
  : >"$S/sshd.log"
  /usr/sbin/sshd -D -e -f "$S/sshd_config" 2>"$S/sshd.log" &
  sshd_pid=$!
  for _ in $(seq 50); do
    grep -q "Server listening" "$S/sshd.log" && break
    kill -0 "$sshd_pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "Server listening" "$S/sshd.log" && break
  kill "$sshd_pid" 2>/dev/null || true
  wait "$sshd_pid" 2>/dev/null || true
  sshd_pid=
done
[ -n "$sshd_pid" ] || fail "sshd did not start: $(cat "$S/sshd.log")"

fp=$(ssh-keygen -lf "$S/host_ed25519.pub" | awk '{print $2}')
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$S/host_ed25519.pub")" >"$S/known_hosts"
user=$(id -un)

# The known key: three sessions, each prints the fingerprint.
"$BIN/poll_clients" -n 3 -p "$port" -l "$user" -i "$S/id_ed25519" \
  -o UserKnownHostsFile="$S/known_hosts" 127.0.0.1 >"$S/out" 2>&1 </dev/null || true
cat "$S/out"
[ "$(grep -c "host key ssh-ed25519 $fp\$" "$S/out")" -eq 3 ] || fail "three fingerprints expected"
if ! grep -q "publickey: not supported" "$S/out"; then
  grep -q "^3 of 3 clients authenticated" "$S/out" || fail "publickey authentication failed"
fi

# An unknown key: refused; sshd hears why.
: >"$S/empty_known_hosts"
expect_status 1 "$BIN/poll_clients" -n 1 -p "$port" -l "$user" -i "$S/id_ed25519" \
  -o UserKnownHostsFile="$S/empty_known_hosts" 127.0.0.1
grep -q "not in known_hosts: refusing" "$S/last.out" || fail "unknown host key was not refused"
for _ in $(seq 50); do
  grep -q "Host key verification failed" "$S/sshd.log" && break
  sleep 0.1
done
grep -q "Host key verification failed" "$S/sshd.log" || fail "sshd did not receive the DISCONNECT"
echo "ok"
