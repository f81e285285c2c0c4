/*
 * bipbuf.h - a lock-free single-producer single-consumer bip buffer (C11,
 * usable from C++11).
 *
 * A bip buffer is a circular byte buffer that always hands the writer one
 * *contiguous* region of the length it asks for: when the tail of the array is
 * too short, the writer wraps to offset 0 and leaves a watermark saying where
 * valid data ends. The reader always sees one contiguous slice.
 *
 *     producer                               consumer
 *     --------                               --------
 *     bipbuf_reserve(b, n, &p)               n = bipbuf_peek(b, want, &p)
 *     ...write up to n bytes at p...         ...read up to n bytes at p...
 *     bipbuf_commit(b, k)  (k <= n, 0 ok)    bipbuf_consume(b, k)  (k <= n)
 *
 * CONCURRENCY CONTRACT. With exactly one producer thread and one consumer
 * thread no locking is needed. Each function below says which side may call
 * it; a side's functions must never be called from two threads at once (hand
 * a side over to another thread only through a synchronising operation, such
 * as pthread_create or a mutex). Functions marked "either side" may be called
 * by anyone. bipbuf_init/bipbuf_create/bipbuf_destroy need exclusive access.
 *
 * ERRORS are negative errno values; success is 0.
 *
 * VARIANTS. As included plainly, this header gives the default variant
 * (cached-pad128-acqrel-asym: cached-pad128-acqrel whose waits sleep, see
 * SLEEPING WAITS below; link libbipbuf: CMake bipbuf::bipbuf, pkg-config
 * bipbuf). A translation unit may select another by defining all three of
 * BIPBUF_CACHED (0 or 1), BIPBUF_PAD (0, 64 or 128) and BIPBUF_ORDER
 * (BIPBUF_ORDER_SEQCST or BIPBUF_ORDER_ACQREL) before including it, e.g.
 *     cc -DBIPBUF_CACHED=0 -DBIPBUF_PAD=64 -DBIPBUF_ORDER=BIPBUF_ORDER_ACQREL
 * and then links libbipbuf_variants (CMake bipbuf::variants, pkg-config
 * bipbuf-variants). The names below are then mapped to the variant's own
 * (bipbuf_init -> bipbuf_uncached_pad64_acqrel_init, ...), so translation
 * units of different variants link into one program. BIPBUF_VARIANT_NAME is
 * the variant's name as a string ("uncached-pad64-acqrel"), BIPBUF_VARIANT_ID
 * as a C identifier; BIPBUF_VARIANT_SELECTED is defined only when a variant
 * was selected. Details: bipbuf/variant.h.
 *
 * BATCHED VARIANTS (names ending -batchK; select with BIPBUF_PUBLISH=K as
 * well): the consumer releases consumed bytes to the producer in batches.
 * Every call answers as on the unbatched variant, except that room freed by
 * bipbuf_consume may reach the producer later: see bipbuf_consume.
 *
 * C++. The header compiles as C++11 or later (GCC, Clang): std::atomic takes
 * the place of _Atomic, with the same layout, and the functions keep their C
 * names and linkage. A C and a C++ translation unit of the same variant may
 * share a buffer (one side in each, say); bipbuf/atomics_cxx11.h says why
 * that holds.
 *
 * TUNING: -DBIPBUF_CLAIM_AHEAD=<bytes> (128 by default; 0 turns it off) has
 * the producer claim cache lines ahead of its reservations. Off (0) by
 * default: -DBIPBUF_PREFETCH_LINES=<lines> has bipbuf_peek prefetch new data,
 * -DBIPBUF_READ_AHEAD=<bytes> has bipbuf_consume prefetch the lines that
 * far ahead of what it has read, and -DBIPBUF_CLDEMOTE=1 has each side
 * demote the cache lines it is done with (x86 CLDEMOTE, a NOP on CPUs
 * without it). None changes what a call returns.
 *
 * Everything under bipbuf/ is internal: the structure's layout and the
 * algorithm with its memory-ordering argument are in bipbuf/impl.h, and at
 * more length in docs/DESIGN.md.
 */
#ifndef BIPBUF_H
#define BIPBUF_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

/* Variant selection and the mapping of the names below (internal). */
#include "bipbuf/variant.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The buffer. Its type is complete once this header is included, so a
 * program may place one statically, on the stack or in memory it manages
 * (bipbuf_init); its fields are private: use the functions.
 */
typedef struct bipbuf bipbuf;

/*
 * The alignment, in bytes, that a bipbuf needs: alignof(bipbuf). That is
 * BIPBUF_PAD for the padded variants (128 for the default), each shared
 * index having its own line, and a size_t's alignment for pad0. An integer
 * constant expression, for _Alignas/alignas, aligned_alloc or
 * posix_memalign. The compiler aligns a bipbuf that is a variable (static,
 * automatic or a member), and so does `new bipbuf` from C++17 on; memory
 * from malloc or new char[] is not aligned enough for the padded variants.
 */
#ifdef __cplusplus
#    define BIPBUF_ALIGN alignof(bipbuf)
#else
#    define BIPBUF_ALIGN _Alignof(bipbuf)
#endif

/* ---- set-up (not thread-safe: exclusive access) -------------------------- */

/*
 * Initialise `b` over caller-owned `storage` of `capacity` bytes; allocates
 * nothing. `b` must be aligned to BIPBUF_ALIGN; `storage` may have any
 * alignment. Returns 0, or -EINVAL, checked in this order: b is NULL, b is
 * not aligned to BIPBUF_ALIGN, storage is NULL, capacity < 2. On -EINVAL
 * nothing is written. `storage` must outlive the buffer; bipbuf_destroy must
 * not be called on it. The eventfd variants open two descriptors here
 * (errors: eventfd's, e.g. -EMFILE; nothing is left open) and bipbuf_fini
 * closes them; the asym variants register the process for membarrier
 * (bipbuf_wake_kind).
 */
int bipbuf_init(bipbuf *b, void *storage, size_t capacity);

/*
 * Allocate a buffer and its storage together: the buffer aligned to
 * BIPBUF_ALIGN, the storage to 128 bytes (cache lines). Returns 0 and sets
 * *out, -EINVAL (out NULL, capacity < 2, or so large that the size
 * overflows) or -ENOMEM.
 */
int bipbuf_create(bipbuf **out, size_t capacity);

/* Free a buffer from bipbuf_create (bipbuf_fini first). NULL is fine. */
void bipbuf_destroy(bipbuf *b);

/*
 * Release what bipbuf_init acquired: the eventfd variants' two descriptors
 * (nothing on the others). For a buffer from bipbuf_init, once neither side
 * uses it; bipbuf_destroy does it for bipbuf_create's. NULL and a second
 * call are fine.
 */
void bipbuf_fini(bipbuf *b);

/* Either side: the capacity in bytes. */
static inline size_t bipbuf_capacity(const bipbuf *b);

/*
 * Either side: the longest reservation that is guaranteed to become possible
 * once the consumer drains, floor(capacity / 2). Longer ones are refused with
 * -EINVAL, since they could wait forever (bipbuf/impl.h, MAX RESERVE).
 */
static inline size_t bipbuf_max_reserve(const bipbuf *b);

/* ---- producer ------------------------------------------------------------ */

/*
 * Producer: reserve `len` contiguous bytes without waiting. On success
 * returns 0 and sets *out; the bytes are the caller's until bipbuf_commit.
 * Errors, checked in this order: -EINVAL (out NULL, len 0 or len >
 * bipbuf_max_reserve), -EBUSY (a reservation is already open), -EAGAIN (no
 * room now; the consumer will make some). On a batched variant the room
 * counts only bytes the consumer has released (bipbuf_consume).
 */
static inline int bipbuf_try_reserve(bipbuf *b, size_t len, void **out);

/*
 * Producer: reserve `len` contiguous bytes, waiting for room (spinning, then
 * yielding, or sleeping: SLEEPING WAITS below). Same errors as bipbuf_try_reserve except -EAGAIN:
 * since len <= max_reserve, room comes once the consumer drains. It never waits on a length that
 * can never fit. -EPIPE: there is no room and the consumer has closed (bipbuf_close_consumer), so
 * none will come.
 */
static inline int bipbuf_reserve(bipbuf *b, size_t len, void **out);

/*
 * Producer: publish the first `len` bytes of the open reservation and close
 * it. len may be smaller than reserved (truncate); 0 cancels and publishes
 * nothing. Returns 0, or -EINVAL if no reservation is open or len exceeds it
 * (the reservation then stays open).
 */
static inline int bipbuf_commit(bipbuf *b, size_t len);

/* ---- consumer ------------------------------------------------------------ */

/*
 * Consumer: the contiguous readable bytes. Sets *data to them and returns
 * their count; returns 0 and sets *data to NULL when there are none. Cached
 * variants answer from their view of the producer while it shows >= want
 * bytes and refresh it otherwise; uncached variants always refresh. So the
 * count is either all that is readable now or, on a cached variant, at
 * least `want`. A later call may show more. `data` must not be NULL.
 *
 * want 0 asks for a fresh view on every variant: it always looks at the
 * producer's progress and returns all that is readable now (0 only when
 * nothing is). It costs what a refresh costs; to take whatever a cached
 * view already shows and refresh only when it shows nothing, pass 1.
 *
 * A consumer that waits by calling bipbuf_peek in a loop should ask for
 * what it waits for: a cached variant refreshes only a view short of want,
 * and a batched one releases held-back room only then (bipbuf_consume).
 */
static inline size_t bipbuf_peek(bipbuf *b, size_t want, void **data);

/*
 * Consumer: release the first `len` of the bytes the latest peek showed
 * (less what was consumed since). Returns 0, or -EINVAL if len is more than
 * that. consume(0) does nothing.
 *
 * On a batched variant (-batchK) the producer may see the room later: the
 * bytes reach it when K bytes have been consumed since the last release,
 * when the consumer has consumed everything the latest peek showed, or at
 * the next peek whose fresh view shows fewer than it asks for (any, with
 * want 0); bipbuf_peek_wait releases them before it waits. Until then the
 * producer's try_reserve may answer -EAGAIN, or its reserve wait, where the
 * unbatched variant would have found room. Nothing is lost or overwritten
 * early; once the consumer has drained the buffer, all is released (every
 * length up to max_reserve becomes reservable, as always); and a consumer
 * that waits for data, with bipbuf_peek_wait or with bipbuf_peek asking for
 * what it waits for, never holds back room a waiting producer needs.
 */
static inline int bipbuf_consume(bipbuf *b, size_t len);

/*
 * Consumer: like bipbuf_peek, but waits (spinning, then yielding, or
 * sleeping: SLEEPING WAITS below) until at
 * least `want` bytes are readable, and returns them; it never returns 0
 * while the producer is open. Once the producer has closed
 * (bipbuf_close_producer) it stops waiting and returns what is readable:
 * fewer than want, 0 (and *data NULL) when the stream is drained;
 * bipbuf_closed says why.
 * want 0 is taken as 1: it waits for any byte, on every variant. want must
 * be no more than the producer will commit contiguously (a whole message,
 * say): bytes are readable in one piece only up to the end of what one lap
 * holds, so a larger want can wait forever.
 *
 * `lag` (bytes) trades latency for throughput. A consumer that polls for
 * every message as soon as it is committed ends up right behind the producer:
 * both then pass the same cache lines (the write index, the line being
 * filled) back and forth for every message. With lag > 0, when a fresh view
 * shows fewer than `lag` bytes, the consumer pauses briefly once and looks
 * again before it reads, so the producer gets ahead. A view that ends at the
 * watermark is taken at once (more data lies past the wrap). lag 0: no
 * pause, the lowest latency.
 */
static inline size_t bipbuf_peek_wait(bipbuf *b, size_t want, size_t lag, void **data);

/* ---- end of stream ------------------------------------------------------- */

/* bipbuf_closed's bits. */
#define BIPBUF_CLOSED_PRODUCER 1
#define BIPBUF_CLOSED_CONSUMER 2

/*
 * Producer: no more data. What was committed before stays readable: the
 * consumer drains it, and then its bipbuf_peek_wait returns what is left
 * (fewer than want, 0 once nothing is) instead of waiting; a wait already
 * under way when the producer closes returns the same way. An open
 * reservation is not committed by closing. The producer must not reserve
 * or commit after it. Closing twice is harmless.
 */
void bipbuf_close_producer(bipbuf *b);

/*
 * Consumer: it reads no more. A producer's bipbuf_reserve, waiting for room
 * or about to, returns -EPIPE instead of waiting forever (one under way when
 * the consumer closes included). bipbuf_try_reserve does not look (it keeps
 * its fast path) and may go on answering 0 or -EAGAIN: a producer that only
 * tries asks bipbuf_closed. The consumer must not peek or consume after it.
 * Closing twice is harmless.
 */
void bipbuf_close_consumer(bipbuf *b);

/*
 * Either side: which sides have closed, BIPBUF_CLOSED_PRODUCER |
 * BIPBUF_CLOSED_CONSUMER, 0 while neither has. Tells a consumer whose
 * bipbuf_peek_wait returned fewer than want why: the producer closed. Seeing
 * BIPBUF_CLOSED_PRODUCER, a consumer that then peeks sees everything the
 * producer committed.
 */
int bipbuf_closed(const bipbuf *b);

/* ---- sleeping waits ------------------------------------------------------ */

/*
 * Variants whose wake (bipbuf/variant.h, BIPBUF_WAKE) is fence, asym or
 * eventfd, the default library among them, sleep in their waits: a side
 * that has waited its spin budget sleeps in the kernel until the other side
 * commits, consumes or closes (each of which wakes it only when it sleeps),
 * or its time limit passes. The spin variants never sleep: their waits spin
 * and yield until the limit. bipbuf/impl.h (SLEEPING WAITS) has the
 * protocol and its ordering argument.
 */

/* Default spin budget, ns: a wait spins this long before it sleeps, so that
 * a wait a short spin would end does not pay for a sleep and a wake-up.
 * The budget is the CPU one sleep and its wake-up cost the consumer (spinning
 * that long, then sleeping, costs at most twice the better choice made in
 * hindsight), measured with bipbench rate --spin-ns 0: 18-19 us on the
 * 2-vCPU VM of docs/FINDINGS.md ("Offered rates"). Other machines: measure,
 * and bipbuf_set_spin. */
#define BIPBUF_SPIN_NS_DEFAULT 20000

/*
 * Set-up (before either side waits): spin this many nanoseconds in a wait
 * before sleeping; 0 sleeps at the first wait. Returns 0, or -EINVAL for a
 * negative value. On a spin variant it is accepted and changes nothing.
 */
int bipbuf_set_spin(bipbuf *b, int64_t spin_ns);

/*
 * Producer: bipbuf_reserve, waiting at most timeout_ns nanoseconds (0: just
 * try). Returns what bipbuf_reserve returns, or -ETIMEDOUT once the time is
 * up with no room; -EINVAL also for a negative timeout. A timeout too long
 * to add to the clock waits without a limit.
 */
int bipbuf_reserve_timed(bipbuf *b, size_t len, void **out, int64_t timeout_ns);

/*
 * Consumer: bipbuf_peek_wait, waiting at most timeout_ns nanoseconds.
 * Returns 0 with at least want bytes readable; -ETIMEDOUT with fewer once
 * the time is up; -EPIPE with fewer (0 when drained) once the producer has
 * closed; -EINVAL (len or data NULL, timeout negative). *len and *data are
 * the view in every case but -EINVAL, as bipbuf_peek sets them.
 */
int bipbuf_peek_timed(bipbuf *b, size_t want, size_t lag, void **data, size_t *len,
                      int64_t timeout_ns);

/*
 * Either side: the wake protocol in effect, BIPBUF_WAKE_SPIN, _FENCE, _ASYM
 * or _EVENTFD: an asym variant says BIPBUF_WAKE_FENCE where the kernel
 * refused membarrier at bipbuf_init and both sides fence instead.
 */
int bipbuf_wake_kind(const bipbuf *b);

/*
 * Either side, once both are quiet (before they start or after they are
 * joined: the counts are each side's own, unsynchronised): how many times
 * the producer (producer != 0) or the consumer has slept in the kernel,
 * and has woken the other side with a system call, since bipbuf_init.
 * 0 on spin variants.
 */
uint64_t bipbuf_sleep_count(const bipbuf *b, int producer);
uint64_t bipbuf_wake_count(const bipbuf *b, int producer);

/*
 * Consumer, eventfd variants: the descriptor that becomes readable when the
 * consumer is armed (bipbuf_peek_arm) and the producer commits or closes;
 * for poll, epoll or io_uring beside the program's other descriptors. The
 * buffer owns it. -ENOTSUP on the other variants.
 */
int bipbuf_wake_fd(const bipbuf *b);

/*
 * Consumer, eventfd variants: before the event loop waits. Drains the
 * descriptor, announces that the consumer is about to sleep, and looks
 * again: returns 1 if at least want (at least 1) bytes are readable or the
 * producer has closed (do not wait: peek), 0 if armed (wait for the
 * descriptor; its readiness may be spurious: peek, and arm again if
 * short). -ENOTSUP on the other variants.
 */
int bipbuf_peek_arm(bipbuf *b, size_t want);

/* ---- helpers ------------------------------------------------------------- */

/* Either side: a polite pause for spin loops (x86 `pause`, Arm `yield`). */
static inline void bipbuf_relax(void);

#ifdef __cplusplus
}
#endif

/* The structure and the inline functions' bodies (internal). */
#include "bipbuf/impl.h"

#endif /* BIPBUF_H */
