// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/kernel/systemc.cc: the SystemC 2.3 backend of the event kernel.
 *
 * The order of events stays in kernel.c (its heap on (time, seq)); SystemC's
 * scheduler owns time. One sc_event `wake` is notified for the time of the
 * kernel's earliest event, and one spawned SC_METHOD, sensitive to `wake`,
 * fires every kernel event due at the current sc_time, in order, with
 * sim_kernel_fire_next(), then re-notifies `wake` for the next head. So a
 * program runs in the same order on both backends, and sim_now() equals
 * sc_time_stamp() after every event.
 *
 * SystemC allows one elaboration per process: the first kernel that attaches
 * owns SystemC for the life of the process and a second attach is refused,
 * even after the first kernel is freed. Every SystemC call is wrapped so no
 * C++ exception crosses the extern "C" boundary.
 *
 * SystemC facts this relies on (2.3.4, checked in tests/sc_kernel_test.cc):
 *  - sc_start(d) triggers the timed notifications at exactly now + d but
 *    holds their delta cycle back to the next sc_start, so run(limit) ends
 *    with sc_start(SC_ZERO_TIME) to fire the events at exactly @limit;
 *  - sc_start(SC_ZERO_TIME) runs one delta cycle: a delta notification made
 *    between sc_start calls needs two;
 *  - a second notify() keeps only the earlier notification, so moving the
 *    wake-up later needs cancel() first;
 *  - sc_pause() from inside a process ends sc_start after the current delta.
 *
 * Free running (sim/kernel/systemc.h): outside any sim_run_*, a SystemC
 * platform's own sc_start() drives the same method; its gate stands in for
 * a run's condition, and a false gate or a sim_stop() holds the kernel
 * instead of pausing SystemC. sim_systemc_sync() fires what is due from the
 * platform's processes with the same loop.
 */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <cstdlib>
#include <new>

#include "sim/kernel/kernel_internal.h"
#include "sim/kernel/systemc.h"

using namespace sc_core;

/*
 * libsystemc references sc_main; tzsim keeps its own main() and never calls
 * sc_elab_and_sim. Weak, so a SystemC platform linking libtzsim keeps its own.
 */
__attribute__((weak)) int sc_main(int, char **) { return 0; }

namespace {

struct sc_backend {
	struct sim_kernel *k; /* NULL once the kernel is freed */
	sc_event *wake;
	bool armed;           /* wake is notified (or the method is runnable) ... */
	sim_time armed_at;    /* ... for this time */
	bool firing;          /* inside fire_due: it re-arms when done */
	bool paused;          /* fire_due called sc_pause() in this run */
	bool in_run;          /* inside op_run (else free running) */
	sim_time limit;       /* of the current run; SIM_TIME_MAX when free running */
	bool (*cond)(void *);
	void *cctx;
	bool cond_checked;    /* cond (or gate) already returned true for the next event */
	bool (*gate)(void *); /* free running: asked before each event */
	void *gctx;
	bool held;            /* free running: the gate said no, or sim_stop() */
};

/* The one SystemC attachment of this process (kept reachable: never freed). */
sc_backend *g_sc;
bool g_sc_used;

inline sim_time sc_now() { return sc_time_stamp().value(); }

/* Notify wake for the kernel's earliest event (cancel first: see above). */
void rearm(sc_backend *b)
{
	struct sim_kernel *k = b->k;
	if (!k || sim_pending(k) == 0 || (b->held && !b->in_run)) {
		if (b->armed)
			b->wake->cancel();
		b->armed = false;
		return;
	}
	sim_time head = sim_next_time(k), now = sc_now();
	if (head < now)
		head = now;
	if (b->armed && b->armed_at == head)
		return;
	b->wake->cancel();
	if (head == now)
		b->wake->notify(SC_ZERO_TIME);
	else
		b->wake->notify(sc_time::from_value(head - now));
	b->armed = true;
	b->armed_at = head;
}

void pause_run(sc_backend *b)
{
	b->paused = true;
	sc_pause();
}

/* A run's condition or a stop ends the run; free running, they hold the kernel. */
void end_firing(sc_backend *b)
{
	if (b->in_run) {
		pause_run(b);
		return;
	}
	b->held = true;
	sim_kernel_clear_stop(b->k);
}

/*
 * Fire every event due now. The cond and stop checks follow the native loop
 * exactly (kernel.c run()): cond is called once per event that is due
 * within the limit, and a false cond or a stop ends the run at the time of
 * the last event fired, before SystemC advances time. Free running, the
 * gate is the cond.
 */
void fire_due(sc_backend *b)
{
	struct sim_kernel *k = b->k;
	if (!k || (b->held && !b->in_run))
		return;
	bool (*cond)(void *) = b->in_run ? b->cond : b->gate;
	void *cctx = b->in_run ? b->cctx : b->gctx;
	sim_time now = sc_now();
	/* Keep sim_now() == sc_time_stamp() even if something else woke us late. */
	if (b->in_run && sim_now(k) < now)
		sim_kernel_set_now(k, now);
	b->firing = true;
	while (sim_pending(k) && sim_next_time(k) <= now && sim_next_time(k) <= b->limit) {
		if (sim_kernel_stop_requested(k)) {
			end_firing(b);
			break;
		}
		if (cond && !b->cond_checked && !cond(cctx)) {
			end_firing(b);
			break;
		}
		b->cond_checked = false;
		sim_kernel_fire_next(k);
		if (sim_kernel_stop_requested(k)) {
			end_firing(b);
			break;
		}
		if (cond && sim_pending(k) && sim_next_time(k) <= b->limit) {
			if (!cond(cctx)) {
				end_firing(b);
				break;
			}
			b->cond_checked = true;
		} else if (cond && !b->in_run && !sim_pending(k) && !cond(cctx)) {
			/* free running: the gate hears that the queue ran dry */
			end_firing(b);
			break;
		}
	}
	b->firing = false;
	/* Free running, events a sync or a resumed gate finds overdue fire at
	 * their own times, in order; then the kernel catches up with SystemC. */
	if (!b->in_run && !b->held && sim_now(k) < now)
		sim_kernel_set_now(k, now);
}

/* The method. */
void on_wake(sc_backend *b)
{
	b->armed = false;
	fire_due(b);
	rearm(b);
}

sc_backend *ctx(struct sim_kernel *k) { return static_cast<sc_backend *>(sim_kernel_backend_ctx(k)); }

/* Outside SystemC (between runs) or from an event: both fine for notify(). */
void op_head_changed(struct sim_kernel *k)
{
	sc_backend *b = ctx(k);
	if (b->firing)
		return;
	/* Free running, a new earliest event has not been past the gate. */
	if (!b->in_run)
		b->cond_checked = false;
	try {
		rearm(b);
	} catch (...) {
		/* notify() only throws on a broken simcontext; the next run re-arms */
		b->armed = false;
	}
}

void op_stop(struct sim_kernel *k)
{
	sc_backend *b = ctx(k);
	/* fire_due checks the flag after each event; a stop from another
	 * SystemC process during a run must pause the run itself. */
	if (b->firing)
		return;
	if (!b->in_run) {
		b->held = true;
		sim_kernel_clear_stop(k);
		return;
	}
	if (sc_get_status() != SC_RUNNING)
		return;
	try {
		pause_run(b);
	} catch (...) {
	}
}

uint64_t op_run(struct sim_kernel *k, sim_time limit, bool (*cond)(void *), void *cctx)
{
	sc_backend *b = ctx(k);
	uint64_t before = sim_fired(k);
	try {
		sim_time now = sc_now();
		b->paused = false;
		b->limit = limit;
		b->cond = cond;
		b->cctx = cctx;
		b->cond_checked = false;
		b->in_run = true;
		if (limit < now)
			goto out;
		/* The native loop's first cond check, before time moves. */
		if (cond && sim_pending(k) && sim_next_time(k) <= limit) {
			if (!cond(cctx))
				goto out;
			b->cond_checked = true;
		}
		rearm(b);
		if (limit == SIM_TIME_MAX) {
			/* To starvation: time stays at the last event, as native. */
			if (sim_pending(k))
				sc_start();
		} else if (limit > now) {
			/* Time ends at @limit even when the queue runs dry, as run_until. */
			sc_start(sc_time::from_value(limit - now), SC_RUN_TO_TIME);
		}
		/* Events at exactly the end time: their delta cycle was held back.
		 * Bounded: each round either runs on_wake or turns a delta
		 * notification into a runnable method. */
		for (int i = 0; i < 4 && !b->paused && b->armed && b->armed_at <= sc_now(); i++)
			sc_start(SC_ZERO_TIME);
	} catch (...) {
		/* A SystemC error ends the run; what fired so far is reported. */
	}
out:
	b->cond = NULL;
	b->cctx = NULL;
	b->cond_checked = false;
	b->in_run = false;
	b->limit = SIM_TIME_MAX; /* free running again */
	return sim_fired(k) - before;
}

void op_destroy(struct sim_kernel *k)
{
	sc_backend *b = ctx(k);
	/* SystemC objects cannot be deleted once elaborated: detach instead. */
	try {
		b->wake->cancel();
	} catch (...) {
	}
	b->armed = false;
	b->k = NULL;
}

const struct sim_backend_ops sc_ops = {
	op_run,
	op_head_changed,
	op_stop,
	op_destroy,
};

} // namespace

extern "C" int sim_systemc_attach(struct sim_kernel *k)
{
	if (g_sc_used)
		return -1;
	g_sc_used = true;
	/* Before the first SystemC call: the simcontext prints the banner. */
	setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
	try {
		try {
			/* Before any sc_time is made: sim_time counts picoseconds. */
			sc_set_time_resolution(1, SC_PS);
		} catch (...) {
			/* Someone fixed the resolution already: fine if it is 1 ps. */
			if (sc_get_time_resolution() != sc_time(1, SC_PS))
				return -1;
		}
		/* run() calls sc_start() with nothing left to do at starvation. */
		sc_report_handler::set_actions(SC_ID_NO_SC_START_ACTIVITY_, SC_DO_NOTHING);

		sc_backend *b = new sc_backend();
		b->k = k;
		b->limit = SIM_TIME_MAX;
		b->wake = new sc_event("tzsim_kernel_wake");
		sc_spawn_options opts;
		opts.spawn_method();
		opts.dont_initialize();
		opts.set_sensitivity(b->wake);
		sc_spawn([b] { on_wake(b); }, "tzsim_kernel", &opts);
		g_sc = b;
		sim_kernel_set_backend(k, &sc_ops, b);
	} catch (...) {
		return -1;
	}
	return 0;
}

/* @k's attachment, or NULL when @k is not this process's SystemC kernel. */
static sc_backend *attached(struct sim_kernel *k)
{
	if (!k || sim_kernel_backend(k) != SIM_BACKEND_SYSTEMC || !g_sc || g_sc->k != k)
		return NULL;
	return ctx(k);
}

extern "C" int sim_systemc_sync(struct sim_kernel *k)
{
	sc_backend *b = attached(k);
	if (!b)
		return -1;
	if (b->firing || (b->held && !b->in_run))
		return 0;
	try {
		fire_due(b);
		rearm(b);
	} catch (...) {
		b->firing = false;
	}
	return 0;
}

extern "C" int sim_systemc_set_gate(struct sim_kernel *k, bool (*gate)(void *), void *gctx)
{
	sc_backend *b = attached(k);
	if (!b)
		return -1;
	b->gate = gate;
	b->gctx = gctx;
	b->held = false;
	if (!b->in_run)
		b->cond_checked = false;
	try {
		rearm(b);
	} catch (...) {
		b->armed = false;
	}
	return 0;
}

extern "C" bool sim_systemc_held(const struct sim_kernel *k)
{
	const sc_backend *b = g_sc;
	return k && b && b->k == k && b->held;
}
