#!/usr/bin/env bash
# sshkit-sshd's internal-sftp against OpenSSH's sftp, each batch run the
# same way against OpenSSH's own sshd (internal-sftp) on an identical tree:
# what sftp prints (errors in OpenSSH's words included), its exit status
# and the tree left behind must be the same. Files of 0 bytes, 1 byte,
# 1 MiB + 1 and 256 MiB go up and down with equal checksums; reget and
# reput finish truncated copies; ls (-l, -a), cd, pwd, mkdir, rmdir, rm,
# rename, ln, ln -s, chmod, chown, df; "Permission denied" from a file
# made immutable (root bypasses modes). Then ForceCommand internal-sftp,
# and the log lines of `internal-sftp -l INFO`.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
. "$(dirname "$0")/sftp_server.bash"
setup_scratch
S=$SCRATCH
T=$S/tree                   # the tree both servers serve, reset before each run
SRC=$S/src                  # local files to upload
DL=$S/dl                    # downloads

cleanup() {
  chattr -i "$T/locked" 2>/dev/null || true
  stop_sshd
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

sftp_keys
mkdir -p "$SRC"
: >"$SRC/zero"
printf 'x' >"$SRC/one"
head -c $((1048576 + 1)) /dev/urandom >"$SRC/mib1"
head -c $((256 << 20)) /dev/urandom >"$SRC/big"
touch -d '2021-03-04 05:06:07' "$SRC"/*

reset_tree() {
  chattr -i "$T/locked" 2>/dev/null || true
  rm -rf "$T" "$DL"
  mkdir -p "$T/sub/deeper" "$T/full" "$DL"
  printf 'hello\n' >"$T/hello.txt"
  printf 'in sub\n' >"$T/sub/file"
  printf 'keep\n' >"$T/full/keep"
  printf 'locked\n' >"$T/locked"
  head -c 524288 "$SRC/mib1" >"$T/partial_up"      # for reput
  cp "$SRC/big" "$T/big_remote"
  head -c 300000 "$SRC/big" >"$DL/partial_down"     # for reget
  touch -d '2020-01-02 03:04:05' "$T" "$T"/* "$T"/sub/* "$DL"/*
}

start_openssh
oport=$sshd_port
start_sshkit "Subsystem sftp internal-sftp -l INFO"
kport=$port

# Runs batch $1 (named $2) against both servers on fresh trees; compares
# what sftp printed and what the tree became.
compare() {
  local batch=$1 name=$2 who
  for who in openssh sshkit; do
    reset_tree
    if [ "$who" = openssh ]; then run_batch "$oport" "$batch" "$S/$name.$who"; else
      run_batch "$kport" "$batch" "$S/$name.$who"; fi
    tree_listing "$T" "$S/$name.$who.tree"
    tree_listing "$DL" "$S/$name.$who.dl"
  done
  same_run "$S/$name.openssh" "$S/$name.sshkit" "$name"
  same_file "$S/$name.openssh.tree" "$S/$name.sshkit.tree" "$name: the trees differ afterwards"
  same_file "$S/$name.openssh.dl" "$S/$name.sshkit.dl" "$name: the downloads differ"
}

# ---- transfers: 0, 1, 1 MiB + 1, 256 MiB up and down; reget, reput ----
cat >"$S/transfers.batch" <<EOF
cd $T
put $SRC/zero zero
put $SRC/one one
put $SRC/mib1 mib1
put $SRC/big big
put -p $SRC/one one_p
get zero $DL/zero
get one $DL/one
get mib1 $DL/mib1
get big $DL/big
get -p one_p $DL/one_p
reput $SRC/mib1 partial_up
reget big_remote $DL/partial_down
ls -l one_p
cp big big_copy
EOF
compare "$S/transfers.batch" transfers
[ "$(sha256sum <"$SRC/big")" = "$(sha256sum <"$T/big_copy")" ] || fail "cp (copy-data): the copy differs"
for f in zero one mib1 big; do
  [ "$(sha256sum <"$SRC/$f")" = "$(sha256sum <"$T/$f")" ] || fail "put $f: checksums differ"
  [ "$(sha256sum <"$SRC/$f")" = "$(sha256sum <"$DL/$f")" ] || fail "get $f: checksums differ"
done
[ "$(sha256sum <"$SRC/mib1")" = "$(sha256sum <"$T/partial_up")" ] || fail "reput did not finish the file"
[ "$(sha256sum <"$SRC/big")" = "$(sha256sum <"$DL/partial_down")" ] || fail "reget did not finish the file"
[ "$(stat -c %Y "$DL/one_p")" = "$(stat -c %Y "$SRC/one")" ] || fail "get -p lost the time"
echo "ok: 0 B, 1 B, 1 MiB + 1, 256 MiB each way with equal sha256; reget and reput resume; cp (copy-data)"

# ---- commands and their errors ----
cat >"$S/commands.batch" <<EOF
cd $T
pwd
ls
ls -l
ls -la sub
ls -1 $T/sub
mkdir newdir
-mkdir newdir
-mkdir nodir/x
rmdir newdir
-rmdir newdir
-rmdir full
rm hello.txt
-rm hello.txt
-rm sub
rename sub/file sub/renamed
-rename nothing something
-rename sub/renamed sub/deeper/../../nodir/x
ln -s hello_target link
ln sub/renamed hard
-ln nothing hard2
ls -l link hard sub
chmod 600 hard
-chmod 600 nothing
chown 1 hard
chgrp 1 hard
-chown 1 nothing
ls -ln hard
cd sub
pwd
cd ..
-cd nothing
-cd full/keep
pwd
-get nothing $DL/nothing
-get sub $DL/
-put $SRC/nothing remote
-ls nothing
lls $SRC
EOF
compare "$S/commands.batch" commands
grep -q "remote mkdir \"$T/newdir\": Failure" "$S/commands.sshkit.err" || fail "no mkdir error"
grep -q "^File \"$T/nothing\" not found." "$S/commands.sshkit.err" || fail "no 'not found'"
echo "ok: ls -l -la -1, cd, pwd, mkdir, rmdir, rm, rename, ln, ln -s, chmod, chown, chgrp and their errors as against sshd"

# ---- Permission denied: an immutable file (root passes every mode check) ----
reset_tree
if chattr +i "$T/locked" 2>/dev/null; then
  chattr -i "$T/locked"
  cat >"$S/denied.batch" <<EOF
cd $T
-rm locked
-put $SRC/one locked
-rename locked unlocked
-chmod 600 locked
get locked $DL/locked
EOF
  for who in openssh sshkit; do
    reset_tree
    chattr +i "$T/locked"
    if [ "$who" = openssh ]; then run_batch "$oport" "$S/denied.batch" "$S/denied.$who"; else
      run_batch "$kport" "$S/denied.batch" "$S/denied.$who"; fi
    chattr -i "$T/locked"
  done
  same_run "$S/denied.openssh" "$S/denied.sshkit" denied
  grep -q "remote delete $T/locked: Permission denied" "$S/denied.sshkit.err" ||
    fail "no Permission denied: $(cat "$S/denied.sshkit.err")"
  echo "ok: Permission denied for rm, put, rename and chmod of an immutable file, as against sshd"
else
  echo "skip: chattr +i is not possible here; Permission denied not checked"
fi

# ---- df: the same columns (the figures move as other tests write) ----
printf 'df\ndf -h\ndf -i\n' >"$S/df.batch"
run_batch "$oport" "$S/df.batch" "$S/df.openssh"
run_batch "$kport" "$S/df.batch" "$S/df.sshkit"
grep -v '^ ' "$S/df.openssh.out" >"$S/df.openssh.heads"
grep -v '^ ' "$S/df.sshkit.out" >"$S/df.sshkit.heads"
grep -v '^ *[0-9]' "$S/df.openssh.out" >"$S/df.openssh.cols"
grep -v '^ *[0-9]' "$S/df.sshkit.out" >"$S/df.sshkit.cols"
same_file "$S/df.openssh.cols" "$S/df.sshkit.cols" "df: different headings"
[ "$(grep -c '^ *[0-9]' "$S/df.sshkit.out")" -eq 3 ] || fail "df: $(cat "$S/df.sshkit.out")"
blocks() { awk '/^ *[0-9]/ { print $1; exit }' "$1"; }
[ "$(blocks "$S/df.openssh.out")" = "$(blocks "$S/df.sshkit.out")" ] || fail "df: a different size"
echo "ok: df, df -h, df -i (statvfs@openssh.com)"

# ---- the log of internal-sftp -l INFO ----
stop_sshkit
grep -q "Starting session: subsystem 'sftp' for $me from 127.0.0.1 port [0-9]* id 0" "$S/server.log" ||
  fail "no Starting session line: $(cat "$S/server.log")"
for line in "session opened for local user $me from \[127.0.0.1\]" \
  "open \".*/big\" flags WRITE,CREATE,TRUNCATE mode 0644" \
  "close \".*/big\" bytes read 0 written 268435456" \
  "close \".*/big_remote\" bytes read 268135456 written 0" \
  "mkdir name \".*/newdir\" mode 0777" "posix-rename old \".*/sub/file\" new \".*/sub/renamed\"" \
  "set \".*/hard\" mode 0600" "sent status No such file" \
  "session closed for local user $me from \[127.0.0.1\]"; do
  grep -q "^$line" "$S/server.log" || fail "no log line: $line"
done
echo "ok: internal-sftp -l INFO logs as sftp-server"

# ---- ForceCommand internal-sftp: sftp only ----
stop_sshd
start_openssh "ForceCommand internal-sftp"
oport=$sshd_port
start_sshkit "ForceCommand internal-sftp"
kport=$port
for who in openssh sshkit; do
  p=$oport
  [ "$who" = sshkit ] && p=$kport
  got=0
  timeout 60 ssh -p "$p" -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no \
    -o LogLevel=ERROR -o BatchMode=yes -o IdentitiesOnly=yes -i "$S/id" "$me@127.0.0.1" \
    'echo should-not-run' >"$S/forced.$who.out" 2>&1 </dev/null || got=$?
  echo "exit $got" >>"$S/forced.$who.out"
  printf 'cd %s\nls hello.txt\n' "$T" >"$S/forced.batch"
  reset_tree
  run_batch "$p" "$S/forced.batch" "$S/forced-sftp.$who"
done
same_file "$S/forced.openssh.out" "$S/forced.sshkit.out" "ForceCommand internal-sftp and a command"
same_run "$S/forced-sftp.openssh" "$S/forced-sftp.sshkit" "ForceCommand internal-sftp and sftp"
grep -q "refusing non-sftp session" "$S/server.log" || fail "no refusal in the log"
stop_sshkit
echo "ok: ForceCommand internal-sftp refuses commands and serves sftp, as sshd"
