/*
 * report.c - the CSV columns and rows, the console summaries and the latency
 * histogram files (report.h); the JSON metadata is json.c.
 *
 * The CSV columns are defined once, in RUN_COLUMNS, LAT_COLUMNS and
 * RATE_COLUMNS below:
 * name, meaning and how the field is written. The header, the rows and the
 * column list in --help are all made from them, so they cannot disagree.
 * New columns go at the end: users' scripts find columns by name, and old
 * files must stay readable (docs/DESIGN.md, "Run CSV").
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "noise.h"
#include "outfile.h"

/* ---- fields --------------------------------------------------------------- */

/* An int column that may not apply (-1): an empty field then. */
static void put_int(FILE *f, int v) {
    if (v >= 0)
        fprintf(f, "%d", v);
}

static void put_str(FILE *f, const char *s) {
    if (s)
        fputs(s, f);
}

static const char *kind_name(enum bench_kind k) {
    return k == BENCH_KIND_VARIANT ? "variant" : k == BENCH_KIND_LIMIT ? "limit" : "peer";
}

/* The placement as asked: A,B shows as 'explicit'. */
static const char *placement_of(const struct opts *o, const struct bench_pair *pairs, size_t i) {
    return o->places[i].kind == BENCH_PLACE_EXPLICIT ? "explicit" : pairs[i].placement;
}

double row_rate(const struct row *r) {
    return r->out.elapsed_ns > 0 ? (double)r->out.messages * 1e9 / (double)r->out.elapsed_ns : 0;
}
double row_gbps(const struct row *r) {
    return r->out.elapsed_ns > 0 ? (double)r->out.bytes / (double)r->out.elapsed_ns : 0;
}
long long row_wait_ns(const struct row *r) {
    return bench_wait_max(r->counts[0].wait_ns, r->counts[1].wait_ns);
}
int row_noisy(const struct row *r) {
    return bench_trial_noisy(r->preemptions, r->migrations, row_wait_ns(r), r->out.elapsed_ns) ||
           row_distance_moved(r);
}
double row_distance_ns(const struct row *r) {
    return bench_distance_of(r->distance_ns[0], r->distance_ns[1]);
}
int row_distance_moved(const struct row *r) {
    return bench_distance_moved(r->distance_ns[0], r->distance_ns[1]);
}

/* A distance in ns, or an empty field where none was measured. */
static void put_ns(FILE *f, double v) {
    if (v > 0)
        fprintf(f, "%.1f", v);
}
double row_hop_ns(const struct row *r) {
    return r->out.messages ? (double)r->out.elapsed_ns / (double)r->out.messages : 0;
}

/* ---- run: the columns ------------------------------------------------------- */

/* X(name, meaning, write): `write` writes the field to f from the locals of
 * run_field (o, p, r, im, one, hop). */
#define RUN_COLUMNS(X)                                                                             \
    X(variant, "the entry: a variant, limit-* or peer-*", fputs(im->name, f))                      \
    X(cached, "1 | 0 (empty: not a variant)", put_int(f, im->cached))                              \
    X(pad, "0 | 64 | 128 (empty: not a variant)", put_int(f, im->pad))                             \
    X(order, "seqcst | acqrel (empty: not a variant)", put_str(f, im->order))                      \
    X(workload, "seed | fixed | random (limit-c2c: c2c)",                                          \
      fputs(hop ? "c2c" : bench_workload_names[o->workload], f))                                   \
    X(read, "none | first | last | all (limit-c2c: none)",                                         \
      fputs(hop ? "none" : bench_read_names[o->read], f))                                          \
    X(msg_size, "bytes (random: the largest)", fprintf(f, "%zu", r->msg))                          \
    X(queue_size, "bytes", fprintf(f, "%llu", (unsigned long long)o->queue_size))                  \
    X(messages, "messages of the trial (limit-c2c: one-way hops)",                                 \
      fprintf(f, "%llu", (unsigned long long)r->out.messages))                                     \
    X(trial, "1.. within the entry", fprintf(f, "%u", r->trial))                                   \
    X(producer_pu, "OS index", fprintf(f, "%u", p->pu[0]))                                         \
    X(consumer_pu, "OS index (one-thread: the producer's)", fprintf(f, "%u", p->pu[one ? 0 : 1]))  \
    X(relation, "what the PUs share: smt | l3 | cross-l3 | numa | package | machine | one-thread", \
      fputs(one ? "one-thread" : p->relation, f))                                                  \
    X(elapsed_ns, "the trial, from releasing both threads to the last consume",                    \
      fprintf(f, "%lld", (long long)r->out.elapsed_ns))                                            \
    X(sends_per_sec, "messages (limit-c2c: hops) per second", fprintf(f, "%.1f", row_rate(r)))     \
    X(gb_per_sec, "payload GB (10^9 B) per second; seed messages count all bytes",                 \
      fprintf(f, "%.6f", row_gbps(r)))                                                             \
    X(kind, "variant | limit | peer", fputs(kind_name(im->kind), f))                               \
    X(elapsed_unit, "ns_trial (files before hop_ns: ns_per_hop on limit-c2c rows)",                \
      fputs("ns_trial", f))                                                                        \
    X(bytes, "payload bytes consumed", fprintf(f, "%llu", (unsigned long long)r->out.bytes))       \
    X(seed, "the random workload's generator seed (--rng-seed)",                                   \
      fprintf(f, "%llu", (unsigned long long)o->rng_seed))                                         \
    X(check, "1: every byte verified (--check)", fprintf(f, "%d", o->check))                       \
    X(placement, "as asked (A,B: explicit)", fputs(placement_of(o, pairs, r->pair), f))            \
    X(preemptions,                                                                                 \
      "involuntary context switches of the two threads in the trial (the kernel's\n"               \
      "own threads and the trial's start cause a few; see the wait columns)",                      \
      fprintf(f, "%ld", r->preemptions))                                                           \
    X(lag, "the consumer's lag in bytes (empty: peers and limits, which do not wait so)",          \
      if (im->kind == BENCH_KIND_VARIANT) fprintf(f, "%llu", (unsigned long long)o->lag))          \
    X(hop_ns, "limit-c2c: ns per one-way hop (empty otherwise)",                                   \
      if (hop) fprintf(f, "%.2f", row_hop_ns(r)))                                                  \
    X(migrations,                                                                                  \
      "moves of the two threads to another CPU in the trial, as the kernel\n"                      \
      "counts them (empty: it does not say); bipbench refuses a trial with any",                   \
      if (r->migrations >= 0) fprintf(f, "%ld", r->migrations))                                    \
    X(noisy,                                                                                       \
      "1: the trial shared its CPUs with other work, or its distance probes\n"                     \
      "disagree by more than 1.5x (docs/DESIGN.md, \"Noise\")",                                    \
      fprintf(f, "%d", row_noisy(r)))                                                              \
    X(producer_preemptions,                                                                        \
      "preemptions, migrations of each thread (one-thread: 0 for the\n"                            \
      "consumer)",                                                                                 \
      fprintf(f, "%ld", r->counts[0].preemptions))                                                 \
    X(consumer_preemptions, "", fprintf(f, "%ld", r->counts[1].preemptions))                       \
    X(producer_migrations, "",                                                                     \
      if (r->counts[0].migrations >= 0) fprintf(f, "%ld", r->counts[0].migrations))                \
    X(consumer_migrations, "",                                                                     \
      if (r->counts[1].migrations >= 0) fprintf(f, "%ld", r->counts[1].migrations))                \
    X(burst, "messages per consumer call, at most (--burst)",                                      \
      fprintf(f, "%llu", (unsigned long long)o->burst))                                            \
    X(publish,                                                                                     \
      "bytes the consumer consumes per store of its read index (0: every\n"                        \
      "consume; the -batchK variants; empty: peers and limit-c2c)",                                \
      put_int(f, im->publish))                                                                     \
    X(cldemote,                                                                                    \
      "1: the build demotes finished lines (-DBIPBUF_CLDEMOTE=1) and this CPU\n"                   \
      "executes CLDEMOTE; 0: not both (empty: peers and limit-c2c)",                               \
      if (im->cldemote_active) fprintf(f, "%d", im->cldemote_active()))                            \
    X(producer_wait_ns,                                                                            \
      "ns each thread waited for its CPU while another task ran on it (the\n"                      \
      "kernel's run delay; one-thread: 0 for the consumer; empty: it does not say)",               \
      if (r->counts[0].wait_ns >= 0) fprintf(f, "%lld", r->counts[0].wait_ns))                     \
    X(consumer_wait_ns, "",                                                                        \
      if (r->counts[1].wait_ns >= 0) fprintf(f, "%lld", r->counts[1].wait_ns))                     \
    X(distance_ns,                                                                                 \
      "the one-way core-to-core time of the pair around the trial, ns: the mean\n"                 \
      "of the probes just before and just after it (empty: one-thread, --probe 0)",                \
      put_ns(f, row_distance_ns(r)))                                                               \
    X(distance_before_ns, "each probe: half the median round trip of a one-line ping-pong",        \
      put_ns(f, r->distance_ns[0]))                                                                \
    X(distance_after_ns, "", put_ns(f, r->distance_ns[1]))

#define ENUM_COL(name, about, write) RUN_COL_##name,
enum { RUN_COLUMNS(ENUM_COL) RUN_COL_COUNT };
#undef ENUM_COL

void report_run_field(FILE *f, int col, const struct opts *o, const struct bench_pair *pairs,
                      const struct row *r) {
    const struct bench_impl *im = r->im;
    const struct bench_pair *p = &pairs[r->pair];
    const int one = im->one_thread, hop = r->out.per_hop;
    switch (col) {
#define CASE_COL(name, about, write)                                                               \
    case RUN_COL_##name:                                                                           \
        write;                                                                                     \
        break;
        RUN_COLUMNS(CASE_COL)
#undef CASE_COL
    }
}

/* ---- latency: the columns ------------------------------------------------------ */

/* X(name, meaning, write), from the locals of lat_field (l, p, h, im). */
#define LAT_COLUMNS(X)                                                                             \
    X(variant, "the entry", fputs(im->name, f))                                                    \
    X(cached, "1 | 0 (empty: not a variant)", put_int(f, im->cached))                              \
    X(pad, "0 | 64 | 128 (empty: not a variant)", put_int(f, im->pad))                             \
    X(order, "seqcst | acqrel (empty: not a variant)", put_str(f, im->order))                      \
    X(msg_size, "bytes", fprintf(f, "%zu", l->cfg->msg_size))                                      \
    X(queue_size, "bytes of each buffer", fprintf(f, "%zu", l->cfg->queue_size))                   \
    X(producer_pu, "the pinging side's PU", fprintf(f, "%u", p->pu[0]))                            \
    X(consumer_pu, "the echoing side's PU", fprintf(f, "%u", p->pu[1]))                            \
    X(relation, "what the PUs share", fputs(p->relation, f))                                       \
    X(p50_ns,                                                                                      \
      "percentiles of the round trip, ns: a log-bucket histogram with 2\n"                         \
      "significant digits (a bucket's highest value)",                                             \
      fprintf(f, "%llu", (unsigned long long)bench_hist_percentile(h, 50)))                        \
    X(p90_ns, "", fprintf(f, "%llu", (unsigned long long)bench_hist_percentile(h, 90)))            \
    X(p99_ns, "", fprintf(f, "%llu", (unsigned long long)bench_hist_percentile(h, 99)))            \
    X(p999_ns, "", fprintf(f, "%llu", (unsigned long long)bench_hist_percentile(h, 99.9)))         \
    X(max_ns, "exact", fprintf(f, "%llu", (unsigned long long)h->max))                             \
    X(samples, "round trips recorded", fprintf(f, "%llu", (unsigned long long)h->count))           \
    X(min_ns, "exact", fprintf(f, "%llu", (unsigned long long)h->min))                             \
    X(mean_ns, "exact", fprintf(f, "%.1f", h->count ? h->sum / (double)h->count : 0.0))            \
    X(kind, "variant | limit | peer", fputs(kind_name(im->kind), f))                               \
    X(placement, "as asked (A,B: explicit)", fputs(placement_of(o, pairs, l->pair), f))

#define ENUM_COL(name, about, write) LAT_COL_##name,
enum { LAT_COLUMNS(ENUM_COL) LAT_COL_COUNT };
#undef ENUM_COL

static void lat_field(FILE *f, int col, const struct opts *o, const struct bench_pair *pairs,
                      const struct lat_result *l) {
    const struct bench_impl *im = l->im;
    const struct bench_pair *p = &pairs[l->pair];
    const struct bench_hist *h = l->h;
    switch (col) {
#define CASE_COL(name, about, write)                                                               \
    case LAT_COL_##name:                                                                           \
        write;                                                                                     \
        break;
        LAT_COLUMNS(CASE_COL)
#undef CASE_COL
    }
}

/* ---- the tables as data --------------------------------------------------------- */

/* A CSV table's columns, as data: the header and --help's list are made
 * from them. */
struct report_column {
    const char *name, *about; /* about "": explained with the column before */
};
#define COL_ENTRY(name, about, write) {#name, about},
static const struct report_column run_columns[RUN_COL_COUNT] = {RUN_COLUMNS(COL_ENTRY)};
static const struct report_column lat_columns[LAT_COL_COUNT] = {LAT_COLUMNS(COL_ENTRY)};
#undef COL_ENTRY

static void report_columns_header(FILE *f, const struct report_column *cols, int n) {
    for (int i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : "", cols[i].name);
    fputc('\n', f);
}
#define header report_columns_header

int report_run_columns(void) {
    return RUN_COL_COUNT;
}

const char *report_run_column_name(int col) {
    return run_columns[col].name;
}

void report_run_header(FILE *f) {
    header(f, run_columns, RUN_COL_COUNT);
}

void report_lat_header(FILE *f) {
    header(f, lat_columns, LAT_COL_COUNT);
}

void report_run_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                    const struct row *r) {
    for (int c = 0; c < RUN_COL_COUNT; c++) {
        if (c)
            fputc(',', f);
        report_run_field(f, c, o, pairs, r);
    }
    fputc('\n', f);
}

void report_lat_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                    const struct lat_result *l) {
    for (int c = 0; c < LAT_COL_COUNT; c++) {
        if (c)
            fputc(',', f);
        lat_field(f, c, o, pairs, l);
    }
    fputc('\n', f);
}

static void report_columns_help(FILE *f, const struct report_column *cols, int n, const char *per) {
    fprintf(f, "  CSV columns, in this order (a header row, then one row per %s):\n    ", per);
    header(f, cols, n);
    for (int i = 0; i < n; i++) {
        if (!cols[i].about[0])
            continue; /* explained with the column before it */
        fprintf(f, "    %-14s ", cols[i].name);
        for (const char *s = cols[i].about; *s; s++) {
            fputc(*s, f);
            if (*s == '\n')
                fprintf(f, "    %-14s ", "");
        }
        fputc('\n', f);
    }
}

static void report_rate_print_columns(FILE *f);

void report_print_columns(FILE *f, int cmd) {
    if (cmd == CMD_RUN)
        report_columns_help(f, run_columns, RUN_COL_COUNT, "trial");
    else if (cmd == CMD_LATENCY)
        report_columns_help(f, lat_columns, LAT_COL_COUNT, "entry and pair");
    else if (cmd == CMD_RATE)
        report_rate_print_columns(f);
}

/* ---- rate: the columns ----------------------------------------------------------- */

/* The schedule is kept when at least this share of the rate is achieved. */
#define RATE_KEPT 0.95

static double achieved(const struct rate_result *r) {
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

static const char *wake_of(const struct rate_result *r) {
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
                       const struct rate_result *r) {
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
    header(f, rate_columns, RATE_COL_COUNT);
}

static void report_rate_print_columns(FILE *f) {
    report_columns_help(f, rate_columns, RATE_COL_COUNT, "trial");
}

void report_rate_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                     const struct rate_result *r) {
    for (int c = 0; c < RATE_COL_COUNT; c++) {
        if (c)
            fputc(',', f);
        rate_field(f, c, o, pairs, r);
    }
    fputc('\n', f);
}

void report_rate_summary_header(FILE *f) {
    fprintf(f, "%-28s %5s %9s %9s %8s %8s %9s %9s %7s %7s %9s\n", "entry", "bytes", "rate/s",
            "achieved", "p50", "p99", "p99.9", "due p99", "prod%", "cons%", "queue/msg");
    fprintf(f, "%-28s %5s %9s %9s %8s %8s %9s %9s %7s %7s %9s\n", "", "", "", "",
            "(ns from the send)", "", "", "", "(core)", "", "(cpu ns)");
}

void report_rate_summary(FILE *f, const struct rate_result *r) {
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

/* ---- the latency histogram, as HdrHistogram writes it ---- */

void report_hgrm(FILE *f, const struct bench_hist *h) {
    uint64_t seen = 0;
    double mean = h->count ? h->sum / (double)h->count : 0, var = 0;
    unsigned used = 0;
    /* The standard deviation from the buckets (their tops): the histogram
     * keeps no sum of squares; 2 significant digits, like every value here. */
    for (unsigned i = 0; i < BENCH_HIST_BUCKETS; i++) {
        if (h->bucket[i]) {
            double d = (double)bench_hist_top(i) - mean;
            var += d * d * (double)h->bucket[i];
            used++;
        }
    }
    fprintf(f, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    /* One row per non-empty bucket: its top (never above the maximum), the
     * fraction of samples at or below it, and their count. */
    for (unsigned i = 0; i < BENCH_HIST_BUCKETS && h->count; i++) {
        uint64_t top;
        double p;
        if (h->bucket[i] == 0)
            continue;
        seen += h->bucket[i];
        top = bench_hist_top(i) < h->max ? bench_hist_top(i) : h->max;
        p = (double)seen / (double)h->count;
        if (seen < h->count)
            fprintf(f, "%12.3f %2.12f %10llu %14.2f\n", (double)top, p, (unsigned long long)seen,
                    1 / (1 - p));
        else
            fprintf(f, "%12.3f %2.12f %10llu\n", (double)top, p, (unsigned long long)seen);
    }
    fprintf(f, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", mean,
            h->count ? sqrt(var / (double)h->count) : 0);
    fprintf(f, "#[Max     = %12.3f, Total count    = %12llu]\n", (double)h->max,
            (unsigned long long)h->count);
    fprintf(f, "#[Buckets = %12u, SubBuckets     = %12u]\n", used, BENCH_HIST_SUB);
}

/* The histogram, as report_hgrm writes it, to path (written whole). */
int report_hgrm_file(const char *path, const struct bench_hist *h) {
    char *buf = NULL;
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
    rc = outfile_write_whole(path, buf, len);
    free(buf);
    return rc;
}

/* ---- latency summary ---- */

static void pair_label(char *out, size_t len, const struct bench_pair *p) {
    snprintf(out, len, "%s (%u,%u)", p->placement, p->pu[0], p->pu[1]);
}

void report_lat_summary_header(FILE *f) {
    fprintf(f, "%-24s %-12s %8s %8s %8s %8s %10s  (round trip, ns)\n", "variant", "pair (PUs)",
            "p50", "p90", "p99", "p99.9", "max");
}

void report_lat_summary(FILE *f, const struct bench_pair *pairs, const struct lat_result *l) {
    const struct bench_hist *h = l->h;
    char pl[48];
    pair_label(pl, sizeof pl, &pairs[l->pair]);
    fprintf(f, "%-24s %-12s %8llu %8llu %8llu %8llu %10llu\n", l->im->name, pl,
            (unsigned long long)bench_hist_percentile(h, 50),
            (unsigned long long)bench_hist_percentile(h, 90),
            (unsigned long long)bench_hist_percentile(h, 99),
            (unsigned long long)bench_hist_percentile(h, 99.9), (unsigned long long)h->max);
}

int report_stdout_ok(void) {
    return fflush(stdout) == 0 && !ferror(stdout);
}
