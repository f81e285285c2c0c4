# rate_cpu.gp - the consumer's CPU share of a core and the queue's CPU per
# message against the offered rate (bipbench rate), log-log: a panel per
# message size and measure, a line per entry, 100% of a core and 1/rate
# marked. Data and layout: fig_rate_cpu in scripts/lib/bipplot/fig_rate.py.
# Run by scripts/plot as `gnuplot -c scripts/rate_cpu.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
