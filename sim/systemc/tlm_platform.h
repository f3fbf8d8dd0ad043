// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/systemc/tlm_platform.h: a whole tzsim scenario (GIC, PEs, EL3
 * monitor, OP-TEE, Linux, the secure sources) as one SystemC module, run
 * inside the user's SystemC simulation.
 *
 * What it does: loads the scenario (sim/scenario/scenario.h), builds the
 * platform on the SystemC backend (platform_build, sim/platform.h), cold
 * boots it at SystemC time 0 (start_of_simulation) and runs the phases of
 * `tzsim run` (sim/run.h) as the user's sc_start() advances time, free
 * running (sim/kernel/systemc.h): boot (at most RUN_BOOT_LIMIT), the
 * measured phase (`stop.after` from the end of boot, or until
 * `stop.notifications` were sent), then the sources and workloads stop and
 * the run drains for up to RUN_DRAIN while notifications are in flight.
 * Then it finishes: the statistics and the trace digest are final,
 * finished_event() is notified, and tzsim's kernel holds (no tzsim event
 * fires again; SystemC goes on). A scenario run this way gives the trace of
 * `tzsim run FILE --kernel systemc`, record for record, as long as nothing
 * drives its inputs: digest() equals that run's digest. It writes no output
 * file and checks no `expect:` (add trace sinks to model()->sim.tr; read
 * the metrics with stats_metric(model()->stats, ...)).
 *
 * Ports:
 *  - irq[cpu], fiq[cpu]: the GIC's IRQ and FIQ outputs to each PE (the
 *    trace's cpuN irq/fiq wires), written one delta cycle after the wire
 *    changes, at the same SystemC time, by one SC_METHOD of this module;
 *  - source_in[i]: a rising edge is one arrival at the scenario's source i
 *    (scenario order: a UART receives an item, a timer or TRNG counts an
 *    event; models/dev/secure_src.h dev_src_arrive), at its SystemC time,
 *    on top of the source's own arrival process. A source driven only from
 *    SystemC has none of its own: `arrival: {replay: /dev/null}`. Edges
 *    after the run finished are ignored. Unbound inputs are tied low.
 *  - notification_event(): notified (delta) whenever a notification's
 *    bottom half is delivered, i.e. DO_BOTTOM_HALF enters OP-TEE (the
 *    trace's TR_NOTIF NOTIF_BH_ENTER records); notifications_delivered()
 *    counts them (several deliveries in one delta cycle trigger the event
 *    once).
 *
 * Errors (a scenario that does not load, a platform that cannot be built,
 * the SystemC kernel already taken) are reported with SC_REPORT_ERROR from
 * the constructor, "file:line:col: what" where the scenario says it.
 * tzsim counts picoseconds: SystemC's time resolution must be 1 ps (its
 * default). One SystemC-backed tzsim kernel per process: one
 * tzsim::Platform, or one tzsim::Gic, per simulation.
 */
#ifndef SIM_SYSTEMC_TLM_PLATFORM_H
#define SIM_SYSTEMC_TLM_PLATFORM_H

#include <systemc>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sim/out/digest.h"
#include "sim/platform.h"

namespace tzsim {

class Platform : public sc_core::sc_module {
public:
	sc_core::sc_vector<sc_core::sc_out<bool>> irq, fiq; /* [cpu] */
	sc_core::sc_vector<sc_core::sc_in<bool>> source_in; /* [scenario source] */

	/*
	 * Load @scenario_path with @overrides ("key.path=value", as
	 * `tzsim run --vary`, applied in order) and build its platform.
	 * @seed >= 0 overrides the scenario's seed (`--seed`).
	 */
	Platform(sc_core::sc_module_name name, const std::string &scenario_path,
		 const std::vector<std::string> &overrides = {}, int64_t seed = -1);
	~Platform() override;
	Platform(const Platform &) = delete;
	Platform &operator=(const Platform &) = delete;

	unsigned cpus() const;
	unsigned sources() const;

	const sc_core::sc_event &notification_event() const { return notif_ev_; }
	const sc_core::sc_event &finished_event() const { return finished_ev_; }
	uint64_t notifications_delivered() const { return delivered_; }

	/* Whether the run finished; 0 ok, 1 the platform did not boot within RUN_BOOT_LIMIT. */
	bool finished() const { return phase_ == DONE; }
	int status() const { return status_; }
	/* The trace digest and record count so far (final once finished()). */
	uint64_t digest() const;
	uint64_t records() const;
	/* When Linux finished booting (scenario time 0), and when the run finished. */
	sc_core::sc_time boot_time() const;
	sc_core::sc_time end_time() const { return end_; }
	/* The run's latency and count table, as `tzsim run` prints it (stats_print_summary). */
	void print_summary(FILE *f) const;

	/* The C platform (sim/platform.h): its stats, its struct sim (trace sinks), its models. */
	struct platform *model() { return p_.get(); }
	const struct scenario *scenario_config() const { return sc_.get(); }

private:
	enum Phase { BOOT, RUN, DRAIN, DONE };
	std::unique_ptr<struct scenario> sc_;
	std::unique_ptr<struct platform> p_;
	struct digest *dg_ = nullptr;
	Phase phase_ = BOOT;
	int status_ = 0;
	/* the measured phase (stop: notifications), as run.c's sent_cond */
	uint64_t goal_last_ = 0;
	uint64_t goal_last_at_ = 0;
	uint64_t drain_until_ = 0;
	struct sim_event stop_ev_ {}; /* stop.after's end */
	uint64_t delivered_ = 0;
	sc_core::sc_time end_;
	sc_core::sc_event notif_ev_, finished_ev_, out_ev_;
	std::vector<int> sig_cpu_;  /* trace signal -> cpu * 2 + (0 irq, 1 fiq), or -1 */
	std::vector<bool> out_level_; /* cpu * 2 + (0 irq, 1 fiq) */
	std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> ties_;

	static bool gate(void *ctx);
	bool advance();
	bool sent_cond();
	void finish();
	static void stop_after(void *ctx, uint64_t arg);
	static void sink(void *ctx, const struct sim_rec *r);
	void write_outputs();
	void source_edge(unsigned i);
	void before_end_of_elaboration() override;
	void start_of_simulation() override;
};

} // namespace tzsim

#endif
