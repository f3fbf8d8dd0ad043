// SPDX-License-Identifier: BSD-3-Clause
/*
 * The command line's commands and options as data, one parser for every
 * command, and the --help texts made from the same rows.
 *
 * An option is a row of cli_opts[]: its names, the commands that take it,
 * how its value is checked and which field of struct cli_args it sets.
 * cli_parse builds getopt_long's tables from the rows, so "--seed=3",
 * "--seed 3", "-j4" and "-j 4" all work; cli_print_help prints each
 * command's options from the same rows. Adding an option is adding a row
 * (and reading its field in the command); a man page or a shell completion
 * can be generated from cli_commands[] and cli_opts[] alike.
 */
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/scenario/scenario.h"

#define F(field) offsetof(struct cli_args, field)

_Static_assert(CLI_OPT_HELP < 32, "struct cli_args.given has a bit per enum cli_opt_id");

const struct cli_command cli_commands[] = {
	{ "run", CLI_RUN, "FILE", "simulate a scenario and print its latency summary", "yaml" },
	{ "validate", CLI_VALIDATE, "FILE", "check a scenario, its SMC names and its device tree, and exit", "yaml" },
	{ "test", CLI_TEST, "DIR", "run every scenario in DIR with its expectations and golden digest", "dir" },
	{ "compare", CLI_COMPARE, "FILE", "run a scenario under variants of one key, side by side", "yaml" },
	{ "merge", CLI_MERGE, "DIR", "print the table (and report) of a sweep written by compare --emit-jobs", "dir" },
	{ "dtb", CLI_DTB, "FILE", "write the device tree the scenario's platform boots with", "yaml" },
	{ "explore", CLI_EXPLORE, "FILE", "search variants of a scenario for one that breaks an invariant or an expect", "yaml" },
	{ "completion", CLI_COMPLETION, "SHELL", "print the shell completion script (bash)", "bash" },
	{ "calibrate", CLI_CALIBRATE, "", "run one notification through the guest code, print the cost table it implies", "" },
	{ NULL, 0, NULL, NULL, NULL },
};

const struct cli_opt cli_opts[] = {
	{ .id = CLI_OPT_OUTPUT, .name = "output", .short_name = 'o', .arg = "DIR", .cmds = CLI_RUN,
	  .kind = CLI_STRING, .field = F(out), .expect = "a directory",
	  .help = "write the outputs to DIR (default traces/<scenario>/seed<N>)" },
	{ .id = CLI_OPT_OUTPUT, .name = "output", .short_name = 'o', .arg = "OUT.dtb", .cmds = CLI_DTB,
	  .required = true, .kind = CLI_STRING, .field = F(out), .expect = "a file name",
	  .help = "write the device tree blob to OUT.dtb" },
	{ .id = CLI_OPT_OUTPUT, .name = "output", .short_name = 'o', .arg = "DIR", .cmds = CLI_EXPLORE,
	  .kind = CLI_STRING, .field = F(out), .expect = "a directory",
	  .help = "write the reproducer, its trace and its explanation to DIR (default traces/<scenario>/explore)" },
	{ .id = CLI_OPT_SEED, .name = "seed", .arg = "N", .cmds = CLI_RUN, .kind = CLI_NUMBER, .field = F(seed),
	  .min = 0, .max = UINT64_MAX, .expect = "a non-negative integer",
	  .help = "override the scenario's seed (decimal, or hex with 0x)" },
	{ .id = CLI_OPT_TRACE, .name = "trace", .arg = "LIST", .cmds = CLI_RUN, .kind = CLI_TRACE, .field = F(trace),
	  .expect = "none or a list of csv, perfetto, vcd, hgrm",
	  .help = "outputs from csv,perfetto,vcd,hgrm (default: the scenario's); none: no file at all" },
	{ .id = CLI_OPT_VARY, .name = "vary", .arg = "KEY=VALUE", .cmds = CLI_RUN | CLI_VALIDATE | CLI_EXPLORE, .kind = CLI_ASSIGN_LIST,
	  .field = F(vary), .expect = "key.path=value",
	  .help = "override one scenario key (key.path=value); repeatable, applied in order" },
	{ .id = CLI_OPT_JSON, .name = "json", .cmds = CLI_RUN, .kind = CLI_FLAG, .field = F(json),
	  .help = "print the summary as one JSON object instead of the table" },
	{ .id = CLI_OPT_QUIET, .name = "quiet", .cmds = CLI_RUN, .kind = CLI_FLAG, .field = F(quiet),
	  .help = "print only failed expectations" },
	{ .id = CLI_OPT_BLESS, .name = "bless", .cmds = CLI_TEST, .kind = CLI_FLAG, .field = F(bless),
	  .help = "write the golden digests instead of comparing with them" },
	{ .id = CLI_OPT_GOLDEN_DIR, .name = "golden-dir", .arg = "DIR", .cmds = CLI_TEST, .kind = CLI_STRING,
	  .field = F(golden_dir), .expect = "a directory", .help = "where golden digests live (default traces/golden)" },
	{ .id = CLI_OPT_JUNIT, .name = "junit", .arg = "FILE", .cmds = CLI_TEST, .kind = CLI_STRING,
	  .field = F(junit), .expect = "a file name", .help = "also write a JUnit XML report to FILE" },
	{ .id = CLI_OPT_TAP, .name = "tap", .cmds = CLI_TEST, .kind = CLI_FLAG, .field = F(tap),
	  .help = "print TAP instead of PASS/FAIL lines" },
	{ .id = CLI_OPT_VARY, .name = "vary", .arg = "KEY=A,B,C", .cmds = CLI_COMPARE, .required = true,
	  .kind = CLI_ASSIGN, .field = F(variants), .expect = "key.path=a,b,c",
	  .help = "the variants: one key, comma-separated values (commas inside []/{} do not split)" },
	{ .id = CLI_OPT_SEEDS, .name = "seeds", .arg = "K", .cmds = CLI_COMPARE, .kind = CLI_NUMBER, .field = F(seeds),
	  .min = 1, .max = 100, .expect = "1 to 100",
	  .help = "seeds per variant, from the scenario's seed on (default 3)" },
	{ .id = CLI_OPT_EMIT_JOBS, .name = "emit-jobs", .arg = "DIR", .cmds = CLI_COMPARE, .kind = CLI_STRING,
	  .field = F(emit_jobs), .expect = "a directory",
	  .help = "run nothing: write the runs as jobs into DIR (GNU parallel's jobs.txt, Slurm's sweep.sbatch)" },
	{ .id = CLI_OPT_THROTTLE, .name = "throttle", .arg = "N", .cmds = CLI_COMPARE, .kind = CLI_NUMBER,
	  .field = F(throttle), .min = 1, .max = 100000, .expect = "1 to 100000",
	  .help = "with --emit-jobs: at most N Slurm array tasks at once (%N; default no limit)" },
	{ .id = CLI_OPT_REPORT, .name = "report", .arg = "FILE", .cmds = CLI_RUN | CLI_COMPARE | CLI_MERGE,
	  .kind = CLI_STRING, .field = F(report), .expect = "a file name",
	  .help = "also write an HTML report: latency CDF, stage medians, outcomes, CPU time" },
	{ .id = CLI_OPT_RESULT, .name = "result", .arg = "FILE", .cmds = CLI_RUN, .kind = CLI_STRING,
	  .field = F(result), .expect = "a file name",
	  .help = "also write the run's result (counts, latency histograms) for tzsim merge" },
	{ .id = CLI_OPT_JOBS, .name = "jobs", .short_name = 'j', .arg = "N", .cmds = CLI_TEST | CLI_COMPARE | CLI_EXPLORE,
	  .kind = CLI_NUMBER, .field = F(jobs), .min = 1, .max = 256, .expect = "1 to 256",
	  .help = "parallel runs, one process each (default: the number of CPUs)" },
	{ .id = CLI_OPT_KERNEL, .name = "kernel", .arg = "K", .cmds = CLI_RUN | CLI_TEST | CLI_COMPARE | CLI_EXPLORE,
	  .kind = CLI_KERNEL, .field = F(kernel), .expect = "native or systemc",
	  .help = "event kernel: native or systemc (default: the scenario's kernel, native)" },
	{ .id = CLI_OPT_STALL_EVENTS, .name = "stall-events", .arg = "N", .cmds = CLI_RUN | CLI_TEST | CLI_COMPARE | CLI_EXPLORE,
	  .kind = CLI_NUMBER, .field = F(stall_events), .min = 1, .max = UINT64_MAX, .expect = "a positive integer",
	  .help = "livelock guard: stop a run (exit 3) after N events at one simulated time (default 10^8)" },
	{ .id = CLI_OPT_CHECK, .name = "check", .cmds = CLI_RUN | CLI_COMPARE, .kind = CLI_FLAG, .field = F(check),
	  .help = "check the invariants while running (always on in test and explore); a violation fails the run" },
	{ .id = CLI_OPT_BUDGET, .name = "budget", .arg = "N|TIME", .cmds = CLI_EXPLORE, .kind = CLI_STRING,
	  .field = F(budget), .expect = "a number of variants (1 to 1000000) or a wall time (90s, 10m)",
	  .help = "run at most N variants, or stop starting new ones after TIME of wall clock (default 500)" },
	{ .id = CLI_OPT_AROUND, .name = "around", .arg = "EVENT", .cmds = CLI_EXPLORE, .kind = CLI_STRING,
	  .field = F(around), .expect = "a notification stage (send, ns_pending, ...) or a scenario time (12ms)",
	  .help = "place actions only at boundaries of that stage, or within 1 ms of that time" },
	{ .id = CLI_OPT_PRESET, .name = "preset", .arg = "CORE", .cmds = CLI_CALIBRATE, .kind = CLI_PRESET,
	  .field = F(preset), .expect = "cortex-a53 or cortex-a72",
	  .help = "the core whose per-class instruction costs time the guest code: cortex-a53 (default), cortex-a72" },
	{ .id = CLI_OPT_EMIT_OVERRIDES, .name = "emit-overrides", .cmds = CLI_CALIBRATE, .kind = CLI_FLAG,
	  .field = F(emit_overrides),
	  .help = "print only the cycles of the steps fidelity: isa runs as code, as platform.cost_overrides (YAML)" },
	{ .id = CLI_OPT_HELP, .name = "help", .short_name = 'h', .cmds = CLI_ALL_CMDS, .kind = CLI_HELP,
	  .help = "print this help and exit" },
	{ .name = NULL },
};

static const char exit_statuses[] = "exit status: 0 ok, 1 expectations failed (compare, merge: a run ended in an error),\n"
				    "             2 bad input or usage (merge: DIR is not a sweep),\n"
				    "             3 the run could not complete (livelock, I/O failure; merge: jobs without a result),\n"
				    "             130 interrupted (SIGINT), 143 terminated (SIGTERM)\n";

int cli_usage_error(const struct cli_command *command, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "tzsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (command)
		fprintf(stderr, "\n(see tzsim %s --help)\n", command->name);
	else
		fprintf(stderr, "\n(see tzsim --help)\n");
	return RUN_BAD_INPUT;
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
	if (!strcmp(s, "native"))
		*k = SIM_BACKEND_NATIVE;
	else if (!strcmp(s, "systemc"))
		*k = SIM_BACKEND_SYSTEMC;
	else
		return -1;
	return 0;
}

/* "none" (alone): no output files at all. */
static int parse_trace(const char *s, struct cli_trace *t)
{
	static const struct {
		const char *name;
		unsigned flag;
	} outputs[] = { { "csv", SCENARIO_TRACE_CSV },
			{ "perfetto", SCENARIO_TRACE_PERFETTO },
			{ "vcd", SCENARIO_TRACE_VCD },
			{ "hgrm", SCENARIO_TRACE_HGRM } };
	char buf[256], *tok, *save = NULL;
	t->mask = 0;
	t->none = !strcmp(s, "none");
	if (t->none)
		return 0;
	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned k = 0;
		while (k < sizeof(outputs) / sizeof(outputs[0]) && strcmp(tok, outputs[k].name))
			k++;
		if (k == sizeof(outputs) / sizeof(outputs[0]))
			return -1;
		t->mask |= outputs[k].flag;
	}
	return 0;
}

/* ---- parsing -------------------------------------------------------------------------------- */

/* The row of option @name (long) or @short_name for @cmd; NULL if @cmd does not take it. */
static const struct cli_opt *find_opt(const char *name, int short_name, enum cli_cmd cmd)
{
	for (const struct cli_opt *o = cli_opts; o->name; o++)
		if ((o->cmds & cmd) && (name ? !strcmp(o->name, name) : o->short_name == short_name))
			return o;
	return NULL;
}

/* "run, test" : the commands that take option @name / @short_name */
static void commands_taking(const char *name, int short_name, char *buf, size_t len)
{
	unsigned cmds = 0;
	size_t u = 0;
	buf[0] = 0;
	for (const struct cli_opt *o = cli_opts; o->name; o++)
		if (name ? !strcmp(o->name, name) : o->short_name == short_name)
			cmds |= o->cmds;
	for (const struct cli_command *c = cli_commands; c->name && u < len; c++)
		if (cmds & c->cmd)
			u += (size_t)snprintf(buf + u, len - u, "%s%s", u ? ", " : "", c->name);
}

/* Check @v and store it in @a's field for @o; 0, or 2 after a usage error naming @spelled. */
static int set_value(const struct cli_opt *o, const char *spelled, const char *v, struct cli_args *a)
{
	void *field = (char *)a + o->field;
	uint64_t n;
	switch (o->kind) {
	case CLI_FLAG:
		*(bool *)field = true;
		break;
	case CLI_HELP:
		a->help = true;
		break;
	case CLI_STRING:
		if (!*v)
			goto bad;
		*(const char **)field = v;
		break;
	case CLI_ASSIGN:
		if (!strchr(v, '='))
			goto bad;
		/* compare varies one key: a second --vary would silently replace the first */
		if (a->given & (1u << o->id))
			return cli_usage_error(a->command,
					       "%s: given twice; compare varies one key (set the others in the scenario)",
					       spelled);
		*(const char **)field = v;
		break;
	case CLI_ASSIGN_LIST: {
		struct cli_list *l = field;
		if (!strchr(v, '='))
			goto bad;
		if (l->n == MAX_VARY)
			return cli_usage_error(a->command, "%s: at most %d", spelled, MAX_VARY);
		l->v[l->n++] = v;
		break;
	}
	case CLI_NUMBER:
		if (cli_parse_u64(v, &n) || n < o->min || n > o->max)
			goto bad;
		*(uint64_t *)field = n;
		break;
	case CLI_KERNEL:
		if (parse_kernel(v, field))
			goto bad;
		break;
	case CLI_TRACE:
		if (parse_trace(v, field))
			goto bad;
		break;
	case CLI_PRESET: {
		int p = sim_preset_lookup(v);
		if (p < 0)
			goto bad;
		*(int *)field = p;
		break;
	}
	}
	a->given |= 1u << o->id;
	return 0;
bad:
	return cli_usage_error(a->command, "%s: expected %s, got '%s'", spelled, o->expect, v);
}

/* getopt_long's tables for every option name in cli_opts[] (each name once). */
#define MAX_NAMES 32
struct getopt_tables {
	struct option longs[MAX_NAMES + 1];
	char shorts[2 * MAX_NAMES + 4];
};

static void build_tables(struct getopt_tables *t)
{
	int n = 0;
	size_t s = 0;
	memset(t, 0, sizeof(*t));
	/*
	 * '-': operands come back in order as 1, whatever POSIXLY_CORRECT says
	 * (options may follow the operand); ':': a missing value is ':', and
	 * getopt prints nothing itself.
	 */
	t->shorts[s++] = '-';
	t->shorts[s++] = ':';
	for (const struct cli_opt *o = cli_opts; o->name; o++) {
		bool seen = false;
		for (int i = 0; i < n; i++)
			seen |= !strcmp(t->longs[i].name, o->name);
		if (seen)
			continue;
		assert(n < MAX_NAMES && "cli_opts[] has more names than MAX_NAMES");
		/* val: 256 + its index, out of the short options' range */
		t->longs[n] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, 256 + n };
		n++;
		if (o->short_name) {
			t->shorts[s++] = o->short_name;
			if (o->arg)
				t->shorts[s++] = ':';
		}
	}
}

int cli_parse(int argc, char **argv, struct cli_args *a)
{
	struct getopt_tables t;
	const struct cli_command *c = cli_commands;
	const char *operand2 = NULL;

	while (c->name && strcmp(c->name, argv[0]))
		c++;
	if (!c->name)
		return cli_usage_error(NULL, "unknown command '%s'", argv[0]);
	memset(a, 0, sizeof(*a));
	a->argc = argc;
	a->argv = argv;
	a->command = c;
	a->kernel = -1;
	a->golden_dir = "traces/golden";
	a->seeds = 3;
	a->preset = SIM_PRESET_A53;
	build_tables(&t);

	optind = 0; /* GNU: start afresh */
	opterr = 0;
	for (;;) {
		int li = -1, ch = getopt_long(argc, argv, t.shorts, t.longs, &li);
		const char *name = NULL, *spelled;
		char buf[64];
		const struct cli_opt *o;
		if (ch == -1)
			break;
		if (ch == 1) { /* an operand */
			if (!c->operand[0])
				return cli_usage_error(c, "%s: takes no operand (got '%s')", c->name, optarg);
			if (!a->operand)
				a->operand = optarg;
			else if (!operand2)
				operand2 = optarg;
			continue;
		}
		if (ch == '?') {
			if (optopt >= 256) /* "--json=x" */
				return cli_usage_error(c, "%s: option '--%s' takes no value", c->name,
						       t.longs[optopt - 256].name);
			if (optopt)
				return cli_usage_error(c, "%s: unknown option '-%c'", c->name, optopt);
			snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(argv[optind - 1], "="), argv[optind - 1]);
			return cli_usage_error(c, "%s: unknown option '%s'", c->name, buf);
		}
		if (ch == ':') {
			if (optopt >= 256)
				snprintf(buf, sizeof(buf), "--%s", t.longs[optopt - 256].name);
			else
				snprintf(buf, sizeof(buf), "-%c", optopt);
			o = find_opt(optopt >= 256 ? t.longs[optopt - 256].name : NULL, optopt, c->cmd);
			return cli_usage_error(c, "%s: option '%s' needs a value%s%s%s", c->name, buf, o ? " (" : "",
					       o ? o->arg : "", o ? ")" : "");
		}
		if (ch >= 256) {
			/* as typed: "--name", "--name=value", or "--name" then the value */
			int at = t.longs[ch - 256].has_arg && optarg == argv[optind - 1] ? optind - 2 : optind - 1;
			size_t len = strcspn(argv[at] + 2, "=");
			name = t.longs[ch - 256].name;
			if (strlen(name) != len) /* getopt_long took an abbreviation */
				return cli_usage_error(c, "%s: unknown option '%.*s' (did you mean '--%s'?)", c->name,
						       (int)len + 2, argv[at], name);
			snprintf(buf, sizeof(buf), "--%s", name);
		} else {
			snprintf(buf, sizeof(buf), "-%c", ch);
		}
		spelled = buf;
		o = find_opt(name, ch, c->cmd);
		if (!o) {
			char where[128];
			commands_taking(name, ch, where, sizeof(where));
			return cli_usage_error(c, "%s: option '%s' is not a %s option (it is for %s)", c->name, spelled,
					       c->name, where);
		}
		if (set_value(o, spelled, o->arg ? optarg : NULL, a) != 0)
			return RUN_BAD_INPUT;
		if (a->help)
			return 0;
	}
	/* after "--": operands only */
	for (; optind < argc; optind++) {
		if (!c->operand[0])
			return cli_usage_error(c, "%s: takes no operand (got '%s')", c->name, argv[optind]);
		if (!a->operand)
			a->operand = argv[optind];
		else if (!operand2)
			operand2 = argv[optind];
	}
	if (!a->operand && c->operand[0])
		return cli_usage_error(c, "%s: missing %s", c->name, c->operand);
	if (operand2)
		return cli_usage_error(c, "%s: one %s only (got '%s' too)", c->name, c->operand, operand2);
	for (const struct cli_opt *o = cli_opts; o->name; o++)
		if (o->required && (o->cmds & c->cmd) && !cli_given(a, o->id)) {
			char opt[32];
			if (o->short_name)
				snprintf(opt, sizeof(opt), "-%c", o->short_name);
			else
				snprintf(opt, sizeof(opt), "--%s", o->name);
			return cli_usage_error(c, "%s: missing %s %s", c->name, opt, o->arg);
		}
	return 0;
}

/* ---- help ----------------------------------------------------------------------------------- */

/* "-o, --output DIR" or "    --seed N" */
static void opt_label(const struct cli_opt *o, char *buf, size_t len)
{
	char sh[8] = "    ";
	if (o->short_name)
		snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
	snprintf(buf, len, "%s--%s%s%s", sh, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

static int label_width(unsigned cmds, bool with_help)
{
	int w = 0;
	for (const struct cli_opt *o = cli_opts; o->name; o++) {
		char l[64];
		if (!(o->cmds & cmds) || (!with_help && o->kind == CLI_HELP))
			continue;
		opt_label(o, l, sizeof(l));
		if ((int)strlen(l) > w)
			w = (int)strlen(l);
	}
	return w;
}

/* @command's options, one per line, indented by @indent */
static void print_opts(FILE *f, const struct cli_command *command, int indent, int w, bool with_help)
{
	for (const struct cli_opt *o = cli_opts; o->name; o++) {
		char l[64];
		if (!(o->cmds & command->cmd) || (!with_help && o->kind == CLI_HELP))
			continue;
		opt_label(o, l, sizeof(l));
		fprintf(f, "%*s%-*s  %s\n", indent, "", w, l, o->help);
	}
}

/* "usage: tzsim compare FILE --vary KEY=A,B,C [options]" */
static void print_usage(FILE *f, const struct cli_command *command)
{
	fprintf(f, "usage: tzsim %s%s%s", command->name, command->operand[0] ? " " : "", command->operand);
	for (const struct cli_opt *o = cli_opts; o->name; o++)
		if (o->required && (o->cmds & command->cmd)) {
			if (o->short_name)
				fprintf(f, " -%c %s", o->short_name, o->arg);
			else
				fprintf(f, " --%s %s", o->name, o->arg);
		}
	fprintf(f, " [options]\n");
}

void cli_print_help(FILE *f, const struct cli_command *command)
{
	if (command) {
		print_usage(f, command);
		fprintf(f, "%s\n\noptions:\n", command->summary);
		print_opts(f, command, 2, label_width(command->cmd, true), true);
		fprintf(f, "\n%s", exit_statuses);
		return;
	}
	int w = label_width(CLI_ALL_CMDS, false);
	fprintf(f, "usage: tzsim <command> [options]\n"
		   "       tzsim <command> --help    that command's options\n"
		   "       tzsim --help | --version\n"
		   "\n"
		   "commands:\n");
	int hw = 0;
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if ((int)(strlen(c->name) + 1 + strlen(c->operand)) > hw)
			hw = (int)(strlen(c->name) + 1 + strlen(c->operand));
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		char head[48];
		snprintf(head, sizeof(head), "%s%s%s", c->name, c->operand[0] ? " " : "", c->operand);
		fprintf(f, "  %-*s  %s\n", hw, head, c->summary);
		print_opts(f, c, 6, w, false);
	}
	fprintf(f, "\n%s", exit_statuses);
}
