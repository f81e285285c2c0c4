/*
 * session.c - the outputs of run and latency (commands.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "env.h"
#include "json.h"
#include "report.h"
#include "runner.h"

int session_open(struct session *s, const struct opts *o, void (*header)(FILE *)) {
    static const char *const flags[OUTFILE_SLOTS] = {"--csv", "--json", "--summary-csv", ""};
    const char *paths[OUTFILE_SLOTS] = {o->csv, o->json, o->summary_csv, NULL};
    struct outfile *f[OUTFILE_SLOTS] = {NULL, NULL, NULL, NULL};
    memset(s, 0, sizeof *s);
    s->to_stdout = o->csv && strcmp(o->csv, "-") == 0;
    /* Every output is looked at before the first trial; "--csv -" streams
     * its rows, the others are written at the end. */
    for (int i = 0; i < OUTFILE_SLOTS; i++) {
        if (paths[i] == NULL)
            continue;
        f[i] = outfile_open((enum outfile_slot)i, paths[i], flags[i]);
        for (int j = 0; j < i; j++)
            if (f[j] && outfile_same(f[i], f[j]))
                usage_error(flags[i], "names the same file as %s: one would be lost", flags[j]);
    }
    s->csv_file = f[OUTFILE_CSV];
    s->json_file = f[OUTFILE_JSON];
    s->summary_file = f[OUTFILE_SUMMARY];
    if (s->to_stdout)
        s->csv_file = NULL;
    /* The summary keeps out of the way of anything written to stdout. */
    s->summary = stdout;
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        if (s->to_stdout || (f[i] && outfile_fd(f[i]) == STDOUT_FILENO))
            s->summary = stderr;
    s->csv = open_memstream(&s->csv_data, &s->csv_len);
    if (s->csv == NULL) {
        fprintf(stderr, "bipbench: out of memory\n");
        return -1;
    }
    if (o->env)
        env_print(stderr, o->env, 1);
    header(s->csv);
    session_row_done(s);
    s->rows = 0; /* the header is no row */
    return 0;
}

void session_row_done(struct session *s) {
    fflush(s->csv);
    if (s->to_stdout && !s->stdout_failed) {
        size_t n = s->csv_len - s->passed;
        if (fwrite(s->csv_data + s->passed, 1, n, stdout) != n || fflush(stdout) != 0) {
            /* Nobody reads the rows any more (a closed pipe, a full disk):
             * stop measuring, but still write the other files. */
            fprintf(stderr, "bipbench: cannot write the CSV to stdout: %s; stopping\n",
                    strerror(errno));
            s->stdout_failed = 1;
            if (!bench_stop_flag)
                bench_stop_flag = -1;
        }
    }
    s->passed = s->csv_len;
    s->rows++;
}

int session_finish(struct session *s, const struct opts *o, hwloc_topology_t t,
                   const struct bench_pair *pairs, int rc) {
    if (fclose(s->csv) != 0 && rc == 0)
        rc = 1;
    if (s->stdout_failed)
        rc = 1; /* not an interruption: an error */
    else if (!report_stdout_ok()) {
        fprintf(stderr, "bipbench: cannot write to stdout: %s\n", strerror(errno));
        if (rc == 0 || rc >= 128)
            rc = 1;
    }
    if (s->csv_file && outfile_commit(s->csv_file, s->csv_data, s->csv_len) != 0 && rc == 0)
        rc = 1;
    if (s->summary_file) {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        if (m)
            summary_csv(m, o, pairs, s->sum, s->nsum);
        if (m == NULL || fclose(m) != 0 || outfile_commit(s->summary_file, buf, len) != 0) {
            if (rc == 0)
                rc = 1;
        }
        free(buf);
    }
    if (s->json_file) {
        size_t len = 0;
        struct json_doc d = {
            o, t, pairs, rc, s->rows, s->res, s->sum, s->nsum, s->res ? s->verdict : NULL};
        char *doc = report_json(&d, &len);
        if (doc == NULL || outfile_commit(s->json_file, doc, len) != 0) {
            if (rc == 0)
                rc = 1;
        }
        free(doc);
    }
    free(s->csv_data);
    s->csv_data = NULL;
    if (rc >= 128)
        fprintf(stderr, "bipbench: interrupted: %zu row(s) written\n", s->rows);
    return rc;
}

/* "[12/80, ETA 3m05s]": from the time per trial so far, warm-ups included. */
void progress_eta(char *out, size_t len, size_t done, size_t total, int64_t elapsed_ns) {
    double left = done ? (double)elapsed_ns / 1e9 / (double)done * (double)(total - done) : 0;
    long s = (long)(left + 0.5);
    if (s >= 3600)
        snprintf(out, len, "[%zu/%zu, ETA %ldh%02ldm]", done, total, s / 3600, s / 60 % 60);
    else
        snprintf(out, len, "[%zu/%zu, ETA %ldm%02lds]", done, total, s / 60, s % 60);
}
