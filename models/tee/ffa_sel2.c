// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/ffa_sel2.c: Hafnium, the SPMC at S-EL2 (transport ffa, spmc
 * s-el2), as far as OP-TEE's notifications need it. OP-TEE runs at S-EL1 as
 * its partition (!CFG_CORE_SEL1_SPMC); TF-A's SPMD forwards the normal
 * world's FF-A calls to it (models/monitor/mon_spmd.c).
 *
 * Sources (TF-Hafnium/hafnium): src/arch/aarch64/hypervisor/handler.c
 * (smc_handler, hvc_smc_handler, the interrupt entries), src/api.c
 * (api_ffa_notification_set, api_ffa_notification_info_get),
 * src/ffa/spmc/notifications.c (the delayed SRI), src/vm.c (the
 * notification bitmaps), docs/secure-partition-manager.
 *
 * What runs at S-EL2, each step a timed piece of work at (EL2, Secure) with
 * interrupts masked, between real exception entries and returns:
 *  - a normal-world FF-A call the SPMD forwarded (Hafnium's other-world
 *    vCPU made it): spmc.handler; a direct request to OP-TEE switches vCPU
 *    (hf.vcpu_switch) and ERETs into S-EL1; the notification calls are
 *    answered here and go back with an SMC to EL3;
 *  - an SMC or HVC from OP-TEE (trapped, HCR_EL2.TSC): spmc.handler;
 *    FFA_NOTIFICATION_SET and the paravirtualised HF_INTERRUPT_GET /
 *    HF_INTERRUPT_DEACTIVATE return to OP-TEE; FFA_MSG_SEND_DIRECT_RESP and
 *    FFA_MSG_WAIT switch vCPU and leave for the normal world (an SMC to
 *    EL3: the response, or FFA_NORMAL_WORLD_RESUME after a secure
 *    interrupt);
 *  - a physical interrupt for OP-TEE (FFA_INTERRUPT from the SPMD, or taken
 *    from S-EL1): hf.irq (IAR at S-EL2 for a secure one, the managed-exit
 *    signal for a normal-world one), then the virtual interrupt injected
 *    into OP-TEE (pe_inject).
 * The delayed Schedule Receiver Interrupt: a SET with the delay-SRI flag
 * marks the current physical CPU (cpu->is_sri_delayed); the SGI
 * (HF_SCHEDULE_RECEIVER_INTID, 8) goes to that CPU when an FF-A call
 * Hafnium handled returns to the normal world there (hvc_smc_handler's
 * ffa_notifications_sri_trigger_if_delayed), and no other exit flushes it.
 *
 * tzsim shortcut (not Hafnium): opteed's PM and boot entries still enter
 * OP-TEE from EL3, and OP-TEE's TEESMC_OPTEED_RETURN_* SMC is forwarded to
 * EL3 (smc_forwarder); upstream the SPMD sends power events to the SPMC as
 * FF-A framework messages (spmd_pm.c).
 */
#include <assert.h>
#include <string.h>

#include "tee_internal.h"
#include "models/gic/gic.h"

/* An SMC Hafnium makes to EL3 never comes back: the SPMD's next entry is a new call or an interrupt. */
static void never_returns(void *ctx, struct pe *pe)
{
	(void)ctx, (void)pe;
	assert(!"the SPMD returned to Hafnium's SMC");
}

/* ---- leaving for the normal world ---------------------------------------------------------- */

/*
 * hvc_smc_handler, SECURE_WORLD: after ffa_handler handled a call and the
 * next vCPU is the other world's, ffa_notifications_sri_trigger_if_delayed
 * (this CPU): the SGI if this CPU owes one, and the flag cleared.
 */
static void sri_flush(struct tee *t, struct pe *pe)
{
	struct tee_ffa *f = tee_ffa_state(t);
	uint64_t bit = 1ull << pe_id(pe);
	if (!(f->sri_delayed & bit))
		return;
	f->sri_delayed &= ~bit;
	tee_ffa_send_sri(t, pe);
}

static void to_ns_smc(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t r[8];
	memcpy(r, tee_ffa_state(t)->to_ns[pe_id(pe)], sizeof(r));
	pe_smc(pe, r, never_returns, NULL);
}

/* An FF-A call Hafnium handled hands back to the normal world with @r: flush the SRI, then SMC to the SPMD. */
static void ffa_to_ns(struct tee *t, struct pe *pe, const uint64_t r[8], bool vcpu_switch)
{
	sri_flush(t, pe);
	memcpy(tee_ffa_state(t)->to_ns[pe_id(pe)], r, 8 * sizeof(r[0]));
	if (vcpu_switch) /* from OP-TEE's vCPU to the other world's */
		pe_exec_cost(pe, SIM_COST_HF_VCPU_SWITCH, "Hafnium vCPU switch", to_ns_smc, t);
	else
		to_ns_smc(t, pe);
}

/* ---- normal-world FF-A calls ---------------------------------------------------------------- */

static void sp_entered(void *ctx, struct pe *pe)
{
	/* ERET into OP-TEE at S-EL1 with its exceptions masked; it handles the direct request */
	pe_enter(pe, 1, SIM_WORLD_S, true, true);
	tee_ffa_direct_entry(ctx, pe);
}

static void sp_switched(void *ctx, struct pe *pe) { pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", sp_entered, ctx); }

static void ffa_handle(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t r[8];

	if ((uint32_t)pe_regs(pe)[0] == FFA_MSG_SEND_DIRECT_REQ_32 &&
	    (pe_regs(pe)[1] & 0xffff) == FFA_OPTEE_ID) {
		/* api_ffa_msg_send_direct_req: OP-TEE's vCPU runs next */
		pe_exec_cost(pe, SIM_COST_HF_VCPU_SWITCH, "Hafnium vCPU switch", sp_switched, t);
		return;
	}
	tee_ffa_spmc_call(t, pe, r);
	ffa_to_ns(t, pe, r, false);
}

/* The SPMD's entry with a normal-world FF-A call (x0..x7 as the caller set them). */
static void ffa_entry(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "Hafnium FF-A", ffa_handle, ctx);
}

/* ---- OP-TEE's calls (SMC and HVC trapped from S-EL1) ------------------------------------- */

static void ret_to_sp(struct pe *pe, uint64_t x0, uint64_t x2)
{
	uint64_t r[8] = { x0, 0, x2, 0, 0, 0, 0, 0 };
	pe_smc_return8(pe, r);
}

/*
 * api_ffa_notification_set for a SET from OP-TEE (sender: this world's
 * partition; receiver: VM 0). The pending bit itself is the notif core's
 * (tee_internal.h, struct tee_ffa), set by notif_send_async just before
 * the SMC. Without the delay flag the SRI goes out now
 * (ffa_notifications_sri_trigger_not_delayed), with it this CPU owes it
 * (ffa_notifications_sri_set_delayed(current->cpu)).
 */
static void notification_set(struct tee *t, struct pe *pe)
{
	struct tee_ffa *f = tee_ffa_state(t);
	const uint64_t *x = pe_regs(pe);
	uint64_t bits = (x[3] & 0xffffffff) | (x[4] << 32);
	uint32_t flags = (uint32_t)x[2];

	if (flags & ~(uint32_t)(FFA_NOTIF_FLAG_PER_VCPU | FFA_NOTIF_FLAG_DELAY_SRI)) {
		ret_to_sp(pe, FFA_ERROR, (uint64_t)(int64_t)FFA_RET_INVALID_PARAMETERS); /* flags MBZ */
		return;
	}
	if ((flags & FFA_NOTIF_FLAG_PER_VCPU) || !bits || (x[1] & 0xffff) != 0) {
		ret_to_sp(pe, FFA_ERROR, (uint64_t)(int64_t)FFA_RET_INVALID_PARAMETERS);
		return;
	}
	if (!f->created || (f->bound & bits) != bits) {
		ret_to_sp(pe, FFA_ERROR, (uint64_t)(int64_t)FFA_RET_DENIED); /* not enabled, or not bound */
		return;
	}
	if (flags & FFA_NOTIF_FLAG_DELAY_SRI)
		f->sri_delayed |= 1ull << pe_id(pe);
	else
		tee_ffa_send_sri(t, pe);
	ret_to_sp(pe, FFA_SUCCESS_32, 0);
}

/* The paravirtualised interrupt interface (handler.c hf_interrupt_*, OP-TEE hfic.c). */
static void interrupt_hvc(struct tee *t, struct pe *pe)
{
	struct tee_ffa *f = tee_ffa_state(t);
	uint64_t fid = pe_regs(pe)[0], r0 = (uint64_t)-1;

	if (fid == HF_INTERRUPT_GET) {
		r0 = f->vintid[pe_id(pe)];
		f->vintid[pe_id(pe)] = GIC_SPURIOUS;
	} else if (fid == HF_INTERRUPT_DEACTIVATE) {
		/* the physical interrupt's priority drop and deactivation, at S-EL2 */
		pe_icc_write(pe, ICC_EOIR1_EL1, pe_regs(pe)[2]);
		r0 = 0;
	}
	ret_to_sp(pe, r0, 0);
}

static void trap_handle(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	const struct pe_frame *caller = pe_top_frame(pe);
	uint32_t fid = (uint32_t)pe_regs(pe)[0];
	uint64_t r[8];

	if (caller->kind == PE_FRAME_HVC_CALLER) {
		interrupt_hvc(t, pe);
		return;
	}
	switch (fid) {
	case FFA_NOTIFICATION_SET:
		notification_set(t, pe);
		return;
	case FFA_MSG_SEND_DIRECT_RESP_32:
		/* OP-TEE's answer goes to the normal world's caller: the other world's vCPU runs next */
		memcpy(r, pe_regs(pe), sizeof(r));
		pe_smc_discard(pe);
		ffa_to_ns(t, pe, r, true);
		return;
	case FFA_MSG_WAIT: {
		/*
		 * The end of a secure interrupt OP-TEE was resumed from its wait to
		 * handle (ffa_msg_wait_complete -> api_switch_to_other_world):
		 * Hafnium "returns control to EL3 using FFA_NORMAL_WORLD_RESUME".
		 */
		uint64_t nwr[8] = { FFA_NORMAL_WORLD_RESUME, 0, 0, 0, 0, 0, 0, 0 };
		pe_smc_discard(pe);
		ffa_to_ns(t, pe, nwr, true);
		return;
	}
	default:
		break;
	}
	if (SMCCC_OEN(fid) == 62 && SMCCC_IS_FAST(fid)) {
		/* tzsim shortcut: opteed's TEESMC_OPTEED_RETURN_* forwarded to EL3 (smc_forwarder); it never returns */
		memcpy(r, pe_regs(pe), sizeof(r));
		pe_smc_discard(pe);
		pe_smc(pe, r, never_returns, NULL);
		return;
	}
	ret_to_sp(pe, FFA_ERROR, (uint64_t)(int64_t)FFA_RET_NOT_SUPPORTED);
}

/* smc_handler / hvc_handler: a call from OP-TEE's vCPU. */
static void trap_entry(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "Hafnium", trap_handle, ctx);
}

/* ---- interrupts -------------------------------------------------------------------------- */

/* IAR at S-EL2: a Secure Group 1 interrupt for the partition; Hafnium keeps it for HF_INTERRUPT_GET. */
static uint64_t hf_ack(struct tee *t, struct pe *pe)
{
	uint64_t iar = GIC_SPURIOUS;
	pe_icc_read(pe, ICC_IAR1_EL1, &iar);
	tee_ffa_state(t)->vintid[pe_id(pe)] = iar;
	return iar;
}

static void intr_sp_switched(void *ctx, struct pe *pe)
{
	/* OP-TEE was waiting: ERET into it and signal the virtual IRQ; its handler ends with FFA_MSG_WAIT */
	pe_inject(pe, PE_EXC_VIRQ, tee_itr_entry, ctx);
}

static void intr_handle(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	if (hf_ack(t, pe) == GIC_SPURIOUS) {
		/* nothing to signal: the FFA_INTERRUPT call returns to the normal world (and flushes) */
		uint64_t nwr[8] = { FFA_NORMAL_WORLD_RESUME, 0, 0, 0, 0, 0, 0, 0 };
		ffa_to_ns(t, pe, nwr, false);
		return;
	}
	/* ffa_interrupts_handle_secure_interrupt: the target (OP-TEE's vCPU) runs next */
	pe_exec_cost(pe, SIM_COST_HF_VCPU_SWITCH, "Hafnium vCPU switch", intr_sp_switched, t);
}

/* FFA_INTERRUPT from the SPMD: a secure interrupt taken while the normal world ran. */
static void intr_entry(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_HF_IRQ, "Hafnium secure interrupt", intr_handle, ctx);
}

static void irq_handle(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	if (hf_ack(t, pe) == GIC_SPURIOUS) {
		pe_eret(pe);
		return;
	}
	/* "PREEMPTED by Self S-Int: Signaled": the running partition takes the virtual IRQ */
	pe_inject(pe, PE_EXC_VIRQ, NULL, NULL);
}

/* An IRQ (Secure Group 1) taken to S-EL2 while OP-TEE ran. */
static void sel2_irq(void *ctx, struct pe *pe, enum pe_exc exc)
{
	(void)exc;
	pe_exec_cost(pe, SIM_COST_HF_IRQ, "Hafnium secure interrupt", irq_handle, ctx);
}

static void managed_exit(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_inject(pe, PE_EXC_VFIQ, NULL, NULL);
}

/*
 * A FIQ (a Non-secure interrupt) taken to S-EL2 while OP-TEE ran: OP-TEE's
 * manifest asks for managed exit, so Hafnium signals it a virtual FIQ and
 * OP-TEE leaves with a direct response (RETURN_INTERRUPT).
 */
static void sel2_fiq(void *ctx, struct pe *pe, enum pe_exc exc)
{
	(void)exc;
	pe_exec_cost(pe, SIM_COST_HF_IRQ, "Hafnium managed exit", managed_exit, ctx);
}

/* ---- construction ------------------------------------------------------------------------ */

void tee_sel2_attach(struct tee *t, struct mon *m)
{
	for (unsigned i = 0; i < t->cfg.num_pes; i++) {
		pe_set_sel2(t->pes[i], trap_entry, t);
		pe_set_vector(t->pes[i], PE_VEC_SEL2_IRQ, sel2_irq, t);
		pe_set_vector(t->pes[i], PE_VEC_SEL2_FIQ, sel2_fiq, t);
		tee_ffa_state(t)->vintid[i] = GIC_SPURIOUS;
	}
	mon_set_spmc(m, &(struct mon_spmc){ 2, ffa_entry, intr_entry, t });
}
