// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/sc_tlm_platform_test.cc: tzsim::Platform, a whole scenario inside a
 * SystemC simulation (sim/systemc/tlm_platform.h).
 *
 * SystemC allows one elaboration per process, so every TEST here runs in a
 * process of its own (tests/sc_run.sh). The reference runs use the native
 * kernel (no elaboration): `tzsim run` gives the same digest on both
 * kernels (tests/sc_scenario_test.cc, tests/cli_test.sh).
 */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "sim/run.h"
#include "sim/scenario/scenario.h"
#include "sim/systemc/tlm_platform.h"

using namespace sc_core;

namespace {

/* `tzsim run PATH --vary ...` on the native kernel, with no outputs. */
run_result reference(const char *path, const std::vector<std::string> &ovr)
{
	std::unique_ptr<scenario> sc(new scenario());
	std::vector<const char *> ov;
	std::transform(ovr.begin(), ovr.end(), std::back_inserter(ov), [](const std::string &o) { return o.c_str(); });
	sim_diag d{};
	run_result r{};
	if (scenario_load(path, ov.data(), (int)ov.size(), sc.get(), &d) != 0) {
		ADD_FAILURE() << d.msg;
		return r;
	}
	run_opts o{};
	o.no_outputs = true;
	o.quiet = true;
	o.kernel = SIM_BACKEND_NATIVE;
	EXPECT_NE(run_scenario(sc.get(), &o, &r, nullptr), 2) << r.msg;
	return r;
}

/* The platform's outputs and events, seen from the user's side of the simulation. */
struct Bench : sc_module {
	tzsim::Platform plat;
	sc_vector<sc_signal<bool>> irq, fiq, src;
	unsigned irq_rises = 0, fiq_rises = 0, notif_events = 0;
	bool finished_seen = false;
	std::function<void(Bench &)> script;

	Bench(sc_module_name n, const char *path, const std::vector<std::string> &ovr)
	    : sc_module(n), plat("tzsim", path, ovr), irq("irq", plat.cpus()), fiq("fiq", plat.cpus()),
	      src("src", plat.sources())
	{
		plat.irq.bind(irq);
		plat.fiq.bind(fiq);
		plat.source_in.bind(src);
		SC_METHOD(on_irq);
		for (auto &s : irq)
			sensitive << s.posedge_event();
		dont_initialize();
		SC_METHOD(on_fiq);
		for (auto &s : fiq)
			sensitive << s.posedge_event();
		dont_initialize();
		SC_METHOD(on_notif);
		sensitive << plat.notification_event();
		dont_initialize();
		SC_METHOD(on_finished);
		sensitive << plat.finished_event();
		dont_initialize();
		SC_THREAD(run);
	}
	SC_HAS_PROCESS(Bench);
	void on_irq() { irq_rises++; }
	void on_fiq() { fiq_rises++; }
	void on_notif() { notif_events++; }
	void on_finished() { finished_seen = true; }
	void run()
	{
		if (script)
			script(*this);
	}
};

} // namespace

/* tlm_platform.h: scenarios/default.yaml run inside sc_main gives the trace of `tzsim run` (its digest and record count). */
TEST(TlmPlatform, DefaultScenarioDigestMatchesTzsimRun)
{
	run_result ref = reference("scenarios/default.yaml", {});
	Bench b("bench", "scenarios/default.yaml", {});
	sc_start(); /* to starvation: the platform finishes, its kernel holds */
	EXPECT_TRUE(b.plat.finished());
	EXPECT_TRUE(b.finished_seen);
	EXPECT_EQ(b.plat.status(), 0);
	EXPECT_GT(ref.records, 10000u);
	EXPECT_EQ(b.plat.digest(), ref.digest);
	EXPECT_EQ(b.plat.records(), ref.records);
	EXPECT_EQ(b.plat.end_time().value(), ref.sim_end);
	EXPECT_GT(b.irq_rises, 250u) << "the IRQ outputs follow the GIC";
	EXPECT_GT(b.fiq_rises, 250u) << "... and the FIQ outputs (secure interrupts in the normal world)";
	EXPECT_EQ(b.plat.notifications_delivered(), (uint64_t)ref.delivered);
	EXPECT_GT(b.notif_events, 200u);
}

/* tlm_platform.h: stop: {notifications: N} ends the measured phase as `tzsim run` does (run.c sent_cond). */
TEST(TlmPlatform, NotificationCountStopMatchesTzsimRun)
{
	std::vector<std::string> ovr = { "stop={notifications: 40}", "transport.trigger=level" };
	run_result ref = reference("scenarios/default.yaml", ovr);
	Bench b("bench", "scenarios/default.yaml", ovr);
	sc_start();
	EXPECT_TRUE(b.plat.finished());
	EXPECT_GE(ref.notifications, 40.0);
	EXPECT_EQ(b.plat.digest(), ref.digest);
	EXPECT_EQ(b.plat.records(), ref.records);
	EXPECT_EQ(b.plat.end_time().value(), ref.sim_end);
}

/* tlm_platform.h source_in: a rising edge is one arrival at the source; its notification is delivered (notification_event). */
TEST(TlmPlatform, SourceInputRaisesANotification)
{
	/* no arrivals of their own, no TA load: every notification is one of ours */
	Bench b("bench", "scenarios/default.yaml",
		{ "stop={after: 10ms}", "sources[0].arrival={replay: ../tests/data/replay/none.csv}", "sources[1].arrival={replay: ../tests/data/replay/none.csv}",
		  "workloads=[]" });
	std::vector<uint64_t> delivered_after;
	b.script = [&](Bench &x) {
		while (!x.plat.model()->booted)
			wait(100, SC_US);
		for (int i = 0; i < 3; i++) {
			wait(1, SC_MS);
			x.src[1].write(true); /* the secure timer's line */
			wait(10, SC_NS);
			x.src[1].write(false);
			wait(1, SC_MS);
			delivered_after.push_back(x.plat.notifications_delivered());
		}
	};
	sc_start();
	EXPECT_TRUE(b.plat.finished());
	EXPECT_EQ(delivered_after, (std::vector<uint64_t>{ 1, 2, 3 }));
	EXPECT_EQ(b.notif_events, 3u);
	double lost = -1;
	stats_metric(b.plat.model()->stats, "lost", &lost);
	EXPECT_EQ(lost, 0.0);
}
