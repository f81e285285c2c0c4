/*
 * stream.c - limit-stream: the fastest the chosen pair of cores can move the
 * run's messages (the same sizes, count, workload and read mode) through a
 * buffer of the same capacity, with the least coherence traffic a buffer
 * can have: no index is shared per message (docs/DESIGN.md, "Limits", has
 * the argument and what it gives up).
 *
 *   - Each message is a record at an 8-byte aligned offset: an 8-byte header,
 *     then the payload, padded to 8 bytes. The producer writes the payload,
 *     then the header with a release store; the header is STREAM_TAG | the
 *     message's number, so a header left from an earlier lap never matches.
 *   - A record that does not fit before the end of the array goes to offset
 *     0: the contiguity of the bip buffer. Both sides know every message's
 *     length (the workload's generator, as the variants' consumers do), so
 *     both compute where each record goes and no wrap marker is needed.
 *   - The consumer polls the header it expects (acquire), reads the payload
 *     as the read mode says (workload.h's steps, as the variants' consumers
 *     read it), and publishes how far it has read only every capacity/4
 *     bytes and whenever it is about to wait: the producer loads that word
 *     only when its own view says it is out of room.
 *   - When the consumer has caught up, it waits for the record `lag` bytes
 *     ahead rather than the next one (the variants' lag pause, done the way
 *     this layout allows), so that the lines cross about once.
 *
 * No API: the two loops below are all of it. Compiled once.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"

/* Three distinct bytes above the 40-bit message number: no payload word of
 * any workload has them there (fixed and random words repeat one byte; the
 * seed workload's bytes after the first are below 0x80; the padding after a
 * payload is zeroed), and memory starts zeroed. */
#define STREAM_TAG      (0xB1B0F5ull << 40)
#define STREAM_SEQ_MASK ((1ull << 40) - 1)
#define STREAM_HDR      8u

/* The producer flips one payload byte of this message when the test-only
 * environment variable BIPBENCH_TEST_STREAM_FLIP names it (harness/tests:
 * --check must find it). Read once per trial; the loop is then a separate
 * specialisation, so a normal trial's producer has no test in it. */
#define STREAM_FLIP_ENV "BIPBENCH_TEST_STREAM_FLIP"

struct stream_ctx {
    /* The consumer's published position (bytes of the stream, wrap padding
     * included): the one word written by the consumer, on lines of its own. */
    _Alignas(128) _Atomic uint64_t consumed;
    char pad_[128 - sizeof(uint64_t)];
    unsigned char *buf;
    size_t cap;     /* a multiple of 8 */
    uint64_t every; /* the consumer publishes after this many bytes */
    uint64_t flip;  /* the message whose byte is flipped (UINT64_MAX: none) */
    const struct bench_tput_cfg *cfg;
    struct bench_cons_acc acc;
};

BENCH_INLINE size_t stream_rec(size_t len) {
    return STREAM_HDR + ((len + 7) & ~(size_t)7);
}

BENCH_INLINE _Atomic uint64_t *stream_hdr(unsigned char *buf, size_t off) {
    return (_Atomic uint64_t *)(void *)(buf + off);
}

/* Where a record of rec bytes goes from (off, pos): to offset 0 if it does
 * not fit before the end; pos counts the skipped bytes too. */
BENCH_INLINE void stream_place(size_t *off, uint64_t *pos, size_t rec, size_t cap) {
    if (*off + rec > cap) {
        *pos += cap - *off;
        *off = 0;
    }
}

BENCH_INLINE void stream_produce(void *ctx, enum bench_workload wl, int flipping) {
    struct stream_ctx *c = (struct stream_ctx *)ctx;
    unsigned char *const buf = c->buf;
    const size_t cap = c->cap, ms = c->cfg->msg_size;
    const uint64_t n = c->cfg->messages;
    uint64_t rng = c->cfg->seed, pos = 0, seen = 0; /* seen: the consumer's position we know */
    size_t off = 0;
    for (uint64_t i = 0; i < n; i++) {
        const size_t len = bench_msg_len(wl, ms, &rng), rec = stream_rec(len);
        stream_place(&off, &pos, rec, cap);
        if (pos + rec - seen > cap) {
            unsigned spins = 0;
            /* Pairs with the consumer's release: its reads of these bytes are done. */
            while (pos + rec - (seen = atomic_load_explicit(&c->consumed, memory_order_acquire)) >
                   cap)
                bench_spin(&spins);
        }
        /* The record's last word zeroed first, then the payload over it: the
         * padding past the payload is never left stale, so no word of the
         * record can keep an old header's tag bytes (a stale word with the
         * tag and an old number's high bytes could match a later header). */
        memset(buf + off + rec - 8, 0, 8);
        bench_msg_build(buf + off + STREAM_HDR, wl, len, i);
        if (flipping && i == c->flip)
            buf[off + STREAM_HDR + len - 1] ^= 0x40;
        /* The payload before the header that announces it. */
        atomic_store_explicit(stream_hdr(buf, off), STREAM_TAG | (i & STREAM_SEQ_MASK),
                              memory_order_release);
        off += rec;
        pos += rec;
    }
}

BENCH_INLINE void stream_producer(void *ctx, enum bench_workload wl) {
    stream_produce(ctx, wl, 0);
}

BENCH_INLINE void stream_producer_flipping(void *ctx, enum bench_workload wl) {
    stream_produce(ctx, wl, 1);
}

BENCH_PRODUCER_TABLE(stream_producers, stream_producer);
BENCH_PRODUCER_TABLE(stream_producers_flipping, stream_producer_flipping);

/* The consumer has caught up with message i at (off, pos): wait for the
 * last record that ends within `ahead` bytes of pos (message i itself if
 * none further does; at most the last message). The producer publishes it
 * after every record before it. Ending within ahead <= capacity/4 of where
 * the consumer stands, it always has room. */
BENCH_INLINE void stream_wait(unsigned char *buf, size_t cap, enum bench_workload wl, size_t ms,
                              uint64_t rng, uint64_t i, uint64_t n, size_t off, uint64_t pos,
                              uint64_t ahead) {
    const uint64_t start = pos;
    size_t rec = stream_rec(bench_msg_len(wl, ms, &rng));
    unsigned spins = 0;
    while (i + 1 < n) { /* (off, pos) is message i's place, rng past its length */
        uint64_t r = rng, npos = pos + rec;
        size_t noff = off + rec, nrec = stream_rec(bench_msg_len(wl, ms, &r));
        stream_place(&noff, &npos, nrec, cap);
        if (npos + nrec - start > ahead)
            break;
        off = noff;
        pos = npos;
        rec = nrec;
        rng = r;
        i++;
    }
    while (atomic_load_explicit(stream_hdr(buf, off), memory_order_acquire) !=
           (STREAM_TAG | (i & STREAM_SEQ_MASK)))
        bench_spin(&spins);
}

BENCH_INLINE void stream_consumer(void *ctx, enum bench_workload wl, enum bench_read rd) {
    struct stream_ctx *c = (struct stream_ctx *)ctx;
    unsigned char *const buf = c->buf;
    const size_t cap = c->cap, ms = c->cfg->msg_size;
    const uint64_t n = c->cfg->messages, every = c->every;
    /* The lag, bounded so that the record waited for always has room. */
    const uint64_t ahead = c->cfg->lag < cap / 4 ? c->cfg->lag : cap / 4;
    uint64_t rng = c->cfg->seed, pos = 0, published = 0;
    size_t off = 0;
    struct bench_cons_acc acc = {0, 0, 0};
    for (uint64_t i = 0; i < n; i++) {
        const uint64_t r0 = rng;
        const size_t len = bench_msg_len(wl, ms, &rng), rec = stream_rec(len);
        const unsigned char *p;
        size_t j = 0;
        stream_place(&off, &pos, rec, cap);
        if (atomic_load_explicit(stream_hdr(buf, off), memory_order_acquire) !=
            (STREAM_TAG | (i & STREAM_SEQ_MASK))) {
            /* About to wait: the producer may be waiting for room. */
            if (pos != published)
                atomic_store_explicit(&c->consumed, published = pos, memory_order_release);
            stream_wait(buf, cap, wl, ms, r0, i, n, off, pos, ahead);
        }
        p = buf + off + STREAM_HDR;
        if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
            bench_msg_len_byte(p[0], len, &acc);
            j = 1;
        }
        bench_msg_read(p, wl, rd, j, len, i, &acc);
        off += rec;
        pos += rec;
        /* Our reads of the record are done: the producer may overwrite it. */
        if (pos - published >= every)
            atomic_store_explicit(&c->consumed, published = pos, memory_order_release);
    }
    c->acc = acc;
}

BENCH_LOOP_TABLE(stream_consumers, stream_consumer);

/* The largest message: the bip buffer's (queue/2), and its record must fit
 * in the array (the header and the padding). */
static size_t stream_max_message(size_t queue_size) {
    size_t cap = queue_size & ~(size_t)7, half = queue_size / 2;
    if (cap < 2 * STREAM_HDR)
        return 0;
    return half < cap - STREAM_HDR ? half : cap - STREAM_HDR;
}

static int stream_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                             struct bench_tput_out *out) {
    static struct stream_ctx c; /* static: _Alignas(128) honoured without aligned allocation */
    const char *flip = getenv(STREAM_FLIP_ENV);
    void (*prod)(void *);
    int rc;
    c.cap = cfg->queue_size & ~(size_t)7;
    c.buf = calloc(1, c.cap); /* zeroed: no header matches before it is written */
    if (c.buf == NULL)
        return -ENOMEM;
    c.every = c.cap / 4 ? c.cap / 4 : 1;
    c.flip = flip && *flip ? strtoull(flip, NULL, 10) : UINT64_MAX;
    c.cfg = cfg;
    memset(&c.acc, 0, sizeof c.acc);
    atomic_store_explicit(&c.consumed, 0, memory_order_relaxed);
    prod = c.flip == UINT64_MAX ? stream_producers[cfg->workload]
                                : stream_producers_flipping[cfg->workload];
    rc = bench_run_pair(r, prod, stream_consumers[cfg->workload][cfg->read], &c, &out->elapsed_ns);
    free(c.buf);
    c.buf = NULL;
    bench_tput_result(out, cfg, &c.acc);
    return rc;
}

const struct bench_impl bench_limit_stream = {
    .name = "limit-stream",
    .kind = BENCH_KIND_LIMIT,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "the messages between the pair with no shared index: a ready header per "
             "message, the read position published every capacity/4 (the ceiling)",
    /* --burst: the consumer already publishes once a quarter buffer, so a
     * burst changes nothing it does; accepted so that it runs beside the
     * variants' burst runs. */
    .bursts = 1,
    .max_message = stream_max_message,
    .throughput = stream_throughput,
};
