/*
 * registry.c - every entry bipbench can measure, in the order `list` shows
 * them, and the names of the workloads and read modes: the variants (from the generated X-macro
 * list, so nothing names them twice), then the limits. Peer adapters (harness/peers/) are added as
 * more entries of the same table.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include "bipbuf_variants.h"

#define DECLARE(id, name, cached, pad, order, publish, wake)                                       \
    extern const struct bench_impl bench_impl_##id;
BIPBUF_FOR_EACH_VARIANT(DECLARE)
#undef DECLARE

extern const struct bench_impl bench_limit_onethread;
extern const struct bench_impl bench_limit_c2c;
extern const struct bench_impl bench_limit_stream;
extern const struct bench_impl bench_limit_futex;
extern const struct bench_impl bench_peer_pipe, bench_peer_condvar;

/* Peer adapters, when harness/peers/ is built: peers/peers.h defines
 * BENCH_FOR_EACH_PEER(X) with X(symbol) for each descriptor it exports. */
#ifdef BENCH_HAVE_PEERS
#    include "peers/peers.h"
#    define DECLARE_PEER(sym) extern const struct bench_impl sym;
BENCH_FOR_EACH_PEER(DECLARE_PEER)
#    undef DECLARE_PEER
#    define PEER_ENTRY(sym) &sym,
#else
#    define BENCH_FOR_EACH_PEER(X)
#endif

#define ENTRY(id, name, cached, pad, order, publish, wake) &bench_impl_##id,
/* One kind of entry per line. */
/* clang-format off */
static const struct bench_impl *const entries[] = {
    BIPBUF_FOR_EACH_VARIANT(ENTRY)            /* the study's variants */
    &bench_limit_onethread, &bench_limit_c2c, &bench_limit_stream, &bench_limit_futex, /* limits */
    &bench_peer_pipe, &bench_peer_condvar,    /* the blocking peers of libc (blocking.c) */
    BENCH_FOR_EACH_PEER(PEER_ENTRY)           /* peers, if built */
};
/* clang-format on */
#undef ENTRY

/* The names of the workloads and read modes, from their one list (bench.h). */
#define NAME(a, b, c, tok, name) name,
const char *const bench_workload_names[BENCH_WL_COUNT] = {BENCH_FOR_EACH_WORKLOAD(NAME, _, _, _)};
const char *const bench_read_names[BENCH_READ_COUNT] = {BENCH_FOR_EACH_READ(NAME, _, _, _)};
#undef NAME
_Static_assert(sizeof bench_workload_names / sizeof bench_workload_names[0] == BENCH_WL_COUNT,
               "a name per workload");
_Static_assert(sizeof bench_read_names / sizeof bench_read_names[0] == BENCH_READ_COUNT,
               "a name per read mode");

const struct bench_impl *const *bench_registry(size_t *count) {
    *count = sizeof entries / sizeof entries[0];
    return entries;
}
