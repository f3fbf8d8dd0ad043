/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/isa.h: a PE running guest code as real AArch64 instructions,
 * on one Unicorn 2.0.1 engine per PE (the "ISA fidelity" of a PE; the
 * abstract PE is pe.h).
 *
 * What it models: the instruction stream of the guest images
 * (models/{monitor,tee,ree}/guest/), the exception entries Unicorn does not
 * take by itself (SMC, IRQ, FIQ: the host writes ELR/SPSR/ESR of the target
 * EL and enters its vector, through an ERET trampoline: isa_engine.c), the
 * GIC CPU interface behind MRS/MSR of ICC_* registers, device registers
 * behind uc_mmio_map windows, and the time the code takes: cycles from the
 * executed instructions by class with a per-preset cost table (isa_timing).
 *
 * What it owns: the engine (its CPU state, translation cache, hooks) and the
 * per-engine statistics. Guest RAM belongs to struct isa_mem, shared by
 * every engine of a simulation (one host buffer per bank, mapped with
 * uc_mem_map_ptr): what one PE stores, every PE loads.
 *
 * What it never touches: any other model. The GIC and the bus are reached
 * through the PE's ports (struct pe_ports: icc_read/icc_write with the
 * INTID-level register of gic_icc_reg_from_encoding, mmio_read/mmio_write
 * at physical addresses, state when the exception level or security state
 * changes), abstract models through model calls (isa_abi.h) handed to the
 * host callbacks below.
 *
 * Time. isa_run() executes until a stop: a model call that asks for it, a
 * budget of cycles (the caller passes the time to the next pending kernel
 * event, so the guest never runs past an event it should see), an access
 * whose effect scheduled a kernel event earlier than the run's end (the
 * run ends at the next block boundary: Unicorn 2.0.1 replays a block that
 * is stopped inside an MMIO callback, notes §7), isa_request_stop(), or an
 * error. Budgets and interrupts act at translation-block boundaries: a run
 * executes at least its first block, so it may pass its budget by at most
 * one block. The caller advances the PE by the cycles the run reports.
 *
 * The generic timer's counters (CNTPCT_EL0, CNTVCT_EL0) read simulated time
 * at ISA_CNTFRQ_HZ, never the host's clock, so runs stay deterministic.
 *
 * Library code: never prints, never exits; errors are negative ISA_E_*
 * values with isa_strerror(). The engine's process-wide parts (the store
 * fast path of isa_ucfix.c, which interposes a libunicorn internal) are
 * the library's, not state of a simulation.
 */
#ifndef MODELS_CPU_ISA_H
#define MODELS_CPU_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/cpu/isa_abi.h"
#include "models/cpu/pe.h"
#include "sim/kernel/costs.h"
#include "sim/kernel/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The generic timer's frequency the engine reports (CNTFRQ_EL0): QEMU virt's 62.5 MHz. */
#define ISA_CNTFRQ_HZ 62500000ull

/* ---- errors ------------------------------------------------------------------------ */

enum {
	ISA_OK = 0,
	ISA_E_NOMEM = -1,       /* host memory, or the address space for another engine */
	ISA_E_UNICORN = -2,     /* Unicorn refused a call (map, hook, model) */
	ISA_E_ELF = -3,         /* not an AArch64 ELF64 executable, or a segment outside RAM */
	ISA_E_GUEST_FAULT = -4, /* the guest touched unmapped memory or wrote its code */
	ISA_E_UNDEF = -5,       /* an instruction Unicorn or the GIC refuses (UNDEFINED) */
	ISA_E_UNEXPECTED = -6,  /* the guest took a vector it reports as unexpected */
	ISA_E_PANIC = -7,       /* a guest assertion failed (ISA_MC_PANIC) */
	ISA_E_MODEL_CALL = -8,  /* a model call the host does not know */
	ISA_E_STATE = -9,       /* a call that does not fit the engine's state */
	ISA_E_RANGE = -10,      /* an argument out of range */
	ISA_E_ILLEGAL_RETURN = -11, /* an ERET the architecture makes illegal (PSTATE.IL set) */
};
const char *isa_strerror(int err);

/* ---- timing ------------------------------------------------------------------------ */

/*
 * Instruction classes. The first ISA_C_STATIC are decoded from the code
 * (once per translation block); the others are charged as they happen:
 * an exception entry the host emulates, a device register access (on top
 * of its load or store), a GIC CPU interface access (on top of its MRS/MSR).
 */
enum isa_class {
	ISA_C_INT = 0,  /* data processing, hints, SIMD/FP */
	ISA_C_LOAD,     /* loads, load-exclusive, atomics, PRFM */
	ISA_C_STORE,
	ISA_C_BRANCH,   /* B, BL, B.cond, CB(N)Z, TB(N)Z, BR, BLR, RET */
	ISA_C_BARRIER,  /* DSB, DMB, ISB, SB */
	ISA_C_SYSREG,   /* MRS, MSR, SYS (DC/IC/TLBI/AT) */
	ISA_C_EXC,      /* SVC, HVC, SMC, BRK: the instruction (its entry is ISA_C_EXC_ENTRY) */
	ISA_C_ERET,
	ISA_C_STATIC,
	ISA_C_EXC_ENTRY = ISA_C_STATIC,
	ISA_C_MMIO,
	ISA_C_ICC,
	ISA_C_COUNT
};
const char *isa_class_name(enum isa_class c);

/*
 * A core's cost table. Each static class issues on one pipeline resource;
 * a translation block costs max(instructions / issue width, per resource:
 * its instructions / units) plus every instruction's serial penalty, in
 * sixteenths of a cycle (docs/calibration.md §5 gives the sources).
 * Dynamic classes cost their penalty alone.
 */
enum isa_resource { ISA_R_ALU = 0, ISA_R_LOAD, ISA_R_STORE, ISA_R_BRANCH, ISA_R_COUNT };
struct isa_timing {
	const char *name;                 /* "cortex-a53" */
	unsigned issue_width;
	unsigned units[ISA_R_COUNT];      /* pipelines of each resource */
	uint8_t resource[ISA_C_STATIC];   /* enum isa_resource of each static class */
	uint16_t penalty16[ISA_C_COUNT];  /* extra cycles * 16 per instruction or event */
};
const struct isa_timing *isa_timing_preset(enum sim_preset p);

/* ---- guest memory and images -------------------------------------------------------- */

/* One bank of guest RAM (the images' RAM: ISA_SRAM_*, ISA_NSRAM_* of isa_abi.h). */
struct isa_bank {
	uint64_t base, size;  /* 4 KiB aligned */
};

/* A loaded guest image. */
struct isa_image {
	char name[16];
	uint64_t entry;
	uint64_t hash;        /* XXH3-64 of the ELF file (for the trace header) */
	const uint8_t *elf;   /* the file (owned by whoever loaded it; must outlive the image) */
	size_t len;
};

struct isa_mem;

/*
 * isa_mem_new - guest RAM of @n banks, zeroed, committed lazily (anonymous
 * mappings). Returns 0 and *@out, or ISA_E_NOMEM / ISA_E_RANGE (a bank not
 * page aligned, empty, or overlapping another).
 */
int isa_mem_new(struct isa_mem **out, const struct isa_bank *banks, unsigned n);
void isa_mem_free(struct isa_mem *m);

/*
 * isa_mem_load - copy @elf's PT_LOAD segments into the RAM (the bss
 * zeroed) and describe it in @img. Executable segments become code: every
 * engine maps their pages read-only and executable, the rest read-write
 * and not executable. Load every image before the first engine is made.
 * Returns 0, ISA_E_ELF, or ISA_E_STATE (an engine exists already).
 */
int isa_mem_load(struct isa_mem *m, const char *name, const void *elf, size_t len, struct isa_image *img);

/* The host's view of guest RAM at @addr for @len bytes, or NULL when not all in one bank. */
void *isa_mem_ptr(struct isa_mem *m, uint64_t addr, size_t len);

/* The address of symbol @sym in @img's symbol table, or 0. */
uint64_t isa_image_symbol(const struct isa_image *img, const char *sym);

/* The images built into the library (models/cpu/isa_images.S). */
enum isa_builtin { ISA_IMG_MONITOR = 0, ISA_IMG_TEE, ISA_IMG_REE, ISA_IMG_COUNT };
void isa_builtin_image(enum isa_builtin which, const void **elf, size_t *len, const char **name);

/* ---- the engine ---------------------------------------------------------------------- */

struct isa_engine;

/* What a model call asks of the run. */
enum isa_action { ISA_CONTINUE = 0, ISA_STOP = 1 };

/* An exception the engine is about to take (host.exception). */
enum isa_exc_kind { ISA_EXC_SMC = 0, ISA_EXC_IRQ, ISA_EXC_FIQ };
struct isa_exc {
	enum isa_exc_kind kind;
	unsigned from_el, to_el;
	bool from_secure;
	uint64_t x[8];         /* SMC: x0..x7 of the call */
};

/*
 * The host's callbacks (any may be NULL).
 *  model_call: hvc #@imm from the guest (isa_abi.h), except the engine's
 *      own (RETURN, UNEXPECTED, PANIC). Reads its arguments with isa_get_reg(),
 *      writes results with isa_set_reg(). NULL, or an unknown call: the run
 *      stops with ISA_E_MODEL_CALL.
 *  exception: before the engine enters a vector for @x. Returning
 *      ISA_STOP claims it: the engine does not take it and the run ends
 *      (the host handles it, e.g. an abstract monitor); for an SMC the PC
 *      is then past the SMC, for an interrupt at the block it would have
 *      interrupted. ISA_CONTINUE: taken as usual.
 *  state: after the exception level or security state changed (an entry,
 *      an ERET), with the new state. The engine has already told the PE's
 *      ports (pe_ports.state).
 */
struct isa_host {
	void *ctx;
	enum isa_action (*model_call)(void *ctx, struct isa_engine *e, unsigned imm);
	enum isa_action (*exception)(void *ctx, struct isa_engine *e, const struct isa_exc *x);
	void (*state)(void *ctx, struct isa_engine *e, unsigned el, bool secure);
};

/* A window of device registers: every access goes to the ports' mmio_read/mmio_write. */
struct isa_window {
	uint64_t base, size;  /* 4 KiB aligned */
};
#define ISA_MAX_WINDOWS 16

struct isa_config {
	unsigned pe;                   /* the PE (ports' pe argument; MPIDR_EL1 = pe_mpidr(pe)) */
	enum sim_preset preset;        /* the core: Unicorn's CPU model and the cost table */
	struct sim_clock clock;        /* the PE's clock (cycles to time) */
	struct sim *sim;               /* deadline check after accesses; NULL: none */
	const struct pe_ports *ports;  /* GIC CPU interface and the bus (copied) */
	struct isa_host host;          /* copied */
	struct isa_window mmio[ISA_MAX_WINDOWS];
	unsigned n_mmio;
	/*
	 * No MRS hook: reads of ICC_*, MPIDR_EL1 and the counters are then
	 * Unicorn's (ICC_*: undefined, an error). Only for an engine whose code
	 * reads none of them (isa_rt's EL3 engine runs BL31's EL1 context save and
	 * restore alone): each hooked MRS is a host call, 24 per world switch.
	 */
	bool no_mrs_hook;
	/*
	 * The engine runs EL3 routines only, its lower ELs never (isa_rt's EL3
	 * engine: BL31's EL1 context save and restore for an abstract lower
	 * world). An MSR of an EL1 context register that writes the value it
	 * holds is then skipped, as for the TLB-flushing ones: no access check
	 * and no rebuild of Unicorn's translation flags, ~250 host instructions
	 * each. Elsewhere the register values change with every world switch,
	 * so the check would cost more than it saves.
	 */
	bool el3_resident;
	/*
	 * Every MSR ends a translation block, as in Unicorn itself (for tests):
	 * otherwise a write of an EL1 context register at EL3 does not
	 * (isa_engine.c, "blocks in parts"); the counts and stops are the same.
	 */
	bool tb_end_all;
};

/*
 * isa_engine_new - an engine for one PE on @m's RAM and images, in reset
 * (EL3, every exception masked). Creating one costs 1-2 ms and reserves
 * 1 GiB of address space for Unicorn's code buffer (committed as used);
 * the engine checks RLIMIT_AS and the kernel's overcommit policy first, as
 * libunicorn 2.0.1 exits the process when that reservation fails.
 * Returns 0, ISA_E_NOMEM (with the reason in @err), ISA_E_UNICORN or
 * ISA_E_RANGE (a window overlapping RAM or the host page).
 */
int isa_engine_new(struct isa_engine **out, struct isa_mem *m, const struct isa_config *c, char *err,
		   size_t errlen);
void isa_engine_free(struct isa_engine *e);

/* Registers. */
enum isa_reg {
	ISA_X0 = 0,          /* ISA_X0 + n: x0..x30 */
	ISA_SP = 31,         /* the current stack pointer */
	ISA_PC,
	ISA_PSTATE,          /* NZCV, DAIF, CurrentEL, SPSel */
	ISA_SP_EL0, ISA_SP_EL1, ISA_SP_EL3,
	ISA_ELR_EL1, ISA_ELR_EL3,
	ISA_SPSR_EL1, ISA_SPSR_EL3,
	ISA_ESR_EL1, ISA_ESR_EL3,
	ISA_VBAR_EL1, ISA_VBAR_EL3,
	ISA_SCR_EL3,
	ISA_SCTLR_EL1, ISA_TPIDR_EL1, ISA_TPIDR_EL0, ISA_CONTEXTIDR_EL1, ISA_TTBR0_EL1, ISA_MAIR_EL1,
	ISA_HCR_EL2,         /* RW (bit 31): a lower EL of the Non-secure state is AArch64 */
	ISA_REG_COUNT
};
uint64_t isa_get_reg(struct isa_engine *e, enum isa_reg r);
void isa_set_reg(struct isa_engine *e, enum isa_reg r, uint64_t v);
/* x0..x(@n-1) in one call each way (n <= 8): the host's hot paths (model calls, SMC returns) */
void isa_get_xregs(struct isa_engine *e, uint64_t *x, unsigned n);
void isa_set_xregs(struct isa_engine *e, const uint64_t *x, unsigned n);
/* ... only those of @x that differ from @old, what x0..x(@n-1) hold now (e.g. read by isa_get_xregs) */
void isa_update_xregs(struct isa_engine *e, const uint64_t *old, const uint64_t *x, unsigned n);

/* The current exception level and security state (EL3 counts as Secure). */
unsigned isa_el(const struct isa_engine *e);
bool isa_secure(const struct isa_engine *e);

/*
 * isa_reset - put the engine at @entry in EL3 (AArch64, every exception
 * masked), x0..x3 = @args (NULL: zero): a cold or warm boot. Runs nothing.
 */
void isa_reset(struct isa_engine *e, uint64_t entry, const uint64_t args[4]);

/*
 * isa_run - execute until a stop (see Time above), at most about
 * @budget_cycles (0: no budget). Fills @r. Returns 0, or a negative
 * ISA_E_* when the run ended in an error (r->why is ISA_STOP_ERROR).
 */
enum isa_stop {
	ISA_STOP_MODEL_CALL = 0, /* a model call returned ISA_STOP (r->imm) */
	ISA_STOP_RETURN,         /* ISA_MC_RETURN: the routine isa_call started returned */
	ISA_STOP_BUDGET,
	ISA_STOP_DEADLINE,       /* an access scheduled an earlier kernel event */
	ISA_STOP_REQUEST,        /* isa_request_stop(), or host.exception claimed an exception */
	ISA_STOP_ERROR,
};
struct isa_result {
	enum isa_stop why;
	unsigned imm;            /* ISA_STOP_MODEL_CALL: the call */
	uint64_t cycles;         /* executed, with exception entries and device accesses (whole cycles; the
				  * fraction is carried to the engine's next run) */
	uint64_t cycles16;       /* the same for this run alone, in sixteenths of a cycle, without the carry */
	uint64_t insns;
	int err;                 /* ISA_STOP_ERROR: the ISA_E_* */
	uint64_t err_pc;         /* ... and where */
};
int isa_run(struct isa_engine *e, uint64_t budget_cycles, struct isa_result *r);

/* End the current run at the next block boundary (from a callback); before a run: its first block. */
void isa_request_stop(struct isa_engine *e);

/* Cycles the current run has executed so far (its current block counted whole). */
uint64_t isa_run_cycles(const struct isa_engine *e);

/*
 * isa_call - run the routine at @fn with x0..x(@nargs - 1) = @args (the
 * other argument registers as they were: a routine reads only its
 * arguments), SP = @sp (0: the current SP) and LR = the host page's return stub, in the
 * current exception level, until it returns (ISA_MC_RETURN) or another stop;
 * @budget_cycles as isa_run's. x0..x3 of the return are in @res (NULL: not
 * wanted). When it returned, PC and x30 (and SP when @sp was given) are back
 * as they were: the PE resumes what it ran, with the other registers as a
 * procedure call leaves them (AAPCS64: x0..x18 clobbered, x19..x29 kept by
 * the routine). Returns isa_run's result;
 * a stop other than the return is reported in @r and leaves the call
 * pending: continue it with isa_run().
 */
int isa_call(struct isa_engine *e, uint64_t fn, const uint64_t *args, unsigned nargs, uint64_t sp,
	     uint64_t budget_cycles, uint64_t res[4], struct isa_result *r);

/*
 * isa_call_results - x0..x(@n - 1) (@n <= 4) of the last return of a routine
 * isa_call started (whichever run it returned in), reading no more
 * registers than asked for. False, and @res untouched, when no call has
 * returned since the last isa_call.
 */
bool isa_call_results(struct isa_engine *e, uint64_t *res, unsigned n);

/*
 * A lower world's CPU context, what TF-A's cpu_context keeps for it:
 * x0..x30, SP_EL0, SP_EL1, ELR_EL1, SPSR_EL1, the EL1 system registers of
 * el1_sysregs_context_save, plus where it runs (PC, PSTATE) and the
 * SCR_EL3 to run it with. For a monitor that stays abstract between two
 * worlds of guest code: the host saves the world that made an SMC (claimed
 * through host.exception) and restores the other.
 */
#define ISA_CTX_EL1 21
struct isa_context {
	uint64_t x[31];
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t el1[ISA_CTX_EL1]; /* SCTLR, TCR, CPACR, CSSELR, ESR, TTBR0/1, MAIR, AMAIR, ACTLR, TPIDR_EL1,
				    * TPIDR_EL0, TPIDRRO_EL0, PAR, FAR, AFSR0/1, CONTEXTIDR, VBAR, CNTKCTL,
				    * MDSCR */
	uint64_t pc, pstate, scr_el3;
};

/* Save the running lower world (EL0/EL1) into @c. */
void isa_context_save(struct isa_engine *e, struct isa_context *c);
/*
 * Restore @c and resume it at c->pc with c->pstate (an EL0/EL1 PSTATE),
 * SCR_EL3 = c->scr_el3: an ERET from EL3 as el3_exit makes it, emulated by
 * the host (the trampoline of exception entry). Returns 0, or ISA_E_RANGE
 * for a PSTATE that is not EL0/EL1 AArch64.
 */
int isa_context_restore(struct isa_engine *e, const struct isa_context *c);

/* The PE's IRQ and FIQ inputs (the GIC's wires): taken at the next block boundary when unmasked. */
void isa_set_irq(struct isa_engine *e, bool level);
void isa_set_fiq(struct isa_engine *e, bool level);

/* Statistics since the engine was made or last reset (current: callable from a callback mid-run). */
struct isa_stats {
	uint64_t insns;                /* executed instructions (each block counted when it starts) */
	uint64_t blocks;
	uint64_t cycles;               /* with the current run's so far */
	uint64_t insns_world[3];       /* by SIM_WORLD_NS, SIM_WORLD_S, SIM_WORLD_EL3 */
	uint64_t cycles_world[3];
	uint64_t cls[ISA_C_COUNT];     /* instructions (and events) by class */
	uint64_t smc, irq, fiq;        /* exceptions taken */
	uint64_t model_calls;
	uint64_t icc_accesses, mmio_accesses;
	uint64_t runs;
	uint64_t decoded_blocks;       /* distinct blocks decoded */
};
void isa_get_stats(struct isa_engine *e, struct isa_stats *s);
void isa_stats_reset(struct isa_engine *e);

/*
 * The store fast path (isa_ucfix.c): libunicorn 2.0.1 sends every guest
 * store through a slow path (~0.1-0.2 us each); tzsim interposes one
 * internal so that stores to data pages take QEMU's inline path. Active
 * only when the executable exports the interposer (the Makefile's
 * LDFLAGS) and the library is a 2.0/2.1 one. Each engine checks it when it
 * is made; false means correct but much slower runs.
 */
bool isa_storefix_active(const struct isa_engine *e);

#ifdef __cplusplus
}
#endif
#endif
