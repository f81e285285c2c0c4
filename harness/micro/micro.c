/*
 * micro.c - bipbench_micro: Google Benchmark micro-benchmarks of every
 * variant of the bip buffer, written in C over gbench_shim.h.
 *
 *   bipbench_micro                                  every benchmark
 *   bipbench_micro --benchmark_filter='^pair/'      the two-thread ones
 *   bipbench_micro --benchmark_format=json --benchmark_out=micro.json
 *                  --benchmark_repetitions=5 --benchmark_context=host=$(hostname)
 *
 * Benchmarks (for each variant V, e.g. cached-pad64-acqrel; a 16 KiB buffer;
 * the consumer reads, sums and checks every byte):
 *   single/V/LEN     one thread: reserve, write LEN bytes, commit, peek,
 *                    sum, consume. Time per message.
 *   pair/V/LEN       a producer (the benchmark thread) and a consumer on two
 *                    cores; manual time per message, from a start barrier to
 *                    the last consume of each batch.
 *   roundtrip/V/LEN  ping-pong through two buffers on the same two cores;
 *                    manual time per round trip.
 * Names put the variant second so tools can group by it; runs with manual
 * time carry Google Benchmark's /manual_time suffix.
 *
 * The pair is chosen as bipbench chooses it (topo.h): by default two cores
 * sharing an L3 where the machine has that choice (bipbench --pair core);
 * the environment variable BIPBENCH_MICRO_PAIR picks another placement
 * (smt, l3, cross-l3, numa, auto) or two PUs "A,B" by OS index (Google
 * Benchmark owns the command line). The PUs and what they share are in the
 * report's context (micro_pair_pus, micro_pair_relation) and each run's
 * counters; where the machine cannot give the placement (one core), the
 * two-thread runs end with an error message saying so, never with numbers.
 * Threads are bound and checked by bipbench's runner (runner.h): after
 * binding, and again after each run, each thread must have run only on its
 * PU, or the run fails.
 *
 * This file is compiled once: main, the pair (through topo.h and runner.h,
 * shared with bipbench) and failure reports. The benchmarks are in micro_variant.c, compiled once
 * per variant.
 */
#define _POSIX_C_SOURCE 200809L
#include "micro.h"

#include "topo.h"

#include <hwloc.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* Failures reported by micro_fail; any makes the exit status non-zero. */
static atomic_int micro__failures;

/* The topology and the pair, set up once from the benchmark thread (main,
 * before any benchmark runs and so before any other thread starts). */
static hwloc_topology_t micro__topo;
static struct bench_pair micro__pair;
static struct bench_runner micro__r;
static char micro__why[192];
static int micro__state; /* 0: not set up, 1: the runner is ready, -1: no pair here */

/* BIPBENCH_MICRO_PAIR: a named placement (topo.h) or "A,B"; default core. */
static const char *micro__placement_text(void) {
    const char *env = getenv("BIPBENCH_MICRO_PAIR");
    return env != NULL && *env != '\0' ? env : "core";
}

static void micro__setup(void) {
    struct bench_placement pl;
    const char *text = micro__placement_text();
    char reason[160];
    if (micro__state != 0)
        return;
    micro__state = -1;
    if (bench_topo_load(NULL, &micro__topo, reason, sizeof reason) != 0) {
        snprintf(micro__why, sizeof micro__why, "%s", reason);
        return;
    }
    if (bench_placement_parse(text, &pl) != 0)
        snprintf(micro__why, sizeof micro__why,
                 "BIPBENCH_MICRO_PAIR=%s: not a placement (auto, smt, core, l3, cross-l3, numa or "
                 "A,B)",
                 text);
    else if (bench_pair_select(micro__topo, &pl, &micro__pair, reason, sizeof reason) != 0)
        snprintf(micro__why, sizeof micro__why, "placement %s: %s", text, reason);
    else if (bench_runner_init(&micro__r, micro__topo, &micro__pair) != 0)
        snprintf(micro__why, sizeof micro__why, "out of memory");
    else
        micro__state = 1;
}

struct bench_runner *micro_runner(const char **why) {
    micro__setup();
    if (micro__state < 0) {
        *why = micro__why;
        return NULL;
    }
    return &micro__r;
}

/* The thread's migration count when it was bound (-1: the kernel does not say). */
static _Thread_local long micro__migrations_at_bind = -1;

int micro_bind_role(int role, void **saved, const char **why) {
    static _Thread_local char msg[160];
    hwloc_bitmap_t old = NULL;
    if (micro_runner(why) == NULL)
        return -1;
    if (saved != NULL) {
        old = hwloc_bitmap_alloc();
        if (old == NULL || hwloc_get_cpubind(micro__topo, old, HWLOC_CPUBIND_THREAD) != 0) {
            hwloc_bitmap_free(old);
            *why = "hwloc_get_cpubind failed";
            return -1;
        }
    }
    if (bench_runner_bind_role(&micro__r, role, msg, sizeof msg) != 0) {
        micro_restore_binding(old);
        *why = msg;
        return -1;
    }
    if (saved != NULL)
        *saved = old;
    micro__migrations_at_bind = bench_thread_migrations();
    return 0;
}

int micro_check_role(int role, const char **why) {
    static _Thread_local char msg[160];
    long now = bench_thread_migrations();
    if (bench_runner_check_role(&micro__r, role, "during the run", msg, sizeof msg) != 0) {
        *why = msg;
        return -1;
    }
    /* As bipbench: a thread bound to one PU moves only when its binding is
     * changed, and then the run did not measure the pair it names. */
    if (now >= 0 && micro__migrations_at_bind >= 0 && now > micro__migrations_at_bind) {
        snprintf(msg, sizeof msg, "the %s thread moved off PU %u %ld time(s) during the run",
                 role ? "consumer" : "producer", micro__r.pu[role],
                 now - micro__migrations_at_bind);
        *why = msg;
        return -1;
    }
    return 0;
}

void micro_restore_binding(void *saved) {
    if (saved == NULL)
        return;
    hwloc_set_cpubind(micro__topo, (hwloc_bitmap_t)saved, HWLOC_CPUBIND_THREAD);
    hwloc_bitmap_free((hwloc_bitmap_t)saved);
}

void micro_fail(gb_state *st, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "bipbench_micro: %s\n", msg);
    atomic_fetch_add(&micro__failures, 1);
    gb_skip_with_error(st, msg);
}

int main(int argc, char **argv) {
    struct bench_placement pl;
    const char *why, *spec = micro__placement_text();
    struct bench_runner *r;
    char text[64];
    int rc;

    /* A misspelt placement is the user's error, not the machine's. */
    if (bench_placement_parse(spec, &pl) != 0) {
        fprintf(stderr,
                "bipbench_micro: BIPBENCH_MICRO_PAIR=%s: not a placement (auto, smt, core, l3, "
                "cross-l3, numa or A,B)\n",
                spec);
        return 2;
    }

#define MICRO__REGISTER(id, name, cached, pad, order, publish, wake) micro_register_##id();
    BIPBUF_FOR_EACH_VARIANT(MICRO__REGISTER)
#undef MICRO__REGISTER

    /* Where the two-thread runs go, in the report's context. */
    r = micro_runner(&why);
    if (r != NULL) {
        snprintf(text, sizeof text, "%u,%u", r->pu[0], r->pu[1]);
        gb_add_context("micro_pair_pus", text);
        gb_add_context("micro_pair_relation", micro__pair.relation);
    } else {
        gb_add_context("micro_pair_pus", "none");
        gb_add_context("micro_pair_relation", why);
    }
    snprintf(text, sizeof text, "%d", MICRO_CAPACITY);
    gb_add_context("micro_queue_size", text);
    gb_add_context("micro_read", "all");
    gb_add_context("micro_seed_variant", BIPBUF_SEED_VARIANT); /* the crate's design */

    rc = gb_main(argc, argv);
    if (micro__state == 1)
        bench_runner_fini(&micro__r);
    if (micro__topo != NULL)
        hwloc_topology_destroy(micro__topo);
    if (rc == 0 && atomic_load(&micro__failures) != 0)
        rc = 1;
    return rc;
}
