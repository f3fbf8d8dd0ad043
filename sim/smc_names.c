// SPDX-License-Identifier: BSD-3-Clause
/* sim/smc_names.c: the platform's registry of the models' SMC function names (see smc_names.h). */
#include <string.h>

#include "sim/smc_names.h"
#include "models/monitor/monitor.h"
#include "models/tee/tee.h"

/* Every model table, in lookup order (a name or ID found in two tables resolves to the first). */
static const struct sim_smc_names *const tables[] = {
	&tee_optee_smc_names,
	&mon_smc_names,
	&tee_ffa_smc_names,
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* The entry named @name (already without a prefix, or in full), or NULL. */
static const struct sim_smc_name *find(const char *name, const char *full)
{
	for (size_t t = 0; t < NTABLES; t++)
		for (size_t i = 0; i < tables[t]->count; i++)
			if (!strcmp(name, tables[t]->names[i].name) || !strcmp(full, tables[t]->names[i].name))
				return &tables[t]->names[i];
	return NULL;
}

bool smc_name_lookup(const char *name, uint32_t *id)
{
	const struct sim_smc_name *e;
	/* any table's prefix may stand before any name, tried in table order; then none */
	for (size_t t = 0; t < NTABLES; t++) {
		for (const char *const *p = tables[t]->prefixes; p && *p; p++) {
			size_t n = strlen(*p);
			if (!strncmp(name, *p, n) && (e = find(name + n, name))) {
				*id = e->fid;
				return true;
			}
		}
	}
	if ((e = find(name, name))) {
		*id = e->fid;
		return true;
	}
	return false;
}

const char *smc_name(uint32_t id)
{
	for (size_t t = 0; t < NTABLES; t++)
		for (size_t i = 0; i < tables[t]->count; i++)
			if (tables[t]->names[i].fid == id)
				return tables[t]->names[i].name;
	return NULL;
}
