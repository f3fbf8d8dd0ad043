// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/units_time_test.cc: clock-domain conversions (sim/kernel/time.h).
 * Expected values were worked exactly: t = round(cycles * 10^12 / hz),
 * cycles = round(t * hz / 10^12), halves rounding up.
 */
#include <gtest/gtest.h>

#include "sim/kernel/time.h"

namespace {
const sim_clock C12 = {1200000000}; /* 1.2 GHz: a cycle is 833.33 ps */
const sim_clock C20 = {2000000000}; /* 2 GHz: a cycle is 500 ps */
} // namespace

/* time.h: a cycle at 1.2 GHz is 833 ps, and 3 cycles are 2500 ps (not 3 x 833). */
TEST(ClockCycles, At1p2GHzRoundsEachTotalOnce)
{
	EXPECT_EQ(sim_clock_cycles(&C12, 0), 0u);
	EXPECT_EQ(sim_clock_cycles(&C12, 1), 833u);  /* 833.33 */
	EXPECT_EQ(sim_clock_cycles(&C12, 2), 1667u); /* 1666.67 */
	EXPECT_EQ(sim_clock_cycles(&C12, 3), 2500u);
	EXPECT_EQ(sim_clock_cycles(&C12, 1200), 1000000u); /* 1 us */
}

TEST(ClockCycles, At2GHzIsExact)
{
	EXPECT_EQ(sim_clock_cycles(&C20, 1), 500u);
	EXPECT_EQ(sim_clock_cycles(&C20, 7), 3500u);
	EXPECT_EQ(sim_clock_cycles(&C20, 2000000000), SIM_S);
}

/* time.h sim_clock_to_cycles: rounds to the nearest cycle, halves up. */
TEST(ClockToCycles, RoundsToNearestCycle)
{
	EXPECT_EQ(sim_clock_to_cycles(&C12, 833), 1u);  /* 0.9996 */
	EXPECT_EQ(sim_clock_to_cycles(&C12, 2500), 3u);
	EXPECT_EQ(sim_clock_to_cycles(&C12, 416), 0u);  /* 0.4992 */
	EXPECT_EQ(sim_clock_to_cycles(&C12, 417), 1u);  /* 0.5004 */
	EXPECT_EQ(sim_clock_to_cycles(&C20, 249), 0u);  /* 0.498 */
	EXPECT_EQ(sim_clock_to_cycles(&C20, 250), 1u);  /* exactly 0.5: up */
	EXPECT_EQ(sim_clock_to_cycles(&C20, 749), 1u);
	EXPECT_EQ(sim_clock_to_cycles(&C20, SIM_US), 2000u);
}

/* time.h: cycles -> ps -> cycles is the identity (the ps error is < 0.5 ps << a cycle). */
TEST(ClockRoundTrip, CyclesSurviveConversion)
{
	for (uint64_t c = 0; c < 100000; c += 7) {
		ASSERT_EQ(sim_clock_to_cycles(&C12, sim_clock_cycles(&C12, c)), c);
		ASSERT_EQ(sim_clock_to_cycles(&C20, sim_clock_cycles(&C20, c)), c);
	}
	const uint64_t big = 1000000000000ull; /* 10^12 cycles: ~14 min at 1.2 GHz */
	EXPECT_EQ(sim_clock_to_cycles(&C12, sim_clock_cycles(&C12, big)), big);
}

/* time.h: the products use 128 bits: cycles * 10^12 overflows 64 bits past 1.8e7 cycles. */
TEST(ClockCycles, LargeValuesDoNotOverflow)
{
	EXPECT_EQ(sim_clock_cycles(&C12, 1000000000000ull), 833333333333333ull);
	EXPECT_EQ(sim_clock_cycles(&C20, 1ull << 40), (1ull << 40) * 500);
	/* the whole time range: (2^64 - 1) ps * 1.2 GHz and * 2 GHz */
	EXPECT_EQ(sim_clock_to_cycles(&C12, SIM_TIME_MAX), 22136092888451462ull);
	EXPECT_EQ(sim_clock_to_cycles(&C20, SIM_TIME_MAX), 36893488147419103ull);
}
