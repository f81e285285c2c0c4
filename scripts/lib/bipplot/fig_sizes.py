"""sends_vs_size and gbps_vs_size: the fixed workload against message size."""

import math

from . import style
from .style import (BOUND_COLOUR, C2C, Entry, ONETHREAD, PUBLISHED_COLOUR, PUBLISHED_GBPS,
                    PUBLISHED_SENDS, PUBLISHED_SIZE, Style, _peers_in, style_of)
from .stats import interval_words, main_placement, pick_run, stats_of
from .captions import caption_lines
from .render import Figure, LinePanel, Skip, log_range, nice_ratio_tics, series_legend, size_tics


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
    sr = [s for c in conds for n, s in stats[c].items() if n in ents and n != style.CRATE]
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
            if n != style.CRATE:
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


def fig_sends(inp):
    return fig_sizes(inp, "sends")


def fig_gbps(inp):
    return fig_sizes(inp, "gbps")
