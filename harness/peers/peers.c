/*
 * peers.c - the registry entries of the peer queues (peers.h): what
 * `bipbench list` shows and the CSV names. They have no cached/pad/order
 * parameters (empty CSV fields) and measure throughput only.
 */
#define _POSIX_C_SOURCE 200809L
#include "peers.h"

#ifdef BENCH_PEER_BOOST
const struct bench_impl bench_peer_boost_spsc = {
    .name = "peer-boost-spsc",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "Boost.Lockfree spsc_queue<unsigned char> of --queue-size bytes; both sides copy",
    .one_thread = 0,
    .max_message = bench_peer_boost_max_message,
    .throughput = bench_peer_boost_throughput,
    .latency = NULL,
    .soak = NULL,
};
#endif

#ifdef BENCH_PEER_CK
const struct bench_impl bench_peer_ck_ring = {
    .name = "peer-ck-ring",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "Concurrency Kit ck_ring (SPSC) of pointers to fixed slots; in place",
    .one_thread = 0,
    .max_message = bench_peer_ck_max_message,
    .throughput = bench_peer_ck_throughput,
    .latency = NULL,
    .soak = NULL,
};
#endif
