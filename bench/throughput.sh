#!/usr/bin/env bash
# Bulk throughput through one channel, sshkit against OpenSSH in the same run.
#
#   bench/throughput.sh BIN_DIR        (BIN_DIR holds sshkit-bench-client, sshkit-sshd)
#
# Environment: BENCH_MIB (default 1024) bytes per transfer, in MiB;
# BENCH_REPS (default 3) runs of each measurement (the median is quoted);
# BENCH_CIPHERS (default "chacha20-poly1305@openssh.com aes256-gcm@openssh.com").
#
# For each cipher and direction:
#   down: the server runs `head -c SIZE /dev/zero`, the client writes it to /dev/null
#   up:   the client reads `head -c SIZE /dev/zero` and the server runs `cat >/dev/null`
# with these client -> server pairs:
#   ssh    -> sshd          OpenSSH on both ends (the reference)
#   sshkit -> sshd          sshkit's client (bench/sink_client.c)
#   ssh    -> sshkit-sshd   sshkit's server       } only once sshkit-sshd
#   sshkit -> sshkit-sshd   sshkit on both ends   } runs commands
# Every pair runs in turn, REPS times, against servers started here on
# loopback with keys made here; ratios are against ssh -> sshd.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
MIB=${BENCH_MIB:-1024}
REPS=${BENCH_REPS:-3}
CIPHERS=${BENCH_CIPHERS:-chacha20-poly1305@openssh.com aes256-gcm@openssh.com}
BYTES=$((MIB * 1048576))
RUN_LIMIT=300   # seconds, for any one transfer

TMP=$(mktemp -d /tmp/bench-throughput.XXXXXX)
chmod 700 "$TMP"
# shellcheck source=bench/lib.bash
. "$(dirname "$0")/lib.bash"
trap 'bench_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

[ -x "$BIN/sshkit-bench-client" ] || bench_fail "$BIN/sshkit-bench-client not built (make bench)"
# Both ends write to /dev/null: a regular file there would be timed instead.
[ -c /dev/null ] || bench_fail "/dev/null is not a character device: $(ls -l /dev/null)"

echo "== throughput: $MIB MiB through one channel, median of $REPS; MB/s = 10^6 bytes/s"
bench_machine
bench_make_keys
bench_start_sshd
pairs=("ssh sshd" "sshkit sshd")
if bench_start_sshkit_sshd; then
  if bench_sshkit_sshd_serves_exec; then
    pairs+=("ssh sshkit-sshd" "sshkit sshkit-sshd")
  else
    echo "SKIPPED: sshkit-sshd does not serve exec yet (ssh -p $sk_sshd_port 127.0.0.1 true:" \
         "$sk_sshd_why); pairs against sshkit-sshd not measured"
  fi
else
  echo "SKIPPED: $sk_sshd_why; pairs against sshkit-sshd not measured"
fi

port_of() {
  if [ "$1" = sshd ]; then echo "$sshd_port"; else echo "$sk_sshd_port"; fi
}

# One transfer; prints its MB/s. Fails the script when the transfer fails.
transfer() {
  local client=$1 server=$2 cipher=$3 dir=$4 t0 t1 rc=0 cmd
  bench_client "$client" "$(port_of "$server")" "$cipher"
  t0=$(bench_now_ns)
  if [ "$dir" = down ]; then
    timeout "$RUN_LIMIT" "${cmd[@]}" "head -c $BYTES /dev/zero" </dev/null >/dev/null \
      2>"$TMP/run.err" || rc=$?
  else
    head -c "$BYTES" /dev/zero | timeout "$RUN_LIMIT" "${cmd[@]}" 'cat >/dev/null' \
      >/dev/null 2>"$TMP/run.err" || rc=$?
  fi
  t1=$(bench_now_ns)
  [ "$rc" -eq 0 ] || bench_fail "$client -> $server $cipher $dir exited $rc: $(cat "$TMP/run.err")"
  awk -v b="$BYTES" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", b / (ns / 1e9) / 1e6 }'
}

# A short transfer each way whose bytes are counted, so that a client that
# drops data cannot look fast.
sanity() {
  local client=$1 server=$2 cmd got
  bench_client "$client" "$(port_of "$server")" default
  got=$("${cmd[@]}" 'head -c 1000000 /dev/zero' </dev/null | wc -c)
  [ "$got" -eq 1000000 ] || bench_fail "$client -> $server: $got bytes of 1000000 came down"
  got=$(head -c 1000000 /dev/zero | "${cmd[@]}" 'wc -c')
  [ "$got" -eq 1000000 ] || bench_fail "$client -> $server: $got bytes of 1000000 went up"
}
for p in "${pairs[@]}"; do
  # shellcheck disable=SC2086
  sanity $p
done

results=()
for cipher in $CIPHERS; do
  for dir in down up; do
    declare -A runs=()
    for _ in $(seq "$REPS"); do
      for p in "${pairs[@]}"; do
        # shellcheck disable=SC2086
        runs[$p]+="$(transfer $p "$cipher" "$dir") "
      done
    done
    for p in "${pairs[@]}"; do
      # shellcheck disable=SC2086  # one number per word
      results+=("$cipher $dir ${p/ /->} $(printf '%s\n' ${runs[$p]} | bench_stats)")
    done
    unset runs
  done
done

echo
printf '%-30s %-5s %-20s %9s %9s %9s %7s\n' cipher dir client-\>server MB/s min max ratio
ref=
for r in "${results[@]}"; do
  read -r cipher dir pair med min max <<<"$r"
  [ "$pair" != "ssh->sshd" ] || ref=$med
  ratio=$(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
  printf '%-30s %-5s %-20s %9s %9s %9s %7s\n' "$cipher" "$dir" "$pair" "$med" "$min" "$max" "$ratio"
done

echo
echo "ceiling: openssl speed -evp ALG -bytes 16384 -seconds 2 (one direction, one core):"
if command -v openssl >/dev/null; then
  for alg in aes-256-gcm chacha20-poly1305; do
    kps=$(openssl speed -evp "$alg" -bytes 16384 -seconds 2 2>/dev/null | tail -1 | awk '{ print $NF }')
    awk -v k="${kps%k}" -v a="$alg" 'BEGIN { printf "  %-20s %9.1f MB/s\n", a, k / 1000 }'
  done
else
  echo "  SKIPPED: no openssl command (apt-get install openssl)"
fi

echo
echo "ratios (median MB/s against ssh -> sshd with the same cipher and direction):"
for r in "${results[@]}"; do
  read -r cipher dir pair med _ _ <<<"$r"
  if [ "$pair" = "ssh->sshd" ]; then ref=$med; continue; fi
  awk -v a="$med" -v b="$ref" -v c="$cipher" -v d="$dir" -v p="$pair" \
    'BEGIN { printf "  %-30s %-5s %-20s %.2f\n", c, d, p, a / b }'
done
