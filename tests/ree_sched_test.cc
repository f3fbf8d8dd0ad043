// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/ree_sched_test.cc: the Linux model's workqueues and scheduler
 * (models/ree/ree_wq.c, ree_sched.c, ree_fair.c) against the Linux 6.12
 * rules they follow, on the whole platform (tests/plat_harness.h) and, for
 * the fair class's arithmetic, on one run queue alone.
 *
 * The bottom half's yielding call is found in the trace by its tag: the
 * Linux model starts DO_BOTTOM_HALF as a path serving PE_NOTIF_ANY
 * (models/cpu/pe.h, Tags), and a TA invocation serves nothing (tag 0). The
 * call is in flight on a CPU from its first Non-secure CALL_WITH_*ARG (or
 * FFA_MSG_SEND_DIRECT_REQ) to the return that ends it (OPTEE_SMC_RETURN_OK,
 * or the direct response that is not an RPC).
 *
 * Upstream sources cited: Linux 6.12 kernel/workqueue.c ("wq.c"),
 * kernel/sched/fair.c, kernel/sched/core.c, drivers/tee/optee/smc_abi.c,
 * ffa_abi.c, drivers/firmware/arm_ffa/driver.c; the facts are collected in
 * the project's fidelity research notes for issue 12.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "plat_harness.h"

namespace {

constexpr uint32_t kRfr = OPTEE_SMC_CALL_RETURN_FROM_RPC;
constexpr int NS = SIM_WORLD_NS, S = SIM_WORLD_S;

struct Plat : PlatHarness {
	Plat() : PlatHarness("ree_sched.yaml") {}
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

bool is_call_fid(uint64_t fid)
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
std::vector<Call> bh_calls(const PlatHarness &pl, sim_time from)
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

/* RPC NOTIFICATION exits (OP-TEE's notif mutex contended): secure CALL_DONE with a1 = RPC_CMD. */
unsigned rpc_notification_exits(const PlatHarness &pl, sim_time from)
{
	unsigned n = 0;
	for (const auto &r : pl.recs(TR_SMC, from, S))
		n += r.label && !strcmp(r.label, "OP-TEE RPC exit");
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
	ree_task *fifo = ree_task_new(pl.p->ree, "fifo", 1, PRIO_FIFO, Fifo::run);
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
		if (r.label && !strcmp(r.label, "optee: ETHREAD_LIMIT, waiting")) {
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
 * wakes the bottom half sleeping on ETHREAD_LIMIT on CPU 1; its switch-in takes the remote cost.
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
		if (r.label && !strcmp(r.label, "optee: ETHREAD_LIMIT, waiting")) {
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
		task = ree_task_new(pl->p->ree, "tacall", (int)cpu, prio, start);
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
