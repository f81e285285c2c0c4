# order_ratio.gp - seqcst / acqrel: the ratio of median sends/s of the two
# memory orders for each cache x pad combination, per message size, measured
# in the same run. Below 1: seq_cst costs throughput.
# data: blocks (index i = names word i+1): size ratio
load "scripts/lib/style.gp"
set title "seq\\_cst / acquire-release, median sends/s ratio (same run)"
set xlabel "message size (bytes)"
set ylabel "seqcst / acqrel"
set logscale x 2
set yrange [0:*]
plot for [i=1:words(names)] data index (i-1) using 1:2 with linespoints title word(names, i), \
     1 with lines dt 2 lc rgb "black" notitle
