/*
 * cmd_info.c - `bipbench list` and `bipbench topo`: what can be measured,
 * and where.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>

#include "bipbuf_variants.h"
#include "commands.h"
#include "machine.h"
#include "report.h"

static const char *const kind_names[] = {"variant", "limit", "peer"};

int cmd_list(const struct opts *o) {
    size_t n;
    const struct bench_impl *const *reg = bench_registry(&n);
    for (size_t i = 0; i < n; i++) {
        const struct bench_impl *im = reg[i];
        if (o->verbose) {
            /* What it measures last, in brackets, for scripts to pick by:
             * the commands it has, space-separated, and burst. */
            const char *has[] = {im->throughput ? "run" : NULL, im->latency ? "latency" : NULL,
                                 im->soak ? "soak" : NULL, im->rate ? "rate" : NULL,
                                 im->bursts ? "burst" : NULL};
            const char *sep = "";
            printf("%-24s %-8s %s [", im->name, kind_names[im->kind], im->about);
            for (size_t k = 0; k < sizeof has / sizeof has[0]; k++) {
                if (has[k]) {
                    printf("%s%s", sep, has[k]);
                    sep = " ";
                }
            }
            printf("]\n");
        } else
            printf("%s\n", im->name);
    }
    if (o->verbose) {
        printf("%-24s %-8s %s\n", BIPBENCH_CRATE_ALIAS, "alias",
               "= " BIPBUF_SEED_VARIANT ", the crate's design as the crate built it");
        printf("%-24s %-8s %s\n", BIPBENCH_CRATE_ALIAS_OLD, "alias",
               "= " BIPBUF_SEED_VARIANT " (the earlier name of '" BIPBENCH_CRATE_ALIAS "')");
        printf("%-24s %-8s the %d variants (--limits adds the limits)\n", "all", "alias",
               BIPBUF_VARIANT_COUNT);
    }
    if (!report_stdout_ok()) {
        fprintf(stderr, "bipbench: cannot write to stdout\n");
        return 1;
    }
    return 0;
}

/* Each PU with its core, L3 and NUMA node, eight to a line. */
static void print_pus(hwloc_topology_t t) {
    hwloc_obj_t pu = NULL;
    int shown = 0;
    printf("PUs (OS index: core, L3, NUMA node):");
    while ((pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu)) != NULL && shown < 64) {
        hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu);
        hwloc_obj_t l3 = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_L3CACHE, pu);
        hwloc_obj_t numa = NULL, n = NULL;
        while ((n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n)) != NULL) {
            if (n->cpuset && hwloc_bitmap_isset(n->cpuset, pu->os_index))
                numa = n;
        }
        printf("%s%u:c%d/l3-%d/n%d", shown % 8 ? " " : "\n  ", pu->os_index,
               core ? (int)core->logical_index : -1, l3 ? (int)l3->logical_index : -1,
               numa ? (int)numa->logical_index : -1);
        shown++;
    }
    if (machine_count(t, HWLOC_OBJ_PU) > shown)
        printf("\n  ... %d more", machine_count(t, HWLOC_OBJ_PU) - shown);
    printf("\n");
}

int cmd_topo(const struct opts *o, hwloc_topology_t t) {
    char model[256], summary[256];
    struct machine_cache caches[4];
    size_t nc = machine_caches(t, caches);
    machine_cpu_model(model, sizeof model);
    machine_topo_summary(t, summary, sizeof summary);
    printf("machine: %s\n", o->synthetic ? "synthetic" : model);
    if (o->synthetic)
        printf("synthetic: %s\n", o->synthetic);
    printf("topology: %s\n", summary);
    for (size_t i = 0; i < nc; i++)
        printf("cache: %s %d x %llu KiB, %u-byte lines\n", caches[i].level, caches[i].count,
               caches[i].size_bytes / 1024, caches[i].line_bytes);
    print_pus(t);
    printf("placements (producer PU, consumer PU: relation):\n");
    for (int k = 0; k < BENCH_PLACE_NAMED_COUNT; k++) {
        struct bench_placement pl = {(enum bench_place)k, 0, 0};
        struct bench_pair p;
        char why[256];
        if (bench_pair_select(t, &pl, &p, why, sizeof why) == 0)
            printf("  %-9s %u,%u: %s\n", bench_place_name(pl.kind), p.pu[0], p.pu[1], p.relation);
        else
            printf("  %-9s unavailable: %s\n", bench_place_name(pl.kind), why);
    }
    if (!report_stdout_ok()) {
        fprintf(stderr, "bipbench: cannot write to stdout\n");
        return 1;
    }
    return 0;
}
