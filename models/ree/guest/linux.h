/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/ree/guest/linux.h: tzsim's NS-EL1 Linux image, written after
 * Linux 6.12, the models' version (arch/arm64/kernel/entry.S, drivers/irqchip/irq-gic-v3.c,
 * kernel/irq/chip.c, drivers/firmware/smccc, drivers/tee/optee/smc_abi.c
 * and call.c): the IRQ entry, gic_handle_irq with EOImode 0 and 1, the flow
 * handlers, the OP-TEE notification handler with its drain loop over
 * GET_ASYNC_NOTIF_VALUE, and the yielding-call loop of DO_BOTTOM_HALF. The
 * scheduler, wait queues and workqueues stay abstract (isa_abi.h model
 * calls). No Linux code is copied.
 *
 * Shared with the host: the configuration block the host fills before the
 * first boot (symbol "linux_cfg").
 */
#ifndef MODELS_REE_GUEST_LINUX_H
#define MODELS_REE_GUEST_LINUX_H

#include "models/cpu/isa_abi.h"

/* Each CPU's kernel stack for its idle loop and interrupts (the task stacks of guest code the
 * host calls are given by the caller). */
#define LINUX_CPU_STACK 0x1000
/* The OP-TEE shared memory pool: slots of one optee_msg_arg plus its RPC argument. */
#define LINUX_SHM_SLOTS 64
#define LINUX_SHM_SLOT 0x200

/* linux_cfg.flags */
#define LINUX_CFG_GIC_DIST_INIT (1u << 0) /* the primary programs the Distributor (gic_dist_init) */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct linux_cfg {
	uint64_t gicd_base;
	uint64_t gicr_base;
	uint32_t ncpus;
	uint32_t eoimode;        /* 1: EOImode 1 (booted at EL2: split EOI/deactivate), 0: EOImode 0 */
	uint32_t notif_intid;    /* the OP-TEE notification interrupt (DT, or the SGI discovery) */
	uint32_t notif_percpu;   /* 1: a PPI or SGI (percpu_devid flow, the work queue) */
	uint32_t notif_level;    /* the DT's trigger: 1 level-high, 0 edge-rising */
	uint32_t num_spis;
	uint32_t flags;          /* LINUX_CFG_* */
	uint32_t pad;
};
#endif

#endif
