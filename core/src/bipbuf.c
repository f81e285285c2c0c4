/*
 * bipbuf.c - the parts of the bip buffer that need not be inline: set-up and
 * the waiting loop of bipbuf_reserve. Compiled once for the default library
 * and once per variant (with BIPBUF_CACHED/PAD/ORDER), never copied.
 */
#define _POSIX_C_SOURCE 200809L
#include "bipbuf.h"

#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Smallest capacity with a non-zero max_reserve. */
#define BIPBUF__MIN_CAPACITY 2
/* Storage starts this far into a bipbuf_create block: cache-line aligned. */
#define BIPBUF__STORAGE_ALIGN 128
/* Spins with a pause before bipbuf_reserve starts yielding the CPU. */
#define BIPBUF__SPINS_BEFORE_YIELD 1024

int bipbuf_init(bipbuf *b, void *storage, size_t capacity) {
    if (b == NULL || storage == NULL || capacity < BIPBUF__MIN_CAPACITY)
        return -EINVAL;
    memset(b, 0, sizeof *b);
    b->prod.buf = b->cons.buf = (unsigned char *)storage;
    b->prod.cap = b->cons.cap = capacity;
    b->prod.max_reserve = capacity / 2;
    BIPBUF__AINIT(&b->write, 0);
    BIPBUF__AINIT(&b->last, 0);
    BIPBUF__AINIT(&b->read, 0);
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

int bipbuf__reserve_wait(bipbuf *b, size_t len, void **out) {
    unsigned spins = 0;
    int rc;
    do {
        if (spins < BIPBUF__SPINS_BEFORE_YIELD) {
            spins++;
            bipbuf_relax();
        } else {
            sched_yield();
        }
        rc = bipbuf_try_reserve(b, len, out);
    } while (rc == -EAGAIN);
    return rc;
}
