#!/usr/bin/env python3
"""test_load - reading run CSVs by column name, old and new, and the noise
rule: lines copied from committed results (24 columns, limit-c2c rows in
ns_per_hop), files with hop_ns, migrations and noisy, columns in another
order, folders (latency.csv and other files left out), and bad files."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402,F401  (first: it sets up the path and the interpreter)
import bipstats as bs  # noqa: E402

# From results/2026-11-26-vm-3/seed.csv and results/2026-11-26-xeon16-final/seed.csv,
# as committed (before hop_ns; limit-c2c rows carry ns per hop in elapsed_ns).
OLD = """\
variant,cached,pad,order,workload,read,msg_size,queue_size,messages,trial,producer_pu,consumer_pu,relation,elapsed_ns,sends_per_sec,gb_per_sec,kind,elapsed_unit,bytes,seed,check,placement,preemptions,lag
cached-pad0-seqcst,1,0,seqcst,seed,first,255,16384,8388608,1,0,1,l3,465517955,18019945.1,4.595086,variant,ns_trial,2139095040,1,0,core,25,512
uncached-pad64-acqrel,0,64,acqrel,seed,first,255,16384,8388608,1,0,1,l3,137714546,60913013.5,15.532818,variant,ns_trial,2139095040,1,0,core,11,512
limit-c2c,,,,c2c,none,255,16384,2000000,1,0,1,l3,32.36,30902164.8,0,limit,ns_per_hop,0,1,0,core,9,
cached-pad0-seqcst,1,0,seqcst,seed,first,255,16384,4194304,5,0,1,l3,928124989,4519115.5,1.152374,variant,ns_trial,1069547520,1,0,core,4,512
limit-c2c,,,,c2c,none,255,16384,2000000,1,0,1,l3,76.06,13146971.8,0,limit,ns_per_hop,0,1,0,core,3,
"""

NEW_HEADER = OLD.splitlines()[0] + ",hop_ns,migrations,noisy"
NEW = NEW_HEADER + """
uncached-pad64-acqrel,0,64,acqrel,seed,first,255,16384,8388608,1,0,1,l3,137714546,60913013.5,15.532818,variant,ns_trial,2139095040,1,0,core,2,512,,0,0
cached-pad128-acqrel,1,128,acqrel,seed,first,255,16384,8388608,1,0,1,l3,110000000,76260552.7,19.446441,variant,ns_trial,2139095040,1,0,core,0,512,,1,1
limit-c2c,,,,c2c,none,255,16384,1000000,1,0,1,l3,64000000,31250000.0,0,limit,ns_trial,0,1,0,core,0,,32.00,0,0
peer-ck-ring,,,,seed,first,255,16384,8388608,1,0,1,l3,356000000,23563505.6,6.008694,peer,ns_trial,2139095040,1,0,core,1,,,0,1
"""

LATENCY = """\
variant,cached,pad,order,msg_size,queue_size,producer_pu,consumer_pu,relation,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,samples,min_ns,mean_ns,kind,placement
cached-pad0-seqcst,1,0,seqcst,8,16384,0,1,l3,150,160,300,900,12000,100000,120,155.2,variant,core
"""


def write(d, name, text):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        f.write(text)
    return p


class Old(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.trials = bs.read_run_csv(write(self.tmp.name, "old.csv", OLD))

    def tearDown(self):
        self.tmp.cleanup()

    def test_fields(self):
        t = self.trials
        self.assertEqual(len(t), 5)
        self.assertEqual((t[0].variant, t[0].workload, t[0].msg_size, t[0].trial),
                         ("cached-pad0-seqcst", "seed", 255, 1))
        self.assertAlmostEqual(t[0].rate, 18019945.1)
        self.assertIsNone(t[0].migrations)
        self.assertEqual(t[0].preemptions, 25)

    def test_c2c_ns_per_hop(self):
        c = self.trials[2]
        self.assertEqual(c.variant, "limit-c2c")
        self.assertAlmostEqual(c.hop_ns, 32.36)
        # the trial lasted 32.36 ns x 2,000,000 hops
        self.assertAlmostEqual(c.seconds, 32.36 * 2e6 / 1e9)

    def test_noise_without_migrations(self):
        t = self.trials
        # 25 preemptions in 0.47 s: more than max(3, 4.7): noisy.
        self.assertIs(t[0].noisy, True)
        self.assertIn("25 preemptions", t[0].noise_why)
        # 11 in 0.14 s: noisy too.
        self.assertIs(t[1].noisy, True)
        # c2c: 9 preemptions in 0.065 s: more than 3.
        self.assertIs(t[2].noisy, True)
        # 4 in 0.93 s: not more than max(3, 9.3); no migrations count: cannot tell.
        self.assertIsNone(t[3].noisy)
        self.assertIn("no migrations count", t[3].noise_why)
        # c2c with 3 preemptions: not more than 3: cannot tell.
        self.assertIsNone(t[4].noisy)
        self.assertAlmostEqual(t[4].hop_ns, 76.06)

    def test_paired_report_reads_them(self):
        res = bs.paired_to_baseline(self.trials, "seed")
        self.assertEqual([r.key["entry"] for r in res], ["cached-pad0-seqcst"])
        r = res[0]
        self.assertAlmostEqual(r.ratio, 18019945.1 / 60913013.5)
        self.assertEqual((r.n_a, r.noisy, r.trials), (1, 2, 2))
        self.assertEqual(r.noise, "noisy: 2 of 2 trials")


class New(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.trials = bs.read_run_csv(write(self.tmp.name, "new.csv", NEW))

    def tearDown(self):
        self.tmp.cleanup()

    def test_noisy_column_and_hop_ns(self):
        t = self.trials
        self.assertIs(t[0].noisy, False)
        self.assertEqual(t[0].migrations, 0)
        self.assertIs(t[1].noisy, True)
        self.assertIn("1 migrations", t[1].noise_why)
        self.assertAlmostEqual(t[2].hop_ns, 32.0)
        self.assertIs(t[2].noisy, False)
        self.assertIs(t[3].noisy, True)  # bipbench's verdict, as it is
        self.assertEqual(t[3].noise_why, "bipbench's verdict")

    def test_c2c_is_never_in_a_ratio(self):
        res = bs.paired_to_baseline(self.trials)
        self.assertNotIn("limit-c2c", [r.key["entry"] for r in res])
        self.assertEqual(len(res), 2)


class Rule(unittest.TestCase):
    def test_rule(self):
        n = bs.noise_of
        self.assertEqual(n(0, 0, 1.0), (False, ""))
        self.assertIs(n(0, 1, 1.0)[0], True)               # any migration
        self.assertIs(n(3, 0, 0.1)[0], False)              # 3 is not more than 3
        self.assertIs(n(4, 0, 0.1)[0], True)               # 4 > max(3, 1)
        self.assertIs(n(10, 0, 1.0)[0], False)             # 10 in 1 s: not more than 10/s
        self.assertIs(n(11, 0, 1.0)[0], True)
        self.assertIs(n(20, 0, 2.5)[0], False)             # 20 < 25
        self.assertIsNone(n(2, None, 1.0)[0])              # old file, quiet: cannot tell
        self.assertIs(n(50, None, 1.0)[0], True)           # old file, preempted: noisy
        self.assertIs(n(0, 0, 1.0, noisy_column=True)[0], True)
        self.assertIs(n(50, 2, 1.0, noisy_column=False)[0], False)

    def test_columns_by_name_in_any_order(self):
        with tempfile.TemporaryDirectory() as d:
            lines = OLD.splitlines()
            header = lines[0].split(",")
            perm = list(reversed(range(len(header))))
            text = "\n".join(",".join(ln.split(",")[i] for i in perm) for ln in lines) + "\n"
            a = bs.read_run_csv(write(d, "a.csv", OLD))
            b = bs.read_run_csv(write(d, "b.csv", text))
            self.assertEqual([(t.variant, t.rate, t.noisy, t.hop_ns) for t in a],
                             [(t.variant, t.rate, t.noisy, t.hop_ns) for t in b])


class Rounds(unittest.TestCase):
    """Trial numbers are rounds only in a run that interleaved its trials."""

    def rows(self, interleaved):
        rows = []
        rates = {synth.CRATE: 5e7, synth.DEFAULT: 6e7}
        if interleaved:
            for k in range(1, 6):
                rows += [synth.row(e, k, r * (1 + k / 100)) for e, r in rates.items()]
        else:
            for e, r in rates.items():
                rows += [synth.row(e, k, r * (1 + k / 100)) for k in range(1, 6)]
        return rows

    def test_interleaved_runs_pair_by_round(self):
        with tempfile.TemporaryDirectory() as d:
            t = bs.load(synth.write(os.path.join(d, "r.csv"), self.rows(True)))
        self.assertTrue(bs.interleaved(t))
        (r,) = bs.paired_to_baseline(t)
        self.assertEqual((r.method, r.n_a), (bs.PAIRED_METHOD, 5))
        self.assertAlmostEqual(r.ratio, 1.2)
        self.assertAlmostEqual((r.low, r.high), (1.2, 1.2))

    def test_runs_before_interleaving_are_unpaired(self):
        with tempfile.TemporaryDirectory() as d:
            t = bs.load(synth.write(os.path.join(d, "r.csv"), self.rows(False)))
        self.assertFalse(bs.interleaved(t))
        (r,) = bs.paired_to_baseline(t)
        self.assertEqual((r.method, r.n_a, r.n_b), (bs.SEQUENTIAL_METHOD, 5, 5))
        self.assertAlmostEqual(r.ratio, 1.2)
        self.assertLess(r.low, 1.2)
        self.assertIn("did not interleave its trials", bs.format_markdown([r], "t", []))

    def test_committed_runs(self):
        # results/2026-11-26-vm-3 is the first run that interleaved (its NOTE says so).
        here = os.path.join(os.path.dirname(synth.SCRIPTS), "results")
        for name, want in (("2026-11-26-vm-3", True), ("2026-11-26-vm-2", False)):
            t = bs.load(os.path.join(here, name, "seed.csv"))
            self.assertEqual(bs.interleaved([x for x in t if x.workload == "seed"]), want, name)


class Folders(unittest.TestCase):
    def test_folder_is_its_run_csvs(self):
        with tempfile.TemporaryDirectory() as d:
            write(d, "seed.csv", OLD)
            write(d, "sweep.csv", NEW)
            write(d, "latency.csv", LATENCY)
            write(d, "report.csv", "file,entry,ratio\nx,y,1\n")
            write(d, "seed.json", "{}")
            self.assertEqual([os.path.basename(p) for p in bs.run_csvs(d)],
                             ["seed.csv", "sweep.csv"])
            self.assertEqual(len(bs.load(d)), 9)

    def test_bad_input(self):
        with tempfile.TemporaryDirectory() as d:
            empty = os.path.join(d, "empty")
            os.mkdir(empty)
            write(empty, "latency.csv", LATENCY)
            cases = [
                (os.path.join(d, "nope"), "no such file"),
                (empty, "no bipbench run CSV"),
                (write(d, "lat.csv", LATENCY), "not a bipbench run CSV"),
                (write(d, "empty.csv", OLD.splitlines()[0] + "\n"), "no rows"),
                (write(d, "bad.csv", OLD.replace("18019945.1", "fast")), "not a number"),
                # a rate that is no measurement: refused with the row and column
                (write(d, "nan.csv", OLD.replace("18019945.1", "nan")),
                 "row 1 (line 2): column sends_per_sec: 'nan' is not a finite number"),
                (write(d, "inf.csv", OLD.replace("18019945.1", "inf")),
                 "column sends_per_sec: 'inf' is not a finite number"),
                (write(d, "neg.csv", OLD.replace("18019945.1", "-18019945.1")),
                 "column sends_per_sec is -18019945.1, not more than 0"),
                (write(d, "zero.csv", OLD.replace("18019945.1", "0")),
                 "column sends_per_sec is 0, not more than 0"),
            ]
            binary = os.path.join(d, "binary.csv")
            with open(binary, "wb") as f:
                f.write(OLD.encode() + b"\xff\xfe\x00\x9c\n")
            cases.append((binary, "binary.csv: not a text file (not UTF-8)"))
            for path, want in cases:
                with self.assertRaises(bs.InputError) as cm:
                    bs.load(path)
                self.assertIn(want, str(cm.exception))
                self.assertNotIn("\n", str(cm.exception))

    def test_unknown_baseline(self):
        with tempfile.TemporaryDirectory() as d:
            trials = bs.load(write(d, "seed.csv", OLD))
            with self.assertRaises(bs.InputError) as cm:
                bs.paired_to_baseline(trials, "no-such-entry")
            self.assertIn("unknown baseline 'no-such-entry'", str(cm.exception))
            # the crate's design under both of its aliases
            for alias in ("crate", "seed", "uncached-pad64-acqrel"):
                self.assertEqual(len(bs.paired_to_baseline(trials, alias)), 1)



class WaitRule(unittest.TestCase):
    """harness/noise.h's rule where the wait columns are there: time, not counts."""

    def test_noise_of(self):
        # 1 s trial, 40 preemptions (the count rule would say noisy), 0.1 ms waited: clean.
        self.assertEqual(bs.noise_of(40, 0, 1.0, None, 100_000), (False, ""))
        # 1 s trial, 2 preemptions, 40 ms waited (4%): noisy, and why.
        noisy, why = bs.noise_of(2, 0, 1.0, None, 40_000_000)
        self.assertIs(noisy, True)
        self.assertIn("waited 40 ms", why)
        # 1 s trial, 25 ms (2.5%): clean.
        self.assertIs(bs.noise_of(2, 0, 1.0, None, 25_000_000)[0], False)
        # 4 ms trial, 0.15 ms waited: over 3% but under the 0.2 ms floor: clean.
        self.assertEqual(bs.noise_of(9, 0, 0.004, None, 150_000)[0], False)
        # 5 ms trial, 0.3 ms (6%): noisy.
        self.assertIs(bs.noise_of(0, 0, 0.005, None, 300_000)[0], True)
        # A migration is noisy whatever the wait.
        self.assertIs(bs.noise_of(0, 1, 1.0, None, 0)[0], True)
        # No wait columns: the count rule, as before.
        self.assertIs(bs.noise_of(40, 0, 1.0, None, None)[0], True)

    def test_read_from_columns(self):
        head = NEW_HEADER + (",producer_preemptions,consumer_preemptions,producer_migrations,"
                             "consumer_migrations,burst,publish,cldemote,producer_wait_ns,"
                             "consumer_wait_ns")
        base = ("uncached-pad64-acqrel,0,64,acqrel,seed,first,255,16384,8388608,1,0,1,l3,"
                "100000000,83886080.0,21.39,variant,ns_trial,2139095040,1,0,core,{pre},512,,0,")
        rows = [base.format(pre=40) + ",20,20,0,0,1,0,0,50000,90000",
                base.format(pre=3) + ",1,2,0,0,1,0,0,10000,5000000"]
        with tempfile.TemporaryDirectory() as d:
            # noisy left empty: the scripts apply the rule themselves.
            t = bs.read_run_csv(write(d, "w.csv", "\n".join([head] + rows) + "\n"))
        self.assertIs(t[0].noisy, False)  # 40 switches, 0.09 ms waited in 0.1 s
        self.assertIs(t[1].noisy, True)   # 5 ms waited in 0.1 s
        self.assertIn("waited 5 ms", t[1].noise_why)

if __name__ == "__main__":
    unittest.main(verbosity=2)
