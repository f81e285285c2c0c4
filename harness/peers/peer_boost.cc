/*
 * peer_boost.cc - Boost.Lockfree's spsc_queue as bipbench's peer-boost-spsc:
 * the same workloads as the bip buffer, through a byte queue, the way a C++
 * programmer would send variable-sized messages with it.
 *
 * SHAPE. boost::lockfree::spsc_queue<unsigned char> with a run-time capacity
 * of --queue-size bytes (it allocates one more element, so it holds exactly
 * that many). A byte queue cannot lend a contiguous region to either side,
 * so both sides copy, and that copy is part of what is measured:
 *   producer  builds message i in a buffer of its own (on its stack up to
 *             4 KiB), exactly as bench_produce_one builds it in a
 *             reservation, then push(buf, n) until every byte is in (a push
 *             takes what fits);
 *   consumer  pop(buf, n) into a buffer of its own until it has the whole
 *             message, then reads that copy as --read says. The seed
 *             consumer (with --read first, all or check) first waits for one
 *             byte, read_available() > 0, and reads the length in place with
 *             front(). So --read none and first still copy every byte out:
 *             spsc_queue has no way to drop n elements unread.
 *
 * LIMIT. max_message = --queue-size: a message must fit in the queue whole,
 * as a bip buffer's must fit in one reservation.
 *
 * C++ only here: the entry points have C linkage (peers.h) and the
 * descriptor is in peers.c.
 */
#include "peer_loops.h"

#include <boost/lockfree/spsc_queue.hpp>
#include <cerrno>
#include <cstdlib>
#include <new>

#include "peers.h"

namespace {

typedef boost::lockfree::spsc_queue<unsigned char> byte_queue;

/* The queue on lines of its own: its indices share none with the context. */
struct alignas(128) queue_box {
    explicit queue_box(std::size_t n) : q(n) {}
    byte_queue q;
};

/* Messages up to this size are built and received in a stack buffer of the
 * thread; larger ones in a heap buffer made before the trial. */
constexpr std::size_t stack_msg = 4096;

/* One queue: the loops' handle (peer_loops.h). */
struct boost_q {
    queue_box *box;
    byte_queue *q;                      /* &box->q */
    unsigned char *prod_big, *cons_big; /* NULL unless msg_size > stack_msg */
};

BENCH_INLINE void boost_send(const boost_q *h, enum bench_workload wl, std::size_t len,
                             uint64_t i) {
    byte_queue &q = *h->q;
    alignas(64) unsigned char local[stack_msg];
    unsigned char *const buf = h->prod_big != nullptr ? h->prod_big : local;
    std::size_t in = 0;
    unsigned spins = 0;
    bench_msg_build(buf, wl, len, i);
    for (;;) {
        in += q.push(buf + in, len - in);
        if (in == len)
            break;
        bench_spin(&spins);
    }
}

BENCH_INLINE void boost_recv(const boost_q *h, enum bench_workload wl, enum bench_read rd,
                             std::size_t len, uint64_t i, bench_cons_acc *acc) {
    byte_queue &q = *h->q;
    alignas(64) unsigned char local[stack_msg];
    unsigned char *const buf = h->cons_big != nullptr ? h->cons_big : local;
    std::size_t got = 0, j = 0;
    unsigned spins = 0;
    if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
        /* As the seed: wait for the length byte, then the message. */
        while (q.read_available() == 0)
            bench_spin(&spins);
        bench_msg_len_byte(q.front(), len, acc);
        j = 1;
    }
    for (;;) {
        got += q.pop(buf + got, len - got);
        if (got == len)
            break;
        bench_spin(&spins);
    }
    bench_msg_read(buf, wl, rd, j, len, i, acc);
}

BENCH_PEER_LOOPS(boost, boost_q, boost_send, boost_recv);
BENCH_PEER_LAT_LOOPS(boost_lat, boost_q, boost_send, boost_recv)

void boost_destroy(boost_q *h) {
    if (h == nullptr)
        return;
    std::free(h->prod_big);
    std::free(h->cons_big);
    delete h->box;
    delete h;
}

/* A queue of queue_size bytes (and buffers for messages over stack_msg),
 * allocated and first touched here: on the producer's PU, where the driver
 * runs this. */
int boost_create(boost_q **out, std::size_t msg_size, std::size_t queue_size) {
    boost_q *h = new (std::nothrow) boost_q();
    queue_box *box;
    *out = nullptr;
    if (h == nullptr)
        return -ENOMEM;
    box = new (std::nothrow) queue_box(queue_size);
    if (box == nullptr) {
        delete h;
        return -ENOMEM;
    }
    h->box = box;
    h->q = &box->q;
    if (msg_size > stack_msg) {
        const std::size_t bytes = (msg_size + 63) & ~std::size_t{63};
        h->prod_big = static_cast<unsigned char *>(std::aligned_alloc(64, bytes));
        h->cons_big = static_cast<unsigned char *>(std::aligned_alloc(64, bytes));
        if (h->prod_big == nullptr || h->cons_big == nullptr) {
            boost_destroy(h);
            return -ENOMEM;
        }
    }
    /* First touch of the queue's array, as bipbuf_create's is: fill it and
     * drain it. */
    {
        static const unsigned char zeros[4096] = {0};
        std::size_t left = queue_size;
        while (left > 0) {
            std::size_t k = h->q->push(zeros, left < sizeof zeros ? left : sizeof zeros);
            left -= k;
        }
        h->q->consume_all([](unsigned char) {});
    }
    *out = h;
    return 0;
}

} // namespace

size_t bench_peer_boost_max_message(size_t queue_size) {
    return queue_size;
}

int bench_peer_boost_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                struct bench_tput_out *out) {
    boost_q *h;
    int rc = boost_create(&h, cfg->msg_size, cfg->queue_size);
    if (rc != 0)
        return rc;
    rc = bench_peer_tput_trial(r, cfg, h, boost_producers[cfg->workload],
                               boost_consumers[cfg->workload][cfg->read], out);
    boost_destroy(h);
    return rc;
}

int bench_peer_boost_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                             struct bench_hist *h) {
    boost_q *there, *back = nullptr;
    int rc = boost_create(&there, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = boost_create(&back, cfg->msg_size, cfg->queue_size);
    if (rc == 0)
        rc = bench_peer_lat_trial(r, cfg, h, there, back, boost_lat_ping, boost_lat_pong);
    boost_destroy(there);
    boost_destroy(back);
    return rc;
}
