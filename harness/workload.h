/*
 * workload.h - one message of each workload, produced and consumed, written
 * once against the public bipbuf_* names. Include after bipbuf.h: in a
 * translation unit compiled for one variant the names are that variant's, so
 * the core is inlined into every loop built from these steps.
 *
 * Every step is always_inline and takes the workload and read mode as
 * arguments that the caller passes as constants: each (workload, read)
 * combination becomes its own loop with no per-message branch on either.
 *
 * Workloads (docs/DESIGN.md, "Workloads"):
 *   seed    message i: byte 0 = its length, the other bytes = i mod 128; the
 *           consumer waits for 1 byte, reads the length, waits for the whole
 *           message. With --read none it uses the configured length instead
 *           and touches no byte of the payload.
 *   fixed   every message msg_size bytes, each byte bench_msg_fill(i).
 *   random  sizes 1..msg_size from a seeded generator that both sides run
 *           in step, so no header is needed; bytes as fixed.
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <string.h>

#include "bench.h"
#include "spin.h"

/* From this length on, bench_fill calls memset: its wide vector stores take
 * fewer store-buffer entries than word stores, which matters while the
 * stores wait for their lines (measured: docs/FINDINGS.md, "memset for the fill"). */
#define BENCH_MEMSET_FROM 32

BENCH_INLINE size_t bench_msg_len(enum bench_workload wl, size_t msg_size, uint64_t *rng) {
    if (wl == BENCH_WL_RANDOM)
        return 1 + (size_t)bench_rng_below(rng, msg_size);
    return msg_size;
}

/* The byte value every payload byte of message i holds. */
BENCH_INLINE unsigned char bench_msg_fill(enum bench_workload wl, uint64_t i) {
    if (wl == BENCH_WL_SEED)
        return (unsigned char)(i % 128);
    return (unsigned char)((i * 0x9E3779B97F4A7C15ull) >> 56);
}

/* 8 copies of byte v: the word the fill and check loops work with. */
BENCH_INLINE uint64_t bench_word_of(unsigned char v) {
    return 0x0101010101010101ull * v;
}

/*
 * Fill p[0..len) with v. Word stores for short messages: a call to memset
 * for 8 bytes costs more than the bytes. memset itself for long ones. (The
 * loops are written so that the compiler does not turn them back into a call.)
 */
BENCH_INLINE void bench_fill(unsigned char *p, unsigned char v, size_t len) {
    uint64_t w = bench_word_of(v);
    if (len >= BENCH_MEMSET_FROM) {
        memset(p, v, len);
    } else if (len >= 8) {
        size_t j = 0;
        for (; j + 8 <= len; j += 8)
            memcpy(p + j, &w, 8);
        if (j < len) /* the tail: one overlapping word */
            memcpy(p + len - 8, &w, 8);
    } else {
        if (len & 4) {
            memcpy(p, &w, 4);
            p += 4;
        }
        if (len & 2) {
            memcpy(p, &w, 2);
            p += 2;
        }
        if (len & 1)
            *p = v;
    }
}

/* The sum of the 8 bytes of x (at most 8 * 255: fits the 16-bit lanes). */
BENCH_INLINE uint64_t bench_word_byte_sum(uint64_t x) {
    x = (x & 0x00FF00FF00FF00FFull) + ((x >> 8) & 0x00FF00FF00FF00FFull);
    return (x * 0x0001000100010001ull) >> 48;
}

/* Sum of p[0..len): every byte is loaded, a word at a time. */
BENCH_INLINE uint64_t bench_sum(const unsigned char *p, size_t len) {
    uint64_t s = 0;
    size_t j = 0;
    for (; j + 8 <= len; j += 8) {
        uint64_t x;
        memcpy(&x, p + j, 8);
        s += bench_word_byte_sum(x);
    }
    for (; j < len; j++)
        s += p[j];
    return s;
}

/* Bytes of p[0..len) that differ from v; adds their sum to *sum. */
BENCH_INLINE uint64_t bench_check(const unsigned char *p, size_t len, unsigned char v,
                                  uint64_t *sum) {
    const uint64_t w = bench_word_of(v);
    uint64_t bad = 0, s = 0;
    size_t j = 0;
    for (; j + 8 <= len; j += 8) {
        uint64_t x;
        memcpy(&x, p + j, 8);
        s += bench_word_byte_sum(x);
        if (__builtin_expect(x != w, 0)) {
            for (size_t k = 0; k < 8; k++)
                bad += p[j + k] != v;
        }
    }
    for (; j < len; j++) {
        s += p[j];
        bad += p[j] != v;
    }
    *sum += s;
    return bad;
}

/* The consumer's running results, kept in registers by the loops. */
struct bench_cons_acc {
    uint64_t sum, bad, bytes;
};

/* Producer: write message i of len bytes at p. */
BENCH_INLINE void bench_msg_build(unsigned char *p, enum bench_workload wl, size_t len,
                                  uint64_t i) {
    if (wl == BENCH_WL_SEED) {
        p[0] = (unsigned char)len;
        bench_fill(p + 1, bench_msg_fill(wl, i), len - 1);
    } else {
        bench_fill(p, bench_msg_fill(wl, i), len);
    }
}

/* Consumer, seed workload (reading anything): the length byte b0 it waited
 * for. A wrong length would desynchronise the stream: count it and go on
 * with the length we know, so a bug shows as a mismatch, not a hang. */
BENCH_INLINE void bench_msg_len_byte(unsigned char b0, size_t len, struct bench_cons_acc *acc) {
    if (__builtin_expect(b0 != len, 0))
        acc->bad++;
    acc->sum += b0;
}

/* Consumer: read message i (len bytes at p, all arrived) as `rd` says, from
 * byte j on (1 after bench_msg_len_byte, else 0), and count it. */
BENCH_INLINE void bench_msg_read(const unsigned char *p, enum bench_workload wl, enum bench_read rd,
                                 size_t j, size_t len, uint64_t i, struct bench_cons_acc *acc) {
    if ((rd == BENCH_READ_FIRST || rd == BENCH_READ_LAST) && wl != BENCH_WL_SEED) {
        acc->sum += p[0];
    }
    if (rd == BENCH_READ_LAST) {
        acc->sum += p[len - 1]; /* the seed's byte 0 was read with its length */
    } else if (rd == BENCH_READ_ALL) {
        acc->sum += bench_sum(p + j, len - j);
    } else if (rd == BENCH_READ_CHECK) {
        acc->bad += bench_check(p + j, len - j, bench_msg_fill(wl, i), &acc->sum);
    }
    acc->bytes += len;
}

/* Producer: reserve, build message i of len bytes in place, commit. */
BENCH_INLINE void bench_produce_one(bipbuf *b, enum bench_workload wl, size_t len, uint64_t i) {
    void *v;
    unsigned char *p;
    int rc = bipbuf_reserve(b, len, &v);
    if (__builtin_expect(rc != 0, 0))
        bench_fatal("bipbuf_reserve", rc);
    p = (unsigned char *)v;
    bench_msg_build(p, wl, len, i);
    rc = bipbuf_commit(b, len);
    if (__builtin_expect(rc != 0, 0))
        bench_fatal("bipbuf_commit", rc);
}

/*
 * Consumer: wait for message i (len bytes, as the producer's generator said)
 * and read it as `rd` says, then consume it. Waiting is bipbuf_peek_wait
 * with `lag` (bytes; 0 for latency runs): see bipbuf.h for why a throughput
 * consumer lets the producer get ahead.
 */
BENCH_INLINE void bench_consume_one(bipbuf *b, enum bench_workload wl, enum bench_read rd,
                                    size_t len, uint64_t i, size_t lag,
                                    struct bench_cons_acc *acc) {
    void *v;
    size_t j = 0;
    int rc;
    if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
        /* As the seed: wait for the length byte, then for the message. */
        bipbuf_peek_wait(b, 1, lag, &v);
        bench_msg_len_byte(*(const unsigned char *)v, len, acc);
        j = 1;
    }
    bipbuf_peek_wait(b, len, lag, &v);
    bench_msg_read((const unsigned char *)v, wl, rd, j, len, i, acc);
    rc = bipbuf_consume(b, len);
    if (__builtin_expect(rc != 0, 0))
        bench_fatal("bipbuf_consume", rc);
}

/*
 * Consumer, in bursts: wait until message i has arrived whole, then read, as
 * `rd` says, every message of the view that has arrived whole, up to
 * `burst` and up to `left`, and release them all with one consume. *rng is
 * the consumer's copy of the size generator; it moves past the messages
 * taken. Returns how many were taken (>= 1). (The seed workload waits for
 * the first message whole rather than for its length byte first.)
 */
BENCH_INLINE uint64_t bench_consume_burst(bipbuf *b, enum bench_workload wl, enum bench_read rd,
                                          size_t msg_size, uint64_t *rng, uint64_t i, uint64_t left,
                                          unsigned burst, size_t lag, struct bench_cons_acc *acc) {
    void *v;
    const unsigned char *p;
    uint64_t r = *rng, k = 0;
    size_t len = bench_msg_len(wl, msg_size, &r), used = 0, avail;
    int rc;
    avail = bipbuf_peek_wait(b, len, lag, &v);
    p = (const unsigned char *)v;
    for (;;) {
        size_t j = 0;
        if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
            bench_msg_len_byte(p[used], len, acc);
            j = 1;
        }
        bench_msg_read(p + used, wl, rd, j, len, i + k, acc);
        used += len;
        k++;
        *rng = r;
        if (k == burst || k == left)
            break;
        len = bench_msg_len(wl, msg_size, &r);
        if (used + len > avail)
            break; /* the next one has not arrived whole in this view */
    }
    rc = bipbuf_consume(b, used);
    if (__builtin_expect(rc != 0, 0))
        bench_fatal("bipbuf_consume", rc);
    return k;
}

/* What a throughput trial's loops share: the buffer, the options, and the
 * consumer's results (written once, after its loop). */
struct bench_tput_ctx {
    bipbuf *b;
    const struct bench_tput_cfg *cfg;
    struct bench_cons_acc acc;
};

/* A finished trial's counts, from the consumer's results (the elapsed time
 * is already there: bench_run_pair wrote it). */
BENCH_INLINE void bench_tput_result(struct bench_tput_out *out, const struct bench_tput_cfg *cfg,
                                    const struct bench_cons_acc *acc) {
    out->messages = cfg->messages;
    out->bytes = acc->bytes;
    out->mismatches = acc->bad;
    out->sum = acc->sum;
    out->per_hop = 0;
}

/*
 * One throughput trial: a fresh buffer, prod and cons (cons NULL: prod does
 * both sides on one thread) run by bench_run_pair on a bench_tput_ctx, and
 * the consumer's results copied out.
 */
static inline int bench_tput_trial(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                   void (*prod)(void *), void (*cons)(void *),
                                   struct bench_tput_out *out) {
    struct bench_tput_ctx c;
    int rc;
    memset(&c, 0, sizeof c); /* (an initialiser list warns when C++ includes this) */
    c.cfg = cfg;
    rc = bipbuf_create(&c.b, cfg->queue_size);
    if (rc != 0)
        return rc;
    rc = bench_run_pair(r, prod, cons, &c, &out->elapsed_ns);
    bipbuf_destroy(c.b);
    bench_tput_result(out, cfg, &c.acc);
    return rc;
}

/*
 * Stamp out one function per workload, fn(ctx, BENCH_WL_x) with the workload
 * a constant, and a table `name[BENCH_WL_COUNT]` of them. fn is an
 * always-inline function (void fn(void *ctx, enum bench_workload wl)), so
 * each entry is that loop specialised for its workload.
 */
#define BENCH__PROD_FN(name, fn, u, wtok, wstr)                                                    \
    static void name##_##wtok(void *ctx) {                                                         \
        fn(ctx, BENCH_WL_##wtok);                                                                  \
    }
#define BENCH__PROD_REF(name, fn, u, wtok, wstr) name##_##wtok,
#define BENCH_PRODUCER_TABLE(name, fn)                                                             \
    BENCH_FOR_EACH_WORKLOAD(BENCH__PROD_FN, name, fn, _)                                           \
    static void (*const name[BENCH_WL_COUNT])(void *) = {                                          \
        BENCH_FOR_EACH_WORKLOAD(BENCH__PROD_REF, name, fn, _)}

/*
 * Stamp out one function per (workload, read) pair, fn(ctx, BENCH_WL_x,
 * BENCH_READ_y) with both constants, and a table
 * `name[BENCH_WL_COUNT][BENCH_READ_COUNT]` of them; fn is always-inline
 * (void fn(void *ctx, enum bench_workload wl, enum bench_read rd)).
 */
#define BENCH__LOOP_FN(name, fn, wtok, rtok, rstr)                                                 \
    static void name##_##wtok##_##rtok(void *ctx) {                                                \
        fn(ctx, BENCH_WL_##wtok, BENCH_READ_##rtok);                                               \
    }
#define BENCH__LOOP_REF(name, fn, wtok, rtok, rstr) name##_##wtok##_##rtok,
#define BENCH__LOOP_FNS(name, fn, u, wtok, wstr)    BENCH_FOR_EACH_READ(BENCH__LOOP_FN, name, fn, wtok)
#define BENCH__LOOP_ROW(name, fn, u, wtok, wstr)                                                   \
    {BENCH_FOR_EACH_READ(BENCH__LOOP_REF, name, fn, wtok)},
#define BENCH_LOOP_TABLE(name, fn)                                                                 \
    BENCH_FOR_EACH_WORKLOAD(BENCH__LOOP_FNS, name, fn, _)                                          \
    static void (*const name[BENCH_WL_COUNT][BENCH_READ_COUNT])(void *) = {                        \
        BENCH_FOR_EACH_WORKLOAD(BENCH__LOOP_ROW, name, fn, _)}

#endif
