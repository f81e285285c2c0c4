#!/usr/bin/env python3
"""test_agree - bipbench's own summary and scripts/compare give the same
paired ratios. bipbench computes the median of the per-round ratios to
--baseline and its distribution-free interval in C (--summary-csv); the
scripts compute them with scipy from the run CSV. A tiny functional run
(2000 messages, 7 trials, two entries); no timing is looked at.

  test_agree.py BIPBENCH

Skips (exit 77) where bipbench has no --summary-csv, or the machine has one
core.
"""

import csv
import io
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402  (first: it sets up the path and the interpreter)

COMPARE = os.path.join(synth.SCRIPTS, "compare")


def main(bench):
    helptext = subprocess.run([bench, "run", "--help"], capture_output=True, text=True).stdout
    if "--summary-csv" not in helptext or "--baseline" not in helptext:
        print("SKIP: this bipbench has no --summary-csv and --baseline")
        return 77
    topo = subprocess.run([bench, "topo"], capture_output=True, text=True).stdout
    if re.search(r"^  core +unavailable", topo, re.M):
        print("SKIP: this machine has one core: no producer/consumer pair on two cores")
        return 77
    fails = 0
    with tempfile.TemporaryDirectory() as d:
        run_csv, summ = os.path.join(d, "r.csv"), os.path.join(d, "s.csv")
        p = subprocess.run([bench, "run", "--variant", "crate,cached-pad128-acqrel",
                            "--trials", "7", "--messages", "2000", "--baseline", "crate",
                            "--csv", run_csv, "--summary-csv", summ],
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            print(f"FAIL: bipbench run exited {p.returncode}:\n{p.stderr}")
            return 1
        with open(summ, newline="") as f:
            c_rows = {r["variant"]: r for r in csv.DictReader(f)
                      if r["ratio"] and r["variant"] != r["baseline"]}
        p = subprocess.run([sys.executable, COMPARE, run_csv, "--baseline", "crate",
                            "--format", "csv"], capture_output=True, text=True)
        if p.returncode != 0:
            print(f"FAIL: compare exited {p.returncode}: {p.stderr}")
            return 1
        py_rows = {r["entry"]: r for r in csv.DictReader(io.StringIO(p.stdout))}
        if set(c_rows) != set(py_rows) or not c_rows:
            print(f"FAIL: entries differ: bipbench {sorted(c_rows)}, compare {sorted(py_rows)}")
            return 1
        for e, c in c_rows.items():
            py = py_rows[e]
            pairs = (("ratio", "ratio"), ("ratio_lo", "ci_low"), ("ratio_hi", "ci_high"),
                     ("ratio_coverage", "coverage"))
            for ck, pk in pairs:
                a, b = float(c[ck]), float(py[pk])
                if abs(a - b) > 1e-4 * max(1.0, abs(a)):
                    print(f"FAIL: {e}: bipbench {ck} {a}, compare {pk} {b}")
                    fails += 1
            if int(c["ratio_rounds"]) != int(py["n_a"]):
                print(f"FAIL: {e}: rounds {c['ratio_rounds']} against {py['n_a']}")
                fails += 1
            print(f"{e}: {c['ratio']} [{c['ratio_lo']}, {c['ratio_hi']}] "
                  f"{c['ratio_coverage']} over {c['ratio_rounds']} rounds, in both")
    print(f"{fails} failure(s)")
    return 1 if fails else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
