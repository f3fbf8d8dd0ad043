// SPDX-License-Identifier: BSD-3-Clause
/*
 * Digest v2 (see digest.h): XXH3-64 (libxxhash) of the canonical record
 * stream, and XXH3-64 of each canonical record for the record-hash list.
 *
 * A canonical record is 64 bytes, little-endian:
 *    0 t (u64)   8 kind (u16)   10 code (u16)   12 cpu (i32)
 *   16 world (u32)   20 notif (u32)   24 a   32 b   40 c   48 d (u64 each)
 *   56 label: XXH3-64 of its bytes (no terminator); 0 for NULL (XXH3 of
 *      no bytes is not 0, so NULL and "" differ)
 * On a little-endian host, bytes 0..55 are struct sim_rec's own first 56
 * bytes (the static assertions below hold the layout to that). Labels
 * point to text that stays the same for the run (trace.h), so a label's
 * hash is remembered by its address: no strlen per record.
 *
 * Changing any of this changes every golden file: bump GOLDEN_MAGIC.
 */
#include "sim/out/digest.h"

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#if defined(__x86_64__) || defined(__i386__)
/* the bulk of the stream through libxxhash's widest vector unit (AVX2, AVX-512) */
#define XXH_DISPATCH_DISABLE_REPLACE
#include <xxh_x86dispatch.h>
#define stream_update XXH3_64bits_update_dispatch
#else
#define stream_update XXH3_64bits_update
#endif

#include "sim/out/atomic_file.h"
#include "sim/kernel/err.h"

#define GOLDEN_MAGIC "tzsim-golden v2"
#define GOLDEN_LINE 76

#define REC_BYTES SIM_LOG_REC_BYTES
#define BATCH 1024        /* records handed to XXH3 at once (64 KiB) */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define REC_IN_PLACE 1
_Static_assert(offsetof(struct sim_rec, kind) == 8 && offsetof(struct sim_rec, code) == 10 &&
		       offsetof(struct sim_rec, cpu) == 12 && offsetof(struct sim_rec, world) == 16 &&
		       offsetof(struct sim_rec, notif) == 20 && offsetof(struct sim_rec, a) == 24 &&
		       offsetof(struct sim_rec, d) == 48 && sizeof(sim_time) == 8,
	       "struct sim_rec's first 56 bytes are the canonical record");
#else
#define REC_IN_PLACE 0
#endif

struct digest {
	/*
	 * The batch's fast path (trace.h: sim_trace_log_put): own, from
	 * digest_sink, or the trace's, inline in sim_trace_emit, once
	 * digest_attach'ed. log->pos is the next record's place in buf, and it
	 * takes a record at pos < log->end: the batch's last slot without a
	 * hash list (that record flushes), buf itself with one (every record
	 * goes to sink_slow), set_lost keeps it; the log remembers the label
	 * words.
	 */
	struct sim_trace_log *log;
	XXH3_state_t *st;  /* the stream so far, up to buf */
	XXH3_state_t *tmp; /* digest_value's scratch copy */
	uint64_t flushed;  /* records handed to st */
	uint8_t *h24;      /* 3 bytes a record, most significant first */
	size_t cap;        /* records */
	bool lost;         /* the list could not grow */
	bool flat;         /* digest_new_flat: no list kept at all */
	uint64_t header;   /* digest_set_header */
	unsigned char buf[BATCH * REC_BYTES];
	struct sim_trace_log own;
};

#define unlikely(x) __builtin_expect(!!(x), 0)

static inline uint64_t label_hash(const char *s) { return s ? XXH3_64bits(s, strlen(s)) : 0; }

/*
 * The label word of @s, remembering it. NULL needs no case of its own:
 * its slot starts as { NULL, 0 } (calloc), and a miss stores label_hash(NULL),
 * which is 0.
 */
static inline uint64_t label_word(struct digest *d, const char *s)
{
	struct sim_trace_log *l = d->log;
	size_t i = sim_log_find(l, s);
	if (i < SIM_LOG_LABELS)
		return l->word[i];
	/* a label not remembered: its own slot if free, else the one beside it if free, else its
	 * own, the label there moving beside it (the one beside it is forgotten) */
	i = sim_log_slot(s);
	if (l->label[i] && !l->label[i ^ 1])
		i ^= 1;
	else if (l->label[i]) {
		l->label[i ^ 1] = l->label[i];
		l->word[i ^ 1] = l->word[i];
	}
	l->label[i] = s;
	l->word[i] = label_hash(s);
	return l->word[i];
}

#if !REC_IN_PLACE
static inline void put_le(unsigned char *q, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		q[i] = (unsigned char)(v >> (8 * i));
}
#endif

/* The canonical record of @r with label word @lw into @q[0..64). */
static inline void pack(unsigned char *q, const struct sim_rec *r, uint64_t lw)
{
#if REC_IN_PLACE
	memcpy(q, r, 56);
	memcpy(q + 56, &lw, 8);
#else
	put_le(q, r->t, 8);
	put_le(q + 8, r->kind, 2);
	put_le(q + 10, r->code, 2);
	put_le(q + 12, (uint32_t)r->cpu, 4);
	put_le(q + 16, r->world, 4);
	put_le(q + 20, r->notif, 4);
	put_le(q + 24, r->a, 8);
	put_le(q + 32, r->b, 8);
	put_le(q + 40, r->c, 8);
	put_le(q + 48, r->d, 8);
	put_le(q + 56, lw, 8);
#endif
}

uint64_t digest_rec_hash(const struct sim_rec *r)
{
	unsigned char q[REC_BYTES];
	pack(q, r, label_hash(r->label));
	return XXH3_64bits(q, sizeof(q));
}

/* Set d->lost (the record-hash list is not, or no longer, kept) and the fast path's end with it. */
static void set_lost(struct digest *d, bool lost)
{
	d->lost = lost;
	d->log->end = lost ? d->buf + sizeof(d->buf) - REC_BYTES : d->buf;
}

static void sink_slow(void *ctx, const struct sim_rec *r);

static struct digest *make(bool flat)
{
	struct digest *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->st = XXH3_createState();
	d->tmp = XXH3_createState();
	if (!d->st || !d->tmp || XXH3_64bits_reset(d->st) != XXH_OK) {
		digest_free(d);
		return NULL;
	}
	d->log = &d->own;
	d->own.pos = d->buf;
	d->own.slow = sink_slow;
	d->own.ctx = d;
	d->flat = flat;
	set_lost(d, flat);
	return d;
}

struct digest *digest_new(void) { return make(false); }
struct digest *digest_new_flat(void) { return make(true); }

void digest_free(struct digest *d)
{
	if (!d)
		return;
	XXH3_freeState(d->st);
	XXH3_freeState(d->tmp);
	free(d->h24);
	free(d);
}

uint64_t digest_count(const struct digest *d) { return d->flushed + (uint64_t)(d->log->pos - d->buf) / REC_BYTES; }

/* Keep the 24-bit hash of record @q (just packed, not yet counted as flushed). */
static __attribute__((noinline)) void keep_hash24(struct digest *d, const unsigned char *q)
{
	uint64_t i = digest_count(d);
	if (i == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 4096;
		uint8_t *p = realloc(d->h24, cap * 3);
		if (!p) {
			set_lost(d, true);
			free(d->h24);
			d->h24 = NULL;
			d->cap = 0;
			return;
		}
		d->h24 = p;
		d->cap = cap;
	}
	uint64_t h = XXH3_64bits(q, REC_BYTES);
	uint8_t *o = d->h24 + i * 3;
	o[0] = (uint8_t)(h >> 56);
	o[1] = (uint8_t)(h >> 48);
	o[2] = (uint8_t)(h >> 40);
}

static __attribute__((noinline)) void flush(struct digest *d)
{
	stream_update(d->st, d->buf, sizeof(d->buf));
	d->flushed += BATCH;
	d->log->pos = d->buf;
}

/* The fast path's every other case: a label not remembered, the hash list kept, a full batch. */
static __attribute__((noinline)) void sink_slow(void *ctx, const struct sim_rec *r)
{
	struct digest *d = ctx;
	unsigned char *q = d->log->pos;
	pack(q, r, label_word(d, r->label));
	if (!d->lost)
		keep_hash24(d, q);
	d->log->pos = q + REC_BYTES;
	if (d->log->pos == d->buf + sizeof(d->buf))
		flush(d);
}

#if REC_IN_PLACE
/*
 * The per-record hot path: a remembered label, no hash list (tzsim run
 * without a golden file), room in the batch. It calls nothing, so it
 * saves no registers; everything else goes to sink_slow. digest_attach
 * puts the same inline in sim_trace_emit: no call at all.
 */
void digest_sink(void *ctx, const struct sim_rec *r)
{
	struct digest *d = ctx;
	sim_trace_log_put(d->log, r);
}

/* The trace drops its log (sim_trace_free): the batch goes on in the digest's own. */
static void log_dropped(void *ctx)
{
	struct digest *d = ctx;
	d->own.pos = d->log->pos;
	d->own.end = d->log->end;
	d->log = &d->own;
}

int digest_attach(struct digest *d, struct sim_trace *tr)
{
	struct sim_trace_log *l;
	if (d->log != &d->own || !(l = sim_trace_take_log(tr, sink_slow, log_dropped, d)))
		return -1;
	l->pos = d->own.pos;
	l->end = d->own.end;
	d->log = l;
	return 0;
}
#else
/* The canonical record is not struct sim_rec's bytes: every record is packed by sink_slow. */
void digest_sink(void *ctx, const struct sim_rec *r) { sink_slow(ctx, r); }

int digest_attach(struct digest *d, struct sim_trace *tr) { return sim_trace_add_sink(tr, digest_sink, d); }
#endif

void digest_set_header(struct digest *d, uint64_t n) { d->header = n; }

uint64_t digest_value(const struct digest *d)
{
	XXH3_copyState(d->tmp, d->st);
	stream_update(d->tmp, d->buf, (size_t)(d->log->pos - d->buf));
	return XXH3_64bits_digest(d->tmp);
}

uint32_t digest_record_hash24(const struct digest *d, uint64_t i)
{
	if (d->lost || i >= digest_count(d))
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
	fprintf(f, GOLDEN_MAGIC "\ndigest %016" PRIx64 "\nrecords %" PRIu64 "\nhashes\n", digest_value(d), digest_count(d));
	int col = 0;
	for (uint64_t i = 0; i < digest_count(d); i++) {
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
	return sim_fail(err, errlen, "%s:%" PRIu64 ": %s", path, line, what);
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
	uint64_t lineno = 1, old_digest = 0, old_n = 0, n = digest_count(d);
	char *l = next_line(f, buf, cap);
	if (!l || strcmp(l, GOLDEN_MAGIC) != 0)
		return bad(err, errlen, path, "not a " GOLDEN_MAGIC " file", lineno);
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
	uint64_t k = 0, diff = UINT64_MAX, hdiff = UINT64_MAX;
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
			if (diff == UINT64_MAX && k < n && !d->lost && h != digest_record_hash24(d, k)) {
				if (k >= d->header)
					diff = k;
				else if (hdiff == UINT64_MAX)
					hdiff = k; /* a header record: reported if nothing after it differs */
			}
		}
	}
	if (ferror(f))
		return bad(err, errlen, path, "read error", lineno);
	if (k != old_n)
		return bad(err, errlen, path, "hash list length differs from `records`", lineno);

	if (old_digest == digest_value(d) && old_n == n) {
		if (first_diff)
			*first_diff = n;
		return 0;
	}
	if (diff == UINT64_MAX && old_n != n && !d->lost)
		diff = old_n < n ? old_n : n;
	if (diff == UINT64_MAX)
		diff = hdiff;
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
		return sim_fail(err, errlen, "%s: %s", path, strerror(errno));
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
