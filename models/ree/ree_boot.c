// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_boot.c: Linux boot (primary, SMP bring-up with PSCI
 * CPU_ON, driver probe), CPU hotplug and suspend (protocol.md §6.1-6.2),
 * interrupt-masked windows, and the workloads.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ree_internal.h"
#include "models/monitor/smccc.h"

static struct ree_task *init_task(struct ree *r);

/* ---- construction ------------------------------------------------------------------ */

struct ree *ree_new(struct sim *s, const struct ree_config *cfg, struct pe **pes,
		    const struct ree_ports *ports)
{
	struct ree *r;
	if (cfg->num_pes == 0 || cfg->num_pes > REE_MAX_CPUS)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->sim = s;
	r->cfg = *cfg;
	if (ports)
		r->ports = *ports;
	r->pes = pes;
	r->num_spis = 256;
	sim_rng_init(&r->rng, s->seed, "ree");
	for (unsigned i = 0; i < cfg->num_pes; i++) {
		char scope[16];
		snprintf(scope, sizeof(scope), "cpu%u", i);
		r->intid_sig[i] = sim_trace_signal(s->tr, scope, "intid", 10);
		ree_sched_init_cpu(r, i);
	}
	return r;
}

void ree_free(struct ree *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->ntasks; i++)
		free(r->tasks[i]);
	free(r);
}

void ree_attach(struct ree *r, struct mon *m)
{
	r->mon = m;
	mon_set_ns_entry(m, ree_ns_entry, r);
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		pe_set_vector(r->pes[i], PE_VEC_NS_IRQ, ree_irq_vector, r);
}

uint64_t ree_spurious(const struct ree *r) { return r->spurious; }

static unsigned online_count(const struct ree *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		n += r->cpu[i].online && !r->cpu[i].going_down;
	return n;
}

/* ---- bring-up ---------------------------------------------------------------------- */

/* The CPU is up: cpuhp startup callbacks, then the scheduler takes over. */
static void cpu_online_done(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	c->online = true;
	ree_optee_cpuhp(r, pe, pe_id(pe), true);
	ree_ffa_cpuhp(r, pe, pe_id(pe), true);
	ree_trace(r, pe, "CPU online", pe_id(pe), 0);
	if (r->hp_waiter) {
		struct ree_task *w = r->hp_waiter;
		r->hp_waiter = NULL;
		ree_wake(r, w, pe);
	}
	ree_schedule(r, pe);
}

static void primary_gic_done(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	c->online = true;
	ree_wake(r, init_task(r), pe);
	ree_schedule(r, pe);
}

/* The monitor ERETs here: the primary's kernel entry, or secondary_entry after CPU_ON. */
void ree_ns_entry(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	if (!r->started) {
		unsigned n;
		r->started = true;
		n = ree_gic_dist_init(r, pe) + ree_gic_cpu_init(r, pe);
		pe_exec(pe, n * pe_cost(pe, SIM_COST_GIC_MMIO) + 100 * SIM_US, "Linux boot", primary_gic_done, r);
		return;
	}
	/* secondary_start_kernel: GIC CPU init, then the cpuhp online sequence */
	pe_exec(pe, ree_gic_cpu_init(r, pe) * pe_cost(pe, SIM_COST_GIC_MMIO) + pe_cost(pe, SIM_COST_REE_HOTPLUG),
		"secondary_start_kernel", cpu_online_done, r);
}

static void init_step(struct ree_task *t, struct pe *pe);

static void init_cpu_on_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	int64_t rc = (int64_t)pe_regs(pe)[0];
	if (rc != PSCI_E_SUCCESS) {
		ree_trace(r, pe, "psci: CPU_ON failed", r->boot_next, (uint64_t)rc);
		r->boot_next++;
		init_step(t, pe);
		return;
	}
	r->boot_next++;
	r->hp_waiter = t;
	ree_block(r, pe, init_step);
}

static void probe_finished(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	r->booted = true;
	ree_trace(r, pe, "boot complete", online_count(r), r->optee_ok);
	if (r->ports.booted)
		r->ports.booted(r->ports.ctx);
	ree_block(r, pe, init_step);
}

/* kernel_init: smp_init brings every secondary up, then the drivers probe. */
static void init_step(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	if (r->booted) {
		ree_block(r, pe, init_step);
		return;
	}
	if (r->boot_next < r->cfg.num_pes) {
		uint64_t x[8] = { PSCI_CPU_ON64, pe_mpidr(r->boot_next), 0x40080000, 0 };
		if (r->boot_next == pe_id(pe)) {
			r->boot_next++;
			init_step(t, pe);
			return;
		}
		pe_smc(pe, x, init_cpu_on_ret, t);
		return;
	}
	r->probe_done = probe_finished;
	if (r->cfg.abi == REE_ABI_FFA)
		ree_ffa_probe(t, pe);
	else
		ree_optee_probe(t, pe);
}

static struct ree_task *init_task(struct ree *r)
{
	if (!r->init)
		r->init = ree_task_new(r, "init", -1, PRIO_FIFO, init_step);
	return r->init;
}

/* ---- hotplug down (§6.1) ------------------------------------------------------------ */

static void die_ret(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	/* CPU_OFF returned: PSCI refused; the CPU stays (it was already offline in Linux) */
	ree_trace(r, pe, "psci: CPU_OFF failed", pe_id(pe), pe_regs(pe)[0]);
	r->cpu[pe_id(pe)].online = true;
	ree_block(r, pe, ree_task_park);
}

static void take_cpu_down(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	uint64_t x[8] = { PSCI_CPU_OFF };
	/* __cpu_disable: set_cpu_online(false), then irq_migrate_all_off_this_cpu */
	c->online = false;
	c->going_down = false;
	ree_migrate_irqs(r, pe, pe_id(pe));
	ree_migrate_tasks(r, pe_id(pe));
	ree_trace(r, pe, "CPU offline", pe_id(pe), 0);
	/* cpu_die: local_daif_mask, then PSCI CPU_OFF (never returns on success) */
	c->cur->state = T_BLOCKED;
	c->cur = NULL;
	pe_set_masks(pe, true, true);
	pe_smc(pe, x, die_ret, r);
}

static void hp_down(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	/* CPUHP_AP_WORKQUEUE_ONLINE teardown: the per-CPU pool's work goes elsewhere */
	ree_wq_unbind(r, pe_id(pe), pe);
	pe_exec(pe, 0, "take_cpu_down", take_cpu_down, r);
}

/*
 * cpuhp teardown on the dying CPU, in descending state order (protocol.md
 * §6.1): CPUHP_AP_ONLINE_DYN first (optee/ffa disable_percpu_irq), then the
 * rest of the sequence (ree.hotplug), then the workqueue unbind and
 * take_cpu_down (IRQ migration), then cpu_die -> PSCI CPU_OFF.
 */
static void hp_down_start(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	ree_optee_cpuhp(r, pe, pe_id(pe), false);
	ree_ffa_cpuhp(r, pe, pe_id(pe), false);
	pe_exec(pe, pe_cost(pe, SIM_COST_REE_HOTPLUG), "cpuhp teardown", hp_down, t);
}

int ree_cpu_down(struct ree *r, unsigned cpu)
{
	struct ree_cpu *c;
	char name[32];
	/* the last CPU cannot go (cpu_down refuses it); nor one already on its way down */
	if (cpu >= r->cfg.num_pes || !r->cpu[cpu].online || r->cpu[cpu].going_down || online_count(r) <= 1 ||
	    !r->booted) {
		ree_trace(r, NULL, "cpu_off refused", cpu, 0);
		return -1;
	}
	c = &r->cpu[cpu];
	c->going_down = true;
	if (!c->hp_task) {
		snprintf(name, sizeof(name), "cpuhp/%u", cpu);
		c->hp_task = ree_task_new(r, name, (int)cpu, PRIO_FIFO, hp_down_start);
	}
	c->hp_task->resume = hp_down_start;
	c->hp_task->has_frame = false;
	ree_wake(r, c->hp_task, NULL);
	return 0;
}

/* ---- hotplug up ---------------------------------------------------------------------------- */

static void up_wait(struct ree_task *t, struct pe *pe) { ree_block(t->r, pe, ree_task_park); }

static void up_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	if ((int64_t)pe_regs(pe)[0] != PSCI_E_SUCCESS) {
		ree_trace(r, pe, "psci: CPU_ON failed", (uint64_t)(uintptr_t)t->data, pe_regs(pe)[0]);
		ree_block(r, pe, ree_task_park);
		return;
	}
	r->hp_waiter = t;
	up_wait(t, pe);
}

static void up_start(struct ree_task *t, struct pe *pe)
{
	uint64_t x[8] = { PSCI_CPU_ON64, pe_mpidr((unsigned)(uintptr_t)t->data), 0x40080000, 0 };
	pe_smc(pe, x, up_ret, t);
}

int ree_cpu_up(struct ree *r, unsigned cpu)
{
	if (cpu >= r->cfg.num_pes || r->cpu[cpu].online || !r->booted) {
		ree_trace(r, NULL, "cpu_on refused", cpu, 0);
		return -1;
	}
	if (!r->up_task)
		r->up_task = ree_task_new(r, "cpuhp-ctl", -1, PRIO_FIFO, up_start);
	if (r->up_task->state != T_BLOCKED) {
		ree_trace(r, NULL, "cpu_on refused (busy)", cpu, 0);
		return -1;
	}
	r->up_task->data = (void *)(uintptr_t)cpu;
	r->up_task->resume = up_start;
	r->up_task->has_frame = false;
	ree_wake(r, r->up_task, NULL);
	return 0;
}

/* ---- suspend ------------------------------------------------------------------------- */

static void suspend_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	ree_trace(t->r, pe, "cpu_suspend returned", pe_id(pe), pe_regs(pe)[0]);
	ree_block(t->r, pe, ree_task_park);
}

static void suspend_start(struct ree_task *t, struct pe *pe)
{
	/* psci_cpu_suspend_enter: a core power-down state, power level 0 */
	uint64_t x[8] = { PSCI_CPU_SUSPEND64, PSCI_PSTATE_TYPE_POWERDOWN, 0x40080000, 0 };
	pe_set_masks(pe, true, true);
	pe_smc(pe, x, suspend_ret, t);
}

int ree_cpu_suspend(struct ree *r, unsigned cpu)
{
	struct ree_cpu *c;
	char name[32];
	if (cpu >= r->cfg.num_pes || !r->cpu[cpu].online || !r->booted) {
		ree_trace(r, NULL, "suspend refused", cpu, 0);
		return -1;
	}
	c = &r->cpu[cpu];
	if (!c->idle_task) {
		snprintf(name, sizeof(name), "cpuidle/%u", cpu);
		c->idle_task = ree_task_new(r, name, (int)cpu, PRIO_FIFO, suspend_start);
	}
	if (c->idle_task->state != T_BLOCKED)
		return -1;
	c->idle_task->resume = suspend_start;
	ree_wake(r, c->idle_task, NULL);
	return 0;
}

/* ---- masked windows ----------------------------------------------------------------- */

static void mask_done_call(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	(void)rc;
	ree_block(c->task->r, pe, ree_task_park);
}

static void mask_ns_done(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	pe_set_masks(pe, false, false);
	ree_block(t->r, pe, ree_task_park);
}

static void mask_start(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	if (c->mask_secure) {
		t->call.cmd = TZSIM_MSG_CMD_INVOKE_MASKED;
		t->call.param = c->mask_dur;
		t->call.tag = 0;
		t->call.done = mask_done_call;
		ree_optee_call(r, &t->call, pe);
		return;
	}
	/* local_irq_disable(): IRQs wait; FIQs to EL3 (secure interrupts) still preempt */
	pe_set_masks(pe, true, false);
	ree_trace(r, pe, "normal masked window", c->mask_dur, 0);
	pe_exec(pe, c->mask_dur, "irqs-off section", mask_ns_done, t);
}

int ree_mask_window(struct ree *r, unsigned cpu, bool secure, sim_time dur)
{
	struct ree_cpu *c;
	char name[32];
	if (cpu >= r->cfg.num_pes || !r->cpu[cpu].online || !r->booted) {
		ree_trace(r, NULL, "mask_window refused", cpu, 0);
		return -1;
	}
	c = &r->cpu[cpu];
	if (!c->mask_task) {
		snprintf(name, sizeof(name), "maskwin/%u", cpu);
		c->mask_task = ree_task_new(r, name, (int)cpu, PRIO_FIFO, mask_start);
	}
	if (c->mask_task->state != T_BLOCKED)
		return -1;
	c->mask_secure = secure;
	c->mask_dur = dur;
	c->mask_task->resume = mask_start;
	ree_wake(r, c->mask_task, NULL);
	return 0;
}

/* ---- workloads ----------------------------------------------------------------------- */

static void ta_loop(struct ree_task *t, struct pe *pe);

static void ta_done(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	(void)rc;
	ree_yield(c->task->r, pe, ta_loop);
}

static void ta_loop(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct ree_workload *w = t->data;
	unsigned cpu = (unsigned)t->bound;
	sim_time work;
	if (!w->queued[cpu]) {
		ree_block(r, pe, ta_loop);
		return;
	}
	w->queued[cpu]--;
	work = sim_cost_sample(&w->cost, &w->rng, pe_clock(pe));
	t->call.cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
	t->call.param = work;
	t->call.tag = 0;
	t->call.done = ta_done;
	ree_optee_call(r, &t->call, pe);
}

static void ta_arrival(void *ctx, uint64_t arg)
{
	struct ree_workload *w = ctx;
	struct ree *r = w->r;
	unsigned n = r->cfg.num_pes;
	(void)arg;
	if (!w->running)
		return;
	for (unsigned k = 0; k < n; k++) {
		unsigned cpu = (w->rr + k) % n;
		if ((w->cpus >> cpu & 1) && r->cpu[cpu].online) {
			w->rr = cpu + 1;
			if (w->queued[cpu] < 1000)
				w->queued[cpu]++;
			else
				w->dropped++;
			ree_wake(r, w->task[cpu], NULL);
			break;
		}
	}
	if (w->rate_hz)
		sim_schedule(r->sim->k, &w->ev,
			     (sim_time)llround(-log(1.0 - sim_rng_unit(&w->rng)) * (double)SIM_S / (double)w->rate_hz), 0);
}

static void cpu_bound_loop(struct ree_task *t, struct pe *pe);

static void cpu_bound_chunk(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	ree_yield(t->r, pe, cpu_bound_loop);
}

static void cpu_bound_loop(struct ree_task *t, struct pe *pe)
{
	struct ree_workload *w = t->data;
	if (!w->running) {
		ree_block(t->r, pe, cpu_bound_loop);
		return;
	}
	pe_exec(pe, sim_cost_sample(&w->cost, &w->rng, pe_clock(pe)), t->name, cpu_bound_chunk, t);
}

static int add_workload(struct ree *r, const char *name, int kind, uint64_t rate, const struct sim_cost *cost,
			uint64_t cpus)
{
	struct ree_workload *w;
	char rng_name[48];
	if (r->nwl == REE_MAX_WORKLOADS)
		return -1;
	w = &r->wl[r->nwl];
	memset(w, 0, sizeof(*w));
	w->r = r;
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->kind = kind;
	w->rate_hz = rate;
	w->cost = *cost;
	w->cpus = cpus;
	snprintf(rng_name, sizeof(rng_name), "workload.%s", name);
	sim_rng_init(&w->rng, r->sim->seed, rng_name);
	sim_event_init(&w->ev, ta_arrival, w);
	for (unsigned c = 0; c < r->cfg.num_pes; c++) {
		char tn[32];
		if (!(cpus >> c & 1))
			continue;
		snprintf(tn, sizeof(tn), "%.20s/%u", name, c);
		w->task[c] = ree_task_new(r, tn, (int)c, kind ? PRIO_BATCH : PRIO_NORMAL,
					  kind ? cpu_bound_loop : ta_loop);
		w->task[c]->data = w;
	}
	return r->nwl++;
}

int ree_add_ta_workload(struct ree *r, const char *name, uint64_t rate_hz, const struct sim_cost *secure_work,
			uint64_t cpus)
{
	return add_workload(r, name, 0, rate_hz, secure_work, cpus);
}

int ree_add_cpu_bound(struct ree *r, const char *name, const struct sim_cost *chunk, uint64_t cpus)
{
	return add_workload(r, name, 1, 0, chunk, cpus);
}

void ree_workloads_start(struct ree *r)
{
	for (int i = 0; i < r->nwl; i++) {
		struct ree_workload *w = &r->wl[i];
		w->running = true;
		if (w->kind == 0) {
			if (w->rate_hz)
				sim_schedule(r->sim->k, &w->ev, 0, 0);
			continue;
		}
		for (unsigned c = 0; c < r->cfg.num_pes; c++)
			if (w->task[c])
				ree_wake(r, w->task[c], NULL);
	}
}

void ree_workloads_stop(struct ree *r)
{
	for (int i = 0; i < r->nwl; i++) {
		r->wl[i].running = false;
		sim_cancel(r->sim->k, &r->wl[i].ev);
	}
}

void ree_workload_rate(struct ree *r, int i, uint64_t rate_hz)
{
	struct ree_workload *w = &r->wl[i];
	w->rate_hz = rate_hz;
	if (w->running && w->kind == 0) {
		sim_cancel(r->sim->k, &w->ev);
		if (rate_hz)
			sim_schedule(r->sim->k, &w->ev, 0, 0);
	}
}

