# gbps_vs_size.gp - the fixed workload against message size: payload GB/s,
# min-max whiskers on the strong series, limit-onethread and 2x it, the
# crate's published 3.2 GB/s. Data and layout: fig_sizes in
# scripts/lib/bipplot/fig_sizes.py.
# Run by scripts/plot as `gnuplot -c scripts/gbps_vs_size.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/linepanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
