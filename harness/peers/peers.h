/*
 * peers.h - the peer queues bipbench measures beside the bip buffer
 * (docs/DESIGN.md, "Peers"), as more registry entries (registry.c).
 *
 *   peer-boost-spsc  Boost.Lockfree spsc_queue<unsigned char>, a byte queue of
 *                    --queue-size bytes (peer_boost.cc).
 *   peer-ck-ring     Concurrency Kit's SPSC ring of pointers into a slab of
 *                    fixed message slots (peer_ck.c).
 *
 * Each adapter is built only where its library is found (CMakeLists.txt);
 * the target bench_peers passes BENCH_PEER_BOOST / BENCH_PEER_CK on to
 * whatever links it, so this list names only what was built.
 */
#ifndef BENCH_PEERS_H
#define BENCH_PEERS_H

#include "bench.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef BENCH_PEER_BOOST
#    define BENCH__PEER_BOOST(X) X(bench_peer_boost_spsc)
/* peer_boost.cc: the C entry points of the C++ adapter. */
size_t bench_peer_boost_max_message(size_t queue_size);
int bench_peer_boost_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                                struct bench_tput_out *out);
int bench_peer_boost_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                             struct bench_hist *h);
#else
#    define BENCH__PEER_BOOST(X)
#endif

#ifdef BENCH_PEER_CK
#    define BENCH__PEER_CK(X) X(bench_peer_ck_ring)
size_t bench_peer_ck_max_message(size_t queue_size);
int bench_peer_ck_throughput(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                             struct bench_tput_out *out);
int bench_peer_ck_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                          struct bench_hist *h);
#else
#    define BENCH__PEER_CK(X)
#endif

/* X(symbol) for each `const struct bench_impl` this directory exports. */
#define BENCH_FOR_EACH_PEER(X) BENCH__PEER_BOOST(X) BENCH__PEER_CK(X)

#ifdef __cplusplus
}
#endif
#endif
