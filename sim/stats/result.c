// SPDX-License-Identifier: BSD-3-Clause
/* sim/stats/result.c: a run's measured result and its text form (see result.h). */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats/result.h"
#include "sim/stats/stats.h"
#include "sim/kernel/err.h"

struct stats_result *stats_result_new(void)
{
	struct stats_result *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	for (int i = 0; i < SIM_SPAN_COUNT; i++)
		if (!(r->span[i] = sim_hist_new())) {
			stats_result_free(r);
			return NULL;
		}
	return r;
}

void stats_result_free(struct stats_result *r)
{
	if (!r)
		return;
	for (int i = 0; i < SIM_SPAN_COUNT; i++)
		sim_hist_free(r->span[i]);
	free(r);
}

void stats_result_reset(struct stats_result *r)
{
	struct sim_hist *span[SIM_SPAN_COUNT];
	memcpy(span, r->span, sizeof(span));
	memset(r, 0, sizeof(*r));
	memcpy(r->span, span, sizeof(span));
	for (int i = 0; i < SIM_SPAN_COUNT; i++)
		sim_hist_reset(r->span[i]);
}

static uint64_t count_metric(const struct sim_stats *st, const char *name)
{
	double v = 0;
	(void)stats_metric(st, name, &v);
	return (uint64_t)v;
}

void stats_result_fill(struct stats_result *r, const struct sim_stats *st)
{
	r->measured = true;
#define X(name) r->name = count_metric(st, #name);
	STATS_RESULT_COUNTS(X)
#undef X
	(void)stats_metric(st, "smc_per_notification", &r->smc_per_notif);
	(void)stats_metric(st, "world_switches_per_notification", &r->ws_per_notif);
	r->ncpus = stats_ncpus(st);
	if (r->ncpus > STATS_RESULT_MAX_CPUS)
		r->ncpus = STATS_RESULT_MAX_CPUS;
	for (unsigned c = 0; c < r->ncpus; c++)
		for (unsigned w = 0; w < 4; w++)
			r->cpu_time[c][w] = stats_cpu_time(st, c, w);
	for (int i = 0; i < SIM_SPAN_COUNT; i++) {
		sim_hist_reset(r->span[i]);
		sim_hist_add(r->span[i], stats_span(st, (enum sim_span)i));
	}
}

void stats_result_add(struct stats_result *dst, const struct stats_result *src)
{
	if (!src->measured)
		return;
	dst->measured = true;
#define X(name) dst->name += src->name;
	STATS_RESULT_COUNTS(X)
#undef X
	if (src->ncpus > dst->ncpus)
		dst->ncpus = src->ncpus;
	for (unsigned c = 0; c < src->ncpus; c++)
		for (unsigned w = 0; w < 4; w++)
			dst->cpu_time[c][w] += src->cpu_time[c][w];
	dst->sim_end += src->sim_end;
	for (int i = 0; i < SIM_SPAN_COUNT; i++)
		sim_hist_add(dst->span[i], src->span[i]);
}

/* ---- the text form ---------------------------------------------------------------------------- */

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/* A name or a short text on one line: control characters become '?'. */
static void put_line(FILE *f, const char *key, const char *s)
{
	fprintf(f, "%s ", key);
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
	fputc('\n', f);
}

int stats_result_write(const struct stats_result *r, FILE *f)
{
	fprintf(f, "tzsim-result %d\n", STATS_RESULT_VERSION);
	put_line(f, "scenario", r->scenario);
	fprintf(f, "seed %" PRIu64 "\nstatus %d %u\nmsg ", r->seed, r->status, r->n_failed);
	put_escaped(f, r->msg);
	fputc('\n', f);
	put_line(f, "transport", r->transport);
	fprintf(f, "time %" PRIu64 "\nmeasured %d\n", r->sim_end, r->measured ? 1 : 0);
	if (r->measured) {
		fputs("counts", f);
#define X(name) fprintf(f, " %s=%" PRIu64, #name, r->name);
		STATS_RESULT_COUNTS(X)
#undef X
		fprintf(f, "\nper_notification smc=%a ws=%a\ncpus %u\n", r->smc_per_notif, r->ws_per_notif, r->ncpus);
		for (unsigned c = 0; c < r->ncpus; c++)
			fprintf(f, "cpu %u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", c, r->cpu_time[c][0],
				r->cpu_time[c][1], r->cpu_time[c][2], r->cpu_time[c][3]);
		for (int i = 0; i < SIM_SPAN_COUNT; i++) {
			fprintf(f, "span %s ", sim_span_name((enum sim_span)i));
			sim_hist_save(r->span[i], f);
			fputc('\n', f);
		}
	}
	fputs("end\n", f);
	return ferror(f) ? -1 : 0;
}

struct reader {
	const char *p; /* the next line */
	unsigned line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int rfail(struct reader *rd, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(rd->err, rd->errlen, "line %u: ", rd->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < rd->errlen)
		vsnprintf(rd->err + n, rd->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next line starting with "@key ": its value in @buf; -1 (with a message) otherwise. */
static int next_line(struct reader *rd, const char *key, char *buf, size_t len)
{
	const char *nl = strchr(rd->p, '\n');
	size_t kl = strlen(key), l;
	rd->line++;
	if (!*rd->p || !nl)
		return rfail(rd, "cut short: expected '%s'", key);
	l = (size_t)(nl - rd->p);
	if (l < kl || strncmp(rd->p, key, kl) || (l > kl && rd->p[kl] != ' '))
		return rfail(rd, "expected '%s', found '%.*s'", key, (int)(l > 40 ? 40 : l), rd->p);
	if (l > kl)
		kl++;
	if (l - kl >= len)
		return rfail(rd, "'%s' too long", key);
	memcpy(buf, rd->p + kl, l - kl);
	buf[l - kl] = 0;
	rd->p = nl + 1;
	return 0;
}

static int unescape(struct reader *rd, const char *s, char *out, size_t len)
{
	size_t u = 0;
	for (; *s; s++) {
		char c = *s;
		if (c == '\\') {
			s++;
			if (*s == 'n')
				c = '\n';
			else if (*s == '\\')
				c = '\\';
			else if (*s == 'x' && s[1] && s[2]) {
				char hex[3] = { s[1], s[2], 0 }, *e;
				c = (char)strtol(hex, &e, 16);
				if (*e)
					return rfail(rd, "bad escape in msg");
				s += 2;
			} else
				return rfail(rd, "bad escape in msg");
		}
		if (u + 1 >= len)
			return rfail(rd, "msg too long");
		out[u++] = c;
	}
	out[u] = 0;
	return 0;
}

int stats_result_read(struct stats_result *r, const char *text, char *err, size_t errlen)
{
	struct reader rd = { text, 0, err, errlen };
	const size_t cap = 4 << 20; /* a line; the longest is a histogram (< 1.5 MB) */
	char *line = malloc(cap);
	int version, measured, n;
	unsigned long long a, b;

	stats_result_reset(r);
	err[0] = 0;
	if (!line) {
		return sim_fail(err, errlen, "out of memory");
	}
	if (strncmp(text, "tzsim-result ", 13)) {
		snprintf(err, errlen, "not a tzsim result file");
		goto bad;
	}
	if (next_line(&rd, "tzsim-result", line, cap))
		goto bad;
	if (sscanf(line, "%d%n", &version, &n) != 1 || line[n] || version != STATS_RESULT_VERSION) {
		rfail(&rd, "version '%s'; this tzsim reads version %d", line, STATS_RESULT_VERSION);
		goto bad;
	}
	if (next_line(&rd, "scenario", r->scenario, sizeof(r->scenario)) || next_line(&rd, "seed", line, cap))
		goto bad;
	if (sscanf(line, "%llu%n", &a, &n) != 1 || line[n]) {
		rfail(&rd, "bad seed");
		goto bad;
	}
	r->seed = a;
	if (next_line(&rd, "status", line, cap))
		goto bad;
	if (sscanf(line, "%d %llu%n", &r->status, &b, &n) != 2 || line[n] || r->status < 0 || r->status > 3) {
		rfail(&rd, "bad status");
		goto bad;
	}
	r->n_failed = (unsigned)b;
	if (next_line(&rd, "msg", line, cap) || unescape(&rd, line, r->msg, sizeof(r->msg)) ||
	    next_line(&rd, "transport", r->transport, sizeof(r->transport)) || next_line(&rd, "time", line, cap))
		goto bad;
	if (sscanf(line, "%llu%n", &a, &n) != 1 || line[n]) {
		rfail(&rd, "bad time");
		goto bad;
	}
	r->sim_end = a;
	if (next_line(&rd, "measured", line, cap))
		goto bad;
	if (sscanf(line, "%d%n", &measured, &n) != 1 || line[n] || (measured != 0 && measured != 1)) {
		rfail(&rd, "bad measured");
		goto bad;
	}
	r->measured = measured;
	if (measured) {
		const char *q;
		if (next_line(&rd, "counts", line, cap))
			goto bad;
		q = line;
#define X(name)                                                                                   \
	{                                                                                         \
		char *e;                                                                          \
		size_t kl = strlen(#name);                                                        \
		if (strncmp(q, #name "=", kl + 1)) {                                              \
			rfail(&rd, "expected count '%s'", #name);                                 \
			goto bad;                                                                 \
		}                                                                                 \
		errno = 0;                                                                        \
		r->name = strtoull(q + kl + 1, &e, 10);                                           \
		if (errno || e == q + kl + 1 || (*e && *e != ' ')) {                              \
			rfail(&rd, "bad count '%s'", #name);                                      \
			goto bad;                                                                 \
		}                                                                                 \
		q = *e ? e + 1 : e;                                                               \
	}
		STATS_RESULT_COUNTS(X)
#undef X
		if (*q) {
			rfail(&rd, "unexpected text after the counts");
			goto bad;
		}
		{
			char *e1, *e2;
			if (next_line(&rd, "per_notification", line, cap))
				goto bad;
			if (strncmp(line, "smc=", 4) || (r->smc_per_notif = strtod(line + 4, &e1), strncmp(e1, " ws=", 4)) ||
			    (r->ws_per_notif = strtod(e1 + 4, &e2), *e2) || !isfinite(r->smc_per_notif) ||
			    !isfinite(r->ws_per_notif)) {
				rfail(&rd, "bad per_notification");
				goto bad;
			}
		}
		if (next_line(&rd, "cpus", line, cap))
			goto bad;
		if (sscanf(line, "%llu%n", &a, &n) != 1 || line[n] || a > STATS_RESULT_MAX_CPUS) {
			rfail(&rd, "bad cpus");
			goto bad;
		}
		r->ncpus = (unsigned)a;
		for (unsigned c = 0; c < r->ncpus; c++) {
			unsigned long long t[4], idx;
			if (next_line(&rd, "cpu", line, cap))
				goto bad;
			if (sscanf(line, "%llu %llu %llu %llu %llu%n", &idx, &t[0], &t[1], &t[2], &t[3], &n) != 5 || line[n] ||
			    idx != c) {
				rfail(&rd, "bad cpu line (cpu %u expected)", c);
				goto bad;
			}
			for (int w = 0; w < 4; w++)
				r->cpu_time[c][w] = t[w];
		}
		for (int i = 0; i < SIM_SPAN_COUNT; i++) {
			const char *name = sim_span_name((enum sim_span)i), *end;
			size_t l = strlen(name);
			if (next_line(&rd, "span", line, cap))
				goto bad;
			if (strncmp(line, name, l) || line[l] != ' ') {
				rfail(&rd, "expected span %s", name);
				goto bad;
			}
			if (sim_hist_load(r->span[i], line + l + 1, &end) || *end) {
				rfail(&rd, "bad histogram of %s", name);
				goto bad;
			}
		}
	}
	if (next_line(&rd, "end", line, cap))
		goto bad;
	if (line[0]) {
		rfail(&rd, "unexpected text after 'end'");
		goto bad;
	}
	free(line);
	return 0;
bad:
	free(line);
	stats_result_reset(r);
	return -1;
}
