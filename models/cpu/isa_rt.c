// SPDX-License-Identifier: BSD-3-Clause
/* models/cpu/isa_rt.c: see isa_rt.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "models/cpu/isa_rt.h"
#include "sim/kernel/kernel.h"

#define RT_STACK 0x2000      /* per PE and world */
#define RT_SCRATCH 0x100     /* at the top of it */
#define CTX_CPACR 2
#define CTX_VBAR 18
#define CPACR_FPEN (3u << 20)
#define PSTATE_EL1H_MASKED 0x3c5

static const char *const handler_names[ISA_H_COUNT] = { "tee.fast", "tee.notif_send", "ree.notif_irq",
							 "mon.world_switch", "ree.gic_ack", "ree.gic_eoi",
							 "tee.itr_ack", "tee.itr_eoi", "mon.world_restore" };
/* pe_exec labels (the trace's activity names) */
static const char *const handler_labels[ISA_H_COUNT] = { "isa tee_entry_fast", "isa notif_send_async",
							 "isa optee irq_handler", "isa cm_el1_sysregs_context",
							 "isa gic_handle_irq", "isa gic_irq_eoi", "isa itr_ack",
							 "isa itr_eoi", "isa cm_el1_sysregs_context_restore" };

const char *isa_rt_handler_name(enum isa_rt_handler h)
{
	return (unsigned)h < ISA_H_COUNT ? handler_names[h] : "?";
}

struct isa_rt;

/* One routine in progress on one engine. */
struct rt_job {
	struct isa_rt *rt;
	unsigned pe_id;
	enum isa_rt_world world;
	struct isa_engine *e;
	struct pe *pe;
	bool active;
	struct isa_rt_req rq;
	uint64_t insns, cycles, smcs;
	uint64_t cycles16;       /* the step's executed cycles so far, in sixteenths (all its runs) */
	sim_time charged;        /* the time its pe_exec calls have charged so far */
	bool smc_pending;
	uint64_t smc_x[8];
};

struct isa_rt {
	struct isa_rt_config cfg;
	struct pe_ports ports;
	struct isa_mem *mem;
	struct isa_image img[ISA_IMG_COUNT];
	struct rt_job *job;              /* [npes][ISA_RT_WORLDS] */
	struct isa_rt_hstats hs[ISA_H_COUNT];
	struct rt_sym *syms;             /* isa_rt_sym's answers (the models ask on every call) */
	struct rt_sym *hot;              /* ... the last one for each literal, by its address (RT_HOT) */
	char err[512];
};

#define RT_SYMS 32
#define RT_HOT 64
struct rt_sym {
	enum isa_builtin img;
	const char *name;
	uint64_t addr;
};

static void no_state(void *ctx, unsigned pe, unsigned el, bool secure) { (void)ctx, (void)pe, (void)el, (void)secure; }

int isa_rt_new(struct isa_rt **out, const struct isa_rt_config *c, char *err, size_t errlen)
{
	struct isa_rt *rt = calloc(1, sizeof(*rt));
	*out = NULL;
	if (!rt || !c->npes || !c->pes || !c->pes[0]) {
		free(rt);
		snprintf(err, errlen, "ISA: out of memory");
		return -1;
	}
	rt->cfg = *c;
	rt->job = calloc((size_t)c->npes * ISA_RT_WORLDS, sizeof(*rt->job));
	rt->syms = calloc(RT_SYMS, sizeof(*rt->syms));
	rt->hot = calloc(RT_HOT, sizeof(*rt->hot));
	/* the platform's ports; the PE model publishes the exception level, not the engines */
	rt->ports = *pe_get_ports(c->pes[0]);
	rt->ports.state = no_state;
	struct isa_bank banks[2] = { { ISA_SRAM_BASE, ISA_SRAM_SIZE }, { ISA_NSRAM_BASE, ISA_NSRAM_SIZE } };
	if (!rt->job || isa_mem_new(&rt->mem, banks, 2)) {
		snprintf(err, errlen, "ISA: out of memory for guest RAM");
		isa_rt_free(rt);
		return -1;
	}
	for (int i = 0; i < ISA_IMG_COUNT; i++) {
		const void *elf;
		size_t len;
		const char *name;
		isa_builtin_image((enum isa_builtin)i, &elf, &len, &name);
		if (isa_mem_load(rt->mem, name, elf, len, &rt->img[i])) {
			snprintf(err, errlen, "ISA: the built-in guest image %s does not load", name);
			isa_rt_free(rt);
			return -1;
		}
	}
	for (unsigned p = 0; p < c->npes; p++)
		for (int w = 0; w < ISA_RT_WORLDS; w++) {
			struct rt_job *j = &rt->job[p * ISA_RT_WORLDS + (unsigned)w];
			j->rt = rt;
			j->pe_id = p;
			j->world = (enum isa_rt_world)w;
		}
	for (int h = 0; h < ISA_H_COUNT; h++)
		rt->hs[h].min_insns = UINT64_MAX;
	*out = rt;
	return 0;
}

void isa_rt_free(struct isa_rt *rt)
{
	if (!rt)
		return;
	if (rt->job)
		for (unsigned i = 0; i < rt->cfg.npes * ISA_RT_WORLDS; i++)
			isa_engine_free(rt->job[i].e);
	free(rt->job);
	free(rt->syms);
	free(rt->hot);
	isa_mem_free(rt->mem);
	free(rt);
}

uint64_t isa_rt_sym(const struct isa_rt *rt, enum isa_builtin img, const char *sym)
{
	struct rt_sym *c = rt->syms;
	/* the callers' literals: the same pointer each time */
	struct rt_sym *h = rt->hot ? &rt->hot[((uintptr_t)sym >> 3) & (RT_HOT - 1)] : NULL;
	if (h && h->name == sym && h->img == img)
		return h->addr;
	unsigned i;
	uint64_t a = 0;
	for (i = 0; c && i < RT_SYMS && c[i].name; i++)
		if (c[i].img == img && (c[i].name == sym || !strcmp(c[i].name, sym))) {
			a = c[i].addr;
			break;
		}
	if (!a) {
		a = isa_image_symbol(&rt->img[img], sym);
		if (c && i < RT_SYMS && a) /* @sym: the callers' string literals */
			c[i] = (struct rt_sym){ img, sym, a };
	}
	if (h && a)
		*h = (struct rt_sym){ img, sym, a };
	return a;
}

void *isa_rt_ptr(struct isa_rt *rt, uint64_t addr, size_t len) { return addr ? isa_mem_ptr(rt->mem, addr, len) : NULL; }

const struct isa_image *isa_rt_image(const struct isa_rt *rt, enum isa_builtin img) { return &rt->img[img]; }

static uint64_t stack_top(unsigned pe, enum isa_rt_world w)
{
	uint64_t end = w == ISA_RT_TEE   ? ISA_SRAM_BASE + ISA_SRAM_SIZE
		       : w == ISA_RT_MON ? ISA_SRAM_BASE + ISA_SRAM_SIZE - (uint64_t)ISA_MAX_CPUS * RT_STACK
					 : ISA_NSRAM_BASE + ISA_NSRAM_SIZE;
	return end - (uint64_t)pe * RT_STACK;
}

uint64_t isa_rt_scratch(const struct isa_rt *rt, unsigned pe, enum isa_rt_world w)
{
	(void)rt;
	return stack_top(pe, w) - RT_SCRATCH;
}

const char *isa_rt_error(const struct isa_rt *rt) { return rt && rt->err[0] ? rt->err : NULL; }

void isa_rt_fail(struct isa_rt *rt, const char *fmt, ...)
{
	if (!rt->err[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(rt->err, sizeof(rt->err), fmt, ap);
		va_end(ap);
	}
	sim_stop(rt->cfg.sim->k);
}

/* ---- the engines' callbacks ------------------------------------------------------------------ */

static enum isa_action host_model_call(void *ctx, struct isa_engine *e, unsigned imm)
{
	struct rt_job *j = ctx;
	uint64_t x[4], in[4];
	isa_get_xregs(e, x, 4);
	memcpy(in, x, sizeof(in));
	if (!j->active) {
		isa_rt_fail(j->rt, "ISA: cpu%u: model call #%u outside a routine", j->pe_id, imm);
		return ISA_STOP;
	}
	if (!j->rq.mc)
		return imm == ISA_MC_TRACE ? ISA_CONTINUE : ISA_STOP;
	enum isa_action a = j->rq.mc(j->rq.ctx, j->pe, imm, x);
	if (a == ISA_CONTINUE && imm != ISA_MC_TRACE)
		isa_update_xregs(e, in, x, 4); /* the results the call changed: ~45 host instructions a register */
	return a;
}

static enum isa_action host_exception(void *ctx, struct isa_engine *e, const struct isa_exc *x)
{
	struct rt_job *j = ctx;
	(void)e;
	if (x->kind == ISA_EXC_SMC) {
		/* the PE makes it (pe_smc): the monitor and the other world run as configured */
		memcpy(j->smc_x, x->x, sizeof(j->smc_x));
		j->smc_pending = true;
	}
	return ISA_STOP;
}

static struct isa_engine *engine(struct isa_rt *rt, struct rt_job *j)
{
	if (j->e)
		return j->e;
	struct isa_config c;
	memset(&c, 0, sizeof(c));
	c.pe = j->pe_id;
	c.preset = rt->cfg.preset;
	c.clock = rt->cfg.clock;
	c.sim = rt->cfg.sim;
	c.ports = &rt->ports;
	c.host = (struct isa_host){ j, host_model_call, host_exception, NULL };
	memcpy(c.mmio, rt->cfg.mmio, sizeof(c.mmio));
	c.n_mmio = rt->cfg.n_mmio;
	c.no_mrs_hook = j->world == ISA_RT_MON; /* cm_el1_sysregs_context_save/_restore read EL1 registers only */
	c.el3_resident = j->world == ISA_RT_MON; /* ... at EL3, where the engine stays */
	char err[256] = "";
	int rc = isa_engine_new(&j->e, rt->mem, &c, err, sizeof(err));
	if (rc) {
		isa_rt_fail(rt, "ISA: cpu%u: %s", j->pe_id, err[0] ? err : isa_strerror(rc));
		return NULL;
	}
	/* park it at EL1 of its world, as BL31's el3_exit leaves a world (an emulated ERET from EL3) */
	bool tee = j->world == ISA_RT_TEE;
	struct isa_context k;
	memset(&k, 0, sizeof(k));
	k.pstate = PSTATE_EL1H_MASKED;
	k.sp_el1 = stack_top(j->pe_id, j->world) - RT_SCRATCH;
	k.el1[CTX_CPACR] = CPACR_FPEN;
	k.el1[CTX_VBAR] = isa_rt_sym(rt, tee ? ISA_IMG_TEE : ISA_IMG_REE, tee ? "thread_excp_vect" : "vectors");
	k.pc = ISA_HOST_RETURN;
	k.scr_el3 = ISA_SCR_RW | ISA_SCR_HCE | ISA_SCR_RES1 | (tee ? 0 : ISA_SCR_NS | ISA_SCR_FIQ);
	struct isa_result r;
	/* out of reset into EL3 (the trampoline: the translator's EL follows), then down to EL1 */
	isa_reset(j->e, ISA_HOST_RETURN, NULL);
	rc = isa_call(j->e, ISA_HOST_ERET, NULL, 0, 0, 0, NULL, &r);
	if (!rc && (r.why != ISA_STOP_RETURN || isa_el(j->e) != 3))
		rc = ISA_E_STATE;
	isa_set_reg(j->e, ISA_HCR_EL2, (uint64_t)1 << 31); /* ISA_HCR_RW, without its int shift (UB in C) */
	bool el3 = j->world == ISA_RT_MON; /* BL31's routines run at EL3, where the reset left it */
	if (!rc && !el3)
		rc = isa_context_restore(j->e, &k);
	if (!rc && !el3)
		rc = isa_call(j->e, ISA_HOST_ERET, NULL, 0, 0, 0, NULL, &r);
	if (rc || r.why != ISA_STOP_RETURN || isa_el(j->e) != (el3 ? 3u : 1u) || (!el3 && isa_secure(j->e) != tee)) {
		isa_rt_fail(rt, "ISA: cpu%u: the engine does not reach %s (%s)", j->pe_id,
			    el3 ? "EL3" : tee ? "S-EL1" : "NS-EL1", rc ? isa_strerror(rc) : "stopped early");
		isa_engine_free(j->e);
		j->e = NULL;
		return NULL;
	}
	if (el3) {
		/*
		 * BL31's two EL1 contexts of this PE start as the engine's own EL1 registers: the
		 * monitor engine has no lower world, so every switch then restores the values the
		 * registers hold, which the engine skips (a changed SCTLR/TTBR/TCR/CONTEXTIDR would
		 * flush QEMU's TLB each time: host time only, the cycles are the same)
		 */
		uint64_t save = isa_rt_sym(rt, ISA_IMG_MONITOR, "cm_el1_sysregs_context_save");
		for (uint64_t sec = 0; sec < 2 && !rc; sec++) {
			rc = isa_call(j->e, save, &sec, 1, stack_top(j->pe_id, j->world) - RT_SCRATCH, 0, NULL, &r);
			if (!rc && r.why != ISA_STOP_RETURN)
				rc = ISA_E_STATE;
		}
		if (rc) {
			isa_rt_fail(rt, "ISA: cpu%u: BL31's contexts: %s", j->pe_id, isa_strerror(rc));
			isa_engine_free(j->e);
			j->e = NULL;
			return NULL;
		}
	}
	isa_stats_reset(j->e);
	return j->e;
}

/* ---- running a routine ------------------------------------------------------------------------- */

static uint64_t budget(struct isa_rt *rt)
{
	struct sim_kernel *k = rt->cfg.sim->k;
	sim_time now = sim_now(k), next = sim_next_time(k);
	if (next == SIM_TIME_MAX)
		return 0;
	uint64_t b = next > now ? sim_clock_to_cycles(&rt->cfg.clock, next - now) : 0;
	return b ? b : 1;
}

static void handle(struct rt_job *j, int rc, const struct isa_result *r);

static void resume(void *ctx, struct pe *pe)
{
	struct rt_job *j = ctx;
	struct isa_result r;
	(void)pe;
	int rc = isa_run(j->e, budget(j->rt), &r);
	handle(j, rc, &r);
}

static void smc_returned(void *ctx, struct pe *pe)
{
	struct rt_job *j = ctx;
	/* x0..x7 of the return; the engine still holds the call's (host_exception): write those that changed */
	isa_update_xregs(j->e, j->smc_x, pe_regs(pe), 8);
	resume(j, pe);
}

static void do_smc(void *ctx, struct pe *pe)
{
	struct rt_job *j = ctx;
	j->smcs++;
	if (j->rq.smc_tag)
		pe_smc_tag(pe, j->rq.smc_tag, j->smc_x, smc_returned, j);
	else
		pe_smc(pe, j->smc_x, smc_returned, j);
}

static void finished(void *ctx, struct pe *pe)
{
	struct rt_job *j = ctx;
	if (j->rq.then_fn) { /* the step's second routine */
		struct isa_result r;
		uint64_t fn = j->rq.then_fn;
		j->rq.then_fn = 0;
		int rc = isa_call(j->e, fn, j->rq.then_args, j->rq.then_nargs, stack_top(j->pe_id, j->world) - RT_SCRATCH,
				  budget(j->rt), NULL, &r);
		handle(j, rc, &r);
		return;
	}
	struct isa_rt_hstats *h = &j->rt->hs[j->rq.h];
	uint64_t res[4] = { 0, 0, 0, 0 };
	unsigned nres = j->rq.nres < 4 ? j->rq.nres : 4;
	if (nres && !isa_call_results(j->e, res, nres)) /* not reached: the routine returned (ISA_STOP_RETURN) */
		isa_get_xregs(j->e, res, nres);
	h->calls++;
	h->insns += j->insns;
	h->cycles += j->cycles;
	h->smcs += j->smcs;
	unsigned b = j->smcs < ISA_RT_SMC_BUCKETS ? (unsigned)j->smcs : ISA_RT_SMC_BUCKETS - 1;
	h->calls_by_smcs[b]++;
	h->cycles_by_smcs[b] += j->cycles;
	if (j->insns < h->min_insns)
		h->min_insns = j->insns;
	if (j->insns > h->max_insns)
		h->max_insns = j->insns;
	/* the handler's instructions and cycles, in the trace */
	pe_event(pe, handler_labels[j->rq.h], j->insns, j->cycles);
	struct isa_rt_req rq = j->rq;
	j->active = false;
	rq.done(rq.ctx, pe, res);
}

static void handle(struct rt_job *j, int rc, const struct isa_result *r)
{
	struct isa_rt *rt = j->rt;
	j->insns += r->insns;
	j->cycles16 += r->cycles16;
	/*
	 * The step's time is its own executed cycles so far, rounded to whole cycles as an abstract
	 * cost is (sim_cost_sample: round half up, then sim_clock_cycles), less what its earlier
	 * runs charged: a step lasts exactly what the abstract model charges for a constant cost of
	 * the same cycles, whatever runs it took, and nothing is carried from one step to the next.
	 */
	j->cycles = (j->cycles16 + 8) / 16;
	sim_time upto = sim_clock_cycles(&rt->cfg.clock, j->cycles);
	sim_time dur = upto - j->charged;
	j->charged = upto;
	if (rc) {
		isa_rt_fail(rt, "ISA: cpu%u: %s: %s at pc 0x%" PRIx64, j->pe_id, handler_names[j->rq.h], isa_strerror(rc),
			r->err_pc);
		return;
	}
	const char *label = handler_labels[j->rq.h];
	switch (r->why) {
	case ISA_STOP_RETURN:
		pe_exec(j->pe, dur, label, finished, j);
		return;
	case ISA_STOP_BUDGET:
	case ISA_STOP_DEADLINE:
		pe_exec(j->pe, dur, label, resume, j);
		return;
	case ISA_STOP_REQUEST:
		if (j->smc_pending) {
			j->smc_pending = false;
			pe_exec(j->pe, dur, label, do_smc, j);
			return;
		}
		break;
	default:
		break;
	}
	isa_rt_fail(rt, "ISA: cpu%u: %s stopped (%s%u) at pc 0x%" PRIx64, j->pe_id, handler_names[j->rq.h],
		r->why == ISA_STOP_MODEL_CALL ? "a refused model call #" : "stop ", r->why == ISA_STOP_MODEL_CALL ? r->imm : r->why,
		isa_get_reg(j->e, ISA_PC));
}

void isa_rt_call(struct isa_rt *rt, struct pe *pe, const struct isa_rt_req *rq)
{
	unsigned id = pe_id(pe);
	if (id >= rt->cfg.npes || (unsigned)rq->world >= ISA_RT_WORLDS) {
		isa_rt_fail(rt, "ISA: cpu%u: no engine", id);
		return;
	}
	struct rt_job *j = &rt->job[id * ISA_RT_WORLDS + rq->world];
	if (j->active) {
		isa_rt_fail(rt, "ISA: cpu%u: %s while %s runs", id, handler_names[rq->h], handler_names[j->rq.h]);
		return;
	}
	if (!engine(rt, j))
		return;
	j->pe = pe;
	j->rq = *rq;
	j->active = true;
	j->insns = j->cycles = j->smcs = j->cycles16 = 0;
	j->charged = 0;
	j->smc_pending = false;
	struct isa_result r;
	int rc = isa_call(j->e, rq->fn, rq->args, rq->nargs, stack_top(id, rq->world) - RT_SCRATCH, budget(rt), NULL,
			  &r);
	handle(j, rc, &r);
}

void isa_rt_handler_stats(const struct isa_rt *rt, enum isa_rt_handler h, struct isa_rt_hstats *out)
{
	*out = rt->hs[h];
	if (!out->calls)
		out->min_insns = 0;
}

void isa_rt_stats(struct isa_rt *rt, struct isa_stats *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < rt->cfg.npes * ISA_RT_WORLDS; i++) {
		struct isa_stats s;
		if (!rt->job[i].e)
			continue;
		isa_get_stats(rt->job[i].e, &s);
		out->insns += s.insns;
		out->blocks += s.blocks;
		out->cycles += s.cycles;
		for (int w = 0; w < 3; w++)
			out->insns_world[w] += s.insns_world[w], out->cycles_world[w] += s.cycles_world[w];
		for (int c = 0; c < ISA_C_COUNT; c++)
			out->cls[c] += s.cls[c];
		out->smc += s.smc;
		out->model_calls += s.model_calls;
		out->icc_accesses += s.icc_accesses;
		out->mmio_accesses += s.mmio_accesses;
		out->runs += s.runs;
		out->decoded_blocks += s.decoded_blocks;
	}
}

void isa_rt_print(struct isa_rt *rt, FILE *f)
{
	fprintf(f, "\n  guest code (fidelity: isa; cycles: %s timing, models/cpu/isa.h)\n",
		isa_timing_preset(rt->cfg.preset)->name);
	fprintf(f, "  %-18s %8s %11s %12s %10s   %s\n", "handler", "calls", "insns/call", "cycles/call", "SMCs/call",
		"insns min..max");
	for (int h = 0; h < ISA_H_COUNT; h++) {
		const struct isa_rt_hstats *s = &rt->hs[h];
		if (!s->calls)
			continue;
		double n = (double)s->calls;
		fprintf(f, "  %-18s %8" PRIu64 " %11.1f %12.1f %10.2f   %" PRIu64 "..%" PRIu64 "\n", handler_names[h],
			s->calls, (double)s->insns / n, (double)s->cycles / n, (double)s->smcs / n, s->min_insns,
			s->max_insns);
	}
}
