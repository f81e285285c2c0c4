/*
 * topo.c - pair selection over an hwloc topology (see topo.h).
 *
 * Every placement is chosen among "cores": the first allowed PU of each core,
 * in hwloc's logical order, so the answer is deterministic for a machine.
 */
#include "topo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const place_names[BENCH_PLACE_NAMED_COUNT] = {"auto", "smt",      "core",
                                                                 "l3",   "cross-l3", "numa"};

const char *bench_place_name(enum bench_place p) {
    return (unsigned)p < BENCH_PLACE_NAMED_COUNT ? place_names[p] : NULL;
}

int bench_place_parse(const char *s, enum bench_place *out) {
    for (int i = 0; i < BENCH_PLACE_NAMED_COUNT; i++) {
        if (strcmp(s, place_names[i]) == 0) {
            *out = (enum bench_place)i;
            return 0;
        }
    }
    return -1;
}

/* A PU number: digits only, at most UINT_MAX. */
static int parse_pu(const char *s, const char *end, unsigned *out) {
    unsigned long long v = 0;
    if (s == end)
        return -1;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9' || v > 0xffffffffull / 10)
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v > 0xffffffffull)
        return -1;
    *out = (unsigned)v;
    return 0;
}

int bench_placement_parse(const char *s, struct bench_placement *out) {
    const char *comma = strchr(s, ',');
    out->a = out->b = 0;
    if (comma == NULL)
        return bench_place_parse(s, &out->kind);
    if (parse_pu(s, comma, &out->a) != 0 ||
        parse_pu(comma + 1, comma + 1 + strlen(comma + 1), &out->b) != 0)
        return -1;
    out->kind = BENCH_PLACE_EXPLICIT;
    return 0;
}

int bench_topo_load(const char *synthetic, hwloc_topology_t *out, char *why, size_t whylen) {
    hwloc_topology_t t;
    if (hwloc_topology_init(&t) != 0) {
        snprintf(why, whylen, "hwloc_topology_init failed");
        return -1;
    }
    if (synthetic && hwloc_topology_set_synthetic(t, synthetic) != 0) {
        snprintf(why, whylen, "hwloc cannot read '%s'", synthetic);
        hwloc_topology_destroy(t);
        return -1;
    }
    if (hwloc_topology_load(t) != 0) {
        snprintf(why, whylen, "hwloc_topology_load failed: %s", strerror(errno));
        hwloc_topology_destroy(t);
        return -1;
    }
    *out = t;
    return 0;
}

/* The NUMA node (logical index) whose cpuset holds PU os, or -1. */
static int numa_of(hwloc_topology_t t, unsigned os) {
    hwloc_obj_t n = NULL;
    while ((n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n)) != NULL) {
        if (n->cpuset && hwloc_bitmap_isset(n->cpuset, os))
            return (int)n->logical_index;
    }
    return -1;
}

static hwloc_obj_t pu_of(hwloc_topology_t t, unsigned os) {
    return hwloc_get_pu_obj_by_os_index(t, os);
}

static hwloc_obj_t ancestor(hwloc_topology_t t, hwloc_obj_type_t type, unsigned os) {
    hwloc_obj_t pu = pu_of(t, os);
    return pu ? hwloc_get_ancestor_obj_by_type(t, type, pu) : NULL;
}

const char *bench_relation(hwloc_topology_t t, unsigned a, unsigned b) {
    hwloc_obj_t la, lb, pa, pb;
    if (a == b)
        return "same-pu";
    la = ancestor(t, HWLOC_OBJ_CORE, a);
    if (la && la == ancestor(t, HWLOC_OBJ_CORE, b))
        return "smt";
    la = ancestor(t, HWLOC_OBJ_L3CACHE, a);
    lb = ancestor(t, HWLOC_OBJ_L3CACHE, b);
    if (la && la == lb)
        return "l3";
    if (numa_of(t, a) != numa_of(t, b))
        return "numa";
    if (la && lb)
        return "cross-l3";
    pa = ancestor(t, HWLOC_OBJ_PACKAGE, a);
    pb = ancestor(t, HWLOC_OBJ_PACKAGE, b);
    if (pa && pa == pb)
        return "package";
    return "machine";
}

/* What each candidate core offers; up to this many cores are considered. */
#define MAX_CORES 4096

struct core_info {
    unsigned pu;      /* first allowed PU (OS index) */
    unsigned npu;     /* allowed PUs in the core */
    unsigned second;  /* second allowed PU, when npu >= 2 */
    hwloc_obj_t l3;   /* NULL: no L3 above it */
    hwloc_obj_t pack; /* NULL: no package above it */
    int numa;
};

/* Fill cores[] from the topology; returns how many. A machine without Core
 * objects gets one "core" per PU. */
static size_t list_cores(hwloc_topology_t t, struct core_info *cores) {
    hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t);
    hwloc_obj_type_t type =
        hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE) > 0 ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
    hwloc_obj_t c = NULL;
    size_t n = 0;
    while ((c = hwloc_get_next_obj_by_type(t, type, c)) != NULL && n < MAX_CORES) {
        hwloc_obj_t pu = NULL;
        struct core_info *ci = &cores[n];
        ci->npu = 0;
        while ((pu = hwloc_get_next_obj_inside_cpuset_by_type(t, c->cpuset, HWLOC_OBJ_PU, pu))) {
            if (allowed && !hwloc_bitmap_isset(allowed, pu->os_index))
                continue;
            if (ci->npu == 0)
                ci->pu = pu->os_index;
            else if (ci->npu == 1)
                ci->second = pu->os_index;
            ci->npu++;
        }
        if (ci->npu == 0)
            continue;
        ci->l3 = ancestor(t, HWLOC_OBJ_L3CACHE, ci->pu);
        ci->pack = ancestor(t, HWLOC_OBJ_PACKAGE, ci->pu);
        ci->numa = numa_of(t, ci->pu);
        n++;
    }
    return n;
}

enum want { SAME_L3, SAME_PACK, SAME_NUMA, ANY, DIFF_L3_SAME_PACK, DIFF_L3, DIFF_NUMA };

static int pair_ok(const struct core_info *x, const struct core_info *y, enum want w) {
    switch (w) {
    case SAME_L3:
        return x->l3 && x->l3 == y->l3;
    case SAME_PACK:
        return x->pack && x->pack == y->pack;
    case SAME_NUMA:
        return x->numa == y->numa;
    case ANY:
        return 1;
    case DIFF_L3_SAME_PACK:
        return x->l3 && y->l3 && x->l3 != y->l3 && x->pack == y->pack;
    case DIFF_L3:
        return x->l3 && y->l3 && x->l3 != y->l3;
    case DIFF_NUMA:
        return x->numa != y->numa;
    }
    return 0;
}

/* The first pair of cores (in logical order) that satisfies w. */
static int find_pair(const struct core_info *cores, size_t n, enum want w, unsigned *a,
                     unsigned *b) {
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            if (pair_ok(&cores[i], &cores[j], w)) {
                *a = cores[i].pu;
                *b = cores[j].pu;
                return 1;
            }
        }
    }
    return 0;
}

static int fail(char *why, size_t len, const char *msg) {
    snprintf(why, len, "%s", msg);
    return -1;
}

int bench_pair_select(hwloc_topology_t t, const struct bench_placement *pl, struct bench_pair *out,
                      char *why, size_t whylen) {
    static struct core_info cores[MAX_CORES];
    size_t n = list_cores(t, cores);
    unsigned a = 0, b = 0;
    int found = 0;
    enum bench_place kind = pl->kind;

    if (kind == BENCH_PLACE_AUTO)
        kind = n >= 2 ? BENCH_PLACE_CORE : BENCH_PLACE_SMT;
    switch (kind) {
    case BENCH_PLACE_EXPLICIT: {
        hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t);
        unsigned pus[2] = {pl->a, pl->b};
        for (int i = 0; i < 2; i++) {
            if (pu_of(t, pus[i]) == NULL || (allowed && !hwloc_bitmap_isset(allowed, pus[i]))) {
                snprintf(why, whylen, "PU %u does not exist on this machine (or is not allowed)",
                         pus[i]);
                return -1;
            }
        }
        if (pl->a == pl->b)
            return fail(why, whylen,
                        "producer and consumer on one PU would time-share it: give two PUs");
        a = pl->a;
        b = pl->b;
        found = 1;
        break;
    }
    case BENCH_PLACE_SMT:
        for (size_t i = 0; i < n && !found; i++) {
            if (cores[i].npu >= 2) {
                a = cores[i].pu;
                b = cores[i].second;
                found = 1;
            }
        }
        if (!found)
            return fail(why, whylen, "no core has two PUs: this machine has no SMT (or it is off)");
        break;
    case BENCH_PLACE_CORE:
        if (n < 2)
            return fail(why, whylen, "this machine has only one core");
        /* Like the seed's experiment: two cores, as close as they come. */
        found = find_pair(cores, n, SAME_L3, &a, &b) || find_pair(cores, n, SAME_PACK, &a, &b) ||
                find_pair(cores, n, SAME_NUMA, &a, &b) || find_pair(cores, n, ANY, &a, &b);
        break;
    case BENCH_PLACE_L3:
        if (hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_L3CACHE) == 0)
            return fail(why, whylen, "hwloc reports no L3 cache on this machine");
        found = find_pair(cores, n, SAME_L3, &a, &b);
        if (!found)
            return fail(why, whylen, "no L3 cache is shared by two cores");
        break;
    case BENCH_PLACE_CROSS_L3:
        if (hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_L3CACHE) < 2)
            return fail(why, whylen, "this machine has fewer than two L3 caches");
        found =
            find_pair(cores, n, DIFF_L3_SAME_PACK, &a, &b) || find_pair(cores, n, DIFF_L3, &a, &b);
        if (!found)
            return fail(why, whylen, "no two cores sit under different L3 caches");
        break;
    case BENCH_PLACE_NUMA:
        found = find_pair(cores, n, DIFF_NUMA, &a, &b);
        if (!found)
            return fail(why, whylen, "this machine has one NUMA node (with PUs)");
        break;
    default:
        return fail(why, whylen, "unknown placement");
    }
    if (!found)
        return fail(why, whylen, "no pair of PUs fits");
    out->pu[0] = a;
    out->pu[1] = b;
    snprintf(out->relation, sizeof out->relation, "%s", bench_relation(t, a, b));
    if (pl->kind == BENCH_PLACE_EXPLICIT)
        snprintf(out->placement, sizeof out->placement, "%u,%u", pl->a, pl->b);
    else
        snprintf(out->placement, sizeof out->placement, "%s", bench_place_name(pl->kind));
    return 0;
}
