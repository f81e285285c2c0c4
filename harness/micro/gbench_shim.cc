/*
 * gbench_shim.cc - the C++ side of gbench_shim.h: every function forwards to
 * Google Benchmark. The only C++ in the micro-benchmarks; the benchmarks
 * themselves are C.
 *
 * The opaque C handles are the library's own objects: gb_state is a
 * benchmark::State, gb_benchmark a benchmark::internal::Benchmark. Nothing
 * is allocated here beyond what RegisterBenchmark allocates.
 *
 * Every function is noexcept: a C++ exception must not unwind through C
 * frames, so one that escapes (out of memory while registering) terminates.
 */
#include "gbench_shim.h"

#include <benchmark/benchmark.h>

#include <string>
#include <utility>
#include <vector>

namespace {

benchmark::State &S(gb_state *st) {
    return *reinterpret_cast<benchmark::State *>(st);
}

const benchmark::State &S(const gb_state *st) {
    return *reinterpret_cast<const benchmark::State *>(st);
}

benchmark::internal::Benchmark *B(gb_benchmark *b) {
    return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

gb_benchmark *H(benchmark::internal::Benchmark *b) {
    return reinterpret_cast<gb_benchmark *>(b);
}

} // namespace

extern "C" {

int gb_keep_running(gb_state *st) noexcept {
    return S(st).KeepRunning();
}

int gb_keep_running_batch(gb_state *st, int64_t n) noexcept {
    return S(st).KeepRunningBatch(n);
}

int64_t gb_max_iterations(const gb_state *st) noexcept {
    return S(st).max_iterations;
}

int64_t gb_iterations(const gb_state *st) noexcept {
    return S(st).iterations();
}

int64_t gb_range(const gb_state *st, size_t i) noexcept {
    return S(st).range(i);
}

void gb_set_bytes_processed(gb_state *st, int64_t bytes) noexcept {
    S(st).SetBytesProcessed(bytes);
}

void gb_set_items_processed(gb_state *st, int64_t items) noexcept {
    S(st).SetItemsProcessed(items);
}

void gb_set_counter(gb_state *st, const char *name, double value, unsigned flags,
                    int base1024) noexcept {
    // The C flag values are the library's, bit for bit (see the header).
    S(st).counters[name] =
        benchmark::Counter(value, static_cast<benchmark::Counter::Flags>(flags),
                           base1024 ? benchmark::Counter::kIs1024 : benchmark::Counter::kIs1000);
}

void gb_set_label(gb_state *st, const char *label) noexcept {
    S(st).SetLabel(label);
}

void gb_set_iteration_time(gb_state *st, double seconds) noexcept {
    S(st).SetIterationTime(seconds);
}

void gb_pause_timing(gb_state *st) noexcept {
    S(st).PauseTiming();
}

void gb_resume_timing(gb_state *st) noexcept {
    S(st).ResumeTiming();
}

void gb_skip_with_error(gb_state *st, const char *msg) noexcept {
    S(st).SkipWithError(msg);
}

int gb_error_occurred(const gb_state *st) noexcept {
    return S(st).error_occurred();
}

gb_benchmark *gb_register(const char *name, gb_fn fn, void *user) noexcept {
    // The lambda carries the C function and its pointer; the library keeps
    // it (and a copy of the name) for the life of the program.
    return H(benchmark::RegisterBenchmark(
        name, [fn, user](benchmark::State &st) { fn(reinterpret_cast<gb_state *>(&st), user); }));
}

gb_benchmark *gb_bench_arg(gb_benchmark *b, int64_t x) noexcept {
    return H(B(b)->Arg(x));
}

gb_benchmark *gb_bench_args(gb_benchmark *b, const int64_t *args, size_t n) noexcept {
    return H(B(b)->Args(std::vector<int64_t>(args, args + n)));
}

gb_benchmark *gb_bench_range(gb_benchmark *b, int64_t lo, int64_t hi) noexcept {
    return H(B(b)->Range(lo, hi));
}

gb_benchmark *gb_bench_dense_range(gb_benchmark *b, int64_t lo, int64_t hi, int step) noexcept {
    return H(B(b)->DenseRange(lo, hi, step));
}

gb_benchmark *gb_bench_ranges(gb_benchmark *b, const int64_t (*lo_hi)[2], size_t n) noexcept {
    std::vector<std::pair<int64_t, int64_t>> r;
    for (size_t i = 0; i < n; i++)
        r.emplace_back(lo_hi[i][0], lo_hi[i][1]);
    return H(B(b)->Ranges(r));
}

gb_benchmark *gb_bench_range_multiplier(gb_benchmark *b, int multiplier) noexcept {
    return H(B(b)->RangeMultiplier(multiplier));
}

gb_benchmark *gb_bench_arg_name(gb_benchmark *b, const char *arg_name) noexcept {
    return H(B(b)->ArgName(arg_name));
}

gb_benchmark *gb_bench_arg_names(gb_benchmark *b, const char *const *names, size_t n) noexcept {
    return H(B(b)->ArgNames(std::vector<std::string>(names, names + n)));
}

gb_benchmark *gb_bench_use_manual_time(gb_benchmark *b) noexcept {
    return H(B(b)->UseManualTime());
}

gb_benchmark *gb_bench_use_real_time(gb_benchmark *b) noexcept {
    return H(B(b)->UseRealTime());
}

gb_benchmark *gb_bench_unit(gb_benchmark *b, gb_time_unit unit) noexcept {
    benchmark::TimeUnit u = benchmark::kNanosecond;
    switch (unit) {
    case GB_NANOSECOND:
        u = benchmark::kNanosecond;
        break;
    case GB_MICROSECOND:
        u = benchmark::kMicrosecond;
        break;
    case GB_MILLISECOND:
        u = benchmark::kMillisecond;
        break;
    case GB_SECOND:
        u = benchmark::kSecond;
        break;
    }
    return H(B(b)->Unit(u));
}

gb_benchmark *gb_bench_min_time(gb_benchmark *b, double seconds) noexcept {
    return H(B(b)->MinTime(seconds));
}

gb_benchmark *gb_bench_iterations(gb_benchmark *b, int64_t n) noexcept {
    return H(B(b)->Iterations(n));
}

gb_benchmark *gb_bench_repetitions(gb_benchmark *b, int n) noexcept {
    return H(B(b)->Repetitions(n));
}

void gb_add_context(const char *key, const char *value) noexcept {
    benchmark::AddCustomContext(key, value);
}

int gb_main(int argc, char **argv) noexcept {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

} // extern "C"

// The C flag values must stay the library's.
static_assert(GB_COUNTER_RATE == benchmark::Counter::kIsRate, "rate flag");
static_assert(GB_COUNTER_ITERATION_INVARIANT == benchmark::Counter::kIsIterationInvariant,
              "iteration-invariant flag");
static_assert(GB_COUNTER_AVG_ITERATIONS == benchmark::Counter::kAvgIterations, "avg flag");
static_assert(GB_COUNTER_INVERT == static_cast<unsigned>(benchmark::Counter::kInvert),
              "invert flag");
