/*
 * bipbuf/impl.h - INTERNAL: not part of the API, and may change in any
 * release. Include <bipbuf.h> instead; it includes this header at its end.
 *
 * The structure behind the API of bipbuf.h and the bodies of its inline
 * functions (the hot paths), with the argument for their correctness.
 * docs/DESIGN.md tells the same story at more length.
 *
 * THE ALGORITHM. Shared state is the byte array buf[cap] and three indices,
 * each written by one side only:
 *   write (producer)  end of the last committed byte;
 *   read  (consumer)  start of the first unconsumed byte;
 *   last  (producer)  the watermark: where valid data ends after the
 *                     producer wrapped to 0 before reaching cap.
 * write == read means empty. If write >= read the readable bytes are
 * [read, write). If write < read the producer has wrapped: readable bytes are
 * [read, last), then, once read == last, [0, write).
 * To reserve n bytes the producer, with write >= read, uses the tail
 * [write, write+n) if it fits before cap, and otherwise wraps to [0, n) if
 * n < read (a one-byte gap keeps write == read meaning "empty"); with
 * write < read it uses [write, write+n) if n <= read - write - 1.
 *
 * MAX RESERVE. Only lengths up to bipbuf_max_reserve() = floor(cap / 2) are
 * guaranteed to become reservable once the consumer drains: on an empty
 * buffer whose indices both sit at x, the largest region on offer is
 * max(cap - x, x - 1), and for x = floor(cap/2) + 1 (or cap/2 for even cap)
 * that is floor(cap / 2). A longer request could wait forever, so it is
 * refused at once with -EINVAL instead.
 *
 * MEMORY ORDERING. Labels P1/P2/C1/C2 name the atomic accesses; the comments
 * at each say what pairs with what.
 *   P1  producer: load of `read`. Pairs with C2: once the producer sees the
 *       consumer's new `read`, every byte before it has been read, so the
 *       producer may overwrite it (the store is the consumer's licence).
 *   P2  producer: store of `write` (preceded on a wrap by the store of
 *       `last`). Publishes the payload bytes and `last`. Pairs with C1.
 *   C1  consumer: load of `write` and then `last`. Pairs with P2: once the
 *       consumer sees `write`, the payload bytes before it and the `last`
 *       stored before it are visible.
 *   C2  consumer: store of `read`. Pairs with P1.
 * Which C11 memory order each label uses is chosen in one place, the order
 * header (bipbuf/order_seqcst.h or bipbuf/order_acqrel.h).
 *
 * BATCHED PUBLICATION (BIPBUF_PUBLISH = K > 0, the -batchK variants; K in
 * effect: BIPBUF__PUBLISH). The consumer defers C2. bipbuf_consume stores
 * read only
 *   (a) once K or more bytes have been consumed since the last store, or
 *   (b) when it has consumed everything its latest peek showed;
 * and a peek stores what is still held back
 *   (c) when its fresh view shows fewer bytes than the caller needs: fewer
 *       than want (any number with want 0) for bipbuf_peek, fewer than it
 *       waits for in bipbuf_peek_wait (the lag alone does not count).
 * Why: every store of read invalidates the line that the producer loads at
 * P1 (an uncached producer at every reservation), and its next load must
 * fetch it back; batching those stores is MCRingBuffer's (Lee et al. 2009)
 * and B-Queue's (Wang et al. 2013) remedy.
 * Safety: to the producer a store made later is the same as a store it has
 * not seen yet, which P1 already allows (a stale read only understates
 * room). The values stored are a subsequence of those the unbatched consumer
 * stores, each still a release after the reads of every byte before it.
 * Invariant: bytes are held back only while the latest peek still shows
 * unconsumed ones ((b)), so the consumer's private read never moves to 0 at
 * the end of a lap with bytes held back, and (c) stores exactly what the
 * last consume would have stored.
 * Liveness: with a view that shows nothing, nothing is held back ((b)): once
 * the consumer drains the buffer, every length up to max_reserve becomes
 * reservable, as before, even if the consumer never calls again. A consumer
 * that waits for data asks for what it waits for (bipbuf_peek_wait, or a
 * bipbuf_peek loop with that want, which the cached variants require
 * already), and its first look that comes up short releases everything
 * ((c)); so a producer waiting for room never waits on bytes the consumer
 * holds back while the consumer waits for data: no deadlock. Checked by the
 * Spin model (core/tests/model), with a negative control that waits without
 * publishing and must deadlock.
 * What a producer may observe: room later than an unbatched consumer would
 * give it (-EAGAIN from try_reserve, or a longer wait in reserve, where the
 * unbatched variant would have found room). Nothing is lost, duplicated or
 * overwritten early; the consumer's own calls answer as before.
 * The producer does not batch P2: after its last commit a producer may never
 * call again (it exits, or waits for a reply on another channel, as
 * bipbench's latency ping-pong does), and a deferred store of write would
 * then leave committed bytes unpublished for good. Only a flush call could
 * end that, and the API has none (the Spin model's MUT_PRODUCER_DEFERS shows
 * the loss).
 *
 * SLEEPING WAITS (BIPBUF_WAKE other than spin). A side that has waited its
 * spin budget (bipbuf_set_spin) sleeps in the kernel until the other side
 * publishes, closes, or its time limit passes. Two words, each on a line of
 * its own: cons_sleeps (1 while the consumer is about to sleep or sleeps;
 * the futex word it sleeps on) and prod_sleeps. The sleeper
 *   S1  stores 1 to its word,
 *   S2  fences (see below),
 *   S3  takes a fresh view of the peer's index (C1 or P1) and the closed
 *       word, and sleeps only if they still show too little: futex_wait on
 *       its word while it is 1 (or poll on its eventfd);
 * the publisher, after each store that gives the peer something (P2 at
 * commit, C2 at consume, the close stores),
 *   W1  fences (see below),
 *   W2  loads the peer's word, and only if it is 1 exchanges it to 0 and
 *       wakes the sleeper (futex_wake, or a write to its eventfd).
 * This is store buffering (Dekker): each side stores, then loads what the
 * other stored. Without S2 and W1 both loads may miss both stores, the
 * publisher seeing no sleeper and the sleeper no data: a lost wake-up. With
 * a seq_cst fence at S2 and at W1, the two fences are ordered in the single
 * total order S, and whichever is later sees the other side's store: the
 * sleeper sees the data (and does not sleep), or the publisher sees the
 * flag (and wakes it). futex_wait sleeps only while the word is still 1,
 * atomically in the kernel, so a wake that lands between S3 and the sleep
 * is not lost either: the publisher's exchange made it 0 first.
 *   fence: S2 and W1 are seq_cst fences (mfence or a locked instruction on
 *          x86, dmb ish on Arm): every commit and consume pays one.
 *   asym:  W1 is only a compiler barrier; S2 is membarrier(
 *          MEMBARRIER_CMD_PRIVATE_EXPEDITED), which makes every other
 *          running thread of the process execute a full barrier before it
 *          returns (and a thread not running has passed one in its context
 *          switch). So at the moment S2 completes the publisher's W2 either
 *          came before its forced barrier, after its store (whose effect the
 *          barrier made visible to S3), or comes after it and sees S1. The
 *          sleeper pays a system call (and IPIs) per sleep; the fast path
 *          pays a load. Where the kernel lacks the command, or refuses the
 *          registration that bipbuf_init asks for, both sides fall back to
 *          fence (bipbuf_wake_kind says which is in effect).
 *   eventfd: the fences of fence; the sleeper waits in poll on an eventfd
 *          (bipbuf_wake_fd), which an event loop can watch with the
 *          program's other descriptors (bipbuf_peek_arm).
 * On the seqcst variants P2 and C2 are seq_cst stores, the loads of S3 are
 * seq_cst and S1 and W2 are seq_cst too: the total order over those alone
 * gives the argument, and W1 is no instruction.
 * A wake that finds the sleeper gone (it saw the data itself, or timed out)
 * is harmless: a futex_wake with no waiter, or an eventfd count that ends
 * the next poll at once. The Spin model (core/tests/model/wake.pml) and
 * Relacy (core/tests/relacy) check the protocol, with BIPBUF_WAKE_NOFENCE,
 * which drops S2 and W1, as the control they must catch.
 */
#ifndef BIPBUF_IMPL_H
#define BIPBUF_IMPL_H
#ifndef BIPBUF_H
#    error "bipbuf/impl.h is internal: include <bipbuf.h> instead"
#endif

/* ---- portability -------------------------------------------------------- */

/* BIPBUF_CLDEMOTE's run-time test (bipbuf__cldemote_active); included here,
 * outside the extern "C" block below. */
#if defined(BIPBUF_CLDEMOTE) && (defined(__x86_64__) || defined(__i386__)) &&                      \
    (defined(__GNUC__) || defined(__clang__))
#    if BIPBUF_CLDEMOTE
#        include <cpuid.h>
#    endif
#endif

#ifdef __cplusplus
#    define BIPBUF__ALIGNAS(n)          alignas(n)
#    define BIPBUF__STATIC_ASSERT(c, m) static_assert(c, m)
#    define BIPBUF__ALIGNOF(t)          alignof(t)
extern "C" {
#else
#    define BIPBUF__ALIGNAS(n)          _Alignas(n)
#    define BIPBUF__STATIC_ASSERT(c, m) _Static_assert(c, m)
#    define BIPBUF__ALIGNOF(t)          _Alignof(t)
#endif

#if BIPBUF_PAD
#    define BIPBUF__LINE BIPBUF__ALIGNAS(BIPBUF_PAD)
#else
#    define BIPBUF__LINE
#endif

#if defined(__GNUC__) || defined(__clang__)
#    define BIPBUF__LIKELY(x)   __builtin_expect(!!(x), 1)
#    define BIPBUF__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#    define BIPBUF__LIKELY(x)   (x)
#    define BIPBUF__UNLIKELY(x) (x)
#endif

/* ---- the structure ------------------------------------------------------ */

/*
 * Complete here so that users can place a buffer statically, on the stack or
 * in memory they manage; its fields are private: use the functions.
 *
 * Layout: the three shared indices first, then a producer-private block and a
 * consumer-private block, each holding its own copy of the constants so that
 * each side touches only its own lines and the shared ones; last, the two
 * end-of-stream words, which only the waits load. With BIPBUF_PAD 64 or 128
 * each of the six sits on its own line (pair of lines); with 0 everything is
 * packed.
 */
struct bipbuf {
    BIPBUF__LINE bipbuf__atomic_size write; /* written by the producer (P2) */
    BIPBUF__LINE bipbuf__atomic_size last;  /* written by the producer (P2) */
    BIPBUF__LINE bipbuf__atomic_size read;  /* written by the consumer (C2) */
    BIPBUF__LINE struct {
        unsigned char *buf;
        size_t cap;
        size_t max_reserve;
        size_t write;      /* == the shared write, which only we store */
        size_t last;       /* == the shared last, which only we store */
        size_t read;       /* our latest load of the shared read */
        size_t resv_len;   /* length of the open reservation; 0: none */
        size_t resv_start; /* its offset; != write means it wrapped */
#if BIPBUF__SLEEPS
        int full_fence;  /* asym fallen back to fence: W1, S2 are fences */
        int own_fd;      /* eventfd: the descriptor we sleep on; else -1 */
        int peer_fd;     /* eventfd: the consumer's, written to wake it */
        int64_t spin_ns; /* spin budget before sleeping */
        uint64_t sleeps; /* times this side slept in the kernel */
        uint64_t wakes;  /* times this side woke the other */
#endif
    } prod;
    BIPBUF__LINE struct {
        unsigned char *buf;
        size_t cap;
        size_t read;  /* == the shared read, except just after a wrap */
        size_t write; /* our latest load of the shared write */
        size_t last;  /* our latest load of last (valid while write < read) */
        size_t shown; /* bytes the latest peek showed, less those consumed */
#if BIPBUF__PUBLISH > 0
        size_t held; /* bytes consumed since the last store of read */
#endif
#if BIPBUF__SLEEPS
        int full_fence;
        int own_fd;
        int peer_fd; /* the producer's */
        int64_t spin_ns;
        uint64_t sleeps;
        uint64_t wakes;
#endif
    } cons;
    /* End of stream (bipbuf_close_producer/_consumer): each word written
     * once, by its own side, and read only by the other side's waits, never
     * on a fast path; on a line of its own, away from the indices. */
    BIPBUF__LINE struct {
        bipbuf__atomic_size producer; /* 1: the producer closed (release) */
        bipbuf__atomic_size consumer; /* 1: the consumer closed (release) */
    } closed;
#if BIPBUF__SLEEPS
    /* SLEEPING WAITS above: each written by its sleeper (and cleared by the
     * waker), loaded by the other side after every publication. */
    BIPBUF__LINE bipbuf__atomic_u32 cons_sleeps;
    BIPBUF__LINE bipbuf__atomic_u32 prod_sleeps;
#endif
};

/* Checked with the built-in backends, in C and C++; a backend from
 * BIPBUF_ATOMICS_HEADER (a model checker's) may lay its atomics out as it
 * likes. */
#if BIPBUF_PAD && defined(BIPBUF__ATOMICS_LAYOUT_CHECKED)
BIPBUF__STATIC_ASSERT(BIPBUF__ALIGNOF(struct bipbuf) == BIPBUF_PAD, "bipbuf alignment");
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, last) - offsetof(struct bipbuf, write) == BIPBUF_PAD,
                      "write and last on separate lines");
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, read) - offsetof(struct bipbuf, last) == BIPBUF_PAD,
                      "last and read on separate lines");
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, prod) - offsetof(struct bipbuf, read) == BIPBUF_PAD,
                      "read and the producer's block on separate lines");
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, cons) - offsetof(struct bipbuf, prod) >= BIPBUF_PAD,
                      "producer and consumer blocks on separate lines");
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, closed) - offsetof(struct bipbuf, cons) >= BIPBUF_PAD,
                      "consumer block and end-of-stream words on separate lines");
#    if BIPBUF__SLEEPS
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, cons_sleeps) - offsetof(struct bipbuf, closed) >=
                          BIPBUF_PAD,
                      "end-of-stream words and the consumer's sleep word on separate lines");
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, prod_sleeps) - offsetof(struct bipbuf, cons_sleeps) ==
                          BIPBUF_PAD,
                      "the two sleep words on separate lines");
BIPBUF__STATIC_ASSERT(sizeof(struct bipbuf) - offsetof(struct bipbuf, prod_sleeps) >= BIPBUF_PAD,
                      "nothing after the producer's sleep word shares its line");
#    else
BIPBUF__STATIC_ASSERT(sizeof(struct bipbuf) - offsetof(struct bipbuf, closed) >= BIPBUF_PAD,
                      "nothing after the end-of-stream words shares their line");
#    endif
#elif defined(BIPBUF__ATOMICS_LAYOUT_CHECKED)
BIPBUF__STATIC_ASSERT(offsetof(struct bipbuf, last) == sizeof(size_t), "pad0 packs the indices");
#endif

/* ---- waking a sleeping peer (SLEEPING WAITS) ---------------------------- */

#if BIPBUF__SLEEPS
#    if BIPBUF_ORDER == BIPBUF_ORDER_SEQCST
#        define BIPBUF__MO_SLEEPS BIPBUF__MO_SEQ_CST
#    else
#        define BIPBUF__MO_SLEEPS BIPBUF__MO_RELAXED
#    endif

/* W2's slow part, in bipbuf.c: exchange the word to 0 and, if it was 1,
 * wake the side sleeping on it. Tests may put their own in its place. */
void bipbuf__wake(bipbuf *b, bipbuf__atomic_u32 *sleeps);
#    ifndef BIPBUF__WAKE_SLEEPER
#        define BIPBUF__WAKE_SLEEPER(b, sleeps) bipbuf__wake((b), (sleeps))
#    endif
/* asym's S2, in bipbuf.c: membarrier; 0, or -1 if the call failed (the
 * sleeper then must not sleep). A model checker puts in its place the
 * fence that the call forces on the other thread, and BIPBUF__LIGHT_FENCE
 * the same fence (what the call makes of the publisher's compiler barrier
 * wherever it stands). */
int bipbuf__heavy_fence(void);
#    ifndef BIPBUF__HEAVY_FENCE
#        define BIPBUF__HEAVY_FENCE() bipbuf__heavy_fence()
#    endif
#    ifndef BIPBUF__LIGHT_FENCE
#        define BIPBUF__LIGHT_FENCE() BIPBUF__ASIGNAL_FENCE()
#    endif

/* Either side, after a store that gives the peer something: W1 and W2. */
static inline void bipbuf__wake_check(bipbuf *b, bipbuf__atomic_u32 *sleeps, int full_fence) {
#    if BIPBUF_WAKE == BIPBUF_WAKE_NOFENCE || BIPBUF_ORDER == BIPBUF_ORDER_SEQCST
    (void)full_fence;
#    elif BIPBUF_WAKE == BIPBUF_WAKE_ASYM
    if (BIPBUF__UNLIKELY(full_fence))
        BIPBUF__AFENCE(BIPBUF__MO_SEQ_CST);
    else
        BIPBUF__LIGHT_FENCE();
#    else
    (void)full_fence;
    BIPBUF__AFENCE(BIPBUF__MO_SEQ_CST);
#    endif
    if (BIPBUF__UNLIKELY(BIPBUF__ALOAD(sleeps, BIPBUF__MO_SLEEPS) != 0))
        BIPBUF__WAKE_SLEEPER(b, sleeps);
}

/* Either side, about to sleep: S1 and S2. 0, or -1 where S2 failed and the
 * caller must not sleep (its word is then 0 again). The caller's S3 follows. */
static inline int bipbuf__announce(bipbuf__atomic_u32 *sleeps, int full_fence) {
    BIPBUF__ASTORE(sleeps, 1, BIPBUF__MO_SLEEPS);
#    if BIPBUF_WAKE == BIPBUF_WAKE_NOFENCE
    (void)full_fence;
#    elif BIPBUF_WAKE == BIPBUF_WAKE_ASYM
    if (BIPBUF__UNLIKELY(full_fence)) {
        BIPBUF__AFENCE(BIPBUF__MO_SEQ_CST);
    } else if (BIPBUF__HEAVY_FENCE() != 0) {
        BIPBUF__ASTORE(sleeps, 0, BIPBUF__MO_RELAXED);
        return -1;
    }
#    else
    (void)full_fence;
    BIPBUF__AFENCE(BIPBUF__MO_SEQ_CST);
#    endif
    return 0;
}
#    define BIPBUF__WAKE_CONSUMER(b)                                                               \
        bipbuf__wake_check((b), &(b)->cons_sleeps, (b)->prod.full_fence)
#    define BIPBUF__WAKE_PRODUCER(b)                                                               \
        bipbuf__wake_check((b), &(b)->prod_sleeps, (b)->cons.full_fence)
#else
#    define BIPBUF__WAKE_CONSUMER(b) ((void)0)
#    define BIPBUF__WAKE_PRODUCER(b) ((void)0)
#endif

/* ---- either side -------------------------------------------------------- */

static inline size_t bipbuf_capacity(const bipbuf *b) {
    return b->prod.cap;
}

static inline size_t bipbuf_max_reserve(const bipbuf *b) {
    return b->prod.max_reserve;
}

/* ---- producer ------------------------------------------------------------ */

#define BIPBUF__LINE_SIZE 64 /* bytes: the cache line the prefetch hints count in */

/* Producer: does [start, start+len) fit, given the producer's view of read? */
static inline int bipbuf__fits(const bipbuf *b, size_t len, size_t *start) {
    size_t w = b->prod.write, r = b->prod.read;
    if (w >= r) {
        if (b->prod.cap - w >= len) {
            *start = w;
            return 1;
        }
        if (r > len) { /* wrap; keep one byte free so write != read */
            *start = 0;
            return 1;
        }
        return 0;
    }
    if (r - w - 1 >= len) {
        *start = w;
        return 1;
    }
    return 0;
}

/*
 * How far ahead of each reservation the producer claims lines (bytes; 0
 * turns it off; 128 by default). A line the consumer has read is shared by the
 * two caches; the producer's next store to it must first take it back, and
 * stores leave the store buffer in order, so each such line stalls the
 * stores behind it for a core-to-core round trip. Asking for the lines
 * `ahead` bytes early (prefetch for writing) overlaps those round trips.
 * Only lines the producer's view shows the consumer is done with are
 * claimed. On by default since it won its A/B where the two cores are far
 * apart, and is level where they are near (the numbers: docs/FINDINGS.md,
 * "Levers, measured"). It adds instructions only to reservations that start
 * a new line.
 */
#ifndef BIPBUF_CLAIM_AHEAD
#    define BIPBUF_CLAIM_AHEAD 128
#endif

/* Producer: a hint that the line at p will be written. */
static inline void bipbuf__prefetch_write(const unsigned char *p) {
#if defined(__x86_64__) || defined(__i386__)
    /* prefetchw: GCC emits it for __builtin_prefetch(p, 1) only where the
     * target flags promise it, but every x86-64 CPU decodes it. */
    __asm__ __volatile__("prefetchw (%0)" : : "r"(p));
#elif defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p, 1, 3);
#else
    (void)p;
#endif
}

/* Tests define this to see every line claimed. */
#ifndef BIPBUF__CLAIM_LINE
#    define BIPBUF__CLAIM_LINE(p) bipbuf__prefetch_write(p)
#endif

/*
 * BIPBUF_CLDEMOTE=1 (default 0, off): each side demotes the cache lines it
 * is done with, the producer at commit the lines its commit completes, the
 * consumer at consume the lines it has consumed to their end. CLDEMOTE
 * hints that a line move from this core's caches to a more distant level
 * (the shared L3), so that the other core's next access to it (the
 * consumer's read of a written line, the producer's write of a read one a
 * lap later) is served from there rather than by a snoop into this core's
 * L1/L2. Only whole lines, and only once finished: the SDM asks that a
 * demoted line not be accessed again soon by the same core. (The one line of
 * each lap that ends at the watermark, not on a line boundary, is never
 * completed and never demoted.) Off: measured only where the CPU lacks it
 * (a NOP there, level), docs/FINDINGS.md ("Levers, measured").
 *
 * The encoding, NP 0F 1C /0, lies in the hint-NOP space: the SDM says that
 * processors without CLDEMOTE (CPUID.(EAX=7,ECX=0):ECX[25]), including
 * earlier ones, execute it as a NOP. So it is emitted with inline assembly
 * (no -mcldemote, no target attribute, which would keep it out of callers
 * compiled without it) and without a run-time test; bipbuf__cldemote_active
 * says whether it does anything on this CPU. Elsewhere than x86 it is
 * nothing.
 */
#ifndef BIPBUF_CLDEMOTE
#    define BIPBUF_CLDEMOTE 0
#endif
#if BIPBUF_CLDEMOTE != 0 && BIPBUF_CLDEMOTE != 1
#    error "BIPBUF_CLDEMOTE must be 0 or 1"
#endif

/* Either side: the hint that the line at p is done with, for now. */
static inline void bipbuf__demote(const unsigned char *p) {
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
    /* The memory operand orders it after the stores to the line, as the
     * instruction itself is ordered after older stores to the same line. */
    __asm__ __volatile__("cldemote %0" : : "m"(*(const unsigned char(*)[BIPBUF__LINE_SIZE])p));
#else
    (void)p;
#endif
}

/* Tests define this to see every line demoted. */
#ifndef BIPBUF__DEMOTE_LINE
#    define BIPBUF__DEMOTE_LINE(p) bipbuf__demote(p)
#endif

/* Either side, with BIPBUF_CLDEMOTE: demote the lines that [from, to) of
 * buf completes, those whose last byte lies in it. Most small commits and
 * consumes complete none. */
static inline void bipbuf__demote_done(const unsigned char *buf, size_t from, size_t to) {
#if BIPBUF_CLDEMOTE
    const uintptr_t line = BIPBUF__LINE_SIZE;
    uintptr_t p = ((uintptr_t)buf + from) & ~(line - 1), end = ((uintptr_t)buf + to) & ~(line - 1);
    for (; p < end; p += line)
        BIPBUF__DEMOTE_LINE((const unsigned char *)p);
#else
    (void)buf;
    (void)from;
    (void)to;
#endif
}

/* Either side: 1 if the demotes are compiled in (BIPBUF_CLDEMOTE) and this
 * CPU executes CLDEMOTE (CPUID leaf 7, ECX bit 25), else 0. For reports
 * (bipbench's CSV column `cldemote`); it executes CPUID, which may trap to a
 * hypervisor: not for a hot path. */
static inline int bipbuf__cldemote_active(void) {
#if BIPBUF_CLDEMOTE && (defined(__x86_64__) || defined(__i386__)) &&                               \
    (defined(__GNUC__) || defined(__clang__))
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    return (int)((c >> 25) & 1);
#else
    return 0;
#endif
}

/* Producer: claim the lines BIPBUF_CLAIM_AHEAD bytes past the reservation
 * [start, end), as far as the producer's view shows them free: whole lines
 * of the storage up to its end or, once wrapped, up to the line holding the
 * consumer's read index (never that line: the consumer may still be reading
 * it). A view of read that is out of date only understates what is free. */
static inline void bipbuf__claim_ahead(const bipbuf *b, size_t start, size_t end) {
#if BIPBUF_CLAIM_AHEAD > 0
    const uintptr_t line = BIPBUF__LINE_SIZE, base = (uintptr_t)b->prod.buf;
    /* From the first line that starts at or after start + ahead: the line
     * before it was claimed with the previous reservation, which ended at
     * start. Most small reservations start no new line and claim nothing,
     * which the first test finds before the rest is worked out. */
    uintptr_t p = (base + start + BIPBUF_CLAIM_AHEAD + line - 1) & ~(line - 1);
    uintptr_t hi = base + end + BIPBUF_CLAIM_AHEAD, top;
    size_t limit;
    if (BIPBUF__LIKELY(p >= hi))
        return;
    limit = end > b->prod.read ? b->prod.cap : b->prod.read;
    top = (base + limit) & ~(line - 1);
    if (hi > top)
        hi = top;
    for (; p < hi; p += line)
        BIPBUF__CLAIM_LINE((const unsigned char *)p);
#else
    (void)b;
    (void)start;
    (void)end;
#endif
}

static inline int bipbuf_try_reserve(bipbuf *b, size_t len, void **out) {
    size_t start = 0;
    if (BIPBUF__UNLIKELY(out == NULL || len == 0 || len > b->prod.max_reserve))
        return -EINVAL;
    if (BIPBUF__UNLIKELY(b->prod.resv_len != 0))
        return -EBUSY;
    /* Cached variants first try the read index they saw last time: the
     * consumer only moves it forward, so a stale copy only understates room. */
    if (!BIPBUF_CACHED || !bipbuf__fits(b, len, &start)) {
        /* P1: pairs with the consumer's store of read (C2). Every byte before
         * the value seen has been read: the store is our licence to
         * overwrite them. */
        b->prod.read = BIPBUF__LOAD_PEER(&b->read);
        if (!bipbuf__fits(b, len, &start))
            return -EAGAIN;
    }
    b->prod.resv_len = len;
    b->prod.resv_start = start;
    *out = b->prod.buf + start;
    bipbuf__claim_ahead(b, start, start + len);
    return 0;
}

/* Producer: the waiting part of bipbuf_reserve (spins, then yields); in
 * bipbuf.c, so that the inline fast path stays small. */
int bipbuf__reserve_wait(bipbuf *b, size_t len, void **out);

static inline int bipbuf_reserve(bipbuf *b, size_t len, void **out) {
    int rc = bipbuf_try_reserve(b, len, out);
    if (BIPBUF__LIKELY(rc != -EAGAIN))
        return rc;
    return bipbuf__reserve_wait(b, len, out);
}

static inline int bipbuf_commit(bipbuf *b, size_t len) {
    size_t start = b->prod.resv_start, w;
    if (BIPBUF__UNLIKELY(b->prod.resv_len == 0 || len > b->prod.resv_len))
        return -EINVAL;
    b->prod.resv_len = 0;
    if (len == 0)
        return 0;
    if (start != b->prod.write) {
        /* A wrap: valid data of this lap ends at the old write. Stored before
         * P2 below, which publishes it to the consumer's C1. */
        b->prod.last = b->prod.write;
        BIPBUF__STORE_PRE(&b->last, b->prod.last);
    }
    w = start + len;
    if (w > b->prod.last) {
        /* Writing past the old watermark: raise it (only happens while the
         * consumer is not between the watermark and the wrap, so it never
         * reads last then). Published by P2 like the wrap's store. */
        b->prod.last = w;
        BIPBUF__STORE_PRE(&b->last, w);
    }
    b->prod.write = w;
    bipbuf__demote_done(b->prod.buf, start, w);
    /* P2: pairs with the consumer's load of write (C1). Publishes the bytes
     * [start, w) written since the reservation, and `last` stored above. */
    BIPBUF__STORE_PUB(&b->write, w);
    BIPBUF__WAKE_CONSUMER(b);
    return 0;
}

/* ---- consumer ------------------------------------------------------------ */

/*
 * How many cache lines of newly visible data bipbuf_peek prefetches (0, the
 * default, turns it off). The idea: the consumer's reads of a batch of
 * messages form a chain (each length says where the next message starts),
 * and fetching the batch's lines up front would overlap their transfers
 * from the producer's cache. Off by default because it tends to cost more
 * than it saves: every line it pulls over must be taken back by the
 * producer before its next store there, lines the consumer never reads
 * included. docs/FINDINGS.md has the measurements.
 */
#ifndef BIPBUF_PREFETCH_LINES
#    define BIPBUF_PREFETCH_LINES 0
#endif

/* Consumer: hint that [p, p+len) is about to be read. */
static inline void bipbuf__prefetch(const unsigned char *p, size_t len) {
#if BIPBUF_PREFETCH_LINES > 0 && (defined(__GNUC__) || defined(__clang__))
    size_t lines = (len + BIPBUF__LINE_SIZE - 1) / BIPBUF__LINE_SIZE;
    if (lines > BIPBUF_PREFETCH_LINES)
        lines = BIPBUF_PREFETCH_LINES;
    for (size_t i = 0; i < lines; i++)
        __builtin_prefetch(p + i * BIPBUF__LINE_SIZE, 0, 3);
#else
    (void)p;
    (void)len;
#endif
}

/*
 * How far ahead of its reads the consumer keeps lines prefetched, as it
 * consumes (bytes; 0, the default, turns it off). Where BIPBUF_PREFETCH_LINES
 * fetches newly visible lines at peek, all at once and whether or not they
 * are whole, this follows the reads: each consume prefetches the lines that
 * enter the window [read, read + BIPBUF_READ_AHEAD), once each, and only
 * lines the view shows whole, so never a line the producer is still
 * filling (whose next store there would have to take it back). A line that
 * becomes visible only after it entered the window is not fetched, nor is
 * anything past the end of a lap. Off by default: it lost its A/B on the
 * seed workload (docs/FINDINGS.md, "Levers, measured").
 */
#ifndef BIPBUF_READ_AHEAD
#    define BIPBUF_READ_AHEAD 0
#endif

/* Tests define this to see every line read ahead. */
#ifndef BIPBUF__READ_LINE
#    define BIPBUF__READ_LINE(p) __builtin_prefetch((p), 0, 3)
#endif

/* Consumer, after consuming [r0, read): prefetch the whole lines of the view
 * that start in [r0 + ahead, read + ahead), not before read. */
static inline void bipbuf__read_ahead(const bipbuf *b, size_t r0) {
#if BIPBUF_READ_AHEAD > 0 && (defined(__GNUC__) || defined(__clang__))
    const uintptr_t line = BIPBUF__LINE_SIZE, base = (uintptr_t)b->cons.buf;
    const size_t r = b->cons.read;
    uintptr_t p = (base + r0 + BIPBUF_READ_AHEAD + line - 1) & ~(line - 1);
    uintptr_t hi = base + r + BIPBUF_READ_AHEAD, top;
    if (BIPBUF__LIKELY(p >= hi))
        return;       /* no line entered the window: most short consumes */
    if (p < base + r) /* a consume longer than the window: from read on */
        p = (base + r + line - 1) & ~(line - 1);
    /* A line that starts below top ends by the end of the view. */
    top = (base + (b->cons.write >= r ? b->cons.write : b->cons.last)) & ~(line - 1);
    if (hi > top)
        hi = top;
    for (; p < hi; p += line)
        BIPBUF__READ_LINE((const unsigned char *)p);
#else
    (void)b;
    (void)r0;
#endif
}

/* Consumer: readable contiguous bytes in the consumer's view; may move the
 * private read index to 0 when the view shows the end of a wrapped lap. */
static inline size_t bipbuf__readable(bipbuf *b) {
    size_t r = b->cons.read, w = b->cons.write;
    if (w >= r)
        return w - r;
    if (r == b->cons.last) { /* lap finished: continue from 0 */
        b->cons.read = 0;
        return w;
    }
    return b->cons.last - r;
}

/*
 * bipbuf_peek, with the count that decides a refresh (`want`) apart from the
 * count the caller needs before it would wait (`need`, which decides rule
 * (c) of BATCHED PUBLICATION): bipbuf_peek passes want for both, the waiting
 * loop of bipbuf_peek_wait its lag and its want.
 *
 * The view is refreshed when it shows fewer than `want` bytes, tested as
 * n <= want - 1: for want >= 1 that is n < want, and for want 0 the unsigned
 * want - 1 is SIZE_MAX, so want 0 always refreshes (a fresh view on every
 * variant, as bipbuf.h documents). Where want is a constant this folds to
 * the same comparison as n < want; where it is a variable it adds at most
 * the decrement, which the compiler hoists out of a loop where want does
 * not change.
 */
static inline size_t bipbuf__peek(bipbuf *b, size_t want, size_t need, void **data) {
    size_t n = bipbuf__readable(b);
    if (!BIPBUF_CACHED || n <= want - 1) {
        size_t seen = n;
        /* C1: pairs with the producer's store of write (P2): the payload
         * before it, and last, are visible once we see it. */
        b->cons.write = BIPBUF__LOAD_PEER(&b->write);
        if (b->cons.write < b->cons.read) /* wrapped: valid data ends at last */
            b->cons.last = BIPBUF__LOAD_PEER(&b->last);
        n = bipbuf__readable(b);
#if BIPBUF__PUBLISH > 0
        if (n <= need - 1 && b->cons.held != 0) {
            /* (c): short of what the caller needs, so it may wait: release
             * what consume held back, or a producer waiting for that room
             * and this consumer would wait on each other. C2 as in
             * bipbuf_consume. */
            b->cons.held = 0;
            BIPBUF__STORE_PUB(&b->read, b->cons.read);
            BIPBUF__WAKE_PRODUCER(b);
        }
#else
        (void)need;
#endif
        bipbuf__prefetch(b->cons.buf + b->cons.read + seen, n - seen);
    }
    b->cons.shown = n;
    *data = n ? (void *)(b->cons.buf + b->cons.read) : NULL;
    return n;
}

static inline size_t bipbuf_peek(bipbuf *b, size_t want, void **data) {
    return bipbuf__peek(b, want, want, data);
}

static inline int bipbuf_consume(bipbuf *b, size_t len) {
    if (BIPBUF__UNLIKELY(len > b->cons.shown))
        return -EINVAL;
    if (len == 0)
        return 0;
    b->cons.shown -= len;
    b->cons.read += len;
    bipbuf__demote_done(b->cons.buf, b->cons.read - len, b->cons.read);
    bipbuf__read_ahead(b, b->cons.read - len);
#if BIPBUF__PUBLISH > 0
    /* Batched (BATCHED PUBLICATION): store read only at (a) K bytes held
     * back, or (b) the end of what the latest peek showed. */
    b->cons.held += len;
    if (b->cons.held < BIPBUF__PUBLISH && b->cons.shown != 0)
        return 0;
    b->cons.held = 0;
#endif
    /* C2: pairs with the producer's load of read (P1). Our reads of the bytes
     * before it are done: the producer may overwrite them. */
    BIPBUF__STORE_PUB(&b->read, b->cons.read);
    BIPBUF__WAKE_PRODUCER(b);
    return 0;
}

/* Consumer: the waiting part of bipbuf_peek_wait; in bipbuf.c. */
size_t bipbuf__peek_wait(bipbuf *b, size_t want, size_t lag, void **data);

/*
 * The lag pause: when a fresh view shows fewer than `lag` bytes, the
 * consumer pauses once and looks again before it reads, so that the producer
 * gets ahead and each line crosses between the cores about once instead of
 * once a message. A cached view showing fewer than `lag` bytes is refreshed
 * first, so a consumer that trails the producer loads the write index about
 * once a message. Using such a view as it is until it runs dry is the
 * obvious alternative: fewer loads of the write index, but more pauses;
 * docs/FINDINGS.md says why it was left out.
 */
static inline size_t bipbuf_peek_wait(bipbuf *b, size_t want, size_t lag, void **data) {
    size_t n = bipbuf_peek(b, want, data);
    /* want 0 waits for one byte (bipbuf.h), hence n != 0, which want >= 1
     * implies; want 0 goes on to the waiting part, which takes it as 1. The
     * tests are joined with & rather than && so that the compiler need not
     * branch on each: measured with GCC 12 and Clang 14 at -O2 and -O3, a
     * call runs within one instruction of what `n >= want && n >= lag` ran,
     * and with GCC several fewer where want is a variable (docs/DESIGN.md,
     * API). */
    if (BIPBUF__LIKELY((n >= want) & (n >= lag) & (n != 0)))
        return n;
    return bipbuf__peek_wait(b, want, lag, data);
}

/* ---- helpers ------------------------------------------------------------- */

static inline void bipbuf_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

#ifdef __cplusplus
}
#endif
#endif /* BIPBUF_IMPL_H */
