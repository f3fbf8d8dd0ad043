// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/monitor/mon_psci.c: PSCI (TF-A lib/psci), the opteed PM hooks
 * (opteed_pm.c) and the platform power controller.
 */
#include <string.h>

#include "mon_internal.h"

static void trace_psci(struct mon_pe *mp, uint32_t fid, uint64_t target, int64_t result)
{
	struct pe *pe = mp->pe;
	sim_trace_emit(mp->m->sim->tr, &(struct sim_rec){ .t = sim_now(mp->m->sim->k), .kind = TR_PSCI,
						      .cpu = (int32_t)pe_id(pe), .world = SIM_WORLD_EL3,
						      .a = fid, .b = target, .c = (uint64_t)result });
}

static int pe_by_mpidr(const struct mon *m, uint64_t mpidr)
{
	for (unsigned i = 0; i < m->n; i++)
		if (pe_mpidr(i) == (mpidr & 0xff00ffffffull))
			return (int)i;
	return -1;
}

/* ---- power controller ----------------------------------------------------- */

static void power_up_now(void *ctx, uint64_t arg)
{
	struct mon_pe *mp = ctx;
	(void)arg;
	mp->power_up_pending = false;
	pe_power_on(mp->pe, mp->power_entry, mp);
}

void mon_power_up(struct mon_pe *mp, pe_fn entry)
{
	if (mp->power_up_pending)
		return;
	mp->power_up_pending = true;
	mp->power_entry = entry;
	if (!mp->power_ev.fn)
		sim_event_init(&mp->power_ev, power_up_now, mp);
	sim_schedule(mp->m->sim->k, &mp->power_ev, pe_cost(mp->pe, SIM_COST_POWER_UP), 0);
}

static void suspend_finish(void *ctx, struct pe *pe);
static void retention_exit(void *ctx, struct pe *pe);

static void try_wake(struct mon_pe *mp)
{
	if (!mp->suspended || mp->power_up_pending || pe_power(mp->pe) != PE_SUSPENDED)
		return;
	mon_power_up(mp, mp->powerdown ? suspend_finish : retention_exit);
}

void mon_wake_input(void *ctx, unsigned idx, int level)
{
	struct mon *m = ctx;
	struct mon_pe *mp = &m->pes[idx];
	mp->wake_level = level;
	if (level && mp->wake_on_irq && mp->powerdown)
		try_wake(mp);
}

void mon_wake(struct mon *m, unsigned pe)
{
	struct mon_pe *mp = &m->pes[pe];
	if (!mp->suspended) {
		mp->wake_latched = true; /* the suspend it was armed for has not begun: kept for it */
		return;
	}
	try_wake(mp);
}

/* WFI-style wake of a retention state: an IRQ/FIQ asserted at the CPU interface. */
static void retention_wake_hook(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	(void)pe;
	if (mp->wake_on_irq && !mp->powerdown)
		try_wake(mp);
}

/* ---- CPU_ON ----------------------------------------------------------------- */

static void on_finish_tee_done(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	mp->psci_state = PSCI_AFF_ON;
	trace_psci(mp, PSCI_CPU_ON, mp->id, PSCI_E_SUCCESS);
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", mon_eret_ns_entry, mp);
}

static void on_finish_gic(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	(void)pe;
	mon_gic_rdist_wake(mp, true);
	/* opteed svc_on_finish: synchronous entry to cpu_on_entry, expect ON_DONE. */
	mon_sync_entry(mp, mp->m->tv.cpu_on_entry, on_finish_tee_done);
}

static void on_finish(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	unsigned nw = mon_gic_rdist_init_writes(mp); /* the wake-up accesses are charged where they are made */
	pe_exec(pe, pe_cost(pe, SIM_COST_PSCI_CPU_ON) + nw * pe_cost(pe, SIM_COST_GIC_MMIO),
		"PSCI on-finisher", on_finish_gic, mp);
}

/* ---- CPU_OFF ---------------------------------------------------------------- */

static void off_powerdown(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_drop_stack(pe); /* CPU_OFF never returns: the caller's context is gone */
	mp->psci_state = PSCI_AFF_OFF;
	trace_psci(mp, PSCI_CPU_OFF, mp->id, PSCI_E_SUCCESS);
	pe_power_off(pe, PE_OFF);
}

static void off_tee_done(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	mon_gic_rdist_wake(mp, false);
	pe_exec_cost(pe, SIM_COST_PSCI_CPU_OFF, "PSCI CPU_OFF", off_powerdown, mp);
}

/* ---- CPU_SUSPEND ------------------------------------------------------------ */

static void suspend_powered(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	mp->suspended = true;
	pe_set_wake_hook(pe, retention_wake_hook, mp);
	pe_power_off(pe, PE_SUSPENDED);
	/* WFI completes at once if something is already pending (a timer that fired first included). */
	if (mp->wake_latched || (mp->powerdown ? (mp->wake_level && mp->wake_on_irq) : pe_interrupt_pending(pe))) {
		mp->wake_latched = false;
		try_wake(mp);
	}
}

static void suspend_tee_done(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	mon_gic_rdist_wake(mp, false);
	pe_exec_cost(pe, SIM_COST_PSCI_SUSPEND, "PSCI CPU_SUSPEND", suspend_powered, mp);
}

static void suspend_return(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	(void)pe;
	mp->suspended = false;
	trace_psci(mp, PSCI_CPU_SUSPEND, mp->id, PSCI_E_SUCCESS);
	mon_smc_done(mp, PSCI_E_SUCCESS);
}

/*
 * The dispatcher's suspend hooks: opteed's svc_suspend and svc_suspend_finish
 * (opteed_pm.c). TF-A's SPMD registers none (services/std_svc/spmd/spmd_pm.c:
 * spmd_pm has svc_on_finish and svc_off only), so under FF-A a core power-down
 * and its resume never enter the SPMC.
 */
static bool spd_suspend_hooks(const struct mon *m) { return !m->spmc.ffa_entry; }

static void resume_gic(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	mon_gic_rdist_wake(mp, true);
	if (!spd_suspend_hooks(mp->m)) {
		suspend_return(mp, pe);
		return;
	}
	/* opteed svc_suspend_finish: cpu_resume_entry, expect RESUME_DONE. */
	mon_sync_entry(mp, mp->m->tv.cpu_resume_entry, suspend_return);
}

static void suspend_finish(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_exec_cost(pe, SIM_COST_PSCI_RESUME, "PSCI resume", resume_gic, mp);
}

static void retention_exit(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	pe_exec_cost(pe, SIM_COST_PSCI_RESUME, "PSCI resume", suspend_return, mp);
}

/* ---- the calls -------------------------------------------------------------- */

static bool supported(uint32_t fid)
{
	static const uint32_t ids[] = { PSCI_VERSION,	    PSCI_CPU_SUSPEND,	PSCI_CPU_SUSPEND64,
					PSCI_CPU_OFF,	    PSCI_CPU_ON,	PSCI_CPU_ON64,
					PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO64, PSCI_MIGRATE_INFO_TYPE,
					PSCI_SYSTEM_OFF,    PSCI_FEATURES };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == fid)
			return true;
	return false;
}

static void psci_handle(void *ctx, struct pe *pe)
{
	struct mon_pe *mp = ctx;
	struct mon *m = mp->m;
	uint32_t fid = (uint32_t)mp->psci_fid;
	uint64_t x1 = pe_regs(pe)[1];

	switch (fid) {
	case PSCI_VERSION:
		mon_smc_done(mp, PSCI_VERSION_1_1);
		return;
	case PSCI_FEATURES:
		mon_smc_done(mp, supported((uint32_t)x1) ? 0 : (uint64_t)(int64_t)PSCI_E_NOT_SUPPORTED);
		return;
	case PSCI_MIGRATE_INFO_TYPE:
		mon_smc_done(mp, 2); /* Trusted OS not present or needs no migration */
		return;
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO64: {
		int t = pe_by_mpidr(m, x1);
		mon_smc_done(mp, t < 0 || pe_regs(pe)[2] != 0 ? (uint64_t)(int64_t)PSCI_E_INVALID_PARAMS
						     : (uint64_t)m->pes[t].psci_state);
		return;
	}
	case PSCI_CPU_ON:
	case PSCI_CPU_ON64: {
		int t = pe_by_mpidr(m, x1);
		int64_t rc = PSCI_E_SUCCESS;
		if (t < 0)
			rc = PSCI_E_INVALID_PARAMS;
		else if (m->pes[t].psci_state == PSCI_AFF_ON)
			rc = PSCI_E_ALREADY_ON;
		else if (m->pes[t].psci_state == PSCI_AFF_ON_PENDING)
			rc = PSCI_E_ON_PENDING;
		trace_psci(mp, fid, t < 0 ? x1 : (uint64_t)t, rc);
		if (rc == PSCI_E_SUCCESS) {
			m->pes[t].psci_state = PSCI_AFF_ON_PENDING;
			mon_power_up(&m->pes[t], on_finish);
		}
		mon_smc_done(mp, (uint64_t)rc);
		return;
	}
	case PSCI_CPU_OFF: {
		unsigned on = 0;
		for (unsigned i = 0; i < m->n; i++)
			on += m->pes[i].psci_state == PSCI_AFF_ON;
		if (on <= 1) { /* the last CPU cannot go off */
			trace_psci(mp, fid, mp->id, PSCI_E_DENIED);
			mon_smc_done(mp, (uint64_t)(int64_t)PSCI_E_DENIED);
			return;
		}
		/* opteed svc_off: cpu_off_entry, expect OFF_DONE; then the platform powers down. */
		mon_sync_entry(mp, m->tv.cpu_off_entry, off_tee_done);
		return;
	}
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND64: {
		uint32_t ps = (uint32_t)x1;
		if ((ps & ~PSCI_PSTATE_VALID_MASK) || PSCI_PSTATE_PWRLVL(ps) > 1) {
			trace_psci(mp, fid, mp->id, PSCI_E_INVALID_PARAMS);
			mon_smc_done(mp, (uint64_t)(int64_t)PSCI_E_INVALID_PARAMS);
			return;
		}
		trace_psci(mp, fid, mp->id, ps);
		mp->powerdown = (ps & PSCI_PSTATE_TYPE_POWERDOWN) != 0;
		/*
		 * TF-A psci_cpu_suspend (psci_main.c): only a core-level standby
		 * takes the cpu_standby fast path; every other state goes through
		 * psci_cpu_suspend_start (psci_suspend.c), which, once it holds
		 * the power-domain locks, reads ISR_EL1 (pending IRQ/FIQ whatever
		 * PSTATE's masks) and, if an interrupt is pending, releases the
		 * locks and returns PSCI_E_SUCCESS: no state coordination, no
		 * svc_suspend hook (OP-TEE), no GIC CPU-interface disable, no
		 * power-down. Linux's cpu_suspend (arch/arm64/kernel/suspend.c)
		 * takes a finisher's 0 as -EOPNOTSUPP: the CPU stays on and takes
		 * the interrupt when it unmasks.
		 */
		if ((mp->powerdown || PSCI_PSTATE_PWRLVL(ps) > 0) && pe_interrupt_pending(pe)) {
			pe_event(pe, "PSCI CPU_SUSPEND: interrupt pending (ISR_EL1), not entered", ps, 0);
			trace_psci(mp, fid, mp->id, PSCI_E_SUCCESS);
			mon_smc_done(mp, PSCI_E_SUCCESS);
			return;
		}
		if (mp->powerdown && !spd_suspend_hooks(m)) {
			suspend_tee_done(mp, pe); /* the SPMD: no svc_suspend */
		} else if (mp->powerdown) {
			/* opteed svc_suspend: cpu_suspend_entry, expect SUSPEND_DONE. */
			pe_set_reg(pe, 1, PSCI_PSTATE_PWRLVL(ps));
			mon_sync_entry(mp, m->tv.cpu_suspend_entry, suspend_tee_done);
		} else {
			pe_exec_cost(pe, SIM_COST_PSCI_SUSPEND, "PSCI standby", suspend_powered, mp);
		}
		return;
	}
	case PSCI_SYSTEM_OFF:
		trace_psci(mp, fid, 0, 0);
		sim_stop(m->sim->k);
		pe_power_off(pe, PE_OFF);
		return;
	default:
		trace_psci(mp, fid, 0, PSCI_E_NOT_SUPPORTED);
		mon_smc_done(mp, (uint64_t)(int64_t)PSCI_E_NOT_SUPPORTED);
		return;
	}
}

void mon_psci_call(struct mon_pe *mp, uint32_t fid)
{
	mp->psci_fid = fid;
	pe_exec_cost(mp->pe, SIM_COST_EL3_PSCI, "PSCI", psci_handle, mp);
}
