# Helpers shared by the interop scripts. Source it after setting BIN and SCRATCH.
# shellcheck shell=bash

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs a command and fails unless it exits with the expected status.
expect_status() {
  local want=$1
  shift
  local got=0
  "$@" >"$SCRATCH/last.out" 2>"$SCRATCH/last.err" </dev/null || got=$?
  if [ "$got" -ne "$want" ]; then
    cat "$SCRATCH/last.out" "$SCRATCH/last.err" >&2
    fail "'$*' exited $got, expected $want"
  fi
}

# Fails unless two files are byte-identical, showing the difference.
same_file() {
  diff -u "$1" "$2" >&2 || fail "$3"
}

setup_scratch() {
  rm -rf "$SCRATCH"
  mkdir -p "$SCRATCH"
  chmod 700 "$SCRATCH"
}
