"""latency: the round-trip latency distribution of each entry as a percentile
spectrum."""

from .style import BOUND_COLOUR, C2C, Entry, LIMIT_COLOUR, Style, _peers_in, label_of, style_of
from .text import ns_text, size_text
from .captions import caption_lines
from .render import Figure, LinePanel, PCT_TICS, Skip, log_range, series_legend


def fig_latency(inp):
    """latency: the round-trip latency distribution of each entry as a
    percentile spectrum (x: 1/(1-p), log), from hgrm/ where the folder has
    it, else from latency.csv's percentiles; limit-c2c as the floor."""
    lat = inp.latency
    if lat is None:
        raise Skip("no latency CSV")
    place = "core" if any((r.get("placement") or "core") == "core" for r in lat.rows) else \
        lat.rows[0].get("placement")
    rows = [r for r in lat.rows if (r.get("placement") or "core") == place]
    names = [r["variant"] for r in rows]
    peers = _peers_in(names, lat.entries)
    with_h = [n for n in names if (n, place) in lat.hgrm]
    without = [n for n in names if (n, place) not in lat.hgrm]
    W, legend_w = 1560, 430
    fig = Figure("latency", W, 100, [])
    sizes = sorted({int(float(r["msg_size"])) for r in rows})
    samples = sorted({int(float(r["samples"])) for r in rows})
    if not without:
        src = "From the hgrm/ histograms (bucket tops, 2 significant digits)"
    elif not with_h:
        src = ("From latency.csv's min, p50, p90, p99, p99.9 and max (this folder has no hgrm/ "
               "histograms)")
    else:
        src = ("From the hgrm/ histograms (bucket tops, 2 significant digits); for "
               + ", ".join(without) + ", which have none, latency.csv's min, p50, p90, p99, "
               "p99.9 and max (lines with points)")
    what = (f"Each line: one entry's round trips (ping sends one {'/'.join(map(str, sizes))}-byte "
            "message through one buffer, pong answers through a second), as a percentile "
            "spectrum: at x = 1/(1-p) the p-th percentile; the line ends at the longest. "
            f"{src}. One run of " + ("/".join(str(s) for s in samples)) +
            " round trips per entry: bipbench latency has no trials, so no interval. "
            "limit-c2c: one cache line bounced between the two cores, the floor for any "
            "queue on this pair.")
    cap = caption_lines([], docs=[lat.json] if lat.json else [], what=what)
    H = 90 + 560 + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    rel = rows[0].get("relation") or ""
    fig.header(f"Round-trip latency, {' and '.join(size_text(s) for s in sizes)} messages, "
               f"two cores (placement {place}{', sharing ' + rel if rel else ''}): the whole "
               "distribution")
    fig.panel(1, 100, W - legend_w - 20, 90 + 560, 90)
    lp = LinePanel(fig, 1)
    ents = {n: lat.entries.get(n, Entry(n)) for n in names}
    order = sorted(names, key=lambda n: (0 if n == C2C else 1, style_of(ents[n], peers).rank))
    ys, xs = [], []
    for r in sorted(rows, key=lambda r: order.index(r["variant"])):
        n = r["variant"]
        e = ents[n]
        st = style_of(e, peers)
        total = int(float(r["samples"]))
        use_hgrm = (n, place) in lat.hgrm
        if use_hgrm:
            h = lat.hgrm[(n, place)]
            pts = [(1.0 / (1.0 - p), v) for v, p in h.points if p < 1.0]
            pts.append((float(h.total), h.max))
            pts = [(1.0, pts[0][1])] + pts
        else:
            pts = [(1.0, float(r.get("min_ns") or r["p50_ns"])), (2.0, float(r["p50_ns"])),
                   (10.0, float(r["p90_ns"])), (100.0, float(r["p99_ns"])),
                   (1000.0, float(r["p999_ns"])), (float(total), float(r["max_ns"]))]
            pts = sorted(pts)
        ys += [v for _, v in pts]
        xs += [x for x, _ in pts]
        p50, p999, mx = float(r["p50_ns"]), float(r["p999_ns"]), float(r["max_ns"])
        if n == C2C:
            st = Style(LIMIT_COLOUR, 1, 1.0, 2, 3.0, True, "", (0,))
            st.label = (f"limit-c2c (the floor): p50 {ns_text(p50)}, p99.9 {ns_text(p999)}, "
                        f"max {ns_text(mx)}")
        elif st.strong:
            st.label = (f"{label_of(n)}: p50 {ns_text(p50)}, p99.9 {ns_text(p999)}, "
                        f"max {ns_text(mx)}")
        # Histograms: lines alone (a point per bucket would be clutter); the
        # CSV's six percentiles: lines with their points.
        kind = 4 if use_hgrm else (0 if st.strong else 1)
        i = fig.add_series(st, kind)
        lp.add(i, pts)
        if st.strong and n != C2C:
            im = fig.add_series(Style(st.colour, st.pt, 1.6, 1, 1.0, True,
                                      f"   the longest of {label_of(n)}", st.rank), 5)
            lp.add(im, [pts[-1]])
            fig.series[im - 1] = fig.series[im - 1][:6] + ("",)
    xt = [(x, l) for x, l in PCT_TICS if x <= max(xs) * 1.01]
    ylo, yhi = log_range(min(ys), max(ys), 1.3)
    for n in samples:
        lp.seg(n, ylo, n, yhi, BOUND_COLOUR, 3)
        lp.lab(n, yhi / 1.25, f"the longest of {n}", "#555555", 1)
    lp.done(xmin=1, xmax=max(xs) * 1.6, xlog=10, xtics=" ".join(str(x) for x, _ in xt),
            xticl=" ".join(l for _, l in xt), ymin=ylo, ymax=yhi, ylog=10,
            xlabel="percentile (x: 1/(1-p), log scale); each line ends at its longest round trip",
            ylabel="round trip, ns (log scale)")
    fig.meta["npanels"] = 1
    legend = []
    for it in series_legend(fig):
        if not it[6]:
            continue
        if ": p50" in it[6]:
            head, tail = it[6].split(": p50", 1)
            legend += [it[:6] + (head,), (4, "#333333", 1, 0.0, 1, 1.0, "p50" + tail)]
        else:
            legend.append(it)
    fig.place_legend(legend, W - legend_w + 5, 100)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig
