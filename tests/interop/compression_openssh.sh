#!/usr/bin/env bash
# Compression against OpenSSH, both ways. 64 MiB of text and 64 MiB of
# noise go through a remote `cat` and come back with the same sha256:
#   1. sshkit-ssh -C against sshd with Compression yes, then delayed, the
#      second with RekeyLimit=16M (every NEWKEYS starts the zlib streams
#      afresh, on both sides);
#   2. OpenSSH's ssh -C against sshkit-sshd, once with RekeyLimit=16M;
#      sshkit-sshd with Compression no gives "none" to ssh -C;
#   3. the pre-authentication method "zlib" (which sshd no longer offers):
#      ssh -C against sshkit-server-probe -z zlib, through authentication
#      and a key renewal, every packet compressed.
# The method is read from the -v logs of each side ("compression: ...").
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
S=$SCRATCH
user=$(id -un)
export HOME=$S/home
mkdir -p "$HOME"
unset SSH_AUTH_SOCK
srv_pid=
cleanup() {
  stop_sshd
  if [ -n "$srv_pid" ]; then kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -f "$S/host"
ssh-keygen -q -t ed25519 -N '' -f "$S/id"
cp "$S/id.pub" "$S/authorized_keys"
# Log lines (about 6:1 with zlib) and noise (which does not shrink).
head -c $((64 << 20)) < <(seq -f 'line %.0f of a log: GET /index.html HTTP/1.1 200 OK' 1 2000000) \
  >"$S/text"
head -c $((64 << 20)) /dev/urandom >"$S/noise"
for f in text noise; do
  [ "$(stat -c %s "$S/$f")" -eq $((64 << 20)) ] || fail "could not make 64 MiB of $f"
  sha256sum <"$S/$f" | cut -d' ' -f1 >"$S/$f.sum"
done

# Sends $1 (text or noise) through `cat` on the server with client $2 and
# the options after it; the client's stderr is $S/client.log.
through_cat() {
  local what=$1 client=$2 got
  shift 2
  got=$(timeout 300 "$client" -v -p "$port" -i "$S/id" -o BatchMode=yes -o IdentitiesOnly=yes \
        -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no "$@" "$user@127.0.0.1" \
        cat <"$S/$what" 2>"$S/client.log" | sha256sum | cut -d' ' -f1) || true
  if [ "$got" != "$(cat "$S/$what.sum")" ]; then
    tail -20 "$S/client.log" >&2
    fail "$client $* with $what: the data came back changed"
  fi
}

# Fails unless log $1 has a line matching $2 (a grep -E pattern).
has() {
  grep -qE -- "$2" "$1" || { tail -30 "$1" >&2; fail "$3"; }
}

# Key exchanges the log shows after the first.
rekeys() {
  echo $(($(grep -cE "$2" "$1" || true) - 1))
}

# ---- 1. sshkit-ssh -C against OpenSSH's sshd ----
for mode in yes delayed; do
  start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
Compression $mode
LogLevel DEBUG1
CONF
  port=$sshd_port
  extra=()
  [ "$mode" = delayed ] && extra=(-o RekeyLimit=16M)
  for what in text noise; do
    : >"$S/sshd.log"
    through_cat "$what" "$BIN/sshkit-ssh" -C "${extra[@]}"
    for dir in 'client->server' 'server->client'; do
      has "$S/client.log" "kex: $dir cipher: .* compression: zlib@openssh.com$" \
        "sshkit-ssh -C did not negotiate zlib@openssh.com $dir"
    done
    has "$S/client.log" "compression: zlib@openssh.com started for sending" \
      "sshkit-ssh did not start compressing"
    # sshd logs no totals when the client disconnects; sshkit-ssh's show
    # both directions went through zlib.
    has "$S/client.log" "compress outgoing: raw data [0-9]{8,}, compressed" \
      "sshkit-ssh did not compress what it sent"
    has "$S/client.log" "compress incoming: raw data [0-9]{8,}, compressed" \
      "sshkit-ssh did not inflate what sshd sent"
    has "$S/sshd.log" "kex: client->server cipher: .* compression: zlib@openssh.com" \
      "sshd did not see zlib@openssh.com"
    if [ "$what" = text ]; then
      for dir in outgoing incoming; do
        has "$S/client.log" "compress $dir: raw data [0-9]+, compressed [0-9]+, factor 0\.[0-2]" \
          "the text $dir did not shrink to a fifth"
      done
    fi
    if [ "$mode" = delayed ] && [ "$what" = noise ]; then
      n=$(rekeys "$S/client.log" "SSH2_MSG_NEWKEYS received")
      [ "$n" -ge 4 ] || fail "sshkit-ssh RekeyLimit=16M: $n key renewals, wanted at least 4"
    fi
    echo "ok: sshkit-ssh -C, sshd Compression $mode${extra:+ ${extra[*]}}, 64 MiB of $what each way"
  done
  stop_sshd
done
# Without -C, sshkit-ssh prefers none (as ssh); -o Compression=yes is -C.
start_sshd <<CONF
HostKey $S/host
AuthorizedKeysFile $S/authorized_keys
LogLevel DEBUG1
CONF
port=$sshd_port
echo hello >"$S/small"
sha256sum <"$S/small" | cut -d' ' -f1 >"$S/small.sum"
through_cat small "$BIN/sshkit-ssh"
has "$S/client.log" "kex: client->server cipher: .* compression: none$" "sshkit-ssh compressed unasked"
through_cat small "$BIN/sshkit-ssh" -o Compression=yes
has "$S/client.log" "compression: zlib@openssh.com$" "-o Compression=yes did not compress"
stop_sshd
echo "ok: sshkit-ssh without -C uses none, -o Compression=yes is -C"

# ---- 2. OpenSSH's ssh -C against sshkit-sshd ----
start_sshkit_sshd() {
  local _try
  for _try in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    printf 'ListenAddress 127.0.0.1\nPort %s\nHostKey %s/host\nAuthorizedKeysFile %s/authorized_keys\nLogLevel DEBUG1\n%s\n' \
      "$port" "$S" "$S" "$1" >"$S/sshkit_sshd_config"
    : >"$S/server.log"
    "$BIN/sshkit-sshd" -D -e -f "$S/sshkit_sshd_config" 2>>"$S/server.log" &
    srv_pid=$!
    wait_for_line "$S/server.log" 50 "Server listening" && return 0
    kill "$srv_pid" 2>/dev/null || true
    wait "$srv_pid" 2>/dev/null || true
    srv_pid=
  done
  fail "sshkit-sshd did not start: $(cat "$S/server.log")"
}
stop_sshkit_sshd() {
  kill "$srv_pid"
  wait "$srv_pid" || fail "sshkit-sshd did not exit 0 on SIGTERM"
  srv_pid=
}

start_sshkit_sshd "Compression yes"
for what in text noise; do
  extra=()
  [ "$what" = noise ] && extra=(-o RekeyLimit=16M)
  through_cat "$what" ssh -C "${extra[@]}"
  for dir in 'client->server' 'server->client'; do
    has "$S/client.log" "kex: $dir cipher: .* compression: zlib@openssh.com" \
      "ssh -C did not negotiate zlib@openssh.com $dir"
  done
  # ssh's totals are its last stream's (a new one after every NEWKEYS).
  has "$S/client.log" "compress outgoing: raw data [0-9]{6,}, compressed" "ssh did not compress"
  has "$S/client.log" "compress incoming: raw data [0-9]{6,}, compressed" \
    "ssh did not inflate sshkit-sshd's output"
  [ "$what" = text ] && has "$S/client.log" \
    "compress incoming: raw data [0-9]+, compressed [0-9]+, factor 0\.[0-2]" \
    "sshkit-sshd's text did not shrink to a fifth"
  if [ "$what" = noise ]; then
    n=$(rekeys "$S/client.log" "SSH2_MSG_NEWKEYS received")
    [ "$n" -ge 4 ] || fail "ssh RekeyLimit=16M: $n key renewals, wanted at least 4"
  fi
  echo "ok: ssh -C${extra:+ ${extra[*]}} against sshkit-sshd, 64 MiB of $what each way"
done
has "$S/server.log" "kex: server->client cipher: .* compression: zlib@openssh.com" \
  "sshkit-sshd's log lacks the method"
stop_sshkit_sshd

start_sshkit_sshd "Compression no"
through_cat small ssh -C
has "$S/client.log" "kex: client->server cipher: .* compression: none" \
  "sshkit-sshd with Compression no still compressed"
stop_sshkit_sshd
echo "ok: sshkit-sshd Compression no gives none to ssh -C"

# ---- 3. "zlib", from the first NEWKEYS on: ssh -C against the probe ----
"$BIN/sshkit-server-probe" -p 0 -h "$S/host" -a "$S/authorized_keys" -z zlib \
  >"$S/probe.out" 2>"$S/probe.log" &
srv_pid=$!
wait_for_line "$S/probe.out" 50 "^port " || fail "sshkit-server-probe did not start"
port=$(sed -n 's/^port //p' "$S/probe.out")
# ssh -N renews its keys by time (RekeyLimit 1M 1); an idle ssh looks at
# the clock only now and then, so one renewal is awaited (at most 15 s),
# then ssh is stopped.
timeout 60 ssh -v -N -C -p "$port" -i "$S/id" -o BatchMode=yes -o IdentitiesOnly=yes \
  -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o RekeyLimit="1M 1" \
  "$user@127.0.0.1" </dev/null 2>"$S/client.log" &
ssh_pid=$!
ok=
for _ in $(seq 150); do
  [ "$(rekeys "$S/client.log" "SSH2_MSG_NEWKEYS received")" -ge 1 ] && ok=1 && break
  kill -0 "$ssh_pid" 2>/dev/null || break
  sleep 0.1
done
kill "$ssh_pid" 2>/dev/null || true
wait "$ssh_pid" 2>/dev/null || true
[ -n "$ok" ] || { tail -n 30 "$S/client.log" "$S/probe.log" >&2; fail "ssh -C with zlib: no renewal"; }
has "$S/client.log" "Authenticated to 127.0.0.1" "ssh -C with zlib did not authenticate"
for dir in 'client->server' 'server->client'; do
  has "$S/client.log" "kex: $dir cipher: .* compression: zlib[[:cntrl:]]*$" "ssh did not negotiate zlib $dir"
done
! grep -qiE "fatal|corrupt|Bad packet|invalid format|Disconnected" "$S/client.log" ||
  fail "ssh -C with zlib: errors in its log: $(grep -iE "fatal|corrupt|bad|invalid|disconnect" "$S/client.log")"
has "$S/probe.log" "kex: client->server cipher: .* compression: zlib$" "the probe did not log zlib"
kill "$srv_pid"
wait "$srv_pid" 2>/dev/null || true
srv_pid=
has "$S/probe.log" "compress incoming: raw data [0-9]+, compressed" "the probe inflated nothing"
echo "ok: ssh -C against a server offering zlib: compressed from NEWKEYS on, through a renewal"
echo "compression interop: all checks passed"
