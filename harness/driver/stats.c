/*
 * stats.c - medians and the distribution-free interval for a median
 * (stats.h). Written here rather than taken from a library: C has no
 * well-kept statistics library in Debian that the harness could link for
 * two functions, and the interval is exact arithmetic on the binomial
 * distribution, not an estimate. scripts/lib/bipstats.py computes the same
 * interval with scipy, and a test holds the two to the same answer.
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* P(Binomial(n, 1/2) <= k), summed in logs so that large n do not overflow. */
static double binom_half_cdf(size_t n, size_t k) {
    double sum = 0, log_half_n = (double)n * log(0.5);
    for (size_t i = 0; i <= k && i <= n; i++)
        sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) - lgamma((double)(n - i) + 1) +
                   log_half_n);
    return sum < 1 ? sum : 1;
}

int stats_median_interval(double *v, size_t n, struct stats_interval *out) {
    size_t k = 0;
    if (n == 0)
        return -1;
    out->n = n;
    out->median = stats_median(v, n); /* sorts v */
    /* The largest k with P(B <= k - 1) <= 0.025; the tail only grows with k. */
    while (k + 1 <= n / 2 && binom_half_cdf(n, k) <= 0.025)
        k++;
    if (k == 0) {
        out->lo = v[0];
        out->hi = v[n - 1];
        out->coverage = 1 - 2 * pow(0.5, (double)n);
    } else {
        out->lo = v[k - 1];
        out->hi = v[n - k];
        out->coverage = 1 - 2 * binom_half_cdf(n, k - 1);
    }
    if (out->coverage < 0)
        out->coverage = 0;
    return 0;
}
