// SPDX-License-Identifier: BSD-3-Clause
/*
 * examples/systemc/gic_demo.cc: tzsim's GICv3 in a SystemC/TLM-2.0 platform.
 *
 * Three modules and the GIC:
 *  - Cpu: a TLM initiator standing in for a CPU. As firmware (Secure EL3)
 *    then as Linux (Non-secure EL1) it programs the GIC through the socket
 *    and the CPU-interface API: SPI 42 in Non-secure Group 1, priority
 *    0xa0, routed to PE 0, enabled. Then it takes the IRQ: acknowledge
 *    (ICC_IAR1_EL1), read the device, end of interrupt (ICC_EOIR1_EL1).
 *  - Uart: a device whose level interrupt line (an sc_signal) drives the
 *    GIC's SPI 42 input: high while a received byte waits.
 *  - tzsim::Gic: the GIC, on tzsim's event kernel inside this simulation.
 * The IRQ/FIQ lines and the device line go to gic_demo.vcd (sc_trace).
 *
 *   ./gic_demo [VCD_BASENAME]     (default gic_demo: writes gic_demo.vcd)
 */
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdio>
#include <cstring>

#include "sim/systemc/tlm_gic.h"

using namespace sc_core;

namespace {

constexpr unsigned SPI = 42;                        /* GIC_SPI 10 */
constexpr uint32_t BIT = 1u << (SPI % 32);          /* its bit in the 1-bit-per-INTID registers */
constexpr uint64_t WORD = 4 * (SPI / 32);           /* ... and their word */
constexpr uint64_t GICD = 0;                        /* tzsim::GicConfig's default layout */
constexpr uint64_t GICR = GIC_VIRT_GICR_BASE - GIC_VIRT_GICD_BASE;

void say(const char *who, const char *what)
{
	std::printf("%10.3f us  %-5s %s\n", sc_time_stamp().to_seconds() * 1e6, who, what);
}

/* A UART receiving two bytes: its line is high while a byte waits. */
struct Uart : sc_module {
	sc_out<bool> line;
	sc_event read_ev;
	SC_CTOR(Uart) : line("line") { SC_THREAD(run); }

	void run()
	{
		for (sc_time at : { sc_time(5, SC_US), sc_time(12, SC_US) }) {
			wait(at - sc_time_stamp());
			say("uart", "byte received: raises its interrupt line (SPI 42)");
			line.write(true);
			wait(read_ev);
			line.write(false);
		}
	}
	/* The driver reads the byte: the line drops (written by run(), the line's one writer). */
	char read_byte()
	{
		read_ev.notify(SC_ZERO_TIME);
		return 'A';
	}
};

/* The CPU: MMIO through a TLM socket, system registers through the GIC's CPU-interface API. */
struct Cpu : sc_module {
	tlm_utils::simple_initiator_socket<Cpu> bus;
	sc_in<bool> irq;
	tzsim::Gic *gic; /* the CPU interface: the PE's system registers */
	Uart *uart;      /* what its interrupt handler reads */

	Cpu(sc_module_name n, tzsim::Gic &g, Uart &u) : sc_module(n), bus("bus"), irq("irq"), gic(&g), uart(&u)
	{
		SC_THREAD(run);
	}
	SC_HAS_PROCESS(Cpu);

	/* One 1-, 4- or 8-byte access; waits out its annotated time (a simple in-order CPU). */
	uint64_t mmio(tlm::tlm_command cmd, uint64_t addr, uint64_t val, bool secure, unsigned len = 4)
	{
		tlm::tlm_generic_payload t;
		sc_time delay = SC_ZERO_TIME;
		t.set_command(cmd);
		t.set_address(addr);
		t.set_data_ptr(reinterpret_cast<unsigned char *>(&val));
		t.set_data_length(len);
		t.set_streaming_width(len);
		t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
		t.set_extension(new tzsim::SecureExtension(secure)); /* freed by the payload */
		bus->b_transport(t, delay);
		if (t.is_response_error())
			SC_REPORT_ERROR("gic_demo", t.get_response_string().c_str());
		wait(delay);
		return val;
	}
	void write(uint64_t addr, uint64_t val, bool secure, unsigned len = 4)
	{
		mmio(tlm::TLM_WRITE_COMMAND, addr, val, secure, len);
	}
	uint64_t read(uint64_t addr, bool secure) { return mmio(tlm::TLM_READ_COMMAND, addr, 0, secure); }

	void run()
	{
		char msg[160];
		/* firmware, Secure EL3 (as TF-A's gicv3 driver): groups on, PE 0 awake, SPI 42 to Non-secure Group 1 */
		write(GICD + GICD_CTLR, GICD_CTLR_ENABLEGRP0 | GICD_CTLR_ENABLEGRP1NS | GICD_CTLR_ENABLEGRP1S, true);
		write(GICR + GICR_WAKER, 0, true);
		write(GICD + GICD_IGROUPR + WORD, BIT, true);
		gic->icc_write(0, 3, true, ICC_IGRPEN1_EL3, 3);
		gic->icc_write(0, 3, true, ICC_PMR_EL1, 0xff);
		std::snprintf(msg, sizeof(msg), "firmware: GICD_IGROUPR1 = 0x%llx (Secure view), 0x%llx (Non-secure view)",
			      (unsigned long long)read(GICD + GICD_IGROUPR + WORD, true),
			      (unsigned long long)read(GICD + GICD_IGROUPR + WORD, false));
		say("cpu0", msg);
		/* Linux, Non-secure EL1 (as irq-gic-v3.c): priority, route to PE 0, enable */
		gic->pe_state(0, 1, false);
		write(GICD + GICD_IPRIORITYR + SPI, 0xa0, false, 1);
		write(GICD + GICD_IROUTER + 8 * SPI, gic_pe_affinity(0), false, 8);
		write(GICD + GICD_ISENABLER + WORD, BIT, false);
		say("cpu0", "linux: SPI 42 enabled, priority 0xa0, routed to PE 0");

		for (int n = 0; n < 2; n++) {
			wait(irq.posedge_event());
			say("cpu0", "IRQ asserted: exception entry");
			wait(tzsim::cost_time(SIM_COST_EXC_ENTRY)); /* 75 cycles at 1.2 GHz */
			uint64_t intid = 0;
			gic->icc_read(0, 1, false, ICC_IAR1_EL1, intid);
			std::snprintf(msg, sizeof(msg), "ICC_IAR1_EL1: acknowledged INTID %llu", (unsigned long long)intid);
			say("cpu0", msg);
			std::snprintf(msg, sizeof(msg), "uart handler: read '%c'", uart->read_byte());
			say("cpu0", msg);
			wait(200, SC_NS); /* the handler's work */
			gic->icc_write(0, 1, false, ICC_EOIR1_EL1, intid);
			say("cpu0", "ICC_EOIR1_EL1: end of interrupt");
		}
		wait(1, SC_US);
		say("cpu0", "done");
	}
};

/* Prints the IRQ line's changes as the GIC drives them. */
struct Probe : sc_module {
	sc_in<bool> irq;
	SC_CTOR(Probe) : irq("irq")
	{
		SC_METHOD(changed);
		sensitive << irq;
		dont_initialize();
	}
	void changed() { say("gic", irq.read() ? "cpu0 IRQ line rises" : "cpu0 IRQ line falls"); }
};

} // namespace

int sc_main(int argc, char **argv)
{
	const char *vcd = argc > 1 ? argv[1] : "gic_demo";
	tzsim::Gic gic("gic"); /* 1 PE, 64 SPIs, the cost table's Cortex-A53 timing */
	Uart uart("uart");
	Cpu cpu("cpu", gic, uart);
	Probe probe("probe");
	sc_signal<bool> irq0("irq0"), fiq0("fiq0"), uart_line("uart_line");

	cpu.bus.bind(gic.socket);
	gic.irq[0].bind(irq0);
	gic.fiq[0].bind(fiq0);
	cpu.irq.bind(irq0);
	probe.irq.bind(irq0);
	uart.line.bind(uart_line);
	gic.spi[SPI - GIC_SPI_BASE].bind(uart_line);

	sc_trace_file *tf = sc_create_vcd_trace_file(vcd);
	sc_trace(tf, irq0, "cpu0_irq");
	sc_trace(tf, fiq0, "cpu0_fiq");
	sc_trace(tf, uart_line, "uart_spi42");

	std::printf("gic_demo: tzsim::Gic, gic.mmio %s per access, gic.pend_to_wire %s\n",
		    gic.config().mmio.to_string().c_str(), gic.config().pend_to_wire.to_string().c_str());
	sc_start();
	sc_close_vcd_trace_file(tf);
	std::printf("gic_demo: simulation ended at %s; wrote %s.vcd\n", sc_time_stamp().to_string().c_str(), vcd);
	return 0;
}
