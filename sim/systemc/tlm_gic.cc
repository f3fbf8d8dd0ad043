// SPDX-License-Identifier: BSD-3-Clause
/* sim/systemc/tlm_gic.cc: tzsim::Gic, the GICv3 model behind a TLM-2.0 socket (see tlm_gic.h). */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "sim/systemc/tlm_gic.h"

#include <cstring>
#include <string>

#include "sim/kernel/systemc.h"

using namespace sc_core;

namespace tzsim {

namespace {

enum { OUT_IRQ = 0, OUT_FIQ = 1, OUT_WAKE = 2 };

sim_time to_ps(const sc_time &t) { return (sim_time)t.value(); }

/* Bind an unbound port to a signal of its own, so it reads as (or drives) nothing. */
template <typename Port>
void tie_off(Port &port, std::vector<std::unique_ptr<sc_signal<bool>>> &ties)
{
	if (port.bind_count() != 0)
		return;
	ties.emplace_back(new sc_signal<bool>(sc_gen_unique_name("tie")));
	port.bind(*ties.back());
}

} // namespace

sc_time cost_time(enum sim_cost_id id, enum sim_preset preset)
{
	struct sim_costs t;
	sim_costs_preset(&t, preset);
	return sc_time((double)sim_cost_sample(&t.c[id], nullptr, &t.clock), SC_PS);
}

/* A write waiting for its time: one tzsim event each, recycled. */
struct Gic::Posted {
	struct sim_event ev;
	Gic *g;
	const struct sim_bus_region *r;
	uint64_t off, val;
	unsigned size;
	bool secure;
};

Gic::Gic(sc_module_name name, const GicConfig &cfg, struct sim *sim)
    : sc_module(name), socket("socket"), spi("spi", cfg.num_spis), ppi("ppi", cfg.num_pes * GIC_NUM_PPI),
      irq("irq", cfg.num_pes), fiq("fiq", cfg.num_pes), wake("wake", cfg.num_pes), cfg_(cfg)
{
	struct gic_config gc;

	if (sim) {
		sim_ = sim;
	} else {
		if (sim_init(&own_sim_, SIM_BACKEND_SYSTEMC, cfg.seed) != 0)
			SC_REPORT_ERROR("tzsim::Gic", "the SystemC kernel is not available (one tzsim kernel per process)");
		sim_ = &own_sim_;
	}
	if (!sim_->k || sim_kernel_backend(sim_->k) != SIM_BACKEND_SYSTEMC)
		SC_REPORT_ERROR("tzsim::Gic", "the simulation does not run on the SystemC backend");
	if (sc_get_time_resolution() != sc_time(1, SC_PS))
		SC_REPORT_ERROR("tzsim::Gic", "tzsim needs SystemC's time resolution at 1 ps");
	gic_config_default(&gc, cfg.num_pes, cfg.num_spis);
	gc.prio_bits = cfg.prio_bits;
	gc.security_disabled = cfg.security_disabled;
	gc.pend_to_wire = to_ps(cfg.pend_to_wire);
	gc.ack_rearb = to_ps(cfg.ack_rearb);
	gc.sgi_delay = to_ps(cfg.sgi_delay);
	gic_ = gic_new(sim_, &gc);
	bus_ = sim_bus_new(sim_);
	if (!gic_ || !bus_)
		SC_REPORT_ERROR("tzsim::Gic", "bad configuration: num_pes 1..256, num_spis a multiple of 32 "
					      "in 32..988 (or 988), prio_bits 4..8");
	if (gic_map(gic_, bus_, cfg.gicd_base, cfg.gicr_base) != 0)
		SC_REPORT_ERROR("tzsim::Gic", "the GICD and GICR bases must be 64 KiB aligned and the frames "
					      "must not overlap");

	socket.register_b_transport(this, &Gic::b_transport);
	socket.register_transport_dbg(this, &Gic::transport_dbg);

	last_state_.assign(cfg.num_pes, 3u | 4u); /* reset: EL3, Secure */
	for (auto &v : out_level_)
		v.assign(cfg.num_pes, false);
	for (unsigned pe = 0; pe < cfg.num_pes; pe++) {
		sim_wire_connect(gic_irq_wire(gic_, pe), wire_changed, this, OUT_IRQ * cfg.num_pes + pe);
		sim_wire_connect(gic_fiq_wire(gic_, pe), wire_changed, this, OUT_FIQ * cfg.num_pes + pe);
		sim_wire_connect(gic_wake_wire(gic_, pe), wire_changed, this, OUT_WAKE * cfg.num_pes + pe);
	}

	/* the outputs' one writer */
	{
		sc_spawn_options o;
		o.spawn_method();
		o.dont_initialize();
		o.set_sensitivity(&out_ev_);
		sc_spawn([this] { write_outputs(); }, sc_gen_unique_name("outputs"), &o);
	}
	/* one method per input line: a change acts at its SystemC time */
	for (unsigned i = 0; i < cfg.num_spis + cfg.num_pes * GIC_NUM_PPI; i++) {
		sc_spawn_options o;
		o.spawn_method();
		o.dont_initialize();
		if (i < cfg.num_spis)
			o.set_sensitivity(&spi[i]);
		else
			o.set_sensitivity(&ppi[i - cfg.num_spis]);
		sc_spawn([this, i] { input_changed(i); }, sc_gen_unique_name("input"), &o);
	}
}

Gic::~Gic()
{
	if (sim_ && sim_->k)
		for (auto &p : pool_)
			sim_cancel(sim_->k, &p->ev);
	gic_free(gic_);
	sim_bus_free(bus_);
	if (sim_ == &own_sim_ && own_sim_.k)
		sim_fini(&own_sim_);
}

void Gic::before_end_of_elaboration()
{
	for (auto &p : spi)
		tie_off(p, ties_);
	for (auto &p : ppi)
		tie_off(p, ties_);
	for (auto *v : { &irq, &fiq, &wake })
		for (auto &p : *v)
			tie_off(p, ties_);
}

void Gic::sync() { sim_systemc_sync(sim_->k); }

void Gic::set_pe_state(unsigned pe, unsigned el, bool secure)
{
	unsigned code = el | ((secure || el == 3) ? 4u : 0u);
	if (last_state_[pe] == code)
		return;
	last_state_[pe] = code;
	gic_pe_state(gic_, pe, el, secure);
}

void Gic::pe_state(unsigned pe, unsigned el, bool secure)
{
	if (pe >= cfg_.num_pes || el > 3)
		return;
	sync();
	set_pe_state(pe, el, secure);
}

int Gic::icc_read(unsigned pe, unsigned el, bool secure, gic_icc_reg reg, uint64_t &val, sc_time *delay)
{
	if (pe >= cfg_.num_pes || el > 3)
		return -1;
	sync();
	set_pe_state(pe, el, secure);
	struct gic_icc_access a = { pe, el, secure || el == 3 };
	if (delay)
		*delay += cfg_.sysreg;
	return gic_icc_read(gic_, &a, reg, &val);
}

int Gic::icc_write(unsigned pe, unsigned el, bool secure, gic_icc_reg reg, uint64_t val, sc_time *delay)
{
	if (pe >= cfg_.num_pes || el > 3)
		return -1;
	sync();
	set_pe_state(pe, el, secure);
	struct gic_icc_access a = { pe, el, secure || el == 3 };
	if (delay)
		*delay += cfg_.sysreg;
	return gic_icc_write(gic_, &a, reg, val);
}

tlm::tlm_response_status Gic::locate(const tlm::tlm_generic_payload &t, const sim_bus_region **r, uint64_t *off,
				     unsigned *size)
{
	uint64_t addr = t.get_address();
	unsigned len = t.get_data_length();
	*r = sim_bus_find(bus_, addr);
	if (!*r)
		return tlm::TLM_ADDRESS_ERROR_RESPONSE;
	if (len == 0 || len > 8 || t.get_streaming_width() < len)
		return tlm::TLM_BURST_ERROR_RESPONSE;
	if (addr - (*r)->base + len > (*r)->size)
		return tlm::TLM_ADDRESS_ERROR_RESPONSE; /* runs off the frame's end */
	*off = addr - (*r)->base;
	*size = len;
	return tlm::TLM_OK_RESPONSE;
}

namespace {

bool byte_enabled(const tlm::tlm_generic_payload &t, unsigned i)
{
	const unsigned char *be = t.get_byte_enable_ptr();
	unsigned n = t.get_byte_enable_length();
	return !be || !n || be[i % n] == TLM_BYTE_ENABLED;
}

} // namespace

void Gic::b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
{
	const sim_bus_region *r;
	uint64_t off = 0, v = 0;
	unsigned size = 0;
	bool secure = SecureExtension::is_secure(t);
	tlm::tlm_response_status st;

	t.set_dmi_allowed(false);
	if (t.get_command() == tlm::TLM_IGNORE_COMMAND) {
		t.set_response_status(tlm::TLM_OK_RESPONSE);
		return;
	}
	st = locate(t, &r, &off, &size);
	if (st == tlm::TLM_ADDRESS_ERROR_RESPONSE) {
		t.set_response_status(st);
		return;
	}
	delay += cfg_.mmio; /* an access inside the frames */
	if (st != tlm::TLM_OK_RESPONSE) {
		t.set_response_status(st);
		return;
	}
	sync();
	if (t.get_command() == tlm::TLM_READ_COMMAND) {
		if (r->read(r->dev, off, size, secure, &v) != 0) {
			t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
			return;
		}
		unsigned char bytes[8];
		std::memcpy(bytes, &v, sizeof(bytes)); /* host order, as the generic payload's data */
		for (unsigned i = 0; i < size; i++)
			if (byte_enabled(t, i))
				t.get_data_ptr()[i] = bytes[i];
		t.set_response_status(tlm::TLM_OK_RESPONSE);
		return;
	}
	for (unsigned i = 0; i < size; i++)
		if (!byte_enabled(t, i)) {
			t.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
			return;
		}
	/* The status is decided now: a read of the same size at the same offset
	 * (no side effects in GICD/GICR) is refused exactly when the write would be. */
	{
		uint64_t probe;
		if (r->read(r->dev, off, size, secure, &probe) != 0) {
			t.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
			return;
		}
	}
	std::memcpy(&v, t.get_data_ptr(), size);
	sim_time when = to_ps(sc_time_stamp() + delay);
	if (when <= sim_now(sim_->k)) {
		r->write(r->dev, off, size, secure, v);
	} else {
		Posted *p;
		if (free_.empty()) {
			pool_.emplace_back(new Posted());
			p = pool_.back().get();
			sim_event_init(&p->ev, posted_fire, p);
		} else {
			p = free_.back();
			free_.pop_back();
		}
		p->g = this;
		p->r = r;
		p->off = off;
		p->size = size;
		p->secure = secure;
		p->val = v;
		sim_schedule_at(sim_->k, &p->ev, when, 0);
	}
	t.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Gic::posted_fire(void *ctx, uint64_t)
{
	Posted *p = static_cast<Posted *>(ctx);
	p->r->write(p->r->dev, p->off, p->size, p->secure, p->val);
	p->g->free_.push_back(p);
}

unsigned int Gic::transport_dbg(tlm::tlm_generic_payload &t)
{
	const sim_bus_region *r;
	uint64_t off = 0, v = 0;
	unsigned size = 0;
	if (t.get_command() != tlm::TLM_READ_COMMAND) {
		t.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE); /* no debug writes: they would bypass time */
		return 0;
	}
	tlm::tlm_response_status st = locate(t, &r, &off, &size);
	if (st == tlm::TLM_OK_RESPONSE && r->read(r->dev, off, size, SecureExtension::is_secure(t), &v) != 0)
		st = tlm::TLM_GENERIC_ERROR_RESPONSE;
	t.set_response_status(st);
	if (st != tlm::TLM_OK_RESPONSE)
		return 0;
	std::memcpy(t.get_data_ptr(), &v, size);
	return size;
}

void Gic::wire_changed(void *ctx, unsigned idx, int level)
{
	Gic *g = static_cast<Gic *>(ctx);
	unsigned n = g->cfg_.num_pes;
	g->out_level_[idx / n][idx % n] = level != 0;
	g->out_ev_.notify(SC_ZERO_TIME);
}

void Gic::write_outputs()
{
	sc_vector<sc_out<bool>> *outs[3] = { &irq, &fiq, &wake };
	for (unsigned k = 0; k < 3; k++)
		for (unsigned pe = 0; pe < cfg_.num_pes; pe++)
			if ((*outs[k])[pe].read() != out_level_[k][pe])
				(*outs[k])[pe].write(out_level_[k][pe]);
}

void Gic::input_changed(unsigned i)
{
	sync();
	if (i < cfg_.num_spis) {
		gic_spi_input(gic_, GIC_SPI_BASE + i, spi[i].read());
	} else {
		unsigned k = i - cfg_.num_spis, pe = k / GIC_NUM_PPI, intid = GIC_NUM_SGI + k % GIC_NUM_PPI;
		gic_ppi_input(gic_, pe * 32 + intid, ppi[k].read());
	}
}

} // namespace tzsim
