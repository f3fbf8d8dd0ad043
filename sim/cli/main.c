// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/cli/main.c: the tzsim command line.
 *
 *   tzsim run FILE [-o DIR] [--seed N] [--kernel K] [--trace LIST] [--vary K=V]... [--json] [--quiet]
 *             [--report FILE] [--result FILE] [--stall-events N]
 *   tzsim validate FILE [--vary K=V]...
 *   tzsim test DIR [--bless] [--junit FILE] [--tap] [-j N] [--kernel K] [--golden-dir DIR] [--stall-events N]
 *   tzsim compare FILE --vary key.path=a,b,c [--seeds K] [-j N] [--kernel K] [--stall-events N]
 *             [--report FILE | --emit-jobs DIR [--throttle N]]
 *   tzsim merge DIR [--report FILE]
 *   tzsim dtb FILE -o OUT.dtb
 *   tzsim completion bash
 *   tzsim COMMAND --help
 *
 * (the options are rows of cli_opts[] in cli_opts.c)
 *
 * Exit status: 0 ok, 1 expectations (or golden digests) failed, 2 bad input or usage,
 * 3 the run could not complete (a livelock, an output could not be written), 130/143
 * interrupted (sim/kernel/cleanup.h). README has the table per command.
 *
 * This file dispatches to the commands and holds run, validate and dtb;
 * the parser is cli_opts.c; test and compare, with the job pool they
 * share, are in sim/cli/cli_*.c (sim/cli/cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel/cleanup.h"
#include "sim/out/atomic_file.h"
#include "sim/cli/cli.h"
#include "sim/calibrate.h"
#include "sim/platform.h"
#include "sim/scenario/scenario.h"

#define TZSIM_VERSION "0.1.0"

/* ---- run, validate, dtb --------------------------------------------------------------- */

static int cmd_run(const struct cli_args *a)
{
	struct run_opts o = {
		.out_dir = a->out,
		.trace = a->trace.mask,
		.trace_given = cli_given(a, CLI_OPT_TRACE),
		.no_outputs = a->trace.none,
		.kernel = a->kernel,
		.seed_given = cli_given(a, CLI_OPT_SEED),
		.seed = a->seed,
		.quiet = a->quiet,
		.json = a->json,
		.stall_events = a->stall_events,
		.check = a->check,
	};
	const char *file = a->operand;
	struct scenario *sc;
	struct sim_diag d;
	struct run_result res;
	int rc;

	struct cli_run_hooks hooks; /* --report, --result, the progress line */

	sc = malloc(sizeof(*sc));
	if (!sc || cli_run_hooks_init(&hooks, a, &o) != 0) {
		fputs("tzsim: out of memory\n", stderr);
		free(sc);
		return 2;
	}
	if (scenario_load(file, hooks.ovr, hooks.novr, sc, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		cli_run_hooks_end(&hooks, RUN_BAD_INPUT, d.msg);
		free(sc);
		return 2;
	}
	rc = run_scenario(sc, &o, &res, stdout);
	rc = cli_run_hooks_end(&hooks, rc, NULL);
	if (res.warning[0])
		fprintf(stderr, "tzsim: %s\n", res.warning);
	if (rc >= RUN_BAD_INPUT || (rc == RUN_FAILED && res.n_failed == 0 && res.violations == 0))
		fprintf(stderr, "%s\n", res.msg);
	scenario_free(sc);
	free(sc);
	return rc;
}

/*
 * Load the scenario and build its platform without running it: the same
 * code path as run up to the first event, so validate accepts exactly what
 * run can run (platform_build checks the device tree, the replay files and
 * every limit the platform has, sim/platform_limits.h).
 */
static int cmd_validate(const struct cli_args *a)
{
	const char *file = a->operand;
	struct scenario *sc = malloc(sizeof(*sc));
	struct platform *p = calloc(1, sizeof(*p));
	struct sim_diag d;
	char msg[1024];
	int rc = 0;
	if (!sc || !p) {
		fputs("tzsim: out of memory\n", stderr);
		free(sc);
		free(p);
		return 2;
	}
	/* run's overrides exactly (transport.kind=... starts from the kind's defaults) */
	const char *ovr[MAX_VARY + 1];
	int novr = cli_expand_overrides(a->vary.v, a->vary.n, ovr, MAX_VARY + 1);
	if (scenario_load(file, ovr, novr, sc, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		rc = 2;
	} else if (run_check_names(sc, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "%s\n", msg);
		rc = 2;
	} else if (platform_build(p, sc, SIM_BACKEND_NATIVE, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "%s\n", msg); /* names the file: the scenario's, the DTS or a replay file */
		rc = 2;
	} else {
		printf("%s: ok (%s, %u CPUs, transport %s, %u sources, %u workloads, %u timeline actions, %u checks)\n",
		       file, sc->name, p->ncpus, scenario_transport_name(sc->transport.kind), sc->n_sources,
		       sc->n_workloads, sc->n_timeline, sc->n_expect);
		platform_free(p);
	}
	scenario_free(sc);
	free(sc);
	free(p);
	return rc;
}

static int cmd_dtb(const struct cli_args *a)
{
	const char *file = a->operand, *outp = a->out;
	struct scenario *sc;
	struct sim_diag d;
	void *blob = NULL;
	size_t len;
	char err[1024];
	int rc = 0;
	sc = malloc(sizeof(*sc));
	if (!sc) {
		fputs("tzsim: out of memory\n", stderr);
		return 2;
	}
	if (scenario_load(file, NULL, 0, sc, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		rc = 2;
	} else if (platform_dtb(sc, &blob, &len, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		rc = 2;
	} else {
		/* a short fwrite leaves the stream's error flag set: the commit reports it */
		struct atomic_file af;
		if (atomic_file_open(&af, outp, err, sizeof(err)) != 0 ||
		    (fwrite(blob, 1, len, af.f), atomic_file_commit(&af, err, sizeof(err)) != 0)) {
			fprintf(stderr, "%s\n", err);
			rc = RUN_IO_ERROR;
		}
	}
	free(blob);
	scenario_free(sc);
	free(sc);
	return rc;
}

/*
 * tzsim calibrate [--preset cortex-a53|cortex-a72] [--emit-overrides]: the cost-table entries the
 * guest code implies (sim/calibrate.h); with --emit-overrides only those entries, as the YAML of a
 * scenario's platform.cost_overrides (an abstract run with them is timed as the guest code).
 */
static int cmd_calibrate(const struct cli_args *a)
{
	char err[512];
	struct calibrate_steps st;
	enum sim_preset preset = (enum sim_preset)a->preset;
	if ((!a->emit_overrides && calibrate_run(preset, stdout, NULL, err, sizeof(err)) != 0) ||
	    calibrate_steps(preset, &st, err, sizeof(err)) != 0) {
		fprintf(stderr, "tzsim: %s\n", err);
		return RUN_FAILED;
	}
	if (a->emit_overrides)
		calibrate_print_step_overrides(&st, stdout);
	else
		calibrate_print_steps(&st, stdout);
	return 0;
}

static int dispatch(int argc, char **argv)
{
	struct cli_args a;
	int rc;
	if (argc < 2) {
		cli_print_help(stderr, NULL);
		return RUN_BAD_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		cli_print_help(stdout, NULL);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("tzsim %s\n", TZSIM_VERSION);
		return 0;
	}
	if ((rc = cli_parse(argc - 1, argv + 1, &a)) != 0)
		return rc;
	if (a.help) {
		cli_print_help(stdout, a.command);
		return 0;
	}
	switch (a.command->cmd) {
	case CLI_RUN:
		return cmd_run(&a);
	case CLI_VALIDATE:
		return cmd_validate(&a);
	case CLI_TEST:
		return cli_test(&a);
	case CLI_COMPARE:
		return cli_compare(&a);
	case CLI_DTB:
		return cmd_dtb(&a);
	case CLI_MERGE:
		return cli_merge(&a);
	case CLI_EXPLORE:
		return cli_explore(&a);
	case CLI_COMPLETION:
		return cli_completion(&a);
	case CLI_CALIBRATE:
		return cmd_calibrate(&a);
	}
	return RUN_BAD_INPUT;
}

/* A summary that did not reach stdout (a full disk, a closed pipe) is an I/O failure too. */
int main(int argc, char **argv)
{
	/* SIGINT, SIGTERM: remove the temporaries, stop the children, exit 130 / 143 (sim/kernel/cleanup.h) */
	cleanup_install_signals();
	int rc = dispatch(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tzsim: stdout: cannot write: %s\n", strerror(errno ? errno : EIO));
		return RUN_IO_ERROR;
	}
	return rc;
}
