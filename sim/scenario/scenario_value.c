// SPDX-License-Identifier: BSD-3-Clause
/*
 * The scenario validator's readers: the key path of the node being
 * checked, the one-line messages that name it, "did you mean" for names
 * and keys, and the checks of one node's shape (mapping, sequence, scalar)
 * and value (integers, names, paths, enums, times, frequencies).
 *
 * Each reader checks one node and either stores its value or writes the
 * first problem to the context's diagnostic and returns -1. It reads
 * nothing but the node, the context and (for cpu numbers) platform.cpus.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_internal.h"

/* ---- messages ---------------------------------------------------------------------------- */

/* snprintf into the diagnostic, truncating quietly: a message is never worth failing over. */
void scn_diag_set(struct sim_diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	/* One line, whatever the keys and values quoted in it contain. */
	for (char *p = d->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

static int vfail(struct vctx *c, const struct ynode *n, const char *fmt, va_list ap)
{
	char what[400];
	vsnprintf(what, sizeof(what), fmt, ap);
	const char *sep = c->plen ? ": " : "";
	if (n && n->origin) {
		const char *o = c->ovr[n->origin - 1], *eq = strchr(o, '=');
		size_t klen = eq ? (size_t)(eq - o) : strlen(o);
		bool same = klen == c->plen && !strncmp(o, c->path, klen);
		scn_diag_set(c->diag, "--vary %s: %s%s%s", o, same ? "" : c->path,
			     same ? "" : sep, what);
	} else if (n) {
		scn_diag_set(c->diag, "%s:%u:%u: %s%s%s", c->file, n->line, n->col, c->path,
			     sep, what);
	} else {
		scn_diag_set(c->diag, "%s: %s%s%s", c->file, c->path, sep, what);
	}
	return -1;
}

int scn_fail(struct vctx *c, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(c, n, fmt, ap);
	va_end(ap);
	return -1;
}

size_t scn_push_key(struct vctx *c, const char *k)
{
	size_t mark = c->plen;
	int w = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "%s%.64s", c->plen ? "." : "", k);
	if (w > 0)
		c->plen = strlen(c->path);
	return mark;
}

size_t scn_push_idx(struct vctx *c, size_t i)
{
	size_t mark = c->plen;
	snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "[%zu]", i);
	c->plen = strlen(c->path);
	return mark;
}

void scn_pop(struct vctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = 0;
}
/* ---- suggestions --------------------------------------------------------------------------- */

static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

/* Optimal string alignment distance, ignoring ASCII case; words over 63 bytes are "far". */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 100;
	unsigned d[64][64];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned cost = lower(a[i - 1]) != lower(b[j - 1]);
			unsigned v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The candidate closest to @word, if close enough to be a likely typo; else NULL. */
const char *scn_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned best_d = 100;
	for (size_t i = 0; i < n; i++) {
		unsigned d = edit_distance(word, cands[i]);
		size_t len = strlen(cands[i]);
		unsigned limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
		if (d <= limit && d < strlen(word) && d < best_d) {
			best = cands[i];
			best_d = d;
		}
		if (d == 0 && strcmp(word, cands[i]))
			return cands[i]; /* differs only in case */
	}
	return best;
}

/* "a, b, c" into @buf. */
static const char *join(char *buf, size_t size, const char *const *names, size_t n)
{
	size_t off = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && off < size; i++) {
		int w = snprintf(buf + off, size - off, "%s%s", i ? ", " : "", names[i]);
		if (w < 0)
			break;
		off += (size_t)w;
	}
	return buf;
}

static size_t count_names(const char *const *names)
{
	size_t n = 0;
	while (names[n])
		n++;
	return n;
}
/* ---- node shapes -------------------------------------------------------------------------- */

bool scn_is_null(const struct ynode *n)
{
	return n->kind == YNODE_SCALAR && !n->quoted &&
	       (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") || !strcmp(n->str, "Null") ||
		!strcmp(n->str, "NULL"));
}

int scn_type_error(struct vctx *c, const struct ynode *n, const char *want)
{
	if (scn_is_null(n))
		return scn_fail(c, n, "expected %s, found an empty value", want);
	return scn_fail(c, n, "expected %s, found %s", want, ynode_kind_name(n->kind));
}

/* A non-empty scalar without NUL bytes. */
int scn_want_scalar(struct vctx *c, const struct ynode *n, const char *want)
{
	if (n->kind != YNODE_SCALAR || scn_is_null(n))
		return scn_type_error(c, n, want);
	if (n->len != strlen(n->str))
		return scn_fail(c, n, "contains a NUL character");
	return 0;
}

int scn_want_seq(struct vctx *c, const struct ynode *n, const char *want, size_t lo, size_t hi)
{
	if (n->kind != YNODE_SEQ)
		return scn_type_error(c, n, want);
	if (n->n < lo)
		return scn_fail(c, n, "needs at least %zu item%s", lo, lo == 1 ? "" : "s");
	if (n->n > hi)
		return scn_fail(c, n, "has %zu items; at most %zu are allowed", n->n, hi);
	return 0;
}

/*
 * A mapping whose keys are all in @keys (NULL-terminated) and appear once.
 * Unknown keys are checked before duplicates, so the loop ends after at
 * most |keys| + 1 pairs whatever the input.
 */
int scn_check_map(struct vctx *c, const struct ynode *n, const char *const *keys)
{
	if (n->kind != YNODE_MAP)
		return scn_type_error(c, n, "a mapping");
	size_t nk = count_names(keys);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *k = n->key[i];
		if (k->kind != YNODE_SCALAR || k->len != strlen(k->str))
			return scn_fail(c, k, "a key must be a plain string, found %s", ynode_kind_name(k->kind));
		bool known = false;
		for (size_t j = 0; j < nk && !known; j++)
			known = !strcmp(k->str, keys[j]);
		size_t mark = scn_push_key(c, k->str);
		if (!known) {
			char list[768];
			const char *s = scn_suggest(k->str, keys, nk);
			if (s)
				return scn_fail(c, k, "unknown key; did you mean '%s'?", s);
			return scn_fail(c, k, "unknown key (expected one of: %s)", join(list, sizeof(list), keys, nk));
		}
		for (size_t j = 0; j < i; j++) {
			const struct ynode *first = n->key[j];
			if (strcmp(first->str, k->str))
				continue;
			if (first->origin)
				return scn_fail(c, k, "duplicate key (first set by --vary %s)",
						c->ovr[first->origin - 1]);
			return scn_fail(c, k, "duplicate key (first at line %u)", first->line);
		}
		scn_pop(c, mark);
	}
	return 0;
}

/* The single key of a one-key mapping such as `arrival` or a cost distribution. */
int scn_one_key(struct vctx *c, const struct ynode *n, const char *const *keys, size_t *which)
{
	char list[256];
	if (n->kind != YNODE_MAP)
		return scn_type_error(c, n, "a mapping");
	if (scn_check_map(c, n, keys))
		return -1;
	if (n->n == 0)
		return scn_fail(c, n, "empty mapping; expected exactly one of: %s",
				join(list, sizeof(list), keys, count_names(keys)));
	if (n->n > 1) {
		size_t mark = scn_push_key(c, n->key[1]->str);
		scn_fail(c, n->key[1], "'%s' and '%s' both given; expected exactly one of: %s", n->key[0]->str,
			 n->key[1]->str, join(list, sizeof(list), keys, count_names(keys)));
		scn_pop(c, mark);
		return -1;
	}
	for (size_t j = 0; keys[j]; j++)
		if (!strcmp(n->key[0]->str, keys[j]))
			*which = j;
	return 0;
}

int scn_missing(struct vctx *c, const struct ynode *map, const char *key)
{
	size_t mark = scn_push_key(c, key);
	scn_fail(c, map, "missing required key");
	scn_pop(c, mark);
	return -1;
}
/* Each of the keys @req (NULL-terminated) must be in the mapping @m. */
int scn_require(struct vctx *c, const struct ynode *m, const char *const *req)
{
	for (; *req; req++)
		if (!ynode_get(m, *req, NULL))
			return scn_missing(c, m, *req);
	return 0;
}

/* ---- scalars ------------------------------------------------------------------------------- */

int scn_get_int(struct vctx *c, const struct ynode *n, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (scn_want_scalar(c, n, "an integer"))
		return -1;
	const char *s = n->str;
	uint64_t v;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		char *end;
		errno = 0;
		v = strtoull(s + 2, &end, 16);
		if (end == s + 2 || *end || errno)
			return scn_fail(c, n, "expected an integer, found '%s'", s);
	} else {
		double d;
		int rc = sim_parse_number(s, &d);
		if (rc || d != floor(d))
			return scn_fail(c, n, "expected an integer, found '%s'", s);
		if (d < (double)lo || d > (double)hi)
			return scn_fail(c, n, "%s is out of range %llu..%llu", s, (unsigned long long)lo,
					(unsigned long long)hi);
		v = (uint64_t)d;
	}
	if (v < lo || v > hi)
		return scn_fail(c, n, "%s is out of range %llu..%llu", s, (unsigned long long)lo,
				(unsigned long long)hi);
	*out = v;
	return 0;
}

int scn_get_uint(struct vctx *c, const struct ynode *n, unsigned lo, unsigned hi, unsigned *out)
{
	uint64_t v = 0;
	if (scn_get_int(c, n, lo, hi, &v))
		return -1;
	*out = (unsigned)v;
	return 0;
}

int scn_get_cpu(struct vctx *c, const struct ynode *n, unsigned *out)
{
	uint64_t v = 0;
	if (scn_get_int(c, n, 0, UINT32_MAX, &v))
		return -1;
	if (v >= c->s->platform.cpus)
		return scn_fail(c, n, "cpu %llu does not exist (platform.cpus is %u, so cpus are 0..%u)",
				(unsigned long long)v, c->s->platform.cpus, c->s->platform.cpus - 1);
	*out = (unsigned)v;
	return 0;
}

int scn_get_u64(struct vctx *c, const struct ynode *n, uint64_t *out)
{
	if (scn_want_scalar(c, n, "an unsigned 64-bit integer"))
		return -1;
	const char *s = n->str;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	char *end;
	if (!(*digits >= '0' && *digits <= '9') && !(hex && strchr("abcdefABCDEF", *digits) && *digits))
		return scn_fail(c, n, "expected an unsigned 64-bit integer, found '%s'", s);
	errno = 0;
	uint64_t v = strtoull(digits, &end, hex ? 16 : 10);
	if (*end)
		return scn_fail(c, n, "expected an unsigned 64-bit integer, found '%s'", s);
	if (errno == ERANGE)
		return scn_fail(c, n, "%s is out of range 0..18446744073709551615", s);
	*out = v;
	return 0;
}

int scn_get_enum(struct vctx *c, const struct ynode *n, const char *const *names, unsigned *out)
{
	char list[256];
	size_t nn = count_names(names);
	join(list, sizeof(list), names, nn);
	if (n->kind != YNODE_SCALAR)
		return scn_fail(c, n, "expected one of: %s; found %s", list, ynode_kind_name(n->kind));
	if (scn_is_null(n))
		return scn_fail(c, n, "expected one of: %s; found an empty value", list);
	for (size_t i = 0; i < nn; i++) {
		if (!strcmp(n->str, names[i])) {
			*out = (unsigned)i;
			return 0;
		}
	}
	const char *s = scn_suggest(n->str, names, nn);
	if (s)
		return scn_fail(c, n, "bad value '%.64s'; did you mean '%s'? (expected one of: %s)", n->str, s, list);
	return scn_fail(c, n, "bad value '%.64s' (expected one of: %s)", n->str, list);
}

int scn_find_named(struct vctx *c, const struct ynode *n, const char *what, const char *const *names,
		  size_t count, unsigned *out)
{
	char list[768];
	if (scn_want_scalar(c, n, "a name"))
		return -1;
	for (size_t i = 0; i < count; i++)
		if (!strcmp(n->str, names[i])) {
			*out = (unsigned)i;
			return 0;
		}
	const char *s = scn_suggest(n->str, names, count);
	if (s)
		return scn_fail(c, n, "unknown %s '%.64s'; did you mean '%s'?", what, n->str, s);
	if (!count)
		return scn_fail(c, n, "unknown %s '%.64s' (the scenario defines none)", what, n->str);
	return scn_fail(c, n, "unknown %s '%.64s' (defined: %s)", what, n->str, join(list, sizeof(list), names, count));
}

int scn_get_bool(struct vctx *c, const struct ynode *n, bool *out)
{
	static const char *const t[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", NULL };
	static const char *const f[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", NULL };
	if (scn_want_scalar(c, n, "true or false"))
		return -1;
	for (size_t i = 0; t[i]; i++) {
		if (!strcmp(n->str, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(n->str, f[i])) {
			*out = false;
			return 0;
		}
	}
	return scn_fail(c, n, "expected true or false, found '%.64s'", n->str);
}

/* [A-Za-z0-9_.-]{1,64} */
bool scn_good_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SCENARIO_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '.' || *s == '-'))
			return false;
	return true;
}

int scn_get_name(struct vctx *c, const struct ynode *n, char *out)
{
	if (scn_want_scalar(c, n, "a name"))
		return -1;
	if (!scn_good_name(n->str))
		return scn_fail(c, n, "bad name '%.64s%s': use 1 to 64 of A-Z a-z 0-9 _ . -", n->str,
				strlen(n->str) > 64 ? "..." : "");
	snprintf(out, SCENARIO_NAME_MAX + 1, "%s", n->str);
	return 0;
}

int scn_get_text(struct vctx *c, const struct ynode *n, char *out, size_t size)
{
	if (n->kind != YNODE_SCALAR)
		return scn_type_error(c, n, "a string");
	if (n->len != strlen(n->str))
		return scn_fail(c, n, "contains a NUL character");
	if (n->len >= size)
		return scn_fail(c, n, "too long (%zu bytes; at most %zu)", n->len, size - 1);
	memcpy(out, n->str, n->len + 1);
	return 0;
}

int scn_get_path(struct vctx *c, const struct ynode *n, char *out)
{
	if (scn_want_scalar(c, n, "a path"))
		return -1;
	int w;
	if (n->str[0] == '/' || !c->dir[0])
		w = snprintf(out, SCENARIO_PATH_MAX, "%s", n->str);
	else
		w = snprintf(out, SCENARIO_PATH_MAX, "%s/%s", c->dir, n->str);
	if (w < 0 || w >= SCENARIO_PATH_MAX)
		return scn_fail(c, n, "path too long (at most %d bytes once resolved)", SCENARIO_PATH_MAX - 1);
	return 0;
}

static const char *qty_want(enum sim_qty_kind kind)
{
	switch (kind) {
	case SIM_QTY_TIME:
		return "a time with a unit, e.g. 40us";
	case SIM_QTY_FREQ:
		return "a frequency with a unit, e.g. 2kHz";
	case SIM_QTY_CYCLES:
		return "cycles, e.g. 800 cycles";
	default:
		return "a number";
	}
}

static const char *qty_kind_name(enum sim_qty_kind kind)
{
	switch (kind) {
	case SIM_QTY_TIME:
		return "a time";
	case SIM_QTY_FREQ:
		return "a frequency";
	case SIM_QTY_CYCLES:
		return "a cycle count";
	default:
		return "a plain number";
	}
}

/* The message for a failed sim_parse_* of @n, which wanted @kind (or @want, when set). */
int scn_qty_error(struct vctx *c, const struct ynode *n, enum sim_qty_kind kind, const char *want, int rc)
{
	struct sim_qty q;
	const char *s = n->str;
	if (!want)
		want = qty_want(kind);
	switch (rc) {
	case SIM_UNITS_EUNKNOWN: {
		sim_qty_parse(s, &q);
		const char *fix = sim_units_match_nocase(q.unit, q.unit_len, kind);
		if (fix)
			return scn_fail(c, n, "unknown unit '%.*s'; did you mean '%s'?", (int)q.unit_len, q.unit, fix);
		if (kind == SIM_QTY_NUMBER)
			return scn_fail(c, n, "unknown unit '%.*s'; expected %s", (int)q.unit_len, q.unit, want);
		return scn_fail(c, n, "unknown unit '%.*s' (expected %s)", (int)q.unit_len, q.unit,
				sim_units_list(kind));
	}
	case SIM_UNITS_EKIND:
		sim_qty_parse(s, &q);
		return scn_fail(c, n, "'%.64s' is %s; expected %s", s, qty_kind_name(q.kind), want);
	case SIM_UNITS_ENEGATIVE:
		return scn_fail(c, n, "'%.64s' is negative; expected %s", s, want);
	case SIM_UNITS_EOVERFLOW:
		return scn_fail(c, n, "'%.64s' is too large", s);
	default:
		return scn_fail(c, n, "expected %s, found '%.64s'", want, s);
	}
}

int scn_get_time(struct vctx *c, const struct ynode *n, bool allow_zero, sim_time *out)
{
	if (scn_want_scalar(c, n, qty_want(SIM_QTY_TIME)))
		return -1;
	int rc = sim_parse_time(n->str, out);
	if (rc)
		return scn_qty_error(c, n, SIM_QTY_TIME, NULL, rc);
	if (!allow_zero && *out == 0)
		return scn_fail(c, n, "must be greater than 0");
	if (*out > SCENARIO_MAX_TIME)
		return scn_fail(c, n, "%.64s is out of range %s..3600s (times are at most 1 hour)", n->str,
				allow_zero ? "0" : "1ps");
	return 0;
}

const char *scn_fmt_freq(char *buf, size_t len, uint64_t hz)
{
	static const struct {
		uint64_t scale;
		const char *unit;
	} u[] = { { 1000000000, "GHz" }, { 1000000, "MHz" }, { 1000, "kHz" }, { 1, "Hz" } };
	for (size_t i = 0; i < 4; i++)
		if (hz >= u[i].scale || i == 3) {
			snprintf(buf, len, "%.6g%s", (double)hz / (double)u[i].scale, u[i].unit);
			break;
		}
	return buf;
}

const char *scn_fmt_time(char *buf, size_t len, sim_time ps)
{
	static const struct {
		uint64_t scale;
		const char *unit;
	} u[] = { { SIM_S, "s" }, { SIM_MS, "ms" }, { SIM_US, "us" }, { SIM_NS, "ns" }, { 1, "ps" } };
	for (size_t i = 0; i < 5; i++)
		if (ps >= u[i].scale || i == 4) {
			snprintf(buf, len, "%.6g%s", (double)ps / (double)u[i].scale, u[i].unit);
			break;
		}
	return buf;
}

uint64_t scn_max_rate(const struct vctx *c)
{
	uint64_t r = c->s->platform.costs.clock.hz / SCENARIO_RATE_CYCLES;
	return r ? r : 1;
}

sim_time scn_min_period(const struct vctx *c)
{
	/* SCENARIO_RATE_CYCLES cycles, rounded up to a whole ps */
	uint64_t hz = c->s->platform.costs.clock.hz;
	return (sim_time)((SCENARIO_RATE_CYCLES * SIM_S + hz - 1) / hz);
}

int scn_get_rate(struct vctx *c, const struct ynode *n, uint64_t *out)
{
	if (scn_get_freq(c, n, 1, UINT64_MAX, out))
		return -1;
	if (*out > scn_max_rate(c)) {
		char hi[32], clk[32];
		return scn_fail(c, n,
				"%.64s is out of range 1Hz..%s (one arrival per %llu cycles of the %s PE clock at most: "
				"the platform cannot take its interrupts faster, and a run would only slow down)",
				n->str, scn_fmt_freq(hi, sizeof(hi), scn_max_rate(c)), SCENARIO_RATE_CYCLES,
				scn_fmt_freq(clk, sizeof(clk), c->s->platform.costs.clock.hz));
	}
	return 0;
}

int scn_get_freq(struct vctx *c, const struct ynode *n, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (scn_want_scalar(c, n, qty_want(SIM_QTY_FREQ)))
		return -1;
	int rc = sim_parse_freq(n->str, out);
	if (rc)
		return scn_qty_error(c, n, SIM_QTY_FREQ, NULL, rc);
	if (*out < lo || *out > hi) {
		if (lo == 1 && hi == UINT64_MAX)
			return scn_fail(c, n, "must be at least 1Hz");
		return scn_fail(c, n, "%s is out of range %s", n->str, lo == 1000000 ? "1MHz..10GHz" : "");
	}
	return 0;
}
