# micro.gp - bipbench_micro's single, pair and roundtrip benchmarks of every
# variant against message size, a panel each. Data and layout: fig_micro in
# scripts/lib/bipplot/fig_micro.py.
# Run by scripts/plot as `gnuplot -c scripts/micro.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
