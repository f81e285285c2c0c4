/*
 * noise.h - when a trial counts as noisy: it shared its CPUs with other work.
 *
 * A trial is noisy when the kernel took the CPU away from its threads more
 * than BENCH_NOISE_MIN_PREEMPTIONS times and more than
 * BENCH_NOISE_PREEMPTIONS_PER_S times per second of the trial (involuntary
 * context switches of both threads together), or when a thread moved to
 * another CPU (bipbench refuses such a trial outright). A quiet machine
 * gives 0 to a few per trial (the tick alone preempts nothing when no other
 * task is runnable); a machine shared with other work gives thousands. The
 * same rule is written in scripts/lib/bipstats.py for files that predate
 * the CSV's noisy column; docs/DESIGN.md, "Statistics", states it.
 */
#ifndef BENCH_NOISE_H
#define BENCH_NOISE_H

#include <stdint.h>

#define BENCH_NOISE_MIN_PREEMPTIONS   3
#define BENCH_NOISE_PREEMPTIONS_PER_S 10

static inline int bench_trial_noisy(long preemptions, long migrations, int64_t elapsed_ns) {
    double per_s = (double)BENCH_NOISE_PREEMPTIONS_PER_S * (double)elapsed_ns / 1e9;
    if (migrations > 0)
        return 1;
    return preemptions > BENCH_NOISE_MIN_PREEMPTIONS && (double)preemptions > per_s;
}

#endif
