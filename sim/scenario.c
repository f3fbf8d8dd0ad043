// SPDX-License-Identifier: BSD-3-Clause
/*
 * The scenario loader: file -> ynode tree -> overrides -> validation.
 *
 * The validator walks the tree by hand, one function per schema section,
 * keeping the key path of the node it looks at so that every message can
 * name it. It stops at the first problem: a scenario is fixed and loaded
 * again, and the first error is the one worth reading.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "scenario.h"
#include "units.h"
#include "ynode.h"

#define MAX_FILE_BYTES (16u << 20)

struct vctx {
	const char *file;               /* for messages */
	char dir[SCENARIO_PATH_MAX];    /* relative paths resolve here ("" = as given) */
	const char *const *ovr;         /* the overrides, for messages */
	struct sim_diag *diag;
	char path[384];                 /* key path of the node being checked */
	size_t plen;
	struct scenario *s;
};

/* ---- messages ---------------------------------------------------------------------------- */

/* snprintf into the diagnostic, truncating quietly: a message is never worth failing over. */
__attribute__((format(printf, 2, 3))) static void diag_set(struct sim_diag *d, const char *fmt, ...)
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
		diag_set(c->diag, "--vary %s: %s%s%s", o, same ? "" : c->path,
			 same ? "" : sep, what);
	} else if (n) {
		diag_set(c->diag, "%s:%u:%u: %s%s%s", c->file, n->line, n->col, c->path,
			 sep, what);
	} else {
		diag_set(c->diag, "%s: %s%s%s", c->file, c->path, sep, what);
	}
	return -1;
}

__attribute__((format(printf, 3, 4))) static int fail(struct vctx *c, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(c, n, fmt, ap);
	va_end(ap);
	return -1;
}

static size_t push_key(struct vctx *c, const char *k)
{
	size_t mark = c->plen;
	int w = snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "%s%.64s", c->plen ? "." : "", k);
	if (w > 0)
		c->plen = strlen(c->path);
	return mark;
}

static size_t push_idx(struct vctx *c, size_t i)
{
	size_t mark = c->plen;
	snprintf(c->path + c->plen, sizeof(c->path) - c->plen, "[%zu]", i);
	c->plen = strlen(c->path);
	return mark;
}

static void pop(struct vctx *c, size_t mark)
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
static const char *suggest(const char *word, const char *const *cands, size_t n)
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

static bool is_null(const struct ynode *n)
{
	return n->kind == YNODE_SCALAR && !n->quoted &&
	       (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") || !strcmp(n->str, "Null") ||
		!strcmp(n->str, "NULL"));
}

static int type_error(struct vctx *c, const struct ynode *n, const char *want)
{
	if (is_null(n))
		return fail(c, n, "expected %s, found an empty value", want);
	return fail(c, n, "expected %s, found %s", want, ynode_kind_name(n->kind));
}

/* A non-empty scalar without NUL bytes. */
static int want_scalar(struct vctx *c, const struct ynode *n, const char *want)
{
	if (n->kind != YNODE_SCALAR || is_null(n))
		return type_error(c, n, want);
	if (n->len != strlen(n->str))
		return fail(c, n, "contains a NUL character");
	return 0;
}

static int want_seq(struct vctx *c, const struct ynode *n, const char *want, size_t lo, size_t hi)
{
	if (n->kind != YNODE_SEQ)
		return type_error(c, n, want);
	if (n->n < lo)
		return fail(c, n, "needs at least %zu item%s", lo, lo == 1 ? "" : "s");
	if (n->n > hi)
		return fail(c, n, "has %zu items; at most %zu are allowed", n->n, hi);
	return 0;
}

/*
 * A mapping whose keys are all in @keys (NULL-terminated) and appear once.
 * Unknown keys are checked before duplicates, so the loop ends after at
 * most |keys| + 1 pairs whatever the input.
 */
static int check_map(struct vctx *c, const struct ynode *n, const char *const *keys)
{
	if (n->kind != YNODE_MAP)
		return type_error(c, n, "a mapping");
	size_t nk = count_names(keys);
	for (size_t i = 0; i < n->n; i++) {
		const struct ynode *k = n->key[i];
		if (k->kind != YNODE_SCALAR || k->len != strlen(k->str))
			return fail(c, k, "a key must be a plain string, found %s", ynode_kind_name(k->kind));
		bool known = false;
		for (size_t j = 0; j < nk && !known; j++)
			known = !strcmp(k->str, keys[j]);
		size_t mark = push_key(c, k->str);
		if (!known) {
			char list[768];
			const char *s = suggest(k->str, keys, nk);
			if (s)
				return fail(c, k, "unknown key; did you mean '%s'?", s);
			return fail(c, k, "unknown key (expected one of: %s)", join(list, sizeof(list), keys, nk));
		}
		for (size_t j = 0; j < i; j++) {
			const struct ynode *first = n->key[j];
			if (strcmp(first->str, k->str))
				continue;
			if (first->origin)
				return fail(c, k, "duplicate key (first set by --vary %s)", c->ovr[first->origin - 1]);
			return fail(c, k, "duplicate key (first at line %u)", first->line);
		}
		pop(c, mark);
	}
	return 0;
}

/* The single key of a one-key mapping such as `arrival` or a cost distribution. */
static int one_key(struct vctx *c, const struct ynode *n, const char *const *keys, size_t *which)
{
	char list[256];
	if (n->kind != YNODE_MAP)
		return type_error(c, n, "a mapping");
	if (check_map(c, n, keys))
		return -1;
	if (n->n == 0)
		return fail(c, n, "empty mapping; expected exactly one of: %s",
			    join(list, sizeof(list), keys, count_names(keys)));
	if (n->n > 1) {
		size_t mark = push_key(c, n->key[1]->str);
		fail(c, n->key[1], "'%s' and '%s' both given; expected exactly one of: %s", n->key[0]->str,
		     n->key[1]->str, join(list, sizeof(list), keys, count_names(keys)));
		pop(c, mark);
		return -1;
	}
	for (size_t j = 0; keys[j]; j++)
		if (!strcmp(n->key[0]->str, keys[j]))
			*which = j;
	return 0;
}

static int missing(struct vctx *c, const struct ynode *map, const char *key)
{
	size_t mark = push_key(c, key);
	fail(c, map, "missing required key");
	pop(c, mark);
	return -1;
}

/* ---- scalars ------------------------------------------------------------------------------- */

static int get_int(struct vctx *c, const struct ynode *n, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (want_scalar(c, n, "an integer"))
		return -1;
	const char *s = n->str;
	uint64_t v;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		char *end;
		errno = 0;
		v = strtoull(s + 2, &end, 16);
		if (end == s + 2 || *end || errno)
			return fail(c, n, "expected an integer, found '%s'", s);
	} else {
		double d;
		int rc = sim_parse_number(s, &d);
		if (rc || d != floor(d))
			return fail(c, n, "expected an integer, found '%s'", s);
		if (d < (double)lo || d > (double)hi)
			return fail(c, n, "%s is out of range %llu..%llu", s, (unsigned long long)lo,
				    (unsigned long long)hi);
		v = (uint64_t)d;
	}
	if (v < lo || v > hi)
		return fail(c, n, "%s is out of range %llu..%llu", s, (unsigned long long)lo, (unsigned long long)hi);
	*out = v;
	return 0;
}

static int get_uint(struct vctx *c, const struct ynode *n, unsigned lo, unsigned hi, unsigned *out)
{
	uint64_t v;
	if (get_int(c, n, lo, hi, &v))
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int get_cpu(struct vctx *c, const struct ynode *n, unsigned *out)
{
	uint64_t v;
	if (get_int(c, n, 0, UINT32_MAX, &v))
		return -1;
	if (v >= c->s->platform.cpus)
		return fail(c, n, "cpu %llu does not exist (platform.cpus is %u, so cpus are 0..%u)",
			    (unsigned long long)v, c->s->platform.cpus, c->s->platform.cpus - 1);
	*out = (unsigned)v;
	return 0;
}

static int get_u64(struct vctx *c, const struct ynode *n, uint64_t *out)
{
	if (want_scalar(c, n, "an unsigned 64-bit integer"))
		return -1;
	const char *s = n->str;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	char *end;
	if (!(*digits >= '0' && *digits <= '9') && !(hex && strchr("abcdefABCDEF", *digits) && *digits))
		return fail(c, n, "expected an unsigned 64-bit integer, found '%s'", s);
	errno = 0;
	uint64_t v = strtoull(digits, &end, hex ? 16 : 10);
	if (*end)
		return fail(c, n, "expected an unsigned 64-bit integer, found '%s'", s);
	if (errno == ERANGE)
		return fail(c, n, "%s is out of range 0..18446744073709551615", s);
	*out = v;
	return 0;
}

static int get_enum(struct vctx *c, const struct ynode *n, const char *const *names, unsigned *out)
{
	char list[256];
	size_t nn = count_names(names);
	join(list, sizeof(list), names, nn);
	if (n->kind != YNODE_SCALAR)
		return fail(c, n, "expected one of: %s; found %s", list, ynode_kind_name(n->kind));
	if (is_null(n))
		return fail(c, n, "expected one of: %s; found an empty value", list);
	for (size_t i = 0; i < nn; i++) {
		if (!strcmp(n->str, names[i])) {
			*out = (unsigned)i;
			return 0;
		}
	}
	const char *s = suggest(n->str, names, nn);
	if (s)
		return fail(c, n, "bad value '%.64s'; did you mean '%s'? (expected one of: %s)", n->str, s, list);
	return fail(c, n, "bad value '%.64s' (expected one of: %s)", n->str, list);
}

static int get_bool(struct vctx *c, const struct ynode *n, bool *out)
{
	static const char *const t[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", NULL };
	static const char *const f[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", NULL };
	if (want_scalar(c, n, "true or false"))
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
	return fail(c, n, "expected true or false, found '%.64s'", n->str);
}

/* [A-Za-z0-9_.-]{1,64} */
static bool good_name(const char *s)
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

static int get_name(struct vctx *c, const struct ynode *n, char *out)
{
	if (want_scalar(c, n, "a name"))
		return -1;
	if (!good_name(n->str))
		return fail(c, n, "bad name '%.64s%s': use 1 to 64 of A-Z a-z 0-9 _ . -", n->str,
			    strlen(n->str) > 64 ? "..." : "");
	snprintf(out, SCENARIO_NAME_MAX + 1, "%s", n->str);
	return 0;
}

static int get_text(struct vctx *c, const struct ynode *n, char *out, size_t size)
{
	if (n->kind != YNODE_SCALAR)
		return type_error(c, n, "a string");
	if (n->len != strlen(n->str))
		return fail(c, n, "contains a NUL character");
	if (n->len >= size)
		return fail(c, n, "too long (%zu bytes; at most %zu)", n->len, size - 1);
	memcpy(out, n->str, n->len + 1);
	return 0;
}

static int get_path(struct vctx *c, const struct ynode *n, char *out)
{
	if (want_scalar(c, n, "a path"))
		return -1;
	int w;
	if (n->str[0] == '/' || !c->dir[0])
		w = snprintf(out, SCENARIO_PATH_MAX, "%s", n->str);
	else
		w = snprintf(out, SCENARIO_PATH_MAX, "%s/%s", c->dir, n->str);
	if (w < 0 || w >= SCENARIO_PATH_MAX)
		return fail(c, n, "path too long (at most %d bytes once resolved)", SCENARIO_PATH_MAX - 1);
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
static int qty_error(struct vctx *c, const struct ynode *n, enum sim_qty_kind kind, const char *want, int rc)
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
			return fail(c, n, "unknown unit '%.*s'; did you mean '%s'?", (int)q.unit_len, q.unit, fix);
		if (kind == SIM_QTY_NUMBER)
			return fail(c, n, "unknown unit '%.*s'; expected %s", (int)q.unit_len, q.unit, want);
		return fail(c, n, "unknown unit '%.*s' (expected %s)", (int)q.unit_len, q.unit, sim_units_list(kind));
	}
	case SIM_UNITS_EKIND:
		sim_qty_parse(s, &q);
		return fail(c, n, "'%.64s' is %s; expected %s", s, qty_kind_name(q.kind), want);
	case SIM_UNITS_ENEGATIVE:
		return fail(c, n, "'%.64s' is negative; expected %s", s, want);
	case SIM_UNITS_EOVERFLOW:
		return fail(c, n, "'%.64s' is too large", s);
	default:
		return fail(c, n, "expected %s, found '%.64s'", want, s);
	}
}

static int get_time(struct vctx *c, const struct ynode *n, bool allow_zero, sim_time *out)
{
	if (want_scalar(c, n, qty_want(SIM_QTY_TIME)))
		return -1;
	int rc = sim_parse_time(n->str, out);
	if (rc)
		return qty_error(c, n, SIM_QTY_TIME, NULL, rc);
	if (!allow_zero && *out == 0)
		return fail(c, n, "must be greater than 0");
	return 0;
}

static int get_freq(struct vctx *c, const struct ynode *n, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (want_scalar(c, n, qty_want(SIM_QTY_FREQ)))
		return -1;
	int rc = sim_parse_freq(n->str, out);
	if (rc)
		return qty_error(c, n, SIM_QTY_FREQ, NULL, rc);
	if (*out < lo || *out > hi) {
		if (lo == 1 && hi == UINT64_MAX)
			return fail(c, n, "must be at least 1Hz");
		return fail(c, n, "%s is out of range %s", n->str, lo == 1000000 ? "1MHz..10GHz" : "");
	}
	return 0;
}

/* ---- costs --------------------------------------------------------------------------------- */

#define COST_WANT "a cost: cycles or a time, e.g. 800 cycles or 2us"

struct cost_unit {
	bool set;
	enum sim_cost_unit unit;
};

/* One value of a cost; every value of one cost must share @u's unit kind. */
static int cost_value(struct vctx *c, const struct ynode *n, struct cost_unit *u, double *out)
{
	struct sim_qty q;
	if (want_scalar(c, n, COST_WANT))
		return -1;
	int rc = sim_qty_parse(n->str, &q);
	if (!rc && q.kind == SIM_QTY_NUMBER)
		rc = q.value < 0 ? SIM_UNITS_ENEGATIVE : SIM_UNITS_ENOUNIT;
	if (!rc && q.kind == SIM_QTY_FREQ)
		rc = SIM_UNITS_EKIND;
	if (rc == SIM_UNITS_ENEGATIVE && q.kind == SIM_QTY_FREQ)
		rc = SIM_UNITS_EKIND;
	if (rc == SIM_UNITS_EUNKNOWN) {
		const char *fix = sim_units_match_nocase(q.unit, q.unit_len, SIM_QTY_TIME);
		if (!fix)
			fix = sim_units_match_nocase(q.unit, q.unit_len, SIM_QTY_CYCLES);
		if (fix)
			return fail(c, n, "unknown unit '%.*s'; did you mean '%s'?", (int)q.unit_len, q.unit, fix);
		return fail(c, n, "unknown unit '%.*s' (expected cycles or ps, ns, us, ms, s)", (int)q.unit_len,
			    q.unit);
	}
	if (rc == SIM_UNITS_ENOUNIT)
		return fail(c, n, "expected a cost with a unit, e.g. 800 cycles or 2us; found '%.64s'", n->str);
	if (rc)
		return qty_error(c, n, SIM_QTY_NUMBER, COST_WANT, rc);
	enum sim_cost_unit unit = q.kind == SIM_QTY_CYCLES ? SIM_COST_CYCLES : SIM_COST_PS;
	if (u->set && u->unit != unit)
		return fail(c, n, "'%.64s' is %s but the cost's other values are %s; one cost uses one unit kind",
			    n->str, unit == SIM_COST_CYCLES ? "in cycles" : "a time",
			    u->unit == SIM_COST_CYCLES ? "in cycles" : "times");
	u->set = true;
	u->unit = unit;
	*out = q.value;
	return 0;
}

/* The value under @key of the distribution parameters @m (required). */
static int dist_param(struct vctx *c, const struct ynode *m, const char *key, struct cost_unit *u, double *out)
{
	const struct ynode *v = ynode_get(m, key, NULL);
	if (!v)
		return missing(c, m, key);
	size_t mark = push_key(c, key);
	int rc = cost_value(c, v, u, out);
	pop(c, mark);
	return rc;
}

static int get_cost(struct vctx *c, const struct ynode *n, struct sim_cost *out)
{
	static const char *const dists[] = { "exponential", "normal", "lognormal", "uniform", "empirical", NULL };
	static const char *const k_mean[] = { "mean", NULL }, *const k_normal[] = { "mean", "sd", NULL },
				 *const k_logn[] = { "median", "p99", NULL };
	struct cost_unit u = { 0 };
	double a = 0, b = 0;

	memset(out, 0, sizeof(*out));
	if (n->kind == YNODE_SCALAR || n->kind == YNODE_SEQ) {
		if (n->kind == YNODE_SEQ)
			return type_error(c, n, "a cost: a constant like 800 cycles or a one-key mapping naming a distribution");
		if (cost_value(c, n, &u, &a))
			return -1;
		out->d = sim_dist_const(a);
		out->unit = u.unit;
		return 0;
	}
	size_t which = 0;
	if (one_key(c, n, dists, &which))
		return -1;
	const struct ynode *p = n->val[0];
	size_t mark = push_key(c, dists[which]);
	int rc = -1;
	switch (which) {
	case 0: /* exponential */
		if (check_map(c, p, k_mean) || dist_param(c, p, "mean", &u, &a))
			break;
		if (!(a > 0)) {
			size_t m2 = push_key(c, "mean");
			fail(c, ynode_get(p, "mean", NULL), "must be greater than 0");
			pop(c, m2);
			break;
		}
		out->d = (struct sim_dist){ .kind = SIM_DIST_EXPONENTIAL, .a = a };
		rc = 0;
		break;
	case 1: /* normal */
		if (check_map(c, p, k_normal) || dist_param(c, p, "mean", &u, &a) || dist_param(c, p, "sd", &u, &b))
			break;
		out->d = (struct sim_dist){ .kind = SIM_DIST_NORMAL, .a = a, .b = b };
		rc = 0;
		break;
	case 2: /* lognormal */
		if (check_map(c, p, k_logn) || dist_param(c, p, "median", &u, &a) || dist_param(c, p, "p99", &u, &b))
			break;
		if (!(a > 0)) {
			size_t m2 = push_key(c, "median");
			fail(c, ynode_get(p, "median", NULL), "must be greater than 0");
			pop(c, m2);
			break;
		}
		if (b < a) {
			size_t m2 = push_key(c, "p99");
			fail(c, ynode_get(p, "p99", NULL), "p99 %s is below the median %s; p99 must be >= median",
			     ynode_get(p, "p99", NULL)->str, ynode_get(p, "median", NULL)->str);
			pop(c, m2);
			break;
		}
		out->d = sim_dist_lognormal(a, b);
		rc = 0;
		break;
	case 3: /* uniform: [lo, hi] */
		if (p->kind != YNODE_SEQ || p->n != 2) {
			fail(c, p, "expected a sequence [lo, hi] of two values");
			break;
		}
		{
			size_t m2 = push_idx(c, 0);
			if (cost_value(c, p->val[0], &u, &a)) {
				break;
			}
			pop(c, m2);
			m2 = push_idx(c, 1);
			if (cost_value(c, p->val[1], &u, &b))
				break;
			if (b < a) {
				fail(c, p->val[1], "hi %s is below lo %s", p->val[1]->str, p->val[0]->str);
				break;
			}
			pop(c, m2);
		}
		out->d = (struct sim_dist){ .kind = SIM_DIST_UNIFORM, .a = a, .b = b };
		rc = 0;
		break;
	case 4: { /* empirical: [[value, weight], ...] */
		double val[SIM_DIST_MAX_TABLE], w[SIM_DIST_MAX_TABLE];
		if (want_seq(c, p, "a sequence of [value, weight] pairs", 1, SIM_DIST_MAX_TABLE))
			break;
		bool ok = true;
		for (size_t i = 0; i < p->n && ok; i++) {
			const struct ynode *row = p->val[i];
			size_t m2 = push_idx(c, i);
			ok = false;
			if (row->kind != YNODE_SEQ || row->n != 2) {
				fail(c, row, "expected a [value, weight] pair");
				break;
			}
			size_t m3 = push_idx(c, 0);
			if (cost_value(c, row->val[0], &u, &val[i]))
				break;
			pop(c, m3);
			m3 = push_idx(c, 1);
			const struct ynode *wn = row->val[1];
			if (want_scalar(c, wn, "a weight (a plain number >= 0)"))
				break;
			int wrc = sim_parse_number(wn->str, &w[i]);
			if (wrc) {
				qty_error(c, wn, SIM_QTY_NUMBER, "a weight (a plain number >= 0)", wrc);
				break;
			}
			if (w[i] < 0) {
				fail(c, wn, "weight %s is negative", wn->str);
				break;
			}
			pop(c, m3);
			pop(c, m2);
			ok = true;
		}
		if (!ok)
			break;
		if (sim_dist_empirical(&out->d, val, w, (unsigned)p->n)) {
			fail(c, p, "the weights sum to 0");
			break;
		}
		rc = 0;
		break;
	}
	}
	if (rc)
		return -1;
	pop(c, mark);
	out->unit = u.unit;
	return 0;
}

/* When @map has @key, run @body with @var bound to its value and the key path extended; return -1 if @body fails. */
#define WITH_KEY(c, map, key, var, body)                                                                     \
	do {                                                                                                 \
		const struct ynode *var = ynode_get((map), (key), NULL);                                     \
		if (var) {                                                                                   \
			size_t mark_ = push_key((c), (key));                                                 \
			if (body)                                                                            \
				return -1;                                                                   \
			pop((c), mark_);                                                                     \
		}                                                                                            \
	} while (0)

/* ---- sections ------------------------------------------------------------------------------ */

static int parse_stop(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "after", "notifications", NULL };
	size_t which = 0;
	struct scenario *s = c->s;
	if (one_key(c, n, keys, &which))
		return -1;
	size_t mark = push_key(c, keys[which]);
	if (which == 0) {
		s->stop = SCENARIO_STOP_AFTER;
		if (get_time(c, n->val[0], false, &s->stop_after))
			return -1;
	} else {
		s->stop = SCENARIO_STOP_NOTIFICATIONS;
		if (get_int(c, n->val[0], 1, 1000000000, &s->stop_notifications))
			return -1;
	}
	pop(c, mark);
	return 0;
}

static int parse_costs_preset(struct vctx *c, const struct ynode *n, uint64_t *at_hz)
{
	static const char *const presets[] = { "cortex-a53", "cortex-a72", NULL };
	struct scenario_platform *p = &c->s->platform;
	if (want_scalar(c, n, "a cost preset, e.g. cortex-a53"))
		return -1;
	int id = sim_preset_lookup(n->str);
	if (id < 0) {
		char base[64];
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(n->str, "@"), n->str);
		const char *s = suggest(base, presets, 2);
		if (s)
			return fail(c, n, "unknown cost preset '%s'; did you mean '%s'?", base, s);
		return fail(c, n, "unknown cost preset '%s' (expected cortex-a53 or cortex-a72, optionally @<clock>)",
			    base);
	}
	sim_costs_preset(&p->costs, (enum sim_preset)id);
	const char *at = strchr(n->str, '@');
	*at_hz = 0;
	if (at) {
		int rc = sim_parse_freq(at + 1, at_hz);
		if (rc)
			return fail(c, n, "bad clock '%s' after '@': expected a frequency such as 1.2GHz", at + 1);
		if (*at_hz < 1000000 || *at_hz > 10000000000ull)
			return fail(c, n, "clock %s is out of range 1MHz..10GHz", at + 1);
		p->costs.clock.hz = *at_hz;
	}
	return 0;
}

static int parse_platform(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "dts", "cpus", "clock", "costs", "cost_overrides", "gic", NULL };
	static const char *const gic_keys[] = { "pend_to_wire", "ack_rearb", "sgi_delay", "prio_bits", NULL };
	static const enum sim_cost_id gic_ids[] = { SIM_COST_GIC_PEND_TO_WIRE, SIM_COST_GIC_ACK_REARB,
						    SIM_COST_GIC_SGI_DELAY };
	struct scenario_platform *p = &c->s->platform;
	uint64_t at_hz = 0;

	if (check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "dts", v, get_path(c, v, p->dts));
	WITH_KEY(c, n, "cpus", v, get_uint(c, v, 1, SCENARIO_MAX_CPUS, &p->cpus));
	WITH_KEY(c, n, "costs", v, parse_costs_preset(c, v, &at_hz));
	const struct ynode *clock = ynode_get(n, "clock", NULL);
	if (clock) {
		uint64_t hz;
		size_t mark = push_key(c, "clock");
		if (get_freq(c, clock, 1000000, 10000000000ull, &hz))
			return -1;
		if (at_hz && at_hz != hz)
			return fail(c, clock, "%s conflicts with the clock in platform.costs (%s)", clock->str,
				    ynode_get(n, "costs", NULL)->str);
		p->costs.clock.hz = hz;
		pop(c, mark);
	}
	const struct ynode *ov = ynode_get(n, "cost_overrides", NULL);
	if (ov) {
		const char *names[SIM_COST_COUNT + 1];
		for (int i = 0; i < SIM_COST_COUNT; i++)
			names[i] = sim_cost_name((enum sim_cost_id)i);
		names[SIM_COST_COUNT] = NULL;
		size_t mark = push_key(c, "cost_overrides");
		if (check_map(c, ov, names))
			return -1;
		for (size_t i = 0; i < ov->n; i++) {
			int id = sim_cost_lookup(ov->key[i]->str);
			size_t m2 = push_key(c, ov->key[i]->str);
			if (get_cost(c, ov->val[i], &p->costs.c[id]))
				return -1;
			p->cost_overridden[id] = true;
			pop(c, m2);
		}
		pop(c, mark);
	}
	const struct ynode *gic = ynode_get(n, "gic", NULL);
	if (gic) {
		size_t mark = push_key(c, "gic");
		if (check_map(c, gic, gic_keys))
			return -1;
		for (size_t i = 0; i < 3; i++) {
			const struct ynode *v = ynode_get(gic, gic_keys[i], NULL);
			sim_time t;
			if (!v)
				continue;
			size_t m2 = push_key(c, gic_keys[i]);
			if (get_time(c, v, true, &t))
				return -1;
			if (p->cost_overridden[gic_ids[i]])
				return fail(c, v, "also set as platform.cost_overrides.%s; set it once",
					    sim_cost_name(gic_ids[i]));
			p->costs.c[gic_ids[i]] = sim_cost_ps((double)t);
			p->cost_overridden[gic_ids[i]] = true;
			pop(c, m2);
		}
		WITH_KEY(c, gic, "prio_bits", v, get_uint(c, v, 4, 8, &p->prio_bits));
		pop(c, mark);
	}
	return 0;
}

static int parse_cpu_list(struct vctx *c, const struct ynode *n, uint64_t *mask)
{
	if (want_seq(c, n, "a sequence of cpu numbers, e.g. [0, 2]", 1, SCENARIO_MAX_CPUS))
		return -1;
	*mask = 0;
	for (size_t i = 0; i < n->n; i++) {
		unsigned cpu;
		size_t mark = push_idx(c, i);
		if (get_cpu(c, n->val[i], &cpu))
			return -1;
		if (*mask & (1ull << cpu))
			return fail(c, n->val[i], "cpu %u listed twice", cpu);
		*mask |= 1ull << cpu;
		pop(c, mark);
	}
	return 0;
}

static int parse_transport(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "kind", "intid", "trigger", "routing", "target", "spmc", NULL };
	static const char *const kinds[] = { "spi", "ppi", "sgi", "ffa", NULL };
	static const char *const triggers[] = { "edge", "level", NULL };
	static const char *const routings[] = { "fixed", "1-of-N", NULL };
	static const char *const targets[] = { "self", "all-but-self", NULL };
	static const char *const spmcs[] = { "s-el1", "el3", NULL };
	static const unsigned def_intid[] = { 219, 31, 8, 8 }, lo[] = { 32, 16, 8, 8 }, hi[] = { 1019, 31, 15, 15 };
	struct scenario_transport_cfg *t = &c->s->transport;
	unsigned v = t->kind;

	if (check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "kind", x, get_enum(c, x, kinds, &v));
	t->kind = (enum scenario_transport)v;
	t->intid = def_intid[t->kind];
	WITH_KEY(c, n, "intid", x, get_uint(c, x, lo[t->kind], hi[t->kind], &t->intid));
	const char *kn = kinds[t->kind];
	WITH_KEY(c, n, "trigger", x,
		 get_enum(c, x, triggers, &v) ||
			 ((t->trigger = (enum scenario_trigger)v) == SCENARIO_LEVEL && t->kind != SCENARIO_SPI &&
			  fail(c, x, "level applies only to kind spi (kind is %s)", kn)));
	WITH_KEY(c, n, "routing", x,
		 get_enum(c, x, routings, &v) ||
			 ((t->routing = (enum scenario_routing)v) != SCENARIO_ROUTE_FIXED && t->kind != SCENARIO_SPI &&
			  fail(c, x, "1-of-N applies only to kind spi (kind is %s)", kn)));
	const struct ynode *tg = ynode_get(n, "target", NULL);
	if (tg) {
		size_t mark = push_key(c, "target");
		if (tg->kind == YNODE_SEQ) {
			if (parse_cpu_list(c, tg, &t->target_cpus))
				return -1;
			t->target = SCENARIO_TARGET_LIST;
		} else {
			if (get_enum(c, tg, targets, &v))
				return -1;
			t->target = (enum scenario_sgi_target)v;
		}
		if (t->target != SCENARIO_TARGET_SELF && t->kind != SCENARIO_SGI)
			return fail(c, tg, "a target other than self applies only to kind sgi (kind is %s)", kn);
		pop(c, mark);
	}
	WITH_KEY(c, n, "spmc", x,
		 get_enum(c, x, spmcs, &v) ||
			 ((t->spmc = (enum scenario_spmc)v) != SCENARIO_SPMC_S_EL1 && t->kind != SCENARIO_FFA &&
			  fail(c, x, "el3 applies only to kind ffa (kind is %s)", kn)));
	return 0;
}

static int parse_tee(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "threads", "async_notif", NULL };
	if (check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "threads", v, get_uint(c, v, 1, 64, &c->s->tee_threads));
	WITH_KEY(c, n, "async_notif", v, get_bool(c, v, &c->s->tee_async_notif));
	return 0;
}

static int parse_ree(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "irq_affinity", "eoimode", NULL };
	if (check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "irq_affinity", v, get_cpu(c, v, &c->s->ree_irq_affinity));
	WITH_KEY(c, n, "eoimode", v, get_uint(c, v, 0, 1, &c->s->ree_eoimode));
	return 0;
}

static int parse_arrival(struct vctx *c, const struct ynode *n, struct scenario_source *src)
{
	static const char *const keys[] = { "periodic", "poisson", "burst", "replay", NULL };
	static const char *const burst_keys[] = { "count", "every", "spacing", NULL };
	size_t which = 0;
	if (one_key(c, n, keys, &which))
		return -1;
	const struct ynode *v = n->val[0];
	size_t mark = push_key(c, keys[which]);
	src->arrival = (enum scenario_arrival)which;
	switch (src->arrival) {
	case SCENARIO_PERIODIC:
		if (get_time(c, v, false, &src->period))
			return -1;
		break;
	case SCENARIO_POISSON:
		if (get_freq(c, v, 1, UINT64_MAX, &src->rate_hz))
			return -1;
		break;
	case SCENARIO_BURST: {
		uint64_t count;
		if (check_map(c, v, burst_keys))
			return -1;
		for (size_t i = 0; burst_keys[i]; i++)
			if (!ynode_get(v, burst_keys[i], NULL))
				return missing(c, v, burst_keys[i]);
		WITH_KEY(c, v, "count", x, get_int(c, x, 1, 1000000, &count));
		src->burst_count = (unsigned)count;
		WITH_KEY(c, v, "every", x, get_time(c, x, false, &src->burst_every));
		WITH_KEY(c, v, "spacing", x, get_time(c, x, true, &src->burst_spacing));
		unsigned __int128 span = (unsigned __int128)(count - 1) * src->burst_spacing;
		if (span >= src->burst_every) {
			push_key(c, "spacing");
			return fail(c, ynode_get(v, "spacing", NULL),
				    "a burst of %llu spaced %s lasts at least its period (every %s)",
				    (unsigned long long)count, ynode_get(v, "spacing", NULL)->str,
				    ynode_get(v, "every", NULL)->str);
		}
		break;
	}
	case SCENARIO_REPLAY: {
		if (get_path(c, v, src->replay))
			return -1;
		FILE *f = fopen(src->replay, "r");
		if (!f)
			return fail(c, v, "cannot open '%s': %s", src->replay, strerror(errno));
		fclose(f);
		break;
	}
	}
	pop(c, mark);
	return 0;
}

static int parse_source(struct vctx *c, const struct ynode *n, unsigned idx)
{
	static const char *const keys[] = { "name", "kind", "world", "intid", "trigger", "cpu", "arrival",
					    "top_half", "bottom_half", "per_item", "fifo", NULL };
	static const char *const kinds[] = { "uart", "timer", "trng", NULL };
	static const char *const worlds[] = { "secure", "normal", NULL };
	static const char *const triggers[] = { "edge", "level", NULL };
	struct scenario *s = c->s;
	struct scenario_source *src = &s->sources[idx];
	unsigned v;

	if (check_map(c, n, keys))
		return -1;
	src->pos = (struct scenario_pos){ n->line, n->col };
	const struct ynode *name = ynode_get(n, "name", NULL);
	if (!name)
		return missing(c, n, "name");
	WITH_KEY(c, n, "name", x, get_name(c, x, src->name));
	for (unsigned i = 0; i < idx; i++)
		if (!strcmp(s->sources[i].name, src->name)) {
			size_t mark = push_key(c, "name");
			fail(c, name, "duplicate source name '%s' (also sources[%u])", src->name, i);
			pop(c, mark);
			return -1;
		}
	WITH_KEY(c, n, "kind", x, get_enum(c, x, kinds, &v) || ((src->kind = (enum scenario_source_kind)v), 0));
	WITH_KEY(c, n, "world", x, get_enum(c, x, worlds, &v) || ((src->world = (enum scenario_world)v), 0));
	src->intid = 40 + idx;
	const struct ynode *in = ynode_get(n, "intid", NULL);
	size_t mark = push_key(c, "intid");
	if (in && get_uint(c, in, 32, 1019, &src->intid))
		return -1;
	for (unsigned i = 0; i < idx; i++)
		if (s->sources[i].intid == src->intid)
			return fail(c, in ? in : n, "intid %u is also used by source '%s'", src->intid,
				    s->sources[i].name);
	if (s->transport.kind == SCENARIO_SPI && s->transport.intid == src->intid)
		return fail(c, in ? in : n, "intid %u is the transport's notification SPI (transport.intid)",
			    src->intid);
	pop(c, mark);
	src->trigger = src->kind == SCENARIO_UART ? SCENARIO_LEVEL : SCENARIO_EDGE;
	WITH_KEY(c, n, "trigger", x, get_enum(c, x, triggers, &v) || ((src->trigger = (enum scenario_trigger)v), 0));
	WITH_KEY(c, n, "cpu", x, get_cpu(c, x, &src->cpu));
	const struct ynode *arr = ynode_get(n, "arrival", NULL);
	if (!arr)
		return missing(c, n, "arrival");
	WITH_KEY(c, n, "arrival", x, parse_arrival(c, x, src));
	src->top_half = sim_cost_cycles(800);
	src->bottom_half = sim_cost_ps((double)(20 * SIM_US));
	src->per_item = sim_cost_cycles(0);
	src->fifo = 16;
	WITH_KEY(c, n, "top_half", x, get_cost(c, x, &src->top_half));
	WITH_KEY(c, n, "bottom_half", x, get_cost(c, x, &src->bottom_half));
	WITH_KEY(c, n, "per_item", x, get_cost(c, x, &src->per_item));
	WITH_KEY(c, n, "fifo", x, get_uint(c, x, 1, 65536, &src->fifo));
	return 0;
}

static int parse_workload(struct vctx *c, const struct ynode *n, unsigned idx)
{
	static const char *const keys[] = { "name", "kind", "rate", "secure_work", "work", "cpus", NULL };
	static const char *const kinds[] = { "ta_invoke", "cpu_bound", NULL };
	struct scenario *s = c->s;
	struct scenario_workload *w = &s->workloads[idx];
	unsigned v;

	if (check_map(c, n, keys))
		return -1;
	w->pos = (struct scenario_pos){ n->line, n->col };
	if (!ynode_get(n, "kind", NULL))
		return missing(c, n, "kind");
	WITH_KEY(c, n, "kind", x, get_enum(c, x, kinds, &v));
	w->kind = (enum scenario_workload_kind)v;
	snprintf(w->name, sizeof(w->name), "%s%u", kinds[w->kind], idx);
	WITH_KEY(c, n, "name", x, get_name(c, x, w->name));
	for (unsigned i = 0; i < idx; i++)
		if (!strcmp(s->workloads[i].name, w->name)) {
			const struct ynode *nm = ynode_get(n, "name", NULL);
			size_t mark = push_key(c, "name");
			fail(c, nm ? nm : n, "duplicate workload name '%s' (also workloads[%u])", w->name, i);
			pop(c, mark);
			return -1;
		}
	const char *other = w->kind == SCENARIO_TA_INVOKE ? "cpu_bound" : "ta_invoke";
	static const char *const ta_only[] = { "rate", "secure_work", NULL }, *const cpu_only[] = { "work", NULL };
	for (const char *const *k = w->kind == SCENARIO_TA_INVOKE ? cpu_only : ta_only; *k; k++) {
		size_t i;
		if (ynode_get(n, *k, &i)) {
			size_t mark = push_key(c, *k);
			fail(c, n->key[i], "applies only to kind %s (this workload is %s)", other, kinds[w->kind]);
			pop(c, mark);
			return -1;
		}
	}
	if (w->kind == SCENARIO_TA_INVOKE && !ynode_get(n, "rate", NULL))
		return missing(c, n, "rate");
	WITH_KEY(c, n, "rate", x, get_freq(c, x, 1, UINT64_MAX, &w->rate_hz));
	w->secure_work = sim_cost_ps((double)(50 * SIM_US));
	w->work = sim_cost_ps((double)SIM_MS);
	WITH_KEY(c, n, "secure_work", x, get_cost(c, x, &w->secure_work));
	WITH_KEY(c, n, "work", x, get_cost(c, x, &w->work));
	w->cpus = s->platform.cpus >= 64 ? UINT64_MAX : (1ull << s->platform.cpus) - 1;
	WITH_KEY(c, n, "cpus", x, parse_cpu_list(c, x, &w->cpus));
	return 0;
}

static int find_named(struct vctx *c, const struct ynode *n, const char *what, const char *const *names,
		      size_t count, unsigned *out)
{
	char list[768];
	if (want_scalar(c, n, "a name"))
		return -1;
	for (size_t i = 0; i < count; i++)
		if (!strcmp(n->str, names[i])) {
			*out = (unsigned)i;
			return 0;
		}
	const char *s = suggest(n->str, names, count);
	if (s)
		return fail(c, n, "unknown %s '%.64s'; did you mean '%s'?", what, n->str, s);
	if (!count)
		return fail(c, n, "unknown %s '%.64s' (the scenario defines none)", what, n->str);
	return fail(c, n, "unknown %s '%.64s' (defined: %s)", what, n->str, join(list, sizeof(list), names, count));
}

/* Each of the keys @req (NULL-terminated) must be in the mapping @m. */
static int require(struct vctx *c, const struct ynode *m, const char *const *req)
{
	for (; *req; req++)
		if (!ynode_get(m, *req, NULL))
			return missing(c, m, *req);
	return 0;
}

static int parse_event(struct vctx *c, const struct ynode *n, unsigned idx)
{
	static const char *const keys[] = { "at", "cpu_off", "cpu_on", "suspend", "storm", "mask_window", "load",
					    NULL };
	static const char *const actions = "cpu_off, cpu_on, suspend, storm, mask_window, load";
	static const char *const k_suspend[] = { "cpu", "for", "wake", NULL }, *const r_suspend[] = { "cpu", "for", NULL };
	static const char *const k_storm[] = { "source", "rate", "for", NULL };
	static const char *const k_mask[] = { "cpu", "world", "for", NULL }, *const r_mask[] = { "cpu", "for", NULL };
	static const char *const k_load[] = { "workload", "rate", NULL };
	static const char *const wakes[] = { "interrupt", "timer", NULL };
	static const char *const worlds[] = { "secure", "normal", NULL };
	struct scenario *s = c->s;
	struct scenario_event *e = &s->timeline[idx];
	unsigned v;

	if (check_map(c, n, keys))
		return -1;
	e->pos = (struct scenario_pos){ n->line, n->col };
	e->file_index = idx;
	if (!ynode_get(n, "at", NULL))
		return missing(c, n, "at");
	WITH_KEY(c, n, "at", x, get_time(c, x, true, &e->at));
	size_t act = 0, nact = 0;
	for (size_t i = 0; i < n->n; i++) {
		if (!strcmp(n->key[i]->str, "at"))
			continue;
		if (nact++) {
			size_t mark = push_key(c, n->key[i]->str);
			fail(c, n->key[i], "'%s' and '%s' both given; one action per timeline entry", n->key[act]->str,
			     n->key[i]->str);
			pop(c, mark);
			return -1;
		}
		act = i;
	}
	if (!nact)
		return fail(c, n, "no action; expected one of: %s", actions);
	const char *an = n->key[act]->str;
	const struct ynode *a = n->val[act];
	size_t mark = push_key(c, an);
	for (unsigned i = 1; keys[i]; i++)
		if (!strcmp(an, keys[i]))
			e->action = (enum scenario_action)(i - 1);
	switch (e->action) {
	case SCENARIO_CPU_OFF:
	case SCENARIO_CPU_ON:
		if (get_cpu(c, a, &e->cpu))
			return -1;
		break;
	case SCENARIO_SUSPEND:
		if (check_map(c, a, k_suspend) || require(c, a, r_suspend))
			return -1;
		WITH_KEY(c, a, "cpu", x, get_cpu(c, x, &e->cpu));
		WITH_KEY(c, a, "for", x, get_time(c, x, false, &e->duration));
		WITH_KEY(c, a, "wake", x, get_enum(c, x, wakes, &v) || ((e->wake = (enum scenario_wake)v), 0));
		break;
	case SCENARIO_STORM: {
		const char *names[SCENARIO_MAX_SOURCES];
		for (unsigned i = 0; i < s->n_sources; i++)
			names[i] = s->sources[i].name;
		if (check_map(c, a, k_storm) || require(c, a, k_storm))
			return -1;
		WITH_KEY(c, a, "source", x, find_named(c, x, "source", names, s->n_sources, &e->source));
		WITH_KEY(c, a, "rate", x, get_freq(c, x, 1, UINT64_MAX, &e->rate_hz));
		WITH_KEY(c, a, "for", x, get_time(c, x, false, &e->duration));
		break;
	}
	case SCENARIO_MASK_WINDOW:
		if (check_map(c, a, k_mask) || require(c, a, r_mask))
			return -1;
		WITH_KEY(c, a, "cpu", x, get_cpu(c, x, &e->cpu));
		WITH_KEY(c, a, "world", x, get_enum(c, x, worlds, &v) || ((e->world = (enum scenario_world)v), 0));
		WITH_KEY(c, a, "for", x, get_time(c, x, false, &e->duration));
		break;
	case SCENARIO_LOAD: {
		const char *names[SCENARIO_MAX_WORKLOADS];
		for (unsigned i = 0; i < s->n_workloads; i++)
			names[i] = s->workloads[i].name;
		if (check_map(c, a, k_load) || require(c, a, k_load))
			return -1;
		WITH_KEY(c, a, "workload", x, find_named(c, x, "workload", names, s->n_workloads, &e->workload));
		WITH_KEY(c, a, "rate", x, get_freq(c, x, 1, UINT64_MAX, &e->rate_hz));
		break;
	}
	}
	pop(c, mark);
	return 0;
}

static int event_cmp(const void *pa, const void *pb)
{
	const struct scenario_event *a = pa, *b = pb;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->file_index < b->file_index ? -1 : a->file_index > b->file_index;
}

static int parse_outputs(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "trace", NULL };
	static const char *const formats[] = { "csv", "perfetto", "vcd", "hgrm", NULL };
	if (check_map(c, n, keys))
		return -1;
	const struct ynode *t = ynode_get(n, "trace", NULL);
	if (!t)
		return 0;
	size_t mark = push_key(c, "trace");
	if (t->kind != YNODE_SEQ)
		return type_error(c, t, "a sequence of trace formats, e.g. [csv, perfetto]");
	c->s->outputs = 0;
	for (size_t i = 0; i < t->n; i++) {
		unsigned v;
		size_t m2 = push_idx(c, i);
		if (get_enum(c, t->val[i], formats, &v))
			return -1;
		if (c->s->outputs & (1u << v))
			return fail(c, t->val[i], "%s listed twice", formats[v]);
		c->s->outputs |= 1u << v;
		pop(c, m2);
	}
	pop(c, mark);
	return 0;
}

/* ---- expect -------------------------------------------------------------------------------- */

/* Every metric name sim_metric_kind() accepts, for "did you mean". */
struct metric_names {
	char buf[128][40];
	const char *p[128];
	size_t n;
};

static void metric_names(struct metric_names *m)
{
	static const char *const plain[] = { "notifications", "delivered", "coalesced", "late", "lost", "spurious",
					     "eth_limit", "foreign_intr", "irqs", "smc", "world_switches",
					     "smc_per_notification", "world_switches_per_notification",
					     "secure_irqs", "sgi_dropped", "time.normal", "time.secure", "time.el3",
					     "time.idle", NULL };
	static const char *const stats[] = { "count", "min", "mean", "p50", "p90", "p99", "p999", "max", NULL };
	m->n = 0;
	for (size_t i = 0; plain[i]; i++)
		if (sim_metric_kind(plain[i]) != SIM_METRIC_UNKNOWN)
			m->p[m->n++] = plain[i];
	for (int sp = 0; sp < SIM_SPAN_COUNT; sp++)
		for (size_t st = 0; stats[st] && m->n < 128; st++) {
			snprintf(m->buf[m->n], sizeof(m->buf[0]), "latency.%s.%s", sim_span_name((enum sim_span)sp),
				 stats[st]);
			if (sim_metric_kind(m->buf[m->n]) != SIM_METRIC_UNKNOWN) {
				m->p[m->n] = m->buf[m->n];
				m->n++;
			}
		}
}

static bool metric_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
	       ch == '.';
}

static int parse_check(struct vctx *c, const struct ynode *n, struct scenario_expect *e)
{
	static const char *const ops[] = { "<=", ">=", "==", "!=", "<", ">" };
	static const enum scenario_op op_ids[] = { SCENARIO_LE, SCENARIO_GE, SCENARIO_EQ,
						   SCENARIO_NE, SCENARIO_LT, SCENARIO_GT };
	const char *syntax = "expected '<metric> <op> <value>' with op one of < <= > >= == !=, "
			     "e.g. 'latency.e2e.p99 < 40us'";
	const char *s = n->str;
	e->kind = SCENARIO_EXPECT_METRIC;
	if (n->len >= sizeof(e->text))
		return fail(c, n, "check too long (%zu bytes; at most %zu)", n->len, sizeof(e->text) - 1);
	memcpy(e->text, s, n->len + 1);

	while (*s == ' ' || *s == '\t')
		s++;
	const char *m = s;
	while (metric_char(*s))
		s++;
	size_t mlen = (size_t)(s - m);
	if (mlen == 0 || mlen > SCENARIO_NAME_MAX)
		return fail(c, n, "%s; found '%.64s'", syntax, n->str);
	memcpy(e->metric, m, mlen);
	e->metric[mlen] = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t op = 0;
	while (op < 6 && strncmp(s, ops[op], strlen(ops[op])))
		op++;
	if (op == 6)
		return fail(c, n, "%s; no operator after '%s'", syntax, e->metric);
	e->op = op_ids[op];
	s += strlen(ops[op]);
	while (*s == ' ' || *s == '\t')
		s++;
	char value[SCENARIO_TEXT_MAX];
	snprintf(value, sizeof(value), "%s", s);
	for (size_t l = strlen(value); l && (value[l - 1] == ' ' || value[l - 1] == '\t'); l--)
		value[l - 1] = 0;
	if (!value[0])
		return fail(c, n, "%s; no value after '%s'", syntax, ops[op]);

	enum sim_metric_kind kind = sim_metric_kind(e->metric);
	e->metric_kind = kind;
	if (kind == SIM_METRIC_UNKNOWN) {
		struct metric_names names;
		metric_names(&names);
		const char *sug = suggest(e->metric, names.p, names.n);
		if (sug)
			return fail(c, n, "unknown metric '%s'; did you mean '%s'?", e->metric, sug);
		return fail(c, n, "unknown metric '%s' (see sim/metrics.h for the names)", e->metric);
	}
	struct ynode vn = *n; /* messages about the value quote the value alone */
	vn.str = value;
	vn.len = strlen(value);
	if (kind == SIM_METRIC_TIME) {
		sim_time ps;
		int rc = sim_parse_time(value, &ps);
		if (rc == SIM_UNITS_ENOUNIT)
			return fail(c, n, "metric '%s' is a time; the value needs a time unit, e.g. 40us (found '%s')",
				    e->metric, value);
		if (rc)
			return qty_error(c, &vn, SIM_QTY_TIME, NULL, rc);
		e->value = (double)ps;
	} else {
		int rc = sim_parse_number(value, &e->value);
		if (rc == SIM_UNITS_EUNIT || rc == SIM_UNITS_EUNKNOWN)
			return fail(c, n, "metric '%s' is a %s; the value must be a plain number (found '%s')",
				    e->metric, kind == SIM_METRIC_COUNT ? "count" : "ratio", value);
		if (rc)
			return qty_error(c, &vn, SIM_QTY_NUMBER, "a plain number", rc);
	}
	return 0;
}

static int parse_smc_check(struct vctx *c, const struct ynode *n, struct scenario_expect *e)
{
	static const char *const keys[] = { "smc_sequence", "notification", NULL };
	struct scenario *s = c->s;
	e->kind = SCENARIO_EXPECT_SMC_SEQUENCE;
	e->notification = 1;
	if (check_map(c, n, keys))
		return -1;
	const struct ynode *seq = ynode_get(n, "smc_sequence", NULL);
	if (!seq)
		return missing(c, n, "smc_sequence");
	size_t mark = push_key(c, "smc_sequence");
	if (want_seq(c, seq, "a sequence of SMC function names or ids", 1, SCENARIO_MAX_SMC_SEQ))
		return -1;
	if (s->n_smc_fns + seq->n > SCENARIO_MAX_SMC_TOTAL)
		return fail(c, seq, "too many smc_sequence entries in the scenario (at most %d in all)",
			    SCENARIO_MAX_SMC_TOTAL);
	e->smc_first = s->n_smc_fns;
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *f = seq->val[i];
		struct scenario_smc_fn *fn = &s->smc_fns[s->n_smc_fns];
		size_t m2 = push_idx(c, i);
		if (want_scalar(c, f, "an SMC function name or id"))
			return -1;
		if (f->str[0] == '0' && (f->str[1] == 'x' || f->str[1] == 'X')) {
			char *end;
			errno = 0;
			unsigned long long id = strtoull(f->str + 2, &end, 16);
			if (end == f->str + 2 || *end || errno || id > UINT32_MAX)
				return fail(c, f, "bad SMC function id '%.64s' (expected 32-bit hex, e.g. 0x32000009)",
					    f->str);
			fn->id = (uint32_t)id;
		} else if (get_name(c, f, fn->name)) {
			return -1;
		}
		s->n_smc_fns++;
		pop(c, m2);
	}
	e->smc_count = (unsigned)seq->n;
	pop(c, mark);
	WITH_KEY(c, n, "notification", x, get_uint(c, x, 1, 1000000000, &e->notification));
	return 0;
}

/* ---- the document -------------------------------------------------------------------------- */

static int parse_seq_section(struct vctx *c, const struct ynode *root, const char *key, size_t cap,
			     unsigned *count, int (*fn)(struct vctx *, const struct ynode *, unsigned))
{
	const struct ynode *n = ynode_get(root, key, NULL);
	if (!n)
		return 0;
	size_t mark = push_key(c, key);
	if (n->kind != YNODE_SEQ)
		return type_error(c, n, "a sequence");
	if (n->n > cap)
		return fail(c, n->val[cap], "too many entries (at most %zu)", cap);
	for (size_t i = 0; i < n->n; i++) {
		size_t m2 = push_idx(c, i);
		if (fn(c, n->val[i], (unsigned)i))
			return -1;
		*count = (unsigned)i + 1;
		pop(c, m2);
	}
	pop(c, mark);
	return 0;
}

static int parse_expect_item(struct vctx *c, const struct ynode *n, unsigned idx)
{
	struct scenario_expect *e = &c->s->expect[idx];
	e->pos = (struct scenario_pos){ n->line, n->col };
	if (n->kind == YNODE_SCALAR && !is_null(n))
		return parse_check(c, n, e);
	if (n->kind == YNODE_MAP)
		return parse_smc_check(c, n, e);
	return type_error(c, n, "a check '<metric> <op> <value>' or a mapping {smc_sequence: [...]}");
}

static void set_defaults(struct scenario *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	if (len > SCENARIO_NAME_MAX)
		len = SCENARIO_NAME_MAX;
	/* A name goes into output paths: keep it to [A-Za-z0-9_.-]. */
	for (size_t i = 0; i < len; i++) {
		char ch = base[i];
		s->name[i] = good_name((char[]){ ch, 0 }) ? ch : '_';
	}
	if (!s->name[0])
		snprintf(s->name, sizeof(s->name), "scenario");
	s->seed = 1;
	s->stop = SCENARIO_STOP_AFTER;
	s->stop_after = 100 * SIM_MS;
	s->kernel = SIM_BACKEND_NATIVE;
	s->platform.cpus = 4;
	sim_costs_preset(&s->platform.costs, SIM_PRESET_A53);
	s->platform.prio_bits = 5;
	s->transport.kind = SCENARIO_SPI;
	s->transport.intid = 219;
	s->tee_threads = 2;
	s->tee_async_notif = true;
	s->outputs = SCENARIO_TRACE_CSV;
}

static int validate(struct vctx *c, const struct ynode *root)
{
	static const char *const keys[] = { "name", "description", "seed", "stop", "kernel", "platform",
					    "transport", "tee", "ree", "sources", "workloads", "timeline",
					    "outputs", "expect", NULL };
	static const char *const kernels[] = { "native", "systemc", NULL };
	struct scenario *s = c->s;
	unsigned v;

	if (root->kind != YNODE_MAP)
		return fail(c, root, "a scenario is a mapping of keys (name, platform, sources, ...), found %s",
			    ynode_kind_name(root->kind));
	if (check_map(c, root, keys))
		return -1;
	WITH_KEY(c, root, "name", x, get_name(c, x, s->name));
	WITH_KEY(c, root, "description", x, get_text(c, x, s->description, sizeof(s->description)));
	WITH_KEY(c, root, "seed", x, get_u64(c, x, &s->seed));
	WITH_KEY(c, root, "stop", x, parse_stop(c, x));
	WITH_KEY(c, root, "kernel", x, get_enum(c, x, kernels, &v) || ((s->kernel = (enum sim_backend)v), 0));
	/* platform first: cpu numbers everywhere are checked against platform.cpus */
	WITH_KEY(c, root, "platform", x, parse_platform(c, x));
	WITH_KEY(c, root, "transport", x, parse_transport(c, x));
	WITH_KEY(c, root, "tee", x, parse_tee(c, x));
	WITH_KEY(c, root, "ree", x, parse_ree(c, x));
	if (parse_seq_section(c, root, "sources", SCENARIO_MAX_SOURCES, &s->n_sources, parse_source) ||
	    parse_seq_section(c, root, "workloads", SCENARIO_MAX_WORKLOADS, &s->n_workloads, parse_workload) ||
	    parse_seq_section(c, root, "timeline", SCENARIO_MAX_TIMELINE, &s->n_timeline, parse_event))
		return -1;
	qsort(s->timeline, s->n_timeline, sizeof(s->timeline[0]), event_cmp);
	WITH_KEY(c, root, "outputs", x, parse_outputs(c, x));
	return parse_seq_section(c, root, "expect", SCENARIO_MAX_EXPECT, &s->n_expect, parse_expect_item);
}

/* ---- overrides ----------------------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int ovr_fail(struct sim_diag *diag, const char *ovr,
							  const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	diag_set(diag, "--vary %s: %s", ovr, what);
	return -1;
}

/*
 * Apply `key.path=value` to the tree at *@root. The value is parsed as
 * YAML and replaces the node at the path; missing mapping keys on the way
 * are created (as mappings, or sequences before [n]).
 */
static int apply_override(struct ynode **root, const char *ovr, unsigned origin, struct sim_diag *diag)
{
	const char *eq = strchr(ovr, '=');
	if (!eq || eq == ovr)
		return ovr_fail(diag, ovr, "expected key.path=value");
	struct ynode *val = NULL;
	struct ynode_error yerr;
	const char *vtext = eq + 1;
	if (ynode_parse(vtext, strlen(vtext), &val, &yerr))
		return ovr_fail(diag, ovr, "the value is not valid YAML: %s", yerr.msg);
	if (!val && !(val = ynode_new_scalar("")))
		return ovr_fail(diag, ovr, "out of memory");
	ynode_set_origin(val, origin);

	struct ynode **slot = root;
	const char *p = ovr, *end = eq;
	bool whole_rest = false; /* under cost_overrides, the rest of the path is one cost name */
	int rc = -1;
	while (p < end) {
		struct ynode *cur = *slot;
		int plen = (int)(p - ovr);
		if (*p == '[') {
			char *e;
			errno = 0;
			unsigned long idx = strtoul(p + 1, &e, 10);
			if (e == p + 1 || *e != ']' || e > end || errno) {
				ovr_fail(diag, ovr, "bad index in '%.*s'", (int)(end - ovr), ovr);
				goto out;
			}
			if (cur->kind != YNODE_SEQ) {
				ovr_fail(diag, ovr, "'%.*s' is %s, not a sequence", plen, ovr, ynode_kind_name(cur->kind));
				goto out;
			}
			p = e + 1;
			if (idx > cur->n) {
				ovr_fail(diag, ovr, "index %lu is past the end of '%.*s' (%zu items)", idx, plen, ovr,
					 cur->n);
				goto out;
			}
			if (idx == cur->n) {
				struct ynode *item = p == end ? NULL : ynode_new(*p == '[' ? YNODE_SEQ : YNODE_MAP);
				if (p != end && !item) {
					ovr_fail(diag, ovr, "out of memory");
					goto out;
				}
				if (item)
					item->origin = origin;
				if (ynode_append(cur, NULL, item)) {
					ynode_free(item);
					ovr_fail(diag, ovr, "out of memory");
					goto out;
				}
			}
			slot = &cur->val[idx];
		} else {
			const char *k = p;
			if (p > ovr && *p != '.') {
				ovr_fail(diag, ovr, "expected '.' or '[' after '%.*s'", plen, ovr);
				goto out;
			}
			if (*p == '.' && p > ovr)
				k = ++p;
			if (whole_rest)
				p = end;
			else
				while (p < end && *p != '.' && *p != '[')
					p++;
			if (p == k) {
				ovr_fail(diag, ovr, "empty key in '%.*s'", (int)(end - ovr), ovr);
				goto out;
			}
			char key[128];
			snprintf(key, sizeof(key), "%.*s", (int)(p - k), k);
			whole_rest = !strcmp(key, "cost_overrides");
			if (cur->kind != YNODE_MAP) {
				ovr_fail(diag, ovr, "'%.*s' is %s, not a mapping", (int)(k - ovr - 1), ovr,
					 ynode_kind_name(cur->kind));
				goto out;
			}
			size_t idx;
			if (!ynode_get(cur, key, &idx)) {
				struct ynode *kn = ynode_new_scalar(key);
				struct ynode *vn = p == end ? NULL : ynode_new(*p == '[' ? YNODE_SEQ : YNODE_MAP);
				if (!kn || (p != end && !vn) || ynode_append(cur, kn, vn)) {
					ynode_free(kn);
					ynode_free(vn);
					ovr_fail(diag, ovr, "out of memory");
					goto out;
				}
				kn->origin = origin;
				if (vn)
					vn->origin = origin;
				idx = cur->n - 1;
			}
			slot = &cur->val[idx];
		}
	}
	ynode_free(*slot);
	*slot = val;
	val = NULL;
	rc = 0;
out:
	ynode_free(val);
	return rc;
}

/* ---- entry points -------------------------------------------------------------------------- */

int scenario_load_string(const char *text, const char *fake_path, const char *const *overrides,
			 int n_overrides, struct scenario *out, struct sim_diag *diag)
{
	struct vctx c = { .file = fake_path, .ovr = overrides, .diag = diag, .s = out };
	struct ynode *root = NULL;
	struct ynode_error yerr;

	diag->msg[0] = 0;
	set_defaults(out, fake_path);
	const char *slash = strrchr(fake_path, '/');
	if (slash)
		snprintf(c.dir, sizeof(c.dir), "%.*s", slash == fake_path ? 1 : (int)(slash - fake_path), fake_path);
	if (ynode_parse(text, strlen(text), &root, &yerr)) {
		diag_set(diag, "%s:%u:%u: %s", fake_path, yerr.line, yerr.col, yerr.msg);
		return -1;
	}
	if (!root) {
		snprintf(diag->msg, sizeof(diag->msg),
			 "%s:1:1: empty document; a scenario is a mapping of keys (name, platform, sources, ...)",
			 fake_path);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n_overrides && !rc; i++)
		rc = apply_override(&root, overrides[i], (unsigned)i + 1, diag);
	if (!rc)
		rc = validate(&c, root);
	ynode_free(root);
	return rc;
}

int scenario_load(const char *path, const char *const *overrides, int n_overrides, struct scenario *out,
		  struct sim_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		diag_set(diag, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int rc = -1;
	if (!buf) {
		diag_set(diag, "%s: out of memory", path);
		goto out;
	}
	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= MAX_FILE_BYTES) {
				diag_set(diag, "%s: too large (over %u MiB)", path, MAX_FILE_BYTES >> 20);
				goto out;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				diag_set(diag, "%s: out of memory", path);
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				diag_set(diag, "%s: cannot read: %s", path, strerror(errno));
				goto out;
			}
			break;
		}
	}
	buf[len] = 0;
	const char *nul = memchr(buf, 0, len);
	if (nul) {
		unsigned line = 1, col = 1;
		for (const char *q = buf; q < nul; q++, col++)
			if (*q == '\n') {
				line++;
				col = 0;
			}
		diag_set(diag, "%s:%u:%u: the file contains a NUL byte", path, line, col);
		goto out;
	}
	rc = scenario_load_string(buf, path, overrides, n_overrides, out, diag);
out:
	free(buf);
	fclose(f);
	return rc;
}

void scenario_free(struct scenario *s) { memset(s, 0, sizeof(*s)); }

const char *scenario_transport_name(enum scenario_transport t)
{
	static const char *const n[] = { "spi", "ppi", "sgi", "ffa" };
	return (unsigned)t < 4 ? n[t] : "?";
}

const char *scenario_action_name(enum scenario_action a)
{
	static const char *const n[] = { "cpu_off", "cpu_on", "suspend", "storm", "mask_window", "load" };
	return (unsigned)a < 6 ? n[a] : "?";
}

const char *scenario_op_name(enum scenario_op op)
{
	static const char *const n[] = { "<", "<=", ">", ">=", "==", "!=" };
	return (unsigned)op < 6 ? n[op] : "?";
}
