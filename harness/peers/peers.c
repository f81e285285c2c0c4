/*
 * peers.c - the registry entries of the peer queues (peers.h): what
 * `bipbench list` shows and the CSV names. They have no cached/pad/order
 * parameters (empty CSV fields) and measure throughput and latency (the
 * blocking one, peer-moodycamel-brwq, only the rate workload); soak
 * exercises the bip buffer's own API and is not for them. Only entries whose
 * consumer takes several messages per call have .bursts (--burst K > 1).
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
    .latency = bench_peer_boost_latency,
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
    .latency = bench_peer_ck_latency,
    .soak = NULL,
};
#endif

#ifdef BENCH_PEER_AQ
const struct bench_impl bench_peer_atomic_queue = {
    .name = "peer-atomic-queue",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "atomic_queue AtomicQueueB (SPSC) of slot numbers of fixed slots; in place",
    .one_thread = 0,
    .max_message = bench_peer_aq_max_message,
    .throughput = bench_peer_aq_throughput,
    .latency = bench_peer_aq_latency,
    .soak = NULL,
};
#endif

#ifdef BENCH_PEER_RTE
const struct bench_impl bench_peer_rte_ring = {
    .name = "peer-rte-ring",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "DPDK rte_ring (SP/SC, no EAL) of pointers to fixed slots, one per call; in place",
    .one_thread = 0,
    .max_message = bench_peer_rte_max_message,
    .throughput = bench_peer_rte_throughput,
    .latency = bench_peer_rte_latency,
    .soak = NULL,
};

const struct bench_impl bench_peer_rte_ring_burst = {
    .name = "peer-rte-ring-burst",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "DPDK rte_ring as peer-rte-ring, the consumer dequeuing up to --burst per call",
    .one_thread = 0,
    .bursts = 1,
    .max_message = bench_peer_rte_max_message,
    .throughput = bench_peer_rte_burst_throughput,
    .latency = bench_peer_rte_burst_latency,
    .soak = NULL,
};

const struct bench_impl bench_peer_rte_ring_zc = {
    .name = "peer-rte-ring-zc",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "DPDK rte_ring zero-copy API, the slots its elements; in place, up to --burst",
    .one_thread = 0,
    .bursts = 1,
    .max_message = bench_peer_rte_max_message,
    .throughput = bench_peer_rte_zc_throughput,
    .latency = bench_peer_rte_zc_latency,
    .soak = NULL,
};
#endif

#ifdef BENCH_PEER_RWQ
const struct bench_impl bench_peer_moodycamel_rwq = {
    .name = "peer-moodycamel-rwq",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "moodycamel ReaderWriterQueue of pointers to fixed slots, peek then pop; in place",
    .one_thread = 0,
    .max_message = bench_peer_rwq_max_message,
    .throughput = bench_peer_rwq_throughput,
    .latency = bench_peer_rwq_latency,
    .soak = NULL,
};

const struct bench_impl bench_peer_moodycamel_brwq = {
    .name = "peer-moodycamel-brwq",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "moodycamel BlockingReaderWriterQueue of pointers to fixed slots; the consumer "
             "sleeps in wait_dequeue_timed (rate only)",
    .max_message = bench_peer_brwq_max_message,
    .rate = bench_peer_brwq_rate,
    .wake = "semaphore",
};
#endif
