/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/ree_harness.h: what tests/ree_wq_test.cc and tests/ree_sched_test.cc
 * share: the platform harness (tests/plat_harness.h) with run and finish
 * steps, and the notification bottom half's yielding calls read from the
 * trace.
 *
 * The bottom half's yielding call is found by its tag: the Linux model
 * starts DO_BOTTOM_HALF as a path serving PE_NOTIF_ANY (models/cpu/pe.h,
 * Tags), and a TA invocation serves nothing (tag 0). The call is in flight
 * on a CPU from its first Non-secure CALL_WITH_*ARG (or
 * FFA_MSG_SEND_DIRECT_REQ) to the return that ends it.
 */
#ifndef TESTS_REE_HARNESS_H
#define TESTS_REE_HARNESS_H

#include <string>
#include <vector>

#include "plat_harness.h"

namespace ree_test {

constexpr uint32_t kRfr = OPTEE_SMC_CALL_RETURN_FROM_RPC;
constexpr int NS = SIM_WORLD_NS, S = SIM_WORLD_S;

struct Plat : PlatHarness {
	Plat() : PlatHarness("ree.yaml") {}
	sim_time t0() const { return p->boot_time; }
	void run_to(sim_time at) { sim_run_until(p->sim.k, p->boot_time + at); }
	void finish(sim_time drain = 10 * SIM_MS)
	{
		platform_stop_sources(p.get());
		sim_run_until(p->sim.k, now() + drain);
		platform_finish(p.get());
	}
};

/* One DO_BOTTOM_HALF yielding call: where it ran and when. */
struct Call {
	int cpu;
	sim_time start, end;
};

inline bool is_call_fid(uint64_t fid)
{
	return fid == OPTEE_SMC_CALL_WITH_REGD_ARG || fid == OPTEE_SMC_CALL_WITH_ARG ||
	       fid == OPTEE_SMC_CALL_WITH_RPC_ARG || (uint32_t)fid == FFA_MSG_SEND_DIRECT_REQ_32;
}

/*
 * The yielding calls that serve notifications (tag PE_NOTIF_ANY), from the
 * first Non-secure call to the return that ends it. SMC ABI: the return with
 * x0 == OPTEE_SMC_RETURN_OK. FF-A: a direct response ends the call unless
 * the next notification-path SMC on that CPU resumes it
 * (OPTEE_FFA_YIELDING_CALL_RESUME in w3), since w4 is not in the record.
 */
inline std::vector<Call> bh_calls(const PlatHarness &pl, sim_time from)
{
	std::vector<Call> out;
	std::vector<int> open(PLATFORM_MAX_CPUS, -1), ffa_ret(PLATFORM_MAX_CPUS, -1);
	for (const auto &r : pl.log.recs) {
		if (r.t < from || r.world != (uint32_t)NS || r.notif != PE_NOTIF_ANY || r.cpu < 0)
			continue;
		int c = r.cpu;
		if (r.kind == TR_SMC) {
			bool ffa = (uint32_t)r.a == FFA_MSG_SEND_DIRECT_REQ_32;
			bool resume = ffa && (uint32_t)r.d == OPTEE_FFA_YIELDING_CALL_RESUME;
			if (ffa_ret[c] >= 0) {
				/* after a direct response: a RESUME continues the call; anything else means it ended */
				if (!resume) {
					open[c] = -1;
				}
				ffa_ret[c] = -1;
			}
			if (!is_call_fid(r.a) || resume || open[c] >= 0)
				continue; /* another SMC, or the same call reissued (ETHREAD_LIMIT) or resumed */
			open[c] = (int)out.size();
			out.push_back({ c, r.t, SIM_TIME_MAX });
			continue;
		}
		if (r.kind != TR_SMC_RET || open[c] < 0)
			continue;
		if ((uint32_t)r.a == FFA_MSG_SEND_DIRECT_REQ_32) {
			out[open[c]].end = r.t; /* tentatively: a RESUME reopens it */
			ffa_ret[c] = open[c];
		} else if ((r.a == kRegd || r.a == OPTEE_SMC_CALL_WITH_ARG || r.a == kRfr) &&
			   r.b == OPTEE_SMC_RETURN_OK) {
			out[open[c]].end = r.t;
			open[c] = -1;
		}
	}
	return out;
}

} // namespace ree_test

#endif
