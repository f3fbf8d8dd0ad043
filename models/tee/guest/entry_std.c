// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/guest/entry_std.c: a yielding call inside its thread. Finds
 * the call's optee_msg_arg in the normal world's shared memory (and the RPC
 * argument that follows it), enables foreign interrupts, and runs the
 * command. Follows OP-TEE OS (no code copied): core/arch/arm/kernel/
 * thread_optee_smc.c (std_smc_entry, std_entry_with_parg,
 * std_entry_with_regd_arg) and core/tee/entry_std.c (__tee_entry_std).
 *
 * Shared memory: Linux registers its buffers first (REGISTER_SHM) and names
 * them by cookie; tzsim's Linux image passes the buffer's physical address
 * as the cookie (models/ree/guest), so a cookie here is an address in the
 * normal world's memory that optee_cfg declares.
 */
#include "models/tee/guest/optee_private.h"

static uint64_t reg_pair_to_64(uint32_t hi, uint32_t lo) { return (uint64_t)hi << 32 | lo; }

/* tee_pbuf_is_non_sec: the whole struct lies in the normal world's shared memory */
static bool nsec_ok(uint64_t pa, uint64_t size)
{
	uint64_t b = optee_cfg.nsec_shm_base, n = optee_cfg.nsec_shm_size;
	return pa >= b && size <= n && pa - b <= n - size && (pa & 7) == 0;
}

/* Abstract secure work: called again while an interrupt preempted it (isa_abi.h). */
static uint32_t abstract_work(unsigned imm_dev, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t r;
	if (imm_dev)
		do
			r = MODEL_CALL(ISA_MC_TEE_DEV_WORK, a, b, c, 0).a0;
		while (r == ISA_MC_PREEMPTED);
	else
		do
			r = MODEL_CALL(ISA_MC_TEE_STD_WORK, a, b, c, 0).a0;
		while (r == ISA_MC_PREEMPTED);
	return (uint32_t)r;
}

uint32_t tee_abstract_dev_work(unsigned dev, uint64_t items) { return abstract_work(1, dev, items, 0); }
uint32_t tee_abstract_dev_items(unsigned dev, uint64_t items) { return abstract_work(1, dev, items, 1); }

static uint32_t __tee_entry_std(struct optee_msg_arg *arg, uint32_t num_params)
{
	uint32_t res = TEE_SUCCESS;

	thread_set_foreign_intr(true); /* "Enable foreign interrupts for STD calls" */
	switch (arg->cmd) {
	case OPTEE_MSG_CMD_DO_BOTTOM_HALF:
		notif_deliver_event(NOTIF_EVENT_DO_BOTTOM_HALF);
		break;
	case OPTEE_MSG_CMD_STOP_ASYNC_NOTIF:
		notif_deliver_event(NOTIF_EVENT_STOPPED);
		break;
	case OPTEE_MSG_CMD_OPEN_SESSION:
	case OPTEE_MSG_CMD_INVOKE_COMMAND:
	case OPTEE_MSG_CMD_CLOSE_SESSION:
		/* the TA stays abstract: its work takes the model's time */
		res = abstract_work(0, (uint64_t)thread_get_id(), arg->cmd, num_params ? arg->params[0].a : 0);
		break;
	default:
		res = TEE_ERROR_BAD_PARAMETERS;
		break;
	}
	arg->ret = res;
	arg->ret_origin = TEE_ORIGIN_TEE;
	return res;
}

uint32_t std_smc_entry(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	uint64_t parg;
	bool with_rpc_arg = true;

	switch (a0) {
	case OPTEE_SMC_CALL_WITH_ARG:
		parg = reg_pair_to_64(a1, a2);
		with_rpc_arg = false;
		break;
	case OPTEE_SMC_CALL_WITH_RPC_ARG:
		parg = reg_pair_to_64(a1, a2);
		break;
	case OPTEE_SMC_CALL_WITH_REGD_ARG:
		parg = reg_pair_to_64(a1, a2) + a3; /* cookie (the buffer's address) + offset */
		break;
	default:
		return OPTEE_SMC_RETURN_EBADCMD;
	}
	if (!nsec_ok(parg, sizeof(struct optee_msg_arg)))
		return OPTEE_SMC_RETURN_EBADADDR;
	struct optee_msg_arg *arg = (struct optee_msg_arg *)parg;
	uint32_t num_params = arg->num_params;
	uint64_t size = OPTEE_MSG_GET_ARG_SIZE(num_params);
	if (num_params > 6 || !nsec_ok(parg, size))
		return OPTEE_SMC_RETURN_EBADADDR;
	struct thread_ctx *t = &threads[thread_get_id()];
	t->rpc_arg = 0;
	if (with_rpc_arg && nsec_ok(parg + size, OPTEE_MSG_GET_ARG_SIZE(1)))
		t->rpc_arg = parg + size; /* the RPC argument struct follows the call's */
	__tee_entry_std(arg, num_params);
	return OPTEE_SMC_RETURN_OK;
}
