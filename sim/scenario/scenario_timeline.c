// SPDX-License-Identifier: BSD-3-Clause
/*
 * Scenario timeline entries: `at` a time, exactly one action (cpu_off,
 * cpu_on, suspend, storm, mask_window, load). Storms and loads name a
 * source or workload, so the timeline is read after those sections;
 * entries are then ordered by time, ties kept in file order.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_internal.h"

/* ---- timeline ------------------------------------------------------------------------------ */

int scn_parse_event(struct vctx *c, const struct ynode *n, unsigned idx)
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

	if (scn_check_map(c, n, keys))
		return -1;
	e->pos = (struct scenario_pos){ n->line, n->col };
	e->file_index = idx;
	if (!ynode_get(n, "at", NULL))
		return scn_missing(c, n, "at");
	WITH_KEY(c, n, "at", x, scn_get_time(c, x, true, &e->at));
	size_t act = 0, nact = 0;
	for (size_t i = 0; i < n->n; i++) {
		if (!strcmp(n->key[i]->str, "at"))
			continue;
		if (nact++) {
			size_t mark = scn_push_key(c, n->key[i]->str);
			scn_fail(c, n->key[i], "'%s' and '%s' both given; one action per timeline entry",
				 n->key[act]->str, n->key[i]->str);
			scn_pop(c, mark);
			return -1;
		}
		act = i;
	}
	if (!nact)
		return scn_fail(c, n, "no action; expected one of: %s", actions);
	const char *an = n->key[act]->str;
	const struct ynode *a = n->val[act];
	size_t mark = scn_push_key(c, an);
	for (unsigned i = 1; keys[i]; i++)
		if (!strcmp(an, keys[i]))
			e->action = (enum scenario_action)(i - 1);
	switch (e->action) {
	case SCENARIO_CPU_OFF:
	case SCENARIO_CPU_ON:
		if (scn_get_cpu(c, a, &e->cpu))
			return -1;
		break;
	case SCENARIO_SUSPEND:
		if (scn_check_map(c, a, k_suspend) || scn_require(c, a, r_suspend))
			return -1;
		WITH_KEY(c, a, "cpu", x, scn_get_cpu(c, x, &e->cpu));
		WITH_KEY(c, a, "for", x, scn_get_time(c, x, false, &e->duration));
		WITH_KEY(c, a, "wake", x, scn_get_enum(c, x, wakes, &v) || ((e->wake = (enum scenario_wake)v), 0));
		break;
	case SCENARIO_STORM: {
		const char *names[SCENARIO_MAX_SOURCES];
		for (unsigned i = 0; i < s->n_sources; i++)
			names[i] = s->sources[i].name;
		if (scn_check_map(c, a, k_storm) || scn_require(c, a, k_storm))
			return -1;
		WITH_KEY(c, a, "source", x, scn_find_named(c, x, "source", names, s->n_sources, &e->source));
		WITH_KEY(c, a, "rate", x, scn_get_rate(c, x, &e->rate_hz));
		WITH_KEY(c, a, "for", x, scn_get_time(c, x, false, &e->duration));
		break;
	}
	case SCENARIO_MASK_WINDOW:
		if (scn_check_map(c, a, k_mask) || scn_require(c, a, r_mask))
			return -1;
		WITH_KEY(c, a, "cpu", x, scn_get_cpu(c, x, &e->cpu));
		WITH_KEY(c, a, "world", x, scn_get_enum(c, x, worlds, &v) || ((e->world = (enum scenario_world)v), 0));
		WITH_KEY(c, a, "for", x, scn_get_time(c, x, false, &e->duration));
		break;
	case SCENARIO_LOAD: {
		const char *names[SCENARIO_MAX_WORKLOADS];
		for (unsigned i = 0; i < s->n_workloads; i++)
			names[i] = s->workloads[i].name;
		if (scn_check_map(c, a, k_load) || scn_require(c, a, k_load))
			return -1;
		WITH_KEY(c, a, "workload", x,
			 scn_find_named(c, x, "workload", names, s->n_workloads, &e->workload) ||
				 ((s->workloads[e->workload].kind == SCENARIO_TA_INVOKE && !s->workloads[e->workload].rate_hz)
					  ? scn_fail(c, x, "workload '%s' has no rate: its threads call in a closed loop "
							   "(give it a rate to set one here)", names[e->workload])
					  : 0));
		WITH_KEY(c, a, "rate", x, scn_get_rate(c, x, &e->rate_hz));
		break;
	}
	}
	scn_pop(c, mark);
	return 0;
}

static int event_cmp(const void *pa, const void *pb)
{
	const struct scenario_event *a = pa, *b = pb;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->file_index < b->file_index ? -1 : a->file_index > b->file_index;
}

void scn_sort_timeline(struct scenario *s)
{
	qsort(s->timeline, s->n_timeline, sizeof(s->timeline[0]), event_cmp);
}
