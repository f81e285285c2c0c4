/*
 * blocking.c - the floor of a wake-up and the blocking queues a user would
 * otherwise pick, measured beside the sleeping bip buffer (bipbench rate;
 * docs/DESIGN.md, "Rate"). None needs a library beyond libc, so bipbench
 * always has them.
 *
 *   limit-futex   the least a wake-up through the kernel costs between the
 *                 two PUs: a ring of stamps whose consumer, when it finds
 *                 nothing new, sleeps in FUTEX_WAIT on the producer's count
 *                 at once (no spin), and whose producer calls FUTEX_WAKE
 *                 after every message (no check for a sleeper: the kernel
 *                 looks). Latency mode: a futex ping-pong, each side sleeping
 *                 until the other's store.
 *   peer-pipe     write(2) and read(2) of every message's bytes through a
 *                 pipe sized to --queue-size (F_SETPIPE_SZ).
 *   peer-condvar  the textbook blocking buffer: a byte ring under one mutex,
 *                 with a condition variable for "not empty" and one for "not
 *                 full", each signalled on every send and receive.
 *
 * Each carries the rate workload's messages whole (rate.h): copied in by the
 * producer, out by the consumer. They have no throughput or soak rows: the
 * spinning peers (harness/peers) are the saturation comparison.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hist.h"
#include "rate.h"

/* The rate workload's messages are at most this long in these entries: one
 * pipe write of up to PIPE_BUF bytes is atomic and whole. */
#define BLOCKING_MAX_MSG 4096

static size_t blocking_max_message(size_t queue_size) {
    size_t half = queue_size / 2;
    return half < BLOCKING_MAX_MSG ? half : BLOCKING_MAX_MSG;
}

/* ---- limit-futex ----------------------------------------------------------- */

static long futex(_Atomic uint32_t *w, int op, uint32_t val, const struct timespec *ts) {
    return syscall(SYS_futex, (uint32_t *)w, op, val, ts, NULL, 0);
}

#define FUTEX_SLOTS 4096 /* stamps in flight, at most */

struct futex_q {
    _Alignas(128) _Atomic uint32_t sent; /* messages published (mod 2^32) */
    char pad1_[128 - sizeof(uint32_t)];
    _Alignas(128) _Atomic uint64_t taken; /* messages the consumer is done with */
    char pad2_[128 - sizeof(uint64_t)];
    uint64_t produced; /* the producer's own count */
    uint64_t consumed; /* the consumer's own count */
    uint32_t seen;     /* the consumer's last view of sent */
    int64_t wakes, sleeps;
    struct bench_rate_msg slot[FUTEX_SLOTS];
};

static int futex_send(void *q, size_t len, int64_t stamp, uint64_t i) {
    struct futex_q *f = (struct futex_q *)q;
    struct bench_rate_msg *m = &f->slot[f->produced % FUTEX_SLOTS];
    /* Room: the producer yields, never sleeps, for it; rare below
     * saturation. */
    while (f->produced - atomic_load_explicit(&f->taken, memory_order_acquire) >= FUTEX_SLOTS)
        sched_yield();
    m->stamp = stamp;
    m->last = len > 8 ? bench_rate_byte(i) : -1;
    f->produced++;
    atomic_store_explicit(&f->sent, (uint32_t)f->produced, memory_order_release);
    futex(&f->sent, FUTEX_WAKE_PRIVATE, 1, NULL);
    f->wakes++;
    return 0;
}

static int futex_recv(void *q, size_t len, struct bench_rate_msg *m) {
    struct futex_q *f = (struct futex_q *)q;
    (void)len;
    while (f->seen == (uint32_t)f->consumed) {
        uint32_t now = atomic_load_explicit(&f->sent, memory_order_acquire);
        if (now != f->seen) {
            f->seen = now;
            break;
        }
        /* The kernel sleeps only while sent still reads `now`: no lost
         * wake-up, whatever the order of the producer's store and wake. */
        if (futex(&f->sent, FUTEX_WAIT_PRIVATE, now, NULL) == 0)
            f->sleeps++;
        else if (errno != EAGAIN && errno != EINTR)
            return -errno;
    }
    *m = f->slot[f->consumed % FUTEX_SLOTS];
    f->consumed++;
    atomic_store_explicit(&f->taken, f->consumed, memory_order_release);
    return 0;
}

BENCH_RATE_LOOPS(futexq, futex_send, futex_recv)

static int futex_rate(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                      struct bench_rate_out *out) {
    struct futex_q *f = aligned_alloc(128, sizeof *f);
    int rc;
    if (f == NULL)
        return -ENOMEM;
    memset(f, 0, sizeof *f);
    rc = bench_rate_trial(r, cfg, out, f, futexq_rate_prod, futexq_rate_cons);
    out->sleeps = f->sleeps;
    out->wakes = f->wakes;
    free(f);
    return rc;
}

/* Latency: ping stores 2i+1 in its word and wakes pong, then sleeps until
 * pong's word reads 2i+2; pong mirrors it. */
struct futex_pp {
    _Alignas(128) _Atomic uint32_t ping;
    char pad1_[128 - sizeof(uint32_t)];
    _Alignas(128) _Atomic uint32_t pong;
    char pad2_[128 - sizeof(uint32_t)];
    uint64_t samples, warmup;
    struct bench_hist *h;
};

static void futex_wait_for(_Atomic uint32_t *w, uint32_t want) {
    uint32_t v;
    while ((v = atomic_load_explicit(w, memory_order_acquire)) != want)
        futex(w, FUTEX_WAIT_PRIVATE, v, NULL);
}

static void pp_ping(void *ctx) {
    struct futex_pp *c = (struct futex_pp *)ctx;
    const uint64_t n = c->warmup + c->samples;
    for (uint64_t i = 0; i < n; i++) {
        int64_t t0 = bench_now_ns();
        atomic_store_explicit(&c->ping, (uint32_t)(2 * i + 1), memory_order_release);
        futex(&c->ping, FUTEX_WAKE_PRIVATE, 1, NULL);
        futex_wait_for(&c->pong, (uint32_t)(2 * i + 2));
        if (i >= c->warmup)
            bench_hist_record(c->h, (uint64_t)(bench_now_ns() - t0));
    }
}

static void pp_pong(void *ctx) {
    struct futex_pp *c = (struct futex_pp *)ctx;
    const uint64_t n = c->warmup + c->samples;
    for (uint64_t i = 0; i < n; i++) {
        futex_wait_for(&c->ping, (uint32_t)(2 * i + 1));
        atomic_store_explicit(&c->pong, (uint32_t)(2 * i + 2), memory_order_release);
        futex(&c->pong, FUTEX_WAKE_PRIVATE, 1, NULL);
    }
}

static int futex_latency(struct bench_runner *r, const struct bench_lat_cfg *cfg,
                         struct bench_hist *h) {
    static struct futex_pp c; /* static: _Alignas(128) without aligned allocation */
    int64_t elapsed;
    atomic_store_explicit(&c.ping, 0, memory_order_relaxed);
    atomic_store_explicit(&c.pong, 0, memory_order_relaxed);
    c.samples = cfg->samples;
    c.warmup = cfg->warmup;
    c.h = h;
    return bench_run_pair(r, pp_ping, pp_pong, &c, &elapsed);
}

/* Carries stamps, not bytes: any size the rate workload takes. */
static size_t futex_max_message(size_t queue_size) {
    (void)queue_size;
    return SIZE_MAX;
}

const struct bench_impl bench_limit_futex = {
    .name = "limit-futex",
    .kind = BENCH_KIND_LIMIT,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "the floor of a wake-up: FUTEX_WAIT at once when empty, FUTEX_WAKE per message "
             "(rate); a futex ping-pong (latency)",
    .max_message = futex_max_message,
    .latency = futex_latency,
    .rate = futex_rate,
    .wake = "futex",
};

/* ---- peer-pipe ---------------------------------------------------------------- */

struct pipe_q {
    int fd[2];
    unsigned char buf[2][BLOCKING_MAX_MSG]; /* the producer's, the consumer's */
};

static int pipe_send(void *q, size_t len, int64_t stamp, uint64_t i) {
    struct pipe_q *p = (struct pipe_q *)q;
    ssize_t w;
    bench_rate_fill(p->buf[0], len, stamp, i);
    /* len <= PIPE_BUF: a blocking write is whole and atomic. */
    while ((w = write(p->fd[1], p->buf[0], len)) < 0 && errno == EINTR) {
    }
    return w == (ssize_t)len ? 0 : w < 0 ? -errno : -EIO;
}

static int pipe_recv(void *q, size_t len, struct bench_rate_msg *m) {
    struct pipe_q *p = (struct pipe_q *)q;
    size_t got = 0;
    while (got < len) {
        ssize_t k = read(p->fd[0], p->buf[1] + got, len - got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k < 0 ? -errno : -EPIPE;
        got += (size_t)k;
    }
    bench_rate_take(p->buf[1], len, m);
    return 0;
}

BENCH_RATE_LOOPS(pipeq, pipe_send, pipe_recv)

static int pipe_rate(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                     struct bench_rate_out *out) {
    struct pipe_q *p = malloc(sizeof *p);
    int rc;
    if (p == NULL)
        return -ENOMEM;
    if (pipe2(p->fd, O_CLOEXEC) != 0) {
        rc = -errno;
        free(p);
        return rc;
    }
    /* The kernel rounds up to a power-of-two number of pages. */
    if (cfg->queue_size <= INT_MAX)
        (void)fcntl(p->fd[1], F_SETPIPE_SZ, (int)cfg->queue_size);
    rc = bench_rate_trial(r, cfg, out, p, pipeq_rate_prod, pipeq_rate_cons);
    out->sleeps = -1;
    out->wakes = -1;
    close(p->fd[0]);
    close(p->fd[1]);
    free(p);
    return rc;
}

const struct bench_impl bench_peer_pipe = {
    .name = "peer-pipe",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "a pipe of --queue-size bytes: write(2) and read(2) of each message (rate only)",
    .max_message = blocking_max_message,
    .rate = pipe_rate,
    .wake = "pipe",
};

/* ---- peer-condvar ----------------------------------------------------------- */

struct cv_q {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    unsigned char *ring;
    size_t size;
    uint64_t head, tail; /* bytes written, bytes read: under mu */
    unsigned char buf[2][BLOCKING_MAX_MSG];
};

static void cv_copy_in(struct cv_q *c, const unsigned char *p, size_t len) {
    size_t at = (size_t)(c->head % c->size), first = c->size - at < len ? c->size - at : len;
    memcpy(c->ring + at, p, first);
    memcpy(c->ring, p + first, len - first);
}

static void cv_copy_out(struct cv_q *c, unsigned char *p, size_t len) {
    size_t at = (size_t)(c->tail % c->size), first = c->size - at < len ? c->size - at : len;
    memcpy(p, c->ring + at, first);
    memcpy(p + first, c->ring, len - first);
}

static int cv_send(void *q, size_t len, int64_t stamp, uint64_t i) {
    struct cv_q *c = (struct cv_q *)q;
    bench_rate_fill(c->buf[0], len, stamp, i);
    pthread_mutex_lock(&c->mu);
    while (c->size - (size_t)(c->head - c->tail) < len)
        pthread_cond_wait(&c->not_full, &c->mu);
    cv_copy_in(c, c->buf[0], len);
    c->head += len;
    pthread_cond_signal(&c->not_empty);
    pthread_mutex_unlock(&c->mu);
    return 0;
}

static int cv_recv(void *q, size_t len, struct bench_rate_msg *m) {
    struct cv_q *c = (struct cv_q *)q;
    pthread_mutex_lock(&c->mu);
    while ((size_t)(c->head - c->tail) < len)
        pthread_cond_wait(&c->not_empty, &c->mu);
    cv_copy_out(c, c->buf[1], len);
    c->tail += len;
    pthread_cond_signal(&c->not_full);
    pthread_mutex_unlock(&c->mu);
    bench_rate_take(c->buf[1], len, m);
    return 0;
}

BENCH_RATE_LOOPS(cvq, cv_send, cv_recv)

static int cv_rate(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                   struct bench_rate_out *out) {
    struct cv_q *c = malloc(sizeof *c);
    pthread_condattr_t ca;
    int rc;
    if (c == NULL)
        return -ENOMEM;
    c->size = cfg->queue_size;
    c->head = c->tail = 0;
    c->ring = malloc(c->size);
    if (c->ring == NULL) {
        free(c);
        return -ENOMEM;
    }
    memset(c->ring, 0, c->size);
    pthread_mutex_init(&c->mu, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c->not_empty, &ca);
    pthread_cond_init(&c->not_full, &ca);
    pthread_condattr_destroy(&ca);
    rc = bench_rate_trial(r, cfg, out, c, cvq_rate_prod, cvq_rate_cons);
    out->sleeps = -1;
    out->wakes = -1;
    pthread_cond_destroy(&c->not_empty);
    pthread_cond_destroy(&c->not_full);
    pthread_mutex_destroy(&c->mu);
    free(c->ring);
    free(c);
    return rc;
}

const struct bench_impl bench_peer_condvar = {
    .name = "peer-condvar",
    .kind = BENCH_KIND_PEER,
    .cached = -1,
    .pad = -1,
    .order = NULL,
    .publish = -1,
    .about = "a byte ring under a mutex with two condition variables, signalled on every "
             "send and receive (rate only)",
    .max_message = blocking_max_message,
    .rate = cv_rate,
    .wake = "condvar",
};
