#!/usr/bin/env bash
# Throughput with compression (-C: zlib@openssh.com), sshkit against
# OpenSSH in the same run.
#
#   bench/compression.sh BIN_DIR       (BIN_DIR holds sshkit-bench-client, sshkit-sshd)
#
# Environment: BENCH_MIB (default 1024) bytes per transfer, in MiB;
# BENCH_REPS (default 3) runs of each measurement (the median is quoted);
# BENCH_DATA (default "text noise"); BENCH_DIRS (default "down up");
# BENCH_ALL_PAIRS=1 adds sshkit -> sshd and ssh -> sshkit-sshd.
#
# Data: text is `yes` (y and a newline, again and again: zlib's best case),
# noise is 64 MiB from /dev/urandom sent again and again (the repeats are
# 64 MiB apart, far beyond deflate's 32 KiB window: its worst case).
#   down: the server writes the data, the client writes it to /dev/null
#   up:   the client reads the data and the server runs `cat >/dev/null`
# Pairs: ssh -> sshd (the reference) and sshkit -> sshkit-sshd; cipher
# aes256-gcm@openssh.com, so that the cipher costs little beside zlib.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
MIB=${BENCH_MIB:-1024}
REPS=${BENCH_REPS:-3}
DATA=${BENCH_DATA:-text noise}
DIRS=${BENCH_DIRS:-down up}
CIPHER=aes256-gcm@openssh.com
BYTES=$((MIB * 1048576))
RUN_LIMIT=600   # seconds, for any one transfer

TMP=$(mktemp -d /tmp/bench-compression.XXXXXX)
chmod 700 "$TMP"
# shellcheck source=bench/lib.bash
. "$(dirname "$0")/lib.bash"
trap 'bench_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

[ -x "$BIN/sshkit-bench-client" ] || bench_fail "$BIN/sshkit-bench-client not built (make bench)"
[ -c /dev/null ] || bench_fail "/dev/null is not a character device: $(ls -l /dev/null)"
[ $((MIB % 64)) -eq 0 ] || bench_fail "BENCH_MIB must be a multiple of 64"

echo "== compression: $MIB MiB through one channel with -C ($CIPHER), median of $REPS; MB/s = 10^6 bytes/s"
bench_machine
head -c $((64 << 20)) /dev/urandom >"$TMP/noise"
bench_make_keys
bench_start_sshd
pairs=("ssh sshd")
[ "${BENCH_ALL_PAIRS:-0}" = 1 ] && pairs+=("sshkit sshd")
bench_start_sshkit_sshd || bench_fail "$sk_sshd_why"
bench_sshkit_sshd_serves_exec || bench_fail "sshkit-sshd does not run commands: $sk_sshd_why"
[ "${BENCH_ALL_PAIRS:-0}" = 1 ] && pairs+=("ssh sshkit-sshd")
pairs+=("sshkit sshkit-sshd")

port_of() {
  if [ "$1" = sshd ]; then echo "$sshd_port"; else echo "$sk_sshd_port"; fi
}

# The command that writes the data (run locally or by the server's shell).
source_of() {
  if [ "$1" = text ]; then
    echo "yes | head -c $BYTES"
  else
    echo "for i in \$(seq $((MIB / 64))); do cat $TMP/noise; done"
  fi
}

# Sets cmd for a pair with -C (ssh's -C wins over the -o Compression=no
# bench_client puts first).
client_with_c() {
  bench_client "$1" "$(port_of "$2")" "$CIPHER"
  cmd=("${cmd[@]:0:${#cmd[@]}-1}" -C 127.0.0.1)
}

# One transfer; prints its MB/s. Fails the script when the transfer fails.
transfer() {
  local client=$1 server=$2 what=$3 dir=$4 t0 t1 rc=0 cmd
  client_with_c "$client" "$server"
  t0=$(bench_now_ns)
  if [ "$dir" = down ]; then
    timeout "$RUN_LIMIT" "${cmd[@]}" "$(source_of "$what")" </dev/null >/dev/null \
      2>"$TMP/run.err" || rc=$?
  else
    bash -c "$(source_of "$what")" | timeout "$RUN_LIMIT" "${cmd[@]}" 'cat >/dev/null' \
      >/dev/null 2>"$TMP/run.err" || rc=$?
  fi
  t1=$(bench_now_ns)
  [ "$rc" -eq 0 ] || bench_fail "$client -> $server $what $dir exited $rc: $(cat "$TMP/run.err")"
  awk -v b="$BYTES" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", b / (ns / 1e9) / 1e6 }'
}

# 64 MiB of noise each way, counted and checked, so that a client that
# drops or changes data cannot look fast; ssh's log shows the method.
sanity() {
  local client=$1 server=$2 cmd got want
  want=$(sha256sum <"$TMP/noise" | cut -d' ' -f1)
  client_with_c "$client" "$server"
  got=$("${cmd[@]}" "cat $TMP/noise" </dev/null | sha256sum | cut -d' ' -f1)
  [ "$got" = "$want" ] || bench_fail "$client -> $server: the noise came down changed"
  got=$("${cmd[@]}" 'sha256sum' <"$TMP/noise" | cut -d' ' -f1)
  [ "$got" = "$want" ] || bench_fail "$client -> $server: the noise went up changed"
  if [ "$client" = ssh ]; then
    "${cmd[@]:0:${#cmd[@]}-1}" -v 127.0.0.1 true </dev/null 2>"$TMP/sanity.err" ||
      bench_fail "ssh -v -C -> $server: $(tail -3 "$TMP/sanity.err")"
    grep -q "compression: zlib@openssh.com" "$TMP/sanity.err" ||
      bench_fail "ssh -C -> $server did not negotiate zlib@openssh.com"
  fi
}
for p in "${pairs[@]}"; do
  # shellcheck disable=SC2086
  sanity $p
done

results=()
for what in $DATA; do
  for dir in $DIRS; do
    declare -A runs=()
    for _ in $(seq "$REPS"); do
      for p in "${pairs[@]}"; do
        # shellcheck disable=SC2086
        runs[$p]+="$(transfer $p "$what" "$dir") "
      done
    done
    for p in "${pairs[@]}"; do
      # shellcheck disable=SC2086  # one number per word
      results+=("$what $dir ${p/ /->} $(printf '%s\n' ${runs[$p]} | bench_stats)")
    done
    unset runs
  done
done

echo
printf '%-6s %-5s %-22s %9s %9s %9s %7s\n' data dir client-\>server MB/s min max ratio
ref=
for r in "${results[@]}"; do
  read -r what dir pair med min max <<<"$r"
  [ "$pair" != "ssh->sshd" ] || ref=$med
  ratio=$(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  printf '%-6s %-5s %-22s %9s %9s %9s %7s\n' "$what" "$dir" "$pair" "$med" "$min" "$max" "$ratio"
done
