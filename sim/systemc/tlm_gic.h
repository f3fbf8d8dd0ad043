// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/systemc/tlm_gic.h: tzsim's GICv3 (models/gic/gic.h) as a SystemC
 * module with a TLM-2.0 target socket, for SystemC/TLM virtual platforms.
 *
 * What it is: the same model tzsim's own runs use, on tzsim's event kernel
 * with the SystemC backend (sim/kernel/systemc.h, free running), so the
 * GIC's timed behaviour (gic.pend_to_wire, gic.ack_rearb, gic.sgi_delay) is
 * SystemC time in the user's simulation. The module owns one struct sim
 * (or uses the caller's), the struct gic and a bus (sim/bus.h) holding the
 * GIC's two frames; it never calls sc_start.
 *
 * Ports:
 *  - socket: a tlm_utils::simple_target_socket for the Distributor frame at
 *    cfg.gicd_base and the Redistributor region at cfg.gicr_base (socket
 *    addresses: the defaults put them as QEMU virt does, relative to the
 *    GICD frame; give absolute bases if the interconnect passes absolute
 *    addresses). b_transport, transport_dbg (reads); no DMI.
 *  - spi[n]: the input line of SPI INTID 32 + n (cfg.num_spis lines);
 *    ppi[pe * 16 + k]: PPI INTID 16 + k at PE pe. Unbound inputs are tied
 *    low (bound to an internal signal at the end of elaboration).
 *  - irq[pe], fiq[pe], wake[pe]: the GIC's IRQ, FIQ and WakeRequest
 *    outputs. Unbound outputs are bound to internal signals.
 *  - icc_read/icc_write: the CPU interfaces' ICC_* system registers, with
 *    the PE's exception level and security state; pe_state: tell the GIC
 *    the PE's current state when it changes without an ICC access.
 *
 * Timing (loosely timed, TLM-2.0 base protocol):
 *  - every access inside the frames adds cfg.mmio (default: the gic.mmio
 *    cost, 50 cycles at the Cortex-A53 preset's 1.2 GHz = 41.667 ns) to the
 *    annotated delay;
 *  - a write takes effect at the transaction's time plus its annotated
 *    delay: sc_time_stamp() + delay as b_transport returns it (the delay
 *    passed in plus cfg.mmio). The module posts it as a tzsim event at that
 *    time; writes with the same effect time take effect in call order. So
 *    a write to GICD_ISPENDR raises the target PE's IRQ output exactly
 *    cfg.pend_to_wire after sc_time_stamp() + delay, unless an earlier
 *    change at that PE (an enable, say) still has its forward in flight:
 *    the model coalesces changes inside one pend_to_wire window into the
 *    earlier forward (gic_redist_kick), so the IRQ then rises
 *    cfg.pend_to_wire after that earlier change took effect;
 *  - a read returns the registers as they are at the call (sc_time_stamp(),
 *    after every tzsim event due by then): a posted write whose time has not
 *    come is not seen. An initiator that reads back its own write syncs
 *    first (wait(delay), or its quantum keeper's sync());
 *  - an input line change acts at its SystemC time; icc_read/icc_write and
 *    pe_state act at the call (sc_time_stamp());
 *  - an output follows the GIC's wire one delta cycle later at the same
 *    SystemC time: the module's own SC_METHOD writes every output, so each
 *    signal has one writer. A rise and fall within one delta is not seen.
 *
 * Security: a generic payload carries its Secure/Non-secure attribute in a
 * tzsim::SecureExtension. Without one an access is Non-secure, as an AXI
 * master with AxPROT[1] = 1: the safe default, which cannot reach the
 * Secure-only registers (Non-secure views: RAZ/WI, IHI 0069).
 *
 * Responses (the generic payload's response status):
 *  - TLM_OK_RESPONSE: an access the GIC performs, including RAZ/WI views
 *    and reserved offsets inside the frames (RAZ/WI, as the model's);
 *  - TLM_ADDRESS_ERROR_RESPONSE: any byte outside the two frames;
 *  - TLM_BURST_ERROR_RESPONSE: a length of 0 or above 8, or a streaming
 *    width below the length;
 *  - TLM_BYTE_ENABLE_ERROR_RESPONSE: a write with a disabled byte (a read
 *    with byte enables reads the register and copies the enabled bytes);
 *  - TLM_GENERIC_ERROR_RESPONSE: a size or alignment the register refuses
 *    (gic.h: 4 bytes everywhere, 8 for GICD_IROUTER<n> and GICR_TYPER, 1
 *    for the priority registers; naturally aligned). A write's status is
 *    decided at the call, by the same rules.
 *  - TLM_COMMAND_ERROR_RESPONSE is never returned; TLM_IGNORE_COMMAND is OK.
 *
 * tzsim counts picoseconds: SystemC's time resolution must be 1 ps (its
 * default). One SystemC-backed tzsim kernel per process (kernel.h): a process holds
 * one tzsim::Gic or one tzsim::Platform unless they share a struct sim
 * (the constructor's @sim).
 */
#ifndef SIM_SYSTEMC_TLM_GIC_H
#define SIM_SYSTEMC_TLM_GIC_H

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "models/gic/gic.h"
#include "sim/bus.h"
#include "sim/kernel/costs.h"
#include "sim/kernel/sim.h"

namespace tzsim {

/*
 * The Secure/Non-secure attribute of a transaction (AxPROT[1] inverted).
 * Absent: Non-secure. Attach it with trans.set_extension(&ext) or
 * SecureExtension::set(trans, secure, storage).
 */
struct SecureExtension : tlm::tlm_extension<SecureExtension> {
	bool secure;
	explicit SecureExtension(bool s = false) : secure(s) {}
	tlm::tlm_extension_base *clone() const override { return new SecureExtension(*this); }
	void copy_from(const tlm::tlm_extension_base &e) override
	{
		secure = static_cast<const SecureExtension &>(e).secure;
	}
	/* The transaction's attribute: false (Non-secure) without an extension. */
	static bool is_secure(const tlm::tlm_generic_payload &t)
	{
		const SecureExtension *e = t.get_extension<SecureExtension>();
		return e && e->secure;
	}
};

/* A time as the cost table gives it at a preset's clock (costs.h). */
sc_core::sc_time cost_time(enum sim_cost_id id, enum sim_preset preset = SIM_PRESET_A53);

struct GicConfig {
	unsigned num_pes = 1;       /* 1..GIC_MAX_PES */
	unsigned num_spis = 64;     /* multiple of 32, 32..988 */
	unsigned prio_bits = 5;     /* 4..8 */
	bool security_disabled = false; /* GICD_CTLR.DS fixed at 1 */
	/* where the frames are on the socket: QEMU virt's layout, from the GICD frame */
	uint64_t gicd_base = 0;
	uint64_t gicr_base = GIC_VIRT_GICR_BASE - GIC_VIRT_GICD_BASE;
	/* timing: the cost table's Cortex-A53 preset (costs.h) */
	sc_core::sc_time mmio = cost_time(SIM_COST_GIC_MMIO);
	sc_core::sc_time sysreg = cost_time(SIM_COST_GIC_SYSREG);
	sc_core::sc_time pend_to_wire = cost_time(SIM_COST_GIC_PEND_TO_WIRE);
	sc_core::sc_time ack_rearb = cost_time(SIM_COST_GIC_ACK_REARB);
	sc_core::sc_time sgi_delay = cost_time(SIM_COST_GIC_SGI_DELAY);
	uint64_t seed = 1;          /* the struct sim's seed, when the module makes it */
};

class Gic : public sc_core::sc_module {
public:
	tlm_utils::simple_target_socket<Gic> socket;
	sc_core::sc_vector<sc_core::sc_in<bool>> spi; /* [intid - 32] */
	sc_core::sc_vector<sc_core::sc_in<bool>> ppi; /* [pe * 16 + intid - 16] */
	sc_core::sc_vector<sc_core::sc_out<bool>> irq, fiq, wake; /* [pe] */

	/*
	 * A GIC in its reset state (gic.h): every SPI Group 0, disabled, routed
	 * to PE 0; every Redistributor asleep (GICR_WAKER.ProcessorSleep = 1);
	 * every PE at EL3, Secure. @sim: a SystemC-backed simulation to share
	 * (NULL: the module makes one with cfg.seed; it lives as long as the
	 * module). Reports SC_REPORT_ERROR (which throws by default) on a bad
	 * configuration or when the SystemC kernel is taken.
	 */
	explicit Gic(sc_core::sc_module_name name, const GicConfig &cfg = GicConfig(), struct sim *sim = nullptr);
	~Gic() override;
	Gic(const Gic &) = delete;
	Gic &operator=(const Gic &) = delete;

	/*
	 * icc_read/icc_write - PE @pe accesses ICC system register @reg (gic.h
	 * enum gic_icc_reg: ICC_IAR1_EL1, ICC_EOIR1_EL1, ICC_PMR_EL1, ...) from
	 * exception level @el (0..3) in security state @secure (EL3 counts as
	 * Secure), as an MRS/MSR would. The access acts at the call
	 * (sc_time_stamp()) and first tells the GIC the PE's state (as
	 * pe_state), which chooses IRQ or FIQ for each group. @delay, when
	 * given, grows by cfg.sysreg. Returns 0, or -1 when the register is not
	 * accessible from that EL/state (an UNDEFINED instruction on hardware)
	 * or @pe/@el is out of range. Reading ICC_IAR0/1_EL1 acknowledges (1023
	 * when nothing is eligible); use gic_icc_reg_from_encoding to map an
	 * (op0, op1, CRn, CRm, op2) encoding.
	 */
	int icc_read(unsigned pe, unsigned el, bool secure, gic_icc_reg reg, uint64_t &val,
		     sc_core::sc_time *delay = nullptr);
	int icc_write(unsigned pe, unsigned el, bool secure, gic_icc_reg reg, uint64_t val,
		      sc_core::sc_time *delay = nullptr);

	/* pe_state - PE @pe now runs at @el in @secure (gic_pe_state), at the call. Ignored when out of range. */
	void pe_state(unsigned pe, unsigned el, bool secure);

	/* The model and its simulation, for inspection (gic_is_pending, ...) and trace sinks. */
	struct gic *model() { return gic_; }
	struct sim *simulation() { return sim_; }
	const GicConfig &config() const { return cfg_; }

private:
	struct Posted;
	GicConfig cfg_;
	struct sim own_sim_ {};
	struct sim *sim_ = nullptr;
	struct gic *gic_ = nullptr;
	struct sim_bus *bus_ = nullptr;
	std::vector<std::unique_ptr<Posted>> pool_; /* posted writes, recycled */
	std::vector<Posted *> free_;
	std::vector<unsigned> last_state_; /* pe -> el | secure << 2, the state the GIC was told */
	/* outputs: the wires' levels, written by write_outputs() */
	std::vector<bool> out_level_[3];
	sc_core::sc_event out_ev_;
	std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> ties_;

	void b_transport(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
	unsigned int transport_dbg(tlm::tlm_generic_payload &t);
	/* Check and locate an access: 0 and the region, or the response status. */
	tlm::tlm_response_status locate(const tlm::tlm_generic_payload &t, const sim_bus_region **r,
					uint64_t *off, unsigned *size);
	void sync();
	void set_pe_state(unsigned pe, unsigned el, bool secure);
	static void posted_fire(void *ctx, uint64_t arg);
	static void wire_changed(void *ctx, unsigned idx, int level);
	void write_outputs();
	void input_changed(unsigned i);
	void before_end_of_elaboration() override;
};

} // namespace tzsim

#endif
