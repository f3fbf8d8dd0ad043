// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/dev_test.cc: the secure interrupt source's registers and line
 * (models/dev/secure_src.h), driven through the bus as OP-TEE drives them.
 */
#include <gtest/gtest.h>

#include "models/dev/secure_src.h"
#include "sim/bus.h"
#include "testutil.h"

namespace {

constexpr uint64_t B = 0x09040000;

struct Src {
	sim s{};
	sim_bus *bus = nullptr;
	dev_src *d = nullptr;
	int line = 0;
	static void sink(void *ctx, unsigned, int level) { *static_cast<int *>(ctx) = level; }
	explicit Src(dev_src_kind kind, sim_time period = 10 * SIM_US, unsigned fifo = 4)
	{
		EXPECT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
		bus = sim_bus_new(&s);
		dev_src_config c{};
		snprintf(c.name, sizeof(c.name), "uart");
		c.kind = kind;
		c.arrival = DEV_SRC_PERIODIC;
		c.period = period;
		c.fifo = fifo;
		d = dev_src_new(&s, &c, 0);
		EXPECT_EQ(dev_src_map(d, bus, B), 0);
		sim_wire_connect(dev_src_line(d), sink, &line, 0);
	}
	~Src()
	{
		dev_src_free(d);
		sim_bus_free(bus);
		sim_fini(&s);
	}
	uint64_t rd(unsigned off, unsigned size = 4, bool secure = true)
	{
		sim_bus_access a{ 0, 1, secure };
		uint64_t v = ~0ull;
		EXPECT_EQ(sim_bus_read(bus, &a, B + off, size, &v), 0) << off;
		return v;
	}
	void wr(unsigned off, uint64_t v)
	{
		sim_bus_access a{ 0, 1, true };
		EXPECT_EQ(sim_bus_write(bus, &a, B + off, 4, v), 0) << off;
	}
};

/* secure_src.h: a UART's line is high while RXIE is set and the FIFO holds data; DATA pops, ACK drains. */
TEST(SecureSrc, UartLineFollowsFifoAndRxie)
{
	Src t(DEV_SRC_UART);
	dev_src_start(t.d);
	sim_run_until(t.s.k, 25 * SIM_US); /* arrivals at 10 and 20 us */
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 2u);
	EXPECT_EQ(t.line, 1);
	EXPECT_EQ(t.rd(DEV_SRC_TS, 8), 10 * SIM_US + 1) << "the episode began with the first item";
	EXPECT_EQ(t.rd(DEV_SRC_TS, 8), 0u) << "reading it ends the episode";
	t.wr(DEV_SRC_CTRL, 0); /* rx_intr_disable */
	EXPECT_EQ(t.line, 0);
	EXPECT_EQ(t.rd(DEV_SRC_DATA), 0u) << "the first item received";
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 1u);
	t.wr(DEV_SRC_ACK, 5);
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 0u) << "ACK consumes at most what waits";
	EXPECT_EQ(t.rd(DEV_SRC_DATA), 0u) << "RAZ when empty";
	sim_run_until(t.s.k, 35 * SIM_US);
	EXPECT_EQ(t.line, 0) << "RX masked";
	t.wr(DEV_SRC_CTRL, DEV_SRC_CTRL_RXIE);
	EXPECT_EQ(t.line, 1) << "unmasking with data waiting raises the line at once";
	dev_src_stop(t.d);
}

/* secure_src.h: the FIFO holds fifo items; one more is an overrun, recorded and dropped. */
TEST(SecureSrc, UartFifoOverrunDropsAndRecords)
{
	Src t(DEV_SRC_UART, 10 * SIM_US, 2);
	RecordLog log;
	log.attach(t.s.tr);
	dev_src_start(t.d);
	sim_run_until(t.s.k, 45 * SIM_US);
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 2u);
	unsigned overruns = 0;
	for (const auto &r : log.recs)
		overruns += r.kind == TR_EVENT && r.world == SIM_WORLD_DEV && r.label && std::string(r.label) == "fifo overrun";
	EXPECT_EQ(overruns, 2u);
	dev_src_stop(t.d);
}

/* secure_src.h: an event source counts events; its line pulses (edge); ACK consumes. */
TEST(SecureSrc, TimerCountsEventsAndAckConsumes)
{
	Src t(DEV_SRC_TIMER);
	unsigned rises = 0;
	sim_wire_connect(dev_src_line(t.d), [](void *c, unsigned, int l) { *static_cast<unsigned *>(c) += l; }, &rises, 0);
	dev_src_start(t.d);
	sim_run_until(t.s.k, 31 * SIM_US);
	EXPECT_EQ(rises, 3u);
	EXPECT_EQ(t.line, 0) << "the line only pulses";
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 3u);
	t.wr(DEV_SRC_ACK, 2);
	EXPECT_EQ(t.rd(DEV_SRC_COUNT), 1u);
	dev_src_stop(t.d);
}

/* secure_src.h: Secure accesses only; a Non-secure one is refused and the bus records a bus error. */
TEST(SecureSrc, NonSecureAccessIsABusError)
{
	Src t(DEV_SRC_UART);
	sim_bus_access ns{ 1, 1, false };
	uint64_t v = 9;
	EXPECT_EQ(sim_bus_read(t.bus, &ns, B + DEV_SRC_COUNT, 4, &v), -1);
	EXPECT_EQ(v, 0u);
	EXPECT_EQ(sim_bus_write(t.bus, &ns, B + DEV_SRC_CTRL, 4, 0), -1);
	EXPECT_EQ(t.rd(DEV_SRC_CTRL), (uint64_t)DEV_SRC_CTRL_RXIE) << "the NS write was ignored";
	EXPECT_EQ(sim_bus_errors(t.bus), 2u);
}

/*
 * secure_src.h: TS is also two 32-bit halves, lower first (a 64-bit guest load through
 * Unicorn's MMIO arrives so); the lower half's read ends the episode and latches the upper.
 */
TEST(SecureSrc, TsReadsAsTwoHalvesLowerFirst)
{
	Src t(DEV_SRC_UART);
	dev_src_start(t.d);
	sim_run_until(t.s.k, 10 * SIM_US);
	ASSERT_EQ(t.line, 1);
	uint64_t lo = t.rd(DEV_SRC_TS, 4), hi = t.rd(DEV_SRC_TS + 4, 4);
	EXPECT_EQ(hi << 32 | lo, 10 * SIM_US + 1);
	EXPECT_EQ(t.rd(DEV_SRC_TS, 8), 0u); /* the episode ended with the first half */
}

} // namespace
