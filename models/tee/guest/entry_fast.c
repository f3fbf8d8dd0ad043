// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/guest/entry_fast.c: OP-TEE's fast calls, on the temporary
 * stack with every exception masked. Follows OP-TEE OS
 * core/arch/arm/tee/entry_fast.c (tee_entry_fast, tee_entry_exchange_
 * capabilities, get_async_notif_value; no code copied); the results are the
 * abstract model's (models/tee/tee_entry.c) so both answer alike.
 */
#include "models/tee/guest/optee_private.h"

#define OPTEE_SMC_NSEC_CAP_UNIPROCESSOR (1u << 0)
#define THREAD_RPC_MAX_NUM_PARAMS 6

static bool async_notif(void)
{
	return (optee_cfg.flags & OPTEE_CFG_ASYNC_NOTIF) && optee_cfg.transport != OPTEE_TRANSPORT_FFA;
}

/* get_async_notif_value: the lowest recorded value, VALID and PENDING in a2. */
static void get_async_notif_value(struct thread_smc_args *args)
{
	bool valid = false, pending = false;
	args->a0 = OPTEE_SMC_RETURN_OK;
	args->a1 = notif_get_value(&valid, &pending);
	args->a2 = (valid ? OPTEE_SMC_ASYNC_NOTIF_VALID : 0) | (pending ? OPTEE_SMC_ASYNC_NOTIF_PENDING : 0);
}

void tee_entry_fast(struct thread_smc_args *args)
{
	uint32_t fid = (uint32_t)args->a0;
	args->a0 = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
	args->a1 = args->a2 = args->a3 = 0;

	switch (fid) {
	case OPTEE_SMC_CALLS_UID:
		args->a0 = OPTEE_MSG_UID_0, args->a1 = OPTEE_MSG_UID_1;
		args->a2 = OPTEE_MSG_UID_2, args->a3 = OPTEE_MSG_UID_3;
		break;
	case OPTEE_SMC_CALLS_REVISION:
		args->a0 = OPTEE_MSG_REVISION_MAJOR, args->a1 = OPTEE_MSG_REVISION_MINOR;
		break;
	case OPTEE_SMC_CALL_GET_OS_REVISION:
		args->a0 = 4, args->a1 = 10; /* "optee: revision 4.10" (docs/protocol.md §7) */
		break;
	case OPTEE_SMC_GET_THREAD_COUNT:
		args->a0 = OPTEE_SMC_RETURN_OK, args->a1 = optee_cfg.nthreads;
		break;
	case OPTEE_SMC_EXCHANGE_CAPABILITIES:
		/* tee_entry_exchange_capabilities: any normal-world cap but UNIPROCESSOR is refused */
		if (args->a1 & ~(uint64_t)OPTEE_SMC_NSEC_CAP_UNIPROCESSOR) {
			args->a0 = OPTEE_SMC_RETURN_ENOTAVAIL;
			args->a1 = 0;
			break;
		}
		args->a0 = OPTEE_SMC_RETURN_OK;
		args->a1 = OPTEE_SMC_SEC_CAP_DYNAMIC_SHM | OPTEE_SMC_SEC_CAP_MEMREF_NULL | OPTEE_SMC_SEC_CAP_RPC_ARG;
		if (async_notif()) {
			args->a1 |= OPTEE_SMC_SEC_CAP_ASYNC_NOTIF;
			args->a2 = NOTIF_SYNC_VALUE_BASE + optee_cfg.nthreads; /* NOTIF_VALUE_MAX */
		}
		args->a3 = THREAD_RPC_MAX_NUM_PARAMS;
		break;
	case OPTEE_SMC_ENABLE_ASYNC_NOTIF:
		if (!async_notif())
			break;
		notif_deliver_atomic_event(NOTIF_EVENT_STARTED);
		args->a0 = OPTEE_SMC_RETURN_OK;
		break;
	case OPTEE_SMC_GET_ASYNC_NOTIF_VALUE:
		if (async_notif())
			get_async_notif_value(args);
		break;
	case OPTEE_SMC_TZSIM_GET_NOTIF_SGI:
		if (async_notif() && optee_cfg.transport == OPTEE_TRANSPORT_SGI)
			args->a0 = OPTEE_SMC_RETURN_OK, args->a1 = optee_cfg.notif_intid;
		break;
	default:
		break;
	}
}
