// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_irq.c: Linux's GICv3 driver (irq-gic-v3.c) and generic
 * IRQ layer: gic_handle_irq, EOImode 0/1, request_threaded_irq and per-CPU
 * IRQs, affinity through GICD_IROUTER, and migration on hotplug
 * (kernel/irq/cpuhotplug.c; docs/protocol.md §5.5, §6.1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ree_internal.h"
#include "models/gic/gic.h"
#include "models/cpu/isa_rt.h"

/* The IRQ layer's own state: the descriptors and, per CPU, what is in service. */
struct ree_irqs {
	struct ree_irq irq[REE_MAX_IRQS];
	int n;                                /* descriptors ever used: irq[0..n) */
	unsigned hardirq_intid[REE_MAX_CPUS]; /* the INTID the hard handler serves */
	int intid_sig[REE_MAX_CPUS];          /* VCD: cpuN.intid, the INTID in service */
	unsigned num_spis;
};

int ree_irq_init(struct ree *r)
{
	r->irqs = calloc(1, sizeof(*r->irqs));
	if (!r->irqs)
		return -1;
	r->irqs->num_spis = 256;
	for (unsigned i = 0; i < r->cfg.num_pes; i++) {
		char scope[16];
		snprintf(scope, sizeof(scope), "cpu%u", i);
		r->irqs->intid_sig[i] = sim_trace_signal(r->sim->tr, scope, "intid", 10);
	}
	return 0;
}

void ree_irq_free(struct ree *r) { free(r->irqs); }

#define IPI_RESCHEDULE 0
#define GICD_INT_DEF_PRI 0xa0
#define DEFAULT_PMR_VALUE 0xf0

static void value_trace(struct ree *r, struct pe *pe, uint64_t intid)
{
	sim_trace_emit_rec(r->sim->tr, sim_now(r->sim->k), TR_VALUE, 0, (int32_t)pe_id(pe), SIM_WORLD_NS, 0,
			   (uint64_t)r->irqs->intid_sig[pe_id(pe)], intid, 0, 0, NULL);
}

static struct ree_irq *find_irq(struct ree *r, unsigned intid)
{
	for (int i = 0; i < r->irqs->n; i++)
		if (r->irqs->irq[i].used && r->irqs->irq[i].intid == intid)
			return &r->irqs->irq[i];
	return NULL;
}

static void irq_exit_done(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	const struct pe_frame *top = pe_top_frame(pe);
	struct pe_frame f;

	/*
	 * arm64 __el1_irq -> arm64_preempt_schedule_irq (full preemption), or the
	 * idle loop / exit_to_user_mode: only a task or idle context of the normal
	 * world that had interrupts enabled (ree_preempt_at_irq_exit decides by the
	 * preemption model)
	 */
	if (top && top->world == SIM_WORLD_NS && top->el <= 1 &&
	    (top->kind == PE_FRAME_WORK || top->kind == PE_FRAME_IDLE) && !top->mask_i &&
	    ree_preempt_at_irq_exit(r, pe, top)) {
		pe_take_frame(pe, &f);
		ree_preempt_irq(r, pe, &f);
		return;
	}
	pe_eret(pe);
}

static void irq_exit(struct ree *r, struct pe *pe)
{
	value_trace(r, pe, 0);
	pe_exec_cost(pe, SIM_COST_REE_IRQ_EXIT, "irq_exit", irq_exit_done, r);
}

static void irq_eoi_done(void *ctx, struct pe *pe) { irq_exit(ctx, pe); }

static void isa_eoi_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	(void)res;
	irq_exit(ctx, pe);
}

/*
 * irq_eoi: EOImode 0 -> EOIR (drop + deactivate); EOImode 1 -> DIR (gic_eoimode1_eoi_irq).
 * fidelity ree: isa: the guest's gic_irq_eoi (models/ree/guest/irq.c) writes it, and lasts its cycles.
 */
static void irq_eoi(struct ree *r, struct pe *pe)
{
	unsigned intid = r->irqs->hardirq_intid[pe_id(pe)];
	if (r->cfg.isa) {
		struct isa_rt_req rq = { .h = ISA_H_REE_GIC_EOI, .world = ISA_RT_REE,
					 .fn = isa_rt_sym(r->cfg.isa, ISA_IMG_REE, "gic_irq_eoi"),
					 .args = { intid }, .nargs = 1, .done = isa_eoi_done, .ctx = r };
		isa_rt_call(r->cfg.isa, pe, &rq);
		return;
	}
	if (r->cfg.eoimode) {
		pe_icc_write(pe, ICC_DIR_EL1, intid);
		pe_exec_cost_tag(pe, 0, SIM_COST_GIC_DIR, "gic eoi", irq_eoi_done, r);
	} else {
		pe_icc_write(pe, ICC_EOIR1_EL1, intid);
		pe_exec_cost_tag(pe, 0, SIM_COST_GIC_EOI, "gic eoi", irq_eoi_done, r);
	}
}

static void irq_thread_loop(struct ree_task *t, struct pe *pe);

void ree_irq_handled(struct ree *r, struct pe *pe, enum irqreturn ret)
{
	struct ree_irq *d = find_irq(r, r->irqs->hardirq_intid[pe_id(pe)]);
	/* __irq_wake_thread: test_and_set_bit(IRQTF_RUNTHREAD); a second wake coalesces */
	if (ret == IRQ_WAKE_THREAD && d && d->thread && !d->runthread) {
		d->runthread = true;
		ree_wake(r, d->thread, pe);
	}
	irq_eoi(r, pe);
}

static void irq_dispatch(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	unsigned intid = r->irqs->hardirq_intid[pe_id(pe)];
	struct ree_irq *d = find_irq(r, intid);

	if (intid < 8) { /* IPIs: the reschedule IPI only marks need_resched (already set) */
		irq_eoi(r, pe);
		return;
	}
	if (intid == r->cfg.timer_ppi) {
		if (r->ports.timer_ack)
			r->ports.timer_ack(r->ports.ctx, pe_id(pe));
		irq_eoi(r, pe);
		return;
	}
	if (d && d->handler) {
		d->count++;
		d->handler(r, d, pe);
		return;
	}
	ree_trace(r, pe, "unhandled IRQ", intid, 0);
	irq_eoi(r, pe);
}

/* The acknowledge read @iar (by the guest's gic_ack_irq, @guest: its cycles passed); then the handler. */
static void irq_ack_result(struct ree *r, struct pe *pe, uint64_t iar, bool guest)
{
	if (iar == GIC_SPURIOUS) {
		ree_trace(r, pe, "spurious GIC interrupt", iar, 0);
		irq_exit(r, pe);
		return;
	}
	r->irqs->hardirq_intid[pe_id(pe)] = (unsigned)iar;
	value_trace(r, pe, iar);
	if (ree_notif_irq(r) && iar == ree_notif_irq(r)->intid)
		sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_NOTIF,
							     .cpu = (int32_t)pe_id(pe), .world = SIM_WORLD_NS,
							     .a = NOTIF_NS_TAKEN, .b = iar });
	if (guest) { /* its cycles have passed */
		irq_dispatch(r, pe);
		return;
	}
	/* EOImode 1: gic_handle_irq drops the priority right after the acknowledge */
	if (r->cfg.eoimode) {
		pe_icc_write(pe, ICC_EOIR1_EL1, iar);
		pe_exec(pe, pe_cost(pe, SIM_COST_GIC_IAR) + pe_cost(pe, SIM_COST_GIC_EOI), "gic ack",
			irq_dispatch, r);
	} else {
		pe_exec_cost(pe, SIM_COST_GIC_IAR, "gic ack", irq_dispatch, r);
	}
}

static void isa_ack_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	/* the guest's special INTIDs (>= 1020) are the model's spurious one */
	irq_ack_result(ctx, pe, res[0] >= 1020 ? GIC_SPURIOUS : res[0], true);
}

/*
 * gic_handle_irq's acknowledge. fidelity ree: isa: the guest's gic_ack_irq (models/ree/guest/irq.c)
 * reads ICC_IAR1_EL1 (and with EOImode 1 writes EOIR1) through the PE's GIC CPU interface, and lasts
 * its cycles instead of gic.iar (+ gic.eoi).
 */
static void irq_acked(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	uint64_t iar = GIC_SPURIOUS;

	if (r->cfg.isa) {
		struct isa_rt_req rq = { .h = ISA_H_REE_GIC_ACK, .world = ISA_RT_REE,
					 .fn = isa_rt_sym(r->cfg.isa, ISA_IMG_REE, "gic_ack_irq"),
					 .nres = 1, .done = isa_ack_done, .ctx = r };
		isa_rt_call(r->cfg.isa, pe, &rq);
		return;
	}
	pe_icc_read(pe, ICC_IAR1_EL1, &iar);
	irq_ack_result(r, pe, iar, false);
}

/* The NS IRQ vector: el1_interrupt -> gic_handle_irq. */
void ree_irq_vector(void *ctx, struct pe *pe, enum pe_exc exc)
{
	(void)exc;
	pe_exec_cost(pe, SIM_COST_REE_IRQ_ENTRY, "hardirq", irq_acked, ctx);
}

/* ---- threaded handlers -------------------------------------------------------- */

static struct ree_irq *irq_of_thread(struct ree *r, const struct ree_task *t)
{
	for (int i = 0; i < r->irqs->n; i++)
		if (r->irqs->irq[i].used && r->irqs->irq[i].thread == t)
			return &r->irqs->irq[i];
	return NULL;
}

/* irq_thread: irq_wait_for_interrupt clears IRQTF_RUNTHREAD before the handler runs. */
static void irq_thread_loop(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct ree_irq *d = irq_of_thread(r, t);
	if (!d->runthread) {
		ree_block(r, pe, irq_thread_loop);
		return;
	}
	d->runthread = false;
	d->thread_fn(t, pe);
}

void ree_irq_thread_done(struct ree_task *t, struct pe *pe) { ree_yield(t->r, pe, irq_thread_loop); }

struct ree_irq *ree_request_irq(struct ree *r, unsigned intid, bool percpu, bool level,
				ree_irq_handler h, ree_task_fn thread_fn, const char *name)
{
	for (int i = 0; i < REE_MAX_IRQS; i++) {
		struct ree_irq *d = &r->irqs->irq[i];
		if (d->used)
			continue;
		memset(d, 0, sizeof(*d));
		d->used = true;
		if (i >= r->irqs->n)
			r->irqs->n = i + 1;
		d->intid = intid;
		d->percpu = percpu;
		d->level = level;
		d->handler = h;
		d->thread_fn = thread_fn;
		d->name = name;
		d->affinity = -1;
		d->effective = 0;
		if (thread_fn) {
			char tname[32];
			snprintf(tname, sizeof(tname), "irq/%u-%.8s", intid, name);
			d->thread = ree_task_new(r, tname, 0, PRIO_FIFO, REE_KTHREAD, irq_thread_loop);
		}
		return d;
	}
	return NULL;
}

static void dist_w(struct pe *pe, struct ree *r, uint64_t off, unsigned size, uint64_t v)
{
	pe_mmio_write(pe, r->cfg.gicd_base + off, size, v);
}

/* gic_set_affinity: mask, write IROUTER to one online CPU, unmask. */
void ree_irq_set_affinity(struct ree *r, struct pe *pe, struct ree_irq *d, int cpu)
{
	unsigned id = d->intid;
	uint64_t route = r->cfg.spi_1ofn ? GICD_IROUTER_IRM : pe_mpidr((unsigned)cpu);
	bool en = d->enabled_mask & 1;
	if (en) {
		dist_w(pe, r, GICD_ICENABLER + 4 * (id / 32), 4, 1ull << (id % 32));
		pe_charge(pe, SIM_COST_GIC_MMIO);
	}
	dist_w(pe, r, GICD_IROUTER + 8 * id, 8, route);
	pe_charge(pe, SIM_COST_GIC_MMIO);
	if (en) {
		dist_w(pe, r, GICD_ISENABLER + 4 * (id / 32), 4, 1ull << (id % 32));
		pe_charge(pe, SIM_COST_GIC_MMIO);
	}
	d->effective = cpu;
	if (d->thread)
		d->thread->bound = cpu; /* irq_thread_check_affinity */
	ree_trace(r, pe, "irq affinity", id, (uint64_t)cpu);
}

/* irq_startup for an SPI: trigger type from the DT (gic_set_type), affinity, enable. */
void ree_irq_enable(struct ree *r, struct pe *pe, struct ree_irq *d)
{
	unsigned id = d->intid;
	uint64_t v;
	pe_mmio_read(pe, r->cfg.gicd_base + GICD_ICFGR + 4 * (id / 16), 4, &v);
	v &= ~(2ull << (2 * (id % 16)));
	if (!d->level)
		v |= 2ull << (2 * (id % 16));
	dist_w(pe, r, GICD_ICFGR + 4 * (id / 16), 4, v);
	d->enabled_mask = 1;
	ree_irq_set_affinity(r, pe, d, d->effective);
}

/* enable_percpu_irq / disable_percpu_irq on the calling CPU's Redistributor. */
void ree_percpu_irq_enable(struct ree *r, struct pe *pe, struct ree_irq *d, bool on)
{
	uint64_t rd = r->cfg.gicr_base + (uint64_t)pe_id(pe) * GICR_STRIDE + GICR_SGI_OFFSET;
	if (on && d->intid >= 16) {
		uint64_t v;
		pe_mmio_read(pe, rd + GICR_ICFGR1, 4, &v);
		v &= ~(2ull << (2 * (d->intid - 16)));
		if (!d->level)
			v |= 2ull << (2 * (d->intid - 16));
		pe_mmio_write(pe, rd + GICR_ICFGR1, 4, v);
		pe_charge(pe, SIM_COST_GIC_MMIO);
		pe_charge(pe, SIM_COST_GIC_MMIO);
	}
	pe_mmio_write(pe, rd + (on ? GICR_ISENABLER0 : GICR_ICENABLER0), 4, 1ull << d->intid);
	pe_charge(pe, SIM_COST_GIC_MMIO);
	if (on)
		d->enabled_mask |= 1ull << pe_id(pe);
	else
		d->enabled_mask &= ~(1ull << pe_id(pe));
	ree_trace(r, pe, on ? "enable_percpu_irq" : "disable_percpu_irq", d->intid, pe_id(pe));
}

/* gic_dist_init from the Non-secure side. Returns the number of accesses. */
unsigned ree_gic_dist_init(struct ree *r, struct pe *pe)
{
	unsigned n = 0, nspi = r->irqs->num_spis;
	dist_w(pe, r, GICD_CTLR, 4, 0), n++;
	for (unsigned i = 32; i < 32 + nspi; i += 16)
		dist_w(pe, r, GICD_ICFGR + i / 4, 4, 0), n++;
	for (unsigned i = 32; i < 32 + nspi; i += 4)
		dist_w(pe, r, GICD_IPRIORITYR + i, 4, 0x01010101u * GICD_INT_DEF_PRI), n++;
	for (unsigned i = 32; i < 32 + nspi; i += 32)
		dist_w(pe, r, GICD_ICENABLER + i / 8, 4, 0xffffffff), n++;
	for (unsigned i = 32; i < 32 + nspi; i++)
		dist_w(pe, r, GICD_IROUTER + 8 * i, 8, pe_mpidr(pe_id(pe))), n++;
	/* Non-secure view: ARE_NS (bit 4) and EnableGrp1A (bit 1) */
	dist_w(pe, r, GICD_CTLR, 4, (1u << 4) | (1u << 1)), n++;
	return n;
}

/* gic_cpu_init + gic_cpu_sys_reg_init on the calling CPU. Returns accesses. */
unsigned ree_gic_cpu_init(struct ree *r, struct pe *pe)
{
	uint64_t rd = r->cfg.gicr_base + (uint64_t)pe_id(pe) * GICR_STRIDE;
	pe_mmio_write(pe, rd + GICR_WAKER, 4, 0); /* RAZ/WI from NS when DS == 0 */
	pe_mmio_write(pe, rd + GICR_SGI_OFFSET + GICR_ICENABLER0, 4, 0xffff0000u);
	for (unsigned i = 0; i < 32; i += 4)
		pe_mmio_write(pe, rd + GICR_SGI_OFFSET + GICR_IPRIORITYR + i, 4, 0x01010101u * GICD_INT_DEF_PRI);
	pe_mmio_write(pe, rd + GICR_SGI_OFFSET + GICR_ISENABLER0, 4, 0xff); /* IPIs 0-7 */
	pe_icc_write(pe, ICC_PMR_EL1, DEFAULT_PMR_VALUE);
	pe_icc_write(pe, ICC_BPR1_EL1, 0);
	pe_icc_write(pe, ICC_CTLR_EL1, r->cfg.eoimode ? ICC_CTLR_EL1_EOIMODE : 0);
	pe_icc_write(pe, ICC_IGRPEN1_EL1, 1);
	return 16;
}

/* migrate_one_irq for every SPI whose effective affinity is the dying CPU. */
void ree_migrate_irqs(struct ree *r, struct pe *pe, unsigned dying)
{
	for (int i = 0; i < r->irqs->n; i++) {
		struct ree_irq *d = &r->irqs->irq[i];
		int target = -1;
		if (!d->used || d->percpu || !(d->enabled_mask & 1) || d->effective != (int)dying)
			continue;
		if (d->affinity >= 0 && d->affinity != (int)dying && r->cpu[d->affinity].online)
			target = d->affinity;
		if (target < 0) {
			if (d->affinity == (int)dying)
				ree_trace(r, pe, "IRQ no longer affine", d->intid, dying);
			d->affinity = -1; /* the mask becomes cpu_online_mask and is not restored */
			for (unsigned c = 0; c < r->cfg.num_pes; c++)
				if (c != dying && r->cpu[c].online) {
					target = (int)c;
					break;
				}
		}
		if (target >= 0)
			ree_irq_set_affinity(r, pe, d, target);
	}
}

/* smp_send_reschedule: SGI 0 through ICC_SGI1R_EL1 (gic_send_sgi). */
void ree_send_ipi(struct ree *r, struct pe *from, unsigned cpu)
{
	uint64_t aff = pe_mpidr(cpu);
	/* INTID IPI_RESCHEDULE (0) in [27:24], Aff1, one bit of TargetList */
	uint64_t v = (((aff >> 8) & 0xff) << ICC_SGIR_AFF1_SHIFT) | (1ull << (aff & 0xf));
	(void)r;
	pe_icc_write(from, ICC_SGI1R_EL1, v);
	pe_charge(from, SIM_COST_GIC_SYSREG);
}
