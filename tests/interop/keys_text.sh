#!/usr/bin/env bash
# Public key text against OpenSSH's ssh-keygen: fingerprints (-l, -E md5),
# randomart (-lv), RFC 4716 export (-e) and import, and SSHSIG signatures
# (ssh-keygen -Y) both ways, for every key type and size.
# Usage: keys_text.sh BIN_DIR SCRATCH_DIR
set -euo pipefail

bin=${1:?usage: keys_text.sh BIN_DIR SCRATCH_DIR}
scratch=${2:?usage: keys_text.sh BIN_DIR SCRATCH_DIR}
probe=$bin/sshkit-keytext-probe
mkdir -p "$scratch"
rm -f "$scratch"/key_* "$scratch"/sig_* "$scratch"/out_*

die() { echo "keys_text.sh: FAIL: $*" >&2; exit 1; }
[ -x "$probe" ] || die "$probe is missing (build the sshkit-keytext-probe target)"
command -v ssh-keygen >/dev/null || die "ssh-keygen is not installed"

# compare NAME EXPECTED_FILE ACTUAL_FILE
compare() {
    if ! diff -u "$2" "$3" >"$scratch/out_diff"; then
        cat "$scratch/out_diff" >&2
        die "$1: sshkit differs from ssh-keygen"
    fi
}

data=$scratch/out_data
printf 'data that ssh-keygen and sshkit both sign\n' >"$data"

check_key() {  # NAME, then ssh-keygen -t/-b arguments
    local name=$1; shift
    local key=$scratch/key_$name
    ssh-keygen -q -N '' "$@" -C "$name@sshkit test" -f "$key" >/dev/null
    local pub=$key.pub

    ssh-keygen -l -f "$pub" >"$scratch/out_want"
    "$probe" fp sha256 "$pub" >"$scratch/out_got"
    compare "$name -l" "$scratch/out_want" "$scratch/out_got"

    ssh-keygen -l -E md5 -f "$pub" >"$scratch/out_want"
    "$probe" fp md5 "$pub" >"$scratch/out_got"
    compare "$name -l -E md5" "$scratch/out_want" "$scratch/out_got"

    for hash in sha256 md5; do
        ssh-keygen -lv -E "$hash" -f "$pub" >"$scratch/out_want"
        "$probe" art "$hash" "$pub" >"$scratch/out_got"
        compare "$name -lv -E $hash" "$scratch/out_want" "$scratch/out_got"
    done

    # -e: identical except the Comment header, which ssh-keygen fills with
    # "<bits>-bit <TYPE>, converted by <user>@<host> from OpenSSH" and
    # sshkit with the key's own comment.
    ssh-keygen -e -f "$pub" >"$scratch/out_want_e"
    "$probe" rfc4716 "$pub" >"$scratch/out_got_e"
    grep -v '^Comment: ' "$scratch/out_want_e" >"$scratch/out_want"
    grep -v '^Comment: ' "$scratch/out_got_e" >"$scratch/out_got"
    compare "$name -e" "$scratch/out_want" "$scratch/out_got"
    grep -qx "Comment: \"$name@sshkit test\"" "$scratch/out_got_e" \
        || die "$name -e: Comment header is not the key's comment"
    [ "$(grep -c '^Comment: ' "$scratch/out_want_e")" = 1 ] \
        || die "$name -e: ssh-keygen's output has no single Comment line"

    # ssh-keygen's RFC 4716 read back by sshkit: same fingerprint, and
    # sshkit's RFC 4716 read back by ssh-keygen -i.
    "$probe" fp sha256 "$scratch/out_want_e" | cut -d' ' -f2 >"$scratch/out_got"
    ssh-keygen -l -f "$pub" | cut -d' ' -f2 >"$scratch/out_want"
    compare "$name RFC 4716 from ssh-keygen" "$scratch/out_want" "$scratch/out_got"
    ssh-keygen -i -f "$scratch/out_got_e" >"$scratch/out_got"
    cut -d' ' -f1,2 "$pub" >"$scratch/out_want"
    compare "$name RFC 4716 into ssh-keygen -i" "$scratch/out_want" "$scratch/out_got"

    # The one-line form: what ssh-keygen wrote, minus nothing.
    "$probe" line "$pub" >"$scratch/out_got"
    compare "$name one-line" "$pub" "$scratch/out_got"

    # A signature made by ssh-keygen verifies in sshkit.
    rm -f "$data.sig"
    ssh-keygen -q -Y sign -n file -f "$key" "$data" 2>/dev/null
    "$probe" sshsig-verify "$pub" "$data.sig" "$data" file >/dev/null \
        || die "$name: sshkit rejects ssh-keygen's signature"
    if "$probe" sshsig-verify "$pub" "$data.sig" "$data" other-namespace >/dev/null 2>&1; then
        die "$name: sshkit accepts a signature for another namespace"
    fi
    echo "ok $name"
}

# A key without a comment: ssh-keygen writes "type base64 " and -l says
# "no comment".
check_no_comment() {
    local key=$scratch/key_nocomment
    ssh-keygen -q -N '' -t ed25519 -C '' -f "$key" >/dev/null
    ssh-keygen -lv -f "$key.pub" >"$scratch/out_want"
    "$probe" art sha256 "$key.pub" >"$scratch/out_got"
    compare "no comment -lv" "$scratch/out_want" "$scratch/out_got"
    "$probe" line "$key.pub" >"$scratch/out_got"
    sed 's/ $//' "$key.pub" >"$scratch/out_want"
    compare "no comment one-line" "$scratch/out_want" "$scratch/out_got"
    echo "ok no comment"
}

# A signature made by sshkit verifies in ssh-keygen.
check_sshkit_signature() {  # probe type, bits
    local sig=$scratch/sig_$1_$2
    "$probe" sshsig-sign "$1" "$2" "$data" file "$sig.pub" >"$sig"
    ssh-keygen -Y check-novalidate -n file -s "$sig" <"$data" >/dev/null 2>&1 \
        || die "$1 $2: ssh-keygen rejects sshkit's signature"
    if printf 'other data' | ssh-keygen -Y check-novalidate -n file -s "$sig" >/dev/null 2>&1; then
        die "$1 $2: ssh-keygen accepts sshkit's signature over other data"
    fi
    echo "ok sshkit signature $1 $2"
}

check_key ed25519 -t ed25519
check_key ecdsa256 -t ecdsa -b 256
check_key ecdsa384 -t ecdsa -b 384
check_key ecdsa521 -t ecdsa -b 521
check_key rsa2048 -t rsa -b 2048
check_key rsa3072 -t rsa -b 3072
check_key rsa4096 -t rsa -b 4096
check_no_comment

check_sshkit_signature ed25519 0
check_sshkit_signature ecdsa256 0
check_sshkit_signature ecdsa384 0
check_sshkit_signature ecdsa521 0
check_sshkit_signature rsa 2048
check_sshkit_signature rsa 3072

echo "keys_text.sh: all checks passed"
