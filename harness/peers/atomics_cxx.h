/*
 * atomics_cxx.h - a C++ backend for bipbuf.h's atomics hook
 * (BIPBUF_ATOMICS_HEADER), so that a C++ peer adapter can include workload.h
 * and build and read messages with the very steps the bip buffer loops use.
 * The adapter calls none of the bip buffer's operations.
 */
#ifndef BENCH_PEER_ATOMICS_CXX_H
#define BENCH_PEER_ATOMICS_CXX_H

#include <atomic>
#include <cstddef>
#include <cstdint>

typedef std::atomic<std::size_t> bipbuf__atomic_size;
typedef std::atomic<std::uint32_t> bipbuf__atomic_u32;

#define BIPBUF__MO_RELAXED std::memory_order_relaxed
#define BIPBUF__MO_ACQUIRE std::memory_order_acquire
#define BIPBUF__MO_RELEASE std::memory_order_release
#define BIPBUF__MO_SEQ_CST std::memory_order_seq_cst

#define BIPBUF__AINIT(p, v)      std::atomic_init((p), (v))
#define BIPBUF__ALOAD(p, mo)     std::atomic_load_explicit((p), mo)
#define BIPBUF__ASTORE(p, v, mo) std::atomic_store_explicit((p), (v), mo)
#define BIPBUF__AXCHG(p, v, mo)  std::atomic_exchange_explicit((p), (v), mo)
#define BIPBUF__AFENCE(mo)       std::atomic_thread_fence(mo)
#define BIPBUF__ASIGNAL_FENCE()  std::atomic_signal_fence(std::memory_order_seq_cst)

#endif
