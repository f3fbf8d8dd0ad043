// SPDX-License-Identifier: BSD-3-Clause
/*
 * Record hash v1: xxh64's constants and its 8-byte lane step
 * (acc ^= round(0, lane); acc = rotl(acc, 27) * P1 + P4) over the record's
 * canonical 64-bit words, then xxh64's avalanche. The stream digest folds
 * the record hashes with the same step and avalanches with the count.
 * Changing any of this changes every golden file: bump the version line.
 */
#include "sim/out/digest.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/out/atomic_file.h"

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

#define GOLDEN_MAGIC "tzsim-golden v1"
#define GOLDEN_LINE 76

struct digest {
	uint64_t acc;
	uint64_t n;
	uint8_t *h24; /* 3 bytes a record, most significant first */
	size_t cap;   /* records */
	bool lost;    /* the list could not grow */
	bool flat;    /* digest_new_flat: no list kept at all */
};

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t lane(uint64_t acc, uint64_t w)
{
	uint64_t k = rotl(w * P2, 31) * P1;
	return rotl(acc ^ k, 27) * P1 + P4;
}

static inline uint64_t avalanche(uint64_t h)
{
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

/* inlined into digest_sink, the per-record hot path */
static inline __attribute__((always_inline)) uint64_t rec_hash(const struct sim_rec *r)
{
	size_t len = r->label ? strlen(r->label) : 0;
	uint64_t h = P5;
	h = lane(h, r->t);
	h = lane(h, (uint64_t)r->kind | (uint64_t)(uint32_t)r->cpu << 32);
	h = lane(h, (uint64_t)r->world | (uint64_t)r->notif << 32);
	h = lane(h, r->a);
	h = lane(h, r->b);
	h = lane(h, r->c);
	h = lane(h, r->d);
	/* NULL and "" differ: the length word of NULL is all ones */
	h = lane(h, r->label ? (uint64_t)len : UINT64_MAX);
	const unsigned char *p = (const unsigned char *)r->label;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(&w, p + i, 8);
#else
		w = 0;
		for (size_t j = 0; j < 8; j++)
			w |= (uint64_t)p[i + j] << (8 * j);
#endif
		h = lane(h, w);
	}
	if (i < len) {
		uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* 1 to 7 bytes: at most one 4-, one 2- and one 1-byte load */
		size_t k = len - i, o = 0;
		if (k & 4) {
			uint32_t v;
			memcpy(&v, p + i, 4);
			w = v;
			o = 4;
		}
		if (k & 2) {
			uint16_t v;
			memcpy(&v, p + i + o, 2);
			w |= (uint64_t)v << (8 * o);
			o += 2;
		}
		if (k & 1)
			w |= (uint64_t)p[i + o] << (8 * o);
#else
		for (size_t j = 0; i + j < len; j++)
			w |= (uint64_t)p[i + j] << (8 * j); /* little-endian, zero padded */
#endif
		h = lane(h, w);
	}
	return avalanche(h);
}

uint64_t digest_rec_hash(const struct sim_rec *r) { return rec_hash(r); }

struct digest *digest_new(void)
{
	struct digest *d = calloc(1, sizeof(*d));
	if (d)
		d->acc = P5;
	return d;
}

struct digest *digest_new_flat(void)
{
	struct digest *d = digest_new();
	if (d)
		d->flat = d->lost = true;
	return d;
}

void digest_free(struct digest *d)
{
	if (!d)
		return;
	free(d->h24);
	free(d);
}

void digest_sink(void *ctx, const struct sim_rec *r)
{
	struct digest *d = ctx;
	uint64_t h = rec_hash(r);
	d->acc = lane(d->acc, h);
	if (!d->lost && d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4096;
		uint8_t *p = realloc(d->h24, cap * 3);
		if (p) {
			d->h24 = p;
			d->cap = cap;
		} else {
			d->lost = true;
			free(d->h24);
			d->h24 = NULL;
			d->cap = 0;
		}
	}
	if (!d->lost) {
		uint8_t *q = d->h24 + d->n * 3;
		q[0] = (uint8_t)(h >> 56);
		q[1] = (uint8_t)(h >> 48);
		q[2] = (uint8_t)(h >> 40);
	}
	d->n++;
}

uint64_t digest_value(const struct digest *d) { return avalanche(lane(d->acc, d->n)); }
uint64_t digest_count(const struct digest *d) { return d->n; }

uint32_t digest_record_hash24(const struct digest *d, uint64_t i)
{
	if (d->lost || i >= d->n)
		return 0;
	const uint8_t *q = d->h24 + i * 3;
	return (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
}

/* ---- golden files -------------------------------------------------------- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_val(int c)
{
	const char *p = c ? strchr(b64, c) : NULL;
	return p ? (int)(p - b64) : -1;
}

int digest_write_golden(const char *path, const struct digest *d)
{
	if (d->lost) {
		errno = d->flat ? EINVAL : ENOMEM;
		return -1;
	}
	struct atomic_file af;
	if (atomic_file_open(&af, path, NULL, 0) != 0)
		return -1;
	FILE *f = af.f;
	fprintf(f, GOLDEN_MAGIC "\ndigest %016" PRIx64 "\nrecords %" PRIu64 "\nhashes\n", digest_value(d), d->n);
	int col = 0;
	for (uint64_t i = 0; i < d->n; i++) {
		const uint8_t *q = d->h24 + i * 3;
		uint32_t v = (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
		char c[4] = { b64[v >> 18 & 63], b64[v >> 12 & 63], b64[v >> 6 & 63], b64[v & 63] };
		fwrite(c, 1, 4, f);
		col += 4;
		if (col == GOLDEN_LINE) {
			fputc('\n', f);
			col = 0;
		}
	}
	if (col)
		fputc('\n', f);
	return atomic_file_commit(&af, NULL, 0);
}

static int bad(char *err, size_t errlen, const char *path, const char *what, uint64_t line)
{
	if (err && errlen)
		snprintf(err, errlen, "%s:%" PRIu64 ": %s", path, line, what);
	return -1;
}

/* One line without its newline (and '\r'); NULL at end of file. */
static char *next_line(FILE *f, char **buf, size_t *cap)
{
	ssize_t n = getline(buf, cap, f);
	if (n < 0)
		return NULL;
	while (n > 0 && ((*buf)[n - 1] == '\n' || (*buf)[n - 1] == '\r'))
		(*buf)[--n] = '\0';
	return *buf;
}

static int compare(FILE *f, const char *path, const struct digest *d, uint64_t *first_diff, char *err,
		   size_t errlen, char **buf, size_t *cap)
{
	uint64_t lineno = 1, old_digest = 0, old_n = 0;
	char *l = next_line(f, buf, cap);
	if (!l || strcmp(l, GOLDEN_MAGIC) != 0)
		return bad(err, errlen, path, "not a tzsim-golden v1 file", lineno);
	lineno++;
	char tail;
	if (!(l = next_line(f, buf, cap)) || strlen(l) != 7 + 16 || strspn(l + 7, "0123456789abcdef") != 16 ||
	    sscanf(l, "digest %16" SCNx64 "%c", &old_digest, &tail) != 1)
		return bad(err, errlen, path, "expected `digest <16 hex digits>`", lineno);
	lineno++;
	if (!(l = next_line(f, buf, cap)) || strncmp(l, "records ", 8) != 0 || l[8] < '0' || l[8] > '9' ||
	    sscanf(l, "records %" SCNu64 "%c", &old_n, &tail) != 1)
		return bad(err, errlen, path, "expected `records <n>`", lineno);
	lineno++;
	if (!(l = next_line(f, buf, cap)) || strcmp(l, "hashes") != 0)
		return bad(err, errlen, path, "expected `hashes`", lineno);

	/* Stream the hash list: flat memory however long the golden run. */
	uint64_t k = 0, diff = UINT64_MAX;
	while ((l = next_line(f, buf, cap))) {
		lineno++;
		size_t len = strlen(l);
		if (len % 4)
			return bad(err, errlen, path, "hash line length is not a multiple of 4", lineno);
		for (size_t i = 0; i < len; i += 4, k++) {
			int v0 = b64_val(l[i]), v1 = b64_val(l[i + 1]), v2 = b64_val(l[i + 2]), v3 = b64_val(l[i + 3]);
			if ((v0 | v1 | v2 | v3) < 0)
				return bad(err, errlen, path, "bad base64 in hash list", lineno);
			uint32_t h = (uint32_t)v0 << 18 | (uint32_t)v1 << 12 | (uint32_t)v2 << 6 | (uint32_t)v3;
			if (diff == UINT64_MAX && k < d->n && !d->lost && h != digest_record_hash24(d, k))
				diff = k;
		}
	}
	if (ferror(f))
		return bad(err, errlen, path, "read error", lineno);
	if (k != old_n)
		return bad(err, errlen, path, "hash list length differs from `records`", lineno);

	if (old_digest == digest_value(d) && old_n == d->n) {
		if (first_diff)
			*first_diff = d->n;
		return 0;
	}
	if (diff == UINT64_MAX && old_n != d->n && !d->lost)
		diff = old_n < d->n ? old_n : d->n;
	if (diff == UINT64_MAX && err && errlen)
		snprintf(err, errlen, "%s: digests differ but the difference cannot be located (%s)", path,
			 d->flat ? "record hashes not kept" : d->lost ? "record hashes lost" : "24-bit record hashes collide");
	if (first_diff)
		*first_diff = diff;
	return 1;
}

int digest_compare_golden(const char *path, const struct digest *d, uint64_t *first_diff_index, char *err,
			  size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t cap = 0;
	int rc = compare(f, path, d, first_diff_index, err, errlen, &buf, &cap);
	free(buf);
	fclose(f);
	return rc;
}

/* ---- second pass --------------------------------------------------------- */

void digest_capture_init(struct digest_capture *c, uint64_t index)
{
	memset(c, 0, sizeof(*c));
	c->index = index;
}

static void csv_text(char *out, size_t n, const struct sim_rec *r)
{
	out[0] = '\0';
	FILE *f = fmemopen(out, n, "w");
	if (!f)
		return;
	sim_rec_csv(f, r);
	fclose(f);
	out[n - 1] = '\0';
	size_t len = strlen(out);
	if (len && out[len - 1] == '\n')
		out[len - 1] = '\0';
}

void digest_capture_sink(void *ctx, const struct sim_rec *r)
{
	struct digest_capture *c = ctx;
	if (c->index > 0 && c->seen == c->index - 1) {
		csv_text(c->prev, sizeof(c->prev), r);
		c->have_prev = true;
	} else if (c->seen == c->index) {
		csv_text(c->at, sizeof(c->at), r);
		c->have_at = true;
	}
	c->seen++;
}
