#!/usr/bin/env bash
# known_hosts against OpenSSH's ssh-keygen: sshkit-keygen -F, -R and -H give
# the same output, messages, exit statuses and files as ssh-keygen's; and
# the library's check and add (through sshkit-knownhosts-probe) agree with
# files that ssh-keygen writes and reads.
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

# Runs ssh-keygen and sshkit-keygen with the same arguments, each in a
# directory of its own on a copy of a file (named f there), and compares
# their stdout, stderr, exit statuses, and the files they leave (f, f.old
# and their modes; hashed host fields blanked, their salts being random).
blank() { sed -E 's/(^|[[:space:]])\|1\|[^ ]+/\1HASHED/' "$1"; }
leaves() {  # dir: what a run left behind, salts blanked
    (cd "$1" && for f in f f.old; do
        if [ -e $f ]; then echo "$f $(stat -c %a $f)"; blank $f; else echo "$f absent"; fi
     done)
}
same() {  # label source-file mode args...
    local label=$1 src=$2 mode=$3 t
    shift 3
    for t in ssh-keygen "$KG"; do
        local d; d=run.$(basename "$t")
        rm -rf "$d"; mkdir "$d"
        cp "$src" "$d/f"; chmod "$mode" "$d/f"
        (cd "$d" && set +e; "$t" "$@" -f f > out 2> err; echo "exit $?" >> out)
    done
    local a=run.ssh-keygen b=run.sshkit-keygen
    if cmp -s <(blank $a/out) <(blank $b/out) && cmp -s $a/err $b/err &&
       cmp -s <(leaves $a) <(leaves $b); then
        pass "$label: $*"
    else
        fail "$label: $*"
        diff <(blank $a/out; cat $a/err; leaves $a) <(blank $b/out; cat $b/err; leaves $b) | head -n 20 || true
    fi
}

KG=$BIN/sshkit-keygen

# A file whose last line has no newline (ssh-keygen ends it when it rewrites).
{ cat known_hosts; printf 'last.example.com %s' "$(kt rsa)"; } > unterminated
# A file ssh-keygen calls invalid: -R and -H refuse it, -F does not mind.
{ cat known_hosts; echo "bad line"; echo "@unknown-marker x $(kt rsa)"; } > invalid

for n in "${names[@]}" last.example.com Alpha.Example.COM; do
    same find known_hosts 644 -F "$n"
    same "find hashed" known_hosts 644 -F "$n" -H
    same remove known_hosts 644 -R "$n"
done
for n in alpha.example.com last.example.com nowhere.example.com; do
    same "find, unterminated" unterminated 644 -F "$n"
    same "remove, unterminated" unterminated 600 -R "$n"
    same "find, invalid lines" invalid 644 -F "$n"
    same "remove, invalid lines" invalid 644 -R "$n"
done
same "find, quiet" known_hosts 644 -q -F alpha.example.com
same "remove, quiet" known_hosts 644 -q -R alpha.example.com
same hash known_hosts 644 -H
cp run.ssh-keygen/f hashed_once
same "hash, mode 664" known_hosts 664 -H
same "hash, unterminated" unterminated 600 -H
same "hash, invalid lines" invalid 644 -H
same "hash, twice" hashed_once 644 -H
for args in "-F alpha.example.com" "-R alpha.example.com" "-H"; do
    set +e
    # shellcheck disable=SC2086
    ssh-keygen $args -f nonexistent > a 2>&1; s1=$?
    # shellcheck disable=SC2086
    "$KG" $args -f nonexistent > b 2>&1; s2=$?
    set -e
    if [ $s1 = $s2 ] && cmp -s a b; then pass "missing file: $args"; else fail "missing file: $args"; diff a b || true; fi
done

# hash: what sshkit-keygen hashes, ssh-keygen finds, on the same line numbers
# as ssh-keygen's own hashing; wildcard, marked and already hashed lines unchanged.
cp known_hosts mine; cp known_hosts theirs
"$KG" -H -f mine >/dev/null 2>&1
ssh-keygen -q -H -f theirs >/dev/null 2>&1
rm -f theirs.old mine.old
if [ "$(wc -l < mine)" = "$(wc -l < theirs)" ]; then pass "hash: line count"; else fail "hash: line count"; fi
for n in "${names[@]}"; do
    set +e
    ssh-keygen -F "$n" -f mine | grep '^# Host' > a; s1=$?
    ssh-keygen -F "$n" -f theirs | grep '^# Host' > b; s2=$?
    set -e
    if [ $s1 = $s2 ] && cmp -s a b; then pass "hashed by sshkit-keygen, found by ssh-keygen: $n"
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
