/*
 * bipbuf_relacy.cpp - the core header itself, compiled as C++ over Relacy's
 * atomics (relacy_atomics.h), run by Relacy's scheduler under the C++
 * memory model: a producer sends a fixed script of messages (some
 * truncated, some cancelled, with wraps), a consumer peeks and consumes
 * them in varying amounts.
 *
 * Relacy sees only its own types, so every payload byte is mirrored in an
 * rl::var<unsigned char> cell of the same offset, written by the producer
 * where it writes the byte and read by the consumer where it reads it. If
 * the protocol's ordering did not make the producer's writes happen before
 * the consumer's reads (and those reads before the producer reuses the
 * bytes), Relacy reports a data race on those cells; a wrong value (a lost,
 * stale or duplicated byte) fails an assertion.
 *
 * Build with the variant's -D flags (BIPBUF_CACHED, BIPBUF_PAD,
 * BIPBUF_ORDER) and -DBIPBUF_ATOMICS_HEADER='"relacy_atomics.h"'. Options:
 *   BIPBUF_RELACY_EXPECT_FAIL=1  pass only if Relacy finds a race or a
 *                                failed assertion (negative controls);
 *   BIPBUF_RELACY_MUTATION=1     `last` stored after the release of write;
 *   BIPBUF_RELACY_MUTATION=2     `last` loaded before write is acquired;
 *   BIPBUF_RELACY_MUTATION=3     the consumer's store of read relaxed (C2
 *                                no longer licenses the producer's reuse);
 *   BIPBUF_RELACY_MUTATION=4     (a batched variant) the consumer stores read
 *                                only at K bytes held back, never before it
 *                                waits: the two sides wait on each other,
 *                                which Relacy reports as a livelock.
 * The mutations are copies of bipbuf_commit, bipbuf_peek and
 * bipbuf_consume below, changed in just that; the unmutated build runs the
 * header's own functions. Batched variants (-batchK) run the same scripts:
 * their deferred stores of read must still order the consumer's reads of
 * the bytes before the producer's reuse of them.
 *
 *     bipbuf_relacy [iterations [bound]]
 * Random scheduler, `iterations` runs per script (default 20000); with
 * `bound`, Relacy's context-bound systematic search instead (bound 2; far
 * slower, for a deeper look by hand).
 */
#include "bipbuf.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#ifndef BIPBUF_RELACY_EXPECT_FAIL
#    define BIPBUF_RELACY_EXPECT_FAIL 0
#endif
#ifndef BIPBUF_RELACY_MUTATION
#    define BIPBUF_RELACY_MUTATION 0
#endif

#if BIPBUF_RELACY_MUTATION == 1
#    define BUILD_NAME BIPBUF_VARIANT_NAME " with last stored after write (mutation)"
#elif BIPBUF_RELACY_MUTATION == 2
#    define BUILD_NAME BIPBUF_VARIANT_NAME " with last loaded before write (mutation)"
#elif BIPBUF_RELACY_MUTATION == 3
#    define BUILD_NAME BIPBUF_VARIANT_NAME " with read stored relaxed (mutation)"
#elif BIPBUF_RELACY_MUTATION == 4
#    define BUILD_NAME BIPBUF_VARIANT_NAME " storing read only at K bytes (mutation)"
#    if BIPBUF__PUBLISH == 0
#        error "mutation 4 is of a batched variant"
#    endif
#else
#    define BUILD_NAME BIPBUF_VARIANT_NAME
#endif

namespace {

#if BIPBUF_RELACY_MUTATION == 1
/* bipbuf_commit with `last` stored after P2: a consumer that sees the
 * wrapped write can still load the previous lap's last. */
int commit(bipbuf *b, size_t len) {
    size_t start = b->prod.resv_start, old = b->prod.write, w;
    if (b->prod.resv_len == 0 || len > b->prod.resv_len)
        return -EINVAL;
    b->prod.resv_len = 0;
    if (len == 0)
        return 0;
    w = start + len;
    b->prod.write = w;
    BIPBUF__STORE_PUB(&b->write, w); /* MUTATION: before last */
    if (start != old) {
        b->prod.last = old;
        BIPBUF__STORE_PRE(&b->last, old);
    }
    if (w > b->prod.last) {
        b->prod.last = w;
        BIPBUF__STORE_PRE(&b->last, w);
    }
    return 0;
}
#else
int commit(bipbuf *b, size_t len) {
    return bipbuf_commit(b, len);
}
#endif

#if BIPBUF_RELACY_MUTATION == 4
/* bipbuf_peek of a batched variant that never stores what consume held
 * back, not even when it shows nothing. */
size_t peek(bipbuf *b, size_t want, void **data) {
    size_t n = bipbuf__readable(b);
    if (!BIPBUF_CACHED || n <= want - 1) {
        b->cons.write = BIPBUF__LOAD_PEER(&b->write);
        if (b->cons.write < b->cons.read)
            b->cons.last = BIPBUF__LOAD_PEER(&b->last);
        n = bipbuf__readable(b); /* MUTATION: no (c) */
    }
    b->cons.shown = n;
    *data = n ? (void *)(b->cons.buf + b->cons.read) : NULL;
    return n;
}
#elif BIPBUF_RELACY_MUTATION == 2
/* bipbuf_peek loading last before write: nothing orders that load after
 * the store of last that the write it is paired with publishes. */
size_t peek(bipbuf *b, size_t want, void **data) {
    size_t n = BIPBUF_CACHED ? bipbuf__readable(b) : 0;
    if (!BIPBUF_CACHED || n < want) {
        size_t l = BIPBUF__LOAD_PEER(&b->last); /* MUTATION: before write */
        b->cons.write = BIPBUF__LOAD_PEER(&b->write);
        if (b->cons.write < b->cons.read)
            b->cons.last = l;
        n = bipbuf__readable(b);
    }
    b->cons.shown = n;
    *data = n ? (void *)(b->cons.buf + b->cons.read) : NULL;
    return n;
}
#else
size_t peek(bipbuf *b, size_t want, void **data) {
    return bipbuf_peek(b, want, data);
}
#endif

#if BIPBUF_RELACY_MUTATION == 3
/* bipbuf_consume with C2 relaxed: the producer may see the new read before
 * the consumer's reads of the bytes it releases happen-before its writes. */
int consume(bipbuf *b, size_t len) {
    if (len > b->cons.shown)
        return -EINVAL;
    if (len == 0)
        return 0;
    b->cons.shown -= len;
    b->cons.read += len;
    BIPBUF__ASTORE(&b->read, b->cons.read, BIPBUF__MO_RELAXED); /* MUTATION */
    return 0;
}
#elif BIPBUF_RELACY_MUTATION == 4
/* bipbuf_consume of a batched variant storing read at K bytes held back
 * only, not at the end of what peek showed. */
int consume(bipbuf *b, size_t len) {
    if (len > b->cons.shown)
        return -EINVAL;
    if (len == 0)
        return 0;
    b->cons.shown -= len;
    b->cons.read += len;
    b->cons.held += len;
    if (b->cons.held < BIPBUF__PUBLISH) /* MUTATION: no (b) */
        return 0;
    b->cons.held = 0;
    BIPBUF__STORE_PUB(&b->read, b->cons.read);
    return 0;
}
#else
int consume(bipbuf *b, size_t len) {
    return bipbuf_consume(b, len);
}
#endif

struct message {
    size_t len;  /* reserved */
    size_t keep; /* committed: len, fewer (truncate) or 0 (cancel) */
};

/* Scripts: several laps, each wrap leaving a different watermark, with
 * truncations and cancels on the way. */
struct script {
    const char *name;
    size_t cap;
    const message *msgs;
    size_t count;
};
const message script6[] = {{3, 3}, {3, 3}, {3, 3}, {2, 2}, {3, 2}, {1, 0}, {3, 3}, {2, 2}, {3, 3}};
const message script7[] = {{3, 3}, {2, 2}, {3, 1}, {3, 3}, {2, 0}, {3, 3}, {1, 1}, {3, 3}, {2, 2}};
const message script4[] = {{2, 2}, {2, 1}, {1, 1}, {2, 2}, {2, 2}, {1, 0}, {2, 2}, {1, 1}, {2, 2}};
const script scripts[] = {
    {"cap6", 6, script6, sizeof script6 / sizeof script6[0]},
    {"cap7", 7, script7, sizeof script7 / sizeof script7[0]},
    {"cap4", 4, script4, sizeof script4 / sizeof script4[0]},
};

const size_t MAX_CAP = 8;

template <int S> struct bip_test : rl::test_suite<bip_test<S>, 2> {
    bipbuf b;
    unsigned char storage[MAX_CAP];
    rl::var<unsigned char> shadow[MAX_CAP]; /* Relacy's view of storage[] */

    void before() {
        const script &s = scripts[S];
        /* What bipbuf_init does, without its memset over Relacy's atomics
         * (bipbuf.c is C and is not built here). */
        std::memset(&b.prod, 0, sizeof b.prod);
        std::memset(&b.cons, 0, sizeof b.cons);
        b.prod.buf = b.cons.buf = storage;
        b.prod.cap = b.cons.cap = s.cap;
        b.prod.max_reserve = s.cap / 2;
        BIPBUF__AINIT(&b.write, 0);
        BIPBUF__AINIT(&b.last, 0);
        BIPBUF__AINIT(&b.read, 0);
        for (size_t i = 0; i < MAX_CAP; i++) {
            storage[i] = 0;
            shadow[i]($) = 0;
        }
    }

    void thread(unsigned index) {
        if (index == 0)
            producer();
        else
            consumer();
    }

    void producer() {
        const script &s = scripts[S];
        unsigned char seq = 1; /* byte values: the stream's byte numbers */
        for (size_t m = 0; m < s.count; m++) {
            void *p = NULL;
            int rc;
            while ((rc = bipbuf_try_reserve(&b, s.msgs[m].len, &p)) == -EAGAIN)
                rl::yield(1, $);
            RL_ASSERT(rc == 0);
            size_t off = (size_t)((unsigned char *)p - storage);
            RL_ASSERT(off + s.msgs[m].len <= s.cap);
            for (size_t k = 0; k < s.msgs[m].len; k++) {
                shadow[off + k]($) = (unsigned char)(seq + k);
                storage[off + k] = (unsigned char)(seq + k);
            }
            RL_ASSERT(commit(&b, s.msgs[m].keep) == 0);
            seq = (unsigned char)(seq + s.msgs[m].keep);
        }
    }

    void consumer() {
        const script &s = scripts[S];
        static const size_t wants[] = {1, 2, (size_t)-1, 1};
        size_t total = 0, got = 0;
        unsigned char expect = 1;
        unsigned step = 0;
        for (size_t m = 0; m < s.count; m++)
            total += s.msgs[m].keep;
        while (got < total) {
            void *p = NULL;
            size_t n = peek(&b, wants[step % 4], &p);
            if (n == 0) {
                rl::yield(1, $);
                continue;
            }
            size_t off = (size_t)((unsigned char *)p - storage);
            RL_ASSERT(off + n <= s.cap);
            size_t take = step % 3 == 0 ? n : step % 3 == 1 ? 1 : (n < 2 ? n : 2);
            step++;
            for (size_t k = 0; k < take; k++) {
                unsigned char v = shadow[off + k]($);
                RL_ASSERT(v == expect);
                RL_ASSERT(storage[off + k] == expect);
                expect++;
            }
            RL_ASSERT(consume(&b, take) == 0);
            got += take;
        }
    }
};

/* Runs one script; returns Relacy's verdict and prints a line about it.
 * Relacy prints the failing execution's history to stdout itself (it must
 * be a stream that allocates outside the simulation, such as std::cout). */
template <int S> rl::test_result_e run(rl::iteration_t iterations, bool bound) {
    rl::test_params p;
    p.iteration_count = iterations;
    p.search_type = bound ? rl::sched_bound : rl::sched_random;
    p.context_bound = 2;
    p.output_stream = &std::cout;
    p.progress_stream = &std::cout;
    rl::simulate<bip_test<S>>(p);
    std::cout.flush();
    std::printf("relacy %s %s: %s after %llu %s\n", BUILD_NAME, scripts[S].name,
                rl::test_result_str(p.test_result), (unsigned long long)p.stop_iteration,
                bound ? "context-bound executions" : "random executions");
    std::fflush(stdout);
    return p.test_result;
}

} // namespace

int main(int argc, char **argv) {
    rl::iteration_t iterations = argc > 1 ? std::strtoull(argv[1], NULL, 10) : 20000;
    bool bound = argc > 2 && std::strcmp(argv[2], "bound") == 0;
    if (iterations == 0) {
        std::fprintf(stderr, "usage: %s [iterations [bound]]\n", argv[0]);
        return 2;
    }
    const bool expect_fail = BIPBUF_RELACY_EXPECT_FAIL;
    rl::test_result_e r[] = {run<0>(iterations, bound), run<1>(iterations, bound),
                             run<2>(iterations, bound)};
    int failures = 0, caught = 0;
    for (rl::test_result_e x : r) {
        failures += x != rl::test_result_success;
        /* Mutation 4 breaks liveness, not ordering: two sides that spin on
         * each other forever, which Relacy calls a livelock. */
        if (BIPBUF_RELACY_MUTATION == 4)
            caught += x == rl::test_result_livelock;
        else
            caught += x == rl::test_result_data_race || x == rl::test_result_user_assert_failed;
    }
    if (expect_fail) {
        /* Only a race or a wrong byte (mutation 4: a livelock) counts as
         * catching the broken build. */
        std::printf("relacy: %s: %d of 3 scripts caught the broken build%s\n", BUILD_NAME, caught,
                    caught ? " (as it must)" : ": NOT DETECTED");
        return caught ? 0 : 1;
    }
    std::printf("relacy: %s: %d of 3 scripts failed\n", BUILD_NAME, failures);
    return failures ? 1 : 0;
}
