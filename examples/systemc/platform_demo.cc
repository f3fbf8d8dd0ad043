// SPDX-License-Identifier: BSD-3-Clause
/*
 * examples/systemc/platform_demo.cc: a whole tzsim scenario (GIC, PEs, EL3
 * monitor, OP-TEE, Linux, secure sources) as one module of a SystemC
 * simulation. A monitor module watches the per-PE IRQ/FIQ outputs and the
 * notification-delivered event; at the end the run's summary and trace
 * digest are printed. The digest is `tzsim run FILE --kernel systemc`'s.
 *
 *   ./platform_demo SCENARIO.yaml [key.path=value ...]   (overrides as tzsim run --vary)
 */
#define SC_INCLUDE_DYNAMIC_PROCESSES /* sc_spawn */
#include <systemc>

#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/systemc/tlm_platform.h"

using namespace sc_core;

namespace {

/* What the rest of a platform sees: interrupt lines and delivered notifications. */
struct Monitor : sc_module {
	sc_vector<sc_in<bool>> irq, fiq;
	std::vector<unsigned> irqs, fiqs;
	unsigned notifications = 0;
	sc_time first_notification = SC_ZERO_TIME;
	const tzsim::Platform &plat;

	Monitor(sc_module_name n, const tzsim::Platform &p)
	    : sc_module(n), irq("irq", p.cpus()), fiq("fiq", p.cpus()), irqs(p.cpus()), fiqs(p.cpus()), plat(p)
	{
		for (unsigned i = 0; i < p.cpus(); i++) {
			sc_spawn_options o;
			o.spawn_method();
			o.dont_initialize();
			o.set_sensitivity(&irq[i].pos());
			sc_spawn([this, i] { irqs[i]++; }, sc_gen_unique_name("irq"), &o);
			sc_spawn_options f;
			f.spawn_method();
			f.dont_initialize();
			f.set_sensitivity(&fiq[i].pos());
			sc_spawn([this, i] { fiqs[i]++; }, sc_gen_unique_name("fiq"), &f);
		}
		SC_METHOD(delivered);
		sensitive << p.notification_event();
		dont_initialize();
	}
	SC_HAS_PROCESS(Monitor);
	void delivered()
	{
		if (!notifications++)
			first_notification = sc_time_stamp();
	}
};

} // namespace

int sc_main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: platform_demo SCENARIO.yaml [key.path=value ...]\n");
		return 2;
	}
	std::vector<std::string> overrides(argv + 2, argv + argc);
	tzsim::Platform plat("tzsim", argv[1], overrides);
	Monitor mon("monitor", plat);
	sc_vector<sc_signal<bool>> irq("irq", plat.cpus()), fiq("fiq", plat.cpus());
	plat.irq.bind(irq);
	plat.fiq.bind(fiq);
	mon.irq.bind(irq);
	mon.fiq.bind(fiq);

	sc_start(); /* until the scenario has run, drained and finished: then tzsim's kernel holds */

	std::printf("platform_demo: %s: booted at %.3f ms, finished at %.3f ms%s\n", argv[1],
		    plat.boot_time().to_seconds() * 1e3, plat.end_time().to_seconds() * 1e3,
		    plat.status() ? " (did not boot)" : "");
	std::printf("platform_demo: %" PRIu64 " notifications delivered, the first at %.3f ms (notification_event "
		    "triggered %u times: deliveries in one delta cycle share one)\n",
		    plat.notifications_delivered(), mon.first_notification.to_seconds() * 1e3, mon.notifications);
	for (unsigned i = 0; i < plat.cpus(); i++)
		std::printf("platform_demo: cpu%u: %u IRQs, %u FIQs\n", i, mon.irqs[i], mon.fiqs[i]);
	plat.print_summary(stdout);
	std::printf("digest %016" PRIx64 " (%" PRIu64 " records)\n", plat.digest(), plat.records());
	return plat.finished() && plat.status() == 0 ? 0 : 1;
}
