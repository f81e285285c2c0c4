#!/usr/bin/env bash
# test_noise.sh BIPBENCH - with a CPU hog pinned to the consumer's PU, a run
# warns at the start (env: other-threads), marks its trials noisy in the
# CSV, the summary and the JSON, and ends with a "noisy" verdict. Then, with
# the hog gone, the CSV's noise columns are present and consistent. No
# timing is judged: only what the kernel counted. Skipped (77) on a
# machine with one core or without taskset.
set -u
. "$(dirname "$0")/common.sh" "$1" 200

need_two_cores
command -v taskset >/dev/null || { echo "SKIP: no taskset"; exit 77; }
pus=$(grep -E '^  core ' "$tmp/topo" | awk '{print $2}' | tr -d :)
cons=${pus#*,}

taskset -c "$cons" sh -c 'while :; do :; done' &
hog=$!
trap 'kill $hog 2>/dev/null; rm -rf "$tmp"' EXIT
sleep 0.2
# 3M messages: trials of tens of milliseconds, several scheduler slices, so
# the hog shares every one (a trial shorter than a slice can finish before
# the hog is picked to run).
timeout 180 "$B" run --variant crate,cached-pad128-acqrel --workload fixed --msg-size 64 \
  --messages 3000000 --trials 3 --csv "$tmp/hog.csv" --json "$tmp/hog.json" \
  --summary-csv "$tmp/hog-summary.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
kill $hog 2>/dev/null
wait $hog 2>/dev/null
[ $rc -eq 0 ] || fail "run with a hog: exit $rc: $(head -3 "$tmp/err")"
grep -q "^bipbench: env: WARN other-threads" "$tmp/err" ||
  fail "no warning at the start about the hog: $(head -5 "$tmp/err")"
grep -q "^bipbench: verdict: noisy: " "$tmp/err" || fail "verdict: $(grep verdict "$tmp/err")"
[ "$(csv_col "$tmp/hog.csv" noisy | sort -u)" = 1 ] ||
  fail "not every trial beside the hog is marked noisy: $(csv_col "$tmp/hog.csv" noisy | tr '\n' ' ')"
grep -qE '^\*: trials that shared their CPUs' "$tmp/out" || fail "the summary has no noise note"
grep -qE '^crate-design .* \* 3/3$' "$tmp/out" || fail "summary: entry not marked * 3/3"
python3 - "$tmp/hog.json" "$tmp/hog-summary.csv" <<'PY' || fail "JSON or summary CSV"
import csv, json, sys
d = json.load(open(sys.argv[1]))
assert d["verdict"].startswith("noisy: "), d["verdict"]
assert any(c["name"] == "other-threads" and c["status"] == "WARN" for c in d["env"]["checks"])
assert len(d["trials"]) == 6 and all(t["noisy"] == 1 for t in d["trials"]), d["trials"]
# The hog shares the consumer's CPU: the consumer waits a large share of
# each trial (about half, under a fair scheduler; 10% is asserted).
assert all(t["consumer_wait_ns"] > 0.1 * t["elapsed_ns"] for t in d["trials"]), d["trials"]
assert all(s["noisy_trials"] == 3 for s in d["summary"]), d["summary"]
rows = list(csv.DictReader(open(sys.argv[2])))
assert [r["variant"] for r in rows] == ["crate-design", "cached-pad128-acqrel"], rows
assert all(r["noisy_trials"] == "3" for r in rows)
PY

# Without the hog: the columns are there and agree with each other.
timeout 120 "$B" run --variant crate --workload fixed --msg-size 64 --messages 20000 --trials 2 \
  --csv "$tmp/quiet.csv" >/dev/null 2>"$tmp/err" || fail "run: $(head -3 "$tmp/err")"
python3 - "$tmp/quiet.csv" <<'PY' || fail "noise columns disagree"
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    p, c = int(r["producer_preemptions"]), int(r["consumer_preemptions"])
    assert p + c == int(r["preemptions"]), r
    if r["migrations"] != "":
        assert int(r["migrations"]) == 0, r
        assert int(r["producer_migrations"]) + int(r["consumer_migrations"]) == 0, r
    # harness/noise.h: a thread that waited for its CPU over 3% of the
    # trial and 0.2 ms makes it noisy; the count of switches does not.
    w = max(int(r["producer_wait_ns"]), int(r["consumer_wait_ns"]))
    assert w >= 0, r
    assert int(r["noisy"]) == int(w > 200000 and w > 0.03 * int(r["elapsed_ns"])), r
PY
finish
