#!/usr/bin/env bash
# sshkit's agent client (sshkit/agent.h, through sshkit-agent-probe)
# against OpenSSH's ssh-agent, ssh-add and ssh-keygen:
#  - keys ssh-add adds (every type) are listed as `ssh-add -l` lists them,
#    and sign with every algorithm they have (RSA: rsa-sha2-256 and -512),
#    each signature verified with sshkit_key_verify;
#  - keys sshkit adds are listed by `ssh-add -l` and `ssh-add -L`;
#  - constraints: the agent's own log shows the lifetime and confirmation
#    sshkit asked for; a confirmed key signs only when the agent's askpass
#    says yes (it is asked each time);
#  - remove, remove-all, lock (wrong and right passphrases to unlock).
# The agent runs in debug mode (-d) in the scratch folder, stopped by PID.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
PROBE=$BIN/sshkit-agent-probe

agent_pid=
cleanup() {
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

# The agent asks $S/askpass before using a key added with confirmation:
# it records the question and answers what $S/answer holds.
printf '#!/bin/sh\necho "$1" >>%s/asked\ncat %s/answer\n' "$S" "$S" >"$S/askpass"
chmod +x "$S/askpass"
echo no >"$S/answer"

export SSH_AUTH_SOCK=$S/agent.sock
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force DISPLAY= \
  ssh-agent -d -a "$SSH_AUTH_SOCK" >"$S/agent.out" 2>"$S/agent.log" &
agent_pid=$!
for _ in $(seq 50); do [ -S "$SSH_AUTH_SOCK" ] && break; sleep 0.1; done
[ -S "$SSH_AUTH_SOCK" ] || fail "ssh-agent did not start: $(cat "$S/agent.log")"

# Whether ssh-add FLAG (-l or -L) lists PATTERN (read whole: no early
# exit of grep in a pipe under pipefail).
agent_lists() {
  ssh-add "$1" >"$S/listed" 2>&1 || true
  grep -q -- "$2" "$S/listed"
}
KEYS=(ed25519 ecdsa256 ecdsa384 ecdsa521 rsa)
for k in "${KEYS[@]}"; do
  case $k in
    ed25519) args=(-t ed25519) ;;
    ecdsa*) args=(-t ecdsa -b "${k#ecdsa}") ;;
    rsa) args=(-t rsa -b 3072) ;;
  esac
  ssh-keygen -q "${args[@]}" -N '' -C "key $k" -f "$S/$k"
done
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$S/stranger"

# ---- keys ssh-add added: listed and used by sshkit ----
"$PROBE" list >"$S/probe.l" && fail "an empty agent listed keys"
echo "The agent has no identities." >"$S/want.l"
same_file "$S/want.l" "$S/probe.l" "empty list"
for k in "${KEYS[@]}"; do ssh-add -q "$S/$k" 2>/dev/null; done
ssh-add -l >"$S/ssh-add.l"
"$PROBE" list >"$S/probe.l"
same_file "$S/ssh-add.l" "$S/probe.l" "sshkit's list differs from ssh-add -l"
[ "$(wc -l <"$S/probe.l")" -eq 5 ] || fail "five keys expected: $(cat "$S/probe.l")"
echo "ok: sshkit lists the keys ssh-add added, as ssh-add -l does"

"$PROBE" sign-all >"$S/signed" || fail "signing failed: $(cat "$S/signed")"
cat >"$S/want.signed" <<'WANT'
ssh-ed25519 ssh-ed25519 ok
ecdsa-sha2-nistp256 ecdsa-sha2-nistp256 ok
ecdsa-sha2-nistp384 ecdsa-sha2-nistp384 ok
ecdsa-sha2-nistp521 ecdsa-sha2-nistp521 ok
ssh-rsa default ok
ssh-rsa rsa-sha2-256 ok
ssh-rsa rsa-sha2-512 ok
WANT
same_file "$S/want.signed" "$S/signed" "signatures"
[ "$(grep -c "process_sign_request2: good signature" "$S/agent.log")" -eq 7 ] ||
  fail "the agent did not make the seven signatures: $(grep sign_request "$S/agent.log")"
out=$("$PROBE" sign "$S/stranger.pub" 2>/dev/null) && fail "a key the agent lacks signed"
[ "$out" = SSHKIT_E_REFUSED ] || fail "signing with a stranger: $out"
echo "ok: every key signs through the agent (RSA with SHA-256 and SHA-512), signatures verified"

# ---- keys sshkit adds: listed by ssh-add ----
ssh-add -D 2>/dev/null
for k in "${KEYS[@]}"; do "$PROBE" add "$S/$k" || fail "adding $k"; done
ssh-add -l >"$S/ssh-add.l"
for k in "${KEYS[@]}"; do ssh-keygen -l -f "$S/$k.pub"; done >"$S/want.l"
same_file "$S/want.l" "$S/ssh-add.l" "ssh-add -l after sshkit added the keys"
ssh-add -L >"$S/ssh-add.L"
for k in "${KEYS[@]}"; do cat "$S/$k.pub"; done >"$S/want.L"
same_file "$S/want.L" "$S/ssh-add.L" "ssh-add -L after sshkit added the keys"
"$PROBE" add "$S/ed25519" "renamed by sshkit"
agent_lists -l "renamed by sshkit (ED25519)" || fail "adding again did not replace the comment"
echo "ok: keys sshkit adds (every type) are listed by ssh-add -l and -L"

# ---- constraints ----
ssh-add -D 2>/dev/null
"$PROBE" add "$S/ecdsa256" "with a lifetime" 3600
grep -q '"with a lifetime" (life: 3600) (confirm: 0)' "$S/agent.log" ||
  fail "the agent did not record the lifetime: $(grep add_identity "$S/agent.log")"
agent_lists -L "with a lifetime" || fail "a key with a lifetime is not listed"
"$PROBE" add "$S/rsa" "to confirm" 0 confirm
grep -q '"to confirm" (life: 0) (confirm: 1)' "$S/agent.log" ||
  fail "the agent did not record the confirmation"
out=$("$PROBE" sign "$S/rsa.pub" 2>/dev/null) && fail "signed without confirmation"
[ "$out" = SSHKIT_E_REFUSED ] || fail "an unconfirmed signature: $out"
grep -q "Allow use of key to confirm?" "$S/asked" || fail "the agent did not ask: $(cat "$S/asked")"
echo yes >"$S/answer"
"$PROBE" sign "$S/rsa.pub" >/dev/null || fail "a confirmed signature was refused"
[ "$(grep -c "Allow use of key to confirm?" "$S/asked")" -eq 2 ] || fail "the agent asked once only"
"$PROBE" sign "$S/ecdsa256.pub" >/dev/null || fail "the key with a lifetime did not sign"
[ "$(grep -c "Allow use" "$S/asked")" -eq 2 ] || fail "the agent asked for a key without confirmation"
echo "ok: lifetime and confirmation as the agent records them; confirmation asked each time"

# ---- remove, lock, remove-all ----
"$PROBE" remove "$S/ecdsa256.pub"
agent_lists -l "with a lifetime" && fail "the removed key is still listed"
out=$("$PROBE" remove "$S/ecdsa256.pub" 2>/dev/null) && fail "removed a key twice"
[ "$out" = SSHKIT_E_REFUSED ] || fail "removing a missing key: $out"
"$PROBE" lock sesame
expect_status 1 ssh-add -l
grep -q "The agent has no identities." "$S/last.out" || fail "a locked agent listed keys"
out=$("$PROBE" sign "$S/rsa.pub" 2>/dev/null) && fail "a locked agent signed"
[ "$out" = SSHKIT_E_REFUSED ] || fail "signing with a locked agent: $out"
out=$("$PROBE" unlock wrong 2>/dev/null) && fail "unlocked with a wrong passphrase"
[ "$out" = SSHKIT_E_REFUSED ] || fail "a wrong passphrase: $out"
"$PROBE" unlock sesame
agent_lists -l "to confirm" || fail "the unlocked agent lost its key"
"$PROBE" remove-all
expect_status 1 ssh-add -l
grep -q "The agent has no identities." "$S/last.out" || fail "remove-all left keys"
echo "ok: remove, lock and unlock (wrong and right passphrases), remove-all"
