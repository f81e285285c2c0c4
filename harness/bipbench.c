/*
 * bipbench - the project's throughput and latency harness (DESIGN sections
 * 5-7). This file is the driver: options, placement, the order of trials,
 * CSV, JSON and the summary. The measured loops live in loops.c (one copy per
 * variant) and limits.c; they reach the threads through bench_run_pair.
 *
 *   bipbench list | topo | run | latency | soak     (bipbench --help)
 *
 * Exit status: 0 done; 1 a run failed (a byte mismatched, a thread ran off
 * its PU, binding was refused); 2 bad usage, or a placement this machine
 * cannot give; 130 interrupted (what finished is still written).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <hwloc.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "bench_build.h"
#include "bench_commit.h"
#include "bipbuf_variants.h"
#include "hist.h"
#include "runner.h"
#include "topo.h"

/* ---- defaults (DESIGN section 5) ---------------------------------------- */

#define DEF_QUEUE    16384u
#define DEF_MSG      255u
#define DEF_MESSAGES 33554432u /* 2^18 x 128, as the seed */
#define DEF_TRIALS   5u
#define DEF_SEED     1u
/* The consumer's default lag (bipbuf_peek_wait): measured on a 16-core Xeon,
 * 8-byte messages, 512 bytes kept the two cores off each other's lines best. */
#define DEF_LAG          512u
#define DEF_LAT_MSG      8u
#define DEF_LAT_SAMPLES  100000u
#define DEF_SOAK_SECONDS 10.0
/* The unreported warm-up trial: the run's size, at most this many messages. */
#define WARMUP_MESSAGES (1u << 20)
/* Progress lines start once a run has taken this long. */
#define PROGRESS_AFTER_NS 2000000000ll

#define MIN_QUEUE       4u
#define MAX_QUEUE       (1u << 30)
#define MAX_MESSAGES    (1ull << 40)
#define MAX_TRIALS      10000u
#define MAX_LIST        64
#define MAX_SECONDS     86400.0
#define MAX_LAT_SAMPLES (1ull << 32)

enum cmd { CMD_LIST = 1, CMD_TOPO = 2, CMD_RUN = 4, CMD_LATENCY = 8, CMD_SOAK = 16 };
#define CMD_ALL (CMD_LIST | CMD_TOPO | CMD_RUN | CMD_LATENCY | CMD_SOAK)

static const char *const workload_names[] = {"seed", "fixed", "random"};
static const char *const read_names[] = {"none", "first", "all", "all"};

struct opts {
    enum cmd cmd;
    const char *cmd_name;
    int argc;
    char **argv;

    const char *variant_arg;
    const struct bench_impl *impls[MAX_LIST];
    size_t nimpls;
    int limits;
    enum bench_workload workload;
    const char *msg_arg;
    size_t msg_sizes[MAX_LIST];
    size_t nmsg;
    size_t queue_size;
    uint64_t messages;
    unsigned trials;
    const char *pair_arg;
    struct bench_placement places[MAX_LIST];
    size_t nplaces;
    int read_set;
    enum bench_read read;
    int check;
    uint64_t seed;
    int seed_set;
    size_t lag;
    int lag_set;
    const char *csv, *json;
    uint64_t samples;
    double seconds;
    int verbose;
    const char *synthetic;
};

/* ---- errors ------------------------------------------------------------- */

static const char *usage_line(enum cmd c) {
    switch (c) {
    case CMD_LIST:
        return "usage: bipbench list [--verbose]";
    case CMD_TOPO:
        return "usage: bipbench topo";
    case CMD_RUN:
        return "usage: bipbench run [--variant LIST] [--workload W] [--msg-size LIST] "
               "[--queue-size N] [--messages N] [--trials N] [--pair LIST] [--read R] [--check] "
               "[--limits] [--seed N] [--lag N] [--csv FILE|-] [--json FILE]   (bipbench run "
               "--help)";
    case CMD_LATENCY:
        return "usage: bipbench latency [--variant LIST] [--limits] [--msg-size N] "
               "[--queue-size N] [--samples N] [--pair LIST] [--csv FILE|-] [--json FILE]   "
               "(bipbench latency --help)";
    case CMD_SOAK:
        return "usage: bipbench soak [--seconds N] [--variant LIST] [--msg-size N] "
               "[--queue-size N] [--pair P] [--seed N]   (bipbench soak --help)";
    }
    return "usage: bipbench list | topo | run | latency | soak [options]   (bipbench --help)";
}

static enum cmd g_cmd;

/* One line naming the flag, then the usage line; exit status 2. */
static _Noreturn __attribute__((format(printf, 2, 3))) void usage_error(const char *flag,
                                                                        const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "bipbench: %s%s", flag ? flag : "", flag ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s\n", usage_line(g_cmd));
    exit(2);
}

/* ---- help ----------------------------------------------------------------- */

static const char help_commands[] =
    "bipbench - throughput and latency of the bipbuf variants, pinned with hwloc\n"
    "\n"
    "usage: bipbench <command> [options]      bipbench <command> --help\n"
    "\n"
    "commands:\n"
    "  list [--verbose]   every name --variant accepts, one per line (the 12 variants,\n"
    "                     cache-pad-order, then the limits). Aliases, not listed: 'seed' =\n"
    "                     " BIPBUF_SEED_VARIANT " (the original crate's design), 'all' = the\n"
    "                     12 variants. --verbose adds each entry's kind and what it is.\n"
    "  topo               the machine as hwloc sees it, and the PU pair each placement\n"
    "                     would use (or why it cannot)\n"
    "  run [options]      throughput trials; CSV rows, a summary table\n"
    "  latency [options]  round-trip ping-pong percentiles through two buffers\n"
    "  soak [options]     random sizes, truncates, cancels and partial consumes, every\n"
    "                     byte checked, each variant in turn\n";

static const char help_run[] =
    "bipbench run [options]: throughput, one CSV row per trial\n"
    "  --variant LIST   comma-separated names from `bipbench list`, 'all' (the 12\n"
    "                   variants) or 'seed' (alias of " BIPBUF_SEED_VARIANT "; its rows\n"
    "                   name the real variant)                               [all]\n"
    "  --limits         also run limit-onethread (the workload on one thread, steps\n"
    "                   interleaved) and limit-c2c (one-way core-to-core latency of the\n"
    "                   pair, at most 10^6 round trips; elapsed_ns is per hop)  [off]\n"
    "  --workload W     seed | fixed | random                                [seed]\n"
    "                   seed: byte 0 = length, the rest = i mod 128 (DESIGN 6);\n"
    "                   fixed: every message --msg-size bytes; random: sizes 1..--msg-size\n"
    "                   from a generator seeded with --seed\n"
    "  --msg-size LIST  bytes, comma-separated: 2..255 for seed, 1..queue/2 (the\n"
    "                   buffer's max_reserve) otherwise                      [255]\n"
    "  --queue-size N   buffer bytes, 4..1G; suffixes k, M, G are binary     [16384]\n"
    "  --messages N     messages per trial, 1..2^40                          [33554432]\n"
    "  --trials N       reported trials per entry, 1..10000, after one unreported warm-up\n"
    "                   trial of min(N messages, 2^20). Interleaved: round k runs trial k\n"
    "                   of every entry in turn, so a slow spell hits all alike [5]\n"
    "  --pair LIST      comma-separated placements: auto | smt | core | l3 | cross-l3 | numa,\n"
    "                   or A,B = producer and consumer PU by OS index        [core]\n"
    "                   core: two physical cores, sharing L3 where the machine allows;\n"
    "                   auto: core, or smt on a one-core machine (bipbench topo shows each)\n"
    "  --read R         none | first | all: what the consumer reads of each message\n"
    "                   (none: nothing; first: byte 0; all: sums every byte)\n"
    "                                                  [first for seed, all otherwise]\n"
    "  --check          verify every received byte (implies --read all); a mismatch fails\n"
    "                   the run (exit 1)                                     [off]\n"
    "  --seed N         the random workload's size generator seed (CSV, JSON) [1]\n"
    "  --lag N          bytes: while fewer are readable, the consumer pauses once before\n"
    "                   reading, so the producer gets ahead and the two cores stop passing\n"
    "                   the same lines per message (bipbuf_peek_wait); 0: poll at once.\n"
    "                   Same for every variant; peers and limits do not wait this way\n"
    "                   (their lag field is empty). CSV column lag                [512]\n"
    "  --csv FILE|-     CSV to FILE, written whole at the end (temporary file, fsync,\n"
    "                   rename); '-': to stdout as trials finish, the summary to stderr\n"
    "                                                                        [none]\n"
    "  --json FILE      run metadata: machine, kernel, compiler and flags, git commit, date,\n"
    "                   PUs used, all options                               [none]\n"
    "  CSV columns: variant,cached,pad,order,workload,read,msg_size,queue_size,messages,\n"
    "    trial,producer_pu,consumer_pu,relation,elapsed_ns,sends_per_sec,gb_per_sec, then\n"
    "    kind (variant|limit|peer), elapsed_unit (ns_trial, or ns_per_hop: limit-c2c, whose\n"
    "    messages are one-way hops), bytes (payload consumed), seed, check (0|1), placement\n"
    "    (as asked; A,B shows as 'explicit'), preemptions (involuntary context switches of\n"
    "    the two threads during the trial, yields that gave a CPU away included: non-zero\n"
    "    means the trial shared its CPUs with other work), lag (the consumer's, bytes).\n"
    "    GB = 10^9 payload bytes; seed messages count\n"
    "    all msg_size bytes. relation: smt | l3 | cross-l3 | numa | package | machine |\n"
    "    one-thread. The clock runs from releasing both threads to the last consume.\n";

static const char help_latency[] =
    "bipbench latency [options]: round trips, ping (producer PU) -> pong (consumer PU) ->\n"
    "ping through two buffers; each sample is one round trip in ns, two clock reads\n"
    "included (limit-c2c, timed the same way, is the floor for the pair)\n"
    "  --variant LIST   as for run; limit-c2c is the cache-line ping-pong     [all]\n"
    "  --limits         also run limit-c2c                                   [off]\n"
    "  --msg-size N     bytes per message, 1..queue/2; the pong reads byte 0 [8]\n"
    "  --queue-size N   bytes of each buffer, 4..1G                         [16384]\n"
    "  --samples N      round trips recorded, 1..2^32, after min(N/10, 10000) warm-up\n"
    "                   round trips                                          [100000]\n"
    "  --pair LIST      placements, as for run                               [core]\n"
    "  --csv FILE|-     --json FILE   as for run\n"
    "  CSV columns: variant,cached,pad,order,msg_size,queue_size,producer_pu,consumer_pu,\n"
    "    relation,p50_ns,p90_ns,p99_ns,p999_ns,max_ns,samples,min_ns,mean_ns,kind,placement.\n"
    "    Percentiles come from a log-bucket histogram with 2 significant digits\n"
    "    (a bucket's highest value); min, max and mean are exact.\n";

static const char help_soak[] =
    "bipbench soak [options]: correctness under load, each variant in turn\n"
    "  --seconds N      seconds per variant, > 0 (fractions allowed)         [10]\n"
    "  --variant LIST   variants, as for run                                 [all]\n"
    "  --msg-size N     largest reservation, 1..queue/2                      [queue/2]\n"
    "  --queue-size N   buffer bytes, 4..1G                                  [16384]\n"
    "  --pair LIST      placements, as for run                               [core]\n"
    "  --seed N         seed of both sides' generators                       [1]\n"
    "  Prints messages and bytes verified per variant; exit 1 on any mismatch.\n";

static const char help_common[] =
    "common:\n"
    "  --help, -h       this text\n"
    "  --topology-synthetic STR  (tests) use hwloc's synthetic machine STR, e.g.\n"
    "                   \"pack:2 l3:2 core:4 pu:2\", instead of this one; only list and topo\n"
    "                   accept it (threads cannot be bound there). Also from the\n"
    "                   environment: BIPBENCH_TOPOLOGY_SYNTHETIC.\n"
    "environment:\n"
    "  BIPBENCH_WATCHDOG=S   exit 3, saying what was running, after S seconds (tests)\n"
    "exit status: 0 done; 1 a run failed (mismatch, a thread off its PU, binding refused);\n"
    "  2 bad usage or a placement this machine cannot give; 130 interrupted (SIGINT stops\n"
    "  after the current trial and writes what finished).\n";

static void print_help(enum cmd c) {
    if (c == 0 || c == CMD_LIST || c == CMD_TOPO)
        fputs(help_commands, stdout);
    if (c == 0 || c == CMD_RUN)
        printf("%s%s", c == 0 ? "\n" : "", help_run);
    if (c == 0 || c == CMD_LATENCY)
        printf("\n%s", help_latency);
    if (c == 0 || c == CMD_SOAK)
        printf("\n%s", help_soak);
    printf("\n%s", help_common);
}

/* ---- parsing ---------------------------------------------------------------- */

/* Digits only, optionally a binary suffix (k, M, G) when sizes allow it. */
static int parse_u64(const char *s, int suffix, uint64_t *out) {
    uint64_t v = 0, mul = 1;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
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
            return -1;
        v *= mul;
    }
    if (*p)
        return -1;
    *out = v;
    return 0;
}

static uint64_t need_u64(const char *flag, const char *val, int suffix, uint64_t lo, uint64_t hi) {
    uint64_t v;
    if (parse_u64(val, suffix, &v) != 0)
        usage_error(flag, "'%s' is not a %s", val,
                    suffix ? "size in bytes (digits, optional k/M/G)" : "whole number");
    if (v < lo || v > hi)
        usage_error(flag, "%s is out of range (%llu..%llu)", val, (unsigned long long)lo,
                    (unsigned long long)hi);
    return v;
}

/* Split a comma-separated list in place; returns the count or -1 if too long. */
static int split_list(char *s, char **items, int max) {
    int n = 0;
    for (char *tok = s;;) {
        char *comma = strchr(tok, ',');
        if (n == max)
            return -1;
        if (comma)
            *comma = '\0';
        items[n++] = tok;
        if (!comma)
            break;
        tok = comma + 1;
    }
    return n;
}

static const struct bench_impl *find_impl(const char *name) {
    size_t n;
    const struct bench_impl *const *reg = bench_registry(&n);
    if (strcmp(name, "seed") == 0)
        name = BIPBUF_SEED_VARIANT;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(reg[i]->name, name) == 0)
            return reg[i];
    }
    return NULL;
}

static void add_impl(struct opts *o, const struct bench_impl *im) {
    for (size_t i = 0; i < o->nimpls; i++) {
        if (o->impls[i] == im)
            return; /* 'seed' and its variant, or a name given twice: once */
    }
    if (o->nimpls == MAX_LIST)
        usage_error("--variant", "too many names");
    o->impls[o->nimpls++] = im;
}

static void parse_variants(struct opts *o, const char *arg) {
    char *copy = strdup(arg), *items[MAX_LIST];
    size_t n;
    const struct bench_impl *const *reg = bench_registry(&n);
    int k = split_list(copy, items, MAX_LIST);
    if (k < 0)
        usage_error("--variant", "too many names");
    for (int i = 0; i < k; i++) {
        if (strcmp(items[i], "all") == 0) {
            for (size_t j = 0; j < n; j++) {
                if (reg[j]->kind == BENCH_KIND_VARIANT)
                    add_impl(o, reg[j]);
            }
            continue;
        }
        const struct bench_impl *im = find_impl(items[i]);
        if (im == NULL)
            usage_error("--variant", "unknown name '%s' (bipbench list shows them)", items[i]);
        add_impl(o, im);
    }
    free(copy);
}

static void parse_pairs(struct opts *o, const char *arg) {
    char *copy = strdup(arg), *items[2 * MAX_LIST];
    int k = split_list(copy, items, 2 * MAX_LIST);
    if (k < 0)
        usage_error("--pair", "too many placements");
    o->nplaces = 0;
    for (int i = 0; i < k; i++) {
        struct bench_placement *pl = &o->places[o->nplaces];
        uint64_t a, b;
        if (o->nplaces == MAX_LIST)
            usage_error("--pair", "too many placements");
        if (items[i][0] >= '0' && items[i][0] <= '9') {
            /* A,B: two OS indexes in a row. */
            if (parse_u64(items[i], 0, &a) != 0 || a > UINT_MAX)
                usage_error("--pair", "'%s' is not a PU number", items[i]);
            if (i + 1 >= k || parse_u64(items[i + 1], 0, &b) != 0 || b > UINT_MAX)
                usage_error("--pair", "PU %s needs a partner: A,B gives two PU numbers", items[i]);
            pl->kind = BENCH_PLACE_EXPLICIT;
            pl->a = (unsigned)a;
            pl->b = (unsigned)b;
            i++;
        } else if (bench_place_parse(items[i], &pl->kind) != 0) {
            usage_error("--pair",
                        "unknown placement '%s' (auto, smt, core, l3, cross-l3, numa or A,B)",
                        items[i]);
        }
        o->nplaces++;
    }
    free(copy);
}

struct flagdef {
    const char *name;
    int has_value;
    int cmds;
};

static const struct flagdef flagdefs[] = {
    {"--variant", 1, CMD_RUN | CMD_LATENCY | CMD_SOAK},
    {"--limits", 0, CMD_RUN | CMD_LATENCY},
    {"--workload", 1, CMD_RUN},
    {"--msg-size", 1, CMD_RUN | CMD_LATENCY | CMD_SOAK},
    {"--queue-size", 1, CMD_RUN | CMD_LATENCY | CMD_SOAK},
    {"--messages", 1, CMD_RUN},
    {"--trials", 1, CMD_RUN},
    {"--pair", 1, CMD_RUN | CMD_LATENCY | CMD_SOAK},
    {"--read", 1, CMD_RUN},
    {"--check", 0, CMD_RUN},
    {"--seed", 1, CMD_RUN | CMD_SOAK},
    {"--lag", 1, CMD_RUN},
    {"--csv", 1, CMD_RUN | CMD_LATENCY},
    {"--json", 1, CMD_RUN | CMD_LATENCY},
    {"--samples", 1, CMD_LATENCY},
    {"--seconds", 1, CMD_SOAK},
    {"--verbose", 0, CMD_LIST},
    {"--topology-synthetic", 1, CMD_ALL},
};

/* The index of s among the first n names, or -1. */
static int name_index(const char *const *names, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static void parse_args(struct opts *o, int argc, char **argv) {
    static const struct {
        const char *name;
        enum cmd cmd;
    } cmds[] = {{"list", CMD_LIST},
                {"topo", CMD_TOPO},
                {"run", CMD_RUN},
                {"latency", CMD_LATENCY},
                {"soak", CMD_SOAK}};
    const char *variant = NULL, *workload = NULL, *read = NULL, *pair = NULL, *msg = NULL;
    const char *queue = NULL;

    memset(o, 0, sizeof *o);
    o->argc = argc;
    o->argv = argv;
    if (argc < 2)
        usage_error(NULL, "a command is needed");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_help(0);
        exit(0);
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (strcmp(argv[1], cmds[i].name) == 0) {
            o->cmd = cmds[i].cmd;
            o->cmd_name = cmds[i].name;
        }
    }
    if (o->cmd == 0)
        usage_error(NULL, "unknown command '%s'", argv[1]);
    g_cmd = o->cmd;

    for (int i = 2; i < argc; i++) {
        char *arg = argv[i], *val = NULL, name[64];
        const struct flagdef *fd = NULL;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            print_help(o->cmd);
            exit(0);
        }
        if (strncmp(arg, "--", 2) != 0)
            usage_error(arg, "unexpected argument (options start with --)");
        snprintf(name, sizeof name, "%s", arg);
        if (strchr(name, '=')) {
            *strchr(name, '=') = '\0';
            val = strchr(arg, '=') + 1;
        }
        for (size_t k = 0; k < sizeof flagdefs / sizeof flagdefs[0]; k++) {
            if (strcmp(name, flagdefs[k].name) == 0)
                fd = &flagdefs[k];
        }
        if (fd == NULL || !(fd->cmds & o->cmd))
            usage_error(name, "unknown flag for bipbench %s", o->cmd_name);
        if (fd->has_value && val == NULL) {
            if (i + 1 >= argc)
                usage_error(name, "needs a value");
            val = argv[++i];
        } else if (!fd->has_value && val != NULL) {
            usage_error(name, "takes no value");
        }
        if (fd->has_value && val[0] == '\0')
            usage_error(name, "needs a value");

        if (strcmp(name, "--variant") == 0)
            variant = val;
        else if (strcmp(name, "--limits") == 0)
            o->limits = 1;
        else if (strcmp(name, "--workload") == 0)
            workload = val;
        else if (strcmp(name, "--msg-size") == 0)
            msg = val;
        else if (strcmp(name, "--queue-size") == 0)
            queue = val;
        else if (strcmp(name, "--messages") == 0)
            o->messages = need_u64(name, val, 0, 1, MAX_MESSAGES);
        else if (strcmp(name, "--trials") == 0)
            o->trials = (unsigned)need_u64(name, val, 0, 1, MAX_TRIALS);
        else if (strcmp(name, "--pair") == 0)
            pair = val;
        else if (strcmp(name, "--read") == 0)
            read = val;
        else if (strcmp(name, "--check") == 0)
            o->check = 1;
        else if (strcmp(name, "--lag") == 0) {
            o->lag = (size_t)need_u64(name, val, 1, 0, MAX_QUEUE);
            o->lag_set = 1;
        } else if (strcmp(name, "--seed") == 0) {
            o->seed = need_u64(name, val, 0, 0, UINT64_MAX);
            o->seed_set = 1;
        } else if (strcmp(name, "--csv") == 0)
            o->csv = val;
        else if (strcmp(name, "--json") == 0)
            o->json = val;
        else if (strcmp(name, "--samples") == 0)
            o->samples = need_u64(name, val, 0, 1, MAX_LAT_SAMPLES);
        else if (strcmp(name, "--seconds") == 0) {
            char *end;
            errno = 0;
            o->seconds = strtod(val, &end);
            if (*end || end == val || errno || !(o->seconds > 0) || o->seconds > MAX_SECONDS)
                usage_error(name, "'%s' is not a number of seconds in (0, %.0f]", val, MAX_SECONDS);
        } else if (strcmp(name, "--verbose") == 0)
            o->verbose = 1;
        else if (strcmp(name, "--topology-synthetic") == 0)
            o->synthetic = val;
    }
    if (o->synthetic == NULL) {
        const char *env = getenv("BIPBENCH_TOPOLOGY_SYNTHETIC");
        if (env && *env)
            o->synthetic = env;
    }
    if (o->cmd == CMD_LIST || o->cmd == CMD_TOPO)
        return;

    /* Defaults, then the checks that need several flags at once. */
    if (o->messages == 0)
        o->messages = DEF_MESSAGES;
    if (o->trials == 0)
        o->trials = DEF_TRIALS;
    if (o->samples == 0)
        o->samples = DEF_LAT_SAMPLES;
    if (o->seconds == 0)
        o->seconds = DEF_SOAK_SECONDS;
    if (!o->seed_set)
        o->seed = DEF_SEED;
    if (!o->lag_set)
        o->lag = DEF_LAG;
    o->queue_size =
        queue ? (size_t)need_u64("--queue-size", queue, 1, MIN_QUEUE, MAX_QUEUE) : DEF_QUEUE;
    if (o->queue_size < MIN_QUEUE)
        usage_error("--queue-size", "%zu bytes is too small (at least %u)", o->queue_size,
                    MIN_QUEUE);

    o->workload = BENCH_WL_SEED;
    if (workload) {
        int w = name_index(workload_names, 3, workload);
        if (w < 0)
            usage_error("--workload", "unknown workload '%s' (seed, fixed or random)", workload);
        o->workload = (enum bench_workload)w;
    }
    if (o->cmd == CMD_RUN) {
        o->read = o->workload == BENCH_WL_SEED ? BENCH_READ_FIRST : BENCH_READ_ALL;
        if (read) {
            int r = name_index(read_names, 3, read);
            if (r < 0)
                usage_error("--read", "unknown read mode '%s' (none, first or all)", read);
            o->read = (enum bench_read)r;
            o->read_set = 1;
            if (o->check && o->read != BENCH_READ_ALL)
                usage_error("--read", "--check reads and verifies every byte: use --read all "
                                      "or leave --read out");
        }
        if (o->check)
            o->read = BENCH_READ_CHECK;
    }

    o->variant_arg = variant ? variant : "all";
    parse_variants(o, o->variant_arg);
    if (o->limits) {
        size_t n;
        const struct bench_impl *const *reg = bench_registry(&n);
        for (size_t j = 0; j < n; j++) {
            if (reg[j]->kind == BENCH_KIND_LIMIT &&
                (o->cmd != CMD_LATENCY || reg[j]->latency != NULL))
                add_impl(o, reg[j]);
        }
    }
    for (size_t i = 0; i < o->nimpls; i++) {
        const struct bench_impl *im = o->impls[i];
        if ((o->cmd == CMD_RUN && !im->throughput) || (o->cmd == CMD_LATENCY && !im->latency) ||
            (o->cmd == CMD_SOAK && !im->soak))
            usage_error("--variant", "%s has no %s measurement", im->name, o->cmd_name);
    }

    o->pair_arg = pair ? pair : "core";
    parse_pairs(o, o->pair_arg);

    /* Message sizes last: their limits depend on the workload and the queue. */
    o->msg_arg = msg;
    if (msg) {
        char *copy = strdup(msg), *items[MAX_LIST];
        int k = split_list(copy, items, MAX_LIST);
        if (k < 0)
            usage_error("--msg-size", "too many sizes");
        if (k > 1 && o->cmd != CMD_RUN)
            usage_error("--msg-size", "bipbench %s takes one size", o->cmd_name);
        for (int i = 0; i < k; i++)
            o->msg_sizes[o->nmsg++] = (size_t)need_u64("--msg-size", items[i], 1, 1, MAX_QUEUE);
        free(copy);
    } else {
        o->nmsg = 1;
        o->msg_sizes[0] = o->cmd == CMD_RUN       ? DEF_MSG
                          : o->cmd == CMD_LATENCY ? DEF_LAT_MSG
                                                  : o->queue_size / 2;
    }
    for (size_t i = 0; i < o->nmsg; i++) {
        size_t m = o->msg_sizes[i];
        if (o->cmd == CMD_RUN && o->workload == BENCH_WL_SEED && (m < 2 || m > 255))
            usage_error("--msg-size",
                        "%zu: seed messages are 2..255 bytes (the length must fit in byte 0)", m);
        for (size_t j = 0; j < o->nimpls; j++) {
            const struct bench_impl *im = o->impls[j];
            size_t max = im->max_message ? im->max_message(o->queue_size) : o->queue_size / 2;
            if (m > max)
                usage_error("--msg-size",
                            "%zu is larger than the largest message of a %zu-byte queue for %s "
                            "(%zu: %s); raise --queue-size",
                            m, o->queue_size, im->name, max,
                            im->max_message ? "its own limit" : "max_reserve = queue/2");
        }
    }
}

/* ---- output files: written whole or not at all ----------------------------- */

struct outfile {
    const char *path;
    char *tmp;
    int fd;
    int open;
};

static struct outfile g_outs[2];

static void outfiles_abandon(void) {
    for (int i = 0; i < 2; i++) {
        if (g_outs[i].open) {
            close(g_outs[i].fd);
            unlink(g_outs[i].tmp);
            g_outs[i].open = 0;
        }
    }
}

/* Create the temporary beside the target now, so an unwritable path fails
 * before the run rather than after it. */
static struct outfile *outfile_open(int slot, const char *path, const char *flag) {
    struct outfile *o = &g_outs[slot];
    size_t n = strlen(path) + 16;
    o->tmp = malloc(n);
    if (o->tmp == NULL)
        usage_error(flag, "out of memory");
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0)
        usage_error(flag, "cannot create a file beside '%s': %s", path, strerror(errno));
    o->path = path;
    o->open = 1;
    return o;
}

static int outfile_commit(struct outfile *o, const char *data, size_t len) {
    mode_t um = umask(0);
    size_t done = 0;
    umask(um);
    fchmod(o->fd, 0666 & ~um);
    while (done < len) {
        ssize_t w = write(o->fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            goto fail;
        done += (size_t)w;
    }
    if (fsync(o->fd) != 0)
        goto fail;
    if (close(o->fd) != 0) {
        o->open = 0;
        unlink(o->tmp);
        goto fail_closed;
    }
    o->open = 0;
    if (rename(o->tmp, o->path) != 0) {
        unlink(o->tmp);
        goto fail_closed;
    }
    {
        /* The rename is durable once the directory is. */
        char *dir = strdup(o->path), *slash = strrchr(dir, '/');
        int dfd;
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        dfd = open(slash ? dir : ".", O_RDONLY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dir);
    }
    return 0;
fail:
    close(o->fd);
    o->open = 0;
    unlink(o->tmp);
fail_closed:
    fprintf(stderr, "bipbench: cannot write '%s': %s\n", o->path, strerror(errno));
    return -1;
}

/* ---- machine and JSON ------------------------------------------------------ */

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void cpu_model(char *out, size_t len) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(out, len, "unknown");
    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0 || strncmp(line, "Model", 5) == 0 ||
            strncmp(line, "cpu model", 9) == 0) {
            char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                colon[strcspn(colon, "\n")] = '\0';
                snprintf(out, len, "%s", colon);
                break;
            }
        }
    }
    fclose(f);
}

/* The commit the binary was built from (recorded at build time, with
 * -dirty when tracked files differed from it). */
static void git_commit(char *out, size_t len) {
    snprintf(out, len, "%s", BIPBENCH_GIT_COMMIT);
}

static int count_type(hwloc_topology_t t, hwloc_obj_type_t type) {
    int n = hwloc_get_nbobjs_by_type(t, type);
    return n < 0 ? 0 : n;
}

static void topo_summary(hwloc_topology_t t, char *out, size_t len) {
    hwloc_obj_t l3 = hwloc_get_obj_by_type(t, HWLOC_OBJ_L3CACHE, 0);
    snprintf(out, len, "%d package(s), %d NUMA node(s), %d L3 cache(s)%s, %d core(s), %d PU(s)",
             count_type(t, HWLOC_OBJ_PACKAGE), count_type(t, HWLOC_OBJ_NUMANODE),
             count_type(t, HWLOC_OBJ_L3CACHE), l3 ? "" : " (none reported)",
             count_type(t, HWLOC_OBJ_CORE), count_type(t, HWLOC_OBJ_PU));
}

static const struct {
    hwloc_obj_type_t type;
    const char *name;
} cache_types[] = {{HWLOC_OBJ_L1CACHE, "L1d"},
                   {HWLOC_OBJ_L2CACHE, "L2"},
                   {HWLOC_OBJ_L3CACHE, "L3"},
                   {HWLOC_OBJ_L4CACHE, "L4"}};

static void json_machine(FILE *f, hwloc_topology_t t, int synthetic) {
    char model[256], summary[256];
    struct utsname u;
    cpu_model(model, sizeof model);
    topo_summary(t, summary, sizeof summary);
    fputs("  \"machine\": {\n    \"cpu_model\": ", f);
    json_str(f, synthetic ? "synthetic" : model);
    fprintf(f,
            ",\n    \"packages\": %d,\n    \"numa_nodes\": %d,\n    \"cores\": %d,\n"
            "    \"pus\": %d,\n    \"topology\": ",
            count_type(t, HWLOC_OBJ_PACKAGE), count_type(t, HWLOC_OBJ_NUMANODE),
            count_type(t, HWLOC_OBJ_CORE), count_type(t, HWLOC_OBJ_PU));
    json_str(f, summary);
    fputs(",\n    \"caches\": [", f);
    int first = 1;
    for (size_t i = 0; i < sizeof cache_types / sizeof cache_types[0]; i++) {
        hwloc_obj_t c = hwloc_get_obj_by_type(t, cache_types[i].type, 0);
        if (c == NULL || c->attr == NULL)
            continue;
        fprintf(f,
                "%s\n      {\"level\": \"%s\", \"count\": %d, \"size_bytes\": %llu, "
                "\"line_bytes\": %u, \"associativity\": %d}",
                first ? "" : ",", cache_types[i].name, count_type(t, cache_types[i].type),
                (unsigned long long)c->attr->cache.size, c->attr->cache.linesize,
                c->attr->cache.associativity);
        first = 0;
    }
    fputs(first ? "]\n  },\n" : "\n    ]\n  },\n", f);
    if (uname(&u) == 0) {
        fputs("  \"kernel\": {\"sysname\": ", f);
        json_str(f, u.sysname);
        fputs(", \"release\": ", f);
        json_str(f, u.release);
        fputs(", \"version\": ", f);
        json_str(f, u.version);
        fputs(", \"arch\": ", f);
        json_str(f, u.machine);
        fputs(", \"hostname\": ", f);
        json_str(f, u.nodename);
        fputs("},\n", f);
    }
}

/* ---- topology ------------------------------------------------------------- */

static hwloc_topology_t load_topology(const struct opts *o) {
    hwloc_topology_t t;
    if (hwloc_topology_init(&t) != 0) {
        fprintf(stderr, "bipbench: hwloc_topology_init failed\n");
        exit(1);
    }
    if (o->synthetic && hwloc_topology_set_synthetic(t, o->synthetic) != 0)
        usage_error("--topology-synthetic", "hwloc cannot read '%s'", o->synthetic);
    if (hwloc_topology_load(t) != 0) {
        fprintf(stderr, "bipbench: hwloc_topology_load failed: %s\n", strerror(errno));
        exit(1);
    }
    return t;
}

/* Choose every pair before anything runs: a placement the machine cannot
 * give is a usage error, never a silent substitute. */
static void select_pairs(const struct opts *o, hwloc_topology_t t, struct bench_pair *pairs) {
    for (size_t i = 0; i < o->nplaces; i++) {
        char why[256];
        if (bench_pair_select(t, &o->places[i], &pairs[i], why, sizeof why) != 0) {
            if (o->places[i].kind == BENCH_PLACE_EXPLICIT)
                usage_error("--pair", "%u,%u: %s", o->places[i].a, o->places[i].b, why);
            usage_error("--pair", "%s: %s", bench_place_name(o->places[i].kind), why);
        }
    }
}

static int cmd_topo(const struct opts *o, hwloc_topology_t t) {
    char model[256], summary[256];
    cpu_model(model, sizeof model);
    topo_summary(t, summary, sizeof summary);
    printf("machine: %s\n", o->synthetic ? "synthetic" : model);
    if (o->synthetic)
        printf("synthetic: %s\n", o->synthetic);
    printf("topology: %s\n", summary);
    for (size_t i = 0; i < sizeof cache_types / sizeof cache_types[0]; i++) {
        hwloc_obj_t c = hwloc_get_obj_by_type(t, cache_types[i].type, 0);
        if (c && c->attr)
            printf("cache: %s %d x %llu KiB, %u-byte lines\n", cache_types[i].name,
                   count_type(t, cache_types[i].type),
                   (unsigned long long)c->attr->cache.size / 1024, c->attr->cache.linesize);
    }
    printf("PUs (OS index: core, L3, NUMA node):");
    hwloc_obj_t pu = NULL;
    int shown = 0;
    while ((pu = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_PU, pu)) != NULL && shown < 64) {
        hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_CORE, pu);
        hwloc_obj_t l3 = hwloc_get_ancestor_obj_by_type(t, HWLOC_OBJ_L3CACHE, pu);
        hwloc_obj_t numa = NULL, n = NULL;
        while ((n = hwloc_get_next_obj_by_type(t, HWLOC_OBJ_NUMANODE, n)) != NULL) {
            if (n->cpuset && hwloc_bitmap_isset(n->cpuset, pu->os_index))
                numa = n;
        }
        printf("%s%u:c%d/l3-%d/n%d", shown % 8 ? " " : "\n  ", pu->os_index,
               core ? (int)core->logical_index : -1, l3 ? (int)l3->logical_index : -1,
               numa ? (int)numa->logical_index : -1);
        shown++;
    }
    if (count_type(t, HWLOC_OBJ_PU) > shown)
        printf("\n  ... %d more", count_type(t, HWLOC_OBJ_PU) - shown);
    printf("\nplacements (producer PU, consumer PU: relation):\n");
    for (int k = 0; k < BENCH_PLACE_NAMED_COUNT; k++) {
        struct bench_placement pl = {(enum bench_place)k, 0, 0};
        struct bench_pair p;
        char why[256];
        if (bench_pair_select(t, &pl, &p, why, sizeof why) == 0)
            printf("  %-9s %u,%u: %s\n", bench_place_name(pl.kind), p.pu[0], p.pu[1], p.relation);
        else
            printf("  %-9s unavailable: %s\n", bench_place_name(pl.kind), why);
    }
    return 0;
}

static int cmd_list(const struct opts *o) {
    size_t n;
    const struct bench_impl *const *reg = bench_registry(&n);
    static const char *const kinds[] = {"variant", "limit", "peer"};
    for (size_t i = 0; i < n; i++) {
        if (o->verbose)
            printf("%-24s %-8s %s\n", reg[i]->name, kinds[reg[i]->kind], reg[i]->about);
        else
            printf("%s\n", reg[i]->name);
    }
    if (o->verbose) {
        printf("%-24s %-8s %s\n", "seed", "alias", "= " BIPBUF_SEED_VARIANT ", the crate's design");
        printf("%-24s %-8s %s\n", "all", "alias", "the 12 variants (--limits adds the limits)");
    }
    return 0;
}

/* ---- signals and the watchdog ---------------------------------------------- */

static char g_stage[2][200];
static volatile sig_atomic_t g_stage_idx;

static void set_stage(const char *fmt, ...) {
    int next = !g_stage_idx;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_stage[next], sizeof g_stage[next], fmt, ap);
    va_end(ap);
    g_stage_idx = next;
}

/* A second SIGINT closer than this to the first is the same interrupt
 * delivered twice: timeout(1), for one, passes it on to its child and again
 * to its process group. Only a later one quits at once. */
#define SIGINT_REPEAT_NS 500000000LL

static void on_sigint(int sig) {
    static const char msg[] = "\nbipbench: interrupted: stopping after the current trial "
                              "(again to quit at once)\n";
    static const char quit[] = "\nbipbench: interrupted again: quitting now\n";
    static struct timespec first; /* only this handler touches it */
    struct timespec now;
    (void)sig;
    clock_gettime(CLOCK_MONOTONIC, &now); /* async-signal-safe */
    if (!bench_stop_flag) {
        first = now;
        bench_stop_flag = 1;
        if (write(2, msg, sizeof msg - 1) < 0) {
        }
        return;
    }
    if ((now.tv_sec - first.tv_sec) * 1000000000LL + (now.tv_nsec - first.tv_nsec) <
        SIGINT_REPEAT_NS)
        return;
    if (write(2, quit, sizeof quit - 1) < 0) {
    }
    /* Nothing half-written stays behind: the temporaries go (unlink is
     * async-signal-safe); the targets were never touched. */
    for (int i = 0; i < 2; i++)
        if (g_outs[i].open)
            unlink(g_outs[i].tmp);
    _exit(130);
}

static void on_alarm(int sig) {
    static const char pre[] = "bipbench: watchdog: still running: ";
    const char *s = g_stage[g_stage_idx];
    (void)sig;
    if (write(2, pre, sizeof pre - 1) < 0 || write(2, s, strlen(s)) < 0 || write(2, "\n", 1) < 0) {
    }
    _exit(3);
}

static void install_handlers(void) {
    const char *w = getenv("BIPBENCH_WATCHDOG");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    if (w && *w) {
        uint64_t s;
        if (parse_u64(w, 0, &s) != 0 || s == 0 || s > 86400)
            usage_error("BIPBENCH_WATCHDOG", "'%s' is not a number of seconds", w);
        sa.sa_handler = on_alarm;
        sigaction(SIGALRM, &sa, NULL);
        alarm((unsigned)s);
    }
}

/* ---- run --------------------------------------------------------------------- */

struct row {
    const struct bench_impl *im;
    size_t msg;
    size_t pair;
    unsigned trial;
    long preemptions;
    struct bench_tput_out out;
};

static void csv_field_int(FILE *f, int v) {
    if (v >= 0)
        fprintf(f, "%d", v);
}

static double row_rate(const struct row *r) {
    return r->out.elapsed_ns > 0 ? (double)r->out.messages * 1e9 / (double)r->out.elapsed_ns : 0;
}
static double row_gbps(const struct row *r) {
    return r->out.elapsed_ns > 0 ? (double)r->out.bytes / (double)r->out.elapsed_ns : 0;
}
static double row_hop_ns(const struct row *r) {
    return r->out.messages ? (double)r->out.elapsed_ns / (double)r->out.messages : 0;
}

static const char run_header[] =
    "variant,cached,pad,order,workload,read,msg_size,queue_size,messages,trial,producer_pu,"
    "consumer_pu,relation,elapsed_ns,sends_per_sec,gb_per_sec,kind,elapsed_unit,bytes,seed,check,"
    "placement,preemptions,lag\n";

static const char *kind_name(enum bench_kind k) {
    return k == BENCH_KIND_VARIANT ? "variant" : k == BENCH_KIND_LIMIT ? "limit" : "peer";
}

static void csv_row(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                    const struct row *r) {
    const struct bench_impl *im = r->im;
    const struct bench_pair *p = &pairs[r->pair];
    int one = im->one_thread;
    fprintf(f, "%s,", im->name);
    csv_field_int(f, im->cached);
    fputc(',', f);
    csv_field_int(f, im->pad);
    fprintf(f, ",%s,%s,%s,%zu,%zu,%llu,%u,%u,%u,%s,", im->order ? im->order : "",
            r->out.per_hop ? "c2c" : workload_names[o->workload],
            r->out.per_hop ? "none" : read_names[o->read], r->msg, o->queue_size,
            (unsigned long long)r->out.messages, r->trial, p->pu[0], one ? p->pu[0] : p->pu[1],
            one ? "one-thread" : p->relation);
    if (r->out.per_hop)
        fprintf(f, "%.2f,%.1f,0,", row_hop_ns(r), row_rate(r));
    else
        fprintf(f, "%lld,%.1f,%.6f,", (long long)r->out.elapsed_ns, row_rate(r), row_gbps(r));
    fprintf(f, "%s,%s,%llu,%llu,%d,%s,%ld,", kind_name(im->kind),
            r->out.per_hop ? "ns_per_hop" : "ns_trial", (unsigned long long)r->out.bytes,
            (unsigned long long)o->seed, o->check,
            o->places[r->pair].kind == BENCH_PLACE_EXPLICIT ? "explicit" : p->placement,
            r->preemptions);
    /* Only the variants' two-thread consumers wait with a lag: the peers and
     * the limits leave the field empty rather than claim one. */
    if (im->kind == BENCH_KIND_VARIANT)
        fprintf(f, "%zu", o->lag);
    fputc('\n', f);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The summary: one line per (placement, size, entry): median, min, max. */
static void run_summary(FILE *f, const struct bench_pair *pairs, const struct row *rows,
                        size_t nrows) {
    double *a = malloc((nrows + 1) * sizeof *a), *g = malloc((nrows + 1) * sizeof *g);
    if (a == NULL || g == NULL || nrows == 0) {
        free(a);
        free(g);
        return;
    }
    fprintf(f, "%-24s %5s %-12s %6s  %28s  %22s\n", "variant", "msg", "pair (PUs)", "trials",
            "Msends/s median [min, max]", "GB/s median [min, max]");
    for (size_t i = 0; i < nrows;) {
        size_t j = i, n = 0;
        char pl[48];
        if (rows[i].im == NULL) { /* a slot an interrupted run did not fill */
            i++;
            continue;
        }
        while (j < nrows &&
               (rows[j].im == NULL || (rows[j].im == rows[i].im && rows[j].msg == rows[i].msg &&
                                       rows[j].pair == rows[i].pair))) {
            if (rows[j].im != NULL) {
                a[n] = rows[j].out.per_hop ? row_hop_ns(&rows[j]) : row_rate(&rows[j]) / 1e6;
                g[n] = row_gbps(&rows[j]);
                n++;
            }
            j++;
        }
        snprintf(pl, sizeof pl, "%s (%u,%u)", pairs[rows[i].pair].placement,
                 pairs[rows[i].pair].pu[0], pairs[rows[i].pair].pu[1]);
        double lo = a[0], hi = a[0], glo = g[0], ghi = g[0];
        for (size_t k = 1; k < n; k++) {
            lo = a[k] < lo ? a[k] : lo;
            hi = a[k] > hi ? a[k] : hi;
            glo = g[k] < glo ? g[k] : glo;
            ghi = g[k] > ghi ? g[k] : ghi;
        }
        if (rows[i].out.per_hop)
            fprintf(f, "%-24s %5zu %-12s %6zu  %9.1f ns/hop [%.1f, %.1f]\n", rows[i].im->name,
                    rows[i].msg, pl, n, median(a, n), lo, hi);
        else
            fprintf(f, "%-24s %5zu %-12s %6zu  %8.2f [%7.2f, %7.2f]  %6.3f [%6.3f, %6.3f]\n",
                    rows[i].im->name, rows[i].msg, pl, n, median(a, n), lo, hi, median(g, n), glo,
                    ghi);
        i = j;
    }
    free(a);
    free(g);
}

static const char *status_name(int rc) {
    return rc == 0 ? "complete" : rc == 130 ? "interrupted" : "failed";
}

/* The JSON metadata for run and latency. */
static char *json_doc(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs,
                      int rc, size_t rows, size_t *len) {
    char *buf = NULL, now[32], commit[128];
    FILE *f = open_memstream(&buf, len);
    time_t tt = time(NULL);
    struct tm tm;
    if (f == NULL)
        return NULL;
    gmtime_r(&tt, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    git_commit(commit, sizeof commit);
    fputs("{\n  \"tool\": \"bipbench\",\n  \"version\": ", f);
    json_str(f, BIPBENCH_VERSION);
    fputs(",\n  \"command\": ", f);
    json_str(f, o->cmd_name);
    fputs(",\n  \"argv\": [", f);
    for (int i = 0; i < o->argc; i++) {
        fputs(i ? ", " : "", f);
        json_str(f, o->argv[i]);
    }
    fprintf(f, "],\n  \"status\": \"%s\",\n  \"rows\": %zu,\n  \"date_utc\": \"%s\",\n",
            status_name(rc), rows, now);
    json_machine(f, t, o->synthetic != NULL);
    fputs("  \"build\": {\"compiler\": ", f);
#if defined(__clang__)
    json_str(f, "clang " __clang_version__);
#elif defined(__GNUC__)
    json_str(f, "gcc " __VERSION__);
#else
    json_str(f, "unknown");
#endif
    fputs(", \"c_flags\": ", f);
    json_str(f, BIPBENCH_C_FLAGS);
    fputs(", \"build_type\": ", f);
    json_str(f, BIPBENCH_BUILD_TYPE);
    fprintf(f, ", \"hwloc_api\": \"0x%x\"},\n  \"git_commit\": ", (unsigned)HWLOC_API_VERSION);
    json_str(f, commit);
    fputs(",\n  \"pus_used\": [", f);
    for (size_t i = 0; i < o->nplaces; i++) {
        fprintf(f, "%s\n    {\"placement\": ", i ? "," : "");
        json_str(f, pairs[i].placement);
        fprintf(f, ", \"producer_pu\": %u, \"consumer_pu\": %u, \"relation\": ", pairs[i].pu[0],
                pairs[i].pu[1]);
        json_str(f, pairs[i].relation);
        fputc('}', f);
    }
    fputs("\n  ],\n  \"options\": {\n    \"variant\": ", f);
    json_str(f, o->variant_arg);
    fputs(",\n    \"variants\": [", f);
    for (size_t i = 0; i < o->nimpls; i++) {
        fputs(i ? ", " : "", f);
        json_str(f, o->impls[i]->name);
    }
    fprintf(f, "],\n    \"limits\": %s,\n", o->limits ? "true" : "false");
    if (o->cmd == CMD_RUN) {
        fprintf(f,
                "    \"workload\": \"%s\",\n    \"read\": \"%s\",\n    \"check\": %s,\n"
                "    \"messages\": %llu,\n    \"trials\": %u,\n    \"warmup_messages\": %llu,\n"
                "    \"seed\": %llu,\n    \"lag\": %zu,\n",
                workload_names[o->workload], read_names[o->read], o->check ? "true" : "false",
                (unsigned long long)o->messages, o->trials,
                (unsigned long long)(o->messages < WARMUP_MESSAGES ? o->messages : WARMUP_MESSAGES),
                (unsigned long long)o->seed, o->lag);
    } else {
        fprintf(f, "    \"samples\": %llu,\n    \"warmup_samples\": %llu,\n",
                (unsigned long long)o->samples,
                (unsigned long long)(o->samples / 10 < 10000 ? o->samples / 10 : 10000));
    }
    fputs("    \"msg_size\": [", f);
    for (size_t i = 0; i < o->nmsg; i++)
        fprintf(f, "%s%zu", i ? ", " : "", o->msg_sizes[i]);
    fprintf(f, "],\n    \"queue_size\": %zu,\n    \"pair\": ", o->queue_size);
    json_str(f, o->pair_arg);
    fputs(",\n    \"csv\": ", f);
    if (o->csv)
        json_str(f, o->csv);
    else
        fputs("null", f);
    fputs(",\n    \"json\": ", f);
    json_str(f, o->json);
    fputs("\n  }\n}\n", f);
    fclose(f);
    return buf;
}

/* The common tail of run and latency: write the files, return the status. */
static int finish(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs, int rc,
                  size_t rows, struct outfile *csv, const char *csv_data, size_t csv_len,
                  struct outfile *json) {
    if (csv && outfile_commit(csv, csv_data, csv_len) != 0 && rc == 0)
        rc = 1;
    if (json) {
        size_t len = 0;
        char *doc = json_doc(o, t, pairs, rc, rows, &len);
        if (doc == NULL || outfile_commit(json, doc, len) != 0) {
            if (rc == 0)
                rc = 1;
        }
        free(doc);
    }
    if (rc == 130)
        fprintf(stderr, "bipbench: interrupted: %zu row(s) written\n", rows);
    return rc;
}

static int cmd_run(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs) {
    struct outfile *csv =
        o->csv && strcmp(o->csv, "-") != 0 ? outfile_open(0, o->csv, "--csv") : NULL;
    struct outfile *json = o->json ? outfile_open(1, o->json, "--json") : NULL;
    int to_stdout = o->csv && strcmp(o->csv, "-") == 0;
    FILE *summary = to_stdout ? stderr : stdout;
    char *csv_data = NULL;
    size_t csv_len = 0, nrows = 0, slots, total, done = 0;
    FILE *cf = open_memstream(&csv_data, &csv_len);
    struct row *rows;
    int rc = 0;
    int64_t start = bench_now_ns();

    slots = o->nplaces * o->nmsg * o->nimpls * (size_t)o->trials; /* reported trials */
    total = slots + o->nplaces * o->nmsg * o->nimpls;             /* and warm-ups */
    rows = calloc(slots, sizeof *rows);
    if (rows == NULL || cf == NULL) {
        fprintf(stderr, "bipbench: out of memory\n");
        return 1;
    }
    fputs(run_header, cf);
    if (to_stdout) {
        fputs(run_header, stdout);
        fflush(stdout);
    }
    install_handlers();

    /*
     * Trials are interleaved: after one warm-up of each entry, round k runs
     * trial k of every entry in turn. On a noisy machine a slow spell then
     * costs every entry a trial alike, instead of all the trials of
     * whichever entries it happened to fall on, and the medians stay
     * comparable. Each row has a slot by (placement, size, entry, trial),
     * so the summary finds an entry's rows together.
     */
    for (size_t pi = 0; pi < o->nplaces && rc == 0; pi++) {
        struct bench_runner r;
        if (bench_runner_init(&r, t, &pairs[pi]) != 0 || bench_runner_bind_self(&r) != 0) {
            rc = 1;
            break;
        }
        for (size_t mi = 0; mi < o->nmsg && rc == 0; mi++) {
            for (unsigned k = 0; k <= o->trials && rc == 0; k++) {
                for (size_t vi = 0; vi < o->nimpls && rc == 0; vi++) {
                    const struct bench_impl *im = o->impls[vi];
                    struct bench_tput_cfg cfg = {o->workload,   o->read,     o->msg_sizes[mi],
                                                 o->queue_size, o->messages, o->seed,
                                                 o->lag};
                    size_t slot = ((pi * o->nmsg + mi) * o->nimpls + vi) * o->trials;
                    struct row warm, *row = k ? &rows[slot + k - 1] : &warm;
                    int e;
                    if (bench_should_stop()) {
                        rc = 130;
                        break;
                    }
                    if (k == 0 && o->messages > WARMUP_MESSAGES)
                        cfg.messages = WARMUP_MESSAGES;
                    set_stage("run %s msg %zu pair %s, %s %u/%u", im->name, cfg.msg_size,
                              pairs[pi].placement, k ? "trial" : "warm-up", k, o->trials);
                    r.stage = g_stage[g_stage_idx];
                    memset(&row->out, 0, sizeof row->out);
                    e = im->throughput(&r, &cfg, &row->out);
                    done++;
                    if (e != 0) {
                        if (e != -1)
                            fprintf(stderr, "bipbench: %s: %s\n", r.stage, strerror(-e));
                        rc = 1;
                        break;
                    }
                    if (row->out.mismatches) {
                        fprintf(stderr,
                                "bipbench: %s: %llu byte(s) differed from what was sent; the "
                                "trial is not reported\n",
                                r.stage, (unsigned long long)row->out.mismatches);
                        rc = 1;
                        break;
                    }
                    if (k == 0)
                        continue; /* the warm-up is not reported */
                    row->im = im;
                    row->msg = cfg.msg_size;
                    row->pair = pi;
                    row->trial = k;
                    row->preemptions = r.preemptions;
                    csv_row(cf, o, pairs, row);
                    if (to_stdout) {
                        csv_row(stdout, o, pairs, row);
                        fflush(stdout);
                    }
                    if (bench_now_ns() - start > PROGRESS_AFTER_NS) {
                        if (row->out.per_hop)
                            fprintf(stderr, "bipbench: [%zu/%zu] %s: trial %u/%u: %.1f ns/hop\n",
                                    done, total, im->name, k, o->trials, row_hop_ns(row));
                        else
                            fprintf(stderr,
                                    "bipbench: [%zu/%zu] %s msg %zu %s: trial %u/%u: %.2f M "
                                    "sends/s, %.3f GB/s\n",
                                    done, total, im->name, cfg.msg_size, pairs[pi].placement, k,
                                    o->trials, row_rate(row) / 1e6, row_gbps(row));
                    }
                    nrows++;
                }
            }
        }
        bench_runner_fini(&r);
    }
    fclose(cf);
    run_summary(summary, pairs, rows, slots);
    rc = finish(o, t, pairs, rc, nrows, csv, csv_data, csv_len, json);
    free(rows);
    free(csv_data);
    return rc;
}

/* ---- latency ------------------------------------------------------------------- */

static const char lat_header[] =
    "variant,cached,pad,order,msg_size,queue_size,producer_pu,consumer_pu,relation,p50_ns,"
    "p90_ns,p99_ns,p999_ns,max_ns,samples,min_ns,mean_ns,kind,placement\n";

static int cmd_latency(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs) {
    struct outfile *csv =
        o->csv && strcmp(o->csv, "-") != 0 ? outfile_open(0, o->csv, "--csv") : NULL;
    struct outfile *json = o->json ? outfile_open(1, o->json, "--json") : NULL;
    int to_stdout = o->csv && strcmp(o->csv, "-") == 0;
    FILE *summary = to_stdout ? stderr : stdout;
    char *csv_data = NULL;
    size_t csv_len = 0, nrows = 0;
    FILE *cf = open_memstream(&csv_data, &csv_len);
    struct bench_hist *h = malloc(sizeof *h);
    int rc = 0;

    if (cf == NULL || h == NULL) {
        fprintf(stderr, "bipbench: out of memory\n");
        return 1;
    }
    fputs(lat_header, cf);
    if (to_stdout)
        fputs(lat_header, stdout);
    fprintf(summary, "%-24s %-12s %8s %8s %8s %8s %10s  (round trip, ns)\n", "variant",
            "pair (PUs)", "p50", "p90", "p99", "p99.9", "max");
    install_handlers();
    for (size_t pi = 0; pi < o->nplaces && rc == 0; pi++) {
        struct bench_runner r;
        if (bench_runner_init(&r, t, &pairs[pi]) != 0 || bench_runner_bind_self(&r) != 0) {
            rc = 1;
            break;
        }
        for (size_t vi = 0; vi < o->nimpls && rc == 0; vi++) {
            const struct bench_impl *im = o->impls[vi];
            const struct bench_pair *p = &pairs[pi];
            struct bench_lat_cfg cfg = {o->msg_sizes[0], o->queue_size, o->samples,
                                        o->samples / 10 < 10000 ? o->samples / 10 : 10000};
            char pl[48];
            int e;
            if (bench_should_stop()) {
                rc = 130;
                break;
            }
            set_stage("latency %s pair %s", im->name, p->placement);
            r.stage = g_stage[g_stage_idx];
            bench_hist_reset(h);
            e = im->latency(&r, &cfg, h);
            if (e != 0) {
                if (e != -1)
                    fprintf(stderr, "bipbench: %s: %s\n", r.stage, strerror(-e));
                rc = 1;
                break;
            }
            for (int k = 0; k < 1 + to_stdout; k++) {
                FILE *f = k ? stdout : cf;
                fprintf(f, "%s,", im->name);
                csv_field_int(f, im->cached);
                fputc(',', f);
                csv_field_int(f, im->pad);
                fprintf(f, ",%s,%zu,%zu,%u,%u,%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%.1f,%s,%s\n",
                        im->order ? im->order : "", cfg.msg_size, cfg.queue_size, p->pu[0],
                        p->pu[1], p->relation, (unsigned long long)bench_hist_percentile(h, 50),
                        (unsigned long long)bench_hist_percentile(h, 90),
                        (unsigned long long)bench_hist_percentile(h, 99),
                        (unsigned long long)bench_hist_percentile(h, 99.9),
                        (unsigned long long)h->max, (unsigned long long)h->count,
                        (unsigned long long)h->min, h->count ? h->sum / (double)h->count : 0.0,
                        kind_name(im->kind),
                        o->places[pi].kind == BENCH_PLACE_EXPLICIT ? "explicit" : p->placement);
            }
            if (to_stdout)
                fflush(stdout);
            snprintf(pl, sizeof pl, "%s (%u,%u)", p->placement, p->pu[0], p->pu[1]);
            fprintf(summary, "%-24s %-12s %8llu %8llu %8llu %8llu %10llu\n", im->name, pl,
                    (unsigned long long)bench_hist_percentile(h, 50),
                    (unsigned long long)bench_hist_percentile(h, 90),
                    (unsigned long long)bench_hist_percentile(h, 99),
                    (unsigned long long)bench_hist_percentile(h, 99.9), (unsigned long long)h->max);
            nrows++;
        }
        bench_runner_fini(&r);
    }
    fclose(cf);
    free(h);
    rc = finish(o, t, pairs, rc, nrows, csv, csv_data, csv_len, json);
    free(csv_data);
    return rc;
}

/* ---- soak ------------------------------------------------------------------------ */

static int cmd_soak(const struct opts *o, hwloc_topology_t t, const struct bench_pair *pairs) {
    int rc = 0, failed = 0;
    install_handlers();
    for (size_t pi = 0; pi < o->nplaces && rc == 0; pi++) {
        struct bench_runner r;
        if (bench_runner_init(&r, t, &pairs[pi]) != 0 || bench_runner_bind_self(&r) != 0)
            return 1;
        for (size_t vi = 0; vi < o->nimpls && rc == 0; vi++) {
            const struct bench_impl *im = o->impls[vi];
            struct bench_soak_cfg cfg = {o->queue_size, o->msg_sizes[0], o->seconds, o->seed};
            struct bench_soak_out out;
            int e;
            if (bench_should_stop()) {
                rc = 130;
                break;
            }
            memset(&out, 0, sizeof out);
            set_stage("soak %s pair %s", im->name, pairs[pi].placement);
            r.stage = g_stage[g_stage_idx];
            e = im->soak(&r, &cfg, &out);
            if (e != 0) {
                if (e != -1)
                    fprintf(stderr, "bipbench: %s: %s\n", r.stage, strerror(-e));
                rc = 1;
                break;
            }
            printf("soak %-24s pair %s (%u,%u): %llu messages, %llu bytes verified, "
                   "%llu mismatches (cancels %llu, truncates %llu, partial consumes %llu)\n",
                   im->name, pairs[pi].placement, pairs[pi].pu[0], pairs[pi].pu[1],
                   (unsigned long long)out.messages, (unsigned long long)out.bytes,
                   (unsigned long long)out.mismatches, (unsigned long long)out.cancels,
                   (unsigned long long)out.truncates, (unsigned long long)out.partials);
            fflush(stdout);
            if (out.mismatches) {
                fprintf(stderr, "bipbench: soak %s: FAILED: %s\n", im->name, out.first_error);
                failed = 1;
            }
        }
        bench_runner_fini(&r);
    }
    if (rc == 0 && failed)
        rc = 1;
    return rc;
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv) {
    struct opts o;
    hwloc_topology_t t;
    struct bench_pair pairs[MAX_LIST];
    int rc;

    parse_args(&o, argc, argv);
    if (o.cmd == CMD_LIST)
        return cmd_list(&o);
    if (o.synthetic && o.cmd != CMD_TOPO)
        usage_error("--topology-synthetic",
                    "threads cannot be bound on a synthetic machine: only topo and list use it");
    t = load_topology(&o);
    if (o.cmd == CMD_TOPO) {
        rc = cmd_topo(&o, t);
        hwloc_topology_destroy(t);
        return rc;
    }
    select_pairs(&o, t, pairs);
    atexit(outfiles_abandon);
    if (o.cmd == CMD_RUN)
        rc = cmd_run(&o, t, pairs);
    else if (o.cmd == CMD_LATENCY)
        rc = cmd_latency(&o, t, pairs);
    else
        rc = cmd_soak(&o, t, pairs);
    hwloc_topology_destroy(t);
    return rc;
}
