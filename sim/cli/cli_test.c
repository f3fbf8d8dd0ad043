// SPDX-License-Identifier: BSD-3-Clause
/*
 * tzsim test DIR: every scenario (*.yaml) in DIR, in name order, run in the
 * job pool with its expect checks and its golden digest (or blessing a
 * new digest with --bless), reported as lines, TAP or JUnit XML. On a
 * changed digest the run is repeated to name the first differing record.
 * Exit status 1 when any scenario fails, 2 on bad usage or when DIR cannot
 * be read or holds no scenario, 3 when a run could not complete (the
 * livelock guard stopped it, or its golden digest could not be written
 * with --bless) or the JUnit report cannot be written; every scenario is
 * still run and reported (FAIL with the reason) first.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/out/atomic_file.h"
#include "sim/cli/cli.h"

#define MAX_SCENARIOS 512

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\n': fputs("&#10;", f); break; /* kept inside an attribute value */
		case '\t': fputs("&#9;", f); break;
		default:
			if ((unsigned char)*s >= 0x20)
				fputc(*s, f); /* other control characters are not allowed in XML 1.0 */
		}
	}
}

static void failure_text(const struct job *j, char *buf, size_t len)
{
	const struct run_result *r = &j->res;
	size_t u = 0;
	buf[0] = 0;
	if (r->msg[0])
		u += (size_t)snprintf(buf + u, len - u, "%s", r->msg);
	if (u < len && r->golden == RUN_GOLDEN_CHANGED)
		u += (size_t)snprintf(buf + u, len - u, "%sgolden digest changed (now %016" PRIx64 ", %" PRIu64
					     " records): first differing %s",
				      u ? "\n" : "", r->digest, r->records, j->capture_text[0] ? j->capture_text : "record");
	if (u < len && r->golden == RUN_GOLDEN_MISSING)
		snprintf(buf + u, len - u, "%sno golden digest (%s); bless one with: tzsim test --bless",
			 u ? "\n" : "", r->golden_msg);
}

/* The JUnit XML report: one testcase per scenario, a failure element with its reasons. */
static void junit_write(FILE *f, const struct job *jobs, int n, int failed)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"tzsim\" tests=\"%d\" failures=\"%d\">\n",
		n, failed);
	for (int i = 0; i < n; i++) {
		const struct job *j = &jobs[i];
		fprintf(f, "  <testcase classname=\"scenarios\" name=\"");
		xml_escape(f, j->path);
		fprintf(f, "\" time=\"%.3f\">", j->res.wall_s);
		if (j->res.status) {
			char why[3000];
			failure_text(j, why, sizeof(why));
			fprintf(f, "<failure message=\"");
			xml_escape(f, why);
			fprintf(f, "\"/>");
		}
		fprintf(f, "</testcase>\n");
	}
	fprintf(f, "</testsuite>\n");
}

int cli_test(const struct cli_args *a)
{
	const char *dir = a->operand, *junit = a->junit, *golden_dir = a->golden_dir;
	bool tap = a->tap, bless = a->bless, io_failed = false;
	int parallel = a->jobs ? (int)a->jobs : cli_nproc(), kernel = a->kernel, n = 0, failed = 0;
	char *names[MAX_SCENARIOS];
	struct job *jobs;
	DIR *dp;
	struct dirent *de;

	dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "%s: cannot open: %s\n", dir, strerror(errno));
		return 2;
	}
	while ((de = readdir(dp))) {
		size_t l = strlen(de->d_name);
		if (l <= 5 || strcmp(de->d_name + l - 5, ".yaml"))
			continue;
		if (n == MAX_SCENARIOS || !(names[n] = strdup(de->d_name))) {
			if (n == MAX_SCENARIOS)
				fprintf(stderr, "%s: more than %d scenarios\n", dir, MAX_SCENARIOS);
			else
				fprintf(stderr, "%s: %s\n", dir, strerror(errno));
			closedir(dp);
			free_names(names, n);
			return 2;
		}
		n++;
	}
	closedir(dp);
	if (!n) {
		fprintf(stderr, "%s: no *.yaml scenarios\n", dir);
		return 2;
	}
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	jobs = calloc((size_t)n, sizeof(*jobs));
	if (!jobs) {
		fprintf(stderr, "tzsim: out of memory\n");
		free_names(names, n);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		snprintf(j->path, sizeof(j->path), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		/* the invariant checker is always on in test: a clean run's trace, and digest, is unchanged */
		j->o = (struct run_opts){ .kernel = kernel, .no_outputs = true, .quiet = true,
					  .stall_events = a->stall_events, .check = true };
		j->o.golden = golden_dir; /* the child names the file once it knows the scenario */
		j->o.bless = bless;
		j->capture = true;
		snprintf(j->golden, sizeof(j->golden), "%s", golden_dir);
		snprintf(j->name, sizeof(j->name), "%s", names[i]);
	}
	if (bless && atomic_file_mkdirs(golden_dir) != 0) {
		fprintf(stderr, "%s: cannot create: %s\n", golden_dir, strerror(errno));
		free_names(names, n);
		free(jobs);
		return RUN_IO_ERROR;
	}
	cli_run_jobs(jobs, n, parallel, NULL);
	if (tap)
		printf("1..%d\n", n);
	for (int i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		char why[3000];
		bool ok = j->res.status == 0;
		failed += !ok;
		io_failed |= j->res.status == RUN_IO_ERROR;
		failure_text(j, why, sizeof(why));
		if (tap) {
			printf("%sok %d - %s\n", ok ? "" : "not ", i + 1, j->path);
			if (!ok)
				for (char *l = strtok(why, "\n"); l; l = strtok(NULL, "\n"))
					printf("# %s\n", l);
		} else {
			printf("%s %-44s %6.2fs%s\n", ok ? "PASS" : "FAIL", j->path, j->res.wall_s,
			       j->res.golden == RUN_GOLDEN_BLESSED ? "  blessed" : "");
			if (!ok)
				for (char *l = strtok(why, "\n"); l; l = strtok(NULL, "\n"))
					printf("    %s\n", l);
		}
	}
	if (junit) {
		struct atomic_file af;
		char err[512];
		if (atomic_file_open(&af, junit, err, sizeof(err)) != 0 ||
		    (junit_write(af.f, jobs, n, failed), atomic_file_commit(&af, err, sizeof(err)) != 0)) {
			fprintf(stderr, "%s\n", err); /* names the file and the reason */
			io_failed = true;
		}
	}
	if (!tap)
		printf("%d scenarios: %d passed, %d failed\n", n, n - failed, failed);
	free_names(names, n);
	free(jobs);
	return io_failed ? RUN_IO_ERROR : failed ? RUN_FAILED : RUN_OK;
}
