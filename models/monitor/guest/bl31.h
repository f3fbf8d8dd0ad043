/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/monitor/guest/bl31.h: tzsim's EL3 firmware image ("BL31"), written
 * after TF-A's BL31 with the OP-TEE dispatcher (opteed): exception vectors,
 * the CPU context of each world, SMCCC dispatch by OEN, the world switch,
 * the secure-interrupt hand-off (FIQ) and PSCI CPU_ON/CPU_OFF.
 *
 * Shared by the image's C and assembly and by the host (the engine's tests
 * and, in phase 2, the monitor model): the context layout, the per-CPU data
 * and the configuration block the host fills before the first boot
 * (symbol "bl31_cfg"). No TF-A code is copied; each routine names the TF-A
 * function it follows.
 */
#ifndef MODELS_MONITOR_GUEST_BL31_H
#define MODELS_MONITOR_GUEST_BL31_H

#include "models/cpu/isa_abi.h"

/*
 * cpu_context (TF-A include/lib/el3_runtime/context.h): general-purpose
 * registers, EL3 state, EL1 system registers. Offsets in bytes.
 */
#define CTX_GPREGS 0x000            /* x0..x30 at 8 * n */
#define CTX_X30 (CTX_GPREGS + 0xf0)
#define CTX_SP_EL0 (CTX_GPREGS + 0xf8)
#define CTX_EL3STATE 0x100
#define CTX_SCR_EL3 (CTX_EL3STATE + 0x00)
#define CTX_RUNTIME_SP (CTX_EL3STATE + 0x08)
#define CTX_SPSR_EL3 (CTX_EL3STATE + 0x10)
#define CTX_ELR_EL3 (CTX_EL3STATE + 0x18)
#define CTX_ESR_EL3 (CTX_EL3STATE + 0x20)
#define CTX_EL1_SYSREGS 0x130
/* el1_sysregs_context_save/restore order (TF-A lib/el3_runtime/aarch64/context.S), 8 bytes each */
#define CTX_SPSR_EL1 (CTX_EL1_SYSREGS + 0x00)
#define CTX_ELR_EL1 (CTX_EL1_SYSREGS + 0x08)
#define CTX_SCTLR_EL1 (CTX_EL1_SYSREGS + 0x10)
#define CTX_TCR_EL1 (CTX_EL1_SYSREGS + 0x18)
#define CTX_CPACR_EL1 (CTX_EL1_SYSREGS + 0x20)
#define CTX_CSSELR_EL1 (CTX_EL1_SYSREGS + 0x28)
#define CTX_SP_EL1 (CTX_EL1_SYSREGS + 0x30)
#define CTX_ESR_EL1 (CTX_EL1_SYSREGS + 0x38)
#define CTX_TTBR0_EL1 (CTX_EL1_SYSREGS + 0x40)
#define CTX_TTBR1_EL1 (CTX_EL1_SYSREGS + 0x48)
#define CTX_MAIR_EL1 (CTX_EL1_SYSREGS + 0x50)
#define CTX_AMAIR_EL1 (CTX_EL1_SYSREGS + 0x58)
#define CTX_ACTLR_EL1 (CTX_EL1_SYSREGS + 0x60)
#define CTX_TPIDR_EL1 (CTX_EL1_SYSREGS + 0x68)
#define CTX_TPIDR_EL0 (CTX_EL1_SYSREGS + 0x70)
#define CTX_TPIDRRO_EL0 (CTX_EL1_SYSREGS + 0x78)
#define CTX_PAR_EL1 (CTX_EL1_SYSREGS + 0x80)
#define CTX_FAR_EL1 (CTX_EL1_SYSREGS + 0x88)
#define CTX_AFSR0_EL1 (CTX_EL1_SYSREGS + 0x90)
#define CTX_AFSR1_EL1 (CTX_EL1_SYSREGS + 0x98)
#define CTX_CONTEXTIDR_EL1 (CTX_EL1_SYSREGS + 0xa0)
#define CTX_VBAR_EL1 (CTX_EL1_SYSREGS + 0xa8)
#define CTX_CNTKCTL_EL1 (CTX_EL1_SYSREGS + 0xb0)
#define CTX_MDSCR_EL1 (CTX_EL1_SYSREGS + 0xb8)
#define CTX_EL1_COUNT 24
#define CTX_SIZE 0x200

/* Security states (TF-A SECURE / NON_SECURE): the index of a CPU's two contexts. */
#define BL31_SECURE 0
#define BL31_NON_SECURE 1

/* The EL3 runtime stack of each CPU (SP_EL0 while EL3 C code runs), within struct bl31_cpu. */
#define BL31_STACK_SIZE 0x600
#define BL31_STACK_OFFSET 0x420
#define BL31_CPU_SIZE (BL31_STACK_OFFSET + BL31_STACK_SIZE)

/* SCR_EL3 of each world: both AArch64 with HVC enabled (the model call); the normal world's
 * secure interrupts (FIQ) are routed to EL3 (opteed's routing model, docs/protocol.md §5.2). */
#define BL31_SCR_SECURE (ISA_SCR_RW | ISA_SCR_HCE | ISA_SCR_RES1)
#define BL31_SCR_NON_SECURE (ISA_SCR_RW | ISA_SCR_HCE | ISA_SCR_RES1 | ISA_SCR_FIQ | ISA_SCR_NS)
/* SPSR of an entry into a lower EL1 with every exception masked (SPSR_64(MODE_EL1, SP_ELX, DAIF)). */
#define BL31_SPSR_EL1H_MASKED (ISA_SPSR_EL1H | ISA_SPSR_DAIF)

#ifndef __ASSEMBLER__
#include <stdint.h>

#define BL31_MAX_SIRQ 16

/* A secure interrupt of the platform (TF-A interrupt_prop_t, plat_qemu G1S props). */
struct bl31_sirq {
	uint32_t intid;
	uint8_t prio;
	uint8_t level;           /* 1: level-sensitive, 0: edge */
	uint16_t pe;             /* routed to this PE (GICD_IROUTER) */
};

/* The host fills this block (symbol "bl31_cfg") before the first PE boots. */
struct bl31_cfg {
	uint64_t bl32_entry;     /* OP-TEE's cold-boot entry */
	uint64_t bl33_entry;     /* the normal world's entry on the primary CPU */
	uint64_t gicd_base;
	uint64_t gicr_base;      /* PE n's RD_base at gicr_base + n * 0x20000 */
	uint32_t ncpus;
	uint32_t num_spis;       /* implemented SPIs (GICD_TYPER) */
	uint32_t flags;          /* BL31_CFG_* */
	uint32_t n_sirq;
	struct bl31_sirq sirq[BL31_MAX_SIRQ];
};
/* Cold boot programs the Distributor (gicv3_distif_init); without it the host already did. */
#define BL31_CFG_GIC_DIST_INIT (1u << 0)

struct cpu_context {
	uint64_t gpregs[32];     /* x0..x30, SP_EL0 */
	uint64_t scr_el3, runtime_sp, spsr_el3, elr_el3, esr_el3, pad;
	uint64_t el1[CTX_EL1_COUNT];
	uint64_t reserved[(CTX_SIZE - CTX_EL1_SYSREGS) / 8 - CTX_EL1_COUNT];
};

/* opteed_context_t (TF-A services/spd/opteed/opteed_private.h) */
struct optee_context {
	uint64_t c_rt_ctx;       /* the EL3 stack pointer of a synchronous entry (opteed_enter_sp) */
	uint32_t state;          /* OPTEE_PSTATE_* */
	uint32_t pad;
};
#define OPTEE_PSTATE_OFF 0
#define OPTEE_PSTATE_ON 1
#define OPTEE_PSTATE_SUSPEND 2

/* psci aff_info_state (TF-A lib/psci/psci_private.h) */
#define PSCI_AFF_STATE_ON 0
#define PSCI_AFF_STATE_OFF 1
#define PSCI_AFF_STATE_ON_PENDING 2

/* One CPU's EL3 data (TF-A cpu_data_t plus the per-CPU arrays of psci and opteed). */
struct bl31_cpu {
	struct cpu_context ctx[2];
	struct optee_context optee;
	uint32_t aff_info_state;
	uint32_t pad;
	uint64_t stack[BL31_STACK_SIZE / 8] __attribute__((aligned(16)));
};
#endif

#endif
