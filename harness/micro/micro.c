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
 *
 * This file is compiled once: main, thread placement (hwloc) and failure
 * reports. The benchmarks are in micro_variant.c, compiled once per variant.
 */
#define _GNU_SOURCE /* sched_getcpu */
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

/* The topology, loaded on first use from the benchmark thread (main). */
static hwloc_topology_t micro__topo;
static int micro__topo_state; /* 0: not loaded, 1: loaded, -1: failed */

static int micro__topo_load(void) {
    if (micro__topo_state != 0)
        return micro__topo_state;
    micro__topo_state = -1;
    if (hwloc_topology_init(&micro__topo) != 0)
        return -1;
    if (hwloc_topology_load(micro__topo) != 0) {
        hwloc_topology_destroy(micro__topo);
        return -1;
    }
    micro__topo_state = 1;
    return 1;
}

/* The pair, chosen once (bench_pair_select is not reentrant) from the
 * benchmark thread before any other thread starts. */
static struct bench_pair micro__pair;
static char micro__pair_why[160];
static int micro__pair_state; /* 0: not chosen, 1: chosen, -1: none */

/* BIPBENCH_MICRO_PAIR: a named placement (topo.h) or "A,B"; default core. */
static int micro__placement(struct bench_placement *pl, const char **text) {
    const char *env = getenv("BIPBENCH_MICRO_PAIR");
    char *end;
    unsigned long a, b;
    *text = env != NULL && *env != '\0' ? env : "core";
    pl->kind = BENCH_PLACE_CORE;
    pl->a = pl->b = 0;
    if (bench_place_parse(*text, &pl->kind) == 0)
        return 0;
    a = strtoul(*text, &end, 10);
    if (end != *text && *end == ',') {
        const char *bs = end + 1;
        b = strtoul(bs, &end, 10);
        if (end != bs && *end == '\0') {
            pl->kind = BENCH_PLACE_EXPLICIT;
            pl->a = (unsigned)a;
            pl->b = (unsigned)b;
            return 0;
        }
    }
    return -1;
}

int micro_pair_pus(unsigned pus[2], const char **why) {
    if (micro__pair_state == 0) {
        struct bench_placement pl;
        const char *text;
        char reason[128];
        micro__pair_state = -1;
        if (micro__topo_load() < 0)
            snprintf(micro__pair_why, sizeof micro__pair_why, "hwloc could not load the topology");
        else if (micro__placement(&pl, &text) != 0)
            snprintf(micro__pair_why, sizeof micro__pair_why,
                     "BIPBENCH_MICRO_PAIR=%s: not a placement (auto, smt, core, l3, cross-l3, "
                     "numa or A,B)",
                     text);
        else if (bench_pair_select(micro__topo, &pl, &micro__pair, reason, sizeof reason) != 0)
            snprintf(micro__pair_why, sizeof micro__pair_why, "placement %s: %s", text, reason);
        else
            micro__pair_state = 1;
    }
    if (micro__pair_state < 0) {
        *why = micro__pair_why;
        return -1;
    }
    pus[0] = micro__pair.pu[0];
    pus[1] = micro__pair.pu[1];
    return 0;
}

int micro_bind_self(unsigned pu, void **saved, const char **why) {
    static _Thread_local char msg[96];
    hwloc_bitmap_t old = NULL, set;
    int rc, cpu;
    if (micro__topo_load() < 0) {
        *why = "hwloc could not load the topology";
        return -1;
    }
    if (saved != NULL) {
        old = hwloc_bitmap_alloc();
        if (old == NULL || hwloc_get_cpubind(micro__topo, old, HWLOC_CPUBIND_THREAD) != 0) {
            hwloc_bitmap_free(old);
            *why = "hwloc_get_cpubind failed";
            return -1;
        }
    }
    set = hwloc_bitmap_alloc();
    if (set == NULL) {
        hwloc_bitmap_free(old);
        *why = "out of memory";
        return -1;
    }
    hwloc_bitmap_only(set, pu);
    rc = hwloc_set_cpubind(micro__topo, set, HWLOC_CPUBIND_THREAD);
    hwloc_bitmap_free(set);
    if (rc != 0) {
        hwloc_bitmap_free(old);
        snprintf(msg, sizeof msg, "hwloc_set_cpubind to PU %u failed", pu);
        *why = msg;
        return -1;
    }
    /* Binding moves the thread before it returns: check where it runs. */
    cpu = sched_getcpu();
    if (cpu != (int)pu) {
        micro_restore_binding(old);
        snprintf(msg, sizeof msg, "bound to PU %u but running on CPU %d", pu, cpu);
        *why = msg;
        return -1;
    }
    if (saved != NULL)
        *saved = old;
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
    unsigned pus[2];
    const char *why;
    char text[64];
    int rc;

    /* A misspelt placement is the user's error, not the machine's. */
    {
        struct bench_placement pl;
        const char *spec;
        if (micro__placement(&pl, &spec) != 0) {
            fprintf(stderr,
                    "bipbench_micro: BIPBENCH_MICRO_PAIR=%s: not a placement (auto, smt, core, "
                    "l3, cross-l3, numa or A,B)\n",
                    spec);
            return 2;
        }
    }

#define MICRO__REGISTER(id, name, cached, pad, order) micro_register_##id();
    BIPBUF_FOR_EACH_VARIANT(MICRO__REGISTER)
#undef MICRO__REGISTER

    /* Where the two-thread runs go, in the report's context. */
    if (micro_pair_pus(pus, &why) == 0) {
        snprintf(text, sizeof text, "%u,%u", pus[0], pus[1]);
        gb_add_context("micro_pair_pus", text);
        gb_add_context("micro_pair_relation", micro__pair.relation);
    } else {
        gb_add_context("micro_pair_pus", "none");
        gb_add_context("micro_pair_relation", why);
    }
    snprintf(text, sizeof text, "%d", MICRO_CAPACITY);
    gb_add_context("micro_queue_size", text);
    gb_add_context("micro_read", "all");
    gb_add_context("micro_seed_variant", BIPBUF_SEED_VARIANT); /* what 'seed' means */

    rc = gb_main(argc, argv);
    if (micro__topo_state == 1)
        hwloc_topology_destroy(micro__topo);
    if (rc == 0 && atomic_load(&micro__failures) != 0)
        rc = 1;
    return rc;
}
