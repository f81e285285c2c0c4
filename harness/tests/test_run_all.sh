#!/usr/bin/env bash
# test_run_all.sh BIPBENCH - every variant and limit, every workload, with
# --check, on this machine; latency and a short soak of every variant; the
# placements this machine can and cannot give. Functional only: the numbers
# are not looked at. Skipped (77) on a machine with one core.
set -u
. "$(dirname "$0")/common.sh" "$1" 240

need_two_cores

for wl in "seed --msg-size 255" "fixed --msg-size 1,100" "random --msg-size 8000"; do
  echo "-- run --variant all --limits --check --workload $wl"
  # shellcheck disable=SC2086
  timeout 240 "$B" run --variant all --limits --check --messages 20000 --trials 1 \
    --workload $wl --csv "$tmp/run.csv" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 0 ] || fail "run --workload $wl: exit $rc: $(head -5 "$tmp/err")"
  want=$(((NV + 3) * $(echo "$wl" | awk '{print split($3, a, ",")}')))
  n=$(($(wc -l <"$tmp/run.csv") - 1))
  [ "$n" -eq "$want" ] || fail "run --workload $wl: $n rows, expected $want"
done

for wl in "seed --msg-size 255" "fixed --msg-size 1,100" "random --msg-size 8000"; do
  echo "-- run --variant all --limits --check --burst 16 --workload $wl"
  # shellcheck disable=SC2086
  timeout 240 "$B" run --variant all --limits --check --burst 16 --messages 20000 --trials 1 \
    --workload $wl --csv "$tmp/burst.csv" >/dev/null 2>"$tmp/err" ||
    fail "run --burst 16 --workload $wl: $(head -3 "$tmp/err")"
  [ "$(csv_col "$tmp/burst.csv" burst | sort -u)" = 16 ] || fail "--burst 16: burst column"
done
echo "-- a one-byte queue of bursts: the view ends at the watermark"
timeout 60 "$B" run --variant all --check --burst 7 --workload random --msg-size 30 \
  --queue-size 64 --messages 20000 --trials 1 >/dev/null 2>"$tmp/err" ||
  fail "run --burst 7 in 64 bytes: $(head -3 "$tmp/err")"

for r in none first last all; do
  echo "-- run --read $r"
  timeout 240 "$B" run --variant crate,cached-pad128-acqrel --read $r --messages 20000 \
    --trials 1 >/dev/null 2>"$tmp/err" || fail "run --read $r: $(head -3 "$tmp/err")"
done

echo "-- latency --variant all --limits"
timeout 240 "$B" latency --variant all --limits --samples 2000 --csv "$tmp/lat.csv" \
  >/dev/null 2>"$tmp/err" || fail "latency: $(head -3 "$tmp/err")"
# Every variant, limit-c2c and limit-futex.
[ "$(($(wc -l <"$tmp/lat.csv") - 1))" -eq $((NV + 2)) ] || fail "latency: expected $((NV + 2)) rows"

echo "-- soak --variant all"
timeout 240 "$B" soak --seconds 0.3 --variant all >"$tmp/soak" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || fail "soak: exit $rc: $(head -3 "$tmp/err")"
[ "$(grep -c ' 0 mismatches' "$tmp/soak")" -eq "$NV" ] || fail "soak: not $NV clean variants"
cat "$tmp/soak"

# Placements: each one the machine gives must run; each it cannot give must
# be refused with exit 2, never substituted.
for p in auto smt core l3 cross-l3 numa; do
  timeout 120 "$B" run --variant cached-pad64-acqrel --pair $p --messages 5000 --trials 1 \
    --csv "$tmp/p.csv" >/dev/null 2>"$tmp/err"
  rc=$?
  if grep -qE "^  $p +unavailable" "$tmp/topo"; then
    if [ $rc -ne 2 ] || ! grep -q "^bipbench: --pair: $p: " "$tmp/err"; then
      fail "--pair $p (unavailable here): exit $rc, $(head -1 "$tmp/err")"
    else
      echo "ok: --pair $p refused: $(head -1 "$tmp/err")"
    fi
  else
    pus=$(grep -E "^  $p " "$tmp/topo" | awk '{print $2}' | tr -d :)
    if [ $rc -ne 0 ] || [ "$(csv_col "$tmp/p.csv" producer_pu),$(csv_col "$tmp/p.csv" consumer_pu)" != "$pus" ]; then
      fail "--pair $p: exit $rc, or not on PUs $pus: $(head -1 "$tmp/err")"
    else
      echo "ok: --pair $p ran on PUs $pus"
    fi
  fi
done
first=$(awk '/PUs \(OS index/ {getline; split($1, a, ":"); print a[1]; exit}' "$tmp/topo")
second=$(awk '/PUs \(OS index/ {getline; split($2, a, ":"); print a[1]; exit}' "$tmp/topo")
timeout 120 "$B" run --variant cached-pad64-acqrel --pair "$second,$first" --messages 5000 \
  --trials 1 --csv "$tmp/p.csv" >/dev/null 2>"$tmp/err" || fail "--pair $second,$first"
[ "$(csv_col "$tmp/p.csv" producer_pu),$(csv_col "$tmp/p.csv" consumer_pu),$(csv_col "$tmp/p.csv" placement)" = "$second,$first,explicit" ] ||
  fail "--pair $second,$first: wrong PUs"

finish
