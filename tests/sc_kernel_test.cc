// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/sc_kernel_test.cc: the SystemC backend (sim/kernel/systemc.cc).
 *
 * SystemC allows one elaboration per process, so every TEST here must run in
 * a process of its own: tests/sc_run.sh lists them and runs each with
 * --gtest_filter. (Run the binary whole and all but the first test that
 * makes a SystemC kernel fail, by design.)
 */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/kernel/kernel.h"
#include "sim/kernel/rng.h"
#include "testutil.h"

namespace {

sim_time sc_now_ps() { return sc_core::sc_time_stamp().value(); }

/* The shared event log (tests/testutil.h) on a SystemC kernel; each firing checks sim_now == sc_time. */
struct ScLog : EventLog {
	int time_mismatches = 0;
	ScLog() : EventLog(SIM_BACKEND_SYSTEMC) {}
	static void record(void *ctx, uint64_t arg)
	{
		ScLog *l = static_cast<ScLog *>(ctx);
		l->time_mismatches += sim_now(l->k) != sc_now_ps();
		l->note(arg);
	}
};

} // namespace

/* kernel.h sim_kernel_new: SystemC allows one elaboration per process. */
TEST(ScKernel, AttachSucceedsOnceThenRefuses)
{
	sim_kernel *a = sim_kernel_new(SIM_BACKEND_SYSTEMC);
	ASSERT_NE(a, nullptr);
	EXPECT_EQ(sim_kernel_backend(a), SIM_BACKEND_SYSTEMC);
	EXPECT_EQ(sim_kernel_new(SIM_BACKEND_SYSTEMC), nullptr);
	sim_kernel_free(a);
	EXPECT_EQ(sim_kernel_new(SIM_BACKEND_SYSTEMC), nullptr); /* even after free */
	sim_kernel *n = sim_kernel_new(SIM_BACKEND_NATIVE);      /* native is unaffected */
	EXPECT_NE(n, nullptr);
	sim_kernel_free(n);
}

/* backend.cc: SYSTEMC_DISABLE_COPYRIGHT_MESSAGE is set; the kernel never prints. */
TEST(ScKernel, AttachAndRunPrintNothing)
{
	testing::internal::CaptureStdout();
	testing::internal::CaptureStderr();
	{
		ScLog l;
		ASSERT_NE(l.k, nullptr);
		sim_run_idle(l.k); /* empty queue */
		sim_post(l.k, 10, ScLog::record, &l, 0);
		sim_run_idle(l.k);
		sim_run_until(l.k, 1000);
		sim_run_until(l.k, 1000); /* zero-length run */
	}
	EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
	EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

/* The design: SystemC owns time; each event fires at its sc_time_stamp(). */
TEST(ScKernel, EventsFireAtTheirSystemcTime)
{
	ScLog l;
	const sim_time when[5] = {300, 100, 400, 200, 1000000};
	for (int i = 0; i < 5; i++)
		sim_post(l.k, when[i], ScLog::record, &l, i);
	EXPECT_EQ(sim_run_idle(l.k), 5u);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{100, 1}, {200, 3}, {300, 0}, {400, 2}, {1000000, 4}}));
	EXPECT_EQ(l.time_mismatches, 0);
	EXPECT_EQ(sc_now_ps(), 1000000u); /* starvation: time stays at the last event */
}

/* kernel.h: ties fire in insertion order on SystemC too (the heap orders, not SystemC). */
TEST(ScKernel, TiesFireInInsertionOrder)
{
	ScLog l;
	for (uint64_t i = 0; i < 50; i++)
		sim_post(l.k, i % 2 ? 500 : 1000, ScLog::record, &l, i);
	sim_run_idle(l.k);
	ASSERT_EQ(l.fired.size(), 50u);
	for (uint64_t i = 0; i < 25; i++) {
		EXPECT_EQ(l.fired[i].id, 2 * i + 1);
		EXPECT_EQ(l.fired[25 + i].id, 2 * i);
	}
}

/* kernel.h sim_cancel: cancelled events (queued, head) never fire. */
TEST(ScKernel, CancelledEventsNeverFire)
{
	ScLog l;
	sim_event a, b, c;
	for (sim_event *e : {&a, &b, &c})
		sim_event_init(e, ScLog::record, &l);
	sim_schedule(l.k, &a, 100, 0);
	sim_schedule(l.k, &b, 200, 1);
	sim_schedule(l.k, &c, 300, 2);
	EXPECT_TRUE(sim_cancel(l.k, &a)); /* the head */
	EXPECT_TRUE(sim_cancel(l.k, &b));
	sim_event *p = sim_post(l.k, 50, ScLog::record, &l, 3);
	EXPECT_TRUE(sim_cancel(l.k, p)); /* a pooled head */
	EXPECT_EQ(sim_run_idle(l.k), 1u);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{300, 2}}));
	EXPECT_EQ(sc_now_ps(), 300u);
}

/* kernel.c head_changed: cancelling or re-arming the head later moves SystemC's wake-up. */
TEST(ScKernel, HeadMovedLaterMovesTheWakeUp)
{
	ScLog l;
	sim_event a, b;
	sim_event_init(&a, ScLog::record, &l);
	sim_event_init(&b, ScLog::record, &l);
	sim_schedule(l.k, &a, 100, 0);
	sim_schedule(l.k, &b, 700, 1);
	EXPECT_EQ(sc_core::sc_time_to_pending_activity().value(), 100u);
	sim_schedule(l.k, &a, 400, 0); /* re-arm the head later: still the head */
	EXPECT_EQ(sc_core::sc_time_to_pending_activity().value(), 400u);
	sim_schedule(l.k, &a, 900, 0); /* re-arm the head past b: b is the head */
	EXPECT_EQ(sc_core::sc_time_to_pending_activity().value(), 700u);
	sim_cancel(l.k, &b); /* cancel the head */
	EXPECT_EQ(sc_core::sc_time_to_pending_activity().value(), 900u);
	sim_run_idle(l.k);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{900, 0}}));
}

/* kernel.h sim_run_until: events at exactly t fire (SystemC holds them back: see backend.cc). */
TEST(ScKernel, RunUntilFiresEventsAtExactlyT)
{
	ScLog l;
	sim_post(l.k, 99, ScLog::record, &l, 0);
	sim_post(l.k, 100, ScLog::record, &l, 1);
	sim_post(l.k, 100, ScLog::record, &l, 2);
	sim_post(l.k, 101, ScLog::record, &l, 3);
	EXPECT_EQ(sim_run_until(l.k, 100), 3u);
	EXPECT_EQ(l.ids(), (Ids{0, 1, 2}));
	EXPECT_EQ(sim_now(l.k), 100u);
	EXPECT_EQ(sc_now_ps(), 100u);
	EXPECT_EQ(sim_pending(l.k), 1u);
	EXPECT_EQ(sim_run_until(l.k, 100), 0u); /* nothing more at 100 */
	EXPECT_EQ(sim_run_until(l.k, 101), 1u);
	EXPECT_EQ(l.time_mismatches, 0);
}

/* kernel.h sim_run_until: time reaches t with no event, and sc_time follows. */
TEST(ScKernel, RunUntilAdvancesTimeWithoutEvents)
{
	ScLog l;
	EXPECT_EQ(sim_run_until(l.k, 5000), 0u);
	EXPECT_EQ(sim_now(l.k), 5000u);
	EXPECT_EQ(sc_now_ps(), 5000u);
	sim_post(l.k, 10, ScLog::record, &l, 0);
	EXPECT_EQ(sim_run_until(l.k, 5005), 0u);
	EXPECT_EQ(sc_now_ps(), 5005u);
	EXPECT_EQ(sim_run_until(l.k, 5010), 1u);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{5010, 0}}));
	EXPECT_EQ(sim_run_until(l.k, 3000), 0u); /* a past limit changes nothing */
	EXPECT_EQ(sc_now_ps(), 5010u);
}

/* backend.cc: an event made due now between runs needs two delta cycles; run_until(now) fires it. */
TEST(ScKernel, RunUntilNowFiresEventsPostedAtNow)
{
	ScLog l;
	sim_run_until(l.k, 100);
	sim_post(l.k, 0, ScLog::record, &l, 0);
	sim_post(l.k, 0, ScLog::record, &l, 1);
	EXPECT_EQ(sim_run_until(l.k, 100), 2u);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{100, 0}, {100, 1}}));
	EXPECT_EQ(sc_now_ps(), 100u);
}

/* kernel.h: a zero delay from inside an event fires at the same time, after the ties queued before it. */
TEST(ScKernel, ZeroDelayFromEventFiresAtSameTime)
{
	ScLog l;
	auto chain = [](void *ctx, uint64_t arg) {
		ScLog::record(ctx, arg);
		sim_post(static_cast<ScLog *>(ctx)->k, 0, ScLog::record, ctx, 9);
	};
	sim_post(l.k, 100, chain, &l, 0);
	sim_post(l.k, 100, ScLog::record, &l, 1);
	sim_post(l.k, 200, ScLog::record, &l, 2);
	sim_run_idle(l.k);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{100, 0}, {100, 1}, {100, 9}, {200, 2}}));
}

/* kernel.h sim_run_while: cond before each event; time stops at the last event fired. */
TEST(ScKernel, RunWhileStopsWhenCondFalse)
{
	ScLog l;
	for (int i = 0; i < 10; i++)
		sim_post(l.k, 100 * (i + 1), ScLog::record, &l, i);
	struct Cond {
		ScLog *l;
		int calls;
	} c = {&l, 0};
	auto cond = [](void *ctx) {
		Cond *cc = static_cast<Cond *>(ctx);
		cc->calls++;
		return cc->l->fired.size() < 4;
	};
	EXPECT_EQ(sim_run_while(l.k, cond, &c), 4u);
	EXPECT_EQ(c.calls, 5); /* as native: 4 true, then the false one */
	EXPECT_EQ(sim_now(l.k), 400u);
	EXPECT_EQ(sc_now_ps(), 400u); /* not 500: SystemC did not move on */
	EXPECT_EQ(sim_run_while(l.k, cond, &c), 0u);
	EXPECT_EQ(sc_now_ps(), 400u);
	EXPECT_EQ(sim_run_idle(l.k), 6u);
}

/* kernel.h sim_stop: ends the run after that event, even with ties left at that time. */
TEST(ScKernel, StopInsideEventEndsRunAfterIt)
{
	ScLog l;
	auto stopper = [](void *ctx, uint64_t arg) {
		ScLog::record(ctx, arg);
		sim_stop(static_cast<ScLog *>(ctx)->k);
	};
	sim_post(l.k, 100, ScLog::record, &l, 0);
	sim_post(l.k, 200, stopper, &l, 1);
	sim_post(l.k, 200, ScLog::record, &l, 2);
	sim_post(l.k, 300, ScLog::record, &l, 3);
	EXPECT_EQ(sim_run_until(l.k, 1000), 2u);
	EXPECT_EQ(sim_now(l.k), 200u);
	EXPECT_EQ(sc_now_ps(), 200u);
	EXPECT_EQ(sim_run_until(l.k, 200), 1u); /* the tie left at 200 */
	EXPECT_EQ(sim_run_idle(l.k), 1u);
	EXPECT_EQ(l.ids(), (Ids{0, 1, 2, 3}));
	EXPECT_EQ(l.time_mismatches, 0);
}

/* The design: sim_now() equals sc_time_stamp() after every event, over a long random chain. */
TEST(ScKernel, NowEqualsScTimeStampAfterEveryEvent)
{
	struct Chain {
		ScLog l;
		sim_rng r;
		int left = 20000;
	} c;
	sim_rng_init(&c.r, 3, "chain");
	/* each step re-posts the next with a random delay (0 included) */
	struct Step {
		static void fn(void *ctx, uint64_t arg)
		{
			Chain *ch = static_cast<Chain *>(ctx);
			ScLog::record(&ch->l, arg);
			if (--ch->left > 0)
				sim_post(ch->l.k, sim_rng_below(&ch->r, 3000), fn, ctx, arg + 1);
		}
	};
	sim_post(c.l.k, 1, Step::fn, &c, 0);
	EXPECT_EQ(sim_run_idle(c.l.k), 20000u);
	EXPECT_EQ(c.l.time_mismatches, 0);
	EXPECT_EQ(sim_now(c.l.k), sc_now_ps());
}

/* kernel.h sim_kernel_free: SystemC outlives the kernel; a later sc_start must not touch it. */
TEST(ScKernel, FreeDetachesFromSystemC)
{
	ScLog *l = new ScLog;
	sim_post(l->k, 100, ScLog::record, l, 0);
	sim_run_until(l->k, 50);
	delete l; /* sim_kernel_free with an event still queued */
	sc_core::sc_start(sc_core::sc_time::from_value(1000));
	EXPECT_EQ(sc_now_ps(), 1050u);
}

namespace {

/*
 * A seeded random program, run on either backend: 16 actors with embedded
 * events re-arm themselves and re-arm or cancel each other, post and cancel
 * one-shots and sometimes call sim_stop; the driver alternates run_until,
 * run_while and run_idle and schedules from outside between runs. Delays
 * sit on a coarse grid so ties are common. The trace holds every firing as
 * (time, id), then each run's (kind, result, now) and the cond call count.
 */
struct Program {
	sim_kernel *k;
	bool systemc;
	sim_rng rng, drv;
	sim_event actor[16];
	sim_event *posted[32] = {};
	std::vector<Fired> trace;
	uint64_t budget, cond_calls = 0, cond_target = 0;
	int time_mismatches = 0;
	/* coverage of the program's features, to show the comparison means something */
	uint64_t n_rearm = 0, n_cancel = 0, n_post = 0, n_post_cancel = 0, n_stop = 0, n_runs[3] = {};

	Program(sim_backend b, uint64_t seed, uint64_t n)
	    : k(sim_kernel_new(b)), systemc(b == SIM_BACKEND_SYSTEMC), budget(n)
	{
		sim_rng_init(&rng, seed, "actors");
		sim_rng_init(&drv, seed, "driver");
		for (uint64_t i = 0; i < 16; i++)
			sim_event_init(&actor[i], on_actor, this);
	}
	~Program() { sim_kernel_free(k); }

	void note(uint64_t id)
	{
		trace.push_back({sim_now(k), id});
		if (systemc)
			time_mismatches += sim_now(k) != sc_now_ps();
	}
	sim_time delay() { return 100 * sim_rng_below(&rng, 8) + (sim_rng_below(&rng, 4) == 0); }
	static void on_post(void *ctx, uint64_t arg)
	{
		Program *p = static_cast<Program *>(ctx);
		p->posted[arg] = nullptr;
		p->note(1000 + arg);
	}
	static void on_actor(void *ctx, uint64_t self)
	{
		Program *p = static_cast<Program *>(ctx);
		p->note(self);
		uint64_t other = sim_rng_below(&p->rng, 16), slot = sim_rng_below(&p->rng, 32);
		switch (sim_rng_below(&p->rng, 6)) {
		case 0:
			p->n_rearm += sim_event_queued(&p->actor[other]);
			sim_schedule(p->k, &p->actor[other], p->delay(), other);
			break;
		case 1:
			p->n_cancel += sim_cancel(p->k, &p->actor[other]);
			break;
		case 2:
			if (!p->posted[slot]) {
				p->posted[slot] = sim_post(p->k, p->delay(), on_post, p, slot);
				p->n_post++;
			}
			break;
		case 3:
			if (p->posted[slot] && sim_cancel(p->k, p->posted[slot])) {
				p->posted[slot] = nullptr;
				p->n_post_cancel++;
			}
			break;
		case 4:
			if (sim_rng_below(&p->rng, 20) == 0) {
				sim_stop(p->k);
				p->n_stop++;
			}
			break;
		default:
			break;
		}
		if (sim_fired(p->k) < p->budget)
			sim_schedule(p->k, &p->actor[self], p->delay(), self);
	}
	static bool cond(void *ctx)
	{
		Program *p = static_cast<Program *>(ctx);
		p->cond_calls++;
		return sim_fired(p->k) < p->cond_target;
	}
	void run()
	{
		for (uint64_t i = 0; i < 16; i++)
			sim_schedule(k, &actor[i], delay(), i);
		while (sim_pending(k)) {
			uint64_t kind = sim_rng_below(&drv, 4), n = 0;
			switch (kind) {
			case 0:
				n = sim_run_until(k, sim_now(k) + 100 * sim_rng_below(&drv, 30));
				break;
			case 1:
				cond_target = sim_fired(k) + sim_rng_below(&drv, 300);
				n = sim_run_while(k, cond, this);
				break;
			case 2:
				if (sim_rng_below(&drv, 8) == 0 || sim_fired(k) >= budget)
					n = sim_run_idle(k);
				break;
			default: /* from outside, between runs: re-arm or cancel an actor */
				{
					uint64_t a = sim_rng_below(&drv, 16);
					if (sim_rng_below(&drv, 2))
						sim_schedule(k, &actor[a], 100 * sim_rng_below(&drv, 4), a);
					else
						sim_cancel(k, &actor[a]);
				}
				break;
			}
			if (kind < 3)
				n_runs[kind]++;
			trace.push_back({sim_now(k), 1000000 + 1000 * kind + n});
			if (systemc)
				time_mismatches += sim_now(k) != sc_now_ps();
		}
		trace.push_back({cond_calls, 2000000});
	}
};

} // namespace

/* The bar: the same seeded program gives the identical trace on both backends. */
TEST(ScKernel, RandomProgramTraceMatchesNative)
{
	Program native(SIM_BACKEND_NATIVE, 2024, 30000);
	native.run();
	Program sc(SIM_BACKEND_SYSTEMC, 2024, 30000);
	ASSERT_NE(sc.k, nullptr);
	sc.run();
	EXPECT_GE(native.trace.size(), 30000u);
	/* the program did exercise what it claims to */
	EXPECT_GT(native.n_rearm, 100u);
	EXPECT_GT(native.n_cancel, 100u);
	EXPECT_GT(native.n_post, 100u);
	EXPECT_GT(native.n_post_cancel, 100u);
	EXPECT_GT(native.n_stop, 10u);
	EXPECT_GT(native.cond_calls, 1000u);
	for (uint64_t n : native.n_runs)
		EXPECT_GT(n, 10u);
	ASSERT_EQ(sc.trace.size(), native.trace.size());
	for (size_t i = 0; i < native.trace.size(); i++)
		ASSERT_EQ(sc.trace[i], native.trace[i]) << "first difference at record " << i;
	EXPECT_EQ(sc.time_mismatches, 0);
	EXPECT_EQ(sim_fired(sc.k), sim_fired(native.k));
}
