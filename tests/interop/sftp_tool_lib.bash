# Helpers for the sshkit-sftp interop scripts: keys, OpenSSH's sshd with a
# chosen SFTP subsystem, a fixture tree, and runs of OpenSSH's sftp and
# sshkit-sftp side by side. Source after common.bash, with BIN, SCRATCH and
# S set. shellcheck shell=bash

SFTP=$(cd "$BIN" && pwd)/sshkit-sftp
export HOME=$S/home             # no file of the real user is read or written
mkdir -p "$HOME"
unset SSH_AUTH_SOCK DISPLAY SSH_ASKPASS SSH_ASKPASS_REQUIRE
export TZ=UTC LC_ALL=C

ssh-keygen -q -t ed25519 -N '' -f "$S/host"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"

# Starts OpenSSH's sshd serving SFTP with the Subsystem command given
# ("/usr/lib/openssh/sftp-server" or "internal-sftp ..."; "" for none);
# sets port, known_hosts and conn (the options both clients take).
start_sftp_server() {
  start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
LogLevel VERBOSE
${1:+Subsystem sftp $1}
CONF
  port=$sshd_port
  printf '[127.0.0.1]:%s %s\n' "$port" "$(cat "$S/host.pub")" >"$S/known_hosts"
  conn=(-P "$port" -i "$S/id" -o UserKnownHostsFile="$S/known_hosts"
        -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes)
}

# Starts sshkit-sshd serving `Subsystem sftp internal-sftp`; sets port,
# known_hosts, conn and srv_pid (stop_sshkit_server stops it).
start_sshkit_sftp_server() {
  local _try
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s/host\nAuthorizedKeysFile %s/authorized_keys\nLogLevel VERBOSE\nSubsystem sftp internal-sftp\n' \
      "$port" "$S" "$S" >"$S/sshkit_sshd_config"
    : >"$S/sshkit_sshd.log"
    "$BIN/sshkit-sshd" -D -e -f "$S/sshkit_sshd_config" 2>>"$S/sshkit_sshd.log" &
    srv_pid=$!
    if wait_for_line "$S/sshkit_sshd.log" 50 "Server listening on 127.0.0.1 port $port"; then
      printf '[127.0.0.1]:%s %s\n' "$port" "$(cat "$S/host.pub")" >"$S/known_hosts"
      conn=(-P "$port" -i "$S/id" -o UserKnownHostsFile="$S/known_hosts"
            -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes)
      return 0
    fi
    stop_sshkit_server
  done
  fail "sshkit-sshd did not start: $(cat "$S/sshkit_sshd.log")"
}

stop_sshkit_server() {
  if [ -n "${srv_pid:-}" ]; then
    kill "$srv_pid" 2>/dev/null || true
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=
  fi
}

# A tree to work on, the same each time it is made (contents, modes,
# times, links): files, a directory with more, an empty one, links.
make_template() {
  local t=$S/template stamp
  stamp=$(date -d '-3 hours' '+%Y-%m-%d %H:%M:00')
  rm -rf "$t"
  mkdir -p "$t/sub/deep" "$t/empty"
  printf 'hello\n' >"$t/a.txt"
  printf 'x' >"$t/b.dat"
  seq 1 2000 >"$t/c.log"
  printf 'deep\n' >"$t/sub/deep/d.txt"
  printf 'sub\n' >"$t/sub/s.txt"
  : >"$t/.hidden"
  # Names a server could use against a terminal: printed escaped.
  printf 'evil\n' >"$t/$(printf 'esc\033[31mred')"
  printf 'utf\n' >"$t/$(printf 'caf\303\251')"
  ln -s a.txt "$t/link"
  ln -s sub "$t/dirlink"
  chmod 640 "$t/b.dat"
  find "$t" -exec touch -h -d "2023-01-02 03:04:05" {} +
  touch -h -d "$stamp" "$t/a.txt" "$t/link" "$t/sub"
  touch -h -d "$stamp" "$t"
}

# Fresh copies of the template: $S/rt (remote side) and $S/lt (local side).
fresh_trees() {
  rm -rf "$S/rt" "$S/lt"
  cp -a "$S/template" "$S/rt"
  mkdir -p "$S/lt"
  cp -a "$S/template/a.txt" "$S/template/c.log" "$S/lt/"
  touch -h -d "2023-01-02 03:04:05" "$S/lt"
}

# What a tree holds: paths, types, modes, sizes, link targets, checksums.
tree_state() {
  (cd "$1" && find . -printf '%p %y %m %s %l\n' | sort &&
     find . -type f -exec sha256sum {} + | sort -k 2)
}

# Runs one client on a batch file from fresh trees; its output (stdout and
# stderr together, without CRs), exit status and resulting trees go to
# $S/NAME.{out,status,tree}.
run_batch() {
  local name=$1 batch=$2 status=0
  shift 2
  fresh_trees
  (cd "$S/lt" && timeout 120 "$@" -b "$batch" "${conn[@]}" 127.0.0.1 </dev/null) \
    >"$S/$name.raw" 2>&1 || status=$?
  tr -d '\r' <"$S/$name.raw" >"$S/$name.out"
  echo "$status" >"$S/$name.status"
  { tree_state "$S/rt"; echo ---; tree_state "$S/lt"; } >"$S/$name.tree"
}

# The same batch through OpenSSH's sftp and sshkit-sftp: the outputs, the
# exit statuses and the trees they leave must be the same.
compare_batch() {
  local what=$1 batch=$2
  run_batch openssh "$batch" sftp
  run_batch sshkit "$batch" "$SFTP"
  grep -q '^sftp> ' "$S/openssh.out" || fail "$what: OpenSSH's sftp ran no command: $(cat "$S/openssh.out")"
  same_file "$S/openssh.out" "$S/sshkit.out" "$what: the output differs from OpenSSH's sftp"
  same_file "$S/openssh.status" "$S/sshkit.status" "$what: the exit status differs"
  same_file "$S/openssh.tree" "$S/sshkit.tree" "$what: the files differ afterwards"
}
