/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/isa_rt.h: guest routines as steps of the abstract models
 * (the scenario's `fidelity: {tee: isa, ree: isa}`).
 *
 * With ISA fidelity for a world, the model of that world keeps its
 * protocol logic, but a step that guest code covers (models/{tee,ree}/
 * guest/) is no longer a cost drawn from the cost table: the PE runs the
 * guest routine on a Unicorn engine (isa.h) and the step lasts the cycles
 * the routine executed. The routine's effects are real: its device and GIC
 * register accesses go to the bus and the GIC CPU interface through the
 * PE's ports, its SMCs are made by the PE (pe_smc: the monitor and the
 * other world run as configured), and what stays abstract is reached by
 * its model calls (hvc #imm, isa_abi.h), handed to the caller.
 *
 * Engines: one per (PE, world), made on first use, each parked at EL1 of
 * its world (S-EL1 for OP-TEE's routines, NS-EL1 for Linux's; BL31's at
 * EL3, where its routines save and restore EL1 contexts) with the
 * interrupt inputs never raised: the abstract PE owns exceptions and
 * masks (the routines covered run with interrupts masked). Guest RAM and
 * the three images (isa_builtin_image) are shared by every engine.
 *
 * Time: a routine runs up to the next pending kernel event (the budget),
 * then the PE works for the cycles executed (pe_exec, preemptible as any
 * step), and the routine goes on; an SMC it makes ends the run there, the
 * PE waits the cycles so far, makes the SMC, and the routine resumes with
 * the results in x0..x3.
 *
 * Errors (a guest fault, an assertion, a model call the caller refuses)
 * end the simulation (sim_stop) and are kept for the run's result
 * (isa_rt_error).
 */
#ifndef MODELS_CPU_ISA_RT_H
#define MODELS_CPU_ISA_RT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "models/cpu/isa.h"
#include "models/cpu/pe.h"

#ifdef __cplusplus
extern "C" {
#endif

enum isa_rt_world { ISA_RT_TEE = 0, ISA_RT_REE = 1, ISA_RT_MON = 2, ISA_RT_WORLDS };

/* The routines the models run as guest code (the per-handler statistics). */
enum isa_rt_handler {
	ISA_H_TEE_FAST = 0,     /* tee_entry_fast (OP-TEE entry_fast.c): a fast call */
	ISA_H_TEE_NOTIF_SEND,   /* notif_send_async (notif_default.c) with the transport's raise */
	ISA_H_REE_NOTIF_IRQ,    /* irq_handler's drain loop (Linux smc_abi.c) */
	ISA_H_MON_WORLD_SWITCH, /* cm_el1_sysregs_context_save + _restore (TF-A context_mgmt.c) */
	ISA_H_REE_GIC_ACK,      /* gic_handle_irq's acknowledge: ICC_IAR1_EL1 (+ EOIR1 with EOImode 1) (irq-gic-v3.c) */
	ISA_H_REE_GIC_EOI,      /* the irq_chip's irq_eoi: ICC_EOIR1_EL1, or ICC_DIR_EL1 with EOImode 1 (irq-gic-v3.c) */
	ISA_H_TEE_ITR_ACK,      /* OP-TEE's gic_native_itr_handler acknowledge: ICC_IAR1_EL1 (IAR0 for Group 0) */
	ISA_H_TEE_ITR_EOI,      /* ... and its end of interrupt: ICC_EOIR1_EL1 (EOIR0) */
	ISA_H_MON_WORLD_RESTORE, /* cm_el1_sysregs_context_restore alone (opteed's FIQ_DONE) */
	ISA_H_COUNT
};
const char *isa_rt_handler_name(enum isa_rt_handler h);

struct isa_rt_config {
	unsigned npes;
	enum sim_preset preset;
	struct sim_clock clock;
	struct sim *sim;
	struct pe **pes;                 /* the PEs (their ports reach the GIC and the bus) */
	struct isa_window mmio[ISA_MAX_WINDOWS];
	unsigned n_mmio;
};

struct isa_rt;
int isa_rt_new(struct isa_rt **out, const struct isa_rt_config *c, char *err, size_t errlen);
void isa_rt_free(struct isa_rt *rt);

/* A symbol of a built-in image (@sym: a string that outlives @rt, e.g. a literal; answers are cached), and the
 * host's view of guest memory there (NULL: absent). */
uint64_t isa_rt_sym(const struct isa_rt *rt, enum isa_builtin img, const char *sym);
void *isa_rt_ptr(struct isa_rt *rt, uint64_t addr, size_t len);
const struct isa_image *isa_rt_image(const struct isa_rt *rt, enum isa_builtin img);

/* A per-PE scratch area of @world's RAM (256 bytes, under the routine's stack): arguments by reference. */
uint64_t isa_rt_scratch(const struct isa_rt *rt, unsigned pe, enum isa_rt_world w);

/*
 * A model call of a routine: @x holds x0..x3 of the call, and the results
 * to write back (x0..x3). Return ISA_CONTINUE, or ISA_STOP to refuse it
 * (an error that ends the simulation).
 */
typedef enum isa_action (*isa_rt_mc_fn)(void *ctx, struct pe *pe, unsigned imm, uint64_t x[4]);
/*
 * The routine returned (after its cycles passed on the PE): x0..x(nres - 1)
 * of its return in @res (isa_rt_req.nres), the rest 0. (Each result
 * register is one more read of Unicorn's register API, so a request asks
 * only for those its done callback reads.)
 */
typedef void (*isa_rt_done_fn)(void *ctx, struct pe *pe, const uint64_t res[4]);

struct isa_rt_req {
	enum isa_rt_handler h;
	enum isa_rt_world world;
	uint64_t fn;                  /* the routine's address (isa_rt_sym) */
	uint64_t args[8];
	unsigned nargs;
	uint32_t smc_tag;             /* the tag of the SMCs it makes (pe_smc_tag) */
	/* then, when it returned: this routine too, as part of the same step (0: none) */
	uint64_t then_fn;
	uint64_t then_args[4];
	unsigned then_nargs;
	isa_rt_mc_fn mc;              /* NULL: every model call but ISA_MC_TRACE is refused */
	unsigned nres;                /* the result registers done reads (0..4): x0..x(nres - 1) */
	isa_rt_done_fn done;
	void *ctx;
};

/*
 * isa_rt_call - run @rq's routine on @pe as the PE's next step (the PE must
 * not be working). At most one routine per (PE, world) at a time.
 */
void isa_rt_call(struct isa_rt *rt, struct pe *pe, const struct isa_rt_req *rq);

/* End the simulation with an error (the first one is kept): a model that finds the guest disagreeing. */
void isa_rt_fail(struct isa_rt *rt, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The first error, or NULL. */
const char *isa_rt_error(const struct isa_rt *rt);

#define ISA_RT_SMC_BUCKETS 4
struct isa_rt_hstats {
	uint64_t calls, insns, cycles, smcs;
	uint64_t min_insns, max_insns;
	/* by the SMCs a call made (the last bucket: that many or more): calls and their cycles */
	uint64_t calls_by_smcs[ISA_RT_SMC_BUCKETS], cycles_by_smcs[ISA_RT_SMC_BUCKETS];
};
void isa_rt_handler_stats(const struct isa_rt *rt, enum isa_rt_handler h, struct isa_rt_hstats *out);
/* The engines' totals. */
void isa_rt_stats(struct isa_rt *rt, struct isa_stats *out);

/* The summary's section: per handler calls, instructions and cycles per call. */
void isa_rt_print(struct isa_rt *rt, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
