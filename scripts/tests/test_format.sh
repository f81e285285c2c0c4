#!/usr/bin/env bash
# test_format.sh SOURCE_DIR - every C and C++ source of the project is as
# .clang-format says (clang-format --dry-run --Werror). Skipped (77) where
# clang-format is not installed. The files: git's list where SOURCE_DIR is a
# checkout, else every source under core, harness and variants.
set -u
cd "$1" || exit 1
command -v clang-format >/dev/null || { echo "SKIP: clang-format not installed"; exit 77; }
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.c' '*.h' '*.cc' '*.cpp')
else
  mapfile -t files < <(find core harness variants -name '*.[ch]' -o -name '*.cc' -o -name '*.cpp')
fi
[ ${#files[@]} -gt 50 ] || { echo "FAIL: only ${#files[@]} sources found"; exit 1; }
bad=$(clang-format --dry-run --Werror "${files[@]}" 2>&1 | grep -c 'error:')
if [ "$bad" -ne 0 ]; then
  clang-format --dry-run --Werror "${files[@]}" 2>&1 | grep 'error:' | cut -d: -f1 | sort -u |
    sed 's/^/FAIL: not formatted: /'
  echo "fix: clang-format -i on the files above"
  exit 1
fi
echo "ok: ${#files[@]} sources formatted"
