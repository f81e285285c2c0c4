# seed_bars.gp - the seed figure: median sends/s of every variant and peer on
# the seed workload (255 B, 16 KiB buffer, two cores), min-max bars, beside
# the original crate's headline (12.5M sends/s on a Xeon E5-2630 v3, 2019).
# data: name median min max n (sorted)
load "scripts/lib/style.gp"
set title "Seed workload: 255-byte messages, 16 KiB buffer, two physical cores (median, min-max)"
set ylabel "million sends / s"
set xtics rotate by -35 left
set rmargin 12
set bmargin 9
set yrange [0:*]
set style fill solid 0.7 border -1
set boxwidth 0.7
set key inside top right
plot data using 0:($2/1e6):xtic(1) with boxes lc rgb "#4477aa" title "median", \
     data using 0:($2/1e6):($3/1e6):($4/1e6) with yerrorbars lc rgb "black" pt -1 title "min-max", \
     12.5 with lines dt 2 lw 2 lc rgb "#cc3311" title "crate e2a9fa8: 12.5M/s (Xeon E5-2630 v3, 2019)"
