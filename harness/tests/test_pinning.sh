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
# Each trial long enough (20M messages: a fifth of a second alone, seconds
# with both threads on one PU) that the move back lands in the same trial.
"$B" run --variant cached-pad64-acqrel --workload fixed --msg-size 64 --messages 20000000 \
  --trials 10000 --csv "$tmp/run.csv" >/dev/null 2>"$tmp/err" &
pid=$!
moved=0
for _ in $(seq 200); do
  kill -0 $pid 2>/dev/null || break
  for t in /proc/$pid/task/*; do
    if [ "$(cat "$t/comm" 2>/dev/null)" = bipbench-cons ]; then
      tid=${t##*/}
      # Counted once the move is made: moving back can fail if the run
      # has already refused the trial and the thread is gone.
      if taskset -pc "$prod" "$tid" >/dev/null 2>&1; then
        moved=$((moved + 1))
        sleep 0.3
        taskset -pc "$cons" "$tid" >/dev/null 2>&1
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
# A move in mid-trial is named as one (even if the thread is still on the
# producer's PU when the trial ends); a move that lands between the
# thread's binding and the start of its counts is caught by the check
# after binding, which names the PU it ran on instead. Either refuses it.
grep -qE "consumer thread (moved off PU $cons|ran on PU $prod after binding)" "$tmp/err" ||
  fail "the error does not name the move: $(grep -E 'thread|not reported' "$tmp/err" | head -3)"
# What finished before the moved trial is kept; the moved trial is not in it.
if [ -f "$tmp/run.csv" ]; then
  n=$(($(wc -l <"$tmp/run.csv") - 1))
  [ "$(csv_col "$tmp/run.csv" migrations | grep -cv '^0$')" -eq 0 ] ||
    fail "a trial with migrations was reported"
  echo "rows kept: $n"
fi
finish
