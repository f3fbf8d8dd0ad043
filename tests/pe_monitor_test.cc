// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/pe_monitor_test.cc: rule tests for the CPU model (models/cpu/pe.h)
 * and the EL3 monitor (models/monitor/monitor.h).
 *
 * The rig is a real GIC, real PEs and the real monitor, with a test OP-TEE
 * (a vector table whose entries log where they ran and return the matching
 * TEESMC_OPTEED_RETURN_*) and a test normal world (an entry point and an IRQ
 * vector). Costs come from the cost presets (sim/kernel/costs.h); every time is
 * asserted to the picosecond. Each test cites where its rule comes from:
 * pe.h / monitor.h (the models' contracts), docs/protocol.md sections (the
 * project's verified rule sheet: §5.2 routing, §5.5 GICR_WAKER, §6.3 PSCI
 * IDs, §6.4 opteed) or the PSCI specification (DEN0022) return codes.
 */
#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/cpu/pe_internal.h" /* the PE's own tests inspect its state */
#include "models/gic/gic.h"
#include "models/monitor/monitor.h"
#include "testutil.h"

namespace {

using Fn = std::function<void(pe *)>;
using Args = std::array<uint64_t, 8>;

constexpr sim_time NEVER = SIM_TIME_MAX;
constexpr unsigned SEC_SPI = 40; /* Secure Group 1, edge, declared to the monitor, routed to PE0 */
constexpr unsigned NS_SPI = 48;  /* Non-secure Group 1, configured after boot */
constexpr unsigned NS_SPI2 = 49;
constexpr uint32_t OPTEE_YIELD_FID = 0x32000004u; /* OEN 50, yielding, SMC32 (CALL_WITH_ARG) */
constexpr uint32_t OPTEE_FAST_FID = 0xB2000009u;  /* OEN 50, fast, SMC32 (EXCHANGE_CAPABILITIES) */
constexpr uint32_t SIP_UNKNOWN_FID = 0xC2001234u; /* OEN 2 (SiP): no service registered */

uint64_t s64(int64_t v) { return (uint64_t)v; }

/* Where a test OP-TEE entry ran. */
struct TeeEntry {
	std::string name;
	unsigned cpu;
	unsigned el, world;
	bool mask_i, mask_f;
	Args x;
	sim_time t;
};

/* An NS IRQ taken by the test normal world. */
struct IrqTaken {
	unsigned cpu, intid;
	sim_time t; /* when the vector ran (after the entry cost) */
	bool mask_i, mask_f;
	unsigned world;
};

class Rig {
public:
	sim s{};
	sim_costs costs{};
	gic_config gc{};
	gic *g = nullptr;
	sim_bus *bus = nullptr;
	std::vector<pe *> pptr;
	mon *m = nullptr;
	RecordLog log;
	tee_vectors tv{};

	std::vector<TeeEntry> tee_log;
	std::vector<IrqTaken> irqs;
	std::vector<unsigned> fiq_intids; /* IAR1 values read by the test OP-TEE's fiq_entry */
	std::vector<Fn> ns_main;          /* per PE: what the normal world runs at its entry */
	std::vector<sim_time> ns_entered; /* per PE: last NS entry */
	std::vector<unsigned> ns_entries; /* per PE: number of NS entries */
	std::array<uint64_t, 4> yield_res{ 0xA1, 0xA2, 0xA3, 0xA4 };
	std::array<uint64_t, 4> fast_res{ 0xF1, 0xF2, 0xF3, 0xF4 };
	sim_time irq_handler_ps = 5 * SIM_US; /* the NS IRQ handler's work between IAR and EOI */
	Fn ns_irq_body;                       /* replaces the handler's work when set (must end in pe_eret) */

	explicit Rig(unsigned n = 1, sim_preset preset = SIM_PRESET_A53, sim_time pend_to_wire = NEVER,
		     bool el3_legs = false)
	{
		EXPECT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
		log.attach(s.tr);
		sim_costs_preset(&costs, preset);
		gic_config_default(&gc, n, 64);
		if (pend_to_wire != NEVER)
			gc.pend_to_wire = pend_to_wire;
		g = gic_new(&s, &gc);
		EXPECT_NE(g, nullptr);
		bus = sim_bus_new(&s);
		EXPECT_EQ(gic_map(g, bus, GIC_VIRT_GICD_BASE, GIC_VIRT_GICR_BASE), 0);
		for (unsigned i = 0; i < n; i++) {
			pe *p = pe_new(&s, i, &costs);
			pptr.push_back(p);
			pe_ports ports{ this, port_state, port_icc_read, port_icc_write, port_mmio_read, port_mmio_write };
			pe_set_ports(p, &ports);
			sim_wire_connect(gic_irq_wire(g, i), pe_irq_input, p, 0);
			sim_wire_connect(gic_fiq_wire(g, i), pe_fiq_input, p, 0);
			pe_set_vector(p, PE_VEC_NS_IRQ, ns_irq_vector, this);
		}
		ns_main.resize(n);
		ns_entered.assign(n, NEVER);
		ns_entries.assign(n, 0);
		mon_config mc{};
		mc.gicd_base = GIC_VIRT_GICD_BASE;
		mc.gicr_base = GIC_VIRT_GICR_BASE;
		mc.num_spis = 64;
		mc.sirq[0] = mon_secure_irq{ SEC_SPI, false, 0, 0x10 };
		mc.n_sirq = 1;
		mc.el3_legs = el3_legs;
		m = mon_new(&s, pptr.data(), n, &mc);
		EXPECT_NE(m, nullptr);
		for (unsigned i = 0; i < n; i++)
			sim_wire_connect(gic_wake_wire(g, i), mon_wake_input, m, i);
		tv.yield_smc_entry = tee_yield;
		tv.fast_smc_entry = tee_fast;
		tv.cpu_on_entry = tee_cpu_on;
		tv.cpu_off_entry = tee_cpu_off;
		tv.cpu_resume_entry = tee_cpu_resume;
		tv.cpu_suspend_entry = tee_cpu_suspend;
		tv.fiq_entry = tee_fiq;
		tv.system_off_entry = tee_unexpected;
		tv.system_reset_entry = tee_unexpected;
		tv.ctx = this;
		mon_set_tee(m, tee_cold_boot, &tv);
		mon_set_ns_entry(m, ns_entry, this);
	}
	~Rig()
	{
		mon_free(m);
		gic_free(g);
		for (pe *p : pptr)
			pe_free(p);
		sim_bus_free(bus);
		sim_fini(&s);
	}
	Rig(const Rig &) = delete;
	Rig &operator=(const Rig &) = delete;

	pe *P(unsigned i) { return pptr[i]; }
	sim_time now() const { return sim_now(s.k); }
	/* A constant cost of the preset, in ps (as pe_cost draws it). */
	sim_time ps(sim_cost_id id) const { return sim_cost_sample(&costs.c[id], nullptr, &costs.clock); }
	/*
	 * A secure interrupt taken while the normal world runs, end to end (docs/protocol.md §6.4,
	 * TF-A opteed_sel1_interrupt_handler): FIQ entry to EL3, dispatch, world switch, the ERET
	 * into S-EL1 (el3_exit), OP-TEE's handler (here tee.itr), the FIQ_DONE SMC's entry and its
	 * dispatch (every SMC takes BL31's one vector and C dispatch: runtime_exceptions.S
	 * handle_sync_exception, runtime_svc.c get_handler_for_smc_fid), the switch back, the ERET.
	 */
	sim_time fiq_path() const
	{
		return ps(SIM_COST_EXC_ENTRY) + ps(SIM_COST_EL3_DISPATCH) + ps(SIM_COST_WORLD_SWITCH) +
		       ps(SIM_COST_EXC_RETURN) + ps(SIM_COST_TEE_ITR) + ps(SIM_COST_EXC_ENTRY) +
		       ps(SIM_COST_EL3_DISPATCH) + ps(SIM_COST_WORLD_RESTORE) + ps(SIM_COST_EXC_RETURN);
	}

	/* ---- continuations ---- */
	static void tramp(void *ctx, pe *p) { (*static_cast<Fn *>(ctx))(p); }
	void *k(Fn f)
	{
		fns.push_back(std::move(f));
		return &fns.back();
	}
	void exec(pe *p, sim_time d, const char *label, Fn then) { pe_exec(p, d, label, tramp, k(std::move(then))); }
	void smc(pe *p, const Args &a, Fn then) { pe_smc(p, a.data(), tramp, k(std::move(then))); }
	/* Run @f at absolute time @t (a device, or the test bench). */
	void at(sim_time t, std::function<void()> f)
	{
		evs.push_back(std::move(f));
		ASSERT_NE(sim_post(s.k, t - now(), ev_tramp, &evs.back(), 0), nullptr);
	}
	void run_until(std::function<bool()> done)
	{
		sim_run_while(s.k, not_done, &done);
		EXPECT_TRUE(done()) << "the simulation went idle first, at t=" << now();
	}
	void run_idle() { sim_run_idle(s.k); }

	/* Cold boot PE0 and run until the normal world is entered. */
	void boot()
	{
		mon_cold_boot(m, 0);
		run_until([this] { return ns_entries[0] > 0; });
	}

	/*
	 * An SMC from the (idle) normal world on @cpu, issued by the test bench:
	 * returns x0..x3 and the time the caller resumed.
	 */
	struct Ret {
		std::array<uint64_t, 4> x{};
		sim_time issued = 0, t = NEVER;
	};
	Ret call(unsigned cpu, const Args &a)
	{
		pe *p = P(cpu);
		auto r = std::make_shared<Ret>();
		EXPECT_TRUE(p->power == PE_ON && !p->working && p->world == SIM_WORLD_NS);
		r->issued = now();
		smc(p, a, [this, r](pe *q) {
			for (int i = 0; i < 4; i++)
				r->x[i] = pe_regs(q)[i];
			r->t = now();
			pe_idle(q);
		});
		run_until([r] { return r->t != NEVER; });
		return *r;
	}
	/* An SMC that must not return (CPU_OFF). */
	void call_noreturn(unsigned cpu, const Args &a)
	{
		smc(P(cpu), a, [](pe *) { ADD_FAILURE() << "the SMC returned"; });
	}

	/* ---- the GIC, as the test bench programs it ---- */
	uint64_t rd(uint64_t addr, unsigned size = 4)
	{
		uint64_t v = ~0ull;
		sim_bus_access a{ -1, 3, true };
		EXPECT_EQ(sim_bus_read(bus, &a, addr, size, &v), 0);
		return v;
	}
	void wr(uint64_t addr, uint64_t v, unsigned size = 4)
	{
		sim_bus_access a{ -1, 3, true };
		EXPECT_EQ(sim_bus_write(bus, &a, addr, size, v), 0);
	}
	uint64_t waker(unsigned cpu) { return rd(GIC_VIRT_GICR_BASE + (uint64_t)cpu * GICR_STRIDE + GICR_WAKER); }
	/* A Non-secure Group 1 edge SPI (the monitor made it G1NS at boot), routed and enabled. */
	void ns_spi(unsigned id, unsigned cpu, uint8_t prio)
	{
		uint64_t cfg = GIC_VIRT_GICD_BASE + GICD_ICFGR + 4 * (id / 16);
		wr(cfg, rd(cfg) | (2ull << (2 * (id % 16))));
		wr(GIC_VIRT_GICD_BASE + GICD_IPRIORITYR + id, prio, 1);
		wr(GIC_VIRT_GICD_BASE + GICD_IROUTER + 8 * id, pe_mpidr(cpu), 8);
		wr(GIC_VIRT_GICD_BASE + GICD_ISENABLER + 4 * (id / 32), 1ull << (id % 32));
	}
	/* A rising and falling edge on SPI @id at the current time. */
	void pulse(unsigned id)
	{
		gic_spi_input(g, id, 1);
		gic_spi_input(g, id, 0);
	}

	/* ---- trace queries ---- */
	std::vector<sim_rec> recs(unsigned kind, int cpu = -2) const
	{
		std::vector<sim_rec> v;
		for (const auto &r : log.recs)
			if (r.kind == kind && (cpu == -2 || r.cpu == cpu))
				v.push_back(r);
		return v;
	}
	/* Time PE @cpu spent outside the normal world in [t0, t1), from TR_ACTIVITY spans. */
	sim_time non_ns_time(int cpu, sim_time t0, sim_time t1) const
	{
		sim_time sum = 0, since = 0;
		bool open = false;
		for (const auto &r : log.recs) {
			if (r.kind != TR_ACTIVITY || r.cpu != cpu)
				continue;
			if (open) {
				sim_time a = std::max(since, t0), b = std::min(r.t, t1);
				if (b > a)
					sum += b - a;
			}
			open = r.label != nullptr && r.world != SIM_WORLD_NS;
			since = r.t;
		}
		if (open && t1 > std::max(since, t0))
			sum += t1 - std::max(since, t0);
		return sum;
	}

private:
	std::deque<Fn> fns; /* deque: stable addresses for the continuations' contexts */
	std::deque<std::function<void()>> evs;

	static bool not_done(void *ctx) { return !(*static_cast<std::function<bool()> *>(ctx))(); }
	static void ev_tramp(void *ctx, uint64_t) { (*static_cast<std::function<void()> *>(ctx))(); }

	/* port glue, as sim/platform.c wires it */
	static void port_state(void *ctx, unsigned p, unsigned el, bool secure)
	{
		gic_pe_state(static_cast<Rig *>(ctx)->g, p, el, secure);
	}
	static int port_icc_read(void *ctx, unsigned p, unsigned el, bool secure, int reg, uint64_t *val)
	{
		gic_icc_access a{ p, el, secure };
		return gic_icc_read(static_cast<Rig *>(ctx)->g, &a, (gic_icc_reg)reg, val);
	}
	static int port_icc_write(void *ctx, unsigned p, unsigned el, bool secure, int reg, uint64_t val)
	{
		gic_icc_access a{ p, el, secure };
		return gic_icc_write(static_cast<Rig *>(ctx)->g, &a, (gic_icc_reg)reg, val);
	}
	static int port_mmio_read(void *ctx, unsigned p, unsigned el, bool secure, uint64_t addr, unsigned size,
				  uint64_t *val)
	{
		sim_bus_access a{ (int)p, el, secure };
		return sim_bus_read(static_cast<Rig *>(ctx)->bus, &a, addr, size, val);
	}
	static int port_mmio_write(void *ctx, unsigned p, unsigned el, bool secure, uint64_t addr, unsigned size,
				   uint64_t val)
	{
		sim_bus_access a{ (int)p, el, secure };
		return sim_bus_write(static_cast<Rig *>(ctx)->bus, &a, addr, size, val);
	}

	/* ---- the test OP-TEE: each entry logs itself, then returns with its *_DONE ---- */
	void note(const char *name, pe *p)
	{
		TeeEntry e{ name, pe_id(p), p->el, p->world, p->mask_i != 0, p->mask_f != 0, {}, now() };
		for (int i = 0; i < 8; i++)
			e.x[i] = pe_regs(p)[i];
		tee_log.push_back(e);
	}
	void tee_return(pe *p, uint32_t fid, uint64_t x1 = 0, uint64_t x2 = 0, uint64_t x3 = 0, uint64_t x4 = 0)
	{
		/* opteed never resumes OP-TEE after a TEESMC_OPTEED_RETURN_* (docs/protocol.md §6.4) */
		smc(p, Args{ fid, x1, x2, x3, x4, 0, 0, 0 }, [](pe *) { ADD_FAILURE() << "OP-TEE resumed after *_DONE"; });
	}
	static Rig *R(void *ctx) { return static_cast<Rig *>(ctx); }
	static void tee_cold_boot(void *ctx, pe *p)
	{
		R(ctx)->note("cold_boot", p);
		R(ctx)->tee_return(p, TEESMC_OPTEED_RETURN_ENTRY_DONE);
	}
	static void tee_yield(void *ctx, pe *p)
	{
		Rig *r = R(ctx);
		r->note("yield_smc_entry", p);
		r->exec(p, r->ps(SIM_COST_TEE_STD_ENTRY), "test tee yield", [r](pe *q) {
			const auto &y = r->yield_res;
			r->tee_return(q, TEESMC_OPTEED_RETURN_CALL_DONE, y[0], y[1], y[2], y[3]);
		});
	}
	static void tee_fast(void *ctx, pe *p)
	{
		Rig *r = R(ctx);
		r->note("fast_smc_entry", p);
		r->exec(p, r->ps(SIM_COST_TEE_FAST), "test tee fast", [r](pe *q) {
			const auto &f = r->fast_res;
			r->tee_return(q, TEESMC_OPTEED_RETURN_CALL_DONE, f[0], f[1], f[2], f[3]);
		});
	}
	void pm_hook(const char *name, pe *p, uint32_t done)
	{
		note(name, p);
		exec(p, ps(SIM_COST_TEE_PM_HOOK), name, [this, done](pe *q) { tee_return(q, done); });
	}
	static void tee_cpu_on(void *ctx, pe *p) { R(ctx)->pm_hook("cpu_on_entry", p, TEESMC_OPTEED_RETURN_ON_DONE); }
	static void tee_cpu_off(void *ctx, pe *p) { R(ctx)->pm_hook("cpu_off_entry", p, TEESMC_OPTEED_RETURN_OFF_DONE); }
	static void tee_cpu_suspend(void *ctx, pe *p)
	{
		R(ctx)->pm_hook("cpu_suspend_entry", p, TEESMC_OPTEED_RETURN_SUSPEND_DONE);
	}
	static void tee_cpu_resume(void *ctx, pe *p)
	{
		R(ctx)->pm_hook("cpu_resume_entry", p, TEESMC_OPTEED_RETURN_RESUME_DONE);
	}
	/* fiq_entry: acknowledge the Secure G1 interrupt (an IRQ at S-EL1), handle it, EOI, FIQ_DONE. */
	static void tee_fiq(void *ctx, pe *p)
	{
		Rig *r = R(ctx);
		uint64_t iar = 0;
		r->note("fiq_entry", p);
		EXPECT_EQ(pe_icc_read(p, ICC_IAR1_EL1, &iar), 0);
		r->fiq_intids.push_back((unsigned)iar);
		r->exec(p, r->ps(SIM_COST_TEE_ITR), "test tee itr", [r, iar](pe *q) {
			EXPECT_EQ(pe_icc_write(q, ICC_EOIR1_EL1, iar), 0);
			r->tee_return(q, TEESMC_OPTEED_RETURN_FIQ_DONE);
		});
	}
	static void tee_unexpected(void *ctx, pe *p)
	{
		R(ctx)->note("unexpected", p);
		ADD_FAILURE() << "unexpected OP-TEE entry";
	}

	/* ---- the test normal world ---- */
	static void ns_entry(void *ctx, pe *p)
	{
		Rig *r = R(ctx);
		r->ns_entered[pe_id(p)] = r->now();
		r->ns_entries[pe_id(p)]++;
		if (r->ns_main[pe_id(p)]) {
			r->ns_main[pe_id(p)](p);
			return;
		}
		pe_set_masks(p, false, false);
		pe_idle(p);
	}
	/* A hard-IRQ handler: IAR1, work, EOIR1, ERET (Linux gic_handle_irq with EOImode 0). */
	static void ns_irq_vector(void *ctx, pe *p, pe_exc exc)
	{
		Rig *r = R(ctx);
		uint64_t iar = 0;
		EXPECT_EQ(exc, PE_EXC_IRQ);
		EXPECT_EQ(pe_icc_read(p, ICC_IAR1_EL1, &iar), 0);
		r->irqs.push_back(IrqTaken{ pe_id(p), (unsigned)iar, r->now(), p->mask_i != 0, p->mask_f != 0, p->world });
		if (r->ns_irq_body) {
			r->ns_irq_body(p);
			return;
		}
		r->exec(p, r->irq_handler_ps, "test irq handler", [iar](pe *q) {
			EXPECT_EQ(pe_icc_write(q, ICC_EOIR1_EL1, iar), 0);
			pe_eret(q);
		});
	}
};

/* ---- PSCI_VERSION cost ------------------------------------------------------------- */

/*
 * sim/kernel/costs.h presets: an SMC round trip to PSCI is exc_entry + el3.psci +
 * exc_return (pe.h pe_smc / pe_smc_return, mon_psci.c). cortex-a53 @1.2 GHz:
 * 75 + 550 + 75 = 700 cycles; TF-A reports PSCI 1.1 (0x10001, smccc.h).
 */
TEST(PsciVersion, RoundTripCostsSevenHundredA53CyclesAndReturnsPsci11)
{
	Rig r(1, SIM_PRESET_A53);
	r.boot();
	Rig::Ret ret = r.call(0, Args{ PSCI_VERSION });
	EXPECT_EQ(ret.x[0], 0x10001u);
	EXPECT_EQ(ret.t - ret.issued, sim_clock_cycles(&r.costs.clock, 700));
	EXPECT_EQ(ret.t - ret.issued, 583333u); /* 700 / 1.2 GHz, to the ps */
}

/* Same rule, cortex-a72 @2 GHz: 50 + 500 + 50 = 600 cycles = 300 ns. */
TEST(PsciVersion, RoundTripCostsSixHundredA72Cycles)
{
	Rig r(1, SIM_PRESET_A72);
	r.boot();
	Rig::Ret ret = r.call(0, Args{ PSCI_VERSION });
	EXPECT_EQ(ret.x[0], 0x10001u);
	EXPECT_EQ(ret.t - ret.issued, sim_clock_cycles(&r.costs.clock, 600));
	EXPECT_EQ(ret.t - ret.issued, 300000u);
}

/* ---- secure FIQ in the normal world ---------------------------------------------- */

/* NS work of @dur starting at NS entry; returns (start, end). */
struct Span {
	sim_time start = NEVER, end = NEVER;
};

std::shared_ptr<Span> ns_work(Rig &r, unsigned cpu, sim_time dur, bool mask_i = false, bool mask_f = false)
{
	auto sp = std::make_shared<Span>();
	r.ns_main[cpu] = [&r, sp, dur, mask_i, mask_f](pe *p) {
		pe_set_masks(p, mask_i, mask_f);
		sp->start = r.now();
		r.exec(p, dur, "ns work", [&r, sp](pe *q) {
			sp->end = r.now();
			pe_idle(q);
		});
	};
	return sp;
}

/*
 * docs/protocol.md §5.2/§6.4 and monitor.h: a Secure G1 interrupt in the normal
 * world is a FIQ taken to EL3 (exc_entry), opteed dispatches (el3.dispatch)
 * and switches to S-EL1 (world_switch), ERETs into it (exc_return), OP-TEE's
 * fiq_entry handles it (here tee.itr), returns with the FIQ_DONE SMC
 * (exc_entry, el3.dispatch), opteed restores the normal world's registers
 * alone (world_restore: TF-A opteed_smc_handler's FIQ_DONE case saves nothing,
 * OP-TEE having preserved its own) and ERETs (exc_return) with no NS-visible
 * effect. The NS work is delayed by exactly that sum (Rig::fiq_path).
 */
TEST(MonFiq, SecureFiqDelaysNsWorkByExactlyTheSecurePathCosts)
{
	const sim_time N = 100 * SIM_US, AT = 20 * SIM_US;
	sim_time base;
	{
		Rig r(1);
		auto sp = ns_work(r, 0, N);
		r.boot();
		r.run_idle();
		base = sp->end - sp->start;
		EXPECT_EQ(base, N);
	}
	Rig r(1);
	auto sp = ns_work(r, 0, N);
	r.boot();
	sim_time inj = sp->start + AT;
	r.at(inj, [&r] { r.pulse(SEC_SPI); });
	r.run_idle();

	const sim_time expect = r.fiq_path();
	/* 75+200+1000+75+850+75+200+500+75 = 3050 cycles at 1.2 GHz, rounded per cost */
	EXPECT_EQ(expect, 2541667u);
	EXPECT_EQ(sp->end - sp->start, base + expect);

	/* The secure path really ran: one FIQ from NS EL1 to EL3, fiq_entry at S-EL1 saw the SPI. */
	auto fiq = r.recs(TR_EXC_ENTRY, 0);
	ASSERT_EQ(fiq.size(), 3u); /* cold boot's ENTRY_DONE SMC, the FIQ, the FIQ_DONE SMC */
	EXPECT_EQ(fiq[1].a, (uint64_t)PE_EXC_FIQ);
	EXPECT_EQ(fiq[1].b, 1u);
	EXPECT_EQ(fiq[1].c, 3u);
	EXPECT_EQ(fiq[1].t, inj + r.gc.pend_to_wire);
	ASSERT_EQ(r.fiq_intids.size(), 1u);
	EXPECT_EQ(r.fiq_intids[0], SEC_SPI);
	EXPECT_EQ(r.tee_log.back().name, "fiq_entry");
	EXPECT_EQ(r.tee_log.back().el, 1u);
	EXPECT_EQ(r.tee_log.back().world, (unsigned)SIM_WORLD_S);
	/* The same sum from the trace: time outside NS while the NS work was pending. */
	EXPECT_EQ(r.non_ns_time(0, sp->start, sp->end), expect);
}

/*
 * An interrupt pending when an SMC returns is taken before the caller's next
 * instruction: the ERET is a context synchronization event and a pending,
 * unmasked interrupt is taken at the instruction boundary after it (Arm ARM
 * D1.3.6; docs/protocol.md §5.2). A Secure SPI arriving while OP-TEE runs a
 * fast call (S-EL1, FIQ masked) is taken to EL3 the moment the fast call's
 * ERET reaches the normal world; the caller's code after its SMC runs after
 * FIQ_DONE, later by exactly the secure path, and still sees its own
 * results in x0..x3 (the FIQ path's SMCs used the registers meanwhile).
 */
TEST(PeSmcReturn, InterruptPendingAtTheReturnIsTakenBeforeTheCallersNextInstruction)
{
	sim_time base, entry;
	{
		Rig r(1);
		r.boot();
		Rig::Ret ret = r.call(0, Args{ OPTEE_FAST_FID, 0x9 });
		base = ret.t - ret.issued;
		ASSERT_EQ(r.tee_log.back().name, "fast_smc_entry");
		entry = r.tee_log.back().t - ret.issued;
	}
	Rig r(1);
	r.boot();
	sim_time t0 = r.now();
	/* during the fast call's tee.fast step at S-EL1 (FIQ masked there) */
	r.at(t0 + entry + 100 * SIM_NS, [&r] { r.pulse(SEC_SPI); });
	Rig::Ret ret = r.call(0, Args{ OPTEE_FAST_FID, 0x9 });
	EXPECT_EQ(ret.x, (std::array<uint64_t, 4>{ 0xF1, 0xF2, 0xF3, 0xF4 })) << "the SMC's results, after the FIQ";
	EXPECT_EQ(ret.t - ret.issued, base + r.fiq_path());
	auto ent = r.recs(TR_EXC_ENTRY, 0);
	auto back = r.recs(TR_SMC_RET, 0);
	ASSERT_GE(ent.size(), 4u); /* ENTRY_DONE, the fast SMC, the FIQ, FIQ_DONE */
	ASSERT_FALSE(back.empty());
	const sim_rec &fiq = ent[ent.size() - 2];
	EXPECT_EQ(fiq.a, (uint64_t)PE_EXC_FIQ);
	EXPECT_EQ(fiq.t, back.back().t) << "taken at the fast call's return to the normal world";
	EXPECT_EQ(r.fiq_intids.size(), 1u);
}

/* ---- PSTATE masks ------------------------------------------------------------------ */

/*
 * pe.h routing: NS IRQ -> NS EL1, masked by PSTATE.I. A pending IRQ waits
 * while I is set and is taken the moment software clears it: the exception
 * is taken at the window's end and the vector runs exc_entry later.
 */
TEST(PeMask, MaskedWindowDefersIrqToTheWindowEnd)
{
	Rig r(1);
	const sim_time W = 10 * SIM_US;
	sim_time win_start = NEVER, win_end = NEVER;
	int line_at_end = -1;
	r.ns_main[0] = [&](pe *p) {
		pe_set_masks(p, true, false); /* local_irq_disable() */
		win_start = r.now();
		r.exec(p, W, "masked window", [&](pe *q) {
			win_end = r.now();
			line_at_end = q->irq_line;
			pe_set_masks(q, false, false); /* local_irq_enable() */
			r.exec(q, 10 * SIM_US, "ns work", [](pe *q2) { pe_idle(q2); });
		});
	};
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	r.at(win_start + 2 * SIM_US, [&r] { r.pulse(NS_SPI); });
	r.run_idle();

	EXPECT_EQ(win_end, win_start + W);
	EXPECT_EQ(line_at_end, 1); /* the GIC signalled it during the window */
	auto ent = r.recs(TR_EXC_ENTRY, 0);
	ASSERT_EQ(ent.size(), 2u); /* ENTRY_DONE, the IRQ */
	EXPECT_EQ(ent[1].a, (uint64_t)PE_EXC_IRQ);
	EXPECT_EQ(ent[1].t, win_end);
	ASSERT_EQ(r.irqs.size(), 1u);
	EXPECT_EQ(r.irqs[0].intid, NS_SPI);
	EXPECT_EQ(r.irqs[0].t, win_end + r.ps(SIM_COST_EXC_ENTRY));
}

/*
 * pe.h / docs/protocol.md §5.2: SCR_EL3.FIQ = 1 routes FIQ from the normal world
 * to EL3, where the lower EL's PSTATE.F does not mask it. A Secure G1 SPI
 * arriving while Linux runs a hard-IRQ handler (I = F = 1 on entry) is taken
 * at once, to EL3.
 */
TEST(PeRouting, El3FiqIsNotMaskedByNsPstateF)
{
	Rig r(1);
	auto sp = ns_work(r, 0, 100 * SIM_US);
	sim_time inj = NEVER;
	bool f_set_in_handler = false;
	r.irq_handler_ps = 20 * SIM_US;
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	r.at(sp->start + 5 * SIM_US, [&r] { r.pulse(NS_SPI); });
	r.at(sp->start + 10 * SIM_US, [&] {
		inj = r.now();
		/* inside the hard-IRQ handler: NS EL1 with F (and I) masked */
		f_set_in_handler = r.P(0)->world == SIM_WORLD_NS && r.P(0)->el == 1 && r.P(0)->mask_f &&
				   r.P(0)->mask_i && r.P(0)->working;
		r.pulse(SEC_SPI);
	});
	r.run_idle();

	EXPECT_TRUE(f_set_in_handler);
	auto ent = r.recs(TR_EXC_ENTRY, 0);
	ASSERT_EQ(ent.size(), 4u); /* ENTRY_DONE, IRQ, FIQ, FIQ_DONE */
	EXPECT_EQ(ent[2].a, (uint64_t)PE_EXC_FIQ);
	EXPECT_EQ(ent[2].b, 1u); /* from NS EL1 */
	EXPECT_EQ(ent[2].c, 3u); /* to EL3 */
	EXPECT_EQ(ent[2].world, (uint64_t)SIM_WORLD_EL3);
	EXPECT_EQ(ent[2].t, inj + r.gc.pend_to_wire);
	ASSERT_EQ(r.fiq_intids.size(), 1u);
	EXPECT_EQ(r.fiq_intids[0], SEC_SPI);
}

/* ---- PSCI power ------------------------------------------------------------------ */

Args psci(uint32_t fid, uint64_t x1 = 0, uint64_t x2 = 0, uint64_t x3 = 0) { return Args{ fid, x1, x2, x3 }; }

/*
 * PSCI (DEN0022) CPU_OFF / CPU_ON / AFFINITY_INFO with TF-A's GIC power
 * handling (docs/protocol.md §5.5, §6.1e): after CPU_OFF the PE is off,
 * AFFINITY_INFO says OFF and GICR_WAKER has ProcessorSleep and
 * ChildrenAsleep set; CPU_ON makes it ON_PENDING until power.up, then ON with
 * both bits clear.
 */
TEST(Psci, CpuOffThenCpuOnRoundTripsPowerAffinityAndWaker)
{
	Rig r(2);
	r.boot();
	const uint64_t SLEEP = GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP;

	/* PE1 starts off (reset) */
	EXPECT_EQ(r.P(1)->power, PE_OFF);
	EXPECT_EQ(r.call(0, psci(PSCI_AFFINITY_INFO, pe_mpidr(1))).x[0], (uint64_t)PSCI_AFF_OFF);
	EXPECT_EQ(r.waker(1), SLEEP);

	/* first CPU_ON: ON_PENDING while the power controller works, then ON */
	Rig::Ret on = r.call(0, psci(PSCI_CPU_ON, pe_mpidr(1), 0x80000000, 0));
	EXPECT_EQ(on.x[0], (uint64_t)PSCI_E_SUCCESS);
	EXPECT_EQ(r.call(0, psci(PSCI_AFFINITY_INFO, pe_mpidr(1))).x[0], (uint64_t)PSCI_AFF_ON_PENDING);
	r.run_until([&] { return r.ns_entries[1] == 1; });
	EXPECT_EQ(r.P(1)->power, PE_ON);
	EXPECT_EQ(r.waker(1), 0u);
	EXPECT_EQ(r.call(0, psci(PSCI_AFFINITY_INFO, pe_mpidr(1))).x[0], (uint64_t)PSCI_AFF_ON);

	/* CPU_OFF on PE1: OP-TEE's cpu_off_entry runs, then the PE powers down */
	r.call_noreturn(1, psci(PSCI_CPU_OFF));
	r.run_until([&] { return r.P(1)->power == PE_OFF; });
	EXPECT_EQ(r.waker(1), SLEEP);
	EXPECT_EQ(r.P(1)->depth, 0);
	EXPECT_EQ(r.call(0, psci(PSCI_AFFINITY_INFO, pe_mpidr(1))).x[0], (uint64_t)PSCI_AFF_OFF);

	/* CPU_ON again: back on, awake */
	EXPECT_EQ(r.call(0, psci(PSCI_CPU_ON, pe_mpidr(1), 0x80000000, 0)).x[0], (uint64_t)PSCI_E_SUCCESS);
	r.run_until([&] { return r.ns_entries[1] == 2; });
	EXPECT_EQ(r.P(1)->power, PE_ON);
	EXPECT_EQ(r.waker(1), 0u);
	EXPECT_EQ(r.call(0, psci(PSCI_AFFINITY_INFO, pe_mpidr(1))).x[0], (uint64_t)PSCI_AFF_ON);

	std::vector<std::string> hooks;
	for (const auto &e : r.tee_log)
		if (e.cpu == 1)
			hooks.push_back(e.name);
	EXPECT_EQ(hooks, (std::vector<std::string>{ "cpu_on_entry", "cpu_off_entry", "cpu_on_entry" }));
	std::vector<uint64_t> power;
	for (const auto &p : r.recs(TR_POWER, 1))
		power.push_back(p.a);
	EXPECT_EQ(power, (std::vector<uint64_t>{ PE_ON, PE_OFF, PE_ON }));
}

/* PSCI (DEN0022) CPU_ON: a target that is already on -> ALREADY_ON (-4). */
TEST(Psci, CpuOnOfARunningCpuReturnsAlreadyOn)
{
	Rig r(2);
	r.boot();
	EXPECT_EQ(r.call(0, psci(PSCI_CPU_ON, pe_mpidr(0), 0x80000000, 0)).x[0], s64(PSCI_E_ALREADY_ON));
	EXPECT_EQ(s64(PSCI_E_ALREADY_ON), s64(-4));
}

/* PSCI (DEN0022) CPU_ON: a power-up already in flight for the target -> ON_PENDING (-5). */
TEST(Psci, CpuOnWhilePowerUpInFlightReturnsOnPending)
{
	Rig r(2);
	r.boot();
	Rig::Ret first = r.call(0, psci(PSCI_CPU_ON, pe_mpidr(1), 0x80000000, 0));
	EXPECT_EQ(first.x[0], (uint64_t)PSCI_E_SUCCESS);
	Rig::Ret second = r.call(0, psci(PSCI_CPU_ON64, pe_mpidr(1), 0x80000000, 0));
	ASSERT_LT(second.t, first.t + r.ps(SIM_COST_POWER_UP)); /* still powering up */
	EXPECT_EQ(second.x[0], s64(-5));
	r.run_idle();
	EXPECT_EQ(r.ns_entries[1], 1u); /* one power-up only */
}

/* PSCI (DEN0022) CPU_ON: an MPIDR that names no PE -> INVALID_PARAMETERS (-2). */
TEST(Psci, CpuOnWithBadMpidrReturnsInvalidParameters)
{
	Rig r(2);
	r.boot();
	EXPECT_EQ(r.call(0, psci(PSCI_CPU_ON, 0xff, 0x80000000, 0)).x[0], s64(-2));
	EXPECT_EQ(r.call(0, psci(PSCI_CPU_ON, pe_mpidr(2), 0x80000000, 0)).x[0], s64(-2));
	EXPECT_EQ(r.P(1)->power, PE_OFF);
}

/* PSCI (DEN0022) / TF-A psci_cpu_off: the last CPU on cannot go off -> DENIED (-3), and the call returns. */
TEST(Psci, CpuOffOfTheLastCpuReturnsDenied)
{
	Rig r(2);
	r.boot();
	EXPECT_EQ(r.call(0, psci(PSCI_CPU_OFF)).x[0], s64(-3));
	EXPECT_EQ(r.P(0)->power, PE_ON);
	EXPECT_EQ(mon_psci_state(r.m, 0), PSCI_AFF_ON);
}

/* ---- SMCCC dispatch -------------------------------------------------------------- */

/*
 * SMCCC (DEN0028) / monitor.h: an unknown function ID returns SMC_UNK
 * (0xFFFFFFFF) in x0; it is never fatal. The caller continues after
 * exc_entry + el3.dispatch + exc_return, and later calls still work.
 */
TEST(MonSmc, UnknownFunctionIdReturnsSmcUnkAndThePeContinues)
{
	Rig r(1);
	r.boot();
	Rig::Ret ret = r.call(0, Args{ SIP_UNKNOWN_FID, 1, 2, 3 });
	EXPECT_EQ(ret.x[0], 0xFFFFFFFFull);
	EXPECT_EQ(ret.t - ret.issued,
		  r.ps(SIM_COST_EXC_ENTRY) + r.ps(SIM_COST_EL3_DISPATCH) + r.ps(SIM_COST_EXC_RETURN));
	EXPECT_EQ(r.P(0)->world, (unsigned)SIM_WORLD_NS);
	EXPECT_EQ(r.P(0)->el, 1u);
	EXPECT_EQ(r.P(0)->depth, 0);
	EXPECT_EQ(r.call(0, Args{ PSCI_VERSION }).x[0], 0x10001u);
}

/*
 * docs/protocol.md §6.4 (TF-A opteed_main.c): a yielding OEN 50 call enters OP-TEE's
 * yield_smc_entry at S-EL1 with x1..x7 copied; OP-TEE's CALL_DONE x1..x4
 * come back as the NS caller's x0..x3.
 */
TEST(MonOpteed, YieldingSmcReachesYieldEntryAtSel1AndReturnsX1ToX4)
{
	Rig r(1);
	r.boot();
	size_t before = r.tee_log.size();
	Rig::Ret ret = r.call(0, Args{ OPTEE_YIELD_FID, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 });
	ASSERT_EQ(r.tee_log.size(), before + 1);
	const TeeEntry &e = r.tee_log.back();
	EXPECT_EQ(e.name, "yield_smc_entry");
	EXPECT_EQ(e.el, 1u);
	EXPECT_EQ(e.world, (unsigned)SIM_WORLD_S);
	EXPECT_TRUE(e.mask_i && e.mask_f); /* opteed ERETs with DAIF masked */
	EXPECT_EQ(e.x, (Args{ OPTEE_YIELD_FID, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 }));
	EXPECT_EQ(ret.x, (std::array<uint64_t, 4>{ 0xA1, 0xA2, 0xA3, 0xA4 }));
	/*
	 * exc_entry + dispatch + switch + the ERET into S-EL1 (el3_exit) + OP-TEE + CALL_DONE's
	 * entry + its dispatch (BL31 dispatches a secure SMC as it does a normal one:
	 * handle_sync_exception, get_handler_for_smc_fid) + switch + exc_return
	 */
	EXPECT_EQ(ret.t - ret.issued, r.ps(SIM_COST_EXC_ENTRY) + r.ps(SIM_COST_EL3_DISPATCH) +
					      r.ps(SIM_COST_WORLD_SWITCH) + r.ps(SIM_COST_EXC_RETURN) +
					      r.ps(SIM_COST_TEE_STD_ENTRY) + r.ps(SIM_COST_EXC_ENTRY) +
					      r.ps(SIM_COST_EL3_DISPATCH) + r.ps(SIM_COST_WORLD_SWITCH) +
					      r.ps(SIM_COST_EXC_RETURN));
}

/* docs/protocol.md §6.4: GET_SMC_TYPE picks fast_smc_entry for a fast OEN 50 call. */
TEST(MonOpteed, FastSmcReachesFastEntry)
{
	Rig r(1);
	r.boot();
	Rig::Ret ret = r.call(0, Args{ OPTEE_FAST_FID, 0x9 });
	ASSERT_FALSE(r.tee_log.empty());
	EXPECT_EQ(r.tee_log.back().name, "fast_smc_entry");
	EXPECT_EQ(r.tee_log.back().el, 1u);
	EXPECT_EQ(r.tee_log.back().world, (unsigned)SIM_WORLD_S);
	EXPECT_EQ(r.tee_log.back().x[1], 0x9u);
	EXPECT_EQ(ret.x, (std::array<uint64_t, 4>{ 0xF1, 0xF2, 0xF3, 0xF4 }));
}

/*
 * sim/kernel/trace.h record layout and pe.h: one yielding call leaves, in order,
 * TR_SMC (NS, fid), TR_EXC_ENTRY (SMC, NS EL1 -> EL3), TR_WORLD_SWITCH
 * NS->S, TR_EXC_RETURN (the monitor's ERET to S-EL1, pe_enter), TR_SMC (S,
 * CALL_DONE), TR_EXC_ENTRY (SMC, S-EL1 -> EL3), TR_WORLD_SWITCH S->NS,
 * TR_EXC_RETURN (to NS EL1), TR_SMC_RET (NS, fid, x0..x2).
 */
TEST(MonTrace, YieldingCallRecordsWorldSwitchesSmcsAndExceptions)
{
	Rig r(1);
	r.boot();
	size_t from = r.log.recs.size();
	r.call(0, Args{ OPTEE_YIELD_FID, 0x11, 0x22, 0x33 });
	struct Want {
		uint32_t kind, world;
		uint64_t a, b, c, d;
	};
	const Want want[] = {
		{ TR_SMC, SIM_WORLD_NS, OPTEE_YIELD_FID, 0x11, 0x22, 0x33 },
		{ TR_EXC_ENTRY, SIM_WORLD_EL3, PE_EXC_SMC, 1, 3, 0 },
		{ TR_WORLD_SWITCH, ~0u, SIM_WORLD_NS, SIM_WORLD_S, 0, 0 },
		{ TR_EXC_RETURN, SIM_WORLD_S, 1, 0, 0, 0 },
		{ TR_SMC, SIM_WORLD_S, TEESMC_OPTEED_RETURN_CALL_DONE, 0xA1, 0xA2, 0xA3 },
		{ TR_EXC_ENTRY, SIM_WORLD_EL3, PE_EXC_SMC, 1, 3, 0 },
		{ TR_WORLD_SWITCH, ~0u, SIM_WORLD_S, SIM_WORLD_NS, 0, 0 },
		{ TR_EXC_RETURN, SIM_WORLD_NS, 1, 0, 0, 0 },
		{ TR_SMC_RET, SIM_WORLD_NS, OPTEE_YIELD_FID, 0xA1, 0xA2, 0xA3 },
	};
	std::vector<sim_rec> got;
	for (size_t i = from; i < r.log.recs.size(); i++) {
		const sim_rec &x = r.log.recs[i];
		if (x.cpu == 0 && (x.kind == TR_SMC || x.kind == TR_SMC_RET || x.kind == TR_EXC_ENTRY ||
				   x.kind == TR_EXC_RETURN || x.kind == TR_WORLD_SWITCH))
			got.push_back(x);
	}
	ASSERT_EQ(got.size(), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < got.size(); i++) {
		SCOPED_TRACE("record " + std::to_string(i) + " " + sim_rec_kind_name(got[i].kind));
		EXPECT_EQ(got[i].kind, want[i].kind);
		if (want[i].world != ~0u) {
			EXPECT_EQ(got[i].world, want[i].world);
		}
		EXPECT_EQ(got[i].a, want[i].a);
		EXPECT_EQ(got[i].b, want[i].b);
		EXPECT_EQ(got[i].c, want[i].c);
		EXPECT_EQ(got[i].d, want[i].d);
	}
}

/*
 * TF-A: the monitor's ERET into S-EL1 is el3_exit + ERET (lib/el3_runtime/aarch64/context.S), and a
 * secure caller's SMC takes the same vector and C dispatch as a normal one (runtime_exceptions.S
 * handle_sync_exception, runtime_svc.c handler_sync_exception -> get_handler_for_smc_fid). So the
 * TR_EXC_RETURN into S-EL1 comes one exc_return after the NS->S world switch, and CALL_DONE's
 * switch back comes exc_entry + el3.dispatch + world_switch after its exception entry.
 */
TEST(MonCosts, EretIntoSel1AndSecureSmcDispatchAreCharged)
{
	/* with outputs.el3: legs, each leg its own step: the world switch record at the switch's end */
	Rig r(1, SIM_PRESET_A53, NEVER, true);
	r.boot();
	const size_t from = r.log.recs.size();
	r.call(0, Args{ OPTEE_YIELD_FID, 1, 2, 3 });
	auto since = [&](unsigned kind) {
		std::vector<sim_rec> v;
		for (size_t i = from; i < r.log.recs.size(); i++)
			if (r.log.recs[i].kind == kind)
				v.push_back(r.log.recs[i]);
		return v;
	};
	auto ws = since(TR_WORLD_SWITCH), ret = since(TR_EXC_RETURN), ent = since(TR_EXC_ENTRY);
	ASSERT_EQ(ws.size(), 2u);
	ASSERT_EQ(ret.size(), 2u);
	ASSERT_EQ(ent.size(), 2u);
	EXPECT_EQ(ret[0].world, (uint32_t)SIM_WORLD_S);
	EXPECT_EQ(ret[0].t - ws[0].t, r.ps(SIM_COST_EXC_RETURN)) << "the ERET into S-EL1 is charged";
	EXPECT_EQ(ent[1].world, (uint32_t)SIM_WORLD_EL3);
	EXPECT_EQ(ws[1].t - ent[1].t,
		  r.ps(SIM_COST_EXC_ENTRY) + r.ps(SIM_COST_EL3_DISPATCH) + r.ps(SIM_COST_WORLD_SWITCH))
		<< "CALL_DONE (a secure SMC) is dispatched like a normal-world one";
}

/*
 * The same two passes as one step each (models/cpu/pe.h, struct pe_el3_pass): EL3 runs masked, so
 * the entry, dispatch, world switch and ERET legs follow each other with nothing in between. The
 * pass's TR_ACTIVITY (SIM_EV_EL3_PASS) carries the legs' ends, and each leg lasts what it does as
 * a step of its own: exc_entry, el3.dispatch, world_switch, then exc_return to the TR_EXC_RETURN.
 */
TEST(MonCosts, APassCarriesItsLegsAndLastsTheirSum)
{
	Rig r(1);
	r.boot();
	const size_t from = r.log.recs.size();
	r.call(0, Args{ OPTEE_YIELD_FID, 1, 2, 3 });
	std::vector<sim_rec> pass, ret, ws;
	for (size_t i = from; i < r.log.recs.size(); i++) {
		const sim_rec &x = r.log.recs[i];
		if (x.kind == TR_ACTIVITY && x.code == SIM_EV_EL3_PASS)
			pass.push_back(x);
		else if (x.kind == TR_ACTIVITY) {
			EXPECT_NE(x.world, (uint32_t)SIM_WORLD_EL3) << "an EL3 leg outside a pass, at " << x.t;
		}
		if (x.kind == TR_EXC_RETURN)
			ret.push_back(x);
		if (x.kind == TR_WORLD_SWITCH)
			ws.push_back(x);
	}
	ASSERT_EQ(pass.size(), 2u); /* the yielding call into OP-TEE, its CALL_DONE back */
	ASSERT_EQ(ret.size(), 2u);
	ASSERT_EQ(ws.size(), 2u);
	for (int i = 0; i < 2; i++) {
		SCOPED_TRACE(i ? "CALL_DONE" : "the yielding call");
		EXPECT_EQ(pass[i].world, (uint32_t)SIM_WORLD_EL3);
		EXPECT_STREQ(pass[i].label, "SMC entry");
		EXPECT_EQ(pass[i].b, r.ps(SIM_COST_EXC_ENTRY));
		EXPECT_EQ(pass[i].c - pass[i].b, r.ps(SIM_COST_EL3_DISPATCH));
		EXPECT_EQ(pass[i].d - pass[i].c, r.ps(SIM_COST_WORLD_SWITCH));
		EXPECT_EQ(ret[i].t - pass[i].t, pass[i].d + r.ps(SIM_COST_EXC_RETURN));
		EXPECT_EQ(ws[i].t, ret[i].t) << "the world switch is recorded with the ERET at the pass's end";
	}
	EXPECT_EQ(ws[0].a, (uint64_t)SIM_WORLD_NS);
	EXPECT_EQ(ws[1].a, (uint64_t)SIM_WORLD_S);
}

/*
 * A pass changes nothing but the trace's records for EL3: the same calls and the same secure
 * interrupt (the FIQ path: FIQ entry from the normal world, FIQ_DONE) give the same results at
 * the same times, and every record outside EL3's own (entries, returns, SMCs, GIC, world
 * switches counted) the same, with one step per leg (el3_legs) or one per pass.
 */
TEST(MonCosts, PassesAndLegsGiveTheSameRun)
{
	auto run = [](bool legs) {
		auto r = std::make_unique<Rig>(1, SIM_PRESET_A53, NEVER, legs);
		r->boot();
		Rig::Ret a = r->call(0, Args{ OPTEE_YIELD_FID, 1, 2, 3 });
		sim_time t0 = r->now();
		/* a Secure SPI during the fast call's step at S-EL1: taken at its return, the FIQ path */
		r->at(t0 + 2 * SIM_US, [p = r.get()] { p->pulse(SEC_SPI); });
		Rig::Ret b = r->call(0, Args{ OPTEE_FAST_FID, 0x9 });
		r->run_idle();
		std::vector<std::string> out;
		out.push_back(std::to_string(a.t) + " " + std::to_string(b.t) + " " + std::to_string(r->now()));
		unsigned ws = 0;
		for (const sim_rec &x : r->log.recs) {
			if (x.kind == TR_ACTIVITY && x.world == SIM_WORLD_EL3)
				continue; /* the legs, or the pass */
			if (x.kind == TR_WORLD_SWITCH) {
				ws++;
				continue; /* at the switch's end, or at the pass's end */
			}
			char line[200];
			snprintf(line, sizeof(line), "%llu %u %u %u %llx %llx %llx %llx", (unsigned long long)x.t,
				 x.kind, x.world, x.notif, (unsigned long long)x.a, (unsigned long long)x.b,
				 (unsigned long long)x.c, (unsigned long long)x.d);
			out.push_back(line);
		}
		out.push_back("world switches " + std::to_string(ws));
		EXPECT_EQ(r->fiq_intids.size(), 1u);
		return out;
	};
	std::vector<std::string> legs = run(true), pass = run(false);
	ASSERT_EQ(legs.size(), pass.size());
	for (size_t i = 0; i < legs.size(); i++)
		EXPECT_EQ(pass[i], legs[i]) << "record " << i;
}

/*
 * PSCI CPU_SUSPEND to a power-down state (TF-A psci_cpu_suspend, opteed_pm.c
 * svc_suspend / svc_suspend_finish, docs/protocol.md §5.5): OP-TEE's suspend hook
 * runs (SUSPEND_DONE), GICR_WAKER.ProcessorSleep is set and the PE is
 * suspended; an interrupt for it raises WakeRequest; the power controller
 * powers it up after power.up; psci.resume, the resume hook (RESUME_DONE),
 * and the SMC returns SUCCESS to the caller.
 */
TEST(Psci, CpuSuspendPowerDownWakesOnInterruptAndReturnsSuccess)
{
	Rig r(1);
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	auto ret = std::make_shared<Rig::Ret>();
	pe *p = r.P(0);
	pe_set_masks(p, true, true); /* Linux enters cpu_suspend with DAIF masked */
	r.smc(p, psci(PSCI_CPU_SUSPEND, PSCI_PSTATE_TYPE_POWERDOWN, 0x80001000, 0), [&r, ret](pe *q) {
		for (int i = 0; i < 4; i++)
			ret->x[i] = pe_regs(q)[i];
		ret->t = r.now();
		pe_idle(q);
	});
	r.run_until([&] { return p->power == PE_SUSPENDED; });
	EXPECT_EQ(r.waker(0), (uint64_t)(GICR_WAKER_PROCESSOR_SLEEP | GICR_WAKER_CHILDREN_ASLEEP));
	ASSERT_FALSE(r.tee_log.empty());
	EXPECT_EQ(r.tee_log.back().name, "cpu_suspend_entry");
	EXPECT_EQ(r.tee_log.back().x[1], 0u); /* max_off_pwrlvl: the core level */
	r.run_idle();
	EXPECT_EQ(p->power, PE_SUSPENDED); /* nothing wakes it yet */
	EXPECT_EQ(ret->t, NEVER);

	sim_time inj = r.now() + 50 * SIM_US;
	r.at(inj, [&r] { r.pulse(NS_SPI); });
	r.run_idle();

	auto wake = r.recs(TR_GIC_WAKE, 0);
	ASSERT_EQ(wake.size(), 2u); /* asserted, then dropped as the PE wakes */
	EXPECT_EQ(wake[0].a, 1u);   /* TR_GIC_WAKE: a = level */
	EXPECT_EQ(wake[1].a, 0u);
	const sim_time tw = wake[0].t;
	EXPECT_EQ(tw, inj + r.gc.pend_to_wire); /* the GIC's delivery delay (gic.h) */
	auto power = r.recs(TR_POWER, 0);
	ASSERT_EQ(power.size(), 3u); /* on (cold boot), suspended, on */
	EXPECT_EQ(power[1].a, (uint64_t)PE_SUSPENDED);
	EXPECT_EQ(power[2].a, (uint64_t)PE_ON);
	EXPECT_EQ(power[2].t, tw + r.ps(SIM_COST_POWER_UP));
	std::vector<std::string> hooks;
	for (const auto &e : r.tee_log)
		hooks.push_back(e.name);
	EXPECT_EQ(hooks, (std::vector<std::string>{ "cold_boot", "cpu_suspend_entry", "cpu_resume_entry" }));
	bool suspend_done = false, resume_done = false;
	for (const auto &s : r.recs(TR_SMC, 0)) {
		suspend_done |= s.a == TEESMC_OPTEED_RETURN_SUSPEND_DONE && s.world == SIM_WORLD_S;
		resume_done |= s.a == TEESMC_OPTEED_RETURN_RESUME_DONE && s.world == SIM_WORLD_S;
	}
	EXPECT_TRUE(suspend_done);
	EXPECT_TRUE(resume_done);
	EXPECT_EQ(ret->x[0], (uint64_t)PSCI_E_SUCCESS);
	/*
	 * the resume: the Redistributor's wake-up write and four CPU-interface registers (TF-A
	 * gicv3_rdistif_mark_core_awake, gicv3_cpuif_enable), then the hook: switch, ERET into
	 * S-EL1, hook, RESUME_DONE's entry and dispatch, switch, ERET
	 */
	EXPECT_EQ(ret->t, tw + r.ps(SIM_COST_POWER_UP) + r.ps(SIM_COST_PSCI_RESUME) + r.ps(SIM_COST_GIC_MMIO) +
				  4 * r.ps(SIM_COST_GIC_SYSREG) + r.ps(SIM_COST_WORLD_SWITCH) +
				  r.ps(SIM_COST_EXC_RETURN) + r.ps(SIM_COST_TEE_PM_HOOK) + r.ps(SIM_COST_EXC_ENTRY) +
				  r.ps(SIM_COST_EL3_DISPATCH) + r.ps(SIM_COST_WORLD_SWITCH) + r.ps(SIM_COST_EXC_RETURN));
	EXPECT_EQ(r.waker(0), 0u);
	EXPECT_EQ(p->world, (unsigned)SIM_WORLD_NS);
	EXPECT_EQ(p->depth, 0);
}

/*
 * TF-A lib/psci/psci_suspend.c psci_cpu_suspend_start: after taking the power-domain locks it reads
 * ISR_EL1 and, with an interrupt pending, returns PSCI_E_SUCCESS at once: no svc_suspend hook
 * (OP-TEE's cpu_suspend_entry), no gicv3_cpuif_disable / GICR_WAKER.ProcessorSleep, no
 * power-down. Linux's cpu_suspend (arch/arm64/kernel/suspend.c) turns the finisher's 0 into
 * -EOPNOTSUPP and the CPU takes the interrupt when it unmasks. The call costs a PSCI round trip
 * (exc_entry + el3.psci + exc_return), not psci.suspend + power.up + psci.resume (~285 us).
 */
TEST(Psci, CpuSuspendWithAnInterruptPendingReturnsAtOnceWithoutPowerDown)
{
	Rig r(1);
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	pe *p = r.P(0);
	pe_set_masks(p, true, true); /* Linux enters cpu_suspend with DAIF masked: the IRQ stays pending */
	r.pulse(NS_SPI);
	r.run_until([&] { return pe_interrupt_pending(p); });
	const size_t hooks = r.tee_log.size();
	auto ret = std::make_shared<Rig::Ret>();
	ret->issued = r.now();
	r.smc(p, psci(PSCI_CPU_SUSPEND, PSCI_PSTATE_TYPE_POWERDOWN, 0x80001000, 0), [&r, ret](pe *q) {
		for (int i = 0; i < 4; i++)
			ret->x[i] = pe_regs(q)[i];
		ret->t = r.now();
		pe_idle(q);
	});
	r.run_until([&] { return ret->t != NEVER; });
	EXPECT_EQ(ret->x[0], (uint64_t)PSCI_E_SUCCESS);
	EXPECT_EQ(ret->t - ret->issued,
		  r.ps(SIM_COST_EXC_ENTRY) + r.ps(SIM_COST_EL3_PSCI) + r.ps(SIM_COST_EXC_RETURN));
	for (const auto &pw : r.recs(TR_POWER, 0))
		EXPECT_NE(pw.a, (uint64_t)PE_SUSPENDED) << "powered down";
	EXPECT_EQ(r.tee_log.size(), hooks) << "OP-TEE's cpu_suspend_entry ran: " << r.tee_log.back().name;
	EXPECT_EQ(r.waker(0), 0u) << "GICR_WAKER.ProcessorSleep set";
	EXPECT_EQ(p->power, PE_ON);
	/* Linux unmasks: the pending IRQ is taken */
	pe_set_masks(p, false, false);
	r.run_idle();
	ASSERT_EQ(r.irqs.size(), 1u);
	EXPECT_EQ(r.irqs[0].intid, NS_SPI);
}

/* ---- Secure EL2 (pe_set_sel2) ------------------------------------------------------------ */

/* One PE with a Secure EL2 and no GIC or monitor: the test bench plays the SPMC at S-EL2 and the partition at S-EL1. */
struct Sel2Bench {
	sim s{};
	sim_costs costs{};
	pe *p = nullptr;
	RecordLog log;
	std::vector<std::string> seen; /* what ran where */
	std::function<void(pe *)> at_sel1, on_trap, on_irq;
	std::deque<std::function<void(pe *)>> fns; /* continuations, alive until the bench goes */
	static void tramp(void *ctx, pe *q) { (*static_cast<std::function<void(pe *)> *>(ctx))(q); }
	void *k(std::function<void(pe *)> f)
	{
		fns.push_back(std::move(f));
		return &fns.back();
	}

	Sel2Bench()
	{
		EXPECT_EQ(sim_init(&s, SIM_BACKEND_NATIVE, 1), 0);
		log.attach(s.tr);
		sim_costs_preset(&costs, SIM_PRESET_A53);
		p = pe_new(&s, 0, &costs);
		pe_set_sel2(p, trap, this);
		pe_set_vector(p, PE_VEC_SEL2_IRQ, sel2_irq, this);
		pe_set_vector(p, PE_VEC_S_IRQ, s_irq, this);
	}
	~Sel2Bench()
	{
		pe_free(p);
		sim_fini(&s);
	}
	sim_time ps(sim_cost_id id) const { return sim_cost_sample(&costs.c[id], nullptr, &costs.clock); }
	static void trap(void *ctx, pe *q) { static_cast<Sel2Bench *>(ctx)->on_trap(q); }
	static void sel2_irq(void *ctx, pe *q, pe_exc exc)
	{
		Sel2Bench *b = static_cast<Sel2Bench *>(ctx);
		b->seen.push_back(std::string(exc == PE_EXC_IRQ ? "irq" : "fiq") + " at EL" + std::to_string(q->el));
		b->on_irq(q);
	}
	static void s_irq(void *ctx, pe *q, pe_exc exc)
	{
		Sel2Bench *b = static_cast<Sel2Bench *>(ctx);
		b->seen.push_back(std::string(exc == PE_EXC_IRQ ? "virq" : "vfiq") + " vector at EL" + std::to_string(q->el));
		pe_eret(q);
	}
	static void boot(void *ctx, pe *q)
	{
		Sel2Bench *b = static_cast<Sel2Bench *>(ctx);
		pe_enter(q, 2, SIM_WORLD_S, true, true); /* the SPMD's ERET into S-EL2 */
		pe_enter(q, 1, SIM_WORLD_S, false, false); /* the SPMC's ERET into its partition */
		b->at_sel1(q);
	}
	void run() { pe_power_on(p, boot, this), sim_run_idle(s.k); }
	std::vector<sim_rec> recs(unsigned kind) const
	{
		std::vector<sim_rec> v;
		for (const auto &r : log.recs)
			if (r.kind == kind)
				v.push_back(r);
		return v;
	}
};

/*
 * pe.h (Secure EL2): with an SPMC at S-EL2, an SMC at S-EL1 traps to S-EL2 (HCR_EL2.TSC), not EL3; so
 * does an HVC. Both charge exc_entry, the SPMC returns with pe_smc_return8 (exc_return) and the
 * caller continues at S-EL1 with the results. The SMC is traced as an SMC (TR_SMC, TR_SMC_RET), the
 * HVC as an exception only (PE_EXC_HVC).
 */
TEST(PeSel2, SmcAndHvcFromSel1TrapToSel2AndReturn)
{
	Sel2Bench b;
	sim_time t0 = 0, smc_back = NEVER, hvc_back = NEVER;
	uint64_t smc_x0 = 0, hvc_x0 = 0;
	b.on_trap = [&](pe *q) {
		const pe_frame *f = pe_top_frame(q);
		b.seen.push_back(std::string(f->kind == PE_FRAME_HVC_CALLER ? "hvc" : "smc") + " at EL" +
				 std::to_string(q->el) + (q->world == SIM_WORLD_S ? " S" : " ?"));
		uint64_t r[8] = { pe_regs(q)[0] + 1, 0, 0, 0, 0, 0, 0, 0 };
		pe_smc_return8(q, r);
	};
	b.at_sel1 = [&](pe *q) {
		t0 = sim_now(b.s.k);
		const uint64_t smc_args[8] = { 0x84000081u };
		pe_smc(q, smc_args, Sel2Bench::tramp, b.k([&](pe *q2) {
			smc_back = sim_now(b.s.k);
			smc_x0 = pe_regs(q2)[0];
			EXPECT_EQ(q2->el, 1u);
			const uint64_t hvc_args[8] = { 0xff04u };
			pe_hvc(q2, hvc_args, Sel2Bench::tramp, b.k([&](pe *q3) {
				hvc_back = sim_now(b.s.k);
				hvc_x0 = pe_regs(q3)[0];
				EXPECT_EQ(q3->el, 1u);
				pe_idle(q3);
			}));
		}));
	};
	b.run();
	EXPECT_EQ(b.seen, (std::vector<std::string>{ "smc at EL2 S", "hvc at EL2 S" }));
	EXPECT_EQ(smc_x0, 0x84000082u);
	EXPECT_EQ(hvc_x0, 0xff05u);
	EXPECT_EQ(smc_back - t0, b.ps(SIM_COST_EXC_ENTRY) + b.ps(SIM_COST_EXC_RETURN));
	EXPECT_EQ(hvc_back - smc_back, b.ps(SIM_COST_EXC_ENTRY) + b.ps(SIM_COST_EXC_RETURN));
	auto ent = b.recs(TR_EXC_ENTRY);
	ASSERT_EQ(ent.size(), 2u);
	EXPECT_EQ(ent[0].a, (uint64_t)PE_EXC_SMC);
	EXPECT_EQ(ent[1].a, (uint64_t)PE_EXC_HVC);
	for (const auto &e : ent) {
		EXPECT_EQ(e.b, 1u);
		EXPECT_EQ(e.c, 2u);
		EXPECT_EQ(e.world, (uint32_t)SIM_WORLD_S);
	}
	EXPECT_EQ(b.recs(TR_SMC).size(), 1u);
	EXPECT_EQ(b.recs(TR_SMC_RET).size(), 1u) << "an HVC is not an SMC";
}

/*
 * pe.h (Secure EL2): a partition's physical IRQ is taken to S-EL2 (HCR_EL2.IMO), the SPMC signals it
 * back with pe_inject: an ERET to S-EL1 and the virtual IRQ taken there at once (TR_EXC_RETURN to 1,
 * TR_EXC_ENTRY PE_EXC_VIRQ 1 -> 1), the S-EL1 vector runs and its ERET resumes the interrupted work;
 * the work is late by exc_entry + the SPMC's step + exc_return + exc_entry + exc_return.
 */
TEST(PeSel2, PhysicalIrqGoesToSel2AndIsInjectedAsVirtual)
{
	Sel2Bench b;
	const sim_time W = 10 * SIM_US, HOP = 300 * SIM_NS;
	sim_time start = NEVER, end = NEVER;
	b.on_irq = [&](pe *q) {
		pe_exec(q, HOP, "spmc", [](void *, pe *q2) { pe_inject(q2, PE_EXC_VIRQ, nullptr, nullptr); }, nullptr);
	};
	b.at_sel1 = [&](pe *q) {
		start = sim_now(b.s.k);
		pe_exec(q, W, "partition work", [](void *ctx, pe *q2) {
			*static_cast<sim_time *>(ctx) = sim_now(q2->sim->k);
			pe_idle(q2);
		}, &end);
		sim_post(b.s.k, 2 * SIM_US, [](void *ctx, uint64_t) { pe_irq_input(ctx, 0, 1); }, q, 0);
		sim_post(b.s.k, 2 * SIM_US + 30 * SIM_NS, [](void *ctx, uint64_t) { pe_irq_input(ctx, 0, 0); }, q, 0);
	};
	b.run();
	EXPECT_EQ(b.seen, (std::vector<std::string>{ "irq at EL2", "virq vector at EL1" }));
	EXPECT_EQ(end - start, W + b.ps(SIM_COST_EXC_ENTRY) + HOP + b.ps(SIM_COST_EXC_RETURN) +
				       b.ps(SIM_COST_EXC_ENTRY) + b.ps(SIM_COST_EXC_RETURN));
	auto ent = b.recs(TR_EXC_ENTRY);
	ASSERT_EQ(ent.size(), 2u);
	EXPECT_EQ(ent[0].a, (uint64_t)PE_EXC_IRQ);
	EXPECT_EQ(ent[0].c, 2u);
	EXPECT_EQ(ent[1].a, (uint64_t)PE_EXC_VIRQ);
	EXPECT_EQ(ent[1].b, 1u);
	EXPECT_EQ(ent[1].c, 1u);
}

/* ---- preemption and nesting --------------------------------------------------------- */

/*
 * pe.h: an unmasked interrupt preempts work at once, the remaining time is
 * kept in the frame and resumed after pe_eret. NS work of N that takes an
 * IRQ completes at start + N + the handler's total (exc_entry + handler
 * work + exc_return).
 */
TEST(PePreempt, IrqKeepsTheRemainingCycles)
{
	Rig r(1);
	const sim_time N = 50 * SIM_US + 123; /* not a round number */
	auto sp = ns_work(r, 0, N);
	r.irq_handler_ps = 7 * SIM_US;
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	r.at(sp->start + 10 * SIM_US, [&r] { r.pulse(NS_SPI); });
	r.run_idle();

	const sim_time handler = r.ps(SIM_COST_EXC_ENTRY) + 7 * SIM_US + r.ps(SIM_COST_EXC_RETURN);
	ASSERT_EQ(r.irqs.size(), 1u);
	EXPECT_EQ(sp->end, sp->start + N + handler);
	/* the handler's total from the trace: IRQ entry to the exception return */
	auto ent = r.recs(TR_EXC_ENTRY, 0);
	auto ret = r.recs(TR_EXC_RETURN, 0);
	ASSERT_EQ(ent.size(), 2u);
	ASSERT_FALSE(ret.empty());
	EXPECT_EQ(ret.back().t - ent.back().t, handler);
	EXPECT_EQ(ent.back().t, sp->start + 10 * SIM_US + r.gc.pend_to_wire);
}

/*
 * pe.h (AArch64 sets DAIF on exception entry; IRQ masked by PSTATE.I): an
 * IRQ handler that leaves I set is not interrupted by another IRQ even when
 * the GIC signals one (higher priority, IRQ wire high); it is taken right
 * after the handler's ERET restores I = 0.
 */
TEST(PeNesting, IrqHandlerWithIMaskedIsNotInterruptedByAnotherIrq)
{
	Rig r(1);
	auto sp = ns_work(r, 0, 100 * SIM_US);
	int line_in_handler = -1;
	r.irq_handler_ps = 20 * SIM_US;
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	r.ns_spi(NS_SPI2, 0, 0x80); /* higher priority: the GIC may preempt the first */
	r.at(sp->start + 5 * SIM_US, [&r] { r.pulse(NS_SPI); });
	r.at(sp->start + 10 * SIM_US, [&r] { r.pulse(NS_SPI2); });
	r.at(sp->start + 15 * SIM_US, [&] { line_in_handler = r.P(0)->irq_line; });
	r.run_idle();

	EXPECT_EQ(line_in_handler, 1); /* signalled by the GIC, held off by PSTATE.I */
	ASSERT_EQ(r.irqs.size(), 2u);
	EXPECT_EQ(r.irqs[0].intid, NS_SPI);
	EXPECT_EQ(r.irqs[1].intid, NS_SPI2);
	auto ent = r.recs(TR_EXC_ENTRY, 0);
	auto ret = r.recs(TR_EXC_RETURN, 0);
	ASSERT_EQ(ent.size(), 3u);
	ASSERT_GE(ret.size(), 2u);
	/* first handler: entry at t1, ERET done at t1 + entry + 20us + return; second taken then */
	const sim_time first_done = ent[1].t + r.ps(SIM_COST_EXC_ENTRY) + 20 * SIM_US + r.ps(SIM_COST_EXC_RETURN);
	/* the boot's ERETs (pe_enter into the NS entry) come first: skip them */
	while (!ret.empty() && ret.front().t <= ent[1].t)
		ret.erase(ret.begin());
	ASSERT_FALSE(ret.empty());
	EXPECT_EQ(ret[0].t, first_done);
	EXPECT_EQ(ent[2].t, first_done);
	EXPECT_EQ(ent[2].a, (uint64_t)PE_EXC_IRQ);
}

/*
 * pe.h routing with the masks: in an NS IRQ handler with I set, a pending
 * higher-priority IRQ stays held off while a secure FIQ (to EL3, not masked
 * by F) preempts the handler; the handler then finishes exactly the secure
 * path's cost later.
 */
TEST(PeNesting, SecureFiqPreemptsAnIrqHandlerThatHoldsOffIrqs)
{
	Rig r(1);
	auto sp = ns_work(r, 0, 100 * SIM_US);
	r.irq_handler_ps = 20 * SIM_US;
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	r.ns_spi(NS_SPI2, 0, 0x80);
	r.at(sp->start + 5 * SIM_US, [&r] { r.pulse(NS_SPI); });
	r.at(sp->start + 10 * SIM_US, [&r] { r.pulse(NS_SPI2); });
	sim_time inj = sp->start + 12 * SIM_US;
	r.at(inj, [&r] { r.pulse(SEC_SPI); });
	r.run_idle();

	auto ent = r.recs(TR_EXC_ENTRY, 0);
	/* ENTRY_DONE, IRQ(NS_SPI), FIQ, FIQ_DONE, IRQ(NS_SPI2) */
	ASSERT_EQ(ent.size(), 5u);
	EXPECT_EQ(ent[1].a, (uint64_t)PE_EXC_IRQ);
	EXPECT_EQ(ent[2].a, (uint64_t)PE_EXC_FIQ);
	EXPECT_EQ(ent[2].t, inj + r.gc.pend_to_wire);
	EXPECT_EQ(ent[3].a, (uint64_t)PE_EXC_SMC);
	EXPECT_EQ(ent[4].a, (uint64_t)PE_EXC_IRQ);
	const sim_time fiq_path = r.fiq_path();
	/* the first handler's ERET completes late by exactly the secure path; the second IRQ follows */
	const sim_time first_done =
		ent[1].t + r.ps(SIM_COST_EXC_ENTRY) + 20 * SIM_US + fiq_path + r.ps(SIM_COST_EXC_RETURN);
	EXPECT_EQ(ent[4].t, first_done);
	ASSERT_EQ(r.irqs.size(), 2u);
	EXPECT_EQ(r.irqs[1].intid, NS_SPI2);
	ASSERT_EQ(r.fiq_intids.size(), 1u);
	EXPECT_EQ(r.fiq_intids[0], SEC_SPI);
}

/*
 * pe.h: exception entry sets I and F, but a FIQ from the normal world goes to
 * EL3 and is not masked by F, so it can arrive while an NS IRQ's entry is
 * still being charged. On hardware the FIQ is taken at the IRQ vector's
 * first instruction and its ERET returns there: the NS IRQ vector runs once,
 * late by exactly the secure path, and the secure path runs once.
 */
TEST(PeNesting, FiqDuringIrqEntryReturnsToTheIrqVector)
{
	/* A 20 ns GIC delivery, so both wires can rise within one 62.5 ns entry (the GIC
	 * re-arms one delivery event per PE: a second pend must follow the first wire). */
	Rig r(1, SIM_PRESET_A53, 20 * SIM_NS);
	auto sp = ns_work(r, 0, 100 * SIM_US);
	r.boot();
	r.ns_spi(NS_SPI, 0, 0xa0);
	sim_time inj = sp->start + 5 * SIM_US;
	r.at(inj, [&r] { r.pulse(NS_SPI); });
	/* IRQ taken at inj + 20 ns; the FIQ wire rises at inj + 60 ns, inside the IRQ's entry */
	r.at(inj + 40 * SIM_NS, [&r] { r.pulse(SEC_SPI); });
	r.run_idle();

	auto ent = r.recs(TR_EXC_ENTRY, 0);
	ASSERT_GE(ent.size(), 3u);
	EXPECT_EQ(ent[1].a, (uint64_t)PE_EXC_IRQ);
	EXPECT_EQ(ent[1].t, inj + r.gc.pend_to_wire);
	EXPECT_EQ(ent[2].a, (uint64_t)PE_EXC_FIQ);
	ASSERT_LT(ent[2].t, ent[1].t + r.ps(SIM_COST_EXC_ENTRY)); /* really inside the IRQ entry */
	EXPECT_EQ(ent.size(), 4u); /* ENTRY_DONE, IRQ, FIQ, FIQ_DONE: nothing else */
	ASSERT_EQ(r.fiq_intids.size(), 1u);
	EXPECT_EQ(r.fiq_intids[0], SEC_SPI);
	const sim_time fiq_path = r.fiq_path();
	ASSERT_EQ(r.irqs.size(), 1u);
	EXPECT_EQ(r.irqs[0].intid, NS_SPI);
	EXPECT_EQ(r.irqs[0].world, (unsigned)SIM_WORLD_NS);
	EXPECT_EQ(r.irqs[0].t, ent[1].t + r.ps(SIM_COST_EXC_ENTRY) + fiq_path);
	EXPECT_EQ(sp->end, sp->start + 100 * SIM_US + r.ps(SIM_COST_EXC_ENTRY) + fiq_path + r.irq_handler_ps +
				   r.ps(SIM_COST_EXC_RETURN));
}

} // namespace
