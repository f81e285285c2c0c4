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
#include "peer_workload.h"

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

struct boost_ctx {
    byte_queue *q;
    unsigned char *prod_big, *cons_big; /* NULL unless msg_size > stack_msg */
    const bench_tput_cfg *cfg;
    bench_cons_acc acc; /* written once, after the consumer's loop */
};

BENCH_INLINE void producer(void *ctx, enum bench_workload wl) {
    boost_ctx *c = static_cast<boost_ctx *>(ctx);
    byte_queue &q = *c->q;
    const uint64_t n = c->cfg->messages;
    const std::size_t ms = c->cfg->msg_size;
    uint64_t rng = c->cfg->seed;
    alignas(64) unsigned char local[stack_msg];
    unsigned char *const buf = ms <= stack_msg ? local : c->prod_big;
    for (uint64_t i = 0; i < n; i++) {
        const std::size_t len = bench_msg_len(wl, ms, &rng);
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
}

BENCH_PRODUCER_TABLE(producers, producer);

BENCH_INLINE void consumer(void *ctx, enum bench_workload wl, enum bench_read rd) {
    boost_ctx *c = static_cast<boost_ctx *>(ctx);
    byte_queue &q = *c->q;
    const uint64_t n = c->cfg->messages;
    const std::size_t ms = c->cfg->msg_size;
    uint64_t rng = c->cfg->seed;
    bench_cons_acc acc = {0, 0, 0};
    alignas(64) unsigned char local[stack_msg];
    unsigned char *const buf = ms <= stack_msg ? local : c->cons_big;
    for (uint64_t i = 0; i < n; i++) {
        const std::size_t len = bench_msg_len(wl, ms, &rng);
        std::size_t got = 0, j = 0;
        unsigned spins = 0;
        if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {
            /* As the seed: wait for the length byte, then the message. */
            while (q.read_available() == 0)
                bench_spin(&spins);
            bench_msg_len_byte(q.front(), len, &acc);
            j = 1;
        }
        for (;;) {
            got += q.pop(buf + got, len - got);
            if (got == len)
                break;
            bench_spin(&spins);
        }
        bench_msg_read(buf, wl, rd, j, len, i, &acc);
    }
    c->acc = acc;
}

BENCH_LOOP_TABLE(consumers, consumer);

} // namespace

size_t bench_peer_boost_max_message(size_t queue_size) {
    return queue_size;
}

int bench_peer_boost_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                struct bench_tput_out *out) {
    boost_ctx c = {};
    queue_box *box = nullptr;
    int rc = -ENOMEM;
    try {
        box = new queue_box(cfg->queue_size);
    } catch (const std::bad_alloc &) {
        return -ENOMEM;
    }
    c.q = &box->q;
    c.cfg = cfg;
    if (cfg->msg_size > stack_msg) {
        const std::size_t bytes = (cfg->msg_size + 63) & ~std::size_t{63};
        c.prod_big = static_cast<unsigned char *>(std::aligned_alloc(64, bytes));
        c.cons_big = static_cast<unsigned char *>(std::aligned_alloc(64, bytes));
        if (c.prod_big == nullptr || c.cons_big == nullptr)
            goto out;
    }
    /* First touch of the queue's array, on the producer's PU (the driver
     * binds this thread there), as bipbuf_create's is: fill it and drain it. */
    {
        static const unsigned char zeros[4096] = {0};
        std::size_t left = cfg->queue_size;
        while (left > 0) {
            std::size_t k = c.q->push(zeros, left < sizeof zeros ? left : sizeof zeros);
            left -= k;
        }
        c.q->consume_all([](unsigned char) {});
    }
    rc = bench_run_pair(r, producers[cfg->workload], consumers[cfg->workload][cfg->read], &c,
                        &out->elapsed_ns);
    bench_tput_result(out, cfg, &c.acc);
out:
    std::free(c.prod_big);
    std::free(c.cons_big);
    delete box;
    return rc;
}
