"""spin_budget: latency and the consumer's CPU against the spin budget, a
line per offered rate."""

from .style import Style
from .text import size_text
from .captions import caption_lines
from .render import Figure, Skip, log_tics, series_legend
from .rate import (KEPT_COLOUR, RATE_MARKERS, RATE_NOISE, RATE_SHADES, _core_ref, _grid_columns,
                   _grid_panel, _median_points, _pace_words, _rate_where, _y_span, period_text,
                   rate_place, rate_styles, rate_tics, rate_words, spin_of, trial_words)


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
    names, styles = rate_styles(rows, rf, inp.registry)
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
    cols = _grid_columns(W, legend_w, ncol)
    nr = len(rates)
    spread = {rt: 10 ** (0.02 * (i - (nr - 1) / 2)) for i, rt in enumerate(rates)}
    xt, xl = rate_tics(pos)
    xt = f"{zero_x:.12g} " + xt
    xl = "0 " + xl
    metrics = [("send_p50_ns", 1.0, "p50 from the send, ns (log scale)", ""),
               ("consumer_cpu_share", 100.0, "consumer's CPU, % of a core (log)", "%")]
    for m, (col, scale, ylabel, unit) in enumerate(metrics):
        ylo, yhi = _y_span(groups, col, scale, lambda k: k[0] in names, (), 1.4)
        yt, yl = log_tics(ylo, yhi, unit)
        for c, n in enumerate(names):
            lp = _grid_panel(fig, m, c, ncol, cols, top, ph, gapr)
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
