"""headline: the best variant, the default, the crate's design and the peers
as ratios to the crate's design at 8 B, 255 B and random sizes."""

from . import style
from .style import DEFAULT, PAD_MARKER, STRONG, peer_legend, style_of
from .text import human
from .stats import interval_words, main_placement, stats_of
from .captions import caption_lines
from .render import Figure, Skip, log_range, nice_ratio_tics, pk, rgb
from .dots import NOISE_MARK_W, _dot_rows, noise_mark, ratio_note, ref_lines


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
                        and style.CRATE in st[c]:
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
        variants = [s for n, s in st.items() if s.entry.is_variant and n != style.CRATE
                    and s.ratio is not None]
        rows = []
        best = max(variants, key=lambda s: s.ratio) if variants else None
        if best is not None:
            rows.append(("best", best))
        if DEFAULT in st and (best is None or best.entry.name != DEFAULT):
            rows.append(("default", st[DEFAULT]))
        rows.append(("crate", st[style.CRATE]))
        peers = [n for n, s in st.items() if s.entry.kind == "peer"]
        peers_all += [p for p in peers if p not in peers_all]
        rows += [("peer", st[p]) for p in sorted(peers)]
        panels.append((run, c, text, rows))
    allst = [s for p in panels for _, s in p[3] if s.entry.name != style.CRATE]
    vals = [v for s in allst for v in (s.lo, s.hi, s.ratio) if v is not None]
    lo, hi = log_range(min(vals + [0.8]), max(vals + [1.25]), 1.15)
    W, legend_w, left, right = 1560, 250, 400, 1030  # numbers from `right` on
    # Room for the noise marks after the numbers, so they stay clear of the legend.
    W += NOISE_MARK_W if any(s.noisy for p in panels for _, s in p[3]) else 0
    fig = Figure("headline", W, 100, runs)
    what = ("Each row: an entry's sends/s as a multiple of the crate's design "
            f"({style.CRATE}) in the same run and condition, on two cores. Best: the variant with "
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
