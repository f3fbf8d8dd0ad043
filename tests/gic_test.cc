// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/gic_test.cc: rule tests for the GICv3 model (models/gic/gic.h).
 * Each test states one behaviour and cites where the rule comes from:
 * IHI 0069 register descriptions, docs/protocol.md sections (the project's
 * verified rule sheet), QEMU's hw/intc/arm_gicv3_*.c for choices the
 * architecture leaves open, or the model's own documented choice.
 */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/gic/gic.h"
#include "sim/kernel/wire.h"
#include "testutil.h"

namespace {

constexpr uint64_t D = GIC_VIRT_GICD_BASE; /* where the tests map the GICD frame (QEMU virt) */
constexpr uint64_t R = GIC_VIRT_GICR_BASE; /* ... and the GICR region */

uint64_t rdb(unsigned pe) { return R + (uint64_t)pe * GICR_STRIDE; }
uint64_t sgib(unsigned pe) { return rdb(pe) + GICR_SGI_OFFSET; }

/* A GIC in a simulation, with helpers that drive it the way firmware would. */
class Gic {
public:
	sim s{};
	gic *g = nullptr;
	sim_bus *bus = nullptr;
	RecordLog log;
	gic_config cfg{};

	explicit Gic(unsigned pes = 4, unsigned spis = 64)
	{
		EXPECT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
		log.attach(s.tr);
		gic_config_default(&cfg, pes, spis);
		g = gic_new(&s, &cfg);
		EXPECT_NE(g, nullptr);
		bus = sim_bus_new(&s);
		EXPECT_EQ(gic_map(g, bus, D, R), 0);
	}
	~Gic()
	{
		gic_free(g);
		sim_bus_free(bus);
		sim_fini(&s);
	}
	/* An access through the bus, as a PE makes it (Secure EL3 or Non-secure EL1). */
	int bus_rd(uint64_t a, unsigned size, bool sec, uint64_t *v)
	{
		sim_bus_access acc{ -1, sec ? 3u : 1u, sec };
		return sim_bus_read(bus, &acc, a, size, v);
	}
	int bus_wr(uint64_t a, unsigned size, bool sec, uint64_t v)
	{
		sim_bus_access acc{ -1, sec ? 3u : 1u, sec };
		return sim_bus_write(bus, &acc, a, size, v);
	}
	Gic(const Gic &) = delete;
	Gic &operator=(const Gic &) = delete;

	uint64_t rd(uint64_t a, bool sec = true, unsigned size = 4)
	{
		uint64_t v = ~0ull;
		EXPECT_EQ(bus_rd(a, size, sec, &v), 0) << std::hex << a;
		return v;
	}
	void wr(uint64_t a, uint64_t v, bool sec = true, unsigned size = 4)
	{
		EXPECT_EQ(bus_wr(a, size, sec, v), 0) << std::hex << a;
	}
	uint64_t icc_r(unsigned pe, unsigned el, bool sec, gic_icc_reg reg)
	{
		gic_icc_access acc{ pe, el, sec };
		uint64_t v = ~0ull;
		EXPECT_EQ(gic_icc_read(g, &acc, reg, &v), 0) << gic_icc_reg_name(reg);
		return v;
	}
	void icc_w(unsigned pe, unsigned el, bool sec, gic_icc_reg reg, uint64_t v)
	{
		gic_icc_access acc{ pe, el, sec };
		EXPECT_EQ(gic_icc_write(g, &acc, reg, v), 0) << gic_icc_reg_name(reg);
	}
	/* Acknowledge / EOI as Non-secure EL1 (Linux) unless told otherwise. */
	unsigned iar1(unsigned pe, unsigned el = 1, bool sec = false)
	{
		return (unsigned)icc_r(pe, el, sec, ICC_IAR1_EL1);
	}
	void eoi1(unsigned pe, unsigned intid, unsigned el = 1, bool sec = false)
	{
		icc_w(pe, el, sec, ICC_EOIR1_EL1, intid);
	}

	void run_ns(uint64_t ns) { sim_run_until(s.k, sim_now(s.k) + ns * SIM_NS); }
	void run_ps(uint64_t ps) { sim_run_until(s.k, sim_now(s.k) + ps); }
	sim_time now() const { return sim_now(s.k); }

	int irq(unsigned pe) { return gic_irq_wire(g, pe)->level; }
	int fiq(unsigned pe) { return gic_fiq_wire(g, pe)->level; }
	int wake(unsigned pe) { return gic_wake_wire(g, pe)->level; }

	/* Firmware boot as TF-A does it: groups on, every Redistributor awake, all
	 * groups enabled at every CPU interface, PMR open; PEs then run NS EL1. */
	void boot()
	{
		wr(D + GICD_CTLR, GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1NS | GICD_CTLR_ENABLEGRP1S);
		for (unsigned pe = 0; pe < cfg.num_pes; pe++) {
			wr(rdb(pe) + GICR_WAKER, 0);
			icc_w(pe, 3, true, ICC_IGRPEN1_EL3, 3);
			icc_w(pe, 3, true, ICC_IGRPEN0_EL1, 1);
			icc_w(pe, 3, true, ICC_PMR_EL1, 0xff);
			gic_pe_state(g, pe, 1, false);
		}
		settle();
	}
	void settle()
	{
		run_ns(1000);
		log.recs.clear();
	}

	uint64_t frame(unsigned pe, unsigned intid) { return intid < 32 ? sgib(pe) : D; }
	void set_bit(unsigned pe, unsigned intid, uint32_t reg, bool v)
	{
		uint64_t a = frame(pe, intid) + reg + intid / 32 * 4;
		uint64_t old = rd(a);
		uint64_t bit = 1ull << (intid % 32);
		wr(a, v ? (old | bit) : (old & ~bit));
	}
	void group(unsigned pe, unsigned intid, gic_group grp)
	{
		set_bit(pe, intid, GICD_IGROUPR, grp == GIC_G1NS);
		set_bit(pe, intid, GICD_IGRPMODR, grp == GIC_G1S);
	}
	void prio(unsigned pe, unsigned intid, uint8_t p)
	{
		wr(frame(pe, intid) + GICD_IPRIORITYR + intid, p, true, 1);
	}
	void enable(unsigned pe, unsigned intid)
	{
		wr(frame(pe, intid) + GICD_ISENABLER + intid / 32 * 4, 1u << (intid % 32));
	}
	void pend(unsigned pe, unsigned intid, bool sec = true)
	{
		wr(frame(pe, intid) + GICD_ISPENDR + intid / 32 * 4, 1u << (intid % 32), sec);
	}
	void unpend(unsigned pe, unsigned intid, bool sec = true)
	{
		wr(frame(pe, intid) + GICD_ICPENDR + intid / 32 * 4, 1u << (intid % 32), sec);
	}
	void edge(unsigned pe, unsigned intid, bool e)
	{
		uint64_t a = frame(pe, intid) + GICD_ICFGR + intid / 16 * 4;
		uint64_t bit = 2ull << (2 * (intid % 16));
		uint64_t old = rd(a);
		wr(a, e ? (old | bit) : (old & ~bit));
	}
	void irouter(unsigned intid, uint64_t v) { wr(D + GICD_IROUTER + 8 * intid, v, true, 8); }
	void route_to(unsigned intid, unsigned pe) { irouter(intid, gic_pe_affinity(pe)); }
	void route_1ofn(unsigned intid) { irouter(intid, GICD_IROUTER_IRM); }

	/* Configure an SPI: group, priority, target, enable, trigger. */
	void spi(unsigned intid, gic_group grp, uint8_t p, unsigned target, bool is_edge = false)
	{
		group(0, intid, grp);
		prio(0, intid, p);
		route_to(intid, target);
		edge(0, intid, is_edge);
		enable(0, intid);
	}
	/* Configure an SGI/PPI on one PE. */
	void priv(unsigned pe, unsigned intid, gic_group grp, uint8_t p)
	{
		group(pe, intid, grp);
		prio(pe, intid, p);
		enable(pe, intid);
	}

	size_t count(unsigned kind) const { return log.count(kind); }
	std::vector<sim_rec> recs(unsigned kind) const
	{
		std::vector<sim_rec> out;
		for (const auto &r : log.recs)
			if (r.kind == kind)
				out.push_back(r);
		return out;
	}
};

/* ===================== Distributor registers ===================== */

/* IHI 0069 GICD_TYPER: ITLinesNumber = N where 32(N+1) INTIDs are supported,
 * CPUNumber, SecurityExtn [10], IDbits [23:19], No1N [25] = 0 (1-of-N supported). */
TEST(GicDist, TyperReportsLinesPesSecurityAndOneOfN)
{
	Gic t(4, 64);
	uint64_t v = t.rd(D + GICD_TYPER);
	EXPECT_EQ(v & 0x1f, 2u);           /* 96 INTIDs */
	EXPECT_EQ((v >> 5) & 7, 3u);       /* 4 PEs */
	EXPECT_EQ((v >> 10) & 1, 1u);      /* two Security states */
	EXPECT_EQ((v >> 19) & 0x1f, 9u);   /* 10 INTID bits */
	EXPECT_EQ((v >> 25) & 1, 0u);      /* No1N = 0 */
	EXPECT_EQ((v >> 17) & 1, 0u);      /* no LPIs */
}

/* IHI 0069 GICD_IIDR / GICD_PIDR2.ArchRev [7:4] = 3 for GICv3; GICR has the same. */
TEST(GicDist, IidrAndPidr2IdentifyGicv3)
{
	Gic t(2, 32);
	EXPECT_EQ(t.rd(D + GICD_IIDR), (uint64_t)GIC_IIDR_VALUE);
	EXPECT_EQ(t.rd(D + GICD_IIDR) & 0xfff, 0x43Bu);
	EXPECT_EQ((t.rd(D + GICD_PIDR2) >> 4) & 0xf, 3u);
	EXPECT_EQ((t.rd(rdb(1) + GICR_PIDR2) >> 4) & 0xf, 3u);
	EXPECT_EQ(t.rd(rdb(1) + GICR_IIDR), (uint64_t)GIC_IIDR_VALUE);
}

/* IHI 0069 GICD_CTLR: Secure view has EnableGrp0/1NS/1S, ARE_S/ARE_NS; the
 * Non-secure view (DS=0) has EnableGrp1 (alias of EnableGrp1NS) at bit 0 and
 * ARE_NS at bit 4; RWP reads 0. */
TEST(GicDist, CtlrHasSecureAndNonSecureViews)
{
	Gic t;
	t.wr(D + GICD_CTLR, 0x7);
	EXPECT_EQ(t.rd(D + GICD_CTLR), 0x37u);
	/* NS view with ARE_NS=1: EnableGrp1A [1] aliases EnableGrp1NS, ARE_NS [4] (QEMU gicd_readl) */
	EXPECT_EQ(t.rd(D + GICD_CTLR, false), 0x12u);
	t.wr(D + GICD_CTLR, 0, false); /* NS clears only EnableGrp1NS */
	EXPECT_EQ(t.rd(D + GICD_CTLR), 0x35u);
	EXPECT_EQ(t.rd(D + GICD_CTLR, false), 0x10u);
	t.wr(D + GICD_CTLR, 0x12, false); /* Linux: ARE_NS | EnableGrp1A */
	EXPECT_EQ(t.rd(D + GICD_CTLR), 0x37u);
	EXPECT_EQ(t.rd(D + GICD_CTLR) & GICD_CTLR_RWP, 0u);
	EXPECT_EQ(t.rd(D + GICD_CTLR) & GICD_CTLR_DS, 0u); /* DS=0 by default */
}

/*
 * gic.h and sim/bus.h: outside the frames is a bus error (RAZ, recorded);
 * reserved offsets inside are RAZ/WI; a size or alignment the registers do
 * not support is refused by the GIC and becomes a bus error.
 */
TEST(GicDist, OutsideFramesIsBusErrorInsideReservedIsRaz)
{
	Gic t(2, 32);
	uint64_t v = 5;
	EXPECT_EQ(t.bus_rd(D - 4, 4, true, &v), -1);
	EXPECT_EQ(v, 0u) << "a bus error reads as zero";
	EXPECT_EQ(t.bus_rd(rdb(2), 4, true, &v), -1); /* past the last GICR */
	EXPECT_EQ(t.bus_rd(D + 0x5000, 4, true, &v), 0);
	EXPECT_EQ(v, 0u);
	EXPECT_EQ(t.bus_wr(D + 0x5000, 4, true, 1), 0);
	EXPECT_EQ(t.bus_rd(D + GICD_CTLR, 2, true, &v), -1); /* unsupported size */
	EXPECT_EQ(t.bus_rd(D + GICD_CTLR + 2, 4, true, &v), -1); /* misaligned */
	EXPECT_EQ(sim_bus_errors(t.bus), 4u);
	unsigned traced = 0;
	for (const auto &r : t.log.recs)
		traced += r.kind == TR_EVENT && r.code == SIM_EV_BUS_ERROR && std::string(r.label) == "bus error";
	EXPECT_EQ(traced, 4u) << "every bus error is a trace record";
	/* the GIC itself sees offsets: its frames are where the bus maps them */
	EXPECT_EQ(gic_dist_mmio_read(t.g, GICD_FRAME_SIZE, 4, true, &v), -1);
	EXPECT_EQ(gic_redist_mmio_read(t.g, gic_redist_region_size(t.g), 4, true, &v), -1);
	EXPECT_EQ(gic_dist_mmio_read(t.g, GICD_TYPER, 4, true, &v), 0);
}

/* docs/protocol.md §3.1 (Verified): with affinity routing on, GICD_ISPENDR0 (and the
 * other SGI/PPI bits of GICD) are RAZ/WI; GICR_ISPENDR0 provides the function. */
TEST(GicDist, SgiPpiBitsInGicdAreRazWi)
{
	Gic t(2, 32);
	t.boot();
	t.wr(D + GICD_ISPENDR, 1u << 20);
	t.wr(D + GICD_ISENABLER, 0xffffffff);
	EXPECT_FALSE(gic_is_pending(t.g, 0, 20));
	EXPECT_EQ(t.rd(D + GICD_ISENABLER), 0u);
	EXPECT_EQ(t.rd(sgib(0) + GICR_ISENABLER0), 0u);
}

/* IHI 0069 GICD_ISENABLER/ISPENDR/IPRIORITYR/IGROUPR: with DS=0 the bits of
 * Group 0 and Secure Group 1 interrupts are RAZ/WI to Non-secure accesses. */
TEST(GicDist, NonSecureAccessToSecureInterruptBitsIsRazWi)
{
	Gic t;
	t.boot();
	const unsigned id = 40; /* Group 0 at reset */
	t.wr(D + GICD_ISENABLER + 4, 1u << (id % 32), false);
	EXPECT_EQ(t.rd(D + GICD_ISENABLER + 4) & (1u << 8), 0u);
	t.enable(0, id);
	EXPECT_EQ(t.rd(D + GICD_ISENABLER + 4, false), 0u); /* NS reads 0 */
	t.wr(D + GICD_ISPENDR + 4, 1u << 8, false);
	EXPECT_FALSE(gic_is_pending(t.g, 0, id));
	t.wr(D + GICD_IPRIORITYR + id, 0x40, false, 1);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + id, true, 1), 0u);
	t.wr(D + GICD_IGROUPR + 4, 1u << 8, false); /* NS cannot regroup */
	EXPECT_EQ(gic_get_group(t.g, 0, id), GIC_G0);
	t.group(0, id, GIC_G1NS);
	EXPECT_EQ(t.rd(D + GICD_IGROUPR + 4, false), 0u); /* IGROUPR is Secure-only */
	EXPECT_EQ(t.rd(D + GICD_ISENABLER + 4, false), 1u << 8); /* now G1NS: visible */
}

/* IHI 0069 GICD_NSACR (gem5 too): NS_access >= 1 lets Non-secure software set a
 * Secure interrupt pending; clearing needs >= 2. */
TEST(GicDist, NsacrLetsNonSecureSetPendingOnSecureSpi)
{
	Gic t;
	t.boot();
	const unsigned id = 40;
	t.wr(D + GICD_NSACR + id / 16 * 4, 1u << (2 * (id % 16)));
	EXPECT_EQ(t.rd(D + GICD_NSACR + id / 16 * 4, false), 0u); /* NSACR itself Secure-only */
	t.pend(0, id, false);
	EXPECT_TRUE(gic_is_pending(t.g, 0, id));
	t.unpend(0, id, false);
	EXPECT_TRUE(gic_is_pending(t.g, 0, id)); /* clear needs NSACR >= 2 */
}

/* IHI 0069 "Non-secure accesses to interrupt priority fields": an NS write of v to
 * a G1NS priority stores (v >> 1) | 0x80; an NS read returns the value shifted left. */
TEST(GicDist, NonSecurePriorityViewIsShifted)
{
	Gic t;
	const unsigned id = 41;
	t.group(0, id, GIC_G1NS);
	t.wr(D + GICD_IPRIORITYR + id, 0xA0, false, 1);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + id, true, 1), 0xD0u);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + id, false, 1), 0xA0u);
	t.wr(D + GICD_IPRIORITYR + id, 0x10, true, 1);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + id, false, 1), 0x20u);
}

/* IHI 0069 GICD_IPRIORITYR: unimplemented low-order priority bits are RAZ/WI
 * (5 bits implemented by default). */
TEST(GicDist, UnimplementedPriorityBitsReadAsZero)
{
	Gic t;
	t.prio(0, 40, 0xff);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + 40, true, 1), 0xF8u);
}

/* IHI 0069: IPRIORITYR is byte-accessible; a word access covers four INTIDs. */
TEST(GicDist, IpriorityrAcceptsByteAndWordAccess)
{
	Gic t;
	t.wr(D + GICD_IPRIORITYR + 40, 0x80706050u);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + 41, true, 1), 0x60u);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + 43, true, 1), 0x80u);
	t.wr(D + GICD_IPRIORITYR + 42, 0x10, true, 1);
	EXPECT_EQ(t.rd(D + GICD_IPRIORITYR + 40), 0x80106050u);
}

/* IHI 0069 GICD_IROUTER: 64-bit, Aff3 [39:32], IRM [31], Aff2..Aff0 [23:0]; also
 * accessible as two 32-bit halves. */
TEST(GicDist, IrouterAccepts64BitAndHalfWordAccess)
{
	Gic t(4, 64);
	t.irouter(40, 0xFF'FFFF'FFFFull);
	EXPECT_EQ(t.rd(D + GICD_IROUTER + 8 * 40, true, 8), 0xFF80FFFFFFull);
	t.wr(D + GICD_IROUTER + 8 * 41, 0x3, true, 4);
	t.wr(D + GICD_IROUTER + 8 * 41 + 4, 0x0, true, 4);
	EXPECT_EQ(t.rd(D + GICD_IROUTER + 8 * 41, true, 8), 0x3ull);
	EXPECT_EQ(gic_spi_target(t.g, 41), 3);
	EXPECT_EQ(t.rd(D + GICD_IROUTER + 8 * 41 + 4), 0u);
}

/* IHI 0069 GICD_ICFGR<n>: bit [2n+1] = 1 edge-triggered. */
TEST(GicDist, IcfgrSelectsEdgeOrLevel)
{
	Gic t;
	t.edge(0, 45, true);
	EXPECT_EQ(t.rd(D + GICD_ICFGR + 45 / 16 * 4), 2u << (2 * (45 % 16)));
	t.boot();
	t.spi(45, GIC_G1NS, 0x80, 0, true);
	gic_spi_input(t.g, 45, 1);
	gic_spi_input(t.g, 45, 0);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 45)); /* edge: latched */
}

/* ===================== Redistributor registers ===================== */

/* IHI 0069 GICR_TYPER: Affinity_Value [63:32], Processor_Number [23:8], Last [4]
 * on the highest Redistributor, DPGS [5]. */
TEST(GicRedist, TyperReportsAffinityNumberLastAndDpgs)
{
	Gic t(20, 32);
	uint64_t v = t.rd(rdb(17) + GICR_TYPER, true, 8);
	EXPECT_EQ(v >> 32, 0x0101u);          /* Aff1 = 1, Aff0 = 1 */
	EXPECT_EQ((v >> 8) & 0xffff, 17u);
	EXPECT_EQ((v >> 4) & 1, 0u);
	EXPECT_EQ((v >> 5) & 1, 1u);
	EXPECT_EQ((t.rd(rdb(19) + GICR_TYPER) >> 4) & 1, 1u);
	EXPECT_EQ(t.rd(rdb(19) + GICR_TYPER + 4), 0x0103u);
	EXPECT_EQ(gic_pe_from_affinity(t.g, 0x0103), 19);
	EXPECT_EQ(gic_pe_from_affinity(t.g, 0x0104), -1);
}

/* docs/protocol.md §5.5 (GICR_WAKER, Verified): ProcessorSleep and ChildrenAsleep reset
 * to 1; ChildrenAsleep follows ProcessorSleep; RAZ/WI to NS accesses when DS=0. */
TEST(GicRedist, WakerResetsAsleepAndIsSecureOnly)
{
	Gic t(2, 32);
	EXPECT_EQ(t.rd(rdb(1) + GICR_WAKER), 0x6u);
	EXPECT_EQ(t.rd(rdb(1) + GICR_WAKER, false), 0u);
	t.wr(rdb(1) + GICR_WAKER, 0, false);
	EXPECT_EQ(t.rd(rdb(1) + GICR_WAKER), 0x6u);
	t.wr(rdb(1) + GICR_WAKER, 0);
	EXPECT_EQ(t.rd(rdb(1) + GICR_WAKER), 0u);
	t.wr(rdb(1) + GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	EXPECT_EQ(t.rd(rdb(1) + GICR_WAKER), 0x6u);
}

/* docs/protocol.md §5.4: SGIs are always edge-triggered; GICR_ICFGR0 is read-only. */
TEST(GicRedist, Icfgr0IsReadOnlyEdge)
{
	Gic t(1, 32);
	EXPECT_EQ(t.rd(sgib(0) + GICR_ICFGR0), 0xAAAAAAAAu);
	t.wr(sgib(0) + GICR_ICFGR0, 0);
	EXPECT_EQ(t.rd(sgib(0) + GICR_ICFGR0), 0xAAAAAAAAu);
	t.wr(sgib(0) + GICR_ICFGR1, 2u << 2); /* PPI 17 edge */
	EXPECT_EQ(t.rd(sgib(0) + GICR_ICFGR1), 2u << 2);
}

/* docs/protocol.md §5.5 (Verified; IHI 0069 11.1): with ProcessorSleep == 1 the
 * interrupt is held pending in the Redistributor, never signalled, and
 * WakeRequest is asserted; clearing ProcessorSleep drops WakeRequest and the
 * interrupt is then delivered. */
TEST(GicRedist, SleepingPeHoldsInterruptPendingAndRaisesWakeRequest)
{
	Gic t(2, 32);
	t.boot();
	t.priv(1, 20, GIC_G1NS, 0x80);
	t.wr(rdb(1) + GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	t.settle();
	gic_ppi_input(t.g, 1 * 32 + 20, 1);
	t.run_ns(100);
	EXPECT_TRUE(gic_is_pending(t.g, 1, 20));
	EXPECT_EQ(t.irq(1), 0);
	EXPECT_EQ(t.fiq(1), 0);
	EXPECT_EQ(t.wake(1), 1);
	EXPECT_EQ(t.iar1(1), (unsigned)GIC_SPURIOUS);
	auto w = t.recs(TR_GIC_WAKE);
	ASSERT_EQ(w.size(), 1u);
	EXPECT_EQ(w[0].cpu, 1);
	EXPECT_EQ(w[0].a, 1u);
	t.wr(rdb(1) + GICR_WAKER, 0);
	EXPECT_EQ(t.wake(1), 0); /* at once */
	t.run_ns(99);
	EXPECT_EQ(t.irq(1), 0);
	t.run_ns(1);
	EXPECT_EQ(t.irq(1), 1);
	EXPECT_EQ(t.iar1(1), 20u);
}

/* docs/protocol.md §5.5: WakeRequest ignores PMR and ICC_IGRPEN (the CPU interface is
 * powered down) but needs the group enabled at the Distributor. */
TEST(GicRedist, WakeRequestIgnoresPmrAndIgrpenButNeedsDistributorEnable)
{
	Gic t(2, 64);
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 1);
	t.icc_w(1, 3, true, ICC_PMR_EL1, 0);
	t.icc_w(1, 3, true, ICC_IGRPEN1_EL3, 0);
	t.wr(rdb(1) + GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	t.wr(D + GICD_CTLR, GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1S); /* G1NS off */
	t.settle();
	t.pend(0, 40);
	t.run_ns(200);
	EXPECT_EQ(t.wake(1), 0);
	t.wr(D + GICD_CTLR, 0x7);
	t.run_ns(100);
	EXPECT_EQ(t.wake(1), 1);
	EXPECT_EQ(t.wake(0), 0);
}

/* IHI 0069 GICR_CTLR.DPG*: implemented when GICR_TYPER.DPGS == 1; DPG1S is
 * Secure-only (NS view RAZ/WI). */
TEST(GicRedist, CtlrDpgBitsAndNonSecureView)
{
	Gic t(2, 32);
	t.wr(rdb(0) + GICR_CTLR, GICR_CTLR_DPG0 | GICR_CTLR_DPG1NS | GICR_CTLR_DPG1S, false);
	EXPECT_EQ(t.rd(rdb(0) + GICR_CTLR), (uint64_t)GICR_CTLR_DPG1NS);
	t.wr(rdb(0) + GICR_CTLR, GICR_CTLR_DPG1S | GICR_CTLR_DPG1NS);
	EXPECT_EQ(t.rd(rdb(0) + GICR_CTLR, false), (uint64_t)GICR_CTLR_DPG1NS);
	EXPECT_EQ(t.rd(rdb(0) + GICR_CTLR), (uint64_t)(GICR_CTLR_DPG1S | GICR_CTLR_DPG1NS));
}

/* ===================== Pending-state rules ===================== */

/* IHI 0069 "Level-sensitive interrupts": pending while the line is asserted. */
TEST(GicPend, LevelInterruptFollowsItsInput)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.settle();
	gic_spi_input(t.g, 40, 1);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	gic_spi_input(t.g, 40, 0);
	EXPECT_FALSE(gic_is_pending(t.g, 0, 40));
	EXPECT_EQ(t.count(TR_GIC_CLEAR), 1u);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 0);
}

/* docs/protocol.md §5.4 (Verified): ISPENDR on a level interrupt latches pending
 * regardless of the line; it stays pending after the line drops. */
TEST(GicPend, IspendrLatchKeepsLevelInterruptPendingAfterLineDrops)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	gic_spi_input(t.g, 40, 1);
	t.pend(0, 40);
	gic_spi_input(t.g, 40, 0);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
}

/* docs/protocol.md §5.4 (Verified): ICPENDR clears only the software latch; an asserted
 * line keeps a level interrupt pending. */
TEST(GicPend, IcpendrClearsOnlyTheSoftwareLatch)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	gic_spi_input(t.g, 40, 1);
	t.pend(0, 40);
	t.unpend(0, 40);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40)); /* line still high */
	gic_spi_input(t.g, 40, 0);
	EXPECT_FALSE(gic_is_pending(t.g, 0, 40)); /* the latch was cleared */
}

/* docs/protocol.md §5.4 (gem5 treatAsEdgeTriggered): acknowledge clears the software
 * latch of a level interrupt, so it does not fire again after EOI. */
TEST(GicPend, AcknowledgeClearsTheLevelLatch)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	EXPECT_FALSE(gic_is_pending(t.g, 0, 40));
	EXPECT_TRUE(gic_is_active(t.g, 0, 40));
	t.eoi1(0, 40);
	t.run_ns(200);
	EXPECT_EQ(t.irq(0), 0);
	EXPECT_FALSE(gic_is_active(t.g, 0, 40));
}

/* IHI 0069: a level line still asserted at acknowledge leaves the interrupt active
 * and pending; it fires again once deactivated. */
TEST(GicPend, LevelLineStillHighAfterAckIsActiveAndPending)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	gic_spi_input(t.g, 40, 1);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
	EXPECT_TRUE(gic_is_active(t.g, 0, 40));
	t.eoi1(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
}

/* docs/protocol.md §5.4: edge pending stays until acknowledged or cleared by ICPENDR. */
TEST(GicPend, EdgePendingStaysUntilAcknowledgeOrIcpendr)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0, true);
	gic_spi_input(t.g, 40, 1);
	gic_spi_input(t.g, 40, 0);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
	t.unpend(0, 40);
	EXPECT_FALSE(gic_is_pending(t.g, 0, 40));
	gic_spi_input(t.g, 40, 1);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	EXPECT_FALSE(gic_is_pending(t.g, 0, 40));
}

/* docs/protocol.md §5.4: an edge raised again while active becomes active and pending,
 * is not signalled while active, and fires again after deactivation. */
TEST(GicPend, EdgeReraiseWhileActiveFiresAgainAfterDeactivate)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0, true);
	t.icc_w(0, 1, false, ICC_CTLR_EL1, ICC_CTLR_EL1_EOIMODE);
	gic_spi_input(t.g, 40, 1);
	gic_spi_input(t.g, 40, 0);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	t.eoi1(0, 40); /* priority drop only: still active */
	gic_spi_input(t.g, 40, 1);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
	EXPECT_TRUE(gic_is_active(t.g, 0, 40));
	t.run_ns(500);
	EXPECT_EQ(t.irq(0), 0);
	t.icc_w(0, 1, false, ICC_DIR_EL1, 40);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	EXPECT_EQ(t.iar1(0), 40u);
}

/* docs/protocol.md §5.4: a pend while already pending changes nothing (one pending bit). */
TEST(GicPend, RepeatedPendWhilePendingCoalesces)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0, true);
	t.pend(0, 40);
	t.pend(0, 40);
	t.pend(0, 40);
	EXPECT_EQ(t.count(TR_GIC_PEND), 1u);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	t.eoi1(0, 40);
	t.run_ns(200);
	EXPECT_EQ(t.irq(0), 0);
	EXPECT_EQ(t.iar1(0), (unsigned)GIC_SPURIOUS);
}

/* GICR_ISPENDR0 sets an SGI pending (IHI 0069 GICR_ISPENDR0); a disabled
 * interrupt stays pending but is not signalled. */
TEST(GicPend, DisabledInterruptStaysPendingButIsNotSignalled)
{
	Gic t(1, 32);
	t.boot();
	t.group(0, 5, GIC_G1NS);
	t.pend(0, 5);
	t.run_ns(200);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 5));
	EXPECT_EQ(t.irq(0), 0);
	t.enable(0, 5);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
}

/* ===================== CPU interface ===================== */

/* IHI 0069 "Interrupt prioritization": lower value = higher priority. */
TEST(GicCpuif, HighestPriorityIsAcknowledgedFirst)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0xA0, 0);
	t.spi(41, GIC_G1NS, 0x60, 0);
	t.spi(42, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.pend(0, 41);
	t.pend(0, 42);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 41u);
}

/* Equal priority: the lowest INTID wins (IMPLEMENTATION DEFINED in IHI 0069; the
 * model's choice, as QEMU's irqbetter()). */
TEST(GicCpuif, EqualPriorityLowestIntidWins)
{
	Gic t;
	t.boot();
	t.spi(45, GIC_G1NS, 0x80, 0);
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.priv(0, 20, GIC_G1NS, 0x80);
	t.pend(0, 45);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	t.pend(0, 20);
	t.eoi1(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 20u);
}

/* IHI 0069 ICC_PMR_EL1: only priorities strictly higher than PMR are signalled. */
TEST(GicCpuif, PmrMasksEqualAndLowerPriorities)
{
	Gic t;
	t.boot();
	t.icc_w(0, 3, true, ICC_PMR_EL1, 0x80);
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 0);
	EXPECT_EQ(t.iar1(0), (unsigned)GIC_SPURIOUS);
	t.prio(0, 40, 0x78);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	t.icc_w(0, 3, true, ICC_PMR_EL1, 0x70); /* PMR acts at once */
	EXPECT_EQ(t.irq(0), 0);
}

/* IHI 0069 "Preemption" (QEMU icc_hppi_can_preempt): a pending interrupt preempts
 * only with a strictly higher group priority than the running priority. */
TEST(GicCpuif, PreemptionNeedsStrictlyHigherGroupPriority)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.spi(41, GIC_G1NS, 0x80, 0);
	t.spi(42, GIC_G1NS, 0x70, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	t.pend(0, 41);
	t.run_ns(200);
	EXPECT_EQ(t.irq(0), 0); /* same priority: no preemption */
	t.pend(0, 42);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	EXPECT_EQ(t.iar1(0), 42u);
}

/* IHI 0069 ICC_BPR1_EL1: a larger binary point widens the subpriority, so two
 * priorities in the same group priority do not preempt each other. */
TEST(GicCpuif, BinaryPointDecidesPreemption)
{
	Gic t;
	t.boot();
	t.icc_w(0, 1, false, ICC_BPR1_EL1, 5); /* NS: group priority [7:5] */
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_BPR1_EL1), 5u);
	t.spi(40, GIC_G1NS, 0x88, 0);
	t.spi(41, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	t.pend(0, 41);
	t.run_ns(200);
	EXPECT_EQ(t.irq(0), 0);
	/* The active priority was recorded as group priority 0x80: 0x70 is in group
	 * 0x60 under [7:5] and preempts. */
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_RPR_EL1), 0x80u);
	t.spi(42, GIC_G1NS, 0x70, 0);
	t.pend(0, 42);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	EXPECT_EQ(t.iar1(0), 42u);
	t.icc_w(0, 1, false, ICC_BPR1_EL1, 0); /* below minimum -> minimum (3 for NS) */
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_BPR1_EL1), 3u);
}

/* docs/protocol.md §5.5: EOImode 0 -> the EOIR write drops priority and deactivates. */
TEST(GicCpuif, Eoimode0EoirDropsPriorityAndDeactivates)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_RPR_EL1), 0x80u);
	t.eoi1(0, 40);
	EXPECT_FALSE(gic_is_active(t.g, 0, 40));
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_RPR_EL1), 0xffu);
}

/* docs/protocol.md §5.5: EOImode 1 -> EOIR only drops priority; ICC_DIR_EL1 deactivates. */
TEST(GicCpuif, Eoimode1NeedsDirToDeactivate)
{
	Gic t;
	t.boot();
	t.icc_w(0, 1, false, ICC_CTLR_EL1, ICC_CTLR_EL1_EOIMODE);
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	t.eoi1(0, 40);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_RPR_EL1), 0xffu);
	EXPECT_TRUE(gic_is_active(t.g, 0, 40));
	t.icc_w(0, 1, false, ICC_DIR_EL1, 40);
	EXPECT_FALSE(gic_is_active(t.g, 0, 40));
	EXPECT_EQ(t.count(TR_GIC_DEACT), 1u);
}

/* IHI 0069 ICC_DIR_EL1: with EOImode 0 a DIR write has no effect. */
TEST(GicCpuif, DirIsIgnoredInEoimode0)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	t.icc_w(0, 1, false, ICC_DIR_EL1, 40);
	EXPECT_TRUE(gic_is_active(t.g, 0, 40));
}

/* IHI 0069 ICC_IAR1_EL1: 1023 when there is no eligible pending interrupt. */
TEST(GicCpuif, IarReturnsSpuriousWhenNothingEligible)
{
	Gic t;
	t.boot();
	EXPECT_EQ(t.iar1(0), (unsigned)GIC_SPURIOUS);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_IAR0_EL1), (uint64_t)GIC_SPURIOUS);
	EXPECT_EQ(t.count(TR_GIC_ACK), 0u);
}

/* docs/protocol.md §5.5 / QEMU icc_hppir1_value: IAR1 at Secure EL1 returns only G1S;
 * a pending G1NS HPPI gives 1023 and stays pending. */
TEST(GicCpuif, Iar1FromSecureDoesNotAcknowledgeNonSecureGroup1)
{
	Gic t;
	t.boot();
	gic_pe_state(t.g, 0, 1, true);
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0, 1, true), (unsigned)GIC_SPURIOUS);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
	EXPECT_FALSE(gic_is_active(t.g, 0, 40));
}

/* QEMU icc_hppir1_value: IAR1 in Non-secure state never returns a G1S interrupt. */
TEST(GicCpuif, Iar1FromNonSecureDoesNotAcknowledgeSecureGroup1)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1S, 0x40, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), (unsigned)GIC_SPURIOUS);
	EXPECT_EQ(t.iar1(0, 1, true), 40u);
}

/* IHI 0069 CheckGroup0ForSpecialIdentifiers: at EL3, IAR0 reports 1020 / 1021
 * for a pending Secure / Non-secure Group 1 HPPI without acknowledging it. */
TEST(GicCpuif, Iar0AtEl3ReportsSpecialIntidForGroup1)
{
	Gic t;
	t.boot();
	gic_pe_state(t.g, 0, 3, true);
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_IAR0_EL1), 1021u);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
	t.spi(41, GIC_G1S, 0x40, 0);
	t.pend(0, 41);
	t.run_ns(100);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_HPPIR0_EL1), 1020u);
}

/* IHI 0069 ICC_HPPIR1_EL1: reports the HPPI without changing its state. */
TEST(GicCpuif, HppirReportsWithoutAcknowledging)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_HPPIR1_EL1), (uint64_t)GIC_SPURIOUS); /* not yet forwarded */
	t.run_ns(100);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_HPPIR1_EL1), 40u);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_HPPIR0_EL1), (uint64_t)GIC_SPURIOUS);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 40));
	EXPECT_FALSE(gic_is_active(t.g, 0, 40));
}

/* QEMU icc_rpr_read / IHI 0069 ICC_RPR_EL1: running priority from the APRs, 0xFF
 * idle; Non-secure reads see the NS view (shifted, Secure values as 0). */
TEST(GicCpuif, RprShowsRunningPriorityInBothViews)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0xA0, 0);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_RPR_EL1), 0xffu);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 40u);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_RPR_EL1), 0xA0u);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_RPR_EL1), 0x40u);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_AP1R0_EL1), 1u << (0xA0 >> 3));
	EXPECT_EQ(t.icc_r(0, 1, true, ICC_AP1R0_EL1), 0u); /* banked: Secure copy idle */
}

/* QEMU icc_pmr_write/read: NS writes v as (v >> 1) | 0x80 and reads shifted left;
 * NS cannot change a PMR holding a Secure value (< 0x80). */
TEST(GicCpuif, PmrNonSecureViewIsShifted)
{
	Gic t;
	t.icc_w(0, 3, true, ICC_PMR_EL1, 0x80); /* reset value 0 is a Secure value */
	t.icc_w(0, 1, false, ICC_PMR_EL1, 0xf0);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_PMR_EL1), 0xF8u);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_PMR_EL1), 0xF0u);
	t.icc_w(0, 1, false, ICC_PMR_EL1, 0x80);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_PMR_EL1), 0xC0u);
	t.icc_w(0, 3, true, ICC_PMR_EL1, 0x40);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_PMR_EL1), 0u);
	t.icc_w(0, 1, false, ICC_PMR_EL1, 0xff);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_PMR_EL1), 0x40u);
}

/* IHI 0069 ICC_IGRPEN1_EL1 (banked) / ICC_IGRPEN1_EL3: a group disabled at the CPU
 * interface is not signalled; re-enabling acts at once. */
TEST(GicCpuif, GroupDisabledAtCpuInterfaceIsNotSignalled)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.icc_w(0, 1, false, ICC_IGRPEN1_EL1, 0);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_IGRPEN1_EL3), 2u); /* G1S still on */
	EXPECT_EQ(t.icc_r(0, 1, true, ICC_IGRPEN1_EL1), 1u);
	t.pend(0, 40);
	t.run_ns(200);
	EXPECT_EQ(t.irq(0), 0);
	t.icc_w(0, 1, false, ICC_IGRPEN1_EL1, 1);
	EXPECT_EQ(t.irq(0), 1);
}

/* Only the single HPPI is considered: a higher-priority G1NS interrupt hides a
 * pending G1S one from IAR1 at Secure EL1 (QEMU: one hppi per CPU interface). */
TEST(GicCpuif, OnlyTheSingleHppiIsConsidered)
{
	Gic t;
	t.boot();
	gic_pe_state(t.g, 0, 1, true);
	t.spi(40, GIC_G1NS, 0x10, 0);
	t.spi(41, GIC_G1S, 0x40, 0);
	t.pend(0, 40);
	t.pend(0, 41);
	t.run_ns(100);
	EXPECT_EQ(t.fiq(0), 1); /* G1NS in Secure state */
	EXPECT_EQ(t.iar1(0, 1, true), (unsigned)GIC_SPURIOUS);
}

/* docs/protocol.md §5.2: the wire follows the PE's state at once (the CPU interface is
 * part of the PE). */
TEST(GicCpuif, PeStateChangeMovesSignalBetweenIrqAndFiqAtOnce)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	gic_pe_state(t.g, 0, 1, true);
	EXPECT_EQ(t.irq(0), 0);
	EXPECT_EQ(t.fiq(0), 1);
	gic_pe_state(t.g, 0, 2, false);
	EXPECT_EQ(t.irq(0), 1);
	EXPECT_EQ(t.fiq(0), 0);
}

/* docs/protocol.md §5.2 (IHI 0069 4.6.2; TF-A plat_interrupt_type_to_line): IRQ or FIQ
 * by group and the PE's current Security state / EL. */
struct WireCase {
	gic_group grp;
	unsigned el;
	bool secure;
	bool fiq;
};

class GicWireTable : public ::testing::TestWithParam<WireCase> {};

TEST_P(GicWireTable, IrqOrFiqByGroupAndPeState)
{
	const WireCase c = GetParam();
	Gic t(1, 32);
	t.boot();
	t.spi(40, c.grp, 0x40, 0);
	gic_pe_state(t.g, 0, c.el, c.secure);
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.fiq(0), c.fiq ? 1 : 0);
	EXPECT_EQ(t.irq(0), c.fiq ? 0 : 1);
}

INSTANTIATE_TEST_SUITE_P(
	GicCpuif, GicWireTable,
	::testing::Values(WireCase{ GIC_G0, 1, false, true }, WireCase{ GIC_G0, 2, false, true },
			  WireCase{ GIC_G0, 1, true, true }, WireCase{ GIC_G0, 3, true, true },
			  WireCase{ GIC_G1S, 1, false, true }, WireCase{ GIC_G1S, 2, false, true },
			  WireCase{ GIC_G1S, 0, true, false }, WireCase{ GIC_G1S, 1, true, false },
			  WireCase{ GIC_G1S, 3, true, true }, WireCase{ GIC_G1NS, 0, false, false },
			  WireCase{ GIC_G1NS, 1, false, false }, WireCase{ GIC_G1NS, 2, false, false },
			  WireCase{ GIC_G1NS, 1, true, true }, WireCase{ GIC_G1NS, 3, true, true }));

/* AArch64 system register encodings (Arm ARM; QEMU arm_gicv3_cpuif.c reginfo). */
TEST(GicCpuif, SysregEncodingsMatchTheArchitecture)
{
	struct {
		unsigned op1, crn, crm, op2;
		gic_icc_reg reg;
	} e[] = {
		{ 0, 4, 6, 0, ICC_PMR_EL1 },      { 0, 12, 8, 0, ICC_IAR0_EL1 },
		{ 0, 12, 8, 1, ICC_EOIR0_EL1 },   { 0, 12, 8, 2, ICC_HPPIR0_EL1 },
		{ 0, 12, 8, 3, ICC_BPR0_EL1 },    { 0, 12, 8, 4, ICC_AP0R0_EL1 },
		{ 0, 12, 9, 0, ICC_AP1R0_EL1 },   { 0, 12, 11, 1, ICC_DIR_EL1 },
		{ 0, 12, 11, 3, ICC_RPR_EL1 },    { 0, 12, 11, 5, ICC_SGI1R_EL1 },
		{ 0, 12, 11, 6, ICC_ASGI1R_EL1 }, { 0, 12, 11, 7, ICC_SGI0R_EL1 },
		{ 0, 12, 12, 0, ICC_IAR1_EL1 },   { 0, 12, 12, 1, ICC_EOIR1_EL1 },
		{ 0, 12, 12, 2, ICC_HPPIR1_EL1 }, { 0, 12, 12, 3, ICC_BPR1_EL1 },
		{ 0, 12, 12, 4, ICC_CTLR_EL1 },   { 0, 12, 12, 5, ICC_SRE_EL1 },
		{ 0, 12, 12, 6, ICC_IGRPEN0_EL1 }, { 0, 12, 12, 7, ICC_IGRPEN1_EL1 },
		{ 6, 12, 12, 4, ICC_CTLR_EL3 },   { 6, 12, 12, 5, ICC_SRE_EL3 },
		{ 6, 12, 12, 7, ICC_IGRPEN1_EL3 },
	};
	for (const auto &x : e)
		EXPECT_EQ(gic_icc_reg_from_encoding(3, x.op1, x.crn, x.crm, x.op2), (int)x.reg)
			<< gic_icc_reg_name(x.reg);
	EXPECT_EQ(gic_icc_reg_from_encoding(2, 0, 12, 12, 0), -1);
	EXPECT_EQ(gic_icc_reg_from_encoding(3, 0, 12, 10, 0), -1);
	EXPECT_EQ(gic_icc_reg_from_encoding(3, 4, 12, 12, 7), -1);
	EXPECT_STREQ(gic_icc_reg_name(ICC_ASGI1R_EL1), "ICC_ASGI1R_EL1");
}

/* gic.h: an access the EL cannot make is -1 (UNDEFINED): EL3-only registers below
 * EL3, EL0, writes to read-only and reads of write-only registers. */
TEST(GicCpuif, InaccessibleRegistersAreUndefined)
{
	Gic t(1, 32);
	gic_icc_access el1{ 0, 1, true }, el0{ 0, 0, false }, el3{ 0, 3, true };
	uint64_t v;
	EXPECT_EQ(gic_icc_read(t.g, &el1, ICC_CTLR_EL3, &v), -1);
	EXPECT_EQ(gic_icc_write(t.g, &el1, ICC_IGRPEN1_EL3, 3), -1);
	EXPECT_EQ(gic_icc_read(t.g, &el0, ICC_PMR_EL1, &v), -1);
	EXPECT_EQ(gic_icc_write(t.g, &el3, ICC_IAR1_EL1, 0), -1);
	EXPECT_EQ(gic_icc_read(t.g, &el3, ICC_EOIR1_EL1, &v), -1);
	EXPECT_EQ(gic_icc_read(t.g, &el3, ICC_SRE_EL1, &v), 0);
	EXPECT_EQ(v, 0x7u);
	EXPECT_EQ(gic_icc_write(t.g, &el3, ICC_SRE_EL1, 0), 0);
	EXPECT_EQ(gic_icc_read(t.g, &el3, ICC_SRE_EL1, &v), 0);
	EXPECT_EQ(v, 0x7u);
}

/* IHI 0069 ICC_CTLR_EL3: EOImode_EL1S/EL1NS and CBPR_EL1S/EL1NS alias the banked
 * ICC_CTLR_EL1 fields; CBPR is read-only from EL1 when DS=0. */
TEST(GicCpuif, CtlrEl3AliasesBankedCtlrEl1)
{
	Gic t(1, 32);
	t.icc_w(0, 1, false, ICC_CTLR_EL1, ICC_CTLR_EL1_EOIMODE | ICC_CTLR_EL1_CBPR);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_CTLR_EL1) & 3, (uint64_t)ICC_CTLR_EL1_EOIMODE);
	EXPECT_EQ(t.icc_r(0, 1, true, ICC_CTLR_EL1) & 3, 0u);
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_CTLR_EL3) & 0x1f, 1u << 4); /* EOImode_EL1NS */
	t.icc_w(0, 3, true, ICC_CTLR_EL3, (1u << 0) | (1u << 3));   /* CBPR_EL1S, EOImode_EL1S */
	EXPECT_EQ(t.icc_r(0, 1, true, ICC_CTLR_EL1) & 3, 3u);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_CTLR_EL1) & 3, 0u);
	EXPECT_EQ((t.icc_r(0, 1, true, ICC_CTLR_EL1) >> 8) & 7, 4u); /* PRIbits = 5 - 1 */
}

/* ===================== Timing ===================== */

/* gic.h / docs/calibration.md §2: a pending change reaches the wire after pend_to_wire. */
TEST(GicTiming, WireRisesExactlyPendToWireAfterPend)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.settle();
	sim_time t0 = t.now();
	t.pend(0, 40);
	t.run_ps(t.cfg.pend_to_wire - 1);
	EXPECT_EQ(t.irq(0), 0);
	t.run_ps(1);
	EXPECT_EQ(t.irq(0), 1);
	auto w = t.recs(TR_WIRE);
	ASSERT_EQ(w.size(), 1u);
	EXPECT_EQ(w[0].t, t0 + 100 * SIM_NS);
}

/* gic.h: acknowledge drops the wires at once; re-arbitration after ack_rearb. */
TEST(GicTiming, AckDropsWiresAtOnceAndRearbitratesAfterAckRearb)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 0);
	t.spi(41, GIC_G1NS, 0x90, 0);
	t.pend(0, 40);
	t.pend(0, 41);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	EXPECT_EQ(t.iar1(0), 40u);
	EXPECT_EQ(t.irq(0), 0);
	t.eoi1(0, 40);
	EXPECT_EQ(t.irq(0), 0); /* nothing forwarded until re-arbitration */
	t.run_ps(t.cfg.ack_rearb - 1);
	EXPECT_EQ(t.irq(0), 0);
	t.run_ps(1);
	EXPECT_EQ(t.irq(0), 1);
	EXPECT_EQ(t.iar1(0), 41u);
}

/* gic.h: an SGI write becomes pending at its target after sgi_delay. */
TEST(GicTiming, SgiPendingExactlySgiDelayAfterWrite)
{
	Gic t(2, 32);
	t.boot();
	t.priv(1, 2, GIC_G1NS, 0x80);
	t.settle();
	t.icc_w(0, 1, false, ICC_SGI1R_EL1, (2ull << ICC_SGIR_INTID_SHIFT) | (1u << 1));
	t.run_ps(t.cfg.sgi_delay - 1);
	EXPECT_FALSE(gic_is_pending(t.g, 1, 2));
	t.run_ps(1);
	EXPECT_TRUE(gic_is_pending(t.g, 1, 2));
	t.run_ns(100);
	EXPECT_EQ(t.irq(1), 1);
}

/* gic.h: one coalesced forward event per PE; a second pend inside the window
 * rides on the first event. */
TEST(GicTiming, PendsInsideTheWindowShareOneForwardEvent)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x90, 0);
	t.spi(41, GIC_G1NS, 0x80, 0);
	t.settle();
	size_t q0 = sim_pending(t.s.k);
	t.pend(0, 40);
	t.run_ns(30);
	t.pend(0, 41);
	EXPECT_EQ(sim_pending(t.s.k), q0 + 1);
	t.run_ns(70);
	EXPECT_EQ(t.irq(0), 1);
	EXPECT_EQ(t.icc_r(0, 1, false, ICC_HPPIR1_EL1), 41u);
}

/* ===================== SGIs (1, 4, 8, 64 PEs) ===================== */

class GicSgi : public ::testing::TestWithParam<unsigned> {};

/* docs/protocol.md §5.3: ICC_SGI1R from Non-secure raises a Non-secure Group 1 SGI at the
 * TargetList PEs of the named cluster. */
TEST_P(GicSgi, Sgi1rFromNonSecureRaisesGroup1NonSecureAtTarget)
{
	const unsigned n = GetParam(), target = n - 1;
	Gic t(n, 32);
	t.boot();
	t.priv(target, 1, GIC_G1NS, 0x80);
	t.settle();
	uint64_t v = (1ull << ICC_SGIR_INTID_SHIFT) | ((uint64_t)(target / 16) << ICC_SGIR_AFF1_SHIFT) |
		     (1u << (target % 16));
	t.icc_w(0, 1, false, ICC_SGI1R_EL1, v);
	t.run_ns(500);
	EXPECT_TRUE(gic_is_pending(t.g, target, 1));
	EXPECT_EQ(t.irq(target), 1);
	auto p = t.recs(TR_GIC_PEND);
	ASSERT_EQ(p.size(), 1u);
	EXPECT_EQ(p[0].cpu, (int)target);
	EXPECT_EQ(p[0].b, (uint64_t)GIC_G1NS);
	EXPECT_EQ(p[0].c, 2u);
	EXPECT_EQ(t.iar1(target), 1u);
}

/* docs/protocol.md §5.3 / OP-TEE gic_it_raise_sgi: ICC_ASGI1R from Secure raises a
 * Non-secure Group 1 SGI (the donated notification SGI). */
TEST_P(GicSgi, AsgiFromSecureRaisesNonSecureSgi)
{
	const unsigned n = GetParam(), target = n - 1;
	Gic t(n, 32);
	t.boot();
	t.priv(target, 8, GIC_G1NS, 0x80);
	t.settle();
	uint64_t v = (8ull << ICC_SGIR_INTID_SHIFT) | ((uint64_t)(target / 16) << ICC_SGIR_AFF1_SHIFT) |
		     (1u << (target % 16));
	t.icc_w(0, 1, true, ICC_ASGI1R_EL1, v);
	t.run_ns(400);
	EXPECT_TRUE(gic_is_pending(t.g, target, 8));
	EXPECT_EQ(t.count(TR_GIC_SGI_DROP), 0u);
}

/* docs/protocol.md §5.3 (QEMU gicv3_redist_send_sgi): SGI1R from Non-secure requests
 * G1NS; an SGI configured Secure does not match and is dropped, with a record. */
TEST_P(GicSgi, Sgi1rFromNonSecureForSecureSgiIsDropped)
{
	const unsigned n = GetParam(), target = n - 1;
	Gic t(n, 32);
	t.boot();
	t.priv(target, 9, GIC_G1S, 0x40);
	t.settle();
	uint64_t v = (9ull << ICC_SGIR_INTID_SHIFT) | ((uint64_t)(target / 16) << ICC_SGIR_AFF1_SHIFT) |
		     (1u << (target % 16));
	t.icc_w(0, 1, false, ICC_SGI1R_EL1, v);
	t.run_ns(500);
	EXPECT_FALSE(gic_is_pending(t.g, target, 9));
	auto d = t.recs(TR_GIC_SGI_DROP);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].cpu, (int)target);
	EXPECT_EQ(d[0].a, 9u);
	EXPECT_EQ(d[0].b, (uint64_t)GIC_G1NS);
	EXPECT_EQ(d[0].c, 0u);
}

/* IHI 0069 ICC_SGI1R_EL1.IRM: 1 = every PE except the sender. */
TEST_P(GicSgi, IrmReachesAllPesButTheSender)
{
	const unsigned n = GetParam(), sender = n / 2;
	Gic t(n, 32);
	t.boot();
	for (unsigned pe = 0; pe < n; pe++)
		t.priv(pe, 3, GIC_G1NS, 0x80);
	t.settle();
	t.icc_w(sender, 1, false, ICC_SGI1R_EL1, (3ull << ICC_SGIR_INTID_SHIFT) | ICC_SGIR_IRM | 0xffff);
	t.run_ns(400);
	for (unsigned pe = 0; pe < n; pe++)
		EXPECT_EQ(gic_is_pending(t.g, pe, 3), pe != sender) << "pe " << pe;
	EXPECT_EQ(t.count(TR_GIC_PEND), (size_t)(n - 1));
}

/* docs/protocol.md §5.3 (Verified): TargetList[n] targets Aff0 = RS*16 + n within
 * Aff3.Aff2.Aff1. */
TEST_P(GicSgi, RsAndTargetListSelectAff0)
{
	const unsigned n = GetParam();
	Gic t(n, 32);
	t.boot();
	for (unsigned pe = 0; pe < n; pe++)
		t.priv(pe, 4, GIC_G1NS, 0x80);
	t.settle();
	std::vector<unsigned> targets{ 0, n - 1, n > 17 ? 17u : n - 1 };
	for (unsigned tgt : targets) {
		uint64_t aff1 = tgt / 16;
		/* RS = 1 names Aff0 16..31: no PE has those (16 PEs per cluster). */
		t.icc_w(0, 1, false, ICC_SGI1R_EL1,
			(4ull << ICC_SGIR_INTID_SHIFT) | (aff1 << ICC_SGIR_AFF1_SHIFT) |
				(1ull << ICC_SGIR_RS_SHIFT) | (1u << (tgt % 16)));
		t.run_ns(400);
		EXPECT_EQ(t.count(TR_GIC_PEND), 0u);
		t.icc_w(0, 1, false, ICC_SGI1R_EL1,
			(4ull << ICC_SGIR_INTID_SHIFT) | (aff1 << ICC_SGIR_AFF1_SHIFT) | (1u << (tgt % 16)));
		t.run_ns(400);
		for (unsigned pe = 0; pe < n; pe++)
			EXPECT_EQ(gic_is_pending(t.g, pe, 4), pe == tgt) << "target " << tgt << " pe " << pe;
		t.unpend(tgt, 4);
		t.settle();
	}
}

INSTANTIATE_TEST_SUITE_P(GicPes, GicSgi, ::testing::Values(1u, 4u, 8u, 64u));

/* QEMU gicv3_redist_send_sgi: a Secure Group 1 request for an SGI configured as
 * Group 0 is accepted as Group 0. */
TEST(GicSgiRules, SecureGroup1RequestForGroup0SgiIsAcceptedAsGroup0)
{
	Gic t(2, 32);
	t.boot();
	t.priv(1, 10, GIC_G0, 0x20);
	t.settle();
	t.icc_w(0, 1, true, ICC_SGI1R_EL1, (10ull << ICC_SGIR_INTID_SHIFT) | (1u << 1));
	t.run_ns(500);
	EXPECT_TRUE(gic_is_pending(t.g, 1, 10));
	EXPECT_EQ(t.fiq(1), 1);
	auto p = t.recs(TR_GIC_PEND);
	ASSERT_EQ(p.size(), 1u);
	EXPECT_EQ(p[0].b, (uint64_t)GIC_G0);
}

/* docs/protocol.md §5.3: a Non-secure ICC_SGI0R write reaches a Group 0 SGI only when
 * GICR_NSACR allows it (>= 1). */
TEST(GicSgiRules, NonSecureSgi0rNeedsNsacr)
{
	Gic t(2, 32);
	t.boot();
	t.priv(1, 11, GIC_G0, 0x20);
	t.settle();
	t.icc_w(0, 1, false, ICC_SGI0R_EL1, (11ull << ICC_SGIR_INTID_SHIFT) | (1u << 1));
	t.run_ns(400);
	EXPECT_FALSE(gic_is_pending(t.g, 1, 11));
	EXPECT_EQ(t.count(TR_GIC_SGI_DROP), 1u);
	t.wr(sgib(1) + GICR_NSACR, 1u << (2 * 11));
	t.icc_w(0, 1, false, ICC_SGI0R_EL1, (11ull << ICC_SGIR_INTID_SHIFT) | (1u << 1));
	t.run_ns(400);
	EXPECT_TRUE(gic_is_pending(t.g, 1, 11));
}

/* ===================== SPI routing (1, 4, 8, 64 PEs) ===================== */

class GicRoute : public ::testing::TestWithParam<unsigned> {};

/* IHI 0069 GICD_IROUTER (IRM = 0): the SPI goes to the PE named by Aff3.Aff2.Aff1.Aff0. */
TEST_P(GicRoute, IrouterTargetsTheNamedPe)
{
	const unsigned n = GetParam();
	for (unsigned tgt : { 0u, n / 2, n - 1 }) {
		Gic t(n, 64);
		t.boot();
		t.spi(50, GIC_G1NS, 0x80, tgt);
		EXPECT_EQ(gic_spi_target(t.g, 50), (int)tgt);
		t.pend(0, 50);
		t.run_ns(100);
		for (unsigned pe = 0; pe < n; pe++)
			EXPECT_EQ(t.irq(pe), pe == tgt ? 1 : 0) << "pe " << pe;
		auto p = t.recs(TR_GIC_PEND);
		ASSERT_EQ(p.size(), 1u);
		EXPECT_EQ(p[0].cpu, (int)tgt);
	}
}

/* docs/protocol.md §5.4 (Verified): 1-of-N skips a sleeping PE, a PE with DPG1NS set
 * and a PE with Group 1 NS disabled at its CPU interface. */
TEST_P(GicRoute, OneOfNSkipsSleepingDpgAndGroupDisabledPes)
{
	const unsigned n = GetParam();
	Gic t(n, 64);
	t.boot();
	t.spi(50, GIC_G1NS, 0x80, 0);
	t.route_1ofn(50);
	t.wr(rdb(0) + GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	if (n > 1) {
		t.wr(rdb(1) + GICR_CTLR, GICR_CTLR_DPG1NS);
	}
	if (n > 2) {
		t.icc_w(2, 1, false, ICC_IGRPEN1_EL1, 0);
	}
	t.settle();
	t.pend(0, 50);
	int want = n > 3 ? 3 : -1;
	EXPECT_EQ(gic_spi_target(t.g, 50), want);
	t.run_ns(100);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 50));
	if (want >= 0) {
		EXPECT_EQ(t.irq((unsigned)want), 1);
	}
	for (unsigned pe = 0; pe < n && pe < 3; pe++)
		EXPECT_EQ(t.irq(pe), 0);
}

/* The model's 1-of-N policy (gic.h / COVERAGE.md): round-robin, starting after the
 * PE chosen last time for that INTID. */
TEST_P(GicRoute, OneOfNChoosesRoundRobin)
{
	const unsigned n = GetParam();
	Gic t(n, 64);
	t.boot();
	t.spi(50, GIC_G1NS, 0x80, 0, true);
	t.route_1ofn(50);
	t.settle();
	for (unsigned k = 0; k < 5; k++) {
		unsigned want = k % n;
		t.pend(0, 50);
		EXPECT_EQ(gic_spi_target(t.g, 50), (int)want) << "round " << k;
		t.run_ns(100);
		EXPECT_EQ(t.iar1(want), 50u);
		t.eoi1(want, 50);
		t.run_ns(100);
	}
}

/* docs/protocol.md §5.4: when the chosen PE stops being eligible (goes to sleep) while
 * the SPI is still pending, it is chosen again among the others. */
TEST_P(GicRoute, OneOfNRepicksWhenChosenPeSleeps)
{
	const unsigned n = GetParam();
	Gic t(n, 64);
	t.boot();
	t.spi(50, GIC_G1NS, 0x80, 0);
	t.route_1ofn(50);
	t.settle();
	t.pend(0, 50);
	EXPECT_EQ(gic_spi_target(t.g, 50), 0);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	t.wr(rdb(0) + GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	EXPECT_EQ(t.irq(0), 0); /* released at once */
	EXPECT_EQ(gic_spi_target(t.g, 50), n > 1 ? 1 : -1);
	t.run_ns(100);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 50));
	if (n > 1) {
		EXPECT_EQ(t.irq(1), 1);
		EXPECT_EQ(t.iar1(1), 50u);
	}
	auto r = t.recs(TR_GIC_ROUTE);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].cpu, n > 1 ? 1 : -1);
	EXPECT_EQ(r[0].b, (uint64_t)GICD_IROUTER_IRM);
}

/* docs/protocol.md §6.1: a pending, not yet acknowledged SPI follows a rewritten IROUTER. */
TEST_P(GicRoute, PendingSpiFollowsRewrittenIrouter)
{
	const unsigned n = GetParam(), to = n - 1;
	Gic t(n, 64);
	t.boot();
	t.spi(50, GIC_G1NS, 0x80, 0);
	t.pend(0, 50);
	t.run_ns(100);
	EXPECT_EQ(t.irq(0), 1);
	t.route_to(50, to);
	EXPECT_EQ(gic_spi_target(t.g, 50), (int)to);
	t.run_ns(100);
	for (unsigned pe = 0; pe < n; pe++)
		EXPECT_EQ(t.irq(pe), pe == to ? 1 : 0) << "pe " << pe;
	EXPECT_EQ(t.iar1(to), 50u);
	if (to != 0) {
		auto r = t.recs(TR_GIC_ROUTE);
		ASSERT_EQ(r.size(), 1u);
		EXPECT_EQ(r[0].cpu, (int)to);
		EXPECT_EQ(r[0].a, 50u);
	}
}

/* docs/protocol.md §6.1: an active SPI stays active on the old PE until that PE
 * deactivates it; a new pend then goes to the new target. */
TEST_P(GicRoute, ActiveSpiStaysOnTheOldPe)
{
	const unsigned n = GetParam(), to = n - 1;
	Gic t(n, 64);
	t.boot();
	t.spi(50, GIC_G1NS, 0x80, 0, true);
	t.pend(0, 50);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(0), 50u);
	t.route_to(50, to);
	t.pend(0, 50); /* active and pending */
	t.run_ns(200);
	EXPECT_TRUE(gic_is_active(t.g, 0, 50));
	EXPECT_EQ(t.irq(to), 0); /* not forwarded while active */
	EXPECT_EQ(t.icc_r(0, 3, true, ICC_RPR_EL1), 0x80u); /* still running on PE 0 */
	t.eoi1(0, 50);
	EXPECT_FALSE(gic_is_active(t.g, 0, 50));
	t.run_ns(100);
	EXPECT_EQ(t.irq(to), 1);
	EXPECT_EQ(t.iar1(to), 50u);
}

INSTANTIATE_TEST_SUITE_P(GicPes, GicRoute, ::testing::Values(1u, 4u, 8u, 64u));

/* Model's choice for the UNVERIFIED E1NWF rule (docs/protocol.md §5.4): no eligible PE
 * -> the SPI stays pending and unrouted; with E1NWF = 1, WakeRequest goes to the
 * lowest-numbered sleeping PE that participates (DPG = 0). */
TEST(GicRouteRules, NoEligiblePeStaysPendingAndE1nwfWakesLowestParticipatingSleeper)
{
	Gic t(4, 64);
	t.boot();
	t.spi(50, GIC_G1NS, 0x80, 0);
	t.route_1ofn(50);
	t.icc_w(0, 1, false, ICC_IGRPEN1_EL1, 0);
	t.icc_w(1, 1, false, ICC_IGRPEN1_EL1, 0);
	t.wr(rdb(2) + GICR_CTLR, GICR_CTLR_DPG1NS);
	t.wr(rdb(2) + GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	t.wr(rdb(3) + GICR_WAKER, GICR_WAKER_PROCESSOR_SLEEP);
	t.settle();
	t.pend(0, 50);
	t.run_ns(200);
	EXPECT_EQ(gic_spi_target(t.g, 50), -1);
	EXPECT_TRUE(gic_is_pending(t.g, 0, 50));
	for (unsigned pe = 0; pe < 4; pe++)
		EXPECT_EQ(t.wake(pe), 0);
	t.wr(D + GICD_CTLR, 0x7 | GICD_CTLR_E1NWF);
	EXPECT_EQ(t.rd(D + GICD_CTLR) & GICD_CTLR_E1NWF, (uint64_t)GICD_CTLR_E1NWF);
	t.run_ns(100);
	EXPECT_EQ(t.wake(2), 0);
	EXPECT_EQ(t.wake(3), 1);
	/* PE 3 wakes: it becomes eligible and receives the SPI. */
	t.wr(rdb(3) + GICR_WAKER, 0);
	EXPECT_EQ(gic_spi_target(t.g, 50), 3);
	t.run_ns(100);
	EXPECT_EQ(t.irq(3), 1);
}

/* 1-of-N also skips a PE whose group is disabled at the Distributor? No: the
 * Distributor enable gates forwarding everywhere. The SPI stays pending. */
TEST(GicRouteRules, DistributorGroupDisableHoldsSpiPending)
{
	Gic t(2, 64);
	t.boot();
	t.spi(50, GIC_G1NS, 0x80, 1);
	t.wr(D + GICD_CTLR, GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1S);
	t.settle();
	t.pend(0, 50);
	t.run_ns(200);
	EXPECT_EQ(t.irq(1), 0);
	t.wr(D + GICD_CTLR, 0x7);
	t.run_ns(100);
	EXPECT_EQ(t.irq(1), 1);
}

/* ===================== Trace ===================== */

/* sim/kernel/trace.h: TR_GIC_PEND / ACK / EOI / DEACT with their arguments, world GIC,
 * and the gic.pending counter on every change. */
TEST(GicTrace, LifecycleRecordsCarryTheirArguments)
{
	Gic t;
	t.boot();
	t.spi(40, GIC_G1NS, 0x80, 2);
	t.settle();
	t.pend(0, 40);
	t.run_ns(100);
	EXPECT_EQ(t.iar1(2), 40u);
	t.eoi1(2, 40);
	std::vector<unsigned> kinds;
	for (const auto &r : t.log.recs) {
		if (r.kind == TR_WIRE)
			continue;
		kinds.push_back(r.kind);
		EXPECT_EQ(r.world, (uint32_t)SIM_WORLD_GIC);
	}
	std::vector<unsigned> want{ TR_COUNTER, TR_GIC_PEND, TR_GIC_ACK, TR_COUNTER, TR_GIC_EOI,
				    TR_GIC_DEACT };
	EXPECT_EQ(kinds, want);
	auto p = t.recs(TR_GIC_PEND)[0];
	EXPECT_EQ(p.cpu, 2);
	EXPECT_EQ(p.a, 40u);
	EXPECT_EQ(p.b, (uint64_t)GIC_G1NS);
	EXPECT_EQ(p.c, 1u);
	auto a = t.recs(TR_GIC_ACK)[0];
	EXPECT_EQ(a.cpu, 2);
	EXPECT_EQ(a.a, 40u);
	EXPECT_EQ(a.b, (uint64_t)GIC_G1NS);
	auto c = t.recs(TR_COUNTER);
	ASSERT_EQ(c.size(), 2u);
	EXPECT_STREQ(c[0].label, "gic.pending");
	EXPECT_EQ(c[0].a, 1u);
	EXPECT_EQ(c[1].a, 0u);
	EXPECT_EQ(t.recs(TR_GIC_EOI)[0].a, 40u);
	EXPECT_EQ(t.recs(TR_GIC_DEACT)[0].cpu, 2);
	EXPECT_EQ(gic_pending_count(t.g), 0u);
}

/* gic.h: the IRQ, FIQ and WakeRequest wires are trace signals "cpuN"/"irq|fiq|wake". */
TEST(GicTrace, WiresAreRegisteredAsSignals)
{
	Gic t(2, 32);
	std::vector<std::string> names;
	for (int i = 0; i < t.s.tr->nsig; i++)
		names.push_back(std::string(t.s.tr->sig[i].scope) + "." + t.s.tr->sig[i].name);
	for (const char *want : { "cpu0.irq", "cpu0.fiq", "cpu0.wake", "cpu1.irq", "cpu1.fiq", "cpu1.wake" })
		EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
	EXPECT_EQ(gic_irq_wire(t.g, 1)->cpu, 1);
}

/* gic.h: gic_pending_count counts SGI/PPI per PE plus SPIs. */
TEST(GicTrace, PendingCountCountsPerPeAndSpis)
{
	Gic t(2, 32);
	t.boot();
	t.pend(0, 3);
	t.pend(1, 3);
	t.pend(0, 40);
	EXPECT_EQ(gic_pending_count(t.g), 3u);
	t.unpend(1, 3);
	EXPECT_EQ(gic_pending_count(t.g), 2u);
	EXPECT_EQ(t.count(TR_GIC_CLEAR), 1u);
}

/* gic.h: gic_new refuses a bad configuration. */
TEST(GicConfig, BadConfigurationIsRefused)
{
	sim s{};
	ASSERT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
	gic_config c;
	gic_config_default(&c, 0, 32);
	EXPECT_EQ(gic_new(&s, &c), nullptr);
	gic_config_default(&c, 257, 32);
	EXPECT_EQ(gic_new(&s, &c), nullptr);
	gic_config_default(&c, 4, 33);
	EXPECT_EQ(gic_new(&s, &c), nullptr);
	gic_config_default(&c, 4, 64);
	c.prio_bits = 3;
	EXPECT_EQ(gic_new(&s, &c), nullptr);
	gic_config_default(&c, 256, 988);
	gic *g = gic_new(&s, &c);
	EXPECT_NE(g, nullptr);
	gic_free(g);
	sim_fini(&s);
}

/* gic_map: 64 KiB aligned frames that overlap nothing (IHI 0069; sim/bus.h). */
TEST(GicConfig, MapRefusesOverlapAndMisalignment)
{
	sim s{};
	gic_config c;
	ASSERT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
	gic_config_default(&c, 4, 64);
	gic *g = gic_new(&s, &c);
	sim_bus *b = sim_bus_new(&s);
	EXPECT_EQ(gic_map(g, b, D, D), -1) << "overlapping frames";
	sim_bus *b2 = sim_bus_new(&s);
	EXPECT_EQ(gic_map(g, b2, D + 0x1000, R), -1) << "GICD not 64 KiB aligned";
	sim_bus *b3 = sim_bus_new(&s);
	EXPECT_EQ(gic_map(g, b3, D, R), 0);
	const sim_bus_region *r = sim_bus_find(b3, R + 3 * GICR_STRIDE + GICR_SGI_OFFSET);
	ASSERT_NE(r, nullptr);
	EXPECT_STREQ(r->name, "GICR");
	EXPECT_EQ(sim_bus_find(b3, R + 4 * GICR_STRIDE), nullptr) << "4 PEs: the region ends after PE 3";
	sim_bus_free(b);
	sim_bus_free(b2);
	sim_bus_free(b3);
	gic_free(g);
	sim_fini(&s);
}

/* docs/calibration.md §2: defaults are 5 priority bits, DPGS, 100 ns / 15 ns / 400 ns. */
TEST(GicConfig, DefaultsMatchCalibration)
{
	gic_config c;
	gic_config_default(&c, 4, 64);
	EXPECT_EQ(c.prio_bits, 5u);
	EXPECT_TRUE(c.dpgs);
	EXPECT_FALSE(c.security_disabled);
	EXPECT_EQ(c.pend_to_wire, 100 * SIM_NS);
	EXPECT_EQ(c.ack_rearb, 15 * SIM_NS);
	EXPECT_EQ(c.sgi_delay, 400 * SIM_NS);
}

} // namespace
