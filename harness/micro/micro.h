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
#include "runner.h"
#include "spin.h"

#include <stdint.h>

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
/* A single wait this long is a hang, not a slow machine: stop and report. */
#ifndef MICRO_STALL_NS /* -D to test the watchdog */
#    define MICRO_STALL_NS (10ull * 1000 * 1000 * 1000)
#endif

/* Each variant's object defines micro_register_<id>(), which registers its
 * benchmarks; main calls them all. */
#define MICRO__DECLARE(id, name, cached, pad, order, publish, wake) void micro_register_##id(void);
BIPBUF_FOR_EACH_VARIANT(MICRO__DECLARE)
#undef MICRO__DECLARE

#if defined(__GNUC__) || defined(__clang__)
#    define MICRO_LIKELY(x)   __builtin_expect(!!(x), 1)
#    define MICRO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#    define MICRO_LIKELY(x)   (x)
#    define MICRO_UNLIKELY(x) (x)
#endif

/* Sum of n bytes: the consumer reads every byte it is given. */
static inline uint64_t micro_sum(const unsigned char *p, size_t n) {
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

/*
 * The pair the pair and round-trip benchmarks run on, chosen once by
 * bench_pair_select (topo.h) for BIPBENCH_MICRO_PAIR (default "core": two
 * cores sharing an L3 where the machine allows), as a runner (runner.h):
 * the same binding and pinning checks as bipbench's. Returns it, or NULL
 * and sets *why (static) when this machine cannot give that placement.
 */
struct bench_runner *micro_runner(const char **why);

/*
 * Bind the calling thread to the runner's PU of `role` (0: the benchmark
 * thread, the producer; 1: the other thread) and check it runs there. With
 * `saved` non-NULL, first stores the previous binding there for
 * micro_restore_binding. Returns 0, or -1 and sets *why (thread-local).
 */
int micro_bind_role(int role, void **saved, const char **why);

/* After a trial: 0 if the calling thread ran only on its PU, else -1 and
 * *why (thread-local), as bipbench refuses such a trial. */
int micro_check_role(int role, const char **why);

/* Put back a binding saved by micro_bind_role, and free it. NULL is fine. */
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
