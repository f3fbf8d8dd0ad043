/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/units.h: quantities with units, as scenario files write them.
 *
 * A quantity is a decimal number with an optional fraction and exponent
 * (`40`, `1.5`, `2e3`, `.5`), then at most one space, then a unit:
 *
 *   time       ps ns us µs ms s      -> picoseconds (uint64, rounded to nearest)
 *   cycles     cycles cycle          -> cycles (double)
 *   frequency  Hz kHz MHz GHz        -> hertz (uint64, rounded to nearest)
 *
 * Units are case-sensitive (`MHz`, not `mhz`; the scenario loader suggests
 * the right spelling). Time and frequency are converted exactly from the
 * decimal text (no binary floating point on the way), so `1.2GHz` is
 * 1200000000 Hz and `0.1ns` is 100 ps; a value that does not fit in 64
 * bits is an overflow, not a wrap.
 *
 * This module only parses; it owns no state, allocates nothing and never
 * prints. Errors are negative SIM_UNITS_E* values; sim_units_strerror()
 * names them.
 */
#ifndef SIM_UNITS_H
#define SIM_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/kernel/time.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sim_qty_kind {
	SIM_QTY_NUMBER = 0, /* no unit */
	SIM_QTY_TIME,
	SIM_QTY_CYCLES,
	SIM_QTY_FREQ,
};

enum sim_units_err {
	SIM_UNITS_OK = 0,
	SIM_UNITS_EEMPTY = -1,    /* empty text */
	SIM_UNITS_ENOTNUM = -2,   /* does not start with a number */
	SIM_UNITS_ENEGATIVE = -3, /* a quantity with a unit below zero */
	SIM_UNITS_ENOUNIT = -4,   /* a bare number where a unit is required */
	SIM_UNITS_EUNKNOWN = -5,  /* letters after the number that are no unit */
	SIM_UNITS_EKIND = -6,     /* a valid unit of another kind (`5kHz` as a time) */
	SIM_UNITS_EOVERFLOW = -7, /* does not fit in 64 bits (or a double) */
	SIM_UNITS_EJUNK = -8,     /* anything else after the number */
	SIM_UNITS_EUNIT = -9,     /* a unit where a plain number is required */
};

/* One parsed quantity. */
struct sim_qty {
	enum sim_qty_kind kind;
	double value;      /* the number times the unit's scale: ps, cycles, Hz, or the bare number */
	uint64_t exact;    /* TIME: ps, FREQ: Hz, rounded to nearest; else 0 */
	const char *unit;  /* the unit's text inside the input (NULL for a bare number) */
	size_t unit_len;
};

/*
 * sim_qty_parse - parse @s as a number with an optional unit of any kind.
 * A bare number may be negative; a quantity with a unit may not.
 * Returns 0, or SIM_UNITS_EEMPTY, _ENOTNUM, _ENEGATIVE, _EUNKNOWN (q->unit
 * then points at the unknown unit), _EOVERFLOW or _EJUNK.
 */
int sim_qty_parse(const char *s, struct sim_qty *q);

/*
 * sim_parse_time, sim_parse_freq, sim_parse_cycles - parse a quantity of
 * one kind. Returns 0, an error of sim_qty_parse, SIM_UNITS_ENOUNIT for a
 * bare number or SIM_UNITS_EKIND for a unit of another kind.
 */
int sim_parse_time(const char *s, sim_time *ps);
int sim_parse_freq(const char *s, uint64_t *hz);
int sim_parse_cycles(const char *s, double *cycles);

/*
 * sim_parse_number - a plain number (may be negative, no unit).
 * Returns 0, SIM_UNITS_EUNIT when a unit follows, or an error of
 * sim_qty_parse.
 */
int sim_parse_number(const char *s, double *v);

/* The units of @kind separated by ", " ("ps, ns, us, ms, s"). */
const char *sim_units_list(enum sim_qty_kind kind);

/*
 * sim_units_match_nocase - the unit of @kind that equals @unit (of @len
 * bytes) ignoring ASCII case, or NULL: the loader's "did you mean 'MHz'?".
 */
const char *sim_units_match_nocase(const char *unit, size_t len, enum sim_qty_kind kind);

/* A short English description of a SIM_UNITS_E* value. */
const char *sim_units_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif
