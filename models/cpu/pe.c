// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/cpu/pe.c: preemptible timed work, exceptions and power for one PE.
 * See pe.h for the contract and the routing rules.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "models/cpu/pe_internal.h"

/* pe_id() and pe_regs() (pe.h) read the head where a struct pe begins */
_Static_assert(offsetof(struct pe, head) == 0, "struct pe must begin with its head");

static void work_done(void *ctx, uint64_t arg);
static void check_irqs(void *ctx, uint64_t arg);

static const char *const exc_label[] = { "IRQ entry", "FIQ entry", "SMC entry",
					 "HVC entry", "vIRQ entry", "vFIQ entry" };

static inline __attribute__((always_inline)) void trace(struct pe *pe, unsigned kind, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
		  const char *label)
{
	sim_trace_emit_rec(pe->tr, sim_now(pe->k), kind, 0, (int32_t)pe->head.id, pe->world, pe->tag, a, b, c, d, label);
}

/* Record what @pe runs now (@label, NULL: idle) as TR_ACTIVITY. */
static __attribute__((noinline)) void emit_activity(struct pe *pe, const char *label)
{
	struct sim_rec *r = &pe->act_rec;

	/* kind, cpu and the zeros are there from pe_init */
	r->t = sim_now(pe->k);
	r->world = pe->world;
	r->notif = pe->tag;
	r->a = pe->el;
	r->label = label;
	sim_trace_emit_tail(pe->tr, TR_ACTIVITY, r);
}

/* act_rec's label before the first TR_ACTIVITY: no label (nor NULL) is at this address */
static const char pe_act_none[] = "";

/*
 * Emit TR_ACTIVITY when what the PE runs changes (sim/stats/stats.c accounts
 * the time from it). Inline: most calls (every step's end) change nothing,
 * and the check costs less than a call. A working PE is on (pe_exec needs
 * PE_ON; powering off stops the work), so working alone says it runs.
 */
static inline void update_activity(struct pe *pe)
{
	const char *label = pe->working ? pe->label : NULL;

	if (__builtin_expect(pe->act_rec.label == label && (label == NULL || pe->act_rec.world == pe->world), 1))
		return;
	emit_activity(pe, label);
}

/* update_activity for a working PE (exec: the kernel's sim_schedule does not change that). */
static inline void update_activity_working(struct pe *pe)
{
	const char *label = pe->label;

	if (__builtin_expect(pe->act_rec.label == label && (label == NULL || pe->act_rec.world == pe->world), 1))
		return;
	emit_activity(pe, label);
}

static void publish_state(struct pe *pe)
{
	if (pe->ports.state)
		pe->ports.state(pe->ports.ctx, pe->head.id, pe->el, pe->world != SIM_WORLD_NS);
}

static bool route(const struct pe *pe, enum pe_exc line, enum pe_vector *vec, unsigned *el, unsigned *world);

/* Would the current state take an interrupt on one of the asserted lines? */
static bool takeable(const struct pe *pe)
{
	enum pe_vector v;
	unsigned el, w;
	return (pe->fiq_line && route(pe, PE_EXC_FIQ, &v, &el, &w)) ||
	       (pe->irq_line && route(pe, PE_EXC_IRQ, &v, &el, &w));
}

/*
 * Every change of what route() reads (lines, masks, EL, world, power) calls
 * this, so checking now whether anything could be taken, and scheduling the
 * check only then, finds the same interrupts as checking at the event. A
 * step (exec) changes none of them: the PE's functions that change them and
 * then start a step call this after it.
 */
static __attribute__((noinline)) void request_check_lines(struct pe *pe)
{
	if (pe->power == PE_ON && !sim_event_queued(&pe->check_ev) && takeable(pe))
		sim_schedule(pe->k, &pe->check_ev, 0, 0);
}

/*
 * Inline: nearly every call finds both lines low, and that test costs less
 * than a call. One branch on both (|, not ||: both are plain ints).
 */
static inline void request_check(struct pe *pe)
{
	if (pe->irq_line | pe->fiq_line)
		request_check_lines(pe);
}

static void pe_init(struct pe *pe, struct sim *s, unsigned id, const struct sim_costs *costs)
{
	char name[32];
	memset(pe, 0, sizeof(*pe));
	pe->sim = s;
	pe->k = s->k;
	pe->tr = s->tr;
	pe->head.id = id;
	pe->costs = costs;
	pe->clock = costs->clock;
	/* a constant draws no random number (sim_cost_sample): convert it once */
	for (unsigned i = 0; i < SIM_COST_COUNT; i++)
		pe->cost_ps[i] = costs->c[i].d.kind == SIM_DIST_CONST ? sim_cost_sample(&costs->c[i], NULL, &pe->clock)
								     : PE_COST_DRAWN;
	snprintf(name, sizeof(name), "pe%u", id);
	sim_rng_init(&pe->rng, s->seed, name);
	snprintf(name, sizeof(name), "cpu%u", id);
	pe->power_sig = sim_trace_signal(s->tr, name, "power", 2);
	pe->el = 3;
	pe->world = SIM_WORLD_EL3;
	pe->mask_i = pe->mask_f = 1;
	pe->power = PE_OFF;
	pe->act_rec = (struct sim_rec){ .kind = TR_ACTIVITY, .cpu = (int32_t)id, .label = pe_act_none };
	pe->ws_rec = (struct sim_rec){ .kind = TR_WORLD_SWITCH, .cpu = (int32_t)id };
	sim_event_init(&pe->work_ev, work_done, pe);
	sim_event_init(&pe->check_ev, check_irqs, pe);
}

struct pe *pe_new(struct sim *s, unsigned id, const struct sim_costs *costs)
{
	struct pe *pe = malloc(sizeof(*pe));
	if (pe)
		pe_init(pe, s, id, costs);
	return pe;
}

void pe_free(struct pe *pe)
{
	if (!pe)
		return;
	sim_cancel(pe->k, &pe->work_ev);
	sim_cancel(pe->k, &pe->check_ev);
	free(pe);
}

void pe_set_ports(struct pe *pe, const struct pe_ports *ports) { pe->ports = *ports; }
const struct pe_ports *pe_get_ports(const struct pe *pe) { return &pe->ports; }
enum pe_power pe_power(const struct pe *pe) { return pe->power; }
unsigned pe_world(const struct pe *pe) { return pe->world; }
const struct sim_clock *pe_clock(const struct pe *pe) { return &pe->clock; }
uint32_t pe_tag(const struct pe *pe) { return pe->tag; }
bool pe_interrupt_pending(const struct pe *pe) { return pe->irq_line || pe->fiq_line; }

void pe_set_reg(struct pe *pe, unsigned n, uint64_t v)
{
	assert(n < 8);
	pe->head.x[n] = v;
}

sim_time pe_sample(struct pe *pe, const struct sim_cost *c) { return sim_cost_sample(c, &pe->rng, &pe->clock); }

bool pe_quiescent(const struct pe *pe) { return pe->power == PE_ON && !pe->working && pe->depth == 0; }

bool pe_preemptible(const struct pe *pe)
{
	return pe->power == PE_ON && pe->depth == 0 && pe->world == SIM_WORLD_NS &&
	       (!pe->working || !pe->mask_i);
}

void pe_drop_stack(struct pe *pe) { pe->depth = 0; }

void pe_set_wake_hook(struct pe *pe, pe_fn fn, void *ctx)
{
	pe->wake_hook = fn;
	pe->wake_ctx = ctx;
}

void pe_set_ns_return_hook(struct pe *pe, pe_fn fn, void *ctx)
{
	pe->ns_return_hook = fn;
	pe->ns_return_ctx = ctx;
}

void pe_serve(struct pe *pe, uint32_t tag) { pe->tag = tag; }

/* The PE is back in a Non-secure context after running at EL3 (@from_el3, into @world): the hook, if armed. */
static inline void ns_returned(struct pe *pe, bool from_el3, unsigned world)
{
	if (__builtin_expect(pe->ns_return_hook != NULL, 0) && from_el3 && world == SIM_WORLD_NS)
		pe->ns_return_hook(pe->ns_return_ctx, pe);
}

void pe_irq_input(void *ctx, unsigned idx, int level)
{
	struct pe *pe = ctx;
	(void)idx;
	pe->irq_line = level;
	if (level && pe->power == PE_SUSPENDED && pe->wake_hook)
		pe->wake_hook(pe->wake_ctx, pe);
	request_check(pe);
}

void pe_fiq_input(void *ctx, unsigned idx, int level)
{
	struct pe *pe = ctx;
	(void)idx;
	pe->fiq_line = level;
	if (level && pe->power == PE_SUSPENDED && pe->wake_hook)
		pe->wake_hook(pe->wake_ctx, pe);
	request_check(pe);
}

void pe_set_vector(struct pe *pe, enum pe_vector v, pe_vector_fn fn, void *ctx)
{
	pe->vec[v].fn = fn;
	pe->vec[v].ctx = ctx;
}

void pe_set_smc_handler(struct pe *pe, pe_fn fn, void *ctx)
{
	pe->smc_handler = fn;
	pe->smc_ctx = ctx;
}

void pe_set_el3_plan(struct pe *pe, pe_el3_plan_fn fn, void *ctx)
{
	pe->el3_plan = fn;
	pe->el3_ctx = ctx;
}

void pe_set_sel2(struct pe *pe, pe_fn trap, void *ctx)
{
	pe->sel2_trap = trap;
	pe->sel2_ctx = ctx;
}

static inline __attribute__((always_inline)) sim_time cost(struct pe *pe, enum sim_cost_id id)
{
	sim_time v = pe->cost_ps[id];
	return v != PE_COST_DRAWN ? v : sim_cost_sample(&pe->costs->c[id], &pe->rng, &pe->clock);
}

sim_time pe_cost(struct pe *pe, enum sim_cost_id id) { return cost(pe, id); }

void pe_charge(struct pe *pe, enum sim_cost_id id)
{
	/* an idle PE runs nothing that could pay: an access made on its behalf from another (a model shortcut) */
	if (!pe->working && !pe->label)
		return;
	pe->debt += pe_cost(pe, id);
}

/* pe_exec's body, inline in its four entry points (the cost variants spare the models a call each step). */
static inline __attribute__((always_inline)) void exec(struct pe *pe, sim_time dur, const char *label, pe_fn fn,
							void *ctx)
{
	assert(!pe->working && pe->power == PE_ON);
	dur += pe->debt; /* register accesses made since the last step (pe_charge) */
	pe->debt = 0;
	pe->working = true;
	pe->label = label;
	pe->work_fn = fn;
	pe->work_ctx = ctx;
	sim_schedule(pe->k, &pe->work_ev, dur, 0);
	update_activity_working(pe);
}

void pe_exec(struct pe *pe, sim_time dur, const char *label, pe_fn fn, void *ctx) { exec(pe, dur, label, fn, ctx); }

void pe_exec_tag(struct pe *pe, uint32_t tag, sim_time dur, const char *label, pe_fn fn, void *ctx)
{
	pe->tag = tag;
	exec(pe, dur, label, fn, ctx);
}

/* pe_exec_cost_tag with a drawn cost: drawn before the tag is set, as pe_exec_tag's argument was */
static __attribute__((noinline)) void exec_drawn_tag(struct pe *pe, uint32_t tag, enum sim_cost_id id,
						     const char *label, pe_fn fn, void *ctx)
{
	sim_time dur = sim_cost_sample(&pe->costs->c[id], &pe->rng, &pe->clock);

	pe->tag = tag;
	pe_exec(pe, dur, label, fn, ctx);
}

/* pe_exec_cost with a cost that is drawn (not constant): out of line, so the constant case keeps no registers. */
static __attribute__((noinline)) void exec_drawn(struct pe *pe, enum sim_cost_id id, const char *label, pe_fn fn,
						 void *ctx)
{
	pe_exec(pe, sim_cost_sample(&pe->costs->c[id], &pe->rng, &pe->clock), label, fn, ctx);
}

void pe_exec_cost(struct pe *pe, enum sim_cost_id id, const char *label, pe_fn fn, void *ctx)
{
	sim_time dur = pe->cost_ps[id]; /* cost(), the drawn case apart */

	if (__builtin_expect(dur == PE_COST_DRAWN, 0)) {
		exec_drawn(pe, id, label, fn, ctx);
		return;
	}
	exec(pe, dur, label, fn, ctx);
}

void pe_exec_cost_tag(struct pe *pe, uint32_t tag, enum sim_cost_id id, const char *label, pe_fn fn, void *ctx)
{
	sim_time dur = pe->cost_ps[id];

	if (__builtin_expect(dur == PE_COST_DRAWN, 0)) {
		exec_drawn_tag(pe, tag, id, label, fn, ctx);
		return;
	}
	pe->tag = tag;
	exec(pe, dur, label, fn, ctx);
}

/*
 * A pass through EL3 as one step (pe.h, struct pe_el3_pass), from the entry
 * of @exc on: the four legs' costs drawn in their order (the entry's with
 * the debt, as exec adds it), one event at the last one's end, one
 * TR_ACTIVITY whose b, c, d are the ends of the first three legs.
 */
static void el3_pass(struct pe *pe, enum pe_exc exc, const struct pe_el3_pass *p)
{
	sim_time entry = cost(pe, SIM_COST_EXC_ENTRY) + pe->debt;
	sim_time dispatch = entry + cost(pe, p->dispatch);
	sim_time sw = dispatch + cost(pe, p->sw);
	struct sim_rec *r = &pe->act_rec;

	assert(!pe->working && pe->power == PE_ON);
	pe->debt = 0;
	pe->working = true;
	pe->label = exc_label[exc];
	pe->work_fn = p->done;
	pe->work_ctx = p->ctx;
	sim_schedule(pe->k, &pe->work_ev, sw + cost(pe, SIM_COST_EXC_RETURN), 0);
	r->code = SIM_EV_EL3_PASS;
	r->b = entry;
	r->c = dispatch;
	r->d = sw;
	emit_activity(pe, pe->label);
	/* act_rec is the last record for update_activity's comparison: its label and world */
	r->code = SIM_EV_NONE;
	r->b = r->c = r->d = 0;
}

/* The monitor plans a pass for @exc at this entry (pe_set_el3_plan): it runs, and true. */
static inline bool el3_planned(struct pe *pe, enum pe_exc exc)
{
	struct pe_el3_pass p;

	if (!pe->el3_plan || !pe->el3_plan(pe->el3_ctx, pe, exc, &p))
		return false;
	el3_pass(pe, exc, &p);
	return true;
}

/*
 * The step's continuation usually starts the next step: exec's check then
 * made act_rec what the PE runs, and every later change of the label, the
 * world or working checks again (the PE's functions that make one), so
 * only a PE left not working needs the check here.
 */
static void work_done(void *ctx, uint64_t arg)
{
	struct pe *pe = ctx;
	(void)arg;
	pe->working = false;
	pe->work_fn(pe->work_ctx, pe);
	if (!pe->working)
		update_activity(pe);
}

void pe_idle(struct pe *pe)
{
	assert(!pe->working);
	pe->label = NULL;
	pe->tag = 0; /* idle serves nothing */
	pe->debt = 0; /* WFI: an access just before costs nothing more here */
	update_activity(pe);
	request_check(pe);
}

void pe_set_masks(struct pe *pe, bool mask_i, bool mask_f)
{
	pe->mask_i = mask_i;
	pe->mask_f = mask_f;
	request_check(pe);
}

void pe_enter(struct pe *pe, unsigned el, unsigned world, bool mask_i, bool mask_f)
{
	bool eret = el < pe->el;
	pe->el = (uint8_t)el;
	pe->world = (uint8_t)world;
	pe->mask_i = mask_i;
	pe->mask_f = mask_f;
	publish_state(pe);
	if (eret) /* the monitor's ERET into a lower EL at a new entry point */
		trace(pe, TR_EXC_RETURN, el, 0, 0, 0, NULL);
	update_activity(pe);
	request_check(pe);
	ns_returned(pe, eret, world); /* e.g. a warm boot */
}

/* Save the current context as a frame of @kind on the exception stack. */
static inline __attribute__((always_inline)) void push_frame(struct pe *pe, uint8_t kind, pe_fn fn, void *ctx)
{
	struct pe_frame *f;
	assert(pe->depth < PE_MAX_DEPTH);
	f = &pe->stack[pe->depth++];
	f->el = pe->el;
	f->world = pe->world;
	f->mask_i = pe->mask_i;
	f->mask_f = pe->mask_f;
	f->label = pe->label;
	f->notif = pe->tag;
	f->kind = kind;
	f->remaining = 0;
	f->fn = fn;
	f->ctx = ctx;
	if (kind == PE_FRAME_WORK || kind == PE_FRAME_IDLE)
		memcpy(f->x, pe->head.x, sizeof(f->x));
	if (kind == PE_FRAME_WORK) {
		/* what is left of the step: it was to end when its event was queued for */
		f->remaining = pe->work_ev.when - sim_now(pe->k);
		sim_cancel(pe->k, &pe->work_ev);
		f->fn = pe->work_fn;
		f->ctx = pe->work_ctx;
		pe->working = false;
	}
}

/*
 * Where an interrupt on @line goes from the current state, and whether the
 * current PSTATE masks it (pe.h, docs/protocol.md §5.2).
 */
static bool route(const struct pe *pe, enum pe_exc line, enum pe_vector *vec, unsigned *el,
		  unsigned *world)
{
	switch (pe->world) {
	case SIM_WORLD_NS:
		if (line == PE_EXC_IRQ) {
			*vec = PE_VEC_NS_IRQ, *el = 1, *world = SIM_WORLD_NS;
			return !pe->mask_i;
		}
		/* SCR_EL3.FIQ = 1: taken to EL3; a lower EL's PSTATE.F does not mask it. */
		*vec = PE_VEC_EL3_FIQ, *el = 3, *world = SIM_WORLD_EL3;
		return true;
	case SIM_WORLD_S:
		if (pe->el == 2)
			return false; /* the SPMC's handlers run with interrupts masked */
		if (pe->sel2_trap) {
			/* HCR_EL2.IMO/FMO: taken to S-EL2 (see pe.h for when) */
			if (line == PE_EXC_IRQ) {
				*vec = PE_VEC_SEL2_IRQ, *el = 2, *world = SIM_WORLD_S;
				return !pe->mask_i;
			}
			*vec = PE_VEC_SEL2_FIQ, *el = 2, *world = SIM_WORLD_S;
			return !pe->mask_f;
		}
		if (line == PE_EXC_IRQ) {
			*vec = PE_VEC_S_IRQ, *el = 1, *world = SIM_WORLD_S;
			return !pe->mask_i;
		}
		*vec = PE_VEC_S_FIQ, *el = 1, *world = SIM_WORLD_S;
		return !pe->mask_f;
	default:
		return false; /* EL3 runs masked */
	}
}

static void vector_entered(void *ctx, struct pe *pe);

/* Take @exc to (@vec, @el, @world), where route() sends it (check_irqs asked, and it is not masked). */
static void take_exception(struct pe *pe, enum pe_exc exc, enum pe_vector vec, unsigned el, unsigned world)
{
	unsigned from_el = pe->el;

	push_frame(pe, pe->working ? PE_FRAME_WORK : PE_FRAME_IDLE, NULL, NULL);
	pe->el = (uint8_t)el;
	pe->world = (uint8_t)world;
	pe->mask_i = pe->mask_f = 1;
	pe->tag = 0; /* an interrupt starts a path of its own */
	publish_state(pe);
	trace(pe, TR_EXC_ENTRY, exc, from_el, el, 0, NULL);
	/*
	 * The vector rides in the entry work's own context, not in the PE: an NS
	 * IRQ's entry runs at NS EL1, where a FIQ to EL3 is not masked by F, so the
	 * entry can be preempted and must still end in the IRQ vector when resumed.
	 */
	if (vec != PE_VEC_EL3_FIQ || !el3_planned(pe, exc))
		pe_exec_cost(pe, SIM_COST_EXC_ENTRY, exc_label[exc], vector_entered, (void *)(uintptr_t)vec);
	request_check(pe);
}

static void vector_entered(void *ctx, struct pe *pe)
{
	enum pe_vector vec = (enum pe_vector)(uintptr_t)ctx;
	enum pe_exc exc =
		vec == PE_VEC_EL3_FIQ || vec == PE_VEC_S_FIQ || vec == PE_VEC_SEL2_FIQ ? PE_EXC_FIQ : PE_EXC_IRQ;
	assert(vec < PE_VEC_COUNT && pe->vec[vec].fn);
	pe->vec[vec].fn(pe->vec[vec].ctx, pe, exc);
}

static void check_irqs(void *ctx, uint64_t arg)
{
	struct pe *pe = ctx;
	(void)arg;
	if (pe->power != PE_ON)
		return;
	/* During an exception entry the PE is masked, except for FIQ to EL3 from NS (pe.h). */
	if (pe->fiq_line) {
		enum pe_vector v;
		unsigned el, w;
		if (route(pe, PE_EXC_FIQ, &v, &el, &w)) {
			take_exception(pe, PE_EXC_FIQ, v, el, w);
			return;
		}
	}
	if (pe->irq_line) {
		enum pe_vector v;
		unsigned el, w;
		if (route(pe, PE_EXC_IRQ, &v, &el, &w))
			take_exception(pe, PE_EXC_IRQ, v, el, w);
	}
}

const struct pe_frame *pe_top_frame(const struct pe *pe)
{
	return pe->depth ? &pe->stack[pe->depth - 1] : NULL;
}

bool pe_take_frame(struct pe *pe, struct pe_frame *out)
{
	if (!pe->depth)
		return false;
	*out = pe->stack[--pe->depth];
	return true;
}

void pe_preempt(struct pe *pe, struct pe_frame *out)
{
	push_frame(pe, pe->working ? PE_FRAME_WORK : PE_FRAME_IDLE, NULL, NULL);
	*out = pe->stack[--pe->depth];
	pe->label = NULL;
	update_activity(pe);
}

bool pe_end_work(struct pe *pe, pe_fn fn, const void *ctx)
{
	if (pe->working && pe->work_fn == fn && pe->work_ctx == ctx) {
		sim_cancel(pe->k, &pe->work_ev);
		sim_schedule(pe->k, &pe->work_ev, 0, 0);
		return true;
	}
	for (int i = pe->depth - 1; i >= 0; i--) {
		struct pe_frame *f = &pe->stack[i];
		if (f->kind == PE_FRAME_WORK && f->fn == fn && f->ctx == ctx) {
			f->remaining = 0;
			return true;
		}
	}
	return false;
}

void pe_resume_frame(struct pe *pe, const struct pe_frame *f)
{
	pe->el = f->el;
	pe->world = f->world;
	pe->mask_i = f->mask_i;
	pe->mask_f = f->mask_f;
	pe->tag = f->notif;
	publish_state(pe);
	switch (f->kind) {
	case PE_FRAME_WORK:
		/* the registers are the interrupted context's again (the handler's SMCs used them) */
		memcpy(pe->head.x, f->x, sizeof(pe->head.x));
		pe->working = false;
		pe_exec(pe, f->remaining, f->label, f->fn, f->ctx);
		request_check(pe);
		break;
	case PE_FRAME_IDLE:
		pe_idle(pe);
		break;
	default:
		update_activity(pe);
		request_check(pe);
		f->fn(f->ctx, pe);
		break;
	}
}

static void eret_done(void *ctx, struct pe *pe)
{
	struct pe_frame f;
	bool from_el3 = pe->el == 3;
	(void)ctx;
	assert(pe->depth > 0);
	f = pe->stack[--pe->depth];
	trace(pe, TR_EXC_RETURN, f.el, 0, 0, 0, NULL);
	pe_resume_frame(pe, &f);
	ns_returned(pe, from_el3, f.world);
}

void pe_eret(struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", eret_done, NULL);
}

void pe_eret_now(struct pe *pe) { eret_done(NULL, pe); }

/*
 * A synchronous exception from the current context to (@el, @world): push
 * the caller, enter, charge the entry. Inline: an SMC's whole path is one
 * call then, with no arguments on the stack.
 */
static inline __attribute__((always_inline)) void sync_exception(struct pe *pe, enum pe_exc exc, uint8_t kind,
								  unsigned el, unsigned world, pe_fn cont,
								  void *ctx, pe_fn handler, void *hctx)
{
	unsigned from_el = pe->el;
	push_frame(pe, kind, cont, ctx);
	pe->stack[pe->depth - 1].smc_fid = pe->head.x[0];
	pe->el = (uint8_t)el;
	pe->world = (uint8_t)world;
	pe->mask_i = pe->mask_f = 1;
	publish_state(pe);
	trace(pe, TR_EXC_ENTRY, exc, from_el, el, 0, NULL);
	if (el != 3 || !el3_planned(pe, exc))
		pe_exec_cost(pe, SIM_COST_EXC_ENTRY, exc_label[exc], handler, hctx);
	request_check(pe);
}

/* With a Secure EL2, an SMC at S-EL1 traps to it (HCR_EL2.TSC): pe_smc_ev's uncommon case, out of line. */
static __attribute__((noinline)) void smc_trap_sel2(struct pe *pe, pe_fn cont, void *ctx)
{
	sync_exception(pe, PE_EXC_SMC, PE_FRAME_SMC_CALLER, 2, SIM_WORLD_S, cont, ctx, pe->sel2_trap, pe->sel2_ctx);
}

void pe_smc(struct pe *pe, const uint64_t *args, pe_fn cont, void *ctx) { pe_smc_ev(pe, args, SIM_EV_NONE, cont, ctx); }

void pe_smc_ev(struct pe *pe, const uint64_t *args, unsigned code, pe_fn cont, void *ctx)
{
	if (args)
		memcpy(pe->head.x, args, sizeof(pe->head.x));
	sim_trace_emit(pe->tr, &(struct sim_rec){ .t = sim_now(pe->k), .kind = TR_SMC,
						      .code = (uint16_t)code, .cpu = (int32_t)pe->head.id,
						      .world = pe->world, .notif = pe->tag, .a = pe->head.x[0],
						      .b = pe->head.x[1], .c = pe->head.x[2], .d = pe->head.x[3],
						      .label = pe->label });
	/* With a Secure EL2, an SMC at S-EL1 traps to it (HCR_EL2.TSC); from S-EL2 it goes to EL3. */
	if (pe->world == SIM_WORLD_S && pe->el < 2 && pe->sel2_trap) {
		smc_trap_sel2(pe, cont, ctx);
		return;
	}
	sync_exception(pe, PE_EXC_SMC, PE_FRAME_SMC_CALLER, 3, SIM_WORLD_EL3, cont, ctx, pe->smc_handler, pe->smc_ctx);
}

void pe_hvc(struct pe *pe, const uint64_t *args, pe_fn cont, void *ctx)
{
	assert(pe->sel2_trap && pe->world == SIM_WORLD_S && pe->el < 2);
	memcpy(pe->head.x, args, sizeof(pe->head.x));
	sync_exception(pe, PE_EXC_HVC, PE_FRAME_HVC_CALLER, 2, SIM_WORLD_S, cont, ctx, pe->sel2_trap, pe->sel2_ctx);
}

void pe_smc_tag(struct pe *pe, uint32_t tag, const uint64_t *args, pe_fn cont, void *ctx)
{
	pe->tag = tag;
	pe_smc(pe, args, cont, ctx);
}

static bool is_caller(const struct pe *pe)
{
	return pe->depth > 0 && (pe->stack[pe->depth - 1].kind == PE_FRAME_SMC_CALLER ||
				 pe->stack[pe->depth - 1].kind == PE_FRAME_HVC_CALLER);
}

static void smc_return_done(void *ctx, struct pe *pe)
{
	struct pe_frame f;
	bool from_el3 = pe->el == 3;
	(void)ctx;
	assert(is_caller(pe));
	f = pe->stack[--pe->depth];
	memcpy(pe->head.x, pe->ret, sizeof(pe->ret));
	pe->el = f.el;
	pe->world = f.world;
	pe->mask_i = f.mask_i;
	pe->mask_f = f.mask_f;
	pe->tag = f.notif;
	pe->label = f.label;
	publish_state(pe);
	trace(pe, TR_EXC_RETURN, f.el, 0, 0, 0, NULL);
	if (f.kind == PE_FRAME_SMC_CALLER)
		trace(pe, TR_SMC_RET, pe->ret_fid, pe->head.x[0], pe->head.x[1], pe->head.x[2], f.label);
	update_activity(pe);
	request_check(pe);
	/*
	 * An interrupt that the caller's context takes is pending at the ERET:
	 * it is taken before the caller's next instruction (the ERET is a
	 * context synchronization event, and pending unmasked interrupts are
	 * taken at the instruction boundary after it: Arm ARM D1.3.6). The
	 * caller's code after its SMC then runs as work of no length that the
	 * interrupt preempts, with the SMC's results kept in the work's frame.
	 */
	ns_returned(pe, from_el3, f.world);
	if (sim_event_queued(&pe->check_ev)) {
		pe_exec(pe, 0, f.label, f.fn, f.ctx);
		return;
	}
	f.fn(f.ctx, pe);
}

void pe_smc_return(struct pe *pe, const uint64_t res[4])
{
	uint64_t r8[8] = { res[0], res[1], res[2], res[3], 0, 0, 0, 0 };
	pe_smc_return8(pe, r8);
}

/* Hold the results @res of the SMC (or HVC) on top of the stack for smc_return_done. */
static void hold_return(struct pe *pe, const uint64_t res[8])
{
	const struct pe_frame *f = pe_top_frame(pe);
	assert(f && is_caller(pe));
	memcpy(pe->ret, res, sizeof(pe->ret));
	pe->ret_fid = f->smc_fid;
}

void pe_smc_return8(struct pe *pe, const uint64_t res[8])
{
	hold_return(pe, res);
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", smc_return_done, NULL);
}

void pe_smc_return8_now(struct pe *pe, const uint64_t res[8])
{
	hold_return(pe, res);
	smc_return_done(NULL, pe);
}

void pe_smc_discard(struct pe *pe)
{
	assert(is_caller(pe));
	pe->depth--;
}

static void injected(void *ctx, struct pe *pe)
{
	enum pe_exc exc = (enum pe_exc)(uintptr_t)ctx;
	enum pe_vector v = exc == PE_EXC_VFIQ ? PE_VEC_S_FIQ : PE_VEC_S_IRQ;
	pe_fn fn = pe->inject_fn;
	pe->inject_fn = NULL;
	if (fn) {
		fn(pe->inject_ctx, pe);
		return;
	}
	assert(pe->vec[v].fn);
	pe->vec[v].fn(pe->vec[v].ctx, pe, exc == PE_EXC_VFIQ ? PE_EXC_FIQ : PE_EXC_IRQ);
}

static void inject_eret(void *ctx, struct pe *pe)
{
	enum pe_exc exc = (enum pe_exc)(uintptr_t)ctx;
	/* the ERET to S-EL1, and the virtual exception taken there at once */
	pe->el = 1;
	pe->world = SIM_WORLD_S;
	pe->mask_i = pe->mask_f = 1;
	publish_state(pe);
	trace(pe, TR_EXC_RETURN, 1, 0, 0, 0, NULL);
	trace(pe, TR_EXC_ENTRY, exc, 1, 1, 0, NULL);
	pe_exec_cost(pe, SIM_COST_EXC_ENTRY, exc_label[exc], injected, ctx);
	request_check(pe);
}

void pe_inject(struct pe *pe, enum pe_exc exc, pe_fn fn, void *ctx)
{
	assert(pe->el == 2 && pe->world == SIM_WORLD_S && (exc == PE_EXC_VIRQ || exc == PE_EXC_VFIQ));
	pe->inject_fn = fn;
	pe->inject_ctx = ctx;
	pe_exec_cost(pe, SIM_COST_EXC_RETURN, "ERET", inject_eret, (void *)(uintptr_t)exc);
}

void pe_trace_world_switch(struct pe *pe, unsigned from, unsigned to)
{
	struct sim_rec *r = &pe->ws_rec;

	/* kind, cpu and the zeros are there from pe_init */
	r->t = sim_now(pe->k);
	r->world = pe->world;
	r->notif = pe->tag;
	r->a = from;
	r->b = to;
	sim_trace_emit_tail(pe->tr, TR_WORLD_SWITCH, r);
}

int pe_icc_read(struct pe *pe, int reg, uint64_t *val)
{
	return pe->ports.icc_read(pe->ports.ctx, pe->head.id, pe->el, pe->world != SIM_WORLD_NS, reg, val);
}

int pe_icc_write(struct pe *pe, int reg, uint64_t val)
{
	return pe->ports.icc_write(pe->ports.ctx, pe->head.id, pe->el, pe->world != SIM_WORLD_NS, reg, val);
}

int pe_mmio_read(struct pe *pe, uint64_t addr, unsigned size, uint64_t *val)
{
	return pe->ports.mmio_read(pe->ports.ctx, pe->head.id, pe->el, pe->world != SIM_WORLD_NS, addr, size, val);
}

int pe_mmio_write(struct pe *pe, uint64_t addr, unsigned size, uint64_t val)
{
	return pe->ports.mmio_write(pe->ports.ctx, pe->head.id, pe->el, pe->world != SIM_WORLD_NS, addr, size, val);
}

void pe_power_off(struct pe *pe, enum pe_power state)
{
	sim_cancel(pe->k, &pe->work_ev);
	sim_cancel(pe->k, &pe->check_ev);
	pe->working = false;
	pe->power = state;
	pe->tag = 0;
	trace(pe, TR_POWER, state, 0, 0, 0, state == PE_OFF ? "off" : "suspended");
	trace(pe, TR_VALUE, (uint64_t)pe->power_sig, state, 0, 0, NULL);
	update_activity(pe);
}

void pe_power_on(struct pe *pe, pe_fn entry, void *ctx)
{
	pe->power = PE_ON;
	pe->tag = 0;
	pe->el = 3;
	pe->world = SIM_WORLD_EL3;
	pe->mask_i = pe->mask_f = 1;
	trace(pe, TR_POWER, PE_ON, 0, 0, 0, "on");
	trace(pe, TR_VALUE, (uint64_t)pe->power_sig, PE_ON, 0, 0, NULL);
	publish_state(pe);
	update_activity(pe);
	entry(ctx, pe);
}

void pe_event(struct pe *pe, const char *label, uint64_t a, uint64_t b)
{
	trace(pe, TR_EVENT, a, b, 0, 0, label);
}

void pe_finish(struct pe *pe)
{
	/* the trace gets a final idle record that closes the last span */
	bool w = pe->working;
	pe->working = false;
	update_activity(pe);
	pe->working = w;
}
