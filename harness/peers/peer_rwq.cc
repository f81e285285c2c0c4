/*
 * peer_rwq.cc - Cameron Desrochers' ReaderWriterQueue
 * (readerwriterqueue/readerwriterqueue.h, "moodycamel") as bipbench's
 * peer-moodycamel-rwq: the same workloads as the bip buffer, through the
 * queue's in-place consumer API, peek then pop.
 *
 * CONFIGURATION. moodycamel::ReaderWriterQueue<unsigned char *, 1 << 30>
 * made for slots - 1 elements and driven with try_enqueue (never allocates)
 * and peek / pop. The queue is a ring of "blocks"; with a MAX_BLOCK_SIZE
 * above any slot count we make, it is one block of exactly `slots` elements
 * (it keeps one free: slots - 1 usable, which create() checks with
 * max_capacity()), so it is the plain ring with cached indices that it is
 * at its fastest, never moving between blocks. The default MAX_BLOCK_SIZE
 * (512) would split larger queues into blocks, whose capacity depends on
 * where the consumer is: it could no longer bound the slots (below).
 *
 * SHAPE. The queue carries pointers: message m lives in slot m mod slots of
 * a slab (peer_slots.h: each slot the largest message rounded up, 64 slots
 * of 256 B for 255-byte messages in 16 KiB). The producer writes the
 * message into its slot in place and enqueues the pointer; the consumer
 * peeks (the element, read where it lies in the queue), reads the slot
 * where it lies, and only then pops: no copy of the message on either side.
 *
 * WHY A SLOT IS NEVER OVERWRITTEN WHILE IT IS READ. Pop comes after the
 * read, so the queue's count is of messages not yet read to the end, and
 * the queue holds at most slots - 1. When the producer writes message m,
 * its enqueue of message m-1 has succeeded: then at most slots - 2 were
 * unread, so message m - slots, the slot's last, had been popped, hence
 * read. Orderings are the queue's own: pop fences (release) before it
 * stores its front index; try_enqueue fences (acquire) after it loads it,
 * before the slot of the next message is written; and enqueue's release /
 * peek's acquire publish the slot with the pointer. --check verifies every
 * byte and every pointer; harness/tests runs it with 2 slots (one queued),
 * where reuse is the tightest.
 *
 * LIMIT: peer_slots.h (8192 for 16 KiB).
 *
 * C++ only here: the entry points have C linkage (peers.h) and the
 * descriptor is in peers.c.
 */
#include "peer_loops.h"

#include <cerrno>
#include <cstdlib>
#include <new>
#include <readerwriterqueue/readerwriterqueue.h>

#include "peer_slots.h"
#include "peers.h"
#include "rate.h"

namespace {

constexpr std::size_t max_block = std::size_t{1} << 30;
typedef moodycamel::ReaderWriterQueue<unsigned char *, max_block> ptr_queue;

/* One queue of pointers and its slab: the loops' handle (peer_loops.h);
 * Q is the queue's type, blocking or not. */
template <class Q> struct slot_queue {
    Q *q;
    unsigned char *slab;
    std::size_t stride, mask;
};

template <class Q> void slot_destroy(slot_queue<Q> *h) {
    if (h == nullptr)
        return;
    delete h->q;
    std::free(h->slab);
    delete h;
}

/* A queue and its slab for messages up to msg bytes, allocated and first
 * touched here: on the producer's PU, where the driver runs this. The queue
 * holds capacity(slots) pointers exactly (one block: the bound the slots
 * rely on); a slab of fewer than min_slots slots is refused. */
template <class Q>
int slot_create(slot_queue<Q> **out, std::size_t msg, std::size_t queue_size, std::size_t min_slots,
                std::size_t (*capacity)(std::size_t)) {
    struct bench_peer_slots z;
    slot_queue<Q> *h;
    unsigned char *p;
    std::size_t cap;
    *out = nullptr;
    if (bench_peer_size_slots(msg, queue_size, &z) != 0 || z.slots < min_slots ||
        z.slots > 2 * max_block)
        return -EINVAL; /* max_message has already refused it */
    cap = capacity(z.slots);
    h = new (std::nothrow) slot_queue<Q>();
    if (h == nullptr)
        return -ENOMEM;
    h->stride = z.stride;
    h->mask = z.slots - 1;
    h->slab = bench_peer_slab(z.slots * z.stride);
    try {
        h->q = new Q(cap);
    } catch (const std::bad_alloc &) {
        h->q = nullptr;
    }
    if (h->q == nullptr || h->slab == nullptr) {
        slot_destroy(h);
        return -ENOMEM;
    }
    if (h->q->max_capacity() != cap) {
        slot_destroy(h);
        return -EINVAL;
    }
    /* First touch of the queue's block: fill it and drain it. */
    while (h->q->try_enqueue(h->slab)) {
    }
    while (h->q->try_dequeue(p)) {
    }
    *out = h;
    return 0;
}

typedef slot_queue<ptr_queue> rwq_q;

/* ReaderWriterQueue keeps one element free: slots - 1 of them. */
std::size_t rwq_capacity(std::size_t slots) {
    return slots - 1;
}

int rwq_create(rwq_q **out, std::size_t msg, std::size_t queue_size) {
    return slot_create(out, msg, queue_size, 2, rwq_capacity);
}

void rwq_destroy(rwq_q *h) {
    slot_destroy(h);
}

BENCH_INLINE void rwq_send(const rwq_q *h, enum bench_workload wl, std::size_t len, uint64_t i) {
    unsigned char *p = h->slab + (std::size_t)(i & h->mask) * h->stride;
    unsigned spins = 0;
    /* Free: the enqueue of message i-1 found room (header comment). */
    bench_msg_build(p, wl, len, i);
    while (!h->q->try_enqueue(p))
        bench_spin(&spins);
}

BENCH_INLINE void rwq_recv(const rwq_q *h, enum bench_workload wl, enum bench_read rd,
                           std::size_t len, uint64_t i, bench_cons_acc *acc) {
    unsigned char **e;
    const unsigned char *p;
    unsigned spins = 0;
    std::size_t j = 0;
    while ((e = h->q->peek()) == nullptr)
        bench_spin(&spins);
    p = *e;
    if (rd == BENCH_READ_CHECK && p != h->slab + (std::size_t)(i & h->mask) * h->stride)
        acc->bad++; /* the pointer itself is checked too */
    if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
        bench_msg_len_byte(p[0], len, acc);
        j = 1;
    }
    bench_msg_read(p, wl, rd, j, len, i, acc);
    h->q->pop(); /* done with the slot */
}

BENCH_PEER_LOOPS(rwq, rwq_q, rwq_send, rwq_recv);
BENCH_PEER_LAT_LOOPS(rwq_lat, rwq_q, rwq_send, rwq_recv)

/*
 * peer-moodycamel-brwq: the same queue's blocking form,
 * BlockingReaderWriterQueue (a lightweight semaphore over the same ring), on
 * the rate workload. The consumer sleeps in wait_dequeue_timed, which pops
 * before the message is read; so the queue holds at most slots / 2 - 1 (a
 * power of two less one, which the ring keeps exactly), at most slots - 2:
 * when the producer writes message k into slot k mod slots, its enqueue of
 * k-1 left at most slots - 2 queued, so k - slots + 1 had been popped, which
 * the consumer does only after it has read k - slots, the slot's last
 * message.
 * The queue has no wait for room: a full queue makes the producer spin and
 * yield, as the other peers' producers do.
 */
typedef moodycamel::BlockingReaderWriterQueue<unsigned char *, max_block> bptr_queue;

typedef slot_queue<bptr_queue> brwq_q;

int brwq_send(void *q, std::size_t len, int64_t stamp, uint64_t i) {
    brwq_q *h = static_cast<brwq_q *>(q);
    unsigned char *p = h->slab + (std::size_t)(i & h->mask) * h->stride;
    unsigned spins = 0;
    bench_rate_fill(p, len, stamp, i);
    while (!h->q->try_enqueue(p))
        bench_spin(&spins);
    return 0;
}

int brwq_recv(void *q, std::size_t len, bench_rate_msg *m) {
    brwq_q *h = static_cast<brwq_q *>(q);
    unsigned char *p = nullptr;
    /* A lost wake-up or a dead producer fails the run (microseconds here). */
    if (!h->q->wait_dequeue_timed(p, std::int64_t{BENCH_RATE_WAIT_LIMIT_NS / 1000}))
        return -ETIMEDOUT;
    bench_rate_take(p, len, m);
    return 0;
}

BENCH_RATE_LOOPS(brwq, brwq_send, brwq_recv)

/* At most slots / 2 - 1 queued (a power of two less one, which the ring
 * keeps exactly): the bound the comment above relies on. */
std::size_t brwq_capacity(std::size_t slots) {
    return slots / 2 - 1;
}

} // namespace

/* Four slots at least: two in the queue's bound, two for the argument. */
size_t bench_peer_brwq_max_message(size_t queue_size) {
    return bench_peer_slots_max_message(queue_size / 2);
}

int bench_peer_brwq_rate(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                         struct bench_rate_out *out) {
    brwq_q *h;
    int rc = slot_create(&h, cfg->msg_size, cfg->queue_size, 4, brwq_capacity);
    if (rc != 0)
        return rc;
    rc = bench_rate_trial(r, cfg, out, h, brwq_rate_prod, brwq_rate_cons);
    out->sleeps = -1;
    out->wakes = -1;
    slot_destroy(h);
    return rc;
}

size_t bench_peer_rwq_max_message(size_t queue_size) {
    return bench_peer_slots_max_message(queue_size);
}

int bench_peer_rwq_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                              struct bench_tput_out *out) {
    rwq_q *h;
    int rc = rwq_create(&h, cfg->msg_size, cfg->queue_size);
    if (rc != 0)
        return rc;
    rc = bench_peer_tput_trial(r, cfg, h, rwq_producers[cfg->workload],
                               rwq_consumers[cfg->workload][cfg->read], out);
    rwq_destroy(h);
    return rc;
}

int bench_peer_rwq_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                           struct bench_hist *h) {
    rwq_q *there, *back = nullptr;
    int rc = rwq_create(&there, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = rwq_create(&back, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = bench_peer_lat_trial(r, cfg, h, there, back, rwq_lat_ping, rwq_lat_pong);
    rwq_destroy(there);
    rwq_destroy(back);
    return rc;
}
