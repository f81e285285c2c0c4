/*
 * cmd_rate.c - `bipbench rate`: an offered load, open loop (harness/rate.h):
 * one CSV row per trial of each (entry, message size, rate), with the
 * latency percentiles from the due time and from the send, the producer's
 * lateness and each thread's CPU time; interleaved as run's rounds are.
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

/* The schedule is kept when at least this share of the rate is achieved. */
#define RATE_KEPT 0.95

struct rate_row {
    const struct bench_impl *im;
    const struct bench_rate_cfg *cfg;
    const struct bench_rate_out *out;
    size_t pair;
    uint64_t trial;
};

static double achieved(const struct rate_row *r) {
    /* The schedule as it went: message i is due at t0 + (i+1)/rate, so on
     * time the last of n is sent at t0 + n/rate. */
    double span = (double)r->out->last_send_ns;
    return span > 0 ? (double)r->out->messages * 1e9 / span : 0;
}

static double share(int64_t cpu, int64_t elapsed) {
    return elapsed > 0 ? (double)cpu / (double)elapsed : 0;
}

static double queue_cpu(const struct bench_rate_out *out) {
    return out->messages ? (double)(out->cpu_ns[1] + out->send_ns) / (double)out->messages : 0;
}

static void put_pct(FILE *f, const struct bench_hist *h, double p) {
    fprintf(f, "%llu", (unsigned long long)bench_hist_percentile(h, p));
}

static void put_known(FILE *f, int64_t v) {
    if (v >= 0)
        fprintf(f, "%lld", (long long)v);
}

static const char *wake_of(const struct rate_row *r) {
    return r->out->wake ? r->out->wake : r->im->wake ? r->im->wake : "";
}

/* X(name, meaning, write), from the locals of rate_field (r, p, o, out). */
#define RATE_COLUMNS(X)                                                                            \
    X(variant, "the entry", fputs(r->im->name, f))                                                 \
    X(kind, "variant | limit | peer",                                                              \
      fputs(r->im->kind == BENCH_KIND_VARIANT ? "variant"                                          \
            : r->im->kind == BENCH_KIND_LIMIT ? "limit"                                            \
                                              : "peer",                                            \
            f))                                                                                    \
    X(wake,                                                                                        \
      "how its waits sleep: spin (never) | fence | asym | eventfd | futex | pipe |\n"              \
      "condvar | semaphore; an asym variant whose kernel refused membarrier says fence",           \
      fputs(wake_of(r), f))                                                                        \
    X(msg_size, "bytes", fprintf(f, "%zu", r->cfg->msg_size))                                      \
    X(queue_size, "bytes", fprintf(f, "%zu", r->cfg->queue_size))                                  \
    X(producer_pu, "OS index", fprintf(f, "%u", p->pu[0]))                                         \
    X(consumer_pu, "OS index", fprintf(f, "%u", p->pu[1]))                                         \
    X(relation, "what the PUs share", fputs(p->relation, f))                                       \
    X(placement, "as asked (A,B: explicit)",                                                       \
      fputs(o->places[r->pair].kind == BENCH_PLACE_EXPLICIT ? "explicit" : p->placement, f))       \
    X(pace, "sleep | spin: how the producer waited for due times",                                 \
      fputs(r->cfg->pace == BENCH_PACE_SLEEP ? "sleep" : "spin", f))                               \
    X(spin_ns, "--spin-ns (empty: the library's default)", put_known(f, r->cfg->spin_ns))          \
    X(trial, "1..--trials", fprintf(f, "%llu", (unsigned long long)r->trial))                      \
    X(rate, "messages per second offered", fprintf(f, "%.6g", r->cfg->rate))                       \
    X(achieved, "messages per second the producer sent: messages / (last send - t0)",              \
      fprintf(f, "%.6g", achieved(r)))                                                             \
    X(kept,                                                                                        \
      "1 if achieved >= 95% of rate (else the machine or the queue could not\n"                    \
      "keep the schedule, and latency from the due time includes the backlog)",                    \
      fputs(achieved(r) >= RATE_KEPT * r->cfg->rate ? "1" : "0", f))                               \
    X(messages, "messages received", fprintf(f, "%llu", (unsigned long long)out->messages))        \
    X(send_p50_ns,                                                                                 \
      "latency from the send (the producer's clock read before it reserved) to\n"                  \
      "the consumer holding the message, ns: percentiles of a log-bucket\n"                        \
      "histogram (2 significant digits)",                                                          \
      put_pct(f, out->from_send, 50))                                                              \
    X(send_p99_ns, "", put_pct(f, out->from_send, 99))                                             \
    X(send_p999_ns, "", put_pct(f, out->from_send, 99.9))                                          \
    X(send_max_ns, "exact", fprintf(f, "%llu", (unsigned long long)out->from_send->max))           \
    X(due_p50_ns, "latency from the due time: what the application sees (lateness included)",      \
      put_pct(f, out->from_due, 50))                                                               \
    X(due_p99_ns, "", put_pct(f, out->from_due, 99))                                               \
    X(due_p999_ns, "", put_pct(f, out->from_due, 99.9))                                            \
    X(due_max_ns, "exact", fprintf(f, "%llu", (unsigned long long)out->from_due->max))             \
    X(late_p50_ns, "the producer's lateness, send - due", put_pct(f, out->late, 50))               \
    X(late_p99_ns, "", put_pct(f, out->late, 99))                                                  \
    X(late_max_ns, "exact", fprintf(f, "%llu", (unsigned long long)out->late->max))                \
    X(elapsed_ns, "t0 to the consumer holding the last message",                                   \
      fprintf(f, "%lld", (long long)out->elapsed_ns))                                              \
    X(producer_cpu_ns, "CPU time the kernel charged each thread over its loop",                    \
      fprintf(f, "%lld", (long long)out->cpu_ns[0]))                                               \
    X(consumer_cpu_ns, "", fprintf(f, "%lld", (long long)out->cpu_ns[1]))                          \
    X(producer_cpu_share, "CPU time / elapsed_ns: the share of a core",                            \
      fprintf(f, "%.6f", share(out->cpu_ns[0], out->elapsed_ns)))                                  \
    X(consumer_cpu_share, "", fprintf(f, "%.6f", share(out->cpu_ns[1], out->elapsed_ns)))          \
    X(cpu_per_msg_ns, "both threads' CPU time / messages",                                         \
      fprintf(f, "%.1f",                                                                           \
              out->messages ? (double)(out->cpu_ns[0] + out->cpu_ns[1]) / (double)out->messages    \
                            : 0.0))                                                                \
    X(send_ns, "the producer's mean time inside a send (wall clock): the queue's cost to it",      \
      fprintf(f, "%.1f", out->messages ? (double)out->send_ns / (double)out->messages : 0.0))      \
    X(queue_cpu_per_msg_ns,                                                                        \
      "(consumer CPU time + the producer's time in its sends) / messages: what the\n"              \
      "queue costs a message, without the producer's pacing, which is the same for\n"              \
      "every entry",                                                                               \
      fprintf(f, "%.1f", queue_cpu(out)))                                                          \
    X(consumer_sleeps, "times the consumer slept in the kernel (empty: not counted)",              \
      put_known(f, out->sleeps))                                                                   \
    X(producer_wakes, "wake-up calls the producer made (empty: not counted)",                      \
      put_known(f, out->wakes))                                                                    \
    X(mismatches, "messages with a wrong stamp or count byte (any fails the run)",                 \
      fprintf(f, "%llu", (unsigned long long)out->mismatches))

#define ENUM_COL(name, about, write) RATE_COL_##name,
enum { RATE_COLUMNS(ENUM_COL) RATE_COL_COUNT };
#undef ENUM_COL

static void rate_field(FILE *f, int col, const struct opts *o, const struct bench_pair *pairs,
                       const struct rate_row *r) {
    const struct bench_pair *p = &pairs[r->pair];
    const struct bench_rate_out *out = r->out;
    switch (col) {
#define CASE_COL(name, about, write)                                                               \
    case RATE_COL_##name:                                                                          \
        write;                                                                                     \
        break;
        RATE_COLUMNS(CASE_COL)
#undef CASE_COL
    }
}

static const struct report_column rate_columns[RATE_COL_COUNT] = {
#define COL_ENTRY(name, about, write) {#name, about},
    RATE_COLUMNS(COL_ENTRY)
#undef COL_ENTRY
};

void report_rate_header(FILE *f) {
    report_columns_header(f, rate_columns, RATE_COL_COUNT);
}

void report_rate_print_columns(FILE *f) {
    report_columns_help(f, rate_columns, RATE_COL_COUNT, "trial");
}

static void rate_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                     const struct rate_row *r) {
    for (int c = 0; c < RATE_COL_COUNT; c++) {
        if (c)
            fputc(',', f);
        rate_field(f, c, o, pairs, r);
    }
    fputc('\n', f);
}

static void summary_header(FILE *f) {
    fprintf(f, "%-28s %5s %9s %9s %8s %8s %9s %9s %7s %7s %9s\n", "entry", "bytes", "rate/s",
            "achieved", "p50", "p99", "p99.9", "due p99", "prod%", "cons%", "queue/msg");
    fprintf(f, "%-28s %5s %9s %9s %8s %8s %9s %9s %7s %7s %9s\n", "", "", "", "",
            "(ns from the send)", "", "", "", "(core)", "", "(cpu ns)");
}

static void summary_line(FILE *f, const struct rate_row *r) {
    const struct bench_rate_out *out = r->out;
    fprintf(f, "%-28s %5zu %9.4g %9.4g %8llu %8llu %9llu %9llu %6.2f%% %6.2f%% %9.0f%s\n",
            r->im->name, r->cfg->msg_size, r->cfg->rate, achieved(r),
            (unsigned long long)bench_hist_percentile(out->from_send, 50),
            (unsigned long long)bench_hist_percentile(out->from_send, 99),
            (unsigned long long)bench_hist_percentile(out->from_send, 99.9),
            (unsigned long long)bench_hist_percentile(out->from_due, 99),
            100 * share(out->cpu_ns[0], out->elapsed_ns),
            100 * share(out->cpu_ns[1], out->elapsed_ns), queue_cpu(out),
            achieved(r) >= RATE_KEPT * r->cfg->rate ? "" : "  (schedule not kept)");
}

static void hist_add(struct bench_hist *to, const struct bench_hist *from) {
    for (unsigned i = 0; i < BENCH_HIST_BUCKETS; i++)
        to->bucket[i] += from->bucket[i];
    to->count += from->count;
    to->sum += from->sum;
    if (from->min < to->min)
        to->min = from->min;
    if (from->max > to->max)
        to->max = from->max;
}

/* DIR/ENTRY.PLACEMENT.SIZE.RATE.hgrm, written whole. */
static int write_hgrm(const struct opts *o, const struct bench_pair *p, const struct bench_impl *im,
                      size_t msg, double rate, const struct bench_hist *h) {
    char path[4096], *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int rc;
    if (m == NULL)
        return -1;
    report_hgrm(m, h);
    if (fclose(m) != 0) {
        free(buf);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s.%s.%zu.%.6g.hgrm", o->hgrm_dir, im->name, p->placement, msg,
             rate);
    rc = outfile_write_whole(path, buf, len);
    free(buf);
    return rc;
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
    summary_header(s.summary);
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
                        struct rate_row row = {im, &cfg, &out, pi, tr};
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
                        rate_row(s.csv, o, pairs, &row);
                        session_row_done(&s);
                        if (acc)
                            hist_add(&acc[(mi * o->nrates + ri) * o->nimpls + vi], out.from_send);
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
                        summary_line(s.summary, &row);
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
