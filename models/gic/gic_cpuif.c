// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/gic/gic_cpuif.c: the CPU interfaces. ICC_* system registers,
 * acknowledge / priority drop / deactivation, preemption, the IRQ/FIQ
 * choice, and SGI generation.
 *
 * Model assumptions (the GIC cannot see SCR_EL3):
 *  - EL3 uses the Secure banks of banked registers (SCR_EL3.NS == 0 at EL3);
 *  - with DS=0, Non-secure accesses see the Non-secure views that apply when
 *    SCR_EL3.FIQ == 1 (as TF-A sets it): Group 0 registers are RAZ/WI,
 *    IAR0/HPPIR0 return 1023, and PMR/RPR use the Non-secure priority view.
 */
#include <assert.h>
#include <string.h>

#include "gic_internal.h"

#define ICC_CTLR_PRIBITS_SHIFT 8
#define ICC_CTLR_A3V (1u << 15)
#define ICC_CTLR_RSS (1u << 18)
#define ICC_CTLR_EL3_CBPR_EL1S (1u << 0)
#define ICC_CTLR_EL3_CBPR_EL1NS (1u << 1)
#define ICC_CTLR_EL3_EOIMODE_EL3 (1u << 2)
#define ICC_CTLR_EL3_EOIMODE_EL1S (1u << 3)
#define ICC_CTLR_EL3_EOIMODE_EL1NS (1u << 4)
#define ICC_CTLR_EL3_NDS (1u << 17)

enum { BANK_S = 0, BANK_NS = 1 };

/* The CPU interface's view of the highest-priority pending interrupt. */
struct gic_hppi {
	unsigned intid; /* GIC_NO_INTID: none */
	uint8_t prio;
	enum gic_group grp;
};

static bool gic_acc_ns(const struct gic *g, const struct gic_icc_access *acc)
{
	return !acc->secure && !gic_ds(g);
}

/* @p's forwarded candidate of group @gi, if enabled, against the best so far @h */
static inline void gic_hppi_consider(struct gic_hppi *h, const struct gic_pe *p, enum gic_group gi)
{
	const struct gic_fwd *f = &p->fwd[gi];
	if (f->intid == GIC_NO_INTID || !p->igrpen[gi])
		return;
	if (h->intid == GIC_NO_INTID || f->prio < h->prio || (f->prio == h->prio && f->intid < h->intid)) {
		h->intid = f->intid;
		h->prio = f->prio;
		h->grp = gi;
	}
}

/* HPPI among the forwarded per-group candidates whose group is enabled at the
 * CPU interface (ICC_IGRPEN*): the CPU interface releases disabled groups'
 * interrupts back to the Redistributor, so they do not compete. The three groups
 * in order, unrolled: every CPU interface update asks. */
static struct gic_hppi gic_cpuif_hppi(const struct gic_pe *p)
{
	struct gic_hppi h = { GIC_NO_INTID, 0xff, GIC_G0 };

	gic_hppi_consider(&h, p, GIC_G0);
	gic_hppi_consider(&h, p, GIC_G1S);
	gic_hppi_consider(&h, p, GIC_G1NS);
	return h;
}

static unsigned gic_min_bpr(const struct gic *g) { return 7 - g->prebits; }

/* Group-priority mask for @grp (IHI 0069 pseudocode GroupBits(); as QEMU's
 * icc_gprio_mask): CBPR makes Group 1 use BPR0; NS BPR1 counts one lower. */
static uint8_t gic_gprio_mask(const struct gic_pe *p, enum gic_group grp)
{
	unsigned bpr;

	if ((grp == GIC_G1S && (p->ctlr_el1[BANK_S] & ICC_CTLR_EL1_CBPR)) ||
	    (grp == GIC_G1NS && (p->ctlr_el1[BANK_NS] & ICC_CTLR_EL1_CBPR)))
		grp = GIC_G0;
	bpr = p->bpr[grp] & 7;
	if (grp == GIC_G1NS)
		bpr--;
	return (uint8_t)(0xffu << (bpr + 1));
}

/* Running priority: the highest active priority in the APRs, 0xff when idle. */
static unsigned gic_running_prio_of(const struct gic *g, const struct gic_pe *p)
{
	for (unsigned w = 0; w < 4; w++) {
		uint32_t a = p->apr[0][w] | p->apr[1][w] | p->apr[2][w];
		if (a)
			return ((w * 32 + (unsigned)__builtin_ctz(a)) << (8 - g->prebits)) & 0xff;
	}
	return 0xff;
}

/*
 * Every write of p->apr calls this (acknowledge, priority drop, ICC_AP*R0
 * writes): the running priority is kept, not recomputed by every CPU
 * interface update.
 */
static void gic_cpuif_apr_changed(const struct gic *g, struct gic_pe *p) { p->rprio = (uint8_t)gic_running_prio_of(g, p); }

static inline unsigned gic_running_prio(const struct gic *g, const struct gic_pe *p)
{
	(void)g;
	return p->rprio;
}

/* The group whose APR holds the highest active priority, or -1. */
static int gic_highest_active_group(const struct gic_pe *p)
{
	for (unsigned w = 0; w < 4; w++) {
		int best = -1;
		unsigned bestbit = 32;
		for (unsigned gi = 0; gi < 3; gi++) {
			uint32_t a = p->apr[gi][w];
			if (a && (unsigned)__builtin_ctz(a) < bestbit) {
				bestbit = (unsigned)__builtin_ctz(a);
				best = (int)gi;
			}
		}
		if (best >= 0)
			return best;
	}
	return -1;
}

/* IHI 0069 "Preemption" (QEMU icc_hppi_can_preempt): signalled only if priority <
 * PMR and the group priority is strictly higher than the running priority's. */
static bool gic_cpuif_can_signal(const struct gic *g, const struct gic_pe *p,
				 const struct gic_hppi *h)
{
	unsigned rp;
	uint8_t mask;

	if (h->intid == GIC_NO_INTID || h->prio >= p->pmr)
		return false;
	rp = gic_running_prio(g, p);
	if (rp == 0xff)
		return true;
	mask = gic_gprio_mask(p, h->grp);
	return (h->prio & mask) < (rp & mask);
}

void gic_cpuif_update(struct gic *g, unsigned pe)
{
	struct gic_pe *p = &g->pe[pe];
	struct gic_hppi h = gic_cpuif_hppi(p);
	bool fiq = false, irq = false;

	if (gic_cpuif_can_signal(g, p, &h)) {
		/* docs/protocol.md §5.2 (IHI 0069 4.6.2; TF-A plat_interrupt_type_to_line):
		 * G0 -> FIQ; G1S -> IRQ at Secure EL0/1/2, FIQ in NS or at EL3;
		 * G1NS -> IRQ in NS, FIQ in Secure state (S-EL1 or EL3). */
		switch (h.grp) {
		case GIC_G0:
			fiq = true;
			break;
		case GIC_G1S:
			fiq = !p->secure || p->el == 3;
			break;
		case GIC_G1NS:
			fiq = p->secure || p->el == 3;
			break;
		}
		irq = !fiq;
	}
	p->want_irq = irq;
	p->want_fiq = fiq;
	/* A wire sink (the CPU model) may call back into the GIC from sim_wire_set and
	 * change what we want: the outermost caller loops until the wires match. Drop
	 * a wire before raising the other so both are never high by accident. Wires
	 * that match already (most updates) need no loop. */
	if (p->driving || (p->irq.level == (int)irq && p->fiq.level == (int)fiq))
		return;
	p->driving = true;
	for (;;) {
		if (p->irq.level && !p->want_irq)
			sim_wire_set(g->s, &p->irq, 0);
		else if (p->fiq.level && !p->want_fiq)
			sim_wire_set(g->s, &p->fiq, 0);
		else if (!p->irq.level && p->want_irq)
			sim_wire_set(g->s, &p->irq, 1);
		else if (!p->fiq.level && p->want_fiq)
			sim_wire_set(g->s, &p->fiq, 1);
		else
			break;
	}
	p->driving = false;
}

/* gic_cpuif_update out of line: gic_pe_state's only call, a tail call, so it saves no registers. */
static __attribute__((noinline)) void gic_cpuif_update_call(struct gic *g, unsigned pe) { gic_cpuif_update(g, pe); }

void gic_pe_state(struct gic *g, unsigned pe, unsigned el, bool secure)
{
	struct gic_pe *p;

	assert(pe < g->cfg.num_pes && el <= 3);
	p = &g->pe[pe];
	secure = secure || el == 3; /* EL3 counts as Secure */
	if (p->el == el && p->secure == secure)
		return;
	p->el = (uint8_t)el;
	p->secure = secure;
	/* the state only picks the wire of a forwarded interrupt: with none, and both wires low, nothing moves */
	if (gic_cpuif_quiet(p))
		return;
	gic_cpuif_update_call(g, pe);
}

/* ---- acknowledge, priority drop, deactivation ---- */

/* IHI 0069 CheckGroup0ForSpecialIdentifiers / QEMU icc_hppir0_value. */
static unsigned gic_hppir0_value(const struct gic *g, const struct gic_icc_access *acc,
				 const struct gic_hppi *h)
{
	if (h->intid == GIC_NO_INTID)
		return GIC_SPURIOUS;
	if (h->grp != GIC_G0) {
		/* EL3 learns that a Group 1 interrupt of either state is pending. */
		if (acc->el != 3)
			return GIC_SPURIOUS;
		return h->grp == GIC_G1S ? GIC_INTID_SECURE : GIC_INTID_NONSECURE;
	}
	return gic_acc_ns(g, acc) ? GIC_SPURIOUS : h->intid;
}

/* IHI 0069 CheckGroup1ForSpecialIdentifiers / QEMU icc_hppir1_value: IAR1 in
 * Secure EL1 sees only G1S, in Non-secure only G1NS, at EL3 both. */
static unsigned gic_hppir1_value(const struct gic *g, const struct gic_icc_access *acc,
				 const struct gic_hppi *h)
{
	if (h->intid == GIC_NO_INTID || h->grp == GIC_G0)
		return GIC_SPURIOUS;
	if (h->grp == GIC_G1S)
		return acc->secure || gic_ds(g) ? h->intid : GIC_SPURIOUS;
	if (acc->secure && acc->el != 3 && !gic_ds(g))
		return GIC_SPURIOUS;
	return h->intid;
}

/* Is the forwarded interrupt still what the Redistributor holds for this PE? A
 * change within the forward window (cleared, disabled, re-routed) withdraws it. */
static bool gic_cpuif_still_valid(struct gic *g, unsigned pe, const struct gic_hppi *h)
{
	struct gic_irq *st = gic_irq_at(g, pe, h->intid);

	if (!st || !gic_irq_forwardable(g, st) || gic_irq_group(g, st) != h->grp)
		return false;
	if (h->intid >= GIC_SPI_BASE && g->spi[h->intid - GIC_SPI_BASE].target != (int)pe)
		return false;
	return true;
}

static unsigned gic_cpuif_acknowledge(struct gic *g, const struct gic_icc_access *acc, bool grp1)
{
	unsigned pe = acc->pe;
	struct gic_pe *p = &g->pe[pe];
	struct gic_hppi h = gic_cpuif_hppi(p);
	struct gic_irq *st;
	unsigned intid, bit;
	bool was;

	if (!gic_cpuif_can_signal(g, p, &h))
		return GIC_SPURIOUS;
	intid = grp1 ? gic_hppir1_value(g, acc, &h) : gic_hppir0_value(g, acc, &h);
	if (intid >= GIC_INTID_SECURE)
		return intid;
	if (!gic_cpuif_still_valid(g, pe, &h))
		return GIC_SPURIOUS;

	/* Pending -> active (or active and pending, for a level line still asserted).
	 * Acknowledge clears the software-pend latch of a level interrupt too
	 * (docs/protocol.md §5.4; gem5 treatAsEdgeTriggered). */
	st = gic_irq_at(g, pe, intid);
	was = gic_irq_is_pending(st);
	st->latch = false;
	st->active = true;
	if (intid >= GIC_SPI_BASE)
		g->spi[intid - GIC_SPI_BASE].repick = true; /* next 1-of-N pend chooses again */
	/* Active priority: the group priority of the interrupt (QEMU icc_activate_irq). */
	bit = (unsigned)(st->prio & gic_gprio_mask(p, h.grp)) >> (8 - g->prebits);
	p->apr[h.grp][bit / 32] |= 1u << (bit % 32);
	gic_cpuif_apr_changed(g, p);
	gic_trace(g, TR_GIC_ACK, (int)pe, intid, h.grp, 0);
	gic_pending_note(g, was, gic_irq_is_pending(st));

	/* The wires drop at once; the Redistributor re-arbitrates after ack_rearb. */
	for (unsigned gi = 0; gi < 3; gi++)
		p->fwd[gi].intid = GIC_NO_INTID;
	gic_redist_kick(g, pe, g->cfg.ack_rearb);
	gic_cpuif_update(g, pe);
	return intid;
}

static bool gic_cpuif_eoimode1(const struct gic_pe *p, const struct gic_icc_access *acc)
{
	if (acc->el == 3)
		return p->eoimode_el3;
	return p->ctlr_el1[acc->secure ? BANK_S : BANK_NS] & ICC_CTLR_EL1_EOIMODE;
}

static void gic_cpuif_deactivate(struct gic *g, unsigned pe, unsigned intid)
{
	struct gic_irq *st = gic_irq_at(g, pe, intid);

	if (!st || !st->active)
		return;
	st->active = false;
	gic_trace(g, TR_GIC_DEACT, (int)pe, intid, 0, 0);
	/* An active-and-pending interrupt becomes forwardable again: a pending change
	 * that reaches the wires after pend_to_wire. */
	gic_irq_update(g, pe, intid, gic_irq_is_pending(st), GIC_SRC_SW);
}

static void gic_cpuif_eoi(struct gic *g, const struct gic_icc_access *acc, bool grp1, uint64_t v)
{
	struct gic_pe *p = &g->pe[acc->pe];
	unsigned intid = v & 0xffffff;
	int grp;

	if (!grp1) {
		if (gic_acc_ns(g, acc))
			return;
		grp = GIC_G0;
	} else if (acc->el == 3) {
		int top = gic_highest_active_group(p);
		grp = top == GIC_G0 ? -1 : top;
	} else {
		grp = acc->secure && !gic_ds(g) ? GIC_G1S : GIC_G1NS;
	}
	/* Priority drop removes the highest active priority, which must belong to this
	 * register's group; anything else is UNPREDICTABLE and ignored here (QEMU). */
	if (grp < 0 || gic_highest_active_group(p) != grp)
		return;
	for (unsigned w = 0; w < 4; w++) {
		if (p->apr[grp][w]) {
			p->apr[grp][w] &= p->apr[grp][w] - 1;
			gic_cpuif_apr_changed(g, p);
			break;
		}
	}
	gic_trace(g, TR_GIC_EOI, (int)acc->pe, intid, 0, 0);
	/* ICC_CTLR_EL1.EOImode == 0: the EOIR write also deactivates (IHI 0069 ICC_EOIR1_EL1). */
	if (!gic_cpuif_eoimode1(p, acc) && intid < GIC_INTID_SECURE)
		gic_cpuif_deactivate(g, acc->pe, intid);
	gic_cpuif_update(g, acc->pe);
}

static void gic_cpuif_dir(struct gic *g, const struct gic_icc_access *acc, uint64_t v)
{
	struct gic_pe *p = &g->pe[acc->pe];
	unsigned intid = v & 0xffffff;
	struct gic_irq *st = gic_irq_at(g, acc->pe, intid);

	/* ICC_DIR_EL1 acts only with EOImode == 1 (IHI 0069 ICC_DIR_EL1). */
	if (!st || !gic_cpuif_eoimode1(p, acc))
		return;
	/* Non-secure software cannot deactivate Secure interrupts. */
	if (gic_acc_ns(g, acc) && gic_irq_group(g, st) != GIC_G1NS)
		return;
	gic_cpuif_deactivate(g, acc->pe, intid);
	gic_cpuif_update(g, acc->pe);
}

/* ---- SGI generation ---- */

static void gic_cpuif_generate_sgi(struct gic *g, const struct gic_icc_access *acc,
				   uint64_t v, enum gic_group grp)
{
	unsigned intid = (v >> ICC_SGIR_INTID_SHIFT) & 0xf;
	bool ns = !acc->secure;

	/* DS=1 has no Secure Group 1: such a request means Group 0 (QEMU icc_generate_sgi). */
	if (gic_ds(g) && grp == GIC_G1S)
		grp = GIC_G0;
	if (v & ICC_SGIR_IRM) {
		/* IRM = 1: every PE except the sender (IHI 0069 ICC_SGI1R_EL1.IRM). */
		for (unsigned t = 0; t < g->cfg.num_pes; t++)
			if (t != acc->pe && !sim_post(g->s->k, g->cfg.sgi_delay, gic_redist_sgi_event, g,
						      gic_redist_sgi_arg(t, acc->pe, intid, grp, ns)))
				return;
		return;
	}
	/* IRM = 0: TargetList[n] names Aff3.Aff2.Aff1.(RS*16 + n) (docs/protocol.md §5.3). */
	uint64_t aff = (((v >> ICC_SGIR_AFF1_SHIFT) & 0xff) << 8) |
		       (((v >> ICC_SGIR_AFF2_SHIFT) & 0xff) << 16) |
		       (((v >> ICC_SGIR_AFF3_SHIFT) & 0xff) << 32);
	unsigned rs = (v >> ICC_SGIR_RS_SHIFT) & 0xf;
	for (unsigned n = 0; n < 16; n++) {
		int t;
		if (!(ICC_SGIR_TARGETLIST(v) & (1u << n)))
			continue;
		t = gic_pe_from_affinity(g, aff | (rs * 16 + n));
		if (t >= 0 && !sim_post(g->s->k, g->cfg.sgi_delay, gic_redist_sgi_event, g,
					gic_redist_sgi_arg((unsigned)t, acc->pe, intid, grp, ns)))
			return;
	}
}

/* ---- register access ---- */

static uint8_t gic_pmr_read(const struct gic *g, const struct gic_pe *p,
			    const struct gic_icc_access *acc)
{
	uint8_t v = p->pmr;
	/* Non-secure view (QEMU icc_pmr_read): Secure values read 0, else shifted. */
	if (gic_acc_ns(g, acc)) {
		if (!(v & 0x80))
			return 0;
		if (v != 0xff)
			v = (uint8_t)(v << 1);
	}
	return v;
}

static void gic_pmr_write(struct gic *g, struct gic_pe *p, const struct gic_icc_access *acc,
			  uint64_t val)
{
	uint8_t v = val & 0xff;
	if (gic_acc_ns(g, acc)) {
		/* NS cannot change a PMR that holds a Secure value; else v -> (v >> 1) | 0x80. */
		if (!(p->pmr & 0x80))
			return;
		v = (uint8_t)((v >> 1) | 0x80);
	}
	p->pmr = v & g->prio_mask;
}

static uint64_t gic_rpr_read(const struct gic *g, const struct gic_pe *p,
			     const struct gic_icc_access *acc)
{
	unsigned rp = gic_running_prio(g, p);
	if (gic_acc_ns(g, acc) && rp != 0xff)
		rp = (rp & 0x80) ? (rp << 1) & 0xff : 0;
	return rp;
}

static uint64_t gic_bpr_read(const struct gic *g, const struct gic_pe *p,
			     const struct gic_icc_access *acc, bool grp1)
{
	if (!grp1)
		return gic_acc_ns(g, acc) ? 0 : p->bpr[GIC_G0];
	if (acc->secure && !gic_ds(g))
		return (p->ctlr_el1[BANK_S] & ICC_CTLR_EL1_CBPR) ? p->bpr[GIC_G0] : p->bpr[GIC_G1S];
	/* IHI 0069 ICC_BPR1_EL1: with CBPR set, NS reads BPR0 + 1 (saturated at 7). */
	if (p->ctlr_el1[BANK_NS] & ICC_CTLR_EL1_CBPR)
		return p->bpr[GIC_G0] + 1u > 7 ? 7 : p->bpr[GIC_G0] + 1u;
	return p->bpr[GIC_G1NS];
}

static void gic_bpr_write(const struct gic *g, struct gic_pe *p, const struct gic_icc_access *acc,
			  bool grp1, uint64_t val)
{
	unsigned v = val & 7, min = gic_min_bpr(g);
	enum gic_group grp;

	if (!grp1) {
		if (gic_acc_ns(g, acc))
			return;
		grp = GIC_G0;
	} else if (acc->secure && !gic_ds(g)) {
		if (p->ctlr_el1[BANK_S] & ICC_CTLR_EL1_CBPR)
			return;
		grp = GIC_G1S;
	} else {
		if (p->ctlr_el1[BANK_NS] & ICC_CTLR_EL1_CBPR)
			return;
		grp = GIC_G1NS;
		min++;
	}
	/* Writing less than the minimum sets the minimum (IHI 0069 ICC_BPR0_EL1). */
	p->bpr[grp] = (uint8_t)(v < min ? min : v);
}

static uint32_t gic_ctlr_ro_bits(const struct gic *g)
{
	return ((g->cfg.prio_bits - 1) << ICC_CTLR_PRIBITS_SHIFT) | ICC_CTLR_A3V | ICC_CTLR_RSS;
}

static uint64_t gic_ctlr_el3_read(const struct gic *g, const struct gic_pe *p)
{
	uint64_t v = gic_ctlr_ro_bits(g);
	if (p->ctlr_el1[BANK_S] & ICC_CTLR_EL1_CBPR)
		v |= ICC_CTLR_EL3_CBPR_EL1S;
	if (p->ctlr_el1[BANK_NS] & ICC_CTLR_EL1_CBPR)
		v |= ICC_CTLR_EL3_CBPR_EL1NS;
	if (p->eoimode_el3)
		v |= ICC_CTLR_EL3_EOIMODE_EL3;
	if (p->ctlr_el1[BANK_S] & ICC_CTLR_EL1_EOIMODE)
		v |= ICC_CTLR_EL3_EOIMODE_EL1S;
	if (p->ctlr_el1[BANK_NS] & ICC_CTLR_EL1_EOIMODE)
		v |= ICC_CTLR_EL3_EOIMODE_EL1NS;
	if (!g->cfg.security_disabled)
		v |= ICC_CTLR_EL3_NDS;
	return v;
}

static void gic_ctlr_el3_write(struct gic_pe *p, uint64_t v)
{
	/* The *_EL1S / *_EL1NS bits alias the banked ICC_CTLR_EL1 fields. */
	uint32_t s = 0, ns = 0;
	if (v & ICC_CTLR_EL3_CBPR_EL1S)
		s |= ICC_CTLR_EL1_CBPR;
	if (v & ICC_CTLR_EL3_EOIMODE_EL1S)
		s |= ICC_CTLR_EL1_EOIMODE;
	if (v & ICC_CTLR_EL3_CBPR_EL1NS)
		ns |= ICC_CTLR_EL1_CBPR;
	if (v & ICC_CTLR_EL3_EOIMODE_EL1NS)
		ns |= ICC_CTLR_EL1_EOIMODE;
	p->ctlr_el1[BANK_S] = (uint8_t)s;
	p->ctlr_el1[BANK_NS] = (uint8_t)ns;
	p->eoimode_el3 = (v & ICC_CTLR_EL3_EOIMODE_EL3) != 0;
}

static bool gic_reg_el3_only(enum gic_icc_reg reg)
{
	return reg == ICC_CTLR_EL3 || reg == ICC_IGRPEN1_EL3 || reg == ICC_SRE_EL3;
}

static void gic_set_igrpen(struct gic *g, unsigned pe, enum gic_group grp, bool on)
{
	struct gic_pe *p = &g->pe[pe];
	if (p->igrpen[grp] == on)
		return;
	p->igrpen[grp] = on;
	/* IHI 0069 ICC_IGRPEN1_EL1: clearing Enable while the HPPI is a 1-of-N
	 * interrupt makes it target another PE; enabling makes this PE eligible. */
	gic_dist_reroute_all(g);
}

int gic_icc_read(struct gic *g, const struct gic_icc_access *acc, enum gic_icc_reg reg,
		 uint64_t *val)
{
	struct gic_pe *p;
	struct gic_hppi h;

	if (acc->pe >= g->cfg.num_pes || acc->el == 0 || acc->el > 3 ||
	    (unsigned)reg >= GIC_ICC_REG_COUNT)
		return -1;
	if (gic_reg_el3_only(reg) && acc->el != 3)
		return -1;
	p = &g->pe[acc->pe];
	switch (reg) {
	case ICC_IAR0_EL1:
		*val = gic_cpuif_acknowledge(g, acc, false);
		return 0;
	case ICC_IAR1_EL1:
		*val = gic_cpuif_acknowledge(g, acc, true);
		return 0;
	case ICC_HPPIR0_EL1:
		h = gic_cpuif_hppi(p);
		*val = gic_hppir0_value(g, acc, &h);
		return 0;
	case ICC_HPPIR1_EL1:
		h = gic_cpuif_hppi(p);
		*val = gic_hppir1_value(g, acc, &h);
		return 0;
	case ICC_PMR_EL1:
		*val = gic_pmr_read(g, p, acc);
		return 0;
	case ICC_RPR_EL1:
		*val = gic_rpr_read(g, p, acc);
		return 0;
	case ICC_BPR0_EL1:
	case ICC_BPR1_EL1:
		*val = gic_bpr_read(g, p, acc, reg == ICC_BPR1_EL1);
		return 0;
	case ICC_CTLR_EL1:
		*val = p->ctlr_el1[acc->secure ? BANK_S : BANK_NS] | gic_ctlr_ro_bits(g);
		return 0;
	case ICC_CTLR_EL3:
		*val = gic_ctlr_el3_read(g, p);
		return 0;
	case ICC_IGRPEN0_EL1:
		*val = gic_acc_ns(g, acc) ? 0 : p->igrpen[GIC_G0];
		return 0;
	case ICC_IGRPEN1_EL1:
		*val = p->igrpen[acc->secure && !gic_ds(g) ? GIC_G1S : GIC_G1NS];
		return 0;
	case ICC_IGRPEN1_EL3:
		/* bit 0 EnableGrp1NS, bit 1 EnableGrp1S */
		*val = (uint64_t)p->igrpen[GIC_G1NS] | ((uint64_t)p->igrpen[GIC_G1S] << 1);
		return 0;
	case ICC_AP0R0_EL1:
		*val = gic_acc_ns(g, acc) ? 0 : p->apr[GIC_G0][0];
		return 0;
	case ICC_AP1R0_EL1:
		*val = p->apr[acc->secure && !gic_ds(g) ? GIC_G1S : GIC_G1NS][0];
		return 0;
	case ICC_SRE_EL1:
		*val = 0x7; /* SRE, DFB, DIB: system registers always on, no bypass */
		return 0;
	case ICC_SRE_EL3:
		*val = 0xf; /* and Enable: lower ELs may access ICC_SRE_EL1 */
		return 0;
	case ICC_EOIR0_EL1:
	case ICC_EOIR1_EL1:
	case ICC_DIR_EL1:
	case ICC_SGI0R_EL1:
	case ICC_SGI1R_EL1:
	case ICC_ASGI1R_EL1:
	case GIC_ICC_REG_COUNT:
		break; /* write-only */
	}
	return -1;
}

int gic_icc_write(struct gic *g, const struct gic_icc_access *acc, enum gic_icc_reg reg,
		  uint64_t val)
{
	struct gic_pe *p;
	unsigned pe = acc->pe;

	if (pe >= g->cfg.num_pes || acc->el == 0 || acc->el > 3 ||
	    (unsigned)reg >= GIC_ICC_REG_COUNT)
		return -1;
	if (gic_reg_el3_only(reg) && acc->el != 3)
		return -1;
	p = &g->pe[pe];
	switch (reg) {
	case ICC_EOIR0_EL1:
	case ICC_EOIR1_EL1:
		gic_cpuif_eoi(g, acc, reg == ICC_EOIR1_EL1, val);
		return 0;
	case ICC_DIR_EL1:
		gic_cpuif_dir(g, acc, val);
		return 0;
	case ICC_PMR_EL1:
		gic_pmr_write(g, p, acc, val);
		break;
	case ICC_BPR0_EL1:
	case ICC_BPR1_EL1:
		gic_bpr_write(g, p, acc, reg == ICC_BPR1_EL1, val);
		break;
	case ICC_CTLR_EL1: {
		/* EOImode is RW; CBPR is RO from EL1 when DS=0 (an alias of
		 * ICC_CTLR_EL3.CBPR_EL1{S,NS}; IHI 0069 ICC_CTLR_EL1, QEMU). */
		uint32_t mask = ICC_CTLR_EL1_EOIMODE | (gic_ds(g) ? ICC_CTLR_EL1_CBPR : 0);
		uint8_t *c = &p->ctlr_el1[acc->secure ? BANK_S : BANK_NS];
		*c = (uint8_t)((*c & ~mask) | ((uint32_t)val & mask));
		break;
	}
	case ICC_CTLR_EL3:
		gic_ctlr_el3_write(p, val);
		break;
	case ICC_IGRPEN0_EL1:
		if (!gic_acc_ns(g, acc))
			gic_set_igrpen(g, pe, GIC_G0, val & 1);
		break;
	case ICC_IGRPEN1_EL1:
		gic_set_igrpen(g, pe, acc->secure && !gic_ds(g) ? GIC_G1S : GIC_G1NS, val & 1);
		break;
	case ICC_IGRPEN1_EL3:
		gic_set_igrpen(g, pe, GIC_G1NS, val & 1);
		gic_set_igrpen(g, pe, GIC_G1S, (val >> 1) & 1);
		break;
	case ICC_AP0R0_EL1:
		if (!gic_acc_ns(g, acc))
			p->apr[GIC_G0][0] = (uint32_t)val;
		gic_cpuif_apr_changed(g, p);
		break;
	case ICC_AP1R0_EL1:
		p->apr[acc->secure && !gic_ds(g) ? GIC_G1S : GIC_G1NS][0] = (uint32_t)val;
		gic_cpuif_apr_changed(g, p);
		break;
	case ICC_SGI0R_EL1:
		gic_cpuif_generate_sgi(g, acc, val, GIC_G0);
		return 0;
	case ICC_SGI1R_EL1:
		/* docs/protocol.md §5.3: SGI1R from Secure -> G1S, from Non-secure -> G1NS. */
		gic_cpuif_generate_sgi(g, acc, val, acc->secure ? GIC_G1S : GIC_G1NS);
		return 0;
	case ICC_ASGI1R_EL1:
		/* ASGI1R targets the other Security state's Group 1. */
		gic_cpuif_generate_sgi(g, acc, val, acc->secure ? GIC_G1NS : GIC_G1S);
		return 0;
	case ICC_SRE_EL1:
	case ICC_SRE_EL3:
		return 0; /* WI */
	case ICC_IAR0_EL1:
	case ICC_IAR1_EL1:
	case ICC_HPPIR0_EL1:
	case ICC_HPPIR1_EL1:
	case ICC_RPR_EL1:
	case GIC_ICC_REG_COUNT:
		return -1; /* read-only */
	}
	gic_cpuif_update(g, pe);
	return 0;
}

/* ---- encodings ---- */

/* AArch64 encodings (op0 = 3), checked against QEMU hw/intc/arm_gicv3_cpuif.c's
 * register table and the Arm system register index. */
static const struct {
	uint8_t op1, crn, crm, op2;
	enum gic_icc_reg reg;
	const char *name;
} gic_icc_regs[] = {
	{ 0, 4, 6, 0, ICC_PMR_EL1, "ICC_PMR_EL1" },
	{ 0, 12, 8, 0, ICC_IAR0_EL1, "ICC_IAR0_EL1" },
	{ 0, 12, 8, 1, ICC_EOIR0_EL1, "ICC_EOIR0_EL1" },
	{ 0, 12, 8, 2, ICC_HPPIR0_EL1, "ICC_HPPIR0_EL1" },
	{ 0, 12, 8, 3, ICC_BPR0_EL1, "ICC_BPR0_EL1" },
	{ 0, 12, 8, 4, ICC_AP0R0_EL1, "ICC_AP0R0_EL1" },
	{ 0, 12, 9, 0, ICC_AP1R0_EL1, "ICC_AP1R0_EL1" },
	{ 0, 12, 11, 1, ICC_DIR_EL1, "ICC_DIR_EL1" },
	{ 0, 12, 11, 3, ICC_RPR_EL1, "ICC_RPR_EL1" },
	{ 0, 12, 11, 5, ICC_SGI1R_EL1, "ICC_SGI1R_EL1" },
	{ 0, 12, 11, 6, ICC_ASGI1R_EL1, "ICC_ASGI1R_EL1" },
	{ 0, 12, 11, 7, ICC_SGI0R_EL1, "ICC_SGI0R_EL1" },
	{ 0, 12, 12, 0, ICC_IAR1_EL1, "ICC_IAR1_EL1" },
	{ 0, 12, 12, 1, ICC_EOIR1_EL1, "ICC_EOIR1_EL1" },
	{ 0, 12, 12, 2, ICC_HPPIR1_EL1, "ICC_HPPIR1_EL1" },
	{ 0, 12, 12, 3, ICC_BPR1_EL1, "ICC_BPR1_EL1" },
	{ 0, 12, 12, 4, ICC_CTLR_EL1, "ICC_CTLR_EL1" },
	{ 0, 12, 12, 5, ICC_SRE_EL1, "ICC_SRE_EL1" },
	{ 0, 12, 12, 6, ICC_IGRPEN0_EL1, "ICC_IGRPEN0_EL1" },
	{ 0, 12, 12, 7, ICC_IGRPEN1_EL1, "ICC_IGRPEN1_EL1" },
	{ 6, 12, 12, 4, ICC_CTLR_EL3, "ICC_CTLR_EL3" },
	{ 6, 12, 12, 5, ICC_SRE_EL3, "ICC_SRE_EL3" },
	{ 6, 12, 12, 7, ICC_IGRPEN1_EL3, "ICC_IGRPEN1_EL3" },
};

int gic_icc_reg_from_encoding(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	if (op0 != 3)
		return -1;
	for (size_t i = 0; i < sizeof(gic_icc_regs) / sizeof(gic_icc_regs[0]); i++)
		if (gic_icc_regs[i].op1 == op1 && gic_icc_regs[i].crn == crn &&
		    gic_icc_regs[i].crm == crm && gic_icc_regs[i].op2 == op2)
			return (int)gic_icc_regs[i].reg;
	return -1;
}

const char *gic_icc_reg_name(enum gic_icc_reg reg)
{
	for (size_t i = 0; i < sizeof(gic_icc_regs) / sizeof(gic_icc_regs[0]); i++)
		if (gic_icc_regs[i].reg == reg)
			return gic_icc_regs[i].name;
	return "?";
}
