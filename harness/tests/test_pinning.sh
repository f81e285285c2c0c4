#!/usr/bin/env bash
# test_pinning.sh BIPBENCH - pinning is checked over the whole trial: a
# consumer thread moved onto the producer's PU in mid-trial and moved back
# before the trial ends must fail the run (exit 1), naming the move, and the
# trial must not be reported. (Checking only where each thread ran last
# would call that trial clean.) Skipped (77) on a machine with one core or
# without taskset.
set -u
. "$(dirname "$0")/common.sh" "$1" 120

need_two_cores
command -v taskset >/dev/null || { echo "SKIP: no taskset"; exit 77; }
pus=$(grep -E '^  core ' "$tmp/topo" | awk '{print $2}' | tr -d :)
prod=${pus%,*}
cons=${pus#*,}

# Many short trials: threads are made anew for each, so the mover looks up
# the consumer thread (named bipbench-cons) each time round.
"$B" run --variant cached-pad64-acqrel --workload fixed --msg-size 64 --messages 2000000 \
  --trials 10000 --csv "$tmp/run.csv" >/dev/null 2>"$tmp/err" &
pid=$!
moved=0
for _ in $(seq 200); do
  kill -0 $pid 2>/dev/null || break
  for t in /proc/$pid/task/*; do
    if [ "$(cat "$t/comm" 2>/dev/null)" = bipbench-cons ]; then
      tid=${t##*/}
      if taskset -pc "$prod" "$tid" >/dev/null 2>&1; then
        sleep 0.3
        taskset -pc "$cons" "$tid" >/dev/null 2>&1 && moved=$((moved + 1))
      fi
    fi
  done
  sleep 0.1
done
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
echo "moved the consumer $moved time(s); bipbench exit $rc"
[ $moved -ge 1 ] || fail "the consumer thread was never found and moved"
[ $rc -eq 1 ] || fail "exit $rc, expected 1: $(head -3 "$tmp/err")"
grep -q "consumer thread moved off PU $cons" "$tmp/err" ||
  fail "the error does not name the move: $(head -3 "$tmp/err")"
# What finished before the moved trial is kept; the moved trial is not in it.
if [ -f "$tmp/run.csv" ]; then
  n=$(($(wc -l <"$tmp/run.csv") - 1))
  [ "$(csv_col "$tmp/run.csv" migrations | grep -cv '^0$')" -eq 0 ] ||
    fail "a trial with migrations was reported"
  echo "rows kept: $n"
fi
finish
