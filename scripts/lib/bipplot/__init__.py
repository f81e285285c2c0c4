"""bipplot - the figures of a results folder (scripts/plot): what the inputs
hold, the numbers each figure shows, one visual language, and rendering with
gnuplot.

Inputs are read whole and checked before anything is drawn (bipstats.read_table:
an empty, header-only, cut-off or malformed CSV is one line naming the file and
the row). Statistics come from bipstats: each entry's ratio to the crate's
design is the median of its per-round ratios with a distribution-free interval
(bipbench's own *-summary.csv where the folder has it, else bipstats on the run
CSV; runs from before bipbench interleaved its trials are compared unpaired,
and the captions say so).

Rendering: every figure is a fixed gnuplot script, scripts/NAME.gp, run as
`gnuplot -c scripts/NAME.gp DATADIR OUTFILE FORMAT`: DATADIR is a temporary
folder of tab-separated files this package writes (data, series styles, the
legend, and meta.tsv: every number and string the script needs), so no path,
name or text from the inputs is ever part of gnuplot code. Each format goes to
a temporary file beside the figure and is renamed over it only when both
formats rendered: a failing figure leaves the old PNG and SVG as they were.

The modules, each importing only those above it:

  style.py      the constants, the entries' columns (Entry) and the visual
                language (style_of); CRATE, the crate's design of the loaded
                files, which load_inputs sets
  text.py       fields of the files gnuplot reads, numbers as words, wrapping
  inputs.py     the kinds of file, their readers, load_inputs
  stats.py      the statistics of a run (stats_of, ratios), cached per run
  captions.py   the footer of a figure (caption_lines)
  render.py     the figure model (Figure, LinePanel), tics, and render
  dots.py       what the dot panels share (reference lines, placeholder rows)
  rate.py       what the rate figures share (main_rate, rate_style, ...)
  fig_*.py      the figures: one module per figure or family of figures,
                each a fig_NAME(inp) that returns a Figure or raises Skip

This package re-exports every name of its modules, so callers use bp.NAME.
CRATE is read through the module attribute (bp.CRATE is style.CRATE as
load_inputs last set it); the modules read style.CRATE, never a copy.
"""

from . import style
from .style import (BOUND_COLOUR, C2C, DEFAULT, Entry, LIMIT_COLOUR, MUTED, ONETHREAD,
                    OTHER_COLOUR, PAD_MARKER, PAD_SHADES, PAD_WORD, PEER_COLOURS, PEER_MARKERS,
                    PUBLISHED_COLOUR, PUBLISHED_GBPS, PUBLISHED_SENDS, PUBLISHED_SIZE,
                    PUBLISHED_TEXT, STRONG, Style, _peers_in, encoding_legend, entry_of_row,
                    label_of, peer_legend, style_of)  # noqa: F401
from .text import clean, gp_real, human, ns_text, num, size_text, wrap  # noqa: F401
from .inputs import (Hgrm, InputError, Inputs, LATENCY_NUMERIC, LATENCY_POSITIVE, LATENCY_REQUIRED,
                     LatencyFile, Micro, RATE_KIND, RATE_NONEMPTY, RATE_NUMERIC, RATE_POSITIVE,
                     RATE_REQUIRED, RateFile, RunFile, SUMMARY_NUMERIC, SUMMARY_REQUIRED,
                     _latency_file, _rate_file, _run_file, csv_kind, load_inputs, rate_text,
                     read_hgrm, read_json, read_micro, stem_of)  # noqa: F401
from .stats import (Stat, _RATIO_CACHE, _STATS_CACHE, cond_of, interval_words, main_placement,
                    pick_run, ratios, run_stats, stats_of)  # noqa: F401
from .captions import _date, _short_commit, caption_lines, noise_of_trials  # noqa: F401
from .render import (Figure, LinePanel, PCT_TICS, REPO, RenderError, SCRIPTS, Skip, log_range,
                     log_tics, nice_ratio_tics, palette, pk, render, rgb, series_legend,
                     size_tics)  # noqa: F401
from .dots import (NOISE_MARK_W, NOWHERE_DOT, NOWHERE_LABEL, NOWHERE_REF, _dot_rows, limit_refs,
                   noise_mark, ratio_note, ref_lines)  # noqa: F401
from .rate import (KEPT_COLOUR, LIBRARY_DEFAULT, RATE_MARKERS, RATE_NOISE, RATE_SHADES, WAKES,
                   WAKE_MARKER, WAKE_SHADES, _core_ref, _median_points, _pace_words, _period_ref,
                   _rate_where, _stat, _strip_wake, main_rate, period_text, rate_design,
                   rate_groups, rate_label, rate_legend_key, rate_place, rate_rows, rate_style,
                   rate_tics, rate_words, spin_of, trial_words)  # noqa: F401
from .fig_bars import entry_panels, fig_placements, fig_seed  # noqa: F401
from .fig_ceiling import fig_ceiling  # noqa: F401
from .fig_headline import HEADLINE_CONDS, fig_headline  # noqa: F401
from .fig_sizes import fig_gbps, fig_sends, fig_sizes  # noqa: F401
from .fig_order import fig_order  # noqa: F401
from .fig_latency import fig_latency  # noqa: F401
from .fig_micro import MICRO_FAMILIES, fig_micro  # noqa: F401
from .fig_rate import _rate_grid, fig_rate_cpu, fig_rate_latency  # noqa: F401
from .fig_wakeup import WAKEUP_MIN_MESSAGES, _pct_of, fig_wakeup  # noqa: F401
from .fig_spin_budget import fig_spin_budget  # noqa: F401


def __getattr__(name):
    # bp.CRATE: the value load_inputs set last, not a copy from import time.
    if name == "CRATE":
        return style.CRATE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# What each figure is drawn from (scripts/plot names no skipped figure that a
# single file given could never feed).
SOURCE = {"latency": "latency", "micro": "micro", "rate_latency": "rate", "rate_cpu": "rate",
          "wakeup": "rate", "spin_budget": "rate"}

# The figures scripts/plot draws, in order: name -> builder.
FIGURES = [("seed_bars", fig_seed), ("ceiling", fig_ceiling), ("headline", fig_headline),
           ("sends_vs_size", fig_sends), ("gbps_vs_size", fig_gbps),
           ("order_ratio", fig_order), ("placements", fig_placements),
           ("latency", fig_latency), ("micro", fig_micro),
           ("rate_latency", fig_rate_latency), ("rate_cpu", fig_rate_cpu),
           ("wakeup", fig_wakeup), ("spin_budget", fig_spin_budget)]
