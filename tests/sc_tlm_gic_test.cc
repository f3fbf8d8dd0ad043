// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/sc_tlm_gic_test.cc: tzsim::Gic, the GICv3 behind a TLM-2.0 socket
 * (sim/systemc/tlm_gic.h), driven by a TLM initiator standing in for a CPU.
 *
 * SystemC allows one elaboration per process, so every TEST here runs in a
 * process of its own (tests/sc_run.sh).
 */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "sim/systemc/tlm_gic.h"

using namespace sc_core;

namespace {

constexpr uint64_t D = 0;                                        /* GicConfig's default GICD base */
constexpr uint64_t R = GIC_VIRT_GICR_BASE - GIC_VIRT_GICD_BASE; /* ... and GICR base */
constexpr unsigned SPI = 42;                                     /* GICD_*R<1> bit 10 */
constexpr uint32_t BIT = 1u << (SPI % 32);
constexpr uint64_t REG1 = 4 * (SPI / 32); /* the word of a 1-bit-per-INTID register holding SPI */

enum Sec { NO_EXT, NS, S };

struct Edge {
	sc_time t;
	bool level;
};

/* A TLM initiator (a CPU's load/store port) wired to a tzsim::Gic, a script run in an SC_THREAD, and PE 0's outputs recorded. */
struct Bench : sc_module {
	tlm_utils::simple_initiator_socket<Bench> sock;
	tzsim::Gic gic;
	sc_signal<bool> irq0, fiq0, spi_line;
	std::vector<Edge> irq_edges;
	std::function<void(Bench &)> script;
	bool script_done = false;

	explicit Bench(sc_module_name n, const tzsim::GicConfig &cfg = tzsim::GicConfig())
	    : sc_module(n), sock("sock"), gic("gic", cfg), irq0("irq0"), fiq0("fiq0"), spi_line("spi_line")
	{
		sock.bind(gic.socket);
		gic.irq[0].bind(irq0);
		gic.fiq[0].bind(fiq0);
		gic.spi[SPI - 32].bind(spi_line);
		SC_THREAD(run);
		SC_METHOD(on_irq);
		sensitive << irq0;
		dont_initialize();
	}
	SC_HAS_PROCESS(Bench);

	void run()
	{
		if (script)
			script(*this);
		script_done = true;
	}
	void on_irq() { irq_edges.push_back({ sc_time_stamp(), irq0.read() }); }

	/* One access of @len bytes; @delay is the initiator's local time offset, updated. */
	tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t addr, uint64_t &v, Sec sec, sc_time &delay,
					unsigned len = 4, unsigned char *be = nullptr)
	{
		tlm::tlm_generic_payload t;
		unsigned char data[16] = {};
		memcpy(data, &v, 8);
		t.set_command(cmd);
		t.set_address(addr);
		t.set_data_ptr(data);
		t.set_data_length(len);
		t.set_streaming_width(len);
		t.set_byte_enable_ptr(be);
		t.set_byte_enable_length(be ? len : 0);
		t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
		if (sec != NO_EXT)
			t.set_extension(new tzsim::SecureExtension(sec == S)); /* the payload frees it */
		sock->b_transport(t, delay);
		if (cmd == tlm::TLM_READ_COMMAND) {
			v = 0;
			memcpy(&v, data, len < 8 ? len : 8);
		}
		return t.get_response_status();
	}
	/* A synchronous access: wait out the annotated delay, as a simple CPU model does. */
	uint64_t rd(uint64_t addr, Sec sec = S)
	{
		uint64_t v = 0;
		sc_time d = SC_ZERO_TIME;
		EXPECT_EQ(access(tlm::TLM_READ_COMMAND, addr, v, sec, d), tlm::TLM_OK_RESPONSE) << std::hex << addr;
		wait(d);
		return v;
	}
	void wr(uint64_t addr, uint64_t v, Sec sec = S, unsigned len = 4)
	{
		sc_time d = SC_ZERO_TIME;
		EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, addr, v, sec, d, len), tlm::TLM_OK_RESPONSE) << std::hex << addr;
		wait(d);
	}

	/*
	 * Firmware (Secure) then Linux (Non-secure EL1), as TF-A and the GICv3
	 * driver do: groups on, PE 0 awake, SPI 42 Non-secure Group 1 at
	 * priority 0xa0 routed to PE 0; PE 0's CPU interface open for Group 1
	 * (PMR, IGRPEN1, from EL3) and the PE at Non-secure EL1. The SPI stays disabled.
	 */
	void boot()
	{
		wr(D + GICD_CTLR, GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1NS | GICD_CTLR_ENABLEGRP1S);
		wr(R + GICR_WAKER, 0);
		wr(D + GICD_IGROUPR + REG1, BIT);
		EXPECT_EQ(gic.icc_write(0, 3, true, ICC_IGRPEN1_EL3, 3), 0);
		EXPECT_EQ(gic.icc_write(0, 3, true, ICC_PMR_EL1, 0xff), 0); /* a Non-secure write is ignored while PMR is in the Secure half */
		wr(D + GICD_IPRIORITYR + SPI, 0xa0, NS, 1); /* byte-accessible */
		wr(D + GICD_IROUTER + 8 * SPI, gic_pe_affinity(0), NS);
		gic.pe_state(0, 1, false);
		wait(1, SC_US);
	}
};

/* Build the bench, run @script in its thread, simulate to the end. */
void run_bench(Bench &b, std::function<void(Bench &)> script)
{
	b.script = std::move(script);
	sc_start();
	EXPECT_TRUE(b.script_done);
}

} // namespace

/*
 * tlm_gic.h Timing: a write takes effect at the transaction's time plus its
 * annotated delay (sc_time_stamp() + delay as b_transport returns it, the
 * delay passed in plus gic.mmio); the IRQ output rises gic.pend_to_wire
 * after the GICD_ISPENDR write takes effect (gic.h).
 */
TEST(TlmGic, IspendrWriteRaisesIrqPendToWireAfterItTakesEffect)
{
	Bench b("bench");
	const tzsim::GicConfig &cfg = b.gic.config();
	sc_time effect;
	run_bench(b, [&](Bench &x) {
		x.boot();
		uint64_t v = BIT;
		sc_time d0 = SC_ZERO_TIME;
		EXPECT_EQ(x.access(tlm::TLM_WRITE_COMMAND, D + GICD_ISENABLER + REG1, v, NS, d0), tlm::TLM_OK_RESPONSE);
		EXPECT_EQ(d0, cfg.mmio) << "the access's timing is annotated: gic.mmio";
		wait(1, SC_US); /* the enable has settled */
		/* loosely timed: the write is issued 5 ns into the initiator's quantum */
		sc_time local = sc_time(5, SC_NS);
		EXPECT_EQ(x.access(tlm::TLM_WRITE_COMMAND, D + GICD_ISPENDR + REG1, v, NS, local), tlm::TLM_OK_RESPONSE);
		EXPECT_EQ(local, sc_time(5, SC_NS) + cfg.mmio);
		effect = sc_time_stamp() + local;
		EXPECT_FALSE(gic_is_pending(x.gic.model(), 0, SPI)) << "not before its time";
		wait(local);
		wait(SC_ZERO_TIME);
		EXPECT_TRUE(gic_is_pending(x.gic.model(), 0, SPI)) << "pending once its time came";
		wait(1, SC_US);
	});
	EXPECT_EQ(cfg.mmio, sc_time(41667, SC_PS)) << "gic.mmio: 50 cycles at 1.2 GHz";
	EXPECT_EQ(cfg.pend_to_wire, sc_time(100, SC_NS));
	ASSERT_EQ(b.irq_edges.size(), 1u);
	EXPECT_TRUE(b.irq_edges[0].level);
	EXPECT_EQ(b.irq_edges[0].t, effect + cfg.pend_to_wire)
	    << "rose at " << b.irq_edges[0].t << ", the write took effect at " << effect;
	EXPECT_FALSE(b.fiq0.read()) << "Non-secure Group 1 at a PE in Non-secure EL1: IRQ, not FIQ";
}

/*
 * The same two writes in one quantum (the local time accumulating, as an LT
 * initiator issues them): the enable takes effect first and arms the PE's
 * forward; gic_redist.c coalesces a change inside an armed window into that
 * event, so the IRQ rises gic.pend_to_wire after the GICD_ISENABLER write
 * takes effect, with the pending state as it is then.
 */
TEST(TlmGic, IsenablerAndIspendrInOneQuantumRaiseIrqPendToWireAfterTheFirst)
{
	Bench b("bench");
	const tzsim::GicConfig &cfg = b.gic.config();
	sc_time enable_at, pend_at;
	run_bench(b, [&](Bench &x) {
		x.boot();
		uint64_t v = BIT;
		sc_time local = SC_ZERO_TIME;
		EXPECT_EQ(x.access(tlm::TLM_WRITE_COMMAND, D + GICD_ISENABLER + REG1, v, NS, local), tlm::TLM_OK_RESPONSE);
		enable_at = sc_time_stamp() + local;
		EXPECT_EQ(x.access(tlm::TLM_WRITE_COMMAND, D + GICD_ISPENDR + REG1, v, NS, local), tlm::TLM_OK_RESPONSE);
		pend_at = sc_time_stamp() + local;
		wait(local);
		wait(1, SC_US);
	});
	EXPECT_EQ(pend_at - enable_at, cfg.mmio);
	ASSERT_EQ(b.irq_edges.size(), 1u);
	EXPECT_EQ(b.irq_edges[0].t, enable_at + cfg.pend_to_wire);
}

/* tlm_gic.h icc_read: an acknowledge (ICC_IAR1_EL1 from Non-secure EL1) returns the INTID and drops the IRQ (IHI 0069). */
TEST(TlmGic, AcknowledgeThroughCpuInterfaceReturnsIntid)
{
	Bench b("bench");
	uint64_t intid = 0, hppir = 0, after = 0;
	sc_time acked;
	run_bench(b, [&](Bench &x) {
		x.boot();
		x.wr(D + GICD_ISENABLER + REG1, BIT, NS);
		x.wr(D + GICD_ISPENDR + REG1, BIT, NS);
		wait(1, SC_US);
		EXPECT_TRUE(x.irq0.read());
		sc_time d = SC_ZERO_TIME;
		EXPECT_EQ(x.gic.icc_read(0, 1, false, ICC_HPPIR1_EL1, hppir), 0);
		EXPECT_EQ(x.gic.icc_read(0, 1, false, ICC_IAR1_EL1, intid, &d), 0);
		EXPECT_EQ(d, x.gic.config().sysreg) << "the annotated cost: gic.sysreg";
		acked = sc_time_stamp();
		EXPECT_EQ(x.gic.icc_read(0, 1, false, ICC_IAR1_EL1, after), 0);
		EXPECT_EQ(x.gic.icc_write(0, 1, false, ICC_EOIR1_EL1, intid), 0);
		wait(1, SC_US);
		EXPECT_EQ(x.gic.icc_read(0, 3, true, ICC_CTLR_EL3, after), 0) << "EL3 reaches ICC_CTLR_EL3";
		uint64_t v;
		EXPECT_EQ(x.gic.icc_read(0, 1, false, ICC_CTLR_EL3, v), -1) << "not from EL1: UNDEFINED";
		EXPECT_EQ(x.gic.icc_read(7, 1, false, ICC_IAR1_EL1, v), -1) << "no PE 7";
	});
	EXPECT_EQ(hppir, SPI);
	EXPECT_EQ(intid, SPI);
	ASSERT_EQ(b.irq_edges.size(), 2u);
	EXPECT_FALSE(b.irq_edges[1].level);
	EXPECT_EQ(b.irq_edges[1].t, acked) << "the acknowledge drops the IRQ at once (one delta later)";
}

/* IHI 0069 GICD_IGROUPR<n>: Secure-only with DS = 0, RAZ/WI to Non-secure accesses; the response is still OK. */
TEST(TlmGic, NonSecureReadOfSecureOnlyRegisterReadsZero)
{
	Bench b("bench");
	uint64_t s = 0, ns = ~0ull, none = ~0ull;
	tlm::tlm_response_status st = tlm::TLM_INCOMPLETE_RESPONSE;
	run_bench(b, [&](Bench &x) {
		x.wr(D + GICD_IGROUPR + REG1, BIT, S);
		s = x.rd(D + GICD_IGROUPR + REG1, S);
		sc_time d = SC_ZERO_TIME;
		st = x.access(tlm::TLM_READ_COMMAND, D + GICD_IGROUPR + REG1, ns, NS, d);
		none = x.rd(D + GICD_IGROUPR + REG1, NO_EXT);
		x.wr(D + GICD_IGROUPR + REG1, 0, NO_EXT); /* WI: no extension is Non-secure */
		wait(1, SC_US);
		EXPECT_EQ(x.rd(D + GICD_IGROUPR + REG1, S), BIT);
	});
	EXPECT_EQ(s, BIT) << "the Secure view holds the bit";
	EXPECT_EQ(st, tlm::TLM_OK_RESPONSE);
	EXPECT_EQ(ns, 0u) << "the Non-secure view reads as zero";
	EXPECT_EQ(none, 0u) << "without a SecureExtension an access is Non-secure";
}

/* tlm_gic.h Responses: a byte outside the GICD frame and the GICR region is an address error, with no delay added. */
TEST(TlmGic, AccessOutsideFramesIsAddressError)
{
	Bench b("bench");
	std::vector<tlm::tlm_response_status> st;
	std::vector<sc_time> delays;
	run_bench(b, [&](Bench &x) {
		for (uint64_t a : { D + GICD_FRAME_SIZE, R - 4, R + GICR_STRIDE /* one PE: one Redistributor */,
				    uint64_t(0x7FFFFFFF), D + GICD_FRAME_SIZE - 2 /* runs off the frame's end */ }) {
			for (tlm::tlm_command c : { tlm::TLM_READ_COMMAND, tlm::TLM_WRITE_COMMAND }) {
				uint64_t v = 0;
				sc_time d = SC_ZERO_TIME;
				st.push_back(x.access(c, a, v, S, d));
				delays.push_back(d);
			}
		}
		uint64_t v = 0;
		sc_time d = SC_ZERO_TIME;
		EXPECT_EQ(x.access(tlm::TLM_READ_COMMAND, R + GICR_WAKER, v, S, d), tlm::TLM_OK_RESPONSE);
		EXPECT_EQ(v, GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP) << "GICR_WAKER's reset value";
	});
	ASSERT_EQ(st.size(), 10u);
	for (size_t i = 0; i < st.size(); i++) {
		EXPECT_EQ(st[i], tlm::TLM_ADDRESS_ERROR_RESPONSE) << "access " << i;
		EXPECT_EQ(delays[i], SC_ZERO_TIME) << "access " << i;
	}
}

/* tlm_gic.h Responses: sizes the registers refuse, bursts and disabled bytes in a write; none of them writes. */
TEST(TlmGic, BadSizesBurstsAndByteEnablesAreRefused)
{
	Bench b("bench");
	run_bench(b, [&](Bench &x) {
		uint64_t v = BIT;
		sc_time d = SC_ZERO_TIME;
		EXPECT_EQ(x.access(tlm::TLM_WRITE_COMMAND, D + GICD_IGROUPR + REG1, v, S, d, 2),
			  tlm::TLM_GENERIC_ERROR_RESPONSE) << "2 bytes: no GIC register takes it";
		EXPECT_EQ(x.access(tlm::TLM_WRITE_COMMAND, D + GICD_IGROUPR + REG1, v, S, d, 1),
			  tlm::TLM_GENERIC_ERROR_RESPONSE) << "1 byte: only the priority registers";
		EXPECT_EQ(x.access(tlm::TLM_READ_COMMAND, D + GICD_IGROUPR + REG1 + 2, v, S, d, 4),
			  tlm::TLM_GENERIC_ERROR_RESPONSE) << "misaligned";
		EXPECT_EQ(x.access(tlm::TLM_READ_COMMAND, D + GICD_IGROUPR, v, S, d, 16), tlm::TLM_BURST_ERROR_RESPONSE);
		unsigned char be[4] = { 0xff, 0x00, 0xff, 0xff };
		EXPECT_EQ(x.access(tlm::TLM_WRITE_COMMAND, D + GICD_IGROUPR + REG1, v, S, d, 4, be),
			  tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
		EXPECT_EQ(d, 5 * x.gic.config().mmio) << "each reached the GIC";
		wait(1, SC_US);
		EXPECT_EQ(x.rd(D + GICD_IGROUPR + REG1, S), 0u) << "nothing was written";
		/* a read with byte enables copies the enabled bytes */
		x.wr(D + GICD_IPRIORITYR + 32, 0x40302010, S);
		uint64_t p = 0xEEEEEEEE; /* only the enabled bytes are written back */
		unsigned char rbe[4] = { 0xff, 0x00, 0xff, 0x00 };
		d = SC_ZERO_TIME;
		EXPECT_EQ(x.access(tlm::TLM_READ_COMMAND, D + GICD_IPRIORITYR + 32, p, S, d, 4, rbe), tlm::TLM_OK_RESPONSE);
		EXPECT_EQ(p & 0xffffffffu, 0xEE30EE10u);
		/* TLM_IGNORE_COMMAND: OK, no effect */
		tlm::tlm_generic_payload t;
		t.set_command(tlm::TLM_IGNORE_COMMAND);
		t.set_address(D + GICD_CTLR);
		t.set_data_length(4);
		t.set_streaming_width(4);
		t.set_data_ptr(reinterpret_cast<unsigned char *>(&p));
		x.sock->b_transport(t, d);
		EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
	});
}

/* tlm_gic.h Timing: a read returns the registers at the call; a write posted for later is not seen before its time. */
TEST(TlmGic, ReadBeforeAPostedWriteTakesEffectDoesNotSeeIt)
{
	Bench b("bench");
	run_bench(b, [&](Bench &x) {
		uint64_t v = BIT, r1 = ~0ull, r2 = ~0ull;
		sc_time dw = sc_time(100, SC_NS), dr = SC_ZERO_TIME;
		x.access(tlm::TLM_WRITE_COMMAND, D + GICD_IGROUPR + REG1, v, S, dw);
		x.access(tlm::TLM_READ_COMMAND, D + GICD_IGROUPR + REG1, r1, S, dr);
		EXPECT_EQ(r1, 0u) << "the write takes effect at +100 ns + gic.mmio";
		wait(dw); /* now exactly its time: the read sees it, whichever process SystemC runs first */
		dr = SC_ZERO_TIME;
		x.access(tlm::TLM_READ_COMMAND, D + GICD_IGROUPR + REG1, r2, S, dr);
		EXPECT_EQ(r2, BIT);
	});
}

/* tlm_gic.h Ports: an sc_signal on spi[n] drives SPI 32 + n (level-sensitive at reset): the IRQ follows gic.pend_to_wire later. */
TEST(TlmGic, SpiInputLineRaisesIrq)
{
	Bench b("bench");
	sc_time raised;
	run_bench(b, [&](Bench &x) {
		x.boot();
		x.wr(D + GICD_ISENABLER + REG1, BIT, NS);
		wait(1, SC_US);
		raised = sc_time_stamp();
		x.spi_line.write(true);
		wait(1, SC_US);
		uint64_t intid = 0;
		EXPECT_EQ(x.gic.icc_read(0, 1, false, ICC_IAR1_EL1, intid), 0);
		EXPECT_EQ(intid, SPI);
		x.spi_line.write(false);
		EXPECT_EQ(x.gic.icc_write(0, 1, false, ICC_EOIR1_EL1, intid), 0);
		wait(1, SC_US);
	});
	ASSERT_GE(b.irq_edges.size(), 1u);
	/* the line changes one delta after the write (sc_signal), at the same time */
	EXPECT_EQ(b.irq_edges[0].t, raised + b.gic.config().pend_to_wire);
	EXPECT_FALSE(b.irq0.read());
}

/*
 * tlm_gic.h Ports: ppi[pe * 16 + k] drives PPI 16 + k at PE pe; while that
 * PE's Redistributor sleeps (GICR_WAKER.ProcessorSleep, its reset value) the
 * interrupt raises wake[pe], not irq[pe] (IHI 0069 GICR_WAKER); once awake,
 * irq[pe].
 */
TEST(TlmGic, PpiInputAtASleepingPeRaisesWakeThenIrq)
{
	tzsim::GicConfig cfg;
	cfg.num_pes = 2;
	Bench b("bench", cfg);
	sc_signal<bool> irq1("irq1"), wake1("wake1"), timer1("timer1");
	b.gic.irq[1].bind(irq1);
	b.gic.wake[1].bind(wake1);
	b.gic.ppi[1 * 16 + (30 - 16)].bind(timer1); /* INTID 30, the EL1 physical timer, at PE 1 */
	const uint64_t sgi1 = R + GICR_STRIDE + GICR_SGI_OFFSET;
	sc_time raised, woke, irq_at;
	bool irq_while_asleep = true;
	run_bench(b, [&](Bench &x) {
		x.wr(D + GICD_CTLR, GICD_CTLR_ENABLEGRP1NS, S);
		x.wr(sgi1 + GICR_IGROUPR0, 1u << 30, S);
		x.wr(sgi1 + GICR_ISENABLER0, 1u << 30, S);
		EXPECT_EQ(x.gic.icc_write(1, 3, true, ICC_IGRPEN1_EL3, 3), 0);
		EXPECT_EQ(x.gic.icc_write(1, 3, true, ICC_PMR_EL1, 0xff), 0);
		x.gic.pe_state(1, 1, false);
		wait(1, SC_US);
		raised = sc_time_stamp();
		timer1.write(true);
		wait(wake1.posedge_event());
		woke = sc_time_stamp();
		irq_while_asleep = irq1.read();
		x.wr(R + GICR_STRIDE + GICR_WAKER, 0, S); /* firmware wakes PE 1 */
		wait(irq1.posedge_event());
		irq_at = sc_time_stamp();
		EXPECT_FALSE(wake1.read()) << "WakeRequest drops once the PE is awake";
		uint64_t intid = 0;
		EXPECT_EQ(x.gic.icc_read(1, 1, false, ICC_IAR1_EL1, intid), 0);
		EXPECT_EQ(intid, 30u);
		EXPECT_FALSE(b.irq0.read()) << "PE 0 is not involved";
	});
	EXPECT_FALSE(irq_while_asleep);
	EXPECT_EQ(woke, raised + b.gic.config().pend_to_wire);
	EXPECT_GT(irq_at, woke);
}
