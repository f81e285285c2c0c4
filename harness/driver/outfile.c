/*
 * outfile.c - output files written whole or not at all (outfile.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"

struct outfile {
    const char *path;
    char *tmp;
    int fd;
    volatile int open; /* read by the signal handler */
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

struct outfile *outfile_open(enum outfile_slot slot, const char *path, const char *flag) {
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

/* The rename is durable once the directory is synced too. */
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

int outfile_commit(struct outfile *o, const char *data, size_t len) {
    mode_t um = umask(0);
    size_t done = 0;
    int e;
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
    o->open = 0;
    if (close(o->fd) != 0 || rename(o->tmp, o->path) != 0) {
        e = errno;
        unlink(o->tmp);
        errno = e;
        goto fail_closed;
    }
    sync_parent(o->path);
    return 0;
fail:
    e = errno;
    o->open = 0;
    close(o->fd);
    unlink(o->tmp);
    errno = e;
fail_closed:
    fprintf(stderr, "bipbench: cannot write '%s': %s\n", o->path, strerror(errno));
    return -1;
}
