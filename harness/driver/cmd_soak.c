/*
 * cmd_soak.c - `bipbench soak`: every API path under load, every byte
 * checked, each variant in turn.
 */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "commands.h"
#include "env.h"
#include "report.h"
#include "runner.h"
#include "signals.h"

int cmd_soak(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs) {
    int rc = 0, failed = 0;
    if (o->env)
        env_print(stderr, o->env, 1);
    for (size_t pi = 0; pi < o->nplaces && rc == 0; pi++) {
        struct bench_runner r;
        if (bench_runner_init(&r, t, &pairs[pi]) != 0 || bench_runner_bind_self(&r) != 0)
            return 1;
        for (size_t vi = 0; vi < o->nimpls && rc == 0; vi++) {
            const struct bench_impl *im = o->impls[vi];
            struct bench_soak_cfg cfg = {(size_t)o->queue_size, o->msg_sizes[0], o->seconds,
                                         o->rng_seed};
            struct bench_soak_out out;
            int e;
            if (bench_should_stop()) {
                rc = bench_stop_status();
                break;
            }
            {
                /* Each variant takes --seconds: the time left is known. */
                size_t left = (o->nplaces - pi) * o->nimpls - vi;
                double s = (double)left * o->seconds;
                fprintf(stderr, "bipbench: [%zu/%zu, ETA %ldm%02lds] soak %s pair %s\n",
                        pi * o->nimpls + vi + 1, o->nplaces * o->nimpls, (long)s / 60, (long)s % 60,
                        im->name, pairs[pi].placement);
            }
            memset(&out, 0, sizeof out);
            bench_stage_set("soak %s pair %s", im->name, pairs[pi].placement);
            r.stage = bench_stage();
            e = im->soak(&r, &cfg, &out);
            if (e != 0) {
                if (e != -1)
                    fprintf(stderr, "bipbench: %s: %s\n", r.stage, strerror(-e));
                rc = 1;
                break;
            }
            printf("soak %-24s pair %s (%u,%u): %llu messages, %llu bytes verified, "
                   "%llu mismatches (cancels %llu, truncates %llu, partial consumes %llu)\n",
                   im->name, pairs[pi].placement, pairs[pi].pu[0], pairs[pi].pu[1],
                   (unsigned long long)out.messages, (unsigned long long)out.bytes,
                   (unsigned long long)out.mismatches, (unsigned long long)out.cancels,
                   (unsigned long long)out.truncates, (unsigned long long)out.partials);
            fflush(stdout);
            if (out.mismatches) {
                fprintf(stderr, "bipbench: soak %s: FAILED: %s\n", im->name, out.first_error);
                failed = 1;
            }
        }
        bench_runner_fini(&r);
    }
    if (!report_stdout_ok()) {
        fprintf(stderr, "bipbench: cannot write to stdout\n");
        failed = 1;
    }
    if (rc == 0 && failed)
        rc = 1;
    return rc;
}
