/*
 * rate.h - the offered-rate workload (bipbench rate), written once for every
 * entry that has it: the bip buffer variants (loops.c), limit-futex
 * (limits.c), the blocking peers (blocking.c, peers/peer_rwq.cc). C and C++.
 *
 * OPEN LOOP. Message i is due at t0 + (i + 1) / rate. The producer waits
 * for the due time (sleeping in clock_nanosleep, or spinning: --pace), reads
 * the clock, and sends at once; a message whose due time has passed is sent
 * at once without waiting, and its lateness is recorded, so a stall of the
 * queue (or of the producer) shows in the latency from the due time instead
 * of thinning the schedule (coordinated omission). The first message is due
 * one period after t0, so --rate R --seconds S with R * S = 1 measures a
 * consumer that waits S seconds for one message (the idle measurement).
 *
 * A MESSAGE: msg_size bytes, at least 8: bytes 0..7 hold the producer's
 * clock read just before it reserved (CLOCK_MONOTONIC, ns since t0's clock
 * origin), bytes 8.. hold i mod 251 + 1 in turn, and the consumer checks the
 * last of them (when there is one) for its own count: a lost, repeated or
 * reordered message is a mismatch. The consumer reads the clock once it
 * holds the message's bytes: latency from the send = that - the stamp;
 * from the due time = that - due(i).
 *
 * CPU: each thread reads CLOCK_THREAD_CPUTIME_ID before its first message
 * and after its last: what the kernel charged it, spinning and system calls
 * included, sleeping excluded.
 *
 * An entry gives two functions, inlined into its two loops:
 *   int SEND(void *q, size_t len, int64_t stamp, uint64_t i): reserve or
 *     write len bytes made by bench_rate_fill(p, len, stamp, i), waiting for
 *     room as the entry waits; 0 or a negative errno.
 *   int RECV(void *q, size_t len, struct bench_rate_msg *m): wait for the
 *     next message, fill *m with bench_rate_take from its bytes (before
 *     releasing them), release it; 0 or a negative errno.
 * and BENCH_RATE_LOOPS(prefix, SEND, RECV) defines prefix_rate_prod and
 * prefix_rate_cons for bench_rate_trial.
 */
#ifndef BENCH_RATE_H
#define BENCH_RATE_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "bipbuf.h"
#include "hist.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the consumer keeps of a message. */
struct bench_rate_msg {
    int64_t stamp;
    int last; /* the last byte, or -1 for an 8-byte message */
};

struct bench_rate_ctx {
    const struct bench_rate_cfg *cfg;
    struct bench_rate_out *out;
    void *q;
    int64_t t0;
    double period_ns;
};

/* A wait of an entry's send or receive that outlasts this is a lost
 * wake-up or a dead peer: the run fails instead of hanging. */
#define BENCH_RATE_WAIT_LIMIT_NS 30000000000ll

static inline int64_t bench_rate_due(const struct bench_rate_ctx *c, uint64_t i) {
    return c->t0 + (int64_t)((double)(i + 1) * c->period_ns);
}

static inline int64_t bench_thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline unsigned char bench_rate_byte(uint64_t i) {
    return (unsigned char)(i % 251 + 1);
}

static inline void bench_rate_fill(unsigned char *p, size_t len, int64_t stamp, uint64_t i) {
    memcpy(p, &stamp, sizeof stamp);
    if (len > 8)
        memset(p + 8, bench_rate_byte(i), len - 8);
}

static inline void bench_rate_take(const unsigned char *p, size_t len, struct bench_rate_msg *m) {
    memcpy(&m->stamp, p, sizeof m->stamp);
    m->last = len > 8 ? p[len - 1] : -1;
}

/* Wait until the clock reads `due` (ns). */
static inline void bench_rate_pace(enum bench_pace pace, int64_t due) {
    if (pace == BENCH_PACE_SLEEP) {
        struct timespec ts;
        ts.tv_sec = (time_t)(due / 1000000000);
        ts.tv_nsec = (long)(due % 1000000000);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
        }
        return;
    }
    while (bench_now_ns() < due)
        bipbuf_relax();
}

static inline uint64_t bench_rate_nonneg(int64_t v) {
    return v > 0 ? (uint64_t)v : 0;
}

BENCH_INLINE void bench_rate_produce(struct bench_rate_ctx *c,
                                     int (*send)(void *, size_t, int64_t, uint64_t)) {
    const struct bench_rate_cfg *cfg = c->cfg;
    struct bench_rate_out *o = c->out;
    const uint64_t n = cfg->messages;
    const size_t len = cfg->msg_size;
    const int64_t cpu0 = bench_thread_cpu_ns();
    int64_t in_send = 0, last = c->t0;
    for (uint64_t i = 0; i < n; i++) {
        const int64_t due = bench_rate_due(c, i);
        int64_t now = bench_now_ns(), after;
        int rc;
        if (now < due) {
            bench_rate_pace(cfg->pace, due);
            now = bench_now_ns();
        }
        bench_hist_record(o->late, bench_rate_nonneg(now - due));
        rc = send(c->q, len, now, i);
        if (rc != 0)
            bench_fatal("rate: the producer's send", rc);
        after = bench_now_ns();
        in_send += after - now;
        last = now;
    }
    o->cpu_ns[0] = bench_thread_cpu_ns() - cpu0;
    o->send_ns = in_send;
    o->last_send_ns = last - c->t0;
}

BENCH_INLINE void bench_rate_consume(struct bench_rate_ctx *c,
                                     int (*recv)(void *, size_t, struct bench_rate_msg *)) {
    const struct bench_rate_cfg *cfg = c->cfg;
    struct bench_rate_out *o = c->out;
    const uint64_t n = cfg->messages;
    const size_t len = cfg->msg_size;
    const int64_t cpu0 = bench_thread_cpu_ns();
    int64_t now = c->t0;
    uint64_t bad = 0;
    for (uint64_t i = 0; i < n; i++) {
        struct bench_rate_msg m = {0, -1};
        int rc = recv(c->q, len, &m);
        if (rc != 0)
            bench_fatal("rate: the consumer's receive", rc);
        now = bench_now_ns();
        if (m.stamp < c->t0 || m.stamp > now || (m.last >= 0 && m.last != bench_rate_byte(i)))
            bad++;
        bench_hist_record(o->from_send, bench_rate_nonneg(now - m.stamp));
        bench_hist_record(o->from_due, bench_rate_nonneg(now - bench_rate_due(c, i)));
    }
    o->cpu_ns[1] = bench_thread_cpu_ns() - cpu0;
    o->elapsed_ns = now - c->t0;
    o->messages = n;
    o->mismatches = bad;
}

#define BENCH_RATE_LOOPS(prefix, SEND, RECV)                                                       \
    static void prefix##_rate_prod(void *ctx) {                                                    \
        bench_rate_produce((struct bench_rate_ctx *)ctx, SEND);                                    \
    }                                                                                              \
    static void prefix##_rate_cons(void *ctx) {                                                    \
        bench_rate_consume((struct bench_rate_ctx *)ctx, RECV);                                    \
    }

/*
 * One trial on queue q: t0 is set a few milliseconds ahead, before the
 * threads start, so that both know it without sharing a clock read; a
 * thread that starts later than that is late for its first messages, and
 * says so in the lateness. Returns bench_run_pair's status; a wrong
 * message is counted in out->mismatches.
 */
static inline int bench_rate_trial(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                                   struct bench_rate_out *out, void *q, void (*prod)(void *),
                                   void (*cons)(void *)) {
    struct bench_rate_ctx c;
    int64_t elapsed;
    c.cfg = cfg;
    c.out = out;
    c.q = q;
    c.period_ns = 1e9 / cfg->rate;
    c.t0 = bench_now_ns() + 5000000;
    out->mismatches = 0;
    return bench_run_pair(r, prod, cons, &c, &elapsed);
}

#ifdef __cplusplus
}
#endif
#endif
