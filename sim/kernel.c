// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/kernel.c: the event queue (a binary min-heap on (when, seq)) and the
 * native run loop. See kernel.h for the contract.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_internal.h"

#define POOL_CHUNK 256

struct pool_chunk {
	struct pool_chunk *next;
	struct sim_event ev[POOL_CHUNK];
};

struct sim_kernel {
	sim_time now;
	uint64_t seq;
	uint64_t fired;
	struct sim_event **heap;
	size_t n, cap;
	/* pool of one-shot events: free list threaded through ctx */
	struct sim_event *free_list;
	struct pool_chunk *chunks;
	bool stop;
	enum sim_backend backend;
	const struct sim_backend_ops *ops;
	void *bctx;
};

static inline bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static inline void heap_set(struct sim_kernel *k, size_t i, struct sim_event *ev)
{
	k->heap[i] = ev;
	ev->slot = (uint32_t)(i + 1);
}

static void sift_up(struct sim_kernel *k, size_t i)
{
	struct sim_event *ev = k->heap[i];
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!ev_before(ev, k->heap[p]))
			break;
		heap_set(k, i, k->heap[p]);
		i = p;
	}
	heap_set(k, i, ev);
}

static void sift_down(struct sim_kernel *k, size_t i)
{
	struct sim_event *ev = k->heap[i];
	for (;;) {
		size_t l = 2 * i + 1, m;
		if (l >= k->n)
			break;
		m = l;
		if (l + 1 < k->n && ev_before(k->heap[l + 1], k->heap[l]))
			m = l + 1;
		if (!ev_before(k->heap[m], ev))
			break;
		heap_set(k, i, k->heap[m]);
		i = m;
	}
	heap_set(k, i, ev);
}

static void heap_remove(struct sim_kernel *k, struct sim_event *ev)
{
	size_t i = ev->slot - 1;
	struct sim_event *last = k->heap[--k->n];
	ev->slot = 0;
	if (i == k->n)
		return;
	heap_set(k, i, last);
	if (i > 0 && ev_before(last, k->heap[(i - 1) / 2]))
		sift_up(k, i);
	else
		sift_down(k, i);
}

struct sim_kernel *sim_kernel_new(enum sim_backend backend)
{
	struct sim_kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->cap = 64;
	k->heap = malloc(k->cap * sizeof(*k->heap));
	if (!k->heap) {
		free(k);
		return NULL;
	}
	k->backend = backend;
	if (backend == SIM_BACKEND_SYSTEMC && sim_systemc_attach(k) != 0) {
		free(k->heap);
		free(k);
		return NULL;
	}
	return k;
}

void sim_kernel_free(struct sim_kernel *k)
{
	struct pool_chunk *c, *n;
	if (!k)
		return;
	if (k->ops && k->ops->destroy)
		k->ops->destroy(k);
	for (c = k->chunks; c; c = n) {
		n = c->next;
		free(c);
	}
	free(k->heap);
	free(k);
}

enum sim_backend sim_kernel_backend(const struct sim_kernel *k) { return k->backend; }
sim_time sim_now(const struct sim_kernel *k) { return k->now; }
size_t sim_pending(const struct sim_kernel *k) { return k->n; }
uint64_t sim_fired(const struct sim_kernel *k) { return k->fired; }
sim_time sim_next_time(const struct sim_kernel *k) { return k->n ? k->heap[0]->when : SIM_TIME_MAX; }

void sim_event_init(struct sim_event *ev, sim_event_fn fn, void *ctx)
{
	memset(ev, 0, sizeof(*ev));
	ev->fn = fn;
	ev->ctx = ctx;
}

static void push(struct sim_kernel *k, struct sim_event *ev)
{
	if (k->n == k->cap) {
		size_t cap = k->cap * 2;
		struct sim_event **h = realloc(k->heap, cap * sizeof(*h));
		if (!h)
			abort(); /* the queue cannot lose an event */
		k->heap = h;
		k->cap = cap;
	}
	ev->seq = k->seq++;
	heap_set(k, k->n++, ev);
	sift_up(k, k->n - 1);
	if (k->ops && k->heap[0] == ev)
		k->ops->head_changed(k);
}

/* now + delay, saturating: a huge delay means "never", not a wrap into the past. */
static inline sim_time after(const struct sim_kernel *k, sim_time delay)
{
	return delay > SIM_TIME_MAX - k->now ? SIM_TIME_MAX : k->now + delay;
}

void sim_schedule_at(struct sim_kernel *k, struct sim_event *ev, sim_time when, uint64_t arg)
{
	bool was_head = ev->slot == 1;
	if (ev->slot)
		heap_remove(k, ev);
	ev->when = when < k->now ? k->now : when;
	ev->arg = arg;
	push(k, ev);
	/* Re-arming the head later moves the earliest time without push()
	 * seeing a new head: the backend must still hear of it. */
	if (was_head && k->ops && k->heap[0] != ev)
		k->ops->head_changed(k);
}

void sim_schedule(struct sim_kernel *k, struct sim_event *ev, sim_time delay, uint64_t arg)
{
	sim_schedule_at(k, ev, after(k, delay), arg);
}

static void pool_put(struct sim_kernel *k, struct sim_event *ev)
{
	ev->ctx = k->free_list;
	k->free_list = ev;
}

bool sim_cancel(struct sim_kernel *k, struct sim_event *ev)
{
	bool head;
	if (!ev || !ev->slot)
		return false;
	head = ev->slot == 1;
	heap_remove(k, ev);
	if (ev->pooled)
		pool_put(k, ev);
	if (head && k->ops)
		k->ops->head_changed(k);
	return true;
}

struct sim_event *sim_post(struct sim_kernel *k, sim_time delay, sim_event_fn fn, void *ctx,
			   uint64_t arg)
{
	struct sim_event *ev;
	if (!k->free_list) {
		struct pool_chunk *c = malloc(sizeof(*c));
		if (!c)
			return NULL;
		c->next = k->chunks;
		k->chunks = c;
		for (int i = POOL_CHUNK - 1; i >= 0; i--) {
			c->ev[i].pooled = 1;
			c->ev[i].slot = 0;
			pool_put(k, &c->ev[i]);
		}
	}
	ev = k->free_list;
	k->free_list = ev->ctx;
	ev->fn = fn;
	ev->ctx = ctx;
	ev->when = after(k, delay);
	ev->arg = arg;
	push(k, ev);
	return ev;
}

void sim_kernel_fire_next(struct sim_kernel *k)
{
	struct sim_event *ev = k->heap[0];
	sim_event_fn fn = ev->fn;
	void *ctx = ev->ctx;
	uint64_t arg = ev->arg;

	heap_remove(k, ev);
	k->now = ev->when;
	if (ev->pooled)
		pool_put(k, ev);
	k->fired++;
	fn(ctx, arg);
}

void sim_stop(struct sim_kernel *k)
{
	k->stop = true;
	if (k->ops && k->ops->stop)
		k->ops->stop(k);
}

void *sim_kernel_backend_ctx(struct sim_kernel *k) { return k->bctx; }
void sim_kernel_set_backend(struct sim_kernel *k, const struct sim_backend_ops *ops, void *bctx)
{
	k->ops = ops;
	k->bctx = bctx;
}
void sim_kernel_set_now(struct sim_kernel *k, sim_time t) { k->now = t; }
bool sim_kernel_stop_requested(struct sim_kernel *k) { return k->stop; }
void sim_kernel_clear_stop(struct sim_kernel *k) { k->stop = false; }

static uint64_t run(struct sim_kernel *k, sim_time limit, bool (*cond)(void *), void *cctx)
{
	uint64_t before = k->fired;
	k->stop = false;
	if (k->ops)
		return k->ops->run(k, limit, cond, cctx);
	while (k->n && k->heap[0]->when <= limit && !k->stop) {
		if (cond && !cond(cctx))
			break;
		sim_kernel_fire_next(k);
	}
	return k->fired - before;
}

uint64_t sim_run_until(struct sim_kernel *k, sim_time t)
{
	uint64_t n = run(k, t, NULL, NULL);
	if (!k->stop && k->now < t)
		k->now = t;
	return n;
}

uint64_t sim_run_idle(struct sim_kernel *k) { return run(k, SIM_TIME_MAX, NULL, NULL); }

uint64_t sim_run_while(struct sim_kernel *k, bool (*cond)(void *ctx), void *ctx)
{
	return run(k, SIM_TIME_MAX, cond, ctx);
}
