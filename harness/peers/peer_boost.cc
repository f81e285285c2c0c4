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

#define PRODUCER_BODY(ctx, wl)                                                                     \
    do {                                                                                           \
        boost_ctx *c_ = static_cast<boost_ctx *>(ctx);                                             \
        byte_queue &q_ = *c_->q;                                                                   \
        const uint64_t n_ = c_->cfg->messages;                                                     \
        const std::size_t ms_ = c_->cfg->msg_size;                                                 \
        uint64_t rng_ = c_->cfg->seed;                                                             \
        alignas(64) unsigned char local_[stack_msg];                                               \
        unsigned char *const buf_ = ms_ <= stack_msg ? local_ : c_->prod_big;                      \
        for (uint64_t i_ = 0; i_ < n_; i_++) {                                                     \
            const std::size_t len_ = bench_msg_len(wl, ms_, &rng_);                                \
            std::size_t in_ = 0;                                                                   \
            unsigned spins_ = 0;                                                                   \
            bench_msg_build(buf_, wl, len_, i_);                                                   \
            for (;;) {                                                                             \
                in_ += q_.push(buf_ + in_, len_ - in_);                                            \
                if (in_ == len_)                                                                   \
                    break;                                                                         \
                bench_spin(&spins_);                                                               \
            }                                                                                      \
        }                                                                                          \
    } while (0)

BENCH_PRODUCER_TABLE(producers, PRODUCER_BODY);

#define CONSUMER_BODY(ctx, wl, rd)                                                                 \
    do {                                                                                           \
        boost_ctx *c_ = static_cast<boost_ctx *>(ctx);                                             \
        byte_queue &q_ = *c_->q;                                                                   \
        const uint64_t n_ = c_->cfg->messages;                                                     \
        const std::size_t ms_ = c_->cfg->msg_size;                                                 \
        uint64_t rng_ = c_->cfg->seed;                                                             \
        bench_cons_acc acc_ = {0, 0, 0};                                                           \
        alignas(64) unsigned char local_[stack_msg];                                               \
        unsigned char *const buf_ = ms_ <= stack_msg ? local_ : c_->cons_big;                      \
        for (uint64_t i_ = 0; i_ < n_; i_++) {                                                     \
            const std::size_t len_ = bench_msg_len(wl, ms_, &rng_);                                \
            std::size_t got_ = 0, j_ = 0;                                                          \
            unsigned spins_ = 0;                                                                   \
            if (wl == BENCH_WL_SEED && rd != BENCH_READ_NONE) {                                    \
                /* As the seed: wait for the length byte, then the message. */                     \
                while (q_.read_available() == 0)                                                   \
                    bench_spin(&spins_);                                                           \
                bench_msg_len_byte(q_.front(), len_, &acc_);                                       \
                j_ = 1;                                                                            \
            }                                                                                      \
            for (;;) {                                                                             \
                got_ += q_.pop(buf_ + got_, len_ - got_);                                          \
                if (got_ == len_)                                                                  \
                    break;                                                                         \
                bench_spin(&spins_);                                                               \
            }                                                                                      \
            bench_msg_read(buf_, wl, rd, j_, len_, i_, &acc_);                                     \
        }                                                                                          \
        c_->acc = acc_;                                                                            \
    } while (0)

BENCH_LOOP_TABLE(consumers, CONSUMER_BODY);

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
