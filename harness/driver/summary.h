/*
 * summary.h - what a run found, entry by entry: medians, the ratio to the
 * baseline round by round with its interval, and how many trials were
 * noisy; the console table, the summary CSV, and the run's verdict.
 */
#ifndef BIPBENCH_SUMMARY_H
#define BIPBENCH_SUMMARY_H

#include <stdio.h>

#include "options.h"
#include "report.h"
#include "stats.h"

/* One (placement, size, entry). */
struct summary_row {
    const struct bench_impl *im;
    size_t pair, msg;
    size_t trials, noisy;
    int by_count; /* a trial had no wait from the kernel: noise by preemption count */
    long max_preemptions;
    int per_hop;           /* limit-c2c: the values are ns per hop */
    double med, lo, hi;    /* Msends/s (per_hop: ns per hop) */
    double gmed, glo, ghi; /* GB/s */
    int has_ratio;         /* a baseline was measured in the same rounds */
    struct stats_interval ratio;
    /* The distance probe's one-way core-to-core time over the entry's
     * trials, ns (dist_n 0: none probed), and the trials whose probes
     * disagreed (noise.h, rule 4). dist_varies: the trials span more than
     * BENCH_NOISE_DISTANCE_RATIO, so the ratio pools rounds run at
     * different distances. */
    size_t dist_n, dist_moved;
    double dist_med, dist_lo, dist_hi;
    int dist_varies;
    /* The same per-round ratio to limit-stream, the ceiling, where it ran
     * in the run (it is not the baseline unless --baseline names it). */
    int has_ceiling;
    struct stats_interval ceiling;
};

/* The name of the ceiling entry the summary divides by beside the baseline. */
#define SUMMARY_CEILING "limit-stream"

/* The reported trials of a run: slot ((pi * nmsg + mi) * nimpls + vi) *
 * trials + k - 1 holds trial k of entry vi at size mi on pair pi; NULL im:
 * not run (interrupted) or refused. */
struct run_results {
    const struct row *rows;
    size_t slots;
};

/* Fill out[0 .. nplaces * nmsg * nimpls) (entries with no trial have
 * trials == 0); returns that count. */
size_t summary_compute(const struct opts *o, const struct run_results *res,
                       struct summary_row *out);

void summary_print(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                   const struct summary_row *s, size_t n);
void summary_csv(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                 const struct summary_row *s, size_t n);

/* One line: "clean: ..." or "noisy: ..." (trials, and the env warnings). */
void summary_verdict(const struct opts *o, const struct run_results *res, char *out, size_t len);

#endif
