/*
 * bipbuf/atomics_c11.h - the default atomics backend of C translation units:
 * C11 <stdatomic.h> (C++ ones get bipbuf/atomics_cxx11.h).
 *
 * The core never names an atomic operation directly. It calls the three
 * macros below with a memory order chosen by the order header
 * (bipbuf/order_*.h). A different backend (for example a C++ model checker's
 * atomics) can be put in place by defining BIPBUF_ATOMICS_HEADER to a header
 * that defines the same names before including <bipbuf.h>.
 *
 * INTERNAL: not part of the API, and may change in any release. Include
 * <bipbuf.h> instead.
 */
#ifndef BIPBUF_ATOMICS_C11_H
#define BIPBUF_ATOMICS_C11_H
#ifndef BIPBUF_H
#    error "bipbuf/atomics_c11.h is internal: include <bipbuf.h> instead"
#endif

#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef _Atomic size_t bipbuf__atomic_size;
/* The sleeping waits' futex words (bipbuf/impl.h, SLEEPING WAITS). */
typedef _Atomic uint32_t bipbuf__atomic_u32;

#define BIPBUF__MO_RELAXED memory_order_relaxed
#define BIPBUF__MO_ACQUIRE memory_order_acquire
#define BIPBUF__MO_RELEASE memory_order_release
#define BIPBUF__MO_SEQ_CST memory_order_seq_cst

#define BIPBUF__AINIT(p, v)      atomic_init((p), (v))
#define BIPBUF__ALOAD(p, mo)     atomic_load_explicit((p), mo)
#define BIPBUF__ASTORE(p, v, mo) atomic_store_explicit((p), (v), mo)
#define BIPBUF__AXCHG(p, v, mo)  atomic_exchange_explicit((p), (v), mo)
/* A fence between threads, and one against the compiler's reordering only
 * (no instruction): the asymmetric wake's light side. */
#define BIPBUF__AFENCE(mo)      atomic_thread_fence(mo)
#define BIPBUF__ASIGNAL_FENCE() atomic_signal_fence(memory_order_seq_cst)

/* The layout and lock-freedom that sharing a buffer with C++ relies on
 * (bipbuf/atomics_cxx11.h, MIXING C AND C++). */
_Static_assert(sizeof(bipbuf__atomic_size) == sizeof(size_t),
               "_Atomic size_t has the size of a size_t, as std::atomic<size_t> has");
_Static_assert(_Alignof(bipbuf__atomic_size) == _Alignof(size_t),
               "_Atomic size_t has the alignment of a size_t, as std::atomic<size_t> has");
#if SIZE_MAX == ULONG_MAX
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2, "atomic size_t is always lock-free");
#elif SIZE_MAX == ULLONG_MAX
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "atomic size_t is always lock-free");
#elif SIZE_MAX == UINT_MAX
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic size_t is always lock-free");
#endif

_Static_assert(sizeof(bipbuf__atomic_u32) == 4 && ATOMIC_INT_LOCK_FREE == 2,
               "a futex word is a lock-free 32-bit atomic");

/* The layout assertions of bipbuf/impl.h hold for this backend. */
#define BIPBUF__ATOMICS_LAYOUT_CHECKED 1

#endif
