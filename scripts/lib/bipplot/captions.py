"""Captions: the footer of a figure (what it shows, the machine, commit, date,
trials and the noise verdict)."""

from .style import C2C
from .stats import cond_of


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
