/*
 * test_pairs.c - pair selection on synthetic machines (hwloc builds them
 * from a description string), so every placement rule is tested whatever
 * machine the tests run on.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "topo.h"

static int failures;
static const char *doing = "starting";

static void on_alarm(int sig) {
    (void)sig;
    fprintf(stderr, "test_pairs: watchdog: stuck while %s\n", doing);
    _exit(1);
}

static hwloc_topology_t load(const char *desc) {
    hwloc_topology_t t;
    if (hwloc_topology_init(&t) != 0 || hwloc_topology_set_synthetic(t, desc) != 0 ||
        hwloc_topology_load(t) != 0) {
        fprintf(stderr, "FAIL: cannot load synthetic topology '%s'\n", desc);
        exit(1);
    }
    return t;
}

/* Expect placement kind on machine desc to give PUs a,b with relation rel. */
static void expect_pair(const char *desc, enum bench_place kind, unsigned a, unsigned b,
                        const char *rel) {
    hwloc_topology_t t = load(desc);
    struct bench_placement pl = {kind, a, b};
    struct bench_pair p;
    char why[256] = "";
    doing = desc;
    if (bench_pair_select(t, &pl, &p, why, sizeof why) != 0) {
        printf("FAIL: '%s' %s: refused: %s\n", desc, bench_place_name(kind), why);
        failures++;
    } else if ((kind != BENCH_PLACE_EXPLICIT && (p.pu[0] != a || p.pu[1] != b)) ||
               strcmp(p.relation, rel) != 0) {
        printf("FAIL: '%s' %s: got %u,%u (%s), expected %u,%u (%s)\n", desc, bench_place_name(kind),
               p.pu[0], p.pu[1], p.relation, a, b, rel);
        failures++;
    } else {
        printf("ok: '%s' %s -> %u,%u (%s)\n", desc,
               kind == BENCH_PLACE_EXPLICIT ? "explicit" : bench_place_name(kind), p.pu[0], p.pu[1],
               p.relation);
    }
    hwloc_topology_destroy(t);
}

/* Expect a clear refusal that mentions `word`. */
static void expect_refusal(const char *desc, enum bench_place kind, unsigned a, unsigned b,
                           const char *word) {
    hwloc_topology_t t = load(desc);
    struct bench_placement pl = {kind, a, b};
    struct bench_pair p;
    char why[256] = "";
    doing = desc;
    if (bench_pair_select(t, &pl, &p, why, sizeof why) == 0) {
        printf("FAIL: '%s' %s: expected a refusal, got %u,%u\n", desc,
               kind == BENCH_PLACE_EXPLICIT ? "explicit" : bench_place_name(kind), p.pu[0],
               p.pu[1]);
        failures++;
    } else if (strstr(why, word) == NULL) {
        printf("FAIL: '%s': refusal '%s' does not mention '%s'\n", desc, why, word);
        failures++;
    } else {
        printf("ok: '%s' %s refused: %s\n", desc,
               kind == BENCH_PLACE_EXPLICIT ? "explicit" : bench_place_name(kind), why);
    }
    hwloc_topology_destroy(t);
}

int main(void) {
    signal(SIGALRM, on_alarm);
    alarm(30);

    /* This development machine's shape: 2 cores, no SMT, one L3, one NUMA node. */
    const char *small = "pack:1 l3:1 core:2 pu:1";
    expect_pair(small, BENCH_PLACE_CORE, 0, 1, "l3");
    expect_pair(small, BENCH_PLACE_AUTO, 0, 1, "l3");
    expect_pair(small, BENCH_PLACE_L3, 0, 1, "l3");
    expect_refusal(small, BENCH_PLACE_SMT, 0, 0, "SMT");
    expect_refusal(small, BENCH_PLACE_NUMA, 0, 0, "one NUMA node");
    expect_refusal(small, BENCH_PLACE_CROSS_L3, 0, 0, "L3");
    expect_pair(small, BENCH_PLACE_EXPLICIT, 1, 0, "l3");
    expect_refusal(small, BENCH_PLACE_EXPLICIT, 0, 7, "PU 7 does not exist");
    expect_refusal(small, BENCH_PLACE_EXPLICIT, 1, 1, "one PU");

    /* One core: core is impossible, auto falls back to smt when there is SMT. */
    expect_refusal("pack:1 core:1 pu:1", BENCH_PLACE_CORE, 0, 0, "one core");
    expect_refusal("pack:1 core:1 pu:1", BENCH_PLACE_AUTO, 0, 0, "SMT");
    expect_pair("pack:1 core:1 pu:2", BENCH_PLACE_AUTO, 0, 1, "smt");

    /* A 2-socket SMT machine, two L3s per socket, one NUMA node per socket. */
    const char *big = "pack:2 numa:1 l3:2 core:4 pu:2";
    expect_pair(big, BENCH_PLACE_SMT, 0, 1, "smt");
    expect_pair(big, BENCH_PLACE_CORE, 0, 2, "l3"); /* first PU of the next core */
    expect_pair(big, BENCH_PLACE_L3, 0, 2, "l3");
    expect_pair(big, BENCH_PLACE_CROSS_L3, 0, 8, "cross-l3"); /* same socket, next L3 */
    expect_pair(big, BENCH_PLACE_NUMA, 0, 16, "numa");
    expect_pair(big, BENCH_PLACE_EXPLICIT, 0, 1, "smt");
    expect_pair(big, BENCH_PLACE_EXPLICIT, 3, 31, "numa");

    /* Two sockets sharing one NUMA node: numa is refused, cross-l3 still works. */
    const char *twosock = "pack:2 l3:2 core:4 pu:2";
    expect_refusal(twosock, BENCH_PLACE_NUMA, 0, 0, "one NUMA node");
    expect_pair(twosock, BENCH_PLACE_CROSS_L3, 0, 8, "cross-l3");
    expect_pair(twosock, BENCH_PLACE_EXPLICIT, 0, 16, "cross-l3");

    /* No L3 at all: core still works (same package), l3/cross-l3 are refused. */
    const char *nol3 = "numa:2 pack:1 core:4 pu:1";
    expect_pair(nol3, BENCH_PLACE_CORE, 0, 1, "package");
    expect_pair(nol3, BENCH_PLACE_NUMA, 0, 4, "numa");
    expect_refusal(nol3, BENCH_PLACE_L3, 0, 0, "no L3");
    expect_refusal(nol3, BENCH_PLACE_CROSS_L3, 0, 0, "L3");
    expect_refusal(nol3, BENCH_PLACE_SMT, 0, 0, "SMT");

    /* One L3 per core (no shared L3): core falls back to the same package,
     * the l3 placement is refused rather than substituted. */
    const char *privl3 = "pack:1 l3:4 core:1 pu:2";
    expect_pair(privl3, BENCH_PLACE_CORE, 0, 2, "cross-l3");
    expect_refusal(privl3, BENCH_PLACE_L3, 0, 0, "no L3 cache is shared");

    printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
    return failures != 0;
}
