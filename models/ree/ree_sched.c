// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_sched.c: per-CPU run queues, wake-ups and preemption
 * (workqueues are in ree_wq.c).
 */
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

struct ree_task *ree_task_new(struct ree *r, const char *name, int bound, int prio, ree_task_fn resume)
{
	struct ree_task *t;
	if (r->ntasks == REE_MAX_TASKS || !(t = calloc(1, sizeof(*t))))
		abort(); /* a wiring bug: the model creates a bounded set of tasks */
	t->r = r;
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->bound = bound;
	t->cpu = bound >= 0 ? bound : 0;
	t->prio = (uint8_t)prio;
	t->state = T_BLOCKED;
	t->resume = resume;
	r->tasks[r->ntasks++] = t;
	return t;
}


static void rq_push(struct ree_cpu *c, struct ree_task *t)
{
	t->next = NULL;
	if (c->rq_tail[t->prio])
		c->rq_tail[t->prio]->next = t;
	else
		c->rq_head[t->prio] = t;
	c->rq_tail[t->prio] = t;
}

static struct ree_task *rq_pop(struct ree_cpu *c)
{
	for (int p = 0; p < PRIO_COUNT; p++) {
		struct ree_task *t = c->rq_head[p];
		if (!t)
			continue;
		c->rq_head[p] = t->next;
		if (!t->next)
			c->rq_tail[p] = NULL;
		t->next = NULL;
		return t;
	}
	return NULL;
}

static bool rq_higher_than(const struct ree_cpu *c, int prio)
{
	for (int p = 0; p < prio; p++)
		if (c->rq_head[p])
			return true;
	return false;
}

static int first_online(const struct ree *r)
{
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		if (r->cpu[i].online)
			return (int)i;
	return 0;
}

static int pick_cpu(const struct ree *r, const struct ree_task *t)
{
	if (t->bound >= 0 && r->cpu[t->bound].online)
		return t->bound;
	if (t->cpu >= 0 && r->cpu[t->cpu].online)
		return t->cpu;
	return first_online(r);
}

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

void ree_schedule(struct ree *r, struct pe *pe)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	struct ree_task *next;

	c->need_resched = false;
	next = c->online || !c->cur ? rq_pop(c) : NULL;
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

/* A wake-up on a CPU nobody interrupts: preempt its task in place (as a tick would). */
static void kick(void *ctx, uint64_t cpu)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[cpu];
	struct pe *pe = c->pe;
	struct pe_frame f;

	/* interrupts off, or inside an exception: it reschedules at its next block or IRQ exit */
	if (!c->need_resched || !pe_preemptible(pe) || !c->online)
		return;
	pe_preempt(pe, &f);
	if (c->cur) {
		c->cur->frame = f;
		c->cur->has_frame = f.kind == PE_FRAME_WORK;
		c->cur->state = T_RUNNABLE;
		rq_push(c, c->cur);
		c->cur = NULL;
	}
	ree_schedule(r, pe);
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
	rq_push(c, t);
	if (c->cur && t->prio >= c->cur->prio && !(c->cur->prio == PRIO_BATCH && t->prio == PRIO_NORMAL))
		return; /* no wake-up preemption: it runs when the current task blocks */
	c->need_resched = true;
	if (from && pe_id(from) == (unsigned)cpu)
		return; /* local: at the next IRQ exit or block */
	if (from)
		ree_send_ipi(r, from, (unsigned)cpu); /* smp_send_reschedule */
	else
		sim_post(r->sim->k, 0, kick, r, (uint64_t)cpu);
}

/* A task with nothing to do until someone gives it work and sets its resume point. */
void ree_task_park(struct ree_task *t, struct pe *pe) { ree_block(t->r, pe, ree_task_park); }

void ree_block(struct ree *r, struct pe *pe, ree_task_fn resume)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	struct ree_task *t = c->cur;
	if (t) {
		/* schedule() -> sched_submit_work: a kworker blocking in a work item */
		ree_wq_worker_sleeping(r, t, pe);
		t->state = T_BLOCKED;
		t->resume = resume;
		t->has_frame = false;
		c->cur = NULL;
	}
	ree_schedule(r, pe);
}

void ree_yield(struct ree *r, struct pe *pe, ree_task_fn resume)
{
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	struct ree_task *t = c->cur;
	if (t && !rq_higher_than(c, t->prio + 1) && c->online && !c->need_resched) {
		resume(t, pe);
		return;
	}
	if (t) {
		t->resume = resume;
		t->has_frame = false;
		t->state = T_RUNNABLE;
		c->cur = NULL;
		if (c->online)
			rq_push(c, t);
		else
			ree_wake_elsewhere(r, t);
	}
	ree_schedule(r, pe);
}

/* Move every task off a dying CPU (migrate_tasks at CPUHP_AP_SCHED_STARTING). */
void ree_migrate_tasks(struct ree *r, unsigned from)
{
	struct ree_cpu *c = &r->cpu[from];
	struct ree_task *list = NULL, **tail = &list, *t;
	/* take the whole runqueue first, in order: a re-wake must never land back on it */
	while ((t = rq_pop(c))) {
		t->next = NULL;
		*tail = t;
		tail = &t->next;
	}
	while ((t = list)) {
		list = t->next;
		t->state = T_BLOCKED;
		ree_wake(r, t, NULL);
	}
}

void ree_wake_elsewhere(struct ree *r, struct ree_task *t)
{
	t->state = T_BLOCKED;
	ree_wake(r, t, NULL);
}

void ree_sched_free(struct ree *r)
{
	for (unsigned i = 0; i < r->ntasks; i++)
		free(r->tasks[i]);
}

void ree_sched_init_cpu(struct ree *r, unsigned cpu) { r->cpu[cpu].pe = r->pes[cpu]; }
