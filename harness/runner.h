/*
 * runner.h - the driver's side of struct bench_runner: a pair of PUs that
 * bench_run_pair (bench.h) binds its two threads to. bipbench and
 * bipbench_micro both bind and check their threads here.
 */
#ifndef BENCH_RUNNER_H
#define BENCH_RUNNER_H

#include <hwloc.h>
#include <signal.h>

#include "topo.h"

/* What the kernel counted of one thread during a trial. */
struct bench_thread_counts {
    long preemptions;  /* involuntary context switches: another task took the CPU */
    long migrations;   /* moves to another CPU; -1: the kernel does not say */
    long long wait_ns; /* time runnable but waiting for the CPU while another task ran on it
                        * (/proc/thread-self/schedstat's run delay); -1: the kernel does not say */
};

struct bench_runner {
    hwloc_topology_t topo;
    unsigned pu[2];        /* OS indexes: producer, consumer */
    hwloc_bitmap_t set[2]; /* the same, as cpusets */
    const char *stage;     /* what is running, for error messages */
    /* Of the latest bench_run_pair, producer and consumer (one-thread runs:
     * the consumer's are 0), and their sums (migrations -1 where unknown).
     * Preemptions mean another task took a CPU mid-trial; a migration fails
     * the trial. */
    struct bench_thread_counts counts[2];
    long preemptions, migrations;
    /* The distance probe (docs/DESIGN.md, "The distance probe"): round
     * trips of a one-line ping-pong between the two threads just before
     * the trial starts and just after it ends (0, as bench_runner_init
     * leaves it: no probe); set by the driver. Of the latest bench_run_pair: the one-way time of
     * each probe in ns, before and after; -1 where none ran (one-thread runs, no probe, a side that
     * failed). */
    unsigned probe_round_trips;
    double distance_ns[2];
};

int bench_runner_init(struct bench_runner *r, hwloc_topology_t t, const struct bench_pair *p);
void bench_runner_fini(struct bench_runner *r);

/* Bind the calling thread to the producer's PU (so buffers it allocates are
 * first touched there). Returns 0 or -1 after printing why. */
int bench_runner_bind_self(struct bench_runner *r);

/*
 * For threads that are not bench_run_pair's own (bipbench_micro's): bind the
 * calling thread to the PU of `role` (0 producer, 1 consumer) and check that
 * it runs there; and check, after a trial, that it has run nowhere else
 * (hwloc's last location of the thread; `when` goes into the message).
 * Each returns 0, or -1 with the reason in why[].
 */
int bench_runner_bind_role(struct bench_runner *r, int role, char *why, size_t len);
int bench_runner_check_role(struct bench_runner *r, int role, const char *when, char *why,
                            size_t len);

/* The kernel's count of the calling thread's migrations so far
 * (/proc/thread-self/sched, se.nr_migrations), or -1 where it does not say. */
long bench_thread_migrations(void);

/* The calling thread's time so far waiting on a run queue, in ns
 * (/proc/thread-self/schedstat, second field), or -1 where it does not say. */
long long bench_thread_wait_ns(void);

/* Set by the signal handlers (signals.c) to the signal that asked the run
 * to stop (-1: stopped for another reason, such as a closed stdout); read
 * through bench_should_stop(). */
extern volatile sig_atomic_t bench_stop_flag;

/* The exit status of a run stopped early: 128 + the signal (130 for
 * SIGINT, 143 for SIGTERM, 129 for SIGHUP). */
int bench_stop_status(void);

#endif
