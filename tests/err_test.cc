// SPDX-License-Identifier: BSD-3-Clause
// The error convention's helpers (sim/kernel/err.h) and the sticky errors a run reads.
#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

#include "sim/kernel/err.h"
#include "sim/kernel/kernel.h"

TEST(SimFail, FormatsTheReasonAndReturnsMinusOne)
{
	char err[64] = "";
	EXPECT_EQ(sim_fail(err, sizeof(err), "%s:%d:%d: %s", "a.yaml", 3, 7, "unknown key"), -1);
	EXPECT_STREQ(err, "a.yaml:3:7: unknown key");
}

TEST(SimFail, TruncatesToTheBuffer)
{
	char err[8];
	EXPECT_EQ(sim_fail(err, sizeof(err), "%s", "0123456789"), -1);
	EXPECT_STREQ(err, "0123456");
}

// A caller that does not want the message passes NULL (or a zero length).
TEST(SimFail, WithoutABufferOnlyFails)
{
	char err[4] = "x";
	EXPECT_EQ(sim_fail(nullptr, 16, "%s", "ignored"), -1);
	EXPECT_EQ(sim_fail(err, 0, "%s", "ignored"), -1);
	EXPECT_STREQ(err, "x");
}

TEST(SimStrerror, NamesANegativeErrno)
{
	EXPECT_STREQ(sim_strerror(-ENOMEM), strerror(ENOMEM));
	EXPECT_STREQ(sim_strerror(0), "");
}

static void nop(void *, uint64_t) {}

// The kernel's sticky error stays 0 while the queue can grow (err.h: read after the run).
TEST(KernelError, IsZeroAfterARun)
{
	sim_kernel *k = sim_kernel_new(SIM_BACKEND_NATIVE);
	ASSERT_NE(k, nullptr);
	for (int i = 0; i < 1000; i++)
		ASSERT_NE(sim_post(k, (sim_time)i, nop, nullptr, 0), nullptr);
	EXPECT_EQ(sim_run_idle(k), 1000u);
	EXPECT_EQ(sim_kernel_error(k), 0);
	sim_kernel_free(k);
}

// A model that runs out of memory mid-run (sim_kernel_fail): the first error sticks, the run stops there and runs
// nothing more (err.h: "during the run it is sticky"), never abort().
static void fail_enomem(void *ctx, uint64_t) { sim_kernel_fail(static_cast<sim_kernel *>(ctx), -ENOMEM); }
static void fail_eio(void *ctx, uint64_t) { sim_kernel_fail(static_cast<sim_kernel *>(ctx), -EIO); }

TEST(KernelError, ModelFailureStopsTheRunAndKeepsTheFirstError)
{
	sim_kernel *k = sim_kernel_new(SIM_BACKEND_NATIVE);
	ASSERT_NE(k, nullptr);
	ASSERT_NE(sim_post(k, 10, fail_enomem, k, 0), nullptr);
	ASSERT_NE(sim_post(k, 20, fail_eio, k, 0), nullptr);
	for (int i = 30; i < 40; i++)
		ASSERT_NE(sim_post(k, (sim_time)i, nop, nullptr, 0), nullptr);
	EXPECT_EQ(sim_run_idle(k), 1u) << "nothing runs after the failing event";
	EXPECT_EQ(sim_kernel_error(k), -ENOMEM);
	EXPECT_STREQ(sim_strerror(sim_kernel_error(k)), strerror(ENOMEM));
	sim_kernel_free(k);
}
