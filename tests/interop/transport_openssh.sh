#!/usr/bin/env bash
# The transport and authentication against OpenSSH, both ways.
#  1. sshkit's client against sshd: every kex method, cipher, MAC and host key
#     algorithm sshd offers, publickey authentication with every user key
#     type and password authentication, the host key checked through a
#     known_hosts file that OpenSSH's ssh wrote (plain and hashed), and
#     sshd's own rekeys (RekeyLimit by time).
#  2. OpenSSH's ssh -N against sshkit's server: the same algorithms,
#     publickey and password (through SSH_ASKPASS), and rekeys that ssh
#     starts (RekeyLimit by time).
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
user=$(id -un)
server_pid=
ssh_pid=
cleanup() {
  stop_sshd
  [ -n "$ssh_pid" ] && kill "$ssh_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  true
}
trap cleanup EXIT

KEX=(curve25519-sha256 curve25519-sha256@libssh.org ecdh-sha2-nistp256 ecdh-sha2-nistp384
     ecdh-sha2-nistp521 diffie-hellman-group-exchange-sha256 diffie-hellman-group16-sha512
     diffie-hellman-group18-sha512 diffie-hellman-group14-sha256)
CIPHERS=(chacha20-poly1305@openssh.com aes256-gcm@openssh.com aes128-gcm@openssh.com
         aes256-ctr aes192-ctr aes128-ctr)
MACS=(hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com hmac-sha2-256 hmac-sha2-512
      hmac-sha1 hmac-sha1-etm@openssh.com)
HOSTKEYS=(ssh-ed25519 ecdsa-sha2-nistp256 ecdsa-sha2-nistp384 ecdsa-sha2-nistp521
          rsa-sha2-512 rsa-sha2-256)
join() { local IFS=,; echo "$*"; }

# Keys: host keys for sshd by ssh-keygen, for sshkit's server by sshkit-keygen.
for spec in ed25519: ecdsa:256 ecdsa:384 ecdsa:521 rsa:3072; do
  t=${spec%%:*} b=${spec#*:}
  bits=(); [ -n "$b" ] && bits=(-b "$b")
  ssh-keygen -q -t "$t" "${bits[@]}" -N '' -f "$S/sshd_host_$t$b"
  "$BIN/sshkit-keygen" -q -t "$t" "${bits[@]}" -N '' -f "$S/sk_host_$t$b" </dev/null
done
for t in ed25519 ecdsa rsa; do
  ssh-keygen -q -t "$t" -N '' -f "$S/id_$t"
  cat "$S/id_$t.pub" >>"$S/authorized_keys"
done

# ---- 1. sshkit client against sshd ----
start_sshd <<CONF
HostKey $S/sshd_host_ed25519
HostKey $S/sshd_host_ecdsa256
HostKey $S/sshd_host_ecdsa384
HostKey $S/sshd_host_ecdsa521
HostKey $S/sshd_host_rsa3072
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KexAlgorithms $(join "${KEX[@]}")
Ciphers $(join "${CIPHERS[@]}")
MACs $(join "${MACS[@]}")
HostKeyAlgorithms $(join "${HOSTKEYS[@]}")
RekeyLimit default 1
LogLevel VERBOSE
CONF
port=$sshd_port

# OpenSSH's ssh writes the known_hosts lines: every host key, plain and
# hashed. (One file per key type: ssh refuses a second type for a known host.)
ssh_opts=(-p "$port" -i "$S/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=accept-new)
for alg in "${HOSTKEYS[@]}"; do
  for hash in no yes; do
    rm -f "$S/kh_one"
    ssh "${ssh_opts[@]}" -o UserKnownHostsFile="$S/kh_one" -o HashKnownHosts=$hash \
      -o HostKeyAlgorithms="$alg" "$user@127.0.0.1" true </dev/null 2>/dev/null
    cat "$S/kh_one" >>"$S/known_hosts$([ $hash = yes ] && echo _hashed)"
  done
done
grep -q '^|1|' "$S/known_hosts_hashed" || fail "ssh did not hash known_hosts"

probe() {
  "$BIN/sshkit-client-probe" -p "$port" -l "$user" "$@" 127.0.0.1 >"$S/probe.out" 2>&1 </dev/null \
    || { cat "$S/probe.out" >&2; fail "sshkit client: $*"; }
}
for kex in "${KEX[@]}"; do
  probe -o "$S/known_hosts" -i "$S/id_ed25519" -k "$kex"
  grep -q "^kex $kex " "$S/probe.out" || fail "kex $kex not negotiated"
done
for cipher in "${CIPHERS[@]}"; do
  probe -o "$S/known_hosts_hashed" -i "$S/id_ed25519" -c "$cipher"
  grep -q " cipher $cipher " "$S/probe.out" || fail "cipher $cipher not negotiated"
done
for mac in "${MACS[@]}"; do
  probe -o "$S/known_hosts" -i "$S/id_ed25519" -c aes128-ctr -m "$mac"
  grep -q " mac $mac\$" "$S/probe.out" || fail "MAC $mac not negotiated"
done
for alg in "${HOSTKEYS[@]}"; do
  probe -o "$S/known_hosts_hashed" -i "$S/id_ecdsa" -H "$alg"
  grep -q " hostkey $alg " "$S/probe.out" || fail "host key $alg not negotiated"
  grep -q "host key .*: known" "$S/probe.out" || fail "host key $alg not found in known_hosts"
done
for t in ed25519 ecdsa rsa; do
  probe -o "$S/known_hosts" -i "$S/id_$t"
  grep -q "^authenticated as $user" "$S/probe.out" || fail "publickey $t"
done
grep -q "Accepted publickey for $user .* RSA SHA256" "$S/sshd.log" || fail "sshd log lacks the RSA login"
# sshd renews the keys by time (RekeyLimit default 1); the client keeps up.
# (An idle sshd checks the limit only now and then, so one rekey is enough.)
probe -o "$S/known_hosts" -i "$S/id_ed25519" -s 4
rekeys=$(sed -n 's/^rekeys //p' "$S/probe.out")
[ "${rekeys:-0}" -ge 1 ] || fail "expected sshd to rekey, saw ${rekeys:-0}"
# An unknown host key is refused, and sshd hears why.
: >"$S/empty_known_hosts"
if "$BIN/sshkit-client-probe" -p "$port" -l "$user" -o "$S/empty_known_hosts" -i "$S/id_ed25519" \
     127.0.0.1 >"$S/probe.out" 2>&1 </dev/null; then
  fail "an unknown host key was accepted"
fi
grep -q "SSHKIT_E_HOST_KEY_REJECTED" "$S/probe.out" || fail "no host key rejection"
wait_for_line "$S/sshd.log" 30 "Host key verification failed" || fail "sshd did not get the reason"
stop_sshd

# ---- 2. OpenSSH's ssh against sshkit's server ----
"$BIN/sshkit-server-probe" -p 0 -h "$S/sk_host_ed25519" -h "$S/sk_host_ecdsa256" \
  -h "$S/sk_host_rsa3072" -a "$S/authorized_keys" -w "$user:open sesame" \
  -k "$(join "${KEX[@]}")" -c "$(join "${CIPHERS[@]}")" -m "$(join "${MACS[@]}")" \
  -H "$(join "${HOSTKEYS[@]}")" >"$S/server.out" 2>"$S/server.log" &
server_pid=$!
wait_for_line "$S/server.out" 50 "^port " || fail "sshkit server did not start"
sport=$(sed -n 's/^port //p' "$S/server.out")

# Runs ssh -v -N until it has authenticated (and, with $want_rekeys, until
# it has renewed its keys that many times), then stops it.
want_rekeys=0
ssh_n() {
  : >"$S/ssh.log"
  rm -f "$S/sk_known_hosts"   # ssh refuses a second key type for a known host
  ssh -v -N -p "$sport" -o UserKnownHostsFile="$S/sk_known_hosts" \
    -o StrictHostKeyChecking=accept-new "$@" "$user@127.0.0.1" </dev/null 2>"$S/ssh.log" &
  ssh_pid=$!
  if ! wait_for_line "$S/ssh.log" 150 "Authenticated to"; then
    kill "$ssh_pid" 2>/dev/null; ssh_pid=
    cat "$S/ssh.log" >&2
    fail "ssh $* did not authenticate to sshkit's server"
  fi
  local n=0
  for _ in $(seq 60); do
    n=$(grep -c "SSH2_MSG_NEWKEYS received" "$S/ssh.log" || true)
    [ "$n" -gt "$want_rekeys" ] && break
    sleep 0.1
  done
  kill "$ssh_pid" 2>/dev/null || true
  wait "$ssh_pid" 2>/dev/null || true
  ssh_pid=
  [ "$n" -gt "$want_rekeys" ] || fail "ssh $*: $((n - 1)) rekeys, wanted $want_rekeys"
  ! grep -qiE "corrupted|Bad packet|protocol error" "$S/ssh.log" || fail "ssh $*: errors in its log"
}
key=(-o BatchMode=yes -o PreferredAuthentications=publickey -i "$S/id_ed25519")
for kex in "${KEX[@]}"; do
  ssh_n "${key[@]}" -o KexAlgorithms="$kex"
  grep -q "kex: algorithm: $kex" "$S/ssh.log" || fail "ssh did not use $kex"
done
for cipher in "${CIPHERS[@]}"; do
  ssh_n "${key[@]}" -o Ciphers="$cipher"
done
for mac in "${MACS[@]}"; do
  ssh_n "${key[@]}" -o Ciphers=aes256-ctr -o MACs="$mac"
  grep -q "MAC: $mac" "$S/ssh.log" || fail "ssh did not use $mac"
done
for alg in ssh-ed25519 ecdsa-sha2-nistp256 rsa-sha2-512 rsa-sha2-256; do
  ssh_n "${key[@]}" -o HostKeyAlgorithms="$alg"
  grep -q "Server host key: ${alg/rsa-sha2-*/ssh-rsa}" "$S/ssh.log" || fail "host key $alg"
done
for t in ecdsa rsa; do
  ssh_n -o BatchMode=yes -o PreferredAuthentications=publickey -i "$S/id_$t"
done
# Password through SSH_ASKPASS, as OpenSSH does without a terminal.
printf '#!/bin/sh\necho "open sesame"\n' >"$S/askpass"
chmod 700 "$S/askpass"
SSH_ASKPASS="$S/askpass" SSH_ASKPASS_REQUIRE=force \
  ssh_n -o PreferredAuthentications=password -o PubkeyAuthentication=no
# ssh renews its keys by time (RekeyLimit 1M 1); an idle ssh looks at the
# clock only now and then, so one rekey it starts is what to wait for.
want_rekeys=1
ssh_n "${key[@]}" -o RekeyLimit="1M 1"
want_rekeys=0
echo "transport interop: all checks passed"
