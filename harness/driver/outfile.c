/*
 * outfile.c - output files written whole or not at all (outfile.h).
 *
 * What a path names decides how it is written, and it is decided before the
 * first trial, so that a wrong path costs nothing:
 *   a regular file, or a new name   written whole: a temporary beside it,
 *                                   fsync, rename over it. Through a
 *                                   symbolic link, beside the link's final
 *                                   target, so the link stays a link.
 *   "-", /dev/stdout, /dev/fd/N,    written to that open descriptor of this
 *   /proc/self/fd/N                 process (what the shell redirected it to).
 *   a device, FIFO or socket        written in place at the end, opened for
 *                                   writing without creating or truncating;
 *                                   never replaced by a regular file.
 *   a directory, a missing folder,  refused at once (usage error, exit 2).
 *   a link to nothing
 * Any write error is reported and makes the exit status 1.
 */
#define _DEFAULT_SOURCE /* realpath */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"

enum how { WHOLE, DESCRIPTOR, IN_PLACE };

struct outfile {
    const char *path; /* as given, for messages */
    char *target;     /* WHOLE: the file the rename replaces */
    char *tmp;        /* WHOLE: the temporary beside it */
    enum how how;
    int fd;            /* WHOLE: the temporary's; DESCRIPTOR: this process's */
    struct stat st;    /* what the destination is, to tell two flags apart */
    int st_known;      /* st holds an existing destination */
    volatile int open; /* a temporary exists (read by the signal handler) */
};

static struct outfile g_outs[OUTFILE_SLOTS];

void outfile_abandon_all(void) {
    for (int i = 0; i < OUTFILE_SLOTS; i++) {
        if (g_outs[i].open) {
            g_outs[i].open = 0;
            close(g_outs[i].fd);
            unlink(g_outs[i].tmp);
        }
    }
}

void outfile_abandon_all_from_signal(void) {
    /* unlink is async-signal-safe; the targets were never touched. */
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        if (g_outs[i].open)
            unlink(g_outs[i].tmp);
}

/* "/proc/self/fd/N", "/proc/<our pid>/fd/N" or "/dev/fd/N": N, else -1. */
static int own_fd(const char *p) {
    char mine[64];
    const char *rest = NULL;
    snprintf(mine, sizeof mine, "/proc/%ld/fd/", (long)getpid());
    if (strncmp(p, "/proc/self/fd/", 14) == 0)
        rest = p + 14;
    else if (strncmp(p, "/dev/fd/", 8) == 0)
        rest = p + 8;
    else if (strncmp(p, mine, strlen(mine)) == 0)
        rest = p + strlen(mine);
    if (rest == NULL || *rest < '0' || *rest > '9')
        return -1;
    return atoi(rest);
}

/* Follow symbolic links from `path` to the name of what it finally names
 * (malloc'd); stops early, returning that hop, at a descriptor of ours. */
static char *follow(const char *path, const char *flag) {
    char *cur = strdup(path);
    for (int hops = 0; cur != NULL && hops < 40; hops++) {
        struct stat st;
        char link[PATH_MAX];
        ssize_t n;
        if (own_fd(cur) >= 0 || lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        n = readlink(cur, link, sizeof link - 1);
        if (n < 0)
            usage_error(flag, "cannot read the link '%s': %s", cur, strerror(errno));
        link[n] = '\0';
        if (link[0] != '/') { /* relative to the link's folder */
            char *slash = strrchr(cur, '/'), *abs;
            size_t dl = slash ? (size_t)(slash - cur + 1) : 0;
            abs = malloc(dl + (size_t)n + 1);
            if (abs == NULL)
                break;
            memcpy(abs, cur, dl);
            memcpy(abs + dl, link, (size_t)n + 1);
            free(cur);
            cur = abs;
        } else {
            free(cur);
            cur = strdup(link);
        }
    }
    if (cur != NULL)
        usage_error(flag, "'%s': too many levels of symbolic links", path);
    usage_error(flag, "out of memory");
}

struct outfile *outfile_open(enum outfile_slot slot, const char *path, const char *flag) {
    struct outfile *o = &g_outs[slot];
    size_t len = strlen(path);
    char *target;
    int fd;

    memset(o, 0, sizeof *o);
    o->path = path;
    if (strcmp(path, "-") == 0) {
        o->how = DESCRIPTOR;
        o->fd = STDOUT_FILENO;
    } else if (len > 0 && path[len - 1] == '/') {
        usage_error(flag, "'%s' names a folder; give a file name", path);
    } else if ((fd = own_fd(target = follow(path, flag))) >= 0) {
        o->how = DESCRIPTOR;
        o->fd = fd;
        free(target);
    } else if (stat(target, &o->st) == 0) {
        o->st_known = 1;
        if (S_ISDIR(o->st.st_mode))
            usage_error(flag, "'%s' is a folder; give a file name", path);
        if (S_ISREG(o->st.st_mode)) {
            o->how = WHOLE;
            o->target = target;
        } else {
            /* A device, FIFO or socket: checked now, written at the end. */
            if (access(target, W_OK) != 0)
                usage_error(flag, "cannot write '%s': %s", path, strerror(errno));
            o->how = IN_PLACE;
            o->target = target;
        }
    } else if (errno == ENOENT) {
        struct stat lst;
        char dir[PATH_MAX], *slash = strrchr(target, '/'), *canon;
        if (lstat(target, &lst) == 0) /* follow() stops at a link only if it is dangling */
            usage_error(flag, "'%s' is a symbolic link to nothing", path);
        /* A new name: its folder's canonical path, so that two spellings of
         * one name are seen to be the same. */
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - target) : 1,
                 slash ? (slash == target ? "/" : target) : ".");
        canon = realpath(dir, NULL);
        if (canon == NULL)
            usage_error(flag, "the folder of '%s' (%s): %s", path, dir, strerror(errno));
        o->how = WHOLE;
        o->target = malloc(strlen(canon) + strlen(slash ? slash : target) + 2);
        if (o->target == NULL)
            usage_error(flag, "out of memory");
        sprintf(o->target, "%s/%s", strcmp(canon, "/") == 0 ? "" : canon,
                slash ? slash + 1 : target);
        free(canon);
        free(target);
    } else {
        usage_error(flag, "'%s': %s", path, strerror(errno));
    }
    if (o->how == DESCRIPTOR) {
        if (fstat(o->fd, &o->st) != 0) {
            /* Not a usage error: the caller's stdout is closed. */
            fprintf(stderr, "bipbench: %s: cannot write '%s': descriptor %d is not open\n", flag,
                    path, o->fd);
            exit(1);
        }
        o->st_known = 1;
        return o;
    }
    if (o->how == WHOLE) {
        /* The temporary now, beside the target: an unwritable or missing
         * folder fails before the run rather than after it. */
        size_t n = strlen(o->target) + 16;
        o->tmp = malloc(n);
        if (o->tmp == NULL)
            usage_error(flag, "out of memory");
        snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->target);
        o->fd = mkstemp(o->tmp);
        if (o->fd < 0)
            usage_error(flag, "cannot create a file beside '%s': %s", path, strerror(errno));
        o->open = 1;
    }
    return o;
}

int outfile_fd(const struct outfile *f) {
    return f->how == DESCRIPTOR ? f->fd : -1;
}

int outfile_same(const struct outfile *a, const struct outfile *b) {
    /* Two outputs may share a terminal or /dev/null; anything else would
     * mix two files into one, or lose one. Two on one descriptor of ours
     * would interleave in one stream. */
    if (a->how == DESCRIPTOR && b->how == DESCRIPTOR && a->fd == b->fd)
        return 1;
    if (a->st_known && b->st_known)
        return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino &&
               !S_ISCHR(a->st.st_mode);
    return a->how == WHOLE && b->how == WHOLE && strcmp(a->target, b->target) == 0;
}

/* The rename is durable once the folder is synced too. */
static void sync_parent(const char *path) {
    char *dir = strdup(path), *slash;
    int dfd;
    if (dir == NULL)
        return;
    slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    dfd = open(slash ? dir : ".", O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
}

static int write_all(int fd, const char *data, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        done += (size_t)w;
    }
    return 0;
}

static int fail(const struct outfile *o) {
    fprintf(stderr, "bipbench: cannot write '%s': %s\n", o->path, strerror(errno));
    return -1;
}

int outfile_commit(struct outfile *o, const char *data, size_t len) {
    int e;
    if (o->how == DESCRIPTOR) {
        fflush(stdout); /* what stdio holds for the same descriptor goes first */
        return write_all(o->fd, data, len) == 0 ? 0 : fail(o);
    }
    if (o->how == IN_PLACE) {
        int fd = open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            return fail(o);
        if (write_all(fd, data, len) != 0) {
            e = errno;
            close(fd);
            errno = e;
            return fail(o);
        }
        return close(fd) == 0 ? 0 : fail(o);
    }
    {
        mode_t um = umask(0);
        umask(um);
        fchmod(o->fd, 0666 & ~um);
    }
    if (write_all(o->fd, data, len) != 0 || fsync(o->fd) != 0) {
        e = errno;
        o->open = 0;
        close(o->fd);
        unlink(o->tmp);
        errno = e;
        return fail(o);
    }
    o->open = 0;
    if (close(o->fd) != 0 || rename(o->tmp, o->target) != 0) {
        e = errno;
        unlink(o->tmp);
        errno = e;
        return fail(o);
    }
    sync_parent(o->target);
    return 0;
}

int outfile_write_whole(const char *path, const char *data, size_t len) {
    /* Its own slot, so that a signal meanwhile removes the temporary. */
    struct outfile *o = &g_outs[OUTFILE_EXTRA];
    size_t n = strlen(path) + 16;
    int rc;
    memset(o, 0, sizeof *o);
    o->path = path;
    o->how = WHOLE;
    o->target = (char *)path;
    o->tmp = malloc(n);
    if (o->tmp == NULL)
        return fail(o);
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    o->fd = mkstemp(o->tmp);
    if (o->fd < 0) {
        free(o->tmp);
        return fail(o);
    }
    o->open = 1;
    rc = outfile_commit(o, data, len);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}
