// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/monitor/mon_spmd.c: TF-A's SPM Dispatcher (services/std_svc/spmd),
 * the EL3 half of FF-A: it forwards the normal world's FF-A calls to the
 * SPM Core and the SPMC's answers back, and hands a secure interrupt taken
 * while the normal world ran to the SPMC (FFA_INTERRUPT).
 *
 * The SPMC runs at S-EL1 (OP-TEE built with CFG_CORE_SEL1_SPMC,
 * SPMD_SPM_AT_SEL2=0) or at S-EL2 (Hafnium, SPMD_SPM_AT_SEL2=1). The world
 * switch saves and restores what the SPMC's EL owns:
 * spmd_smc_switch_state and spmd_secure_interrupt_handler save the EL1
 * system registers (cm_el1_sysregs_context_save/restore: world_switch) for
 * an S-EL1 SPMC, the EL2 ones and the GIC's EL2 state
 * (cm_el2_sysregs_context_save/restore and _gic: spmd.el2_switch) for an
 * S-EL2 one; then el3_exit ERETs (exc_return) into the SPMC's EL.
 */
#include <string.h>

#include "mon_internal.h"
#include "models/tee/optee_smc.h"

void mon_set_spmc(struct mon *m, const struct mon_spmc *s) { m->spmc = *s; }

static sim_time switch_cost(struct mon_pe *mp)
{
	return pe_cost(mp->pe, mp->m->spmc.el == 2 ? SIM_COST_SPMD_EL2_SWITCH : SIM_COST_WORLD_SWITCH);
}

/* ---- into the SPMC -------------------------------------------------------------------- */

static void spmc_eret(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	const struct mon_spmc *s = &mp->m->spmc;
	/* the SPMC is entered with all exceptions masked */
	pe_enter(pe, s->el, SIM_WORLD_S, true, true);
	mp->pending_entry(s->ctx, pe);
}

static void spmc_switched(void *ctx, struct pe *pe)
{
	pe_trace_world_switch(pe, SIM_WORLD_NS, SIM_WORLD_S);
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", spmc_eret, ctx);
}

static void spmc_dispatched(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_exec(pe, switch_cost(mp), "SPMD world switch", spmc_switched, mp);
}

/* From the normal world: el3.dispatch, the switch, the ERET into the SPMC at @entry. */
static void spmd_enter(struct mon_pe *mp, struct pe *pe, pe_fn entry)
{
	mp->pending_entry = entry;
	pe_exec_cost(pe, SIM_COST_EL3_DISPATCH, "SPMD dispatch", spmc_dispatched, mp);
}

/* spmd_secure_interrupt_handler: FFA_INTERRUPT to the SPMC (x0 = FFA_INTERRUPT, x1..x7 = 0). */
void mon_spmd_fiq(struct mon_pe *mp, struct pe *pe)
{
	for (unsigned i = 0; i < 8; i++)
		pe_set_reg(pe, i, i == 0 ? FFA_INTERRUPT : 0);
	mp->spmd_intr = true;
	spmd_enter(mp, pe, mp->m->spmc.intr_entry);
}

/* ---- back to the normal world --------------------------------------------------------- */

static void ns_returned(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_trace_world_switch(pe, SIM_WORLD_S, SIM_WORLD_NS);
	pe_smc_return8(pe, mp->ret);
}

static void ns_resumed(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_trace_world_switch(pe, SIM_WORLD_S, SIM_WORLD_NS);
	/* SMC_RET0 on the interrupted normal-world context */
	pe_eret(pe);
}

static void secure_error(struct pe *pe, int code)
{
	uint64_t r[8] = { FFA_ERROR, 0, (uint64_t)(int64_t)code, 0, 0, 0, 0, 0 };
	pe_smc_return8(pe, r);
}

/*
 * spmd_smc_handler for an FF-A function ID. From the normal world every
 * call goes to the SPMC (spmd_smc_forward -> spmd_smc_switch_state). From
 * the SPMC: the answers a normal-world caller waits for (direct response,
 * FFA_SUCCESS, FFA_ERROR) are forwarded to it; FFA_NORMAL_WORLD_RESUME ends
 * a secure interrupt the SPMD handed over (spmd_spm_core_sync_exit) and
 * resumes what it interrupted; anything else the secure side calls is not
 * for the SPMD here (the NOTIFICATION_* IDs are normal-world only).
 */
void mon_spmd_smc(struct mon_pe *mp, struct pe *pe, uint32_t fid, bool from_secure)
{
	if (!from_secure) {
		spmd_enter(mp, pe, mp->m->spmc.ffa_entry);
		return;
	}
	switch (fid) {
	case FFA_MSG_SEND_DIRECT_RESP_32:
	case FFA_SUCCESS_32:
	case FFA_SUCCESS_64:
	case FFA_ERROR:
		if (mp->spmd_intr)
			break; /* no normal-world caller: the SPMC owes FFA_NORMAL_WORLD_RESUME */
		memcpy(mp->ret, pe_regs(pe), sizeof(mp->ret));
		pe_smc_discard(pe); /* the SPMC's SMC does not return: its next entry is a new call */
		pe_exec(pe, switch_cost(mp), "SPMD world switch", ns_returned, mp);
		return;
	case FFA_NORMAL_WORLD_RESUME:
		if (!mp->spmd_intr) {
			secure_error(pe, FFA_RET_DENIED);
			return;
		}
		mp->spmd_intr = false;
		pe_smc_discard(pe);
		pe_exec(pe, switch_cost(mp), "SPMD world switch", ns_resumed, mp);
		return;
	default:
		break;
	}
	secure_error(pe, FFA_RET_NOT_SUPPORTED);
}
