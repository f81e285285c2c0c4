# latency.gp - round-trip latency percentiles (ping-pong through two
# buffers) per variant, log scale.
# data: a table with a header row: variant p50 p90 p99 p99.9
load "scripts/lib/style.gp"
set title "Round-trip latency percentiles (ns, log scale)"
set ylabel "ns"
set logscale y 10
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set xtics rotate by -35 left
set rmargin 12
set bmargin 9
plot for [c=2:5] data using c:xtic(1) title columnheader(c)
