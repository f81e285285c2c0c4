# dotpanel.gp - panel P of a dot plot: one row per entry (y), its value on x
# with whiskers, reference lines with their labels. Files in DATADIR:
#   p<P>.tsv         y, x, x low, x high, colour, pointtype, pointsize,
#                    row label, note, note x (NaN: no note)
#   p<P>_refs.tsv    x, y from, y to, colour, dashtype (1 solid, 2 dashed, 3 dotted)
#   p<P>_reflab.tsv  x, y, text, colour, align (0 left of x, 1 right of x)
# meta: p<P>_xmin, _xmax, _xlog (1: log x), _xtics (log: a list of values),
# _xlabel, _x2 (1: a linear top axis, _x2min, _x2max, _x2label), _ymin,
# _ymax, _ylabels (1: row labels on the left), _title.
load "scripts/lib/panel.gp"
F = D.sprintf("p%d", P)
set yrange [mn(pk(P, "ymin")):mn(pk(P, "ymax"))]
set xrange [mn(pk(P, "xmin")):mn(pk(P, "xmax"))]
if (mn(pk(P, "xlog")) == 1) {
    set logscale x 10
    XT = meta(pk(P, "xtics"))
    set xtics ()
    do for [i=1:words(XT)] { set xtics add (word(XT, i) real(word(XT, i))) }
}
set xlabel meta(pk(P, "xlabel")) offset 0,0.3
if (meta(pk(P, "title")) ne "") { set title meta(pk(P, "title")) font ",11" }
if (mn(pk(P, "x2")) == 1) {
    set x2range [mn(pk(P, "x2min")):mn(pk(P, "x2max"))]
    set x2tics nomirror out scale 0.6
    set x2label meta(pk(P, "x2label")) offset 0,-0.3
    set border 7 lc rgb "#444444"
}
set grid xtics ytics lc rgb "#e8e8e8" lw 1
set ytics scale 0
if (mn(pk(P, "ylabels")) == 1) {
    plot F."_refs.tsv" using 1:($5 == 1 ? $2 : -1e9):(0):($3 - $2):4 with vectors nohead lw 1.5 lc rgb variable, \
         F."_refs.tsv" using 1:($5 == 2 ? $2 : -1e9):(0):($3 - $2):4 with vectors nohead lw 1.5 dt 2 lc rgb variable, \
         F."_refs.tsv" using 1:($5 == 3 ? $2 : -1e9):(0):($3 - $2):4 with vectors nohead lw 1.5 dt 3 lc rgb variable, \
         F.".tsv" using 2:1:3:4:5:ytic(8) with xerrorbars pt -1 lc rgb variable lw 1.3, \
         F.".tsv" using 2:1:7:6:5 with points ps variable pt variable lc rgb variable, \
         F.".tsv" using 10:1:9 with labels left font ",9" tc rgb "#333333", \
         F."_reflab.tsv" using 1:($5 == 0 ? $2 : -1e9):3:4 with labels left offset 0.4,0 font ",9" tc rgb variable, \
         F."_reflab.tsv" using 1:($5 == 1 ? $2 : -1e9):3:4 with labels right offset -0.4,0 font ",9" tc rgb variable
} else {
    set ytics 1 format ""
    plot F."_refs.tsv" using 1:($5 == 1 ? $2 : -1e9):(0):($3 - $2):4 with vectors nohead lw 1.5 lc rgb variable, \
         F."_refs.tsv" using 1:($5 == 2 ? $2 : -1e9):(0):($3 - $2):4 with vectors nohead lw 1.5 dt 2 lc rgb variable, \
         F."_refs.tsv" using 1:($5 == 3 ? $2 : -1e9):(0):($3 - $2):4 with vectors nohead lw 1.5 dt 3 lc rgb variable, \
         F.".tsv" using 2:1:3:4:5 with xerrorbars pt -1 lc rgb variable lw 1.3, \
         F.".tsv" using 2:1:7:6:5 with points ps variable pt variable lc rgb variable, \
         F.".tsv" using 10:1:9 with labels left font ",9" tc rgb "#333333", \
         F."_reflab.tsv" using 1:($5 == 0 ? $2 : -1e9):3:4 with labels left offset 0.4,0 font ",9" tc rgb variable, \
         F."_reflab.tsv" using 1:($5 == 1 ? $2 : -1e9):3:4 with labels right offset -0.4,0 font ",9" tc rgb variable
}
