/*
 * bipbuf/atomics_cxx11.h - the atomics backend for C++ translation units:
 * std::atomic (C++11 and later). bipbuf/variant.h selects it when <bipbuf.h>
 * is compiled as C++ and BIPBUF_ATOMICS_HEADER names no other backend; it
 * defines the same names as bipbuf/atomics_c11.h.
 *
 * MIXING C AND C++. A buffer may be shared by C and C++ translation units of
 * the same variant (one side in C, the other in C++, say). That needs the
 * two backends to agree on the layout and on what each access does, and
 * they do: std::atomic<size_t> and _Atomic size_t both have the size and
 * alignment of a size_t and are always lock-free (both backends check this
 * at compile time, so struct bipbuf has one layout in both languages), and
 * GCC and Clang compile a lock-free atomic load or store of a given memory
 * order to the same instructions in C and in C++ (the standard mappings to
 * each processor, which the two languages share by design). Tested with GCC
 * and Clang: a producer compiled as C and a consumer compiled as C++ pass
 * messages through one buffer.
 *
 * INTERNAL: not part of the API, and may change in any release. Include
 * <bipbuf.h> instead.
 */
#ifndef BIPBUF_ATOMICS_CXX11_H
#define BIPBUF_ATOMICS_CXX11_H
#ifndef BIPBUF_H
#    error "bipbuf/atomics_cxx11.h is internal: include <bipbuf.h> instead"
#endif
#ifndef __cplusplus
#    error "bipbuf/atomics_cxx11.h is for C++; C uses bipbuf/atomics_c11.h"
#endif

/* C++ linkage even when <bipbuf.h> is included inside extern "C" { }, as C
 * headers often are: <atomic> declares templates. */
extern "C++" {
#include <atomic>
#include <climits>
#include <cstddef>
#include <cstdint>
}

typedef std::atomic<std::size_t> bipbuf__atomic_size;
typedef std::atomic<std::uint32_t> bipbuf__atomic_u32;

#define BIPBUF__MO_RELAXED std::memory_order_relaxed
#define BIPBUF__MO_ACQUIRE std::memory_order_acquire
#define BIPBUF__MO_RELEASE std::memory_order_release
#define BIPBUF__MO_SEQ_CST std::memory_order_seq_cst

/* Member functions rather than std::atomic_init and friends: atomic_init is
 * deprecated in C++20. */
#define BIPBUF__AINIT(p, v)      (p)->store((v), std::memory_order_relaxed)
#define BIPBUF__ALOAD(p, mo)     (p)->load(mo)
#define BIPBUF__ASTORE(p, v, mo) (p)->store((v), mo)
#define BIPBUF__AXCHG(p, v, mo)  (p)->exchange((v), mo)
#define BIPBUF__AFENCE(mo)       std::atomic_thread_fence(mo)
#define BIPBUF__ASIGNAL_FENCE()  std::atomic_signal_fence(std::memory_order_seq_cst)

/* The layout and lock-freedom that sharing a buffer with C relies on. */
static_assert(sizeof(bipbuf__atomic_size) == sizeof(std::size_t),
              "std::atomic<size_t> has the size of a size_t, as _Atomic size_t has");
static_assert(alignof(bipbuf__atomic_size) == alignof(std::size_t),
              "std::atomic<size_t> has the alignment of a size_t, as _Atomic size_t has");
#if SIZE_MAX == ULONG_MAX
static_assert(ATOMIC_LONG_LOCK_FREE == 2, "atomic size_t is always lock-free");
#elif SIZE_MAX == ULLONG_MAX
static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "atomic size_t is always lock-free");
#elif SIZE_MAX == UINT_MAX
static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic size_t is always lock-free");
#endif
static_assert(sizeof(bipbuf__atomic_u32) == 4 && ATOMIC_INT_LOCK_FREE == 2,
              "a futex word is a lock-free 32-bit atomic, as in C");

/* The layout assertions of bipbuf/impl.h hold for this backend too. */
#define BIPBUF__ATOMICS_LAYOUT_CHECKED 1

#endif
