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
 * Exit status: 0 ok, 1 expectations (or golden digests) failed, 2 bad input or usage.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "atomic_file.h"
#include "digest.h"
#include "platform.h"
#include "run.h"
#include "scenario.h"

#define TZSIM_VERSION "0.1.0"
#define MAX_VARY 32

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
	"exit status: 0 ok, 1 expectations failed, 2 bad input or usage\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "tzsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see tzsim --help)\n");
	return 2;
}

static int parse_u64(const char *s, uint64_t *v)
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

static int nproc(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
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
				return usage_error("-o needs a directory", NULL);
			o.out_dir = argv[i];
		} else if (!strcmp(a, "--seed")) {
			if (++i == argc || parse_u64(argv[i], &o.seed))
				return usage_error("--seed: expected a non-negative integer, got '%s'", i < argc ? argv[i] : "");
			o.seed_given = true;
		} else if (!strcmp(a, "--kernel")) {
			if (++i == argc || parse_kernel(argv[i], &o.kernel))
				return usage_error("--kernel: expected native or systemc, got '%s'", i < argc ? argv[i] : "");
		} else if (!strcmp(a, "--trace")) {
			if (++i == argc || parse_trace(argv[i], &o.trace, &o.no_outputs))
				return usage_error("--trace: expected none or a list of csv, perfetto, vcd, hgrm, got '%s'",
						   i < argc ? argv[i] : "");
			o.trace_given = true;
		} else if (!strcmp(a, "--vary")) {
			if (++i == argc || !strchr(argv[i], '='))
				return usage_error("--vary: expected key.path=value, got '%s'", i < argc ? argv[i] : "");
			if (nvary == MAX_VARY)
				return usage_error("--vary: at most 32 overrides", NULL);
			vary[nvary++] = argv[i];
		} else if (!strcmp(a, "--json")) {
			o.json = true;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = true;
		} else if (a[0] == '-') {
			return usage_error("run: unknown option '%s'", a);
		} else if (!file) {
			file = a;
		} else {
			return usage_error("run: one scenario file only (got '%s' too)", a);
		}
	}
	if (!file)
		return usage_error("run: missing scenario FILE", NULL);
	sc = malloc(sizeof(*sc));
	if (!sc)
		return 2;
	if (scenario_load(file, vary, nvary, sc, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		free(sc);
		return 2;
	}
	rc = run_scenario(sc, &o, &res, stdout);
	if (rc == 2 || (rc == 1 && res.n_failed == 0))
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
		return usage_error("validate: expected exactly one scenario FILE", NULL);
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
			return usage_error("dtb: unexpected argument '%s'", argv[i]);
	}
	if (!file || !outp)
		return usage_error("dtb: expected FILE -o OUT.dtb", NULL);
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
		struct atomic_file af;
		if (atomic_file_open(&af, outp, err, sizeof(err)) != 0 || fwrite(blob, 1, len, af.f) != len ||
		    atomic_file_commit(&af, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			rc = 2;
		}
	}
	free(blob);
	scenario_free(sc);
	free(sc);
	return rc;
}

/* ---- parallel runs (tzsim test, compare): one process per run ------------------------- */

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

static void child_run(struct job *j, int fd)
{
	struct scenario *sc = malloc(sizeof(*sc));
	struct sim_diag d;
	const char *ov[1] = { j->vary };
	if (!sc)
		_exit(3);
	memset(&j->res, 0, sizeof(j->res));
	if (scenario_load(j->path, ov, j->vary[0] ? 1 : 0, sc, &d) != 0) {
		j->res.status = 2;
		snprintf(j->res.msg, sizeof(j->res.msg), "%s", d.msg);
	} else {
		snprintf(j->name, sizeof(j->name), "%s", sc->name);
		if (j->o.golden) {
			char g[1100];
			snprintf(g, sizeof(g), "%s/%s.seed%" PRIu64 ".golden", j->golden, sc->name,
				 j->o.seed_given ? j->o.seed : sc->seed);
			j->o.golden = g;
			run_scenario(sc, &j->o, &j->res, NULL);
			if (j->res.golden == 1 && j->capture) {
				/* a second, identical run captures the record where the streams part */
				struct run_opts o2 = j->o;
				struct run_result r2;
				struct digest_capture cap;
				digest_capture_init(&cap, j->res.golden_at);
				o2.golden = NULL;
				o2.capture = &cap;
				run_scenario(sc, &o2, &r2, NULL);
				snprintf(j->capture_text, sizeof(j->capture_text), "record #%" PRIu64 " is now: %s%s%s",
					 j->res.golden_at, cap.have_at ? cap.at : "(the run ended before it)",
					 cap.have_prev ? "\n      after: " : "", cap.have_prev ? cap.prev : "");
			}
		} else {
			run_scenario(sc, &j->o, &j->res, NULL);
		}
	}
	if (write(fd, j, sizeof(*j)) != (ssize_t)sizeof(*j))
		_exit(3);
	free(sc);
	_exit(0);
}

static void run_jobs(struct job *jobs, int n, int parallel)
{
	int next = 0, running = 0;
	while (next < n || running) {
		while (next < n && running < parallel) {
			int fds[2];
			struct job *j = &jobs[next++];
			if (pipe(fds) != 0) {
				j->res.status = 2;
				snprintf(j->res.msg, sizeof(j->res.msg), "pipe: %s", strerror(errno));
				j->done = true;
				continue;
			}
			fflush(NULL);
			j->pid = fork();
			if (j->pid == 0) {
				close(fds[0]);
				child_run(j, fds[1]);
			}
			close(fds[1]);
			j->fd = fds[0];
			running++;
		}
		if (!running)
			break;
		/* read every running job's pipe as it finishes */
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid <= 0)
			break;
		for (int i = 0; i < n; i++) {
			struct job *j = &jobs[i];
			if (j->pid != pid || j->done)
				continue;
			struct job tmp;
			size_t got = 0;
			ssize_t r;
			while (got < sizeof(tmp) && (r = read(j->fd, (char *)&tmp + got, sizeof(tmp) - got)) > 0)
				got += (size_t)r;
			close(j->fd);
			if (got == sizeof(tmp)) {
				j->res = tmp.res;
				memcpy(j->name, tmp.name, sizeof(j->name));
				memcpy(j->capture_text, tmp.capture_text, sizeof(j->capture_text));
			} else {
				j->res.status = 2;
				snprintf(j->res.msg, sizeof(j->res.msg), "the simulation process died (%s %d)",
					 WIFSIGNALED(status) ? "signal" : "status",
					 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			}
			j->done = true;
			running--;
		}
	}
}

/* ---- tzsim test ------------------------------------------------------------------------- */

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
	if (u < len && r->golden == 1)
		u += (size_t)snprintf(buf + u, len - u, "%sgolden digest changed (now %016" PRIx64 ", %" PRIu64
					     " records): first differing %s",
				      u ? "\n" : "", r->digest, r->records, j->capture_text[0] ? j->capture_text : "record");
	if (u < len && r->golden == 2)
		snprintf(buf + u, len - u, "%sno golden digest (%s); bless one with: tzsim test --bless",
			 u ? "\n" : "", r->golden_msg);
}

static int cmd_test(int argc, char **argv)
{
	const char *dir = NULL, *junit = NULL, *golden_dir = "traces/golden";
	bool tap = false, bless = false;
	int parallel = nproc(), kernel = -1, n = 0, failed = 0;
	char *names[512];
	struct job *jobs;
	DIR *dp;
	struct dirent *de;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		uint64_t v;
		if (!strcmp(a, "--bless"))
			bless = true;
		else if (!strcmp(a, "--tap"))
			tap = true;
		else if (!strcmp(a, "--junit")) {
			if (++i == argc)
				return usage_error("--junit needs a FILE", NULL);
			junit = argv[i];
		} else if (!strcmp(a, "--golden-dir")) {
			if (++i == argc)
				return usage_error("--golden-dir needs a DIR", NULL);
			golden_dir = argv[i];
		} else if (!strcmp(a, "-j")) {
			if (++i == argc || parse_u64(argv[i], &v) || v == 0 || v > 256)
				return usage_error("-j: expected 1 to 256, got '%s'", i < argc ? argv[i] : "");
			parallel = (int)v;
		} else if (!strcmp(a, "--kernel")) {
			if (++i == argc || parse_kernel(argv[i], &kernel))
				return usage_error("--kernel: expected native or systemc, got '%s'", i < argc ? argv[i] : "");
		} else if (a[0] == '-')
			return usage_error("test: unknown option '%s'", a);
		else if (!dir)
			dir = a;
		else
			return usage_error("test: one directory only (got '%s' too)", a);
	}
	if (!dir)
		return usage_error("test: missing DIR", NULL);
	dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "%s: cannot open: %s\n", dir, strerror(errno));
		return 2;
	}
	while ((de = readdir(dp)) && n < 512) {
		size_t l = strlen(de->d_name);
		if (l > 5 && !strcmp(de->d_name + l - 5, ".yaml"))
			names[n++] = strdup(de->d_name);
	}
	closedir(dp);
	if (!n) {
		fprintf(stderr, "%s: no *.yaml scenarios\n", dir);
		return 2;
	}
	qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
	jobs = calloc((size_t)n, sizeof(*jobs));
	if (!jobs)
		return 2;
	for (int i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		snprintf(j->path, sizeof(j->path), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		j->o = (struct run_opts){ .kernel = kernel, .no_outputs = true, .quiet = true };
		j->o.golden = golden_dir; /* the child names the file once it knows the scenario */
		j->o.bless = bless;
		j->capture = true;
		snprintf(j->golden, sizeof(j->golden), "%s", golden_dir);
		snprintf(j->name, sizeof(j->name), "%s", names[i]);
	}
	if (bless)
		atomic_file_mkdirs(golden_dir);
	run_jobs(jobs, n, parallel);
	if (tap)
		printf("1..%d\n", n);
	for (int i = 0; i < n; i++) {
		struct job *j = &jobs[i];
		char why[3000];
		bool ok = j->res.status == 0;
		failed += !ok;
		failure_text(j, why, sizeof(why));
		if (tap) {
			printf("%sok %d - %s\n", ok ? "" : "not ", i + 1, j->path);
			if (!ok)
				for (char *l = strtok(why, "\n"); l; l = strtok(NULL, "\n"))
					printf("# %s\n", l);
		} else {
			printf("%s %-44s %6.2fs  %s\n", ok ? "PASS" : "FAIL", j->path, j->res.wall_s,
			       j->res.golden == 3 ? "blessed" : ok ? "" : "");
			if (!ok)
				for (char *l = strtok(why, "\n"); l; l = strtok(NULL, "\n"))
					printf("    %s\n", l);
		}
	}
	if (junit) {
		struct atomic_file af;
		char err[512];
		if (atomic_file_open(&af, junit, err, sizeof(err)) == 0) {
			fprintf(af.f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"tzsim\" tests=\"%d\" failures=\"%d\">\n",
				n, failed);
			for (int i = 0; i < n; i++) {
				struct job *j = &jobs[i];
				char why[3000];
				fprintf(af.f, "  <testcase classname=\"scenarios\" name=\"");
				xml_escape(af.f, j->path);
				fprintf(af.f, "\" time=\"%.3f\">", j->res.wall_s);
				if (j->res.status) {
					failure_text(j, why, sizeof(why));
					fprintf(af.f, "<failure message=\"");
					xml_escape(af.f, why);
					fprintf(af.f, "\"/>");
				}
				fprintf(af.f, "</testcase>\n");
			}
			fprintf(af.f, "</testsuite>\n");
			atomic_file_commit(&af, err, sizeof(err));
		} else {
			fprintf(stderr, "%s\n", err);
		}
	}
	if (!tap)
		printf("%d scenarios: %d passed, %d failed\n", n, n - failed, failed);
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(jobs);
	return failed ? 1 : 0;
}

/* ---- tzsim compare ------------------------------------------------------------------------ */

/* Split "a,b,[1,2]" on commas outside brackets and braces. */
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
				out[n++] = start;
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
	snprintf(buf, len, "%.2f [%.1f-%.1f]", t[n / 2], t[0], t[n - 1]);
}

static int cmd_compare(int argc, char **argv)
{
	const char *file = NULL, *vary = NULL;
	uint64_t seeds = 3, v;
	int parallel = nproc(), kernel = -1, nval, njobs, rc = 0;
	char key[256], valbuf[1024], *vals[MAX_VARY];
	struct scenario *sc;
	struct sim_diag d;
	struct job *jobs;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--vary")) {
			if (++i == argc || !strchr(argv[i], '='))
				return usage_error("--vary: expected key.path=a,b,c, got '%s'", i < argc ? argv[i] : "");
			vary = argv[i];
		} else if (!strcmp(a, "--seeds")) {
			if (++i == argc || parse_u64(argv[i], &seeds) || seeds == 0 || seeds > 100)
				return usage_error("--seeds: expected 1 to 100, got '%s'", i < argc ? argv[i] : "");
		} else if (!strcmp(a, "-j")) {
			if (++i == argc || parse_u64(argv[i], &v) || v == 0 || v > 256)
				return usage_error("-j: expected 1 to 256, got '%s'", i < argc ? argv[i] : "");
			parallel = (int)v;
		} else if (!strcmp(a, "--kernel")) {
			if (++i == argc || parse_kernel(argv[i], &kernel))
				return usage_error("--kernel: expected native or systemc, got '%s'", i < argc ? argv[i] : "");
		} else if (a[0] == '-')
			return usage_error("compare: unknown option '%s'", a);
		else if (!file)
			file = a;
		else
			return usage_error("compare: one scenario file only (got '%s' too)", a);
	}
	if (!file || !vary)
		return usage_error("compare: expected FILE --vary key.path=a,b,c", NULL);
	{
		const char *eq = strchr(vary, '=');
		snprintf(key, sizeof(key), "%.*s", (int)(eq - vary), vary);
		snprintf(valbuf, sizeof(valbuf), "%s", eq + 1);
	}
	nval = split_values(valbuf, vals, MAX_VARY);
	sc = malloc(sizeof(*sc));
	if (!sc)
		return 2;
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
						  .seed_given = true, .seed = sc->seed + s };
		}
	run_jobs(jobs, njobs, parallel);
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
		double p50[100], p99[100], mx[100], notifs = 0, lost = 0, late = 0, spur = 0, smc = 0;
		int bad = 0;
		for (uint64_t s = 0; s < seeds; s++) {
			struct run_result *r = &jobs[k * (int)seeds + (int)s].res;
			p50[s] = r->e2e_p50 / 1e6, p99[s] = r->e2e_p99 / 1e6, mx[s] = r->e2e_max / 1e6;
			notifs += r->notifications, lost += r->lost, late += r->late, spur += r->spurious;
			smc += r->smc_per_notif / (double)seeds;
			bad += r->status == 2 || (r->status == 1 && r->n_failed == 0);
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
				if (r->status == 2 || (r->status == 1 && r->n_failed == 0)) {
					printf("    seed %" PRIu64 ": %s\n", sc->seed + s, r->msg);
					break;
				}
			}
			rc = 1;
		}
	}
	free(jobs);
	free(sc);
	return rc;
}

int main(int argc, char **argv)
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
		return cmd_test(argc - 2, argv + 2);
	if (!strcmp(argv[1], "compare"))
		return cmd_compare(argc - 2, argv + 2);
	if (!strcmp(argv[1], "dtb"))
		return cmd_dtb(argc - 2, argv + 2);
	return usage_error("unknown command '%s'", argv[1]);
}
