#!/usr/bin/env bash
# Channels and the high-level client against OpenSSH's sshd: exec with exit
# codes 0..255, stderr kept apart from stdout, a large stream through stdin
# and back with equal checksums (whole-command and streaming APIs), and
# several commands over one connection's life.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
trap stop_sshd EXIT
user=$(id -un)

ssh-keygen -q -t ed25519 -N '' -f "$S/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$S/id_ed25519"
cp "$S/id_ed25519.pub" "$S/authorized_keys"
start_sshd <<CONF
HostKey $S/host_ed25519
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
AcceptEnv SK_*
CONF
printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$S/host_ed25519.pub")" >"$S/known_hosts"

run() {
  "$BIN/sshkit-run-probe" -p "$sshd_port" -l "$user" -i "$S/id_ed25519" -o "$S/known_hosts" "$@"
}

# Exit codes pass through, every one of them.
for code in 0 1 2 7 42 100 127 128 200 254 255; do
  got=0
  run 127.0.0.1 "exit $code" </dev/null || got=$?
  [ "$got" -eq "$code" ] || fail "exit $code came back as $got"
done

# stdout and stderr stay apart.
run 127.0.0.1 'echo out; echo err >&2; echo out2' </dev/null >"$S/out" 2>"$S/err"
[ "$(cat "$S/out")" = "$(printf 'out\nout2')" ] || fail "stdout: $(cat "$S/out")"
[ "$(cat "$S/err")" = "err" ] || fail "stderr: $(cat "$S/err")"

# 64 MiB through stdin and back, with both APIs.
head -c $((64 << 20)) /dev/urandom >"$S/big"
want=$(sha256sum <"$S/big" | cut -d' ' -f1)
for mode in run stream; do
  flag=(); [ $mode = stream ] && flag=(-b)
  run "${flag[@]}" 127.0.0.1 'cat' <"$S/big" >"$S/back"
  got=$(sha256sum <"$S/back" | cut -d' ' -f1)
  [ "$got" = "$want" ] || fail "$mode: 64 MiB came back different"
  run "${flag[@]}" 127.0.0.1 'sha256sum' <"$S/big" >"$S/sum"
  [ "$(cut -d' ' -f1 "$S/sum")" = "$want" ] || fail "$mode: the server saw other bytes"
done

# Variables from the options reach the command, with both APIs, as far as
# the server's AcceptEnv lets them; a malformed entry is refused locally.
for flag in "" -b; do
  out=$(run $flag -e SK_ONE=1 -e 'SK_TWO=a b' -e NOT_ACCEPTED=x 127.0.0.1 \
    'echo "$SK_ONE/$SK_TWO/${NOT_ACCEPTED-unset}"' </dev/null) || fail "env ${flag:-run}: failed"
  [ "$out" = "1/a b/unset" ] || fail "env ${flag:-run}: got '$out'"
done
got=0
run -e =novalue 127.0.0.1 true </dev/null 2>/dev/null || got=$?
[ "$got" -eq 255 ] || fail "an env entry without a name was accepted ($got)"

# A command the server cannot run is an exit status, not a crash.
got=0
run 127.0.0.1 'no-such-command-anywhere' </dev/null 2>"$S/err" || got=$?
[ "$got" -eq 127 ] || fail "a missing command gave $got"
grep -q "not found" "$S/err" || fail "the shell's complaint was lost"
echo "channels interop: all checks passed"
