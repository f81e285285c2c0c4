# headline.gp - the best variant, the default and every peer against the
# crate's design at 8 B, 255 B and random sizes: a panel per condition,
# ratios with their intervals. Data and layout: fig_headline in
# scripts/lib/bipplot/fig_headline.py.
# Run by scripts/plot as `gnuplot -c scripts/headline.gp DATADIR OUTFILE png|svg`
# (scripts/lib/style.gp says what DATADIR holds).
D = ARG1 . "/"; OUTFILE = ARG2; FMT = ARG3
load "scripts/lib/style.gp"
do for [P=1:int(mn("npanels"))] { load "scripts/lib/dotpanel.gp" }
load "scripts/lib/texts.gp"
unset multiplot
