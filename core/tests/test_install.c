/*
 * test_install.c - a user's first program against the installed package.
 *
 * Built by the `install` test twice, against a temporary prefix: once with
 * the flags from `pkg-config bipbuf`, once through find_package(bipbuf). It
 * needs nothing but the installed header and library (check.h is found next
 * to this file).
 */
#define _POSIX_C_SOURCE 200809L /* check.h uses sigaction */
#include <bipbuf.h>

#include "check.h"

int main(void) {
    bipbuf *b;
    void *p;
    CHECK_INT(bipbuf_create(&b, 100), ==, 0);
    CHECK_SIZE(bipbuf_capacity(b), ==, 100);
    CHECK_SIZE(bipbuf_max_reserve(b), ==, 50);
    CHECK_INT(bipbuf_reserve(b, 5, &p), ==, 0);
    memcpy(p, "hello", 5);
    CHECK_INT(bipbuf_commit(b, 5), ==, 0);
    CHECK_SIZE(bipbuf_peek(b, 5, &p), ==, 5);
    CHECK(memcmp(p, "hello", 5) == 0);
    CHECK_INT(bipbuf_consume(b, 5), ==, 0);
    bipbuf_destroy(b);
    printf("installed bipbuf (%s): ", BIPBUF_VARIANT_NAME);
    return check_summary();
}
