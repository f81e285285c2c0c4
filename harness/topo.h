/*
 * topo.h - the machine's topology, and choosing the producer/consumer PUs for
 * a placement; bipbench and bipbench_micro both choose their pairs here.
 *
 * Pure functions of a loaded hwloc topology: they never bind anything, so
 * tests run them on synthetic machines (hwloc_topology_set_synthetic).
 */
#ifndef BENCH_TOPO_H
#define BENCH_TOPO_H

#include <hwloc.h>
#include <stddef.h>

enum bench_place {
    BENCH_PLACE_AUTO,     /* core if there are two cores, else smt */
    BENCH_PLACE_SMT,      /* two PUs of one core */
    BENCH_PLACE_CORE,     /* two cores, sharing L3 where the machine allows */
    BENCH_PLACE_L3,       /* two cores that share an L3: required */
    BENCH_PLACE_CROSS_L3, /* two cores under different L3s */
    BENCH_PLACE_NUMA,     /* two cores on different NUMA nodes */
    BENCH_PLACE_EXPLICIT, /* the PUs A,B given by OS index */
};
#define BENCH_PLACE_NAMED_COUNT 6 /* all but EXPLICIT */

struct bench_placement {
    enum bench_place kind;
    unsigned a, b; /* EXPLICIT: OS indexes of the producer's and consumer's PUs */
};

struct bench_pair {
    unsigned pu[2];     /* OS indexes: producer, consumer */
    char relation[16];  /* what the two PUs share; see bench_relation */
    char placement[32]; /* the placement's name as given ("core", "0,1") */
};

/* "smt", ...; NULL for EXPLICIT. */
const char *bench_place_name(enum bench_place p);
/* Parses one named placement; returns 0 or -1. */
int bench_place_parse(const char *s, enum bench_place *out);
/* Parses a placement: a name, or "A,B" (two PU OS indexes). Returns 0 or -1. */
int bench_placement_parse(const char *s, struct bench_placement *out);

/* Load this machine's topology, or hwloc's synthetic one described by
 * `synthetic` (tests). Returns 0, or -1 and the reason in why[]. */
int bench_topo_load(const char *synthetic, hwloc_topology_t *out, char *why, size_t whylen);

/*
 * Choose the pair for `pl`. Returns 0 and fills *out, or -1 and writes into
 * why[] the reason this machine cannot give that placement.
 */
int bench_pair_select(hwloc_topology_t t, const struct bench_placement *pl, struct bench_pair *out,
                      char *why, size_t whylen);

/*
 * The closest thing PUs a and b (OS indexes) share: "same-pu", "smt" (one
 * core), "l3" (different cores, one L3), "numa" (different NUMA nodes),
 * "cross-l3" (different L3s, one NUMA node), "package" (one package, no L3
 * known), "machine" (nothing closer).
 */
const char *bench_relation(hwloc_topology_t t, unsigned a, unsigned b);

#endif
