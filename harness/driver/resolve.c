/*
 * resolve.c - from the options as given to what a command runs: the entries
 * (--variant, --limits), the placements (--pair), the message sizes, the
 * workload and the read mode, and the checks that need several options at
 * once (options.h: opts_resolve). Errors are usage errors naming the flag.
 */
#define _GNU_SOURCE /* memrchr */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "bipbuf_variants.h"
#include "options.h"

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

/* Whether im has what command cmd measures. */
static int impl_measures(const struct bench_impl *im, enum cmd cmd) {
    switch (cmd) {
    case CMD_RUN:
        return im->throughput != NULL;
    case CMD_LATENCY:
        return im->latency != NULL;
    case CMD_SOAK:
        return im->soak != NULL;
    case CMD_RATE:
        return im->rate != NULL;
    default:
        return 1;
    }
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
            if (reg[j]->kind == BENCH_KIND_LIMIT && impl_measures(reg[j], o->cmd))
                add_impl(o, reg[j]);
        }
    }
    for (size_t i = 0; i < o->nimpls; i++) {
        const struct bench_impl *im = o->impls[i];
        if (o->cmd == CMD_RUN && o->burst > 1 && !im->bursts)
            usage_error("--burst", "%s has no burst mode: leave it out, or run it with --burst 1",
                        im->name);
        if (!impl_measures(im, o->cmd))
            usage_error("--variant", "%s has no %s measurement", im->name, o->cmd_name);
    }
}

void opts_resolve_pairs(struct opts *o) {
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

/* The summary's baseline: --baseline, or the crate's design when it is
 * measured; an explicit one must be among the entries. */
static void resolve_baseline(struct opts *o) {
    const struct bench_impl *b;
    if (o->cmd != CMD_RUN)
        return;
    b = find_impl(o->baseline_arg ? o->baseline_arg : BIPBENCH_CRATE_ALIAS);
    for (size_t i = 0; b && i < o->nimpls; i++) {
        if (o->impls[i] == b) {
            o->baseline = b;
            return;
        }
    }
    if (o->baseline_arg && b == NULL)
        usage_error("--baseline", "unknown name '%s' (bipbench list shows them)", o->baseline_arg);
    if (o->baseline_arg)
        usage_error("--baseline", "%s is not measured in this run: add it to --variant", b->name);
}

/* limit-c2c's rows are hops per second, not messages: no ratio to them. */
static void refuse_hop_baseline(struct opts *o) {
    if (o->baseline && strcmp(o->baseline->name, "limit-c2c") == 0)
        usage_error("--baseline", "limit-c2c counts one-way hops, not messages: choose another");
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
        if (k > 1 && o->cmd != CMD_RUN && o->cmd != CMD_RATE)
            usage_error("--msg-size", "bipbench %s takes one size", o->cmd_name);
        for (int i = 0; i < k; i++) {
            uint64_t v;
            int e = parse_u64(items[i], 1, 1, OPTS_MAX_QUEUE, &v);
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
        if (o->cmd == CMD_RATE && m < BENCH_RATE_MIN_MSG)
            usage_error("--msg-size", "%zu: rate messages are %d bytes at least (the send time)", m,
                        BENCH_RATE_MIN_MSG);
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

/* A rate: decimal digits with an optional fraction and an optional k or M
 * (powers of ten: these are counts per second, not sizes). */
static int parse_rate(const char *s, double *out) {
    char *end;
    double v, mul = 1;
    const char *p = s;
    size_t n;
    while ((*p >= '0' && *p <= '9') || *p == '.')
        p++;
    n = (size_t)(p - s);
    if (n == 0 || s[0] == '.' || s[n - 1] == '.' || memchr(s, '.', n) != memrchr(s, '.', n))
        return -1;
    if (*p == 'k' || *p == 'K')
        mul = 1e3, p++;
    else if (*p == 'M')
        mul = 1e6, p++;
    else if (*p == 'G')
        mul = 1e9, p++;
    if (*p)
        return -1;
    errno = 0;
    v = strtod(s, &end) * mul;
    if (errno || !(v > 0))
        return -2;
    if (v > OPTS_MAX_RATE)
        return -3;
    *out = v;
    return 0;
}

static void resolve_rate(struct opts *o) {
    char *copy = strdup(o->rate_arg), *items[OPTS_MAX_LIST];
    int k = copy ? split_list(copy, items, OPTS_MAX_LIST) : -1;
    if (k < 0)
        usage_error("--rate", "too many rates");
    for (int i = 0; i < k; i++) {
        double v;
        int e = parse_rate(items[i], &v);
        if (e == -1)
            usage_error("--rate",
                        "'%s' is not a rate (messages per second: digits, an optional fraction, "
                        "an optional k or M)",
                        items[i]);
        if (e == -2)
            usage_error("--rate", "'%s': a rate must be above 0", items[i]);
        if (e == -3)
            usage_error("--rate", "'%s' is above 1G messages per second", items[i]);
        if (v * o->seconds >= (double)OPTS_MAX_RATE_MESSAGES)
            usage_error("--rate", "%s for %g s is more than 2^32 messages: lower --seconds",
                        items[i], o->seconds);
        o->rates[o->nrates++] = v;
    }
    free(copy);
    o->spin_ns = -1;
    if (o->spin_arg) {
        uint64_t v;
        int e = parse_u64(o->spin_arg, 0, 0, 10000000000ull, &v);
        if (e != 0)
            usage_error("--spin-ns",
                        e == -1 ? "'%s' is not a whole number of ns"
                                : "%s is out of range (0..10000000000)",
                        o->spin_arg);
        o->spin_ns = (int64_t)v;
    }
    if (strcmp(o->pace_arg, "sleep") == 0)
        o->pace = BENCH_PACE_SLEEP;
    else if (strcmp(o->pace_arg, "spin") == 0)
        o->pace = BENCH_PACE_SPIN;
    else
        usage_error("--pace", "unknown pace '%s' (sleep or spin)", o->pace_arg);
}

void opts_resolve(struct opts *o) {
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
                usage_error("--read", "unknown read mode '%s' (none, first, last or all)",
                            o->read_arg);
            o->read = (enum bench_read)r;
            if (o->check && o->read != BENCH_READ_ALL)
                usage_error("--read", "--check reads and verifies every byte: use --read all "
                                      "or leave --read out");
        }
        if (o->check)
            o->read = BENCH_READ_CHECK;
    }
    resolve_variants(o);
    if (o->cmd == CMD_RATE)
        resolve_rate(o);
    opts_resolve_pairs(o);
    resolve_baseline(o);
    refuse_hop_baseline(o);
    if (o->hgrm_dir) {
        struct stat st;
        if (stat(o->hgrm_dir, &st) != 0 || !S_ISDIR(st.st_mode))
            usage_error("--hgrm", "'%s' is not a folder", o->hgrm_dir);
        if (access(o->hgrm_dir, W_OK) != 0)
            usage_error("--hgrm", "cannot write in '%s': %s", o->hgrm_dir, strerror(errno));
    }
    /* The warm-ups, once: the commands and the JSON read them from here. */
    o->run_warmup = o->warmup ? o->warmup : o->messages < (1u << 20) ? o->messages : (1u << 20);
    o->lat_warmup = o->samples / 10 < 10000 ? o->samples / 10 : 10000;
    /* Message sizes last: their limits depend on the workload and the queue. */
    resolve_msg_sizes(o);
}
