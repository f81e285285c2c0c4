/*
 * mixed_c.c - the C half of the mixing test (mixed.h): the producer, and the
 * layout of struct bipbuf as C sees it.
 */
#include "bipbuf.h"
#include "mixed.h"

#include <stddef.h>
#include <string.h>

void mixed_c_layout(size_t out[MIXED_LAYOUT_FIELDS]) {
    out[0] = sizeof(bipbuf);
    out[1] = BIPBUF_ALIGN;
    out[2] = offsetof(bipbuf, write);
    out[3] = offsetof(bipbuf, last);
    out[4] = offsetof(bipbuf, read);
    out[5] = offsetof(bipbuf, prod);
    out[6] = offsetof(bipbuf, cons);
}

void *mixed_c_produce(void *arg) {
    struct mixed_job *job = arg;
    bipbuf *b = job->b;
    size_t max = bipbuf_max_reserve(b);
    for (uint64_t i = 0; i < job->messages; i++) {
        size_t len = mixed_len(i, max);
        unsigned char *p;
        void *v;
        if (bipbuf_reserve(b, len, &v) != 0)
            return (void *)"bipbuf_reserve failed";
        p = v;
        for (size_t j = 0; j < len; j++)
            p[j] = mixed_byte(i, j);
        if (bipbuf_commit(b, len) != 0)
            return (void *)"bipbuf_commit failed";
    }
    return NULL;
}
