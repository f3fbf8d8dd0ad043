// SPDX-License-Identifier: BSD-3-Clause
/*
 * tzsim compare FILE --vary key.path=a,b,c: the scenario under each value
 * of one key, over --seeds consecutive seeds each, run in the job pool and
 * printed side by side (median and spread of the e2e latency, counts
 * summed over seeds, each variant's effective transport). Every variant
 * must load before anything runs. Varying transport.kind starts each
 * variant from its kind's defaults (cli_expand_overrides). Each run ships
 * its whole result back (stats_result text), which gives the table and
 * the --report; with --emit-jobs the runs are written out as a sweep
 * instead (cli_sweep.c), and `tzsim merge` prints the same table from it.
 * Exit status 1 when a run ends in an error (failed expect checks alone
 * do not count), 2 on bad usage or a variant that does not load, 3 when a
 * run could not complete (the livelock guard stopped it; it shows as ERROR
 * with its message like any other error) or when the report or the sweep
 * cannot be written.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/scenario/scenario.h"

/* Split "a,b,[1,2]" on commas outside brackets and braces; returns the count, of which @max are stored. */
static int split_values(char *s, char **out, int max)
{
	int n = 0, depth = 0;
	char *start = s;
	for (char *q = s;; q++) {
		if (*q == '[' || *q == '{')
			depth++;
		else if (*q == ']' || *q == '}')
			depth--;
		else if ((*q == ',' && depth == 0) || *q == 0) {
			bool end = *q == 0;
			*q = 0;
			if (n < max)
				out[n] = start;
			n++;
			if (end)
				break;
			start = q + 1;
		}
	}
	return n;
}

struct compare {
	struct job *jobs;
	struct cli_variant *v;
	uint64_t seeds;
	struct stats_result *scratch;
	bool *got;                   /* per job: its result arrived */
	struct cli_progress progress;
	int parallel;
};

static void add_result(struct compare *c, int i, const struct stats_result *r)
{
	if (cli_variant_add(&c->v[i / (int)c->seeds], (unsigned)(i % (int)c->seeds), r) != 0)
		fprintf(stderr, "tzsim compare: out of memory\n");
	c->got[i] = true;
}

static void on_result(void *ctx, int i, const char *text, size_t len)
{
	struct compare *c = ctx;
	char err[256];
	(void)len;
	if (stats_result_read(c->scratch, text, err, sizeof(err)) != 0) {
		/* a bug, not a measurement: the run shows as an error */
		stats_result_reset(c->scratch);
		c->scratch->status = RUN_BAD_INPUT;
		snprintf(c->scratch->msg, sizeof(c->scratch->msg), "its result does not read back: %s", err);
	}
	add_result(c, i, c->scratch);
}

static void on_progress(void *ctx, int i, const struct run_progress *p)
{
	struct compare *c = ctx;
	if (c->progress.cur)
		c->progress.cur[i] = *p;
}

static void on_finished(void *ctx, int i)
{
	struct compare *c = ctx;
	struct cli_progress *p = &c->progress;
	const struct run_result *r = &c->jobs[i].res;
	p->done++;
	p->sim_s += (double)r->sim_end / 1e12;
	p->notifs += r->notifications;
	if (p->cur)
		memset(&p->cur[i], 0, sizeof(p->cur[i]));
	p->running = p->total - p->done < c->parallel ? p->total - p->done : c->parallel;
	if (!c->got[i]) { /* no result came: the process died, or could not start */
		stats_result_reset(c->scratch);
		c->scratch->status = r->status ? r->status : RUN_BAD_INPUT;
		snprintf(c->scratch->msg, sizeof(c->scratch->msg), "%s", r->msg[0] ? r->msg : "the run sent no result");
		add_result(c, i, c->scratch);
	}
}

static void on_tick(void *ctx) { cli_progress_runs(&((struct compare *)ctx)->progress); }

/* The command that made a comparison's runs, for its report: the same from compare and merge. */
void cli_compare_command(char *buf, size_t len, const char *file, const char *vary, uint64_t seeds, int kernel,
			 uint64_t stall_events)
{
	size_t u = (size_t)snprintf(buf, len, "tzsim compare %s --vary '", file);
	for (const char *q = vary; *q && u + 5 < len; q++)
		u += (size_t)snprintf(buf + u, len - u, *q == '\'' ? "'\\''" : "%c", *q);
	u += (size_t)snprintf(buf + u, u < len ? len - u : 0, "' --seeds %" PRIu64 "%s", seeds,
			      kernel == SIM_BACKEND_SYSTEMC ? " --kernel systemc"
			      : kernel == SIM_BACKEND_NATIVE ? " --kernel native"
							     : "");
	if (stall_events && u < len)
		snprintf(buf + u, len - u, " --stall-events %" PRIu64, stall_events);
}

int cli_compare(const struct cli_args *a)
{
	const char *file = a->operand, *vary = a->variants;
	uint64_t seeds = a->seeds;
	int parallel = a->jobs ? (int)a->jobs : cli_nproc(), kernel = a->kernel, nval, njobs, rc = 0;
	char key[256], valbuf[1024], *vals[MAX_VARY], ovbuf[MAX_VARY][600];
	const char *ovr[MAX_VARY][JOB_MAX_VARY];
	int novr[MAX_VARY];
	char transport[MAX_VARY][64];
	struct scenario *sc;
	struct sim_diag d;
	struct compare c = { 0 };

	{
		const char *eq = strchr(vary, '=');
		if ((size_t)(eq - vary) >= sizeof(key) || strlen(eq + 1) >= sizeof(valbuf))
			return cli_usage_error(a->command, "--vary: longer than %zu characters", sizeof(valbuf) - 1);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - vary), vary);
		snprintf(valbuf, sizeof(valbuf), "%s", eq + 1);
	}
	nval = split_values(valbuf, vals, MAX_VARY);
	if (nval > MAX_VARY)
		return cli_usage_error(a->command, "--vary: at most %d values, got %d", MAX_VARY, nval);
	if (cli_given(a, CLI_OPT_THROTTLE) && !a->emit_jobs)
		return cli_usage_error(a->command, "compare: --throttle goes with --emit-jobs");
	if (a->report && a->emit_jobs)
		return cli_usage_error(a->command, "compare: --emit-jobs runs nothing; give --report to tzsim merge %s",
				       a->emit_jobs);
	sc = malloc(sizeof(*sc));
	if (!sc) {
		fputs("tzsim: out of memory\n", stderr);
		return 2;
	}
	/* every variant must load before anything runs */
	for (int k = 0; k < nval; k++) {
		const char *one[1] = { ovbuf[k] };
		snprintf(ovbuf[k], sizeof(ovbuf[k]), "%s=%s", key, vals[k]);
		novr[k] = cli_expand_overrides(one, 1, ovr[k], JOB_MAX_VARY);
		if (scenario_load(file, ovr[k], novr[k], sc, &d) != 0) {
			fprintf(stderr, "%s\n(variant %d of %d, '%s', does not load)\n", d.msg, k + 1, nval, vals[k]);
			free(sc);
			return 2;
		}
		cli_transport_desc(sc, transport[k], sizeof(transport[k]));
	}
	if (a->emit_jobs) {
		rc = cli_emit_jobs(a, key, vals, (const char *const(*)[JOB_MAX_VARY])ovr, novr,
				   (const char(*)[64])transport, nval, sc->seed);
		free(sc);
		return rc;
	}
	njobs = nval * (int)seeds;
	c.jobs = calloc((size_t)njobs, sizeof(*c.jobs));
	c.v = calloc((size_t)nval, sizeof(*c.v));
	c.got = calloc((size_t)njobs, sizeof(*c.got));
	c.scratch = stats_result_new();
	c.seeds = seeds;
	c.parallel = parallel;
	if (!c.jobs || !c.v || !c.got || !c.scratch) {
		fputs("tzsim: out of memory\n", stderr);
		free(c.jobs);
		free(c.v);
		free(c.got);
		stats_result_free(c.scratch);
		free(sc);
		return 2;
	}
	for (int k = 0; k < nval; k++) {
		cli_variant_init(&c.v[k], vals[k], transport[k], (unsigned)seeds);
		for (uint64_t s = 0; s < seeds; s++) {
			struct job *j = &c.jobs[k * (int)seeds + (int)s];
			snprintf(j->path, sizeof(j->path), "%s", file);
			for (int x = 0; x < novr[k]; x++)
				snprintf(j->vary[x], sizeof(j->vary[x]), "%s", ovr[k][x]);
			j->nvary = novr[k];
			j->want_result = true;
			j->o = (struct run_opts){ .kernel = kernel, .no_outputs = true, .quiet = true,
						  .seed_given = true, .seed = sc->seed + s,
						  .stall_events = a->stall_events, .check = a->check };
		}
	}
	cli_progress_init(&c.progress, njobs, true);
	c.progress.running = njobs < parallel ? njobs : parallel;
	struct job_hooks hooks = { on_result, c.progress.on ? on_progress : NULL, on_finished,
				   c.progress.on ? on_tick : NULL, &c };
	cli_run_jobs(c.jobs, njobs, parallel, &hooks);
	cli_progress_end(&c.progress);

	rc = cli_print_table(stdout, file, key, seeds, sc->seed, c.v, nval);
	if (a->report) {
		char cmd[2048], what[400], *text = cli_read_file(file, NULL);
		cli_compare_command(cmd, sizeof(cmd), file, vary, seeds, kernel, a->stall_events);
		snprintf(what, sizeof(what), "%s over %" PRIu64 " seed%s (from %" PRIu64 ")", key, seeds,
			 seeds > 1 ? "s" : "", sc->seed);
		int wr = cli_write_report(a->report, sc->name, what, cmd, file, text, c.v, nval);
		free(text);
		if (wr)
			rc = wr;
	}
	for (int k = 0; k < nval; k++)
		cli_variant_free(&c.v[k]);
	free(c.v);
	free(c.jobs);
	free(c.got);
	stats_result_free(c.scratch);
	free(sc);
	return rc;
}
