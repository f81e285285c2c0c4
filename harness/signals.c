/*
 * signals.c - SIGINT, the watchdog and the stage text (signals.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "signals.h"

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

/* Two buffers: the handler reads the one not being written. */
static char g_stage[2][200];
static volatile sig_atomic_t g_stage_idx;
static void (*g_cleanup)(void);

void bench_stage_set(const char *fmt, ...) {
    int next = !g_stage_idx;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_stage[next], sizeof g_stage[next], fmt, ap);
    va_end(ap);
    g_stage_idx = next;
}

const char *bench_stage(void) {
    return g_stage[g_stage_idx];
}

/* After a stop signal, the current trial gets this long to end before the
 * run quits at once (a hung trial must not make a run unkillable by
 * timeout(1), which signals once). */
#define STOP_GRACE_S 10

/* A second SIGINT closer than this to the first is the same interrupt
 * delivered twice: timeout(1), for one, passes it on to its child and again
 * to its process group. Only a later one quits at once. */
#define SIGINT_REPEAT_NS 500000000LL

static void say(const char *s) {
    if (write(2, s, strlen(s)) < 0) {
    }
}

/* SIGINT, SIGTERM and SIGHUP alike: the first stops the run after the
 * current trial, and what finished is written; a later one quits at once. */
static void on_stop(int sig) {
    static struct timespec first; /* only this handler touches it */
    static volatile sig_atomic_t got;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now); /* async-signal-safe */
    if (!got) {
        first = now;
        got = sig;
        bench_stop_flag = sig;
        say(sig == SIGTERM  ? "\nbipbench: terminated: stopping after the current trial"
            : sig == SIGHUP ? "\nbipbench: hung up: stopping after the current trial"
                            : "\nbipbench: interrupted: stopping after the current trial");
        say(" (again to quit at once)\n");
        {
            /* The watchdog keeps its own deadline if it comes sooner. */
            unsigned left = alarm(0);
            alarm(left && left < STOP_GRACE_S ? left : STOP_GRACE_S);
        }
        return;
    }
    if ((now.tv_sec - first.tv_sec) * 1000000000LL + (now.tv_nsec - first.tv_nsec) <
        SIGINT_REPEAT_NS)
        return;
    say("\nbipbench: stopped again: quitting now\n");
    if (g_cleanup)
        g_cleanup();
    _exit(128 + sig);
}

static void on_alarm(int sig) {
    (void)sig;
    if (bench_stop_flag > 0) {
        say("\nbipbench: the current trial did not end within 10 s of the signal: quitting "
            "now\n");
        if (g_cleanup)
            g_cleanup();
        _exit(128 + bench_stop_flag);
    }
    say("bipbench: watchdog: still running: ");
    say(g_stage[g_stage_idx]);
    say("\n");
    if (g_cleanup)
        g_cleanup();
    _exit(3);
}

int bench_signals_install(void (*cleanup_from_signal)(void)) {
    const char *w = getenv("BIPBENCH_WATCHDOG");
    struct sigaction sa;
    g_cleanup = cleanup_from_signal;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A closed pipe is a write error like any other, reported where it
     * happens, not a silent death that loses what finished. */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    if (w && *w) {
        char *end;
        unsigned long s = strtoul(w, &end, 10);
        if (*end || end == w || w[0] < '0' || w[0] > '9' || s == 0 || s > 86400)
            return -1;
        alarm((unsigned)s);
    }
    return 0;
}
