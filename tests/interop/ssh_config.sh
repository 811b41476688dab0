#!/usr/bin/env bash
# ssh_config against OpenSSH: for a suite of configuration files, hosts and
# command lines, `sshkit-ssh -G -F cfg host` and `ssh -G -F cfg host` print
# the same line for every keyword both print, except the documented
# differences below; malformed files are refused by both with the same
# message naming the file and line; and sshkit-ssh really connects where
# the configuration says (HostName, Port, User, IdentityFile,
# UserKnownHostsFile from a Host block) to OpenSSH's sshd.
#
# Compared: every keyword both print (the list is checked to hold at least
# the keywords sshkit acts on), each with all its lines in order.
# Defaults follow Debian's ssh where it differs from upstream OpenSSH 9.2
# (ForwardX11Trusted, IPQoS, ServerAliveInterval in batch mode, SILENT).
# Not compared, by design (docs/ARCHITECTURE.md, "ssh_config"):
#   - the algorithm lists' defaults (ciphers, macs, kexalgorithms,
#     hostkeyalgorithms, pubkeyacceptedalgorithms,
#     hostbasedacceptedalgorithms, casignaturealgorithms): sshkit's own;
#     they are compared where a case sets them to algorithms both have;
#   - identityfile's defaults: sshkit lists only the key types it reads
#     (id_rsa, id_ecdsa, id_ed25519); compared where a case sets them;
#   - the keywords only Debian's ssh prints (gssapikeyexchange,
#     gssapitrustdns, gssapirenewalforcesrekey, gssapikexalgorithms).
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSH=$BIN/sshkit-ssh
# ssh takes ~ and %d from the password database, sshkit from $HOME: the same here.
HOME=$(getent passwd "$(id -u)" | cut -d: -f6)
export HOME
unset SSH_AUTH_SOCK
export SSHKIT_CFG_TEST_VAR=from-env

defaulted="ciphers macs kexalgorithms hostkeyalgorithms pubkeyacceptedalgorithms \
hostbasedacceptedalgorithms casignaturealgorithms identityfile"
must_compare="host user hostname port identityfile identitiesonly stricthostkeychecking \
userknownhostsfile globalknownhostsfile hashknownhosts \
passwordauthentication kbdinteractiveauthentication pubkeyauthentication batchmode \
connecttimeout rekeylimit loglevel numberofpasswordprompts compression forwardagent \
serveraliveinterval requesttty addressfamily sessiontype stdinnull"
compared_total=0

# compare NAME [extra keys to compare] -- ARGS...: both -G outputs, keyword by keyword.
compare() {
  local name=$1 also=" $2 " key skip
  shift 3
  timeout 20 "$SSH" -G "$@" </dev/null >"$S/sk.out" 2>"$S/sk.err" ||
    { cat "$S/sk.err" >&2; fail "$name: sshkit-ssh -G $* failed"; }
  timeout 20 ssh -G "$@" </dev/null >"$S/os.out" 2>"$S/os.err" ||
    { cat "$S/os.err" >&2; fail "$name: ssh -G $* failed"; }
  for key in $(cut -d' ' -f1 "$S/os.out" | sort -u); do
    grep -q "^$key " "$S/sk.out" || continue
    skip=
    case " $defaulted " in *" $key "*) [[ "$also" == *" $key "* ]] || skip=1 ;; esac
    [ -z "$skip" ] || continue
    if ! diff <(grep "^$key " "$S/os.out") <(grep "^$key " "$S/sk.out") >"$S/diff"; then
      cat "$S/diff" >&2
      fail "$name ($*): '$key' differs from ssh's"
    fi
    compared_total=$((compared_total + 1))
  done
  for key in $must_compare; do
    grep -q "^$key " "$S/sk.out" || fail "$name: sshkit-ssh -G prints no '$key'"
  done
}

echo "== Host blocks, HostName, first value wins, the command line"
cat >"$S/hosts.conf" <<'EOF'
# comments, blank lines, Key=Value and quoting
Host web db?
  HostName %h.Example.COM
  Port 2222
  User=alice
  IdentityFile ~/.ssh/id_web
  IdentityFile "/keys/with space"
Host *.example.com !secret.example.com
  User bob
  StrictHostKeyChecking accept-new
Host WEB
  Port 3333
Host 10.0.0.*
  User byaddress
Host *
  Port 22
  User nobody
  BatchMode yes
  ConnectTimeout 1m30s
  IdentitiesOnly yes
  PasswordAuthentication no
  HashKnownHosts yes
EOF
for host in web db1; do
  compare hosts "identityfile" -- -F "$S/hosts.conf" "$host"
done
for host in db12 WEB a.example.com secret.example.com 10.0.0.7 other; do
  compare hosts "" -- -F "$S/hosts.conf" "$host"
done
: >"$S/cmdline_key"
compare cmdline "identityfile ciphers macs" -- -F "$S/hosts.conf" -p 2200 -l carol \
  -o User=ignored -i "$S/cmdline_key" -i "$S/missing_key" -c aes256-ctr -m hmac-sha2-512 -4 -N -n web
compare cmdline-user "identityfile" -- -F "$S/hosts.conf" -o Port=4444 -p 5555 dave@web
compare cmdline-o "ciphers" -- -F "$S/hosts.conf" -o "Ciphers aes128-ctr,aes256-gcm@openssh.com" \
  -o "ciphers=chacha20-poly1305@openssh.com" -T other

echo "== Match: host, originalhost, user, localuser, exec, all, negation"
me=$(id -un)
cat >"$S/match.conf" <<EOF
Host alias
  HostName real.example.org
Match host real.example.org originalhost ALIAS
  Port 1111
Match user bob
  Compression yes
Match !user bob localuser $me
  NumberOfPasswordPrompts 5
Match localuser nosuchuser-$me
  LogLevel ERROR
Match exec true
  PreferredAuthentications publickey,password
Match exec false
  ConnectTimeout 3
Match exec "test %h:%p:%n:%r = real.example.org:1111:alias:%u"
  UserKnownHostsFile /tmp/exec-matched-%h
Match !exec "exit 3" host real.*
  ServerAliveCountMax 7
Match host nomatch exec "echo never-run >$S/exec-ran"
  ConnectionAttempts 9
Match all
  KbdInteractiveAuthentication no
EOF
for host in alias other real.example.org; do
  compare match "" -- -F "$S/match.conf" "$host"
  compare match-user "" -- -F "$S/match.conf" -l bob "$host"
done
[ ! -e "$S/exec-ran" ] || fail "an exec after a failed criterion was run"

echo "== Match final and canonical, CanonicalizeHostname"
cat >"$S/final.conf" <<'EOF'
Host short
  HostName long.example.com
Match final host long.example.com
  User late
  SendEnv ONCE
Host long.example.com
  Port 2022
Match canonical
  Compression yes
Match !final
  SendEnv EVERY_PASS
EOF
compare final "" -- -F "$S/final.conf" short
compare final "" -- -F "$S/final.conf" other
printf 'CanonicalizeHostname yes\nCanonicalizeFallbackLocal yes\nMatch canonical\n  Port 7\n' \
  >"$S/canonical.conf"
compare canonical "" -- -F "$S/canonical.conf" -o CanonicalizeMaxDots=0 host.with.dots
printf 'Match canonical\n  Port 7\n' >"$S/nocanonical.conf"
compare no-canonical "" -- -F "$S/nocanonical.conf" plain

echo "== Include: globs, blocks, Match inside"
mkdir -p "$S/conf.d"
printf 'Host inc\n  Port 1010\nMatch all\n' >"$S/conf.d/10-a.conf"
printf 'Port 2020\nUser from-b\n' >"$S/conf.d/20-b.conf"
printf 'Compression yes\nHost *\n  BatchMode yes\n' >"$S/inblock.conf"
printf 'Include %s/nested-2.conf\nForwardX11 yes\n' "$S" >"$S/nested-1.conf"
printf 'VisualHostKey yes\n' >"$S/nested-2.conf"
cat >"$S/include.conf" <<EOF
Include $S/conf.d/*.conf
Host nothing
  Include $S/inblock.conf
Host *
  Include $S/nomatch-*.conf $S/nested-1.conf
  User from-main
EOF
for host in inc nothing other; do
  compare include "" -- -F "$S/include.conf" "$host"
done

echo "== tokens, ~ and \${VAR}"
cat >"$S/tokens.conf" <<'EOF'
Host alias
  HostName Target.Example
  Port 2200
  User remote
  HostKeyAlias KeyAlias
  UserKnownHostsFile ~/kh/%h-%p-%r %d/%u/%l/%L/%i/%%/%n/%k ${SSHKIT_CFG_TEST_VAR}/%C
  ControlPath ~/cm-%r@%h:%p-%C
  RemoteCommand echo %h %n %p %r %u %C %k %%
  IdentityAgent ~/agent-%h.sock
  ForwardAgent ${SSHKIT_CFG_TEST_VAR}/fwd-%r.sock
  LocalForward /tmp/l-%h.sock /run/r-%r.sock
  RemoteForward /tmp/rl-%n.sock 127.0.0.1:22
  IdentityFile ~/.ssh/id_%h_%r
  CertificateFile %d/cert-%h
EOF
compare tokens "identityfile" -- -F "$S/tokens.conf" alias
compare tokens "identityfile" -- -F "$S/tokens.conf" -p 2300 -l other alias

echo "== lists and accumulation"
cat >"$S/lists.conf" <<'EOF'
Host *
  IdentityFile ~/.ssh/one
  IdentityFile ~/.ssh/two
  IdentityFile ~/.ssh/one
  CertificateFile ~/.ssh/one-cert.pub
  SendEnv LANG LC_* XDG_A
  SendEnv -XDG_* EXTRA
  SetEnv A=1 "B=two words" A=3
  SetEnv C=4
  LocalForward 8080 localhost:80
  LocalForward 8080 localhost:80
  LocalForward [127.0.0.1]:8081 [::1]:81
  LocalForward 8082 /run/remote.sock
  DynamicForward 1080
  DynamicForward 127.0.0.1:1081
  RemoteForward 9000
  RemoteForward [::1]:9090 host:22
  UserKnownHostsFile /a /b
  UserKnownHostsFile /c
  GlobalKnownHostsFile none
  CanonicalDomains example.com Example.ORG.
  CanonicalizePermittedCNAMEs *.a.example.com:*.b.example.com,*.c.example.com
  # (ssh looks the name up for CNAMEs unless a proxy is used)
  ProxyCommand nc %h %p
  PermitRemoteOpen localhost:8080 [::1]:*
  LogVerbose kex.c:*:1000 packet.c:*
EOF
compare lists "identityfile" -- -F "$S/lists.conf" h
printf 'ClearAllForwardings yes\nLocalForward 1 h:2\nRemoteForward 3 h:4\n' >"$S/clear.conf"
compare clear "" -- -F "$S/clear.conf" h

echo "== values of every kind"
cat >"$S/values.conf" <<'EOF'
Host a
  EscapeChar ^]
  IPQoS af21 0x3f
  TunnelDevice any:3
  Tunnel yes
  ControlPersist 10m
  ControlMaster autoask
  AddKeysToAgent confirm 1h
  RekeyLimit 1G 1h
  StreamLocalBindMask 022
  SyslogFacility LOCAL3
  FingerprintHash md5
  ConnectTimeout 45
  ServerAliveInterval 1m
  ServerAliveCountMax 2
  ForwardX11Timeout 1h
  ProxyJump jump@10.0.0.1:2200,other
  ProxyCommand nc %h %p
  Ciphers aes128-ctr,aes256-gcm@openssh.com
  MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256
  KexAlgorithms curve25519-sha256,diffie-hellman-group14-sha256
  HostKeyAlgorithms ssh-ed25519,rsa-sha2-512
  PubkeyAcceptedAlgorithms rsa-sha2-256,ssh-ed25519
  StrictHostKeyChecking no
  PubkeyAuthentication host-bound
  RequestTTY force
  SessionType none
  AddressFamily inet6
  VerifyHostKeyDNS ask
  UpdateHostKeys ask
  CheckHostIP yes
  HostKeyAlias MyAlias
  BindAddress 127.0.0.1
  KbdInteractiveDevices pam
  LocalCommand echo %h
  PermitLocalCommand yes
  IgnoreUnknown Foo*
  LogLevel DEBUG
  NoHostAuthenticationForLocalhost yes
  RequiredRSASize 2048
  CanonicalizeMaxDots 3
  ConnectionAttempts 4
Host b
  ProxyCommand ssh -W %h:%p gw # comments are kept
  ProxyJump ignored
  EscapeChar none
  IPQoS reliability
  ControlPersist yes
  AddKeysToAgent 30m
  RekeyLimit default none
  ForwardAgent yes
  StrictHostKeyChecking accept-new
  RequestTTY no
  Compression no
  ConnectTimeout none
  UserKnownHostsFile none
  SecurityKeyProvider none
Host c
  ProxyJump none
  ProxyCommand nc %h %p
  ForwardAgent no
  ForwardAgent /never/used
  PubkeyAcceptedKeyTypes +ssh-rsa
  ChallengeResponseAuthentication no
  LogLevel quiet
EOF
alg="ciphers macs kexalgorithms hostkeyalgorithms pubkeyacceptedalgorithms"
compare values-a "$alg" -- -F "$S/values.conf" a
compare values-b "" -- -F "$S/values.conf" b
compare values-c "" -- -F "$S/values.conf" c
echo "compared $compared_total keyword lines with ssh -G"

echo "== malformed files: both refuse them, with the same message"
bad_lines=(
  "Port abc" "Port 0" "Port 22 23" "BatchMode maybe" "StrictHostKeyChecking sometimes"
  "ConnectTimeout 5x" "NumberOfPasswordPrompts -1" "RekeyLimit 10" "RekeyLimit 1Q"
  "LogLevel LOUD" "EscapeChar ab" "LocalForward 8080" "LocalForward 0 h:1" "SetEnv NOEQUALS"
  "SendEnv A=B" "User \"open" "IdentityFile" "Ciphers a,,b" "ProxyJump @@"
  "Compression true" "TunnelDevice x" "IPQoS bogus" "StreamLocalBindMask 9"
  "CanonicalDomains -bad" "IdentityAgent \${SSHKIT_CFG_TEST_UNSET}" "Host \"\""
)
for line in "${bad_lines[@]}"; do
  printf 'Host *\n  %s\n' "$line" >"$S/bad.conf"
  expect_status 255 "$SSH" -G -F "$S/bad.conf" h
  # (ssh may say why in a line of its own first: its line naming the file is compared)
  ssh -G -F "$S/bad.conf" h </dev/null 2>&1 >/dev/null | tr -d '\r' | grep -m1 "bad.conf line" \
    >"$S/os.first" || true
  head -1 "$S/last.err" >"$S/sk.first"
  same_file "$S/os.first" "$S/sk.first" "'$line': the message differs from ssh's"
  grep -q "bad.conf line 2: " "$S/sk.first" || fail "'$line': no file and line"
done
# Match lines: ssh words the reason apart from the line; sshkit names both at once.
for line in "Match host" "Match foo bar" "Match all host x" "Match #only"; do
  printf '%s\n' "$line" >"$S/bad.conf"
  expect_status 255 "$SSH" -G -F "$S/bad.conf" h
  grep -q "bad.conf line 1: " "$S/last.err" || fail "'$line': no file and line"
  expect_status 255 ssh -G -F "$S/bad.conf" h
done
# An Include loop: ssh stops at 16 levels, sshkit names the loop's line.
printf 'Port 1\nInclude %s/loop-b.conf\n' "$S" >"$S/loop-a.conf"
printf '\nInclude %s/loop-a.conf\n' "$S" >"$S/loop-b.conf"
expect_status 255 "$SSH" -G -F "$S/loop-a.conf" h
grep -qxF "$S/loop-b.conf line 2: Include loop: $S/loop-a.conf is already being read" \
  "$S/last.err" || fail "the Include loop is not named"
expect_status 255 ssh -G -F "$S/loop-a.conf" h
# A missing -F file.
expect_status 255 "$SSH" -G -F "$S/missing.conf" h
ssh -G -F "$S/missing.conf" h </dev/null 2>&1 | tr -d '\r' >"$S/openssh.err" || true
same_file "$S/openssh.err" "$S/last.err" "a missing -F file: the message differs"

echo "== sshkit-ssh connects where the configuration says"
ssh-keygen -q -t ed25519 -N '' -f "$S/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$S/id_$me"
cp "$S/id_$me.pub" "$S/authorized_keys"
trap stop_sshd EXIT
start_sshd <<CONF
HostKey $S/hostkey
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
CONF
cat >"$S/connect.conf" <<EOF
Match user nobody-$me
  Port 1
Host target
  HostName 127.0.0.1
  Port $sshd_port
  User $me
  IdentityFile $S/id_%r
  IdentitiesOnly yes
  UserKnownHostsFile $S/kh_%h
  StrictHostKeyChecking accept-new
  GlobalKnownHostsFile none
  BatchMode yes
# every keyword sshkit-ssh acts on, as -G renders it, goes back through its options
Host *
  HashKnownHosts yes
  PubkeyAuthentication unbound
  PasswordAuthentication no
  KbdInteractiveAuthentication no
  PreferredAuthentications publickey,password
  RequestTTY no
  ConnectTimeout 20
  RekeyLimit 1G 1h
  NumberOfPasswordPrompts 1
  Compression no
  ForwardAgent no
  ServerAliveInterval 0
  Ciphers aes128-ctr
  MACs hmac-sha2-256
  KexAlgorithms curve25519-sha256
  HostKeyAlgorithms ssh-ed25519
  PubkeyAcceptedAlgorithms ssh-ed25519
  IdentityAgent none
  ProxyCommand none
  AddressFamily inet
  LogLevel ERROR
EOF
expect_status 0 timeout 30 "$SSH" -F "$S/connect.conf" target echo configured
grep -qx configured "$S/last.out" || fail "the command's output is missing"
[ -s "$S/kh_127.0.0.1" ] || fail "UserKnownHostsFile with %h was not written"
grep -q '^|1|' "$S/kh_127.0.0.1" || fail "HashKnownHosts from the file was not applied"
# The command line wins over the file: the same host with -p 1 is refused.
expect_status 255 timeout 30 "$SSH" -F "$S/connect.conf" -p 1 target true
grep -qF "port 1: Connection refused" "$S/last.err" || fail "-p did not win over Port"
# Match user sees -l's user, before the Host block's User.
expect_status 255 timeout 30 "$SSH" -F "$S/connect.conf" -l "nobody-$me" target true
grep -qF "port 1: Connection refused" "$S/last.err" || fail "Match user did not see -l"
echo "ok"
