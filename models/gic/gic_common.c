// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/gic/gic_common.c: construction, per-interrupt state and the
 * per-INTID register block that the Distributor and the Redistributor's
 * SGI_base frame share (IHI 0069 chapter 12: same offsets in both).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gic_internal.h"

void gic_config_default(struct gic_config *cfg, unsigned num_pes, unsigned num_spis)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->num_pes = num_pes;
	cfg->num_spis = num_spis;
	cfg->prio_bits = 5;
	cfg->security_disabled = false;
	cfg->dpgs = true;
	/* docs/calibration.md §2: SPI -> nIRQ 100 ns (A53 class, estimate); 9 GIC clocks to re-arbitrate. */
	cfg->pend_to_wire = 100 * SIM_NS;
	cfg->ack_rearb = 15 * SIM_NS;
	cfg->sgi_delay = 400 * SIM_NS;
}

static bool gic_config_ok(const struct gic_config *c)
{
	if (c->num_pes < 1 || c->num_pes > GIC_MAX_PES)
		return false;
	/* ITLinesNumber counts blocks of 32 INTIDs; 988 is the architectural maximum (INTID 1019). */
	if (c->num_spis < 32 || (c->num_spis % 32 && c->num_spis != 988) || c->num_spis > 988)
		return false;
	if (c->prio_bits < 4 || c->prio_bits > 8)
		return false;
	return true;
}

uint64_t gic_pe_affinity(unsigned pe)
{
	/* IROUTER packing: Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
	return (uint64_t)(pe % 16) | ((uint64_t)(pe / 16) << 8);
}

int gic_pe_from_affinity(const struct gic *g, uint64_t aff) { return gic_pe_of_affinity(g, aff); }

struct gic *gic_new(struct sim *s, const struct gic_config *cfg)
{
	struct gic *g;

	if (!s || !cfg || !gic_config_ok(cfg))
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->spi = calloc(cfg->num_spis, sizeof(*g->spi));
	g->pe = calloc(cfg->num_pes, sizeof(*g->pe));
	if (!g->spi || !g->pe) {
		gic_free(g);
		return NULL;
	}
	g->s = s;
	g->cfg = *cfg;
	g->prebits = cfg->prio_bits < 7 ? cfg->prio_bits : 7;
	g->prio_mask = (uint8_t)(0xffu << (8 - cfg->prio_bits));
	/* DS is fixed: RAO when security is disabled, else RAZ/WI (IHI 0069 GICD_CTLR.DS:
	 * whether DS is programmable is IMPLEMENTATION DEFINED; this model does not let
	 * software drop security at run time). */
	g->ctlr = cfg->security_disabled ? GICD_CTLR_DS : 0;

	for (unsigned i = 0; i < cfg->num_spis; i++) {
		struct gic_spi *sp = &g->spi[i];
		/* Reset: Group 0, priority 0, disabled, level-sensitive, IROUTER 0 (PE 0). */
		sp->target = gic_pe_from_affinity(g, 0);
		sp->last = -1;
		sp->wake_pe = -1;
	}
	for (unsigned p = 0; p < cfg->num_pes; p++) {
		struct gic_pe *pe = &g->pe[p];
		char scope[16];
		unsigned min_bpr = 7 - g->prebits;

		for (unsigned i = 0; i < GIC_NUM_SGI; i++)
			pe->priv[i].edge = true; /* SGIs are always edge-triggered (GICR_ICFGR0 RO) */
		/* GICR_WAKER resets with ProcessorSleep = ChildrenAsleep = 1 (IHI 0069
		 * GICR_WAKER); firmware clears it at boot, as TF-A does. */
		pe->sleep = true;
		for (unsigned gi = 0; gi < 3; gi++)
			pe->fwd[gi].intid = GIC_NO_INTID;
		sim_event_init(&pe->fwd_ev, gic_redist_forward_event, g);
		pe->el = 3;
		pe->secure = true;
		pe->pmr = 0;
		pe->rprio = 0xff; /* nothing active */
		/* BPR minimum is 7 - PREbits for BPR0 and Secure BPR1, one more for NS BPR1. */
		pe->bpr[GIC_G0] = (uint8_t)min_bpr;
		pe->bpr[GIC_G1S] = (uint8_t)min_bpr;
		pe->bpr[GIC_G1NS] = (uint8_t)(min_bpr + 1);
		snprintf(scope, sizeof(scope), "cpu%u", p);
		sim_wire_init(s, &pe->irq, scope, "irq", (int)p);
		sim_wire_init(s, &pe->fiq, scope, "fiq", (int)p);
		sim_wire_init(s, &pe->wake, scope, "wake", (int)p);
	}
	return g;
}

void gic_free(struct gic *g)
{
	if (!g)
		return;
	if (g->s && g->pe)
		for (unsigned p = 0; p < g->cfg.num_pes; p++)
			sim_cancel(g->s->k, &g->pe[p].fwd_ev);
	free(g->probe_sig);
	free(g->probe_fwd);
	free(g->spi);
	free(g->pe);
	free(g);
}

int gic_probe_pending(struct gic *g, unsigned intid)
{
	char name[32], scope[16];
	unsigned n = intid >= GIC_SPI_BASE ? 1 : g->cfg.num_pes;
	free(g->probe_sig);
	free(g->probe_fwd);
	g->probe_sig = malloc(n * sizeof(int));
	g->probe_fwd = calloc(g->cfg.num_pes, 1);
	if (!g->probe_sig || !g->probe_fwd)
		return -1;
	g->probe_intid = intid;
	snprintf(name, sizeof(name), "intid%u_pending", intid);
	for (unsigned i = 0; i < n; i++) {
		if (n == 1)
			snprintf(scope, sizeof(scope), "gic");
		else
			snprintf(scope, sizeof(scope), "cpu%u", i);
		g->probe_sig[i] = sim_trace_signal(g->s->tr, scope, name, 1);
	}
	return 0;
}

struct sim_wire *gic_irq_wire(struct gic *g, unsigned pe)
{
	assert(pe < g->cfg.num_pes);
	return &g->pe[pe].irq;
}

struct sim_wire *gic_fiq_wire(struct gic *g, unsigned pe)
{
	assert(pe < g->cfg.num_pes);
	return &g->pe[pe].fiq;
}

struct sim_wire *gic_wake_wire(struct gic *g, unsigned pe)
{
	assert(pe < g->cfg.num_pes);
	return &g->pe[pe].wake;
}

_Static_assert(sizeof(((struct gic *)0)->spi_hint) / sizeof(uint64_t) <= 32,
	       "a bit of gic.spi_hint_words per gic.spi_hint word");

void gic_irq_update(struct gic *g, unsigned pe, unsigned intid, bool was, enum gic_pend_src src)
{
	struct gic_irq *st = gic_irq_at(g, pe, intid);
	bool now = gic_irq_is_pending(st);
	int target;

	if (now) {
		if (intid >= GIC_SPI_BASE) {
			g->spi_hint[(intid - GIC_SPI_BASE) / 64] |= 1ull << ((intid - GIC_SPI_BASE) % 64);
			g->spi_hint_words |= 1u << ((intid - GIC_SPI_BASE) / 64);
		} else
			g->pe[pe].priv_hint |= 1u << intid;
	}
	if (intid >= GIC_SPI_BASE) {
		gic_dist_route(g, intid);
		target = g->spi[intid - GIC_SPI_BASE].target;
	} else {
		target = (int)pe;
	}
	if (was != now) {
		gic_pending_note(g, was, now);
		if (g->probe_sig && intid == g->probe_intid) {
			int sig = g->probe_sig[intid >= GIC_SPI_BASE ? 0 : pe];
			sim_trace_emit_rec(g->s->tr, sim_now(g->s->k), TR_WIRE, 0, target, SIM_WORLD_GIC, 0, (uint64_t)sig,
					   now, 0, 0, NULL);
		}
		if (now)
			gic_trace(g, TR_GIC_PEND, target, intid, gic_irq_group(g, st), src);
		else if (src != GIC_SRC_ACK)
			gic_trace(g, TR_GIC_CLEAR, target, intid, 0, 0);
	} else if (now && g->probe_fwd && intid == g->probe_intid && target >= 0) {
		/*
		 * Raised again while pending: no change at the GIC, but the new
		 * request is pending at the CPU interface too (after the same
		 * propagation), so its forward is recorded again (gic_redist.c)
		 */
		g->probe_fwd[target] |= PROBE_RERAISED;
	}
	if (target >= 0)
		gic_redist_kick(g, (unsigned)target, g->cfg.pend_to_wire);
}

/* ---- the per-INTID register block (GICD_* and GICR_SGI_base alike) ---- */

enum gic_bitreg { BR_IGROUPR, BR_ISENABLER, BR_ICENABLER, BR_ISPENDR, BR_ICPENDR,
		  BR_ISACTIVER, BR_ICACTIVER, BR_IGRPMODR };

static int gic_bitreg_of(uint32_t off)
{
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		return (int)((off - GICD_IGROUPR) / 0x80);
	if (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 0x80)
		return BR_IGRPMODR;
	return -1;
}

/* May an access in @secure state see/change this interrupt's bits in register @reg? */
static bool gic_bit_access(const struct gic *g, const struct gic_irq *st, int reg, bool secure,
			   bool write)
{
	if (secure || gic_ds(g))
		return reg != BR_IGRPMODR || !gic_ds(g); /* IGRPMODR RAZ/WI when DS=1 */
	/* IHI 0069 GICD_IGROUPR/IGRPMODR: RAZ/WI to Non-secure accesses when DS=0. */
	if (reg == BR_IGROUPR || reg == BR_IGRPMODR)
		return false;
	if (gic_irq_group(g, st) == GIC_G1NS)
		return true;
	/* IHI 0069 GICD_ISPENDR/ICPENDR, GICD_NSACR: NS may set pending on a Secure
	 * interrupt when NSACR >= 1, and clear it when NSACR >= 2. Otherwise the bits
	 * of Group 0 and Secure Group 1 interrupts are RAZ/WI to Non-secure accesses. */
	if (reg == BR_ISPENDR)
		return st->nsacr >= 1;
	if (reg == BR_ICPENDR)
		return st->nsacr >= (write ? 2 : 1);
	return false;
}

static bool gic_bitreg_get(const struct gic *g, const struct gic_irq *st, int reg)
{
	switch (reg) {
	case BR_IGROUPR:
		return st->grp_bit;
	case BR_ISENABLER:
	case BR_ICENABLER:
		return st->enabled;
	case BR_ISPENDR:
	case BR_ICPENDR:
		return gic_irq_is_pending(st);
	case BR_ISACTIVER:
	case BR_ICACTIVER:
		return st->active;
	case BR_IGRPMODR:
		return !gic_ds(g) && st->grpmod_bit;
	}
	return false;
}

static void gic_bitreg_set(struct gic *g, unsigned pe, unsigned intid, int reg, bool bit)
{
	struct gic_irq *st = gic_irq_at(g, pe, intid);
	bool was = gic_irq_is_pending(st);

	switch (reg) {
	case BR_IGROUPR:
		st->grp_bit = bit;
		break;
	case BR_IGRPMODR:
		st->grpmod_bit = bit;
		break;
	case BR_ISENABLER:
		if (!bit)
			return; /* writing 0 has no effect */
		st->enabled = true;
		break;
	case BR_ICENABLER:
		if (!bit)
			return;
		st->enabled = false;
		break;
	case BR_ISPENDR:
		/* IHI 0069 GICD_ISPENDR: 1 makes inactive -> pending, active -> active and
		 * pending; repeats while pending coalesce. For a level interrupt this sets
		 * the software latch, independent of the input line. */
		if (!bit)
			return;
		st->latch = true;
		gic_irq_update(g, pe, intid, was, GIC_SRC_SW);
		return;
	case BR_ICPENDR:
		/* IHI 0069 GICD_ICPENDR: for a level interrupt only the pending state that
		 * came from ISPENDR is removed; an asserted line keeps it pending. */
		if (!bit)
			return;
		st->latch = false;
		gic_irq_update(g, pe, intid, was, GIC_SRC_SW);
		return;
	case BR_ISACTIVER:
		if (!bit)
			return;
		st->active = true;
		break;
	case BR_ICACTIVER:
		if (!bit)
			return;
		st->active = false;
		break;
	}
	gic_irq_update(g, pe, intid, was, GIC_SRC_SW);
}

/* An INTID of this frame? @lo/@hi bound what the frame implements. */
static struct gic_irq *gic_frame_irq(struct gic *g, unsigned pe, unsigned lo, unsigned hi,
				     unsigned intid)
{
	return intid >= lo && intid < hi ? gic_irq_at(g, pe, intid) : NULL;
}

static uint8_t gic_prio_read(const struct gic *g, const struct gic_irq *st, bool secure)
{
	if (secure || gic_ds(g))
		return st->prio;
	if (gic_irq_group(g, st) != GIC_G1NS)
		return 0; /* Secure interrupt: RAZ/WI to NS */
	/* IHI 0069 "Non-secure accesses to register fields for interrupt priority":
	 * NS sees the G1NS priority shifted left by one. */
	return (uint8_t)(st->prio << 1);
}

static void gic_prio_write(struct gic *g, unsigned pe, unsigned intid, struct gic_irq *st,
			   bool secure, uint8_t v)
{
	if (!secure && !gic_ds(g)) {
		if (gic_irq_group(g, st) != GIC_G1NS)
			return;
		/* Non-secure view: value v is stored as (v >> 1) | 0x80. */
		v = (uint8_t)((v >> 1) | 0x80);
	}
	st->prio = v & g->prio_mask;
	gic_irq_update(g, pe, intid, gic_irq_is_pending(st), GIC_SRC_SW);
}

int gic_irqregs_read(struct gic *g, unsigned pe, unsigned lo, unsigned hi, uint32_t off,
		     unsigned size, bool secure, uint64_t *val)
{
	int reg = gic_bitreg_of(off);
	uint32_t v = 0;

	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		/* IHI 0069: IPRIORITYR is byte-accessible. */
		if (size != 1 && size != 4)
			return -1;
		for (unsigned b = 0; b < size; b++) {
			unsigned intid = off - GICD_IPRIORITYR + b;
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, intid);
			if (st)
				v |= (uint32_t)gic_prio_read(g, st, secure) << (8 * b);
		}
		*val = v;
		return 0;
	}
	if (size != 4)
		return -1;
	if (reg >= 0) {
		unsigned base = (off & 0x7f) / 4 * 32;
		for (unsigned i = 0; i < 32; i++) {
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, base + i);
			if (st && gic_bit_access(g, st, reg, secure, false) &&
			    gic_bitreg_get(g, st, reg))
				v |= 1u << i;
		}
	} else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		unsigned base = (off - GICD_ICFGR) / 4 * 16;
		for (unsigned i = 0; i < 16; i++) {
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, base + i);
			if (st && (secure || gic_ds(g) || gic_irq_group(g, st) == GIC_G1NS) &&
			    st->edge)
				v |= 2u << (2 * i);
		}
	} else if (off >= GICD_NSACR && off < GICD_NSACR + 0x100) {
		unsigned base = (off - GICD_NSACR) / 4 * 16;
		/* IHI 0069 GICD_NSACR/GICR_NSACR: Secure-only; RAZ/WI when DS=1.
		 * GICR_NSACR covers the SGIs only. */
		for (unsigned i = 0; secure && !gic_ds(g) && i < 16; i++) {
			unsigned intid = base + i;
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, intid);
			if (st && (intid >= GIC_SPI_BASE || intid < GIC_NUM_SGI))
				v |= (uint32_t)st->nsacr << (2 * i);
		}
	} else {
		return 1; /* not a per-INTID register */
	}
	*val = v;
	return 0;
}

int gic_irqregs_write(struct gic *g, unsigned pe, unsigned lo, unsigned hi, uint32_t off,
		      unsigned size, bool secure, uint64_t val)
{
	int reg = gic_bitreg_of(off);

	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400) {
		if (size != 1 && size != 4)
			return -1;
		for (unsigned b = 0; b < size; b++) {
			unsigned intid = off - GICD_IPRIORITYR + b;
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, intid);
			if (st)
				gic_prio_write(g, pe, intid, st, secure, (uint8_t)(val >> (8 * b)));
		}
		return 0;
	}
	if (size != 4)
		return -1;
	if (reg >= 0) {
		unsigned base = (off & 0x7f) / 4 * 32;
		bool set_clear = reg != BR_IGROUPR && reg != BR_IGRPMODR;
		/* writing 0 to a set/clear register does nothing: visit only its ones
		 * (in bit order, as all 32), before the (side-effect free) lookup and
		 * access check */
		for (uint32_t m = set_clear ? (uint32_t)val : UINT32_MAX; m; m &= m - 1) {
			unsigned i = (unsigned)__builtin_ctz(m);
			bool bit = (val >> i) & 1;
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, base + i);

			if (!st || !gic_bit_access(g, st, reg, secure, true))
				continue;
			if (!set_clear && bit == gic_bitreg_get(g, st, reg))
				continue;
			gic_bitreg_set(g, pe, base + i, reg, bit);
		}
	} else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
		unsigned base = (off - GICD_ICFGR) / 4 * 16;
		for (unsigned i = 0; i < 16; i++) {
			unsigned intid = base + i;
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, intid);
			bool was;
			/* SGIs are always edge-triggered: GICR_ICFGR0 is read-only. */
			if (!st || intid < GIC_NUM_SGI)
				continue;
			if (!secure && !gic_ds(g) && gic_irq_group(g, st) != GIC_G1NS)
				continue;
			was = gic_irq_is_pending(st);
			st->edge = (val >> (2 * i + 1)) & 1;
			gic_irq_update(g, pe, intid, was, GIC_SRC_SW);
		}
	} else if (off >= GICD_NSACR && off < GICD_NSACR + 0x100) {
		unsigned base = (off - GICD_NSACR) / 4 * 16;
		for (unsigned i = 0; secure && !gic_ds(g) && i < 16; i++) {
			unsigned intid = base + i;
			struct gic_irq *st = gic_frame_irq(g, pe, lo, hi, intid);
			if (st && (intid >= GIC_SPI_BASE || intid < GIC_NUM_SGI))
				st->nsacr = (val >> (2 * i)) & 3;
		}
	} else {
		return 1;
	}
	return 0;
}

/* ---- inspection ---- */

bool gic_is_pending(const struct gic *g, unsigned pe, unsigned intid)
{
	const struct gic_irq *st = gic_irq_at((struct gic *)g, pe, intid);
	return st && gic_irq_is_pending(st);
}

bool gic_is_active(const struct gic *g, unsigned pe, unsigned intid)
{
	const struct gic_irq *st = gic_irq_at((struct gic *)g, pe, intid);
	return st && st->active;
}

enum gic_group gic_get_group(const struct gic *g, unsigned pe, unsigned intid)
{
	const struct gic_irq *st = gic_irq_at((struct gic *)g, pe, intid);
	return st ? gic_irq_group(g, st) : GIC_G0;
}

int gic_spi_target(const struct gic *g, unsigned intid)
{
	if (!gic_is_spi(g, intid))
		return -1;
	return g->spi[intid - GIC_SPI_BASE].target;
}

unsigned gic_pending_count(const struct gic *g) { return g->npending; }
