/*
 * relacy_atomics.h - the atomics backend for checking the core under Relacy
 * (a C++ weak-memory model checker). Selected with
 * -DBIPBUF_ATOMICS_HEADER='"relacy_atomics.h"'; defines the names that
 * bipbuf/atomics_c11.h defines, over Relacy's simulated atomics, so that
 * Relacy runs the header's own code and explores the values each load may
 * return under the C++ memory model. `$` is Relacy's source-position
 * argument: expanded where the core uses the macro, so traces name the
 * lines of bipbuf/impl.h.
 */
#ifndef BIPBUF_RELACY_ATOMICS_H
#define BIPBUF_RELACY_ATOMICS_H

#include <relacy/relacy.hpp>

#include <stddef.h>

typedef rl::atomic<size_t> bipbuf__atomic_size;
typedef rl::atomic<unsigned> bipbuf__atomic_u32;

#define BIPBUF__MO_RELAXED rl::mo_relaxed
#define BIPBUF__MO_ACQUIRE rl::mo_acquire
#define BIPBUF__MO_RELEASE rl::mo_release
#define BIPBUF__MO_SEQ_CST rl::mo_seq_cst

#define BIPBUF__AINIT(p, v)      (p)->store((v), rl::mo_relaxed, $)
#define BIPBUF__ALOAD(p, mo)     (p)->load((mo), $)
#define BIPBUF__ASTORE(p, v, mo) (p)->store((v), (mo), $)
#define BIPBUF__AXCHG(p, v, mo)  (p)->exchange((v), (mo), $)
#define BIPBUF__AFENCE(mo)       rl::atomic_thread_fence((mo), $)
/* A compiler barrier orders nothing between threads: nothing to simulate. */
#define BIPBUF__ASIGNAL_FENCE() ((void)0)

#endif
