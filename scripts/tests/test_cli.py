#!/usr/bin/env python3
"""test_cli - scripts/compare, scripts/ablate (what needs no build) and
scripts/index as a user runs them: reports on synthetic results, --help, and
bad input, which must print one line, exit 2 and write nothing."""

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402  (first: it sets up the path and the interpreter)

COMPARE = os.path.join(synth.SCRIPTS, "compare")
ABLATE = os.path.join(synth.SCRIPTS, "ablate")
INDEX = os.path.join(synth.SCRIPTS, "index")
RESULTS = os.path.join(os.path.dirname(synth.SCRIPTS), "results")


def run(script, *args, cwd=None):
    return subprocess.run([sys.executable, script, *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name
        rng = synth.rng(5)
        rates = {synth.CRATE: 5e7, synth.DEFAULT: 6e7, "peer-ck-ring": 2e7}
        self.a = os.path.join(self.d, "a")
        self.b = os.path.join(self.d, "b")
        os.mkdir(self.a)
        os.mkdir(self.b)
        synth.write(os.path.join(self.a, "seed.csv"), synth.paired_run(rng, rates, 8, 0.03))
        rates_b = dict(rates)
        rates_b[synth.DEFAULT] = 7.2e7
        synth.write(os.path.join(self.b, "seed.csv"), synth.paired_run(rng, rates_b, 8, 0.03))
        self.c = synth.write(os.path.join(self.d, "fixed.csv"),
                             synth.paired_run(rng, rates, 8, 0.03, workload="fixed", msg_size=8))

    def tearDown(self):
        self.tmp.cleanup()

    def bad(self, p, *want):
        """Exit 2, one line on stderr naming what is wrong, nothing on stdout."""
        self.assertEqual(p.returncode, 2, p.stderr)
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 1, p.stderr)
        for w in want:
            self.assertIn(w, lines[0])
        self.assertEqual(p.stdout, "")

    def listing(self):
        out = []
        for root, dirs, files in os.walk(self.d):
            out += [os.path.join(root, f) for f in files + dirs]
        return sorted(out)


class Compare(Case):
    def test_paired_ratios_of_one_run(self):
        p = run(COMPARE, self.a)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("paired ratios to uncached-pad64-acqrel", p.stdout)
        self.assertIn("Wilcoxon signed-rank", p.stdout)
        self.assertIn("order statistics", p.stdout)
        row = [ln for ln in p.stdout.splitlines() if f"| {synth.DEFAULT} |" in ln]
        self.assertEqual(len(row), 1)
        self.assertIn("| faster |", row[0])
        self.assertIn("| 99.2% |", row[0])  # 8 rounds: [min, max], 1 - 2/256
        for alias in ("crate", "seed"):
            self.assertEqual(run(COMPARE, self.a, "--baseline", alias).stdout, p.stdout)

    def test_crate_design_is_the_baseline_where_a_file_has_it(self):
        # a file of today: crate-design and uncached-pad64-acqrel (the same
        # choices with the levers) both ran; the crate's design is the first
        rates = {"crate-design": 4e7, synth.CRATE: 5e7, synth.DEFAULT: 8e7}
        new = synth.write(os.path.join(self.d, "new.csv"),
                          synth.paired_run(synth.rng(7), rates, 8, 0.02))
        p = run(COMPARE, new, "--format", "csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {r["entry"]: r for r in csv.DictReader(io.StringIO(p.stdout))}
        self.assertEqual(set(rows), {synth.CRATE, synth.DEFAULT})
        self.assertEqual(rows[synth.DEFAULT]["a"], "crate-design")
        self.assertAlmostEqual(float(rows[synth.DEFAULT]["ratio"]), 2.0, delta=0.1)
        self.assertAlmostEqual(float(rows[synth.CRATE]["ratio"]), 1.25, delta=0.07)
        p = run(COMPARE, new)
        self.assertIn("paired ratios to crate-design (the crate's design)", p.stdout)
        # an old file and a new one in one folder: each divides by its own,
        # and the report names both
        both = os.path.join(self.d, "both")
        os.mkdir(both)
        os.rename(new, os.path.join(both, "fixed.csv"))
        with open(os.path.join(self.a, "seed.csv")) as f, \
                open(os.path.join(both, "seed.csv"), "w") as g:
            g.write(f.read())
        p = run(COMPARE, both)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("paired ratios to crate-design/uncached-pad64-acqrel (the crate's design; "
                      "uncached-pad64-acqrel in files without crate-design)", p.stdout)

    def test_two_runs(self):
        p = run(COMPARE, self.a, self.b, "--format", "csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {r["entry"]: r for r in csv.DictReader(io.StringIO(p.stdout))}
        self.assertEqual(set(rows), {synth.CRATE, synth.DEFAULT, "peer-ck-ring"})
        r = rows[synth.DEFAULT]
        self.assertEqual(r["verdict"], "faster")
        self.assertIn("Mann-Whitney", r["method"])
        # sends/s of two runs carry each round's machine state (10% here)
        self.assertAlmostEqual(float(r["ratio"]), 1.2, delta=0.25)
        self.assertLess(float(r["ci_low"]), float(r["ratio"]))
        self.assertEqual((r["n_a"], r["n_b"], r["noise"]), ("8", "8", "clean"))
        # against the crate of the same round, it cancels
        p = run(COMPARE, self.a, self.b, "--baseline", "crate", "--format", "csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = {r["entry"]: r for r in csv.DictReader(io.StringIO(p.stdout))}
        r = rows[synth.DEFAULT]
        self.assertEqual((r["unit"], r["verdict"]), ("x uncached-pad64-acqrel", "faster"))
        self.assertAlmostEqual(float(r["ratio"]), 1.2, delta=0.05)
        self.assertEqual(rows["peer-ck-ring"]["verdict"], "no difference shown")

    def test_out_is_written_whole(self):
        out = os.path.join(self.d, "report.md")
        p = run(COMPARE, self.a, self.b, "--out", out)
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)
        with open(out) as f:
            self.assertEqual(f.read(), run(COMPARE, self.a, self.b).stdout)
        self.assertEqual([f for f in os.listdir(self.d) if f.startswith(".tmp")], [])

    def test_out_that_is_an_input_is_refused(self):
        # the same file, a symbolic link to it, a hard link to it, a file in an
        # input folder: each refused before anything is read or written
        seed = os.path.join(self.a, "seed.csv")
        sym = os.path.join(self.d, "sym.csv")
        hard = os.path.join(self.d, "hard.csv")
        os.symlink(seed, sym)
        os.link(seed, hard)
        before = self.listing()
        with open(seed, "rb") as f:
            data = f.read()
        for inputs, out in (([seed], seed), ([seed], sym), ([sym], hard), ([self.a], seed),
                            ([self.b, self.a], hard), ([self.a, self.b], sym)):
            self.bad(run(COMPARE, *inputs, "--out", out), f"--out {out} is the input",
                     "would destroy the data")
            with open(seed, "rb") as f:
                self.assertEqual(f.read(), data)
        self.assertEqual(self.listing(), before)
        # beside the inputs, or in an input folder under a new name: written
        p = run(COMPARE, self.a, "--out", os.path.join(self.a, "report.md"))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_builds(self):
        rows = synth.ablation_rows(synth.rng(3), 5e7, 4e7, 7, 0.03)
        path = synth.write(os.path.join(self.d, "ablation.csv"), rows)
        p = run(COMPARE, path, "--format", "csv")
        self.assertEqual(p.returncode, 0, p.stderr)
        (r,) = list(csv.DictReader(io.StringIO(p.stdout)))
        self.assertEqual((r["a"], r["b"], r["verdict"], r["n_a"]), ("A", "B", "slower", "7"))
        self.bad(run(COMPARE, path, "--baseline", "C"), "unknown baseline build 'C'")

    def test_bad_input(self):
        before = self.listing()
        empty = os.path.join(self.d, "empty")
        os.mkdir(empty)
        with open(os.path.join(empty, "notes.csv"), "w") as f:
            f.write("a,b\n1,2\n")
        before = self.listing()
        out = os.path.join(self.d, "out.md")
        missing = os.path.join(self.d, "missing")
        self.bad(run(COMPARE, missing, "--out", out), "no such file or folder", missing)
        self.bad(run(COMPARE, self.a, missing, "--out", out), "no such file or folder")
        self.bad(run(COMPARE, empty, "--out", out), "no bipbench run CSV")
        self.bad(run(COMPARE, self.a, self.c, "--out", out), "no entry in common")
        self.bad(run(COMPARE, self.a, "--baseline", "nope", "--out", out),
                 "unknown baseline 'nope'")
        self.bad(run(COMPARE, self.a, self.b, "--baseline", "nope", "--out", out),
                 "unknown baseline 'nope'")
        self.bad(run(COMPARE, self.a, self.b, self.c), "one or two inputs")
        self.bad(run(COMPARE, self.a, "--format", "html"), "--format")
        self.bad(run(COMPARE), "required")
        self.bad(run(COMPARE, self.a, "--out", os.path.join(missing, "x.md")), "no such folder")
        self.assertEqual(self.listing(), before)

    def test_help(self):
        p = run(COMPARE, "--help")
        self.assertEqual(p.returncode, 0)
        for w in ("--baseline", "--format", "--out", "Mann-Whitney", "exits 2"):
            self.assertIn(w, p.stdout)


class Ablate(Case):
    def test_bad_input_before_building(self):
        before = self.listing()
        out = os.path.join(self.d, "abl")
        self.bad(run(ABLATE, "--ref", "no-such-ref-xyz", "--ref", "HEAD", "--out", out),
                 "unknown git ref 'no-such-ref-xyz'")
        self.bad(run(ABLATE, "--ref", "HEAD", "--out", out), "two --ref")
        self.bad(run(ABLATE, "--flags", "-DX=1", "--flags", "-DX=2", "--flags", "", "--out", out),
                 "two --flags")
        self.bad(run(ABLATE, "--flags", "-DX=1", "--flags", "", "--trials", "3"), "--trials")
        self.bad(run(ABLATE, "--flags", "-DX=1", "--flags", "", "--csv", "x.csv"), "--csv")
        self.bad(run(ABLATE, "--flags", "-DX=1", "--flags", "", "--rounds", "0"), "--rounds")
        self.bad(run(ABLATE, "--flags", "-DX=1", "--flags", "", "--seed", "-1"), "--seed")
        self.bad(run(ABLATE, "--flags", "-DX=1", "--flags", "", "--out", self.a),
                 "exists and is not empty")
        self.bad(run(ABLATE, "--flags", "-DX=1", "--flags", "", "--rounds"), "--rounds needs")
        self.assertEqual(self.listing(), before)

    def test_help(self):
        p = run(ABLATE, "--help")
        self.assertEqual(p.returncode, 0)
        for w in ("--ref", "--flags", "--rounds", "--seed", "--work", "NOTE.md", "report.md"):
            self.assertIn(w, p.stdout)


class Index(Case):
    def test_synthetic_results(self):
        res = os.path.join(self.d, "results")
        good = os.path.join(res, "2030-01-01-box")
        os.makedirs(good)
        rng = synth.rng(9)
        rows = synth.paired_run(rng, {synth.CRATE: 5e7, synth.DEFAULT: 6e7,
                                      "cached-pad64-acqrel": 6.5e7}, 6, 0.03)
        rows += [synth.row("limit-c2c", k, 3e7, workload="c2c", hop_ns="33.5", kind="limit")
                 for k in (1, 2, 3)]
        synth.write(os.path.join(good, "seed.csv"), rows)
        with open(os.path.join(good, "seed.json"), "w") as f:
            f.write('{"tool": "bipbench", "date_utc": "2030-01-01T10:00:00Z", '
                    '"git_commit": "0123456789abcdef0123456789abcdef01234567", '
                    '"machine": {"cpu_model": "Test CPU | 9000", "cores": 4}}')
        old = os.path.join(res, "2029-old")
        os.makedirs(old)
        with open(os.path.join(old, "sweep.csv"), "w") as f:
            f.write("variant,workload,msg_size,trial,sends_per_sec\ncrate,fixed,8,1,1e7\n")
        os.makedirs(os.path.join(res, "2029-empty"))
        broken = os.path.join(res, "2029-broken")
        os.makedirs(broken)
        with open(os.path.join(broken, "seed.json"), "w") as f:
            f.write("{not json")
        with open(os.path.join(broken, "seed.csv"), "w") as f:
            f.write("variant,workload,msg_size,trial,sends_per_sec\nx,seed,255,one,1\n")
        abl = os.path.join(res, "2030-01-02-ablate-x")
        os.makedirs(abl)
        synth.write(os.path.join(abl, "ablation.csv"),
                    synth.ablation_rows(synth.rng(4), 5e7, 6e7, 7, 0.03))
        p = run(INDEX, res)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(res, "INDEX.md")) as f:
            text = f.read()
        for name in ("2030-01-01-box", "2029-old", "2029-empty", "2029-broken"):
            self.assertIn(f"## {name}", text)
        self.assertIn("Test CPU \\| 9000, 4 cores", text)  # escaped in the table
        self.assertIn("0123456", text)
        self.assertIn("33.5 ns", text)
        self.assertIn("cached-pad128-acqrel (default)", text)
        self.assertIn("cached-pad64-acqrel (best variant)", text)
        self.assertIn("96.9%", text)  # 6 rounds
        self.assertIn("no bipbench JSON metadata", text)
        self.assertIn("unreadable:", text)
        self.assertIn("unknown: no trial shows noise", text)
        self.assertIn("clean", text)
        self.assertIn("an ablation of builds A, B (ablation.csv): B against A, 1 conditions, "
                      "1 faster", text)
        # the same folders give the same file
        p2 = run(INDEX, res, "--out", os.path.join(self.d, "again.md"))
        self.assertEqual(p2.returncode, 0, p2.stderr)
        with open(os.path.join(self.d, "again.md")) as f:
            self.assertEqual(f.read(), text)

    def test_noise_is_counted_by_rule(self):
        # A trial whose distance probes disagree is noisy by rule 4, and the
        # index says so: not "preempted", which it is not.
        res = os.path.join(self.d, "results")
        box = os.path.join(res, "2030-01-02-box")
        os.makedirs(box)
        cols = list(synth.NEW_COLUMNS) + ["producer_wait_ns", "consumer_wait_ns",
                                          "distance_before_ns", "distance_after_ns"]
        rows = []
        for k in (1, 2, 3, 4, 5, 6):
            for v in (synth.CRATE, synth.DEFAULT):
                moved = v == synth.DEFAULT and k == 2
                waited = v == synth.DEFAULT and k == 4
                rows.append(synth.row(v, k, 5e7, columns=cols, noisy=int(moved or waited),
                                      producer_wait_ns=5_000_000 if waited else 0,
                                      consumer_wait_ns=0, distance_before_ns=40,
                                      distance_after_ns=200 if moved else 41))
        synth.write(os.path.join(box, "seed.csv"), rows, columns=cols)
        out = os.path.join(self.d, "INDEX.md")
        r = run(INDEX, res, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        line = [x for x in open(out).read().splitlines() if x.startswith("- noise: ")]
        self.assertEqual(line, ["- noise: noisy: 2 of 12 trials (1 moved distance during the "
                                "trial (probes over 1.5x apart), 1 waited for their CPU over "
                                "3% of the trial)"])

    def test_committed_results(self):
        out = os.path.join(self.d, "INDEX.md")
        p = run(INDEX, RESULTS, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out) as f:
            text = f.read()
        for name in sorted(os.listdir(RESULTS)):
            if os.path.isdir(os.path.join(RESULTS, name)):
                self.assertIn(f"## {name}", text)
        self.assertNotIn("could not be read", text)

    def test_bad_input(self):
        self.bad(run(INDEX, os.path.join(self.d, "nope")), "no such folder")

    def test_out_that_is_an_input_is_refused(self):
        res = os.path.join(self.d, "results")
        os.makedirs(os.path.join(res, "box"))
        shutil.copy(os.path.join(self.a, "seed.csv"), os.path.join(res, "box", "seed.csv"))
        seed = os.path.join(res, "box", "seed.csv")
        with open(seed, "rb") as f:
            data = f.read()
        self.bad(run(INDEX, res, "--out", seed), f"--out {seed} is the input")
        with open(seed, "rb") as f:
            self.assertEqual(f.read(), data)
        self.assertFalse(os.path.exists(os.path.join(res, "INDEX.md")))

    def test_hostile_folder_names_are_text(self):
        # a folder name that would be a live link, raw HTML, a table cell's
        # end and emphasis if written as it is
        res = os.path.join(self.d, "results")
        name = '[x|y](javascript:alert(1))<b>*e*_u_`c`'
        os.makedirs(os.path.join(res, name))
        shutil.copy(os.path.join(self.a, "seed.csv"), os.path.join(res, name, "seed.csv"))
        with open(os.path.join(res, name, "NOTE.md"), "w") as f:
            f.write("x\n")
        p = run(INDEX, res)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(res, "INDEX.md")) as f:
            text = f.read()
        for raw in ("<b>", "](javascript:", "[x|y]", "*e*", "`c`"):
            self.assertNotIn(raw, text)
        self.assertIn("\\[x\\|y\\]\\(javascript:alert\\(1\\)\\)&lt;b&gt;\\*e\\*", text)
        self.assertIn("(%5Bx%7Cy%5D%28javascript%3Aalert%281%29%29%3Cb%3E%2Ae%2A_u_%60c%60/NOTE.md)",
                      text)
        # every table row has as many cells as its header
        rows = [ln for ln in text.splitlines() if ln.startswith("| [")]
        self.assertTrue(rows)
        for ln in rows:
            self.assertEqual(ln.replace("\\|", "").count("|"), 9, ln)


if __name__ == "__main__":
    unittest.main(verbosity=2)
