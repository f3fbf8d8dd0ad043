// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_wq.c: workqueues as Linux 6.12 runs them (kernel/workqueue.c).
 *
 *  - Per-CPU worker pools (cpu_worker_pools): one pool of normal priority
 *    per CPU, shared by every per-CPU workqueue; its kworkers are normal
 *    (SCHED_OTHER, nice 0) tasks bound to that CPU.
 *  - A pool_workqueue per (workqueue, CPU) with max_active (1 for
 *    create_workqueue) and an inactive list: an item queued while the pwq is
 *    at max_active waits there (__queue_work), and the next one is activated
 *    when an active one finishes (pwq_dec_nr_active ->
 *    pwq_activate_first_inactive).
 *  - WORK_STRUCT_PENDING: queue_work on a pending item does nothing
 *    (queue_work_on, test_and_set_bit); process_one_work clears PENDING
 *    before it calls the function (set_work_pool_and_clear_pending).
 *  - Non-reentrancy (__queue_work -> find_worker_executing_work): an item
 *    queued while it runs in another CPU's pool is queued to that pool's pwq,
 *    so it runs again there, after the running instance.
 *  - Hotplug: CPUHP_AP_WORKQUEUE_ONLINE teardown makes the pool
 *    DISASSOCIATED (unbind_workers): no concurrency management, and its
 *    workers run wherever the scheduler puts them; startup rebinds it.
 *
 * The model has no rescuer (WQ_MEM_RECLAIM only matters under memory
 * pressure), no unbound or high-priority pools, and no flush/cancel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ree_internal.h"

/* kworkers a pool may have (the bound on create_worker; see worker_thread) */
/*
 * The model's per-CPU workqueues are three (optee_pcpu_notification,
 * ffa_pcpu_irq_notification, optee_notification), each max_active 1: at
 * most three items are active in a pool, plus the idle worker that
 * worker_thread keeps in reserve.
 */
#define REE_POOL_MAX_WORKERS 4
#define REE_MAX_WQS 8

/* struct pool_workqueue: one workqueue on one CPU. */
struct ree_pwq {
	struct ree_wq *wq;
	unsigned cpu;            /* its pool */
	unsigned nr_active;
	struct ree_work *inactive_head, *inactive_tail;
};

/* struct workqueue_struct (a per-CPU one) */
struct ree_wq {
	struct ree *r;
	char name[32];
	unsigned max_active;
	struct ree_pwq pwq[REE_MAX_CPUS];
};

/* struct worker */
struct ree_worker {
	struct ree_task *task;
	unsigned pool;           /* its pool's CPU */
	bool idle;               /* WORKER_IDLE: on the pool's idle list */
	uint64_t idle_seq;       /* the idle list is LIFO: the latest to go idle is first */
	bool prep;               /* WORKER_PREP: not yet (or no longer) counted in nr_running */
	bool sleeping;           /* blocked inside a work item (wq_worker_sleeping) */
	struct ree_work *current_work;
	struct ree_pwq *current_pwq;
};

/* struct worker_pool (the normal-priority one of a CPU) */
struct ree_pool {
	unsigned cpu;
	bool disassociated;      /* POOL_DISASSOCIATED: its CPU is offline */
	struct ree_work *worklist_head, *worklist_tail;
	unsigned nr_running;
	unsigned nr_workers, nr_idle;
	uint64_t idle_seq;
	struct ree_worker workers[REE_POOL_MAX_WORKERS];
};

struct ree_wqs {
	struct ree_pool pool[REE_MAX_CPUS];
	struct ree_wq *wq[REE_MAX_WQS];
	unsigned nwq;
};

static void worker_thread(struct ree_task *t, struct pe *pe);

/* ---- lists ------------------------------------------------------------------------ */

static void list_add_tail(struct ree_work **head, struct ree_work **tail, struct ree_work *w)
{
	w->next = NULL;
	if (*tail)
		(*tail)->next = w;
	else
		*head = w;
	*tail = w;
}

static struct ree_work *list_pop(struct ree_work **head, struct ree_work **tail)
{
	struct ree_work *w = *head;
	if (!w)
		return NULL;
	*head = w->next;
	if (!*head)
		*tail = NULL;
	w->next = NULL;
	return w;
}

/* ---- pools and workers --------------------------------------------------------------- */

/* create_worker: a new kworker of @pool, idle (worker_enter_idle) until kicked. */
static struct ree_worker *create_worker(struct ree *r, struct ree_pool *pool)
{
	struct ree_worker *w;
	char name[32];
	if (pool->nr_workers == REE_POOL_MAX_WORKERS)
		return NULL;
	w = &pool->workers[pool->nr_workers];
	snprintf(name, sizeof(name), "kworker/%u:%u", pool->cpu, pool->nr_workers);
	/* worker_attach_to_pool: per-CPU and bound to its CPU unless the pool is disassociated */
	w->task = ree_task_new(r, name, pool->disassociated ? -1 : (int)pool->cpu, PRIO_NORMAL,
			       pool->disassociated ? REE_KTHREAD : REE_KTHREAD_PER_CPU, worker_thread);
	w->task->worker = w;
	w->pool = pool->cpu;
	w->prep = true;
	w->idle = true;
	w->idle_seq = ++pool->idle_seq;
	pool->nr_workers++;
	pool->nr_idle++;
	return w;
}

/* need_more_worker: work waits and no worker is running (a DISASSOCIATED pool is not managed). */
static bool need_more_worker(const struct ree_pool *pool)
{
	return pool->worklist_head && (pool->disassociated || !pool->nr_running);
}

/* keep_working: called by a running worker; another item waits and it is the only one running. */
static bool keep_working(const struct ree_pool *pool)
{
	return pool->worklist_head && (pool->disassociated || pool->nr_running <= 1);
}

/* first_idle_worker: the latest to go idle (worker_enter_idle adds at the head). */
static struct ree_worker *first_idle_worker(struct ree_pool *pool)
{
	struct ree_worker *best = NULL;
	for (unsigned i = 0; i < pool->nr_workers; i++) {
		struct ree_worker *w = &pool->workers[i];
		if (w->idle && (!best || w->idle_seq > best->idle_seq))
			best = w;
	}
	return best;
}

/* kick_pool: wake the first idle worker if work waits and nobody runs. */
static void kick_pool(struct ree *r, struct ree_pool *pool, struct pe *from)
{
	struct ree_worker *w = first_idle_worker(pool);
	if (!need_more_worker(pool) || !w)
		return;
	ree_wake(r, w->task, from);
}

static void worker_enter_idle(struct ree_pool *pool, struct ree_worker *w)
{
	w->idle = true;
	w->idle_seq = ++pool->idle_seq;
	pool->nr_idle++;
}

static void worker_leave_idle(struct ree_pool *pool, struct ree_worker *w)
{
	if (!w->idle)
		return;
	w->idle = false;
	pool->nr_idle--;
}

/* worker_clr_flags / worker_set_flags(WORKER_PREP): counted in nr_running while it processes work. */
static void worker_set_prep(struct ree_pool *pool, struct ree_worker *w, bool prep)
{
	if (w->prep == prep)
		return;
	w->prep = prep;
	if (prep)
		pool->nr_running--;
	else
		pool->nr_running++;
}

static struct ree_worker *worker_of(struct ree *r, struct pe *pe)
{
	struct ree_task *t = r->cpu[pe_id(pe)].cur;
	if (!t || !t->worker)
		abort(); /* a wiring bug: work functions run in kworkers */
	return t->worker;
}

/* ---- processing ------------------------------------------------------------------------ */

/* process_one_work */
static void process_one_work(struct ree *r, struct ree_worker *w, struct pe *pe)
{
	struct ree_pool *pool = &r->wqs->pool[w->pool];
	struct ree_work *work = list_pop(&pool->worklist_head, &pool->worklist_tail);
	w->current_work = work;
	w->current_pwq = work->pwq;
	/* set_work_pool_and_clear_pending: the last update before the function runs */
	work->last_pool = (int)w->pool;
	work->pending = false;
	work->fn(w->task, pe);
}

static void worker_sleep(struct ree *r, struct ree_worker *w, struct pe *pe)
{
	worker_enter_idle(&r->wqs->pool[w->pool], w);
	ree_block(r, pe, worker_thread);
}

/* worker_thread: woke_up, recheck, then process while keep_working. */
static void worker_thread(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct ree_worker *w = t->worker;
	struct ree_pool *pool = &r->wqs->pool[w->pool];

	worker_leave_idle(pool, w);
	if (!need_more_worker(pool)) {
		worker_sleep(r, w, pe);
		return;
	}
	/* !may_start_working -> manage_workers -> maybe_create_worker: keep an idle worker in reserve */
	if (!pool->nr_idle)
		create_worker(r, pool);
	worker_set_prep(pool, w, false);
	process_one_work(r, w, pe);
}

/* The rest of worker_thread's loop, after process_one_work's cond_resched(). */
static void worker_next(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct ree_worker *w = t->worker;
	struct ree_pool *pool = &r->wqs->pool[w->pool];
	if (keep_working(pool)) {
		process_one_work(r, w, pe);
		return;
	}
	worker_set_prep(pool, w, true);
	worker_sleep(r, w, pe);
}

/* pwq_activate_first_inactive: onto the pool's worklist (no kick: a running worker picks it up). */
static void pwq_activate_first_inactive(struct ree *r, struct ree_pwq *pwq)
{
	struct ree_pool *pool = &r->wqs->pool[pwq->cpu];
	struct ree_work *work;
	if (pwq->nr_active >= pwq->wq->max_active)
		return;
	work = list_pop(&pwq->inactive_head, &pwq->inactive_tail);
	if (!work)
		return;
	pwq->nr_active++;
	list_add_tail(&pool->worklist_head, &pool->worklist_tail, work);
}

void ree_work_done(struct ree *r, struct pe *pe)
{
	struct ree_worker *w = worker_of(r, pe);
	struct ree_pwq *pwq = w->current_pwq;
	w->current_work = NULL;
	w->current_pwq = NULL;
	/* pwq_dec_nr_in_flight -> pwq_dec_nr_active */
	pwq->nr_active--;
	pwq_activate_first_inactive(r, pwq);
	/* process_one_work ends with cond_resched() */
	ree_yield(r, pe, worker_next);
}

/* ---- queueing ------------------------------------------------------------------------- */

/* find_worker_executing_work: the worker of @pool running @work (busy_hash), or NULL. */
static struct ree_worker *find_worker_executing_work(struct ree_pool *pool, const struct ree_work *work)
{
	for (unsigned i = 0; i < pool->nr_workers; i++)
		if (pool->workers[i].current_work == work && pool->workers[i].current_work->fn == work->fn)
			return &pool->workers[i];
	return NULL;
}

/* __queue_work(cpu, wq, work): PENDING is already set. */
static void queue_work_on_cpu(struct ree *r, struct ree_wq *wq, struct ree_work *work, unsigned cpu,
			      struct pe *from)
{
	struct ree_pwq *pwq = &wq->pwq[cpu];
	struct ree_pool *pool;

	/* the item may still be running in the pool it last ran in: queue it there */
	if (work->last_pool >= 0 && (unsigned)work->last_pool != cpu) {
		struct ree_worker *w = find_worker_executing_work(&r->wqs->pool[work->last_pool], work);
		if (w && w->current_pwq->wq == wq)
			pwq = w->current_pwq;
	}
	pool = &r->wqs->pool[pwq->cpu];
	work->pwq = pwq;
	work->last_pool = (int)pwq->cpu;
	/* max_active: behind the inactive items, or active at once */
	if (!pwq->inactive_head && pwq->nr_active < wq->max_active) {
		pwq->nr_active++;
		list_add_tail(&pool->worklist_head, &pool->worklist_tail, work);
		kick_pool(r, pool, from);
	} else {
		list_add_tail(&pwq->inactive_head, &pwq->inactive_tail, work);
	}
}

bool ree_queue_work_on(struct ree *r, unsigned cpu, struct ree_wq *wq, struct ree_work *w, struct pe *from)
{
	/* queue_work_on: test_and_set_bit(WORK_STRUCT_PENDING_BIT) */
	if (w->pending)
		return false;
	w->pending = true;
	queue_work_on_cpu(r, wq, w, cpu, from);
	return true;
}

/* The end of a charged queue_work: the insert and kick, then the caller's continuation. */
static void queue_work_charged_done(void *ctx, struct pe *pe)
{
	struct ree_work *w = ctx;
	queue_work_on_cpu(w->q_wq->r, w->q_wq, w, w->q_cpu, pe);
	w->q_cont(w->q_ctx, pe);
}

void ree_queue_work_charged(struct ree_wq *wq, struct ree_work *w, struct pe *pe, pe_fn cont, void *ctx)
{
	if (w->pending) { /* test_and_set_bit found it set: queue_work returns false at once */
		cont(ctx, pe);
		return;
	}
	w->pending = true;
	w->q_wq = wq;
	w->q_cpu = pe_id(pe); /* WORK_CPU_UNBOUND on a per-CPU workqueue: raw_smp_processor_id() */
	w->q_cont = cont;
	w->q_ctx = ctx;
	/* __queue_work: pool lock, insert, kick_pool; the kick lands at its end */
	pe_exec_cost(pe, SIM_COST_REE_WORK_QUEUE, "queue_work", queue_work_charged_done, w);
}

struct ree_work *ree_current_work(const struct ree_task *t) { return t->worker ? t->worker->current_work : NULL; }

/* ---- concurrency management -------------------------------------------------------------- */

/*
 * wq_worker_sleeping (from sched_submit_work, i.e. only when a task blocks:
 * a preempted worker stays counted): the worker leaves nr_running, and an
 * idle worker is woken if work waits (kick_pool).
 */
void ree_wq_worker_sleeping(struct ree *r, struct ree_task *t, struct pe *pe)
{
	struct ree_worker *w = t->worker;
	struct ree_pool *pool;
	if (!w || w->prep || w->sleeping) /* WORKER_NOT_RUNNING, or already accounted */
		return;
	pool = &r->wqs->pool[w->pool];
	w->sleeping = true;
	pool->nr_running--;
	kick_pool(r, pool, pe);
}

/* wq_worker_running: back from schedule() after a sleep, counted again. */
void ree_wq_worker_running(struct ree *r, struct ree_task *t)
{
	struct ree_worker *w = t->worker;
	if (!w || !w->sleeping)
		return;
	if (!w->prep)
		r->wqs->pool[w->pool].nr_running++;
	w->sleeping = false;
}

/* ---- hotplug ------------------------------------------------------------------------------ */

void ree_wq_unbind(struct ree *r, unsigned cpu, struct pe *from)
{
	struct ree_pool *pool = &r->wqs->pool[cpu];
	/*
	 * unbind_workers: the pool behaves as an unbound one, its workers are no
	 * longer per-CPU kthreads (kthread_set_per_cpu(task, -1)) and may run on
	 * any CPU (wq_unbound_cpumask); kick it so queued work runs elsewhere
	 */
	pool->disassociated = true;
	for (unsigned i = 0; i < pool->nr_workers; i++) {
		pool->workers[i].task->kind = REE_KTHREAD;
		pool->workers[i].task->bound = -1;
	}
	kick_pool(r, pool, from);
}

/* rebind_workers: per-CPU kthreads of @cpu again (each moves there when it next wakes) */
void ree_wq_rebind(struct ree *r, unsigned cpu)
{
	struct ree_pool *pool = &r->wqs->pool[cpu];
	pool->disassociated = false;
	for (unsigned i = 0; i < pool->nr_workers; i++) {
		pool->workers[i].task->kind = REE_KTHREAD_PER_CPU;
		pool->workers[i].task->bound = (int)cpu;
	}
}

/* ---- setup -------------------------------------------------------------------------------- */

int ree_wq_init(struct ree *r)
{
	r->wqs = calloc(1, sizeof(*r->wqs));
	if (!r->wqs)
		return -1;
	for (unsigned c = 0; c < r->cfg.num_pes; c++) {
		r->wqs->pool[c].cpu = c;
		/* workqueue_init: the first worker of each pool */
		create_worker(r, &r->wqs->pool[c]);
	}
	return 0;
}

void ree_wq_free(struct ree *r)
{
	if (!r->wqs)
		return;
	for (unsigned i = 0; i < r->wqs->nwq; i++)
		free(r->wqs->wq[i]);
	free(r->wqs);
}

struct ree_wq *ree_create_workqueue(struct ree *r, const char *name)
{
	struct ree_wq *wq;
	if (r->wqs->nwq == REE_MAX_WQS || !(wq = calloc(1, sizeof(*wq))))
		abort(); /* a wiring bug: the drivers create a bounded set of workqueues */
	wq->r = r;
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	wq->max_active = 1;
	for (unsigned c = 0; c < REE_MAX_CPUS; c++) {
		wq->pwq[c].wq = wq;
		wq->pwq[c].cpu = c;
	}
	r->wqs->wq[r->wqs->nwq++] = wq;
	return wq;
}

void ree_init_work(struct ree_work *w, ree_task_fn fn, void *data, const char *name)
{
	memset(w, 0, sizeof(*w));
	w->fn = fn;
	w->data = data;
	w->name = name;
	w->last_pool = -1;
}
