// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/ree_sched_test.cc: the Linux model's scheduler (models/ree/
 * ree_sched.c, ree_fair.c) against Linux 6.12's rules (issue 12 point 5):
 * the fair class's arithmetic on one run queue alone (EEVDF; CFS of 6.1 for
 * ree.scheduler: cfs), then wake-up preemption and the preemption model
 * (ree.preempt) on the whole platform (tests/ree_harness.h).
 *
 * Upstream sources cited: Linux 6.12 kernel/sched/fair.c, core.c,
 * kernel/Kconfig.preempt, arch/arm64/kernel/entry-common.c,
 * drivers/tee/optee/smc_abi.c; Linux 6.1 kernel/sched/fair.c for CFS.
 */
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "ree_harness.h"

using namespace ree_test;

// ---- point 5: the fair class (EEVDF of Linux 6.12; CFS of 6.1 for ree.scheduler: cfs) ----------------

namespace {

constexpr sim_time kMs = SIM_MS, kUs = SIM_US;

/* One run queue alone, for fair.c's arithmetic. Entities are nice 0. */
struct Rq {
	ree_cfs_rq rq{};
	ree_se a{}, b{}, c{};
	explicit Rq(bool cfs = false, unsigned ncpus = 4)
	{
		ree_fair_init(&rq, 0, cfs, ncpus);
		for (ree_se *se : { &a, &b, &c })
			se->rq = -1;
	}
	/* A was woken at 0 and runs (picked) */
	void run_a()
	{
		ree_fair_enqueue(&rq, &a, 0);
		ASSERT_EQ(ree_fair_pick_next(&rq, 0), &a);
	}
};

} // namespace

/* fair.c sysctl_sched_base_slice = 0.7 ms x get_update_sysctl_factor() = 1 + ilog2(min(ncpus, 8)). */
TEST(ReeFair, BaseSliceIsPoint7MsTimesOnePlusIlog2Cpus)
{
	const std::pair<unsigned, int64_t> want[] = { { 1, 700 }, { 2, 1400 }, { 3, 1400 }, { 4, 2100 },
						      { 8, 2800 }, { 64, 2800 } };
	for (auto [n, us] : want) {
		Rq q(false, n);
		EXPECT_EQ(q.rq.base_slice, us * (int64_t)kUs) << n << " CPUs";
	}
}

/*
 * pick_eevdf with RUN_TO_PARITY: the running task, eligible and inside the slice it was picked with
 * (protect_slice), is kept; a task woken with lag 0 is placed at V (place_entity) and does not preempt.
 */
TEST(ReeFair, WokenTaskWithZeroLagDoesNotPreemptAProtectedCurrent)
{
	Rq q;
	q.run_a();
	ree_fair_enqueue(&q.rq, &q.b, 300 * kUs);
	EXPECT_FALSE(ree_fair_wakeup_preempt(&q.rq, &q.b, 300 * kUs));
}

/*
 * update_curr -> update_deadline: once the running task's vruntime reaches its deadline it gets a new
 * one and is rescheduled when others wait; the protection was for the old deadline.
 */
TEST(ReeFair, CurrentPastItsDeadlineIsPreemptedByAWokenTask)
{
	Rq q;
	q.run_a(); /* deadline = V + slice (2.1 ms) */
	ree_fair_enqueue(&q.rq, &q.b, 2200 * kUs);
	EXPECT_TRUE(ree_fair_wakeup_preempt(&q.rq, &q.b, 2200 * kUs));
}

/*
 * A sleeper that kept positive lag (it slept while eligible) is placed behind V (V - lag, the lag
 * inflated by (W + w)/W), which moves V below the running task: the running task is no longer eligible,
 * RUN_TO_PARITY no longer shields it, and the woken task is the eligible one with the earliest deadline.
 */
TEST(ReeFair, WokenTaskWithPositiveLagPreemptsEvenInsideTheSlice)
{
	Rq q;
	q.b.vlag = 100 * (int64_t)kUs;
	q.run_a();
	ree_fair_enqueue(&q.rq, &q.b, 300 * kUs);
	/* V was A's vruntime (300 us); B placed at V - 2 x 100 us */
	EXPECT_EQ(q.b.vruntime, q.a.vruntime - 200 * (int64_t)kUs);
	EXPECT_TRUE(ree_fair_wakeup_preempt(&q.rq, &q.b, 300 * kUs));
}

/* check_preempt_wakeup_fair: "BATCH and IDLE tasks do not preempt others", whatever their lag. */
TEST(ReeFair, BatchTaskNeverPreemptsOnWakeup)
{
	Rq q;
	q.b.batch = true;
	q.b.vlag = 1000 * (int64_t)kUs;
	q.run_a();
	ree_fair_enqueue(&q.rq, &q.b, 3000 * kUs);
	EXPECT_FALSE(ree_fair_wakeup_preempt(&q.rq, &q.b, 3000 * kUs));
}

/*
 * DELAY_DEQUEUE: a task that sleeps while not eligible stays queued ("delayed") and competes until
 * picked, which dequeues it; DELAY_ZERO clips its lag to 0 then. A task that sleeps while eligible
 * leaves with its lag (update_entity_lag) and is placed with it when it wakes.
 */
TEST(ReeFair, IneligibleSleeperIsDelayedEligibleSleeperKeepsItsLag)
{
	Rq q;
	q.run_a();
	ree_fair_enqueue(&q.rq, &q.b, 0);
	/* A runs 1 ms while B waits: A's vruntime passes V, so it is not eligible when it sleeps */
	ree_fair_dequeue_sleep(&q.rq, &q.a, 1000 * kUs);
	EXPECT_TRUE(q.a.on_rq);
	EXPECT_TRUE(q.a.delayed);
	EXPECT_EQ(q.rq.nr_running, 2u);
	EXPECT_EQ(ree_fair_pick_next(&q.rq, 1000 * kUs), &q.b) << "B is the eligible one";
	/* B runs 300 us and sleeps while still eligible (behind A): it keeps a positive lag */
	ree_fair_dequeue_sleep(&q.rq, &q.b, 1300 * kUs);
	EXPECT_FALSE(q.b.on_rq);
	EXPECT_GT(q.b.vlag, 0);
	/* the next pick finds only the delayed A: dequeued, its lag clipped to 0, and nothing runs */
	EXPECT_EQ(ree_fair_pick_next(&q.rq, 1300 * kUs), nullptr);
	EXPECT_FALSE(q.a.on_rq);
	EXPECT_LE(q.a.vlag, 0);
}

/* CFS (6.1 wakeup_preempt_entity): preempt only when curr leads by more than wakeup_gran (1 ms x 3). */
TEST(ReeFair, CfsWakeupPreemptsBeyondTheWakeupGranularity)
{
	Rq q(true);
	EXPECT_EQ(q.rq.wakeup_granularity, 3000 * (int64_t)kUs);
	q.run_a();
	/* B last ran at vruntime 0 and slept; A has run 2.5 ms since: inside the granularity */
	ree_fair_enqueue(&q.rq, &q.b, 2500 * kUs);
	EXPECT_EQ(q.b.vruntime, 0);
	EXPECT_FALSE(ree_fair_wakeup_preempt(&q.rq, &q.b, 2500 * kUs));
	/* 3.5 ms: beyond it */
	EXPECT_TRUE(ree_fair_wakeup_preempt(&q.rq, &q.b, 3500 * kUs));
}

/* CFS place_entity: a sleeper's credit is at most sched_latency / 2 (GENTLE_FAIR_SLEEPERS): 9 ms on 4 CPUs. */
TEST(ReeFair, CfsSleeperCreditIsHalfTheLatency)
{
	Rq q(true);
	q.run_a();
	ree_fair_update_curr(&q.rq, 50 * kMs);
	ree_fair_enqueue(&q.rq, &q.b, 50 * kMs);
	EXPECT_EQ(q.rq.min_vruntime, 50 * (int64_t)kMs);
	EXPECT_EQ(q.b.vruntime, 50 * (int64_t)kMs - 9 * (int64_t)kMs);
}

// ---- point 5 on the platform: wake-up preemption and the preemption model --------------------------

namespace {

/*
 * A user task of the test's own on @cpu that makes TA invocations (OPTEE_MSG_CMD_INVOKE_COMMAND): at
 * each (time, secure work) of @calls it is woken and makes one; its SMCs serve nothing (tag 0).
 */
struct TaCall {
	Plat *pl;
	unsigned cpu;
	std::vector<std::pair<sim_time, sim_time>> calls;
	size_t next = 0;
	ree_task *task = nullptr;
	sim_time done_at = SIM_TIME_MAX; /* the last call's end */
	static void start(ree_task *t, struct pe *pe)
	{
		TaCall *c = static_cast<TaCall *>(t->data);
		t->call.cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
		t->call.param = c->calls[c->next++].second;
		t->call.tag = 0;
		t->call.done = done;
		ree_optee_call_task(t, pe);
	}
	static void done(optee_call *oc, struct pe *pe, uint64_t)
	{
		TaCall *c = static_cast<TaCall *>(oc->task->data);
		c->done_at = sim_now(c->pl->p->sim.k);
		ree_block(oc->task->r, pe, start);
	}
	static void fire(void *ctx, uint64_t)
	{
		TaCall *c = static_cast<TaCall *>(ctx);
		ree_wake(c->pl->p->ree, c->task, nullptr);
	}
	void post(int prio = PRIO_NORMAL)
	{
		task = ree_task_new(pl->p->ree, "tacall", (int)cpu, prio, REE_USER, start);
		task->data = this;
		for (const auto &c : calls)
			sim_post(pl->p->sim.k, c.first, fire, this, 0);
	}
};

/*
 * CPU 1 runs a 4 ms TA call from 1 ms; a secure timer on CPU 1 notifies at @notify_at (after boot).
 * Both tasks have run before (a 10 us TA call at 0.2 ms, a notification at 0.5 ms), so that they are
 * woken sleepers, not new tasks. PPI: the notification is taken as a foreign interrupt of the TA call,
 * on CPU 1.
 */
struct PreemptRun {
	Plat pl;
	TaCall ta{ &pl, 1, { { 200 * kUs, 10 * kUs }, { 1 * kMs, 4 * kMs } } };
	sim_time bh_start = SIM_TIME_MAX;   /* the bottom half's first call on CPU 1 */
	sim_time ta_resumed = SIM_TIME_MAX; /* the TA call's first RETURN_FROM_RPC after the notification */
	const sim_rec *before_switch = nullptr;
	std::string before_label;

	::testing::AssertionResult run(sim_time notify_at, const char *ree, bool warm = true)
	{
		std::string y = std::string("name: p\nplatform: {cpus: 2}\ntransport: {kind: ppi}\nree: ") + ree +
				"\nsources:\n  - {name: t, kind: timer, cpu: 1, arrival: {replay: " + replay(notify_at, warm) +
				"}, bottom_half: 10us}\n";
		auto ok = pl.boot(y);
		if (!ok)
			return ok;
		ta.post();
		pl.run_to(8 * kMs);
		pl.finish();
		for (const auto &c : bh_calls(pl, pl.t0() + notify_at))
			if (c.cpu == 1) {
				bh_start = c.start;
				break;
			}
		for (const auto &r : pl.recs(TR_SMC, pl.t0() + notify_at, NS, 1, kRfr))
			if (r.notif == 0) {
				ta_resumed = r.t;
				break;
			}
		/* what CPU 1 did just before switching to the kworker that ran the bottom half */
		auto acts = pl.recs(TR_ACTIVITY, pl.t0() + notify_at, NS, 1);
		for (size_t i = 1; i < acts.size(); i++)
			if (acts[i].label && !strncmp(acts[i].label, "kworker/1:", 10)) {
				before_label = acts[i - 1].label ? acts[i - 1].label : "";
				break;
			}
		return ::testing::AssertionSuccess();
	}
	/* a replay file of arrival times (after boot) */
	std::string replay(sim_time notify_at, bool warm)
	{
		path = make_temp_dir() + "/arrivals.txt";
		std::string text = warm ? "500us\n" : "";
		text += std::to_string(notify_at / kUs) + "us\n";
		write_file(path, text);
		return path;
	}
	std::string path;
	~PreemptRun()
	{
		if (!path.empty())
			rm_rf(path.substr(0, path.rfind('/')));
	}
	bool preempted() const { return bh_start < ta_resumed && bh_start < ta.done_at; }
};

} // namespace

/*
 * EEVDF (fair.c check_preempt_wakeup_fair): 2 ms into the TA call the task has used up the request it
 * was placed with (update_deadline), so the kworker woken by the notification preempts it: with full
 * preemption at the interrupt's exit (arm64_preempt_schedule_irq), before the call resumes
 * (RETURN_FROM_RPC). The previous model never let a normal task preempt another.
 */
TEST(ReePreempt, EevdfKworkerPreemptsATaCallPastItsRequestAtIrqExit)
{
	PreemptRun r;
	ASSERT_TRUE(r.run(3 * kMs, "{preempt: full}"));
	ASSERT_NE(r.bh_start, SIM_TIME_MAX);
	EXPECT_TRUE(r.preempted()) << "bottom half " << r.bh_start << ", TA resumed " << r.ta_resumed;
	EXPECT_EQ(r.before_label, "irq_exit");
}

/*
 * RUN_TO_PARITY (pick_eevdf, protect_slice): 0.3 ms into the call the TA task is eligible and inside its
 * slice; the kworker, woken with lag 0, waits until the call ends.
 */
TEST(ReePreempt, EevdfKworkerWaitsForATaCallInsideItsSlice)
{
	PreemptRun r;
	ASSERT_TRUE(r.run(1300 * kUs, "{preempt: full}"));
	ASSERT_NE(r.bh_start, SIM_TIME_MAX);
	EXPECT_FALSE(r.preempted());
	EXPECT_GE(r.bh_start, r.ta.done_at);
}

/*
 * ree.preempt: voluntary (CONFIG_PREEMPT_VOLUNTARY, Debian's kernels): no switch at the interrupt's
 * exit to kernel mode; the TA task's RPC loop reaches cond_resched() (smc_abi.c:946,
 * optee_smc_do_call_with_arg) right after the foreign interrupt's return, and switches there: still
 * before RETURN_FROM_RPC, after the ERET. ree.preempt: none behaves the same here (cond_resched
 * is not a might_resched point).
 */
TEST(ReePreempt, VoluntarySwitchesAtCondReschedAfterTheRpcReturn)
{
	for (const char *model : { "{preempt: voluntary}", "{preempt: none}" }) {
		PreemptRun r;
		ASSERT_TRUE(r.run(3 * kMs, model));
		EXPECT_TRUE(r.preempted()) << model;
		EXPECT_EQ(r.before_label, "cond_resched") << model;
	}
}

/*
 * ree.scheduler: cfs (Linux <= 6.5, 6.1's check_preempt_wakeup): the kworker preempts only when the
 * running task's vruntime leads its own by more than sched_wakeup_granularity (1 ms x (1 + ilog2 2) =
 * 2 ms on these 2 CPUs): 1.5 ms into the call it waits, 3 ms into it it preempts. EEVDF preempts at
 * 1.5 ms already: the call has used up its request (slice 0.7 ms x 2).
 */
TEST(ReePreempt, CfsPreemptsOnlyBeyondTheWakeupGranularity)
{
	{
		PreemptRun r;
		ASSERT_TRUE(r.run(2500 * kUs, "{scheduler: cfs}"));
		EXPECT_FALSE(r.preempted());
	}
	{
		PreemptRun r;
		ASSERT_TRUE(r.run(4 * kMs, "{scheduler: cfs}"));
		EXPECT_TRUE(r.preempted());
	}
	{
		PreemptRun r;
		ASSERT_TRUE(r.run(2500 * kUs, "{scheduler: eevdf}"));
		EXPECT_TRUE(r.preempted());
	}
}

namespace {

/*
 * SPI transport, its irq thread (SCHED_FIFO) on CPU 0. A user task is woken on the idle CPU 0 at
 * 999 us to make a 100 us TA call; the context switch takes 10 us (ree.wakeup) with interrupts off, and
 * the notification SPI (a timer on CPU 1 at 1 ms) becomes pending meanwhile: it is taken as the task
 * starts, in kernel mode, and wakes the irq thread. Returns the first yielding call CPU 0 makes after
 * that: the bottom half's (tag PE_NOTIF_ANY) or the TA call's (tag 0).
 */
uint32_t first_call_after_irq_in_switch(const char *preempt)
{
	Plat pl;
	TaCall ta{ &pl, 0, { { 999 * kUs, 100 * kUs } } };
	std::string y = std::string("name: m\nplatform: {cpus: 2, cost_overrides: {ree.wakeup: 10us}}\n"
				    "transport: {kind: spi}\nree: {preempt: ") + preempt + "}\n"
				    "sources:\n  - {name: t, kind: timer, cpu: 1, arrival: {periodic: 1ms}, bottom_half: 10us}\n";
	EXPECT_TRUE(pl.boot(y));
	ta.post();
	pl.run_to(2 * kMs);
	pl.finish();
	sim_time switched = SIM_TIME_MAX, taken = SIM_TIME_MAX;
	for (const auto &r : pl.recs(TR_ACTIVITY, pl.t0() + 999 * kUs, NS, 0))
		if (r.label && !strcmp(r.label, "tacall")) {
			switched = r.t;
			break;
		}
	for (const auto &r : pl.recs(TR_GIC_ACK, pl.t0() + 999 * kUs, -1, 0, 219)) {
		taken = r.t;
		break;
	}
	EXPECT_GT(taken, switched + 10 * kUs) << "the SPI was not taken after the switch: the test shows nothing";
	EXPECT_LT(taken, switched + 12 * kUs);
	for (const auto &r : pl.recs(TR_SMC, pl.t0() + 999 * kUs, NS, 0))
		if (is_call_fid(r.a))
			return r.notif;
	return 1;
}

} // namespace

/*
 * kernel/Kconfig.preempt: voluntary adds might_resched() to might_sleep() (the mutex_lock in
 * optee_get_msg_arg, before the call); none has no such point, so the irq thread woken while the task
 * was in kernel mode waits for the TA call to end; full switched at the interrupt's exit already.
 */
TEST(ReePreempt, MightReschedIsAPointOnlyWithVoluntaryPreemption)
{
	EXPECT_EQ(first_call_after_irq_in_switch("full"), PE_NOTIF_ANY);
	EXPECT_EQ(first_call_after_irq_in_switch("voluntary"), PE_NOTIF_ANY);
	EXPECT_EQ(first_call_after_irq_in_switch("none"), 0u);
}

/*
 * A wake-up that no CPU of the model makes (a workload's TA request: ree_wake from NULL) while its CPU
 * is in the secure world, serving a secure FIQ taken from the idle loop. Linux: the wake-up reaches
 * the CPU as an interrupt (try_to_wake_up -> resched_curr -> smp_send_reschedule, kernel/sched/core.c)
 * that stays pending while the CPU is in the secure world, and do_idle() loops while
 * (!need_resched()) around the WFI the FIQ ended (kernel/sched/idle.c): once the monitor returns the
 * CPU to its idle loop, the task runs. The model dropped that kick and left the CPU idle with the task
 * runnable until something else interrupted it (found by a random --check run: thread-limit.yaml with
 * 1-of-N routing, seed 617256, lost a fetched value; hotplug-spi.yaml's ta/1 waited 2.05 ms).
 * docs/protocol.md §8.5.
 */
TEST(ReeSched, WakeWhileTheCpuServesASecureFiqRunsWhenItReturns)
{
	constexpr sim_time kFiqAt = 1 * kMs, kWakeAt = kFiqAt + 1 * kUs;
	Plat pl;
	std::string dir = make_temp_dir(), arrivals = dir + "/arrivals.txt";
	write_file(arrivals, std::to_string(kFiqAt / kUs) + "us\n");
	/* the notification's SPI goes to CPU 0 (ree.irq_affinity 0): CPU 1 takes no Non-secure interrupt */
	std::string y = "name: w\nplatform: {cpus: 2}\ntransport: {kind: spi}\nsources:\n"
			"  - {name: t, kind: timer, cpu: 1, arrival: {replay: " + arrivals + "}, bottom_half: 10us}\n";
	auto ok = pl.boot(y);
	rm_rf(dir);
	ASSERT_TRUE(ok);
	TaCall ta{ &pl, 1, { { kWakeAt, 10 * kUs } } };
	ta.post();
	pl.run_to(5 * kMs);
	pl.finish();

	/* the wake-up came while CPU 1 was in the secure world (after the FIQ's entry, before the return) */
	auto entries = pl.recs(TR_EXC_ENTRY, pl.t0() + kFiqAt, -1, 1);
	ASSERT_FALSE(entries.empty());
	sim_time fiq = entries.front().t, back = SIM_TIME_MAX;
	for (const auto &r : pl.recs(TR_ACTIVITY, fiq, NS, 1)) { /* the first step back in the normal world */
		back = r.t;
		break;
	}
	ASSERT_LT(fiq, pl.t0() + kWakeAt);
	ASSERT_GT(back, pl.t0() + kWakeAt);
	ASSERT_NE(back, SIM_TIME_MAX);

	/* the TA call's first SMC on CPU 1: right after the return (the wake-up and the call's set-up), not never */
	sim_time call = SIM_TIME_MAX;
	for (const auto &r : pl.recs(TR_SMC, back, NS, 1))
		if (is_call_fid(r.a)) {
			call = r.t;
			break;
		}
	ASSERT_NE(call, SIM_TIME_MAX) << "CPU 1 never ran the TA task woken while it was in the secure world";
	EXPECT_LT(call - back, 20 * kUs);
	EXPECT_NE(ta.done_at, SIM_TIME_MAX);
}

/*
 * Linux drivers/tee/optee/call.c optee_cq_wait_final(): a call that ends completes one waiter, and
 * a second one when its own waiter had been completed while it ran (another call's end picked it as
 * the first member of the queue not yet completed): that completion stands for a thread that is
 * free too. With 2 OP-TEE threads, A (2 ms) and D (100 us) run, B (1 ms) and C (100 us) wait: in
 * optee_cq_wait_init before their SMC (6.8+: no thread free by the driver's count), or after
 * ETHREAD_LIMIT (before 6.8). D's end completes A, the first member not yet completed though it is
 * running, so B and C sleep on beside a free thread; A's end completes B, and C for the completion A
 * got: C runs beside B and ends first. The model completed one waiter only, so C waited for B's end
 * (docs/protocol.md §1.9).
 */
static void second_completion(const char *call_queue)
{
	SCOPED_TRACE(call_queue);
	Plat pl;
	auto ok = pl.boot(std::string("name: cq\nplatform: {cpus: 4}\ntee: {threads: 2}\ntransport: {kind: spi}\n"
				      "ree: {call_queue: ") + call_queue + "}\n");
	ASSERT_TRUE(ok);
	TaCall a{ &pl, 0, { { 1 * kMs, 2 * kMs } } };
	TaCall d{ &pl, 1, { { 1 * kMs + 10 * kUs, 100 * kUs } } };
	TaCall b{ &pl, 2, { { 1 * kMs + 20 * kUs, 1 * kMs } } };
	TaCall c{ &pl, 3, { { 1 * kMs + 30 * kUs, 100 * kUs } } };
	for (TaCall *t : { &a, &d, &b, &c })
		t->post();
	pl.run_to(10 * kMs);
	pl.finish();
	for (TaCall *t : { &a, &d, &b, &c })
		ASSERT_NE(t->done_at, SIM_TIME_MAX);
	size_t eth = pl.recs(TR_SMC_RET, pl.t0(), NS, 2, OPTEE_SMC_CALL_WITH_REGD_ARG).size() +
		     pl.recs(TR_SMC_RET, pl.t0(), NS, 3, OPTEE_SMC_CALL_WITH_REGD_ARG).size();
	size_t waits = 0;
	for (const auto &r : pl.recs(TR_EVENT, pl.t0()))
		waits += r.code == SIM_EV_CQ_WAIT;
	if (!strcmp(call_queue, "ethread_limit")) {
		/* B and C waited: each met ETHREAD_LIMIT (a return of the call SMC before its final one) */
		EXPECT_GE(eth, 4u);
	} else {
		/* B and C waited before their SMC: each made one call SMC, answered once */
		EXPECT_EQ(eth, 2u);
	}
	EXPECT_GE(waits, 2u);
	EXPECT_LT(d.done_at, a.done_at);
	EXPECT_LT(c.done_at, b.done_at) << "C ended at " << c.done_at << ", B at " << b.done_at;
	EXPECT_LT(c.done_at - a.done_at, 500 * kUs);
	EXPECT_GT(c.done_at, a.done_at) << "C ran before A ended: D's completion went to a waiter";
}

TEST(ReeCallQueue, AnEndingCallThatWasCompletedPassesOnASecondCompletion)
{
	second_completion("thread_count");
	second_completion("ethread_limit");
}

/*
 * OP-TEE core/arch/arm/kernel/thread.c init_regs(): a yielding call's thread starts with foreign
 * interrupts masked; core/tee/entry_std.c __tee_entry_std() unmasks them (thread_set_foreign_intr)
 * once the argument has been read, before the command runs (docs/protocol.md §1.9). A Non-secure
 * interrupt (a normal-world device on CPU 1) that arrives in the middle of a TA call's entry
 * (tee.std_entry) is taken as a foreign interrupt only at that point, not at once. A first run finds
 * the entry (from its thread's step to "TA invoke"); the second puts the interrupt in its middle.
 */
TEST(TeeEntry, ForeignInterruptsWaitUntilTheEntryHasReadTheArgument)
{
	std::string dir = make_temp_dir(), rx = dir + "/rx.txt";
	auto scenario = [&](double at_us) {
		write_file(rx, at_us > 0 ? std::to_string(at_us) + "us\n" : "");
		return "name: e\nplatform: {cpus: 2}\ntransport: {kind: spi}\n"
		       "sources:\n  - {name: eth, world: normal, kind: uart, intid: 60, cpu: 1, arrival: {replay: " +
		       rx + "}, top_half: 2us, bottom_half: 5us}\n";
	};
	sim_time entry = 0, dispatch = 0;
	{
		Plat pl;
		ASSERT_TRUE(pl.boot(scenario(0)));
		TaCall ta{ &pl, 1, { { 1 * kMs, 100 * kUs } } };
		ta.post();
		pl.run_to(3 * kMs);
		pl.finish();
		for (const auto &r : pl.recs(TR_ACTIVITY, pl.t0() + 1 * kMs, S, 1)) {
			if (r.label && !strncmp(r.label, "OP-TEE thread ", 14) && !entry)
				entry = r.t - pl.t0();
			if (r.label && !strcmp(r.label, "TA invoke") && entry) {
				dispatch = r.t - pl.t0();
				break;
			}
		}
		ASSERT_GT(entry, 0u);
		ASSERT_GT(dispatch, entry + 1 * kUs) << "the entry is too short to aim at";
	}
	Plat pl;
	sim_time at = entry + (dispatch - entry) / 2;
	auto ok = pl.boot(scenario((double)at / kUs));
	rm_rf(dir);
	ASSERT_TRUE(ok);
	TaCall ta{ &pl, 1, { { 1 * kMs, 100 * kUs } } };
	ta.post();
	pl.run_to(3 * kMs);
	pl.finish();
	sim_time exit = SIM_TIME_MAX;
	for (const auto &r : pl.recs(TR_EVENT, pl.t0() + entry, -1, 1))
		if (r.code == SIM_EV_FOREIGN_INTR) {
			exit = r.t - pl.t0();
			break;
		}
	ASSERT_NE(exit, SIM_TIME_MAX) << "the interrupt never made the call exit";
	EXPECT_GE(exit, dispatch) << "taken at " << exit << " inside the entry (" << entry << " to " << dispatch << ")";
	EXPECT_LT(exit, dispatch + 2 * kUs);
	EXPECT_NE(ta.done_at, SIM_TIME_MAX);
}
