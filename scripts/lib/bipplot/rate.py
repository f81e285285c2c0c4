"""What the rate figures (rate_latency, rate_cpu, wakeup, spin_budget) share:
which rate CSV and which of its rows they draw, the entries' styles, tics,
words for the captions, and the helpers of their panels.

The rate CSV has no cached, pad or order columns: its variants are a design
(the default's, the crate's) with a way to wait, its `wake` column. Colour
family: the design's cache (from another CSV of the folder that has the
design's columns, else blue for the default's design and orange for the
crate's, the only two the rate runs build with sleeping waits); shade,
marker and dash: the wake (spin dashed, as it never sleeps). The library
default is the strong entry; peers and limits look as everywhere."""

import bipstats as bs

from .style import (BOUND_COLOUR, DEFAULT, OTHER_COLOUR, STRONG, Style, _peers_in, label_of,
                    style_of)
from .text import gp_real, ns_text
from .render import LinePanel, Skip, log_range

np = bs.np


LIBRARY_DEFAULT = "cached-pad128-acqrel-asym"
"""What <bipbuf.h> builds without -D flags: the default's design with asym
waits (docs/DESIGN.md, "The default variant")."""
WAKES = ("asym", "fence", "eventfd", "spin")
WAKE_MARKER = {"asym": 7, "fence": 5, "eventfd": 9, "spin": 6}
WAKE_SHADES = {"1": {"asym": STRONG["1"], "fence": "#86aee0", "eventfd": "#1a9ad6",
                     "spin": "#4f7fb8"},
               "0": {"asym": STRONG["0"], "fence": "#f2b487", "eventfd": "#e69f00",
                     "spin": "#c07a45"}}
KEPT_COLOUR = "#d40000"
# One line per offered rate (spin_budget): light to dark as the rate grows.
RATE_SHADES = ["#7ad151", "#22a884", "#2a788e", "#414487", "#440154", "#1a0030"]
RATE_MARKERS = [9, 5, 7, 11, 13, 15]


def spin_of(r):
    """A rate row's spin_ns: a number, or None where empty (the library's
    default budget)."""
    v = (r.get("spin_ns") or "").strip()
    return float(v) if v else None


def rate_place(rows):
    places = list(dict.fromkeys(r.get("placement") or "core" for r in rows))
    return "core" if "core" in places else places[0]


def rate_rows(rf):
    """The rows of a rate file the rate figures show: at its main placement,
    each entry at one spin budget (the library's default where it has rows
    of it, else its only one); an entry measured at several budgets and no
    default is the spin_budget figure's. -> (rows, entries left out, placement)."""
    place = rate_place(rf.rows)
    by = {}
    for r in rf.rows:
        if (r.get("placement") or "core") == place:
            by.setdefault(r["variant"], []).append(r)
    out, left = [], []
    for n, rows in by.items():
        spins = {spin_of(r) for r in rows}
        if None in spins:
            out += [r for r in rows if spin_of(r) is None]
        elif len(spins) == 1:
            out += rows
        else:
            left.append(n)
    return out, left, place


def rate_groups(rows):
    """{(variant, size, rate): [rows, one per trial]}."""
    g = {}
    for r in rows:
        g.setdefault((r["variant"], int(float(r["msg_size"])), float(r["rate"])), []).append(r)
    return g


def main_rate(inp):
    """The rate file the rate figures draw: the most offered rates, then the
    most (entry, size, rate) measured (idle.csv, one rate, loses to a sweep;
    a spin-budget study, whose entries vary spin_ns, has none)."""
    best, bscore = None, 0
    for rf in sorted(inp.rates, key=lambda r: r.name):
        rows, left, place = rate_rows(rf)
        g = rate_groups(rows)
        score = len({k[2] for k in g}) * 1000000 + len(g)
        if score > bscore:
            best, bscore = (rf, rows, left, place), score
    if best is None:
        raise Skip("no rate CSV" if not inp.rates else
                   "no entry of a rate CSV at one spin budget (they vary spin_ns: spin_budget)")
    return best


def _strip_wake(name):
    for w in WAKES + ("futex",):
        if name.endswith("-" + w):
            return name[:-len(w) - 1]
    return name


def rate_design(e, registry):
    """(cached, order) of a rate entry's design: its own columns, else the
    columns another CSV of the folder gives its design, else the default's
    and the crate's designs by name; ("", "") where unknown (grey)."""
    if e.cached in ("0", "1"):
        return e.cached, e.order
    base = _strip_wake(e.name)
    d = registry.get(base)
    if d is not None and d.cached in ("0", "1"):
        return d.cached, d.order
    if base == DEFAULT:
        return "1", "acqrel"
    if base in (bs.CRATE, bs.CRATE_OLD):
        return "0", "acqrel"
    return "", ""


def rate_label(e, wake):
    n = e.name
    if n == LIBRARY_DEFAULT:
        return f"{n} (library default)"
    if e.kind == "limit":
        return f"{n} (a bare futex wake-up)" if wake == "futex" else label_of(n)
    if e.kind == "peer":
        return n
    if wake == "spin":
        return f"{n} (spins, never sleeps)"
    if _strip_wake(n) in (bs.CRATE, bs.CRATE_OLD):
        return f"{n} (crate's design)"
    return n


def rate_style(e, wake, peers, registry):
    """An entry's style in the rate figures (see above)."""
    if e.kind in ("peer", "limit"):
        st = style_of(e, peers)
        st.label = rate_label(e, wake)
        return st
    cached, order = rate_design(e, registry)
    w = wake if wake in WAKES else ""
    strong = e.name == LIBRARY_DEFAULT
    colour = WAKE_SHADES[cached][w] if cached in WAKE_SHADES and w else OTHER_COLOUR
    pt = WAKE_MARKER.get(w, 1)
    if order == "seqcst" and pt in (5, 7, 9):
        pt -= 1  # open: seqcst, as everywhere
    rank = (0 if strong else 1, {"1": 0, "0": 1}.get(cached, 2),
            WAKES.index(w) if w else len(WAKES), e.name)
    return Style(colour, pt, 2.0 if strong else 1.4, 2 if w == "spin" else 1,
                 3.2 if strong else 1.8, True, rate_label(e, wake), rank)


def rate_legend_key():
    """Legend headings that explain the rate figures' encoding."""
    return [(3, "#000000", 7, 0.0, 1, 1.0, "colour: the design (blue: the default's,"),
            (3, "#000000", 7, 0.0, 1, 1.0, "orange: the crate's); marker and shade:"),
            (3, "#000000", 7, 0.0, 1, 1.0, "the wake (asym circle, fence square,"),
            (3, "#000000", 7, 0.0, 1, 1.0, "eventfd triangle; spin open, dashed)")]


def rate_tics(vals, unit=""):
    """Tics at the values given, labelled 1k, 50k, 1M..."""
    def lab(v):
        for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if v >= div:
                return f"{v / div:g}{suf}"
        return f"{v:g}"
    vals = sorted(set(vals))
    return " ".join(gp_real(f"{v:.12g}") for v in vals), " ".join(lab(v) + unit for v in vals)


def rate_words(r):
    return rate_tics([r])[1] + "/s"


def trial_words(groups):
    counts = [len(g) for g in groups.values()]
    if not counts:
        return "no trials"
    lo, hi = min(counts), max(counts)
    return (f"{lo} trial{'s' if lo != 1 else ''} per entry and rate" if lo == hi else
            f"{lo}-{hi} trials per entry and rate")


RATE_NOISE = "noise: not recorded (a rate CSV has no noise columns)"


def _rate_where(rows, place):
    rel = next((r.get("relation") for r in rows if r.get("relation")), "")
    return f"two cores (placement {place}{', sharing ' + rel if rel else ''})"


def _pace_words(rows):
    paces = sorted({(r.get("pace") or "").strip() for r in rows} - {""})
    if paces == ["sleep"]:
        return "The producer sleeps to each due time (pace sleep)."
    if paces == ["spin"]:
        return "The producer spins on the clock to each due time (pace spin)."
    return f"Pace: {', '.join(paces)}." if paces else ""


def _stat(rows, col, scale=1.0):
    """(median, min, max) of a column over trials, its values above 0 (a log
    axis); None if none is."""
    v = [float(r[col]) * scale for r in rows if (r.get(col) or "").strip()]
    v = [x for x in v if x > 0]
    if not v:
        return None
    return float(np.median(v)), min(v), max(v)


def _median_points(groups, keyed, col, scale, unkept, ring):
    """One line's points: for each (group key, x) in keyed whose group has
    the column, (x, median, low, high) of its trials; the points of keys in
    unkept (a trial missed its schedule) are also added to ring as (x, median)."""
    pts = []
    for key, x in keyed:
        g = groups.get(key)
        st = _stat(g, col, scale) if g else None
        if st is None:
            continue
        pts.append((x,) + st)
        if key in unkept:
            ring.append((x, st[0]))
    return pts


def rate_styles(rows, rf, registry):
    """The entries of rows in their order, and the style of each (rate_style,
    from its first row's wake)."""
    names = list(dict.fromkeys(r["variant"] for r in rows))
    wake = {}
    for r in rows:
        wake.setdefault(r["variant"], (r.get("wake") or "").strip())
    peers = _peers_in(names, rf.entries)
    return names, {n: rate_style(rf.entries[n], wake[n], peers, registry) for n in names}


def _grid_columns(W, legend_w, ncol):
    """The columns of a grid of panels left of the legend: (x_left, gap,
    panel width)."""
    x_left, gapc = 105, 60
    span = W - legend_w - 20 - x_left
    return x_left, gapc, (span - gapc * (ncol - 1)) / ncol


def _grid_panel(fig, m, c, ncol, cols, top, ph, gapr):
    """Open the panel of row m, column c of such a grid; its LinePanel."""
    x_left, gapc, pw = cols
    P = m * ncol + c + 1
    x0 = x_left + c * (pw + gapc)
    y0 = top + m * (ph + gapr)
    fig.panel(P, x0, x0 + pw, y0 + ph, y0)
    return LinePanel(fig, P)


def _y_span(groups, col, scale, keep, include=(), pad=1.5):
    """A log range holding every kept group's whiskers (and `include`):
    (ylo, yhi); 1 alone where there is nothing."""
    ys = list(include)
    for k, g in groups.items():
        if keep(k):
            st = _stat(g, col, scale)
            if st:
                ys += [st[1], st[2]]
    if not ys:
        ys = [1.0]
    return log_range(min(ys), max(ys), pad)


def _period_ref(lp, xlo, xhi, ylo, yhi, text, label_low=False):
    """The line y = 1e9 / rate (ns between two messages) where it crosses the
    panel, with its label at one end."""
    x1, x2 = max(xlo, 1e9 / yhi), min(xhi, 1e9 / ylo)
    if x1 >= x2:
        return
    lp.seg(x1, 1e9 / x1, x2, 1e9 / x2, BOUND_COLOUR, 3)
    if label_low:
        lp.lab(x2 / 1.05, 1e9 / x2 * 1.25, text, "#555555", 1)
    else:
        lp.lab(x1 * 1.08, 1e9 / x1 / 1.12, text, "#555555", 0)


def _core_ref(lp, xlo, xhi, ylo, yhi, label=True):
    """100% of a core: dotted, so that a consumer that spins stays visible on it."""
    lp.seg(xlo, 100.0, xhi, 100.0, BOUND_COLOUR, 3)
    if label:
        lp.lab(xlo, 100.0 / (yhi / ylo) ** 0.06, "100%: a whole core", "#555555", 0)


def period_text(ns):
    return f"{ns / 1e9:.3g} s" if ns >= 1e9 else ns_text(ns)
