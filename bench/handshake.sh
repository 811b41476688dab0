#!/usr/bin/env bash
# Connections per second: connect, curve25519-sha256 key exchange, ssh-ed25519
# host key, publickey authentication (ed25519), exec `true`, disconnect;
# sshkit against OpenSSH in the same run.
#
#   bench/handshake.sh BIN_DIR        (BIN_DIR holds sshkit-bench-client, sshkit-sshd)
#
# Environment: BENCH_CONNS (default 200) connections per measurement, made
# BENCH_PARALLEL (default 4) at a time with xargs -P; BENCH_REPS (default 2)
# measurements of each pair, in turn (the median is quoted).
#
# Pairs (client -> server), ratios against ssh -> sshd:
#   ssh    -> sshd          ssh -o BatchMode=yes -o KexAlgorithms=curve25519-sha256 host true
#   sshkit -> sshd          sshkit-bench-client -k curve25519-sha256 -n host true
#   ssh    -> sshkit-sshd   } only once sshkit-sshd runs commands
#   sshkit -> sshkit-sshd   }
set -euo pipefail

BIN=$(cd "${1:?usage: $0 BIN_DIR}" && pwd)
CONNS=${BENCH_CONNS:-200}
PAR=${BENCH_PARALLEL:-4}
REPS=${BENCH_REPS:-2}
KEX=curve25519-sha256
RUN_LIMIT=300   # seconds, for one measurement of CONNS connections
# skip: the clients pass SHLVL=1 (both servers accept it), so the user's bash
# does not read ~/.bashrc for the command, as it otherwise does under SSH
# (SSH_CLIENT set, SHLVL unset). Both servers run the same shell either way;
# the rc file only adds the same cost to both (on the machine of
# bench/README.md root's pyenv set-up took 86 ms per command, most of a
# connection's CPU). keep: leave the shell alone.
SHELL_RC=${BENCH_SHELL_RC:-skip}

TMP=$(mktemp -d /tmp/bench-handshake.XXXXXX)
chmod 700 "$TMP"
# shellcheck source=bench/lib.bash
. "$(dirname "$0")/lib.bash"
trap 'bench_cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

[ -x "$BIN/sshkit-bench-client" ] || bench_fail "$BIN/sshkit-bench-client not built (make bench)"

echo "== handshake: $CONNS connections, $PAR at a time (kex $KEX, ed25519 host and user keys, exec true), median of $REPS"
echo "   the user's shell rc files: $SHELL_RC (BENCH_SHELL_RC=skip|keep)"
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

# One script per pair that makes one connection: xargs runs it.
for p in "${pairs[@]}"; do
  read -r client server <<<"$p"
  if [ "$server" = sshd ]; then port=$sshd_port; else port=$sk_sshd_port; fi
  bench_client "$client" "$port" default "$KEX"
  if [ "$SHELL_RC" = skip ]; then
    if [ "$client" = ssh ]; then env_opt=(-o SetEnv=SHLVL=1); else env_opt=(-e SHLVL=1); fi
  else
    env_opt=()
  fi
  cmd=("${cmd[@]:0:${#cmd[@]}-1}" "${env_opt[@]}" -n "${cmd[-1]}")   # before the host
  script="$TMP/one.$client.$server"
  {
    echo '#!/usr/bin/env bash'
    printf 'exec'
    printf ' %q' "${cmd[@]}" true
    printf ' </dev/null >/dev/null 2>>%q\n' "$TMP/conn.err"
  } >"$script"
  chmod 700 "$script"
  "$script" || bench_fail "$client -> $server: one connection failed: $(cat "$TMP/conn.err")"
done

# One measurement; prints connections per second.
measure() {
  local script="$TMP/one.$1.$2" t0 t1 rc=0
  t0=$(bench_now_ns)
  seq "$CONNS" | timeout "$RUN_LIMIT" xargs -P "$PAR" -n 1 "$script" || rc=$?
  t1=$(bench_now_ns)
  [ "$rc" -eq 0 ] || bench_fail "$1 -> $2: xargs exited $rc: $(tail -5 "$TMP/conn.err")"
  awk -v n="$CONNS" -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", n / (ns / 1e9) }'
}

declare -A runs=()
for _ in $(seq "$REPS"); do
  for p in "${pairs[@]}"; do
    # shellcheck disable=SC2086
    runs[$p]+="$(measure $p) "
  done
done

echo
printf '%-20s %9s %9s %9s %7s\n' client-\>server conn/s min max ratio
ref=
ratios=()
for p in "${pairs[@]}"; do
  # shellcheck disable=SC2086
  read -r med min max <<<"$(printf '%s\n' ${runs[$p]} | bench_stats)"
  [ -n "$ref" ] || ref=$med
  printf '%-20s %9s %9s %9s %7s\n' "${p/ /->}" "$med" "$min" "$max" \
    "$(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')"
  [ "$p" = "ssh sshd" ] || ratios+=("${p/ /->} $(awk -v a="$med" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')")
done

echo
echo "ratios (median conn/s against ssh -> sshd):"
for r in "${ratios[@]}"; do
  printf '  %s\n' "$r"
done
