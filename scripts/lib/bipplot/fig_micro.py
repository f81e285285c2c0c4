"""micro: Google Benchmark's single, pair and roundtrip benchmarks of every
variant against message size."""

import bipstats as bs

from .style import Entry, style_of
from .captions import caption_lines
from .render import Figure, LinePanel, Skip, log_range, series_legend, size_tics

np = bs.np


MICRO_FAMILIES = [("single", "single: one thread, reserve to consume", "ns per message"),
                  ("pair", "pair: producer and consumer on two cores", "ns per message"),
                  ("roundtrip", "roundtrip: ping-pong through two buffers", "ns per round trip")]


def fig_micro(inp):
    """micro: Google Benchmark's single, pair and roundtrip benchmarks of
    every variant against message size."""
    m = inp.micro
    if m is None:
        raise Skip("no micro.json")
    fams = [f for f in MICRO_FAMILIES if any(k[0] == f[0] for k in m.runs)]
    if not fams:
        raise Skip("micro.json has no single/, pair/ or roundtrip/ benchmarks")
    absent = [f[0] for f in MICRO_FAMILIES if f not in fams]
    names = list(dict.fromkeys(k[1] for k in m.runs))
    ents = {n: inp.registry.get(n, Entry(n)) for n in names}
    order = sorted(names, key=lambda n: style_of(ents[n]).rank)
    reps = max(len(v) for v in m.runs.values())
    W, legend_w = 1560, 340
    fig = Figure("micro", W, 100, [])
    ctx = m.doc.get("context") or {}
    others = [r.json for r in inp.runs if r.json] + ([inp.latency.json] if inp.latency and
                                                   inp.latency.json else [])
    mach = next((d.get("machine") for d in others if isinstance(d.get("machine"), dict)), {})
    doc = {"machine": {"cpu_model": (mach.get("cpu_model") or "CPU not recorded") +
                       (f" at {ctx['mhz_per_cpu']} MHz" if ctx.get("mhz_per_cpu") else ""),
                       "cores": mach.get("cores") or ctx.get("num_cpus")},
           "date_utc": str(ctx.get("date", ""))[:19].replace("+00:00", ""),
           "git_commit": next((d.get("git_commit") for d in others if d.get("git_commit")),
                              None)}
    what = ("bipbench_micro (Google Benchmark): wall time per message (single), per message "
            "with the two sides on two cores (pair, manual time in batches), per round trip "
            "(roundtrip). " + (f"Whiskers: min to max of {reps} repetitions." if reps > 1 else
                               "One measurement per point (no repetitions): no interval.") +
            " Strong: the default and the crate's design; pale: the other variants (colour: "
            "cache, marker: pad, dashed: seqcst). " +
            ("The machine and commit are those of the folder's other JSON files. " if others
             else "") +
            (f"Not in this micro.json: {', '.join(absent)}." if absent else ""))
    cap = caption_lines([], docs=[doc], what=what)
    H = 100 + 460 + 70 + fig.caption_height(cap)
    fig.H = fig.meta["height"] = H
    pair = ctx.get("micro_pair_pus")
    fig.header("Micro-benchmarks of every variant against message size" +
               (f" (pair: PUs {pair}, {ctx.get('micro_pair_relation', '')})" if pair else ""))
    sidx = {}
    for n in order:
        st = style_of(ents[n])
        sidx[n] = fig.add_series(st, 0 if st.strong else 1)
    span = W - legend_w - 20 - 90
    nf = len(fams)
    pw = (span - 80 * (nf - 1)) / nf
    for k, (fam, title, unit) in enumerate(fams):
        P = k + 1
        x0 = 90 + k * (pw + 80)
        fig.panel(P, x0, x0 + pw, 100 + 460, 100)
        lp = LinePanel(fig, P)
        sizes = sorted({key[2] for key in m.runs if key[0] == fam})
        ys = []
        for n in order:
            rows = []
            for sz in sizes:
                v = m.runs.get((fam, n, sz))
                if v:
                    rows.append((sz, float(np.median(v)), min(v), max(v)))
                    ys += [min(v), max(v)]
            lp.add(sidx[n], rows)
        xlo, xhi = min(sizes) / 1.5, max(sizes) * 1.5
        ylo, yhi = log_range(min(ys), max(ys), 1.3)
        lp.done(xmin=xlo, xmax=xhi, xlog=2, xtics=size_tics(sizes), ymin=ylo, ymax=yhi, ylog=10,
                xlabel="message size, bytes (log scale)", ylabel=unit + " (log scale)",
                title=title)
    fig.meta["npanels"] = nf
    fig.place_legend(series_legend(fig), W - legend_w + 5, 100)
    fig.footer(cap, H - fig.caption_height(cap) + 4)
    return fig
