#!/usr/bin/env bash
# sshkit-sshd's sessions against OpenSSH's ssh: exec with exit codes,
# stderr apart, a command killed by a signal, 64 MiB each way, clients in
# parallel, the environment, ForceCommand, ssh -T and ssh -tt on a pty
# (driven in tmux: tty, size, window-change, ^C), and bad input from
# sshkit-sessions-probe (absurd pty sizes, a huge exec, 10,000 channel
# opens past MaxSessions) while another client is served.
# Remote commands are single-quoted on purpose: they expand on the server.
# shellcheck disable=SC2016
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
me=$(id -un)

"$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/host" </dev/null
"$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/id" </dev/null
"$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/id_forced" </dev/null
mkdir -p "$S/keys"
{ cat "$S/id.pub"; printf 'command="echo forced:$SSH_ORIGINAL_COMMAND",no-pty '; cat "$S/id_forced.pub"; } \
  >"$S/keys/$me.authorized"

srv_pid=
tmux_sock=sshd-ch-$$
cleanup() {
  tmux -L "$tmux_sock" kill-server 2>/dev/null || true
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

start_server() {
  local _try
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s/host\nAuthorizedKeysFile %%h/keys/%%u.authorized\nLogLevel VERBOSE\nSubsystem echo /bin/cat\n' \
      "$port" "$S" >"$S/config"
    : >"$S/server.log"
    HOME=$S "$BIN/sshkit-sshd" -D -e -f "$S/config" "$@" 2>>"$S/server.log" &
    srv_pid=$!
    wait_for_line "$S/server.log" 50 "Server listening on 127.0.0.1 port $port" && return 0
    kill "$srv_pid" 2>/dev/null || true
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=
  done
  fail "sshkit-sshd did not start: $(cat "$S/server.log")"
}

stop_server() {
  kill "$srv_pid"
  wait "$srv_pid" || fail "sshkit-sshd did not exit 0 on SIGTERM"
  srv_pid=
}

sshc() {  # ssh to the server with the test key (or $key); bounded
  timeout 60 ssh -p "$port" -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no \
    -o LogLevel=ERROR -o BatchMode=yes -o IdentitiesOnly=yes -i "${key:-$S/id}" "$@"
}

start_server

# ---- exec: exit codes, stderr apart, signals ----
for code in 0 1 2 127 128 255; do
  got=0
  sshc 127.0.0.1 "exit $code" </dev/null || got=$?
  [ "$got" -eq "$code" ] || fail "exit $code came back as $got"
done
echo "ok: exit codes 0 1 2 127 128 255"

sshc 127.0.0.1 'echo out; echo err >&2' </dev/null >"$S/out" 2>"$S/err"
[ "$(cat "$S/out")" = out ] || fail "stdout: $(cat "$S/out")"
[ "$(cat "$S/err")" = err ] || fail "stderr: $(cat "$S/err")"
got=0
sshc 127.0.0.1 'nonesuch-command-xyz' </dev/null 2>"$S/err" || got=$?
[ "$got" -eq 127 ] || fail "a missing command exited $got"
grep -q "nonesuch-command-xyz" "$S/err" || fail "the shell's complaint did not reach stderr"
wait_for_line "$S/server.log" 30 "Starting session: command for $me from 127.0.0.1 port [0-9]* id 0" ||
  fail "no 'Starting session' line: $(cat "$S/server.log")"
echo "ok: stdout and stderr apart, 127 for a missing command"

got=0
sshc -v 127.0.0.1 'kill -TERM $$' </dev/null 2>"$S/err" || got=$?
[ "$got" -eq 255 ] || fail "a command killed by SIGTERM: ssh exited $got"
grep -q "rtype exit-signal" "$S/err" || fail "no exit-signal: $(cat "$S/err")"
echo "ok: exit-signal"

# ---- environment ----
LANG=C.UTF-8 LC_FOO=bar sshc -o SendEnv='LANG LC_* FOO' 127.0.0.1 env </dev/null | sort >"$S/env" ||
  fail "env failed"
for v in "USER=$me" "LOGNAME=$me" "HOME=$S" "SHELL=" "PATH=" "LANG=C.UTF-8" "LC_FOO=bar" \
  "SSH_CONNECTION=127.0.0.1 [0-9]* 127.0.0.1 $port" "SSH_CLIENT=127.0.0.1 [0-9]* $port"; do
  grep -q "^$v" "$S/env" || fail "no $v in: $(cat "$S/env")"
done
! grep -q "^SSH_TTY=\|^TERM=" "$S/env" || fail "SSH_TTY or TERM without a pty"
echo "ok: environment"

# ---- 64 MiB each way ----
head -c $((64 << 20)) /dev/urandom >"$S/big"
sshc 127.0.0.1 cat <"$S/big" >"$S/back" || fail "cat through the server failed"
[ "$(sha256sum <"$S/big")" = "$(sha256sum <"$S/back")" ] || fail "64 MiB came back different"
n=$(sshc 127.0.0.1 'head -c 67108864 /dev/zero' </dev/null | wc -c)
[ "$n" -eq 67108864 ] || fail "64 MiB from the server arrived as $n bytes"
n=$(sshc 127.0.0.1 'head -c 67108864 /dev/zero >&2' </dev/null 2>&1 >/dev/null | wc -c)
[ "$n" -eq 67108864 ] || fail "64 MiB of stderr arrived as $n bytes"
echo "ok: 64 MiB through cat (same checksum), 64 MiB out, 64 MiB of stderr"

# ---- several clients at once; a slow reader holds back only itself ----
pids=
for i in 1 2 3 4 5 6; do
  sshc 127.0.0.1 "head -c 4194304 /dev/zero; echo done-$i >&2" </dev/null >"$S/par$i.out" \
    2>"$S/par$i.err" &
  pids="$pids $!"
done
sshc 127.0.0.1 'head -c 8388608 /dev/zero' </dev/null | { sleep 3; wc -c >"$S/slow.count"; } &
slow=$!
for p in $pids; do wait "$p" || fail "a parallel client failed"; done
for i in 1 2 3 4 5 6; do
  [ "$(wc -c <"$S/par$i.out")" -eq 4194304 ] || fail "client $i got $(wc -c <"$S/par$i.out") bytes"
  grep -q "done-$i" "$S/par$i.err" || fail "client $i: no stderr"
done
kill -0 "$slow" 2>/dev/null || fail "the slow reader finished before the others"
wait "$slow"
[ "$(cat "$S/slow.count")" -eq 8388608 ] || fail "the slow reader lost bytes"
echo "ok: 6 clients in parallel while a slow reader waits"

# ---- subsystem, ForceCommand, command= ----
printf 'hello subsystem\n' | sshc -s 127.0.0.1 echo >"$S/sub" || fail "Subsystem echo failed"
[ "$(cat "$S/sub")" = "hello subsystem" ] || fail "subsystem: $(cat "$S/sub")"
! sshc -s 127.0.0.1 sftp </dev/null 2>/dev/null || fail "an unknown subsystem was granted"
out=$(key=$S/id_forced sshc 127.0.0.1 'what I asked' </dev/null) || fail "command= failed"
[ "$out" = "forced:what I asked" ] || fail "command=: $out"
grep -q "Starting session: forced-command (key-option) 'echo forced:" "$S/server.log" ||
  fail "no forced-command line"
echo "ok: Subsystem, command= with SSH_ORIGINAL_COMMAND"
stop_server

start_server -o "ForceCommand echo config-forced"
out=$(sshc 127.0.0.1 'anything' </dev/null) || fail "ForceCommand failed"
[ "$out" = config-forced ] || fail "ForceCommand: $out"
stop_server
echo "ok: ForceCommand"

# AcceptEnv: patterns, lines add up, replaces the LANG/LC_* default, and never
# lets a client override what the server sets itself.
start_server -o "AcceptEnv FOO_* BAR" -o "AcceptEnv USER"
FOO_X=1 BAR=2 LANG=C.UTF-8 USER=evil sshc -o SendEnv='FOO_* BAR LANG USER' 127.0.0.1 env </dev/null |
  sort >"$S/env" || fail "env with AcceptEnv failed"
for v in FOO_X=1 BAR=2 "USER=$me"; do
  grep -qx "$v" "$S/env" || fail "AcceptEnv: no $v in: $(cat "$S/env")"
done
! grep -q "^LANG=\|^USER=evil" "$S/env" || fail "AcceptEnv let through: $(cat "$S/env")"
stop_server
echo "ok: AcceptEnv"

# ---- ptys ----
start_server -o "MaxSessions 3"
[ "$(sshc -T 127.0.0.1 tty </dev/null || true)" = "not a tty" ] || fail "ssh -T got a tty"
out=$(sshc -tt 127.0.0.1 'tty; echo TERM=$TERM' </dev/null | tr -d '\r')
echo "$out" | grep -q '^/dev/pts/[0-9]*$' || fail "ssh -tt: no pts: $out"
echo "$out" | grep -q '^TERM=' || fail "ssh -tt: no TERM: $out"
! key=$S/id_forced sshc -tt 127.0.0.1 tty </dev/null 2>&1 | grep -q '/dev/pts' ||
  fail "no-pty gave a pty"
grep -q "pty request refused by no-pty" "$S/server.log" || fail "no-pty was not applied"

# An interactive shell on a pty, through script(1): the terminal's size,
# the pts, the shell's exit status.
(sleep 3; printf 'echo mark-$((6*7)); tty; stty size\n'; sleep 2; printf 'exit 7\n') |
  timeout 60 script -qec "stty cols 100 rows 30; ssh -tt -p $port -o UserKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=no -o LogLevel=ERROR -o BatchMode=yes -o IdentitiesOnly=yes \
    -i $S/id 127.0.0.1" /dev/null | tr -d '\r' >"$S/pty.out" || status=$?
status=${status:-0}
grep -q 'mark-42$' "$S/pty.out" || fail "pty shell: no output: $(cat "$S/pty.out")"
grep -q '/dev/pts/[0-9]' "$S/pty.out" || fail "pty shell: no pts: $(cat "$S/pty.out")"
grep -q '30 100$' "$S/pty.out" || fail "pty shell: wrong size: $(cat "$S/pty.out")"
[ "$status" = 7 ] || fail "pty shell: exit status $status, wanted 7"
# The same, interactive, in tmux: window-change, ^C, exit status. (timeout
# must stay in the foreground: in a background process group ssh would be
# stopped by SIGTTOU when it puts the terminal in raw mode.)
tm() { tmux -L "$tmux_sock" "$@"; }
tm new-session -d -x 100 -y 30 -s t
tm respawn-pane -k -t t "timeout --foreground 120 ssh -tt -p $port -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR -o BatchMode=yes -o IdentitiesOnly=yes -i $S/id 127.0.0.1; echo ssh-exit-status:\$?; sleep 60"
screen() { tm capture-pane -p -t t; }
wait_screen() {
  for _ in $(seq 100); do screen | grep -q -- "$1" && return 0; sleep 0.1; done
  fail "the pty never showed '$1': $(screen)"
}
tm send-keys -t t 'echo mark-$((6*7)); tty; stty size' Enter
wait_screen 'mark-42'
wait_screen '^30 100'
tm resize-window -t t -x 120 -y 40
sleep 0.5
tm send-keys -t t 'stty size' Enter
wait_screen '^40 120'
tm send-keys -t t 'sleep 50' Enter
sleep 0.5
tm send-keys -t t C-c
tm send-keys -t t 'echo after-$((1+1))' Enter
wait_screen 'after-2'
tm send-keys -t t 'exit 7' Enter
wait_screen 'ssh-exit-status:7$'
tm kill-server
grep -q "Starting session: shell on pts/[0-9]* for $me from 127.0.0.1 port [0-9]* id 0" "$S/server.log" ||
  fail "no 'shell on pts' line: $(cat "$S/server.log")"
echo "ok: ssh -T, ssh -tt: pts, size, window-change, ^C, exit status; no-pty"

# ---- bad input, while another client is served ----
probe=("$BIN/sshkit-sessions-probe" -p "$port" -l "$me" -i "$S/id" -o "$S/probe_known_hosts" 127.0.0.1)
sshc 127.0.0.1 'sleep 2; echo parallel-ok' </dev/null >"$S/parallel.out" &
par=$!
timeout 60 "${probe[@]}" bigpty >"$S/probe.out" || fail "bigpty: $(cat "$S/probe.out")"
grep -q "pty refused" "$S/probe.out" || fail "an absurd pty was granted"
grep -q "exec after it granted" "$S/probe.out" || fail "the channel was unusable after it"
timeout 60 "${probe[@]}" bigexec >"$S/probe.out" || fail "bigexec: $(cat "$S/probe.out")"
grep -q "exec 204800: refused" "$S/probe.out" || fail "a 200 KiB exec was not refused"
timeout 60 "${probe[@]}" opens 10000 >"$S/probe.out" || fail "opens: $(cat "$S/probe.out")"
grep -q "opened 3 refused 9997" "$S/probe.out" || fail "MaxSessions 3: $(cat "$S/probe.out")"
grep -q still-ok "$S/probe.out" || fail "the probe's connection stopped serving"
wait "$par" || fail "the client in parallel failed"
[ "$(cat "$S/parallel.out")" = parallel-ok ] || fail "parallel client: $(cat "$S/parallel.out")"
echo "ok: absurd pty, 200 KiB exec, 10,000 opens past MaxSessions; another client served meanwhile"

stop_server
echo "PASS"
