// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/stage_test.cc: one definition of each stage boundary for every
 * transport (docs/protocol.md §9.6). "pending" is when the notification's
 * interrupt can be signalled at a PE's CPU interface, so send_to_pending is
 * the GIC's propagation for all of them: pend_to_wire after an ISPENDR
 * write (SPI, PPI), sgi_delay then pend_to_wire after an ASGI1R write (SGI).
 */
#include <gtest/gtest.h>

#include <string>

#include "plat_harness.h"
#include "sim/stats/stats.h"

namespace {

double send_to_pending(const std::string &transport)
{
	PlatHarness pl("stage.yaml");
	EXPECT_TRUE(pl.boot("name: s\nplatform: {cpus: 2}\ntransport: " + transport +
			    "\nsources:\n  - {name: uart, cpu: 1, arrival: {periodic: 1ms}}\n"));
	sim_run_until(pl.p->sim.k, sim_now(pl.p->sim.k) + 1500 * SIM_US);
	double n = 0, max = 0, min = 0;
	EXPECT_TRUE(stats_metric(pl.p->stats, "latency.send_to_pending.count", &n));
	EXPECT_TRUE(stats_metric(pl.p->stats, "latency.send_to_pending.max", &max));
	EXPECT_TRUE(stats_metric(pl.p->stats, "latency.send_to_pending.min", &min));
	EXPECT_EQ(n, 1.0) << transport;
	EXPECT_EQ(min, max) << transport;
	return max;
}

TEST(StageBoundary, SendToPendingIsTheGicPropagationForEveryTransport)
{
	const double wire = 100 * SIM_NS, sgi = 400 * SIM_NS; /* the cortex-a53 preset (docs/calibration.md §2) */
	EXPECT_EQ(send_to_pending("{kind: spi}"), wire);
	EXPECT_EQ(send_to_pending("{kind: ppi}"), wire);
	EXPECT_EQ(send_to_pending("{kind: sgi}"), sgi + wire);
}

} // namespace
