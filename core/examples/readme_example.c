/*
 * readme_example.c - the README's example: the Rust crate's README example,
 * in C. A producer thread sends 128 eight-byte messages through a 256-byte
 * bip buffer; the consumer checks each one. Built and run as a test, as C
 * and as C++.
 */
#include <bipbuf.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Returns NULL, or what went wrong. */
static void *sender(void *arg) {
    bipbuf *b = (bipbuf *)arg;
    for (int i = 0; i < 128; i++) {
        const unsigned char msg[8] = {10, 11, 12, 13, 14, 15, 16, (unsigned char)i};
        void *p;
        if (bipbuf_reserve(b, 8, &p) != 0) /* waits for 8 contiguous bytes */
            return (void *)"reserve failed";
        memcpy(p, msg, 8);
        bipbuf_commit(b, 8); /* publish them */
    }
    return NULL;
}

int main(void) {
    bipbuf *b;
    pthread_t t;
    if (bipbuf_create(&b, 256) != 0)
        return 1;
    pthread_create(&t, NULL, sender, b);
    for (int i = 0; i < 128; i++) {
        const unsigned char want[8] = {10, 11, 12, 13, 14, 15, 16, (unsigned char)i};
        void *p;
        bipbuf_peek_wait(b, 8, 0, &p); /* waits until 8 bytes are readable */
        if (memcmp(p, want, 8) != 0) {
            fprintf(stderr, "message %d is wrong\n", i);
            return 1;
        }
        bipbuf_consume(b, 8);
    }
    void *err;
    pthread_join(t, &err);
    bipbuf_destroy(b);
    if (err != NULL) {
        fprintf(stderr, "%s\n", (const char *)err);
        return 1;
    }
    puts("128 messages received in order");
    return 0;
}
