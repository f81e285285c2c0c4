/*
 * test_runner.c - the runner on this machine: a trial runs on the PUs it was
 * given, the clock covers the work, and a thread that leaves its PU makes the
 * trial fail instead of being reported. Skips (77) with fewer than two PUs.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "runner.h"

static const char *doing = "starting";
static int failures;

static void on_alarm(int sig) {
    (void)sig;
    fprintf(stderr, "test_runner: watchdog: stuck while %s\n", doing);
    _exit(1);
}

struct ctx {
    struct bench_runner *r;
    atomic_int ran[2];
    int move_to; /* -1: stay; else the producer rebinds itself to this PU */
};

static void sleep_ms(long ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

static void prod(void *arg) {
    struct ctx *c = arg;
    atomic_store(&c->ran[0], 1);
    if (c->move_to >= 0) {
        /* Simulate a thread the scheduler moved: run somewhere else. */
        hwloc_bitmap_t s = hwloc_bitmap_alloc();
        hwloc_bitmap_only(s, (unsigned)c->move_to);
        hwloc_set_cpubind(c->r->topo, s, HWLOC_CPUBIND_THREAD);
        hwloc_bitmap_free(s);
    }
    sleep_ms(20);
}

static void cons(void *arg) {
    struct ctx *c = arg;
    atomic_store(&c->ran[1], 1);
    sleep_ms(20);
}

static void expect(int cond, const char *what) {
    printf("%s: %s\n", cond ? "ok" : "FAIL", what);
    failures += !cond;
}

int main(void) {
    hwloc_topology_t t;
    struct bench_placement pl = {BENCH_PLACE_AUTO, 0, 0};
    struct bench_pair pair;
    struct bench_runner r;
    char why[256];
    int64_t ns = 0;
    int rc;

    signal(SIGALRM, on_alarm);
    alarm(60);
    if (hwloc_topology_init(&t) != 0 || hwloc_topology_load(t) != 0)
        return 1;
    if (bench_pair_select(t, &pl, &pair, why, sizeof why) != 0) {
        printf("SKIP: no pair of PUs on this machine: %s\n", why);
        return 77;
    }
    bench_runner_init(&r, t, &pair);

    struct ctx c = {&r, {0, 0}, -1};
    doing = "a normal trial";
    rc = bench_run_pair(&r, prod, cons, &c, &ns);
    expect(rc == 0 && c.ran[0] && c.ran[1], "two threads ran, on their PUs");
    expect(ns >= 20000000 && ns < 20000000000LL, "the clock covers the work (>= 20 ms)");

    struct ctx one = {&r, {0, 0}, -1};
    doing = "a one-thread trial";
    rc = bench_run_pair(&r, prod, NULL, &one, &ns);
    expect(rc == 0 && one.ran[0] && !one.ran[1], "one thread ran, alone");

    struct ctx moved = {&r, {0, 0}, (int)pair.pu[1]};
    doing = "a trial whose producer leaves its PU";
    printf("(an error line about the producer thread is expected next)\n");
    rc = bench_run_pair(&r, prod, cons, &moved, &ns);
    expect(rc == -1, "a thread that ran elsewhere fails the trial");

    bench_runner_fini(&r);
    hwloc_topology_destroy(t);
    printf("%s: %d failure(s)\n", failures ? "FAIL" : "PASS", failures);
    return failures != 0;
}
