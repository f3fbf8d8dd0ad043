/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/monitor/monitor.h: EL3 firmware in the shape of TF-A BL31.
 *
 *  - SMCCC dispatch: a table of (OEN range, call type) -> service, as
 *    DECLARE_RT_SVC builds it. Services: Arm architecture (OEN 0), the
 *    standard service (OEN 4: PSCI, and FF-A forwarded to the SPMD slot),
 *    and the OP-TEE dispatcher (OEN 50..63, fast and yielding). An unknown
 *    function ID returns SMC_UNK (0xFFFFFFFF); it is never fatal.
 *  - every SMC enters through one vector and C dispatch (el3.dispatch),
 *    from either world; every ERET out of EL3 costs exc_return.
 *  - opteed: world switches NS <-> S-EL1 at world_switch cost each way,
 *    entries through the registered OP-TEE vector table (protocol.md §6.4),
 *    returns through TEESMC_OPTEED_RETURN_*; secure interrupts arriving in
 *    the normal world (FIQ at EL3) enter fiq_entry and resume NS on FIQ_DONE
 *    with no NS-visible effect.
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

struct mon_config {
	uint64_t gicd_base, gicr_base;
	unsigned num_spis;
	struct mon_secure_irq sirq[MON_MAX_SECURE_IRQS];
	unsigned n_sirq;
};

struct mon;

struct mon *mon_new(struct sim *s, struct pe **pes, unsigned n, const struct mon_config *cfg);
void mon_free(struct mon *m);

/* OP-TEE's cold-boot entry (returns ENTRY_DONE) and its vector table. */
void mon_set_tee(struct mon *m, pe_fn cold_boot_entry, const struct tee_vectors *v);
/* The normal world's entry point (PSCI CPU_ON entry and the primary's boot). */
void mon_set_ns_entry(struct mon *m, pe_fn entry, void *ctx);
/* The FF-A SPMD/SPMC slot: called for FF-A function IDs from either world. */
void mon_set_ffa(struct mon *m, pe_fn handler, void *ctx);

/*
 * A service's hook run on a PE just before the monitor returns to the
 * normal world from the secure world (after the world switch, still at
 * EL3): the EL3 SPMC raises a delayed Schedule Receiver Interrupt there.
 */
void mon_set_ns_exit_hook(struct mon *m, pe_fn fn, void *ctx);

/* Cold boot: power PE @pe on, initialise the GIC, boot OP-TEE, ERET to the NS entry. */
void mon_cold_boot(struct mon *m, unsigned pe);

/* Power controller: whether a GIC WakeRequest may wake PE @pe (default true). */
void mon_set_wake_on_irq(struct mon *m, unsigned pe, bool allow);
/* A platform wake source other than the GIC (e.g. the suspend timer) for PE @pe. */
void mon_wake(struct mon *m, unsigned pe);
/* GIC WakeRequest wire sink (ctx = struct mon *, idx = PE). */
void mon_wake_input(void *mon, unsigned idx, int level);

/* PSCI view of a PE: PSCI_AFF_ON / OFF / ON_PENDING. */
int mon_psci_state(const struct mon *m, unsigned pe);

/*
 * For the SPMD slot and tests: world-switch helpers the services use.
 * mon_enter_secure: charge el3.dispatch + world_switch + the ERET
 * (exc_return), enter S-EL1 with all interrupts masked, and call @entry.
 * mon_return_ns: charge the switch back and return to the NS SMC caller
 * with @res in x0..x3 (the ERET is pe_smc_return's). A secure caller's
 * SMC is charged el3.dispatch when the monitor takes it.
 */
void mon_enter_secure(struct mon *m, struct pe *pe, pe_fn entry, void *ctx);
void mon_return_ns(struct mon *m, struct pe *pe, const uint64_t res[4]);
/* As mon_return_ns with x0..x7 (FF-A). */
void mon_return_ns8(struct mon *m, struct pe *pe, const uint64_t res[8]);
/* A secure interrupt handled: charge the switch back and ERET to the interrupted NS context. */
void mon_resume_ns(struct mon *m, struct pe *pe);

#ifdef __cplusplus
}
#endif
#endif
