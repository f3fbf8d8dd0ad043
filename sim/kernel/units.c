// SPDX-License-Identifier: BSD-3-Clause
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel/units.h"

static const struct unit {
	const char *name;
	enum sim_qty_kind kind;
	int pow10; /* scale to ps, cycles or Hz */
} units[] = {
	{ "ps", SIM_QTY_TIME, 0 },      { "ns", SIM_QTY_TIME, 3 },   { "us", SIM_QTY_TIME, 6 },
	{ "\xc2\xb5s", SIM_QTY_TIME, 6 }, /* U+00B5 MICRO SIGN */
	{ "\xce\xbcs", SIM_QTY_TIME, 6 }, /* U+03BC GREEK SMALL LETTER MU */
	{ "ms", SIM_QTY_TIME, 9 },      { "s", SIM_QTY_TIME, 12 },   { "cycles", SIM_QTY_CYCLES, 0 },
	{ "cycle", SIM_QTY_CYCLES, 0 }, { "Hz", SIM_QTY_FREQ, 0 },   { "kHz", SIM_QTY_FREQ, 3 },
	{ "MHz", SIM_QTY_FREQ, 6 },     { "GHz", SIM_QTY_FREQ, 9 },
};
#define N_UNITS (sizeof(units) / sizeof(units[0]))

/* Significant digits kept exactly; later ones only move the exponent (or are dropped). */
#define MAX_DIGITS 36

/* The number at the start of a quantity: mant * 10^exp10, exactly. */
struct decimal {
	unsigned __int128 mant;
	long exp10;
	bool neg;
	size_t len; /* characters consumed */
};

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool scan_decimal(const char *s, struct decimal *d)
{
	size_t i = 0, digits = 0, kept = 0;
	memset(d, 0, sizeof(*d));
	if (s[i] == '+' || s[i] == '-')
		d->neg = s[i++] == '-';
	for (bool frac = false;; i++) {
		if (s[i] == '.' && !frac) {
			frac = true;
			continue;
		}
		if (!is_digit(s[i]))
			break;
		digits++;
		if (d->mant == 0 && s[i] == '0') {
			if (frac)
				d->exp10--;
			continue;
		}
		if (kept < MAX_DIGITS) {
			d->mant = d->mant * 10 + (unsigned)(s[i] - '0');
			kept++;
			if (frac)
				d->exp10--;
		} else if (!frac) {
			d->exp10++;
		}
	}
	if (digits == 0)
		return false;
	/* An exponent only when digits follow: in `5em` the `e` starts a unit. */
	if (s[i] == 'e' || s[i] == 'E') {
		size_t j = i + 1;
		bool eneg = false;
		if (s[j] == '+' || s[j] == '-')
			eneg = s[j++] == '-';
		if (is_digit(s[j])) {
			long e = 0;
			for (; is_digit(s[j]); j++)
				if (e < 100000)
					e = e * 10 + (s[j] - '0');
			d->exp10 += eneg ? -e : e;
			i = j;
		}
	}
	d->len = i;
	return true;
}

/* mant * 10^e rounded to the nearest integer (halves up); -1 on overflow of 64 bits. */
static int decimal_to_u64(unsigned __int128 mant, long e, uint64_t *out)
{
	if (mant == 0) {
		*out = 0;
		return 0;
	}
	if (e >= 0) {
		for (; e > 0; e--) {
			if (mant > UINT64_MAX)
				return -1;
			mant *= 10;
		}
		if (mant > UINT64_MAX)
			return -1;
		*out = (uint64_t)mant;
		return 0;
	}
	/* mant < 10^36, so dividing by 10^38 or more always rounds to 0. */
	if (e < -38) {
		*out = 0;
		return 0;
	}
	unsigned __int128 div = 1;
	for (long k = 0; k < -e; k++)
		div *= 10;
	unsigned __int128 q = mant / div, r = mant % div;
	if (r >= div - r)
		q++;
	if (q > UINT64_MAX)
		return -1;
	*out = (uint64_t)q;
	return 0;
}

static bool is_unit_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

int sim_qty_parse(const char *s, struct sim_qty *q)
{
	struct decimal d;
	memset(q, 0, sizeof(*q));
	if (!s || !*s)
		return SIM_UNITS_EEMPTY;
	if (!scan_decimal(s, &d))
		return SIM_UNITS_ENOTNUM;

	const char *u = s + d.len;
	if (*u == ' ')
		u++;
	size_t ulen = strlen(u);
	if (ulen == 0) {
		if (u != s + d.len)
			return SIM_UNITS_EJUNK; /* a trailing space */
		q->kind = SIM_QTY_NUMBER;
		char *end;
		q->value = strtod(s, &end);
		if (isinf(q->value))
			return SIM_UNITS_EOVERFLOW;
		return 0;
	}

	const struct unit *unit = NULL;
	for (size_t i = 0; i < N_UNITS; i++)
		if (!strcmp(u, units[i].name))
			unit = &units[i];
	q->unit = u;
	q->unit_len = ulen;
	if (!unit) {
		for (size_t i = 0; i < ulen; i++)
			if (!is_unit_char((unsigned char)u[i]))
				return SIM_UNITS_EJUNK;
		return SIM_UNITS_EUNKNOWN;
	}
	q->kind = unit->kind;
	if (d.neg && d.mant != 0)
		return SIM_UNITS_ENEGATIVE;
	if (d.neg) /* -0 */
		return SIM_UNITS_ENEGATIVE;
	switch (unit->kind) {
	case SIM_QTY_TIME:
	case SIM_QTY_FREQ:
		if (decimal_to_u64(d.mant, d.exp10 + unit->pow10, &q->exact))
			return SIM_UNITS_EOVERFLOW;
		q->value = (double)q->exact;
		break;
	default:
		q->value = strtod(s, NULL);
		if (isinf(q->value))
			return SIM_UNITS_EOVERFLOW;
		break;
	}
	return 0;
}

static int parse_kind(const char *s, enum sim_qty_kind kind, struct sim_qty *q)
{
	int rc = sim_qty_parse(s, q);
	if (rc == SIM_UNITS_ENEGATIVE && q->kind != kind)
		return SIM_UNITS_EKIND;
	if (rc)
		return rc;
	if (q->kind == SIM_QTY_NUMBER)
		return q->value < 0 ? SIM_UNITS_ENEGATIVE : SIM_UNITS_ENOUNIT;
	if (q->kind != kind)
		return SIM_UNITS_EKIND;
	return 0;
}

int sim_parse_time(const char *s, sim_time *ps)
{
	struct sim_qty q;
	int rc = parse_kind(s, SIM_QTY_TIME, &q);
	if (!rc)
		*ps = q.exact;
	return rc;
}

int sim_parse_freq(const char *s, uint64_t *hz)
{
	struct sim_qty q;
	int rc = parse_kind(s, SIM_QTY_FREQ, &q);
	if (!rc)
		*hz = q.exact;
	return rc;
}

int sim_parse_cycles(const char *s, double *cycles)
{
	struct sim_qty q;
	int rc = parse_kind(s, SIM_QTY_CYCLES, &q);
	if (!rc)
		*cycles = q.value;
	return rc;
}

int sim_parse_number(const char *s, double *v)
{
	struct sim_qty q;
	int rc = sim_qty_parse(s, &q);
	if (rc == SIM_UNITS_ENEGATIVE)
		return SIM_UNITS_EUNIT;
	if (rc)
		return rc;
	if (q.kind != SIM_QTY_NUMBER)
		return SIM_UNITS_EUNIT;
	*v = q.value;
	return 0;
}

const char *sim_units_list(enum sim_qty_kind kind)
{
	switch (kind) {
	case SIM_QTY_TIME:
		return "ps, ns, us, ms, s";
	case SIM_QTY_CYCLES:
		return "cycles";
	case SIM_QTY_FREQ:
		return "Hz, kHz, MHz, GHz";
	default:
		return "";
	}
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

const char *sim_units_match_nocase(const char *unit, size_t len, enum sim_qty_kind kind)
{
	for (size_t i = 0; i < N_UNITS; i++) {
		if (units[i].kind != kind || strlen(units[i].name) != len)
			continue;
		size_t k = 0;
		while (k < len && lower(unit[k]) == lower(units[i].name[k]))
			k++;
		if (k == len)
			return units[i].name;
	}
	return NULL;
}

const char *sim_units_strerror(int err)
{
	switch (err) {
	case SIM_UNITS_OK:
		return "ok";
	case SIM_UNITS_EEMPTY:
		return "empty value";
	case SIM_UNITS_ENOTNUM:
		return "not a number";
	case SIM_UNITS_ENEGATIVE:
		return "negative quantity";
	case SIM_UNITS_ENOUNIT:
		return "missing unit";
	case SIM_UNITS_EUNKNOWN:
		return "unknown unit";
	case SIM_UNITS_EKIND:
		return "unit of the wrong kind";
	case SIM_UNITS_EOVERFLOW:
		return "too large (overflows 64 bits)";
	case SIM_UNITS_EJUNK:
		return "unexpected characters after the number";
	case SIM_UNITS_EUNIT:
		return "expected a plain number without a unit";
	default:
		return "unknown error";
	}
}
