/*
 * bipbench - the project's throughput and latency harness
 * (docs/DESIGN.md, "Harness"). This file only dispatches: options.c
 * reads the command line, the cmd_*.c files run the commands, report.c and
 * outfile.c write what they found.
 *
 *   bipbench list | topo | env | run | latency | soak | rate   (bipbench --help)
 *
 * Exit status: 0 done; 1 a run failed (a byte mismatched, a thread ran off
 * its PU, binding was refused, a file could not be written); 2 bad usage,
 * or a placement this machine cannot give; 3 the watchdog; 130 interrupted
 * (what finished is still written).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "commands.h"
#include "env.h"
#include "outfile.h"
#include "report.h"
#include "signals.h"

static struct env_report g_env;

/* Choose every pair before anything runs: a placement the machine cannot
 * give is a usage error, never a silent substitute. */
static void select_pairs(const struct opts *o, hwloc_topology_t t, struct bench_pair *pairs) {
    for (size_t i = 0; i < o->nplaces; i++) {
        char why[256];
        if (bench_pair_select(t, &o->places[i], &pairs[i], why, sizeof why) != 0) {
            if (o->places[i].kind == BENCH_PLACE_EXPLICIT)
                usage_error("--pair", "%u,%u: %s", o->places[i].a, o->places[i].b, why);
            usage_error("--pair", "%s: %s", bench_place_name(o->places[i].kind), why);
        }
    }
}

int main(int argc, char **argv) {
    struct opts o;
    hwloc_topology_t t;
    struct bench_pair pairs[OPTS_MAX_LIST];
    char why[256];
    int rc;

    opts_parse(&o, argc, argv);
    if (o.cmd == CMD_LIST)
        return cmd_list(&o);
    if (o.cmd == CMD_ENV)
        opts_resolve_pairs(&o);
    else if (o.cmd != CMD_TOPO)
        opts_resolve(&o);
    if (o.synthetic && o.cmd != CMD_TOPO && o.cmd != CMD_ENV)
        usage_error("--topology-synthetic",
                    "threads cannot be bound on a synthetic machine: only list, topo and env "
                    "use it");
    if (bench_topo_load(o.synthetic, &t, why, sizeof why) != 0) {
        if (o.synthetic)
            usage_error("--topology-synthetic", "%s", why);
        fprintf(stderr, "bipbench: %s\n", why);
        return 1;
    }
    if (o.cmd == CMD_TOPO) {
        rc = cmd_topo(&o, t);
        hwloc_topology_destroy(t);
        return rc;
    }
    select_pairs(&o, t, pairs);
    {
        /* Is the machine fit? Said now, and recorded in the JSON. */
        unsigned pus[2 * OPTS_MAX_LIST];
        size_t npus = 0;
        for (size_t i = 0; i < o.nplaces; i++) {
            for (int k = 0; k < 2; k++) {
                size_t j = 0;
                while (j < npus && pus[j] != pairs[i].pu[k])
                    j++;
                if (j == npus)
                    pus[npus++] = pairs[i].pu[k];
            }
        }
        env_collect(&g_env, t, pus, npus);
        o.env = &g_env;
    }
    if (o.cmd == CMD_ENV) {
        env_print(stdout, &g_env, 0);
        hwloc_topology_destroy(t);
        if (!report_stdout_ok()) {
            fprintf(stderr, "bipbench: cannot write to stdout\n");
            return 1;
        }
        return 0;
    }
    /* The commands say the warnings once their output files are open, so
     * that a wrong path is the first and only complaint. */
    atexit(outfile_abandon_all);
    if (bench_signals_install(outfile_abandon_all_from_signal) != 0)
        usage_error("BIPBENCH_WATCHDOG", "'%s' is not a number of seconds (1..86400)",
                    getenv("BIPBENCH_WATCHDOG"));
    if (o.cmd == CMD_RUN)
        rc = cmd_run(&o, t, pairs);
    else if (o.cmd == CMD_LATENCY)
        rc = cmd_latency(&o, t, pairs);
    else if (o.cmd == CMD_RATE)
        rc = cmd_rate(&o, t, pairs);
    else
        rc = cmd_soak(&o, t, pairs);
    hwloc_topology_destroy(t);
    return rc;
}
