/*
 * json.c - the JSON document beside a run's or a latency run's CSV: the
 * machine, the environment checks, the build, the options, every reported
 * trial, the summary and the verdict (docs/DESIGN.md, "JSON metadata").
 */
#define _POSIX_C_SOURCE 200809L
#include "json.h"

#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "bench_build.h"
#include "bench_commit.h"
#include "commands.h"
#include "env.h"
#include "machine.h"

/* The length of the well-formed UTF-8 sequence at s (1..4), or 0 when the
 * bytes there are not one (a stray continuation byte, an overlong form, a
 * surrogate, past U+10FFFF, or cut short). */
static int utf8_len(const unsigned char *s) {
    int n = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    unsigned cp;
    if (s[0] < 0x80)
        return 1;
    if (n == 0 || s[0] >= 0xF5)
        return 0;
    cp = s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

/* A JSON string: valid UTF-8 whatever s holds (an argument can hold any
 * byte): each byte that is not part of a well-formed sequence becomes
 * U+FFFD, the replacement character. */
static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        int n = utf8_len((const unsigned char *)s);
        if (n == 0) {
            fputs("\\ufffd", f);
            continue;
        }
        if (n > 1) {
            fwrite(s, 1, (size_t)n, f);
            s += n - 1;
            continue;
        }
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

static void json_machine(FILE *f, hwloc_topology_t t, int synthetic) {
    char model[256], summary[256];
    struct machine_cache caches[4];
    size_t nc = machine_caches(t, caches);
    struct utsname u;
    machine_cpu_model(model, sizeof model);
    machine_topo_summary(t, summary, sizeof summary);
    fputs("  \"machine\": {\n    \"cpu_model\": ", f);
    json_str(f, synthetic ? "synthetic" : model);
    fprintf(f,
            ",\n    \"packages\": %d,\n    \"numa_nodes\": %d,\n    \"cores\": %d,\n"
            "    \"pus\": %d,\n    \"topology\": ",
            machine_count(t, HWLOC_OBJ_PACKAGE), machine_count(t, HWLOC_OBJ_NUMANODE),
            machine_count(t, HWLOC_OBJ_CORE), machine_count(t, HWLOC_OBJ_PU));
    json_str(f, summary);
    fputs(",\n    \"caches\": [", f);
    for (size_t i = 0; i < nc; i++)
        fprintf(f,
                "%s\n      {\"level\": \"%s\", \"count\": %d, \"size_bytes\": %llu, "
                "\"line_bytes\": %u, \"associativity\": %d}",
                i ? "," : "", caches[i].level, caches[i].count, caches[i].size_bytes,
                caches[i].line_bytes, caches[i].associativity);
    fputs(nc ? "\n    ]\n  },\n" : "]\n  },\n", f);
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

static const char *status_name(int rc) {
    return rc == 0 ? "complete" : rc >= 128 ? "interrupted" : "failed";
}

/* A CSV field as a JSON value: a number as it is, empty as null, else a string. */
static void json_field(FILE *f, const char *v) {
    char *end;
    if (v[0] == '\0') {
        fputs("null", f);
        return;
    }
    strtod(v, &end);
    if (*end == '\0' && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')))
        fputs(v, f);
    else
        json_str(f, v);
}

static void json_env(FILE *f, const struct env_report *e) {
    fprintf(f, "  \"env\": {\"warnings\": %d, \"checks\": [", e->warnings);
    for (size_t i = 0; i < e->n; i++) {
        const struct env_check *c = &e->checks[i];
        fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
        json_str(f, c->name);
        fprintf(f, ", \"status\": \"%s\", \"value\": ", c->warn ? "WARN" : "OK");
        json_str(f, c->value);
        if (c->warn) {
            fputs(", \"why\": ", f);
            json_str(f, c->why);
            fputs(", \"fix\": ", f);
            json_str(f, c->fix);
        }
        fputc('}', f);
    }
    fputs("\n  ]},\n", f);
}

/* Every reported trial, as the CSV has it: one object per row. */
static void json_trials(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                        const struct run_results *res) {
    char *field = NULL;
    size_t flen = 0;
    int first = 1;
    fputs("  \"trials\": [", f);
    for (size_t i = 0; i < res->slots; i++) {
        const struct row *r = &res->rows[i];
        if (r->im == NULL)
            continue;
        fprintf(f, "%s\n    {", first ? "" : ",");
        first = 0;
        for (int c = 0; c < report_run_columns(); c++) {
            FILE *m = open_memstream(&field, &flen);
            if (m == NULL)
                break;
            report_run_field(m, c, o, pairs, r);
            fclose(m);
            fprintf(f, "%s\"%s\": ", c ? ", " : "", report_run_column_name(c));
            json_field(f, field);
            free(field);
            field = NULL;
        }
        fputc('}', f);
    }
    fputs(first ? "],\n" : "\n  ],\n", f);
}

static void json_summary(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                         const struct summary_row *s, size_t n) {
    int first = 1;
    fputs("  \"summary\": [", f);
    for (size_t i = 0; i < n; i++) {
        if (s[i].trials == 0)
            continue;
        fprintf(f, "%s\n    {\"variant\": ", first ? "" : ",");
        first = 0;
        json_str(f, s[i].im->name);
        fputs(", \"placement\": ", f);
        json_str(f, pairs[s[i].pair].placement);
        fprintf(f,
                ", \"msg_size\": %zu, \"unit\": \"%s\", \"trials\": %zu, \"noisy_trials\": %zu, "
                "\"median\": %.6g, \"min\": %.6g, \"max\": %.6g, \"median_gb_per_sec\": %.6f",
                s[i].msg, s[i].per_hop ? "ns_per_hop" : "msends_per_sec", s[i].trials, s[i].noisy,
                s[i].med, s[i].lo, s[i].hi, s[i].gmed);
        if (s[i].dist_n)
            fprintf(f,
                    ", \"distance\": {\"median_ns\": %.1f, \"min_ns\": %.1f, \"max_ns\": %.1f, "
                    "\"varies\": %s, \"moved_trials\": %zu}",
                    s[i].dist_med, s[i].dist_lo, s[i].dist_hi, s[i].dist_varies ? "true" : "false",
                    s[i].dist_moved);
        if (s[i].has_ratio) {
            fputs(", \"ratio\": {\"baseline\": ", f);
            json_str(f, o->baseline->name);
            fprintf(f,
                    ", \"median\": %.6f, \"lo\": %.6f, \"hi\": %.6f, \"coverage\": %.4f, "
                    "\"rounds\": %zu, \"method\": \"median of per-round ratios; "
                    "distribution-free interval (binomial order statistics)\"}",
                    s[i].ratio.median, s[i].ratio.lo, s[i].ratio.hi, s[i].ratio.coverage,
                    s[i].ratio.n);
        }
        if (s[i].has_ceiling)
            fprintf(f,
                    ", \"ceiling\": {\"entry\": \"" SUMMARY_CEILING "\", \"median\": %.6f, "
                    "\"lo\": %.6f, \"hi\": %.6f, \"coverage\": %.4f, \"rounds\": %zu}",
                    s[i].ceiling.median, s[i].ceiling.lo, s[i].ceiling.hi, s[i].ceiling.coverage,
                    s[i].ceiling.n);
        fputc('}', f);
    }
    fputs(first ? "],\n" : "\n  ],\n", f);
}

char *report_json(const struct json_doc *d, size_t *len) {
    const struct opts *o = d->o;
    const struct bench_pair *pairs = d->pairs;
    hwloc_topology_t t = d->t;
    int rc = d->rc;
    size_t rows = d->rows;
    char *buf = NULL, now[32];
    FILE *f = open_memstream(&buf, len);
    time_t tt = time(NULL);
    struct tm tm;
    if (f == NULL)
        return NULL;
    gmtime_r(&tt, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
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
    if (o->env)
        json_env(f, o->env);
    if (d->verdict) {
        fputs("  \"verdict\": ", f);
        json_str(f, d->verdict);
        fputs(",\n", f);
    }
    if (d->res)
        json_trials(f, o, pairs, d->res);
    if (d->sum)
        json_summary(f, o, pairs, d->sum, d->nsum);
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
    json_str(f, BIPBENCH_GIT_COMMIT);
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
                "    \"messages\": %llu,\n    \"trials\": %llu,\n    \"warmup_messages\": %llu,\n"
                "    \"seed\": %llu,\n    \"lag\": %llu,\n",
                bench_workload_names[o->workload], bench_read_names[o->read],
                o->check ? "true" : "false", (unsigned long long)o->messages,
                (unsigned long long)o->trials, (unsigned long long)o->run_warmup,
                (unsigned long long)o->rng_seed, (unsigned long long)o->lag);
        fprintf(f, "    \"burst\": %llu,\n    \"probe_round_trips\": %llu,\n    \"baseline\": ",
                (unsigned long long)o->burst, (unsigned long long)o->probe);
        if (o->baseline)
            json_str(f, o->baseline->name);
        else
            fputs("null", f);
        fputs(",\n", f);
    } else if (o->cmd == CMD_RATE) {
        fputs("    \"rate\": [", f);
        for (size_t i = 0; i < o->nrates; i++)
            fprintf(f, "%s%.17g", i ? ", " : "", o->rates[i]);
        fprintf(f,
                "],\n    \"seconds\": %.17g,\n    \"trials\": %llu,\n    \"spin_ns\": ", o->seconds,
                (unsigned long long)o->trials);
        if (o->spin_ns >= 0)
            fprintf(f, "%lld", (long long)o->spin_ns);
        else
            fputs("null", f);
        fprintf(f, ",\n    \"pace\": \"%s\",\n", o->pace == BENCH_PACE_SLEEP ? "sleep" : "spin");
    } else {
        fprintf(f, "    \"samples\": %llu,\n    \"warmup_samples\": %llu,\n",
                (unsigned long long)o->samples, (unsigned long long)o->lat_warmup);
    }
    fputs("    \"msg_size\": [", f);
    for (size_t i = 0; i < o->nmsg; i++)
        fprintf(f, "%s%zu", i ? ", " : "", o->msg_sizes[i]);
    fprintf(f, "],\n    \"queue_size\": %llu,\n    \"pair\": ", (unsigned long long)o->queue_size);
    json_str(f, o->pair_arg);
    fputs(",\n    \"csv\": ", f);
    if (o->csv)
        json_str(f, o->csv);
    else
        fputs("null", f);
    fputs(",\n    \"json\": ", f);
    json_str(f, o->json);
    fputs("\n  }\n}\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}
