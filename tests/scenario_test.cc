// SPDX-License-Identifier: BSD-3-Clause
// The scenario loader (sim/scenario/scenario.h): schema, defaults, overrides and diagnostics.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sim/stats/metrics.h"
#include "sim/scenario/scenario.h"
#include "testutil.h"

namespace {

const char *const kMinimal = "sources:\n"
			     "  - name: uart\n"
			     "    arrival: {periodic: 1ms}\n";

struct Load {
	std::unique_ptr<scenario> s{ new scenario() };
	sim_diag d{};
	int rc = 0;
	std::string msg() const { return d.msg; }
};

Load load(const std::string &yaml, std::vector<const char *> ovr = {}, const char *path = "t.yaml")
{
	Load l;
	l.rc = scenario_load_string(yaml.c_str(), path, ovr.data(), (int)ovr.size(), l.s.get(), &l.d);
	return l;
}

// The load fails with a message starting with @prefix and containing @phrase.
#define EXPECT_LOAD_ERROR(yaml, prefix, phrase)                                                          \
	do {                                                                                             \
		Load l_ = load(yaml);                                                                    \
		EXPECT_EQ(l_.rc, -1);                                                                    \
		EXPECT_EQ(l_.msg().rfind(prefix, 0), 0u) << l_.msg();                                    \
		EXPECT_NE(l_.msg().find(phrase), std::string::npos) << l_.msg();                        \
	} while (0)

Load ok(const std::string &yaml, std::vector<const char *> ovr = {})
{
	Load l = load(yaml, ovr);
	EXPECT_EQ(l.rc, 0) << l.msg();
	return l;
}

} // namespace

// ---- documents and files -----------------------------------------------------------------------

TEST(ScenarioFile, CannotOpenNamesFileAndReason)
{
	scenario *s = new scenario();
	sim_diag d;
	EXPECT_EQ(scenario_load("tests/data/scenarios/no-such.yaml", nullptr, 0, s, &d), -1);
	EXPECT_STREQ(d.msg, "tests/data/scenarios/no-such.yaml: cannot open: No such file or directory");
	delete s;
}

TEST(ScenarioFile, DirectoryIsNotAScenario)
{
	scenario *s = new scenario();
	sim_diag d;
	EXPECT_EQ(scenario_load("tests/data/scenarios", nullptr, 0, s, &d), -1);
	EXPECT_STREQ(d.msg, "tests/data/scenarios: not a regular file (a directory)");
	delete s;
}

TEST(ScenarioFile, EmptyDocument)
{
	EXPECT_LOAD_ERROR("", "t.yaml:1:1: ", "empty document");
	EXPECT_LOAD_ERROR("# only a comment\n", "t.yaml:1:1: ", "empty document");
}

TEST(ScenarioFile, DocumentMustBeAMapping)
{
	EXPECT_LOAD_ERROR("- a\n- b\n", "t.yaml:1:1: ", "a scenario is a mapping");
}

TEST(ScenarioFile, YamlSyntaxErrorUsesProblemMark)
{
	// libyaml's problem_mark is 0-based (yaml_parser_t.problem_mark): "a: 1\n b: 2" -> 2:3 once 1-based
	EXPECT_LOAD_ERROR("a: 1\n b: 2\n", "t.yaml:2:3: ", "mapping values are not allowed in this context");
	EXPECT_LOAD_ERROR("timeline: [smc\nseed: 3\n", "t.yaml:2:5: ",
			  "while parsing a flow sequence at 1:11");
}

TEST(ScenarioFile, SecondDocumentIsAnError)
{
	EXPECT_LOAD_ERROR("seed: 1\n---\nseed: 2\n", "t.yaml:3:1: ", "second YAML document");
}

TEST(ScenarioFile, UndefinedAliasIsASyntaxError)
{
	EXPECT_LOAD_ERROR("seed: *nope\n", "t.yaml:1:7: ", "undefined alias");
}

TEST(ScenarioFile, RecursiveAliasIsRejectedNotFollowed)
{
	// libyaml registers the anchor before the sequence is complete, so this is a cycle.
	Load l = load("seed: &a [*a]\n");
	EXPECT_EQ(l.rc, -1);
	EXPECT_NE(l.msg().find("nesting too deep"), std::string::npos) << l.msg();
}

TEST(ScenarioFile, AliasBombIsBounded)
{
	std::string y = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
	for (int i = 1; i < 9; i++)
		y += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) +
		     ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" +
		     std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) +
		     ", *a" + std::to_string(i - 1) + ", *a" + std::to_string(i - 1) + "]\n";
	Load l = load(y);
	EXPECT_EQ(l.rc, -1);
	EXPECT_NE(l.msg().find("too many nodes"), std::string::npos) << l.msg();
}

TEST(ScenarioFile, FullExampleLoadsFromDisk)
{
	scenario *s = new scenario();
	sim_diag d;
	ASSERT_EQ(scenario_load("tests/data/scenarios/full.yaml", nullptr, 0, s, &d), 0) << d.msg;
	EXPECT_STREQ(s->name, "spi-vs-hotplug");
	EXPECT_EQ(s->seed, 42u);
	EXPECT_EQ(s->stop_after, 200 * SIM_MS);
	EXPECT_STREQ(s->platform.dts, "tests/data/scenarios/qemu-virt.dts");
	EXPECT_EQ(s->platform.costs.clock.hz, 1200000000u);
	EXPECT_EQ(s->n_sources, 4u);
	EXPECT_STREQ(s->sources[3].replay, "tests/data/scenarios/arrivals.csv");
	EXPECT_EQ(s->sources[3].pos.line, 55u);
	EXPECT_EQ(s->sources[3].pos.col, 5u);
	EXPECT_EQ(s->n_workloads, 2u);
	EXPECT_STREQ(s->workloads[0].name, "ta_invoke0");
	EXPECT_EQ(s->n_timeline, 6u);
	EXPECT_EQ(s->n_expect, 4u);
	EXPECT_EQ(s->outputs, SCENARIO_TRACE_CSV | SCENARIO_TRACE_PERFETTO | SCENARIO_TRACE_VCD | SCENARIO_TRACE_HGRM);
	scenario_free(s);
	delete s;
}

TEST(ScenarioFile, TypoExampleSuggestsCpus)
{
	scenario *s = new scenario();
	sim_diag d;
	EXPECT_EQ(scenario_load("tests/data/scenarios/typo_cpu.yaml", nullptr, 0, s, &d), -1);
	EXPECT_STREQ(d.msg, "tests/data/scenarios/typo_cpu.yaml:3:3: platform.cpu: unknown key; did you mean 'cpus'?");
	delete s;
}

TEST(ScenarioFile, NulByteInFileIsReported)
{
	std::string dir = make_temp_dir();
	write_file(dir + "/nul.yaml", std::string("seed: 1\nse\0ed: 2\n", 17));
	scenario *s = new scenario();
	sim_diag d;
	EXPECT_EQ(scenario_load((dir + "/nul.yaml").c_str(), nullptr, 0, s, &d), -1);
	EXPECT_NE(std::string(d.msg).find("nul.yaml:2:3: the file contains a NUL byte"), std::string::npos) << d.msg;
	delete s;
	rm_rf(dir);
}

// ---- defaults ----------------------------------------------------------------------------------

TEST(ScenarioDefaults, EmptyMappingGetsEveryDefault)
{
	Load l = load("{}\n", {}, "dir/my-scen.yaml");
	ASSERT_EQ(l.rc, 0) << l.msg();
	const scenario &s = *l.s;
	EXPECT_STREQ(s.name, "my-scen");
	EXPECT_STREQ(s.description, "");
	EXPECT_EQ(s.seed, 1u);
	EXPECT_EQ(s.stop, SCENARIO_STOP_AFTER);
	EXPECT_EQ(s.stop_after, 100 * SIM_MS);
	EXPECT_EQ(s.kernel, SIM_BACKEND_NATIVE);
	EXPECT_STREQ(s.platform.dts, "");
	EXPECT_EQ(s.platform.cpus, 4u);
	EXPECT_EQ(s.platform.costs.preset, SIM_PRESET_A53);
	EXPECT_EQ(s.platform.costs.clock.hz, 1200000000u);
	EXPECT_EQ(s.platform.prio_bits, 5u);
	EXPECT_EQ(s.transport.kind, SCENARIO_SPI);
	EXPECT_EQ(s.transport.intid, 219u);
	EXPECT_EQ(s.transport.trigger, SCENARIO_EDGE);
	EXPECT_EQ(s.transport.routing, SCENARIO_ROUTE_FIXED);
	EXPECT_EQ(s.transport.target, SCENARIO_TARGET_SELF);
	EXPECT_EQ(s.transport.spmc, SCENARIO_SPMC_S_EL1);
	EXPECT_EQ(s.transport.raise, SCENARIO_RAISE_FIXED);
	EXPECT_EQ(s.tee_threads, 2u);
	EXPECT_TRUE(s.tee_async_notif);
	EXPECT_EQ(s.ree_irq_affinity, 0u);
	EXPECT_EQ(s.ree_eoimode, 0u);
	EXPECT_EQ(s.n_sources + s.n_workloads + s.n_timeline + s.n_expect, 0u);
	EXPECT_EQ(s.outputs, SCENARIO_TRACE_CSV);
}

TEST(ScenarioDefaults, NameFromBasenameIsSanitised)
{
	EXPECT_STREQ(load("{}", {}, "a/b c.yml").s->name, "b_c");
	EXPECT_STREQ(load("{}", {}, "plain").s->name, "plain");
}

TEST(ScenarioDefaults, SourceDefaults)
{
	Load l = ok("sources:\n"
		    "  - {name: a, arrival: {periodic: 1ms}}\n"
		    "  - {name: b, kind: timer, arrival: {periodic: 1ms}}\n");
	const scenario_source &a = l.s->sources[0], &b = l.s->sources[1];
	EXPECT_EQ(a.kind, SCENARIO_UART);
	EXPECT_EQ(a.world, SCENARIO_SECURE);
	EXPECT_EQ(a.intid, 40u);
	EXPECT_EQ(b.intid, 41u); // 40 + index
	EXPECT_EQ(a.trigger, SCENARIO_LEVEL); // uart: level
	EXPECT_EQ(b.trigger, SCENARIO_EDGE);
	EXPECT_EQ(a.cpu, 0u);
	EXPECT_EQ(a.arrival, SCENARIO_PERIODIC);
	EXPECT_EQ(a.period, SIM_MS);
	EXPECT_EQ(a.top_half.unit, SIM_COST_CYCLES);
	EXPECT_EQ(a.top_half.d.a, 800.0);
	EXPECT_EQ(a.bottom_half.unit, SIM_COST_PS);
	EXPECT_EQ(a.bottom_half.d.a, 20e6);
	EXPECT_EQ(a.per_item.d.a, 0.0);
	EXPECT_EQ(a.fifo, 16u);
	EXPECT_EQ(a.pos.line, 2u);
	EXPECT_EQ(a.pos.col, 5u);
}

TEST(ScenarioDefaults, WorkloadDefaults)
{
	Load l = ok("platform: {cpus: 3}\n"
		    "workloads:\n"
		    "  - {kind: ta_invoke, rate: 5kHz}\n"
		    "  - {kind: cpu_bound}\n");
	const scenario_workload &a = l.s->workloads[0], &b = l.s->workloads[1];
	EXPECT_STREQ(a.name, "ta_invoke0");
	EXPECT_STREQ(b.name, "cpu_bound1");
	EXPECT_EQ(a.rate_hz, 5000u);
	EXPECT_EQ(a.secure_work.d.a, 50e6);
	EXPECT_EQ(b.work.d.a, 1e9);
	EXPECT_EQ(a.cpus, 0x7u); // all three
}

TEST(ScenarioDefaults, TransportIntidDefaultsByKind)
{
	EXPECT_EQ(ok("transport: {kind: ppi}").s->transport.intid, 31u);
	EXPECT_EQ(ok("transport: {kind: sgi}").s->transport.intid, 8u);
	EXPECT_EQ(ok("transport: {kind: ffa}").s->transport.intid, 8u);
}

// ---- features ----------------------------------------------------------------------------------

TEST(Scenario, FullExampleValues)
{
	scenario *s = new scenario();
	sim_diag d;
	ASSERT_EQ(scenario_load("tests/data/scenarios/full.yaml", nullptr, 0, s, &d), 0) << d.msg;
	EXPECT_EQ(s->platform.costs.c[SIM_COST_WORLD_SWITCH].d.a, 1000.0);
	EXPECT_TRUE(s->platform.cost_overridden[SIM_COST_WORLD_SWITCH]);
	EXPECT_FALSE(s->platform.cost_overridden[SIM_COST_EXC_ENTRY]);
	EXPECT_EQ(s->platform.costs.c[SIM_COST_REE_WAKEUP].d.kind, SIM_DIST_LOGNORMAL);
	EXPECT_EQ(s->platform.costs.c[SIM_COST_REE_WAKEUP].unit, SIM_COST_PS);
	EXPECT_EQ(s->platform.costs.c[SIM_COST_GIC_SGI_DELAY].d.a, 400e3);
	const scenario_source &rng = s->sources[2];
	EXPECT_EQ(rng.arrival, SCENARIO_BURST);
	EXPECT_EQ(rng.burst_count, 50u);
	EXPECT_EQ(rng.burst_every, 10 * SIM_MS);
	EXPECT_EQ(rng.burst_spacing, 2 * SIM_US);
	EXPECT_EQ(rng.cpu, 3u);
	EXPECT_EQ(s->sources[0].arrival, SCENARIO_POISSON);
	EXPECT_EQ(s->sources[0].rate_hz, 2000u);
	EXPECT_EQ(s->workloads[1].cpus, 0x4u);
	const scenario_expect &e = s->expect[1];
	EXPECT_EQ(e.kind, SCENARIO_EXPECT_METRIC);
	EXPECT_STREQ(e.metric, "latency.e2e.p99");
	EXPECT_EQ(e.op, SCENARIO_LT);
	EXPECT_EQ(e.value, 40e6);
	EXPECT_EQ(e.pos.line, 82u);
	EXPECT_EQ(e.pos.col, 5u);
	const scenario_expect &q = s->expect[3];
	EXPECT_EQ(q.kind, SCENARIO_EXPECT_SMC_SEQUENCE);
	EXPECT_EQ(q.notification, 2u);
	ASSERT_EQ(q.smc_count, 2u);
	EXPECT_STREQ(s->smc_fns[q.smc_first].name, "OPTEE_SMC_CALL_WITH_ARG");
	EXPECT_EQ(s->smc_fns[q.smc_first + 1].id, 0x32000009u);
	EXPECT_STREQ(s->smc_fns[q.smc_first + 1].name, "");
	delete s;
}

TEST(Scenario, TimelineIsSortedStablyByAt)
{
	Load l = ok("timeline:\n"
		    "  - {at: 20ms, cpu_on: 1}\n"
		    "  - {at: 10ms, cpu_off: 1}\n"
		    "  - {at: 20ms, cpu_off: 2}\n"
		    "  - {at: 0ms, cpu_off: 3}\n"
		    "  - {at: 20ms, cpu_on: 2}\n");
	const scenario &s = *l.s;
	ASSERT_EQ(s.n_timeline, 5u);
	unsigned order[] = { 3, 1, 0, 2, 4 };
	for (unsigned i = 0; i < 5; i++)
		EXPECT_EQ(s.timeline[i].file_index, order[i]) << i;
	EXPECT_EQ(s.timeline[2].action, SCENARIO_CPU_ON);
	EXPECT_EQ(s.timeline[2].pos.line, 2u); // positions travel with the entry
	EXPECT_EQ(s.timeline[4].cpu, 2u);
}

TEST(Scenario, TimelineActions)
{
	Load l = ok("sources: [{name: u, arrival: {periodic: 1ms}}]\n"
		    "workloads: [{name: w, kind: cpu_bound}]\n"
		    "timeline:\n"
		    "  - {at: 1ms, suspend: {cpu: 2, for: 5ms}}\n"
		    "  - {at: 2ms, storm: {source: u, rate: 50kHz, for: 1ms}}\n"
		    "  - {at: 3ms, mask_window: {cpu: 1, world: normal, for: 400us}}\n"
		    "  - {at: 4ms, load: {workload: w, rate: 1kHz}}\n");
	const scenario_event *t = l.s->timeline;
	EXPECT_EQ(t[0].action, SCENARIO_SUSPEND);
	EXPECT_EQ(t[0].wake, SCENARIO_WAKE_INTERRUPT);
	EXPECT_EQ(t[0].duration, 5 * SIM_MS);
	EXPECT_EQ(t[1].action, SCENARIO_STORM);
	EXPECT_EQ(t[1].source, 0u);
	EXPECT_EQ(t[1].rate_hz, 50000u);
	EXPECT_EQ(t[2].world, SCENARIO_NORMAL);
	EXPECT_EQ(t[3].action, SCENARIO_LOAD);
	EXPECT_EQ(t[3].workload, 0u);
	EXPECT_STREQ(scenario_action_name(t[2].action), "mask_window");
}

TEST(Scenario, StopAfterNotifications)
{
	Load l = ok("stop: {notifications: 100000}\n");
	EXPECT_EQ(l.s->stop, SCENARIO_STOP_NOTIFICATIONS);
	EXPECT_EQ(l.s->stop_notifications, 100000u);
}

TEST(Scenario, PresetWithClockSuffix)
{
	Load l = ok("platform: {costs: cortex-a72@1.5GHz}\n");
	EXPECT_EQ(l.s->platform.costs.preset, SIM_PRESET_A72);
	EXPECT_EQ(l.s->platform.costs.clock.hz, 1500000000u);
	EXPECT_EQ(ok("platform: {costs: cortex-a72}\n").s->platform.costs.clock.hz, 2000000000u);
	EXPECT_EQ(ok("platform: {costs: cortex-a72, clock: 800MHz}\n").s->platform.costs.clock.hz, 800000000u);
}

TEST(Scenario, SgiTargetList)
{
	Load l = ok("transport: {kind: sgi, intid: 9, target: [0, 2]}\n");
	EXPECT_EQ(l.s->transport.target, SCENARIO_TARGET_LIST);
	EXPECT_EQ(l.s->transport.target_cpus, 0x5u);
	EXPECT_EQ(ok("transport: {kind: sgi, target: all-but-self}").s->transport.target,
		  SCENARIO_TARGET_ALL_BUT_SELF);
}

TEST(Scenario, BooleansAndSeedForms)
{
	EXPECT_FALSE(ok("tee: {async_notif: false}").s->tee_async_notif);
	EXPECT_FALSE(ok("tee: {async_notif: no}").s->tee_async_notif);
	EXPECT_EQ(ok("seed: 18446744073709551615").s->seed, UINT64_MAX);
	EXPECT_EQ(ok("seed: 0xdeadbeef").s->seed, 0xdeadbeefu);
	EXPECT_EQ(ok("platform: {cpus: 0x10}").s->platform.cpus, 16u);
}

TEST(Scenario, ExpectValuesByMetricKind)
{
	Load l = ok("expect:\n"
		    "  - lost == 0\n"
		    "  - smc_per_notification<=2.5\n"
		    "  - time.secure >= 1.5ms\n"
		    "  - latency.bottom_half.count != 3\n");
	const scenario_expect *e = l.s->expect;
	EXPECT_EQ(e[0].metric_kind, SIM_METRIC_COUNT);
	EXPECT_EQ(e[1].op, SCENARIO_LE);
	EXPECT_EQ(e[1].value, 2.5);
	EXPECT_EQ(e[2].value, 1.5e9);
	EXPECT_EQ(e[3].metric_kind, SIM_METRIC_COUNT);
	EXPECT_STREQ(e[0].text, "lost == 0");
	EXPECT_STREQ(scenario_op_name(e[3].op), "!=");
}

// ---- distributions -----------------------------------------------------------------------------

static sim_cost cost_of(const std::string &c)
{
	Load l = ok("sources: [{name: u, arrival: {periodic: 1ms}, bottom_half: " + c + "}]\n");
	return l.s->sources[0].bottom_half;
}

TEST(ScenarioCost, ConstantCyclesAndTime)
{
	sim_cost k = cost_of("1200 cycles");
	EXPECT_EQ(k.unit, SIM_COST_CYCLES);
	EXPECT_EQ(k.d.kind, SIM_DIST_CONST);
	EXPECT_EQ(k.d.a, 1200.0);
	k = cost_of("2us");
	EXPECT_EQ(k.unit, SIM_COST_PS);
	EXPECT_EQ(k.d.a, 2e6);
}

TEST(ScenarioCost, Exponential)
{
	sim_cost k = cost_of("{exponential: {mean: 50us}}");
	EXPECT_EQ(k.d.kind, SIM_DIST_EXPONENTIAL);
	EXPECT_EQ(k.d.a, 50e6);
}

TEST(ScenarioCost, Normal)
{
	sim_cost k = cost_of("{normal: {mean: 100 cycles, sd: 10 cycles}}");
	EXPECT_EQ(k.d.kind, SIM_DIST_NORMAL);
	EXPECT_EQ(k.unit, SIM_COST_CYCLES);
	EXPECT_EQ(k.d.b, 10.0);
}

TEST(ScenarioCost, LognormalFromMedianAndP99)
{
	sim_cost k = cost_of("{lognormal: {median: 20us, p99: 60us}}");
	EXPECT_EQ(k.d.kind, SIM_DIST_LOGNORMAL);
	EXPECT_NEAR(k.d.a, std::log(20e6), 1e-9);
	EXPECT_NEAR(k.d.b, std::log(3.0) / SIM_Z99, 1e-9);
}

TEST(ScenarioCost, Uniform)
{
	sim_cost k = cost_of("{uniform: [10us, 30us]}");
	EXPECT_EQ(k.d.kind, SIM_DIST_UNIFORM);
	EXPECT_EQ(k.d.a, 10e6);
	EXPECT_EQ(k.d.b, 30e6);
}

TEST(ScenarioCost, Empirical)
{
	sim_cost k = cost_of("{empirical: [[5 cycles, 1], [50 cycles, 3]]}");
	EXPECT_EQ(k.d.kind, SIM_DIST_EMPIRICAL);
	EXPECT_EQ(k.unit, SIM_COST_CYCLES);
	ASSERT_EQ(k.d.n, 2u);
	EXPECT_EQ(k.d.val[1], 50.0);
	EXPECT_DOUBLE_EQ(k.d.cum[0], 0.25);
}

// ---- error classes -----------------------------------------------------------------------------

TEST(ScenarioError, UnknownKeySuggestsClosest)
{
	EXPECT_LOAD_ERROR("platform:\n  cpu: 4\n", "t.yaml:2:3: platform.cpu: ", "did you mean 'cpus'?");
	EXPECT_LOAD_ERROR("sede: 4\n", "t.yaml:1:1: sede: ", "did you mean 'seed'?");
	EXPECT_LOAD_ERROR("sources:\n  - name: u\n    arival: {periodic: 1ms}\n", "t.yaml:3:5: sources[0].arival: ",
			  "did you mean 'arrival'?");
}

TEST(ScenarioError, UnknownKeyFarFromAnyListsAllowed)
{
	EXPECT_LOAD_ERROR("tee: {zzzzzz: 1}\n", "t.yaml:1:7: tee.zzzzzz: ",
			  "unknown key (expected one of: threads, async_notif, notif_raise)");
}

/* SCENARIO_KEYS.md ties: `to` must come after `from` (an empty window reorders nothing). */
TEST(ScenarioError, TiesWindowMustNotBeEmpty)
{
	EXPECT_LOAD_ERROR("ties: {order: lifo, from: 2ms, to: 1ms}\n", "t.yaml:1:36: ties.to: ",
			  "ties.to must be after ties.from");
}

/* docs/protocol.md §10.1: the drain loop switch takes loop or once. */
TEST(ScenarioError, NotifDrainTakesLoopOrOnce)
{
	EXPECT_LOAD_ERROR("ree: {notif_drain: twice}\n", "t.yaml:1:20: ree.notif_drain: ", "loop");
}

TEST(ScenarioError, UnknownCostNameSuggestsCostName)
{
	EXPECT_LOAD_ERROR("platform:\n  cost_overrides:\n    ree.wakup: 2us\n",
			  "t.yaml:3:5: platform.cost_overrides.ree.wakup: ", "did you mean 'ree.wakeup'?");
}

TEST(ScenarioError, DuplicateKeyNamesFirstLine)
{
	EXPECT_LOAD_ERROR("seed: 1\nplatform: {cpus: 2}\nseed: 2\n", "t.yaml:3:1: seed: ", "duplicate key (first at line 1)");
	EXPECT_LOAD_ERROR("platform:\n  cpus: 2\n  cpus: 3\n", "t.yaml:3:3: platform.cpus: ", "first at line 2");
}

TEST(ScenarioError, WrongNodeType)
{
	EXPECT_LOAD_ERROR("platform: [1, 2]\n", "t.yaml:1:11: platform: ", "expected a mapping, found a sequence");
	EXPECT_LOAD_ERROR("sources: {name: x}\n", "t.yaml:1:10: sources: ", "expected a sequence, found a mapping");
	EXPECT_LOAD_ERROR("platform: {cpus: [4]}\n", "t.yaml:1:18: platform.cpus: ", "expected an integer, found a sequence");
	EXPECT_LOAD_ERROR("platform:\n  cpus:\n", "t.yaml:2:8: platform.cpus: ", "found an empty value");
}

TEST(ScenarioError, NonInteger)
{
	EXPECT_LOAD_ERROR("platform: {cpus: four}\n", "t.yaml:1:18: platform.cpus: ", "expected an integer, found 'four'");
	EXPECT_LOAD_ERROR("platform: {cpus: 2.5}\n", "t.yaml:1:18: platform.cpus: ", "expected an integer");
	EXPECT_LOAD_ERROR("tee: {threads: 4 cycles}\n", "t.yaml:1:16: tee.threads: ", "expected an integer");
	EXPECT_LOAD_ERROR("seed: -1\n", "t.yaml:1:7: seed: ", "expected an unsigned 64-bit integer");
	EXPECT_LOAD_ERROR("seed: 18446744073709551616\n", "t.yaml:1:7: seed: ", "out of range");
}

TEST(ScenarioError, BadEnumListsAllowedValues)
{
	EXPECT_LOAD_ERROR("transport: {kind: spii}\n", "t.yaml:1:19: transport.kind: ",
			  "bad value 'spii'; did you mean 'spi'? (expected one of: spi, ppi, sgi, ffa)");
	EXPECT_LOAD_ERROR("kernel: gem5\n", "t.yaml:1:9: kernel: ", "(expected one of: native, systemc)");
	EXPECT_LOAD_ERROR("tee: {async_notif: maybe}\n", "t.yaml:1:20: tee.async_notif: ", "expected true or false");
}

TEST(ScenarioError, OutOfRangeNumbers)
{
	EXPECT_LOAD_ERROR("platform: {cpus: 0}\n", "t.yaml:1:18: platform.cpus: ", "0 is out of range 1..64");
	EXPECT_LOAD_ERROR("platform: {cpus: 65}\n", "t.yaml:1:18: platform.cpus: ", "out of range 1..64");
	EXPECT_LOAD_ERROR("platform: {clock: 500kHz}\n", "t.yaml:1:19: platform.clock: ", "out of range 1MHz..10GHz");
	EXPECT_LOAD_ERROR("platform: {clock: 11GHz}\n", "t.yaml:1:19: platform.clock: ", "out of range 1MHz..10GHz");
	EXPECT_LOAD_ERROR("platform: {gic: {prio_bits: 9}}\n", "t.yaml:1:29: platform.gic.prio_bits: ", "out of range 4..8");
	EXPECT_LOAD_ERROR("stop: {notifications: 0}\n", "t.yaml:1:23: stop.notifications: ", "out of range 1..1000000000");
	EXPECT_LOAD_ERROR("tee: {threads: 65}\n", "t.yaml:1:16: tee.threads: ", "out of range 1..64");
	EXPECT_LOAD_ERROR("ree: {eoimode: 2}\n", "t.yaml:1:16: ree.eoimode: ", "out of range 0..1");
	EXPECT_LOAD_ERROR("sources: [{name: u, intid: 31, arrival: {periodic: 1ms}}]\n", "t.yaml:1:28: sources[0].intid: ",
			  "out of range 32..1019");
	EXPECT_LOAD_ERROR("sources: [{name: u, fifo: 65537, arrival: {periodic: 1ms}}]\n", "t.yaml:1:27: sources[0].fifo: ",
			  "out of range 1..65536");
	EXPECT_LOAD_ERROR("sources: [{name: u, arrival: {burst: {count: 0, every: 1ms, spacing: 1us}}}]\n",
			  "t.yaml:1:46: sources[0].arrival.burst.count: ", "out of range 1..1000000");
}

TEST(ScenarioError, TransportIntidRangeDependsOnKind)
{
	EXPECT_LOAD_ERROR("transport: {kind: ppi, intid: 219}\n", "t.yaml:1:31: transport.intid: ", "out of range 16..31");
	EXPECT_LOAD_ERROR("transport: {kind: sgi, intid: 16}\n", "t.yaml:1:31: transport.intid: ", "out of range 8..15");
	EXPECT_LOAD_ERROR("transport: {intid: 1020}\n", "t.yaml:1:20: transport.intid: ", "out of range 32..1019");
}

TEST(ScenarioError, TransportOptionForAnotherKind)
{
	EXPECT_LOAD_ERROR("transport: {kind: ppi, trigger: level}\n", "t.yaml:1:33: transport.trigger: ",
			  "level applies only to kind spi");
	EXPECT_LOAD_ERROR("transport: {kind: sgi, routing: 1-of-N}\n", "t.yaml:1:33: transport.routing: ", "only to kind spi");
	EXPECT_LOAD_ERROR("transport: {kind: spi, target: [1]}\n", "t.yaml:1:32: transport.target: ", "only to kind sgi");
	EXPECT_LOAD_ERROR("transport: {kind: ppi, ffa_bottom_half: inline}\n", "t.yaml:1:41: transport.ffa_bottom_half: ",
			  "inline applies only to kind ffa");
	EXPECT_LOAD_ERROR("transport: {kind: sgi, spmc: s-el2}\n", "t.yaml:1:30: transport.spmc: ",
			  "s-el2 applies only to kind ffa (kind is sgi)");
	EXPECT_LOAD_ERROR("transport: {kind: spi, raise: upstream}\n", "t.yaml:1:31: transport.raise: ",
			  "upstream applies only to kind ppi (kind is spi)");
}

/*
 * SCENARIO_KEYS.md transport.spmc: s-el1 | s-el2. el3 is refused with the reason (TF-A's EL3 SPMC,
 * spmc_main.c spmc_smc_handler, handles no FFA_NOTIFICATION_*), and s-el2 needs Hafnium's SRI, SGI 8
 * (HF_SCHEDULE_RECEIVER_INTID).
 */
TEST(ScenarioTransport, SpmcSEl1OrSEl2AndEl3IsRefused)
{
	EXPECT_EQ(ok("transport: {kind: ffa}\n").s->transport.spmc, SCENARIO_SPMC_S_EL1);
	EXPECT_EQ(ok("transport: {kind: ffa, spmc: s-el2}\n").s->transport.spmc, SCENARIO_SPMC_S_EL2);
	EXPECT_LOAD_ERROR("transport: {kind: ffa, spmc: el3}\n", "t.yaml:1:30: transport.spmc: ",
			  "el3: TF-A's EL3 SPMC implements no FF-A notifications");
	EXPECT_LOAD_ERROR("transport: {kind: ffa, intid: 9, spmc: s-el2}\n", "t.yaml:1:40: transport.spmc: ",
			  "HF_SCHEDULE_RECEIVER_INTID");
	EXPECT_LOAD_ERROR("transport: {kind: ffa, spmc: s-el3}\n", "t.yaml:1:30: transport.spmc: ", "s-el1");
}

/* SCENARIO_KEYS.md transport.raise: fixed | upstream, kind ppi only; an unknown value names the choices. */
TEST(ScenarioTransport, RaiseUpstreamOrFixedForPpi)
{
	EXPECT_EQ(ok("transport: {kind: ppi, raise: upstream}\n").s->transport.raise, SCENARIO_RAISE_UPSTREAM);
	EXPECT_EQ(ok("transport: {kind: ppi, raise: fixed}\n").s->transport.raise, SCENARIO_RAISE_FIXED);
	EXPECT_EQ(ok("transport: {kind: ppi}\n").s->transport.raise, SCENARIO_RAISE_FIXED);
	EXPECT_LOAD_ERROR("transport: {kind: ppi, raise: gicr}\n", "t.yaml:1:31: transport.raise: ", "fixed");
}

/* ree.preempt (kernel/Kconfig.preempt) and ree.scheduler (the fair class): defaults full and eevdf. */
TEST(Scenario, ReePreemptAndScheduler)
{
	auto d = ok("name: x\n");
	EXPECT_EQ(d.s->ree_preempt, SCENARIO_PREEMPT_FULL);
	EXPECT_EQ(d.s->ree_scheduler, SCENARIO_SCHED_EEVDF);
	EXPECT_EQ(ok("ree: {preempt: voluntary}\n").s->ree_preempt, SCENARIO_PREEMPT_VOLUNTARY);
	EXPECT_EQ(ok("ree: {preempt: none}\n").s->ree_preempt, SCENARIO_PREEMPT_NONE);
	EXPECT_EQ(ok("ree: {scheduler: cfs}\n").s->ree_scheduler, SCENARIO_SCHED_CFS);
	EXPECT_EQ(ok("name: x\n", { "ree.preempt=voluntary" }).s->ree_preempt, SCENARIO_PREEMPT_VOLUNTARY);
	EXPECT_LOAD_ERROR("ree: {preempt: rt}\n", "t.yaml:1:16: ree.preempt: ", "full");
	EXPECT_LOAD_ERROR("ree: {scheduler: bfs}\n", "t.yaml:1:18: ree.scheduler: ", "eevdf");
	EXPECT_LOAD_ERROR("ree: {preemption: full}\n", "t.yaml:1:7: ree.preemption: ", "preempt");
}

/* transport.ffa_bottom_half: workqueue (Linux 6.12.37+, the default) or inline (6.8 to 6.12.36). */
TEST(Scenario, FfaBottomHalf)
{
	EXPECT_EQ(ok("transport: {kind: ffa}\n").s->transport.ffa_bottom_half, SCENARIO_FFA_BH_WORKQUEUE);
	EXPECT_EQ(ok("transport: {kind: ffa, ffa_bottom_half: inline}\n").s->transport.ffa_bottom_half,
		  SCENARIO_FFA_BH_INLINE);
	EXPECT_EQ(ok("transport: {kind: spi, ffa_bottom_half: workqueue}\n").s->transport.ffa_bottom_half,
		  SCENARIO_FFA_BH_WORKQUEUE);
	EXPECT_LOAD_ERROR("transport: {kind: ffa, ffa_bottom_half: thread}\n", "t.yaml:1:41: transport.ffa_bottom_half: ",
			  "workqueue");
}

/*
 * fidelity: {monitor, tee, ree}: abstract (default) | isa; validate accepts exactly what a run can
 * run (models/cpu/isa_rt.h): no isa with the FF-A ABI, no tee: isa with the level doorbell.
 */
TEST(Scenario, Fidelity)
{
	auto d = ok("{}\n");
	for (int w = 0; w < SCENARIO_FID_COUNT; w++)
		EXPECT_EQ(d.s->fidelity[w], SCENARIO_FIDELITY_ABSTRACT);
	auto s = ok("fidelity: {tee: isa, ree: isa, monitor: abstract}\n");
	EXPECT_EQ(s.s->fidelity[SCENARIO_FID_TEE], SCENARIO_FIDELITY_ISA);
	EXPECT_EQ(s.s->fidelity[SCENARIO_FID_REE], SCENARIO_FIDELITY_ISA);
	EXPECT_EQ(s.s->fidelity[SCENARIO_FID_MONITOR], SCENARIO_FIDELITY_ABSTRACT);
	EXPECT_EQ(ok("transport: {kind: sgi}\nfidelity: {tee: isa}\n").s->fidelity[SCENARIO_FID_TEE],
		  SCENARIO_FIDELITY_ISA);
	EXPECT_LOAD_ERROR("fidelity: {tee: cycle}\n", "t.yaml:1:17: fidelity.tee: ", "abstract");
	EXPECT_LOAD_ERROR("fidelity: {el2: isa}\n", "t.yaml:1:12: fidelity.el2: ", "monitor");
	EXPECT_EQ(ok("fidelity: {monitor: isa}\n").s->fidelity[SCENARIO_FID_MONITOR], SCENARIO_FIDELITY_ISA);
	EXPECT_LOAD_ERROR("transport: {kind: ffa}\nfidelity: {monitor: isa}\n", "t.yaml:2:21: fidelity.monitor: ",
			  "SMC ABI only");
	EXPECT_LOAD_ERROR("transport: {kind: ffa}\nfidelity: {ree: isa}\n", "t.yaml:2:17: fidelity.ree: ",
			  "SMC ABI only");
	EXPECT_LOAD_ERROR("transport: {trigger: level}\nfidelity: {tee: isa}\n", "t.yaml:2:17: fidelity.tee: ",
			  "doorbell");
	EXPECT_EQ(ok("transport: {trigger: level}\nfidelity: {ree: isa}\n").s->fidelity[SCENARIO_FID_REE],
		  SCENARIO_FIDELITY_ISA);
	/* the guest routines are upstream's: the protocol switches (docs/protocol.md §10) are abstract only */
	EXPECT_LOAD_ERROR("tee: {notif_raise: when_empty}\nfidelity: {tee: isa}\n", "t.yaml:2:17: fidelity.tee: ",
			  "raises on every send");
	EXPECT_LOAD_ERROR("ree: {notif_drain: once}\nfidelity: {ree: isa}\n", "t.yaml:2:17: fidelity.ree: ",
			  "drains while PENDING");
	EXPECT_EQ(ok("ree: {notif_drain: once}\nfidelity: {tee: isa}\n").s->fidelity[SCENARIO_FID_TEE],
		  SCENARIO_FIDELITY_ISA);
}

TEST(ScenarioError, MissingUnit)
{
	EXPECT_LOAD_ERROR("stop: {after: 40}\n", "t.yaml:1:15: stop.after: ", "expected a time with a unit, e.g. 40us");
	EXPECT_LOAD_ERROR("platform: {clock: 1200000000}\n", "t.yaml:1:19: platform.clock: ",
			  "expected a frequency with a unit");
	EXPECT_LOAD_ERROR("sources: [{name: u, arrival: {periodic: 1ms}, top_half: 800}]\n",
			  "t.yaml:1:57: sources[0].top_half: ", "expected a cost with a unit, e.g. 800 cycles or 2us");
}

TEST(ScenarioError, UnknownUnit)
{
	EXPECT_LOAD_ERROR("stop: {after: 40xs}\n", "t.yaml:1:15: stop.after: ", "unknown unit 'xs' (expected ps, ns, us, ms, s)");
	EXPECT_LOAD_ERROR("platform: {clock: 1.2ghz}\n", "t.yaml:1:19: platform.clock: ", "unknown unit 'ghz'; did you mean 'GHz'?");
	EXPECT_LOAD_ERROR("stop: {after: 5kHz}\n", "t.yaml:1:15: stop.after: ", "'5kHz' is a frequency; expected a time");
}

TEST(ScenarioError, NegativeQuantity)
{
	EXPECT_LOAD_ERROR("stop: {after: -5ms}\n", "t.yaml:1:15: stop.after: ", "is negative");
	EXPECT_LOAD_ERROR("sources: [{name: u, arrival: {periodic: 1ms}, top_half: -3 cycles}]\n",
			  "t.yaml:1:57: sources[0].top_half: ", "is negative");
}

TEST(ScenarioError, ZeroWhereAPositiveQuantityIsNeeded)
{
	EXPECT_LOAD_ERROR("sources: [{name: u, arrival: {periodic: 0us}}]\n", "t.yaml:1:41: sources[0].arrival.periodic: ",
			  "must be greater than 0");
	EXPECT_LOAD_ERROR("sources: [{name: u, arrival: {poisson: 0Hz}}]\n", "t.yaml:1:40: sources[0].arrival.poisson: ",
			  "at least 1Hz");
}

TEST(ScenarioError, MissingRequiredKey)
{
	EXPECT_LOAD_ERROR("sources:\n  - arrival: {periodic: 1ms}\n", "t.yaml:2:5: sources[0].name: ", "missing required key");
	EXPECT_LOAD_ERROR("sources:\n  - name: u\n", "t.yaml:2:5: sources[0].arrival: ", "missing required key");
	EXPECT_LOAD_ERROR("workloads: [{rate: 1kHz}]\n", "t.yaml:1:13: workloads[0].kind: ", "missing required key");
	EXPECT_LOAD_ERROR("workloads: [{kind: ta_invoke}]\n", "t.yaml:1:13: workloads[0].rate: ", "missing required key");
	EXPECT_LOAD_ERROR("timeline: [{cpu_off: 1}]\n", "t.yaml:1:12: timeline[0].at: ", "missing required key");
	EXPECT_LOAD_ERROR("timeline: [{at: 1ms, suspend: {cpu: 1}}]\n", "t.yaml:1:31: timeline[0].suspend.for: ",
			  "missing required key");
	EXPECT_LOAD_ERROR("expect: [{notification: 2}]\n", "t.yaml:1:10: expect[0].smc_sequence: ", "missing required key");
}

TEST(ScenarioError, OneKeyMappings)
{
	EXPECT_LOAD_ERROR("stop: {after: 1ms, notifications: 5}\n", "t.yaml:1:20: stop.notifications: ",
			  "'after' and 'notifications' both given; expected exactly one of: after, notifications");
	EXPECT_LOAD_ERROR("stop: {}\n", "t.yaml:1:7: stop: ", "empty mapping; expected exactly one of");
	EXPECT_LOAD_ERROR("timeline: [{at: 1ms, cpu_off: 1, cpu_on: 1}]\n", "t.yaml:1:34: timeline[0].cpu_on: ",
			  "one action per timeline entry");
	EXPECT_LOAD_ERROR("timeline: [{at: 1ms}]\n", "t.yaml:1:12: timeline[0]: ", "no action; expected one of: cpu_off");
}

TEST(ScenarioError, BadDistributionShapes)
{
	const char *pre = "sources: [{name: u, arrival: {periodic: 1ms}, bottom_half: ";
	auto y = [&](const char *c) { return std::string(pre) + c + "}]\n"; };
	// column 60 is where the cost's value starts
	EXPECT_LOAD_ERROR(y("{lognormal: {median: 5us}}"), "t.yaml:1:72: sources[0].bottom_half.lognormal.p99: ",
			  "missing required key");
	EXPECT_LOAD_ERROR(y("{lognormal: {median: 5us, p99: 4us}}"), "t.yaml:1:91: sources[0].bottom_half.lognormal.p99: ",
			  "p99 4us is below the median 5us");
	EXPECT_LOAD_ERROR(y("{uniform: [5us, 4us]}"), "t.yaml:1:76: sources[0].bottom_half.uniform[1]: ",
			  "hi 4us is below lo 5us");
	EXPECT_LOAD_ERROR(y("{uniform: [5us]}"), "t.yaml:1:70: sources[0].bottom_half.uniform: ",
			  "expected a sequence [lo, hi]");
	EXPECT_LOAD_ERROR(y("{empirical: [[5us, 1], [6us, -1]]}"),
			  "t.yaml:1:89: sources[0].bottom_half.empirical[1][1]: ", "weight -1 is negative");
	EXPECT_LOAD_ERROR(y("{empirical: [[5us, 0]]}"), "t.yaml:1:72: sources[0].bottom_half.empirical: ",
			  "the weights sum to 0");
	EXPECT_LOAD_ERROR(y("{empirical: [[5us, 1us]]}"), "t.yaml:1:79: sources[0].bottom_half.empirical[0][1]: ",
			  "a weight");
	EXPECT_LOAD_ERROR(y("{exponential: {mean: 0us}}"), "t.yaml:1:81: sources[0].bottom_half.exponential.mean: ",
			  "must be greater than 0");
	EXPECT_LOAD_ERROR(y("{gamma: {k: 1}}"), "t.yaml:1:61: sources[0].bottom_half.gamma: ", "unknown key");
	EXPECT_LOAD_ERROR(y("{normal: {mean: 5us, sd: 1 cycles}}"), "t.yaml:1:85: sources[0].bottom_half.normal.sd: ",
			  "one cost uses one unit kind");
	EXPECT_LOAD_ERROR(y("{uniform: [5 cycles, 4us]}"), "t.yaml:1:81: sources[0].bottom_half.uniform[1]: ",
			  "one cost uses one unit kind");
	EXPECT_LOAD_ERROR(y("[1us]"), "t.yaml:1:60: sources[0].bottom_half: ", "expected a cost");
	EXPECT_LOAD_ERROR(y("5kHz"), "t.yaml:1:60: sources[0].bottom_half: ", "'5kHz' is a frequency");
}

TEST(ScenarioError, BurstLongerThanItsPeriod)
{
	EXPECT_LOAD_ERROR("sources: [{name: u, arrival: {burst: {count: 11, every: 10us, spacing: 1us}}}]\n",
			  "t.yaml:1:72: sources[0].arrival.burst.spacing: ", "lasts at least its period");
}

TEST(ScenarioError, UnknownReferences)
{
	EXPECT_LOAD_ERROR("platform: {cpus: 2}\nree: {irq_affinity: 2}\n", "t.yaml:2:21: ree.irq_affinity: ",
			  "cpu 2 does not exist (platform.cpus is 2, so cpus are 0..1)");
	EXPECT_LOAD_ERROR("sources: [{name: u, cpu: 4, arrival: {periodic: 1ms}}]\n", "t.yaml:1:26: sources[0].cpu: ",
			  "cpu 4 does not exist");
	EXPECT_LOAD_ERROR("workloads: [{kind: cpu_bound, cpus: [0, 7]}]\n", "t.yaml:1:41: workloads[0].cpus[1]: ",
			  "cpu 7 does not exist");
	EXPECT_LOAD_ERROR("timeline: [{at: 1ms, cpu_off: 4}]\n", "t.yaml:1:31: timeline[0].cpu_off: ", "does not exist");
	EXPECT_LOAD_ERROR("sources: [{name: uart-rx, arrival: {periodic: 1ms}}]\n"
			  "timeline: [{at: 1ms, storm: {source: uart_rx, rate: 1kHz, for: 1ms}}]\n",
			  "t.yaml:2:38: timeline[0].storm.source: ", "unknown source 'uart_rx'; did you mean 'uart-rx'?");
	EXPECT_LOAD_ERROR("timeline: [{at: 1ms, load: {workload: w, rate: 1kHz}}]\n",
			  "t.yaml:1:39: timeline[0].load.workload: ", "unknown workload 'w' (the scenario defines none)");
}

TEST(ScenarioError, DuplicateNamesAndIntids)
{
	EXPECT_LOAD_ERROR("sources:\n  - {name: a, arrival: {periodic: 1ms}}\n  - {name: a, arrival: {periodic: 1ms}}\n",
			  "t.yaml:3:12: sources[1].name: ", "duplicate source name 'a' (also sources[0])");
	EXPECT_LOAD_ERROR("sources:\n  - {name: a, arrival: {periodic: 1ms}}\n  - {name: b, intid: 40, arrival: {periodic: 1ms}}\n",
			  "t.yaml:3:22: sources[1].intid: ", "intid 40 is also used by source 'a'");
	EXPECT_LOAD_ERROR("sources: [{name: a, intid: 219, arrival: {periodic: 1ms}}]\n", "t.yaml:1:28: sources[0].intid: ",
			  "transport's notification SPI");
	EXPECT_LOAD_ERROR("workloads: [{kind: cpu_bound, name: x}, {kind: cpu_bound, name: x}]\n",
			  "t.yaml:1:65: workloads[1].name: ", "duplicate workload name 'x'");
	EXPECT_LOAD_ERROR("sources: [{name: 'a b', arrival: {periodic: 1ms}}]\n", "t.yaml:1:18: sources[0].name: ", "bad name 'a b'");
}

TEST(ScenarioError, WorkloadKeyForAnotherKind)
{
	EXPECT_LOAD_ERROR("workloads: [{kind: cpu_bound, rate: 1kHz}]\n", "t.yaml:1:31: workloads[0].rate: ",
			  "applies only to kind ta_invoke");
	EXPECT_LOAD_ERROR("workloads: [{kind: ta_invoke, rate: 1kHz, work: 1ms}]\n", "t.yaml:1:43: workloads[0].work: ",
			  "applies only to kind cpu_bound");
}

TEST(ScenarioError, ExpectBadSyntax)
{
	EXPECT_LOAD_ERROR("expect:\n  - lost\n", "t.yaml:2:5: expect[0]: ", "expected '<metric> <op> <value>'");
	EXPECT_LOAD_ERROR("expect:\n  - lost =< 3\n", "t.yaml:2:5: expect[0]: ", "no operator after 'lost'");
	EXPECT_LOAD_ERROR("expect:\n  - lost ==\n", "t.yaml:2:5: expect[0]: ", "no value after '=='");
	EXPECT_LOAD_ERROR("expect:\n  - [lost, 0]\n", "t.yaml:2:5: expect[0]: ", "expected a check");
}

TEST(ScenarioError, ExpectUnknownMetric)
{
	EXPECT_LOAD_ERROR("expect:\n  - lots == 0\n", "t.yaml:2:5: expect[0]: ", "unknown metric 'lots'; did you mean 'lost'?");
	EXPECT_LOAD_ERROR("expect:\n  - latency.ee2.p99 < 1us\n", "t.yaml:2:5: expect[0]: ", "did you mean 'latency.e2e.p99'?");
	/* the suggestions are sim/stats/metrics.c's lists: the metrics added after the loader's own list was written too */
	EXPECT_LOAD_ERROR("expect:\n  - bus_error == 0\n", "t.yaml:2:5: expect[0]: ", "did you mean 'bus_errors'?");
	EXPECT_LOAD_ERROR("expect:\n  - wait_refuse == 0\n", "t.yaml:2:5: expect[0]: ", "did you mean 'wait_refused'?");
	EXPECT_LOAD_ERROR("expect:\n  - frobs > 1\n", "t.yaml:2:5: expect[0]: ", "unknown metric 'frobs'");
}

TEST(ScenarioError, ExpectUnitMustFitMetric)
{
	EXPECT_LOAD_ERROR("expect:\n  - latency.e2e.p99 < 40\n", "t.yaml:2:5: expect[0]: ",
			  "metric 'latency.e2e.p99' is a time; the value needs a time unit, e.g. 40us");
	EXPECT_LOAD_ERROR("expect:\n  - lost == 5us\n", "t.yaml:2:5: expect[0]: ",
			  "metric 'lost' is a count; the value must be a plain number (found '5us')");
	EXPECT_LOAD_ERROR("expect:\n  - latency.e2e.max < 5kHz\n", "t.yaml:2:5: expect[0]: ", "is a frequency");
}

TEST(ScenarioError, ExpectSmcSequence)
{
	EXPECT_LOAD_ERROR("expect: [{smc_sequence: []}]\n", "t.yaml:1:25: expect[0].smc_sequence: ", "at least 1 item");
	EXPECT_LOAD_ERROR("expect: [{smc_sequence: [0xZZ]}]\n", "t.yaml:1:26: expect[0].smc_sequence[0]: ", "bad SMC function id");
	EXPECT_LOAD_ERROR("expect: [{smc_sequence: [A], notification: 0}]\n", "t.yaml:1:44: expect[0].notification: ",
			  "out of range 1..1000000000");
	std::string many = "expect: [{smc_sequence: [";
	for (int i = 0; i < 65; i++)
		many += i ? ", F" : "F";
	EXPECT_LOAD_ERROR(many + "]}]\n", "t.yaml:1:25: expect[0].smc_sequence: ", "has 65 items; at most 64");
}

TEST(ScenarioError, CapacityExceeded)
{
	std::string y = "expect:\n";
	for (int i = 0; i < 65; i++)
		y += "  - lost == 0\n";
	EXPECT_LOAD_ERROR(y, "t.yaml:66:5: expect: ", "too many entries (at most 64)");
}

TEST(ScenarioError, PresetAndClock)
{
	EXPECT_LOAD_ERROR("platform: {costs: cortex-a35}\n", "t.yaml:1:19: platform.costs: ",
			  "unknown cost preset 'cortex-a35'; did you mean");
	EXPECT_LOAD_ERROR("platform: {costs: cortex-a53@fast}\n", "t.yaml:1:19: platform.costs: ", "bad clock 'fast'");
	EXPECT_LOAD_ERROR("platform: {costs: cortex-a53@1.2GHz, clock: 1GHz}\n", "t.yaml:1:45: platform.clock: ",
			  "conflicts with the clock in platform.costs");
	EXPECT_LOAD_ERROR("platform:\n  cost_overrides: {gic.sgi_delay: 1us}\n  gic: {sgi_delay: 2us}\n",
			  "t.yaml:3:20: platform.gic.sgi_delay: ", "set it once");
}

TEST(ScenarioError, ReplayFileMustOpen)
{
	Load l = load("sources: [{name: u, arrival: {replay: missing.csv}}]\n", {}, "tests/data/scenarios/x.yaml");
	EXPECT_EQ(l.rc, -1);
	EXPECT_EQ(l.msg(), "tests/data/scenarios/x.yaml:1:39: sources[0].arrival.replay: "
			   "tests/data/scenarios/missing.csv: cannot open: No such file or directory");
}

TEST(ScenarioError, MessagesStayOnOneLine)
{
	Load l = load("\"a\\nb\": 1\n");
	EXPECT_EQ(l.rc, -1);
	EXPECT_EQ(l.msg().find('\n'), std::string::npos) << l.msg();
	EXPECT_EQ(l.msg().rfind("t.yaml:1:1: a?b: unknown key", 0), 0u) << l.msg();
}

// ---- overrides ---------------------------------------------------------------------------------

TEST(ScenarioOverride, ReplacesScalars)
{
	Load l = ok(kMinimal, { "transport.kind=ppi", "tee.threads=4", "sources[0].arrival.periodic=2ms" });
	EXPECT_EQ(l.s->transport.kind, SCENARIO_PPI);
	EXPECT_EQ(l.s->transport.intid, 31u);
	EXPECT_EQ(l.s->tee_threads, 4u);
	EXPECT_EQ(l.s->sources[0].period, 2 * SIM_MS);
}

TEST(ScenarioOverride, CreatesMissingKeys)
{
	Load l = ok(kMinimal, { "platform.gic.prio_bits=6", "platform.cost_overrides.ree.wakeup=3us" });
	EXPECT_EQ(l.s->platform.prio_bits, 6u);
	EXPECT_TRUE(l.s->platform.cost_overridden[SIM_COST_REE_WAKEUP]);
	EXPECT_EQ(l.s->platform.costs.c[SIM_COST_REE_WAKEUP].d.a, 3e6);
}

TEST(ScenarioOverride, ValueIsYamlAndReplacesMappings)
{
	Load l = ok(kMinimal, { "sources[0].arrival={poisson: 5kHz}", "stop={notifications: 10}",
				"sources[1]={name: extra, arrival: {periodic: 1us}}" });
	EXPECT_EQ(l.s->sources[0].arrival, SCENARIO_POISSON);
	EXPECT_EQ(l.s->sources[0].rate_hz, 5000u);
	EXPECT_EQ(l.s->stop, SCENARIO_STOP_NOTIFICATIONS);
	ASSERT_EQ(l.s->n_sources, 2u);
	EXPECT_STREQ(l.s->sources[1].name, "extra");
	EXPECT_EQ(l.s->sources[1].pos.line, 0u); // made by an override
}

TEST(ScenarioOverride, LaterOverrideWins)
{
	EXPECT_EQ(ok(kMinimal, { "seed=5", "seed=6" }).s->seed, 6u);
}

TEST(ScenarioOverride, BadValueIsReportedAsVary)
{
	Load l = load(kMinimal, { "transport.kind=bogus" });
	EXPECT_EQ(l.rc, -1);
	EXPECT_EQ(l.msg(), "--vary transport.kind=bogus: bad value 'bogus' (expected one of: spi, ppi, sgi, ffa)");
	l = load(kMinimal, { "sources[0].arrival.poisson=5kHz" });
	// the offending key is the override's own path, so the path is not repeated
	EXPECT_EQ(l.msg(), "--vary sources[0].arrival.poisson=5kHz: 'periodic' and 'poisson' both given; expected "
			   "exactly one of: periodic, poisson, burst, replay");
	l = load(kMinimal, { "sources[0]={name: u, arrival: {periodic: 1xs}}" });
	EXPECT_EQ(l.msg(), "--vary sources[0]={name: u, arrival: {periodic: 1xs}}: sources[0].arrival.periodic: "
			   "unknown unit 'xs' (expected ps, ns, us, ms, s)");
	l = load(kMinimal, { "tee.threads=0" });
	EXPECT_EQ(l.msg(), "--vary tee.threads=0: 0 is out of range 1..64");
}

TEST(ScenarioOverride, UnknownKeyIsReportedAsVaryWithSuggestion)
{
	Load l = load(kMinimal, { "platform.cpu=2" });
	EXPECT_EQ(l.msg(), "--vary platform.cpu=2: unknown key; did you mean 'cpus'?");
}

TEST(ScenarioOverride, MalformedOverrides)
{
	auto msg = [](const char *o) { return load(kMinimal, { o }).msg(); };
	EXPECT_EQ(msg("seed"), "--vary seed: expected key.path=value");
	EXPECT_EQ(msg("=4"), "--vary =4: expected key.path=value");
	EXPECT_EQ(msg("sources[0].name.x=1"), "--vary sources[0].name.x=1: 'sources[0].name' is a scalar, not a mapping");
	EXPECT_EQ(msg("sources[5].name=a"), "--vary sources[5].name=a: index 5 is past the end of 'sources' (1 items)");
	EXPECT_EQ(msg("sources[x]=a"), "--vary sources[x]=a: bad index in 'sources[x]'");
	EXPECT_EQ(msg("platform..cpus=1"), "--vary platform..cpus=1: empty key in 'platform..cpus'");
	EXPECT_EQ(msg("sources[0].name[0]=1"), "--vary sources[0].name[0]=1: 'sources[0].name' is a scalar, not a sequence");
	EXPECT_EQ(msg("sources[0]x=1"), "--vary sources[0]x=1: expected '.' or '[' after 'sources[0]'");
	EXPECT_EQ(msg("seed=[1"), "--vary seed=[1: the value is not valid YAML: did not find expected ',' or ']' "
				  "(while parsing a flow sequence at 1:1)");
}

// ---- robustness --------------------------------------------------------------------------------

// `file:line:col: text` with line, col >= 1 and no control characters (std::regex trips GCC 12 under ASan).
static bool well_formed(const std::string &m, const std::string &file)
{
	for (char ch : m)
		if ((unsigned char)ch < 0x20)
			return false;
	if (m.rfind("--vary ", 0) == 0)
		return m.size() > 7;
	if (m.rfind(file + ":", 0) != 0)
		return false;
	size_t i = file.size() + 1;
	for (int field = 0; field < 2; field++) {
		size_t start = i;
		while (i < m.size() && isdigit((unsigned char)m[i]))
			i++;
		if (i == start || m[start] == '0' || i >= m.size() || m[i] != ':')
			return false;
		i++;
	}
	return m.compare(i, 1, " ") == 0 && m.size() > i + 1;
}

// Random edits of a valid scenario never crash the loader, and every failure is one well-formed line.
TEST(ScenarioFuzz, MutatedScenariosFailCleanly)
{
	std::string base = read_file("tests/data/scenarios/full.yaml");
	ASSERT_FALSE(base.empty());
	std::mt19937 rng(12345);
	const std::vector<std::string> snippets = { ":", "-", "[", "]", "{", "}", "\"", "'", ",", "#", "&a ", "*a",
						    "!!int ", "\n", " ", "  ", "\t", "0", "-1", "99999999999999999999",
						    "us", "cycles", "kHz", "?", "|", ">", "\\", "\xc3", "1e999",
						    "---\n", "...", "~", "null", "\x00" };
	scenario *s = new scenario();
	int failures = 0;
	for (int iter = 0; iter < 2000; iter++) {
		std::string y = base;
		int edits = 1 + (int)(rng() % 4);
		for (int e = 0; e < edits && !y.empty(); e++) {
			size_t pos = rng() % y.size();
			switch (rng() % 6) {
			case 0: // flip a byte
				y[pos] = (char)(rng() % 256);
				break;
			case 1: // delete a run
				y.erase(pos, 1 + rng() % 8);
				break;
			case 2: // insert a YAML-significant snippet
				y.insert(pos, snippets[rng() % snippets.size()]);
				break;
			case 3: { // duplicate a line
				size_t a = y.rfind('\n', pos), b = y.find('\n', pos);
				a = a == std::string::npos ? 0 : a + 1;
				if (b != std::string::npos)
					y.insert(b + 1, y.substr(a, b + 1 - a));
				break;
			}
			case 4: { // delete a line
				size_t a = y.rfind('\n', pos), b = y.find('\n', pos);
				a = a == std::string::npos ? 0 : a + 1;
				y.erase(a, b == std::string::npos ? std::string::npos : b + 1 - a);
				break;
			}
			default: // swap two bytes
				std::swap(y[pos], y[rng() % y.size()]);
				break;
			}
		}
		sim_diag d;
		memset(d.msg, 'x', sizeof(d.msg));
		int rc = scenario_load_string(y.c_str(), "tests/data/scenarios/t.yaml", nullptr, 0, s, &d);
		if (rc == 0)
			continue;
		failures++;
		ASSERT_EQ(rc, -1);
		ASSERT_NE(memchr(d.msg, 0, sizeof(d.msg)), nullptr);
		ASSERT_TRUE(well_formed(d.msg, "tests/data/scenarios/t.yaml")) << d.msg << "\n--- input ---\n" << y;
	}
	EXPECT_GT(failures, 1000); // the mutations do reach the error paths
	delete s;
}

// Random override strings never crash the loader; failures are one line.
TEST(ScenarioFuzz, RandomOverridesFailCleanly)
{
	std::string base = read_file("tests/data/scenarios/full.yaml");
	const std::vector<std::string> parts = { "sources", "[0]", "[4]", "[", "]", ".", "arrival", "poisson",
						 "platform", "cost_overrides", "ree.wakeup", "=", "{", "}", "5kHz",
						 "x", "timeline", "[1]", "at", "expect", "seed", "[-1]", "..", "1ms",
						 "{a: [", "&a *a", ":", "\xff" };
	std::mt19937 rng(777);
	scenario *s = new scenario();
	for (int iter = 0; iter < 1000; iter++) {
		std::string o;
		for (int k = 1 + (int)(rng() % 6); k > 0; k--)
			o += parts[rng() % parts.size()];
		if (rng() % 2)
			o += "=" + parts[rng() % parts.size()];
		const char *ov[] = { o.c_str() };
		sim_diag d;
		int rc = scenario_load_string(base.c_str(), "tests/data/scenarios/t.yaml", ov, 1, s, &d);
		if (rc) {
			ASSERT_TRUE(well_formed(d.msg, "tests/data/scenarios/t.yaml")) << d.msg << " <- " << o;
		}
	}
	delete s;
}
