/*
 * peer_aq.cc - Maxim Egorushkin's atomic_queue (atomic_queue/atomic_queue.h)
 * as bipbench's peer-atomic-queue: the same workloads as the bip buffer,
 * through the queue configured as its own SPSC benchmarks configure it.
 *
 * CONFIGURATION. atomic_queue::AtomicQueueB<unsigned, std::allocator<unsigned>,
 * NIL = 0, MAXIMIZE_THROUGHPUT = false, TOTAL_ORDER = false, SPSC = true>,
 * driven with try_push / try_pop. Its benchmarks (src/benchmarks.cc) run
 * SPSC with SPSC = true, MINIMIZE_CONTENTION = false and MAXIMIZE_THROUGHPUT
 * = false ("the best performance" for SPSC, its comment says), elements of
 * type unsigned, under the name AtomicQueueB for try_push / try_pop in a
 * retry loop. B is the variant whose capacity is given at run time (ours
 * depends on --queue-size and --msg-size); it has no MINIMIZE_CONTENTION
 * parameter (it always spreads neighbouring elements over cache lines). B,
 * not B2: the element, an unsigned, is atomic, and B2 is for elements that
 * are not. try_push / try_pop rather than the blocking push / pop ("Optimist"
 * in its benchmarks): those spin inside the library and never yield, where
 * every bipbench side waits with bench_spin, which yields to a peer that
 * lost its CPU.
 *
 * SHAPE. The queue carries slot numbers, not bytes: message m lives in slot
 * m mod slots of a slab (peer_slots.h: each slot the largest message rounded
 * up, 64 slots of 256 B for 255-byte messages in 16 KiB), and the element is
 * its slot number + 1 (0 is the queue's empty mark). The producer writes the
 * message into its slot in place and pushes the number; the consumer pops
 * it and reads the slot where it lies: no copy on either side. The queue
 * itself has max(slots, 256) elements of 4 bytes (its least for an unsigned:
 * 16 per cache line, squared), so it never fills before the slots do.
 *
 * WHY A SLOT IS NEVER OVERWRITTEN WHILE IT IS READ. The queue's capacity
 * does not bound the slots in flight, and try_pop advances the consumer's
 * tail before the consumer reads the slot. So the producer bounds them
 * itself, as ck_ring's reserve does (peer_ck.c): it writes message m only
 * when was_size() = head - tail <= slots - 2, i.e. tail >= m - slots + 2.
 * The consumer pops message k+1 only after it has read message k to the
 * end, so tail >= m - slots + 2 means message m - slots, the slot's last,
 * has been read. Orderings: the consumer fences (release) after reading a
 * slot, before the next try_pop stores tail; the producer fences (acquire)
 * after the load of tail in was_size(), before it writes. Publication: the
 * producer's element store is a release; the consumer's load of it is
 * relaxed in SPSC mode (values need no more), so it fences (acquire) before
 * reading the slot. On x86 all four fences are compiler barriers only.
 * --check verifies every byte and every slot number; harness/tests runs it
 * with 2 slots, where reuse is the tightest.
 *
 * LIMIT: peer_slots.h (8192 for 16 KiB).
 *
 * C++ only here: the entry points have C linkage (peers.h) and the
 * descriptor is in peers.c.
 */
#include "peer_loops.h"

#include <atomic>
#include <atomic_queue/atomic_queue.h>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <new>

#include "peer_slots.h"
#include "peers.h"

namespace {

typedef atomic_queue::AtomicQueueB<unsigned, std::allocator<unsigned>, 0u,
                                   /*MAXIMIZE_THROUGHPUT=*/false, /*TOTAL_ORDER=*/false,
                                   /*SPSC=*/true>
    slot_queue;

/* One queue and its slab: the loops' handle (peer_loops.h). */
struct aq_q {
    slot_queue *q;
    unsigned char *slab;
    std::size_t stride, mask;
    unsigned room; /* slots - 2: the most queued before the producer writes */
};

BENCH_INLINE void aq_send(const aq_q *h, enum bench_workload wl, std::size_t len, uint64_t i) {
    const std::size_t s = (std::size_t)(i & h->mask);
    unsigned spins = 0;
    while (h->q->was_size() > h->room)
        bench_spin(&spins);
    /* After the load of tail that freed the slot (header comment). */
    std::atomic_thread_fence(std::memory_order_acquire);
    bench_msg_build(h->slab + s * h->stride, wl, len, i);
    while (!h->q->try_push((unsigned)s + 1u))
        bench_spin(&spins); /* never: the queue is larger than the slots */
}

BENCH_INLINE void aq_recv(const aq_q *h, enum bench_workload wl, enum bench_read rd,
                          std::size_t len, uint64_t i, bench_cons_acc *acc) {
    const unsigned char *p;
    unsigned e, spins = 0;
    std::size_t j = 0;
    while (!h->q->try_pop(e))
        bench_spin(&spins);
    /* The element was loaded relaxed: order the slot's reads after it. */
    std::atomic_thread_fence(std::memory_order_acquire);
    p = h->slab + (std::size_t)(e - 1u) * h->stride;
    if (rd == BENCH_READ_CHECK && e - 1u != (unsigned)(i & h->mask))
        acc->bad++; /* the slot number itself is checked too */
    if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
        bench_msg_len_byte(p[0], len, acc);
        j = 1;
    }
    bench_msg_read(p, wl, rd, j, len, i, acc);
    /* Done with this slot: before the next try_pop's store of tail. */
    std::atomic_thread_fence(std::memory_order_release);
}

BENCH_PEER_LOOPS(aq, aq_q, aq_send, aq_recv);
BENCH_PEER_LAT_LOOPS(aq_lat, aq_q, aq_send, aq_recv)

void aq_destroy(aq_q *h) {
    if (h == nullptr)
        return;
    delete h->q;
    std::free(h->slab);
    delete h;
}

/* A queue and its slab for messages up to msg bytes, allocated and first
 * touched here (the queue's constructor stores its empty mark in every
 * element): on the producer's PU, where the driver runs this. */
int aq_create(aq_q **out, std::size_t msg, std::size_t queue_size) {
    struct bench_peer_slots z;
    aq_q *h;
    *out = nullptr;
    if (bench_peer_size_slots(msg, queue_size, &z) != 0 || z.slots > (1u << 30))
        return -EINVAL; /* max_message has already refused it */
    h = new (std::nothrow) aq_q();
    if (h == nullptr)
        return -ENOMEM;
    h->stride = z.stride;
    h->mask = z.slots - 1;
    h->room = (unsigned)z.slots - 2;
    h->slab = bench_peer_slab(z.slots * z.stride);
    try {
        h->q = new slot_queue((unsigned)z.slots);
    } catch (const std::bad_alloc &) {
        h->q = nullptr;
    }
    if (h->q == nullptr || h->slab == nullptr) {
        aq_destroy(h);
        return -ENOMEM;
    }
    *out = h;
    return 0;
}

} // namespace

size_t bench_peer_aq_max_message(size_t queue_size) {
    return bench_peer_slots_max_message(queue_size);
}

int bench_peer_aq_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                             struct bench_tput_out *out) {
    aq_q *h;
    int rc = aq_create(&h, cfg->msg_size, cfg->queue_size);
    if (rc != 0)
        return rc;
    rc = bench_peer_tput_trial(r, cfg, h, aq_producers[cfg->workload],
                               aq_consumers[cfg->workload][cfg->read], out);
    aq_destroy(h);
    return rc;
}

int bench_peer_aq_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                          struct bench_hist *h) {
    aq_q *there, *back = nullptr;
    int rc = aq_create(&there, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = aq_create(&back, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = bench_peer_lat_trial(r, cfg, h, there, back, aq_lat_ping, aq_lat_pong);
    aq_destroy(there);
    aq_destroy(back);
    return rc;
}
