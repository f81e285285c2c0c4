# rate_latency.gp - the latency from the send (p50, p99) against the offered
# rate, open loop (bipbench rate), log-log: a panel per message size and
# percentile, a line per entry, min-max whiskers, unkept schedules ringed.
# Data and layout: fig_rate_latency in scripts/lib/bipplot/fig_rate.py.
# Run by scripts/plot as `gnuplot -c scripts/rate_latency.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
