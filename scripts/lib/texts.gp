# texts.gp - the figure's texts (title, notes, caption) from meta: t<i> the
# text, t<i>_x, t<i>_y its place (fractions of the canvas), t<i>_a l, c or r,
# t<i>_f its font size, t<i>_c its colour. Drawn on an empty full-canvas plot.
set lmargin at screen 0
set rmargin at screen 1
set bmargin at screen 0
set tmargin at screen 1
unset logscale
unset x2tics
unset y2tics
unset xtics
unset ytics
unset xlabel
unset ylabel
unset x2label
unset title
unset grid
unset border
unset key
unset arrow
unset label
set xrange [0:1]
set yrange [0:1]
do for [i=1:int(mn("ntext"))] {
    T = sprintf("t%d", i)
    A = meta(T."_a")
    F = sprintf(",%g", mn(T."_f"))
    if (A eq "c") {
        set label (1000 + i) meta(T) at screen mn(T."_x"), mn(T."_y") center font F tc rgb meta(T."_c") front
    } else {
        if (A eq "r") {
            set label (1000 + i) meta(T) at screen mn(T."_x"), mn(T."_y") right font F tc rgb meta(T."_c") front
        } else {
            set label (1000 + i) meta(T) at screen mn(T."_x"), mn(T."_y") left font F tc rgb meta(T."_c") front
        }
    }
}
# The legend (legend.tsv, placed by bipplot's Figure.place_legend): text x,
# y, text, line from x, line to x (NaN: none), dashtype (1 or 2), colour,
# point x (NaN: none), pointtype, pointsize, bold (1: a heading).
L = D."legend.tsv"
plot 2 lc rgb "white" notitle, \
     L using 4:($6 == 1 ? $2 : -1e9):($5 - $4):(0):7 with vectors nohead lw 2.5 lc rgb variable notitle, \
     L using 4:($6 == 2 ? $2 : -1e9):($5 - $4):(0):7 with vectors nohead lw 2.5 dt 2 lc rgb variable notitle, \
     L using 8:2:10:9:7 with points ps variable pt variable lc rgb variable notitle, \
     L using 1:($11 == 1 ? NaN : $2):3 with labels left font ",10" notitle, \
     L using 1:($11 == 1 ? $2 : -1e9):3 with labels left font ",10:Bold" notitle
