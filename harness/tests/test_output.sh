#!/usr/bin/env bash
# test_output.sh BIPBENCH - short real runs: the CSV header and every row's
# format, the JSON metadata (python3 -m json.tool), CSV on stdout, and that
# SIGINT still writes whole files. Skipped (77) on a machine with one core.
set -u
. "$(dirname "$0")/common.sh" "$1" 120
doing() { echo "-- $*"; }

need_two_cores

# The columns every earlier file has, in this order; new ones only after them.
OLD="variant,cached,pad,order,workload,read,msg_size,queue_size,messages,trial,producer_pu,consumer_pu,relation,elapsed_ns,sends_per_sec,gb_per_sec,kind,elapsed_unit,bytes,seed,check,placement,preemptions,lag"

# check_csv FILE ROWS: the old columns first and in order, hop_ns after them,
# the newest last, the row count, and each field by its column's name.
check_csv() {
  python3 - "$1" "$2" "$OLD" <<'PY' || fail "$1: malformed"
import csv, re, sys
path, want, old = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
with open(path, newline="") as f:
    r = csv.reader(f)
    head = next(r)
    rows = [dict(zip(head, row)) for row in r if row]
bad = []
if head[:len(old)] != old:
    bad.append("the earlier columns are not first, in order: %s" % head)
if "hop_ns" not in head[len(old):]:
    bad.append("no hop_ns column after them")
newest = ["burst", "publish", "cldemote", "producer_wait_ns", "consumer_wait_ns", "distance_ns",
          "distance_before_ns", "distance_after_ns"]
if head[-len(newest):] != newest:
    bad.append("the newest columns are not last, in order: %s" % head[-len(newest):])
if len(rows) != want:
    bad.append("%d rows, expected %d" % (len(rows), want))
def num(v):
    try:
        return float(v)
    except ValueError:
        return None
for i, row in enumerate(rows, 2):
    if len(row) != len(head):
        bad.append("row %d: %d fields" % (i, len(row)))
        continue
    for c in ("msg_size", "queue_size", "messages", "trial", "producer_pu", "consumer_pu",
              "bytes", "seed", "check", "preemptions"):
        if not row[c].isdigit():
            bad.append("row %d: %s = %r" % (i, c, row[c]))
    for c in ("elapsed_ns", "sends_per_sec", "gb_per_sec"):
        if num(row[c]) is None or num(row[c]) < 0:
            bad.append("row %d: %s = %r" % (i, c, row[c]))
    if num(row["elapsed_ns"]) is not None and num(row["elapsed_ns"]) <= 0:
        bad.append("row %d: elapsed_ns %s" % (i, row["elapsed_ns"]))
    if row["elapsed_unit"] != "ns_trial":
        bad.append("row %d: elapsed_unit %s" % (i, row["elapsed_unit"]))
    c2c = row["variant"] == "limit-c2c"
    hop = num(row["hop_ns"]) if row["hop_ns"] else None
    if c2c != (hop is not None) or (c2c and not hop > 0):
        bad.append("row %d: hop_ns %r for %s" % (i, row["hop_ns"], row["variant"]))
    if c2c and abs(hop - float(row["elapsed_ns"]) / float(row["messages"])) > 0.01:
        bad.append("row %d: hop_ns is not elapsed_ns / messages" % i)
    if (row["kind"] == "variant") != (row["lag"] != ""):
        bad.append("row %d: lag %r for a %s" % (i, row["lag"], row["kind"]))
    # publish: K of a -batchK variant, 0 for the other variants and for
    # limit-onethread (the default variant's code), empty elsewhere.
    m = re.search(r"-batch([0-9]+)$", row["variant"])
    want = m.group(1) if m else "0" if row["kind"] == "variant" or \
        row["variant"] == "limit-onethread" else ""
    if row["publish"] != want:
        bad.append("row %d: publish %r for %s" % (i, row["publish"], row["variant"]))
    # cldemote: 0 or 1 where publish applies (BIPBUF_CLDEMOTE is off by
    # default, so 0 unless the build turned it on), empty elsewhere.
    if row["cldemote"] not in (("0", "1") if want else ("",)):
        bad.append("row %d: cldemote %r for %s" % (i, row["cldemote"], row["variant"]))
    # The distance probe: around every two-thread trial (--probe's default),
    # never around a one-thread one; distance_ns is the mean of the two.
    d = [num(row[c]) if row[c] else None
         for c in ("distance_ns", "distance_before_ns", "distance_after_ns")]
    if row["relation"] == "one-thread":
        if d != [None, None, None]:
            bad.append("row %d: distance %r for a one-thread trial" % (i, d))
    elif None in d or min(d) <= 0 or abs(d[0] - (d[1] + d[2]) / 2) > 0.11:
        bad.append("row %d: distance columns %r" % (i, d))
    elif (max(d[1], d[2]) > 1.5 * min(d[1], d[2])) and row["noisy"] != "1":
        bad.append("row %d: probes %r disagree, yet not noisy" % (i, d))
for b in bad[:10]:
    print(b)
sys.exit(1 if bad else 0)
PY
}

doing "run with --csv FILE --json FILE"
timeout 120 "$B" run --variant crate,cached-pad0-seqcst --limits --messages 20000 --trials 2 \
  --msg-size 64,255 --csv "$tmp/run.csv" --json "$tmp/run.json" >"$tmp/summary" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "run: exit $rc: $(cat "$tmp/err")"
check_csv "$tmp/run.csv" 20
grep -q "^crate-design,0,64,acqrel,seed,first,255,16384,20000,2," "$tmp/run.csv" ||
  fail "crate alias: the row does not name the real variant"
grep -q "^limit-onethread,1,128,acqrel,.*,one-thread," "$tmp/run.csv" ||
  fail "limit-onethread row missing or not one-thread"
[ "$(csv_col "$tmp/run.csv" variant | grep -c '^limit-c2c$')" -eq 4 ] || fail "limit-c2c rows missing"
[ "$(csv_col "$tmp/run.csv" workload | sort -u | tr '\n' ' ')" = "c2c seed " ] ||
  fail "workload column: $(csv_col "$tmp/run.csv" workload | sort -u | tr '\n' ' ')"
grep -q "Msends/s median" "$tmp/summary" || fail "no summary table on stdout"
python3 -m json.tool "$tmp/run.json" >/dev/null || fail "run.json is not valid JSON"
python3 - "$tmp/run.json" <<'PY' || fail "run.json lacks fields"
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("machine", "kernel", "build", "git_commit", "date_utc", "pus_used", "options", "status"):
    assert k in d, k
assert d["status"] == "complete", d["status"]
assert d["machine"]["pus"] >= 2 and d["machine"]["cpu_model"]
assert d["build"]["compiler"] and "c_flags" in d["build"]
assert d["options"]["msg_size"] == [64, 255] and d["options"]["trials"] == 2
assert d["pus_used"][0]["placement"] == "core"
assert d["options"]["warmup_messages"] == 20000
PY
doing "the distance probe: in the JSON's trials and summary, in the summary table; --probe 0"
python3 - "$tmp/run.json" <<'PY' || fail "run.json: the distance probe"
import json, sys
d = json.load(open(sys.argv[1]))
two = [t for t in d["trials"] if t["relation"] != "one-thread"]
assert two and all(t["distance_ns"] > 0 and t["distance_before_ns"] > 0 for t in two), two[:2]
assert all(t.get("distance_ns") in (None, "") for t in d["trials"] if t["relation"] == "one-thread")
s = [e for e in d["summary"] if e["variant"] == "crate-design"]
assert s and s[0]["distance"]["min_ns"] <= s[0]["distance"]["median_ns"] <= s[0]["distance"]["max_ns"], s
assert "cores " in d["verdict"] and " ns apart" in d["verdict"], d["verdict"]
PY
grep -q "ns apart \[min, max\]" "$tmp/summary" || fail "the summary table has no distance column"
timeout 60 "$B" run --variant crate --messages 3000 --trials 1 --probe 0 --csv "$tmp/np.csv" \
  >/dev/null 2>"$tmp/err" || fail "--probe 0: $(head -2 "$tmp/err")"
[ "$(csv_col "$tmp/np.csv" distance_ns)" = "" ] || fail "--probe 0 still probed"
timeout 60 "$B" run --variant crate --messages 3000 --trials 1 --probe 1 --csv "$tmp/p1.csv" \
  >/dev/null 2>"$tmp/err" || fail "--probe 1: $(head -2 "$tmp/err")"
[ -n "$(csv_col "$tmp/p1.csv" distance_ns)" ] || fail "--probe 1 did not probe"
timeout 60 "$B" run --variant crate --messages 3000 --warmup 777 --trials 1 --json "$tmp/w.json" \
  >/dev/null 2>"$tmp/err" || fail "--warmup 777: $(head -2 "$tmp/err")"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["options"]["warmup_messages"] == 777' \
  "$tmp/w.json" || fail "--warmup 777 is not the JSON's warmup_messages"

doing "the batched variants: their K in the publish column"
timeout 120 "$B" run --variant cached-pad128-acqrel-batch1024,uncached-pad64-acqrel-batch1024 \
  --workload fixed --msg-size 8 --check --messages 20000 --trials 1 --csv "$tmp/batch.csv" \
  >/dev/null 2>"$tmp/err" || fail "batched variants: $(head -2 "$tmp/err")"
check_csv "$tmp/batch.csv" 2
[ "$(csv_col "$tmp/batch.csv" publish | sort -u)" = 1024 ] || fail "batched rows: publish"

doing "run with --workload random --rng-seed 7 --csv -"
timeout 120 "$B" run --variant cached-pad64-acqrel --workload random --rng-seed 7 --msg-size 300 \
  --check --messages 20000 --trials 3 --csv - >"$tmp/stdout.csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "run --csv -: exit $rc"
check_csv "$tmp/stdout.csv" 3
[ "$(csv_col "$tmp/stdout.csv" seed | sort -u)" = 7 ] || fail "random rows lack seed 7"
[ "$(csv_col "$tmp/stdout.csv" check | sort -u)" = 1 ] || fail "random rows lack check 1"
[ "$(csv_col "$tmp/stdout.csv" workload | sort -u)" = random ] || fail "random rows: workload"
doing "--read last is written as such"
timeout 60 "$B" run --variant crate --workload fixed --msg-size 200 --read last --messages 3000 \
  --trials 1 --csv - >"$tmp/last.csv" 2>"$tmp/err" || fail "--read last: $(head -2 "$tmp/err")"
[ "$(csv_col "$tmp/last.csv" read)" = last ] || fail "--read last: read column"
doing "--variant crate --check runs crate-design, uncached-pad64-acqrel keeps its name"
timeout 120 "$B" run --variant crate,uncached-pad64-acqrel --check --messages 3000 --trials 1 \
  --csv - >"$tmp/crate.csv" 2>"$tmp/err" || fail "--variant crate --check: $(head -2 "$tmp/err")"
[ "$(csv_col "$tmp/crate.csv" variant | tr '\n' ' ')" = "crate-design uncached-pad64-acqrel " ] ||
  fail "--variant crate: rows $(csv_col "$tmp/crate.csv" variant | tr '\n' ' ')"
grep -qE '^crate-design .* 1 \(baseline\)' "$tmp/err" || fail "the summary does not divide by crate-design"
doing "the earlier spelling --seed still works"
timeout 120 "$B" run --variant seed --workload random --seed 9 --msg-size 64 --messages 2000 \
  --trials 1 --csv - >"$tmp/old.csv" 2>"$tmp/err" || fail "--seed: $(head -2 "$tmp/err")"
[ "$(csv_col "$tmp/old.csv" seed)" = 9 ] || fail "--seed 9 is not the CSV's seed"
[ "$(csv_col "$tmp/old.csv" variant)" = crate-design ] || fail "--variant seed: wrong variant"
grep -q "Msends/s median" "$tmp/err" || fail "--csv -: the summary is not on stderr"

doing "latency with --csv FILE --json FILE"
mkdir "$tmp/hgrm"
timeout 120 "$B" latency --variant cached-pad64-acqrel --limits --samples 5000 \
  --csv "$tmp/lat.csv" --json "$tmp/lat.json" --hgrm "$tmp/hgrm" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "latency: exit $rc: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/lat.csv")" = "variant,cached,pad,order,msg_size,queue_size,producer_pu,consumer_pu,relation,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,samples,min_ns,mean_ns,kind,placement" ] ||
  fail "latency: wrong header"
python3 - "$tmp/lat.csv" <<'PY' || fail "latency: bad rows: $(cat "$tmp/lat.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["variant"] for r in rows] == ["cached-pad64-acqrel", "limit-c2c", "limit-futex"], rows
for r in rows:
    assert r["samples"] == "5000", r
    p = [int(r[c]) for c in ("p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns")]
    assert p == sorted(p), p
    assert int(r["min_ns"]) <= p[0], r
PY
python3 -m json.tool "$tmp/lat.json" >/dev/null || fail "lat.json is not valid JSON"
doing "--hgrm: each entry's histogram in HdrHistogram's percentile-distribution format"
python3 - "$tmp/hgrm" "$tmp/lat.csv" <<'PY' || fail "--hgrm files"
import csv, os, re, sys
d, lat = sys.argv[1], list(csv.DictReader(open(sys.argv[2])))
names = sorted(os.listdir(d))
assert names == ["cached-pad64-acqrel.core.hgrm", "limit-c2c.core.hgrm",
                 "limit-futex.core.hgrm"], names
for r in lat:
    text = open(os.path.join(d, "%s.core.hgrm" % r["variant"])).read().splitlines()
    assert text[0].split() == ["Value", "Percentile", "TotalCount", "1/(1-Percentile)"], text[0]
    rows = [l.split() for l in text[2:] if l and not l.startswith("#")]
    vals = [float(x[0]) for x in rows]
    pct = [float(x[1]) for x in rows]
    cnt = [int(x[2]) for x in rows]
    assert vals == sorted(vals) and pct == sorted(pct) and cnt == sorted(cnt), "not monotonic"
    assert cnt[-1] == int(r["samples"]) and abs(pct[-1] - 1) < 1e-12, (cnt[-1], pct[-1])
    assert vals[-1] == float(r["max_ns"]), (vals[-1], r["max_ns"])
    m = re.search(r"Total count += +(\d+)", "\n".join(text))
    assert m and int(m.group(1)) == int(r["samples"])
    # p50 of the CSV is the first row at or above half the samples.
    p50 = next(v for v, c in zip(vals, cnt) if c >= 0.5 * cnt[-1])
    assert p50 == float(r["p50_ns"]), (p50, r["p50_ns"])
PY

doing "SIGINT stops after the current trial and writes whole files"
timeout 120 "$B" run --variant cached-pad64-acqrel --messages 20000 --trials 10000 \
  --csv "$tmp/int.csv" --json "$tmp/int.json" >/dev/null 2>"$tmp/err" &
pid=$!
# Progress lines start after 2 s, one per trial: interrupt once one is out.
for _ in $(seq 600); do
  grep -q "trial [0-9]*/10000" "$tmp/err" && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "SIGINT: exit $rc, expected 130"
n=$(($(wc -l <"$tmp/int.csv") - 1))
[ "$n" -ge 1 ] && [ "$n" -lt 10000 ] || fail "SIGINT: $n rows written"
check_csv "$tmp/int.csv" "$n"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["status"]=="interrupted"' \
  "$tmp/int.json" || fail "SIGINT: JSON status is not 'interrupted'"
ls "$tmp" | grep -q '\.tmp\.' && fail "a temporary output file was left behind"

doing "a second SIGINT, a second later, quits at once and leaves no file behind"
"$B" run --variant cached-pad64-acqrel --messages 2000000000 --trials 3 \
  --csv "$tmp/quit.csv" --json "$tmp/quit.json" >/dev/null 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT $pid
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "second SIGINT: exit $rc, expected 130"
[ -e "$tmp/quit.csv" ] && fail "second SIGINT: a CSV was written"
ls "$tmp" | grep -q '^quit\..*\.tmp\.' && fail "second SIGINT: a temporary file was left behind"
grep -q "stopped again: quitting now" "$tmp/err" || fail "second SIGINT: no message saying so"

finish
