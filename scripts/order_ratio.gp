# order_ratio.gp - seqcst / acqrel sends/s of the same cache and pad against
# message size, paired by round, with intervals: a panel per cache value,
# a line per pad. Data and layout: fig_order in
# scripts/lib/bipplot/fig_order.py.
# Run by scripts/plot as `gnuplot -c scripts/order_ratio.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
