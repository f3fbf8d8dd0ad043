// SPDX-License-Identifier: BSD-3-Clause
/* tests/smc_names_test.cc: the platform's registry of the models' SMC function names. */
#include <gtest/gtest.h>

#include "models/monitor/monitor.h"
#include "models/tee/tee.h"
#include "sim/smc_names.h"

namespace {
const sim_smc_names *const kTables[] = { &tee_optee_smc_names, &mon_smc_names, &tee_ffa_smc_names };
}

/* Every name a model exports is found, and its ID prints as that name. */
TEST(SmcNames, EveryModelNameRoundTrips)
{
	size_t n = 0;
	for (const sim_smc_names *t : kTables)
		for (size_t i = 0; i < t->count; i++, n++) {
			uint32_t id = 0;
			ASSERT_TRUE(smc_name_lookup(t->names[i].name, &id)) << t->names[i].name;
			EXPECT_EQ(id, t->names[i].fid) << t->names[i].name;
			EXPECT_STREQ(smc_name(id), t->names[i].name);
		}
	EXPECT_GE(n, 30u);
}

/* The ABIs' own spellings: OPTEE_SMC_CALL_WITH_ARG, TEESMC_OPTEED_RETURN_CALL_DONE, PSCI_CPU_ON. */
TEST(SmcNames, ModelPrefixesAreAccepted)
{
	uint32_t id = 0;
	ASSERT_TRUE(smc_name_lookup("OPTEE_SMC_CALL_WITH_ARG", &id));
	EXPECT_EQ(id, 0x32000004u);
	ASSERT_TRUE(smc_name_lookup("OPTEE_SMC_GET_ASYNC_NOTIF_VALUE", &id));
	EXPECT_EQ(id, 0xB2000011u);
	ASSERT_TRUE(smc_name_lookup("TEESMC_OPTEED_RETURN_CALL_DONE", &id));
	EXPECT_EQ(id, 0xBE000005u);
	ASSERT_TRUE(smc_name_lookup("PSCI_CPU_ON", &id));
	EXPECT_EQ(id, 0xC4000003u);
	ASSERT_TRUE(smc_name_lookup("FFA_NOTIFICATION_GET", &id));
	EXPECT_EQ(id, 0x84000082u);
}

TEST(SmcNames, UnknownNamesAreRejected)
{
	uint32_t id = 0;
	EXPECT_FALSE(smc_name_lookup("CALL_WITH_NOTHING", &id));
	EXPECT_FALSE(smc_name_lookup("OPTEE_SMC_", &id));
	EXPECT_FALSE(smc_name_lookup("", &id));
	EXPECT_EQ(smc_name(0x12345678u), nullptr);
}
