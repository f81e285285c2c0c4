#!/usr/bin/env python3
"""test_stats - the statistics of scripts/lib/bipstats.py on synthetic run
CSVs whose answer is known (scripts/tests/synth.py), through the same loading
and pairing code the scripts use. Every simulation is seeded, so the test is
deterministic; the thresholds below are what it asserts, and why.

  power       a 10% shift, lognormal noise of CV 3% per trial, 10 rounds:
              "faster" in at least 95% of 200 simulations (paired within a
              run, and unpaired between two runs of 10 trials each).
  false pos.  identical distributions, 10 rounds: anything but "no difference
              shown" in at most 5% + 3 standard errors of a 5% rate over 400
              simulations (5% + 3.3% = 8.3%): a correct 5%-level rule fails
              this with probability below 0.2%, a rule at 10% almost always.
              (Paired, the rule's rate is at most 2.1% at 10 rounds.)
  coverage    the paired interval covers the true ratio at its stated
              coverage, within 3 standard errors, over 1000 simulations, at
              10 rounds (97.85%) and at 5 ([min, max], 93.75%).
"""

import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402  (first: it sets up the path and the interpreter)
import bipstats as bs  # noqa: E402
import numpy as np  # noqa: E402

CV = 0.03
ROUNDS = 10
SHIFT = 1.10
POWER = 0.95
SIMS_POWER = 200
SIMS_NULL = 400
SIMS_COVER = 1000
ALPHA = 0.05
NULL_LIMIT = ALPHA + 3 * math.sqrt(ALPHA * (1 - ALPHA) / SIMS_NULL)


def three_se(p, n):
    return 3 * math.sqrt(p * (1 - p) / n)


class OrderStatistics(unittest.TestCase):
    def test_ranks_and_coverage(self):
        # (n, lower rank, upper rank, coverage), by hand from Binomial(n, 1/2).
        want = [(1, 1, 1, 0.0), (2, 1, 2, 0.5), (5, 1, 5, 1 - 2 / 32),
                (6, 1, 6, 1 - 2 / 64), (8, 1, 8, 1 - 2 / 256),
                (9, 2, 8, 1 - 2 * 10 / 512), (10, 2, 9, 1 - 2 * 11 / 1024),
                (12, 3, 10, 1 - 2 * 79 / 4096)]
        for n, lo, hi, cov in want:
            k_lo, k_hi, c = bs.order_stat_ranks(n)
            self.assertEqual((k_lo, k_hi), (lo, hi), f"n={n}")
            self.assertAlmostEqual(c, cov, places=12, msg=f"n={n}")

    def test_at_least_95_from_6(self):
        for n in range(6, 200):
            self.assertGreaterEqual(bs.order_stat_ranks(n)[2], 0.95, f"n={n}")
        for n in range(1, 6):
            self.assertLess(bs.order_stat_ranks(n)[2], 0.95, f"n={n}")

    def test_few_rounds_report_min_max_and_actual_coverage(self):
        iv = bs.median_interval([1.3, 1.1, 1.2, 1.5, 1.05])
        self.assertEqual((iv.low, iv.high, iv.n), (1.05, 1.5, 5))
        self.assertAlmostEqual(iv.coverage, 0.9375)
        self.assertAlmostEqual(iv.median, 1.2)


class Verdict(unittest.TestCase):
    def test_rule(self):
        self.assertEqual(bs.verdict(1.01, 1.2, 0.01), bs.FASTER)
        self.assertEqual(bs.verdict(0.8, 0.99, 0.01), bs.SLOWER)
        self.assertEqual(bs.verdict(0.99, 1.2, 0.01), bs.NO_DIFF)
        self.assertEqual(bs.verdict(1.01, 1.2, 0.05), bs.NO_DIFF)  # p must be < 0.05
        self.assertEqual(bs.verdict(None, None, 0.01), bs.NO_DIFF)
        self.assertEqual(bs.verdict(1.01, 1.2, None), bs.NO_DIFF)

    def test_five_rounds_never_decide(self):
        # Every ratio far above 1, but 5 rounds: the smallest two-sided p of a
        # signed-rank test is 2/32.
        rows = []
        for k in range(1, 6):
            rows += [synth.row(synth.CRATE, k, 1e7), synth.row(synth.DEFAULT, k, 2e7 + k)]
        with tempfile.TemporaryDirectory() as d:
            r = bs.paired_to_baseline(bs.load(synth.write(os.path.join(d, "r.csv"), rows)))
        self.assertEqual(len(r), 1)
        self.assertAlmostEqual(r[0].p, 0.0625)
        self.assertEqual(r[0].verdict, bs.NO_DIFF)
        self.assertAlmostEqual(r[0].coverage, 0.9375)


def paired_verdicts(seed, shift, sims, rounds=ROUNDS):
    """Verdicts of DEFAULT against the crate, paired within simulated runs."""
    rng = synth.rng(seed)
    out = []
    with tempfile.TemporaryDirectory() as d:
        for i in range(sims):
            rows = synth.paired_run(rng, {synth.CRATE: 5e7, synth.DEFAULT: 5e7 * shift},
                                    rounds, CV)
            path = synth.write(os.path.join(d, f"run{i}.csv"), rows)
            res = bs.paired_to_baseline(bs.load(path), "crate")
            assert len(res) == 1 and res[0].n_a == rounds
            out.append(res[0].verdict)
    return out


def unpaired_verdicts(seed, shift, sims, trials=ROUNDS):
    """Verdicts of run B against run A, each its own run (nothing paired)."""
    rng = synth.rng(seed)
    out = []
    with tempfile.TemporaryDirectory() as d:
        for i in range(sims):
            a = synth.write(os.path.join(d, f"a{i}.csv"),
                            synth.unpaired_run(rng, {synth.CRATE: 5e7}, trials, CV))
            b = synth.write(os.path.join(d, f"b{i}.csv"),
                            synth.unpaired_run(rng, {synth.CRATE: 5e7 * shift}, trials, CV))
            res = bs.unpaired(bs.load(a), bs.load(b))
            assert len(res) == 1 and (res[0].n_a, res[0].n_b) == (trials, trials)
            out.append(res[0].verdict)
    return out


def builds_verdicts(seed, shift, sims, rounds=ROUNDS):
    """scripts/ablate's comparison: builds A and B in interleaved rounds."""
    rng = synth.rng(seed)
    out = []
    with tempfile.TemporaryDirectory() as d:
        for i in range(sims):
            rows = synth.ablation_rows(rng, 5e7, 5e7 * shift, rounds, CV)
            path = synth.write(os.path.join(d, f"ab{i}.csv"), rows)
            res = bs.paired_builds(bs.load(path), "A", "B")
            assert len(res) == 1 and res[0].n_a == rounds
            out.append(res[0].verdict)
    return out


class Power(unittest.TestCase):
    def check(self, verdicts, label):
        power = verdicts.count(bs.FASTER) / len(verdicts)
        print(f"power, {label}: {power:.3f} (asserted >= {POWER})")
        self.assertGreaterEqual(power, POWER, label)
        self.assertEqual(verdicts.count(bs.SLOWER), 0, label)

    def test_paired_within_a_run(self):
        self.check(paired_verdicts(11, SHIFT, SIMS_POWER), "paired within a run")

    def test_builds(self):
        self.check(builds_verdicts(12, SHIFT, SIMS_POWER), "two builds, interleaved")

    def test_unpaired_runs(self):
        self.check(unpaired_verdicts(13, SHIFT, SIMS_POWER), "two runs, unpaired")

    def test_slower(self):
        v = paired_verdicts(14, 1 / SHIFT, SIMS_POWER)
        self.assertGreaterEqual(v.count(bs.SLOWER) / len(v), POWER)


class FalsePositives(unittest.TestCase):
    def check(self, verdicts, label):
        rate = sum(1 for v in verdicts if v != bs.NO_DIFF) / len(verdicts)
        print(f"flagged with no difference, {label}: {rate:.3f} (asserted <= {NULL_LIMIT:.3f})")
        self.assertLessEqual(rate, NULL_LIMIT, label)

    def test_paired_within_a_run(self):
        self.check(paired_verdicts(21, 1.0, SIMS_NULL), "paired within a run")

    def test_builds(self):
        self.check(builds_verdicts(22, 1.0, SIMS_NULL), "two builds, interleaved")

    def test_unpaired_runs(self):
        self.check(unpaired_verdicts(23, 1.0, SIMS_NULL), "two runs, unpaired")


class Coverage(unittest.TestCase):
    def check(self, n, seed):
        rng = synth.rng(seed)
        s = synth.sigma(CV)
        hits, stated = 0, None
        for _ in range(SIMS_COVER):
            # The ratio of two lognormals around 1.0 and SHIFT has median SHIFT.
            a = np.exp(rng.normal(0, s, n))
            b = SHIFT * np.exp(rng.normal(0, s, n))
            iv = bs.median_interval(b / a)
            stated = iv.coverage
            hits += iv.low <= SHIFT <= iv.high
        got = hits / SIMS_COVER
        tol = three_se(stated, SIMS_COVER)
        print(f"coverage at n={n}: {got:.3f} (stated {stated:.4f}, tolerance {tol:.3f})")
        self.assertLessEqual(abs(got - stated), tol)

    def test_ten_rounds(self):
        self.check(10, 31)

    def test_five_rounds(self):
        self.check(5, 32)

    def test_seven_rounds(self):
        self.check(7, 33)


if __name__ == "__main__":
    unittest.main(verbosity=2)
