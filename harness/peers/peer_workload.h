/*
 * peer_workload.h - the workloads of workload.h for queues that are not a
 * bip buffer. Producers build message i with bench_msg_build, as
 * bench_produce_one does; consumers wait in their queue's own way (--lag is
 * the bip buffer's and not theirs) and then read what has arrived with
 * bench_msg_len_byte and bench_msg_read, as bench_consume_one does once its
 * waits are over. This header only makes workload.h includable from C++.
 */
#ifndef BENCH_PEER_WORKLOAD_H
#define BENCH_PEER_WORKLOAD_H

#ifdef __cplusplus
/* workload.h needs bipbuf.h, whose default atomics are C11's. */
#    define BIPBUF_ATOMICS_HEADER "atomics_cxx.h"
#endif
#include "bipbuf.h"

#include "workload.h"

#endif
