# style.gp - what every figure's script shares. scripts/plot runs
#   gnuplot -c scripts/NAME.gp DATADIR OUTFILE FORMAT
# DATADIR holds tab-separated files written by scripts/lib/bipplot/render.py:
#   meta.tsv    key, value: every number and string the script uses
#   series.tsv  one line per series: colour, pointtype, pointsize, dashtype,
#               linewidth, kind, title
#   legend.tsv  the legend, drawn by texts.gp: one line per item, placed by
#               bipplot's Figure.place_legend
# and the figure's data files. Paths and texts arrive only as data (ARGn, or
# fields read with strcol): nothing read is ever run as gnuplot code. The
# figure's script sets D (ARG1 . "/"), OUTFILE (ARG2) and FMT (ARG3) before it
# loads this file: `load` does not pass ARGn on.
set datafile separator "\t"
set datafile commentschars ""
set datafile missing "NaN"

# meta(key): the value of key in meta.tsv ("" if absent); mn(key): a number.
array MK[4000]
array MV[4000]
MN = 0
stats D."meta.tsv" using (MN = MN + 1, MK[MN] = strcol(1), MV[MN] = strcol(2), 0) nooutput
mh(k, i) = i <= MN && MK[i] eq k
mlook(k, i) = i > MN ? "" : mh(k, i) ? MV[i] : mh(k, i+1) ? MV[i+1] : mh(k, i+2) ? MV[i+2] : mh(k, i+3) ? MV[i+3] : mh(k, i+4) ? MV[i+4] : mh(k, i+5) ? MV[i+5] : mh(k, i+6) ? MV[i+6] : mh(k, i+7) ? MV[i+7] : mlook(k, i + 8)
# An empty value is written "~" (gnuplot takes a blank field for a missing one).
mv(v) = v eq "~" ? "" : v
meta(k) = mv(mlook(k, 1))
mn(k) = real(meta(k))
pk(p, k) = sprintf("p%d_%s", p, k)

# The series.
array S_COL[400]
array S_PT[400]
array S_PS[400]
array S_DT[400]
array S_LW[400]
array S_KIND[400]
array S_TITLE[400]
NS = 0
stats D."series.tsv" using (NS = NS + 1, S_COL[NS] = strcol(1), S_PT[NS] = int(column(2)), \
      S_PS[NS] = column(3), S_DT[NS] = int(column(4)), S_LW[NS] = column(5), \
      S_KIND[NS] = int(column(6)), S_TITLE[NS] = strcol(7), 0) nooutput
W = int(mn("width"))
H = int(mn("height"))
if (FMT eq "svg") {
    set terminal svg size W,H dynamic noenhanced font "DejaVu Sans,11" background rgb "white"
} else {
    set terminal pngcairo size W,H noenhanced font "DejaVu Sans,11" background rgb "white"
}
set output OUTFILE
set encoding utf8
set border 3 lc rgb "#444444"
set tics nomirror out scale 0.6
set grid lc rgb "#e4e4e4" lw 1
set errorbars small
set style fill transparent solid 0.18 noborder
unset key
set multiplot
