#!/usr/bin/env bash
# Whole-file SFTP transfers with sshkit-sftp against OpenSSH's sftp, in the
# same run, against OpenSSH's sshd and against sshkit-sshd (both serving
# `Subsystem sftp internal-sftp`).
#
#   bench/sftp_tool.sh BIN_DIR        (BIN_DIR holds sshkit-sftp and sshkit-sshd)
#
# Environment: BENCH_MIB (default 1024) bytes per transfer, in MiB;
# BENCH_REPS (default 3) runs of each measurement (the median is quoted);
# BENCH_CIPHERS (default "chacha20-poly1305@openssh.com aes256-gcm@openssh.com").
#
#   get: `get SOURCE /dev/null`, SOURCE a sparse file of SIZE bytes
#   put: `put SOURCE /dev/null`
# each as a one-line batch (-b -) with each client's defaults for requests
# in flight and their size; wall time around the whole client command
# (connection set-up included). The pairs client -> server, in turn:
#   sftp        -> sshd         OpenSSH on both ends (the reference)
#   sshkit-sftp -> sshd         sshkit's tool
#   sftp        -> sshkit-sshd  } only when sshkit-sshd serves SFTP
#   sshkit-sftp -> sshkit-sshd  }
# Ratio = the pair's MB/s / (sftp -> sshd)'s. The client's CPU time (user +
# system, with its children: OpenSSH's sftp runs ssh) is shown too: the
# server's share of the work is the same for both clients, and on a busy
# machine it can bound both.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
MIB=${BENCH_MIB:-1024}
REPS=${BENCH_REPS:-3}
CIPHERS=${BENCH_CIPHERS:-chacha20-poly1305@openssh.com aes256-gcm@openssh.com}
BYTES=$((MIB * 1048576))
RUN_LIMIT=300   # seconds, for any one transfer

TMP=$(mktemp -d /tmp/bench-sftp-tool.XXXXXX)
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

echo "== sftp tool: $MIB MiB get and put, median of $REPS; MB/s = 10^6 bytes/s"
bench_machine
bench_make_keys
bench_extra_config="Subsystem sftp internal-sftp"
bench_start_sshd
truncate -s "$BYTES" "$TMP/source"
servers=(sshd)
if bench_start_sshkit_sshd; then
  servers+=(sshkit-sshd)
else
  echo "SKIPPED: $sk_sshd_why; pairs against sshkit-sshd not measured"
fi

port_of() {
  if [ "$1" = sshd ]; then echo "$sshd_port"; else echo "$sk_sshd_port"; fi
}

# Sets the array cmd: the client (sftp or sshkit-sftp) for SERVER with CIPHER.
sftp_client() {
  local which=$1 server=$2 cipher=$3 program=sftp
  [ "$which" = sftp ] || program=$BIN/sshkit-sftp
  cmd=("$program" -q -F /dev/null -P "$(port_of "$server")" -i "$TMP/id_ed25519"
       -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes
       -o UserKnownHostsFile="$TMP/known_hosts" -o GlobalKnownHostsFile=/dev/null
       -o Compression=no -b -)
  [ "$which" != sftp ] || cmd+=(-o ControlMaster=no -o ControlPath=none)
  [ "$cipher" = default ] || cmd+=(-c "$cipher")
  cmd+=("$bench_user@127.0.0.1")
}

# One transfer; prints its MB/s and the client's CPU seconds ("MBPS,CPU").
# Fails the script when the transfer fails.
transfer() {
  local client=$1 server=$2 cipher=$3 dir=$4 rc=0 line real user sys TIMEFORMAT='%R %U %S'
  sftp_client "$client" "$server" "$cipher"
  line="get $TMP/source /dev/null"
  [ "$dir" = get ] || line="put $TMP/source /dev/null"
  { time (echo "$line" | timeout "$RUN_LIMIT" "${cmd[@]}" >/dev/null 2>"$TMP/run.err") ||
      rc=$?; } 2>"$TMP/time.out"
  [ "$rc" -eq 0 ] || bench_fail "$client -> $server $cipher $dir exited $rc: $(cat "$TMP/run.err")"
  check_null
  read -r real user sys <"$TMP/time.out"
  awk -v b="$BYTES" -v r="$real" -v u="$user" -v s="$sys" \
    'BEGIN { printf "%.1f,%.2f\n", b / r / 1e6, u + s }'
}

# A short transfer each way whose copy is compared, so that a client that
# drops data cannot look fast.
sanity() {
  local client=$1 server=$2
  head -c 3000001 /dev/urandom >"$TMP/sample"
  sftp_client "$client" "$server" default
  printf 'get %s %s\nput %s %s\n' "$TMP/sample" "$TMP/sample.down" "$TMP/sample" "$TMP/sample.up" |
    "${cmd[@]}" >/dev/null 2>"$TMP/run.err" || bench_fail "$client -> $server: $(cat "$TMP/run.err")"
  cmp -s "$TMP/sample" "$TMP/sample.down" || bench_fail "$client -> $server: get copied wrong"
  cmp -s "$TMP/sample" "$TMP/sample.up" || bench_fail "$client -> $server: put copied wrong"
  rm -f "$TMP/sample.down" "$TMP/sample.up"
}

pairs=()
for server in "${servers[@]}"; do
  for client in sftp sshkit-sftp; do
    sanity "$client" "$server"
    pairs+=("$client->$server")
  done
done

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
      for p in "${pairs[@]}"; do
        one=$(transfer "${p%->*}" "${p#*->}" "$cipher" "$dir")
        runs[$p]+="${one%,*} "
        cpus[$p]+="${one#*,} "
      done
    done
    for p in "${pairs[@]}"; do
      # shellcheck disable=SC2086  # one number per word
      results+=("$cipher $dir $p $(printf '%s\n' ${runs[$p]} | bench_stats) $(printf '%s\n' ${cpus[$p]} | median2)")
    done
    unset runs cpus
  done
done

echo
printf '%-30s %-4s %-25s %9s %9s %9s %7s %8s\n' cipher dir client-\>server MB/s min max ratio 'CPU s'
ref=
for r in "${results[@]}"; do
  read -r cipher dir pair med min max cpu <<<"$r"
  [ "$pair" != "sftp->sshd" ] || ref=$med
  ratio=$(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  printf '%-30s %-4s %-25s %9s %9s %9s %7s %8s\n' "$cipher" "$dir" "$pair" "$med" "$min" "$max" \
    "$ratio" "$cpu"
done

echo
echo "ratios (median MB/s against sftp -> sshd, same cipher and direction):"
for r in "${results[@]}"; do
  read -r cipher dir pair med _ _ _ <<<"$r"
  if [ "$pair" = "sftp->sshd" ]; then ref=$med; continue; fi
  awk -v a="$med" -v b="$ref" -v c="$cipher" -v d="$dir" -v p="$pair" \
    'BEGIN { printf "  %-30s %-4s %-25s %.2f\n", c, d, p, a / b }'
done
