"""order_ratio: what seq_cst costs, seqcst / acqrel of the same cache and
pad, per message size."""

import bipstats as bs

from . import style
from .style import DEFAULT, Entry, PAD_SHADES, PAD_WORD, style_of
from .stats import cond_of, main_placement, pick_run, ratios
from .captions import caption_lines
from .render import Figure, LinePanel, Skip, log_range, nice_ratio_tics, series_legend, size_tics


def fig_order(inp):
    """order_ratio: seqcst / acqrel of the same cache and pad, per message
    size, paired by round within the run (bipstats), with the interval."""
    def score(r):
        return len({(t.variant, t.msg_size) for t in r.trials if t.workload == "fixed"})
    run = pick_run(inp.runs, score)
    if run is None:
        raise Skip("no fixed-workload rows in any run CSV")
    place = main_placement([t for t in run.trials if t.workload == "fixed"])
    combos = {}
    for n, e in run.entries.items():
        if e.is_variant and e.order in ("seqcst", "acqrel"):
            combos.setdefault((e.cached, e.pad), {})[e.order] = n
    pairs = {k: v for k, v in combos.items() if len(v) == 2}
    if not pairs:
        raise Skip("no cache x pad measured in both orders")
    W, legend_w = 1560, 330
    fig = Figure("order_ratio", W, 100, [run])
    caches = [c for c in ("1", "0") if any(k[0] == c for k in pairs)]
    allr = []
    got = {}
    for (cache, pad), v in pairs.items():
        res = ratios(run, v["acqrel"], subset={v["acqrel"], v["seqcst"]})
        rows = sorted(((cc[2], r) for (e, cc), r in res.items()
                       if e == v["seqcst"] and cc[0] == "fixed" and cc[4] == place),
                      key=lambda x: x[0])
        got[(cache, pad)] = rows
        allr += [r for _, r in rows]
    if not allr:
        raise Skip("no fixed-workload size with both orders")
    paired = any(r.method == bs.PAIRED_METHOD for r in allr)
    unpaired = any(r.method != bs.PAIRED_METHOD for r in allr)
    covs = sorted({r.coverage for r in allr if r.method == bs.PAIRED_METHOD})
    iw = []
    if paired:
        iw.append("paired by round (seqcst and acqrel ran back to back in each round): median "
                  "of the per-round ratios, distribution-free interval" +
                  (f" ([min, max], coverage {covs[0]:.1%}, below 6 rounds)" if covs and
                   covs[0] < 0.95 else " (95%)"))
    if unpaired:
        iw.append("UNPAIRED (a run before interleaved rounds): ratio of medians, 95% bootstrap "
                  "interval")
    what = ("Each point: the sends/s of the seq_cst variant divided by the acquire-release one "
            "of the same cache and pad (columns cached, pad, order of the CSV), fixed-size "
            "messages, two cores. Below 1: seq_cst costs throughput. Whiskers: "
            + "; ".join(iw) + ". Points of one size are spread sideways to keep the whiskers "
            "apart.")
    cap = caption_lines([run], what=what, shown={(run.path, cond_of(t)) for t in run.trials
                                                 if t.workload == "fixed" and
                                                 t.placement == place})
    H = 100 + 500 + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    fig.header("What seq_cst costs: seqcst / acqrel sends/s, same cache and pad, same run")
    sizes = sorted({sz for rows in got.values() for sz, _ in rows})
    xlo, xhi = min(sizes) / 1.6, max(sizes) * 1.6
    vals = [v for r in allr for v in (r.ratio, r.low, r.high) if v is not None] + [1.0]
    ylo, yhi = log_range(min(vals), max(vals), 1.15)
    span = W - legend_w - 20 - 90
    n = len(caches)
    pw = (span - 60 * (n - 1)) / n
    shift = {"0": 0.93, "64": 1.0, "128": 1.075}
    for k, cache in enumerate(caches):
        P = k + 1
        x0 = 90 + k * (pw + 60)
        fig.panel(P, x0, x0 + pw, 100 + 500, 100)
        lp = LinePanel(fig, P)
        for pad in ("0", "64", "128"):
            rows = got.get((cache, pad))
            if not rows:
                continue
            e = Entry(pairs[(cache, pad)]["acqrel"], "variant", cache, pad, "acqrel")
            st = style_of(e, strong=True)
            st.colour = PAD_SHADES[cache][pad]
            who = ""
            if pairs[(cache, pad)]["acqrel"] == DEFAULT:
                who = " (the default's layout)"
            elif pairs[(cache, pad)]["acqrel"] == style.CRATE:
                who = " (the crate's layout)"
            st.label = f"{'cached' if cache == '1' else 'uncached'} {PAD_WORD[pad]}{who}"
            i = fig.add_series(st, 0)
            lp.add(i, [(sz * shift[pad], r.ratio, r.low if r.low is not None else r.ratio,
                        r.high if r.high is not None else r.ratio) for sz, r in rows])
        lp.seg(xlo, 1.0, xhi, 1.0, "#555555", 1)
        lp.lab(xlo, 1.0 * (yhi / ylo) ** 0.03, "1: seq_cst costs nothing", "#555555", 0)
        lp.done(xmin=xlo, xmax=xhi, xlog=2, xtics=size_tics(sizes), ymin=ylo, ymax=yhi, ylog=10,
                ytics=nice_ratio_tics(ylo, yhi), xlabel="message size, bytes (log scale)",
                ylabel="seqcst / acqrel (log scale)" if k == 0 else "",
                title=("cached" if cache == "1" else "uncached") + " variants")
    fig.meta["npanels"] = n
    leg = [(3, "#000000", 7, 0.0, 1, 1.0, "pad (marker), in order:")] + series_legend(fig)
    fig.place_legend(leg, W - legend_w + 5, 100)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig
