# spin_budget.gp - the latency from the send (p50) and the consumer's CPU
# share against the spin budget (bipbench rate --spin-ns): a panel per entry
# and measure, a line per offered rate. Data and layout: fig_spin_budget in
# scripts/lib/bipplot/fig_spin_budget.py.
# Run by scripts/plot as `gnuplot -c scripts/spin_budget.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
