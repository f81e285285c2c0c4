/*
 * summary.c - what a run found, entry by entry (summary.h).
 *
 * Ratios are paired: trial k of every entry ran in round k, one after
 * another, so a slow spell of the machine touches an entry and its baseline
 * alike; the ratio of the two in each round cancels it, and the median of
 * those ratios with its interval says how sure the run is
 * (docs/DESIGN.md, "Statistics").
 */
#define _POSIX_C_SOURCE 200809L
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "noise.h"

static const struct row *slot(const struct opts *o, const struct run_results *res, size_t pi,
                              size_t mi, size_t vi, size_t k) {
    size_t i = ((pi * o->nmsg + mi) * o->nimpls + vi) * o->trials + k;
    return i < res->slots && res->rows[i].im ? &res->rows[i] : NULL;
}

/* The index of the entry named name in the run, (size_t)-1 if it did not
 * run (or name is NULL). */
static size_t entry_index(const struct opts *o, const char *name) {
    for (size_t vi = 0; name && vi < o->nimpls; vi++)
        if (strcmp(o->impls[vi]->name, name) == 0)
            return vi;
    return (size_t)-1;
}

/* Appends trial k's ratio to entry vref of the same round, where it ran. */
static void round_ratio(const struct opts *o, const struct run_results *res, size_t pi, size_t mi,
                        size_t vref, size_t k, const struct row *r, double *q, size_t *nq) {
    const struct row *b = vref != (size_t)-1 ? slot(o, res, pi, mi, vref, k) : NULL;
    if (b && !r->out.per_hop && row_rate(b) > 0)
        q[(*nq)++] = row_rate(r) / row_rate(b);
}

size_t summary_compute(const struct opts *o, const struct run_results *res,
                       struct summary_row *out) {
    const size_t trials = (size_t)o->trials,
                 vb = entry_index(o, o->baseline ? o->baseline->name : NULL),
                 vc = entry_index(o, SUMMARY_CEILING);
    double *a = malloc((trials + 1) * sizeof *a), *g = malloc((trials + 1) * sizeof *g),
           *q = malloc((trials + 1) * sizeof *q), *d = malloc((trials + 1) * sizeof *d),
           *qc = malloc((trials + 1) * sizeof *qc);
    size_t n = 0;
    for (size_t pi = 0; pi < o->nplaces; pi++) {
        for (size_t mi = 0; mi < o->nmsg; mi++) {
            for (size_t vi = 0; vi < o->nimpls; vi++, n++) {
                struct summary_row *s = &out[n];
                size_t nr = 0, nc = 0;
                memset(s, 0, sizeof *s);
                s->im = o->impls[vi];
                s->pair = pi;
                s->msg = o->msg_sizes[mi];
                if (a == NULL || g == NULL || q == NULL || d == NULL || qc == NULL)
                    continue;
                for (size_t k = 0; k < trials; k++) {
                    const struct row *r = slot(o, res, pi, mi, vi, k);
                    if (r == NULL)
                        continue;
                    s->per_hop = r->out.per_hop;
                    a[s->trials] = r->out.per_hop ? row_hop_ns(r) : row_rate(r) / 1e6;
                    g[s->trials] = row_gbps(r);
                    s->trials++;
                    s->noisy += (size_t)row_noisy(r);
                    s->by_count |= row_wait_ns(r) < 0;
                    s->dist_moved += (size_t)row_distance_moved(r);
                    if (row_distance_ns(r) > 0)
                        d[s->dist_n++] = row_distance_ns(r);
                    if (r->preemptions > s->max_preemptions)
                        s->max_preemptions = r->preemptions;
                    round_ratio(o, res, pi, mi, vb, k, r, q, &nr);
                    round_ratio(o, res, pi, mi, vc, k, r, qc, &nc);
                }
                if (s->trials == 0)
                    continue;
                s->lo = s->hi = a[0];
                s->glo = s->ghi = g[0];
                for (size_t k = 1; k < s->trials; k++) {
                    s->lo = a[k] < s->lo ? a[k] : s->lo;
                    s->hi = a[k] > s->hi ? a[k] : s->hi;
                    s->glo = g[k] < s->glo ? g[k] : s->glo;
                    s->ghi = g[k] > s->ghi ? g[k] : s->ghi;
                }
                s->med = stats_median(a, s->trials);
                s->gmed = stats_median(g, s->trials);
                s->has_ratio = nr > 0 && stats_median_interval(q, nr, &s->ratio) == 0;
                s->has_ceiling = nc > 0 && stats_median_interval(qc, nc, &s->ceiling) == 0;
                if (s->dist_n) {
                    s->dist_lo = s->dist_hi = d[0];
                    for (size_t k = 1; k < s->dist_n; k++) {
                        s->dist_lo = d[k] < s->dist_lo ? d[k] : s->dist_lo;
                        s->dist_hi = d[k] > s->dist_hi ? d[k] : s->dist_hi;
                    }
                    s->dist_med = stats_median(d, s->dist_n);
                    s->dist_varies = s->dist_hi > BENCH_NOISE_DISTANCE_RATIO * s->dist_lo;
                }
            }
        }
    }
    free(a);
    free(g);
    free(q);
    free(d);
    free(qc);
    return n;
}

/* A ratio cell: "1 (self)" on the reference's own row, else the median with
 * its interval ("~": under 95% coverage); empty without one. */
static void ratio_cell(char *out, size_t len, int has, const struct stats_interval *x, int own,
                       const char *self) {
    if (has && own)
        snprintf(out, len, "1 (%s)", self);
    else if (has)
        snprintf(out, len, "%.2f [%.2f, %.2f]%s", x->median, x->lo, x->hi,
                 x->coverage < 0.95 ? "~" : "");
    else
        out[0] = '\0';
}

static void pair_label(char *out, size_t len, const struct bench_pair *p) {
    snprintf(out, len, "%s (%u,%u)", p->placement, p->pu[0], p->pu[1]);
}

void summary_print(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                   const struct summary_row *s, size_t n) {
    int any_noisy = 0, any_dist = 0, any_varies = 0, any_ceiling = 0;
    int w = 24; /* the name column: as wide as the longest name */
    for (size_t i = 0; i < n; i++)
        if (s[i].trials && (int)strlen(s[i].im->name) > w)
            w = (int)strlen(s[i].im->name);
    for (size_t i = 0; i < n; i++) {
        any_dist |= s[i].trials && s[i].dist_n;
        any_ceiling |= s[i].trials && s[i].has_ceiling;
    }
    fprintf(f, "%-*s %5s %-12s %6s  %28s %8s  %-24s %-*s%-*s%s\n", w, "variant", "msg",
            "pair (PUs)", "trials", "Msends/s median [min, max]", "GB/s",
            "x baseline [95% interval]", any_ceiling ? 24 : 0, any_ceiling ? "x ceiling [95%]" : "",
            any_dist ? 22 : 0, any_dist ? "ns apart [min, max]" : "", "noisy");
    for (size_t i = 0; i < n; i++) {
        char pl[48], ratio[48], noisy[24], dist[48] = "", ceil[48];
        if (s[i].trials == 0)
            continue;
        if (s[i].dist_n)
            snprintf(dist, sizeof dist, "%.0f [%.0f, %.0f]%s", s[i].dist_med, s[i].dist_lo,
                     s[i].dist_hi, s[i].dist_varies ? " !" : "");
        any_varies |= s[i].dist_varies;
        pair_label(pl, sizeof pl, &pairs[s[i].pair]);
        ratio_cell(ratio, sizeof ratio, s[i].has_ratio, &s[i].ratio, s[i].im == o->baseline,
                   "baseline");
        ratio_cell(ceil, sizeof ceil, s[i].has_ceiling, &s[i].ceiling,
                   strcmp(s[i].im->name, SUMMARY_CEILING) == 0, "ceiling");
        snprintf(noisy, sizeof noisy, "%s%zu/%zu", s[i].noisy ? "* " : "", s[i].noisy, s[i].trials);
        any_noisy |= s[i].noisy > 0;
        if (s[i].per_hop)
            fprintf(f, "%-*s %5zu %-12s %6zu  %9.1f ns/hop [%.1f, %.1f] %*s  %-24s %-*s%-*s%s\n", w,
                    s[i].im->name, s[i].msg, pl, s[i].trials, s[i].med, s[i].lo, s[i].hi, 0, "", "",
                    any_ceiling ? 24 : 0, "", any_dist ? 22 : 0, dist, noisy);
        else
            fprintf(f, "%-*s %5zu %-12s %6zu  %8.2f [%7.2f, %7.2f] %8.3f  %-24s %-*s%-*s%s\n", w,
                    s[i].im->name, s[i].msg, pl, s[i].trials, s[i].med, s[i].lo, s[i].hi, s[i].gmed,
                    ratio, any_ceiling ? 24 : 0, ceil, any_dist ? 22 : 0, dist, noisy);
    }
    if (o->baseline) {
        size_t k = 0;
        while (k < n && !s[k].has_ratio)
            k++;
        fprintf(f,
                "x: the median over rounds of each round's ratio to %s, with a\n"
                "distribution-free 95%% interval for it",
                o->baseline->name);
        if (k < n && s[k].ratio.coverage < 0.95)
            fprintf(f, "; ~: %zu rounds give at most %.1f%% (the interval is [min, max])",
                    s[k].ratio.n, 100 * s[k].ratio.coverage);
        fputs(".\n", f);
    }
    if (any_ceiling)
        fputs("x ceiling: the same per-round ratio, to " SUMMARY_CEILING
              " (the pair's ceiling for these messages: docs/DESIGN.md, \"Limits\")\n",
              f);
    if (any_noisy) {
        /* The rule that applied: the wait rule where the kernel gave each
         * thread's wait, the preemption count where it did not. */
        int by_count = 0;
        for (size_t i = 0; i < n; i++)
            by_count |= s[i].trials && s[i].by_count;
        if (by_count)
            fprintf(f,
                    "*: trials that shared their CPUs with other work (this kernel gives no "
                    "thread's wait: preempted more than max(%d, %d per second) times), or whose "
                    "distance probes disagreed by more than %.1fx\n",
                    BENCH_NOISE_MIN_PREEMPTIONS, BENCH_NOISE_PREEMPTIONS_PER_S,
                    BENCH_NOISE_DISTANCE_RATIO);
        else
            fprintf(f,
                    "*: trials that shared their CPUs with other work (a thread waited for its "
                    "CPU more than %.0f%% of the trial and %.1f ms), or whose distance probes "
                    "disagreed by more than %.1fx\n",
                    BENCH_NOISE_WAIT_PERMILLE / 10.0, BENCH_NOISE_WAIT_MIN_NS / 1e6,
                    BENCH_NOISE_DISTANCE_RATIO);
    }
    if (any_dist)
        fputs("ns apart: the one-way core-to-core time probed around each trial, median over "
              "the entry's trials\n",
              f);
    if (any_varies)
        fprintf(f,
                "!: the entry's trials ran more than %.1fx apart in distance: its ratio pools "
                "rounds at different distances (scripts/compare FILE --by-distance splits it)\n",
                BENCH_NOISE_DISTANCE_RATIO);
}

void summary_csv(FILE *f, const struct opts *o, const struct bench_pair *pairs,
                 const struct summary_row *s, size_t n) {
    fputs("placement,producer_pu,consumer_pu,relation,msg_size,variant,kind,unit,trials,"
          "noisy_trials,max_preemptions,median,min,max,median_gb_per_sec,baseline,ratio,ratio_lo,"
          "ratio_hi,ratio_coverage,ratio_rounds,distance_ns,distance_min_ns,distance_max_ns,"
          "distance_varies,distance_moved_trials,ceiling,ceiling_ratio,ceiling_lo,ceiling_hi,"
          "ceiling_coverage\n",
          f);
    for (size_t i = 0; i < n; i++) {
        const struct bench_pair *p = &pairs[s[i].pair];
        if (s[i].trials == 0)
            continue;
        fprintf(f, "%s,%u,%u,%s,%zu,%s,%s,%s,%zu,%zu,%ld,%.6g,%.6g,%.6g,%.6f,",
                o->places[s[i].pair].kind == BENCH_PLACE_EXPLICIT ? "explicit" : p->placement,
                p->pu[0], p->pu[1], s[i].im->one_thread ? "one-thread" : p->relation, s[i].msg,
                s[i].im->name,
                s[i].im->kind == BENCH_KIND_VARIANT ? "variant"
                : s[i].im->kind == BENCH_KIND_LIMIT ? "limit"
                                                    : "peer",
                s[i].per_hop ? "ns_per_hop" : "msends_per_sec", s[i].trials, s[i].noisy,
                s[i].max_preemptions, s[i].med, s[i].lo, s[i].hi, s[i].gmed);
        if (s[i].has_ratio)
            fprintf(f, "%s,%.6f,%.6f,%.6f,%.4f,%zu,", o->baseline->name, s[i].ratio.median,
                    s[i].ratio.lo, s[i].ratio.hi, s[i].ratio.coverage, s[i].ratio.n);
        else
            fputs(",,,,,,", f);
        if (s[i].dist_n)
            fprintf(f, "%.1f,%.1f,%.1f,%d,%zu,", s[i].dist_med, s[i].dist_lo, s[i].dist_hi,
                    s[i].dist_varies, s[i].dist_moved);
        else
            fputs(",,,,,", f);
        if (s[i].has_ceiling)
            fprintf(f, "%s,%.6f,%.6f,%.6f,%.4f\n", SUMMARY_CEILING, s[i].ceiling.median,
                    s[i].ceiling.lo, s[i].ceiling.hi, s[i].ceiling.coverage);
        else
            fputs(",,,,\n", f);
    }
}

void summary_verdict(const struct opts *o, const struct run_results *res, char *out, size_t len) {
    size_t trials = 0, noisy = 0, shared = 0;
    long worst = 0;
    double worst_share = -1; /* the longest wait of a noisy trial, as a share of it */
    size_t probed = 0, moved = 0;
    double dlo = 0, dhi = 0;
    char warned[200] = "", waited[96] = "", apart[160] = "", cpu[200] = "";
    if (o->env)
        env_warned(o->env, warned, sizeof warned);
    for (size_t i = 0; i < res->slots; i++) {
        const struct row *r = &res->rows[i];
        if (r->im == NULL)
            continue;
        trials++;
        if (row_distance_ns(r) > 0) {
            double x = row_distance_ns(r);
            dlo = probed == 0 || x < dlo ? x : dlo;
            dhi = probed == 0 || x > dhi ? x : dhi;
            probed++;
        }
        moved += (size_t)row_distance_moved(r);
        if (row_noisy(r))
            noisy++;
        /* Only the trials that shared their CPUs say how much they waited:
         * one that only moved distance is counted under "moved". */
        if (bench_trial_noisy(r->preemptions, r->migrations, row_wait_ns(r), r->out.elapsed_ns)) {
            shared++;
            worst = r->preemptions > worst ? r->preemptions : worst;
            if (row_wait_ns(r) >= 0 && r->out.elapsed_ns > 0) {
                double share = (double)row_wait_ns(r) / (double)r->out.elapsed_ns;
                worst_share = share > worst_share ? share : worst_share;
            }
        }
    }
    if (probed)
        snprintf(apart, sizeof apart, "; cores %.0f-%.0f ns apart%s", dlo, dhi,
                 dhi > BENCH_NOISE_DISTANCE_RATIO * dlo ? " (the distance varied: see each entry)"
                                                        : "");
    if (moved)
        snprintf(apart + strlen(apart), sizeof apart - strlen(apart),
                 "; %zu trial(s) moved distance during the trial", moved);
    if (worst_share >= 0)
        snprintf(waited, sizeof waited, "a thread waited for its CPU up to %.1f%% of a trial; ",
                 100 * worst_share);
    if (shared)
        snprintf(cpu, sizeof cpu,
                 ": %zu shared their CPUs with other work (%sup to %ld preemptions in one)", shared,
                 waited, worst);
    if (noisy)
        snprintf(out, len, "noisy: %zu of %zu trials%s%s%s%s", noisy, trials, cpu, apart,
                 warned[0] ? "; env warnings: " : "", warned);
    else
        snprintf(out, len, "clean: %zu trials, none disturbed%s%s%s", trials, apart,
                 warned[0] ? "; env warnings: " : "", warned);
}
