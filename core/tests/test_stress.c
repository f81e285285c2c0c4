/*
 * test_stress.c - one producer thread and one consumer thread, every byte
 * checked.
 *
 * Message `seq` has a length L(seq) in 1..max_reserve, chosen by hashing seq
 * (so both threads know it without talking), and its bytes are a header (seq
 * as 8 little-endian bytes, then L as 4) followed by a payload derived from
 * both; a message shorter than 12 bytes carries as much of the header as
 * fits. The consumer checks every byte against what it expects next, so a
 * message lost, duplicated, reordered, torn or overwritten before it was
 * consumed shows up as a wrong byte.
 *
 * To reach the awkward paths the producer sometimes reserves more than it
 * commits (truncate, with junk written past the end), reserves and cancels
 * (junk again), tries a too-long commit, and mixes bipbuf_reserve with
 * try_reserve loops; the consumer asks peek for random `want` values (less
 * than, exactly, or more than a message), sometimes waits for a whole
 * message (its own loop, or bipbuf_peek_wait with a random lag), and
 * consumes what it was shown in one piece or several, across
 * message boundaries. In alternating phases one side or the other dawdles,
 * so the buffer is seen mostly full and mostly empty.
 *
 * Usage: test_stress [messages]   (or BIPBUF_STRESS_MESSAGES; default 2M)
 *   BIPBUF_STRESS_CAPACITIES  comma-separated capacities (default
 *                             7,64,1000,4113); the messages are split
 *                             evenly between them
 *   BIPBUF_STRESS_SEED        the seed (default: from the clock; printed)
 *   BIPBUF_STRESS_CLOSES      rounds of the end-of-stream run per capacity
 *                             (default 24)
 *   BIPBUF_TEST_TIMEOUT       watchdog seconds (default 300)
 *
 * After the main run, the end-of-stream run: in each round one side closes
 * at a random point while both sides sleep and burst at random. Closed by
 * the producer, the consumer (waiting only in bipbuf_peek_wait) must get
 * every message committed before the close, byte for byte, and then 0;
 * closed by the consumer, the producer (waiting only in bipbuf_reserve)
 * must get -EPIPE. A wait that never ends is caught by the watchdog.
 *
 * Sleeping variants (bipbuf/impl.h, SLEEPING WAITS): each run and round
 * sets a spin budget from the seed, 0 (every wait sleeps), 2 us or the
 * default, so that waits sleep in the middle of bursts and naps. Some waits
 * are the timed ones with a limit far past any real wait (WAKE_WATCHDOG_NS):
 * one that runs out is a lost wake-up, reported as such.
 */
#define _POSIX_C_SOURCE 200809L
#include "bipbuf.h"
#include "check.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef BIPBUF_TEST_VARIANT
#    error "BIPBUF_TEST_VARIANT: the variant this build should be (CMake passes it)"
#endif

#define STRESS_HEADER      12 /* seq (8) + length (4) */
#define STRESS_MAX_CAPS    16
#define SPINS_BEFORE_YIELD 64
#define SPINS_BEFORE_SLEEP 256
/* A timed wait that lasts this long was never woken. */
#define WAKE_WATCHDOG_NS ((int64_t)30 * 1000 * 1000 * 1000)

#if defined(__GNUC__) || defined(__clang__)
/* Kept out of line so that sanitizer reports name them. */
#    define STRESS_NOINLINE __attribute__((noinline))
#else
#    define STRESS_NOINLINE
#endif

typedef struct run {
    bipbuf *b;
    const unsigned char *base; /* the storage: every region must lie in it */
    size_t cap, max;
    uint64_t messages;
    uint64_t seed;
    uint64_t stop; /* end-of-stream run: the consumer closes after this many */
    /* Progress, for the watchdog; each written by one thread only. */
    _Alignas(64) atomic_ullong sent;
    _Alignas(64) atomic_ullong received;
    /* Consumer-owned tallies, read after the join. */
    _Alignas(64) uint64_t bytes;
    unsigned long consumer_checks;
    unsigned long producer_checks;
} run;

static _Atomic(run *) current_run;

static void report_progress(void) {
    run *r = atomic_load_explicit(&current_run, memory_order_relaxed);
    if (r == NULL)
        return;
    check_write_str("watchdog: capacity ");
    check_write_u64(r->cap);
    check_write_str(", messages sent ");
    check_write_u64(atomic_load_explicit(&r->sent, memory_order_relaxed));
    check_write_str(", received ");
    check_write_u64(atomic_load_explicit(&r->received, memory_order_relaxed));
    check_write_str(" of ");
    check_write_u64(r->messages);
    check_write_str("\n");
}

/* ---- messages -------------------------------------------------------------- */

static inline uint64_t mix64(uint64_t x) {
    /* The splitmix64 finaliser: every input bit affects every output bit. */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *g) {
    g->s += 0x9e3779b97f4a7c15ull;
    return mix64(g->s);
}

static inline size_t rng_below(rng *g, size_t n) {
    return (size_t)(rng_next(g) % n);
}

/* The length of message seq: mostly uniform, some tiny, some exactly max. */
static inline size_t msg_len(const run *r, uint64_t seq) {
    uint64_t h = mix64(seq ^ r->seed);
    size_t small = r->max < 16 ? r->max : 16;
    unsigned k = (unsigned)(h & 15);
    h >>= 8;
    if (k == 0)
        return r->max;
    if (k <= 4)
        return 1 + (size_t)(h % small);
    return 1 + (size_t)(h % r->max);
}

/* Byte j of message seq of length len. */
static inline unsigned char msg_byte(uint64_t seq, size_t len, size_t j) {
    if (j < 8)
        return (unsigned char)(seq >> (8 * j));
    if (j < STRESS_HEADER)
        return (unsigned char)((uint32_t)len >> (8 * (j - 8)));
    return (unsigned char)(seq * 0x9d + len * 0x3b + j);
}

STRESS_NOINLINE static void stress_fill_payload(unsigned char *p, uint64_t seq, size_t len) {
    unsigned char base = (unsigned char)(seq * 0x9d + len * 0x3b);
    size_t j, h = len < STRESS_HEADER ? len : STRESS_HEADER;
    for (j = 0; j < h; j++)
        p[j] = msg_byte(seq, len, j);
    for (; j < len; j++)
        p[j] = (unsigned char)(base + j);
}

/* Bytes the consumer must never see: past a truncated commit, or cancelled. */
STRESS_NOINLINE static void stress_fill_junk(unsigned char *p, size_t n, uint64_t seq) {
    memset(p, (int)(0xa5 ^ (seq & 0xff)), n);
}

/* Check bytes [off, off+n) of message seq at p; returns the first bad index,
 * or n when all are right. */
STRESS_NOINLINE static size_t stress_check_payload(const unsigned char *p, uint64_t seq, size_t len,
                                                   size_t off, size_t n) {
    unsigned char base = (unsigned char)(seq * 0x9d + len * 0x3b), diff = 0;
    size_t i = 0, j;
    for (; i < n && off + i < STRESS_HEADER; i++)
        if (p[i] != msg_byte(seq, len, off + i))
            return i;
    /* One pass that the compiler can vectorise; find the culprit only if
     * something differs. */
    for (j = i; j < n; j++)
        diff |= (unsigned char)(p[j] ^ (unsigned char)(base + off + j));
    if (diff == 0)
        return n;
    for (; i < n; i++)
        if (p[i] != (unsigned char)(base + off + i))
            return i;
    return n;
}

/*
 * Wait for the peer: pause, then yield, then sleep. The sleep matters on a
 * busy machine: when the peer is queued behind other work, yielding hands the
 * CPU straight back to us, and every hand-over costs a whole time slice.
 */
static inline void backoff(unsigned *spins) {
    unsigned n = ++*spins;
    if (n < SPINS_BEFORE_YIELD) {
        bipbuf_relax();
    } else if (n < SPINS_BEFORE_SLEEP) {
        sched_yield();
    } else {
        struct timespec ts = {0, 50 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* Waste a little time, without giving up the CPU. */
static inline void dawdle(unsigned pauses) {
    while (pauses--)
        bipbuf_relax();
}

/* ---- the two sides ---------------------------------------------------------- */

static void fail(const run *r, const char *what, long long got, long long want, uint64_t seq) {
    char v[200];
    snprintf(v, sizeof v, "%lld vs %lld at message %" PRIu64 ", capacity %zu, seed %" PRIu64, got,
             want, seq, r->cap, r->seed);
    check__fail(__FILE__, __LINE__, what, v);
    check_bail();
}

static void *producer(void *arg) {
    run *r = arg;
    rng g = {r->seed * 3 + 1};
    uint64_t seq;
    unsigned long checks = 0;
    for (seq = 0; seq < r->messages; seq++) {
        size_t len = msg_len(r, seq), resv = len;
        uint64_t u = rng_next(&g);
        void *p, *q;
        int rc;
        unsigned spins = 0;
        if ((u & 31) == 0) { /* reserve, scribble, cancel */
            size_t n = 1 + rng_below(&g, r->max);
            rc = bipbuf_try_reserve(r->b, n, &p);
            if (rc == 0) {
                stress_fill_junk(p, n, seq);
                if ((rc = bipbuf_commit(r->b, 0)) != 0)
                    fail(r, "cancel", rc, 0, seq);
            } else if (rc != -EAGAIN) {
                fail(r, "try_reserve before a cancel", rc, -EAGAIN, seq);
            }
            checks++;
        }
        /* Phases of 8Ki messages alternate which side dawdles, so that runs
         * see a mostly full buffer and a mostly empty one. */
        if ((seq >> 13 & 1) && (u >> 40 & 3) == 0)
            dawdle((unsigned)(u >> 42 & 255));
        if (((u >> 5) & 3) == 0) /* reserve more than will be committed */
            resv = len + rng_below(&g, r->max - len + 1);
        if (((u >> 30) & 3) == 0) { /* the core's own waiting loop */
            if (u >> 32 & 1) {
                rc = bipbuf_reserve_timed(r->b, resv, &p, WAKE_WATCHDOG_NS);
                if (rc == -ETIMEDOUT)
                    fail(r, "a lost wake-up: reserve_timed ran out", rc, 0, seq);
            } else {
                rc = bipbuf_reserve(r->b, resv, &p);
            }
        } else {
            while ((rc = bipbuf_try_reserve(r->b, resv, &p)) == -EAGAIN)
                backoff(&spins);
        }
        if (rc != 0)
            fail(r, "reserve", rc, 0, seq);
        if ((const unsigned char *)p < r->base ||
            (const unsigned char *)p + resv > r->base + r->cap)
            fail(r, "reservation outside the storage", (const unsigned char *)p - r->base, 0, seq);
        if ((u >> 14 & 4095) == 0) /* widen the window between reserve and commit */
            sched_yield();
        stress_fill_payload(p, seq, len);
        if (resv > len)
            stress_fill_junk((unsigned char *)p + len, resv - len, seq);
        if (((u >> 8) & 63) == 0) { /* too long: refused, reservation kept */
            if ((rc = bipbuf_commit(r->b, resv + 1)) != -EINVAL)
                fail(r, "commit longer than reserved", rc, -EINVAL, seq);
            if ((rc = bipbuf_try_reserve(r->b, 1, &q)) != -EBUSY)
                fail(r, "second reservation", rc, -EBUSY, seq);
            checks += 2;
        }
        if ((rc = bipbuf_commit(r->b, len)) != 0)
            fail(r, "commit", rc, 0, seq);
        checks += 2;
        atomic_store_explicit(&r->sent, seq + 1, memory_order_relaxed);
    }
    r->producer_checks = checks;
    return NULL;
}

static void *consumer(void *arg) {
    run *r = arg;
    rng g = {r->seed * 5 + 2};
    uint64_t seq = 0, bytes = 0;
    size_t len = msg_len(r, 0), off = 0;
    unsigned long checks = 0;
    int rc;
    while (seq < r->messages) {
        unsigned mode = (unsigned)rng_below(&g, 8);
        size_t want, n, left;
        const unsigned char *p;
        void *v;
        unsigned spins = 0;
        if (!(seq >> 13 & 1) && rng_below(&g, 4) == 0)
            dawdle((unsigned)rng_below(&g, 256));
        if (mode == 0) /* the rest of this message, which is contiguous */
            want = len - off;
        else if (mode == 1)
            want = 1;
        else /* anything, including more than can ever be contiguous */
            want = 1 + rng_below(&g, r->max + r->max / 2 + 1);
        if (mode >= 6) {
            /* The core's waiting peek, for the rest of this message (which
             * will come, contiguous) or one byte, with a lag from none to
             * more than the buffer holds. */
            static const size_t lags[] = {0, 1, 64, 512};
            size_t lag = rng_below(&g, 5) == 0 ? 2 * r->cap : lags[rng_below(&g, 4)];
            want = mode == 6 ? len - off : 1;
            if (rng_below(&g, 2)) {
                rc = bipbuf_peek_timed(r->b, want, lag, &v, &n, WAKE_WATCHDOG_NS);
                if (rc == -ETIMEDOUT)
                    fail(r, "a lost wake-up: peek_timed ran out", (long long)n, (long long)want,
                         seq);
                if (rc != 0)
                    fail(r, "peek_timed", rc, 0, seq);
            } else {
                n = bipbuf_peek_wait(r->b, want, lag, &v);
            }
            if (n < want)
                fail(r, "peek_wait showed less than asked", (long long)n, (long long)want, seq);
        } else {
            /* want 0 may answer from a stale view, even 0; use it if it shows any. */
            n = mode == 3 ? bipbuf_peek(r->b, 0, &v) : 0;
            while (n == 0 || (mode == 0 && n < want)) {
                n = bipbuf_peek(r->b, want, &v);
                if (n >= want || (n > 0 && mode != 0))
                    break;
                backoff(&spins);
            }
        }
        p = v;
        if (p < r->base || p + n > r->base + r->cap)
            fail(r, "peek outside the storage", p - r->base, (long long)n, seq);
        if (rng_below(&g, 4096) == 0)
            sched_yield();
        if (mode == 2) { /* more than shown: refused, nothing consumed */
            if ((rc = bipbuf_consume(r->b, n + 1)) != -EINVAL)
                fail(r, "consume more than shown", rc, -EINVAL, seq);
            checks++;
        }
        /* Consume what was shown, in one piece or several. */
        for (left = n; left > 0;) {
            size_t k = rng_below(&g, 4) == 0 ? 1 + rng_below(&g, left) : left, done = 0;
            while (done < k) {
                size_t take = k - done < len - off ? k - done : len - off, bad;
                if (seq >= r->messages)
                    fail(r, "bytes after the last message", (long long)(k - done), 0, seq);
                bad = stress_check_payload(p + done, seq, len, off, take);
                if (bad != take) {
                    fprintf(stderr,
                            "message %" PRIu64 " (length %zu): byte %zu is 0x%02x, expected "
                            "0x%02x; peek showed %zu at %p\n",
                            seq, len, off + bad, p[done + bad], msg_byte(seq, len, off + bad), n,
                            (const void *)p);
                    fail(r, "payload byte", p[done + bad], msg_byte(seq, len, off + bad), seq);
                }
                done += take;
                off += take;
                if (off == len) {
                    bytes += len;
                    checks++;
                    seq++;
                    off = 0;
                    len = msg_len(r, seq);
                    atomic_store_explicit(&r->received, seq, memory_order_relaxed);
                }
            }
            if ((rc = bipbuf_consume(r->b, k)) != 0)
                fail(r, "consume", rc, 0, seq);
            p += k;
            left -= k;
        }
    }
    r->bytes = bytes;
    r->consumer_checks = checks;
    return NULL;
}

/* ---- end of stream ------------------------------------------------------------ */

/* Now and then, a pause long enough for the peer to start waiting. */
static void nap(rng *g) {
    uint64_t u = rng_next(g);
    if ((u & 63) == 0) {
        struct timespec ts = {0, (long)(u >> 8 & 0xffff) * 4}; /* under 0.3 ms */
        nanosleep(&ts, NULL);
    } else if ((u & 63) < 4) {
        sched_yield();
    } else if ((u & 63) < 8) {
        dawdle((unsigned)(u >> 8 & 255));
    }
}

/* Producer of a round: sends messages until r->messages (the producer's
 * cut) or -EPIPE, then closes if it is the side that closes (r->sent tells
 * the consumer how many went). */
static void *close_producer(void *arg) {
    run *r = arg;
    rng g = {r->seed * 7 + 3};
    uint64_t seq;
    for (seq = 0; seq < r->messages; seq++) {
        size_t len = msg_len(r, seq);
        void *p;
        int rc;
        nap(&g);
        rc = bipbuf_reserve(r->b, len, &p);
        if (rc == -EPIPE) {
            if (!(bipbuf_closed(r->b) & BIPBUF_CLOSED_CONSUMER))
                fail(r, "-EPIPE with the consumer open", rc, 0, seq);
            r->producer_checks++;
            return NULL;
        }
        if (rc != 0)
            fail(r, "reserve", rc, 0, seq);
        stress_fill_payload(p, seq, len);
        if ((rc = bipbuf_commit(r->b, len)) != 0)
            fail(r, "commit", rc, 0, seq);
        atomic_store_explicit(&r->sent, seq + 1, memory_order_relaxed);
    }
    bipbuf_close_producer(r->b);
    return NULL;
}

/* Consumer of a round: reads until the producer's close shows as 0, or
 * closes itself after r->stop messages (0: it does not close). */
static void *close_consumer(void *arg) {
    run *r = arg;
    rng g = {r->seed * 11 + 4};
    uint64_t seq = 0, stop = r->stop;
    size_t len = msg_len(r, 0), off = 0;
    for (;;) {
        size_t want, n, k;
        void *v;
        static const size_t lags[] = {0, 1, 64, 512};
        if (stop != 0 && seq == stop) {
            bipbuf_close_consumer(r->b);
            return NULL;
        }
        nap(&g);
        want = rng_below(&g, 2) ? len - off : 1;
        n = bipbuf_peek_wait(r->b, want, lags[rng_below(&g, 4)], &v);
        if (n == 0) {
            /* Only the producer's close ends a wait, and only with nothing
             * left: everything it sent has been read. */
            if (!(bipbuf_closed(r->b) & BIPBUF_CLOSED_PRODUCER))
                fail(r, "peek_wait returned 0 with the producer open", 0, 1, seq);
            if (v != NULL)
                fail(r, "peek_wait returned 0 and data", 0, 0, seq);
            if (off != 0 || seq != atomic_load_explicit(&r->sent, memory_order_relaxed))
                fail(r, "messages read before the end", (long long)seq,
                     (long long)atomic_load_explicit(&r->sent, memory_order_relaxed), seq);
            r->consumer_checks++;
            return NULL;
        }
        if (n < want)
            fail(r, "peek_wait showed less than asked", (long long)n, (long long)want, seq);
        /* Whole messages, or the rest of this one. */
        k = n < len - off ? n : len - off;
        if (stress_check_payload(v, seq, len, off, k) != k)
            fail(r, "payload byte", 0, 0, seq);
        if (bipbuf_consume(r->b, k) != 0)
            fail(r, "consume", 0, 0, seq);
        off += k;
        if (off == len) {
            r->consumer_checks++;
            seq++;
            off = 0;
            len = msg_len(r, seq);
            atomic_store_explicit(&r->received, seq, memory_order_relaxed);
        }
    }
}

/* The spin budget a run or round uses: from its seed. */
static int64_t spin_for(uint64_t seed) {
    static const int64_t budgets[] = {0, 2000, BIPBUF_SPIN_NS_DEFAULT};
    return budgets[mix64(seed) % 3];
}

/* The end-of-stream rounds at one capacity. */
static void run_closes(size_t cap, unsigned rounds, uint64_t seed) {
    run *r = aligned_alloc(128, (sizeof(run) + 127) / 128 * 128);
    rng g = {seed ^ mix64(cap + 1)};
    unsigned i, by_producer = 0;
    if (r == NULL)
        exit(EXIT_FAILURE);
    for (i = 0; i < rounds; i++) {
        pthread_t tp, tc;
        bipbuf *b;
        memset(r, 0, sizeof *r);
        CHECK_INT(bipbuf_create(&b, cap), ==, 0);
        r->b = b;
        r->cap = cap;
        r->max = bipbuf_max_reserve(b);
        r->seed = rng_next(&g);
        CHECK_INT(bipbuf_set_spin(b, spin_for(r->seed)), ==, 0);
        atomic_init(&r->sent, 0);
        atomic_init(&r->received, 0);
        if (i % 2 == 0) { /* the producer closes after 0..2000 messages */
            r->messages = rng_below(&g, 2001);
            by_producer++;
        } else { /* the consumer closes after 1..2000; the producer goes on */
            r->messages = UINT64_MAX;
            r->stop = 1 + rng_below(&g, 2000);
        }
        atomic_store(&current_run, r);
        if (CHECK_INT(pthread_create(&tc, NULL, close_consumer, r), ==, 0) ||
            CHECK_INT(pthread_create(&tp, NULL, close_producer, r), ==, 0))
            check_bail();
        pthread_join(tp, NULL);
        pthread_join(tc, NULL);
        if (i % 2 == 0) {
            CHECK_SIZE(atomic_load(&r->received), ==, r->messages);
        } else {
            CHECK_SIZE(atomic_load(&r->received), ==, r->stop);
            CHECK_INT(r->producer_checks, ==, 1); /* it got -EPIPE */
        }
        check_passed_add(r->consumer_checks + r->producer_checks);
        atomic_store(&current_run, NULL);
        bipbuf_destroy(b);
    }
    printf("stress %s: capacity %zu: %u closes (%u by the producer)\n", BIPBUF_VARIANT_NAME, cap,
           rounds, by_producer);
    free(r);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One run at one capacity; returns the bytes moved. */
/* Sleeps in the runs with a spin budget of 0: where every wait sleeps, a
 * count of 0 says the sleeping path was never taken. */
static uint64_t zero_spin_runs, zero_spin_sleeps;

static uint64_t run_one(size_t cap, uint64_t messages, uint64_t seed, int placement,
                        unsigned index) {
    run *r = aligned_alloc(128, (sizeof(run) + 127) / 128 * 128);
    bipbuf *owned = NULL, *placed = NULL;
    unsigned char *storage = NULL;
    pthread_t tp, tc;
    double t0, t1;
    uint64_t bytes;
    void *v = NULL;
    if (r == NULL)
        exit(EXIT_FAILURE);
    memset(r, 0, sizeof *r);
    if (placement == 0) {
        CHECK_INT(bipbuf_create(&owned, cap), ==, 0);
        r->b = owned;
    } else {
        /* Caller-owned storage, deliberately misaligned by one byte. */
        placed = aligned_alloc(128, (sizeof(bipbuf) + 127) / 128 * 128);
        storage = malloc(cap + 1);
        if (placed == NULL || storage == NULL)
            exit(EXIT_FAILURE);
        CHECK_INT(bipbuf_init(placed, storage + 1, cap), ==, 0);
        r->b = placed;
    }
    if (r->b == NULL)
        check_bail();
    r->cap = cap;
    r->max = bipbuf_max_reserve(r->b);
    r->messages = messages;
    r->seed = seed ^ mix64(cap);
    const int64_t spin = spin_for(mix64(seed) + index);
    CHECK_INT(bipbuf_set_spin(r->b, spin), ==, 0);
    /* A fresh buffer places its first reservation at the start of the
     * storage; a cancel leaves it fresh. */
    CHECK_INT(bipbuf_try_reserve(r->b, 1, &v), ==, 0);
    CHECK_INT(bipbuf_commit(r->b, 0), ==, 0);
    r->base = v;
    if (storage != NULL)
        CHECK_PTR(r->base, ==, storage + 1);
    atomic_init(&r->sent, 0);
    atomic_init(&r->received, 0);
    atomic_store(&current_run, r);

    t0 = now_s();
    if (CHECK_INT(pthread_create(&tc, NULL, consumer, r), ==, 0) ||
        CHECK_INT(pthread_create(&tp, NULL, producer, r), ==, 0))
        check_bail();
    pthread_join(tp, NULL);
    pthread_join(tc, NULL);
    t1 = now_s();

    /* Everything arrived once, and nothing more is there. */
    CHECK_SIZE(atomic_load(&r->received), ==, messages);
    CHECK_SIZE(bipbuf_peek(r->b, 1, &v), ==, 0);
    CHECK_SIZE(bipbuf_peek(r->b, r->max, &v), ==, 0);
    /* An empty buffer grants max_reserve wherever it ended. */
    CHECK_INT(bipbuf_try_reserve(r->b, r->max, &v), ==, 0);
    CHECK_INT(bipbuf_commit(r->b, 0), ==, 0);
    check_passed_add(r->consumer_checks + r->producer_checks);
    printf("stress %s: capacity %zu: %" PRIu64 " messages, %" PRIu64 " bytes, %.2f s",
           BIPBUF_VARIANT_NAME, cap, messages, r->bytes, t1 - t0);
    if (BIPBUF__SLEEPS) {
        uint64_t sp = bipbuf_sleep_count(r->b, 1), sc = bipbuf_sleep_count(r->b, 0);
        printf(", spin %lld ns: the producer slept %" PRIu64 " times, the consumer %" PRIu64
               "; it called a wake-up %" PRIu64 " times, the producer %" PRIu64,
               (long long)spin, sp, sc, bipbuf_wake_count(r->b, 0), bipbuf_wake_count(r->b, 1));
        if (spin == 0) {
            zero_spin_runs++;
            zero_spin_sleeps += sp + sc;
        }
    }
    printf("\n");
    bytes = r->bytes;
    atomic_store(&current_run, NULL);
    bipbuf_destroy(owned);
    if (placed != NULL)
        bipbuf_fini(placed);
    free(placed);
    free(storage);
    free(r);
    return bytes;
}

int main(int argc, char **argv) {
    uint64_t messages =
        argc > 1 ? strtoull(argv[1], NULL, 0) : check_env_ull("BIPBUF_STRESS_MESSAGES", 2000000);
    uint64_t seed = check_env_ull("BIPBUF_STRESS_SEED", 0), bytes = 0;
    unsigned closes = (unsigned)check_env_ull("BIPBUF_STRESS_CLOSES", 24);
    const char *caps_env = getenv("BIPBUF_STRESS_CAPACITIES");
    size_t caps[STRESS_MAX_CAPS], ncaps = 0, i;
    double t0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (seed == 0)
        seed = mix64((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32));
    if (caps_env && *caps_env) {
        const char *s = caps_env;
        while (*s && ncaps < STRESS_MAX_CAPS) {
            char *end;
            unsigned long long c = strtoull(s, &end, 0);
            if (end == s || c < 2) {
                fprintf(stderr, "BIPBUF_STRESS_CAPACITIES: bad list '%s'\n", caps_env);
                return 2;
            }
            caps[ncaps++] = (size_t)c;
            s = *end == ',' ? end + 1 : end;
        }
    } else {
        caps[ncaps++] = 7;
        caps[ncaps++] = 64;
        caps[ncaps++] = 1000;
        caps[ncaps++] = 4096 + 17;
    }
    check_watchdog((unsigned)check_env_ull("BIPBUF_TEST_TIMEOUT", 300), report_progress);
    printf("stress %s (%s): %" PRIu64 " messages, seed %" PRIu64 "\n", BIPBUF_VARIANT_NAME,
           BIPBUF_TEST_VARIANT, messages, seed);
    CHECK(strcmp(BIPBUF_VARIANT_NAME, BIPBUF_TEST_VARIANT) == 0);
    check_doing("stress run");
    t0 = now_s();
    for (i = 0; i < ncaps; i++) {
        uint64_t m = messages / ncaps + (i == ncaps - 1 ? messages % ncaps : 0);
        bytes += run_one(caps[i], m, seed, (int)(i % 2), i);
    }
    if (zero_spin_runs > 0 && messages >= 10000)
        CHECK(zero_spin_sleeps > 0); /* the sleeping path ran */
    printf("stress %s: total %" PRIu64 " messages, %" PRIu64 " bytes, %.2f s\n",
           BIPBUF_VARIANT_NAME, messages, bytes, now_s() - t0);
    check_doing("end-of-stream run");
    for (i = 0; i < ncaps; i++)
        run_closes(caps[i], closes, seed);
    return check_summary();
}
