/*
 * test_install_variants.c - the `install` test's second consumer: two
 * variants side by side in one program, against the installed
 * libbipbuf_variants. test_install_variant.c, compiled once for each of the
 * two variants below, does the work; this unit selects no variant.
 */
#define _POSIX_C_SOURCE 200809L /* check.h uses sigaction */
#include <bipbuf_variants.h>
#include <stddef.h>

#include "check.h"

int install_exercise_cached_pad128_acqrel(const char **name, size_t *align);
int install_exercise_uncached_pad64_acqrel(const char **name, size_t *align);

/* Is `name` in the installed list of variants? */
static int listed(const char *name) {
#define X(id, vname, cached, pad, order, publish, wake)                                            \
    if (strcmp(name, vname) == 0)                                                                  \
        return 1;
    BIPBUF_FOR_EACH_VARIANT(X)
#undef X
    return 0;
}

int main(void) {
    const char *name_a = "", *name_b = "";
    size_t align_a = 0, align_b = 0;
    /* > 0: messages checked; < 0: minus the line in test_install_variant.c
     * of the check that failed. */
    CHECK_INT(install_exercise_cached_pad128_acqrel(&name_a, &align_a), >, 0);
    CHECK_INT(install_exercise_uncached_pad64_acqrel(&name_b, &align_b), >, 0);
    CHECK(strcmp(name_a, "cached-pad128-acqrel") == 0);
    CHECK(strcmp(name_b, "uncached-pad64-acqrel") == 0);
    CHECK(strcmp(name_a, name_b) != 0);
    CHECK(listed(name_a));
    CHECK(listed(name_b));
    CHECK_SIZE(align_a, ==, 128);
    CHECK_SIZE(align_b, ==, 64);
    printf("installed bipbuf variants (%s, %s): ", name_a, name_b);
    return check_summary();
}
