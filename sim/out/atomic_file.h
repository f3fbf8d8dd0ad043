/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/out/atomic_file.h: write a file so that it appears whole or not at all.
 *
 * atomic_file_open creates the parent directories and opens
 * `<path>.tmp.<pid>` for writing; atomic_file_commit flushes, fsyncs and
 * renames it to <path> (then fsyncs the directory); atomic_file_abort
 * closes and unlinks it. A failed or interrupted run therefore never
 * leaves a partial <path>: readers see the old file or the new one. The
 * temporary file is registered with sim/kernel/cleanup.h, so SIGINT or SIGTERM
 * removes it too; only a run killed outright (SIGKILL) may leave a
 * `.tmp.<pid>` file behind, never <path>.
 *
 * Errors are -1 with a message in the caller's buffer (errno is kept).
 * Never prints, never exits.
 */
#ifndef SIM_ATOMIC_FILE_H
#define SIM_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct atomic_file {
	FILE *f;    /* write here; NULL when not open */
	char *path; /* final name */
	char *tmp;  /* temporary name */
	int slot;   /* its sim/kernel/cleanup.h slot + 1 (0: none): removed on SIGINT/SIGTERM */
};

/*
 * Open @path for writing through a temporary file. Returns 0, or -1 (cannot
 * create a parent directory or the temporary file, out of memory) with a
 * message in @err. @af is left closed on error.
 */
int atomic_file_open(struct atomic_file *af, const char *path, char *err, size_t errlen);

/*
 * Close and move into place. Returns 0, or -1 when any write to af->f, the
 * flush, fsync or rename failed; then the temporary file is removed and
 * <path> is untouched. @af is closed either way.
 */
int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen);

/* Close and remove the temporary file; no-op on a closed @af. */
void atomic_file_abort(struct atomic_file *af);

/* Create @dir and its parents (mode 0777 & ~umask). Returns 0 or -1 (errno set). */
int atomic_file_mkdirs(const char *dir);

#ifdef __cplusplus
}
#endif
#endif
