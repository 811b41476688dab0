#!/usr/bin/env bash
# Private key files against OpenSSH's ssh-keygen (and openssl for Ed25519
# PKCS#8, which OpenSSH 9.2 neither writes nor reads), both ways:
#  - keys ssh-keygen writes (OpenSSH format, -m PEM, -m PKCS8, each plain
#    and with a passphrase, and every -Z cipher) load in sshkit with the
#    public key `ssh-keygen -y` gives;
#  - keys sshkit writes (every format, plain and encrypted, every OpenSSH
#    cipher) load in `ssh-keygen -y` with the same public key;
#  - sshkit's OpenSSH-format files are the size ssh-keygen's rewrite is.
# Usage: keys_files.sh BIN_DIR SCRATCH_DIR
set -euo pipefail

BIN=$1
SCRATCH=$2
mkdir -p "$SCRATCH"
PROBE="$BIN/sshkit-keyfile-probe"
PASS="interop pass phrase"
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_same NAME WANT GOT
expect_same() {
    checks=$((checks + 1))
    if [ "$2" != "$3" ]; then fail "$1: want '$2' got '$3'"; fi
}

# expect_error NAME CODE CMD...: CMD fails and names CODE on stderr.
expect_error() {
    local name=$1 code=$2 err
    shift 2
    checks=$((checks + 1))
    if err=$("$@" 2>&1 >/dev/null); then fail "$name: succeeded"; return; fi
    if [ "$err" != "$code" ]; then fail "$name: want $code got '$err'"; fi
}

TYPES=("ed25519 0" "ecdsa 256" "ecdsa 384" "ecdsa 521" "rsa 2048" "rsa 3072")

keygen() { # TYPE BITS FORMAT PASS FILE [extra ssh-keygen args]
    local type=$1 bits=$2 format=$3 pass=$4 file=$5
    shift 5
    local size=()
    if [ "$bits" != 0 ]; then size=(-b "$bits"); fi
    rm -f "$file" "$file.pub"
    ssh-keygen -q -t "$type" "${size[@]}" -m "$format" -N "$pass" -C interop -f "$file" "$@"
}

echo "== ssh-keygen -> sshkit"
for tb in "${TYPES[@]}"; do
    read -r type bits <<<"$tb"
    for format in RFC4716 PEM PKCS8; do
        for pass in "" "$PASS"; do
            f="$SCRATCH/kg-$type-$bits-$format${pass:+-enc}"
            keygen "$type" "$bits" "$format" "$pass" "$f"
            want=$(cut -d' ' -f1,2 "$f.pub")
            if [ -n "$pass" ]; then
                got=$("$PROBE" load "$f" "$pass") || got="error"
                expect_error "$f wrong passphrase" SSHKIT_E_WRONG_PASSPHRASE "$PROBE" load "$f" "not it"
                expect_error "$f no passphrase" SSHKIT_E_PASSPHRASE_REQUIRED "$PROBE" load "$f"
            else
                got=$("$PROBE" load "$f") || got="error"
            fi
            expect_same "$f" "$want" "$got"
        done
    done
done

for cipher in $(ssh -Q cipher); do
    case $cipher in 3des-cbc) continue ;; esac
    f="$SCRATCH/kg-cipher-$cipher"
    keygen ecdsa 256 RFC4716 "$PASS" "$f" -Z "$cipher" -a 4
    got=$("$PROBE" load "$f" "$PASS") || got="error"
    expect_same "$f" "$(cut -d' ' -f1,2 "$f.pub")" "$got"
    expect_error "$f wrong passphrase" SSHKIT_E_WRONG_PASSPHRASE "$PROBE" load "$f" "not it"
done

if command -v openssl >/dev/null; then
    for pass in "" "$PASS"; do
        f="$SCRATCH/ossl-ed25519${pass:+-enc}"
        if [ -n "$pass" ]; then
            openssl genpkey -algorithm ED25519 -aes-256-cbc -pass "pass:$pass" -out "$f"
            got=$("$PROBE" load "$f" "$pass") || got="error"
            raw=$(openssl pkey -in "$f" -passin "pass:$pass" -pubout -outform DER | tail -c 32 | base64)
        else
            openssl genpkey -algorithm ED25519 -out "$f"
            got=$("$PROBE" load "$f") || got="error"
            raw=$(openssl pkey -in "$f" -pubout -outform DER | tail -c 32 | base64)
        fi
        blob=$(echo "${got#* }" | base64 -d | tail -c 32 | base64)
        expect_same "$f" "$raw" "$blob"
    done
fi

echo "== sshkit -> ssh-keygen"
# ssh-keygen -y reads a file through OpenSSH's sshkey_load_private: OpenSSH
# format always; PEM and PKCS#8 for RSA and ECDSA only (Ed25519 from PEM
# needs OpenSSH 9.6), so those go through openssl instead.
for tb in "${TYPES[@]}"; do
    read -r type bits <<<"$tb"
    for format in openssh pem pkcs8; do
        for pass in "" "$PASS"; do
            f="$SCRATCH/sk-$type-$bits-$format${pass:+-enc}"
            rm -f "$f"
            want=$("$PROBE" gen "$type" "$bits" "$f" "$format" ${pass:+"$pass"}) || want="gen error"
            checks=$((checks + 1))
            if [ "$(stat -c %a "$f")" != 600 ]; then fail "$f: mode $(stat -c %a "$f")"; fi
            if [ "$type" = ed25519 ] && [ "$format" != openssh ]; then
                if command -v openssl >/dev/null; then
                    raw=$(openssl pkey -in "$f" -passin "pass:$pass" -pubout -outform DER | tail -c 32 | base64)
                    expect_same "$f" "$(echo "${want#* }" | base64 -d | tail -c 32 | base64)" "$raw"
                fi
                continue
            fi
            got=$(ssh-keygen -y -P "$pass" -f "$f" | cut -d' ' -f1,2) || got="error"
            expect_same "$f" "$want" "$got"
        done
    done
done

for cipher in aes128-ctr aes192-ctr aes256-ctr aes128-cbc aes192-cbc aes256-cbc \
              aes128-gcm@openssh.com aes256-gcm@openssh.com chacha20-poly1305@openssh.com; do
    f="$SCRATCH/sk-cipher-$cipher"
    rm -f "$f"
    want=$("$PROBE" gen ed25519 0 "$f" openssh "$PASS" "$cipher") || want="gen error"
    chmod 600 "$f"
    got=$(ssh-keygen -y -P "$PASS" -f "$f" | cut -d' ' -f1,2) || got="error"
    expect_same "$f" "$want" "$got"
done

# Layout: ssh-keygen rewriting sshkit's file (same key, comment and
# cipher) gives a file of the same size, with the same first line.
for tb in "${TYPES[@]}"; do
    read -r type bits <<<"$tb"
    for pass in "" "$PASS"; do
        f="$SCRATCH/sk-$type-$bits-openssh${pass:+-enc}"
        cp "$f" "$f.rewritten"
        ssh-keygen -q -p -P "$pass" -N "$pass" -f "$f.rewritten" >/dev/null
        expect_same "$f size" "$(stat -c %s "$f.rewritten")" "$(stat -c %s "$f")"
    done
done

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
