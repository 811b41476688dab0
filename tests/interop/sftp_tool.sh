#!/usr/bin/env bash
# sshkit-sftp -b against OpenSSH's sshd, once with sftp-server as the
# subsystem and once with internal-sftp (and once more against
# sshkit-sshd's internal-sftp): every batch command, the same
# batches through OpenSSH's sftp with the outputs, exit statuses and
# resulting files compared; files of 0 B, 1 B, 1 MiB + 1 and 256 MiB both
# ways with equal checksums; reget and reput after truncated copies; -B
# seen in the server's log; exit status 1 on a failing batch command, 0
# with the '-' prefix, 255 on a bad port or host; host:path; the command
# line.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
trap 'stop_sshd; stop_sshkit_server' EXIT
. "$(dirname "$0")/sftp_tool_lib.bash"
uid=$(id -u)
gid=$(id -g)
make_template

# ---- the batches, compared with OpenSSH's sftp ----
# Listings and changes that succeed (exit status 0).
cat >"$S/ok.batch" <<EOF
pwd
cd $S/rt
pwd
lcd $S/lt
lpwd
ls
ls -1
ls -a
ls -1a
ls -l
ls -la
ls -lh
ls -lS
ls -lt
ls -ltr
ls -lSr
ls sub
ls -l sub
ls -l sub/
ls -1 sub/deep
ls *.txt
ls -l *.txt
ls -l a.txt
ls -l link
ls -l dirlink
ls -l */*.txt
ls -l esc*
get esc* $S/lt
ls -1 caf*
ls -l $S/rt/sub
ls "a.txt" 'c.log'
ls a\\.txt
ls -- -1
dir sub
get a.txt
get -pf c.log c.copy
get sub/s.txt $S/lt/s.copy
get *.txt
mget sub/*.txt
put a.txt up.txt
put -p c.log
put c.*
put $S/lt/a.txt sub
mput a.txt sub/deep
mkdir newdir
mkdir made
rmdir newdir
rename b.dat made/b2.dat
rename -l c.log made/c.log
ln -s a.txt sym1
symlink c.copy sym2
ln a.txt hard1
copy a.txt a.copy
cp c.copy made/cc
chmod 600 a.txt
chmod 700 sub/*
chmod -h 644 sym1
chown $uid a.txt
chgrp $gid a.txt
chown -h $uid link
rm up.txt
rm sub/deep/*
get -r sub subcopy
put -r subcopy remote-subcopy
get -R empty
put -r $S/lt/subcopy/deep
version
progress
progress
lumask 027
lmkdir ldir
lcd ldir
lpwd
lcd ..
ls -1
ls -1 made
@pwd
CD $S/rt/sub
PWD
cd
pwd
# a comment
   
exit
EOF

# Commands that fail, each prefixed with '-' (exit status 0).
cat >"$S/errors.batch" <<EOF
cd $S/rt
-get nonexistent
-get sub
-get *.none
-get a.txt c.log $S/lt
-get -z a.txt
-get
-put nonexistent
-put $S/lt/a.txt $S/nodir/x
-put $S/lt
-put $S/lt/*.txt $S/rt/a.txt
-get *.txt $S/lt/a.txt
-get a.txt /nonexistent/x
-copy a.txt /nonexistent/x
-rename a.txt sub
-ln a.txt b.dat
-reput $S/lt/a.txt nothere
-reget nothere
-reget a.txt
-reput a.txt
-get -r nonexistent
-rm nonexistent
-rm *.none
-rmdir sub
-rmdir nonexistent
-mkdir sub
-mkdir
-cd nonexistent
-cd a.txt
-ls nonexistent
-ls -z
-ls sub/deep/d.txt/*
-ls nodir/*
-chmod 644 nonexistent
-chmod abc a.txt
-chmod 644
-chown x a.txt
-chgrp $gid
-chown $uid nonexistent
-rename nonexistent x
-rename a.txt
-ln nonexistent x
-ln -s
-ln -x a b
-symlink a.txt sub
-copy nonexistent x
-copy sub x
-df -x
-lcd /nonexistent
-lmkdir /nonexistent/x
-bogus
-rm $(printf 'gone\033[1mbold')
-get $(printf 'nothing\303\251')
-get "unterminated
-get 'a b
-version extra
-pwd -x
-lumask 9
-lumask
quit
EOF

# A failure without the prefix ends the batch (exit status 1).
cat >"$S/abort.batch" <<EOF
cd $S/rt
ls -1 sub
get nonexistent
ls -1
EOF
printf 'cd %s\nrm nonexistent\nls\n' "$S/rt" >"$S/abort_rm.batch"
printf 'cd %s/rt\nbogus\nls\n' "$S" >"$S/abort_parse.batch"

# ls -n: numeric ids. (OpenSSH 9.2's sftp prints the server's names even
# with -n when the server looks names up; 9.4 fixed that. sshkit-sftp
# prints the ids, so it is held to OpenSSH's ls -l with the ids put in.)
check_ls_numeric() {
  printf 'cd %s/rt\nls -l\nls -l a.txt sub\n' "$S" >"$S/l.batch"
  printf 'cd %s/rt\nls -ln\nls -ln a.txt sub\n' "$S" >"$S/n.batch"
  run_batch openssh "$S/l.batch" sftp
  run_batch sshkit "$S/n.batch" "$SFTP"
  local user group
  user=$(printf '%-8s' "$(id -un)")
  group=$(printf '%-8s' "$(id -gn)")
  sed -e "s/^\(.\{10\} *?\) $user $group/\1 $(printf '%-8s' "$uid") $(printf '%-8s' "$gid")/" \
      -e 's/^sftp> ls -l/sftp> ls -ln/' "$S/openssh.out" >"$S/numeric.expected"
  same_file "$S/numeric.expected" "$S/sshkit.out" "ls -ln: not OpenSSH's ls -l with ids"
  grep -q "? $uid " "$S/sshkit.out" || fail "ls -ln showed no numeric id"
}

# df, -h, -i: the same headers and totals as OpenSSH's sftp prints for the
# same file system (the used and free figures move between two runs).
check_df() {
  printf 'df /dev/shm\ndf -h /dev/shm\ndf -i /dev/shm\ncd %s/rt\ndf\n' "$S" >"$S/df.batch"
  run_batch openssh "$S/df.batch" sftp
  run_batch sshkit "$S/df.batch" "$SFTP"
  awk '{print $1, NF}' "$S/openssh.out" >"$S/df.expected"
  awk '{print $1, NF}' "$S/sshkit.out" >"$S/df.got"
  same_file "$S/df.expected" "$S/df.got" "df: not OpenSSH's table"
  grep -v '^sftp>' "$S/sshkit.out" | grep -v 'Capacity' |
    grep -Evq '^ *[0-9.]+[BKMGTPE]?B? +[0-9.]+[BKMGTPE]?B? +[0-9.]+[BKMGTPE]?B? +[0-9.]+[BKMGTPE]?B? +[0-9]+%$' &&
    fail "df: a row is not numbers: $(cat "$S/sshkit.out")"
  totals() { grep -A1 Capacity "$1" | grep -v -e Capacity -e '^--' | awk '{print $1}'; }
  same_file <(totals "$S/openssh.out") <(totals "$S/sshkit.out") "df: the totals differ"
}

# ---- transfers: 0 B, 1 B, 1 MiB + 1, 256 MiB both ways ----
head -c 0 /dev/urandom >"$S/f0"
head -c 1 /dev/urandom >"$S/f1"
head -c $((1024 * 1024 + 1)) /dev/urandom >"$S/f1m"
head -c $((256 * 1024 * 1024)) /dev/urandom >"$S/f256"

check_transfers() {
  local extra=("$@")
  rm -rf "$S/up" "$S/down"
  mkdir -p "$S/up" "$S/down"
  {
    printf 'lcd %s\ncd %s/up\n' "$S" "$S"
    for f in f0 f1 f1m f256; do printf 'put %s\n' "$f"; done
    printf 'lcd %s/down\n' "$S"
    for f in f0 f1 f1m f256; do printf 'get %s\n' "$f"; done
  } >"$S/xfer.batch"
  expect_status 0 timeout 300 "$SFTP" "${extra[@]}" -b "$S/xfer.batch" "${conn[@]}" 127.0.0.1
  for f in f0 f1 f1m f256; do
    [ "$(sha256sum <"$S/$f")" = "$(sha256sum <"$S/up/$f")" ] || fail "put $f: checksums differ"
    [ "$(sha256sum <"$S/$f")" = "$(sha256sum <"$S/down/$f")" ] || fail "get $f: checksums differ"
  done
  rm -rf "$S/up" "$S/down"
}

# reget and reput continue truncated copies; the result is whole.
check_resume() {
  rm -rf "$S/part" && mkdir -p "$S/part/l" "$S/part/r"
  head -c 700001 "$S/f1m" >"$S/part/l/f1m"
  head -c 300000 "$S/f1m" >"$S/part/r/f1m"
  head -c 500 "$S/f1m" >"$S/part/l/whole.a"
  head -c 1500 "$S/f1m" >"$S/part/r/whole.b"
  cat >"$S/resume.batch" <<EOF
lcd $S/part/l
cd $S
reget f1m
get -a f1m whole.a
cd $S/part/r
reput $S/f1m f1m
put -a $S/f1m whole.b
EOF
  expect_status 0 timeout 120 "$SFTP" -b "$S/resume.batch" "${conn[@]}" 127.0.0.1
  cmp "$S/f1m" "$S/part/l/f1m" || fail "reget: the file is not whole"
  cmp "$S/f1m" "$S/part/r/f1m" || fail "reput: the file is not whole"
  cmp "$S/f1m" "$S/part/l/whole.a" || fail "get -a: the file is not whole"
  cmp "$S/f1m" "$S/part/r/whole.b" || fail "put -a: the file is not whole"
  rm -rf "$S/part"
}

# -B: the server's log shows requests of that size, both ways.
check_buffer_size() {
  rm -f "$S/sftp-server.log"
  printf 'get %s/f1m %s/b.down\nput %s/f1m %s/b.up\n' "$S" "$S" "$S" "$S" >"$S/b.batch"
  expect_status 0 timeout 120 "$SFTP" -B 16384 -R 4 -b "$S/b.batch" "${conn[@]}" 127.0.0.1
  cmp "$S/f1m" "$S/b.down" && cmp "$S/f1m" "$S/b.up" || fail "-B 16384: the copies differ"
  tr -d '\r' <"$S/sftp-server.log" >"$S/requests.log"
  grep -q 'read ".*f1m" (handle [0-9]*) off 16384 len 16384$' "$S/requests.log" ||
    fail "-B 16384: no read of 16384 bytes in the server's log"
  grep -q 'write ".*b.up" (handle [0-9]*) off 16384 len 16384$' "$S/requests.log" ||
    fail "-B 16384: no write of 16384 bytes in the server's log"
  ! grep -Eq '(read|write) ".*" \(handle [0-9]*\) off [0-9]* len (3[3-9]|[4-9][0-9]|[1-9][0-9]{2,})[0-9]{3}$' \
    "$S/requests.log" || fail "-B 16384: a request larger than 16384 bytes"
  rm -f "$S/b.down" "$S/b.up"
}

# -R: a relay before sftp-server holds its answers until that many data
# requests are in flight, and counts the most ever in flight (see
# sftp_pipeline_probe.c); the default is 64, as OpenSSH's.
check_requests() {
  local want=$1 probe
  shift
  probe=$(cd "$BIN" && pwd)/sshkit-sftp_pipeline-probe
  rm -f "$S/gate.log"
  start_sftp_server "$probe $S/gate.log $want /usr/lib/openssh/sftp-server"
  printf 'get %s/f1m %s/r.down\nput %s/f1m %s/r.up\n' "$S" "$S" "$S" "$S" >"$S/r.batch"
  expect_status 0 timeout 60 "$SFTP" "$@" -B 4096 -b "$S/r.batch" "${conn[@]}" 127.0.0.1
  stop_sshd
  cmp "$S/f1m" "$S/r.down" && cmp "$S/f1m" "$S/r.up" || fail "-R $want: the copies differ"
  grep -qx "gates opened 2" "$S/gate.log" || fail "-R $want: $(cat "$S/gate.log")"
  grep -qx "most in flight $want" "$S/gate.log" || fail "-R $want: $(cat "$S/gate.log")"
  rm -f "$S/r.down" "$S/r.up"
}

# The server gone in the middle of a download: "Connection closed", exit
# status 255 (as OpenSSH's sftp), the local file cut back to a prefix of
# the source.
check_server_lost() {
  local probe size
  probe=$(cd "$BIN" && pwd)/sshkit-sftp_pipeline-probe
  start_sftp_server "$probe $S/gate.log cut:20 /usr/lib/openssh/sftp-server"
  printf 'get %s/f1m %s/lost\n' "$S" "$S" >"$S/lost.batch"
  expect_status 255 timeout 60 "$SFTP" -B 4096 -b "$S/lost.batch" "${conn[@]}" 127.0.0.1
  grep -qx "Connection closed" "$S/last.err" || fail "server lost: $(cat "$S/last.err")"
  stop_sshd
  size=$(stat -c %s "$S/lost")
  [ "$size" -lt $((1024 * 1024 + 1)) ] || fail "server lost: the whole file came"
  cmp -n "$size" "$S/f1m" "$S/lost" || fail "server lost: the partial file is not a prefix"
  rm -f "$S/lost"
}

# Questions through SSH_ASKPASS, as sshkit-ssh asks them (the same code):
# the unknown host key (answered yes: the key is added) and the passphrase
# of an encrypted key; OpenSSH's sftp (its ssh) asks the same questions.
check_prompts() {
  ssh-keygen -q -t ed25519 -N 'open sesame' -f "$S/id_enc"
  cat "$S/id_enc.pub" >>"$S/authorized_keys"
  cat >"$S/askpass" <<'SH'
#!/bin/sh
printf '%s\n' "$1" >>"$ASKPASS_LOG"
case "$1" in
  *continue\ connecting*) echo yes ;;
  *passphrase*) echo 'open sesame' ;;
esac
SH
  chmod +x "$S/askpass"
  for client in sftp "$SFTP"; do
    rm -f "$S/kh.new" "$S/askpass.log"
    printf 'pwd\n' | ASKPASS_LOG=$S/askpass.log SSH_ASKPASS=$S/askpass SSH_ASKPASS_REQUIRE=force \
      timeout 60 setsid "$client" -P "$port" -i "$S/id_enc" -o IdentitiesOnly=yes \
      -o UserKnownHostsFile="$S/kh.new" -o GlobalKnownHostsFile=/dev/null 127.0.0.1 \
      >"$S/prompt.out" 2>&1 || fail "$client with SSH_ASKPASS: $(cat "$S/prompt.out")"
    grep -q "^Remote working directory: " "$S/prompt.out" || fail "$client: no pwd: $(cat "$S/prompt.out")"
    grep -q "$(cut -d' ' -f2 "$S/host.pub")" "$S/kh.new" || fail "$client: the host key was not added"
    cp "$S/askpass.log" "$S/askpass.$(basename "$client")"
  done
  same_file "$S/askpass.sftp" "$S/askpass.sshkit-sftp" "the questions differ from OpenSSH's"
  grep -q "passphrase for key" "$S/askpass.sshkit-sftp" || fail "no passphrase question"
}

# -F: an ssh_config file naming the server by an alias (HostName, Port,
# IdentityFile, known hosts), the same for both clients; -C: compression
# negotiated (ssh's -v lines) and the copy whole.
check_config() {
  printf 'Host alias\n  HostName 127.0.0.1\n  Port %s\n  IdentityFile %s/id\n' "$port" "$S" >"$S/cfg"
  printf '  IdentitiesOnly yes\n  UserKnownHostsFile %s/known_hosts\n' "$S" >>"$S/cfg"
  printf '  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n' >>"$S/cfg"
  printf 'cd %s/rt\nls -l\n' "$S" >"$S/cfg.batch"
  fresh_trees
  for client in sftp "$SFTP"; do
    timeout 60 "$client" -F "$S/cfg" -b "$S/cfg.batch" alias </dev/null >"$S/cfg.raw" 2>&1 ||
      fail "$client -F: $(cat "$S/cfg.raw")"
    tr -d '\r' <"$S/cfg.raw" >"$S/cfg.$(basename "$client")"
  done
  same_file "$S/cfg.sftp" "$S/cfg.sshkit-sftp" "-F: not OpenSSH's output"
  printf 'get %s/f1m %s/c.down\n' "$S" "$S" >"$S/c.batch"
  expect_status 0 timeout 60 "$SFTP" -v -C -F "$S/cfg" -b "$S/c.batch" alias
  grep -q "compression: zlib@openssh.com started for receiving" "$S/last.err" ||
    fail "-C: no compression in the -v lines"
  cmp "$S/f1m" "$S/c.down" || fail "-C: the copy differs"
  rm -f "$S/c.down"
}

# Exit statuses and messages of what fails before any command: the
# same as OpenSSH's sftp.
check_connection_failures() {
  local free_port=$((port + 1))
  while (exec 3<>"/dev/tcp/127.0.0.1/$free_port") 2>/dev/null; do free_port=$((free_port + 1)); done
  for target in "-P $free_port 127.0.0.1" "-P $port nosuchhost.invalid"; do
    # shellcheck disable=SC2086
    expect_status 255 timeout 60 "$SFTP" -b /dev/null -i "$S/id" -o UserKnownHostsFile="$S/known_hosts" $target
    tr -d '\r' <"$S/last.err" >"$S/sshkit.err"
    # shellcheck disable=SC2086
    expect_status 255 timeout 60 sftp -b /dev/null -i "$S/id" -o UserKnownHostsFile="$S/known_hosts" $target
    tr -d '\r' <"$S/last.err" >"$S/openssh.err"
    same_file "$S/openssh.err" "$S/sshkit.err" "'$target': not OpenSSH's messages"
  done
  # An unknown host key in batch mode: refused, 255.
  expect_status 255 timeout 60 "$SFTP" -b /dev/null -P "$port" -i "$S/id" \
    -o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null 127.0.0.1
  grep -q "Host key verification failed." "$S/last.err" || fail "no host key failure message"
}

# host:path: a directory to start in, or a file to fetch.
check_host_path() {
  fresh_trees
  for client in sftp "$SFTP"; do
    (cd "$S/lt" && printf 'pwd\nls -1\n' |
       timeout 60 "$client" "${conn[@]}" "127.0.0.1:$S/rt/sub") >"$S/hp.raw" 2>&1 ||
      fail "$client host:dir failed: $(cat "$S/hp.raw")"
    tr -d '\r' <"$S/hp.raw" >"$S/hp.$(basename "$client").out"
    (cd "$S/lt" && timeout 60 "$client" -q "${conn[@]}" "127.0.0.1:$S/rt/c.log" "fetched.$(basename "$client")" \
       </dev/null) || fail "$client host:file failed"
    cmp "$S/rt/c.log" "$S/lt/fetched.$(basename "$client")" || fail "$client host:file: wrong content"
  done
  same_file "$S/hp.sftp.out" "$S/hp.sshkit-sftp.out" "host:dir: not OpenSSH's output"
  expect_status 1 timeout 60 "$SFTP" -q "${conn[@]}" "127.0.0.1:$S/rt/nonexistent"
  grep -q "File \"$S/rt/nonexistent\" not found." "$S/last.err" || fail "host:missing: $(cat "$S/last.err")"
}

run_round() {
  echo "== $1"
  if [ "$1" = sshkit-sshd ]; then start_sshkit_sftp_server; else start_sftp_server "$1"; fi
  compare_batch "commands" "$S/ok.batch"
  echo "ok: commands"
  compare_batch "errors" "$S/errors.batch"
  echo "ok: errors"
  for b in abort abort_rm abort_parse; do
    compare_batch "$b" "$S/$b.batch"
    [ "$(cat "$S/sshkit.status")" = 1 ] || fail "$b: exit status $(cat "$S/sshkit.status"), wanted 1"
  done
  echo "ok: a failing batch command stops the batch (exit status 1)"
  check_ls_numeric
  check_df
  echo "ok: ls -n, df"
  check_transfers "${@:2}"
  echo "ok: 0 B, 1 B, 1 MiB + 1, 256 MiB both ways"
  check_resume
  echo "ok: reget, reput, get -a, put -a"
  check_host_path
  echo "ok: host:path"
  stop_sshd
  stop_sshkit_server
}

run_round "/usr/lib/openssh/sftp-server -e -l DEBUG1 2>>$S/sftp-server.log"
check_buffer_size_round() {
  start_sftp_server "/usr/lib/openssh/sftp-server -e -l DEBUG1 2>>$S/sftp-server.log"
  check_buffer_size
  echo "ok: -B"
  check_connection_failures
  echo "ok: connection failures (255)"
  stop_sshd
}
check_buffer_size_round
check_requests 4 -R 4
check_requests 1 -R 1
check_requests 64
echo "ok: -R (4, 1, and 64 by default) in flight"
check_server_lost
echo "ok: the server lost in a download (255)"
start_sftp_server /usr/lib/openssh/sftp-server
check_prompts
check_config
stop_sshd
echo "ok: host key and passphrase questions through SSH_ASKPASS; -F, -C"
# No sftp subsystem: ssh's and sftp's words, 255.
start_sftp_server ""
for client in sftp "$SFTP"; do
  expect_status 255 timeout 60 "$client" -b /dev/null "${conn[@]}" 127.0.0.1
  tr -d '\r' <"$S/last.err" >"$S/nosub.$(basename "$client")"
done
stop_sshd
same_file "$S/nosub.sftp" "$S/nosub.sshkit-sftp" "no subsystem: not OpenSSH's messages"
echo "ok: a server without the sftp subsystem (255)"
run_round "internal-sftp" -R 8 -B 65536
# sshkit on both ends: the same batches through both clients against
# sshkit-sshd's internal-sftp.
run_round sshkit-sshd

# ---- the command line ----
expect_status 1 "$SFTP"
grep -q "^usage: sshkit-sftp" "$S/last.err" || fail "no usage line"
expect_status 1 "$SFTP" -z host
grep -q "unknown option -- z" "$S/last.err" || fail "no message for -z"
# (-b: batch mode is quiet, so OpenSSH's sftp does not race its ssh's
# exit with a "Connection closed." of its own.)
for bad in "-B 0" "-R x" "-P 0" "-X foo" "-o Foo=bar" "-c nosuch"; do
  # shellcheck disable=SC2086
  expect_status 255 "$SFTP" -b /dev/null $bad host
  tr -d '\r' <"$S/last.err" >"$S/sshkit.err"
  # shellcheck disable=SC2086
  expect_status 255 sftp -b /dev/null $bad host
  tr -d '\r' <"$S/last.err" >"$S/openssh.err"
  same_file "$S/openssh.err" "$S/sshkit.err" "'$bad': not OpenSSH's message"
done
expect_status 0 "$SFTP" --help
grep -q "^SYNOPSIS" "$S/last.out" || fail "--help printed no manual"
expect_status 0 "$SFTP" -h
grep -q "^SYNOPSIS" "$S/last.out" || fail "-h printed no manual"
grep -q "ssh_config" "$S/last.out" || fail "-h does not mention -F"
echo "ok: the command line"
echo "PASS"
