#!/usr/bin/env bash
# sshkit-keygen against OpenSSH's ssh-keygen: keys made by either are read by
# the other with the same public key and fingerprint, and the outputs that
# DESIGN.md promises byte-compatible are byte-identical.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
cd "$SCRATCH"
KG=$BIN/sshkit-keygen

# type, bits (empty for the default), as both tools spell them
specs=("ed25519:" "ecdsa:256" "ecdsa:384" "ecdsa:521" "rsa:2048" "rsa:3072")

for spec in "${specs[@]}"; do
  type=${spec%%:*}
  bits=${spec#*:}
  bflag=()
  [ -n "$bits" ] && bflag=(-b "$bits")
  name="${type}${bits}"

  # sshkit makes a key; OpenSSH reads it.
  "$KG" -q -t "$type" "${bflag[@]}" -N '' -C "sshkit $name" -f "sk_$name" </dev/null
  [ "$(stat -c %a "sk_$name")" = 600 ] || fail "sk_$name is not mode 600"
  ssh-keygen -y -f "sk_$name" >ossh_y.txt
  same_file "sk_$name.pub" ossh_y.txt "ssh-keygen -y disagrees with sshkit's .pub for $name"

  for args in "-l" "-l -E md5" "-lv" "-lv -E md5"; do
    # shellcheck disable=SC2086
    ssh-keygen $args -f "sk_$name.pub" >want.txt
    # shellcheck disable=SC2086
    "$KG" $args -f "sk_$name.pub" >got.txt
    same_file want.txt got.txt "sshkit-keygen $args differs from ssh-keygen for $name"
  done

  # OpenSSH makes a key with a passphrase; sshkit reads it.
  ssh-keygen -q -t "$type" "${bflag[@]}" -N 'secret words' -C "openssh $name" -f "os_$name"
  "$KG" -y -P 'secret words' -f "os_$name" >got.txt
  ssh-keygen -y -P 'secret words' -f "os_$name" >want.txt
  same_file want.txt got.txt "sshkit-keygen -y differs from ssh-keygen -y for $name"
  expect_status 255 "$KG" -y -P 'wrong words' -f "os_$name"
  grep -q 'incorrect passphrase' "$SCRATCH/last.err" || fail "wrong passphrase not reported for $name"

  # sshkit changes the passphrase; OpenSSH reads the result.
  "$KG" -p -P 'secret words' -N 'new words' -f "os_$name" >/dev/null
  ssh-keygen -y -P 'new words' -f "os_$name" >got.txt
  same_file want.txt got.txt "after sshkit-keygen -p, ssh-keygen reads another key for $name"
  expect_status 255 ssh-keygen -y -P 'secret words' -f "os_$name"

  # PEM and PKCS#8 private keys written by sshkit load in OpenSSH.
  for fmt in PEM PKCS8; do
    "$KG" -q -t "$type" "${bflag[@]}" -m "$fmt" -N 'pem words' -f "sk_${name}_$fmt" </dev/null
    ssh-keygen -y -P 'pem words' -f "sk_${name}_$fmt" | cut -d' ' -f1,2 >want.txt
    cut -d' ' -f1,2 "sk_${name}_$fmt.pub" >got.txt
    same_file want.txt got.txt "ssh-keygen cannot read sshkit's $fmt key for $name"
  done
done

# ssh-keygen -e (RFC 4716) output reads back with the same fingerprint.
ssh-keygen -e -f sk_ed25519.pub >rfc4716.pub
ssh-keygen -l -f sk_ed25519.pub | cut -d' ' -f1,2 >want.txt
"$KG" -l -f rfc4716.pub | cut -d' ' -f1,2 >got.txt
same_file want.txt got.txt "sshkit-keygen -l of an RFC 4716 file"

# The full generation report has ssh-keygen's shape.
"$KG" -t ed25519 -N '' -C report -f report </dev/null >report.txt
head -n 1 report.txt | grep -qx 'Generating public/private ed25519 key pair.' || fail "report header"
grep -qx 'Your identification has been saved in report' report.txt || fail "report: identification"
grep -qx 'Your public key has been saved in report.pub' report.txt || fail "report: public key"
ssh-keygen -l -f report.pub | cut -d' ' -f2 >want.txt
sed -n '5p' report.txt | cut -d' ' -f1 >got.txt
same_file want.txt got.txt "report: fingerprint line"
ssh-keygen -lv -f report.pub | tail -n 11 >want.txt
tail -n 11 report.txt >got.txt
same_file want.txt got.txt "report: randomart"

# Refusals: an existing file with nobody to say yes, and bad types or sizes.
expect_status 1 "$KG" -t ed25519 -N '' -f report
expect_status 255 "$KG" -t dsa -N '' -f x
expect_status 255 "$KG" -t rsa -b 1024 -N '' -f x
expect_status 255 "$KG" -t ecdsa -b 300 -N '' -f x
echo garbage >garbage
expect_status 255 "$KG" -l -f garbage
expect_status 255 "$KG" -y -f garbage

echo "keygen interop: all checks passed"
