// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/sc_scenario_test.cc: whole scenarios on the SystemC backend give the
 * same run as on the native kernel (sim/kernel/kernel.h: the ordering lives in the
 * kernel, a backend never reorders), compared by trace digest and record
 * count.
 *
 * SystemC allows one elaboration per process, so every TEST here runs in a
 * process of its own (tests/sc_run.sh). Each runs the native kernel first
 * (no elaboration), then SystemC once.
 */
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/run.h"
#include "sim/scenario/scenario.h"

namespace {

struct Runs {
	run_result native{}, systemc{};
};

/* Load @path with @ovr and run it on both backends; false (with a failure) if either run did not complete. */
bool run_both(const char *path, std::vector<const char *> ovr, Runs *r)
{
	std::unique_ptr<scenario> sc(new scenario());
	sim_diag d{};
	if (scenario_load(path, ovr.data(), (int)ovr.size(), sc.get(), &d) != 0) {
		ADD_FAILURE() << d.msg;
		return false;
	}
	run_opts o{};
	o.no_outputs = true;
	o.quiet = true;
	o.kernel = SIM_BACKEND_NATIVE;
	if (run_scenario(sc.get(), &o, &r->native, nullptr) == 2) {
		ADD_FAILURE() << "native: " << r->native.msg;
		return false;
	}
	o.kernel = SIM_BACKEND_SYSTEMC;
	if (run_scenario(sc.get(), &o, &r->systemc, nullptr) == 2) {
		ADD_FAILURE() << "systemc: " << r->systemc.msg;
		return false;
	}
	return true;
}

void expect_same(const Runs &r)
{
	EXPECT_GT(r.native.records, 1000u);
	EXPECT_GT(r.native.notifications, 0.0);
	EXPECT_EQ(r.systemc.digest, r.native.digest);
	EXPECT_EQ(r.systemc.records, r.native.records);
	EXPECT_EQ(r.systemc.sim_end, r.native.sim_end);
	EXPECT_EQ(r.systemc.notifications, r.native.notifications);
	EXPECT_EQ(r.systemc.delivered, r.native.delivered);
	EXPECT_EQ(r.systemc.status, r.native.status);
}

} // namespace

/* scenarios/default.yaml, 20ms: SPI edge, UART + timer, TA load on 4 CPUs. */
TEST(ScScenario, DefaultMatchesNative)
{
	Runs r;
	ASSERT_TRUE(run_both("scenarios/default.yaml", { "stop={after: 20ms}" }, &r));
	expect_same(r);
	EXPECT_EQ(r.native.lost, 0.0);
}

/* The notification SPI's target CPU goes offline and comes back (docs/protocol.md §6.1): IRQ migration. */
TEST(ScScenario, HotplugTimelineMatchesNative)
{
	Runs r;
	ASSERT_TRUE(run_both("scenarios/default.yaml",
			     { "stop={after: 20ms}", "timeline=[{at: 3ms, cpu_off: 0}, {at: 9ms, cpu_on: 0}, "
						     "{at: 12ms, cpu_off: 2}, {at: 15ms, cpu_on: 2}]" },
			     &r));
	expect_same(r);
}

/* A level-triggered SPI doorbell (transport trigger: level) and a bursty timer source. */
TEST(ScScenario, LevelTriggerMatchesNative)
{
	Runs r;
	ASSERT_TRUE(run_both("scenarios/default.yaml",
			     { "stop={after: 20ms}", "transport.trigger=level",
			       "sources[1].arrival={burst: {count: 4, every: 1ms, spacing: 20us}}" },
			     &r));
	expect_same(r);
	EXPECT_EQ(r.native.lost, 0.0);
}
