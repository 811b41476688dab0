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
#
# Besides wall time (MB/s), each transfer's CPU time is counted on both
# sides: the client's (/usr/bin/time) and the server's, read from
# /proc/PID/stat of the listening process once its children are gone
# (utime + stime + cutime + cstime: sshd's per-connection process, or
# sshkit-sshd itself, with the command each ran). On a shared, loaded
# machine the CPU seconds vary much less than the wall time.
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
[ -x /usr/bin/time ] || bench_fail "/usr/bin/time is missing (apt-get install time)"
[ $((MIB % 64)) -eq 0 ] || bench_fail "BENCH_MIB must be a multiple of 64"

echo "== compression: $MIB MiB through one channel with -C ($CIPHER), median of $REPS; MB/s = 10^6 bytes/s"
bench_machine
head -c $((64 << 20)) /dev/urandom >"$TMP/noise"
bench_make_keys
bench_start_sshd
sshd_pid=${bench_pids[-1]}
pairs=("ssh sshd")
[ "${BENCH_ALL_PAIRS:-0}" = 1 ] && pairs+=("sshkit sshd")
bench_start_sshkit_sshd || bench_fail "$sk_sshd_why"
sk_sshd_pid=${bench_pids[-1]}
bench_sshkit_sshd_serves_exec || bench_fail "sshkit-sshd does not run commands: $sk_sshd_why"
[ "${BENCH_ALL_PAIRS:-0}" = 1 ] && pairs+=("ssh sshkit-sshd")
pairs+=("sshkit sshkit-sshd")

port_of() {
  if [ "$1" = sshd ]; then echo "$sshd_port"; else echo "$sk_sshd_port"; fi
}

# CPU seconds a server has used, its reaped children's included, once the
# last connection's processes are gone (waits at most 10 s).
server_cpu() {
  local pid=$sshd_pid _
  [ "$1" = sshd ] || pid=$sk_sshd_pid
  for _ in $(seq 100); do
    [ -z "$(pgrep -P "$pid")" ] && break
    sleep 0.1
  done
  awk '{ printf "%.2f\n", ($14 + $15 + $16 + $17) / 100 }' "/proc/$pid/stat"
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
# bench_client puts first), and SHLVL=1 so that the user's bash skips its
# rc file for the commands, as in handshake.sh.
client_with_c() {
  local env_opt=(-e SHLVL=1)
  [ "$1" = ssh ] && env_opt=(-o SetEnv=SHLVL=1)
  bench_client "$1" "$(port_of "$2")" "$CIPHER"
  cmd=("${cmd[@]:0:${#cmd[@]}-1}" "${env_opt[@]}" -C 127.0.0.1)
}

# One transfer; prints its MB/s and the CPU seconds of both sides.
# Fails the script when the transfer fails.
transfer() {
  local client=$1 server=$2 what=$3 dir=$4 t0 t1 rc=0 cmd s0 s1 cu cs
  local timed=(/usr/bin/time -f "%U %S" -o "$TMP/time")
  client_with_c "$client" "$server"
  s0=$(server_cpu "$server")
  t0=$(bench_now_ns)
  if [ "$dir" = down ]; then
    timeout "$RUN_LIMIT" "${timed[@]}" "${cmd[@]}" "$(source_of "$what")" </dev/null >/dev/null \
      2>"$TMP/run.err" || rc=$?
  else
    bash -c "$(source_of "$what")" | timeout "$RUN_LIMIT" "${timed[@]}" "${cmd[@]}" 'cat >/dev/null' \
      >/dev/null 2>"$TMP/run.err" || rc=$?
  fi
  t1=$(bench_now_ns)
  [ "$rc" -eq 0 ] || bench_fail "$client -> $server $what $dir exited $rc: $(cat "$TMP/run.err")"
  s1=$(server_cpu "$server")
  read -r cu cs <"$TMP/time"
  awk -v b="$BYTES" -v ns=$((t1 - t0)) -v cpu="$cu + $cs + $s1 - $s0" \
    'BEGIN { split(cpu, x, " "); printf "%.1f %.2f\n", b / (ns / 1e9) / 1e6, x[1] + x[3] + x[5] - x[7] }'
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
    declare -A runs=() cpus=()
    for _ in $(seq "$REPS"); do
      for p in "${pairs[@]}"; do
        # shellcheck disable=SC2086
        read -r mbps cpu < <(transfer $p "$what" "$dir")
        runs[$p]+="$mbps "
        cpus[$p]+="$cpu "
      done
    done
    for p in "${pairs[@]}"; do
      # shellcheck disable=SC2086  # one number per word
      results+=("$what $dir ${p/ /->} $(printf '%s\n' ${runs[$p]} | bench_stats) $(printf '%s\n' ${cpus[$p]} | bench_stats | cut -d' ' -f1)")
    done
    unset runs cpus
  done
done

echo
printf '%-6s %-5s %-22s %8s %8s %8s %6s %8s %9s\n' data dir client-\>server MB/s min max ratio "CPU s" "CPU ratio"
ref=
refcpu=
for r in "${results[@]}"; do
  read -r what dir pair med min max cpu <<<"$r"
  [ "$pair" != "ssh->sshd" ] || { ref=$med; refcpu=$cpu; }
  read -r ratio cratio < <(awk -v a="$med" -v b="$ref" -v c="$cpu" -v d="$refcpu" \
    'BEGIN { printf "%.2f %.2f\n", a / b, c / d }')
  printf '%-6s %-5s %-22s %8s %8s %8s %6s %8s %9s\n' "$what" "$dir" "$pair" "$med" "$min" "$max" "$ratio" \
    "$cpu" "$cratio"
done
echo
echo "MB/s: median wall-time rate; ratio: against ssh -> sshd (higher is faster)."
echo "CPU s: median CPU seconds of client and server together, their commands included;"
echo "CPU ratio: against ssh -> sshd (lower is cheaper)."
