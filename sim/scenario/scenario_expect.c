// SPDX-License-Identifier: BSD-3-Clause
/*
 * Scenario expect checks: a metric comparison '<metric> <op> <value>'
 * (the metric as sim/stats/metrics.h names it, the value in the metric's unit)
 * or an {smc_sequence: [...], notification: N} mapping. The SMC function
 * names and ids of every sequence share the scenario's smc_fns table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats/metrics.h"
#include "sim/scenario/scenario_internal.h"

/* ---- expect -------------------------------------------------------------------------------- */

/* Every metric name sim_metric_kind() accepts, for "did you mean". */
struct metric_names {
	char buf[128][40];
	const char *p[128];
	size_t n;
};

static void add_names(struct metric_names *m, const char *const *list)
{
	for (; *list && m->n < 128; list++)
		m->p[m->n++] = *list;
}

/* sim/stats/metrics.c's lists, so that a metric added there is suggested too */
static void metric_names(struct metric_names *m)
{
	m->n = 0;
	add_names(m, sim_metric_counts);
	add_names(m, sim_metric_ratios);
	add_names(m, sim_metric_times);
	for (int sp = 0; sp < SIM_SPAN_COUNT; sp++)
		for (size_t st = 0; sim_metric_stats[st] && m->n < 128; st++) {
			snprintf(m->buf[m->n], sizeof(m->buf[0]), "latency.%s.%s", sim_span_name((enum sim_span)sp),
				 sim_metric_stats[st]);
			m->p[m->n] = m->buf[m->n];
			m->n++;
		}
}

static bool metric_char(char ch)
{
	/* a workload's name in workload.<name>.* may hold any name character: [A-Za-z0-9_.-] */
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
	       ch == '.' || ch == '-';
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
		return scn_fail(c, n, "check too long (%zu bytes; at most %zu)", n->len, sizeof(e->text) - 1);
	memcpy(e->text, s, n->len + 1);

	while (*s == ' ' || *s == '\t')
		s++;
	const char *m = s;
	while (metric_char(*s))
		s++;
	size_t mlen = (size_t)(s - m);
	if (mlen == 0 || mlen > SCENARIO_METRIC_MAX)
		return scn_fail(c, n, "%s; found '%.64s'", syntax, n->str);
	memcpy(e->metric, m, mlen);
	e->metric[mlen] = 0;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t op = 0;
	while (op < 6 && strncmp(s, ops[op], strlen(ops[op])))
		op++;
	if (op == 6)
		return scn_fail(c, n, "%s; no operator after '%s'", syntax, e->metric);
	e->op = op_ids[op];
	s += strlen(ops[op]);
	while (*s == ' ' || *s == '\t')
		s++;
	char value[SCENARIO_TEXT_MAX];
	snprintf(value, sizeof(value), "%s", s);
	for (size_t l = strlen(value); l && (value[l - 1] == ' ' || value[l - 1] == '\t'); l--)
		value[l - 1] = 0;
	if (!value[0])
		return scn_fail(c, n, "%s; no value after '%s'", syntax, ops[op]);

	enum sim_metric_kind kind = sim_metric_kind(e->metric);
	e->metric_kind = kind;
	if (kind == SIM_METRIC_UNKNOWN) {
		struct metric_names names;
		metric_names(&names);
		const char *sug = scn_suggest(e->metric, names.p, names.n);
		if (sug)
			return scn_fail(c, n, "unknown metric '%s'; did you mean '%s'?", e->metric, sug);
		return scn_fail(c, n, "unknown metric '%s' (see sim/stats/metrics.h for the names)", e->metric);
	}
	if (!strncmp(e->metric, "workload.", 9)) {
		const char *wn, *st;
		size_t wl;
		bool wake;
		unsigned i;
		sim_metric_workload(e->metric, &wn, &wl, &wake, &st);
		for (i = 0; i < c->s->n_workloads; i++)
			if (c->s->workloads[i].kind == SCENARIO_TA_INVOKE && strlen(c->s->workloads[i].name) == wl &&
			    !strncmp(c->s->workloads[i].name, wn, wl))
				break;
		if (i == c->s->n_workloads)
			return scn_fail(c, n, "metric '%s': no ta_invoke workload named '%.*s' (a response time needs one)",
					e->metric, (int)wl, wn);
		if (wake && c->s->workloads[i].wait_for < 0)
			return scn_fail(c, n, "metric '%s': workload '%.*s' does not wait (a wake-up needs wait_for)",
					e->metric, (int)wl, wn);
	}
	struct ynode vn = *n; /* messages about the value quote the value alone */
	vn.str = value;
	vn.len = strlen(value);
	if (kind == SIM_METRIC_TIME) {
		sim_time ps;
		int rc = sim_parse_time(value, &ps);
		if (rc == SIM_UNITS_ENOUNIT)
			return scn_fail(c, n, "metric '%s' is a time; the value needs a time unit, e.g. 40us (found '%s')",
					e->metric, value);
		if (rc)
			return scn_qty_error(c, &vn, SIM_QTY_TIME, NULL, rc);
		e->value = (double)ps;
	} else {
		int rc = sim_parse_number(value, &e->value);
		if (rc == SIM_UNITS_EUNIT || rc == SIM_UNITS_EUNKNOWN)
			return scn_fail(c, n, "metric '%s' is a %s; the value must be a plain number (found '%s')",
					e->metric, kind == SIM_METRIC_COUNT ? "count" : "ratio", value);
		if (rc)
			return scn_qty_error(c, &vn, SIM_QTY_NUMBER, "a plain number", rc);
	}
	return 0;
}

static int parse_smc_check(struct vctx *c, const struct ynode *n, struct scenario_expect *e)
{
	static const char *const keys[] = { "smc_sequence", "notification", NULL };
	struct scenario *s = c->s;
	e->kind = SCENARIO_EXPECT_SMC_SEQUENCE;
	e->notification = 1;
	if (scn_check_map(c, n, keys))
		return -1;
	const struct ynode *seq = ynode_get(n, "smc_sequence", NULL);
	if (!seq)
		return scn_missing(c, n, "smc_sequence");
	size_t mark = scn_push_key(c, "smc_sequence");
	if (scn_want_seq(c, seq, "a sequence of SMC function names or ids", 1, SCENARIO_MAX_SMC_SEQ))
		return -1;
	if (s->n_smc_fns + seq->n > SCENARIO_MAX_SMC_TOTAL)
		return scn_fail(c, seq, "too many smc_sequence entries in the scenario (at most %d in all)",
				SCENARIO_MAX_SMC_TOTAL);
	e->smc_first = s->n_smc_fns;
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *f = seq->val[i];
		struct scenario_smc_fn *fn = &s->smc_fns[s->n_smc_fns];
		size_t m2 = scn_push_idx(c, i);
		if (scn_want_scalar(c, f, "an SMC function name or id"))
			return -1;
		if (f->str[0] == '0' && (f->str[1] == 'x' || f->str[1] == 'X')) {
			char *end;
			errno = 0;
			unsigned long long id = strtoull(f->str + 2, &end, 16);
			if (end == f->str + 2 || *end || errno || id > UINT32_MAX)
				return scn_fail(c, f, "bad SMC function id '%.64s' (expected 32-bit hex, e.g. 0x32000009)",
						f->str);
			fn->id = (uint32_t)id;
		} else if (scn_get_name(c, f, fn->name)) {
			return -1;
		}
		s->n_smc_fns++;
		scn_pop(c, m2);
	}
	e->smc_count = (unsigned)seq->n;
	scn_pop(c, mark);
	WITH_KEY(c, n, "notification", x, scn_get_uint(c, x, 1, 1000000000, &e->notification));
	return 0;
}

int scn_parse_expect_item(struct vctx *c, const struct ynode *n, unsigned idx)
{
	struct scenario_expect *e = &c->s->expect[idx];
	e->pos = (struct scenario_pos){ n->line, n->col };
	if (n->kind == YNODE_SCALAR && !scn_is_null(n))
		return parse_check(c, n, e);
	if (n->kind == YNODE_MAP)
		return parse_smc_check(c, n, e);
	return scn_type_error(c, n, "a check '<metric> <op> <value>' or a mapping {smc_sequence: [...]}");
}
