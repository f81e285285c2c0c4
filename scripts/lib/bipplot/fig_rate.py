"""rate_latency and rate_cpu: a grid of panels (a column per message size, a
row per metric) against the offered rate."""

from .style import Style
from .text import size_text
from .captions import caption_lines
from .render import Figure, log_tics, series_legend
from .rate import (KEPT_COLOUR, RATE_NOISE, _core_ref, _grid_columns, _grid_panel, _median_points,
                   _pace_words, _period_ref, _rate_where, _y_span, main_rate, rate_groups,
                   rate_legend_key, rate_styles, rate_tics, trial_words)


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
    names, styles = rate_styles(rows, rf, inp.registry)
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
    cols = _grid_columns(W, legend_w, ncol)
    n = len(order)
    spread = {nm: 10 ** (0.024 * (i - (n - 1) / 2)) for i, nm in enumerate(order)}
    xlo, xhi = rates[0] / 2.5, rates[-1] * 2.5
    xt, xl = rate_tics(rates)
    for m, (col, scale, title, ylabel, unit, ref, include) in enumerate(metrics):
        ylo, yhi = _y_span(groups, col, scale, lambda k: k[1] in sizes, include, 1.5)
        yt, yl = log_tics(ylo, yhi, unit)
        for c, sz in enumerate(sizes):
            lp = _grid_panel(fig, m, c, ncol, cols, top, ph, gapr)
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
