// SPDX-License-Identifier: BSD-3-Clause
#include <string.h>

#include "sim/smc_names.h"
#include "models/monitor/smccc.h"
#include "models/tee/optee_smc.h"

static const struct {
	const char *name;
	uint32_t id;
} names[] = {
	{ "CALLS_COUNT", OPTEE_SMC_CALLS_COUNT },
	{ "CALLS_UID", OPTEE_SMC_CALLS_UID },
	{ "CALLS_REVISION", OPTEE_SMC_CALLS_REVISION },
	{ "GET_OS_REVISION", OPTEE_SMC_CALL_GET_OS_REVISION },
	{ "RETURN_FROM_RPC", OPTEE_SMC_CALL_RETURN_FROM_RPC },
	{ "CALL_WITH_ARG", OPTEE_SMC_CALL_WITH_ARG },
	{ "CALL_WITH_RPC_ARG", OPTEE_SMC_CALL_WITH_RPC_ARG },
	{ "CALL_WITH_REGD_ARG", OPTEE_SMC_CALL_WITH_REGD_ARG },
	{ "EXCHANGE_CAPABILITIES", OPTEE_SMC_EXCHANGE_CAPABILITIES },
	{ "GET_THREAD_COUNT", OPTEE_SMC_GET_THREAD_COUNT },
	{ "ENABLE_ASYNC_NOTIF", OPTEE_SMC_ENABLE_ASYNC_NOTIF },
	{ "GET_ASYNC_NOTIF_VALUE", OPTEE_SMC_GET_ASYNC_NOTIF_VALUE },
	{ "TZSIM_GET_NOTIF_SGI", OPTEE_SMC_TZSIM_GET_NOTIF_SGI },
	{ "ENTRY_DONE", TEESMC_OPTEED_RETURN_ENTRY_DONE },
	{ "ON_DONE", TEESMC_OPTEED_RETURN_ON_DONE },
	{ "OFF_DONE", TEESMC_OPTEED_RETURN_OFF_DONE },
	{ "SUSPEND_DONE", TEESMC_OPTEED_RETURN_SUSPEND_DONE },
	{ "RESUME_DONE", TEESMC_OPTEED_RETURN_RESUME_DONE },
	{ "CALL_DONE", TEESMC_OPTEED_RETURN_CALL_DONE },
	{ "FIQ_DONE", TEESMC_OPTEED_RETURN_FIQ_DONE },
	{ "PSCI_VERSION", PSCI_VERSION },
	{ "CPU_SUSPEND", PSCI_CPU_SUSPEND64 },
	{ "CPU_OFF", PSCI_CPU_OFF },
	{ "CPU_ON", PSCI_CPU_ON64 },
	{ "AFFINITY_INFO", PSCI_AFFINITY_INFO64 },
	{ "FFA_FEATURES", 0x84000064u },
	{ "FFA_MSG_SEND_DIRECT_REQ", 0x8400006Fu },
	{ "FFA_MSG_SEND_DIRECT_RESP", 0x84000070u },
	{ "FFA_NOTIFICATION_BITMAP_CREATE", 0x8400007Du },
	{ "FFA_NOTIFICATION_BIND", 0x8400007Fu },
	{ "FFA_NOTIFICATION_SET", 0x84000081u },
	{ "FFA_NOTIFICATION_GET", 0x84000082u },
	{ "FFA_NOTIFICATION_INFO_GET", 0xC4000083u },
	{ "FFA_SUCCESS", 0x84000061u },
};

bool smc_name_lookup(const char *name, uint32_t *id)
{
	static const char *const prefixes[] = { "OPTEE_SMC_CALL_", "OPTEE_SMC_", "TEESMC_OPTEED_RETURN_", "PSCI_", "" };
	for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
		size_t n = strlen(prefixes[p]);
		if (strncmp(name, prefixes[p], n))
			continue;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(name + n, names[i].name) || !strcmp(name, names[i].name)) {
				*id = names[i].id;
				return true;
			}
	}
	return false;
}

const char *smc_name(uint32_t id)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == id)
			return names[i].name;
	return NULL;
}
