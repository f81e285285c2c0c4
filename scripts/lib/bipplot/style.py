"""The visual language of the figures: what an entry is (its columns), the
constants every figure shares, and each entry's style.

CRATE is set by load_inputs (inputs.py) to the crate's design the loaded files
hold; the other modules read it as style.CRATE, never as a copy."""

from dataclasses import dataclass

import bipstats as bs

CRATE = bs.CRATE
"""The crate's design the loaded files hold (load_inputs sets it): crate-design,
or, in a folder from before it existed, uncached-pad64-acqrel (bs.file_baseline)."""
DEFAULT = bs.DEFAULT_VARIANT
ONETHREAD = "limit-onethread"
C2C = "limit-c2c"

# The crate's README (e2a9fa8): the seed workload, 255-byte messages, on a Xeon
# E5-2630 v3, 2019.
PUBLISHED_SENDS = 12.5e6
PUBLISHED_GBPS = 3.2
PUBLISHED_SIZE = 255
PUBLISHED_TEXT = "crate's README: 12.5M sends/s = 3.2 GB/s (2019, another machine)"


# ---- the visual language -------------------------------------------------------
#
# cache -> colour family (cached: blue, uncached: orange; peers: their own hues,
#          limits: black)
# pad   -> marker shape (pad0: triangle, pad64: square, pad128: circle)
# order -> fill and dash (acqrel: filled marker, solid line; seqcst: open
#          marker, dashed line)
# The default variant, the crate's design and the peers are drawn strong and
# large; every other variant is muted (a pale tone of its family, thin, small).

STRONG = {"1": "#1f5fb4", "0": "#d55e00"}
MUTED = {"1": "#9ab8de", "0": "#f2b487"}
PEER_COLOURS = ["#009e73", "#8e44ad", "#8c6d1f", "#0f8c9e"]
PEER_MARKERS = [(12, 13), (14, 15), (10, 11), (8, 9)]
LIMIT_COLOUR = "#222222"
BOUND_COLOUR = "#888888"
PUBLISHED_COLOUR = "#8c3b00"
OTHER_COLOUR = "#777777"
PAD_MARKER = {"0": (8, 9), "64": (4, 5), "128": (6, 7)}  # (open, filled)
PAD_WORD = {"0": "pad0", "64": "pad64", "128": "pad128"}
# Where the cache is a figure's panel (order_ratio), pad also shades the
# family: light to dark as the padding grows (its marker says it too).
PAD_SHADES = {"1": {"0": "#86aee0", "64": "#3f7fcc", "128": "#123f7a"},
              "0": {"0": "#f3ac70", "64": "#d9661f", "128": "#8a3900"}}


@dataclass
class Entry:
    """An entry as the CSVs describe it, by their columns."""
    name: str
    kind: str = ""      # variant, limit, peer ("" where a file does not say)
    cached: str = ""    # "1", "0" or ""
    pad: str = ""       # "0", "64", "128" or ""
    order: str = ""     # "acqrel", "seqcst" or ""

    @property
    def is_variant(self):
        return self.kind == "variant" or (not self.kind and self.cached in ("0", "1"))


def entry_of_row(r):
    kind = (r.get("kind") or "").strip()
    name = r["variant"]
    if not kind:
        kind = "variant" if (r.get("cached") or "").strip() in ("0", "1") else ""
    if kind != "variant":
        return Entry(name, kind)
    return Entry(name, kind, (r.get("cached") or "").strip(), (r.get("pad") or "").strip(),
                 (r.get("order") or "").strip())


@dataclass
class Style:
    colour: str
    pt: int
    ps: float
    dt: int
    lw: float
    strong: bool
    label: str
    rank: tuple


def label_of(name):
    if name == DEFAULT:
        return f"{name} (default)"
    if name == CRATE:
        return f"{name} (crate's design)"
    if name == ONETHREAD:
        return f"{name} (one core)"
    return name


def style_of(e, peers=(), strong=None):
    """The style of an entry: by its cached/pad/order columns and kind.
    `peers`: the peer names in the figure, in order (their colours);
    `strong`: force strong (True) or muted (False); by default the default
    variant, the crate's design and the peers are strong."""
    if e.kind == "peer":
        i = list(peers).index(e.name) if e.name in peers else 0
        pt = PEER_MARKERS[i % len(PEER_MARKERS)][1]
        return Style(PEER_COLOURS[i % len(PEER_COLOURS)], pt, 1.7, 1, 2.5,
                     strong is not False, e.name, (2, i, e.name))
    if e.kind == "limit":
        return Style(LIMIT_COLOUR, 3 if e.name == ONETHREAD else 1, 1.7, 1, 2.0, True,
                     label_of(e.name), (3, 0, e.name))
    if e.is_variant and e.cached in STRONG and e.pad in PAD_MARKER:
        hl = e.name in (DEFAULT, CRATE) if strong is None else strong
        filled = e.order != "seqcst"
        pt = PAD_MARKER[e.pad][1 if filled else 0]
        colour = STRONG[e.cached] if hl else MUTED[e.cached]
        first = 0 if e.name == DEFAULT else 1 if e.name == CRATE else 4
        rank = (first if hl else 4, 0 if e.cached == "1" else 1, int(e.pad),
                0 if filled else 1, e.name)
        return Style(colour, pt, 1.7 if hl else 1.1, 1 if filled else 2, 2.5 if hl else 1.2,
                     hl, label_of(e.name), rank)
    # An entry whose columns say nothing (a file from elsewhere): grey.
    return Style(OTHER_COLOUR, 1, 1.2, 1, 1.2, bool(strong), e.name, (5, 0, e.name))


def encoding_legend():
    """Legend items that explain the encoding (for figures whose rows or
    labels name the entries): (type, colour, pt, ps, dt, lw, title); type 0:
    a point, 1: a line and point, 3: a heading with no sample."""
    return [
        (3, "#000000", 7, 0.0, 1, 1.0, "colour: cache"),
        (0, STRONG["1"], 7, 1.5, 1, 1.0, "cached"),
        (0, STRONG["0"], 7, 1.5, 1, 1.0, "uncached"),
        (3, "#000000", 7, 0.0, 1, 1.0, "marker: pad"),
        (0, "#555555", PAD_MARKER["0"][1], 1.5, 1, 1.0, "pad0"),
        (0, "#555555", PAD_MARKER["64"][1], 1.5, 1, 1.0, "pad64"),
        (0, "#555555", PAD_MARKER["128"][1], 1.5, 1, 1.0, "pad128"),
        (3, "#000000", 7, 0.0, 1, 1.0, "fill: order"),
        (0, "#555555", 7, 1.5, 1, 1.0, "acqrel (filled)"),
        (0, "#555555", 6, 1.5, 1, 1.0, "seqcst (open)"),
        (3, "#000000", 7, 0.0, 1, 1.0, "strong: default, crate's design, peers;"),
        (3, "#000000", 7, 0.0, 1, 1.0, "pale: the other variants"),
    ]


def peer_legend(peers):
    return [(0, PEER_COLOURS[i % len(PEER_COLOURS)], PEER_MARKERS[i % len(PEER_MARKERS)][1],
             1.5, 1, 1.0, p) for i, p in enumerate(peers)]


def _peers_in(names, registry):
    """The peers among names, in their order (by the registry's entries)."""
    return [n for n in names if registry.get(n, Entry(n)).kind == "peer"]
