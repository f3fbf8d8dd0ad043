// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/monitor/guest/opteed.c: the OP-TEE dispatcher. The world switch
 * for calls from the normal world, the returns OP-TEE makes with
 * TEESMC_OPTEED_RETURN_*, the hand-off of a secure interrupt taken while
 * the normal world ran, and the PSCI hooks.
 *
 * Follows TF-A services/spd/opteed/ (no code copied): opteed_main.c
 * (opteed_setup, opteed_init, opteed_smc_handler,
 * opteed_sel1_interrupt_handler), opteed_common.c
 * (opteed_synchronous_sp_entry/exit, opteed_init_optee_ep_state),
 * opteed_pm.c (opteed_cpu_on_finish_handler, opteed_cpu_off_handler).
 * docs/protocol.md §6.4 is the rule sheet.
 */
#include "models/monitor/guest/bl31_private.h"

/* optee_vector_table: from ENTRY_DONE's x1 (shared by every CPU). */
static uint64_t optee_vector_table;
static bool sel1_handler_registered;

static uint64_t optee_vector(enum optee_vector v) { return optee_vector_table + 4 * (uint64_t)v; }

bool opteed_sel1_interrupts_registered(void) { return sel1_handler_registered; }

/*
 * opteed_synchronous_sp_entry: enter OP-TEE at the secure context's ELR
 * and come back here when it returns one of the *_DONE IDs that end a
 * synchronous entry (opteed_synchronous_sp_exit).
 */
static uint64_t opteed_synchronous_sp_entry(void)
{
	struct bl31_cpu *me = plat_my_cpu_data();
	cm_el1_sysregs_context_restore(BL31_SECURE);
	cm_set_next_eret_context(BL31_SECURE);
	return opteed_enter_sp(&me->optee.c_rt_ctx);
}

static void __attribute__((noreturn)) opteed_synchronous_sp_exit(uint64_t ret)
{
	struct bl31_cpu *me = plat_my_cpu_data();
	cm_el1_sysregs_context_save(BL31_SECURE);
	opteed_exit_sp(me->optee.c_rt_ctx, ret);
}

/* opteed_setup: nothing to probe here; the entry point comes from the host's configuration. */
void opteed_setup(void)
{
	optee_vector_table = 0;
	sel1_handler_registered = false;
}

/* opteed_init: OP-TEE's cold boot on the primary CPU, until ENTRY_DONE. Returns its vector table. */
uint64_t opteed_init(void)
{
	cm_init_context(cm_get_context(BL31_SECURE), BL31_SECURE, bl31_cfg.bl32_entry, 0);
	uint64_t rc = opteed_synchronous_sp_entry();
	GUEST_ASSERT(rc != 0);
	return rc;
}

/*
 * The EL1 half of every opteed world switch, as opteed_smc_handler and the
 * interrupt handler make it: cm_el1_sysregs_context_save(@from) then
 * cm_el1_sysregs_context_restore(@to). With fidelity monitor: isa the model
 * runs this as one step (models/monitor/mon_main.c, mon_world_switch).
 */
void opteed_el1_context_switch(unsigned from, unsigned to)
{
	cm_el1_sysregs_context_save(from);
	cm_el1_sysregs_context_restore(to);
}

/*
 * The one-way half, for FIQ_DONE: cm_el1_sysregs_context_restore(@to)
 * alone (models/monitor/mon_main.c, mon_world_restore).
 */
void opteed_el1_context_restore(unsigned to) { cm_el1_sysregs_context_restore(to); }

/*
 * opteed_smc_handler. From the normal world: save its EL1 registers, enter
 * OP-TEE at the fast or yielding vector with x0..x7 of the call. From
 * OP-TEE: the TEESMC_OPTEED_RETURN_* IDs.
 */
void opteed_smc_handler(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, void *cookie,
			struct cpu_context *handle, uint64_t flags)
{
	struct bl31_cpu *me = plat_my_cpu_data();
	struct cpu_context *s = &me->ctx[BL31_SECURE], *ns = &me->ctx[BL31_NON_SECURE];
	(void)cookie;

	if (is_caller_non_secure(flags)) {
		if (!optee_vector_table || me->optee.state != OPTEE_PSTATE_ON) {
			SMC_RET1(handle, SMC_UNK);
			return;
		}
		cm_el1_sysregs_context_save(BL31_NON_SECURE);
		cm_set_elr_el3(BL31_SECURE, optee_vector(GET_SMC_TYPE(fid) == SMC_TYPE_FAST ? OPTEE_VEC_FAST_SMC
											 : OPTEE_VEC_YIELD_SMC));
		cm_el1_sysregs_context_restore(BL31_SECURE);
		cm_set_next_eret_context(BL31_SECURE);
		/* x4..x7 travel as they are (the call may use all eight registers) */
		for (unsigned i = 4; i < 8; i++)
			s->gpregs[i] = handle->gpregs[i];
		smc_ret(s, fid, x1, x2, x3);
		return;
	}

	switch (fid) {
	case TEESMC_OPTEED_RETURN_ENTRY_DONE:
		/* The cold boot is done: remember the vectors, route S-EL1 interrupts from NS to EL3. */
		GUEST_ASSERT(optee_vector_table == 0);
		optee_vector_table = x1;
		me->optee.state = OPTEE_PSTATE_ON;
		sel1_handler_registered = true;
		opteed_synchronous_sp_exit(x1);

	case TEESMC_OPTEED_RETURN_ON_DONE:
	case TEESMC_OPTEED_RETURN_RESUME_DONE:
	case TEESMC_OPTEED_RETURN_OFF_DONE:
	case TEESMC_OPTEED_RETURN_SUSPEND_DONE:
	case TEESMC_OPTEED_RETURN_SYSTEM_OFF_DONE:
	case TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE:
		opteed_synchronous_sp_exit(x1);

	case TEESMC_OPTEED_RETURN_CALL_DONE:
		/* OP-TEE finished a call: results x1..x4 become the caller's x0..x3. */
		cm_el1_sysregs_context_save(BL31_SECURE);
		cm_el1_sysregs_context_restore(BL31_NON_SECURE);
		cm_set_next_eret_context(BL31_NON_SECURE);
		smc_ret(ns, x1, x2, x3, x4);
		return;

	case TEESMC_OPTEED_RETURN_FIQ_DONE:
		/*
		 * The secure interrupt is handled: the normal world resumes as it was
		 * interrupted. Only its registers come back: OP-TEE preserved its own
		 * through the handler, so nothing is saved (opteed_smc_handler).
		 */
		cm_el1_sysregs_context_restore(BL31_NON_SECURE);
		cm_set_next_eret_context(BL31_NON_SECURE);
		return;

	default:
		GUEST_ASSERT(0);
		SMC_RET1(handle, SMC_UNK);
		return;
	}
}

/*
 * opteed_sel1_interrupt_handler: a Secure Group 1 interrupt arrived while
 * the normal world ran (FIQ at EL3). Save the normal world's EL1 state and
 * enter OP-TEE's fiq_entry with every exception masked, x0 = where the
 * normal world was interrupted. OP-TEE answers FIQ_DONE.
 */
void opteed_sel1_interrupt_handler(uint32_t id, uint64_t flags, struct cpu_context *handle, void *cookie)
{
	struct cpu_context *s = cm_get_context(BL31_SECURE);
	(void)id, (void)cookie;

	GUEST_ASSERT(is_caller_non_secure(flags));
	cm_el1_sysregs_context_save(BL31_NON_SECURE);
	cm_set_elr_spsr_el3(BL31_SECURE, optee_vector(OPTEE_VEC_FIQ), BL31_SPSR_EL1H_MASKED);
	cm_el1_sysregs_context_restore(BL31_SECURE);
	cm_set_next_eret_context(BL31_SECURE);
	SMC_RET1(s, handle->elr_el3);
}

/*
 * opteed_cpu_on_finish_handler (svc_on_finish): a CPU powered up by
 * CPU_ON enters OP-TEE's cpu_on_entry with a fresh secure context and waits
 * for ON_DONE. Returns 0, or -1 when OP-TEE has not booted.
 */
int opteed_cpu_on_finish_handler(void)
{
	struct bl31_cpu *me = plat_my_cpu_data();
	if (!optee_vector_table)
		return -1;
	cm_init_context(&me->ctx[BL31_SECURE], BL31_SECURE, optee_vector(OPTEE_VEC_CPU_ON), 0);
	uint64_t rc = opteed_synchronous_sp_entry();
	GUEST_ASSERT(rc == 0);
	me->optee.state = OPTEE_PSTATE_ON;
	return 0;
}

/* opteed_cpu_off_handler (svc_off): OP-TEE's cpu_off_entry, until OFF_DONE. */
int opteed_cpu_off_handler(void)
{
	struct bl31_cpu *me = plat_my_cpu_data();
	if (me->optee.state != OPTEE_PSTATE_ON)
		return 0;
	cm_set_elr_el3(BL31_SECURE, optee_vector(OPTEE_VEC_CPU_OFF));
	uint64_t rc = opteed_synchronous_sp_entry();
	GUEST_ASSERT(rc == 0);
	me->optee.state = OPTEE_PSTATE_OFF;
	return 0;
}
