// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/protocol_test.cc: the OP-TEE SMC-ABI protocol as the OP-TEE model
 * (models/tee) and the Linux driver model (models/ree) speak it, checked on
 * the whole platform (sim/platform.c) from the trace, and end-to-end runs
 * (run_scenario: expectations, loss, determinism).
 *
 * Each TEST builds a small platform from an inline scenario, attaches a
 * RecordLog before platform_start, boots, and reads the SMCs (TR_SMC: a =
 * fid, b..d = x1..x3, world = caller; TR_SMC_RET: a = fid, b..d = x0..x2
 * as the caller sees them) and notification stages. Where the model offers
 * no scenario knob (values other than DO_BOTTOM_HALF, an NSEC cap Linux
 * never sends) the test calls the model's entry point itself:
 * tee_notif_send (notif_send_async) or an SMC from an idle Non-secure PE.
 *
 * Sections cited are docs/protocol.md.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "plat_harness.h"
#include "sim/calibrate.h"

namespace {

constexpr uint32_t kRfr = OPTEE_SMC_CALL_RETURN_FROM_RPC;
constexpr unsigned kNotifIntid = 219;

/* The shared harness (tests/plat_harness.h) and what only these tests need. */
struct Plat : PlatHarness {
	Plat() : PlatHarness("proto.yaml") {}

	void run_for(sim_time d) { sim_run_until(p->sim.k, now() + d); }
	/* Stop sources and workloads, then let everything in flight finish. */
	void quiesce(sim_time d)
	{
		platform_stop_sources(p.get());
		run_for(d);
	}

	/* What the Non-secure caller got back from each GET_ASYNC_NOTIF_VALUE (x0, x1, x2). */
	std::vector<sim_rec> get_returns(sim_time from = 0) const
	{
		std::vector<sim_rec> v;
		for (const auto &r : recs(TR_SMC_RET, from, SIM_WORLD_NS))
			if (r.a == kGet)
				v.push_back(r);
		return v;
	}
	/* The notification SPI by GICD_ISPENDR, as the secure side writes it (§3.1). */
	void pend_notif_spi()
	{
		uint64_t addr = p->dt.gicd_base + GICD_ISPENDR + 4 * (kNotifIntid / 32);
		sim_bus_access a{ -1, 1, true };
		ASSERT_EQ(sim_bus_write(p->bus, &a, addr, 4, 1ull << (kNotifIntid % 32)), 0);
	}
};

/* A few notif_send_async calls at one instant, from an idle PE (the test's own top half). */
struct Sends {
	Plat *pl;
	std::vector<unsigned> values;
	unsigned cpu;
	static void fire(void *ctx, uint64_t)
	{
		Sends *s = static_cast<Sends *>(ctx);
		struct pe *pe = s->pl->p->pe[s->cpu];
		for (unsigned v : s->values)
			tee_notif_send(s->pl->p->tee, pe, v, sim_now(s->pl->p->sim.k), sim_now(s->pl->p->sim.k),
				       sent, nullptr);
	}
	/* the SPI transport raises synchronously: nothing to continue */
	static void sent(void *, struct pe *) {}
	void post(sim_time delay) { sim_post(pl->p->sim.k, delay, fire, this, 0); }
};

/* The SMCs Non-secure @cpu made inside its notification interrupt(s): from ACK to EOI of INTID 219. */
std::vector<std::vector<sim_rec>> smcs_per_notif_irq(const Plat &pl)
{
	std::vector<std::vector<sim_rec>> irqs;
	std::vector<int> open(64, -1);
	for (const auto &r : pl.log.recs) {
		if (r.cpu < 0 || r.cpu >= 64)
			continue;
		if (r.kind == TR_GIC_ACK && r.a == kNotifIntid) {
			open[r.cpu] = (int)irqs.size();
			irqs.emplace_back();
		} else if (r.kind == TR_GIC_EOI && r.a == kNotifIntid) {
			open[r.cpu] = -1;
		} else if (r.kind == TR_SMC && r.world == SIM_WORLD_NS && open[r.cpu] >= 0) {
			irqs[open[r.cpu]].push_back(r);
		}
	}
	return irqs;
}

/* Two CPUs, SPI edge transport, one secure UART that stays quiet during the test. */
/* SPI edge, one secure UART, no load: one arrival 1ms after boot. */
const char *const kIsolatedNotif = "name: isolated\n"
				   "platform: {cpus: 4}\n"
				   "transport: {kind: spi}\n"
				   "sources:\n"
				   "  - {name: uart, arrival: {periodic: 1ms}}\n";

const char *const kQuiet = "name: proto\n"
			   "platform: {cpus: 2}\n"
			   "tee: {threads: 2}\n"
			   "sources:\n"
			   "  - name: uart\n"
			   "    arrival: {periodic: 1s}\n";

} // namespace

// ---- GET_ASYNC_NOTIF_VALUE (§1.5) -----------------------------------------------------------------

/* §1.5: a2 bit0 VALID, bit1 PENDING (another value still recorded); nothing recorded: not VALID. */
TEST(ProtoGetAsyncNotifValue, TwoPendingGiveValidPendingThenValidThenNotValid)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	sim_time t0 = pl.now();
	Sends s{ &pl, { 5, NOTIF_VALUE_DO_BOTTOM_HALF }, 1 };
	s.post(10 * SIM_US);
	pl.run_for(2 * SIM_MS);
	pl.pend_notif_spi(); /* nothing recorded now: the third call */
	pl.run_for(2 * SIM_MS);

	auto g = pl.get_returns(t0);
	ASSERT_EQ(g.size(), 3u);
	EXPECT_EQ(g[0].b, OPTEE_SMC_RETURN_OK);
	EXPECT_EQ(g[0].d, OPTEE_SMC_ASYNC_NOTIF_VALID | OPTEE_SMC_ASYNC_NOTIF_PENDING);
	EXPECT_EQ(g[1].b, OPTEE_SMC_RETURN_OK);
	EXPECT_EQ(g[1].d, OPTEE_SMC_ASYNC_NOTIF_VALID);
	EXPECT_EQ(g[2].b, OPTEE_SMC_RETURN_OK);
	EXPECT_EQ(g[2].d & OPTEE_SMC_ASYNC_NOTIF_VALID, 0u);
	EXPECT_EQ(g[2].d, 0u); /* bits [31:2] MBZ, PENDING clear */
}

/* §1.5 notif_get_value: bit_ffs, so the lowest value first, DO_BOTTOM_HALF (0) before any other. */
TEST(ProtoGetAsyncNotifValue, ValuesComeOutLowestFirst)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	sim_time t0 = pl.now();
	Sends s{ &pl, { 9, 3, 40, NOTIF_VALUE_DO_BOTTOM_HALF }, 1 };
	s.post(10 * SIM_US);
	pl.run_for(2 * SIM_MS);

	auto g = pl.get_returns(t0);
	ASSERT_EQ(g.size(), 4u);
	EXPECT_EQ(g[0].c, 0u);
	EXPECT_EQ(g[1].c, 3u);
	EXPECT_EQ(g[2].c, 9u);
	EXPECT_EQ(g[3].c, 40u);
}

/* §3.1 notif_send_async: one bit per value (a second send coalesces), the interrupt raised on every send. */
TEST(ProtoNotifSend, SameValueCoalescesIntoOneBitButRaisesEverySend)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	sim_time t0 = pl.now();
	/* count GICD_ISPENDR writes of the notification SPI through PE 1's bus port */
	static unsigned ispendr_writes;
	static struct pe_ports real;
	ispendr_writes = 0;
	real = *pe_get_ports(pl.p->pe[1]);
	uint64_t ispendr = pl.p->dt.gicd_base + GICD_ISPENDR + 4 * (kNotifIntid / 32);
	static uint64_t ispendr_addr;
	ispendr_addr = ispendr;
	struct pe_ports tap = real;
	tap.mmio_write = [](void *ctx, unsigned cpu, unsigned el, bool secure, uint64_t addr, unsigned size,
			    uint64_t val) {
		if (addr == ispendr_addr && (val >> (kNotifIntid % 32) & 1))
			ispendr_writes++;
		return real.mmio_write(ctx, cpu, el, secure, addr, size, val);
	};
	pe_set_ports(pl.p->pe[1], &tap);
	Sends s{ &pl, { 7, 7 }, 1 };
	s.post(10 * SIM_US);
	pl.run_for(2 * SIM_MS);
	pe_set_ports(pl.p->pe[1], &real);

	EXPECT_EQ(ispendr_writes, 2u);
	uint32_t first = 0;
	unsigned sends = 0, coalesced = 0;
	for (const auto &r : pl.recs(TR_NOTIF, t0, SIM_WORLD_S)) {
		if (r.a == NOTIF_SEND && r.b == 7)
			sends++, first = r.notif;
		if (r.a == NOTIF_COALESCED && r.b == 7) {
			coalesced++;
			EXPECT_EQ(r.c, first); /* merged into the first send */
			EXPECT_NE(r.notif, first);
		}
	}
	EXPECT_EQ(sends, 1u);
	EXPECT_EQ(coalesced, 1u);
	auto g = pl.get_returns(t0);
	ASSERT_GE(g.size(), 1u);
	EXPECT_EQ(g[0].c, 7u);
	EXPECT_EQ(g[0].d, OPTEE_SMC_ASYNC_NOTIF_VALID); /* one bit: nothing else pending */
	for (size_t i = 1; i < g.size(); i++)
		EXPECT_EQ(g[i].d & OPTEE_SMC_ASYNC_NOTIF_VALID, 0u) << "the value came out twice";
}

/* §1.4, §3.6: before ENABLE_ASYNC_NOTIF (STARTED) the UART's top half handles data inline; nothing is sent. */
TEST(ProtoStarted, NothingDeliveredBeforeEnableAsyncNotif)
{
	Plat pl;
	sim_diag d{};
	char err[1024];
	const char *y = "name: proto\n"
			"platform: {cpus: 2}\n"
			"sources:\n"
			"  - name: uart\n"
			"    arrival: {periodic: 50us}\n";
	ASSERT_EQ(scenario_load_string(y, "proto.yaml", nullptr, 0, pl.sc.get(), &d), 0) << d.msg;
	ASSERT_EQ(platform_build(pl.p.get(), pl.sc.get(), SIM_BACKEND_NATIVE, err, sizeof(err)), 0) << err;
	pl.built = true;
	pl.log.attach(pl.p->sim.tr);
	platform_start(pl.p.get());
	dev_src_start(pl.p->src[0]); /* the UART chatters from cold boot on */
	sim_run_while(pl.p->sim.k, Plat::not_booted, pl.p.get());
	ASSERT_TRUE(pl.p->booted);
	pl.run_for(1 * SIM_MS);

	sim_time enable = 0, started = 0;
	for (const auto &r : pl.log.recs) {
		if (!enable && r.kind == TR_SMC && r.a == OPTEE_SMC_ENABLE_ASYNC_NOTIF)
			enable = r.t;
		if (!started && r.kind == TR_EVENT && r.label && !strcmp(r.label, "notif STARTED"))
			started = r.t;
	}
	ASSERT_GT(enable, 0u);
	ASSERT_GE(started, enable);
	unsigned top_halves_before = 0, sends_before = 0, sends_after = 0, pends_before = 0;
	for (const auto &r : pl.log.recs) {
		if (r.kind == TR_ACTIVITY && r.world == SIM_WORLD_S && r.label && !strcmp(r.label, "top half uart"))
			top_halves_before += r.t < started;
		if (r.kind == TR_NOTIF && r.a == NOTIF_SEND)
			(r.t < started ? sends_before : sends_after)++;
		if (r.kind == TR_GIC_PEND && r.a == kNotifIntid)
			pends_before += r.t < started;
	}
	EXPECT_GT(top_halves_before, 0u) << "the UART must have interrupted before STARTED";
	EXPECT_EQ(sends_before, 0u);
	EXPECT_EQ(pends_before, 0u);
	EXPECT_GT(sends_after, 0u);
}

// ---- EXCHANGE_CAPABILITIES (§1.3) -----------------------------------------------------------------

/* §1.3: a1 has ASYNC_NOTIF (bit 5); a2 = NOTIF_VALUE_MAX = 64 + CFG_NUM_THREADS. */
TEST(ProtoExchangeCapabilities, AsyncNotifBitAndMaxValueIs64PlusThreads)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet, { "tee.threads=3" }));
	unsigned n = 0;
	for (const auto &r : pl.recs(TR_SMC_RET, 0, SIM_WORLD_NS)) {
		if (r.a != OPTEE_SMC_EXCHANGE_CAPABILITIES)
			continue;
		n++;
		EXPECT_EQ(r.b, OPTEE_SMC_RETURN_OK);
		EXPECT_EQ(r.c & (1u << 5), 1u << 5);
		EXPECT_EQ(r.d, 67u);
	}
	EXPECT_EQ(n, 1u);
	/* Linux took a2 as its max_notif_value (§2.1 step 7) */
	EXPECT_EQ(pl.p->ree->optee->max_notif, 67u);
}

/* §1.3 entry_fast.c: any NSEC cap other than UNIPROCESSOR (bit 0) is ENOTAVAIL. */
TEST(ProtoExchangeCapabilities, UnknownNsecCapIsEnotavail)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	DirectSmc bad{ &pl, 1 }, uni{ &pl, 1 };
	bad.x[0] = OPTEE_SMC_EXCHANGE_CAPABILITIES, bad.x[1] = 1u << 1;
	uni.x[0] = OPTEE_SMC_EXCHANGE_CAPABILITIES, uni.x[1] = OPTEE_SMC_NSEC_CAP_UNIPROCESSOR;
	bad.post(10 * SIM_US);
	uni.post(200 * SIM_US);
	pl.run_for(1 * SIM_MS);
	ASSERT_TRUE(bad.done);
	ASSERT_TRUE(uni.done);
	EXPECT_EQ(bad.ret[0], OPTEE_SMC_RETURN_ENOTAVAIL);
	EXPECT_EQ(uni.ret[0], OPTEE_SMC_RETURN_OK);
	EXPECT_EQ(uni.ret[1] & OPTEE_SMC_SEC_CAP_ASYNC_NOTIF, OPTEE_SMC_SEC_CAP_ASYNC_NOTIF);
}

// ---- the hard-IRQ drain loop (§2.3) ---------------------------------------------------------------

/* §2.3: one GET_ASYNC_NOTIF_VALUE per pending value; the last returns PENDING = 0 and no call follows. */
TEST(ProtoDrainLoop, OneGetPerPendingValue)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	Sends s{ &pl, { 2, 11, NOTIF_VALUE_DO_BOTTOM_HALF }, 1 };
	s.post(10 * SIM_US);
	pl.run_for(2 * SIM_MS);

	auto irqs = smcs_per_notif_irq(pl);
	ASSERT_EQ(irqs.size(), 1u);
	ASSERT_EQ(irqs[0].size(), 3u);
	for (const auto &r : irqs[0])
		EXPECT_EQ(r.a, kGet);
	/* values other than DO_BOTTOM_HALF went to optee_notif_send (no waiter: the bitmap) */
	EXPECT_TRUE(pl.p->ree->optee->notif_bitmap[0] & (1u << 2));
	EXPECT_TRUE(pl.p->ree->optee->notif_bitmap[1] & (1u << 3));
}

/* §2.3: a notification interrupt with nothing pending costs exactly one fast call. */
TEST(ProtoDrainLoop, SpuriousInterruptCostsOneFastCall)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	pl.pend_notif_spi();
	pl.run_for(1 * SIM_MS);

	auto irqs = smcs_per_notif_irq(pl);
	ASSERT_EQ(irqs.size(), 1u);
	ASSERT_EQ(irqs[0].size(), 1u);
	EXPECT_EQ(irqs[0][0].a, kGet);
	EXPECT_EQ(ree_spurious(pl.p->ree), 1u);
	/* and no bottom half: IRQ_HANDLED, not IRQ_WAKE_THREAD */
	for (const auto &r : pl.smcs(0))
		EXPECT_NE(r.a, kRegd) << "a yielding call after a spurious interrupt";
}

// ---- the call queue (§1.9) ------------------------------------------------------------------------

/* One OP-TEE thread, a bottom half every 300 us and TA calls at 10 kHz on two CPUs: calls contend. */
static std::string contended(const char *call_queue)
{
	return std::string("name: proto\n"
			   "platform: {cpus: 2}\n"
			   "tee: {threads: 1}\n"
			   "ree: {call_queue: ") + call_queue + "}\n"
			   "sources:\n"
			   "  - name: uart\n"
			   "    arrival: {periodic: 300us}\n"
			   "    bottom_half: 50us\n"
			   "workloads:\n"
			   "  - name: ta\n"
			   "    kind: ta_invoke\n"
			   "    rate: 10kHz\n"
			   "    secure_work: {exponential: {mean: 100us}}\n"
			   "    cpus: [0, 1]\n";
}

/*
 * §1.9, Linux before 6.8 (ree.call_queue: ethread_limit): with every thread busy OP-TEE returns
 * ETHREAD_LIMIT (a1..a3 preserved); Linux sleeps on the call queue and, after another call
 * completes, reissues the same a0..a7, which then succeeds.
 */
TEST(ProtoCallQueue, EthreadLimitWaitsThenReissuesSameCall)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(contended("ethread_limit")));
	pl.run_for(3 * SIM_MS);
	pl.quiesce(10 * SIM_MS);

	const auto &R = pl.log.recs;
	unsigned checked = 0;
	for (size_t i = 0; i < R.size(); i++) {
		const sim_rec &e = R[i];
		if (e.kind != TR_SMC_RET || e.world != SIM_WORLD_NS || e.a != kRegd ||
		    e.b != OPTEE_SMC_RETURN_ETHREAD_LIMIT)
			continue;
		/* the call that got it: the last yielding SMC from this CPU */
		const sim_rec *call = nullptr;
		for (size_t k = i; k-- > 0;)
			if (R[k].kind == TR_SMC && R[k].cpu == e.cpu && R[k].world == SIM_WORLD_NS) {
				call = &R[k];
				break;
			}
		ASSERT_NE(call, nullptr);
		ASSERT_EQ(call->a, kRegd);
		EXPECT_EQ(e.c, call->b) << "a1 preserved";
		EXPECT_EQ(e.d, call->c) << "a2 preserved";
		/* later: another call completes (CALL_DONE with OK from the secure side), then the same call again */
		bool completed = false;
		size_t again = 0;
		for (size_t k = i + 1; k < R.size() && !again; k++) {
			if (R[k].kind == TR_SMC && R[k].world == SIM_WORLD_S && R[k].a == kCallDone &&
			    R[k].b == OPTEE_SMC_RETURN_OK)
				completed = true;
			if (R[k].kind == TR_SMC && R[k].world == SIM_WORLD_NS && R[k].a == kRegd &&
			    R[k].b == call->b && R[k].c == call->c)
				again = k;
		}
		ASSERT_NE(again, 0u) << "the call was never reissued";
		EXPECT_TRUE(completed) << "reissued before any call completed";
		/* ... and in the end it returns OK to its caller (after more ETHREAD_LIMITs or RPCs, maybe) */
		bool ok = false;
		for (size_t k = again; k < R.size() && !ok; k++)
			ok = R[k].kind == TR_SMC_RET && R[k].world == SIM_WORLD_NS && R[k].cpu == e.cpu &&
			     (R[k].a == kRegd || R[k].a == kRfr) && R[k].b == OPTEE_SMC_RETURN_OK;
		EXPECT_TRUE(ok) << "the reissued call never completed";
		checked++;
	}
	EXPECT_GT(checked, 0u) << "no ETHREAD_LIMIT happened";
	EXPECT_EQ(pl.p->ree->optee->cq_head, nullptr) << "a caller left on the call queue";
}

/*
 * §1.9, Linux 6.8+ (the reference 6.12, the default): the SMC ABI driver counts OP-TEE's threads from
 * GET_THREAD_COUNT (smc_abi.c optee_probe -> optee_cq_init) and a call claims one in
 * optee_cq_wait_init before its SMC, or sleeps there until another call's end. Under the same load
 * no call meets ETHREAD_LIMIT, calls do wait (SIM_EV_CQ_WAIT with b = 1), and never more than one
 * call is inside OP-TEE at a time (from its first SMC to its final return).
 */
TEST(ProtoCallQueue, ThreadCountWaitsBeforeTheSmc)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(contended("thread_count")));
	pl.run_for(3 * SIM_MS);
	pl.quiesce(10 * SIM_MS);

	unsigned waits = 0, calls = 0;
	int inside = 0, most = 0;
	for (const sim_rec &e : pl.log.recs) {
		if (e.kind == TR_EVENT && e.code == SIM_EV_ETHREAD_LIMIT)
			ADD_FAILURE() << "OP-TEE answered ETHREAD_LIMIT at " << e.t;
		if (e.kind == TR_EVENT && e.code == SIM_EV_CQ_WAIT) {
			EXPECT_EQ(e.b, 1u) << "a wait that was not the driver's count";
			waits++;
		}
		if (e.world != SIM_WORLD_NS)
			continue;
		if (e.kind == TR_SMC && e.a == kRegd) {
			calls++;
			most = std::max(most, ++inside);
		} else if (e.kind == TR_SMC_RET && (e.a == kRegd || e.a == kRfr) && e.b == OPTEE_SMC_RETURN_OK) {
			inside--;
		}
	}
	EXPECT_GT(calls, 10u);
	EXPECT_GT(waits, 0u) << "no call waited: the test shows nothing";
	EXPECT_EQ(most, 1) << "two calls inside OP-TEE with one thread";
	EXPECT_EQ(inside, 0);
	EXPECT_EQ(pl.p->ree->optee->cq_head, nullptr) << "a caller left on the call queue";
	EXPECT_EQ(pl.p->ree->optee->cq_free, 1u) << "the thread count leaked";
}

// ---- foreign interrupts (§1.9, §7) ----------------------------------------------------------------

namespace {

/*
 * TAs run 300us invokes on CPUs 1 and 2, so both threads are mostly busy (CPU 1's first call takes
 * thread 0, CPU 2's thread 1) and a bottom half waits on the call queue. The notification SPI goes to
 * CPU 2, and a UART on CPU 0 notifies every 170us, so the NS interrupt keeps arriving at CPU 2 while
 * OP-TEE runs an invoke there.
 */
const char *const kForeign = "name: proto\n"
			     "platform: {cpus: 3}\n"
			     "tee: {threads: 2}\n"
			     "ree: {irq_affinity: 2}\n"
			     "sources:\n"
			     "  - name: uart\n"
			     "    cpu: 0\n"
			     "    arrival: {periodic: 170us}\n"
			     "    bottom_half: 5us\n"
			     "workloads:\n"
			     "  - name: ta\n"
			     "    kind: ta_invoke\n"
			     "    rate: 4kHz\n"
			     "    secure_work: 300us\n"
			     "    cpus: [1, 2]\n";

} // namespace

/*
 * §1.9 thread_foreign_intr_exit: CALL_DONE with a1 = RPC_FOREIGN_INTR (NS sees a0 = 0xFFFF0004);
 * Linux does nothing but take the IRQ and resumes the same thread: RETURN_FROM_RPC with a3 = thread id.
 */
TEST(ProtoForeignIntr, ExitThenReturnFromRpcResumesSameThread)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kForeign));
	pl.run_for(3 * SIM_MS);
	pl.quiesce(10 * SIM_MS);

	const auto &R = pl.log.recs;
	unsigned exits = 0;
	for (size_t i = 0; i < R.size(); i++) {
		const sim_rec &e = R[i];
		if (!(e.kind == TR_EVENT && e.label && !strcmp(e.label, "RPC_FOREIGN_INTR")))
			continue;
		uint64_t thread = e.a;
		size_t k = i + 1;
		/* the secure exit SMC */
		while (k < R.size() && !(R[k].kind == TR_SMC && R[k].cpu == e.cpu))
			k++;
		ASSERT_LT(k, R.size());
		EXPECT_EQ(R[k].world, (uint32_t)SIM_WORLD_S);
		EXPECT_EQ(R[k].a, kCallDone);
		EXPECT_EQ(R[k].b, OPTEE_SMC_RETURN_RPC_FOREIGN_INTR);
		/* what the caller got */
		while (k < R.size() && !(R[k].kind == TR_SMC_RET && R[k].cpu == e.cpu && R[k].world == SIM_WORLD_NS))
			k++;
		ASSERT_LT(k, R.size());
		EXPECT_EQ(R[k].b, OPTEE_SMC_RETURN_RPC_FOREIGN_INTR);
		/* the next RETURN_FROM_RPC naming this thread, and the thread resumes running */
		while (k < R.size() && !(R[k].kind == TR_SMC && R[k].world == SIM_WORLD_NS && R[k].a == kRfr &&
					 R[k].d == thread))
			k++;
		ASSERT_LT(k, R.size()) << "thread " << thread << " never resumed";
		size_t resumed = k;
		while (k < R.size() && !(R[k].kind == TR_TEE_THREAD && R[k].a == thread))
			k++;
		ASSERT_LT(k, R.size());
		EXPECT_EQ(R[k].b, 1u) << "RETURN_FROM_RPC did not resume the thread";
		EXPECT_EQ(R[k].cpu, R[resumed].cpu);
		exits++;
	}
	EXPECT_GT(exits, 0u) << "no foreign interrupt hit a yielding call";
	/* a foreign exit of a thread that is not thread 0, so a3 really carries the id */
	bool nonzero = false;
	for (const auto &r : R)
		if (r.kind == TR_SMC && r.world == SIM_WORLD_NS && r.a == kRfr && r.d != 0)
			nonzero = true;
	EXPECT_TRUE(nonzero) << "setup: thread 1 should take a foreign exit";
}

/* §1.9, §7: the interrupted thread's remaining secure work is kept: each invoke's secure time is unchanged. */
TEST(ProtoForeignIntr, SecureWorkOfTheCallIsPreserved)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kForeign));
	pl.run_for(3 * SIM_MS);
	pl.quiesce(10 * SIM_MS);

	/* "TA invoke" spans: from its TR_ACTIVITY record to the next TR_ACTIVITY on that CPU */
	sim_time total = 0;
	unsigned spans = 0;
	std::vector<sim_time> since(8, SIM_TIME_MAX);
	for (const auto &r : pl.log.recs) {
		if (r.kind != TR_ACTIVITY || r.cpu < 0 || r.cpu >= 8)
			continue;
		if (since[r.cpu] != SIM_TIME_MAX) {
			total += r.t - since[r.cpu];
			since[r.cpu] = SIM_TIME_MAX;
		}
		if (r.world == SIM_WORLD_S && r.label && !strcmp(r.label, "TA invoke")) {
			since[r.cpu] = r.t;
			spans++;
		}
	}
	/* invokes issued (the command is in the shared-memory message), less those refused with ETHREAD_LIMIT */
	unsigned calls = 0;
	for (const auto &r : pl.log.recs)
		if (r.kind == TR_SMC && r.world == SIM_WORLD_NS && r.a == kRegd && pl.msg_of(r) &&
		    pl.msg_of(r)->cmd == OPTEE_MSG_CMD_INVOKE_COMMAND)
			calls++;
	for (const auto &r : pl.log.recs) {
		/* ETHREAD_LIMIT preserves a1..a3: x1:x2 of the return name the call's buffer */
		const sim_msg_arg *m = sim_shm_msg(pl.p->shm, reg_pair_to_64(r.c, r.d), 0);
		if (r.kind == TR_SMC_RET && r.world == SIM_WORLD_NS && r.a == kRegd &&
		    r.b == OPTEE_SMC_RETURN_ETHREAD_LIMIT && m && m->cmd == OPTEE_MSG_CMD_INVOKE_COMMAND)
			calls--;
	}
	ASSERT_GT(calls, 0u);
	EXPECT_GT(spans, calls) << "no invoke was interrupted";
	sim_time per_call = sim_cost_sample(&pl.sc->platform.costs.c[SIM_COST_TEE_TA_INVOKE], nullptr,
					    &pl.sc->platform.costs.clock) +
			    300 * SIM_US;
	EXPECT_EQ(total, calls * per_call);
}

// ---- tzsim calibrate's segments (docs/calibration.md §5.3) ---------------------------------------------

/*
 * `tzsim calibrate` shares each guest segment's cycles among the abstract entries charged for the same stretch:
 * an abstract run of the same path (cortex-a53, SPI, one UART character, EOImode 0) must spend exactly the sum of
 * those entries in every EL3 leg, entered by an FIQ from the normal world or by an SMC with the segment's function
 * ID. Every EL3 leg runs the exception entry, BL31's dispatch (a Secure caller's SMC included: TF-A
 * bl31/aarch64/runtime_exceptions.S, sync_exception_aarch64 -> handle_sync_exception), the switch or FIQ_DONE's
 * restore, and the ERET (models/monitor/mon_main.c smc_entry, mon_enter_secure). Until stop 27 the table left the
 * dispatch out of three legs and the ERET out of two.
 */
TEST(CalibrateSegments, EachEl3LegIsWhatTheAbstractModelCharges)
{
	char err[256] = "";
	calibrate_result cal{};
	ASSERT_EQ(calibrate_run(SIM_PRESET_A53, nullptr, &cal, err, sizeof(err)), 0) << err;
	Plat pl;
	ASSERT_TRUE(pl.boot(std::string(kIsolatedNotif) + "ree: {eoimode: 0}\n"));
	ASSERT_EQ(pl.sc->platform.costs.preset, SIM_PRESET_A53);
	sim_time t0 = pl.now();
	pl.run_for(3500 * SIM_US);
	pl.quiesce(5 * SIM_MS);
	const double hz = (double)pl.sc->platform.costs.clock.hz;

	/* every abstract EL3 leg from t0 on: what entered it, and its cycles */
	struct Leg { bool fiq; uint32_t fid; unsigned from; double cycles; };
	std::vector<Leg> legs;
	struct Open { bool in = false, fiq = false; uint32_t fid = 0; unsigned from = 0, last = 0; sim_time t = 0; };
	std::vector<Open> open(8);
	std::vector<sim_rec> smc(8);
	for (const sim_rec &r : pl.log.recs) {
		if (r.t < t0 || r.cpu < 0 || r.cpu >= 8)
			continue;
		Open &o = open[(size_t)r.cpu];
		if (r.kind == TR_SMC)
			smc[(size_t)r.cpu] = r;
		if (r.kind != TR_ACTIVITY)
			continue;
		if (r.world == SIM_WORLD_EL3 && !o.in) {
			o.in = true;
			o.t = r.t;
			o.fiq = r.label && !strcmp(r.label, "FIQ entry");
			o.fid = !o.fiq && smc[(size_t)r.cpu].t == r.t ? (uint32_t)smc[(size_t)r.cpu].a : 0;
			o.from = o.fiq ? o.last : smc[(size_t)r.cpu].world;
		} else if (r.world != SIM_WORLD_EL3 && o.in) {
			o.in = false;
			legs.push_back({ o.fiq, o.fid, o.from, (double)(r.t - o.t) * hz / 1e12 });
		}
		if (r.world != SIM_WORLD_EL3)
			o.last = r.world;
	}
	unsigned checked = 0;
	for (unsigned i = 0; i < cal.nseg; i++) {
		const calibrate_seg &s = cal.seg[i];
		if (s.world != SIM_WORLD_EL3)
			continue;
		unsigned n = 0;
		for (const Leg &l : legs)
			if (l.fiq == s.fiq && l.fid == s.fid && l.from == s.from_world) {
				EXPECT_NEAR(l.cycles, s.table_cycles, 0.5) << s.what;
				n++;
			}
		EXPECT_GE(n, 1u) << "no abstract leg for \"" << s.what << "\"";
		checked++;
	}
	EXPECT_EQ(checked, 5u) << "the five EL3 legs of docs/calibration.md §5.3";
}

// ---- call arguments (issue 12 point 13) --------------------------------------------------------------

/*
 * Linux smc_abi.c optee_smc_do_call_with_arg: CALL_WITH_REGD_ARG with reg_pair_from_64(&a1, &a2, shm)
 * (optee_private.h: the first register takes val >> 32), a3 the offset of the struct optee_msg_arg in
 * that shm; the command is in the message. OP-TEE decodes std_entry_with_regd_arg(reg_pair_to_64(a1,
 * a2), a3) (thread_optee_smc.c).
 */
TEST(ProtoCallArgs, RegdArgCarriesCookieUpperInA1LowerInA2OffsetInA3)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kIsolatedNotif));
	sim_time t0 = pl.now();
	pl.run_for(1500 * SIM_US);
	pl.quiesce(5 * SIM_MS);
	auto calls = pl.recs(TR_SMC, t0, SIM_WORLD_NS, -1, kRegd);
	ASSERT_EQ(calls.size(), 1u);
	const sim_rec &c = calls[0];
	EXPECT_NE(c.b, 0u) << "a1: the upper half of a kernel pointer";
	EXPECT_LE(c.b, 0xffffffffu);
	EXPECT_LE(c.c, 0xffffffffu);
	const sim_msg_arg *m = sim_shm_msg(pl.p->shm, reg_pair_to_64(c.b, c.c), c.d);
	ASSERT_NE(m, nullptr) << "a1:a2 (upper:lower) and a3 name no message";
	EXPECT_EQ(m->cmd, (uint32_t)OPTEE_MSG_CMD_DO_BOTTOM_HALF);
	EXPECT_EQ(m->num_params, 0u);
	EXPECT_EQ(m->ret, TEE_SUCCESS) << "OP-TEE wrote the result into the message";
	EXPECT_EQ(sim_shm_msg(pl.p->shm, reg_pair_to_64(c.c, c.b), c.d), nullptr) << "the halves are not interchangeable";
}

/*
 * sim/shm.h: a message must fit in its buffer (OP-TEE answers EBADADDR otherwise). The offset is the
 * normal world's x3, any 64-bit value: one whose sum with the message's size wraps past 2^64 does not fit.
 */
TEST(ProtoCallArgs, AnOffsetThatWrapsPastTheBufferIsRefused)
{
	sim_shm *shm = sim_shm_new();
	ASSERT_NE(shm, nullptr);
	uint64_t cookie = sim_shm_alloc(shm);
	const uint64_t last = SIM_SHM_SIZE - SIM_MSG_ARG_SIZE(SIM_MSG_MAX_PARAMS);
	EXPECT_NE(sim_shm_msg(shm, cookie, last), nullptr) << "the last offset a whole message fits at";
	EXPECT_EQ(sim_shm_msg(shm, cookie, last + 8), nullptr);
	EXPECT_EQ(sim_shm_msg(shm, cookie, UINT64_MAX & ~7ull), nullptr) << "offset + size wraps to a small value";
	EXPECT_EQ(sim_shm_msg(shm, cookie, 0ull - SIM_MSG_ARG_SIZE(SIM_MSG_MAX_PARAMS)), nullptr);
	sim_shm_free(shm);
}

/* OP-TEE's side of the same rule: a cookie with its halves swapped names no buffer (EBADADDR); as Linux passes it, the call runs. */
TEST(ProtoCallArgs, TeeReadsTheMessageByRegPairToCookieAndOffset)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	uint64_t cookie = sim_shm_alloc(pl.p->shm);
	ASSERT_NE(cookie >> 32, 0u);
	sim_msg_arg *m = sim_shm_msg(pl.p->shm, cookie, 64);
	ASSERT_NE(m, nullptr);
	m->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
	m->num_params = 1;
	m->params[0] = sim_msg_param{ SIM_MSG_ATTR_VALUE_INPUT, 10 * SIM_US, 0, 0 };
	m->ret = 0x1234;
	DirectSmc bad{ &pl, 1 }, good{ &pl, 1 };
	bad.x[0] = good.x[0] = kRegd;
	bad.x[1] = cookie & 0xffffffff, bad.x[2] = cookie >> 32, bad.x[3] = 64;
	good.x[1] = cookie >> 32, good.x[2] = cookie & 0xffffffff, good.x[3] = 64;
	bad.post(10 * SIM_US);
	good.post(200 * SIM_US);
	pl.run_for(1 * SIM_MS);
	ASSERT_TRUE(bad.done && good.done);
	EXPECT_EQ(bad.ret[0], (uint64_t)OPTEE_SMC_RETURN_EBADADDR);
	EXPECT_EQ(good.ret[0], (uint64_t)OPTEE_SMC_RETURN_OK);
	EXPECT_EQ(m->ret, TEE_SUCCESS);
	unsigned invoked = 0;
	for (const auto &r : pl.recs(TR_ACTIVITY, 0, SIM_WORLD_S))
		invoked += r.label && !strcmp(r.label, "TA invoke");
	EXPECT_EQ(invoked, 1u) << "only the well-formed call reached the TA";
}

// ---- Linux notif bookkeeping (§2.6) ---------------------------------------------------------------

/* §2.6 optee_notif_send: with no waiter the key is kept as one bit; a second send coalesces into it. */
TEST(ProtoLinuxNotif, SendBeforeWaitIsKeptAsOneBit)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kQuiet));
	Sends s1{ &pl, { 5 }, 1 }, s2{ &pl, { 5 }, 1 };
	s1.post(10 * SIM_US);
	s2.post(500 * SIM_US); /* after the first was fetched: a second, separate delivery */
	pl.run_for(2 * SIM_MS);

	auto g = pl.get_returns(0);
	unsigned fives = 0;
	for (const auto &r : g)
		fives += r.c == 5 && (r.d & OPTEE_SMC_ASYNC_NOTIF_VALID);
	ASSERT_EQ(fives, 2u) << "both sends must reach Linux";
	EXPECT_EQ(pl.p->ree->optee->notif_waiters, nullptr);
	for (unsigned i = 0; i < sizeof(pl.p->ree->optee->notif_bitmap); i++)
		EXPECT_EQ(pl.p->ree->optee->notif_bitmap[i], i == 0 ? (1u << 5) : 0u) << "byte " << i;
}

// ---- RPC NOTIFICATION: the yielding-notification mutex (§1.8, §3) -----------------------------------

namespace {

/*
 * optee_stop_async_notif (call.c: simple_call_with_arg(ctx, OPTEE_MSG_CMD_STOP_ASYNC_NOTIF)), as the
 * driver's remove path makes it: a yielding call from a task of its own on @cpu, started at @at.
 */
struct StopAsyncNotif {
	Plat *pl;
	ree_task *task = nullptr;
	static void start(ree_task *t, struct pe *pe)
	{
		t->call.cmd = OPTEE_MSG_CMD_STOP_ASYNC_NOTIF;
		t->call.param = 0;
		t->call.tag = 0;
		t->call.done = done;
		ree_optee_call(t->r, &t->call, pe);
	}
	static void done(optee_call *c, struct pe *pe, uint64_t) { ree_block(c->task->r, pe, ree_task_park); }
	static void fire(void *ctx, uint64_t)
	{
		StopAsyncNotif *s = static_cast<StopAsyncNotif *>(ctx);
		ree_wake(s->pl->p->ree, s->task, nullptr);
	}
	void post(unsigned cpu, sim_time delay)
	{
		task = ree_task_new(pl->p->ree, "optee-remove", (int)cpu, PRIO_NORMAL, REE_USER, start);
		sim_post(pl->p->sim.k, delay, fire, this, 0);
	}
};

} // namespace

/*
 * §1.8: OP-TEE serialises yielding notifications (notif_deliver_event's notif_mutex); a second one waits
 * with RPC_CMD NOTIFICATION WAIT for 64 + its thread id and resumes (RETURN_FROM_RPC) only after the
 * owner's NOTIFICATION SEND of that value. Linux never runs two DO_BOTTOM_HALF at once (one
 * notif_pcpu_work, non-reentrant: ree_sched_test.cc); what can meet a running bottom half is
 * STOP_ASYNC_NOTIF, which takes the same mutex (OP-TEE notif.c notif_deliver_event(NOTIF_EVENT_STOPPED)).
 */
TEST(ProtoRpcNotification, SecondBottomHalfWaitsForOwnersSend)
{
	Plat pl;
	ASSERT_TRUE(pl.boot("name: proto\n"
			    "platform: {cpus: 2}\n"
			    "transport: {kind: ppi}\n"
			    "tee: {threads: 2}\n"
			    "sources:\n"
			    "  - {name: u0, cpu: 0, arrival: {periodic: 1ms}, bottom_half: 200us}\n"));
	StopAsyncNotif stop{ &pl };
	stop.post(1, 1050 * SIM_US); /* during the bottom half that the arrival at 1 ms starts on CPU 0 */
	pl.run_for(1500 * SIM_US);
	pl.quiesce(5 * SIM_MS);

	const auto &R = pl.log.recs;
	/* the RPC's command is in its shared-memory message: cmd NOTIFICATION, value {a = op, b = key} */
	auto is_rpc_notif = [&pl](const sim_rec &r, unsigned op) {
		const sim_msg_arg *m = pl.msg_of(r);
		return r.kind == TR_SMC && r.world == SIM_WORLD_S && r.a == kCallDone && r.b == OPTEE_SMC_RETURN_RPC_CMD &&
		       m && m->cmd == OPTEE_RPC_CMD_NOTIFICATION && m->params[0].a == op;
	};
	auto key_of = [&pl](const sim_rec &r) { return pl.msg_of(r)->params[0].b; };
	size_t wait = R.size();
	for (size_t i = 0; i < R.size(); i++)
		if (is_rpc_notif(R[i], OPTEE_RPC_NOTIFICATION_WAIT)) {
			wait = i;
			break;
		}
	ASSERT_LT(wait, R.size()) << "no bottom half waited";
	uint64_t key = key_of(R[wait]);
	ASSERT_GE(key, (uint64_t)NOTIF_SYNC_VALUE_BASE);
	uint64_t waiter = key - NOTIF_SYNC_VALUE_BASE;
	int wcpu = R[wait].cpu;
	size_t send = R.size();
	for (size_t i = wait + 1; i < R.size(); i++)
		if (is_rpc_notif(R[i], OPTEE_RPC_NOTIFICATION_SEND) && key_of(R[i]) == key) {
			send = i;
			break;
		}
	ASSERT_LT(send, R.size()) << "the owner never sent " << key;
	EXPECT_NE(R[send].cpu, wcpu) << "the send comes from the owner";
	/* the waiter's RETURN_FROM_RPC for its thread: none between WAIT and SEND, one after */
	size_t resume = R.size();
	for (size_t i = wait + 1; i < R.size(); i++)
		if (R[i].kind == TR_SMC && R[i].world == SIM_WORLD_NS && R[i].a == kRfr && R[i].d == waiter) {
			resume = i;
			break;
		}
	ASSERT_LT(resume, R.size()) << "the waiter never resumed";
	EXPECT_GT(resume, send) << "the waiter resumed before the owner's SEND";
	/* and its call completes: a CALL_DONE with OK for the waiter's CPU after the resume */
	bool done = false;
	for (size_t i = resume; i < R.size() && !done; i++)
		done = R[i].kind == TR_TEE_THREAD && R[i].a == waiter && R[i].b == 0;
	EXPECT_TRUE(done);
}

// ---- end to end (§2.3, §2.4, §7) -------------------------------------------------------------------

namespace {

/* SPI edge, one secure UART, no load: one arrival 1ms after boot. */
const char *const kIsolated = "name: isolated\n"
			      "stop: {after: 1500us}\n"
			      "platform: {cpus: 4}\n"
			      "transport: {kind: spi, intid: 219, trigger: edge}\n"
			      "sources:\n"
			      "  - name: uart\n"
			      "    arrival: {periodic: 1ms}\n";

} // namespace

/*
 * §7 (observed on QEMU + TF-A + OP-TEE 4.10 + Linux 6.1): one isolated notification is exactly
 * FIQ_DONE (S) -> GET_ASYNC_NOTIF_VALUE (NS) -> CALL_DONE a1=0 (OK) a2=0 (DO_BOTTOM_HALF) a3=VALID (S)
 * -> CALL_WITH_REGD_ARG cmd DO_BOTTOM_HALF (NS) -> CALL_DONE (S).
 */
TEST(E2eSequence, IsolatedSpiNotificationIsFiveSmcs)
{
	Plat pl;
	ASSERT_TRUE(pl.boot(kIsolated));
	sim_time t0 = pl.now();
	pl.run_for(1500 * SIM_US);
	pl.quiesce(5 * SIM_MS);

	auto s = pl.smcs(t0);
	ASSERT_EQ(s.size(), 5u);
	EXPECT_EQ(s[0].a, kFiqDone);
	EXPECT_EQ(s[0].world, (uint32_t)SIM_WORLD_S);
	EXPECT_EQ(s[1].a, kGet);
	EXPECT_EQ(s[1].world, (uint32_t)SIM_WORLD_NS);
	EXPECT_EQ(s[2].a, kCallDone);
	EXPECT_EQ(s[2].world, (uint32_t)SIM_WORLD_S);
	EXPECT_EQ(s[2].b, OPTEE_SMC_RETURN_OK);
	EXPECT_EQ(s[2].c, (uint64_t)OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF);
	EXPECT_EQ(s[2].d, OPTEE_SMC_ASYNC_NOTIF_VALID);
	EXPECT_EQ(s[3].a, kRegd);
	EXPECT_EQ(s[3].world, (uint32_t)SIM_WORLD_NS);
	ASSERT_NE(pl.msg_of(s[3]), nullptr) << "a1:a2 (upper:lower), a3 (offset) name no shared-memory message";
	EXPECT_EQ(pl.msg_of(s[3])->cmd, (uint32_t)OPTEE_MSG_CMD_DO_BOTTOM_HALF);
	EXPECT_EQ(s[4].a, kCallDone);
	EXPECT_EQ(s[4].world, (uint32_t)SIM_WORLD_S);
	EXPECT_EQ(s[4].b, OPTEE_SMC_RETURN_OK);
	/* and the notification was delivered: its DO_BOTTOM_HALF entered the TEE */
	unsigned entered = 0;
	for (const auto &r : pl.recs(TR_NOTIF, t0))
		entered += r.a == NOTIF_BH_ENTER;
	EXPECT_EQ(entered, 1u);
}

namespace {

int run_yaml(const std::string &yaml, run_result *res, std::vector<const char *> ovr = {},
	     int kernel = -1, uint64_t seed = 0, bool seed_given = false)
{
	std::unique_ptr<scenario> sc(new scenario());
	sim_diag d{};
	if (scenario_load_string(yaml.c_str(), "e2e.yaml", ovr.data(), (int)ovr.size(), sc.get(), &d) != 0) {
		ADD_FAILURE() << d.msg;
		return -1;
	}
	return run_quiet(sc.get(), res, kernel, seed, seed_given);
}

} // namespace

/* The scenario's smc_sequence check (run.c) passes on the §7 sequence. */
TEST(E2eExpect, SmcSequenceOfIsolatedNotificationPasses)
{
	std::string y = std::string(kIsolated) +
			"expect:\n"
			"  - smc_sequence: [FIQ_DONE, GET_ASYNC_NOTIF_VALUE, CALL_DONE, CALL_WITH_REGD_ARG, CALL_DONE]\n"
			"    notification: 1\n"
			"  - notifications == 1\n"
			"  - lost == 0\n";
	run_result res;
	EXPECT_EQ(run_yaml(y, &res), 0) << res.msg;
	EXPECT_EQ(res.n_expect, 3u);
	EXPECT_EQ(res.n_failed, 0u) << res.msg;
}

/* ... and fails, naming what it measured, when the sequence differs. */
TEST(E2eExpect, SmcSequenceMismatchFails)
{
	std::string y = std::string(kIsolated) +
			"expect:\n"
			"  - smc_sequence: [FIQ_DONE, GET_ASYNC_NOTIF_VALUE, CALL_DONE, CALL_WITH_ARG, CALL_DONE]\n"
			"    notification: 1\n";
	run_result res;
	EXPECT_EQ(run_yaml(y, &res), 1);
	EXPECT_EQ(res.n_failed, 1u);
	EXPECT_NE(std::string(res.msg).find("measured [FIQ_DONE, GET_ASYNC_NOTIF_VALUE, CALL_DONE, "
					    "CALL_WITH_REGD_ARG, CALL_DONE]"),
		  std::string::npos)
		<< res.msg;
}

/* scenarios/default.yaml loses no notification (its own expect: lost == 0). */
TEST(E2eDefault, NoNotificationLost)
{
	run_result res;
	EXPECT_EQ(run_file("scenarios/default.yaml", &res), 0) << res.msg;
	EXPECT_GT(res.notifications, 100.0);
	EXPECT_EQ(res.lost, 0.0);
	EXPECT_EQ(res.delivered + res.coalesced, res.notifications);
}

/* One seed, one run: two runs give the same digest, record count and notification counts. */
TEST(E2eDeterminism, SameSeedSameDigest)
{
	run_result a, b;
	ASSERT_EQ(run_file("scenarios/default.yaml", &a, { "stop={after: 30ms}" }), 0) << a.msg;
	ASSERT_EQ(run_file("scenarios/default.yaml", &b, { "stop={after: 30ms}" }), 0) << b.msg;
	EXPECT_EQ(a.digest, b.digest);
	EXPECT_EQ(a.records, b.records);
	EXPECT_EQ(a.notifications, b.notifications);
	EXPECT_EQ(a.delivered, b.delivered);
	EXPECT_EQ(a.coalesced, b.coalesced);
	EXPECT_EQ(a.sim_end, b.sim_end);
}

/* A different seed draws different arrivals and costs: a different digest. */
TEST(E2eDeterminism, DifferentSeedDifferentDigest)
{
	run_result a, b;
	ASSERT_EQ(run_file("scenarios/default.yaml", &a, { "stop={after: 30ms}" }, 1, true), 0) << a.msg;
	ASSERT_EQ(run_file("scenarios/default.yaml", &b, { "stop={after: 30ms}" }, 2, true), 0) << b.msg;
	EXPECT_NE(a.digest, b.digest);
	EXPECT_EQ(a.lost, 0.0);
	EXPECT_EQ(b.lost, 0.0);
}

/*
 * §6.1, §7: taking the notification SPI's CPU offline and back (cpu_off then cpu_on) completes, the
 * CPU is online again, the SPI keeps working on another CPU meanwhile, and nothing is lost.
 */
TEST(E2eHotplug, CpuOffThenOnCompletesAndLosesNothing)
{
	run_result res;
	EXPECT_EQ(run_file("scenarios/default.yaml", &res,
			   { "stop={after: 20ms}", "timeline=[{at: 3ms, cpu_off: 0}, {at: 9ms, cpu_on: 0}, "
						   "{at: 12ms, cpu_off: 2}, {at: 15ms, cpu_on: 2}]",
			     "expect=[lost == 0]" }),
		  0)
		<< res.msg;
	EXPECT_GT(res.notifications, 10.0);
	EXPECT_EQ(res.lost, 0.0);
}
