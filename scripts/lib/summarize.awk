# summarize.awk - median, min and max of one CSV column per group of rows.
#
#   awk -F, -v by=variant,msg_size -v col=sends_per_sec -f summarize.awk file.csv...
#
# Columns are found by their header names (the first row of each file), so
# the order of columns does not matter. Output: a header line, then one
# space-separated line per group, in order of first appearance:
#   <by columns...> median min max n
# Optional -v where=name=value keeps only rows whose column equals value
# (several conditions separated by ';').
BEGIN {
    nby = split(by, bycols, ",")
    nwhere = (where == "") ? 0 : split(where, conds, ";")
}
FNR == 1 {
    delete idx
    for (i = 1; i <= NF; i++) idx[$i] = i
    for (k = 1; k <= nby; k++)
        if (!(bycols[k] in idx)) { print "summarize: no column " bycols[k] " in " FILENAME > "/dev/stderr"; exit 2 }
    if (!(col in idx)) { print "summarize: no column " col " in " FILENAME > "/dev/stderr"; exit 2 }
    for (k = 1; k <= nwhere; k++) {
        split(conds[k], kv, "=")
        wcol[k] = kv[1]; wval[k] = kv[2]
        if (!(wcol[k] in idx)) { print "summarize: no column " wcol[k] " in " FILENAME > "/dev/stderr"; exit 2 }
    }
    next
}
{
    for (k = 1; k <= nwhere; k++) if ($(idx[wcol[k]]) != wval[k]) next
    key = ""
    for (k = 1; k <= nby; k++) key = key (k > 1 ? " " : "") $(idx[bycols[k]])
    if (!(key in count)) order[++ngroups] = key
    vals[key, ++count[key]] = $(idx[col]) + 0
}
END {
    hdr = ""
    for (k = 1; k <= nby; k++) hdr = hdr bycols[k] " "
    print "# " hdr "median min max n"
    for (g = 1; g <= ngroups; g++) {
        key = order[g]; n = count[key]
        for (i = 1; i <= n; i++) a[i] = vals[key, i]
        # insertion sort: groups are small (a few trials)
        for (i = 2; i <= n; i++) { v = a[i]; j = i - 1; while (j > 0 && a[j] > v) { a[j + 1] = a[j]; j-- } a[j + 1] = v }
        med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        printf "%s %.6g %.6g %.6g %d\n", key, med, a[1], a[n], n
    }
}
