/*
 * machine.h - what bipbench says about the machine it runs on: the CPU's
 * model, the topology in a line, the caches (for `topo` and the JSON).
 */
#ifndef BIPBENCH_MACHINE_H
#define BIPBENCH_MACHINE_H

#include <hwloc.h>
#include <stddef.h>

struct machine_cache {
    const char *level; /* "L1d", "L2", ... */
    int count;
    unsigned long long size_bytes;
    unsigned line_bytes;
    int associativity;
};

/* The CPU's model name from /proc/cpuinfo, or "unknown". */
void machine_cpu_model(char *out, size_t len);

/* Objects of one type; 0 where hwloc has none. */
int machine_count(hwloc_topology_t t, hwloc_obj_type_t type);

/* "1 package(s), 1 NUMA node(s), 1 L3 cache(s), 2 core(s), 2 PU(s)". */
void machine_topo_summary(hwloc_topology_t t, char *out, size_t len);

/* The data caches hwloc reports, L1d first; returns how many (<= 4). */
size_t machine_caches(hwloc_topology_t t, struct machine_cache out[4]);

#endif
