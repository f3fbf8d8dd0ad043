// SPDX-License-Identifier: BSD-3-Clause
/*
 * The scenario loader: file -> ynode tree -> overrides -> validation.
 *
 * The validator walks the tree by hand, one function per schema section,
 * keeping the key path of the node it looks at so that every message can
 * name it. It stops at the first problem: a scenario is fixed and loaded
 * again, and the first error is the one worth reading.
 *
 * This file holds the entry points, the walk of the document and the
 * sections that describe the system: platform, transport, tee, ree,
 * sources, workloads and outputs. The validator's readers live in
 * scenario_value.c, costs in scenario_cost.c, the timeline in
 * scenario_timeline.c, expect checks in scenario_expect.c and `--vary` in
 * scenario_override.c (see scenario_internal.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel/infile.h"
#include "sim/scenario/scenario_internal.h"


/* ---- sections ------------------------------------------------------------------------------ */

static struct scenario_pos pos_of(const struct ynode *n) { return (struct scenario_pos){ n->line, n->col }; }

static int parse_stop(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "after", "notifications", NULL };
	size_t which = 0;
	struct scenario *s = c->s;
	if (scn_one_key(c, n, keys, &which))
		return -1;
	size_t mark = scn_push_key(c, keys[which]);
	if (which == 0) {
		s->stop = SCENARIO_STOP_AFTER;
		if (scn_get_time(c, n->val[0], false, &s->stop_after))
			return -1;
	} else {
		s->stop = SCENARIO_STOP_NOTIFICATIONS;
		if (scn_get_int(c, n->val[0], 1, 1000000000, &s->stop_notifications))
			return -1;
	}
	scn_pop(c, mark);
	return 0;
}

static int parse_costs_preset(struct vctx *c, const struct ynode *n, uint64_t *at_hz)
{
	static const char *const presets[] = { "cortex-a53", "cortex-a72", NULL };
	struct scenario_platform *p = &c->s->platform;
	if (scn_want_scalar(c, n, "a cost preset, e.g. cortex-a53"))
		return -1;
	int id = sim_preset_lookup(n->str);
	if (id < 0) {
		char base[64];
		snprintf(base, sizeof(base), "%.*s", (int)strcspn(n->str, "@"), n->str);
		const char *s = scn_suggest(base, presets, 2);
		if (s)
			return scn_fail(c, n, "unknown cost preset '%s'; did you mean '%s'?", base, s);
		return scn_fail(c, n, "unknown cost preset '%s' (expected cortex-a53 or cortex-a72, optionally @<clock>)",
				base);
	}
	sim_costs_preset(&p->costs, (enum sim_preset)id);
	const char *at = strchr(n->str, '@');
	*at_hz = 0;
	if (at) {
		int rc = sim_parse_freq(at + 1, at_hz);
		if (rc)
			return scn_fail(c, n, "bad clock '%s' after '@': expected a frequency such as 1.2GHz", at + 1);
		if (*at_hz < 1000000 || *at_hz > 10000000000ull)
			return scn_fail(c, n, "clock %s is out of range 1MHz..10GHz", at + 1);
		p->costs.clock.hz = *at_hz;
	}
	return 0;
}

static int parse_platform(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "dts", "cpus", "clock", "costs", "cost_overrides", "gic", NULL };
	static const char *const gic_keys[] = { "pend_to_wire", "ack_rearb", "sgi_delay", "prio_bits", NULL };
	static const enum sim_cost_id gic_ids[] = { SIM_COST_GIC_PEND_TO_WIRE, SIM_COST_GIC_ACK_REARB,
						    SIM_COST_GIC_SGI_DELAY };
	struct scenario_platform *p = &c->s->platform;
	uint64_t at_hz = 0;

	if (scn_check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "dts", v, scn_get_path(c, v, p->dts) || (c->s->at.platform_dts = pos_of(v), 0));
	WITH_KEY(c, n, "cpus", v,
		 scn_get_uint(c, v, 1, SCENARIO_MAX_CPUS, &p->cpus) || (c->s->at.platform_cpus = pos_of(v), 0));
	WITH_KEY(c, n, "costs", v, parse_costs_preset(c, v, &at_hz));
	const struct ynode *clock = ynode_get(n, "clock", NULL);
	if (clock) {
		uint64_t hz;
		size_t mark = scn_push_key(c, "clock");
		if (scn_get_freq(c, clock, 1000000, 10000000000ull, &hz))
			return -1;
		if (at_hz && at_hz != hz)
			return scn_fail(c, clock, "%s conflicts with the clock in platform.costs (%s)", clock->str,
					ynode_get(n, "costs", NULL)->str);
		p->costs.clock.hz = hz;
		scn_pop(c, mark);
	}
	const struct ynode *ov = ynode_get(n, "cost_overrides", NULL);
	if (ov) {
		const char *names[SIM_COST_COUNT + 1];
		for (int i = 0; i < SIM_COST_COUNT; i++)
			names[i] = sim_cost_name((enum sim_cost_id)i);
		names[SIM_COST_COUNT] = NULL;
		size_t mark = scn_push_key(c, "cost_overrides");
		if (scn_check_map(c, ov, names))
			return -1;
		for (size_t i = 0; i < ov->n; i++) {
			int id = sim_cost_lookup(ov->key[i]->str);
			size_t m2 = scn_push_key(c, ov->key[i]->str);
			if (scn_get_cost(c, ov->val[i], &p->costs.c[id]))
				return -1;
			p->cost_overridden[id] = true;
			scn_pop(c, m2);
		}
		scn_pop(c, mark);
	}
	const struct ynode *gic = ynode_get(n, "gic", NULL);
	if (gic) {
		size_t mark = scn_push_key(c, "gic");
		if (scn_check_map(c, gic, gic_keys))
			return -1;
		for (size_t i = 0; i < 3; i++) {
			const struct ynode *v = ynode_get(gic, gic_keys[i], NULL);
			sim_time t;
			if (!v)
				continue;
			size_t m2 = scn_push_key(c, gic_keys[i]);
			if (scn_get_time(c, v, true, &t))
				return -1;
			if (p->cost_overridden[gic_ids[i]])
				return scn_fail(c, v, "also set as platform.cost_overrides.%s; set it once",
						sim_cost_name(gic_ids[i]));
			p->costs.c[gic_ids[i]] = sim_cost_ps((double)t);
			p->cost_overridden[gic_ids[i]] = true;
			scn_pop(c, m2);
		}
		WITH_KEY(c, gic, "prio_bits", v, scn_get_uint(c, v, 4, 8, &p->prio_bits));
		scn_pop(c, mark);
	}
	return 0;
}

static int parse_cpu_list(struct vctx *c, const struct ynode *n, uint64_t *mask)
{
	if (scn_want_seq(c, n, "a sequence of cpu numbers, e.g. [0, 2]", 1, SCENARIO_MAX_CPUS))
		return -1;
	*mask = 0;
	for (size_t i = 0; i < n->n; i++) {
		unsigned cpu;
		size_t mark = scn_push_idx(c, i);
		if (scn_get_cpu(c, n->val[i], &cpu))
			return -1;
		if (*mask & (1ull << cpu))
			return scn_fail(c, n->val[i], "cpu %u listed twice", cpu);
		*mask |= 1ull << cpu;
		scn_pop(c, mark);
	}
	return 0;
}

/* Hafnium's Schedule Receiver Interrupt (inc/vmapi/hf/types.h HF_SCHEDULE_RECEIVER_INTID) */
#define HF_SRI_INTID 8u

static int parse_transport(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "kind", "intid", "trigger", "routing", "target", "spmc", "raise",
					    "ffa_bottom_half", NULL };
	static const char *const kinds[] = { "spi", "ppi", "sgi", "ffa", NULL };
	static const char *const triggers[] = { "edge", "level", NULL };
	static const char *const routings[] = { "fixed", "1-of-N", NULL };
	static const char *const targets[] = { "self", "all-but-self", NULL };
	static const char *const spmcs[] = { "s-el1", "s-el2", NULL };
	static const char *const raises[] = { "fixed", "upstream", NULL };
	static const char *const ffa_bhs[] = { "workqueue", "inline", NULL };
	static const unsigned def_intid[] = { 219, 31, 8, 8 }, lo[] = { 32, 16, 8, 8 }, hi[] = { 1019, 31, 15, 15 };
	struct scenario_transport_cfg *t = &c->s->transport;
	unsigned v = t->kind;

	if (scn_check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "kind", x, scn_get_enum(c, x, kinds, &v));
	t->kind = (enum scenario_transport)v;
	t->intid = def_intid[t->kind];
	WITH_KEY(c, n, "intid", x,
		 scn_get_uint(c, x, lo[t->kind], hi[t->kind], &t->intid) || (c->s->at.transport_intid = pos_of(x), 0));
	const char *kn = kinds[t->kind];
	WITH_KEY(c, n, "trigger", x,
		 scn_get_enum(c, x, triggers, &v) ||
			 ((t->trigger = (enum scenario_trigger)v) == SCENARIO_LEVEL && t->kind != SCENARIO_SPI &&
			  scn_fail(c, x, "level applies only to kind spi (kind is %s)", kn)));
	WITH_KEY(c, n, "routing", x,
		 scn_get_enum(c, x, routings, &v) ||
			 ((t->routing = (enum scenario_routing)v) != SCENARIO_ROUTE_FIXED && t->kind != SCENARIO_SPI &&
			  scn_fail(c, x, "1-of-N applies only to kind spi (kind is %s)", kn)));
	const struct ynode *tg = ynode_get(n, "target", NULL);
	if (tg) {
		size_t mark = scn_push_key(c, "target");
		c->s->at.transport_target = pos_of(tg);
		if (tg->kind == YNODE_SEQ) {
			if (parse_cpu_list(c, tg, &t->target_cpus))
				return -1;
			t->target = SCENARIO_TARGET_LIST;
		} else {
			if (scn_get_enum(c, tg, targets, &v))
				return -1;
			t->target = (enum scenario_sgi_target)v;
		}
		if (t->target != SCENARIO_TARGET_SELF && t->kind != SCENARIO_SGI)
			return scn_fail(c, tg, "a target other than self applies only to kind sgi (kind is %s)", kn);
		scn_pop(c, mark);
	}
	const struct ynode *sp = ynode_get(n, "spmc", NULL);
	if (sp) {
		size_t mark = scn_push_key(c, "spmc");
		/* TF-A's EL3 SPMC (spmc_main.c spmc_smc_handler) handles no FFA_NOTIFICATION_* call */
		if (sp->kind == YNODE_SCALAR && sp->str && !strcmp(sp->str, "el3"))
			return scn_fail(c, sp, "el3: TF-A's EL3 SPMC implements no FF-A notifications "
					       "(spmc_smc_handler has no FFA_NOTIFICATION_*); use s-el2 (Hafnium) or "
					       "s-el1 (OP-TEE)");
		if (scn_get_enum(c, sp, spmcs, &v))
			return -1;
		t->spmc = (enum scenario_spmc)v;
		if (t->spmc != SCENARIO_SPMC_S_EL1 && t->kind != SCENARIO_FFA)
			return scn_fail(c, sp, "s-el2 applies only to kind ffa (kind is %s)", kn);
		/* Hafnium's SRI is HF_SCHEDULE_RECEIVER_INTID (inc/vmapi/hf/types.h) */
		if (t->spmc == SCENARIO_SPMC_S_EL2 && t->intid != HF_SRI_INTID)
			return scn_fail(c, sp, "s-el2: Hafnium's Schedule Receiver Interrupt is SGI %u "
					       "(HF_SCHEDULE_RECEIVER_INTID), not transport.intid %u",
					HF_SRI_INTID, t->intid);
		scn_pop(c, mark);
	}
	/* OP-TEE's PPI raise as coded (gic_op_raise_pi -> gic_it_set_pending: GICD_ISPENDR) or fixed */
	WITH_KEY(c, n, "raise", x,
		 scn_get_enum(c, x, raises, &v) ||
			 ((t->raise = (enum scenario_raise)v) != SCENARIO_RAISE_FIXED && t->kind != SCENARIO_PPI &&
			  scn_fail(c, x, "upstream applies only to kind ppi (kind is %s)", kn)));
	WITH_KEY(c, n, "ffa_bottom_half", x,
		 scn_get_enum(c, x, ffa_bhs, &v) ||
			 ((t->ffa_bottom_half = (enum scenario_ffa_bh)v) != SCENARIO_FFA_BH_WORKQUEUE &&
			  t->kind != SCENARIO_FFA && scn_fail(c, x, "inline applies only to kind ffa (kind is %s)", kn)));
	return 0;
}

static int parse_tee(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "threads", "async_notif", "notif_raise", NULL };
	static const char *const raises[] = { "every", "when_empty", NULL };
	unsigned e;
	if (scn_check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "threads", v, scn_get_uint(c, v, 1, 64, &c->s->tee_threads));
	WITH_KEY(c, n, "notif_raise", v,
		 scn_get_enum(c, v, raises, &e) || ((c->s->tee_notif_raise = (enum scenario_notif_raise)e), 0));
	WITH_KEY(c, n, "async_notif", v, scn_get_bool(c, v, &c->s->tee_async_notif));
	return 0;
}

static int parse_ree(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "irq_affinity", "eoimode", "preempt", "scheduler", "notif_drain",
					    "pcpu_disable", "call_queue", NULL };
	static const char *const drains[] = { "loop", "once", NULL };
	static const char *const pcpus[] = { "online_dyn", "after_offline", NULL };
	/* in enum scenario_preempt's order */
	static const char *const preempts[] = { "full", "voluntary", "none", NULL };
	static const char *const scheds[] = { "eevdf", "cfs", NULL };
	/* in enum scenario_call_queue's order */
	static const char *const queues[] = { "thread_count", "ethread_limit", NULL };
	unsigned e;
	if (scn_check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "irq_affinity", v, scn_get_cpu(c, v, &c->s->ree_irq_affinity));
	WITH_KEY(c, n, "eoimode", v, scn_get_uint(c, v, 0, 1, &c->s->ree_eoimode));
	WITH_KEY(c, n, "preempt", v, scn_get_enum(c, v, preempts, &e) || ((c->s->ree_preempt = (enum scenario_preempt)e), 0));
	WITH_KEY(c, n, "scheduler", v,
		 scn_get_enum(c, v, scheds, &e) || ((c->s->ree_scheduler = (enum scenario_scheduler)e), 0));
	WITH_KEY(c, n, "call_queue", v,
		 scn_get_enum(c, v, queues, &e) || ((c->s->ree_call_queue = (enum scenario_call_queue)e), 0));
	WITH_KEY(c, n, "notif_drain", v,
		 scn_get_enum(c, v, drains, &e) || ((c->s->ree_notif_drain = (enum scenario_drain)e), 0));
	WITH_KEY(c, n, "pcpu_disable", v,
		 scn_get_enum(c, v, pcpus, &e) || ((c->s->ree_pcpu_disable = (enum scenario_pcpu_disable)e), 0));
	return 0;
}

/*
 * fidelity: {monitor, tee, ree}: abstract | isa. Only what a run can run is
 * accepted (models/cpu/isa_rt.h says which steps are guest code).
 */
static int parse_fidelity(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "monitor", "tee", "ree", NULL };
	static const char *const levels[] = { "abstract", "isa", NULL };
	const struct scenario_transport_cfg *t = &c->s->transport;
	if (scn_check_map(c, n, keys))
		return -1;
	for (int w = 0; w < SCENARIO_FID_COUNT; w++) {
		const struct ynode *x = ynode_get(n, keys[w], NULL);
		unsigned v;
		if (!x)
			continue;
		size_t mark = scn_push_key(c, keys[w]);
		if (scn_get_enum(c, x, levels, &v))
			return -1;
		c->s->fidelity[w] = (enum scenario_fidelity)v;
		if (v == SCENARIO_FIDELITY_ISA) {
			if (t->kind == SCENARIO_FFA)
				return scn_fail(c, x, "isa: the guest code covers the SMC ABI only (transport.kind is ffa)");
			if (w == SCENARIO_FID_TEE && t->trigger == SCENARIO_LEVEL)
				return scn_fail(c, x, "isa: OP-TEE's guest code raises an edge SPI (GICD_ISPENDR); "
						       "transport.trigger level is a doorbell device, not guest code");
			/* the guest routines are the upstream ones; a protocol switch is a model change */
			if (w == SCENARIO_FID_TEE && c->s->tee_notif_raise == SCENARIO_RAISE_WHEN_EMPTY)
				return scn_fail(c, x, "isa: OP-TEE's guest notif_send_async raises on every send "
						       "(tee.notif_raise when_empty is an abstract-model switch)");
			if (w == SCENARIO_FID_REE && c->s->ree_notif_drain == SCENARIO_DRAIN_ONCE)
				return scn_fail(c, x, "isa: Linux's guest irq handler drains while PENDING "
						       "(ree.notif_drain once is an abstract-model switch)");
		}
		scn_pop(c, mark);
	}
	return 0;
}

static int parse_arrival(struct vctx *c, const struct ynode *n, struct scenario_source *src)
{
	static const char *const keys[] = { "periodic", "poisson", "burst", "replay", NULL };
	static const char *const burst_keys[] = { "count", "every", "spacing", NULL };
	size_t which = 0;
	if (scn_one_key(c, n, keys, &which))
		return -1;
	const struct ynode *v = n->val[0];
	size_t mark = scn_push_key(c, keys[which]);
	src->arrival = (enum scenario_arrival)which;
	switch (src->arrival) {
	case SCENARIO_PERIODIC:
		if (scn_get_time(c, v, false, &src->period))
			return -1;
		if (src->period < scn_min_period(c)) {
			char lo[32], hi[32];
			return scn_fail(c, v, "%.64s is out of range %s..3600s (at most %s of arrivals: one per %llu "
					      "PE cycles, faster than the platform can take interrupts)",
					v->str, scn_fmt_time(lo, sizeof(lo), scn_min_period(c)),
					scn_fmt_freq(hi, sizeof(hi), scn_max_rate(c)), SCENARIO_RATE_CYCLES);
		}
		break;
	case SCENARIO_POISSON:
		if (scn_get_rate(c, v, &src->rate_hz))
			return -1;
		break;
	case SCENARIO_BURST: {
		uint64_t count = 1;
		if (scn_check_map(c, v, burst_keys))
			return -1;
		if (scn_require(c, v, burst_keys))
			return -1;
		WITH_KEY(c, v, "count", x, scn_get_int(c, x, 1, 1000000, &count));
		src->burst_count = (unsigned)count;
		WITH_KEY(c, v, "every", x, scn_get_time(c, x, false, &src->burst_every));
		WITH_KEY(c, v, "spacing", x, scn_get_time(c, x, true, &src->burst_spacing));
		/* on average at most the rate the platform takes: count arrivals per period */
		if ((unsigned __int128)count * scn_min_period(c) > src->burst_every) {
			char lo[32], hi[32];
			const struct ynode *ev = ynode_get(v, "every", NULL);
			scn_push_key(c, "every");
			return scn_fail(c, ev, "a burst of %llu every %.64s is too fast: every must be at least %s "
					       "(at most %s of arrivals on average, one per %llu PE cycles)",
					(unsigned long long)count, ev->str,
					scn_fmt_time(lo, sizeof(lo), (sim_time)count * scn_min_period(c)),
					scn_fmt_freq(hi, sizeof(hi), scn_max_rate(c)), SCENARIO_RATE_CYCLES);
		}
		unsigned __int128 span = (unsigned __int128)(count - 1) * src->burst_spacing;
		if (span >= src->burst_every) {
			scn_push_key(c, "spacing");
			return scn_fail(c, ynode_get(v, "spacing", NULL),
					"a burst of %llu spaced %s lasts at least its period (every %s)",
					(unsigned long long)count, ynode_get(v, "spacing", NULL)->str,
					ynode_get(v, "every", NULL)->str);
		}
		break;
	}
	case SCENARIO_REPLAY: {
		char err[SCENARIO_PATH_MAX + 128];
		if (scn_get_path(c, v, src->replay))
			return -1;
		/* its lines are read and checked when the platform is built (tzsim validate builds it) */
		if (sim_check_file(src->replay, SCENARIO_MAX_REPLAY_BYTES, err, sizeof(err)) != 0)
			return scn_fail(c, v, "%s", err);
		break;
	}
	}
	scn_pop(c, mark);
	return 0;
}

/*
 * notify: value, after OP-TEE's stm32_rtc driver (core/drivers/stm32_rtc.c):
 * a value from notif_alloc_async_value at probe, sent by the interrupt
 * handler with notif_send_async(value); a TA waits with notif_wait(value).
 * Only where upstream can do it: a secure event source (the console UART's
 * driver uses DO_BOTTOM_HALF), the SMC ABI (OP-TEE's FF-A notif_send_async,
 * thread_spmc.c, asserts DO_BOTTOM_HALF), asynchronous notifications
 * configured (without CFG_CORE_ASYNC_NOTIF notif_alloc_async_value fails).
 */
static int check_value_source(struct vctx *c, const struct ynode *map, const struct ynode *x,
			      const struct scenario_source *src)
{
	size_t i;
	if (src->notify != SCENARIO_NOTIFY_VALUE)
		return 0;
	if (src->kind == SCENARIO_UART)
		return scn_fail(c, x, "notify: value is for timer and trng sources; the console UART's driver "
				      "notifies with DO_BOTTOM_HALF (set kind: timer or trng)");
	if (src->world != SCENARIO_SECURE)
		return scn_fail(c, x, "notify: value needs world: secure (OP-TEE sends the value)");
	if (c->s->transport.kind == SCENARIO_FFA)
		return scn_fail(c, x, "notify: value needs the SMC ABI: OP-TEE's FF-A path sends only "
				      "DO_BOTTOM_HALF (thread_spmc.c notif_send_async asserts it)");
	if (!c->s->tee_async_notif)
		return scn_fail(c, x, "notify: value needs tee.async_notif: true");
	if (ynode_get(map, "bottom_half", &i))
		return scn_fail(c, map->key[i], "a notify: value source has no bottom half: its top half "
						"sends the value (drop bottom_half, or use notify: bottom_half)");
	return 0;
}

static int parse_source(struct vctx *c, const struct ynode *n, unsigned idx)
{
	static const char *const keys[] = { "name", "kind", "world", "intid", "trigger", "cpu", "arrival",
					    "top_half", "bottom_half", "per_item", "fifo", "notify", NULL };
	static const char *const kinds[] = { "uart", "timer", "trng", NULL };
	static const char *const notifies[] = { "bottom_half", "value", NULL };
	static const char *const worlds[] = { "secure", "normal", NULL };
	static const char *const triggers[] = { "edge", "level", NULL };
	struct scenario *s = c->s;
	struct scenario_source *src = &s->sources[idx];
	unsigned v;

	if (scn_check_map(c, n, keys))
		return -1;
	src->pos = (struct scenario_pos){ n->line, n->col };
	const struct ynode *name = ynode_get(n, "name", NULL);
	if (!name)
		return scn_missing(c, n, "name");
	WITH_KEY(c, n, "name", x, scn_get_name(c, x, src->name));
	for (unsigned i = 0; i < idx; i++)
		if (!strcmp(s->sources[i].name, src->name)) {
			size_t mark = scn_push_key(c, "name");
			scn_fail(c, name, "duplicate source name '%s' (also sources[%u])", src->name, i);
			scn_pop(c, mark);
			return -1;
		}
	WITH_KEY(c, n, "kind", x, scn_get_enum(c, x, kinds, &v) || ((src->kind = (enum scenario_source_kind)v), 0));
	WITH_KEY(c, n, "world", x, scn_get_enum(c, x, worlds, &v) || ((src->world = (enum scenario_world)v), 0));
	src->intid = 40 + idx;
	const struct ynode *in = ynode_get(n, "intid", NULL);
	size_t mark = scn_push_key(c, "intid");
	if (in && scn_get_uint(c, in, 32, 1019, &src->intid))
		return -1;
	if (in)
		src->intid_pos = pos_of(in);
	for (unsigned i = 0; i < idx; i++)
		if (s->sources[i].intid == src->intid)
			return scn_fail(c, in ? in : n, "intid %u is also used by source '%s'", src->intid,
					s->sources[i].name);
	if (s->transport.kind == SCENARIO_SPI && s->transport.intid == src->intid)
		return scn_fail(c, in ? in : n, "intid %u is the transport's notification SPI (transport.intid)",
				src->intid);
	scn_pop(c, mark);
	src->trigger = src->kind == SCENARIO_UART ? SCENARIO_LEVEL : SCENARIO_EDGE;
	WITH_KEY(c, n, "trigger", x,
		 scn_get_enum(c, x, triggers, &v) || ((src->trigger = (enum scenario_trigger)v), 0));
	WITH_KEY(c, n, "cpu", x, scn_get_cpu(c, x, &src->cpu));
	const struct ynode *arr = ynode_get(n, "arrival", NULL);
	if (!arr)
		return scn_missing(c, n, "arrival");
	WITH_KEY(c, n, "arrival", x, parse_arrival(c, x, src));
	src->top_half = sim_cost_cycles(800);
	src->bottom_half = sim_cost_ps((double)(20 * SIM_US));
	src->per_item = sim_cost_cycles(0);
	src->fifo = 16;
	WITH_KEY(c, n, "top_half", x, scn_get_cost(c, x, &src->top_half));
	WITH_KEY(c, n, "bottom_half", x, scn_get_cost(c, x, &src->bottom_half));
	WITH_KEY(c, n, "per_item", x, scn_get_cost(c, x, &src->per_item));
	WITH_KEY(c, n, "fifo", x, scn_get_uint(c, x, 1, 65536, &src->fifo));
	WITH_KEY(c, n, "notify", x,
		 scn_get_enum(c, x, notifies, &v) || ((src->notify = (enum scenario_notify)v), 0) ||
			 check_value_source(c, n, x, src));
	return 0;
}

/* A cpu_bound chunk averages at least SCENARIO_MIN_WORK: a zero-length chunk never lets time advance. */
static int check_work(struct vctx *c, const struct ynode *n, const struct sim_cost *w)
{
	double mean = sim_dist_mean(&w->d);
	if (w->unit == SIM_COST_CYCLES)
		mean = mean * (double)SIM_S / (double)c->s->platform.costs.clock.hz;
	if (mean >= (double)SCENARIO_MIN_WORK)
		return 0;
	return scn_fail(c, n, "a cpu_bound chunk must average at least 1us (this one averages %.3gps): a chunk "
			      "is a scheduler slice, and one of no length never lets simulated time advance",
			mean > 0 ? mean : 0.0);
}

/* wait_for: a source (sources come first in the document's order of checks) whose driver sends a value. */
static int parse_wait_for(struct vctx *c, const struct ynode *x, struct scenario_workload *w)
{
	char name[SCENARIO_NAME_MAX + 1];
	if (scn_get_name(c, x, name))
		return -1;
	for (unsigned i = 0; i < c->s->n_sources; i++) {
		if (strcmp(c->s->sources[i].name, name))
			continue;
		if (c->s->sources[i].notify != SCENARIO_NOTIFY_VALUE)
			return scn_fail(c, x, "source '%s' notifies with DO_BOTTOM_HALF: a TA can wait only for a "
					      "source with notify: value", name);
		w->wait_for = (int)i;
		return 0;
	}
	return scn_fail(c, x, "no source named '%s'", name);
}

static int parse_workload(struct vctx *c, const struct ynode *n, unsigned idx)
{
	static const char *const keys[] = { "name", "kind", "rate", "secure_work", "work", "cpus", "wait_for", NULL };
	static const char *const kinds[] = { "ta_invoke", "cpu_bound", NULL };
	struct scenario *s = c->s;
	struct scenario_workload *w = &s->workloads[idx];
	unsigned v = 0;

	if (scn_check_map(c, n, keys))
		return -1;
	w->pos = (struct scenario_pos){ n->line, n->col };
	if (!ynode_get(n, "kind", NULL))
		return scn_missing(c, n, "kind");
	WITH_KEY(c, n, "kind", x, scn_get_enum(c, x, kinds, &v));
	w->kind = (enum scenario_workload_kind)v;
	snprintf(w->name, sizeof(w->name), "%s%u", kinds[w->kind], idx);
	WITH_KEY(c, n, "name", x, scn_get_name(c, x, w->name));
	for (unsigned i = 0; i < idx; i++)
		if (!strcmp(s->workloads[i].name, w->name)) {
			const struct ynode *nm = ynode_get(n, "name", NULL);
			size_t mark = scn_push_key(c, "name");
			scn_fail(c, nm ? nm : n, "duplicate workload name '%s' (also workloads[%u])", w->name, i);
			scn_pop(c, mark);
			return -1;
		}
	const char *other = w->kind == SCENARIO_TA_INVOKE ? "cpu_bound" : "ta_invoke";
	static const char *const ta_only[] = { "rate", "secure_work", "wait_for", NULL },
				 *const cpu_only[] = { "work", NULL };
	for (const char *const *k = w->kind == SCENARIO_TA_INVOKE ? cpu_only : ta_only; *k; k++) {
		size_t i;
		if (ynode_get(n, *k, &i)) {
			size_t mark = scn_push_key(c, *k);
			scn_fail(c, n->key[i], "applies only to kind %s (this workload is %s)", other, kinds[w->kind]);
			scn_pop(c, mark);
			return -1;
		}
	}
	/* without a rate, a TA that waits for a value is called in a closed loop (parse_wait_for) */
	if (w->kind == SCENARIO_TA_INVOKE && !ynode_get(n, "rate", NULL) && !ynode_get(n, "wait_for", NULL))
		return scn_missing(c, n, "rate");
	WITH_KEY(c, n, "rate", x, scn_get_rate(c, x, &w->rate_hz));
	w->secure_work = sim_cost_ps((double)(50 * SIM_US));
	w->work = sim_cost_ps((double)SIM_MS);
	WITH_KEY(c, n, "secure_work", x, scn_get_cost(c, x, &w->secure_work));
	WITH_KEY(c, n, "work", x, scn_get_cost(c, x, &w->work) || check_work(c, x, &w->work));
	w->cpus = s->platform.cpus >= 64 ? UINT64_MAX : (1ull << s->platform.cpus) - 1;
	WITH_KEY(c, n, "cpus", x, parse_cpu_list(c, x, &w->cpus) || (w->cpus_pos = pos_of(x), 0));
	w->wait_for = -1;
	WITH_KEY(c, n, "wait_for", x, parse_wait_for(c, x, w));
	return 0;
}

static int parse_outputs(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "trace", "el3", NULL };
	static const char *const formats[] = { "csv", "perfetto", "vcd", "hgrm", NULL };
	static const char *const el3[] = { "pass", "legs", NULL };
	unsigned e;
	if (scn_check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "el3", x, scn_get_enum(c, x, el3, &e) || ((c->s->el3_legs = e == 1), 0));
	const struct ynode *t = ynode_get(n, "trace", NULL);
	if (!t)
		return 0;
	size_t mark = scn_push_key(c, "trace");
	if (t->kind != YNODE_SEQ)
		return scn_type_error(c, t, "a sequence of trace formats, e.g. [csv, perfetto]");
	c->s->outputs = 0;
	for (size_t i = 0; i < t->n; i++) {
		unsigned v;
		size_t m2 = scn_push_idx(c, i);
		if (scn_get_enum(c, t->val[i], formats, &v))
			return -1;
		if (c->s->outputs & (1u << v))
			return scn_fail(c, t->val[i], "%s listed twice", formats[v]);
		c->s->outputs |= 1u << v;
		scn_pop(c, m2);
	}
	scn_pop(c, mark);
	return 0;
}

/* ---- the document -------------------------------------------------------------------------- */

static int parse_seq_section(struct vctx *c, const struct ynode *root, const char *key, size_t cap,
			     unsigned *count, int (*fn)(struct vctx *, const struct ynode *, unsigned))
{
	const struct ynode *n = ynode_get(root, key, NULL);
	if (!n)
		return 0;
	size_t mark = scn_push_key(c, key);
	if (n->kind != YNODE_SEQ)
		return scn_type_error(c, n, "a sequence");
	if (n->n > cap)
		return scn_fail(c, n->val[cap], "too many entries (at most %zu)", cap);
	for (size_t i = 0; i < n->n; i++) {
		size_t m2 = scn_push_idx(c, i);
		if (fn(c, n->val[i], (unsigned)i))
			return -1;
		*count = (unsigned)i + 1;
		scn_pop(c, m2);
	}
	scn_pop(c, mark);
	return 0;
}

static void set_defaults(struct scenario *s, const char *path)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->path, sizeof(s->path), "%s", path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len > 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	if (len > SCENARIO_NAME_MAX)
		len = SCENARIO_NAME_MAX;
	/* A name goes into output paths: keep it to [A-Za-z0-9_.-]. */
	for (size_t i = 0; i < len; i++) {
		char ch = base[i];
		s->name[i] = scn_good_name((char[]){ ch, 0 }) ? ch : '_';
	}
	if (!s->name[0])
		snprintf(s->name, sizeof(s->name), "scenario");
	s->seed = 1;
	s->stop = SCENARIO_STOP_AFTER;
	s->stop_after = 100 * SIM_MS;
	s->kernel = SIM_BACKEND_NATIVE;
	s->platform.cpus = 4;
	sim_costs_preset(&s->platform.costs, SIM_PRESET_A53);
	s->platform.prio_bits = 5;
	s->transport.kind = SCENARIO_SPI;
	s->transport.intid = 219;
	s->tee_threads = 2;
	s->tee_async_notif = true;
	s->outputs = SCENARIO_TRACE_CSV;
}

static int parse_ties(struct vctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "order", "seed", "from", "to", NULL };
	static const char *const orders[] = { "fifo", "lifo", "random", NULL };
	struct scenario_ties *t = &c->s->ties;
	unsigned e;
	if (scn_check_map(c, n, keys))
		return -1;
	WITH_KEY(c, n, "order", v, scn_get_enum(c, v, orders, &e) || ((t->order = (enum scenario_tie_order)e), 0));
	WITH_KEY(c, n, "seed", v, scn_get_u64(c, v, &t->seed));
	WITH_KEY(c, n, "from", v, scn_get_time(c, v, true, &t->from));
	WITH_KEY(c, n, "to", v,
		 scn_get_time(c, v, false, &t->to) ||
			 (t->to <= t->from && scn_fail(c, v, "ties.to must be after ties.from")));
	return 0;
}

static int validate(struct vctx *c, const struct ynode *root)
{
	static const char *const keys[] = { "name", "description", "seed", "stop", "kernel", "platform",
					    "transport", "tee", "ree", "fidelity", "sources", "workloads",
					    "timeline", "outputs", "expect", "check", "ties", NULL };
	static const char *const kernels[] = { "native", "systemc", NULL };
	struct scenario *s = c->s;
	unsigned v;

	if (root->kind != YNODE_MAP)
		return scn_fail(c, root, "a scenario is a mapping of keys (name, platform, sources, ...), found %s",
				ynode_kind_name(root->kind));
	if (scn_check_map(c, root, keys))
		return -1;
	WITH_KEY(c, root, "name", x, scn_get_name(c, x, s->name));
	WITH_KEY(c, root, "description", x, scn_get_text(c, x, s->description, sizeof(s->description)));
	WITH_KEY(c, root, "seed", x, scn_get_u64(c, x, &s->seed));
	WITH_KEY(c, root, "stop", x, parse_stop(c, x));
	WITH_KEY(c, root, "kernel", x, scn_get_enum(c, x, kernels, &v) || ((s->kernel = (enum sim_backend)v), 0));
	/* platform first: cpu numbers everywhere are checked against platform.cpus */
	WITH_KEY(c, root, "platform", x, parse_platform(c, x));
	WITH_KEY(c, root, "transport", x, parse_transport(c, x));
	WITH_KEY(c, root, "tee", x, parse_tee(c, x));
	WITH_KEY(c, root, "ree", x, parse_ree(c, x));
	WITH_KEY(c, root, "fidelity", x, parse_fidelity(c, x));
	WITH_KEY(c, root, "check", x, scn_get_bool(c, x, &s->check));
	WITH_KEY(c, root, "ties", x, parse_ties(c, x));
	if (parse_seq_section(c, root, "sources", SCENARIO_MAX_SOURCES, &s->n_sources, parse_source) ||
	    parse_seq_section(c, root, "workloads", SCENARIO_MAX_WORKLOADS, &s->n_workloads, parse_workload) ||
	    parse_seq_section(c, root, "timeline", SCENARIO_MAX_TIMELINE, &s->n_timeline, scn_parse_event))
		return -1;
	scn_sort_timeline(s);
	WITH_KEY(c, root, "outputs", x, parse_outputs(c, x));
	return parse_seq_section(c, root, "expect", SCENARIO_MAX_EXPECT, &s->n_expect, scn_parse_expect_item);
}

/* ---- entry points -------------------------------------------------------------------------- */

int scenario_load_string(const char *text, const char *fake_path, const char *const *overrides,
			 int n_overrides, struct scenario *out, struct sim_diag *diag)
{
	struct vctx c = { .file = fake_path, .ovr = overrides, .diag = diag, .s = out };
	struct ynode *root = NULL;
	struct ynode_error yerr;

	diag->msg[0] = 0;
	set_defaults(out, fake_path);
	const char *slash = strrchr(fake_path, '/');
	if (slash)
		snprintf(c.dir, sizeof(c.dir), "%.*s", slash == fake_path ? 1 : (int)(slash - fake_path), fake_path);
	if (ynode_parse(text, strlen(text), &root, &yerr)) {
		scn_diag_set(diag, "%s:%u:%u: %s", fake_path, yerr.line, yerr.col, yerr.msg);
		return -1;
	}
	if (!root) {
		snprintf(diag->msg, sizeof(diag->msg),
			 "%s:1:1: empty document; a scenario is a mapping of keys (name, platform, sources, ...)",
			 fake_path);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n_overrides && !rc; i++)
		rc = scn_apply_override(&root, overrides[i], (unsigned)i + 1, diag);
	if (!rc)
		rc = validate(&c, root);
	ynode_free(root);
	return rc;
}

int scenario_load(const char *path, const char *const *overrides, int n_overrides, struct scenario *out,
		  struct sim_diag *diag)
{
	char *buf, err[sizeof(diag->msg)];
	size_t len;
	int rc = -1;
	if (sim_read_file(path, SCENARIO_MAX_FILE_BYTES, &buf, &len, err, sizeof(err)) != 0) {
		scn_diag_set(diag, "%s", err);
		return -1;
	}
	const char *nul = memchr(buf, 0, len);
	if (nul) {
		unsigned line = 1, col = 1;
		for (const char *q = buf; q < nul; q++, col++)
			if (*q == '\n') {
				line++;
				col = 0;
			}
		scn_diag_set(diag, "%s:%u:%u: the file contains a NUL byte", path, line, col);
		goto out;
	}
	rc = scenario_load_string(buf, path, overrides, n_overrides, out, diag);
out:
	free(buf);
	return rc;
}

void scenario_free(struct scenario *s) { memset(s, 0, sizeof(*s)); }

const char *scenario_transport_name(enum scenario_transport t)
{
	static const char *const n[] = { "spi", "ppi", "sgi", "ffa" };
	return (unsigned)t < 4 ? n[t] : "?";
}

const char *scenario_action_name(enum scenario_action a)
{
	static const char *const n[] = { "cpu_off", "cpu_on", "suspend", "storm", "mask_window", "load" };
	return (unsigned)a < 6 ? n[a] : "?";
}

const char *scenario_op_name(enum scenario_op op)
{
	static const char *const n[] = { "<", "<=", ">", ">=", "==", "!=" };
	return (unsigned)op < 6 ? n[op] : "?";
}
