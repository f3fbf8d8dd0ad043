// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/isa_test.cc: guest code on Unicorn (models/cpu/isa.h) with the
 * real GIC, bus and secure source (sim/isa_plat.h). Each test runs guest
 * routines alone, without the abstract models, and names the rule it checks.
 */
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <xxhash.h>

#include "models/cpu/isa_internal.h"
#include "sim/isa_plat.h"

namespace {

constexpr uint64_t GET_ASYNC = 0xB2000011;       /* OPTEE_SMC_GET_ASYNC_NOTIF_VALUE */
constexpr uint64_t GET_THREAD_COUNT = 0xB200000F;
constexpr uint64_t ENABLE_ASYNC = 0xB2000010;
constexpr uint64_t CALL_WITH_REGD_ARG = 0x32000013;
constexpr uint64_t RETURN_FROM_RPC = 0x32000003;
constexpr uint64_t CALL_DONE = 0xBE000005;
constexpr uint64_t FIQ_DONE = 0xBE000006;
constexpr uint64_t ENTRY_DONE = 0xBE000000;
constexpr uint64_t PSCI_CPU_ON64 = 0xC4000003;
constexpr uint64_t VALID = 1, PENDING = 2;
constexpr unsigned IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2;

struct Plat {
	isa_plat p;
	explicit Plat(const isa_plat_cfg *c = nullptr)
	{
		isa_plat_cfg d;
		isa_plat_cfg_default(&d);
		ok = isa_plat_init(&p, c ? c : &d) == 0;
		EXPECT_TRUE(ok) << p.err;
	}
	~Plat() { isa_plat_fini(&p); }
	Plat(const Plat &) = delete;
	Plat &operator=(const Plat &) = delete;
	bool ok = false;

	bool boot() { return ok && isa_plat_boot(&p) == 0; }
	uint64_t sym(isa_builtin img, const char *n)
	{
		uint64_t a = isa_plat_sym(&p, img, n);
		EXPECT_NE(a, 0u) << n;
		return a;
	}
	template <class T> T *at(isa_builtin img, const char *n)
	{
		return static_cast<T *>(isa_plat_ptr(&p, sym(img, n), sizeof(T)));
	}
	/* A fast or yielding call from the normal world on @pe: x0..x3 of the result. */
	std::vector<uint64_t> smc(unsigned pe, std::vector<uint64_t> x)
	{
		uint64_t a[8] = { 0 }, r[4] = { ~0ull, ~0ull, ~0ull, ~0ull };
		for (size_t i = 0; i < x.size() && i < 8; i++)
			a[i] = x[i];
		EXPECT_EQ(isa_plat_smc_call(&p, pe, a, r), 0) << p.err;
		return { r[0], r[1], r[2], r[3] };
	}
	uint64_t call(unsigned pe, isa_builtin img, const char *fn, std::vector<uint64_t> args = {})
	{
		uint64_t r[4] = { ~0ull };
		EXPECT_EQ(isa_plat_call(&p, pe, sym(img, fn), args.data(), (unsigned)args.size(),
					isa_plat_task_stack(&p, pe), r),
			  0)
			<< p.err;
		return r[0];
	}
	/* The SMC function IDs seen from @first on, with the world that made each. */
	std::vector<std::pair<uint64_t, bool>> smcs(unsigned first = 0) const
	{
		std::vector<std::pair<uint64_t, bool>> v;
		for (unsigned i = first; i < p.nsmc; i++)
			v.push_back({ (uint32_t)p.smc[i].x[0], p.smc[i].secure });
		return v;
	}
	unsigned count_mc(unsigned imm, unsigned first = 0) const
	{
		unsigned n = 0;
		for (unsigned i = first; i < p.nmc; i++)
			n += p.mc[i].imm == imm;
		return n;
	}
};

using Smcs = std::vector<std::pair<uint64_t, bool>>;
constexpr bool NS = false, S = true;

/* ---- the decoder and the cost model ------------------------------------------------------- */

/* Arm ARM DDI 0487 A64 index: one encoding of each class. */
TEST(IsaDecode, ClassesFollowTheA64EncodingGroups)
{
	struct {
		uint32_t insn;
		isa_class cls;
	} cases[] = {
		{ 0x8b020020, ISA_C_INT },     /* add x0, x1, x2 */
		{ 0xd503201f, ISA_C_INT },     /* nop */
		{ 0xf9400020, ISA_C_LOAD },    /* ldr x0, [x1] */
		{ 0xa9400820, ISA_C_LOAD },    /* ldp x0, x2, [x1] */
		{ 0x885ffc20, ISA_C_LOAD },    /* ldaxr w0, [x1] */
		{ 0xf9000020, ISA_C_STORE },   /* str x0, [x1] */
		{ 0xa9000820, ISA_C_STORE },   /* stp x0, x2, [x1] */
		{ 0x8800fc20, ISA_C_STORE },   /* stlxr w0, w0, [x1] */
		{ 0x14000001, ISA_C_BRANCH },  /* b . + 4 */
		{ 0x54000040, ISA_C_BRANCH },  /* b.eq */
		{ 0xb4000040, ISA_C_BRANCH },  /* cbz x0 */
		{ 0xd65f03c0, ISA_C_BRANCH },  /* ret */
		{ 0xd5033fdf, ISA_C_BARRIER }, /* isb */
		{ 0xd5033f9f, ISA_C_BARRIER }, /* dsb sy */
		{ 0xd5033bbf, ISA_C_BARRIER }, /* dmb ish */
		{ 0xd538cc00, ISA_C_SYSREG },  /* mrs x0, ICC_IAR1_EL1 */
		{ 0xd518cba1, ISA_C_SYSREG },  /* msr ICC_SGI1R_EL1, x1 */
		{ 0xd50342ff, ISA_C_SYSREG },  /* msr daifclr, #2 */
		{ 0xd4000003, ISA_C_EXC },     /* smc #0 */
		{ 0xd4000002, ISA_C_EXC },     /* hvc #0 */
		{ 0xd69f03e0, ISA_C_ERET },    /* eret */
	};
	for (auto &c : cases)
		EXPECT_EQ(isa_a64_class(c.insn), c.cls) << std::hex << c.insn;
}

/* docs/calibration.md §5: a block costs its issue bound (or its busiest pipeline) plus serial penalties. */
TEST(IsaTiming, BlockCostIsTheIssueBoundPlusSerialPenalties)
{
	const isa_timing *a53 = isa_timing_preset(SIM_PRESET_A53), *a72 = isa_timing_preset(SIM_PRESET_A72);
	uint16_t ints[ISA_C_STATIC] = { 10 };
	uint16_t loads[ISA_C_STATIC] = { 0 };
	loads[ISA_C_LOAD] = 6;
	loads[ISA_C_STORE] = 4;
	uint16_t sys[ISA_C_STATIC] = { 0 };
	sys[ISA_C_SYSREG] = 2;
	sys[ISA_C_ERET] = 1;
	/* 10 integer instructions: 2-wide on the A53 (5 cycles), 3-wide but 2 ALUs on the A72 (5) */
	EXPECT_EQ(isa_block_cost16(a53, ints, 10), 5u * 16);
	EXPECT_EQ(isa_block_cost16(a72, ints, 10), 5u * 16);
	/* 6 loads + 4 stores: one shared load/store pipe on the A53 (10), separate ones on the A72 (6) */
	EXPECT_EQ(isa_block_cost16(a53, loads, 10), 10u * 16);
	EXPECT_EQ(isa_block_cost16(a72, loads, 10), 6u * 16);
	/* 2 MRS/MSR + ERET: three on the branch pipe plus their penalties */
	EXPECT_EQ(isa_block_cost16(a53, sys, 3), 3u * 16 + 2 * a53->penalty16[ISA_C_SYSREG] +
								   a53->penalty16[ISA_C_ERET]);
}

/* ---- the engine ---------------------------------------------------------------------------------- */

/* TF-A bl31_main -> opteed_init (ENTRY_DONE) -> el3_exit into BL33 (docs/protocol.md §6.4). */
TEST(IsaBoot, ColdBootGoesThroughOpteeToTheNormalWorld)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	isa_engine *e = t.p.e[0];
	EXPECT_EQ(isa_el(e), 1u);
	EXPECT_FALSE(isa_secure(e));
	EXPECT_EQ(t.smcs(), (Smcs{ { ENTRY_DONE, S } }));
	EXPECT_EQ(isa_get_reg(e, ISA_VBAR_EL1), t.sym(ISA_IMG_REE, "vectors"));
	/* the GIC sees the PE in Non-secure EL1 with its groups enabled */
	EXPECT_EQ(t.p.booted[0], 1u);
}

/* isa_ucfix.c: the unit binary exports the interposer, so stores take QEMU's inline path. */
TEST(IsaEngine, StoreFastPathIsActive)
{
	Plat t;
	ASSERT_TRUE(t.ok);
	ASSERT_NE(isa_plat_engine(&t.p, 0), nullptr) << t.p.err;
	EXPECT_TRUE(isa_storefix_active(t.p.e[0]));
}

/* isa_mem.c: code pages are read-only; a guest store to them is a fault, not silent corruption. */
TEST(IsaEngine, StoreToGuestCodeIsAFault)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	uint64_t code = t.p.img[ISA_IMG_REE].entry, zero8[3] = { code, 0, 8 };
	isa_result r;
	int rc = isa_call(t.p.e[0], t.sym(ISA_IMG_REE, "memset"), zero8, 3, isa_plat_task_stack(&t.p, 0), 0,
			  nullptr, &r);
	EXPECT_EQ(rc, ISA_E_GUEST_FAULT);
	EXPECT_EQ(r.why, ISA_STOP_ERROR);
}

/*
 * isa.h Time: a budget ends a run at a block boundary, and splitting a
 * routine into budgeted runs executes the same instructions and cycles as
 * one run (nothing is counted twice, nothing replayed).
 */
TEST(IsaEngine, BudgetSplitsARunWithoutChangingItsCount)
{
	uint64_t whole_cycles = 0, whole_insns = 0;
	for (int split = 0; split < 2; split++) {
		Plat t;
		ASSERT_TRUE(t.boot()) << t.p.err;
		isa_engine *e = t.p.e[0];
		uint64_t x[8] = { GET_THREAD_COUNT }, res[4];
		isa_result r;
		uint64_t cycles = 0, insns = 0;
		int runs = 0;
		ASSERT_EQ(isa_call(e, ISA_HOST_SMC, x, 8, 0, split ? 40 : 0, res, &r), 0);
		cycles += r.cycles, insns += r.insns, runs++;
		while (r.why != ISA_STOP_RETURN) {
			ASSERT_EQ(r.why, ISA_STOP_BUDGET);
			EXPECT_GE(r.cycles, 1u);
			ASSERT_EQ(isa_run(e, 40, &r), 0);
			cycles += r.cycles, insns += r.insns, runs++;
		}
		EXPECT_EQ(isa_get_reg(e, (enum isa_reg)(ISA_X0 + 1)), 2u); /* CFG_NUM_THREADS */
		if (!split) {
			whole_cycles = cycles, whole_insns = insns;
			EXPECT_EQ(runs, 1);
		} else {
			EXPECT_GT(runs, 5);
			EXPECT_EQ(insns, whole_insns);
			/* the sub-cycle remainder is carried between runs: at most one cycle of rounding */
			EXPECT_NEAR((double)cycles, (double)whole_cycles, 1.0);
		}
	}
}

/*
 * isa_engine.c, blocks in parts: BL31 writes the EL1 context at EL3 without
 * Unicorn ending a translation block after each MSR, and the engine counts
 * such a block as the blocks Unicorn made before. Every run (its stop,
 * cycles and instructions) and the totals are those of an engine where
 * every MSR ends a block (isa_config.tb_end_all), also when budgets stop
 * runs between the parts (the block goes on to its end; the parts left are
 * counted by the next run) and when a run resumes there.
 */
TEST(IsaEngine, BlocksInPartsCountAsBlocksOfTheirOwn)
{
	for (uint64_t budget : { 0, 5, 9, 23, 40, 131 }) {
		std::vector<std::vector<uint64_t>> runs[2];
		isa_stats st[2];
		for (int all = 0; all < 2; all++) {
			isa_plat_cfg c;
			isa_plat_cfg_default(&c);
			c.tb_end_all = all;
			Plat t(&c);
			ASSERT_TRUE(t.boot()) << t.p.err;
			isa_engine *e = t.p.e[0];
			for (int k = 0; k < 4; k++) { /* two world switches each */
				uint64_t x[8] = { GET_THREAD_COUNT }, res[4];
				isa_result r;
				ASSERT_EQ(isa_call(e, ISA_HOST_SMC, x, 8, 0, budget, res, &r), 0);
				runs[all].push_back({ (uint64_t)r.why, r.cycles16, r.insns });
				for (int n = 0; r.why != ISA_STOP_RETURN && n < 10000; n++) {
					ASSERT_EQ(r.why, ISA_STOP_BUDGET);
					ASSERT_EQ(isa_run(e, budget, &r), 0);
					runs[all].push_back({ (uint64_t)r.why, r.cycles16, r.insns });
				}
				ASSERT_EQ(r.why, ISA_STOP_RETURN);
				EXPECT_EQ(res[1], 2u); /* CFG_NUM_THREADS */
			}
			isa_get_stats(e, &st[all]);
		}
		EXPECT_EQ(runs[0], runs[1]) << "budget " << budget;
		EXPECT_EQ(st[0].insns, st[1].insns);
		EXPECT_EQ(st[0].cycles, st[1].cycles);
		for (int k = 0; k < ISA_C_COUNT; k++)
			EXPECT_EQ(st[0].cls[k], st[1].cls[k]) << isa_class_name((isa_class)k);
		/* el1_sysregs_context_restore: one block, not 21, each of the eight world switches */
		EXPECT_LE(st[0].blocks + 8 * 20, st[1].blocks);
	}
}

/* The last access logged (ICC or MMIO) as "icc:REG" or "mmio:ADDR". */
static std::string last_access(const isa_plat *p)
{
	char b[64];
	bool icc = p->nicc && (!p->nmmio || p->icc[p->nicc - 1].seq > p->mmio[p->nmmio - 1].seq);
	if (icc)
		snprintf(b, sizeof(b), "icc:%s", gic_icc_reg_name((gic_icc_reg)p->icc[p->nicc - 1].reg));
	else
		snprintf(b, sizeof(b), "mmio:%llx", p->nmmio ? (unsigned long long)p->mmio[p->nmmio - 1].addr : 0ull);
	return b;
}

/*
 * isa.h Time: an access whose effect schedules a kernel event before the
 * run's end ends the run at the next block, so the event happens at its own
 * time. In OP-TEE's FIQ path: the acknowledge (the GIC re-arbitrates
 * ack_rearb later), masking the UART's RX (its level line drops; the block
 * goes on to read TS, as two 32-bit halves, before it ends), the
 * GICD_ISPENDR write (the wire rises pend_to_wire later); each ends a run
 * before FIQ_DONE.
 */
TEST(IsaEngine, AccessSchedulingAnEarlierEventEndsTheRun)
{
	isa_plat_cfg c;
	isa_plat_cfg_default(&c);
	c.src_at = 100 * SIM_US;
	Plat t(&c);
	ASSERT_TRUE(t.boot()) << t.p.err;
	EXPECT_EQ(t.smc(0, { ENABLE_ASYNC })[0], 0u);
	isa_engine *e = t.p.e[0];
	sim_run_until(t.p.s.k, 100 * SIM_US + 200 * SIM_NS); /* the UART's line, its SPI, the FIQ wire */
	ASSERT_TRUE(t.p.fiq[0]);
	unsigned s0 = t.p.nsmc;
	std::vector<std::string> stopped_after; /* the last access of each run that hit a deadline */
	for (int runs = 0; runs < 20 && t.p.nsmc == s0; runs++) {
		isa_result r;
		sim_time now = sim_now(t.p.s.k);
		ASSERT_EQ(isa_run(e, 10000000, &r), 0);
		if (r.why == ISA_STOP_DEADLINE) {
			stopped_after.push_back(last_access(&t.p));
			EXPECT_LT(sim_next_time(t.p.s.k), now + sim_clock_cycles(&t.p.costs.clock, 10000000));
		}
		sim_run_until(t.p.s.k, now + sim_clock_cycles(&t.p.costs.clock, r.cycles));
	}
	char ts_hi[32], ispendr[32];
	snprintf(ts_hi, sizeof(ts_hi), "mmio:%llx", (unsigned long long)(ISA_PLAT_SRC_BASE + DEV_SRC_TS + 4));
	snprintf(ispendr, sizeof(ispendr), "mmio:%llx",
		 (unsigned long long)(GIC_VIRT_GICD_BASE + GICD_ISPENDR + 4 * (219 / 32)));
	EXPECT_EQ(stopped_after, (std::vector<std::string>{ "icc:ICC_IAR1_EL1", ts_hi, ispendr }));
	EXPECT_EQ(t.smcs(s0), (Smcs{ { FIQ_DONE, S } }));
}

/* ---- the world switch ---------------------------------------------------------------------------- */

struct Snap {
	uint64_t x[31], sp_el0, sp_el1, elr_el1, spsr_el1, vbar, tpidr1, tpidr0, ctxid, mair, ttbr0, sctlr;
};

static Snap snap(isa_engine *e)
{
	Snap s;
	for (int i = 0; i < 31; i++)
		s.x[i] = isa_get_reg(e, (enum isa_reg)(ISA_X0 + i));
	s.sp_el0 = isa_get_reg(e, ISA_SP_EL0);
	s.sp_el1 = isa_get_reg(e, ISA_SP_EL1);
	s.elr_el1 = isa_get_reg(e, ISA_ELR_EL1);
	s.spsr_el1 = isa_get_reg(e, ISA_SPSR_EL1);
	s.vbar = isa_get_reg(e, ISA_VBAR_EL1);
	s.tpidr1 = isa_get_reg(e, ISA_TPIDR_EL1);
	s.tpidr0 = isa_get_reg(e, ISA_TPIDR_EL0);
	s.ctxid = isa_get_reg(e, ISA_CONTEXTIDR_EL1);
	s.mair = isa_get_reg(e, ISA_MAIR_EL1);
	s.ttbr0 = isa_get_reg(e, ISA_TTBR0_EL1);
	s.sctlr = isa_get_reg(e, ISA_SCTLR_EL1);
	return s;
}

/* Entries into (state hook, first block after the ERET) and exits from (the SMC) each world. */
struct Switches {
	std::vector<Snap> ns_exit, ns_entry, s_exit, s_entry;
	static void on_state(void *ctx, isa_plat *p, unsigned pe, unsigned el, bool secure)
	{
		auto *w = static_cast<Switches *>(ctx);
		if (el == 1)
			(secure ? w->s_entry : w->ns_entry).push_back(snap(p->e[pe]));
	}
	static void on_exc(void *ctx, isa_plat *p, unsigned pe, const isa_exc *x)
	{
		auto *w = static_cast<Switches *>(ctx);
		if (x->kind == ISA_EXC_SMC && x->from_el == 1)
			(x->from_secure ? w->s_exit : w->ns_exit).push_back(snap(p->e[pe]));
	}
};

static void expect_el1_state_equal(const Snap &a, const Snap &b, const char *what)
{
	EXPECT_EQ(a.sp_el0, b.sp_el0) << what;
	EXPECT_EQ(a.sp_el1, b.sp_el1) << what;
	EXPECT_EQ(a.elr_el1, b.elr_el1) << what;
	EXPECT_EQ(a.spsr_el1, b.spsr_el1) << what;
	EXPECT_EQ(a.vbar, b.vbar) << what;
	EXPECT_EQ(a.tpidr1, b.tpidr1) << what;
	EXPECT_EQ(a.tpidr0, b.tpidr0) << what;
	EXPECT_EQ(a.ctxid, b.ctxid) << what;
	EXPECT_EQ(a.mair, b.mair) << what;
	EXPECT_EQ(a.ttbr0, b.ttbr0) << what;
	EXPECT_EQ(a.sctlr, b.sctlr) << what;
}

/*
 * TF-A opteed_smc_handler with cm_el1_sysregs_context_save/restore
 * (docs/protocol.md §6.4): a call from the normal world and its return keep
 * x4..x30, both stack pointers and the EL1 system registers of the normal
 * world (x0..x3 carry the results), and OP-TEE finds its own registers
 * (x8..x30 and its EL1 state) as it left them at its previous exit.
 */
TEST(IsaWorldSwitch, PreservesTheRegistersOfBothWorlds)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	isa_engine *e = t.p.e[0];
	Switches w;
	t.p.hook_ctx = &w;
	t.p.on_state = Switches::on_state;
	t.p.on_exception = Switches::on_exc;
	/* a normal world with recognisable registers */
	for (int i = 8; i <= 29; i++)
		isa_set_reg(e, (enum isa_reg)(ISA_X0 + i), 0x1000 + (uint64_t)i);
	isa_set_reg(e, ISA_SP_EL0, 0x40abc000);
	isa_set_reg(e, ISA_TPIDR_EL1, 0x5151);
	isa_set_reg(e, ISA_TPIDR_EL0, 0x5050);
	isa_set_reg(e, ISA_CONTEXTIDR_EL1, 0x77);
	isa_set_reg(e, ISA_MAIR_EL1, 0xff440400);
	isa_set_reg(e, ISA_TTBR0_EL1, 0x41000000);
	isa_set_reg(e, ISA_ELR_EL1, 0x40001234);
	isa_set_reg(e, ISA_SPSR_EL1, 0x3c5);

	for (int k = 0; k < 2; k++) {
		auto r = t.smc(0, { GET_THREAD_COUNT, 0, 0, 0, 0x44, 0x55, 0x66, 0x77 });
		EXPECT_EQ(r[0], 0u);
		EXPECT_EQ(r[1], 2u);
	}
	ASSERT_EQ(w.ns_exit.size(), 2u);
	ASSERT_EQ(w.ns_entry.size(), 2u);
	ASSERT_EQ(w.s_entry.size(), 2u);
	ASSERT_EQ(w.s_exit.size(), 2u);
	for (int k = 0; k < 2; k++) {
		const Snap &out = w.ns_exit[k], &back = w.ns_entry[k];
		for (int i = 4; i <= 30; i++)
			EXPECT_EQ(back.x[i], out.x[i]) << "normal world x" << i << ", call " << k;
		EXPECT_EQ(back.x[0], 0u);
		EXPECT_EQ(back.x[1], 2u);
		expect_el1_state_equal(out, back, "normal world EL1 state");
		/* the secure world ran with its own EL1 state, not the normal world's */
		EXPECT_EQ(w.s_entry[k].vbar, t.sym(ISA_IMG_TEE, "thread_excp_vect"));
		EXPECT_NE(w.s_entry[k].tpidr1, out.tpidr1);
		EXPECT_NE(w.s_entry[k].ctxid, out.ctxid);
		/* the call's registers reach OP-TEE: x0 the function, x1..x7 as the caller gave them */
		EXPECT_EQ(w.s_entry[k].x[0], GET_THREAD_COUNT);
		EXPECT_EQ(w.s_entry[k].x[4], 0x44u);
		EXPECT_EQ(w.s_entry[k].x[7], 0x77u);
	}
	/* OP-TEE's second entry finds what it left at its first exit */
	for (int i = 8; i <= 30; i++)
		EXPECT_EQ(w.s_entry[1].x[i], w.s_exit[0].x[i]) << "secure x" << i;
	expect_el1_state_equal(w.s_exit[0], w.s_entry[1], "secure EL1 state");
}

/*
 * isa.h isa_context_save/restore: with the monitor abstract, the host
 * switches worlds as opteed does (save the caller's context, enter OP-TEE's
 * fast vector with the call, then back with CALL_DONE's x1..x4 as x0..x3),
 * and both worlds find their registers as they left them.
 */
struct SecureAtEntry {
	isa_context s;
	bool got = false;
	static void on_state(void *ctx, isa_plat *p, unsigned pe, unsigned el, bool secure)
	{
		auto *c = static_cast<SecureAtEntry *>(ctx);
		if (el == 1 && secure && !c->got) {
			isa_context_save(p->e[pe], &c->s);
			c->got = true;
		}
	}
};

TEST(IsaWorldSwitch, HostSwitchesWorldsForAnAbstractMonitor)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	isa_engine *e = t.p.e[0];
	/* OP-TEE's context as BL31 enters it for a fast call (to start from a live secure world) */
	SecureAtEntry sec;
	t.p.hook_ctx = &sec;
	t.p.on_state = SecureAtEntry::on_state;
	t.smc(0, { GET_THREAD_COUNT });
	ASSERT_TRUE(sec.got);
	t.p.on_state = nullptr;
	uint64_t fast_entry = sec.s.pc;

	/* now the host is the monitor */
	t.p.claim_smc = true;
	for (int i = 19; i <= 28; i++)
		isa_set_reg(e, (enum isa_reg)(ISA_X0 + i), 0xabc00 + (uint64_t)i);
	isa_set_reg(e, ISA_TPIDR_EL1, 0x7777);
	uint64_t x[8] = { GET_THREAD_COUNT, 0, 0, 0, 0x44, 0x55, 0x66, 0x77 }, res[4] = { ~0ull };
	isa_result r;
	ASSERT_EQ(isa_call(e, ISA_HOST_SMC, x, 8, 0, 0, res, &r), 0);
	ASSERT_EQ(r.why, ISA_STOP_REQUEST); /* the SMC, claimed */
	EXPECT_FALSE(isa_secure(e));
	isa_context ns;
	isa_context_save(e, &ns);
	/* opteed_smc_handler: ELR = fast_smc_entry, x0..x7 = the call, the secure EL1 state */
	isa_context s = sec.s;
	for (int i = 0; i < 8; i++)
		s.x[i] = x[i];
	s.pc = fast_entry;
	ASSERT_EQ(isa_context_restore(e, &s), 0);
	do
		ASSERT_EQ(isa_run(e, 0, &r), 0);
	while (r.why == ISA_STOP_DEADLINE);
	ASSERT_EQ(r.why, ISA_STOP_REQUEST); /* OP-TEE's CALL_DONE, claimed */
	EXPECT_TRUE(isa_secure(e));
	EXPECT_EQ(isa_el(e), 1u);
	EXPECT_EQ(isa_get_reg(e, ISA_X0), CALL_DONE);
	EXPECT_EQ(isa_get_reg(e, ISA_TPIDR_EL1), sec.s.el1[10]); /* OP-TEE's own, not 0x7777 */
	uint64_t out[4];
	for (int i = 0; i < 4; i++)
		out[i] = isa_get_reg(e, (enum isa_reg)(ISA_X0 + 1 + i));
	isa_context_save(e, &s);
	for (int i = 0; i < 4; i++)
		ns.x[i] = out[i];
	ASSERT_EQ(isa_context_restore(e, &ns), 0);
	do
		ASSERT_EQ(isa_run(e, 0, &r), 0) << std::hex << r.err_pc;
	while (r.why == ISA_STOP_DEADLINE);
	ASSERT_EQ(r.why, ISA_STOP_RETURN);
	EXPECT_FALSE(isa_secure(e));
	EXPECT_EQ(isa_get_reg(e, ISA_X0), 0u);
	EXPECT_EQ(isa_get_reg(e, (enum isa_reg)(ISA_X0 + 1)), 2u);
	for (int i = 19; i <= 28; i++)
		EXPECT_EQ(isa_get_reg(e, (enum isa_reg)(ISA_X0 + i)), 0xabc00 + (uint64_t)i) << "x" << i;
	EXPECT_EQ(isa_get_reg(e, ISA_TPIDR_EL1), 0x7777u);
	EXPECT_EQ(isa_get_reg(e, ISA_VBAR_EL1), t.sym(ISA_IMG_REE, "vectors"));
}

/* ---- OP-TEE's notifications -------------------------------------------------------------------------- */

/*
 * OP-TEE notif_get_value (notif_default.c, docs/protocol.md §1.5): the lowest
 * recorded value first, cleared as it is read; PENDING while others remain;
 * nothing recorded: VALID and PENDING clear.
 */
TEST(IsaNotif, GetAsyncNotifValueReturnsTheLowestAndClearsIt)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	uint64_t *bits = t.at<uint64_t>(ISA_IMG_TEE, "notif_values");
	*bits = (1ull << 9) | (1ull << 3) | (1ull << 5) | (1ull << 0);
	struct {
		uint64_t value, flags, left;
	} want[] = {
		{ 0, VALID | PENDING, (1ull << 9) | (1ull << 3) | (1ull << 5) },
		{ 3, VALID | PENDING, (1ull << 9) | (1ull << 5) },
		{ 5, VALID | PENDING, 1ull << 9 },
		{ 9, VALID, 0 },
		{ 0, 0, 0 },
	};
	for (auto &w : want) {
		auto r = t.smc(0, { GET_ASYNC });
		EXPECT_EQ(r[0], 0u);
		EXPECT_EQ(r[1], w.value);
		EXPECT_EQ(r[2], w.flags);
		EXPECT_EQ(*bits, w.left);
	}
}

/*
 * Linux irq_handler (smc_abi.c, docs/protocol.md §2.3) stops when a value comes
 * without PENDING: k pending values cost exactly k GET_ASYNC_NOTIF_VALUE
 * calls, and nothing pending costs one (the issue's "k + 1" would only hold
 * if the last value came with PENDING set, which OP-TEE's notif_get_value
 * never does). Value 0 asks for the bottom half; the others wake waiters in
 * ascending order.
 */
TEST(IsaNotif, DrainLoopCallsOncePerPendingValueAndOnceWhenEmpty)
{
	const unsigned values[] = { 0, 7, 12, 20, 33 };
	for (unsigned k = 0; k <= 5; k++) {
		Plat t;
		ASSERT_TRUE(t.boot()) << t.p.err;
		uint64_t *bits = t.at<uint64_t>(ISA_IMG_TEE, "notif_values");
		*bits = 0;
		for (unsigned i = 0; i < k; i++)
			*bits |= 1ull << values[i];
		unsigned s0 = t.p.nsmc, m0 = t.p.nmc;
		uint64_t ret = t.call(0, ISA_IMG_REE, "optee_notif_drain");
		unsigned fetches = 0;
		for (auto &s : t.smcs(s0))
			fetches += s.first == GET_ASYNC && s.second == NS;
		EXPECT_EQ(fetches, k ? k : 1u) << k << " values";
		EXPECT_EQ(ret, k ? IRQ_WAKE_THREAD : IRQ_HANDLED) << k;
		std::vector<uint64_t> sent;
		for (unsigned i = m0; i < t.p.nmc; i++)
			if (t.p.mc[i].imm == ISA_MC_REE_NOTIF_SEND)
				sent.push_back(t.p.mc[i].x[0]);
		EXPECT_EQ(sent, std::vector<uint64_t>(values + 1, values + (k ? k : 1))) << k;
		EXPECT_EQ(*bits, 0u);
	}
}

/* ---- the whole path of a notification ---------------------------------------------------------------- */

static unsigned iar_reads_of(const isa_plat *p, unsigned pe, uint64_t intid, bool secure)
{
	unsigned n = 0;
	for (unsigned i = 0; i < p->nicc; i++)
		n += p->icc[i].pe == pe && !p->icc[i].write && p->icc[i].secure == secure &&
		     (p->icc[i].reg == ICC_IAR1_EL1 || p->icc[i].reg == ICC_IAR0_EL1) && p->icc[i].v == intid;
	return n;
}

/*
 * One secure UART character on an idle system (docs/protocol.md §7): FIQ to EL3,
 * OP-TEE's top half raises the SPI, FIQ_DONE; Linux takes the SPI, fetches
 * value 0 and wakes the IRQ thread, whose DO_BOTTOM_HALF runs in an OP-TEE
 * thread and re-enables RX. SMCs in the observed order.
 */
TEST(IsaPath, UartCharacterReachesTheBottomHalf)
{
	isa_plat_cfg c;
	isa_plat_cfg_default(&c);
	c.src_at = 100 * SIM_US;
	Plat t(&c);
	ASSERT_TRUE(t.boot()) << t.p.err;
	EXPECT_EQ(t.smc(0, { ENABLE_ASYNC })[0], 0u);
	unsigned s0 = t.p.nsmc, m0 = t.p.nmc;
	ASSERT_EQ(isa_plat_idle_until(&t.p, 0, 200 * SIM_US), 0) << t.p.err;
	EXPECT_EQ(t.smcs(s0), (Smcs{ { FIQ_DONE, S }, { GET_ASYNC, NS }, { CALL_DONE, S } }));
	EXPECT_EQ(iar_reads_of(&t.p, 0, 40, true), 1u);   /* OP-TEE acknowledged the UART */
	EXPECT_EQ(iar_reads_of(&t.p, 0, 219, false), 1u); /* Linux the notification */
	EXPECT_EQ(t.count_mc(ISA_MC_REE_WAKE_THREAD, m0), 1u);
	EXPECT_FALSE(gic_is_active(t.p.g, 0, 219)); /* deactivated (EOImode 1: DIR) */
	EXPECT_FALSE(gic_is_pending(t.p.g, 0, 219));

	/* the IRQ thread's bottom half */
	s0 = t.p.nsmc;
	EXPECT_EQ(t.call(0, ISA_IMG_REE, "optee_do_bottom_half"), 0u);
	auto seq = t.smcs(s0);
	ASSERT_EQ(seq.size(), 2u);
	EXPECT_EQ(seq[0], std::make_pair(CALL_WITH_REGD_ARG, NS));
	EXPECT_EQ(seq[1], std::make_pair(CALL_DONE, S));
	EXPECT_EQ(t.p.smc[s0 + 1].x[1], 0u); /* OPTEE_SMC_RETURN_OK */
	EXPECT_EQ(t.count_mc(ISA_MC_TEE_DEV_WORK, m0), 1u);
	/* rx_intr_enable: the last write to the UART's CTRL sets RXIE */
	uint64_t ctrl = ~0ull;
	for (unsigned i = 0; i < t.p.nmmio; i++)
		if (t.p.mmio[i].write && t.p.mmio[i].addr == ISA_PLAT_SRC_BASE + DEV_SRC_CTRL)
			ctrl = t.p.mmio[i].v;
	EXPECT_EQ(ctrl, DEV_SRC_CTRL_RXIE);
}

/*
 * OP-TEE thread_alloc_and_run (docs/protocol.md §1.9): with every thread busy a
 * yielding call gets ETHREAD_LIMIT and Linux waits in its call queue; once
 * a thread is free the same call is made again and runs.
 */
TEST(IsaThreads, YieldingCallWaitsForAFreeThread)
{
	isa_plat_cfg c;
	isa_plat_cfg_default(&c);
	c.nthreads = 1;
	Plat t(&c);
	ASSERT_TRUE(t.boot()) << t.p.err;
	uint32_t *state0 = reinterpret_cast<uint32_t *>(
		static_cast<uint8_t *>(isa_plat_ptr(&t.p, t.sym(ISA_IMG_TEE, "threads"), 0x140)) + 0x110);
	*state0 = 2; /* THREAD_STATE_ACTIVE: the one thread is busy */
	isa_engine *e = t.p.e[0];
	uint64_t res[4];
	isa_result r;
	unsigned s0 = t.p.nsmc;
	ASSERT_EQ(isa_call(e, t.sym(ISA_IMG_REE, "optee_do_bottom_half"), nullptr, 0, isa_plat_task_stack(&t.p, 0), 0,
			   res, &r),
		  0);
	EXPECT_EQ(r.why, ISA_STOP_MODEL_CALL);
	EXPECT_EQ(r.imm, (unsigned)ISA_MC_REE_CQ_WAIT);
	EXPECT_EQ(t.p.smc[t.p.nsmc - 1].x[1], 1u); /* CALL_DONE a1 = ETHREAD_LIMIT */
	*state0 = 0;                              /* the other call completed */
	do
		ASSERT_EQ(isa_run(e, 0, &r), 0);
	while (r.why != ISA_STOP_RETURN);
	EXPECT_EQ(isa_get_reg(e, ISA_X0), 0u);
	EXPECT_EQ(t.smcs(s0), (Smcs{ { CALL_WITH_REGD_ARG, NS }, { CALL_DONE, S }, { CALL_WITH_REGD_ARG, NS },
				      { CALL_DONE, S } }));
	EXPECT_EQ(*state0, 0u); /* thread_state_free */
	(void)RETURN_FROM_RPC;
}

/* ---- the raise of each transport ------------------------------------------------------------------------ */

/*
 * OP-TEE gic_it_raise_sgi (docs/protocol.md §3.2, §5.3) from PE 17 (Aff1 1,
 * Aff0 1): ICC_ASGI1R_EL1 = INTID << 24 | Aff1 << 16 | TargetList bit
 * Aff0, which the GIC pends as the donated Non-secure SGI on that PE; the
 * PE came up through PSCI CPU_ON (opteed's cpu_on hook donated the SGI in
 * its Redistributor).
 */
TEST(IsaTransport, SgiRaiseWritesTheAsgi1rValueTheGicExpects)
{
	isa_plat_cfg c;
	isa_plat_cfg_default(&c);
	c.npes = 18;
	c.transport = OPTEE_TRANSPORT_SGI;
	c.notif_intid = 9;
	c.src_pe = 17;
	c.src_at = 500 * SIM_US;
	Plat t(&c);
	ASSERT_TRUE(t.boot()) << t.p.err;
	auto on = t.smc(0, { PSCI_CPU_ON64, 0x101, t.sym(ISA_IMG_REE, "secondary_entry"), 0 });
	ASSERT_EQ(on[0], 0u);
	ASSERT_EQ(isa_plat_warm_boot(&t.p, 17), 0) << t.p.err;
	EXPECT_EQ(isa_el(t.p.e[17]), 1u);
	EXPECT_EQ(t.smc(17, { ENABLE_ASYNC })[0], 0u);
	unsigned m0 = t.p.nmc;
	ASSERT_EQ(isa_plat_idle_until(&t.p, 17, 600 * SIM_US), 0) << t.p.err;
	uint64_t want = (9ull << ICC_SGIR_INTID_SHIFT) | (1ull << ICC_SGIR_AFF1_SHIFT) | (1ull << 1);
	unsigned asgi = 0;
	for (unsigned i = 0; i < t.p.nicc; i++)
		if (t.p.icc[i].write && t.p.icc[i].reg == ICC_ASGI1R_EL1) {
			asgi++;
			EXPECT_EQ(t.p.icc[i].pe, 17u);
			EXPECT_TRUE(t.p.icc[i].secure);
			EXPECT_EQ(t.p.icc[i].v, want) << std::hex << t.p.icc[i].v;
		}
	EXPECT_EQ(asgi, 1u);
	EXPECT_EQ(iar_reads_of(&t.p, 17, 9, false), 1u); /* taken as a Non-secure SGI by PE 17 */
	EXPECT_EQ(t.count_mc(ISA_MC_REE_QUEUE_WORK, m0), 1u); /* notif_pcpu_irq_handler */
}

/*
 * OP-TEE gic_it_set_pending for a PPI writes GICD_ISPENDR0, which is RAZ/WI
 * for SGIs and PPIs with affinity routing (IHI 0069; docs/protocol.md §3.1): the
 * GIC model drops it, the value stays in OP-TEE's bitmap and Linux never
 * hears. The hypothetical fix (GICR_ISPENDR0 of this PE) is delivered.
 */
TEST(IsaTransport, PpiRaiseThroughGicdIspendrIsDroppedOnGicv3)
{
	for (int fixed = 0; fixed < 2; fixed++) {
		isa_plat_cfg c;
		isa_plat_cfg_default(&c);
		c.transport = OPTEE_TRANSPORT_PPI;
		c.notif_intid = 31;
		c.ppi_fixed = fixed;
		c.src_at = 100 * SIM_US;
		Plat t(&c);
		ASSERT_TRUE(t.boot()) << t.p.err;
		EXPECT_EQ(t.smc(0, { ENABLE_ASYNC })[0], 0u);
		unsigned s0 = t.p.nsmc;
		ASSERT_EQ(isa_plat_idle_until(&t.p, 0, 200 * SIM_US), 0) << t.p.err;
		uint64_t addr = fixed ? GIC_VIRT_GICR_BASE + GICR_SGI_OFFSET + GICR_ISPENDR0
				      : GIC_VIRT_GICD_BASE + GICD_ISPENDR;
		unsigned writes = 0;
		for (unsigned i = 0; i < t.p.nmmio; i++)
			if (t.p.mmio[i].write && t.p.mmio[i].addr == addr && t.p.mmio[i].v == (1ull << 31))
				writes++;
		EXPECT_EQ(writes, 1u) << "fixed " << fixed;
		uint64_t *bits = t.at<uint64_t>(ISA_IMG_TEE, "notif_values");
		if (fixed) {
			EXPECT_EQ(t.smcs(s0), (Smcs{ { FIQ_DONE, S }, { GET_ASYNC, NS }, { CALL_DONE, S } }));
			EXPECT_EQ(*bits, 0u);
		} else {
			EXPECT_EQ(t.smcs(s0), (Smcs{ { FIQ_DONE, S } }));
			EXPECT_FALSE(gic_is_pending(t.p.g, 0, 31));
			EXPECT_EQ(iar_reads_of(&t.p, 0, 31, false), 0u);
			EXPECT_EQ(*bits, 1u); /* DO_BOTTOM_HALF recorded, never fetched */
		}
	}
}

/* OP-TEE as an S-EL1 partition (thread_spmc.c, docs/protocol.md §3.2): FFA_NOTIFICATION_SET to the SPMC. */
TEST(IsaTransport, FfaRaiseIsNotificationSetToTheSpmc)
{
	isa_plat_cfg c;
	isa_plat_cfg_default(&c);
	c.transport = OPTEE_TRANSPORT_FFA;
	c.src_at = 100 * SIM_US;
	Plat t(&c);
	ASSERT_TRUE(t.boot()) << t.p.err;
	/* with FF-A the SMC ABI's ENABLE_ASYNC_NOTIF is not offered: start notifications directly */
	*t.at<uint8_t>(ISA_IMG_TEE, "notif_started") = 1;
	unsigned s0 = t.p.nsmc, m0 = t.p.nmc;
	ASSERT_EQ(isa_plat_idle_until(&t.p, 0, 200 * SIM_US), 0) << t.p.err;
	auto seq = t.smcs(s0);
	ASSERT_EQ(seq.size(), 2u);
	EXPECT_EQ(seq[0], std::make_pair((uint64_t)0x84000081, S)); /* FFA_NOTIFICATION_SET */
	EXPECT_EQ(t.p.smc[s0].x[1], 0x8001u << 16);                 /* sender OP-TEE, receiver VM 0 */
	EXPECT_EQ(t.p.smc[s0].x[2], 2u);                            /* delay SRI */
	EXPECT_EQ(t.p.smc[s0].x[3], 1u);                            /* bit 0: the bottom half */
	EXPECT_EQ(seq[1], std::make_pair(FIQ_DONE, S));
	EXPECT_EQ(t.count_mc(ISA_MC_FFA, m0), 1u);
}

/*
 * OP-TEE's foreign-interrupt exit (thread_a64.S foreign_intr_handler,
 * docs/protocol.md §1.9, §7): a normal-world interrupt while a thread runs with
 * foreign interrupts unmasked saves the thread and returns CALL_DONE with
 * RPC_FOREIGN_INTR and the thread; Linux takes its interrupt, answers
 * RETURN_FROM_RPC, and the thread resumes where it was: two SMCs more.
 * The interrupt comes while the bottom half's abstract drain work runs
 * (the model call reports ISA_MC_PREEMPTED and is made again).
 */
static int preempt_first_dev_work(void *ctx, isa_plat *p, unsigned pe, isa_engine *e, unsigned imm)
{
	int *n = static_cast<int *>(ctx);
	(void)pe;
	if (imm != ISA_MC_TEE_DEV_WORK || (*n)++)
		return -1;
	sim_bus_access ns{ -1, 1, false }; /* a Non-secure device pends the notification SPI */
	EXPECT_EQ(sim_bus_write(p->bus, &ns, GIC_VIRT_GICD_BASE + GICD_ISPENDR + 4 * (219 / 32), 4, 1u << (219 % 32)), 0);
	isa_set_reg(e, ISA_X0, ISA_MC_PREEMPTED);
	return ISA_STOP; /* let the interrupt arrive before the guest goes on */
}

TEST(IsaThreads, ForeignInterruptSuspendsTheThreadUntilReturnFromRpc)
{
	isa_plat_cfg c;
	isa_plat_cfg_default(&c);
	c.src_at = 100 * SIM_US;
	Plat t(&c);
	ASSERT_TRUE(t.boot()) << t.p.err;
	EXPECT_EQ(t.smc(0, { ENABLE_ASYNC })[0], 0u);
	ASSERT_EQ(isa_plat_idle_until(&t.p, 0, 200 * SIM_US), 0) << t.p.err; /* the notification's top half */
	int calls = 0;
	t.p.hook_ctx = &calls;
	t.p.on_model_call = preempt_first_dev_work;
	isa_engine *e = t.p.e[0];
	unsigned s0 = t.p.nsmc;
	isa_result r;
	uint64_t res[4] = { ~0ull };
	ASSERT_EQ(isa_call(e, t.sym(ISA_IMG_REE, "optee_do_bottom_half"), nullptr, 0, isa_plat_task_stack(&t.p, 0), 0,
			   res, &r),
		  0);
	ASSERT_EQ(r.why, ISA_STOP_MODEL_CALL);
	ASSERT_EQ(r.imm, (unsigned)ISA_MC_TEE_DEV_WORK);
	EXPECT_TRUE(isa_secure(e));
	sim_run_until(t.p.s.k, sim_now(t.p.s.k) + SIM_US);
	EXPECT_TRUE(t.p.fiq[0]); /* Non-secure Group 1 while the PE is Secure: a FIQ */
	do
		ASSERT_EQ(isa_plat_drive(&t.p, 0, &r), 0) << t.p.err;
	while (r.why != ISA_STOP_RETURN);
	EXPECT_EQ(isa_get_reg(e, ISA_X0), 0u);
	EXPECT_EQ(t.smcs(s0), (Smcs{ { CALL_WITH_REGD_ARG, NS }, { CALL_DONE, S }, { GET_ASYNC, NS }, { CALL_DONE, S },
				      { RETURN_FROM_RPC, NS }, { CALL_DONE, S } }));
	EXPECT_EQ(t.p.smc[s0 + 1].x[1], 0xFFFF0004u); /* RPC_FOREIGN_INTR */
	EXPECT_EQ(t.p.smc[s0 + 1].x[4 - 1], 0u);      /* a2 */
	EXPECT_EQ(t.p.smc[s0 + 4].x[3], t.p.smc[s0 + 1].x[3]); /* RETURN_FROM_RPC names the suspended thread */
	EXPECT_EQ(t.p.smc[s0 + 5].x[1], 0u);
	EXPECT_EQ(iar_reads_of(&t.p, 0, 219, false), 2u); /* the notification earlier, this interrupt now */
	EXPECT_EQ(calls, 2);
}

/*
 * PSCI CPU_OFF (TF-A psci_do_cpu_off, opteed_cpu_off_handler; docs/protocol.md
 * §6.1, §6.4): OP-TEE's cpu_off entry answers OFF_DONE, the CPU interface
 * goes off and the Redistributor asleep (GICR_WAKER), the power goes;
 * AFFINITY_INFO then reports OFF, and CPU_ON brings the PE back through
 * OP-TEE's cpu_on entry.
 */
TEST(IsaPsci, CpuOffAndOnGoThroughOpteeAndTheRedistributor)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	uint64_t entry = t.sym(ISA_IMG_REE, "secondary_entry");
	ASSERT_EQ(t.smc(0, { PSCI_CPU_ON64, 1, entry, 0 })[0], 0u);
	ASSERT_EQ(isa_plat_warm_boot(&t.p, 1), 0) << t.p.err;
	EXPECT_EQ(t.smc(0, { 0xC4000004, 1, 0 })[0], 0u); /* AFFINITY_INFO: ON */
	unsigned s0 = t.p.nsmc, m0 = t.p.nmc;
	isa_result r;
	uint64_t x[8] = { 0x84000002 }; /* CPU_OFF */
	ASSERT_EQ(isa_call(t.p.e[1], ISA_HOST_SMC, x, 8, 0, 0, nullptr, &r), 0);
	while (r.why == ISA_STOP_DEADLINE) /* the GIC's events (WAKER, the group enables) happen meanwhile */
		ASSERT_EQ(isa_plat_drive(&t.p, 1, &r), 0) << t.p.err;
	EXPECT_EQ(r.why, ISA_STOP_MODEL_CALL);
	EXPECT_EQ(r.imm, (unsigned)ISA_MC_PSCI_POWER_OFF);
	EXPECT_EQ(t.smcs(s0), (Smcs{ { 0x84000002, NS }, { 0xBE000002, S } })); /* OFF_DONE */
	EXPECT_EQ(t.count_mc(ISA_MC_PSCI_POWER_OFF, m0), 1u);
	sim_bus_access sec{ -1, 3, true };
	uint64_t waker = 0;
	ASSERT_EQ(sim_bus_read(t.p.bus, &sec, GIC_VIRT_GICR_BASE + GICR_STRIDE + GICR_WAKER, 4, &waker), 0);
	EXPECT_EQ(waker & GICR_WAKER_PROCESSOR_SLEEP, GICR_WAKER_PROCESSOR_SLEEP);
	EXPECT_EQ(t.smc(0, { 0xC4000004, 1, 0 })[0], 1u); /* AFFINITY_INFO: OFF */
	/* and back */
	s0 = t.p.nsmc;
	ASSERT_EQ(t.smc(0, { PSCI_CPU_ON64, 1, entry, 0 })[0], 0u);
	ASSERT_EQ(isa_plat_warm_boot(&t.p, 1), 0) << t.p.err;
	EXPECT_EQ(t.smcs(s0), (Smcs{ { PSCI_CPU_ON64, NS }, { 0xBE000001, S } })); /* ON_DONE */
	ASSERT_EQ(sim_bus_read(t.p.bus, &sec, GIC_VIRT_GICR_BASE + GICR_STRIDE + GICR_WAKER, 4, &waker), 0);
	EXPECT_EQ(waker, 0u);
	EXPECT_EQ(isa_el(t.p.e[1]), 1u);
	EXPECT_FALSE(isa_secure(t.p.e[1]));
}

/*
 * Replace the first instructions of @fn with @code before any engine ran it
 * (an engine's translations are of code as first executed): a test's own
 * routine, at an address of the images' code.
 */
static uint64_t patch(Plat &t, const char *fn, std::vector<uint32_t> code)
{
	uint64_t a = t.sym(ISA_IMG_REE, fn);
	memcpy(isa_plat_ptr(&t.p, a, 4 * code.size()), code.data(), 4 * code.size());
	return a;
}

/* isa.h: the generic timer counts simulated time at ISA_CNTFRQ_HZ, never the host's clock. */
TEST(IsaEngine, GenericTimerCountsSimulatedTime)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	/* mrs x0, cntfrq_el0; mrs x1, cntvct_el0; mrs x2, cntpct_el0; ret */
	uint64_t fn = patch(t, "optee_notif_drain", { 0xd53be000, 0xd53be041, 0xd53be022, 0xd65f03c0 });
	sim_run_until(t.p.s.k, 3 * SIM_MS);
	uint64_t r[4];
	ASSERT_EQ(isa_plat_call(&t.p, 0, fn, nullptr, 0, 0, r), 0) << t.p.err;
	EXPECT_EQ(r[0], ISA_CNTFRQ_HZ);
	EXPECT_NEAR((double)r[1], 3e-3 * ISA_CNTFRQ_HZ, 2.0);
	EXPECT_EQ(r[1], r[2]);
}

/*
 * Arm ARM D1.11.5: an ERET to a higher EL than the current one is illegal
 * and sets PSTATE.IL; Unicorn would go on at the old EL, the engine stops
 * with an error instead.
 */
TEST(IsaEngine, IllegalExceptionReturnIsAnError)
{
	Plat t;
	ASSERT_TRUE(t.boot()) << t.p.err;
	/* msr spsr_el1, x0 (EL2h); msr elr_el1, x1; eret */
	uint64_t fn = patch(t, "optee_notif_drain", { 0xd5184000, 0xd5184021, 0xd69f03e0 });
	uint64_t args[2] = { 0x3c9, fn };
	isa_result r;
	EXPECT_EQ(isa_call(t.p.e[0], fn, args, 2, 0, 0, nullptr, &r), ISA_E_ILLEGAL_RETURN);
	EXPECT_EQ(r.why, ISA_STOP_ERROR);
}

/* isa_mem.c: each image is described with an XXH3-64 of its file (for the trace header). */
TEST(IsaImages, EachImageCarriesTheHashOfItsFile)
{
	Plat t;
	ASSERT_TRUE(t.ok);
	for (int i = 0; i < ISA_IMG_COUNT; i++) {
		const void *elf;
		size_t len;
		const char *name;
		isa_builtin_image((isa_builtin)i, &elf, &len, &name);
		EXPECT_EQ(t.p.img[i].hash, XXH3_64bits(elf, len)) << name;
		EXPECT_STREQ(t.p.img[i].name, name);
		for (int k = 0; k < i; k++)
			EXPECT_NE(t.p.img[i].hash, t.p.img[k].hash);
	}
	EXPECT_EQ(t.p.img[ISA_IMG_MONITOR].entry, (uint64_t)ISA_MONITOR_BASE);
	EXPECT_EQ(t.p.img[ISA_IMG_TEE].entry, (uint64_t)ISA_TEE_BASE);
	EXPECT_EQ(t.p.img[ISA_IMG_REE].entry, (uint64_t)ISA_REE_BASE);
}

/* ---- presets and determinism ---------------------------------------------------------------------------- */

/*
 * The same path executes the same instructions on both presets. In cycles
 * the A72's deeper pipeline pays more per serialising instruction (system
 * registers, barriers, ERET: docs/calibration.md §5), in time it is faster.
 */
TEST(IsaTiming, PresetsChangeCyclesNotInstructions)
{
	uint64_t insns[2], cycles[2];
	double ns[2];
	for (int k = 0; k < 2; k++) {
		isa_plat_cfg c;
		isa_plat_cfg_default(&c);
		c.preset = k ? SIM_PRESET_A72 : SIM_PRESET_A53;
		Plat t(&c);
		ASSERT_TRUE(t.boot()) << t.p.err;
		isa_stats_reset(t.p.e[0]);
		t.smc(0, { GET_ASYNC });
		isa_stats st;
		isa_get_stats(t.p.e[0], &st);
		insns[k] = st.insns, cycles[k] = st.cycles;
		ns[k] = (double)sim_clock_cycles(&t.p.costs.clock, st.cycles) / SIM_NS;
	}
	EXPECT_EQ(insns[0], insns[1]);
	EXPECT_NE(cycles[0], cycles[1]);
	EXPECT_LT(ns[1], ns[0]);
}

} // namespace
