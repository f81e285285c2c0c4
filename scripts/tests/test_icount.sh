#!/usr/bin/env bash
# test_icount.sh - scripts/icount builds its probe for a variant with flags
# and for a batched variant, counts both workloads and prints one row each;
# a bad variant name exits 2. No timing. Skipped (77) without valgrind.
set -u
cd "$(dirname "$0")/../.."
command -v valgrind >/dev/null || { echo "skip: no valgrind"; exit 77; }
out=$(scripts/icount --messages 2000 crate cached-pad128-acqrel-batch1024:-DBIPBUF_CLDEMOTE=1 2>&1) ||
  { echo "FAIL: icount: $out"; exit 1; }
echo "$out"
python3 - "$out" <<'PY' || { echo "FAIL: icount's rows"; exit 1; }
import sys
rows = [l.split() for l in sys.argv[1].splitlines()[1:]]
assert len(rows) == 4, rows
want = [("crate", "seed"), ("crate", "fixed"),
        ("cached-pad128-acqrel-batch1024:-DBIPBUF_CLDEMOTE=1", "seed"),
        ("cached-pad128-acqrel-batch1024:-DBIPBUF_CLDEMOTE=1", "fixed")]
for r, (c, w) in zip(rows, want):
    assert r[0] == c and r[1] == w, r
    assert 10 < float(r[3]) < 1000 and 10 < float(r[4]) < 1000, r
PY
scripts/icount --messages 10 cached-pad96-acqrel >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: a bad variant: exit $rc, expected 2"; exit 1; }
echo "icount: ok"
