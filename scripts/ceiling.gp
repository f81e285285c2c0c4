# ceiling.gp - each entry's sends/s / limit-onethread's in the same run, with
# the interval, one panel per condition that measured the one-thread limit;
# 1x (one core) and 2x (the two-core bound) as lines.
# Data and layout: fig_ceiling in scripts/lib/bipplot/fig_ceiling.py.
# Run by scripts/plot as `gnuplot -c scripts/ceiling.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/dotpanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
