#!/usr/bin/env bash
# test_disasm.sh - scripts/disasm: the x86-64 rows always; the AArch64 rows
# where the cross compiler and its C headers are installed (scripts/setup
# installs both), and otherwise one line naming the package that is missing,
# never a compiler's error. Checks the instructions each order must give.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

bash "$repo/scripts/disasm" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "exit $rc: $(head -3 "$tmp/err")"
cat "$tmp/out"
grep -q '^| seqcst | x86-64 | `mov (%rdi),%rax` | `xchg %rsi,(%rdi)` |$' "$tmp/out" ||
  fail "x86-64 seqcst: not a plain load and an xchg"
grep -q '^| acqrel | x86-64 | `mov (%rdi),%rax` | `mov %rsi,(%rdi)` |$' "$tmp/out" ||
  fail "x86-64 acqrel: not a plain load and a plain store"
if command -v aarch64-linux-gnu-gcc >/dev/null &&
  echo '#include <errno.h>' | aarch64-linux-gnu-gcc -x c -fsyntax-only - 2>/dev/null; then
  grep -qE '^\| acqrel \| aarch64 \| `ldar? x0, \[x0\]` \| `stlr x1, \[x0\]` \|$' "$tmp/out" ||
    fail "aarch64 acqrel: not ldar/ldapr and stlr"
  grep -q 'aarch64' "$tmp/err" && fail "aarch64 is installed, yet: $(cat "$tmp/err")"
else
  grep -qE 'disasm: aarch64-linux-gnu-gcc (not found|has no C headers)' "$tmp/err" ||
    fail "no AArch64 column and no line saying why: $(cat "$tmp/err")"
  grep -q 'error' "$tmp/err" && fail "a compiler error reached the user: $(cat "$tmp/err")"
fi
echo "$fails failure(s)"
[ $fails -eq 0 ]
