/*
 * micro_variant.c - the micro-benchmarks of one variant. Compiled once per
 * variant (BIPBUF_CACHED/PAD/ORDER on the command line), so each loop has
 * that variant's inline reserve/commit/peek/consume in it, not a call
 * through a pointer; the object exports micro_register_<variant id>().
 *
 * Every message of LEN bytes is filled with one byte value c; the consumer
 * sums all LEN bytes and checks the sum is LEN * c, so a benchmark that
 * reports a time has also delivered every byte intact.
 */
#define _GNU_SOURCE
#include "micro.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define MICRO_NAME(kind) kind "/" BIPBUF_VARIANT_NAME

/* The consumer's check of one message of len bytes filled with c. */
static inline int micro_intact(const void *p, size_t len, unsigned char c) {
    return micro_sum((const unsigned char *)p, len) == (uint64_t)len * c;
}

/* ---- single: one thread, the cost of the operations themselves ---------- */

static void bm_single(gb_state *st, void *user) {
    size_t len = (size_t)gb_range(st, 0);
    uint64_t i = 0;
    bipbuf *b;
    (void)user;
    if (bipbuf_create(&b, MICRO_CAPACITY) != 0) {
        micro_fail(st, MICRO_NAME("single") ": out of memory");
        return;
    }
    if (len == 0 || len > bipbuf_max_reserve(b)) {
        micro_fail(st, MICRO_NAME("single") "/%zu: length out of range", len);
        bipbuf_destroy(b);
        return;
    }
    while (gb_keep_running_batch(st, MICRO_SINGLE_BATCH)) {
        for (int k = 0; k < MICRO_SINGLE_BATCH; k++, i++) {
            unsigned char c = (unsigned char)i;
            void *p, *q;
            /* The buffer is empty at every message: reserve cannot wait. */
            if (MICRO_UNLIKELY(bipbuf_try_reserve(b, len, &p) != 0))
                goto broken;
            memset(p, c, len);
            bipbuf_commit(b, len);
            if (MICRO_UNLIKELY(bipbuf_peek(b, len, &q) < len || !micro_intact(q, len, c)))
                goto broken;
            bipbuf_consume(b, len);
        }
    }
    gb_set_items_processed(st, gb_iterations(st));
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)len);
    bipbuf_destroy(b);
    return;
broken:
    micro_fail(st, MICRO_NAME("single") "/%zu: message %llu lost or damaged", len,
               (unsigned long long)i);
    bipbuf_destroy(b);
}

/* ---- what the two-thread benchmarks share -------------------------------- */

/* Why a side stopped: set once by the side that stops first. */
typedef struct micro_stop {
    atomic_int flag; /* 1: both sides leave their loops */
    char why[160];   /* written before flag is set (release) */
} micro_stop;

static void micro_stop_set(micro_stop *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void micro_stop_set(micro_stop *s, const char *fmt, ...) {
    int expected = 0;
    va_list ap;
    /* Only the first stop writes its reason: one writer, no torn message. */
    if (!atomic_compare_exchange_strong(&s->flag, &expected, -1))
        return;
    va_start(ap, fmt);
    vsnprintf(s->why, sizeof s->why, fmt, ap);
    va_end(ap);
    /* Publishes why[] to the thread that reports it (acquire in stopped). */
    atomic_store_explicit(&s->flag, 1, memory_order_release);
}

/* Non-zero once a stop's reason is readable (-1, "being written", is not). */
static int micro_stopped(micro_stop *s) {
    return atomic_load_explicit(&s->flag, memory_order_acquire) == 1;
}

/* The producer's reserve with a watchdog: bipbuf_reserve would wait forever
 * if the consumer died. Returns 0, or -1 after stopping both sides. */
static int micro_reserve(bipbuf *b, size_t len, void **p, micro_stop *stop, const char *who,
                         uint64_t i) {
    struct bench_wait w;
    int rc = bipbuf_try_reserve(b, len, p);
    if (MICRO_LIKELY(rc == 0))
        return 0;
    bench_wait_init(&w);
    while (rc == -EAGAIN) {
        if (bench_wait_turn(&w, MICRO_STALL_NS)) {
            micro_stop_set(stop, "%s waited %llu s for room for message %llu", who,
                           MICRO_STALL_NS / 1000000000ull, (unsigned long long)i);
            return -1;
        }
        if ((w.turns & 63) == 0 && micro_stopped(stop))
            return -1;
        rc = bipbuf_try_reserve(b, len, p);
    }
    if (rc != 0) {
        micro_stop_set(stop, "%s: reserve(%zu) failed: %d", who, len, rc);
        return -1;
    }
    return 0;
}

/* The consumer's wait for a whole message of len bytes, with a watchdog.
 * With quit non-NULL, a set *quit ends the wait quietly (returns 1). */
static int micro_peek(bipbuf *b, size_t len, void **p, micro_stop *stop, atomic_int *quit,
                      const char *who, uint64_t i) {
    struct bench_wait w;
    if (MICRO_LIKELY(bipbuf_peek(b, len, p) >= len))
        return 0;
    bench_wait_init(&w);
    do {
        if (bench_wait_turn(&w, MICRO_STALL_NS)) {
            micro_stop_set(stop, "%s waited %llu s for message %llu", who,
                           MICRO_STALL_NS / 1000000000ull, (unsigned long long)i);
            return -1;
        }
        if ((w.turns & 63) == 0) {
            if (micro_stopped(stop))
                return -1;
            if (quit != NULL && atomic_load_explicit(quit, memory_order_acquire))
                return 1;
        }
    } while (bipbuf_peek(b, len, p) < len);
    return 0;
}

/* Bind the benchmark thread to the pair's first PU; on failure the run is
 * skipped (one core: cannot run here) and 0 is returned. */
static int micro_pair_setup(gb_state *st, void **saved) {
    const char *why;
    struct bench_runner *r = micro_runner(&why);
    if (r == NULL) {
        gb_skip_with_error(st, why);
        return 0;
    }
    if (micro_bind_role(0, saved, &why) != 0) {
        micro_fail(st, "binding the producer: %s", why);
        return 0;
    }
    gb_set_counter(st, "producer_pu", r->pu[0], GB_COUNTER_DEFAULT, 0);
    gb_set_counter(st, "consumer_pu", r->pu[1], GB_COUNTER_DEFAULT, 0);
    return 1;
}

/* After a trial, on either thread: stop with the reason if the thread ran
 * anywhere but its PU, as bipbench refuses such a trial. */
static void micro_pinning_check(micro_stop *stop, int role) {
    const char *why;
    if (micro_check_role(role, &why) != 0)
        micro_stop_set(stop, "%s", why);
}

/* ---- pair: throughput between two cores --------------------------------- */

typedef struct pair_ctx {
    bipbuf *b;
    size_t len;
    atomic_uint_fast64_t arrived; /* barrier: 2 arrivals per batch */
    atomic_uint_fast64_t done;    /* batches the consumer finished */
    atomic_int quit;              /* the producer will start no more batches */
    uint64_t elapsed_ns;          /* of the latest batch; published by done */
    micro_stop stop;
} pair_ctx;

/* Both sides arrive for batch k (1, 2, ...); returns 0 when both are here,
 * 1 on quit, -1 on stop. */
static int pair_barrier(pair_ctx *x, uint64_t k, const char *who) {
    struct bench_wait w;
    atomic_fetch_add_explicit(&x->arrived, 1, memory_order_acq_rel);
    bench_wait_init(&w);
    while (atomic_load_explicit(&x->arrived, memory_order_acquire) < 2 * k) {
        if (bench_wait_turn(&w, MICRO_STALL_NS)) {
            micro_stop_set(&x->stop, "%s waited %llu s at the barrier of batch %llu", who,
                           MICRO_STALL_NS / 1000000000ull, (unsigned long long)k);
            return -1;
        }
        if ((w.turns & 63) == 0) {
            if (micro_stopped(&x->stop))
                return -1;
            if (atomic_load_explicit(&x->quit, memory_order_acquire))
                return 1;
        }
    }
    return 0;
}

static void *pair_consumer(void *arg) {
    pair_ctx *x = arg;
    const char *why;
    uint64_t i = 0;
    if (micro_bind_role(1, NULL, &why) != 0) {
        micro_stop_set(&x->stop, "binding the consumer: %s", why);
        return NULL;
    }
    for (uint64_t k = 1;; k++) {
        int b = pair_barrier(x, k, "consumer");
        if (b != 0) {
            if (b == 1) /* the producer quit: the trial is over */
                micro_pinning_check(&x->stop, 1);
            return NULL;
        }
        int64_t t0 = bench_now_ns();
        for (int m = 0; m < MICRO_PAIR_BATCH; m++, i++) {
            void *p;
            if (micro_peek(x->b, x->len, &p, &x->stop, NULL, "consumer", i) != 0)
                return NULL;
            if (MICRO_UNLIKELY(!micro_intact(p, x->len, (unsigned char)i))) {
                micro_stop_set(&x->stop, "consumer: message %llu damaged", (unsigned long long)i);
                return NULL;
            }
            bipbuf_consume(x->b, x->len);
        }
        x->elapsed_ns = (uint64_t)(bench_now_ns() - t0);
        /* Publishes elapsed_ns to the producer's acquire load of done. */
        atomic_store_explicit(&x->done, k, memory_order_release);
    }
    return NULL;
}

static void bm_pair(gb_state *st, void *user) {
    pair_ctx x = {0};
    void *saved = NULL;
    pthread_t th;
    uint64_t i = 0, k = 0;
    int rc;
    (void)user;
    x.len = (size_t)gb_range(st, 0);
    if (!micro_pair_setup(st, &saved))
        return;
    if (bipbuf_create(&x.b, MICRO_CAPACITY) != 0 || x.len == 0 || x.len > bipbuf_max_reserve(x.b)) {
        micro_fail(st, MICRO_NAME("pair") "/%zu: cannot create the buffer", x.len);
        goto out;
    }
    rc = pthread_create(&th, NULL, pair_consumer, &x);
    if (rc != 0) {
        micro_fail(st, MICRO_NAME("pair") "/%zu: pthread_create: %s", x.len, strerror(rc));
        goto out;
    }
    while (gb_keep_running_batch(st, MICRO_PAIR_BATCH)) {
        struct bench_wait w;
        k++;
        if (pair_barrier(&x, k, "producer") != 0)
            break;
        for (int m = 0; m < MICRO_PAIR_BATCH; m++, i++) {
            void *p;
            if (micro_reserve(x.b, x.len, &p, &x.stop, "producer", i) != 0)
                goto joined;
            memset(p, (unsigned char)i, x.len);
            bipbuf_commit(x.b, x.len);
        }
        /* The batch's time is the consumer's: barrier to its last consume. */
        bench_wait_init(&w);
        while (atomic_load_explicit(&x.done, memory_order_acquire) < k) {
            if (bench_wait_turn(&w, MICRO_STALL_NS)) {
                micro_stop_set(&x.stop, "producer waited %llu s for the consumer to finish",
                               MICRO_STALL_NS / 1000000000ull);
                goto joined;
            }
            if ((w.turns & 63) == 0 && micro_stopped(&x.stop))
                goto joined;
        }
        gb_set_iteration_time(st, (double)x.elapsed_ns * 1e-9);
    }
joined:
    atomic_store_explicit(&x.quit, 1, memory_order_release);
    pthread_join(th, NULL);
    micro_pinning_check(&x.stop, 0);
    if (micro_stopped(&x.stop)) {
        micro_fail(st, MICRO_NAME("pair") "/%zu: %s", x.len, x.stop.why);
        goto out;
    }
    gb_set_items_processed(st, gb_iterations(st));
    gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)x.len);
out:
    bipbuf_destroy(x.b);
    micro_restore_binding(saved);
}

/* ---- roundtrip: ping-pong latency between the same two cores ------------ */

typedef struct rt_ctx {
    bipbuf *ping, *pong; /* benchmark thread -> echo, echo -> benchmark thread */
    size_t len;
    atomic_int quit;
    micro_stop stop;
} rt_ctx;

/* Sends every ping back on pong, as it came, until quit. */
static void *rt_echo(void *arg) {
    rt_ctx *x = arg;
    const char *why;
    if (micro_bind_role(1, NULL, &why) != 0) {
        micro_stop_set(&x->stop, "binding the echo thread: %s", why);
        return NULL;
    }
    for (uint64_t i = 0;; i++) {
        void *p, *q;
        int e = micro_peek(x->ping, x->len, &p, &x->stop, &x->quit, "echo", i);
        if (e != 0) {
            if (e == 1) /* quit: the trial is over */
                micro_pinning_check(&x->stop, 1);
            return NULL;
        }
        if (micro_reserve(x->pong, x->len, &q, &x->stop, "echo", i) != 0)
            return NULL;
        memcpy(q, p, x->len);
        bipbuf_commit(x->pong, x->len);
        bipbuf_consume(x->ping, x->len);
    }
}

static void bm_roundtrip(gb_state *st, void *user) {
    rt_ctx x = {0};
    void *saved = NULL;
    pthread_t th;
    uint64_t i = 0;
    int rc;
    (void)user;
    x.len = (size_t)gb_range(st, 0);
    if (!micro_pair_setup(st, &saved))
        return;
    if (bipbuf_create(&x.ping, MICRO_CAPACITY) != 0 ||
        bipbuf_create(&x.pong, MICRO_CAPACITY) != 0 || x.len == 0 ||
        x.len > bipbuf_max_reserve(x.ping)) {
        micro_fail(st, MICRO_NAME("roundtrip") "/%zu: cannot create the buffers", x.len);
        goto out;
    }
    rc = pthread_create(&th, NULL, rt_echo, &x);
    if (rc != 0) {
        micro_fail(st, MICRO_NAME("roundtrip") "/%zu: pthread_create: %s", x.len, strerror(rc));
        goto out;
    }
    while (gb_keep_running_batch(st, MICRO_RT_BATCH)) {
        int64_t t0 = bench_now_ns();
        for (int m = 0; m < MICRO_RT_BATCH; m++, i++) {
            void *p;
            if (micro_reserve(x.ping, x.len, &p, &x.stop, "pinger", i) != 0)
                goto joined;
            memset(p, (unsigned char)i, x.len);
            bipbuf_commit(x.ping, x.len);
            if (micro_peek(x.pong, x.len, &p, &x.stop, NULL, "pinger", i) != 0)
                goto joined;
            if (MICRO_UNLIKELY(!micro_intact(p, x.len, (unsigned char)i))) {
                micro_stop_set(&x.stop, "pinger: reply %llu damaged", (unsigned long long)i);
                goto joined;
            }
            bipbuf_consume(x.pong, x.len);
        }
        gb_set_iteration_time(st, (double)(bench_now_ns() - t0) * 1e-9);
    }
joined:
    atomic_store_explicit(&x.quit, 1, memory_order_release);
    pthread_join(th, NULL);
    micro_pinning_check(&x.stop, 0);
    if (micro_stopped(&x.stop)) {
        micro_fail(st, MICRO_NAME("roundtrip") "/%zu: %s", x.len, x.stop.why);
        goto out;
    }
    gb_set_items_processed(st, gb_iterations(st));
out:
    bipbuf_destroy(x.ping);
    bipbuf_destroy(x.pong);
    micro_restore_binding(saved);
}

/* ---- registration -------------------------------------------------------- */

void BIPBUF_CONCAT(micro_register_, BIPBUF_VARIANT_ID)(void) {
    static const int64_t sizes[] = {8, 64, 255, 1024, 4096};
    static const int64_t rt_sizes[] = {8, 64, 255};
    gb_benchmark *b;
    size_t i;

    b = gb_bench_unit(gb_register(MICRO_NAME("single"), bm_single, NULL), GB_NANOSECOND);
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        gb_bench_arg(b, sizes[i]);

    b = gb_register(MICRO_NAME("pair"), bm_pair, NULL);
    gb_bench_unit(gb_bench_use_manual_time(b), GB_NANOSECOND);
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        gb_bench_arg(b, sizes[i]);

    b = gb_register(MICRO_NAME("roundtrip"), bm_roundtrip, NULL);
    gb_bench_unit(gb_bench_use_manual_time(b), GB_NANOSECOND);
    for (i = 0; i < sizeof rt_sizes / sizeof rt_sizes[0]; i++)
        gb_bench_arg(b, rt_sizes[i]);
}
