#!/usr/bin/env bash
# examples/demo_server (the seed's BBS) with OpenSSH's ssh as the visitor:
# robey/foo through SSH_ASKPASS, and robey's key; the board greets, asks a
# name, and judges it.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
server_pid=
agent_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; true' EXIT
unset SSH_AUTH_SOCK

ssh-keygen -q -t ed25519 -N '' -f "$S/robey"
"$BIN/demo_server" -p 0 -k "$S/robey.pub" >"$S/server.out" 2>&1 &
server_pid=$!
wait_for_line "$S/server.out" 50 "^Listening on" || fail "demo_server did not start"
port=$(sed -n 's/^Listening on 127.0.0.1 port \([0-9]*\);.*/\1/p' "$S/server.out")

printf '#!/bin/sh\necho foo\n' >"$S/askpass"
chmod 700 "$S/askpass"
visit() {
  printf 'Alice\n' | timeout 30 ssh -tt -p "$port" -o StrictHostKeyChecking=no \
    -o UserKnownHostsFile=/dev/null "$@" robey@127.0.0.1 >"$S/visit.out" 2>"$S/visit.err" || true
  grep -q "Welcome to the sshkit bulletin board" "$S/visit.out" || { cat "$S/visit.err" >&2; fail "no greeting ($*)"; }
  grep -q "I don't like you, Alice." "$S/visit.out" || fail "no judgement ($*)"
}
SSH_ASKPASS="$S/askpass" SSH_ASKPASS_REQUIRE=force \
  visit -o PreferredAuthentications=password -o PubkeyAuthentication=no
visit -o PreferredAuthentications=publickey -o BatchMode=yes -i "$S/robey"
# examples/demo_simple visits too (password on standard input, the host key
# added to a known_hosts file under a scratch HOME).
mkdir -p "$S/home"
printf 'foo\nAlice\n' | HOME="$S/home" timeout 30 "$BIN/demo_simple" -p "$port" robey@127.0.0.1 \
  >"$S/simple.out" 2>"$S/simple.err" || { cat "$S/simple.err" >&2; fail "demo_simple failed"; }
grep -q "I don't like you, Alice." "$S/simple.out" || fail "demo_simple: no judgement"
grep -q "127.0.0.1" "$S/home/.ssh/known_hosts" || fail "demo_simple did not record the host key"

# examples/demo (the long form, on the session API): password, then a key.
printf 'foo\nAlice\n' | HOME="$S/home" timeout 30 "$BIN/demo" -p "$port" robey@127.0.0.1 \
  >"$S/demo.out" 2>"$S/demo.err" || { cat "$S/demo.err" >&2; fail "demo failed"; }
grep -q "I don't like you, Alice." "$S/demo.out" || fail "demo: no judgement"
printf 'Alice\n' | HOME="$S/home" timeout 30 "$BIN/demo" -p "$port" -i "$S/robey" robey@127.0.0.1 \
  >"$S/demo.out" 2>"$S/demo.err" || { cat "$S/demo.err" >&2; fail "demo with a key failed"; }
grep -q "I don't like you, Alice." "$S/demo.out" || fail "demo with a key: no judgement"

# examples/demo with ssh-agent holding robey's key: no password asked.
ssh-keygen -q -t ecdsa -N '' -f "$S/stranger"
ssh-agent -D -a "$S/agent.sock" >/dev/null 2>&1 &
agent_pid=$!
for _ in $(seq 50); do [ -S "$S/agent.sock" ] && break; sleep 0.1; done
SSH_AUTH_SOCK=$S/agent.sock ssh-add -q "$S/stranger" "$S/robey" 2>/dev/null || fail "ssh-add"
printf 'Alice\n' | SSH_AUTH_SOCK=$S/agent.sock HOME="$S/home" timeout 30 "$BIN/demo" -p "$port" \
  robey@127.0.0.1 >"$S/demo.out" 2>"$S/demo.err" || { cat "$S/demo.err" >&2; fail "demo with the agent failed"; }
grep -q "I don't like you, Alice." "$S/demo.out" || fail "demo with the agent: no judgement"
[ "$(grep -c "^Trying ssh-agent key SHA256:" "$S/demo.err")" -eq 2 ] || fail "demo did not try both agent keys"
grep -q "^\.\.\. nope\.$" "$S/demo.err" && grep -q "^\.\.\. success!" "$S/demo.err" ||
  fail "demo: the stranger refused, then robey's key: $(cat "$S/demo.err")"
! grep -q "Password" "$S/demo.err" || fail "demo asked for a password with the agent's key working"
kill "$agent_pid"
wait "$agent_pid" 2>/dev/null || true
agent_pid=

# The wrong password is refused.
printf '#!/bin/sh\necho bar\n' >"$S/askpass"
if SSH_ASKPASS="$S/askpass" SSH_ASKPASS_REQUIRE=force timeout 30 ssh -p "$port" \
     -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o NumberOfPasswordPrompts=1 \
     -o PreferredAuthentications=password robey@127.0.0.1 true </dev/null 2>"$S/visit.err"; then
  fail "a wrong password got in"
fi
grep -q "Permission denied" "$S/visit.err" || fail "no Permission denied"
echo "demo_server interop: all checks passed"
