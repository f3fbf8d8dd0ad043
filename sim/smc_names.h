/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/smc_names.h: names of the SMC function IDs tzsim's models use, for
 * expect checks and reports. The platform layer: the names come from the
 * models' tables (struct sim_smc_names, sim/kernel/smc_name.h), registered
 * in sim/smc_names.c; nothing below the platform knows them.
 */
#ifndef SIM_SMC_NAMES_H
#define SIM_SMC_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The function ID named @name, in short form ("CALL_DONE") or after one of
 * the prefixes the models declare (OPTEE_SMC_CALL_, OPTEE_SMC_,
 * TEESMC_OPTEED_RETURN_, PSCI_). Returns false for an unknown name.
 */
bool smc_name_lookup(const char *name, uint32_t *id);
/* A short name for @id, or NULL. */
const char *smc_name(uint32_t id);

#ifdef __cplusplus
}
#endif

#endif
