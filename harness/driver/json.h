/*
 * json.h - the JSON document of run and latency (json.c).
 */
#ifndef BIPBENCH_JSON_H
#define BIPBENCH_JSON_H

#include <hwloc.h>
#include <stddef.h>

#include "options.h"
#include "summary.h"
#include "topo.h"

struct json_doc {
    const struct opts *o;
    hwloc_topology_t t;
    const struct bench_pair *pairs;
    int rc;      /* the run's status so far: 0, 1, 128 + signal */
    size_t rows; /* CSV rows written */
    /* run only (NULL for latency): */
    const struct run_results *res;
    const struct summary_row *sum;
    size_t nsum;
    const char *verdict;
};

/* The document (malloc'd), or NULL when out of memory. */
char *report_json(const struct json_doc *d, size_t *len);

#endif
