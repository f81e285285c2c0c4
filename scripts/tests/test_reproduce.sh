#!/usr/bin/env bash
# test_reproduce.sh BUILD_DIR - scripts/reproduce against what a hostile user
# tried (defect 8): --out is checked before anything is installed or built,
# and resolved from where the user stands; without gnuplot it stops before
# measuring; a tiny real run writes its folder with the summary. Uses the
# build that CTest runs in (BUILD_DIR), so setup only checks it. Skipped
# (77) on a machine with one core.
set -u
build=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
export BUILD_DIR=$build

if "$build/harness/bipbench" topo | grep -qE '^  core +unavailable'; then
  echo "SKIP: one core"
  exit 77
fi

echo "-- defect 8: --out naming a non-empty folder: exit 2 before set-up"
mkdir "$tmp/full" && touch "$tmp/full/x"
"$repo/scripts/reproduce" --out "$tmp/full" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] || fail "--out non-empty: exit $rc"
grep -q "setup:" "$tmp/out" && fail "--out non-empty: set-up ran before the check"
grep -q "exists and is not an empty folder" "$tmp/out" || fail "--out: message: $(head -2 "$tmp/out")"

echo "-- defect 8: bad options say so at once"
for a in "--trials 0" "--messages x" "--only seed,bogus" "--bogus"; do
  # shellcheck disable=SC2086
  "$repo/scripts/reproduce" $a >"$tmp/out" 2>&1
  [ $? -eq 2 ] || fail "reproduce $a: not exit 2"
done

echo "-- defect 8: without gnuplot, stop before measuring"
mkdir "$tmp/bin"
for d in /usr/local/bin /usr/bin /bin; do
  for f in "$d"/*; do
    b=${f##*/}
    [ "$b" = gnuplot ] || [ -e "$tmp/bin/$b" ] || ln -s "$f" "$tmp/bin/$b" 2>/dev/null
  done
done
(cd "$tmp" && PATH="$tmp/bin" "$repo/scripts/reproduce" --out nognu --only seed --messages 2000 \
  --trials 1 >"$tmp/out" 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "no gnuplot: exit $rc, expected 1: $(tail -2 "$tmp/out")"
grep -q "gnuplot not found" "$tmp/out" || fail "no gnuplot: no message"
[ -e "$tmp/nognu/seed.csv" ] && fail "no gnuplot: it measured anyway"

echo "-- defect 8: a relative --out is where the user stands; a tiny run completes"
(cd "$tmp" && "$repo/scripts/reproduce" --out rel/run --only seed --messages 3000 --trials 2 \
  >"$tmp/out" 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "tiny run: exit $rc: $(tail -5 "$tmp/out")"
[ -f "$tmp/rel/run/seed.csv" ] || fail "relative --out was not resolved from the current folder"
[ -e "$repo/rel" ] && fail "relative --out landed in the repository"
for f in seed.json seed-summary.csv summary.txt env.txt topo.txt; do
  [ -s "$tmp/rel/run/$f" ] || fail "tiny run: no $f"
done
grep -q "x crate \[95%\]" "$tmp/rel/run/summary.txt" || fail "summary.txt: no ratio column"
grep -q "^verdict: " "$tmp/rel/run/summary.txt" || fail "summary.txt: no verdict"
echo "-- the offered-rate step, quick: rate.csv, idle.csv, its summary table"
(cd "$tmp" && "$repo/scripts/reproduce" --quick --out rate --only rate >"$tmp/out" 2>&1)
rc=$?
[ $rc -eq 0 ] || fail "rate step: exit $rc: $(tail -5 "$tmp/out")"
for f in rate.csv rate.json idle.csv idle.json summary.txt; do
  [ -s "$tmp/rate/$f" ] || fail "rate step: no $f"
done
ls "$tmp/rate/rate-hgrm" 2>/dev/null | grep -q 'cached-pad128-acqrel-asym\..*\.8\.1000\.hgrm' ||
  fail "rate step: no histogram of the default at 1k/s"
grep -q "^Offered rates" "$tmp/rate/summary.txt" || fail "rate step: no rate table in summary.txt"
grep -q "^Idle" "$tmp/rate/summary.txt" || fail "rate step: no idle lines in summary.txt"
echo "$fails failure(s)"
[ $fails -eq 0 ]
