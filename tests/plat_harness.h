/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/plat_harness.h: the whole-platform harness shared by
 * tests/protocol_test.cc and tests/transport_test.cc.
 *
 * PlatHarness builds a platform from an inline scenario (native kernel),
 * keeps every trace record, cold boots and runs until Linux has booted.
 * A test file derives its own Plat from it for what only it needs;
 * attach() is where a derived harness hooks into the built platform before
 * platform_start. DirectSmc makes an SMC from an idle Non-secure PE, as a
 * driver would. run_quiet and run_file run a whole scenario in-process.
 * The header brings the model and platform headers such a
 * test reads, and short names for the OP-TEE SMC function IDs.
 */
#ifndef TESTS_PLAT_HARNESS_H
#define TESTS_PLAT_HARNESS_H

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "models/cpu/pe.h"
#include "models/gic/gic.h"
#include "models/dev/secure_src.h"
#include "models/monitor/smccc.h"
#include "models/ree/ree_optee.h"
#include "models/tee/tee_internal.h"
}
#include "sim/platform.h"
#include "sim/run.h"
#include "sim/scenario/scenario.h"
#include "testutil.h"

/* The OP-TEE SMC function IDs both test files check for. */
constexpr uint32_t kGet = OPTEE_SMC_GET_ASYNC_NOTIF_VALUE;
constexpr uint32_t kRegd = OPTEE_SMC_CALL_WITH_REGD_ARG;
constexpr uint32_t kCallDone = TEESMC_OPTEED_RETURN_CALL_DONE;
constexpr uint32_t kFiqDone = TEESMC_OPTEED_RETURN_FIQ_DONE;

/* A platform built from an inline scenario, with every trace record kept. */
struct PlatHarness {
	std::unique_ptr<scenario> sc{ new scenario() };
	std::unique_ptr<platform> p{ new platform() };
	RecordLog log;
	bool built = false;

	/* @yaml_name: the scenario's file name in load diagnostics */
	explicit PlatHarness(const char *yaml_name) : yaml_name_(yaml_name) {}
	virtual ~PlatHarness() { release(); }
	PlatHarness(const PlatHarness &) = delete;
	PlatHarness &operator=(const PlatHarness &) = delete;

	/* Free the platform if built (a derived destructor calls it before closing what the platform uses). */
	void release();

	/* Load, build (native), attach the log, attach(), cold boot, run until Linux has booted. */
	::testing::AssertionResult boot(const std::string &yaml, std::vector<const char *> ovr = {});
	static bool not_booted(void *ctx);
	sim_time now() const;

	/*
	 * The struct optee_msg_arg a record names, as it was when the record was emitted (sim/shm.h):
	 * for a Non-secure CALL_WITH_REGD_ARG the call's message (cookie a1:a2, offset a3); for a
	 * secure CALL_DONE returning RPC_CMD the RPC's message (its buffer's cookie in a1:a2, after the
	 * call's message). NULL for any other record.
	 */
	const sim_msg_arg *msg_of(const sim_rec &r) const;

	/* Records of @kind from @from on (and, if given, only one world / cpu / a). */
	std::vector<sim_rec> recs(unsigned kind, sim_time from = 0, int world = -1, int cpu = -1,
				  int64_t a = -1) const;
	std::vector<sim_rec> smcs(sim_time from = 0) const { return recs(TR_SMC, from); }

protected:
	/* After the build and the log, before platform_start. */
	virtual void attach() {}

private:
	const char *yaml_name_;
	struct Msg {
		sim_time t;
		int32_t cpu;
		uint32_t world;
		uint64_t fid;
		sim_msg_arg arg;
	};
	std::vector<Msg> msgs_;
	static void msg_sink(void *ctx, const sim_rec *r);
};

/* An SMC from an idle Non-secure PE, as a driver would make it; x0..x7 of the result kept. */
struct DirectSmc {
	PlatHarness *pl;
	unsigned cpu;
	uint64_t x[8] = {};
	uint64_t ret[8] = {};
	bool done = false;
	static void cont(void *ctx, struct pe *pe);
	static void fire(void *ctx, uint64_t);
	void post(sim_time delay);
};

/* Run @sc as run_scenario does, without output files or a summary; @kernel -1: the scenario's own. */
int run_quiet(const scenario *sc, run_result *res, int kernel = -1, uint64_t seed = 0, bool seed_given = false);

/* Load the scenario file @path (with @ovr) and run_quiet it; -1 and a test failure if it does not load. */
int run_file(const char *path, run_result *res, std::vector<const char *> ovr = {}, uint64_t seed = 0,
	     bool seed_given = false);

#endif
