/*
 * peer_loops.h - the loops every peer adapter runs, written once: the
 * throughput producer and consumer (one per workload and read mode, as
 * loops.c stamps them for the variants) and the latency ping and pong (as
 * loops.c's lat_ping and lat_pong), around an adapter's own steps:
 *
 *   void SEND(Q *q, enum bench_workload wl, size_t len, uint64_t i)
 *       wait for room, build message i of len bytes (bench_msg_build) and
 *       publish it;
 *   void RECV(Q *q, enum bench_workload wl, enum bench_read rd, size_t len,
 *             uint64_t i, struct bench_cons_acc *acc)
 *       wait for message i, read it as rd says (bench_msg_len_byte for the
 *       seed's length, bench_msg_read) and release it;
 *   uint64_t RECV_BURST(Q *q, enum bench_workload wl, enum bench_read rd,
 *                       size_t msg_size, uint64_t *rng, uint64_t i,
 *                       uint64_t left, unsigned burst,
 *                       struct bench_cons_acc *acc)
 *       (burst entries only) wait for message i, then take up to burst (and
 *       up to left) messages in one call, as bench_consume_burst does;
 *       *rng, the consumer's copy of the size generator, moves past them;
 *       returns how many (>= 1).
 *
 * Q is the adapter's handle: pointers and constants only, nothing either
 * side changes. Each loop copies it into a local first, so that its fields
 * stay in registers while the message bytes (unsigned char, which may alias
 * anything) are written and read.
 *
 * The loops and the trial helpers below are the only place the peers meet
 * the driver: the same bench_run_pair (pairing, start barrier, clock, where
 * each thread ran), the same message steps, the same latency warm-up
 * (cfg->warmup round trips before recording) and fixed messages of
 * cfg->msg_size bytes, the pong reading byte 0.
 */
#ifndef BENCH_PEER_LOOPS_H
#define BENCH_PEER_LOOPS_H

#include "peer_workload.h"

#include "hist.h"

/* A throughput trial: the queue (the adapter's Q), the options, and the
 * consumer's results (written once, after its loop). */
struct bench_peer_ctx {
    void *q;
    const struct bench_tput_cfg *cfg;
    struct bench_cons_acc acc;
};

/* A latency run: ping sends through `there` and waits on `back`. */
struct bench_peer_lat {
    void *there, *back;
    const struct bench_lat_cfg *cfg;
    struct bench_hist *h;
    uint64_t sum;
};

/* The producer loop and table name##_producers[wl], one message per call,
 * shared by both kinds of loops below. */
#define BENCH__PEER_PRODUCER(name, Q, SEND)                                                        \
    BENCH_INLINE void name##_produce(void *ctx, enum bench_workload wl) {                          \
        struct bench_peer_ctx *c = (struct bench_peer_ctx *)ctx;                                   \
        Q q = *(Q *)c->q;                                                                          \
        const uint64_t n = c->cfg->messages;                                                       \
        const size_t ms = c->cfg->msg_size;                                                        \
        uint64_t rng = c->cfg->seed;                                                               \
        for (uint64_t i = 0; i < n; i++)                                                           \
            SEND(&q, wl, bench_msg_len(wl, ms, &rng), i);                                          \
    }                                                                                              \
    BENCH_PRODUCER_TABLE(name##_producers, name##_produce)

/* Throughput loops and tables name##_producers[wl], name##_consumers[wl][rd]
 * for a consumer that takes one message per call. */
#define BENCH_PEER_LOOPS(name, Q, SEND, RECV)                                                      \
    BENCH__PEER_PRODUCER(name, Q, SEND);                                                           \
    BENCH_INLINE void name##_consume(void *ctx, enum bench_workload wl, enum bench_read rd) {      \
        struct bench_peer_ctx *c = (struct bench_peer_ctx *)ctx;                                   \
        Q q = *(Q *)c->q;                                                                          \
        const uint64_t n = c->cfg->messages;                                                       \
        const size_t ms = c->cfg->msg_size;                                                        \
        uint64_t rng = c->cfg->seed;                                                               \
        struct bench_cons_acc acc = {0, 0, 0};                                                     \
        for (uint64_t i = 0; i < n; i++)                                                           \
            RECV(&q, wl, rd, bench_msg_len(wl, ms, &rng), i, &acc);                                \
        c->acc = acc;                                                                              \
    }                                                                                              \
    BENCH_LOOP_TABLE(name##_consumers, name##_consume)

/* The same for a consumer with a burst mode: with cfg->burst > 1 it takes up
 * to that many per call (RECV_BURST), else one (RECV), as loops.c's consumer. */
#define BENCH_PEER_BURST_LOOPS(name, Q, SEND, RECV, RECV_BURST)                                    \
    BENCH__PEER_PRODUCER(name, Q, SEND);                                                           \
    BENCH_INLINE void name##_consume(void *ctx, enum bench_workload wl, enum bench_read rd) {      \
        struct bench_peer_ctx *c = (struct bench_peer_ctx *)ctx;                                   \
        Q q = *(Q *)c->q;                                                                          \
        const uint64_t n = c->cfg->messages;                                                       \
        const size_t ms = c->cfg->msg_size;                                                        \
        const unsigned burst = c->cfg->burst;                                                      \
        uint64_t rng = c->cfg->seed;                                                               \
        struct bench_cons_acc acc = {0, 0, 0};                                                     \
        if (burst > 1) {                                                                           \
            for (uint64_t i = 0; i < n;)                                                           \
                i += RECV_BURST(&q, wl, rd, ms, &rng, i, n - i, burst, &acc);                      \
        } else {                                                                                   \
            for (uint64_t i = 0; i < n; i++)                                                       \
                RECV(&q, wl, rd, bench_msg_len(wl, ms, &rng), i, &acc);                            \
        }                                                                                          \
        c->acc = acc;                                                                              \
    }                                                                                              \
    BENCH_LOOP_TABLE(name##_consumers, name##_consume)

/* Latency: name##_ping (producer's PU: send, wait for the echo, time both)
 * and name##_pong (consumer's PU: receive reading byte 0, reply), on a
 * struct bench_peer_lat whose queues are Qs. */
#define BENCH_PEER_LAT_LOOPS(name, Q, SEND, RECV)                                                  \
    static void name##_ping(void *ctx) {                                                           \
        struct bench_peer_lat *c = (struct bench_peer_lat *)ctx;                                   \
        Q there = *(Q *)c->there, back = *(Q *)c->back;                                            \
        const uint64_t warm = c->cfg->warmup, n = warm + c->cfg->samples;                          \
        const size_t len = c->cfg->msg_size;                                                       \
        struct bench_cons_acc acc = {0, 0, 0};                                                     \
        for (uint64_t i = 0; i < n; i++) {                                                         \
            int64_t t0 = bench_now_ns(), t1;                                                       \
            SEND(&there, BENCH_WL_FIXED, len, i);                                                  \
            RECV(&back, BENCH_WL_FIXED, BENCH_READ_FIRST, len, i, &acc);                           \
            t1 = bench_now_ns();                                                                   \
            if (i >= warm)                                                                         \
                bench_hist_record(c->h, (uint64_t)(t1 - t0));                                      \
        }                                                                                          \
        c->sum = acc.sum;                                                                          \
    }                                                                                              \
    static void name##_pong(void *ctx) {                                                           \
        struct bench_peer_lat *c = (struct bench_peer_lat *)ctx;                                   \
        Q there = *(Q *)c->there, back = *(Q *)c->back;                                            \
        const uint64_t n = c->cfg->warmup + c->cfg->samples;                                       \
        const size_t len = c->cfg->msg_size;                                                       \
        struct bench_cons_acc acc = {0, 0, 0};                                                     \
        for (uint64_t i = 0; i < n; i++) {                                                         \
            RECV(&there, BENCH_WL_FIXED, BENCH_READ_FIRST, len, i, &acc);                          \
            SEND(&back, BENCH_WL_FIXED, len, i);                                                   \
        }                                                                                          \
    }

/* One throughput trial on a queue the adapter has made (on the producer's
 * PU, where the driver runs this): the pair, then the consumer's results. */
static inline int bench_peer_tput_trial(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                        void *q, void (*prod)(void *), void (*cons)(void *),
                                        struct bench_tput_out *out) {
    struct bench_peer_ctx c;
    int rc;
    memset(&c, 0, sizeof c);
    c.q = q;
    c.cfg = cfg;
    rc = bench_run_pair(r, prod, cons, &c, &out->elapsed_ns);
    bench_tput_result(out, cfg, &c.acc);
    return rc;
}

/* One latency run on two queues the adapter has made. */
static inline int bench_peer_lat_trial(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                                       struct bench_hist *h, void *there, void *back,
                                       void (*ping)(void *), void (*pong)(void *)) {
    struct bench_peer_lat c;
    int64_t elapsed;
    memset(&c, 0, sizeof c);
    c.there = there;
    c.back = back;
    c.cfg = cfg;
    c.h = h;
    return bench_run_pair(r, ping, pong, &c, &elapsed);
}

#endif
