// SPDX-License-Identifier: BSD-3-Clause
/*
 * Scenario costs: a constant (`800 cycles`, `2us`) or a one-key mapping
 * naming a distribution (exponential, normal, lognormal, uniform,
 * empirical) whose values all share one unit kind, cycles or time.
 *
 * scn_get_cost() fills a struct sim_cost; it checks every parameter the
 * distribution needs and nothing about where the cost is used.
 */
#include <string.h>

#include "sim/scenario/scenario_internal.h"

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
	if (scn_want_scalar(c, n, COST_WANT))
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
			return scn_fail(c, n, "unknown unit '%.*s'; did you mean '%s'?", (int)q.unit_len, q.unit, fix);
		return scn_fail(c, n, "unknown unit '%.*s' (expected cycles or ps, ns, us, ms, s)", (int)q.unit_len,
				q.unit);
	}
	if (rc == SIM_UNITS_ENOUNIT)
		return scn_fail(c, n, "expected a cost with a unit, e.g. 800 cycles or 2us; found '%.64s'", n->str);
	if (rc)
		return scn_qty_error(c, n, SIM_QTY_NUMBER, COST_WANT, rc);
	enum sim_cost_unit unit = q.kind == SIM_QTY_CYCLES ? SIM_COST_CYCLES : SIM_COST_PS;
	if (u->set && u->unit != unit)
		return scn_fail(c, n, "'%.64s' is %s but the cost's other values are %s; one cost uses one unit kind",
				n->str, unit == SIM_COST_CYCLES ? "in cycles" : "a time",
				u->unit == SIM_COST_CYCLES ? "in cycles" : "times");
	/* bounded, so that no draw overflows when it becomes picoseconds (scenario.h) */
	if (unit == SIM_COST_PS && q.value > (double)SCENARIO_MAX_TIME)
		return scn_fail(c, n, "%.64s is out of range 0..3600s (a cost is at most 1 hour)", n->str);
	if (unit == SIM_COST_CYCLES && q.value > (double)SCENARIO_MAX_COST_CYCLES)
		return scn_fail(c, n, "%.64s is out of range 0..1e12 cycles", n->str);
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
		return scn_missing(c, m, key);
	size_t mark = scn_push_key(c, key);
	int rc = cost_value(c, v, u, out);
	scn_pop(c, mark);
	return rc;
}

int scn_get_cost(struct vctx *c, const struct ynode *n, struct sim_cost *out)
{
	static const char *const dists[] = { "exponential", "normal", "lognormal", "uniform", "empirical", NULL };
	static const char *const k_mean[] = { "mean", NULL }, *const k_normal[] = { "mean", "sd", NULL },
				 *const k_logn[] = { "median", "p99", NULL };
	struct cost_unit u = { 0 };
	double a = 0, b = 0;

	memset(out, 0, sizeof(*out));
	if (n->kind == YNODE_SCALAR || n->kind == YNODE_SEQ) {
		if (n->kind == YNODE_SEQ)
			return scn_type_error(c, n, "a cost: a constant like 800 cycles or a one-key mapping naming a distribution");
		if (cost_value(c, n, &u, &a))
			return -1;
		out->d = sim_dist_const(a);
		out->unit = u.unit;
		return 0;
	}
	size_t which = 0;
	if (scn_one_key(c, n, dists, &which))
		return -1;
	const struct ynode *p = n->val[0];
	size_t mark = scn_push_key(c, dists[which]);
	int rc = -1;
	switch (which) {
	case 0: /* exponential */
		if (scn_check_map(c, p, k_mean) || dist_param(c, p, "mean", &u, &a))
			break;
		if (!(a > 0)) {
			size_t m2 = scn_push_key(c, "mean");
			scn_fail(c, ynode_get(p, "mean", NULL), "must be greater than 0");
			scn_pop(c, m2);
			break;
		}
		out->d = (struct sim_dist){ .kind = SIM_DIST_EXPONENTIAL, .a = a };
		rc = 0;
		break;
	case 1: /* normal */
		if (scn_check_map(c, p, k_normal) || dist_param(c, p, "mean", &u, &a) || dist_param(c, p, "sd", &u, &b))
			break;
		out->d = (struct sim_dist){ .kind = SIM_DIST_NORMAL, .a = a, .b = b };
		rc = 0;
		break;
	case 2: /* lognormal */
		if (scn_check_map(c, p, k_logn) || dist_param(c, p, "median", &u, &a) ||
		    dist_param(c, p, "p99", &u, &b))
			break;
		if (!(a > 0)) {
			size_t m2 = scn_push_key(c, "median");
			scn_fail(c, ynode_get(p, "median", NULL), "must be greater than 0");
			scn_pop(c, m2);
			break;
		}
		if (b < a) {
			size_t m2 = scn_push_key(c, "p99");
			scn_fail(c, ynode_get(p, "p99", NULL), "p99 %s is below the median %s; p99 must be >= median",
				 ynode_get(p, "p99", NULL)->str, ynode_get(p, "median", NULL)->str);
			scn_pop(c, m2);
			break;
		}
		out->d = sim_dist_lognormal(a, b);
		rc = 0;
		break;
	case 3: /* uniform: [lo, hi] */
		if (p->kind != YNODE_SEQ || p->n != 2) {
			scn_fail(c, p, "expected a sequence [lo, hi] of two values");
			break;
		}
		{
			size_t m2 = scn_push_idx(c, 0);
			if (cost_value(c, p->val[0], &u, &a)) {
				break;
			}
			scn_pop(c, m2);
			m2 = scn_push_idx(c, 1);
			if (cost_value(c, p->val[1], &u, &b))
				break;
			if (b < a) {
				scn_fail(c, p->val[1], "hi %s is below lo %s", p->val[1]->str, p->val[0]->str);
				break;
			}
			scn_pop(c, m2);
		}
		out->d = (struct sim_dist){ .kind = SIM_DIST_UNIFORM, .a = a, .b = b };
		rc = 0;
		break;
	case 4: { /* empirical: [[value, weight], ...] */
		double val[SIM_DIST_MAX_TABLE], w[SIM_DIST_MAX_TABLE];
		if (scn_want_seq(c, p, "a sequence of [value, weight] pairs", 1, SIM_DIST_MAX_TABLE))
			break;
		bool ok = true;
		for (size_t i = 0; i < p->n && ok; i++) {
			const struct ynode *row = p->val[i];
			size_t m2 = scn_push_idx(c, i);
			ok = false;
			if (row->kind != YNODE_SEQ || row->n != 2) {
				scn_fail(c, row, "expected a [value, weight] pair");
				break;
			}
			size_t m3 = scn_push_idx(c, 0);
			if (cost_value(c, row->val[0], &u, &val[i]))
				break;
			scn_pop(c, m3);
			m3 = scn_push_idx(c, 1);
			const struct ynode *wn = row->val[1];
			if (scn_want_scalar(c, wn, "a weight (a plain number >= 0)"))
				break;
			int wrc = sim_parse_number(wn->str, &w[i]);
			if (wrc) {
				scn_qty_error(c, wn, SIM_QTY_NUMBER, "a weight (a plain number >= 0)", wrc);
				break;
			}
			if (w[i] < 0) {
				scn_fail(c, wn, "weight %s is negative", wn->str);
				break;
			}
			scn_pop(c, m3);
			scn_pop(c, m2);
			ok = true;
		}
		if (!ok)
			break;
		if (sim_dist_empirical(&out->d, val, w, (unsigned)p->n)) {
			scn_fail(c, p, "the weights sum to 0");
			break;
		}
		rc = 0;
		break;
	}
	}
	if (rc)
		return -1;
	scn_pop(c, mark);
	out->unit = u.unit;
	return 0;
}
