/*
 * bench.h - what bipbench's driver and its measured implementations share.
 *
 * Every measured thing (a bip buffer variant, a limit, later a peer queue) is
 * one `struct bench_impl` in the registry (registry.c). Its functions own the
 * hot loops; the driver owns everything else: options, placement, threads,
 * binding, the start barrier, the clock, and the output. The loops are
 * written once (loops.c, workload.h) and compiled once per variant, so each
 * variant's loop has that variant's core inlined: the only indirect calls are
 * one per thread per trial, never one per message.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#ifdef __cplusplus
/* Peer adapters may be C++ (Boost.Lockfree): the same descriptor, C linkage. */
extern "C" {
#    define BENCH_NORETURN [[noreturn]]
#else
#    define BENCH_NORETURN _Noreturn
#endif

/*
 * The workloads and the read modes, each listed once. Everything that is
 * indexed by them is generated from these lists: the enums and their counts,
 * the names bipbench accepts and writes (report.c, options.c), and the
 * per-(workload, read) loop tables (BENCH_LOOP_TABLE in workload.h). Adding
 * one is a line here plus what it means in workload.h (docs/DESIGN.md, "How
 * to extend"). X(a, b, c, c, TOKEN, "name"): a, b and c are passed through, so
 * that the lists can be nested.
 */
#define BENCH_FOR_EACH_WORKLOAD(X, a, b, c)                                                        \
    X(a, b, c, SEED, "seed")     /* the seed's perf example: byte 0 = length, rest = i mod 128 */  \
    X(a, b, c, FIXED, "fixed")   /* every message --msg-size bytes */                              \
    X(a, b, c, RANDOM, "random") /* sizes 1..--msg-size from a seeded generator */

/* What the consumer reads of each message. CHECK is "all" plus comparing
 * every byte with what the producer wrote (--check); it is written "all" in
 * the CSV's read column, with check = 1. CHECK stays last: --read accepts
 * the names before it. */
#define BENCH_FOR_EACH_READ(X, a, b, c)                                                            \
    X(a, b, c, NONE, "none")   /* nothing of the payload */                                        \
    X(a, b, c, FIRST, "first") /* byte 0 */                                                        \
    X(a, b, c, LAST, "last")   /* byte 0 and the last byte: the first and the last line */         \
    X(a, b, c, ALL, "all")     /* every byte, summed */                                            \
    X(a, b, c, CHECK, "all")   /* every byte, summed and compared */

#define BENCH__ENUM_WL(a, b, c, tok, name)   BENCH_WL_##tok,
#define BENCH__ENUM_READ(a, b, c, tok, name) BENCH_READ_##tok,
enum bench_workload { BENCH_FOR_EACH_WORKLOAD(BENCH__ENUM_WL, _, _, _) BENCH_WL_COUNT };
enum bench_read { BENCH_FOR_EACH_READ(BENCH__ENUM_READ, _, _, _) BENCH_READ_COUNT };
#undef BENCH__ENUM_WL
#undef BENCH__ENUM_READ

/* Their names, indexed by the enums (registry.c). */
extern const char *const bench_workload_names[BENCH_WL_COUNT];
extern const char *const bench_read_names[BENCH_READ_COUNT];

enum bench_kind { BENCH_KIND_VARIANT, BENCH_KIND_LIMIT, BENCH_KIND_PEER };

/* The bound pair of threads a trial runs on (runner.c); opaque to loops. */
struct bench_runner;

/*
 * Run prod(ctx) on the producer's PU and cons(ctx) on the consumer's PU,
 * each in its own thread bound there. Both threads wait at a start barrier;
 * the producer reads the clock and releases them. *elapsed_ns runs from that
 * release to the return of cons (of prod when cons is NULL: one thread only).
 * Afterwards it checks where each thread ran. Returns 0, or -1 after printing
 * why (binding refused, a thread ran on another PU).
 */
int bench_run_pair(struct bench_runner *r, void (*prod)(void *), void (*cons)(void *), void *ctx,
                   int64_t *elapsed_ns);

/* Non-zero once SIGINT asked the run to stop (long loops such as soak poll it). */
int bench_should_stop(void);

/* Print a message and exit: for "cannot happen" failures inside loops. */
BENCH_NORETURN void bench_fatal(const char *what, long code);

/* For the steps of the measured loops: inlined into each loop, whatever -O. */
#define BENCH_INLINE static inline __attribute__((always_inline))

static inline int64_t bench_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* splitmix64: any seed (0 too) gives a full-period sequence. */
static inline uint64_t bench_rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform value in [0, n) without a division. */
static inline uint64_t bench_rng_below(uint64_t *s, uint64_t n) {
    return ((bench_rng_next(s) >> 32) * n) >> 32;
}

/* ---- throughput ---------------------------------------------------------- */

struct bench_tput_cfg {
    enum bench_workload workload;
    enum bench_read read;
    size_t msg_size;   /* seed/fixed: every message; random: the largest */
    size_t queue_size; /* bytes */
    uint64_t messages;
    uint64_t seed;  /* random: the size generator's seed */
    size_t lag;     /* the consumer's lag, bytes (bipbuf_peek_wait) */
    unsigned burst; /* messages the consumer takes per call, at most (1: one by one);
                       the producer always sends one message per call */
};

struct bench_tput_out {
    int64_t elapsed_ns;  /* release to last consume */
    uint64_t messages;   /* messages consumed (limit-c2c: one-way hops) */
    uint64_t bytes;      /* payload bytes consumed */
    uint64_t mismatches; /* bytes (or length fields) that differed */
    uint64_t sum;        /* the consumer's sum of what it read: keeps reads live */
    int per_hop;         /* limit-c2c: messages are one-way hops and the row
                            reports elapsed_ns per hop */
};

/* ---- latency ------------------------------------------------------------- */

struct bench_hist;

struct bench_lat_cfg {
    size_t msg_size;
    size_t queue_size;
    uint64_t samples; /* round trips recorded */
    uint64_t warmup;  /* round trips before recording starts */
};

/* ---- soak ---------------------------------------------------------------- */

struct bench_soak_cfg {
    size_t queue_size;
    size_t max_msg; /* largest reservation; <= max_reserve */
    double seconds;
    uint64_t seed;
};

struct bench_soak_out {
    uint64_t messages;   /* non-empty commits */
    uint64_t bytes;      /* bytes the consumer verified */
    uint64_t cancels;    /* commits of 0 */
    uint64_t truncates;  /* commits shorter than the reservation */
    uint64_t partials;   /* consumes shorter than what peek showed */
    uint64_t mismatches; /* bytes or API answers that were wrong */
    char first_error[200];
};

/* ---- rate: an offered load, open loop (harness/rate.h) -------------------- */

enum bench_pace { BENCH_PACE_SLEEP, BENCH_PACE_SPIN };

/* The shortest message of the rate workload: its 8-byte send time. */
#define BENCH_RATE_MIN_MSG 8

struct bench_rate_cfg {
    size_t msg_size;   /* bytes, >= BENCH_RATE_MIN_MSG: the first 8 carry the send time */
    size_t queue_size; /* bytes */
    double rate;       /* messages per second offered: message i is due at
                          t0 + (i + 1) / rate */
    uint64_t messages;
    int64_t spin_ns;      /* the waits' spin budget; -1: the library's default */
    enum bench_pace pace; /* how the producer waits for a message's due time */
};

struct bench_rate_out {
    /* Each message's latency, ns: from its due time to the consumer holding
     * it (what the application sees), and from the producer's send (its
     * clock read just before reserving: what the queue adds); and the
     * producer's lateness, send - due. */
    struct bench_hist *from_due, *from_send, *late;
    int64_t elapsed_ns;   /* t0 to the consumer holding the last message */
    int64_t last_send_ns; /* t0 to the last send */
    int64_t cpu_ns[2];    /* producer, consumer: CLOCK_THREAD_CPUTIME_ID over the loop */
    int64_t send_ns;      /* the producer's time inside its sends, summed (wall) */
    uint64_t messages;
    uint64_t mismatches;   /* messages with a wrong stamp or count byte */
    int64_t sleeps, wakes; /* the consumer's sleeps, the producer's wake-ups; -1: not known */
    const char *wake;      /* the wake protocol in effect, where it can differ from the
                              descriptor's (an asym variant fallen back to fence); NULL */
};

/* ---- the descriptor ---------------------------------------------------- */

/*
 * One measured implementation. A NULL function means "not applicable": the
 * driver skips the entry for that subcommand and says so.
 */
struct bench_impl {
    const char *name; /* as `bipbench list` prints it and CSV's variant column */
    enum bench_kind kind;
    int cached; /* CSV columns; -1 / NULL: not applicable (empty field) */
    int pad;
    const char *order;
    int publish; /* the consumer's stores of read: every K bytes (BIPBUF__PUBLISH),
                    0 at every consume; -1: not applicable */
    /* 1 if its code demotes lines (BIPBUF_CLDEMOTE) and this CPU executes
     * CLDEMOTE, else 0 (bipbuf__cldemote_active); NULL: not applicable. */
    int (*cldemote_active)(void);
    const char *about; /* one line for `bipbench list --verbose` */
    int one_thread;    /* throughput runs on the producer's PU alone */
    int bursts;        /* its consumer can take several messages per call (--burst) */
    /* Largest message for a queue of this size; NULL: queue_size / 2, the
     * bip buffer's max_reserve. */
    size_t (*max_message)(size_t queue_size);
    int (*throughput)(struct bench_runner *r, const struct bench_tput_cfg *cfg,
                      struct bench_tput_out *out);
    int (*latency)(struct bench_runner *r, const struct bench_lat_cfg *cfg, struct bench_hist *h);
    int (*soak)(struct bench_runner *r, const struct bench_soak_cfg *cfg,
                struct bench_soak_out *out);
    int (*rate)(struct bench_runner *r, const struct bench_rate_cfg *cfg,
                struct bench_rate_out *out);
    const char *wake; /* how its consumer waits: spin | fence | asym | eventfd | futex |
                         pipe | condvar | ...; NULL: not applicable */
};

/* registry.c: every entry, variants first in BIPBUF_FOR_EACH_VARIANT order. */
const struct bench_impl *const *bench_registry(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
