# seed_bars.gp - the seed workload, entry by entry: for each message size a
# row of two panels, median sends/s with min-max whiskers (GB/s on the top
# axis; limit-onethread, its 2x bound and the crate's published figure as
# lines) and each entry's ratio to the crate's design with its interval.
# Data and layout: fig_seed in scripts/lib/bipplot/fig_bars.py.
# Run by scripts/plot as `gnuplot -c scripts/seed_bars.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/dotpanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
