#!/usr/bin/env bash
# test_peers.sh BIPBENCH - the peer queues (harness/peers) on this machine:
# each peer bipbench lists, with --check (every byte and, for the slot-based
# peers, every slot's pointer, number or address compared), on the seed,
# fixed and random workloads; a queue so small that every slot-based peer
# reuses its 2 slots back to back; --burst with the peers that have a burst
# mode (and its refusal for the others); every --read; peers and variants in
# one CSV; latency of every peer; a message too large for a peer refused
# with exit 2, at each slot-based peer's own limit. Functional only: the
# numbers are not looked at. Peers whose library this build lacks are not
# listed and not run. Skipped (77) on a machine with one core or a build
# without peers.
set -u
. "$(dirname "$0")/common.sh" "$1" 100

need_two_cores
# The peers with a throughput run (the blocking ones have the rate workload only).
peers=$("$B" list --verbose | awk '$1 ~ /^peer-/ && /\[run/ {print $1}' | paste -sd, -)
if [ -z "$peers" ]; then
  echo "SKIP: bipbench was built without peers"
  exit 77
fi
npeers=$(echo "$peers" | awk -F, '{print NF}')
echo "peers: $peers"
"$B" list --verbose | grep -qE '^peer-[a-z-]+ +peer ' || fail "list --verbose: no entry of kind peer"

# col FILE NAME: the 1-based index of column NAME in FILE's header.
col() { head -1 "$1" | tr , '\n' | grep -nx "$2" | cut -d: -f1; }

# check_rows FILE ROWS WORKLOAD: row count; every peer row has kind peer,
# empty cached/pad/order, check 1; rows not of a random workload (a name
# without "random") count every byte they sent.
check_rows() {
  local f=$1 want=$2 wl=$3 n
  n=$(($(wc -l <"$f") - 1))
  [ "$n" -eq "$want" ] || fail "$wl: $n rows, expected $want"
  awk -F, -v v="$(col "$f" variant)" -v k="$(col "$f" kind)" -v c="$(col "$f" cached)" \
    -v p="$(col "$f" pad)" -v o="$(col "$f" order)" -v ck="$(col "$f" check)" \
    -v m="$(col "$f" messages)" -v s="$(col "$f" msg_size)" -v by="$(col "$f" bytes)" \
    -v wl="$wl" '
    NR > 1 && $v ~ /^peer-/ {
      if ($k != "peer" || $c != "" || $p != "" || $o != "" || $ck != 1)
        { print "bad row: " $0; bad = 1 }
      if (wl !~ /random/ && $by != $m * $s) { print "bytes " $by " != " $m " x " $s; bad = 1 }
    }
    END { exit bad }' "$f" || fail "$wl: rows of $f"
}

# run NAME ROWS ARGS...: one short run with --check into $tmp/run.csv.
run() {
  local name=$1 want=$2 rc
  shift 2
  echo "-- run --check $*"
  timeout 100 "$B" run --check --trials 1 --csv "$tmp/run.csv" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 0 ] || { fail "$name: exit $rc: $(head -3 "$tmp/err")"; return; }
  check_rows "$tmp/run.csv" "$want" "$name"
}

run seed $((2 * npeers)) --variant "$peers" --workload seed --msg-size 8,255 --messages 200000
run fixed $((3 * npeers)) --variant "$peers" --workload fixed --msg-size 8,255,1000 \
  --messages 200000
run random "$npeers" --variant "$peers" --workload random --msg-size 8000 --messages 50000
# 512 bytes: every slot-based peer has 2 slots of 256 B, the tightest slot
# reuse (one queued at most; the zero-copy ring and ReaderWriterQueue, whose
# own bound is a ring of 2, one in flight); Boost's queue holds two
# messages. The producer is ahead nearly all the time.
run tight $((2 * npeers)) --variant "$peers" --workload fixed --msg-size 200,255 \
  --queue-size 512 --messages 300000
run tight-seed "$npeers" --variant "$peers" --workload seed --msg-size 255 --queue-size 512 \
  --messages 300000

# The peers with a burst mode (list --verbose: "burst" among what each
# measures): their consumer takes up to --burst K per call. Rows say burst K;
# a tight queue holds fewer than K, so bursts are cut short there; random
# sizes change the messages within a burst.
bpeers=$("$B" list --verbose | awk '/^peer-/ && / burst\]$/ {print $1}' | paste -sd, -)
if [ -n "$bpeers" ]; then
  nb=$(echo "$bpeers" | awk -F, '{print NF}')
  echo "burst peers: $bpeers"
  for k in 4 64; do
    run "burst $k" $((2 * nb)) --variant "$bpeers" --burst $k --workload fixed --msg-size 8,255 \
      --messages 200000
    csv_col "$tmp/run.csv" burst | grep -vqx "$k" && fail "burst $k: a row whose burst is not $k"
    run "burst $k seed" "$nb" --variant "$bpeers" --burst $k --workload seed --msg-size 100 \
      --messages 200000
    run "burst $k random" "$nb" --variant "$bpeers" --burst $k --workload random \
      --msg-size 1000 --messages 100000
    run "burst $k tight" "$nb" --variant "$bpeers" --burst $k --workload fixed --msg-size 255 \
      --queue-size 512 --messages 200000
    run "burst $k tight random" "$nb" --variant "$bpeers" --burst $k --workload random \
      --msg-size 64 --queue-size 512 --messages 200000
  done
fi
for p in ${peers//,/ }; do
  case ",$bpeers," in *",$p,"*) continue ;; esac
  timeout 30 "$B" run --variant "$p" --burst 4 --messages 100 --trials 1 >/dev/null 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 2 ] || ! grep -q "^bipbench: --burst: $p has no burst mode" "$tmp/err"; then
    fail "$p --burst 4: exit $rc, $(head -1 "$tmp/err")"
  fi
done

for r in none first last all; do
  for wl in seed fixed; do
    echo "-- run --read $r --workload $wl"
    timeout 100 "$B" run --variant "$peers" --read $r --workload $wl --messages 20000 --trials 1 \
      >/dev/null 2>"$tmp/err" || fail "run --read $r --workload $wl: $(head -3 "$tmp/err")"
  done
done

echo "-- peers and variants in one CSV"
timeout 100 "$B" run --variant "crate,cached-pad64-acqrel,$peers" --workload fixed --msg-size 8,255 \
  --messages 20000 --trials 1 --csv - >"$tmp/mixed.csv" 2>"$tmp/err" ||
  fail "mixed run: $(head -3 "$tmp/err")"
for v in crate-design cached-pad64-acqrel ${peers//,/ }; do
  [ "$(grep -c "^$v," "$tmp/mixed.csv")" -eq 2 ] || fail "mixed run: not 2 rows of $v"
done

# Too large for a peer (max_message): refused before anything runs.
for p in ${peers//,/ }; do
  echo "-- $p: a message larger than its queue allows"
  timeout 30 "$B" run --variant "$p" --workload fixed --queue-size 1024 --msg-size 1025 \
    --messages 100 --trials 1 >/dev/null 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 2 ] || ! grep -q "^bipbench: --msg-size: 1025 is larger" "$tmp/err"; then
    fail "$p --msg-size 1025 --queue-size 1024: exit $rc, $(head -1 "$tmp/err")"
  fi
done
# The slot-based peers (all but Boost's byte queue): two 512-byte slots fit
# in 1 KiB, a 513-byte message needs 576-byte ones. Refused with the entry's
# own limit; the largest it takes runs, checked, in 2 slots.
for p in ${peers//,/ }; do
  [ "$p" = peer-boost-spsc ] && continue
  echo "-- $p: its own limit, 512 bytes in 1 KiB"
  timeout 30 "$B" run --variant "$p" --workload fixed --queue-size 1024 --msg-size 513 \
    --messages 100 --trials 1 >/dev/null 2>"$tmp/err"
  rc=$?
  if [ $rc -ne 2 ] || ! grep -q "for $p (512: its own limit)" "$tmp/err"; then
    fail "$p: --msg-size 513 in 1 KiB: exit $rc, $(head -1 "$tmp/err")"
  fi
  timeout 30 "$B" run --variant "$p" --workload fixed --queue-size 1024 --msg-size 512 \
    --messages 1000 --trials 1 --check >/dev/null 2>"$tmp/err" ||
    fail "$p: --msg-size 512 in 1 KiB: $(head -1 "$tmp/err")"
done
# Latency: a ping-pong through two queues of every peer, beside the variants
# and limit-c2c, as one run; one row per entry.
echo "-- latency --variant all,$peers --limits"
timeout 100 "$B" latency --variant "all,$peers" --limits --samples 2000 --csv "$tmp/lat.csv" \
  >/dev/null 2>"$tmp/err" || fail "latency of the peers: $(head -3 "$tmp/err")"
for p in ${peers//,/ }; do
  [ "$(grep -c "^$p," "$tmp/lat.csv")" -eq 1 ] || fail "latency: not 1 row of $p"
done
# With the largest message each allows in a tight queue (slot reuse in both
# queues), and refusing a larger one.
for p in ${peers//,/ }; do
  timeout 30 "$B" latency --variant "$p" --queue-size 1024 --msg-size 512 --samples 2000 \
    >/dev/null 2>"$tmp/err" || fail "$p: latency --msg-size 512 in 1 KiB: $(head -1 "$tmp/err")"
  timeout 30 "$B" latency --variant "$p" --queue-size 1024 --msg-size 1025 >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] || fail "$p: latency --msg-size 1025 in 1 KiB was not refused"
done

finish
