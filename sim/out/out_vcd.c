// SPDX-License-Identifier: BSD-3-Clause
/*
 * Value change dump (IEEE 1364-2001 §18) of the trace's signals, streamed.
 *
 * Only the signals the models registered (tr->sig[]) are declared, one
 * $scope per distinct scope name in order of first registration. Scalars
 * change as `0!` (no space), vectors as `b101 !` (one space); a `#<ps>`
 * line precedes the first change at each new time.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/out/atomic_file.h"
#include "sim/out/out.h"

#define VCD_BUF (1u << 20)
#define VCD_ID_MAX 8 /* 94^7 signals is plenty */

struct out_vcd {
	struct atomic_file af;
	char *buf;
	int nsig;
	unsigned *width;
	uint64_t *value;
	char (*id)[VCD_ID_MAX];
	bool have_t;
	sim_time t;
};

/* Identifier code @i in base 94 over '!'..'~' (distinct for distinct i). */
static void make_id(char out[VCD_ID_MAX], unsigned i)
{
	int n = 0;
	do {
		out[n++] = (char)(33 + i % 94);
		i /= 94;
	} while (i && n < VCD_ID_MAX - 1);
	out[n] = '\0';
}

/* A VCD reference or scope name is one token: blanks and non-printables become '_'. */
static void put_token(FILE *f, const char *s)
{
	if (!*s) {
		fputc('_', f);
		return;
	}
	for (; *s; s++)
		fputc(*s > 32 && *s < 127 ? *s : '_', f);
}

static uint64_t mask_of(unsigned width) { return width >= 64 ? UINT64_MAX : (1ull << width) - 1; }

static void put_value(FILE *f, unsigned width, uint64_t v, const char *id)
{
	if (width == 1) {
		fprintf(f, "%c%s\n", v ? '1' : '0', id);
		return;
	}
	char bits[65];
	int n = 0;
	/* most significant set bit first; at least one digit */
	int top = 63;
	while (top > 0 && !(v >> top & 1))
		top--;
	for (int b = top; b >= 0; b--)
		bits[n++] = (char)('0' + (v >> b & 1));
	bits[n] = '\0';
	fprintf(f, "b%s %s\n", bits, id);
}

struct out_vcd *out_vcd_open(const char *path, const struct sim_trace *tr, const struct out_meta *meta,
			     char *err, size_t errlen)
{
	struct out_vcd *w = calloc(1, sizeof(*w));
	int nsig = tr ? tr->nsig : 0;
	size_t n = nsig > 0 ? (size_t)nsig : 1;
	char *buf = malloc(VCD_BUF);
	unsigned *width = calloc(n, sizeof(*width));
	uint64_t *value = calloc(n, sizeof(*value));
	char(*id)[VCD_ID_MAX] = calloc(n, sizeof(*id));
	bool *done = calloc(n, sizeof(*done));
	if (!w || !buf || !width || !value || !id || !done) {
		if (err && errlen)
			snprintf(err, errlen, "open %s: out of memory", path);
		goto fail;
	}
	if (atomic_file_open(&w->af, path, err, errlen) != 0)
		goto fail;
	w->buf = buf;
	setvbuf(w->af.f, buf, _IOFBF, VCD_BUF);
	w->nsig = nsig;
	w->width = width;
	w->value = value;
	w->id = id;
	for (int i = 0; i < nsig; i++) {
		make_id(id[i], (unsigned)i);
		width[i] = tr->sig[i].width ? tr->sig[i].width : 1;
	}

	FILE *f = w->af.f;
	/* No wall-clock date: the same run gives the same file. */
	fputs("$date\n\tsimulated\n$end\n", f);
	fputs("$version tzsim $end\n", f);
	fprintf(f, "$comment scenario %s seed %" PRIu64 " $end\n",
		meta && meta->scenario && *meta->scenario ? meta->scenario : "-", meta ? meta->seed : 0);
	fputs("$timescale 1ps $end\n", f);
	for (int i = 0; i < nsig; i++) {
		if (done[i])
			continue;
		const char *scope = tr->sig[i].scope;
		fputs("$scope module ", f);
		put_token(f, scope);
		fputs(" $end\n", f);
		for (int j = i; j < nsig; j++) {
			if (done[j] || strcmp(tr->sig[j].scope, scope) != 0)
				continue;
			done[j] = true;
			if (width[j] == 1)
				fprintf(f, "$var wire 1 %s ", id[j]);
			else
				fprintf(f, "$var reg %u %s ", width[j], id[j]);
			put_token(f, tr->sig[j].name);
			fputs(" $end\n", f);
		}
		fputs("$upscope $end\n", f);
	}
	fputs("$enddefinitions $end\n$dumpvars\n", f);
	for (int i = 0; i < nsig; i++)
		put_value(f, width[i], 0, id[i]);
	fputs("$end\n", f);
	free(done);
	return w;

fail:
	free(w);
	free(buf);
	free(width);
	free(value);
	free(id);
	free(done);
	return NULL;
}

void out_vcd_sink(void *ctx, const struct sim_rec *r)
{
	struct out_vcd *w = ctx;
	if (r->kind != TR_WIRE && r->kind != TR_VALUE)
		return;
	if (r->a >= (uint64_t)w->nsig)
		return; /* registered after open: not declared */
	unsigned s = (unsigned)r->a;
	uint64_t v = w->width[s] == 1 ? (r->b != 0) : (r->b & mask_of(w->width[s]));
	if (v == w->value[s])
		return;
	w->value[s] = v;
	/* VCD time never goes back; a late record lands at the current time */
	if (!w->have_t || r->t > w->t) {
		w->have_t = true;
		w->t = r->t;
		fprintf(w->af.f, "#%" PRIu64 "\n", r->t);
	}
	put_value(w->af.f, w->width[s], v, w->id[s]);
}

int out_vcd_close(struct out_vcd *w, bool commit)
{
	if (!w)
		return -1;
	int rc = -1;
	if (commit)
		rc = atomic_file_commit(&w->af, NULL, 0);
	else
		atomic_file_abort(&w->af);
	free(w->buf);
	free(w->width);
	free(w->value);
	free(w->id);
	free(w);
	return rc;
}
