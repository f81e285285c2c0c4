/*
 * runner.c - two bound threads, a start barrier, the clock, and a check of
 * where the threads actually ran (bench_run_pair in bench.h).
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "runner.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench.h"
#include "bipbuf.h"
#include "spin.h"

volatile sig_atomic_t bench_stop_flag;

static const char *const role_name[2] = {"producer", "consumer"};

int bench_should_stop(void) {
    return bench_stop_flag != 0;
}

int bench_stop_status(void) {
    return bench_stop_flag > 0 ? 128 + bench_stop_flag : 130;
}

_Noreturn void bench_fatal(const char *what, long code) {
    fprintf(stderr, "bipbench: internal error: %s failed (%ld)\n", what, code);
    exit(1);
}

int bench_runner_init(struct bench_runner *r, hwloc_topology_t t, const struct bench_pair *p) {
    memset(r, 0, sizeof *r);
    r->topo = t;
    r->probe_round_trips = 0; /* the driver asks for a probe */
    r->distance_ns[0] = r->distance_ns[1] = -1;
    for (int i = 0; i < 2; i++) {
        r->pu[i] = p->pu[i];
        r->set[i] = hwloc_bitmap_alloc();
        if (r->set[i] == NULL)
            return -1;
        hwloc_bitmap_only(r->set[i], p->pu[i]);
    }
    return 0;
}

void bench_runner_fini(struct bench_runner *r) {
    hwloc_bitmap_free(r->set[0]);
    hwloc_bitmap_free(r->set[1]);
    r->set[0] = r->set[1] = NULL;
}

int bench_runner_bind_self(struct bench_runner *r) {
    char why[160];
    if (bench_runner_bind_role(r, 0, why, sizeof why) != 0) {
        fprintf(stderr, "bipbench: %s\n", why);
        return -1;
    }
    return 0;
}

/* Start barrier states. */
enum { WAITING = 0, READY = 1, GO = 2, ABORT = 3 };

struct shared {
    /* The distance probe's line: alone on a 128-byte pair of lines, as
     * limit-c2c's, so that nothing else rides with it. */
    _Alignas(128) _Atomic uint64_t probe_line;
    char pad_[128 - sizeof(uint64_t)];
    struct bench_runner *r;
    void *ctx;
    void (*fn[2])(void *);
    atomic_int consumer_state; /* consumer: READY or ABORT; producer: GO or ABORT */
    int64_t t0, t1;
    int failed[2];
    double distance_ns[2];                /* the probes: before, after; -1: none */
    struct bench_thread_counts counts[2]; /* during the trial */
    char msg[2][160];
};

struct side {
    struct shared *sh;
    int role; /* 0 producer, 1 consumer */
};

static void wait_while(atomic_int *state, int value) {
    unsigned spins = 0;
    /* Acquire: pairs with the release store that changes the state, so the
     * other side's set-up (and t0) is visible when we pass. */
    while (atomic_load_explicit(state, memory_order_acquire) == value)
        bench_spin(&spins);
}

/*
 * The distance probe (docs/DESIGN.md, "The distance probe"). The distance
 * between two cores of a virtual machine moves while a run goes on (the
 * hypervisor places vCPUs where it likes), and every ratio means something
 * only at one distance; so each trial is bracketed by a short ping-pong of
 * one line between its own two threads, on their own PUs. The pinging side
 * stores odd values and waits for the next even one; the ponging side
 * answers each odd value with the next even one (release/acquire, as
 * limit-c2c). The pinging side times PROBE_BLOCKS blocks of round trips
 * after PROBE_WARMUP untimed ones and reports half the median block's time
 * per round trip: one way, in ns. The median keeps one preempted block from
 * moving it.
 */
#define PROBE_BLOCKS 16u
#define PROBE_WARMUP 16u

/* Round trips per timed block (at least one). */
static unsigned probe_per_block(const struct shared *sh) {
    unsigned per = sh->r->probe_round_trips / PROBE_BLOCKS;
    return per ? per : 1;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The values of the second probe start where the first one's ended. */
static uint64_t probe_base(const struct shared *sh, int after) {
    return after ? 2 * (uint64_t)(PROBE_WARMUP + PROBE_BLOCKS * probe_per_block(sh)) : 0;
}

static double probe_ping(struct shared *sh, int after) {
    const unsigned per = probe_per_block(sh);
    double block[PROBE_BLOCKS];
    uint64_t v = probe_base(sh, after);
    for (unsigned b = 0; b < PROBE_WARMUP + PROBE_BLOCKS; b++) {
        const unsigned n = b < PROBE_WARMUP ? 1 : per;
        int64_t t0 = bench_now_ns();
        for (unsigned i = 0; i < n; i++) {
            unsigned spins = 0;
            atomic_store_explicit(&sh->probe_line, ++v, memory_order_release);
            ++v;
            while (atomic_load_explicit(&sh->probe_line, memory_order_acquire) != v)
                bench_spin(&spins);
        }
        if (b >= PROBE_WARMUP)
            block[b - PROBE_WARMUP] = (double)(bench_now_ns() - t0) / (2.0 * n);
    }
    qsort(block, PROBE_BLOCKS, sizeof block[0], cmp_double);
    return (block[PROBE_BLOCKS / 2 - 1] + block[PROBE_BLOCKS / 2]) / 2;
}

/* Answers the pings; returns 0, or -1 if the producer gave up on the trial
 * before pinging (the start barrier's ABORT), so that it never waits for a
 * ping that will not come. */
static int probe_pong(struct shared *sh, int after) {
    const unsigned total = PROBE_WARMUP + PROBE_BLOCKS * probe_per_block(sh);
    uint64_t v = probe_base(sh, after);
    for (unsigned i = 0; i < total; i++) {
        unsigned spins = 0;
        while (atomic_load_explicit(&sh->probe_line, memory_order_acquire) != v + 1) {
            if (atomic_load_explicit(&sh->consumer_state, memory_order_acquire) == ABORT)
                return -1;
            bench_spin(&spins);
        }
        v += 2;
        atomic_store_explicit(&sh->probe_line, v, memory_order_release);
    }
    return 0;
}

int bench_runner_check_role(struct bench_runner *r, int role, const char *when, char *why,
                            size_t len) {
    hwloc_bitmap_t last = hwloc_bitmap_alloc();
    int ok = 0;
    if (last == NULL) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    if (hwloc_get_last_cpu_location(r->topo, last, HWLOC_CPUBIND_THREAD) != 0) {
        snprintf(why, len, "%s: cannot read where it ran: %s", role_name[role], strerror(errno));
    } else if (!hwloc_bitmap_isincluded(last, r->set[role])) {
        snprintf(why, len, "%s thread ran on PU %d %s, not on PU %u", role_name[role],
                 hwloc_bitmap_first(last), when, r->pu[role]);
    } else {
        ok = 1;
    }
    hwloc_bitmap_free(last);
    return ok ? 0 : -1;
}

int bench_runner_bind_role(struct bench_runner *r, int role, char *why, size_t len) {
    if (hwloc_set_cpubind(r->topo, r->set[role], HWLOC_CPUBIND_THREAD) != 0) {
        snprintf(why, len, "cannot bind the %s thread to PU %u: %s", role_name[role], r->pu[role],
                 strerror(errno));
        return -1;
    }
    /* The binding takes effect at the next scheduling point at worst. */
    sched_yield();
    return bench_runner_check_role(r, role, "after binding", why, len);
}

/* The same, for a side of bench_run_pair: a failure is kept for its report.
 * A side already failed keeps its first reason: a thread the kernel counted
 * moving is reported as moved, wherever it happened to be at the end. */
static int check_where(struct shared *sh, int role, const char *when) {
    if (sh->failed[role])
        return -1;
    if (bench_runner_check_role(sh->r, role, when, sh->msg[role], sizeof sh->msg[role]) == 0)
        return 0;
    sh->failed[role] = 1;
    return -1;
}

/* The calling thread's /proc/thread-self/<name>, as a string in buf; 0, or
 * -1 where the kernel does not have it. */
static int read_thread_file(const char *name, char *buf, size_t len) {
    char path[64];
    ssize_t n;
    int fd;
    snprintf(path, sizeof path, "/proc/thread-self/%s", name);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = read(fd, buf, len - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    return 0;
}

long bench_thread_migrations(void) {
    char buf[4096];
    char *p;
    if (read_thread_file("sched", buf, sizeof buf) != 0)
        return -1;
    p = strstr(buf, "se.nr_migrations");
    if (p == NULL || (p = strchr(p, ':')) == NULL)
        return -1;
    return strtol(p + 1, NULL, 10);
}

long long bench_thread_wait_ns(void) {
    char buf[128];
    unsigned long long run, wait;
    if (read_thread_file("schedstat", buf, sizeof buf) != 0)
        return -1;
    if (sscanf(buf, "%llu %llu", &run, &wait) != 2 || wait > (unsigned long long)LLONG_MAX)
        return -1;
    return (long long)wait;
}

/* What the kernel counts of the calling thread, so far. */
static void counts_now(struct bench_thread_counts *c) {
    struct rusage ru;
    c->preemptions = getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : 0;
    c->migrations = bench_thread_migrations();
    c->wait_ns = bench_thread_wait_ns();
}

/* Stop counting: the side's counts since `start`, and the trial refused
 * if the thread moved (the kernel's count; a thread bound to one PU moves
 * only when someone changes its binding). */
static void counts_end(struct shared *sh, int role, const struct bench_thread_counts *start) {
    struct bench_thread_counts end, *d = &sh->counts[role];
    counts_now(&end);
    d->preemptions = end.preemptions - start->preemptions;
    d->migrations =
        start->migrations >= 0 && end.migrations >= 0 ? end.migrations - start->migrations : -1;
    d->wait_ns =
        start->wait_ns >= 0 && end.wait_ns >= start->wait_ns ? end.wait_ns - start->wait_ns : -1;
    if (d->migrations > 0 && !sh->failed[role]) {
        snprintf(sh->msg[role], sizeof sh->msg[role],
                 "the %s thread moved off PU %u %ld time(s) during the trial (its binding was "
                 "changed)",
                 role_name[role], sh->r->pu[role], d->migrations);
        sh->failed[role] = 1;
    }
}

static void *side_main(void *arg) {
    struct side *s = (struct side *)arg;
    struct shared *sh = s->sh;
    int role = s->role, ok = 1;
    struct bench_thread_counts start;

    /* The thread's name shows in top -H and ps -L, and lets tests find it. */
    pthread_setname_np(pthread_self(), role ? "bipbench-cons" : "bipbench-prod");
    if (bench_runner_bind_role(sh->r, role, sh->msg[role], sizeof sh->msg[role]) != 0) {
        sh->failed[role] = 1;
        ok = 0;
    }
    const int probe = sh->fn[1] != NULL && sh->r->probe_round_trips > 0;

    /* Counted from the end of the first probe, outside the timed part, to
     * the end of the side's work: the probes are not the trial's. */
    if (role == 1) {
        atomic_store_explicit(&sh->consumer_state, ok ? READY : ABORT, memory_order_release);
        if (!ok)
            return NULL;
        /* The probe before the trial: the producer pings once it has seen
         * READY, or gives up (ABORT) and never pings. */
        if (probe && probe_pong(sh, 0) != 0)
            return NULL;
        counts_now(&start);
        wait_while(&sh->consumer_state, READY);
        if (atomic_load_explicit(&sh->consumer_state, memory_order_acquire) != GO)
            return NULL;
        sh->fn[1](sh->ctx);
        /* The last message is consumed: the clock stops here. */
        sh->t1 = bench_now_ns();
        counts_end(sh, role, &start);
        check_where(sh, role, "during the trial");
        /* The probe after: the consumer pings, since it is the side that
         * finishes last, and the producer waits for it without storing to
         * anything the trial still uses. */
        if (probe)
            sh->distance_ns[1] = probe_ping(sh, 1);
        return NULL;
    }

    if (sh->fn[1] != NULL) {
        wait_while(&sh->consumer_state, WAITING);
        if (atomic_load_explicit(&sh->consumer_state, memory_order_acquire) != READY || !ok) {
            atomic_store_explicit(&sh->consumer_state, ABORT, memory_order_release);
            return NULL;
        }
        if (probe)
            sh->distance_ns[0] = probe_ping(sh, 0);
        counts_now(&start);
        sh->t0 = bench_now_ns();
        /* Release: the consumer starts now. */
        atomic_store_explicit(&sh->consumer_state, GO, memory_order_release);
        sh->fn[0](sh->ctx);
    } else {
        if (!ok)
            return NULL;
        counts_now(&start);
        sh->t0 = bench_now_ns();
        sh->fn[0](sh->ctx);
        sh->t1 = bench_now_ns();
    }
    counts_end(sh, role, &start);
    check_where(sh, role, "during the trial");
    if (probe)
        probe_pong(sh, 1);
    return NULL;
}

int bench_run_pair(struct bench_runner *r, void (*prod)(void *), void (*cons)(void *), void *ctx,
                   int64_t *elapsed_ns) {
    struct shared sh;
    struct side sides[2];
    pthread_t th[2];
    int n = cons ? 2 : 1, rc = 0;

    memset(&sh, 0, sizeof sh);
    atomic_init(&sh.probe_line, 0);
    sh.distance_ns[0] = sh.distance_ns[1] = -1;
    sh.r = r;
    sh.ctx = ctx;
    sh.fn[0] = prod;
    sh.fn[1] = cons;
    atomic_init(&sh.consumer_state, WAITING);
    for (int i = n - 1; i >= 0; i--) {
        sides[i].sh = &sh;
        sides[i].role = i;
        int e = pthread_create(&th[i], NULL, side_main, &sides[i]);
        if (e != 0) {
            fprintf(stderr, "bipbench: pthread_create: %s\n", strerror(e));
            if (i == 0 && n == 2) {
                /* The consumer is waiting for a producer that never comes. */
                wait_while(&sh.consumer_state, WAITING);
                atomic_store_explicit(&sh.consumer_state, ABORT, memory_order_release);
                pthread_join(th[1], NULL);
            }
            return -1;
        }
    }
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < n; i++) {
        if (sh.failed[i]) {
            fprintf(stderr, "bipbench: %s%s%s; the trial is not reported\n",
                    r->stage ? r->stage : "", r->stage ? ": " : "", sh.msg[i]);
            rc = -1;
        }
    }
    *elapsed_ns = sh.t1 - sh.t0;
    r->distance_ns[0] = sh.distance_ns[0];
    r->distance_ns[1] = sh.distance_ns[1];
    r->counts[0] = sh.counts[0];
    r->counts[1] = n == 2 ? sh.counts[1] : (struct bench_thread_counts){0, 0, 0};
    r->preemptions = r->counts[0].preemptions + r->counts[1].preemptions;
    r->migrations = r->counts[0].migrations < 0 || r->counts[1].migrations < 0
                        ? -1
                        : r->counts[0].migrations + r->counts[1].migrations;
    return rc;
}
