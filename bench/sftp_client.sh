#!/usr/bin/env bash
# SFTP get and put of one file, sshkit's client against OpenSSH's sftp, in
# the same run, against the same OpenSSH sshd (Subsystem sftp-server).
#
#   bench/sftp_client.sh BIN_DIR        (BIN_DIR holds sshkit-bench-sftp)
#
# Environment: BENCH_MIB (default 1024) the file's size in MiB; BENCH_REPS
# (default 3) runs of each measurement, alternating the clients (the median
# is quoted); BENCH_CIPHERS (default "chacha20-poly1305@openssh.com
# aes256-gcm@openssh.com"); BENCH_SFTP_ARGS extra options for both clients
# (such as "-R 64 -B 262144").
#
# get: the server's file (in the page cache) into a new local file;
# put: a local file into a new server file. Both clients use their
# defaults (64 requests in flight; the server's limits@openssh.com sizes).
# Every run writes a fresh file in this script's private directory and the
# file is removed after the run; the first run of each client is checked
# (sha256) against the source.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
MIB=${BENCH_MIB:-1024}
REPS=${BENCH_REPS:-3}
CIPHERS=${BENCH_CIPHERS:-chacha20-poly1305@openssh.com aes256-gcm@openssh.com}
EXTRA=${BENCH_SFTP_ARGS:-}
BYTES=$((MIB * 1048576))
RUN_LIMIT=600   # seconds, for any one transfer

TMP=$(mktemp -d /tmp/bench-sftp.XXXXXX)
chmod 700 "$TMP"
# shellcheck source=bench/lib.bash
. "$(dirname "$0")/lib.bash"
trap 'bench_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

[ -x "$BIN/sshkit-bench-sftp" ] || bench_fail "$BIN/sshkit-bench-sftp not built (make bench)"
[ -c /dev/null ] || bench_fail "/dev/null is not a character device: $(ls -l /dev/null)"

echo "== sftp: $MIB MiB get and put against OpenSSH's sshd + sftp-server, median of $REPS; MB/s = 10^6 bytes/s"
bench_machine
bench_make_keys
bench_extra_config="Subsystem sftp /usr/lib/openssh/sftp-server" bench_start_sshd
head -c "$BYTES" /dev/urandom >"$TMP/source"
want=$(sha256sum <"$TMP/source" | cut -d' ' -f1)

# Sets cmd to one client's command for a transfer: client cipher get|put from to.
client_cmd() {
  local client=$1 cipher=$2 op=$3 from=$4 to=$5
  if [ "$client" = sftp ]; then
    printf '%s "%s" "%s"\n' "$op" "$from" "$to" >"$TMP/batch"
    # shellcheck disable=SC2206  # EXTRA is options split on purpose
    cmd=(sftp -q -b "$TMP/batch" -P "$sshd_port" -i "$TMP/id_ed25519" -F /dev/null
         -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
         -o UserKnownHostsFile="$TMP/known_hosts" -o GlobalKnownHostsFile=/dev/null
         -o Compression=no -c "$cipher" $EXTRA "$bench_user@127.0.0.1")
  else
    # shellcheck disable=SC2206
    cmd=("$BIN/sshkit-bench-sftp" -p "$sshd_port" -l "$bench_user" -i "$TMP/id_ed25519"
         -o "$TMP/known_hosts" -c "$cipher" $EXTRA 127.0.0.1 "$op" "$from" "$to")
  fi
}

# One transfer; prints its MB/s. check=1 compares the copy with the source.
transfer() {
  local client=$1 cipher=$2 op=$3 check=$4 dest t0 t1 rc=0
  dest=$TMP/copy.$client
  rm -f "$dest"
  if [ "$op" = get ]; then
    client_cmd "$client" "$cipher" get "$TMP/source" "$dest"
  else
    client_cmd "$client" "$cipher" put "$TMP/source" "$dest"
  fi
  sync
  t0=$(bench_now_ns)
  timeout "$RUN_LIMIT" "${cmd[@]}" </dev/null >/dev/null 2>"$TMP/run.err" || rc=$?
  t1=$(bench_now_ns)
  [ "$rc" -eq 0 ] || bench_fail "$client $op with $cipher exited $rc: $(cat "$TMP/run.err")"
  if [ "$check" = 1 ] && [ "$(sha256sum <"$dest" | cut -d' ' -f1)" != "$want" ]; then
    bench_fail "$client $op with $cipher: the copy differs from the source"
  fi
  rm -f "$dest"
  awk -v b="$BYTES" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", b / (ns / 1e9) / 1e6 }'
}

results=()
for cipher in $CIPHERS; do
  for op in get put; do
    declare -A runs=()
    for rep in $(seq "$REPS"); do
      for client in sftp sshkit; do
        runs[$client]+="$(transfer "$client" "$cipher" "$op" $((rep == 1))) "
      done
    done
    for client in sftp sshkit; do
      # shellcheck disable=SC2086  # one number per word
      results+=("$cipher $op $client $(printf '%s\n' ${runs[$client]} | bench_stats)")
    done
    unset runs
  done
done
[ -c /dev/null ] || bench_fail "/dev/null stopped being a character device during the run"

echo
printf '%-30s %-4s %-7s %9s %9s %9s %7s\n' cipher op client MB/s min max ratio
ref=
for r in "${results[@]}"; do
  read -r cipher op client med min max <<<"$r"
  [ "$client" != sftp ] || ref=$med
  ratio=$(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  printf '%-30s %-4s %-7s %9s %9s %9s %7s\n' "$cipher" "$op" "$client" "$med" "$min" "$max" "$ratio"
done
echo
echo "ratios (median MB/s, sshkit's client against OpenSSH's sftp, same cipher and operation):"
for r in "${results[@]}"; do
  read -r cipher op client med _ _ <<<"$r"
  if [ "$client" = sftp ]; then ref=$med; continue; fi
  awk -v a="$med" -v b="$ref" -v c="$cipher" -v o="$op" \
    'BEGIN { printf "  %-30s %-4s %.2f\n", c, o, a / b }'
done
