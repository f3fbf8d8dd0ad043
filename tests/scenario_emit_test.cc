// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/scenario_emit_test.cc: scenario_write_resolved (sim/scenario/scenario.h),
 * the job files of `tzsim compare --emit-jobs`: written elsewhere, they load to
 * the scenario the original file and its overrides load to.
 */
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/scenario.h"
#include "testutil.h"

namespace {

/* Everything but what only says where the text was: positions, the file's path, relative vs absolute paths. */
void normalize(scenario *s)
{
	char buf[SCENARIO_PATH_MAX];
	memset(s->path, 0, sizeof(s->path));
	memset(&s->at, 0, sizeof(s->at)); /* where platform-checked keys were written */
	if (s->platform.dts[0] && realpath(s->platform.dts, buf))
		snprintf(s->platform.dts, sizeof(s->platform.dts), "%s", buf);
	for (unsigned i = 0; i < s->n_sources; i++) {
		memset(&s->sources[i].pos, 0, sizeof(s->sources[i].pos));
		memset(&s->sources[i].intid_pos, 0, sizeof(s->sources[i].intid_pos));
		if (s->sources[i].replay[0] && realpath(s->sources[i].replay, buf))
			snprintf(s->sources[i].replay, sizeof(s->sources[i].replay), "%s", buf);
	}
	for (unsigned i = 0; i < s->n_workloads; i++) {
		memset(&s->workloads[i].pos, 0, sizeof(s->workloads[i].pos));
		memset(&s->workloads[i].cpus_pos, 0, sizeof(s->workloads[i].cpus_pos));
	}
	for (unsigned i = 0; i < s->n_timeline; i++)
		memset(&s->timeline[i].pos, 0, sizeof(s->timeline[i].pos));
	for (unsigned i = 0; i < s->n_expect; i++)
		memset(&s->expect[i].pos, 0, sizeof(s->expect[i].pos));
}

/* A temporary directory under $TMPDIR (testutil), removed with what it holds. */
struct TmpDir {
	std::string path = make_temp_dir();
	TmpDir() { EXPECT_FALSE(path.empty()); }
	~TmpDir() { rm_rf(path); }
};

} // namespace

/* full.yaml sets every key, a relative DTS and a replay file among them. */
TEST(ScenarioEmit, LoadsToTheSameScenarioFromAnotherDirectory)
{
	const char *file = "tests/data/scenarios/full.yaml";
	std::vector<const char *> ovr = { "transport={}", "transport.kind=sgi", "seed=9",
					  "description=\"quotes \\\" and: colons, #hash\"" };
	TmpDir d;
	std::string job = d.path + "/job 1.yaml";
	FILE *f = fopen(job.c_str(), "w");
	ASSERT_NE(f, nullptr);
	sim_diag diag{};
	ASSERT_EQ(scenario_write_resolved(file, ovr.data(), (int)ovr.size(), f, &diag), 0) << diag.msg;
	fclose(f);

	std::unique_ptr<scenario> a(new scenario), b(new scenario);
	ASSERT_EQ(scenario_load(file, ovr.data(), (int)ovr.size(), a.get(), &diag), 0) << diag.msg;
	ASSERT_EQ(scenario_load(job.c_str(), nullptr, 0, b.get(), &diag), 0) << diag.msg;
	EXPECT_EQ(b->platform.dts[0], '/');
	EXPECT_STREQ(b->name, "spi-vs-hotplug");
	EXPECT_EQ(b->seed, 9u);
	EXPECT_EQ(b->transport.kind, SCENARIO_SGI);
	EXPECT_EQ(b->transport.intid, 8u); /* the kind's default */
	EXPECT_STREQ(b->description, "quotes \" and: colons, #hash");
	normalize(a.get());
	normalize(b.get());
	EXPECT_EQ(memcmp(a.get(), b.get(), sizeof(scenario)), 0);
}

/* The default name is the file's: the job file (another name) keeps it. */
TEST(ScenarioEmit, WritesTheDefaultName)
{
	TmpDir d;
	std::string src = d.path + "/my-scenario.yaml", job = d.path + "/000.yaml";
	FILE *f = fopen(src.c_str(), "w");
	fputs("sources:\n  - {name: t, kind: timer, arrival: {periodic: 1ms}}\nexpect: [lost == 0]\n", f);
	fclose(f);
	f = fopen(job.c_str(), "w");
	sim_diag diag{};
	ASSERT_EQ(scenario_write_resolved(src.c_str(), nullptr, 0, f, &diag), 0) << diag.msg;
	fclose(f);
	std::unique_ptr<scenario> b(new scenario);
	ASSERT_EQ(scenario_load(job.c_str(), nullptr, 0, b.get(), &diag), 0) << diag.msg;
	EXPECT_STREQ(b->name, "my-scenario");
	EXPECT_STREQ(b->expect[0].text, "lost == 0");
}

TEST(ScenarioEmit, ABadOverrideIsTheLoadersMessage)
{
	sim_diag diag{};
	const char *ovr[] = { "transport.kind=sideways" };
	FILE *f = fopen("/dev/null", "w");
	EXPECT_EQ(scenario_write_resolved("tests/data/scenarios/full.yaml", ovr, 1, f, &diag), -1);
	fclose(f);
	EXPECT_EQ(std::string(diag.msg).rfind("--vary transport.kind=sideways: ", 0), 0u) << diag.msg;
}
