#!/usr/bin/env python3
"""test_plot - scripts/plot as a user runs it: every figure from small
synthetic results (run CSVs, summary CSVs, JSON, hgrm histograms,
micro.json), checked by what the SVG says and that the PNG is a real image;
old-format files; one CSV alone; and bad input: empty, header-only, cut-off
and malformed CSVs, a folder name that is gnuplot code, a figure that fails
to render (the old files must stay), nothing to draw."""

import csv
import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402  (first: it sets up the path and the interpreter)
import bipstats as bs  # noqa: E402
import bipplot as bp  # noqa: E402

PLOT = os.path.join(synth.SCRIPTS, "plot")
REPO = os.path.dirname(synth.SCRIPTS)
RESULTS = os.path.join(REPO, "results")
GNUPLOT = shutil.which("gnuplot")

# The 12 variants with their columns, the peers and the limits.
VARIANTS = [(f"{c}-pad{p}-{o}", "1" if c == "cached" else "0", str(p), o)
            for c in ("cached", "uncached") for p in (0, 64, 128) for o in ("seqcst", "acqrel")]
PEERS = ["peer-boost-spsc", "peer-ck-ring"]
CPU = "SynthCPU 9000"
COMMIT = "abcdef1234567890"


def rate_of(name, size):
    """A made-up true rate: the default best, the crate's design in the
    middle, seqcst and pad0 slower, fewer sends for larger messages."""
    base = 8e7 / (1 + size / 64)
    if name == "limit-onethread":
        return base * 3
    if name.startswith("peer-"):
        return base * (0.5 if "boost" in name else 0.8)
    f = 1.0
    f *= 0.6 if "pad0" in name else 1.0
    f *= 0.7 if "seqcst" in name else 1.0
    f *= 1.25 if name.startswith("cached") else 1.0
    return base * f


def cols(name):
    for v, c, p, o in VARIANTS:
        if v == name:
            return {"cached": c, "pad": p, "order": o}
    return {"cached": "", "pad": "", "order": ""}


def run_rows(rng, entries, rounds, workload="seed", sizes=(255,), placements=("core",),
             columns=synth.NEW_COLUMNS, interleave=True, c2c=False):
    """Rows of one bipbench run: per placement and size, `rounds` rounds of
    every entry (interleaved, as bipbench writes them, or each entry's trials
    together, as before it did)."""
    rows = []
    for place in placements:
        for size in sizes:
            trials = {}
            for k in range(1, rounds + 1):
                f = float(rng.lognormal(0, 0.05))
                for e in entries:
                    r = rate_of(e, size) * f * float(rng.lognormal(0, 0.02))
                    kind = ("peer" if e.startswith("peer-") else
                            "limit" if e.startswith("limit-") else "variant")
                    extra = cols(e)
                    if "noisy" not in columns:
                        extra = dict(extra)
                    trials.setdefault(e, []).append(synth.row(
                        e, k, r, workload=workload, msg_size=size, placement=place,
                        kind=kind, columns=columns, preemptions=1, **extra))
                if c2c:
                    row = synth.row("limit-c2c", k, 3e7, workload="c2c", msg_size=size,
                                    placement=place, kind="limit", columns=columns, **cols(""))
                    row["hop_ns"] = "33.0" if "hop_ns" in columns else None
                    row = {a: b for a, b in row.items() if b is not None}
                    trials.setdefault("limit-c2c", []).append(row)
            names = list(trials)
            if interleave:
                for k in range(rounds):
                    rows += [trials[e][k] for e in names]
            else:
                for e in names:
                    rows += trials[e]
    return rows


def write_json(path, trials=6, verdict="clean: 96 trials, none disturbed", cores=4):
    doc = {"tool": "bipbench", "command": "run", "status": "complete",
           "date_utc": "2026-12-01T10:20:30Z",
           "machine": {"cpu_model": CPU, "cores": cores, "pus": cores},
           "git_commit": COMMIT, "options": {"trials": trials, "workload": "seed"}}
    if verdict:
        doc["verdict"] = verdict
    with open(path, "w") as f:
        json.dump(doc, f)


def write_summary(path, rows, ratio_of=None):
    """bipbench's --summary-csv for rows (the ratios from bipstats, or
    ratio_of(entry) -> (ratio, lo, hi))."""
    trials = [bs._trial(path, {k: str(v) for k, v in r.items()}) for r in rows]
    res = {(r.key["entry"], r.key["msg_size"], r.key["placement"]): r
           for r in bs.paired_to_baseline(trials, synth.CRATE)}
    head = ("placement,producer_pu,consumer_pu,relation,msg_size,variant,kind,unit,trials,"
            "noisy_trials,max_preemptions,median,min,max,median_gb_per_sec,baseline,ratio,"
            "ratio_lo,ratio_hi,ratio_coverage,ratio_rounds").split(",")
    seen = {}
    for t in trials:
        seen.setdefault((t.placement, t.msg_size, t.variant), []).append(t)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        for (place, size, name), ts in seen.items():
            rates = sorted(t.rate for t in ts)
            med = rates[len(rates) // 2] / 1e6
            if name == "limit-c2c":
                ratio = ("", "", "", "", "")
            elif name == synth.CRATE:
                ratio = ("1.000000", "1.000000", "1.000000", "0.9688", len(ts))
            elif ratio_of:
                r, lo, hi = ratio_of(name)
                ratio = (r, lo, hi, "0.9688", len(ts))
            else:
                r = res[(name, size, place)]
                ratio = (f"{r.ratio:.6f}", f"{r.low:.6f}", f"{r.high:.6f}",
                         f"{r.coverage:.4f}", r.n_a)
            w.writerow([place, 0, 1, "l3", size, name, ts[0].kind, "msends_per_sec", len(ts),
                        0, 1, f"{med:.4f}", f"{rates[0] / 1e6:.4f}", f"{rates[-1] / 1e6:.4f}",
                        "1.0", "" if name == "limit-c2c" else synth.CRATE, *ratio])


LAT_HEAD = ("variant,cached,pad,order,msg_size,queue_size,producer_pu,consumer_pu,relation,"
            "p50_ns,p90_ns,p99_ns,p999_ns,max_ns,samples,min_ns,mean_ns,kind,placement")


def write_latency(d, names, hgrm=True):
    lines = [LAT_HEAD]
    if hgrm:
        os.mkdir(os.path.join(d, "hgrm"))
    for i, n in enumerate(names):
        c = cols(n)
        kind = "limit" if n == "limit-c2c" else "peer" if n.startswith("peer-") else "variant"
        b = 120 if n == "limit-c2c" else 230 + 10 * i
        lines.append(f"{n},{c['cached']},{c['pad']},{c['order']},8,16384,0,1,l3,{b},{b * 2},"
                     f"{b * 3},{b * 9},{b * 200},10000,{b - 50},{b * 1.1:.1f},{kind},core")
        if hgrm:
            with open(os.path.join(d, "hgrm", f"{n}.core.hgrm"), "w") as f:
                f.write("       Value     Percentile TotalCount 1/(1-Percentile)\n\n")
                pts = [(b - 50, 0.0001), (b, 0.5), (b * 2, 0.9), (b * 3, 0.99), (b * 9, 0.999),
                       (b * 50, 0.9999), (b * 200, 1.0)]
                for v, p in pts:
                    inv = "" if p == 1.0 else f"{1 / (1 - p):14.2f}"
                    f.write(f"{v:12.3f} {p:14.12f} {int(p * 10000):10d} {inv}\n")
                f.write(f"#[Mean    = {b:12.3f}, StdDeviation   = {b:12.3f}]\n")
                f.write(f"#[Max     = {b * 200:12.3f}, Total count    = {10000:12d}]\n")
                f.write("#[Buckets =           20, SubBuckets     =           64]\n")
    with open(os.path.join(d, "latency.csv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    write_json(os.path.join(d, "latency.json"), verdict=None)


def write_micro(path, names, fams=("single", "pair", "roundtrip")):
    bench = []
    for fam in fams:
        for n in names:
            for size in (8, 64, 255):
                t = 10.0 * (1 + size / 64) * (2 if fam != "single" else 1)
                for rep in range(2):
                    bench.append({"name": f"{fam}/{n}/{size}" + ("/manual_time" if fam != "single"
                                                                 else ""),
                                  "run_type": "iteration", "real_time": t * (1 + 0.05 * rep),
                                  "cpu_time": t, "time_unit": "ns"})
    with open(path, "w") as f:
        json.dump({"context": {"date": "2026-12-01T10:30:00+00:00", "num_cpus": 4,
                               "mhz_per_cpu": 2500, "micro_pair_pus": "0,1",
                               "micro_pair_relation": "l3"}, "benchmarks": bench}, f)


RATE_HEAD = ("variant,kind,wake,msg_size,queue_size,producer_pu,consumer_pu,relation,placement,"
             "pace,spin_ns,trial,rate,achieved,kept,messages,send_p50_ns,send_p99_ns,"
             "send_p999_ns,send_max_ns,due_p50_ns,due_p99_ns,due_p999_ns,due_max_ns,late_p50_ns,"
             "late_p99_ns,late_max_ns,elapsed_ns,producer_cpu_ns,consumer_cpu_ns,"
             "producer_cpu_share,consumer_cpu_share,cpu_per_msg_ns,send_ns,queue_cpu_per_msg_ns,"
             "consumer_sleeps,producer_wakes,mismatches")
# The entries of a rate run: (name, kind, wake).
RATE_ENTRIES = [("cached-pad128-acqrel-asym", "variant", "asym"),
                ("cached-pad128-acqrel-fence", "variant", "fence"),
                ("cached-pad128-acqrel-eventfd", "variant", "eventfd"),
                ("cached-pad128-acqrel", "variant", "spin"),
                ("crate-design-asym", "variant", "asym"),
                ("limit-futex", "limit", "futex"),
                ("peer-pipe", "peer", "pipe"),
                ("peer-condvar", "peer", "condvar")]


def rate_line(name, kind, wake, size, rate, trial, spin="", kept=1, seconds=1.0):
    """One row of bipbench rate: made-up numbers with the study's shape (a
    sleeper wakes in tens of microseconds and pays CPU per message; a
    spinner answers in under a microsecond and holds its core)."""
    spins = wake == "spin"
    budget = 20000.0 if spin == "" else float(spin)
    awake = spins or budget >= 1e9 / rate
    msgs = max(1, int(rate * seconds))
    p50 = (600 + 13 * trial) if awake else (30000 + 1500 * trial + (2000 if kind == "peer" else 0))
    p99, p999, mx = p50 * 3, p50 * 8, p50 * 20
    share = 1.0 if awake else min(0.9, rate * (30e-6 if kind == "variant" else 11e-6) +
                                  budget * rate * 1e-9)
    elapsed = int(msgs / rate * 1e9) + p50
    ccpu = int(share * elapsed)
    sleeps = "" if kind == "peer" else ("0" if awake else str(msgs - 1))
    qcpu = (ccpu + 900 * msgs) / msgs
    return ",".join(str(x) for x in (
        name, kind, wake, size, 16384, 0, 1, "l3", "core", "sleep", spin, trial,
        f"{rate:.6g}", f"{rate * (0.9 if not kept else 0.999):.6g}", kept, msgs,
        p50, p99, p999, mx, p50 * 2, p99 * 2, p999 * 2, mx * 2, 9000, 30000, 90000, elapsed,
        int(0.04 * elapsed), ccpu, "0.040000", f"{share:.6f}", f"{qcpu + 40000:.1f}", "900.0",
        f"{qcpu:.1f}", sleeps, sleeps, 0))


def write_hgrm_of(path, b, total):
    """An hgrm file of `total` values around b (p50), as bipbench writes it."""
    with open(path, "w") as f:
        f.write("       Value     Percentile TotalCount 1/(1-Percentile)\n\n")
        pts = [(b // 3, 1 / total), (b, 0.5), (b * 2, 0.9), (b * 3, 0.99), (b * 8, 0.999),
               (b * 20, 1.0)]
        for v, p in pts:
            inv = "" if p == 1.0 else f"{1 / (1 - p):14.2f}"
            f.write(f"{v:12.3f} {p:14.12f} {max(1, int(p * total)):10d} {inv}\n")
        f.write(f"#[Mean    = {b:12.3f}, StdDeviation   = {b:12.3f}]\n")
        f.write(f"#[Max     = {b * 20:12.3f}, Total count    = {total:12d}]\n")
        f.write("#[Buckets =           20, SubBuckets     =           64]\n")


def write_rate(d, name="rate", rates=(1000, 10000, 100000, 1000000), sizes=(8, 255), trials=3,
               entries=RATE_ENTRIES, spins=("",), unkept=(), hgrm=True, doc=True, seconds=1.0):
    """A rate CSV (bipbench rate) with its JSON and, at its lowest rate, its
    hgrm/ histograms; `unkept`: (entry, size, rate, trial) that missed the
    schedule (kept 0)."""
    lines = [RATE_HEAD]
    for spin in spins:
        for size in sizes:
            for rate in rates:
                for t in range(1, trials + 1):
                    for n, kind, wake in entries:
                        kept = 0 if (n, size, rate, t) in unkept else 1
                        lines.append(rate_line(n, kind, wake, size, rate, t, spin, kept,
                                               seconds))
    path = os.path.join(d, f"{name}.csv")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    argv = ["bipbench", "rate", "--csv", path]
    if hgrm:
        h = os.path.join(d, "hgrm")
        os.makedirs(h, exist_ok=True)
        argv += ["--hgrm", h]
        r0 = min(rates)
        for size in sizes:
            for i, (n, kind, wake) in enumerate(entries):
                b = 600 if wake == "spin" else 30000 + 1000 * i
                write_hgrm_of(os.path.join(h, f"{n}.core.{size}.{r0:.6g}.hgrm"), b,
                              max(1, int(r0 * seconds)) * trials)
    if doc:
        with open(os.path.join(d, f"{name}.json"), "w") as f:
            json.dump({"tool": "bipbench", "command": "rate", "argv": argv,
                       "status": "complete", "date_utc": "2026-12-01T11:00:00Z",
                       "machine": {"cpu_model": CPU, "cores": 4, "pus": 4},
                       "git_commit": COMMIT}, f)
    return path


def make_folder(d, rng=None):
    """A new-format results folder: what scripts/reproduce writes, small."""
    rng = rng or synth.rng(3)
    names = [v[0] for v in VARIANTS] + PEERS + ["limit-onethread"]
    seed = run_rows(rng, names, 6, c2c=True)
    synth.write(os.path.join(d, "seed.csv"), seed)
    write_summary(os.path.join(d, "seed-summary.csv"), seed)
    write_json(os.path.join(d, "seed.json"))
    sweep = []
    for size in (8, 64, 255):
        extra = ["limit-onethread"] if size in (8, 255) else []
        sweep += run_rows(rng, [v[0] for v in VARIANTS] + PEERS + extra, 6 if extra else 3,
                          workload="fixed", sizes=(size,))
    # Three trials of one peer at 8 B were noisy: the figures mark that entry.
    for r in [r for r in sweep if r["variant"] == "peer-ck-ring" and r["msg_size"] == 8][:3]:
        r["noisy"] = 1
    synth.write(os.path.join(d, "sweep.csv"), sweep)
    write_summary(os.path.join(d, "sweep-summary.csv"), sweep)
    write_json(os.path.join(d, "sweep.json"), verdict="noisy: 3 of 100 trials shared their CPUs")
    place = run_rows(rng, [synth.CRATE, "cached-pad64-acqrel"], 6, placements=("core", "smt"))
    synth.write(os.path.join(d, "placements.csv"), place)
    write_json(os.path.join(d, "placements.json"))
    write_latency(d, [v[0] for v in VARIANTS] + ["peer-ck-ring", "limit-c2c"])
    write_micro(os.path.join(d, "micro.json"), [v[0] for v in VARIANTS])
    # bipbench rate: a sweep of rates (one trial of one entry missed its
    # schedule), the idle measurement, and a spin-budget study.
    write_rate(d, unkept=[("peer-condvar", 8, 1000000, 2)])
    write_rate(d, name="idle", rates=(0.1,), sizes=(8,), trials=1, hgrm=False, seconds=10)
    write_rate(d, name="spin", rates=(1000, 10000, 100000), sizes=(8,), entries=RATE_ENTRIES[:2],
               spins=("0", "1000", "20000", "100000"), hgrm=False)
    return d


def plot(path, env=None, cwd=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, PLOT, path], capture_output=True, text=True,
                          cwd=cwd, env=e, timeout=300)


def svg_raw(d, name, figs="figures"):
    with open(os.path.join(d, figs, f"{name}.svg"), encoding="utf-8") as f:
        return f.read()


def svg(d, name, figs="figures"):
    """The texts of a figure's SVG, in drawing order, joined by spaces (so
    that a caption wrapped over lines reads as one), each also bracketed
    as >text< to match a whole label."""
    found = re.findall(r"<text[^>]*>(.*?)</text>", svg_raw(d, name, figs), re.S)
    texts = [html.unescape(t) for t in found]
    return " ".join(texts) + " " + " ".join(f">{t}<" for t in texts)


class Case(unittest.TestCase):
    def assertIn(self, member, container, msg=None):  # noqa: N802 (short failure messages)
        if member not in container:
            self.fail(f"{member!r} not found" + (f": {msg}" if msg else ""))

    def assertNotIn(self, member, container, msg=None):  # noqa: N802
        if member in container:
            self.fail(f"{member!r} found" + (f": {msg}" if msg else ""))


@unittest.skipUnless(GNUPLOT, "gnuplot is not installed (scripts/setup installs gnuplot-nox)")
class Folder(Case):
    """One synthetic new-format folder, plotted once."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        d = os.path.join(cls.tmp.name, "res")
        os.mkdir(d)
        cls.d = make_folder(d)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_a_every_figure(self):
        p = plot(self.d)
        self.assertEqual(p.returncode, 0, p.stderr)
        for name, _ in bp.FIGURES:
            png = os.path.join(self.d, "figures", f"{name}.png")
            self.assertTrue(os.path.isfile(png), f"{name}.png: {p.stderr}")
            self.assertGreater(os.path.getsize(png), 20000, name)
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", name)
            self.assertTrue(svg_raw(self.d, name).rstrip().endswith("</svg>"), name)
            s = svg(self.d, name)
            # The caption footer: machine, commit, date on every figure.
            self.assertIn(CPU, s, name)
            self.assertIn("commit abcdef1", s, name)
            self.assertIn("2026-12-01", s, name)
        left = [f for f in os.listdir(os.path.join(self.d, "figures")) if f.startswith(".")]
        self.assertEqual(left, [], "temporary files left behind")

    def test_b_seed_bars(self):
        s = svg(self.d, "seed_bars")
        for want in ("cached-pad128-acqrel (default)", "uncached-pad64-acqrel (crate's design)",
                     "peer-ck-ring", "peer-boost-spsc", "uncached-pad0-seqcst",
                     "GB/s", "limit-onethread", "crate's README: 12.5M sends/s",
                     "another machine", "paired by round", "6 trials per entry",
                     "noise: clean, 96 trials, none disturbed", "1 (baseline)",
                     "colour: cache", "marker: pad", "fill: order",
                     "Core-to-core latency of the pair (limit-c2c)"):
            self.assertIn(want, s)
        self.assertNotIn("UNPAIRED", s)

    def test_c_sizes_and_order(self):
        s = svg(self.d, "sends_vs_size")
        for want in ("cached-pad128-acqrel (default)", "peer-ck-ring", "limit-onethread (one core)",
                     "2 x limit-onethread: the two-core bound", "crate's README: 12.5M/s",
                     "ratio to the crate's design", ">255<", ">64<", ">8<"):
            self.assertIn(want, s)
        self.assertNotIn(">256<", s)
        g = svg(self.d, "gbps_vs_size")
        self.assertIn("crate's README: 3.2 GB/s", g)
        o = svg(self.d, "order_ratio")
        pads = [o.index(f"cached {p}") for p in ("pad0", "pad64", "pad128")]
        self.assertEqual(pads, sorted(pads), "legend in pad order")
        self.assertIn("cached pad128 (the default's layout)", o)
        self.assertIn("uncached pad64 (the crate's layout)", o)

    def test_d_ceiling_headline_placements(self):
        c = svg(self.d, "ceiling")
        for want in ("1x: one core", "2x: the bound", "255 B, seed workload", "8 B, fixed"):
            self.assertIn(want, c)
        h = svg(self.d, "headline")
        for want in ("best: ", "(crate's design)", "peer-ck-ring", "8 B messages, fixed",
                     "255 B messages, seed workload", "Not measured in this folder: random sizes",
                     "* noisy 3/6"):
            self.assertIn(want, h)
        # Only that entry is marked, in its one panel.
        self.assertEqual(h.count("* noisy"), 2, "marked once (counted twice by svg())")
        pl = svg(self.d, "placements")
        self.assertIn("placement core: PUs 0,1", pl)
        self.assertIn("placement smt", pl)

    def test_e_latency_and_micro(self):
        s = svg(self.d, "latency")
        for want in ("limit-c2c (the floor)", "peer-ck-ring", "From the hgrm/ histograms",
                     "99.9%", "the longest of 10000", "8 B messages", "max"):
            self.assertIn(want, s)
        m = svg(self.d, "micro")
        for want in ("single: one thread", "pair: producer and consumer", "roundtrip:",
                     "min to max of 2 repetitions", "cached-pad128-acqrel (default)"):
            self.assertIn(want, m)

    def test_f_rate_figures(self):
        # A folder with run and rate CSVs draws both kinds (test_a_every_figure);
        # the sweep is rate.csv (the most rates), not idle.csv or spin.csv.
        lat = svg(self.d, "rate_latency")
        for want in ("cached-pad128-acqrel-asym (library default)",
                     "cached-pad128-acqrel (spins, never sleeps)",
                     "crate-design-asym (crate's design)", "peer-pipe", "peer-condvar",
                     "limit-futex (a bare futex wake-up)", ">1k<", ">1M<", "8 B messages: p50",
                     "255 B messages: p99", "ringed: a trial did not keep the schedule",
                     "1 of 192 trials", "3 trials per entry and rate", "rate.csv",
                     "1/rate: the time between two messages",
                     "from the lowest to the highest trial", "noise: not recorded",
                     "marker and shade:"):
            self.assertIn(want, lat)
        self.assertNotIn("Left out", lat)
        cpu = svg(self.d, "rate_cpu")
        for want in ("100%: a whole core", ">100%<", "queue_cpu_per_msg_ns",
                     "1/rate: a whole core per message", "the queue's CPU per message",
                     "(spins, never sleeps)"):
            self.assertIn(want, cpu)
        w = svg(self.d, "wakeup")
        for want in ("limit-futex (the floor: a bare futex wake-up)", "From the hgrm/ histograms",
                     "the longest of 3000", "at 1k/s", "a message every 1 ms", "slept 99.9%",
                     "never sleeps", "Idle (idle.csv, 0.1/s: one message after 10 s asleep",
                     "99.9%"):
            self.assertIn(want, w)
        sp = svg(self.d, "spin_budget")
        for want in ("1k/s offered (a message every 1 ms)", "100k/s offered", ">0<", ">100k<",
                     "spin budget, ns", "cached-pad128-acqrel-fence: the consumer's CPU",
                     "spin.csv", "3 trials per entry, budget and rate"):
            self.assertIn(want, sp)
        self.assertNotIn("crate-design-asym", sp)


@unittest.skipUnless(GNUPLOT, "gnuplot is not installed (scripts/setup installs gnuplot-nox)")
class Inputs(Case):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.t = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def folder(self, name="r"):
        d = os.path.join(self.t, name)
        os.mkdir(d)
        return d

    def seed(self, d, sizes=(255,), interleave=True, columns=synth.NEW_COLUMNS, rounds=6):
        names = [v[0] for v in VARIANTS] + PEERS + ["limit-onethread"]
        rows = run_rows(synth.rng(7), names, rounds, sizes=sizes, interleave=interleave,
                        columns=columns)
        return synth.write(os.path.join(d, "seed.csv"), rows, columns=columns)

    def test_two_sizes_are_two_panels(self):
        d = self.folder()
        self.seed(d, sizes=(64, 255))
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        s = svg(d, "seed_bars")
        self.assertIn("64 B and 255 B messages", s)
        self.assertIn(">64 B messages<", s)
        self.assertIn(">255 B messages<", s)

    def test_old_runs_are_unpaired_and_noise_unknown(self):
        d = self.folder()
        self.seed(d, interleave=False, columns=synth.OLD_COLUMNS, rounds=5)
        write_json(os.path.join(d, "seed.json"), verdict=None)
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        for name in ("seed_bars", "headline", "ceiling"):
            s = svg(d, name)
            self.assertIn("UNPAIRED", s, name)
            self.assertIn("noise: not recorded", s, name)

    def test_committed_old_folder(self):
        # A committed folder from before interleaving and the summary CSVs,
        # copied so that its figures stay as they are.
        src = os.path.join(RESULTS, "2026-11-26-xeon16-final")
        if not os.path.isdir(src):
            self.skipTest("no committed results")
        d = os.path.join(self.t, "old")
        shutil.copytree(src, d, ignore=shutil.ignore_patterns("figures"))
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        for name in ("seed_bars", "ceiling", "headline", "sends_vs_size", "order_ratio"):
            self.assertIn("UNPAIRED", svg(d, name), name)
        self.assertIn("This run has one size only", svg(d, "gbps_vs_size"))
        self.assertIn("placements skipped", p.stderr)

    def test_one_csv_alone(self):
        d = self.folder()
        path = self.seed(d)
        p = plot(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        # figures/seed/: one file's figures never replace the folder's own.
        figs = sorted(os.listdir(os.path.join(d, "figures", "seed")))
        self.assertIn("seed_bars.png", figs)
        self.assertIn("ceiling.svg", figs)
        self.assertNotIn("latency.png", figs)
        self.assertEqual(os.listdir(os.path.join(d, "figures")), ["seed"])
        self.assertNotIn("latency skipped", p.stderr)

    def test_summary_ratios_are_used(self):
        d = self.folder()
        path = self.seed(d)
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
        write_summary(os.path.join(d, "seed-summary.csv"), rows,
                      ratio_of=lambda n: ("1.234000", "1.111000", "1.357000"))
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("1.23 [1.11, 1.36]", svg(d, "seed_bars"))

    def test_micro_json_alone(self):
        d = self.folder()
        write_micro(os.path.join(d, "micro.json"), [v[0] for v in VARIANTS], fams=("single",))
        p = plot(os.path.join(d, "micro.json"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Not in this micro.json: pair, roundtrip",
                      svg(d, "micro", figs=os.path.join("figures", "micro")))

    def test_latency_from_csv_percentiles(self):
        d = self.folder()
        write_latency(d, [v[0] for v in VARIANTS] + ["limit-c2c"], hgrm=False)
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        s = svg(d, "latency")
        self.assertIn("From latency.csv's min, p50", s)
        self.assertIn("limit-c2c (the floor)", s)

    def test_rate_csv_alone(self):
        # A folder with a rate CSV and nothing else (no JSON, no hgrm/): the
        # three rate figures, the wake-up from the CSV's percentiles.
        d = self.folder()
        path = write_rate(d, rates=(1000, 100000), sizes=(8,), trials=2, hgrm=False, doc=False)
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        for name in ("rate_latency", "rate_cpu", "wakeup"):
            self.assertTrue(os.path.isfile(os.path.join(d, "figures", f"{name}.png")), name)
        self.assertIn("spin_budget skipped: no rate CSV whose entries vary spin_ns", p.stderr)
        w = svg(d, "wakeup")
        self.assertIn("From rate.csv's p50, p99, p99.9 and max", w)
        self.assertIn("commit not recorded", w)
        self.assertIn("Every trial kept its schedule", svg(d, "rate_latency"))
        # The CSV given alone: into figures/rate/, no notes about run figures.
        p = plot(path)
        self.assertEqual(p.returncode, 0, p.stderr)
        figs = os.listdir(os.path.join(d, "figures", "rate"))
        self.assertIn("rate_cpu.svg", figs)
        self.assertNotIn("seed_bars skipped", p.stderr)

    def test_idle_alone(self):
        # One rate, one message per entry: the rate figures draw a point each;
        # wakeup, with no distribution to draw, is skipped with a note.
        d = self.folder()
        write_rate(d, name="idle", rates=(0.1,), sizes=(8,), trials=1, hgrm=False, seconds=10)
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("wakeup skipped: at most 1 message(s) per entry at 0.1/s (idle.csv)",
                      p.stderr)
        self.assertIn(">0.1<", svg(d, "rate_latency"))

    def test_spin_rows_are_not_the_sweep(self):
        # A rate CSV whose entries vary spin_ns, with the default budget's rows
        # beside them: the sweep figures take the default's, spin_budget the rest.
        d = self.folder()
        write_rate(d, rates=(1000, 10000), sizes=(8,), trials=1, entries=RATE_ENTRIES[:2],
                   spins=("", "0", "100000"), hgrm=False)
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        lat = svg(d, "rate_latency")
        self.assertIn("1 trial per entry and rate", lat)
        sp = svg(d, "spin_budget")
        self.assertIn("1 trial per entry, budget and rate", sp)
        self.assertIn(">0<", sp)

    def test_single_placement_is_skipped_with_a_note(self):
        d = self.folder()
        rows = run_rows(synth.rng(2), [synth.CRATE, "cached-pad64-acqrel"], 6)
        synth.write(os.path.join(d, "placements.csv"), rows)
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("placements skipped: one placement only (core)", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(d, "figures", "placements.png")))


@unittest.skipUnless(GNUPLOT, "gnuplot is not installed (scripts/setup installs gnuplot-nox)")
class BadInput(Case):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.t = self.tmp.name
        rows = run_rows(synth.rng(4), [synth.CRATE, synth.DEFAULT, "peer-ck-ring"], 6)
        self.good = synth.write(os.path.join(self.t, "good.csv"), rows)
        with open(self.good) as f:
            self.text = f.read()

    def tearDown(self):
        self.tmp.cleanup()

    def case(self, text, *want, name="seed.csv"):
        d = tempfile.mkdtemp(dir=self.t)
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text)
        for arg in (d, path):
            p = plot(arg)
            self.assertEqual(p.returncode, 2, p.stderr)
            lines = p.stderr.splitlines()
            self.assertEqual(len(lines), 1, p.stderr)
            self.assertIn(path, lines[0])
            for w in want:
                self.assertIn(w, lines[0])
            self.assertFalse(os.path.exists(os.path.join(d, "figures")), "nothing is drawn")
        return lines[0]

    def test_empty(self):
        self.case("", "empty file")

    def test_header_only(self):
        self.case(self.text.splitlines()[0] + "\n", "no rows", "header only")

    def test_cut_off_last_row(self):
        lines = self.text.splitlines()
        n = len(lines) - 1
        # Cut in the middle of sends_per_sec: the row must not become a trial.
        last = lines[-1]
        cut = last[:last.index(",", last.index(",l3,") + 5) + 3]
        self.case("\n".join(lines[:-1] + [cut]), f"row {n} (line {n + 1})", "cut off")

    def test_short_row(self):
        lines = self.text.splitlines()
        lines[3] = ",".join(lines[3].split(",")[:10])
        self.case("\n".join(lines) + "\n", "row 3 (line 4)", "has 10 fields")

    def test_malformed_number(self):
        lines = self.text.splitlines()
        f = lines[2].split(",")
        f[14] = "fast"
        lines[2] = ",".join(f)
        self.case("\n".join(lines) + "\n", "row 2 (line 3)", "sends_per_sec", "'fast'")

    def test_zero_rate(self):
        lines = self.text.splitlines()
        f = lines[5].split(",")
        f[14] = "0"
        lines[5] = ",".join(f)
        self.case("\n".join(lines) + "\n", "row 5 (line 6)", "sends_per_sec", "not more than 0")

    def test_bad_latency_and_summary(self):
        self.case(LAT_HEAD + "\nx,1,0,seqcst,8,16384,0,1,l3,abc,1,1,1,1,1,1,1,variant,core\n",
                  "row 1 (line 2)", "p50_ns", name="latency.csv")
        self.case("placement,msg_size,variant,median,min,max,ratio,ratio_lo,ratio_hi\n",
                  "no rows", name="seed-summary.csv")

    def test_bad_rate_csv(self):
        d = tempfile.mkdtemp(dir=self.t)
        good = write_rate(d, rates=(1000,), sizes=(8,), trials=1, hgrm=False, doc=False)
        with open(good) as f:
            lines = f.read().splitlines()
        shutil.rmtree(d)
        bad = list(lines)
        f = bad[2].split(",")
        f[RATE_HEAD.split(",").index("send_p50_ns")] = "slow"
        bad[2] = ",".join(f)
        self.case("\n".join(bad) + "\n", "row 2 (line 3)", "send_p50_ns", "'slow'",
                  name="rate.csv")
        bad = list(lines)
        f = bad[1].split(",")
        f[RATE_HEAD.split(",").index("kept")] = "2"
        bad[1] = ",".join(f)
        self.case("\n".join(bad) + "\n", "row 1 (line 2)", "kept", name="rate.csv")
        bad = list(lines)
        f = bad[3].split(",")
        f[RATE_HEAD.split(",").index("rate")] = "0"
        bad[3] = ",".join(f)
        self.case("\n".join(bad) + "\n", "row 3 (line 4)", "rate", "not more than 0",
                  name="rate.csv")
        self.case("\n".join(lines[:-1] + [lines[-1][:40]]), "cut off", name="rate.csv")
        self.case(RATE_HEAD + "\n", "no rows", "rate CSV", name="rate.csv")

    def test_cut_off_rate_hgrm(self):
        d = tempfile.mkdtemp(dir=self.t)
        write_rate(d, rates=(1000,), sizes=(8,), trials=1)
        h = os.path.join(d, "hgrm", "limit-futex.core.8.1000.hgrm")
        with open(h) as f:
            text = f.read()
        with open(h, "w") as f:
            f.write(text[:text.index("#[Max")])
        p = plot(d)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(h, p.stderr)
        self.assertIn("cut off", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(d, "figures")), "nothing is drawn")

    def test_cut_off_hgrm(self):
        d = tempfile.mkdtemp(dir=self.t)
        write_latency(d, [synth.CRATE, "limit-c2c"])
        h = os.path.join(d, "hgrm", f"{synth.CRATE}.core.hgrm")
        with open(h) as f:
            text = f.read()
        with open(h, "w") as f:
            f.write(text[:text.index("#[Max")])
        p = plot(d)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(h, p.stderr)
        self.assertIn("cut off", p.stderr)

    def test_missing_path(self):
        p = plot(os.path.join(self.t, "nope"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("no such file or folder", p.stderr)

    def test_nothing_to_draw(self):
        d = tempfile.mkdtemp(dir=self.t)
        p = plot(d)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("nothing drawn", p.stderr)
        with open(os.path.join(d, "notes.csv"), "w") as f:
            f.write("a,b\n1,2\n")
        p = plot(d)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("not a bipbench CSV", p.stderr)
        self.assertIn("nothing drawn", p.stderr)
        p = plot(os.path.join(d, "notes.csv"))
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("not a CSV bipbench wrote", p.stderr)

    def test_folder_name_is_not_code(self):
        # gnuplot code in a folder name, and in an entry name: both must stay
        # data (gnuplot -c, fields read from files), never run.
        name = "x';system('touch PWNED')';\"y`touch PWNED`$(touch PWNED)"
        d = os.path.join(self.t, name)
        os.mkdir(d)
        evil = "peer-';system('touch PWNED')';\""
        rows = run_rows(synth.rng(5), [synth.CRATE, synth.DEFAULT, evil], 6)
        synth.write(os.path.join(d, "seed.csv"), rows)
        p = plot(d, cwd=self.t)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.isfile(os.path.join(d, "figures", "seed_bars.png")))
        for where in (self.t, d, REPO, os.path.join(d, "figures"), tempfile.gettempdir()):
            self.assertFalse(os.path.exists(os.path.join(where, "PWNED")), where)
        self.assertIn("system(", svg(d, "seed_bars"))  # drawn as text

    def test_failing_figure_keeps_the_old_one(self):
        d = os.path.join(self.t, "r")
        os.mkdir(d)
        shutil.copy(self.good, os.path.join(d, "seed.csv"))
        p = plot(d)
        self.assertEqual(p.returncode, 0, p.stderr)
        figs = os.path.join(d, "figures")
        old = {}
        for f in ("seed_bars.png", "seed_bars.svg", "headline.png"):
            with open(os.path.join(figs, f), "rb") as fh:
                old[f] = fh.read()
        # A gnuplot that writes half a file and fails on seed_bars.
        fake = os.path.join(self.t, "fake-gnuplot")
        with open(fake, "w") as f:
            f.write(f"""#!/bin/sh
case "$2" in
  *seed_bars*) printf 'half a PNG' > "$4"; echo 'boom: seed_bars failed' >&2; exit 1;;
esac
exec {GNUPLOT} "$@"
""")
        os.chmod(fake, os.stat(fake).st_mode | stat.S_IEXEC)
        os.utime(os.path.join(figs, "headline.png"), (1, 1))
        p = plot(d, env={"GNUPLOT": fake})
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("seed_bars FAILED", p.stderr)
        self.assertIn("boom: seed_bars failed", p.stderr)
        for f in ("seed_bars.png", "seed_bars.svg"):
            with open(os.path.join(figs, f), "rb") as fh:
                self.assertEqual(fh.read(), old[f], f"{f} was changed")
        self.assertGreater(os.path.getmtime(os.path.join(figs, "headline.png")), 1,
                           "the other figures are still drawn")
        self.assertEqual([f for f in os.listdir(figs) if f.startswith(".")], [],
                         "temporary files left behind")


class Unit(unittest.TestCase):
    def test_read_table_reports_file_and_row(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "t.csv")
            with open(p, "w") as f:
                f.write("a,b\n1,2\n3,x\n")
            with self.assertRaises(bs.InputError) as cm:
                bs.read_table(p, required=("a",), numeric=("a", "b"))
            self.assertEqual(str(cm.exception), f"{p}: row 2 (line 3): column b: 'x' is not a "
                                                "number")

    def test_rate_csv_kind(self):
        with tempfile.TemporaryDirectory() as d:
            path = write_rate(d, rates=(1000,), sizes=(8,), trials=1, hgrm=False, doc=False)
            self.assertEqual(bp.csv_kind(path), "rate")
            self.assertFalse(bs.is_run_csv(path))
            rf = bp._rate_file(path)
            self.assertEqual(len(rf.rows), len(RATE_ENTRIES))
            self.assertEqual(rf.entries["peer-pipe"].kind, "peer")

    def test_rate_styles(self):
        reg = {}
        lib = bp.rate_style(bp.Entry(bp.LIBRARY_DEFAULT, "variant"), "asym", [], reg)
        fence = bp.rate_style(bp.Entry("cached-pad128-acqrel-fence", "variant"), "fence", [], reg)
        spin = bp.rate_style(bp.Entry(synth.DEFAULT, "variant"), "spin", [], reg)
        crate = bp.rate_style(bp.Entry("crate-design-asym", "variant"), "asym", [], reg)
        futex = bp.rate_style(bp.Entry("limit-futex", "limit"), "futex", [], reg)
        self.assertGreater(lib.lw, fence.lw)
        self.assertEqual(lib.colour, bp.STRONG["1"])
        self.assertEqual(crate.colour, bp.STRONG["0"])
        self.assertEqual(spin.dt, 2)
        self.assertNotEqual(fence.pt, lib.pt)
        self.assertEqual(futex.colour, bp.LIMIT_COLOUR)
        self.assertEqual(sorted([futex, spin, crate, fence, lib], key=lambda s: s.rank)[0], lib)

    def test_clean_keeps_gnuplot_fields_whole(self):
        self.assertEqual(bp.clean('a\t"b"\nc'), "a 'b' c")

    def test_styles_follow_the_columns(self):
        e = bp.Entry("whatever-name", "variant", "0", "64", "seqcst")
        st = bp.style_of(e)
        self.assertEqual(st.pt, bp.PAD_MARKER["64"][0])  # open: seqcst
        self.assertEqual(st.colour, bp.MUTED["0"])
        self.assertEqual(st.dt, 2)
        self.assertTrue(bp.style_of(bp.Entry(synth.DEFAULT, "variant", "1", "128",
                                             "acqrel")).strong)


if __name__ == "__main__":
    unittest.main(verbosity=2)
