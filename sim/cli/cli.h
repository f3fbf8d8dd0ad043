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
 *   cli_results.c  runs' results combined per variant: the compare table, the HTML report
 *   cli_sweep.c    compare --emit-jobs DIR (a sweep as jobs for GNU parallel or Slurm), tzsim merge DIR
 *   cli_progress.c the progress line on a terminal
 *   cli_completion.c  tzsim completion bash
 *
 * Commands return the process exit status (enum run_status): 0 ok, 1
 * expectations (or golden digests) failed, 2 bad input or usage, 3 the run
 * could not complete (a livelock, an output that could not be written);
 * sim/kernel/cleanup.h exits 130/143 on SIGINT/SIGTERM (README: the exit table). They print results to stdout, errors and warnings
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
#include "sim/stats/result.h"

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
	CLI_MERGE = 1u << 5,
	CLI_COMPLETION = 1u << 6,
	CLI_EXPLORE = 1u << 7,
	CLI_CALIBRATE = 1u << 8,
};
#define CLI_ALL_CMDS                                                                                             \
	(CLI_RUN | CLI_VALIDATE | CLI_TEST | CLI_COMPARE | CLI_DTB | CLI_MERGE | CLI_COMPLETION | CLI_EXPLORE | \
	 CLI_CALIBRATE)

struct cli_command {
	const char *name;    /* NULL ends cli_commands[] */
	enum cli_cmd cmd;
	const char *operand; /* its one operand: FILE or DIR; "": it takes none */
	const char *summary; /* one line for --help */
	const char *complete; /* what the operand completes to in a shell: "file", "dir" or a list of words */
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
	CLI_OPT_REPORT,
	CLI_OPT_RESULT,
	CLI_OPT_EMIT_JOBS,
	CLI_OPT_THROTTLE,
	CLI_OPT_CHECK,
	CLI_OPT_BUDGET,
	CLI_OPT_AROUND,
	CLI_OPT_PRESET,
	CLI_OPT_EMIT_OVERRIDES,
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
	CLI_PRESET,      /* a core preset (sim_preset_lookup: cortex-a53, cortex-a72); int (enum sim_preset) */
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
	const char *report;     /* --report FILE: the HTML report */
	const char *result;     /* run's --result FILE: the run's result for tzsim merge */
	const char *emit_jobs;  /* compare's --emit-jobs DIR */
	uint64_t throttle;      /* compare's --throttle N: Slurm array tasks at once (0: no limit) */
	bool check;             /* --check: the invariant checker */
	const char *budget;     /* explore's --budget N|TIME */
	const char *around;     /* explore's --around EVENT */
	int preset;             /* calibrate's --preset (enum sim_preset; default cortex-a53) */
	bool emit_overrides;    /* calibrate's --emit-overrides: print the implied table as platform.cost_overrides */
	int argc;               /* the command line, for the report */
	char **argv;
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

/* overrides per job: compare uses 2; explore adds its variant and its shrinking */
#define JOB_MAX_VARY 32

/* One run: the scenario, its overrides and the run options in; the results out. */
struct job {
	char path[1024];
	char vary[JOB_MAX_VARY][600]; /* overrides, in order */
	int nvary;
	struct run_opts o;
	char golden[1100];
	bool capture;     /* on a changed digest, re-run and capture the first differing record */
	bool want_result; /* ship the run's result (struct stats_result, text) to job_hooks.result */
	/* results */
	struct run_result res;
	char name[80];
	char capture_text[1024];
	/* the parent's view of the running process */
	pid_t pid;
	int fd;
	bool done;
	char *buf;        /* what the pipe brought so far */
	size_t len, cap;
	bool got_job;     /* the final frame arrived */
};

/* What the job pool tells its caller while jobs run (every member may be NULL). */
struct job_hooks {
	/* job @i's result as stats_result text (jobs with want_result), once, before it is done */
	void (*result)(void *ctx, int i, const char *text, size_t len);
	/* job @i's progress, now and then while it runs */
	void (*progress)(void *ctx, int i, const struct run_progress *p);
	/* job @i is done (its struct job filled) */
	void (*finished)(void *ctx, int i);
	/* about four times a second while jobs run; with it set the pool never sleeps longer */
	void (*tick)(void *ctx);
	void *ctx;
};


/* The default parallelism: the number of online CPUs (at least 1). */
int cli_nproc(void);
/*
 * Run the @n jobs, at most @parallel at a time, each in a forked process
 * that loads the scenario and runs it; the parent reads each job's
 * results back through a pipe. A job whose process could not start or
 * died gets status 2 and a message. Returns when every job is done.
 */
void cli_run_jobs(struct job *jobs, int n, int parallel, const struct job_hooks *h);

/* ---- results combined per variant (cli_results.c) --------------------------------------------- */

#define CLI_MAX_SEEDS 100

/* The runs of one variant (a value of compare's --vary) over its seeds. */
struct cli_variant {
	char label[600];      /* the value, as typed */
	char transport[64];   /* the variant's effective transport, "spi 219 edge" */
	unsigned seeds;       /* runs expected */
	unsigned runs;        /* results added */
	unsigned measured;    /* of them, runs that measured (did not end before) */
	double p50[CLI_MAX_SEEDS], p99[CLI_MAX_SEEDS], max[CLI_MAX_SEEDS]; /* e2e per seed, us */
	double smc[CLI_MAX_SEEDS], ws[CLI_MAX_SEEDS];                    /* per notification, per seed */
	int bad_seed;         /* the first seed index whose run ended in an error; -1: none */
	char bad_msg[1536];
	bool incomplete;      /* a run could not complete (RUN_INCOMPLETE: the livelock guard, an output) */
	struct stats_result *sum; /* the measured runs combined (stats_result_add); NULL until the first */
};

/* "spi 219 edge" (and routing, target, spmc when not the default) */
void cli_transport_desc(const struct scenario *sc, char *buf, size_t len);
/*
 * The overrides a compare variant or run's --vary list stands for: as
 * given, except that setting transport.kind first clears the file's
 * transport mapping ("transport={}"), so each kind starts from its own
 * defaults (INTID, trigger, target, spmc, ...) unless an override sets
 * them. @out gets up to @max pointers (into @in or a static string);
 * returns the count, or -1 when @max is too small.
 */
int cli_expand_overrides(const char *const *in, int n, const char **out, int max);

void cli_variant_init(struct cli_variant *v, const char *label, const char *transport, unsigned seeds);
void cli_variant_free(struct cli_variant *v);
/*
 * Add the run of seed index @s, with status @status (enum run_status) and
 * @n_failed failed checks, message @msg, measured result @r (NULL or not
 * measured: the run ended before measuring). 0, or -1 out of memory.
 */
int cli_variant_add(struct cli_variant *v, unsigned s, const struct stats_result *r);
/* Whether a run's status is an error (failed expect checks alone are not). */
bool cli_run_error(int status, unsigned n_failed);

/*
 * The table of compare and merge, to @f; returns 3 when a run could not
 * complete (RUN_INCOMPLETE), else 1 when a variant has an error, else 0.
 */
int cli_print_table(FILE *f, const char *file, const char *key, uint64_t seeds, uint64_t first_seed,
		    const struct cli_variant *v, int n);
/*
 * Write the HTML report of @n variants to @path (atomically). @title the
 * scenario's name, @what what varies, @command the command that made the
 * runs, @scenario_text the file's text (NULL: not shown). 0, or 3 after a
 * message on stderr naming the file.
 */
int cli_write_report(const char *path, const char *title, const char *what, const char *command,
		     const char *scenario_path, const char *scenario_text, const struct cli_variant *v, int n);
/*
 * The whole of a (small) text file, NUL-terminated, or NULL (errno set: EISDIR, EINVAL for
 * a FIFO or device, EFBIG above CLI_MAX_READ_BYTES); *@len its length.
 */
#define CLI_MAX_READ_BYTES (64u << 20)
char *cli_read_file(const char *path, size_t *len);
/* A run's result: meta from @sc and @res, measurements from @st (NULL: none). */
void cli_result_fill(struct stats_result *r, const struct scenario *sc, const struct sim_stats *st,
		     const struct run_result *res);

/* ---- the progress line (cli_progress.c) ------------------------------------------------------- */

/* Progress on stderr, only when it is a terminal (and the caller asked: not --json, --quiet). */
struct cli_progress {
	bool on;
	double t0, last;       /* wall clock: start, last line */
	int total, done, running;
	double sim_s, notifs;  /* finished runs' simulated seconds and notifications */
	struct run_progress *cur; /* per job: the latest progress of a running one */
	bool shown;
};

/* @total runs; on only when stderr is a terminal and @wanted. */
void cli_progress_init(struct cli_progress *p, int total, bool wanted);
/* run_opts.progress for tzsim run: the one run's progress. */
void cli_progress_run(void *ctx, const struct run_progress *rp);
/* Redraw the line for the runs of a compare (rate-limited). */
void cli_progress_runs(struct cli_progress *p);
/* Clear the line (before anything else is printed) and free what init took. */
void cli_progress_end(struct cli_progress *p);

/* ---- tzsim run's --report, --result and progress line (cli_run.c) ---------------------------- */

struct cli_run_hooks {
	const struct cli_args *a;
	const char *ovr[MAX_VARY + 1]; /* run's --vary list, expanded (cli_expand_overrides) */
	int novr;
	struct stats_result *r;        /* for --report and --result */
	struct cli_progress pg;
	int rc;                        /* 3 when the report or the result could not be written */
};

/* Set up @h for @a and hook it into @o. 0, or -1 out of memory. */
int cli_run_hooks_init(struct cli_run_hooks *h, const struct cli_args *a, struct run_opts *o);
/*
 * After the run (or after a scenario that did not load: @load_error, and
 * --result then records why). Clears the progress line, frees @h; returns
 * the exit status: @rc, or 3 when an output could not be written.
 */
int cli_run_hooks_end(struct cli_run_hooks *h, int rc, const char *load_error);

/* ---- commands ------------------------------------------------------------------------------- */

/* tzsim test DIR [options] */
int cli_test(const struct cli_args *a);
/* tzsim compare FILE --vary key.path=a,b,c [options] */
int cli_compare(const struct cli_args *a);
/*
 * compare --emit-jobs DIR: write the @nval variants (their overrides in
 * @ovr[k], @novr[k] of them) x @seeds as jobs into @a->emit_jobs. Returns
 * the exit status.
 */
int cli_emit_jobs(const struct cli_args *a, const char *key, char *const *vals, const char *const (*ovr)[JOB_MAX_VARY],
		  const int *novr, const char (*transport)[64], int nval, uint64_t first_seed);
/*
 * "tzsim compare FILE --vary 'KEY=A,B' --seeds K [--kernel K] [--stall-events N]": what made a
 * comparison's runs (its report says). @stall_events 0: not given.
 */
void cli_compare_command(char *buf, size_t len, const char *file, const char *vary, uint64_t seeds, int kernel,
			 uint64_t stall_events);
/* tzsim merge DIR [--report FILE] */
int cli_merge(const struct cli_args *a);
/* tzsim completion bash */
int cli_completion(const struct cli_args *a);
/* tzsim explore (cli_explore.c) */
int cli_explore(const struct cli_args *a);

#endif
