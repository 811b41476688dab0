#!/usr/bin/env bash
# sshkit_hostkey_verifier (through sshkit-client-probe's -o
# StrictHostKeyChecking / UserKnownHostsFile / HashKnownHosts) against sshd,
# side by side with OpenSSH's ssh on the same files:
#  - an unknown host under StrictHostKeyChecking=yes: refused, same message;
#  - accept-new: connects, writes a line (plain and hashed) that
#    ssh-keygen -F finds and ssh -o StrictHostKeyChecking=yes accepts, with
#    ssh's "Permanently added" message; the next connection finds it;
#  - no: connects, writes nothing;
#  - a changed key (the line's key replaced by another ed25519 key): refused
#    by both, under yes and accept-new with the very same text, and under
#    no with ssh's WARNING block.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
user=$(id -un)
trap stop_sshd EXIT

ssh-keygen -q -t ed25519 -N '' -f "$S/host"
ssh-keygen -q -t ed25519 -N '' -f "$S/other"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
CONF
port=$sshd_port
name="[127.0.0.1]:$port"

# Runs the probe; its stderr (the verifier's message) goes to $S/$1.err.
probe() {
  local out=$1 want=$2
  shift 2
  local got=0
  "$BIN/sshkit-client-probe" -p "$port" -l "$user" -i "$S/id" "$@" 127.0.0.1 \
    >"$S/$out.out" 2>"$S/$out.err" </dev/null || got=$?
  if [ "$got" -ne "$want" ]; then
    cat "$S/$out.out" "$S/$out.err" >&2
    fail "sshkit-client-probe $* exited $got, expected $want"
  fi
}
# Runs ssh; its stderr, without the "\r" ssh puts before each "\n", goes to $S/$1.err.
ssh_run() {
  local out=$1 want=$2
  shift 2
  local got=0
  ssh -p "$port" -i "$S/id" -o BatchMode=yes -o GlobalKnownHostsFile=/dev/null \
    -o LogLevel=INFO "$@" "$user@127.0.0.1" true </dev/null 2>"$S/$out.raw" || got=$?
  tr -d '\r' <"$S/$out.raw" >"$S/$out.err"
  if [ "$got" -ne "$want" ]; then
    cat "$S/$out.err" >&2
    fail "ssh $* exited $got, expected $want"
  fi
}

# ---- unknown host, strict ----
probe strict 1 -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$S/kh_strict"
grep -q "SSHKIT_E_HOST_KEY_REJECTED" "$S/strict.out" || fail "no host key rejection"
ssh_run ssh_strict 255 -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$S/kh_strict"
same_file "$S/ssh_strict.err" "$S/strict.err" "unknown host: sshkit's message differs from ssh's"
[ ! -e "$S/kh_strict" ] || fail "a refused key was written"

# ---- accept-new, plain and hashed ----
for hash in no yes; do
  kh=$S/kh_new_$hash
  probe new_$hash 0 -o StrictHostKeyChecking=accept-new -o UserKnownHostsFile="$kh" \
    -o HashKnownHosts=$hash
  grep -q "^authenticated as $user" "$S/new_$hash.out" || fail "accept-new: not authenticated"
  ssh_run ssh_new_$hash 0 -o StrictHostKeyChecking=accept-new \
    -o UserKnownHostsFile="$S/ssh_kh_new_$hash" -o HashKnownHosts=$hash
  same_file "$S/ssh_new_$hash.err" "$S/new_$hash.err" "accept-new: message differs from ssh's"
  [ "$(wc -l <"$kh")" -eq 1 ] || fail "accept-new wrote $(wc -l <"$kh") lines"
  if [ $hash = yes ]; then
    grep -q '^|1|' "$kh" || fail "the line is not hashed"
  else
    grep -qF "$name ssh-ed25519 " "$kh" || fail "the plain line does not name $name"
  fi
  # The same key part as ssh writes.
  [ "$(cut -d' ' -f2- "$kh")" = "$(cut -d' ' -f2- "$S/ssh_kh_new_$hash")" ] \
    || fail "sshkit's line differs from ssh's: $(cat "$kh") / $(cat "$S/ssh_kh_new_$hash")"
  ssh-keygen -F "$name" -f "$kh" >"$S/found" || fail "ssh-keygen -F does not find $name"
  grep -qF "# Host $name found: line 1" "$S/found" || fail "ssh-keygen -F: $(cat "$S/found")"
  ssh_run ssh_ok_$hash 0 -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$kh"
  # The next sshkit connection finds it, says nothing and writes nothing.
  cp "$kh" "$S/before"
  probe again_$hash 0 -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$kh"
  grep -q "^host key ED25519 SHA256:.*: known$" "$S/again_$hash.out" || fail "not known the second time"
  [ ! -s "$S/again_$hash.err" ] || fail "a known key gave a message: $(cat "$S/again_$hash.err")"
  same_file "$S/before" "$kh" "a known key changed the file"
done

# ---- no: connects, writes nothing ----
probe warn 0 -o StrictHostKeyChecking=no -o UserKnownHostsFile="$S/kh_warn"
[ ! -e "$S/kh_warn" ] || fail "StrictHostKeyChecking=no wrote the key"
grep -q "^Warning: No ED25519 host key is known for \[127.0.0.1\]:$port" "$S/warn.err" \
  || fail "no warning: $(cat "$S/warn.err")"

# ---- a changed key ----
# A comment first, so the offending line is 2; the key replaced by another.
{ echo "# changed"; echo "$name $(cut -d' ' -f1,2 "$S/other.pub")"; } >"$S/kh_changed"
for mode in yes accept-new; do
  probe changed_$mode 1 -o StrictHostKeyChecking=$mode -o UserKnownHostsFile="$S/kh_changed"
  ssh_run ssh_changed_$mode 255 -o StrictHostKeyChecking=$mode \
    -o UserKnownHostsFile="$S/kh_changed"
  grep -q "Offending ED25519 key in $S/kh_changed:2" "$S/ssh_changed_$mode.err" \
    || fail "ssh did not find the changed key: $(cat "$S/ssh_changed_$mode.err")"
  same_file "$S/ssh_changed_$mode.err" "$S/changed_$mode.err" \
    "changed key ($mode): sshkit's message differs from ssh's"
done
# Under "no" ssh goes on (with password authentication off); sshkit refuses.
# The WARNING block, up to ssh-keygen's hint, is the same.
probe changed_no 1 -o StrictHostKeyChecking=no -o UserKnownHostsFile="$S/kh_changed"
ssh_run ssh_changed_no 0 -o StrictHostKeyChecking=no -o UserKnownHostsFile="$S/kh_changed"
sed '/ssh-keygen -f/q' "$S/ssh_changed_no.err" >"$S/ssh_block"
sed '/ssh-keygen -f/q' "$S/changed_no.err" >"$S/sk_block"
[ "$(wc -l <"$S/ssh_block")" -eq 13 ] || fail "ssh's WARNING block: $(cat "$S/ssh_changed_no.err")"
same_file "$S/ssh_block" "$S/sk_block" "changed key (no): the WARNING blocks differ"
[ "$(tail -n1 "$S/changed_no.err")" = "Host key verification failed." ] || fail "no refusal line"
[ "$(sed -n 2p "$S/kh_changed")" = "$name $(cut -d' ' -f1,2 "$S/other.pub")" ] \
  || fail "the changed key's file was touched"

echo "hostkey verifier interop: all checks passed"
