#!/usr/bin/env bash
# Whole-file SFTP transfers, sshkit-sftp against OpenSSH's sftp in the same
# run, both against the same OpenSSH sshd (Subsystem sftp-server).
#
#   bench/sftp.sh BIN_DIR        (BIN_DIR holds sshkit-sftp)
#
# Environment: BENCH_MIB (default 1024) bytes per transfer, in MiB;
# BENCH_REPS (default 3) runs of each measurement (the median is quoted);
# BENCH_CIPHERS (default "chacha20-poly1305@openssh.com aes256-gcm@openssh.com").
#
#   get: `get SOURCE /dev/null`, SOURCE a sparse file of SIZE bytes
#   put: `put SOURCE /dev/null`
# each as a one-line batch (-b -) with the client's defaults for requests in
# flight and their size; wall time around the whole client command
# (connection set-up included). Ratio = sshkit-sftp's MB/s / sftp's. The
# client's CPU time (user + system, with its children: OpenSSH's sftp runs
# ssh) is shown too: the server's share of the work is the same for both
# clients, and on a busy machine it can bound both.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
MIB=${BENCH_MIB:-1024}
REPS=${BENCH_REPS:-3}
CIPHERS=${BENCH_CIPHERS:-chacha20-poly1305@openssh.com aes256-gcm@openssh.com}
BYTES=$((MIB * 1048576))
RUN_LIMIT=300   # seconds, for any one transfer

TMP=$(mktemp -d /tmp/bench-sftp.XXXXXX)
chmod 700 "$TMP"
# shellcheck source=bench/lib.bash
. "$(dirname "$0")/lib.bash"
trap 'bench_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

[ -x "$BIN/sshkit-sftp" ] || bench_fail "$BIN/sshkit-sftp not built"
# Both ends write to /dev/null: a regular file there would be timed instead.
check_null() {
  [ -c /dev/null ] || bench_fail "/dev/null is not a character device: $(ls -l /dev/null)"
}
check_null

echo "== sftp: $MIB MiB get and put, median of $REPS; MB/s = 10^6 bytes/s"
bench_machine
bench_make_keys
BENCH_SSHD_EXTRA="Subsystem sftp /usr/lib/openssh/sftp-server" bench_start_sshd
truncate -s "$BYTES" "$TMP/source"

# Sets the array cmd: the client (sftp or sshkit) with the cipher.
sftp_client() {
  local which=$1 cipher=$2 program=sftp
  [ "$which" = sftp ] || program=$BIN/sshkit-sftp
  cmd=("$program" -q -P "$sshd_port" -i "$TMP/id_ed25519" -o IdentitiesOnly=yes
       -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$TMP/known_hosts"
       -o GlobalKnownHostsFile=/dev/null -b -)
  [ "$which" != sftp ] || cmd+=(-F /dev/null -o Compression=no -o ControlMaster=no -o ControlPath=none)
  [ "$cipher" = default ] || cmd+=(-c "$cipher")
  cmd+=("$bench_user@127.0.0.1")
}

# One transfer; prints its MB/s and the client's CPU seconds ("MBPS,CPU").
# Fails the script when the transfer fails.
transfer() {
  local client=$1 cipher=$2 dir=$3 rc=0 line real user sys TIMEFORMAT='%R %U %S'
  sftp_client "$client" "$cipher"
  line="get $TMP/source /dev/null"
  [ "$dir" = get ] || line="put $TMP/source /dev/null"
  { time (echo "$line" | timeout "$RUN_LIMIT" "${cmd[@]}" >/dev/null 2>"$TMP/run.err") ||
      rc=$?; } 2>"$TMP/time.out"
  [ "$rc" -eq 0 ] || bench_fail "$client $cipher $dir exited $rc: $(cat "$TMP/run.err")"
  check_null
  read -r real user sys <"$TMP/time.out"
  awk -v b="$BYTES" -v r="$real" -v u="$user" -v s="$sys" \
    'BEGIN { printf "%.1f,%.2f\n", b / r / 1e6, u + s }'
}

# A short transfer each way whose copy is compared, so that a client that
# drops data cannot look fast.
sanity() {
  local client=$1
  head -c 3000001 /dev/urandom >"$TMP/sample"
  sftp_client "$client" default
  printf 'get %s %s\nput %s %s\n' "$TMP/sample" "$TMP/sample.down" "$TMP/sample" "$TMP/sample.up" |
    "${cmd[@]}" >/dev/null 2>"$TMP/run.err" || bench_fail "$client: $(cat "$TMP/run.err")"
  cmp -s "$TMP/sample" "$TMP/sample.down" || bench_fail "$client: get copied wrong"
  cmp -s "$TMP/sample" "$TMP/sample.up" || bench_fail "$client: put copied wrong"
  rm -f "$TMP/sample.down" "$TMP/sample.up"
}
sanity sftp
sanity sshkit

# The median of the numbers on standard input, two decimals.
median2() {
  sort -g | awk '{ v[NR] = $1 } END {
    printf "%.2f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

results=()
for cipher in $CIPHERS; do
  for dir in get put; do
    declare -A runs=() cpus=()
    for _ in $(seq "$REPS"); do
      for client in sftp sshkit; do
        one=$(transfer "$client" "$cipher" "$dir")
        runs[$client]+="${one%,*} "
        cpus[$client]+="${one#*,} "
      done
    done
    for client in sftp sshkit; do
      # shellcheck disable=SC2086  # one number per word
      results+=("$cipher $dir $client $(printf '%s\n' ${runs[$client]} | bench_stats) $(printf '%s\n' ${cpus[$client]} | median2)")
    done
    unset runs cpus
  done
done

echo
printf '%-30s %-4s %-12s %9s %9s %9s %7s %8s\n' cipher dir client MB/s min max ratio 'CPU s'
ref=
for r in "${results[@]}"; do
  read -r cipher dir client med min max cpu <<<"$r"
  [ "$client" != sftp ] || ref=$med
  ratio=$(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  name=$client
  [ "$client" = sftp ] || name=sshkit-sftp
  printf '%-30s %-4s %-12s %9s %9s %9s %7s %8s\n' "$cipher" "$dir" "$name" "$med" "$min" "$max" \
    "$ratio" "$cpu"
done

echo
echo "ratios (median MB/s of sshkit-sftp against OpenSSH's sftp, same cipher and direction):"
for r in "${results[@]}"; do
  read -r cipher dir client med _ _ <<<"$r"
  if [ "$client" = sftp ]; then ref=$med; continue; fi
  awk -v a="$med" -v b="$ref" -v c="$cipher" -v d="$dir" \
    'BEGIN { printf "  %-30s %-4s %.2f\n", c, d, a / b }'
done
