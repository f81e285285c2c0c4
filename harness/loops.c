/*
 * loops.c - the measured loops, written once and compiled once per variant
 * (harness/CMakeLists.txt: bipbuf_variant_objects). The variant's -D flags
 * map the bipbuf_* names to that variant, so every loop below has its core
 * inlined; this file exports one descriptor, bench_impl_<variant id>.
 */
#define _POSIX_C_SOURCE 200809L
#include "bipbuf.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>

#include "hist.h"
#include "rate.h"
#include "workload.h"

#ifndef BIPBUF_VARIANT_SELECTED
#    error "loops.c is compiled once per variant: define BIPBUF_CACHED, BIPBUF_PAD, BIPBUF_ORDER"
#endif
#if BIPBUF__PUBLISH > INT_MAX
#    error "the descriptor records BIPBUF__PUBLISH as an int"
#endif

/* ---- throughput ---------------------------------------------------------- */

BENCH_INLINE void producer(void *ctx, enum bench_workload wl) {
    struct bench_tput_ctx *c = (struct bench_tput_ctx *)ctx;
    bipbuf *b = c->b;
    const uint64_t n = c->cfg->messages;
    const size_t ms = c->cfg->msg_size;
    uint64_t rng = c->cfg->seed;
    for (uint64_t i = 0; i < n; i++)
        bench_produce_one(b, wl, bench_msg_len(wl, ms, &rng), i);
}

BENCH_PRODUCER_TABLE(producers, producer);

BENCH_INLINE void consumer(void *ctx, enum bench_workload wl, enum bench_read rd) {
    struct bench_tput_ctx *c = (struct bench_tput_ctx *)ctx;
    bipbuf *b = c->b;
    const uint64_t n = c->cfg->messages;
    const size_t ms = c->cfg->msg_size;
    const size_t lag = c->cfg->lag;
    const unsigned burst = c->cfg->burst;
    uint64_t rng = c->cfg->seed;
    struct bench_cons_acc acc = {0, 0, 0};
    if (burst > 1) {
        for (uint64_t i = 0; i < n;)
            i += bench_consume_burst(b, wl, rd, ms, &rng, i, n - i, burst, lag, &acc);
    } else {
        for (uint64_t i = 0; i < n; i++)
            bench_consume_one(b, wl, rd, bench_msg_len(wl, ms, &rng), i, lag, &acc);
    }
    c->acc = acc;
}

BENCH_LOOP_TABLE(consumers, consumer);

static int throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                      struct bench_tput_out *out) {
    return bench_tput_trial(r, cfg, producers[cfg->workload], consumers[cfg->workload][cfg->read],
                            out);
}

/* ---- latency: a round trip through two buffers ---------------------------- */

struct lat_ctx {
    bipbuf *there, *back;
    const struct bench_lat_cfg *cfg;
    struct bench_hist *h;
    uint64_t sum;
};

/* The pinging side (producer's PU): send, wait for the echo, time both. */
static void lat_ping(void *ctx) {
    struct lat_ctx *c = (struct lat_ctx *)ctx;
    const uint64_t warm = c->cfg->warmup, n = warm + c->cfg->samples;
    const size_t len = c->cfg->msg_size;
    struct bench_cons_acc acc = {0, 0, 0};
    for (uint64_t i = 0; i < n; i++) {
        int64_t t0 = bench_now_ns(), t1;
        bench_produce_one(c->there, BENCH_WL_FIXED, len, i);
        bench_consume_one(c->back, BENCH_WL_FIXED, BENCH_READ_FIRST, len, i, 0, &acc);
        t1 = bench_now_ns();
        if (i >= warm)
            bench_hist_record(c->h, (uint64_t)(t1 - t0));
    }
    c->sum = acc.sum;
}

/* The echoing side (consumer's PU): receive, reading the first byte, reply. */
static void lat_pong(void *ctx) {
    struct lat_ctx *c = (struct lat_ctx *)ctx;
    const uint64_t n = c->cfg->warmup + c->cfg->samples;
    const size_t len = c->cfg->msg_size;
    struct bench_cons_acc acc = {0, 0, 0};
    for (uint64_t i = 0; i < n; i++) {
        bench_consume_one(c->there, BENCH_WL_FIXED, BENCH_READ_FIRST, len, i, 0, &acc);
        bench_produce_one(c->back, BENCH_WL_FIXED, len, i);
    }
}

static int latency(struct bench_runner *r, const struct bench_lat_cfg *cfg, struct bench_hist *h) {
    struct lat_ctx c = {0};
    int64_t elapsed;
    int rc = bipbuf_create(&c.there, cfg->queue_size);
    if (rc != 0)
        return rc;
    rc = bipbuf_create(&c.back, cfg->queue_size);
    if (rc != 0) {
        bipbuf_destroy(c.there);
        return rc;
    }
    c.cfg = cfg;
    c.h = h;
    rc = bench_run_pair(r, lat_ping, lat_pong, &c, &elapsed);
    bipbuf_destroy(c.there);
    bipbuf_destroy(c.back);
    return rc;
}

/* ---- soak: every API path, every byte checked ----------------------------- */

/* The byte at position k of the stream of committed bytes. */
static inline unsigned char soak_byte(uint64_t k) {
    return (unsigned char)((k * 0x9E3779B97F4A7C15ull) >> 56);
}

struct soak_ctx {
    bipbuf *b;
    const struct bench_soak_cfg *cfg;
    struct bench_soak_out *out;
    int64_t deadline_ns;
    atomic_int done;          /* the producer has stopped ... */
    _Atomic uint64_t end_pos; /* ... after committing this many bytes */
    uint64_t prod_bad;
    char prod_error[200];
};

static void soak_producer(void *ctx) {
    struct soak_ctx *c = (struct soak_ctx *)ctx;
    bipbuf *b = c->b;
    const size_t max_msg = c->cfg->max_msg;
    uint64_t rng = c->cfg->seed, pos = 0, iter = 0;
    for (;; iter++) {
        void *v;
        unsigned char *p;
        size_t len, k;
        uint64_t roll;
        int rc;
        /* The clock is read every 64 messages: this loop is not measured. */
        if ((iter & 63) == 0 && (bench_now_ns() >= c->deadline_ns || bench_should_stop()))
            break;
        roll = bench_rng_next(&rng);
        len = 1 + (size_t)((roll & 1) ? bench_rng_below(&rng, 64 < max_msg ? 64 : max_msg)
                                      : bench_rng_below(&rng, max_msg));
        if (roll & 2) {
            unsigned spins = 0;
            while ((rc = bipbuf_try_reserve(b, len, &v)) == -EAGAIN)
                bench_spin(&spins);
        } else {
            rc = bipbuf_reserve(b, len, &v);
        }
        if (rc != 0) {
            if (!c->prod_bad++)
                snprintf(c->prod_error, sizeof c->prod_error, "reserve(%zu) returned %d", len, rc);
            break;
        }
        p = (unsigned char *)v;
        for (size_t j = 0; j < len; j++)
            p[j] = soak_byte(pos + j);
        if ((roll & 0x3f0) == 0) {
            /* Misuse while a reservation is open must be refused and harmless. */
            void *v2;
            if (bipbuf_try_reserve(b, 1, &v2) != -EBUSY || bipbuf_commit(b, len + 1) != -EINVAL) {
                if (!c->prod_bad++)
                    snprintf(c->prod_error, sizeof c->prod_error,
                             "misuse with a reservation open was not refused");
            }
        }
        switch ((roll >> 10) & 15) {
        case 0: /* cancel */
            k = 0;
            c->out->cancels++;
            break;
        case 1:
        case 2: /* truncate */
            k = 1 + (size_t)bench_rng_below(&rng, len);
            if (k < len)
                c->out->truncates++;
            break;
        default:
            k = len;
        }
        rc = bipbuf_commit(b, k);
        if (rc != 0) {
            if (!c->prod_bad++)
                snprintf(c->prod_error, sizeof c->prod_error, "commit(%zu) returned %d", k, rc);
            break;
        }
        if (k) {
            c->out->messages++;
            pos += k;
        }
    }
    atomic_store_explicit(&c->end_pos, pos, memory_order_relaxed);
    /* Orders end_pos before done: the consumer reads end_pos after seeing done. */
    atomic_store_explicit(&c->done, 1, memory_order_release);
}

static void soak_consumer(void *ctx) {
    struct soak_ctx *c = (struct soak_ctx *)ctx;
    bipbuf *b = c->b;
    struct bench_soak_out *o = c->out;
    uint64_t rng = c->cfg->seed ^ 0x5bd1e995u, pos = 0;
    unsigned spins = 0;
    for (;;) {
        void *v;
        const unsigned char *p;
        uint64_t roll = bench_rng_next(&rng);
        size_t want = 1 + (size_t)(roll & 63), n = bipbuf_peek(b, want, &v), k;
        if (n == 0) {
            if (atomic_load_explicit(&c->done, memory_order_acquire) &&
                pos == atomic_load_explicit(&c->end_pos, memory_order_relaxed) &&
                bipbuf_peek(b, 1, &v) == 0)
                break;
            bench_spin(&spins);
            continue;
        }
        spins = 0;
        p = (const unsigned char *)v;
        k = (roll & 0x300) ? n : 1 + (size_t)bench_rng_below(&rng, n);
        if (k < n)
            o->partials++;
        for (size_t j = 0; j < k; j++) {
            if (__builtin_expect(p[j] != soak_byte(pos + j), 0)) {
                if (!o->mismatches++)
                    snprintf(o->first_error, sizeof o->first_error,
                             "stream byte %llu: expected 0x%02x, read 0x%02x",
                             (unsigned long long)(pos + j), soak_byte(pos + j), p[j]);
            }
        }
        if ((roll & 0xfc00) == 0 && bipbuf_consume(b, n + 1) != -EINVAL) {
            if (!o->mismatches++)
                snprintf(o->first_error, sizeof o->first_error,
                         "consume beyond what peek showed was not refused");
        }
        /* The producer may be waiting on us: fail loudly rather than hang. */
        if (bipbuf_consume(b, k) != 0)
            bench_fatal("soak: bipbuf_consume of what peek showed", (long)k);
        pos += k;
        o->bytes += k;
    }
}

static int soak(struct bench_runner *r, const struct bench_soak_cfg *cfg,
                struct bench_soak_out *out) {
    struct soak_ctx c = {0};
    int64_t elapsed;
    int rc = bipbuf_create(&c.b, cfg->queue_size);
    if (rc != 0)
        return rc;
    c.cfg = cfg;
    c.out = out;
    atomic_init(&c.done, 0);
    atomic_init(&c.end_pos, 0);
    c.deadline_ns = bench_now_ns() + (int64_t)(cfg->seconds * 1e9);
    rc = bench_run_pair(r, soak_producer, soak_consumer, &c, &elapsed);
    bipbuf_destroy(c.b);
    if (c.prod_bad) {
        out->mismatches += c.prod_bad;
        if (!out->first_error[0])
            snprintf(out->first_error, sizeof out->first_error, "%s", c.prod_error);
    }
    return rc;
}

/* ---- rate: an offered load (rate.h) ---------------------------------------- */

static int rate_send(void *q, size_t len, int64_t stamp, uint64_t i) {
    bipbuf *b = (bipbuf *)q;
    void *v;
    int rc = bipbuf_reserve_timed(b, len, &v, BENCH_RATE_WAIT_LIMIT_NS);
    if (rc != 0)
        return rc;
    bench_rate_fill((unsigned char *)v, len, stamp, i);
    return bipbuf_commit(b, len);
}

static int rate_recv(void *q, size_t len, struct bench_rate_msg *m) {
    bipbuf *b = (bipbuf *)q;
    void *v;
    size_t got;
    int rc = bipbuf_peek_timed(b, len, 0, &v, &got, BENCH_RATE_WAIT_LIMIT_NS);
    if (rc != 0)
        return rc;
    /* Every message is len bytes, so the view starts with this one. */
    bench_rate_take((const unsigned char *)v, len, m);
    return bipbuf_consume(b, len);
}

BENCH_RATE_LOOPS(variant, rate_send, rate_recv)

static int rate(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                struct bench_rate_out *out) {
    bipbuf *b;
    int rc = bipbuf_create(&b, cfg->queue_size);
    if (rc != 0)
        return rc;
    if (cfg->spin_ns >= 0 && (rc = bipbuf_set_spin(b, cfg->spin_ns)) != 0) {
        bipbuf_destroy(b);
        return rc;
    }
    rc = bench_rate_trial(r, cfg, out, b, variant_rate_prod, variant_rate_cons);
    out->sleeps = (int64_t)bipbuf_sleep_count(b, 0);
    out->wakes = (int64_t)bipbuf_wake_count(b, 1);
    /* An asym variant whose kernel refused membarrier fences instead. */
    out->wake = BIPBUF_WAKE == BIPBUF_WAKE_ASYM && bipbuf_wake_kind(b) == BIPBUF_WAKE_FENCE
                    ? "fence"
                    : NULL;
    bipbuf_destroy(b);
    return rc;
}

/* Whether this variant's code, as compiled here, demotes lines on this CPU. */
static int cldemote_active(void) {
    return bipbuf__cldemote_active();
}

const struct bench_impl BIPBUF_CONCAT(bench_impl_, BIPBUF_VARIANT_ID) = {
    .name = BIPBUF_VARIANT_NAME,
    .kind = BENCH_KIND_VARIANT,
    .cached = BIPBUF_CACHED,
    .pad = BIPBUF_PAD,
    .order = BIPBUF_ORDER_NAME,
    .publish = BIPBUF__PUBLISH,
    .cldemote_active = cldemote_active,
    .about = "bip buffer variant",
    .bursts = 1,
    .max_message = NULL,
    .throughput = throughput,
    .latency = latency,
    .soak = soak,
    .rate = rate,
    /* The name's wake suffix without its dash; the spin variants have none. */
    .wake = sizeof BIPBUF__WAKE_NAME > 1 ? &BIPBUF__WAKE_NAME[1] : "spin",
};
