#!/usr/bin/env bash
# test_rate.sh BIPBENCH - bipbench rate on this machine: every entry with a
# rate measurement (the variants of each wake protocol, limit-futex, the
# blocking peers) at low and high offered rates, 8-byte and larger
# messages; every message's stamp and count byte checked by the consumer
# (mismatches 0); the rows, their columns and what they must say whatever
# the timing (every message received, the CPU times and latencies present,
# a sleeping variant with no spin budget slept and was woken, a spinning one
# never slept); an idle consumer waiting for one message; --hgrm files;
# --csv - streaming; the JSON. Functional only: no number is compared with
# a threshold of time. Skipped (77) on a machine with one core.
set -u
. "$(dirname "$0")/common.sh" "$1" 200

need_two_cores
entries=$("$B" list --verbose | awk '/[[ ]rate( burst)?\]$/ && $1 !~ /-(batch|seqcst)/ {print $1}' |
  grep -E '^(cached-pad128-acqrel|crate-design)(-|$)|^limit-|^peer-' | paste -sd, -)
n=$(echo "$entries" | awk -F, '{print NF}')
echo "entries: $entries"
[ "$n" -ge 10 ] || fail "only $n entries with a rate measurement: $entries"

# rate_run NAME ROWS SECONDS ARGS...: one run of SECONDS per trial into
# $tmp/rate.csv; exit 0 and ROWS rows.
rate_run() {
  local name=$1 want=$2 secs=$3 rc rows
  shift 3
  "$B" rate --csv "$tmp/rate.csv" --json "$tmp/rate.json" --seconds "$secs" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 0 ]; then
    fail "$name: exit $rc: $(tail -3 "$tmp/err")"
    return 1
  fi
  rows=$(($(wc -l <"$tmp/rate.csv") - 1))
  [ "$rows" -eq "$want" ] || fail "$name: $rows rows, expected $want"
  # Every row: every message received, none wrong, CPU and latency columns
  # present and sane, the wake column filled.
  python3 - "$tmp/rate.csv" "$name" "$secs" <<'PY' || fail "$name: rows"
import csv, sys
bad = 0
for r in csv.DictReader(open(sys.argv[1], newline="")):
    want = max(1, int(float(r["rate"]) * float(sys.argv[3]) + 0.5))
    def say(why):
        global bad
        bad = 1
        print(f"{sys.argv[2]}: {r['variant']} {r['msg_size']} B at {r['rate']}/s: {why}")
    if int(r["messages"]) != want:
        say(f"{r['messages']} messages, expected {want}")
    if r["mismatches"] != "0":
        say(f"{r['mismatches']} mismatches")
    for c in ("producer_cpu_ns", "consumer_cpu_ns", "elapsed_ns", "send_p50_ns", "due_p99_ns"):
        if int(r[c]) < 0:
            say(f"{c} = {r[c]}")
    if int(r["send_p50_ns"]) > int(r["send_max_ns"]) or int(r["due_p50_ns"]) > int(r["due_max_ns"]):
        say("a median above its maximum")
    if not r["wake"]:
        say("no wake protocol named")
    if r["kind"] == "variant" and (r["consumer_sleeps"] == "" or r["producer_wakes"] == ""):
        say("a variant's sleep counts are missing")
    if r["kept"] not in ("0", "1"):
        say(f"kept = {r['kept']}")
sys.exit(bad)
PY
}
# Every entry, low and high rate, two sizes.
rate_run "every entry" $((2 * 2 * n)) 0.2 --variant "$entries" --rate 200,20k --msg-size 8,255

# A sleeping variant with no spin budget sleeps at its first wait: at 100
# messages per second its consumer slept, and the producer woke it; a
# spinning variant never sleeps, whatever it waits.
rate_run "sleepers" 4 0.2 --variant cached-pad128-acqrel-asym,cached-pad128-acqrel-fence,cached-pad128-acqrel-eventfd,cached-pad128-acqrel \
  --rate 100 --spin-ns 0
python3 - "$tmp/rate.csv" <<'PY' || fail "sleep counts"
import csv, sys
bad = 0
for r in csv.DictReader(open(sys.argv[1], newline="")):
    s, w = int(r["consumer_sleeps"]), int(r["producer_wakes"])
    if r["wake"] == "spin" and (s or w):
        print(f"{r['variant']}: a spinning variant slept {s} times, woke {w}"); bad = 1
    if r["wake"] != "spin" and (s < 1 or w < 1):
        print(f"{r['variant']}: with --spin-ns 0 at 100/s: slept {s}, woken {w}"); bad = 1
    if r["spin_ns"] != "0":
        print(f"{r['variant']}: spin_ns column {r['spin_ns']!r}, expected 0"); bad = 1
sys.exit(bad)
PY

# Idle: one message due after a second; the consumer waits for it, asleep.
rate_run "idle" 2 1 --variant cached-pad128-acqrel-asym,limit-futex --rate 1
csv_col "$tmp/rate.csv" messages | grep -vqx 1 && fail "idle: a row with more than one message"
[ "$(csv_col "$tmp/rate.csv" variant | head -1)" = cached-pad128-acqrel-asym ] ||
  fail "idle: rows not in --variant order"
[ "$(csv_col "$tmp/rate.csv" consumer_sleeps | head -1)" -ge 1 ] ||
  fail "idle: the sleeping default's consumer never slept while waiting a second"

# Trials interleave; --hgrm writes one file per (entry, size, rate), all
# trials together; --pace spin; --limits adds limit-futex.
mkdir "$tmp/h"
"$B" rate --variant peer-pipe --limits --rate 500,2k --seconds 0.1 --trials 2 --pace spin \
  --hgrm "$tmp/h" --csv "$tmp/t.csv" >"$tmp/out" 2>"$tmp/err" || fail "trials: exit $?: $(tail -2 "$tmp/err")"
[ "$(csv_col "$tmp/t.csv" trial | paste -sd, -)" = "1,1,1,1,2,2,2,2" ] ||
  fail "trials are not interleaved: $(csv_col "$tmp/t.csv" trial | paste -sd, -)"
[ "$(csv_col "$tmp/t.csv" variant | sort -u | paste -sd, -)" = "limit-futex,peer-pipe" ] ||
  fail "--limits did not add limit-futex"
csv_col "$tmp/t.csv" pace | grep -vqx spin && fail "--pace spin: a row that says otherwise"
nh=$(ls "$tmp/h" | grep -c '\.hgrm$')
[ "$nh" -eq 4 ] || fail "--hgrm: $nh files, expected 4: $(ls "$tmp/h")"
f="$tmp/h/peer-pipe.core.8.500.hgrm"
[ -f "$f" ] || f=$(ls "$tmp/h"/peer-pipe.*.8.500.hgrm 2>/dev/null | head -1)
if [ -n "$f" ] && [ -f "$f" ]; then
  grep -q "Total count    =          100" "$f" || fail "--hgrm: $f does not hold both trials' 100 samples"
else
  fail "--hgrm: no file for peer-pipe at 500/s"
fi
ls "$tmp" | grep -q '\.tmp\.' && fail "a temporary output file was left behind"

# --csv -: rows on stdout as they come, the summary on stderr.
"$B" rate --variant peer-condvar --rate 1k --seconds 0.05 --csv - >"$tmp/out" 2>"$tmp/err" ||
  fail "--csv -: exit $?"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "--csv -: $(wc -l <"$tmp/out") lines on stdout, expected 2"
grep -q "peer-condvar" "$tmp/err" || fail "--csv -: no summary on stderr"

# The JSON of the last rate_run: the command and its options recorded.
python3 - "$tmp/rate.json" <<'PY' || fail "rate JSON"
import json, sys
d = json.load(open(sys.argv[1]))
s = json.dumps(d)
assert "rate" in s, "the command is not recorded"
PY

# limit-futex's latency mode: a futex ping-pong.
"$B" latency --variant limit-futex --samples 2000 --csv "$tmp/l.csv" >"$tmp/out" 2>"$tmp/err" ||
  fail "latency limit-futex: exit $?: $(tail -2 "$tmp/err")"
[ "$(csv_col "$tmp/l.csv" samples)" = 2000 ] || fail "latency limit-futex: not 2000 samples"

finish
