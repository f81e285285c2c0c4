/*
 * cmd_run.c - `bipbench run`: throughput trials, interleaved across entries.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "env.h"
#include "report.h"
#include "summary.h"
#include "runner.h"
#include "signals.h"

/* Progress lines start once a run has taken this long. */
#define PROGRESS_AFTER_NS 2000000000ll

static void progress(const struct row *row, const struct bench_pair *p, const char *where,
                     unsigned trials) {
    if (row->out.per_hop)
        fprintf(stderr, "bipbench: %s %s: trial %u/%u: %.1f ns/hop\n", where, row->im->name,
                row->trial, trials, row_hop_ns(row));
    else
        fprintf(stderr, "bipbench: %s %s msg %zu %s: trial %u/%u: %.2f M sends/s, %.3f GB/s%s\n",
                where, row->im->name, row->msg, p->placement, row->trial, trials,
                row_rate(row) / 1e6, row_gbps(row), row_noisy(row) ? " (noisy)" : "");
}

/*
 * One trial of entry vi (k = 0: the warm-up). Returns 0, or 1 after saying
 * why the run must stop.
 */
static int one_trial(const struct opts *o, struct bench_runner *r, const struct bench_pair *p,
                     size_t mi, size_t vi, unsigned k, struct row *row) {
    const struct bench_impl *im = o->impls[vi];
    struct bench_tput_cfg cfg = {o->workload, o->read,     o->msg_sizes[mi], (size_t)o->queue_size,
                                 o->messages, o->rng_seed, (size_t)o->lag,   (unsigned)o->burst};
    int e;
    if (k == 0)
        cfg.messages = o->run_warmup;
    bench_stage_set("run %s msg %zu pair %s, %s %u/%llu", im->name, cfg.msg_size, p->placement,
                    k ? "trial" : "warm-up", k, (unsigned long long)o->trials);
    r->stage = bench_stage();
    memset(&row->out, 0, sizeof row->out);
    e = im->throughput(r, &cfg, &row->out);
    if (e != 0) {
        if (e != -1)
            fprintf(stderr, "bipbench: %s: %s\n", r->stage, strerror(-e));
        return 1;
    }
    if (row->out.mismatches) {
        fprintf(stderr,
                "bipbench: %s: %llu byte(s) differed from what was sent; the trial is not "
                "reported\n",
                r->stage, (unsigned long long)row->out.mismatches);
        return 1;
    }
    row->im = im;
    row->msg = cfg.msg_size;
    row->trial = k;
    row->counts[0] = r->counts[0];
    row->counts[1] = r->counts[1];
    row->preemptions = r->preemptions;
    row->migrations = r->migrations;
    row->distance_ns[0] = r->distance_ns[0];
    row->distance_ns[1] = r->distance_ns[1];
    return 0;
}

int cmd_run(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs) {
    const unsigned trials = (unsigned)o->trials;
    const size_t slots = o->nplaces * o->nmsg * o->nimpls * trials; /* reported trials */
    const size_t total = slots + o->nplaces * o->nmsg * o->nimpls;  /* and warm-ups */
    struct session s;
    struct row *rows = calloc(slots, sizeof *rows);
    size_t done = 0;
    int rc = 0;
    int64_t start = bench_now_ns();

    if (rows == NULL || session_open(&s, o, report_run_header) != 0) {
        fprintf(stderr, "bipbench: out of memory\n");
        free(rows);
        return 1;
    }

    /*
     * Trials are interleaved: after one warm-up of each entry, round k runs
     * trial k of every entry in turn. On a noisy machine a slow spell then
     * costs every entry a trial alike, instead of all the trials of
     * whichever entries it happened to fall on, and the medians stay
     * comparable. Each row has a slot by (placement, size, entry, trial),
     * so the summary finds an entry's rows together.
     */
    for (size_t pi = 0; pi < o->nplaces && rc == 0; pi++) {
        struct bench_runner r;
        if (bench_runner_init(&r, t, &pairs[pi]) != 0 || bench_runner_bind_self(&r) != 0) {
            rc = 1;
            break;
        }
        r.probe_round_trips = (unsigned)o->probe;
        for (size_t mi = 0; mi < o->nmsg && rc == 0; mi++) {
            for (unsigned k = 0; k <= trials && rc == 0; k++) {
                for (size_t vi = 0; vi < o->nimpls && rc == 0; vi++) {
                    size_t slot = ((pi * o->nmsg + mi) * o->nimpls + vi) * trials;
                    struct row warm, *row = k ? &rows[slot + k - 1] : &warm;
                    if (bench_should_stop()) {
                        rc = bench_stop_status();
                        break;
                    }
                    if (o->wait_idle > 0 && vi == 0 &&
                        env_wait_idle(pairs[pi].pu, 2, o->wait_idle) == 2) {
                        rc = bench_stop_status(); /* a signal during the wait */
                        break;
                    }
                    rc = one_trial(o, &r, &pairs[pi], mi, vi, k, row);
                    done++;
                    if (rc != 0 || k == 0) {
                        row->im = NULL; /* the warm-up, or a failed trial, is not reported */
                        continue;
                    }
                    row->pair = pi;
                    report_run_row(s.csv, o, pairs, row);
                    session_row_done(&s);
                    if (bench_now_ns() - start > PROGRESS_AFTER_NS) {
                        char where[96];
                        progress_eta(where, sizeof where, done, total, bench_now_ns() - start);
                        progress(row, &pairs[pi], where, trials);
                    }
                }
            }
        }
        bench_runner_fini(&r);
    }
    {
        struct run_results res = {rows, slots};
        struct summary_row *sum = calloc(o->nplaces * o->nmsg * o->nimpls, sizeof *sum);
        size_t nsum = sum ? summary_compute(o, &res, sum) : 0;
        summary_print(s.summary, o, pairs, sum, nsum);
        summary_verdict(o, &res, s.verdict, sizeof s.verdict);
        fprintf(stderr, "bipbench: verdict: %s\n", s.verdict);
        s.res = &res;
        s.sum = sum;
        s.nsum = nsum;
        rc = session_finish(&s, o, t, pairs, rc);
        free(sum);
    }
    free(rows);
    return rc;
}
