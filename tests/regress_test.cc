// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/regress_test.cc: the regression machinery on real runs, in-process.
 *
 *  - expect checks pass and fail when they should: every operator, time
 *    units, counts, ratios, SMC sequences (match and each kind of mismatch);
 *  - one model cost changed by one cycle changes the digest, and the golden
 *    comparison names the first differing record (checked against the
 *    trace.csv of both runs and with digest_capture);
 *  - golden files round-trip; a corrupt one is reported, not trusted;
 *  - the Perfetto JSON and the VCD of a real run pass the same validators as
 *    tests/output_test.cc (tests/trace_check.h: the JSON parser and the VCD
 *    checker).
 *
 * Native kernel only: SystemC allows one elaboration per process (the CLI
 * test compares the two kernels' digests, one process per run).
 */
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim/out/digest.h"
#include "sim/run.h"
#include "sim/scenario/scenario.h"
#include "sim/smc_names.h"
#include "testutil.h"
#include "trace_check.h"

namespace {

/* ---- running scenario text ------------------------------------------------ */

/* Short and deterministic: two CPUs, a periodic secure timer and a chatty UART, 10 ms. */
const char kBase[] = "name: regress\n"
		     "seed: 3\n"
		     "stop: {after: 10ms}\n"
		     "platform:\n"
		     "  cpus: 2\n"
		     "sources:\n"
		     "  - name: tick\n"
		     "    kind: timer\n"
		     "    arrival: {periodic: 1ms}\n"
		     "  - name: uart\n"
		     "    arrival: {poisson: 2kHz}\n"
		     "    bottom_half: {lognormal: {median: 20us, p99: 60us}}\n";

const char kFakePath[] = "/tmp/tzsim-regress/r.yaml";

struct Result {
	int rc = -1;
	run_result res{};
	std::string out;  /* what run_scenario printed */
	std::string diag; /* the loader's message, when it failed */
	/* the printed line of the check whose text contains @what ("" if none) */
	std::string line_of(const std::string &what) const
	{
		std::istringstream in(out);
		std::string l;
		while (std::getline(in, l))
			if (l.find(": expect ") != std::string::npos && l.find(what) != std::string::npos)
				return l;
		return "";
	}
	bool passed(const std::string &what) const { return line_of(what).find(": expect ok: ") != std::string::npos; }
	bool failed(const std::string &what) const
	{
		return line_of(what).find(": expect FAILED: ") != std::string::npos;
	}
};

run_opts quiet_opts()
{
	run_opts o{};
	o.kernel = -1;
	o.no_outputs = true;
	return o;
}

/* Load @yaml (+ @extra appended) with @overrides and run it with @o. rc -1: did not load. */
Result run_text(const std::string &yaml, const std::vector<std::string> &overrides = {},
		run_opts o = quiet_opts())
{
	Result r;
	std::unique_ptr<scenario> sc(new scenario);
	std::vector<const char *> ov;
	for (const auto &s : overrides)
		ov.push_back(s.c_str());
	sim_diag d{};
	if (scenario_load_string(yaml.c_str(), kFakePath, ov.data(), (int)ov.size(), sc.get(), &d) != 0) {
		r.diag = d.msg;
		return r;
	}
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	r.rc = run_scenario(sc.get(), &o, &r.res, f);
	fclose(f);
	r.out.assign(buf, len);
	free(buf);
	scenario_free(sc.get());
	return r;
}

std::string with_expect(const std::vector<std::string> &checks)
{
	std::string y = std::string(kBase) + "expect:\n";
	for (const auto &c : checks)
		y += "  - " + c + "\n";
	return y;
}

std::string num(double v)
{
	char b[64];
	snprintf(b, sizeof(b), "%.17g", v);
	return b;
}

/* The measured values the checks below are written against. */
struct Baseline {
	Result r;
	double notifications, p99_ps;
	Baseline() : r(run_text(kBase))
	{
		notifications = r.res.notifications;
		p99_ps = r.res.e2e_p99;
	}
};

const Baseline &baseline()
{
	static Baseline b;
	return b;
}

std::vector<std::string> lines(const std::string &text)
{
	std::vector<std::string> v;
	std::istringstream in(text);
	std::string l;
	while (std::getline(in, l))
		v.push_back(l);
	return v;
}

} // namespace

/* ---- expect checks ---------------------------------------------------------- */

TEST(RegressExpect, BaselineRunIsUsable)
{
	const Baseline &b = baseline();
	ASSERT_EQ(b.r.rc, 0) << b.r.diag << b.r.res.msg;
	EXPECT_GE(b.notifications, 10.0);
	EXPECT_GT(b.p99_ps, 1e6);   /* > 1us */
	EXPECT_LT(b.p99_ps, 1e9);   /* < 1ms */
	EXPECT_EQ(b.r.res.n_expect, 0u);
}

TEST(RegressExpect, EveryOperatorOnACount)
{
	const std::string n = num(baseline().notifications), up = num(baseline().notifications + 1),
			  down = num(baseline().notifications - 1);
	const std::vector<std::pair<std::string, bool>> checks = {
		{ "notifications == " + n, true },  { "notifications == " + up, false },
		{ "notifications != " + up, true }, { "notifications != " + n, false },
		{ "notifications < " + up, true },  { "notifications < " + n, false },
		{ "notifications <= " + n, true },  { "notifications <= " + down, false },
		{ "notifications > " + down, true }, { "notifications > " + n, false },
		{ "notifications >= " + n, true },  { "notifications >= " + up, false },
	};
	std::vector<std::string> texts;
	for (const auto &c : checks)
		texts.push_back(c.first);
	Result r = run_text(with_expect(texts));
	ASSERT_NE(r.rc, -1) << r.diag;
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.res.status, 1);
	EXPECT_EQ(r.res.n_expect, checks.size());
	EXPECT_EQ(r.res.n_failed, checks.size() / 2);
	for (const auto &c : checks) {
		std::string line = r.line_of(c.first + " (");
		ASSERT_FALSE(line.empty()) << c.first << "\n" << r.out;
		EXPECT_EQ(r.passed(c.first + " ("), c.second) << line;
		/* the message names the check where it was written and the measured value */
		EXPECT_EQ(line.rfind(std::string(kFakePath) + ":", 0), 0u) << line;
		EXPECT_NE(line.find("(measured " + n + ")"), std::string::npos) << line;
		/* failed ones are also in res.msg, passed ones are not */
		EXPECT_EQ(std::string(r.res.msg).find(line) != std::string::npos, !c.second) << line;
	}
}

TEST(RegressExpect, AllPassingChecksGiveStatusZero)
{
	Result r = run_text(with_expect({ "lost == 0", "notifications >= 1", "latency.e2e.p99 < 1s" }));
	ASSERT_NE(r.rc, -1) << r.diag;
	EXPECT_EQ(r.rc, 0) << r.out;
	EXPECT_EQ(r.res.n_expect, 3u);
	EXPECT_EQ(r.res.n_failed, 0u);
	EXPECT_STREQ(r.res.msg, "");
}

TEST(RegressExpect, TimeUnitsAreHonoured)
{
	const double p = baseline().p99_ps; /* a few tens of us */
	const double ns = std::ceil(p / 1e3), us = std::floor(p / 1e6);
	ASSERT_GE(us, 1.0);
	const std::vector<std::pair<std::string, bool>> checks = {
		{ "latency.e2e.p99 < " + num(ns + 1) + "ns", true },
		{ "latency.e2e.p99 < " + num(us) + "us", false },
		{ "latency.e2e.p99 < " + num(us + 1) + "us", true },
		{ "latency.e2e.p99 < " + num(us + 1) + " us", true },
		{ "latency.e2e.p99 > " + num(us) + "us", true },
		{ "latency.e2e.p99 > " + num(std::floor(p) - 1) + "ps", true },
		{ "latency.e2e.p99 > " + num(std::ceil(p) + 1) + "ps", false },
		{ "latency.e2e.p99 < 1ms", true },
		{ "latency.e2e.p99 < 0.001s", true },
		{ "latency.e2e.p99 >= 1s", false },
		{ "latency.e2e.p99 < 1ns", false },
		{ "latency.e2e.p99 <= " + num(us / 1e3 + 0.001) + "ms", true },
	};
	std::vector<std::string> texts;
	size_t want_failed = 0;
	for (const auto &c : checks)
		texts.push_back(c.first), want_failed += !c.second;
	Result r = run_text(with_expect(texts));
	ASSERT_NE(r.rc, -1) << r.diag;
	EXPECT_EQ(r.res.n_failed, want_failed) << r.out;
	char measured[64];
	snprintf(measured, sizeof(measured), "(measured %.3fus)", p / 1e6);
	for (const auto &c : checks) {
		std::string line = r.line_of(c.first + " (");
		ASSERT_FALSE(line.empty()) << c.first << "\n" << r.out;
		EXPECT_EQ(r.passed(c.first + " ("), c.second) << line;
		EXPECT_NE(line.find(measured), std::string::npos) << line; /* times are shown in us */
	}
}

TEST(RegressExpect, UnitsAreRequiredExactlyWhereTheyBelong)
{
	Result bare = run_text(with_expect({ "latency.e2e.p99 < 40" }));
	EXPECT_EQ(bare.rc, -1);
	EXPECT_NE(bare.diag.find("r.yaml:"), std::string::npos) << bare.diag;
	Result unit_on_count = run_text(with_expect({ "lost == 0us" }));
	EXPECT_EQ(unit_on_count.rc, -1);
	EXPECT_NE(unit_on_count.diag.find("r.yaml:"), std::string::npos) << unit_on_count.diag;
	Result unknown = run_text(with_expect({ "latency.e2e.p42 < 1us" }));
	EXPECT_EQ(unknown.rc, -1);
	Result badop = run_text(with_expect({ "lost =< 0" }));
	EXPECT_EQ(badop.rc, -1);
}

TEST(RegressExpect, RatiosCompareAsNumbers)
{
	/* every notification needs at least one SMC; none needs a thousand */
	const std::vector<std::pair<std::string, bool>> checks = {
		{ "smc_per_notification > 1", true },     { "smc_per_notification < 1", false },
		{ "smc_per_notification >= 1.5", true },  { "smc_per_notification <= 1.5", false },
		{ "smc_per_notification < 1000", true },  { "smc_per_notification == 0", false },
		{ "smc_per_notification != 0", true },    { "world_switches_per_notification > 0.5", true },
	};
	std::vector<std::string> texts;
	for (const auto &c : checks)
		texts.push_back(c.first);
	Result r = run_text(with_expect(texts));
	ASSERT_NE(r.rc, -1) << r.diag;
	for (const auto &c : checks)
		EXPECT_EQ(r.passed(c.first + " ("), c.second) << r.line_of(c.first + " (");
	EXPECT_EQ(r.res.n_failed, 3u);
}

namespace {
/* "(measured [A, B, C])" of an smc_sequence line -> {A, B, C} */
std::vector<std::string> measured_sequence(const std::string &line)
{
	std::vector<std::string> v;
	size_t a = line.find("(measured [");
	size_t b = line.rfind("])");
	if (a == std::string::npos || b == std::string::npos)
		return v;
	std::string s = line.substr(a + 11, b - a - 11);
	size_t p = 0;
	while (p <= s.size() && !s.empty()) {
		size_t q = s.find(", ", p);
		v.push_back(s.substr(p, q == std::string::npos ? std::string::npos : q - p));
		if (q == std::string::npos)
			break;
		p = q + 2;
	}
	return v;
}

std::string seq_check(const std::vector<std::string> &names, unsigned notification = 1)
{
	std::string s = "{smc_sequence: [";
	for (size_t i = 0; i < names.size(); i++)
		s += (i ? ", " : "") + names[i];
	return s + "], notification: " + std::to_string(notification) + "}";
}
} // namespace

TEST(RegressExpect, SmcSequenceMatchesAndMismatches)
{
	/* learn the first notification's path from a check that cannot match */
	Result probe = run_text(with_expect({ seq_check({ "PSCI_VERSION" }) }));
	ASSERT_EQ(probe.rc, 1) << probe.diag << probe.out;
	std::string pl = probe.line_of("SMC sequence");
	EXPECT_NE(pl.find("expect FAILED: notification 1 SMC sequence [PSCI_VERSION] (measured ["), std::string::npos)
		<< pl;
	std::vector<std::string> seq = measured_sequence(pl);
	ASSERT_GE(seq.size(), 2u) << pl;
	for (const auto &n : seq)
		ASSERT_NE(n.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"), 0u) << pl;

	/* the same sequence by names and by hex ids matches */
	std::vector<std::string> hex;
	for (const auto &n : seq) {
		uint32_t id = 0;
		ASSERT_TRUE(smc_name_lookup(n.c_str(), &id)) << n;
		char b[16];
		snprintf(b, sizeof(b), "0x%08X", id);
		hex.push_back(b);
	}
	std::vector<std::string> shorter(seq.begin(), seq.end() - 1), longer(seq), swapped(seq);
	longer.push_back(seq.back());
	std::swap(swapped[0], swapped[1]);
	if (swapped == seq)
		swapped[0] = "PSCI_VERSION";
	Result r = run_text(with_expect({ seq_check(seq), seq_check(hex), seq_check(shorter), seq_check(longer),
					  seq_check(swapped), seq_check(seq, 1000000) }));
	ASSERT_NE(r.rc, -1) << r.diag;
	std::vector<std::string> ls;
	for (const auto &l : lines(r.out))
		if (l.find("SMC sequence") != std::string::npos)
			ls.push_back(l);
	ASSERT_EQ(ls.size(), 6u) << r.out;
	EXPECT_NE(ls[0].find("expect ok"), std::string::npos) << ls[0];
	EXPECT_NE(ls[1].find("expect ok"), std::string::npos) << ls[1];
	for (int i = 2; i < 6; i++)
		EXPECT_NE(ls[i].find("expect FAILED"), std::string::npos) << ls[i];
	/* a notification that never happened has an empty path */
	EXPECT_NE(ls[5].find("(measured [])"), std::string::npos) << ls[5];
	EXPECT_EQ(r.res.n_failed, 4u);
	EXPECT_EQ(r.rc, 1);
}

TEST(RegressExpect, UnknownSmcNameIsBadInput)
{
	Result r = run_text(with_expect({ seq_check({ "NO_SUCH_SMC" }) }));
	ASSERT_NE(r.rc, -1) << r.diag; /* names are checked by the runner */
	EXPECT_EQ(r.rc, 2);
	EXPECT_NE(std::string(r.res.msg).find("unknown SMC function 'NO_SUCH_SMC'"), std::string::npos) << r.res.msg;
	EXPECT_EQ(std::string(r.res.msg).rfind(std::string(kFakePath) + ":", 0), 0u) << r.res.msg;
}

TEST(RegressExpect, ChecksFromAnOverrideSayso)
{
	Result r = run_text(with_expect({ "lost == 0" }), { "expect[1]=lost != 0" });
	ASSERT_NE(r.rc, -1) << r.diag;
	EXPECT_EQ(r.rc, 1);
	std::string l = r.line_of("lost != 0");
	EXPECT_EQ(l.rfind(std::string(kFakePath) + ": expect[1] (--vary): expect FAILED: lost != 0 (measured 0)", 0),
		  0u)
		<< l;
}

/* ---- digests and golden files --------------------------------------------------- */

namespace {
std::string golden_path(const std::string &dir) { return dir + "/regress.seed3.golden"; }

run_opts golden_opts(const std::string &path, bool bless)
{
	run_opts o = quiet_opts();
	o.quiet = true;
	o.golden = path.c_str();
	o.bless = bless;
	return o;
}
} // namespace

TEST(RegressDigest, SameRunSameDigestOtherSeedOtherDigest)
{
	Result a = run_text(kBase), b = run_text(kBase), c = run_text(kBase, { "seed=4" });
	ASSERT_EQ(a.rc, 0);
	EXPECT_EQ(a.res.digest, b.res.digest);
	EXPECT_EQ(a.res.records, b.res.records);
	EXPECT_GT(a.res.records, 100u);
	EXPECT_NE(a.res.digest, c.res.digest);
}

TEST(RegressDigest, GoldenFileRoundTrip)
{
	std::string dir = make_temp_dir();
	std::string path = golden_path(dir + "/deep/er"); /* directories are created */
	Result blessed = run_text(kBase, {}, golden_opts(path, true));
	ASSERT_EQ(blessed.rc, 0) << blessed.res.msg;
	EXPECT_EQ(blessed.res.golden, RUN_GOLDEN_BLESSED);
	std::string text = read_file(path);
	std::vector<std::string> ls = lines(text);
	ASSERT_GE(ls.size(), 5u);
	char want[64];
	EXPECT_EQ(ls[0], "tzsim-golden v2");
	snprintf(want, sizeof(want), "digest %016llx", (unsigned long long)blessed.res.digest);
	EXPECT_EQ(ls[1], want);
	EXPECT_EQ(ls[2], "records " + std::to_string(blessed.res.records));
	EXPECT_EQ(ls[3], "hashes");
	size_t b64 = 0;
	for (size_t i = 4; i < ls.size(); i++) {
		EXPECT_LE(ls[i].size(), 76u);
		b64 += ls[i].size();
	}
	EXPECT_EQ(b64, 4 * blessed.res.records); /* 3 bytes a record */

	Result same = run_text(kBase, {}, golden_opts(path, false));
	EXPECT_EQ(same.rc, 0) << same.res.msg;
	EXPECT_EQ(same.res.golden, RUN_GOLDEN_SAME);
	EXPECT_EQ(same.res.digest, blessed.res.digest);

	/* blessing the same run again writes the same bytes */
	Result again = run_text(kBase, {}, golden_opts(path, true));
	EXPECT_EQ(again.res.golden, RUN_GOLDEN_BLESSED);
	EXPECT_EQ(read_file(path), text);

	/* a missing or corrupt golden file fails the run with a reason, never passes it */
	Result missing = run_text(kBase, {}, golden_opts(dir + "/nope.golden", false));
	EXPECT_EQ(missing.rc, 1);
	EXPECT_EQ(missing.res.golden, RUN_GOLDEN_MISSING);
	EXPECT_NE(std::string(missing.res.golden_msg).find("nope.golden"), std::string::npos) << missing.res.golden_msg;
	write_file(path, "tzsim-golden v2\ndigest zzzz\n");
	Result corrupt = run_text(kBase, {}, golden_opts(path, false));
	EXPECT_EQ(corrupt.rc, 1);
	EXPECT_EQ(corrupt.res.golden, RUN_GOLDEN_MISSING);
	EXPECT_STRNE(corrupt.res.golden_msg, "");
	rm_rf(dir);
}

TEST(RegressDigest, OneCycleOfOneCostChangesTheDigestAndNamesTheFirstRecord)
{
	std::string dir = make_temp_dir();
	std::string path = golden_path(dir);
	const std::string ov = "platform.cost_overrides.world_switch=1001 cycles"; /* A53: 1000 */
	Result blessed = run_text(kBase, {}, golden_opts(path, true));
	ASSERT_EQ(blessed.res.golden, RUN_GOLDEN_BLESSED) << blessed.res.msg;
	Result changed = run_text(kBase, { ov }, golden_opts(path, false));
	ASSERT_NE(changed.rc, -1) << changed.diag;
	EXPECT_EQ(changed.rc, 1);
	EXPECT_EQ(changed.res.status, 1);
	ASSERT_EQ(changed.res.golden, RUN_GOLDEN_CHANGED);
	EXPECT_NE(changed.res.digest, blessed.res.digest);
	const uint64_t at = changed.res.golden_at;
	ASSERT_NE(at, UINT64_MAX);
	ASSERT_GT(at, 0u);
	ASSERT_LT(at, std::min(blessed.res.records, changed.res.records));

	/* both runs' trace.csv: identical up to line `at`, different at it */
	auto csv_of = [&](const std::vector<std::string> &ovs, const std::string &sub) {
		run_opts o = quiet_opts();
		std::string out = dir + "/" + sub;
		o.no_outputs = false;
		o.quiet = true;
		o.out_dir = out.c_str();
		o.trace = SCENARIO_TRACE_CSV;
		o.trace_given = true;
		Result r = run_text(kBase, ovs, o);
		EXPECT_EQ(r.rc, 0) << r.res.msg;
		std::vector<std::string> v = lines(read_file(out + "/trace.csv"));
		if (!v.empty())
			v.erase(v.begin()); /* header */
		return v;
	};
	std::vector<std::string> old_csv = csv_of({}, "old"), new_csv = csv_of({ ov }, "new");
	ASSERT_EQ(old_csv.size(), blessed.res.records);
	ASSERT_EQ(new_csv.size(), changed.res.records);
	uint64_t first = 0;
	while (first < old_csv.size() && first < new_csv.size() && old_csv[first] == new_csv[first])
		first++;
	EXPECT_EQ(first, at) << "csv says #" << first << ": " << new_csv[first];

	/* digest_capture sees the same records: equal before, different at the index */
	auto capture_of = [&](const std::vector<std::string> &ovs, digest_capture *cap) {
		digest_capture_init(cap, at);
		run_opts o = quiet_opts();
		o.quiet = true;
		o.capture = cap;
		Result r = run_text(kBase, ovs, o);
		EXPECT_EQ(r.rc, 0);
	};
	std::unique_ptr<digest_capture> c_old(new digest_capture), c_new(new digest_capture);
	capture_of({}, c_old.get());
	capture_of({ ov }, c_new.get());
	ASSERT_TRUE(c_old->have_at && c_new->have_at && c_old->have_prev && c_new->have_prev);
	EXPECT_STREQ(c_old->prev, c_new->prev);
	EXPECT_STRNE(c_old->at, c_new->at);
	EXPECT_EQ(std::string(c_new->at), new_csv[at]);
	EXPECT_EQ(std::string(c_old->at), old_csv[at]);
	rm_rf(dir);
}

TEST(RegressDigest, ACostThatIsNeverChargedChangesNothing)
{
	/* no workload: tee.ta_invoke is never charged, so the digest must not move */
	std::string dir = make_temp_dir();
	std::string path = golden_path(dir);
	Result blessed = run_text(kBase, {}, golden_opts(path, true));
	Result same = run_text(kBase, { "platform.cost_overrides.tee.ta_invoke=2001 cycles" }, golden_opts(path, false));
	EXPECT_EQ(same.res.golden, RUN_GOLDEN_SAME);
	EXPECT_EQ(same.res.digest, blessed.res.digest);
	rm_rf(dir);
}

/* ---- the output files of a real run ------------------------------------------- */

namespace {
struct RealOutputs {
	std::string dir;
	Result r;
	RealOutputs()
	{
		dir = make_temp_dir();
		run_opts o = quiet_opts();
		std::string out = dir + "/out";
		o.no_outputs = false;
		o.quiet = true;
		o.out_dir = out.c_str();
		o.trace = SCENARIO_TRACE_CSV | SCENARIO_TRACE_PERFETTO | SCENARIO_TRACE_VCD | SCENARIO_TRACE_HGRM;
		o.trace_given = true;
		/* some of everything but hotplug (cpu_off then cpu_on crashes today: see the report) */
		r = run_text(kBase,
			     { "workloads=[{kind: ta_invoke, rate: 2kHz}]",
			       "timeline=[{at: 2ms, mask_window: {cpu: 0, for: 400us}}, "
			       "{at: 4ms, suspend: {cpu: 1, for: 1ms}}, {at: 7ms, storm: {source: tick, rate: 50kHz, for: 1ms}}]" },
			     o);
		dir = out;
	}
};
} // namespace

TEST(RegressOutputs, PerfettoOfARealRunParsesAndSlicesNeverOverlap)
{
	RealOutputs ro;
	ASSERT_EQ(ro.r.rc, 0) << ro.r.diag << ro.r.res.msg;
	std::string text = read_file(ro.dir + "/trace.json");
	Json root;
	std::string err;
	JsonParser p(text);
	ASSERT_TRUE(p.parse(root, err)) << err;
	ASSERT_EQ(root.type, Json::OBJ);
	const Json *ev = root.get("traceEvents");
	ASSERT_TRUE(ev && ev->type == Json::ARR);
	ASSERT_GT(ev->arr.size(), 100u);
	std::map<std::pair<int, int>, std::vector<std::pair<uint64_t, uint64_t>>> tracks;
	std::map<int, std::vector<std::pair<uint64_t, uint64_t>>> cpus;
	std::map<std::string, int> flow_starts;
	std::set<std::string> phases;
	size_t finishes = 0;
	for (const Json &e : ev->arr) {
		ASSERT_EQ(e.type, Json::OBJ);
		for (const char *k : { "name", "ph", "ts", "pid", "tid" })
			ASSERT_NE(e.get(k), nullptr) << "missing " << k;
		const std::string &ph = e.get("ph")->str;
		phases.insert(ph);
		if (ph == "s" || ph == "f") {
			ASSERT_NE(e.get("id"), nullptr);
			std::string id = e.get("id")->str; /* a string, or a number as written */
			if (ph == "s")
				flow_starts[id]++;
			else {
				EXPECT_EQ(flow_starts.count(id), 1u) << "flow end without a start: " << id;
				finishes++;
			}
		}
		if (ph != "X")
			continue;
		ASSERT_NE(e.get("dur"), nullptr);
		uint64_t ts = ps_of(*e.get("ts")), dur = ps_of(*e.get("dur"));
		EXPECT_GT(dur, 0u);
		int pid = (int)e.get("pid")->num, tid = (int)e.get("tid")->num;
		tracks[{ pid, tid }].push_back({ ts, ts + dur });
		cpus[tid].push_back({ ts, ts + dur });
	}
	EXPECT_TRUE(phases.count("M") && phases.count("X") && phases.count("i")) << "phases seen: " << phases.size();
	EXPECT_GT(finishes, 5u);
	for (auto &kv : tracks) {
		auto &v = kv.second;
		std::sort(v.begin(), v.end());
		for (size_t i = 1; i < v.size(); i++)
			ASSERT_LE(v[i - 1].second, v[i].first)
				<< "pid " << kv.first.first << " tid " << kv.first.second << " slice " << i;
	}
	/* a CPU runs one thing at a time, whatever the world */
	for (auto &kv : cpus) {
		auto &v = kv.second;
		std::sort(v.begin(), v.end());
		for (size_t i = 1; i < v.size(); i++)
			ASSERT_LE(v[i - 1].second, v[i].first) << "cpu " << kv.first << " slice " << i;
	}
	EXPECT_GE(cpus.size(), 2u);
	rm_rf(ro.dir.substr(0, ro.dir.rfind('/')));
}

TEST(RegressOutputs, VcdOfARealRunIsValid)
{
	RealOutputs ro;
	ASSERT_EQ(ro.r.rc, 0) << ro.r.diag << ro.r.res.msg;
	std::string text = read_file(ro.dir + "/trace.vcd");
	ASSERT_FALSE(text.empty());
	size_t n = 0;
	validate_vcd(text, &n, nullptr);
	EXPECT_GT(n, 20u);
	EXPECT_NE(text.find("$timescale 1ps $end"), std::string::npos);
	rm_rf(ro.dir.substr(0, ro.dir.rfind('/')));
}

TEST(RegressOutputs, EveryFileIsInPlaceAndNothingTemporaryIsLeft)
{
	RealOutputs ro;
	ASSERT_EQ(ro.r.rc, 0) << ro.r.diag << ro.r.res.msg;
	std::set<std::string> names;
	DIR *d = opendir(ro.dir.c_str());
	ASSERT_NE(d, nullptr);
	while (dirent *e = readdir(d))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names.insert(e->d_name);
	closedir(d);
	for (const char *f : { "trace.csv", "trace.json", "trace.vcd", "summary.csv", "notifications.csv",
			       "latency.e2e.hgrm" })
		EXPECT_EQ(names.count(f), 1u) << f;
	for (const auto &n : names) {
		EXPECT_EQ(n.find(".tmp"), std::string::npos) << n;
		EXPECT_NE(n[0], '.') << n;
	}
	/* one CSV line per record, and the digest counted the same records */
	EXPECT_EQ(lines(read_file(ro.dir + "/trace.csv")).size(), ro.r.res.records + 1);
	rm_rf(ro.dir.substr(0, ro.dir.rfind('/')));
}

/* An output directory that cannot be created: the run stops, prints nothing, names the path. */
TEST(RegressOutputs, UnwritableDirectoryIsAnIoErrorNamingThePath)
{
	std::string dir = make_temp_dir();
	write_file(dir + "/file", "a regular file\n");
	std::string out = dir + "/file/out";
	run_opts o = quiet_opts();
	o.no_outputs = false;
	o.out_dir = out.c_str();
	o.trace_given = true;
	o.trace = SCENARIO_TRACE_CSV;
	Result r = run_text(kBase, {}, o);
	EXPECT_EQ(r.rc, RUN_IO_ERROR);
	EXPECT_EQ(std::string(r.res.msg), out + ": cannot create: " + strerror(ENOTDIR));
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(ls(dir), std::vector<std::string>{ "file" });
	rm_rf(dir);
}

/* stop: {notifications: N} that cannot be reached: a warning for the caller, nothing in the output stream. */
TEST(RegressRun, AStalledRunWarnsOutsideTheOutputStream)
{
	run_opts o = quiet_opts();
	o.json = true;
	Result r = run_text(kBase, { "stop={notifications: 1000}", "sources=[]" }, o);
	ASSERT_EQ(r.rc, 0) << r.diag << r.res.msg;
	EXPECT_NE(std::string(r.res.warning).find("stopped after 0 of 1000 notifications"), std::string::npos)
		<< r.res.warning;
	EXPECT_EQ(r.out.find("stopped"), std::string::npos) << r.out;
	EXPECT_EQ(lines(r.out).size(), 1u) << r.out; /* the JSON object alone */
}
