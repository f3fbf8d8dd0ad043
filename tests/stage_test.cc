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

namespace {

/* Time from the top half's send to its FIQ_DONE on an isolated notification, with @override applied. */
sim_time send_to_fiq_done(const std::string &transport, const char *override)
{
	PlatHarness pl("charge.yaml");
	std::vector<const char *> ovr;
	if (override)
		ovr.push_back(override);
	EXPECT_TRUE(pl.boot("name: c\nplatform: {cpus: 2}\ntransport: " + transport +
			    "\nsources:\n  - {name: uart, cpu: 1, arrival: {periodic: 1ms}}\n", ovr));
	sim_run_until(pl.p->sim.k, sim_now(pl.p->sim.k) + 1500 * SIM_US);
	sim_time send = 0, done = 0;
	for (const auto &r : pl.log.recs) {
		if (!send && r.kind == TR_NOTIF && r.a == NOTIF_SEND)
			send = r.t;
		if (send && !done && r.kind == TR_SMC && r.a == kFiqDone)
			done = r.t;
	}
	EXPECT_GT(done, send);
	return done - send;
}

} // namespace

/*
 * docs/calibration.md §2 (issue: costs never charged): OP-TEE's raise is a register access the top
 * half pays: a GICD_ISPENDR write for the SPI (gic.mmio, core/drivers/gic.c gic_it_set_pending), an
 * ICC_ASGI1R_EL1 write for the SGI (gic.sysreg, gic_it_raise_sgi). Making each 10 us longer moves
 * the top half's FIQ_DONE by exactly the difference.
 */
TEST(StageBoundary, TheRaiseChargesTheRegisterAccess)
{
	auto cyc = [](uint64_t n) { return (n * SIM_S + 600000000ull) / 1200000000ull; }; /* cortex-a53 @1.2 GHz */
	const sim_time d = 10 * SIM_US - cyc(50), s = 10 * SIM_US - cyc(20);
	EXPECT_EQ(send_to_fiq_done("{kind: spi}", "platform.cost_overrides.gic.mmio=10us") -
			  send_to_fiq_done("{kind: spi}", nullptr),
		  d);
	EXPECT_EQ(send_to_fiq_done("{kind: sgi}", "platform.cost_overrides.gic.sysreg=10us") -
			  send_to_fiq_done("{kind: sgi}", nullptr),
		  s);
}
