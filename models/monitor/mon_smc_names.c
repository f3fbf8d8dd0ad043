// SPDX-License-Identifier: BSD-3-Clause
/* models/monitor/mon_smc_names.c: the names of the monitor's function IDs (see monitor.h). */
#include "monitor.h"

static const char *const prefixes[] = { "TEESMC_OPTEED_RETURN_", "PSCI_", NULL };

static const struct sim_smc_name names[] = {
	/* the OP-TEE dispatcher's returns (TF-A teesmc_opteed.h) */
	{ "ENTRY_DONE", TEESMC_OPTEED_RETURN_ENTRY_DONE },
	{ "ON_DONE", TEESMC_OPTEED_RETURN_ON_DONE },
	{ "OFF_DONE", TEESMC_OPTEED_RETURN_OFF_DONE },
	{ "SUSPEND_DONE", TEESMC_OPTEED_RETURN_SUSPEND_DONE },
	{ "RESUME_DONE", TEESMC_OPTEED_RETURN_RESUME_DONE },
	{ "CALL_DONE", TEESMC_OPTEED_RETURN_CALL_DONE },
	{ "FIQ_DONE", TEESMC_OPTEED_RETURN_FIQ_DONE },
	/* PSCI */
	{ "PSCI_VERSION", PSCI_VERSION },
	{ "CPU_SUSPEND", PSCI_CPU_SUSPEND64 },
	{ "CPU_OFF", PSCI_CPU_OFF },
	{ "CPU_ON", PSCI_CPU_ON64 },
	{ "AFFINITY_INFO", PSCI_AFFINITY_INFO64 },
};

const struct sim_smc_names mon_smc_names = { prefixes, names, sizeof(names) / sizeof(names[0]) };
