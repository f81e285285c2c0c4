/*
 * commands.h - bipbench's commands (one file each) and what run and latency
 * share: their output files and how a run ends.
 */
#ifndef BIPBENCH_COMMANDS_H
#define BIPBENCH_COMMANDS_H

#include <hwloc.h>
#include <stdint.h>
#include <stdio.h>

#include "options.h"
#include "outfile.h"
#include "summary.h"
#include "topo.h"

int cmd_list(const struct opts *o);                     /* cmd_info.c */
int cmd_topo(const struct opts *o, hwloc_topology_t t); /* cmd_info.c */
int cmd_run(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs);
int cmd_latency(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs);
int cmd_soak(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs);
int cmd_rate(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs);

/*
 * The outputs of a run or latency command: the CSV, built in memory and
 * written whole at the end (or to stdout as rows come, with --csv -), the
 * JSON, and where the console summary goes (stderr when the CSV takes
 * stdout).
 */
struct session {
    struct outfile *csv_file, *json_file, *summary_file;
    int to_stdout;
    FILE *summary;
    FILE *csv;      /* the in-memory CSV */
    char *csv_data; /* its buffer */
    size_t csv_len;
    size_t passed;     /* bytes of it already passed on to stdout */
    int stdout_failed; /* --csv -: stdout refused a row */
    size_t rows;
    /* run only: what the JSON and the summary CSV report besides the rows */
    const struct run_results *res;
    const struct summary_row *sum;
    size_t nsum;
    char verdict[400];
};

/* Open the outputs and write the CSV header (from report.c's table). */
int session_open(struct session *s, const struct opts *o, void (*header)(FILE *));

/* After a row was written to s->csv: pass it on to stdout with --csv -,
 * and count it. */
void session_row_done(struct session *s);

/* "[12/80, ETA 3m05s]": done of total, and the time left at the pace so
 * far. Progress lines start with it. */
void progress_eta(char *out, size_t len, size_t done, size_t total, int64_t elapsed_ns);

/* Write the files; returns the run's exit status from rc (0, 1, or 128 +
 * the signal that stopped it). */
int session_finish(struct session *s, const struct opts *o, hwloc_topology_t t,
                   const struct bench_pair *pairs, int rc);

#endif
