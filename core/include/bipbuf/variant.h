/*
 * bipbuf/variant.h - INTERNAL: not part of the API, and may change in any
 * release. Include <bipbuf.h> instead; it includes this header first.
 *
 * Variant selection. The same source builds every variant of the study. A
 * translation unit selects one by defining all three of
 *   BIPBUF_CACHED  1: keep private copies of the peer's indices and reload
 *                     them only when they show too little room or data;
 *                  0: reload on every call;
 *   BIPBUF_PAD     0: shared indices packed; 64: each on its own 64-byte
 *                     line; 128: each on its own 128-byte pair of lines;
 *   BIPBUF_ORDER   BIPBUF_ORDER_SEQCST or BIPBUF_ORDER_ACQREL
 * and, optionally, a fourth:
 *   BIPBUF_PUBLISH 0 (or undefined): the consumer stores its read index at
 *                     every consume; K > 0 (a decimal number of bytes): it
 *                     batches those stores, publishing every K bytes
 *                     consumed and whenever it might stop or wait
 *                     (bipbuf/impl.h, BATCHED PUBLICATION)
 * and, optionally, a fifth:
 *   BIPBUF_LEVERS  1 (or undefined): this project's levers are compiled as
 *                     their own macros say (claiming ahead, on by default);
 *                  0: none of them: BIPBUF_CLAIM_AHEAD, BIPBUF_READ_AHEAD
 *                     and BIPBUF_PREFETCH_LINES are 0 and BIPBUF_CLDEMOTE
 *                     is 0, whatever the build defines them to.
 *                     Only for the Rust crate's own choices (uncached,
 *                     pad64, acqrel, unbatched): the variant is then named
 *                     "crate-design", prefix bipbuf_crate_design, so that
 *                     it links beside uncached-pad64-acqrel, which keeps
 *                     the levers. It is the crate's design as the crate
 *                     built it: the baseline of every ratio to the crate.
 * and, optionally, a sixth:
 *   BIPBUF_WAKE    how a side that waits gives up its CPU and how the other
 *                  side wakes it (bipbuf/impl.h, SLEEPING WAITS):
 *                  BIPBUF_WAKE_SPIN: never sleeps, spins and yields (the
 *                     fast path pays nothing; the default when a variant
 *                     is selected, so that the names of the variants from
 *                     before the dimension mean what they meant);
 *                  BIPBUF_WAKE_FENCE: sleeps on a futex after its spin
 *                     budget; each commit/consume fences and checks for a
 *                     sleeper;
 *                  BIPBUF_WAKE_ASYM: as fence, but the side about to sleep
 *                     pays for both sides' fences (membarrier), so the
 *                     publisher checks with a plain load; falls back to
 *                     fence where the kernel lacks membarrier;
 *                  BIPBUF_WAKE_EVENTFD: as fence, but the sleeper waits on
 *                     an eventfd, a descriptor an event loop can watch;
 *                  BIPBUF_WAKE_NOFENCE: a negative control for tests only,
 *                     fence without its fences (it loses wake-ups).
 *                  Names gain "-fence", "-asym" or "-eventfd" (none for spin).
 * before including <bipbuf.h> (or with -D). The public names are then
 * mapped to the variant's prefix (bipbuf/map.h), so that every variant can
 * link into one program, one variant per translation unit; libbipbuf_variants
 * (CMake: bipbuf::variants) holds the non-inline code of every variant under
 * those prefixes, and bipbuf_variants.h lists the variants. Without the three
 * macros the default variant, cached-pad128-acqrel, is used under the plain
 * names (libbipbuf); see docs/FINDINGS.md for the measurements behind that
 * choice; the default library sleeps (BIPBUF_WAKE_ASYM).
 *
 * Defined here for users: BIPBUF_ORDER_SEQCST, BIPBUF_ORDER_ACQREL (and the
 * test-only BIPBUF_ORDER_RELAXED), BIPBUF_CONCAT, BIPBUF_VARIANT_SELECTED
 * (only when a variant was selected), BIPBUF_VARIANT_ID, BIPBUF_VARIANT_NAME,
 * BIPBUF_PUBLISH (0 unless selected) and, from the order header,
 * BIPBUF_ORDER_NAME.
 *
 * Names: cache-pad-order ("cached-pad64-acqrel"), with a fourth token
 * "-batchK" only where BIPBUF_PUBLISH is K > 0
 * ("cached-pad128-acqrel-batch1024"), so that the names of the unbatched
 * variants are the same as before the dimension existed.
 *
 * BIPBUF_PUBLISH_FORCE=K, for ablations only: the batched variants (those
 * with BIPBUF_PUBLISH > 0) publish every K bytes instead (0: at every
 * consume, as the unbatched ones do), keeping their names, so that one
 * entry can be built both ways and compared build against build. The
 * unbatched variants ignore it. BIPBUF__PUBLISH is the value in effect
 * (bipbench's CSV column `publish` records it).
 *
 * The atomics backend is bipbuf/atomics_c11.h in C and bipbuf/atomics_cxx11.h
 * (std::atomic, the same layout) in C++, unless BIPBUF_ATOMICS_HEADER names
 * another header that defines the same names (a model checker's, say); the
 * memory orders come from one order header (bipbuf/order_*.h).
 *
 * BIPBUF_ORDER_RELAXED is the tests' negative control, broken on purpose:
 * selecting it needs BIPBUF_ALLOW_BROKEN_RELAXED, and its header,
 * bipbuf/order_relaxed.h, lives in the source tree only (it is not
 * installed), so with an installed copy the selection stops with an #error.
 */
#ifndef BIPBUF_VARIANT_H
#define BIPBUF_VARIANT_H
#ifndef BIPBUF_H
#    error "bipbuf/variant.h is internal: include <bipbuf.h> instead"
#endif

#define BIPBUF_ORDER_SEQCST  1
#define BIPBUF_ORDER_ACQREL  2
#define BIPBUF_ORDER_RELAXED 3 /* negative control for tests only */

#define BIPBUF_WAKE_SPIN    1
#define BIPBUF_WAKE_FENCE   2
#define BIPBUF_WAKE_ASYM    3
#define BIPBUF_WAKE_EVENTFD 4
#define BIPBUF_WAKE_NOFENCE 5 /* negative control for tests only */

#define BIPBUF__CAT_(a, b)  a##b
#define BIPBUF_CONCAT(a, b) BIPBUF__CAT_(a, b)
#define BIPBUF__STR_(x)     #x
#define BIPBUF__XSTR(x)     BIPBUF__STR_(x)

#if defined(BIPBUF_CACHED) || defined(BIPBUF_PAD) || defined(BIPBUF_ORDER)
#    if !(defined(BIPBUF_CACHED) && defined(BIPBUF_PAD) && defined(BIPBUF_ORDER))
#        error "define all of BIPBUF_CACHED, BIPBUF_PAD and BIPBUF_ORDER, or none"
#    endif
#    define BIPBUF_VARIANT_SELECTED 1
#else
#    if defined(BIPBUF_PUBLISH) && BIPBUF_PUBLISH != 0
/* The default library (libbipbuf) is built unbatched: a unit with other
 * rules under the plain names would not agree with its waiting loops. */
#        error "BIPBUF_PUBLISH needs a variant: define BIPBUF_CACHED, BIPBUF_PAD, BIPBUF_ORDER"
#    endif
#    if defined(BIPBUF_WAKE)
#        error "BIPBUF_WAKE needs a variant: define BIPBUF_CACHED, BIPBUF_PAD, BIPBUF_ORDER"
#    endif
#    define BIPBUF_CACHED           1
#    define BIPBUF_PAD              128
#    define BIPBUF_ORDER            BIPBUF_ORDER_ACQREL
#    define BIPBUF_WAKE             BIPBUF_WAKE_ASYM
#    define BIPBUF__WAKE_IS_DEFAULT 1
#endif

#ifndef BIPBUF_WAKE
#    define BIPBUF_WAKE BIPBUF_WAKE_SPIN
#endif
#if BIPBUF_WAKE == BIPBUF_WAKE_SPIN
#    define BIPBUF__WAKE_ID
#    define BIPBUF__WAKE_NAME ""
#elif BIPBUF_WAKE == BIPBUF_WAKE_FENCE
#    define BIPBUF__WAKE_ID   _fence
#    define BIPBUF__WAKE_NAME "-fence"
#elif BIPBUF_WAKE == BIPBUF_WAKE_ASYM
#    define BIPBUF__WAKE_ID   _asym
#    define BIPBUF__WAKE_NAME "-asym"
#elif BIPBUF_WAKE == BIPBUF_WAKE_EVENTFD
#    define BIPBUF__WAKE_ID   _eventfd
#    define BIPBUF__WAKE_NAME "-eventfd"
#elif BIPBUF_WAKE == BIPBUF_WAKE_NOFENCE
#    ifndef BIPBUF_ALLOW_BROKEN_WAKE
#        error "BIPBUF_WAKE_NOFENCE is a broken negative control for tests"
#    endif
#    define BIPBUF__WAKE_ID   _nofence
#    define BIPBUF__WAKE_NAME "-nofence"
#else
#    error "BIPBUF_WAKE must be BIPBUF_WAKE_SPIN, _FENCE, _ASYM or _EVENTFD"
#endif
/* 1 where a waiting side may sleep in the kernel. */
#define BIPBUF__SLEEPS (BIPBUF_WAKE != BIPBUF_WAKE_SPIN)

#if BIPBUF_CACHED == 1
#    define BIPBUF__CACHE_TOK cached
#elif BIPBUF_CACHED == 0
#    define BIPBUF__CACHE_TOK uncached
#else
#    error "BIPBUF_CACHED must be 0 or 1"
#endif
#if BIPBUF_PAD != 0 && BIPBUF_PAD != 64 && BIPBUF_PAD != 128
#    error "BIPBUF_PAD must be 0, 64 or 128"
#endif
#ifndef BIPBUF_PUBLISH
#    define BIPBUF_PUBLISH 0
#endif
#if BIPBUF_PUBLISH < 0
#    error "BIPBUF_PUBLISH must be 0 or a number of bytes"
#endif
#if BIPBUF_PUBLISH > 0
#    define BIPBUF__PUBLISH_ID   BIPBUF_CONCAT(_batch, BIPBUF_PUBLISH)
#    define BIPBUF__PUBLISH_NAME "-batch" BIPBUF__XSTR(BIPBUF_PUBLISH)
#    ifdef BIPBUF_PUBLISH_FORCE
#        if BIPBUF_PUBLISH_FORCE < 0
#            error "BIPBUF_PUBLISH_FORCE must be 0 or a number of bytes"
#        endif
#        define BIPBUF__PUBLISH BIPBUF_PUBLISH_FORCE
#    else
#        define BIPBUF__PUBLISH BIPBUF_PUBLISH
#    endif
#else
#    define BIPBUF__PUBLISH_ID
#    define BIPBUF__PUBLISH_NAME ""
#    define BIPBUF__PUBLISH      0
#endif

#ifndef BIPBUF_LEVERS
#    define BIPBUF_LEVERS 1
#endif
#if BIPBUF_LEVERS == 0
/* The crate's design as the crate built it (BIPBUF_LEVERS above). */
#    if !defined(BIPBUF_VARIANT_SELECTED) || BIPBUF_CACHED != 0 || BIPBUF_PAD != 64 ||             \
        BIPBUF_ORDER != BIPBUF_ORDER_ACQREL || BIPBUF_PUBLISH != 0
#        error                                                                                     \
            "BIPBUF_LEVERS=0 is the crate's design only: BIPBUF_CACHED=0, BIPBUF_PAD=64, BIPBUF_ORDER=BIPBUF_ORDER_ACQREL, unbatched"
#    endif
/* A lever given for the whole build (scripts/ablate's --flags, CFLAGS) is
 * overridden here, not an error: the crate's design stays what the crate
 * built in every build, so that ratios to it compare like with like. */
#    undef BIPBUF_CLAIM_AHEAD
#    undef BIPBUF_READ_AHEAD
#    undef BIPBUF_PREFETCH_LINES
#    undef BIPBUF_CLDEMOTE
#    define BIPBUF_CLAIM_AHEAD    0
#    define BIPBUF_READ_AHEAD     0
#    define BIPBUF_PREFETCH_LINES 0
#    define BIPBUF_CLDEMOTE       0
#elif BIPBUF_LEVERS != 1
#    error "BIPBUF_LEVERS must be 0 or 1"
#endif

#ifdef BIPBUF_ATOMICS_HEADER
#    include BIPBUF_ATOMICS_HEADER
#elif defined(__cplusplus)
#    include "atomics_cxx11.h"
#else
#    include "atomics_c11.h"
#endif

#if BIPBUF_ORDER == BIPBUF_ORDER_SEQCST
#    include "order_seqcst.h"
#elif BIPBUF_ORDER == BIPBUF_ORDER_ACQREL
#    include "order_acqrel.h"
#elif BIPBUF_ORDER == BIPBUF_ORDER_RELAXED
#    ifndef BIPBUF_ALLOW_BROKEN_RELAXED
#        error "the relaxed order is a broken negative control for tests"
#    endif
#    ifdef __has_include
#        if !__has_include("order_relaxed.h")
#            error "BIPBUF_ORDER_RELAXED is for the tests only: order_relaxed.h is not installed"
#        endif
#    endif
#    include "order_relaxed.h"
#else
#    error "BIPBUF_ORDER must be BIPBUF_ORDER_SEQCST or BIPBUF_ORDER_ACQREL"
#endif

/* cached_pad64_acqrel (cached_pad64_acqrel_batch1024, cached_pad128_acqrel_asym):
 * names this variant in symbols. */
#define BIPBUF_VARIANT_ID                                                                          \
    BIPBUF_CONCAT(BIPBUF_CONCAT(BIPBUF_CONCAT(BIPBUF_CONCAT(BIPBUF__CACHE_TOK,                     \
                                                            BIPBUF_CONCAT(_pad, BIPBUF_PAD)),      \
                                              BIPBUF_CONCAT(_, BIPBUF__ORDER_TOK)),                \
                                BIPBUF__PUBLISH_ID),                                               \
                  BIPBUF__WAKE_ID)
/* "cached-pad64-acqrel" ("cached-pad64-acqrel-batch1024",
 * "cached-pad128-acqrel-asym"): names this variant to people and in CSV
 * files. */
#define BIPBUF_VARIANT_NAME                                                                        \
    BIPBUF__XSTR(BIPBUF__CACHE_TOK)                                                                \
    "-pad" BIPBUF__XSTR(BIPBUF_PAD) "-" BIPBUF_ORDER_NAME BIPBUF__PUBLISH_NAME BIPBUF__WAKE_NAME

/* Without the levers, the crate's design has a name of its own (above),
 * with the wake token after it ("crate-design-asym"). */
#if BIPBUF_LEVERS == 0
#    undef BIPBUF_VARIANT_ID
#    undef BIPBUF_VARIANT_NAME
#    define BIPBUF_VARIANT_ID   BIPBUF_CONCAT(crate_design, BIPBUF__WAKE_ID)
#    define BIPBUF_VARIANT_NAME "crate-design" BIPBUF__WAKE_NAME
#endif

#ifdef BIPBUF_VARIANT_SELECTED
#    define BIPBUF_PREFIX BIPBUF_CONCAT(bipbuf_, BIPBUF_VARIANT_ID)
#    include "map.h"
#endif

#endif /* BIPBUF_VARIANT_H */
