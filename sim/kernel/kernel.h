/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/kernel.h: the discrete-event kernel.
 *
 * One queue of events ordered by (time, insertion sequence). An event is a
 * callback with a context pointer and a 64-bit argument. Models either embed
 * a struct sim_event in their own state (re-armed many times, never
 * allocated) or post one-shot events from the kernel's pool (a free list
 * refilled in chunks: no malloc per event once warm).
 *
 * Two backends decide how time advances:
 *  - native (default): the kernel pops events itself;
 *  - systemc: SystemC 2.3's scheduler advances sc_time; one SC_METHOD wakes
 *    at each distinct event time and fires the due events in (time, seq)
 *    order, so both backends run the same program in the same order, and a
 *    SystemC/TLM platform can share the kernel with tzsim's models.
 * The ordering lives here, once; a backend never reorders.
 *
 * The kernel owns no model state and never prints; it cannot fail once
 * built (running out of memory while growing the queue aborts: an event
 * must never be lost).
 */
#ifndef SIM_KERNEL_H
#define SIM_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/kernel/time.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*sim_event_fn)(void *ctx, uint64_t arg);

struct sim_event {
	sim_time when;
	sim_event_fn fn;
	void *ctx;
	uint64_t arg;
	uint32_t slot;   /* heap index + 1, UINT32_MAX at the front (kernel.c); 0 when not queued */
	uint8_t pooled;  /* from the kernel pool: returned as it fires */
};

enum sim_backend {
	SIM_BACKEND_NATIVE = 0,
	SIM_BACKEND_SYSTEMC = 1,
};

struct sim_kernel;

/*
 * sim_kernel_new - a kernel with an empty queue at time 0.
 * Returns NULL when out of memory, or when @backend is SIM_BACKEND_SYSTEMC
 * and either SystemC was not built in or a SystemC kernel was already made
 * in this process (SystemC allows one elaboration per process).
 */
struct sim_kernel *sim_kernel_new(enum sim_backend backend);
void sim_kernel_free(struct sim_kernel *k);
enum sim_backend sim_kernel_backend(const struct sim_kernel *k);

/*
 * The part of struct sim_kernel that sim_now() reads inline (it is the
 * kernel's first member; models read the time on every record). Nothing
 * outside kernel.c writes it.
 */
struct sim_kernel_clock {
	sim_time now;
};

/* Current simulated time. */
static inline sim_time sim_now(const struct sim_kernel *k)
{
#ifdef __cplusplus
	return static_cast<const sim_kernel_clock *>(static_cast<const void *>(k))->now;
#else
	return ((const struct sim_kernel_clock *)(const void *)k)->now;
#endif
}

/* Initialise an embedded event (not queued). */
void sim_event_init(struct sim_event *ev, sim_event_fn fn, void *ctx);

/*
 * sim_schedule - queue @ev to fire at now + @delay with @arg.
 * An event already queued is first removed (re-arming keeps one instance).
 * When the queue cannot grow, @ev stays unqueued, the run stops and
 * sim_kernel_error says -ENOMEM.
 */
void sim_schedule(struct sim_kernel *k, struct sim_event *ev, sim_time delay, uint64_t arg);
void sim_schedule_at(struct sim_kernel *k, struct sim_event *ev, sim_time when, uint64_t arg);

/* sim_cancel - remove @ev if queued. Returns true if it was queued. */
bool sim_cancel(struct sim_kernel *k, struct sim_event *ev);
static inline bool sim_event_queued(const struct sim_event *ev) { return ev->slot != 0; }

/*
 * sim_post - a one-shot event from the pool. The returned pointer is valid
 * until the event fires or is cancelled with sim_cancel(); after that it is
 * recycled. Returns NULL only when out of memory (then sim_kernel_error
 * says so and the run stops).
 */
struct sim_event *sim_post(struct sim_kernel *k, sim_time delay, sim_event_fn fn, void *ctx,
			   uint64_t arg);

/* Number of queued events. */
size_t sim_pending(const struct sim_kernel *k);
/* Time of the earliest queued event, or SIM_TIME_MAX when idle. */
sim_time sim_next_time(const struct sim_kernel *k);
/* Events fired so far. */
uint64_t sim_fired(const struct sim_kernel *k);

/*
 * Running. Each returns the number of events fired.
 *  sim_run_until: fire every event with when <= @t, then set now = @t
 *                 (unless stopped early by sim_stop).
 *  sim_run_idle:  fire events until the queue is empty.
 *  sim_run_while: fire events while @cond(ctx) holds (checked before each
 *                 event) and the queue is not empty.
 * sim_stop() from inside an event ends the current run after that event.
 */
uint64_t sim_run_until(struct sim_kernel *k, sim_time t);
uint64_t sim_run_idle(struct sim_kernel *k);
uint64_t sim_run_while(struct sim_kernel *k, bool (*cond)(void *ctx), void *ctx);
/*
 * sim_run_watch: sim_run_while for a @cond whose answer depends only on
 * *@watch and the time (sim_now), and stays the same while *@watch does
 * not change and the time has not passed *@recheck (which @cond may move
 * each time it is asked). @cond is asked before the first event, then
 * only when one of those changed: the same events fire as with
 * sim_run_while, without a call per event. A backend asks every time.
 */
uint64_t sim_run_watch(struct sim_kernel *k, bool (*cond)(void *ctx), void *ctx, const uint64_t *watch,
		       const sim_time *recheck);
void sim_stop(struct sim_kernel *k);

/*
 * The livelock guard. A model that reschedules itself with no delay (a
 * zero-length step, a zero period) would fire events forever without
 * simulated time advancing. When more than the stall limit of events fire
 * at one simulated time, the kernel stops the run before the next one
 * fires and keeps it in sim_kernel_livelock(); every later sim_run_* then
 * returns at once (the simulation cannot go on). The default limit is far
 * above what any valid scenario fires at one instant (sim/scenario
 * bounds bursts and replayed arrivals so that stays true).
 */
#define SIM_STALL_EVENTS_DEFAULT 100000000ull
struct sim_livelock {
	sim_event_fn fn;  /* the event that would have fired next */
	void *ctx;
	sim_time when;    /* the time that did not advance */
	uint64_t events;  /* events fired at that time */
};
/* Set the stall limit (0 is taken as 1). */
void sim_kernel_set_stall_limit(struct sim_kernel *k, uint64_t n);
/* The livelock the guard stopped, or NULL. */
const struct sim_livelock *sim_kernel_livelock(const struct sim_kernel *k);
/*
 * 0, or -ENOMEM once the queue could not grow (sim_schedule, sim_post): the
 * event was not queued, the kernel stopped the run and runs nothing more.
 * Sticky, as sim/kernel/err.h describes; name it with sim_strerror.
 */
int sim_kernel_error(const struct sim_kernel *k);
/*
 * sim_kernel_fail - a model ran out of what it needs mid-run (@err: a
 * negative errno, e.g. -ENOMEM): keep the first such error for
 * sim_kernel_error and stop the run, as the queue does when it cannot grow.
 */
void sim_kernel_fail(struct sim_kernel *k, int err);

/*
 * sim_kernel_set_ties - the order of events that fire at the same time.
 * Hardware gives simultaneous events no order; by default the kernel fires
 * them in insertion order (SIM_TIES_FIFO). SIM_TIES_LIFO reverses the
 * insertion order, SIM_TIES_RANDOM fires them in a permutation drawn from
 * @seed, for events that fire inside [@from, @to) and are queued from now
 * on. Both backends follow it (the order lives here). `tzsim explore`
 * permutes ties with it; the scenario key `ties` pins a permutation.
 */
enum { SIM_TIES_FIFO = 0, SIM_TIES_LIFO = 1, SIM_TIES_RANDOM = 2 };
void sim_kernel_set_ties(struct sim_kernel *k, int order, uint64_t seed, sim_time from, sim_time to);

#ifdef __cplusplus
}
#endif
#endif
