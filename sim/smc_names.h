/* SPDX-License-Identifier: BSD-3-Clause */
/* sim/smc_names.h: names of the SMC function IDs tzsim's models use, for expect checks and reports. */
#ifndef SIM_SMC_NAMES_H
#define SIM_SMC_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/* The function ID named @name (with or without an OPTEE_SMC_ / TEESMC_OPTEED_RETURN_ / PSCI_ prefix). */
bool smc_name_lookup(const char *name, uint32_t *id);
/* A short name for @id, or NULL. */
const char *smc_name(uint32_t id);

#endif
