/*
 * env.h - is this machine fit to measure on? `bipbench env`, also run at the
 * start of run, latency and soak and recorded in their JSON: load, other
 * threads on the chosen PUs, frequency governor, turbo, SMT, hypervisor,
 * isolation, transparent huge pages, the CPU and the kernel. Each check is
 * OK or WARN, with the reason and the fix.
 *
 * The files are read under BIPBENCH_PROC and BIPBENCH_SYS when set (tests
 * point them at a fake tree), else /proc and /sys.
 */
#ifndef BIPBENCH_ENV_H
#define BIPBENCH_ENV_H

#include <hwloc.h>
#include <stddef.h>
#include <stdio.h>

#define ENV_MAX_CHECKS 16

struct env_check {
    const char *name; /* "load", "governor", ... */
    int warn;         /* 0: OK */
    char value[160];  /* what was found */
    char why[200];    /* WARN: why it matters */
    char fix[200];    /* WARN: what to do */
};

struct env_report {
    struct env_check checks[ENV_MAX_CHECKS];
    size_t n;
    int warnings;
};

/* Run every check for the PUs pus[0..npus) (OS indexes). */
void env_collect(struct env_report *e, hwloc_topology_t t, const unsigned *pus, size_t npus);

/* One line per check; with only_warnings, the WARN lines alone, prefixed
 * "bipbench: env: ". */
void env_print(FILE *f, const struct env_report *e, int only_warnings);

/* The names of the checks that warned, comma-separated ("" if none). */
void env_warned(const struct env_report *e, char *out, size_t len);

/*
 * Wait until the PUs are quiet (each less than ENV_QUIET_BUSY busy over a
 * 200 ms window, from /proc/stat), at most max_s seconds. Returns 1 if they
 * were quiet, 0 if the time ran out (said on stderr), -1 if /proc/stat
 * cannot be read, 2 if a signal asked the run to stop (bench_should_stop):
 * the wait checks for that every ENV_WAIT_SLICE_NS.
 */
#define ENV_QUIET_BUSY    0.05
#define ENV_WAIT_SLICE_NS 20000000L
int env_wait_idle(const unsigned *pus, size_t npus, double max_s);

#endif
