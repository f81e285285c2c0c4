"""Text: fields of the tab-separated files gnuplot reads, numbers as words,
and wrapped lines."""

import math


def clean(s):
    """A string as a field of the tab-separated files gnuplot reads: no tabs,
    line ends or double quotes (gnuplot would take a quote as the start of a
    quoted field)."""
    s = str(s)
    for c in "\t\r\n":
        s = s.replace(c, " ")
    return s.replace('"', "'")


def num(x):
    if x is None:
        return "NaN"
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return "NaN"
    return f"{x:.7g}"


def gp_real(s):
    """A number's text as gnuplot's real() reads it: 5.4 refuses an exponent
    after a mantissa with no point ("2e-10", "1e+06"), so one is added."""
    if "e" in s:
        m, e = s.split("e", 1)
        if "." not in m:
            return f"{m}.0e{e}"
    return s


def human(x, unit=""):
    """76.3M, 1.2k, 950."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    a = abs(x)
    if a >= 1e9:
        s = f"{x / 1e9:.3g}G"
    elif a >= 1e6:
        s = f"{x / 1e6:.3g}M"
    elif a >= 1e4:
        s = f"{x / 1e3:.3g}k"
    else:
        s = f"{x:.3g}"
    return s + unit


def ns_text(x):
    if x >= 1e6:
        return f"{x / 1e6:.3g} ms"
    if x >= 1e3:
        return f"{x / 1e3:.3g} µs"
    return f"{x:.0f} ns"


def size_text(n):
    return f"{n} B"


def wrap(text, width):
    """Words of text in lines of at most width characters."""
    out, line = [], ""
    for w in text.split():
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    if line:
        out.append(line)
    return out
