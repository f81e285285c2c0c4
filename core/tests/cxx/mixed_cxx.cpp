/*
 * mixed_cxx.cpp - the C++ half of the mixing test (mixed.h): the layout of
 * struct bipbuf must be C's, and a consumer compiled as C++ reads what a
 * producer compiled as C (mixed_c.c) writes into the same buffer, every
 * byte checked, at capacities that wrap often.
 *
 *     mixed_c_cxx [messages]
 */
#include "bipbuf.h"
#include "mixed.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <pthread.h>

namespace {

int check_layout() {
    std::size_t c[MIXED_LAYOUT_FIELDS];
    const std::size_t cxx[MIXED_LAYOUT_FIELDS] = {sizeof(bipbuf),          BIPBUF_ALIGN,
                                                  offsetof(bipbuf, write), offsetof(bipbuf, last),
                                                  offsetof(bipbuf, read),  offsetof(bipbuf, prod),
                                                  offsetof(bipbuf, cons)};
    static const char *const names[MIXED_LAYOUT_FIELDS] = {"size", "alignment", "write", "last",
                                                           "read", "prod",      "cons"};
    int bad = 0;
    mixed_c_layout(c);
    for (int i = 0; i < MIXED_LAYOUT_FIELDS; i++) {
        if (c[i] != cxx[i]) {
            std::fprintf(stderr, "mixed: %s is %zu in C, %zu in C++\n", names[i], c[i], cxx[i]);
            bad = 1;
        }
    }
    return bad;
}

/* The consumer, in C++; returns the number of bad messages. */
std::uint64_t consume(bipbuf *b, std::uint64_t messages) {
    const std::size_t max = bipbuf_max_reserve(b);
    std::uint64_t bad = 0;
    for (std::uint64_t i = 0; i < messages; i++) {
        std::size_t len = mixed_len(i, max);
        void *v = NULL;
        if (bipbuf_peek_wait(b, len, i % 3 ? 0 : len, &v) < len)
            return bad + messages - i;
        const unsigned char *p = static_cast<const unsigned char *>(v);
        for (std::size_t j = 0; j < len; j++)
            if (p[j] != mixed_byte(i, j)) {
                bad++;
                break;
            }
        if (bipbuf_consume(b, len) != 0)
            bad++;
    }
    return bad;
}

} // namespace

int main(int argc, char **argv) {
    std::uint64_t messages = argc > 1 ? std::strtoull(argv[1], NULL, 0) : 10000;
    const std::size_t caps[] = {7, 64, 4099};
    int failed = check_layout();
    for (std::size_t cap : caps) {
        bipbuf *b = NULL;
        pthread_t t;
        void *err = NULL;
        if (bipbuf_create(&b, cap) != 0)
            return 1;
        mixed_job job = {b, messages};
        if (pthread_create(&t, NULL, mixed_c_produce, &job) != 0)
            return 1;
        std::uint64_t bad = consume(b, messages);
        pthread_join(t, &err);
        if (bad != 0 || err != NULL) {
            std::fprintf(stderr, "mixed: capacity %zu: %llu bad messages%s%s\n", cap,
                         static_cast<unsigned long long>(bad), err ? "; producer: " : "",
                         err ? static_cast<const char *>(err) : "");
            failed = 1;
        }
        bipbuf_destroy(b);
    }
    std::printf("mixed: a C producer and a C++ consumer (%s), %llu messages at each of 3 "
                "capacities: %s\n",
                BIPBUF_VARIANT_NAME, static_cast<unsigned long long>(messages),
                failed ? "FAILED" : "passed");
    return failed;
}
