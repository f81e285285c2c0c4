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

/* What each candidate core offers. */
struct core_info {
    unsigned pu;     /* first allowed PU (OS index) */
    unsigned npu;    /* allowed PUs in the core */
    unsigned second; /* second allowed PU, when npu >= 2 */
    int l3;          /* logical index of the L3 above it; -1: none */
    int pack;        /* likewise, its package */
    int numa;        /* likewise, the NUMA node whose cpuset holds its first PU */
};

static int logical_or_none(hwloc_obj_t o) {
    return o ? (int)o->logical_index : -1;
}

/*
 * The cores, in logical order, each with its first allowed PU (malloc'd;
 * *n set). A machine without Core objects gets one "core" per PU. Linear
 * in the PUs: one pass over the PU level, parents looked up by walking up,
 * and one pass over the NUMA nodes' cpusets.
 */
static struct core_info *list_cores(hwloc_topology_t t, size_t *n) {
    hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(t);
    int per_core = hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_CORE) > 0;
    int ncores = hwloc_get_nbobjs_by_type(t, per_core ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU);
    int maxos = hwloc_bitmap_last(hwloc_topology_get_topology_cpuset(t));
    struct core_info *cores = calloc(ncores > 0 ? (size_t)ncores : 1, sizeof *cores);
    int *numa = malloc((size_t)(maxos > 0 ? maxos + 1 : 1) * sizeof *numa);
    hwloc_obj_t pu = NULL, nn = NULL;
    size_t k = 0;
    *n = 0;
    if (cores == NULL || numa == NULL) {
        free(cores);
        free(numa);
        return NULL;
    }
    for (int i = 0; i <= maxos; i++)
        numa[i] = -1;
    /* The first NUMA node (in logical order) that holds a PU is its node. */
    while ((nn = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, nn)) != NULL) {
        int i;
        if (nn->cpuset == NULL)
            continue;
        hwloc_bitmap_foreach_begin(i, nn->cpuset) {
            if (i <= maxos && numa[i] < 0)
                numa[i] = (int)nn->logical_index;
        }
        hwloc_bitmap_foreach_end();
    }
    while ((pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu)) != NULL) {
        hwloc_obj_t c = per_core ? hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu) : pu;
        struct core_info *ci;
        if (c == NULL || (int)c->logical_index >= ncores ||
            (allowed && !hwloc_bitmap_isset(allowed, pu->os_index)))
            continue;
        ci = &cores[c->logical_index];
        if (ci->npu == 0) {
            ci->pu = pu->os_index;
            ci->l3 = logical_or_none(hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_L3CACHE, pu));
            ci->pack = logical_or_none(hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_PACKAGE, pu));
            ci->numa = (int)pu->os_index <= maxos ? numa[pu->os_index] : -1;
        } else if (ci->npu == 1) {
            ci->second = pu->os_index;
        }
        ci->npu++;
    }
    free(numa);
    /* Keep the cores with an allowed PU, in order. */
    for (int i = 0; i < ncores; i++)
        if (cores[i].npu > 0)
            cores[k++] = cores[i];
    *n = k;
    return cores;
}

/* Group keys, and how many groups of that kind the topology has. */
enum key { KEY_L3, KEY_PACK, KEY_NUMA };

static int key_of(const struct core_info *c, enum key k) {
    return k == KEY_L3 ? c->l3 : k == KEY_PACK ? c->pack : c->numa;
}

static int groups(hwloc_topology_t t, enum key k) {
    int n = hwloc_get_nbobjs_by_type(t, k == KEY_L3     ? HWLOC_OBJ_L3CACHE
                                        : k == KEY_PACK ? HWLOC_OBJ_PACKAGE
                                                        : HWLOC_OBJ_NUMANODE);
    return n > 0 ? n : 1;
}

/*
 * The first pair (i, j), i < j in logical order (smallest i, then smallest
 * j), whose cores have the same valid key: i is the first core whose group
 * has a second core, j that second core. Linear.
 */
static int find_same(hwloc_topology_t t, const struct core_info *cores, size_t n, enum key k,
                     unsigned *a, unsigned *b) {
    int ng = groups(t, k), found = 0;
    size_t *first = malloc((size_t)ng * sizeof *first),
           *second = malloc((size_t)ng * sizeof *second);
    size_t best_i = n, best_j = n;
    if (first == NULL || second == NULL)
        goto out;
    for (int g = 0; g < ng; g++)
        first[g] = second[g] = n;
    for (size_t i = 0; i < n; i++) {
        int g = key_of(&cores[i], k);
        if (g < 0 || g >= ng)
            continue;
        if (first[g] == n)
            first[g] = i;
        else if (second[g] == n)
            second[g] = i;
    }
    for (int g = 0; g < ng; g++) {
        if (second[g] != n && first[g] < best_i) {
            best_i = first[g];
            best_j = second[g];
        }
    }
    if (best_i < n) {
        *a = cores[best_i].pu;
        *b = cores[best_j].pu;
        found = 1;
    }
out:
    free(first);
    free(second);
    return found;
}

/*
 * The first pair (i, j) whose cores have valid, different keys and, with
 * same_pack, the same package. For each i in order:
 * is there a later core in the same scope with a valid key other than i's?
 * Counts of the cores still ahead, per scope and per key, answer that in
 * constant time; then j is the first such core after i. Linear.
 */
static int find_diff(hwloc_topology_t t, const struct core_info *cores, size_t n, enum key k,
                     int same_pack, unsigned *a, unsigned *b) {
    int ng = groups(t, k), np = same_pack ? groups(t, KEY_PACK) : 1, found = 0;
    size_t *ahead_key = calloc((size_t)ng, sizeof *ahead_key),
           *ahead_scope = calloc((size_t)np, sizeof *ahead_scope);
    if (ahead_key == NULL || ahead_scope == NULL)
        goto out;
#define SCOPE(c) (same_pack ? (c)->pack : 0)
#define VALID(c) (key_of(c, k) >= 0 && key_of(c, k) < ng && SCOPE(c) >= 0 && SCOPE(c) < np)
    for (size_t i = 0; i < n; i++) {
        if (VALID(&cores[i])) {
            ahead_key[key_of(&cores[i], k)]++;
            ahead_scope[SCOPE(&cores[i])]++;
        }
    }
    for (size_t i = 0; i < n && !found; i++) {
        int g, s;
        if (!VALID(&cores[i]))
            continue;
        g = key_of(&cores[i], k);
        s = SCOPE(&cores[i]);
        ahead_key[g]--;
        ahead_scope[s]--;
        /* Cores after i in scope s, less those with i's key. A key lies in
         * one scope (an L3 in one package), so the difference counts the
         * cores after i in s with another key. */
        if (ahead_scope[s] > ahead_key[g]) {
            for (size_t j = i + 1; j < n; j++) {
                if (VALID(&cores[j]) && SCOPE(&cores[j]) == s && key_of(&cores[j], k) != g) {
                    *a = cores[i].pu;
                    *b = cores[j].pu;
                    found = 1;
                    break;
                }
            }
        }
    }
#undef SCOPE
#undef VALID
out:
    free(ahead_key);
    free(ahead_scope);
    return found;
}

static int fail(char *why, size_t len, const char *msg) {
    snprintf(why, len, "%s", msg);
    return -1;
}

/* The pair for placement `kind` among the cores; 0, or -1 and why[]. */
static int select_in(hwloc_topology_t t, const struct bench_placement *pl, enum bench_place kind,
                     const struct core_info *cores, size_t n, unsigned *a, unsigned *b, char *why,
                     size_t whylen) {
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
        *a = pl->a;
        *b = pl->b;
        return 0;
    }
    case BENCH_PLACE_SMT:
        for (size_t i = 0; i < n; i++) {
            if (cores[i].npu >= 2) {
                *a = cores[i].pu;
                *b = cores[i].second;
                return 0;
            }
        }
        return fail(why, whylen, "no core has two PUs: this machine has no SMT (or it is off)");
    case BENCH_PLACE_CORE:
        if (n < 2)
            return fail(why, whylen, "this machine has only one core");
        /* Like the seed's experiment: two cores, as close as they come. */
        if (find_same(t, cores, n, KEY_L3, a, b) || find_same(t, cores, n, KEY_PACK, a, b) ||
            find_same(t, cores, n, KEY_NUMA, a, b))
            return 0;
        *a = cores[0].pu;
        *b = cores[1].pu;
        return 0;
    case BENCH_PLACE_L3:
        if (hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_L3CACHE) == 0)
            return fail(why, whylen, "hwloc reports no L3 cache on this machine");
        if (find_same(t, cores, n, KEY_L3, a, b))
            return 0;
        return fail(why, whylen, "no L3 cache is shared by two cores");
    case BENCH_PLACE_CROSS_L3:
        if (hwloc_get_nbobjs_by_type(t, HWLOC_OBJ_L3CACHE) < 2)
            return fail(why, whylen, "this machine has fewer than two L3 caches");
        if (find_diff(t, cores, n, KEY_L3, 1, a, b) || find_diff(t, cores, n, KEY_L3, 0, a, b))
            return 0;
        return fail(why, whylen, "no two cores sit under different L3 caches");
    case BENCH_PLACE_NUMA:
        if (find_diff(t, cores, n, KEY_NUMA, 0, a, b))
            return 0;
        return fail(why, whylen, "this machine has one NUMA node (with PUs)");
    default:
        return fail(why, whylen, "unknown placement");
    }
}

int bench_pair_select(hwloc_topology_t t, const struct bench_placement *pl, struct bench_pair *out,
                      char *why, size_t whylen) {
    size_t n;
    struct core_info *cores = list_cores(t, &n);
    unsigned a = 0, b = 0;
    enum bench_place kind = pl->kind;
    int rc;

    if (cores == NULL)
        return fail(why, whylen, "out of memory");
    if (kind == BENCH_PLACE_AUTO)
        kind = n >= 2 ? BENCH_PLACE_CORE : BENCH_PLACE_SMT;
    rc = select_in(t, pl, kind, cores, n, &a, &b, why, whylen);
    free(cores);
    if (rc != 0)
        return rc;
    out->pu[0] = a;
    out->pu[1] = b;
    snprintf(out->relation, sizeof out->relation, "%s", bench_relation(t, a, b));
    if (pl->kind == BENCH_PLACE_EXPLICIT)
        snprintf(out->placement, sizeof out->placement, "%u,%u", pl->a, pl->b);
    else
        snprintf(out->placement, sizeof out->placement, "%s", bench_place_name(pl->kind));
    return 0;
}
