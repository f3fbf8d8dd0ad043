// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/cpu/isa_engine.c: one Unicorn 2.0.1 engine per PE (isa.h).
 *
 * Hooks, and what each one does:
 *  - UC_HOOK_BLOCK (every translation block, before it runs): the class
 *    counts and cost of the block (decoded once, cached), the budget, the
 *    deferred stop, the fix-up after a host-emulated exception entry, the
 *    re-read of PSTATE after a block that may change it, and pending
 *    interrupts. A stop or an interrupt here happens before the block runs.
 *    A routine's return to the host page's stub ends the run here too.
 *  - get_arm_cp_reginfo_aarch64 (isa_ucfix.c, at translation): writes of
 *    EL1 context registers at EL3 that need not end a block (isa_engine_cpreg,
 *    "blocks in parts").
 *  - UC_HOOK_INTR: SMC (taken to EL3 by the host) and HVC (model calls).
 *  - UC_HOOK_INSN MRS/MSR: ICC_* registers (the GIC CPU interface through
 *    the PE's ports; Unicorn has none, so the access is skipped and PC
 *    moved past it), MPIDR_EL1 (the PE's affinity), the counters, and
 *    same-value writes of EL1 registers, skipped (shadow_reg); bounded to
 *    the instructions of the images that access those (add_sys_hooks).
 *  - uc_mmio_map windows: device registers through the PE's ports.
 *
 * Unicorn 2.0.1's traps this file works around (notes/unicorn-spike.md):
 * no exception is ever taken (§2: exception entry by the host, through an
 * ERET trampoline for an EL change, with a fix-up of the two registers the
 * trampoline borrows); writing PC from a hook cancels a uc_emu_stop() made
 * in the same hook, and uc_emu_stop() inside an MMIO callback replays the
 * block (§7: such stops are deferred to the next block hook); a skipped
 * access to a register Unicorn does not implement leaves PC on it (§3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "models/cpu/isa_internal.h"
#include "models/gic/gic.h"

/* QEMU's EXCP_* numbers as Unicorn 2.0.1's UC_HOOK_INTR reports them (PC past an SMC/HVC, on a UDEF). */
#define EXCP_UDEF 1
#define EXCP_HVC 11
#define EXCP_SMC 13

#define PSTATE_SP 0x1u
#define PSTATE_F (1u << 6)
#define PSTATE_I (1u << 7)
#define PSTATE_IL (1u << 20)
#define ESR_EC_SMC64 0x17u
#define ESR_IL (1u << 25)

#define L1_SIZE 4096

struct isa_mmio_ctx {
	struct isa_engine *e;
	uint64_t base;
};

/*
 * A translation block as the block hook counts it: a copy of its decoded
 * record (struct isa_blk), so the hook reads one entry and follows no
 * pointer (size 0: empty), and its executions since they were last folded
 * into the static class counts (fold_l1): the hook adds one count per block,
 * not one per class.
 */
struct isa_l1 {
	uint64_t addr;
	uint64_t execs;
	uint32_t cost16;
	uint16_t size;             /* bytes (at most 2 KiB: decode_block) */
	uint16_t flags;            /* ISA_BLK_* */
	uint16_t n[ISA_C_STATIC];
};

/* An L1 entry's flags above ISA_BLK_*: the block's tail (index + 1 in e->tails), "blocks in parts" */
#define L1_TAIL_SHIFT 4
#define L1_TAIL_MASK 0xfff0u
#define TAIL_SEGS 64

/* The parts of a block after its first, each as the block hook would have counted it */
struct isa_tail {
	uint32_t n;                /* parts */
	uint32_t cost16, insns;    /* their sums */
	uint32_t seg16[TAIL_SEGS];
	uint16_t segn[TAIL_SEGS];
};

#define SHADOW_REGS 24
#define CPREG_SIZE 128     /* sizeof(ARMCPRegInfo), QEMU 5.0 target/arm/cpu.h */
#define CPREG_TYPE_OFF 20  /* offsetof(ARMCPRegInfo, type) */
#define ARM_CP_SPECIAL 0x0001
#define ARM_CP_CONST 0x0002
#define ARM_CP_SUPPRESS_TB_END 0x0008
#define SHADOW_ANY_EL 5                                                /* below: at any EL; from it: at EL3 */
#define SHADOW_EL3 (((1u << SHADOW_REGS) - 1) & ~((1u << SHADOW_ANY_EL) - 1))

struct isa_engine {
	/* what the block hook touches for every block, together: a few cache lines */
	bool slow;                 /* the block hook must look before counting (any of the flags below) */
	unsigned world;            /* SIM_WORLD_* of (el, secure) */
	uint64_t run16;            /* the current run's cycles * 16 */
	uint64_t limit16;          /* the budget in cycles * 16; none: UINT64_MAX (one compare per block) */
	uint64_t run_insns;
	uint64_t world16[3];       /* cycles * 16 by world, up to the current segment (flush_world) */
	uint64_t seg16, seg_insns; /* run16 and run_insns when the current world's segment began: the block hook
				    * counts the run alone, the world's share is added when the world changes */
	struct isa_stats st;       /* the dynamic classes; the static ones and blocks folded from l1 (fold_l1) */

	uc_engine *uc;
	struct isa_mem *mem;
	struct isa_config cfg;
	struct pe_ports ports;
	const struct isa_timing *tm;
	uint64_t mpidr;
	uc_hook h_intr, h_block;
	uint64_t *unhooked;        /* MRS/MSR of the code that need no hook, sorted (add_sys_hooks) */
	unsigned nunhooked, capunhooked;
	struct isa_mmio_ctx mmio[ISA_MAX_WINDOWS];

	/* the state the PE last published (pe_ports.state) */
	unsigned el;
	bool secure;
	uint32_t pstate;           /* PSTATE at the last re-read */
	uint64_t scr;              /* SCR_EL3 at the last re-read below EL3 */
	bool scr_stale;            /* EL3 ran since: SCR_EL3 may have changed (only EL3 writes it) */

	/* why the block hook must look before counting (e->slow = any of them) */
	bool irq, fiq;             /* the PE's inputs */
	bool idle_verdict;         /* the lines and PSTATE seen since nothing could be taken */
	bool check_state;          /* a block that may change EL or DAIF ran */
	bool stop_next;            /* stop before the next block */
	enum isa_stop stop_next_why;
	bool fix_pending;          /* a trampoline entry: restore the borrowed registers */
	unsigned fix_cel, fix_tel;
	uint64_t fix_elr, fix_pc;
	uint32_t fix_spsr;

	/* the current run */
	bool running;
	sim_time run_start;
	uint64_t budget_cycles;    /* as given (0: none) */
	sim_time deadline;         /* run_start + budget_cycles, once computed (0: not yet) */
	enum isa_stop why;
	unsigned why_imm;
	int err;
	uint64_t err_pc;
	uint64_t frac16;           /* the part of a cycle carried to the next run */
	uint64_t next_pc;          /* where the engine's PC is, when next_pc_valid: the last run's stop, known at
				    * the stop (a block's start, past an SMC) so the next isa_run need not read it */
	bool next_pc_valid;        /* cleared by every PC write (wr) and when a run starts */

	/* isa_call */
	bool in_call;
	uint64_t call_saved[3];    /* x30, SP (when the call gave one), PC */
	bool call_saved_live;      /* the engine's x30, SP and PC are still call_saved's (the last call's
				    * return wrote them back, nothing wrote them since): the next call need not read them */
	bool call_restore;         /* ... written back lazily: still to do (restore_call) */
	bool call_sp;
	uint64_t call_res[4];
	bool call_returned;
	bool call_res_live;        /* the return's x0..x3 are still the engine's own, not yet in call_res: read
				    * them only when asked (take_result), before anything writes them */

	/* translation blocks: every one decoded (bc), and those last seen by the block hook's hash (l1) */
	struct isa_blkcache bc;

	/* the registers of shadow_reg as last read or skipped (same_value): bit i valid; a host write
	 * (cp_write, wr) or a guest write that went through forgets them, and leaving EL3 those of EL3 */
	uint64_t msr_shadow[SHADOW_REGS];
	uint32_t msr_shadow_valid;

	/* blocks in parts: the registers whose writes at EL3 Unicorn translates without ending the block (bit k:
	 * shadow register k), the copies of their info it was given, the tails of such blocks, and those parts of
	 * one that ran before a budget stop, counted by the next run from carry_pos */
	uint32_t tb_split;
	const void *ri_orig[SHADOW_REGS];
	uint64_t ri_copy[SHADOW_REGS][CPREG_SIZE / 8];
	struct isa_tail *tails;
	unsigned ntails, captails;
	unsigned carry;            /* the tail, index + 1 (not a pointer: tails may move); 0: none */
	unsigned carry_pos;

	bool storefix;
	struct isa_l1 l1[L1_SIZE];
};

static const char *const err_names[] = {
	[0] = "ok",
	[-ISA_E_NOMEM] = "out of memory",
	[-ISA_E_UNICORN] = "Unicorn refused the operation",
	[-ISA_E_ELF] = "not an AArch64 ELF64 executable that fits the guest RAM",
	[-ISA_E_GUEST_FAULT] = "the guest accessed unmapped memory or wrote its code",
	[-ISA_E_UNDEF] = "undefined instruction or system register",
	[-ISA_E_UNEXPECTED] = "the guest took an unexpected exception vector",
	[-ISA_E_PANIC] = "a guest assertion failed",
	[-ISA_E_MODEL_CALL] = "unknown model call",
	[-ISA_E_STATE] = "not possible in the engine's state",
	[-ISA_E_RANGE] = "argument out of range",
	[-ISA_E_ILLEGAL_RETURN] = "illegal exception return (PSTATE.IL): e.g. to NS-EL1 with HCR_EL2.RW clear",
};

const char *isa_strerror(int err)
{
	if (err > 0 || -err >= (int)(sizeof(err_names) / sizeof(err_names[0])))
		return "unknown error";
	return err_names[-err];
}

/* ---- register access ------------------------------------------------------------------- */

static uint64_t rd(struct isa_engine *e, int reg)
{
	uint64_t v = 0;
	uc_reg_read(e->uc, reg, &v);
	return v;
}

static void wr(struct isa_engine *e, int reg, uint64_t v)
{
	if (!(reg >= UC_ARM64_REG_X0 && reg <= UC_ARM64_REG_X28) && reg != UC_ARM64_REG_X29 && reg != UC_ARM64_REG_X30 &&
	    reg != UC_ARM64_REG_SP && reg != UC_ARM64_REG_PC)
		e->msr_shadow_valid &= ~SHADOW_EL3; /* ELR, ESR, SP_ELx, VBAR, ...: same_value reads them again */
	if (reg == UC_ARM64_REG_PC)
		e->next_pc_valid = false;
	uc_reg_write(e->uc, reg, &v);
}

static uint32_t pstate(struct isa_engine *e)
{
	uint32_t ps = 0; /* UC_ARM64_REG_PSTATE is 32 bits wide */
	uc_reg_read(e->uc, UC_ARM64_REG_PSTATE, &ps);
	return ps;
}

static void set_pstate(struct isa_engine *e, uint32_t ps)
{
	e->msr_shadow_valid &= ~SHADOW_EL3;
	uc_reg_write(e->uc, UC_ARM64_REG_PSTATE, &ps);
}

static uint64_t cp_read(struct isa_engine *e, unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
	uc_arm64_cp_reg r = { .crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2, .val = 0 };
	uc_reg_read(e->uc, UC_ARM64_REG_CP_REG, &r);
	return r.val;
}

static void cp_write(struct isa_engine *e, unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
		     uint64_t v)
{
	uc_arm64_cp_reg r = { .crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2, .val = v };
	e->msr_shadow_valid = 0;
	uc_reg_write(e->uc, UC_ARM64_REG_CP_REG, &r);
}

/* SPSR_ELx has no UC_ARM64_REG_* in 2.0.1: S3_<op1>_C4_C0_0 with op1 0 (EL1), 4 (EL2), 6 (EL3). */
static uint64_t spsr_read(struct isa_engine *e, unsigned el) { return cp_read(e, 3, el == 3 ? 6 : el == 2 ? 4 : 0, 4, 0, 0); }
static void spsr_write(struct isa_engine *e, unsigned el, uint64_t v) { cp_write(e, 3, el == 3 ? 6 : el == 2 ? 4 : 0, 4, 0, 0, v); }
static uint64_t scr_read(struct isa_engine *e) { return cp_read(e, 3, 6, 1, 1, 0); }

static const int sp_reg[4] = { UC_ARM64_REG_SP_EL0, UC_ARM64_REG_SP_EL1, UC_ARM64_REG_SP_EL2, UC_ARM64_REG_SP_EL3 };
static const int elr_reg[4] = { UC_ARM64_REG_ELR_EL0, UC_ARM64_REG_ELR_EL1, UC_ARM64_REG_ELR_EL2, UC_ARM64_REG_ELR_EL3 };
static const int esr_reg[4] = { UC_ARM64_REG_ESR_EL0, UC_ARM64_REG_ESR_EL1, UC_ARM64_REG_ESR_EL2, UC_ARM64_REG_ESR_EL3 };
static const int vbar_reg[4] = { UC_ARM64_REG_VBAR_EL0, UC_ARM64_REG_VBAR_EL1, UC_ARM64_REG_VBAR_EL2,
				 UC_ARM64_REG_VBAR_EL3 };

/* Unicorn's id of x@n: X0..X28 are contiguous, X29 and X30 are not (arm64.h). */
static int xreg(int n)
{
	return n < 29 ? UC_ARM64_REG_X0 + n : n == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

/* The live stack pointer sits in X31 for the current (EL, SPSel); SP_ELn reads the banked copy. */
static int live_sp_el(uint32_t ps) { return (ps & PSTATE_SP) ? (int)((ps >> 2) & 3) : 0; }

/*
 * Where each system register of enum isa_reg lives in Unicorn 2.0.1: its
 * UC_ARM64_REG_* id, or (uc 0, UC_ARM64_REG_INVALID) its MRS/MSR encoding
 * through UC_ARM64_REG_CP_REG (SPSR_ELx, SCR_EL3 and the EL1 context have
 * no id). Registers not listed (PSTATE) are neither read nor written here.
 */
static const struct sysreg {
	int uc;
	uint8_t op0, op1, crn, crm, op2;
} sysregs[ISA_REG_COUNT] = {
	[ISA_ELR_EL1] = { .uc = UC_ARM64_REG_ELR_EL1 },   [ISA_ELR_EL3] = { .uc = UC_ARM64_REG_ELR_EL3 },
	[ISA_SPSR_EL1] = { 0, 3, 0, 4, 0, 0 },      [ISA_SPSR_EL3] = { 0, 3, 6, 4, 0, 0 },
	[ISA_ESR_EL1] = { .uc = UC_ARM64_REG_ESR_EL1 },   [ISA_ESR_EL3] = { .uc = UC_ARM64_REG_ESR_EL3 },
	[ISA_VBAR_EL1] = { .uc = UC_ARM64_REG_VBAR_EL1 }, [ISA_VBAR_EL3] = { .uc = UC_ARM64_REG_VBAR_EL3 },
	[ISA_SCR_EL3] = { 0, 3, 6, 1, 1, 0 },       [ISA_SCTLR_EL1] = { 0, 3, 0, 1, 0, 0 },
	[ISA_TPIDR_EL1] = { 0, 3, 0, 13, 0, 4 },    [ISA_TPIDR_EL0] = { 0, 3, 3, 13, 0, 2 },
	[ISA_CONTEXTIDR_EL1] = { 0, 3, 0, 13, 0, 1 }, [ISA_TTBR0_EL1] = { 0, 3, 0, 2, 0, 0 },
	[ISA_MAIR_EL1] = { 0, 3, 0, 10, 2, 0 },     [ISA_HCR_EL2] = { 0, 3, 4, 1, 1, 0 },
};

/* @r's row, or NULL when @r is not a system register of the table */
static const struct sysreg *sysreg_of(enum isa_reg r)
{
	const struct sysreg *s = (unsigned)r < ISA_REG_COUNT ? &sysregs[r] : NULL;
	return s && (s->uc || s->op0) ? s : NULL;
}

static uint64_t sysreg_read(struct isa_engine *e, enum isa_reg r)
{
	const struct sysreg *s = sysreg_of(r);
	if (!s)
		return 0;
	return s->uc ? rd(e, s->uc) : cp_read(e, s->op0, s->op1, s->crn, s->crm, s->op2);
}

static void sysreg_write(struct isa_engine *e, enum isa_reg r, uint64_t v)
{
	const struct sysreg *s = sysreg_of(r);
	if (!s)
		return;
	if (s->uc)
		wr(e, s->uc, v);
	else
		cp_write(e, s->op0, s->op1, s->crn, s->crm, s->op2, v);
}

/*
 * The write-back of x30, PC (and SP) a returned call owes the engine: done
 * before anything reads or writes registers other than x0..x7, or runs other
 * code. The next isa_call writes x30 and PC (and SP when it gives one) itself,
 * and skips it: one register write less per routine.
 */
static void restore_call(struct isa_engine *e)
{
	if (!e->call_restore)
		return;
	e->call_restore = false;
	int regs[3] = { UC_ARM64_REG_X30, UC_ARM64_REG_PC, UC_ARM64_REG_SP };
	void *vals[3] = { &e->call_saved[0], &e->call_saved[2], &e->call_saved[1] };
	uc_reg_write_batch(e->uc, regs, vals, e->call_sp ? 3 : 2);
	e->next_pc = e->call_saved[2];
	e->next_pc_valid = true;
}

/* x0..x3 of a call's return into call_res, before anything may write them (most callers never ask) */
static void take_result(struct isa_engine *e)
{
	if (!e->call_res_live)
		return;
	e->call_res_live = false;
	int regs[4] = { UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_X3 };
	void *vals[4] = { &e->call_res[0], &e->call_res[1], &e->call_res[2], &e->call_res[3] };
	uc_reg_read_batch(e->uc, regs, vals, 4);
}

uint64_t isa_get_reg(struct isa_engine *e, enum isa_reg r)
{
	restore_call(e);
	if ((unsigned)r <= 30)
		return rd(e, xreg((int)r));
	switch (r) {
	case ISA_SP:
		return rd(e, UC_ARM64_REG_SP);
	case ISA_PC:
		return rd(e, UC_ARM64_REG_PC);
	case ISA_PSTATE:
		return pstate(e);
	case ISA_SP_EL0:
	case ISA_SP_EL1:
	case ISA_SP_EL3: {
		int n = r == ISA_SP_EL0 ? 0 : r == ISA_SP_EL1 ? 1 : 3;
		return live_sp_el(pstate(e)) == n ? rd(e, UC_ARM64_REG_SP) : rd(e, sp_reg[n]);
	}
	default:
		return sysreg_read(e, r);
	}
}

void isa_get_xregs(struct isa_engine *e, uint64_t *x, unsigned n)
{
	int regs[8];
	void *vals[8];
	unsigned k = 0;
	for (; k < 8 && k < n; k++)
		regs[k] = xreg((int)k), vals[k] = &x[k];
	uc_reg_read_batch(e->uc, regs, vals, (int)k);
}

void isa_set_xregs(struct isa_engine *e, const uint64_t *x, unsigned n)
{
	take_result(e);
	int regs[8];
	void *vals[8];
	unsigned k = 0;
	for (; k < 8 && k < n; k++)
		regs[k] = xreg((int)k), vals[k] = (void *)&x[k];
	uc_reg_write_batch(e->uc, regs, vals, (int)k);
}

void isa_update_xregs(struct isa_engine *e, const uint64_t *old, const uint64_t *x, unsigned n)
{
	int regs[8];
	void *vals[8];
	int k = 0;
	for (unsigned i = 0; i < 8 && i < n; i++)
		if (x[i] != old[i])
			regs[k] = xreg((int)i), vals[k++] = (void *)&x[i];
	if (k) {
		take_result(e);
		uc_reg_write_batch(e->uc, regs, vals, k);
	}
}

void isa_set_reg(struct isa_engine *e, enum isa_reg r, uint64_t v)
{
	restore_call(e);
	take_result(e);
	e->call_saved_live = false;
	if ((unsigned)r <= 30) {
		wr(e, xreg((int)r), v);
		return;
	}
	switch (r) {
	case ISA_SP:
		wr(e, UC_ARM64_REG_SP, v);
		break;
	case ISA_PC:
		wr(e, UC_ARM64_REG_PC, v);
		break;
	case ISA_SP_EL0:
	case ISA_SP_EL1:
	case ISA_SP_EL3: {
		int n = r == ISA_SP_EL0 ? 0 : r == ISA_SP_EL1 ? 1 : 3;
		wr(e, live_sp_el(pstate(e)) == n ? UC_ARM64_REG_SP : sp_reg[n], v);
		break;
	}
	default:
		sysreg_write(e, r, v); /* PSTATE: only through an exception entry or isa_reset */
		break;
	}
	if (r == ISA_SCR_EL3)
		e->scr_stale = true;
	e->idle_verdict = false;
	e->slow = true;
}

unsigned isa_el(const struct isa_engine *e) { return e->el; }
bool isa_secure(const struct isa_engine *e) { return e->secure; }

/* ---- stops, state, slow path ------------------------------------------------------------ */

static void update_slow(struct isa_engine *e)
{
	e->slow = e->stop_next || e->fix_pending || e->check_state || ((e->irq || e->fiq) && !e->idle_verdict);
}

/* The run stops with PC at @pc (isa_run then need not read it); a later PC write forgets it (wr). */
static inline void stop_at(struct isa_engine *e, uint64_t pc)
{
	e->next_pc = pc;
	e->next_pc_valid = true;
}

/* Stop before the next block: the only exact stop from an MMIO callback or a hook that wrote PC. */
static void stop_deferred(struct isa_engine *e, enum isa_stop why)
{
	if (!e->stop_next || why == ISA_STOP_ERROR) {
		e->stop_next = true;
		e->stop_next_why = why;
	}
	e->slow = true;
}

static void fail(struct isa_engine *e, int err, uint64_t pc, bool pc_written)
{
	if (e->err)
		return; /* the first error is the one reported */
	e->err = err;
	e->err_pc = pc;
	if (pc_written) {
		stop_deferred(e, ISA_STOP_ERROR);
	} else {
		e->why = ISA_STOP_ERROR;
		e->next_pc_valid = false; /* a stop that does not say where PC is (stop_at) */
		uc_emu_stop(e->uc);
	}
}

void isa_request_stop(struct isa_engine *e) { stop_deferred(e, ISA_STOP_REQUEST); }

/* After a port access: an event earlier than before, and before the run's end, ends the run. */
static void check_deadline(struct isa_engine *e, sim_time before)
{
	if (!e->cfg.sim || !e->running)
		return;
	sim_time next = sim_next_time(e->cfg.sim->k);
	if (next >= before)
		return;
	if (e->budget_cycles && !e->deadline) /* the run's end, computed at its first access */
		e->deadline = e->run_start + sim_clock_cycles(&e->cfg.clock, e->budget_cycles);
	if (!e->budget_cycles || next < e->deadline)
		stop_deferred(e, ISA_STOP_DEADLINE);
}

static sim_time next_event(const struct isa_engine *e)
{
	return e->cfg.sim ? sim_next_time(e->cfg.sim->k) : SIM_TIME_MAX;
}

/* Add the run's cycles and instructions since the segment began to the current world's. */
static void flush_world(struct isa_engine *e)
{
	unsigned w = e->world;
	e->world16[w] += e->run16 - e->seg16;
	e->st.insns_world[w] += e->run_insns - e->seg_insns;
	e->seg16 = e->run16;
	e->seg_insns = e->run_insns;
}

/* Publish (EL, security) to the ports and the host when it changed. */
static void publish(struct isa_engine *e, unsigned el, bool secure)
{
	if (el == e->el && secure == e->secure)
		return;
	flush_world(e); /* what ran so far ran in the old world */
	e->el = el;
	e->secure = secure;
	e->msr_shadow_valid &= ~SHADOW_EL3; /* below EL3 the guest changes them without an MSR (SP, exceptions) */
	e->world = el == 3 ? SIM_WORLD_EL3 : secure ? SIM_WORLD_S : SIM_WORLD_NS;
	if (e->ports.state)
		e->ports.state(e->ports.ctx, e->cfg.pe, el, secure);
	if (e->cfg.host.state)
		e->cfg.host.state(e->cfg.host.ctx, e, el, secure);
}

/* Re-read PSTATE (and SCR_EL3 below EL3) after a block that may have changed them. */
static void refresh_state(struct isa_engine *e)
{
	uint32_t ps = pstate(e);
	unsigned el = (ps >> 2) & 3;
	bool secure = true;
	if (ps & PSTATE_IL) /* Unicorn would go on running at the old EL (notes/unicorn-spike.md §0) */
		fail(e, ISA_E_ILLEGAL_RETURN, rd(e, UC_ARM64_REG_PC), false);
	if (el < 3) {
		if (e->scr_stale) {
			e->scr = scr_read(e); /* a CP_REG read: a hash lookup in Unicorn, so only when stale */
			e->scr_stale = false;
		}
		secure = !(e->scr & ISA_SCR_NS);
	} else {
		e->scr_stale = true;
	}
	if (ps != e->pstate)
		e->idle_verdict = false;
	e->pstate = ps;
	publish(e, el, secure);
}

/*
 * AArch64 exception entry, done by the host (Arm ARM D1.10): SPSR_<tel> =
 * PSTATE, ELR_<tel> = @ret, ESR_<tel> (synchronous only), PSTATE = ELxh with
 * DAIF set, PC = VBAR_<tel> + @off.
 *
 * Unicorn caches the translation flags (the EL among them); writing PSTATE
 * does not rebuild them. Same EL: write PSTATE and PC. Another EL: an ERET
 * at the host page. It is translated with the stale EL @cel, so it reads
 * ELR_<cel>; its helper runs with the new PSTATE, so it reads SPSR_<tel>
 * and rebuilds the flags. Both registers are borrowed: the block hook of
 * the vector's first block puts them back (fixup). The live SP is banked
 * here (a PSTATE write does not).
 */
static void take_exception(struct isa_engine *e, unsigned tel, uint64_t off, uint64_t ret, bool has_esr,
			   uint32_t esr)
{
	uint32_t ps = pstate(e);
	unsigned cel = (ps >> 2) & 3;
	uint64_t vec = rd(e, vbar_reg[tel]) + off;
	uint32_t nps = (tel << 2) | PSTATE_SP | 0x3c0; /* ELxh, DAIF masked */

	wr(e, sp_reg[live_sp_el(ps)], rd(e, UC_ARM64_REG_SP));
	wr(e, UC_ARM64_REG_SP, rd(e, sp_reg[tel]));
	wr(e, elr_reg[tel], ret);
	if (has_esr)
		wr(e, esr_reg[tel], esr);
	e->st.cls[ISA_C_EXC_ENTRY]++;
	flush_world(e);
	e->run16 += e->tm->penalty16[ISA_C_EXC_ENTRY];
	e->seg16 = e->run16; /* the entry's cost is the target's, not the current segment's */
	e->world16[tel == 3 ? SIM_WORLD_EL3 : e->secure ? SIM_WORLD_S : SIM_WORLD_NS] +=
		e->tm->penalty16[ISA_C_EXC_ENTRY];
	if (tel == cel) {
		spsr_write(e, tel, ps);
		set_pstate(e, nps);
		wr(e, UC_ARM64_REG_PC, vec); /* a PC write: Unicorn leaves the block, goes on at vec */
	} else {
		e->fix_pending = true;
		e->fix_cel = cel;
		e->fix_tel = tel;
		e->fix_elr = rd(e, elr_reg[cel]);
		e->fix_spsr = ps;
		e->fix_pc = vec;
		wr(e, elr_reg[cel], vec);
		spsr_write(e, tel, nps);
		set_pstate(e, nps);
		wr(e, UC_ARM64_REG_PC, ISA_HOST_ERET);
	}
	e->pstate = nps;
	e->idle_verdict = false;
	if (tel == 3)
		e->scr_stale = true;
	publish(e, tel, tel == 3 ? true : e->secure);
	update_slow(e);
}

static void fixup(struct isa_engine *e, uint64_t addr)
{
	if (addr != e->fix_pc)
		fail(e, ISA_E_STATE, addr, false); /* the trampoline went somewhere else: an engine bug */
	wr(e, elr_reg[e->fix_cel], e->fix_elr);
	spsr_write(e, e->fix_tel, e->fix_spsr);
	e->fix_pending = false;
}

/* The vector offset of an asynchronous exception of kind @irq/FIQ into @tel from PSTATE @ps. */
static uint64_t vector_offset(uint32_t ps, unsigned tel, bool fiq)
{
	unsigned cel = (ps >> 2) & 3;
	uint64_t base = tel > cel ? 0x400 : (ps & PSTATE_SP) ? 0x200 : 0x000;
	return base + (fiq ? 0x100 : 0x80);
}

/*
 * Take a pending interrupt before the block at @addr, if one is unmasked.
 * Routing (Arm ARM D1.13, no EL2 routing: HCR_EL2.{IMO,FMO} = 0): SCR_EL3
 * .IRQ/.FIQ send the line to EL3, otherwise to EL1. An interrupt for a
 * lower EL than the current one is never taken; one for EL3 from a lower
 * EL is not masked by PSTATE; otherwise PSTATE.I/F mask it. FIQ first.
 */
static bool try_interrupt(struct isa_engine *e, uint64_t addr)
{
	uint32_t ps = pstate(e);
	unsigned cel = (ps >> 2) & 3;
	uint64_t scr = cel < 3 ? e->scr : scr_read(e);

	for (int k = 0; k < 2; k++) {
		bool fiq = k == 0;
		if (!(fiq ? e->fiq : e->irq))
			continue;
		unsigned tel = (scr & (fiq ? ISA_SCR_FIQ : ISA_SCR_IRQ)) ? 3 : 1;
		if (tel < cel)
			continue;
		if (!(tel == 3 && cel < 3) && (ps & (fiq ? PSTATE_F : PSTATE_I)))
			continue;
		if (e->cfg.host.exception) {
			struct isa_exc x = { .kind = fiq ? ISA_EXC_FIQ : ISA_EXC_IRQ, .from_el = cel, .to_el = tel,
					     .from_secure = e->secure };
			stop_at(e, addr); /* before the callback, which may write PC */
			if (e->cfg.host.exception(e->cfg.host.ctx, e, &x) == ISA_STOP) {
				e->why = ISA_STOP_REQUEST;
				uc_emu_stop(e->uc);
				return true;
			}
		}
		if (fiq)
			e->st.fiq++;
		else
			e->st.irq++;
		take_exception(e, tel, vector_offset(ps, tel, fiq), addr, false, 0);
		return true;
	}
	return false;
}

/* The slow part of the block hook. Returns true when the block must not run now. */
static __attribute__((noinline)) bool slow_path(struct isa_engine *e, uint64_t addr)
{
	if (e->stop_next) {
		e->stop_next = false;
		e->why = e->stop_next_why;
		update_slow(e);
		stop_at(e, addr);
		uc_emu_stop(e->uc); /* before the block: PC = @addr, nothing of it ran */
		return true;
	}
	if (e->fix_pending)
		fixup(e, addr);
	if (e->check_state) {
		e->check_state = false;
		refresh_state(e);
	}
	if ((e->irq || e->fiq) && !e->idle_verdict) {
		if (try_interrupt(e, addr))
			return true;
		e->idle_verdict = true;
	}
	update_slow(e);
	return false;
}

/* ---- hooks --------------------------------------------------------------------------------- */

static bool sys_unhooked(const struct isa_engine *e, uint64_t addr, const uint32_t *code, uint32_t n);

/* Add @l's executions to @s's static class counts and blocks (e->st, or a copy of it). */
static void fold_l1(struct isa_l1 *l, struct isa_stats *s)
{
	for (unsigned c = 0; c < ISA_C_STATIC; c++)
		s->cls[c] += l->execs * l->n[c];
	s->blocks += l->execs;
	l->execs = 0;
}

static bool tail_of(struct isa_engine *e, struct isa_l1 *l, struct isa_blk *b);

/* Fill @l with the block at @addr of @size bytes, decoded once (the cache of every block seen). */
static bool decode_block(struct isa_engine *e, struct isa_l1 *l, uint64_t addr, uint32_t size)
{
	fold_l1(l, &e->st);
	struct isa_blk *b = isa_blkcache_find(&e->bc, addr, size);
	if (!b) {
		uint32_t code[512];
		bool grew;
		if (size % 4 || size > sizeof(code) || uc_mem_read(e->uc, addr, code, size))
			return false;
		if (sys_unhooked(e, addr, code, size / 4)) {
			fail(e, ISA_E_STATE, addr, false); /* code patched after the engine was made (add_sys_hooks) */
			return false;
		}
		b = isa_blkcache_add(&e->bc, addr, size, code, e->tm, e->tb_split, &grew);
		if (!b)
			return false;
		e->st.decoded_blocks++;
	}
	l->addr = addr;
	l->size = (uint16_t)size;
	l->flags = (uint16_t)b->flags;
	l->cost16 = b->cost16;
	memcpy(l->n, b->n, sizeof(l->n));
	if (b->flags & ISA_BLK_PARTS)
		return tail_of(e, l, b);
	return true;
}

/* The block hook on the host page: the trampoline and the return stub are the host's, not guest code. */
static __attribute__((noinline)) void host_block(struct isa_engine *e, uint64_t addr)
{
	/* a stop waits until the trampoline's ERET has made the translator's EL current */
	if (e->stop_next && addr != ISA_HOST_ERET) {
		e->stop_next = false;
		e->why = e->stop_next_why;
		update_slow(e);
		stop_at(e, addr);
		uc_emu_stop(e->uc);
	} else if (addr == ISA_HOST_RETURN && e->in_call) {
		/* a routine's return, taken here before its hvc runs: what model_call() does
		 * for ISA_MC_RETURN, without the HVC exception (a longjmp out of the TB), nor
		 * the PC write of its UNDEFINED form, which makes Unicorn re-enter its loop;
		 * restore_call() writes PC back */
		e->st.model_calls++;
		e->why = ISA_STOP_RETURN;
		e->next_pc_valid = false;
		uc_emu_stop(e->uc);
	}
}

/* A block the L1 entry @b does not hold: fill it. False when the run stops (an error). */
static bool miss_block(struct isa_engine *e, struct isa_l1 *b, uint64_t addr, uint32_t size)
{
	if (decode_block(e, b, addr, size))
		return true;
	b->size = 0;
	fail(e, ISA_E_NOMEM, addr, false); /* or the error decode_block reported first */
	return false;
}

static __attribute__((noinline)) void stop_budget(struct isa_engine *e, uint64_t addr)
{
	e->why = ISA_STOP_BUDGET;
	stop_at(e, addr);
	uc_emu_stop(e->uc);
}

static struct isa_l1 *l1_of(struct isa_engine *e, uint64_t addr)
{
	/* the images sit at 0x0E000000, 0x0E100000 and 0x40000000: mix those bits in */
	return &e->l1[((addr >> 2) ^ (addr >> 18) ^ (addr >> 28)) & (L1_SIZE - 1)];
}

static void count_tail(struct isa_engine *e, const struct isa_tail *t);

/* count_block's rarer cases: a block that may change EL or DAIF, a block in parts */
static __attribute__((noinline)) void count_flags(struct isa_engine *e, const struct isa_l1 *b)
{
	if (b->flags & ISA_BLK_STATE) {
		e->check_state = true;
		e->slow = true;
	}
	if (b->flags & L1_TAIL_MASK)
		count_tail(e, &e->tails[((b->flags & L1_TAIL_MASK) >> L1_TAIL_SHIFT) - 1]);
}

/* Count the block @b (@size bytes) about to run, or stop the run before it when it would pass the budget. */
static inline void count_block(struct isa_engine *e, struct isa_l1 *b, uint64_t addr, uint32_t size)
{
	if (e->run16 + b->cost16 > e->limit16 && e->run16) {
		stop_budget(e, addr);
		return;
	}
	unsigned ninsn = size / 4;
	e->run16 += b->cost16; /* with run_insns, the world's share at its segment's end (flush_world) */
	e->run_insns += ninsn;
	b->execs++;
	if (b->flags & (ISA_BLK_STATE | L1_TAIL_MASK))
		count_flags(e, b);
}

/* hook_block's cases other than a block of guest code with nothing pending, held by its L1 entry. */
static __attribute__((noinline)) void hook_block_slow(struct isa_engine *e, uint64_t addr, uint32_t size)
{
	if (addr - ISA_HOST_PAGE < ISA_HOST_PAGE_SIZE && addr != ISA_HOST_SMC) {
		host_block(e, addr);
		return;
	}
	if (e->slow && slow_path(e, addr))
		return;
	struct isa_l1 *b = l1_of(e, addr);
	if ((b->addr != addr || b->size != size) && !miss_block(e, b, addr, size))
		return;
	count_block(e, b, addr, size);
}

/*
 * Every translation block, before it runs: a host call per block, so the
 * common case (guest code, nothing pending, the block in its L1 entry) makes
 * no call but tail calls, and saves no register.
 */
static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	struct isa_engine *e = ud;
	(void)uc;
	struct isa_l1 *b = l1_of(e, addr);
	/* an L1 entry never holds a block of the host page (hook_block_slow takes those first): a hit is guest code */
	if (e->slow || b->addr != addr || b->size != size) {
		hook_block_slow(e, addr, size);
		return;
	}
	count_block(e, b, addr, size);
}

/* the host page's code (read-only to the guest): eret; hvc #RETURN; (+8, the store check) str x0, [x1];
 * hvc #RETURN; (+0x10) smc #0; ret */
static const uint32_t host_page[6] = { 0xd69f03e0, 0xd4000002, 0xf9000020, 0xd4000002, 0xd4000003, 0xd65f03c0 };

static uint32_t insn_at(struct isa_engine *e, uint64_t a)
{
	uint32_t i = 0;
	if (a - ISA_HOST_PAGE < sizeof(host_page) && !(a & 3))
		return host_page[(a - ISA_HOST_PAGE) / 4]; /* every routine's return: hvc #RETURN */
	/* guest RAM is the host's (isa_mem): no trip through Unicorn's memory API */
	const void *p = isa_mem_ptr(e->mem, a, 4);
	if (p)
		memcpy(&i, p, 4);
	else
		uc_mem_read(e->uc, a, &i, 4);
	return i;
}

/* A model call (hvc #imm). @pc_written: the caller moves PC itself (the UNDEFINED form). */
static void model_call(struct isa_engine *e, unsigned imm, uint64_t pc, bool pc_written)
{
	e->st.model_calls++;
	switch (imm) {
	case ISA_MC_RETURN:
		if (!e->in_call) {
			fail(e, ISA_E_STATE, pc, pc_written);
			return;
		}
		e->why = ISA_STOP_RETURN;
		if (pc_written) {
			stop_deferred(e, ISA_STOP_RETURN);
		} else {
			e->next_pc_valid = false;
			uc_emu_stop(e->uc);
		}
		return;
	case ISA_MC_UNEXPECTED:
		fail(e, ISA_E_UNEXPECTED, rd(e, UC_ARM64_REG_X2), pc_written);
		return;
	case ISA_MC_PANIC:
		fail(e, ISA_E_PANIC, pc, pc_written);
		return;
	default:
		break;
	}
	if (!e->cfg.host.model_call) {
		if (imm == ISA_MC_TRACE)
			return;
		fail(e, ISA_E_MODEL_CALL, pc, pc_written);
		return;
	}
	if (e->cfg.host.model_call(e->cfg.host.ctx, e, imm) == ISA_STOP && imm != ISA_MC_TRACE) {
		e->why_imm = imm;
		if (pc_written) {
			stop_deferred(e, ISA_STOP_MODEL_CALL);
		} else {
			e->why = ISA_STOP_MODEL_CALL;
			e->next_pc_valid = false;
			uc_emu_stop(e->uc);
		}
	}
}

/*
 * UC_HOOK_INTR: QEMU's exception number; the exception is not taken. SMC
 * and HVC: PC is already past the instruction. UDEF: PC is on it.
 */
static void hook_intr(uc_engine *uc, uint32_t intno, void *ud)
{
	struct isa_engine *e = ud;
	uint64_t pc = rd(e, UC_ARM64_REG_PC);
	(void)uc;

	switch (intno) {
	case EXCP_SMC: {
		uint32_t ps = pstate(e);
		unsigned cel = (ps >> 2) & 3;
		uint32_t imm = (insn_at(e, pc - 4) >> 5) & 0xffff; /* the ISS Unicorn does not give */
		e->st.smc++;
		if (e->cfg.host.exception) {
			struct isa_exc x = { .kind = ISA_EXC_SMC, .from_el = cel, .to_el = 3, .from_secure = e->secure };
			isa_get_xregs(e, x.x, 8);
			stop_at(e, pc); /* past the SMC; before the callback, which may write PC */
			if (e->cfg.host.exception(e->cfg.host.ctx, e, &x) == ISA_STOP) {
				e->why = ISA_STOP_REQUEST;
				uc_emu_stop(e->uc);
				return;
			}
		}
		take_exception(e, 3, cel < 3 ? 0x400 : (ps & PSTATE_SP) ? 0x200 : 0x000, pc, true,
			       ESR_EC_SMC64 << 26 | ESR_IL | imm);
		return;
	}
	case EXCP_HVC:
		model_call(e, (insn_at(e, pc - 4) >> 5) & 0xffff, pc - 4, false);
		return;
	case EXCP_UDEF: {
		uint32_t i = insn_at(e, pc);
		if ((i & 0xffe0001f) == 0xd4000002) { /* HVC that a conforming core UNDEFs (SCR_EL3.HCE = 0) */
			wr(e, UC_ARM64_REG_PC, pc + 4);
			model_call(e, (i >> 5) & 0xffff, pc, true);
			return;
		}
		fail(e, ISA_E_UNDEF, pc, false);
		return;
	}
	default:
		fail(e, ISA_E_UNDEF, pc, false);
		return;
	}
}

/* ICC_* (IHI 0069 §12.1): op0 3, op1 0 or 6, CRn 12, CRm >= 8; ICC_PMR_EL1 is op1 0, CRn 4, CRm 6. */
static int icc_reg(const uc_arm64_cp_reg *c)
{
	if (c->op0 != 3)
		return -1;
	if (!((c->crn == 12 && c->crm >= 8 && (c->op1 == 0 || c->op1 == 6)) ||
	      (c->op1 == 0 && c->crn == 4 && c->crm == 6 && c->op2 == 0)))
		return -1;
	return gic_icc_reg_from_encoding(c->op0, c->op1, c->crn, c->crm, c->op2);
}

static bool is_icc_space(const uc_arm64_cp_reg *c)
{
	return c->op0 == 3 && ((c->crn == 12 && c->crm >= 8 && (c->op1 == 0 || c->op1 == 6)) ||
			       (c->op1 == 0 && c->crn == 4 && c->crm == 6 && c->op2 == 0));
}

static void skip_insn(struct isa_engine *e) { wr(e, UC_ARM64_REG_PC, rd(e, UC_ARM64_REG_PC) + 4); }

static void icc_done(struct isa_engine *e, sim_time before)
{
	e->st.icc_accesses++;
	e->st.cls[ISA_C_ICC]++;
	e->run16 += e->tm->penalty16[ISA_C_ICC]; /* the current world's (flush_world) */
	skip_insn(e); /* Unicorn does not implement ICC_*: a skipped access leaves PC on it */
	check_deadline(e, before);
}

/* The generic timer's count now: the run's start plus what it executed, at ISA_CNTFRQ_HZ. */
static uint64_t counter_now(const struct isa_engine *e)
{
	sim_time t = e->cfg.sim ? sim_now(e->cfg.sim->k) : 0;
	if (e->running)
		t += sim_clock_cycles(&e->cfg.clock, (e->frac16 + e->run16) / 16);
	return (uint64_t)((unsigned __int128)t * ISA_CNTFRQ_HZ / SIM_S);
}

static bool is_mpidr(const uc_arm64_cp_reg *c)
{
	return c->op0 == 3 && c->op1 == 0 && c->crn == 0 && c->crm == 0 && c->op2 == 5;
}

static bool is_counter(const uc_arm64_cp_reg *c)
{
	return c->op0 == 3 && c->op1 == 3 && c->crn == 14 && c->crm == 0 && c->op2 <= 2;
}

static uint32_t hook_mrs(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *c, void *ud)
{
	struct isa_engine *e = ud;
	uint64_t v = 0;
	(void)uc;
	/* registers Unicorn implements, answered here: PC moves by itself */
	if (is_mpidr(c)) {
		v = e->mpidr; /* MPIDR_EL1: this PE's affinity */
	} else if (is_counter(c)) {
		/* CNTFRQ_EL0, CNTPCT_EL0, CNTVCT_EL0 (CNTVOFF 0): simulated time, not the host's */
		v = c->op2 == 0 ? ISA_CNTFRQ_HZ : counter_now(e);
	} else {
		goto icc;
	}
	if (reg != UC_ARM64_REG_XZR)
		wr(e, reg, v);
	return 1;
icc:
	if (!is_icc_space(c))
		return 0;
	int r = icc_reg(c);
	sim_time before = next_event(e);
	if (r < 0 || !e->ports.icc_read ||
	    e->ports.icc_read(e->ports.ctx, e->cfg.pe, e->el, e->secure, r, &v)) {
		fail(e, ISA_E_UNDEF, rd(e, UC_ARM64_REG_PC), true);
		skip_insn(e);
		return 1;
	}
	if (reg != UC_ARM64_REG_XZR)
		wr(e, reg, v);
	icc_done(e, before);
	return 1;
}

/*
 * MSR to SCTLR_EL1, TCR_EL1, TTBR0/1_EL1 or CONTEXTIDR_EL1: QEMU flushes its
 * soft TLB and the translation-block jump cache on such writes (target/arm
 * helper.c: sctlr_write, vmsa_tcr_el12_write, ...), even when the value does
 * not change, which the world switch does for every one of them: most of
 * the host time of an SMC round trip. And every MSR to a system register
 * ends its translation block with a rebuild of the translation flags (a
 * helper call of ~200 host instructions) after its access check. Writing
 * the value a register already holds has no architectural effect, so the
 * engine skips such writes: for those five at any EL (only MSR changes
 * them, and the hook sees every one), and, on an engine that stays at EL3
 * (isa_config.el3_resident), for the rest of the EL1 context BL31 restores
 * on a world switch (el1_sysregs_context_restore), which nothing but an MSR
 * or the host changes while the PE stays at EL3.
 * shadow_reg: the index in msr_shadow (from SHADOW_ANY_EL: at EL3 only), or -1.
 */
/* (CRn, CRm, op2): unique among the registers of shadow_reg, so their index; (op0, op1) checked apart */
#define LOW_KEY(crn, crm, op2) ((crn) << 7 | (crm) << 3 | (op2))
static const struct {
	uint8_t op0, op1;
} shadow_sel[SHADOW_REGS] = {
	[0] = { 3, 0 }, /* SCTLR_EL1 */
	[1] = { 3, 0 }, /* TTBR0_EL1 */
	[2] = { 3, 0 }, /* TTBR1_EL1 */
	[3] = { 3, 0 }, /* TCR_EL1 */
	[4] = { 3, 0 }, /* CONTEXTIDR_EL1 */
	[5] = { 3, 0 }, /* SPSR_EL1 (from here: at EL3) */
	[6] = { 3, 0 }, /* ELR_EL1 */
	[7] = { 3, 0 }, /* CPACR_EL1 */
	[8] = { 3, 2 }, /* CSSELR_EL1 */
	[9] = { 3, 4 }, /* SP_EL1 */
	[10] = { 3, 0 }, /* ESR_EL1 */
	[11] = { 3, 0 }, /* MAIR_EL1 */
	[12] = { 3, 0 }, /* AMAIR_EL1 */
	[13] = { 3, 0 }, /* ACTLR_EL1 */
	[14] = { 3, 0 }, /* TPIDR_EL1 */
	[15] = { 3, 3 }, /* TPIDR_EL0 */
	[16] = { 3, 3 }, /* TPIDRRO_EL0 */
	[17] = { 3, 0 }, /* PAR_EL1 */
	[18] = { 3, 0 }, /* FAR_EL1 */
	[19] = { 3, 0 }, /* AFSR0_EL1 */
	[20] = { 3, 0 }, /* AFSR1_EL1 */
	[21] = { 3, 0 }, /* VBAR_EL1 */
	[22] = { 3, 0 }, /* CNTKCTL_EL1 */
	[23] = { 2, 0 }, /* MDSCR_EL1 */
};
static const uint8_t shadow_by_low[1 << 11] = { /* index + 1; 0: none */
	[LOW_KEY(1, 0, 0)] = 1,
	[LOW_KEY(2, 0, 0)] = 2,
	[LOW_KEY(2, 0, 1)] = 3,
	[LOW_KEY(2, 0, 2)] = 4,
	[LOW_KEY(13, 0, 1)] = 5,
	[LOW_KEY(4, 0, 0)] = 6,
	[LOW_KEY(4, 0, 1)] = 7,
	[LOW_KEY(1, 0, 2)] = 8,
	[LOW_KEY(0, 0, 0)] = 9,
	[LOW_KEY(4, 1, 0)] = 10,
	[LOW_KEY(5, 2, 0)] = 11,
	[LOW_KEY(10, 2, 0)] = 12,
	[LOW_KEY(10, 3, 0)] = 13,
	[LOW_KEY(1, 0, 1)] = 14,
	[LOW_KEY(13, 0, 4)] = 15,
	[LOW_KEY(13, 0, 2)] = 16,
	[LOW_KEY(13, 0, 3)] = 17,
	[LOW_KEY(7, 4, 0)] = 18,
	[LOW_KEY(6, 0, 0)] = 19,
	[LOW_KEY(5, 1, 0)] = 20,
	[LOW_KEY(5, 1, 1)] = 21,
	[LOW_KEY(12, 0, 0)] = 22,
	[LOW_KEY(14, 1, 0)] = 23,
	[LOW_KEY(0, 2, 2)] = 24,
};

static inline int shadow_reg(const uc_arm64_cp_reg *c)
{
	int k = shadow_by_low[LOW_KEY(c->crn & 15, c->crm & 15, c->op2 & 7)] - 1;
	if (k < 0 || shadow_sel[k].op0 != c->op0 || shadow_sel[k].op1 != c->op1)
		return -1;
	return k;
}

static __attribute__((noinline)) void shadow_fill(struct isa_engine *e, const uc_arm64_cp_reg *c, int k)
{
	e->msr_shadow[k] = cp_read(e, c->op0, c->op1, c->crn, c->crm, c->op2);
	e->msr_shadow_valid |= 1u << k;
}

/* Is the MSR @c to register @k of shadow_reg one of the value it holds? */
static inline bool same_value(struct isa_engine *e, const uc_arm64_cp_reg *c, int k)
{
	if (k >= SHADOW_ANY_EL && (e->el != 3 || !e->cfg.el3_resident))
		return false;
	/* the register's value without a uc_reg_read each time: the hook sees every guest MSR to it */
	if (!(e->msr_shadow_valid & (1u << k)))
		shadow_fill(e, c, k);
	if (e->msr_shadow[k] == c->val)
		return true;
	e->msr_shadow_valid &= ~(1u << k); /* Unicorn writes it (RES0/RES1 bits may differ): read it again */
	return false;
}

static __attribute__((noinline)) uint32_t msr_icc(struct isa_engine *e, const uc_arm64_cp_reg *c)
{
	if (!is_icc_space(c))
		return 0;
	int r = icc_reg(c);
	sim_time before = next_event(e);
	if (r < 0 || !e->ports.icc_write || e->ports.icc_write(e->ports.ctx, e->cfg.pe, e->el, e->secure, r, c->val)) {
		fail(e, ISA_E_UNDEF, rd(e, UC_ARM64_REG_PC), true);
		skip_insn(e);
		return 1;
	}
	icc_done(e, before);
	return 1;
}

static __attribute__((noinline)) uint32_t msr_shadow_slow(struct isa_engine *e, const uc_arm64_cp_reg *c, int k)
{
	return same_value(e, c, k) ? 1 : 0;
}

static uint32_t hook_msr(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *c, void *ud)
{
	struct isa_engine *e = ud;
	(void)uc, (void)reg;
	int k = shadow_reg(c);
	if (k < 0)
		return msr_icc(e, c);
	/* a register Unicorn implements: PC moves by itself. The common case, a known register written
	 * with the value it holds, in a leaf: a valid bit from SHADOW_ANY_EL up is only ever set at EL3 on
	 * an el3_resident engine and is forgotten on leaving it (publish), so it stands for same_value's
	 * EL check */
	if ((e->msr_shadow_valid >> k & 1) && e->msr_shadow[k] == c->val)
		return 1;
	return msr_shadow_slow(e, c, k);
}

/*
 * Which MRS/MSR the hooks must see: an installed MRS or MSR hook is a host
 * call on every MRS or MSR of op0 2/3 within its address range, and most of
 * them (BL31's EL1 context save and restore: 24 a world switch) are
 * registers Unicorn implements, for which the hook answers "not mine". The
 * hooks are bounded to the instructions that need them instead, found in
 * the images' code when the engine is made (the code is frozen then, and
 * nothing else is executable): MRS of MPIDR_EL1, the counters and ICC_*;
 * MSR of ICC_* and of the registers whose same-value writes are skipped.
 */
/* The register an MRS or MSR (register form, op0 2 or 3) @i names, as Unicorn's hooks see it */
static uc_arm64_cp_reg sys_reg_of(uint32_t i)
{
	return (uc_arm64_cp_reg){ .crn = (i >> 12) & 15, .crm = (i >> 8) & 15, .op0 = 2 + ((i >> 19) & 1),
				  .op1 = (i >> 16) & 7, .op2 = (i >> 5) & 7 };
}

static bool sys_needs_hook(const struct isa_engine *e, uint32_t i, bool read)
{
	uc_arm64_cp_reg c = sys_reg_of(i);
	if (is_icc_space(&c))
		return true;
	if (read)
		return is_mpidr(&c) || is_counter(&c);
	int k = shadow_reg(&c);
	return k >= 0 && (k < SHADOW_ANY_EL || e->cfg.el3_resident);
}

/* MRS (@read) or MSR (register form) with op0 2 or 3: the instructions Unicorn's MRS/MSR hooks see */
static bool is_sys_move(uint32_t i, bool read) { return i >> 20 == (read ? 0xd53u : 0xd51u); }

/* ---- blocks in parts ---------------------------------------------------------------------------- */

/*
 * QEMU ends a translation block after every MSR whose register info lacks
 * ARM_CP_SUPPRESS_TB_END (handle_sys): the write may change how the next
 * instructions translate. Unicorn 2.0.1 keeps that for every EL1 register,
 * so BL31's el1_sysregs_context_restore, 24 MSRs at EL3, was 21 blocks per
 * world switch, each ending in an exit to Unicorn's CPU loop, a block
 * lookup and a block hook (with all three worlds as code on default.yaml,
 * 147,875 host instructions a notification with those ends, 118,563
 * without: docs/calibration.md §5.4). At EL3 an EL1 register changes nothing of
 * EL3's translation (its flags come from SCTLR_EL3, SCR_EL3, CPTR_EL3 and
 * PSTATE; an ERET rebuilds them for the EL it enters), so when Unicorn
 * translates such a write at EL3, it gets a copy of the register's info with
 * ARM_CP_SUPPRESS_TB_END (isa_engine_cpreg, through isa_ucfix.c's
 * get_arm_cp_reginfo_aarch64): the block goes on. The writes to the same
 * registers at EL1 keep their end.
 *
 * The model's time is per translation block (isa_timing), so a block that
 * goes on past such writes is costed in parts, split after each of them
 * (isa_blkcache_add with e->tb_split): the block Unicorn would have made
 * before, each with its cost. The first part is the block's L1 cost, the
 * others its tail (tail_of), counted after it against the budget one by
 * one as the block hook would have (count_tail): a budget stop the hook
 * would have made between two parts is made at the next block, and the
 * parts not yet counted are counted by the next run before any guest code
 * (tail_consume). Every run then ends with the cycles and instructions it
 * had with every part a block of its own. A stop a device access asks for
 * inside such a block comes at its end, not at the next part: BL31's
 * restore makes none.
 */

/* Is @insn an MSR to a shadow register whose bit is set in @split? */
bool isa_msr_splits(uint32_t split, uint32_t insn)
{
	if (!is_sys_move(insn, false))
		return false;
	uc_arm64_cp_reg c = sys_reg_of(insn);
	int k = shadow_reg(&c);
	return k >= 0 && (split >> k & 1);
}

/*
 * At translation, Unicorn asks for the info of the register with key @key
 * (ENCODE_AA64_CP_REG: op0 << 14 | op1 << 11 | CRn << 7 | CRm << 3 | op2
 * under 0x10130000) and found @ri: for an EL1 context register (shadow_reg)
 * at EL3 whose write ends a block, a copy that does not; kept with the
 * engine, as the translated code calls the write function with it.
 */
const void *isa_engine_cpreg(struct isa_engine *e, uint32_t key, const void *ri)
{
	if (e->cfg.tb_end_all || (key & 0xffff0000u) != 0x10130000u)
		return ri;
	uc_arm64_cp_reg c = { .crn = (key >> 7) & 15, .crm = (key >> 3) & 15, .op0 = (key >> 14) & 3,
			      .op1 = (key >> 11) & 7, .op2 = key & 7 };
	int k = shadow_reg(&c);
	if (k < 0 || ((pstate(e) >> 2) & 3) != 3) /* the EL the block is translated for */
		return ri;
	if (e->ri_orig[k] == ri)
		return e->ri_copy[k];
	int type;
	memcpy(&type, (const char *)ri + CPREG_TYPE_OFF, sizeof(type));
	if (type & (ARM_CP_SPECIAL | ARM_CP_CONST | ARM_CP_SUPPRESS_TB_END))
		return ri; /* a write that never ended a block */
	memcpy(e->ri_copy[k], ri, CPREG_SIZE);
	type |= ARM_CP_SUPPRESS_TB_END;
	memcpy((char *)e->ri_copy[k] + CPREG_TYPE_OFF, &type, sizeof(type));
	e->ri_orig[k] = ri;
	e->tb_split |= 1u << k; /* before the block's hook decodes it */
	return e->ri_copy[k];
}

/* @l, the block @b in parts: its first part's cost, its tail (made once per block). False: out of memory. */
static bool tail_of(struct isa_engine *e, struct isa_l1 *l, struct isa_blk *b)
{
	if (!b->tail) {
		const uint32_t *code = isa_mem_ptr(e->mem, b->addr, b->size);
		uint32_t seg16[TAIL_SEGS + 1];
		uint16_t segn[TAIL_SEGS + 1];
		unsigned n = code ? isa_block_parts(e->tm, code, b->ninsn, e->tb_split, NULL, seg16, segn, TAIL_SEGS + 1)
				  : 0;
		if (n < 2 || e->ntails >= L1_TAIL_MASK >> L1_TAIL_SHIFT) {
			fail(e, ISA_E_NOMEM, b->addr, false); /* more parts than TAIL_SEGS, or tails than flags hold */
			return false;
		}
		if (e->ntails == e->captails) {
			unsigned cap = e->captails ? 2 * e->captails : 8;
			struct isa_tail *t = realloc(e->tails, cap * sizeof(*t));
			if (!t) {
				fail(e, ISA_E_NOMEM, b->addr, false);
				return false;
			}
			e->tails = t;
			e->captails = cap;
		}
		struct isa_tail *t = &e->tails[e->ntails++];
		memset(t, 0, sizeof(*t));
		for (unsigned k = 1; k < n; k++) {
			t->seg16[t->n] = seg16[k];
			t->segn[t->n++] = segn[k];
			t->cost16 += seg16[k];
			t->insns += segn[k];
		}
		b->tail = (uint16_t)e->ntails;
	}
	const struct isa_tail *t = &e->tails[b->tail - 1];
	l->cost16 = b->cost16 - t->cost16;
	l->flags |= (uint16_t)(b->tail << L1_TAIL_SHIFT);
	return true;
}

/* The tail @t of a block just counted (count_flags): its parts while they fit the budget. */
static void count_tail(struct isa_engine *e, const struct isa_tail *t)
{
	e->run16 += t->cost16; /* the instructions came with the block's size */
	if (e->run16 <= e->limit16)
		return; /* all of it: the common case */
	e->run16 -= t->cost16;
	unsigned k = 0;
	for (; e->run16 + t->seg16[k] <= e->limit16; k++)
		e->run16 += t->seg16[k];
	for (unsigned j = k; j < t->n; j++)
		e->run_insns -= t->segn[j];
	e->carry = (unsigned)(t - e->tails) + 1;
	e->carry_pos = k;
	stop_deferred(e, ISA_STOP_BUDGET); /* where the hook would have stopped: before part k */
}

/* A run's start after a stop inside a block in parts: its parts left, as the hook would have counted them in a
 * run started there. True: the budget stops the run before any. */
static bool tail_consume(struct isa_engine *e)
{
	const struct isa_tail *t = &e->tails[e->carry - 1];
	while (e->carry_pos < t->n) {
		uint32_t c16 = t->seg16[e->carry_pos];
		if (e->run16 + c16 > e->limit16 && e->run16)
			return true;
		e->run16 += c16;
		e->run_insns += t->segn[e->carry_pos++];
	}
	e->carry = 0;
	return false;
}

static int cmp_addr(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * The hooks of one kind: every code range less the MRS (@read) or MSR
 * instructions that need no hook, whose addresses are kept (e->unhooked,
 * sorted). A test may patch code before an engine first runs it: a block
 * whose needed access sits at such an address is an error (sys_unhooked),
 * never a silently skipped hook.
 */
static uc_err add_sys_hooks(struct isa_engine *e, bool read)
{
	void *cb = read ? (void *)hook_mrs : (void *)hook_msr;
	int insn = read ? UC_ARM64_INS_MRS : UC_ARM64_INS_MSR;
	uc_hook h;
	uc_err u = UC_ERR_OK;
	for (unsigned k = 0; !u && k < e->mem->ncode; k++) {
		const struct isa_range *r = &e->mem->code[k];
		const uint32_t *code = isa_mem_ptr(e->mem, r->lo, r->hi - r->lo);
		uint64_t begin = r->lo;
		for (uint64_t a = r->lo; code && !u && a < r->hi; a += 4) {
			uint32_t i = code[(a - r->lo) / 4];
			if (!is_sys_move(i, read) || sys_needs_hook(e, i, read))
				continue;
			if (e->nunhooked == e->capunhooked) {
				unsigned cap = e->capunhooked ? 2 * e->capunhooked : 256;
				uint64_t *t = realloc(e->unhooked, cap * sizeof(*t));
				if (!t)
					return UC_ERR_NOMEM;
				e->unhooked = t;
				e->capunhooked = cap;
			}
			e->unhooked[e->nunhooked++] = a;
			if (begin < a)
				u = uc_hook_add(e->uc, &h, UC_HOOK_INSN, cb, e, begin, a - 4, insn);
			begin = a + 4;
		}
		if (!u && begin < r->hi)
			u = uc_hook_add(e->uc, &h, UC_HOOK_INSN, cb, e, begin, r->hi - 4, insn);
	}
	qsort(e->unhooked, e->nunhooked, sizeof(*e->unhooked), cmp_addr);
	return u;
}

/* Does the block at @addr (@n instructions @code) make an access that needs a hook where there is none? */
static bool sys_unhooked(const struct isa_engine *e, uint64_t addr, const uint32_t *code, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		bool read = is_sys_move(code[k], true);
		if (!read && !is_sys_move(code[k], false))
			continue;
		if ((read && e->cfg.no_mrs_hook) || !sys_needs_hook(e, code[k], read))
			continue;
		uint64_t a = addr + 4 * k;
		if (bsearch(&a, e->unhooked, e->nunhooked, sizeof(a), cmp_addr))
			return true;
	}
	return false;
}

/* An access's count and device charge; returns the next kernel event before it (check_deadline). */
static sim_time mmio_charge(struct isa_engine *e)
{
	sim_time before = next_event(e);
	e->st.mmio_accesses++;
	e->st.cls[ISA_C_MMIO]++;
	e->run16 += e->tm->penalty16[ISA_C_MMIO]; /* the current world's (flush_world) */
	return before;
}

/* Device registers: the bus through the PE's ports (absolute address, the PE's state). */
static uint64_t mmio_rd(uc_engine *uc, uint64_t off, unsigned size, void *ud)
{
	struct isa_mmio_ctx *m = ud;
	struct isa_engine *e = m->e;
	uint64_t v = 0;
	sim_time before = mmio_charge(e);
	(void)uc;
	if (e->ports.mmio_read)
		e->ports.mmio_read(e->ports.ctx, e->cfg.pe, e->el, e->secure, m->base + off, size, &v);
	check_deadline(e, before);
	return v;
}

static void mmio_wr(uc_engine *uc, uint64_t off, unsigned size, uint64_t v, void *ud)
{
	struct isa_mmio_ctx *m = ud;
	struct isa_engine *e = m->e;
	sim_time before = mmio_charge(e);
	(void)uc;
	if (e->ports.mmio_write)
		e->ports.mmio_write(e->ports.ctx, e->cfg.pe, e->el, e->secure, m->base + off, size, v);
	check_deadline(e, before);
}

/* ---- creation -------------------------------------------------------------------------------- */

/* Unicorn 2.0.1 reserves 1 GiB per engine for translated code and exits the process if it cannot. */
#define UC_RESERVE (1ull << 30)

static int address_space_ok(char *err, size_t errlen)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		unsigned long vsz_pages = 0;
		FILE *f = fopen("/proc/self/statm", "r");
		if (f) {
			if (fscanf(f, "%lu", &vsz_pages) != 1)
				vsz_pages = 0;
			fclose(f);
		}
		uint64_t vsz = (uint64_t)vsz_pages * (uint64_t)sysconf(_SC_PAGESIZE);
		if (vsz + UC_RESERVE + (UC_RESERVE >> 3) > rl.rlim_cur) {
			snprintf(err, errlen,
				 "another Unicorn engine needs 1 GiB of address space: RLIMIT_AS (ulimit -v) is %llu MiB, "
				 "%llu MiB in use",
				 (unsigned long long)(rl.rlim_cur >> 20), (unsigned long long)(vsz >> 20));
			return ISA_E_NOMEM;
		}
	}
	FILE *f = fopen("/proc/sys/vm/overcommit_memory", "r");
	int mode = 0;
	if (f) {
		if (fscanf(f, "%d", &mode) != 1)
			mode = 0;
		fclose(f);
	}
	if (mode == 2) {
		unsigned long long limit = 0, committed = 0, v;
		char key[64];
		f = fopen("/proc/meminfo", "r");
		while (f && fscanf(f, "%63s %llu kB\n", key, &v) == 2) {
			if (!strcmp(key, "CommitLimit:"))
				limit = v;
			else if (!strcmp(key, "Committed_AS:"))
				committed = v;
		}
		if (f)
			fclose(f);
		if (limit < committed || (limit - committed) * 1024 < UC_RESERVE + (UC_RESERVE >> 3)) {
			snprintf(err, errlen,
				 "another Unicorn engine needs 1 GiB of commit, and vm.overcommit_memory is 2 with "
				 "%llu MiB left",
				 limit > committed ? (limit - committed) >> 10 : 0);
			return ISA_E_NOMEM;
		}
	}
	return 0;
}

/* Map one bank: code ranges read-only and executable, the rest read-write (isa_ucfix.c). */
static uc_err map_bank(struct isa_engine *e, unsigned i)
{
	const struct isa_bank *b = &e->mem->bank[i];
	uint64_t at = b->base, end = b->base + b->size;
	uc_err u = UC_ERR_OK;
	while (!u && at < end) {
		uint64_t next = end, code_end = 0;
		for (unsigned k = 0; k < e->mem->ncode; k++) {
			const struct isa_range *r = &e->mem->code[k];
			if (r->lo <= at && at < r->hi) {
				code_end = r->hi < end ? r->hi : end;
				break;
			}
			if (r->lo > at && r->lo < next)
				next = r->lo;
		}
		uint64_t stop = code_end ? code_end : next;
		u = uc_mem_map_ptr(e->uc, at, stop - at, code_end ? UC_PROT_READ | UC_PROT_EXEC : UC_PROT_READ | UC_PROT_WRITE,
				   e->mem->host[i] + (at - b->base));
		at = stop;
	}
	return u;
}

/* The start-up check of the store fast path: one store to a data page must reach the interposer. */
static void check_storefix(struct isa_engine *e)
{
	uint64_t before = isa_ucfix_fills();
	uint64_t probe = ISA_HOST_PAGE + 8;
	wr(e, UC_ARM64_REG_X1, ISA_HOST_PAGE + ISA_HOST_PAGE_SIZE);
	wr(e, UC_ARM64_REG_PC, probe);
	e->in_call = true;
	uc_emu_start(e->uc, probe, 0, 0, 0);
	e->in_call = false;
	e->why = ISA_STOP_REQUEST;
	e->storefix = isa_ucfix_fills() > before;
}

int isa_engine_new(struct isa_engine **out, struct isa_mem *m, const struct isa_config *c, char *err, size_t errlen)
{
	struct isa_engine *e;
	uc_err u;
	int rc;

	char tmp[160];
	*out = NULL;
	if (!err || !errlen)
		err = tmp, errlen = sizeof(tmp);
	err[0] = 0;
	if (c->n_mmio > ISA_MAX_WINDOWS || !c->ports)
		return ISA_E_RANGE;
	for (unsigned i = 0; i < c->n_mmio; i++) {
		const struct isa_window *w = &c->mmio[i];
		if (!w->size || ((w->base | w->size) & 0xfff) || (w->base < ISA_HOST_PAGE + 2 * ISA_HOST_PAGE_SIZE &&
								   ISA_HOST_PAGE < w->base + w->size))
			return ISA_E_RANGE;
		for (unsigned k = 0; k < m->nbank; k++)
			if (w->base < m->bank[k].base + m->bank[k].size && m->bank[k].base < w->base + w->size)
				return ISA_E_RANGE;
	}
	if ((rc = address_space_ok(err, errlen)))
		return rc;
	e = calloc(1, sizeof(*e));
	if (!e)
		return ISA_E_NOMEM;
	e->mem = m;
	e->cfg = *c;
	e->ports = *c->ports;
	e->cfg.ports = &e->ports;
	e->tm = isa_timing_preset(c->preset);
	e->mpidr = (1ull << 31) | pe_mpidr(c->pe); /* bit 31 RES1; U = 0: a multiprocessor */
	if (isa_blkcache_init(&e->bc, 10)) {
		free(e);
		return ISA_E_NOMEM;
	}
	if ((u = uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &e->uc)) != UC_ERR_OK) {
		snprintf(err, errlen, "uc_open: %s", uc_strerror(u));
		isa_blkcache_free(&e->bc);
		free(e);
		return ISA_E_UNICORN;
	}
	u = uc_ctl_set_cpu_model(e->uc, c->preset == SIM_PRESET_A72 ? UC_CPU_ARM64_A72 : UC_CPU_ARM64_A53);
	for (unsigned i = 0; !u && i < m->nbank; i++)
		u = map_bank(e, i);
	if (!u)
		u = uc_mem_map(e->uc, ISA_HOST_PAGE, ISA_HOST_PAGE_SIZE, UC_PROT_READ | UC_PROT_EXEC);
	if (!u) /* a scratch data page for the store check */
		u = uc_mem_map(e->uc, ISA_HOST_PAGE + ISA_HOST_PAGE_SIZE, ISA_HOST_PAGE_SIZE, UC_PROT_READ | UC_PROT_WRITE);
	if (!u) {
		/* eret; hvc #RETURN; (+8, the store check) str x0, [x1]; hvc #RETURN; (+0x10) smc #0; ret */
		_Static_assert(ISA_MC_RETURN == 0, "the host page's hvc #0");
		u = uc_mem_write(e->uc, ISA_HOST_PAGE, host_page, sizeof(host_page));
	}
	for (unsigned i = 0; !u && i < c->n_mmio; i++) {
		e->mmio[i].e = e;
		e->mmio[i].base = c->mmio[i].base;
		u = uc_mmio_map(e->uc, c->mmio[i].base, c->mmio[i].size, mmio_rd, &e->mmio[i], mmio_wr, &e->mmio[i]);
	}
	if (!u)
		u = uc_hook_add(e->uc, &e->h_intr, UC_HOOK_INTR, (void *)hook_intr, e, 1, 0);
	if (!u && !c->no_mrs_hook)
		u = add_sys_hooks(e, true);
	if (!u)
		u = add_sys_hooks(e, false);
	if (!u)
		u = uc_hook_add(e->uc, &e->h_block, UC_HOOK_BLOCK, (void *)hook_block, e, 1, 0);
	if (u) {
		snprintf(err, errlen, "unicorn: %s", uc_strerror(u));
		isa_engine_free(e);
		return ISA_E_UNICORN;
	}
	m->engines++;
	check_storefix(e);
	e->el = 1; /* Unicorn's reset state; isa_reset publishes EL3 */
	e->secure = true;
	e->world = SIM_WORLD_S;
	isa_reset(e, ISA_HOST_RETURN, NULL);
	isa_stats_reset(e);
	*out = e;
	return 0;
}

void isa_engine_free(struct isa_engine *e)
{
	if (!e)
		return;
	if (e->uc)
		uc_close(e->uc);
	isa_blkcache_free(&e->bc);
	free(e->tails);
	free(e->unhooked);
	free(e);
}

bool isa_storefix_active(const struct isa_engine *e) { return e->storefix; }

/* ---- running ----------------------------------------------------------------------------------- */

void isa_reset(struct isa_engine *e, uint64_t entry, const uint64_t args[4])
{
	restore_call(e);
	take_result(e);
	e->call_saved_live = false;
	e->carry = 0;
	const uint32_t nps = 0x3cd; /* EL3h, DAIF masked */

	for (int i = 0; i < 4; i++)
		wr(e, xreg(i), args ? args[i] : 0);
	/* the reset trampoline: an ERET translated at the translator's (maybe stale) EL reads that
	 * EL's ELR, which PSTATE may no longer name (a reset that never ran): set them all */
	for (int el = 1; el <= 3; el++)
		wr(e, elr_reg[el], entry);
	spsr_write(e, 3, nps);
	set_pstate(e, nps);
	wr(e, UC_ARM64_REG_PC, ISA_HOST_ERET);
	e->pstate = nps;
	e->scr_stale = true;
	e->fix_pending = false;
	e->check_state = false;
	e->stop_next = false;
	e->idle_verdict = false;
	e->in_call = false;
	publish(e, 3, true);
	update_slow(e);
}

static void finish_call(struct isa_engine *e)
{
	e->call_res_live = true; /* x0..x3: read when asked (take_result, isa_call_results) */
	e->call_restore = true; /* x30, PC (and SP): restore_call */
	e->call_saved_live = e->call_sp;
	e->in_call = false;
	e->call_returned = true;
}

static int run_from(struct isa_engine *e, uint64_t budget_cycles, struct isa_result *r, const uint64_t *pc);

int isa_run(struct isa_engine *e, uint64_t budget_cycles, struct isa_result *r)
{
	return run_from(e, budget_cycles, r, NULL);
}

/* isa_run from @pc (NULL: the engine's PC, read back) */
static int run_from(struct isa_engine *e, uint64_t budget_cycles, struct isa_result *r, const uint64_t *pc)
{
	memset(r, 0, sizeof(*r));
	if (e->running)
		return ISA_E_STATE;
	take_result(e);
	if (!e->in_call) { /* code other than a call's routine: x30, SP and PC are its own */
		restore_call(e);
		e->call_saved_live = false;
	}
	e->running = true;
	e->run16 = 0;
	e->run_insns = 0;
	e->seg16 = e->seg_insns = 0;
	e->limit16 = budget_cycles ? budget_cycles * 16 : UINT64_MAX;
	e->why = ISA_STOP_ERROR;
	e->err = 0;
	e->run_start = e->cfg.sim ? sim_now(e->cfg.sim->k) : 0;
	e->budget_cycles = budget_cycles;
	e->deadline = 0;
	e->st.runs++;

	uint64_t start = pc ? *pc : e->next_pc_valid ? e->next_pc : rd(e, UC_ARM64_REG_PC);
	uc_err u = UC_ERR_OK;
	if (pc)
		e->carry = 0; /* a new start: what a stop left of a block in parts is dropped with it */
	if (e->carry && tail_consume(e)) {
		e->why = ISA_STOP_BUDGET; /* nothing ran: PC stays where the last stop left it */
	} else {
		e->next_pc_valid = false; /* until a stop says where */
		isa_ucfix_running = e; /* for the blocks Unicorn translates now (isa_engine_cpreg) */
		u = uc_emu_start(e->uc, start, 0, 0, 0);
		isa_ucfix_running = NULL;
	}
	e->running = false;
	flush_world(e);
	if (e->check_state) { /* the last block changed EL or DAIF: the GIC must see it between runs */
		e->check_state = false;
		refresh_state(e);
		update_slow(e);
	}
	if (u != UC_ERR_OK && !e->err) {
		e->err = u == UC_ERR_WRITE_PROT || u == UC_ERR_READ_UNMAPPED || u == UC_ERR_WRITE_UNMAPPED ||
				 u == UC_ERR_FETCH_UNMAPPED || u == UC_ERR_FETCH_PROT || u == UC_ERR_READ_PROT
			 ? ISA_E_GUEST_FAULT
			 : ISA_E_UNICORN;
		e->err_pc = rd(e, UC_ARM64_REG_PC);
	}
	if (e->err)
		e->why = ISA_STOP_ERROR;
	else if (e->why == ISA_STOP_ERROR)
		e->err = ISA_E_STATE, e->err_pc = rd(e, UC_ARM64_REG_PC); /* ran into until = 0 */
	if (e->why == ISA_STOP_RETURN && e->in_call)
		finish_call(e);

	uint64_t total16 = e->frac16 + e->run16;
	r->why = e->why;
	r->imm = e->why_imm;
	r->cycles = total16 / 16;
	r->cycles16 = e->run16;
	e->frac16 = total16 % 16;
	r->insns = e->run_insns;
	r->err = e->err;
	r->err_pc = e->err_pc;
	e->st.cycles += r->cycles;
	return e->err;
}

uint64_t isa_run_cycles(const struct isa_engine *e) { return (e->frac16 + e->run16) / 16; }

int isa_call(struct isa_engine *e, uint64_t fn, const uint64_t *args, unsigned nargs, uint64_t sp,
	     uint64_t budget_cycles, uint64_t res[4], struct isa_result *r)
{
	if (e->in_call || nargs > 8)
		return ISA_E_STATE;
	e->call_res_live = false; /* the last call's result is gone with this call (isa_call_results): not read */
	if (e->call_restore && e->call_saved_live) {
		/* the last call's x30, PC and SP are call_saved's: this call writes x30 and PC, SP unless given */
		e->call_restore = false;
		if (!sp)
			wr(e, UC_ARM64_REG_SP, e->call_saved[1]);
	}
	restore_call(e);
	if (!e->call_saved_live) {
		int sregs[3] = { UC_ARM64_REG_X30, UC_ARM64_REG_SP, UC_ARM64_REG_PC };
		void *svals[3] = { &e->call_saved[0], &e->call_saved[1], &e->call_saved[2] };
		uc_reg_read_batch(e->uc, sregs, svals, 3);
	}
	e->call_saved_live = false;
	e->call_sp = sp != 0;
	/* x0..x(nargs-1), x30 (and SP): the arguments, the return stub; x(nargs)..x7 as they are
	 * (isa.h: the routine reads only its arguments; each register Unicorn's batch writes costs
	 * ~45 host instructions, and most routines take one or two) */
	int regs[10];
	uint64_t v[10];
	void *vals[10];
	unsigned n = 0;
	for (; n < nargs; n++) {
		regs[n] = UC_ARM64_REG_X0 + (int)n;
		v[n] = args[n];
	}
	regs[n] = UC_ARM64_REG_X30;
	v[n++] = ISA_HOST_RETURN;
	if (sp) {
		regs[n] = UC_ARM64_REG_SP;
		v[n++] = sp;
	}
	for (unsigned i = 0; i < n; i++)
		vals[i] = &v[i];
	uc_reg_write_batch(e->uc, regs, vals, (int)n);
	e->in_call = true;
	e->call_returned = false;
	int rc = run_from(e, budget_cycles, r, &fn); /* uc_emu_start writes PC */
	if (res && e->call_returned)
		isa_call_results(e, res, 4);
	return rc;
}

bool isa_call_results(struct isa_engine *e, uint64_t *res, unsigned n)
{
	if (!e->call_returned)
		return false;
	if (n > 4)
		n = 4;
	if (e->call_res_live) /* still the engine's x0..x3 (nothing wrote them since the return) */
		isa_get_xregs(e, res, n);
	else
		memcpy(res, e->call_res, n * sizeof(*res));
	return true;
}

/* ---- world contexts for an abstract monitor ------------------------------------------------------ */

/* el1_sysregs_context_save's list less SPSR/ELR/SP_EL1 (kept apart): (op0, op1, CRn, CRm, op2) */
static const uint8_t el1_regs[ISA_CTX_EL1][5] = {
	{ 3, 0, 1, 0, 0 },   /* SCTLR_EL1 */
	{ 3, 0, 2, 0, 2 },   /* TCR_EL1 */
	{ 3, 0, 1, 0, 2 },   /* CPACR_EL1 */
	{ 3, 2, 0, 0, 0 },   /* CSSELR_EL1 */
	{ 3, 0, 5, 2, 0 },   /* ESR_EL1 */
	{ 3, 0, 2, 0, 0 },   /* TTBR0_EL1 */
	{ 3, 0, 2, 0, 1 },   /* TTBR1_EL1 */
	{ 3, 0, 10, 2, 0 },  /* MAIR_EL1 */
	{ 3, 0, 10, 3, 0 },  /* AMAIR_EL1 */
	{ 3, 0, 1, 0, 1 },   /* ACTLR_EL1 */
	{ 3, 0, 13, 0, 4 },  /* TPIDR_EL1 */
	{ 3, 3, 13, 0, 2 },  /* TPIDR_EL0 */
	{ 3, 3, 13, 0, 3 },  /* TPIDRRO_EL0 */
	{ 3, 0, 7, 4, 0 },   /* PAR_EL1 */
	{ 3, 0, 6, 0, 0 },   /* FAR_EL1 */
	{ 3, 0, 5, 1, 0 },   /* AFSR0_EL1 */
	{ 3, 0, 5, 1, 1 },   /* AFSR1_EL1 */
	{ 3, 0, 13, 0, 1 },  /* CONTEXTIDR_EL1 */
	{ 3, 0, 12, 0, 0 },  /* VBAR_EL1 */
	{ 3, 0, 14, 1, 0 },  /* CNTKCTL_EL1 */
	{ 2, 0, 0, 2, 2 },   /* MDSCR_EL1 (not MDCCINT_EL1: Unicorn's raw read of it asserts) */
};

void isa_context_save(struct isa_engine *e, struct isa_context *c)
{
	restore_call(e);
	int regs[31];
	void *vals[31];
	for (int i = 0; i < 31; i++)
		regs[i] = xreg(i), vals[i] = &c->x[i];
	uc_reg_read_batch(e->uc, regs, vals, 31);
	c->sp_el0 = isa_get_reg(e, ISA_SP_EL0);
	c->sp_el1 = isa_get_reg(e, ISA_SP_EL1);
	c->elr_el1 = rd(e, UC_ARM64_REG_ELR_EL1);
	c->spsr_el1 = spsr_read(e, 1);
	for (int i = 0; i < ISA_CTX_EL1; i++)
		c->el1[i] = cp_read(e, el1_regs[i][0], el1_regs[i][1], el1_regs[i][2], el1_regs[i][3], el1_regs[i][4]);
	c->pc = rd(e, UC_ARM64_REG_PC);
	c->pstate = pstate(e);
	c->scr_el3 = scr_read(e);
}

int isa_context_restore(struct isa_engine *e, const struct isa_context *c)
{
	restore_call(e);
	take_result(e);
	e->call_saved_live = false;
	unsigned tel = (c->pstate >> 2) & 3;
	uint32_t ps = pstate(e);
	unsigned cel = (ps >> 2) & 3;
	const uint32_t el3h = 0x3cd;

	if (tel > 1 || (c->pstate & 0x10))
		return ISA_E_RANGE;
	/* the live SP belongs to the current (EL, SPSel): bank it, run the trampoline on SP_EL3 */
	wr(e, sp_reg[live_sp_el(ps)], rd(e, UC_ARM64_REG_SP));
	wr(e, UC_ARM64_REG_SP, rd(e, UC_ARM64_REG_SP_EL3));
	int regs[31];
	void *vals[31];
	for (int i = 0; i < 31; i++)
		regs[i] = xreg(i), vals[i] = (void *)&c->x[i];
	uc_reg_write_batch(e->uc, regs, vals, 31);
	for (int i = 0; i < ISA_CTX_EL1; i++)
		cp_write(e, el1_regs[i][0], el1_regs[i][1], el1_regs[i][2], el1_regs[i][3], el1_regs[i][4], c->el1[i]);
	wr(e, UC_ARM64_REG_SP_EL0, c->sp_el0);
	wr(e, UC_ARM64_REG_SP_EL1, c->sp_el1);
	spsr_write(e, 1, c->spsr_el1);
	cp_write(e, 3, 6, 1, 1, 0, c->scr_el3);
	/* ERET from EL3 at the trampoline: PSTATE says EL3 so its helper reads SPSR_EL3; it is
	 * translated at the stale EL, whose ELR it reads: borrowed, and put back by fixup() */
	wr(e, UC_ARM64_REG_ELR_EL3, c->pc);
	spsr_write(e, 3, c->pstate);
	set_pstate(e, el3h);
	if (cel != 3) {
		e->fix_pending = true;
		e->fix_cel = cel;
		e->fix_tel = 3;
		e->fix_elr = cel == 1 ? c->elr_el1 : rd(e, elr_reg[cel]);
		e->fix_spsr = (uint32_t)c->pstate;
		e->fix_pc = c->pc;
		wr(e, elr_reg[cel], c->pc);
	} else {
		wr(e, UC_ARM64_REG_ELR_EL1, c->elr_el1);
	}
	wr(e, UC_ARM64_REG_PC, ISA_HOST_ERET);
	e->pstate = el3h;
	e->scr_stale = true;
	e->idle_verdict = false;
	e->check_state = true; /* the first block after the trampoline re-reads PSTATE and publishes */
	update_slow(e);
	return 0;
}

void isa_set_irq(struct isa_engine *e, bool level)
{
	e->irq = level;
	e->idle_verdict = false;
	update_slow(e);
}

void isa_set_fiq(struct isa_engine *e, bool level)
{
	e->fiq = level;
	e->idle_verdict = false;
	update_slow(e);
}

void isa_get_stats(struct isa_engine *e, struct isa_stats *s)
{
	flush_world(e); /* mid-run: the current segment so far */
	*s = e->st;
	s->insns = s->insns_world[0] + s->insns_world[1] + s->insns_world[2];
	if (e->running)
		s->cycles += (e->frac16 + e->run16) / 16;
	for (int w = 0; w < 3; w++)
		s->cycles_world[w] = e->world16[w] / 16;
	for (unsigned k = 0; k < L1_SIZE; k++) {
		struct isa_l1 l = e->l1[k];
		fold_l1(&l, s);
	}
}

void isa_stats_reset(struct isa_engine *e)
{
	memset(&e->st, 0, sizeof(e->st));
	memset(e->world16, 0, sizeof(e->world16));
	e->seg16 = e->run16; /* mid-run: what ran before is not counted */
	e->seg_insns = e->run_insns;
	for (unsigned k = 0; k < L1_SIZE; k++)
		e->l1[k].execs = 0;
}
