#!/usr/bin/env bash
# sshkit-ssh against OpenSSH's sshd (publickey, host key checking with the
# messages compared to OpenSSH's ssh on the same files) and against
# sshkit-server-probe (password through SSH_ASKPASS); its command line,
# its -o options and its exit statuses.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSH=$BIN/sshkit-ssh
user=$(id -un)
export HOME=$S/home        # no default file of the real user is read or written
mkdir -p "$HOME"
unset SSH_AUTH_SOCK DISPLAY SSH_ASKPASS SSH_ASKPASS_REQUIRE
probe_pid=
client_pid=
cleanup() {
  stop_sshd
  if [ -n "$client_pid" ]; then kill "$client_pid" 2>/dev/null || true; fi
  if [ -n "$probe_pid" ]; then
    kill "$probe_pid" 2>/dev/null || true
    wait "$probe_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -f "$S/host"
ssh-keygen -q -t ed25519 -N '' -f "$S/other_host"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
ssh-keygen -q -t ed25519 -N 'secret words' -f "$S/id_enc"
cat "$S/id.pub" "$S/id_enc.pub" >"$S/authorized_keys"
# An askpass program that logs its prompt and prints $ANSWER.
cat >"$S/askpass" <<'SH'
#!/bin/sh
printf '%s\n' "$1" >>"$ASKPASS_LOG"
printf '%s\n' "$ANSWER"
SH
chmod +x "$S/askpass"
export ASKPASS_LOG=$S/askpass.log

start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
CONF
port=$sshd_port
hostname="[127.0.0.1]:$port"
base=(-p "$port" -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes)

# Starts sshkit-ssh -N in the background with stderr in $S/client.err.
start_client() {
  : >"$S/client.err"      # emptied before the client starts, for the waits that read it
  "$SSH" "$@" </dev/null 2>>"$S/client.err" &
  client_pid=$!
}
# Stops it with a signal; fails unless it exits with the status given.
stop_client() {
  local sig=$1 want=$2 got=0
  kill -"$sig" "$client_pid"
  wait "$client_pid" || got=$?
  client_pid=
  [ "$got" -eq "$want" ] || { cat "$S/client.err" >&2; fail "-N after SIG$sig exited $got, expected $want"; }
}
# Runs OpenSSH's ssh with the same arguments; its messages without "\r".
openssh_says() {
  ssh "$@" </dev/null 2>&1 | tr -d '\r' >"$S/openssh.err" || true
}

echo "== StrictHostKeyChecking yes, unknown host"
kh=$S/known_hosts
strict=(-o UserKnownHostsFile="$kh" -o StrictHostKeyChecking=yes -i "$S/id")
expect_status 255 "$SSH" "${base[@]}" "${strict[@]}" -N "$user@127.0.0.1"
grep -qxF "No ED25519 host key is known for $hostname and you have requested strict checking." \
  "$S/last.err" || fail "no strict-checking message"
grep -qx "Host key verification failed." "$S/last.err" || fail "no 'Host key verification failed.'"
openssh_says "${base[@]}" "${strict[@]}" -N "$user@127.0.0.1"
same_file "$S/openssh.err" "$S/last.err" "the unknown-host messages differ from ssh's"
wait_for_line "$S/sshd.log" 50 "Received disconnect from 127.0.0.1.*Host key\|Disconnected from.*127.0.0.1" ||
  fail "sshd did not log the disconnect"
[ ! -e "$kh" ] || fail "a refused key was written to known_hosts"

echo "== accept-new: -N with a key, the key added; SIGTERM ends it with status 0"
start_client -v "${base[@]}" -o UserKnownHostsFile="$kh" -o StrictHostKeyChecking=accept-new \
  -i "$S/id" -N "$user@127.0.0.1"
wait_for_line "$S/client.err" 100 "^Authenticated to 127.0.0.1 (\[127.0.0.1\]:$port) using \"publickey\".$" ||
  { cat "$S/client.err" >&2; fail "no 'Authenticated to' line"; }
grep -qxF "Warning: Permanently added '$hostname' (ED25519) to the list of known hosts." \
  "$S/client.err" || fail "no 'Permanently added' line"
grep -q '^debug1: Server host key: ssh-ed25519 SHA256:' "$S/client.err" || fail "no debug1 lines"
stop_client TERM 0
ssh-keygen -F "$hostname" -f "$kh" | grep -q "ssh-ed25519" || fail "ssh-keygen -F finds no entry"
wait_for_line "$S/sshd.log" 50 "Received disconnect from 127.0.0.1 port [0-9]*:11:" ||
  fail "sshd saw no DISCONNECT"

echo "== a known host: silent, and SIGINT ends it with status 0"
accepted=$(grep -c "Accepted publickey" "$S/sshd.log")
start_client "${base[@]}" "${strict[@]}" -N "$user@127.0.0.1"
for _ in $(seq 100); do
  [ "$(grep -c "Accepted publickey" "$S/sshd.log")" -gt "$accepted" ] && break
  sleep 0.1
done
[ "$(grep -c "Accepted publickey" "$S/sshd.log")" -gt "$accepted" ] || fail "second run did not log in"
sleep 0.2
stop_client INT 0
[ ! -s "$S/client.err" ] || { cat "$S/client.err" >&2; fail "a known host was not silent"; }

echo "== a changed key: the WARNING block, refused"
echo "$hostname $(cut -d' ' -f1,2 "$S/other_host.pub")" >"$S/kh_changed"
changed=(-o UserKnownHostsFile="$S/kh_changed" -o StrictHostKeyChecking=yes -i "$S/id")
expect_status 255 "$SSH" "${base[@]}" "${changed[@]}" -N "$user@127.0.0.1"
grep -q "WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!" "$S/last.err" || fail "no WARNING block"
grep -qxF "Offending ED25519 key in $S/kh_changed:1" "$S/last.err" || fail "no offending line"
openssh_says "${base[@]}" "${changed[@]}" -N "$user@127.0.0.1"
same_file "$S/openssh.err" "$S/last.err" "the changed-key messages differ from ssh's"
for mode in accept-new ask; do
  expect_status 255 "$SSH" "${base[@]}" -o UserKnownHostsFile="$S/kh_changed" \
    -o StrictHostKeyChecking=$mode -i "$S/id" -N "$user@127.0.0.1"
  grep -qx "Host key verification failed." "$S/last.err" || fail "changed key let through ($mode)"
  openssh_says "${base[@]}" -o UserKnownHostsFile="$S/kh_changed" -o StrictHostKeyChecking=$mode \
    -i "$S/id" -N "$user@127.0.0.1"
  same_file "$S/openssh.err" "$S/last.err" "the changed-key messages differ from ssh's ($mode)"
done

echo "== StrictHostKeyChecking ask, answered through SSH_ASKPASS"
: >"$ASKPASS_LOG"
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force ANSWER=no \
  expect_status 255 "$SSH" -p "$port" -o GlobalKnownHostsFile=/dev/null \
  -o UserKnownHostsFile="$S/kh_ask" -i "$S/id" -N "$user@127.0.0.1"
grep -q "Are you sure you want to continue connecting (yes/no/\[fingerprint\])? " "$ASKPASS_LOG" ||
  fail "no host key question"
[ ! -e "$S/kh_ask" ] || fail "a key refused by the user was written"
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force ANSWER=yes \
  start_client -p "$port" -o GlobalKnownHostsFile=/dev/null -o UserKnownHostsFile="$S/kh_ask" \
  -i "$S/id" -N "$user@127.0.0.1"
wait_for_line "$S/client.err" 100 "Permanently added '\\[127.0.0.1\\]:$port'" || fail "'yes' did not add the key"
stop_client TERM 0
ssh-keygen -F "$hostname" -f "$S/kh_ask" | grep -q "ssh-ed25519" || fail "'yes' wrote no entry"

echo "== BatchMode with an encrypted key: no prompt, refused"
: >"$ASKPASS_LOG"
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force ANSWER='secret words' \
  expect_status 255 "$SSH" "${base[@]}" "${strict[@]/$S\/id/$S/id_enc}" -N "$user@127.0.0.1"
grep -qxF "$user@127.0.0.1: Permission denied (publickey)." "$S/last.err" ||
  fail "no Permission denied line"
[ ! -s "$ASKPASS_LOG" ] || fail "BatchMode asked for a passphrase"

echo "== an encrypted key, its passphrase through SSH_ASKPASS"
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force ANSWER='secret words' \
  start_client -v -p "$port" -o GlobalKnownHostsFile=/dev/null -o UserKnownHostsFile="$kh" \
  -i "$S/id_enc" -N "$user@127.0.0.1"
wait_for_line "$S/client.err" 100 "^Authenticated to 127.0.0.1" ||
  { cat "$S/client.err" >&2; fail "the encrypted key did not log in"; }
stop_client TERM 0
grep -qxF "Enter passphrase for key '$S/id_enc': " "$ASKPASS_LOG" || fail "wrong passphrase prompt"
stop_sshd

echo "== password through SSH_ASKPASS against sshkit-server-probe"
"$BIN/sshkit-server-probe" -p 0 -h "$S/host" -w "$user:right pass" >"$S/probe.out" 2>"$S/probe.err" &
probe_pid=$!
wait_for_line "$S/probe.out" 50 "^port " || fail "the server probe did not start"
pport=$(sed -n 's/^port //p' "$S/probe.out")
pw=(-p "$pport" -o GlobalKnownHostsFile=/dev/null -o UserKnownHostsFile="$kh" -o StrictHostKeyChecking=accept-new
    -o PubkeyAuthentication=no)
: >"$ASKPASS_LOG"
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force ANSWER='right pass' \
  start_client -v "${pw[@]}" -N "$user@127.0.0.1"
wait_for_line "$S/client.err" 100 "^Authenticated to 127.0.0.1 (\[127.0.0.1\]:$pport) using \"password\".$" ||
  { cat "$S/client.err" >&2; fail "password did not log in"; }
grep -qxF "$user@127.0.0.1's password: " "$ASKPASS_LOG" || fail "wrong password prompt"

echo "== the server drops the connection: status 255"
kill "$probe_pid"
wait "$probe_pid" 2>/dev/null || true
probe_pid=
got=0
for _ in $(seq 100); do kill -0 "$client_pid" 2>/dev/null || break; sleep 0.1; done
wait "$client_pid" || got=$?
client_pid=
[ "$got" -eq 255 ] || { cat "$S/client.err" >&2; fail "a dropped connection exited $got"; }
grep -q "Connection closed by 127.0.0.1 port $pport" "$S/client.err" || fail "no 'Connection closed by'"

echo "== a wrong password: Permission denied, 255, NumberOfPasswordPrompts"
"$BIN/sshkit-server-probe" -p 0 -h "$S/host" -w "$user:right pass" >"$S/probe.out" 2>"$S/probe.err" &
probe_pid=$!
wait_for_line "$S/probe.out" 50 "^port " || fail "the server probe did not start"
pport=$(sed -n 's/^port //p' "$S/probe.out")
pw[1]=$pport
: >"$ASKPASS_LOG"
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force ANSWER='wrong pass' \
  expect_status 255 "$SSH" "${pw[@]}" -o NumberOfPasswordPrompts=2 -N "$user@127.0.0.1"
grep -qxF "$user@127.0.0.1: Permission denied (publickey,password)." "$S/last.err" ||
  { cat "$S/last.err" >&2; fail "no Permission denied line"; }
[ "$(grep -c "Permission denied, please try again." "$S/last.err")" -eq 1 ] || fail "no retry message"
[ "$(wc -l <"$ASKPASS_LOG")" -eq 2 ] || fail "NumberOfPasswordPrompts=2 not kept"
kill "$probe_pid"; wait "$probe_pid" 2>/dev/null || true; probe_pid=

echo "== connection refused and unknown names"
expect_status 255 "$SSH" -p "$pport" -N 127.0.0.1
grep -qxF "ssh: connect to host 127.0.0.1 port $pport: Connection refused" "$S/last.err" ||
  fail "no connection refused message"
expect_status 255 "$SSH" -N nosuchhost.invalid
grep -qxF "ssh: Could not resolve hostname nosuchhost.invalid: Name or service not known" \
  "$S/last.err" || fail "no resolve message"

echo "== the command line"
expect_status 255 "$SSH" -Z host
grep -qxF "unknown option -- Z" "$S/last.err" || fail "unknown option not named"
grep -q "^usage: sshkit-ssh" "$S/last.err" || fail "no usage"
expect_status 255 "$SSH" -o NoSuchOption=yes host
grep -qF "Bad configuration option: nosuchoption" "$S/last.err" || fail "unknown -o not named"
# Bad values: ssh's own message, word for word (the same parser rules).
for bad in "Port=0" "StrictHostKeyChecking=maybe" "ConnectTimeout=soon" "RekeyLimit=1Q" \
           "LogLevel=LOUD" "BatchMode=perhaps" "NumberOfPasswordPrompts=-1" \
           "Ciphers nosuch-cipher" "RequestTTY=sometimes" "Port 22 23" "Host x" "Compression=maybe"; do
  expect_status 255 "$SSH" -o "$bad" host
  openssh_says -o "$bad" host
  same_file "$S/openssh.err" "$S/last.err" "-o $bad: the message differs from ssh's"
done
# ssh takes any names here; sshkit-ssh refuses those it has no method for.
expect_status 255 "$SSH" -o PreferredAuthentications=magic host
grep -qF "PreferredAuthentications" "$S/last.err" || fail "a bad PreferredAuthentications is not named"
for flag in "-o ServerAliveInterval=5"; do
  # shellcheck disable=SC2086
  expect_status 255 "$SSH" $flag host
  grep -q "not supported yet: " "$S/last.err" || fail "$flag: no 'not supported yet'"
done
# -t, -T and RequestTTY are taken (commands and shells: ssh_exec.sh).
expect_status 255 "$SSH" -o "LogLevel QUIET" -o "Compression=no" -o "ForwardAgent no" -o RequestTTY=no \
  -t -T -p "$pport" 127.0.0.1 uname -a
! grep -q "not supported" "$S/last.err" || fail "-t, -T or RequestTTY refused: $(cat "$S/last.err")"
echo "ok"
