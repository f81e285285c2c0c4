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
 * SIZING AND LIMIT: peer_slots.h (slots = ring entries, each slot the
 * largest message rounded up; 64 slots of 256 B for 255-byte messages in
 * 16 KiB). The ring of descriptors adds 8 bytes per slot.
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
#include "peer_loops.h"

#include <ck_pr.h>
#include <ck_ring.h>
#include <stdlib.h>

#include "peer_slots.h"
#include "peers.h"

size_t bench_peer_ck_max_message(size_t queue_size) {
    return bench_peer_slots_max_message(queue_size);
}

/* One ring: the loops' handle (peer_loops.h). */
struct ck_q {
    ck_ring_t *ring; /* its own 128-byte-aligned block: shares no line */
    ck_ring_buffer_t *entries;
    unsigned char *slab;
    size_t stride, mask;
};

BENCH_INLINE void ck_send(const struct ck_q *q, enum bench_workload wl, size_t len, uint64_t i) {
    unsigned char *p = q->slab + (size_t)(i & q->mask) * q->stride;
    unsigned spins = 0;
    void **e;
    while ((e = (void **)ck_ring_enqueue_reserve_spsc(q->ring, q->entries)) == NULL)
        bench_spin(&spins);
    /* After the load of c_head that freed the slot (header comment). */
    ck_pr_fence_acquire();
    bench_msg_build(p, wl, len, i);
    *e = p;
    /* Its store fence publishes the slot and the descriptor. */
    ck_ring_enqueue_commit_spsc(q->ring);
}

/* The seed consumer waits for the whole message at once: a slot arrives
 * whole, so there is no separate wait for its length byte. */
BENCH_INLINE void ck_recv(const struct ck_q *q, enum bench_workload wl, enum bench_read rd,
                          size_t len, uint64_t i, struct bench_cons_acc *acc) {
    const unsigned char *p;
    unsigned spins = 0;
    size_t j = 0;
    while (!ck_ring_dequeue_spsc(q->ring, q->entries, (void *)&p))
        bench_spin(&spins);
    if (rd == BENCH_READ_CHECK && p != q->slab + (size_t)(i & q->mask) * q->stride)
        acc->bad++; /* the descriptor itself is checked too */
    if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
        bench_msg_len_byte(p[0], len, acc);
        j = 1;
    }
    bench_msg_read(p, wl, rd, j, len, i, acc);
    /* Done with this slot: before the next dequeue's c_head store. */
    ck_pr_fence_release();
}

BENCH_PEER_LOOPS(ck, struct ck_q, ck_send, ck_recv);
BENCH_PEER_LAT_LOOPS(ck_lat, struct ck_q, ck_send, ck_recv)

static void ck_destroy(struct ck_q *q) {
    if (q == NULL)
        return;
    free(q->ring);
    free(q->entries);
    free(q->slab);
    free(q);
}

/* A ring and its slab for messages up to msg bytes, allocated and first
 * touched here: on the producer's PU, where the driver runs this. */
static int ck_create(struct ck_q **out, size_t msg, size_t queue_size) {
    struct bench_peer_slots z;
    struct ck_q *q;
    const size_t ring_bytes = (sizeof(ck_ring_t) + 127) & ~(size_t)127;
    *out = NULL;
    if (bench_peer_size_slots(msg, queue_size, &z) != 0)
        return -EINVAL; /* max_message has already refused it */
    q = (struct ck_q *)calloc(1, sizeof *q);
    if (q == NULL)
        return -ENOMEM;
    q->stride = z.stride;
    q->mask = z.slots - 1;
    q->ring = (ck_ring_t *)aligned_alloc(128, ring_bytes);
    q->entries = (ck_ring_buffer_t *)bench_peer_slab(z.slots * sizeof *q->entries);
    q->slab = bench_peer_slab(z.slots * z.stride);
    if (q->ring == NULL || q->entries == NULL || q->slab == NULL) {
        ck_destroy(q);
        return -ENOMEM;
    }
    ck_ring_init(q->ring, (unsigned)z.slots);
    *out = q;
    return 0;
}

int bench_peer_ck_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                             struct bench_tput_out *out) {
    struct ck_q *q;
    int rc = ck_create(&q, cfg->msg_size, cfg->queue_size);
    if (rc != 0)
        return rc;
    rc = bench_peer_tput_trial(r, cfg, q, ck_producers[cfg->workload],
                               ck_consumers[cfg->workload][cfg->read], out);
    ck_destroy(q);
    return rc;
}

int bench_peer_ck_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                          struct bench_hist *h) {
    struct ck_q *there, *back = NULL;
    int rc = ck_create(&there, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = ck_create(&back, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = bench_peer_lat_trial(r, cfg, h, there, back, ck_lat_ping, ck_lat_pong);
    ck_destroy(there);
    ck_destroy(back);
    return rc;
}
