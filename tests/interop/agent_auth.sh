#!/usr/bin/env bash
# sshkit-ssh authenticating with ssh-agent's keys against OpenSSH's sshd:
#  - each key type, held only by the agent, logs in ($SSH_AUTH_SOCK, and
#    IdentityAgent as a path and as $VAR); IdentityAgent=none uses no agent;
#  - ssh's order: the agent's keys before identity files, an identity
#    file's key signed by the agent (no private file needed), IdentitiesOnly
#    keeping the agent's other keys out;
#  - an agent that refuses to sign (a confirmed key, the user says no):
#    ssh's message, and authentication goes on with the next key.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSH=$BIN/sshkit-ssh
user=$(id -un)
export HOME=$S/home        # no default identity file of the real user
mkdir -p "$HOME"
unset SSH_AUTH_SOCK DISPLAY SSH_ASKPASS SSH_ASKPASS_REQUIRE

agent_pid=
cleanup() {
  stop_sshd
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; wait "$agent_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

printf '#!/bin/sh\necho "$1" >>%s/asked\ncat %s/answer\n' "$S" "$S" >"$S/askpass"
chmod +x "$S/askpass"
echo no >"$S/answer"
sock=$S/agent.sock
SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force ssh-agent -D -a "$sock" >/dev/null 2>"$S/agent.log" &
agent_pid=$!
for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || fail "ssh-agent did not start: $(cat "$S/agent.log")"
export SSH_AUTH_SOCK=$sock

ssh-keygen -q -t ed25519 -N '' -f "$S/host"
KEYS=(ed25519 ecdsa256 ecdsa384 ecdsa521 rsa)
for k in "${KEYS[@]}"; do
  case $k in
    ed25519) args=(-t ed25519) ;;
    ecdsa*) args=(-t ecdsa -b "${k#ecdsa}") ;;
    rsa) args=(-t rsa -b 3072) ;;
  esac
  ssh-keygen -q "${args[@]}" -N '' -C "key $k" -f "$S/$k"
done
ssh-keygen -q -t ed25519 -N '' -C outsider -f "$S/outsider"   # not authorized
for k in "${KEYS[@]}"; do cat "$S/$k.pub"; done >"$S/authorized_keys"

start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
CONF
base=(-p "$sshd_port" -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no
      -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=DEBUG1)
sshk() { timeout 60 "$SSH" "${base[@]}" "$@"; }

# ---- every key type, held only by the agent ----
for k in "${KEYS[@]}"; do
  ssh-add -q -D 2>/dev/null
  ssh-add -q "$S/$k" 2>/dev/null
  out=$(sshk "$user@127.0.0.1" echo "in-with-$k" 2>"$S/err") || { cat "$S/err" >&2; fail "$k from the agent"; }
  [ "$out" = "in-with-$k" ] || fail "$k: the command said '$out'"
  grep -q "Offering public key: key $k .* agent" "$S/err" || fail "$k: not offered from the agent"
  grep -q "Authenticated to 127.0.0.1 .* using \"publickey\"" "$S/err" || fail "$k: not by publickey"
  fp=$(ssh-keygen -l -f "$S/$k.pub" | cut -d' ' -f2)
  grep -q "Accepted publickey for $user .*$fp" "$S/sshd.log" || fail "$k: sshd did not accept $fp"
done
echo "ok: every key type held by ssh-agent logs sshkit-ssh in"

# ---- which agent ----
expect_status 255 sshk -o IdentityAgent=none "$user@127.0.0.1" true
grep -q "Permission denied (publickey)" "$S/last.err" || fail "IdentityAgent=none still used the agent"
(unset SSH_AUTH_SOCK; expect_status 255 sshk "$user@127.0.0.1" true)
(unset SSH_AUTH_SOCK; expect_status 0 sshk -o IdentityAgent="$sock" "$user@127.0.0.1" true)
(unset SSH_AUTH_SOCK; export MY_AGENT=$sock
 expect_status 0 sshk -o "IdentityAgent=\$MY_AGENT" "$user@127.0.0.1" true)
expect_status 0 sshk -o IdentityAgent=SSH_AUTH_SOCK "$user@127.0.0.1" true
echo "ok: IdentityAgent none, a path, \$VAR and SSH_AUTH_SOCK"

# ---- ssh's order ----
ssh-add -q -D 2>/dev/null
ssh-add -q "$S/outsider" "$S/rsa" 2>/dev/null
expect_status 0 sshk -i "$S/ecdsa256" "$user@127.0.0.1" true
grep "Offering public key" "$S/last.err" >"$S/offered"
grep -q "^debug1: Offering public key: outsider ED25519 .* agent" "$S/offered" ||
  fail "the agent's first key was not offered first: $(cat "$S/offered")"
grep -q "Offering public key: key rsa RSA .* agent" "$S/offered" || fail "the agent's RSA key was not offered"
! grep -q ecdsa256 "$S/offered" || fail "the identity file was offered after the agent's key got in"
# An identity file the agent holds: signed by the agent, with no private file.
mkdir -p "$S/pubonly"
cp "$S/rsa.pub" "$S/pubonly/id.pub"
# (-i would drop it, as ssh does for a missing file; IdentityFile keeps it)
expect_status 0 sshk -o IdentitiesOnly=yes -o IdentityFile="$S/pubonly/id" "$user@127.0.0.1" true
grep "Offering public key" "$S/last.err" >"$S/offered"
[ "$(wc -l <"$S/offered")" -eq 1 ] || fail "IdentitiesOnly offered other keys: $(cat "$S/offered")"
grep -q "Offering public key: $S/pubonly/id RSA .* agent" "$S/offered" ||
  fail "the identity file was not signed by the agent: $(cat "$S/offered")"
# IdentitiesOnly with a file the agent lacks: the agent's keys stay out.
expect_status 0 sshk -o IdentitiesOnly=yes -i "$S/ecdsa384" "$user@127.0.0.1" true
! grep -q "agent$" "$S/last.err" || fail "IdentitiesOnly let the agent's keys in"
grep -q "Trying private key: $S/ecdsa384" "$S/last.err" || fail "the identity file was not tried"
echo "ok: ssh's order: the agent's keys first, identity files signed by the agent, IdentitiesOnly"

# ---- an agent that refuses to sign ----
ssh-add -q -D 2>/dev/null
ssh-add -q -c "$S/ed25519" 2>/dev/null
expect_status 0 sshk -i "$S/ecdsa521" "$user@127.0.0.1" true
grep -q "Allow use of key" "$S/asked" || fail "the agent did not ask to confirm"
grep -q "sign_and_send_pubkey: signing failed for ED25519 \"key ed25519\" from agent" "$S/last.err" ||
  fail "no message for the refused signature: $(cat "$S/last.err")"
grep -q "Trying private key: $S/ecdsa521" "$S/last.err" || fail "authentication did not go on"
echo yes >"$S/answer"
expect_status 0 sshk -o IdentitiesOnly=yes -i "$S/ed25519" "$user@127.0.0.1" true
grep -q "Offering public key: $S/ed25519 ED25519 .* agent" "$S/last.err" || fail "the confirmed key"
echo "ok: a refused signature is reported and the next key tried; a confirmed one logs in"

# ---- the high-level client (sshkit_client_connect): the agent's keys ----
ssh-add -q -D 2>/dev/null
ssh-add -q "$S/outsider" "$S/ecdsa384" 2>/dev/null
printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$S/host.pub")" >"$S/known_hosts"
probe() { timeout 60 "$BIN/sshkit-run-probe" -p "$sshd_port" -l "$user" -o "$S/known_hosts" "$@"; }
out=$(probe 127.0.0.1 'echo client-in' </dev/null 2>"$S/err") || { cat "$S/err" >&2; fail "client with the agent"; }
[ "$out" = client-in ] || fail "client with the agent said '$out'"
fp=$(ssh-keygen -l -f "$S/ecdsa384.pub" | cut -d' ' -f2)
[ "$(grep -c "Accepted publickey for $user .*$fp" "$S/sshd.log")" -ge 1 ] || fail "the client's agent key was not the one"
(unset SSH_AUTH_SOCK; expect_status 0 probe -a "$sock" 127.0.0.1 true)
expect_status 255 probe -a none 127.0.0.1 true
grep -q "Permission denied" "$S/last.err" || fail "identity_agent none: $(cat "$S/last.err")"
(unset SSH_AUTH_SOCK; expect_status 255 probe 127.0.0.1 true)
echo "ok: the high-level client logs in with the agent's keys (SSH_AUTH_SOCK, a path; none)"
