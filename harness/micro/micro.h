/*
 * micro.h - what the micro-benchmark's translation units share: the
 * per-variant benchmark file (micro_variant.c, compiled once per variant) and
 * the program around it (micro.c: main, thread placement, failure reports).
 *
 * Include after selecting a variant (or none): it includes <bipbuf.h>.
 */
#ifndef MICRO_H
#define MICRO_H

#include "bipbuf.h"
#include "bipbuf_variants.h"
#include "gbench_shim.h"

#include <sched.h>
#include <stdint.h>
#include <time.h>

/* The buffer every benchmark uses: the seed's 16 KiB (max_reserve 8 KiB). */
#define MICRO_CAPACITY 16384
/* Messages per timed batch of the single-thread benchmark: amortises the
 * call to gb_keep_running_batch without coarsening the iteration count. */
#define MICRO_SINGLE_BATCH 64
/* Messages per timed batch of the two-thread benchmark: each batch starts at
 * a barrier, so the batch must be long next to the barrier's skew. */
#define MICRO_PAIR_BATCH 8192
/* Round trips per timed batch: long next to the two clock reads. */
#define MICRO_RT_BATCH 256
/* Pauses before a waiting thread starts yielding: this machine may have
 * fewer free cores than threads, and a pure spin can then slow 100x. */
#define MICRO_SPINS_BEFORE_YIELD 256
/* A single wait this long is a hang, not a slow machine: stop and report. */
#ifndef MICRO_STALL_NS /* -D to test the watchdog */
#    define MICRO_STALL_NS (10ull * 1000 * 1000 * 1000)
#endif

/* Each variant's object defines micro_register_<id>(), which registers its
 * benchmarks; main calls them all. */
#define MICRO__DECLARE(id, name, cached, pad, order) void micro_register_##id(void);
BIPBUF_FOR_EACH_VARIANT(MICRO__DECLARE)
#undef MICRO__DECLARE

#if defined(__GNUC__) || defined(__clang__)
#    define MICRO_LIKELY(x)   __builtin_expect(!!(x), 1)
#    define MICRO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#    define MICRO_LIKELY(x)   (x)
#    define MICRO_UNLIKELY(x) (x)
#endif

/* Monotonic nanoseconds: the clock of every manual time. */
static inline uint64_t micro_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One wait (for room, for data, at a barrier): spin with a pause, then
 * yield; a wait that lasts MICRO_STALL_NS is reported as a hang. */
typedef struct micro_wait {
    unsigned turns;
    uint64_t since; /* clock at the first yield, 0 before */
} micro_wait;

static inline void micro_wait_init(micro_wait *w) {
    w->turns = 0;
    w->since = 0;
}

/* One turn of a wait loop. Returns non-zero when the wait has gone on for
 * MICRO_STALL_NS; the clock is read only every 64 yields. */
static inline int micro_wait_turn(micro_wait *w) {
    if (w->turns < MICRO_SPINS_BEFORE_YIELD) {
        w->turns++;
        bipbuf_relax();
        return 0;
    }
    sched_yield();
    if ((w->turns++ & 63) == 0) {
        uint64_t now = micro_now_ns();
        if (w->since == 0)
            w->since = now;
        else if (now - w->since > MICRO_STALL_NS)
            return 1;
    }
    return 0;
}

/* Sum of n bytes: the consumer reads every byte it is given. */
static inline uint64_t micro_sum(const unsigned char *p, size_t n) {
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

/*
 * The two PUs the pair and round-trip benchmarks run on, chosen once by
 * bench_pair_select (topo.h) for BIPBENCH_MICRO_PAIR (default "core": two
 * cores sharing an L3 where the machine allows). Returns 0 and fills pus[0]
 * (producer, the benchmark thread) and pus[1] (the other thread); or -1 and
 * sets *why (static) when this machine cannot give that placement.
 */
int micro_pair_pus(unsigned pus[2], const char **why);

/*
 * Bind the calling thread to PU `pu` (OS index) and check it now runs
 * there. With `saved` non-NULL, first stores the previous binding there for
 * micro_restore_binding. Returns 0, or -1 and sets *why (static).
 */
int micro_bind_self(unsigned pu, void **saved, const char **why);

/* Put back a binding saved by micro_bind_self, and free it. NULL is fine. */
void micro_restore_binding(void *saved);

/*
 * A real failure (not "cannot run here"): print "bipbench_micro: <msg>" to
 * stderr, end the run with gb_skip_with_error, and make the program exit
 * non-zero at the end.
 */
void micro_fail(gb_state *st, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif /* MICRO_H */
