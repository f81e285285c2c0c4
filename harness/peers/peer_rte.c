/*
 * peer_rte.c - DPDK's rte_ring (rte_ring.h, rte_ring_elem.h) as three of
 * bipbench's peers, single-producer / single-consumer and without DPDK's
 * environment (the EAL):
 *
 *   peer-rte-ring        a ring of pointers into a slab of slots; one message
 *                        per call on both sides (rte_ring_sp_enqueue,
 *                        rte_ring_sc_dequeue);
 *   peer-rte-ring-burst  the same ring; the consumer takes up to --burst
 *                        messages per call (rte_ring_sc_dequeue_burst), the
 *                        producer still sends one per call, as the bip
 *                        buffer's --burst does: it is the consumer's side
 *                        that a burst changes;
 *   peer-rte-ring-zc     a ring whose element is the slot itself, written and
 *                        read in place through the zero-copy API
 *                        (rte_ring_enqueue_zc_burst_elem_start / _finish, and
 *                        rte_ring_dequeue_zc_burst_elem_start / _finish, up
 *                        to --burst per call).
 *
 * WITHOUT THE EAL. A ring needs no EAL: rte_ring_get_memsize_elem says how
 * many bytes a ring of `count` elements of `esize` bytes takes, we allocate
 * them ourselves (128-byte aligned, first touched on the producer's PU,
 * where the driver runs this) and rte_ring_init makes the ring there, with
 * RING_F_SP_ENQ | RING_F_SC_DEQ. Every other ring call is inline in the
 * headers. librte_ring is the only library linked; it loads librte_eal (its
 * log), whose constructors only register things; rte_eal_init is never
 * called. Headers: compiled with -include rte_config.h (CMakeLists.txt), not
 * with pkg-config's flags, which add -march=corei7.
 *
 * SIZING AND LIMIT: peer_slots.h (slots of the largest message rounded up,
 * 64 slots of 256 B for 255-byte messages in 16 KiB; 8192 B at most in
 * 16 KiB). A ring of R entries holds R - 1 (rte_ring's rule without
 * RING_F_EXACT_SZ, which would double its memory).
 *
 * POINTER RINGS. R = slots entries of 8 bytes beside the slab. The producer
 * writes message m into slot m mod slots, in place, and enqueues a pointer
 * to it; the consumer dequeues the pointer and reads the slot where it lies
 * (no copy of the message on either side). Dequeue moves the consumer's
 * tail before the consumer reads the slot, so "dequeued" does not mean
 * "done with"; but a consumer that takes at most `hold` pointers per call
 * (1, or --burst for peer-rte-ring-burst, at most slots - 1) dequeues again
 * only after it has read all it took. Then a consumer tail t means every
 * message before t - hold has been read. Before writing message m the
 * producer waits until rte_ring_free_count() >= hold, i.e. the ring holds
 * at most slots - 1 - hold: t >= m - slots + 1 + hold, so message m - slots,
 * the slot's last, has been read. (With hold = 1: at most slots - 2 queued,
 * one being read, one being written, as for ck_ring's reserve.) A burst
 * consumer thus costs the producer `hold` slots whether or not it holds
 * them: the ring cannot tell it how many the consumer still reads.
 * Orderings: the consumer fences (release) after reading, before the next
 * dequeue stores its tail; the producer fences (acquire) after loading that
 * tail, before it writes. Publication is the ring's own (its tail update
 * after the pointers, its reads of the pointers after the tail).
 *
 * ZERO-COPY RING. R = slots elements of `stride` bytes (the ring is the
 * slab). The producer reserves one element (enqueue start), builds the
 * message in it and publishes it (finish); the consumer takes up to --burst
 * elements (dequeue start: one or two runs, ptr1 and ptr2 at the wrap),
 * reads them in place and releases them (finish). The ring's own tails are
 * then the bound: R - 1 slots in flight, no check of ours.
 *
 * --check verifies every byte and every pointer or element address (message
 * m in slot m mod slots); harness/tests runs them with 2 slots, where reuse
 * is the tightest.
 */
#define _POSIX_C_SOURCE 200809L
#include "peer_loops.h"

#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "peer_slots.h"
#include "peers.h"

/* The most pointers one burst takes: --burst's largest. */
#define RTE_PEER_BURST_MAX 4096

size_t bench_peer_rte_max_message(size_t queue_size) {
    return bench_peer_slots_max_message(queue_size);
}

/* One ring, either kind: the loops' handle (peer_loops.h). */
struct rte_q {
    struct rte_ring *r;
    unsigned char *slots; /* the slab, or the ring's own elements (zero-copy) */
    size_t stride, mask;
    unsigned hold; /* pointer rings: the most pointers a dequeue takes */
    int zc;        /* slots are the ring's: not ours to free */
};

static void rte_q_destroy(struct rte_q *q) {
    if (q == NULL)
        return;
    if (!q->zc)
        free(q->slots);
    free(q->r);
    free(q);
}

/* A ring for messages up to msg bytes: of pointers into a slab (zc = 0),
 * whose consumer takes up to `burst` per call; or of the slots themselves
 * (zc = 1). Allocated and first touched here, on the producer's PU. */
static int rte_q_create(struct rte_q **out, size_t msg, size_t queue_size, unsigned burst, int zc) {
    struct bench_peer_slots z;
    struct rte_q *q;
    ssize_t bytes;
    int rc;
    *out = NULL;
    if (bench_peer_size_slots(msg, queue_size, &z) != 0 || z.slots > RTE_RING_SZ_MASK)
        return -EINVAL; /* max_message has already refused it */
    bytes = rte_ring_get_memsize_elem(zc ? (unsigned)z.stride : sizeof(void *), (unsigned)z.slots);
    if (bytes < 0)
        return (int)bytes;
    q = (struct rte_q *)calloc(1, sizeof *q);
    if (q == NULL)
        return -ENOMEM;
    q->stride = z.stride;
    q->mask = z.slots - 1;
    q->zc = zc;
    q->hold = burst < 1 ? 1 : burst;
    if (q->hold > z.slots - 1)
        q->hold = (unsigned)z.slots - 1;
    if (q->hold > RTE_PEER_BURST_MAX)
        q->hold = RTE_PEER_BURST_MAX;
    q->r = (struct rte_ring *)aligned_alloc(128, ((size_t)bytes + 127) & ~(size_t)127);
    if (q->r == NULL) {
        rte_q_destroy(q);
        return -ENOMEM;
    }
    memset(q->r, 0, ((size_t)bytes + 127) & ~(size_t)127);
    rc = rte_ring_init(q->r, "bipbench", (unsigned)z.slots, RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (rc != 0) {
        rte_q_destroy(q);
        return rc;
    }
    /* The elements follow the ring's header (__rte_ring_get_elem_addr). */
    q->slots = zc ? (unsigned char *)&q->r[1] : bench_peer_slab(z.slots * z.stride);
    if (q->slots == NULL) {
        rte_q_destroy(q);
        return -ENOMEM;
    }
    *out = q;
    return 0;
}

/* Read message i (len bytes at p, its slot's address checked) as rd says. */
BENCH_INLINE void rte_read(const struct rte_q *q, const unsigned char *p, enum bench_workload wl,
                           enum bench_read rd, size_t len, uint64_t i, struct bench_cons_acc *acc) {
    size_t j = 0;
    if (rd == BENCH_READ_CHECK && p != q->slots + (size_t)(i & q->mask) * q->stride)
        acc->bad++; /* the pointer or element address is checked too */
    if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
        bench_msg_len_byte(p[0], len, acc);
        j = 1;
    }
    bench_msg_read(p, wl, rd, j, len, i, acc);
}

/* ---- pointer rings --------------------------------------------------------- */

BENCH_INLINE void rte_send(const struct rte_q *q, enum bench_workload wl, size_t len, uint64_t i) {
    unsigned char *p = q->slots + (size_t)(i & q->mask) * q->stride;
    unsigned spins = 0;
    while (rte_ring_free_count(q->r) < q->hold)
        bench_spin(&spins);
    /* After the load of the consumer's tail that freed the slot. */
    atomic_thread_fence(memory_order_acquire);
    bench_msg_build(p, wl, len, i);
    if (__builtin_expect(rte_ring_sp_enqueue(q->r, p) != 0, 0))
        bench_fatal("rte_ring_sp_enqueue after rte_ring_free_count", -ENOBUFS);
}

/* peer-rte-ring: one pointer per call. */
BENCH_INLINE void rte_recv(const struct rte_q *q, enum bench_workload wl, enum bench_read rd,
                           size_t len, uint64_t i, struct bench_cons_acc *acc) {
    void *v;
    unsigned spins = 0;
    while (rte_ring_sc_dequeue(q->r, &v) != 0)
        bench_spin(&spins);
    rte_read(q, (const unsigned char *)v, wl, rd, len, i, acc);
    /* Done with this slot: before the next dequeue's tail store. */
    atomic_thread_fence(memory_order_release);
}

/* peer-rte-ring-burst: up to `burst` (at most hold) pointers per call, and
 * up to `left`; each slot read in place. */
BENCH_INLINE uint64_t rte_recv_burst(const struct rte_q *q, enum bench_workload wl,
                                     enum bench_read rd, size_t msg_size, uint64_t *rng, uint64_t i,
                                     uint64_t left, unsigned burst, struct bench_cons_acc *acc) {
    void *objs[RTE_PEER_BURST_MAX];
    unsigned want = burst < q->hold ? burst : q->hold, n, spins = 0;
    if (want > left)
        want = (unsigned)left;
    while ((n = rte_ring_sc_dequeue_burst(q->r, objs, want, NULL)) == 0)
        bench_spin(&spins);
    for (unsigned k = 0; k < n; k++)
        rte_read(q, (const unsigned char *)objs[k], wl, rd, bench_msg_len(wl, msg_size, rng), i + k,
                 acc);
    atomic_thread_fence(memory_order_release);
    return n;
}

/* peer-rte-ring-burst with --burst 1: the same call, for one. */
BENCH_INLINE void rte_recv_one_burst(const struct rte_q *q, enum bench_workload wl,
                                     enum bench_read rd, size_t len, uint64_t i,
                                     struct bench_cons_acc *acc) {
    void *v;
    unsigned spins = 0;
    while (rte_ring_sc_dequeue_burst(q->r, &v, 1, NULL) == 0)
        bench_spin(&spins);
    rte_read(q, (const unsigned char *)v, wl, rd, len, i, acc);
    atomic_thread_fence(memory_order_release);
}

/* ---- the zero-copy ring ------------------------------------------------------ */

BENCH_INLINE void rte_zc_send(const struct rte_q *q, enum bench_workload wl, size_t len,
                              uint64_t i) {
    struct rte_ring_zc_data zcd;
    unsigned spins = 0;
    while (rte_ring_enqueue_zc_burst_elem_start(q->r, (unsigned)q->stride, 1, &zcd, NULL) == 0)
        bench_spin(&spins);
    bench_msg_build((unsigned char *)zcd.ptr1, wl, len, i);
    rte_ring_enqueue_zc_elem_finish(q->r, 1);
}

BENCH_INLINE void rte_zc_recv(const struct rte_q *q, enum bench_workload wl, enum bench_read rd,
                              size_t len, uint64_t i, struct bench_cons_acc *acc) {
    struct rte_ring_zc_data zcd;
    unsigned spins = 0;
    while (rte_ring_dequeue_zc_burst_elem_start(q->r, (unsigned)q->stride, 1, &zcd, NULL) == 0)
        bench_spin(&spins);
    rte_read(q, (const unsigned char *)zcd.ptr1, wl, rd, len, i, acc);
    rte_ring_dequeue_zc_elem_finish(q->r, 1);
}

BENCH_INLINE uint64_t rte_zc_recv_burst(const struct rte_q *q, enum bench_workload wl,
                                        enum bench_read rd, size_t msg_size, uint64_t *rng,
                                        uint64_t i, uint64_t left, unsigned burst,
                                        struct bench_cons_acc *acc) {
    struct rte_ring_zc_data zcd;
    const unsigned want = left < burst ? (unsigned)left : burst;
    unsigned n, spins = 0;
    while ((n = rte_ring_dequeue_zc_burst_elem_start(q->r, (unsigned)q->stride, want, &zcd,
                                                     NULL)) == 0)
        bench_spin(&spins);
    for (unsigned k = 0; k < n; k++) {
        const unsigned char *p =
            k < zcd.n1 ? (const unsigned char *)zcd.ptr1 + (size_t)k * q->stride
                       : (const unsigned char *)zcd.ptr2 + (size_t)(k - zcd.n1) * q->stride;
        rte_read(q, p, wl, rd, bench_msg_len(wl, msg_size, rng), i + k, acc);
    }
    rte_ring_dequeue_zc_elem_finish(q->r, n);
    return n;
}

BENCH_PEER_LOOPS(rte, struct rte_q, rte_send, rte_recv);
BENCH_PEER_LAT_LOOPS(rte_lat, struct rte_q, rte_send, rte_recv)
BENCH_PEER_BURST_LOOPS(rte_burst, struct rte_q, rte_send, rte_recv_one_burst, rte_recv_burst);
BENCH_PEER_LAT_LOOPS(rte_burst_lat, struct rte_q, rte_send, rte_recv_one_burst)
BENCH_PEER_BURST_LOOPS(rte_zc, struct rte_q, rte_zc_send, rte_zc_recv, rte_zc_recv_burst);
BENCH_PEER_LAT_LOOPS(rte_zc_lat, struct rte_q, rte_zc_send, rte_zc_recv)

/* ---- the entries ------------------------------------------------------------- */

static int throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                      struct bench_tput_out *out, int zc, void (*const prod[])(void *),
                      void (*const (*cons)[BENCH_READ_COUNT])(void *)) {
    struct rte_q *q;
    int rc = rte_q_create(&q, cfg->msg_size, cfg->queue_size, cfg->burst, zc);
    if (rc != 0)
        return rc;
    rc = bench_peer_tput_trial(r, cfg, q, prod[cfg->workload], cons[cfg->workload][cfg->read], out);
    rte_q_destroy(q);
    return rc;
}

static int latency(struct bench_runner *r, const struct bench_lat_cfg *cfg, struct bench_hist *h,
                   int zc, void (*ping)(void *), void (*pong)(void *)) {
    struct rte_q *there, *back = NULL;
    int rc = rte_q_create(&there, cfg->msg_size, cfg->queue_size, 1, zc);
    if (rc == 0)
        rc = rte_q_create(&back, cfg->msg_size, cfg->queue_size, 1, zc);
    if (rc == 0)
        rc = bench_peer_lat_trial(r, cfg, h, there, back, ping, pong);
    rte_q_destroy(there);
    rte_q_destroy(back);
    return rc;
}

int bench_peer_rte_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                              struct bench_tput_out *out) {
    return throughput(r, cfg, out, 0, rte_producers, rte_consumers);
}

int bench_peer_rte_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                           struct bench_hist *h) {
    return latency(r, cfg, h, 0, rte_lat_ping, rte_lat_pong);
}

int bench_peer_rte_burst_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                    struct bench_tput_out *out) {
    return throughput(r, cfg, out, 0, rte_burst_producers, rte_burst_consumers);
}

int bench_peer_rte_burst_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                                 struct bench_hist *h) {
    return latency(r, cfg, h, 0, rte_burst_lat_ping, rte_burst_lat_pong);
}

int bench_peer_rte_zc_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                 struct bench_tput_out *out) {
    return throughput(r, cfg, out, 1, rte_zc_producers, rte_zc_consumers);
}

int bench_peer_rte_zc_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                              struct bench_hist *h) {
    return latency(r, cfg, h, 1, rte_zc_lat_ping, rte_zc_lat_pong);
}
