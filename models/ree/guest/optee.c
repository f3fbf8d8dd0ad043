// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/guest/optee.c: Linux's OP-TEE driver, SMC ABI: the
 * notification interrupt's hard handler with its drain loop over
 * GET_ASYNC_NOTIF_VALUE, and DO_BOTTOM_HALF's yielding call with the RPC
 * loop. Shared memory comes from a pool in this image (the shm the driver
 * registered); a registered buffer's cookie is its physical address.
 *
 * Follows Linux 6.12 drivers/tee/optee/ (the models' version; no code
 * copied): smc_abi.c get_async_notif_value (l. 972), irq_handler (l. 988),
 * notif_irq_handler (l. 1012), notif_pcpu_irq_handler (l. 1043),
 * optee_smc_do_call_with_arg (l. 886), optee_handle_rpc; call.c
 * (optee_do_bottom_half -> simple_call_with_arg, optee_get_msg_arg);
 * rpc.c (handle_rpc_func_cmd_wq); notif.c (optee_notif_wait with its
 * timeout, optee_notif_send: the wait queues stay abstract). docs/protocol.md
 * §1.9, §2.3, §2.4. The notification path is the same as 6.1's (irq_handler
 * and get_async_notif_value did not change); 6.12 adds the per-CPU handler
 * (a PPI or SGI, 6.3+) and passes the tee_shm's address as the
 * CALL_WITH_REGD_ARG cookie (ours: the argument's address, equally opaque
 * to OP-TEE).
 */
#include "models/ree/guest/linux_private.h"

#define OPTEE_SMC_CALL_RETURN_FROM_RPC 0x32000003
#define OPTEE_SMC_CALL_WITH_REGD_ARG 0x32000013
#define OPTEE_SMC_GET_ASYNC_NOTIF_VALUE 0xB2000011
#define OPTEE_SMC_RETURN_OK 0x0
#define OPTEE_SMC_RETURN_ETHREAD_LIMIT 0x1
#define OPTEE_SMC_RETURN_UNKNOWN_FUNCTION 0xFFFFFFFF
#define OPTEE_SMC_RPC_FUNC_FOREIGN_INTR 4
#define OPTEE_SMC_RPC_FUNC_CMD 5
#define OPTEE_SMC_ASYNC_NOTIF_VALID (1u << 0)
#define OPTEE_SMC_ASYNC_NOTIF_PENDING (1u << 1)
#define OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF 0
#define OPTEE_MSG_CMD_DO_BOTTOM_HALF 6
#define OPTEE_RPC_CMD_NOTIFICATION 4
#define OPTEE_RPC_NOTIFICATION_WAIT 0
#define OPTEE_RPC_NOTIFICATION_SEND 1
#define TEEC_SUCCESS 0
#define TEEC_ERROR_BAD_PARAMETERS 0xFFFF0006
#define TEEC_ERROR_NOT_SUPPORTED 0xFFFF000A

static bool optee_smc_return_is_rpc(uint64_t a0)
{
	return (a0 & 0xFFFF0000u) == 0xFFFF0000u && (uint32_t)a0 != OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
}

struct optee_msg_param {
	uint64_t attr;
	uint64_t a, b, c;
};
struct optee_msg_arg {
	uint32_t cmd, func, session, cancel_id, pad, ret, ret_origin, num_params;
	struct optee_msg_param params[];
};
#define OPTEE_MSG_GET_ARG_SIZE(n) (sizeof(struct optee_msg_arg) + (n) * sizeof(struct optee_msg_param))

/* ---- the shared memory pool ------------------------------------------------------------------ */

uint8_t linux_shm[LINUX_SHM_SLOTS][LINUX_SHM_SLOT] __attribute__((aligned(4096)));
static uint32_t shm_used[LINUX_SHM_SLOTS];

/* optee_get_msg_arg: a zeroed argument (and the RPC argument after it) in shared memory. */
static struct optee_msg_arg *optee_get_msg_arg(unsigned num_params)
{
	for (unsigned i = 0; i < LINUX_SHM_SLOTS; i++) {
		uint32_t old;
		__asm__ volatile("1: ldaxr %w0, [%1]\n"
				 "   cbnz %w0, 2f\n"
				 "   stxr %w0, %w2, [%1]\n"
				 "   cbnz %w0, 1b\n"
				 "2:"
				 : "=&r"(old)
				 : "r"(&shm_used[i]), "r"(1)
				 : "memory");
		if (old)
			continue;
		memset(linux_shm[i], 0, LINUX_SHM_SLOT);
		struct optee_msg_arg *arg = (struct optee_msg_arg *)linux_shm[i];
		arg->num_params = num_params;
		return arg;
	}
	return NULL;
}

static void optee_free_msg_arg(struct optee_msg_arg *arg)
{
	unsigned i = (unsigned)(((uint8_t *)arg - &linux_shm[0][0]) / LINUX_SHM_SLOT);
	__asm__ volatile("stlr wzr, [%0]" ::"r"(&shm_used[i]) : "memory");
}

/* ---- the notification interrupt (§2.3) ------------------------------------------------------------ */

/* optee_notif_send: wake the waiter of @value (the wait queues are abstract). */
static void optee_notif_send(uint32_t value) { (void)MODEL_CALL(ISA_MC_REE_NOTIF_SEND, value, 0, 0, 0); }

static uint32_t get_async_notif_value(bool *value_valid, bool *value_pending)
{
	struct arm_smccc_res res;
	__arm_smccc_smc(OPTEE_SMC_GET_ASYNC_NOTIF_VALUE, 0, 0, 0, 0, 0, 0, 0, &res, NULL);
	if (res.a0) {
		*value_valid = false;
		return 0;
	}
	*value_valid = (res.a2 & OPTEE_SMC_ASYNC_NOTIF_VALID) != 0;
	*value_pending = (res.a2 & OPTEE_SMC_ASYNC_NOTIF_PENDING) != 0;
	return (uint32_t)res.a1;
}

/*
 * irq_handler: fetch values until one comes without PENDING (k pending
 * values cost k calls; nothing pending costs one). Value 0 asks for the
 * bottom half; the others wake their waiters.
 */
static enum irqreturn irq_handler(void)
{
	bool do_bottom_half = false, value_valid = false, value_pending = false;
	do {
		uint32_t value = get_async_notif_value(&value_valid, &value_pending);
		if (!value_valid)
			break;
		GUEST_TRACE(ISA_TR_NOTIF_VALUE, value, value_pending, 0);
		if (value == OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF)
			do_bottom_half = true;
		else
			optee_notif_send(value);
	} while (value_pending);
	return do_bottom_half ? IRQ_WAKE_THREAD : IRQ_HANDLED;
}

/* The SPI's hard handler: the bottom half runs in the IRQ thread. */
enum irqreturn notif_irq_handler(unsigned intid)
{
	(void)intid;
	return irq_handler();
}

/* The per-CPU handler: the bottom half is the per-CPU work item (queue_work, abstract). */
enum irqreturn notif_pcpu_irq_handler(unsigned intid)
{
	if (irq_handler() == IRQ_WAKE_THREAD)
		(void)MODEL_CALL(ISA_MC_REE_QUEUE_WORK, intid, 0, 0, 0);
	return IRQ_HANDLED;
}

/* ---- the yielding call (§1.9) ------------------------------------------------------------------ */

/* handle_rpc_func_cmd: the command in the RPC argument that follows the call's. */
static void handle_rpc_func_cmd(struct optee_msg_arg *rpc)
{
	if (rpc->cmd != OPTEE_RPC_CMD_NOTIFICATION || rpc->num_params != 1) {
		rpc->ret = TEEC_ERROR_NOT_SUPPORTED;
		return;
	}
	uint64_t op = rpc->params[0].a, key = rpc->params[0].b, timeout = rpc->params[0].c;
	if (op == OPTEE_RPC_NOTIFICATION_WAIT) {
		rpc->ret = (uint32_t)MODEL_CALL(ISA_MC_REE_NOTIF_WAIT, key, timeout, 0, 0).a0;
	} else if (op == OPTEE_RPC_NOTIFICATION_SEND) {
		optee_notif_send((uint32_t)key);
		rpc->ret = TEEC_SUCCESS;
	} else {
		rpc->ret = TEEC_ERROR_BAD_PARAMETERS;
	}
}

/*
 * optee_smc_do_call_with_arg: CALL_WITH_REGD_ARG (cookie = the buffer's
 * address, offset 0), then loop: ETHREAD_LIMIT waits in the call queue and
 * retries; an RPC is handled and answered with RETURN_FROM_RPC (a1..a3 kept:
 * a3 names the thread); anything else is the result. This is the loop of
 * every driver; the thread count of Linux 6.8+ (optee_cq_wait_init claiming
 * a thread before the first SMC) stays with the host's call queue
 * (models/ree/ree_optee.c): in a simulation the bottom half's yielding call
 * is the host's; this routine runs in tests/isa_test.cc and for `tzsim
 * calibrate`'s instruction counts (sim/calibrate.c).
 */
static uint32_t optee_smc_do_call_with_arg(struct optee_msg_arg *arg)
{
	uint64_t cookie = (uint64_t)arg;
	struct optee_msg_arg *rpc = (struct optee_msg_arg *)((uint8_t *)arg + OPTEE_MSG_GET_ARG_SIZE(arg->num_params));
	uint64_t a0 = OPTEE_SMC_CALL_WITH_REGD_ARG, a1 = cookie >> 32, a2 = cookie & 0xffffffff, a3 = 0;
	uint32_t rc;

	dsb(ish);
	for (;;) {
		struct arm_smccc_res res;
		__arm_smccc_smc(a0, a1, a2, a3, 0, 0, 0, 0, &res, NULL);
		if ((uint32_t)res.a0 == OPTEE_SMC_RETURN_ETHREAD_LIMIT) {
			(void)MODEL_CALL(ISA_MC_REE_CQ_WAIT, 0, 0, 0, 0); /* optee_cq_wait_for_completion */
			continue;
		}
		if (optee_smc_return_is_rpc(res.a0)) {
			/* cond_resched() stays with the scheduler; optee_handle_rpc: */
			if ((res.a0 & 0xffff) == OPTEE_SMC_RPC_FUNC_CMD)
				handle_rpc_func_cmd(rpc);
			/* FOREIGN_INTR: nothing, the interrupt was taken when the SMC returned */
			a0 = OPTEE_SMC_CALL_RETURN_FROM_RPC;
			a1 = res.a1, a2 = res.a2, a3 = res.a3;
			continue;
		}
		rc = (uint32_t)res.a0;
		break;
	}
	(void)MODEL_CALL(ISA_MC_REE_CQ_FINAL, 0, 0, 0, 0); /* optee_cq_wait_final */
	return rc;
}

/*
 * optee_do_bottom_half -> simple_call_with_arg(DO_BOTTOM_HALF): an
 * argument without parameters. Runs in the caller's task (the IRQ thread
 * or the per-CPU work), on the stack the host gave. Returns the call's a0.
 */
uint32_t optee_do_bottom_half(void)
{
	struct optee_msg_arg *arg = optee_get_msg_arg(0);
	if (!arg)
		return OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
	arg->cmd = OPTEE_MSG_CMD_DO_BOTTOM_HALF;
	uint32_t rc = optee_smc_do_call_with_arg(arg);
	optee_free_msg_arg(arg);
	return rc;
}

/* The drain loop alone, for the host's tests (what the hard handler does). */
uint32_t optee_notif_drain(void) { return (uint32_t)irq_handler(); }
