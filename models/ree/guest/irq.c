// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/guest/irq.c: Linux's GICv3 driver and the generic IRQ layer
 * for the one interrupt this image handles itself (OP-TEE's
 * notification); any other INTID's handler stays abstract
 * (ISA_MC_REE_IRQ). The boot of each CPU ends here too.
 *
 * Follows Linux 6.12 (no code copied; unchanged from 6.1 on this path):
 * drivers/irqchip/irq-gic-v3.c (gic_handle_irq -> __gic_handle_irq_from_irqson,
 * l. 904: one acknowledge per entry; gic_complete_ack, l. 846: EOIR right
 * after IAR with EOImode 1;
 * gic_eoi_irq / gic_eoimode1_eoi_irq: EOIR or DIR at irq_eoi;
 * gic_dist_init, gic_cpu_init, gic_cpu_sys_reg_init), kernel/irq/chip.c
 * (handle_fasteoi_irq, handle_percpu_devid_irq), kernel/irq/handle.c
 * (__irq_wake_thread), arch/arm64/kernel/entry-common.c (el1_interrupt).
 * The register values are the abstract model's (models/ree/ree_irq.c).
 */
#include "models/ree/guest/linux_private.h"

#define GICD_CTLR 0x0000
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00
#define GICD_IROUTER 0x6000
#define GICR_STRIDE 0x20000
#define GICR_SGI_OFFSET 0x10000
#define GICR_WAKER 0x0014
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR1 0x0C04
#define GICD_INT_DEF_PRI 0xa0
#define DEFAULT_PMR_VALUE 0xf0
#define ICC_CTLR_EL1_EOIMODE (1u << 1)

/* Filled by the host before the first boot: in .data, never zeroed by the image. */
struct linux_cfg linux_cfg __attribute__((section(".data.cfg")));
uint8_t linux_cpu_stacks[ISA_MAX_CPUS][LINUX_CPU_STACK] __attribute__((aligned(16)));

static void gicd_w(unsigned off, uint32_t v) { mmio_write32(linux_cfg.gicd_base + off, v); }

/* gic_dist_init, as seen from the Non-secure side (GICD_CTLR: ARE_NS | EnableGrp1A). */
void gic_dist_init(void)
{
	unsigned nspi = linux_cfg.num_spis;
	uint64_t me = read_sysreg(mpidr_el1);
	me &= 0xff00ffffffull;
	gicd_w(GICD_CTLR, 0);
	for (unsigned i = 32; i < 32 + nspi; i += 16)
		gicd_w(GICD_ICFGR + i / 4, 0);
	for (unsigned i = 32; i < 32 + nspi; i += 4)
		gicd_w(GICD_IPRIORITYR + i, 0x01010101u * GICD_INT_DEF_PRI);
	for (unsigned i = 32; i < 32 + nspi; i += 32)
		gicd_w(GICD_ICENABLER + i / 8, 0xffffffff);
	for (unsigned i = 32; i < 32 + nspi; i++)
		mmio_write64(linux_cfg.gicd_base + GICD_IROUTER + 8 * i, me);
	gicd_w(GICD_CTLR, (1u << 4) | (1u << 1));
}

/* gic_cpu_init + gic_cpu_sys_reg_init on this CPU. */
void gic_cpu_init(void)
{
	uint64_t rd = linux_cfg.gicr_base + (uint64_t)plat_my_core_pos() * GICR_STRIDE;
	mmio_write32(rd + GICR_WAKER, 0); /* gic_enable_redist: RAZ/WI from Non-secure when DS == 0 */
	mmio_write32(rd + GICR_SGI_OFFSET + GICR_ICENABLER0, 0xffff0000u);
	for (unsigned i = 0; i < 32; i += 4)
		mmio_write32(rd + GICR_SGI_OFFSET + GICR_IPRIORITYR + i, 0x01010101u * GICD_INT_DEF_PRI);
	mmio_write32(rd + GICR_SGI_OFFSET + GICR_ISENABLER0, 0xff); /* IPIs 0-7 */
	write_sysreg(S3_0_C4_C6_0, DEFAULT_PMR_VALUE);                        /* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_3, 0);                                      /* ICC_BPR1_EL1 */
	write_sysreg(S3_0_C12_C12_4, linux_cfg.eoimode ? ICC_CTLR_EL1_EOIMODE : 0); /* ICC_CTLR_EL1 */
	write_sysreg(S3_0_C12_C12_7, 1);                                      /* ICC_IGRPEN1_EL1 */
	isb();
}

/*
 * The notification interrupt, as optee_probe's request leaves it: an SPI
 * gets its trigger (gic_set_type), this CPU in IROUTER (gic_set_affinity)
 * and its enable (irq_startup); a PPI or SGI is enabled in each CPU's
 * Redistributor as the CPU comes up (enable_percpu_irq from the cpuhp
 * callback of init_pcpu_irq).
 */
static void optee_notif_irq_enable(bool primary)
{
	unsigned id = linux_cfg.notif_intid;
	if (!id)
		return;
	if (linux_cfg.notif_percpu) {
		uint64_t sgi = linux_cfg.gicr_base + (uint64_t)plat_my_core_pos() * GICR_STRIDE + GICR_SGI_OFFSET;
		if (id >= 16) {
			uint32_t v = mmio_read32(sgi + GICR_ICFGR1) & ~(2u << (2 * (id - 16)));
			mmio_write32(sgi + GICR_ICFGR1, linux_cfg.notif_level ? v : v | (2u << (2 * (id - 16))));
		}
		mmio_write32(sgi + GICR_ISENABLER0, 1u << id);
		return;
	}
	if (!primary)
		return;
	uint32_t v = mmio_read32(linux_cfg.gicd_base + GICD_ICFGR + 4 * (id / 16)) & ~(2u << (2 * (id % 16)));
	gicd_w(GICD_ICFGR + 4 * (id / 16), linux_cfg.notif_level ? v : v | (2u << (2 * (id % 16))));
	mmio_write64(linux_cfg.gicd_base + GICD_IROUTER + 8 * id, read_sysreg(mpidr_el1) & 0xff00ffffffull);
	gicd_w(GICD_ISENABLER + 4 * (id / 32), 1u << (id % 32));
}

void start_kernel(void)
{
	if (linux_cfg.flags & LINUX_CFG_GIC_DIST_INIT)
		gic_dist_init();
	gic_cpu_init();
	optee_notif_irq_enable(true);
	(void)MODEL_CALL(ISA_MC_BOOTED, ISA_WORLD_REE, plat_my_core_pos(), 0, 0);
}

void secondary_start_kernel(void)
{
	gic_cpu_init();
	optee_notif_irq_enable(false);
	(void)MODEL_CALL(ISA_MC_BOOTED, ISA_WORLD_REE, plat_my_core_pos(), 0, 0);
}

/*
 * chip->irq_eoi: EOImode 0 drops and deactivates with EOIR1; EOImode 1 deactivates with DIR.
 * Also a step of its own in a run with ree: isa (models/ree/ree_irq.c, irq_eoi).
 */
void gic_irq_eoi(uint64_t irqnr)
{
	if (linux_cfg.eoimode)
		write_sysreg(S3_0_C12_C11_1, irqnr); /* ICC_DIR_EL1 */
	else
		write_sysreg(S3_0_C12_C12_1, irqnr); /* ICC_EOIR1_EL1 */
	isb();
}

/*
 * generic_handle_domain_irq for the notification: the SPI takes
 * handle_fasteoi_irq (a threaded handler: IRQ_WAKE_THREAD wakes the IRQ
 * thread), a PPI or SGI handle_percpu_devid_irq; both end with irq_eoi.
 * Any other INTID's handler is abstract.
 */
static void generic_handle_domain_irq(uint64_t irqnr)
{
	unsigned intid = (unsigned)irqnr;
	if (intid == linux_cfg.notif_intid) {
		if (linux_cfg.notif_percpu) {
			(void)notif_pcpu_irq_handler(intid);
		} else if (notif_irq_handler(intid) == IRQ_WAKE_THREAD) {
			/* __irq_wake_thread: IRQTF_RUNTHREAD, then the scheduler (abstract) */
			(void)MODEL_CALL(ISA_MC_REE_WAKE_THREAD, intid, 0, 0, 0);
		}
	} else {
		(void)MODEL_CALL(ISA_MC_REE_IRQ, intid, 0, 0, 0);
	}
	gic_irq_eoi(irqnr);
}

/*
 * gic_handle_irq's acknowledge (__gic_handle_irq_from_irqson up to gic_complete_ack): ICC_IAR1_EL1,
 * and with EOImode 1 the priority drop; the INTID, or a special one (>= 1020) for a spurious entry.
 * Also a step of its own in a run with ree: isa (models/ree/ree_irq.c, irq_acked).
 */
uint64_t gic_ack_irq(void)
{
	uint64_t irqnr = read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
	if (irqnr >= 1020)
		return irqnr;
	if (linux_cfg.eoimode)
		write_sysreg(S3_0_C12_C12_1, irqnr); /* gic_complete_ack: priority drop now */
	isb();
	return irqnr;
}

/* gic_handle_irq: one acknowledge; a special INTID (spurious) ends the entry at once. */
static void gic_handle_irq(void)
{
	uint64_t irqnr = gic_ack_irq();
	if (irqnr >= 1020)
		return;
	generic_handle_domain_irq(irqnr);
}

/* el1_interrupt -> handle_arch_irq (irq_enter/irq_exit bookkeeping stays abstract). */
void el1_interrupt(void *regs)
{
	(void)regs;
	gic_handle_irq();
}
