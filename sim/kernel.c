// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/kernel.c: the event queue (a binary min-heap on (when, seq)) and the
 * native run loop. See kernel.h for the contract.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel_internal.h"

#define POOL_CHUNK 256
#define ARITY 4 /* children per node: a shallower heap, siblings side by side */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

struct pool_chunk {
	struct pool_chunk *next;
	struct sim_event ev[POOL_CHUNK];
};

/*
 * A heap entry carries its event's sort key, so sifting compares keys in the
 * array without touching the events; ev->slot still tracks the index for
 * O(log n) cancel and re-arm.
 */
struct hent {
	sim_time when;
	uint64_t seq;
	struct sim_event *ev;
};

struct sim_kernel {
	sim_time now;
	uint64_t seq;
	uint64_t fired;
	struct hent *heap;
	size_t n, cap;
	/*
	 * Native run loop only (never with a backend): the event just fired
	 * left heap[0] vacant and heap[1..n-1] hold the queue. The first push
	 * from the callback fills the hole with one sift-down (the hold
	 * pattern: fire one, schedule one); anything else settles it first.
	 */
	bool hole;
	/* pool of one-shot events: free list threaded through ctx */
	struct sim_event *free_list;
	struct pool_chunk *chunks;
	bool stop;
	enum sim_backend backend;
	const struct sim_backend_ops *ops;
	void *bctx;
};

static inline bool before(const struct hent *a, const struct hent *b)
{
#ifdef __SIZEOF_INT128__
	/* one branch-free 128-bit compare: (when, seq) lexicographically */
	unsigned __int128 ka = (unsigned __int128)a->when << 64 | a->seq;
	unsigned __int128 kb = (unsigned __int128)b->when << 64 | b->seq;
	return ka < kb;
#else
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
#endif
}

static inline void heap_put(struct hent *h, size_t i, struct hent e)
{
	h[i] = e;
	e.ev->slot = (uint32_t)(i + 1);
}

/* Place @e at the hole @i, moving it toward the root. */
static inline void sift_up(struct sim_kernel *k, size_t i, struct hent e)
{
	struct hent *h = k->heap;
	while (i > 0) {
		size_t p = (i - 1) / ARITY;
		if (!before(&e, &h[p]))
			break;
		heap_put(h, i, h[p]);
		i = p;
	}
	heap_put(h, i, e);
}

/* Place @e at the hole @i, moving it toward the leaves. */
static inline void sift_down(struct sim_kernel *k, size_t i, struct hent e)
{
	struct hent *h = k->heap;
	size_t n = k->n;
	for (;;) {
		size_t c = ARITY * i + 1, m;
		if (likely(c + ARITY <= n)) {
			/* all four children: a tournament in index arithmetic, so
			 * the (unpredictable) comparisons cost no branches */
			size_t a = c + before(&h[c + 1], &h[c]);
			size_t b = c + 2 + before(&h[c + 3], &h[c + 2]);
			m = a ^ ((a ^ b) & -(size_t)before(&h[b], &h[a]));
		} else {
			if (c >= n)
				break;
			m = c;
			for (size_t j = c + 1; j < n; j++)
				if (before(&h[j], &h[m]))
					m = j;
		}
		if (!before(&h[m], &e))
			break;
		heap_put(h, i, h[m]);
		i = m;
	}
	heap_put(h, i, e);
}

/* Fill the hole at heap[0] left by the native run loop, if any. */
static inline void settle(struct sim_kernel *k)
{
	if (!k->hole)
		return;
	k->hole = false;
	if (--k->n)
		sift_down(k, 0, k->heap[k->n]);
}

/* Remove the entry at @i (no hole). */
static void heap_remove(struct sim_kernel *k, size_t i)
{
	struct hent *h = k->heap;
	struct hent last = h[--k->n];
	h[i].ev->slot = 0;
	if (i == k->n)
		return;
	if (i > 0 && before(&last, &h[(i - 1) / ARITY]))
		sift_up(k, i, last);
	else
		sift_down(k, i, last);
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
size_t sim_pending(const struct sim_kernel *k) { return k->n - k->hole; }
uint64_t sim_fired(const struct sim_kernel *k) { return k->fired; }

sim_time sim_next_time(const struct sim_kernel *k)
{
	const struct hent *h = k->heap;
	size_t m;
	if (likely(!k->hole))
		return k->n ? h[0].when : SIM_TIME_MAX;
	/* heap[0] is vacant: the earliest is one of its children */
	if (k->n <= 1)
		return SIM_TIME_MAX;
	m = 1;
	for (size_t j = 2; j <= ARITY && j < k->n; j++)
		if (before(&h[j], &h[m]))
			m = j;
	return h[m].when;
}

void sim_event_init(struct sim_event *ev, sim_event_fn fn, void *ctx)
{
	memset(ev, 0, sizeof(*ev));
	ev->fn = fn;
	ev->ctx = ctx;
}

static void grow(struct sim_kernel *k)
{
	size_t cap = k->cap * 2;
	struct hent *h = realloc(k->heap, cap * sizeof(*h));
	if (!h)
		abort(); /* the queue cannot lose an event */
	k->heap = h;
	k->cap = cap;
}

/* Queue @ev (not queued; ev->when set). */
static inline void push(struct sim_kernel *k, struct sim_event *ev)
{
	struct hent e = { ev->when, k->seq++, ev };
	ev->seq = e.seq;
	if (k->hole) {
		/* native, from the callback just fired: replace the top */
		k->hole = false;
		sift_down(k, 0, e);
		return;
	}
	if (unlikely(k->n == k->cap))
		grow(k);
	sift_up(k, k->n++, e);
	if (unlikely(k->ops != NULL) && k->heap[0].ev == ev)
		k->ops->head_changed(k);
}

/* now + delay, saturating: a huge delay means "never", not a wrap into the past. */
static inline sim_time after(const struct sim_kernel *k, sim_time delay)
{
	return delay > SIM_TIME_MAX - k->now ? SIM_TIME_MAX : k->now + delay;
}

/* Re-arm a queued @ev in place: new key (and sequence) at its slot, one sift. */
static void rearm(struct sim_kernel *k, struct sim_event *ev)
{
	struct hent *h;
	struct hent e;
	size_t i;
	bool was_head;

	settle(k);
	h = k->heap;
	i = ev->slot - 1;
	was_head = i == 0;
	e = (struct hent){ ev->when, k->seq++, ev };
	ev->seq = e.seq;
	if (i > 0 && before(&e, &h[(i - 1) / ARITY]))
		sift_up(k, i, e);
	else
		sift_down(k, i, e);
	/* As remove-then-push: the backend hears when @ev is now the head
	 * (earlier than before) or when it was the head and moved later. */
	if (unlikely(k->ops != NULL) && (was_head || h[0].ev == ev))
		k->ops->head_changed(k);
}

void sim_schedule_at(struct sim_kernel *k, struct sim_event *ev, sim_time when, uint64_t arg)
{
	ev->when = when < k->now ? k->now : when;
	ev->arg = arg;
	if (likely(!ev->slot))
		push(k, ev);
	else
		rearm(k, ev);
}

void sim_schedule(struct sim_kernel *k, struct sim_event *ev, sim_time delay, uint64_t arg)
{
	sim_schedule_at(k, ev, after(k, delay), arg);
}

static inline void pool_put(struct sim_kernel *k, struct sim_event *ev)
{
	ev->ctx = k->free_list;
	k->free_list = ev;
}

bool sim_cancel(struct sim_kernel *k, struct sim_event *ev)
{
	bool head;
	if (!ev || !ev->slot)
		return false;
	settle(k);
	head = ev->slot == 1;
	heap_remove(k, ev->slot - 1);
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
	if (unlikely(!k->free_list)) {
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
	struct sim_event *ev;
	sim_event_fn fn;
	void *ctx;
	uint64_t arg;

	settle(k);
	ev = k->heap[0].ev;
	fn = ev->fn;
	ctx = ev->ctx;
	arg = ev->arg;
	k->now = k->heap[0].when;
	heap_remove(k, 0);
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
	settle(k);
	k->ops = ops;
	k->bctx = bctx;
}
void sim_kernel_set_now(struct sim_kernel *k, sim_time t) { k->now = t; }
bool sim_kernel_stop_requested(struct sim_kernel *k) { return k->stop; }
void sim_kernel_clear_stop(struct sim_kernel *k) { k->stop = false; }

/*
 * The native loop. It pops lazily: firing leaves a hole at heap[0] and the
 * callback's first schedule fills it (one sift-down instead of a pop's
 * sift-down plus a push's sift-up); otherwise the loop settles it after the
 * callback. The hole never outlives the callback that made it.
 */
static uint64_t run(struct sim_kernel *k, sim_time limit, bool (*cond)(void *), void *cctx)
{
	uint64_t before = k->fired;
	k->stop = false;
	if (k->ops)
		return k->ops->run(k, limit, cond, cctx);
	settle(k); /* a run nested in a callback */
	while (k->n && k->heap[0].when <= limit && !k->stop) {
		struct sim_event *ev;
		sim_event_fn fn;
		void *ctx;
		uint64_t arg;

		if (cond && !cond(cctx))
			break;
		ev = k->heap[0].ev;
		fn = ev->fn;
		ctx = ev->ctx;
		arg = ev->arg;
		k->now = k->heap[0].when;
		ev->slot = 0;
		k->hole = true;
		if (unlikely(ev->pooled))
			pool_put(k, ev);
		k->fired++;
		fn(ctx, arg);
		settle(k);
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
