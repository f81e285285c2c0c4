#!/usr/bin/env bash
# test_hostile.sh BIPBENCH - what a hostile user tried against bipbench's
# outputs, signals and arguments. Each case names the defect it holds shut
# (defect N: ...). Devices are made with mknod inside the test's own folder
# (never the machine's /dev); where mknod is not allowed those cases say so
# and are skipped. Skipped whole (77) on a machine with one core.
set -u
. "$(dirname "$0")/common.sh" "$1" 200

need_two_cores
short=(--variant crate --workload fixed --msg-size 64 --messages 5000 --trials 2)
case_() { echo "-- defect $*"; }
no_tmp() { # no_tmp WHAT: no temporary output file may be left in $tmp
  if find "$tmp" -name '*.tmp.*' | grep -q .; then
    fail "$1: a temporary file was left behind: $(find "$tmp" -name '*.tmp.*')"
  fi
}
devices=1
if ! mknod "$tmp/null" c 1 3 2>/dev/null || ! mknod "$tmp/full" c 1 7 2>/dev/null ||
  ! echo x >"$tmp/null" 2>/dev/null; then
  devices=0
  echo "note: cannot make device files here (not root, or a nodev mount): device cases skipped"
fi

# --- 1: outputs that are not regular files are never replaced ---
if [ $devices = 1 ]; then
  case_ "1: --csv naming a device is written in place, not replaced"
  "$B" run "${short[@]}" --csv "$tmp/null" >/dev/null 2>"$tmp/err" || fail "--csv null: $(head -2 "$tmp/err")"
  [ -c "$tmp/null" ] || fail "defect 1: the device was replaced by a regular file"
  case_ "1: --csv naming a full device fails with exit 1"
  "$B" run "${short[@]}" --csv "$tmp/full" >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -eq 1 ] || fail "defect 1: --csv full: exit $rc, expected 1"
  grep -q "cannot write '$tmp/full'" "$tmp/err" || fail "defect 1: no message naming the full device"
  [ -c "$tmp/full" ] || fail "defect 1: the full device was replaced"
fi
case_ "1: --json through a link to this process's stdout reaches stdout; the link stays"
ln -s /proc/self/fd/1 "$tmp/stdout"
"$B" run "${short[@]}" --json "$tmp/stdout" >"$tmp/out" 2>"$tmp/err" || fail "--json stdout link: $(head -2 "$tmp/err")"
[ -L "$tmp/stdout" ] || fail "defect 1: the link to stdout was replaced"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" ||
  fail "defect 1: stdout does not hold the JSON alone (the summary must go to stderr)"
case_ "1: a link to a regular file: the file is replaced whole, the link stays"
echo old >"$tmp/real.csv"
ln -s real.csv "$tmp/link.csv"
"$B" run "${short[@]}" --csv "$tmp/link.csv" >/dev/null 2>"$tmp/err" || fail "--csv link: $(head -2 "$tmp/err")"
[ -L "$tmp/link.csv" ] || fail "defect 1: the link was replaced by a file"
[ "$(csv_col "$tmp/real.csv" variant | head -1)" = crate-design ] || fail "defect 1: the link's target was not written"
case_ "1: a FIFO is written in place"
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fromfifo" &
reader=$!
"$B" run "${short[@]}" --json "$tmp/fifo" >/dev/null 2>"$tmp/err" || fail "--json fifo: $(head -2 "$tmp/err")"
wait $reader
[ -p "$tmp/fifo" ] || fail "defect 1: the FIFO was replaced"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/fromfifo" || fail "defect 1: no JSON through the FIFO"
no_tmp "defect 1"

# --- 2: a folder as the output is refused before the first trial ---
case_ "2: a folder, a trailing slash, a missing folder: exit 2 at once, naming the flag"
mkdir "$tmp/d"
for p in "$tmp/d" "$tmp/d/" "$tmp/nosuch/x.csv"; do
  t0=$(date +%s)
  "$B" run --variant crate --messages 200000000 --trials 3 --csv "$p" >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc -eq 2 ] || fail "defect 2: --csv $p: exit $rc, expected 2"
  grep -q "^bipbench: --csv: " "$tmp/err" || fail "defect 2: --csv $p: $(head -1 "$tmp/err")"
  [ $(($(date +%s) - t0)) -lt 10 ] || fail "defect 2: --csv $p was refused only after running"
done

# --- 3: every way to stop keeps what finished and leaves no temporary ---
long=(--variant crate --workload fixed --msg-size 64 --messages 300000 --trials 10000)
for sig in TERM HUP INT; do
  case_ "3: SIG$sig stops after the current trial and writes whole files"
  "$B" run "${long[@]}" --csv "$tmp/s.csv" --json "$tmp/s.json" >/dev/null 2>"$tmp/err" &
  pid=$!
  for _ in $(seq 300); do
    grep -q "trial [0-9]*/10000" "$tmp/err" && break
    sleep 0.1
  done
  kill -$sig $pid
  wait $pid
  rc=$?
  want=$((128 + $(kill -l $sig)))
  [ $rc -eq $want ] || fail "defect 3: SIG$sig: exit $rc, expected $want"
  n=$(($(wc -l <"$tmp/s.csv") - 1))
  [ "$n" -ge 1 ] || fail "defect 3: SIG$sig: no finished trial was written"
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["status"] == "interrupted"' \
    "$tmp/s.json" || fail "defect 3: SIG$sig: JSON status"
  no_tmp "defect 3: SIG$sig"
  rm -f "$tmp/s.csv" "$tmp/s.json"
done
case_ "3: a trial that does not end after SIGTERM: quit within the grace period, no temporary"
"$B" run --variant crate --messages 2000000000 --trials 1 --csv "$tmp/g.csv" >/dev/null 2>"$tmp/err" &
pid=$!
sleep 1
kill -TERM $pid
t0=$(date +%s)
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "defect 3: hung trial + SIGTERM: exit $rc, expected 143"
[ $(($(date +%s) - t0)) -le 15 ] || fail "defect 3: hung trial + SIGTERM: took over 15 s to quit"
grep -q "did not end within" "$tmp/err" || fail "defect 3: hung trial: no message"
[ -e "$tmp/g.csv" ] && fail "defect 3: hung trial: a CSV appeared"
no_tmp "defect 3: hung trial"
case_ "3: a closed pipe on stdout (SIGPIPE) stops the run, writes the JSON whole, exit 1"
set -o pipefail
"$B" run "${long[@]}" --csv - --json "$tmp/p.json" 2>"$tmp/err" | head -1 >/dev/null
rc=$?
set +o pipefail
[ $rc -eq 1 ] || fail "defect 3: SIGPIPE: exit $rc, expected 1 ($(tail -2 "$tmp/err"))"
grep -q "cannot write the CSV to stdout" "$tmp/err" || fail "defect 3: SIGPIPE: no message"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/p.json" || fail "defect 3: SIGPIPE: no whole JSON"
no_tmp "defect 3: SIGPIPE"
case_ "3: the watchdog leaves no temporary"
BIPBENCH_WATCHDOG=1 "$B" run --variant crate --messages 2000000000 --trials 1 \
  --csv "$tmp/w.csv" --json "$tmp/w.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 3 ] || fail "defect 3: watchdog: exit $rc, expected 3"
[ -e "$tmp/w.csv" ] && fail "defect 3: watchdog: a CSV appeared"
no_tmp "defect 3: watchdog"
case_ "3: timeout(1) (SIGTERM) keeps what finished"
timeout 3 "$B" run "${long[@]}" --csv "$tmp/t.csv" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 124 ] || fail "defect 3: timeout: exit $rc, expected 124"
[ "$(($(wc -l <"$tmp/t.csv") - 1))" -ge 1 ] || fail "defect 3: timeout: no rows"
no_tmp "defect 3: timeout"

# --- 4: a full or closed stdout is an error everywhere ---
out_fail() { # out_fail WHAT CMD...: with stdout full (or closed), exit 1 and say so
  local what=$1
  shift
  if [ $devices = 1 ]; then
    "$@" >"$tmp/full" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 1 ] || fail "defect 4: $what into a full device: exit $rc, expected 1"
    grep -q "^bipbench: .*stdout" "$tmp/err" || fail "defect 4: $what: no message: $(tail -1 "$tmp/err")"
  fi
  "$@" >&- 2>"$tmp/err"
  rc=$?
  [ $rc -eq 1 ] || fail "defect 4: $what with stdout closed: exit $rc, expected 1"
}
case_ "4: list, topo, env, --help, --version, run, run --csv -, latency, soak"
out_fail list "$B" list
out_fail topo "$B" topo
out_fail env "$B" env
out_fail --help "$B" --help
out_fail "run --help" "$B" run --help
out_fail --version "$B" --version
out_fail run "$B" run "${short[@]}"
out_fail "run --csv -" "$B" run "${short[@]}" --csv -
out_fail latency "$B" latency --variant crate --samples 1000
out_fail soak "$B" soak --variant crate --seconds 0.2

# --- 5: two outputs, one file ---
case_ "5: the same file for --csv and --json (two spellings) is refused"
"$B" run "${short[@]}" --csv "$tmp/same" --json "$tmp/./same" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q "^bipbench: --json: names the same file as --csv" "$tmp/err" ||
  fail "defect 5: same path: exit $rc: $(head -1 "$tmp/err")"
"$B" run "${short[@]}" --csv - --json - >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "defect 5: --csv - --json - was accepted"
case_ "5: --json - means stdout, as --csv - does"
"$B" run "${short[@]}" --json - >"$tmp/out" 2>/dev/null || fail "defect 5: --json -"
[ -e ./- ] && fail "defect 5: a file named '-' was written"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" || fail "defect 5: --json - is not JSON on stdout"

# --- 9: the whole range of numbers, and JSON from any bytes ---
case_ "9: --rng-seed 2^64-1 is accepted"
"$B" run --variant crate --workload random --msg-size 64 --messages 2000 --trials 1 \
  --rng-seed 18446744073709551615 --csv "$tmp/r.csv" >/dev/null 2>"$tmp/err" || fail "defect 9: $(head -1 "$tmp/err")"
[ "$(csv_col "$tmp/r.csv" seed)" = 18446744073709551615 ] || fail "defect 9: the seed was not kept"
case_ "9: a non-UTF-8 byte in an argument still gives valid JSON"
ln -s "$tmp" "$tmp/$(printf 'd\xff\xc3')"
"$B" run "${short[@]}" --json "$tmp/$(printf 'd\xff\xc3')/u.json" >/dev/null 2>"$tmp/err" || fail "defect 9: $(head -1 "$tmp/err")"
python3 -c 'import json,sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "strict"))' \
  "$tmp/u.json" || fail "defect 9: the JSON is not valid UTF-8"

# --- 12: --wait-idle acts on a signal at once ---
# A busy loop pinned on the producer's PU keeps it from ever being quiet, so
# the wait would last its 30 s; each signal must end it well within a second
# (a functional bound, generous for a loaded machine: the wait polls the stop
# flag every 20 ms), with the signal's status and no trial run.
pus=$(awk '$1 == "core" && $2 ~ /^[0-9]+,[0-9]+:$/ {sub(":", "", $2); print $2; exit}' "$tmp/topo")
if [ -n "$pus" ] && command -v taskset >/dev/null; then
  taskset -c "${pus%%,*}" sh -c 'while :; do :; done' &
  spin=$!
  for sig in TERM INT HUP; do
    case_ "12: SIG$sig during --wait-idle that cannot end: exit $((128 + $(kill -l $sig))) within 1.5 s"
    "$B" run "${short[@]}" --pair "$pus" --wait-idle=30 --csv "$tmp/wi.csv" >/dev/null 2>"$tmp/err" &
    pid=$!
    for _ in $(seq 600); do
      grep -q "waiting for quiet PUs" "$tmp/err" && break
      sleep 0.05
    done
    grep -q "waiting for quiet PUs" "$tmp/err" || fail "defect 12: SIG$sig: the wait never began: $(head -2 "$tmp/err")"
    t0=$(date +%s%N)
    kill -$sig $pid
    wait $pid
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    echo "   SIG$sig: exit $rc after $ms ms"
    want=$((128 + $(kill -l $sig)))
    [ $rc -eq $want ] || fail "defect 12: SIG$sig during --wait-idle: exit $rc, expected $want"
    [ $ms -lt 1500 ] || fail "defect 12: SIG$sig during --wait-idle: took $ms ms to act"
    grep -q "PUs still busy" "$tmp/err" && fail "defect 12: SIG$sig: the wait ran to its end"
    [ -e "$tmp/wi.csv" ] && [ "$(wc -l <"$tmp/wi.csv")" -gt 1 ] && fail "defect 12: SIG$sig: a trial ran after the signal"
    rm -f "$tmp/wi.csv"
  done
  kill $spin
  wait $spin 2>/dev/null
else
  echo "note: no core pair or no taskset: the --wait-idle signal cases are skipped"
fi

# --- 11: topology work near-linear in PUs ---
case_ "11: topo on a synthetic 8192-core machine answers within seconds"
t0=$(date +%s%N)
timeout 30 "$B" topo --topology-synthetic "pack:16 numa:2 l3:4 core:64 pu:1" >"$tmp/out" 2>"$tmp/err"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
echo "   8192 cores: exit $rc in $ms ms"
[ $rc -eq 0 ] || fail "defect 11: topo on 8192 cores: exit $rc (the old code took minutes)"
grep -qE '^  numa +0,256: numa$' "$tmp/out" || fail "defect 11: wrong numa pair: $(grep numa "$tmp/out")"
grep -qE '^  cross-l3 +0,64: cross-l3$' "$tmp/out" || fail "defect 11: wrong cross-l3 pair"
finish
