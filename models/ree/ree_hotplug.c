// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_hotplug.c: CPU hotplug down and up (docs/protocol.md §6.1-6.2),
 * CPU_SUSPEND for idle, and interrupt-masked windows: the timeline's
 * actions on one CPU, each run by a task of its own on that CPU.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ree_internal.h"
#include "models/monitor/smccc.h"

/* Per-CPU hotplug state: the cpuhp, cpuidle and masked-window tasks. */
struct ree_hp_cpu {
	struct ree_task *hp_task;     /* cpuhp/N */
	struct sim_event hp_wait;     /* ... sleeps through its teardown's waits (ree.hotplug, ree.hotplug_park) */
	struct ree_task *idle_task;   /* cpuidle/N: forced CPU_SUSPEND */
	struct ree_task *mask_task;   /* maskwin/N */
	struct ree_task *stop_task;   /* migration/N: the stopper thread (stop_machine) */
	/*
	 * ... from the wake-up that starts it to its park: a stand-in asleep in
	 * the middle (in the call queue, waiting for an OP-TEE thread) is not free
	 */
	bool idle_busy, mask_busy;
	bool mask_secure;
	sim_time mask_dur;
};

/* One stop_machine (struct multi_stop_data) and the ones waiting for it. */
struct ree_stop {
	bool active;
	unsigned dying;          /* the CPU whose take_cpu_down runs (active_cpus) */
	int state;               /* MS_* */
	uint64_t cpus;           /* the CPUs taking part: online when it started (num_threads: their count) */
	unsigned todo;           /* acks the state still waits for (thread_ack) */
	unsigned left;           /* stoppers not yet asleep again after MULTI_STOP_EXIT */
	uint64_t queued;         /* dying CPUs whose stop_machine waits for this one */
	int seen[REE_MAX_CPUS];  /* the state each CPU's loop last acted on (curstate) */
};

struct ree_hotplug {
	struct ree_hp_cpu cpu[REE_MAX_CPUS];
	struct ree_stop ms;
	/*
	 * cpu_add_remove_lock, as far as the model takes it: a bring-up (from
	 * its CPU_ON to the CPU online) and a stop_machine never overlap. A
	 * cpu_on asked during a stop_machine is held until it is done; a
	 * stop_machine asked during a bring-up waits in ms.queued.
	 */
	uint64_t up_cpus;             /* CPUs whose bring-up is on its way (CPU_ON issued, not online yet) */
	bool up_held;                 /* cpuhp-ctl waits for the stop_machine to end */
	bool up_again;                /* the CPU_ON in flight is for a CPU whose bring-up was on its way already */
	struct ree_task *up_task;     /* cpuhp-ctl: brings CPUs up */
};

static void hp_wait_done(void *ctx, uint64_t cpu);

int ree_hotplug_init(struct ree *r)
{
	r->hp = calloc(1, sizeof(*r->hp));
	if (!r->hp)
		return -1;
	for (unsigned i = 0; i < REE_MAX_CPUS; i++)
		sim_event_init(&r->hp->cpu[i].hp_wait, hp_wait_done, r);
	return 0;
}

void ree_hotplug_free(struct ree *r)
{
	if (!r->hp)
		return;
	for (unsigned i = 0; i < REE_MAX_CPUS; i++)
		sim_cancel(r->sim->k, &r->hp->cpu[i].hp_wait);
	free(r->hp);
}

unsigned ree_online_count(const struct ree *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		n += r->cpu[i].online && !r->cpu[i].dying;
	return n;
}

/* ---- hotplug down (§6.1) ------------------------------------------------------------ */

static void die_ret(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	/*
	 * CPU_OFF returned: PSCI refused (it cannot, after Linux's own last-CPU
	 * check; Linux would panic). The CPU stays up and schedules again; its
	 * pool stays unbound and its per-CPU IRQs disabled, as the teardown left them.
	 */
	ree_trace(r, pe, "psci: CPU_OFF failed", pe_id(pe), pe_regs(pe)[0]);
	r->cpu[pe_id(pe)].online = true;
	r->cpu[pe_id(pe)].dying = false;
	r->cpu[pe_id(pe)].inactive = false;
	ree_block(r, pe, ree_task_park);
}

/* ---- stop_machine (kernel/stop_machine.c) ------------------------------------------------ */

/*
 * takedown_cpu() runs take_cpu_down() with stop_machine_cpuslocked(): every
 * online CPU's stopper thread (migration/N, the stop class: it preempts any
 * task, at the next point where the kernel may switch) runs
 * multi_cpu_stop(), a loop that waits for a shared state to change and acts
 * on each new one (MULTI_STOP_PREPARE: nothing; DISABLE_IRQ:
 * local_irq_disable(); RUN: the dying CPU runs take_cpu_down(); EXIT: the
 * loop ends, then local_irq_restore()), then acks it; the last ack sets the next state
 * (set_state(), ack_state()). So every online CPU spins from the moment its
 * stopper runs until the last one has, and with IRQs off from then until
 * take_cpu_down() is over (docs/protocol.md §6.1).
 */
enum { MS_NONE, MS_PREPARE, MS_DISABLE_IRQ, MS_RUN, MS_EXIT };

/* The wait loop as one step, ended when the state changes (pe_end_work); if nothing does meanwhile, another. */
#define MS_SPIN SIM_S

static void ms_act(struct ree *r, struct pe *pe);

static void ms_spun(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	if (r->hp->ms.seen[pe_id(pe)] == r->hp->ms.state) {
		pe_exec(pe, MS_SPIN, "multi_cpu_stop", ms_spun, r);
		return;
	}
	ms_act(r, pe);
}

/* ack_state: the last CPU to ack sets the next state, which every CPU's loop sees at its next pass. */
static void ms_ack(struct ree *r)
{
	struct ree_stop *ms = &r->hp->ms;
	if (--ms->todo)
		return;
	ms->state++;
	ms->todo = (unsigned)__builtin_popcountll(ms->cpus);
	/* every CPU spins, running or under an interrupt (nothing preempts the stop class) */
	for (unsigned c = 0; c < r->cfg.num_pes; c++)
		if (ms->cpus >> c & 1)
			pe_end_work(r->cpu[c].pe, ms_spun, r);
}

/* The loop, then the ack (which may end the loop just started: the state moved on). */
static void ms_spin_ack(struct ree *r, struct pe *pe)
{
	pe_exec(pe, MS_SPIN, "multi_cpu_stop", ms_spun, r);
	ms_ack(r);
}

static void ms_start(struct ree *r, struct pe *from, unsigned dying);

static void stopper_park(struct ree_task *t, struct pe *pe) { ree_block(t->r, pe, stopper_park); }

/* The next hotplug operation that waited for cpu_add_remove_lock: a queued stop_machine first, else a held bring-up. */
static void hp_lock_next(struct ree *r, struct pe *pe)
{
	struct ree_hotplug *hp = r->hp;
	if (hp->ms.active || hp->up_cpus)
		return;
	if (hp->ms.queued) {
		unsigned next = (unsigned)__builtin_ctzll(hp->ms.queued);
		hp->ms.queued &= hp->ms.queued - 1;
		ms_start(r, pe, next);
	} else if (hp->up_held) {
		hp->up_held = false;
		ree_wake(r, hp->up_task, pe);
	}
}

/*
 * cpu_stopper_thread is done: it sleeps. Once every stopper is, the next
 * hotplug operation that waited starts, from this CPU's own context (before
 * it schedules or, on the dying CPU, enters CPU_OFF at EL3): its local
 * stopper is queued before the pick, and its IPIs leave from the normal world.
 */
static void ms_exit(struct ree *r, struct pe *pe)
{
	struct ree_stop *ms = &r->hp->ms;
	bool dying = pe_id(pe) == ms->dying; /* before the next stop_machine sets its own */

	ree_sleep_current(r, pe, stopper_park);
	if (!--ms->left) {
		ms->active = false;
		ree_trace(r, pe, "stop_machine done", ms->dying, ms->cpus);
		hp_lock_next(r, pe);
	}
	if (dying) {
		uint64_t x[8] = { PSCI_CPU_OFF };
		/*
		 * the idle task finds its CPU offline (do_idle -> cpuhp_report_idle_dead)
		 * and calls cpu_die: local_daif_mask, then PSCI CPU_OFF (never returns on success)
		 */
		pe_set_masks(pe, true, true);
		pe_smc(pe, x, die_ret, r);
		return;
	}
	pe_set_masks(pe, false, false); /* multi_cpu_stop's local_irq_restore: the stopper thread runs with IRQs on */
	ree_schedule(r, pe);
}

/* The dying CPU's take_cpu_down is over (its cost, ree.take_cpu_down, after __cpu_disable's effects). */
static void ms_ran(void *ctx, struct pe *pe) { ms_spin_ack(ctx, pe); }

/* A CPU's loop sees a new state: act on it, then loop and ack. */
static void ms_act(struct ree *r, struct pe *pe)
{
	struct ree_stop *ms = &r->hp->ms;
	unsigned cpu = pe_id(pe);

	ms->seen[cpu] = ms->state;
	switch (ms->state) {
	case MS_DISABLE_IRQ:
		/* local_irq_disable: DAIF.I and F on arm64; a secure FIQ still goes to EL3 (SCR_EL3.FIQ) */
		pe_set_masks(pe, true, true);
		break;
	case MS_RUN:
		if (cpu != ms->dying)
			break;
		/*
		 * take_cpu_down -> __cpu_disable: set_cpu_online(false), then
		 * irq_migrate_all_off_this_cpu. A task still queued here moves too
		 * (in Linux balance_push has emptied the queue; sched_cpu_dying checks).
		 */
		r->cpu[cpu].online = false;
		ree_migrate_irqs(r, pe, cpu);
		ree_migrate_tasks(r, cpu);
		ree_trace(r, pe, "CPU offline", cpu, 0);
		if (r->cfg.pcpu_disable_late) { /* ree.pcpu_disable: after_offline (docs/protocol.md §10.3) */
			ree_optee_cpuhp(r, pe, cpu, false);
			ree_ffa_cpuhp(r, pe, cpu, false);
		}
		/* then the CPUHP_*_DYING callbacks (cpuhp_invoke_callback of each teardown) */
		pe_exec_cost(pe, SIM_COST_REE_TAKE_CPU_DOWN, "take_cpu_down", ms_ran, r);
		return;
	case MS_EXIT:
		ms_exit(r, pe);
		return;
	default: /* MULTI_STOP_PREPARE: nothing but the ack */
		break;
	}
	ms_spin_ack(r, pe);
}

/* A stopper thread runs its work, multi_cpu_stop, which finds MULTI_STOP_PREPARE or later. */
static void stopper_run(struct ree_task *t, struct pe *pe) { ms_act(t->r, pe); }

/*
 * stop_machine_cpuslocked(take_cpu_down, NULL, cpumask_of(@dying)) from
 * @from: set MULTI_STOP_PREPARE and queue multi_cpu_stop on every online
 * CPU's stopper (cpu_stop_queue_work: wake_up_process, an IPI to each
 * other CPU). One hotplug operation at a time (cpu_add_remove_lock, as far
 * as struct ree_hotplug says): it waits in ms.queued while another
 * stop_machine runs or a bring-up is on its way.
 */
static void ms_start(struct ree *r, struct pe *from, unsigned dying)
{
	struct ree_stop *ms = &r->hp->ms;

	if (ms->active || r->hp->up_cpus) { /* cpu_add_remove_lock: one hotplug operation at a time */
		ms->queued |= 1ull << dying;
		return;
	}
	ms->active = true;
	ms->dying = dying;
	ms->state = MS_PREPARE;
	ms->cpus = 0;
	for (unsigned c = 0; c < r->cfg.num_pes; c++) {
		ms->seen[c] = MS_NONE;
		if (r->cpu[c].online)
			ms->cpus |= 1ull << c;
	}
	ms->todo = ms->left = (unsigned)__builtin_popcountll(ms->cpus);
	ree_trace(r, from, "stop_machine", dying, ms->cpus);
	for (unsigned c = 0; c < r->cfg.num_pes; c++) {
		struct ree_hp_cpu *h = &r->hp->cpu[c];
		if (!(ms->cpus >> c & 1))
			continue;
		if (!h->stop_task) {
			char name[32];
			snprintf(name, sizeof(name), "migration/%u", c);
			h->stop_task = ree_task_new(r, name, (int)c, PRIO_FIFO, REE_KTHREAD_PER_CPU, stopper_run);
			h->stop_task->stopper = true;
		}
		h->stop_task->resume = stopper_run;
		h->stop_task->has_frame = false;
		ree_wake(r, h->stop_task, from);
	}
}

/*
 * After the teardown's last wait (ree.hotplug_park): takedown_cpu parks
 * cpuhp/N (kthread_park) and runs take_cpu_down in stop_machine. The model
 * has no control CPU: the stoppers are woken from the dying one.
 */
static void hp_parked(struct ree_task *t, struct pe *pe)
{
	ms_start(t->r, pe, pe_id(pe));
	ree_block(t->r, pe, ree_task_park);
}

/* cpuhp/N sleeps @dur (its wait, hp_wait_done), then goes on with @then. */
static void hp_sleep(struct ree *r, struct pe *pe, sim_time dur, void (*then)(struct ree_task *, struct pe *))
{
	sim_schedule(r->sim->k, &r->hp->cpu[pe_id(pe)].hp_wait, dur, pe_id(pe));
	ree_block(r, pe, then);
}

/* After synchronize_rcu(): the states below CPUHP_AP_ACTIVE. */
static void hp_down(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	/* CPUHP_AP_ONLINE_DYN teardown: optee's and arm_ffa's disable_percpu_irq (unless ree.pcpu_disable: after_offline) */
	if (!r->cfg.pcpu_disable_late) {
		ree_optee_cpuhp(r, pe, pe_id(pe), false);
		ree_ffa_cpuhp(r, pe, pe_id(pe), false);
	}
	/* CPUHP_AP_WORKQUEUE_ONLINE teardown: the per-CPU pool's workers and work go elsewhere */
	ree_wq_unbind(r, pe_id(pe), pe);
	ree_balance_push(r, pe_id(pe));
	/*
	 * CPUHP_AP_SMPBOOT_THREADS (smpboot_park_threads) and CPUHP_AP_SCHED_WAIT_EMPTY:
	 * ree.hotplug_park; then the control CPU's stop_machine (hp_parked)
	 */
	hp_sleep(r, pe, pe_cost(pe, SIM_COST_REE_HOTPLUG_PARK), hp_parked);
}

/* The teardown's waits are over: cpuhp/N goes on. */
static void hp_wait_done(void *ctx, uint64_t cpu)
{
	struct ree *r = ctx;
	ree_wake(r, r->hp->cpu[cpu].hp_task, NULL);
}

/*
 * cpuhp teardown on the dying CPU, in descending state order (docs/protocol.md
 * §6.1): CPUHP_AP_ACTIVE first (sched_cpu_deactivate: the CPU leaves the
 * active mask and pushes away what may not run on it, then sleeps in
 * synchronize_rcu(): ree.hotplug), then CPUHP_AP_ONLINE_DYN (optee/ffa
 * disable_percpu_irq), the workqueue unbind, the smpboot parking
 * (ree.hotplug_park), stop_machine on every online CPU with take_cpu_down
 * (IRQ migration, ree.take_cpu_down) on this one, then cpu_die -> PSCI
 * CPU_OFF.
 */
static void hp_down_start(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	r->cpu[pe_id(pe)].inactive = true;
	ree_balance_push(r, pe_id(pe));
	hp_sleep(r, pe, pe_cost(pe, SIM_COST_REE_HOTPLUG), hp_down);
}

int ree_cpu_down(struct ree *r, unsigned cpu)
{
	struct ree_hp_cpu *c;
	/* the last CPU cannot go (cpu_down refuses it); nor one already on its way down */
	if (cpu >= r->cfg.num_pes || !r->cpu[cpu].online || r->cpu[cpu].dying || ree_online_count(r) <= 1 ||
	    !r->booted) {
		ree_trace(r, NULL, "cpu_off refused", cpu, 0);
		return -1;
	}
	c = &r->hp->cpu[cpu];
	/* _cpu_down -> cpuhp_set_state: the CPU is dying from now on, then cpuhp_kick_ap_work wakes cpuhp/N */
	r->cpu[cpu].dying = true;
	if (!c->hp_task) {
		char name[32];
		snprintf(name, sizeof(name), "cpuhp/%u", cpu);
		c->hp_task = ree_task_new(r, name, (int)cpu, PRIO_NORMAL, REE_KTHREAD_PER_CPU, hp_down_start);
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
		/* a second CPU_ON while the first's bring-up goes on (ON_PENDING): that one ends it */
		if (!r->hp->up_again)
			ree_hotplug_up_done(r, pe, (unsigned)(uintptr_t)t->data);
		ree_block(r, pe, ree_task_park);
		return;
	}
	r->hp_waiter = t;
	up_wait(t, pe);
}

static void up_start(struct ree_task *t, struct pe *pe)
{
	uint64_t x[8] = { PSCI_CPU_ON64, pe_mpidr((unsigned)(uintptr_t)t->data), 0x40080000, 0 };
	if (t->r->hp->ms.active) { /* a teardown holds cpu_add_remove_lock: wait for its stop_machine */
		t->r->hp->up_held = true;
		ree_block(t->r, pe, up_start);
		return;
	}
	t->r->hp->up_again = t->r->hp->up_cpus >> (unsigned)(uintptr_t)t->data & 1;
	t->r->hp->up_cpus |= 1ull << (unsigned)(uintptr_t)t->data;
	pe_smc(pe, x, up_ret, t);
}

void ree_hotplug_up_done(struct ree *r, struct pe *pe, unsigned cpu)
{
	uint64_t bit = 1ull << cpu;
	if (!(r->hp->up_cpus & bit))
		return; /* a boot-time secondary */
	r->hp->up_cpus &= ~bit;
	hp_lock_next(r, pe);
}

int ree_cpu_up(struct ree *r, unsigned cpu)
{
	if (cpu >= r->cfg.num_pes || r->cpu[cpu].online || !r->booted) {
		ree_trace(r, NULL, "cpu_on refused", cpu, 0);
		return -1;
	}
	if (!r->hp->up_task)
		r->hp->up_task = ree_task_new(r, "cpuhp-ctl", -1, PRIO_FIFO, REE_KTHREAD, up_start);
	if (r->hp->up_task->state != T_BLOCKED || r->hp->up_held) {
		ree_trace(r, NULL, "cpu_on refused (busy)", cpu, 0);
		return -1;
	}
	r->hp->up_task->data = (void *)(uintptr_t)cpu;
	r->hp->up_task->resume = up_start;
	r->hp->up_task->has_frame = false;
	ree_wake(r, r->hp->up_task, NULL);
	return 0;
}

/* ---- suspend ------------------------------------------------------------------------- */

static void suspend_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	t->r->hp->cpu[t->bound].idle_busy = false; /* its own CPU's, wherever it ran */
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

/*
 * A forced CPU_SUSPEND or masked window on CPU @cpu: refused on a CPU that is
 * not online, or dying (its teardown owns it: a power-down there would hold
 * cpuhp/N's wake-up, docs/protocol.md §6.1), or while the last one still runs.
 */
int ree_cpu_suspend(struct ree *r, unsigned cpu)
{
	struct ree_hp_cpu *c;
	if (cpu >= r->cfg.num_pes || !r->cpu[cpu].online || r->cpu[cpu].dying || !r->booted) {
		ree_trace(r, NULL, "suspend refused", cpu, 0);
		return -1;
	}
	c = &r->hp->cpu[cpu];
	if (!c->idle_task) {
		char name[32];
		snprintf(name, sizeof(name), "cpuidle/%u", cpu);
		c->idle_task = ree_task_new(r, name, (int)cpu, PRIO_FIFO, REE_KTHREAD_PER_CPU, suspend_start);
	}
	if (c->idle_busy)
		return -1;
	c->idle_busy = true;
	c->idle_task->resume = suspend_start;
	ree_wake(r, c->idle_task, NULL);
	return 0;
}

/* ---- masked windows ----------------------------------------------------------------- */

static void mask_done_call(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	(void)rc;
	c->task->r->hp->cpu[c->task->bound].mask_busy = false;
	ree_block(c->task->r, pe, ree_task_park);
}

static void mask_ns_done(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	t->r->hp->cpu[t->bound].mask_busy = false;
	pe_set_masks(pe, false, false);
	ree_block(t->r, pe, ree_task_park);
}

static void mask_start(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct ree_hp_cpu *c = &r->hp->cpu[t->bound]; /* the window asked of its CPU, wherever it runs */
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
	struct ree_hp_cpu *c;
	if (cpu >= r->cfg.num_pes || !r->cpu[cpu].online || r->cpu[cpu].dying || !r->booted) {
		ree_trace(r, NULL, "mask_window refused", cpu, 0);
		return -1;
	}
	c = &r->hp->cpu[cpu];
	if (!c->mask_task) {
		char name[32];
		snprintf(name, sizeof(name), "maskwin/%u", cpu);
		c->mask_task = ree_task_new(r, name, (int)cpu, PRIO_FIFO, REE_KTHREAD_PER_CPU, mask_start);
	}
	if (c->mask_busy)
		return -1;
	c->mask_busy = true;
	c->mask_secure = secure;
	c->mask_dur = dur;
	c->mask_task->resume = mask_start;
	ree_wake(r, c->mask_task, NULL);
	return 0;
}

