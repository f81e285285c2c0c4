/*
 * report.h - what bipbench writes: the CSV rows (their columns defined once,
 * here and in report.c, with the header and --help made from the same
 * table), the console summary, and the JSON metadata document.
 */
#ifndef BIPBENCH_REPORT_H
#define BIPBENCH_REPORT_H

#include <hwloc.h>
#include <stdio.h>

#include "bench.h"
#include "runner.h"
#include "options.h"
#include "topo.h"

struct bench_hist;

/* One reported throughput trial. */
struct row {
    const struct bench_impl *im; /* NULL: a slot an interrupted run did not fill */
    size_t msg;
    size_t pair; /* index into the run's pairs */
    unsigned trial;
    struct bench_thread_counts counts[2]; /* producer, consumer */
    long preemptions, migrations;         /* both threads; migrations -1: unknown */
    double distance_ns[2];                /* the probes before and after; -1: none */
    struct bench_tput_out out;
};

/* One latency result: an entry's histogram on a pair. */
struct lat_result {
    const struct bench_impl *im;
    const struct bench_lat_cfg *cfg;
    size_t pair;
    const struct bench_hist *h;
};

double row_rate(const struct row *r);        /* messages (limit-c2c: hops) per second */
double row_gbps(const struct row *r);        /* payload GB (10^9 B) per second */
double row_hop_ns(const struct row *r);      /* limit-c2c: ns per one-way hop */
long long row_wait_ns(const struct row *r);  /* the longer wait of the two threads; -1 unknown */
int row_noisy(const struct row *r);          /* noise.h's rule */
double row_distance_ns(const struct row *r); /* the trial's one-way distance; -1: no probe */
int row_distance_moved(const struct row *r); /* its probes disagree (noise.h, rule 4) */

/* The CSV columns of `cmd` (run, latency) as --help lists them; nothing for
 * the other commands. */
void report_print_columns(FILE *f, int cmd);

void report_run_header(FILE *f);
/* The run columns one by one (the JSON's per-trial results use them). */
int report_run_columns(void);
const char *report_run_column_name(int col);
void report_run_field(FILE *f, int col, const struct opts *o, const struct bench_pair *pairs,
                      const struct row *r);
void report_run_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                    const struct row *r);
void report_lat_header(FILE *f);
void report_lat_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                    const struct lat_result *l);

/* One rate trial's result: an entry's trial at one size and rate, on a pair. */
struct rate_result {
    const struct bench_impl *im;
    const struct bench_rate_cfg *cfg;
    const struct bench_rate_out *out;
    size_t pair;
    uint64_t trial;
};
void report_rate_header(FILE *f);
void report_rate_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                     const struct rate_result *r);
void report_rate_summary_header(FILE *f);
void report_rate_summary(FILE *f, const struct rate_result *r);

/* A latency histogram in HdrHistogram's percentile-distribution text
 * format (.hgrm), values in ns, which its plotters read. */
void report_hgrm(FILE *f, const struct bench_hist *h);
/* The same to a file, written whole (outfile_write_whole); 0 or -1. */
int report_hgrm_file(const char *path, const struct bench_hist *h);

void report_lat_summary_header(FILE *f);
void report_lat_summary(FILE *f, const struct bench_pair *pairs, const struct lat_result *l);

/* Everything written to stdout so far reached it (a full or closed stdout
 * is an error, exit 1). */
int report_stdout_ok(void);

#endif
