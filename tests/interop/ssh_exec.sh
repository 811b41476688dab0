#!/usr/bin/env bash
# sshkit-ssh running commands and shells on OpenSSH's sshd, side by side
# with OpenSSH's ssh where that is cheap: exit statuses, stderr apart, -n,
# quoting, large streams both ways, a command killed by a signal, -T, and
# pty sessions driven through script(1): the remote tty and its size,
# window-change, terminal modes, an interactive shell, ~., the local
# terminal given back after the end and after SIGTERM, refused ptys and
# refused sessions.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
SSH=$BIN/sshkit-ssh
user=$(id -un)
export HOME=$S/home        # no default file of the real user is read or written
mkdir -p "$HOME"
unset SSH_AUTH_SOCK DISPLAY SSH_ASKPASS SSH_ASKPASS_REQUIRE
export TERM=vt220
trap stop_sshd EXIT

ssh-keygen -q -t ed25519 -N '' -f "$S/host"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
serve() {
  start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
$*
CONF
  printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$S/host.pub")" >"$S/known_hosts"
  opts=(-p "$sshd_port" -i "$S/id" -o UserKnownHostsFile="$S/known_hosts"
        -o GlobalKnownHostsFile=/dev/null -o BatchMode=yes)
  dest=$user@127.0.0.1
}
serve
# Both clients' command lines, as one string for script -c.
kcmd="$SSH ${opts[*]}"
ocmd="ssh ${opts[*]}"

# Runs one client ($1: sshkit or openssh) with the rest as its arguments;
# stdout, stderr and the status in $S/<client>.{out,err,rc}.
run_as() {
  local who=$1 prog=$SSH rc=0
  shift
  [ "$who" = openssh ] && prog=ssh
  "$prog" "${opts[@]}" "$@" >"$S/$who.out" 2>"$S/$who.err" || rc=$?
  echo "$rc" >"$S/$who.rc"
  # ssh ends its messages with CR LF.
  tr -d '\r' <"$S/$who.err" >"$S/$who.err.tmp" && mv "$S/$who.err.tmp" "$S/$who.err"
}
# Runs both with stdin from /dev/null; fails unless stdout and the status match.
same_as_openssh() {
  run_as sshkit "$@" </dev/null
  run_as openssh "$@" </dev/null
  same_file "$S/openssh.out" "$S/sshkit.out" "stdout differs from ssh's for: $*"
  same_file "$S/openssh.rc" "$S/sshkit.rc" "the status differs from ssh's for: $*"
}

echo "== exit statuses pass through, as with ssh"
for code in 0 1 2 42 127 255; do
  same_as_openssh "$dest" "exit $code"
  [ "$(cat "$S/sshkit.rc")" -eq "$code" ] || fail "exit $code came back as $(cat "$S/sshkit.rc")"
done
same_as_openssh "$dest" no-such-command-anywhere
grep -q "not found" "$S/sshkit.err" || fail "the shell's complaint was lost"

echo "== stderr apart from stdout"
run_as sshkit "$dest" 'echo out; echo err >&2; echo out2; exit 3' </dev/null
[ "$(cat "$S/sshkit.out")" = "$(printf 'out\nout2')" ] || fail "stdout: $(cat "$S/sshkit.out")"
[ "$(cat "$S/sshkit.err")" = "err" ] || fail "stderr: $(cat "$S/sshkit.err")"
[ "$(cat "$S/sshkit.rc")" -eq 3 ] || fail "status $(cat "$S/sshkit.rc")"

echo "== words joined with spaces, quoting kept"
same_as_openssh "$dest" 'printf "%s\n" a b'
[ "$(cat "$S/sshkit.out")" = "$(printf 'a\nb')" ] || fail "quoting: $(cat "$S/sshkit.out")"
same_as_openssh "$dest" printf '%s-' x 'y z'
[ "$(cat "$S/sshkit.out")" = "x-y-z-" ] || fail "joined words: $(cat "$S/sshkit.out")"

echo "== stdin reaches the command; -n keeps it away"
printf 'line one\nline two\n' >"$S/small"
run_as sshkit "$dest" 'cat; echo done' <"$S/small"
[ "$(cat "$S/sshkit.out")" = "$(printf 'line one\nline two\ndone')" ] || fail "stdin: $(cat "$S/sshkit.out")"
run_as sshkit -n "$dest" 'cat; echo done' <"$S/small"
[ "$(cat "$S/sshkit.out")" = "done" ] || fail "-n: $(cat "$S/sshkit.out")"

echo "== -T: no tty; -t without a terminal: ssh's notice"
same_as_openssh -T "$dest" tty
grep -qx "not a tty" "$S/sshkit.out" || fail "-T tty: $(cat "$S/sshkit.out")"
same_as_openssh -t "$dest" 'tty; true'
same_file "$S/openssh.err" "$S/sshkit.err" "-t without a terminal: messages differ from ssh's"
grep -qx "Pseudo-terminal will not be allocated because stdin is not a terminal." "$S/sshkit.err" ||
  fail "no pseudo-terminal notice"
same_as_openssh -q -t "$dest" true
[ ! -s "$S/sshkit.err" ] || fail "-q did not silence the notice"

echo "== a command killed by a signal: 255 and nothing said, as ssh"
same_as_openssh "$dest" 'echo before; kill -9 $$'
[ "$(cat "$S/sshkit.rc")" -eq 255 ] || fail "kill -9 gave $(cat "$S/sshkit.rc")"
same_file "$S/openssh.err" "$S/sshkit.err" "kill -9: messages differ from ssh's"

# CI runs the suite under sanitizers too, where 256 MiB is slow: 64 MiB there.
mib=256
if grep -q '^SSHKIT_SANITIZE:BOOL=ON' "$BIN/../CMakeCache.txt" 2>/dev/null || [ -n "${ASAN_OPTIONS:-}" ]; then
  mib=64
fi
echo "== $mib MiB through stdin and back; $mib MiB from the server"
head -c $((mib << 20)) /dev/urandom >"$S/big"
want=$(sha256sum <"$S/big" | cut -d' ' -f1)
got=$("$SSH" "${opts[@]}" "$dest" cat <"$S/big" | sha256sum | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "$mib MiB came back different"
got=$("$SSH" "${opts[@]}" "$dest" sha256sum <"$S/big" | cut -d' ' -f1)
[ "$got" = "$want" ] || fail "the server saw other bytes"
got=$("$SSH" "${opts[@]}" "$dest" "head -c $((mib << 20)) /dev/zero" </dev/null | wc -c)
[ "$got" -eq $((mib << 20)) ] || fail "from the server: $got bytes"
rm -f "$S/big"

echo "== stdout closed early: the command is stopped, status 255 as ssh"
rc=0
{ timeout 20 "$SSH" "${opts[@]}" "$dest" yes </dev/null | head -n 1 >"$S/head.out"
  rc=${PIPESTATUS[0]}; } || true
[ "$rc" -eq 255 ] || fail "yes | head gave $rc"

# Runs a command line in a new pseudo-terminal (script -c); its output,
# without carriage returns, in $S/pty.out.
in_pty() {
  script -qfec "$1" /dev/null </dev/null | tr -d '\r\000' >"$S/pty.out"
}
# The lines both clients print in the refusal tests below (the remote
# shell's start-up files may add their own).
known_lines() {
  grep -E '^(PTY allocation|channel 0:|ran$|rc=|Connection to)' "$1" >"$2" || true
}
# Counts the sessions sshd has started, to wait for the next one.
sessions() {
  grep -c "Starting session" "$S/sshd.log" || true
}
wait_session() {
  local before=$1
  for _ in $(seq 100); do
    [ "$(sessions)" -gt "$before" ] && return 0
    sleep 0.1
  done
  return 1
}

echo "== a pty: the remote tty, its size, TERM and modes as ssh sends them"
in_pty "stty cols 100 rows 30; $kcmd -tt $dest 'tty; stty size; echo \$TERM'; echo rc=\$?"
grep -q "/dev/pts/[0-9]*$" "$S/pty.out" || fail "no /dev/pts path: $(cat "$S/pty.out")"
grep -q "30 100$" "$S/pty.out" || fail "size not 30 100: $(cat "$S/pty.out")"
grep -qx "vt220" "$S/pty.out" || fail "TERM not passed: $(cat "$S/pty.out")"
grep -qx "Connection to 127.0.0.1 closed." "$S/pty.out" || fail "no closing words"
grep -qx "rc=0" "$S/pty.out" || fail "pty status: $(cat "$S/pty.out")"
modes="stty cols 100 rows 30 -echoctl -icrnl intr ^A erase ^H"
for who in sshkit openssh; do
  cmd=$kcmd; [ $who = openssh ] && cmd=$ocmd
  in_pty "$modes; $cmd -tt $dest 'echo BEGIN; stty -a; echo END'"
  sed -n '/^BEGIN$/,/^END$/p' "$S/pty.out" >"$S/modes.$who"
done
grep -q "intr = ^A" "$S/modes.sshkit" || fail "no modes: $(cat "$S/pty.out")"
same_file "$S/modes.openssh" "$S/modes.sshkit" "the remote terminal's modes differ from ssh's"

echo "== window-change when the local terminal is resized"
n=$(sessions)
in_pty "stty cols 100 rows 30
( while [ \$(grep -c 'Starting session' $S/sshd.log) -le $n ]; do sleep 0.1; done
  sleep 0.5; stty cols 120 rows 40 </dev/tty ) &
$kcmd -tt $dest 'sleep 2; stty size'"
grep -q "40 120$" "$S/pty.out" || fail "no window-change: $(cat "$S/pty.out")"

echo "== an interactive shell: input typed, output seen, the terminal given back"
n=$(sessions)
{
  wait_session "$n" || true
  sleep 0.5
  printf 'echo hel""lo; exit 3\r'
  sleep 2
} | script -qfec "stty -g >$S/stty.before; $kcmd $dest; echo rc=\$?; stty -g >$S/stty.after" \
  /dev/null | tr -d '\r\000' >"$S/pty.out"
grep -q "hello$" "$S/pty.out" || fail "the shell's output: $(cat "$S/pty.out")"
grep -q "rc=3$" "$S/pty.out" || fail "the shell's status: $(cat "$S/pty.out")"
same_file "$S/stty.before" "$S/stty.after" "the local terminal was not restored"

echo "== ~. ends the session: 255, the terminal given back"
n=$(sessions)
{
  wait_session "$n" || true
  sleep 0.5
  printf '\r~.'
  sleep 2
} | script -qfec "stty -g >$S/stty.before; $kcmd $dest; echo rc=\$?; stty -g >$S/stty.after" \
  /dev/null | tr -d '\r\000' >"$S/pty.out"
grep -q "rc=255$" "$S/pty.out" || fail "~.: $(cat "$S/pty.out")"
grep -q "Connection to 127.0.0.1 closed.$" "$S/pty.out" || fail "~.: no closing words"
same_file "$S/stty.before" "$S/stty.after" "the local terminal was not restored after ~."

echo "== SIGTERM in raw mode: 255, the terminal given back"
n=$(sessions)
rm -f "$S/client.pid"
{
  wait_session "$n" || true
  sleep 0.5
  kill -TERM "$(cat "$S/client.pid")"
  sleep 1
} | script -qfec "stty -g >$S/stty.before; sh -c 'echo \$\$ >$S/client.pid; exec $kcmd $dest'; echo rc=\$?; stty -g >$S/stty.after" \
  /dev/null | tr -d '\r\000' >"$S/pty.out"
grep -q "rc=255$" "$S/pty.out" || fail "SIGTERM: $(cat "$S/pty.out")"
same_file "$S/stty.before" "$S/stty.after" "the local terminal was not restored after SIGTERM"

echo "== a refused pty (PermitTTY no) and a refused session (MaxSessions 0), as ssh"
stop_sshd
serve "PermitTTY no"
kcmd="$SSH ${opts[*]}"
ocmd="ssh ${opts[*]}"
for flags in "-t" ""; do
  in_pty "$kcmd $flags $dest 'echo ran'; echo rc=\$?"
  known_lines "$S/pty.out" "$S/pty.sshkit"
  in_pty "$ocmd $flags $dest 'echo ran'; echo rc=\$?"
  known_lines "$S/pty.out" "$S/pty.openssh"
  same_file "$S/pty.openssh" "$S/pty.sshkit" "PermitTTY no, '$flags': output differs from ssh's"
done
grep -qx "rc=0" "$S/pty.sshkit" || fail "without -t a refused pty is not needed"
stop_sshd
serve "MaxSessions 0"
kcmd="$SSH ${opts[*]}"
ocmd="ssh ${opts[*]}"
in_pty "$kcmd -t $dest true; echo rc=\$?"
known_lines "$S/pty.out" "$S/pty.sshkit"
in_pty "$ocmd -t $dest true; echo rc=\$?"
known_lines "$S/pty.out" "$S/pty.openssh"
same_file "$S/pty.openssh" "$S/pty.sshkit" "a refused session: output differs from ssh's"
grep -q "channel 0: open failed" "$S/pty.sshkit" || fail "no open failure message"
echo "ok"
