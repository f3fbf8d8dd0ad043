/* SPDX-License-Identifier: BSD-3-Clause */
/* models/ree/guest/linux_private.h: what the Linux image's C files share (not the host). */
#ifndef MODELS_REE_GUEST_LINUX_PRIVATE_H
#define MODELS_REE_GUEST_LINUX_PRIVATE_H

#include "models/cpu/guest/guest.h"
#include "models/ree/guest/linux.h"

enum irqreturn { IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2 };

struct arm_smccc_res {
	uint64_t a0, a1, a2, a3;
};

extern struct linux_cfg linux_cfg;

/* entry.S */
void __arm_smccc_smc(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6,
		     uint64_t a7, struct arm_smccc_res *res, void *quirk);

/* irq.c */
void gic_dist_init(void);
void gic_cpu_init(void);
/* gic_handle_irq's acknowledge, and the irq_chip's EOI (irq.c): steps of their own with ree: isa */
uint64_t gic_ack_irq(void);
void gic_irq_eoi(uint64_t irqnr);

/* optee.c */
enum irqreturn notif_irq_handler(unsigned intid);
enum irqreturn notif_pcpu_irq_handler(unsigned intid);

#endif
