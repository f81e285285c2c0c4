#!/usr/bin/env bash
# test_clang.sh SOURCE_DIR BUILD_DIR - the project builds with clang too, with
# warnings as errors: the library, every variant and the harness (the tests,
# which build with gcc and, for the fuzzer, clang already, are left out).
# Skipped (77) where clang is not installed.
set -u
src=$1
out=$2/clang-build
command -v clang >/dev/null && command -v clang++ >/dev/null ||
  { echo "SKIP: clang not installed"; exit 77; }
rm -rf "$out"
CC=clang CXX=clang++ cmake -S "$src" -B "$out" -DCMAKE_BUILD_TYPE=Release \
  -DBIPBUF_BUILD_TESTS=OFF -DBIPBUF_WERROR=ON >"$out.log" 2>&1 ||
  { echo "FAIL: configure with clang"; tail -20 "$out.log"; exit 1; }
if ! cmake --build "$out" -j"$(nproc)" >>"$out.log" 2>&1; then
  echo "FAIL: the build with clang -Werror"
  grep -E 'error|warning' "$out.log" | head -20
  exit 1
fi
echo "ok: built with $(clang --version | head -1)"
rm -rf "$out" "$out.log"
