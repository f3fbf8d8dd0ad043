// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/dev_arrive_test.cc: arrivals from outside a secure source's own
 * process (models/dev/secure_src.h dev_src_arrive), as tzsim::Platform's
 * source inputs make them.
 */
#include <gtest/gtest.h>

#include <vector>

#include "models/dev/secure_src.h"
#include "sim/bus.h"
#include "testutil.h"

namespace {

constexpr uint64_t B = 0x09040000;

struct Src {
	sim s{};
	sim_bus *bus = nullptr;
	dev_src *d = nullptr;
	std::vector<int> edges;
	static void sink(void *ctx, unsigned, int level) { static_cast<Src *>(ctx)->edges.push_back(level); }
	Src(dev_src_kind kind, dev_src_arrival arrival)
	{
		EXPECT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
		bus = sim_bus_new(&s);
		dev_src_config c{};
		snprintf(c.name, sizeof(c.name), "ext");
		c.kind = kind;
		c.arrival = arrival;
		c.period = 10 * SIM_US;
		d = dev_src_new(&s, &c, 0);
		EXPECT_EQ(dev_src_map(d, bus, B), 0);
		sim_wire_connect(dev_src_line(d), sink, this, 0);
	}
	~Src()
	{
		dev_src_free(d);
		sim_bus_free(bus);
		sim_fini(&s);
	}
	uint64_t rd(unsigned off, unsigned size = 4)
	{
		sim_bus_access a{ 0, 1, true };
		uint64_t v = ~0ull;
		EXPECT_EQ(sim_bus_read(bus, &a, B + off, size, &v), 0) << off;
		return v;
	}
};

} // namespace

/* secure_src.h dev_src_arrive: a UART receives one item per arrival, its level line rises; nothing is scheduled. */
TEST(SecureSrcArrive, UartReceivesAnItemPerArrival)
{
	Src t(DEV_SRC_UART, DEV_SRC_REPLAY); /* no replayed times: no arrivals of its own */
	dev_src_start(t.d);
	sim_run_until(t.s.k, 5 * SIM_US);
	dev_src_arrive(t.d);
	dev_src_arrive(t.d);
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 2u);
	EXPECT_EQ(t.edges, (std::vector<int>{ 1 }));
	EXPECT_EQ(t.rd(DEV_SRC_TS, 8), 5 * SIM_US + 1) << "the episode began with the first arrival";
	EXPECT_EQ(sim_pending(t.s.k), 0u) << "the source's own process is untouched";
}

/* secure_src.h dev_src_arrive: a timer counts one event and pulses its line, started or not, beside its own process. */
TEST(SecureSrcArrive, TimerPulsesBesideItsOwnProcess)
{
	Src t(DEV_SRC_TIMER, DEV_SRC_PERIODIC);
	dev_src_arrive(t.d); /* before start */
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 1u);
	EXPECT_EQ(t.edges, (std::vector<int>{ 1, 0 }));
	dev_src_start(t.d);
	sim_run_until(t.s.k, 15 * SIM_US); /* its own arrival at 10 us */
	dev_src_arrive(t.d);
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 3u);
	sim_run_until(t.s.k, 25 * SIM_US); /* the period is unchanged: 20 us */
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 4u);
	dev_src_stop(t.d);
}
