// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/kernel/kernel.c: the event queue (the front: the earliest event, held
 * alone; behind it a 4-ary min-heap on (when, seq)) and the native run loop.
 * See kernel.h for the contract.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel/kernel_internal.h"

#define POOL_CHUNK 256
#define ARITY 4 /* children per node: a shallower heap, siblings side by side */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/*
 * A one-shot event of the pool (sim_post hands out &ev): it fires through
 * pool_fire, which returns it to the pool before it calls the model's fn,
 * so firing tests nothing for the pool. Free, it is on the kernel's free
 * list, threaded through ctx.
 */
struct pool_ev {
	struct sim_event ev; /* first; ev.fn is pool_fire, ev.ctx the pool_ev */
	sim_event_fn fn;
	void *ctx;
	struct sim_kernel *k;
};

struct pool_chunk {
	struct pool_chunk *next;
	struct pool_ev ev[POOL_CHUNK];
};

/*
 * The heap is two parallel arrays: the sort keys, compared without touching
 * the events, and the event pointers (ev->slot still tracks the index for
 * O(log n) cancel and re-arm). Node i's children are ARITY*i+1..ARITY*i+4;
 * key[1] sits on a cache-line boundary, so each group of four siblings'
 * keys is one 64-byte line. Every key slot from n to cap is a sentinel that
 * sorts after any real key (seq never reaches UINT64_MAX), so a node with
 * children always has four to compare and sift_down needs no bounds checks.
 */
struct hkey {
	sim_time when;
	uint64_t seq;
};

#define KEY_ALIGN 64
#define SENTINEL ((struct hkey){ SIM_TIME_MAX, UINT64_MAX })
#define SPARE (ARITY) /* sentinel slots kept past n */
#define SLOT_FRONT UINT32_MAX /* ev->slot of the front event */

struct sim_kernel {
	struct sim_kernel_clock clk; /* first: sim_now() reads it inline (kernel.h) */
	uint64_t seq;
	uint64_t fired;
	struct hkey *key;         /* key[0..cap) */
	struct sim_event **evs;   /* evs[0..cap) */
	void *keymem;             /* allocation holding key */
	size_t n, cap;
	/*
	 * The front: when set, the earliest queued event, earlier than every
	 * heap entry, with its key. A model's next step is nearly always the
	 * earliest event (on default.yaml, 92% of the events a callback
	 * schedules first): it goes to the front with one compare against the
	 * heap's earliest (lim), and fires from there with no heap work at all.
	 */
	struct sim_event *front;
	struct hkey fkey;
	/*
	 * Native run loop only (never with a backend): the heap's top fired and
	 * left slot 0 vacant; slots 1..n-1 hold the heap. The next schedule
	 * either goes to the front (earlier than hmin, the vacant root's
	 * earliest child, found as the hole is made: the callback nearly
	 * always schedules, and push then tests for nothing more) or fills
	 * the hole with one sift-down: the hold pattern (fire one, schedule
	 * one) costs one sift, not a pop's and a push's. Anything else settles
	 * the hole first.
	 */
	bool hole;
	size_t hmin; /* with a hole */
	/*
	 * push's one compare: an event whose time is before lim->when takes the
	 * front at once. With plain ties (then its sequence number is the
	 * latest, and only the time can put it before a queued key) and an
	 * empty front, lim is hlim, the heap's earliest key: &key[0] with no
	 * hole, &key[hmin] with a hole. Otherwise both are &never_key, which
	 * no time is before, and push takes its other path. refresh_lim sets
	 * both from the state; the hot paths (set_front, fire, unqueue,
	 * find_hole_min) set what they change.
	 */
	const struct hkey *lim, *hlim;
	/* pool of one-shot events: free list threaded through ctx */
	struct pool_ev *free_list;
	struct pool_chunk *chunks;
	bool stop;
	/* the livelock guard: events fired since time last advanced, and the limit */
	uint64_t same_time, stall_limit;
	/* sim_kernel_set_ties: the order of events at one time inside [tie_from, tie_to) */
	int tie_order;
	uint64_t tie_seed;
	sim_time tie_from, tie_to;
	/*
	 * No tie order and no backend: push takes the next sequence number as
	 * it is and tells no backend, with one test for both (sim_kernel_set_ties
	 * and sim_kernel_set_backend keep it).
	 */
	bool plain;
	struct sim_livelock livelock; /* .fn set once the guard tripped */
	int error; /* sim_kernel_error: -ENOMEM once the queue could not grow */
	enum sim_backend backend;
	const struct sim_backend_ops *ops;
	void *bctx;
};

static inline bool before(const struct hkey *a, const struct hkey *b)
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

static inline void heap_put(struct sim_kernel *k, size_t i, struct hkey e, struct sim_event *ev)
{
	k->key[i] = e;
	k->evs[i] = ev;
	ev->slot = (uint32_t)(i + 1);
}

/* Place (@e, @ev) at the hole @i, moving it toward the root. */
static inline void sift_up(struct sim_kernel *k, size_t i, struct hkey e, struct sim_event *ev)
{
	struct hkey *h = k->key;
	while (i > 0) {
		size_t p = (i - 1) / ARITY;
		if (!before(&e, &h[p]))
			break;
		heap_put(k, i, h[p], k->evs[p]);
		i = p;
	}
	heap_put(k, i, e, ev);
}

/* Place (@e, @ev) at the hole @i, moving it toward the leaves. */
static __attribute__((noinline)) void sift_down(struct sim_kernel *k, size_t i, struct hkey e, struct sim_event *ev)
{
	const struct hkey *h = k->key;
	size_t n = k->n;
	for (;;) {
		size_t c = ARITY * i + 1, a, b, m;
		if (c >= n)
			break;
		/* four children (sentinels pad the last group): a tournament in
		 * index arithmetic, so the unpredictable compares cost no branches */
		a = c + before(&h[c + 1], &h[c]);
		b = c + 2 + before(&h[c + 3], &h[c + 2]);
		m = a ^ ((a ^ b) & -(size_t)before(&h[b], &h[a]));
		if (!before(&h[m], &e))
			break;
		heap_put(k, i, h[m], k->evs[m]);
		i = m;
	}
	heap_put(k, i, e, ev);
}

/* Take the last entry out (its slot becomes a sentinel). */
static inline void take_last(struct sim_kernel *k, struct hkey *e, struct sim_event **ev)
{
	size_t l = --k->n;
	*e = k->key[l];
	*ev = k->evs[l];
	k->key[l] = SENTINEL;
}

/* No time is before it (sim_time is unsigned): lim when push must take its other path. */
static const struct hkey never_key = { 0, 0 };

/* hlim and lim from plain, hole, hmin and front (kept when any changes). */
static inline void refresh_lim(struct sim_kernel *k)
{
	k->hlim = !k->plain ? &never_key : k->hole ? &k->key[k->hmin] : k->key;
	k->lim = k->front ? &never_key : k->hlim;
}

/* The hole is filled (or there was none): push compares with the root. */
static inline void no_hole(struct sim_kernel *k)
{
	k->hole = false;
	refresh_lim(k);
}

/* Fill the hole at slot 0 left by the native run loop, if any. */
static inline void settle(struct sim_kernel *k)
{
	struct hkey e;
	struct sim_event *ev;
	if (likely(!k->hole))
		return;
	no_hole(k);
	take_last(k, &e, &ev);
	if (k->n)
		sift_down(k, 0, e, ev);
	else
		k->key[0] = SENTINEL;
}

/*
 * hmin, the earliest of the vacant root's children (sentinels pad: always
 * four to compare), and with it hlim and lim (the front is empty: the
 * event that made the hole came from the heap).
 */
static inline __attribute__((always_inline)) void find_hole_min(struct sim_kernel *k)
{
	const struct hkey *h = k->key;
	size_t a = 1 + before(&h[2], &h[1]);
	size_t b = 3 + before(&h[4], &h[3]);
	k->hmin = before(&h[b], &h[a]) ? b : a;
	k->hlim = k->plain ? &h[k->hmin] : &never_key;
	k->lim = k->hlim;
}

/* Remove the heap entry at @i (no hole). */
static void heap_remove(struct sim_kernel *k, size_t i)
{
	struct hkey e;
	struct sim_event *ev;
	k->evs[i]->slot = 0;
	take_last(k, &e, &ev);
	if (i == k->n)
		return;
	if (i > 0 && before(&e, &k->key[(i - 1) / ARITY]))
		sift_up(k, i, e, ev);
	else
		sift_down(k, i, e, ev);
}

/* (Re)size both arrays to @cap entries; new key slots are sentinels. */
static bool heap_resize(struct sim_kernel *k, size_t cap)
{
	/* key[1] on a line boundary: key[0] sits KEY_ALIGN - sizeof(key) in */
	size_t off = KEY_ALIGN - sizeof(struct hkey);
	void *mem = aligned_alloc(KEY_ALIGN, (off + cap * sizeof(struct hkey) + KEY_ALIGN - 1) /
						     KEY_ALIGN * KEY_ALIGN);
	struct sim_event **evs = realloc(k->evs, cap * sizeof(*evs));
	struct hkey *key;
	if (!mem || !evs) {
		free(mem);
		if (evs)
			k->evs = evs;
		return false;
	}
	key = (struct hkey *)((char *)mem + off);
	if (k->key)
		memcpy(key, k->key, k->cap * sizeof(*key));
	for (size_t i = k->cap; i < cap; i++)
		key[i] = SENTINEL;
	free(k->keymem);
	k->keymem = mem;
	k->key = key;
	k->evs = evs;
	k->cap = cap;
	refresh_lim(k);
	return true;
}

struct sim_kernel *sim_kernel_new(enum sim_backend backend)
{
	struct sim_kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	if (!heap_resize(k, 64)) {
		free(k->evs);
		free(k);
		return NULL;
	}
	k->backend = backend;
	k->plain = true;
	refresh_lim(k);
	k->stall_limit = SIM_STALL_EVENTS_DEFAULT;
	if (backend == SIM_BACKEND_SYSTEMC && sim_systemc_attach(k) != 0) {
		free(k->keymem);
		free(k->evs);
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
	free(k->keymem);
	free(k->evs);
	free(k);
}

enum sim_backend sim_kernel_backend(const struct sim_kernel *k) { return k->backend; }
size_t sim_pending(const struct sim_kernel *k) { return k->n - k->hole + (k->front != NULL); }
uint64_t sim_fired(const struct sim_kernel *k) { return k->fired; }

sim_time sim_next_time(const struct sim_kernel *k)
{
	const struct hkey *h = k->key;
	size_t m = 1;
	if (k->front)
		return k->fkey.when;
	if (likely(!k->hole))
		return k->n ? h[0].when : SIM_TIME_MAX;
	/* slot 0 is vacant: the earliest is one of its children (or sentinels) */
	for (size_t j = 2; j <= ARITY; j++)
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

/*
 * The sequence key of an event queued now to fire at @when: the insertion
 * count, or (sim_kernel_set_ties) a bijection of it that reverses or
 * shuffles the events of one time. Keys stay unique below UINT64_MAX.
 */
static inline uint64_t next_seq(struct sim_kernel *k, sim_time when)
{
	uint64_t s = k->seq++;
	if (likely(!k->tie_order) || when < k->tie_from || when >= k->tie_to)
		return s;
	if (k->tie_order == SIM_TIES_LIFO)
		return (UINT64_MAX >> 1) - s;
	/* SIM_TIES_RANDOM: splitmix64's finalizer, a bijection, of the count and the seed */
	s = (s + k->tie_seed * 0x9E3779B97F4A7C15ull) ^ k->tie_seed;
	s = (s ^ (s >> 30)) * 0xBF58476D1CE4E5B9ull;
	s = (s ^ (s >> 27)) * 0x94D049BB133111EBull;
	return (s ^ (s >> 31)) >> 1;
}

void sim_kernel_set_ties(struct sim_kernel *k, int order, uint64_t seed, sim_time from, sim_time to)
{
	k->tie_order = order;
	k->tie_seed = seed;
	k->tie_from = from;
	k->tie_to = to;
	k->plain = !k->tie_order && !k->ops;
	refresh_lim(k);
}

static inline void set_front(struct sim_kernel *k, struct hkey e, struct sim_event *ev)
{
	k->front = ev;
	k->fkey = e;
	ev->slot = SLOT_FRONT;
	k->lim = &never_key;
}

/*
 * Out of memory: the queue cannot take an event, and a run that lost one
 * is wrong from here on. Stop it and run nothing more (sim/kernel/err.h:
 * a sticky error the run driver reads with sim_kernel_error).
 */
static void out_of_memory(struct sim_kernel *k) { sim_kernel_fail(k, -ENOMEM); }

void sim_kernel_fail(struct sim_kernel *k, int err)
{
	if (!k->error)
		k->error = err;
	sim_stop(k);
}

/* Add (@e, @ev) to the heap (no hole). Returns false when it cannot grow (out_of_memory). */
static bool heap_insert(struct sim_kernel *k, struct hkey e, struct sim_event *ev)
{
	if (unlikely(k->n + SPARE >= k->cap) && !heap_resize(k, k->cap * 2)) {
		out_of_memory(k);
		return false;
	}
	sift_up(k, k->n++, e, ev);
	return true;
}

/* Fill the hole with (@e, @ev), not earlier than the root's earliest child @m. */
static __attribute__((noinline)) void fill_hole(struct sim_kernel *k, size_t m, struct hkey e, struct sim_event *ev)
{
	/* @m moves up to the root; @e sifts down from its place */
	no_hole(k);
	heap_put(k, 0, k->key[m], k->evs[m]);
	sift_down(k, m, e, ev);
}

/*
 * Queue (@e, @ev): at the front when it is the earliest, else in the heap.
 * Returns whether it is now the earliest queued event. A hole needs no
 * settling first: a front that @e displaces is earlier than every heap
 * entry, so it takes the vacant root as it is, and @e itself fills the
 * hole as push does.
 */
static __attribute__((noinline)) bool place_hole(struct sim_kernel *k, struct hkey e, struct sim_event *ev)
{
	size_t m = k->hmin;

	if (k->front ? before(&e, &k->fkey) : before(&e, &k->key[m])) {
		if (k->front) {
			/* earlier still: the old front is the heap's new minimum, at the vacant root */
			no_hole(k);
			heap_put(k, 0, k->fkey, k->front);
		}
		set_front(k, e, ev);
		return true;
	}
	if (before(&e, &k->key[m])) {
		no_hole(k);
		heap_put(k, 0, e, ev);
	} else {
		fill_hole(k, m, e, ev);
	}
	return false;
}

/* place with no hole. */
static __attribute__((noinline)) bool place_full(struct sim_kernel *k, struct hkey e, struct sim_event *ev)
{
	if (k->front ? before(&e, &k->fkey) : before(&e, &k->key[0])) { /* an empty heap's key[0] is a sentinel */
		/* earlier still: the old front is the heap's new minimum */
		if (k->front && !heap_insert(k, k->fkey, k->front))
			return false; /* @ev stays out: the run stops */
		set_front(k, e, ev);
		return true;
	}
	heap_insert(k, e, ev);
	return false;
}

/*
 * The hole's case and the other in functions of their own: the hole's
 * calls nothing but fill_hole, so it saves no registers.
 */
static inline bool place(struct sim_kernel *k, struct hkey e, struct sim_event *ev)
{
	return k->hole ? place_hole(k, e, ev) : place_full(k, e, ev);
}

/* place, telling a backend when @ev is now the earliest: push's rest, a tail call (push keeps no frame for it). */
static __attribute__((noinline)) void place_push(struct sim_kernel *k, struct hkey e, struct sim_event *ev)
{
	if (place(k, e, ev) && unlikely(k->ops != NULL))
		k->ops->head_changed(k);
}

/*
 * Queue @ev (not queued; ev->when set). The common cases are inline: with
 * an empty front, an event earlier than the heap's earliest takes the
 * front; else, when the native loop left the root vacant (its hold: fire
 * one, schedule one), it fills the hole with one sift. The rest goes to
 * place. With a tie order or a backend: push_any.
 */
static __attribute__((noinline)) void push_any(struct sim_kernel *k, struct sim_event *ev)
{
	struct hkey e = { ev->when, next_seq(k, ev->when) };
	if (likely(!k->front)) {
		size_t m = k->hole ? k->hmin : 0;
		if (before(&e, &k->key[m])) { /* the hole, if any, stays: the heap did not change */
			set_front(k, e, ev);
			if (unlikely(k->ops != NULL))
				k->ops->head_changed(k);
			return;
		}
		if (k->hole) {
			fill_hole(k, m, e, ev);
			return;
		}
	}
	place_push(k, e, ev);
}

/*
 * push's other cases (lim did not take @ev at once). Plain ties: the
 * sequence number as it is (next_seq), no backend to tell; with an empty
 * front, an event not earlier than the vacant root's earliest child fills
 * the hole with one sift.
 */
static __attribute__((noinline)) void push_slow(struct sim_kernel *k, struct sim_event *ev)
{
	struct hkey e;

	if (unlikely(!k->plain)) {
		push_any(k, ev);
		return;
	}
	e = (struct hkey){ ev->when, k->seq++ };
	if (!k->front && k->hole && !before(&e, &k->key[k->hmin])) {
		fill_hole(k, k->hmin, e, ev);
		return;
	}
	(void)place(k, e, ev); /* the rest, e.g. a time of SIM_TIME_MAX before the sentinels */
}

/*
 * Queue @ev (not queued; ev->when set): with plain ties and an empty
 * front, an event earlier than the heap's earliest takes the front (one
 * compare with lim; the hole, if any, stays: the heap did not change).
 */
static inline __attribute__((always_inline)) void push(struct sim_kernel *k, struct sim_event *ev)
{
	if (likely(ev->when < k->lim->when)) {
		set_front(k, (struct hkey){ ev->when, k->seq++ }, ev);
		return;
	}
	push_slow(k, ev);
}

/* Take queued @ev out (no hole). Returns whether it was the earliest. */
static bool unqueue(struct sim_kernel *k, struct sim_event *ev)
{
	bool head;
	if (ev->slot == SLOT_FRONT) {
		ev->slot = 0;
		k->front = NULL;
		k->lim = k->hlim;
		return true;
	}
	head = !k->front && ev->slot == 1;
	heap_remove(k, ev->slot - 1);
	return head;
}

/* now + delay, saturating: a huge delay means "never", not a wrap into the past. */
static inline sim_time after(const struct sim_kernel *k, sim_time delay)
{
	return delay > SIM_TIME_MAX - k->clk.now ? SIM_TIME_MAX : k->clk.now + delay;
}

/* Re-arm a queued @ev: out, and back in with a new key (and sequence). */
static __attribute__((noinline)) void rearm(struct sim_kernel *k, struct sim_event *ev)
{
	struct hkey e;
	bool was_head, is_head;

	settle(k);
	was_head = unqueue(k, ev);
	e = (struct hkey){ ev->when, next_seq(k, ev->when) };
	is_head = place(k, e, ev);
	/* As remove-then-push: the backend hears when @ev is now the head
	 * (earlier than before) or when it was the head and moved later. */
	if (unlikely(k->ops != NULL) && (was_head || is_head))
		k->ops->head_changed(k);
}

/* Queue or re-arm @ev at @when (not before now); inline in both entry points, one call a step. */
static inline __attribute__((always_inline)) void schedule(struct sim_kernel *k, struct sim_event *ev,
							   sim_time when, uint64_t arg)
{
	ev->when = when;
	ev->arg = arg;
	if (likely(!ev->slot))
		push(k, ev);
	else
		rearm(k, ev);
}

void sim_schedule_at(struct sim_kernel *k, struct sim_event *ev, sim_time when, uint64_t arg)
{
	schedule(k, ev, when < k->clk.now ? k->clk.now : when, arg);
}

void sim_schedule(struct sim_kernel *k, struct sim_event *ev, sim_time delay, uint64_t arg)
{
	schedule(k, ev, after(k, delay), arg);
}

/* The pool event @ev is (ev->pooled): its struct sim_event is its first member. */
static inline struct pool_ev *pool_ev(struct sim_event *ev)
{
	return (struct pool_ev *)(void *)ev;
}

static inline void pool_put(struct sim_kernel *k, struct pool_ev *p)
{
	p->ctx = k->free_list;
	k->free_list = p;
}

/* A pool event fires: back to the pool (a callback may post it again), then the model's fn. */
static void pool_fire(void *ctx, uint64_t arg)
{
	struct pool_ev *p = ctx;
	sim_event_fn fn = p->fn;
	void *fctx = p->ctx;

	pool_put(p->k, p);
	fn(fctx, arg);
}

bool sim_cancel(struct sim_kernel *k, struct sim_event *ev)
{
	bool head;
	if (!ev || !ev->slot)
		return false;
	settle(k);
	head = unqueue(k, ev);
	if (ev->pooled)
		pool_put(k, pool_ev(ev));
	if (head && k->ops)
		k->ops->head_changed(k);
	return true;
}

struct sim_event *sim_post(struct sim_kernel *k, sim_time delay, sim_event_fn fn, void *ctx,
			   uint64_t arg)
{
	struct pool_ev *p;
	if (unlikely(!k->free_list)) {
		struct pool_chunk *c = malloc(sizeof(*c));
		if (!c) {
			out_of_memory(k);
			return NULL;
		}
		c->next = k->chunks;
		k->chunks = c;
		for (int i = POOL_CHUNK - 1; i >= 0; i--) {
			p = &c->ev[i];
			p->ev = (struct sim_event){ .fn = pool_fire, .ctx = p, .pooled = 1 };
			p->k = k;
			pool_put(k, p);
		}
	}
	p = k->free_list;
	k->free_list = p->ctx;
	p->fn = fn;
	p->ctx = ctx;
	p->ev.when = after(k, delay);
	p->ev.arg = arg;
	push(k, &p->ev);
	return &p->ev;
}

/*
 * The livelock guard, before @ev fires at @when: count the events fired
 * without simulated time advancing; at the limit, stop the run without
 * firing @ev and remember it. Returns whether the run must stop.
 */
static inline bool stalled(struct sim_kernel *k, const struct sim_event *ev, sim_time when)
{
	if (when != k->clk.now) {
		k->same_time = 0;
		return false;
	}
	if (likely(++k->same_time < k->stall_limit))
		return false;
	/* a pool event names the model's callback, not pool_fire */
	const struct pool_ev *p = ev->pooled ? (const struct pool_ev *)(const void *)ev : NULL;
	k->livelock = (struct sim_livelock){ p ? p->fn : ev->fn, p ? p->ctx : ev->ctx, when, k->same_time };
	sim_stop(k);
	return true;
}

/* The earliest queued event, its time in @when; NULL when nothing is queued. Settles. */
static inline struct sim_event *peek(struct sim_kernel *k, sim_time *when)
{
	if (k->front) {
		*when = k->fkey.when;
		return k->front;
	}
	settle(k);
	*when = k->key[0].when;
	return k->n ? k->evs[0] : NULL;
}

/*
 * Take @ev, the earliest queued event (peek), out and fire it at @when.
 * The native loop (@lazy) leaves the heap's root vacant for the callback's
 * first schedule (the hole); a backend's pop fills it at once.
 */
static inline __attribute__((always_inline)) void fire_from(struct sim_kernel *k, struct sim_event *ev, sim_time when,
							       bool front, bool lazy)
{
	sim_event_fn fn = ev->fn;
	void *ctx = ev->ctx;
	uint64_t arg = ev->arg;

	k->clk.now = when;
	if (likely(front)) {
		k->front = NULL;
		k->lim = k->hlim;
		ev->slot = 0;
	} else if (lazy) {
		ev->slot = 0;
		k->hole = true;
		find_hole_min(k);
	} else {
		heap_remove(k, 0);
	}
	k->fired++; /* a pool event goes back to the pool in pool_fire */
	fn(ctx, arg);
}

/* fire_from, @ev at the front or not as it is now. */
static inline void fire(struct sim_kernel *k, struct sim_event *ev, sim_time when, bool lazy)
{
	fire_from(k, ev, when, ev == k->front, lazy);
}

void sim_kernel_fire_next(struct sim_kernel *k)
{
	sim_time when;
	struct sim_event *ev = peek(k, &when);

	if (ev && !stalled(k, ev, when))
		fire(k, ev, when, false);
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
	k->plain = !k->tie_order && !k->ops;
	refresh_lim(k);
}
void sim_kernel_set_now(struct sim_kernel *k, sim_time t)
{
	if (t != k->clk.now)
		k->same_time = 0;
	k->clk.now = t;
}
bool sim_kernel_stop_requested(struct sim_kernel *k) { return k->stop; }
void sim_kernel_clear_stop(struct sim_kernel *k) { k->stop = false; }

/*
 * The native loop: fire the earliest event until a limit, a stop, or @cond
 * says so. A hole may outlive a run; every other entry point settles it.
 * With @watch (sim_run_watch), @cond is asked only when *@watch changed
 * since its last answer or the time passed *@recheck; inline, so the
 * loops without one carry no test for it.
 */
static inline __attribute__((always_inline)) uint64_t run(struct sim_kernel *k, sim_time limit,
							   bool (*cond)(void *), void *cctx,
							   const uint64_t *watch, const sim_time *recheck)
{
	uint64_t fired = k->fired;
	uint64_t seen = watch ? ~*watch : 0; /* not *watch: the first event asks */
	if (unlikely(k->livelock.fn != NULL || k->error))
		return 0; /* the guard tripped, or an event was lost: nothing runs any more */
	k->stop = false;
	if (k->ops)
		return k->ops->run(k, limit, cond, cctx); /* asks before every event: the same answers */
	for (;;) {
		sim_time when;
		struct sim_event *ev = k->front;
		bool no_ask = false; /* @cond need not be asked for this event */

		if (likely(ev)) {
			/* the front (most events): peek and fire without asking which */
			when = k->fkey.when;
			if (when > limit || k->stop)
				break;
			if (!(cond && (!watch || ((unsigned)(*watch != seen) | (unsigned)(k->clk.now > *recheck))))) {
				if (unlikely(stalled(k, ev, when)))
					break;
				fire_from(k, ev, when, true, true);
				continue;
			}
		} else {
			ev = peek(k, &when);
			if (!ev || when > limit || k->stop)
				break;
			no_ask = !cond || (watch && !((unsigned)(*watch != seen) | (unsigned)(k->clk.now > *recheck)));
		}
		/*
		 * Ask @cond when it is set and, with @watch, *watch changed or the
		 * time passed *recheck (the front's case tested it above): both watch
		 * tests in one branch (no side effects; *recheck is set with watch)
		 */
		if (!no_ask && cond) {
			if (watch)
				seen = *watch;
			if (!cond(cctx))
				break;
		}
		if (unlikely(stalled(k, ev, when)))
			break;
		fire(k, ev, when, true);
	}
	return k->fired - fired;
}

void sim_kernel_set_stall_limit(struct sim_kernel *k, uint64_t n) { k->stall_limit = n ? n : 1; }

const struct sim_livelock *sim_kernel_livelock(const struct sim_kernel *k)
{
	return k->livelock.fn ? &k->livelock : NULL;
}

int sim_kernel_error(const struct sim_kernel *k) { return k->error; }

uint64_t sim_run_until(struct sim_kernel *k, sim_time t)
{
	uint64_t n = run(k, t, NULL, NULL, NULL, NULL);
	if (!k->stop && !k->livelock.fn && k->clk.now < t) {
		k->clk.now = t;
		k->same_time = 0;
	}
	return n;
}

uint64_t sim_run_idle(struct sim_kernel *k) { return run(k, SIM_TIME_MAX, NULL, NULL, NULL, NULL); }

uint64_t sim_run_while(struct sim_kernel *k, bool (*cond)(void *ctx), void *ctx)
{
	return run(k, SIM_TIME_MAX, cond, ctx, NULL, NULL);
}

uint64_t sim_run_watch(struct sim_kernel *k, bool (*cond)(void *ctx), void *ctx, const uint64_t *watch,
		       const sim_time *recheck)
{
	if (!cond || !watch || !recheck)
		return run(k, SIM_TIME_MAX, cond, ctx, NULL, NULL);
	return run(k, SIM_TIME_MAX, cond, ctx, watch, recheck); /* inlined knowing all three are set */
}
