/*
 * spin.h - the one way a side of bipbench or bipbench_micro waits: spin with
 * a pause (bipbuf_relax), then yield the CPU. On a loaded machine a peer
 * that lost its CPU is only helped by yielding: a side that only spins
 * keeps the CPU its peer needs.
 *
 *   bench_spin       one turn; the loops' hot waits (no clock read)
 *   bench_wait_turn  one turn, and after BENCH_SPINS_BEFORE_YIELD a clock
 *                    read every 64 yields: says when a wait has lasted
 *                    stall_ns (the micro-benchmarks report it as a hang)
 *
 * Include after bipbuf.h's variant selection, if any (bipbuf_relax is the
 * same in every variant).
 */
#ifndef BENCH_SPIN_H
#define BENCH_SPIN_H

#include <sched.h>

#include "bench.h"
#include "bipbuf.h"

/* Pauses before a waiting side starts yielding. */
#define BENCH_SPINS_BEFORE_YIELD 1024

BENCH_INLINE void bench_spin(unsigned *spins) {
    if (*spins < BENCH_SPINS_BEFORE_YIELD) {
        ++*spins;
        bipbuf_relax();
    } else {
        sched_yield();
    }
}

/* One wait, with a watchdog. */
struct bench_wait {
    unsigned turns;
    int64_t since; /* the clock at the first check after spinning, 0 before */
};

static inline void bench_wait_init(struct bench_wait *w) {
    w->turns = 0;
    w->since = 0;
}

/* One turn of a wait loop; non-zero once the wait has lasted stall_ns. */
static inline int bench_wait_turn(struct bench_wait *w, int64_t stall_ns) {
    unsigned t = w->turns;
    bench_spin(&w->turns);
    if (t < BENCH_SPINS_BEFORE_YIELD)
        return 0;
    w->turns = t + 1; /* bench_spin stops counting once it yields */
    if ((t & 63) == 0) {
        int64_t now = bench_now_ns();
        if (w->since == 0)
            w->since = now;
        else if (now - w->since > stall_ns)
            return 1;
    }
    return 0;
}

#endif
