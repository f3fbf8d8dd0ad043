// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/monitor/mon_main.c: BL31's runtime service dispatch, the OP-TEE
 * dispatcher (TF-A services/spd/opteed) and GIC set-up from EL3.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "mon_internal.h"
#include "models/cpu/isa_rt.h"
#include "models/gic/gic.h"

static void smc_entry(void *ctx, struct pe *pe);
static void el3_fiq(void *ctx, struct pe *pe, enum pe_exc exc);
static bool el3_plan(void *ctx, struct pe *pe, enum pe_exc exc, struct pe_el3_pass *out);
static void index_services(struct mon *m);

struct mon *mon_new(struct sim *s, struct pe **pes, unsigned n, const struct mon_config *cfg)
{
	struct mon *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->pes = calloc(n, sizeof(*m->pes));
	if (!m->pes) {
		free(m);
		return NULL;
	}
	m->sim = s;
	m->cfg = *cfg;
	m->n = n;
	index_services(m);
	for (unsigned i = 0; i < n; i++) {
		struct mon_pe *mp = &m->pes[i];
		mp->m = m;
		mp->pe = pes[i];
		mp->id = i;
		mp->psci_state = PSCI_AFF_OFF;
		mp->wake_on_irq = true;
		pe_set_smc_handler(pes[i], smc_entry, mp);
		pe_set_vector(pes[i], PE_VEC_EL3_FIQ, el3_fiq, mp);
		/* with guest code the world switch is guest code's steps: no pass to plan */
		if (!cfg->isa && !cfg->el3_legs)
			pe_set_el3_plan(pes[i], el3_plan, mp);
	}
	return m;
}

void mon_free(struct mon *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->n; i++)
		if (m->pes[i].power_ev.fn)
			sim_cancel(m->sim->k, &m->pes[i].power_ev);
	free(m->pes);
	free(m);
}

void mon_set_tee(struct mon *m, pe_fn cold_boot_entry, const struct tee_vectors *v)
{
	m->tee_boot = cold_boot_entry;
	m->tv = *v;
}

void mon_set_ns_entry(struct mon *m, pe_fn entry, void *ctx)
{
	m->ns_entry = entry;
	m->ns_ctx = ctx;
}


/* A suspend request is accepted: its wake mode, and no wake from an earlier one kept for it. */
void mon_set_wake_on_irq(struct mon *m, unsigned pe, bool allow)
{
	m->pes[pe].wake_on_irq = allow;
	m->pes[pe].wake_latched = false;
}
int mon_psci_state(const struct mon *m, unsigned pe) { return m->pes[pe].psci_state; }

/* ---- returning from an SMC -------------------------------------------- */

void mon_smc_done(struct mon_pe *mp, uint64_t x0)
{
	uint64_t res[4] = { x0, 0, 0, 0 };
	pe_smc_return(mp->pe, res);
}

/* ---- world switches ----------------------------------------------------- */

static void enter_secure_eret(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	/* opteed ERETs to S-EL1 with all exceptions masked; OP-TEE unmasks in its threads. */
	pe_enter(pe, 1, SIM_WORLD_S, true, true);
	mp->pending_entry(mp->pending_ctx, pe);
}

static void enter_secure_after_switch(void *ctx, struct pe *pe)
{
	pe_trace_world_switch(pe, SIM_WORLD_NS, SIM_WORLD_S);
	/*
	 * el3_exit (TF-A lib/el3_runtime/aarch64/context.S) restores the secure
	 * context's registers and ERETs into S-EL1: the ERET costs what any
	 * exception return costs.
	 */
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", enter_secure_eret, ctx);
}

/* ---- the world switch --------------------------------------------------------- */

#define MON_S 0u  /* BL31's SECURE */
#define MON_NS 1u /* BL31's NON_SECURE */

static void ws_isa_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	struct mon_pe *mp = ctx;
	(void)res;
	mp->ws_fn(mp->ws_ctx, pe);
}

/*
 * One EL1-context step of opteed at EL3 as guest code (fidelity.monitor:
 * isa): one call of @sym (handler @h) with @nargs of @a0, @a1; then
 * @fn(@ctx). The abstract step is the callers' own (a tail call each, on
 * the hot path); out of line, so its request on the stack does not make
 * those callers (opteed's dispatcher) build a frame for it.
 */
static __attribute__((noinline)) void el1_context_isa(struct mon_pe *mp, enum isa_rt_handler h, const char *sym,
							unsigned nargs, uint64_t a0, uint64_t a1, pe_fn fn, void *ctx)
{
	struct isa_rt *isa = mp->m->cfg.isa;
	mp->ws_fn = fn;
	mp->ws_ctx = ctx;
	struct isa_rt_req rq = { .h = h, .world = ISA_RT_MON, .fn = isa_rt_sym(isa, ISA_IMG_MONITOR, sym),
				 .args = { a0, a1 }, .nargs = nargs, .done = ws_isa_done, .ctx = mp };
	isa_rt_call(isa, mp->pe, &rq);
}

/*
 * opteed_smc_handler's switch: cm_el1_sysregs_context_save(@from), then
 * cm_el1_sysregs_context_restore(@to): world_switch, or one guest call of
 * opteed_el1_context_switch (both, as the handler calls them).
 */
void mon_world_switch(struct mon_pe *mp, unsigned from, unsigned to, pe_fn fn, void *ctx)
{
	if (!mp->m->cfg.isa) {
		pe_exec_cost(mp->pe, SIM_COST_WORLD_SWITCH, "world switch", fn, ctx);
		return;
	}
	el1_context_isa(mp, ISA_H_MON_WORLD_SWITCH, "opteed_el1_context_switch", 2, from, to, fn, ctx);
}

/*
 * opteed's FIQ_DONE: cm_el1_sysregs_context_restore(@to) alone, the secure
 * registers not saved (OP-TEE preserved them through the interrupt,
 * opteed_smc_handler): world_restore, or the guest's restore.
 */
static void mon_world_restore(struct mon_pe *mp, unsigned to, pe_fn fn, void *ctx)
{
	if (!mp->m->cfg.isa) {
		pe_exec_cost(mp->pe, SIM_COST_WORLD_RESTORE, "world switch", fn, ctx);
		return;
	}
	el1_context_isa(mp, ISA_H_MON_WORLD_RESTORE, "opteed_el1_context_restore", 1, to, 0, fn, ctx);
}

static void enter_secure_after_dispatch(void *ctx, struct pe *pe)
{
	(void)pe;
	mon_world_switch(ctx, MON_NS, MON_S, enter_secure_after_switch, ctx);
}

/*
 * opteed's entry from the normal world: el3.dispatch + world_switch + the
 * ERET (exc_return), S-EL1 with all interrupts masked, then @entry.
 */
static void mon_enter_secure(struct mon *m, struct pe *pe, pe_fn entry, void *ctx)
{
	struct mon_pe *mp = &m->pes[pe_id(pe)];
	mp->pending_entry = entry;
	mp->pending_ctx = ctx;
	pe_exec_cost(pe, SIM_COST_EL3_DISPATCH, "SMC dispatch", enter_secure_after_dispatch, mp);
}

static void return_ns_after_switch(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_trace_world_switch(pe, SIM_WORLD_S, SIM_WORLD_NS);
	pe_smc_return8(pe, mp->ret);
}

/*
 * CALL_DONE's results: OP-TEE's x1..x4 (@x the secure caller's registers)
 * become the normal-world caller's x0..x3 (opteed_main.c), held for the
 * ERET back (pe_smc_return8's), x4..x7 zero.
 */
static void hold_call_done(struct mon_pe *mp, const uint64_t *x)
{
	memset(mp->ret, 0, sizeof(mp->ret));
	memcpy(mp->ret, x + 1, 4 * sizeof(x[0]));
}

static void fiq_done_after_switch(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_trace_world_switch(pe, SIM_WORLD_S, SIM_WORLD_NS);
	/* SMC_RET0 on the NS context: back to the interrupted work, nothing visible. */
	pe_eret(pe);
}


/* A synchronous entry into OP-TEE from EL3 (cold boot, PM hooks). */
static void sync_eret(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_enter(pe, 1, SIM_WORLD_S, true, true);
	mp->pending_entry(mp->m->tv.ctx, pe);
}

static void sync_after_switch(void *ctx, struct pe *pe)
{
	pe_trace_world_switch(pe, SIM_WORLD_EL3, SIM_WORLD_S);
	/* opteed_synchronous_sp_entry -> opteed_enter_sp -> el3_exit: an ERET into S-EL1 */
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", sync_eret, ctx);
}

void mon_sync_entry(struct mon_pe *mp, pe_fn entry, pe_fn cont)
{
	mp->sync_cont = cont;
	mp->pending_entry = entry;
	mon_world_switch(mp, MON_NS, MON_S, sync_after_switch, mp);
}

static void sync_done_after_switch(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_fn cont = mp->sync_cont;
	pe_trace_world_switch(pe, SIM_WORLD_S, SIM_WORLD_EL3);
	mp->sync_cont = NULL;
	/* opteed panics unless x1 == 0 (opteed_pm.c); tzsim records it instead. */
	if (mp->sync_x1 != 0)
		pe_event(pe, "opteed: PM hook failed", mp->sync_x1, 0);
	cont(mp, pe);
}

/* ---- the OP-TEE dispatcher ------------------------------------------------ */

/* Out of line: its registers and results would make opteed_svc build a frame on the normal world's calls too. */
static __attribute__((noinline)) void opteed_from_secure(struct mon_pe *mp, uint32_t fid)
{
	struct pe *pe = mp->pe;
	const uint64_t *x = pe_regs(pe);

	/*
	 * OP-TEE never resumes after a TEESMC_OPTEED_RETURN_* call: the secure
	 * caller frame goes. (The registers stay: x1..x4 are read after, so
	 * nothing is kept across the call.)
	 */
	pe_smc_discard(pe);
	switch (fid) {
	case TEESMC_OPTEED_RETURN_CALL_DONE:
		/* opteed's return to the normal-world caller: the switch back, then the ERET */
		hold_call_done(mp, x);
		mon_world_switch(mp, MON_S, MON_NS, return_ns_after_switch, mp);
		return;
	case TEESMC_OPTEED_RETURN_FIQ_DONE:
		/* only the NS registers come back (opteed_main.c: "no need to save the secure ... context") */
		mon_world_restore(mp, MON_NS, fiq_done_after_switch, mp);
		return;
	case TEESMC_OPTEED_RETURN_ENTRY_DONE:
	case TEESMC_OPTEED_RETURN_ON_DONE:
	case TEESMC_OPTEED_RETURN_OFF_DONE:
	case TEESMC_OPTEED_RETURN_SUSPEND_DONE:
	case TEESMC_OPTEED_RETURN_RESUME_DONE:
	case TEESMC_OPTEED_RETURN_SYSTEM_OFF_DONE:
	case TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE:
		if (mp->sync_cont) {
			mp->sync_x1 = fid == TEESMC_OPTEED_RETURN_ENTRY_DONE ? 0 : x[1];
			mon_world_switch(mp, MON_S, MON_NS, sync_done_after_switch, mp);
			return;
		}
		break;
	default:
		break;
	}
	/* A return the dispatcher did not expect: TF-A would panic; report and stop this PE. */
	pe_event(pe, "opteed: unexpected secure SMC", fid, 0);
	pe_idle(pe);
}

static void opteed_from_ns(struct mon_pe *mp, uint32_t fid)
{
	struct mon *m = mp->m;
	if (!m->tee_ready) {
		mon_smc_done(mp, SMC_UNK);
		return;
	}
	/* GET_SMC_TYPE picks the entry: fast_smc_entry or yield_smc_entry. */
	mon_enter_secure(m, mp->pe, SMCCC_IS_FAST(fid) ? m->tv.fast_smc_entry : m->tv.yield_smc_entry,
			 m->tv.ctx);
}

/* ---- SMC dispatch (DECLARE_RT_SVC table) ------------------------------- */

static void unknown_done(void *ctx, struct pe *pe)
{
	(void)pe;
	mon_smc_done(ctx, SMC_UNK);
}

static void smccc_version_done(void *ctx, struct pe *pe)
{
	(void)pe;
	mon_smc_done(ctx, SMCCC_VERSION_1_2);
}

/*
 * Unknown function ID: SMC_UNK, never fatal (SMCCC). From the normal world
 * the lookup is the whole of the handling (el3.dispatch); a secure caller's
 * dispatch was charged when its SMC was taken (smc_entry). Out of line:
 * the dispatch (smc_dispatch) then builds no frame for it.
 */
static __attribute__((noinline)) void smc_unknown(struct mon_pe *mp, struct pe *pe)
{
	const struct pe_frame *caller = pe_top_frame(pe);
	if (caller && caller->world == SIM_WORLD_S) {
		unknown_done(mp, pe);
		return;
	}
	pe_exec_cost(pe, SIM_COST_EL3_DISPATCH, "SMC unknown", unknown_done, mp);
}

/* ---- the runtime services ------------------------------------------------- */

/* Arm architecture calls (TF-A arm_arch_svc_smc_handler): SMCCC_VERSION. */
static void arm_arch_svc(struct mon_pe *mp, struct pe *pe, uint32_t fid, bool from_secure)
{
	(void)from_secure;
	if (fid != SMCCC_VERSION) {
		smc_unknown(mp, pe);
		return;
	}
	pe_exec_cost(pe, SIM_COST_EL3_DISPATCH, "SMCCC_VERSION", smccc_version_done, mp);
}

/* The standard service (TF-A std_svc_smc_handler): PSCI from the normal world, FF-A to the SPMD slot. */
static void std_svc(struct mon_pe *mp, struct pe *pe, uint32_t fid, bool from_secure)
{
	unsigned func = SMCCC_FUNC(fid);
	if (func <= PSCI_FUNC_LAST && !from_secure) {
		mon_psci_call(mp, fid);
		return;
	}
	if (func >= FFA_FUNC_FIRST && func <= FFA_FUNC_LAST && mp->m->spmc.ffa_entry) {
		mon_spmd_smc(mp, pe, fid, from_secure);
		return;
	}
	smc_unknown(mp, pe);
}

/* The OP-TEE dispatcher (TF-A opteed_smc_handler), fast and yielding. */
static void opteed_svc(struct mon_pe *mp, struct pe *pe, uint32_t fid, bool from_secure)
{
	(void)pe;
	if (from_secure)
		opteed_from_secure(mp, fid);
	else
		opteed_from_ns(mp, fid);
}

/*
 * The services, as DECLARE_RT_SVC declares them in TF-A: an OEN range and a
 * call type each. mon_new indexes them by (call type, OEN) the way
 * runtime_svc_init fills rt_svc_descs_indices.
 */
static const struct mon_rt_svc rt_svcs[] = {
	{ "arm_arch_svc", OEN_ARM, OEN_ARM, SMC_TYPE_FAST, arm_arch_svc },
	{ "std_svc", OEN_STD, OEN_STD, SMC_TYPE_FAST, std_svc },
	{ "opteed_fast", OEN_TOS_START, OEN_TOS_END, SMC_TYPE_FAST, opteed_svc },
	{ "opteed_std", OEN_TOS_START, OEN_TOS_END, SMC_TYPE_YIELD, opteed_svc },
};

static void index_services(struct mon *m)
{
	for (size_t i = 0; i < sizeof(rt_svcs) / sizeof(rt_svcs[0]); i++)
		for (unsigned oen = rt_svcs[i].start_oen; oen <= rt_svcs[i].end_oen; oen++)
			m->svc[rt_svcs[i].call_type][oen] = &rt_svcs[i];
}

/* Find the service by (call type, OEN) and call it (TF-A get_handler_for_smc_fid). */
static void smc_dispatch(struct mon_pe *mp, struct pe *pe, bool from_secure)
{
	uint32_t fid = (uint32_t)pe_regs(pe)[0];
	const struct mon_rt_svc *svc = mp->m->svc[SMC_TYPE_OF(fid)][SMCCC_OEN(fid)];

	if (!svc) {
		smc_unknown(mp, pe);
		return;
	}
	svc->handler(mp, pe, fid, from_secure);
}

static void secure_smc_dispatched(void *ctx, struct pe *pe) { smc_dispatch(ctx, pe, true); }

/*
 * The SMC exception vector. Every SMC, from either security state, takes
 * the same path in BL31: sync_exception_aarch64 -> handle_sync_exception
 * (prepare_el3_entry saves the caller's registers), handler_sync_exception
 * -> get_handler_for_smc_fid (TF-A bl31/aarch64/runtime_exceptions.S,
 * common/runtime_svc.c), so a secure caller's SMC (TEESMC_OPTEED_RETURN_*,
 * FF-A from the secure side) pays el3.dispatch as a normal-world one does.
 * The normal world's handlers charge it with their own work
 * (mon_enter_secure, smc_unknown, SMCCC_VERSION; el3.psci covers PSCI's
 * whole handling); the secure side's is charged here.
 */
static void smc_entry(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	const struct pe_frame *caller = pe_top_frame(pe);

	if (caller && caller->world == SIM_WORLD_S) {
		pe_exec_cost(pe, SIM_COST_EL3_DISPATCH, "SMC dispatch", secure_smc_dispatched, mp);
		return;
	}
	smc_dispatch(mp, pe, false);
}

/* A Secure Group 1 interrupt taken while the normal world ran (FIQ at EL3). */
static void el3_fiq(void *ctx, struct pe *pe, enum pe_exc exc)
{
	struct mon_pe *mp = ctx;
	(void)exc;
	/* With the SPMD: spmd_secure_interrupt_handler, FFA_INTERRUPT to the SPMC. */
	if (mp->m->spmc.intr_entry) {
		mon_spmd_fiq(mp, pe);
		return;
	}
	/* opteed_sel1_interrupt_handler: save NS, ERET to fiq_entry. */
	mon_enter_secure(mp->m, pe, mp->m->tv.fiq_entry, mp->m->tv.ctx);
}

/* ---- a pass through EL3 as one step (pe.h: struct pe_el3_pass) ------------ */

/* The ERET's end of a pass into S-EL1: the world switch's record, then enter_secure_eret. */
static void pass_to_secure(void *ctx, struct pe *pe)
{
	pe_trace_world_switch(pe, SIM_WORLD_NS, SIM_WORLD_S);
	enter_secure_eret(ctx, pe);
}

/* ... of CALL_DONE's pass: return_ns_after_switch without the ERET's step (the pass charged it) */
static void pass_call_done(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_trace_world_switch(pe, SIM_WORLD_S, SIM_WORLD_NS);
	pe_smc_return8_now(pe, mp->ret);
}

/* ... of FIQ_DONE's pass: fiq_done_after_switch, the same way */
static void pass_fiq_done(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_trace_world_switch(pe, SIM_WORLD_S, SIM_WORLD_NS);
	pe_eret_now(pe);
}

/*
 * The OP-TEE dispatcher's usual passes, decided at the entry: a yielding or
 * fast call from the normal world into OP-TEE (smc_entry -> smc_dispatch ->
 * opteed_from_ns -> mon_enter_secure), a secure interrupt taken from the
 * normal world (el3_fiq, opteed_sel1_interrupt_handler), and OP-TEE's
 * CALL_DONE and FIQ_DONE (smc_entry's dispatch -> opteed_from_secure).
 * They make the legs' decisions at the entry instead of one leg later, on
 * what cannot change in between: the SMC's registers and caller frame (the
 * PE's own, and EL3 is masked), the service table and OP-TEE's vectors
 * (fixed), tee_ready (set once, before any normal-world SMC can be made;
 * without it, the legs), and the pending entry and results that the legs
 * would store (this PE's, read at the ERET). Every other call takes the
 * legs: PSCI (it reads the other PEs' state), FF-A, SMCCC_VERSION, unknown
 * IDs, OP-TEE's boot and PM returns (sync_cont), and unexpected returns.
 */
static bool el3_plan(void *ctx, struct pe *pe, enum pe_exc exc, struct pe_el3_pass *out)
{
	struct mon_pe *mp = ctx;
	struct mon *m = mp->m;

	out->dispatch = SIM_COST_EL3_DISPATCH;
	out->sw = SIM_COST_WORLD_SWITCH;
	out->ctx = mp;
	out->done = pass_to_secure;
	if (exc == PE_EXC_FIQ) {
		if (m->spmc.intr_entry)
			return false; /* the SPMD's path (el3_fiq) */
		mp->pending_entry = m->tv.fiq_entry;
		mp->pending_ctx = m->tv.ctx;
		return true;
	}
	const uint64_t *x = pe_regs(pe);
	uint32_t fid = (uint32_t)x[0];
	const struct mon_rt_svc *svc = m->svc[SMC_TYPE_OF(fid)][SMCCC_OEN(fid)];
	if (!svc || svc->handler != opteed_svc)
		return false;
	const struct pe_frame *caller = pe_top_frame(pe);
	if (caller && caller->world == SIM_WORLD_S) {
		if (fid == TEESMC_OPTEED_RETURN_CALL_DONE) {
			/* opteed_from_secure's */
			pe_smc_discard(pe);
			hold_call_done(mp, x);
			out->done = pass_call_done;
			return true;
		}
		if (fid == TEESMC_OPTEED_RETURN_FIQ_DONE) {
			pe_smc_discard(pe);
			out->sw = SIM_COST_WORLD_RESTORE;
			out->done = pass_fiq_done;
			return true;
		}
		return false;
	}
	if (!m->tee_ready)
		return false;
	/* opteed_from_ns: GET_SMC_TYPE picks the entry */
	mp->pending_entry = SMCCC_IS_FAST(fid) ? m->tv.fast_smc_entry : m->tv.yield_smc_entry;
	mp->pending_ctx = m->tv.ctx;
	return true;
}

/* ---- GIC set-up from EL3 (TF-A drivers/arm/gic/v3) ---------------------- */

static void mmio_w(struct mon_pe *mp, uint64_t off, unsigned size, uint64_t v)
{
	pe_mmio_write(mp->pe, mp->m->cfg.gicd_base + off, size, v);
}

static uint64_t rdist_base(struct mon_pe *mp) { return mp->m->cfg.gicr_base + (uint64_t)mp->id * GICR_STRIDE; }

/* gicv3_rdistif_mark_core_awake / _asleep and the CPU interface enables. */
void mon_gic_rdist_wake(struct mon_pe *mp, bool wake)
{
	struct pe *pe = mp->pe;
	/* one Redistributor write (+ the RWP/ChildrenAsleep poll) and the CPU interface's system registers */
	pe_charge(pe, SIM_COST_GIC_MMIO);
	if (wake) {
		pe_mmio_write(pe, rdist_base(mp) + GICR_WAKER, 4, 0);
		pe_icc_write(pe, ICC_SRE_EL3, 0xf);
		pe_icc_write(pe, ICC_IGRPEN1_EL3, 3); /* EnableGrp1S | EnableGrp1NS */
		pe_icc_write(pe, ICC_IGRPEN0_EL1, 1);
		pe_icc_write(pe, ICC_PMR_EL1, 0xff);
		for (int i = 0; i < 4; i++)
			pe_charge(pe, SIM_COST_GIC_SYSREG);
	} else {
		pe_charge(pe, SIM_COST_GIC_SYSREG);
		pe_charge(pe, SIM_COST_GIC_SYSREG);
		/* gicv3_cpuif_disable: group enables off, then ProcessorSleep. */
		pe_icc_write(pe, ICC_IGRPEN0_EL1, 0);
		pe_icc_write(pe, ICC_IGRPEN1_EL3, 0);
		pe_mmio_write(pe, rdist_base(mp) + GICR_WAKER, 4, GICR_WAKER_PROCESSOR_SLEEP);
	}
}

/* gicv3_rdistif_init: SGIs/PPIs Non-secure G1 by default, SGIs 8-15 Secure G1 (ARM_G1S_IRQ_PROPS). */
unsigned mon_gic_rdist_init_writes(struct mon_pe *mp)
{
	struct pe *pe = mp->pe;
	uint64_t sgi = rdist_base(mp) + GICR_SGI_OFFSET;
	pe_mmio_write(pe, sgi + GICR_ICENABLER0, 4, 0xffffffff);
	pe_mmio_write(pe, sgi + GICR_IGROUPR0, 4, 0xffff00ff);
	pe_mmio_write(pe, sgi + GICR_IGRPMODR0, 4, 0x0000ff00);
	for (unsigned i = 0; i < 8; i++)
		pe_mmio_write(pe, sgi + GICR_IPRIORITYR + 4 * i, 4, i == 2 || i == 3 ? 0x10101010 : 0xa0a0a0a0);
	pe_mmio_write(pe, sgi + GICR_ISENABLER0, 4, 0x0000ff00);
	return 13;
}

static unsigned gic_distif_init(struct mon_pe *mp)
{
	const struct mon_config *c = &mp->m->cfg;
	unsigned nw = 0, nregs = (c->num_spis + 32) / 32;

	mmio_w(mp, GICD_CTLR, 4, 0), nw++;
	/* gicv3_spis_config_defaults: every SPI Non-secure G1, level, default priority. */
	for (unsigned r = 1; r < nregs; r++) {
		mmio_w(mp, GICD_IGROUPR + 4 * r, 4, 0xffffffff);
		mmio_w(mp, GICD_ICFGR + 8 * r, 4, 0);
		mmio_w(mp, GICD_ICFGR + 8 * r + 4, 4, 0);
		nw += 3;
	}
	for (unsigned i = 32; i < 32 + c->num_spis; i += 4)
		mmio_w(mp, GICD_IPRIORITYR + i, 4, 0xa0a0a0a0), nw++;
	/* The platform's secure interrupts: Secure G1, their trigger, routing, enable. */
	for (unsigned k = 0; k < c->n_sirq; k++) {
		const struct mon_secure_irq *s = &c->sirq[k];
		unsigned id = s->intid;
		uint64_t v;
		pe_mmio_read(mp->pe, c->gicd_base + GICD_IGROUPR + 4 * (id / 32), 4, &v);
		mmio_w(mp, GICD_IGROUPR + 4 * (id / 32), 4, v & ~(1ull << (id % 32)));
		pe_mmio_read(mp->pe, c->gicd_base + GICD_IGRPMODR + 4 * (id / 32), 4, &v);
		mmio_w(mp, GICD_IGRPMODR + 4 * (id / 32), 4, v | (1ull << (id % 32)));
		pe_mmio_read(mp->pe, c->gicd_base + GICD_IPRIORITYR + (id & ~3u), 4, &v);
		v &= ~(0xffull << (8 * (id % 4)));
		mmio_w(mp, GICD_IPRIORITYR + (id & ~3u), 4, v | ((uint64_t)s->prio << (8 * (id % 4))));
		pe_mmio_read(mp->pe, c->gicd_base + GICD_ICFGR + 4 * (id / 16), 4, &v);
		v &= ~(2ull << (2 * (id % 16)));
		if (!s->level)
			v |= 2ull << (2 * (id % 16));
		mmio_w(mp, GICD_ICFGR + 4 * (id / 16), 4, v);
		mmio_w(mp, GICD_IROUTER + 8 * id, 8, pe_mpidr(s->pe));
		mmio_w(mp, GICD_ISENABLER + 4 * (id / 32), 4, 1ull << (id % 32));
		nw += 10;
	}
	mmio_w(mp, GICD_CTLR, 4,
	       GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS | GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1S |
		       GICD_CTLR_ENABLEGRP1NS);
	return nw + 1;
}

/* ---- cold boot ------------------------------------------------------------ */

void mon_eret_ns_entry(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	/* ERET to the normal world's entry point with DAIF masked, as Linux expects. */
	pe_enter(pe, 1, SIM_WORLD_NS, true, true);
	mp->m->ns_entry(mp->m->ns_ctx, pe);
}

static void boot_tee_done(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	mp->m->tee_ready = true;
	mp->psci_state = PSCI_AFF_ON;
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", mon_eret_ns_entry, mp);
}

static void boot_gic_done(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	(void)pe;
	mon_gic_rdist_wake(mp, true);
	/* opteed_setup / opteed_init: the first entry into OP-TEE returns ENTRY_DONE. */
	mon_sync_entry(mp, mp->m->tee_boot, boot_tee_done);
}

static void cold_entry(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	unsigned nw = gic_distif_init(mp) + mon_gic_rdist_init_writes(mp);
	pe_exec(pe, (sim_time)nw * pe_cost(pe, SIM_COST_GIC_MMIO), "BL31 GIC init", boot_gic_done, mp);
}

void mon_cold_boot(struct mon *m, unsigned pe)
{
	assert(m->tee_boot && m->ns_entry);
	pe_power_on(m->pes[pe].pe, cold_entry, &m->pes[pe]);
}
