// SPDX-License-Identifier: BSD-3-Clause
/* sim/calibrate.c: see calibrate.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/calibrate.h"
#include "models/cpu/isa_rt.h"
#include "sim/isa_plat.h"
#include "sim/platform.h"
#include "sim/run.h"
#include "sim/scenario/scenario.h"

/* SMC function IDs (OP-TEE's optee_smc.h, TF-A's teesmc_opteed.h) */
#define FID_ENABLE_ASYNC 0xB2000010u
#define FID_GET_ASYNC 0xB2000011u
#define FID_REGD_ARG 0x32000013u
#define FID_CALL_DONE 0xBE000005u
#define FID_FIQ_DONE 0xBE000006u

#define MAX_SEG 64

enum seg_end { END_NONE = 0, END_SMC, END_IRQ, END_FIQ, END_ERET, END_RETURN };

struct seg {
	unsigned world;          /* SIM_WORLD_* */
	enum seg_end end;
	uint32_t fid;            /* END_SMC */
	enum seg_end start;      /* what ended the world before it */
	uint32_t start_fid;
	unsigned start_world;
	uint64_t insns, cycles;
};

struct cal {
	struct isa_plat *p;
	struct seg s[MAX_SEG];
	unsigned n;
	bool on;
	uint64_t insns0, cycles0;
	unsigned world;
	enum seg_end start;
	uint32_t start_fid;
	unsigned start_world;
	enum seg_end pending;
	uint32_t pending_fid;
};

static void totals(struct isa_plat *p, uint64_t *insns, uint64_t *cycles)
{
	struct isa_stats st;
	isa_get_stats(p->e[0], &st);
	*insns = st.insns;
	*cycles = st.cycles_world[0] + st.cycles_world[1] + st.cycles_world[2];
}

static void seg_close(struct cal *c, enum seg_end end, uint32_t fid, unsigned next_world)
{
	uint64_t insns, cycles;
	totals(c->p, &insns, &cycles);
	if (c->on && c->n < MAX_SEG && insns > c->insns0)
		c->s[c->n++] = (struct seg){ c->world, end, fid, c->start, c->start_fid, c->start_world,
					     insns - c->insns0, cycles - c->cycles0 };
	c->start = end;
	c->start_fid = fid;
	c->start_world = c->world;
	c->insns0 = insns;
	c->cycles0 = cycles;
	c->world = next_world;
}

static void on_exc(void *ctx, struct isa_plat *p, unsigned pe, const struct isa_exc *x)
{
	struct cal *c = ctx;
	(void)p;
	if (pe)
		return;
	c->pending = x->kind == ISA_EXC_SMC ? END_SMC : x->kind == ISA_EXC_IRQ ? END_IRQ : END_FIQ;
	c->pending_fid = (uint32_t)x->x[0];
}

static void on_state(void *ctx, struct isa_plat *p, unsigned pe, unsigned el, bool secure)
{
	struct cal *c = ctx;
	(void)p;
	if (pe)
		return;
	enum seg_end end = el == 3 ? c->pending : END_ERET;
	/* an interrupt taken at the same EL (an IRQ at NS-EL1) changes no state: no segment ends */
	seg_close(c, end, c->pending_fid, el == 3 ? SIM_WORLD_EL3 : secure ? SIM_WORLD_S : SIM_WORLD_NS);
	c->pending = END_NONE;
}

/* A segment of the path and the abstract entries charged for the same code. */
struct rule {
	const char *what;
	unsigned world;
	enum seg_end start;      /* what ended the previous segment */
	uint32_t start_fid;      /* ... for END_SMC */
	unsigned start_world;    /* ... in that world */
	enum sim_cost_id ids[5];
	unsigned nids;
};

static const struct rule rules[] = {
	{ "FIQ (secure UART) from NS -> opteed -> OP-TEE's FIQ vector", SIM_WORLD_EL3, END_FIQ, 0, SIM_WORLD_NS,
	  { SIM_COST_EXC_ENTRY, SIM_COST_EL3_DISPATCH, SIM_COST_WORLD_SWITCH, SIM_COST_EXC_RETURN }, 4 },
	{ "OP-TEE FIQ: IAR, UART top half, notif_send_async, EOIR", SIM_WORLD_S, END_ERET, 0, SIM_WORLD_EL3,
	  { SIM_COST_TEE_ITR, SIM_COST_TEE_NOTIF_SEND }, 2 },
	{ "FIQ_DONE -> dispatch -> restore NS -> ERET", SIM_WORLD_EL3, END_SMC, FID_FIQ_DONE, SIM_WORLD_S,
	  { SIM_COST_EXC_ENTRY, SIM_COST_EL3_DISPATCH, SIM_COST_WORLD_RESTORE, SIM_COST_EXC_RETURN }, 4 },
	{ "Linux IRQ: vector, gic_handle_irq (IAR1), drain loop to its SMC", SIM_WORLD_NS, END_ERET, 0, SIM_WORLD_EL3,
	  { SIM_COST_REE_IRQ_ENTRY, SIM_COST_GIC_IAR }, 2 },
	{ "NS SMC GET_ASYNC_NOTIF_VALUE -> dispatch -> OP-TEE", SIM_WORLD_EL3, END_SMC, FID_GET_ASYNC, SIM_WORLD_NS,
	  { SIM_COST_EXC_ENTRY, SIM_COST_EL3_DISPATCH, SIM_COST_WORLD_SWITCH, SIM_COST_EXC_RETURN }, 4 },
	{ "OP-TEE fast call GET_ASYNC_NOTIF_VALUE", SIM_WORLD_S, END_ERET, 0, SIM_WORLD_EL3, { SIM_COST_TEE_FAST }, 1 },
	{ "CALL_DONE -> dispatch -> switch to NS -> ERET", SIM_WORLD_EL3, END_SMC, FID_CALL_DONE, SIM_WORLD_S,
	  { SIM_COST_EXC_ENTRY, SIM_COST_EL3_DISPATCH, SIM_COST_WORLD_SWITCH, SIM_COST_EXC_RETURN }, 4 },
	{ "NS SMC CALL_WITH_REGD_ARG -> dispatch -> OP-TEE", SIM_WORLD_EL3, END_SMC, FID_REGD_ARG, SIM_WORLD_NS,
	  { SIM_COST_EXC_ENTRY, SIM_COST_EL3_DISPATCH, SIM_COST_WORLD_SWITCH, SIM_COST_EXC_RETURN }, 4 },
	{ "DO_BOTTOM_HALF: thread alloc, std entry, notif_deliver_event, exit", SIM_WORLD_S, END_ERET, 0, SIM_WORLD_EL3,
	  { SIM_COST_TEE_THREAD_ALLOC, SIM_COST_TEE_STD_ENTRY, SIM_COST_TEE_BH_EXIT }, 3 },
};

/* Which segment of @c a rule names: the Linux IRQ one starts in the idle loop (no state change); the others by what
 * ended the segment before them. @k is the rule's index; the S-EL1 rules follow the EL3 rule before them. */
static int find(const struct cal *c, unsigned k)
{
	const struct rule *r = &rules[k];
	for (unsigned i = 0; i < c->n; i++) {
		const struct seg *s = &c->s[i];
		if (s->world != r->world)
			continue;
		if (r->world == SIM_WORLD_S) {
			/* the S-EL1 segment right after the EL3 segment of the rule before */
			int e = find(c, k - 1);
			if (e >= 0 && (unsigned)e + 1 == i)
				return (int)i;
			continue;
		}
		if (r->world == SIM_WORLD_NS) {
			/* the first NS segment ending in an SMC GET_ASYNC_NOTIF_VALUE */
			if (s->end == END_SMC && s->fid == FID_GET_ASYNC)
				return (int)i;
			continue;
		}
		if (s->start_world == r->start_world && s->start == r->start &&
		    (r->start != END_SMC || s->start_fid == r->start_fid))
			return (int)i;
	}
	return -1;
}

static double abstract_cycles(const struct sim_costs *t, enum sim_cost_id id)
{
	const struct sim_cost *k = &t->c[id];
	if (k->d.kind != SIM_DIST_CONST)
		return -1;
	return k->unit == SIM_COST_CYCLES ? k->d.a : (double)sim_clock_to_cycles(&t->clock, (sim_time)k->d.a);
}

int calibrate_run(enum sim_preset preset, FILE *out, struct calibrate_result *res, char *err, size_t errlen)
{
	static struct isa_plat p; /* large (its logs) */
	struct isa_plat_cfg pc;
	struct cal c;
	struct sim_costs table;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	isa_plat_cfg_default(&pc);
	pc.preset = preset;
	pc.eoimode = false;           /* the scenarios' default (ree.eoimode: 0) */
	pc.src_period = 50 * SIM_US;  /* one character every 50 us: each notification isolated */
	sim_costs_preset(&table, preset);
	if (isa_plat_init(&p, &pc) || isa_plat_boot(&p)) {
		snprintf(err, errlen, "calibrate: %s", p.err);
		goto out;
	}
	c.p = &p;
	uint64_t res4[4];
	if (isa_plat_smc_call(&p, 0, (uint64_t[8]){ FID_ENABLE_ASYNC }, res4) || res4[0]) {
		snprintf(err, errlen, "calibrate: ENABLE_ASYNC_NOTIF: %s", p.err);
		goto out;
	}
	uint64_t bh = isa_plat_sym(&p, ISA_IMG_REE, "optee_do_bottom_half");
	struct isa_stats a, b;
	for (int i = 0; i < 3; i++) { /* two to warm up (every block decoded once), the third measured */
		if (i == 2) {
			seg_close(&c, END_NONE, 0, SIM_WORLD_NS);
			c.on = true;
			p.hook_ctx = &c;
			p.on_state = on_state;
			p.on_exception = on_exc;
			isa_get_stats(p.e[0], &a);
		}
		sim_time next = (sim_now(p.s.k) / (50 * SIM_US) + 1) * 50 * SIM_US + 10 * SIM_US;
		if (isa_plat_idle_until(&p, 0, next) ||
		    isa_plat_call(&p, 0, bh, NULL, 0, isa_plat_task_stack(&p, 0), res4) || res4[0]) {
			snprintf(err, errlen, "calibrate: the notification: %s", p.err[0] ? p.err : "DO_BOTTOM_HALF failed");
			goto out;
		}
		if (c.on)
			seg_close(&c, END_RETURN, 0, SIM_WORLD_NS);
		p.nsmc = p.nmc = p.nicc = p.nmmio = 0;
	}
	isa_get_stats(p.e[0], &b);

	struct calibrate_result r;
	memset(&r, 0, sizeof(r));
	r.preset = preset;
	for (int w = 0; w < 3; w++)
		r.insns[w] = b.insns_world[w] - a.insns_world[w], r.cycles[w] = b.cycles_world[w] - a.cycles_world[w];
	if (out) {
		fprintf(out, "tzsim calibrate: guest code on %s @%.2fGHz, one isolated notification (secure UART, SPI %u, "
			     "EOImode 0, idle)\n",
			sim_preset_name(preset), (double)table.clock.hz / 1e9, pc.notif_intid);
		fprintf(out, "  executed: EL3 %" PRIu64 " / S-EL1 %" PRIu64 " / NS-EL1 %" PRIu64 " instructions, "
			     "%" PRIu64 " / %" PRIu64 " / %" PRIu64 " cycles\n\n",
			r.insns[2], r.insns[1], r.insns[0], r.cycles[2], r.cycles[1], r.cycles[0]);
		fprintf(out, "  %-66s %6s %6s %7s  %s\n", "segment (guest code)", "insns", "cycles", "table", "abstract entries");
	}
	double sum[SIM_COST_COUNT] = { 0 };
	unsigned cnt[SIM_COST_COUNT] = { 0 };
	for (unsigned k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		const struct rule *ru = &rules[k];
		int i = find(&c, k);
		if (i < 0) {
			snprintf(err, errlen, "calibrate: the path has no segment \"%s\"", ru->what);
			goto out;
		}
		double abs_sum = 0;
		char names[160] = "";
		for (unsigned j = 0; j < ru->nids; j++) {
			abs_sum += abstract_cycles(&table, ru->ids[j]);
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", j ? " + " : "",
				 sim_cost_name(ru->ids[j]));
		}
		for (unsigned j = 0; j < ru->nids; j++) {
			sum[ru->ids[j]] += (double)c.s[i].cycles * abstract_cycles(&table, ru->ids[j]) / abs_sum;
			cnt[ru->ids[j]]++;
		}
		if (r.nseg < CALIBRATE_MAX_SEG)
			r.seg[r.nseg++] = (struct calibrate_seg){ ru->what, ru->world, ru->start == END_FIQ,
								  ru->start == END_SMC ? ru->start_fid : 0,
								  ru->start_world, abs_sum, c.s[i].insns, c.s[i].cycles };
		if (out)
			fprintf(out, "  %-66s %6" PRIu64 " %6" PRIu64 " %7.0f  %s\n", ru->what, c.s[i].insns, c.s[i].cycles,
				abs_sum, names);
	}
	for (int id = 0; id < SIM_COST_COUNT && r.n < CALIBRATE_MAX; id++)
		if (cnt[id])
			r.e[r.n++] = (struct calibrate_entry){ (enum sim_cost_id)id, abstract_cycles(&table, (enum sim_cost_id)id),
							       sum[id] / cnt[id], cnt[id] };
	if (out) {
		fprintf(out, "\n  implied cost table (cycles; each segment shared in proportion to the table's entries, "
			     "averaged over segments):\n");
		fprintf(out, "  %-18s %9s %9s %7s   %s\n", "entry", "table", "implied", "ratio", "platform.cost_overrides");
		for (unsigned i = 0; i < r.n; i++)
			fprintf(out, "  %-18s %9.0f %9.0f %7.2f   %s: %.0f cycles\n", sim_cost_name(r.e[i].id),
				r.e[i].abstract_cycles, r.e[i].implied_cycles, r.e[i].implied_cycles / r.e[i].abstract_cycles,
				sim_cost_name(r.e[i].id), r.e[i].implied_cycles);
	}
	if (res)
		*res = r;
	rc = 0;
out:
	isa_plat_fini(&p);
	return rc;
}

static bool not_booted(void *ctx)
{
	struct platform *p = ctx;
	return !p->booted && sim_now(p->sim.k) < RUN_BOOT_LIMIT;
}

/*
 * Run the built-in scenario @text (@name for its messages) and put in @hs
 * each handler's statistics after the boot: the boot's fast calls
 * (capabilities, shm config) are shorter than the notification path's
 * GET_ASYNC_NOTIF_VALUE, which every scenario makes throughout its run.
 * Returns 0, or -1 with @err; @costs: the scenario's cost table.
 */
static int steps_run(const char *text, const char *name, struct isa_rt_hstats hs[ISA_H_COUNT], struct sim_costs *costs,
		     char *err, size_t errlen)
{
	struct sim_diag d = { { 0 } };
	struct scenario *sc = calloc(1, sizeof(*sc));
	struct platform *p = calloc(1, sizeof(*p));
	int rc = -1;
	if (!sc || !p) {
		snprintf(err, errlen, "calibrate: out of memory");
		goto out;
	}
	if (scenario_load_string(text, name, NULL, 0, sc, &d) != 0) {
		snprintf(err, errlen, "calibrate: %s", d.msg);
		goto out;
	}
	if (platform_build(p, sc, SIM_BACKEND_NATIVE, err, errlen) != 0)
		goto out;
	platform_start(p);
	sim_run_while(p->sim.k, not_booted, p);
	if (!p->booted || !p->isa) {
		snprintf(err, errlen, "calibrate: the steps' platform (%s) did not boot", name);
		goto free;
	}
	struct isa_rt_hstats boot[ISA_H_COUNT];
	for (int h = 0; h < ISA_H_COUNT; h++)
		isa_rt_handler_stats(p->isa, (enum isa_rt_handler)h, &boot[h]);
	sim_run_until(p->sim.k, p->boot_time + 20 * SIM_MS);
	if (isa_rt_error(p->isa)) {
		snprintf(err, errlen, "calibrate: %s", isa_rt_error(p->isa));
		goto free;
	}
	for (int h = 0; h < ISA_H_COUNT; h++) {
		struct isa_rt_hstats *o = &hs[h];
		const struct isa_rt_hstats *b = &boot[h];
		isa_rt_handler_stats(p->isa, (enum isa_rt_handler)h, o);
		o->calls -= b->calls, o->insns -= b->insns, o->cycles -= b->cycles, o->smcs -= b->smcs;
		for (int k = 0; k < ISA_RT_SMC_BUCKETS; k++)
			o->calls_by_smcs[k] -= b->calls_by_smcs[k], o->cycles_by_smcs[k] -= b->cycles_by_smcs[k];
	}
	*costs = sc->platform.costs;
	rc = 0;
free:
	platform_free(p);
out:
	free(sc);
	free(p);
	return rc;
}

static struct calibrate_step *add_step(struct calibrate_steps *out, enum isa_rt_handler h, enum sim_cost_id id,
				       const struct isa_rt_hstats *s)
{
	if (out->n == CALIBRATE_STEPS)
		abort(); /* a wiring bug: CALIBRATE_STEPS holds every step (calibrate.h) */
	struct calibrate_step *st = &out->s[out->n++];
	st->handler = isa_rt_handler_name(h);
	st->id = id;
	st->calls = s->calls;
	st->insns = (double)s->insns / (double)s->calls;
	st->cycles = (double)s->cycles / (double)s->calls;
	st->min_insns = (double)s->min_insns;
	st->max_insns = (double)s->max_insns;
	st->entry_cycles = st->cycles;
	return st;
}

/*
 * Linux's drain loop (irq_handler) costs a part per interrupt and a part
 * per value; the abstract model charges ree.notif_value after each value
 * and ree.notif_irq once when the loop ends. A second built-in run with two
 * value timers firing together gives drains of one and of two values: the
 * per-value part is their difference (c2 - c1), the per-interrupt part
 * what one value leaves (c1 - (c2 - c1)).
 */
static int drain_steps(enum sim_preset preset, struct calibrate_steps *out, char *err, size_t errlen)
{
	char text[1024];
	struct isa_rt_hstats hs[ISA_H_COUNT];
	struct sim_costs costs;
	snprintf(text, sizeof(text),
		 "name: calibrate-drain\nseed: 1\nstop: {after: 20ms}\n"
		 "platform: {cpus: 1, costs: %s}\ntransport: {kind: spi}\n"
		 "fidelity: {ree: isa}\n"
		 "sources:\n  - {name: alarm-a, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
		 "  - {name: alarm-b, kind: timer, notify: value, arrival: {periodic: 2ms}}\n",
		 sim_preset_name(preset));
	if (steps_run(text, "calibrate-drain.yaml", hs, &costs, err, errlen) != 0)
		return -1;
	const struct isa_rt_hstats *s = &hs[ISA_H_REE_NOTIF_IRQ];
	if (!s->calls_by_smcs[1] || !s->calls_by_smcs[2]) {
		snprintf(err, errlen, "calibrate: the drain run made %" PRIu64 " one-value and %" PRIu64
			 " two-value drains (both are needed; %" PRIu64 " with more)", s->calls_by_smcs[1],
			 s->calls_by_smcs[2], s->calls_by_smcs[3]);
		return -1;
	}
	double c1 = (double)s->cycles_by_smcs[1] / (double)s->calls_by_smcs[1];
	double c2 = (double)s->cycles_by_smcs[2] / (double)s->calls_by_smcs[2];
	double per_value = c2 - c1, per_irq = c1 - per_value;
	out->drain_calls[0] = s->calls_by_smcs[1], out->drain_calls[1] = s->calls_by_smcs[2];
	out->drain_cycles[0] = c1, out->drain_cycles[1] = c2;
	add_step(out, ISA_H_REE_NOTIF_IRQ, SIM_COST_REE_NOTIF_VALUE, s)->entry_cycles = per_value > 0 ? per_value : 0;
	add_step(out, ISA_H_REE_NOTIF_IRQ, SIM_COST_REE_NOTIF_IRQ, s)->entry_cycles = per_irq > 0 ? per_irq : 0;
	return 0;
}

int calibrate_steps(enum sim_preset preset, struct calibrate_steps *out, char *err, size_t errlen)
{
	char text[1024];
	struct isa_rt_hstats hs[ISA_H_COUNT];
	struct sim_costs costs;
	memset(out, 0, sizeof(*out));
	out->preset = preset;
	/* isolated notifications: one CPU, nothing else running, a timer's bottom half every 1 ms */
	snprintf(text, sizeof(text),
		 "name: calibrate-steps\nseed: 1\nstop: {after: 20ms}\n"
		 "platform: {cpus: 1, costs: %s}\ntransport: {kind: spi}\n"
		 "fidelity: {monitor: isa, tee: isa, ree: isa}\n"
		 "sources:\n  - {name: tick, kind: timer, arrival: {periodic: 1ms}}\n",
		 sim_preset_name(preset));
	if (steps_run(text, "calibrate-steps.yaml", hs, &costs, err, errlen) != 0)
		return -1;
	static const struct {
		enum isa_rt_handler h;
		enum sim_cost_id id;
	} map[] = {
		{ ISA_H_MON_WORLD_SWITCH, SIM_COST_WORLD_SWITCH },
		{ ISA_H_MON_WORLD_RESTORE, SIM_COST_WORLD_RESTORE },
		{ ISA_H_TEE_FAST, SIM_COST_TEE_FAST },
		{ ISA_H_TEE_NOTIF_SEND, SIM_COST_TEE_NOTIF_SEND },
		/* EOImode 0 (the scenarios' default): the acknowledge is IAR1 alone, the EOI is EOIR1 */
		{ ISA_H_REE_GIC_ACK, SIM_COST_GIC_IAR },
		{ ISA_H_REE_GIC_EOI, SIM_COST_GIC_EOI },
		{ ISA_H_TEE_ITR_ACK, SIM_COST_TEE_ITR_ACK },
		{ ISA_H_TEE_ITR_EOI, SIM_COST_TEE_ITR_EOI },
	};
	/* these, then the drain run's two (drain_steps) */
	_Static_assert(sizeof(map) / sizeof(map[0]) + 2 <= CALIBRATE_STEPS, "struct calibrate_steps holds every step");
	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct isa_rt_hstats *h = &hs[map[i].h];
		if (!h->calls) {
			snprintf(err, errlen, "calibrate: the steps' run made no call of %s", isa_rt_handler_name(map[i].h));
			return -1;
		}
		struct calibrate_step *s = add_step(out, map[i].h, map[i].id, h);
		/* notif_send_async's raise (the GICD_ISPENDR write) is charged as gic.mmio in an abstract run, apart
		 * from tee.notif_send; the routine's cycles include that access's device charge (isa.h) */
		if (map[i].id == SIM_COST_TEE_NOTIF_SEND)
			s->entry_cycles -= abstract_cycles(&costs, SIM_COST_GIC_MMIO);
	}
	return drain_steps(preset, out, err, errlen);
}

void calibrate_print_steps(const struct calibrate_steps *st, FILE *out)
{
	fprintf(out, "\n  in a run with fidelity: isa (built-in: 1 CPU, a secure timer every 1 ms, SPI, 20 ms), per call after the boot:\n");
	fprintf(out, "  %-18s %6s %7s %8s %9s   %s\n", "step", "calls", "insns", "cycles", "min..max", "replaces");
	for (unsigned i = 0; i < st->n; i++) {
		const struct calibrate_step *s = &st->s[i];
		fprintf(out, "  %-18s %6" PRIu64 " %7.1f %8.1f %4.0f..%-4.0f   %s: %g cycles\n", s->handler, s->calls, s->insns,
			s->cycles, s->min_insns, s->max_insns, sim_cost_name(s->id), s->entry_cycles);
	}
	fprintf(out, "  ree.notif_value and ree.notif_irq from a second run (1 CPU, value timers every 1 and 2 ms, ree: isa): "
		     "%" PRIu64 " drains of one value, %.1f cycles; %" PRIu64 " of two, %.1f cycles\n",
		st->drain_calls[0], st->drain_cycles[0], st->drain_calls[1], st->drain_cycles[1]);
	fprintf(out, "  (tzsim calibrate --emit-overrides prints these as platform.cost_overrides: an abstract run timed as "
		     "fidelity: isa)\n");
}

void calibrate_print_step_overrides(const struct calibrate_steps *st, FILE *out)
{
	fprintf(out, "# tzsim calibrate --preset %s --emit-overrides: the cycles per call of the steps fidelity: isa\n"
		     "# runs as guest code in a run, as the entries they replace; with these an abstract run is timed\n"
		     "# as the guest code (docs/calibration.md §5.6)\n"
		     "platform:\n  cost_overrides:\n",
		sim_preset_name(st->preset));
	for (unsigned i = 0; i < st->n; i++)
		fprintf(out, "    %s: %.10g cycles\n", sim_cost_name(st->s[i].id), st->s[i].entry_cycles);
}
