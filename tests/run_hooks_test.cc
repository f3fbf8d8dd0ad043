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

/* ---- sim/stats/result.h on a real run ------------------------------------------------------- */

#include "sim/stats/result.h"

namespace {

struct Filled {
	stats_result *r = stats_result_new();
	~Filled() { stats_result_free(r); }
};

void fill(void *ctx, const scenario *sc, const sim_stats *st, const run_result *res)
{
	stats_result *r = static_cast<stats_result *>(ctx);
	r->status = res->status;
	r->n_failed = res->n_failed;
	snprintf(r->msg, sizeof(r->msg), "%s", res->msg);
	snprintf(r->scenario, sizeof(r->scenario), "%s", sc->name);
	r->seed = sc->seed;
	snprintf(r->transport, sizeof(r->transport), "spi 219 edge");
	r->sim_end = res->sim_end;
	if (st)
		stats_result_fill(r, st);
}

std::string text_of(const stats_result *r)
{
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	EXPECT_EQ(stats_result_write(r, f), 0);
	fclose(f);
	std::string s(buf, len);
	free(buf);
	return s;
}

} // namespace

/* What merge reads back is what the run measured: same text, same percentiles. */
TEST(StatsResult, RoundTripOfARealRun)
{
	Filled a, b;
	std::unique_ptr<scenario> sc(new scenario);
	sim_diag d{};
	ASSERT_EQ(scenario_load_string(kBase, "/tmp/hooks.yaml", nullptr, 0, sc.get(), &d), 0) << d.msg;
	run_opts o{};
	o.kernel = -1;
	o.no_outputs = true;
	o.done = fill;
	o.hook_ctx = a.r;
	run_result res{};
	run_scenario(sc.get(), &o, &res, nullptr);
	snprintf(a.r->msg, sizeof(a.r->msg), "two\nlines \\ and a\ttab");
	ASSERT_TRUE(a.r->measured);
	EXPECT_EQ(a.r->notifications, (uint64_t)res.notifications);
	EXPECT_EQ(a.r->ncpus, 2u);
	std::string t = text_of(a.r);
	char err[256] = "";
	ASSERT_EQ(stats_result_read(b.r, t.c_str(), err, sizeof(err)), 0) << err << "\n" << t.substr(0, 400);
	EXPECT_EQ(text_of(b.r), t);
	EXPECT_STREQ(b.r->msg, a.r->msg);
	EXPECT_EQ(sim_hist_report(b.r->span[SIM_SPAN_E2E], 99), (uint64_t)res.e2e_p99);
	EXPECT_EQ(b.r->smc_per_notif, res.smc_per_notif);
}

TEST(StatsResult, ReadNamesWhatIsWrong)
{
	Filled a, b;
	a.r->measured = false;
	snprintf(a.r->scenario, sizeof(a.r->scenario), "x");
	a.r->status = 2;
	snprintf(a.r->msg, sizeof(a.r->msg), "x.yaml:1:1: bad");
	std::string t = text_of(a.r);
	char err[256] = "";
	ASSERT_EQ(stats_result_read(b.r, t.c_str(), err, sizeof(err)), 0) << err;
	EXPECT_EQ(b.r->status, 2);
	EXPECT_FALSE(b.r->measured);
	/* cut short: no end line */
	std::string cut = t.substr(0, t.rfind("end"));
	EXPECT_EQ(stats_result_read(b.r, cut.c_str(), err, sizeof(err)), -1);
	EXPECT_NE(std::string(err).find("cut short"), std::string::npos) << err;
	EXPECT_EQ(stats_result_read(b.r, "hello\n", err, sizeof(err)), -1);
	EXPECT_STREQ(err, "not a tzsim result file");
	std::string v2 = "tzsim-result 2\n" + t.substr(t.find('\n') + 1);
	EXPECT_EQ(stats_result_read(b.r, v2.c_str(), err, sizeof(err)), -1);
	EXPECT_NE(std::string(err).find("line 1: version '2'"), std::string::npos) << err;
}
