"""wakeup: the latency from the send at the lowest offered rate, as a
percentile spectrum."""

import bipstats as bs

from .style import BOUND_COLOUR, LIMIT_COLOUR, Style, _peers_in
from .text import ns_text, size_text
from .captions import caption_lines
from .render import Figure, LinePanel, PCT_TICS, Skip, log_range
from .rate import (RATE_NOISE, _pace_words, _rate_where, main_rate, period_text, rate_groups,
                   rate_legend_key, rate_rows, rate_style, rate_words, trial_words)

np = bs.np


WAKEUP_MIN_MESSAGES = 100
"""The fewest messages of an entry that wakeup draws as a distribution (the
idle measurement, one message, is a number in its caption instead)."""


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
