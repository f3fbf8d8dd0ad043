// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_fair.c: the fair scheduling class of one CPU's run queue,
 * as Linux 6.12 has it (EEVDF, kernel/sched/fair.c), or as Linux up to 6.5
 * had it (CFS, 6.1's fair.c) for ree.scheduler: cfs.
 *
 * Every task of the model is nice 0 (weight 1024), so virtual time runs at
 * the rate of real time and the load-weighted averages are plain averages.
 * No task groups, no PELT, no buddies (NEXT_BUDDY is off by default; CFS's
 * next buddy after a wake-up preemption is not modelled). Every task of the
 * model stands for one that existed long before the run (kworkers, irq
 * threads, user processes): its first wake-up places it as a sleeper with
 * no lag, not as a new task (no PLACE_DEADLINE_INITIAL, no START_DEBIT).
 *
 * EEVDF (features.h defaults: PLACE_LAG, PLACE_DEADLINE_INITIAL,
 * RUN_TO_PARITY, PREEMPT_SHORT, DELAY_DEQUEUE, DELAY_ZERO,
 * WAKEUP_PREEMPTION):
 *  - V = avg_vruntime() over the queued entities and the running one;
 *    an entity is eligible when its vruntime <= V (lag >= 0,
 *    vruntime_eligible);
 *  - placement (place_entity): vruntime = V - lag, the lag inflated by
 *    (W + w) / W so that it survives the entity's own effect on V;
 *    deadline = vruntime + slice;
 *  - the slice is sysctl_sched_base_slice, 0.7 ms x (1 + ilog2(min(ncpus,
 *    8))) (get_update_sysctl_factor); lag is clamped to +-max(2 x slice,
 *    TICK_NSEC) (entity_lag);
 *  - pick_eevdf: the eligible entity with the earliest deadline; the
 *    running one only if eligible, and kept while RUN_TO_PARITY protects
 *    it (it is eligible and still inside the slice it was picked with,
 *    set_protect_slice / protect_slice);
 *  - update_curr -> update_deadline: a running entity that reaches its
 *    deadline gets a new one and is rescheduled if others wait;
 *  - a sleeper that is not eligible stays queued as "delayed"
 *    (DELAY_DEQUEUE) until picked or woken; its lag is clipped to <= 0 when
 *    that ends (DELAY_ZERO, finish_delayed_dequeue_entity,
 *    requeue_delayed_entity), so a woken task has lag >= 0 only if it slept
 *    while eligible;
 *  - wake-up preemption (check_preempt_wakeup_fair): a SCHED_BATCH task
 *    never preempts; otherwise preempt iff pick_eevdf() is the woken task.
 *    PREEMPT_SHORT never applies (every slice is the base slice).
 *
 * CFS (6.1): vruntime only; a waking sleeper is placed at
 * max(its vruntime, min_vruntime - sched_latency / 2) (place_entity,
 * GENTLE_FAIR_SLEEPERS); a wake-up preempts when the running task's vruntime
 * exceeds the woken one's by more than sched_wakeup_granularity
 * (wakeup_preempt_entity); the tick reschedules a task that ran its
 * sched_slice, or ran sched_min_granularity and leads the leftmost by more
 * than the slice (check_preempt_tick). latency 6 ms, min granularity
 * 0.75 ms, wakeup granularity 1 ms, each x (1 + ilog2(min(ncpus, 8))).
 */
#include <stddef.h>

#include "ree_internal.h"

#define NSEC ((int64_t)SIM_NS)
#define TICK_NSEC ((int64_t)(SIM_S / REE_HZ))

static unsigned ilog2u(unsigned v)
{
	unsigned l = 0;
	while (v >>= 1)
		l++;
	return l;
}

void ree_fair_init(struct ree_cfs_rq *rq, int cpu, bool cfs, unsigned ncpus)
{
	/* get_update_sysctl_factor: SCHED_TUNABLESCALING_LOG */
	int64_t factor = 1 + ilog2u(ncpus < 8 ? (ncpus ? ncpus : 1) : 8);
	rq->cpu = cpu;
	rq->cfs = cfs;
	rq->curr = NULL;
	rq->queued = NULL;
	rq->nr_running = 0;
	rq->zero_vruntime = 0;
	rq->min_vruntime = 0;
	rq->base_slice = 700000 * NSEC * factor;        /* EEVDF sysctl_sched_base_slice */
	rq->latency = 6000000 * NSEC * factor;          /* CFS sysctl_sched_latency */
	rq->min_granularity = 750000 * NSEC * factor;   /* CFS sysctl_sched_min_granularity */
	rq->wakeup_granularity = 1000000 * NSEC * factor; /* CFS sysctl_sched_wakeup_granularity */
}

/* ---- the queued list (the rb-tree; order does not matter, picks scan it) ----------------- */

static void list_insert(struct ree_cfs_rq *rq, struct ree_se *se)
{
	struct ree_se **pp = &rq->queued;
	while (*pp) /* append: ties go to the earlier-queued entity, as the tree's leftmost */
		pp = &(*pp)->next;
	se->next = NULL;
	*pp = se;
}

static void list_remove(struct ree_cfs_rq *rq, struct ree_se *se)
{
	for (struct ree_se **pp = &rq->queued; *pp; pp = &(*pp)->next)
		if (*pp == se) {
			*pp = se->next;
			se->next = NULL;
			return;
		}
}

/* ---- EEVDF arithmetic ------------------------------------------------------------------------ */

/* The sum of (vruntime - zero_vruntime) over the entities V averages, and their count. */
static void avg_sums(const struct ree_cfs_rq *rq, int64_t *sum, int64_t *n)
{
	*sum = 0;
	*n = 0;
	for (const struct ree_se *se = rq->queued; se; se = se->next) {
		*sum += se->vruntime - rq->zero_vruntime;
		(*n)++;
	}
	if (rq->curr && rq->curr->on_rq) {
		*sum += rq->curr->vruntime - rq->zero_vruntime;
		(*n)++;
	}
}

/* avg_vruntime: V, rounded down; the last V when the queue is empty (update_zero_vruntime). */
static int64_t avg_vruntime(struct ree_cfs_rq *rq)
{
	int64_t sum, n;
	avg_sums(rq, &sum, &n);
	if (n) {
		if (sum < 0) /* sign flips effective floor / ceiling */
			sum -= n - 1;
		rq->zero_vruntime += sum / n;
	}
	return rq->zero_vruntime;
}

/* vruntime_eligible: lag >= 0, i.e. \Sum (v_i - v) >= (v_se - v) * n, without the division. */
static bool entity_eligible(const struct ree_cfs_rq *rq, const struct ree_se *se)
{
	int64_t sum, n;
	avg_sums(rq, &sum, &n);
	return sum >= (se->vruntime - rq->zero_vruntime) * n;
}

/* entity_lag: V - v, clamped to +-max(2 x slice, TICK_NSEC). */
static int64_t entity_lag(const struct ree_cfs_rq *rq, int64_t avruntime, const struct ree_se *se)
{
	int64_t vlag = avruntime - se->vruntime;
	int64_t limit = 2 * rq->base_slice > TICK_NSEC ? 2 * rq->base_slice : TICK_NSEC;
	return vlag < -limit ? -limit : vlag > limit ? limit : vlag;
}

/* protect_slice: RUN_TO_PARITY, still inside the slice it was picked with. */
static bool protect_slice(const struct ree_se *se) { return se->vprot == se->deadline; }

/* pick_eevdf */
static struct ree_se *pick_eevdf(const struct ree_cfs_rq *rq)
{
	struct ree_se *curr = rq->curr, *best = NULL;
	if (rq->nr_running == 1)
		return curr && curr->on_rq ? curr : rq->queued;
	if (curr && (!curr->on_rq || !entity_eligible(rq, curr)))
		curr = NULL;
	if (curr && protect_slice(curr))
		return curr;
	/* the eligible entity with the earliest virtual deadline (the augmented tree's search) */
	for (struct ree_se *se = rq->queued; se; se = se->next)
		if ((!best || se->deadline < best->deadline) && entity_eligible(rq, se))
			best = se;
	if (!best || (curr && curr->deadline < best->deadline))
		best = curr;
	return best;
}

/* place_entity (a wake-up: no ENQUEUE_INITIAL) */
static void place_entity(struct ree_cfs_rq *rq, struct ree_se *se)
{
	int64_t vruntime = avg_vruntime(rq), vslice = rq->base_slice, lag = 0;
	if (rq->nr_running) {
		int64_t sum, load;
		avg_sums(rq, &sum, &load);
		lag = se->vlag;
		/* lag *= (load + w) / load: the entity's own weight would pull V towards it */
		if (load)
			lag = lag * (load + 1) / load;
	}
	se->vruntime = vruntime - lag;
	se->deadline = se->vruntime + vslice;
}

/* ---- CFS arithmetic -------------------------------------------------------------------------- */

static struct ree_se *leftmost(const struct ree_cfs_rq *rq)
{
	struct ree_se *best = NULL;
	for (struct ree_se *se = rq->queued; se; se = se->next)
		if (!best || se->vruntime < best->vruntime)
			best = se;
	return best;
}

/* update_min_vruntime: never backwards */
static void update_min_vruntime(struct ree_cfs_rq *rq)
{
	struct ree_se *curr = rq->curr && rq->curr->on_rq ? rq->curr : NULL, *left = leftmost(rq);
	int64_t v = rq->min_vruntime;
	if (curr)
		v = curr->vruntime;
	if (left)
		v = !curr || left->vruntime < v ? left->vruntime : v;
	if (v > rq->min_vruntime)
		rq->min_vruntime = v;
}

/* sched_slice for nice-0 tasks: __sched_period(nr) / nr, at least min_granularity (BASE_SLICE) */
static int64_t cfs_slice(const struct ree_cfs_rq *rq, unsigned nr)
{
	int64_t period = nr > 8 ? (int64_t)nr * rq->min_granularity : rq->latency, slice;
	slice = period / (nr ? nr : 1);
	return slice < rq->min_granularity ? rq->min_granularity : slice;
}

/* place_entity of 6.1, for a waking sleeper: sleeps up to half a latency count */
static void place_entity_cfs(struct ree_cfs_rq *rq, struct ree_se *se)
{
	int64_t v = rq->min_vruntime - rq->latency / 2; /* GENTLE_FAIR_SLEEPERS */
	se->vruntime = se->vruntime > v ? se->vruntime : v;
}

/* ---- operations ------------------------------------------------------------------------------ */

bool ree_fair_update_curr(struct ree_cfs_rq *rq, sim_time now)
{
	struct ree_se *curr = rq->curr;
	int64_t delta;
	bool resched = false;
	if (!curr)
		return false;
	delta = (int64_t)(now - curr->exec_start);
	if (delta <= 0)
		return false;
	curr->exec_start = now;
	curr->sum_exec += delta;
	curr->vruntime += delta;
	if (rq->cfs) {
		update_min_vruntime(rq);
		return false;
	}
	/* update_deadline: the request is consumed; vd_i = ve_i + r_i / w_i */
	if (curr->vruntime >= curr->deadline) {
		curr->deadline = curr->vruntime + rq->base_slice;
		avg_vruntime(rq);
		resched = true;
	}
	return resched && rq->nr_running > 1;
}

void ree_fair_enqueue(struct ree_cfs_rq *rq, struct ree_se *se, sim_time now)
{
	ree_fair_update_curr(rq, now);
	se->rq = rq->cpu;
	if (se->on_rq) {
		/* requeue_delayed_entity: DELAY_ZERO re-places it if its lag has become positive */
		se->delayed = false;
		if (!rq->cfs) {
			se->vlag = entity_lag(rq, avg_vruntime(rq), se);
			if (se->vlag > 0) {
				rq->nr_running--;
				if (se != rq->curr)
					list_remove(rq, se);
				se->vlag = 0;
				place_entity(rq, se);
				if (se != rq->curr)
					list_insert(rq, se);
				rq->nr_running++;
			}
		}
		return;
	}
	if (rq->cfs)
		place_entity_cfs(rq, se);
	else
		place_entity(rq, se);
	se->on_rq = true;
	se->delayed = false;
	list_insert(rq, se);
	rq->nr_running++;
	if (rq->cfs)
		update_min_vruntime(rq);
}

/* dequeue_entity(DEQUEUE_SLEEP) of the running entity */
void ree_fair_dequeue_sleep(struct ree_cfs_rq *rq, struct ree_se *se, sim_time now)
{
	ree_fair_update_curr(rq, now);
	if (!rq->cfs && !entity_eligible(rq, se)) {
		se->delayed = true; /* DELAY_DEQUEUE: it keeps competing until eligible */
		return;
	}
	if (!rq->cfs)
		se->vlag = entity_lag(rq, avg_vruntime(rq), se); /* update_entity_lag */
	se->on_rq = false;
	if (se != rq->curr)
		list_remove(rq, se);
	rq->nr_running--;
	if (rq->cfs)
		update_min_vruntime(rq);
}

/* A delayed entity leaves for good (dequeue_entities(DEQUEUE_DELAYED) -> finish_delayed_dequeue_entity). */
static void finish_delayed(struct ree_cfs_rq *rq, struct ree_se *se)
{
	se->vlag = entity_lag(rq, avg_vruntime(rq), se);
	if (se->vlag > 0) /* DELAY_ZERO */
		se->vlag = 0;
	se->on_rq = false;
	se->delayed = false;
	if (se != rq->curr)
		list_remove(rq, se);
	rq->nr_running--;
}

void ree_fair_remove(struct ree_cfs_rq *rq, struct ree_se *se, sim_time now)
{
	if (!se->on_rq)
		return;
	ree_fair_update_curr(rq, now);
	if (se->delayed) {
		finish_delayed(rq, se);
	} else {
		if (!rq->cfs)
			se->vlag = entity_lag(rq, avg_vruntime(rq), se);
		se->on_rq = false;
		if (se != rq->curr)
			list_remove(rq, se);
		rq->nr_running--;
	}
	if (rq->curr == se)
		rq->curr = NULL;
	if (rq->cfs) {
		update_min_vruntime(rq);
		se->vruntime -= rq->min_vruntime; /* migrate_task_rq_fair: relative while it moves */
		se->relative = true;
	}
}

void ree_fair_migrate_in(struct ree_cfs_rq *rq, struct ree_se *se)
{
	if (rq->cfs && se->relative)
		se->vruntime += rq->min_vruntime;
	se->relative = false;
}

static void put_prev(struct ree_cfs_rq *rq)
{
	struct ree_se *prev = rq->curr;
	if (prev->on_rq)
		list_insert(rq, prev); /* put 'current' back into the tree */
	rq->curr = NULL;
}

static void set_next(struct ree_cfs_rq *rq, struct ree_se *se, sim_time now)
{
	list_remove(rq, se);
	se->vprot = se->deadline; /* set_protect_slice */
	se->exec_start = now;
	se->prev_sum_exec = se->sum_exec;
	rq->curr = se;
}

struct ree_se *ree_fair_pick_next(struct ree_cfs_rq *rq, sim_time now)
{
	struct ree_se *se;
	ree_fair_update_curr(rq, now);
	for (;;) {
		if (!rq->nr_running) {
			se = NULL;
			break;
		}
		if (rq->cfs) {
			struct ree_se *curr = rq->curr && rq->curr->on_rq ? rq->curr : NULL;
			se = leftmost(rq);
			if (!se || (curr && curr->vruntime <= se->vruntime))
				se = curr;
			break;
		}
		se = pick_eevdf(rq);
		if (!se || !se->delayed)
			break;
		/* pick_next_entity: a delayed entity picked is dequeued, and the pick retried */
		finish_delayed(rq, se);
	}
	if (se == rq->curr && se)
		return se;
	if (rq->curr)
		put_prev(rq);
	if (se)
		set_next(rq, se, now);
	return se;
}

void ree_fair_put_prev(struct ree_cfs_rq *rq, sim_time now)
{
	if (!rq->curr)
		return;
	ree_fair_update_curr(rq, now);
	put_prev(rq);
}

bool ree_fair_wakeup_preempt(struct ree_cfs_rq *rq, struct ree_se *pse, sim_time now)
{
	bool resched;
	if (!rq->curr || rq->curr == pse)
		return false;
	/* BATCH (and IDLE) tasks do not preempt others */
	if (pse->batch)
		return false;
	resched = ree_fair_update_curr(rq, now);
	if (rq->cfs)
		/* wakeup_preempt_entity() == 1: curr leads by more than the wake-up granularity */
		return rq->curr->vruntime - pse->vruntime > rq->wakeup_granularity;
	/* If @p has become the most eligible task, force preemption. */
	return resched || pick_eevdf(rq) == pse;
}

bool ree_fair_tick(struct ree_cfs_rq *rq, sim_time now)
{
	struct ree_se *curr = rq->curr, *left;
	int64_t ideal, delta_exec;
	bool resched = ree_fair_update_curr(rq, now);
	if (!curr || !rq->cfs)
		return resched;
	/* check_preempt_tick */
	ideal = cfs_slice(rq, rq->nr_running);
	delta_exec = curr->sum_exec - curr->prev_sum_exec;
	if (delta_exec > ideal)
		return true;
	if (delta_exec < rq->min_granularity || !(left = leftmost(rq)))
		return false;
	return curr->vruntime - left->vruntime > ideal;
}
