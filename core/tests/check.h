/*
 * check.h - the tiny test framework shared by the core's test programs.
 *
 * CHECK(cond) and the typed comparisons below print file:line, the
 * expression and both values when they fail, and count passes and failures;
 * check_summary() prints "N passed, M failed" and gives the exit status.
 * Counters are atomic so that either thread of a threaded test may check.
 *
 * check_watchdog(seconds) arms alarm(): if the program is still running when
 * it fires, it prints what the program said it was doing (check_doing()) and
 * any progress a test registered (check_watchdog_report), then exits with
 * status 3, so a hang fails instead of stalling the test run.
 *
 * Each program is one translation unit, so the state lives here as statics.
 */
#ifndef BIPBUF_TESTS_CHECK_H
#define BIPBUF_TESTS_CHECK_H

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Failures printed in full; the rest are only counted. */
#define CHECK_PRINT_LIMIT 20

static atomic_ulong check__passed;
static atomic_ulong check__failed;
static _Atomic(const char *) check__doing = "starting";
/* Called from the watchdog's signal handler: async-signal-safe code only. */
static void (*check__report)(void);

static inline void check__pass(void) {
    atomic_fetch_add_explicit(&check__passed, 1, memory_order_relaxed);
}

/* Returns 1 so that the macros can be used as expressions. */
static inline int check__fail(const char *file, int line, const char *expr, const char *values) {
    unsigned long n = atomic_fetch_add_explicit(&check__failed, 1, memory_order_relaxed);
    if (n < CHECK_PRINT_LIMIT)
        fprintf(stderr, "%s:%d: CHECK failed: %s%s%s (while: %s)\n", file, line, expr,
                values[0] ? " -- " : "", values,
                atomic_load_explicit(&check__doing, memory_order_relaxed));
    else if (n == CHECK_PRINT_LIMIT)
        fprintf(stderr, "(further failures are counted, not printed)\n");
    return 1;
}

static inline int check__fail_ll(const char *file, int line, const char *expr, long long a,
                                 long long b) {
    char v[96];
    snprintf(v, sizeof v, "%lld vs %lld", a, b);
    return check__fail(file, line, expr, v);
}

static inline int check__fail_ull(const char *file, int line, const char *expr,
                                  unsigned long long a, unsigned long long b) {
    char v[96];
    snprintf(v, sizeof v, "%llu vs %llu", a, b);
    return check__fail(file, line, expr, v);
}

static inline int check__fail_ptr(const char *file, int line, const char *expr, const void *a,
                                  const void *b) {
    char v[96];
    snprintf(v, sizeof v, "%p vs %p", a, b);
    return check__fail(file, line, expr, v);
}

/* The operator of a CHECK_INT/SIZE/PTR, applied at run time so that each
 * operand is evaluated exactly once. */
static inline int check__apply(int cmp, const char *op) {
    switch (op[0]) {
    case '=':
        return cmp == 0;
    case '!':
        return cmp != 0;
    case '<':
        return op[1] == '=' ? cmp <= 0 : cmp < 0;
    default: /* '>' */
        return op[1] == '=' ? cmp >= 0 : cmp > 0;
    }
}

static inline int check__bool(int ok, const char *file, int line, const char *expr) {
    if (ok) {
        check__pass();
        return 0;
    }
    return check__fail(file, line, expr, "");
}

static inline int check__cmp_ll(long long a, const char *op, long long b, const char *file,
                                int line, const char *expr) {
    if (check__apply((a > b) - (a < b), op)) {
        check__pass();
        return 0;
    }
    return check__fail_ll(file, line, expr, a, b);
}

static inline int check__cmp_ull(unsigned long long a, const char *op, unsigned long long b,
                                 const char *file, int line, const char *expr) {
    if (check__apply((a > b) - (a < b), op)) {
        check__pass();
        return 0;
    }
    return check__fail_ull(file, line, expr, a, b);
}

static inline int check__cmp_ptr(const void *a, const char *op, const void *b, const char *file,
                                 int line, const char *expr) {
    uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
    if (check__apply((x > y) - (x < y), op)) {
        check__pass();
        return 0;
    }
    return check__fail_ptr(file, line, expr, a, b);
}

/*
 * Each evaluates its operands once and yields 1 if the check failed, so
 * `if (CHECK(...)) return;` works. `op` is one of == != < <= > >=.
 */
#define CHECK(cond) check__bool(!!(cond), __FILE__, __LINE__, #cond)
/* Signed integers (error codes): CHECK_INT(rc, ==, -EINVAL). */
#define CHECK_INT(a, op, b)                                                                        \
    check__cmp_ll((long long)(a), #op, (long long)(b), __FILE__, __LINE__, #a " " #op " " #b)
/* Sizes and counts: CHECK_SIZE(n, <=, cap). */
#define CHECK_SIZE(a, op, b)                                                                       \
    check__cmp_ull((unsigned long long)(a), #op, (unsigned long long)(b), __FILE__, __LINE__,      \
                   #a " " #op " " #b)
/* Addresses: CHECK_PTR(p, ==, base + off). */
#define CHECK_PTR(a, op, b)                                                                        \
    check__cmp_ptr((const void *)(a), #op, (const void *)(b), __FILE__, __LINE__, #a " " #op " " #b)

/* Credit checks done in bulk (a hot loop that counts its own). */
static inline void check_passed_add(unsigned long n) {
    atomic_fetch_add_explicit(&check__passed, n, memory_order_relaxed);
}

static inline unsigned long check_failures(void) {
    return atomic_load_explicit(&check__failed, memory_order_relaxed);
}

/* What the program is doing now; the watchdog and failure messages print it. */
static inline void check_doing(const char *what) {
    atomic_store_explicit(&check__doing, what, memory_order_relaxed);
}

/* "N passed, M failed"; returns the exit status for main. */
static inline int check_summary(void) {
    unsigned long p = atomic_load(&check__passed), f = atomic_load(&check__failed);
    printf("%lu passed, %lu failed\n", p, f);
    fflush(stdout);
    return f ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* Stop now (a threaded test whose stream is out of step cannot go on). */
static inline _Noreturn void check_bail(void) {
    fflush(stderr);
    check_summary();
    _exit(EXIT_FAILURE);
}

/* ---- watchdog (async-signal-safe: write(2) only) ------------------------ */

static inline void check_write_str(const char *s) {
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static inline void check_write_u64(uint64_t v) {
    char d[24];
    int i = (int)sizeof d;
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v && i > 0);
    {
        ssize_t r = write(STDERR_FILENO, d + i, sizeof d - (size_t)i);
        (void)r;
    }
}

static inline void check__on_alarm(int sig) {
    (void)sig;
    check_write_str("\nwatchdog: still running, giving up; was doing: ");
    check_write_str(atomic_load_explicit(&check__doing, memory_order_relaxed));
    check_write_str("\n");
    if (check__report)
        check__report();
    _exit(3);
}

/* Arm the watchdog; `report` (may be NULL) prints progress from the handler. */
static inline void check_watchdog(unsigned seconds, void (*report)(void)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = check__on_alarm;
    sigemptyset(&sa.sa_mask);
    check__report = report;
    sigaction(SIGALRM, &sa, NULL);
    alarm(seconds);
}

/* A number from an environment variable, or `def` when it is unset. */
static inline unsigned long long check_env_ull(const char *name, unsigned long long def) {
    const char *s = getenv(name);
    char *end;
    unsigned long long v;
    if (s == NULL || *s == '\0')
        return def;
    v = strtoull(s, &end, 0);
    if (*end != '\0') {
        fprintf(stderr, "%s: not a number: '%s'\n", name, s);
        exit(2);
    }
    return v;
}

#endif /* BIPBUF_TESTS_CHECK_H */
