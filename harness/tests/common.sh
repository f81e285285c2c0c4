# common.sh - what bipbench's shell tests share. Each test sources it with
# its watchdog in seconds:
#   . "$(dirname "$0")/common.sh" BIPBENCH WATCHDOG_SECONDS
# and ends with `finish`. fail() counts a failure and goes on, so one run
# reports every failure.
B=$1
fails=0
export BIPBENCH_WATCHDOG=$2
unset BIPBENCH_TOPOLOGY_SYNTHETIC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

# need_two_cores: skip (77) where no producer/consumer pair on two cores exists.
need_two_cores() {
  "$B" topo >"$tmp/topo" || { echo "FAIL: bipbench topo"; exit 1; }
  if grep -qE '^  core +unavailable' "$tmp/topo"; then
    echo "SKIP: this machine has one core: no producer/consumer pair on two cores"
    exit 77
  fi
}

finish() {
  echo "$fails failure(s)"
  [ $fails -eq 0 ]
}
