// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/run_hooks_test.cc: run_opts.progress and run_opts.done (sim/run.h),
 * what tzsim's progress line, --report and --result are built on. A hook
 * must not change the run: the digest is the same with and without it.
 */
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/run.h"
#include "sim/scenario/scenario.h"
#include "sim/stats/stats.h"

namespace {

const char kBase[] = "name: hooks\n"
		     "seed: 5\n"
		     "stop: {after: 10ms}\n"
		     "platform: {cpus: 2}\n"
		     "sources:\n"
		     "  - {name: tick, kind: timer, arrival: {periodic: 1ms}}\n"
		     "  - {name: uart, arrival: {poisson: 2kHz}}\n";

struct Seen {
	std::vector<run_progress> progress;
	int done_calls = 0;
	bool had_stats = false;
	uint64_t seed = 0;
	sim_time cpu0_busy = 0;
	int status = -1;
};

void on_progress(void *ctx, const run_progress *p) { static_cast<Seen *>(ctx)->progress.push_back(*p); }

void on_done(void *ctx, const scenario *sc, const sim_stats *st, const run_result *res)
{
	Seen *s = static_cast<Seen *>(ctx);
	s->done_calls++;
	s->had_stats = st != nullptr;
	s->seed = sc->seed;
	s->status = res->status;
	if (st)
		s->cpu0_busy = stats_cpu_time(st, 0, 0) + stats_cpu_time(st, 0, 1) + stats_cpu_time(st, 0, 2);
}

/* Run @yaml (with @ovr) with or without the hooks; returns the result. */
run_result run(const std::string &yaml, Seen *seen, std::vector<const char *> ovr = {})
{
	std::unique_ptr<scenario> sc(new scenario);
	sim_diag d{};
	EXPECT_EQ(scenario_load_string(yaml.c_str(), "/tmp/hooks.yaml", ovr.data(), (int)ovr.size(), sc.get(), &d), 0)
		<< d.msg;
	run_opts o{};
	o.kernel = -1;
	o.no_outputs = true;
	o.seed_given = true;
	o.seed = 9;
	if (seen) {
		o.progress = on_progress;
		o.done = on_done;
		o.hook_ctx = seen;
	}
	run_result r{};
	run_scenario(sc.get(), &o, &r, nullptr);
	return r;
}

} // namespace

/* stop.after runs in steps when progress is asked for: the same events fire, the digest is equal. */
TEST(RunHooks, ProgressDoesNotChangeATimedRun)
{
	Seen seen;
	run_result a = run(kBase, nullptr), b = run(kBase, &seen);
	EXPECT_EQ(a.digest, b.digest);
	EXPECT_EQ(a.records, b.records);
	ASSERT_GE(seen.progress.size(), 200u);
	EXPECT_DOUBLE_EQ(seen.progress.back().fraction, 1.0);
	EXPECT_EQ(seen.progress.back().now, 10 * SIM_MS);
	for (size_t i = 1; i < seen.progress.size(); i++)
		EXPECT_GE(seen.progress[i].fraction, seen.progress[i - 1].fraction);
}

TEST(RunHooks, ProgressDoesNotChangeARunToNNotifications)
{
	Seen seen;
	std::vector<const char *> ovr = { "stop={notifications: 200}" };
	run_result a = run(kBase, nullptr, ovr), b = run(kBase, &seen, ovr);
	EXPECT_EQ(a.digest, b.digest);
	ASSERT_FALSE(seen.progress.empty());
	EXPECT_EQ(seen.progress.back().goal, 200u);
	EXPECT_LE(seen.progress.back().sent, 200u);
}

/* done: once, with the seed as run, the statistics and the final status. */
TEST(RunHooks, DoneGetsTheStatisticsOnce)
{
	Seen seen;
	run(kBase, &seen);
	EXPECT_EQ(seen.done_calls, 1);
	EXPECT_TRUE(seen.had_stats);
	EXPECT_EQ(seen.seed, 9u);
	EXPECT_EQ(seen.status, 0);
	EXPECT_GT(seen.cpu0_busy, 0u);
}

/* A run that cannot be built still calls done, without statistics. */
TEST(RunHooks, DoneWithoutStatisticsWhenNothingRan)
{
	Seen seen;
	std::string y = std::string(kBase) + "expect:\n  - {smc_sequence: [NO_SUCH_SMC]}\n";
	run_result r = run(y, &seen);
	EXPECT_EQ(r.status, RUN_BAD_INPUT);
	EXPECT_EQ(seen.done_calls, 1);
	EXPECT_FALSE(seen.had_stats);
	EXPECT_EQ(seen.status, RUN_BAD_INPUT);
}
