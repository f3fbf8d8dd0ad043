// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/main.c: the tzsim command line.
 *
 *   tzsim run FILE [-o DIR] [--seed N] [--kernel native|systemc] [--trace LIST|none] [--json] [--quiet]
 *   tzsim validate FILE
 *   tzsim test DIR [--bless] [--junit FILE] [--tap] [-j N] [--kernel K] [--golden-dir DIR]
 *   tzsim compare FILE --vary key.path=a,b,c [--seeds K] [-j N] [--kernel K]
 *   tzsim dtb FILE -o OUT.dtb
 *
 * Exit status: 0 ok, 1 expectations (or golden digests) failed, 2 bad input or usage,
 * 3 the run could not complete (an output could not be written).
 *
 * This file parses the command line and holds run, validate and dtb; test
 * and compare, with the job pool they share, are in sim/cli_*.c (sim/cli.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/out/atomic_file.h"
#include "sim/cli/cli.h"
#include "sim/platform.h"
#include "sim/scenario/scenario.h"

#define TZSIM_VERSION "0.1.0"

static const char usage[] =
	"usage: tzsim <command> [options]\n"
	"\n"
	"commands:\n"
	"  run FILE        simulate a scenario and print its latency summary\n"
	"      -o DIR              write outputs to DIR (default traces/<scenario>/seed<N>)\n"
	"      --seed N            override the scenario's seed\n"
	"      --kernel K          native (default) or systemc\n"
	"      --trace LIST        outputs: csv,perfetto,vcd,hgrm (default: the scenario's);\n"
	"                          none: write no files at all (not even the summaries)\n"
	"      --vary key.path=V   override one scenario key (repeatable)\n"
	"      --json              print the summary as JSON\n"
	"      --quiet             print only failed expectations\n"
	"  validate FILE   check a scenario and exit\n"
	"  test DIR        run every scenario in DIR with its expectations and golden digest\n"
	"      --bless             (re)write the golden digests instead of comparing\n"
	"      --golden-dir DIR    where golden digests live (default traces/golden)\n"
	"      --junit FILE        write JUnit XML;  --tap  print TAP instead of lines\n"
	"      -j N                parallel runs (default: the number of CPUs)\n"
	"  compare FILE    run a scenario under variants, side by side\n"
	"      --vary key.path=a,b,c   the variants (one key)\n"
	"      --seeds K               seeds per variant (default 3)\n"
	"  dtb FILE -o OUT write the device tree the scenario's platform boots with\n"
	"\n"
	"exit status: 0 ok, 1 expectations failed, 2 bad input or usage,\n"
	"             3 the run could not complete (I/O failure)\n";

int cli_usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "tzsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see tzsim --help)\n");
	return 2;
}

int cli_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	/* decimal, or hex with 0x; a leading 0 is not octal ("--seed 010" is ten) */
	*v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	return errno || *end ? -1 : 0;
}

static int parse_kernel(const char *s, int *k)
{
	if (!s)
		return -1;
	if (!strcmp(s, "native"))
		*k = SIM_BACKEND_NATIVE;
	else if (!strcmp(s, "systemc"))
		*k = SIM_BACKEND_SYSTEMC;
	else
		return -1;
	return 0;
}

int cli_opt_kernel(int argc, char **argv, int *i, int *kernel)
{
	if (++*i == argc || parse_kernel(argv[*i], kernel))
		return cli_usage_error("--kernel: expected native or systemc, got '%s'", *i < argc ? argv[*i] : "");
	return 0;
}

int cli_opt_jobs(int argc, char **argv, int *i, int *parallel)
{
	uint64_t v;
	if (++*i == argc || cli_parse_u64(argv[*i], &v) || v == 0 || v > 256)
		return cli_usage_error("-j: expected 1 to 256, got '%s'", *i < argc ? argv[*i] : "");
	*parallel = (int)v;
	return 0;
}

/* "none" (alone): no output files at all; *none is set. */
static int parse_trace(const char *s, unsigned *mask, bool *none)
{
	char buf[256], *tok, *save = NULL;
	*mask = 0;
	*none = !strcmp(s, "none");
	if (*none)
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "csv"))
			*mask |= SCENARIO_TRACE_CSV;
		else if (!strcmp(tok, "perfetto"))
			*mask |= SCENARIO_TRACE_PERFETTO;
		else if (!strcmp(tok, "vcd"))
			*mask |= SCENARIO_TRACE_VCD;
		else if (!strcmp(tok, "hgrm"))
			*mask |= SCENARIO_TRACE_HGRM;
		else
			return -1;
	}
	return 0;
}

/* ---- run, validate, dtb --------------------------------------------------------------- */

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = { .kernel = -1 };
	const char *file = NULL, *vary[MAX_VARY];
	int nvary = 0;
	struct scenario *sc;
	struct sim_diag d;
	struct run_result res;
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-o")) {
			if (++i == argc)
				return cli_usage_error("-o needs a directory", NULL);
			o.out_dir = argv[i];
		} else if (!strcmp(a, "--seed")) {
			if (++i == argc || cli_parse_u64(argv[i], &o.seed))
				return cli_usage_error("--seed: expected a non-negative integer, got '%s'", i < argc ? argv[i] : "");
			o.seed_given = true;
		} else if (!strcmp(a, "--kernel")) {
			if (cli_opt_kernel(argc, argv, &i, &o.kernel))
				return 2;
		} else if (!strcmp(a, "--trace")) {
			if (++i == argc || parse_trace(argv[i], &o.trace, &o.no_outputs))
				return cli_usage_error("--trace: expected none or a list of csv, perfetto, vcd, hgrm, got '%s'",
						       i < argc ? argv[i] : "");
			o.trace_given = true;
		} else if (!strcmp(a, "--vary")) {
			if (++i == argc || !strchr(argv[i], '='))
				return cli_usage_error("--vary: expected key.path=value, got '%s'", i < argc ? argv[i] : "");
			if (nvary == MAX_VARY)
				return cli_usage_error("--vary: at most 32 overrides", NULL);
			vary[nvary++] = argv[i];
		} else if (!strcmp(a, "--json")) {
			o.json = true;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = true;
		} else if (a[0] == '-') {
			return cli_usage_error("run: unknown option '%s'", a);
		} else if (!file) {
			file = a;
		} else {
			return cli_usage_error("run: one scenario file only (got '%s' too)", a);
		}
	}
	if (!file)
		return cli_usage_error("run: missing scenario FILE", NULL);
	sc = malloc(sizeof(*sc));
	if (!sc)
		return 2;
	if (scenario_load(file, vary, nvary, sc, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		free(sc);
		return 2;
	}
	rc = run_scenario(sc, &o, &res, stdout);
	if (res.warning[0])
		fprintf(stderr, "tzsim: %s\n", res.warning);
	if (rc >= RUN_BAD_INPUT || (rc == RUN_FAILED && res.n_failed == 0))
		fprintf(stderr, "%s\n", res.msg);
	scenario_free(sc);
	free(sc);
	return rc;
}

static int cmd_validate(int argc, char **argv)
{
	struct scenario *sc;
	struct sim_diag d;
	char msg[1024];
	int rc = 0;
	if (argc != 1 || argv[0][0] == '-')
		return cli_usage_error("validate: expected exactly one scenario FILE", NULL);
	sc = malloc(sizeof(*sc));
	if (!sc)
		return 2;
	if (scenario_load(argv[0], NULL, 0, sc, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		rc = 2;
	} else if (run_check_names(sc, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "%s\n", msg);
		rc = 2;
	} else {
		void *blob = NULL;
		size_t len;
		struct dt_platform dt;
		if (platform_dtb(sc, &blob, &len, msg, sizeof(msg)) != 0) {
			fprintf(stderr, "%s\n", msg); /* already names the DTS */
			rc = 2;
		} else if (dt_parse(blob, &dt, msg, sizeof(msg)) != 0) {
			fprintf(stderr, "%s: %s\n", sc->platform.dts[0] ? sc->platform.dts : argv[0], msg);
			rc = 2;
		} else {
			printf("%s: ok (%s, %u CPUs, transport %s, %u sources, %u workloads, %u timeline actions, %u checks)\n",
			       argv[0], sc->name, dt.cpus, scenario_transport_name(sc->transport.kind), sc->n_sources,
			       sc->n_workloads, sc->n_timeline, sc->n_expect);
		}
		free(blob);
	}
	scenario_free(sc);
	free(sc);
	return rc;
}

static int cmd_dtb(int argc, char **argv)
{
	const char *file = NULL, *outp = NULL;
	struct scenario *sc;
	struct sim_diag d;
	void *blob = NULL;
	size_t len;
	char err[1024];
	int rc = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			outp = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return cli_usage_error("dtb: unexpected argument '%s'", argv[i]);
	}
	if (!file || !outp)
		return cli_usage_error("dtb: expected FILE -o OUT.dtb", NULL);
	sc = malloc(sizeof(*sc));
	if (!sc)
		return 2;
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

static int dispatch(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("tzsim %s\n", TZSIM_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(argv[1], "validate"))
		return cmd_validate(argc - 2, argv + 2);
	if (!strcmp(argv[1], "test"))
		return cli_test(argc - 2, argv + 2);
	if (!strcmp(argv[1], "compare"))
		return cli_compare(argc - 2, argv + 2);
	if (!strcmp(argv[1], "dtb"))
		return cmd_dtb(argc - 2, argv + 2);
	return cli_usage_error("unknown command '%s'", argv[1]);
}

/* A summary that did not reach stdout (a full disk, a closed pipe) is an I/O failure too. */
int main(int argc, char **argv)
{
	int rc = dispatch(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tzsim: stdout: cannot write: %s\n", strerror(errno ? errno : EIO));
		return RUN_IO_ERROR;
	}
	return rc;
}
