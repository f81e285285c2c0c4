# common.sh - what bipbench's shell tests share. Each test sources it with
# its watchdog in seconds:
#   . "$(dirname "$0")/common.sh" BIPBENCH WATCHDOG_SECONDS
# and ends with `finish`. fail() counts a failure and goes on, so one run
# reports every failure. BIPBENCH_VARIANT_COUNT (set by CTest from the
# generated variant list) is how many variants `bipbench list` must show.
B=$1
NV=${BIPBENCH_VARIANT_COUNT:?set by CTest: the number of variants}
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

# csv_col FILE NAME: the values of column NAME (found by its header), one per
# row; exits the test if the column is missing.
csv_col() {
  python3 - "$1" "$2" <<'PY' || { echo "FAIL: $1: no column $2"; exit 1; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
if rows and sys.argv[2] not in rows[0]:
    sys.exit(1)
for r in rows:
    print(r[sys.argv[2]])
PY
}

finish() {
  echo "$fails failure(s)"
  [ $fails -eq 0 ]
}
