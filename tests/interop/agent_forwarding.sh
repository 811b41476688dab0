#!/usr/bin/env bash
# Agent forwarding (auth-agent-req@openssh.com, auth-agent@openssh.com)
# both ways against OpenSSH:
#  - ssh -A to sshkit-sshd: ssh-add -l in the session lists the local
#    agent's keys; the socket sits in a private directory (0700, socket
#    0600) that goes with the connection; keys sign through it (ssh-add -T),
#    a key added from the session lands in the local agent, 20 programs use
#    it at once, and sshkit-ssh inside the session logs in to sshd with it;
#  - sshkit-ssh -A to OpenSSH's sshd (AllowAgentForwarding yes): the same
#    list and signatures; and sshkit-ssh -A to sshkit-sshd;
#  - refusals: no -A, AllowAgentForwarding no, the key's no-agent-forwarding
#    and restrict (and restrict,agent-forwarding allowing it again).
# Remote commands are single-quoted on purpose: they expand on the server.
# shellcheck disable=SC2016
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSH=$BIN/sshkit-ssh
me=$(id -un)
unset DISPLAY SSH_ASKPASS SSH_ASKPASS_REQUIRE

agent_pid=
srv_pid=
cleanup() {
  stop_sshd
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

export SSH_AUTH_SOCK=$S/agent.sock
ssh-agent -D -a "$SSH_AUTH_SOCK" >/dev/null 2>"$S/agent.log" &
agent_pid=$!
for _ in $(seq 50); do [ -S "$SSH_AUTH_SOCK" ] && break; sleep 0.1; done
[ -S "$SSH_AUTH_SOCK" ] || fail "ssh-agent did not start: $(cat "$S/agent.log")"

# Whether ssh-add FLAG (-l or -L) lists PATTERN (read whole: no early
# exit of grep in a pipe under pipefail).
agent_lists() {
  ssh-add "$1" >"$S/listed" 2>&1 || true
  grep -q -- "$2" "$S/listed"
}
ssh-keygen -q -t ed25519 -N '' -f "$S/host"
ssh-keygen -q -t ed25519 -N '' -C "login key" -f "$S/login"
ssh-keygen -q -t ecdsa -b 384 -N '' -C "second key" -f "$S/second"
ssh-keygen -q -t rsa -b 3072 -N '' -C "added remotely" -f "$S/remote_rsa"
for opt in no-agent-forwarding restrict restrict,agent-forwarding; do
  ssh-keygen -q -t ed25519 -N '' -C "$opt" -f "$S/key_$opt"
done
ssh-add -q "$S/login" "$S/second" 2>/dev/null
ssh-add -l >"$S/local.l"

mkdir -p "$S/keys"
{
  cat "$S/login.pub"
  for opt in no-agent-forwarding restrict restrict,agent-forwarding; do
    printf '%s ' "$opt"; cat "$S/key_$opt.pub"
  done
} >"$S/keys/$me.authorized"
cp "$S/keys/$me.authorized" "$S/authorized_keys"

# OpenSSH's sshd, for sshkit-ssh -A and for the hop from inside a session.
start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowAgentForwarding yes
CONF


opts=(-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o GlobalKnownHostsFile=/dev/null
      -o BatchMode=yes -o LogLevel=ERROR)
sshc() { timeout 60 ssh "${opts[@]}" -o IdentitiesOnly=yes -i "${key:-$S/login}" -p "$port" "$@" </dev/null; }
sshk() { timeout 60 "$SSH" "${opts[@]}" -o IdentitiesOnly=yes -i "${key:-$S/login}" "$@" </dev/null; }

# What a session sees of the forwarded agent: the list, then signatures.
check_forwarded() {  # NAME OUTPUT-FILE
  local name=$1 out=$2
  head -n 2 "$out" >"$S/remote.l"
  same_file "$S/local.l" "$S/remote.l" "$name: the forwarded agent's list"
  grep -q "^sign ok$" "$out" || fail "$name: no signature through the forwarded agent: $(cat "$out")"
}
remote_checks='ssh-add -l; ssh-add -T '"$S"'/login.pub '"$S"'/second.pub && echo sign ok'

# ---- ssh -A to sshkit-sshd ----
start_sshkit_sshd "$S/host"
sshc -A 127.0.0.1 "$remote_checks"' ; echo "sock=$SSH_AUTH_SOCK"; stat -c "%a %U" "$SSH_AUTH_SOCK" "$(dirname "$SSH_AUTH_SOCK")"' \
  >"$S/out" 2>"$S/err" || fail "ssh -A: $(cat "$S/err" "$S/out")"
check_forwarded "ssh -A to sshkit-sshd" "$S/out"
sock=$(sed -n 's/^sock=//p' "$S/out")
case $sock in /tmp/ssh-*/agent.*) ;; *) fail "the socket is at '$sock'" ;; esac
[ "$(sed -n 5p "$S/out")" = "600 $me" ] || fail "socket mode: $(sed -n 5p "$S/out")"
[ "$(sed -n 6p "$S/out")" = "700 $me" ] || fail "directory mode: $(sed -n 6p "$S/out")"
for _ in $(seq 50); do [ -e "$(dirname "$sock")" ] || break; sleep 0.1; done
[ ! -e "$(dirname "$sock")" ] || fail "the agent's directory outlived the connection"
echo "ok: ssh -A to sshkit-sshd: ssh-add -l and -T in the session; 0700/0600; removed at the end"

sshc -A 127.0.0.1 'ssh-add -q '"$S"'/remote_rsa && echo added' >"$S/out" 2>&1 || fail "remote ssh-add: $(cat "$S/out")"
agent_lists -l "added remotely (RSA)" || fail "the key added through the forwarded agent is missing"
ssh-add -q -d "$S/remote_rsa.pub" 2>/dev/null
sshc -A 127.0.0.1 'for i in $(seq 20); do ssh-add -l >/dev/null & done; fails=0; for j in $(jobs -p); do wait $j || fails=$((fails+1)); done; echo "fails=$fails"' \
  >"$S/out" 2>&1 || true
grep -qx "fails=0" "$S/out" || fail "20 programs at once through the forwarded agent: $(cat "$S/out")"
sshc -A 127.0.0.1 "timeout 30 $SSH ${opts[*]} -p $sshd_port 127.0.0.1 echo hop-ok" \
  >"$S/out" 2>&1 || fail "the hop to sshd with the forwarded agent: $(cat "$S/out")"
grep -qx "hop-ok" "$S/out" || fail "the hop said: $(cat "$S/out")"
echo "ok: a key added from the session, 20 agent clients at once, sshkit-ssh logging in from the session"

# ---- refusals ----
out=$(sshc 127.0.0.1 'echo "sock=${SSH_AUTH_SOCK:-none}"')
[ "$out" = "sock=none" ] || fail "without -A the session got $out"
for opt in no-agent-forwarding restrict; do
  out=$(key=$S/key_$opt sshc -A 127.0.0.1 'echo "sock=${SSH_AUTH_SOCK:-none}"')
  [ "$out" = "sock=none" ] || fail "a $opt key got $out"
done
out=$(key=$S/key_restrict,agent-forwarding sshc -A 127.0.0.1 'ssh-add -l | head -n 1')
[ "$out" = "$(head -n 1 "$S/local.l")" ] || fail "restrict,agent-forwarding: $out"
stop_sshkit_sshd
start_sshkit_sshd "$S/host" -o AllowAgentForwarding=no
out=$(sshc -A 127.0.0.1 'echo "sock=${SSH_AUTH_SOCK:-none}"')
[ "$out" = "sock=none" ] || fail "AllowAgentForwarding no gave $out"
grep -q "agent forwarding refused" "$S/server.log" || fail "no log line for the refusal"
stop_sshkit_sshd
echo "ok: no -A, no-agent-forwarding, restrict, AllowAgentForwarding no: no agent; restrict,agent-forwarding: agent"

# ---- sshkit-ssh -A to OpenSSH's sshd, and to sshkit-sshd ----
sshk -A -p "$sshd_port" 127.0.0.1 "$remote_checks" >"$S/out" 2>"$S/err" ||
  fail "sshkit-ssh -A to sshd: $(cat "$S/err" "$S/out")"
check_forwarded "sshkit-ssh -A to sshd" "$S/out"
out=$(sshk -p "$sshd_port" 127.0.0.1 'echo "sock=${SSH_AUTH_SOCK:-none}"')
[ "$out" = "sock=none" ] || fail "sshkit-ssh without -A gave sshd's session $out"
out=$(sshk -o ForwardAgent=yes -p "$sshd_port" 127.0.0.1 'ssh-add -l | head -n 1')
[ "$out" = "$(head -n 1 "$S/local.l")" ] || fail "ForwardAgent=yes: $out"
echo "ok: sshkit-ssh -A to OpenSSH's sshd"
start_sshkit_sshd "$S/host"
sshk -A -p "$port" 127.0.0.1 "$remote_checks" >"$S/out" 2>"$S/err" ||
  fail "sshkit-ssh -A to sshkit-sshd: $(cat "$S/err" "$S/out")"
check_forwarded "sshkit-ssh -A to sshkit-sshd" "$S/out"
sshk -A -p "$port" 127.0.0.1 'for i in $(seq 20); do ssh-add -l >/dev/null & done; fails=0; for j in $(jobs -p); do wait $j || fails=$((fails+1)); done; echo "fails=$fails"' \
  >"$S/out" 2>&1 || true
grep -qx "fails=0" "$S/out" || fail "20 agent clients, sshkit to sshkit: $(cat "$S/out")"
stop_sshkit_sshd
echo "ok: sshkit-ssh -A to sshkit-sshd"

# ---- a server that opens agent channels on its own (sshkit-agentfwd-probe) ----
probe_run() {  # COUNT CLIENT ARGS...: the probe's summary in $S/probe.out
  local count=$1
  shift
  : >"$S/probe.out"       # emptied before the probe starts: the wait below must not see the last run's port
  "$BIN/sshkit-agentfwd-probe" -h "$S/host" -n "$count" >>"$S/probe.out" 2>"$S/probe.err" &
  local probe=$!
  wait_for_line "$S/probe.out" 50 "^port " || fail "the probe did not start"
  local pport
  pport=$(sed -n 's/^port //p' "$S/probe.out")
  timeout 60 "$@" "${opts[@]}" -i "$S/login" -p "$pport" 127.0.0.1 true </dev/null 2>"$S/client.err" ||
    fail "$*: $(cat "$S/client.err")"
  wait "$probe" || fail "the probe failed: $(cat "$S/probe.out" "$S/probe.err")"
  sed -n 's/^agent-req=/agent-req=/p' "$S/probe.out"
}
got=$(probe_run 3 "$SSH")
[ "$got" = "agent-req=0 opened=0 failed=3 reasons=1,1,1 listed=0 keys=0" ] ||
  fail "unasked agent channels: $got"
grep -v "^Warning: Permanently added" "$S/client.err" | tr -d '\r' >"$S/sshkit.warn"
probe_run 3 ssh >/dev/null
grep -v "^Warning: Permanently added" "$S/client.err" | tr -d '\r' >"$S/ssh.warn"
same_file "$S/ssh.warn" "$S/sshkit.warn" "the warnings for unasked agent channels differ from ssh's"
[ "$(grep -c "Warning: ssh server tried agent forwarding." "$S/sshkit.warn")" -eq 3 ] ||
  fail "no warning for each unasked channel: $(cat "$S/sshkit.warn")"
got=$(probe_run 100 "$SSH" -A)
read -r req opened failed _ listed keys <<<"$(tr '=' ' ' <<<"$got" | awk '{print $2, $4, $6, $8, $10, $12}')"
[ "$req" = 1 ] && [ "$((opened + failed))" = 100 ] && [ "$failed" -gt 0 ] && [ "$listed" = "$opened" ] &&
  [ "$keys" = 2 ] || fail "100 agent channels at once: $got"
echo "ok: unasked agent channels refused with ssh's warnings; 100 at once: $opened served, the rest refused"
