# panel.gp - put panel P (a number) where meta says: p<P>_l, _r, _b, _t (the
# plot area, as fractions of the canvas), and reset what panels set.
set lmargin at screen mn(pk(P, "l"))
set rmargin at screen mn(pk(P, "r"))
set bmargin at screen mn(pk(P, "b"))
set tmargin at screen mn(pk(P, "t"))
unset logscale
unset x2tics
unset y2tics
unset x2label
unset y2label
unset xlabel
unset ylabel
unset title
unset label
unset arrow
unset key
set border 3 lc rgb "#444444"
set xtics nomirror out scale 0.6 autofreq
set ytics nomirror out scale 0.6 autofreq
set format x "%g"
set format y "%g"
set grid xtics ytics lc rgb "#e4e4e4" lw 1
set autoscale
