/*
 * hist.h - a log-bucket latency histogram (HdrHistogram's idea, in little).
 *
 * Values below 128 get a bucket each; above, every power of two is split
 * into 64 equal buckets, so a bucket is at most 1/64 (1.6%) of its value
 * wide: two significant digits everywhere, in 30 KiB, with O(1) recording
 * and no allocation. Percentiles report a bucket's highest value (never
 * more than the recorded maximum), as HdrHistogram does.
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>
#include <string.h>

#define BENCH_HIST_SUB     64 /* buckets per power of two above 128 */
#define BENCH_HIST_BUCKETS (57 * BENCH_HIST_SUB + 2 * BENCH_HIST_SUB)

struct bench_hist {
    uint64_t count, min, max;
    double sum;
    uint64_t bucket[BENCH_HIST_BUCKETS];
};

static inline void bench_hist_reset(struct bench_hist *h) {
    memset(h, 0, sizeof *h);
    h->min = UINT64_MAX;
}

static inline unsigned bench_hist_index(uint64_t v) {
    unsigned shift;
    if (v < 2 * BENCH_HIST_SUB)
        return (unsigned)v;
    /* v has e+1 significant bits, e >= 7: keep its top 7 (64..127). */
    shift = (unsigned)(63 - __builtin_clzll(v)) - 6;
    return shift * BENCH_HIST_SUB + (unsigned)(v >> shift);
}

/* The highest value that lands in bucket i. */
static inline uint64_t bench_hist_top(unsigned i) {
    unsigned shift;
    if (i < 2 * BENCH_HIST_SUB)
        return i;
    shift = i / BENCH_HIST_SUB - 1;
    return (((uint64_t)(i - shift * BENCH_HIST_SUB) + 1) << shift) - 1;
}

static inline void bench_hist_record(struct bench_hist *h, uint64_t v) {
    h->bucket[bench_hist_index(v)]++;
    h->count++;
    h->sum += (double)v;
    if (v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
}

/* Add from's samples to to's (the same buckets: one distribution of both). */
static inline void bench_hist_merge(struct bench_hist *to, const struct bench_hist *from) {
    for (unsigned i = 0; i < BENCH_HIST_BUCKETS; i++)
        to->bucket[i] += from->bucket[i];
    to->count += from->count;
    to->sum += from->sum;
    if (from->min < to->min)
        to->min = from->min;
    if (from->max > to->max)
        to->max = from->max;
}

/* The value at percentile p (0 < p <= 100): the smallest bucket top with at
 * least p% of the samples at or below it. */
static inline uint64_t bench_hist_percentile(const struct bench_hist *h, double p) {
    uint64_t rank, seen = 0;
    unsigned i;
    if (h->count == 0)
        return 0;
    rank = (uint64_t)(p / 100.0 * (double)h->count + 0.999999);
    if (rank < 1)
        rank = 1;
    for (i = 0; i < BENCH_HIST_BUCKETS; i++) {
        seen += h->bucket[i];
        if (seen >= rank)
            return bench_hist_top(i) < h->max ? bench_hist_top(i) : h->max;
    }
    return h->max;
}

#endif
