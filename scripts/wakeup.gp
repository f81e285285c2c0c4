# wakeup.gp - the wake-up latency: the latency from the send at the lowest
# offered rate as a percentile spectrum (x: 1/(1-p), log), a panel per
# message size, a line per entry, limit-futex as the floor. Data and layout:
# fig_wakeup in scripts/lib/bipplot/fig_wakeup.py.
# Run by scripts/plot as `gnuplot -c scripts/wakeup.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
