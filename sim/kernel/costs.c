// SPDX-License-Identifier: BSD-3-Clause
#include <string.h>

#include "sim/kernel/costs.h"

#define C(n) { .d = { .kind = SIM_DIST_CONST, .a = (n) }, .unit = SIM_COST_CYCLES }
#define T(ps) { .d = { .kind = SIM_DIST_CONST, .a = (double)(ps) }, .unit = SIM_COST_PS }
/* Lognormal from median and p99 in cycles: filled at preset time (needs log()). */
#define LN(med, p99) { .d = { .kind = SIM_DIST_LOGNORMAL, .a = (med), .b = (p99) }, .unit = SIM_COST_CYCLES }

static const struct sim_cost preset_table[SIM_PRESET_COUNT][SIM_COST_COUNT] = {
	[SIM_PRESET_A53] = {
#define X(id, name, a53, a72) [SIM_COST_##id] = a53,
		SIM_COST_TABLE(X)
#undef X
	},
	[SIM_PRESET_A72] = {
#define X(id, name, a53, a72) [SIM_COST_##id] = a72,
		SIM_COST_TABLE(X)
#undef X
	},
};

static const char *const cost_names[SIM_COST_COUNT] = {
#define X(id, name, a53, a72) [SIM_COST_##id] = name,
	SIM_COST_TABLE(X)
#undef X
};

static const struct {
	const char *name;
	uint64_t hz;
} presets[SIM_PRESET_COUNT] = {
	[SIM_PRESET_A53] = { "cortex-a53", 1200000000ull },
	[SIM_PRESET_A72] = { "cortex-a72", 2000000000ull },
};

const char *sim_preset_name(enum sim_preset p) { return presets[p].name; }

int sim_preset_lookup(const char *name)
{
	for (int i = 0; i < SIM_PRESET_COUNT; i++) {
		size_t n = strlen(presets[i].name);
		if (!strncmp(name, presets[i].name, n) && (name[n] == 0 || name[n] == '@'))
			return i;
	}
	return -1;
}

void sim_costs_preset(struct sim_costs *t, enum sim_preset p)
{
	t->preset = p;
	t->clock.hz = presets[p].hz;
	for (int i = 0; i < SIM_COST_COUNT; i++) {
		t->c[i] = preset_table[p][i];
		if (t->c[i].d.kind == SIM_DIST_LOGNORMAL)
			t->c[i].d = sim_dist_lognormal(t->c[i].d.a, t->c[i].d.b);
	}
}

const char *sim_cost_name(enum sim_cost_id id) { return cost_names[id]; }

int sim_cost_lookup(const char *name)
{
	for (int i = 0; i < SIM_COST_COUNT; i++)
		if (!strcmp(cost_names[i], name))
			return i;
	return -1;
}
