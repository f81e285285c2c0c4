/*
 * test_cxx.cpp - <bipbuf.h> compiled as C++: every function once, want 0,
 * BIPBUF_ALIGN and bipbuf_init's alignment check, the layout, and two
 * threads (std::thread) passing messages with every byte checked.
 *
 * Built by CMake with the project's C++ compiler for the default variant
 * and for every variant (-DBIPBUF_CACHED/PAD/ORDER), and by
 * run_compilers.cmake with g++ and clang++ at -std=c++11 and -std=c++20,
 * -Wall -Wextra -Wpedantic -Werror. With TEST_CXX_EXTERN_C=1 the header is
 * included inside extern "C" { }, as C headers often are.
 *
 *     test_cxx [messages]
 */
#if TEST_CXX_EXTERN_C
extern "C" {
#    include <bipbuf.h>
}
#else
#    include <bipbuf.h>
#endif

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <type_traits>

static_assert(std::is_standard_layout<bipbuf>::value, "bipbuf is standard-layout, as in C");
static_assert(BIPBUF_ALIGN == alignof(bipbuf), "BIPBUF_ALIGN is bipbuf's alignment");
#if BIPBUF_PAD
static_assert(BIPBUF_ALIGN == BIPBUF_PAD, "a padded variant is aligned to its pad");
#endif

namespace {

int failures;

#define EXPECT(c)                                                                                  \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            std::fprintf(stderr, "test_cxx [%s] line %d: failed: %s\n", BIPBUF_VARIANT_NAME,       \
                         __LINE__, #c);                                                            \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

unsigned char byte_at(std::uint64_t msg, std::size_t j) {
    return static_cast<unsigned char>(msg * 131u + j * 7u + 1u);
}

void put(bipbuf *b, std::size_t len, unsigned char v) {
    void *p = NULL;
    EXPECT(bipbuf_try_reserve(b, len, &p) == 0);
    if (p != NULL) {
        std::memset(p, v, len);
        EXPECT(bipbuf_commit(b, len) == 0);
    }
}

void test_api() {
    bipbuf *b = NULL;
    void *p = NULL;
    EXPECT(bipbuf_create(NULL, 16) == -EINVAL);
    EXPECT(bipbuf_create(&b, 1) == -EINVAL);
    EXPECT(bipbuf_create(&b, 16) == 0);
    if (b == NULL)
        return;
    EXPECT(reinterpret_cast<std::uintptr_t>(b) % BIPBUF_ALIGN == 0);
    EXPECT(bipbuf_capacity(b) == 16);
    EXPECT(bipbuf_max_reserve(b) == 8);
    EXPECT(bipbuf_try_reserve(b, 9, &p) == -EINVAL);
    EXPECT(bipbuf_try_reserve(b, 0, &p) == -EINVAL);
    EXPECT(bipbuf_reserve(b, 5, &p) == 0);
    EXPECT(bipbuf_try_reserve(b, 1, &p) == -EBUSY);
    std::memcpy(p, "hello", 5);
    EXPECT(bipbuf_commit(b, 6) == -EINVAL);
    EXPECT(bipbuf_commit(b, 5) == 0);
    EXPECT(bipbuf_peek(b, 1, &p) == 5);
    EXPECT(p != NULL && std::memcmp(p, "hello", 5) == 0);
    EXPECT(bipbuf_consume(b, 6) == -EINVAL);
    EXPECT(bipbuf_consume(b, 5) == 0);
    EXPECT(bipbuf_peek(b, 1, &p) == 0);
    EXPECT(p == NULL);
    /* A wrap: [5, 13) then 4 bytes at 0. */
    put(b, 8, 1);
    EXPECT(bipbuf_peek_wait(b, 8, 0, &p) == 8);
    EXPECT(bipbuf_consume(b, 8) == 0);
    put(b, 3, 2);
    put(b, 4, 3);
    EXPECT(bipbuf_peek(b, 1, &p) == 3);
    EXPECT(bipbuf_consume(b, 3) == 0);
    EXPECT(bipbuf_peek(b, 1, &p) == 4);
    EXPECT(p != NULL && *static_cast<unsigned char *>(p) == 3);
    EXPECT(bipbuf_consume(b, 4) == 0);
    bipbuf_relax();
    bipbuf_destroy(b);
}

/* want 0: a fresh view from bipbuf_peek, a wait for one byte from
 * bipbuf_peek_wait, on every variant (bipbuf.h). */
void test_want_zero() {
    bipbuf *b = NULL;
    void *p = NULL;
    EXPECT(bipbuf_create(&b, 64) == 0);
    if (b == NULL)
        return;
    EXPECT(bipbuf_peek(b, 0, &p) == 0);
    put(b, 5, 1);
    EXPECT(bipbuf_peek(b, 5, &p) == 5);
    EXPECT(bipbuf_consume(b, 5) == 0); /* the view shows nothing now */
    put(b, 3, 2);
    EXPECT(bipbuf_peek(b, 0, &p) == 3);
    put(b, 4, 3);
    EXPECT(bipbuf_peek(b, 0, &p) == 7);
    EXPECT(bipbuf_consume(b, 7) == 0);
    std::thread later([b] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        put(b, 2, 9);
    });
    std::size_t n = bipbuf_peek_wait(b, 0, 0, &p);
    later.join();
    EXPECT(n >= 1);
    EXPECT(p != NULL && *static_cast<unsigned char *>(p) == 9);
    bipbuf_destroy(b);
}

/* A bipbuf must be aligned to BIPBUF_ALIGN; init refuses one that is not
 * and writes nothing. */
void test_alignment() {
    alignas(BIPBUF_ALIGN) static unsigned char raw[2 * sizeof(bipbuf)];
    static bipbuf placed;
    unsigned char s[32];
    for (std::size_t off = 1; off < BIPBUF_ALIGN; off++) {
        std::memset(raw, 0xa5, sizeof raw);
        bipbuf *b = reinterpret_cast<bipbuf *>(raw + off);
        EXPECT(bipbuf_init(b, s, sizeof s) == -EINVAL);
        std::size_t i = 0;
        while (i < sizeof raw && raw[i] == 0xa5)
            i++;
        EXPECT(i == sizeof raw);
    }
    EXPECT(bipbuf_init(reinterpret_cast<bipbuf *>(raw), s, sizeof s) == 0);
    EXPECT(bipbuf_init(&placed, s + 1, sizeof s - 1) == 0);
    EXPECT(bipbuf_capacity(&placed) == sizeof s - 1);
}

/* Two threads, messages of every length up to max_reserve, every byte
 * checked. */
void test_threads(std::size_t cap, std::uint64_t messages) {
    bipbuf *b = NULL;
    EXPECT(bipbuf_create(&b, cap) == 0);
    if (b == NULL)
        return;
    const std::size_t max = bipbuf_max_reserve(b);
    std::thread producer([b, max, messages] {
        for (std::uint64_t i = 0; i < messages; i++) {
            std::size_t len = 1 + static_cast<std::size_t>(i * 2654435761u % max);
            void *v = NULL;
            if (bipbuf_reserve(b, len, &v) != 0)
                std::abort();
            unsigned char *p = static_cast<unsigned char *>(v);
            for (std::size_t j = 0; j < len; j++)
                p[j] = byte_at(i, j);
            bipbuf_commit(b, len);
        }
    });
    std::uint64_t bad = 0;
    for (std::uint64_t i = 0; i < messages; i++) {
        std::size_t len = 1 + static_cast<std::size_t>(i * 2654435761u % max);
        void *v = NULL;
        std::size_t n = bipbuf_peek_wait(b, len, i % 2 ? 0 : len, &v);
        if (n < len) {
            bad++;
            break;
        }
        const unsigned char *p = static_cast<const unsigned char *>(v);
        for (std::size_t j = 0; j < len; j++)
            bad += p[j] != byte_at(i, j);
        if (bipbuf_consume(b, len) != 0)
            bad++;
    }
    producer.join();
    EXPECT(bad == 0);
    bipbuf_destroy(b);
}

} // namespace

int main(int argc, char **argv) {
    std::uint64_t messages = argc > 1 ? std::strtoull(argv[1], NULL, 0) : 2000;
    test_api();
    test_want_zero();
    test_alignment();
    test_threads(7, messages);
    test_threads(300, messages);
    std::printf("test_cxx %s, C++ %ld: %s\n", BIPBUF_VARIANT_NAME, static_cast<long>(__cplusplus),
                failures ? "FAILED" : "passed");
    return failures ? 1 : 0;
}
