# linepanel.gp - panel P of a line figure: series against x, each drawn as
# its kind says (series.tsv), with segments and labels. Files in DATADIR:
#   p<P>.tsv      data blocks (one per series in the panel): x, y, y low, y high
#   p<P>_seg.tsv  segments: x1, y1, x2, y2, colour, dashtype (1, 2 or 3)
#   p<P>_lab.tsv  labels: x, y, text, colour, align (0 left, 1 right, 2 centre)
# meta: p<P>_s<K> the series of kind K in this panel and p<P>_b<K> their
# block indices (space-separated lists); kinds: 0 a strong line with
# whiskers, 1 a muted line, 2 points with whiskers, 3 a strong line with an
# interval band, 4 a line alone, 5 points alone. p<P>_xmin, _xmax, _xlog
# (base, or 0), _xtics (a list of values; _xticl their labels, if not the
# values), _xlabel; the same for y; _nowhere (see NW); _title.
load "scripts/lib/panel.gp"
F = D.sprintf("p%d", P)
set xrange [mn(pk(P, "xmin")):mn(pk(P, "xmax"))]
set yrange [mn(pk(P, "ymin")):mn(pk(P, "ymax"))]
if (mn(pk(P, "xlog")) > 0) { set logscale x mn(pk(P, "xlog")) }
if (mn(pk(P, "ylog")) > 0) { set logscale y mn(pk(P, "ylog")) }
XT = meta(pk(P, "xtics"))
XL = meta(pk(P, "xticl"))
if (words(XT) > 0) {
    set xtics ()
    do for [i=1:words(XT)] {
        XLAB = words(XL) >= i ? word(XL, i) : word(XT, i)
        set xtics add (XLAB real(word(XT, i)))
    }
}
YT = meta(pk(P, "ytics"))
YL = meta(pk(P, "yticl"))
if (words(YT) > 0) {
    set ytics ()
    do for [i=1:words(YT)] {
        YLAB = words(YL) >= i ? word(YL, i) : word(YT, i)
        set ytics add (YLAB real(word(YT, i)))
    }
}
set xlabel meta(pk(P, "xlabel")) offset 0,0.3
set ylabel meta(pk(P, "ylabel")) offset 1,0
if (meta(pk(P, "title")) ne "") { set title meta(pk(P, "title")) font ",11" }
S0 = meta(pk(P, "s0")); B0 = meta(pk(P, "b0"))
S1 = meta(pk(P, "s1")); B1 = meta(pk(P, "b1"))
S2 = meta(pk(P, "s2")); B2 = meta(pk(P, "b2"))
S3 = meta(pk(P, "s3")); B3 = meta(pk(P, "b3"))
S4 = meta(pk(P, "s4")); B4 = meta(pk(P, "b4"))
S5 = meta(pk(P, "s5")); B5 = meta(pk(P, "b5"))
# (gnuplot evaluates a clause's options even when its loop is empty: hence the guard)
# A y below the panel's range (on a log axis too): what filtered clauses
# and placeholders draw, so that gnuplot clips it (NaN makes labels crash).
NW = mn(pk(P, "nowhere"))
s(L, j) = words(L) >= j ? int(word(L, j)) : 1
plot F."_seg.tsv" using 1:($6 == 1 ? $2 : NW):($3 - $1):($4 - $2):5 with vectors nohead lw 1.5 lc rgb variable, \
     F."_seg.tsv" using 1:($6 == 2 ? $2 : NW):($3 - $1):($4 - $2):5 with vectors nohead lw 1.5 dt 2 lc rgb variable, \
     F."_seg.tsv" using 1:($6 == 3 ? $2 : NW):($3 - $1):($4 - $2):5 with vectors nohead lw 1.5 dt 3 lc rgb variable, \
     for [j=1:words(S1)] F.".tsv" index s(B1, j) using 1:2 with linespoints lc rgb S_COL[s(S1, j)] pt S_PT[s(S1, j)] ps S_PS[s(S1, j)] dt S_DT[s(S1, j)] lw S_LW[s(S1, j)], \
     for [j=1:words(S3)] F.".tsv" index s(B3, j) using 1:3:4 with filledcurves lc rgb S_COL[s(S3, j)], \
     for [j=1:words(S4)] F.".tsv" index s(B4, j) using 1:2 with lines lc rgb S_COL[s(S4, j)] dt S_DT[s(S4, j)] lw S_LW[s(S4, j)], \
     for [j=1:words(S3)] F.".tsv" index s(B3, j) using 1:2 with linespoints lc rgb S_COL[s(S3, j)] pt S_PT[s(S3, j)] ps S_PS[s(S3, j)] dt S_DT[s(S3, j)] lw S_LW[s(S3, j)], \
     for [j=1:words(S0)] F.".tsv" index s(B0, j) using 1:2:3:4 with yerrorlines lc rgb S_COL[s(S0, j)] pt S_PT[s(S0, j)] ps S_PS[s(S0, j)] dt S_DT[s(S0, j)] lw S_LW[s(S0, j)], \
     for [j=1:words(S2)] F.".tsv" index s(B2, j) using 1:2:3:4 with yerrorbars lc rgb S_COL[s(S2, j)] pt S_PT[s(S2, j)] ps S_PS[s(S2, j)] lw 1.5, \
     for [j=1:words(S5)] F.".tsv" index s(B5, j) using 1:2 with points lc rgb S_COL[s(S5, j)] pt S_PT[s(S5, j)] ps S_PS[s(S5, j)], \
     F."_lab.tsv" using 1:($5 == 0 ? $2 : NW):3:4 with labels left offset 0.5,0 font ",9" tc rgb variable, \
     F."_lab.tsv" using 1:($5 == 1 ? $2 : NW):3:4 with labels right offset -0.5,0.6 font ",9" tc rgb variable, \
     F."_lab.tsv" using 1:($5 == 2 ? $2 : NW):3:4 with labels center offset 0,0.7 font ",9" tc rgb variable
