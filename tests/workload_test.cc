// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/workload_test.cc: what a notification design costs the secure
 * world's other users: each TA invocation's response time, from its arrival
 * to the return of its call (issue: TA invocation latency).
 */
#include <gtest/gtest.h>

#include <string>

#include "plat_harness.h"
#include "sim/stats/stats.h"

namespace {

/* Each arrival is a "TA request" record; each return a "TA done" with the arrival time; stats measure the gap. */
TEST(Workload, TaResponseTimeIsArrivalToReturn)
{
	PlatHarness pl("wl.yaml");
	ASSERT_TRUE(pl.boot("name: w\nplatform: {cpus: 2}\n"
			    "workloads:\n  - {name: ta, kind: ta_invoke, rate: 2kHz, secure_work: 30us, cpus: [1]}\n"));
	sim_run_until(pl.p->sim.k, sim_now(pl.p->sim.k) + 20 * SIM_MS);
	std::vector<sim_rec> req, done;
	for (const auto &r : pl.log.recs) {
		if (r.kind == TR_EVENT && r.code == SIM_EV_TA_REQUEST)
			req.push_back(r);
		if (r.kind == TR_EVENT && r.code == SIM_EV_TA_DONE)
			done.push_back(r);
	}
	ASSERT_GT(req.size(), 10u);
	ASSERT_GE(done.size(), req.size() - 2);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < done.size(); i++) {
		EXPECT_EQ(done[i].b, req[i].b) << "served in arrival order on one CPU";
		EXPECT_EQ(done[i].c, req[i].t) << "the done record carries the arrival time";
		EXPECT_EQ(done[i].cpu, 1);
		uint64_t lat = done[i].t - done[i].c;
		lo = std::min(lo, lat);
		hi = std::max(hi, lat);
	}
	/* at least the secure work, plus the yielding call's entry and exit */
	EXPECT_GT(lo, 30 * SIM_US);
	double v = 0;
	ASSERT_TRUE(stats_metric(pl.p->stats, "workload.ta.latency.count", &v));
	EXPECT_EQ(v, (double)done.size());
	ASSERT_TRUE(stats_metric(pl.p->stats, "workload.ta.latency.max", &v));
	EXPECT_EQ(v, (double)hi);
	ASSERT_TRUE(stats_metric(pl.p->stats, "workload.ta.latency.min", &v));
	EXPECT_EQ(v, (double)lo);
	EXPECT_FALSE(stats_metric(pl.p->stats, "workload.nope.latency.p99", &v));
}

/* An expectation on a workload's response time loads, and an unknown or CPU-bound workload is refused where it is written. */
TEST(Workload, ExpectNamesATaWorkload)
{
	scenario sc{};
	sim_diag d{};
	const char *ok = "name: w\n"
			 "workloads:\n  - {name: ta, kind: ta_invoke, rate: 1kHz, secure_work: 10us}\n"
			 "  - {name: spin, kind: cpu_bound, work: 1ms}\n"
			 "expect:\n  - workload.ta.latency.p99 < 1ms\n  - workload.ta.latency.count > 0\n";
	ASSERT_EQ(scenario_load_string(ok, "w.yaml", nullptr, 0, &sc, &d), 0) << d.msg;
	EXPECT_EQ(sc.expect[0].metric_kind, SIM_METRIC_TIME);
	EXPECT_EQ(sc.expect[1].metric_kind, SIM_METRIC_COUNT);
	const char *bad = "name: w\n"
			  "workloads:\n  - {name: spin, kind: cpu_bound, work: 1ms}\n"
			  "expect:\n  - workload.spin.latency.p99 < 1ms\n";
	EXPECT_NE(scenario_load_string(bad, "w.yaml", nullptr, 0, &sc, &d), 0);
	EXPECT_NE(std::string(d.msg).find("w.yaml:5:5"), std::string::npos) << d.msg;
	EXPECT_NE(std::string(d.msg).find("no ta_invoke workload named 'spin'"), std::string::npos) << d.msg;
}

/* The summary has a row per TA workload; the JSON a "workloads" object (run --json). */
TEST(Workload, SummaryListsTaWorkloads)
{
	PlatHarness pl("wl.yaml");
	ASSERT_TRUE(pl.boot("name: w\nplatform: {cpus: 2}\n"
			    "workloads:\n  - {name: users, kind: ta_invoke, rate: 2kHz, secure_work: 30us}\n"));
	sim_run_until(pl.p->sim.k, sim_now(pl.p->sim.k) + 5 * SIM_MS);
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	stats_print_summary(pl.p->stats, f);
	fclose(f);
	std::string s(buf);
	free(buf);
	EXPECT_NE(s.find("TA calls (us)"), std::string::npos) << s;
	EXPECT_NE(s.find("\n  users "), std::string::npos) << s;
}

} // namespace
