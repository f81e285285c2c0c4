/*
 * peer_workload.h - the workloads of workload.h for queues that are not a
 * bip buffer. Producers build message i with bench_msg_len/bench_msg_fill
 * exactly as bench_produce_one does; consumers wait in their queue's own
 * way (--lag is the bip buffer's and not theirs) and then read what has
 * arrived with the two steps below, which do what bench_consume_one does
 * once its waits are over. The bip buffer's own loops are untouched by
 * this file.
 */
#ifndef BENCH_PEER_WORKLOAD_H
#define BENCH_PEER_WORKLOAD_H

#ifdef __cplusplus
/* workload.h needs bipbuf.h, whose default atomics are C11's. */
#    define BIPBUF_ATOMICS_HEADER "atomics_cxx.h"
#endif
#include "bipbuf.h"

#include "workload.h"

/* Producer: write message i of len bytes at p (as bench_produce_one). */
BENCH_INLINE void bench_peer_fill(unsigned char *p, enum bench_workload wl, size_t len,
                                  uint64_t i) {
    if (wl == BENCH_WL_SEED) {
        p[0] = (unsigned char)len;
        bench_fill(p + 1, bench_msg_fill(wl, i), len - 1);
    } else {
        bench_fill(p, bench_msg_fill(wl, i), len);
    }
}

/* Consumer, seed with --read other than none: the length byte it waited
 * for. A wrong length is counted, and the known length used, so that a bug
 * shows as a mismatch rather than a hang. */
BENCH_INLINE void bench_peer_read_len(unsigned char b0, size_t len, struct bench_cons_acc *acc) {
    if (__builtin_expect(b0 != len, 0))
        acc->bad++;
    acc->sum += b0;
}

/*
 * Consumer: read message i (len bytes at p, all arrived) as `rd` says,
 * from byte j on (1 after bench_peer_read_len, else 0), and count it.
 */
BENCH_INLINE void bench_peer_read(const unsigned char *p, enum bench_workload wl,
                                  enum bench_read rd, size_t j, size_t len, uint64_t i,
                                  struct bench_cons_acc *acc) {
    if (rd == BENCH_READ_FIRST && wl != BENCH_WL_SEED) {
        acc->sum += p[0];
    } else if (rd == BENCH_READ_ALL) {
        acc->sum += bench_sum(p + j, len - j);
    } else if (rd == BENCH_READ_CHECK) {
        acc->bad += bench_check(p + j, len - j, bench_msg_fill(wl, i), &acc->sum);
    }
    acc->bytes += len;
}

#endif
