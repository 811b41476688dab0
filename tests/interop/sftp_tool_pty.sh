#!/usr/bin/env bash
# sshkit-sftp on a terminal, against OpenSSH's sshd: the "sftp> " prompt
# and the progress meter (its frames held to OpenSSH's sftp's, the rate
# and times masked), through script(1); no meter in batch mode; ^C in
# tmux stops a download (the local file keeps the bytes received in
# order) and the session goes on.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
tmux_sock=sftptool-pty-$$
cleanup() {
  tmux -L "$tmux_sock" kill-server 2>/dev/null || true
  stop_sshd
}
trap cleanup EXIT
. "$(dirname "$0")/sftp_tool_lib.bash"
start_sftp_server /usr/lib/openssh/sftp-server
head -c $((64 * 1024 * 1024)) /dev/urandom >"$S/m64"

# Runs a client on a pty 100 columns wide with the commands of $S/pty.in;
# its screen output goes to $S/NAME.pty.
on_pty() {
  local name=$1
  shift
  timeout --foreground 120 script -qec "stty cols 100 rows 30; $*" /dev/null \
    <"$S/pty.in" >"$S/$name.pty"
}

# The meter's frames (the text between carriage returns that shows a
# percentage), the rate and the times masked.
frames() {
  tr '\r' '\n' <"$1" | grep -E ' [0-9]+% ' |
    sed -E -e 's# +[0-9]+\.[0-9][KMGT]B/s# RATE/s#' \
           -e 's#/s +([0-9]+:)?[0-9]{2}:[0-9]{2}( ETA|    )$#/s TIME\2#' -e 's#/s - stalled -$#/s TIME#'
}

for who in openssh sshkit; do
  rm -f "$S/m64.copy" "$S/up.copy"
  printf 'get %s/m64 %s/m64.copy\nput %s/m64.copy %s/up.copy\nbye\n' "$S" "$S" "$S" "$S" >"$S/pty.in"
  client=sftp
  [ "$who" = sshkit ] && client=$SFTP
  on_pty "$who" "$client" "${conn[*]}" 127.0.0.1 || fail "$who on a pty: exit status $?"
  cmp "$S/m64" "$S/m64.copy" || fail "$who: get on a pty: the copy differs"
  cmp "$S/m64" "$S/up.copy" || fail "$who: put on a pty: the copy differs"
  frames "$S/$who.pty" >"$S/$who.frames"
done
grep -q '^sftp> ' "$S/sshkit.pty" || fail "no sftp> prompt: $(cat -A "$S/sshkit.pty")"
grep -q 'Connected to 127.0.0.1.' "$S/sshkit.pty" || fail "no 'Connected to' line"
grep -qE '^m64 +100%  +64MB RATE/s TIME    $' "$S/sshkit.frames" ||
  fail "no final frame for the download: $(cat "$S/sshkit.frames")"
grep -qE "^m64.copy +100%  +64MB RATE/s TIME    $" "$S/sshkit.frames" ||
  fail "no final frame for the upload: $(cat "$S/sshkit.frames")"
# The same frames as OpenSSH's (how many come between depends on speed):
# the first and the last of each transfer.
ends() { awk '/  0% / || / 100% /' "$1" | sort -u; }
same_file <(ends "$S/openssh.frames") <(ends "$S/sshkit.frames") \
  "the meter's frames differ from OpenSSH's"
echo "ok: prompt and progress meter on a terminal, as OpenSSH's"

# Batch mode on a terminal: no meter.
printf 'get %s/m64 %s/m64.batch\n' "$S" "$S" >"$S/batch.in"
: >"$S/pty.in"
on_pty batch "$SFTP" -b "$S/batch.in" "${conn[*]}" 127.0.0.1 || fail "batch on a pty failed"
cmp "$S/m64" "$S/m64.batch" || fail "batch on a pty: the copy differs"
! grep -q '%' "$S/batch.pty" || fail "a meter in batch mode: $(cat -A "$S/batch.pty")"
echo "ok: no meter in batch mode"

# ^C during a download (made slow with one request of 1 KiB at a time),
# once the meter shows a rate and a time left: "Interrupt", the partial
# file holds the start of the source, the next command runs, bye ends
# with status 0.
tm() { tmux -L "$tmux_sock" "$@"; }
tm new-session -d -x 100 -y 30 -s t
tm respawn-pane -k -t t "cd $S && timeout --foreground 120 $SFTP -R 1 -B 1024 ${conn[*]} 127.0.0.1; echo sftp-exit-status:\$?; sleep 60"
screen() { tm capture-pane -p -t t; }
wait_screen() {
  for _ in $(seq 300); do screen | grep -Eq -- "$1" && return 0; sleep 0.1; done
  fail "the terminal never showed '$1': $(screen)"
}
wait_screen '^sftp>'
tm send-keys -t t "get $S/m64 $S/m64.int" Enter
# A frame with a time left: the meter has measured a rate (not 0).
wait_screen 'm64 +[0-9]+% .*B/s +([0-9]+:)?[0-9]{2}:[0-9]{2} ETA'
tm send-keys -t t C-c
wait_screen 'Interrupt'
tm send-keys -t t 'lpwd' Enter
wait_screen "Local working directory: $S"
tm send-keys -t t 'bye' Enter
wait_screen 'sftp-exit-status:0$'
size=$(stat -c %s "$S/m64.int")
[ "$size" -gt 0 ] && [ "$size" -lt $((64 * 1024 * 1024)) ] || fail "^C: the partial file has $size bytes"
cmp -n "$size" "$S/m64" "$S/m64.int" || fail "^C: the partial file is not the start of the source"
echo "ok: ^C stops a download, the session goes on ($size bytes kept)"
echo "PASS"
