"""seed_bars and placements: entries (rows) in conditions (a row of panels
each), sends/s on the left and the ratio to the crate's design on the right."""

from . import style
from .style import (C2C, ONETHREAD, PUBLISHED_SIZE, _peers_in, encoding_legend, peer_legend,
                    style_of)
from .text import human, size_text
from .stats import interval_words, main_placement, pick_run, stats_of
from .captions import caption_lines
from .render import Figure, Skip, log_range, nice_ratio_tics, pk
from .dots import (NOISE_MARK_W, NOWHERE_DOT, _dot_rows, limit_refs, noise_mark, ratio_note,
                   ref_lines)


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
    allst = [s for c in conds for n, s in stats[c].items() if n in ypos and n != style.CRATE]
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
