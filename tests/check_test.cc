// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/check_test.cc: the invariant checker (sim/stats/check.h). Each test
 * breaks one invariant of docs/protocol.md §10.4 on purpose, with the
 * records a broken model would emit, and expects it caught (and the
 * well-behaved stream next to it not). The violation is a trace record.
 */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/kernel/trace.h"
#include "sim/stats/check.h"

namespace {

constexpr sim_time US = 1000000ull;

struct Checker {
	sim_trace *tr = sim_trace_new();
	sim_check *c = nullptr;
	std::vector<sim_rec> emitted; /* what the checker wrote into the trace */
	static void catch_sink(void *ctx, const sim_rec *r)
	{
		auto *self = static_cast<Checker *>(ctx);
		if (r->kind == TR_EVENT && r->code == SIM_EV_VIOLATION)
			self->emitted.push_back(*r);
	}
	explicit Checker(unsigned threads = 2)
	{
		/* the GIC's wires, as gic_common.c registers them */
		for (unsigned cpu = 0; cpu < 2; cpu++) {
			std::string scope = "cpu" + std::to_string(cpu);
			sim_trace_signal(tr, scope.c_str(), "irq", 1);
			sim_trace_signal(tr, scope.c_str(), "fiq", 1);
		}
		sim_check_cfg cfg{ 2, threads, 219, 0 };
		c = check_new(&cfg, tr);
		sim_trace_add_sink(tr, check_sink, c);
		sim_trace_add_sink(tr, catch_sink, this);
	}
	~Checker()
	{
		check_free(c);
		sim_trace_free(tr);
	}
	void feed(sim_rec r) { sim_trace_emit(tr, &r); }
	void notif(sim_time t, int cpu, uint32_t id, unsigned stage, uint64_t value)
	{
		sim_rec r{};
		r.t = t, r.kind = TR_NOTIF, r.cpu = cpu, r.notif = id, r.a = stage, r.b = value;
		feed(r);
	}
	void rec(sim_time t, unsigned kind, int cpu, uint64_t a, uint64_t b = 0, unsigned world = 0,
		 const char *label = nullptr)
	{
		sim_rec r{};
		r.t = t, r.kind = (uint16_t)kind, r.cpu = cpu, r.a = a, r.b = b, r.world = world, r.label = label;
		feed(r);
	}
	void idle(sim_time t, int cpu) { rec(t, TR_ACTIVITY, cpu, 1, 0, SIM_WORLD_NS, nullptr); }
	void busy(sim_time t, int cpu) { rec(t, TR_ACTIVITY, cpu, 1, 0, SIM_WORLD_NS, "work"); }
	unsigned first() const { return check_count(c) ? check_violation(c, 0)->inv : 0; }
};

} // namespace

/* §10.4 / §2.3: each send is delivered once; a second DO_BOTTOM_HALF entry for it is caught. */
TEST(Check, DeliveredTwiceIsCaught)
{
	Checker k;
	k.notif(1 * US, 0, 1, NOTIF_SEND, 0);
	k.notif(2 * US, 0, 1, NOTIF_FETCHED, 0);
	k.notif(3 * US, 0, 1, NOTIF_BH_ENTER, 0);
	EXPECT_EQ(check_count(k.c), 0u);
	k.notif(4 * US, 0, 1, NOTIF_BH_ENTER, 0);
	ASSERT_EQ(check_count(k.c), 1u);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_DELIVERED_TWICE);
	ASSERT_EQ(k.emitted.size(), 1u); /* and it is a trace record, with the notification */
	EXPECT_EQ(k.emitted[0].notif, 1u);
	EXPECT_EQ(k.emitted[0].a, (uint64_t)SIM_INV_DELIVERED_TWICE);
}

/* §2.3: a value other than DO_BOTTOM_HALF passed to optee_notif_send() without a fetch is caught. */
TEST(Check, ValuePassedOnWithoutFetchIsCaught)
{
	Checker k;
	k.notif(1 * US, 1, 0, NOTIF_BH_ENTER, 3);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_DELIVERED_TWICE);
}

/* §3.1, §6.2: a value left in OP-TEE's bitmap at quiescence, with online CPUs, is caught and explained. */
TEST(Check, BitmapNotEmptyAtQuiescenceIsCaught)
{
	Checker k;
	k.idle(0, 0), k.idle(0, 1);
	k.notif(1 * US, 1, 1, NOTIF_SEND, 2);
	k.notif(1 * US, 1, 2, NOTIF_SEND, 3);
	k.rec(2 * US, TR_GIC_ACK, 0, 219, 1);
	k.notif(3 * US, 0, 1, NOTIF_FETCHED, 2); /* one fetch only (a drain loop that stops early) */
	k.notif(4 * US, 0, 0, NOTIF_BH_ENTER, 2);
	check_end(k.c, 10 * US);
	ASSERT_EQ(check_count(k.c), 1u);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_BITMAP_NOT_EMPTY);
	EXPECT_EQ(check_violation(k.c, 0)->value, 3u);
	std::string text = check_violation(k.c, 0)->text;
	EXPECT_NE(text.find("value 3 left in OP-TEE's bitmap"), std::string::npos) << text;
	EXPECT_NE(text.find("fetched 1 value"), std::string::npos) << text;
}

/* §6.2: a value whose interrupt is held for an offline CPU is a note naming the cause, not a violation. */
TEST(Check, StrandedOnOfflineCpuIsANote)
{
	Checker k;
	k.idle(0, 0), k.idle(0, 1);
	k.rec(1 * US, TR_EVENT, 1, 219, 1, SIM_WORLD_NS, "disable_percpu_irq");
	k.notif(2 * US, 1, 1, NOTIF_SEND, 0);
	k.rec(2 * US, TR_GIC_PEND, 1, 219, 1);
	k.rec(3 * US, TR_PSCI, 1, 0x84000002u);
	k.rec(4 * US, TR_POWER, 1, 0);
	check_end(k.c, 10 * US);
	EXPECT_EQ(check_count(k.c), 0u);
	std::string notes = check_notes(k.c);
	EXPECT_NE(notes.find("no online CPU can take it"), std::string::npos) << notes;
	EXPECT_NE(notes.find("after CPU 1's disable_percpu_irq"), std::string::npos) << notes;
}

/*
 * §6.2: the donated SGI pending on a CPU that went off is cleared untaken when the CPU comes back
 * (TF-A's gicv3_rdistif_init makes SGIs 8-15 Secure again; OP-TEE's gicv3_sync_redist_config
 * clears it). Its value waits for a later notification; with none, that is a note, not a
 * violation. The same clear outside a bring-up is still caught.
 */
TEST(Check, SgiClearedAtCpuOnIsANote)
{
	for (bool bringup : { true, false }) {
		Checker k;
		k.idle(0, 0), k.idle(0, 1);
		k.notif(2 * US, 1, 1, NOTIF_SEND, 0);
		k.rec(2 * US, TR_GIC_PEND, 1, 219, 1);
		if (bringup) {
			k.rec(4 * US, TR_POWER, 1, 0);
			k.rec(6 * US, TR_POWER, 1, 1);
		}
		k.rec(7 * US, TR_GIC_CLEAR, 1, 219);
		k.rec(8 * US, TR_EVENT, 1, 1, 0, SIM_WORLD_NS, "CPU online");
		k.idle(9 * US, 1);
		check_end(k.c, 10 * US);
		if (bringup) {
			EXPECT_EQ(check_count(k.c), 0u);
			std::string notes = check_notes(k.c);
			EXPECT_NE(notes.find("was cleared untaken as that CPU came back"), std::string::npos) << notes;
		} else {
			ASSERT_EQ(check_count(k.c), 1u);
			EXPECT_EQ(k.first(), (unsigned)SIM_INV_BITMAP_NOT_EMPTY);
		}
	}
}

/* §2.4: a value fetched and never delivered has vanished. */
TEST(Check, FetchedNeverDeliveredIsCaught)
{
	Checker k;
	k.idle(0, 0), k.idle(0, 1);
	k.notif(1 * US, 0, 1, NOTIF_SEND, 0);
	k.notif(2 * US, 0, 1, NOTIF_FETCHED, 0);
	check_end(k.c, 10 * US);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_VANISHED);
}

/* The checks at quiescence apply only when every CPU is idle or off. */
TEST(Check, NotQuiescentSkipsTheEndChecks)
{
	Checker k;
	k.busy(0, 0);
	k.notif(1 * US, 0, 1, NOTIF_SEND, 0);
	check_end(k.c, 10 * US);
	EXPECT_EQ(check_count(k.c), 0u);
	EXPECT_NE(std::string(check_notes(k.c)).find("not quiescent"), std::string::npos);
}

/* §5.4/§5.5: an SPI acknowledged on a second PE while still active on the first is caught. */
TEST(Check, SpiActiveOnTwoPesIsCaught)
{
	Checker k;
	k.rec(1 * US, TR_GIC_ACK, 0, 219, 1);
	k.rec(2 * US, TR_GIC_DEACT, 0, 219);
	k.rec(3 * US, TR_GIC_ACK, 1, 219, 1); /* fine: deactivated on CPU 0 first */
	EXPECT_EQ(check_count(k.c), 0u);
	k.rec(4 * US, TR_GIC_ACK, 0, 219, 1);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_ACTIVE_TWICE);
	/* SGIs and PPIs are banked per PE: the same INTID active on two PEs is allowed */
	Checker ppi;
	ppi.rec(1 * US, TR_GIC_ACK, 0, 31, 1);
	ppi.rec(2 * US, TR_GIC_ACK, 1, 31, 1);
	EXPECT_EQ(check_count(ppi.c), 0u);
}

/* §6.1: an SPI that becomes pending routed to an offline PE is reported (a note). */
TEST(Check, SpiPendingForOfflinePeIsNoted)
{
	Checker k;
	k.rec(1 * US, TR_POWER, 1, 0);
	k.rec(2 * US, TR_GIC_PEND, 1, 40, 0);
	EXPECT_EQ(check_count(k.c), 0u);
	EXPECT_NE(std::string(check_notes(k.c)).find("SPI 40"), std::string::npos);
}

/* §5.5: a PE idle for 1 ms with its IRQ line asserted is asleep on an interrupt it could take. */
TEST(Check, IdleWithIrqLineUpIsCaught)
{
	Checker k;
	k.idle(1 * US, 0);
	k.rec(2 * US, TR_WIRE, 0, 0 /* cpu0 irq */, 1);
	k.idle(3 * US, 1);
	EXPECT_EQ(check_count(k.c), 0u); /* a moment is the normal wake-up */
	check_end(k.c, 2 * US + 1000 * US);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_SLEEP_PENDING);
}

/* §1.9: more threads busy than tee.threads is caught. */
TEST(Check, MoreThreadsThanConfiguredIsCaught)
{
	Checker k(1);
	k.rec(1 * US, TR_TEE_THREAD, 0, 0, 1);
	EXPECT_EQ(check_count(k.c), 0u);
	k.rec(2 * US, TR_TEE_THREAD, 0, 1, 1);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_THREADS);
}

/* §1.9: a yielding call still in OP-TEE at quiescence never returned; a TA in notif_wait is exempt. */
TEST(Check, YieldingCallThatNeverReturnsIsCaught)
{
	Checker k;
	k.idle(0, 0), k.idle(0, 1);
	k.rec(1 * US, TR_TEE_THREAD, 0, 0, 2); /* out in an RPC */
	check_end(k.c, 10 * US);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_CALL_NOT_RETURNED);

	Checker w;
	w.idle(0, 0), w.idle(0, 1);
	sim_rec wait{};
	wait.kind = TR_EVENT, wait.code = SIM_EV_TA_WAIT, wait.cpu = 0;
	w.feed(wait);
	w.rec(1 * US, TR_TEE_THREAD, 0, 0, 2);
	check_end(w.c, 10 * US);
	EXPECT_EQ(check_count(w.c), 0u);
}

/* §6.4: an ERET from EL3 into the secure world while the normal world's context is loaded is caught. */
TEST(Check, EretWithTheOtherWorldsContextIsCaught)
{
	Checker k;
	{ /* an SMC from the normal world: to EL3 (c = 3) */
		sim_rec r{};
		r.t = 1 * US, r.kind = TR_EXC_ENTRY, r.cpu = 0, r.a = 2, r.b = 1, r.c = 3;
		k.feed(r);
	}
	k.rec(2 * US, TR_WORLD_SWITCH, 0, SIM_WORLD_NS, SIM_WORLD_S);
	k.rec(3 * US, TR_EXC_RETURN, 0, 1, 0, SIM_WORLD_S); /* right: the secure context was restored */
	EXPECT_EQ(check_count(k.c), 0u);
	{
		sim_rec r{};
		r.t = 4 * US, r.kind = TR_EXC_ENTRY, r.cpu = 0, r.a = 2, r.b = 1, r.c = 3;
		k.feed(r);
	}
	/* no switch back: the secure context is still loaded, yet the monitor ERETs to the normal world */
	k.rec(5 * US, TR_EXC_RETURN, 0, 1, 0, SIM_WORLD_NS);
	EXPECT_EQ(k.first(), (unsigned)SIM_INV_WRONG_CONTEXT);
}

/* A clean stream adds no record: the digest of a clean run is unchanged. */
TEST(Check, CleanStreamEmitsNothing)
{
	Checker k;
	k.idle(0, 0), k.idle(0, 1);
	k.notif(1 * US, 0, 1, NOTIF_SEND, 0);
	k.notif(1 * US, 0, 2, NOTIF_COALESCED, 0);
	k.rec(2 * US, TR_GIC_ACK, 0, 219, 1);
	k.notif(3 * US, 0, 1, NOTIF_FETCHED, 0);
	k.notif(4 * US, 0, 1, NOTIF_BH_ENTER, 0);
	k.rec(5 * US, TR_GIC_DEACT, 0, 219);
	check_end(k.c, 10 * US);
	EXPECT_EQ(check_count(k.c), 0u);
	EXPECT_TRUE(k.emitted.empty());
}
