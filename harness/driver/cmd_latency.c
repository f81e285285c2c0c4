/*
 * cmd_latency.c - `bipbench latency`: round-trip percentiles, one row per
 * entry and pair.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "hist.h"
#include "env.h"
#include "report.h"
#include "runner.h"
#include "signals.h"

/* DIR/ENTRY.PLACEMENT.hgrm, written whole. */
static int write_hgrm(const struct opts *o, const struct bench_pair *p, const struct bench_impl *im,
                      const struct bench_hist *h) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s.hgrm", o->hgrm_dir, im->name, p->placement);
    return report_hgrm_file(path, h);
}

int cmd_latency(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs) {
    struct session s;
    struct bench_hist *h = malloc(sizeof *h);
    int rc = 0;
    size_t done = 0;
    const int64_t start = bench_now_ns();

    if (h == NULL || session_open(&s, o, report_lat_header) != 0) {
        fprintf(stderr, "bipbench: out of memory\n");
        free(h);
        return 1;
    }
    report_lat_summary_header(s.summary);
    for (size_t pi = 0; pi < o->nplaces && rc == 0; pi++) {
        struct bench_runner r;
        if (bench_runner_init(&r, t, &pairs[pi]) != 0 || bench_runner_bind_self(&r) != 0) {
            rc = 1;
            break;
        }
        for (size_t vi = 0; vi < o->nimpls && rc == 0; vi++) {
            const struct bench_impl *im = o->impls[vi];
            struct bench_lat_cfg cfg = {o->msg_sizes[0], (size_t)o->queue_size, o->samples,
                                        o->lat_warmup};
            struct lat_result l = {im, &cfg, pi, h};
            int e;
            if (bench_should_stop()) {
                rc = bench_stop_status();
                break;
            }
            if (o->wait_idle > 0 && env_wait_idle(pairs[pi].pu, 2, o->wait_idle) == 2) {
                rc = bench_stop_status(); /* a signal during the wait */
                break;
            }
            bench_stage_set("latency %s pair %s", im->name, pairs[pi].placement);
            r.stage = bench_stage();
            bench_hist_reset(h);
            e = im->latency(&r, &cfg, h);
            if (e != 0) {
                if (e != -1)
                    fprintf(stderr, "bipbench: %s: %s\n", r.stage, strerror(-e));
                rc = 1;
                break;
            }
            report_lat_row(s.csv, o, pairs, &l);
            session_row_done(&s);
            if (o->hgrm_dir && write_hgrm(o, &pairs[pi], im, h) != 0) {
                rc = 1;
                break;
            }
            report_lat_summary(s.summary, pairs, &l);
            done++;
            if (bench_now_ns() - start > 2000000000ll) {
                char where[96];
                progress_eta(where, sizeof where, done, o->nplaces * o->nimpls,
                             bench_now_ns() - start);
                fprintf(stderr, "bipbench: %s latency %s pair %s: p50 %llu ns\n", where, im->name,
                        pairs[pi].placement, (unsigned long long)bench_hist_percentile(h, 50));
            }
        }
        bench_runner_fini(&r);
    }
    free(h);
    return session_finish(&s, o, t, pairs, rc);
}
