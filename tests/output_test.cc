// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/output_test.cc: the output writers on synthetic record streams,
 * checked by the format validators of tests/trace_check.h (a JSON parser,
 * a VCD checker).
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/stats/hist.h"
#include "sim/out/out.h"
#include "sim/kernel/trace.h"
#include "testutil.h"
#include "trace_check.h"

namespace {

/* ---- a synthetic run ---------------------------------------------------- */

struct Synth {
	sim_trace *tr = sim_trace_new();
	std::vector<int> irq, fiq;
	int intid = -1, power = -1;
	sim_time now = 0;

	Synth()
	{
		for (int c = 0; c < 4; c++) {
			std::string scope = "cpu" + std::to_string(c);
			irq.push_back(sim_trace_signal(tr, scope.c_str(), "nIRQ", 1));
			fiq.push_back(sim_trace_signal(tr, scope.c_str(), "nFIQ", 1));
		}
		intid = sim_trace_signal(tr, "gic", "intid in service", 10);
		power = sim_trace_signal(tr, "cpu0", "power", 2);
	}
	~Synth() { sim_trace_free(tr); }

	void emit(uint32_t kind, int cpu, uint32_t world, uint64_t a = 0, uint64_t b = 0, uint64_t c = 0,
		  uint64_t d = 0, const char *label = nullptr, uint32_t notif = 0)
	{
		sim_rec r{};
		r.t = now;
		r.kind = kind;
		r.cpu = cpu;
		r.world = world;
		r.notif = notif;
		r.a = a;
		r.b = b;
		r.c = c;
		r.d = d;
		r.label = label;
		sim_trace_emit(tr, &r);
	}
	void act(int cpu, uint32_t world, const char *label, uint64_t el = 1)
	{
		emit(TR_ACTIVITY, cpu, world, el, 0, 0, 0, label);
	}
	void notif(int cpu, uint32_t world, uint32_t id, unsigned stage, uint64_t value = 0)
	{
		emit(TR_NOTIF, cpu, world, stage, value, 0, 0, nullptr, id);
	}

	/*
	 * 4 CPUs bouncing between worlds; a secure interrupt's notification
	 * travelling secure -> GIC -> normal world -> back into the TEE; a
	 * second notification coalesced into the first; a third one left open
	 * at the end of the run; counters; wires.
	 */
	void run(int rounds)
	{
		now = 1; /* a record at 1 ps: ts 0.000001 */
		for (int c = 0; c < 4; c++)
			act(c, SIM_WORLD_NS, "linux");
		for (int k = 0; k < rounds; k++) {
			uint32_t id = 3 * (uint32_t)k + 1;
			int c = k % 4, other = (k + 1) % 4;
			now += 1000;
			emit(TR_WIRE, c, SIM_WORLD_GIC, (uint64_t)fiq[c], 1);
			emit(TR_GIC_PEND, c, SIM_WORLD_GIC, 219, 0, 0);
			emit(TR_VALUE, c, SIM_WORLD_GIC, (uint64_t)intid, 219);
			emit(TR_COUNTER, -1, SIM_WORLD_GIC, 1, 0, 0, 0, "gic.pending");
			now += 333;
			emit(TR_EXC_ENTRY, c, SIM_WORLD_EL3, 1, 1, 3);
			act(c, SIM_WORLD_EL3, "tf-a");
			emit(TR_WORLD_SWITCH, c, SIM_WORLD_EL3, 0, 1);
			now += 2500;
			act(c, SIM_WORLD_S, "optee \"itr\"\\\n");
			notif(c, SIM_WORLD_S, id, NOTIF_SOURCE);
			emit(TR_GIC_ACK, c, SIM_WORLD_GIC, 219, 0);
			notif(c, SIM_WORLD_S, id, NOTIF_TOP_HALF);
			notif(c, SIM_WORLD_S, id, NOTIF_SEND, 5);
			notif(c, SIM_WORLD_S, id + 1, NOTIF_SEND, 5);
			now += 3;
			notif(c, SIM_WORLD_S, id + 1, NOTIF_COALESCED, id);
			emit(TR_COUNTER, -1, SIM_WORLD_S, (uint64_t)k, 0, 0, 0, "tee.threads");
			emit(TR_TEE_THREAD, c, SIM_WORLD_S, 0, 1);
			now += 7;
			emit(TR_GIC_PEND, other, SIM_WORLD_GIC, 9, 1, 1);
			notif(other, SIM_WORLD_GIC, id, NOTIF_NS_PENDING);
			emit(TR_GIC_EOI, c, SIM_WORLD_GIC, 219);
			emit(TR_GIC_DEACT, c, SIM_WORLD_GIC, 219);
			emit(TR_WIRE, c, SIM_WORLD_GIC, (uint64_t)fiq[c], 0);
			emit(TR_WIRE, c, SIM_WORLD_GIC, (uint64_t)fiq[c], 0); /* no change: not in the VCD */
			emit(TR_VALUE, c, SIM_WORLD_GIC, (uint64_t)intid, 1023);
			now += 1200;
			act(c, SIM_WORLD_EL3, "tf-a");
			emit(TR_WORLD_SWITCH, c, SIM_WORLD_EL3, 1, 0);
			now += 1500;
			act(c, SIM_WORLD_NS, "linux");
			emit(TR_SMC_RET, c, SIM_WORLD_NS, 0xB2000011, 0, 0, 0);
			emit(TR_WIRE, other, SIM_WORLD_GIC, (uint64_t)irq[other], 1);
			act(other, SIM_WORLD_NS, "irq handler");
			act(other, SIM_WORLD_NS, "irq handler"); /* same activity again: one slice */
			notif(other, SIM_WORLD_NS, id, NOTIF_NS_TAKEN);
			emit(TR_EXC_ENTRY, other, SIM_WORLD_NS, 0, 0, 1);
			now += 900;
			emit(TR_WIRE, other, SIM_WORLD_GIC, (uint64_t)irq[other], 0);
			emit(TR_SMC, other, SIM_WORLD_NS, 0xB2000011, 0xffffffffffffffffull, 2, 3);
			notif(other, SIM_WORLD_NS, id, NOTIF_FETCHED, 5);
			act(other, SIM_WORLD_S, "optee bh");
			notif(other, SIM_WORLD_S, id, NOTIF_BH_ENTER);
			now += 4000;
			notif(other, SIM_WORLD_S, id, NOTIF_BH_DONE);
			act(other, SIM_WORLD_NS, k % 2 ? nullptr : "linux"); /* sometimes idle */
			emit(TR_EXC_RETURN, other, SIM_WORLD_NS, 1);
			emit(TR_EVENT, -1, SIM_WORLD_DEV, 1, 2, 3, 4, "eth rx");
			emit(TR_POWER, other, SIM_WORLD_NS, 2, 0, 0, 0, "cpu_suspend");
			emit(TR_VALUE, other, SIM_WORLD_NS, (uint64_t)power, 2);
			emit(TR_PSCI, other, SIM_WORLD_NS, 0xC4000001, 0, 0);
			emit(TR_GIC_WAKE, other, SIM_WORLD_GIC, 1);
			emit(TR_GIC_ROUTE, other, SIM_WORLD_GIC, 40, 0x80000000ull);
			emit(TR_GIC_CLEAR, other, SIM_WORLD_GIC, 40);
			emit(TR_GIC_SGI_DROP, other, SIM_WORLD_GIC, 8, 1, 2);
			/* this one never finishes within the run */
			notif(c, SIM_WORLD_S, id + 2, NOTIF_SOURCE);
			now += 10;
			notif(c, SIM_WORLD_S, id + 2, NOTIF_TOP_HALF);
		}
		now += 5000;
	}
};

out_meta meta4()
{
	out_meta m{};
	m.scenario = "synthetic";
	m.ncpus = 4;
	m.seed = 42;
	return m;
}

struct PerfettoFile {
	Json root;
	std::vector<const Json *> events;
};

void parse_perfetto(const std::string &text, PerfettoFile &pf)
{
	std::string err;
	JsonParser p(text);
	ASSERT_TRUE(p.parse(pf.root, err)) << err;
	ASSERT_EQ(pf.root.type, Json::OBJ);
	const Json *unit = pf.root.get("displayTimeUnit");
	ASSERT_TRUE(unit && unit->type == Json::STR);
	EXPECT_EQ(unit->str, "ns");
	const Json *ev = pf.root.get("traceEvents");
	ASSERT_TRUE(ev && ev->type == Json::ARR);
	for (const Json &e : ev->arr)
		pf.events.push_back(&e);
}

std::string perfetto_of(Synth &s, int rounds, const std::string &dir)
{
	std::string path = dir + "/run/trace.json";
	char err[256] = "";
	out_meta m = meta4();
	out_perfetto *w = out_perfetto_open(path.c_str(), s.tr, &m, err, sizeof(err));
	EXPECT_NE(w, nullptr) << err;
	if (!w)
		return "";
	sim_trace_add_sink(s.tr, out_perfetto_sink, w);
	s.run(rounds);
	EXPECT_EQ(out_perfetto_close(w, true), 0);
	return read_file(path);
}

} // namespace

/* ---- Perfetto ----------------------------------------------------------- */

/* Trace Event Format: every event has name, ph, ts, pid, tid; ts >= 0; X has dur >= 0. */
TEST(OutPerfetto, EveryEventIsWellFormed)
{
	std::string dir = make_temp_dir();
	Synth s;
	PerfettoFile pf;
	parse_perfetto(perfetto_of(s, 40, dir), pf);
	ASSERT_GT(pf.events.size(), 1000u);
	std::set<std::string> phases;
	for (const Json *e : pf.events) {
		ASSERT_EQ(e->type, Json::OBJ);
		for (const char *k : { "name", "ph", "ts", "pid", "tid" })
			ASSERT_NE(e->get(k), nullptr) << "missing " << k;
		ASSERT_EQ(e->get("name")->type, Json::STR);
		ASSERT_EQ(e->get("ph")->type, Json::STR);
		ASSERT_EQ(e->get("ts")->type, Json::NUM);
		ASSERT_GE(e->get("ts")->num, 0.0);
		ASSERT_EQ(e->get("pid")->type, Json::NUM);
		ASSERT_EQ(e->get("tid")->type, Json::NUM);
		const std::string &ph = e->get("ph")->str;
		phases.insert(ph);
		if (ph == "X") {
			ASSERT_NE(e->get("dur"), nullptr);
			ASSERT_EQ(e->get("dur")->type, Json::NUM);
			ASSERT_GT(ps_of(*e->get("dur")), 0u) << "zero-length slices are dropped";
		}
		if (ph == "i") {
			ASSERT_NE(e->get("s"), nullptr);
			EXPECT_EQ(e->get("s")->str, "t");
		}
		if (ph == "C") {
			const Json *args = e->get("args");
			ASSERT_TRUE(args && args->get("value") && args->get("value")->type == Json::NUM);
		}
	}
	EXPECT_EQ(phases, (std::set<std::string>{ "M", "X", "i", "C", "s", "t", "f" }));
	rm_rf(dir);
}

/* Perfetto FAQ: no overlapping X on one track; a CPU runs one activity at a time. */
TEST(OutPerfetto, SlicesOnOneTrackNeverOverlap)
{
	std::string dir = make_temp_dir();
	Synth s;
	PerfettoFile pf;
	parse_perfetto(perfetto_of(s, 40, dir), pf);
	std::map<std::pair<int, int>, std::vector<std::pair<uint64_t, uint64_t>>> tracks;
	/* across worlds too: one CPU's slices never overlap in any pid */
	std::map<int, std::vector<std::pair<uint64_t, uint64_t>>> cpus;
	size_t n = 0;
	for (const Json *e : pf.events) {
		if (e->get("ph")->str != "X")
			continue;
		uint64_t ts = ps_of(*e->get("ts")), dur = ps_of(*e->get("dur"));
		int pid = (int)e->get("pid")->num, tid = (int)e->get("tid")->num;
		tracks[{ pid, tid }].push_back({ ts, ts + dur });
		cpus[tid].push_back({ ts, ts + dur });
		n++;
	}
	EXPECT_GT(n, 200u);
	for (auto *m : { &cpus }) {
		for (auto &kv : *m) {
			auto &v = kv.second;
			std::sort(v.begin(), v.end());
			for (size_t i = 1; i < v.size(); i++)
				ASSERT_LE(v[i - 1].second, v[i].first) << "cpu " << kv.first;
		}
	}
	for (auto &kv : tracks) {
		auto &v = kv.second;
		std::sort(v.begin(), v.end());
		for (size_t i = 1; i < v.size(); i++)
			ASSERT_LE(v[i - 1].second, v[i].first) << "pid " << kv.first.first << " tid " << kv.first.second;
	}
	/* every world with activities has slices */
	std::set<int> pids;
	for (auto &kv : tracks)
		pids.insert(kv.first.first);
	EXPECT_EQ(pids, (std::set<int>{ 0, 1, 2 }));
	rm_rf(dir);
}

/* One slice per residency: re-announcing the same activity does not split it; end closes all. */
TEST(OutPerfetto, SlicesFollowActivityChanges)
{
	std::string dir = make_temp_dir();
	std::string path = dir + "/t.json";
	Synth s;
	out_meta m = meta4();
	out_perfetto *w = out_perfetto_open(path.c_str(), s.tr, &m, nullptr, 0);
	ASSERT_NE(w, nullptr);
	sim_trace_add_sink(s.tr, out_perfetto_sink, w);
	s.now = 0;
	s.act(0, SIM_WORLD_NS, "linux");
	s.now = 10;
	s.act(0, SIM_WORLD_NS, "linux");
	s.act(1, SIM_WORLD_S, "optee");
	s.act(1, SIM_WORLD_S, "tee2"); /* zero length optee: dropped */
	s.now = 30;
	s.act(0, SIM_WORLD_S, "optee");
	s.now = 45;
	s.act(0, SIM_WORLD_NS, nullptr);
	s.now = 1000000;
	s.emit(TR_EVENT, 2, SIM_WORLD_NS, 0, 0, 0, 0, "end");
	ASSERT_EQ(out_perfetto_close(w, true), 0);
	PerfettoFile pf;
	parse_perfetto(read_file(path), pf);
	std::vector<std::string> got;
	for (const Json *e : pf.events)
		if (e->get("ph")->str == "X")
			got.push_back(e->get("name")->str + "@" + std::to_string((int)e->get("pid")->num) + "/" +
				      std::to_string((int)e->get("tid")->num) + ":" + e->get("ts")->str + "+" +
				      e->get("dur")->str);
	EXPECT_EQ(got, (std::vector<std::string>{
			       "linux@0/0:0.000000+0.000030",
			       "optee@1/0:0.000030+0.000015",
			       "tee2@1/1:0.000010+0.999990",
		       }));
	rm_rf(dir);
}

/* Flow events: one "s" and one "f" per notification id, "s" first, cat notif, f binds "e". */
TEST(OutPerfetto, EveryNotificationFlowStartsAndFinishes)
{
	std::string dir = make_temp_dir();
	Synth s;
	PerfettoFile pf;
	parse_perfetto(perfetto_of(s, 40, dir), pf);
	struct F {
		int s = 0, t = 0, f = 0;
		uint64_t ts_s = 0, ts_f = 0, last = 0;
		bool ordered = true;
	};
	std::map<int, F> flows;
	std::map<int, int> stage_instants;
	for (const Json *e : pf.events) {
		const std::string &ph = e->get("ph")->str;
		if (ph == "i" && e->get("cat") && e->get("cat")->str == "notif")
			stage_instants[(int)e->get("args")->get("id")->num]++;
		if (ph != "s" && ph != "t" && ph != "f")
			continue;
		ASSERT_NE(e->get("id"), nullptr);
		ASSERT_EQ(e->get("cat")->str, "notif");
		F &f = flows[(int)e->get("id")->num];
		uint64_t ts = ps_of(*e->get("ts"));
		if (ph == "s") {
			f.s++;
			f.ts_s = ts;
		} else if (ph == "t") {
			f.t++;
		} else {
			f.f++;
			f.ts_f = ts;
			ASSERT_NE(e->get("bp"), nullptr);
			EXPECT_EQ(e->get("bp")->str, "e");
		}
	}
	/* per round: a complete flow (8 stages), a coalesced one (2), an unfinished one (2) */
	ASSERT_EQ(flows.size(), 3u * 40u);
	for (auto &kv : flows) {
		EXPECT_EQ(kv.second.s, 1) << kv.first;
		EXPECT_EQ(kv.second.f, 1) << kv.first;
		EXPECT_LT(kv.second.ts_s, kv.second.ts_f) << kv.first;
		if (kv.first % 3 == 1) {
			EXPECT_EQ(kv.second.t, 6) << kv.first; /* 8 stages: s, 6 t, f */
		}
		EXPECT_EQ(stage_instants[kv.first], kv.first % 3 == 1 ? 8 : 2) << kv.first;
	}
	rm_rf(dir);
}

TEST(OutPerfetto, MetadataNamesProcessesAndCpuThreads)
{
	std::string dir = make_temp_dir();
	Synth s;
	PerfettoFile pf;
	parse_perfetto(perfetto_of(s, 2, dir), pf);
	std::map<int, std::string> procs;
	std::set<std::pair<int, std::string>> threads;
	for (const Json *e : pf.events) {
		if (e->get("ph")->str != "M")
			continue;
		const Json *args = e->get("args");
		ASSERT_NE(args, nullptr);
		if (e->get("name")->str == "process_name")
			procs[(int)e->get("pid")->num] = args->get("name")->str;
		if (e->get("name")->str == "thread_name")
			threads.insert({ (int)e->get("pid")->num, args->get("name")->str });
	}
	EXPECT_EQ(procs, (std::map<int, std::string>{ { 0, "Normal world" },
						      { 1, "Secure world" },
						      { 2, "EL3 monitor" },
						      { 3, "GIC" },
						      { 4, "Devices" } }));
	for (int pid = 0; pid < 5; pid++)
		for (int c = 0; c < 4; c++)
			EXPECT_TRUE(threads.count({ pid, "cpu" + std::to_string(c) })) << pid << " " << c;
	/* records without a CPU (the device event) land on a named "global" thread */
	EXPECT_TRUE(threads.count({ 4, "global" }));
	const Json *other = pf.root.get("otherData");
	ASSERT_NE(other, nullptr);
	EXPECT_EQ(other->get("scenario")->str, "synthetic");
	rm_rf(dir);
}

/* ts is µs with the ps kept exactly: 1 ps -> 0.000001; labels are JSON-escaped. */
TEST(OutPerfetto, TimestampsAreExactAndLabelsEscaped)
{
	std::string dir = make_temp_dir();
	Synth s;
	std::string text = perfetto_of(s, 3, dir);
	PerfettoFile pf;
	parse_perfetto(text, pf);
	bool at_1ps = false, escaped = false, counters = false, smc = false, pend = false;
	for (const Json *e : pf.events) {
		const std::string &ph = e->get("ph")->str, &name = e->get("name")->str;
		if (ph == "X" && e->get("ts")->str == "0.000001")
			at_1ps = true;
		if (ph == "X" && name == "optee \"itr\"\\\n")
			escaped = true;
		if (ph == "C" && name == "gic.pending")
			counters = (int)e->get("pid")->num == 3;
		if (ph == "i" && name == "SMC 0xB2000011") {
			smc = (int)e->get("pid")->num == 0;
			EXPECT_EQ(e->get("args")->get("x1")->str, "0xffffffffffffffff");
		}
		if (ph == "i" && name == "pend 219") {
			pend = (int)e->get("pid")->num == 3;
			EXPECT_EQ(e->get("args")->get("intid")->num, 219);
			EXPECT_EQ(e->get("args")->get("group")->num, 0);
		}
		if (ph == "C" && name == "tee.threads") {
			EXPECT_EQ((int)e->get("pid")->num, 1);
		}
		/* the ts text is exactly what the ps give: 1 + 1000 * k + ... has no float noise */
		if (ph != "M") {
			EXPECT_EQ(e->get("ts")->str.size() - e->get("ts")->str.find('.'), 7u);
		}
	}
	EXPECT_TRUE(at_1ps);
	EXPECT_TRUE(escaped);
	EXPECT_TRUE(counters);
	EXPECT_TRUE(smc);
	EXPECT_TRUE(pend);
	/* a big time: 2^64-1 ps prints exactly */
	std::string path = dir + "/big.json";
	Synth b;
	out_meta m = meta4();
	out_perfetto *w = out_perfetto_open(path.c_str(), b.tr, &m, nullptr, 0);
	ASSERT_NE(w, nullptr);
	sim_trace_add_sink(b.tr, out_perfetto_sink, w);
	b.now = UINT64_MAX;
	b.emit(TR_EVENT, 0, 0, 0, 0, 0, 0, "late");
	ASSERT_EQ(out_perfetto_close(w, true), 0);
	EXPECT_NE(read_file(path).find("\"ts\":18446744073709.551615"), std::string::npos);
	rm_rf(dir);
}

/* ---- VCD ------------------------------------------------------------------ */

TEST(OutVcd, FileIsValidValueChangeDump)
{
	std::string dir = make_temp_dir();
	std::string path = dir + "/waves.vcd";
	Synth s;
	out_meta m = meta4();
	char err[256] = "";
	out_vcd *w = out_vcd_open(path.c_str(), s.tr, &m, err, sizeof(err));
	ASSERT_NE(w, nullptr) << err;
	sim_trace_add_sink(s.tr, out_vcd_sink, w);
	s.run(20);
	ASSERT_EQ(out_vcd_close(w, true), 0);
	std::string text = read_file(path);
	size_t n = 0;
	std::map<std::string, std::string> last;
	validate_vcd(text, &n, &last);
	/* per round: fiq up/down, intid twice, irq up/down, power once (then unchanged) */
	EXPECT_EQ(n, 20u * 6u + 1u);
	EXPECT_NE(text.find("$timescale 1ps $end"), std::string::npos);
	EXPECT_NE(text.find("$var reg 10 "), std::string::npos);
	EXPECT_NE(text.find(" intid_in_service $end"), std::string::npos) << "blank in a name becomes _";
	/* grouped by scope: cpu0's three signals in one scope */
	EXPECT_NE(text.find("$scope module cpu0 $end\n$var wire 1 ! nIRQ $end\n$var wire 1 \" nFIQ $end\n"
			    "$var reg 2 * power $end\n$upscope $end"),
		  std::string::npos)
		<< text.substr(0, 800);
	EXPECT_EQ(last[")"], "1111111111"); /* intid: 1023 */
	rm_rf(dir);
}

/* More than 94 signals: multi-character identifiers, all distinct. */
TEST(OutVcd, ManySignalsGetDistinctMultiCharIds)
{
	std::string dir = make_temp_dir();
	std::string path = dir + "/many.vcd";
	sim_trace *tr = sim_trace_new();
	for (int i = 0; i < 300; i++)
		sim_trace_signal(tr, i % 2 ? "odd" : "even", ("s" + std::to_string(i)).c_str(), i % 3 ? 1 : 64);
	out_vcd *w = out_vcd_open(path.c_str(), tr, nullptr, nullptr, 0);
	ASSERT_NE(w, nullptr);
	sim_trace_add_sink(tr, out_vcd_sink, w);
	for (int i = 0; i < 300; i++) {
		sim_rec r{};
		r.t = (sim_time)i * 5 / 2;
		r.kind = i % 3 ? TR_WIRE : TR_VALUE;
		r.a = (uint64_t)i;
		r.b = i % 3 ? 1 : UINT64_MAX;
		sim_trace_emit(tr, &r);
	}
	sim_rec late{};
	late.kind = TR_WIRE;
	late.a = 300; /* never registered: ignored */
	late.b = 1;
	late.t = 10000;
	sim_trace_emit(tr, &late);
	sim_trace_free(tr);
	ASSERT_EQ(out_vcd_close(w, true), 0);
	std::string text = read_file(path);
	size_t n = 0;
	validate_vcd(text, &n, nullptr);
	EXPECT_EQ(n, 300u);
	EXPECT_NE(text.find("b1111111111111111111111111111111111111111111111111111111111111111 "), std::string::npos);
	EXPECT_EQ(text.find("#10000"), std::string::npos);
	rm_rf(dir);
}

/* ---- CSV ------------------------------------------------------------------ */

TEST(OutCsv, HeaderThenOneLinePerRecord)
{
	std::string dir = make_temp_dir();
	std::string path = dir + "/sub/dir/trace.csv";
	Synth s;
	RecordLog log;
	log.attach(s.tr);
	out_meta m = meta4();
	char err[256] = "";
	out_csv *w = out_csv_open(path.c_str(), s.tr, &m, err, sizeof(err));
	ASSERT_NE(w, nullptr) << err;
	sim_trace_add_sink(s.tr, out_csv_sink, w);
	s.run(5);
	ASSERT_EQ(out_csv_close(w, true), 0);

	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fprintf(f, "%s\n", sim_rec_csv_header);
	for (const auto &r : log.recs)
		sim_rec_csv(f, &r);
	fclose(f);
	std::string want(buf, len);
	free(buf);
	EXPECT_EQ(read_file(path), want);
	EXPECT_EQ(ls(dir + "/sub/dir"), std::vector<std::string>{ "trace.csv" });
	rm_rf(dir);
}

/*
 * RFC 4180: a field with a comma, a quote or a line break is quoted, a quote doubled, so that a CSV
 * reader sees ten fields. mon_psci.c's "PSCI CPU_SUSPEND: interrupt pending (ISR_EL1), not entered"
 * has a comma (found by a random search at stop 28: the line read as eleven fields).
 */
TEST(OutCsv, LabelsWithCommasOrQuotesAreQuoted)
{
	const char *labels[] = { "PSCI CPU_SUSPEND: interrupt pending (ISR_EL1), not entered", "a \"b\" c", "plain" };
	const char *want[] = { "\"PSCI CPU_SUSPEND: interrupt pending (ISR_EL1), not entered\"", "\"a \"\"b\"\" c\"", "plain" };
	for (unsigned i = 0; i < 3; i++) {
		sim_rec r{};
		r.t = 5, r.kind = TR_EVENT, r.cpu = 1, r.world = SIM_WORLD_NS, r.a = 0x10, r.label = labels[i];
		char *buf = nullptr;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		sim_rec_csv(f, &r);
		fclose(f);
		std::string line(buf, len);
		free(buf);
		EXPECT_EQ(line, std::string("5,event,1,normal,0,") + want[i] + ",0x10,0x0,0x0,0x0\n");
	}
}

/* ---- summaries ------------------------------------------------------------ */

TEST(OutSummary, HgrmFileInNanoseconds)
{
	std::string dir = make_temp_dir();
	sim_hist *h = sim_hist_new();
	for (uint64_t v = 1; v <= 1000; v++)
		sim_hist_record(h, v * 1000); /* 1..1000 ns */
	ASSERT_EQ(out_hgrm_write((dir + "/hist").c_str(), "latency.e2e", h), 0);
	std::string text = read_file(dir + "/hist/latency.e2e.hgrm");
	EXPECT_EQ(text.rfind("#[unit=ns]\n       Value     Percentile TotalCount 1/(1-Percentile)\n\n", 0), 0u);
	/* 500 ns lies in a bucket 256 ps wide: the row shows its highest equivalent value */
	char mid[128], last[128];
	snprintf(mid, sizeof(mid), "%12.3f 0.500000000000        500           2.00\n",
		 sim_hist_percentile(h, 50) / 1000.0);
	snprintf(last, sizeof(last), "%12.3f 1.000000000000       1000\n", sim_hist_percentile(h, 100) / 1000.0);
	EXPECT_EQ(std::string(mid), "     500.223 0.500000000000        500           2.00\n");
	EXPECT_NE(text.find(mid), std::string::npos) << text;
	EXPECT_NE(text.find(last), std::string::npos) << text;
	EXPECT_EQ(ls(dir + "/hist"), std::vector<std::string>{ "latency.e2e.hgrm" });
	sim_hist_free(h);
	rm_rf(dir);
}

TEST(OutSummary, CsvRowsInMicroseconds)
{
	std::string dir = make_temp_dir();
	sim_hist *a = sim_hist_new(), *b = sim_hist_new();
	for (uint64_t v = 1; v <= 1000; v++)
		sim_hist_record(a, v * 1000000); /* 1..1000 us */
	sim_hist_record(b, 1499);            /* 1.499 ns -> 0.001 us */
	const char *names[] = { "latency.e2e", "latency.top_half" };
	sim_hist *hs[] = { a, b };
	ASSERT_EQ(out_summary_csv((dir + "/summary.csv").c_str(), names, hs, 2), 0);
	std::string text = read_file(dir + "/summary.csv");
	/* p99.9 of 1..1000 us is 999 us, inside a bucket 512 ns wide */
	char want[512];
	snprintf(want, sizeof(want),
		 "metric,count,min,p50,p90,p99,p99.9,max,mean\n"
		 "latency.e2e,1000,1.000,%.3f,%.3f,%.3f,%.3f,1000.000,500.500\n"
		 "latency.top_half,1,0.001,0.001,0.001,0.001,0.001,0.001,0.001\n",
		 std::round(sim_hist_percentile(a, 50) / 1000.0) / 1000.0,
		 std::round(sim_hist_percentile(a, 90) / 1000.0) / 1000.0,
		 std::round(sim_hist_percentile(a, 99) / 1000.0) / 1000.0,
		 std::round(sim_hist_percentile(a, 99.9) / 1000.0) / 1000.0);
	EXPECT_EQ(text, want);
	sim_hist_free(a);
	sim_hist_free(b);
	rm_rf(dir);
}

/* ---- atomicity ------------------------------------------------------------ */

/* An aborted writer (failed run) leaves neither the output file nor its temporary file. */
TEST(OutAtomic, AbortedWritersLeaveNothing)
{
	std::string dir = make_temp_dir();
	Synth s;
	out_meta m = meta4();
	out_csv *c = out_csv_open((dir + "/t.csv").c_str(), s.tr, &m, nullptr, 0);
	out_perfetto *p = out_perfetto_open((dir + "/t.json").c_str(), s.tr, &m, nullptr, 0);
	out_vcd *v = out_vcd_open((dir + "/t.vcd").c_str(), s.tr, &m, nullptr, 0);
	ASSERT_TRUE(c && p && v);
	sim_trace_add_sink(s.tr, out_csv_sink, c);
	sim_trace_add_sink(s.tr, out_perfetto_sink, p);
	sim_trace_add_sink(s.tr, out_vcd_sink, v);
	s.run(50);
	EXPECT_EQ(ls(dir).size(), 3u) << "temporary files while running";
	for (const auto &n : ls(dir))
		EXPECT_NE(n.find(".tmp."), std::string::npos) << n;
	EXPECT_EQ(out_csv_close(c, false), -1);
	EXPECT_EQ(out_perfetto_close(p, false), -1);
	EXPECT_EQ(out_vcd_close(v, false), -1);
	EXPECT_TRUE(ls(dir).empty());
	rm_rf(dir);
}

/* A commit replaces an earlier file whole; a failed open reports why and creates nothing. */
TEST(OutAtomic, CommitReplacesAndOpenErrorsAreReported)
{
	std::string dir = make_temp_dir();
	write_file(dir + "/t.csv", "old\n");
	Synth s;
	out_csv *c = out_csv_open((dir + "/t.csv").c_str(), s.tr, nullptr, nullptr, 0);
	ASSERT_NE(c, nullptr);
	EXPECT_EQ(read_file(dir + "/t.csv"), "old\n") << "old file intact until commit";
	ASSERT_EQ(out_csv_close(c, true), 0);
	EXPECT_EQ(read_file(dir + "/t.csv"), std::string(sim_rec_csv_header) + "\n");
	EXPECT_EQ(ls(dir), std::vector<std::string>{ "t.csv" });

	write_file(dir + "/plain", "x");
	char err[256] = "";
	EXPECT_EQ(out_perfetto_open((dir + "/plain/t.json").c_str(), s.tr, nullptr, err, sizeof(err)), nullptr);
	EXPECT_NE(std::string(err).find("plain"), std::string::npos) << err;
	EXPECT_EQ(out_hgrm_write((dir + "/plain").c_str(), "m", nullptr), -1);
	EXPECT_EQ(ls(dir), (std::vector<std::string>{ "plain", "t.csv" }));
	EXPECT_EQ(out_csv_close(nullptr, true), -1);
	rm_rf(dir);
}
