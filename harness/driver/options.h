/*
 * options.h - bipbench's command line: one option table per command
 * (options.c), from which parsing, `--help` and the usage line are all
 * generated, and the checks that need several options at once.
 */
#ifndef BIPBENCH_OPTIONS_H
#define BIPBENCH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bench.h"
#include "topo.h"

struct env_report;

enum cmd { CMD_LIST, CMD_TOPO, CMD_ENV, CMD_RUN, CMD_LATENCY, CMD_SOAK, CMD_RATE, CMD_COUNT };

/* Lists (--variant, --msg-size, --pair) hold at most this many items. */
#define OPTS_MAX_LIST 64
/* The largest --queue-size (and message). */
#define OPTS_MAX_QUEUE (1ull << 30)

/*
 * Every option of every command. The table's defaults fill a field before
 * the command line is read, so an option not given holds its default the
 * same way one given does; fields that hold raw text (*_arg) are resolved
 * after parsing, when the options they depend on are known.
 */
struct opts {
    enum cmd cmd;
    const char *cmd_name;
    int argc;
    char **argv;

    /* As given (or defaulted), before resolving. */
    const char *variant_arg, *workload_arg, *msg_arg, *pair_arg, *read_arg;
    uint64_t queue_size, messages, trials, rng_seed, lag, samples;
    uint64_t warmup;           /* run: warm-up messages; 0: not given (min(messages, 2^20)) */
    uint64_t burst;            /* run: messages per consumer call, at most */
    uint64_t probe;            /* run: the distance probe's round trips; 0: none */
    double seconds, wait_idle; /* wait_idle 0: do not wait */
    int limits, check, verbose;
    const char *csv, *json, *summary_csv, *synthetic, *baseline_arg, *hgrm_dir;
    const char *rate_arg, *spin_arg, *pace_arg; /* rate */

    /* Resolved. */
    const struct bench_impl *impls[OPTS_MAX_LIST];
    size_t nimpls;
    enum bench_workload workload;
    enum bench_read read;
    size_t msg_sizes[OPTS_MAX_LIST];
    size_t nmsg;
    struct bench_placement places[OPTS_MAX_LIST];
    size_t nplaces;
    const struct bench_impl *baseline; /* the summary's ratios: NULL for none */
    uint64_t run_warmup;               /* run: the unreported warm-up trial's messages: --warmup, or
                                          min(--messages, 2^20) */
    uint64_t lat_warmup;         /* latency: round trips before recording, min(samples/10, 10^4) */
    double rates[OPTS_MAX_LIST]; /* rate: messages per second offered */
    size_t nrates;
    int64_t spin_ns;      /* rate: the waits' spin budget; -1: default */
    enum bench_pace pace; /* rate */

    /* The run's context, set by main before a command runs. */
    const struct env_report *env;
};

/* Fill *o from the command line, each option on its own. Prints help, usage
 * or version and exits (0 or 2) where the command line asks for it or is
 * wrong. */
void opts_parse(struct opts *o, int argc, char **argv);

/* Then (resolve.c, which calls into this file and never the other way): the
 * checks and conversions that need several options at once, the lists
 * resolved, the warm-ups worked out; main calls it for run, latency, soak
 * and rate, and opts_resolve_pairs (--pair alone) for env. */
void opts_resolve(struct opts *o);
void opts_resolve_pairs(struct opts *o);

/* One line naming the flag (or what was wrong), then the command's usage
 * line; exit status 2. */
_Noreturn __attribute__((format(printf, 2, 3))) void usage_error(const char *flag, const char *fmt,
                                                                 ...);

/*
 * A whole number in [lo, hi]: digits only, with a binary suffix (k, M, G,
 * optionally followed by B or iB) when `suffix` is non-zero. Returns 0, or
 * -1 (not a number) or -2 (out of range: too large for 64 bits or outside
 * [lo, hi]).
 */
int parse_u64(const char *s, int suffix, uint64_t lo, uint64_t hi, uint64_t *out);

/* The most messages one rate trial sends, and the highest rate it offers. */
#define OPTS_MAX_RATE_MESSAGES (1ull << 32)
#define OPTS_MAX_RATE          1e9

/* The name of the variant the original crate's design is, and its aliases. */
#define BIPBENCH_CRATE_ALIAS     "crate"
#define BIPBENCH_CRATE_ALIAS_OLD "seed" /* the first spelling; still accepted */

#endif
