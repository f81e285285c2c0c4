# micro_single.gp - Google Benchmark: single-thread cost of one message
# (reserve, write, commit, peek, read, consume) against size, per variant.
# data: blocks (index i = names word i+1): size ns_per_message
load "scripts/lib/style.gp"
set title "One message on one thread (Google Benchmark, cpu time)"
set xlabel "message size (bytes)"
set ylabel "ns per message"
set logscale x 2
set logscale y 10
plot for [i=1:words(names)] data index (i-1) using 1:2 with linespoints title word(names, i)
