/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/costs.h: the cost model. Every cost a model charges has a name here,
 * a default per preset (docs/calibration.md §2; E = estimate, D =
 * derived, M = measured) and may be overridden per scenario with any
 * distribution (platform.cost_overrides).
 *
 * Costs in cycles scale with the PE clock; costs in time do not (GIC,
 * interconnect, firmware power sequencing).
 */
#ifndef SIM_COSTS_H
#define SIM_COSTS_H

#include "sim/kernel/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/*      id                 name                    A53@1.2GHz           A72@2.0GHz   */
#define SIM_COST_TABLE(X)                                                              \
	X(EXC_ENTRY,        "exc_entry",          C(75),               C(50))           \
	X(EXC_RETURN,       "exc_return",         C(75),               C(50))           \
	X(EL3_PSCI,         "el3.psci",           C(550),              C(500))          \
	X(EL3_DISPATCH,     "el3.dispatch",       C(200),              C(150))          \
	X(WORLD_SWITCH,     "world_switch",       C(1000),             C(700))          \
	/* E: opteed's FIQ_DONE: the NS EL1 registers restored, the secure ones not saved */ \
	X(WORLD_RESTORE,    "world_restore",      C(500),              C(350))          \
	/* E, floored by the instructions the real stack executes (docs/calibration.md §3) */ \
	X(TEE_FAST,         "tee.fast",           C(600),              C(450))          \
	X(TEE_STD_ENTRY,    "tee.std_entry",      C(3500),             C(2000))         \
	X(TEE_THREAD_ALLOC, "tee.thread_alloc",   C(200),              C(150))          \
	X(TEE_RPC_EXIT,     "tee.rpc_exit",       C(500),              C(350))          \
	X(TEE_RPC_RESUME,   "tee.rpc_resume",     C(500),              C(350))          \
	X(TEE_ITR,          "tee.itr",            C(850),              C(600))          \
	X(TEE_NOTIF_SEND,   "tee.notif_send",     C(100),              C(80))           \
	X(TEE_PM_HOOK,      "tee.pm_hook",        C(500),              C(400))          \
	X(TEE_TA_INVOKE,    "tee.ta_invoke",      C(2000),             C(1500))         \
	/* E: the DO_BOTTOM_HALF exit after the last driver callback (see tee_notif.c) */ \
	X(TEE_BH_EXIT,      "tee.bh_exit",        C(1200),             C(900))          \
	X(SPMC_HANDLER,     "spmc.handler",       C(500),              C(400))          \
	/* E: TF-A spmd_smc_switch_state with SPMD_SPM_AT_SEL2, per direction:        */ \
	/*    cm_el2_sysregs_context_save/restore(+_gic) instead of the EL1 set       */ \
	X(SPMD_EL2_SWITCH,  "spmd.el2_switch",    C(1200),             C(850))          \
	/* E: Hafnium vcpu_switch between two vCPUs (GP + EL1 sysregs, VTTBR)         */ \
	X(HF_VCPU_SWITCH,   "hf.vcpu_switch",     C(900),              C(650))          \
	/* E: Hafnium's physical interrupt for a partition (IAR, target, inject)      */ \
	X(HF_IRQ,           "hf.irq",             C(600),              C(450))          \
	X(GIC_IAR,          "gic.iar",            C(40),               C(40))           \
	X(GIC_EOI,          "gic.eoi",            C(20),               C(20))           \
	X(GIC_DIR,          "gic.dir",            C(20),               C(20))           \
	X(GIC_MMIO,         "gic.mmio",           C(50),               C(50))           \
	X(GIC_SYSREG,       "gic.sysreg",         C(20),               C(20))           \
	X(GIC_PEND_TO_WIRE, "gic.pend_to_wire",   T(100 * SIM_NS),     T(80 * SIM_NS))  \
	X(GIC_ACK_REARB,    "gic.ack_rearb",      T(15 * SIM_NS),      T(15 * SIM_NS))  \
	X(GIC_SGI_DELAY,    "gic.sgi_delay",      T(400 * SIM_NS),     T(220 * SIM_NS)) \
	X(REE_IRQ_ENTRY,    "ree.irq_entry",      C(950),              C(650))          \
	X(REE_IRQ_EXIT,     "ree.irq_exit",       C(400),              C(250))          \
	X(REE_WAKEUP,       "ree.wakeup",         LN(6900, 19200),     LN(5000, 14000)) \
	X(REE_WAKEUP_REMOTE,"ree.wakeup_remote",  LN(13700, 38000),    LN(9000, 25000)) \
	X(REE_CALL_PREP,    "ree.call_prep",      C(1150),             C(850))          \
	X(REE_RPC_HANDLE,   "ree.rpc_handle",     C(1000),             C(700))          \
	X(REE_NOTIF_VALUE,  "ree.notif_value",    C(100),              C(80))           \
	X(REE_WORK_QUEUE,   "ree.queue_work",     C(300),              C(200))          \
	X(REE_HOTPLUG,      "ree.hotplug",        T(1 * SIM_MS),       T(1 * SIM_MS))   \
	/* E: smpboot_park_threads and sched_cpu_wait_empty, between the workqueue unbind */ \
	/*    and the control CPU's stop_machine (docs/protocol.md §6.1)                   */ \
	X(REE_HOTPLUG_PARK, "ree.hotplug_park",   T(50 * SIM_US),      T(50 * SIM_US))  \
	/* E: take_cpu_down in stop_machine's MULTI_STOP_RUN: __cpu_disable and the       */ \
	/*    CPUHP_*_DYING callbacks, every online CPU spinning with IRQs off (§6.1)      */ \
	X(REE_TAKE_CPU_DOWN,"ree.take_cpu_down",  T(20 * SIM_US),      T(20 * SIM_US))  \
	X(PSCI_CPU_ON,      "psci.cpu_on",        T(25 * SIM_US),      T(22 * SIM_US))  \
	X(PSCI_CPU_OFF,     "psci.cpu_off",       T(100 * SIM_US),     T(100 * SIM_US)) \
	X(PSCI_SUSPEND,     "psci.suspend",       T(20 * SIM_US),      T(17 * SIM_US))  \
	X(PSCI_RESUME,      "psci.resume",        T(15 * SIM_US),      T(14 * SIM_US))  \
	X(POWER_UP,         "power.up",           T(250 * SIM_US),     T(250 * SIM_US)) \
	/* 0: inside tee.itr (abstract); what OP-TEE's acknowledge and EOI execute with tee: isa */ \
	X(TEE_ITR_ACK,      "tee.itr_ack",        C(0),                C(0))            \
	X(TEE_ITR_EOI,      "tee.itr_eoi",        C(0),                C(0))            \
	/* 0: inside ree.notif_value (abstract); the part of Linux's drain loop (irq_handler) paid   */ \
	/*    once per notification interrupt, whatever the values it fetches (ree: isa, calibrate)  */ \
	X(REE_NOTIF_IRQ,    "ree.notif_irq",      C(0),                C(0))

enum sim_cost_id {
#define X(id, name, a53, a72) SIM_COST_##id,
	SIM_COST_TABLE(X)
#undef X
	SIM_COST_COUNT
};

enum sim_preset { SIM_PRESET_A53 = 0, SIM_PRESET_A72 = 1, SIM_PRESET_COUNT };

/* A full cost table: one cost per id, and the PE clock it was built for. */
struct sim_costs {
	struct sim_cost c[SIM_COST_COUNT];
	struct sim_clock clock;
	enum sim_preset preset;
};

/* The preset's name ("cortex-a53", "cortex-a72") and its clock. */
const char *sim_preset_name(enum sim_preset p);
/* Preset by name, accepting "cortex-a53", "cortex-a53@1.2GHz" style; -1 if unknown. */
int sim_preset_lookup(const char *name);
void sim_costs_preset(struct sim_costs *t, enum sim_preset p);

const char *sim_cost_name(enum sim_cost_id id);
/* Cost id by name, or -1. */
int sim_cost_lookup(const char *name);

#ifdef __cplusplus
}
#endif
#endif
