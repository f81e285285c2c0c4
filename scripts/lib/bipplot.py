"""bipplot - the figures of a results folder (scripts/plot): what the inputs
hold, the numbers each figure shows, one visual language, and rendering with
gnuplot.

Inputs are read whole and checked before anything is drawn (bipstats.read_table:
an empty, header-only, cut-off or malformed CSV is one line naming the file and
the row). Statistics come from bipstats: each entry's ratio to the crate's
design is the median of its per-round ratios with a distribution-free interval
(bipbench's own *-summary.csv where the folder has it, else bipstats on the run
CSV; runs from before bipbench interleaved its trials are compared unpaired,
and the captions say so).

Rendering: every figure is a fixed gnuplot script, scripts/NAME.gp, run as
`gnuplot -c scripts/NAME.gp DATADIR OUTFILE FORMAT`: DATADIR is a temporary
folder of tab-separated files this module writes (data, series styles, the
legend, and meta.tsv: every number and string the script needs), so no path,
name or text from the inputs is ever part of gnuplot code. Each format goes to
a temporary file beside the figure and is renamed over it only when both
formats rendered: a failing figure leaves the old PNG and SVG as they were.
"""

import json
import math
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

import bipstats as bs

np = bs.np

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(SCRIPTS)

CRATE = bs.CRATE
"""The crate's design the loaded files hold (load_inputs sets it): crate-design,
or, in a folder from before it existed, uncached-pad64-acqrel (bs.file_baseline)."""
DEFAULT = bs.DEFAULT_VARIANT
ONETHREAD = "limit-onethread"
C2C = "limit-c2c"

# The crate's README (e2a9fa8): the seed workload, 255-byte messages, on a Xeon
# E5-2630 v3, 2019.
PUBLISHED_SENDS = 12.5e6
PUBLISHED_GBPS = 3.2
PUBLISHED_SIZE = 255
PUBLISHED_TEXT = "crate's README: 12.5M sends/s = 3.2 GB/s (2019, another machine)"


class InputError(bs.InputError):
    """Bad input: one line for the user; exit status 2."""


# ---- the visual language -------------------------------------------------------
#
# cache -> colour family (cached: blue, uncached: orange; peers: their own hues,
#          limits: black)
# pad   -> marker shape (pad0: triangle, pad64: square, pad128: circle)
# order -> fill and dash (acqrel: filled marker, solid line; seqcst: open
#          marker, dashed line)
# The default variant, the crate's design and the peers are drawn strong and
# large; every other variant is muted (a pale tone of its family, thin, small).

STRONG = {"1": "#1f5fb4", "0": "#d55e00"}
MUTED = {"1": "#9ab8de", "0": "#f2b487"}
PEER_COLOURS = ["#009e73", "#8e44ad", "#8c6d1f", "#0f8c9e"]
PEER_MARKERS = [(12, 13), (14, 15), (10, 11), (8, 9)]
LIMIT_COLOUR = "#222222"
BOUND_COLOUR = "#888888"
PUBLISHED_COLOUR = "#8c3b00"
OTHER_COLOUR = "#777777"
PAD_MARKER = {"0": (8, 9), "64": (4, 5), "128": (6, 7)}  # (open, filled)
PAD_WORD = {"0": "pad0", "64": "pad64", "128": "pad128"}
# Where the cache is a figure's panel (order_ratio), pad also shades the
# family: light to dark as the padding grows (its marker says it too).
PAD_SHADES = {"1": {"0": "#86aee0", "64": "#3f7fcc", "128": "#123f7a"},
              "0": {"0": "#f3ac70", "64": "#d9661f", "128": "#8a3900"}}


@dataclass
class Entry:
    """An entry as the CSVs describe it, by their columns."""
    name: str
    kind: str = ""      # variant, limit, peer ("" where a file does not say)
    cached: str = ""    # "1", "0" or ""
    pad: str = ""       # "0", "64", "128" or ""
    order: str = ""     # "acqrel", "seqcst" or ""

    @property
    def is_variant(self):
        return self.kind == "variant" or (not self.kind and self.cached in ("0", "1"))


def entry_of_row(r):
    kind = (r.get("kind") or "").strip()
    name = r["variant"]
    if not kind:
        kind = "variant" if (r.get("cached") or "").strip() in ("0", "1") else ""
    if kind != "variant":
        return Entry(name, kind)
    return Entry(name, kind, (r.get("cached") or "").strip(), (r.get("pad") or "").strip(),
                 (r.get("order") or "").strip())


@dataclass
class Style:
    colour: str
    pt: int
    ps: float
    dt: int
    lw: float
    strong: bool
    label: str
    rank: tuple


def label_of(name):
    if name == DEFAULT:
        return f"{name} (default)"
    if name == CRATE:
        return f"{name} (crate's design)"
    if name == ONETHREAD:
        return f"{name} (one core)"
    return name


def style_of(e, peers=(), strong=None):
    """The style of an entry: by its cached/pad/order columns and kind.
    `peers`: the peer names in the figure, in order (their colours);
    `strong`: force strong (True) or muted (False); by default the default
    variant, the crate's design and the peers are strong."""
    if e.kind == "peer":
        i = list(peers).index(e.name) if e.name in peers else 0
        pt = PEER_MARKERS[i % len(PEER_MARKERS)][1]
        return Style(PEER_COLOURS[i % len(PEER_COLOURS)], pt, 1.7, 1, 2.5,
                     strong is not False, e.name, (2, i, e.name))
    if e.kind == "limit":
        return Style(LIMIT_COLOUR, 3 if e.name == ONETHREAD else 1, 1.7, 1, 2.0, True,
                     label_of(e.name), (3, 0, e.name))
    if e.is_variant and e.cached in STRONG and e.pad in PAD_MARKER:
        hl = e.name in (DEFAULT, CRATE) if strong is None else strong
        filled = e.order != "seqcst"
        pt = PAD_MARKER[e.pad][1 if filled else 0]
        colour = STRONG[e.cached] if hl else MUTED[e.cached]
        first = 0 if e.name == DEFAULT else 1 if e.name == CRATE else 4
        rank = (first if hl else 4, 0 if e.cached == "1" else 1, int(e.pad),
                0 if filled else 1, e.name)
        return Style(colour, pt, 1.7 if hl else 1.1, 1 if filled else 2, 2.5 if hl else 1.2,
                     hl, label_of(e.name), rank)
    # An entry whose columns say nothing (a file from elsewhere): grey.
    return Style(OTHER_COLOUR, 1, 1.2, 1, 1.2, bool(strong), e.name, (5, 0, e.name))


def encoding_legend():
    """Legend items that explain the encoding (for figures whose rows or
    labels name the entries): (type, colour, pt, ps, dt, lw, title); type 0:
    a point, 1: a line and point, 3: a heading with no sample."""
    return [
        (3, "#000000", 7, 0.0, 1, 1.0, "colour: cache"),
        (0, STRONG["1"], 7, 1.5, 1, 1.0, "cached"),
        (0, STRONG["0"], 7, 1.5, 1, 1.0, "uncached"),
        (3, "#000000", 7, 0.0, 1, 1.0, "marker: pad"),
        (0, "#555555", PAD_MARKER["0"][1], 1.5, 1, 1.0, "pad0"),
        (0, "#555555", PAD_MARKER["64"][1], 1.5, 1, 1.0, "pad64"),
        (0, "#555555", PAD_MARKER["128"][1], 1.5, 1, 1.0, "pad128"),
        (3, "#000000", 7, 0.0, 1, 1.0, "fill: order"),
        (0, "#555555", 7, 1.5, 1, 1.0, "acqrel (filled)"),
        (0, "#555555", 6, 1.5, 1, 1.0, "seqcst (open)"),
        (3, "#000000", 7, 0.0, 1, 1.0, "strong: default, crate's design, peers;"),
        (3, "#000000", 7, 0.0, 1, 1.0, "pale: the other variants"),
    ]


def peer_legend(peers):
    return [(0, PEER_COLOURS[i % len(PEER_COLOURS)], PEER_MARKERS[i % len(PEER_MARKERS)][1],
             1.5, 1, 1.0, p) for i, p in enumerate(peers)]


# ---- text ----------------------------------------------------------------------

def clean(s):
    """A string as a field of the tab-separated files gnuplot reads: no tabs,
    line ends or double quotes (gnuplot would take a quote as the start of a
    quoted field)."""
    s = str(s)
    for c in "\t\r\n":
        s = s.replace(c, " ")
    return s.replace('"', "'")


def num(x):
    if x is None:
        return "NaN"
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return "NaN"
    return f"{x:.7g}"


def gp_real(s):
    """A number's text as gnuplot's real() reads it: 5.4 refuses an exponent
    after a mantissa with no point ("2e-10", "1e+06"), so one is added."""
    if "e" in s:
        m, e = s.split("e", 1)
        if "." not in m:
            return f"{m}.0e{e}"
    return s


def human(x, unit=""):
    """76.3M, 1.2k, 950."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    a = abs(x)
    if a >= 1e9:
        s = f"{x / 1e9:.3g}G"
    elif a >= 1e6:
        s = f"{x / 1e6:.3g}M"
    elif a >= 1e4:
        s = f"{x / 1e3:.3g}k"
    else:
        s = f"{x:.3g}"
    return s + unit


def ns_text(x):
    if x >= 1e6:
        return f"{x / 1e6:.3g} ms"
    if x >= 1e3:
        return f"{x / 1e3:.3g} µs"
    return f"{x:.0f} ns"


def size_text(n):
    return f"{n} B"


def wrap(text, width):
    """Words of text in lines of at most width characters."""
    out, line = [], ""
    for w in text.split():
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    if line:
        out.append(line)
    return out


# ---- inputs --------------------------------------------------------------------

LATENCY_REQUIRED = ("variant", "msg_size", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns",
                    "samples")
LATENCY_NUMERIC = ("msg_size", "queue_size", "producer_pu", "consumer_pu", "p50_ns", "p90_ns",
                   "p99_ns", "p999_ns", "max_ns", "samples", "min_ns", "mean_ns")
LATENCY_POSITIVE = ("p50_ns", "max_ns", "samples")
SUMMARY_REQUIRED = ("variant", "msg_size", "median", "min", "max", "ratio", "ratio_lo",
                    "ratio_hi")
SUMMARY_NUMERIC = ("producer_pu", "consumer_pu", "msg_size", "trials", "noisy_trials",
                   "max_preemptions", "median", "min", "max", "median_gb_per_sec", "ratio",
                   "ratio_lo", "ratio_hi", "ratio_coverage", "ratio_rounds")
# The rate CSV (bipbench rate): what tells it apart, what the figures read
# (never empty), and every column that holds a number where it is not empty.
RATE_KIND = ("variant", "wake", "rate", "achieved", "kept", "send_p50_ns", "consumer_cpu_share")
RATE_REQUIRED = ("variant", "kind", "wake", "msg_size", "placement", "spin_ns", "trial", "rate",
                 "kept", "messages", "send_p50_ns", "send_p99_ns", "send_p999_ns", "send_max_ns",
                 "consumer_cpu_share", "queue_cpu_per_msg_ns")
RATE_NONEMPTY = ("variant", "wake", "msg_size", "trial", "rate", "kept", "messages",
                 "send_p50_ns", "send_p99_ns", "send_p999_ns", "send_max_ns",
                 "consumer_cpu_share", "queue_cpu_per_msg_ns")
RATE_NUMERIC = ("msg_size", "queue_size", "producer_pu", "consumer_pu", "spin_ns", "trial",
                "rate", "achieved", "kept", "messages", "send_p50_ns", "send_p99_ns",
                "send_p999_ns", "send_max_ns", "due_p50_ns", "due_p99_ns", "due_p999_ns",
                "due_max_ns", "late_p50_ns", "late_p99_ns", "late_max_ns", "elapsed_ns",
                "producer_cpu_ns", "consumer_cpu_ns", "producer_cpu_share", "consumer_cpu_share",
                "cpu_per_msg_ns", "send_ns", "queue_cpu_per_msg_ns", "consumer_sleeps",
                "producer_wakes", "mismatches")
RATE_POSITIVE = ("msg_size", "rate", "messages")


def csv_kind(path):
    """run, ablation, latency, summary, rate, or None (not a CSV bipbench
    wrote), by the header; InputError for an empty file."""
    try:
        with open(path, "rb") as f:
            head = f.read(65536)
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}")
    if not head.strip():
        raise InputError(f"{path}: empty file (no header, no rows)")
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
    cols = set(first)
    if all(c in cols for c in bs.REQUIRED):
        return "ablation" if "build" in cols else "run"
    if all(c in cols for c in LATENCY_REQUIRED):
        return "latency"
    if all(c in cols for c in SUMMARY_REQUIRED):
        return "summary"
    if all(c in cols for c in RATE_KIND):
        return "rate"
    return None


def read_json(path):
    """A JSON document, or None where there is no file; InputError if it is
    not JSON."""
    if not os.path.isfile(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(f"{path}: not a JSON document ({str(e).splitlines()[0][:80]})")


def stem_of(path):
    b = os.path.basename(path)
    return b[:-4] if b.endswith(".csv") else b


@dataclass(eq=False)
class RunFile:
    """A run CSV, its JSON (X.json), bipbench's summary (X-summary.csv) and,
    for scripts/reproduce's sweep, the JSON of each size (sweep/SIZE.json)."""
    path: str
    trials: list
    entries: dict
    json: object = None
    jsons: list = field(default_factory=list)
    summary: list = None
    has_noisy_column: bool = False

    @property
    def name(self):
        return stem_of(self.path)


@dataclass(eq=False)
class Hgrm:
    path: str
    points: list      # (value_ns, fraction) per bucket, in order
    max: float
    total: int


@dataclass(eq=False)
class LatencyFile:
    path: str
    rows: list
    entries: dict
    json: object = None
    hgrm: dict = field(default_factory=dict)   # (variant, placement) -> Hgrm
    hgrm_dir: str = ""


@dataclass(eq=False)
class RateFile:
    """A rate CSV (bipbench rate), its JSON (X.json, or X-*.json where the
    CSV was merged from several runs), and the latency histograms of its rows
    (hgrm/ENTRY.PLACEMENT.SIZE.RATE.hgrm) where the run wrote them."""
    path: str
    rows: list
    entries: dict
    jsons: list = field(default_factory=list)
    hgrm: dict = field(default_factory=dict)   # (variant, placement, size, rate) -> Hgrm

    @property
    def name(self):
        return stem_of(self.path)


@dataclass(eq=False)
class Micro:
    path: str
    doc: dict
    runs: dict   # (family, variant, size) -> [ns values]


@dataclass(eq=False)
class Inputs:
    folder: str
    figdir: str
    runs: list = field(default_factory=list)
    latency: object = None
    micro: object = None
    rates: list = field(default_factory=list)      # RateFile, one per rate CSV
    notes: list = field(default_factory=list)
    registry: dict = field(default_factory=dict)   # name -> Entry, from every CSV
    given: str = ""      # run, latency, rate or micro: what the one file given is ("" for a folder)


def read_hgrm(path):
    """An HdrHistogram percentile-distribution file, as bipbench writes it."""
    pts, mx, total = [], None, None
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}")
    for i, ln in enumerate(lines, start=1):
        s = ln.strip()
        if not s or s.startswith("Value"):
            continue
        if s.startswith("#["):
            if s.startswith("#[Max"):
                try:
                    parts = s.strip("#[]").split(",")
                    mx = float(parts[0].split("=")[1])
                    total = int(float(parts[1].split("=")[1]))
                except (IndexError, ValueError):
                    raise InputError(f"{path}: line {i}: a #[Max ...] line that does not parse")
            continue
        f = s.split()
        try:
            v, p = float(f[0]), float(f[1])
            int(float(f[2]))
        except (IndexError, ValueError):
            raise InputError(f"{path}: line {i}: not a histogram row (value, percentile, count)")
        if not (math.isfinite(v) and 0 <= p <= 1):
            raise InputError(f"{path}: line {i}: a value or percentile out of range")
        pts.append((v, p))
    if not pts:
        raise InputError(f"{path}: no histogram rows")
    if mx is None or total is None:
        raise InputError(f"{path}: no #[Max = ..., Total count = ...] line: the file is cut off")
    return Hgrm(path, pts, mx, total)


def read_micro(path):
    doc = read_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list):
        raise InputError(f"{path}: not Google Benchmark JSON (no benchmarks list)")
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    runs = {}
    for b in doc["benchmarks"]:
        name = b.get("run_name") or b.get("name") or ""
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        parts = name.split("/")
        if len(parts) < 3 or parts[0] not in ("single", "pair", "roundtrip"):
            continue
        try:
            size = int(parts[2])
            t = float(b["real_time"]) * scale[b.get("time_unit", "ns")]
        except (KeyError, ValueError, TypeError):
            raise InputError(f"{path}: benchmark {name[:60]}: no real_time in a known unit")
        runs.setdefault((parts[0], parts[1], size), []).append(t)
    return Micro(path, doc, runs)


def load_inputs(arg):
    """What a folder, or one CSV (or micro.json) bipbench or scripts/reproduce
    wrote, holds. Raises InputError on bad input."""
    if os.path.isdir(arg):
        folder = arg
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
        csvs = [os.path.join(folder, n) for n in names
                if n.endswith(".csv") and os.path.isfile(os.path.join(folder, n))]
        micro = os.path.join(folder, "micro.json")
        micro = micro if os.path.isfile(micro) else None
        explicit = False
    elif os.path.isfile(arg):
        folder = os.path.dirname(arg) or "."
        if arg.endswith(".json"):
            csvs, micro = [], arg
        else:
            csvs, micro = [arg], None
        explicit = True
    else:
        raise InputError(f"{arg}: no such file or folder")
    # One file's figures go to figures/STEM/: never over the folder's own.
    figdir = os.path.join(folder, "figures")
    if explicit:
        figdir = os.path.join(figdir, os.path.splitext(os.path.basename(arg))[0])
    inp = Inputs(folder=folder, figdir=figdir)
    kinds = {p: csv_kind(p) for p in csvs}
    summaries = {}
    for p, k in kinds.items():
        if k == "summary":
            _, rows = bs.read_table(p, required=SUMMARY_REQUIRED, numeric=SUMMARY_NUMERIC,
                                    what="summary CSV", nonempty=("variant", "msg_size", "median"))
            summaries[p] = rows
    for p, k in kinds.items():
        if k is None:
            if explicit:
                raise InputError(f"{p}: not a CSV bipbench wrote (no run, latency, summary or "
                                 "rate columns in its header)")
            inp.notes.append(f"{os.path.basename(p)}: not a bipbench CSV, left out")
        elif k == "ablation":
            msg = (f"{os.path.basename(p)}: an ablation (a build column): scripts/compare "
                   "reports it; no figure")
            if explicit:
                raise InputError(msg)
            inp.notes.append(msg)
        elif k == "run":
            inp.runs.append(_run_file(p, summaries))
        elif k == "latency":
            if inp.latency is None:
                inp.latency = _latency_file(p)
            else:
                inp.notes.append(f"{os.path.basename(p)}: a second latency CSV, left out")
        elif k == "rate":
            inp.rates.append(_rate_file(p))
    # A summary CSV given alone: its run CSV beside it is what the figures use.
    for p in summaries:
        run = p[:-len("-summary.csv")] + ".csv" if p.endswith("-summary.csv") else None
        if explicit and (run is None or not os.path.isfile(run)):
            raise InputError(f"{p}: a summary CSV without its run CSV "
                             f"({os.path.basename(run or 'X.csv')}) beside it: nothing to draw "
                             "from trials")
        if explicit and kinds.get(run) is None:
            kinds[run] = "run"
            inp.runs.append(_run_file(run, summaries))
    if micro:
        inp.micro = read_micro(micro)
    if explicit:
        inp.given = "micro" if micro else ("latency" if inp.latency else
                                           "rate" if inp.rates else "run")
    for r in inp.runs:
        inp.registry.update({k: v for k, v in r.entries.items() if k not in inp.registry})
    if inp.latency:
        inp.registry.update({k: v for k, v in inp.latency.entries.items()
                             if k not in inp.registry})
    if inp.micro and explicit:
        # micro.json alone: the entries' columns come from the CSVs beside it.
        for p in sorted(os.listdir(folder)):
            q = os.path.join(folder, p)
            if p.endswith(".csv") and not p.startswith(".") and os.path.isfile(q):
                try:
                    if csv_kind(q) in ("run", "latency"):
                        _, rows = bs.read_table(q, required=("variant",))
                        for r in rows:
                            inp.registry.setdefault(r["variant"], entry_of_row(r))
                except InputError:
                    pass
    global CRATE
    CRATE = bs.file_baseline(set(inp.registry))
    return inp


def _run_file(path, summaries):
    header, rows = bs.read_table(path, required=bs.REQUIRED, numeric=bs.RUN_NUMERIC,
                                 positive=bs.RUN_POSITIVE, what="run CSV")
    trials = bs.read_run_csv(path)
    entries = {}
    for r in rows:
        entries.setdefault(r["variant"], entry_of_row(r))
    base = path[:-4]
    doc = read_json(base + ".json")
    jsons = [doc] if doc else []
    sub = base  # scripts/reproduce's sweep/SIZE.json, one per size
    if os.path.isdir(sub):
        for n in sorted(os.listdir(sub)):
            if n.endswith(".json"):
                d = read_json(os.path.join(sub, n))
                if isinstance(d, dict):
                    jsons.append(d)
    summary = summaries.get(base + "-summary.csv")
    return RunFile(path=path, trials=trials, entries=entries, json=doc, jsons=jsons,
                   summary=summary, has_noisy_column="noisy" in header)


def rate_text(r):
    """A rate as bipbench writes it in an hgrm file's name (printf's %.6g)."""
    return f"{float(r):.6g}"


def _rate_file(path):
    _, rows = bs.read_table(path, required=RATE_REQUIRED, numeric=RATE_NUMERIC,
                            positive=RATE_POSITIVE, what="rate CSV", nonempty=RATE_NONEMPTY)
    entries = {}
    for n, r in enumerate(rows, start=1):
        if r["kept"].strip() not in ("0", "1"):
            raise InputError(f"{path}: row {n} (line {n + 1}): column kept is {r['kept']!r}, "
                             "not 0 or 1")
        entries.setdefault(r["variant"], entry_of_row(r))
    base = path[:-4]
    jsons = []
    doc = read_json(base + ".json")
    if isinstance(doc, dict):
        jsons.append(doc)
    else:
        # A CSV merged from runs that each wrote X-PART.json (spin-0.json, ...).
        folder = os.path.dirname(path) or "."
        stem = os.path.basename(base) + "-"
        for n in sorted(os.listdir(folder)):
            if n.startswith(stem) and n.endswith(".json"):
                d = read_json(os.path.join(folder, n))
                if isinstance(d, dict) and d.get("command") == "rate":
                    jsons.append(d)
    rf = RateFile(path=path, rows=rows, entries=entries, jsons=jsons)
    # The histograms are this CSV's only where its run wrote them: --hgrm in a
    # JSON's command line (where no JSON records one, whatever hgrm/ holds).
    argvs = [d["argv"] for d in jsons if isinstance(d.get("argv"), list)]
    d = os.path.join(os.path.dirname(path), "hgrm")
    if os.path.isdir(d) and (not argvs or any("--hgrm" in a for a in argvs)):
        for r in rows:
            key = (r["variant"], r.get("placement") or "core", int(float(r["msg_size"])),
                   float(r["rate"]))
            if key in rf.hgrm:
                continue
            p = os.path.join(d, f"{key[0]}.{key[1]}.{key[2]}.{rate_text(key[3])}.hgrm")
            if os.path.isfile(p):
                rf.hgrm[key] = read_hgrm(p)
    return rf


def _latency_file(path):
    _, rows = bs.read_table(path, required=LATENCY_REQUIRED, numeric=LATENCY_NUMERIC,
                            positive=LATENCY_POSITIVE, what="latency CSV")
    entries = {}
    for r in rows:
        entries.setdefault(r["variant"], entry_of_row(r))
    lat = LatencyFile(path=path, rows=rows, entries=entries, json=read_json(path[:-4] + ".json"))
    d = os.path.join(os.path.dirname(path), "hgrm")
    if os.path.isdir(d):
        lat.hgrm_dir = d
        for r in rows:
            place = r.get("placement") or "core"
            p = os.path.join(d, f"{r['variant']}.{place}.hgrm")
            if os.path.isfile(p):
                lat.hgrm[(r["variant"], place)] = read_hgrm(p)
    return lat


# ---- the statistics of a run -----------------------------------------------------

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
    baseline = CRATE if baseline is None else baseline
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
    baseline = CRATE if baseline is None else baseline
    groups = {}
    for t in run.trials:
        groups.setdefault(cond_of(t), {}).setdefault(t.variant, []).append(t)
    summ = {}
    if run.summary and baseline == CRATE:
        for r in run.summary:
            if (r.get("baseline") or CRATE) == CRATE and (r.get("ratio") or "").strip():
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


# ---- captions --------------------------------------------------------------------

def _short_commit(c):
    if not c:
        return "?"
    c = str(c)
    dirty = c.endswith("-dirty")
    c = c[:-6] if dirty else c
    return c[:7] + ("-dirty" if dirty else "")


def _date(d):
    d = str(d or "")
    return d.replace("T", " ")[:16] + " UTC" if d else "?"


def noise_of_trials(trials, has_noisy_column):
    """The noise verdict of trials: from bipbench's noisy column, or where a
    file predates it, bipstats' rule, which can show noise (preemptions over
    the limit) but not its absence without a migrations count."""
    noisy = sum(1 for t in trials if t.noisy)
    n = len(trials)
    if has_noisy_column:
        return (f"noise: clean, none of {n} trials disturbed" if not noisy else
                f"noise: {noisy} of {n} trials noisy (shared their CPUs)")
    if noisy:
        return (f"noise: {noisy} of {n} trials over the preemption limit (bipstats' rule; "
                "migrations not recorded)")
    return "noise: not recorded (no migrations count in this file)"


def caption_lines(runs=(), docs=(), what="", shown=None, extra=()):
    """The footer: `what` the figure shows and how, then the machine
    (machine.cpu_model, machine.cores), commit (git_commit), date
    (date_utc), trials per entry and the noise verdict of the runs (and
    other JSON documents) behind a figure; `shown`, a set of (run path,
    condition), limits the trials to the conditions the figure shows. The
    verdict is the JSON's where the figure shows all of one run with one
    JSON; else counted from the CSVs' noisy column, or by bipstats' rule
    where a file predates it. `extra`: parts after those (a figure drawn
    from files other than run CSVs says its trials and noise there)."""
    docs = [d for d in docs if isinstance(d, dict)]
    for r in runs:
        docs += [d for d in r.jsons if isinstance(d, dict)]
    machine = next((d.get("machine") for d in docs if isinstance(d.get("machine"), dict)), {})
    cpu = machine.get("cpu_model") or "CPU not recorded"
    cores = machine.get("cores")
    commits = list(dict.fromkeys(_short_commit(d.get("git_commit")) for d in docs
                                 if d.get("git_commit")))
    dates = sorted({_date(d.get("date_utc")) for d in docs if d.get("date_utc")})
    parts = [f"{cpu}, {cores} cores" if cores else cpu,
             "commit " + (", ".join(commits) if commits else "not recorded"),
             (dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}") if dates
             else "date not recorded"]
    if runs:
        def used(r):
            return [t for t in r.trials if t.variant != C2C and
                    (shown is None or (r.path, cond_of(t)) in shown)]
        counts = []
        for r in runs:
            per = {}
            for t in used(r):
                per[(t.variant, cond_of(t))] = per.get((t.variant, cond_of(t)), 0) + 1
            counts += list(per.values())
        if counts:
            lo, hi = min(counts), max(counts)
            parts.append(f"{lo} trials per entry" if lo == hi else
                         f"{lo}-{hi} trials per entry and condition")
        whole = len(runs) == 1 and len(used(runs[0])) == sum(
            1 for t in runs[0].trials if t.variant != C2C)
        if whole and runs[0].json and runs[0].json.get("verdict") and len(runs[0].jsons) <= 1:
            v = str(runs[0].json["verdict"])
            v = v.split(";")[0].split(" (")[0]
            if v.startswith(("noisy:", "clean:")):
                v = v.replace(":", ",", 1)
            parts.append("noise: " + v)
        else:
            allt = [t for r in runs for t in used(r)]
            parts.append(noise_of_trials(allt, all(r.has_noisy_column for r in runs)))
    parts += list(extra)
    lines = []
    if what:
        lines.append(what)
    lines.append(" · ".join(parts))
    return lines


# ---- figures ---------------------------------------------------------------------

class Skip(Exception):
    """A figure the inputs cannot give: the message says why."""


class Figure:
    """What one gnuplot script needs: data files, series styles, a legend,
    and meta (every number and string the script reads)."""

    def __init__(self, name, width, height, sources=()):
        self.name = name
        self.files = {}
        self.meta = {"width": width, "height": height}
        self.series = []
        self.legend = []
        self.texts = []
        self.sources = list(sources)
        self.W, self.H = width, height

    def table(self, fname, rows):
        self.files[fname] = "".join("\t".join(clean(c) if isinstance(c, str) else num(c)
                                              for c in r) + "\n" for r in rows)

    def blocks(self, fname, blocks):
        """Gnuplot data blocks (index 0, 1, ...), each a list of rows."""
        parts = []
        for rows in blocks:
            parts.append("".join("\t".join(clean(c) if isinstance(c, str) else num(c)
                                           for c in r) + "\n" for r in rows))
        self.files[fname] = "\n\n".join(parts)

    def add_series(self, st, kind):
        """A series (its index, 1-based); kind 0: strong line with whiskers,
        1: muted line, 2: points with whiskers, no line, 3: strong line with
        an interval band."""
        self.series.append((st.colour, st.pt, st.ps, st.dt, st.lw, kind, st.label))
        return len(self.series)

    def text(self, x, y, s, align="l", size=10, colour="#333333"):
        self.texts.append((x, y, align, size, colour, s))

    def panel(self, k, left, right, bottom, top):
        """Panel k's margins in pixels from the left and from the top."""
        self.meta.update({f"p{k}_l": left / self.W, f"p{k}_r": right / self.W,
                          f"p{k}_b": 1 - bottom / self.H, f"p{k}_t": 1 - top / self.H})

    def header(self, title, subtitle=""):
        self.text(0.5 * self.W, 24, title, "c", 14, "#000000")
        if subtitle:
            self.text(0.5 * self.W, 46, subtitle, "c", 10, "#333333")

    def footer(self, lines, top):
        """Caption lines from pixel row `top` down."""
        width = int(self.W / 6.6)
        y = top
        for ln in lines:
            for w in wrap(ln, width):
                self.text(14, y, w, "l", 9, "#333333")
                y += 15
        return y

    def caption_height(self, lines):
        return 15 * sum(len(wrap(ln, int(self.W / 6.6))) for ln in lines) + 14

    def place_legend(self, items, x, y, row=19):
        """Legend items (type, colour, pt, ps, dt, lw, title) from pixel
        (x, y) down; type 0: a point, 1: a line and point, 2: a line,
        3: a heading, 4: a line of text under the item above."""
        self.legend = []
        for i, (ty, c, pt, ps, dt, lw, title) in enumerate(items):
            yy = y + i * row
            self.legend.append((ty, c, pt, ps, dt, lw, title, x, yy))

    def write(self, d):
        meta = dict(self.meta)
        meta["ntext"] = len(self.texts)
        for i, (x, y, a, sz, col, s) in enumerate(self.texts, start=1):
            meta.update({f"t{i}_x": x / self.W, f"t{i}_y": 1 - y / self.H, f"t{i}_a": a,
                         f"t{i}_f": sz, f"t{i}_c": col, f"t{i}": s})
        with open(os.path.join(d, "meta.tsv"), "w", encoding="utf-8") as f:
            for k, v in meta.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = gp_real(num(v))
                else:
                    v = str(int(v)) if isinstance(v, bool) else clean(v)
                f.write(f"{k}\t{v if v.strip() else '~'}\n")
        rows = self.series or [("#000000", 7, 1.0, 1, 1.0, 1, "-")]
        with open(os.path.join(d, "series.tsv"), "w", encoding="utf-8") as f:
            for c, pt, ps, dt, lw, kind, title in rows:
                title = clean(title).strip() or "~"
                f.write(f"{c}\t{pt}\t{num(ps)}\t{dt}\t{num(lw)}\t{kind}\t{title}\n")
        leg = []
        for ty, c, pt, ps, dt, lw, title, x, y in self.legend:
            X = lambda px: px / self.W  # noqa: E731
            Y = 1 - y / self.H
            line = ty in (1, 2)
            point = ty in (0, 1)
            tx = x if ty == 3 else x + 44  # type 4: a plain line under the item above
            # Parts an item lacks are placed off the canvas (x = -1): gnuplot
            # clips them silently, where NaN would make it warn.
            leg.append((X(tx), Y, title, X(x + 4) if line else -1.0, X(x + 36) if line else -1.0,
                        (2 if dt == 2 else 1) if line else 0, rgb(c),
                        X(x + 20) if point else -1.0, pt, ps, 1 if ty == 3 else 0))
        if not leg:
            leg = [(-1.0, -1.0, ".", -1.0, -1.0, 0, 0, -1.0, 1, 1, 0)]
        self.table("legend.tsv", leg)
        for name, text in self.files.items():
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text if text else "NaN\tNaN\n")


def rgb(c):
    """A colour "#rrggbb" as the number gnuplot's `lc rgb variable` reads."""
    return int(c.lstrip("#"), 16)


def log_range(lo, hi, pad=1.15):
    lo, hi = max(lo, 1e-12), max(hi, 1e-12)
    if hi <= lo:
        hi = lo * 2
    return lo / pad, hi * pad


def nice_ratio_tics(lo, hi, n=8):
    """Tics of a log ratio axis: 1 and round values, at least a 1/n-th of
    the axis apart."""
    cands = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4, 5, 10, 20, 50,
             100]
    gap = (math.log(hi) - math.log(lo)) / n
    t = [1.0] if lo <= 1 <= hi else []
    for c in sorted((c for c in cands if lo <= c <= hi), key=lambda c: abs(math.log(c))):
        if all(abs(math.log(c) - math.log(u)) >= gap for u in t):
            t.append(c)
    return " ".join(f"{c:g}" for c in sorted(t)) or "1"


# -- dot plots: seed_bars, ceiling, headline, placements ---------------------------

def _dot_rows(items):
    """items: (y, x, xlo, xhi, style, ylabel, note, note_x)."""
    return [(y, x, lo, hi, rgb(st.colour), st.pt, st.ps, lab, note, nx)
            for y, x, lo, hi, st, lab, note, nx in items]


def _peers_in(names, registry):
    return [n for n in names if registry.get(n, Entry(n)).kind == "peer"]


# FIGSEED
# Placeholder rows for files a panel reads but has nothing for: a point far
# below every y range (clipped, so gnuplot neither draws nor warns).
NOWHERE_REF = (1, -1e9, -1e9 + 1, 0, 1)
NOWHERE_LABEL = (1, -1e9, ".", 0, 0)
NOWHERE_DOT = (-1e9, 1, 1, 1, 0, 7, 1, ".", ".", 1)


def ref_lines(fig, P, refs, nrow, xmin, xmax, log=False, width=None, notes=()):
    """Vertical reference lines of dot panel P, refs: (x, label, colour,
    dashtype), each label on its own line above the rows, on the side of its
    line that has room for it (width: the panel in pixels); then `notes`
    (text, colour), right-aligned, each on a line of its own; returns the top
    of the y range."""
    def frac(x):
        if log:
            return (math.log(x) - math.log(xmin)) / (math.log(xmax) - math.log(xmin))
        return (x - xmin) / (xmax - xmin)
    lines, labs = [], []
    for i, (x, lab, col, dt) in enumerate(sorted(refs, key=lambda r: r[0])):
        y = nrow + 0.85 + 0.62 * i
        lines.append((x, 0.4, y - 0.2, rgb(col), dt))
        right = frac(x) > 0.55
        if width:
            room_right = (1 - frac(x)) * width
            room_left = frac(x) * width
            need = 6.3 * len(lab) + 10
            right = need > room_right and room_left > room_right
        labs.append((x, y, lab, rgb(col), 1 if right else 0))
    for j, (text, col) in enumerate(notes):
        labs.append((xmax, nrow + 0.85 + 0.62 * (len(refs) + j), text, rgb(col), 1))
    fig.table(f"p{P}_refs.tsv", lines or [NOWHERE_REF])
    fig.table(f"p{P}_reflab.tsv", labs or [NOWHERE_LABEL])
    return nrow + 0.85 + 0.62 * (len(refs) + len(notes)) - 0.2


def limit_refs(one, xmax_data, scale=1.0, published=False, unit="sends/s"):
    """The reference lines of an absolute panel: limit-onethread, its 2x
    bound, and the crate's published figure; those far off the data's range
    are returned apart, to be named as off scale. -> (in range, off scale,
    x max)."""
    refs = []
    if one is not None:
        refs.append((one * scale, f"{ONETHREAD}: {human(one)} {unit} (both sides on one core)",
                     LIMIT_COLOUR, 1))
        refs.append((2 * one * scale, f"2 x {ONETHREAD}: {human(2 * one)} {unit} (the most "
                     "two cores could give)", BOUND_COLOUR, 3))
    if published:
        refs.append((PUBLISHED_SENDS * scale, PUBLISHED_TEXT, PUBLISHED_COLOUR, 2))
    keep = [r for r in refs if r[0] <= 1.3 * xmax_data]
    off = [r for r in refs if r[0] > 1.3 * xmax_data]
    hi = max([xmax_data] + [r[0] for r in keep]) * 1.06
    return keep, off, hi


def ratio_note(s, name, baseline=None):
    baseline = CRATE if baseline is None else baseline
    if name == baseline:
        return "1 (baseline)"
    if s.lo is not None:
        return f"{s.ratio:.2f} [{s.lo:.2f}, {s.hi:.2f}]"
    return f"{s.ratio:.2f}"


NOISE_MARK_W = 110
"""Pixels a figure widens by where its rows carry noise marks."""


def noise_mark(s):
    """After an entry's numbers: how many of its trials were noisy, if any
    (the summary's `*` mark, in words)."""
    return f"  * noisy {s.noisy}/{s.n}" if s.noisy else ""


def entry_panels(inp, name, run, conds, title, heading, what, published_ok=True,
                 shared_x=False):
    """A figure of entries (rows) in conditions (one row of panels each): on
    the left the median sends/s with min-max whiskers (GB/s on top), the
    one-thread limit and its 2x bound (or where they are off the scale), and
    the crate's published figure at 255 B on the seed workload; on the right
    each entry's ratio to the crate's design with its interval, on one scale
    for every row of panels (and the sends/s too with shared_x: conditions
    of one message size). With four entries or fewer, all are drawn strong."""
    stats = stats_of(run)
    names = list(dict.fromkeys(n for c in conds for n in stats[c] if n not in (C2C, ONETHREAD)))
    if not names:
        raise Skip("the rows hold only limits")
    peers = _peers_in(names, run.entries)
    nrow = len(names)
    strong = True if nrow <= 4 else None
    first = stats[conds[0]]
    order = sorted(names, key=lambda n: (first[n].median if n in first else -1))
    # One ratio scale for every panel row (and one sends/s scale if shared).
    rv = [v for c in conds for n, s in stats[c].items() if n in names
          for v in (s.ratio, s.lo, s.hi) if v is not None]
    r_lo, r_hi = log_range(min(rv + [0.9]), max(rv + [1.1]), 1.1)
    all_max = max(s.max for c in conds for n, s in stats[c].items() if n in names)
    ypos = {n: i + 1 for i, n in enumerate(order)}
    allst = [s for c in conds for n, s in stats[c].items() if n in ypos and n != CRATE]
    # limit-c2c rows have workload c2c: the pair's, at the same placement.
    c2c = list(dict.fromkeys(s.median for cc, by in stats.items() for n, s in by.items()
                             if n == C2C and cc[4] in {c[4] for c in conds}))
    what = what + " Right: the ratio to the crate's design; " + interval_words(allst) + "."
    if c2c:
        what += (" Core-to-core latency of the pair (limit-c2c): " +
                 ", ".join(f"{x:.0f}" for x in c2c) + " ns one way.")
    W = 1560 + (NOISE_MARK_W if any(s.noisy for c in conds for n, s in stats[c].items()
                                    if n in names) else 0)
    legend_w = 260
    xa0, xa1, xb0, xb1 = 310, 800, 830, 1140  # the two panels; numbers from xb1 on
    fig = Figure(name, W, 100, [run])
    cap = caption_lines([run], what=what, shown={(run.path, c) for c in conds})
    panel_h = nrow * 24 + int(4 * 0.62 * 24) + 30
    top, gap = 70, 120
    H = top + len(conds) * (panel_h + gap) + fig.caption_height(cap) + 10
    fig.H = fig.meta["height"] = H
    fig.header(title)
    for k, c in enumerate(conds):
        st = stats[c]
        ptop = top + 60 + k * (panel_h + gap)
        pbot = ptop + panel_h
        A, B = 2 * k + 1, 2 * k + 2
        fig.panel(A, xa0, xa1, pbot, ptop)
        fig.panel(B, xb0, xb1, pbot, ptop)
        msg = c[2]
        vals = [s for n, s in st.items() if n in ypos]
        one = st.get(ONETHREAD)
        keep, off, hi = limit_refs(one.median if one else None,
                                   all_max if shared_x else max(s.max for s in vals),
                                   published=(published_ok and c[0] == "seed" and
                                              msg == PUBLISHED_SIZE))
        words = [f"{lab.split(':')[0]} {human(x)}/s" for x, lab, col, dt in off]
        ytop = ref_lines(fig, A, [(x / 1e6, lab, col, dt) for x, lab, col, dt in keep], nrow, 0,
                         hi / 1e6, width=xa1 - xa0,
                         notes=[("off scale: " + ", ".join(words) + " ->", off[0][2])]
                         if off else ())
        items, ritems, notes = [], [], []
        for n in order:
            if n not in st:
                continue
            s = st[n]
            sty = style_of(s.entry, peers, strong=strong)
            items.append((ypos[n], s.median / 1e6, s.min / 1e6, s.max / 1e6, sty, sty.label,
                          "", None))
            if s.ratio is not None:
                lo = s.lo if s.lo is not None else s.ratio
                h = s.hi if s.hi is not None else s.ratio
                ritems.append((ypos[n], s.ratio, lo, h, sty, sty.label, "", None))
                notes.append((ypos[n], ratio_note(s, n) + noise_mark(s)))
        fig.table(f"p{A}.tsv", _dot_rows(items))
        lo, hi2 = r_lo, r_hi
        fig.table(f"p{B}.tsv", _dot_rows(ritems) or [NOWHERE_DOT])
        ref_lines(fig, B, [(1.0, "crate's design", "#555555", 1)], nrow, lo, hi2, log=True,
                  width=xb1 - xb0)
        # The ratios as numbers, in a column right of the panel, row by row.
        for y, note in notes:
            py = ptop + (ytop + 0.4 - y) / (ytop + 0.4 - 0.4) * (pbot - ptop)
            fig.text(xb1 + 8, py, note, "l", 9, "#333333")
        fig.meta.update({
            pk(A, "xmin"): 0, pk(A, "xmax"): hi / 1e6, pk(A, "xlog"): 0,
            pk(A, "xlabel"): f"million sends/s, {size_text(msg)} messages (whiskers: min to max)",
            pk(A, "x2"): 1, pk(A, "x2min"): 0, pk(A, "x2max"): hi * msg / 1e9,
            pk(A, "x2label"): "GB/s (10^9 bytes per second)",
            pk(A, "ymin"): 0.4, pk(A, "ymax"): ytop + 0.4, pk(A, "ylabels"): 1,
            pk(B, "xmin"): lo, pk(B, "xmax"): hi2, pk(B, "xlog"): 1,
            pk(B, "xtics"): nice_ratio_tics(lo, hi2),
            pk(B, "xlabel"): "x crate's design (log; whiskers: interval)", pk(B, "x2"): 0,
            pk(B, "ymin"): 0.4, pk(B, "ymax"): ytop + 0.4, pk(B, "ylabels"): 0,
        })
        h = heading(c)
        if h:
            fig.text(20, ptop - 40, h, "l", 12, "#000000")
    fig.meta["npanels"] = 2 * len(conds)
    leg = encoding_legend()
    if strong:
        leg = leg[:-2] + [(3, "#000000", 7, 0.0, 1, 1.0, "(few entries: all drawn strong)")]
    if peers:
        leg += [(3, "#000000", 7, 0.0, 1, 1.0, "peers")] + peer_legend(peers)
    fig.place_legend(leg, W - legend_w + 10, top + 70)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


def fig_seed(inp):
    """seed_bars: the seed workload, entry by entry; one row of panels per
    message size."""
    def score(r):
        return len({t.variant for t in r.trials if t.workload == "seed"})
    run = pick_run(inp.runs, score)
    if run is None:
        raise Skip("no seed-workload rows in any run CSV")
    place = main_placement([t for t in run.trials if t.workload == "seed"])
    stats = stats_of(run)
    conds = sorted((c for c in stats if c[0] == "seed" and c[4] == place), key=lambda c: c[2])
    q = conds[0][3]
    sizes = " and ".join(size_text(c[2]) for c in conds)
    rel = next((t.row.get("relation") for t in run.trials
                if t.workload == "seed" and t.placement == place and t.kind != "limit"), "")
    title = (f"Seed workload: {sizes} messages, {q // 1024} KiB buffer, two cores "
             f"(placement {place}{', sharing ' + rel if rel else ''})")
    what = ("Each row is one entry on two cores; the consumer reads each message's length "
            "byte. Rows sorted by median sends/s. Left: median over the trials, whiskers from "
            "the slowest to the fastest.")
    return entry_panels(inp, "seed_bars", run, conds, title,
                        lambda c: f"{size_text(c[2])} messages" if len(conds) > 1 else "", what)


def fig_placements(inp):
    """placements: one workload on every placement a run measured: a row of
    panels per placement."""
    def score(r):
        n = len({t.placement for t in r.trials if t.kind != "limit"})
        return n if n >= 2 else 0
    run = pick_run(inp.runs, score)
    if not inp.runs:
        raise Skip("no run CSV")
    if run is None:
        places = sorted({t.placement for r in inp.runs for t in r.trials if t.placement})
        raise Skip("one placement only" + (f" ({', '.join(places)})" if places else "") +
                   ": nothing to compare")
    stats = stats_of(run)
    by_place = {}
    for c in stats:
        by_place.setdefault(c[4], []).append(c)
    # One workload and size: the most common.
    key = max({(c[0], c[2]) for c in stats},
              key=lambda k: sum(1 for c in stats if (c[0], c[2]) == k))
    conds = [c for c in stats if (c[0], c[2]) == key]
    pus = {}
    for t in run.trials:
        if t.kind != "limit":
            pus.setdefault(t.placement, (t.pus, t.row.get("relation") or ""))
    conds.sort(key=lambda c: list(pus).index(c[4]) if c[4] in pus else 99)
    ents = ", ".join(n for n in dict.fromkeys(n for c in conds for n in stats[c]
                                             if n not in (C2C, ONETHREAD)))
    title = (f"{key[0].capitalize()} workload, {size_text(key[1])} messages, by placement of "
             f"producer and consumer: {ents}")

    def heading(c):
        p, rel = pus.get(c[4], ("?", ""))
        return f"placement {c[4]}: PUs {p}" + (f", sharing {rel}" if rel else "")
    what = ("Each panel row is one placement (the pair of PUs bipbench chose for it). Left: "
            "median sends/s over the trials, whiskers from the slowest to the fastest.")
    return entry_panels(inp, "placements", run, conds, title, heading, what, shared_x=True)


def fig_ceiling(inp):
    """ceiling: each entry's sends/s as a multiple of limit-onethread's in the
    same run, in every condition that measured the one-thread limit, with the
    interval; 1x (one core) and 2x (the two-core bound) marked."""
    panels = []
    for run in sorted(inp.runs, key=lambda r: r.name):
        place = main_placement(run.trials)
        conds = sorted({cond_of(t) for t in run.trials
                        if t.variant == ONETHREAD and t.placement == place},
                       key=lambda c: (c[0] != "seed", c[2]))
        if not conds:
            continue
        res = ratios(run, ONETHREAD)
        for c in conds:
            got = {e: r for (e, cc), r in res.items() if cc == c and e not in (C2C, ONETHREAD)}
            if got and not any(p[1] == c for p in panels):
                panels.append((run, c, got))
    if not panels:
        raise Skip("no run measured limit-onethread (bipbench run --limits)")
    panels.sort(key=lambda p: (p[1][0] != "seed", p[1][2]))
    panels = panels[:4]
    runs = list(dict.fromkeys(p[0] for p in panels))
    names = list(dict.fromkeys(n for p in panels for n in p[2]))
    registry = {}
    for r in runs:
        registry.update(r.entries)
    peers = _peers_in(names, registry)
    first = panels[0][2]
    order = sorted(names, key=lambda n: first[n].ratio if n in first else -1)
    ypos = {n: i + 1 for i, n in enumerate(order)}
    nrow = len(order)
    allr = [r for p in panels for r in p[2].values()]
    lo = min([r.low if r.low is not None else r.ratio for r in allr] + [0.8])
    hi = max([r.high if r.high is not None else r.ratio for r in allr] + [2.0])
    lo, hi = lo / 1.25, hi * 1.3
    W = 1500
    legend_w = 270
    left = 310
    fig = Figure("ceiling", W, 100, runs)
    paired = [r for r in allr if r.method == bs.PAIRED_METHOD]
    unpaired = [r for r in allr if r.method != bs.PAIRED_METHOD]
    iw = []
    if paired:
        covs = sorted({r.coverage for r in paired})
        iw.append("paired by round: median of the per-round ratios, distribution-free interval"
                  + (f" ([min, max], coverage {covs[0]:.1%}, below 6 rounds)"
                     if covs[0] < 0.95 else " (95%)"))
    if unpaired:
        iw.append("UNPAIRED (a run before interleaved rounds): ratio of medians, 95% bootstrap "
                  "interval")
    what = (f"Each entry's sends/s divided by {ONETHREAD}'s in the same run and condition: "
            f"{ONETHREAD} runs producer and consumer steps interleaved on one core, so no "
            "cache line crosses cores. Two cores can at best split that work: 2x is the bound. "
            "Whiskers: " + "; ".join(iw) + ".")
    cap = caption_lines(runs, what=what, shown={(p[0].path, p[1]) for p in panels})
    panel_h = nrow * 24 + int(2 * 0.62 * 24) + 30
    top = 50
    H = top + 70 + panel_h + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header("How much of the one-core rate two cores keep: each entry / limit-onethread, "
               "same run")
    n = len(panels)
    span = W - legend_w - 20 - left
    pw = (span - 25 * (n - 1)) / n
    ptop, pbot = top + 70, top + 70 + panel_h
    for k, (run, c, got) in enumerate(panels):
        P = k + 1
        x0 = left + k * (pw + 25)
        fig.panel(P, x0, x0 + pw, pbot, ptop)
        items = []
        for nme in order:
            r = got.get(nme)
            if r is None:
                continue
            sty = style_of(registry.get(nme, Entry(nme)), peers)
            items.append((ypos[nme], r.ratio, r.low if r.low is not None else r.ratio,
                          r.high if r.high is not None else r.ratio, sty, sty.label, "", None))
        fig.table(f"p{P}.tsv", _dot_rows(items) or [NOWHERE_DOT])
        ytop = ref_lines(fig, P, [(1.0, "1x: one core", LIMIT_COLOUR, 1),
                                  (2.0, "2x: the bound", BOUND_COLOUR, 3)], nrow, lo, hi, True)
        wl = {"seed": "seed workload", "fixed": "fixed", "random": "random sizes"}.get(c[0], c[0])
        fig.meta.update({
            pk(P, "xmin"): lo, pk(P, "xmax"): hi, pk(P, "xlog"): 1,
            pk(P, "xtics"): nice_ratio_tics(lo, hi),
            pk(P, "xlabel"): f"x {ONETHREAD} (log scale)", pk(P, "x2"): 0,
            pk(P, "ymin"): 0.4, pk(P, "ymax"): ytop + 0.4, pk(P, "ylabels"): 1 if k == 0 else 0,
        })
        fig.text(x0 + pw / 2, ptop - 30, f"{size_text(c[2])}, {wl} ({run.name}.csv)", "c", 11,
                 "#000000")
    fig.meta["npanels"] = n
    leg = encoding_legend()
    if peers:
        leg += [(3, "#000000", 7, 0.0, 1, 1.0, "peers")] + peer_legend(peers)
    fig.place_legend(leg, W - legend_w + 10, top + 40)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


HEADLINE_CONDS = [("fixed", 8, "8 B messages, fixed workload (the consumer reads every byte)"),
                  ("seed", 255, "255 B messages, seed workload (the consumer reads the length "
                   "byte)"),
                  ("fixed", 255, "255 B messages, fixed workload (the consumer reads every byte)"),
                  ("random", None, "random sizes")]


def fig_headline(inp):
    """headline: the best variant, the default, the crate's design and every
    peer at 8 B, 255 B and random sizes, as ratios to the crate's design with
    their intervals."""
    found = []
    missing = []
    for wl, size, text in HEADLINE_CONDS:
        best_run, best_c, best_n = None, None, 0
        for run in sorted(inp.runs, key=lambda r: r.name):
            st = stats_of(run)
            place = main_placement(run.trials)
            for c in st:
                if c[0] == wl and (size is None or c[2] == size) and c[4] == place \
                        and CRATE in st[c]:
                    n = len(st[c])
                    if n > best_n:
                        best_run, best_c, best_n = run, c, n
        if best_run is None:
            missing.append(text if size is not None else "random sizes (bipbench run "
                           "--workload random)")
            continue
        if wl == "random":
            text = f"random sizes 1 to {best_c[2]} B (the consumer reads every byte)"
        found.append((best_run, best_c, text))
    if not found:
        raise Skip("no run measured the crate's design at 8 B, 255 B or random sizes")
    runs = list(dict.fromkeys(f[0] for f in found))
    panels = []
    peers_all = []
    for run, c, text in found:
        st = stats_of(run)[c]
        variants = [s for n, s in st.items() if s.entry.is_variant and n != CRATE
                    and s.ratio is not None]
        rows = []
        best = max(variants, key=lambda s: s.ratio) if variants else None
        if best is not None:
            rows.append(("best", best))
        if DEFAULT in st and (best is None or best.entry.name != DEFAULT):
            rows.append(("default", st[DEFAULT]))
        rows.append(("crate", st[CRATE]))
        peers = [n for n, s in st.items() if s.entry.kind == "peer"]
        peers_all += [p for p in peers if p not in peers_all]
        rows += [("peer", st[p]) for p in sorted(peers)]
        panels.append((run, c, text, rows))
    allst = [s for p in panels for _, s in p[3] if s.entry.name != CRATE]
    vals = [v for s in allst for v in (s.lo, s.hi, s.ratio) if v is not None]
    lo, hi = log_range(min(vals + [0.8]), max(vals + [1.25]), 1.15)
    W, legend_w, left, right = 1560, 250, 400, 1030  # numbers from `right` on
    # Room for the noise marks after the numbers, so they stay clear of the legend.
    W += NOISE_MARK_W if any(s.noisy for p in panels for _, s in p[3]) else 0
    fig = Figure("headline", W, 100, runs)
    what = ("Each row: an entry's sends/s as a multiple of the crate's design "
            f"({CRATE}) in the same run and condition, on two cores. Best: the variant with "
            "the highest median ratio there. Whiskers: " + interval_words(allst) + ".")
    if missing:
        what += " Not in this folder: " + "; ".join(missing) + "."
    cap = caption_lines(runs, what=what, shown={(p[0].path, p[1]) for p in panels})
    top = 70
    heights = [len(p[3]) * 26 + 20 for p in panels]
    gap = 70
    H = top + sum(heights) + gap * len(panels) + 40 + (24 if missing else 0) + \
        fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header("Against the crate's design: the best variant, the default and every peer")
    y = top - 10
    for k, (run, c, text, rows) in enumerate(panels):
        P = k + 1
        ptop = y + 44
        pbot = ptop + heights[k]
        y = pbot + gap - 44
        fig.panel(P, left, right, pbot, ptop)
        n = len(rows)
        items = []
        for i, (role, s) in enumerate(rows):
            sty = style_of(s.entry, peers_all, strong=True)
            name = s.entry.name
            lab = {"best": f"best: {name}", "default": f"{name} (default)",
                   "crate": f"{name} (crate's design)"}.get(role, name)
            if role == "best" and name == DEFAULT:
                lab = f"best: {name} (the default)"
            note = ratio_note(s, name) + f"  ({human(s.median)} sends/s)" + noise_mark(s)
            h = s.hi if s.hi is not None else s.ratio
            items.append((n - i, s.ratio, s.lo if s.lo is not None else s.ratio, h, sty, lab,
                          "", None))
            # The numbers in a column right of the panel, row by row.
            ymax = n + 0.6
            py = ptop + (ymax - (n - i)) / (ymax - 0.4) * (pbot - ptop)
            fig.text(right + 10, py, note, "l", 9, "#333333")
        fig.table(f"p{P}.tsv", _dot_rows(items))
        ref_lines(fig, P, [], n, lo, hi, True)
        fig.table(f"p{P}_refs.tsv", [(1.0, 0.4, n + 0.5, rgb("#555555"), 1)])
        fig.meta.update({
            pk(P, "xmin"): lo, pk(P, "xmax"): hi, pk(P, "xlog"): 1,
            pk(P, "xtics"): nice_ratio_tics(lo, hi),
            pk(P, "xlabel"): "x crate's design (log scale)" if k == len(panels) - 1 else "",
            pk(P, "x2"): 0, pk(P, "ymin"): 0.4, pk(P, "ymax"): n + 0.6,
            pk(P, "ylabels"): 1,
        })
        fig.text(20, ptop - 14, text + f"  [{run.name}.csv]", "l", 12, "#000000")
    if missing:
        fig.text(20, y + 46, "Not measured in this folder: " + "; ".join(missing) + ".", "l", 11,
                 "#8c3b00")
    fig.meta["npanels"] = len(panels)
    leg = [(3, "#000000", 7, 0.0, 1, 1.0, "colour: cache, marker: pad,"),
           (3, "#000000", 7, 0.0, 1, 1.0, "filled: acqrel, open: seqcst"),
           (0, STRONG["1"], 7, 1.5, 1, 1.0, "cached"),
           (0, STRONG["0"], 7, 1.5, 1, 1.0, "uncached"),
           (0, "#555555", PAD_MARKER["0"][1], 1.5, 1, 1.0, "pad0"),
           (0, "#555555", PAD_MARKER["64"][1], 1.5, 1, 1.0, "pad64"),
           (0, "#555555", PAD_MARKER["128"][1], 1.5, 1, 1.0, "pad128")]
    if peers_all:
        leg += [(3, "#000000", 7, 0.0, 1, 1.0, "peers")] + peer_legend(peers_all)
    fig.place_legend(leg, W - legend_w + 10, top + 60)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig




def pk(p, k):
    return f"p{p}_{k}"


# ---- rendering -----------------------------------------------------------------

def palette(path):
    """Rewrite a PNG with a 256-colour palette, where Pillow is installed
    (Debian's python3-pil): a third of the size, and the same to the eye
    (the figures have a few dozen colours and their antialiased edges; the
    octree keeps every colour of the visual language exact, where median cut
    merged the peers' purple into grey). The file stays as gnuplot wrote it
    where Pillow is missing."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        q = im.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                       dither=Image.Dither.NONE)
    q.save(path, format="PNG", optimize=True)


class RenderError(Exception):
    """gnuplot failed on a figure: the message says how."""


def render(fig, figdir, gnuplot="gnuplot", keep=None):
    """Draw fig as figdir/NAME.png and NAME.svg, both or neither: each
    format into a temporary file in figdir, renamed over the old file only
    when both rendered. Raises RenderError (the old files untouched).
    Returns gnuplot's warnings (lines), if any."""
    script = os.path.join("scripts", f"{fig.name}.gp")
    if not os.path.isfile(os.path.join(REPO, script)):
        raise RenderError(f"no script {script}")
    os.makedirs(figdir, exist_ok=True)
    data = tempfile.mkdtemp(prefix="bipplot-")
    temps = {}
    warnings = []
    try:
        fig.write(data)
        for fmt in ("png", "svg"):
            fd, tmp = tempfile.mkstemp(prefix=f".{fig.name}.", suffix=f".{fmt}.tmp", dir=figdir)
            os.close(fd)
            temps[fmt] = tmp
            try:
                p = subprocess.run([gnuplot, "-c", script, data, tmp, fmt], cwd=REPO,
                                   capture_output=True, text=True, timeout=120)
            except OSError as e:
                raise RenderError(f"cannot run {gnuplot}: {e.strerror}")
            except subprocess.TimeoutExpired:
                raise RenderError("gnuplot took more than 120 s")
            err = [ln for ln in p.stderr.splitlines() if ln.strip()]
            if p.returncode != 0:
                last = err[-1] if err else f"exit status {p.returncode}"
                raise RenderError(f"gnuplot failed ({fmt}): {last.strip()}")
            if os.path.getsize(tmp) < 200:
                raise RenderError(f"gnuplot wrote an empty {fmt}")
            if fmt == "png":
                palette(tmp)
            # A filtered clause with nothing to draw (a legend or reference
            # style a figure does not use) is expected; other warnings are not.
            warnings += [f"{fmt}: {ln.strip()}" for ln in err if "warning" in ln.lower()
                         and "no valid points" not in ln]
        for fmt, tmp in temps.items():
            os.chmod(tmp, 0o644)
        for fmt, tmp in temps.items():
            os.replace(tmp, os.path.join(figdir, f"{fig.name}.{fmt}"))
        temps = {}
    finally:
        for tmp in temps.values():
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if keep:
            shutil.copytree(data, keep, dirs_exist_ok=True)
        shutil.rmtree(data, ignore_errors=True)
    return list(dict.fromkeys(warnings))


# -- line figures: sends_vs_size, gbps_vs_size, order_ratio, latency, micro, rate ------

class LinePanel:
    """One panel of a line figure: blocks of data per series, segments,
    labels and the panel's meta (see scripts/lib/linepanel.gp)."""

    def __init__(self, fig, P):
        self.fig, self.P = fig, P
        self.blocks = []
        self.kinds = {k: ([], []) for k in range(6)}
        self.segs = []
        self.labs = []

    def add(self, series, rows, kind=None):
        """rows: (x, y, y low, y high); the series' kind (or `kind`) decides
        the style."""
        rows = [r for r in rows if r[1] is not None and not math.isnan(r[1])]
        if not rows:
            return
        if kind is None:
            kind = self.fig.series[series - 1][5]
        if kind == 3 and len(rows) < 2:
            kind = 0  # a band needs two points: whiskers instead
        self.kinds[kind][0].append(series)
        self.kinds[kind][1].append(len(self.blocks))
        self.blocks.append([tuple(r) + (r[1],) * (4 - len(r)) for r in rows])

    def seg(self, x1, y1, x2, y2, colour, dt=1):
        self.segs.append((x1, y1, x2, y2, rgb(colour), dt))

    def lab(self, x, y, text, colour="#333333", align=0):
        self.labs.append((x, y, text, rgb(colour), align))

    def done(self, **meta):
        f, P = self.fig, self.P
        ymin, ymax = meta["ymin"], meta["ymax"]
        nowhere = ymin / 1e6 if meta.get("ylog") else ymin - 1e3 * (ymax - ymin)
        x = meta["xmin"]
        meta["nowhere"] = nowhere
        if meta.get("ylog") and not meta.get("ytics"):
            meta["ytics"], meta["yticl"] = log_tics(ymin, ymax)
        f.blocks(f"p{P}.tsv", self.blocks or [[(x, nowhere, nowhere, nowhere)]])
        f.table(f"p{P}_seg.tsv", self.segs or [(x, nowhere, x, nowhere, 0, 1)])
        f.table(f"p{P}_lab.tsv", self.labs or [(x, nowhere, ".", 0, 0)])
        for k, (ss, bb) in self.kinds.items():
            f.meta[pk(P, f"s{k}")] = " ".join(str(x) for x in ss)
            f.meta[pk(P, f"b{k}")] = " ".join(str(x) for x in bb)
        for k, v in meta.items():
            if k in ("xticl", "yticl"):
                v = v.replace("%", "%%")  # gnuplot reads tic labels as formats
            f.meta[pk(P, k)] = v


def series_legend(fig, order=None):
    """Legend items for the figure's series, in their order (or `order`, a
    list of series indices); headings where the strong series end."""
    items = []
    idx = order or list(range(1, len(fig.series) + 1))
    muted_started = False
    for i in idx:
        c, pt, ps, dt, lw, kind, title = fig.series[i - 1]
        if kind == 1 and not muted_started:
            items.append((3, "#000000", 7, 0.0, 1, 1.0, "other variants (pale):"))
            muted_started = True
        ty = {0: 1, 1: 1, 2: 0, 3: 1, 4: 2, 5: 0}[kind]
        items.append((ty, c, pt, min(ps, 1.5), dt, lw, title))
    return items


def log_tics(lo, hi, unit=""):
    """Tics for a log axis from lo to hi: 1-2-5 steps (1-10 steps over a
    wide range), labelled 200, 1k, 50M... -> (values, labels)."""
    span = math.log10(hi / lo) if lo > 0 else 0
    steps = (1, 2, 5) if span < 3.2 else (1,) if span > 5 else (1, 3)
    vals = []
    e = math.floor(math.log10(lo)) - 1
    while 10 ** e <= hi * 10:
        for m in steps:
            v = m * 10 ** e
            if lo <= v <= hi:
                vals.append(v)
        e += 1
    if len(vals) < 2:
        return "", ""

    def lab(v):
        for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if v >= div:
                return f"{v / div:g}{suf}"
        return f"{v:g}"
    return " ".join(gp_real(f"{v:.12g}") for v in vals), " ".join(lab(v) + unit for v in vals)


def size_tics(sizes):
    return " ".join(str(s) for s in sorted(sizes))


def fig_sizes(inp, which):
    """sends_vs_size (which = "sends") and gbps_vs_size ("gbps"): the fixed
    workload against message size, from the run with the most sizes."""
    def score(r):
        return len({(t.variant, t.msg_size) for t in r.trials if t.workload == "fixed"})
    run = pick_run(inp.runs, score)
    name = "sends_vs_size" if which == "sends" else "gbps_vs_size"
    if run is None:
        raise Skip("no fixed-workload rows in any run CSV")
    place = main_placement([t for t in run.trials if t.workload == "fixed"])
    stats = stats_of(run)
    conds = sorted((c for c in stats if c[0] == "fixed" and c[4] == place), key=lambda c: c[2])
    sizes = [c[2] for c in conds]
    names = list(dict.fromkeys(n for c in conds for n in stats[c] if n not in (C2C, ONETHREAD)))
    peers = _peers_in(names, run.entries)
    ents = {n: run.entries.get(n, Entry(n)) for n in names}
    order = sorted(names, key=lambda n: style_of(ents[n], peers).rank)
    W, legend_w = 1560, 350
    fig = Figure(name, W, 100, [run])
    sr = [s for c in conds for n, s in stats[c].items() if n in ents and n != CRATE]
    read = conds[0][1] if conds else ""
    what_read = {"all": "sums every byte", "first": "reads the first byte",
                 "none": "touches no payload", "last": "reads the first and last byte"}
    base = (f"Fixed-size messages, two cores (placement {place}); the consumer "
            f"{what_read.get(read, 'reads ' + read)}. Strong lines: the default, the crate's "
            "design and the peers, whiskers from the slowest to the fastest trial; pale lines: "
            "the other variants (colour: cache, marker: pad, dashed: seqcst).")
    one = {c[2]: stats[c][ONETHREAD] for c in conds if ONETHREAD in stats[c]}
    if one:
        base += (f" {ONETHREAD}: both sides on one core; 2x it bounds what two cores can do; "
                 "where this run measured it.")
    base += (" The crate's README: 12.5M sends/s = 3.2 GB/s on the seed workload at 255 B "
             "(the consumer reads the length byte only), Xeon E5-2630 v3, 2019: another "
             "machine and workload.")
    if len(sizes) == 1:
        base += " This run has one size only."
    if which == "sends":
        what = base + " Right: ratio to the crate's design; bands: " + interval_words(sr) + "."
    else:
        what = base
    cap = caption_lines([run], what=what, shown={(run.path, c) for c in conds})
    H = 100 + 520 + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header(("Sends per second" if which == "sends" else "Payload GB/s") +
               " against message size: fixed workload, "
               f"{conds[0][3] // 1024 if conds else 16} KiB buffer, two cores")
    sidx = {}
    for n in order:
        st = style_of(ents[n], peers)
        sidx[n] = fig.add_series(st, 0 if st.strong else 1)
    xlo, xhi = min(sizes) / 1.5, max(sizes) * 1.5
    sizes_set = set(sizes)
    if which == "sends":
        fig.panel(1, 90, 620, 100 + 520, 100)
        fig.panel(2, 710, W - legend_w - 20, 100 + 520, 100)
        A = LinePanel(fig, 1)
        B = LinePanel(fig, 2)
        ys = []
        for n in order:
            rows, rrows = [], []
            for c in conds:
                s = stats[c].get(n)
                if s is None:
                    continue
                rows.append((c[2], s.median / 1e6, s.min / 1e6, s.max / 1e6))
                ys += [s.min / 1e6, s.max / 1e6]
                if s.ratio is not None:
                    rrows.append((c[2], s.ratio, s.lo if s.lo is not None else s.ratio,
                                  s.hi if s.hi is not None else s.ratio))
            A.add(sidx[n], rows)
            if n != CRATE:
                strong = fig.series[sidx[n] - 1][5] == 0
                B.add(sidx[n], rrows, 3 if strong else 1)
        if one:
            i1 = fig.add_series(style_of(Entry(ONETHREAD, "limit")), 2)
            i2 = fig.add_series(Style(BOUND_COLOUR, 3, 1.5, 1, 1.0, True,
                                      f"2 x {ONETHREAD}: the two-core bound", (3, 1, "")), 5)
            A.add(i1, [(sz, s.median / 1e6, s.min / 1e6, s.max / 1e6)
                       for sz, s in sorted(one.items())])
            A.add(i2, [(sz, 2 * s.median / 1e6) for sz, s in sorted(one.items())])
            ys += [2 * s.median / 1e6 for s in one.values()] + [s.min / 1e6 for s in one.values()]
        if xlo <= PUBLISHED_SIZE <= xhi:
            ip = fig.add_series(Style(PUBLISHED_COLOUR, 12, 2.0, 1, 1.0, True,
                                      "crate's README: 12.5M/s (another machine)",
                                      (3, 2, "")), 5)
            A.add(ip, [(PUBLISHED_SIZE, PUBLISHED_SENDS / 1e6)])
            ys.append(PUBLISHED_SENDS / 1e6)
        ylo, yhi = log_range(min(ys), max(ys), 1.4)
        A.done(xmin=xlo, xmax=xhi, xlog=2, xtics=size_tics(sizes_set), ymin=ylo, ymax=yhi,
               ylog=10, xlabel="message size, bytes (log scale)",
               ylabel="million sends/s (log scale)", title="median sends/s")
        rv = [v for blk in B.blocks for r in blk for v in (r[1], r[2], r[3])
              if v is not None and not math.isnan(v)] + [1.0]
        rlo, rhi = log_range(min(rv), max(rv), 1.2)
        B.seg(xlo, 1.0, xhi, 1.0, "#555555", 1)
        B.lab(xlo, 1.0 * (rhi / rlo) ** 0.025, "crate's design", "#555555", 0)
        B.done(xmin=xlo, xmax=xhi, xlog=2, xtics=size_tics(sizes_set), ymin=rlo, ymax=rhi,
               ylog=10, ytics=nice_ratio_tics(rlo, rhi),
               xlabel="message size, bytes (log scale)",
               ylabel="x crate's design (log scale)",
               title="ratio to the crate's design, with its interval")
        fig.meta["npanels"] = 2
    else:
        fig.panel(1, 90, W - legend_w - 20, 100 + 520, 100)
        A = LinePanel(fig, 1)
        ys = [0.0]
        for n in order:
            rows = []
            for c in conds:
                s = stats[c].get(n)
                if s is None:
                    continue
                sz = c[2]
                rows.append((sz, s.gbps, s.min * sz / 1e9, s.max * sz / 1e9))
                ys.append(s.max * sz / 1e9)
            A.add(sidx[n], rows)
        top = max(ys) * 1.3
        off = []
        if one:
            i1 = fig.add_series(style_of(Entry(ONETHREAD, "limit")), 2)
            i2 = fig.add_series(Style(BOUND_COLOUR, 3, 1.5, 1, 1.0, True,
                                      f"2 x {ONETHREAD}: the two-core bound", (3, 1, "")), 5)
            A.add(i1, [(sz, s.gbps, s.min * sz / 1e9, s.max * sz / 1e9)
                       for sz, s in sorted(one.items()) if s.max * sz / 1e9 <= top])
            A.add(i2, [(sz, 2 * s.gbps) for sz, s in sorted(one.items()) if 2 * s.gbps <= top])
            ys += [v for s in one.values() for v in (s.gbps, 2 * s.gbps) if v <= top]
            off = [f"{lab} {v:.3g} GB/s at {sz} B" for sz, s in sorted(one.items())
                   for lab, v in ((ONETHREAD, s.gbps), ("2x", 2 * s.gbps)) if v > top]
        if xlo <= PUBLISHED_SIZE <= xhi:
            ip = fig.add_series(Style(PUBLISHED_COLOUR, 12, 2.0, 1, 1.0, True,
                                      "crate's README: 3.2 GB/s (another machine)",
                                      (3, 2, "")), 5)
            A.add(ip, [(PUBLISHED_SIZE, PUBLISHED_GBPS)])
            ys.append(PUBLISHED_GBPS)
        ymax = max(ys) * 1.08
        if off:
            A.lab(xhi, ymax * 0.97, "off scale: " + "; ".join(off), BOUND_COLOUR, 1)
        A.done(xmin=xlo, xmax=xhi, xlog=2, xtics=size_tics(sizes_set), ymin=0,
               ymax=ymax, ylog=0, xlabel="message size, bytes (log scale)",
               ylabel="payload GB/s (10^9 bytes per second)", title="median GB/s")
        fig.meta["npanels"] = 1
    fig.place_legend(series_legend(fig), W - legend_w + 5, 100)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


def fig_order(inp):
    """order_ratio: seqcst / acqrel of the same cache and pad, per message
    size, paired by round within the run (bipstats), with the interval."""
    def score(r):
        return len({(t.variant, t.msg_size) for t in r.trials if t.workload == "fixed"})
    run = pick_run(inp.runs, score)
    if run is None:
        raise Skip("no fixed-workload rows in any run CSV")
    place = main_placement([t for t in run.trials if t.workload == "fixed"])
    combos = {}
    for n, e in run.entries.items():
        if e.is_variant and e.order in ("seqcst", "acqrel"):
            combos.setdefault((e.cached, e.pad), {})[e.order] = n
    pairs = {k: v for k, v in combos.items() if len(v) == 2}
    if not pairs:
        raise Skip("no cache x pad measured in both orders")
    W, legend_w = 1560, 330
    fig = Figure("order_ratio", W, 100, [run])
    caches = [c for c in ("1", "0") if any(k[0] == c for k in pairs)]
    allr = []
    got = {}
    for (cache, pad), v in pairs.items():
        res = ratios(run, v["acqrel"], subset={v["acqrel"], v["seqcst"]})
        rows = sorted(((cc[2], r) for (e, cc), r in res.items()
                       if e == v["seqcst"] and cc[0] == "fixed" and cc[4] == place),
                      key=lambda x: x[0])
        got[(cache, pad)] = rows
        allr += [r for _, r in rows]
    if not allr:
        raise Skip("no fixed-workload size with both orders")
    paired = any(r.method == bs.PAIRED_METHOD for r in allr)
    unpaired = any(r.method != bs.PAIRED_METHOD for r in allr)
    covs = sorted({r.coverage for r in allr if r.method == bs.PAIRED_METHOD})
    iw = []
    if paired:
        iw.append("paired by round (seqcst and acqrel ran back to back in each round): median "
                  "of the per-round ratios, distribution-free interval" +
                  (f" ([min, max], coverage {covs[0]:.1%}, below 6 rounds)" if covs and
                   covs[0] < 0.95 else " (95%)"))
    if unpaired:
        iw.append("UNPAIRED (a run before interleaved rounds): ratio of medians, 95% bootstrap "
                  "interval")
    what = ("Each point: the sends/s of the seq_cst variant divided by the acquire-release one "
            "of the same cache and pad (columns cached, pad, order of the CSV), fixed-size "
            "messages, two cores. Below 1: seq_cst costs throughput. Whiskers: "
            + "; ".join(iw) + ". Points of one size are spread sideways to keep the whiskers "
            "apart.")
    cap = caption_lines([run], what=what, shown={(run.path, cond_of(t)) for t in run.trials
                                                 if t.workload == "fixed" and
                                                 t.placement == place})
    H = 100 + 500 + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header("What seq_cst costs: seqcst / acqrel sends/s, same cache and pad, same run")
    sizes = sorted({sz for rows in got.values() for sz, _ in rows})
    xlo, xhi = min(sizes) / 1.6, max(sizes) * 1.6
    vals = [v for r in allr for v in (r.ratio, r.low, r.high) if v is not None] + [1.0]
    ylo, yhi = log_range(min(vals), max(vals), 1.15)
    span = W - legend_w - 20 - 90
    n = len(caches)
    pw = (span - 60 * (n - 1)) / n
    shift = {"0": 0.93, "64": 1.0, "128": 1.075}
    for k, cache in enumerate(caches):
        P = k + 1
        x0 = 90 + k * (pw + 60)
        fig.panel(P, x0, x0 + pw, 100 + 500, 100)
        lp = LinePanel(fig, P)
        for pad in ("0", "64", "128"):
            rows = got.get((cache, pad))
            if not rows:
                continue
            e = Entry(pairs[(cache, pad)]["acqrel"], "variant", cache, pad, "acqrel")
            st = style_of(e, strong=True)
            st.colour = PAD_SHADES[cache][pad]
            who = ""
            if pairs[(cache, pad)]["acqrel"] == DEFAULT:
                who = " (the default's layout)"
            elif pairs[(cache, pad)]["acqrel"] == CRATE:
                who = " (the crate's layout)"
            st.label = f"{'cached' if cache == '1' else 'uncached'} {PAD_WORD[pad]}{who}"
            i = fig.add_series(st, 0)
            lp.add(i, [(sz * shift[pad], r.ratio, r.low if r.low is not None else r.ratio,
                        r.high if r.high is not None else r.ratio) for sz, r in rows])
        lp.seg(xlo, 1.0, xhi, 1.0, "#555555", 1)
        lp.lab(xlo, 1.0 * (yhi / ylo) ** 0.03, "1: seq_cst costs nothing", "#555555", 0)
        lp.done(xmin=xlo, xmax=xhi, xlog=2, xtics=size_tics(sizes), ymin=ylo, ymax=yhi, ylog=10,
                ytics=nice_ratio_tics(ylo, yhi), xlabel="message size, bytes (log scale)",
                ylabel="seqcst / acqrel (log scale)" if k == 0 else "",
                title=("cached" if cache == "1" else "uncached") + " variants")
    fig.meta["npanels"] = n
    leg = [(3, "#000000", 7, 0.0, 1, 1.0, "pad (marker), in order:")] + series_legend(fig)
    fig.place_legend(leg, W - legend_w + 5, 100)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


PCT_TICS = [(1, "min"), (2, "50%"), (10, "90%"), (100, "99%"), (1000, "99.9%"),
            (10000, "99.99%"), (100000, "99.999%"), (1000000, "99.9999%")]


def fig_latency(inp):
    """latency: the round-trip latency distribution of each entry as a
    percentile spectrum (x: 1/(1-p), log), from hgrm/ where the folder has
    it, else from latency.csv's percentiles; limit-c2c as the floor."""
    lat = inp.latency
    if lat is None:
        raise Skip("no latency CSV")
    place = "core" if any((r.get("placement") or "core") == "core" for r in lat.rows) else \
        lat.rows[0].get("placement")
    rows = [r for r in lat.rows if (r.get("placement") or "core") == place]
    names = [r["variant"] for r in rows]
    peers = _peers_in(names, lat.entries)
    with_h = [n for n in names if (n, place) in lat.hgrm]
    without = [n for n in names if (n, place) not in lat.hgrm]
    W, legend_w = 1560, 430
    fig = Figure("latency", W, 100, [])
    sizes = sorted({int(float(r["msg_size"])) for r in rows})
    samples = sorted({int(float(r["samples"])) for r in rows})
    if not without:
        src = "From the hgrm/ histograms (bucket tops, 2 significant digits)"
    elif not with_h:
        src = ("From latency.csv's min, p50, p90, p99, p99.9 and max (this folder has no hgrm/ "
               "histograms)")
    else:
        src = ("From the hgrm/ histograms (bucket tops, 2 significant digits); for "
               + ", ".join(without) + ", which have none, latency.csv's min, p50, p90, p99, "
               "p99.9 and max (lines with points)")
    what = (f"Each line: one entry's round trips (ping sends one {'/'.join(map(str, sizes))}-byte "
            "message through one buffer, pong answers through a second), as a percentile "
            "spectrum: at x = 1/(1-p) the p-th percentile; the line ends at the longest. "
            f"{src}. One run of " + ("/".join(str(s) for s in samples)) +
            " round trips per entry: bipbench latency has no trials, so no interval. "
            "limit-c2c: one cache line bounced between the two cores, the floor for any "
            "queue on this pair.")
    cap = caption_lines([], docs=[lat.json] if lat.json else [], what=what)
    H = 90 + 560 + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    rel = rows[0].get("relation") or ""
    fig.header(f"Round-trip latency, {' and '.join(size_text(s) for s in sizes)} messages, "
               f"two cores (placement {place}{', sharing ' + rel if rel else ''}): the whole "
               "distribution")
    fig.panel(1, 100, W - legend_w - 20, 90 + 560, 90)
    lp = LinePanel(fig, 1)
    ents = {n: lat.entries.get(n, Entry(n)) for n in names}
    order = sorted(names, key=lambda n: (0 if n == C2C else 1, style_of(ents[n], peers).rank))
    ys, xs = [], []
    for r in sorted(rows, key=lambda r: order.index(r["variant"])):
        n = r["variant"]
        e = ents[n]
        st = style_of(e, peers)
        total = int(float(r["samples"]))
        use_hgrm = (n, place) in lat.hgrm
        if use_hgrm:
            h = lat.hgrm[(n, place)]
            pts = [(1.0 / (1.0 - p), v) for v, p in h.points if p < 1.0]
            pts.append((float(h.total), h.max))
            pts = [(1.0, pts[0][1])] + pts
        else:
            pts = [(1.0, float(r.get("min_ns") or r["p50_ns"])), (2.0, float(r["p50_ns"])),
                   (10.0, float(r["p90_ns"])), (100.0, float(r["p99_ns"])),
                   (1000.0, float(r["p999_ns"])), (float(total), float(r["max_ns"]))]
            pts = sorted(pts)
        ys += [v for _, v in pts]
        xs += [x for x, _ in pts]
        p50, p999, mx = float(r["p50_ns"]), float(r["p999_ns"]), float(r["max_ns"])
        if n == C2C:
            st = Style(LIMIT_COLOUR, 1, 1.0, 2, 3.0, True, "", (0,))
            st.label = (f"limit-c2c (the floor): p50 {ns_text(p50)}, p99.9 {ns_text(p999)}, "
                        f"max {ns_text(mx)}")
        elif st.strong:
            st.label = (f"{label_of(n)}: p50 {ns_text(p50)}, p99.9 {ns_text(p999)}, "
                        f"max {ns_text(mx)}")
        # Histograms: lines alone (a point per bucket would be clutter); the
        # CSV's six percentiles: lines with their points.
        kind = 4 if use_hgrm else (0 if st.strong else 1)
        i = fig.add_series(st, kind)
        lp.add(i, pts)
        if st.strong and n != C2C:
            im = fig.add_series(Style(st.colour, st.pt, 1.6, 1, 1.0, True,
                                      f"   the longest of {label_of(n)}", st.rank), 5)
            lp.add(im, [pts[-1]])
            fig.series[im - 1] = fig.series[im - 1][:6] + ("",)
    xt = [(x, l) for x, l in PCT_TICS if x <= max(xs) * 1.01]
    ylo, yhi = log_range(min(ys), max(ys), 1.3)
    for n in samples:
        lp.seg(n, ylo, n, yhi, BOUND_COLOUR, 3)
        lp.lab(n, yhi / 1.25, f"the longest of {n}", "#555555", 1)
    lp.done(xmin=1, xmax=max(xs) * 1.6, xlog=10, xtics=" ".join(str(x) for x, _ in xt),
            xticl=" ".join(l for _, l in xt), ymin=ylo, ymax=yhi, ylog=10,
            xlabel="percentile (x: 1/(1-p), log scale); each line ends at its longest round trip",
            ylabel="round trip, ns (log scale)")
    fig.meta["npanels"] = 1
    legend = []
    for it in series_legend(fig):
        if not it[6]:
            continue
        if ": p50" in it[6]:
            head, tail = it[6].split(": p50", 1)
            legend += [it[:6] + (head,), (4, "#333333", 1, 0.0, 1, 1.0, "p50" + tail)]
        else:
            legend.append(it)
    fig.place_legend(legend, W - legend_w + 5, 100)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


MICRO_FAMILIES = [("single", "single: one thread, reserve to consume", "ns per message"),
                  ("pair", "pair: producer and consumer on two cores", "ns per message"),
                  ("roundtrip", "roundtrip: ping-pong through two buffers", "ns per round trip")]


def fig_micro(inp):
    """micro: Google Benchmark's single, pair and roundtrip benchmarks of
    every variant against message size."""
    m = inp.micro
    if m is None:
        raise Skip("no micro.json")
    fams = [f for f in MICRO_FAMILIES if any(k[0] == f[0] for k in m.runs)]
    if not fams:
        raise Skip("micro.json has no single/, pair/ or roundtrip/ benchmarks")
    absent = [f[0] for f in MICRO_FAMILIES if f not in fams]
    names = list(dict.fromkeys(k[1] for k in m.runs))
    ents = {n: inp.registry.get(n, Entry(n)) for n in names}
    order = sorted(names, key=lambda n: style_of(ents[n]).rank)
    reps = max(len(v) for v in m.runs.values())
    W, legend_w = 1560, 340
    fig = Figure("micro", W, 100, [])
    ctx = m.doc.get("context") or {}
    others = [r.json for r in inp.runs if r.json] + ([inp.latency.json] if inp.latency and
                                                   inp.latency.json else [])
    mach = next((d.get("machine") for d in others if isinstance(d.get("machine"), dict)), {})
    doc = {"machine": {"cpu_model": (mach.get("cpu_model") or "CPU not recorded") +
                       (f" at {ctx['mhz_per_cpu']} MHz" if ctx.get("mhz_per_cpu") else ""),
                       "cores": mach.get("cores") or ctx.get("num_cpus")},
           "date_utc": str(ctx.get("date", ""))[:19].replace("+00:00", ""),
           "git_commit": next((d.get("git_commit") for d in others if d.get("git_commit")),
                              None)}
    what = ("bipbench_micro (Google Benchmark): wall time per message (single), per message "
            "with the two sides on two cores (pair, manual time in batches), per round trip "
            "(roundtrip). " + (f"Whiskers: min to max of {reps} repetitions." if reps > 1 else
                               "One measurement per point (no repetitions): no interval.") +
            " Strong: the default and the crate's design; pale: the other variants (colour: "
            "cache, marker: pad, dashed: seqcst). " +
            ("The machine and commit are those of the folder's other JSON files. " if others
             else "") +
            (f"Not in this micro.json: {', '.join(absent)}." if absent else ""))
    cap = caption_lines([], docs=[doc], what=what)
    H = 100 + 460 + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    pair = ctx.get("micro_pair_pus")
    fig.header("Micro-benchmarks of every variant against message size" +
               (f" (pair: PUs {pair}, {ctx.get('micro_pair_relation', '')})" if pair else ""))
    sidx = {}
    for n in order:
        st = style_of(ents[n])
        sidx[n] = fig.add_series(st, 0 if st.strong else 1)
    span = W - legend_w - 20 - 90
    nf = len(fams)
    pw = (span - 80 * (nf - 1)) / nf
    for k, (fam, title, unit) in enumerate(fams):
        P = k + 1
        x0 = 90 + k * (pw + 80)
        fig.panel(P, x0, x0 + pw, 100 + 460, 100)
        lp = LinePanel(fig, P)
        sizes = sorted({key[2] for key in m.runs if key[0] == fam})
        ys = []
        for n in order:
            rows = []
            for sz in sizes:
                v = m.runs.get((fam, n, sz))
                if v:
                    rows.append((sz, float(np.median(v)), min(v), max(v)))
                    ys += [min(v), max(v)]
            lp.add(sidx[n], rows)
        xlo, xhi = min(sizes) / 1.5, max(sizes) * 1.5
        ylo, yhi = log_range(min(ys), max(ys), 1.3)
        lp.done(xmin=xlo, xmax=xhi, xlog=2, xtics=size_tics(sizes), ymin=ylo, ymax=yhi, ylog=10,
                xlabel="message size, bytes (log scale)", ylabel=unit + " (log scale)",
                title=title)
    fig.meta["npanels"] = nf
    fig.place_legend(series_legend(fig), W - legend_w + 5, 100)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


# -- rate figures: rate_latency, rate_cpu, wakeup, spin_budget ---------------------
#
# The rate CSV has no cached, pad or order columns: its variants are a design
# (the default's, the crate's) with a way to wait, its `wake` column. Colour
# family: the design's cache (from another CSV of the folder that has the
# design's columns, else blue for the default's design and orange for the
# crate's, the only two the rate runs build with sleeping waits); shade,
# marker and dash: the wake (spin dashed, as it never sleeps). The library
# default is the strong entry; peers and limits look as everywhere.

LIBRARY_DEFAULT = "cached-pad128-acqrel-asym"
"""What <bipbuf.h> builds without -D flags: the default's design with asym
waits (docs/DESIGN.md, "The default variant")."""
WAKES = ("asym", "fence", "eventfd", "spin")
WAKE_MARKER = {"asym": 7, "fence": 5, "eventfd": 9, "spin": 6}
WAKE_SHADES = {"1": {"asym": STRONG["1"], "fence": "#86aee0", "eventfd": "#1a9ad6",
                     "spin": "#4f7fb8"},
               "0": {"asym": STRONG["0"], "fence": "#f2b487", "eventfd": "#e69f00",
                     "spin": "#c07a45"}}
KEPT_COLOUR = "#d40000"
# One line per offered rate (spin_budget): light to dark as the rate grows.
RATE_SHADES = ["#7ad151", "#22a884", "#2a788e", "#414487", "#440154", "#1a0030"]
RATE_MARKERS = [9, 5, 7, 11, 13, 15]


def spin_of(r):
    """A rate row's spin_ns: a number, or None where empty (the library's
    default budget)."""
    v = (r.get("spin_ns") or "").strip()
    return float(v) if v else None


def rate_place(rows):
    places = list(dict.fromkeys(r.get("placement") or "core" for r in rows))
    return "core" if "core" in places else places[0]


def rate_rows(rf):
    """The rows of a rate file the rate figures show: at its main placement,
    each entry at one spin budget (the library's default where it has rows
    of it, else its only one); an entry measured at several budgets and no
    default is the spin_budget figure's. -> (rows, entries left out, placement)."""
    place = rate_place(rf.rows)
    by = {}
    for r in rf.rows:
        if (r.get("placement") or "core") == place:
            by.setdefault(r["variant"], []).append(r)
    out, left = [], []
    for n, rows in by.items():
        spins = {spin_of(r) for r in rows}
        if None in spins:
            out += [r for r in rows if spin_of(r) is None]
        elif len(spins) == 1:
            out += rows
        else:
            left.append(n)
    return out, left, place


def rate_groups(rows):
    """{(variant, size, rate): [rows, one per trial]}."""
    g = {}
    for r in rows:
        g.setdefault((r["variant"], int(float(r["msg_size"])), float(r["rate"])), []).append(r)
    return g


def main_rate(inp):
    """The rate file the rate figures draw: the most offered rates, then the
    most (entry, size, rate) measured (idle.csv, one rate, loses to a sweep;
    a spin-budget study, whose entries vary spin_ns, has none)."""
    best, bscore = None, 0
    for rf in sorted(inp.rates, key=lambda r: r.name):
        rows, left, place = rate_rows(rf)
        g = rate_groups(rows)
        score = len({k[2] for k in g}) * 1000000 + len(g)
        if score > bscore:
            best, bscore = (rf, rows, left, place), score
    if best is None:
        raise Skip("no rate CSV" if not inp.rates else
                   "no entry of a rate CSV at one spin budget (they vary spin_ns: spin_budget)")
    return best


def _strip_wake(name):
    for w in WAKES + ("futex",):
        if name.endswith("-" + w):
            return name[:-len(w) - 1]
    return name


def rate_design(e, registry):
    """(cached, order) of a rate entry's design: its own columns, else the
    columns another CSV of the folder gives its design, else the default's
    and the crate's designs by name; ("", "") where unknown (grey)."""
    if e.cached in ("0", "1"):
        return e.cached, e.order
    base = _strip_wake(e.name)
    d = registry.get(base)
    if d is not None and d.cached in ("0", "1"):
        return d.cached, d.order
    if base == DEFAULT:
        return "1", "acqrel"
    if base in (bs.CRATE, bs.CRATE_OLD):
        return "0", "acqrel"
    return "", ""


def rate_label(e, wake):
    n = e.name
    if n == LIBRARY_DEFAULT:
        return f"{n} (library default)"
    if e.kind == "limit":
        return f"{n} (a bare futex wake-up)" if wake == "futex" else label_of(n)
    if e.kind == "peer":
        return n
    if wake == "spin":
        return f"{n} (spins, never sleeps)"
    if _strip_wake(n) in (bs.CRATE, bs.CRATE_OLD):
        return f"{n} (crate's design)"
    return n


def rate_style(e, wake, peers, registry):
    """An entry's style in the rate figures (see above)."""
    if e.kind in ("peer", "limit"):
        st = style_of(e, peers)
        st.label = rate_label(e, wake)
        return st
    cached, order = rate_design(e, registry)
    w = wake if wake in WAKES else ""
    strong = e.name == LIBRARY_DEFAULT
    colour = WAKE_SHADES[cached][w] if cached in WAKE_SHADES and w else OTHER_COLOUR
    pt = WAKE_MARKER.get(w, 1)
    if order == "seqcst" and pt in (5, 7, 9):
        pt -= 1  # open: seqcst, as everywhere
    rank = (0 if strong else 1, {"1": 0, "0": 1}.get(cached, 2),
            WAKES.index(w) if w else len(WAKES), e.name)
    return Style(colour, pt, 2.0 if strong else 1.4, 2 if w == "spin" else 1,
                 3.2 if strong else 1.8, True, rate_label(e, wake), rank)


def rate_legend_key():
    """Legend headings that explain the rate figures' encoding."""
    return [(3, "#000000", 7, 0.0, 1, 1.0, "colour: the design (blue: the default's,"),
            (3, "#000000", 7, 0.0, 1, 1.0, "orange: the crate's); marker and shade:"),
            (3, "#000000", 7, 0.0, 1, 1.0, "the wake (asym circle, fence square,"),
            (3, "#000000", 7, 0.0, 1, 1.0, "eventfd triangle; spin open, dashed)")]


def rate_tics(vals, unit=""):
    """Tics at the values given, labelled 1k, 50k, 1M..."""
    def lab(v):
        for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if v >= div:
                return f"{v / div:g}{suf}"
        return f"{v:g}"
    vals = sorted(set(vals))
    return " ".join(gp_real(f"{v:.12g}") for v in vals), " ".join(lab(v) + unit for v in vals)


def rate_words(r):
    return rate_tics([r])[1] + "/s"


def trial_words(groups):
    counts = [len(g) for g in groups.values()]
    if not counts:
        return "no trials"
    lo, hi = min(counts), max(counts)
    return (f"{lo} trial{'s' if lo != 1 else ''} per entry and rate" if lo == hi else
            f"{lo}-{hi} trials per entry and rate")


RATE_NOISE = "noise: not recorded (a rate CSV has no noise columns)"


def _rate_where(rows, place):
    rel = next((r.get("relation") for r in rows if r.get("relation")), "")
    return f"two cores (placement {place}{', sharing ' + rel if rel else ''})"


def _pace_words(rows):
    paces = sorted({(r.get("pace") or "").strip() for r in rows} - {""})
    if paces == ["sleep"]:
        return "The producer sleeps to each due time (pace sleep)."
    if paces == ["spin"]:
        return "The producer spins on the clock to each due time (pace spin)."
    return f"Pace: {', '.join(paces)}." if paces else ""


def _stat(rows, col, scale=1.0):
    """(median, min, max) of a column over trials, its values above 0 (a log
    axis); None if none is."""
    v = [float(r[col]) * scale for r in rows if (r.get(col) or "").strip()]
    v = [x for x in v if x > 0]
    if not v:
        return None
    return float(np.median(v)), min(v), max(v)


def _median_points(groups, keyed, col, scale, unkept, ring):
    """One line's points: for each (group key, x) in keyed whose group has
    the column, (x, median, low, high) of its trials; the points of keys in
    unkept (a trial missed its schedule) are also added to ring as (x, median)."""
    pts = []
    for key, x in keyed:
        g = groups.get(key)
        st = _stat(g, col, scale) if g else None
        if st is None:
            continue
        pts.append((x,) + st)
        if key in unkept:
            ring.append((x, st[0]))
    return pts


def _period_ref(lp, xlo, xhi, ylo, yhi, text, label_low=False):
    """The line y = 1e9 / rate (ns between two messages) where it crosses the
    panel, with its label at one end."""
    x1, x2 = max(xlo, 1e9 / yhi), min(xhi, 1e9 / ylo)
    if x1 >= x2:
        return
    lp.seg(x1, 1e9 / x1, x2, 1e9 / x2, BOUND_COLOUR, 3)
    if label_low:
        lp.lab(x2 / 1.05, 1e9 / x2 * 1.25, text, "#555555", 1)
    else:
        lp.lab(x1 * 1.08, 1e9 / x1 / 1.12, text, "#555555", 0)


def _core_ref(lp, xlo, xhi, ylo, yhi, label=True):
    """100% of a core: dotted, so that a consumer that spins stays visible on it."""
    lp.seg(xlo, 100.0, xhi, 100.0, BOUND_COLOUR, 3)
    if label:
        lp.lab(xlo, 100.0 / (yhi / ylo) ** 0.06, "100%: a whole core", "#555555", 0)


def _rate_grid(inp, name, metrics, header, what):
    """A rate figure: a panel per message size (columns, up to 3) and per
    metric (rows), each entry's median over trials against the offered rate
    (log-log), min-max whiskers, points of one rate spread sideways; trials
    that did not keep the schedule ringed. metrics: (column, scale, title,
    y label, y tic unit, ref(lp, xlo, xhi, ylo, yhi), y values to include)."""
    rf, rows, left, place = main_rate(inp)
    groups = rate_groups(rows)
    all_sizes = sorted({k[1] for k in groups})
    sizes = all_sizes[:3]
    rates = sorted({k[2] for k in groups})
    names = list(dict.fromkeys(r["variant"] for r in rows))
    wake = {}
    for r in rows:
        wake.setdefault(r["variant"], (r.get("wake") or "").strip())
    peers = _peers_in(names, rf.entries)
    styles = {n: rate_style(rf.entries[n], wake[n], peers, inp.registry) for n in names}
    order = sorted(names, key=lambda n: styles[n].rank)
    unkept = {k for k, g in groups.items() if any(float(r["kept"]) == 0 for r in g)}
    W, legend_w = 1560, 400
    fig = Figure(name, W, 100, [])
    sidx = {n: fig.add_series(styles[n], 0) for n in order}
    iring = None
    if any(k[1] in sizes for k in unkept):
        iring = fig.add_series(Style(KEPT_COLOUR, 6, 2.8, 1, 1.5, True,
                                     "ringed: a trial did not keep the schedule (kept 0)",
                                     (9,)), 5)
    n_un = sum(1 for g in groups.values() for r in g if float(r["kept"]) == 0)
    kept = ("Ringed red: a point with a trial that did not keep the schedule (kept 0: under "
            f"95% of the offered rate sent; {n_un} of {len(rows)} trials), where the latency "
            "includes a backlog." if n_un else
            "Every trial kept its schedule (kept 1: at least 95% of the offered rate sent).")
    full = (what + " Each point: the median of an entry's trials at one offered rate, whiskers "
            "from the lowest to the highest trial; points of one rate are spread sideways to "
            "keep the whiskers apart. " + kept + " " + _pace_words(rows))
    if left:
        full += (" Left out, measured at several spin budgets (spin_budget draws them): "
                 + ", ".join(left) + ".")
    if len(all_sizes) > len(sizes):
        full += " Sizes not shown: " + ", ".join(size_text(s) for s in all_sizes[3:]) + "."
    cap = caption_lines([], docs=rf.jsons, what=full.strip(),
                        extra=[trial_words(groups), RATE_NOISE, f"{rf.name}.csv"])
    ph, top, gapr = 290, 100, 105
    nrow = len(metrics)
    H = top + nrow * ph + (nrow - 1) * gapr + 75 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header(header.format(sizes=" and ".join(size_text(s) for s in sizes),
                             where=_rate_where(rows, place)))
    ncol = len(sizes)
    x_left, gapc = 105, 60
    span = W - legend_w - 20 - x_left
    pw = (span - gapc * (ncol - 1)) / ncol
    n = len(order)
    spread = {nm: 10 ** (0.024 * (i - (n - 1) / 2)) for i, nm in enumerate(order)}
    xlo, xhi = rates[0] / 2.5, rates[-1] * 2.5
    xt, xl = rate_tics(rates)
    for m, (col, scale, title, ylabel, unit, ref, include) in enumerate(metrics):
        ys = list(include)
        for k, g in groups.items():
            if k[1] in sizes:
                st = _stat(g, col, scale)
                if st:
                    ys += [st[1], st[2]]
        ylo, yhi = log_range(min(ys), max(ys), 1.5)
        yt, yl = log_tics(ylo, yhi, unit)
        for c, sz in enumerate(sizes):
            P = m * ncol + c + 1
            x0 = x_left + c * (pw + gapc)
            y0 = top + m * (ph + gapr)
            fig.panel(P, x0, x0 + pw, y0 + ph, y0)
            lp = LinePanel(fig, P)
            ring = []
            for nm in order:
                pts = _median_points(groups, [((nm, sz, rt), rt * spread[nm]) for rt in rates],
                                     col, scale, unkept, ring)
                lp.add(sidx[nm], pts)
            if ring and iring:
                lp.add(iring, ring)
            ref(lp, xlo, xhi, ylo, yhi)
            lp.done(xmin=xlo, xmax=xhi, xlog=10, xtics=xt, xticl=xl, ymin=ylo, ymax=yhi,
                    ylog=10, ytics=yt, yticl=yl,
                    xlabel="offered rate, messages/s (log scale)",
                    ylabel=ylabel if c == 0 else "",
                    title=title.format(size=size_text(sz)))
    fig.meta["npanels"] = nrow * ncol
    leg = series_legend(fig) + [(3, "#000000", 7, 0.0, 1, 1.0, "")] + rate_legend_key()
    fig.place_legend(leg, W - legend_w + 5, top)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


def fig_rate_latency(inp):
    """rate_latency: the latency from the send (p50, p99) against the offered
    rate, open loop, a panel per message size, one line per entry."""
    def period(lp, xlo, xhi, ylo, yhi):
        _period_ref(lp, xlo, xhi, ylo, yhi, "1/rate: the time between two messages")
    metrics = [("send_p50_ns", 1.0, "{size} messages: p50, the median message",
                "latency from the send, ns (log scale)", "", period, ()),
               ("send_p99_ns", 1.0, "{size} messages: p99, 1 message in 100 waits longer",
                "latency from the send, ns (log scale)", "", period, ())]
    what = ("Each line: one entry of bipbench rate, an open loop (message i is due at "
            "t0 + (i+1)/rate whatever the queue does, and sent late rather than skipped). "
            "Latency from the send: the consumer's clock once it holds the message, minus "
            "the stamp the producer wrote just before sending it: what the queue adds, its "
            "wake-up included (the producer's own lateness is not in it). p50 and p99 of "
            "each trial's messages, from bipbench's log-bucket histogram (2 significant "
            "digits). Dotted: 1/rate, the time between two messages: a latency above it means "
            "messages wait behind each other.")
    return _rate_grid(inp, "rate_latency", metrics,
                      "Latency from the send at an offered rate: {sizes} messages, {where}",
                      what)


def fig_rate_cpu(inp):
    """rate_cpu: the consumer's CPU share of a core and the queue's CPU per
    message against the offered rate, a panel per message size."""
    def core(lp, xlo, xhi, ylo, yhi):
        _core_ref(lp, xlo, xhi, ylo, yhi)

    def period(lp, xlo, xhi, ylo, yhi):
        _period_ref(lp, xlo, xhi, ylo, yhi, "1/rate: a whole core per message")
    metrics = [("consumer_cpu_share", 100.0, "{size} messages: the consumer's CPU",
                "consumer's CPU, % of a core (log scale)", "%", core, (100.0,)),
               ("queue_cpu_per_msg_ns", 1.0, "{size} messages: the queue's CPU per message",
                "CPU per message, ns (log scale)", "", period, ())]
    what = ("Each line: one entry of bipbench rate (open loop). Top: the CPU time the kernel "
            "charged the consumer thread (CLOCK_THREAD_CPUTIME_ID over its loop: spinning and "
            "system calls included, sleep not), as a share of the time from t0 to the last "
            "message; an entry that spins (wake spin) holds its core whatever the rate, one "
            "that sleeps pays for what it receives. Bottom: queue_cpu_per_msg_ns = (the "
            "consumer's CPU + the producer's wall time inside its sends) / messages: what the "
            "queue costs a message (the producer's pacing, the same for every entry, left out). "
            "Dotted: 1/rate, a whole core's time per message, where a spinning consumer is.")
    return _rate_grid(inp, "rate_cpu", metrics,
                      "What waiting costs at an offered rate: CPU, {sizes} messages, {where}",
                      what)


WAKEUP_MIN_MESSAGES = 100
"""The fewest messages of an entry that wakeup draws as a distribution (the
idle measurement, one message, is a number in its caption instead)."""


def period_text(ns):
    return f"{ns / 1e9:.3g} s" if ns >= 1e9 else ns_text(ns)


def _pct_of(pts, p):
    """The value at fraction p of a spectrum's points (x = 1/(1-p))."""
    x = 1.0 / (1.0 - p)
    for px, v in pts:
        if px >= x * 0.999:
            return v
    return pts[-1][1]


def fig_wakeup(inp):
    """wakeup: the latency from the send at the lowest offered rate, where a
    sleeping consumer sleeps before each message, as a percentile spectrum
    (x: 1/(1-p), log) from hgrm/ where the run wrote it, else the rate CSV's
    percentiles; limit-futex, a bare futex wake-up, as the floor."""
    rf, rows, left, place = main_rate(inp)
    r0 = min(float(r["rate"]) for r in rows)
    rows0 = [r for r in rows if float(r["rate"]) == r0]
    groups = rate_groups(rows0)
    all_sizes = sorted({k[1] for k in groups})
    sizes = all_sizes[:3]
    names = list(dict.fromkeys(r["variant"] for r in rows0))
    wake = {}
    for r in rows0:
        wake.setdefault(r["variant"], (r.get("wake") or "").strip())
    peers = _peers_in(names, rf.entries)
    styles = {}
    for n in names:
        e = rf.entries[n]
        st = rate_style(e, wake[n], peers, inp.registry)
        if e.kind == "limit":
            st = Style(LIMIT_COLOUR, 1, 1.0, 2, 3.0, True,
                       f"{n} (the floor: a bare futex wake-up)" if wake[n] == "futex" else
                       f"{n} (the floor)", (-1, n))
        styles[n] = st
    order = sorted(names, key=lambda n: styles[n].rank)
    with_h = {n for n in names if any((n, place, s, r0) in rf.hgrm for s in sizes)}
    without = [n for n in order if n not in with_h]
    if not without:
        src = ("From the hgrm/ histograms of the run (all its trials together; bucket tops, 2 "
               "significant digits)")
    elif not with_h:
        src = (f"From {rf.name}.csv's p50, p99, p99.9 and max, the median of the trials (the "
               "run wrote no hgrm/ histograms), lines with points")
    else:
        src = ("From the hgrm/ histograms of the run (all its trials together; bucket tops, 2 "
               f"significant digits); for {', '.join(without)}, which have none, "
               f"{rf.name}.csv's p50, p99, p99.9 and max (lines with points)")
    W, legend_w = 1560, 440
    fig = Figure("wakeup", W, 100, [])
    sidx = {n: fig.add_series(styles[n], 4) for n in order}
    period = 1e9 / r0
    what = (f"Each line: one entry's latency from the send at {rate_words(r0)}, the lowest "
            f"rate offered: a message every {period_text(period)}, so a consumer that sleeps once "
            "its spin budget is spent is asleep when each message comes, and this is its "
            "wake-up, as a percentile spectrum: at x = 1/(1-p) the p-th percentile; the line "
            f"ends at the longest. {src}. limit-futex: a ring whose consumer sleeps in "
            "FUTEX_WAIT at once and whose producer calls FUTEX_WAKE after every message, the "
            "floor of a wake-up through the kernel on this pair. An entry that spins (wake "
            "spin) never sleeps: its line is what the queue costs with no wake-up. Legend: "
            f"the numbers at {size_text(sizes[0])}; 'slept': the consumer's sleeps per message "
            "(99.9%: 999 sleeps for 1000 messages), where the entry counts them. " +
            _pace_words(rows0))
    # The idle measurement: a rate CSV whose rows are below this rate (idle.csv:
    # one message after 10 s).
    idle = {}
    idle_rate = None
    for other in sorted(inp.rates, key=lambda r: r.name):
        if other is rf:
            continue
        orows, _, oplace = rate_rows(other)
        orows = [r for r in orows if float(r["rate"]) < r0 and oplace == place]
        if not orows:
            continue
        idle_rate = min(float(r["rate"]) for r in orows)
        og = rate_groups([r for r in orows if float(r["rate"]) == idle_rate])
        for (n, sz, _), g in og.items():
            if n in styles and sz == sizes[0]:
                idle[n] = (float(np.median([float(r["send_p50_ns"]) for r in g])),
                           sum(int(float(r["messages"])) for r in g), other.name)
        if idle:
            break
    if idle:
        src_name = next(iter(idle.values()))[2]
        msgs = sorted({v[1] for v in idle.values()})
        what += (f" Idle ({src_name}.csv, {rate_words(idle_rate)}: " +
                 ("one message" if msgs == [1] else f"{'/'.join(map(str, msgs))} messages") +
                 f" after {1 / idle_rate:g} s asleep, {size_text(sizes[0])}, median of its "
                 "latency from the send): " +
                 ", ".join(f"{n} {ns_text(idle[n][0])}" for n in order if n in idle) + ".")
    if len(all_sizes) > len(sizes):
        what += " Sizes not shown: " + ", ".join(size_text(s) for s in all_sizes[3:]) + "."
    cap = caption_lines([], docs=rf.jsons, what=what,
                        extra=[trial_words(groups), RATE_NOISE, f"{rf.name}.csv"])
    ph, top = 540, 100
    H = top + ph + 75 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header(f"Wake-up latency: the whole distribution at {rate_words(r0)}, "
               f"{' and '.join(size_text(s) for s in sizes)} messages, {_rate_where(rows0, place)}")
    ncol = len(sizes)
    x_left, gapc = 100, 60
    span = W - legend_w - 20 - x_left
    pw = (span - gapc * (ncol - 1)) / ncol
    spectra = {}
    for sz in sizes:
        for n in order:
            g = groups.get((n, sz, r0))
            if not g:
                continue
            h = rf.hgrm.get((n, place, sz, r0))
            if h is not None:
                pts = [(1.0 / (1.0 - p), v) for v, p in h.points if p < 1.0]
                pts.append((float(h.total), h.max))
                pts = [(1.0, pts[0][1])] + pts
                total = h.total
            else:
                total = sum(int(float(r["messages"])) for r in g)
                med = {c: float(np.median([float(r[c]) for r in g]))
                       for c in ("send_p50_ns", "send_p99_ns", "send_p999_ns")}
                pts = [(2.0, med["send_p50_ns"]), (100.0, med["send_p99_ns"]),
                       (1000.0, med["send_p999_ns"]),
                       (float(total), max(float(r["send_max_ns"]) for r in g))]
                pts = sorted(p for p in pts if p[0] <= max(total, 2))
            sl = [(r.get("consumer_sleeps") or "").strip() for r in g]
            sleeps = (sum(float(x) for x in sl) / max(1, sum(int(float(r["messages"]))
                                                              for r in g))
                      if all(sl) else None)
            spectra[(n, sz)] = (pts, total, h is not None, sleeps)
    most = max(p[1] for p in spectra.values())
    if most < WAKEUP_MIN_MESSAGES:
        raise Skip(f"at most {most} message(s) per entry at {rate_words(r0)} ({rf.name}.csv): "
                   "too few for a distribution")
    xs = [x for p in spectra.values() for x, _ in p[0]]
    ys = [v for p in spectra.values() for _, v in p[0] if v > 0]
    if not ys:
        raise Skip(f"no latency above 0 at {rate_words(r0)}")
    ylo, yhi = log_range(min(ys), max(ys), 1.3)
    totals = sorted({p[1] for p in spectra.values()})
    xt = [(x, l) for x, l in PCT_TICS if x <= max(xs) * 1.01]
    for c, sz in enumerate(sizes):
        P = c + 1
        x0 = x_left + c * (pw + gapc)
        fig.panel(P, x0, x0 + pw, top + ph, top)
        lp = LinePanel(fig, P)
        for n in order:
            if (n, sz) not in spectra:
                continue
            pts, total, from_h, _ = spectra[(n, sz)]
            lp.add(sidx[n], [p for p in pts if p[1] > 0], 4 if from_h else 1)
        for t in totals:
            lp.seg(t, ylo, t, yhi, BOUND_COLOUR, 3)
            lp.lab(t, yhi / 1.25, f"the longest of {t}", "#555555", 1)
        lp.done(xmin=1, xmax=max(xs) * 1.6, xlog=10, xtics=" ".join(str(x) for x, _ in xt),
                xticl=" ".join(l for _, l in xt), ymin=ylo, ymax=yhi, ylog=10,
                xlabel="percentile (x: 1/(1-p), log scale)",
                ylabel="latency from the send, ns (log scale)" if c == 0 else "",
                title=f"{size_text(sz)} messages at {rate_words(r0)}")
    fig.meta["npanels"] = ncol
    legend = []
    for n in order:
        c, pt, ps, dt, lw, kind, title = fig.series[sidx[n] - 1]
        legend.append((2 if (n, sizes[0]) in spectra and spectra[(n, sizes[0])][2] else 1,
                       c, pt, min(ps, 1.5), dt, lw, title))
        sp = spectra.get((n, sizes[0]))
        if sp:
            pts, _, _, sleeps = sp
            words = (f"p50 {ns_text(_pct_of(pts, 0.5))}, p99.9 {ns_text(_pct_of(pts, 0.999))}, "
                     f"max {ns_text(pts[-1][1])}")
            if wake.get(n) == "spin":
                words += "; never sleeps"
            elif sleeps is not None:
                words += f"; slept {sleeps:.1%}"
            legend.append((4, "#333333", 1, 0.0, 1, 1.0, words))
    legend += [(3, "#000000", 7, 0.0, 1, 1.0, "")] + rate_legend_key()
    fig.place_legend(legend, W - legend_w + 5, top)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


def fig_spin_budget(inp):
    """spin_budget: from the rate CSV whose entries vary spin_ns, the latency
    from the send (p50) and the consumer's CPU share against the spin budget,
    a panel per entry, one line per offered rate."""
    best, bscore = None, 0
    for rf in sorted(inp.rates, key=lambda r: r.name):
        place = rate_place(rf.rows)
        spins = {}
        for r in rf.rows:
            if (r.get("placement") or "core") == place and spin_of(r) is not None:
                spins.setdefault(r["variant"], set()).add(spin_of(r))
        varied = {n for n, v in spins.items() if len(v) >= 2}
        score = sum(len(spins[n]) for n in varied)
        if score > bscore:
            best, bscore = (rf, place, varied), score
    if best is None:
        raise Skip("no rate CSV" if not inp.rates else
                   "no rate CSV whose entries vary spin_ns (bipbench rate --spin-ns)")
    rf, place, varied = best
    rows = [r for r in rf.rows if (r.get("placement") or "core") == place and
            r["variant"] in varied and spin_of(r) is not None]
    by_size = {}
    for r in rows:
        by_size.setdefault(int(float(r["msg_size"])), []).append(r)
    size = max(sorted(by_size), key=lambda s: len(by_size[s]))
    rows = by_size[size]
    names = list(dict.fromkeys(r["variant"] for r in rows))
    wake = {}
    for r in rows:
        wake.setdefault(r["variant"], (r.get("wake") or "").strip())
    peers = _peers_in(names, rf.entries)
    styles = {n: rate_style(rf.entries[n], wake[n], peers, inp.registry) for n in names}
    all_names = sorted(names, key=lambda n: styles[n].rank)
    names = all_names[:3]
    groups = {}
    for r in rows:
        groups.setdefault((r["variant"], spin_of(r), float(r["rate"])), []).append(r)
    rates = sorted({k[2] for k in groups})
    spins = sorted({k[1] for k in groups})
    pos = [s for s in spins if s > 0]
    zero_x = (min(pos) if pos else 1000.0) / 4
    X = lambda s: s if s > 0 else zero_x  # noqa: E731
    xlo, xhi = zero_x / 1.8, (max(pos) if pos else 1000.0) * 1.8
    W, legend_w = 1560, 330
    fig = Figure("spin_budget", W, 100, [])
    sidx = {}
    for i, rt in enumerate(rates):
        sidx[rt] = fig.add_series(Style(RATE_SHADES[i % len(RATE_SHADES)],
                                        RATE_MARKERS[i % len(RATE_MARKERS)], 1.5, 1, 2.0, True,
                                        f"{rate_words(rt)} offered (a message every "
                                        f"{period_text(1e9 / rt)})", (i,)), 0)
    unkept = {k for k, g in groups.items() if any(float(r["kept"]) == 0 for r in g)}
    iring = None
    if any(k[0] in names for k in unkept):
        iring = fig.add_series(Style(KEPT_COLOUR, 6, 2.8, 1, 1.5, True,
                                     "ringed: a trial did not keep the schedule (kept 0)",
                                     (99,)), 5)
    n_un = sum(1 for g in groups.values() for r in g if float(r["kept"]) == 0)
    what = ("Each line: one offered rate of bipbench rate (open loop) with the consumer's spin "
            "budget set (--spin-ns: how long a wait spins before it sleeps; 0: it sleeps at "
            "once, drawn at the left edge of the log axis). Top: p50 of the latency from the "
            "send, the consumer's wake-up included where it slept. Bottom: the CPU time the "
            "kernel charged the consumer thread, as a share of a core (dotted: 100%). A budget "
            "longer than the time between two messages keeps the consumer awake: no wake-up to "
            "wait for, and a core spent spinning. Each point: the median of the trials, whiskers from "
            "the lowest to the highest; points of one budget are spread sideways. " +
            (f"Ringed red: a trial did not keep the schedule ({n_un} of {len(rows)} trials). "
             if n_un else "Every trial kept its schedule. ") + _pace_words(rows))
    if len(all_names) > len(names):
        what += " Entries not shown: " + ", ".join(all_names[3:]) + "."
    if len(by_size) > 1:
        what += (f" At {size_text(size)}, the size with the most rows; not shown: " +
                 ", ".join(size_text(s) for s in sorted(by_size) if s != size) + ".")
    cap = caption_lines([], docs=rf.jsons, what=what,
                        extra=[trial_words(groups).replace("entry and rate",
                                                           "entry, budget and rate"),
                               RATE_NOISE, f"{rf.name}.csv"])
    ph, top, gapr = 290, 100, 105
    H = top + 2 * ph + gapr + 75 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header(f"The spin budget: latency and the consumer's CPU against how long a wait "
               f"spins before it sleeps, {size_text(size)} messages, {_rate_where(rows, place)}")
    ncol = len(names)
    x_left, gapc = 105, 60
    span = W - legend_w - 20 - x_left
    pw = (span - gapc * (ncol - 1)) / ncol
    nr = len(rates)
    spread = {rt: 10 ** (0.02 * (i - (nr - 1) / 2)) for i, rt in enumerate(rates)}
    xt, xl = rate_tics(pos)
    xt = f"{zero_x:.12g} " + xt
    xl = "0 " + xl
    metrics = [("send_p50_ns", 1.0, "p50 from the send, ns (log scale)", ""),
               ("consumer_cpu_share", 100.0, "consumer's CPU, % of a core (log)", "%")]
    for m, (col, scale, ylabel, unit) in enumerate(metrics):
        ys = []
        for k, g in groups.items():
            st = _stat(g, col, scale)
            if st and k[0] in names:
                ys += [st[1], st[2]]
        if not ys:
            ys = [1.0]
        ylo, yhi = log_range(min(ys), max(ys), 1.4)
        yt, yl = log_tics(ylo, yhi, unit)
        for c, n in enumerate(names):
            P = m * ncol + c + 1
            x0 = x_left + c * (pw + gapc)
            y0 = top + m * (ph + gapr)
            fig.panel(P, x0, x0 + pw, y0 + ph, y0)
            lp = LinePanel(fig, P)
            ring = []
            for rt in rates:
                pts = _median_points(groups, [((n, s, rt), X(s) * spread[rt]) for s in spins],
                                     col, scale, unkept, ring)
                lp.add(sidx[rt], pts)
            if ring and iring:
                lp.add(iring, ring)
            if m == 1:
                _core_ref(lp, xlo, xhi, ylo, yhi, label=False)
            lp.done(xmin=xlo, xmax=xhi, xlog=10, xtics=xt, xticl=xl, ymin=ylo, ymax=yhi,
                    ylog=10, ytics=yt, yticl=yl,
                    xlabel="spin budget, ns (log scale; 0 at the left)",
                    ylabel=ylabel if c == 0 else "",
                    title=styles[n].label + ("" if m == 0 else ": the consumer's CPU"))
    fig.meta["npanels"] = 2 * ncol
    fig.place_legend([(3, "#000000", 7, 0.0, 1, 1.0, "offered rate (a line each):")] +
                     series_legend(fig), W - legend_w + 5, top)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig


def fig_sends(inp):
    return fig_sizes(inp, "sends")


def fig_gbps(inp):
    return fig_sizes(inp, "gbps")


# What each figure is drawn from (scripts/plot names no skipped figure that a
# single file given could never feed).
SOURCE = {"latency": "latency", "micro": "micro", "rate_latency": "rate", "rate_cpu": "rate",
          "wakeup": "rate", "spin_budget": "rate"}

# The figures scripts/plot draws, in order: name -> builder.
FIGURES = [("seed_bars", fig_seed), ("ceiling", fig_ceiling), ("headline", fig_headline),
           ("sends_vs_size", fig_sends), ("gbps_vs_size", fig_gbps),
           ("order_ratio", fig_order), ("placements", fig_placements),
           ("latency", fig_latency), ("micro", fig_micro),
           ("rate_latency", fig_rate_latency), ("rate_cpu", fig_rate_cpu),
           ("wakeup", fig_wakeup), ("spin_budget", fig_spin_budget)]
