// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/sc_free_run_test.cc: the SystemC backend free running
 * (sim/kernel/systemc.h): the user's sc_start() drives the kernel, a
 * SystemC process syncs before calling into a model, a gate holds it.
 *
 * SystemC allows one elaboration per process, so every TEST here runs in a
 * process of its own (tests/sc_run.sh).
 */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "sim/kernel/kernel.h"
#include "sim/kernel/systemc.h"
#include "testutil.h"

using namespace sc_core;

namespace {

sim_time sc_now_ps() { return sc_time_stamp().value(); }

/* The event log on the SystemC kernel, plus a SystemC thread running @script. */
struct Bench : EventLog {
	std::function<void()> script;
	Bench() : EventLog(SIM_BACKEND_SYSTEMC)
	{
		sc_spawn_options o;
		sc_spawn([this] {
			if (script)
				script();
		},
			 "script", &o);
	}
};

} // namespace

/* systemc.h: outside any sim_run_*, the user's sc_start() fires the kernel's events at their SystemC time. */
TEST(ScFreeRun, UserScStartFiresEventsAtTheirTime)
{
	Bench b;
	ASSERT_NE(b.k, nullptr);
	int mismatches = 0;
	for (uint64_t i = 0; i < 3; i++)
		sim_post(b.k, 100 * (i + 1), [](void *ctx, uint64_t a) {
			Bench *x = static_cast<Bench *>(ctx);
			x->note(a);
		}, &b, i);
	b.script = [&] {
		wait(150, SC_PS);
		mismatches += sim_now(b.k) != 100;
		wait(1, SC_NS);
	};
	sc_start();
	EXPECT_EQ(b.fired, (std::vector<Fired>{ { 100, 0 }, { 200, 1 }, { 300, 2 } }));
	EXPECT_EQ(mismatches, 0);
	EXPECT_EQ(sc_now_ps(), 1150u) << "SystemC's time is the user's";
}

/* systemc.h sim_systemc_sync: fires what is due by sc_time_stamp(), whichever process SystemC runs first, then sets now. */
TEST(ScFreeRun, SyncFiresDueEventsAndCatchesUp)
{
	Bench b;
	std::vector<uint64_t> seen_at_sync;
	sim_time now_after = 0;
	b.script = [&] {
		wait(500, SC_PS);
		sim_post(b.k, 0, EventLog::record, &b, 7); /* relative to the kernel's now: 0 until synced */
		EXPECT_EQ(sim_systemc_sync(b.k), 0);
		now_after = sim_now(b.k);
		sim_post(b.k, 250, EventLog::record, &b, 8); /* due at 750 */
		wait(250, SC_PS);                            /* the thread and the kernel's method both wake at 750 */
		EXPECT_EQ(sim_systemc_sync(b.k), 0);
		seen_at_sync = b.ids();
	};
	sc_start();
	EXPECT_EQ(b.fired, (std::vector<Fired>{ { 0, 7 }, { 750, 8 } }))
	    << "an event posted before the sync was due at the kernel's old time; it fires at once";
	EXPECT_EQ(now_after, 500u);
	EXPECT_EQ(seen_at_sync, (Ids{ 7, 8 })) << "the sync fired the event due at 750";
	EXPECT_EQ(sim_systemc_sync(nullptr), -1);
}

/* systemc.h sim_systemc_set_gate: asked before each event; false holds the kernel while SystemC goes on; a new gate resumes. */
TEST(ScFreeRun, GateHoldsAndResumes)
{
	Bench b;
	struct G {
		sim_kernel *k;
		unsigned calls = 0, allow = 2;
	} g{ b.k };
	auto gate = [](void *ctx) {
		G *x = static_cast<G *>(ctx);
		x->calls++;
		return sim_fired(x->k) < x->allow;
	};
	for (uint64_t i = 0; i < 4; i++)
		sim_post(b.k, 100 * (i + 1), EventLog::record, &b, i);
	ASSERT_EQ(sim_systemc_set_gate(b.k, gate, &g), 0);
	bool held = false;
	b.script = [&] {
		wait(1, SC_NS);
		held = sim_systemc_held(b.k);
		EXPECT_EQ(sim_pending(b.k), 2u);
		EXPECT_EQ(sim_systemc_set_gate(b.k, nullptr, nullptr), 0); /* resume, no gate */
		wait(1, SC_NS);
	};
	sc_start();
	EXPECT_TRUE(held);
	EXPECT_EQ(g.calls, 3u) << "once per event: before the first, after the first and the second";
	EXPECT_EQ(b.fired, (std::vector<Fired>{ { 100, 0 }, { 200, 1 }, { 300, 2 }, { 400, 3 } }))
	    << "held events fire, in order and at their own times, when the kernel resumes";
	EXPECT_EQ(sim_now(b.k), 1000u) << "then the kernel caught up with SystemC (at the resume)";
	EXPECT_FALSE(sim_systemc_held(b.k));
}

/* systemc.h: a sim_stop() while free running holds the kernel and leaves the user's simulation running. */
TEST(ScFreeRun, StopHoldsTheKernelNotSystemc)
{
	Bench b;
	sim_post(b.k, 100, [](void *ctx, uint64_t a) {
		Bench *x = static_cast<Bench *>(ctx);
		x->note(a);
		sim_stop(x->k);
	}, &b, 0);
	sim_post(b.k, 200, EventLog::record, &b, 1);
	bool reached = false;
	b.script = [&] {
		wait(1, SC_NS);
		reached = true;
	};
	sc_start();
	EXPECT_TRUE(reached) << "SystemC was not paused";
	EXPECT_EQ(b.ids(), (Ids{ 0 }));
	EXPECT_TRUE(sim_systemc_held(b.k));
	EXPECT_EQ(sc_now_ps(), 1000u);
}

/* systemc.h sim_systemc_set_gate: the gate hears that the queue ran dry (where sim_run_while would return). */
TEST(ScFreeRun, GateHearsTheQueueRunDry)
{
	Bench b;
	struct G {
		sim_kernel *k;
		std::vector<size_t> pending; /* sim_pending() at each call */
	} g{ b.k, {} };
	auto gate = [](void *ctx) {
		G *x = static_cast<G *>(ctx);
		x->pending.push_back(sim_pending(x->k));
		return true;
	};
	sim_post(b.k, 100, EventLog::record, &b, 0);
	sim_post(b.k, 200, EventLog::record, &b, 1);
	ASSERT_EQ(sim_systemc_set_gate(b.k, gate, &g), 0);
	sc_start();
	EXPECT_EQ(b.ids(), (Ids{ 0, 1 }));
	EXPECT_EQ(g.pending, (std::vector<size_t>{ 2, 1, 0 }));
	EXPECT_FALSE(sim_systemc_held(b.k));
}
