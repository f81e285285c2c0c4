/*
 * outfile.h - output files written whole or not at all: the data goes to a
 * temporary file beside the target, is synced, and is renamed over the
 * target only when complete. A run that fails or is interrupted leaves the
 * previous file (or none) and no temporary behind. "-" and /dev/stdout are
 * this process's stdout; devices and FIFOs are written in place, never
 * replaced (outfile.c says exactly what goes where).
 */
#ifndef BIPBENCH_OUTFILE_H
#define BIPBENCH_OUTFILE_H

#include <stddef.h>

/* Slots: one output file of each kind per run. */
enum outfile_slot {
    OUTFILE_CSV,
    OUTFILE_JSON,
    OUTFILE_SUMMARY,
    OUTFILE_EXTRA, /* outfile_write_whole's, one at a time */
    OUTFILE_SLOTS
};

struct outfile;

/* Create the temporary beside `path` now, so that an unwritable place fails
 * before the run rather than after it (a usage error naming `flag`). */
struct outfile *outfile_open(enum outfile_slot slot, const char *path, const char *flag);

/* The descriptor of this process the output goes to ("-", /dev/stdout,
 * /dev/fd/N), or -1 for a file or a device. */
int outfile_fd(const struct outfile *f);

/* Do a and b name the same destination (a terminal or /dev/null aside)? */
int outfile_same(const struct outfile *a, const struct outfile *b);

/* Write the data: the whole file at once, in place for a device, or to a
 * descriptor for "-" and /dev/stdout. Returns 0, or -1 after printing why
 * (a temporary is removed). */
int outfile_commit(struct outfile *o, const char *data, size_t len);

/* Write a whole file at `path` (a temporary beside it, fsync, rename),
 * outside the slots: for files made during a run. 0, or -1 after saying why. */
int outfile_write_whole(const char *path, const char *data, size_t len);

/* Remove every open temporary (atexit). */
void outfile_abandon_all(void);

/* The same from a signal handler: only async-signal-safe calls. */
void outfile_abandon_all_from_signal(void);

#endif
