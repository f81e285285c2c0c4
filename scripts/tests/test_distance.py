#!/usr/bin/env python3
"""The distance probe's columns in scripts/lib/bipstats.py and scripts/compare:
parsed, the noise rule for probes that disagree, the distance states found in
a run, and ratios split by state, on synthetic runs with known answers (a run
that spends half its rounds near and half far, where the true ratio differs
between the two)."""

import dataclasses
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402,F401  (first: it sets up the path and the interpreter)
import bipstats as bs  # noqa: E402

COMPARE = os.path.join(synth.SCRIPTS, "compare")
DIST = ["distance_ns", "distance_before_ns", "distance_after_ns"]
COLUMNS = synth.NEW_COLUMNS + DIST

# The true ratio of the default to the crate's design in each state.
NEAR, FAR = (32.0, 1.2), (240.0, 3.0)


def probed(row, before, after):
    row.update(distance_before_ns=f"{before:.1f}", distance_after_ns=f"{after:.1f}",
               distance_ns=f"{(before + after) / 2:.1f}")
    return row


def two_state_run(rng, rounds=12):
    """Rounds 1..rounds/2 near, the rest far; probes agree within each trial."""
    rows = []
    for k in range(1, rounds + 1):
        (d, ratio) = NEAR if k <= rounds // 2 else FAR
        base = 10e6 * rng.lognormal(0, 0.05)
        for entry, rate in ((synth.CRATE, base), (synth.DEFAULT, base * ratio)):
            r = synth.row(entry, k, rate * rng.lognormal(0, 0.01), columns=COLUMNS, noisy=0)
            rows.append(probed(r, d * rng.uniform(0.97, 1.03), d * rng.uniform(0.97, 1.03)))
    return rows


class Parse(unittest.TestCase):
    def test_columns_and_noise_rule(self):
        rows = [probed(synth.row(synth.CRATE, 1, 1e7, columns=COLUMNS), 30, 33),
                probed(synth.row(synth.CRATE, 2, 1e7, columns=COLUMNS), 30, 240),
                synth.row(synth.CRATE, 3, 1e7, columns=COLUMNS)]
        with tempfile.TemporaryDirectory() as d:
            a, b, c = bs.load(synth.write(os.path.join(d, "r.csv"), rows, COLUMNS))
        self.assertAlmostEqual(a.distance_ns, 31.5)
        self.assertEqual((a.distance_before_ns, a.distance_after_ns), (30.0, 33.0))
        self.assertFalse(a.noisy)
        # Probes 30 and 240 ns: the trial moved between states (no noisy column).
        self.assertTrue(b.noisy)
        self.assertIn("distance probes", b.noise_why)
        self.assertIsNone(c.distance_ns)
        self.assertTrue(bs.distance_moved(30, 46))
        self.assertFalse(bs.distance_moved(30, 44))
        self.assertFalse(bs.distance_moved(None, 44))

    def test_states(self):
        self.assertEqual(bs.distance_states([30, 31, 33, 230, 250, 1100, None]),
                         [(30, 33), (230, 250), (1100, 1100)])
        self.assertEqual(bs.distance_states([30, 40, 44]), [(30, 44)])
        self.assertEqual(bs.distance_states([]), [])


class Split(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.path = synth.write(os.path.join(cls.dir.name, "run.csv"),
                               two_state_run(synth.rng(3)), COLUMNS)
        cls.trials = bs.load(cls.path)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def test_pooled_is_flagged(self):
        (r,) = bs.paired_to_baseline(self.trials)
        self.assertTrue(r.distance_varies)
        self.assertLess(r.distance_lo, 35)
        self.assertGreater(r.distance_hi, 230)
        md = bs.format_markdown([r], "t", [])
        self.assertIn("ns apart", md)
        self.assertIn(" !", md)

    def test_by_distance(self):
        res = sorted(bs.paired_to_baseline(self.trials, by_distance=True),
                     key=lambda r: r.distance_lo)
        self.assertEqual(len(res), 2)
        for r, (d, ratio) in zip(res, (NEAR, FAR)):
            self.assertEqual(r.n_a, 6)
            self.assertFalse(r.distance_varies)
            self.assertLessEqual(r.low, ratio)
            self.assertGreaterEqual(r.high, ratio)
            self.assertTrue(r.distance_lo <= d * 1.03 and r.distance_hi >= d * 0.97)
            self.assertIn("ns", r.distance_state)
        csv_text = bs.format_csv(res)
        self.assertIn("distance_state", csv_text.splitlines()[0])

    def test_a_round_that_straddles_is_left_out(self):
        # Round 1's baseline trial ran far: that round is in no state.
        t = [dataclasses.replace(x, distance_ns=FAR[0])
             if x.trial == 1 and x.variant == synth.CRATE else x for x in self.trials]
        res = bs.paired_to_baseline(t, by_distance=True)
        self.assertEqual(sorted(r.n_a for r in res), [5, 6])

    def test_old_files_have_no_distance(self):
        rows = synth.paired_run(synth.rng(1), {synth.CRATE: 1e7, synth.DEFAULT: 2e7}, 6, 0.02)
        with tempfile.TemporaryDirectory() as d:
            trials = bs.load(synth.write(os.path.join(d, "old.csv"), rows))
        (r,) = bs.paired_to_baseline(trials)
        self.assertIsNone(r.distance_lo)
        self.assertNotIn("ns apart", bs.format_markdown([r], "t", []))
        self.assertEqual(len(bs.paired_to_baseline(trials, by_distance=True)), 0)

    def test_compare_cli(self):
        out = subprocess.run([sys.executable, COMPARE, self.path, "--by-distance"],
                             capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        rows = [l for l in out.stdout.splitlines() if l.startswith("| run.csv")]
        self.assertEqual(len(rows), 2, out.stdout)
        self.assertIn("By distance", out.stdout)
        two = subprocess.run([sys.executable, COMPARE, self.path, self.path, "--by-distance"],
                             capture_output=True, text=True)
        self.assertEqual(two.returncode, 2)
        self.assertIn("one input", two.stderr)


if __name__ == "__main__":
    unittest.main()
