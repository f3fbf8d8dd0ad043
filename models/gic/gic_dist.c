// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/gic/gic_dist.c: the Distributor. GICD_* registers, SPI input
 * lines, and SPI routing (GICD_IROUTER, including 1-of-N).
 */
#include <assert.h>

#include "gic_internal.h"

/* GICD_IROUTER writable bits: Aff3 [39:32], IRM [31], Aff2/Aff1/Aff0 [23:0]. */
#define GICD_IROUTER_MASK 0x000000FF80FFFFFFull

/* ---- SPI routing ---- */

static enum gic_group gic_spi_group(const struct gic *g, const struct gic_spi *sp)
{
	return gic_irq_group(g, &sp->st);
}

/*
 * 1-of-N choice (IHI 0069 GICD_IROUTER.Interrupt_Routing_Mode, GICR_CTLR.DPG*,
 * ICC_IGRPEN1: a participating PE can be chosen "if the PE is not asleep and
 * if that group's interrupts are enabled"). The architecture leaves the
 * choice to the implementation; this model goes round-robin, starting after
 * the PE chosen last time for that INTID, so runs are deterministic.
 */
static int gic_dist_pick(const struct gic *g, struct gic_spi *sp, enum gic_group grp)
{
	unsigned n = g->cfg.num_pes;
	unsigned start = sp->last < 0 ? 0 : ((unsigned)sp->last + 1) % n;

	for (unsigned k = 0; k < n; k++) {
		unsigned pe = (start + k) % n;
		if (gic_redist_eligible(g, pe, grp))
			return (int)pe;
	}
	return -1;
}

/*
 * With no eligible PE the interrupt stays pending and unrouted. What E1NWF
 * asks for here is UNVERIFIED (docs/protocol.md §5.4); this model's choice: when
 * GICD_CTLR.E1NWF == 1, WakeRequest is raised on the lowest-numbered sleeping
 * PE that participates in 1-of-N for the group (GICR_CTLR.DPG<group> == 0).
 */
static int gic_dist_e1nwf_target(const struct gic *g, enum gic_group grp)
{
	if (!(g->ctlr & GICD_CTLR_E1NWF))
		return -1;
	for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
		if (g->pe[pe].sleep && gic_redist_participates(g, pe, grp))
			return (int)pe;
	return -1;
}

void gic_dist_route_spi(struct gic *g, unsigned intid)
{
	struct gic_spi *sp = &g->spi[intid - GIC_SPI_BASE];
	int old = sp->target, old_wake = sp->wake_pe;
	int target = old, wake = -1;

	if (!(sp->irouter & GICD_IROUTER_IRM)) {
		target = gic_pe_of_affinity(g, sp->irouter & GICD_IROUTER_AFF_MASK);
	} else if (gic_irq_is_pending(&sp->st) && !sp->st.active) {
		enum gic_group grp = gic_spi_group(g, sp);
		/* Choose again when nothing is chosen, the interrupt was acknowledged
		 * since the last choice, or the chosen PE stopped being eligible. */
		if (sp->repick || target < 0 || !gic_redist_eligible(g, (unsigned)target, grp)) {
			target = gic_dist_pick(g, sp, grp);
			if (target >= 0) {
				sp->last = target;
				sp->repick = false;
			} else {
				wake = gic_dist_e1nwf_target(g, grp);
			}
		}
	}
	sp->wake_pe = wake;
	if (target != old) {
		sp->target = target;
		gic_trace(g, TR_GIC_ROUTE, target, intid, sp->irouter, 0);
		/* The old target may hold it in its forwarded HPPI: re-forward there too. */
		if (old >= 0)
			gic_redist_kick(g, (unsigned)old, g->cfg.pend_to_wire);
		if (target >= 0)
			gic_redist_kick(g, (unsigned)target, g->cfg.pend_to_wire);
	}
	if (wake != old_wake) {
		if (old_wake >= 0)
			gic_redist_kick(g, (unsigned)old_wake, g->cfg.pend_to_wire);
		if (wake >= 0)
			gic_redist_kick(g, (unsigned)wake, g->cfg.pend_to_wire);
	}
}

void gic_dist_reroute_all(struct gic *g)
{
	for (unsigned i = 0; i < g->cfg.num_spis; i++)
		if (g->spi[i].irouter & GICD_IROUTER_IRM)
			gic_dist_route(g, GIC_SPI_BASE + i);
}

/* ---- SPI input lines ---- */

void gic_spi_input(void *gic, unsigned intid, int level)
{
	struct gic *g = gic;
	struct gic_irq *st;
	bool was, line = level != 0;

	assert(gic_is_spi(g, intid)); /* a wiring bug: no such SPI */
	st = &g->spi[intid - GIC_SPI_BASE].st;
	if (st->line == line)
		return;
	was = gic_irq_is_pending(st);
	st->line = line;
	/* Edge-triggered: a rising edge latches pending (IHI 0069 "Edge-triggered"). A
	 * level-sensitive interrupt is pending while its line is asserted. */
	if (st->edge && line)
		st->latch = true;
	gic_irq_update(g, 0, intid, was, GIC_SRC_WIRE);
}

/* ---- GICD_* registers ---- */

static uint32_t gic_dist_ctlr_read(const struct gic *g, bool secure)
{
	uint32_t v;

	if (gic_ds(g))
		/* DS=1: one view; EnableGrp1 at bit 1, ARE at bit 4. */
		return (g->ctlr & (GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1NS | GICD_CTLR_E1NWF)) |
		       GICD_CTLR_ARE_S | GICD_CTLR_DS;
	if (!secure)
		/* IHI 0069 GICD_CTLR, Non-secure view with DS=0 and ARE_NS=1:
		 * EnableGrp1A [1] aliases EnableGrp1NS, EnableGrp1 [0] is RES0, ARE_NS [4]
		 * (RAO here), RWP [31] (QEMU gicd_readl lists the same aliases). */
		return ((g->ctlr & GICD_CTLR_ENABLEGRP1NS) ? 2u : 0u) | (1u << 4);
	/* Secure view; ARE_S/ARE_NS read as one (affinity routing always on), RWP
	 * reads 0 (writes take effect at once). */
	v = g->ctlr & (GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1NS | GICD_CTLR_ENABLEGRP1S |
		       GICD_CTLR_E1NWF);
	return v | GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS;
}

static void gic_dist_ctlr_write(struct gic *g, bool secure, uint32_t v)
{
	uint32_t old = g->ctlr, mask;

	if (gic_ds(g)) {
		mask = GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1NS | GICD_CTLR_E1NWF;
	} else if (!secure) {
		mask = GICD_CTLR_ENABLEGRP1NS;
		v = (v & 2) ? GICD_CTLR_ENABLEGRP1NS : 0; /* EnableGrp1A */
	} else {
		mask = GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1NS | GICD_CTLR_ENABLEGRP1S |
		       GICD_CTLR_E1NWF;
	}
	g->ctlr = (g->ctlr & ~mask) | (v & mask);
	if (g->ctlr == old)
		return;
	if ((g->ctlr ^ old) & GICD_CTLR_E1NWF)
		gic_dist_reroute_all(g);
	/* Group enables gate forwarding and WakeRequest at every PE. */
	gic_redist_kick_all(g);
}

static uint32_t gic_dist_typer(const struct gic *g)
{
	unsigned itlines = (GIC_SPI_BASE + g->cfg.num_spis + 31) / 32 - 1;
	unsigned cpus = g->cfg.num_pes < 8 ? g->cfg.num_pes : 8;
	uint32_t v = itlines & 0x1f;

	v |= (uint32_t)(cpus - 1) << 5;       /* CPUNumber */
	if (!g->cfg.security_disabled)
		v |= 1u << 10;                /* SecurityExtn */
	v |= 9u << 19;                        /* IDbits: 10 INTID bits */
	v |= 1u << 24;                        /* A3V: Aff3 supported in IROUTER */
	/* No1N [25] = 0: 1-of-N is supported. */
	v |= 1u << 26;                        /* RSS: SGI targets Aff0 0..255 via RS */
	return v;
}

/*
 * The SPI an IROUTER access at @off reaches, or NULL when the access is
 * RAZ/WI: a reserved, SGI/PPI or unimplemented INTID, or a Secure
 * interrupt's routing seen from Non-secure (IHI 0069 GICD_IROUTER<n>).
 */
static struct gic_spi *gic_dist_irouter_spi(struct gic *g, uint32_t off, bool secure, unsigned *intid)
{
	unsigned id = ((off & ~7u) - GICD_IROUTER) / 8;
	struct gic_spi *sp;
	if (!gic_is_spi(g, id))
		return NULL;
	sp = &g->spi[id - GIC_SPI_BASE];
	if (!secure && !gic_ds(g) && gic_spi_group(g, sp) != GIC_G1NS)
		return NULL;
	*intid = id;
	return sp;
}

int gic_dist_read(struct gic *g, uint32_t off, unsigned size, bool secure, uint64_t *val)
{
	int r;

	if (size != 1 && size != 4 && size != 8)
		return -1;
	if (off & (size - 1))
		return -1;
	*val = 0;
	if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * 1020) {
		unsigned intid;
		struct gic_spi *sp;
		uint64_t v;
		if (size == 1)
			return -1;
		sp = gic_dist_irouter_spi(g, off, secure, &intid);
		if (!sp)
			return 0;
		v = sp->irouter;
		*val = size == 8 ? v : (off & 4) ? v >> 32 : v & 0xffffffffu;
		return 0;
	}
	r = gic_irqregs_read(g, 0, GIC_SPI_BASE, GIC_SPI_BASE + g->cfg.num_spis, off, size, secure,
			     val);
	if (r <= 0)
		return r;
	if (size != 4)
		return -1;
	switch (off) {
	case GICD_CTLR:
		*val = gic_dist_ctlr_read(g, secure);
		break;
	case GICD_TYPER:
		*val = gic_dist_typer(g);
		break;
	case GICD_IIDR:
		*val = GIC_IIDR_VALUE;
		break;
	case GICD_PIDR2:
		*val = GIC_PIDR2_VALUE;
		break;
	default:
		break; /* reserved or unimplemented: RAZ */
	}
	return 0;
}

int gic_dist_write(struct gic *g, uint32_t off, unsigned size, bool secure, uint64_t val)
{
	int r;

	if (size != 1 && size != 4 && size != 8)
		return -1;
	if (off & (size - 1))
		return -1;
	if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * 1020) {
		unsigned intid;
		struct gic_spi *sp;
		uint64_t v;
		if (size == 1)
			return -1;
		sp = gic_dist_irouter_spi(g, off, secure, &intid);
		if (!sp)
			return 0;
		if (size == 8)
			v = val;
		else if (off & 4)
			v = (sp->irouter & 0xffffffffu) | ((val & 0xffffffffu) << 32);
		else
			v = (sp->irouter & ~0xffffffffull) | (val & 0xffffffffu);
		v &= GICD_IROUTER_MASK;
		if (v == sp->irouter)
			return 0;
		/* A pending SPI follows its new target (docs/protocol.md §6.1: QEMU and gem5
		 * re-evaluate on IROUTER writes). An active SPI stays active where it
		 * is: it is no longer pending-and-inactive, so no PE forwards it until
		 * it is deactivated. */
		sp->irouter = v;
		sp->repick = true;
		gic_irq_update(g, 0, intid, gic_irq_is_pending(&sp->st), GIC_SRC_SW);
		return 0;
	}
	r = gic_irqregs_write(g, 0, GIC_SPI_BASE, GIC_SPI_BASE + g->cfg.num_spis, off, size, secure,
			      val);
	if (r <= 0)
		return r;
	if (size != 4)
		return -1;
	if (off == GICD_CTLR)
		gic_dist_ctlr_write(g, secure, (uint32_t)val);
	/* Everything else in the frame is read-only, reserved or unimplemented: WI. */
	return 0;
}

/* ---- the bus entry points: offsets within the GICD frame and the GICR region ---- */

int gic_dist_mmio_read(void *gic, uint64_t off, unsigned size, bool secure, uint64_t *val)
{
	if (off >= GICD_FRAME_SIZE)
		return -1;
	return gic_dist_read(gic, (uint32_t)off, size, secure, val);
}

int gic_dist_mmio_write(void *gic, uint64_t off, unsigned size, bool secure, uint64_t val)
{
	if (off >= GICD_FRAME_SIZE)
		return -1;
	return gic_dist_write(gic, (uint32_t)off, size, secure, val);
}

int gic_redist_mmio_read(void *gic, uint64_t off, unsigned size, bool secure, uint64_t *val)
{
	struct gic *g = gic;
	if (off >= (uint64_t)g->cfg.num_pes * GICR_STRIDE)
		return -1;
	return gic_redist_read(g, (unsigned)(off / GICR_STRIDE), (uint32_t)(off % GICR_STRIDE), size, secure, val);
}

int gic_redist_mmio_write(void *gic, uint64_t off, unsigned size, bool secure, uint64_t val)
{
	struct gic *g = gic;
	if (off >= (uint64_t)g->cfg.num_pes * GICR_STRIDE)
		return -1;
	return gic_redist_write(g, (unsigned)(off / GICR_STRIDE), (uint32_t)(off % GICR_STRIDE), size, secure, val);
}

uint64_t gic_redist_region_size(const struct gic *g) { return (uint64_t)g->cfg.num_pes * GICR_STRIDE; }

int gic_map(struct gic *g, struct sim_bus *bus, uint64_t gicd_base, uint64_t gicr_base)
{
	struct sim_bus_region d = { gicd_base, GICD_FRAME_SIZE, "GICD", g, gic_dist_mmio_read, gic_dist_mmio_write };
	struct sim_bus_region r = { gicr_base, gic_redist_region_size(g), "GICR", g, gic_redist_mmio_read,
				    gic_redist_mmio_write };
	/* IHI 0069: both frames are 64 KiB aligned */
	if ((gicd_base | gicr_base) & 0xffff)
		return -1;
	return sim_bus_map(bus, &d) || sim_bus_map(bus, &r) ? -1 : 0;
}
