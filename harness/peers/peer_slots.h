/*
 * peer_slots.h - fixed message slots, for the peers that carry variable-sized
 * messages in slots of one size: a slab of `slots` slots of `stride` bytes
 * (peer_ck.c, peer_aq.cc, peer_rwq.cc, peer_rte.c's pointer rings), or a
 * ring whose element is such a slot (peer_rte.c's zero-copy ring).
 *
 * SIZING (bench_peer_size_slots). stride = the message size (the largest, for
 * random) rounded up to a power of two up to 64 bytes and to a multiple of
 * 64 above, at least 8: slots of 64 bytes or more start on a cache line,
 * smaller ones pack into lines as the bip buffer's messages do. slots = the
 * largest power of two (the rings' sizes are powers of two) with
 * slots * stride <= --queue-size. So the slots, the bytes that can be in
 * flight, are --queue-size whenever that is a power of two (255 B messages,
 * 16 KiB: 64 slots of 256 B) and never more. A random workload uses slots of
 * its largest message, so they hold fewer of its messages than a bip buffer
 * of the same bytes would: that is what fixed slots cost.
 *
 * LIMIT (bench_peer_slots_max_message). Every adapter needs 2 slots at least,
 * so the largest message is the largest size whose stride fits twice in
 * --queue-size (8192 for 16 KiB).
 */
#ifndef BENCH_PEER_SLOTS_H
#define BENCH_PEER_SLOTS_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct bench_peer_slots {
    size_t stride, slots;
};

static inline size_t bench_peer_slot_stride(size_t msg) {
    size_t s = 8;
    if (msg > 64)
        return (msg + 63) & ~(size_t)63;
    while (s < msg)
        s *= 2;
    return s;
}

/* Returns 0, or -1 when not even two slots fit. */
static inline int bench_peer_size_slots(size_t msg, size_t queue_size, struct bench_peer_slots *z) {
    size_t n = 1;
    z->stride = bench_peer_slot_stride(msg);
    if (queue_size / z->stride < 2)
        return -1;
    while (n * 2 <= queue_size / z->stride)
        n *= 2;
    z->slots = n;
    return 0;
}

static inline size_t bench_peer_slots_max_message(size_t queue_size) {
    const size_t half = queue_size / 2; /* two strides must fit */
    size_t m = 8;
    if (half >= 64)
        return half & ~(size_t)63;
    if (half < 8)
        return 0; /* not even two 8-byte slots */
    while (m * 2 <= half)
        m *= 2;
    return m;
}

/* bytes rounded up to whole lines, 64-byte aligned and first touched by the
 * caller (the driver runs it on the producer's PU, as bipbuf_create runs);
 * NULL when out of memory. Free with free(). */
static inline unsigned char *bench_peer_slab(size_t bytes) {
    const size_t whole = (bytes + 63) & ~(size_t)63;
    unsigned char *p = (unsigned char *)aligned_alloc(64, whole);
    if (p != NULL)
        memset(p, 0, whole);
    return p;
}

#endif
