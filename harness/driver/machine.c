/*
 * machine.c - what bipbench says about the machine (machine.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "machine.h"

#include <stdio.h>
#include <string.h>

void machine_cpu_model(char *out, size_t len) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(out, len, "unknown");
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0 || strncmp(line, "Model", 5) == 0 ||
            strncmp(line, "cpu model", 9) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(out, len, "%s", colon);
                break;
            }
        }
    }
    fclose(f);
}

int machine_count(hwloc_topology_t t, hwloc_obj_type_t type) {
    int n = hwloc_get_nbobjs_by_type(t, type);
    return n < 0 ? 0 : n;
}

void machine_topo_summary(hwloc_topology_t t, char *out, size_t len) {
    hwloc_obj_t l3 = hwloc_get_obj_by_type(t, HWLOC_OBJ_L3CACHE, 0);
    snprintf(out, len, "%d package(s), %d NUMA node(s), %d L3 cache(s)%s, %d core(s), %d PU(s)",
             machine_count(t, HWLOC_OBJ_PACKAGE), machine_count(t, HWLOC_OBJ_NUMANODE),
             machine_count(t, HWLOC_OBJ_L3CACHE), l3 ? "" : " (none reported)",
             machine_count(t, HWLOC_OBJ_CORE), machine_count(t, HWLOC_OBJ_PU));
}

size_t machine_caches(hwloc_topology_t t, struct machine_cache out[4]) {
    static const struct {
        hwloc_obj_type_t type;
        const char *name;
    } types[] = {{HWLOC_OBJ_L1CACHE, "L1d"},
                 {HWLOC_OBJ_L2CACHE, "L2"},
                 {HWLOC_OBJ_L3CACHE, "L3"},
                 {HWLOC_OBJ_L4CACHE, "L4"}};
    size_t n = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        hwloc_obj_t c = hwloc_get_obj_by_type(t, types[i].type, 0);
        if (c == NULL || c->attr == NULL)
            continue;
        out[n].level = types[i].name;
        out[n].count = machine_count(t, types[i].type);
        out[n].size_bytes = (unsigned long long)c->attr->cache.size;
        out[n].line_bytes = c->attr->cache.linesize;
        out[n].associativity = c->attr->cache.associativity;
        n++;
    }
    return n;
}
