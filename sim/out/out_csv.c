// SPDX-License-Identifier: BSD-3-Clause
/* The record CSV, and the per-metric summaries (.hgrm files, summary CSV). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/out/atomic_file.h"
#include "sim/out/out.h"

#define OUT_CSV_BUF (1u << 20)

struct out_csv {
	struct atomic_file af;
	char *buf;
};

struct out_csv *out_csv_open(const char *path, const struct sim_trace *tr, const struct out_meta *meta,
			     char *err, size_t errlen)
{
	(void)tr;
	(void)meta;
	struct out_csv *w = calloc(1, sizeof(*w));
	char *buf = malloc(OUT_CSV_BUF);
	if (!w || !buf) {
		free(w);
		free(buf);
		if (err && errlen)
			snprintf(err, errlen, "open %s: out of memory", path);
		return NULL;
	}
	if (atomic_file_open(&w->af, path, err, errlen) != 0) {
		free(w);
		free(buf);
		return NULL;
	}
	w->buf = buf;
	setvbuf(w->af.f, w->buf, _IOFBF, OUT_CSV_BUF);
	fprintf(w->af.f, "%s\n", sim_rec_csv_header);
	return w;
}

void out_csv_sink(void *ctx, const struct sim_rec *r)
{
	struct out_csv *w = ctx;
	sim_rec_csv(w->af.f, r);
}

int out_csv_close(struct out_csv *w, bool commit)
{
	if (!w)
		return -1;
	int rc = -1;
	if (commit)
		rc = atomic_file_commit(&w->af, NULL, 0);
	else
		atomic_file_abort(&w->af);
	/* the FILE used buf until fclose inside commit/abort */
	free(w->buf);
	free(w);
	return rc;
}

int out_hgrm_write(const char *dir, const char *metric, const struct sim_hist *h)
{
	size_t n = strlen(dir) + strlen(metric) + 8;
	char *path = malloc(n);
	if (!path) {
		errno = ENOMEM;
		return -1;
	}
	snprintf(path, n, "%s/%s.hgrm", dir, metric);
	struct atomic_file af;
	int rc = atomic_file_open(&af, path, NULL, 0);
	free(path);
	if (rc != 0)
		return -1;
	if (sim_hist_write_hgrm(h, af.f, (double)SIM_NS, "ns") != 0) {
		int e = errno;
		atomic_file_abort(&af);
		errno = e ? e : EIO;
		return -1;
	}
	return atomic_file_commit(&af, NULL, 0);
}

/* @ps as microseconds with 3 decimals, rounded to the nearest ns, exactly. */
static void put_us(FILE *f, uint64_t ps)
{
	uint64_t ns = ps / 1000 + (ps % 1000 >= 500);
	fprintf(f, ",%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
}

int out_summary_csv(const char *path, const char *const *metric_names, struct sim_hist *const *hists, int n)
{
	struct atomic_file af;
	if (atomic_file_open(&af, path, NULL, 0) != 0)
		return -1;
	fprintf(af.f, "metric,count,min,p50,p90,p99,p99.9,max,mean\n");
	for (int i = 0; i < n; i++) {
		const struct sim_hist *h = hists[i];
		fprintf(af.f, "%s,%" PRIu64, metric_names[i], sim_hist_count(h));
		put_us(af.f, sim_hist_min(h));
		put_us(af.f, sim_hist_report(h, 50));
		put_us(af.f, sim_hist_report(h, 90));
		put_us(af.f, sim_hist_report(h, 99));
		put_us(af.f, sim_hist_report(h, 99.9));
		put_us(af.f, sim_hist_max(h));
		fprintf(af.f, ",%.3f\n", sim_hist_mean(h) / (double)SIM_US);
	}
	return atomic_file_commit(&af, NULL, 0);
}
