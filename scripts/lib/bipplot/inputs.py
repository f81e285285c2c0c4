"""The inputs of a results folder: the kinds of file (by their CSV headers),
their readers, and load_inputs, which reads a folder or one file whole and
checks it before anything is drawn."""

import json
import math
import os
from dataclasses import dataclass, field

import bipstats as bs

from . import style
from .style import entry_of_row


class InputError(bs.InputError):
    """Bad input: one line for the user; exit status 2."""


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
    style.CRATE = bs.file_baseline(set(inp.registry))
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
