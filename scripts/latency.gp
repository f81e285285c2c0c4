# latency.gp - round-trip latency as a percentile spectrum (x: 1/(1-p), log),
# one line per entry, limit-c2c as the floor. Data and layout: fig_latency
# in scripts/lib/bipplot/fig_latency.py.
# Run by scripts/plot as `gnuplot -c scripts/latency.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
