"""Dot panels (seed_bars, ceiling, headline, placements): rows of entries
with whiskers, reference lines and their labels, and the numbers beside the
rows (scripts/lib/dotpanel.gp draws them)."""

import math

from . import style
from .style import (BOUND_COLOUR, LIMIT_COLOUR, ONETHREAD, PUBLISHED_COLOUR, PUBLISHED_SENDS,
                    PUBLISHED_TEXT)
from .text import human
from .render import rgb


def _dot_rows(items):
    """items: (y, x, xlo, xhi, style, ylabel, note, note_x)."""
    return [(y, x, lo, hi, rgb(st.colour), st.pt, st.ps, lab, note, nx)
            for y, x, lo, hi, st, lab, note, nx in items]


# Placeholder rows for files a panel reads but has nothing for: a point far
# below every y range (clipped, so gnuplot neither draws nor warns).
NOWHERE_REF = (1, -1e9, -1e9 + 1, 0, 1)
NOWHERE_LABEL = (1, -1e9, ".", 0, 0)
NOWHERE_DOT = (-1e9, 1, 1, 1, 0, 7, 1, ".", ".", 1)


def ref_lines(fig, P, refs, nrow, xmin, xmax, log=False, width=None, notes=()):
    """Vertical reference lines of dot panel P, refs: (x, label, colour,
    dashtype), each label on its own line above the rows, on the side of its
    line that has room for it (width: the panel in pixels); then `notes`
    (text, colour), right-aligned, each on a line of its own; returns the top
    of the y range."""
    def frac(x):
        if log:
            return (math.log(x) - math.log(xmin)) / (math.log(xmax) - math.log(xmin))
        return (x - xmin) / (xmax - xmin)
    lines, labs = [], []
    for i, (x, lab, col, dt) in enumerate(sorted(refs, key=lambda r: r[0])):
        y = nrow + 0.85 + 0.62 * i
        lines.append((x, 0.4, y - 0.2, rgb(col), dt))
        right = frac(x) > 0.55
        if width:
            room_right = (1 - frac(x)) * width
            room_left = frac(x) * width
            need = 6.3 * len(lab) + 10
            right = need > room_right and room_left > room_right
        labs.append((x, y, lab, rgb(col), 1 if right else 0))
    for j, (text, col) in enumerate(notes):
        labs.append((xmax, nrow + 0.85 + 0.62 * (len(refs) + j), text, rgb(col), 1))
    fig.table(f"p{P}_refs.tsv", lines or [NOWHERE_REF])
    fig.table(f"p{P}_reflab.tsv", labs or [NOWHERE_LABEL])
    return nrow + 0.85 + 0.62 * (len(refs) + len(notes)) - 0.2


def limit_refs(one, xmax_data, scale=1.0, published=False, unit="sends/s"):
    """The reference lines of an absolute panel: limit-onethread, its 2x
    bound, and the crate's published figure; those far off the data's range
    are returned apart, to be named as off scale. -> (in range, off scale,
    x max)."""
    refs = []
    if one is not None:
        refs.append((one * scale, f"{ONETHREAD}: {human(one)} {unit} (both sides on one core)",
                     LIMIT_COLOUR, 1))
        refs.append((2 * one * scale, f"2 x {ONETHREAD}: {human(2 * one)} {unit} (the most "
                     "two cores could give)", BOUND_COLOUR, 3))
    if published:
        refs.append((PUBLISHED_SENDS * scale, PUBLISHED_TEXT, PUBLISHED_COLOUR, 2))
    keep = [r for r in refs if r[0] <= 1.3 * xmax_data]
    off = [r for r in refs if r[0] > 1.3 * xmax_data]
    hi = max([xmax_data] + [r[0] for r in keep]) * 1.06
    return keep, off, hi


def ratio_note(s, name, baseline=None):
    baseline = style.CRATE if baseline is None else baseline
    if name == baseline:
        return "1 (baseline)"
    if s.lo is not None:
        return f"{s.ratio:.2f} [{s.lo:.2f}, {s.hi:.2f}]"
    return f"{s.ratio:.2f}"


NOISE_MARK_W = 110
"""Pixels a figure widens by where its rows carry noise marks."""


def noise_mark(s):
    """After an entry's numbers: how many of its trials were noisy, if any
    (the summary's `*` mark, in words)."""
    return f"  * noisy {s.noisy}/{s.n}" if s.noisy else ""
