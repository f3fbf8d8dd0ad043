// SPDX-License-Identifier: BSD-3-Clause
/*
 * Sweeps: `tzsim compare ... --emit-jobs DIR` writes a comparison's runs
 * as independent jobs instead of running them, and `tzsim merge DIR`
 * prints the comparison's table (and report) from the jobs' results.
 *
 *   DIR/sweep.txt        what the sweep is: the file, the --vary, the seeds,
 *                        the variants and their transports, the jobs
 *                        (written last: a DIR without it is not a sweep)
 *   DIR/scenario.yaml    the scenario's text, for the report
 *   DIR/jobs/NNN.yaml    job NNN's scenario, self-contained: the variant's
 *                        overrides and the seed applied, relative paths
 *                        made absolute (scenario_write_resolved)
 *   DIR/jobs.txt         one command line per job, POSIX sh, absolute paths:
 *                        `parallel < DIR/jobs.txt`, or --sshloginfile
 *   DIR/sweep.sbatch     a Slurm job array, task i = line i+1 of jobs.txt
 *   DIR/results/NNN.result  what job NNN writes (tzsim run --result):
 *                        its stats_result, histograms whole
 *   DIR/logs/NNN.log     its stdout and stderr
 *
 * A job runs `tzsim run JOB.yaml --quiet --trace none --result FILE` (with
 * compare's --kernel and --stall-events when given). Its
 * line exits 0 when tzsim exits 0 or 1 (failed expect checks are a
 * measurement; compare does not count them either) and fails otherwise,
 * so a scheduler sees the jobs that could not run. merge reads every
 * result through the functions compare uses (cli_results.c): the same
 * table, byte for byte, and the same report.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "sim/out/atomic_file.h"
#include "sim/scenario/scenario.h"

#define SWEEP_VERSION 1

/* A path that goes into sh command lines and #SBATCH lines unquoted. */
static bool shell_safe(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'z') || strchr("/._-+,@%=:", *s)))
			return false;
	return true;
}

/* Write @text to DIR/@name atomically; 0, or 3 after a message. */
static int write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64], err[PATH_MAX + 200];
	struct atomic_file af;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (atomic_file_open(&af, path, err, sizeof(err)) != 0 ||
	    (fputs(text, af.f), atomic_file_commit(&af, err, sizeof(err)) != 0)) {
		fprintf(stderr, "%s\n", err);
		return RUN_IO_ERROR;
	}
	return 0;
}

/* A growing string. */
struct str {
	char *s;
	size_t len;
	FILE *f;
};

static bool str_open(struct str *b)
{
	b->s = NULL;
	b->len = 0;
	return (b->f = open_memstream(&b->s, &b->len)) != NULL;
}

static char *str_close(struct str *b)
{
	if (fclose(b->f) != 0) {
		free(b->s);
		return NULL;
	}
	return b->s;
}

int cli_emit_jobs(const struct cli_args *a, const char *key, char *const *vals, const char *const (*ovr)[JOB_MAX_VARY],
		  const int *novr, const char (*transport)[64], int nval, uint64_t first_seed)
{
	const char *file = a->operand;
	char dir[PATH_MAX], exe[PATH_MAX], path[PATH_MAX + 64], name[32];
	uint64_t seeds = a->seeds;
	int njobs = nval * (int)seeds, width = 3, rc = 0;
	struct str jobs, manifest, sbatch;
	char *text;
	ssize_t el;
	struct stat st;

	if (!shell_safe(a->emit_jobs))
		return cli_usage_error(a->command, "--emit-jobs: '%s': use letters, digits and / . _ - + , @ %% = : only "
						    "(the path goes into shell and #SBATCH lines)",
				       a->emit_jobs);
	for (int k = 0; k < nval; k++)
		if (strchr(vals[k], '\n'))
			return cli_usage_error(a->command, "--emit-jobs: a value with a newline cannot be written");
	if ((el = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0) {
		fprintf(stderr, "tzsim: /proc/self/exe: %s\n", strerror(errno));
		return RUN_IO_ERROR;
	}
	exe[el] = 0;
	if (strpbrk(exe, "\"$`\\\n")) {
		fprintf(stderr, "tzsim: %s: the tzsim binary's path cannot go into a command line\n", exe);
		return RUN_BAD_INPUT;
	}
	snprintf(path, sizeof(path), "%s/sweep.txt", a->emit_jobs);
	if (stat(path, &st) == 0) {
		fprintf(stderr, "tzsim: %s: holds a sweep already (sweep.txt); emit into a new directory\n", a->emit_jobs);
		return RUN_BAD_INPUT;
	}
	for (const char *sub = ""; sub; sub = !*sub ? "/jobs" : !strcmp(sub, "/jobs") ? "/results" : !strcmp(sub, "/results") ? "/logs" : NULL) {
		snprintf(path, sizeof(path), "%s%s", a->emit_jobs, sub);
		if (atomic_file_mkdirs(path) != 0) {
			fprintf(stderr, "%s: cannot create: %s\n", path, strerror(errno));
			return RUN_IO_ERROR;
		}
	}
	if (!realpath(a->emit_jobs, dir)) {
		fprintf(stderr, "%s: %s\n", a->emit_jobs, strerror(errno));
		return RUN_IO_ERROR;
	}
	if (!shell_safe(dir))
		return cli_usage_error(a->command, "--emit-jobs: its absolute path '%s' has characters that do not go "
						    "into shell and #SBATCH lines",
				       dir);
	while (njobs > 1 && (int)snprintf(name, sizeof(name), "%d", njobs - 1) > width)
		width++;

	if (!str_open(&jobs) || !str_open(&manifest) || !str_open(&sbatch)) {
		fputs("tzsim: out of memory\n", stderr);
		return RUN_IO_ERROR;
	}
	fprintf(manifest.f, "tzsim-sweep %d\nfile %s\nvary %s\nkey %s\nseeds %" PRIu64 "\nfirst_seed %" PRIu64
			    "\nkernel %d\nstall_events %" PRIu64 "\nvariants %d\n",
		SWEEP_VERSION, file, a->variants, key, seeds, first_seed, a->kernel, a->stall_events, nval);
	for (int k = 0; k < nval; k++)
		fprintf(manifest.f, "variant %d %s\ntransport %d %s\n", k, vals[k], k, transport[k]);
	fprintf(manifest.f, "jobs %d\n", njobs);

	for (int k = 0; k < nval && !rc; k++)
		for (uint64_t s = 0; s < seeds && !rc; s++) {
			int i = k * (int)seeds + (int)s;
			char seedov[40], err[PATH_MAX + 200];
			const char *ov[JOB_MAX_VARY + 1];
			struct atomic_file af;
			struct sim_diag d;
			for (int x = 0; x < novr[k]; x++)
				ov[x] = ovr[k][x];
			snprintf(seedov, sizeof(seedov), "seed=%" PRIu64, first_seed + s);
			ov[novr[k]] = seedov;
			snprintf(name, sizeof(name), "%0*d", width, i);
			snprintf(path, sizeof(path), "%s/jobs/%s.yaml", dir, name);
			if (atomic_file_open(&af, path, err, sizeof(err)) != 0) {
				fprintf(stderr, "%s\n", err);
				rc = RUN_IO_ERROR;
				break;
			}
			fprintf(af.f, "# tzsim sweep job %s: %s with %s=%s, seed %" PRIu64 "\n", name, file, key, vals[k],
				first_seed + s);
			if (scenario_write_resolved(file, ov, novr[k] + 1, af.f, &d) != 0) {
				atomic_file_abort(&af);
				fprintf(stderr, "%s\n", d.msg);
				rc = RUN_BAD_INPUT;
				break;
			}
			if (atomic_file_commit(&af, err, sizeof(err)) != 0) {
				fprintf(stderr, "%s\n", err);
				rc = RUN_IO_ERROR;
				break;
			}
			char stall[48] = "";
			if (a->stall_events)
				snprintf(stall, sizeof(stall), " --stall-events %" PRIu64, a->stall_events);
			fprintf(jobs.f, "\"${TZSIM:-%s}\" run %s/jobs/%s.yaml --quiet --trace none --result %s/results/%s.result%s%s "
					">%s/logs/%s.log 2>&1 || [ $? -eq 1 ]\n",
				exe, dir, name, dir, name,
				a->kernel == SIM_BACKEND_SYSTEMC ? " --kernel systemc" : a->kernel == SIM_BACKEND_NATIVE ? " --kernel native" : "",
				stall, dir, name);
			fprintf(manifest.f, "job %s %d %" PRIu64 "\n", name, k, s);
		}
	fprintf(sbatch.f,
		"#!/bin/sh\n"
		"# tzsim sweep: %s, %s over %" PRIu64 " seed%s: %d runs as one Slurm job array.\n"
		"#   sbatch %s/sweep.sbatch            (or: sbatch --array=0-%d%%4 ... for at most 4 at once)\n"
		"#   then: tzsim merge %s\n"
		"# Array task i runs line i+1 of jobs.txt; TZSIM=/path/to/tzsim overrides the binary.\n"
		"#SBATCH --job-name=tzsim-sweep\n"
		"#SBATCH --array=0-%d",
		file, key, seeds, seeds > 1 ? "s" : "", njobs, dir, njobs - 1, dir, njobs - 1);
	if (a->throttle)
		fprintf(sbatch.f, "%%%" PRIu64, a->throttle);
	fprintf(sbatch.f,
		"\n#SBATCH --ntasks=1\n"
		"#SBATCH --cpus-per-task=1\n"
		"#SBATCH --output=%s/logs/slurm-%%A_%%a.out\n"
		"line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" %s/jobs.txt)\n"
		"[ -n \"$line\" ] || { echo \"tzsim sweep: no line $((SLURM_ARRAY_TASK_ID + 1)) in %s/jobs.txt\" >&2; exit 2; }\n"
		"exec /bin/sh -c \"$line\"\n",
		dir, dir, dir);
	char *j = str_close(&jobs), *m = str_close(&manifest), *b = str_close(&sbatch);
	if (!j || !m || !b) {
		fputs("tzsim: out of memory\n", stderr);
		rc = rc ? rc : RUN_IO_ERROR;
	}
	text = rc ? NULL : cli_read_file(file, NULL);
	if (!rc && !text) {
		fprintf(stderr, "%s: cannot read: %s\n", file, strerror(errno));
		rc = RUN_IO_ERROR;
	}
	if (!rc)
		rc = write_file(dir, "scenario.yaml", text);
	if (!rc)
		rc = write_file(dir, "jobs.txt", j);
	if (!rc)
		rc = write_file(dir, "sweep.sbatch", b);
	if (!rc) {
		snprintf(path, sizeof(path), "%s/sweep.sbatch", dir);
		chmod(path, 0755);
		rc = write_file(dir, "sweep.txt", m); /* last: its presence says the sweep is whole */
	}
	if (!rc)
		printf("tzsim compare: wrote %d jobs (%d variants x %" PRIu64 " seed%s) to %s\n"
		       "  run them:  parallel --will-cite < %s/jobs.txt\n"
		       "        or:  sbatch %s/sweep.sbatch\n"
		       "  then:      tzsim merge %s\n",
		       njobs, nval, seeds, seeds > 1 ? "s" : "", a->emit_jobs, a->emit_jobs, a->emit_jobs, a->emit_jobs);
	free(text);
	free(j);
	free(m);
	free(b);
	return rc;
}

/* ---- merge ---------------------------------------------------------------------------------------- */

struct sweep {
	char file[PATH_MAX], vary[1200], key[256];
	uint64_t seeds, first_seed, stall_events;
	int kernel, nval, njobs;
	struct cli_variant *v;
	struct {
		char name[32];
		int k;
		uint64_t s;
	} *job;
};

/* "key value" on the next line of @p: the value into @out. */
static bool field(char **p, const char *key, char *out, size_t len)
{
	char *nl = strchr(*p, '\n');
	size_t kl = strlen(key);
	if (!nl || strncmp(*p, key, kl) || (*p)[kl] != ' ' || (size_t)(nl - *p - (ptrdiff_t)kl - 1) >= len)
		return false;
	memcpy(out, *p + kl + 1, (size_t)(nl - *p) - kl - 1);
	out[nl - *p - (ptrdiff_t)kl - 1] = 0;
	*p = nl + 1;
	return true;
}

static bool number(const char *s, uint64_t *v) { return cli_parse_u64(s, v) == 0; }

/* Read DIR/sweep.txt; 0, or 2 after a message. */
static int read_sweep(const char *dir, struct sweep *w)
{
	char path[PATH_MAX + 32], buf[1300], *text, *p;
	uint64_t u;
	int line = 0;
	snprintf(path, sizeof(path), "%s/sweep.txt", dir);
	if (!(p = text = cli_read_file(path, NULL))) {
		fprintf(stderr, "tzsim merge: %s: not a sweep (%s: %s); write one with tzsim compare ... --emit-jobs %s\n", dir,
			path, strerror(errno), dir);
		return RUN_BAD_INPUT;
	}
#define NEXT(key, out, len) (line++, field(&p, key, out, len))
	if (!NEXT("tzsim-sweep", buf, sizeof(buf)) || strcmp(buf, "1") || !NEXT("file", w->file, sizeof(w->file)) ||
	    !NEXT("vary", w->vary, sizeof(w->vary)) || !NEXT("key", w->key, sizeof(w->key)) ||
	    !NEXT("seeds", buf, sizeof(buf)) || !number(buf, &w->seeds) || !w->seeds || w->seeds > CLI_MAX_SEEDS ||
	    !NEXT("first_seed", buf, sizeof(buf)) || !number(buf, &w->first_seed) || !NEXT("kernel", buf, sizeof(buf)) ||
	    sscanf(buf, "%d", &w->kernel) != 1 || !NEXT("stall_events", buf, sizeof(buf)) ||
	    !number(buf, &w->stall_events) || !NEXT("variants", buf, sizeof(buf)) || !number(buf, &u) || !u ||
	    u > MAX_VARY)
		goto bad;
	w->nval = (int)u;
	if (!(w->v = calloc((size_t)w->nval, sizeof(*w->v))))
		goto bad;
	for (int k = 0; k < w->nval; k++) {
		char label[700], tr[100], *sp;
		if (!NEXT("variant", label, sizeof(label)) || !(sp = strchr(label, ' ')) || atoi(label) != k ||
		    !NEXT("transport", tr, sizeof(tr)) || atoi(tr) != k)
			goto bad;
		cli_variant_init(&w->v[k], sp + 1, strchr(tr, ' ') ? strchr(tr, ' ') + 1 : "", (unsigned)w->seeds);
	}
	if (!NEXT("jobs", buf, sizeof(buf)) || !number(buf, &u) || u != (uint64_t)w->nval * w->seeds)
		goto bad;
	w->njobs = (int)u;
	if (!(w->job = calloc((size_t)w->njobs, sizeof(*w->job))))
		goto bad;
	for (int i = 0; i < w->njobs; i++) {
		unsigned long long s;
		int n = 0;
		if (!NEXT("job", buf, sizeof(buf)) ||
		    sscanf(buf, "%31s %d %llu%n", w->job[i].name, &w->job[i].k, &s, &n) != 3 || buf[n] ||
		    w->job[i].k != i / (int)w->seeds || s != (unsigned long long)(i % (int)w->seeds) ||
		    !shell_safe(w->job[i].name))
			goto bad;
		w->job[i].s = s;
	}
#undef NEXT
	free(text);
	return 0;
bad:
	fprintf(stderr, "tzsim merge: %s: line %d is not what a sweep of this tzsim has\n", path, line);
	free(text);
	return RUN_BAD_INPUT;
}

/* The last non-empty line of DIR/logs/NAME.log, or "". */
static void log_tail(const char *dir, const char *name, char *out, size_t len)
{
	char path[PATH_MAX + 64], *text, *end;
	out[0] = 0;
	snprintf(path, sizeof(path), "%s/logs/%s.log", dir, name);
	if (!(text = cli_read_file(path, NULL)))
		return;
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' '))
		*--end = 0;
	char *start = strrchr(text, '\n');
	snprintf(out, len, "%s", start ? start + 1 : text);
	free(text);
}

int cli_merge(const struct cli_args *a)
{
	const char *dir = a->operand;
	struct sweep *w = calloc(1, sizeof(*w));
	struct stats_result *r = stats_result_new();
	int rc = 0, missing = 0, failed = 0;

	if (!w || !r) {
		fputs("tzsim: out of memory\n", stderr);
		free(w);
		stats_result_free(r);
		return RUN_BAD_INPUT;
	}
	if ((rc = read_sweep(dir, w)) != 0)
		goto out;
	for (int i = 0; i < w->njobs; i++) {
		char path[PATH_MAX + 64], err[300], why[600] = "", *text;
		const char *label = w->v[w->job[i].k].label;
		uint64_t seed = w->first_seed + w->job[i].s;
		snprintf(path, sizeof(path), "%s/results/%s.result", dir, w->job[i].name);
		if (!(text = cli_read_file(path, NULL))) {
			if (errno == ENOENT) {
				char tail[400];
				log_tail(dir, w->job[i].name, tail, sizeof(tail));
				snprintf(why, sizeof(why), "no result%s%s", tail[0] ? "; its log ends: " : " (and no log: did it run?)",
					 tail);
			} else {
				snprintf(why, sizeof(why), "%s: %s", path, strerror(errno));
			}
		} else if (stats_result_read(r, text, err, sizeof(err)) != 0) {
			snprintf(why, sizeof(why), "%s: %s", path, err);
		} else if (r->measured && r->seed != seed) {
			snprintf(why, sizeof(why), "%s: the result of seed %" PRIu64 ", not %" PRIu64, path, r->seed, seed);
		} else {
			if (cli_run_error(r->status, r->n_failed)) {
				char first[300];
				snprintf(first, sizeof(first), "%s", r->msg);
				first[strcspn(first, "\n")] = 0;
				fprintf(stderr, "tzsim merge: job %s (%s=%s, seed %" PRIu64 ") failed: %s\n", w->job[i].name,
					w->key, label, seed, first);
				failed++;
			}
			if (cli_variant_add(&w->v[w->job[i].k], (unsigned)w->job[i].s, r) != 0) {
				free(text);
				fputs("tzsim: out of memory\n", stderr);
				rc = RUN_BAD_INPUT;
				goto out;
			}
		}
		free(text);
		if (why[0]) {
			if (!missing)
				fprintf(stderr, "tzsim merge: %s: jobs without a readable result:\n", dir);
			if (missing < 20)
				fprintf(stderr, "  job %s (%s=%s, seed %" PRIu64 "): %s\n", w->job[i].name, w->key, label, seed,
					why);
			else if (missing == 20)
				fprintf(stderr, "  ... (the first 20 are listed)\n");
			missing++;
		}
	}
	if (missing) {
		fprintf(stderr, "tzsim merge: %d of %d jobs have no result: run them again (their lines in %s/jobs.txt), "
				"then merge\n",
			missing, w->njobs, dir);
		rc = RUN_IO_ERROR;
		goto out;
	}
	rc = cli_print_table(stdout, w->file, w->key, w->seeds, w->first_seed, w->v, w->nval);
	if (failed)
		fprintf(stderr, "tzsim merge: %d of %d runs ended in an error (the table's ERROR rows)\n", failed, w->njobs);
	if (a->report) {
		char cmd[2048], what[400], path[PATH_MAX + 32], *text;
		snprintf(path, sizeof(path), "%s/scenario.yaml", dir);
		text = cli_read_file(path, NULL);
		cli_compare_command(cmd, sizeof(cmd), w->file, w->vary, w->seeds, w->kernel, w->stall_events);
		snprintf(what, sizeof(what), "%s over %" PRIu64 " seed%s (from %" PRIu64 ")", w->key, w->seeds,
			 w->seeds > 1 ? "s" : "", w->first_seed);
		int wr = cli_write_report(a->report, r->scenario, what, cmd, w->file, text, w->v, w->nval);
		free(text);
		if (wr)
			rc = wr;
	}
out:
	for (int k = 0; w->v && k < w->nval; k++)
		cli_variant_free(&w->v[k]);
	free(w->v);
	free(w->job);
	free(w);
	stats_result_free(r);
	return rc;
}
