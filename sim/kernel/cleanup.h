/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/cleanup.h: what an interrupted tzsim must undo, and the signal
 * handling that undoes it.
 *
 * A run writes temporary files (atomic_file's `<path>.tmp.<pid>`, the
 * device-tree toolchain's work directory) and starts child processes (cpp
 * and dtc, each in its own process group; the job pool's forked runs).
 * Whoever makes one registers it here and unregisters it when done. On
 * SIGINT, SIGTERM or SIGHUP the handler removes the registered temporary
 * files and directories, kills the registered process groups, asks the job
 * pool's children to stop (they clean up after themselves the same way)
 * and waits for them, then exits 128 + the signal (130, 143, 129). A
 * second signal while that runs (a child slow to stop, or stopped) kills
 * every child with SIGKILL without waiting, removes the temporaries, says
 * so in one line and exits at once with the first signal's status.
 *
 * This is process state, so it is global: the one exception to "no global
 * mutable state" besides SystemC, because a signal is delivered to the
 * process. Everything the handler touches is async-signal-safe (unlink,
 * rmdir, kill, waitpid, _exit) and the tables are fixed arrays. Nothing
 * here prints except the handler's one line on stderr (per signal).
 */
#ifndef SIM_CLEANUP_H
#define SIM_CLEANUP_H

#include <stdbool.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CLEANUP_MAX_PATHS 64
#define CLEANUP_MAX_PIDS 300

/*
 * Register @path (a file, or with @dir an empty directory: its files are
 * registered too, and files go first) to be removed if a signal ends the
 * process; returns a slot for
 * cleanup_forget_path, or -1 when the table is full (the path is then
 * removed only on the normal paths). The string must stay valid until
 * forgotten.
 */
int cleanup_add_path(const char *path, bool dir);
void cleanup_forget_path(int slot);

/* A child in its own process group (@pid == its group): killed with SIGKILL on a signal. */
void cleanup_add_group(pid_t pid);
void cleanup_forget_group(pid_t pid);

/* A job-pool child: sent the same signal and waited for (it cleans up after itself). */
void cleanup_add_job(pid_t pid);
void cleanup_forget_job(pid_t pid);

/* In a forked child: forget what the parent registered (it is the parent's to clean). */
void cleanup_after_fork(void);

/* Install the handler for SIGINT, SIGTERM and SIGHUP (the tzsim binary does, once). */
void cleanup_install_signals(void);

/* The signal that is being handled (0: none); a long loop may check it. */
int cleanup_pending_signal(void);

#ifdef __cplusplus
}
#endif
#endif
