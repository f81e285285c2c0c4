/*
 * cmd_rate.c - `bipbench rate`: an offered load, open loop (harness/rate.h):
 * one CSV row per trial of each (entry, message size, rate), with the
 * latency percentiles from the due time and from the send, the producer's
 * lateness and each thread's CPU time (the columns: report.c); interleaved
 * as run's rounds are.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "commands.h"
#include "env.h"
#include "hist.h"
#include "report.h"
#include "runner.h"
#include "signals.h"

/* DIR/ENTRY.PLACEMENT.SIZE.RATE.hgrm, written whole. */
static int write_hgrm(const struct opts *o, const struct bench_pair *p, const struct bench_impl *im,
                      size_t msg, double rate, const struct bench_hist *h) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s.%zu.%.6g.hgrm", o->hgrm_dir, im->name, p->placement, msg,
             rate);
    return report_hgrm_file(path, h);
}

static uint64_t messages_of(const struct opts *o, double rate) {
    double n = floor(rate * o->seconds + 0.5);
    return n < 1 ? 1 : (uint64_t)n;
}

int cmd_rate(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs) {
    struct session s;
    struct bench_hist *h = malloc(3 * sizeof *h), *acc = NULL;
    const size_t per_pair = o->nmsg * o->nrates * o->nimpls;
    const size_t total = o->nplaces * per_pair * o->trials;
    double planned = 0;
    size_t done = 0;
    int rc = 0;
    const int64_t start = bench_now_ns();

    if (h != NULL && o->hgrm_dir) {
        acc = malloc(per_pair * sizeof *acc);
        for (size_t i = 0; acc && i < per_pair; i++)
            bench_hist_reset(&acc[i]);
    }
    if (h == NULL || (o->hgrm_dir && acc == NULL)) {
        fprintf(stderr, "bipbench: out of memory\n");
        free(h);
        free(acc);
        return 1;
    }
    if (session_open(&s, o, report_rate_header) != 0) {
        free(h);
        free(acc);
        return 1;
    }
    /* The producer's sleeps end as close to their due time as the kernel
     * allows: its default 50 us of timer slack would be charged to the
     * schedule. */
    (void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    for (size_t ri = 0; ri < o->nrates; ri++)
        planned += (double)messages_of(o, o->rates[ri]) / o->rates[ri];
    planned *= (double)(o->nplaces * o->nmsg * o->nimpls * o->trials);
    fprintf(stderr, "bipbench: rate: %zu trial(s), about %.0f s of schedule\n", total, planned);
    report_rate_summary_header(s.summary);
    for (size_t pi = 0; pi < o->nplaces && rc == 0; pi++) {
        struct bench_runner r;
        if (bench_runner_init(&r, t, &pairs[pi]) != 0 || bench_runner_bind_self(&r) != 0) {
            rc = 1;
            break;
        }
        for (uint64_t tr = 1; tr <= o->trials && rc == 0; tr++) {
            for (size_t mi = 0; mi < o->nmsg && rc == 0; mi++) {
                for (size_t ri = 0; ri < o->nrates && rc == 0; ri++) {
                    for (size_t vi = 0; vi < o->nimpls && rc == 0; vi++) {
                        const struct bench_impl *im = o->impls[vi];
                        struct bench_rate_cfg cfg = {o->msg_sizes[mi], (size_t)o->queue_size,
                                                     o->rates[ri],     messages_of(o, o->rates[ri]),
                                                     o->spin_ns,       o->pace};
                        struct bench_rate_out out;
                        struct rate_result row = {im, &cfg, &out, pi, tr};
                        int e;
                        if (bench_should_stop()) {
                            rc = bench_stop_status();
                            break;
                        }
                        if (o->wait_idle > 0 && env_wait_idle(pairs[pi].pu, 2, o->wait_idle) == 2) {
                            rc = bench_stop_status();
                            break;
                        }
                        memset(&out, 0, sizeof out);
                        out.from_due = &h[0];
                        out.from_send = &h[1];
                        out.late = &h[2];
                        for (int k = 0; k < 3; k++)
                            bench_hist_reset(&h[k]);
                        bench_stage_set("rate %s %zu B at %.6g/s pair %s trial %llu", im->name,
                                        cfg.msg_size, cfg.rate, pairs[pi].placement,
                                        (unsigned long long)tr);
                        r.stage = bench_stage();
                        e = im->rate(&r, &cfg, &out);
                        if (e != 0) {
                            if (e != -1)
                                fprintf(stderr, "bipbench: %s: %s\n", r.stage, strerror(-e));
                            rc = 1;
                            break;
                        }
                        report_rate_row(s.csv, o, pairs, &row);
                        session_row_done(&s);
                        if (acc)
                            bench_hist_merge(&acc[(mi * o->nrates + ri) * o->nimpls + vi],
                                             out.from_send);
                        if (out.mismatches) {
                            fprintf(stderr, "bipbench: %s: %llu message(s) wrong\n", r.stage,
                                    (unsigned long long)out.mismatches);
                            rc = 1;
                        }
                        done++;
                        {
                            char where[96];
                            progress_eta(where, sizeof where, done, total, bench_now_ns() - start);
                            fprintf(s.summary, "%s ", where);
                        }
                        report_rate_summary(s.summary, &row);
                        fflush(s.summary);
                    }
                }
            }
        }
        for (size_t mi = 0; acc && rc == 0 && mi < o->nmsg; mi++)
            for (size_t ri = 0; rc == 0 && ri < o->nrates; ri++)
                for (size_t vi = 0; rc == 0 && vi < o->nimpls; vi++) {
                    struct bench_hist *a = &acc[(mi * o->nrates + ri) * o->nimpls + vi];
                    if (write_hgrm(o, &pairs[pi], o->impls[vi], o->msg_sizes[mi], o->rates[ri],
                                   a) != 0)
                        rc = 1;
                    bench_hist_reset(a);
                }
        bench_runner_fini(&r);
    }
    free(h);
    free(acc);
    return session_finish(&s, o, t, pairs, rc);
}
