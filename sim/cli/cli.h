/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/cli.h: what the tzsim command line's sources share; not part of
 * libtzsim.a (the Makefile links sim/main.c and sim/cli_*.c into the
 * tzsim binary only).
 *
 *   main.c         the usage text, argument helpers, run, validate, dtb
 *   cli_jobs.c     the job pool: one forked process per run
 *   cli_test.c     tzsim test DIR
 *   cli_compare.c  tzsim compare FILE --vary key.path=a,b,c
 *
 * Commands return the process exit status (enum run_status): 0 ok, 1
 * expectations (or golden digests) failed, 2 bad input or usage, 3 an output
 * could not be written. They print results to stdout, errors and warnings
 * to stderr.
 */
#ifndef TZSIM_CLI_H
#define TZSIM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sim/run.h"

/* At most this many --vary overrides (run) or variants (compare). */
#define MAX_VARY 32

/* ---- argument helpers (main.c) ------------------------------------------------------------- */

/* Print "tzsim: " @fmt (with @arg) and a pointer to --help to stderr; returns 2. */
int cli_usage_error(const char *fmt, const char *arg);
/* Decimal, or hex with 0x; no sign. Returns 0, or -1 if @s is not such a number. */
int cli_parse_u64(const char *s, uint64_t *v);
/*
 * For the option at argv[*@i] (--kernel native|systemc, stored as enum
 * sim_backend; -j N for 1..256): advance *@i to its value and store it.
 * Returns 0, or 2 after printing a usage error when the value is missing
 * or bad.
 */
int cli_opt_kernel(int argc, char **argv, int *i, int *kernel);
int cli_opt_jobs(int argc, char **argv, int *i, int *parallel);

/* ---- the job pool (cli_jobs.c) --------------------------------------------------------------- */

/* One run: the scenario, one override and the run options in; the results out. */
struct job {
	char path[1024];
	char vary[512];   /* one override, or "" */
	struct run_opts o;
	char golden[1100];
	bool capture;     /* on a changed digest, re-run and capture the first differing record */
	/* results */
	struct run_result res;
	char name[80];
	char capture_text[1024];
	pid_t pid;
	int fd;
	bool done;
};


/* The default parallelism: the number of online CPUs (at least 1). */
int cli_nproc(void);
/*
 * Run the @n jobs, at most @parallel at a time, each in a forked process
 * that loads the scenario and runs it; the parent reads each job's
 * results back through a pipe. A job whose process could not start or
 * died gets status 2 and a message. Returns when every job is done.
 */
void cli_run_jobs(struct job *jobs, int n, int parallel);

/* ---- commands ------------------------------------------------------------------------------- */

/* tzsim test DIR [options]: @argv holds what follows "test". */
int cli_test(int argc, char **argv);
/* tzsim compare FILE --vary key.path=a,b,c [options]: @argv holds what follows "compare". */
int cli_compare(int argc, char **argv);

#endif
