/*
 * peers.h - the peer queues bipbench measures beside the bip buffer
 * (docs/DESIGN.md, "Peers"), as more registry entries (registry.c).
 *
 *   peer-boost-spsc      Boost.Lockfree spsc_queue<unsigned char>, a byte
 *                        queue of --queue-size bytes (peer_boost.cc).
 *   peer-ck-ring         Concurrency Kit's SPSC ring of pointers into a slab
 *                        of fixed message slots (peer_ck.c).
 *   peer-atomic-queue    atomic_queue's AtomicQueueB (SPSC) of slot numbers
 *                        into such a slab (peer_aq.cc).
 *   peer-rte-ring        DPDK's rte_ring (SP/SC, no EAL) of pointers into such
 *                        a slab, one message per call (peer_rte.c);
 *   peer-rte-ring-burst  the same, the consumer taking up to --burst per call;
 *   peer-rte-ring-zc     an rte_ring whose elements are the slots, written and
 *                        read in place through its zero-copy API.
 *   peer-moodycamel-rwq  moodycamel's ReaderWriterQueue of pointers into such
 *                        a slab, read with peek then pop (peer_rwq.cc).
 *   peer-moodycamel-brwq its BlockingReaderWriterQueue, the same way; the
 *                        consumer sleeps in wait_dequeue_timed (rate only).
 *
 * Each adapter is built only where its library is found (CMakeLists.txt);
 * the target bench_peers passes BENCH_PEER_BOOST, _CK, _AQ, _RTE and _RWQ on
 * to whatever links it, so this list names only what was built.
 */
#ifndef BENCH_PEERS_H
#define BENCH_PEERS_H

#include "bench.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every adapter's entry points: NAME's largest message for a queue size, its
 * throughput trial and its latency run (struct bench_impl's). */
#define BENCH__PEER_DECLARE(name)                                                                  \
    size_t bench_peer_##name##_max_message(size_t queue_size);                                     \
    int bench_peer_##name##_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,   \
                                       struct bench_tput_out *out);                                \
    int bench_peer_##name##_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,       \
                                    struct bench_hist *h);

#ifdef BENCH_PEER_BOOST
#    define BENCH__PEER_BOOST(X) X(bench_peer_boost_spsc)
BENCH__PEER_DECLARE(boost)
#else
#    define BENCH__PEER_BOOST(X)
#endif

#ifdef BENCH_PEER_CK
#    define BENCH__PEER_CK(X) X(bench_peer_ck_ring)
BENCH__PEER_DECLARE(ck)
#else
#    define BENCH__PEER_CK(X)
#endif

#ifdef BENCH_PEER_AQ
#    define BENCH__PEER_AQ(X) X(bench_peer_atomic_queue)
BENCH__PEER_DECLARE(aq)
#else
#    define BENCH__PEER_AQ(X)
#endif

#ifdef BENCH_PEER_RTE
#    define BENCH__PEER_RTE(X)                                                                     \
        X(bench_peer_rte_ring) X(bench_peer_rte_ring_burst) X(bench_peer_rte_ring_zc)
/* One limit for the three; a throughput and a latency function each. */
BENCH__PEER_DECLARE(rte)
int bench_peer_rte_burst_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                    struct bench_tput_out *out);
int bench_peer_rte_burst_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                                 struct bench_hist *h);
int bench_peer_rte_zc_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                 struct bench_tput_out *out);
int bench_peer_rte_zc_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                              struct bench_hist *h);
#else
#    define BENCH__PEER_RTE(X)
#endif

#ifdef BENCH_PEER_RWQ
#    define BENCH__PEER_RWQ(X) X(bench_peer_moodycamel_rwq) X(bench_peer_moodycamel_brwq)
BENCH__PEER_DECLARE(rwq)
size_t bench_peer_brwq_max_message(size_t queue_size);
int bench_peer_brwq_rate(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                         struct bench_rate_out *out);
#else
#    define BENCH__PEER_RWQ(X)
#endif

/* X(symbol) for each `const struct bench_impl` this directory exports. */
#define BENCH_FOR_EACH_PEER(X)                                                                     \
    BENCH__PEER_BOOST(X) BENCH__PEER_CK(X) BENCH__PEER_AQ(X) BENCH__PEER_RTE(X) BENCH__PEER_RWQ(X)

#ifdef __cplusplus
}
#endif
#endif
