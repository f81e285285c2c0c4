/*
 * test_install_variant.c - one translation unit per variant for the
 * `install` test's second consumer: built twice against the installed
 * package, each time with another variant's -DBIPBUF_CACHED, -DBIPBUF_PAD
 * and -DBIPBUF_ORDER, and linked with test_install_variants.c and
 * libbipbuf_variants into one program. The function it defines is named
 * after its variant, like the library's functions, so both builds link.
 */
#include <bipbuf.h>

#ifndef BIPBUF_VARIANT_SELECTED
#    error "build with a variant's -DBIPBUF_CACHED, -DBIPBUF_PAD and -DBIPBUF_ORDER"
#endif

#define EXERCISE BIPBUF_CONCAT(install_exercise_, BIPBUF_VARIANT_ID)
#define FAIL     (-__LINE__)

/* Message i: a length byte, then len - 1 bytes of (i + k). */
static size_t msg_len(unsigned i) {
    return 2 + i * 7 % 19;
}

/*
 * Sets *name and *align to the variant's name and the buffer's alignment,
 * passes messages through a buffer of this variant, a few rounds of filling
 * it up and draining it, and returns the number of messages checked, or
 * minus the line of the first check that failed.
 */
int EXERCISE(const char **name, size_t *align);

int EXERCISE(const char **name, size_t *align) {
    static unsigned char storage[64];
    bipbuf on_stack, *heap;
    unsigned sent = 0, got = 0;
    void *p;

    *name = BIPBUF_VARIANT_NAME;
    *align = _Alignof(bipbuf);

    if (bipbuf_init(&on_stack, storage, sizeof storage) != 0)
        return FAIL;
    if (bipbuf_capacity(&on_stack) != sizeof storage || bipbuf_max_reserve(&on_stack) != 32)
        return FAIL;
    for (int round = 0; round < 20; round++) {
        /* Fill until there is no room, then drain it all. */
        for (;;) {
            size_t len = msg_len(sent);
            int rc = bipbuf_try_reserve(&on_stack, len, &p);
            if (rc == -EAGAIN)
                break;
            if (rc != 0)
                return FAIL;
            unsigned char *m = p;
            m[0] = (unsigned char)len;
            for (size_t k = 1; k < len; k++)
                m[k] = (unsigned char)(sent + k);
            if (bipbuf_commit(&on_stack, len) != 0)
                return FAIL;
            sent++;
        }
        for (;;) {
            size_t n = bipbuf_peek(&on_stack, 1, &p);
            if (n == 0)
                break;
            const unsigned char *m = p;
            size_t len = msg_len(got);
            if (m[0] != len || n < len)
                return FAIL;
            for (size_t k = 1; k < len; k++)
                if (m[k] != (unsigned char)(got + k))
                    return FAIL;
            if (bipbuf_consume(&on_stack, len) != 0)
                return FAIL;
            got++;
        }
        if (got != sent)
            return FAIL;
    }

    /* The allocating set-up and the waiting calls. */
    if (bipbuf_create(&heap, 100) != 0)
        return FAIL;
    if (bipbuf_reserve(heap, 5, &p) != 0)
        return FAIL;
    for (int k = 0; k < 5; k++)
        ((unsigned char *)p)[k] = (unsigned char)("hello"[k]);
    if (bipbuf_commit(heap, 5) != 0 || bipbuf_peek_wait(heap, 5, 0, &p) != 5)
        return FAIL;
    for (int k = 0; k < 5; k++)
        if (((unsigned char *)p)[k] != (unsigned char)("hello"[k]))
            return FAIL;
    if (bipbuf_consume(heap, 5) != 0)
        return FAIL;
    bipbuf_destroy(heap);
    return (int)got + 1;
}
