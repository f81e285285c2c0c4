#!/usr/bin/env bash
# test_output.sh BIPBENCH - short real runs: the CSV header and every row's
# format, the JSON metadata (python3 -m json.tool), CSV on stdout, and that
# SIGINT still writes whole files. Skipped (77) on a machine with one core.
set -u
. "$(dirname "$0")/common.sh" "$1" 120
doing() { echo "-- $*"; }

need_two_cores

HEADER="variant,cached,pad,order,workload,read,msg_size,queue_size,messages,trial,producer_pu,consumer_pu,relation,elapsed_ns,sends_per_sec,gb_per_sec,kind,elapsed_unit,bytes,seed,check,placement,preemptions,lag"

# check_csv FILE ROWS: header, row count, 24 fields each, numeric columns numeric.
check_csv() {
  local f=$1 want=$2
  [ "$(head -1 "$f")" = "$HEADER" ] || fail "$f: wrong header: $(head -1 "$f")"
  local n
  n=$(($(wc -l <"$f") - 1))
  [ "$n" -eq "$want" ] || fail "$f: $n rows, expected $want"
  awk -F, 'NR > 1 {
      if (NF != 24) { print "row " NR ": " NF " fields"; bad = 1 }
      for (c = 7; c <= 11; c++) if ($c !~ /^[0-9]+$/) { print "row " NR " col " c ": " $c; bad = 1 }
      if ($14 !~ /^[0-9]+(\.[0-9]+)?$/ || $15 !~ /^[0-9]+(\.[0-9]+)?$/ || $16 !~ /^[0-9]+(\.[0-9]+)?$/) {
        print "row " NR ": non-numeric result"; bad = 1 }
      if ($14 + 0 <= 0) { print "row " NR ": elapsed " $14; bad = 1 }
    } END { exit bad }' "$f" || fail "$f: malformed rows"
}

doing "run with --csv FILE --json FILE"
timeout 120 "$B" run --variant seed,cached-pad0-seqcst --limits --messages 20000 --trials 2 \
  --msg-size 64,255 --csv "$tmp/run.csv" --json "$tmp/run.json" >"$tmp/summary" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "run: exit $rc: $(cat "$tmp/err")"
check_csv "$tmp/run.csv" 16
grep -q "^uncached-pad64-acqrel,0,64,acqrel,seed,first,255,16384,20000,2," "$tmp/run.csv" ||
  fail "seed alias: the row does not name the real variant"
grep -q "^limit-onethread,1,128,acqrel,.*,one-thread," "$tmp/run.csv" ||
  fail "limit-onethread row missing or not one-thread"
grep -q "^limit-c2c,,,,c2c,none,.*,ns_per_hop," "$tmp/run.csv" || fail "limit-c2c row missing"
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
PY

doing "run with --workload random --seed 7 --csv -"
timeout 120 "$B" run --variant cached-pad64-acqrel --workload random --seed 7 --msg-size 300 \
  --check --messages 20000 --trials 3 --csv - >"$tmp/stdout.csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "run --csv -: exit $rc"
check_csv "$tmp/stdout.csv" 3
grep -q ",random,all,300,.*,7,1,core,[0-9]*,[0-9]*$" "$tmp/stdout.csv" || fail "random row lacks seed 7/check 1"
grep -q "Msends/s median" "$tmp/err" || fail "--csv -: the summary is not on stderr"

doing "latency with --csv FILE --json FILE"
timeout 120 "$B" latency --variant cached-pad64-acqrel --limits --samples 5000 \
  --csv "$tmp/lat.csv" --json "$tmp/lat.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "latency: exit $rc: $(cat "$tmp/err")"
[ "$(head -1 "$tmp/lat.csv")" = "variant,cached,pad,order,msg_size,queue_size,producer_pu,consumer_pu,relation,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,samples,min_ns,mean_ns,kind,placement" ] ||
  fail "latency: wrong header"
awk -F, 'NR > 1 { if (NF != 19 || $15 != 5000 || !($10 <= $11 && $11 <= $12 && $12 <= $13 && $13 <= $14)) bad = 1 }
  END { exit bad || NR != 3 }' "$tmp/lat.csv" || fail "latency: bad rows: $(cat "$tmp/lat.csv")"
python3 -m json.tool "$tmp/lat.json" >/dev/null || fail "lat.json is not valid JSON"

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
grep -q "interrupted again" "$tmp/err" || fail "second SIGINT: no message saying so"

finish
