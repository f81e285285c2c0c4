# sends_vs_size.gp - median sends/s against message size, one line per
# variant and peer (fixed-size messages, consumer reads every byte).
# data: blocks (index i = names word i+1): size median min max n
load "scripts/lib/style.gp"
set title "Sends per second against message size (fixed workload, median)"
set xlabel "message size (bytes)"
set ylabel "million sends / s"
set logscale x 2
set logscale y 10
plot for [i=1:words(names)] data index (i-1) using 1:($2/1e6) with linespoints title word(names, i)
