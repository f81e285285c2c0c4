/*
 * mixed.h - what the two halves of the mixing test share: a producer
 * compiled as C (mixed_c.c) and a consumer compiled as C++ (mixed_cxx.cpp),
 * both of the default variant, pass messages through one buffer. Include
 * after bipbuf.h.
 */
#ifndef BIPBUF_TESTS_MIXED_H
#define BIPBUF_TESTS_MIXED_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* struct bipbuf as C lays it out: size, alignment, then the offsets of
 * write, last, read, prod and cons. */
#define MIXED_LAYOUT_FIELDS 7
void mixed_c_layout(size_t out[MIXED_LAYOUT_FIELDS]);

struct mixed_job {
    bipbuf *b;
    uint64_t messages;
};

/* The producer, in C: sends job->messages messages through job->b. A
 * pthread start routine; returns NULL, or a string saying what failed. */
void *mixed_c_produce(void *job);

/* Message i: its length (1..max) and its bytes. */
static inline size_t mixed_len(uint64_t i, size_t max) {
    return 1 + (size_t)(i * 2654435761u % max);
}
static inline unsigned char mixed_byte(uint64_t i, size_t j) {
    return (unsigned char)(i * 131u + j * 7u + 1u);
}

#ifdef __cplusplus
}
#endif
#endif
