#!/usr/bin/env bash
# test_cli.sh BIPBENCH - the command line: help, list, topo on synthetic
# machines, and every kind of bad input (exit 2, a first line naming the
# flag, then the usage line). Runs no trials.
set -u
. "$(dirname "$0")/common.sh" "$1" 60

# run_b ARGS...: bipbench with a watchdog; stdout in $tmp/out, stderr in $tmp/err.
run_b() {
  timeout 60 "$B" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ $rc -eq 124 ]; then
    echo "FAIL: watchdog: bipbench $* ran over 60 s"
    exit 1
  fi
  return 0
}

# bad FLAG ARGS...: exit 2, error line names FLAG, second line is the usage.
bad() {
  local flag=$1
  shift
  run_b "$@"
  local first second
  first=$(sed -n 1p "$tmp/err")
  second=$(sed -n 2p "$tmp/err")
  if [ $rc -ne 2 ]; then
    fail "bipbench $*: exit $rc, expected 2 ($(head -c 200 "$tmp/err"))"
  elif [[ "$first" != "bipbench: $flag"* ]]; then
    fail "bipbench $*: error line does not name $flag: $first"
  elif [[ "$second" != usage:* ]]; then
    fail "bipbench $*: no usage line after the error: $second"
  elif [ "$(wc -l <"$tmp/err")" -ne 2 ]; then
    fail "bipbench $*: expected exactly two lines on stderr"
  else
    echo "ok: bipbench $* -> $first"
  fi
}

# --- help documents every flag and its default ---
run_b --help
[ $rc -eq 0 ] || fail "--help: exit $rc"
for f in --variant --limits --workload --msg-size --queue-size --messages --trials --pair \
  --read --check --rng-seed --seed --lag --csv --json --samples --seconds --verbose \
  --topology-synthetic --version --baseline --wait-idle --summary-csv --hgrm --burst; do
  grep -q -- "$f" "$tmp/out" || fail "--help does not document $f"
done
for d in '\[all\]' '\[seed\]' '\[255\]' '\[16384\]' '\[33554432\]' '\[5\]' '\[core\]' \
  '\[first for seed, all otherwise\]' '\[100000\]' '\[10\]' '\[512\]' \
  '\[min(--messages, 2^20)\]'; do
  grep -q -- "$d" "$tmp/out" || fail "--help does not give the default $d"
done
run_b run --help
[ $rc -eq 0 ] || fail "run --help: exit $rc"
for f in --variant --limits --workload --msg-size --queue-size --messages --trials --pair \
  --read --check --rng-seed --lag --csv --json --warmup; do
  grep -q -- "$f" "$tmp/out" || fail "run --help does not document $f"
done
grep -q "variant,cached,pad,order,workload,read,msg_size,queue_size,messages," "$tmp/out" ||
  fail "run --help does not give the CSV columns"
grep -qF "[crate (= crate-design) if measured]" "$tmp/out" ||
  fail "run --help does not give --baseline's default as crate = crate-design"
run_b latency --help
grep -q "p50_ns,p90_ns,p99_ns,p999_ns,max_ns,samples" "$tmp/out" ||
  fail "latency --help does not give the CSV columns"
run_b soak --help
grep -q -- "--seconds" "$tmp/out" || fail "soak --help does not document --seconds"

# --- list ---
run_b list
[ $rc -eq 0 ] || fail "list: exit $rc"
n=$(grep -cE '^((un)?cached-pad(0|64|128)-(seqcst|acqrel)(-batch[1-9][0-9]*)?|crate-design)(-(fence|asym|eventfd))?$' "$tmp/out")
[ "$n" -eq "$NV" ] || fail "list shows $n variants, expected $NV"
grep -qx crate-design "$tmp/out" || fail "list lacks crate-design"
grep -qx uncached-pad64-acqrel "$tmp/out" || fail "list lacks uncached-pad64-acqrel (with the levers)"
grep -qx limit-onethread "$tmp/out" || fail "list lacks limit-onethread"
grep -qx limit-c2c "$tmp/out" || fail "list lacks limit-c2c"
[ "$(sed -n 1p "$tmp/out")" = cached-pad0-seqcst ] || fail "list does not start with the variants"
run_b list --verbose
grep -q "^crate .*crate-design" "$tmp/out" || fail "list --verbose does not show the crate alias"
grep -q "^seed .*crate-design" "$tmp/out" || fail "list --verbose does not show the old seed alias"
grep -q "^all .*the $NV variants" "$tmp/out" || fail "list --verbose does not count $NV variants"

# --- version ---
run_b --version
[ $rc -eq 0 ] || fail "--version: exit $rc"
grep -qE '^bipbench [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{40}(-dirty)?\)$' "$tmp/out" ||
  grep -qE '^bipbench [0-9]+\.[0-9]+\.[0-9]+ \(commit unknown\)' "$tmp/out" ||
  fail "--version: $(cat "$tmp/out")"

# --- help and usage come from one table: every flag of the usage line is in --help ---
for c in run latency soak rate list topo; do
  run_b $c --bogus
  usage=$(sed -n 2p "$tmp/err")
  run_b $c --help
  for f in $(echo "$usage" | grep -oE '\[--[a-z-]+' | tr -d '['); do
    grep -q -- "^  $f" "$tmp/out" || fail "$c: usage names $f, --help does not"
  done
done
run_b run --help
csvcols=$(grep -A1 "CSV columns" "$tmp/out" | tail -1 | tr -d ' ')
[ "$(echo "$csvcols" | cut -d, -f25)" = hop_ns ] || fail "run --help: hop_ns is not column 25"

# --- topo on synthetic machines ---
run_b topo --topology-synthetic "pack:1 l3:1 core:2 pu:1"
[ $rc -eq 0 ] || fail "topo (2 cores): exit $rc"
grep -qE '^  smt +unavailable: .*SMT' "$tmp/out" || fail "topo (no SMT) does not refuse smt"
grep -qE '^  numa +unavailable: .*NUMA' "$tmp/out" || fail "topo (one NUMA) does not refuse numa"
grep -qE '^  core +0,1: l3$' "$tmp/out" || fail "topo (2 cores): core is not 0,1 l3"
BIPBENCH_TOPOLOGY_SYNTHETIC="pack:2 numa:1 l3:2 core:4 pu:2" run_b topo
[ $rc -eq 0 ] || fail "topo (2 sockets, env): exit $rc"
grep -qE '^  smt +0,1: smt$' "$tmp/out" || fail "topo (2 sockets): smt is not 0,1"
grep -qE '^  numa +0,16: numa$' "$tmp/out" || fail "topo (2 sockets): numa is not 0,16"
grep -q "2 package(s), 2 NUMA node(s), 4 L3 cache(s), 16 core(s), 32 PU(s)" "$tmp/out" ||
  fail "topo (2 sockets): wrong summary"
echo "ok: topo on synthetic machines"

# --- bad input: exit 2, the flag named, then the usage ---
bad --msg-size run --msg-size 0
bad --msg-size run --msg-size 256
bad --msg-size run --msg-size 1
bad --msg-size run --msg-size 12,abc
bad --msg-size run --msg-size -5
bad --msg-size run --workload fixed --msg-size 8193
bad --msg-size run --workload random --queue-size 64 --msg-size 33
bad --msg-size latency --msg-size 9000
bad --msg-size latency --msg-size 8,16
bad --msg-size soak --queue-size 1k --msg-size 513
bad --queue-size run --queue-size 0
bad --queue-size run --queue-size 3
bad --queue-size run --queue-size 2G
bad --queue-size run --queue-size lots
bad --queue-size run --queue-size 16q
bad --variant run --variant nosuch
bad --variant run --variant seed,
bad --variant latency --variant limit-onethread
bad --variant soak --variant limit-c2c
bad --pair run --pair nowhere
bad --pair run --pair 0,99999
bad --pair run --pair 3
bad --pair run --pair 1,1
bad --pair run --pair core,x
bad --workload run --workload bogus
bad --read run --read some
bad --read run --check --read first
bad --trials run --trials 0
bad --trials run --trials -1
bad --trials run --trials 2.5
bad --messages run --messages 0
bad --messages run --messages 12x
bad --messages run --messages 99999999999999999999999
bad --baseline run --baseline nosuch
bad --baseline run --variant cached-pad64-acqrel --baseline crate
bad --baseline run --variant crate --limits --baseline limit-c2c
bad --wait-idle run --wait-idle=0
bad --wait-idle run --wait-idle=x
bad --wait-idle soak --wait-idle
# Seconds are decimal, as every other number: no hex, inf, nan, exponent,
# sign or blank that strtod would take (each of these runs briefly if taken).
for v in 0x10 0x1p2 inf nan 1e1 1e-1 +5 -5 ' 5' 5s 1. .; do
  bad --wait-idle latency --variant crate --samples 100 "--wait-idle=$v"
  bad --seconds soak --variant crate --seconds "$v"
done
bad --summary-csv latency --summary-csv x.csv
bad --pair env --pair nowhere
bad --hgrm latency --hgrm "$tmp/no/such/dir"
bad --hgrm run --hgrm "$tmp"
bad --burst run --burst 0
bad --burst run --burst 4097
bad --burst latency --burst 4
bad --warmup run --warmup 0
bad --warmup run --warmup 1x
bad --warmup latency --warmup 5
bad --samples latency --samples 0
bad --seconds soak --seconds 0
bad --seconds soak --seconds abc
bad --seconds soak --seconds -1
bad --seed run --seed x
bad --rng-seed run --rng-seed 18446744073709551616
bad --rng-seed run --rng-seed 1 --rng-seed 2
bad --seed run --rng-seed 1 --seed 2
bad --variant run --variant all --variant crate
bad --check run --check --check
bad --lag run --lag -1
bad --lag run --lag x
bad --lag latency --lag 64
bad --messages run --messages
bad --csv run --csv
bad --variant run --variant=
bad --bogus run --bogus
bad --check run --check=yes
bad --trials list --trials 3
bad --samples run --samples 5
bad --seconds latency --seconds 5
bad --csv run --csv "$tmp/no/such/dir/out.csv"
bad --json run --json "$tmp/no/such/dir/out.json"
bad --topology-synthetic run --topology-synthetic "pack:2 core:2 pu:1"
bad --topology-synthetic topo --topology-synthetic "this is not a machine"
# rate: rates, budgets, pacing, sizes, entries without a rate measurement
bad --rate rate --rate 0
bad --rate rate --rate 0.0
bad --rate rate --rate -5
bad --rate rate --rate 1e3
bad --rate rate --rate 1.2.3
bad --rate rate --rate .5
bad --rate rate --rate 5.
bad --rate rate --rate 1k,x
bad --rate rate --rate 2G
bad --rate rate --rate 10M --seconds 3600
bad --rate rate --rate 10kB
bad --spin-ns rate --spin-ns -1
bad --spin-ns rate --spin-ns 10000000001
bad --spin-ns rate --spin-ns 5us
bad --pace rate --pace nap
bad --msg-size rate --msg-size 7
bad --msg-size rate --variant peer-pipe --queue-size 64k --msg-size 5000
bad --variant rate --variant limit-c2c
bad --variant rate --variant peer-boost-spsc
bad --variant run --variant peer-pipe
bad --variant run --variant limit-futex
bad --variant soak --variant peer-condvar
bad --seconds rate --seconds 0
bad --trials rate --trials 0
bad --hgrm rate --hgrm "$tmp/no/such/dir"
run_b rate --help
for f in --variant --limits --rate --seconds --msg-size --queue-size --trials --spin-ns --pace \
  --pair --wait-idle --hgrm --csv --json; do
  grep -q -- "^  $f" "$tmp/out" || fail "rate --help does not document $f"
done
grep -q "variant,kind,wake,msg_size,queue_size,producer_pu,consumer_pu" "$tmp/out" ||
  fail "rate --help does not give the CSV columns"
grep -qF "[cached-pad128-acqrel-asym]" "$tmp/out" ||
  fail "rate --help does not give the default variant as its default"
run_b list
for e in limit-futex peer-pipe peer-condvar; do
  grep -qx "$e" "$tmp/out" || fail "list lacks $e"
done
bad "unknown command 'bogus'" bogus
bad "a command is needed"
bad positional run positional
ls "$tmp" | grep -q '\.tmp\.' && fail "a temporary output file was left behind"

finish
