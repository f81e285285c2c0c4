#!/usr/bin/env bash
# test_env.sh BIPBENCH - `bipbench env` on fake /proc and /sys trees
# (BIPBENCH_PROC, BIPBENCH_SYS): a quiet, tuned machine gives OK on every
# check; a busy, untuned one gives WARN on each, with its reason and fix.
# The topology is synthetic (two cores), so the pair is 0,1 anywhere.
set -u
. "$(dirname "$0")/common.sh" "$1" 60
syn="pack:1 l3:1 core:2 pu:1"

# tree DIR: the files every check reads, for a quiet, tuned bare-metal box.
tree() {
  local d=$1
  mkdir -p "$d/proc/sys/kernel" "$d/sys/devices/system/cpu/intel_pstate" \
    "$d/sys/devices/system/cpu/smt" "$d/sys/kernel/mm/transparent_hugepage"
  cat >"$d/proc/cpuinfo" <<'CPU'
processor	: 0
vendor_id	: GenuineIntel
cpu family	: 6
model		: 207
model name	: Test CPU @ 2.00GHz
stepping	: 2
microcode	: 0x2b000590
flags		: fpu vme de pse tsc msr

processor	: 1
CPU
  echo "6.1.0-test" >"$d/proc/sys/kernel/osrelease"
  echo "0.01 0.02 0.00 1/123 4242" >"$d/proc/loadavg"
  printf 'cpu  1 0 1 1000 0 0 0 0 0 0\ncpu0 1 0 1 500 0 0 0 0 0 0\ncpu1 1 0 1 500 0 0 0 0 0 0\n' \
    >"$d/proc/stat"
  for c in 0 1; do
    mkdir -p "$d/sys/devices/system/cpu/cpu$c/cpufreq"
    echo performance >"$d/sys/devices/system/cpu/cpu$c/cpufreq/scaling_governor"
  done
  echo 0-1 >"$d/sys/devices/system/cpu/online"
  echo 1 >"$d/sys/devices/system/cpu/intel_pstate/no_turbo"
  echo 0 >"$d/sys/devices/system/cpu/smt/active"
  echo 0-1 >"$d/sys/devices/system/cpu/isolated"
  echo 0-1 >"$d/sys/devices/system/cpu/nohz_full"
  echo "always [madvise] never" >"$d/sys/kernel/mm/transparent_hugepage/enabled"
  # A user process allowed everywhere, and a kernel thread bound to CPU 1:
  # neither counts.
  task "$d" 100 100 free S 0 0-1
  task "$d" 7 7 kworker/1:0 S 2097152 1
}

# task DIR PID TID COMM STATE FLAGS CPUS: a thread's stat and status.
task() {
  local t=$1/proc/$2/task/$3
  mkdir -p "$t"
  # stat: pid (comm) state, then fields 4.. ; field 9 = flags, field 39 = processor.
  local f="" i
  for i in $(seq 4 38); do
    if [ "$i" -eq 9 ]; then f="$f $6"; else f="$f 0"; fi
  done
  echo "$3 ($4) $5$f 1 0" >"$t/stat"
  printf 'Name:\t%s\nCpus_allowed_list:\t%s\n' "$4" "$7" >"$t/status"
}

env_run() {
  BIPBENCH_PROC=$1/proc BIPBENCH_SYS=$1/sys "$B" env --topology-synthetic "$syn" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -eq 0 ] || fail "env: exit $rc: $(head -2 "$tmp/err")"
}

# --- quiet and tuned: every check OK ---
tree "$tmp/quiet"
env_run "$tmp/quiet"
cat "$tmp/out"
# membarrier is asked of the kernel itself (no file to fake): OK or WARN, as
# the machine running the test has it.
grep '^WARN' "$tmp/out" | grep -qv '^WARN membarrier' &&
  fail "a quiet, tuned machine got a warning: $(grep -A2 '^WARN' "$tmp/out")"
for k in cpu hypervisor kernel load other-threads governor turbo smt isolation hugepages; do
  grep -qE "^OK +$k " "$tmp/out" || fail "quiet: no OK line for $k"
done
grep -qE "^(OK|WARN) +membarrier +private expedited: (available|unavailable)" "$tmp/out" ||
  fail "quiet: no membarrier line"
grep -q "GenuineIntel family 6 model 207 stepping 2 microcode 0x2b000590" "$tmp/out" ||
  fail "cpu: vendor/family/model/stepping/microcode not reported"
grep -q "6.1.0-test" "$tmp/out" || fail "kernel release not reported"

# --- busy and untuned: each check warns, with why and fix ---
cp -r "$tmp/quiet" "$tmp/busy"
d=$tmp/busy
sed -i 's/^flags.*/flags\t\t: fpu vme hypervisor tsc/' "$d/proc/cpuinfo"
echo "2.50 2.10 1.90 4/130 4242" >"$d/proc/loadavg"
echo powersave >"$d/sys/devices/system/cpu/cpu1/cpufreq/scaling_governor"
echo 0 >"$d/sys/devices/system/cpu/intel_pstate/no_turbo"
echo 1 >"$d/sys/devices/system/cpu/smt/active"
echo "" >"$d/sys/devices/system/cpu/isolated"
echo "[always] madvise never" >"$d/sys/kernel/mm/transparent_hugepage/enabled"
task "$d" 200 201 hog R 0 1
env_run "$d"
cat "$tmp/out"
want() { # want CHECK FIXTEXT
  grep -qE "^WARN +$1 " "$tmp/out" || { fail "busy: no WARN for $1"; return; }
  grep -A2 -E "^WARN +$1 " "$tmp/out" | grep -q "why: ." || fail "busy: $1 has no reason"
  grep -A2 -E "^WARN +$1 " "$tmp/out" | grep -qF "fix: $2" || fail "busy: $1's fix is not '$2'"
}
want hypervisor "measure on bare metal"
want load "stop other work first"
want other-threads "move them (taskset -apc"
want governor "cpupower frequency-set -g performance"
want turbo "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo"
want smt "keep the chosen cores' sibling PUs idle"
want isolation "boot with isolcpus=0,1 nohz_full=0,1"
want hugepages "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled"
grep -q "200/hog" "$tmp/out" || fail "other-threads does not name the hog"
grep -q "kworker" "$tmp/out" && fail "a kernel thread was counted"

# --- AMD's boost file instead of intel_pstate ---
rm -r "$d/sys/devices/system/cpu/intel_pstate"
mkdir -p "$d/sys/devices/system/cpu/cpufreq"
echo 1 >"$d/sys/devices/system/cpu/cpufreq/boost"
env_run "$d"
want turbo "echo 0 > /sys/devices/system/cpu/cpufreq/boost"

# --- nothing exposed (a bare container): no crash, no false OK claims ---
mkdir -p "$tmp/empty/proc" "$tmp/empty/sys"
env_run "$tmp/empty"
grep -qE "^OK +governor +not exposed" "$tmp/out" || fail "empty: governor should say not exposed"
grep -qE "^OK +load +unknown" "$tmp/out" || fail "empty: load should say unknown"
finish
