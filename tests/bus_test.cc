// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/bus_test.cc: the platform's address map (sim/bus.h): regions,
 * offsets within a frame, and bus errors (RAZ/WI, traced, counted).
 */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plat_harness.h"
#include "sim/bus.h"
#include "testutil.h"

namespace {

/* A device that remembers the last access it saw. */
struct Dev {
	uint64_t off = ~0ull, val = 0;
	unsigned size = 0;
	bool secure = false;
	int refuse_size = 0; /* refuse accesses of this size */
	static int rd(void *d, uint64_t off, unsigned size, bool secure, uint64_t *val)
	{
		Dev *x = static_cast<Dev *>(d);
		if ((int)size == x->refuse_size)
			return -1;
		x->off = off, x->size = size, x->secure = secure;
		*val = 0x1000 + off;
		return 0;
	}
	static int wr(void *d, uint64_t off, unsigned size, bool secure, uint64_t val)
	{
		Dev *x = static_cast<Dev *>(d);
		if ((int)size == x->refuse_size)
			return -1;
		x->off = off, x->size = size, x->secure = secure, x->val = val;
		return 0;
	}
};

struct Bus {
	sim s{};
	sim_bus *b = nullptr;
	RecordLog log;
	Bus()
	{
		EXPECT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
		log.attach(s.tr);
		b = sim_bus_new(&s);
	}
	~Bus()
	{
		sim_bus_free(b);
		sim_fini(&s);
	}
};

/* bus.h: a device sees the offset within its frame and the access's security attribute. */
TEST(Bus, DeviceSeesOffsetWithinItsFrame)
{
	Bus t;
	Dev a, c;
	sim_bus_region ra{ 0x10000, 0x1000, "a", &a, Dev::rd, Dev::wr };
	sim_bus_region rc{ 0x30000, 0x2000, "c", &c, Dev::rd, Dev::wr };
	ASSERT_EQ(sim_bus_map(t.b, &rc), 0);
	ASSERT_EQ(sim_bus_map(t.b, &ra), 0);
	sim_bus_access ns{ 2, 1, false };
	uint64_t v = 0;
	EXPECT_EQ(sim_bus_read(t.b, &ns, 0x31ff8, 8, &v), 0);
	EXPECT_EQ(c.off, 0x1ff8u);
	EXPECT_EQ(c.size, 8u);
	EXPECT_FALSE(c.secure);
	EXPECT_EQ(v, 0x1000u + 0x1ff8u);
	sim_bus_access s{ 0, 3, true };
	EXPECT_EQ(sim_bus_write(t.b, &s, 0x10004, 4, 0xabc), 0);
	EXPECT_EQ(a.off, 4u);
	EXPECT_EQ(a.val, 0xabcu);
	EXPECT_TRUE(a.secure);
	EXPECT_EQ(sim_bus_errors(t.b), 0u);
}

/* bus.h: regions are disjoint, non-empty and do not wrap. */
TEST(Bus, MapRefusesOverlapEmptyAndWrap)
{
	Bus t;
	Dev d;
	sim_bus_region r{ 0x10000, 0x1000, "r", &d, Dev::rd, Dev::wr };
	ASSERT_EQ(sim_bus_map(t.b, &r), 0);
	sim_bus_region lo{ 0xf001, 0x1000, "lo", &d, Dev::rd, Dev::wr };  /* its last byte is 0x10000 */
	sim_bus_region hi{ 0x10fff, 0x10, "hi", &d, Dev::rd, Dev::wr };   /* its first byte is r's last */
	sim_bus_region empty{ 0x20000, 0, "e", &d, Dev::rd, Dev::wr };
	sim_bus_region wrap{ ~0ull - 0xf, 0x20, "w", &d, Dev::rd, Dev::wr };
	EXPECT_EQ(sim_bus_map(t.b, &lo), -1);
	EXPECT_EQ(sim_bus_map(t.b, &hi), -1);
	EXPECT_EQ(sim_bus_map(t.b, &empty), -1);
	EXPECT_EQ(sim_bus_map(t.b, &wrap), -1);
	sim_bus_region next{ 0x11000, 0x1000, "next", &d, Dev::rd, Dev::wr }; /* adjacent is fine */
	EXPECT_EQ(sim_bus_map(t.b, &next), 0);
	sim_bus_region top{ ~0ull - 0xfff, 0x1000, "top", &d, Dev::rd, Dev::wr }; /* up to the last byte */
	EXPECT_EQ(sim_bus_map(t.b, &top), 0);
	EXPECT_STREQ(sim_bus_find(t.b, ~0ull)->name, "top");
	EXPECT_STREQ(sim_bus_find(t.b, 0x11000)->name, "next");
	EXPECT_EQ(sim_bus_find(t.b, 0x12000), nullptr);
}

/*
 * bus.h: an access no device takes is completed RAZ/WI, and recorded: a
 * TR_EVENT "bus error" with the PE, the world, the address, the size and
 * the direction; one that runs past a frame's end, or that the device
 * refuses, too.
 */
TEST(Bus, ErrorIsRazWiTracedAndCounted)
{
	Bus t;
	Dev d;
	d.refuse_size = 2;
	sim_bus_region r{ 0x10000, 0x1000, "r", &d, Dev::rd, Dev::wr };
	ASSERT_EQ(sim_bus_map(t.b, &r), 0);
	sim_bus_access ns{ 1, 1, false }, sec{ 3, 1, true }, el3{ 0, 3, true };
	uint64_t v = 7;
	EXPECT_EQ(sim_bus_read(t.b, &ns, 0x9000, 4, &v), -1);
	EXPECT_EQ(v, 0u) << "RAZ";
	EXPECT_EQ(sim_bus_write(t.b, &sec, 0x10ffc, 8, 1), -1) << "runs past the frame's end";
	EXPECT_EQ(d.off, ~0ull) << "the device never saw it (WI)";
	EXPECT_EQ(sim_bus_write(t.b, &el3, 0x10000, 2, 1), -1) << "refused by the device";
	EXPECT_EQ(sim_bus_errors(t.b), 3u);
	std::vector<sim_rec> e;
	for (const auto &rec : t.log.recs)
		if (rec.kind == TR_EVENT && rec.code == SIM_EV_BUS_ERROR)
			e.push_back(rec);
	ASSERT_EQ(e.size(), 3u);
	EXPECT_EQ(e[0].cpu, 1);
	EXPECT_EQ(e[0].world, (uint32_t)SIM_WORLD_NS);
	EXPECT_EQ(e[0].a, 0x9000u);
	EXPECT_EQ(e[0].b, 4u);
	EXPECT_EQ(e[0].c, 0u) << "a read";
	EXPECT_EQ(e[1].world, (uint32_t)SIM_WORLD_S);
	EXPECT_EQ(e[1].c, 1u) << "a write";
	EXPECT_EQ(e[2].world, (uint32_t)SIM_WORLD_EL3);
}

/* A PE's store to an address the device tree maps to nothing: the run counts it in its summary. */
TEST(Bus, PlatformCountsAPeBusErrorInTheSummary)
{
	PlatHarness pl("bus.yaml");
	ASSERT_TRUE(pl.boot("name: b\nplatform: {cpus: 2}\n"));
	EXPECT_EQ(pe_mmio_write(pl.p->pe[1], 0x4000, 4, 1), -1);
	double v = -1;
	ASSERT_TRUE(stats_metric(pl.p->stats, "bus_errors", &v));
	EXPECT_EQ(v, 1.0);
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	stats_print_summary(pl.p->stats, f);
	fclose(f);
	EXPECT_NE(std::string(buf).find("bus errors 1"), std::string::npos) << buf;
	free(buf);
	/* the GIC's frames are where the device tree says */
	const sim_bus_region *gicd = sim_bus_find(pl.p->bus, pl.p->dt.gicd_base);
	ASSERT_NE(gicd, nullptr);
	EXPECT_STREQ(gicd->name, "GICD");
}

} // namespace
