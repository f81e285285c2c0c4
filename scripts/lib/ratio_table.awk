# ratio_table.awk - a bipbench summary CSV (--summary-csv) as the table that
# scripts/reproduce puts in summary.txt: one line per entry at one message
# size, fastest first, with the median, the ratio to the run's baseline and
# its 95% interval, and how many trials were noisy. Columns are found by
# their names.
#
#   awk -F, -v msg=255 -f ratio_table.awk seed-summary.csv
#
# Where limit-stream ran (bipbench's ceiling_* columns), a column of each
# entry's ratio to it, the same way. Under the table: the bound two cores allow, 2 x the one-thread ceiling
# over the baseline, with the interval of that ratio (both measured in the
# same rounds).
NR == 1 {
    for (i = 1; i <= NF; i++) c[$i] = i
    split("variant msg_size unit median median_gb_per_sec ratio ratio_lo ratio_hi ratio_coverage noisy_trials trials baseline", need, " ")
    for (k in need)
        if (!(need[k] in c)) { print "ratio_table: no column " need[k] > "/dev/stderr"; exit 2 }
    next
}
$c["msg_size"] == msg && $c["unit"] == "msends_per_sec" {
    n++
    name[n] = $c["variant"]
    med[n] = $c["median"]
    gb[n] = $c["median_gb_per_sec"]
    if ($c["ratio"] == "")
        r[n] = ""
    else if ($c["variant"] == $c["baseline"])
        r[n] = "1 (baseline)"
    else
        r[n] = sprintf("%.2f [%.2f, %.2f]%s", $c["ratio"], $c["ratio_lo"], $c["ratio_hi"],
                       $c["ratio_coverage"] < 0.95 ? "~" : "")
    ce[n] = ""
    if (("ceiling_ratio" in c) && $c["ceiling_ratio"] != "") {
        ce[n] = $c["variant"] == $c["ceiling"] ? "1 (ceiling)" : \
            sprintf("%.2f [%.2f, %.2f]%s", $c["ceiling_ratio"], $c["ceiling_lo"], $c["ceiling_hi"],
                    $c["ceiling_coverage"] < 0.95 ? "~" : "")
        ceiling = $c["ceiling"]
    }
    noisy[n] = ($c["noisy_trials"] > 0 ? "* " : "") $c["noisy_trials"] "/" $c["trials"]
    if ($c["ratio_coverage"] < 0.95 && $c["ratio"] != "") short = $c["ratio_coverage"]
    if ($c["variant"] == "limit-onethread" && $c["ratio"] != "")
        bound = sprintf("%.1fx [%.1f, %.1f]", 2 * $c["ratio"], 2 * $c["ratio_lo"], 2 * $c["ratio_hi"])
    base = $c["baseline"]
}
END {
    if (n == 0) { print "  (no rows at " msg " bytes)"; exit }
    # Fastest first (a small insertion sort: awk has no portable sort).
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && med[j] + 0 > med[j - 1] + 0; j--) {
            t = name[j]; name[j] = name[j - 1]; name[j - 1] = t
            t = med[j]; med[j] = med[j - 1]; med[j - 1] = t
            t = gb[j]; gb[j] = gb[j - 1]; gb[j - 1] = t
            t = r[j]; r[j] = r[j - 1]; r[j - 1] = t
            t = noisy[j]; noisy[j] = noisy[j - 1]; noisy[j - 1] = t
            t = ce[j]; ce[j] = ce[j - 1]; ce[j - 1] = t
        }
    w = 26  # the name column: as wide as the longest name
    for (i = 1; i <= n; i++)
        if (length(name[i]) > w) w = length(name[i])
    cw = ceiling != "" ? 22 : 0
    printf "%-" w "s %10s %8s  %-22s %-" cw "s%s%s\n", "variant", "sends/s", "GB/s", "x " (base == "crate-design" || base == "uncached-pad64-acqrel" ? "crate" : base) " [95%]", ceiling != "" ? "x ceiling [95%]" : "", ceiling != "" ? " " : "", "noisy"
    for (i = 1; i <= n; i++)
        printf "%-" w "s %9.2fM %8.2f  %-22s %-" cw "s%s%s\n", name[i], med[i], gb[i], r[i], ce[i], ceiling != "" ? " " : "", noisy[i]
    if (short != "")
        printf "  ~: too few rounds for 95%%: the interval is [min, max], coverage %.1f%%\n", 100 * short
    if (ceiling != "")
        printf "  x ceiling: each round's ratio to %s (these messages between the two cores\n" \
               "   with no shared index, a header each: docs/DESIGN.md, Limits), median, 95%%\n", ceiling
    if (bound != "")
        printf "  (two cores can at best halve the one-thread time per message: at most about\n" \
               "   %s the baseline for any design here)\n", bound
}
