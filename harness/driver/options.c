/*
 * options.c - bipbench's command line. Each command has one table of
 * options; parsing, defaults, `--help` and the usage line are all made from
 * it, so an option is written once (docs/DESIGN.md, "How to extend").
 *
 * Over 500 lines because most of it is the tables themselves (every flag's
 * help text); the code that reads them is about 250 lines. Resolving what
 * the options mean together is resolve.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bench_build.h"
#include "bench_commit.h"
#include "bipbuf_variants.h"
#include "report.h"

/* ---- the tables ---------------------------------------------------------- */

enum opt_kind {
    OPT_FLAG,    /* no value: the int field becomes 1 */
    OPT_NUM,     /* a whole number in [lo, hi] (uint64_t field) */
    OPT_SIZE,    /* bytes: a whole number with an optional k/M/G suffix */
    OPT_SECONDS, /* a number of seconds in (0, hi] (double field) */
    OPT_TEXT,    /* kept as given (const char * field), resolved later */
};

struct opt {
    const char *name;     /* "--msg-size" */
    const char *old_name; /* an earlier spelling, still accepted; NULL */
    const char *metavar;  /* what the value is, in --help and usage; NULL for flags */
    enum opt_kind kind;
    size_t field;      /* offsetof(struct opts, ...) */
    uint64_t lo, hi;   /* OPT_NUM, OPT_SIZE: the range; OPT_SECONDS: (0, hi], and lo, when
                          not 0, the seconds that --name alone (no value) stands for */
    const char *def;   /* the value when the option is not given, parsed like a given
                          one; NULL: none (the field stays 0 or is worked out later) */
    const char *shown; /* the default as --help shows it where def cannot say it */
    const char *help;  /* '\n' starts a new line */
};

#define F(field) offsetof(struct opts, field)

#define MAX_MESSAGES (1ull << 40)

/* The options several commands share. */
#define OPT_QUEUE                                                                                  \
    {                                                                                              \
        "--queue-size", NULL, "N", OPT_SIZE, F(queue_size), 4, OPTS_MAX_QUEUE, "16384", NULL,      \
            "buffer bytes, 4..1G; suffixes k, M, G are binary"                                     \
    }
#define OPT_PAIR                                                                                   \
    {                                                                                              \
        "--pair", NULL, "LIST", OPT_TEXT, F(pair_arg), 0, 0, "core", NULL,                         \
            "comma-separated placements: auto | smt | core | l3 | cross-l3 | numa,\n"              \
            "or A,B = producer and consumer PU by OS index.\n"                                     \
            "core: two physical cores, sharing L3 where the machine allows;\n"                     \
            "auto: core, or smt on a one-core machine (bipbench topo shows each)"                  \
    }
#define OPT_CSV                                                                                    \
    {                                                                                              \
        "--csv", NULL, "FILE|-", OPT_TEXT, F(csv), 0, 0, NULL, "none",                             \
            "CSV to FILE, written whole at the end (temporary file, fsync, rename);\n"             \
            "'-': to stdout as trials finish, the summary to stderr"                               \
    }
#define OPT_JSON                                                                                   \
    {                                                                                              \
        "--json", NULL, "FILE", OPT_TEXT, F(json), 0, 0, NULL, "none",                             \
            "run metadata: machine, kernel, compiler and flags, git commit, date,\n"               \
            "PUs used, all options (docs/DESIGN.md, \"JSON metadata\")"                            \
    }
#define OPT_SYNTHETIC                                                                              \
    {                                                                                              \
        "--topology-synthetic", NULL, "STR", OPT_TEXT, F(synthetic), 0, 0, NULL, "none",           \
            "(tests) use hwloc's synthetic machine STR, e.g. \"pack:2 l3:2 core:4 pu:2\",\n"       \
            "instead of this one; only list, topo and env accept it (threads cannot be\n"          \
            "bound there). Also from the environment: BIPBENCH_TOPOLOGY_SYNTHETIC"                 \
    }

static const struct opt list_opts[] = {
    {"--verbose", NULL, NULL, OPT_FLAG, F(verbose), 0, 0, NULL, "off",
     "each entry's kind and what it is, and the aliases"},
    OPT_SYNTHETIC,
};

static const struct opt topo_opts[] = {OPT_SYNTHETIC};

#define OPT_WAIT_IDLE                                                                              \
    {                                                                                              \
        "--wait-idle", NULL, "[=S]", OPT_SECONDS, F(wait_idle), 60, 3600, NULL, "off",             \
            "before each round, wait until the PUs are quiet (each under 5% busy over\n"           \
            "200 ms, from /proc/stat), at most S seconds (--wait-idle alone: 60)"                  \
    }
#define OPT_BASELINE                                                                               \
    {                                                                                              \
        "--baseline", NULL, "NAME", OPT_TEXT, F(baseline_arg), 0, 0, NULL,                         \
            BIPBENCH_CRATE_ALIAS " (= " BIPBUF_SEED_VARIANT ") if measured",                       \
            "the entry every other is divided by, round by round, in the summary:\n"               \
            "the median ratio with its 95% interval (docs/DESIGN.md, \"Statistics\")"              \
    }

static const struct opt env_opts[] = {
    {"--pair", NULL, "LIST", OPT_TEXT, F(pair_arg), 0, 0, "core", NULL,
     "the placements whose PUs are checked, as for run"},
    OPT_SYNTHETIC,
};

static const struct opt run_opts[] = {
    {"--variant", NULL, "LIST", OPT_TEXT, F(variant_arg), 0, 0, "all", NULL,
     "comma-separated names from `bipbench list`; 'all' (every variant);\n"
     "'" BIPBENCH_CRATE_ALIAS "' (alias of " BIPBUF_SEED_VARIANT
     ", the crate's design with no lever\n"
     "of this project; "
     "'" BIPBENCH_CRATE_ALIAS_OLD "' is still accepted); rows name the real variant"},
    {"--limits", NULL, NULL, OPT_FLAG, F(limits), 0, 0, NULL, "off",
     "also run limit-onethread (the workload on one thread, steps interleaved)\n"
     "limit-c2c (one-way core-to-core latency of the pair, at most 10^6\n"
     "round trips; the CSV's hop_ns column) and limit-stream (the ceiling: the\n"
     "same messages with no shared index; the summary's x ceiling column)"},
    {"--workload", NULL, "W", OPT_TEXT, F(workload_arg), 0, 0, "seed", NULL,
     "seed | fixed | random.\n"
     "seed: byte 0 = length, the rest = i mod 128 (the crate's perf example);\n"
     "fixed: every message --msg-size bytes; random: sizes 1..--msg-size\n"
     "from a generator seeded with --rng-seed"},
    {"--msg-size", NULL, "LIST", OPT_TEXT, F(msg_arg), 0, 0, "255", NULL,
     "bytes, comma-separated: 2..255 for seed, 1..queue/2 (the buffer's\n"
     "max_reserve) otherwise"},
    OPT_QUEUE,
    {"--messages", NULL, "N", OPT_NUM, F(messages), 1, MAX_MESSAGES, "33554432", NULL,
     "messages per trial, 1..2^40"},
    {"--trials", NULL, "N", OPT_NUM, F(trials), 1, 10000, "5", NULL,
     "reported trials per entry, 1..10000, after one unreported warm-up trial\n"
     "of min(N messages, 2^20). Interleaved: round k runs trial k of every\n"
     "entry in turn, so a slow spell hits all alike"},
    {"--warmup", NULL, "N", OPT_NUM, F(warmup), 1, MAX_MESSAGES, NULL, "min(--messages, 2^20)",
     "messages of the unreported warm-up trial of each entry, 1..2^40"},
    OPT_PAIR,
    {"--read", NULL, "R", OPT_TEXT, F(read_arg), 0, 0, NULL, "first for seed, all otherwise",
     "none | first | last | all: what the consumer reads of each message\n"
     "(none: nothing; first: byte 0; last: byte 0 and the last byte, so the\n"
     "first and the last cache line; all: sums every byte)"},
    {"--check", NULL, NULL, OPT_FLAG, F(check), 0, 0, NULL, "off",
     "verify every received byte (implies --read all); a mismatch fails\n"
     "the run (exit 1)"},
    {"--rng-seed", "--seed", "N", OPT_NUM, F(rng_seed), 0, UINT64_MAX, "1", NULL,
     "the random workload's size generator seed, 0..2^64-1 (CSV column\n"
     "seed; --seed is the earlier spelling)"},
    {"--lag", NULL, "N", OPT_SIZE, F(lag), 0, OPTS_MAX_QUEUE, "512", NULL,
     "bytes: while fewer are readable, the consumer pauses once before\n"
     "reading, so the producer gets ahead and the two cores stop passing\n"
     "the same lines per message (bipbuf_peek_wait); 0: poll at once.\n"
     "Same for every variant; peers and limits do not wait this way\n"
     "(their lag field is empty)"},
    {"--burst", NULL, "K", OPT_NUM, F(burst), 1, 4096, "1", NULL,
     "the consumer takes up to K messages per call: one view, every whole\n"
     "message in it up to K read, one consume (peers: their burst call);\n"
     "producers still send one message per call. Entries without a burst\n"
     "mode are refused. Compare bursts with bursts only (CSV column burst)"},
    {"--probe", NULL, "N", OPT_NUM, F(probe), 0, 1u << 20, "1024", NULL,
     "round trips of the distance probe run just before and just after each\n"
     "trial, between its two threads: the pair's one-way core-to-core time\n"
     "(CSV columns distance_ns, distance_before_ns, distance_after_ns);\n"
     "probes that disagree by more than 1.5x make the trial noisy. 0..2^20;\n"
     "0: no probe. It is not part of the timed trial"},
    OPT_BASELINE,
    OPT_WAIT_IDLE,
    OPT_CSV,
    OPT_JSON,
    {"--summary-csv", NULL, "FILE", OPT_TEXT, F(summary_csv), 0, 0, NULL, "none",
     "the summary as CSV, one row per (placement, size, entry): medians, the\n"
     "ratio to --baseline with its interval, noisy trials; written whole"},
    OPT_SYNTHETIC,
};

static const struct opt latency_opts[] = {
    {"--variant", NULL, "LIST", OPT_TEXT, F(variant_arg), 0, 0, "all", NULL,
     "as for run; limit-c2c is the cache-line ping-pong"},
    {"--limits", NULL, NULL, OPT_FLAG, F(limits), 0, 0, NULL, "off", "also run limit-c2c"},
    {"--msg-size", NULL, "N", OPT_TEXT, F(msg_arg), 0, 0, "8", NULL,
     "bytes per message, 1..queue/2; the pong reads byte 0"},
    OPT_QUEUE,
    {"--samples", NULL, "N", OPT_NUM, F(samples), 1, 1ull << 32, "100000", NULL,
     "round trips recorded, 1..2^32, after min(N/10, 10000) warm-up\n"
     "round trips"},
    OPT_PAIR,
    OPT_WAIT_IDLE,
    {"--hgrm", NULL, "DIR", OPT_TEXT, F(hgrm_dir), 0, 0, NULL, "none",
     "also each entry's whole histogram, in HdrHistogram's percentile-distribution\n"
     "format, as DIR/ENTRY.PLACEMENT.hgrm (values in ns; each file written whole)"},
    OPT_CSV,
    OPT_JSON,
    OPT_SYNTHETIC,
};

static const struct opt soak_opts[] = {
    {"--seconds", NULL, "N", OPT_SECONDS, F(seconds), 0, 86400, "10", NULL,
     "seconds per variant, > 0 (fractions allowed)"},
    {"--variant", NULL, "LIST", OPT_TEXT, F(variant_arg), 0, 0, "all", NULL,
     "variants, as for run"},
    {"--msg-size", NULL, "N", OPT_TEXT, F(msg_arg), 0, 0, NULL, "queue/2",
     "largest reservation, 1..queue/2"},
    OPT_QUEUE,
    OPT_PAIR,
    {"--rng-seed", "--seed", "N", OPT_NUM, F(rng_seed), 0, UINT64_MAX, "1", NULL,
     "seed of both sides' generators (--seed is the earlier spelling)"},
    OPT_SYNTHETIC,
};

static const struct opt rate_opts[] = {
    {"--variant", NULL, "LIST", OPT_TEXT, F(variant_arg), 0, 0, BIPBUF_DEFAULT_VARIANT, NULL,
     "names from `bipbench list` that have a rate measurement: every\n"
     "variant (spinning ones too: what they burn is the point),\n"
     "limit-futex, peer-pipe, peer-condvar, peer-moodycamel-brwq;\n"
     "'all': every variant"},
    {"--limits", NULL, NULL, OPT_FLAG, F(limits), 0, 0, NULL, "off",
     "also run limit-futex (the floor of a wake-up through the kernel)"},
    {"--rate", NULL, "LIST", OPT_TEXT, F(rate_arg), 0, 0, "1k,10k,100k,1M", NULL,
     "messages per second offered, comma-separated: decimal, with an\n"
     "optional k (10^3) or M (10^6), fractions allowed (0.1 = one every\n"
     "10 s); > 0, at most 1G. Message i is due at t0 + (i+1)/rate and sent\n"
     "at once if late: a rate the machine cannot keep is said (CSV column\n"
     "kept), and the rate achieved reported"},
    {"--seconds", NULL, "S", OPT_SECONDS, F(seconds), 0, 3600, "2", NULL,
     "seconds of schedule per trial, > 0: round(rate * S) messages, at least 1\n"
     "(--rate 0.1 --seconds 10: a consumer idle for 10 s, then one message)"},
    {"--msg-size", NULL, "LIST", OPT_TEXT, F(msg_arg), 0, 0, "8", NULL,
     "bytes per message, comma-separated, each 8..the entry's largest (bytes\n"
     "0..7 carry the send time)"},
    OPT_QUEUE,
    {"--trials", NULL, "N", OPT_NUM, F(trials), 1, 10000, "1", NULL,
     "trials per (entry, size, rate), interleaved: round k runs trial k of\n"
     "every rate and entry in turn"},
    {"--spin-ns", NULL, "NS", OPT_TEXT, F(spin_arg), 0, 0, NULL, "the library's default",
     "the sleeping variants' spin budget before a wait sleeps, ns,\n"
     "0..10^10 (bipbuf_set_spin; 0 sleeps at once); others ignore it"},
    {"--pace", NULL, "HOW", OPT_TEXT, F(pace_arg), 0, 0, "sleep", NULL,
     "how the producer waits for a due time: sleep (clock_nanosleep, as an\n"
     "application would: it wakes late, and its lateness is reported) | spin\n"
     "(on time, at a core's cost: its CPU columns are then the pacing's)"},
    OPT_PAIR,
    OPT_WAIT_IDLE,
    {"--hgrm", NULL, "DIR", OPT_TEXT, F(hgrm_dir), 0, 0, NULL, "none",
     "also the latency from the send of every (entry, size, rate), all its\n"
     "trials together, as DIR/ENTRY.PLACEMENT.SIZE.RATE.hgrm (ns; HdrHistogram's\n"
     "percentile-distribution format; each file written whole)"},
    OPT_CSV,
    OPT_JSON,
    OPT_SYNTHETIC,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct command {
    const char *name;
    const char *synopsis; /* after the name in the commands list */
    const char *about;    /* what `bipbench NAME --help` starts with */
    const struct opt *opts;
    size_t nopts;
};

/* Indexed by enum cmd. */
static const struct command commands[CMD_COUNT] = {
    [CMD_LIST] = {"list", "every name --variant accepts, one per line",
                  "every name --variant accepts, one per line: the variants (cache-pad-order),\n"
                  "then the limits and the peers built here",
                  list_opts, N(list_opts)},
    [CMD_TOPO] = {"topo", "the machine as hwloc sees it, and the PU pair each placement uses",
                  "the machine as hwloc sees it, and the PU pair each placement would use\n"
                  "(or why it cannot)",
                  topo_opts, N(topo_opts)},
    [CMD_RUN] = {"run", "throughput trials; CSV rows, a summary table",
                 "throughput, one CSV row per trial", run_opts, N(run_opts)},
    [CMD_LATENCY] = {"latency", "round-trip ping-pong percentiles through two buffers",
                     "round trips, ping (producer PU) -> pong (consumer PU) -> ping through two\n"
                     "buffers; each sample is one round trip in ns, two clock reads included\n"
                     "(limit-c2c, timed the same way, is the floor for the pair)",
                     latency_opts, N(latency_opts)},
    [CMD_ENV] = {"env", "is this machine fit to measure on? each check OK or WARN, with the fix",
                 "the checks run, and recorded, at the start of run, latency and soak: load,\n"
                 "other threads on the chosen PUs, frequency governor, turbo, SMT, hypervisor,\n"
                 "isolation, transparent huge pages, the CPU and the kernel. Each is OK or\n"
                 "WARN, with why it matters and the fix. Exit 0 either way",
                 env_opts, N(env_opts)},
    [CMD_SOAK] = {"soak", "random sizes, truncates, cancels, partial consumes; every byte checked",
                  "correctness under load, each variant in turn: random sizes, truncates,\n"
                  "cancels and partial consumes, every byte checked. Prints messages and\n"
                  "bytes verified per variant; exit 1 on any mismatch",
                  soak_opts, N(soak_opts)},
    [CMD_RATE] = {"rate", "an offered load, open loop: latency and CPU at each rate",
                  "an offered load, open loop: the producer sends on a schedule of --rate\n"
                  "messages per second; each message's latency from its due time and from its\n"
                  "send, the producer's lateness, and each thread's CPU time from the kernel.\n"
                  "Idle: --rate 0.1 --seconds 10 (docs/DESIGN.md, \"Rate\")",
                  rate_opts, N(rate_opts)},
};

/* ---- usage and help ---------------------------------------------------------- */

static const struct command *g_command; /* the command being parsed; NULL before */

static void print_usage(FILE *f, const struct command *c) {
    if (c == NULL) {
        fprintf(f, "usage: bipbench");
        for (int k = 0; k < CMD_COUNT; k++)
            fprintf(f, "%s%s", k ? " | " : " ", commands[k].name);
        fprintf(f, " [options]   (bipbench --help)\n");
        return;
    }
    fprintf(f, "usage: bipbench %s", c->name);
    for (size_t i = 0; i < c->nopts; i++) {
        const struct opt *op = &c->opts[i];
        if (op->field == F(synthetic))
            continue; /* for tests: in --help, not in the usage line */
        if (op->metavar && op->metavar[0] == '[')
            fprintf(f, " [%s%s]", op->name, op->metavar);
        else if (op->metavar)
            fprintf(f, " [%s %s]", op->name, op->metavar);
        else
            fprintf(f, " [%s]", op->name);
    }
    fprintf(f, "   (bipbench %s --help)\n", c->name);
}

_Noreturn void usage_error(const char *flag, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "bipbench: %s%s", flag ? flag : "", flag ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_usage(stderr, g_command);
    exit(2);
}

/* Lines of text, each indented by `indent` columns after the first, which
 * continues the current line. */
static void print_lines(FILE *f, const char *text, int indent) {
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        fprintf(f, "%.*s", (int)n, p);
        p += n;
        if (*p == '\n') {
            p++;
            fprintf(f, "\n%*s", indent, "");
        }
    }
}

#define HELP_COLUMN 22 /* where an option's text starts */

static void print_command_help(FILE *f, const struct command *c) {
    fprintf(f, "bipbench %s [options]: ", c->name);
    print_lines(f, c->about, 2);
    fputc('\n', f);
    for (size_t i = 0; i < c->nopts; i++) {
        const struct opt *op = &c->opts[i];
        char head[48];
        snprintf(head, sizeof head, "%s%s%s", op->name,
                 op->metavar && op->metavar[0] != '[' ? " " : "", op->metavar ? op->metavar : "");
        if (strlen(head) + 3 > HELP_COLUMN)
            fprintf(f, "  %s\n%*s", head, HELP_COLUMN, "");
        else
            fprintf(f, "  %-*s", HELP_COLUMN - 2, head);
        print_lines(f, op->help, HELP_COLUMN);
        fprintf(f, "  [%s]\n", op->def ? op->def : op->shown);
    }
    report_print_columns(f, c - commands);
}

static void print_help(FILE *f, const struct command *only) {
    if (only != NULL) {
        print_command_help(f, only);
        return;
    }
    fprintf(f,
            "bipbench %s - throughput, latency and offered-rate costs of the bipbuf variants,\n"
            "pinned with hwloc\n\n",
            BIPBENCH_VERSION);
    fprintf(f, "usage: bipbench <command> [options]      bipbench <command> --help\n"
               "       bipbench --version\n\ncommands:\n");
    for (int k = 0; k < CMD_COUNT; k++)
        fprintf(f, "  %-9s %s\n", commands[k].name, commands[k].synopsis);
    fprintf(f,
            "Variants: %d, named cache-pad-order, and " BIPBUF_SEED_VARIANT
            "; aliases: 'all' = every variant,\n"
            "'" BIPBENCH_CRATE_ALIAS "' = " BIPBUF_SEED_VARIANT
            " (the crate's design, no lever of this project; '" BIPBENCH_CRATE_ALIAS_OLD
            "' too).\n",
            BIPBUF_VARIANT_COUNT);
    for (int k = 0; k < CMD_COUNT; k++) {
        fputc('\n', f);
        print_command_help(f, &commands[k]);
    }
    fprintf(f, "\ncommon:\n"
               "  --help, -h          this text (after a command: that command's)\n"
               "  --version           the version and the commit it was built from\n"
               "environment:\n"
               "  BIPBENCH_WATCHDOG=S   exit 3, saying what was running, after S seconds (tests)\n"
               "exit status: 0 done; 1 a run failed (mismatch, a thread off its PU, binding\n"
               "  refused, a file not written); 2 bad usage or a placement this machine cannot\n"
               "  give; 3 the watchdog; 130 interrupted (SIGINT stops after the current trial\n"
               "  and writes what finished).\n");
}

/* After --help or --version: 0, or 1 when stdout did not take it all. */
static _Noreturn void exit_after_stdout(void) {
    if (report_stdout_ok())
        exit(0);
    fprintf(stderr, "bipbench: cannot write to stdout: %s\n", strerror(errno));
    exit(1);
}

/* ---- values ------------------------------------------------------------------------ */

/* Whether s is seconds as every flag writes them: digits, optionally a point
 * and more digits. strtod alone would also take what no user means as
 * seconds: "0x10" (16), "1e1", "inf", "nan", a sign, leading blanks. */
static int decimal_seconds(const char *s) {
    const char *p = s;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == s)
        return 0;
    if (*p == '.') {
        const char *q = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == q)
            return 0;
    }
    return *p == '\0';
}

int parse_u64(const char *s, int suffix, uint64_t lo, uint64_t hi, uint64_t *out) {
    uint64_t v = 0, mul = 1;
    const char *p = s;
    int over = 0;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            over = 1;
        else
            v = v * 10 + d;
    }
    if (*p && suffix) {
        switch (*p) {
        case 'k':
        case 'K':
            mul = 1ull << 10;
            break;
        case 'm':
        case 'M':
            mul = 1ull << 20;
            break;
        case 'g':
        case 'G':
            mul = 1ull << 30;
            break;
        default:
            return -1;
        }
        p++;
        if (*p == 'i' && p[1] == 'B')
            p += 2;
        else if (*p == 'B')
            p++;
        if (v > UINT64_MAX / mul)
            over = 1;
        else
            v *= mul;
    }
    if (*p)
        return -1;
    if (over || v < lo || v > hi)
        return -2;
    *out = v;
    return 0;
}

/* Store val in op's field; `flag` is the option as the user spelt it. */
static void set_value(struct opts *o, const struct opt *op, const char *flag, const char *val) {
    char *at = (char *)o + op->field;
    switch (op->kind) {
    case OPT_FLAG:
        *(int *)at = 1;
        break;
    case OPT_NUM:
    case OPT_SIZE: {
        uint64_t v;
        int e = parse_u64(val, op->kind == OPT_SIZE, op->lo, op->hi, &v);
        if (e == -1)
            usage_error(flag, "'%s' is not a %s", val,
                        op->kind == OPT_SIZE ? "size in bytes (digits, optional k/M/G)"
                                             : "whole number");
        if (e == -2)
            usage_error(flag, "%s is out of range (%llu..%llu)", val, (unsigned long long)op->lo,
                        (unsigned long long)op->hi);
        *(uint64_t *)at = v;
        break;
    }
    case OPT_SECONDS: {
        char *end;
        double d;
        if (!decimal_seconds(val))
            usage_error(flag,
                        "'%s' is not a number of seconds in (0, %llu] (digits, an optional "
                        "fraction: no sign, exponent, hex, inf or nan)",
                        val, (unsigned long long)op->hi);
        errno = 0;
        d = strtod(val, &end);
        if (*end || end == val || errno || !(d > 0) || d > (double)op->hi)
            usage_error(flag, "'%s' is not a number of seconds in (0, %llu]", val,
                        (unsigned long long)op->hi);
        *(double *)at = d;
        break;
    }
    case OPT_TEXT:
        *(const char **)at = val;
        break;
    }
}

/* ---- parsing ----------------------------------------------------------------- */

static int is_help(const char *a) {
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

void opts_parse(struct opts *o, int argc, char **argv) {
    const struct command *c = NULL;
    unsigned char given[32] = {0}; /* per option of the command: seen already */

    memset(o, 0, sizeof *o);
    o->argc = argc;
    o->argv = argv;
    if (argc < 2)
        usage_error(NULL, "a command is needed");
    if (is_help(argv[1]) || strcmp(argv[1], "help") == 0) {
        print_help(stdout, NULL);
        exit_after_stdout();
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("bipbench %s (commit %s)\n", BIPBENCH_VERSION, BIPBENCH_GIT_COMMIT);
        exit_after_stdout();
    }
    for (int k = 0; k < CMD_COUNT; k++) {
        if (strcmp(argv[1], commands[k].name) == 0) {
            c = &commands[k];
            o->cmd = (enum cmd)k;
            o->cmd_name = c->name;
        }
    }
    if (c == NULL)
        usage_error(NULL, "unknown command '%s'", argv[1]);
    g_command = c;
    _Static_assert(N(run_opts) <= sizeof given && N(rate_opts) <= sizeof given,
                   "given[] holds a flag per option");

    /* Defaults first, through the same conversion as given values. */
    for (size_t k = 0; k < c->nopts; k++) {
        if (c->opts[k].def != NULL)
            set_value(o, &c->opts[k], c->opts[k].name, c->opts[k].def);
    }
    for (int i = 2; i < argc; i++) {
        char *arg = argv[i], *val = NULL, name[64], bare[24];
        const struct opt *op = NULL;
        size_t k;
        if (is_help(arg)) {
            print_help(stdout, c);
            exit_after_stdout();
        }
        if (strncmp(arg, "--", 2) != 0)
            usage_error(arg, "unexpected argument (options start with --)");
        snprintf(name, sizeof name, "%s", arg);
        if (strchr(name, '=')) {
            *strchr(name, '=') = '\0';
            val = strchr(arg, '=') + 1;
        }
        for (k = 0; k < c->nopts; k++) {
            if (strcmp(name, c->opts[k].name) == 0 ||
                (c->opts[k].old_name && strcmp(name, c->opts[k].old_name) == 0)) {
                op = &c->opts[k];
                break;
            }
        }
        if (op == NULL)
            usage_error(name, "unknown flag for bipbench %s", c->name);
        if (given[k])
            usage_error(name, "given twice (%s once is enough)", op->name);
        given[k] = 1;
        if (op->kind == OPT_SECONDS && val == NULL && op->lo != 0) {
            snprintf(bare, sizeof bare, "%llu", (unsigned long long)op->lo);
            val = bare;
        } else if (op->kind != OPT_FLAG && val == NULL) {
            if (i + 1 >= argc)
                usage_error(name, "needs a value");
            val = argv[++i];
        } else if (op->kind == OPT_FLAG && val != NULL) {
            usage_error(name, "takes no value");
        }
        if (op->kind != OPT_FLAG && val[0] == '\0')
            usage_error(name, "needs a value");
        set_value(o, op, name, val);
    }
    if (o->synthetic == NULL) {
        const char *env = getenv("BIPBENCH_TOPOLOGY_SYNTHETIC");
        if (env && *env)
            o->synthetic = env;
    }
    if (o->cmd == CMD_ENV)
        o->variant_arg = NULL;
}
