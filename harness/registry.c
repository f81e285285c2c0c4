/*
 * registry.c - every entry bipbench can measure, in the order `list` shows
 * them: the variants (from the generated X-macro list, so nothing names them
 * twice), then the limits. Peer adapters (harness/peers/) are added as more
 * entries of the same table.
 */
#define _POSIX_C_SOURCE 200809L
#include "bench.h"

#include "bipbuf_variants.h"

#define DECLARE(id, name, cached, pad, order) extern const struct bench_impl bench_impl_##id;
BIPBUF_FOR_EACH_VARIANT(DECLARE)
#undef DECLARE

extern const struct bench_impl bench_limit_onethread;
extern const struct bench_impl bench_limit_c2c;

#define ENTRY(id, name, cached, pad, order) &bench_impl_##id,
static const struct bench_impl *const entries[] = {
    BIPBUF_FOR_EACH_VARIANT(ENTRY) /* the study's variants */
        & bench_limit_onethread,
    &bench_limit_c2c,
};
#undef ENTRY

const struct bench_impl *const *bench_registry(size_t *count) {
    *count = sizeof entries / sizeof entries[0];
    return entries;
}
