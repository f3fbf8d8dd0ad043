/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/pe.h: a processing element (an AArch64 core) running guest
 * software as preemptible timed work.
 *
 * State: exception level, security state ("world"), PSTATE.I and PSTATE.F,
 * power state, a clock domain and the activity it runs. Software is written
 * in continuation style: pe_exec() runs N picoseconds of work, then calls a
 * function; pe_smc() takes a synchronous exception to EL3 and, when the
 * monitor returns, calls the caller's continuation with x0..x7.
 *
 * Interrupts: the PE samples its IRQ and FIQ input wires. An interrupt that
 * is not masked for the target exception level preempts the current work at
 * once: the remaining time is kept in a frame on the PE's exception stack,
 * the exception entry cost is charged, and the vector registered for
 * (current state, IRQ/FIQ) runs. pe_eret() charges the return cost, pops the
 * frame and resumes the remaining work. A handler may instead detach the
 * frame (pe_take_frame) and resume it later (pe_resume_frame): OP-TEE saves a
 * thread on a foreign interrupt this way, and Linux's scheduler preempts a
 * task this way.
 *
 * Routing follows TF-A with the OP-TEE dispatcher (docs/protocol.md §5.2, §6.4):
 *   Non-secure EL0/1: IRQ -> NS EL1 (masked by I); FIQ -> EL3 (SCR_EL3.FIQ=1,
 *                     never masked by the lower EL's PSTATE.F).
 *   Secure EL0/1:     IRQ -> S-EL1 native (masked by I); FIQ -> S-EL1 foreign
 *                     (masked by F).
 *   EL3:              runs with interrupts masked; they wait for the ERET.
 * Exception entry sets PSTATE.I and PSTATE.F (AArch64 sets DAIF on entry).
 *
 * Secure EL2 (FEAT_SEL2, pe_set_sel2): an SPMC such as Hafnium runs at
 * (EL2, SIM_WORLD_S) with interrupts masked, and a partition at S-EL1 runs
 * under it: its SMCs trap to S-EL2 (HCR_EL2.TSC), as do its HVCs, and its
 * physical IRQs and FIQs are taken to S-EL2 (HCR_EL2.IMO/FMO), which
 * signals them back as virtual ones (pe_inject). Simplification: the PE
 * takes a physical interrupt from S-EL1 only when the partition's PSTATE
 * would let the virtual one in, so the SPMC's hop is charged when the
 * partition unmasks, not when the interrupt arrives.
 *
 * Ports: the PE publishes (EL, security state) to the GIC CPU interface
 * through its ports' state callback, and reaches ICC_* system registers and
 * MMIO (the platform's bus) through icc_read/icc_write/mmio_read/mmio_write;
 * every access carries the PE's current EL and security state. The PE never
 * includes another model's internals, and no other model sees its state
 * (struct pe is defined in pe_internal.h): they use the functions below.
 *
 * Tags: every trace record a PE emits carries the id of the notification
 * the running path serves (0: none; PE_NOTIF_ANY: a normal-world path that
 * serves notifications it cannot name). A tag is never ambient state that a
 * model writes and must remember to clear: it is given with the work that
 * starts a path (pe_exec_tag, pe_smc_tag), inherited by the continuations of
 * that path (pe_exec, pe_smc), carried into the callee of an SMC, saved and
 * restored with every exception frame, and reset to 0 when an interrupt is
 * taken, when the PE goes idle, and when its power changes. pe_serve() marks
 * the rest of the current exception handler as serving a notification (the
 * top half that sends it).
 */
#ifndef MODELS_CPU_PE_H
#define MODELS_CPU_PE_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/kernel/costs.h"
#include "sim/kernel/rng.h"
#include "sim/kernel/sim.h"
#include "sim/kernel/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pe;

/* MPIDR affinity of PE @id in tzsim's topology: clusters of 16 (Aff1 = id / 16, Aff0 = id % 16). */
static inline uint64_t pe_mpidr(unsigned id) { return ((uint64_t)(id / 16) << 8) | (id % 16); }

typedef void (*pe_fn)(void *ctx, struct pe *pe);

/* Tag for work on the notification path whose id the model cannot know (the NS side). */
#define PE_NOTIF_ANY 0xFFFFFFFFu

enum pe_power { PE_OFF = 0, PE_ON = 1, PE_SUSPENDED = 2 };
/* Exception types, as TR_EXC_ENTRY records them (a). */
enum pe_exc {
	PE_EXC_IRQ = 0,
	PE_EXC_FIQ = 1,
	PE_EXC_SMC = 2,
	PE_EXC_HVC = 3,  /* from S-EL1 to S-EL2 */
	PE_EXC_VIRQ = 4, /* a virtual IRQ the SPMC signals at S-EL1 */
	PE_EXC_VFIQ = 5, /* a virtual FIQ the SPMC signals at S-EL1 */
};

/* Exception vectors a PE can take, by target. */
enum pe_vector {
	PE_VEC_NS_IRQ = 0, /* Non-secure IRQ taken to NS EL1 (Linux) */
	PE_VEC_EL3_FIQ,    /* FIQ from Non-secure state taken to EL3 (monitor) */
	PE_VEC_S_IRQ,      /* IRQ at S-EL1: a native (secure) interrupt (OP-TEE) */
	PE_VEC_S_FIQ,      /* FIQ at S-EL1: a foreign (NS) interrupt (OP-TEE) */
	PE_VEC_SEL2_IRQ,   /* with S-EL2: an IRQ from S-EL1 taken to S-EL2 (the SPMC) */
	PE_VEC_SEL2_FIQ,   /* with S-EL2: a FIQ from S-EL1 taken to S-EL2 (the SPMC) */
	PE_VEC_COUNT
};

typedef void (*pe_vector_fn)(void *ctx, struct pe *pe, enum pe_exc exc);

/* A saved execution context: what ran, where, and what was left of it. */
struct pe_frame {
	uint8_t el;
	uint8_t world;     /* SIM_WORLD_NS / SIM_WORLD_S / SIM_WORLD_EL3 */
	uint8_t mask_i, mask_f;
	uint8_t kind;      /* PE_FRAME_* */
	const char *label; /* activity */
	sim_time remaining;
	pe_fn fn;          /* continuation after the work (or the SMC's) */
	void *ctx;
	uint32_t notif;    /* the tag of the path it runs (see Tags) */
	uint64_t smc_fid;  /* PE_FRAME_SMC_CALLER: the function ID called */
	uint64_t x[8];     /* PE_FRAME_WORK, _IDLE: x0..x7 of the preempted context, restored on its resume */
};

enum { PE_FRAME_IDLE = 0, PE_FRAME_WORK = 1, PE_FRAME_SMC_CALLER = 2, PE_FRAME_HVC_CALLER = 3 };

struct pe_ports {
	void *ctx;
	void (*state)(void *ctx, unsigned pe, unsigned el, bool secure);
	int (*icc_read)(void *ctx, unsigned pe, unsigned el, bool secure, int reg, uint64_t *val);
	int (*icc_write)(void *ctx, unsigned pe, unsigned el, bool secure, int reg, uint64_t val);
	/* loads and stores on the platform's bus (sim/bus.h), at a physical address */
	int (*mmio_read)(void *ctx, unsigned pe, unsigned el, bool secure, uint64_t addr, unsigned size,
			 uint64_t *val);
	int (*mmio_write)(void *ctx, unsigned pe, unsigned el, bool secure, uint64_t addr, unsigned size,
			  uint64_t val);
};

/*
 * pe_new - PE @id, powered off, at EL3 Secure with interrupts masked.
 * Returns NULL when out of memory. pe_free cancels the PE's own events.
 */
struct pe *pe_new(struct sim *s, unsigned id, const struct sim_costs *costs);
void pe_free(struct pe *pe);

/* Connect the PE to the GIC CPU interface and the bus (copied). */
void pe_set_ports(struct pe *pe, const struct pe_ports *ports);
const struct pe_ports *pe_get_ports(const struct pe *pe);

/* ---- what other models may ask ------------------------------------------------ */

/*
 * pe_clock is a const function (GCC's attribute): it returns an address
 * inside the PE, so a caller may reuse one call's answer.
 */
#define PE_CONST_FN __attribute__((const))
/* The state getters below are pure (GCC's attribute): they read the PE and change nothing. */
#define PE_PURE_FN __attribute__((pure))

/*
 * The head of struct pe (pe_internal.h): what other models read inline,
 * through pe_id() and pe_regs() only. Nearly every record a model emits
 * names its CPU, and every SMC handler reads its arguments: a load each,
 * not a call. struct pe begins with it, and a pointer to a struct,
 * converted, points to its first member (C11 6.7.2.1); the casts are
 * valid C++ too (tests include this).
 */
struct pe_head {
	unsigned id;   /* fixed at pe_new */
	uint64_t x[8]; /* x0..x7: SMC arguments on pe_smc, results on the continuation */
};

static inline const struct pe_head *pe_head(const struct pe *pe)
{
	return (const struct pe_head *)(const void *)pe;
}

/* The PE's id, fixed at pe_new. */
static inline unsigned pe_id(const struct pe *pe) { return pe_head(pe)->id; }
enum pe_power pe_power(const struct pe *pe) PE_PURE_FN;
/* The security state of the current context: SIM_WORLD_NS, SIM_WORLD_S or SIM_WORLD_EL3. */
unsigned pe_world(const struct pe *pe) PE_PURE_FN;
/* x0..x7: the arguments an SMC handler sees, or the results its caller's continuation sees. */
static inline const uint64_t *pe_regs(const struct pe *pe) { return pe_head(pe)->x; }
/* Set x@n (0..7) before an entry that passes arguments in registers (e.g. opteed's PM hooks). */
void pe_set_reg(struct pe *pe, unsigned n, uint64_t v);
/* The PE's clock domain, and a draw of @c with the PE's own random stream. */
const struct sim_clock *pe_clock(const struct pe *pe) PE_CONST_FN;
sim_time pe_sample(struct pe *pe, const struct sim_cost *c);
/* The tag of the running path (see Tags above). */
uint32_t pe_tag(const struct pe *pe) PE_PURE_FN;
/* Is an IRQ or FIQ line asserted at the PE (whatever the masks)? */
bool pe_interrupt_pending(const struct pe *pe) PE_PURE_FN;
/* Is the PE on, idle (no work running) and with nothing on its exception stack? */
bool pe_quiescent(const struct pe *pe) PE_PURE_FN;
/*
 * pe_preemptible - could a scheduler tick switch what the normal world runs
 * here, right now? True when the PE is on, nothing is interrupted (its
 * exception stack is empty), it runs in the Non-secure state, and it is
 * either idle or running work with IRQs unmasked.
 */
bool pe_preemptible(const struct pe *pe) PE_PURE_FN;

/* ---- what the monitor does to a PE ------------------------------------------- */

/*
 * pe_drop_stack - forget every saved context: CPU_OFF never returns, so the
 * frames of the interrupted and calling code are gone with the power.
 */
void pe_drop_stack(struct pe *pe);
/* Called when an IRQ/FIQ line rises while the PE is suspended (a WFI-style wake); NULL: none. */
void pe_set_wake_hook(struct pe *pe, pe_fn fn, void *ctx);
/*
 * Called after each return from EL3 into a Non-secure context that the
 * normal world's OS did not see leave (an exception return to an
 * interrupted frame, an SMC's return to its caller, pe_enter at a new
 * entry point such as a warm boot), once that context runs again: where an
 * interrupt that became pending for the normal world meanwhile is taken.
 * NULL: none.
 */
void pe_set_ns_return_hook(struct pe *pe, pe_fn fn, void *ctx);

/* Wire sinks for the GIC's IRQ and FIQ outputs (ctx = struct pe *). */
void pe_irq_input(void *ctx, unsigned idx, int level);
void pe_fiq_input(void *ctx, unsigned idx, int level);

void pe_set_vector(struct pe *pe, enum pe_vector v, pe_vector_fn fn, void *ctx);
void pe_set_smc_handler(struct pe *pe, pe_fn fn, void *ctx);

/*
 * A pass through EL3 as one step. EL3 runs with IRQ and FIQ masked (above;
 * docs/protocol.md §5.2: BL31's vectors for an interrupt taken at EL3 report it unhandled),
 * so from the moment an SMC or a FIQ is taken to EL3 until the monitor's
 * ERET nothing can take the PE: its legs (the exception entry, the
 * monitor's dispatch, its world switch, the ERET) follow each other with
 * no possible interruption. When the monitor can tell, at the entry, which
 * legs the pass will run and what the ERET leads to, it says so and the PE
 * charges them as one event instead of four:
 *  - the four costs are drawn at the entry, in the legs' order, from the
 *    PE's own random stream (as the four steps would draw them), and the
 *    pass ends when the last step would have ended;
 *  - nothing another model can see changes inside a pass: the state the GIC
 *    sees changes at the entry and at the ERET's end, as with four steps;
 *  - the trace has one TR_ACTIVITY for the pass (code SIM_EV_EL3_PASS,
 *    label the entry's, b/c/d the ends of the entry, dispatch and world
 *    switch legs, in ps after its time) instead of one per leg, and the
 *    TR_WORLD_SWITCH comes at the pass's end, with the ERET's records.
 * @done runs at the ERET's end (the ERET's own continuation: pe_enter at a
 * new entry point, pe_smc_return8_now or pe_eret_now).
 */
struct pe_el3_pass {
	enum sim_cost_id dispatch; /* the monitor's dispatch leg */
	enum sim_cost_id sw;       /* its world switch (or restore) leg */
	pe_fn done;
	void *ctx;
};
/*
 * The monitor's plan, asked at the entry of every SMC and FIQ taken to EL3
 * (after the entry's TR_EXC_ENTRY, before its cost): true with @out filled
 * in for a pass, false for the legs as separate steps (the SMC handler or
 * the EL3 FIQ vector then runs after the entry, as always). It may change
 * only what is the PE's own and what nothing reads before the pass ends.
 */
typedef bool (*pe_el3_plan_fn)(void *ctx, struct pe *pe, enum pe_exc exc, struct pe_el3_pass *out);
void pe_set_el3_plan(struct pe *pe, pe_el3_plan_fn fn, void *ctx);
/*
 * pe_set_sel2 - give the PE a Secure EL2 whose SPMC handles what S-EL1
 * traps to it: SMCs (HCR_EL2.TSC) and HVCs go to @trap at S-EL2 (the
 * caller's frame on top: PE_FRAME_SMC_CALLER or PE_FRAME_HVC_CALLER), and
 * IRQs/FIQs to the PE_VEC_SEL2_* vectors. @trap NULL: no Secure EL2.
 */
void pe_set_sel2(struct pe *pe, pe_fn trap, void *ctx);

/*
 * pe_charge - the code running now made an access that costs @id (a GIC
 * register write, an ICC_* system register write) between two steps: the
 * next pe_exec on this PE is longer by that much. An access right before
 * the PE goes idle (pe_idle) is not charged.
 */
void pe_charge(struct pe *pe, enum sim_cost_id id);

/* Draw cost @id for this PE, in ps. */
sim_time pe_cost(struct pe *pe, enum sim_cost_id id);

/*
 * pe_exec - run @dur ps of work labelled @label in the current context, then
 * call @fn. The PE must not already be working. Interrupts unmasked for the
 * current context preempt the work.
 */
void pe_exec(struct pe *pe, sim_time dur, const char *label, pe_fn fn, void *ctx);
/* pe_exec(pe, pe_cost(pe, @id), ...), in one call. */
void pe_exec_cost(struct pe *pe, enum sim_cost_id id, const char *label, pe_fn fn, void *ctx);
/* As pe_exec, starting a path that serves notification @tag (see Tags). */
void pe_exec_tag(struct pe *pe, uint32_t tag, sim_time dur, const char *label, pe_fn fn, void *ctx);
/* pe_exec_tag(pe, @tag, pe_cost(pe, @id), ...), in one call. */
void pe_exec_cost_tag(struct pe *pe, uint32_t tag, enum sim_cost_id id, const char *label, pe_fn fn,
		      void *ctx);
/* The rest of the current exception handler serves notification @tag (see Tags). */
void pe_serve(struct pe *pe, uint32_t tag);
/* Nothing to run: wait for an interrupt (WFI). */
void pe_idle(struct pe *pe);

/* Set PSTATE.I/PSTATE.F of the current context. */
void pe_set_masks(struct pe *pe, bool mask_i, bool mask_f);

/*
 * Move the current context to (@el, @world) without taking an exception:
 * the monitor uses it for ERET into a lower EL at a new entry point (a
 * TR_EXC_RETURN record when the EL drops; the cost belongs to the caller's
 * world switch). Publishes the state to the GIC.
 */
void pe_enter(struct pe *pe, unsigned el, unsigned world, bool mask_i, bool mask_f);

/*
 * pe_smc - SMC #0 with x0..x7 = @args (NULL: the registers as they are).
 * Records TR_SMC, pushes the caller's context, enters EL3, charges the
 * exception entry and calls the monitor. When the monitor calls
 * pe_smc_return(), @cont runs in the caller's context with the results in
 * pe_regs(). If an interrupt the caller's context takes is pending at that
 * return, it is taken first (before the caller's next instruction,
 * docs/protocol.md §5.2): @cont then runs when the interrupt's handler
 * returns, still with the SMC's results in pe_regs() (a preempted work
 * frame keeps x0..x7). The call and the callee's work carry the running
 * path's tag; pe_smc_tag makes the call start a path that serves @tag.
 */
void pe_smc(struct pe *pe, const uint64_t *args, pe_fn cont, void *ctx);
void pe_smc_tag(struct pe *pe, uint32_t tag, const uint64_t *args, pe_fn cont, void *ctx);
/* The same with event code @code (enum sim_ev) on the TR_SMC record (what the call means to the statistics). */
void pe_smc_ev(struct pe *pe, const uint64_t *args, unsigned code, pe_fn cont, void *ctx);

/*
 * pe_hvc - HVC #0 from S-EL1 with x0..x7 = @args: a synchronous exception
 * to S-EL2 (TR_EXC_ENTRY PE_EXC_HVC; no TR_SMC), the caller's context
 * pushed as PE_FRAME_HVC_CALLER; the SPMC returns with pe_smc_return8 and
 * @cont runs in the caller's context with the results in pe_regs(). Only on
 * a PE with a Secure EL2, from S-EL1.
 */
void pe_hvc(struct pe *pe, const uint64_t *args, pe_fn cont, void *ctx);

/*
 * Monitor or SPMC side: return from the SMC (or HVC) on top of the stack
 * with x0..x3 = @res (x4..x7 = 0): charge exc_return, restore the caller.
 */
void pe_smc_return(struct pe *pe, const uint64_t res[4]);
/* The same with x0..x7 = @res (FF-A passes w0..w7). */
void pe_smc_return8(struct pe *pe, const uint64_t res[8]);
/* pe_smc_return8 whose exc_return was charged already (a pass's end, struct pe_el3_pass). */
void pe_smc_return8_now(struct pe *pe, const uint64_t res[8]);
/* Monitor or SPMC side: drop the caller frame on top of the stack (an SMC that never returns, e.g. OP-TEE's *_DONE calls or CPU_OFF). */
void pe_smc_discard(struct pe *pe);

/*
 * pe_inject - at Secure EL2: ERET into S-EL1 and take the virtual
 * interrupt @exc (PE_EXC_VIRQ or PE_EXC_VFIQ) there at once, as an SPMC
 * signals an interrupt to a partition (HCR_EL2.VI/VF). Charges exc_return
 * and exc_entry, records TR_EXC_RETURN (EL1) and TR_EXC_ENTRY (@exc,
 * EL1 -> EL1), then calls @fn, or, with @fn NULL, the S-EL1 vector for IRQ
 * (virq) or FIQ (vfiq). A context the physical interrupt interrupted stays
 * on top of the stack, for the vector to resume (pe_eret) or detach.
 */
void pe_inject(struct pe *pe, enum pe_exc exc, pe_fn fn, void *ctx);
/* The frame on top of the exception stack, or NULL. */
const struct pe_frame *pe_top_frame(const struct pe *pe) PE_PURE_FN;

/* Return from the exception on top of the stack: charge the cost, resume the frame. */
void pe_eret(struct pe *pe);
/* pe_eret whose cost was charged already (a pass's end, struct pe_el3_pass): resume the frame now. */
void pe_eret_now(struct pe *pe);
/* Detach the top frame without resuming it (returns false if the stack is empty). */
bool pe_take_frame(struct pe *pe, struct pe_frame *out);
/* Detach the current context (its work and state) as a frame, without an exception: a scheduler tick. */
void pe_preempt(struct pe *pe, struct pe_frame *out);
/*
 * pe_end_work - the step that was to call @fn(@ctx) when done ends now: at
 * once if it runs, else (an exception interrupted it: its frame is on the
 * stack) as soon as its frame resumes, which then calls @fn at once. A
 * spin-wait loop seeing its flag change, at the loop's next pass. Returns
 * false, changing nothing, when no such step runs or waits on the stack.
 */
bool pe_end_work(struct pe *pe, pe_fn fn, const void *ctx);
/* Continue a detached frame's work (or call its continuation) in the current context. */
void pe_resume_frame(struct pe *pe, const struct pe_frame *f);

/* World switch accounting (the monitor calls it; the cost is charged by the caller). */
void pe_trace_world_switch(struct pe *pe, unsigned from, unsigned to);

/* System register and MMIO access through the ports, with the PE's state. */
int pe_icc_read(struct pe *pe, int reg, uint64_t *val);
int pe_icc_write(struct pe *pe, int reg, uint64_t val);
int pe_mmio_read(struct pe *pe, uint64_t addr, unsigned size, uint64_t *val);
int pe_mmio_write(struct pe *pe, uint64_t addr, unsigned size, uint64_t val);

/* Power: off and suspended PEs run nothing. */
void pe_power_off(struct pe *pe, enum pe_power state);
/* Power up at EL3 Secure (masked) and call @entry (the warm-boot path). */
void pe_power_on(struct pe *pe, pe_fn entry, void *ctx);

/* Emit an instant TR_EVENT from this PE. */
void pe_event(struct pe *pe, const char *label, uint64_t a, uint64_t b);
/* End of run: emit a final idle TR_ACTIVITY so the last span closes in the trace. */
void pe_finish(struct pe *pe);

#ifdef __cplusplus
}
#endif
#endif
