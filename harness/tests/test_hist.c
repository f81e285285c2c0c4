/*
 * test_hist.c - the latency histogram: exact below 128, within 1/64 above,
 * percentiles by rank, never above the recorded maximum.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hist.h"

static int failures;

static void expect(const char *what, uint64_t got, uint64_t lo, uint64_t hi) {
    if (got < lo || got > hi) {
        printf("FAIL: %s = %llu, expected %llu..%llu\n", what, (unsigned long long)got,
               (unsigned long long)lo, (unsigned long long)hi);
        failures++;
    }
}

int main(void) {
    static struct bench_hist h;
    uint64_t v;

    /* Every value lands in a bucket whose top is within 1/64 above it. */
    for (v = 0; v < (1ull << 40); v = v < 1000 ? v + 1 : v + v / 7 + 1) {
        unsigned i = bench_hist_index(v);
        if (i >= BENCH_HIST_BUCKETS || bench_hist_top(i) < v ||
            (double)(bench_hist_top(i) - v) > (double)v / 64.0 + 0.5) {
            printf("FAIL: value %llu -> bucket %u top %llu\n", (unsigned long long)v, i,
                   (unsigned long long)bench_hist_top(i));
            failures++;
            break;
        }
        if (v > 0 && bench_hist_index(v) < bench_hist_index(v - 1)) {
            printf("FAIL: buckets not monotonic at %llu\n", (unsigned long long)v);
            failures++;
            break;
        }
    }
    expect("largest index", bench_hist_index(UINT64_MAX), BENCH_HIST_BUCKETS - 1,
           BENCH_HIST_BUCKETS - 1);

    /* 1..10000 once each: p50 ~ 5000, p99 ~ 9900, max exact. */
    bench_hist_reset(&h);
    for (v = 1; v <= 10000; v++)
        bench_hist_record(&h, v);
    expect("count", h.count, 10000, 10000);
    expect("min", h.min, 1, 1);
    expect("max", h.max, 10000, 10000);
    expect("p50", bench_hist_percentile(&h, 50), 5000, 5000 + 5000 / 64);
    expect("p90", bench_hist_percentile(&h, 90), 9000, 9000 + 9000 / 64);
    expect("p99", bench_hist_percentile(&h, 99), 9900, 9900 + 9900 / 64);
    expect("p99.9", bench_hist_percentile(&h, 99.9), 9990, 10000);
    expect("p100", bench_hist_percentile(&h, 100), 10000, 10000);

    /* Small values are exact. */
    bench_hist_reset(&h);
    for (v = 0; v < 100; v++)
        bench_hist_record(&h, 42);
    bench_hist_record(&h, 1000000);
    expect("p50 exact", bench_hist_percentile(&h, 50), 42, 42);
    expect("p99 exact", bench_hist_percentile(&h, 99), 42, 42);
    expect("max outlier", bench_hist_percentile(&h, 100), 1000000, 1000000);

    printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
    return failures != 0;
}
