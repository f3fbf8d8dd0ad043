/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/pe_internal.h: the PE's state. Only models/cpu/ (and unit
 * tests that inspect a PE) include this; every other model sees struct pe
 * as an incomplete type and goes through pe.h.
 */
#ifndef MODELS_CPU_PE_INTERNAL_H
#define MODELS_CPU_PE_INTERNAL_H

#include "models/cpu/pe.h"

#define PE_COST_DRAWN SIM_TIME_MAX /* pe->cost_ps: not a constant */

#define PE_MAX_DEPTH 16

struct pe {
	struct pe_head head; /* first: pe_id() and pe_regs() (pe.h) read it inline */

	struct sim *sim;
	/* sim->k and sim->tr, fixed for the simulation's life: one load less in every step and record */
	struct sim_kernel *k;
	struct sim_trace *tr;
	struct sim_clock clock;
	const struct sim_costs *costs;
	sim_time cost_ps[SIM_COST_COUNT]; /* constant costs in ps, once; PE_COST_DRAWN: drawn each time */
	struct sim_rng rng;

	/* current context */
	uint8_t el, world, mask_i, mask_f;
	enum pe_power power;
	const char *label;
	uint32_t tag;             /* the notification the running path serves (pe.h: tags) */
	sim_time debt;            /* pe_charge()d time the next step adds */
	bool working;
	pe_fn work_fn;
	void *work_ctx;
	struct sim_event work_ev; /* while working: queued for the step's end (.when) */
	struct sim_event check_ev;

	/* exception stack */
	struct pe_frame stack[PE_MAX_DEPTH];
	int depth;

	/* inputs */
	int irq_line, fiq_line;

	uint64_t ret[8];          /* results held while the return cost is charged */
	uint64_t ret_fid;

	struct {
		pe_vector_fn fn;
		void *ctx;
	} vec[PE_VEC_COUNT];
	pe_fn smc_handler;
	pe_el3_plan_fn el3_plan;  /* pe_set_el3_plan: NULL, every EL3 leg a step of its own */
	void *el3_ctx;
	/* Secure EL2 (pe_set_sel2): the SPMC's handler of SMCs and HVCs trapped from S-EL1 */
	pe_fn sel2_trap;
	void *sel2_ctx;
	pe_fn inject_fn;          /* pe_inject: what the virtual exception runs (NULL: the S-EL1 vector) */
	void *inject_ctx;
	/* called when an IRQ/FIQ wire rises while the PE is suspended (WFI-style wake) */
	pe_fn wake_hook;
	void *wake_ctx;
	/* called after each return from EL3 into a Non-secure context (pe_set_ns_return_hook) */
	pe_fn ns_return_hook;
	void *ns_return_ctx;
	void *smc_ctx;
	struct pe_ports ports;

	int power_sig;            /* VCD: cpuN.power (0 off, 1 on, 2 suspended) */
	/*
	 * TR_ACTIVITY's record: the fields that never change set once (pe_init),
	 * the rest per record. It is also the last one emitted (records only
	 * change: update_activity compares its label and world); its label is
	 * pe_act_none before the first.
	 */
	struct sim_rec act_rec;
	/* TR_WORLD_SWITCH's record (pe_trace_world_switch), kept as act_rec is */
	struct sim_rec ws_rec;
};

#endif
