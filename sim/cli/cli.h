/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/cli/cli.h: what the tzsim command line's sources share; not part of
 * libtzsim.a (the Makefile links the sources in sim/cli/ into the tzsim binary only).
 *
 *   cli_opts.c     the table of commands and options, its parser, the --help texts
 *   main.c         dispatch; run, validate, dtb
 *   cli_jobs.c     the job pool: one forked process per run
 *   cli_test.c     tzsim test DIR
 *   cli_compare.c  tzsim compare FILE --vary key.path=a,b,c
 *
 * Commands return the process exit status (enum run_status): 0 ok, 1
 * expectations (or golden digests) failed, 2 bad input or usage, 3 the run
 * could not complete (a livelock, an output that could not be written);
 * sim/cleanup.h exits 130/143 on SIGINT/SIGTERM (README: the exit table). They print results to stdout, errors and warnings
 * to stderr.
 */
#ifndef TZSIM_CLI_H
#define TZSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "sim/run.h"

/* At most this many --vary overrides (run) or variants (compare). */
#define MAX_VARY 32

/* ---- commands and options (cli_opts.c) ------------------------------------------------------ */

/* The commands, as bits: an option's row names the commands that take it. */
enum cli_cmd {
	CLI_RUN = 1u << 0,
	CLI_VALIDATE = 1u << 1,
	CLI_TEST = 1u << 2,
	CLI_COMPARE = 1u << 3,
	CLI_DTB = 1u << 4,
};
#define CLI_ALL_CMDS (CLI_RUN | CLI_VALIDATE | CLI_TEST | CLI_COMPARE | CLI_DTB)

struct cli_command {
	const char *name;    /* NULL ends cli_commands[] */
	enum cli_cmd cmd;
	const char *operand; /* its one operand: FILE or DIR */
	const char *summary; /* one line for --help */
};

/* An option, whatever commands take it (one bit each in struct cli_args.given). */
enum cli_opt_id {
	CLI_OPT_OUTPUT,
	CLI_OPT_SEED,
	CLI_OPT_KERNEL,
	CLI_OPT_TRACE,
	CLI_OPT_VARY,
	CLI_OPT_JSON,
	CLI_OPT_QUIET,
	CLI_OPT_BLESS,
	CLI_OPT_GOLDEN_DIR,
	CLI_OPT_JUNIT,
	CLI_OPT_TAP,
	CLI_OPT_JOBS,
	CLI_OPT_SEEDS,
	CLI_OPT_STALL_EVENTS,
	CLI_OPT_HELP,
};

/* How an option's value is checked, and what its field in struct cli_args is. */
enum cli_kind {
	CLI_FLAG,        /* no value; bool */
	CLI_HELP,        /* no value; stops parsing with cli_args.help set */
	CLI_STRING,      /* a non-empty string; const char * */
	CLI_ASSIGN,      /* key.path=value; const char * (given again: the last one) */
	CLI_ASSIGN_LIST, /* key.path=value, repeatable; struct cli_list */
	CLI_NUMBER,      /* decimal, or hex with 0x, within [min, max]; uint64_t */
	CLI_KERNEL,      /* native or systemc; int (enum sim_backend) */
	CLI_TRACE,       /* none, or a list from csv,perfetto,vcd,hgrm; struct cli_trace */
};

/*
 * One row per option and the commands that take it alike. An option whose
 * meaning differs between commands (-o: run's directory, dtb's file) has
 * one row per meaning, with the same name, short name and id.
 */
struct cli_opt {
	enum cli_opt_id id;
	const char *name;   /* the long name without "--"; NULL ends cli_opts[] */
	char short_name;    /* 'o' for -o; 0: none */
	const char *arg;    /* the value's name in --help (DIR, N); NULL: takes no value */
	unsigned cmds;      /* enum cli_cmd bits */
	bool required;      /* those commands need it */
	enum cli_kind kind;
	size_t field;       /* offsetof(struct cli_args, the field it sets) */
	uint64_t min, max;  /* CLI_NUMBER */
	const char *expect; /* what a bad value should have been: "--seed: expected <expect>, got 'x'" */
	const char *help;   /* one line for --help */
};

extern const struct cli_command cli_commands[];
extern const struct cli_opt cli_opts[];

struct cli_list {
	const char *v[MAX_VARY];
	int n;
};

struct cli_trace {
	unsigned mask; /* SCENARIO_TRACE_* */
	bool none;     /* "none": no output file at all */
};

/* A parsed command line. */
struct cli_args {
	const struct cli_command *command;
	const char *operand;    /* FILE or DIR */
	bool help;              /* -h, --help: print the command's help, nothing else */
	uint32_t given;         /* 1u << enum cli_opt_id for every option given */
	const char *out;        /* -o: run's output directory, dtb's output file */
	uint64_t seed;          /* --seed */
	int kernel;             /* --kernel; -1: the scenario's */
	struct cli_trace trace; /* --trace */
	struct cli_list vary;   /* run's --vary, in order */
	const char *variants;   /* compare's --vary key.path=a,b,c */
	bool json, quiet;
	bool bless, tap;
	const char *golden_dir; /* default traces/golden */
	const char *junit;
	uint64_t jobs;          /* -j; 0: the number of CPUs */
	uint64_t seeds;         /* default 3 */
	uint64_t stall_events;  /* --stall-events; 0: the kernel's default */
};

static inline bool cli_given(const struct cli_args *a, enum cli_opt_id id) { return a->given >> id & 1; }

/*
 * Parse "<command> [options] OPERAND" (@argv[0] is the command's name)
 * against cli_opts[] with getopt_long: "--seed 3", "--seed=3", "-j 4",
 * "-j4", options before or after the operand, "--" ends the options. Long
 * names are not abbreviated. Returns 0 with @a filled (a->help: print
 * cli_print_help and run nothing), or 2 after a usage error on stderr: an
 * unknown command or option, an option the command does not take, a
 * missing or bad value, a missing operand or required option.
 */
int cli_parse(int argc, char **argv, struct cli_args *a);

/* The help of @command (its usage, options and exit statuses), or of tzsim as a whole (NULL). */
void cli_print_help(FILE *f, const struct cli_command *command);

/*
 * Print "tzsim: " @fmt to stderr, then the hint "(see tzsim --help)", or
 * "(see tzsim CMD --help)" for @command. Returns 2.
 */
int cli_usage_error(const struct cli_command *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Decimal, or hex with 0x; no sign. Returns 0, or -1 if @s is not such a number. */
int cli_parse_u64(const char *s, uint64_t *v);

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

/* tzsim test DIR [options] */
int cli_test(const struct cli_args *a);
/* tzsim compare FILE --vary key.path=a,b,c [options] */
int cli_compare(const struct cli_args *a);

#endif
