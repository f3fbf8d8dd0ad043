// SPDX-License-Identifier: BSD-3-Clause
/* tests/stats_test.cc: the statistics sink reads meaning from kinds and event codes, not labels. */
#include <gtest/gtest.h>

#include <vector>

#include "sim/kernel/trace.h"
#include "sim/stats/stats.h"

namespace {

struct Stats {
	sim_stats *s = stats_new(4, 100);
	~Stats() { stats_free(s); }
	void feed(const sim_rec &r) { stats_sink(s, &r); }
	double metric(const char *name)
	{
		double v = -1;
		EXPECT_TRUE(stats_metric(s, name, &v)) << name;
		return v;
	}
};

sim_rec event(unsigned code, const char *label)
{
	sim_rec r{};
	r.kind = TR_EVENT;
	r.code = (uint16_t)code;
	r.cpu = 0;
	r.label = label;
	return r;
}

} // namespace

/* sim/kernel/trace.h: counted events carry a code; the label is for people. */
TEST(StatsEvents, CountedByCodeWhateverTheLabel)
{
	Stats st;
	st.feed(event(SIM_EV_SPURIOUS_NOTIF, "spurious notification"));
	st.feed(event(SIM_EV_SPURIOUS_NOTIF, "anything else"));
	st.feed(event(SIM_EV_ETHREAD_LIMIT, nullptr));
	st.feed(event(SIM_EV_FOREIGN_INTR, "RPC_FOREIGN_INTR"));
	EXPECT_EQ(st.metric("spurious"), 2.0);
	EXPECT_EQ(st.metric("eth_limit"), 1.0);
	EXPECT_EQ(st.metric("foreign_intr"), 1.0);
}

TEST(StatsEvents, LabelWithoutCodeIsNotCounted)
{
	Stats st;
	st.feed(event(SIM_EV_NONE, "spurious notification"));
	st.feed(event(SIM_EV_NONE, "ETHREAD_LIMIT"));
	st.feed(event(SIM_EV_NONE, "RPC_FOREIGN_INTR"));
	EXPECT_EQ(st.metric("spurious"), 0.0);
	EXPECT_EQ(st.metric("eth_limit"), 0.0);
	EXPECT_EQ(st.metric("foreign_intr"), 0.0);
}

/* The models label a counted event with sim_ev_label(code). */
TEST(StatsEvents, FixedLabelsOfTheCodes)
{
	EXPECT_STREQ(sim_ev_label(SIM_EV_SPURIOUS_NOTIF), "spurious notification");
	EXPECT_STREQ(sim_ev_label(SIM_EV_ETHREAD_LIMIT), "ETHREAD_LIMIT");
	EXPECT_STREQ(sim_ev_label(SIM_EV_FOREIGN_INTR), "RPC_FOREIGN_INTR");
	EXPECT_EQ(sim_ev_label(SIM_EV_NONE), nullptr);
	EXPECT_EQ(sim_ev_label(SIM_EV_COUNT), nullptr);
}

namespace {

sim_rec notif(unsigned stage, uint32_t id, int cpu)
{
	sim_rec r{};
	r.kind = TR_NOTIF;
	r.a = stage;
	r.notif = id;
	r.cpu = cpu;
	r.world = SIM_WORLD_S;
	return r;
}

sim_rec smc(uint32_t fid, unsigned world, unsigned code, uint32_t id = 1)
{
	sim_rec r{};
	r.kind = TR_SMC;
	r.code = (uint16_t)code;
	r.cpu = 0;
	r.world = world;
	r.notif = id;
	r.a = fid;
	return r;
}

} // namespace

/*
 * smc_sequence: after the bottom half is done, the yielding call that ran it
 * still returns; its SMCs on that CPU count up to the first secure SMC that
 * is not an RPC return (SIM_EV_SMC_RPC_RETURN, set by the TEE model).
 */
TEST(StatsSmcSequence, TailEndsAtTheFirstSecureSmcThatIsNoRpcReturn)
{
	Stats st;
	st.feed(notif(NOTIF_SEND, 1, 0));
	st.feed(smc(0x10, SIM_WORLD_NS, SIM_EV_NONE));
	st.feed(notif(NOTIF_BH_DONE, 1, 0));
	st.feed(smc(0x20, SIM_WORLD_S, SIM_EV_SMC_RPC_RETURN)); /* an RPC: the call goes on */
	st.feed(smc(0x30, SIM_WORLD_NS, SIM_EV_NONE));
	st.feed(smc(0x40, SIM_WORLD_S, SIM_EV_NONE)); /* the call is done */
	st.feed(smc(0x50, SIM_WORLD_NS, SIM_EV_NONE));
	uint32_t seq[8];
	unsigned n = stats_smc_sequence(st.s, 1, seq, 8);
	ASSERT_EQ(n, 4u);
	EXPECT_EQ(seq[0], 0x10u);
	EXPECT_EQ(seq[1], 0x20u);
	EXPECT_EQ(seq[2], 0x30u);
	EXPECT_EQ(seq[3], 0x40u);
	EXPECT_EQ(st.metric("smc"), 5.0);
}

namespace {
sim_rec activity(sim_time t, int cpu, unsigned world, const char *label)
{
	sim_rec r{};
	r.t = t;
	r.kind = TR_ACTIVITY;
	r.cpu = cpu;
	r.world = world;
	r.label = label;
	return r;
}
sim_rec power(sim_time t, int cpu, uint64_t state)
{
	sim_rec r{};
	r.t = t;
	r.kind = TR_POWER;
	r.cpu = cpu;
	r.a = state;
	return r;
}
} // namespace

/* Each CPU's time per world is what the time.* totals add up (the report's per-CPU bars). */
TEST(StatsCpuTime, PerCpuTimesAddUpToTheTotals)
{
	Stats st;
	st.feed(power(0, 0, 1));
	st.feed(power(0, 1, 1));
	st.feed(activity(0, 0, SIM_WORLD_NS, "task"));
	st.feed(activity(100, 0, SIM_WORLD_S, "tee"));
	st.feed(activity(130, 0, SIM_WORLD_EL3, "smc"));
	st.feed(activity(140, 0, SIM_WORLD_NS, nullptr)); /* idle from 140 */
	st.feed(activity(50, 1, SIM_WORLD_S, "tee"));       /* cpu 1: idle 0..50, secure 50..200 */
	stats_finish(st.s, 200);
	EXPECT_EQ(stats_ncpus(st.s), 4u);
	EXPECT_EQ(stats_cpu_time(st.s, 0, 0), 100u);
	EXPECT_EQ(stats_cpu_time(st.s, 0, 1), 30u);
	EXPECT_EQ(stats_cpu_time(st.s, 0, 2), 10u);
	EXPECT_EQ(stats_cpu_time(st.s, 0, 3), 60u);
	EXPECT_EQ(stats_cpu_time(st.s, 1, 1), 150u);
	EXPECT_EQ(stats_cpu_time(st.s, 1, 3), 50u);
	EXPECT_EQ(stats_cpu_time(st.s, 2, 3), 0u); /* never powered on */
	EXPECT_EQ(stats_cpu_time(st.s, 9, 0), 0u);
	EXPECT_EQ(st.metric("time.secure"), 180.0);
	EXPECT_EQ(st.metric("time.idle"), 110.0);
}

/*
 * stats_attach: one sink per kind on a trace gives what stats_sink gives
 * (counts, time per world, the notification's stages), and takes no other
 * kinds.
 */
TEST(StatsAttach, SameAsTheSink)
{
	static const char busy[] = "work";
	Stats direct, attached;
	sim_trace *tr = sim_trace_new();
	ASSERT_NE(tr, nullptr);
	ASSERT_EQ(stats_attach(attached.s, tr), 0);
	std::vector<sim_rec> v;
	for (unsigned i = 0; i < 200; i++) {
		sim_rec r{};
		r.t = i * 1000;
		r.cpu = (int32_t)(i % 4);
		r.world = i % 3;
		r.kind = (uint16_t)(i % TR_KIND_COUNT);
		r.a = i % 2;
		r.c = 3;
		r.notif = i % 5 ? 0 : i / 5 + 1;
		r.label = i % 2 ? busy : nullptr;
		if (r.kind == TR_NOTIF || r.kind == TR_POWER)
			r.kind = TR_ACTIVITY;
		v.push_back(r);
	}
	for (unsigned id = 1; id <= 3; id++)
		for (unsigned st = NOTIF_SEND; st <= NOTIF_BH_DONE; st++) {
			sim_rec r{};
			r.t = 300000 + id * 10000 + st * 100;
			r.kind = TR_NOTIF;
			r.cpu = 1;
			r.notif = id;
			r.a = st;
			v.push_back(r);
		}
	for (const auto &r : v) {
		direct.feed(r);
		sim_trace_emit(tr, &r);
	}
	stats_finish(direct.s, 400000);
	stats_finish(attached.s, 400000);
	for (const char *m : { "notifications", "delivered", "irqs", "secure_irqs", "smc", "world_switches",
			       "sgi_dropped", "smc_per_notification", "time.normal", "time.secure", "time.el3",
			       "time.idle", "latency.e2e.count" })
		EXPECT_EQ(attached.metric(m), direct.metric(m)) << m;
	sim_trace_free(tr);
}
