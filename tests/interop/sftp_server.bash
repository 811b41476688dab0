# Helpers for the sftp_server_*.sh interop scripts: keys, OpenSSH's sshd
# and sshkit-sshd each serving internal-sftp, OpenSSH's sftp in batch mode
# against either, and output made comparable (dates of `ls -l`).
# Source after common.bash, with BIN, SCRATCH and S set.
# shellcheck shell=bash

me=$(id -un)
srv_pid=

sftp_keys() {
  "$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/host" </dev/null
  "$BIN/sshkit-keygen" -q -t ed25519 -N '' -f "$S/id" </dev/null
  mkdir -p "$S/keys"
  cp "$S/id.pub" "$S/keys/$me.authorized"
}

# OpenSSH's sshd with internal-sftp and the extra lines given as arguments
# (one per argument). Sets sshd_port.
start_openssh() {
  local extra
  extra=$(printf '%s\n' "$@")
  start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/keys/%u.authorized
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
Subsystem sftp internal-sftp
$extra
CONF
}

# sshkit-sshd, likewise (a Subsystem line among them replaces the plain
# internal-sftp one). Sets port; the log is $S/server.log.
start_sshkit() {
  local _try extra
  extra=$(printf '%s\n' "$@")
  case $extra in
    *Subsystem*) ;;
    *) extra="$extra
Subsystem sftp internal-sftp" ;;
  esac
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    printf '%s\nListenAddress 127.0.0.1\nPort %s\nHostKey %s/host\nAuthorizedKeysFile %%h/keys/%%u.authorized\nLogLevel VERBOSE\n' \
      "$extra" "$port" "$S" >"$S/sshkit.config"
    : >"$S/server.log"
    HOME=$S "$BIN/sshkit-sshd" -D -e -f "$S/sshkit.config" 2>>"$S/server.log" &
    srv_pid=$!
    wait_for_line "$S/server.log" 50 "Server listening on 127.0.0.1 port $port" && return 0
    kill "$srv_pid" 2>/dev/null || true
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=
  done
  fail "sshkit-sshd did not start: $(cat "$S/server.log")"
}

stop_sshkit() {
  if [ -n "$srv_pid" ]; then
    kill "$srv_pid"
    wait "$srv_pid" || fail "sshkit-sshd did not exit 0 on SIGTERM: $(tail -5 "$S/server.log")"
    srv_pid=
  fi
}

# OpenSSH's sftp against a port; the rest are sftp's arguments. Bounded.
sftp_to() {
  local p=$1
  shift
  timeout 600 sftp -P "$p" -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no \
    -o LogLevel=ERROR -o BatchMode=yes -o IdentitiesOnly=yes -i "$S/id" "$@" "$me@127.0.0.1"
}

# Runs batch file $2 against port $1; stdout to $3.out, stderr to $3.err,
# sftp's exit status to $3.rc. Dates in `ls -l` lines become DATE (the two
# servers' runs are seconds apart).
run_batch() {
  local rc=0
  sftp_to "$1" -b "$2" >"$3.out" 2>"$3.err" || rc=$?
  echo "$rc" >"$3.rc"
  sed -E -i 's/ [A-Z][a-z]{2} [ 0-9][0-9] ([0-9]{2}:[0-9]{2}|  ?[0-9]{4}) / DATE /' "$3.out"
}

# Fails unless runs $1 and $2 printed the same and exited the same.
same_run() {
  same_file "$1.out" "$2.out" "$3: OpenSSH's sftp printed something else against sshkit-sshd"
  same_file "$1.err" "$2.err" "$3: OpenSSH's sftp's errors differ against sshkit-sshd"
  same_file "$1.rc" "$2.rc" "$3: sftp's exit status differs"
}

# A listing of a tree: type, path, size, mode, link target, and contents'
# checksum, for comparing what two runs left behind.
tree_listing() {
  (cd "$1" && find . -printf '%y %p %s %m %l\n' | sort) >"$2"
  (cd "$1" && find . -type f -exec sha256sum {} + | sort -k2) >>"$2"
}
