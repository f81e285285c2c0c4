/*
 * noise.h - when a trial counts as noisy: it shared its CPUs with other work.
 *
 * The rule (docs/DESIGN.md, "Statistics"; scripts/lib/bipstats.py applies it
 * to files from before the CSV's noisy column):
 *
 * 1. A thread moved to another CPU: noisy (bipbench refuses such a trial).
 * 2. Where the kernel says how long each thread waited on its run queue
 *    while another task had its CPU (schedstat's run delay): noisy if one of
 *    the two waited more than BENCH_NOISE_WAIT_PERMILLE thousandths of the
 *    trial and more than BENCH_NOISE_WAIT_MIN_NS in all.
 * 3. Otherwise, from the count of involuntary context switches of both
 *    threads: noisy if more than BENCH_NOISE_MIN_PREEMPTIONS and more than
 *    BENCH_NOISE_PREEMPTIONS_PER_S per second of the trial.
 *
 * Why time, not the count, where the kernel has it: on a 2-CPU virtual
 * machine with nothing else to run, the count alone marked nearly every
 * trial noisy (50-200 switches a second: the start of each trial, the
 * kernel's own threads, each taking microseconds), while a busy loop on
 * the consumer's CPU gave about the same count but took half of its time.
 * The time a thread could not run is what a trial loses; a switch that
 * costs 20 microseconds is not. Measured there (bipbench run, 8 B, 0.15 s
 * trials): quiet, each thread waited 0.2-1.5% of a trial; with the busy
 * loop, the consumer 49-50%. Hence 3%: above the quiet machine's own.
 * Time taken by the hypervisor (steal) shows in neither: the run's
 * core-to-core latency (limit-c2c) is the tell there.
 *
 * 4. Where the trial was bracketed by the distance probe (runner.h): noisy
 *    if its two probes of the one-way core-to-core time disagree by more
 *    than BENCH_NOISE_DISTANCE_RATIO: the hypervisor moved the two vCPUs
 *    during the trial, so it ran at no one distance. Measured on a 2-vCPU
 *    EPYC guest: the distance sat near 30-40 ns or near 220-260 ns and
 *    jumped between the two, so any ratio between the states is over 5;
 *    within one state, probes a second apart agreed within 1.3x.
 */
#ifndef BENCH_NOISE_H
#define BENCH_NOISE_H

#include <stdint.h>

#define BENCH_NOISE_WAIT_PERMILLE     30     /* 3% of the trial */
#define BENCH_NOISE_WAIT_MIN_NS       200000 /* 0.2 ms */
#define BENCH_NOISE_MIN_PREEMPTIONS   3
#define BENCH_NOISE_PREEMPTIONS_PER_S 10

/* wait_ns: the longer wait of the trial's threads; -1 where not known. */
static inline int bench_trial_noisy(long preemptions, long migrations, long long wait_ns,
                                    int64_t elapsed_ns) {
    if (migrations > 0)
        return 1;
    if (wait_ns >= 0) {
        double share = (double)BENCH_NOISE_WAIT_PERMILLE * (double)elapsed_ns / 1000.0;
        return wait_ns > BENCH_NOISE_WAIT_MIN_NS && (double)wait_ns > share;
    }
    double per_s = (double)BENCH_NOISE_PREEMPTIONS_PER_S * (double)elapsed_ns / 1e9;
    return preemptions > BENCH_NOISE_MIN_PREEMPTIONS && (double)preemptions > per_s;
}

#define BENCH_NOISE_DISTANCE_RATIO 1.5

/* Rule 4: the probes before and after a trial (ns; < 0: not measured). */
static inline int bench_distance_moved(double before, double after) {
    if (!(before > 0) || !(after > 0))
        return 0;
    return before > after ? before > BENCH_NOISE_DISTANCE_RATIO * after
                          : after > BENCH_NOISE_DISTANCE_RATIO * before;
}

/* The trial's distance: the mean of its two probes; -1 without both. */
static inline double bench_distance_of(double before, double after) {
    return before > 0 && after > 0 ? (before + after) / 2 : -1;
}

/* The longer of two threads' waits, -1 if either is unknown. */
static inline long long bench_wait_max(long long a, long long b) {
    return a < 0 || b < 0 ? -1 : a > b ? a : b;
}

#endif
