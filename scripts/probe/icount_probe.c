/*
 * icount_probe.c - one thread, the two sides' steps of a workload in
 * batches, for counting instructions per message with callgrind
 * (scripts/icount). Built once per variant and set of flags; the producer's
 * and the consumer's steps are separate functions, so that callgrind gives
 * each side's count.
 *
 *   icount_probe seed|fixed SIZE MESSAGES BATCH
 *
 * Each round produces BATCH messages (reserve, fill, commit) and then
 * consumes them (bipbuf_peek_wait with no lag, the read, consume), so that
 * a cached consumer sees several messages per fresh view, as it does when it
 * trails a producer. seed: byte 0 holds the length, the consumer reads it
 * and waits for the whole message, as bipbench's seed workload; fixed: the
 * consumer sums every byte. Fills as bipbench does: memset from 32 bytes,
 * word stores below. A 16 KiB buffer.
 */
#define _POSIX_C_SOURCE 200809L
#include "bipbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY 16384

static void die(const char *what) {
    fprintf(stderr, "icount_probe: %s\n", what);
    exit(1);
}

__attribute__((noinline)) static void produce(bipbuf *b, int seed, size_t len, size_t n,
                                              unsigned char v) {
    for (size_t i = 0; i < n; i++) {
        void *q;
        unsigned char *p;
        if (bipbuf_try_reserve(b, len, &q) != 0)
            die("no room: BATCH messages must fit the buffer");
        p = (unsigned char *)q;
        if (len >= 32) {
            memset(p, v, len);
        } else {
            uint64_t w = 0x0101010101010101ull * v;
            size_t j = 0;
            for (; j + 8 <= len; j += 8)
                memcpy(p + j, &w, 8);
            for (; j < len; j++)
                p[j] = v;
        }
        if (seed)
            p[0] = (unsigned char)len;
        bipbuf_commit(b, len);
    }
}

__attribute__((noinline)) static uint64_t consume(bipbuf *b, int seed, size_t len, size_t n) {
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++) {
        void *q;
        const unsigned char *p;
        if (seed) {
            bipbuf_peek_wait(b, 1, 0, &q);
            s += *(const unsigned char *)q;
        }
        bipbuf_peek_wait(b, len, 0, &q);
        p = (const unsigned char *)q;
        if (!seed) {
            size_t j = 0;
            for (; j + 8 <= len; j += 8) {
                uint64_t x;
                memcpy(&x, p + j, 8);
                s += x;
            }
            for (; j < len; j++)
                s += p[j];
        }
        bipbuf_consume(b, len);
    }
    return s;
}

int main(int argc, char **argv) {
    bipbuf *b;
    uint64_t s = 0;
    size_t len, messages, batch, done = 0;
    int seed;
    if (argc != 5)
        die("usage: icount_probe seed|fixed SIZE MESSAGES BATCH");
    seed = strcmp(argv[1], "seed") == 0;
    len = strtoul(argv[2], NULL, 0);
    messages = strtoul(argv[3], NULL, 0);
    batch = strtoul(argv[4], NULL, 0);
    if (len == 0 || batch == 0 || (seed && len > 255))
        die("bad SIZE or BATCH");
    if (bipbuf_create(&b, CAPACITY) != 0)
        die("bipbuf_create");
    while (done < messages) {
        size_t k = messages - done < batch ? messages - done : batch;
        produce(b, seed, len, k, (unsigned char)done);
        s += consume(b, seed, len, k);
        done += k;
    }
    printf("%s %s %zu: %zu messages, sum %llu\n", BIPBUF_VARIANT_NAME, argv[1], len, messages,
           (unsigned long long)s);
    bipbuf_destroy(b);
    return 0;
}
