// SPDX-License-Identifier: BSD-3-Clause
/* tests/stats_test.cc: the statistics sink reads meaning from kinds and event codes, not labels. */
#include <gtest/gtest.h>

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
