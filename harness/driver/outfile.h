/*
 * outfile.h - output files written whole or not at all: the data goes to a
 * temporary file beside the target, is synced, and is renamed over the
 * target only when complete. A run that fails or is interrupted leaves the
 * previous file (or none) and no temporary behind.
 */
#ifndef BIPBENCH_OUTFILE_H
#define BIPBENCH_OUTFILE_H

#include <stddef.h>

/* Slots: one output file of each kind per run. */
enum outfile_slot { OUTFILE_CSV, OUTFILE_JSON, OUTFILE_SUMMARY, OUTFILE_SLOTS };

struct outfile;

/* Create the temporary beside `path` now, so that an unwritable place fails
 * before the run rather than after it (a usage error naming `flag`). */
struct outfile *outfile_open(enum outfile_slot slot, const char *path, const char *flag);

/* Write data to the temporary, sync it and rename it over the target.
 * Returns 0, or -1 after printing why (the temporary is removed). */
int outfile_commit(struct outfile *o, const char *data, size_t len);

/* Remove every open temporary (atexit). */
void outfile_abandon_all(void);

/* The same from a signal handler: only async-signal-safe calls. */
void outfile_abandon_all_from_signal(void);

#endif
