#!/usr/bin/env bash
# Server memory per idle authenticated connection, sshkit-sshd against
# OpenSSH's sshd in the same run.
#
#   bench/memory.sh BIN_DIR        (BIN_DIR holds sshkit-sshd)
#
# Environment: BENCH_SESSIONS (default 50) connections held open at once.
#
# For each server: its process tree's memory is read from /proc with no
# connection, then BENCH_SESSIONS `ssh -N` clients (publickey, ed25519, no
# channel) are started and, once every one of them has authenticated (its
# LocalCommand has run), read again. sshd forks per connection (and again for
# privilege separation): every descendant of the listening process counts.
# RSS is the sum of VmRSS (pages shared between forked processes count once
# per process, as `ps` shows them); PSS, from smaps_rollup, divides shared
# pages among their sharers, so its sum is the tree's real footprint.
# KiB per connection = (with - without) / BENCH_SESSIONS; ratio = sshkit-sshd's
# over sshd's. Every process started here is stopped by its PID.
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
SESSIONS=${BENCH_SESSIONS:-50}
READY_LIMIT=60   # seconds for all the clients to authenticate

TMP=$(mktemp -d /tmp/bench-memory.XXXXXX)
chmod 700 "$TMP"
# shellcheck source=bench/lib.bash
. "$(dirname "$0")/lib.bash"
trap 'bench_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

# The PID and every descendant of it, one a line.
tree_pids() {
  local root=$1 f
  for f in /proc/[0-9]*/stat; do
    # pid (comm) state ppid ...: comm may hold spaces, so cut after ") ".
    read -r line 2>/dev/null <"$f" || continue
    printf '%s %s\n' "${line%% *}" "$(cut -d' ' -f2 <<<"${line##*) }")"
  done | awk -v root="$root" '
    { parent[$1] = $2 }
    END {
      want[root] = 1; print root
      do {
        added = 0
        for (p in parent)
          if (!(p in want) && (parent[p] in want)) { want[p] = 1; print p; added = 1 }
      } while (added)
    }'
}

# "RSS PSS PROCESSES" in KiB for the tree under PID.
tree_memory() {
  local pid rss pss total_rss=0 total_pss=0 n=0
  for pid in $(tree_pids "$1"); do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
    pss=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" 2>/dev/null) || pss=0
    [ -n "$rss" ] || continue
    total_rss=$((total_rss + rss))
    total_pss=$((total_pss + ${pss:-0}))
    n=$((n + 1))
  done
  echo "$total_rss $total_pss $n"
}

# Measures one server; sets result to "server rss0 pss0 n0 rss pss n". Runs in
# this shell (not in $(...)) so that the EXIT trap stops its clients on failure.
measure() {
  local name=$1 port=$2 server_pid=$3 i cmd before after clients=() _ ready
  before=$(tree_memory "$server_pid")
  bench_client ssh "$port" default
  rm -f "$TMP"/ready.*
  for i in $(seq "$SESSIONS"); do
    "${cmd[@]:0:${#cmd[@]}-1}" -N -o PermitLocalCommand=yes \
      -o LocalCommand="touch $TMP/ready.$i" "${cmd[-1]}" \
      </dev/null >/dev/null 2>>"$TMP/clients.err" &
    clients+=("$!")
    bench_pids+=("$!")
  done
  ready=0
  for _ in $(seq $((READY_LIMIT * 10))); do
    ready=$(find "$TMP" -maxdepth 1 -name 'ready.*' | wc -l)
    [ "$ready" -lt "$SESSIONS" ] || break
    sleep 0.1
  done
  [ "$ready" -eq "$SESSIONS" ] ||
    bench_fail "$name: $ready of $SESSIONS clients authenticated: $(tail -3 "$TMP/clients.err")"
  sleep 1   # let the server finish what follows authentication
  after=$(tree_memory "$server_pid")
  for i in "${clients[@]}"; do
    bench_stop_pid "$i"
  done
  result="$name $before $after"
}

echo "== memory: $SESSIONS idle authenticated connections (ssh -N), server process tree from /proc"
bench_machine
bench_make_keys
bench_start_sshd
sshd_pid=${bench_pids[-1]}
bench_start_sshkit_sshd || bench_fail "$sk_sshd_why"
sk_sshd_pid=${bench_pids[-1]}

measure sshd "$sshd_port" "$sshd_pid"
ref=$result
measure sshkit-sshd "$sk_sshd_port" "$sk_sshd_pid"
sk=$result

echo
printf '%-12s %9s %9s %11s %11s %14s %14s\n' server procs0 procs RSS0-KiB RSS-KiB RSS-KiB/conn PSS-KiB/conn
for r in "$ref" "$sk"; do
  read -r name rss0 pss0 n0 rss pss n <<<"$r"
  printf '%-12s %9s %9s %11s %11s %14.1f %14.1f\n' "$name" "$n0" "$n" "$rss0" "$rss" \
    "$(awk -v a="$rss" -v b="$rss0" -v s="$SESSIONS" 'BEGIN { print (a - b) / s }')" \
    "$(awk -v a="$pss" -v b="$pss0" -v s="$SESSIONS" 'BEGIN { print (a - b) / s }')"
done
read -r _ rss0 pss0 _ rss pss _ <<<"$ref"
read -r _ krss0 kpss0 _ krss kpss _ <<<"$sk"
echo
echo "ratios (sshkit-sshd KiB per connection over sshd's; the target is 0.10 or less):"
awk -v a=$((krss - krss0)) -v b=$((rss - rss0)) 'BEGIN { printf "  RSS  %.3f\n", a / b }'
awk -v a=$((kpss - kpss0)) -v b=$((pss - pss0)) 'BEGIN { printf "  PSS  %.3f\n", a / b }'
