"""The statistics of a run: each entry's median, spread and ratio to the
crate's design (bipbench's summary CSV where the folder has it, else
bipstats), cached per run."""

from dataclasses import dataclass

import bipstats as bs

from . import style
from .style import C2C, Entry

np = bs.np


@dataclass
class Stat:
    """One entry in one condition of one run."""
    entry: Entry
    median: float        # sends/s (limit-c2c: ns per hop)
    min: float
    max: float
    n: int
    gbps: float          # median GB/s
    noisy: int
    unknown: int
    ratio: object = None     # to the baseline, with its interval
    lo: object = None
    hi: object = None
    coverage: object = None
    rounds: object = None
    paired: object = None    # True: by round; False: unpaired; None: no ratio


def cond_of(t):
    return (t.workload, t.read, t.msg_size, t.queue_size, t.placement)


def main_placement(trials):
    places = list(dict.fromkeys(t.placement for t in trials))
    return "core" if "core" in places else (places[0] if places else "")


_RATIO_CACHE = {}


def ratios(run, baseline=None, subset=None):
    """{(entry, cond): bs.Result}: each entry / baseline, paired by round
    where the run interleaved its trials (bipstats decides), else unpaired.
    {} where the baseline did not run."""
    baseline = style.CRATE if baseline is None else baseline
    key = (run.path, baseline, tuple(sorted(subset)) if subset else None)
    if key in _RATIO_CACHE:
        return _RATIO_CACHE[key]
    trials = [t for t in run.trials if subset is None or t.variant in subset]
    out = {}
    if any(t.variant == baseline for t in trials):
        for r in bs.paired_to_baseline(trials, baseline):
            k = r.key
            out[(k["entry"], (k["workload"], k["read"], k["msg_size"], k["queue_size"],
                              k["placement"]))] = r
    _RATIO_CACHE[key] = out
    return out


def run_stats(run, baseline=None):
    """{cond: {entry: Stat}} of a run; ratios to the crate's design from
    bipbench's summary CSV where there is one, else from bipstats."""
    baseline = style.CRATE if baseline is None else baseline
    groups = {}
    for t in run.trials:
        groups.setdefault(cond_of(t), {}).setdefault(t.variant, []).append(t)
    summ = {}
    if run.summary and baseline == style.CRATE:
        for r in run.summary:
            if (r.get("baseline") or style.CRATE) == style.CRATE and (r.get("ratio") or "").strip():
                summ[(r.get("placement") or "", int(float(r["msg_size"])), r["variant"])] = r
    res = {} if summ else ratios(run, baseline)
    out = {}
    for cond, by in groups.items():
        d = {}
        for name, ts in by.items():
            vals = [t.hop_ns if name == C2C and t.hop_ns is not None else t.rate for t in ts]
            gb = [float(t.row.get("gb_per_sec") or 0) for t in ts]
            s = Stat(run.entries.get(name, Entry(name)), float(np.median(vals)), min(vals),
                     max(vals), len(ts), float(np.median(gb)),
                     sum(1 for t in ts if t.noisy), sum(1 for t in ts if t.noisy is None))
            if name == baseline:
                s.ratio, s.lo, s.hi, s.paired = 1.0, 1.0, 1.0, None
            elif summ:
                r = summ.get((cond[4], cond[2], name))
                if r is not None and name != C2C:
                    s.ratio, s.lo, s.hi = (float(r["ratio"]), float(r["ratio_lo"]),
                                           float(r["ratio_hi"]))
                    s.coverage = float(r["ratio_coverage"]) if r.get("ratio_coverage") else None
                    s.rounds = int(float(r["ratio_rounds"])) if r.get("ratio_rounds") else None
                    s.paired = True
            else:
                r = res.get((name, cond))
                if r is not None:
                    s.ratio, s.lo, s.hi, s.coverage = r.ratio, r.low, r.high, r.coverage
                    s.paired = r.method == bs.PAIRED_METHOD
                    s.rounds = r.n_a if s.paired else None
            d[name] = s
        out[cond] = d
    return out


_STATS_CACHE = {}


def stats_of(run):
    if run.path not in _STATS_CACHE:
        _STATS_CACHE[run.path] = run_stats(run)
    return _STATS_CACHE[run.path]


def pick_run(runs, score):
    """The run with the highest score (> 0); on a tie, the first by name."""
    best, bscore = None, 0
    for r in sorted(runs, key=lambda r: r.name):
        s = score(r)
        if s > bscore:
            best, bscore = r, s
    return best


def interval_words(stats):
    """How the intervals of these Stats were made, for a caption."""
    st = [s for s in stats if s.ratio is not None and s.paired is not None]
    if not st:
        return "no interval: the crate's design is not in this run"
    paired = [s for s in st if s.paired]
    unpaired = [s for s in st if not s.paired]
    parts = []
    if paired:
        rounds = sorted({s.rounds for s in paired if s.rounds})
        covs = sorted({s.coverage for s in paired if s.coverage})
        low = [c for c in covs if c < 0.95]
        r = "-".join(str(x) for x in (rounds[0], rounds[-1])) if len(rounds) > 1 else (
            str(rounds[0]) if rounds else "?")
        text = (f"paired by round: median of the per-round ratios over {r} rounds, "
                "distribution-free 95% interval (order statistics)")
        if low:
            cov = (f"{low[0]:.1%}" if len(low) == 1 else f"{low[0]:.1%} to {low[-1]:.1%}")
            text += f"; below 6 rounds the interval is [min, max], coverage {cov}"
        parts.append(text)
    if unpaired:
        parts.append("UNPAIRED: this run predates interleaved rounds, so its trials pair "
                     "nothing; ratio of medians, 95% bootstrap interval")
    return "; ".join(parts)
