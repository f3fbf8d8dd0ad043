// SPDX-License-Identifier: BSD-3-Clause
/*
 * Runs' results combined per variant: what `compare` and `merge` print
 * and report. Both read the runs as stats_result text (compare from its
 * processes' pipes, merge from a sweep's result files) and go through
 * the same functions here, so merge prints compare's table byte for byte
 * and writes the same report.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/cli.h"
#include "sim/out/atomic_file.h"
#include "sim/out/report.h"
#include "sim/scenario/scenario.h"
#include "sim/stats/stats.h"

/*
 * "spi 219 edge", "ppi 31 edge raise fixed*", "ffa 8 edge spmc s-el2": a
 * trailing '*' marks a design no upstream ships (docs/protocol.md §9.7; the
 * run's summary line says which and why).
 */
void cli_transport_desc(const struct scenario *sc, char *buf, size_t len)
{
	const struct scenario_transport_cfg *t = &sc->transport;
	static const char *const targets[] = { "self", "all-but-self", "cpu list" };
	bool hypothetical = t->kind == SCENARIO_SGI || t->trigger == SCENARIO_LEVEL || t->routing == SCENARIO_ROUTE_1_OF_N ||
			    (t->kind == SCENARIO_PPI && t->raise == SCENARIO_RAISE_FIXED);
	snprintf(buf, len, "%s %u %s%s%s%s%s%s%s%s", scenario_transport_name(t->kind), t->intid,
		 t->trigger == SCENARIO_LEVEL ? "level" : "edge", t->routing == SCENARIO_ROUTE_1_OF_N ? " 1-of-N" : "",
		 t->kind == SCENARIO_SGI && t->target != SCENARIO_TARGET_SELF ? " to " : "",
		 t->kind == SCENARIO_SGI && t->target != SCENARIO_TARGET_SELF ? targets[t->target % 3] : "",
		 t->kind == SCENARIO_PPI ? (t->raise == SCENARIO_RAISE_UPSTREAM ? " raise upstream" : " raise fixed") : "",
		 t->kind == SCENARIO_FFA ? (t->spmc == SCENARIO_SPMC_S_EL2 ? " spmc s-el2" : " spmc s-el1") : "",
		 t->kind == SCENARIO_FFA && t->ffa_bottom_half == SCENARIO_FFA_BH_INLINE ? " bh inline" : "",
		 hypothetical ? "*" : "");
}

int cli_expand_overrides(const char *const *in, int n, const char **out, int max)
{
	int k = 0;
	bool kind = false;
	for (int i = 0; i < n; i++)
		kind |= !strncmp(in[i], "transport.kind=", 15);
	if (kind) {
		if (k == max)
			return -1;
		out[k++] = "transport={}"; /* the kind's defaults, then what the overrides set */
	}
	for (int i = 0; i < n; i++) {
		if (k == max)
			return -1;
		out[k++] = in[i];
	}
	return k;
}

bool cli_run_error(int status, unsigned n_failed)
{
	return status >= RUN_BAD_INPUT || (status == RUN_FAILED && n_failed == 0);
}

void cli_result_fill(struct stats_result *r, const struct scenario *sc, const struct sim_stats *st,
		     const struct run_result *res)
{
	stats_result_reset(r);
	r->status = res->status;
	/* compare --check: a broken invariant counts as a failed check (a measurement), not a run error */
	r->n_failed = res->n_failed + res->violations;
	snprintf(r->msg, sizeof(r->msg), "%s", res->msg);
	snprintf(r->scenario, sizeof(r->scenario), "%s", sc->name);
	r->seed = sc->seed;
	if (sc->name[0])
		cli_transport_desc(sc, r->transport, sizeof(r->transport));
	r->sim_end = res->sim_end;
	if (st)
		stats_result_fill(r, st);
}

void cli_variant_init(struct cli_variant *v, const char *label, const char *transport, unsigned seeds)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->label, sizeof(v->label), "%s", label);
	snprintf(v->transport, sizeof(v->transport), "%s", transport);
	v->seeds = seeds;
	v->bad_seed = -1;
}

void cli_variant_free(struct cli_variant *v)
{
	stats_result_free(v->sum);
	v->sum = NULL;
}

int cli_variant_add(struct cli_variant *v, unsigned s, const struct stats_result *r)
{
	if (s >= CLI_MAX_SEEDS)
		return -1;
	v->runs++;
	if (cli_run_error(r->status, r->n_failed) && (v->bad_seed < 0 || (int)s < v->bad_seed)) {
		v->bad_seed = (int)s;
		snprintf(v->bad_msg, sizeof(v->bad_msg), "%s", r->msg);
	}
	if (r->status == RUN_INCOMPLETE)
		v->incomplete = true;
	if (!r->measured)
		return 0;
	v->measured++;
	/* as the run's own metrics: 0 when nothing was delivered */
	const struct sim_hist *e2e = r->span[SIM_SPAN_E2E];
	bool any = sim_hist_count(e2e) > 0;
	v->p50[s] = (any ? (double)sim_hist_report(e2e, 50) : 0) / 1e6;
	v->p99[s] = (any ? (double)sim_hist_report(e2e, 99) : 0) / 1e6;
	v->max[s] = (any ? (double)sim_hist_max(e2e) : 0) / 1e6;
	v->smc[s] = r->smc_per_notif;
	v->ws[s] = r->ws_per_notif;
	if (!v->sum && !(v->sum = stats_result_new()))
		return -1;
	stats_result_add(v->sum, r);
	return 0;
}

/* "median [min-max]" of @n values */
static void med_spread(const double *a, unsigned n, char *buf, size_t len)
{
	double t[CLI_MAX_SEEDS] = { 0 };
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

int cli_print_table(FILE *f, const char *file, const char *key, uint64_t seeds, uint64_t first_seed,
		    const struct cli_variant *v, int n)
{
	int w = 8, tw = 9, rc = 0;
	fprintf(f, "tzsim compare: %s, %s over %" PRIu64 " seed%s (from %" PRIu64 ")\n", file, key, seeds,
		seeds > 1 ? "s" : "", first_seed);
	fprintf(f, "  e2e latency (us): median over seeds, [min-max] spread; counts summed over seeds\n\n");
	for (int k = 0; k < n; k++) {
		if ((int)strlen(v[k].label) > w)
			w = (int)strlen(v[k].label);
		if ((int)strlen(v[k].transport) > tw)
			tw = (int)strlen(v[k].transport);
	}
	fprintf(f, "  %-*s %-*s %7s %17s %17s %19s %6s %5s %6s %9s %7s\n", w, "variant", tw, "transport", "notifs", "p50",
		"p99", "max", "lost", "late", "spur.", "SMC/notif", "status");
	for (int k = 0; k < n; k++) {
		const struct cli_variant *x = &v[k];
		const struct stats_result *m = x->sum;
		double smc = 0;
		char b50[48], b99[48], bmx[48];
		/* the mean in seed order: the same sum, to the last bit, whoever adds the runs */
		for (uint64_t s = 0; s < seeds; s++)
			smc += x->smc[s] / (double)seeds;
		med_spread(x->p50, (unsigned)seeds, b50, sizeof(b50));
		med_spread(x->p99, (unsigned)seeds, b99, sizeof(b99));
		med_spread(x->max, (unsigned)seeds, bmx, sizeof(bmx));
		fprintf(f, "  %-*s %-*s %7" PRIu64 " %17s %17s %19s %6" PRIu64 " %5" PRIu64 " %6" PRIu64 " %9.2f %7s\n", w,
			x->label, tw, x->transport, m ? m->notifications : 0, b50, b99, bmx, m ? m->lost : 0,
			m ? m->late : 0, m ? m->spurious : 0, smc, x->bad_seed >= 0 ? "ERROR" : "ok");
		if (x->bad_seed >= 0) {
			fprintf(f, "    seed %" PRIu64 ": %s\n", first_seed + (uint64_t)x->bad_seed, x->bad_msg);
			if (rc < 1)
				rc = 1;
		}
		if (x->incomplete)
			rc = RUN_INCOMPLETE;
	}
	return rc;
}

char *cli_read_file(const char *path, size_t *len)
{
	/* as sim/kernel/infile.h: a regular file of bounded size only, opened without blocking (a FIFO
	 * in a sweep's results/ must not hang merge) */
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	FILE *f;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || (unsigned long long)st.st_size > CLI_MAX_READ_BYTES) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : !S_ISREG(st.st_mode) ? EINVAL : EFBIG;
		return NULL;
	}
	if (!(f = fdopen(fd, "rb"))) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	for (;;) {
		if (n > CLI_MAX_READ_BYTES) { /* it grew since fstat */
			free(buf);
			fclose(f);
			errno = EFBIG;
			return NULL;
		}
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap ? cap * 2 : 65536);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 65536;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		fclose(f);
		errno = e ? e : EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = n;
	return buf;
}

int cli_write_report(const char *path, const char *title, const char *what, const char *command,
		     const char *scenario_path, const char *scenario_text, const struct cli_variant *v, int n)
{
	struct report_series *s = calloc((size_t)(n > 0 ? n : 1), sizeof(*s));
	struct stats_result *empty = stats_result_new();
	struct report r = { title, what, command, scenario_path, scenario_text, s, (unsigned)n };
	struct atomic_file af;
	char err[1200];
	int rc = 0;

	if (!s || !empty) {
		fprintf(stderr, "%s: cannot write: out of memory\n", path);
		free(s);
		stats_result_free(empty);
		return RUN_IO_ERROR;
	}
	for (int k = 0; k < n; k++) {
		double smc = 0, ws = 0;
		for (unsigned x = 0; x < v[k].seeds; x++) {
			smc += v[k].smc[x] / (double)v[k].seeds;
			ws += v[k].ws[x] / (double)v[k].seeds;
		}
		s[k] = (struct report_series){ v[k].label, v[k].transport, v[k].measured, v[k].sum ? v[k].sum : empty, smc,
					       ws };
	}
	if (atomic_file_open(&af, path, err, sizeof(err)) != 0 ||
	    (report_write_html(&r, af.f), atomic_file_commit(&af, err, sizeof(err)) != 0)) {
		fprintf(stderr, "%s%s%s\n", strstr(err, path) ? "" : path, strstr(err, path) ? "" : ": ", err);
		rc = RUN_IO_ERROR;
	}
	free(s);
	stats_result_free(empty);
	return rc;
}
