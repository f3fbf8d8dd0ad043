// SPDX-License-Identifier: BSD-3-Clause
/* sim/platform.c: build, wire and drive the models (see platform.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/platform.h"
#include "sim/platform_limits.h"
#include "sim/replay.h"
#include "sim/kernel/units.h"
#include "models/cpu/isa_rt.h"
#include "models/cpu/pe.h"
#include "sim/platform_isa.h"
#include "models/dev/secure_src.h"
#include "models/gic/gic.h"
#include "models/monitor/monitor.h"
#include "models/ree/ree.h"
#include "models/tee/tee.h"
#include "sim/kernel/err.h"

#define TIMER_PPI PLATFORM_TIMER_PPI

/* ---- port glue: the PE's ports are the GIC's CPU interface and the bus ------------------ */

static void port_state(void *ctx, unsigned pe, unsigned el, bool secure)
{
	struct platform *p = ctx;
	gic_pe_state(p->gic, pe, el, secure);
}

static int port_icc_read(void *ctx, unsigned pe, unsigned el, bool secure, int reg, uint64_t *val)
{
	struct platform *p = ctx;
	struct gic_icc_access a = { pe, el, secure };
	return gic_icc_read(p->gic, &a, (enum gic_icc_reg)reg, val);
}

static int port_icc_write(void *ctx, unsigned pe, unsigned el, bool secure, int reg, uint64_t val)
{
	struct platform *p = ctx;
	struct gic_icc_access a = { pe, el, secure };
	return gic_icc_write(p->gic, &a, (enum gic_icc_reg)reg, val);
}

static int port_mmio_read(void *ctx, unsigned pe, unsigned el, bool secure, uint64_t addr, unsigned size,
			  uint64_t *val)
{
	struct platform *p = ctx;
	struct sim_bus_access a = { (int)pe, el, secure };
	return sim_bus_read(p->bus, &a, addr, size, val);
}

static int port_mmio_write(void *ctx, unsigned pe, unsigned el, bool secure, uint64_t addr, unsigned size,
			   uint64_t val)
{
	struct platform *p = ctx;
	struct sim_bus_access a = { (int)pe, el, secure };
	return sim_bus_write(p->bus, &a, addr, size, val);
}

/* ---- the device tree ---------------------------------------------------------------- */

int platform_dtb(const struct scenario *sc, void **blob, size_t *len, char *err, size_t errlen)
{
	const struct scenario_transport_cfg *t = &sc->transport;
	struct dt_build_cfg c = { 0 };
	int n;

	if (sc->platform.dts[0]) {
		/* a compiled DTB is read as it is; a DTS goes through cpp and dtc */
		int rc = dt_load_blob(sc->platform.dts, blob, len, err, errlen);
		if (rc)
			return rc < 0 ? -1 : 0;
		return dt_compile(sc->platform.dts, blob, len, err, errlen);
	}
	c.cpus = sc->platform.cpus;
	c.cpu_compatible = sc->platform.costs.preset == SIM_PRESET_A72 ? "arm,cortex-a72" : "arm,cortex-a53";
	c.optee = true;
	/* OP-TEE's add_optee_dt_node: SPI or PPI; an SGI cannot be named in the 3-cell binding */
	switch (t->kind) {
	case SCENARIO_SPI:
		c.notif_type = 0, c.notif_number = t->intid - 32;
		break;
	case SCENARIO_PPI:
		c.notif_type = 1, c.notif_number = t->intid - 16;
		break;
	default:
		c.notif_type = -1;
		break;
	}
	c.notif_flags = t->trigger == SCENARIO_LEVEL ? DT_IRQ_TYPE_LEVEL_HIGH : DT_IRQ_TYPE_EDGE_RISING;
	/* the secure sources' register frames, one 4 KiB frame each from QEMU virt's secure UART up */
	struct dt_secure_src src[DT_MAX_SECURE_SRC];
	bool level[DT_MAX_SECURE_SRC];
	for (unsigned i = 0; i < sc->n_sources && c.nsrc < DT_MAX_SECURE_SRC; i++) {
		const struct scenario_source *s = &sc->sources[i];
		src[c.nsrc] = (struct dt_secure_src){ "", DT_SECURE_SRC_BASE + i * DT_SECURE_SRC_STRIDE,
						      DEV_SRC_FRAME_SIZE, (int)s->intid, s->world == SCENARIO_NORMAL };
		snprintf(src[c.nsrc].name, sizeof(src[c.nsrc].name), "%s", s->name);
		level[c.nsrc++] = s->trigger == SCENARIO_LEVEL;
	}
	c.src = src;
	c.src_level = level;
	*len = 4096 + 256 * c.cpus + 256 * c.nsrc;
	*blob = malloc(*len);
	if (!*blob) {
		return sim_fail(err, errlen, "out of memory");
	}
	n = dt_build_default(&c, *blob, *len);
	if (n < 0) {
		free(*blob);
		*blob = NULL;
		return sim_fail(err, errlen, "cannot build the built-in device tree");
	}
	*len = (size_t)n;
	return 0;
}

/* The frame of source @i: where the device tree puts it, or the built-in platform's place. */
static uint64_t source_base(const struct platform *p, unsigned i)
{
	const struct dt_secure_src *d = dt_secure_src_find(&p->dt, p->sc->sources[i].name);
	return d ? d->base : DT_SECURE_SRC_BASE + i * DT_SECURE_SRC_STRIDE;
}

/* ---- timeline ----------------------------------------------------------------------- */

static void timer_fire(void *ctx, uint64_t cpu)
{
	struct platform *p = ctx;
	sim_wire_set(&p->sim, &p->timer[cpu], 1);
	/* a timer-only wake source: the power controller hears the timer itself */
	mon_wake(p->mon, (unsigned)cpu);
}

static void timer_ack(void *ctx, unsigned cpu)
{
	struct platform *p = ctx;
	sim_wire_set(&p->sim, &p->timer[cpu], 0);
}

static void timeline_step(void *ctx, uint64_t arg)
{
	struct platform *p = ctx;
	const struct scenario *sc = p->sc;
	(void)arg;
	while (p->tl_next < sc->n_timeline && p->boot_time + sc->timeline[p->tl_next].at <= sim_now(p->sim.k)) {
		const struct scenario_event *e = &sc->timeline[p->tl_next++];
		if (p->stopped)
			continue;
		switch (e->action) {
		case SCENARIO_CPU_OFF:
			ree_cpu_down(p->ree, e->cpu);
			break;
		case SCENARIO_CPU_ON:
			ree_cpu_up(p->ree, e->cpu);
			break;
		case SCENARIO_SUSPEND:
			/*
			 * a refused request changes nothing: its wake mode set anyway once turned
			 * a running `wake: interrupt` suspend into one waiting for a timer that had
			 * fired already, and the CPU slept to the end of the run
			 */
			if (ree_cpu_suspend(p->ree, e->cpu) == 0) {
				mon_set_wake_on_irq(p->mon, e->cpu, e->wake == SCENARIO_WAKE_INTERRUPT);
				sim_schedule(p->sim.k, &p->timer_ev[e->cpu], e->duration, e->cpu);
			}
			break;
		case SCENARIO_STORM:
			if (p->src[e->source])
				dev_src_storm(p->src[e->source], e->rate_hz, e->duration);
			break;
		case SCENARIO_MASK_WINDOW:
			ree_mask_window(p->ree, e->cpu, e->world == SCENARIO_SECURE, e->duration);
			break;
		case SCENARIO_LOAD:
			ree_workload_rate(p->ree, (int)e->workload, e->rate_hz);
			break;
		}
	}
	if (p->tl_next < sc->n_timeline)
		sim_schedule_at(p->sim.k, &p->tl_ev, p->boot_time + sc->timeline[p->tl_next].at, 0);
}

static void booted(void *ctx)
{
	struct platform *p = ctx;
	p->booted = true;
	p->boot_time = sim_now(p->sim.k);
	sim_trace_emit(p->sim.tr, &(struct sim_rec){ .t = p->boot_time, .kind = TR_EVENT, .cpu = -1,
						    .label = "scenario start" });
	for (unsigned i = 0; i < p->sc->n_sources; i++)
		if (p->src[i])
			dev_src_start(p->src[i]);
	ree_workloads_start(p->ree);
	if (p->sc->n_timeline)
		sim_schedule_at(p->sim.k, &p->tl_ev, p->boot_time + p->sc->timeline[0].at, 0);
}

/* ---- build ---------------------------------------------------------------------------- */

static uint64_t cpu_mask_all(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

int platform_build(struct platform *p, const struct scenario *sc, enum sim_backend backend, char *err,
		   size_t errlen)
{
	const struct scenario_transport_cfg *tr = &sc->transport;
	struct gic_config gc;
	struct mon_config mc = { 0 };
	struct tee_config tc = { 0 };
	struct ree_config rc = { 0 };
	struct ree_ports rp = { 0 };
	int tee_dev[SCENARIO_MAX_SOURCES]; /* each secure source's OP-TEE driver (tee_add_device), -1 for normal ones */
	char derr[512];

	memset(p, 0, sizeof(*p));
	p->sc = sc;
	if (platform_dtb(sc, &p->dtb, &p->dtb_len, derr, sizeof(derr)) != 0) {
		return sim_fail(err, errlen, "%s", derr);
	}
	if (dt_parse_blob(p->dtb, p->dtb_len, &p->dt, derr, sizeof(derr)) != 0) {
		snprintf(err, errlen, "%s: %s", sc->platform.dts[0] ? sc->platform.dts : "built-in device tree", derr);
		platform_free(p);
		return -1;
	}
	{
		/* what the scenario asks of the platform, before any model is made (platform_limits.h) */
		struct sim_diag d;
		if (platform_check(sc, &p->dt, &d) != 0) {
			snprintf(err, errlen, "%s", d.msg);
			platform_free(p);
			return -1;
		}
	}
	for (unsigned i = 0; i < sc->n_sources; i++)
		if (sc->sources[i].arrival == SCENARIO_REPLAY) {
			if (replay_load(sc->sources[i].replay, &p->replay[i], &p->n_replay[i], err, errlen) != 0) {
				platform_free(p);
				return -1;
			}
		}
	if (sim_init(&p->sim, backend, sc->seed) != 0) {
		snprintf(err, errlen, backend == SIM_BACKEND_SYSTEMC
					      ? "the SystemC kernel is not available (one elaboration per process)"
					      : "out of memory");
		platform_free(p);
		return -1;
	}
	p->ncpus = p->dt.cpus;
	/* the interrupt Linux learns from the DT; the SGI transport is discovered by a fast call */
	p->notif_intid = tr->kind == SCENARIO_SPI || tr->kind == SCENARIO_PPI ? p->dt.notif_intid : (int)tr->intid;

	gic_config_default(&gc, p->ncpus, PLATFORM_GIC_SPIS);
	gc.prio_bits = sc->platform.prio_bits ? sc->platform.prio_bits : 5;
	gc.pend_to_wire = sim_cost_sample(&sc->platform.costs.c[SIM_COST_GIC_PEND_TO_WIRE], NULL, &sc->platform.costs.clock);
	gc.ack_rearb = sim_cost_sample(&sc->platform.costs.c[SIM_COST_GIC_ACK_REARB], NULL, &sc->platform.costs.clock);
	gc.sgi_delay = sim_cost_sample(&sc->platform.costs.c[SIM_COST_GIC_SGI_DELAY], NULL, &sc->platform.costs.clock);
	p->gic = gic_new(&p->sim, &gc);
	p->bus = sim_bus_new(&p->sim);
	p->shm = sim_shm_new();
	if (!p->gic || !p->bus || !p->shm) {
		snprintf(err, errlen, "cannot build the GIC");
		platform_free(p);
		return -1;
	}
	/* the address map, from the device tree's reg properties */
	if (gic_map(p->gic, p->bus, p->dt.gicd_base, p->dt.gicr_base) != 0) {
		snprintf(err, errlen, "%s: the GIC's frames (GICD 0x%llx, GICR 0x%llx) are misaligned or overlap",
			 sc->platform.dts[0] ? sc->platform.dts : "built-in device tree",
			 (unsigned long long)p->dt.gicd_base, (unsigned long long)p->dt.gicr_base);
		platform_free(p);
		return -1;
	}
	if (p->notif_intid >= 0)
		if (gic_probe_pending(p->gic, (unsigned)p->notif_intid) != 0) {
			snprintf(err, errlen, "out of memory");
			platform_free(p);
			return -1;
		}
	for (unsigned i = 0; i < p->ncpus; i++) {
		char scope[16];
		p->pe[i] = pe_new(&p->sim, i, &sc->platform.costs);
		if (!p->pe[i]) {
			snprintf(err, errlen, "out of memory");
			platform_free(p);
			return -1;
		}
		pe_set_ports(p->pe[i], &(struct pe_ports){ p, port_state, port_icc_read, port_icc_write,
							   port_mmio_read, port_mmio_write });
		sim_wire_connect(gic_irq_wire(p->gic, i), pe_irq_input, p->pe[i], 0);
		sim_wire_connect(gic_fiq_wire(p->gic, i), pe_fiq_input, p->pe[i], 0);
		snprintf(scope, sizeof(scope), "cpu%u", i);
		sim_wire_init(&p->sim, &p->timer[i], scope, "timer", (int)i);
		sim_wire_connect(&p->timer[i], gic_ppi_input, p->gic, i * 32 + TIMER_PPI);
		sim_event_init(&p->timer_ev[i], timer_fire, p);
	}
	/* TF-A: the platform's secure interrupts (plat interrupt props) */
	mc.gicd_base = p->dt.gicd_base;
	mc.gicr_base = p->dt.gicr_base;
	mc.num_spis = PLATFORM_GIC_SPIS;
	for (unsigned i = 0; i < sc->n_sources && mc.n_sirq < MON_MAX_SECURE_IRQS; i++) {
		const struct scenario_source *s = &sc->sources[i];
		if (s->world != SCENARIO_SECURE)
			continue;
		mc.sirq[mc.n_sirq++] = (struct mon_secure_irq){ s->intid, s->trigger == SCENARIO_LEVEL, s->cpu, 0x10 };
	}
	if (sc->fidelity[SCENARIO_FID_MONITOR] == SCENARIO_FIDELITY_ISA ||
	    sc->fidelity[SCENARIO_FID_TEE] == SCENARIO_FIDELITY_ISA ||
	    sc->fidelity[SCENARIO_FID_REE] == SCENARIO_FIDELITY_ISA) {
		if (platform_isa(p, sc, err, errlen) != 0) {
			platform_free(p);
			return -1;
		}
	}
	mc.isa = sc->fidelity[SCENARIO_FID_MONITOR] == SCENARIO_FIDELITY_ISA ? p->isa : NULL;
	/*
	 * Guest code runs up to the kernel's next event (models/cpu/isa_rt.h), so the events there
	 * are part of its timing: with guest code in any world, the legs as they always were.
	 */
	mc.el3_legs = sc->el3_legs || p->isa;
	p->mon = mon_new(&p->sim, p->pe, p->ncpus, &mc);
	if (!p->mon) {
		snprintf(err, errlen, "out of memory");
		platform_free(p);
		return -1;
	}
	for (unsigned i = 0; i < p->ncpus; i++)
		sim_wire_connect(gic_wake_wire(p->gic, i), mon_wake_input, p->mon, i);

	tc.isa = sc->fidelity[SCENARIO_FID_TEE] == SCENARIO_FIDELITY_ISA ? p->isa : NULL;
	tc.num_pes = p->ncpus;
	tc.threads = sc->tee_threads;
	tc.async_notif = sc->tee_async_notif;
	tc.transport = (enum tee_transport_kind)tr->kind;
	tc.intid = tr->intid;
	tc.level = tr->trigger == SCENARIO_LEVEL;
	tc.sgi_target = (enum tee_sgi_target)tr->target;
	tc.sgi_cpus = tr->target_cpus;
	tc.spmc = tr->spmc == SCENARIO_SPMC_S_EL2 ? TEE_SPMC_SEL2 : TEE_SPMC_SEL1;
	tc.ppi_raise_upstream = tr->kind == SCENARIO_PPI && tr->raise == SCENARIO_RAISE_UPSTREAM;
	tc.raise_when_empty = sc->tee_notif_raise == SCENARIO_RAISE_WHEN_EMPTY;
	tc.gicd_base = p->dt.gicd_base;
	tc.gicr_base = p->dt.gicr_base;
	tc.shm = p->shm;
	p->tee = tee_new(&p->sim, &tc, p->pe);
	if (!p->tee) {
		snprintf(err, errlen, "cannot build the OP-TEE model");
		platform_free(p);
		return -1;
	}
	tee_attach(p->tee, p->mon);
	if (tr->kind == SCENARIO_FFA && tee_ffa_attach(p->tee, p->mon) != 0) {
		snprintf(err, errlen, "cannot build the OP-TEE model's FF-A state: out of memory");
		platform_free(p);
		return -1;
	}
	sim_wire_connect(tee_doorbell_wire(p->tee), gic_spi_input, p->gic, tr->intid);
	for (unsigned i = 0; i < sc->n_sources; i++) {
		const struct scenario_source *s = &sc->sources[i];
		struct dev_src_config hw = { 0 };
		struct tee_device_config drv = { 0 };
		uint64_t base = source_base(p, i);
		/* the device: its arrival process, its line to the GIC, its frame on the bus */
		snprintf(hw.name, sizeof(hw.name), "%s", s->name);
		hw.kind = (enum dev_src_kind)s->kind;
		hw.arrival = (enum dev_src_arrival)s->arrival;
		hw.period = s->arrival == SCENARIO_BURST ? s->burst_every : s->period;
		hw.rate_hz = s->rate_hz;
		hw.burst_count = s->burst_count;
		hw.burst_spacing = s->burst_spacing;
		hw.replay = p->replay[i];
		hw.n_replay = p->n_replay[i];
		hw.fifo = s->fifo;
		hw.normal_world = s->world == SCENARIO_NORMAL;
		p->src[i] = dev_src_new(&p->sim, &hw, (int)i);
		if (!p->src[i] || dev_src_map(p->src[i], p->bus, base) != 0) {
			snprintf(err, errlen, "%s: source %s: its register frame at 0x%llx overlaps another device",
				 sc->platform.dts[0] ? sc->platform.dts : "built-in device tree", s->name,
				 (unsigned long long)base);
			platform_free(p);
			return -1;
		}
		sim_wire_connect(dev_src_line(p->src[i]), gic_spi_input, p->gic, s->intid);
		tee_dev[i] = -1;
		if (s->world == SCENARIO_NORMAL)
			continue; /* Linux drives it (added with the Linux model below) */
		/* its OP-TEE driver */
		snprintf(drv.name, sizeof(drv.name), "%s", s->name);
		drv.kind = (enum tee_dev_kind)s->kind;
		drv.intid = s->intid;
		drv.base = base;
		drv.top_half = s->top_half;
		drv.bottom_half = s->bottom_half;
		drv.per_item = s->per_item;
		drv.notify_value = s->notify == SCENARIO_NOTIFY_VALUE;
		if ((tee_dev[i] = tee_add_device(p->tee, &drv)) < 0) {
			snprintf(err, errlen, "OP-TEE: more than %d secure devices", TEE_MAX_DEVICES);
			platform_free(p);
			return -1;
		}
	}

	rc.num_pes = p->ncpus;
	rc.eoimode = sc->ree_eoimode;
	rc.irq_affinity = sc->ree_irq_affinity < p->ncpus ? sc->ree_irq_affinity : 0;
	rc.gicd_base = p->dt.gicd_base;
	rc.gicr_base = p->dt.gicr_base;
	rc.optee_present = p->dt.optee;
	rc.method_smc = p->dt.optee_method_smc;
	rc.notif_intid = p->dt.notif_intid;
	rc.notif_percpu = p->dt.notif_percpu;
	rc.notif_level = p->dt.notif_level;
	rc.spi_1ofn = tr->kind == SCENARIO_SPI && tr->routing == SCENARIO_ROUTE_1_OF_N;
	rc.abi = tr->kind == SCENARIO_FFA ? REE_ABI_FFA : REE_ABI_SMC;
	rc.ffa_bh_inline = tr->ffa_bottom_half == SCENARIO_FFA_BH_INLINE;
	rc.preempt = sc->ree_preempt == SCENARIO_PREEMPT_NONE        ? REE_PREEMPT_NONE
		     : sc->ree_preempt == SCENARIO_PREEMPT_VOLUNTARY ? REE_PREEMPT_VOLUNTARY
								     : REE_PREEMPT_FULL;
	rc.fair = sc->ree_scheduler == SCENARIO_SCHED_CFS ? REE_SCHED_CFS : REE_SCHED_EEVDF;
	rc.cq_ethread_limit = sc->ree_call_queue == SCENARIO_CQ_ETHREAD_LIMIT;
	rc.timer_ppi = TIMER_PPI;
	rc.drain_once = sc->ree_notif_drain == SCENARIO_DRAIN_ONCE;
	rc.pcpu_disable_late = sc->ree_pcpu_disable == SCENARIO_PCPU_DISABLE_AFTER_OFFLINE;
	rc.shm = p->shm;
	rc.isa = sc->fidelity[SCENARIO_FID_REE] == SCENARIO_FIDELITY_ISA ? p->isa : NULL;
	rp.ctx = p;
	rp.timer_ack = timer_ack;
	rp.booted = booted;
	p->ree = ree_new(&p->sim, &rc, p->pe, &rp);
	if (!p->ree) {
		snprintf(err, errlen, "cannot build the Linux model");
		platform_free(p);
		return -1;
	}
	ree_attach(p->ree, p->mon);
	for (unsigned i = 0; i < sc->n_sources; i++) {
		const struct scenario_source *s = &sc->sources[i];
		struct ree_device_config dc = { 0 };
		if (s->world != SCENARIO_NORMAL)
			continue;
		snprintf(dc.name, sizeof(dc.name), "%s", s->name);
		dc.kind = (enum ree_dev_kind)s->kind;
		dc.intid = s->intid;
		dc.level = s->trigger == SCENARIO_LEVEL;
		dc.cpu = s->cpu < p->ncpus ? s->cpu : 0;
		dc.base = source_base(p, i);
		dc.top_half = s->top_half;
		dc.bottom_half = s->bottom_half;
		dc.per_item = s->per_item;
		if (ree_add_device(p->ree, &dc) < 0) {
			snprintf(err, errlen, "Linux: more than %d normal-world devices", REE_MAX_DEVICES);
			platform_free(p);
			return -1;
		}
	}
	p->stats = stats_new(p->ncpus, p->notif_intid);
	if (!p->stats || stats_attach(p->stats, p->sim.tr) != 0) {
		snprintf(err, errlen, "out of memory");
		platform_free(p);
		return -1;
	}
	for (unsigned i = 0; i < sc->n_workloads; i++) {
		const struct scenario_workload *w = &sc->workloads[i];
		uint64_t cpus = w->cpus & cpu_mask_all(p->ncpus);
		unsigned wait_dev = w->wait_for >= 0 ? (unsigned)tee_dev[w->wait_for] + 1 : 0;
		int wl = w->kind == SCENARIO_TA_INVOKE
				 ? ree_add_ta_workload(p->ree, w->name, w->rate_hz, &w->secure_work, cpus, wait_dev)
				 : ree_add_cpu_bound(p->ree, w->name, &w->work, cpus);
		if (wl >= 0 && stats_add_workload(p->stats, w->name, w->kind == SCENARIO_TA_INVOKE) != wl)
			wl = -1;
		if (wl >= 0 && wait_dev)
			stats_workload_waits(p->stats, (unsigned)wl);
		if (wl < 0) {
			snprintf(err, errlen, "workload %s: the Linux model holds at most %d workloads", w->name,
				 REE_MAX_WORKLOADS);
			platform_free(p);
			return -1;
		}
	}

	sim_event_init(&p->tl_ev, timeline_step, p);
	return 0;
}

void platform_start(struct platform *p)
{
	/*
	 * fidelity: isa: the guest images are inputs of the run (and of its digest): the first
	 * records name each image's XXH3-64 and size, so a rebuilt image shows in the digest from
	 * record 0 on (a different compiler may change them: README, Guest code)
	 */
	if (p->isa)
		for (int i = 0; i < ISA_IMG_COUNT; i++) {
			const struct isa_image *img = isa_rt_image(p->isa, (enum isa_builtin)i);
			static const char *const labels[ISA_IMG_COUNT] = { "guest image monitor", "guest image tee",
									   "guest image ree" };
			sim_trace_emit(p->sim.tr, &(struct sim_rec){ .t = 0, .kind = TR_EVENT, .cpu = -1,
								    .world = SIM_WORLD_EL3, .a = img->hash,
								    .b = img->len, .label = labels[i] });
		}
	mon_cold_boot(p->mon, 0);
}

void platform_stop_sources(struct platform *p)
{
	p->stopped = true;
	for (unsigned i = 0; i < p->sc->n_sources; i++)
		if (p->src[i])
			dev_src_stop(p->src[i]);
	ree_workloads_stop(p->ree);
	sim_cancel(p->sim.k, &p->tl_ev);
}

void platform_finish(struct platform *p)
{
	for (unsigned i = 0; i < p->ncpus; i++)
		pe_finish(p->pe[i]);
	stats_finish(p->stats, sim_now(p->sim.k));
}

void platform_free(struct platform *p)
{
	/*
	 * Every model cancels the events it embeds when it is freed (a cancel
	 * re-sifts the kernel's heap, which writes into the events it moves), so
	 * the order below does not matter.
	 */
	if (p->sim.k) {
		sim_cancel(p->sim.k, &p->tl_ev);
		for (unsigned i = 0; i < p->ncpus; i++)
			sim_cancel(p->sim.k, &p->timer_ev[i]);
	}
	ree_free(p->ree);
	tee_free(p->tee);
	mon_free(p->mon);
	isa_rt_free(p->isa);
	for (unsigned i = 0; i < PLATFORM_MAX_CPUS; i++)
		pe_free(p->pe[i]);
	for (unsigned i = 0; i < PLATFORM_MAX_SOURCES; i++)
		dev_src_free(p->src[i]);
	gic_free(p->gic);
	sim_bus_free(p->bus);
	sim_shm_free(p->shm);
	stats_free(p->stats);
	for (unsigned i = 0; i < PLATFORM_MAX_SOURCES; i++)
		free(p->replay[i]);
	free(p->dtb);
	if (p->sim.k)
		sim_fini(&p->sim);
	memset(p, 0, sizeof(*p));
}
