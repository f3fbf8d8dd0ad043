// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/monitor/guest/gicv3.c: BL31's GICv3 driver, what TF-A's
 * drivers/arm/gic/v3/gicv3_main.c does at boot and around power changes
 * (no code copied): gicv3_distif_init (every SPI Non-secure Group 1, the
 * platform's secure interrupts Secure Group 1, affinity routing on),
 * gicv3_rdistif_init (SGIs/PPIs: 8-15 secure), gicv3_cpuif_enable /
 * gicv3_cpuif_disable with gicv3_rdistif_mark_core_awake / _asleep, and
 * plat_ic_get_pending_interrupt_type (plat/common/plat_gicv3.c). The
 * register values are the ones the abstract monitor writes
 * (models/monitor/mon_main.c), so both leave the GIC in the same state.
 */
#include "models/monitor/guest/bl31_private.h"

#define GICD_CTLR 0x0000
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00
#define GICD_IGRPMODR 0x0D00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_ENABLE_ALL 0x37 /* ARE_S | ARE_NS | EnableGrp0 | EnableGrp1NS | EnableGrp1S */
#define GICR_STRIDE 0x20000
#define GICR_SGI_OFFSET 0x10000
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_IPRIORITYR 0x0400
#define GICR_IGRPMODR0 0x0D00
#define GIC_INTID_SECURE 1020    /* HPPIR0 at EL3: a Secure Group 1 interrupt is pending */
#define GIC_INTID_NONSECURE 1021 /* ... a Non-secure Group 1 interrupt */
#define GIC_SPURIOUS 1023
#define GIC_DEFAULT_PRIO 0xa0

static uint64_t rd_base(unsigned pos) { return bl31_cfg.gicr_base + (uint64_t)pos * GICR_STRIDE; }

static void gicd_w(unsigned off, uint32_t v) { mmio_write32(bl31_cfg.gicd_base + off, v); }
static uint32_t gicd_r(unsigned off) { return mmio_read32(bl31_cfg.gicd_base + off); }

void gicv3_distif_init(void)
{
	unsigned nregs = (bl31_cfg.num_spis + 32) / 32;
	gicd_w(GICD_CTLR, 0);
	/* gicv3_spis_config_defaults */
	for (unsigned r = 1; r < nregs; r++) {
		gicd_w(GICD_IGROUPR + 4 * r, 0xffffffff);
		gicd_w(GICD_ICFGR + 8 * r, 0);
		gicd_w(GICD_ICFGR + 8 * r + 4, 0);
	}
	for (unsigned i = 32; i < 32 + bl31_cfg.num_spis; i += 4)
		gicd_w(GICD_IPRIORITYR + i, 0x01010101u * GIC_DEFAULT_PRIO);
	/* gicv3_secure_spis_config_props */
	for (unsigned k = 0; k < bl31_cfg.n_sirq && k < BL31_MAX_SIRQ; k++) {
		const struct bl31_sirq *s = &bl31_cfg.sirq[k];
		unsigned id = s->intid, bit = id % 32;
		gicd_w(GICD_IGROUPR + 4 * (id / 32), gicd_r(GICD_IGROUPR + 4 * (id / 32)) & ~(1u << bit));
		gicd_w(GICD_IGRPMODR + 4 * (id / 32), gicd_r(GICD_IGRPMODR + 4 * (id / 32)) | (1u << bit));
		uint32_t p = gicd_r(GICD_IPRIORITYR + (id & ~3u)) & ~(0xffu << (8 * (id % 4)));
		gicd_w(GICD_IPRIORITYR + (id & ~3u), p | ((uint32_t)s->prio << (8 * (id % 4))));
		uint32_t c = gicd_r(GICD_ICFGR + 4 * (id / 16)) & ~(2u << (2 * (id % 16)));
		gicd_w(GICD_ICFGR + 4 * (id / 16), s->level ? c : c | (2u << (2 * (id % 16))));
		mmio_write64(bl31_cfg.gicd_base + GICD_IROUTER + 8 * id,
			     (uint64_t)(s->pe / 16) << 8 | (s->pe % 16));
		gicd_w(GICD_ISENABLER + 4 * (id / 32), 1u << bit);
	}
	gicd_w(GICD_CTLR, GICD_CTLR_ENABLE_ALL);
}

void gicv3_rdistif_init(unsigned pos)
{
	uint64_t sgi = rd_base(pos) + GICR_SGI_OFFSET;
	mmio_write32(sgi + GICR_ICENABLER0, 0xffffffff);
	mmio_write32(sgi + GICR_IGROUPR0, 0xffff00ff);
	mmio_write32(sgi + GICR_IGRPMODR0, 0x0000ff00);
	for (unsigned i = 0; i < 8; i++)
		mmio_write32(sgi + GICR_IPRIORITYR + 4 * i, i == 2 || i == 3 ? 0x10101010 : 0xa0a0a0a0);
	mmio_write32(sgi + GICR_ISENABLER0, 0x0000ff00);
}

/* gicv3_rdistif_mark_core_awake, then the CPU interface: system registers on, groups enabled. */
void gicv3_cpuif_enable(unsigned pos)
{
	uint64_t waker = rd_base(pos) + GICR_WAKER;
	mmio_write32(waker, mmio_read32(waker) & ~GICR_WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(waker) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	write_sysreg(S3_6_C12_C12_5, 0xf); /* ICC_SRE_EL3: SRE, DFB, DIB, Enable */
	isb();
	write_sysreg(S3_6_C12_C12_7, 3);   /* ICC_IGRPEN1_EL3: EnableGrp1NS | EnableGrp1S */
	write_sysreg(S3_0_C12_C12_6, 1);   /* ICC_IGRPEN0_EL1 */
	write_sysreg(S3_0_C4_C6_0, 0xff);  /* ICC_PMR_EL1: the idle priority */
	isb();
}

/* gicv3_cpuif_disable: groups off, then ProcessorSleep and wait for ChildrenAsleep. */
void gicv3_cpuif_disable(unsigned pos)
{
	uint64_t waker = rd_base(pos) + GICR_WAKER;
	write_sysreg(S3_0_C12_C12_6, 0);   /* ICC_IGRPEN0_EL1 */
	write_sysreg(S3_6_C12_C12_7, 0);   /* ICC_IGRPEN1_EL3 */
	isb();
	mmio_write32(waker, mmio_read32(waker) | GICR_WAKER_PROCESSOR_SLEEP);
	while (!(mmio_read32(waker) & GICR_WAKER_CHILDREN_ASLEEP))
		;
}

/* plat_ic_get_pending_interrupt_type: ICC_HPPIR0_EL1 at EL3 names the group of the highest pending. */
unsigned plat_ic_get_pending_interrupt_type(void)
{
	uint64_t id = read_sysreg(S3_0_C12_C8_2); /* ICC_HPPIR0_EL1 */
	id &= 0xffffff;
	if (id == GIC_INTID_SECURE)
		return INTR_TYPE_S_EL1;
	if (id == GIC_INTID_NONSECURE)
		return INTR_TYPE_NS;
	if (id == GIC_SPURIOUS)
		return INTR_TYPE_INVAL;
	return INTR_TYPE_EL3;
}
