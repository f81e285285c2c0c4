# gbps_vs_size.gp - median payload GB/s (10^9 bytes) against message size,
# one line per variant and peer.
# data: blocks (index i = names word i+1): size median min max n
load "scripts/lib/style.gp"
set title "Payload throughput against message size (fixed workload, median)"
set xlabel "message size (bytes)"
set ylabel "GB/s (10^9 bytes)"
set logscale x 2
set yrange [0:*]
plot for [i=1:words(names)] data index (i-1) using 1:2 with linespoints title word(names, i)
