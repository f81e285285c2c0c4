/*
 * signals.h - how a bipbench run ends early, and what it says then.
 *
 * The stage is one line saying what is running ("run cached-pad64-acqrel msg
 * 255 pair core, trial 3/5"); the runner prefixes its errors with it and the
 * watchdog prints it. SIGINT, SIGTERM or SIGHUP asks the run to stop after
 * the current trial (bench_should_stop in bench.h); a second one a while
 * later quits at once, calling the cleanup given to bench_signals_install
 * first; so does the watchdog. SIGPIPE is ignored: a write to a closed pipe
 * fails with EPIPE where it happens, and is reported there.
 */
#ifndef BENCH_SIGNALS_H
#define BENCH_SIGNALS_H

/* Set the stage (printf-style); safe against a signal that reads it. */
void bench_stage_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *bench_stage(void);

/*
 * Install the SIGINT handler, and the watchdog when BIPBENCH_WATCHDOG=S is
 * set: after S seconds it prints the stage and exits with status 3.
 * cleanup_from_signal (may be NULL) must be async-signal-safe: it runs in
 * the handler before an immediate exit. Returns 0, or -1 when
 * BIPBENCH_WATCHDOG is not a number of seconds in 1..86400.
 */
int bench_signals_install(void (*cleanup_from_signal)(void));

#endif
