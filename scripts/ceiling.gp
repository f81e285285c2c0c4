# ceiling.gp - each variant's median seed-workload sends/s as a fraction of
# the same-thread ceiling of the same run (limit-onethread: producer and
# consumer steps interleaved on one core, no cache line crosses a core).
# data: name fraction
load "scripts/lib/style.gp"
set title "Fraction of the one-thread ceiling (seed workload, same run)"
set ylabel "two-core sends/s / one-thread sends/s"
set xtics rotate by -35 left
set rmargin 12
set bmargin 9
set yrange [0:*]
set style fill solid 0.7 border -1
set boxwidth 0.7
set key inside top right
plot data using 0:2:xtic(1) with boxes lc rgb "#228833" notitle, \
     1 with lines dt 2 lc rgb "black" title "ceiling"
