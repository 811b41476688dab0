#!/usr/bin/env bash
# The SFTP client (sshkit/sftp.h, driven by sshkit-sftp-probe) against
# OpenSSH's sshd, once with /usr/lib/openssh/sftp-server and once with
# internal-sftp: every call; files of 0 bytes, 1 byte, 1 MiB + 1 and
# 256 MiB both ways with equal checksums, blocking and non-blocking (an
# sshkit_sftp on the client switched to non-blocking, and one on a channel
# driven by sshkit_nb_process); transfer objects; resumed transfers;
# errors with their status; OpenSSH's extensions used when offered.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
trap stop_sshd EXIT
user=$(id -un)
L=$S/local     # the client's files
R=$S/remote    # the server's files (same machine, other folder)
mkdir -p "$L" "$R"

ssh-keygen -q -t ed25519 -N '' -f "$S/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$S/id_ed25519"
cp "$S/id_ed25519.pub" "$S/authorized_keys"

: >"$L/empty"
printf x >"$L/one"
head -c $(((1 << 20) + 1)) /dev/urandom >"$L/mib1"
head -c $((256 << 20)) /dev/urandom >"$L/big"

serve() {
  stop_sshd
  start_sshd <<CONF
HostKey $S/host_ed25519
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
Subsystem sftp $1
CONF
  printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$S/host_ed25519.pub")" >"$S/known_hosts"
}

probe() {
  timeout 600 "$BIN/sshkit-sftp-probe" -p "$sshd_port" -l "$user" -i "$S/id_ed25519" \
    -o "$S/known_hosts" "$@" 127.0.0.1
}

# Runs the commands on stdin; every one must say ok. Output in $S/out.
all_ok() {
  local rc=0
  probe "$@" >"$S/out" 2>"$S/err" || rc=$?
  if [ "$rc" -ne 0 ] || grep -qv '^\(ok\|entry\|ext\) ' "$S/out"; then
    cat "$S/out" "$S/err" >&2
    fail "$server$*: a command failed (exit $rc)"
  fi
}

# Fails unless the output has a line matching the pattern.
saw() {
  grep -q -- "$1" "$S/out" || { cat "$S/out" >&2; fail "$server: no line matching '$1'"; }
}

sum() { sha256sum <"$1" | cut -d' ' -f1; }

same() {
  [ "$(sum "$1")" = "$(sum "$2")" ] || fail "$server$3: $2 differs from $1"
}

# Each file both ways, with get/put and with transfer objects, in a mode.
round_trips() {
  local mode=$1; shift
  local f
  for f in "$@"; do
    rm -f "$R/$f" "$R/t$f" "$L/$f.got" "$L/$f.tgot"
    all_ok $mode <<EOF
put $L/$f $R/$f
get $R/$f $L/$f.got
tput $L/$f $R/t$f
tget $R/t$f $L/$f.tgot
EOF
    same "$L/$f" "$R/$f" " $mode put $f"
    same "$L/$f" "$L/$f.got" " $mode get $f"
    same "$L/$f" "$R/t$f" " $mode tput $f"
    same "$L/$f" "$L/$f.tgot" " $mode tget $f"
  done
}

transfers() {
  round_trips "" empty one mib1 big
  round_trips -n empty one mib1
  round_trips -N empty one mib1 big
  # Small requests, an odd number in flight.
  round_trips "-R 7 -B 10000" mib1
}

# Interrupted transfers continue from what arrived in order.
resumes() {
  local mode
  cp "$L/big" "$R/big.src"
  for mode in "" -N; do
    rm -f "$R/big" "$L/big.got"
    all_ok $mode <<EOF
abort-get $R/big.src $L/big.got $((50 << 20))
abort-put $L/big $R/big $((50 << 20))
EOF
    local lsize rsize
    lsize=$(stat -c %s "$L/big.got")
    rsize=$(stat -c %s "$R/big")
    [ "$lsize" -gt 0 ] && [ "$lsize" -lt $((256 << 20)) ] || fail "$server: abandoned get left $lsize bytes"
    [ "$rsize" -gt 0 ] && [ "$rsize" -lt $((256 << 20)) ] || fail "$server: abandoned put left $rsize bytes"
    cmp -s -n "$lsize" "$L/big" "$L/big.got" || fail "$server: the abandoned get kept bytes out of order"
    all_ok $mode <<EOF
get $R/big.src $L/big.got resume
put $L/big $R/big resume
EOF
    same "$L/big" "$L/big.got" " $mode reget"
    same "$L/big" "$R/big" " $mode reput"
  done
  # Nothing left to do is fine; a destination larger than the source is not.
  all_ok <<EOF
get $R/big.src $L/big.got resume
put $L/big $R/big resume
EOF
  saw "ok get bytes=$((256 << 20))"
  cp "$L/mib1" "$L/larger"
  printf 'get %s %s resume\nput %s %s resume\n' "$R/one" "$L/larger" "$L/one" "$R/mib1" |
    probe >"$S/out" 2>&1 || true
  [ "$(grep -c '^error SSHKIT_E_STATE' "$S/out")" -eq 2 ] || { cat "$S/out" >&2; fail "$server: resume into a larger file"; }
  same "$L/mib1" "$L/larger" " (a refused reget must leave the file alone)"
}

# Every call, checked by what it did to the server's files.
calls() {
  local mode=$1 d=$R/calls
  rm -rf "$d"
  mkdir -p "$d"
  cp "$L/mib1" "$d/file"
  cp "$L/one" "$d/target"
  cp "$L/one" "$d/gone"
  all_ok $mode <<EOF
stat $d/file
lstat $d/file
fstat $d/file
chmod $d/file 640
truncate $d/file 1000
utime $d/file 1000000000 1200000000
stat $d/file
mkdir $d/dir 750
ls $d
symlink target $d/link
readlink $d/link
lstat $d/link
lutime $d/link 1300000000 1400000000
hardlink $d/target $d/hard
rename $d/hard $d/renamed legacy
realpath $d/dir/../file
expand ~
statvfs $d
fstatvfs $d/file
writefile $L/mib1 $d/written 70000
readfile $d/written $d/read 50000
copy $d/written $d/copied
fsync $d/written
rmdir $d/dir
rm $d/gone
ext
limits
EOF
  saw "^ok stat flags=15 size=$(((1 << 20) + 1)) mode=100644"
  saw "^ok stat flags=15 size=1000 mode=100640 uid=$(id -u) gid=$(id -g) atime=1000000000 mtime=1200000000"
  [ "$(stat -c '%a %s %X %Y' "$d/file")" = "640 1000 1000000000 1200000000" ] || fail "$server: setstat"
  saw "^entry file mode=100640 size=1000 long=-rw-r----- "
  saw "^entry dir mode=40750 "
  saw "^ok readlink target len=6"
  saw "^ok lstat flags=15 size=6 mode=120777"
  [ "$(stat -c '%X %Y' "$d/link")" = "1300000000 1400000000" ] || fail "$server: lsetstat"
  [ ! -e "$d/gone" ] || fail "$server: remove"
  [ ! -e "$d/hard" ] && [ "$(stat -c %h "$d/target")" = 2 ] &&
    [ "$(stat -c %i "$d/target")" = "$(stat -c %i "$d/renamed")" ] || fail "$server: hardlink and rename"
  saw "^ok realpath $(cd "$d" && pwd -P)/file "
  saw "^ok expand $(cd ~ && pwd -P) "
  saw "^ok statvfs bsize=$(stat -f -c %s "$d") "
  saw "^ok limits packet=262144 read=261120 write=261120 "
  saw "^ext posix-rename@openssh.com=1"
  [ ! -e "$d/dir" ] || fail "$server: rmdir"
  same "$L/mib1" "$d/written" " $mode writefile"
  same "$L/mib1" "$d/read" " $mode readfile"
  same "$L/mib1" "$d/copied" " $mode copy-data"
}

# Posix-rename replaces a target; the legacy RENAME refuses to.
renames() {
  local d=$R/renames
  rm -rf "$d"; mkdir -p "$d"
  printf a >"$d/a"; printf b >"$d/b"; printf c >"$d/c"
  printf 'rename %s %s legacy\nrename %s %s\n' "$d/a" "$d/b" "$d/c" "$d/b" | probe >"$S/out" 2>&1 || true
  saw "^error SSHKIT_E_SFTP_STATUS status=4 "
  saw "^ok rename"
  [ "$(cat "$d/b")" = c ] && [ "$(cat "$d/a")" = a ] || fail "$server: rename semantics"
}

errors() {
  local d=$R/errors
  rm -rf "$d"; mkdir -p "$d"
  rm -f "$L/never"
  printf '%s\n' "stat $d/missing" "get $d/missing $L/never" "put $L/missing $d/x" \
    "rmdir $d/missing" "mkdir $d 755" "readlink $d" "ls $d/missing" "rm $d/missing" |
    probe >"$S/out" 2>&1 || true
  [ "$(grep -c '^error SSHKIT_E_SFTP_STATUS status=2 ' "$S/out")" -eq 5 ] || { cat "$S/out" >&2; fail "$server: no such file"; }
  saw "^error SSHKIT_E_IO .*$L/missing: No such file or directory"
  # mkdir over a directory: FAILURE; readlink of a directory (EINVAL): BAD_MESSAGE.
  saw "^error SSHKIT_E_SFTP_STATUS status=4 Failure"
  saw "^error SSHKIT_E_SFTP_STATUS status=5 Bad message"
  [ ! -e "$L/never" ] || fail "$server: a failed get made a local file"
  if [ "$(id -u)" -ne 0 ]; then
    printf x >"$d/locked"; chmod 000 "$d/locked"
    printf 'get %s %s\n' "$d/locked" "$L/never" | probe >"$S/out" 2>&1 || true
    saw "^error SSHKIT_E_SFTP_STATUS status=3 Permission denied"
  else
    echo "note: running as root, file modes do not deny; permission denied is checked with sftp-server -R"
  fi
}

# What sftp-server logged proves which requests went out (the calls
# above prove them by their effects too, for internal-sftp as well).
extensions_logged() {
  local r log=$S/sftp-server.log
  for r in "request [0-9]*: posix-rename" "request [0-9]*: hardlink" "request [0-9]*: statvfs" \
           "request [0-9]*: fstatvfs" "request [0-9]*: fsync" "request [0-9]*: limits" \
           "request [0-9]*: expand" "request [0-9]*: copy-data" "request [0-9]*: lsetstat"; do
    grep -q -- "$r" "$log" || fail "$server: sftp-server logged no '$r'"
  done
  # OpenSSH's SYMLINK order: target first.
  grep -q "symlink old \"target\" new \"$R/calls/link\"" "$log" || fail "$server: SYMLINK order"
}

# sshd runs a subsystem through the shell: the redirection keeps
# sftp-server's log (-e: to stderr) out of the channel.
for server in "/usr/lib/openssh/sftp-server -e -l DEBUG3 2>>$S/sftp-server.log" internal-sftp; do
  serve "$server"
  transfers
  resumes
  calls ""
  calls -N
  renames
  errors
  if [ "$server" != internal-sftp ]; then
    extensions_logged
  fi
done

# A read-only server denies writes: PERMISSION_DENIED with its message.
server="sftp-server -R"
serve "/usr/lib/openssh/sftp-server -R"
printf '%s\n' "put $L/one $R/denied" "mkdir $R/denied 755" "rm $R/calls/file" "stat $R/calls/file" |
  probe >"$S/out" 2>&1 || true
[ "$(grep -c '^error SSHKIT_E_SFTP_STATUS status=3 Permission denied' "$S/out")" -eq 3 ] ||
  { cat "$S/out" >&2; fail "read-only server: permission denied"; }
saw "^ok stat "
# No sftp subsystem: sshkit_sftp_open() says the server refused it.
server="no subsystem"
stop_sshd
start_sshd <<CONF
HostKey $S/host_ed25519
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
CONF
printf '[127.0.0.1]:%s %s\n' "$sshd_port" "$(cut -d' ' -f1,2 "$S/host_ed25519.pub")" >"$S/known_hosts"
got=0
echo "stat ." | probe >"$S/out" 2>&1 || got=$?
[ "$got" -eq 255 ] && grep -q "^sftp: SSHKIT_E_REFUSED" "$S/out" || { cat "$S/out" >&2; fail "no subsystem: exit $got"; }

# examples/demo_sftp in a home of its own (internal-sftp -d).
server=demo_sftp
mkdir -p "$R/demo_home" "$S/home"
serve "internal-sftp -d $R/demo_home"
HOME=$S/home timeout 60 "$BIN/demo_sftp" -p "$sshd_port" -i "$S/id_ed25519" "$user@127.0.0.1" \
  >"$S/out" 2>"$S/err" </dev/null || { cat "$S/out" "$S/err" >&2; fail "demo_sftp failed"; }
saw "^home directory: $(cd "$R/demo_home" && pwd -P)$"
saw "^Dirlist: "
saw "^read it back: This was created by demo_sftp.$"
saw "^renamed it to README.old (31 bytes, mode 644)$"
saw "^removed README.old and demo_sftp_folder/$"
[ -z "$(ls -A "$R/demo_home")" ] || fail "demo_sftp left files behind"
grep -q "127.0.0.1" "$S/home/.ssh/known_hosts" || fail "demo_sftp did not record the host key"
echo "sftp client interop: all checks passed"
