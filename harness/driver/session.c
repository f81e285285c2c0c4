/*
 * session.c - the outputs of run and latency (commands.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "env.h"
#include "json.h"
#include "report.h"

int session_open(struct session *s, const struct opts *o, void (*header)(FILE *)) {
    memset(s, 0, sizeof *s);
    s->to_stdout = o->csv && strcmp(o->csv, "-") == 0;
    if (o->csv && !s->to_stdout)
        s->csv_file = outfile_open(OUTFILE_CSV, o->csv, "--csv");
    if (o->json)
        s->json_file = outfile_open(OUTFILE_JSON, o->json, "--json");
    if (o->summary_csv)
        s->summary_file = outfile_open(OUTFILE_SUMMARY, o->summary_csv, "--summary-csv");
    s->summary = s->to_stdout ? stderr : stdout;
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
    if (s->to_stdout) {
        fwrite(s->csv_data + s->passed, 1, s->csv_len - s->passed, stdout);
        fflush(stdout);
    }
    s->passed = s->csv_len;
    s->rows++;
}

int session_finish(struct session *s, const struct opts *o, hwloc_topology_t t,
                   const struct bench_pair *pairs, int rc) {
    if (fclose(s->csv) != 0 && rc == 0)
        rc = 1;
    if (s->to_stdout && !report_stdout_ok()) {
        fprintf(stderr, "bipbench: cannot write the CSV to stdout\n");
        if (rc == 0)
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
    if (rc == 130)
        fprintf(stderr, "bipbench: interrupted: %zu row(s) written\n", s->rows);
    return rc;
}
