/*
 * bipbuf_relacy_wake.cpp - the sleeping waits' protocol (bipbuf/impl.h,
 * SLEEPING WAITS) on the core header itself, under Relacy's C++ memory
 * model: the real bipbuf_commit and bipbuf_consume with their wake checks
 * (W1, W2) and the real bipbuf__announce (S1, S2), with the waiting loops of
 * bipbuf.c written out below around them (bipbuf.c is C, not built here).
 *
 * A producer sends messages through a buffer too small to hold them all,
 * so that each side waits for the other; every wait that finds nothing
 * announces itself, looks again (S3), and then sleeps. A sleep is modelled
 * as futex_wait is: the thread blocks until its word is no longer 1 (the
 * waker's exchange to 0); it never times out. A lost wake-up (the sleeper
 * saw no data, the publisher saw no sleeper) leaves a thread blocked for
 * good, which Relacy reports as a deadlock or a livelock; a wrong byte
 * fails an assertion.
 *
 * The kernel's parts, as the model takes them:
 *   futex_wake / eventfd write  the waker's exchange of the word to 0
 *                               (BIPBUF__WAKE_SLEEPER below);
 *   membarrier (asym's S2)      a seq_cst fence in the sleeper, and the
 *                               publisher's compiler barrier (W1) a
 *                               seq_cst fence too: the barrier the call
 *                               forces on the publisher wherever it runs.
 *                               So asym is checked as the fence protocol
 *                               with that assumption, no further.
 * The control, BIPBUF_WAKE_NOFENCE (S2 and W1 left out), must be caught.
 *
 *     bipbuf_relacy_wake [iterations]
 */
#include <relacy/relacy.hpp>

/* The kernel's side, as above; before bipbuf.h, which uses them. */
#define BIPBUF__WAKE_SLEEPER(b, sleeps) ((void)(b), (void)(sleeps)->exchange(0, rl::mo_relaxed, $))
#define BIPBUF__HEAVY_FENCE()           (rl::atomic_thread_fence(rl::mo_seq_cst, $), 0)
#define BIPBUF__LIGHT_FENCE()           rl::atomic_thread_fence(rl::mo_seq_cst, $)

#include "bipbuf.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#ifndef BIPBUF_RELACY_EXPECT_FAIL
#    define BIPBUF_RELACY_EXPECT_FAIL 0
#endif
#if !BIPBUF__SLEEPS
#    error "bipbuf_relacy_wake checks a variant whose waits sleep"
#endif

namespace {

const size_t CAP = 4, LEN = 2, MESSAGES = 4;

struct wake_test : rl::test_suite<wake_test, 2> {
    bipbuf b;
    unsigned char storage[CAP];
    rl::var<unsigned char> shadow[CAP];

    void before() {
        std::memset(&b.prod, 0, sizeof b.prod);
        std::memset(&b.cons, 0, sizeof b.cons);
        b.prod.buf = b.cons.buf = storage;
        b.prod.cap = b.cons.cap = CAP;
        b.prod.max_reserve = CAP / 2;
        BIPBUF__AINIT(&b.write, 0);
        BIPBUF__AINIT(&b.last, 0);
        BIPBUF__AINIT(&b.read, 0);
        BIPBUF__AINIT(&b.cons_sleeps, 0);
        BIPBUF__AINIT(&b.prod_sleeps, 0);
        for (size_t i = 0; i < CAP; i++) {
            storage[i] = 0;
            shadow[i]($) = 0;
        }
    }

    /* futex_wait(word, 1) without a timeout: blocks while the word is 1. */
    static void sleep_on(bipbuf__atomic_u32 *word) {
        while (word->load(rl::mo_relaxed, $) == 1)
            rl::yield(1, $);
    }

    void thread(unsigned index) {
        if (index == 0)
            producer();
        else
            consumer();
    }

    void producer() {
        for (size_t m = 0; m < MESSAGES; m++) {
            void *p = NULL;
            int rc;
            /* bipbuf.c's producer wait with a spin budget of 0. */
            while ((rc = bipbuf_try_reserve(&b, LEN, &p)) == -EAGAIN) {
                RL_ASSERT(bipbuf__announce(&b.prod_sleeps, 0) == 0);
                rc = bipbuf_try_reserve(&b, LEN, &p); /* S3 */
                if (rc != -EAGAIN) {
                    BIPBUF__ASTORE(&b.prod_sleeps, 0, BIPBUF__MO_RELAXED);
                    break;
                }
                sleep_on(&b.prod_sleeps);
            }
            RL_ASSERT(rc == 0);
            size_t off = (size_t)((unsigned char *)p - storage);
            for (size_t k = 0; k < LEN; k++) {
                shadow[off + k]($) = (unsigned char)(m + 1);
                storage[off + k] = (unsigned char)(m + 1);
            }
            RL_ASSERT(bipbuf_commit(&b, LEN) == 0); /* W1, W2 */
        }
    }

    void consumer() {
        for (size_t m = 0; m < MESSAGES; m++) {
            void *p = NULL;
            size_t n;
            /* bipbuf.c's consumer wait with a spin budget of 0. */
            while ((n = bipbuf_peek(&b, LEN, &p)) < LEN) {
                RL_ASSERT(bipbuf__announce(&b.cons_sleeps, 0) == 0);
                n = bipbuf_peek(&b, LEN, &p); /* S3 */
                if (n >= LEN) {
                    BIPBUF__ASTORE(&b.cons_sleeps, 0, BIPBUF__MO_RELAXED);
                    break;
                }
                sleep_on(&b.cons_sleeps);
            }
            size_t off = (size_t)((unsigned char *)p - storage);
            for (size_t k = 0; k < LEN; k++) {
                RL_ASSERT(shadow[off + k]($) == (unsigned char)(m + 1));
                RL_ASSERT(storage[off + k] == (unsigned char)(m + 1));
            }
            RL_ASSERT(bipbuf_consume(&b, LEN) == 0); /* W1, W2 */
        }
    }
};

} // namespace

int main(int argc, char **argv) {
    rl::iteration_t iterations = argc > 1 ? std::strtoull(argv[1], NULL, 10) : 20000;
    if (iterations == 0) {
        std::fprintf(stderr, "usage: %s [iterations]\n", argv[0]);
        return 2;
    }
    rl::test_params p;
    p.iteration_count = iterations;
    p.search_type = rl::sched_random;
    p.output_stream = &std::cout;
    p.progress_stream = &std::cout;
    rl::simulate<wake_test>(p);
    std::cout.flush();
    std::printf("relacy wake %s: %s after %llu random executions\n", BIPBUF_VARIANT_NAME,
                rl::test_result_str(p.test_result), (unsigned long long)p.stop_iteration);
    if (BIPBUF_RELACY_EXPECT_FAIL) {
        /* Only a blocked thread counts: a lost wake-up. */
        bool caught =
            p.test_result == rl::test_result_deadlock || p.test_result == rl::test_result_livelock;
        std::printf("relacy wake: %s: %s\n", BIPBUF_VARIANT_NAME,
                    caught ? "the lost wake-up was caught (as it must be)" : "NOT DETECTED");
        return caught ? 0 : 1;
    }
    return p.test_result == rl::test_result_success ? 0 : 1;
}
