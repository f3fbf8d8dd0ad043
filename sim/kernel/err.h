/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/err.h: how code under sim/ reports errors, and two helpers.
 *
 * The convention (STYLE.md: errors are values), for every function in sim/
 * except the command line (sim/cli/):
 *
 *  - A function that can fail returns an int: 0 (or a count or index >= 0)
 *    on success, a negative value on failure. A function that returns a
 *    pointer returns NULL on failure; that means out of memory unless its
 *    comment says otherwise.
 *  - The reason travels one of two ways. A function that reads input or
 *    touches files takes a message buffer (`char *err, size_t errlen`) and
 *    returns -1 with the whole message in it: input problems as
 *    `file:line:col: key.path: what is wrong` (sim/scenario/, sim/replay.c,
 *    the DTS), system errors as `path: what failed: strerror(errno)`. A small
 *    leaf returns a negative code and names it with its *_strerror
 *    (sim_units_strerror; -errno values: sim_strerror below). Output
 *    writers that keep the C library's errno return -1 with errno set.
 *  - A failure deep inside a running simulation (a trace sink, the event
 *    queue), where no caller can take a return value, is sticky: the
 *    module records the first error as a negative errno, stops what it can
 *    (the kernel stops the run and runs nothing more), and the run driver
 *    asks for it when the run returns (sim_kernel_error, stats_error) and
 *    reports "the run could not complete" (exit 3).
 *  - Running out of memory is an error like the others: reported, never
 *    abort(). While loading or building, the step fails with "out of
 *    memory" in its message (exit 2, as its other errors); during the run
 *    it is sticky (above: exit 3). abort() and assert() are for wiring bugs
 *    only (a model used the way its header forbids), never for input or
 *    resources.
 *  - Code under sim/ never calls exit() and writes only to a FILE its
 *    caller passes (never stdout or stderr on its own); sim/run.c puts
 *    messages and warnings in struct run_result, and sim/cli/ prints them
 *    and maps the status to the exit code (0 ok, 1 expectations failed,
 *    2 bad input or usage, 3 could not complete).
 *    The one exception is sim/kernel/cleanup.c, the signal handler, which removes
 *    temporary files and _exit()s on a fatal signal; and a forked child
 *    (sim/dt.c's cpp/dtc) that _exit()s when exec fails.
 */
#ifndef SIM_ERR_H
#define SIM_ERR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * sim_fail - format the reason (printf-style) into @err, when @err is not
 * NULL and @errlen is not 0, truncating to @errlen - 1 characters.
 * Returns -1, so that `return sim_fail(err, errlen, "...", ...);` reports
 * and fails in one statement.
 */
int sim_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The text of a negative errno value @err (-ENOMEM: "Cannot allocate memory"); "" for 0. */
const char *sim_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif
