// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/platform_check_test.cc: input that used to be accepted and was
 * wrong (the device tree against the scenario), a Linux probe failure the
 * run must explain, and normal-world sources that Linux drives
 * (docs/protocol.md §9.3, §9.4).
 */
#include <gtest/gtest.h>

#include <string>

#include "plat_harness.h"
#include "sim/stats/stats.h"

namespace {

/* Build @yaml as tests/data/dts/t.yaml (so platform.dts names a file beside it); returns platform_build's message. */
std::string build_error(const std::string &yaml)
{
	scenario *sc = new scenario();
	platform *p = new platform();
	sim_diag d{};
	char err[1024] = "";
	std::string out = "(built)";
	if (scenario_load_string(yaml.c_str(), "tests/data/dts/t.yaml", nullptr, 0, sc, &d) != 0)
		out = std::string("load: ") + d.msg;
	else if (platform_build(p, sc, SIM_BACKEND_NATIVE, err, sizeof(err)) != 0)
		out = err;
	else
		platform_free(p);
	delete p;
	delete sc;
	return out;
}

/* §9.3: Linux listens on the DT's interrupt, OP-TEE raises transport.intid: refused where they disagree. */
TEST(PlatformCheck, DtNotificationIntidMustBeTheTransports)
{
	const std::string p = "name: t\nplatform: {cpus: 2, dts: spi-219.dts}\n";
	std::string e = build_error(p + "transport: {kind: spi, intid: 220}\n");
	EXPECT_NE(e.find("tests/data/dts/t.yaml:2:26: platform.dts: the optee node's interrupts"), std::string::npos) << e;
	EXPECT_NE(e.find("(SPI INTID 219, edge) are not the transport's (SPI INTID 220, edge)"), std::string::npos) << e;
	EXPECT_EQ(build_error(p + "transport: {kind: spi, intid: 219}\n"), "(built)");
	e = build_error(p + "transport: {kind: sgi}\n");
	EXPECT_NE(e.find("has interrupts (INTID 219), but transport.kind sgi"), std::string::npos) << e;
	e = build_error(p + "transport: {kind: spi, trigger: level}\n");
	EXPECT_NE(e.find("(SPI INTID 219, edge) are not the transport's (SPI INTID 219, level)"), std::string::npos) << e;
}

/* §9.3: Linux brings up the CPUs the DT lists: platform.cpus must agree (it was silently overridden). */
TEST(PlatformCheck, DtCpuCountMustBePlatformCpus)
{
	std::string e = build_error("name: t\nplatform:\n  dts: spi-219.dts\n  cpus: 4\n");
	EXPECT_NE(e.find("tests/data/dts/t.yaml:4:9: platform.cpus: 4, but tests/data/dts/spi-219.dts describes 2 CPUs"),
		  std::string::npos) << e;
	EXPECT_EQ(build_error("name: t\nplatform: {cpus: 2, dts: spi-219.dts}\n"), "(built)");
}

/* §9.3: an optee node whose method is not smc is refused (Linux: -EINVAL, or a hypervisor call tzsim has not). */
TEST(PlatformCheck, OpteeMethodMustBeSmc)
{
	std::string e = build_error("name: t\nplatform: {cpus: 2, dts: hvc-method.dts}\n");
	EXPECT_NE(e.find("no linaro,optee-tz node with method \"smc\""), std::string::npos) << e;
}

/* A compiled DTB given as platform.dts is read as it is (it used to reach cpp and fail with cpp's first warning). */
TEST(PlatformCheck, DtbIsReadAsIs)
{
	EXPECT_EQ(build_error("name: t\nplatform: {cpus: 2, dts: spi-219.dtb}\n"), "(built)");
}

/*
 * §9.4: no interrupts in the optee node while OP-TEE advertises asynchronous
 * notifications: optee_probe fails (-ENXIO) and the whole driver is absent.
 * The run still runs; the summary and notifications.csv say why nothing was
 * delivered, and no TA call is made.
 */
TEST(PlatformCheck, ProbeFailureIsExplained)
{
	PlatHarness pl("probe.yaml");
	ASSERT_TRUE(pl.boot("name: p\nplatform: {cpus: 2, dts: tests/data/dts/no-notif-irq.dts}\n"
			    "sources:\n  - {name: uart, kind: uart, intid: 40, arrival: {periodic: 500us}}\n"
			    "workloads:\n  - {name: ta, kind: ta_invoke, rate: 2kHz, secure_work: 20us}\n"));
	sim_run_until(pl.p->sim.k, sim_now(pl.p->sim.k) + 10 * SIM_MS);
	ASSERT_NE(stats_probe_failed(pl.p->stats), nullptr);
	EXPECT_NE(std::string(stats_probe_failed(pl.p->stats)).find("-ENXIO"), std::string::npos);
	for (const auto &r : pl.log.recs) {
		EXPECT_FALSE(r.kind == TR_SMC && (uint32_t)r.a == kRegd) << "a TA call without a driver";
		EXPECT_FALSE(r.kind == TR_NOTIF && r.a == NOTIF_SEND) << "a notification without STARTED";
	}
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	stats_print_summary(pl.p->stats, f);
	fclose(f);
	EXPECT_NE(std::string(buf).find("the OP-TEE driver did not probe"), std::string::npos) << buf;
	free(buf);
}

/* sources[].world: normal: Linux requests the SPI and drives the device; its interrupts preempt OP-TEE as foreign ones. */
TEST(PlatformCheck, NormalWorldSourceIsLinuxs)
{
	PlatHarness pl("ns.yaml");
	ASSERT_TRUE(pl.boot("name: n\nplatform: {cpus: 2}\n"
			    "sources:\n  - {name: eth, world: normal, kind: uart, intid: 60, cpu: 1, arrival: {periodic: 50us},"
			    " top_half: 2us, bottom_half: 5us}\n"
			    "workloads:\n  - {name: ta, kind: ta_invoke, rate: 2kHz, secure_work: 300us, cpus: [1]}\n"));
	sim_run_until(pl.p->sim.k, sim_now(pl.p->sim.k) + 10 * SIM_MS);
	unsigned acked_ns = 0, threads = 0, foreign = 0, bus_errors = 0;
	for (const auto &r : pl.log.recs) {
		acked_ns += r.kind == TR_GIC_ACK && r.a == 60 && r.b == GIC_G1NS;
		threads += r.kind == TR_ACTIVITY && r.label && std::string(r.label) == "irq/60-eth";
		foreign += r.kind == TR_EVENT && r.code == SIM_EV_FOREIGN_INTR;
		bus_errors += r.kind == TR_EVENT && r.code == SIM_EV_BUS_ERROR;
	}
	EXPECT_GT(acked_ns, 50u) << "Linux takes INTID 60 as a Non-secure Group 1 interrupt";
	EXPECT_GT(threads, 0u) << "its threaded handler drains the device";
	EXPECT_GT(foreign, 0u) << "it preempts OP-TEE's TA work as a foreign interrupt";
	EXPECT_EQ(bus_errors, 0u) << "the normal world may touch its frame";
}

} // namespace
