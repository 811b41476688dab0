#!/usr/bin/env bash
# known_hosts against OpenSSH's ssh-keygen: find (-F), remove (-R), hash (-H),
# and check, on files that ssh-keygen writes and reads.
# Usage: knownhosts.sh BIN_DIR SCRATCH_DIR
set -euo pipefail

BIN=$(cd "$1" && pwd)
WORK=$2
PROBE=$BIN/sshkit-knownhosts-probe
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

failures=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for t in ed25519 ecdsa rsa; do
    ssh-keygen -q -t $t -N '' -C "$t-key" -f key_$t
done
ssh-keygen -q -t ed25519 -N '' -f key_other
kt() { cut -d' ' -f1,2 "key_$1.pub"; }

# A file with every kind of line, all valid for ssh-keygen (which refuses to
# rewrite a file with an invalid line).
cat > known_hosts <<EOT
# managed by hand
alpha.example.com $(kt ed25519)
alpha.example.com $(kt ecdsa) with a comment
beta.example.com,10.0.0.2 $(kt rsa)
[alpha.example.com]:2222 $(kt other)
*.wild.example.com,!bad.wild.example.com $(kt ed25519)
h?st.example.com $(kt ecdsa)

@revoked revoked.example.com $(kt other)
@cert-authority *.example.com $(kt rsa)
gamma.example.com $(kt other)
   delta.example.com	$(kt ed25519)
EOT
# Lines hashed by ssh-keygen, appended.
printf 'hashed.example.com %s\n[hashed.example.com]:2200 %s\n' "$(kt ed25519)" "$(kt rsa)" > to_hash
ssh-keygen -q -H -f to_hash >/dev/null 2>&1
cat to_hash >> known_hosts

names=(alpha.example.com "[alpha.example.com]:2222" beta.example.com 10.0.0.2
       x.wild.example.com bad.wild.example.com host.example.com hoost.example.com
       revoked.example.com www.example.com gamma.example.com delta.example.com
       hashed.example.com "[hashed.example.com]:2200" "[hashed.example.com]:2201"
       nowhere.example.com)

# find: same output and status as ssh-keygen -F
for n in "${names[@]}"; do
    set +e
    ssh-keygen -F "$n" -f known_hosts > want.out 2>/dev/null; want=$?
    "$PROBE" find known_hosts "$n" > got.out; got=$?
    set -e
    if [ "$want" = "$got" ] && cmp -s want.out got.out; then
        pass "find $n ($(grep -c '^# Host' want.out || true) lines)"
    else
        fail "find $n: ssh-keygen status $want, probe $got"; diff want.out got.out || true
    fi
done

# remove: the same file as ssh-keygen -R leaves
for n in "${names[@]}"; do
    cp known_hosts a; cp known_hosts b
    ssh-keygen -R "$n" -f a >/dev/null 2>&1 || true
    "$PROBE" remove b "$n" > /dev/null
    if cmp -s a b; then pass "remove $n"; else fail "remove $n"; diff a b || true; fi
    rm -f a.old
done

# hash: what the probe hashes, ssh-keygen finds, on the same line numbers as
# ssh-keygen's own hashing; wildcard, marked and already hashed lines unchanged.
cp known_hosts mine; cp known_hosts theirs
"$PROBE" hash mine
ssh-keygen -q -H -f theirs >/dev/null 2>&1
rm -f theirs.old
if [ "$(wc -l < mine)" = "$(wc -l < theirs)" ]; then pass "hash: line count"; else fail "hash: line count"; fi
# Same lines once the hashed host fields are blanked out.
if diff <(sed -E 's/^\|1\|[^ ]+/HASHED/' mine) <(sed -E 's/^\|1\|[^ ]+/HASHED/' theirs) >/dev/null; then
    pass "hash: same lines as ssh-keygen -H apart from salts"
else
    fail "hash: lines differ from ssh-keygen -H"
    diff <(sed -E 's/^\|1\|[^ ]+/HASHED/' mine) <(sed -E 's/^\|1\|[^ ]+/HASHED/' theirs) || true
fi
for n in "${names[@]}"; do
    set +e
    ssh-keygen -F "$n" -f mine | grep '^# Host' > a; s1=$?
    ssh-keygen -F "$n" -f theirs | grep '^# Host' > b; s2=$?
    set -e
    if [ $s1 = $s2 ] && cmp -s a b; then pass "hashed by probe, found by ssh-keygen: $n"
    else fail "hashed lines for $n"; diff a b || true; fi
done

# check, on the file with lines ssh-keygen hashed, and on the one the probe hashed
check() {  # name key expected [file]
    local got
    got=$("$PROBE" check "${4:-known_hosts}" "$1" "key_$2.pub")
    if [ "$got" = "$3" ]; then pass "check $1 $2: $got"; else fail "check $1 $2: got '$got', want '$3'"; fi
}
check alpha.example.com ed25519 "OK line 2 other-types"
check alpha.example.com ecdsa "OK line 3 other-types"
check alpha.example.com other "CHANGED line 2 other-types"
check alpha.example.com rsa "NEW line 0 other-types"
check "[alpha.example.com]:2222" other "OK line 5"
check "[alpha.example.com]:2222" ed25519 "CHANGED line 5"
check x.wild.example.com ed25519 "OK line 6"
check bad.wild.example.com ed25519 "NEW line 0"
check revoked.example.com other "REVOKED line 9"
check www.example.com rsa "NEW line 0"
check hashed.example.com ed25519 "OK line 13"
check "[hashed.example.com]:2200" rsa "OK line 14"
check beta.example.com rsa "OK line 4" mine
check 10.0.0.2 rsa "OK line 5" mine
check delta.example.com ed25519 "OK line 13" mine
check gamma.example.com ed25519 "CHANGED line 12" mine
check "[hashed.example.com]:2200" ed25519 "NEW line 0 other-types"

# add: plain lines as ssh writes them, hashed lines that ssh-keygen finds
: > added
"$PROBE" add added new.example.com key_ed25519.pub
"$PROBE" add added "[new.example.com]:2022" key_ecdsa.pub
"$PROBE" add added Secret.Example.com key_rsa.pub hashed
want=$(printf 'new.example.com %s\n[new.example.com]:2022 %s\n' "$(kt ed25519)" "$(kt ecdsa)")
if [ "$(head -n 2 added)" = "$want" ]; then pass "add: plain lines"; else fail "add: plain lines"; cat added; fi
if ssh-keygen -F secret.example.com -f added | grep -q '^# Host secret.example.com found: line 3 $'; then
    pass "add: hashed line found by ssh-keygen"
else
    fail "add: hashed line not found by ssh-keygen"
fi

if [ $failures -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all known_hosts interop checks passed"
