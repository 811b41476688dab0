#!/usr/bin/env bash
# ChrootDirectory for internal-sftp: OpenSSH's sftp tries to leave the
# root of sshkit-sshd (no chroot(2): openat2 RESOLVE_IN_ROOT) with "..",
# /etc/passwd, a link to "/", a link it makes inside pointing out, renames,
# hard links, mkdir and put aimed out; the same batch runs against
# OpenSSH's sshd (a real chroot) on an identical jail, and both must print
# the same, leave the same jail and touch nothing outside it. Then %h and
# %u in ChrootDirectory, a jail that is missing, and a command refused
# while ChrootDirectory is set.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
. "$(dirname "$0")/sftp_server.bash"
setup_scratch
S=$SCRATCH
J=$S/jail                   # the root both servers confine to
OUT=$S/outside              # next to it: must stay as it is
DL=$S/dl

cleanup() {
  stop_sshd
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

# sshd's chroot wants every component of the path root-owned and not
# writable by group or others.
d=$J
while [ "$d" != / ]; do
  d=$(dirname "$d")
  [ "$(stat -c %u "$d")" -eq 0 ] && [ $(( $(stat -c '%#a' "$d") & 022 )) -eq 0 ] ||
    fail "sshd's ChrootDirectory cannot use $J: $d is not root-owned or is group/world-writable"
done

sftp_keys
mkdir -p "$OUT"
printf 'SECRET\n' >"$OUT/secret"
printf 'x\n' >"$S/local"

reset_jail() {
  rm -rf "$J" "$DL"
  mkdir -p "$J/pub/sub" "$DL"
  chmod 755 "$J"
  printf 'public\n' >"$J/pub/file"
  printf 'second\n' >"$J/pub/file2"
  ln -s / "$J/rootlink"
  ln -s ../../.. "$J/pub/climb"
  touch -h -d '2020-01-02 03:04:05' "$J" "$J"/* "$J"/pub/*
}

cat >"$S/escape.batch" <<EOF
pwd
-get /etc/passwd $DL/x1
-get ../../../../etc/passwd $DL/x2
-get /pub/climb/etc/passwd $DL/x3
-get /rootlink/etc/passwd $DL/x4
-ls ../..
-cd ../../..
pwd
-cd /rootlink/..
pwd
realpath_probe_placeholder
ln -s / up
ls -l /up/
-get /up/../../etc/passwd $DL/x5
ln -s $OUT esc
-get /esc/secret $DL/x6
-ls $OUT
-put $S/local /esc/planted
-put $S/local ../../../../planted2
-put $S/local $OUT/planted3
-rename /pub/file /../../../moved
-rename /pub/file2 $OUT/moved2
-ln /pub/sub/../file /../hardlink
-mkdir /../../made
-mkdir $OUT/made2
-rm /../outside/secret
-rm $OUT/secret
-chmod 777 /../outside/secret
-symlink /pub/climb/outside/secret /pub/s
-get /pub/s $DL/x7
ls -l /
ls -l /pub
EOF
sed -i '/realpath_probe_placeholder/d' "$S/escape.batch"

check_outside() {
  [ "$(cat "$OUT/secret")" = SECRET ] || fail "$1: the file outside changed"
  [ "$(find "$OUT" | wc -l)" -eq 2 ] || fail "$1: something appeared outside: $(find "$OUT")"
  for f in moved moved2 made made2 hardlink planted2; do
    [ ! -e "$S/$f" ] && [ ! -e "$(dirname "$S")/$f" ] || fail "$1: $f was made outside the jail"
  done
  [ -z "$(ls -A "$DL")" ] || fail "$1: something came out: $(ls -A "$DL")"
}

# ---- the same escapes against sshd's chroot and sshkit-sshd's root ----
reset_jail
start_openssh "ChrootDirectory $J"
run_batch "$sshd_port" "$S/escape.batch" "$S/escape.openssh"
tree_listing "$J" "$S/escape.openssh.tree"
check_outside "OpenSSH"
stop_sshd

reset_jail
start_sshkit "ChrootDirectory $J"
run_batch "$port" "$S/escape.batch" "$S/escape.sshkit"
tree_listing "$J" "$S/escape.sshkit.tree"
check_outside "sshkit-sshd"
same_run "$S/escape.openssh" "$S/escape.sshkit" "escapes"
same_file "$S/escape.openssh.tree" "$S/escape.sshkit.tree" "escapes: the jails differ afterwards"
[ -e "$J/moved" ] && [ -e "$J/made" ] && [ -L "$J/up" ] || fail "renames and mkdir aimed out did not land inside"
grep -q "Changed root directory to \"$J\"" "$S/server.log" || fail "no 'Changed root directory' line"
echo "ok: .., /etc/passwd, a link to /, links made inside pointing out, rename, hard link, mkdir, put, rm and chmod aimed out: refused or kept inside, as sshd's chroot"

# ---- a command is refused while ChrootDirectory is set ----
got=0
timeout 60 ssh -p "$port" -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no \
  -o LogLevel=ERROR -o BatchMode=yes -o IdentitiesOnly=yes -i "$S/id" "$me@127.0.0.1" \
  'cat /etc/passwd' >"$S/cmd.out" 2>"$S/cmd.err" </dev/null || got=$?
[ "$got" -ne 0 ] && [ ! -s "$S/cmd.out" ] || fail "a command ran under ChrootDirectory: $(cat "$S/cmd.out")"
grep -q "ChrootDirectory is set and command sessions cannot be confined: refused" "$S/server.log" ||
  fail "no refusal logged: $(tail -5 "$S/server.log")"
stop_sshkit
echo "ok: commands refused while ChrootDirectory is set"

# ---- %h and %u; the start directory is the home inside the jail ----
mkdir -p "$S/jails/$me$S"
printf 'mine\n' >"$S/jails/$me$S/in-home"
start_sshkit "ChrootDirectory %h/jails/%u"
printf 'pwd\nls\n' >"$S/tokens.batch"
run_batch "$port" "$S/tokens.batch" "$S/tokens"
grep -q "Remote working directory: $S\$" "$S/tokens.out" || fail "%h/%u: $(cat "$S/tokens.out")"
grep -q "in-home" "$S/tokens.out" || fail "%h/%u: the home inside the jail is not listed"
stop_sshkit
echo "ok: ChrootDirectory %h/jails/%u, starting in the home inside it"

# ---- ChrootDirectory none: no root ----
start_sshkit "ChrootDirectory none"
run_batch "$port" "$S/tokens.batch" "$S/none"
grep -q "Remote working directory: $S\$" "$S/none.out" || fail "ChrootDirectory none: $(cat "$S/none.out")"
grep -q "jails" "$S/none.out" || fail "ChrootDirectory none: the home is not listed"
stop_sshkit
echo "ok: ChrootDirectory none serves the whole file system"

# ---- a jail that is not there: the subsystem is refused, nothing served ----
start_sshkit "ChrootDirectory $S/no-such-jail"
printf 'ls /\n' >"$S/nojail.batch"
run_batch "$port" "$S/nojail.batch" "$S/nojail"
[ "$(cat "$S/nojail.rc")" -ne 0 ] || fail "a missing jail served sftp: $(cat "$S/nojail.out")"
grep -q "ChrootDirectory \"$S/no-such-jail\": No such file or directory" "$S/server.log" ||
  fail "no reason logged: $(tail -5 "$S/server.log")"
stop_sshkit
echo "ok: a missing ChrootDirectory refuses the subsystem with a reason in the log"
