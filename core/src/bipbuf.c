/*
 * bipbuf.c - the parts of the bip buffer that need not be inline: set-up,
 * the end of stream and the waiting loops, with their sleeping (futex,
 * membarrier, eventfd; bipbuf/impl.h, SLEEPING WAITS). Compiled once for the default library
 * and once per variant (with BIPBUF_CACHED/PAD/ORDER[/PUBLISH]), never
 * copied.
 */
/* syscall (futex, membarrier) and ppoll. */
#define _GNU_SOURCE
#include "bipbuf.h"

#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if BIPBUF__SLEEPS
#    include <linux/futex.h>
#    include <sys/eventfd.h>
#    include <sys/syscall.h>
#    if BIPBUF_WAKE == BIPBUF_WAKE_ASYM
#        include <linux/membarrier.h>
#    endif
#endif

/* Smallest capacity with a non-zero max_reserve. */
#define BIPBUF__MIN_CAPACITY 2
/* bipbuf_create's block is aligned to this, and its storage starts at a
 * multiple of it: the buffer gets BIPBUF_ALIGN (asserted below), the storage
 * whole cache lines. */
#define BIPBUF__STORAGE_ALIGN 128
/* Waiting: pauses between polls double up to this many... */
#define BIPBUF__MAX_PAUSES 64
/* ...and after this many polls each one yields the CPU instead: on a loaded
 * machine the peer we wait for may need our CPU to make progress. */
#define BIPBUF__POLLS_BEFORE_YIELD 256
/* bipbuf_peek_wait: pauses before looking again at a view shorter than lag. */
#ifndef BIPBUF_LAG_PAUSES
#    define BIPBUF_LAG_PAUSES 32
#endif

BIPBUF__STATIC_ASSERT(BIPBUF__STORAGE_ALIGN % BIPBUF_ALIGN == 0,
                      "bipbuf_create's blocks are aligned for a bipbuf");

#if BIPBUF_WAKE == BIPBUF_WAKE_ASYM
/* Registers the process for MEMBARRIER_CMD_PRIVATE_EXPEDITED (once per
 * process; the kernel takes a second registration as a no-op). 1 if the
 * command is there to use, 0 if the sides must fall back to fence. */
static int bipbuf__membarrier_ready(void) {
    long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ||
        !(cmds & MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED))
        return 0;
    return syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}
#endif

int bipbuf_init(bipbuf *b, void *storage, size_t capacity) {
    /* In the order bipbuf.h documents; the address is tested through an
     * integer, before any access that a misaligned b would make undefined. */
    if (b == NULL || (uintptr_t)(void *)b % BIPBUF_ALIGN != 0 || storage == NULL ||
        capacity < BIPBUF__MIN_CAPACITY)
        return -EINVAL;
#if BIPBUF__SLEEPS
    int full = 0, pfd = -1, cfd = -1;
#    if BIPBUF_WAKE == BIPBUF_WAKE_ASYM
    full = !bipbuf__membarrier_ready();
#    elif BIPBUF_WAKE == BIPBUF_WAKE_EVENTFD
    pfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (pfd < 0)
        return -errno;
    cfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (cfd < 0) {
        int e = errno;
        close(pfd);
        return -e;
    }
#    endif
#endif
    memset(b, 0, sizeof *b);
    b->prod.buf = b->cons.buf = (unsigned char *)storage;
    b->prod.cap = b->cons.cap = capacity;
    b->prod.max_reserve = capacity / 2;
    BIPBUF__AINIT(&b->write, 0);
    BIPBUF__AINIT(&b->last, 0);
    BIPBUF__AINIT(&b->read, 0);
    BIPBUF__AINIT(&b->closed.producer, 0);
    BIPBUF__AINIT(&b->closed.consumer, 0);
#if BIPBUF__SLEEPS
    BIPBUF__AINIT(&b->cons_sleeps, 0);
    BIPBUF__AINIT(&b->prod_sleeps, 0);
    b->prod.full_fence = b->cons.full_fence = full;
    b->prod.own_fd = b->cons.peer_fd = pfd;
    b->cons.own_fd = b->prod.peer_fd = cfd;
    b->prod.spin_ns = b->cons.spin_ns = BIPBUF_SPIN_NS_DEFAULT;
#endif
    return 0;
}

void bipbuf_fini(bipbuf *b) {
#if BIPBUF__SLEEPS
    if (b == NULL)
        return;
    if (b->prod.own_fd >= 0)
        close(b->prod.own_fd);
    if (b->cons.own_fd >= 0)
        close(b->cons.own_fd);
    b->prod.own_fd = b->cons.peer_fd = b->cons.own_fd = b->prod.peer_fd = -1;
#else
    (void)b;
#endif
}

static size_t bipbuf__header_size(void) {
    size_t h = sizeof(bipbuf);
    return (h + BIPBUF__STORAGE_ALIGN - 1) / BIPBUF__STORAGE_ALIGN * BIPBUF__STORAGE_ALIGN;
}

int bipbuf_create(bipbuf **out, size_t capacity) {
    size_t head = bipbuf__header_size(), total;
    void *block;
    int rc;
    if (out == NULL || capacity < BIPBUF__MIN_CAPACITY ||
        capacity > SIZE_MAX - head - BIPBUF__STORAGE_ALIGN)
        return -EINVAL;
    /* aligned_alloc wants a size that is a multiple of the alignment. */
    total = (head + capacity + BIPBUF__STORAGE_ALIGN - 1) / BIPBUF__STORAGE_ALIGN *
            BIPBUF__STORAGE_ALIGN;
    block = aligned_alloc(BIPBUF__STORAGE_ALIGN, total);
    if (block == NULL)
        return -ENOMEM;
    rc = bipbuf_init((bipbuf *)block, (unsigned char *)block + head, capacity);
    if (rc != 0) {
        free(block);
        return rc;
    }
    *out = (bipbuf *)block;
    return 0;
}

void bipbuf_destroy(bipbuf *b) {
    bipbuf_fini(b);
    free(b);
}

int bipbuf_set_spin(bipbuf *b, int64_t spin_ns) {
    if (b == NULL || spin_ns < 0)
        return -EINVAL;
#if BIPBUF__SLEEPS
    b->prod.spin_ns = b->cons.spin_ns = spin_ns;
#endif
    return 0;
}

int bipbuf_wake_kind(const bipbuf *b) {
#if BIPBUF_WAKE == BIPBUF_WAKE_ASYM
    return b->prod.full_fence ? BIPBUF_WAKE_FENCE : BIPBUF_WAKE_ASYM;
#else
    (void)b;
    return BIPBUF_WAKE;
#endif
}

uint64_t bipbuf_sleep_count(const bipbuf *b, int producer) {
#if BIPBUF__SLEEPS
    return producer ? b->prod.sleeps : b->cons.sleeps;
#else
    (void)b;
    (void)producer;
    return 0;
#endif
}

uint64_t bipbuf_wake_count(const bipbuf *b, int producer) {
#if BIPBUF__SLEEPS
    return producer ? b->prod.wakes : b->cons.wakes;
#else
    (void)b;
    (void)producer;
    return 0;
#endif
}

/* ---- time ---------------------------------------------------------------- */

static int64_t bipbuf__now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* The deadline timeout_ns from now, or INT64_MAX (none) for a timeout of
 * INT64_MAX or one too long to add to the clock. */
static int64_t bipbuf__deadline(int64_t timeout_ns) {
    int64_t now = bipbuf__now_ns();
    return timeout_ns > INT64_MAX - now ? INT64_MAX : now + timeout_ns;
}

#define BIPBUF__NO_DEADLINE INT64_MAX

/* One wait between two polls of the peer's index. Polling less often when
 * the wait goes on leaves the peer's cache line alone while it works. */
static void bipbuf__backoff(unsigned *polls, unsigned *pauses) {
    if (++*polls > BIPBUF__POLLS_BEFORE_YIELD) {
        sched_yield();
        return;
    }
    for (unsigned i = 0; i < *pauses; i++)
        bipbuf_relax();
    if (*pauses < BIPBUF__MAX_PAUSES)
        *pauses *= 2;
}

/* Polls before a wait reads the clock: short waits never do. */
#define BIPBUF__POLLS_BEFORE_CLOCK 8

/*
 * A wait's state: when it began (0 until the clock was first read), its
 * deadline, its backoff, and whether its spin budget is spent. step() is one
 * turn: 1 to go on polling, 0 once the deadline has passed, 2 once the
 * budget is spent (a sleeping variant's cue to sleep).
 */
struct bipbuf__wait {
    int64_t deadline, spin_end;
    int64_t spin_ns;
    unsigned polls, pauses;
};

static void bipbuf__wait_start(struct bipbuf__wait *w, int64_t deadline, int64_t spin_ns) {
    w->deadline = deadline;
    w->spin_ns = spin_ns;
    w->spin_end = 0;
    w->polls = 0;
    w->pauses = 1;
}

static int bipbuf__wait_step(struct bipbuf__wait *w) {
    if (w->polls >= BIPBUF__POLLS_BEFORE_CLOCK &&
        (w->deadline != BIPBUF__NO_DEADLINE || w->spin_ns >= 0)) {
        int64_t now = bipbuf__now_ns();
        if (w->spin_end == 0)
            w->spin_end = w->spin_ns > INT64_MAX - now ? INT64_MAX : now + w->spin_ns;
        if (now >= w->deadline)
            return 0;
        if (w->spin_ns >= 0 && now >= w->spin_end)
            return 2;
    }
    bipbuf__backoff(&w->polls, &w->pauses);
    return 1;
}

/* ---- sleeping ------------------------------------------------------------ */

#if BIPBUF__SLEEPS
int bipbuf__heavy_fence(void) {
#    if BIPBUF_WAKE == BIPBUF_WAKE_ASYM
    return syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0 ? 0 : -1;
#    else
    BIPBUF__AFENCE(BIPBUF__MO_SEQ_CST);
    return 0;
#    endif
}

void bipbuf__wake(bipbuf *b, bipbuf__atomic_u32 *sleeps) {
    if (BIPBUF__AXCHG(sleeps, 0, BIPBUF__MO_RELAXED) == 0)
        return; /* another waker, or the sleeper itself, was first */
    if (sleeps == &b->cons_sleeps)
        b->prod.wakes++;
    else
        b->cons.wakes++;
#    if BIPBUF_WAKE == BIPBUF_WAKE_EVENTFD
    {
        uint64_t one = 1;
        int fd = sleeps == &b->cons_sleeps ? b->prod.peer_fd : b->cons.peer_fd;
        /* Fails only with the counter full (EAGAIN): readable already. */
        ssize_t r = write(fd, &one, sizeof one);
        (void)r;
    }
#    else
    syscall(SYS_futex, (uint32_t *)sleeps, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
#    endif
}

/*
 * Sleep on *sleeps (announced and re-checked by the caller) until woken or
 * the deadline. Returns whenever the word may have changed: a wake, a
 * signal, a timeout; the caller looks again. Clears the word on the way
 * out, so that no waker pays for a sleeper that is gone.
 */
static void bipbuf__sleep(bipbuf__atomic_u32 *sleeps, int fd, int64_t deadline) {
#    if BIPBUF_WAKE == BIPBUF_WAKE_EVENTFD
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    struct timespec rel, *tp = NULL;
    uint64_t count;
    if (deadline != BIPBUF__NO_DEADLINE) {
        int64_t left = deadline - bipbuf__now_ns();
        if (left < 0)
            left = 0;
        rel.tv_sec = (time_t)(left / 1000000000);
        rel.tv_nsec = (long)(left % 1000000000);
        tp = &rel;
    }
    if (ppoll(&p, 1, tp, NULL) > 0) {
        ssize_t r = read(fd, &count, sizeof count); /* drain; EAGAIN: spurious */
        (void)r;
    }
#    else
    struct timespec abs, *tp = NULL;
    (void)fd;
    if (deadline != BIPBUF__NO_DEADLINE) {
        abs.tv_sec = (time_t)(deadline / 1000000000);
        abs.tv_nsec = (long)(deadline % 1000000000);
        tp = &abs;
    }
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline; it
     * returns at once if the word is no longer 1 (the waker was first). */
    syscall(SYS_futex, (uint32_t *)sleeps, FUTEX_WAIT_BITSET_PRIVATE, 1u, tp, NULL,
            FUTEX_BITSET_MATCH_ANY);
#    endif
    BIPBUF__ASTORE(sleeps, 0, BIPBUF__MO_RELAXED);
}
#endif

/* ---- the producer's wait ------------------------------------------------- */

static int bipbuf__reserve_until(bipbuf *b, size_t len, void **out, int64_t deadline) {
    struct bipbuf__wait w;
    int rc, step;
#if BIPBUF__SLEEPS
    bipbuf__wait_start(&w, deadline, b->prod.spin_ns);
#else
    bipbuf__wait_start(&w, deadline, -1);
#endif
    for (;;) {
        /* Looked at before each wait: a try that fails after the consumer
         * closed ends the wait. */
        if (BIPBUF__ALOAD(&b->closed.consumer, BIPBUF__MO_ACQUIRE))
            return -EPIPE;
        step = bipbuf__wait_step(&w);
        if (step == 0)
            return -ETIMEDOUT;
#if BIPBUF__SLEEPS
        if (step == 2 && bipbuf__announce(&b->prod_sleeps, b->prod.full_fence) == 0) {
            /* S3: the fresh look after announcing. */
            rc = bipbuf_try_reserve(b, len, out);
            if (rc != -EAGAIN || BIPBUF__ALOAD(&b->closed.consumer, BIPBUF__MO_ACQUIRE)) {
                BIPBUF__ASTORE(&b->prod_sleeps, 0, BIPBUF__MO_RELAXED);
                if (rc == -EAGAIN)
                    return -EPIPE;
                return rc;
            }
            b->prod.sleeps++;
            bipbuf__sleep(&b->prod_sleeps, b->prod.own_fd, w.deadline);
        }
#endif
        rc = bipbuf_try_reserve(b, len, out);
        if (rc != -EAGAIN)
            return rc;
    }
}

int bipbuf__reserve_wait(bipbuf *b, size_t len, void **out) {
    return bipbuf__reserve_until(b, len, out, BIPBUF__NO_DEADLINE);
}

int bipbuf_reserve_timed(bipbuf *b, size_t len, void **out, int64_t timeout_ns) {
    int rc;
    if (timeout_ns < 0)
        return -EINVAL;
    rc = bipbuf_try_reserve(b, len, out);
    if (rc != -EAGAIN)
        return rc;
    return bipbuf__reserve_until(b, len, out,
                                 timeout_ns == 0 ? bipbuf__now_ns() : bipbuf__deadline(timeout_ns));
}

/* ---- end of stream ------------------------------------------------------- */

/* The producer's release store comes after its commits (each a store of
 * write or last in its program order), so a consumer that loads producer
 * == 1 with acquire and then takes a fresh view sees all of them. A close
 * gives the peer something, as a commit does: W1 and W2 follow it. */
void bipbuf_close_producer(bipbuf *b) {
    BIPBUF__ASTORE(&b->closed.producer, 1, BIPBUF__MO_RELEASE);
#if BIPBUF__SLEEPS
    /* A full fence whatever the wake: a close is rare, and this way it
     * needs no membarrier on the sleeper's side to be seen. */
    BIPBUF__AFENCE(BIPBUF__MO_SEQ_CST);
    if (BIPBUF__ALOAD(&b->cons_sleeps, BIPBUF__MO_SLEEPS) != 0)
        bipbuf__wake(b, &b->cons_sleeps);
#endif
}

void bipbuf_close_consumer(bipbuf *b) {
    BIPBUF__ASTORE(&b->closed.consumer, 1, BIPBUF__MO_RELEASE);
#if BIPBUF__SLEEPS
    BIPBUF__AFENCE(BIPBUF__MO_SEQ_CST);
    if (BIPBUF__ALOAD(&b->prod_sleeps, BIPBUF__MO_SLEEPS) != 0)
        bipbuf__wake(b, &b->prod_sleeps);
#endif
}

int bipbuf_closed(const bipbuf *b) {
    /* The atomics backends' loads take non-const pointers. */
    bipbuf *m = (bipbuf *)(uintptr_t)b;
    return (BIPBUF__ALOAD(&m->closed.producer, BIPBUF__MO_ACQUIRE) ? BIPBUF_CLOSED_PRODUCER : 0) |
           (BIPBUF__ALOAD(&m->closed.consumer, BIPBUF__MO_ACQUIRE) ? BIPBUF_CLOSED_CONSUMER : 0);
}

/* ---- the consumer's wait ------------------------------------------------- */

/* Waits until want (>= 1) bytes are readable: 0; the deadline: -ETIMEDOUT;
 * the producer closed with fewer: -EPIPE. *n, *data: the latest view. */
static int bipbuf__peek_until(bipbuf *b, size_t want, size_t ask, void **data, size_t *n,
                              int64_t deadline) {
    struct bipbuf__wait w;
    int step;
#if BIPBUF__SLEEPS
    bipbuf__wait_start(&w, deadline, b->cons.spin_ns);
#else
    bipbuf__wait_start(&w, deadline, -1);
#endif
    while (*n < want) {
        /* Closed: everything committed is visible after this acquire, so
         * one more fresh view is the last word (bipbuf_close_producer). */
        if (BIPBUF__ALOAD(&b->closed.producer, BIPBUF__MO_ACQUIRE)) {
            *n = bipbuf__peek(b, ask, want, data);
            return *n >= want ? 0 : -EPIPE;
        }
        step = bipbuf__wait_step(&w);
        if (step == 0)
            return -ETIMEDOUT;
#if BIPBUF__SLEEPS
        if (step == 2 && bipbuf__announce(&b->cons_sleeps, b->cons.full_fence) == 0) {
            /* S3: a fresh view (it is short, so peek refreshes) and the
             * closed word, after announcing. */
            *n = bipbuf__peek(b, ask, want, data);
            if (*n >= want || BIPBUF__ALOAD(&b->closed.producer, BIPBUF__MO_ACQUIRE)) {
                BIPBUF__ASTORE(&b->cons_sleeps, 0, BIPBUF__MO_RELAXED);
                continue;
            }
            b->cons.sleeps++;
            bipbuf__sleep(&b->cons_sleeps, b->cons.own_fd, w.deadline);
        }
#endif
        *n = bipbuf__peek(b, ask, want, data);
    }
    return 0;
}

/* Enough to go on, but little beyond: unless the view ends at the
 * watermark, let the producer get ahead before reading. */
static size_t bipbuf__lag_pause(bipbuf *b, size_t n, size_t want, size_t lag, size_t ask,
                                void **data) {
    if (n < lag && b->cons.write >= b->cons.read) {
        for (unsigned i = 0; i < BIPBUF_LAG_PAUSES; i++)
            bipbuf_relax();
        n = bipbuf__peek(b, ask, want, data);
    }
    return n;
}

size_t bipbuf__peek_wait(bipbuf *b, size_t want, size_t lag, void **data) {
    size_t ask, n;
    if (want == 0) /* documented: taken as 1, wait for any byte */
        want = 1;
    ask = lag > want ? lag : want;
    /* A fresh view first: a cached one may be stale. A view short of want
     * means waiting: a batched consumer releases what it held back first
     * (bipbuf/impl.h, BATCHED PUBLICATION (c)); the lag's pause is short
     * and bounded, and does not. */
    n = bipbuf__peek(b, ask, want, data);
    if (bipbuf__peek_until(b, want, ask, data, &n, BIPBUF__NO_DEADLINE) != 0)
        return n; /* the producer closed */
    return bipbuf__lag_pause(b, n, want, lag, ask, data);
}

int bipbuf_peek_timed(bipbuf *b, size_t want, size_t lag, void **data, size_t *len,
                      int64_t timeout_ns) {
    size_t ask, n;
    int rc;
    if (b == NULL || data == NULL || len == NULL || timeout_ns < 0)
        return -EINVAL;
    if (want == 0)
        want = 1;
    ask = lag > want ? lag : want;
    n = bipbuf__peek(b, ask, want, data);
    rc = n >= want ? 0
                   : bipbuf__peek_until(b, want, ask, data, &n,
                                        timeout_ns == 0 ? bipbuf__now_ns()
                                                        : bipbuf__deadline(timeout_ns));
    if (rc == 0)
        n = bipbuf__lag_pause(b, n, want, lag, ask, data);
    *len = n;
    return rc;
}

/* ---- an event loop's wait (eventfd) ---------------------------------------- */

int bipbuf_wake_fd(const bipbuf *b) {
#if BIPBUF_WAKE == BIPBUF_WAKE_EVENTFD
    return b->cons.own_fd;
#else
    (void)b;
    return -ENOTSUP;
#endif
}

int bipbuf_peek_arm(bipbuf *b, size_t want) {
#if BIPBUF_WAKE == BIPBUF_WAKE_EVENTFD
    uint64_t count;
    void *data;
    size_t n;
    ssize_t r = read(b->cons.own_fd, &count, sizeof count); /* drain */
    (void)r;
    if (want == 0)
        want = 1;
    bipbuf__announce(&b->cons_sleeps, b->cons.full_fence);
    n = bipbuf__peek(b, want, want, &data);
    if (n >= want || BIPBUF__ALOAD(&b->closed.producer, BIPBUF__MO_ACQUIRE)) {
        BIPBUF__ASTORE(&b->cons_sleeps, 0, BIPBUF__MO_RELAXED);
        return 1;
    }
    return 0;
#else
    (void)b;
    (void)want;
    return -ENOTSUP;
#endif
}
