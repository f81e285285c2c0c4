/*
 * options.c - bipbench's command line. Each command has one table of
 * options; parsing, defaults, `--help` and the usage line are all made from
 * it, so an option is written once (docs/DESIGN.md, "How to extend").
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
    size_t field; /* offsetof(struct opts, ...) */
    uint64_t lo, hi;
    const char *def;   /* the value when the option is not given, parsed like a given
                          one; NULL: none (the field stays 0 or is worked out later) */
    const char *shown; /* the default as --help shows it where def cannot say it */
    const char *help;  /* '\n' starts a new line */
};

#define F(field) offsetof(struct opts, field)

#define MAX_QUEUE    (1ull << 30)
#define MAX_MESSAGES (1ull << 40)

/* The options several commands share. */
#define OPT_QUEUE                                                                                  \
    {                                                                                              \
        "--queue-size", NULL, "N", OPT_SIZE, F(queue_size), 4, MAX_QUEUE, "16384", NULL,           \
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
            "instead of this one; only list and topo accept it (threads cannot be\n"               \
            "bound there). Also from the environment: BIPBENCH_TOPOLOGY_SYNTHETIC"                 \
    }

static const struct opt list_opts[] = {
    {"--verbose", NULL, NULL, OPT_FLAG, F(verbose), 0, 0, NULL, "off",
     "each entry's kind and what it is, and the aliases"},
    OPT_SYNTHETIC,
};

static const struct opt topo_opts[] = {OPT_SYNTHETIC};

static const struct opt run_opts[] = {
    {"--variant", NULL, "LIST", OPT_TEXT, F(variant_arg), 0, 0, "all", NULL,
     "comma-separated names from `bipbench list`; 'all' (every variant);\n"
     "'" BIPBENCH_CRATE_ALIAS "' (alias of " BIPBUF_SEED_VARIANT ", the original crate's design;\n"
     "'" BIPBENCH_CRATE_ALIAS_OLD "' is still accepted); rows name the real variant"},
    {"--limits", NULL, NULL, OPT_FLAG, F(limits), 0, 0, NULL, "off",
     "also run limit-onethread (the workload on one thread, steps interleaved)\n"
     "and limit-c2c (one-way core-to-core latency of the pair, at most 10^6\n"
     "round trips; the CSV's hop_ns column)"},
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
    OPT_PAIR,
    {"--read", NULL, "R", OPT_TEXT, F(read_arg), 0, 0, NULL, "first for seed, all otherwise",
     "none | first | all: what the consumer reads of each message\n"
     "(none: nothing; first: byte 0; all: sums every byte)"},
    {"--check", NULL, NULL, OPT_FLAG, F(check), 0, 0, NULL, "off",
     "verify every received byte (implies --read all); a mismatch fails\n"
     "the run (exit 1)"},
    {"--rng-seed", "--seed", "N", OPT_NUM, F(rng_seed), 0, UINT64_MAX, "1", NULL,
     "the random workload's size generator seed, 0..2^64-1 (CSV column\n"
     "seed; --seed is the earlier spelling)"},
    {"--lag", NULL, "N", OPT_SIZE, F(lag), 0, MAX_QUEUE, "512", NULL,
     "bytes: while fewer are readable, the consumer pauses once before\n"
     "reading, so the producer gets ahead and the two cores stop passing\n"
     "the same lines per message (bipbuf_peek_wait); 0: poll at once.\n"
     "Same for every variant; peers and limits do not wait this way\n"
     "(their lag field is empty)"},
    OPT_CSV,
    OPT_JSON,
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
    [CMD_SOAK] = {"soak", "random sizes, truncates, cancels, partial consumes; every byte checked",
                  "correctness under load, each variant in turn: random sizes, truncates,\n"
                  "cancels and partial consumes, every byte checked. Prints messages and\n"
                  "bytes verified per variant; exit 1 on any mismatch",
                  soak_opts, N(soak_opts)},
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
        if (op->metavar)
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
        snprintf(head, sizeof head, "%s%s%s", op->name, op->metavar ? " " : "",
                 op->metavar ? op->metavar : "");
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
    fprintf(f, "bipbench %s - throughput and latency of the bipbuf variants, pinned with hwloc\n\n",
            BIPBENCH_VERSION);
    fprintf(f, "usage: bipbench <command> [options]      bipbench <command> --help\n"
               "       bipbench --version\n\ncommands:\n");
    for (int k = 0; k < CMD_COUNT; k++)
        fprintf(f, "  %-9s %s\n", commands[k].name, commands[k].synopsis);
    fprintf(f,
            "Variants: %d, named cache-pad-order; aliases: 'all' = every variant,\n"
            "'" BIPBENCH_CRATE_ALIAS "' = " BIPBUF_SEED_VARIANT
            " (the original crate's design; '" BIPBENCH_CRATE_ALIAS_OLD "' too).\n",
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

/* ---- values ------------------------------------------------------------------------ */

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

/* ---- resolving the lists ---------------------------------------------------- */

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
    if (strcmp(name, BIPBENCH_CRATE_ALIAS) == 0 || strcmp(name, BIPBENCH_CRATE_ALIAS_OLD) == 0)
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
            return; /* an alias and its variant, or a name given twice: once */
    }
    if (o->nimpls == OPTS_MAX_LIST)
        usage_error("--variant", "too many names");
    o->impls[o->nimpls++] = im;
}

static void resolve_variants(struct opts *o) {
    char *copy = strdup(o->variant_arg), *items[OPTS_MAX_LIST];
    size_t n;
    const struct bench_impl *const *reg = bench_registry(&n);
    int k = copy ? split_list(copy, items, OPTS_MAX_LIST) : -1;
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
    if (o->limits) {
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
}

static void resolve_pairs(struct opts *o) {
    char *copy = strdup(o->pair_arg), *items[2 * OPTS_MAX_LIST];
    int k = copy ? split_list(copy, items, 2 * OPTS_MAX_LIST) : -1;
    if (k < 0)
        usage_error("--pair", "too many placements");
    o->nplaces = 0;
    for (int i = 0; i < k; i++) {
        struct bench_placement *pl = &o->places[o->nplaces];
        if (o->nplaces == OPTS_MAX_LIST)
            usage_error("--pair", "too many placements");
        if (items[i][0] >= '0' && items[i][0] <= '9') {
            /* A,B: two OS indexes in a row. */
            char ab[64];
            if (i + 1 >= k)
                usage_error("--pair", "PU %s needs a partner: A,B gives two PU numbers", items[i]);
            snprintf(ab, sizeof ab, "%s,%s", items[i], items[i + 1]);
            if (bench_placement_parse(ab, pl) != 0)
                usage_error("--pair", "'%s' is not two PU numbers", ab);
            i++;
        } else if (bench_placement_parse(items[i], pl) != 0) {
            usage_error("--pair",
                        "unknown placement '%s' (auto, smt, core, l3, cross-l3, numa or A,B)",
                        items[i]);
        }
        o->nplaces++;
    }
    free(copy);
}

/* The index of s among the n names, or -1. */
static int name_index(const char *const *names, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static void resolve_msg_sizes(struct opts *o) {
    if (o->msg_arg) {
        char *copy = strdup(o->msg_arg), *items[OPTS_MAX_LIST];
        int k = copy ? split_list(copy, items, OPTS_MAX_LIST) : -1;
        if (k < 0)
            usage_error("--msg-size", "too many sizes");
        if (k > 1 && o->cmd != CMD_RUN)
            usage_error("--msg-size", "bipbench %s takes one size", o->cmd_name);
        for (int i = 0; i < k; i++) {
            uint64_t v;
            int e = parse_u64(items[i], 1, 1, MAX_QUEUE, &v);
            if (e != 0)
                usage_error("--msg-size",
                            e == -1 ? "'%s' is not a size in bytes (digits, optional "
                                      "k/M/G)"
                                    : "%s is out of range (1..1073741824)",
                            items[i]);
            o->msg_sizes[o->nmsg++] = (size_t)v;
        }
        free(copy);
    } else {
        o->nmsg = 1;
        o->msg_sizes[0] = (size_t)o->queue_size / 2; /* soak: the largest reservation */
    }
    for (size_t i = 0; i < o->nmsg; i++) {
        size_t m = o->msg_sizes[i];
        if (o->cmd == CMD_RUN && o->workload == BENCH_WL_SEED && (m < 2 || m > 255))
            usage_error("--msg-size",
                        "%zu: seed messages are 2..255 bytes (the length must fit in byte 0)", m);
        for (size_t j = 0; j < o->nimpls; j++) {
            const struct bench_impl *im = o->impls[j];
            size_t q = (size_t)o->queue_size;
            size_t max = im->max_message ? im->max_message(q) : q / 2;
            if (m > max)
                usage_error("--msg-size",
                            "%zu is larger than the largest message of a %zu-byte queue for %s "
                            "(%zu: %s); raise --queue-size",
                            m, q, im->name, max,
                            im->max_message ? "its own limit" : "max_reserve = queue/2");
        }
    }
}

/* The checks and conversions that need several options at once. */
static void resolve(struct opts *o) {
    if (o->cmd == CMD_RUN) {
        int w = name_index(bench_workload_names, BENCH_WL_COUNT, o->workload_arg);
        if (w < 0)
            usage_error("--workload", "unknown workload '%s' (seed, fixed or random)",
                        o->workload_arg);
        o->workload = (enum bench_workload)w;
        o->read = o->workload == BENCH_WL_SEED ? BENCH_READ_FIRST : BENCH_READ_ALL;
        if (o->read_arg) {
            /* CHECK is spelt --check, not --read. */
            int r = name_index(bench_read_names, BENCH_READ_CHECK, o->read_arg);
            if (r < 0)
                usage_error("--read", "unknown read mode '%s' (none, first or all)", o->read_arg);
            o->read = (enum bench_read)r;
            if (o->check && o->read != BENCH_READ_ALL)
                usage_error("--read", "--check reads and verifies every byte: use --read all "
                                      "or leave --read out");
        }
        if (o->check)
            o->read = BENCH_READ_CHECK;
    }
    resolve_variants(o);
    resolve_pairs(o);
    /* Message sizes last: their limits depend on the workload and the queue. */
    resolve_msg_sizes(o);
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
        exit(report_stdout_ok() ? 0 : 1);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("bipbench %s (commit %s)\n", BIPBENCH_VERSION, BIPBENCH_GIT_COMMIT);
        exit(report_stdout_ok() ? 0 : 1);
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
    _Static_assert(N(run_opts) <= sizeof given, "given[] holds a flag per option");

    /* Defaults first, through the same conversion as given values. */
    for (size_t k = 0; k < c->nopts; k++) {
        if (c->opts[k].def != NULL)
            set_value(o, &c->opts[k], c->opts[k].name, c->opts[k].def);
    }
    for (int i = 2; i < argc; i++) {
        char *arg = argv[i], *val = NULL, name[64];
        const struct opt *op = NULL;
        size_t k;
        if (is_help(arg)) {
            print_help(stdout, c);
            exit(report_stdout_ok() ? 0 : 1);
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
        if (op->kind != OPT_FLAG && val == NULL) {
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
    if (o->cmd == CMD_LIST || o->cmd == CMD_TOPO)
        return;
    resolve(o);
}
