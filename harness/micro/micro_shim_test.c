/*
 * micro_shim_test.c - every function of gbench_shim.h, used once, with the
 * values it should produce checked: in the benchmark bodies here (the exit
 * status) and in the JSON report by the CTest test that runs this program
 * (harness/micro/CMakeLists.txt: names, counters, label, manual time, the
 * error).
 *
 *   micro_shim_test --benchmark_format=json --benchmark_min_time=0.001
 */
#include "gbench_shim.h"

#include <stdio.h>
#include <stdlib.h>

static int failures;

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "micro_shim_test:%d: expected %s\n", __LINE__, #cond);                 \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* Arguments, their names, counters of each kind, a label, pause/resume. */
static void bm_args(gb_state *st, void *user) {
    int *tag = user;
    EXPECT(*tag == 42);
    EXPECT(gb_range(st, 0) == 3 && gb_range(st, 1) == 5);
    EXPECT(gb_max_iterations(st) == 10);
    while (gb_keep_running(st)) {
        gb_pause_timing(st);
        gb_resume_timing(st);
    }
    EXPECT(gb_iterations(st) == 10);
    gb_set_items_processed(st, 10);
    gb_set_bytes_processed(st, 1000);
    gb_set_counter(st, "plain", 7, GB_COUNTER_DEFAULT, 0);
    gb_set_counter(st, "per_iter", 50, GB_COUNTER_AVG_ITERATIONS, 0);
    gb_set_counter(st, "inv", 4, GB_COUNTER_INVERT, 1);
    gb_set_counter(st, "rate", 1, GB_COUNTER_RATE | GB_COUNTER_ITERATION_INVARIANT, 0);
    gb_set_label(st, "shim-label");
}

/* Ranges and dense ranges only need to produce the right runs. */
static void bm_count(gb_state *st, void *user) {
    int64_t sink = 0;
    (void)user;
    while (gb_keep_running(st)) {
        sink += gb_range(st, 0);
        gb_do_not_optimize(&sink);
    }
}

/* Manual time: 4 iterations of 0.25 s each report 250 ms per iteration. */
static void bm_manual(gb_state *st, void *user) {
    (void)user;
    while (gb_keep_running(st))
        gb_set_iteration_time(st, 0.25);
}

/* A batch of 7 against 10 iterations runs two batches: 14. */
static void bm_batch(gb_state *st, void *user) {
    int batches = 0;
    (void)user;
    while (gb_keep_running_batch(st, 7))
        batches++;
    EXPECT(batches == 2);
    EXPECT(gb_iterations(st) == 14);
}

static void bm_skip(gb_state *st, void *user) {
    (void)user;
    EXPECT(!gb_error_occurred(st));
    gb_skip_with_error(st, "skipped on purpose");
    EXPECT(gb_error_occurred(st));
    EXPECT(!gb_keep_running(st));
}

int main(int argc, char **argv) {
    static int tag = 42;
    static const int64_t args[] = {3, 5};
    static const char *const names[] = {"a", "b"};
    static const int64_t lo_hi[][2] = {{1, 4}, {8, 8}};
    gb_benchmark *b;
    int rc;

    b = gb_register("shim/args", bm_args, &tag);
    gb_bench_arg_names(gb_bench_args(b, args, 2), names, 2);
    gb_bench_iterations(gb_bench_unit(b, GB_MICROSECOND), 10);

    b = gb_register("shim/ranges", bm_count, NULL);
    gb_bench_ranges(gb_bench_range_multiplier(b, 2), lo_hi, 2);       /* 1/8 2/8 4/8 */
    gb_bench_range(gb_register("shim/range", bm_count, NULL), 8, 64); /* 8 64 */
    b = gb_bench_arg_name(gb_register("shim/dense", bm_count, NULL), "n");
    gb_bench_use_real_time(gb_bench_dense_range(b, 1, 3, 1)); /* n:1 n:2 n:3 */
    gb_bench_repetitions(gb_bench_min_time(gb_bench_arg(b, 9), 0.001), 2);

    b = gb_bench_use_manual_time(gb_register("shim/manual", bm_manual, NULL));
    gb_bench_iterations(gb_bench_unit(b, GB_MILLISECOND), 4);
    gb_bench_unit(gb_bench_iterations(gb_register("shim/batch", bm_batch, NULL), 10), GB_SECOND);
    gb_bench_unit(gb_register("shim/skip", bm_skip, NULL), GB_NANOSECOND);

    gb_add_context("shim_context", "yes");
    rc = gb_main(argc, argv);
    return rc != 0 ? rc : failures != 0;
}
