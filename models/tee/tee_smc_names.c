// SPDX-License-Identifier: BSD-3-Clause
/* models/tee/tee_smc_names.c: the names of the OP-TEE SMC ABI's and FF-A's function IDs (see tee.h). */
#include "tee.h"
#include "optee_smc.h"

static const char *const optee_prefixes[] = { "OPTEE_SMC_CALL_", "OPTEE_SMC_", NULL };

static const struct sim_smc_name optee_names[] = {
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
};

const struct sim_smc_names tee_optee_smc_names = {
	optee_prefixes, optee_names, sizeof(optee_names) / sizeof(optee_names[0])
};

static const struct sim_smc_name ffa_names[] = {
	{ "FFA_FEATURES", FFA_FEATURES },
	{ "FFA_MSG_SEND_DIRECT_REQ", FFA_MSG_SEND_DIRECT_REQ_32 },
	{ "FFA_MSG_SEND_DIRECT_RESP", FFA_MSG_SEND_DIRECT_RESP_32 },
	{ "FFA_NOTIFICATION_BITMAP_CREATE", FFA_NOTIFICATION_BITMAP_CREATE },
	{ "FFA_NOTIFICATION_BIND", FFA_NOTIFICATION_BIND },
	{ "FFA_NOTIFICATION_SET", FFA_NOTIFICATION_SET },
	{ "FFA_NOTIFICATION_GET", FFA_NOTIFICATION_GET },
	{ "FFA_NOTIFICATION_INFO_GET", FFA_NOTIFICATION_INFO_GET_64 },
	{ "FFA_SUCCESS", FFA_SUCCESS_32 },
};

const struct sim_smc_names tee_ffa_smc_names = { NULL, ffa_names, sizeof(ffa_names) / sizeof(ffa_names[0]) };
