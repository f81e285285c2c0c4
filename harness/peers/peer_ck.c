/*
 * peer_ck.c - Concurrency Kit's SPSC ring (ck_ring.h) as bipbench's
 * peer-ck-ring: the same workloads as the bip buffer, through the ring the
 * way a C programmer would use it for variable-sized messages.
 *
 * SHAPE. ck_ring carries pointers, not bytes. Messages live in a slab of
 * `slots` fixed slots of `stride` bytes; the ring has `slots` entries. The
 * producer writes message m into slot m mod slots, in place, and enqueues a
 * pointer to it; the consumer dequeues the pointer and reads the slot where
 * it lies (no copy on either side). The producer uses ck's in-place SPSC
 * enqueue: ck_ring_enqueue_reserve_spsc (is there room?), write the slot
 * and the descriptor, ck_ring_enqueue_commit_spsc (publish); the consumer
 * uses ck_ring_dequeue_spsc.
 *
 * SIZING (sizes()). stride = the message size (the largest, for random)
 * rounded up to a power of two up to 64 bytes and to a multiple of 64 above,
 * at least 8: slots of 64 bytes or more start on a cache line, smaller ones
 * pack into lines as the bip buffer's messages do. slots = the largest power
 * of two (ck_ring's sizes are powers of two) with slots * stride <=
 * --queue-size. So the slab, the bytes that can be in flight, equals
 * --queue-size whenever that is a power of two (255 B messages, 16 KiB:
 * 64 slots of 256 B) and is never more. The ring of descriptors adds
 * 8 bytes per slot. A random workload uses slots of its largest message,
 * so the ring holds fewer of its messages than a bip buffer of the same
 * bytes would: that is what fixed slots cost.
 *
 * LIMIT. The ring needs 2 slots at least (one entry usable; see below), so
 * max_message = the largest size whose stride fits twice in --queue-size
 * (8192 for 16 KiB).
 *
 * WHY A SLOT IS NEVER OVERWRITTEN WHILE IT IS READ. ck_ring_dequeue_spsc
 * advances the consumer counter c_head *before* the consumer reads the
 * slot, so "dequeued" does not mean "done with". But the consumer reads its
 * slots in order and dequeues entry k+1 only after it has finished reading
 * entry k's slot; so c_head >= k+2 means slot k is free.
 * A ck_ring of R entries holds at most R-1: reserve succeeds only when
 * producer - c_head <= R-2. When the producer reserves for message m its
 * counter is m, so c_head >= m-R+2: entry m-R+1 has been dequeued, hence
 * message m-R has been read to the end. Message m's slot, m mod R with
 * R = slots, last held message m-R: free. (At most R-2 queued, one being
 * read and one being written: R slots.) Plain ck_ring_enqueue_spsc, which
 * checks for room only after the slot is written, would need R+1 slots.
 * The ordering behind "has been read", on any machine ck supports:
 *   consumer: reads of slot k; ck_pr_fence_release(); ... dequeue of k+1
 *             stores c_head (so the reads come before that store);
 *   producer: reserve loads c_head; ck_pr_fence_acquire(); writes the slot
 *             (so the writes come after that load).
 * Publication is ck's own: commit's ck_pr_fence_store orders the slot and
 * the descriptor before p_tail; dequeue's ck_pr_fence_load orders its read
 * of p_tail before the descriptor and, with it, before our reads of the
 * slot. --check verifies every byte and every descriptor; harness/tests
 * runs it with 2 slots, where reuse is the tightest.
 */
#define _POSIX_C_SOURCE 200809L
#include "peer_workload.h"

#include <ck_pr.h>
#include <ck_ring.h>
#include <stdlib.h>

#include "peers.h"

struct ck_sizes {
    size_t stride, slots;
};

static size_t stride_of(size_t msg) {
    size_t s = 8;
    if (msg > 64)
        return (msg + 63) & ~(size_t)63;
    while (s < msg)
        s *= 2;
    return s;
}

/* Returns 0, or -1 when not even two slots fit. */
static int sizes(size_t msg, size_t queue_size, struct ck_sizes *z) {
    size_t n = 1;
    z->stride = stride_of(msg);
    if (queue_size / z->stride < 2)
        return -1;
    while (n * 2 <= queue_size / z->stride)
        n *= 2;
    z->slots = n;
    return 0;
}

size_t bench_peer_ck_max_message(size_t queue_size) {
    const size_t half = queue_size / 2; /* two strides must fit */
    size_t m = 8;
    if (half >= 64)
        return half & ~(size_t)63;
    if (half < 8)
        return 0; /* not even two 8-byte slots */
    while (m * 2 <= half)
        m *= 2;
    return m;
}

struct ck_ctx {
    ck_ring_t *ring; /* its own 128-byte-aligned block: shares no line */
    ck_ring_buffer_t *entries;
    unsigned char *slab;
    size_t stride, slots;
    const struct bench_tput_cfg *cfg;
    struct bench_cons_acc acc; /* written once, after the consumer's loop */
};

BENCH_INLINE void producer(void *ctx, enum bench_workload wl) {
    struct ck_ctx *c = (struct ck_ctx *)(ctx);
    ck_ring_t *ring = c->ring;
    ck_ring_buffer_t *ent = c->entries;
    unsigned char *const slab = c->slab;
    const size_t stride = c->stride, mask = c->slots - 1;
    const uint64_t n = c->cfg->messages;
    const size_t ms = c->cfg->msg_size;
    uint64_t rng = c->cfg->seed;
    for (uint64_t i = 0; i < n; i++) {
        const size_t len = bench_msg_len(wl, ms, &rng);
        unsigned char *p = slab + (size_t)(i & mask) * stride;
        unsigned spins = 0;
        void **e;
        while ((e = (void **)ck_ring_enqueue_reserve_spsc(ring, ent)) == NULL)
            bench_spin(&spins);
        /* After the load of c_head that freed the slot (header comment). */
        ck_pr_fence_acquire();
        bench_msg_build(p, wl, len, i);
        *e = p;
        /* Its store fence publishes the slot and the descriptor. */
        ck_ring_enqueue_commit_spsc(ring);
    }
}

BENCH_PRODUCER_TABLE(producers, producer);

/* The seed consumer waits for the whole message at once: a slot arrives
 * whole, so there is no separate wait for its length byte. */
BENCH_INLINE void consumer(void *ctx, enum bench_workload wl, enum bench_read rd) {
    struct ck_ctx *c = (struct ck_ctx *)(ctx);
    ck_ring_t *ring = c->ring;
    const ck_ring_buffer_t *ent = c->entries;
    const unsigned char *const slab = c->slab;
    const size_t stride = c->stride, mask = c->slots - 1;
    const uint64_t n = c->cfg->messages;
    const size_t ms = c->cfg->msg_size;
    uint64_t rng = c->cfg->seed;
    struct bench_cons_acc acc = {0, 0, 0};
    for (uint64_t i = 0; i < n; i++) {
        const size_t len = bench_msg_len(wl, ms, &rng);
        const unsigned char *p;
        unsigned spins = 0;
        size_t j = 0;
        while (!ck_ring_dequeue_spsc(ring, ent, (void *)&p))
            bench_spin(&spins);
        if (rd == BENCH_READ_CHECK && p != slab + (size_t)(i & mask) * stride)
            acc.bad++; /* the descriptor itself is checked too */
        if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
            bench_msg_len_byte(p[0], len, &acc);
            j = 1;
        }
        bench_msg_read(p, wl, rd, j, len, i, &acc);
        /* Done with this slot: before the next dequeue's c_head store. */
        ck_pr_fence_release();
    }
    c->acc = acc;
}

BENCH_LOOP_TABLE(consumers, consumer);

int bench_peer_ck_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                             struct bench_tput_out *out) {
    struct ck_ctx c = {0};
    struct ck_sizes z;
    size_t ring_bytes = (sizeof(ck_ring_t) + 127) & ~(size_t)127;
    int rc;
    if (sizes(cfg->msg_size, cfg->queue_size, &z) != 0)
        return -EINVAL; /* max_message has already refused it */
    c.stride = z.stride;
    c.slots = z.slots;
    c.cfg = cfg;
    /* Allocated on the producer's PU (the driver binds this thread there);
     * the memset is the first touch, as bipbuf_create's is. */
    c.ring = aligned_alloc(128, ring_bytes);
    c.entries = aligned_alloc(64, (z.slots * sizeof *c.entries + 63) & ~(size_t)63);
    c.slab = aligned_alloc(64, (z.slots * z.stride + 63) & ~(size_t)63);
    if (c.ring == NULL || c.entries == NULL || c.slab == NULL) {
        rc = -ENOMEM;
        goto out;
    }
    memset(c.entries, 0, z.slots * sizeof *c.entries);
    memset(c.slab, 0, z.slots * z.stride);
    ck_ring_init(c.ring, (unsigned)z.slots);
    rc = bench_run_pair(r, producers[cfg->workload], consumers[cfg->workload][cfg->read], &c,
                        &out->elapsed_ns);
    bench_tput_result(out, cfg, &c.acc);
out:
    free(c.ring);
    free(c.entries);
    free(c.slab);
    return rc;
}
