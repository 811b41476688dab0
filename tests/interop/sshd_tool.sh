#!/usr/bin/env bash
# sshkit-sshd against OpenSSH's ssh: publickey (AuthorizedKeysFile with %h
# and %u), password and keyboard-interactive (PasswordFile, answers through
# SSH_ASKPASS), refusals (wrong password, another user, AllowUsers, from=,
# MaxAuthTries), Banner, LoginGraceTime, -t, daemon mode and PidFile, and
# several clients served by one process with no child processes.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSHD=$BIN/sshkit-sshd
me=$(id -un)

"$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/host_ed25519" </dev/null
"$BIN/sshkit-keygen" -q -t ecdsa -N '' -f "$S/host_ecdsa" </dev/null
"$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/id_ed25519" </dev/null
"$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/id_from" </dev/null
mkdir -p "$S/keys"
{ cat "$S/id_ed25519.pub"; printf 'from="10.0.0.0/8,!127.0.0.1" '; cat "$S/id_from.pub"; } \
  >"$S/keys/$me.authorized"
printf '# sshkit-sshd PasswordFile\nsomeone:%s\n%s:%s\n' "$(openssl passwd -6 other)" "$me" \
  "$(openssl passwd -6 'right horse')" >"$S/passwd"
printf 'Welcome to the sshkit test server\n' >"$S/banner"
printf '#!/bin/sh\necho "right horse"\n' >"$S/askpass_right"
printf '#!/bin/sh\necho "wrong horse"\n' >"$S/askpass_wrong"
chmod 700 "$S/askpass_right" "$S/askpass_wrong"

# The base configuration; the port is added by start_server.
cat >"$S/base_config" <<CFG
# sshkit-sshd test configuration
ListenAddress 127.0.0.1
HostKey $S/host_ed25519
HostKey=$S/host_ecdsa
AuthorizedKeysFile %h/keys/%u.authorized .ssh/none_such
PasswordFile $S/passwd
PasswordAuthentication yes
KbdInteractiveAuthentication yes
Banner $S/banner
MaxAuthTries 3
LoginGraceTime 2s
LogLevel VERBOSE
MaxStartups 10:30:60
Subsystem sftp internal-sftp
PidFile $S/sshd.pid
CFG

srv_pid=
cleanup() {
  for p in ${client_pids:-}; do kill "$p" 2>/dev/null || true; done
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
  if [ -f "$S/daemon.pid" ]; then kill "$(cat "$S/daemon.pid")" 2>/dev/null || true; fi
}
trap cleanup EXIT

# Starts sshkit-sshd -D -e on a free port with extra flags; HOME is the
# scratch directory (for %h). Sets srv_pid and port; the log is $S/server.log.
start_server() {
  local _try
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    { cat "$S/base_config"; echo "Port $port"; } >"$S/config"
    : >"$S/server.log"
    HOME=$S "$SSHD" -D -e -f "$S/config" "$@" 2>>"$S/server.log" &
    srv_pid=$!
    for _ in $(seq 50); do
      grep -q "Server listening on 127.0.0.1 port $port" "$S/server.log" && return 0
      kill -0 "$srv_pid" 2>/dev/null || break
      sleep 0.1
    done
    stop_server
  done
  fail "sshkit-sshd did not start: $(cat "$S/server.log")"
}

stop_server() {
  if [ -n "$srv_pid" ]; then
    kill "$srv_pid" 2>/dev/null || true
    local rc=0
    wait "$srv_pid" 2>/dev/null || rc=$?
    srv_pid=
    return $rc
  fi
}

ssh_base=(-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=VERBOSE)

# Runs ssh -v -N $@ in the background until it authenticates (0), gives up
# (1) or 15 s pass (1); leaves the log in $S/ssh.log and kills ssh by PID.
ssh_auth() {
  local log=$S/ssh.log rc=1
  # Emptied here, not by the child's redirection: the loop below could
  # otherwise read the previous attempt's "Authenticated to" first.
  : >"$log"
  ssh -v -N -p "$port" "${ssh_base[@]}" "$@" </dev/null 2>>"$log" &
  local pid=$!
  for _ in $(seq 150); do
    if grep -q "Authenticated to" "$log"; then rc=0; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return $rc
}

key=(-o BatchMode=yes -o PreferredAuthentications=publickey -o IdentitiesOnly=yes)
password() {  # password|keyboard-interactive, askpass, user
  SSH_ASKPASS=$S/$2 SSH_ASKPASS_REQUIRE=force ssh_auth -o PreferredAuthentications="$1" \
    -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=5 "$3@127.0.0.1"
}

# ---- -t: configuration tests ----
{ cat "$S/base_config"; echo "Port 22"; } >"$S/good_config"
expect_status 0 "$SSHD" -t -f "$S/good_config"
{ cat "$S/base_config"; echo "Bogus yes"; } >"$S/bad_config"
expect_status 255 "$SSHD" -t -f "$S/bad_config"
grep -q "bad_config: line 16: Bad configuration option: Bogus" "$S/last.err" ||
  fail "-t did not name the bad keyword and line: $(cat "$S/last.err")"
grep -q "terminating, 1 bad configuration options" "$S/last.err" || fail "no sshd-style summary"
{ cat "$S/base_config"; echo "Match User nobody"; } >"$S/match_config"
expect_status 255 "$SSHD" -t -f "$S/match_config"
grep -q "line 16: Match is not supported" "$S/last.err" || fail "Match not refused by line"
{ cat "$S/base_config"; echo "Ciphers aes128-cbc-nonesuch"; } >"$S/cipher_config"
expect_status 255 "$SSHD" -t -f "$S/cipher_config"
grep -q "Bad SSH2 cipher spec" "$S/last.err" || fail "a bad cipher was not refused"
expect_status 255 "$SSHD" -t -f "$S/good_config" -o NoSuchOption=1
grep -q "NoSuchOption" "$S/last.err" || fail "-o did not name the bad option"
expect_status 1 "$SSHD" -t -f "$S/good_config" -x
grep -q -- "-- x" "$S/last.err" || fail "an unknown flag was not named"
printf 'Port 22\nHostKey %s/none_such_key\n' "$S" >"$S/nokey_config"
expect_status 1 "$SSHD" -t -f "$S/nokey_config"
grep -q "no hostkeys available -- exiting." "$S/last.err" || fail "no 'no hostkeys' message"
echo "ok: -t"

# ---- one server, many ways in ----
start_server
ssh_auth "${key[@]}" -i "$S/id_ed25519" "$me@127.0.0.1" || fail "publickey: $(cat "$S/ssh.log")"
grep -q "Welcome to the sshkit test server" "$S/ssh.log" || fail "ssh did not show the banner"
wait_for_line "$S/server.log" 30 "Accepted publickey for $me from 127.0.0.1 port [0-9]* ssh2: ED25519 SHA256:" ||
  fail "no 'Accepted publickey' line: $(cat "$S/server.log")"
echo "ok: publickey, banner"

! ssh_auth "${key[@]}" -i "$S/id_from" "$me@127.0.0.1" || fail "from= did not refuse the key"
grep -q 'refused by from=' "$S/server.log" || fail "no from= log line"
echo "ok: from= refuses"

password password askpass_right "$me" || fail "password: $(cat "$S/ssh.log")"
grep -q "Accepted password for $me from 127.0.0.1" "$S/server.log" || fail "no 'Accepted password'"
password keyboard-interactive askpass_right "$me" || fail "kbdint: $(cat "$S/ssh.log")"
grep -q "Accepted keyboard-interactive for $me" "$S/server.log" || fail "no kbdint line"
echo "ok: password, keyboard-interactive"

! password password askpass_wrong "$me" || fail "a wrong password got in"
grep -q "Too many authentication failures" "$S/ssh.log" || fail "MaxAuthTries 3 did not end it: $(cat "$S/ssh.log")"
[ "$(grep -c "Failed password for $me from" "$S/server.log")" -eq 3 ] || fail "not 3 failures logged"
grep -q "maximum authentication attempts exceeded" "$S/server.log" || fail "no MaxAuthTries line"
! password password askpass_right someone || fail "another user got in with its password"
grep -q "Invalid user someone from 127.0.0.1" "$S/server.log" || fail "no 'Invalid user' line"
echo "ok: wrong password, MaxAuthTries, other users"

# LoginGraceTime 2s: a client that only sends its version line is dropped.
start=$SECONDS
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'SSH-2.0-GraceTest\r\n' >&3
got=0
timeout 8 cat <&3 >/dev/null || got=$?
exec 3<&-
[ "$got" -eq 0 ] || fail "the server did not close an idle unauthenticated connection"
[ $((SECONDS - start)) -ge 1 ] || fail "closed before LoginGraceTime"
wait_for_line "$S/server.log" 30 "Timeout before authentication for 127.0.0.1" || fail "no timeout line"
echo "ok: LoginGraceTime"

# Several clients at once, all served by the one process (no children).
client_pids=
for i in 1 2 3 4; do
  ssh -v -N -p "$port" "${ssh_base[@]}" "${key[@]}" -i "$S/id_ed25519" "$me@127.0.0.1" \
    </dev/null 2>"$S/multi$i.log" &
  client_pids="$client_pids $!"
done
for i in 1 2 3 4; do
  wait_for_line "$S/multi$i.log" 150 "Authenticated to" || fail "client $i: $(cat "$S/multi$i.log")"
done
children=$({ ps -o pid= --ppid "$srv_pid" || true; } | wc -l)   # ps fails when none
[ "$children" -eq 0 ] || fail "sshkit-sshd has $children child processes"
for p in $client_pids; do kill "$p"; wait "$p" 2>/dev/null || true; done
client_pids=
echo "ok: 4 clients, one process"

stop_server || fail "sshkit-sshd did not exit 0 on SIGTERM"
grep -q "Received signal 15; terminating." "$S/server.log" || fail "no clean stop"
[ ! -e "$S/sshd.pid" ] || fail "PidFile left behind"

# AllowUsers through -o (the command line wins over the file).
start_server -o "AllowUsers nobody-else $me@10.*"
! ssh_auth "${key[@]}" -i "$S/id_ed25519" "$me@127.0.0.1" || fail "AllowUsers let $me in"
grep -q "User $me from 127.0.0.1 not allowed because not listed in AllowUsers" "$S/server.log" ||
  fail "no AllowUsers line: $(cat "$S/server.log")"
stop_server
start_server -o "AllowUsers nobody-else $me@127.0.0.*"
ssh_auth "${key[@]}" -i "$S/id_ed25519" "$me@127.0.0.1" || fail "AllowUsers user@addr refused"
stop_server
echo "ok: AllowUsers"

# MaxStartups 1: a second unauthenticated connection is dropped at once.
start_server -o "MaxStartups 1"
exec 3<>"/dev/tcp/127.0.0.1/$port"
wait_for_line "$S/server.log" 30 "Connection from 127.0.0.1" || fail "no first connection"
exec 4<>"/dev/tcp/127.0.0.1/$port"
got=0
timeout 5 cat <&4 >"$S/dropped.out" || got=$?
exec 3<&- 4<&-
{ [ "$got" -eq 0 ] && [ ! -s "$S/dropped.out" ]; } || fail "MaxStartups 1 did not drop the second connection"
grep -q "past MaxStartups" "$S/server.log" || fail "no MaxStartups line"
stop_server
echo "ok: MaxStartups"

# Without -D: daemonizes, writes its PidFile, stops on SIGTERM.
{ cat "$S/base_config"; echo "Port $((20000 + RANDOM % 20000))"; echo "PidFile $S/daemon.pid"; } \
  >"$S/daemon_config"
sed -i "/^PidFile $(printf '%s' "$S" | sed 's/[\/&]/\\&/g')\/sshd.pid/d" "$S/daemon_config"
HOME=$S "$SSHD" -f "$S/daemon_config" || fail "daemon start failed"
for _ in $(seq 50); do [ -s "$S/daemon.pid" ] && break; sleep 0.1; done
dpid=$(cat "$S/daemon.pid")
kill -0 "$dpid" || fail "the daemon is not running"
kill "$dpid"
for _ in $(seq 50); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$dpid" 2>/dev/null || fail "the daemon did not stop"
echo "ok: daemon, PidFile"
echo "PASS"
