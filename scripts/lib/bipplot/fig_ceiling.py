"""ceiling: each entry's sends/s as a multiple of limit-onethread's."""

import bipstats as bs

from .style import (BOUND_COLOUR, C2C, Entry, LIMIT_COLOUR, ONETHREAD, _peers_in, encoding_legend,
                    peer_legend, style_of)
from .text import size_text
from .stats import cond_of, main_placement, ratios
from .captions import caption_lines
from .render import Figure, Skip, nice_ratio_tics, pk
from .dots import NOWHERE_DOT, _dot_rows, ref_lines


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
