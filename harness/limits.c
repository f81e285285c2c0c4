/*
 * limits.c - what the hardware allows, measured in the same run as the
 * variants (docs/DESIGN.md, "Limits"). Compiled once, against the default library
 * (plain bipbuf_* names: the variant bipbuf.h makes the default), whose
 * operations the one-thread limit uses.
 *
 *   limit-onethread  the same workload on one thread, producer and consumer
 *                    steps interleaved: the cost of the operations with no
 *                    cache line crossing cores (runs on the producer's PU).
 *   limit-c2c        one-way core-to-core latency of the chosen pair: one
 *                    cache line bounced between the two threads; the row's
 *                    elapsed_ns is ns per one-way hop.
 */
#define _POSIX_C_SOURCE 200809L
#include "bipbuf.h"

#include <stdatomic.h>
#include <stdint.h>

#include "hist.h"
#include "workload.h"

#ifdef BIPBUF_VARIANT_SELECTED
#    error "limits.c uses the default variant: compile it without BIPBUF_CACHED/PAD/ORDER"
#endif

/* ---- limit-onethread ----------------------------------------------------- */

BENCH_INLINE void onethread_loop(void *ctx, enum bench_workload wl, enum bench_read rd) {
    struct bench_tput_ctx *c = (struct bench_tput_ctx *)ctx;
    bipbuf *b = c->b;
    const uint64_t n = c->cfg->messages;
    const size_t ms = c->cfg->msg_size;
    const unsigned burst = c->cfg->burst;
    uint64_t prng = c->cfg->seed, crng = c->cfg->seed;
    struct bench_cons_acc acc = {0, 0, 0};
    if (burst > 1) {
        /* Up to a burst of messages in (as many as fit in max_reserve, which
         * an empty buffer always takes), then bursts out until it is empty
         * again: a view ends at the wrap, so one burst may not take all. */
        const size_t room = bipbuf_max_reserve(b);
        for (uint64_t i = 0, sent = 0; i < n;) {
            size_t queued = 0;
            uint64_t r = prng;
            while (sent < n && sent - i < burst) {
                size_t len = bench_msg_len(wl, ms, &r);
                if (sent > i && queued + len > room)
                    break;
                bench_produce_one(b, wl, len, sent++);
                queued += len;
                prng = r;
            }
            while (i < sent)
                i += bench_consume_burst(b, wl, rd, ms, &crng, i, sent - i, burst, 0, &acc);
        }
    } else {
        for (uint64_t i = 0; i < n; i++) {
            bench_produce_one(b, wl, bench_msg_len(wl, ms, &prng), i);
            bench_consume_one(b, wl, rd, bench_msg_len(wl, ms, &crng), i, 0, &acc);
        }
    }
    c->acc = acc;
}

BENCH_LOOP_TABLE(onethread_loops, onethread_loop);

static int onethread(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                     struct bench_tput_out *out) {
    return bench_tput_trial(r, cfg, onethread_loops[cfg->workload][cfg->read], NULL, out);
}

/* Whether the default variant's code, as compiled here, demotes lines on
 * this CPU. */
static int onethread_cldemote(void) {
    return bipbuf__cldemote_active();
}

const struct bench_impl bench_limit_onethread = {
    .name = "limit-onethread",
    .kind = BENCH_KIND_LIMIT,
    .cached = BIPBUF_CACHED,
    .pad = BIPBUF_PAD,
    .order = BIPBUF_ORDER_NAME,
    .publish = BIPBUF__PUBLISH,
    .cldemote_active = onethread_cldemote,
    .about = "the workload on one thread, steps interleaved (default variant's operations)",
    .one_thread = 1,
    .bursts = 1,
    .throughput = onethread,
};

/* ---- limit-c2c ------------------------------------------------------------- */

/* Round trips for the throughput row: enough for a stable mean, bounded so
 * that --messages 33554432 does not mean minutes of ping-pong. */
#define C2C_MAX_ROUND_TRIPS 1000000u

struct c2c_ctx {
    /* The one line that travels: alone on a 128-byte pair of lines so that
     * nothing else (and no adjacent-line prefetch) rides with it. */
    _Alignas(128) _Atomic uint64_t line;
    char pad_[128 - sizeof(uint64_t)];
    uint64_t round_trips, warmup;
    struct bench_hist *h; /* latency mode: one sample per round trip */
};

/*
 * Ping stores odd values and waits for the next even one; pong answers each
 * odd value with the next even one. Release/acquire: each store is what the
 * other side waits to see, and nothing else needs ordering.
 */
static void c2c_ping(void *ctx) {
    struct c2c_ctx *c = (struct c2c_ctx *)ctx;
    const uint64_t n = c->warmup + c->round_trips;
    for (uint64_t i = 0; i < n; i++) {
        unsigned spins = 0;
        int64_t t0 = c->h ? bench_now_ns() : 0;
        atomic_store_explicit(&c->line, 2 * i + 1, memory_order_release);
        while (atomic_load_explicit(&c->line, memory_order_acquire) != 2 * i + 2)
            bench_spin(&spins);
        if (c->h && i >= c->warmup)
            bench_hist_record(c->h, (uint64_t)(bench_now_ns() - t0));
    }
}

static void c2c_pong(void *ctx) {
    struct c2c_ctx *c = (struct c2c_ctx *)ctx;
    const uint64_t n = c->warmup + c->round_trips;
    for (uint64_t i = 0; i < n; i++) {
        unsigned spins = 0;
        while (atomic_load_explicit(&c->line, memory_order_acquire) != 2 * i + 1)
            bench_spin(&spins);
        atomic_store_explicit(&c->line, 2 * i + 2, memory_order_release);
    }
}

static int c2c_run(struct bench_runner *r, uint64_t round_trips, uint64_t warmup,
                   struct bench_hist *h, int64_t *elapsed) {
    static struct c2c_ctx c; /* static: _Alignas(128) honoured without aligned allocation */
    atomic_store_explicit(&c.line, 0, memory_order_relaxed);
    c.round_trips = round_trips;
    c.warmup = warmup;
    c.h = h;
    return bench_run_pair(r, c2c_ping, c2c_pong, &c, elapsed);
}

/* Carries no messages: any --msg-size is fine. */
static size_t c2c_max_message(size_t queue_size) {
    (void)queue_size;
    return SIZE_MAX;
}

static int c2c_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                          struct bench_tput_out *out) {
    uint64_t n = cfg->messages < C2C_MAX_ROUND_TRIPS ? cfg->messages : C2C_MAX_ROUND_TRIPS;
    int64_t elapsed = 0;
    int rc = c2c_run(r, n, 0, NULL, &elapsed);
    out->messages = 2 * n; /* one-way hops */
    /* The whole ping-pong; the driver reports it per hop (elapsed_unit). */
    out->elapsed_ns = elapsed;
    out->bytes = 0;
    out->mismatches = 0;
    out->sum = 0;
    out->per_hop = 1;
    return rc;
}

static int c2c_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                       struct bench_hist *h) {
    int64_t elapsed;
    return c2c_run(r, cfg->samples, cfg->warmup, h, &elapsed);
}

const struct bench_impl bench_limit_c2c = {
    .name = "limit-c2c",
    .kind = BENCH_KIND_LIMIT,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "one-way core-to-core latency of the pair (cache-line ping-pong; ns per hop)",
    .bursts = 1, /* it carries no messages: the same with any --burst */
    .max_message = c2c_max_message,
    .throughput = c2c_throughput,
    .latency = c2c_latency,
};
