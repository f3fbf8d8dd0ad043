/* SPDX-License-Identifier: BSD-3-Clause */
/* models/monitor/mon_internal.h: state shared by the monitor's files. */
#ifndef MODELS_MONITOR_MON_INTERNAL_H
#define MODELS_MONITOR_MON_INTERNAL_H

#include "monitor.h"

struct mon;

/* Per-PE monitor state (TF-A: the per-CPU opteed context and PSCI state). */
struct mon_pe {
	struct mon *m;
	struct pe *pe;
	unsigned id;
	int psci_state;          /* PSCI_AFF_* */
	pe_fn sync_cont;         /* continuation after a synchronous OP-TEE entry */
	uint64_t sync_x1;        /* x1 of the *_DONE that ended it */
	bool suspended;          /* in CPU_SUSPEND */
	/*
	 * mon_wake() came before the CPU went down (its suspend's timer fired while
	 * the request waited to run): the power-down ends at once, as TF-A's
	 * psci_cpu_suspend_start returns with an interrupt pending
	 */
	bool wake_latched;
	bool powerdown;          /* ... to a power-down state (context lost, WAKER asleep) */
	bool wake_on_irq;
	bool wake_level;         /* GIC WakeRequest */
	bool power_up_pending;
	struct sim_event power_ev;
	pe_fn power_entry;
	pe_fn pending_entry;     /* entry to call after a world switch into S-EL1 */
	void *pending_ctx;
	uint64_t ret[8];         /* results to hand back to the NS caller */
	bool spmd_intr;          /* SPMD: a secure interrupt handed to the SPMC is in progress */
	uint64_t psci_fid;
	pe_fn ws_fn;             /* fidelity: isa: where the world switch goes on */
	void *ws_ctx;
};

/*
 * The opteed world switch from security state @from to @to (0 secure, 1
 * non-secure, as BL31's SECURE/NON_SECURE): world_switch, or with
 * fidelity: isa BL31's EL1 context save and restore as guest code; then
 * @fn(@ctx).
 */
void mon_world_switch(struct mon_pe *mp, unsigned from, unsigned to, pe_fn fn, void *ctx);

/*
 * A runtime service (TF-A rt_svc_desc_t): the OENs it owns for one call
 * type, and its handler. @from_secure: the SMC came from S-EL1.
 */
struct mon_rt_svc {
	const char *name;
	uint8_t start_oen, end_oen;
	uint8_t call_type; /* SMC_TYPE_FAST or SMC_TYPE_YIELD */
	void (*handler)(struct mon_pe *mp, struct pe *pe, uint32_t fid, bool from_secure);
};

struct mon {
	struct sim *sim;
	const struct mon_rt_svc *svc[2][OEN_LIMIT]; /* by (call type, OEN); NULL: SMC_UNK */
	struct mon_config cfg;
	struct mon_pe *pes;
	unsigned n;
	pe_fn tee_boot;
	struct tee_vectors tv;
	bool tee_ready;
	pe_fn ns_entry;
	void *ns_ctx;
	struct mon_spmc spmc;    /* the SPMD's SPMC (ffa_entry NULL: none, FF-A calls are SMC_UNK) */
};

/* mon_main.c */
void mon_sync_entry(struct mon_pe *mp, pe_fn entry, pe_fn cont);
void mon_smc_done(struct mon_pe *mp, uint64_t x0);
void mon_gic_rdist_wake(struct mon_pe *mp, bool wake);
unsigned mon_gic_rdist_init_writes(struct mon_pe *mp);
void mon_eret_ns_entry(void *ctx, struct pe *pe);

/* mon_spmd.c */
void mon_spmd_smc(struct mon_pe *mp, struct pe *pe, uint32_t fid, bool from_secure);
void mon_spmd_fiq(struct mon_pe *mp, struct pe *pe);

/* mon_psci.c */
void mon_psci_call(struct mon_pe *mp, uint32_t fid);
void mon_power_up(struct mon_pe *mp, pe_fn entry);

#endif
