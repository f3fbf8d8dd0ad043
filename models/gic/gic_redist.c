// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/gic/gic_redist.c: the Redistributors. GICR_* registers, PPI input
 * lines, GICR_WAKER power gating and WakeRequest, SGI acceptance, and the
 * per-PE forward of the highest-priority pending interrupt to the CPU
 * interface.
 */
#include <assert.h>

#include "gic_internal.h"

/* ---- 1-of-N participation ---- */

static uint32_t gic_dpg_bit(enum gic_group grp)
{
	switch (grp) {
	case GIC_G0:
		return GICR_CTLR_DPG0;
	case GIC_G1S:
		return GICR_CTLR_DPG1S;
	case GIC_G1NS:
		return GICR_CTLR_DPG1NS;
	}
	return 0;
}

bool gic_redist_participates(const struct gic *g, unsigned pe, enum gic_group grp)
{
	/* IHI 0069 GICR_CTLR.DPG<x>: 1 = this PE cannot be selected for 1-of-N SPIs of
	 * that group. The bits exist only when GICR_TYPER.DPGS == 1. */
	return !g->cfg.dpgs || !(g->pe[pe].rd_ctlr & gic_dpg_bit(grp));
}

bool gic_redist_eligible(const struct gic *g, unsigned pe, enum gic_group grp)
{
	/* docs/protocol.md §5.4 (Verified): eligible = not asleep, the group enabled at the
	 * CPU interface (ICC_IGRPEN*), and DPG<group> == 0. */
	const struct gic_pe *p = &g->pe[pe];
	return !p->sleep && p->igrpen[grp] && gic_redist_participates(g, pe, grp);
}

/* ---- forwarding to the CPU interface ---- */

void gic_redist_kick_all(struct gic *g)
{
	for (unsigned pe = 0; pe < g->cfg.num_pes; pe++)
		gic_redist_kick(g, pe, g->cfg.pend_to_wire);
}

static void gic_fwd_consider(struct gic_fwd *f, unsigned intid, uint8_t prio)
{
	/* Lower value = higher priority; on a tie the lowest INTID wins (the scan is in
	 * INTID order, so the first seen is kept). The tie rule is IMPLEMENTATION
	 * DEFINED in IHI 0069; QEMU picks the lowest INTID too. */
	if (f->intid == GIC_NO_INTID || prio < f->prio) {
		f->intid = (uint16_t)intid;
		f->prio = prio;
	}
}

/* Does anything that would be forwarded to @pe if it were awake target it? */
static bool gic_redist_wake_wanted(const struct gic *g, unsigned pe)
{
	const struct gic_pe *p = &g->pe[pe];

	if (!p->sleep)
		return false;
	/* IHI 0069 11.1: with ProcessorSleep == 1, a pending interrupt that would
	 * otherwise be forwarded asserts WakeRequest. The CPU interface is off, so
	 * PMR and IGRPEN do not matter here. */
	for (uint32_t m = p->priv_hint; m; m &= m - 1)
		if (gic_irq_forwardable(g, &p->priv[__builtin_ctz(m)]))
			return true;
	for (uint32_t wm = g->spi_hint_words; wm; wm &= wm - 1) {
		unsigned w = (unsigned)__builtin_ctz(wm);
		for (uint64_t m = g->spi_hint[w]; m; m &= m - 1) {
			const struct gic_spi *sp = &g->spi[w * 64 + (unsigned)__builtin_ctzll(m)];
			if ((sp->target == (int)pe || sp->wake_pe == (int)pe) &&
			    gic_irq_forwardable(g, &sp->st))
				return true;
		}
	}
	return false;
}

/* gic_redist_update_wake's work, out of line: the usual call saves no registers for it. */
static __attribute__((noinline)) void update_wake(struct gic *g, unsigned pe)
{
	struct gic_pe *p = &g->pe[pe];
	int want = gic_redist_wake_wanted(g, pe);

	if (p->wake.level == want)
		return;
	gic_trace(g, TR_GIC_WAKE, (int)pe, (uint64_t)want, 0, 0);
	sim_wire_set(g->s, &p->wake, want);
}

void gic_redist_update_wake(struct gic *g, unsigned pe)
{
	const struct gic_pe *p = &g->pe[pe];

	/* awake, so nothing is wanted (gic_redist_wake_wanted), and not requesting: no change (most calls) */
	if (!p->sleep && !p->wake.level)
		return;
	update_wake(g, pe);
}

/*
 * The probed INTID (the notification's) at this PE's CPU interface: it is
 * pending, forwardable and reaches this PE once the propagation delay has
 * passed and the Redistributor is awake. The first such forward of each
 * time it starts to be so, and the first after each raise that finds it
 * pending already, is a TR_GIC_FWD record: where a notification becomes
 * "pending" for the statistics, the same point for every transport
 * (docs/protocol.md §9.6).
 */
static void probe_forward(struct gic *g, unsigned pe)
{
	struct gic_pe *p = &g->pe[pe];
	unsigned id = g->probe_intid;
	const struct gic_irq *st;
	bool here;
	if (id >= GIC_SPI_BASE) {
		const struct gic_spi *sp = &g->spi[id - GIC_SPI_BASE];
		st = &sp->st;
		here = sp->target == (int)pe;
	} else {
		st = &p->priv[id];
		here = true;
	}
	here = here && !p->sleep && gic_irq_is_pending(st) && gic_irq_forwardable(g, st);
	/* a record when it starts to be (the statistics take the first after each send) */
	if (here && g->probe_fwd[pe] != PROBE_FORWARDED)
		gic_trace(g, TR_GIC_FWD, (int)pe, id, gic_irq_group(g, st), 0);
	g->probe_fwd[pe] = here ? PROBE_FORWARDED : 0;
}

static void gic_redist_forward(struct gic *g, unsigned pe)
{
	struct gic_pe *p = &g->pe[pe];

	for (unsigned gi = 0; gi < 3; gi++)
		p->fwd[gi].intid = GIC_NO_INTID;
	/* IHI 0069 11.1: while ProcessorSleep == 1 nothing is forwarded; interrupts
	 * stay pending in the Redistributor. */
	if (!p->sleep) {
		/* only the interrupts that may be pending (the hints), in INTID order;
		 * a hint found not pending is dropped */
		for (uint32_t m = p->priv_hint; m; m &= m - 1) {
			unsigned i = (unsigned)__builtin_ctz(m);
			const struct gic_irq *st = &p->priv[i];
			if (!gic_irq_is_pending(st))
				p->priv_hint &= ~(1u << i);
			else if (gic_irq_forwardable(g, st))
				gic_fwd_consider(&p->fwd[gic_irq_group(g, st)], i, st->prio);
		}
		for (uint32_t wm = g->spi_hint_words; wm; wm &= wm - 1) {
			unsigned w = (unsigned)__builtin_ctz(wm);
			for (uint64_t m = g->spi_hint[w]; m; m &= m - 1) {
				unsigned i = w * 64 + (unsigned)__builtin_ctzll(m);
				const struct gic_spi *sp = &g->spi[i];
				if (!gic_irq_is_pending(&sp->st))
					g->spi_hint[w] &= ~(1ull << (i % 64));
				else if (sp->target == (int)pe && gic_irq_forwardable(g, &sp->st))
					gic_fwd_consider(&p->fwd[gic_irq_group(g, &sp->st)],
							 GIC_SPI_BASE + i, sp->st.prio);
			}
			if (!g->spi_hint[w])
				g->spi_hint_words &= ~(1u << w);
		}
	}
	if (g->probe_fwd)
		probe_forward(g, pe);
	/* nothing to forward, as after most acknowledges, and no wire to drop (a
	 * kernel event: no drive loop of gic_cpuif_update is under way to need
	 * its want_irq/want_fiq) */
	if (!gic_cpuif_quiet(p))
		gic_cpuif_update(g, pe);
	gic_redist_update_wake(g, pe);
}

void gic_redist_forward_event(void *ctx, uint64_t pe)
{
	gic_redist_forward(ctx, (unsigned)pe);
}

/* ---- PPI input lines ---- */

void gic_ppi_input(void *gic, unsigned idx, int level)
{
	struct gic *g = gic;
	unsigned pe = idx / 32, intid = idx % 32;
	struct gic_irq *st;
	bool was, line = level != 0;

	assert(pe < g->cfg.num_pes && intid >= GIC_NUM_SGI); /* wiring bug otherwise */
	st = &g->pe[pe].priv[intid];
	if (st->line == line)
		return;
	was = gic_irq_is_pending(st);
	st->line = line;
	if (st->edge && line)
		st->latch = true;
	gic_irq_update(g, pe, intid, was, GIC_SRC_WIRE);
}

/* ---- SGI acceptance ---- */

uint64_t gic_redist_sgi_arg(unsigned target, unsigned sender, unsigned intid,
			    enum gic_group grp, bool ns)
{
	return (uint64_t)target | ((uint64_t)sender << 16) | ((uint64_t)intid << 32) |
	       ((uint64_t)grp << 36) | ((uint64_t)ns << 38);
}

void gic_redist_sgi_event(void *ctx, uint64_t arg)
{
	struct gic *g = ctx;
	unsigned target = arg & 0xffff, sender = (arg >> 16) & 0xffff;
	unsigned intid = (arg >> 32) & 0xf;
	enum gic_group req = (enum gic_group)((arg >> 36) & 3), grp = req;
	bool ns = (arg >> 38) & 1;
	struct gic_irq *st = &g->pe[target].priv[intid];
	enum gic_group cfg_grp = gic_irq_group(g, st);
	bool ok, was;

	/* docs/protocol.md §5.3 (QEMU gicv3_redist_send_sgi): a Secure Group 1 request for
	 * an SGI configured as Group 0 is accepted as Group 0; otherwise the requested
	 * group must equal the configured group, or the SGI is dropped. */
	if (grp == GIC_G1S && cfg_grp == GIC_G0)
		grp = GIC_G0;
	ok = grp == cfg_grp;
	/* A Non-secure request for a Secure SGI also needs GICR_NSACR: >= 1 for Group
	 * 0, >= 2 for Secure Group 1 (IHI 0069 GICR_NSACR). */
	if (ok && ns && !gic_ds(g) &&
	    ((cfg_grp == GIC_G0 && st->nsacr < 1) || (cfg_grp == GIC_G1S && st->nsacr < 2)))
		ok = false;
	if (!ok) {
		gic_trace(g, TR_GIC_SGI_DROP, (int)target, intid, req, sender);
		return;
	}
	was = gic_irq_is_pending(st);
	st->latch = true;
	gic_irq_update(g, target, intid, was, GIC_SRC_SGI);
}

/* ---- GICR_* registers ---- */

static uint64_t gic_redist_typer(const struct gic *g, unsigned pe)
{
	uint64_t aff = gic_pe_affinity(pe);
	/* Affinity_Value [63:32] = Aff3.Aff2.Aff1.Aff0. */
	uint64_t v = ((aff & 0xff) << 32) | (((aff >> 8) & 0xff) << 40) |
		     (((aff >> 16) & 0xff) << 48) | (((aff >> 32) & 0xff) << 56);

	v |= (uint64_t)(pe & 0xffff) << 8; /* Processor_Number */
	if (pe == g->cfg.num_pes - 1)
		v |= 1u << 4;              /* Last */
	if (g->cfg.dpgs)
		v |= 1u << 5;              /* DPGS */
	return v;
}

static uint32_t gic_redist_ctlr_mask(const struct gic *g, bool secure)
{
	if (!g->cfg.dpgs)
		return 0;
	/* DPG1S is Secure-only and RAZ/WI when DS=1 (IHI 0069 GICR_CTLR); this model
	 * also keeps DPG0 Secure-only when DS=0 (Group 0 is Secure state). */
	if (gic_ds(g))
		return GICR_CTLR_DPG0 | GICR_CTLR_DPG1NS;
	if (!secure)
		return GICR_CTLR_DPG1NS;
	return GICR_CTLR_DPG0 | GICR_CTLR_DPG1NS | GICR_CTLR_DPG1S;
}

static void gic_redist_waker_write(struct gic *g, unsigned pe, uint32_t v)
{
	struct gic_pe *p = &g->pe[pe];
	bool sleep = (v & GICR_WAKER_PROCESSOR_SLEEP) != 0;

	if (sleep == p->sleep)
		return;
	p->sleep = sleep;
	if (sleep) {
		/* IHI 0069 11.1: interrupts already at the CPU interface are released
		 * back to the Redistributor; the wires drop at once. */
		for (unsigned gi = 0; gi < 3; gi++)
			p->fwd[gi].intid = GIC_NO_INTID;
		gic_cpuif_update(g, pe);
	} else {
		/* WakeRequest drops as ProcessorSleep clears; pending interrupts are
		 * forwarded after the usual delay. */
		gic_redist_update_wake(g, pe);
	}
	/* The PE's 1-of-N eligibility changed. */
	gic_dist_reroute_all(g);
	gic_redist_kick(g, pe, g->cfg.pend_to_wire);
}

int gic_redist_read(struct gic *g, unsigned pe, uint32_t off, unsigned size, bool secure,
		    uint64_t *val)
{
	const struct gic_pe *p = &g->pe[pe];
	bool s_only_ok = secure || gic_ds(g);

	if (size != 1 && size != 4 && size != 8)
		return -1;
	if (off & (size - 1))
		return -1;
	*val = 0;
	if (off >= GICR_SGI_OFFSET) {
		int r = gic_irqregs_read(g, pe, 0, GIC_NUM_PRIV, off - GICR_SGI_OFFSET, size, secure,
					 val);
		if (r <= 0)
			return r;
		return size == 4 ? 0 : -1; /* rest of SGI_base: RAZ */
	}
	if (off == GICR_TYPER && size == 8) {
		*val = gic_redist_typer(g, pe);
		return 0;
	}
	if (size != 4)
		return -1;
	switch (off) {
	case GICR_CTLR:
		*val = p->rd_ctlr & gic_redist_ctlr_mask(g, secure);
		break;
	case GICR_IIDR:
		*val = GIC_IIDR_VALUE;
		break;
	case GICR_TYPER:
		*val = gic_redist_typer(g, pe) & 0xffffffffu;
		break;
	case GICR_TYPER + 4:
		*val = gic_redist_typer(g, pe) >> 32;
		break;
	case GICR_WAKER:
		/* IHI 0069 GICR_WAKER: RAZ/WI to Non-secure accesses when DS=0. */
		if (s_only_ok && p->sleep)
			*val = GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;
		break;
	case GICR_PIDR2:
		*val = GIC_PIDR2_VALUE;
		break;
	default:
		break;
	}
	return 0;
}

int gic_redist_write(struct gic *g, unsigned pe, uint32_t off, unsigned size, bool secure,
		     uint64_t val)
{
	struct gic_pe *p = &g->pe[pe];

	if (size != 1 && size != 4 && size != 8)
		return -1;
	if (off & (size - 1))
		return -1;
	if (off >= GICR_SGI_OFFSET) {
		int r = gic_irqregs_write(g, pe, 0, GIC_NUM_PRIV, off - GICR_SGI_OFFSET, size,
					  secure, val);
		if (r <= 0)
			return r;
		return size == 4 ? 0 : -1;
	}
	if (off == GICR_TYPER && size == 8)
		return 0; /* read-only */
	if (size != 4)
		return -1;
	switch (off) {
	case GICR_CTLR: {
		uint32_t mask = gic_redist_ctlr_mask(g, secure);
		uint32_t nv = (p->rd_ctlr & ~mask) | ((uint32_t)val & mask);
		if (nv != p->rd_ctlr) {
			p->rd_ctlr = nv;
			gic_dist_reroute_all(g); /* 1-of-N participation changed */
		}
		break;
	}
	case GICR_WAKER:
		if (secure || gic_ds(g))
			gic_redist_waker_write(g, pe, (uint32_t)val);
		break;
	default:
		break; /* read-only or reserved: WI */
	}
	return 0;
}
