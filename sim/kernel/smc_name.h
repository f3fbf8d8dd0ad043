/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/smc_name.h: a model's table of SMC function names.
 *
 * The models know the SMC ABIs they speak; sim/ does not. Each model that
 * defines function IDs exports one table (models/tee: the OP-TEE SMC ABI
 * and FF-A; models/monitor: PSCI and the OP-TEE dispatcher's returns), and
 * the platform layer registers them (sim/smc_names.c) for scenario
 * smc_sequence checks and reports. Tables are constant data.
 */
#ifndef SIM_KERNEL_SMC_NAME_H
#define SIM_KERNEL_SMC_NAME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sim_smc_name {
	const char *name; /* short form, as reports print it: "CALL_WITH_ARG" */
	uint32_t fid;     /* SMCCC function ID (w0) */
};

struct sim_smc_names {
	/* prefixes a scenario may write before a name ("OPTEE_SMC_"), NULL-terminated; NULL: none */
	const char *const *prefixes;
	const struct sim_smc_name *names;
	size_t count;
};

#ifdef __cplusplus
}
#endif
#endif
