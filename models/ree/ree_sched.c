// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_sched.c: the core scheduler (kernel/sched/core.c) of each
 * CPU: the rt class (SCHED_FIFO, one priority) above the fair class
 * (ree_fair.c: EEVDF, or CFS), wake-ups with wake-up preemption, the tick,
 * and where a pending reschedule takes effect under the preemption model
 * (ree.preempt): interrupt exits, cond_resched()/might_resched() points,
 * return to user mode, blocking. Workqueues are in ree_wq.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ree_internal.h"

void ree_trace(struct ree *r, struct pe *pe, const char *label, uint64_t a, uint64_t b)
{
	sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_EVENT,
						     .cpu = pe ? (int32_t)pe_id(pe) : -1,
						     .world = SIM_WORLD_NS, .a = a, .b = b, .label = label });
}

void ree_event(struct ree *r, struct pe *pe, unsigned code, uint64_t a, uint64_t b)
{
	sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_EVENT,
						     .code = (uint16_t)code, .cpu = pe ? (int32_t)pe_id(pe) : -1,
						     .world = SIM_WORLD_NS, .a = a, .b = b,
						     .label = sim_ev_label(code) });
}

struct ree_task *ree_task_new(struct ree *r, const char *name, int bound, int prio, enum ree_task_kind kind,
			      ree_task_fn resume)
{
	struct ree_task *t;
	if (r->ntasks == REE_MAX_TASKS || !(t = calloc(1, sizeof(*t))))
		abort(); /* a wiring bug: the model creates a bounded set of tasks */
	t->r = r;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->bound = bound;
	t->cpu = bound >= 0 ? bound : 0;
	t->prio = (uint8_t)prio;
	t->kind = (uint8_t)kind;
	t->state = T_BLOCKED;
	t->se.rq = -1;
	t->se.batch = prio == PRIO_BATCH;
	t->resume = resume;
	r->tasks[r->ntasks++] = t;
	return t;
}


static bool is_fair(const struct ree_task *t) { return t->prio != PRIO_FIFO; }

static struct ree_task *task_of(struct ree_se *se)
{
	return (struct ree_task *)((char *)se - offsetof(struct ree_task, se));
}

/*
 * The rt class: one SCHED_FIFO priority, FIFO order; a preempted task goes
 * back to the head. The stop class shares the list at its very head: a
 * woken stopper goes first, and a preempted rt task goes after it.
 */
static void fifo_push(struct ree_cpu *c, struct ree_task *t, bool head)
{
	t->next = NULL;
	if (head) {
		struct ree_task **at = &c->fifo_head;
		if (!t->stopper && *at && (*at)->stopper)
			at = &(*at)->next; /* one stopper per CPU */
		t->next = *at;
		*at = t;
		if (!t->next)
			c->fifo_tail = t;
		return;
	}
	if (c->fifo_tail)
		c->fifo_tail->next = t;
	else
		c->fifo_head = t;
	c->fifo_tail = t;
}

static struct ree_task *fifo_pop(struct ree_cpu *c)
{
	struct ree_task *t = c->fifo_head;
	if (!t)
		return NULL;
	c->fifo_head = t->next;
	if (!c->fifo_head)
		c->fifo_tail = NULL;
	t->next = NULL;
	return t;
}

/*
 * is_cpu_allowed (kernel/sched/core.c), @t's mask aside: a user task only on
 * an active CPU, a per-CPU kthread on any online one, another kthread on an
 * online CPU that is not dying (docs/protocol.md §6.1).
 */
static bool cpu_allowed(const struct ree *r, const struct ree_task *t, int cpu)
{
	const struct ree_cpu *c = &r->cpu[cpu];
	if (!c->online)
		return false;
	if (t->kind == REE_USER)
		return !c->inactive;
	return t->kind == REE_KTHREAD_PER_CPU || !c->dying;
}

/* select_fallback_rq's last resort: the first CPU @t may run on whatever its mask (cpuset, then possible) */
static int fallback_cpu(const struct ree *r, const struct ree_task *t)
{
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		if (cpu_allowed(r, t, (int)i))
			return (int)i;
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		if (r->cpu[i].online)
			return (int)i;
	return 0;
}

/*
 * Where a woken task goes: its own CPU when it has one (bound), else where it
 * last ran, if it may run there; else select_fallback_rq. A bound task whose
 * CPU it may not use runs elsewhere until it may again (its `bound` stays).
 */
static int pick_cpu(const struct ree *r, const struct ree_task *t)
{
	if (t->bound >= 0 && cpu_allowed(r, t, t->bound))
		return t->bound;
	if (t->cpu >= 0 && cpu_allowed(r, t, t->cpu))
		return t->cpu;
	return fallback_cpu(r, t);
}

/* ---- the scheduler tick ------------------------------------------------------------------- */

static void kick(void *ctx, uint64_t cpu);
static void ns_return(void *ctx, struct pe *pe);

/*
 * scheduler_tick -> task_tick_fair, at HZ (250), only while it can matter:
 * a fair task runs and others wait on its run queue (the tick is periodic
 * while a CPU is busy; it is not an interrupt in the model, so a CPU in
 * the secure world or in an exception reschedules at its next point).
 */
static void tick_arm(struct ree *r, struct ree_cpu *c, unsigned cpu)
{
	sim_time now = sim_now(r->sim->k), period = SIM_S / REE_HZ;
	if (c->tick_armed || !c->cur || !is_fair(c->cur) || !c->online || c->cfs.nr_running < 2)
		return;
	c->tick_armed = true;
	sim_schedule(r->sim->k, &c->tick, period - now % period, cpu);
}

static void tick_fire(void *ctx, uint64_t cpu)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[cpu];
	c->tick_armed = false;
	if (c->cur && is_fair(c->cur) && c->online && ree_fair_tick(&c->cfs, sim_now(r->sim->k))) {
		c->need_resched = true; /* resched_curr; the tick's interrupt exit decides */
		kick(r, cpu);
	}
	tick_arm(r, c, (unsigned)cpu);
}

/* ---- switching ------------------------------------------------------------------------------- */

static void task_start(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	t->resume(t, pe);
}

static void switch_in(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	if (t->has_frame) {
		t->has_frame = false;
		pe_resume_frame(pe, &t->frame);
		return;
	}
	/*
	 * finish_task_switch re-enables interrupts before the task runs a single
	 * step: an interrupt pending now is taken first (a zero-length step the
	 * PE can be interrupted in), then the task continues.
	 */
	pe_set_masks(pe, false, false);
	pe_exec(pe, 0, t->name, task_start, t);
}

/* __schedule: pick the next task (rt class first, then fair) and switch to it. c->cur is NULL. */
void ree_schedule(struct ree *r, struct pe *pe)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	sim_time now = sim_now(r->sim->k);
	struct ree_task *next;

	c->need_resched = false;
	if (c->kick_deferred) { /* the switch is here already */
		c->kick_deferred = false;
		pe_set_ns_return_hook(pe, NULL, NULL);
	}
	next = fifo_pop(c);
	if (next) {
		ree_fair_put_prev(&c->cfs, now);
	} else {
		struct ree_se *se = ree_fair_pick_next(&c->cfs, now);
		next = se ? task_of(se) : NULL;
	}
	if (!next) {
		c->cur = NULL;
		pe_set_masks(pe, false, false);
		pe_idle(pe);
		return;
	}
	c->cur = next;
	next->cpu = (int)pe_id(pe);
	next->state = T_RUNNING;
	ree_wq_worker_running(r, next);
	tick_arm(r, c, pe_id(pe));
	/* __schedule runs with interrupts off; the new task's context decides after */
	pe_set_masks(pe, true, true);
	/*
	 * A context switch starts a new path: the next task's steps serve nothing yet. A task that
	 * another CPU woke (try_to_wake_up -> ttwu_queue_wakelist / IPI) pays the cross-CPU wake-up.
	 */
	pe_exec_cost_tag(pe, 0, next->wake_remote ? SIM_COST_REE_WAKEUP_REMOTE : SIM_COST_REE_WAKEUP, next->name,
			 switch_in, next);
	next->wake_remote = false;
}

/* The running task stops running but stays runnable: back on its run queue (a fair one stays cfs.curr). */
static void put_back(struct ree_cpu *c, struct ree_task *t)
{
	t->state = T_RUNNABLE;
	if (!is_fair(t))
		fifo_push(c, t, true);
	c->cur = NULL;
}

void ree_preempt_irq(struct ree *r, struct pe *pe, const struct pe_frame *f)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	if (!c->cur && f->kind == PE_FRAME_WORK) {
		/*
		 * Work outside any task (a probe at boot, an SMC's continuation made
		 * from the idle context): no task to put back, so it goes on; the
		 * switch waits for the next scheduling point.
		 */
		pe_resume_frame(pe, f);
		return;
	}
	if (c->cur) {
		c->cur->frame = *f;
		c->cur->has_frame = f->kind == PE_FRAME_WORK;
		put_back(c, c->cur);
	}
	ree_schedule(r, pe);
}

/*
 * May the scheduler switch at an interrupt's exit? Always from idle or to
 * user mode (exit_to_user_mode); to kernel mode only with full preemption
 * (arm64_preempt_schedule_irq, need_irq_preemption).
 */
static bool preempt_ok(const struct ree *r, const struct ree_cpu *c, bool idle)
{
	return idle || !c->cur || c->cur->in_user || r->cfg.preempt == REE_PREEMPT_FULL;
}

bool ree_preempt_at_irq_exit(struct ree *r, struct pe *pe, const struct pe_frame *top)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	return c->need_resched && c->online && preempt_ok(r, c, top->kind == PE_FRAME_IDLE);
}

/*
 * The reschedule IPI (or the tick) on a CPU nothing else interrupts: its
 * interrupt exit, taken in place. A CPU with interrupts off or inside an
 * exception reschedules at its next block, yield or interrupt exit.
 */
static void kick(void *ctx, uint64_t cpu)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[cpu];
	struct pe *pe = c->pe;
	struct pe_frame f;

	if (!c->need_resched || !c->online)
		return;
	if (!pe_preemptible(pe)) {
		/* inside an exception: the wake-up's interrupt waits for the return to this world */
		if (!c->kick_deferred && pe_top_frame(pe)) {
			c->kick_deferred = true;
			pe_set_ns_return_hook(pe, ns_return, r);
		}
		return;
	}
	if (!preempt_ok(r, c, !c->cur))
		return;
	pe_preempt(pe, &f);
	ree_preempt_irq(r, pe, &f);
}

/*
 * The monitor returned the CPU to the normal world (pe_set_ns_return_hook):
 * a kick that found it in the secure world happens now, as the interrupt
 * that carried the wake-up is taken here. From the idle loop that is
 * do_idle()'s need_resched() check after the WFI the secure interrupt ended
 * (kernel/sched/idle.c); into a task, that interrupt's exit (docs/protocol.md §8.5).
 */
static void ns_return(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	r->cpu[pe_id(pe)].kick_deferred = false;
	pe_set_ns_return_hook(pe, NULL, NULL);
	sim_post(r->sim->k, 0, kick, r, pe_id(pe));
}

/* wakeup_preempt (kernel/sched/core.c): does @t, just enqueued on @c, preempt what runs there? */
static bool wakeup_preempt(struct ree *r, struct ree_cpu *c, struct ree_task *t)
{
	struct ree_task *cur = c->cur;
	if (c->need_resched)
		return false; /* resched_curr: already set */
	if (!cur)
		return true; /* the idle class */
	if (t->stopper)
		return !cur->stopper; /* the stop class is above every other */
	if (!is_fair(t))
		return is_fair(cur); /* a higher class preempts a lower one; SCHED_FIFO never its peers */
	if (!is_fair(cur))
		return false;
	return ree_fair_wakeup_preempt(&c->cfs, &t->se, sim_now(r->sim->k));
}

/* enqueue_task: onto @cpu's run queue */
static void enqueue_task(struct ree *r, struct ree_task *t, unsigned cpu)
{
	struct ree_cpu *c = &r->cpu[cpu];
	sim_time now = sim_now(r->sim->k);
	if (!is_fair(t)) {
		fifo_push(c, t, t->stopper); /* the stop class is picked before the rt class */
		return;
	}
	if (t->se.on_rq && t->se.rq != (int)cpu) /* a delayed sleeper woken on another CPU */
		ree_fair_remove(&r->cpu[t->se.rq].cfs, &t->se, now);
	if (!t->se.on_rq && t->se.rq != (int)cpu && t->se.rq >= 0)
		ree_fair_migrate_in(&c->cfs, &t->se);
	ree_fair_enqueue(&c->cfs, &t->se, now);
	tick_arm(r, c, cpu);
}

void ree_wake(struct ree *r, struct ree_task *t, struct pe *from)
{
	struct ree_cpu *c;
	int cpu;

	if (t->state != T_BLOCKED)
		return;
	cpu = pick_cpu(r, t);
	c = &r->cpu[cpu];
	t->cpu = cpu;
	t->state = T_RUNNABLE;
	t->wake_remote = from && pe_id(from) != (unsigned)cpu;
	enqueue_task(r, t, (unsigned)cpu);
	if (!wakeup_preempt(r, c, t))
		return;
	/* resched_curr */
	c->need_resched = true;
	if (from && pe_id(from) == (unsigned)cpu) {
		/*
		 * Local. Inside an interrupt: at its exit. From task context: at
		 * try_to_wake_up's preempt_enable() with full preemption, else at
		 * the next voluntary point (kick decides).
		 */
		if (!pe_top_frame(from))
			sim_post(r->sim->k, 0, kick, r, (uint64_t)cpu);
		return;
	}
	if (from)
		ree_send_ipi(r, from, (unsigned)cpu); /* smp_send_reschedule */
	else
		sim_post(r->sim->k, 0, kick, r, (uint64_t)cpu);
}

/* The running task of @pe's CPU goes to sleep (schedule()'s dequeue) and the CPU has none; nothing is picked. */
void ree_sleep_current(struct ree *r, struct pe *pe, ree_task_fn resume)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	struct ree_task *t = c->cur;
	if (!t)
		return;
	/* schedule() -> sched_submit_work: a kworker blocking in a work item */
	ree_wq_worker_sleeping(r, t, pe);
	t->state = T_BLOCKED;
	t->resume = resume;
	t->has_frame = false;
	if (is_fair(t))
		ree_fair_dequeue_sleep(&c->cfs, &t->se, sim_now(r->sim->k));
	c->cur = NULL;
}

/* A task with nothing to do until someone gives it work and sets its resume point. */
void ree_task_park(struct ree_task *t, struct pe *pe) { ree_block(t->r, pe, ree_task_park); }

void ree_block(struct ree *r, struct pe *pe, ree_task_fn resume)
{
	ree_sleep_current(r, pe, resume);
	ree_schedule(r, pe);
}

void ree_yield(struct ree *r, struct pe *pe, ree_task_fn resume)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	struct ree_task *t = c->cur;
	if (t && c->online && !c->need_resched) {
		resume(t, pe);
		return;
	}
	if (t) {
		t->resume = resume;
		t->has_frame = false;
		if (c->online) {
			put_back(c, t);
		} else {
			/* an offline CPU (after take_cpu_down): the task moves to an online one */
			if (is_fair(t))
				ree_fair_remove(&c->cfs, &t->se, sim_now(r->sim->k));
			c->cur = NULL;
			ree_wake_elsewhere(r, t);
		}
	}
	ree_schedule(r, pe);
}

static void cond_resched_resume(struct ree_task *t, struct pe *pe) { t->resched_fn(t->resched_ctx, pe); }

static void cond_resched_point(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	/* __cond_resched: should_resched -> __schedule(SM_PREEMPT) */
	ree_yield(t->r, pe, cond_resched_resume);
}

void ree_cond_resched(struct ree *r, struct pe *pe, pe_fn fn, void *ctx)
{
	struct ree_task *t = r->cpu[pe_id(pe)].cur;
	t->resched_fn = fn;
	t->resched_ctx = ctx;
	pe_exec(pe, 0, "cond_resched", cond_resched_point, t);
}

void ree_might_resched(struct ree *r, struct pe *pe, pe_fn fn, void *ctx)
{
	if (r->cfg.preempt != REE_PREEMPT_VOLUNTARY) {
		fn(ctx, pe);
		return;
	}
	ree_cond_resched(r, pe, fn, ctx);
}

/* Move every task off a dying CPU (migrate_tasks at CPUHP_AP_SCHED_STARTING). */
void ree_migrate_tasks(struct ree *r, unsigned from)
{
	struct ree_cpu *c = &r->cpu[from];
	struct ree_task *list = NULL, **tail = &list, *t;
	sim_time now = sim_now(r->sim->k);
	/* take the whole run queue first, in order: a re-wake must never land back on it */
	while ((t = fifo_pop(c))) {
		*tail = t;
		tail = &t->next;
	}
	if (c->cfs.curr) /* the running fair task, if any, is not in the queued list */
		ree_fair_put_prev(&c->cfs, now);
	while (c->cfs.queued) {
		struct ree_se *se = c->cfs.queued;
		bool runnable = !se->delayed;
		ree_fair_remove(&c->cfs, se, now);
		if (!runnable)
			continue; /* a delayed sleeper just leaves; it is placed where it next wakes */
		t = task_of(se);
		t->next = NULL;
		*tail = t;
		tail = &t->next;
	}
	while ((t = list)) {
		list = t->next;
		t->next = NULL;
		t->state = T_BLOCKED;
		ree_wake(r, t, NULL);
	}
}

void ree_wake_elsewhere(struct ree *r, struct ree_task *t)
{
	t->state = T_BLOCKED;
	ree_wake(r, t, NULL);
}

/*
 * balance_push (kernel/sched/core.c), armed by sched_cpu_deactivate: the
 * tasks queued on @cpu that may not run there any more leave for a CPU where
 * they may (select_fallback_rq), in run-queue order; per-CPU kthreads stay.
 * The running task is the caller's (cpuhp/N).
 */
void ree_balance_push(struct ree *r, unsigned cpu)
{
	struct ree_cpu *c = &r->cpu[cpu];
	struct ree_task *keep = NULL, **ktail = &keep, *list = NULL, **tail = &list, *t;
	sim_time now = sim_now(r->sim->k);
	while ((t = fifo_pop(c))) {
		if (cpu_allowed(r, t, (int)cpu)) {
			*ktail = t;
			ktail = &t->next;
		} else {
			*tail = t;
			tail = &t->next;
		}
	}
	while ((t = keep)) {
		keep = t->next;
		fifo_push(c, t, false);
	}
	for (struct ree_se *se = c->cfs.queued, *nx; se; se = nx) {
		nx = se->next;
		t = task_of(se);
		if (se->delayed || cpu_allowed(r, t, (int)cpu))
			continue; /* a delayed sleeper is placed where it next wakes */
		ree_fair_remove(&c->cfs, se, now);
		t->next = NULL;
		*tail = t;
		tail = &t->next;
	}
	while ((t = list)) {
		list = t->next;
		t->next = NULL;
		t->state = T_BLOCKED;
		ree_wake(r, t, NULL);
	}
}

void ree_sched_free(struct ree *r)
{
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		sim_cancel(r->sim->k, &r->cpu[i].tick);
	for (unsigned i = 0; i < r->ntasks; i++)
		free(r->tasks[i]);
}

void ree_sched_init_cpu(struct ree *r, unsigned cpu)
{
	struct ree_cpu *c = &r->cpu[cpu];
	c->pe = r->pes[cpu];
	ree_fair_init(&c->cfs, (int)cpu, r->cfg.fair == REE_SCHED_CFS, r->cfg.num_pes);
	sim_event_init(&c->tick, tick_fire, r);
}
