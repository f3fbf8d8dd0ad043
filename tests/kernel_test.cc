// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/kernel_test.cc: the native event kernel against its contract
 * (sim/kernel/kernel.h). One behaviour per test.
 */
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/kernel/kernel.h"
#include "sim/kernel/rng.h"
#include "testutil.h"

namespace {

/* The shared event log (tests/testutil.h), on the native kernel unless told. */
using Log = EventLog;

} // namespace

/* kernel.h: one queue ordered by time. */
TEST(Kernel, FiresInTimeOrder)
{
	Log l;
	sim_event ev[4];
	const sim_time when[4] = {300, 100, 400, 200};
	for (int i = 0; i < 4; i++) {
		sim_event_init(&ev[i], Log::record, &l);
		sim_schedule(l.k, &ev[i], when[i], i);
	}
	EXPECT_EQ(sim_run_idle(l.k), 4u);
	EXPECT_EQ(l.ids(), (Ids{1, 3, 0, 2}));
	EXPECT_EQ(l.fired[0].t, 100u);
	EXPECT_EQ(l.fired[3].t, 400u);
}

/* kernel.h: ordered by (time, insertion sequence): ties fire FIFO. */
TEST(Kernel, TiesFireInInsertionOrder)
{
	Log l;
	for (uint64_t i = 0; i < 50; i++)
		ASSERT_NE(sim_post(l.k, 1000, Log::record, &l, i), nullptr);
	sim_run_idle(l.k);
	ASSERT_EQ(l.fired.size(), 50u);
	for (uint64_t i = 0; i < 50; i++)
		EXPECT_EQ(l.fired[i].id, i);
}

/* kernel.h sim_kernel_set_ties: lifo reverses a tie set, only inside [from, to); other times keep time order. */
TEST(Kernel, TiesLifoReversesOnlyInsideTheWindow)
{
	Log l;
	sim_kernel_set_ties(l.k, SIM_TIES_LIFO, 0, 1000, 1001);
	for (uint64_t i = 0; i < 3; i++)
		sim_post(l.k, 1000, Log::record, &l, i); /* the tie set at 1000: reversed */
	for (uint64_t i = 3; i < 6; i++)
		sim_post(l.k, 2000, Log::record, &l, i); /* outside the window: FIFO */
	sim_post(l.k, 500, Log::record, &l, 6);
	sim_run_idle(l.k);
	std::vector<uint64_t> got;
	for (auto &f : l.fired)
		got.push_back(f.id);
	EXPECT_EQ(got, (std::vector<uint64_t>{ 6, 2, 1, 0, 3, 4, 5 }));
}

/* kernel.h sim_kernel_set_ties: random is a permutation of each tie set, the same for the same seed. */
TEST(Kernel, TiesRandomIsASeededPermutation)
{
	std::vector<uint64_t> order[3];
	const uint64_t seeds[3] = { 7, 7, 8 };
	for (int r = 0; r < 3; r++) {
		Log l;
		sim_kernel_set_ties(l.k, SIM_TIES_RANDOM, seeds[r], 0, SIM_TIME_MAX);
		for (uint64_t i = 0; i < 20; i++)
			sim_post(l.k, 1000 * (1 + i / 10), Log::record, &l, i);
		sim_run_idle(l.k);
		for (auto &f : l.fired)
			order[r].push_back(f.id);
		ASSERT_EQ(order[r].size(), 20u);
		for (size_t i = 0; i < 10; i++) /* time order kept: the 1000s before the 2000s */
			EXPECT_LT(order[r][i], 10u);
	}
	EXPECT_EQ(order[0], order[1]);
	EXPECT_NE(order[0], order[2]);
}

/* kernel.h sim_cancel: a queued event is removed and never fires. */
TEST(Kernel, CancelQueuedEventRemovesIt)
{
	Log l;
	sim_event a, b, c;
	for (sim_event *e : {&a, &b, &c})
		sim_event_init(e, Log::record, &l);
	sim_schedule(l.k, &a, 10, 0);
	sim_schedule(l.k, &b, 20, 1);
	sim_schedule(l.k, &c, 30, 2);
	EXPECT_TRUE(sim_cancel(l.k, &b));
	EXPECT_FALSE(sim_event_queued(&b));
	EXPECT_EQ(sim_pending(l.k), 2u);
	sim_run_idle(l.k);
	EXPECT_EQ(l.ids(), (Ids{0, 2}));
}

/* kernel.h sim_cancel of the earliest event: the next one becomes the head. */
TEST(Kernel, CancelHeadEventExposesNext)
{
	Log l;
	sim_event a, b;
	sim_event_init(&a, Log::record, &l);
	sim_event_init(&b, Log::record, &l);
	sim_schedule(l.k, &a, 10, 0);
	sim_schedule(l.k, &b, 20, 1);
	EXPECT_TRUE(sim_cancel(l.k, &a));
	EXPECT_EQ(sim_next_time(l.k), 20u);
	sim_run_idle(l.k);
	EXPECT_EQ(l.ids(), (Ids{1}));
}

/* kernel.h sim_cancel: returns false for an event that is not queued. */
TEST(Kernel, CancelNotQueuedReturnsFalse)
{
	Log l;
	sim_event a;
	sim_event_init(&a, Log::record, &l);
	EXPECT_FALSE(sim_cancel(l.k, &a));
	sim_schedule(l.k, &a, 5, 0);
	sim_run_idle(l.k);
	EXPECT_FALSE(sim_cancel(l.k, &a)); /* already fired */
	EXPECT_FALSE(sim_cancel(l.k, nullptr));
}

/* kernel.h sim_post: a cancelled one-shot never fires and goes back to the pool. */
TEST(Kernel, CancelPooledEventRecyclesIt)
{
	Log l;
	sim_event *p = sim_post(l.k, 10, Log::record, &l, 7);
	ASSERT_NE(p, nullptr);
	EXPECT_TRUE(sim_cancel(l.k, p));
	EXPECT_EQ(sim_pending(l.k), 0u);
	/* The free list is LIFO: the next post reuses the cancelled slot. */
	sim_event *q = sim_post(l.k, 20, Log::record, &l, 8);
	EXPECT_EQ(q, p);
	sim_run_idle(l.k);
	EXPECT_EQ(l.ids(), (Ids{8}));
}

/* kernel.h sim_schedule: re-arming a queued event moves it (one instance). */
TEST(Kernel, RescheduleQueuedEventMovesIt)
{
	Log l;
	sim_event a, b;
	sim_event_init(&a, Log::record, &l);
	sim_event_init(&b, Log::record, &l);
	sim_schedule(l.k, &a, 10, 0);
	sim_schedule(l.k, &b, 20, 1);
	sim_schedule(l.k, &a, 30, 2); /* later, new arg */
	EXPECT_EQ(sim_pending(l.k), 2u);
	sim_run_idle(l.k);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{20, 1}, {30, 2}}));
}

/* kernel.h: the pool is refilled in chunks; once warm, no new events appear. */
TEST(Kernel, PostPoolStopsGrowingAfterWarmup)
{
	Log l;
	std::set<sim_event *> warm;
	for (int i = 0; i < 1000; i++)
		warm.insert(sim_post(l.k, i % 7, Log::record, &l, i));
	sim_run_idle(l.k);
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 1000; i++) {
			sim_event *p = sim_post(l.k, (i * 31) % 11, Log::record, &l, i);
			ASSERT_TRUE(warm.count(p)) << "pool grew in round " << round;
		}
		sim_run_idle(l.k);
	}
	EXPECT_EQ(l.fired.size(), 51000u);
}

/* kernel.h sim_run_until: fires every event with when <= t, then now = t. */
TEST(Kernel, RunUntilFiresEventsAtExactlyT)
{
	Log l;
	sim_post(l.k, 99, Log::record, &l, 0);
	sim_post(l.k, 100, Log::record, &l, 1);
	sim_post(l.k, 100, Log::record, &l, 2);
	sim_post(l.k, 101, Log::record, &l, 3);
	EXPECT_EQ(sim_run_until(l.k, 100), 3u);
	EXPECT_EQ(l.ids(), (Ids{0, 1, 2}));
	EXPECT_EQ(sim_now(l.k), 100u);
	EXPECT_EQ(sim_pending(l.k), 1u);
}

/* kernel.h sim_run_until: time moves to t even with no event before it. */
TEST(Kernel, RunUntilAdvancesNowWithoutEvents)
{
	Log l;
	EXPECT_EQ(sim_run_until(l.k, 5000), 0u);
	EXPECT_EQ(sim_now(l.k), 5000u);
	sim_post(l.k, 10, Log::record, &l, 0);
	EXPECT_EQ(sim_run_until(l.k, 5005), 0u);
	EXPECT_EQ(sim_now(l.k), 5005u);
	EXPECT_EQ(sim_run_until(l.k, 5010), 1u);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{5010, 0}}));
}

/* kernel.h sim_run_idle: fires until the queue is empty; now = last event. */
TEST(Kernel, RunIdleDrainsQueue)
{
	Log l;
	struct Chain {
		Log *l;
		sim_event ev;
		int left;
	} c = {&l, {}, 10};
	sim_event_init(&c.ev, [](void *ctx, uint64_t arg) {
		Chain *ch = static_cast<Chain *>(ctx);
		Log::record(ch->l, arg);
		if (--ch->left > 0)
			sim_schedule(ch->l->k, &ch->ev, 250, arg + 1);
	}, &c);
	sim_schedule(l.k, &c.ev, 250, 0);
	EXPECT_EQ(sim_run_idle(l.k), 10u);
	EXPECT_EQ(sim_pending(l.k), 0u);
	EXPECT_EQ(sim_now(l.k), 2500u);
	EXPECT_EQ(sim_next_time(l.k), SIM_TIME_MAX);
}

/* kernel.h sim_run_while: cond is checked before each event. */
TEST(Kernel, RunWhileStopsWhenCondFalse)
{
	Log l;
	for (int i = 0; i < 10; i++)
		sim_post(l.k, 100 * (i + 1), Log::record, &l, i);
	struct Cond {
		Log *l;
		int calls;
	} c = {&l, 0};
	auto cond = [](void *ctx) {
		Cond *cc = static_cast<Cond *>(ctx);
		cc->calls++;
		return cc->l->fired.size() < 4;
	};
	EXPECT_EQ(sim_run_while(l.k, cond, &c), 4u);
	EXPECT_EQ(c.calls, 5); /* 4 true, then the false one */
	EXPECT_EQ(sim_now(l.k), 400u);
	EXPECT_EQ(sim_pending(l.k), 6u);
}

/* kernel.h sim_stop: ends the current run after that event; now stays there. */
TEST(Kernel, StopInsideEventEndsRunAfterIt)
{
	Log l;
	auto stopper = [](void *ctx, uint64_t arg) {
		Log::record(ctx, arg);
		sim_stop(static_cast<Log *>(ctx)->k);
	};
	sim_post(l.k, 100, Log::record, &l, 0);
	sim_post(l.k, 200, stopper, &l, 1);
	sim_post(l.k, 200, Log::record, &l, 2); /* same time, after the stop */
	sim_post(l.k, 300, Log::record, &l, 3);
	EXPECT_EQ(sim_run_until(l.k, 1000), 2u);
	EXPECT_EQ(sim_now(l.k), 200u); /* stopped: not advanced to 1000 */
	EXPECT_EQ(sim_run_idle(l.k), 2u); /* the stop does not outlive its run */
	EXPECT_EQ(l.ids(), (Ids{0, 1, 2, 3}));
}

/* kernel.h sim_schedule_at: a time in the past is clamped to now. */
TEST(Kernel, ScheduleInPastClampsToNow)
{
	Log l;
	sim_event a;
	sim_event_init(&a, Log::record, &l);
	sim_run_until(l.k, 1000);
	sim_schedule_at(l.k, &a, 10, 0);
	EXPECT_EQ(a.when, 1000u);
	EXPECT_EQ(sim_next_time(l.k), 1000u);
	sim_run_idle(l.k);
	EXPECT_EQ(l.fired, (std::vector<Fired>{{1000, 0}}));
}

/* kernel.c after(): a delay past the end of time saturates, never wraps into the past. */
TEST(Kernel, HugeDelaySaturatesAtEndOfTime)
{
	Log l;
	sim_event a;
	sim_event_init(&a, Log::record, &l);
	sim_run_until(l.k, 1000);
	sim_schedule(l.k, &a, SIM_TIME_MAX - 10, 0);
	EXPECT_EQ(a.when, SIM_TIME_MAX);
	sim_event *p = sim_post(l.k, SIM_TIME_MAX, Log::record, &l, 1);
	EXPECT_EQ(p->when, SIM_TIME_MAX);
	EXPECT_EQ(sim_run_until(l.k, 1u << 30), 0u);
}

namespace {

/*
 * A seeded random program: actors with embedded events re-arm themselves,
 * move and cancel each other, and post and cancel one-shots, with delays on
 * a coarse grid so ties are common. Every firing is recorded.
 */
struct Program {
	sim_kernel *k;
	sim_rng rng;
	sim_event actor[16];
	sim_event *posted[32] = {};
	std::vector<Fired> trace;
	uint64_t budget;

	static void on_actor(void *ctx, uint64_t arg);
	static void on_post(void *ctx, uint64_t arg)
	{
		Program *p = static_cast<Program *>(ctx);
		p->posted[arg] = nullptr;
		p->trace.push_back({sim_now(p->k), 1000 + arg});
	}
	sim_time delay() { return 100 * sim_rng_below(&rng, 8) + (sim_rng_below(&rng, 4) == 0); }
	void act(uint64_t self)
	{
		uint64_t other = sim_rng_below(&rng, 16), slot = sim_rng_below(&rng, 32);
		switch (sim_rng_below(&rng, 5)) {
		case 0:
			sim_schedule(k, &actor[other], delay(), other);
			break;
		case 1:
			sim_cancel(k, &actor[other]);
			break;
		case 2:
			if (!posted[slot])
				posted[slot] = sim_post(k, delay(), on_post, this, slot);
			break;
		case 3:
			if (posted[slot] && sim_cancel(k, posted[slot]))
				posted[slot] = nullptr;
			break;
		default:
			break;
		}
		if (sim_fired(k) < budget)
			sim_schedule(k, &actor[self], delay(), self);
	}
	Program(sim_kernel *kk, uint64_t seed, uint64_t n) : k(kk), budget(n)
	{
		sim_rng_init(&rng, seed, "program");
		for (uint64_t i = 0; i < 16; i++) {
			sim_event_init(&actor[i], on_actor, this);
			sim_schedule(k, &actor[i], delay(), i);
		}
	}
	void run()
	{
		while (sim_pending(k))
			sim_run_until(k, sim_now(k) + 1000 * sim_rng_below(&rng, 5));
	}
};

void Program::on_actor(void *ctx, uint64_t arg)
{
	Program *p = static_cast<Program *>(ctx);
	p->trace.push_back({sim_now(p->k), arg});
	p->act(arg);
}

std::vector<Fired> run_program(uint64_t seed)
{
	sim_kernel *k = sim_kernel_new(SIM_BACKEND_NATIVE);
	Program p(k, seed, 20000);
	p.run();
	sim_kernel_free(k);
	return p.trace;
}

} // namespace

/* kernel.h: the order is a function of the program only: same seed, same trace. */
TEST(Kernel, RandomProgramIsDeterministic)
{
	std::vector<Fired> a = run_program(42), b = run_program(42), c = run_program(43);
	EXPECT_GE(a.size(), 20000u);
	EXPECT_EQ(a, b);
	EXPECT_NE(a, c);
}

/*
 * kernel.c heap vs a reference model: std::multimap keyed by (when, seq)
 * gives the (time, insertion) order by construction. 10^5 random schedule,
 * re-arm, cancel and pop operations must agree at every pop.
 */
TEST(Kernel, HeapMatchesMultimapModel)
{
	sim_kernel *k = sim_kernel_new(SIM_BACKEND_NATIVE);
	constexpr int N = 512;
	static sim_event ev[N];
	std::map<std::pair<sim_time, uint64_t>, int> model;
	std::vector<std::pair<sim_time, uint64_t>> key(N);
	std::vector<bool> in(N, false);
	uint64_t seq = 0;
	int popped = -1;
	auto fn = [](void *ctx, uint64_t arg) { *static_cast<int *>(ctx) = (int)arg; };
	for (int i = 0; i < N; i++)
		sim_event_init(&ev[i], fn, &popped);
	sim_rng r;
	sim_rng_init(&r, 7, "heap");
	for (int op = 0; op < 100000; op++) {
		int i = (int)sim_rng_below(&r, N);
		uint64_t c = sim_rng_below(&r, 10);
		if (c < 5) { /* schedule or re-arm */
			sim_time d = sim_rng_below(&r, 64);
			if (in[i])
				model.erase(key[i]);
			sim_schedule(k, &ev[i], d, i);
			key[i] = {sim_now(k) + d, seq++};
			model[key[i]] = i;
			in[i] = true;
		} else if (c < 7) { /* cancel */
			EXPECT_EQ(sim_cancel(k, &ev[i]), (bool)in[i]);
			if (in[i])
				model.erase(key[i]);
			in[i] = false;
		} else if (!model.empty()) { /* pop one */
			auto head = model.begin();
			ASSERT_EQ(sim_next_time(k), head->first.first);
			int once = 1; /* run_while fires exactly one event */
			popped = -1;
			ASSERT_EQ(sim_run_while(k, [](void *c) { return (*static_cast<int *>(c))-- > 0; }, &once), 1u);
			ASSERT_EQ(popped, head->second);
			ASSERT_EQ(sim_now(k), head->first.first);
			in[head->second] = false;
			model.erase(head);
		}
		ASSERT_EQ(sim_pending(k), model.size());
	}
	sim_kernel_free(k);
}

/*
 * The same reference model, with every operation made from inside the
 * callbacks: the native loop's lazy pop (a hole at the root while an event
 * fires) must be invisible to schedule, re-arm, cancel, post, sim_pending
 * and sim_next_time, and the firing order must stay (time, insertion).
 */
namespace {
struct CbModel {
	static constexpr int N = 300;
	sim_kernel *k;
	sim_event ev[N];
	std::map<std::pair<sim_time, uint64_t>, int> model;
	std::vector<std::pair<sim_time, uint64_t>> key = std::vector<std::pair<sim_time, uint64_t>>(N);
	std::vector<bool> in = std::vector<bool>(N, false);
	uint64_t seq = 0, fired = 0;
	sim_rng r;

	void sched(int i, sim_time d)
	{
		if (in[i])
			model.erase(key[i]);
		sim_schedule(k, &ev[i], d, (uint64_t)i);
		key[i] = {sim_now(k) + d, seq++};
		model[key[i]] = i;
		in[i] = true;
	}
	void check()
	{
		ASSERT_EQ(sim_pending(k), model.size());
		ASSERT_EQ(sim_next_time(k), model.empty() ? SIM_TIME_MAX : model.begin()->first.first);
	}
	static void on_fire(void *ctx, uint64_t arg)
	{
		CbModel *m = static_cast<CbModel *>(ctx);
		int self = (int)arg;
		ASSERT_FALSE(m->model.empty());
		auto head = m->model.begin();
		ASSERT_EQ(head->second, self);
		ASSERT_EQ(sim_now(m->k), head->first.first);
		ASSERT_FALSE(sim_event_queued(&m->ev[self]));
		m->model.erase(head);
		m->in[self] = false;
		m->fired++;
		m->check();
		int ops = (int)sim_rng_below(&m->r, 4);
		for (int o = 0; o < ops; o++) {
			int i = (int)sim_rng_below(&m->r, N);
			switch (sim_rng_below(&m->r, 4)) {
			case 0: /* schedule or re-arm another (often a tie) */
				m->sched(i, sim_rng_below(&m->r, 8));
				break;
			case 1:
				ASSERT_EQ(sim_cancel(m->k, &m->ev[i]), (bool)m->in[i]);
				if (m->in[i])
					m->model.erase(m->key[i]);
				m->in[i] = false;
				break;
			case 2: /* re-arm self, then maybe again */
				m->sched(self, sim_rng_below(&m->r, 40));
				break;
			default:
				break;
			}
			m->check();
		}
		if (m->fired < 60000 && !m->in[self] && sim_rng_below(&m->r, 8))
			m->sched(self, sim_rng_below(&m->r, 40));
		m->check();
	}
};
} // namespace

TEST(Kernel, CallbackOpsMatchMultimapModel)
{
	CbModel m;
	m.k = sim_kernel_new(SIM_BACKEND_NATIVE);
	sim_rng_init(&m.r, 11, "cb-heap");
	for (int i = 0; i < CbModel::N; i++)
		sim_event_init(&m.ev[i], CbModel::on_fire, &m);
	for (int i = 0; i < CbModel::N; i++)
		m.sched(i, sim_rng_below(&m.r, 40));
	while (sim_pending(m.k)) {
		sim_run_until(m.k, sim_now(m.k) + sim_rng_below(&m.r, 30));
		m.check();
		if (HasFatalFailure())
			break;
	}
	EXPECT_GE(m.fired, 60000u);
	sim_kernel_free(m.k);
}

/* ---- the livelock guard (kernel.h) -------------------------------------------------------- */

namespace {
struct Spinner {
	sim_kernel *k;
	sim_event ev;
	uint64_t fired = 0;
	sim_time step = 0;
};
/* A model step that reschedules itself @step later: with step 0, time never advances. */
void spin(void *ctx, uint64_t)
{
	auto *s = static_cast<Spinner *>(ctx);
	s->fired++;
	sim_schedule(s->k, &s->ev, s->step, 0);
}
} // namespace

/* kernel.h: more than the stall limit of events at one time stop the run, naming the event. */
TEST(KernelGuard, StopsAnEventThatReschedulesItselfWithoutDelay)
{
	Spinner s;
	s.k = sim_kernel_new(SIM_BACKEND_NATIVE);
	sim_kernel_set_stall_limit(s.k, 1000);
	sim_event_init(&s.ev, spin, &s);
	sim_schedule(s.k, &s.ev, 5, 0);
	sim_run_until(s.k, 100);
	const sim_livelock *l = sim_kernel_livelock(s.k);
	ASSERT_NE(l, nullptr);
	EXPECT_EQ(l->fn, (sim_event_fn)spin);
	EXPECT_EQ(l->ctx, &s);
	EXPECT_EQ(l->when, 5u);
	EXPECT_EQ(l->events, 1000u);
	EXPECT_EQ(s.fired, 1000u);
	EXPECT_EQ(sim_now(s.k), 5u); /* run_until does not move time past a livelock */
	/* the simulation cannot go on: later runs fire nothing */
	EXPECT_EQ(sim_run_idle(s.k), 0u);
	sim_kernel_free(s.k);
}

/* kernel.h: events that advance time, however many, never trip the guard. */
TEST(KernelGuard, TimeAdvancingResetsTheCount)
{
	Spinner s;
	s.k = sim_kernel_new(SIM_BACKEND_NATIVE);
	s.step = 1;
	sim_kernel_set_stall_limit(s.k, 10);
	sim_event_init(&s.ev, spin, &s);
	sim_schedule(s.k, &s.ev, 0, 0);
	sim_run_until(s.k, 10000);
	EXPECT_EQ(sim_kernel_livelock(s.k), nullptr);
	EXPECT_EQ(s.fired, 10001u);
	sim_kernel_free(s.k);
}
