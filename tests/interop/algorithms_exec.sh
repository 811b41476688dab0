#!/usr/bin/env bash
# Every kex method, cipher, MAC and host key algorithm carries a real
# command, in both directions: sshkit-ssh against OpenSSH's sshd, and
# OpenSSH's ssh against sshkit-sshd. The command echoes a line through the
# channel and its stdin, so both directions of data are encrypted and
# authenticated with the algorithm under test.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
srv_pid=
cleanup() {
  stop_sshd
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
user=$(id -un)
join() { local IFS=,; echo "$*"; }
KEX=(curve25519-sha256 curve25519-sha256@libssh.org ecdh-sha2-nistp256 ecdh-sha2-nistp384
     ecdh-sha2-nistp521 diffie-hellman-group-exchange-sha256 diffie-hellman-group16-sha512
     diffie-hellman-group18-sha512 diffie-hellman-group14-sha256)
CIPHERS=(chacha20-poly1305@openssh.com aes256-gcm@openssh.com aes128-gcm@openssh.com
         aes256-ctr aes192-ctr aes128-ctr)
MACS=(hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com hmac-sha2-256 hmac-sha2-512
      hmac-sha1 hmac-sha1-etm@openssh.com)
HOSTKEYS=(ssh-ed25519 ecdsa-sha2-nistp256 rsa-sha2-512 rsa-sha2-256)

for t in ed25519 ecdsa rsa; do ssh-keygen -q -t "$t" -N '' -f "$S/host_$t"; done
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
mkdir -p "$S/home/.ssh"
cp "$S/id.pub" "$S/authorized_keys"
algs=(KexAlgorithms "$(join "${KEX[@]}")" Ciphers "$(join "${CIPHERS[@]}")"
      MACs "$(join "${MACS[@]}")" HostKeyAlgorithms "$(join "${HOSTKEYS[@]}")")
config_lines() {
  printf 'HostKey %s/host_ed25519\nHostKey %s/host_ecdsa\nHostKey %s/host_rsa\n' "$S" "$S" "$S"
  printf 'AuthorizedKeysFile %s/authorized_keys\n' "$S"
  printf '%s %s\n' "${algs[0]}" "${algs[1]}" "${algs[2]}" "${algs[3]}" "${algs[4]}" "${algs[5]}" \
    "${algs[6]}" "${algs[7]}"
}

# One command over one algorithm choice; $1 is the client program.
check() {
  local client=$1
  shift
  local got
  got=$(echo "through the channel" | timeout 60 "$client" -p "$port" -i "$S/id" -o BatchMode=yes \
        -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR "$@" \
        "$user@127.0.0.1" 'read line; echo "$line and back"' 2>"$S/client.err") \
    || { cat "$S/client.err" >&2; fail "$client $*: the command failed"; }
  [ "$got" = "through the channel and back" ] || fail "$client $*: got '$got'"
}
each_algorithm() {
  local client=$1 a
  for a in "${KEX[@]}"; do check "$client" -o KexAlgorithms="$a"; done
  for a in "${CIPHERS[@]}"; do check "$client" -o Ciphers="$a"; done
  for a in "${MACS[@]}"; do check "$client" -o Ciphers=aes128-ctr -o MACs="$a"; done
  for a in "${HOSTKEYS[@]}"; do check "$client" -o HostKeyAlgorithms="$a"; done
}

# RekeyLimit=1M by bytes, with 16 MiB flowing each way: the side that set
# the limit renews its keys again and again, and the data comes back whole.
head -c $((16 << 20)) /dev/urandom >"$S/data"
want=$(sha256sum <"$S/data" | cut -d' ' -f1)
rekey_check() {
  local client=$1
  local got
  got=$(timeout 120 "$client" -v -p "$port" -i "$S/id" -o BatchMode=yes -o RekeyLimit=1M \
        -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no "$user@127.0.0.1" \
        'cat' <"$S/data" 2>"$S/rekey.err" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$want" ] || { tail "$S/rekey.err" >&2; fail "$client RekeyLimit=1M: data changed"; }
  local n
  n=$(grep -ciE "SSH2_MSG_NEWKEYS (received|sent)|NEWKEYS received|key exchange done" "$S/rekey.err" || true)
  [ "$n" -ge 8 ] || { tail "$S/rekey.err" >&2; fail "$client RekeyLimit=1M: only $n key exchange lines"; }
}

# sshkit-ssh against OpenSSH's sshd.
start_sshd < <(config_lines)   # not a pipe: start_sshd must run in this shell
port=$sshd_port
each_algorithm "$BIN/sshkit-ssh"
rekey_check "$BIN/sshkit-ssh"
stop_sshd

# OpenSSH's ssh against sshkit-sshd.
for _try in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  { printf 'ListenAddress 127.0.0.1\nPort %s\nPidFile %s/sshkit-sshd.pid\n' "$port" "$S"; config_lines; } \
    >"$S/sshkit_sshd_config"
  : >"$S/server.log"
  HOME="$S/home" "$BIN/sshkit-sshd" -D -e -f "$S/sshkit_sshd_config" 2>>"$S/server.log" &
  srv_pid=$!
  wait_for_line "$S/server.log" 50 "Server listening" && break
  kill "$srv_pid" 2>/dev/null || true
  wait "$srv_pid" 2>/dev/null || true
  srv_pid=
done
[ -n "$srv_pid" ] || fail "sshkit-sshd did not start: $(cat "$S/server.log")"
each_algorithm ssh
rekey_check ssh
echo "algorithms with a real command: all checks passed"
