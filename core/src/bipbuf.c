/*
 * bipbuf.c - the parts of the bip buffer that need not be inline: set-up and
 * the waiting loop of bipbuf_reserve. Compiled once for the default library
 * and once per variant (with BIPBUF_CACHED/PAD/ORDER[/PUBLISH]), never
 * copied.
 */
#define _POSIX_C_SOURCE 200809L
#include "bipbuf.h"

#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

int bipbuf_init(bipbuf *b, void *storage, size_t capacity) {
    /* In the order bipbuf.h documents; the address is tested through an
     * integer, before any access that a misaligned b would make undefined. */
    if (b == NULL || (uintptr_t)(void *)b % BIPBUF_ALIGN != 0 || storage == NULL ||
        capacity < BIPBUF__MIN_CAPACITY)
        return -EINVAL;
    memset(b, 0, sizeof *b);
    b->prod.buf = b->cons.buf = (unsigned char *)storage;
    b->prod.cap = b->cons.cap = capacity;
    b->prod.max_reserve = capacity / 2;
    BIPBUF__AINIT(&b->write, 0);
    BIPBUF__AINIT(&b->last, 0);
    BIPBUF__AINIT(&b->read, 0);
    BIPBUF__AINIT(&b->closed.producer, 0);
    BIPBUF__AINIT(&b->closed.consumer, 0);
    return 0;
}

static size_t bipbuf__header_size(void) {
    size_t h = sizeof(bipbuf);
    return (h + BIPBUF__STORAGE_ALIGN - 1) / BIPBUF__STORAGE_ALIGN * BIPBUF__STORAGE_ALIGN;
}

int bipbuf_create(bipbuf **out, size_t capacity) {
    size_t head = bipbuf__header_size(), total;
    void *block;
    if (out == NULL || capacity < BIPBUF__MIN_CAPACITY ||
        capacity > SIZE_MAX - head - BIPBUF__STORAGE_ALIGN)
        return -EINVAL;
    /* aligned_alloc wants a size that is a multiple of the alignment. */
    total = (head + capacity + BIPBUF__STORAGE_ALIGN - 1) / BIPBUF__STORAGE_ALIGN *
            BIPBUF__STORAGE_ALIGN;
    block = aligned_alloc(BIPBUF__STORAGE_ALIGN, total);
    if (block == NULL)
        return -ENOMEM;
    bipbuf_init((bipbuf *)block, (unsigned char *)block + head, capacity);
    *out = (bipbuf *)block;
    return 0;
}

void bipbuf_destroy(bipbuf *b) {
    free(b);
}

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

int bipbuf__reserve_wait(bipbuf *b, size_t len, void **out) {
    unsigned polls = 0, pauses = 1;
    int rc;
    do {
        /* Looked at before each wait: a try that fails after the consumer
         * closed ends the wait. */
        if (BIPBUF__ALOAD(&b->closed.consumer, BIPBUF__MO_ACQUIRE))
            return -EPIPE;
        bipbuf__backoff(&polls, &pauses);
        rc = bipbuf_try_reserve(b, len, out);
    } while (rc == -EAGAIN);
    return rc;
}

/* End of stream. The producer's release store comes after its commits (each
 * a store of write or last in its program order), so a consumer that loads
 * producer == 1 with acquire and then takes a fresh view sees all of them. */
void bipbuf_close_producer(bipbuf *b) {
    BIPBUF__ASTORE(&b->closed.producer, 1, BIPBUF__MO_RELEASE);
}

void bipbuf_close_consumer(bipbuf *b) {
    BIPBUF__ASTORE(&b->closed.consumer, 1, BIPBUF__MO_RELEASE);
}

int bipbuf_closed(const bipbuf *b) {
    /* The atomics backends' loads take non-const pointers. */
    bipbuf *m = (bipbuf *)(uintptr_t)b;
    return (BIPBUF__ALOAD(&m->closed.producer, BIPBUF__MO_ACQUIRE) ? BIPBUF_CLOSED_PRODUCER : 0) |
           (BIPBUF__ALOAD(&m->closed.consumer, BIPBUF__MO_ACQUIRE) ? BIPBUF_CLOSED_CONSUMER : 0);
}

size_t bipbuf__peek_wait(bipbuf *b, size_t want, size_t lag, void **data) {
    size_t ask, n;
    unsigned polls = 0, pauses = 1;
    if (want == 0) /* documented: taken as 1, wait for any byte */
        want = 1;
    ask = lag > want ? lag : want;
    /* A fresh view first: a cached one may be stale. A view short of want
     * means waiting: a batched consumer releases what it held back first
     * (bipbuf/impl.h, BATCHED PUBLICATION (c)); the lag's pause is short
     * and bounded, and does not. */
    n = bipbuf__peek(b, ask, want, data);
    while (n < want) {
        /* Closed: everything committed is visible after this acquire, so
         * one more fresh view is the last word (bipbuf_close_producer). */
        if (BIPBUF__ALOAD(&b->closed.producer, BIPBUF__MO_ACQUIRE))
            return bipbuf__peek(b, ask, want, data);
        bipbuf__backoff(&polls, &pauses);
        n = bipbuf__peek(b, ask, want, data);
    }
    /* Enough to go on, but little beyond: unless the view ends at the
     * watermark, let the producer get ahead before reading. */
    if (n < lag && b->cons.write >= b->cons.read) {
        for (unsigned i = 0; i < BIPBUF_LAG_PAUSES; i++)
            bipbuf_relax();
        n = bipbuf__peek(b, ask, want, data);
    }
    return n;
}
