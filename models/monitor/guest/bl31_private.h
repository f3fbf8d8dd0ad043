/* SPDX-License-Identifier: BSD-3-Clause */
/* models/monitor/guest/bl31_private.h: what BL31's C files share (not the host). */
#ifndef MODELS_MONITOR_GUEST_BL31_PRIVATE_H
#define MODELS_MONITOR_GUEST_BL31_PRIVATE_H

#include "models/cpu/guest/guest.h"
#include "models/monitor/guest/bl31.h"

/*
 * SMCCC, PSCI and opteed's return IDs: the host's own header (plain
 * defines and <stdint.h>, freestanding-safe), so BL31's code and the
 * monitor model read the same numbers. TF-A's names for the few the host
 * spells differently:
 */
#include "models/monitor/smccc.h"

#define GET_SMC_TYPE(fid) (((fid) >> 31) & 1) /* TF-A smccc.h: bit 31, the call type */
#define GET_SMC_OEN(fid) SMCCC_OEN(fid)
#define PSCI_CPU_ON_AARCH32 PSCI_CPU_ON
#define PSCI_CPU_ON_AARCH64 PSCI_CPU_ON64
#define PSCI_AFFINITY_INFO_AARCH32 PSCI_AFFINITY_INFO
#define PSCI_AFFINITY_INFO_AARCH64 PSCI_AFFINITY_INFO64
#define PSCI_MIG_INFO_TYPE PSCI_MIGRATE_INFO_TYPE
#define PSCI_TOS_NOT_PRESENT_MP 2

/* FF-A function IDs the firmware hands to the SPMC (FF-A v1.1 §13): the standard service's 0x60..0xFF */
#define FFA_FID_FIRST (0x84000000u | FFA_FUNC_FIRST)
#define FFA_FID_LAST (0x84000000u | FFA_FUNC_LAST)

/* optee_vectors_t (TF-A services/spd/opteed/opteed_private.h): one branch each */
enum optee_vector {
	OPTEE_VEC_YIELD_SMC = 0,
	OPTEE_VEC_FAST_SMC,
	OPTEE_VEC_CPU_ON,
	OPTEE_VEC_CPU_OFF,
	OPTEE_VEC_CPU_RESUME,
	OPTEE_VEC_CPU_SUSPEND,
	OPTEE_VEC_FIQ,
	OPTEE_VEC_SYSTEM_OFF,
	OPTEE_VEC_SYSTEM_RESET,
};

/* TF-A interrupt types (include/bl31/interrupt_mgmt.h) */
#define INTR_TYPE_S_EL1 0
#define INTR_TYPE_EL3 1
#define INTR_TYPE_NS 2
#define INTR_TYPE_INVAL 3
#define INTR_ID_UNAVAILABLE 0xFFFFFFFFu

/* The runtime service handler (TF-A rt_svc_handle_t). */
typedef void (*rt_svc_handle_t)(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
				void *cookie, struct cpu_context *handle, uint64_t flags);
#define is_caller_non_secure(flags) (((flags)&1) != 0)

extern struct bl31_cfg bl31_cfg;
extern struct bl31_cpu bl31_cpus[ISA_MAX_CPUS];

/* bl31_entry.S */
struct bl31_cpu *plat_my_cpu_data(void);
void cm_set_next_eret_context_ptr(struct cpu_context *ctx);
struct cpu_context *cm_get_next_eret_context_ptr(void);
void el1_sysregs_context_save(uint64_t *el1);
void el1_sysregs_context_restore(const uint64_t *el1);
uint64_t opteed_enter_sp(uint64_t *c_rt_ctx);
/* ISA_MC_FFA with x0..x7 = regs[0..7], the results back into regs[0..7] */
void ffa_model_call(uint64_t regs[8]);
void opteed_exit_sp(uint64_t c_rt_ctx, uint64_t ret) __attribute__((noreturn));

/* context_mgmt (bl31_main.c) */
struct cpu_context *cm_get_context(unsigned security_state);
void cm_init_context(struct cpu_context *ctx, unsigned security_state, uint64_t entry, uint64_t arg0);
void cm_el1_sysregs_context_save(unsigned security_state);
void cm_el1_sysregs_context_restore(unsigned security_state);
void cm_set_next_eret_context(unsigned security_state);
void cm_set_elr_el3(unsigned security_state, uint64_t entry);
void cm_set_elr_spsr_el3(unsigned security_state, uint64_t entry, uint64_t spsr);

static inline void smc_ret(struct cpu_context *ctx, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	ctx->gpregs[0] = a0;
	ctx->gpregs[1] = a1;
	ctx->gpregs[2] = a2;
	ctx->gpregs[3] = a3;
}
#define SMC_RET1(h, a0) ((h)->gpregs[0] = (a0))

/* opteed.c */
void opteed_setup(void);
void opteed_el1_context_switch(unsigned from, unsigned to);
void opteed_el1_context_restore(unsigned to);
uint64_t opteed_init(void);
void opteed_smc_handler(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, void *cookie,
			struct cpu_context *handle, uint64_t flags);
void opteed_sel1_interrupt_handler(uint32_t id, uint64_t flags, struct cpu_context *handle, void *cookie);
int opteed_cpu_on_finish_handler(void);
int opteed_cpu_off_handler(void);
bool opteed_sel1_interrupts_registered(void);

/* psci.c */
void std_svc_smc_handler(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, void *cookie,
			 struct cpu_context *handle, uint64_t flags);
void psci_setup(unsigned primary);
void psci_warmboot_entrypoint(void);

/* gicv3.c */
void gicv3_distif_init(void);
void gicv3_rdistif_init(unsigned pos);
void gicv3_cpuif_enable(unsigned pos);
void gicv3_cpuif_disable(unsigned pos);
unsigned plat_ic_get_pending_interrupt_type(void);

#endif
