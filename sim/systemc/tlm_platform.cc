// SPDX-License-Identifier: BSD-3-Clause
/* sim/systemc/tlm_platform.cc: tzsim::Platform, a whole scenario inside a SystemC simulation (see tlm_platform.h). */
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "sim/systemc/tlm_platform.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "models/dev/secure_src.h"
#include "sim/run.h"
#include "sim/stats/stats.h"
#include "sim/kernel/systemc.h"

using namespace sc_core;

namespace tzsim {

Platform::Platform(sc_module_name name, const std::string &scenario_path, const std::vector<std::string> &overrides,
		   int64_t seed)
    : sc_module(name), irq("irq"), fiq("fiq"), source_in("source_in"), sc_(new scenario()), p_(new platform())
{
	std::vector<const char *> ov;
	struct sim_diag d {};
	char err[1024];

	std::transform(overrides.begin(), overrides.end(), std::back_inserter(ov),
		       [](const std::string &o) { return o.c_str(); });
	if (scenario_load(scenario_path.c_str(), ov.data(), (int)ov.size(), sc_.get(), &d) != 0)
		SC_REPORT_ERROR("tzsim::Platform", d.msg);
	if (seed >= 0)
		sc_->seed = (uint64_t)seed;
	if (run_check_names(sc_.get(), err, sizeof(err)) != 0)
		SC_REPORT_ERROR("tzsim::Platform", err);
	if (platform_build(p_.get(), sc_.get(), SIM_BACKEND_SYSTEMC, err, sizeof(err)) != 0) {
		p_.reset(); /* platform_build freed what it made */
		SC_REPORT_ERROR("tzsim::Platform", err);
	}
	if (sc_get_time_resolution() != sc_time(1, SC_PS))
		SC_REPORT_ERROR("tzsim::Platform", "tzsim needs SystemC's time resolution at 1 ps");
	struct platform *p = p_.get();
	dg_ = digest_new_flat();
	if (!dg_)
		SC_REPORT_ERROR("tzsim::Platform", "out of memory");
	/* as run.c: the digest sees every record from the start of the run */
	sim_trace_add_sink(p->sim.tr, digest_sink, dg_);
	sim_trace_add_sink(p->sim.tr, sink, this);

	/* the GIC's irq/fiq wires, by their trace signals (scope "cpuN") */
	sig_cpu_.assign((size_t)p->sim.tr->nsig, -1);
	for (int i = 0; i < p->sim.tr->nsig; i++) {
		const struct sim_signal *s = &p->sim.tr->sig[i];
		unsigned cpu;
		char tail;
		if (sscanf(s->scope, "cpu%u%c", &cpu, &tail) != 1 || cpu >= p->ncpus)
			continue;
		if (!strcmp(s->name, "irq"))
			sig_cpu_[i] = (int)(cpu * 2);
		else if (!strcmp(s->name, "fiq"))
			sig_cpu_[i] = (int)(cpu * 2 + 1);
	}
	out_level_.assign(p->ncpus * 2, false);
	irq.init(p->ncpus);
	fiq.init(p->ncpus);
	source_in.init(sc_->n_sources);
	sim_event_init(&stop_ev_, stop_after, this);

	{
		sc_spawn_options o;
		o.spawn_method();
		o.dont_initialize();
		o.set_sensitivity(&out_ev_);
		sc_spawn([this] { write_outputs(); }, sc_gen_unique_name("outputs"), &o);
	}
	for (unsigned i = 0; i < sc_->n_sources; i++) {
		sc_spawn_options o;
		o.spawn_method();
		o.dont_initialize();
		o.set_sensitivity(&source_in[i]);
		sc_spawn([this, i] { source_edge(i); }, sc_gen_unique_name("source"), &o);
	}
}

Platform::~Platform()
{
	if (p_) {
		if (p_->sim.k)
			sim_cancel(p_->sim.k, &stop_ev_);
		platform_free(p_.get());
	}
	digest_free(dg_);
}

unsigned Platform::cpus() const { return p_->ncpus; }
unsigned Platform::sources() const { return sc_->n_sources; }
uint64_t Platform::digest() const { return digest_value(dg_); }
uint64_t Platform::records() const { return digest_count(dg_); }
sc_time Platform::boot_time() const { return sc_time((double)p_->boot_time, SC_PS); }
void Platform::print_summary(FILE *f) const { stats_print_summary(p_->stats, f); }

void Platform::before_end_of_elaboration()
{
	for (auto *v : { &irq, &fiq })
		for (auto &port : *v)
			if (port.bind_count() == 0) {
				ties_.emplace_back(new sc_signal<bool>(sc_gen_unique_name("tie")));
				port.bind(*ties_.back());
			}
	for (auto &port : source_in)
		if (port.bind_count() == 0) {
			ties_.emplace_back(new sc_signal<bool>(sc_gen_unique_name("tie")));
			port.bind(*ties_.back());
		}
}

/* Cold boot at SystemC time 0; from now on the gate runs the phases. */
void Platform::start_of_simulation()
{
	platform_start(p_.get());
	sim_systemc_set_gate(p_->sim.k, gate, this);
}

bool Platform::gate(void *ctx) { return static_cast<Platform *>(ctx)->advance(); }

/*
 * Called before each tzsim event, where run.c's sim_run_while calls its
 * conditions (booted_cond, then with stop: notifications sent_cond, then
 * drain_cond), with run.c's actions between them; and when the queue runs
 * dry, where that sim_run_while returns. stop.after's end is the stop_after
 * event instead (run.c: sim_run_until). Keep these in step with run.c: the
 * digest tests compare the two.
 */
bool Platform::advance()
{
	struct platform *p = p_.get();
	struct sim_kernel *k = p->sim.k;
	bool dry = sim_pending(k) == 0;

	for (;;) {
		switch (phase_) {
		case BOOT:
			if (!dry && !p->booted && sim_now(k) < RUN_BOOT_LIMIT)
				return true;
			if (!p->booted) {
				status_ = 1;
				finish();
				return false;
			}
			phase_ = RUN;
			if (sc_->stop == SCENARIO_STOP_AFTER) {
				sim_schedule_at(k, &stop_ev_, p->boot_time + sc_->stop_after, 0);
				return true;
			}
			goal_last_ = 0;
			goal_last_at_ = sim_now(k);
			continue;
		case RUN:
			if (sc_->stop == SCENARIO_STOP_AFTER)
				return true; /* stop_ev is queued: never dry here */
			if (!dry && sent_cond())
				return true;
			platform_stop_sources(p);
			drain_until_ = sim_now(k) + RUN_DRAIN;
			phase_ = DRAIN;
			dry = sim_pending(k) == 0;
			continue;
		case DRAIN:
			if (!dry && stats_undelivered(p->stats) > 0 && sim_now(k) < drain_until_)
				return true;
			finish();
			return false;
		case DONE:
			return false;
		}
	}
}

/* run.c sent_cond: until N notifications were sent, or none for RUN_STALL of simulated time. */
bool Platform::sent_cond()
{
	uint64_t sent = stats_sent(p_->stats);
	sim_time now = sim_now(p_->sim.k);
	if (sent != goal_last_) {
		goal_last_ = sent;
		goal_last_at_ = now;
	} else if (now - goal_last_at_ > RUN_STALL) {
		return false;
	}
	return sent < sc_->stop_notifications;
}

/* stop.after's end: run.c's sim_run_until(boot + after) fires every event due by then, then stops the sources. */
void Platform::stop_after(void *ctx, uint64_t)
{
	Platform *x = static_cast<Platform *>(ctx);
	struct platform *p = x->p_.get();
	struct sim_kernel *k = p->sim.k;
	if (sim_pending(k) && sim_next_time(k) <= sim_now(k)) {
		sim_schedule(k, &x->stop_ev_, 0, 0); /* after the events still due now */
		return;
	}
	platform_stop_sources(p);
	x->drain_until_ = sim_now(k) + RUN_DRAIN;
	x->phase_ = DRAIN;
}

void Platform::finish()
{
	platform_finish(p_.get());
	end_ = sc_time((double)sim_now(p_->sim.k), SC_PS);
	phase_ = DONE;
	finished_ev_.notify(SC_ZERO_TIME);
}

void Platform::sink(void *ctx, const struct sim_rec *r)
{
	Platform *x = static_cast<Platform *>(ctx);
	if (r->kind == TR_WIRE) {
		if (r->a < x->sig_cpu_.size() && x->sig_cpu_[r->a] >= 0) {
			x->out_level_[(size_t)x->sig_cpu_[r->a]] = r->b != 0;
			x->out_ev_.notify(SC_ZERO_TIME);
		}
	} else if (r->kind == TR_NOTIF && r->a == NOTIF_BH_ENTER) {
		x->delivered_++;
		x->notif_ev_.notify(SC_ZERO_TIME);
	}
}

void Platform::write_outputs()
{
	for (unsigned cpu = 0; cpu < p_->ncpus; cpu++) {
		if (irq[cpu].read() != out_level_[cpu * 2])
			irq[cpu].write(out_level_[cpu * 2]);
		if (fiq[cpu].read() != out_level_[cpu * 2 + 1])
			fiq[cpu].write(out_level_[cpu * 2 + 1]);
	}
}

void Platform::source_edge(unsigned i)
{
	if (!source_in[i].read() || phase_ == DONE || !p_->src[i])
		return;
	sim_systemc_sync(p_->sim.k);
	dev_src_arrive(p_->src[i]);
}

} // namespace tzsim
