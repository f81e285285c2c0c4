# style.gp - what every figure shares. Loaded by each figure's script, which
# gets `data` (its input), `out` (output file without extension) and `fmt`
# (png or svg) from scripts/plot.
if (fmt eq "svg") {
    set terminal svg size 960,540 dynamic enhanced font "sans,12" background rgb "white"
} else {
    set terminal pngcairo size 1280,720 enhanced font "sans,11"
}
set output out . "." . fmt
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set key outside right top
set datafile separator whitespace
