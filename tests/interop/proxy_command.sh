#!/usr/bin/env bash
# sshkit-ssh's ProxyCommand against OpenSSH: the session runs over the
# standard input and output of a command, here OpenSSH's own `ssh -W %h:%p`
# through OpenSSH's sshd (a jump to the same server), with the tokens
# %h %n %p %r expanded as ssh expands them; the host key is checked against
# the target's name; a proxy that fails or exits ends in status 255; the
# proxy is gone once sshkit-ssh has exited.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSH=$BIN/sshkit-ssh
me=$(id -un)
export HOME=$S/home
mkdir -p "$HOME"
unset SSH_AUTH_SOCK

ssh-keygen -q -t ed25519 -N '' -f "$S/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
start_sshd <<CONF
HostKey $S/hostkey
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding yes
CONF

# The jump: OpenSSH's ssh, its own known_hosts, forwarding to host:port.
# ssh runs "exec COMMAND", so what the proxy does besides is in a script.
cat >"$S/jump.sh" <<EOF
#!/bin/sh
echo "\$*" >"$S/tokens"
exec ssh -F none -i "$S/id" -p $sshd_port -o BatchMode=yes -o StrictHostKeyChecking=accept-new \\
  -o UserKnownHostsFile="$S/jump_known_hosts" -o GlobalKnownHostsFile=none \\
  -W "\$1:\$2" 127.0.0.1 2>"$S/proxy.err"
EOF
cat >"$S/silent.sh" <<EOF
#!/bin/sh
echo \$\$ >"$S/silent.pid"
exec sleep 300
EOF
chmod +x "$S/jump.sh" "$S/silent.sh"
silent_pid=
cleanup() {
  stop_sshd
  if [ -n "$silent_pid" ]; then kill "$silent_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
cat >"$S/config" <<EOF
Host target
  HostName 127.0.0.1
  Port $sshd_port
  User $me
  IdentityFile $S/id
  BatchMode yes
  StrictHostKeyChecking accept-new
  UserKnownHostsFile $S/known_hosts
  GlobalKnownHostsFile none
  ProxyCommand $S/jump.sh %h %p %n %r %%
Host dead
  HostName 127.0.0.1
  User $me
  BatchMode yes
  ProxyCommand exit 3
Host silent
  HostName 127.0.0.1
  BatchMode yes
  ProxyCommand $S/silent.sh
  ConnectTimeout 2
EOF

echo "== a command through ssh -W"
printf 'through the proxy\n' >"$S/input"
got=0
timeout 60 "$SSH" -F "$S/config" target 'cat; echo "client: ${SSH_CLIENT%% *}"' \
  <"$S/input" >"$S/out" 2>"$S/err" || got=$?
[ "$got" -eq 0 ] || { cat "$S/err" "$S/proxy.err" >&2; fail "sshkit-ssh through the proxy exited $got"; }
grep -qx "through the proxy" "$S/out" || fail "the input did not come back"
grep -qx "client: 127.0.0.1" "$S/out" || fail "no SSH_CLIENT in the session"
grep -q "^127.0.0.1 " "$S/known_hosts" || grep -q "^\[127.0.0.1\]:$sshd_port " "$S/known_hosts" ||
  fail "the target's key was not recorded under its name"
grep -qx "127.0.0.1 $sshd_port target $me %" "$S/tokens" ||
  fail "%h %p %n %r %% were not expanded: $(cat "$S/tokens")"

echo "== the exit status of the remote command comes back"
expect_status 7 timeout 60 "$SSH" -F "$S/config" target 'exit 7'

echo "== ssh's -G shows the same ProxyCommand"
"$SSH" -G -F "$S/config" target | grep '^proxycommand ' >"$S/sk.G"
ssh -G -F "$S/config" target 2>/dev/null | grep '^proxycommand ' >"$S/os.G"
same_file "$S/os.G" "$S/sk.G" "the ProxyCommand shown by -G differs"

echo "== a proxy that exits: status 255"
expect_status 255 timeout 60 "$SSH" -F "$S/config" dead true
grep -q "Connection closed" "$S/last.err" || fail "no message for a proxy that exited"

echo "== the proxy is stopped when sshkit-ssh ends"
expect_status 255 timeout 60 "$SSH" -F "$S/config" silent true
silent_pid=$(cat "$S/silent.pid")
for _ in $(seq 50); do kill -0 "$silent_pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$silent_pid" 2>/dev/null || fail "the proxy outlived sshkit-ssh"
silent_pid=

echo "== a proxy command that does not expand: status 255"
expect_status 255 "$SSH" -F none -o "ProxyCommand nc %x" -o BatchMode=yes somehost true
grep -q "ProxyCommand" "$S/last.err" || fail "the bad token is not reported"
echo "ok"
