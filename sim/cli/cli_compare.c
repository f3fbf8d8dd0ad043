// SPDX-License-Identifier: BSD-3-Clause
/*
 * tzsim compare FILE --vary key.path=a,b,c: the scenario under each value
 * of one key, over --seeds consecutive seeds each, run in the job pool and
 * printed side by side (median and spread of the e2e latency, counts
 * summed over seeds). Every variant must load before anything runs.
 * Exit status 1 when a run ends in an error (failed expect checks alone
 * do not count), 2 on bad usage or a variant that does not load, 3 when a
 * run could not complete (the livelock guard stopped it; it shows as ERROR
 * with its message like any other error).
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

/* "median [min-max]" of @n values */
static void med_spread(const double *a, unsigned n, char *buf, size_t len)
{
	double t[100] = { 0 };
	memcpy(t, a, n * sizeof(double));
	for (unsigned x = 0; x < n; x++)
		for (unsigned y = x + 1; y < n; y++)
			if (t[y] < t[x]) {
				double z = t[x];
				t[x] = t[y];
				t[y] = z;
			}
	snprintf(buf, len, "%.2f [%.1f-%.1f]", n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2, t[0], t[n - 1]);
}

int cli_compare(const struct cli_args *a)
{
	const char *file = a->operand, *vary = a->variants;
	uint64_t seeds = a->seeds;
	int parallel = a->jobs ? (int)a->jobs : cli_nproc(), kernel = a->kernel, nval, njobs, rc = 0;
	char key[256], valbuf[1024], *vals[MAX_VARY];
	struct scenario *sc;
	struct sim_diag d;
	struct job *jobs;

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
	sc = malloc(sizeof(*sc));
	if (!sc) {
		fputs("tzsim: out of memory\n", stderr);
		return 2;
	}
	/* every variant must load before anything runs */
	for (int k = 0; k < nval; k++) {
		char ov[600];
		const char *ovp = ov;
		snprintf(ov, sizeof(ov), "%s=%s", key, vals[k]);
		if (scenario_load(file, &ovp, 1, sc, &d) != 0) {
			fprintf(stderr, "%s\n", d.msg);
			free(sc);
			return 2;
		}
	}
	njobs = nval * (int)seeds;
	jobs = calloc((size_t)njobs, sizeof(*jobs));
	if (!jobs) {
		free(sc);
		return 2;
	}
	for (int k = 0; k < nval; k++)
		for (uint64_t s = 0; s < seeds; s++) {
			struct job *j = &jobs[k * (int)seeds + (int)s];
			snprintf(j->path, sizeof(j->path), "%s", file);
			snprintf(j->vary, sizeof(j->vary), "%s=%s", key, vals[k]);
			j->o = (struct run_opts){ .kernel = kernel, .no_outputs = true, .quiet = true,
						  .seed_given = true, .seed = sc->seed + s,
						  .stall_events = a->stall_events };
		}
	cli_run_jobs(jobs, njobs, parallel);
	printf("tzsim compare: %s, %s over %" PRIu64 " seed%s (from %" PRIu64 ")\n", file, key, seeds,
	       seeds > 1 ? "s" : "", sc->seed);
	printf("  e2e latency (us): median over seeds, [min-max] spread; counts summed over seeds\n\n");
	int w = 8;
	for (int k = 0; k < nval; k++)
		if ((int)strlen(vals[k]) > w)
			w = (int)strlen(vals[k]);
	printf("  %-*s %7s %17s %17s %19s %6s %5s %6s %9s %7s\n", w, "variant", "notifs", "p50", "p99", "max",
	       "lost", "late", "spur.", "SMC/notif", "status");
	for (int k = 0; k < nval; k++) {
		double p50[100] = { 0 }, p99[100] = { 0 }, mx[100] = { 0 };
		double notifs = 0, lost = 0, late = 0, spur = 0, smc = 0;
		int bad = 0;
		for (uint64_t s = 0; s < seeds; s++) {
			struct run_result *r = &jobs[k * (int)seeds + (int)s].res;
			p50[s] = r->e2e_p50 / 1e6, p99[s] = r->e2e_p99 / 1e6, mx[s] = r->e2e_max / 1e6;
			notifs += r->notifications, lost += r->lost, late += r->late, spur += r->spurious;
			smc += r->smc_per_notif / (double)seeds;
			bad += r->status >= RUN_BAD_INPUT || (r->status == RUN_FAILED && r->n_failed == 0);
		}
		char b50[48], b99[48], bmx[48];
		med_spread(p50, (unsigned)seeds, b50, sizeof(b50));
		med_spread(p99, (unsigned)seeds, b99, sizeof(b99));
		med_spread(mx, (unsigned)seeds, bmx, sizeof(bmx));
		printf("  %-*s %7.0f %17s %17s %19s %6.0f %5.0f %6.0f %9.2f %7s\n", w, vals[k], notifs, b50, b99, bmx,
		       lost, late, spur, smc, bad ? "ERROR" : "ok");
		if (bad) {
			for (uint64_t s = 0; s < seeds; s++) {
				struct run_result *r = &jobs[k * (int)seeds + (int)s].res;
				if (r->status >= RUN_BAD_INPUT || (r->status == RUN_FAILED && r->n_failed == 0)) {
					printf("    seed %" PRIu64 ": %s\n", sc->seed + s, r->msg);
					break;
				}
			}
			if (rc < 1)
				rc = 1;
		}
		for (uint64_t s = 0; s < seeds; s++)
			if (jobs[k * (int)seeds + (int)s].res.status == RUN_INCOMPLETE)
				rc = RUN_INCOMPLETE;
	}
	free(jobs);
	free(sc);
	return rc;
}
