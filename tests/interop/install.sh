#!/usr/bin/env bash
# make install works: the library, headers, sshkit.pc and the CMake package
# let a program build against sshkit both through pkg-config and CMake.
set -euo pipefail
BIN=$1
SCRATCH=$2
. "$(dirname "$0")/common.bash"
setup_scratch
BUILD=$(cd "$BIN/.." && pwd)
PREFIX=$SCRATCH/prefix
cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
# A library built with sanitizers needs its consumers built with them too.
san=()
if grep -q '^SSHKIT_SANITIZE:BOOL=ON' "$BUILD/CMakeCache.txt"; then
  san=(-fsanitize=address,undefined)
fi
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")

cat >"$SCRATCH/app.c" <<'C'
#include <sshkit.h>
#include <stdio.h>

int main(void)
{
    sshkit_key *key;
    char *fp;
    if (sshkit_key_generate(SSHKIT_KEY_ED25519, 0, &key) != 0)
        return 1;
    if (sshkit_key_fingerprint(key, SSHKIT_FP_SHA256, &fp) != 0)
        return 1;
    printf("sshkit %s %s\n", sshkit_version(), fp);
    sshkit_free(fp, 0);
    sshkit_key_free(key);
    return 0;
}
C

# pkg-config, against the shared library.
libdir=$(dirname "$(find "$PREFIX" -name sshkit.pc | head -n 1)")/..
flags=$(PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --cflags --libs sshkit)
# shellcheck disable=SC2086
"$cc" -Wall -Werror "${san[@]}" "$SCRATCH/app.c" -o "$SCRATCH/app-pc" $flags -Wl,-rpath,"$libdir"
"$SCRATCH/app-pc" | grep -q '^sshkit 0\.[0-9]*\.[0-9]* SHA256:' || fail "pkg-config build did not run"

# CMake's find_package.
mkdir -p "$SCRATCH/cmake-app"
cat >"$SCRATCH/cmake-app/CMakeLists.txt" <<CM
cmake_minimum_required(VERSION 3.20)
project(app C)
find_package(sshkit REQUIRED)
add_executable(app $SCRATCH/app.c)
target_link_libraries(app sshkit::sshkit)
CM
cmake -S "$SCRATCH/cmake-app" -B "$SCRATCH/cmake-app/build" -DCMAKE_PREFIX_PATH="$PREFIX" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="${san[*]}" >/dev/null
cmake --build "$SCRATCH/cmake-app/build" >/dev/null
"$SCRATCH/cmake-app/build/app" | grep -q '^sshkit ' || fail "CMake build did not run"

# Only sshkit_ symbols are exported from the shared library.
others=$(nm -D --defined-only "$libdir"/libsshkit.so | awk '{print $3}' | grep -v '^sshkit_' || true)
[ -z "$others" ] || fail "libsshkit.so exports non-sshkit symbols: $others"
echo "install: pkg-config and CMake consumers build and run"
