/*
 * gbench_shim.h - Google Benchmark from C.
 *
 * Benchmarks are written in C against this header; its one implementation,
 * gbench_shim.cc, forwards every call to Google Benchmark (benchmark::State
 * and benchmark::RegisterBenchmark). A program registers its benchmarks and
 * then returns gb_main(argc, argv), which makes it an ordinary Google
 * Benchmark program: --benchmark_filter, --benchmark_format=json,
 * --benchmark_out, --benchmark_repetitions, --benchmark_min_time,
 * --benchmark_context and the rest all work.
 *
 *     static void bm_copy(gb_state *st, void *user) {
 *         size_t len = (size_t)gb_range(st, 0);
 *         while (gb_keep_running(st))
 *             memcpy(dst, src, len);
 *         gb_set_bytes_processed(st, gb_iterations(st) * (int64_t)len);
 *     }
 *     int main(int argc, char **argv) {
 *         gb_bench_arg(gb_bench_arg(gb_register("copy", bm_copy, NULL), 64), 4096);
 *         return gb_main(argc, argv);
 *     }
 *
 * THREADS. A benchmark function runs on the thread that called gb_main, and
 * every gb_state function must be called from that thread only: threads a
 * benchmark starts itself report back to it (benchmark::State is not
 * thread-safe). Google Benchmark's own multi-threaded runs are not exposed.
 *
 * LIFETIMES. Names and strings passed in are copied; `user` pointers are
 * stored as given and must outlive gb_main.
 */
#ifndef GBENCH_SHIM_H
#define GBENCH_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
/* Declared noexcept for C++ (the implementation): nothing may unwind into C. */
#    define GB_NOEXCEPT noexcept
extern "C" {
#else
#    define GB_NOEXCEPT
#endif

/* ---- running a benchmark --------------------------------------------------- */

/* One run of one benchmark (a benchmark::State); owned by the library. */
typedef struct gb_state gb_state;

/* A benchmark body: loops while gb_keep_running(st); `user` is the pointer
 * given to gb_register. */
typedef void (*gb_fn)(gb_state *st, void *user);

/*
 * Non-zero while the benchmark should run one more iteration; starts the
 * timer on the first call and stops it on the last. The body of
 *     while (gb_keep_running(st)) { ... }
 * is one iteration. Returns 0 at once after gb_skip_with_error.
 */
int gb_keep_running(gb_state *st) GB_NOEXCEPT;

/*
 * Batch form: non-zero while the benchmark should run `n` more iterations,
 * counted as n. For bodies too short to pay a function call each:
 *     while (gb_keep_running_batch(st, 64)) for (i = 0; i < 64; i++) { ... }
 * May run up to n - 1 iterations more than gb_max_iterations.
 */
int gb_keep_running_batch(gb_state *st, int64_t n) GB_NOEXCEPT;

/* The iteration count this run aims for (fixed before the first iteration). */
int64_t gb_max_iterations(const gb_state *st) GB_NOEXCEPT;

/* Iterations started so far; after the loop, the number that ran. */
int64_t gb_iterations(const gb_state *st) GB_NOEXCEPT;

/* The i-th argument of this run (from gb_bench_arg, _args, _range, ...). */
int64_t gb_range(const gb_state *st, size_t i) GB_NOEXCEPT;

/* Payload bytes handled by the whole run; reported as bytes_per_second. */
void gb_set_bytes_processed(gb_state *st, int64_t bytes) GB_NOEXCEPT;

/* Items handled by the whole run; reported as items_per_second. */
void gb_set_items_processed(gb_state *st, int64_t items) GB_NOEXCEPT;

/* Flags for gb_set_counter (benchmark::Counter::Flags); combine with |. */
#define GB_COUNTER_DEFAULT             0u
#define GB_COUNTER_RATE                (1u << 0)  /* divided by the run's time */
#define GB_COUNTER_ITERATION_INVARIANT (1u << 2)  /* multiplied by iterations */
#define GB_COUNTER_AVG_ITERATIONS      (1u << 3)  /* divided by iterations */
#define GB_COUNTER_INVERT              (1u << 31) /* 1/x, applied last */
/*
 * A user counter: `name` = `value`, reported beside the times (a column in
 * the console, a field in JSON). With GB_COUNTER_RATE the value is divided
 * by the run's time (the manual time under gb_bench_use_manual_time). Setting
 * the same name again replaces the value. `base1024` non-zero prints k as
 * 1024 instead of 1000.
 */
void gb_set_counter(gb_state *st, const char *name, double value, unsigned flags,
                    int base1024) GB_NOEXCEPT;

/* A free-form label printed beside the run ("pus=0,1", "read=all"). */
void gb_set_label(gb_state *st, const char *label) GB_NOEXCEPT;

/*
 * Manual timing (gb_bench_use_manual_time): report that the current
 * iteration took `seconds`. Call once per gb_keep_running /
 * gb_keep_running_batch turn; the times add up, and the reported time per
 * iteration is their sum over the iterations counted.
 */
void gb_set_iteration_time(gb_state *st, double seconds) GB_NOEXCEPT;

/* Stop the timer inside an iteration (set-up that is not measured)... */
void gb_pause_timing(gb_state *st) GB_NOEXCEPT;
/* ...and start it again. Both cost far more than a short body: batch them. */
void gb_resume_timing(gb_state *st) GB_NOEXCEPT;

/*
 * Mark the run as failed with `msg` (copied) and stop it: the next
 * gb_keep_running returns 0, and the run is reported with error_occurred and
 * error_message instead of times. Use it for "cannot run here" (no second
 * core) as well as for real errors; never report numbers that mean nothing.
 */
void gb_skip_with_error(gb_state *st, const char *msg) GB_NOEXCEPT;

/* Non-zero once gb_skip_with_error was called in this run. */
int gb_error_occurred(const gb_state *st) GB_NOEXCEPT;

/*
 * Keep the compiler from dropping the computation that produced *p (as
 * benchmark::DoNotOptimize does): the value is assumed to be read here.
 */
static inline void gb_do_not_optimize(const void *p) {
#if defined(__GNUC__) || defined(__clang__)
    __asm__ __volatile__("" : : "r"(p) : "memory");
#else
    (void)p;
#endif
}

/* ---- registering benchmarks ---------------------------------------------- */

/* A registered benchmark family (a benchmark::internal::Benchmark). */
typedef struct gb_benchmark gb_benchmark;

/* Time units for gb_bench_unit. */
typedef enum gb_time_unit {
    GB_NANOSECOND,
    GB_MICROSECOND,
    GB_MILLISECOND,
    GB_SECOND,
} gb_time_unit;

/*
 * Register benchmark `name` (copied), which runs fn(st, user). Call before
 * gb_main. Each argument tuple added below makes one run, named
 * name/arg0/arg1... (with arg names, name/n0:arg0/...); with manual time the
 * suffix /manual_time follows. Returns the handle the functions below take;
 * each of them returns it again so calls can nest.
 */
gb_benchmark *gb_register(const char *name, gb_fn fn, void *user) GB_NOEXCEPT;

/* Add a run with the single argument x (gb_range(st, 0) == x). */
gb_benchmark *gb_bench_arg(gb_benchmark *b, int64_t x) GB_NOEXCEPT;

/* Add a run with the n arguments args[0..n). */
gb_benchmark *gb_bench_args(gb_benchmark *b, const int64_t *args, size_t n) GB_NOEXCEPT;

/* Add runs for lo, then powers of the range multiplier (default 8), up to hi. */
gb_benchmark *gb_bench_range(gb_benchmark *b, int64_t lo, int64_t hi) GB_NOEXCEPT;

/* Add runs for lo, lo + step, ... up to hi. */
gb_benchmark *gb_bench_dense_range(gb_benchmark *b, int64_t lo, int64_t hi, int step) GB_NOEXCEPT;

/* Add runs for the cross product of n ranges lo_hi[i][0]..lo_hi[i][1],
 * each stepped as in gb_bench_range. */
gb_benchmark *gb_bench_ranges(gb_benchmark *b, const int64_t (*lo_hi)[2], size_t n) GB_NOEXCEPT;

/* The multiplier gb_bench_range(s) steps by; call before them. */
gb_benchmark *gb_bench_range_multiplier(gb_benchmark *b, int multiplier) GB_NOEXCEPT;

/* Name the single argument: runs are named name/<arg_name>:<value>. */
gb_benchmark *gb_bench_arg_name(gb_benchmark *b, const char *arg_name) GB_NOEXCEPT;

/* Name the n arguments (strings copied). */
gb_benchmark *gb_bench_arg_names(gb_benchmark *b, const char *const *names, size_t n) GB_NOEXCEPT;

/* Times come from gb_set_iteration_time, not the library's clock. */
gb_benchmark *gb_bench_use_manual_time(gb_benchmark *b) GB_NOEXCEPT;

/* Times come from the wall clock, not the main thread's CPU time. */
gb_benchmark *gb_bench_use_real_time(gb_benchmark *b) GB_NOEXCEPT;

/* The unit times are printed in. */
gb_benchmark *gb_bench_unit(gb_benchmark *b, gb_time_unit unit) GB_NOEXCEPT;

/* Run each benchmark for at least `seconds` (overrides --benchmark_min_time). */
gb_benchmark *gb_bench_min_time(gb_benchmark *b, double seconds) GB_NOEXCEPT;

/* Run exactly n iterations, without estimating a count (overrides min time). */
gb_benchmark *gb_bench_iterations(gb_benchmark *b, int64_t n) GB_NOEXCEPT;

/* Repeat each run n times (overrides --benchmark_repetitions). */
gb_benchmark *gb_bench_repetitions(gb_benchmark *b, int n) GB_NOEXCEPT;

/* ---- the program ------------------------------------------------------- */

/*
 * Add key: value to the "context" block of the report (beside the machine
 * description), as --benchmark_context=key=value does. Call before gb_main.
 */
void gb_add_context(const char *key, const char *value) GB_NOEXCEPT;

/*
 * Google Benchmark's main: parse and remove its --benchmark_* flags, refuse
 * any other argument (returns 1 after naming it), run the benchmarks the
 * filter selects, shut down. Returns 0 otherwise; a run that failed with
 * gb_skip_with_error does not change it (the report says which failed).
 */
int gb_main(int argc, char **argv) GB_NOEXCEPT;

#ifdef __cplusplus
}
#endif
#endif /* GBENCH_SHIM_H */
