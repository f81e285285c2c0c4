#!/usr/bin/env python3
"""test_ablate - scripts/ablate building real trees.

  test_ablate.py bad
      A flag set that does not build (-DBIPBUF_PAD=7, which the header
      rejects with #error): exit 2, the last line names the build and its
      flags, no output folder, no temporary folder left behind. Builds, runs
      no benchmark.
  test_ablate.py run BIPBENCH WORKDIR
      A tiny functional run: two flag sets, --messages 2000, 2 rounds,
      --variant crate, build trees kept in WORKDIR (so that later runs rebuild
      only what changed). Checks the output folder's files, not the timings.
      Skips (exit 77) where BIPBENCH topo shows no pair on two cores.
"""

import csv
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402  (first: it sets up the path and the interpreter)

ABLATE = os.path.join(synth.SCRIPTS, "ablate")
fails = []


def check(cond, what):
    if not cond:
        fails.append(what)
        print(f"FAIL: {what}")


def ablate(args, tmp):
    env = dict(os.environ, TMPDIR=tmp)
    return subprocess.run([sys.executable, ABLATE, "--jobs", "2", *args], capture_output=True,
                          text=True, env=env, timeout=280)


def bad():
    with tempfile.TemporaryDirectory() as d:
        tmp = os.path.join(d, "tmp")
        os.mkdir(tmp)
        out = os.path.join(d, "out")
        p = ablate(["--flags", "-DBIPBUF_PAD=7", "--flags", "", "--out", out, "--rounds", "2",
                    "--variant", "crate", "--messages", "2000"], tmp)
        last = p.stderr.strip().splitlines()[-1] if p.stderr.strip() else ""
        check(p.returncode == 2, f"exit status {p.returncode}, not 2: {p.stderr}")
        check("does not build" in last and "-DBIPBUF_PAD=7" in last,
              f"the last line names the build: {last!r}")
        check("BIPBUF_PAD" in last and "error" in last, f"and the error: {last!r}")
        check(p.stdout == "", f"nothing on stdout: {p.stdout!r}")
        check(not os.path.exists(out), "no output folder")
        check(os.listdir(tmp) == [], f"temporary files left: {os.listdir(tmp)}")
        check(os.listdir(d) == ["tmp"], f"files left: {os.listdir(d)}")


def functional(bipbench, work):
    topo = subprocess.run([bipbench, "topo"], capture_output=True, text=True)
    if topo.returncode != 0:
        check(False, f"bipbench topo: {topo.stderr}")
        return
    if re.search(r"^  core +unavailable", topo.stdout, re.M):
        print("SKIP: this machine has one core: no producer/consumer pair on two cores")
        sys.exit(77)
    flags = ("-DBIPBUF_PREFETCH_LINES=0", "-DBIPBUF_LAG_PAUSES=16")
    with tempfile.TemporaryDirectory() as d:
        tmp = os.path.join(d, "tmp")
        os.mkdir(tmp)
        out = os.path.join(d, "out")
        p = ablate(["--flags", flags[0], "--flags", flags[1], "--rounds", "2", "--seed", "7",
                    "--work", work, "--out", out, "--variant", "crate", "--messages", "2000"],
                   tmp)
        check(p.returncode == 0, f"exit status {p.returncode}: {p.stderr}")
        if p.returncode != 0:
            return
        check("round 1/2" in p.stderr and "left" in p.stderr, "progress with an ETA")
        check(sorted(os.listdir(out)) == ["A.json", "B.json", "NOTE.md", "ablation.csv",
                                          "report.csv", "report.md"],
              f"output files: {os.listdir(out)}")
        with open(os.path.join(out, "ablation.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        check(rows and list(rows[0])[-2:] == ["build", "round"], "build and round columns last")
        got = sorted((r["build"], r["round"], r["variant"]) for r in rows)
        want = sorted((b, str(k), "crate-design") for b in "AB" for k in (1, 2))
        check(got == want, f"one trial per build and round: {got}")
        check(len({(r["producer_pu"], r["consumer_pu"]) for r in rows}) == 1, "the same PUs")
        with open(os.path.join(out, "report.csv"), newline="") as f:
            rep = list(csv.DictReader(f))
        check(len(rep) == 1 and rep[0]["n_a"] == "2" and rep[0]["a"] == "A",
              f"report rows: {rep}")
        with open(os.path.join(out, "NOTE.md")) as f:
            note = f.read()
        for w in flags + ("seed 7", "CPU:", "command:", "--messages 2000"):
            check(w in note, f"NOTE.md says {w}")
        check(re.search(r"at [0-9a-f]{40}", note) is not None, "NOTE.md: the full commit id")
        with open(os.path.join(out, "report.md")) as f:
            md = f.read()
        check("Wilcoxon" in md and "fewer than 6 rounds" in md, "report.md states its method")
        check(p.stdout == md, "the report on stdout")
        check(os.listdir(tmp) == [], f"temporary files left: {os.listdir(tmp)}")


def main():
    if sys.argv[1:2] == ["bad"]:
        bad()
    elif sys.argv[1:2] == ["run"] and len(sys.argv) == 4:
        functional(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        return 2
    print(f"{len(fails)} failure(s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
