"""synth - synthetic run CSVs with known answers, for the tests of
scripts/lib/bipstats.py and the scripts that use it.

Throughput is lognormal: each trial's rate = true rate x round factor x noise,
where the noise has coefficient of variation `cv` (its log has standard
deviation sqrt(log(1 + cv^2))). The round factor is shared by every entry of a
round, as the machine's state is in a real run: paired ratios cancel it,
unpaired comparisons of separate runs cannot.
"""

import csv
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SCRIPTS, "lib"))

import bipstats  # noqa: E402,F401  (first: it finds a python3 with numpy and scipy)
import numpy as np  # noqa: E402

# The columns of a run CSV today, in bipbench's order, with the two that are
# being added at the end.
OLD_COLUMNS = ("variant,cached,pad,order,workload,read,msg_size,queue_size,messages,trial,"
               "producer_pu,consumer_pu,relation,elapsed_ns,sends_per_sec,gb_per_sec,kind,"
               "elapsed_unit,bytes,seed,check,placement,preemptions,lag").split(",")
NEW_COLUMNS = OLD_COLUMNS + ["hop_ns", "migrations", "noisy"]

CRATE = "uncached-pad64-acqrel"
DEFAULT = "cached-pad128-acqrel"


def sigma(cv):
    """The log standard deviation of a lognormal with coefficient of variation cv."""
    return math.sqrt(math.log(1 + cv * cv))


def row(variant, trial, rate, workload="seed", msg_size=255, placement="core",
        preemptions=0, migrations=0, noisy=None, messages=1000000, columns=NEW_COLUMNS,
        kind=None, **extra):
    """One CSV row (a dict) of a trial at `rate` sends/s."""
    elapsed = messages / rate * 1e9
    r = {
        "variant": variant, "cached": "", "pad": "", "order": "", "workload": workload,
        "read": "first" if workload == "seed" else "all", "msg_size": msg_size,
        "queue_size": 16384, "messages": messages, "trial": trial, "producer_pu": 0,
        "consumer_pu": 1, "relation": "l3", "elapsed_ns": int(elapsed),
        "sends_per_sec": f"{rate:.1f}", "gb_per_sec": f"{rate * msg_size / 1e9:.6f}",
        "kind": kind or ("peer" if variant.startswith("peer-") else
                         "limit" if variant.startswith("limit-") else "variant"),
        "elapsed_unit": "ns_trial", "bytes": messages * msg_size, "seed": 1, "check": 0,
        "placement": placement, "preemptions": preemptions, "lag": 512, "hop_ns": "",
        "migrations": migrations,
        "noisy": "" if noisy is None else int(noisy),
    }
    r.update(extra)
    return {k: v for k, v in r.items() if k in columns or k in extra}


def write(path, rows, columns=NEW_COLUMNS):
    cols = list(columns) + [k for k in (rows[0] if rows else {}) if k not in columns]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def paired_run(rng, rates, rounds, cv, round_cv=0.10, **kw):
    """Rows of one bipbench run: `rates` = {entry: true sends/s}; in each
    round every entry runs once, under a common round factor."""
    s, sr = sigma(cv), sigma(round_cv)
    rows = []
    for k in range(1, rounds + 1):
        f = math.exp(rng.normal(0, sr))
        for entry, rate in rates.items():
            rows.append(row(entry, k, rate * f * math.exp(rng.normal(0, s)), **kw))
    return rows


def unpaired_run(rng, rates, trials, cv, **kw):
    """Rows of one run with independent noise per trial (no round factor)."""
    return paired_run(rng, rates, trials, cv, round_cv=0.0, **kw)


def ablation_rows(rng, rate_a, rate_b, rounds, cv, round_cv=0.10, variant=CRATE):
    """scripts/ablate's merged CSV rows: builds A and B, one trial per round."""
    s, sr = sigma(cv), sigma(round_cv)
    rows = []
    for k in range(1, rounds + 1):
        f = math.exp(rng.normal(0, sr))
        for b, rate in (("A", rate_a), ("B", rate_b)):
            rows.append(row(variant, 1, rate * f * math.exp(rng.normal(0, s)), build=b,
                            round=k))
    return rows


def rng(seed):
    return np.random.default_rng(seed)
