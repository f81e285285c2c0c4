#!/usr/bin/env bash
# test_stream.sh BIPBENCH - limit-stream, the ceiling: every workload and read
# mode with --check (every byte it moves compared), queues that wrap at every
# message and large ones, the lag, and a flipped byte that --check must find;
# the summary's ratio to it. Functional only: the numbers are not looked at.
# Skipped (77) on a machine with one core.
set -u
. "$(dirname "$0")/common.sh" "$1" 240

need_two_cores

for wl in "seed --msg-size 2,255" "fixed --msg-size 1,8,255,4000" "random --msg-size 8000"; do
  for r in none first last all check; do
    echo "-- --workload $wl --read $r"
    [ $r = check ] && how=--check || how="--read $r"
    # shellcheck disable=SC2086
    timeout 60 "$B" run --variant limit-stream $how --workload $wl --messages 30000 \
      --trials 1 --queue-size 64k --csv "$tmp/s.csv" >/dev/null 2>"$tmp/err" ||
      fail "--workload $wl $how: $(head -3 "$tmp/err")"
    [ "$(csv_col "$tmp/s.csv" variant | sort -u)" = limit-stream ] || fail "rows: not limit-stream"
    [ $r != check ] || [ "$(csv_col "$tmp/s.csv" check | sort -u)" = 1 ] ||
      fail "--check: check column"
  done
done

# Queues that wrap at nearly every message, with random sizes (records at
# every offset), and the largest message a queue takes.
for q in 16 24 64 100 4096; do
  max=$((q / 2 < (q / 8 * 8) - 8 ? q / 2 : (q / 8 * 8) - 8))
  for lag in 0 512; do
    echo "-- --queue-size $q, random sizes 1..$max, --lag $lag"
    # 5000 messages still wrap a 64-byte queue thousands of times; every
    # handoff of so small a queue needs both vCPUs running, so a host that
    # deschedules one makes each message slow: few of them, and time.
    timeout 120 "$B" run --variant limit-stream --check --workload random --msg-size "$max" \
      --queue-size "$q" --lag "$lag" --messages 5000 --trials 1 >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] || fail "--queue-size $q --lag $lag: exit $rc: $(grep -v '^bipbench: env:' "$tmp/err" | head -3)"
  done
done
# A stale word left in a record's padding once matched a later header (7% of
# runs with random sizes in 64-128 bytes before the padding was zeroed):
# many seeds, so that it cannot come back unseen.
echo "-- 100 generator seeds, random sizes 1..32 in 64 and 128 bytes, --check"
for s in $(seq 100); do
  for q in 64 128; do
    timeout 60 "$B" run --variant limit-stream --check --workload random --msg-size 32 \
      --queue-size "$q" --lag 0 --rng-seed "$s" --messages 20000 --trials 1 >/dev/null 2>"$tmp/err"
    rc=$?
    [ $rc -eq 0 ] || fail "--rng-seed $s --queue-size $q: exit $rc: $(grep -v '^bipbench: env:' "$tmp/err" | head -2)"
  done
done
echo "-- the largest message of a 1000-byte queue, and one byte more"
timeout 60 "$B" run --variant limit-stream --check --workload fixed --msg-size 500 \
  --queue-size 1000 --messages 5000 --trials 1 >/dev/null 2>"$tmp/err" ||
  fail "500 bytes in 1000: $(head -3 "$tmp/err")"
timeout 60 "$B" run --variant limit-stream --workload fixed --msg-size 501 --queue-size 1000 \
  --messages 10 --trials 1 >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^bipbench: --msg-size: 501 is larger" "$tmp/err" ||
  fail "501 bytes in 1000: exit $rc: $(head -2 "$tmp/err")"

echo "-- a byte flipped by the producer is found by --check, and fails the run"
for wl in "fixed --msg-size 64" "random --msg-size 300" "seed --msg-size 255"; do
  # shellcheck disable=SC2086
  BIPBENCH_TEST_STREAM_FLIP=777 timeout 60 "$B" run --variant limit-stream --check --workload $wl \
    --messages 3000 --trials 1 --csv "$tmp/flip.csv" >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -ne 0 ] || fail "flip ($wl): exit 0"
  grep -q "1 byte(s) differed from what was sent" "$tmp/err" ||
    fail "flip ($wl): not reported: $(head -3 "$tmp/err")"
done
echo "-- without --check the same run reads no byte it could compare: it runs"
BIPBENCH_TEST_STREAM_FLIP=777 timeout 60 "$B" run --variant limit-stream --workload fixed \
  --msg-size 64 --messages 3000 --trials 1 >/dev/null 2>"$tmp/err" ||
  fail "flip without --check: $(head -3 "$tmp/err")"

echo "-- --burst is accepted (it changes nothing limit-stream does)"
timeout 60 "$B" run --variant limit-stream,crate --check --burst 16 --messages 20000 --trials 1 \
  >/dev/null 2>"$tmp/err" || fail "--burst 16: $(head -3 "$tmp/err")"

echo "-- --limits adds it; the summary divides by it beside the baseline"
timeout 120 "$B" run --variant crate,cached-pad128-acqrel --limits --workload fixed --msg-size 8 \
  --messages 20000 --trials 2 --csv "$tmp/l.csv" --summary-csv "$tmp/sum.csv" \
  --json "$tmp/l.json" >"$tmp/out" 2>"$tmp/err" || fail "--limits: $(head -3 "$tmp/err")"
grep -q "^limit-stream," "$tmp/l.csv" || fail "--limits does not add limit-stream"
grep -q "x ceiling \[95%\]" "$tmp/out" || fail "the summary has no x ceiling column"
grep -qE "^limit-stream .* 1 \(ceiling\)" "$tmp/out" || fail "limit-stream is not '1 (ceiling)'"
grep -q "^x ceiling: the same per-round ratio, to limit-stream" "$tmp/out" ||
  fail "the summary does not say what x ceiling is"
python3 - "$tmp/sum.csv" "$tmp/l.json" <<'PY' || fail "summary CSV or JSON: the ceiling"
import csv, json, sys
rows = {r["variant"]: r for r in csv.DictReader(open(sys.argv[1]))}
d = rows["cached-pad128-acqrel"]
assert d["ceiling"] == "limit-stream" and float(d["ceiling_lo"]) <= float(d["ceiling_ratio"]) \
    <= float(d["ceiling_hi"]), d
assert rows["limit-c2c"]["ceiling"] == "", rows["limit-c2c"]
assert float(rows["limit-stream"]["ceiling_ratio"]) == 1.0
s = {e["variant"]: e for e in json.load(open(sys.argv[2]))["summary"]}
c = s["crate-design"]["ceiling"]
assert c["entry"] == "limit-stream" and c["rounds"] == 2 and c["lo"] <= c["median"] <= c["hi"], c
assert "ceiling" not in s["limit-c2c"]
PY
echo "-- without limit-stream in the run: no ceiling column"
timeout 60 "$B" run --variant crate --messages 2000 --trials 1 --summary-csv "$tmp/no.csv" \
  >"$tmp/out" 2>"$tmp/err" || fail "no ceiling: $(head -3 "$tmp/err")"
grep -q "x ceiling" "$tmp/out" && fail "a ceiling column without limit-stream"
[ "$(csv_col "$tmp/no.csv" ceiling)" = "" ] || fail "summary CSV: a ceiling without limit-stream"

finish
