/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/monitor/monitor.h: EL3 firmware in the shape of TF-A BL31.
 *
 *  - SMCCC dispatch: a table of (OEN range, call type) -> service, as
 *    DECLARE_RT_SVC builds it. Services: Arm architecture (OEN 0), the
 *    standard service (OEN 4: PSCI, and FF-A to the SPMD, mon_spmd.c),
 *    and the OP-TEE dispatcher (OEN 50..63, fast and yielding). An unknown
 *    function ID returns SMC_UNK (0xFFFFFFFF); it is never fatal.
 *  - every SMC enters through one vector and C dispatch (el3.dispatch),
 *    from either world; every ERET out of EL3 costs exc_return.
 *  - opteed: world switches NS <-> S-EL1 at world_switch cost each way,
 *    entries through the registered OP-TEE vector table (docs/protocol.md §6.4),
 *    returns through TEESMC_OPTEED_RETURN_*; secure interrupts arriving in
 *    the normal world (FIQ at EL3) enter fiq_entry and resume NS on FIQ_DONE
 *    with no NS-visible effect.
 *  - the SPMD (FF-A, mon_spmd.c, with an SPMC registered): normal-world
 *    FF-A calls forwarded to the SPMC at S-EL1 (world_switch) or S-EL2
 *    (spmd.el2_switch), its answers forwarded back, secure interrupts in
 *    the normal world handed over as FFA_INTERRUPT. PSCI_CPU_SUSPEND with
 *    an interrupt already pending returns at once (psci_cpu_suspend_start).
 *  - PSCI: VERSION, FEATURES, CPU_ON, CPU_OFF, CPU_SUSPEND, AFFINITY_INFO,
 *    MIGRATE_INFO_TYPE, SYSTEM_OFF, with the opteed PM hooks, and the GIC
 *    CPU-interface power-down (IGRPEN off, GICR_WAKER.ProcessorSleep) the
 *    way TF-A's gicv3_cpuif_disable / gicv3_rdistif_mark_core_* do it.
 *  - a power controller: powers PEs up after power.up when PSCI or a GIC
 *    WakeRequest asks.
 *
 * The monitor reaches the GIC only through its PEs' MMIO and system
 * register ports, and the TEE and REE only through PE entry points.
 */
#ifndef MODELS_MONITOR_MONITOR_H
#define MODELS_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "models/cpu/pe.h"
#include "sim/kernel/smc_name.h"
#include "smccc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* optee_vectors_t, in TF-A's order (opteed_private.h). Each runs at S-EL1. */
struct tee_vectors {
	pe_fn yield_smc_entry;
	pe_fn fast_smc_entry;
	pe_fn cpu_on_entry;
	pe_fn cpu_off_entry;
	pe_fn cpu_resume_entry;
	pe_fn cpu_suspend_entry;
	pe_fn fiq_entry;
	pe_fn system_off_entry;
	pe_fn system_reset_entry;
	void *ctx;
};

/* A secure interrupt the platform declares to TF-A (plat interrupt props). */
struct mon_secure_irq {
	unsigned intid;
	bool level;
	unsigned pe;  /* GICD_IROUTER target */
	uint8_t prio;
};

#define MON_MAX_SECURE_IRQS 64

struct isa_rt;
struct mon_config {
	uint64_t gicd_base, gicr_base;
	unsigned num_spis;
	struct mon_secure_irq sirq[MON_MAX_SECURE_IRQS];
	unsigned n_sirq;
	/*
	 * fidelity: isa (models/cpu/isa_rt.h): each opteed world switch runs
	 * BL31's cm_el1_sysregs_context_save and _restore as guest code at EL3
	 * and lasts their cycles instead of world_switch; NULL: abstract.
	 */
	struct isa_rt *isa;
	/*
	 * outputs.el3: legs: every leg of a pass through EL3 its own step and
	 * TR_ACTIVITY; false (pass): the OP-TEE dispatcher's usual passes are
	 * one step each (models/cpu/pe.h, struct pe_el3_pass). The same
	 * simulated times either way.
	 */
	bool el3_legs;
};

struct mon;

struct mon *mon_new(struct sim *s, struct pe **pes, unsigned n, const struct mon_config *cfg);
void mon_free(struct mon *m);

/* OP-TEE's cold-boot entry (returns ENTRY_DONE) and its vector table. */
void mon_set_tee(struct mon *m, pe_fn cold_boot_entry, const struct tee_vectors *v);
/* The normal world's entry point (PSCI CPU_ON entry and the primary's boot). */
void mon_set_ns_entry(struct mon *m, pe_fn entry, void *ctx);
/*
 * The SPM Core behind TF-A's SPM Dispatcher (services/std_svc/spmd). With
 * one registered, the monitor's FF-A function IDs (standard service,
 * 0x60..0xFF) go to the SPMD (mon_spmd.c), and so does a secure interrupt
 * taken while the normal world ran (spmd_secure_interrupt_handler), instead
 * of opteed's FIQ path.
 */
struct mon_spmc {
	unsigned el;      /* the SPMC's EL: 1 (OP-TEE's SPMC at S-EL1) or 2 (Hafnium at S-EL2) */
	pe_fn ffa_entry;  /* a normal-world FF-A call forwarded to the SPMC, x0..x7 as the caller set them */
	pe_fn intr_entry; /* FFA_INTERRUPT: a secure interrupt taken while the normal world ran */
	void *ctx;
};
void mon_set_spmc(struct mon *m, const struct mon_spmc *s);

/* Cold boot: power PE @pe on, initialise the GIC, boot OP-TEE, ERET to the NS entry. */
void mon_cold_boot(struct mon *m, unsigned pe);

/* Power controller: whether a GIC WakeRequest may wake PE @pe (default true), for the suspend just asked for. */
void mon_set_wake_on_irq(struct mon *m, unsigned pe, bool allow);
/*
 * A platform wake source other than the GIC (e.g. the suspend timer) for PE
 * @pe. Before the PE is suspended it is kept, and the suspend ends at once.
 */
void mon_wake(struct mon *m, unsigned pe);
/* GIC WakeRequest wire sink (ctx = struct mon *, idx = PE). */
void mon_wake_input(void *ctx, unsigned idx, int level);

/* PSCI view of a PE: PSCI_AFF_ON / OFF / ON_PENDING. */
int mon_psci_state(const struct mon *m, unsigned pe);

/* The names of PSCI's and the OP-TEE dispatcher's function IDs (registered by sim/smc_names.c). */
extern const struct sim_smc_names mon_smc_names;

#ifdef __cplusplus
}
#endif
#endif
