# placements.gp - one workload on every placement a run measured: a row of
# panels per placement (sends/s with min-max, ratio to the crate's design
# with its interval). Data and layout: fig_placements in
# scripts/lib/bipplot/fig_bars.py.
# Run by scripts/plot as `gnuplot -c scripts/placements.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/dotpanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
