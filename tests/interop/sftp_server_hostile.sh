#!/usr/bin/env bash
# Bad input to sshkit-sshd's internal-sftp from sshkit-sftpd-probe: a packet
# over 256 KiB, a request cut short, one without an id, requests before
# INIT, a handle never issued, 10,000 OPENs at once, a READ of 2 GiB, half
# a packet and EOF. Each is refused cleanly (a status, or the subsystem
# ending with sftp-server's exit status and a log line), while one OpenSSH
# sftp session stays open across all of them and goes on downloading.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
. "$(dirname "$0")/sftp_server.bash"
setup_scratch
S=$SCRATCH
long_pid=

cleanup() {
  exec 3>&- 2>/dev/null || true
  if [ -n "$long_pid" ]; then kill "$long_pid" 2>/dev/null || true; wait "$long_pid" 2>/dev/null || true; fi
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

sftp_keys
head -c $((64 << 20)) /dev/urandom >"$S/big"
start_sshkit
: >"$S/known_hosts"

probe() {
  timeout 120 "$BIN/sshkit-sftpd-probe" -p "$port" -l "$me" -i "$S/id" -o "$S/known_hosts" \
    127.0.0.1 "$@"
}

# Waits (bounded) for a file the long session makes when a step is done.
wait_for_file() {
  for _ in $(seq 600); do
    [ -e "$1" ] && return 0
    kill -0 "$long_pid" 2>/dev/null || fail "the long sftp session ended early: $(cat "$S/long.err")"
    sleep 0.1
  done
  fail "the long sftp session did not get to $1"
}

# ---- one OpenSSH sftp session, open across every probe (and rekeying
# every 8 MiB meanwhile) ----
mkfifo "$S/commands"
sftp_to "$port" -o RekeyLimit=8M -b "$S/commands" >"$S/long.out" 2>"$S/long.err" &
long_pid=$!
exec 3>"$S/commands"
printf 'get %s %s\n!touch %s\n' "$S/big" "$S/before" "$S/mark1" >&3
wait_for_file "$S/mark1"

probe oversized >"$S/oversized.out" || fail "probe oversized failed"
[ "$(cat "$S/oversized.out")" = "exit-status 11" ] || fail "oversized: $(cat "$S/oversized.out")"
grep -q "SFTP packet of 262145 bytes is over the limit of 262144" "$S/server.log" ||
  fail "no reason logged for the oversized packet"
grep -q "bad message from 127.0.0.1 local user $me" "$S/server.log" || fail "no 'bad message' line"
echo "ok: a packet over 256 KiB ends the subsystem (exit status 11, as sftp-server)"

probe malformed >"$S/malformed.out" || fail "probe malformed failed"
printf 'cut short: status 5\nexit-status 255\n' | same_file - "$S/malformed.out" "malformed requests"
grep -q "request of type 17 without an id" "$S/server.log" || fail "no reason logged (no id)"
probe noinit >"$S/noinit.out" || fail "probe noinit failed"
[ "$(cat "$S/noinit.out")" = "exit-status 255" ] || fail "noinit: $(cat "$S/noinit.out")"
grep -q "Received 3 request before init" "$S/server.log" || fail "no reason logged (before init)"
echo "ok: a request cut short gets BAD_MESSAGE; no id, or before INIT, ends the subsystem"

probe handles "$S/big" >"$S/handles.out" || fail "probe handles failed"
printf '%s\n' "never issued: status 4" "opened 512 refused 9488" "read of 2 GiB: 261120 bytes" \
  "closed 512" "exit-status 0" | same_file - "$S/handles.out" "handles"
echo "ok: a handle never issued fails; 10,000 opens give 512 handles; a 2 GiB read gets 255 KiB"

probe eof >"$S/eof.out" || fail "probe eof failed"
[ "$(cat "$S/eof.out")" = "exit-status 0" ] || fail "eof: $(cat "$S/eof.out")"
echo "ok: half a packet then EOF ends the subsystem cleanly"

# ---- the long session is still served ----
printf 'get %s %s\n!touch %s\nbye\n' "$S/big" "$S/after" "$S/mark2" >&3
exec 3>&-
wait_for_file "$S/mark2"
wait "$long_pid" || fail "the long sftp session failed: $(cat "$S/long.err")"
long_pid=
for f in before after; do
  [ "$(sha256sum <"$S/big")" = "$(sha256sum <"$S/$f")" ] || fail "download $f differs"
done
stop_sshkit
echo "ok: an sftp session open across all of it (rekeying every 8 MiB) downloaded 64 MiB before and after, intact"
