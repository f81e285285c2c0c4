"""bipstats - how sure bipbench's numbers are: the statistics behind
scripts/compare, scripts/ablate and scripts/index.

Run CSVs (bipbench run --csv, one row per trial) are read by column name, old
and new alike. Three comparisons, each giving a list of Result rows that
format_markdown() and format_csv() print:

  paired_to_baseline(trials, baseline)
      within one run: each entry / the baseline in each round (the trials of
      one round were measured back to back, bipbench interleaves them; a run
      from before it did is compared unpaired);
  paired_builds(trials, build_a, build_b)
      two builds run in interleaved rounds (scripts/ablate): B / A per round;
  unpaired(trials_a, trials_b)
      two separate runs: median(B) / median(A), nothing paired.

The methods (docs/DESIGN.md, "Statistics"):

  paired    the median of the per-round ratios; a distribution-free interval
            for that median from order statistics (ranks from the binomial
            distribution; 95% or more from 6 rounds on, [min, max] with its
            actual coverage below that); p: two-sided Wilcoxon signed-rank
            test of the log ratios.
  unpaired  median(B) / median(A); a 95% percentile bootstrap interval,
            each side's trials resampled independently; p: two-sided
            Mann-Whitney U test.
  verdict   "faster" when the interval lies above 1 and p < 0.05, "slower"
            when it lies below 1 and p < 0.05, else "no difference shown".
  noise     a trial is noisy if its threads migrated, or (files with the wait
            columns) one of them waited for its CPU more than 3% of the trial
            and 0.2 ms, or (older files) they were preempted more than
            max(3, 10 per second of trial) times: bipbench's own rule,
            harness/noise.h.

Bad input raises InputError, whose message is one line; the scripts print it
and exit 2. numpy and scipy only.
"""

import csv
import math
import os
import sys
import tempfile
import warnings
from dataclasses import dataclass, field


def _require_numpy_scipy():
    """Import numpy and scipy, or re-run the calling script with Debian's
    python3 (which python3-numpy and python3-scipy install into) when the
    python3 first on PATH lacks them; else exit 2 saying what to install."""
    try:
        import numpy  # noqa: F401
        import scipy.stats  # noqa: F401
        return
    except ImportError:
        pass
    system = "/usr/bin/python3"
    script = sys.argv[0] if sys.argv else ""
    if (os.path.realpath(sys.executable) != os.path.realpath(system)
            and os.access(system, os.X_OK) and os.path.isfile(script)
            and not os.environ.get("BIPSTATS_REEXEC")):
        os.environ["BIPSTATS_REEXEC"] = "1"
        os.execv(system, [system, script] + sys.argv[1:])
    name = os.path.basename(script) or "bipstats"
    sys.stderr.write(f"{name}: needs numpy and scipy for python3 (Debian: apt-get install "
                     "python3-numpy python3-scipy; scripts/setup installs them)\n")
    sys.exit(2)


_require_numpy_scipy()

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

# ---- names -------------------------------------------------------------------

CRATE = "crate-design"
"""The Rust crate's design as the crate built it (none of this project's
levers); bipbench calls it `crate` (old name `seed`)."""
CRATE_OLD = "uncached-pad64-acqrel"
"""The same choices with this project's levers (claiming ahead, on in every
variant since commit 0db92d9). Files from before crate-design existed have no
crate-design row: there, asking for the crate's design gives this one (see
file_baseline)."""
DEFAULT_VARIANT = "cached-pad128-acqrel"
"""What <bipbuf.h> builds without -D flags."""
ALIASES = {"crate": CRATE, "seed": CRATE}

CONFIDENCE = 0.95
ALPHA = 0.05
BOOTSTRAP_RESAMPLES = 9999
BOOTSTRAP_SEED = 1
"""The bootstrap's generator is seeded, so a report is the same every time."""

MIN_ROUNDS = 6
"""The fewest paired rounds that can give a verdict: with n rounds the
smallest two-sided p of a rank test is 2 / 2^n (0.0625 at 5, 0.031 at 6), and
the order-statistic interval reaches 95% coverage at 6."""

FASTER, SLOWER, NO_DIFF = "faster", "slower", "no difference shown"

# Columns every run CSV has had; the rest are optional (old files lack some).
REQUIRED = ("variant", "workload", "msg_size", "trial", "sends_per_sec")


class InputError(Exception):
    """Bad input: the message is one line for the user; exit status 2."""


def resolve_name(name):
    """An entry name as the CSVs write it: the aliases crate and seed are the
    crate's design."""
    return ALIASES.get(name, name)


def file_baseline(names, baseline=CRATE):
    """The baseline one file's ratios divide by, given the entries it has:
    the crate's design (crate-design) where the file has it; else, in a file
    from before crate-design existed, uncached-pad64-acqrel, which was the
    crate's design there (with claiming ahead on from commit 0db92d9). Any
    other baseline is itself."""
    baseline = resolve_name(baseline)
    if baseline == CRATE and CRATE not in names and CRATE_OLD in names:
        return CRATE_OLD
    return baseline


def _file_baselines(trials, baseline):
    """{file: its baseline} (file_baseline for each file of trials)."""
    by_source = {}
    for t in _ratio_entries(trials):
        by_source.setdefault(t.source, set()).add(t.variant)
    return {src: file_baseline(n, baseline) for src, n in by_source.items()}


def baselines_used(trials, baseline=CRATE):
    """The baselines file_baseline chose, one per file, sorted."""
    return sorted(set(_file_baselines(trials, baseline).values()))


# ---- loading -----------------------------------------------------------------

@dataclass
class Trial:
    """One row of a run CSV."""
    source: str          # the file it came from
    variant: str         # the entry: a variant, limit-* or peer-*
    kind: str
    workload: str
    read: str
    msg_size: int
    queue_size: int
    placement: str
    trial: int
    round: int           # the `round` column (scripts/ablate), else 0
    build: str           # the `build` column (scripts/ablate), else ""
    rate: float          # sends_per_sec
    seconds: float       # how long the trial ran
    preemptions: object  # int, or None where the file has no value
    migrations: object   # int, or None (files before the column)
    hop_ns: object       # limit-c2c: ns per one-way hop, else None
    noisy: object        # True, False, or None: cannot tell
    noise_why: str       # why noisy, or why it cannot tell
    pus: str             # "producer,consumer"
    row: dict = field(repr=False)
    distance_ns: object = None         # the probed one-way core-to-core time, ns, or None
    distance_before_ns: object = None  # the probes just before and after the trial
    distance_after_ns: object = None
    noise_codes: tuple = ()            # the rules that made it noisy (noise_reasons)


def _int(s):
    s = (s or "").strip()
    return int(float(s)) if s else None


def _float(s):
    s = (s or "").strip()
    return float(s) if s else None


WAIT_SHARE = 0.03
"""A thread that waited for its CPU longer than this share of the trial..."""
WAIT_MIN_NS = 200_000
"""...and longer than this makes the trial noisy (harness/noise.h)."""


DISTANCE_RATIO = 1.5
"""Probes of the core-to-core distance that differ by more than this: the
trial moved between distance states (harness/noise.h, rule 4); an entry whose
trials span more than it pools states."""


def distance_moved(before, after):
    """Whether a trial's two distance probes disagree (None: not probed)."""
    if not before or not after or before <= 0 or after <= 0:
        return False
    return max(before, after) > DISTANCE_RATIO * min(before, after)


def noise_of(preemptions, migrations, seconds, noisy_column=None, wait_ns=None,
             distance=None):
    """bipbench's noise rule for one trial (harness/noise.h): noisy if its
    threads migrated (migrations > 0); else, where the file has the wait
    columns (wait_ns: the longer wait of the two threads), if it exceeds
    3% of the trial and 0.2 ms; else if they were preempted more than
    max(3, 10 * seconds) times; and, where distance holds the trial's two
    probes (before, after), if they disagree by more than DISTANCE_RATIO.
    Returns (noisy, why): noisy is None when the file cannot tell (no
    migrations count, and the rest does not make it noisy). noisy_column,
    where the file has bipbench's verdict, is taken as it is."""
    noisy, why, _ = noise_reasons(preemptions, migrations, seconds, noisy_column, wait_ns,
                                  distance)
    return noisy, why


def noise_reasons(preemptions, migrations, seconds, noisy_column=None, wait_ns=None,
                  distance=None):
    """noise_of's verdict and text, and the rules that made the trial noisy
    as codes, for counting by: a tuple of "migrated", "distance", "waited",
    "preempted" (the rules of harness/noise.h), or ("verdict",) where only
    the file's noisy column says so."""
    why, codes = [], []
    if migrations is not None and migrations > 0:
        why.append(f"{migrations} migrations")
        codes.append("migrated")
    if distance is not None and distance_moved(*distance):
        why.append(f"the distance probes read {distance[0]:.0f} and {distance[1]:.0f} ns")
        codes.append("distance")
    if wait_ns is not None:
        if wait_ns > WAIT_MIN_NS and wait_ns > WAIT_SHARE * (seconds or 0.0) * 1e9:
            why.append(f"a thread waited {wait_ns / 1e6:.3g} ms of {seconds:.3g} s for its CPU")
            codes.append("waited")
    else:
        limit = max(3.0, 10.0 * (seconds or 0.0))
        if preemptions is not None and preemptions > limit:
            why.append(f"{preemptions} preemptions in {seconds:.3g} s")
            codes.append("preempted")
    if noisy_column is not None:
        if noisy_column and not why:
            why.append("bipbench's verdict")
            codes.append("verdict")
        return bool(noisy_column), ", ".join(why), tuple(codes) if noisy_column else ()
    if why:
        return True, ", ".join(why), tuple(codes)
    if migrations is None or preemptions is None:
        return None, "no migrations count" if migrations is None else "no preemptions count", ()
    return False, "", ()


def is_run_csv(path):
    """Whether a file is a run CSV (by its header), not a latency CSV or other."""
    try:
        with open(path, newline="") as f:
            header = next(csv.reader(f), [])
    except (OSError, UnicodeDecodeError):
        return False
    return all(c in header for c in REQUIRED)


def read_run_csv(path):
    """The trials of one run CSV, columns found by name, after read_table's
    checks of the whole file: text (UTF-8), whole rows, numbers where numbers
    belong, finite, and rates and times more than 0 (a nan, inf, negative or
    0 rate is refused with the file, row, line and column, never averaged)."""
    _, rows = read_table(path, required=REQUIRED, numeric=RUN_NUMERIC, positive=RUN_POSITIVE,
                         what="run CSV")
    out = []
    for n, r in enumerate(rows, start=1):
        try:
            out.append(_trial(path, r))
        except (TypeError, ValueError):
            raise InputError(f"{path}: row {n} (line {n + 1}): a field is not a number")
    return out


def _trial(path, r):
    messages = _int(r.get("messages")) or 0
    elapsed = _float(r.get("elapsed_ns")) or 0.0
    unit = r.get("elapsed_unit") or "ns_trial"
    hop = _float(r.get("hop_ns"))
    if unit == "ns_per_hop":
        # Old files: the time per hop in elapsed_ns.
        hop = elapsed if hop is None else hop
        seconds = elapsed * messages / 1e9
    else:
        seconds = elapsed / 1e9
        if r.get("variant") == "limit-c2c" and hop is None and messages:
            hop = elapsed / messages
    pre = _int(r.get("preemptions"))
    mig = _int(r.get("migrations"))
    noisy_col = r.get("noisy")
    noisy_col = None if noisy_col in (None, "") else int(noisy_col) != 0
    waits = [_int(r.get(c)) for c in ("producer_wait_ns", "consumer_wait_ns")]
    wait = None if None in waits else max(waits)
    before, after = _float(r.get("distance_before_ns")), _float(r.get("distance_after_ns"))
    noisy, why, codes = noise_reasons(pre, mig, seconds, noisy_col, wait, (before, after))
    return Trial(
        source=path, variant=r["variant"], kind=r.get("kind") or "",
        workload=r["workload"], read=r.get("read") or "", msg_size=int(r["msg_size"]),
        queue_size=_int(r.get("queue_size")) or 0, placement=r.get("placement") or "",
        trial=int(r["trial"]), round=_int(r.get("round")) or 0, build=r.get("build") or "",
        rate=float(r["sends_per_sec"]), seconds=seconds, preemptions=pre, migrations=mig,
        hop_ns=hop, noisy=noisy, noise_why=why,
        pus=f"{r.get('producer_pu', '')},{r.get('consumer_pu', '')}", row=r,
        distance_ns=_float(r.get("distance_ns")), distance_before_ns=before,
        distance_after_ns=after, noise_codes=codes)


RUN_NUMERIC = ("msg_size", "queue_size", "messages", "trial", "producer_pu", "consumer_pu",
               "elapsed_ns", "sends_per_sec", "gb_per_sec", "bytes", "seed", "check",
               "preemptions", "lag", "hop_ns", "migrations", "noisy", "producer_preemptions",
               "consumer_preemptions", "producer_migrations", "consumer_migrations", "round",
               "producer_wait_ns", "consumer_wait_ns", "distance_ns", "distance_before_ns",
               "distance_after_ns")
"""Run CSV columns that hold numbers (where a file has them)."""
RUN_POSITIVE = ("msg_size", "messages", "elapsed_ns", "sends_per_sec")
"""Run CSV columns that are more than 0 in every trial bipbench reports: a 0
there is a damaged row, never a measurement."""


def read_table(path, required=(), numeric=(), positive=(), what="CSV", nonempty=None):
    """Every row of a CSV as a dict by column name, after checking the file
    whole: not empty, a header with the `required` columns, at least one
    row, every row with as many fields as the header and ending in a newline
    (bipbench writes whole files, so a last row without one was cut off),
    the `numeric` columns numbers where they are not empty (the `nonempty`
    ones, by default the `required` ones, never empty), the `positive` ones
    more than 0. Returns (header, rows).
    Raises InputError naming the file and the row: row n is the n-th row
    after the header, on line n + 1."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}")
    if not raw.strip():
        raise InputError(f"{path}: empty file (no header, no rows)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text file (not UTF-8)")
    lines = text.split("\n")
    ended = lines[-1] == ""
    if ended:
        lines.pop()
    records = list(csv.reader(lines))
    header = records[0]
    nonempty = required if nonempty is None else nonempty
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{path}: not a bipbench {what} (no column {missing[0]})")
    rows = []
    body = records[1:]
    for n, rec in enumerate(body, start=1):
        where = f"{path}: row {n} (line {n + 1})"
        if not rec:
            raise InputError(f"{where} is empty")
        if n == len(body) and not ended:
            raise InputError(f"{where} is cut off (no end of line): the file is truncated")
        if len(rec) != len(header):
            cut = " (truncated?)" if len(rec) < len(header) else ""
            raise InputError(f"{where} has {len(rec)} fields, the header {len(header)}{cut}")
        r = dict(zip(header, rec))
        for c in numeric:
            if c not in r:
                continue
            v = r[c].strip()
            if not v:
                if c in nonempty:
                    raise InputError(f"{where}: column {c} is empty")
                continue
            try:
                x = float(v)
            except ValueError:
                raise InputError(f"{where}: column {c}: '{v[:40]}' is not a number")
            if not math.isfinite(x):
                raise InputError(f"{where}: column {c}: '{v[:40]}' is not a finite number")
            if c in positive and not x > 0:
                raise InputError(f"{where}: column {c} is {v}, not more than 0: a damaged row")
        rows.append(r)
    if not rows:
        raise InputError(f"{path}: no rows (the {what} has a header only)")
    return header, rows


def run_csvs(folder):
    """The run CSVs directly in a folder (latency.csv and others are left out)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as e:
        raise InputError(f"cannot read folder {folder}: {e.strerror}")
    return [os.path.join(folder, n) for n in names
            if n.endswith(".csv") and is_run_csv(os.path.join(folder, n))]


def load(path):
    """The trials of a run CSV, or of every run CSV in a folder."""
    if os.path.isdir(path):
        files = run_csvs(path)
        if not files:
            raise InputError(f"{path}: no bipbench run CSV in this folder")
    elif os.path.exists(path):
        files = [path]
    else:
        raise InputError(f"{path}: no such file or folder")
    trials = []
    for f in files:
        trials += read_run_csv(f)
    if not trials:
        raise InputError(f"{path}: no trials (the CSV has a header only)")
    return trials


# ---- the statistics ------------------------------------------------------------

def order_stat_ranks(n, confidence=CONFIDENCE):
    """The distribution-free interval for a median of n values: the 1-based
    ranks (k, n + 1 - k) of the sorted values that bound it, and its coverage
    1 - 2 P(X <= k - 1), X ~ Binomial(n, 1/2). k is the largest rank whose
    coverage is at least `confidence`; below that (n < 6 for 95%) the widest
    interval, k = 1 ([min, max]), whose coverage is then less than asked."""
    if n < 1:
        raise ValueError("no values")
    k = 1
    while k + 1 <= (n + 1) // 2 and 1 - 2 * stats.binom.cdf(k, n, 0.5) >= confidence:
        k += 1
    coverage = 1 - 2 * stats.binom.cdf(k - 1, n, 0.5)
    return k, n + 1 - k, float(coverage)


@dataclass
class Interval:
    median: float
    low: float
    high: float
    coverage: float  # the interval's actual coverage (a probability)
    n: int


def median_interval(values, confidence=CONFIDENCE):
    """The median of values and its distribution-free interval (order
    statistics; see order_stat_ranks)."""
    x = np.sort(np.asarray(values, dtype=float))
    k_lo, k_hi, cov = order_stat_ranks(len(x), confidence)
    return Interval(float(np.median(x)), float(x[k_lo - 1]), float(x[k_hi - 1]), cov, len(x))


def wilcoxon_p(ratios):
    """Two-sided Wilcoxon signed-rank p-value of log(ratios) against 0 (exact
    for small samples); None when every ratio is 1 or there are none."""
    d = np.log(np.asarray(ratios, dtype=float))
    d = d[d != 0]
    if len(d) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(stats.wilcoxon(d, alternative="two-sided").pvalue)


def mannwhitney_p(a, b):
    """Two-sided Mann-Whitney U p-value of samples a and b; None if either is
    empty."""
    if len(a) == 0 or len(b) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(stats.mannwhitneyu(b, a, alternative="two-sided").pvalue)


def bootstrap_ratio(a, b, confidence=CONFIDENCE, resamples=BOOTSTRAP_RESAMPLES,
                    seed=BOOTSTRAP_SEED):
    """A percentile bootstrap interval for median(b) / median(a), each sample
    resampled independently (scipy.stats.bootstrap); (None, None) when a side
    has fewer than 2 values."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if len(a) < 2 or len(b) < 2:
        return None, None

    def ratio(x, y, axis=-1):
        return np.median(y, axis=axis) / np.median(x, axis=axis)

    if np.all(a == a[0]) and np.all(b == b[0]):
        r = float(b[0] / a[0])
        return r, r
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap((a, b), ratio, paired=False, vectorized=True,
                              confidence_level=confidence, n_resamples=resamples,
                              method="percentile", random_state=np.random.default_rng(seed))
    ci = res.confidence_interval
    return float(ci.low), float(ci.high)


def verdict(low, high, p, alpha=ALPHA):
    """faster / slower / no difference shown, for a ratio B / A."""
    if low is None or high is None or p is None or not p < alpha:
        return NO_DIFF
    if low > 1:
        return FASTER
    if high < 1:
        return SLOWER
    return NO_DIFF


# ---- results -------------------------------------------------------------------

PAIRED_METHOD = ("paired by round: ratio = median of the per-round ratios; interval: "
                 "distribution-free for the median (binomial order statistics); "
                 "p: Wilcoxon signed-rank of the log ratios")
UNPAIRED_METHOD = ("unpaired: ratio = median(B) / median(A); interval: percentile bootstrap, "
                   f"{BOOTSTRAP_RESAMPLES} resamples of each side independently "
                   f"(seed {BOOTSTRAP_SEED}); p: Mann-Whitney U")
SEQUENTIAL_METHOD = "one run without rounds (trials not interleaved), " + UNPAIRED_METHOD


@dataclass
class Result:
    """One row of a report: side B against side A for one condition."""
    key: dict           # entry, workload, read, msg_size, queue_size, placement (+ file)
    a: str              # what A is (the baseline, a build, an input)
    b: str
    median_a: float
    median_b: float
    ratio: float        # B / A
    low: object         # the interval, or None
    high: object
    coverage: float     # the interval's coverage (a probability)
    n_a: int            # trials (paired: rounds) of each side
    n_b: int
    p: object
    verdict: str
    noisy: int          # trials of the two sides that are noisy
    unknown: int        # trials whose noise cannot be told
    trials: int         # trials of the two sides
    method: str
    unit: str = "sends/s"  # what median_a and median_b count
    distance_lo: object = None  # the probed distances of its trials, ns (None: none probed)
    distance_hi: object = None
    distance_state: object = None  # with by_distance: the state's range, "31-40 ns"

    @property
    def distance_varies(self):
        """Its trials span more than DISTANCE_RATIO in distance: the ratio
        pools rounds run at different distances."""
        return self.distance_lo is not None and self.distance_hi > DISTANCE_RATIO * self.distance_lo

    @property
    def noise(self):
        return noise_text(self.noisy, self.unknown, self.trials)


def noise_text(noisy, unknown, trials):
    """noisy: N of M trials / unknown: ... / clean."""
    if noisy:
        return f"noisy: {noisy} of {trials} trials"
    if unknown:
        return f"unknown: {unknown} of {trials} trials without a migrations count"
    return "clean"


def _noise_counts(trials):
    return (sum(1 for t in trials if t.noisy), sum(1 for t in trials if t.noisy is None),
            len(trials))


def _cond(t):
    return (t.workload, t.read, t.msg_size, t.queue_size, t.placement)


def _key(entry, cond, source=None):
    k = {}
    if source is not None:
        k["file"] = os.path.basename(source)
    k.update(entry=entry, workload=cond[0], read=cond[1], msg_size=cond[2],
             queue_size=cond[3], placement=cond[4])
    return k


def _ratio_entries(trials):
    """limit-c2c's sends_per_sec are hops per second: never in a ratio."""
    return [t for t in trials if t.variant != "limit-c2c"]


def distance_states(values, ratio=DISTANCE_RATIO):
    """The distance states found in probed distances: [(lo, hi)], sorted.
    The values are cut at the widest gap between neighbours (as a ratio)
    until no state spans more than `ratio`: on a machine whose vCPUs sit
    either near or far, that finds the two, and it never cuts values that
    lie within `ratio` of each other."""
    vals = sorted(v for v in values if v is not None and v > 0)
    if not vals:
        return []
    todo, out = [vals], []
    while todo:
        c = todo.pop()
        if c[-1] <= ratio * c[0] or len(c) < 2:
            out.append((c[0], c[-1]))
            continue
        cut = max(range(1, len(c)), key=lambda i: c[i] / c[i - 1])
        todo += [c[:cut], c[cut:]]
    return sorted(out)


def _state_of(t, states):
    """The state a trial ran in, or None: not probed, its probes disagree,
    or (cannot happen for states found from it) outside every state."""
    d = t.distance_ns
    if d is None or distance_moved(t.distance_before_ns, t.distance_after_ns):
        return None
    for st in states:
        if st[0] <= d <= st[1]:
            return st
    return None


def state_text(st):
    return f"{st[0]:.0f}-{st[1]:.0f} ns"


def _split_by_distance(pairs, states):
    """{state: [pairs]}: the rounds all of whose trials ran in that state;
    rounds that straddle states, or hold a trial without a usable probe,
    are in none."""
    out = {}
    for pr in pairs:
        sts = {_state_of(t, states) for side in pr for t in side}
        if len(sts) == 1 and None not in sts:
            out.setdefault(sts.pop(), []).append(pr)
    return out


def _paired_results(key, a_name, b_name, pairs, confidence, states=None):
    """One Result over every round, or with states (by_distance) one per
    distance state that has rounds, its key and result naming the state."""
    if states is None:
        return [_paired_result(key, a_name, b_name, pairs, confidence)]
    out = []
    for st, prs in sorted(_split_by_distance(pairs, states).items()):
        r = _paired_result(dict(key, distance=state_text(st)), a_name, b_name, prs, confidence)
        r.distance_state = state_text(st)
        out.append(r)
    return out


def _paired_result(key, a_name, b_name, pairs, confidence):
    """pairs: [(trials_a, trials_b)] of one condition, one per round; each
    side's value in a round is the median of its trials there (one trial in a
    bipbench run, where a round is a trial number)."""
    ra = np.array([np.median([t.rate for t in p[0]]) for p in pairs])
    rb = np.array([np.median([t.rate for t in p[1]]) for p in pairs])
    ratios = rb / ra
    iv = median_interval(ratios, confidence)
    p = wilcoxon_p(ratios)
    every = [t for pr in pairs for side in pr for t in side]
    noisy, unknown, n = _noise_counts(every)
    dist = [t.distance_ns for t in every if t.distance_ns is not None]
    return Result(key=key, a=a_name, b=b_name, median_a=float(np.median(ra)),
                  median_b=float(np.median(rb)), ratio=iv.median, low=iv.low, high=iv.high,
                  coverage=iv.coverage, n_a=len(pairs), n_b=len(pairs), p=p,
                  verdict=verdict(iv.low, iv.high, p), noisy=noisy, unknown=unknown,
                  trials=n, method=PAIRED_METHOD, distance_lo=min(dist) if dist else None,
                  distance_hi=max(dist) if dist else None)


def _rounds(trials, by_round=False):
    """{round: [trials]} of one entry in one condition. A round is a trial
    number within one run (bipbench interleaves trials), or with by_round the
    `round` column (scripts/ablate), which may hold several trials."""
    out = {}
    for t in trials:
        r = (t.round, 0) if by_round and t.round else (t.round, t.trial)
        out.setdefault(r, []).append(t)
    if not by_round:
        # The same trial twice in one run (a file made of two runs): ambiguous.
        out = {r: ts for r, ts in out.items() if len(ts) == 1}
    return out


def entries(trials):
    """The entry names in trials, in order of first appearance."""
    return list(dict.fromkeys(t.variant for t in trials))


def builds(trials):
    """The build labels in trials (scripts/ablate's `build` column), sorted."""
    return sorted({t.build for t in trials if t.build})


def _run_groups(trials):
    """{(file, build, condition): [trials in file order]}: the trials of one
    bipbench run that could share rounds."""
    groups = {}
    for t in _ratio_entries(trials):
        groups.setdefault((t.source, t.build, _cond(t)), []).append(t)
    return groups


def interleaved(group):
    """Whether a run's trials ran in rounds: bipbench writes rows in the order
    it ran them, so an interleaved run lists trial 1 of every entry, then
    trial 2, ...; runs from before it interleaved list each entry's trials
    together (1 2 3 1 2 3 ...), and their trial numbers are no rounds."""
    nums = [(t.round, t.trial) for t in group]
    return all(a <= b for a, b in zip(nums, nums[1:]))


def _by_entry(group):
    out = {}
    for t in group:
        out.setdefault(t.variant, []).append(t)
    return out


def paired_to_baseline(trials, baseline=CRATE, confidence=CONFIDENCE, by_distance=False):
    """Each entry / baseline within each round of each run (file), per
    condition (workload, read, size, queue, placement; and build, where the
    file has one). A run whose trials were not interleaved has no rounds: its
    entries are compared unpaired (SEQUENTIAL_METHOD). Conditions where the
    baseline did not run are left out. Raises InputError if the baseline is
    not an entry of trials. by_distance: one result per distance state of
    the run (distance_states over every probed trial of the condition), from
    the rounds whose trials all ran in it, instead of one over every round."""
    trials = _ratio_entries(trials)
    per_file = _file_baselines(trials, baseline)
    baseline = resolve_name(baseline)
    if not any(b in entries(trials) for b in set(per_file.values()) | {baseline}):
        raise InputError(f"unknown baseline '{baseline}': not an entry of the input "
                         f"(entries: {', '.join(entries(trials))})")
    out = []
    for (source, build, cond), group in _run_groups(trials).items():
        baseline = per_file[source]
        by_entry = _by_entry(group)
        if baseline not in by_entry:
            continue
        rounds = interleaved(group)
        base = _rounds(by_entry[baseline])
        states = distance_states([t.distance_ns for t in group]) if by_distance else None
        for entry, ts in by_entry.items():
            if entry == baseline:
                continue
            key = _key(entry, cond, source)
            if build:
                key["build"] = build
            if not rounds:
                out.append(_unpaired_result(
                    key, baseline, entry, [t.rate for t in by_entry[baseline]],
                    [t.rate for t in ts], by_entry[baseline] + ts, confidence,
                    SEQUENTIAL_METHOD, "sends/s"))
                continue
            mine = _rounds(ts)
            common = sorted(set(base) & set(mine))
            if common:
                out += _paired_results(key, baseline, entry,
                                       [(base[r], mine[r]) for r in common], confidence, states)
    return out


def without_baseline(trials, baseline=CRATE):
    """How many conditions of runs (file, build, condition) have no trials of
    the baseline, and so no ratio to it."""
    per_file = _file_baselines(trials, baseline)
    return sum(1 for (source, _, _), g in _run_groups(trials).items()
               if per_file[source] not in {t.variant for t in g})


def paired_builds(trials, build_a, build_b, confidence=CONFIDENCE, by_distance=False):
    """Build B / build A for each entry and condition, paired by round (the
    `round` column; a build's value in a round is the median of its trials
    there, so trials of one round never count as independent): scripts/ablate's
    comparison. Files without a `round` column pair by trial number.
    by_distance: as for paired_to_baseline, states found over both builds'
    trials of the entry and condition."""
    known = builds(trials)
    for b in (build_a, build_b):
        if b not in known:
            raise InputError(f"unknown build '{b}' (builds: {', '.join(known) or 'none'})")
    groups = {}
    for t in _ratio_entries(trials):
        if t.build in (build_a, build_b):
            groups.setdefault((t.variant, _cond(t)), {}).setdefault(t.build, []).append(t)
    out = []
    for (entry, cond), by_build in groups.items():
        ra = _rounds(by_build.get(build_a, []), by_round=True)
        rb = _rounds(by_build.get(build_b, []), by_round=True)
        common = sorted(set(ra) & set(rb))
        states = None
        if by_distance:
            states = distance_states([t.distance_ns for ts in by_build.values() for t in ts])
        if common:
            out += _paired_results(_key(entry, cond), build_a, build_b,
                                   [(ra[r], rb[r]) for r in common], confidence, states)
    if not out:
        raise InputError(f"builds {build_a} and {build_b} have no round in common")
    return out


def _relative(trials, baseline):
    """{(entry, cond): [(value, trials...)]}: each trial of every entry but the
    baseline as its ratio to the baseline in the same round of its own run,
    or, in a run without rounds (not interleaved), to the baseline's median
    there."""
    out = {}
    per_file = _file_baselines(trials, baseline)
    for (source, build, cond), group in _run_groups(trials).items():
        baseline = per_file[source]
        by_entry = _by_entry(group)
        if baseline not in by_entry:
            continue
        rounds = interleaved(group)
        base = _rounds(by_entry[baseline])
        base_median = float(np.median([t.rate for t in by_entry[baseline]]))
        for entry, ts in by_entry.items():
            if entry == baseline:
                continue
            if not rounds:
                for t in ts:
                    out.setdefault((entry, cond), []).append(
                        (t.rate / base_median, t, *by_entry[baseline]))
                continue
            mine = _rounds(ts)
            for r in sorted(set(base) & set(mine)):
                m, b = mine[r][0], base[r][0]
                out.setdefault((entry, cond), []).append((m.rate / b.rate, m, b))
    return out


def _unpaired_result(key, a_name, b_name, xa, xb, trials, confidence, method, unit):
    xa, xb = np.asarray(xa, dtype=float), np.asarray(xb, dtype=float)
    ma, mb = float(np.median(xa)), float(np.median(xb))
    lo, hi = bootstrap_ratio(xa, xb, confidence)
    p = mannwhitney_p(xa, xb)
    noisy, unknown, n = _noise_counts(list({id(t): t for t in trials}.values()))
    return Result(key=key, a=a_name, b=b_name, median_a=ma, median_b=mb,
                  ratio=mb / ma if ma else float("nan"), low=lo, high=hi, coverage=confidence,
                  n_a=len(xa), n_b=len(xb), p=p, verdict=verdict(lo, hi, p), noisy=noisy,
                  unknown=unknown, trials=n, method=method, unit=unit)


def unpaired(trials_a, trials_b, name_a="A", name_b="B", baseline=None,
             confidence=CONFIDENCE):
    """B against A for each (entry, condition) both have: two separate runs,
    nothing paired. The values are sends/s per trial, or with `baseline`, each
    trial's ratio to the baseline in its own round of its own run (so that a
    machine that is slower in one run as a whole does not count; see
    _relative). Raises InputError if nothing is in common, or the baseline is
    unknown."""
    if baseline is not None:
        base = resolve_name(baseline)
        used = []
        for name, ts in ((name_a, trials_a), (name_b, trials_b)):
            per_file = baselines_used(ts, base)
            if not any(b in entries(_ratio_entries(ts)) for b in per_file):
                raise InputError(f"unknown baseline '{baseline}': not an entry of {name}")
            used += [b for b in per_file if b not in used]
        va, vb = _relative(trials_a, base), _relative(trials_b, base)
        unit = f"x {'/'.join(used)}"
    else:
        va, vb = {}, {}
        for ts, v in ((trials_a, va), (trials_b, vb)):
            for t in _ratio_entries(ts):
                v.setdefault((t.variant, _cond(t)), []).append((t.rate, t))
        unit = "sends/s"
    common = [k for k in va if k in vb]
    if not common:
        raise InputError(f"{name_a} and {name_b} have no entry in common (same entry, workload, "
                         "read, size, queue and placement)")
    out = []
    for k in common:
        ts = [t for v in va[k] + vb[k] for t in v[1:]]
        out.append(_unpaired_result(_key(k[0], k[1]), name_a, name_b, [v[0] for v in va[k]],
                                    [v[0] for v in vb[k]], ts, confidence, UNPAIRED_METHOD,
                                    unit))
    return out


# ---- output --------------------------------------------------------------------

CSV_COLUMNS = ("file", "build", "entry", "workload", "read", "msg_size", "queue_size",
               "placement", "a", "b", "unit", "median_a", "median_b", "ratio", "ci_low",
               "ci_high", "coverage", "n_a", "n_b", "p", "verdict", "noisy_trials", "trials",
               "noise", "method", "distance_lo_ns", "distance_hi_ns", "distance_varies",
               "distance_state")


def _g(x, fmt):
    return "" if x is None else format(x, fmt)


def format_csv(results):
    """The results as CSV text, one row per Result (columns: CSV_COLUMNS)."""
    import io
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in results:
        k = r.key
        w.writerow([k.get("file", ""), k.get("build", ""), k["entry"], k["workload"], k["read"],
                    k["msg_size"], k["queue_size"], k["placement"], r.a, r.b, r.unit,
                    _g(r.median_a, ".6g"), _g(r.median_b, ".6g"), _g(r.ratio, ".6g"),
                    _g(r.low, ".6g"), _g(r.high, ".6g"), _g(r.coverage, ".4f"), r.n_a, r.n_b,
                    _g(r.p, ".4g"), r.verdict, r.noisy, r.trials, r.noise, r.method,
                    _g(r.distance_lo, ".1f"), _g(r.distance_hi, ".1f"),
                    "" if r.distance_lo is None else int(r.distance_varies),
                    r.distance_state or ""])
    return buf.getvalue()


def human_rate(x, unit="sends/s"):
    """76.3M for sends/s; 1.234 for ratios."""
    if x is None:
        return ""
    if unit != "sends/s":
        return f"{x:.3f}"
    return f"{x / 1e6:.1f}M" if x >= 1e5 else f"{x:.0f}"


def distance_text(r):
    """'31-34' (ns), '31-235 !' where the range pools states; '' unprobed."""
    if r.distance_lo is None:
        return ""
    return f"{r.distance_lo:.0f}-{r.distance_hi:.0f}" + (" !" if r.distance_varies else "")


def interval_text(r):
    if r.low is None:
        return "n/a"
    return f"[{r.low:.3f}, {r.high:.3f}]"


def _p_text(p):
    if p is None:
        return "n/a"
    return f"{p:.2g}" if p >= 0.001 else "<0.001"


def method_lines(results, confidence=CONFIDENCE):
    """Markdown lines stating how the rows below were computed."""
    lines = []
    methods = list(dict.fromkeys(r.method for r in results))
    for m in methods:
        if m == PAIRED_METHOD:
            lines.append(
                "- Paired by round: within each round, B / A; the ratio is the median over "
                "rounds. A round is, in one bipbench run, the trials with the same number "
                "(measured back to back); in scripts/ablate's CSV, its `round` column. "
                "Interval: distribution-free for that median, from order statistics "
                "(ranks from scipy.stats.binom); its coverage is given per row: at least "
                f"{confidence:.0%} from 6 rounds on, [min, max] and less below. p: two-sided "
                "Wilcoxon signed-rank test of the log ratios (scipy.stats.wilcoxon).")
        elif m == SEQUENTIAL_METHOD:
            lines.append(
                "- Rows whose n counts trials (A+B) come from a run that did not interleave "
                "its trials (bipbench before it did: each entry's trials ran together), so "
                "its trial numbers are no rounds; they are compared as two separate samples, "
                "as below.")
        if m != PAIRED_METHOD:
            lines.append(
                "- Unpaired (two separate runs): ratio = median(B) / median(A). Interval: "
                f"{confidence:.0%} percentile bootstrap, {BOOTSTRAP_RESAMPLES} resamples of "
                f"each side's trials independently (scipy.stats.bootstrap, seed "
                f"{BOOTSTRAP_SEED}). p: two-sided Mann-Whitney U test "
                "(scipy.stats.mannwhitneyu).")
    lines.append(f"- Verdict: faster if the interval lies above 1 and p < {ALPHA}; slower if "
                 f"it lies below 1 and p < {ALPHA}; otherwise no difference shown.")
    lines.append("- Noise: a trial is noisy if its threads migrated, or one of them waited "
                 "for its CPU more than 3% of the trial and 0.2 ms (files from before the wait "
                 "columns: were preempted more than max(3, 10 per second of trial) times), or "
                 f"its two distance probes disagree by more than {DISTANCE_RATIO}x; a "
                 "verdict over noisy trials is marked (noisy). Files without a migrations "
                 "count can only show noise.")
    if any(r.distance_lo is not None for r in results):
        lines.append("- ns apart: the range of the one-way core-to-core time probed around the "
                     "row's trials (the CSV's distance_ns). '!': the range spans more than "
                     f"{DISTANCE_RATIO}x, so the row pools rounds run at different distances, "
                     "and its ratio is a mixture of the states' (--by-distance splits it).")
    if any(r.distance_state for r in results):
        lines.append("- By distance: the trials' distances are cut into states at the widest "
                     f"gaps until none spans more than {DISTANCE_RATIO}x; each row uses only "
                     "the rounds all of whose trials ran in its state (rounds that straddle "
                     "two, and trials whose probes disagree, are left out).")
    return list(dict.fromkeys(lines))


def format_markdown(results, title, inputs, confidence=CONFIDENCE):
    """A Markdown report: title, the inputs (lines), the method, one table."""
    show_file = any("file" in r.key for r in results)
    show_build = any("build" in r.key for r in results)
    show_dist = any(r.distance_lo is not None for r in results)
    unit = results[0].unit if results else "sends/s"
    head = (["file"] if show_file else []) + (["build"] if show_build else []) + [
        "entry", "workload", "read", "size", "queue", "placement", "A", "B", "B/A",
        "interval", "coverage", "n", "p", "verdict", "noise"] + (
        ["ns apart"] if show_dist else [])
    out = [f"# {title}", ""]
    out += [f"- {line}" for line in inputs]
    out += method_lines(results, confidence)
    few = [r for r in results if r.method == PAIRED_METHOD and r.n_a < MIN_ROUNDS]
    if few:
        out.append(f"- {len(few)} row(s) have fewer than {MIN_ROUNDS} rounds: no two-sided test "
                   f"of so few pairs can reach p < {ALPHA}, so their verdict cannot be other "
                   f"than \"{NO_DIFF}\"; run at least {MIN_ROUNDS} rounds (trials).")
    out += ["", "| " + " | ".join(head) + " |",
            "|" + "|".join("---:" if h in ("size", "queue", "A", "B", "B/A", "coverage", "n",
                                            "p") else "---" for h in head) + "|"]
    for r in results:
        k = r.key
        n = f"{r.n_a} rounds" if r.method == PAIRED_METHOD else f"{r.n_a}+{r.n_b} trials"
        v = r.verdict + (" (noisy)" if r.noisy else "")
        cells = ([k.get("file", "")] if show_file else []) + (
            [k.get("build", "")] if show_build else []) + [
            k["entry"], k["workload"], k["read"], str(k["msg_size"]), str(k["queue_size"]),
            k["placement"], human_rate(r.median_a, r.unit), human_rate(r.median_b, r.unit),
            f"{r.ratio:.3f}", interval_text(r), f"{r.coverage:.1%}", n, _p_text(r.p), v,
            r.noise] + ([distance_text(r)] if show_dist else [])
        out.append("| " + " | ".join(cells) + " |")
    if not results:
        out.append("| (no rows) |")
    if unit != "sends/s":
        out += ["", f"A and B are medians of each trial's ratio to its round's {unit[2:]}."]
    else:
        out += ["", "A and B: median sends/s (M = 10^6)."]
    return "\n".join(out) + "\n"


def write_whole(path, text):
    """Write text to path whole: a temporary file beside it, then a rename."""
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=d)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


_MD_SPECIAL = frozenset("\\`*_{}[]()#!|~<>&")


def md_text(s):
    """s as literal text in Markdown and in the HTML it renders to: line ends
    and tabs become spaces; Markdown's markup characters are escaped with a
    backslash, and <, > and & become entities, so a name from a file or a
    folder can make no link, emphasis, table cell or tag."""
    s = " ".join(str(s).split())
    s = "".join("\\" + c if c in "\\`*_{}[]()#!|~" else c for c in s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_url(*parts):
    """A relative link to the path parts, each percent-encoded: no scheme
    (javascript:), query or fragment can come from a name."""
    from urllib.parse import quote
    return "/".join(quote(str(p), safe="-._~") for p in parts)


def out_over_input(out, inputs):
    """Why `out` may not be written: the message naming the input (a file, or
    a file directly in an input folder) that writing it would overwrite, by
    inode, so through links too; None if none. An entry script refuses such
    an --out with it before it reads or writes anything."""
    if not out or not os.path.exists(out):
        return None
    files = []
    for p in inputs:
        if os.path.isdir(p):
            try:
                files += [os.path.join(p, n) for n in sorted(os.listdir(p))]
            except OSError:
                continue
        else:
            files.append(p)
    for f in files:
        try:
            if os.path.isfile(f) and os.path.samefile(out, f):
                return (f"--out {out} is the input {f}: writing it would destroy the data it "
                        "reads; choose another file")
        except OSError:
            continue
    return None


def sort_results(results):
    """Rows in a stable, readable order: file, build, workload, read, size,
    queue, placement, then the fastest ratio first."""
    return sorted(results, key=lambda r: (
        r.key.get("file", ""), r.key.get("build", ""), r.key["workload"], r.key["read"],
        r.key["msg_size"], r.key["queue_size"], r.key["placement"],
        r.distance_lo if r.distance_state else 0,
        -r.ratio if not math.isnan(r.ratio) else 0, r.key["entry"]))
