"""The figure model and its rendering with gnuplot: Figure (data files,
series, legend, texts and meta), LinePanel (a panel of a line figure), tics,
and render, which runs scripts/NAME.gp on a temporary DATADIR and writes the
PNG and SVG whole."""

import math
import os
import shutil
import subprocess
import tempfile

from .text import clean, gp_real, num, wrap

SCRIPTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO = os.path.dirname(SCRIPTS)


# ---- the figure model ------------------------------------------------------------

class Skip(Exception):
    """A figure the inputs cannot give: the message says why."""


class Figure:
    """What one gnuplot script needs: data files, series styles, a legend,
    and meta (every number and string the script reads)."""

    def __init__(self, name, width, height, sources=()):
        self.name = name
        self.files = {}
        self.meta = {"width": width, "height": height}
        self.series = []
        self.legend = []
        self.texts = []
        self.sources = list(sources)
        self.W, self.H = width, height

    def table(self, fname, rows):
        self.files[fname] = "".join("\t".join(clean(c) if isinstance(c, str) else num(c)
                                              for c in r) + "\n" for r in rows)

    def blocks(self, fname, blocks):
        """Gnuplot data blocks (index 0, 1, ...), each a list of rows."""
        parts = []
        for rows in blocks:
            parts.append("".join("\t".join(clean(c) if isinstance(c, str) else num(c)
                                           for c in r) + "\n" for r in rows))
        self.files[fname] = "\n\n".join(parts)

    def add_series(self, st, kind):
        """A series (its index, 1-based); kind 0: strong line with whiskers,
        1: muted line, 2: points with whiskers, no line, 3: strong line with
        an interval band."""
        self.series.append((st.colour, st.pt, st.ps, st.dt, st.lw, kind, st.label))
        return len(self.series)

    def text(self, x, y, s, align="l", size=10, colour="#333333"):
        self.texts.append((x, y, align, size, colour, s))

    def panel(self, k, left, right, bottom, top):
        """Panel k's margins in pixels from the left and from the top."""
        self.meta.update({f"p{k}_l": left / self.W, f"p{k}_r": right / self.W,
                          f"p{k}_b": 1 - bottom / self.H, f"p{k}_t": 1 - top / self.H})

    def header(self, title, subtitle=""):
        self.text(0.5 * self.W, 24, title, "c", 14, "#000000")
        if subtitle:
            self.text(0.5 * self.W, 46, subtitle, "c", 10, "#333333")

    def footer(self, lines, top):
        """Caption lines from pixel row `top` down."""
        width = int(self.W / 6.6)
        y = top
        for ln in lines:
            for w in wrap(ln, width):
                self.text(14, y, w, "l", 9, "#333333")
                y += 15
        return y

    def caption_height(self, lines):
        return 15 * sum(len(wrap(ln, int(self.W / 6.6))) for ln in lines) + 14

    def place_legend(self, items, x, y, row=19):
        """Legend items (type, colour, pt, ps, dt, lw, title) from pixel
        (x, y) down; type 0: a point, 1: a line and point, 2: a line,
        3: a heading, 4: a line of text under the item above."""
        self.legend = []
        for i, (ty, c, pt, ps, dt, lw, title) in enumerate(items):
            yy = y + i * row
            self.legend.append((ty, c, pt, ps, dt, lw, title, x, yy))

    def write(self, d):
        meta = dict(self.meta)
        meta["ntext"] = len(self.texts)
        for i, (x, y, a, sz, col, s) in enumerate(self.texts, start=1):
            meta.update({f"t{i}_x": x / self.W, f"t{i}_y": 1 - y / self.H, f"t{i}_a": a,
                         f"t{i}_f": sz, f"t{i}_c": col, f"t{i}": s})
        with open(os.path.join(d, "meta.tsv"), "w", encoding="utf-8") as f:
            for k, v in meta.items():
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = gp_real(num(v))
                else:
                    v = str(int(v)) if isinstance(v, bool) else clean(v)
                f.write(f"{k}\t{v if v.strip() else '~'}\n")
        rows = self.series or [("#000000", 7, 1.0, 1, 1.0, 1, "-")]
        with open(os.path.join(d, "series.tsv"), "w", encoding="utf-8") as f:
            for c, pt, ps, dt, lw, kind, title in rows:
                title = clean(title).strip() or "~"
                f.write(f"{c}\t{pt}\t{num(ps)}\t{dt}\t{num(lw)}\t{kind}\t{title}\n")
        leg = []
        for ty, c, pt, ps, dt, lw, title, x, y in self.legend:
            X = lambda px: px / self.W  # noqa: E731
            Y = 1 - y / self.H
            line = ty in (1, 2)
            point = ty in (0, 1)
            tx = x if ty == 3 else x + 44  # type 4: a plain line under the item above
            # Parts an item lacks are placed off the canvas (x = -1): gnuplot
            # clips them silently, where NaN would make it warn.
            leg.append((X(tx), Y, title, X(x + 4) if line else -1.0, X(x + 36) if line else -1.0,
                        (2 if dt == 2 else 1) if line else 0, rgb(c),
                        X(x + 20) if point else -1.0, pt, ps, 1 if ty == 3 else 0))
        if not leg:
            leg = [(-1.0, -1.0, ".", -1.0, -1.0, 0, 0, -1.0, 1, 1, 0)]
        self.table("legend.tsv", leg)
        for name, text in self.files.items():
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text if text else "NaN\tNaN\n")


def rgb(c):
    """A colour "#rrggbb" as the number gnuplot's `lc rgb variable` reads."""
    return int(c.lstrip("#"), 16)


# ---- panels' meta keys, ranges and tics -------------------------------------

def pk(p, k):
    return f"p{p}_{k}"


def log_range(lo, hi, pad=1.15):
    lo, hi = max(lo, 1e-12), max(hi, 1e-12)
    if hi <= lo:
        hi = lo * 2
    return lo / pad, hi * pad


def nice_ratio_tics(lo, hi, n=8):
    """Tics of a log ratio axis: 1 and round values, at least a 1/n-th of
    the axis apart."""
    cands = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4, 5, 10, 20, 50,
             100]
    gap = (math.log(hi) - math.log(lo)) / n
    t = [1.0] if lo <= 1 <= hi else []
    for c in sorted((c for c in cands if lo <= c <= hi), key=lambda c: abs(math.log(c))):
        if all(abs(math.log(c) - math.log(u)) >= gap for u in t):
            t.append(c)
    return " ".join(f"{c:g}" for c in sorted(t)) or "1"


def log_tics(lo, hi, unit=""):
    """Tics for a log axis from lo to hi: 1-2-5 steps (1-10 steps over a
    wide range), labelled 200, 1k, 50M... -> (values, labels)."""
    span = math.log10(hi / lo) if lo > 0 else 0
    steps = (1, 2, 5) if span < 3.2 else (1,) if span > 5 else (1, 3)
    vals = []
    e = math.floor(math.log10(lo)) - 1
    while 10 ** e <= hi * 10:
        for m in steps:
            v = m * 10 ** e
            if lo <= v <= hi:
                vals.append(v)
        e += 1
    if len(vals) < 2:
        return "", ""

    def lab(v):
        for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if v >= div:
                return f"{v / div:g}{suf}"
        return f"{v:g}"
    return " ".join(gp_real(f"{v:.12g}") for v in vals), " ".join(lab(v) + unit for v in vals)


def size_tics(sizes):
    return " ".join(str(s) for s in sorted(sizes))


# The x tics of a percentile spectrum (latency, wakeup): x = 1/(1-p).
PCT_TICS = [(1, "min"), (2, "50%"), (10, "90%"), (100, "99%"), (1000, "99.9%"),
            (10000, "99.99%"), (100000, "99.999%"), (1000000, "99.9999%")]


# ---- line panels: sends/gbps_vs_size, order_ratio, latency, micro, rate --------

class LinePanel:
    """One panel of a line figure: blocks of data per series, segments,
    labels and the panel's meta (see scripts/lib/linepanel.gp)."""

    def __init__(self, fig, P):
        self.fig, self.P = fig, P
        self.blocks = []
        self.kinds = {k: ([], []) for k in range(6)}
        self.segs = []
        self.labs = []

    def add(self, series, rows, kind=None):
        """rows: (x, y, y low, y high); the series' kind (or `kind`) decides
        the style."""
        rows = [r for r in rows if r[1] is not None and not math.isnan(r[1])]
        if not rows:
            return
        if kind is None:
            kind = self.fig.series[series - 1][5]
        if kind == 3 and len(rows) < 2:
            kind = 0  # a band needs two points: whiskers instead
        self.kinds[kind][0].append(series)
        self.kinds[kind][1].append(len(self.blocks))
        self.blocks.append([tuple(r) + (r[1],) * (4 - len(r)) for r in rows])

    def seg(self, x1, y1, x2, y2, colour, dt=1):
        self.segs.append((x1, y1, x2, y2, rgb(colour), dt))

    def lab(self, x, y, text, colour="#333333", align=0):
        self.labs.append((x, y, text, rgb(colour), align))

    def done(self, **meta):
        f, P = self.fig, self.P
        ymin, ymax = meta["ymin"], meta["ymax"]
        nowhere = ymin / 1e6 if meta.get("ylog") else ymin - 1e3 * (ymax - ymin)
        x = meta["xmin"]
        meta["nowhere"] = nowhere
        if meta.get("ylog") and not meta.get("ytics"):
            meta["ytics"], meta["yticl"] = log_tics(ymin, ymax)
        f.blocks(f"p{P}.tsv", self.blocks or [[(x, nowhere, nowhere, nowhere)]])
        f.table(f"p{P}_seg.tsv", self.segs or [(x, nowhere, x, nowhere, 0, 1)])
        f.table(f"p{P}_lab.tsv", self.labs or [(x, nowhere, ".", 0, 0)])
        for k, (ss, bb) in self.kinds.items():
            f.meta[pk(P, f"s{k}")] = " ".join(str(x) for x in ss)
            f.meta[pk(P, f"b{k}")] = " ".join(str(x) for x in bb)
        for k, v in meta.items():
            if k in ("xticl", "yticl"):
                v = v.replace("%", "%%")  # gnuplot reads tic labels as formats
            f.meta[pk(P, k)] = v


def series_legend(fig, order=None):
    """Legend items for the figure's series, in their order (or `order`, a
    list of series indices); headings where the strong series end."""
    items = []
    idx = order or list(range(1, len(fig.series) + 1))
    muted_started = False
    for i in idx:
        c, pt, ps, dt, lw, kind, title = fig.series[i - 1]
        if kind == 1 and not muted_started:
            items.append((3, "#000000", 7, 0.0, 1, 1.0, "other variants (pale):"))
            muted_started = True
        ty = {0: 1, 1: 1, 2: 0, 3: 1, 4: 2, 5: 0}[kind]
        items.append((ty, c, pt, min(ps, 1.5), dt, lw, title))
    return items


# ---- rendering -----------------------------------------------------------------

def palette(path):
    """Rewrite a PNG with a 256-colour palette, where Pillow is installed
    (Debian's python3-pil): a third of the size, and the same to the eye
    (the figures have a few dozen colours and their antialiased edges; the
    octree keeps every colour of the visual language exact, where median cut
    merged the peers' purple into grey). The file stays as gnuplot wrote it
    where Pillow is missing."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        q = im.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                       dither=Image.Dither.NONE)
    q.save(path, format="PNG", optimize=True)


class RenderError(Exception):
    """gnuplot failed on a figure: the message says how."""


def render(fig, figdir, gnuplot="gnuplot", keep=None):
    """Draw fig as figdir/NAME.png and NAME.svg, both or neither: each
    format into a temporary file in figdir, renamed over the old file only
    when both rendered. Raises RenderError (the old files untouched).
    Returns gnuplot's warnings (lines), if any."""
    script = os.path.join("scripts", f"{fig.name}.gp")
    if not os.path.isfile(os.path.join(REPO, script)):
        raise RenderError(f"no script {script}")
    os.makedirs(figdir, exist_ok=True)
    data = tempfile.mkdtemp(prefix="bipplot-")
    temps = {}
    warnings = []
    try:
        fig.write(data)
        for fmt in ("png", "svg"):
            fd, tmp = tempfile.mkstemp(prefix=f".{fig.name}.", suffix=f".{fmt}.tmp", dir=figdir)
            os.close(fd)
            temps[fmt] = tmp
            try:
                p = subprocess.run([gnuplot, "-c", script, data, tmp, fmt], cwd=REPO,
                                   capture_output=True, text=True, timeout=120)
            except OSError as e:
                raise RenderError(f"cannot run {gnuplot}: {e.strerror}")
            except subprocess.TimeoutExpired:
                raise RenderError("gnuplot took more than 120 s")
            err = [ln for ln in p.stderr.splitlines() if ln.strip()]
            if p.returncode != 0:
                last = err[-1] if err else f"exit status {p.returncode}"
                raise RenderError(f"gnuplot failed ({fmt}): {last.strip()}")
            if os.path.getsize(tmp) < 200:
                raise RenderError(f"gnuplot wrote an empty {fmt}")
            if fmt == "png":
                palette(tmp)
            # A filtered clause with nothing to draw (a legend or reference
            # style a figure does not use) is expected; other warnings are not.
            warnings += [f"{fmt}: {ln.strip()}" for ln in err if "warning" in ln.lower()
                         and "no valid points" not in ln]
        for fmt, tmp in temps.items():
            os.chmod(tmp, 0o644)
        for fmt, tmp in temps.items():
            os.replace(tmp, os.path.join(figdir, f"{fig.name}.{fmt}"))
        temps = {}
    finally:
        for tmp in temps.values():
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if keep:
            shutil.copytree(data, keep, dirs_exist_ok=True)
        shutil.rmtree(data, ignore_errors=True)
    return list(dict.fromkeys(warnings))
