# placements.gp - the seed workload on every placement the machine offers
# (smt, core, cross-l3, numa): median sends/s per variant.
# data: a table with a header row: relation, then one column per variant
load "scripts/lib/style.gp"
set title "Seed workload by placement of producer and consumer (median)"
set ylabel "million sends / s"
set yrange [0:*]
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set key inside top right
plot for [c=2:ncols] data using (column(c)/1e6):xtic(1) title columnheader(c)
