/*
 * env.c - the checks of the machine (env.h). Each check reads a few files
 * of /proc or /sys and never changes anything; where a file is absent (a
 * virtual machine without cpufreq, an older kernel) the check says what it
 * could not see rather than guess.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* syscall */
#include "env.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static const char *root(const char *var, const char *def) {
    const char *r = getenv(var);
    return r && *r ? r : def;
}

/* Read ROOT/rel (printf-style) into buf, trailing newline dropped; returns
 * 0, or -1 if it cannot be read. */
static __attribute__((format(printf, 4, 5))) int
read_file(char *buf, size_t len, const char *rootvar, const char *fmt, ...) {
    char rel[256], path[512];
    va_list ap;
    FILE *f;
    size_t n;
    va_start(ap, fmt);
    vsnprintf(rel, sizeof rel, fmt, ap);
    va_end(ap);
    snprintf(path, sizeof path, "%s/%s",
             root(rootvar, strcmp(rootvar, "BIPBENCH_PROC") == 0 ? "/proc" : "/sys"), rel);
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    n = fread(buf, 1, len - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
        buf[--n] = '\0';
    return 0;
}

#define PROC "BIPBENCH_PROC"
#define SYS  "BIPBENCH_SYS"

static struct env_check *add(struct env_report *e, const char *name) {
    struct env_check *c = &e->checks[e->n < ENV_MAX_CHECKS ? e->n++ : ENV_MAX_CHECKS - 1];
    memset(c, 0, sizeof *c);
    c->name = name;
    return c;
}

static __attribute__((format(printf, 4, 5))) void warn(struct env_report *e, struct env_check *c,
                                                       const char *fix, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
    snprintf(c->fix, sizeof c->fix, "%s", fix);
    c->warn = 1;
    e->warnings++;
}

/* "a,b" of the PUs, for messages. */
static void pu_list(char *out, size_t len, const unsigned *pus, size_t n) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, "%s%u", i ? "," : "", pus[i]);
}

/* The value of "key : value" in the first processor block of cpuinfo. */
static int cpuinfo_field(const char *info, const char *key, char *out, size_t len) {
    size_t klen = strlen(key);
    for (const char *p = info; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, key, klen) == 0 && (p[klen] == ' ' || p[klen] == '\t' || p[klen] == ':')) {
            const char *v = strchr(p, ':'), *end;
            if (v == NULL)
                return -1;
            v++;
            while (*v == ' ' || *v == '\t')
                v++;
            end = strchr(v, '\n');
            snprintf(out, len, "%.*s", (int)(end ? (size_t)(end - v) : strlen(v)), v);
            return 0;
        }
        if (*p == '\n')
            break; /* the end of the first block */
    }
    return -1;
}

static void check_cpu(struct env_report *e, hwloc_topology_t t) {
    static char info[65536];
    struct env_check *c = add(e, "cpu");
    char vendor[64] = "?", family[16] = "?", model[16] = "?", stepping[16] = "?", micro[32] = "?",
         name[128] = "?", flags[4096] = "";
    hwloc_obj_t pkg = hwloc_get_obj_by_type(t, HWLOC_OBJ_PACKAGE, 0);
    if (read_file(info, sizeof info, PROC, "cpuinfo") == 0) {
        cpuinfo_field(info, "vendor_id", vendor, sizeof vendor);
        cpuinfo_field(info, "cpu family", family, sizeof family);
        cpuinfo_field(info, "model", model, sizeof model);
        cpuinfo_field(info, "stepping", stepping, sizeof stepping);
        cpuinfo_field(info, "microcode", micro, sizeof micro);
        cpuinfo_field(info, "model name", name, sizeof name);
        cpuinfo_field(info, "flags", flags, sizeof flags);
    }
    /* hwloc's info attributes where /proc/cpuinfo did not say. */
    if (pkg) {
        const char *v;
        if (strcmp(vendor, "?") == 0 && (v = hwloc_obj_get_info_by_name(pkg, "CPUVendor")))
            snprintf(vendor, sizeof vendor, "%s", v);
        if (strcmp(family, "?") == 0 && (v = hwloc_obj_get_info_by_name(pkg, "CPUFamilyNumber")))
            snprintf(family, sizeof family, "%s", v);
        if (strcmp(model, "?") == 0 && (v = hwloc_obj_get_info_by_name(pkg, "CPUModelNumber")))
            snprintf(model, sizeof model, "%s", v);
        if (strcmp(stepping, "?") == 0 && (v = hwloc_obj_get_info_by_name(pkg, "CPUStepping")))
            snprintf(stepping, sizeof stepping, "%s", v);
        if (strcmp(name, "?") == 0 && (v = hwloc_obj_get_info_by_name(pkg, "CPUModel")))
            snprintf(name, sizeof name, "%s", v);
    }
    snprintf(c->value, sizeof c->value, "%s; %s family %s model %s stepping %s microcode %s", name,
             vendor, family, model, stepping, micro);

    c = add(e, "hypervisor");
    if (strstr(flags, " hypervisor") || strncmp(flags, "hypervisor", 10) == 0) {
        snprintf(c->value, sizeof c->value, "yes (the hypervisor flag is set)");
        warn(e, c,
             "measure on bare metal, or on a host whose vCPUs are pinned to dedicated CPUs; "
             "compare only within one run",
             "a virtual machine: the host can run other guests on these CPUs and move the "
             "vCPUs, which no counter here sees");
    } else {
        snprintf(c->value, sizeof c->value, flags[0] ? "none seen" : "unknown (no CPU flags)");
    }
}

static void check_kernel(struct env_report *e) {
    struct env_check *c = add(e, "kernel");
    struct utsname u;
    char buf[256];
    if (read_file(buf, sizeof buf, PROC, "sys/kernel/osrelease") == 0)
        snprintf(c->value, sizeof c->value, "%.150s", buf);
    else if (uname(&u) == 0)
        snprintf(c->value, sizeof c->value, "%s %s", u.sysname, u.release);
    else
        snprintf(c->value, sizeof c->value, "unknown");
}

static void check_load(struct env_report *e) {
    struct env_check *c = add(e, "load");
    char buf[256];
    double l1, l5, l15;
    int run, total;
    if (read_file(buf, sizeof buf, PROC, "loadavg") != 0 ||
        sscanf(buf, "%lf %lf %lf %d/%d", &l1, &l5, &l15, &run, &total) != 5) {
        snprintf(c->value, sizeof c->value, "unknown (no loadavg)");
        return;
    }
    /* The runnable count includes this process. The averages alone do not
     * warn: they count the trials of a run that just ended (scripts/reproduce
     * runs bipbench step after step), and the trials' own wait columns say
     * whether other work took their CPUs. */
    snprintf(c->value, sizeof c->value, "%.2f %.2f %.2f, %d runnable of %d tasks", l1, l5, l15, run,
             total);
    if (run > 1)
        warn(e, c, "stop other work first, or let bipbench wait for quiet PUs: --wait-idle",
             "other work is running (load %.2f over the last minute, %d runnable besides this "
             "one): it takes CPU time and caches from the trials",
             l1, run - 1);
}

#define PF_KTHREAD 0x00200000 /* stat's flags: a kernel thread */

/*
 * Threads of other processes bound to, or running on, the chosen PUs. Bound:
 * allowed on fewer CPUs than are online, one of them ours. Kernel threads
 * (per-CPU workers are bound by design) are not counted.
 */
static void check_threads(struct env_report *e, const unsigned *pus, size_t npus) {
    struct env_check *c = add(e, "other-threads");
    char path[512], buf[4096], found[160] = "", pul[64];
    size_t nfound = 0, used = 0;
    hwloc_bitmap_t mine = hwloc_bitmap_alloc(), allowed = hwloc_bitmap_alloc(),
                   online = hwloc_bitmap_alloc();
    if (read_file(buf, sizeof buf, SYS, "devices/system/cpu/online") != 0 ||
        hwloc_bitmap_list_sscanf(online, buf) != 0)
        hwloc_bitmap_fill(online);
    DIR *d;
    struct dirent *de;
    const long self = (long)getpid();
    pu_list(pul, sizeof pul, pus, npus);
    for (size_t i = 0; i < npus; i++)
        hwloc_bitmap_set(mine, pus[i]);
    snprintf(path, sizeof path, "%s", root(PROC, "/proc"));
    d = opendir(path);
    while (d && (de = readdir(d)) != NULL) {
        DIR *td;
        struct dirent *te;
        long pid = strtol(de->d_name, NULL, 10);
        if (!isdigit((unsigned char)de->d_name[0]) || pid == self)
            continue;
        snprintf(path, sizeof path, "%s/%s/task", root(PROC, "/proc"), de->d_name);
        td = opendir(path);
        while (td && (te = readdir(td)) != NULL) {
            char comm[64] = "?", *p, state = '?';
            int cpu = -1, bound = 0, running = 0;
            unsigned long flags = 0;
            if (!isdigit((unsigned char)te->d_name[0]))
                continue;
            /* Bound: its allowed CPUs are some of ours, not the whole machine. */
            if (read_file(buf, sizeof buf, PROC, "%s/task/%s/status", de->d_name, te->d_name) ==
                    0 &&
                (p = strstr(buf, "Cpus_allowed_list:")) != NULL) {
                char list[256];
                sscanf(p + 18, " %255s", list);
                if (hwloc_bitmap_list_sscanf(allowed, list) == 0)
                    bound = hwloc_bitmap_intersects(allowed, mine) &&
                            !hwloc_bitmap_isincluded(online, allowed);
            }
            /* Running: state R, last on one of our PUs (field 39 of stat). */
            if (read_file(buf, sizeof buf, PROC, "%s/task/%s/stat", de->d_name, te->d_name) == 0 &&
                (p = strrchr(buf, ')')) != NULL) {
                char *q = p + 2;
                int field = 3;
                state = *q;
                for (; *q && field < 39; q++) {
                    if (*q == ' ')
                        field++;
                    if (*q == ' ' && field == 9)
                        flags = strtoul(q + 1, NULL, 10);
                }
                if (field == 39)
                    cpu = atoi(q);
                running = state == 'R' && cpu >= 0 && hwloc_bitmap_isset(mine, (unsigned)cpu);
                snprintf(comm, sizeof comm, "%.*s", (int)(p - strchr(buf, '(') - 1),
                         strchr(buf, '(') + 1);
            }
            if (flags & PF_KTHREAD)
                continue;
            if ((bound && state != 'Z') || running) {
                if (nfound < 3 && used < sizeof found)
                    used += (size_t)snprintf(found + used, sizeof found - used, "%s%ld/%s (%s)",
                                             nfound ? ", " : "", pid, comm,
                                             running ? "running" : "bound");
                nfound++;
            }
        }
        if (td)
            closedir(td);
    }
    if (d)
        closedir(d);
    hwloc_bitmap_free(mine);
    hwloc_bitmap_free(allowed);
    hwloc_bitmap_free(online);
    if (nfound == 0) {
        snprintf(c->value, sizeof c->value, "none bound to or running on PUs %s", pul);
    } else {
        snprintf(c->value, sizeof c->value, "%zu: %s%s", nfound, found, nfound > 3 ? ", ..." : "");
        warn(e, c,
             "move them (taskset -apc OTHER_CPUS PID) or stop them, or choose other PUs with "
             "--pair A,B",
             "threads of other processes are bound to or running on PUs %s: they share the "
             "trials' CPUs",
             pul);
    }
}

static void check_governor(struct env_report *e, const unsigned *pus, size_t npus) {
    struct env_check *c = add(e, "governor");
    char buf[64], bad[96] = "";
    int seen = 0;
    for (size_t i = 0; i < npus; i++) {
        if (read_file(buf, sizeof buf, SYS, "devices/system/cpu/cpu%u/cpufreq/scaling_governor",
                      pus[i]) != 0)
            continue;
        if (!seen++)
            snprintf(c->value, sizeof c->value, "%s", buf);
        if (strcmp(buf, "performance") != 0)
            snprintf(bad, sizeof bad, "PU %u: %s", pus[i], buf);
    }
    if (!seen)
        snprintf(c->value, sizeof c->value,
                 "not exposed (no cpufreq: a virtual machine, or a fixed frequency)");
    else if (bad[0])
        warn(e, c, "cpupower frequency-set -g performance",
             "the frequency follows the load (%s): the first trials run slower than the rest", bad);
}

static void check_turbo(struct env_report *e) {
    struct env_check *c = add(e, "turbo");
    char buf[32];
    if (read_file(buf, sizeof buf, SYS, "devices/system/cpu/intel_pstate/no_turbo") == 0) {
        snprintf(c->value, sizeof c->value, "intel_pstate no_turbo=%s", buf);
        if (strcmp(buf, "0") == 0)
            warn(e, c, "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo",
                 "turbo is on: the clock depends on temperature and on how many cores are busy");
    } else if (read_file(buf, sizeof buf, SYS, "devices/system/cpu/cpufreq/boost") == 0) {
        snprintf(c->value, sizeof c->value, "cpufreq boost=%s", buf);
        if (strcmp(buf, "1") == 0)
            warn(e, c, "echo 0 > /sys/devices/system/cpu/cpufreq/boost",
                 "boost is on: the clock depends on temperature and on how many cores are busy");
    } else {
        snprintf(c->value, sizeof c->value, "not exposed");
    }
}

static void check_smt(struct env_report *e) {
    struct env_check *c = add(e, "smt");
    char buf[32];
    if (read_file(buf, sizeof buf, SYS, "devices/system/cpu/smt/active") != 0) {
        snprintf(c->value, sizeof c->value, "not exposed");
        return;
    }
    snprintf(c->value, sizeof c->value, "active=%s", buf);
    if (strcmp(buf, "1") == 0)
        warn(e, c,
             "keep the chosen cores' sibling PUs idle, or echo off > "
             "/sys/devices/system/cpu/smt/control",
             "SMT is on: work on a sibling PU shares the chosen core's caches and pipeline");
}

static void check_isolation(struct env_report *e, const unsigned *pus, size_t npus) {
    struct env_check *c = add(e, "isolation");
    char iso[256] = "", nohz[256] = "", pul[64], fix[200];
    int all = npus > 0;
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    pu_list(pul, sizeof pul, pus, npus);
    read_file(iso, sizeof iso, SYS, "devices/system/cpu/isolated");
    read_file(nohz, sizeof nohz, SYS, "devices/system/cpu/nohz_full");
    if (strcmp(nohz, "(null)") == 0)
        nohz[0] = '\0';
    if (iso[0] == '\0' || hwloc_bitmap_list_sscanf(set, iso) != 0)
        all = 0;
    for (size_t i = 0; all && i < npus; i++)
        all = hwloc_bitmap_isset(set, pus[i]);
    hwloc_bitmap_free(set);
    snprintf(c->value, sizeof c->value, "isolated: %s; nohz_full: %s", iso[0] ? iso : "none",
             nohz[0] ? nohz : "none");
    snprintf(fix, sizeof fix, "boot with isolcpus=%s nohz_full=%s rcu_nocbs=%s", pul, pul, pul);
    if (!all)
        warn(e, c, fix,
             "PUs %s are not isolated: the scheduler may put any other task on them mid-trial",
             pul);
}

static void check_thp(struct env_report *e) {
    struct env_check *c = add(e, "hugepages");
    char buf[128];
    if (read_file(buf, sizeof buf, SYS, "kernel/mm/transparent_hugepage/enabled") != 0) {
        snprintf(c->value, sizeof c->value, "not exposed");
        return;
    }
    snprintf(c->value, sizeof c->value, "transparent hugepages: %s", buf);
    if (strstr(buf, "[always]"))
        warn(e, c, "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled",
             "a buffer may or may not land on a huge page, run to run, which changes its TLB "
             "misses");
}

/* The asym variants' sleeping waits need MEMBARRIER_CMD_PRIVATE_EXPEDITED;
 * without it they fall back to fence (bipbuf_wake_kind), and say so here. */
static void check_membarrier(struct env_report *e) {
    struct env_check *c = add(e, "membarrier");
    long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0);
    if (cmds >= 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) {
        /* What one call costs a sleeper here while no other thread of this
         * process runs (none does yet): the floor; with the peer running on
         * another CPU it also interrupts that CPU (bipbench rate shows the
         * difference). 64 calls, the mean. */
        int64_t t0, t1;
        int ok = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0) == 0;
        t0 = bench_now_ns();
        for (int i = 0; ok && i < 64; i++)
            ok = syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0) == 0;
        t1 = bench_now_ns();
        if (ok)
            snprintf(c->value, sizeof c->value,
                     "private expedited: available (the asym variants' sleeps use it; "
                     "%.1f us a call, alone)",
                     (double)(t1 - t0) / 64 / 1e3);
        else
            snprintf(c->value, sizeof c->value,
                     "private expedited: available (the asym variants' sleeps use it)");
        return;
    }
    snprintf(c->value, sizeof c->value, "private expedited: unavailable");
    warn(e, c, "a kernel of 4.14 or later with CONFIG_MEMBARRIER",
         "the asym variants' waits fall back to the fence protocol here: their rows "
         "measure fence (the rate CSV's wake column says so)");
}

void env_collect(struct env_report *e, hwloc_topology_t t, const unsigned *pus, size_t npus) {
    memset(e, 0, sizeof *e);
    check_cpu(e, t);
    check_kernel(e);
    check_load(e);
    check_threads(e, pus, npus);
    check_governor(e, pus, npus);
    check_turbo(e);
    check_smt(e);
    check_isolation(e, pus, npus);
    check_thp(e);
    check_membarrier(e);
}

void env_print(FILE *f, const struct env_report *e, int only_warnings) {
    for (size_t i = 0; i < e->n; i++) {
        const struct env_check *c = &e->checks[i];
        if (only_warnings && !c->warn)
            continue;
        fprintf(f, "%s%-4s %-13s %s\n", only_warnings ? "bipbench: env: " : "",
                c->warn ? "WARN" : "OK", c->name, c->value);
        if (c->warn)
            fprintf(f, "%s     %-13s why: %s\n%s     %-13s fix: %s\n",
                    only_warnings ? "bipbench: env: " : "", "", c->why,
                    only_warnings ? "bipbench: env: " : "", "", c->fix);
    }
}

void env_warned(const struct env_report *e, char *out, size_t len) {
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < e->n && used < len; i++)
        if (e->checks[i].warn)
            used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "",
                                     e->checks[i].name);
}

/* ---- waiting for quiet PUs ------------------------------------------------ */

/* Busy and total jiffies of cpu`pu` from /proc/stat; -1 if absent. */
static int cpu_times(unsigned pu, unsigned long long *busy, unsigned long long *total) {
    static char buf[65536];
    char key[32];
    const char *p;
    unsigned long long v[8] = {0};
    if (read_file(buf, sizeof buf, PROC, "stat") != 0)
        return -1;
    snprintf(key, sizeof key, "\ncpu%u ", pu);
    p = strstr(buf, key);
    if (p == NULL || sscanf(p + strlen(key), "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                            &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) < 4)
        return -1;
    /* user nice system idle iowait irq softirq steal: idle and iowait are not busy. */
    *busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    *total = *busy + v[3] + v[4];
    return 0;
}

/* Sleep the 200 ms window in 20 ms slices, checking the stop flag between
 * them: a signal (SIGINT, SIGTERM, SIGHUP) ends the wait within a slice, not
 * at the end of the wait. Returns 1 if a stop was asked. */
static int window_or_stop(void) {
    const struct timespec slice = {0, ENV_WAIT_SLICE_NS};
    for (long t = 0; t < 200000000L; t += ENV_WAIT_SLICE_NS) {
        if (bench_should_stop())
            return 1;
        nanosleep(&slice, NULL); /* a signal cuts it short: checked at once */
    }
    return bench_should_stop();
}

int env_wait_idle(const unsigned *pus, size_t npus, double max_s) {
    double waited = 0, worst = 0;
    int said = 0;
    unsigned worst_pu = 0;
    for (;;) {
        unsigned long long b0[64], t0[64], b1, t1;
        size_t n = npus < 64 ? npus : 64;
        for (size_t i = 0; i < n; i++)
            if (cpu_times(pus[i], &b0[i], &t0[i]) != 0)
                return -1;
        if (window_or_stop())
            return 2;
        waited += 0.2;
        worst = 0;
        for (size_t i = 0; i < n; i++) {
            double busy;
            if (cpu_times(pus[i], &b1, &t1) != 0)
                return -1;
            busy = t1 > t0[i] ? (double)(b1 - b0[i]) / (double)(t1 - t0[i]) : 0;
            if (busy >= worst) {
                worst = busy;
                worst_pu = pus[i];
            }
        }
        if (worst < ENV_QUIET_BUSY) {
            if (said)
                fprintf(stderr, "bipbench: PUs quiet after %.1f s\n", waited);
            return 1;
        }
        if (!said++)
            fprintf(stderr, "bipbench: waiting for quiet PUs (PU %u %.0f%% busy), at most %.0f s\n",
                    worst_pu, 100 * worst, max_s);
        if (waited >= max_s) {
            fprintf(stderr,
                    "bipbench: PUs still busy after %.0f s (PU %u %.0f%%): going on; the trials "
                    "will say whether they were disturbed\n",
                    max_s, worst_pu, 100 * worst);
            return 0;
        }
    }
}
