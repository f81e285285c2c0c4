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
 * time carry Google Benchmark's /manual_time suffix. The pair's PUs are in
 * the report's context (micro_pair_pus) and in each run's counters.
 *
 * This file is compiled once: main, thread placement (hwloc) and failure
 * reports. The benchmarks are in micro_variant.c, compiled once per variant.
 */
#define _GNU_SOURCE /* sched_getcpu */
#include "micro.h"

#include <hwloc.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

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

/* The first PU (OS index) of a core. */
static int micro__first_pu(hwloc_obj_t core) {
    hwloc_obj_t pu =
        hwloc_get_obj_inside_cpuset_by_type(micro__topo, core->cpuset, HWLOC_OBJ_PU, 0);
    return pu ? (int)pu->os_index : -1;
}

int micro_pair_pus(unsigned pus[2], const char **why) {
    static char msg[128];
    hwloc_obj_t c0, c1 = NULL, l3;
    int ncores, i, p0, p1;
    if (micro__topo_load() < 0) {
        *why = "hwloc could not load the topology";
        return -1;
    }
    ncores = hwloc_get_nbobjs_by_type(micro__topo, HWLOC_OBJ_CORE);
    if (ncores < 2) {
        snprintf(msg, sizeof msg,
                 "needs two physical cores for a producer/consumer pair; hwloc sees %d", ncores);
        *why = msg;
        return -1;
    }
    /* Core 0 and the next core under the same L3 (as the seed measured), or
     * core 1 where no core shares core 0's L3. */
    c0 = hwloc_get_obj_by_type(micro__topo, HWLOC_OBJ_CORE, 0);
    l3 = hwloc_get_ancestor_obj_by_type(micro__topo, HWLOC_OBJ_L3CACHE, c0);
    for (i = 1; i < ncores && l3 != NULL && c1 == NULL; i++) {
        hwloc_obj_t c = hwloc_get_obj_by_type(micro__topo, HWLOC_OBJ_CORE, (unsigned)i);
        if (hwloc_get_ancestor_obj_by_type(micro__topo, HWLOC_OBJ_L3CACHE, c) == l3)
            c1 = c;
    }
    if (c1 == NULL)
        c1 = hwloc_get_obj_by_type(micro__topo, HWLOC_OBJ_CORE, 1);
    p0 = micro__first_pu(c0);
    p1 = micro__first_pu(c1);
    if (p0 < 0 || p1 < 0) {
        *why = "hwloc shows a core without a PU";
        return -1;
    }
    pus[0] = (unsigned)p0;
    pus[1] = (unsigned)p1;
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

#define MICRO__REGISTER(id, name, cached, pad, order) micro_register_##id();
    BIPBUF_FOR_EACH_VARIANT(MICRO__REGISTER)
#undef MICRO__REGISTER

    /* Where the two-thread runs go, in the report's context. */
    if (micro_pair_pus(pus, &why) == 0)
        snprintf(text, sizeof text, "%u,%u", pus[0], pus[1]);
    else
        snprintf(text, sizeof text, "none");
    gb_add_context("micro_pair_pus", text);
    snprintf(text, sizeof text, "%d", MICRO_CAPACITY);
    gb_add_context("micro_queue_size", text);
    gb_add_context("micro_read", "all");

    rc = gb_main(argc, argv);
    if (micro__topo_state == 1)
        hwloc_topology_destroy(micro__topo);
    if (rc == 0 && atomic_load(&micro__failures) != 0)
        rc = 1;
    return rc;
}
