/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/gic/gic_internal.h: state shared by the GIC's parts. Only the GIC's
 * own sources include this; other models use gic.h.
 *
 * The split follows the architecture's seams (IHI 0069 chapter 2):
 *  - gic_common.c: construction, per-interrupt state, the per-INTID
 *    register block shared by GICD and GICR_SGI_base, trace helpers;
 *  - gic_dist.c:   the Distributor (GICD_* MMIO, SPI inputs, SPI routing,
 *                  1-of-N choice);
 *  - gic_redist.c: the Redistributors (GICR_* MMIO, PPI inputs, WAKER,
 *                  SGI acceptance, forwarding the HPPI to the CPU interface);
 *  - gic_cpuif.c:  the CPU interfaces (ICC_* registers, acknowledge, EOI,
 *                  preemption, IRQ/FIQ choice, SGI generation).
 *
 * Pending state travels Distributor/Redistributor -> CPU interface through
 * one kernel event per PE (pe->fwd_ev): it recomputes the highest-priority
 * forwardable interrupt of each group (pe->fwd[]) and then the wires. The
 * CPU interface decides from pe->fwd[] and its own registers only, so a
 * change of PMR, IGRPEN, running priority or PE state acts at once while a
 * change of pending state waits for the event.
 */
#ifndef MODELS_GIC_GIC_INTERNAL_H
#define MODELS_GIC_GIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "gic.h"

#define GIC_NUM_PRIV 32 /* SGIs + PPIs per PE */
#define GIC_NO_INTID 1023u
#define GIC_INTID_SECURE 1020u    /* IHI 0069: G1 Secure pending, seen by EL3 via IAR0/HPPIR0 */
#define GIC_INTID_NONSECURE 1021u /* IHI 0069: G1 Non-secure pending, seen by EL3 */


/* Source of a pending transition (TR_GIC_PEND.c). */
enum gic_pend_src {
	GIC_SRC_WIRE = 0,
	GIC_SRC_SW = 1,
	GIC_SRC_SGI = 2,
	GIC_SRC_ACK = 3, /* internal: acknowledge, no PEND/CLEAR record */
};

/* One interrupt's state (one INTID at one Redistributor, or one SPI). */
struct gic_irq {
	uint8_t prio;     /* stored (Secure view), low unimplemented bits zero */
	uint8_t nsacr;    /* GICD_NSACR / GICR_NSACR field, 0..3 */
	bool grp_bit;     /* IGROUPR */
	bool grpmod_bit;  /* IGRPMODR */
	bool enabled;
	bool edge;        /* ICFGR bit[2n+1]: 1 edge, 0 level */
	bool line;        /* current level of the input line */
	bool latch;       /* edge: the pending bit; level: the software-pend latch */
	bool active;
};

struct gic_spi {
	struct gic_irq st;
	uint64_t irouter; /* GICD_IROUTER<n> as written (writable bits only) */
	int target;       /* effective target PE, -1: none */
	int last;         /* 1-of-N: the PE chosen last time (round-robin), -1: none yet */
	int wake_pe;      /* 1-of-N with no eligible PE and E1NWF: PE asked to wake, or -1 */
	bool repick;      /* 1-of-N: acknowledged since the last choice; choose again */
};

/* The highest-priority forwardable interrupt of one group at one PE. */
struct gic_fwd {
	uint16_t intid; /* GIC_NO_INTID: none */
	uint8_t prio;
};

/*
 * The order and widths below leave no padding: 512 bytes on LP64, so
 * &g->pe[pe], which nearly every GIC entry point computes, is one shift.
 */
struct gic_pe {
	struct gic_irq priv[GIC_NUM_PRIV];

	/* Redistributor */
	struct sim_event fwd_ev;
	uint32_t rd_ctlr; /* GICR_CTLR: DPG bits only */
	bool sleep;       /* GICR_WAKER.ProcessorSleep (ChildrenAsleep follows it) */
	struct gic_fwd fwd[3];
	uint32_t priv_hint; /* SGIs/PPIs that may be pending (see gic.spi_hint) */

	/* CPU interface */
	uint8_t el;
	bool secure;
	uint8_t pmr;
	uint8_t bpr[3];        /* BPR0, BPR1 Secure, BPR1 Non-secure (indexed by group) */
	uint8_t ctlr_el1[2];   /* [0] Secure, [1] Non-secure: CBPR, EOImode (bits 0-1, ICC_CTLR_EL1_*) */
	bool eoimode_el3;      /* ICC_CTLR_EL3.EOImode_EL3 */
	bool igrpen[3];        /* indexed by group */
	uint32_t apr[3][4];    /* active priorities, indexed by group */
	/* the running priority from apr (0xff: none active): gic_cpuif.c keeps it */
	uint8_t rprio;

	bool want_irq, want_fiq, driving;
	struct sim_wire irq, fiq, wake;
};

/* gic.probe_fwd: the probed INTID is forwarded to the PE (TR_GIC_FWD sent); raised again since */
#define PROBE_FORWARDED 1u
#define PROBE_RERAISED 2u

struct gic {
	struct sim *s;
	struct gic_config cfg;
	uint32_t ctlr;     /* GICD_CTLR: EnableGrp0/1NS/1S, E1NWF, DS */
	unsigned prebits;  /* preemption bits: min(prio_bits, 7) */
	uint8_t prio_mask; /* implemented priority bits */
	unsigned npending;
	unsigned probe_intid;  /* gic_probe_pending: its pending state is a trace signal */
	uint8_t *probe_fwd;    /* per PE: PROBE_FORWARDED (TR_GIC_FWD sent) | PROBE_RERAISED */
	int *probe_sig;        /* per PE (SGI/PPI) or [0] (SPI); NULL: no probe */
	/*
	 * Bit per SPI that may be pending: set by gic_irq_update whenever an
	 * interrupt is pending after a change (every transition to pending goes
	 * through it), cleared lazily by the forward scan when found not
	 * pending. A superset of the pending SPIs, so the scans visit only
	 * these, in INTID order.
	 */
	uint64_t spi_hint[(988 + 63) / 64];
	/*
	 * Bit per spi_hint word that may be non-zero (set with any of its
	 * bits, cleared by the forward scan when it empties the word): the
	 * scans skip the empty words without reading them.
	 */
	uint32_t spi_hint_words;
	struct gic_spi *spi;
	struct gic_pe *pe;
};

/* gic_common.c */
static inline bool gic_ds(const struct gic *g) { return (g->ctlr & GICD_CTLR_DS) != 0; }
static inline bool gic_irq_is_pending(const struct gic_irq *st)
{
	return st->latch || (!st->edge && st->line);
}
static inline bool gic_is_spi(const struct gic *g, unsigned intid)
{
	return intid >= GIC_SPI_BASE && intid < GIC_SPI_BASE + g->cfg.num_spis;
}
/* gic_pe_from_affinity, inline for the GIC's own calls (SPI routing). */
static inline int gic_pe_of_affinity(const struct gic *g, uint64_t aff)
{
	unsigned aff0 = aff & 0xff, aff1 = (aff >> 8) & 0xff;
	unsigned aff2 = (aff >> 16) & 0xff, aff3 = (aff >> 32) & 0xff;
	unsigned pe;

	if (aff3 || aff2 || aff0 >= 16)
		return -1;
	pe = aff1 * 16 + aff0;
	return pe < g->cfg.num_pes ? (int)pe : -1;
}

static inline struct gic_irq *gic_irq_at(struct gic *g, unsigned pe, unsigned intid)
{
	if (intid < GIC_NUM_PRIV)
		return pe < g->cfg.num_pes ? &g->pe[pe].priv[intid] : NULL;
	if (gic_is_spi(g, intid))
		return &g->spi[intid - GIC_SPI_BASE].st;
	return NULL;
}

static inline enum gic_group gic_irq_group(const struct gic *g, const struct gic_irq *st)
{
	/* IHI 0069 "Interrupt grouping": IGROUPR=1 -> G1NS; IGROUPR=0 -> G0, or
	 * G1S when IGRPMODR=1. With DS=1 there is one Group 1 (IGRPMODR RAZ/WI),
	 * reported as G1NS. The reserved IGROUPR=1/IGRPMODR=1 reads as G1NS. */
	if (st->grp_bit)
		return GIC_G1NS;
	if (gic_ds(g))
		return GIC_G0;
	return st->grpmod_bit ? GIC_G1S : GIC_G0;
}

static inline bool gic_dist_group_enabled(const struct gic *g, enum gic_group grp)
{
	switch (grp) {
	case GIC_G0:
		return g->ctlr & GICD_CTLR_ENABLEGRP0;
	case GIC_G1S:
		return g->ctlr & GICD_CTLR_ENABLEGRP1S;
	case GIC_G1NS:
		return g->ctlr & GICD_CTLR_ENABLEGRP1NS;
	}
	return false;
}
/* Pending, not active, enabled, its group enabled at the Distributor. */
static inline bool gic_irq_forwardable(const struct gic *g, const struct gic_irq *st)
{
	/* An active (or active-and-pending) interrupt is not forwarded again until
	 * it is deactivated (IHI 0069 "Interrupt lifecycle"). */
	return gic_irq_is_pending(st) && !st->active && st->enabled &&
	       gic_dist_group_enabled(g, gic_irq_group(g, st));
}
/* One GIC record (world GIC): inline, so each call site's constant kind picks its sink list. */
static inline void gic_trace(struct gic *g, uint32_t kind, int cpu, uint64_t a, uint64_t b, uint64_t c)
{
	sim_trace_emit_rec(g->s->tr, sim_now(g->s->k), kind, 0, cpu, SIM_WORLD_GIC, 0, a, b, c, 0, NULL);
}
/*
 * gic_irq_update - after changing an interrupt's state: count, trace the
 * pending transition (@was -> now), re-route an SPI and schedule the
 * forward to the PE(s) concerned after cfg.pend_to_wire.
 */
void gic_irq_update(struct gic *g, unsigned pe, unsigned intid, bool was, enum gic_pend_src src);
/* Note a pending-count change and emit the gic.pending counter. */
static inline void gic_pending_note(struct gic *g, bool was, bool now)
{
	if (was == now)
		return;
	if (now)
		g->npending++;
	else
		g->npending--;
	sim_trace_emit_rec(g->s->tr, sim_now(g->s->k), TR_COUNTER, 0, -1, SIM_WORLD_GIC, 0, g->npending, 0, 0, 0,
			   "gic.pending");
}
int gic_irqregs_read(struct gic *g, unsigned pe, unsigned lo, unsigned hi, uint32_t off,
		     unsigned size, bool secure, uint64_t *val);
int gic_irqregs_write(struct gic *g, unsigned pe, unsigned lo, unsigned hi, uint32_t off,
		      unsigned size, bool secure, uint64_t val);

/* gic_dist.c */
int gic_dist_read(struct gic *g, uint32_t off, unsigned size, bool secure, uint64_t *val);
int gic_dist_write(struct gic *g, uint32_t off, unsigned size, bool secure, uint64_t val);
/* GICD_IROUTER's affinity fields: Aff3 [39:32], Aff2/Aff1/Aff0 [23:0]. */
#define GICD_IROUTER_AFF_MASK 0x000000FF00FFFFFFull
/* gic_dist_route's work, out of line: the usual call saves no registers for it. */
void gic_dist_route_spi(struct gic *g, unsigned intid);
/* Recompute an SPI's effective target (1-of-N choice); kicks PEs on a change. */
static inline void gic_dist_route(struct gic *g, unsigned intid)
{
	const struct gic_spi *sp = &g->spi[intid - GIC_SPI_BASE];

	/* a fixed target (IRM 0) that is the one chosen already, and no PE to wake: no change (most calls) */
	if (!(sp->irouter & GICD_IROUTER_IRM) && sp->wake_pe < 0 &&
	    gic_pe_of_affinity(g, sp->irouter & GICD_IROUTER_AFF_MASK) == sp->target)
		return;
	gic_dist_route_spi(g, intid);
}
/* A PE's 1-of-N eligibility may have changed: re-route every 1-of-N SPI. */
void gic_dist_reroute_all(struct gic *g);

/* gic_redist.c */
int gic_redist_read(struct gic *g, unsigned pe, uint32_t off, unsigned size, bool secure,
		    uint64_t *val);
int gic_redist_write(struct gic *g, unsigned pe, uint32_t off, unsigned size, bool secure,
		     uint64_t val);
/* Schedule the PE's forward event at now + @delay unless it is due earlier. */
static inline void gic_redist_kick(struct gic *g, unsigned pe, sim_time delay)
{
	struct gic_pe *p = &g->pe[pe];
	sim_time when = sim_now(g->s->k) + delay;

	/* One coalesced event per PE: a change inside an already-armed window rides
	 * on the earlier event, which forwards the state as it is then. */
	if (sim_event_queued(&p->fwd_ev) && p->fwd_ev.when <= when)
		return;
	sim_schedule_at(g->s->k, &p->fwd_ev, when, pe);
}
void gic_redist_kick_all(struct gic *g);
void gic_redist_forward_event(void *ctx, uint64_t pe);
/* One SGI arriving at a Redistributor (kernel event; @arg packs the request). */
void gic_redist_sgi_event(void *ctx, uint64_t arg);
uint64_t gic_redist_sgi_arg(unsigned target, unsigned sender, unsigned intid,
			    enum gic_group grp, bool ns);
/* Set/clear WakeRequest from the current state. */
void gic_redist_update_wake(struct gic *g, unsigned pe);
/* 1-of-N eligibility of @pe for @grp (GICD_IROUTER, GICR_CTLR.DPG*, ICC_IGRPEN*). */
bool gic_redist_eligible(const struct gic *g, unsigned pe, enum gic_group grp);
bool gic_redist_participates(const struct gic *g, unsigned pe, enum gic_group grp);

/* gic_cpuif.c */
/* Re-evaluate and drive the PE's IRQ/FIQ wires from pe->fwd[] and the CPU interface. */
void gic_cpuif_update(struct gic *g, unsigned pe);
/*
 * Nothing forwarded and both wires low: gic_cpuif_update would signal
 * nothing and find the wires right, whatever the CPU interface's registers
 * and the PE's state.
 */
static inline bool gic_cpuif_quiet(const struct gic_pe *p)
{
	return p->fwd[GIC_G0].intid == GIC_NO_INTID && p->fwd[GIC_G1S].intid == GIC_NO_INTID &&
	       p->fwd[GIC_G1NS].intid == GIC_NO_INTID && !p->irq.level && !p->fiq.level;
}

#endif
