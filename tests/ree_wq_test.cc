// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/ree_wq_test.cc: the Linux model's workqueues (models/ree/ree_wq.c)
 * and what rides on them, against the Linux 6.12 rules they follow, on the
 * whole platform (tests/ree_harness.h): one bottom-half work item per
 * driver and the non-reentrancy rule (issue 12 point 1), concurrency
 * management (point 7), the FF-A bottom half on its own workqueue (point
 * 6), and where queue_work and remote wake-ups are paid (point 12).
 *
 * Upstream sources cited: Linux 6.12 kernel/workqueue.c ("wq.c"),
 * drivers/tee/optee/smc_abi.c, ffa_abi.c, call.c,
 * drivers/firmware/arm_ffa/driver.c; the facts are collected in the
 * project's fidelity research notes for issue 12.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "ree_harness.h"

using namespace ree_test;

namespace {

/* The largest number of bottom-half calls in flight at one instant, over all CPUs. */
unsigned max_concurrent(std::vector<Call> calls)
{
	std::vector<std::pair<sim_time, int>> ev;
	for (const auto &c : calls) {
		ev.push_back({ c.start, +1 });
		ev.push_back({ c.end, -1 });
	}
	std::sort(ev.begin(), ev.end(), [](const auto &a, const auto &b) {
		return a.first != b.first ? a.first < b.first : a.second < b.second; /* ends first */
	});
	int cur = 0, best = 0;
	for (const auto &e : ev)
		best = std::max(best, cur += e.second);
	return (unsigned)best;
}

/*
 * RPC NOTIFICATION exits (OP-TEE's notif mutex contended, wait_queue.c): the SMC ABI's secure
 * CALL_DONE with a0 = OPTEE_SMC_RETURN_RPC_CMD (no other RPC command occurs in these scenarios); for
 * FF-A, whose w4 the record does not hold, the OP-TEE model's "OP-TEE RPC exit" step.
 */
unsigned rpc_notification_exits(const PlatHarness &pl, sim_time from)
{
	unsigned n = 0;
	for (const auto &r : pl.recs(TR_SMC, from, S))
		n += (r.a == kCallDone && r.b == OPTEE_SMC_RETURN_RPC_CMD) ||
		     ((uint32_t)r.a == FFA_MSG_SEND_DIRECT_RESP_32 && r.label && !strcmp(r.label, "OP-TEE RPC exit"));
	return n;
}

/* Four secure timers, one per CPU, in bursts at the same instants: four CPUs queue the bottom half at once. */
std::string four_cpu_bursts(const std::string &transport, const char *burst = "{count: 3, every: 400us, spacing: 5us}",
			    const char *bh = "40us")
{
	std::string y = "name: bursts\nplatform: {cpus: 4}\ntransport: " + transport + "\nsources:\n";
	for (int c = 0; c < 4; c++)
		y += "  - {name: t" + std::to_string(c) + ", kind: timer, cpu: " + std::to_string(c) +
		     ", arrival: {burst: " + burst + "}, bottom_half: " + bh + "}\n";
	return y;
}

} // namespace

// ---- point 1: one per-CPU work item, non-reentrant ------------------------------------------------

/*
 * smc_abi.c init_pcpu_irq: ONE notif_pcpu_work on create_workqueue("optee_pcpu_notification");
 * wq.c __queue_work -> find_worker_executing_work (non-reentrancy), process_one_work. Four CPUs take
 * the PPI at once and each queues the one item: it runs on one CPU at a time, so OP-TEE's notif mutex
 * is never contended (no RPC NOTIFICATION exit), where one item per CPU ran four bottom halves at once.
 */
TEST(WqPerCpuItem, PpiBurstsOnFourCpusNeverRunTwoBottomHalvesAtOnce)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(four_cpu_bursts("{kind: ppi}")));
	pl.run_to(3 * SIM_MS);
	pl.finish();
	auto calls = bh_calls(pl, pl.t0());
	ASSERT_GE(calls.size(), 4u);
	for (const auto &c : calls)
		ASSERT_NE(c.end, SIM_TIME_MAX) << "a bottom half never ended on CPU " << c.cpu;
	EXPECT_EQ(max_concurrent(calls), 1u);
	EXPECT_EQ(rpc_notification_exits(pl, pl.t0()), 0u);
	double lost = -1;
	ASSERT_TRUE(stats_metric(pl.p->stats, "lost", &lost));
	EXPECT_EQ(lost, 0.0);
}

/* The same with the donated SGI to all-but-self: three CPUs race for each value; one item still. */
TEST(WqPerCpuItem, SgiAllButSelfBurstsNeverRunTwoBottomHalvesAtOnce)
{
	Plat pl;
	ASSERT_TRUE(pl.boot("name: b\nplatform: {cpus: 4}\ntransport: {kind: sgi, target: all-but-self}\n"
			    "sources:\n  - {name: t, kind: timer, cpu: 0, arrival: {burst: {count: 8, every: 500us, "
			    "spacing: 12us}}, bottom_half: 60us}\n"));
	pl.run_to(3 * SIM_MS);
	pl.finish();
	auto calls = bh_calls(pl, pl.t0());
	ASSERT_GE(calls.size(), 4u);
	EXPECT_EQ(max_concurrent(calls), 1u);
	EXPECT_EQ(rpc_notification_exits(pl, pl.t0()), 0u);
}

/* driver.c ffa_init_pcpu_irq: ONE sched_recv_irq_work on "ffa_pcpu_irq_notification"; same rule. */
TEST(WqPerCpuItem, FfaSriBurstsOnFourCpusNeverRunTwoBottomHalvesAtOnce)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(four_cpu_bursts("{kind: ffa}", "{count: 4, every: 500us, spacing: 30us}", "60us")));
	pl.run_to(3 * SIM_MS);
	pl.finish();
	auto calls = bh_calls(pl, pl.t0());
	ASSERT_GE(calls.size(), 2u);
	EXPECT_EQ(max_concurrent(calls), 1u);
	EXPECT_EQ(rpc_notification_exits(pl, pl.t0()), 0u);
}

/*
 * wq.c __queue_work: "If @work was previously on a different pool, it might still be running there, in
 * which case the work needs to be queued on that pool to guarantee non-reentrancy"; the pwq is at
 * max_active (1), so the item waits on pwq->inactive_works and runs again on the SAME CPU after the
 * running instance (pwq_dec_nr_active -> pwq_activate_first_inactive). A timer on CPU 1 starts a long
 * bottom half there; a timer on CPU 2 fires during it; CPU 2 takes the PPI, fetches DO_BOTTOM_HALF and
 * queues the item, which runs next on CPU 1, and CPU 2 makes no yielding call at all.
 */
TEST(WqPerCpuItem, RequeueWhileRunningRunsAgainOnTheOriginalCpu)
{
	Plat pl;
	ASSERT_TRUE(pl.boot("name: r\nplatform: {cpus: 4}\ntransport: {kind: ppi}\n"
			    "sources:\n"
			    "  - {name: a, kind: timer, cpu: 1, arrival: {periodic: 1ms}, bottom_half: 300us}\n"
			    "  - {name: b, kind: timer, cpu: 2, arrival: {periodic: 1100us}, bottom_half: 10us}\n"));
	pl.run_to(1900 * SIM_US);
	pl.finish();
	auto calls = bh_calls(pl, pl.t0());
	ASSERT_EQ(calls.size(), 2u);
	EXPECT_EQ(calls[0].cpu, 1);
	EXPECT_EQ(calls[1].cpu, 1) << "the re-queued item ran on CPU " << calls[1].cpu;
	EXPECT_GE(calls[1].start, calls[0].end) << "it ran while the first run was in flight";
	/* CPU 2 did fetch the value: its GET found DO_BOTTOM_HALF */
	bool fetched_on_2 = false;
	for (const auto &r : pl.recs(TR_SMC_RET, pl.t0(), NS, 2, kGet))
		fetched_on_2 |= (r.d & OPTEE_SMC_ASYNC_NOTIF_VALID) && r.c == OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF;
	EXPECT_TRUE(fetched_on_2);
}

// ---- point 7: concurrency-managed workqueues ------------------------------------------------------

namespace {

/*
 * A work item of the test's own: it runs @run_for, then either ends or, if @block, sleeps
 * (wait_for_completion) until the test completes it.
 */
struct TestWork {
	Plat *pl;
	ree_work work{};
	sim_time run_for = 5 * SIM_US;
	bool block = false;
	bool completed = false;
	ree_task *task = nullptr;
	int cpu = -1;
	sim_time start = SIM_TIME_MAX, end = SIM_TIME_MAX;

	explicit TestWork(Plat *p, const char *name) : pl(p) { ree_init_work(&work, fn, this, name); }
	static TestWork *of(const ree_task *t) { return static_cast<TestWork *>(ree_current_work(t)->data); }
	static void fn(ree_task *t, struct pe *pe)
	{
		TestWork *w = of(t);
		w->task = t;
		w->cpu = (int)pe_id(pe);
		w->start = sim_now(w->pl->p->sim.k);
		pe_exec(pe, w->run_for, "test work", after, t);
	}
	static void after(void *ctx, struct pe *pe)
	{
		ree_task *t = static_cast<ree_task *>(ctx);
		TestWork *w = of(t);
		if (w->block && !w->completed) {
			ree_block(t->r, pe, resumed);
			return;
		}
		w->end = sim_now(w->pl->p->sim.k);
		ree_work_done(t->r, pe);
	}
	static void resumed(ree_task *t, struct pe *pe) { after(t, pe); }
	static void complete(void *ctx, uint64_t)
	{
		TestWork *w = static_cast<TestWork *>(ctx);
		w->completed = true;
		ree_wake(w->pl->p->ree, w->task, nullptr);
	}
	/* complete() after @delay */
	void complete_at(sim_time delay) { sim_post(pl->p->sim.k, delay, complete, this, 0); }
	bool ran() const { return end != SIM_TIME_MAX; }
};

/* queue_work_on(@cpu, @wq, @w) after @delay, from no CPU (a test event). */
struct QueueOn {
	Plat *pl;
	ree_wq *wq;
	TestWork *w;
	unsigned cpu;
	static void fire(void *ctx, uint64_t)
	{
		QueueOn *q = static_cast<QueueOn *>(ctx);
		ree_queue_work_on(q->pl->p->ree, q->cpu, q->wq, &q->w->work, nullptr);
	}
	void post(sim_time delay) { sim_post(pl->p->sim.k, delay, fire, this, 0); }
};

const char *kIdle2 = "name: idle\nplatform: {cpus: 2}\ntransport: {kind: ppi}\n";

} // namespace

/*
 * wq.c wq_worker_sleeping (called from sched_submit_work when a worker blocks): nr_running drops and
 * kick_pool wakes an idle worker of the same pool, so an item of another workqueue runs on CPU 1
 * while the first one sleeps; worker_thread's manage_workers keeps an idle worker in reserve.
 */
TEST(WqConcurrency, BlockedItemLetsAnotherWorkqueueRunOnAnotherKworker)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kIdle2));
	ree_wq *wa = ree_create_workqueue(pl.p->ree, "test-a"), *wb = ree_create_workqueue(pl.p->ree, "test-b");
	TestWork a(&pl, "a"), b(&pl, "b");
	a.block = true;
	QueueOn qa{ &pl, wa, &a, 1 }, qb{ &pl, wb, &b, 1 };
	qa.post(100 * SIM_US);
	qb.post(150 * SIM_US);
	a.complete_at(400 * SIM_US);
	pl.run_to(1 * SIM_MS);
	ASSERT_TRUE(a.ran());
	ASSERT_TRUE(b.ran());
	EXPECT_EQ(a.cpu, 1);
	EXPECT_EQ(b.cpu, 1);
	EXPECT_LT(b.end, a.end) << "b waited for a's sleep to end";
	EXPECT_NE(b.task, a.task) << "b ran in the sleeping worker";
	EXPECT_LT(b.start, pl.t0() + 200 * SIM_US);
}

/*
 * max_active 1 per (workqueue, CPU) still holds while the active item sleeps (pwq->nr_active counts it
 * until process_one_work returns): a second item of the same workqueue waits in the inactive list.
 */
TEST(WqConcurrency, SleepingItemHoldsBackItsOwnWorkqueue)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kIdle2));
	ree_wq *wa = ree_create_workqueue(pl.p->ree, "test-a");
	TestWork a(&pl, "a"), a2(&pl, "a2");
	a.block = true;
	QueueOn q1{ &pl, wa, &a, 1 }, q2{ &pl, wa, &a2, 1 };
	q1.post(100 * SIM_US);
	q2.post(150 * SIM_US);
	a.complete_at(400 * SIM_US);
	pl.run_to(1 * SIM_MS);
	ASSERT_TRUE(a.ran());
	ASSERT_TRUE(a2.ran());
	EXPECT_GE(a2.start, a.end) << "the second item of the same workqueue ran while the first slept";
	EXPECT_EQ(a2.cpu, 1);
}

/*
 * Preemption is not sleeping (preempt_schedule does not go through sched_submit_work): a kworker
 * preempted by a SCHED_FIFO task stays in nr_running, so no other worker starts the next item; the
 * preempted worker takes it after its own (keep_working).
 */
TEST(WqConcurrency, PreemptedWorkerWakesNoOther)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kIdle2));
	ree_wq *wa = ree_create_workqueue(pl.p->ree, "test-a"), *wb = ree_create_workqueue(pl.p->ree, "test-b");
	TestWork a(&pl, "a"), b(&pl, "b");
	a.run_for = 200 * SIM_US;
	QueueOn qa{ &pl, wa, &a, 1 }, qb{ &pl, wb, &b, 1 };
	qa.post(100 * SIM_US);
	qb.post(150 * SIM_US);
	struct Fifo {
		static void run(ree_task *t, struct pe *pe) { pe_exec(pe, 100 * SIM_US, "fifo", done, t); }
		static void done(void *ctx, struct pe *pe)
		{
			ree_block(static_cast<ree_task *>(ctx)->r, pe, ree_task_park);
		}
		static void wake(void *ctx, uint64_t) { ree_wake(static_cast<ree_task *>(ctx)->r, static_cast<ree_task *>(ctx), nullptr); }
	};
	ree_task *fifo = ree_task_new(pl.p->ree, "fifo", 1, PRIO_FIFO, REE_KTHREAD, Fifo::run);
	sim_post(pl.p->sim.k, 140 * SIM_US, Fifo::wake, fifo, 0);
	pl.run_to(1 * SIM_MS);
	ASSERT_TRUE(a.ran());
	ASSERT_TRUE(b.ran());
	EXPECT_GE(b.start, a.end) << "another worker ran b while a's worker was only preempted";
	EXPECT_EQ(b.task, a.task);
	EXPECT_GE(a.end, pl.t0() + 400 * SIM_US) << "a was not preempted: the test shows nothing";
}

// ---- point 6: the FF-A bottom half on its own workqueue --------------------------------------------

namespace {

/*
 * FF-A, one OP-TEE thread, held 0.9-1.3 ms by a secure masked call on CPU 0. A timer on CPU 1 at 1 ms
 * makes the bottom half meet FFA_BUSY and sleep in optee_cq_wait_for_completion; a second timer on
 * CPU 1 at 1.1 ms raises the SRI again while it sleeps.
 */
std::string ffa_busy(const char *bh)
{
	return std::string("name: ffa-busy\nplatform: {cpus: 2}\ntransport: {kind: ffa, ffa_bottom_half: ") + bh +
	       "}\ntee: {threads: 1}\n"
	       "sources:\n"
	       "  - {name: a, kind: timer, cpu: 1, arrival: {periodic: 1ms}, bottom_half: 20us}\n"
	       "  - {name: b, kind: timer, cpu: 1, arrival: {periodic: 1100us}, bottom_half: 20us}\n"
	       "timeline:\n  - {at: 900us, mask_window: {cpu: 0, world: secure, for: 400us}}\n";
}

/* From the bottom half's FFA_BUSY on CPU 1 to its reissue: the INFO_GETs CPU 1 made meanwhile. */
unsigned info_gets_while_bh_sleeps(const Plat &pl, sim_time *busy_out)
{
	sim_time busy = SIM_TIME_MAX, reissue = SIM_TIME_MAX;
	for (const auto &r : pl.recs(TR_EVENT, pl.t0(), NS, 1))
		if (r.code == SIM_EV_CQ_WAIT) {
			busy = r.t;
			break;
		}
	*busy_out = busy;
	if (busy == SIM_TIME_MAX)
		return 0;
	for (const auto &r : pl.recs(TR_SMC, busy, NS, 1, FFA_MSG_SEND_DIRECT_REQ_32))
		if (r.notif == PE_NOTIF_ANY && (uint32_t)r.d == OPTEE_FFA_YIELDING_CALL_WITH_ARG) {
			reissue = r.t;
			break;
		}
	unsigned n = 0;
	for (const auto &r : pl.recs(TR_SMC, busy, NS, 1, FFA_NOTIFICATION_INFO_GET_64))
		n += r.t < reissue;
	return n;
}

} // namespace

/*
 * ffa_abi.c notif_callback (Linux 6.12.37+, v6.16: "optee: ffa: fix sleep in atomic context") queues
 * notif_work on create_workqueue("optee_notification") instead of calling optee_do_bottom_half; so the
 * SRI work returns at once, and while the bottom half sleeps (FFA_BUSY) a new SRI's work runs on another
 * kworker of the pool (wq_worker_sleeping; different workqueues): CPU 1 makes an INFO_GET meanwhile.
 * The bottom half's context is notif_work_fn, after the GET that fetched the value.
 */
TEST(FfaBottomHalf, WorkqueueFormLetsTheSriWorkRunWhileTheBottomHalfSleeps)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(ffa_busy("workqueue")));
	pl.run_to(2 * SIM_MS);
	pl.finish();
	sim_time busy;
	EXPECT_GE(info_gets_while_bh_sleeps(pl, &busy), 1u);
	ASSERT_NE(busy, SIM_TIME_MAX) << "the bottom half never met FFA_BUSY: the test shows nothing";
	double lost = -1;
	ASSERT_TRUE(stats_metric(pl.p->stats, "lost", &lost));
	EXPECT_EQ(lost, 0.0);
}

/*
 * The bottom-half context (NOTIF_BH_CTX) of FF-A is notif_work_fn: after the NOTIFICATION_GET that
 * fetched DO_BOTTOM_HALF and before the direct request that runs it (it was the SRI work's start,
 * before INFO_GET, so fetched_to_bh_ctx measured nothing).
 */
TEST(FfaBottomHalf, ContextStartsAfterTheGetThatFetchedTheValue)
{
	Plat pl;
	ASSERT_TRUE(pl.boot("name: i\nplatform: {cpus: 4}\ntransport: {kind: ffa}\n"
			    "sources:\n  - {name: u, cpu: 1, arrival: {periodic: 1ms}}\n"));
	pl.run_to(1500 * SIM_US);
	pl.finish();
	auto get = pl.recs(TR_SMC_RET, pl.t0(), NS, 1, FFA_NOTIFICATION_GET);
	auto req = pl.recs(TR_SMC, pl.t0(), NS, 1, FFA_MSG_SEND_DIRECT_REQ_32);
	auto ctx = pl.recs(TR_NOTIF, pl.t0(), NS, 1, NOTIF_BH_CTX);
	ASSERT_EQ(get.size(), 1u);
	ASSERT_EQ(req.size(), 1u);
	ASSERT_GE(ctx.size(), 1u);
	EXPECT_GE(ctx[0].t, get[0].t);
	EXPECT_LE(ctx[0].t, req[0].t);
	double n = -1;
	ASSERT_TRUE(stats_metric(pl.p->stats, "latency.fetched_to_bh_ctx.count", &n));
	EXPECT_EQ(n, 1.0);
}

/*
 * transport.ffa_bottom_half: inline reproduces 6.8 to 6.12.36: notif_callback runs the bottom half
 * inside sched_recv_irq_work, so while it sleeps the next SRI's work waits in the inactive list of
 * ffa_pcpu_irq_notification (max_active 1): no INFO_GET until the bottom half is reissued.
 */
TEST(FfaBottomHalf, InlineFormHoldsTheSriWorkWhileTheBottomHalfSleeps)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(ffa_busy("inline")));
	pl.run_to(2 * SIM_MS);
	pl.finish();
	sim_time busy;
	EXPECT_EQ(info_gets_while_bh_sleeps(pl, &busy), 0u);
	ASSERT_NE(busy, SIM_TIME_MAX) << "the bottom half never met FFA_BUSY: the test shows nothing";
	double lost = -1;
	ASSERT_TRUE(stats_metric(pl.p->stats, "lost", &lost));
	EXPECT_EQ(lost, 0.0);
}

// ---- point 12: ree.queue_work and ree.wakeup_remote are charged where upstream pays them -----------

namespace {

/* The time from each "queue_work" activity on @cpu to the next activity there. */
std::vector<sim_time> queue_work_steps(const Plat &pl, int cpu)
{
	std::vector<sim_time> v;
	auto acts = pl.recs(TR_ACTIVITY, pl.t0(), -1, cpu);
	for (size_t i = 0; i + 1 < acts.size(); i++)
		if (acts[i].label && !strcmp(acts[i].label, "queue_work"))
			v.push_back(acts[i + 1].t - acts[i].t);
	return v;
}

std::string isolated_on(const std::string &transport, unsigned cpu, const char *overrides)
{
	return "name: i\nplatform: {cpus: 4, cost_overrides: {" + std::string(overrides) + "}}\ntransport: " +
	       transport + "\nsources:\n  - {name: u, cpu: " + std::to_string(cpu) + ", arrival: {periodic: 1ms}}\n";
}

} // namespace

/* smc_abi.c notif_pcpu_irq_handler: queue_work() in the hard IRQ handler, once per bottom half. */
TEST(ReeCosts, QueueWorkIsPaidInThePerCpuHardIrq)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(isolated_on("{kind: ppi}", 2, "ree.queue_work: 7us")));
	pl.run_to(1500 * SIM_US);
	pl.finish();
	EXPECT_EQ(queue_work_steps(pl, 2), std::vector<sim_time>{ 7 * SIM_US });
	/* inside the hard IRQ: before the EOI of the PPI */
	auto q = pl.recs(TR_ACTIVITY, pl.t0(), NS, 2);
	sim_rec eoi{};
	for (const auto &r : pl.recs(TR_ACTIVITY, pl.t0(), NS, 2))
		if (r.label && !strcmp(r.label, "gic eoi")) {
			eoi = r;
			break;
		}
	ASSERT_GT(eoi.t, 0u);
	for (const auto &r : q) {
		if (r.label && !strcmp(r.label, "queue_work")) {
			EXPECT_LT(r.t, eoi.t);
		}
	}
}

/*
 * driver.c ffa_sched_recv_irq_handler (hard IRQ) and ffa_abi.c notif_callback (in the SRI work) each
 * queue_work(): two per notification with the workqueue bottom half, one with the inline form.
 */
TEST(ReeCosts, QueueWorkIsPaidInTheSriHandlerAndInNotifCallback)
{
	{
		Plat pl;
		ASSERT_TRUE(pl.boot(isolated_on("{kind: ffa}", 1, "ree.queue_work: 7us")));
		pl.run_to(1500 * SIM_US);
		pl.finish();
		EXPECT_EQ(queue_work_steps(pl, 1), (std::vector<sim_time>{ 7 * SIM_US, 7 * SIM_US }));
	}
	{
		Plat pl;
		ASSERT_TRUE(pl.boot(isolated_on("{kind: ffa, ffa_bottom_half: inline}", 1, "ree.queue_work: 7us")));
		pl.run_to(1500 * SIM_US);
		pl.finish();
		EXPECT_EQ(queue_work_steps(pl, 1), std::vector<sim_time>{ 7 * SIM_US });
	}
}

/*
 * A try_to_wake_up whose target is another CPU costs ree.wakeup_remote, not ree.wakeup: the call
 * queue's completion (call.c optee_cq_wait_final -> complete()) from the masked call ending on CPU 0
 * wakes the bottom half sleeping in the call queue on CPU 1 (since Linux 6.8 before its SMC: the
 * driver's count has no thread free); its switch-in takes the remote cost.
 */
TEST(ReeCosts, CallQueueCompletionOfAWaiterOnAnotherCpuPaysWakeupRemote)
{
	Plat pl;
	ASSERT_TRUE(pl.boot("name: w\nplatform: {cpus: 2, cost_overrides: {ree.wakeup: 2us, ree.wakeup_remote: 50us}}\n"
			    "transport: {kind: ppi}\ntee: {threads: 1}\n"
			    "sources:\n  - {name: a, kind: timer, cpu: 1, arrival: {periodic: 1ms}, bottom_half: 20us}\n"
			    "timeline:\n  - {at: 900us, mask_window: {cpu: 0, world: secure, for: 400us}}\n"));
	pl.run_to(1800 * SIM_US);
	pl.finish();
	sim_time busy = SIM_TIME_MAX;
	for (const auto &r : pl.recs(TR_EVENT, pl.t0(), NS, 1))
		if (r.code == SIM_EV_CQ_WAIT) {
			busy = r.t;
			break;
		}
	ASSERT_NE(busy, SIM_TIME_MAX) << "the bottom half never waited: the test shows nothing";
	/* the waiter's switch-in on CPU 1, then its reissued call */
	sim_time sw = SIM_TIME_MAX, reissue = SIM_TIME_MAX;
	for (const auto &r : pl.recs(TR_ACTIVITY, busy, NS, 1))
		if (r.label && !strncmp(r.label, "kworker/1:", 10)) {
			sw = r.t;
			break;
		}
	ASSERT_NE(sw, SIM_TIME_MAX);
	for (const auto &r : pl.recs(TR_SMC, sw, NS, 1))
		if (is_call_fid(r.a)) {
			reissue = r.t;
			break;
		}
	ASSERT_NE(reissue, SIM_TIME_MAX);
	EXPECT_GE(reissue - sw, 50 * SIM_US);
	EXPECT_LT(reissue - sw, 60 * SIM_US);
}
