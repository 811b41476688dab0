#!/usr/bin/env bash
# SFTP throughput: OpenSSH's sftp getting and putting one file from and to
# sshkit-sshd and OpenSSH's sshd, both serving `Subsystem sftp internal-sftp`,
# in the same run.
#
#   bench/sftp.sh BIN_DIR        (BIN_DIR holds sshkit-sshd)
#
# Environment: BENCH_MIB (default 1024) the file's size in MiB; BENCH_REPS
# (default 3) runs of each measurement (the median is quoted); BENCH_CIPHER
# (default: ssh's own choice, chacha20-poly1305@openssh.com) for -c.
#
#   get: `sftp -b` with `get FILE /dev/null`
#   put: `sftp -b` with `put FILE COPY`, COPY a new file in the same
#        directory (local disk, page cache); its checksum is checked once
# Wall time from `date +%s%N` around the whole sftp command (connection set
# up included). sftp's defaults: 64 requests in flight, 255 KiB each (it
# asks the server's limits@openssh.com).
#
# Then the servers' CPU time per GiB, which the load of a shared machine
# moves much less than wall time: each server is started afresh under
# /usr/bin/time for REPS gets (then REPS puts) and stopped by its pid file;
# user + system time of the server and of every process it started (sshd
# forks per connection), divided by the GiB moved.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
MIB=${BENCH_MIB:-1024}
REPS=${BENCH_REPS:-3}
CIPHER=${BENCH_CIPHER:-}
BYTES=$((MIB * 1048576))
RUN_LIMIT=300

TMP=$(mktemp -d /tmp/bench-sftp.XXXXXX)
chmod 700 "$TMP"
# shellcheck source=bench/lib.bash
. "$(dirname "$0")/lib.bash"
# A server measured under /usr/bin/time is stopped by its pid file (the
# file is removed as soon as that server has exited).
cpu_stop() {
  if [ -s "$TMP/cpu.pid" ]; then kill "$(cat "$TMP/cpu.pid")" 2>/dev/null || true; fi
}
trap 'cpu_stop; bench_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

[ -c /dev/null ] || bench_fail "/dev/null is not a character device: $(ls -l /dev/null)"
echo "== sftp: $MIB MiB get and put with OpenSSH's sftp (cipher: ${CIPHER:-default}), median of $REPS; MB/s = 10^6 bytes/s"
bench_machine
bench_make_keys
bench_extra_config="Subsystem sftp internal-sftp"
bench_start_sshd
bench_start_sshkit_sshd || bench_fail "$sk_sshd_why"
head -c "$BYTES" /dev/urandom >"$TMP/file"

port_of() {
  if [ "$1" = sshd ]; then echo "$sshd_port"; else echo "$sk_sshd_port"; fi
}

# One transfer; prints its MB/s.
transfer() {
  local server=$1 dir=$2 t0 t1 rc=0
  if [ "$dir" = get ]; then
    echo "get $TMP/file /dev/null" >"$TMP/batch"
  else
    rm -f "$TMP/copy"
    echo "put $TMP/file $TMP/copy" >"$TMP/batch"
  fi
  local cipher=()
  [ -z "$CIPHER" ] || cipher=(-c "$CIPHER")
  t0=$(bench_now_ns)
  timeout "$RUN_LIMIT" sftp "${cipher[@]}" -F /dev/null -P "$(port_of "$server")" -i "$TMP/id_ed25519" \
    -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$TMP/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o LogLevel=ERROR -b "$TMP/batch" "$bench_user@127.0.0.1" >/dev/null 2>"$TMP/run.err" || rc=$?
  t1=$(bench_now_ns)
  [ "$rc" -eq 0 ] || bench_fail "sftp $dir from $server exited $rc: $(cat "$TMP/run.err")"
  awk -v b="$BYTES" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", b / (ns / 1e9) / 1e6 }'
}

for server in sshd sshkit-sshd; do
  transfer "$server" put >/dev/null
  cmp -s "$TMP/file" "$TMP/copy" || bench_fail "put to $server: the copy differs"
done

results=()
for dir in get put; do
  declare -A runs=()
  for _ in $(seq "$REPS"); do
    for server in sshd sshkit-sshd; do
      runs[$server]+="$(transfer "$server" "$dir") "
    done
  done
  for server in sshd sshkit-sshd; do
    # shellcheck disable=SC2086  # one number per word
    results+=("$dir $server $(printf '%s\n' ${runs[$server]} | bench_stats)")
  done
  unset runs
done

# ---- server CPU per GiB ----
# Runs REPS transfers in direction $2 against a fresh $1 under /usr/bin/time;
# prints its CPU seconds per GiB.
cpu_per_gib() {
  local server=$1 dir=$2 tpid pidfile=$TMP/cpu.pid
  rm -f "$pidfile"
  if [ "$server" = sshd ]; then
    /usr/bin/time -f '%U %S' -o "$TMP/cpu.time" /usr/sbin/sshd -D -f "$TMP/sshd_config" \
      -o PidFile="$pidfile" 2>/dev/null &
  else
    /usr/bin/time -f '%U %S' -o "$TMP/cpu.time" "$BIN/sshkit-sshd" -D -e \
      -f "$TMP/sshkit_sshd_config" -o PidFile="$pidfile" 2>/dev/null &
  fi
  tpid=$!
  for _ in $(seq 50); do [ -s "$pidfile" ] && break; sleep 0.1; done
  [ -s "$pidfile" ] || bench_fail "$server did not start under /usr/bin/time"
  for _ in $(seq "$REPS"); do transfer "$server" "$dir" >/dev/null; done
  kill "$(cat "$pidfile")"
  wait "$tpid" 2>/dev/null || true
  rm -f "$pidfile"
  awk -v n="$REPS" -v mib="$MIB" '{ printf "%.2f\n", ($1 + $2) / (n * mib / 1024) }' "$TMP/cpu.time"
}

cpu_results=()
if [ -x /usr/bin/time ]; then
  bench_cleanup           # the servers above; the same configurations, started again below
  for dir in get put; do
    for server in sshd sshkit-sshd; do
      cpu_results+=("$dir $server $(cpu_per_gib "$server" "$dir")")
    done
  done
fi
[ -c /dev/null ] || bench_fail "/dev/null is no longer a character device"

echo
printf '%-5s %-12s %9s %9s %9s %7s\n' dir server MB/s min max ratio
ref=
for r in "${results[@]}"; do
  read -r dir server med min max <<<"$r"
  [ "$server" != sshd ] || ref=$med
  ratio=$(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  printf '%-5s %-12s %9s %9s %9s %7s\n' "$dir" "$server" "$med" "$min" "$max" "$ratio"
done

echo
if [ ${#cpu_results[@]} -eq 0 ]; then
  echo "server CPU: SKIPPED (no /usr/bin/time; apt-get install time)"
else
  echo "server CPU seconds (user + system) per GiB, $REPS transfers each:"
  printf '%-5s %-12s %9s %7s\n' dir server CPU-s/GiB ratio
  for r in "${cpu_results[@]}"; do
    read -r dir server cpu <<<"$r"
    [ "$server" != sshd ] || ref=$cpu
    printf '%-5s %-12s %9s %7s\n' "$dir" "$server" "$cpu" \
      "$(awk -v a="$cpu" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')"
  done
fi
