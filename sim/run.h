/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/run.h: one run of a scenario: build the platform, boot, run the
 * measured phase, stop the sources, drain, then write the outputs and
 * check the expectations.
 *
 * Scenario time 0 is the moment Linux finished booting (all CPUs online,
 * the OP-TEE driver probed): `stop.after` and every timeline `at` count
 * from there. After the measured phase the sources and workloads stop and
 * the run drains for up to RUN_DRAIN of simulated time, so notifications in
 * flight complete; whatever is still undelivered then is lost.
 */
#ifndef SIM_RUN_H
#define SIM_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/out/digest.h"
#include "sim/stats/hist.h"
#include "sim/scenario/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RUN_DRAIN (50 * SIM_MS)
#define RUN_BOOT_LIMIT (1 * SIM_S)
/* stop: {notifications: N} also ends when none has been sent for this long */
#define RUN_STALL (1 * SIM_S)

struct sim_stats;
struct run_result;

/* What run_opts.progress is told now and then during the measured phase. */
struct run_progress {
	sim_time now;        /* simulated time since the end of boot */
	sim_time end;        /* stop.after; 0 for stop.notifications */
	uint64_t sent, goal; /* notifications sent; stop.notifications (0 for stop.after) */
	double fraction;     /* of the measured phase done, 0..1 */
};

struct run_opts {
	const char *out_dir;  /* NULL: traces/<scenario>/<variant> */
	const char *variant;  /* NULL: "seed<N>" */
	unsigned trace;       /* SCENARIO_TRACE_* to write; 0: the scenario's outputs */
	bool trace_given;
	bool no_outputs;      /* write no files at all (tzsim test, compare) */
	int kernel;           /* -1: the scenario's */
	bool seed_given;
	uint64_t seed;
	bool quiet;           /* no summary table */
	bool json;            /* the summary as JSON */
	const char *golden;   /* compare the trace digest with this golden file */
	bool bless;           /* ... or (re)write it */
	struct sim_hist *e2e; /* if set: the run's e2e latencies are added here */
	struct digest_capture *capture; /* if set: attached as a sink (see digest.h) */
	uint64_t stall_events; /* the kernel's livelock guard (kernel.h); 0: SIM_STALL_EVENTS_DEFAULT */
	/*
	 * Run the invariant checker (sim/stats/check.h; also when the scenario
	 * says `check: true`): a violation is a trace record and an error, and
	 * fails the run (RUN_FAILED). A clean run's trace is unchanged.
	 */
	bool check;
	/* If set: attached to the trace as one more sink, after every other (tzsim explore's boundaries; tests: the records). */
	sim_sink_fn sink;
	void *sink_ctx;
	/*
	 * If set: called during the measured phase, every 1/256 of stop.after
	 * or every 4096 events of stop.notifications (the run is the same with
	 * or without it: the kernel runs to the same times).
	 */
	void (*progress)(void *ctx, const struct run_progress *p);
	/*
	 * If set: called once at the end, with the scenario as run (its seed
	 * set), its statistics (NULL when nothing ran: bad input, out of
	 * memory) and its result, status final. For outputs made of the
	 * statistics (tzsim's --report and --result).
	 */
	void (*done)(void *ctx, const struct scenario *sc, const struct sim_stats *st, const struct run_result *res);
	void *hook_ctx; /* for progress and done */
};

/* run_result.status, which tzsim also uses as its exit status. */
enum run_status {
	RUN_OK = 0,
	RUN_FAILED = 1,    /* an expectation or the golden digest failed, or the platform did not boot */
	RUN_BAD_INPUT = 2, /* the scenario cannot run as written (unknown SMC name, bad DTS, ...) */
	/* the run could not complete: a livelock (the kernel's guard stopped it), out of
	 * memory during the run (sim/kernel/err.h), or an output file that could not be written */
	RUN_INCOMPLETE = 3,
	RUN_IO_ERROR = RUN_INCOMPLETE,
};

/* The golden digest check (run_opts.golden). */
enum run_golden {
	RUN_GOLDEN_NOT_CHECKED = 0, /* no golden file was asked for, or the run stopped before */
	RUN_GOLDEN_SAME,
	RUN_GOLDEN_CHANGED,         /* golden_at is the first differing record */
	RUN_GOLDEN_MISSING,         /* missing, unreadable or malformed: golden_msg says why */
	RUN_GOLDEN_BLESSED,         /* written anew (run_opts.bless) */
};

struct run_result {
	int status;           /* enum run_status */
	char msg[1536];       /* why, when status != 0: the failed checks, or one error naming its file */
	char warning[1024];   /* notes for the caller to show on stderr, one a line ("" when none) */
	unsigned n_expect, n_failed;
	uint64_t expect_failed; /* bit i: expect[i] failed (the first 64) */
	uint64_t expect_count;  /* bit i: expect[i] reads a count (the first 64) ... */
	double expect_value[64]; /* ... and expect[i]'s measured value, for a metric expectation */
	uint64_t digest, records;
	enum run_golden golden;
	uint64_t golden_at;   /* RUN_GOLDEN_CHANGED: the first differing record */
	char golden_msg[512];
	bool quiet_ok;        /* print only failed expectations */
	double wall_s;
	sim_time sim_end;
	double notifications, delivered, lost, late, spurious, coalesced;
	double e2e_p50, e2e_p99, e2e_max;
	double smc_per_notif, secure_time;
	char out_dir[1024];
	/* the invariant checker (run_opts.check) */
	bool checked;
	unsigned violations;
	unsigned violation_inv;     /* the first one's invariant (enum sim_inv), 0: none */
	char violation[640];        /* the first one, as its error line says it */
	unsigned refused;           /* timeline actions Linux refused (check.h) */
	sim_time boot_time;
};

/*
 * Run @sc. Writes the summary (unless quiet) and failures, or the JSON
 * object (json), to @out and nothing else there: a warning is left in
 * res->warning. Output files (unless no_outputs) are created before the
 * run as temporary files and moved into place whole after it, before
 * anything is printed. When a file cannot be created or written, the run
 * stops (or prints nothing) and returns RUN_IO_ERROR with res->msg naming
 * the file and the system's reason; no file is left half-written (those
 * moved into place before the failure are whole). A golden file that
 * cannot be written (bless) is RUN_IO_ERROR too. Returns res->status.
 */
int run_scenario(const struct scenario *sc, const struct run_opts *o, struct run_result *res, FILE *out);

/* Check that every smc_sequence name is known; 0, or 2 with a file:line:col message. */
int run_check_names(const struct scenario *sc, char *msg, size_t len);

#ifdef __cplusplus
}
#endif
#endif
