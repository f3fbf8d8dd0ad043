// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/notif_value_test.cc: notification values other than DO_BOTTOM_HALF
 * (issue 12 point 8; docs/protocol.md §3.7).
 *
 * OP-TEE (core/kernel/notif_default.c): notif_alloc_async_value hands out
 * 1, 2, ... (0 is DO_BOTTOM_HALF); notif_send_async sets the value's bit and
 * raises the interrupt on every send; notif_get_value returns the lowest
 * set bit first with "more pending" while any is left. Linux 6.12
 * (drivers/tee/optee/smc_abi.c irq_handler): one GET_ASYNC_NOTIF_VALUE per
 * value while PENDING is set, so k pending values cost exactly k fast
 * calls; a value other than DO_BOTTOM_HALF goes to optee_notif_send
 * (notif.c), which completes the waiter with that key or keeps the key as
 * one bit. A TA waits with notif_wait(value) (core/kernel/notif.c), an RPC
 * NOTIFICATION WAIT that sleeps in optee_notif_wait; a second waiter for
 * one key is refused with -EBUSY. The driver follows OP-TEE's stm32_rtc
 * (core/drivers/stm32_rtc.c: the value allocated at probe, sent from the
 * alarm interrupt, waited for in stm32_rtc_wait_alarm).
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "plat_harness.h"
#include "sim/stats/stats.h"

namespace {

/* three value sources firing together; a DO_BOTTOM_HALF one alone in between */
const char *kThree = "name: v\nplatform: {cpus: 2}\n"
		     "sources:\n"
		     "  - {name: a, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
		     "  - {name: b, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
		     "  - {name: c, kind: trng, notify: value, arrival: {periodic: 1ms}}\n";

std::vector<sim_rec> events(const PlatHarness &pl, unsigned code)
{
	std::vector<sim_rec> v;
	for (const auto &r : pl.log.recs)
		if (r.kind == TR_EVENT && r.code == code)
			v.push_back(r);
	return v;
}

/* notif_alloc_async_value: the first free value after DO_BOTTOM_HALF, in probe order; only value sources get one. */
TEST(NotifValue, ValuesAreAllocatedFromOne)
{
	PlatHarness pl("v.yaml");
	ASSERT_TRUE(pl.boot("name: v\nplatform: {cpus: 2}\n"
			    "sources:\n"
			    "  - {name: u, kind: uart, arrival: {periodic: 1ms}}\n"
			    "  - {name: a, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
			    "  - {name: b, kind: trng, notify: value, arrival: {periodic: 1ms}}\n"));
	struct tee *t = pl.p->tee;
	ASSERT_EQ(t->ndev, 3);
	EXPECT_EQ(t->devs[0].value, 0u) << "the UART's console driver notifies with DO_BOTTOM_HALF";
	EXPECT_EQ(t->devs[1].value, 1u);
	EXPECT_EQ(t->devs[2].value, 2u);
}

/*
 * k values pending -> k GET_ASYNC_NOTIF_VALUE calls in one interrupt, lowest
 * value first, the last one without PENDING; no DO_BOTTOM_HALF call.
 */
TEST(NotifValue, KValuesCostKFastCallsLowestFirst)
{
	PlatHarness pl("v.yaml");
	ASSERT_TRUE(pl.boot(kThree));
	sim_time from = pl.now();
	sim_run_until(pl.p->sim.k, from + 5 * SIM_MS);
	/* every normal-world notification interrupt, then the fast calls up to the next one */
	std::vector<std::vector<const sim_rec *>> per_irq;
	for (const auto &r : pl.log.recs) {
		if (r.t < from)
			continue;
		if (r.kind == TR_NOTIF && r.notif == 0 && r.a == NOTIF_NS_TAKEN)
			per_irq.emplace_back();
		else if (r.kind == TR_SMC_RET && r.world == SIM_WORLD_NS && (uint32_t)r.a == kGet && !per_irq.empty())
			per_irq.back().push_back(&r);
	}
	ASSERT_GE(per_irq.size(), 4u);
	for (const auto &calls : per_irq) {
		/* SMC_RET: a = function, b..d = a0..a2 of the result (a1 the value, a2 the flags) */
		ASSERT_EQ(calls.size(), 3u) << "k = 3 values: 3 fast calls (smc_abi.c irq_handler)";
		for (unsigned i = 0; i < 3; i++) {
			EXPECT_EQ(calls[i]->c, i + 1) << "lowest value first (notif_get_value: bit_ffs)";
			EXPECT_TRUE(calls[i]->d & OPTEE_SMC_ASYNC_NOTIF_VALID);
			EXPECT_EQ((calls[i]->d & OPTEE_SMC_ASYNC_NOTIF_PENDING) != 0, i < 2)
				<< "PENDING while a value is left";
		}
	}
	EXPECT_TRUE(pl.recs(TR_SMC, from, SIM_WORLD_NS, -1, kRegd).empty())
		<< "values alone never make Linux run a bottom half";
}

/* A value is delivered when Linux's drain loop passes it to optee_notif_send; it has no bottom half. */
TEST(NotifValue, ValueIsDeliveredToOpteeNotifSend)
{
	PlatHarness pl("v.yaml");
	ASSERT_TRUE(pl.boot(kThree));
	sim_run_until(pl.p->sim.k, pl.now() + 5 * SIM_MS);
	double sent = 0, delivered = 0, bh = 0, e2e = 0, pend = 0;
	ASSERT_TRUE(stats_metric(pl.p->stats, "notifications", &sent));
	ASSERT_TRUE(stats_metric(pl.p->stats, "delivered", &delivered));
	ASSERT_TRUE(stats_metric(pl.p->stats, "latency.bottom_half.count", &bh));
	ASSERT_TRUE(stats_metric(pl.p->stats, "latency.e2e.count", &e2e));
	ASSERT_TRUE(stats_metric(pl.p->stats, "latency.send_to_pending.count", &pend));
	EXPECT_GE(sent, 12);
	EXPECT_EQ(delivered, sent);
	EXPECT_EQ(e2e, sent);
	EXPECT_EQ(bh, 0) << "no bottom half for a value";
	/* the 2nd and 3rd raise find the SPI pending already: pending for them too (docs/protocol.md §9.6) */
	EXPECT_EQ(pend, sent);
	/* each delivery is Linux's record right after the fast call that fetched the value */
	auto fetched = pl.recs(TR_NOTIF, 0, SIM_WORLD_S, -1, NOTIF_FETCHED);
	auto handed = pl.recs(TR_NOTIF, 0, SIM_WORLD_NS, -1, NOTIF_BH_ENTER);
	ASSERT_EQ(fetched.size(), handed.size());
	for (size_t i = 0; i < fetched.size(); i++) {
		EXPECT_EQ(handed[i].b, fetched[i].b);
		EXPECT_GT(handed[i].t, fetched[i].t);
		EXPECT_EQ(handed[i].cpu, fetched[i].cpu);
	}
}

/*
 * The drain loop's time (ree_optee.c): ree.notif_value after each value,
 * ree.notif_irq once when the loop ends (the handler's part around the
 * loop; the guest code's irq_handler spends it so, docs/calibration.md
 * §5.6). Three values per interrupt: between the fetches one notif_value,
 * from the last fetch to the end of the interrupt's handling (its EOI)
 * one notif_value and one notif_irq more than with both at zero.
 */
constexpr sim_time kNone = ~(sim_time)0;

std::vector<sim_time> drain_gaps(sim_time value_cycles, sim_time irq_cycles, sim_time *last_to_eoi)
{
	char y[512];
	snprintf(y, sizeof(y),
		 "name: v\nplatform: {cpus: 2, cost_overrides: {ree.notif_value: %llu cycles, ree.notif_irq: %llu cycles}}\n"
		 "sources:\n"
		 "  - {name: a, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
		 "  - {name: b, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
		 "  - {name: c, kind: trng, notify: value, arrival: {periodic: 1ms}}\n",
		 (unsigned long long)value_cycles, (unsigned long long)irq_cycles);
	PlatHarness pl("v.yaml");
	std::vector<sim_time> gaps;
	if (!pl.boot(y))
		return gaps;
	sim_time from = pl.now();
	sim_run_until(pl.p->sim.k, from + 3 * SIM_MS);
	sim_time ret = 0;
	unsigned k = 0; /* values fetched in the current interrupt */
	uint64_t intid = 0;
	*last_to_eoi = kNone;
	for (const auto &r : pl.log.recs) {
		if (r.t < from || r.cpu != 0)
			continue;
		if (r.kind == TR_NOTIF && r.notif == 0 && r.a == NOTIF_NS_TAKEN) {
			intid = r.b; /* the notification interrupt's INTID */
			k = 0, ret = 0;
		} else if (r.kind == TR_SMC_RET && r.world == SIM_WORLD_NS && (uint32_t)r.a == kGet) {
			ret = r.t, k++;
		} else if (r.kind == TR_SMC && r.world == SIM_WORLD_NS && (uint32_t)r.a == kGet && ret) {
			gaps.push_back(r.t - ret);
		} else if (r.kind == TR_GIC_EOI && r.a == intid && ret && k == 3 && *last_to_eoi == kNone) {
			*last_to_eoi = r.t - ret;
		}
	}
	return gaps;
}

TEST(NotifValue, DrainChargesNotifValuePerValueAndNotifIrqOnce)
{
	sim_time base_eoi = 0, eoi = 0;
	std::vector<sim_time> base = drain_gaps(0, 0, &base_eoi), g = drain_gaps(1200, 6000, &eoi);
	ASSERT_GE(base.size(), 4u);
	ASSERT_EQ(g.size(), base.size());
	const sim_time us = SIM_US; /* 1200 cycles at the A53 preset's 1.2 GHz */
	for (size_t i = 0; i < g.size(); i++)
		EXPECT_EQ(g[i] - base[i], us) << "fetch " << i << ": one ree.notif_value between two fetches";
	ASSERT_NE(base_eoi, kNone);
	ASSERT_NE(eoi, kNone);
	EXPECT_EQ(eoi - base_eoi, 6 * us) << "the last value's notif_value and the interrupt's notif_irq, once";
}

/*
 * A TA waiting in notif_wait sleeps in Linux (RPC NOTIFICATION WAIT) until
 * its value arrives, then runs again in the secure world: its wake-up time
 * runs from the source's interrupt.
 */
TEST(NotifValue, TaWaitSleepsUntilTheValue)
{
	PlatHarness pl("v.yaml");
	ASSERT_TRUE(pl.boot("name: v\nplatform: {cpus: 2}\n"
			    "sources:\n  - {name: rtc, kind: timer, notify: value, arrival: {periodic: 2ms}}\n"
			    "workloads:\n  - {name: alarm, kind: ta_invoke, rate: 100Hz, secure_work: 10us, "
			    "wait_for: rtc, cpus: [1]}\n"));
	sim_run_until(pl.p->sim.k, pl.now() + 100 * SIM_MS);
	auto waits = events(pl, SIM_EV_TA_WAIT), woken = events(pl, SIM_EV_TA_WOKEN);
	ASSERT_GE(waits.size(), 3u);
	ASSERT_GE(woken.size(), waits.size() - 1);
	unsigned slept = 0;
	for (size_t i = 0; i < woken.size(); i++) {
		EXPECT_EQ(waits[i].b, 1u) << "the source's value";
		EXPECT_EQ(woken[i].cpu, 1);
		EXPECT_GT(woken[i].t, waits[i].t);
		if (!woken[i].d)
			continue;
		slept++;
		/* the value was sent after the wait began: the wake-up is measured from that source event */
		EXPECT_GE(woken[i].b, 1u);
		EXPECT_GT(woken[i].c, waits[i].t);
		EXPECT_LT(woken[i].t - woken[i].c, 200 * SIM_US) << "an idle platform wakes the TA within 200 us";
	}
	EXPECT_GT(slept, 0u);
	/* the thread really left the secure world: an RPC CMD exit, and Linux's WAIT with the value */
	unsigned rpc = 0;
	for (const auto &r : pl.log.recs)
		if (r.kind == TR_SMC && r.world == SIM_WORLD_S && r.code == SIM_EV_SMC_RPC_RETURN) {
			const sim_msg_arg *m = pl.msg_of(r);
			if (m && m->cmd == OPTEE_RPC_CMD_NOTIFICATION && m->params[0].a == OPTEE_RPC_NOTIFICATION_WAIT &&
			    m->params[0].b == 1)
				rpc++;
		}
	EXPECT_GE(rpc, 1u);
	double n = 0, p50 = 0, lat = 0;
	ASSERT_TRUE(stats_metric(pl.p->stats, "workload.alarm.wake.count", &n));
	EXPECT_EQ(n, slept);
	ASSERT_TRUE(stats_metric(pl.p->stats, "workload.alarm.wake.p50", &p50));
	EXPECT_GT(p50, 0);
	/* the call's response time includes the wait */
	ASSERT_TRUE(stats_metric(pl.p->stats, "workload.alarm.latency.p50", &lat));
	EXPECT_GT(lat, p50);
}

/* A value sent before the wait: Linux kept its bit, so optee_notif_wait returns at once (no sleep, no wake-up sample). */
TEST(NotifValue, SendBeforeWaitReturnsAtOnce)
{
	PlatHarness pl("v.yaml");
	ASSERT_TRUE(pl.boot("name: v\nplatform: {cpus: 2}\n"
			    "sources:\n  - {name: rtc, kind: timer, notify: value, arrival: {periodic: 200us}}\n"
			    "workloads:\n  - {name: alarm, kind: ta_invoke, rate: 50Hz, secure_work: 10us, "
			    "wait_for: rtc, cpus: [1]}\n"));
	sim_run_until(pl.p->sim.k, pl.now() + 200 * SIM_MS);
	auto waits = events(pl, SIM_EV_TA_WAIT), woken = events(pl, SIM_EV_TA_WOKEN);
	ASSERT_GE(waits.size(), 3u);
	unsigned ready = 0;
	for (size_t i = 0; i < woken.size(); i++) {
		if (woken[i].d)
			continue;
		ready++;
		/* sends that came while no one waited coalesce into Linux's one bit */
		EXPECT_GE(woken[i].b, 1u);
		EXPECT_LT(woken[i].t - waits[i].t, 30 * SIM_US) << "no sleep: the RPC returns at once";
	}
	EXPECT_GE(ready, 2u);
	double n = -1;
	ASSERT_TRUE(stats_metric(pl.p->stats, "workload.alarm.wake.count", &n));
	EXPECT_EQ(n, (double)(woken.size() - ready));
}

/* Two calls waiting for one value at once: optee_notif_wait refuses the second (-EBUSY -> TEEC_ERROR_BAD_PARAMETERS). */
TEST(NotifValue, SecondWaiterIsRefused)
{
	PlatHarness pl("v.yaml");
	ASSERT_TRUE(pl.boot("name: v\nplatform: {cpus: 2}\ntee: {threads: 4}\n"
			    "sources:\n  - {name: rtc, kind: timer, notify: value, arrival: {periodic: 20ms}}\n"
			    "workloads:\n  - {name: alarm, kind: ta_invoke, rate: 2kHz, secure_work: 5us, "
			    "wait_for: rtc, cpus: [0, 1]}\n"));
	sim_run_until(pl.p->sim.k, pl.now() + 30 * SIM_MS);
	auto refused = events(pl, SIM_EV_TA_WAIT_REFUSED);
	ASSERT_GE(refused.size(), 1u);
	EXPECT_EQ(refused[0].b, 1u);
	double v = 0;
	ASSERT_TRUE(stats_metric(pl.p->stats, "wait_refused", &v));
	EXPECT_EQ(v, (double)refused.size());
	/* the refused call returns with the TA's error in its message, not a failed SMC */
	EXPECT_FALSE(events(pl, SIM_EV_TA_DONE).empty());
}

/* A waiting TA without a rate is a closed loop: each call arrives when the previous one returned. */
TEST(NotifValue, ClosedLoopCallsAgainOnReturn)
{
	PlatHarness pl("v.yaml");
	ASSERT_TRUE(pl.boot("name: v\nplatform: {cpus: 2}\n"
			    "sources:\n  - {name: rtc, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
			    "workloads:\n  - {name: alarm, kind: ta_invoke, secure_work: 10us, wait_for: rtc, cpus: [1]}\n"));
	sim_run_until(pl.p->sim.k, pl.now() + 20 * SIM_MS);
	auto req = events(pl, SIM_EV_TA_REQUEST), done = events(pl, SIM_EV_TA_DONE);
	ASSERT_GE(done.size(), 15u) << "about one call per alarm period";
	ASSERT_EQ(req.size(), done.size() + 1) << "one call in flight at a time";
	for (size_t i = 0; i + 1 < req.size(); i++)
		EXPECT_EQ(req[i + 1].t, done[i].t) << "the next call arrives as the previous returns";
	/* all but the first wait began before their alarm: they slept */
	auto woken = events(pl, SIM_EV_TA_WOKEN);
	unsigned slept = 0;
	for (const auto &w : woken)
		slept += w.d != 0;
	EXPECT_GE(slept + 1, (unsigned)woken.size());
}

/* Only what upstream can do loads; each refusal says where and why. */
TEST(NotifValue, ScenarioRules)
{
	struct Case {
		const char *yaml, *where, *what;
	} cases[] = {
		{ "sources:\n  - {name: u, kind: uart, notify: value, arrival: {periodic: 1ms}}\n", "v.yaml:3:35",
		  "notify: value is for timer and trng sources" },
		{ "transport: {kind: ffa}\nsources:\n  - {name: t, kind: timer, notify: value, arrival: {periodic: 1ms}}\n",
		  "v.yaml:4:36", "OP-TEE's FF-A path sends only DO_BOTTOM_HALF" },
		{ "sources:\n  - {name: t, kind: timer, world: normal, notify: value, arrival: {periodic: 1ms}}\n",
		  "v.yaml:3:51", "needs world: secure" },
		{ "tee: {async_notif: false}\nsources:\n  - {name: t, kind: timer, notify: value, arrival: {periodic: 1ms}}\n",
		  "v.yaml:4:36", "needs tee.async_notif: true" },
		{ "sources:\n  - {name: t, kind: timer, notify: value, bottom_half: 5us, arrival: {periodic: 1ms}}\n",
		  "v.yaml:3:43", "has no bottom half" },
		{ "sources:\n  - {name: t, kind: timer, arrival: {periodic: 1ms}}\n"
		  "workloads:\n  - {kind: ta_invoke, rate: 1kHz, wait_for: t}\n",
		  "v.yaml:5:45", "notifies with DO_BOTTOM_HALF" },
		{ "workloads:\n  - {kind: ta_invoke, rate: 1kHz, wait_for: nope}\n", "v.yaml:3:45",
		  "no source named 'nope'" },
		{ "sources:\n  - {name: t, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
		  "workloads:\n  - {kind: cpu_bound, wait_for: t}\n",
		  "v.yaml:5:23", "applies only to kind ta_invoke" },
		{ "workloads:\n  - {name: w, kind: ta_invoke, rate: 1kHz}\nexpect:\n  - workload.w.wake.p99 < 1ms\n",
		  "v.yaml:5:5", "does not wait (a wake-up needs wait_for)" },
		{ "workloads:\n  - {name: w, kind: ta_invoke}\n", "v.yaml:3:5", "rate: missing required key" },
		{ "sources:\n  - {name: t, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
		  "workloads:\n  - {name: w, kind: ta_invoke, wait_for: t}\n"
		  "timeline:\n  - {at: 1ms, load: {workload: w, rate: 1kHz}}\n",
		  "v.yaml:7:32", "has no rate: its threads call in a closed loop" },
	};
	for (const auto &c : cases) {
		scenario sc{};
		sim_diag d{};
		std::string y = std::string("name: v\n") + c.yaml;
		EXPECT_NE(scenario_load_string(y.c_str(), "v.yaml", nullptr, 0, &sc, &d), 0) << y;
		EXPECT_NE(std::string(d.msg).find(c.where), std::string::npos) << d.msg;
		EXPECT_NE(std::string(d.msg).find(c.what), std::string::npos) << d.msg;
	}
	scenario sc{};
	sim_diag d{};
	const char *ok = "name: v\nsources:\n  - {name: t, kind: timer, notify: value, arrival: {periodic: 1ms}}\n"
			 "workloads:\n  - {name: w, kind: ta_invoke, rate: 1kHz, wait_for: t}\n"
			 "expect:\n  - workload.w.wake.p99 < 1ms\n  - wait_refused == 0\n";
	ASSERT_EQ(scenario_load_string(ok, "v.yaml", nullptr, 0, &sc, &d), 0) << d.msg;
	EXPECT_EQ(sc.sources[0].notify, SCENARIO_NOTIFY_VALUE);
	EXPECT_EQ(sc.workloads[0].wait_for, 0);
}

} // namespace
