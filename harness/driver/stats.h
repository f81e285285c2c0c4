/*
 * stats.h - the summary's statistics: medians, and the paired ratio of an
 * entry to the baseline, round by round, with a distribution-free 95%
 * interval for its median (docs/DESIGN.md, "Statistics").
 */
#ifndef BIPBENCH_STATS_H
#define BIPBENCH_STATS_H

#include <stddef.h>

/* The median of v[0..n) (n > 0); sorts v. */
double stats_median(double *v, size_t n);

struct stats_interval {
    double median, lo, hi;
    double coverage; /* the interval's exact coverage: >= 0.95, or less where too few
                        values allow it (n < 6: [min, max]) */
    size_t n;
};

/*
 * The median of v[0..n) and the interval between two of its order
 * statistics that covers the true median with probability at least 95%:
 * the k-th smallest and the k-th largest, k the largest count with
 * P(Binomial(n, 1/2) <= k - 1) <= 0.025. That holds for any continuous
 * distribution. With n < 6 no k does; the interval is then [min, max] and
 * its coverage 1 - 2^(1-n). Sorts v. Returns 0, or -1 when n is 0.
 */
int stats_median_interval(double *v, size_t n, struct stats_interval *out);

#endif
