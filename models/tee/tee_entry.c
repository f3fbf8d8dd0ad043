// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/tee_entry.c: OP-TEE's entries from the monitor (vector table),
 * the thread pool and RPC exits, and the native interrupt handler.
 * docs/protocol.md §1.9 (thread_optee_smc.c), §5.2 (native vs foreign), §6.4.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tee_internal.h"
#include "models/cpu/isa_rt.h"
#include "models/gic/gic.h"

void tee_event(struct tee *t, struct pe *pe, unsigned code, uint64_t a)
{
	sim_trace_emit(t->sim->tr, &(struct sim_rec){ .t = sim_now(t->sim->k), .kind = TR_EVENT,
						     .code = (uint16_t)code, .cpu = pe ? (int32_t)pe_id(pe) : -1,
						     .world = SIM_WORLD_S, .a = a, .label = sim_ev_label(code) });
}

int id_list_push(struct id_list *l, uint32_t v)
{
	if (l->n == l->cap) {
		unsigned cap = l->cap ? l->cap * 2 : 8;
		uint32_t *p = realloc(l->v, cap * sizeof(*p));
		if (!p)
			return -1;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = v;
	return 0;
}

static void never_returns(void *ctx, struct pe *pe)
{
	(void)ctx;
	(void)pe;
	assert(!"an OP-TEE return SMC came back");
}

/*
 * smc TEESMC_OPTEED_RETURN_*: OP-TEE leaves S-EL1; the monitor takes it from here.
 * CALL_DONE with an RPC code in a0 (thread_rpc) hands the normal world a
 * request and the yielding call goes on: the record says so (SIM_EV_SMC_RPC_RETURN).
 */
void tee_return8(struct pe *pe, const uint64_t x[8])
{
	bool rpc = x[0] == TEESMC_OPTEED_RETURN_CALL_DONE && OPTEE_SMC_RETURN_IS_RPC(x[1]);
	pe_smc_ev(pe, x, rpc ? SIM_EV_SMC_RPC_RETURN : SIM_EV_NONE, never_returns, NULL);
}

void tee_return(struct pe *pe, uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4)
{
	uint64_t x[8] = { fid, x1, x2, x3, x4, 0, 0, 0 };
	tee_return8(pe, x);
}

static void busy_counter(struct tee *t)
{
	tee_trace(t, NULL, TR_COUNTER, 0, t->busy, 0, 0, 0, "tee.threads_busy");
}

/* ---- fast calls (tee_entry_fast.c) -------------------------------------- */

/* tee_entry_fast: the results of the fast call in pe_regs() (and its effects on this model). */
static void fast_result(struct tee *t, struct pe *pe, uint64_t r[4])
{
	uint32_t fid = (uint32_t)pe_regs(pe)[0];
	r[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION, r[1] = r[2] = r[3] = 0;

	switch (fid) {
	case OPTEE_SMC_CALLS_UID:
		r[0] = OPTEE_MSG_UID_0, r[1] = OPTEE_MSG_UID_1, r[2] = OPTEE_MSG_UID_2, r[3] = OPTEE_MSG_UID_3;
		break;
	case OPTEE_SMC_CALLS_REVISION:
		r[0] = OPTEE_MSG_REVISION_MAJOR, r[1] = OPTEE_MSG_REVISION_MINOR;
		break;
	case OPTEE_SMC_CALL_GET_OS_REVISION:
		r[0] = 4, r[1] = 10, r[2] = 0; /* "optee: revision 4.10" (docs/protocol.md §7) */
		break;
	case OPTEE_SMC_GET_THREAD_COUNT:
		r[0] = OPTEE_SMC_RETURN_OK, r[1] = t->cfg.threads;
		break;
	case OPTEE_SMC_EXCHANGE_CAPABILITIES:
		/* Any NSEC cap but UNIPROCESSOR: ENOTAVAIL (entry_fast.c). */
		if (pe_regs(pe)[1] & ~(uint64_t)OPTEE_SMC_NSEC_CAP_UNIPROCESSOR) {
			r[0] = OPTEE_SMC_RETURN_ENOTAVAIL;
			break;
		}
		r[0] = OPTEE_SMC_RETURN_OK;
		r[1] = OPTEE_SMC_SEC_CAP_DYNAMIC_SHM | OPTEE_SMC_SEC_CAP_MEMREF_NULL | OPTEE_SMC_SEC_CAP_RPC_ARG;
		if (t->cfg.async_notif && t->cfg.transport != TEE_TRANSPORT_FFA) {
			r[1] |= OPTEE_SMC_SEC_CAP_ASYNC_NOTIF;
			r[2] = NOTIF_SYNC_VALUE_BASE + t->cfg.threads; /* NOTIF_VALUE_MAX */
		}
		r[3] = 6; /* RPC parameter count */
		break;
	case OPTEE_SMC_ENABLE_ASYNC_NOTIF:
		if (!t->cfg.async_notif || t->cfg.transport == TEE_TRANSPORT_FFA)
			break;
		/* notif_deliver_atomic_event(STARTED): only the first time. */
		if (!t->started) {
			t->started = true;
			tee_trace(t, pe, TR_EVENT, 0, 0, 0, 0, 0, "notif STARTED");
		}
		r[0] = OPTEE_SMC_RETURN_OK;
		break;
	case OPTEE_SMC_GET_ASYNC_NOTIF_VALUE: {
		unsigned v;
		bool more;
		if (!t->cfg.async_notif || t->cfg.transport == TEE_TRANSPORT_FFA)
			break;
		r[0] = OPTEE_SMC_RETURN_OK;
		if (t->cfg.isa) {
			/* the guest's notif_get_value took it from this bitmap when it ran (fast_isa_mc) */
			struct tee_isa_send *s = &t->isa_send[pe_id(pe)];
			if (s->got) {
				r[1] = s->got_value;
				r[2] = OPTEE_SMC_ASYNC_NOTIF_VALID | (s->got_more ? OPTEE_SMC_ASYNC_NOTIF_PENDING : 0);
			} else if (!t->pending) {
				t->tp->value_read(t, pe, true);
			}
			s->got = false;
			break;
		}
		if (tee_notif_get(t, pe, &v, &more)) {
			r[1] = v;
			r[2] = OPTEE_SMC_ASYNC_NOTIF_VALID | (more ? OPTEE_SMC_ASYNC_NOTIF_PENDING : 0);
		}
		break;
	}
	case OPTEE_SMC_TZSIM_GET_NOTIF_SGI:
		if (t->cfg.async_notif && t->cfg.transport == TEE_TRANSPORT_SGI)
			r[0] = OPTEE_SMC_RETURN_OK, r[1] = t->cfg.intid;
		break;
	case OPTEE_SMC_ENABLE_SHM_CACHE:
	case OPTEE_SMC_DISABLE_SHM_CACHE:
		r[0] = OPTEE_SMC_RETURN_OK;
		break;
	default:
		break;
	}
}

static void fast_handle(void *ctx, struct pe *pe)
{
	uint64_t r[4];
	fast_result(ctx, pe, r);
	tee_return(pe, TEESMC_OPTEED_RETURN_CALL_DONE, r[0], r[1], r[2], r[3]);
}

/*
 * fidelity: isa. The guest's tee_entry_fast (models/tee/guest/entry_fast.c)
 * ran on the thread_smc_args in the PE's scratch area; its answer is the
 * call's, and must be this model's (which keeps the statistics' records).
 */
static void fast_isa_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	struct tee *t = ctx;
	uint64_t r[4], *g = isa_rt_ptr(t->cfg.isa, isa_rt_scratch(t->cfg.isa, pe_id(pe), ISA_RT_TEE), 8 * sizeof(uint64_t));
	(void)res;
	fast_result(t, pe, r);
	for (int i = 0; i < 4; i++)
		if (g[i] != r[i]) {
			isa_rt_fail(t->cfg.isa, "ISA: cpu%u: fast call 0x%08x: the guest's a%d is 0x%llx, the model's 0x%llx",
				    pe_id(pe), (unsigned)pe_regs(pe)[0], i, (unsigned long long)g[i],
				    (unsigned long long)r[i]);
			return;
		}
	tee_return(pe, TEESMC_OPTEED_RETURN_CALL_DONE, g[0], g[1], g[2], g[3]);
}

/*
 * The guest's notif_get_value handed out a value (its ISA_TR_NOTIF_GET):
 * this model's bitmap gives it up at the same moment, so a notif_send_async
 * on another CPU meanwhile finds both bitmaps alike (the routine may run in
 * pieces, up to each next kernel event; the model's answer is read at its end).
 */
static enum isa_action fast_isa_mc(void *ctx, struct pe *pe, unsigned imm, uint64_t x[4])
{
	struct tee *t = ctx;
	struct tee_isa_send *s = &t->isa_send[pe_id(pe)];
	unsigned v;
	bool more;
	if (imm != ISA_MC_TRACE)
		return ISA_STOP;
	if (x[0] != ISA_TR_NOTIF_GET)
		return ISA_CONTINUE;
	if (!tee_notif_get(t, pe, &v, &more) || v != x[1] || more != (x[2] != 0)) {
		isa_rt_fail(t->cfg.isa, "ISA: cpu%u: notif_get_value handed out value %llu%s, the model's bitmap %s",
			    pe_id(pe), (unsigned long long)x[1], x[2] ? " (more pending)" : "",
			    t->pending ? "differs" : "is empty");
		return ISA_STOP;
	}
	s->got = true, s->got_value = v, s->got_more = more;
	return ISA_CONTINUE;
}

static void fast_smc_entry(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	if (t->cfg.isa) {
		uint64_t a = isa_rt_scratch(t->cfg.isa, pe_id(pe), ISA_RT_TEE);
		uint64_t *g = isa_rt_ptr(t->cfg.isa, a, 8 * sizeof(uint64_t));
		memcpy(g, pe_regs(pe), 8 * sizeof(uint64_t));
		struct isa_rt_req rq = { .h = ISA_H_TEE_FAST, .world = ISA_RT_TEE,
					 .fn = isa_rt_sym(t->cfg.isa, ISA_IMG_TEE, "tee_entry_fast"),
					 .args = { a }, .nargs = 1, .mc = fast_isa_mc, .done = fast_isa_done, .ctx = t };
		isa_rt_call(t->cfg.isa, pe, &rq);
		return;
	}
	/* Fast calls run with all exceptions masked. */
	pe_exec_cost(pe, SIM_COST_TEE_FAST, "OP-TEE fast call", fast_handle, ctx);
}

/* ---- threads ---------------------------------------------------------------- */

static void call_exit(struct tee *t, struct pe *pe, bool ffa, uint64_t a0, uint64_t a1, uint64_t a2,
		      uint64_t a3);

static void thread_trace(struct tee_thread *th, struct pe *pe)
{
	tee_trace(th->t, pe, TR_TEE_THREAD, 0, th->id, (uint64_t)th->state, 0, 0, th->label);
}

/* The thread's struct optee_msg_arg in the shared memory, or NULL (sim_shm_msg's reasons). */
static struct sim_msg_arg *thread_arg(struct tee_thread *th)
{
	return sim_shm_msg(th->t->cfg.shm, th->shm, th->arg_offs);
}

static void thread_finish(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	uint32_t rc = th->rc;
	struct sim_msg_arg *arg = thread_arg(th);

	/* tee_entry_std's result goes back in the message (arg->ret), the SMC's in a0 */
	if (arg && rc != OPTEE_SMC_RETURN_EBADADDR)
		arg->ret = rc == OPTEE_SMC_RETURN_OK ? th->ta_ret : TEE_ERROR_BAD_PARAMETERS;

	th->state = TH_FREE;
	t->cpu_thread[pe_id(pe)] = -1;
	t->busy--;
	thread_trace(th, pe);
	busy_counter(t);
	pe_set_masks(pe, true, true);
	call_exit(t, pe, th->ffa, rc, 0, 0, 0);
}

static void masked_done(void *ctx, struct pe *pe)
{
	pe_set_masks(pe, false, false);
	thread_finish(ctx, pe);
}

/*
 * The TA's command goes on to wait for a device's value, as a TA calling
 * OP-TEE's RTC service (stm32_rtc_wait_alarm -> notif_wait) does. A device
 * that has no value (none, or DO_BOTTOM_HALF) makes the command fail.
 */
static void ta_wait(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	uint64_t d = th->param_b - 1;
	if (d >= (uint64_t)t->ndev || !t->devs[d].value) {
		th->ta_ret = TEE_ERROR_BAD_PARAMETERS;
		thread_finish(th, pe);
		return;
	}
	tee_notif_wait(th, pe, t->devs[d].value, thread_finish);
}

static void thread_dispatch(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	const struct sim_msg_arg *arg = thread_arg(th);

	/*
	 * std_entry_with_regd_arg / std_entry_with_parg -> get_msg_arg
	 * (thread_optee_smc.c), or the FF-A yielding call's shm handle: the
	 * command and its parameters are read from shared memory, in the
	 * thread; a cookie no buffer has is EBADADDR.
	 */
	if (!arg || arg->num_params > SIM_MSG_MAX_PARAMS) {
		th->rc = OPTEE_SMC_RETURN_EBADADDR;
		thread_finish(th, pe);
		return;
	}
	th->cmd = arg->cmd;
	th->num_params = arg->num_params;
	th->param = arg->num_params ? arg->params[0].a : 0;
	th->param_b = arg->num_params ? arg->params[0].b : 0;
	th->param_c = arg->num_params ? arg->params[0].c : 0;
	th->rc = OPTEE_SMC_RETURN_OK;
	/* __tee_entry_std: thread_set_foreign_intr(true) before the command's switch */
	pe_set_masks(pe, false, false);
	switch (th->cmd) {
	case OPTEE_MSG_CMD_INVOKE_COMMAND:
		pe_exec(pe, pe_cost(pe, SIM_COST_TEE_TA_INVOKE) + th->param, "TA invoke",
			th->param_b ? ta_wait : thread_finish, th);
		return;
	case TZSIM_MSG_CMD_INVOKE_MASKED:
		/* thread_mask_exceptions(): native and foreign interrupts wait (optee_os #6731). */
		pe_set_masks(pe, true, true);
		pe_event(pe, "secure masked window", th->param, 0);
		pe_exec(pe, th->param, "OP-TEE masked section", masked_done, th);
		return;
	case OPTEE_MSG_CMD_DO_BOTTOM_HALF:
		if (!t->cfg.async_notif) {
			th->rc = OPTEE_SMC_RETURN_EBADCMD;
			break;
		}
		tee_notif_deliver_bh(th, pe, thread_finish);
		return;
	case OPTEE_MSG_CMD_STOP_ASYNC_NOTIF:
		if (!t->cfg.async_notif) {
			th->rc = OPTEE_SMC_RETURN_EBADCMD;
			break;
		}
		tee_notif_deliver_stopped(th, pe, thread_finish);
		return;
	default:
		break;
	}
	thread_finish(th, pe);
}

static void thread_started(void *ctx, struct pe *pe)
{
	/*
	 * init_regs (core/arch/arm/kernel/thread.c): a yielding call starts with
	 * foreign interrupts masked and native ones unmasked (on GICv3 foreign = FIQ,
	 * docs/protocol.md §5.2); __tee_entry_std (core/tee/entry_std.c) unmasks the
	 * foreign ones once the argument is read (thread_dispatch). The entry's cost
	 * (tee.std_entry: thread_handle_std_smc, get_msg_arg) runs before that.
	 */
	pe_set_masks(pe, false, true);
	pe_exec_cost(pe, SIM_COST_TEE_STD_ENTRY, ((struct tee_thread *)ctx)->label, thread_dispatch, ctx);
}

static void thread_resumed(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	pe_resume_frame(pe, &th->frame);
}

static void rpc_resume_point(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	pe_fn after = th->after_rpc;
	th->after_rpc = NULL;
	after(th, pe);
}

/*
 * The end of a yielding call's SMC: over the SMC ABI it is
 * TEESMC_OPTEED_RETURN_CALL_DONE with a0..a3; over FF-A the same outcome
 * becomes FFA_MSG_SEND_DIRECT_RESP (tee_ffa_call_exit).
 */
static void call_exit(struct tee *t, struct pe *pe, bool ffa, uint64_t a0, uint64_t a1, uint64_t a2,
		      uint64_t a3)
{
	if (ffa)
		tee_ffa_call_exit(t, pe, a0, a1, a2, a3);
	else
		tee_return(pe, TEESMC_OPTEED_RETURN_CALL_DONE, a0, a1, a2, a3);
}

/* thread_resume_from_rpc(id); ERESUME if that thread is not suspended. */
void tee_yield_resume(struct tee *t, struct pe *pe, uint64_t id, bool ffa)
{
	struct tee_thread *th = id < t->cfg.threads ? &t->threads[id] : NULL;
	if (!th || th->state != TH_RPC) {
		call_exit(t, pe, ffa, OPTEE_SMC_RETURN_ERESUME, 0, 0, 0);
		return;
	}
	th->state = TH_RUNNING;
	th->pe = pe_id(pe);
	t->cpu_thread[pe_id(pe)] = (int)th->id;
	thread_trace(th, pe);
	pe_exec_cost(pe, SIM_COST_TEE_RPC_RESUME, "OP-TEE thread resume", thread_resumed, th);
}

/* thread_alloc_and_run: ETHREAD_LIMIT only if no thread is free; a1..a3 preserved. */
void tee_yield_start(struct tee *t, struct pe *pe, uint64_t cookie, uint64_t offs, bool ffa)
{
	for (unsigned i = 0; i < t->cfg.threads; i++) {
		struct tee_thread *th = &t->threads[i];
		if (th->state != TH_FREE)
			continue;
		th->state = TH_RUNNING;
		th->pe = pe_id(pe);
		th->shm = cookie;
		th->arg_offs = offs;
		th->num_params = 0;
		th->cmd = 0;
		th->param = th->param_b = th->param_c = 0;
		th->ta_ret = TEE_SUCCESS;
		th->ffa = ffa;
		th->bh_ids.n = 0;
		t->cpu_thread[pe_id(pe)] = (int)i;
		t->busy++;
		thread_trace(th, pe);
		busy_counter(t);
		pe_exec_cost(pe, SIM_COST_TEE_THREAD_ALLOC, "OP-TEE thread alloc", thread_started, th);
		return;
	}
	tee_event(t, pe, SIM_EV_ETHREAD_LIMIT, t->cfg.threads);
	call_exit(t, pe, ffa, OPTEE_SMC_RETURN_ETHREAD_LIMIT, pe_regs(pe)[1], pe_regs(pe)[2], pe_regs(pe)[3]);
}

static void yield_smc_entry(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint32_t fid = (uint32_t)pe_regs(pe)[0];

	if (fid == OPTEE_SMC_CALL_RETURN_FROM_RPC) {
		tee_yield_resume(t, pe, pe_regs(pe)[3], false);
		return;
	}
	if (fid != OPTEE_SMC_CALL_WITH_ARG && fid != OPTEE_SMC_CALL_WITH_RPC_ARG &&
	    fid != OPTEE_SMC_CALL_WITH_REGD_ARG) {
		tee_return(pe, TEESMC_OPTEED_RETURN_CALL_DONE, OPTEE_SMC_RETURN_UNKNOWN_FUNCTION, 0, 0, 0);
		return;
	}
	/*
	 * thread_handle_std_smc (thread_optee_smc.c): REGD_ARG is
	 * std_entry_with_regd_arg(reg_pair_to_64(a1, a2), a3): a1 the cookie's
	 * upper half, a2 its lower half, a3 the offset. WITH_ARG and
	 * WITH_RPC_ARG pass the argument's physical address the same way (a1
	 * upper, a2 lower), which tzsim's shared memory names by cookie.
	 */
	tee_yield_start(t, pe, reg_pair_to_64(pe_regs(pe)[1], pe_regs(pe)[2]),
			fid == OPTEE_SMC_CALL_WITH_REGD_ARG ? pe_regs(pe)[3] & 0xffffffff : 0, false);
}

static void rpc_cmd_exit(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	th->frame = (struct pe_frame){ .el = 1, .world = SIM_WORLD_S, .kind = PE_FRAME_WORK,
				       .label = th->label, .fn = rpc_resume_point, .ctx = th,
				       .notif = pe_tag(pe) };
	th->state = TH_RPC;
	t->cpu_thread[pe_id(pe)] = -1;
	thread_trace(th, pe);
	/*
	 * thread_rpc_cmd: RPC_CMD with a1:a2 the cookie of the buffer that holds
	 * the RPC arg (reg_pair_from_64: a1 upper, a2 lower; the call's own
	 * buffer, since Linux gave an RPC arg area) and a3 the resume info (the
	 * thread). Over FF-A the same exit is a direct response with w7 the
	 * resume info (tee_ffa_call_exit).
	 */
	call_exit(t, pe, th->ffa, OPTEE_SMC_RETURN_RPC_CMD, th->shm >> 32, th->shm & 0xffffffff, th->id);
}

uint32_t tee_thread_rpc_ret(const struct tee_thread *th)
{
	const struct sim_msg_arg *rpc =
		sim_shm_msg(th->t->cfg.shm, th->shm, th->arg_offs + SIM_MSG_ARG_SIZE(th->num_params));
	return rpc ? rpc->ret : TEE_ERROR_GENERIC;
}

void tee_thread_rpc(struct tee_thread *th, struct pe *pe, uint32_t cmd, uint64_t a, uint64_t b, pe_fn after)
{
	/*
	 * get_rpc_arg (thread_optee_smc.c): the RPC's struct optee_msg_arg is
	 * the area Linux reserved right after the call's argument
	 * (OPTEE_MSG_GET_ARG_SIZE(num_params) past it, OPTEE_SMC_SEC_CAP_RPC_ARG);
	 * the command travels there, not in registers.
	 */
	struct sim_msg_arg *rpc =
		sim_shm_msg(th->t->cfg.shm, th->shm, th->arg_offs + SIM_MSG_ARG_SIZE(th->num_params));
	if (rpc) {
		memset(rpc, 0, sizeof(*rpc));
		rpc->cmd = cmd;
		rpc->num_params = 1;
		rpc->ret = TEE_ERROR_GENERIC; /* "in case value isn't updated" */
		rpc->params[0] = (struct sim_msg_param){ SIM_MSG_ATTR_VALUE_INPUT, a, b, 0 };
	}
	th->after_rpc = after;
	pe_set_masks(pe, true, true);
	pe_exec_cost(pe, SIM_COST_TEE_RPC_EXIT, "OP-TEE RPC exit", rpc_cmd_exit, th);
}

/* ---- interrupts ---------------------------------------------------------------- */

static bool under_sel2(const struct tee *t)
{
	return t->cfg.transport == TEE_TRANSPORT_FFA && t->cfg.spmc == TEE_SPMC_SEL2;
}

static void itr_deactivated(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	t->itr_then[pe_id(pe)](t, pe);
}

static void itr_then(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	t->itr_then[pe_id(pe)](t, pe);
}

static void itr_isa_eoi_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	(void)res;
	itr_then(ctx, pe);
}

/*
 * gic_native_itr_handler's end of interrupt. fidelity tee: isa: the guest's itr_eoi
 * (models/tee/guest/itr.c) writes EOIR through the PE's GIC CPU interface and lasts its cycles.
 */
static void itr_eoi(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t intid = t->itr_intid[pe_id(pe)];
	if (intid != GIC_SPURIOUS && under_sel2(t)) {
		/* hfic.c: thread_hvc(HF_INTERRUPT_DEACTIVATE, id, id): Hafnium deactivates the physical interrupt */
		uint64_t x[8] = { HF_INTERRUPT_DEACTIVATE, intid, intid, 0, 0, 0, 0, 0 };
		pe_hvc(pe, x, itr_deactivated, t);
		return;
	}
	if (intid != GIC_SPURIOUS && t->cfg.isa) {
		struct isa_rt_req rq = { .h = ISA_H_TEE_ITR_EOI, .world = ISA_RT_TEE,
					 .fn = isa_rt_sym(t->cfg.isa, ISA_IMG_TEE, "itr_eoi"),
					 .args = { intid }, .nargs = 1, .done = itr_isa_eoi_done, .ctx = t };
		isa_rt_call(t->cfg.isa, pe, &rq);
		return;
	}
	if (intid != GIC_SPURIOUS)
		pe_icc_write(pe, ICC_EOIR1_EL1, intid);
	/* tee.itr_eoi: 0 (inside tee.itr) unless set, e.g. to what tee: isa executes (tzsim calibrate) */
	if (intid != GIC_SPURIOUS && pe_cost(pe, SIM_COST_TEE_ITR_EOI)) {
		pe_exec_cost(pe, SIM_COST_TEE_ITR_EOI, "OP-TEE eoi", itr_then, t);
		return;
	}
	t->itr_then[pe_id(pe)](t, pe);
}

static void itr_handle(struct tee *t, struct pe *pe, uint64_t iar);

static void itr_got(void *ctx, struct pe *pe)
{
	itr_handle(ctx, pe, pe_regs(pe)[0]);
}

static void itr_acked(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	itr_handle(t, pe, t->itr_intid[pe_id(pe)]);
}

static void itr_isa_ack_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	/* a special INTID (1020-1023) is the model's spurious one */
	itr_handle(ctx, pe, (res[0] & 0xffffff) >= 1020 ? GIC_SPURIOUS : res[0] & 0xffffff);
}

/*
 * gic_native_itr_handler: IAR1, the registered handler, EOIR1. Under
 * Hafnium (hfic.c hfic_op_handle) the partition asks the SPMC for the
 * virtual interrupt with thread_hvc(HF_INTERRUPT_GET) and deactivates it
 * with HF_INTERRUPT_DEACTIVATE: Hafnium owns the physical GIC interface.
 */
static void itr_ack(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t iar = GIC_SPURIOUS;

	if (under_sel2(t)) {
		uint64_t x[8] = { HF_INTERRUPT_GET, 0, 0, 0, 0, 0, 0, 0 };
		pe_hvc(pe, x, itr_got, t);
		return;
	}
	if (t->cfg.isa) {
		/* fidelity tee: isa: the guest's itr_ack (models/tee/guest/itr.c) reads IAR and lasts its cycles */
		struct isa_rt_req rq = { .h = ISA_H_TEE_ITR_ACK, .world = ISA_RT_TEE,
					 .fn = isa_rt_sym(t->cfg.isa, ISA_IMG_TEE, "itr_ack"),
					 .nres = 1, .done = itr_isa_ack_done, .ctx = t };
		isa_rt_call(t->cfg.isa, pe, &rq);
		return;
	}
	pe_icc_read(pe, ICC_IAR1_EL1, &iar);
	/* tee.itr_ack: 0 (inside tee.itr) unless set, e.g. to what tee: isa executes (tzsim calibrate) */
	if (pe_cost(pe, SIM_COST_TEE_ITR_ACK)) {
		t->itr_intid[pe_id(pe)] = iar;
		pe_exec_cost(pe, SIM_COST_TEE_ITR_ACK, "OP-TEE ack", itr_acked, t);
		return;
	}
	itr_handle(t, pe, iar);
}

static void itr_handle(struct tee *t, struct pe *pe, uint64_t iar)
{
	struct tee_dev *d;

	t->itr_intid[pe_id(pe)] = iar;
	d = iar != GIC_SPURIOUS ? tee_dev_by_intid(t, (unsigned)iar) : NULL;
	if (d) {
		tee_dev_top_half(d, pe, itr_eoi, t);
		return;
	}
	if (iar == GIC_SPURIOUS)
		tee_trace(t, pe, TR_EVENT, 0, iar, 0, 0, 0, "OP-TEE spurious interrupt");
	itr_eoi(t, pe);
}

static void itr_main(struct tee *t, struct pe *pe, pe_fn then)
{
	t->itr_then[pe_id(pe)] = then;
	pe_exec_cost(pe, SIM_COST_TEE_ITR, "OP-TEE interrupt", itr_ack, t);
}

static void fiq_done(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	/*
	 * Under the SPMD the secure interrupt ends with FFA_NORMAL_WORLD_RESUME
	 * (OP-TEE as the SPMC), or, as Hafnium's partition resumed from its
	 * wait to handle it, with FFA_MSG_WAIT (Hafnium's SPM documentation,
	 * "secure interrupt handling ... completion through FFA_MSG_WAIT").
	 */
	if (under_sel2(t))
		tee_return(pe, FFA_MSG_WAIT, 0, 0, 0, 0);
	else if (t->cfg.transport == TEE_TRANSPORT_FFA)
		tee_return(pe, FFA_NORMAL_WORLD_RESUME, 0, 0, 0, 0);
	else
		tee_return(pe, TEESMC_OPTEED_RETURN_FIQ_DONE, 0, 0, 0, 0);
}

/* fiq_entry: a secure interrupt taken while the normal world ran (via EL3, and S-EL2 under Hafnium). */
void tee_itr_entry(void *ctx, struct pe *pe) { itr_main(ctx, pe, fiq_done); }

static void native_done(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_eret(pe);
}

/* IRQ at S-EL1: a native interrupt while a thread ran. */
static void s_irq(void *ctx, struct pe *pe, enum pe_exc exc)
{
	(void)exc;
	itr_main(ctx, pe, native_done);
}

static void foreign_exit(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	pe_serve(pe, th->frame.notif); /* the exit belongs to the call the thread serves */
	call_exit(th->t, pe, th->ffa, OPTEE_SMC_RETURN_RPC_FOREIGN_INTR, 0, 0, th->id);
}

/* FIQ at S-EL1: a foreign (Non-secure) interrupt while a thread ran (thread_foreign_intr_exit). */
static void s_fiq(void *ctx, struct pe *pe, enum pe_exc exc)
{
	struct tee *t = ctx;
	int id = t->cpu_thread[pe_id(pe)];
	struct tee_thread *th;
	(void)exc;
	if (id < 0) {
		pe_eret(pe);
		return;
	}
	th = &t->threads[id];
	pe_take_frame(pe, &th->frame);
	th->state = TH_RPC;
	t->cpu_thread[pe_id(pe)] = -1;
	thread_trace(th, pe);
	tee_event(t, pe, SIM_EV_FOREIGN_INTR, th->id);
	pe_exec_cost(pe, SIM_COST_TEE_RPC_EXIT, "OP-TEE foreign intr exit", foreign_exit, th);
}

/* ---- power management and boot entries --------------------------------------------- */

static void pm_done(void *ctx, struct pe *pe)
{
	/* thread_cpu_*_handler default: return 0 in x1. */
	tee_return(pe, (uint32_t)(uintptr_t)ctx, 0, 0, 0, 0);
}

static void cpu_on_entry(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	if (t->cfg.async_notif && t->tp->init_cpu)
		t->tp->init_cpu(t, pe);
	pe_exec_cost(pe, SIM_COST_TEE_PM_HOOK, "OP-TEE cpu_on", pm_done,
		     (void *)(uintptr_t)TEESMC_OPTEED_RETURN_ON_DONE);
}
static void cpu_off_entry(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_exec_cost(pe, SIM_COST_TEE_PM_HOOK, "OP-TEE cpu_off", pm_done,
		     (void *)(uintptr_t)TEESMC_OPTEED_RETURN_OFF_DONE);
}
static void cpu_suspend_entry(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_exec_cost(pe, SIM_COST_TEE_PM_HOOK, "OP-TEE cpu_suspend", pm_done,
		     (void *)(uintptr_t)TEESMC_OPTEED_RETURN_SUSPEND_DONE);
}
static void cpu_resume_entry(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_exec_cost(pe, SIM_COST_TEE_PM_HOOK, "OP-TEE cpu_resume", pm_done,
		     (void *)(uintptr_t)TEESMC_OPTEED_RETURN_RESUME_DONE);
}
static void system_off_entry(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_exec_cost(pe, SIM_COST_TEE_PM_HOOK, "OP-TEE system_off", pm_done,
		     (void *)(uintptr_t)TEESMC_OPTEED_RETURN_SYSTEM_OFF_DONE);
}
static void system_reset_entry(void *ctx, struct pe *pe)
{
	(void)ctx;
	pe_exec_cost(pe, SIM_COST_TEE_PM_HOOK, "OP-TEE system_reset", pm_done,
		     (void *)(uintptr_t)TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE);
}

static void boot_done(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	if (t->cfg.async_notif && t->tp && t->tp->init)
		t->tp->init(t, pe);
	tee_return(pe, TEESMC_OPTEED_RETURN_ENTRY_DONE, 0, 0, 0, 0);
}

static void cold_boot(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_TEE_PM_HOOK, "OP-TEE init", boot_done, ctx);
}

/* ---- construction ------------------------------------------------------------------ */

struct tee *tee_new(struct sim *s, const struct tee_config *cfg, struct pe **pes)
{
	struct tee *t;
	if (cfg->threads == 0 || cfg->threads > TEE_MAX_THREADS)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->cpu_thread = malloc(cfg->num_pes * sizeof(int));
	t->itr_intid = calloc(cfg->num_pes, sizeof(uint64_t));
	t->itr_then = calloc(cfg->num_pes, sizeof(pe_fn));
	t->isa_send = calloc(cfg->num_pes, sizeof(*t->isa_send));
	if (!t->cpu_thread || !t->itr_intid || !t->itr_then || !t->isa_send) {
		tee_free(t);
		return NULL;
	}
	t->sim = s;
	t->cfg = *cfg;
	t->pes = pes;
	t->mutex_owner = -1;
	for (unsigned i = 0; i < cfg->num_pes; i++)
		t->cpu_thread[i] = -1;
	for (unsigned i = 0; i < cfg->threads; i++) {
		t->threads[i].t = t;
		t->threads[i].id = i;
		snprintf(t->threads[i].label, sizeof(t->threads[i].label), "OP-TEE thread %u", i);
	}
	sim_wire_init(s, &t->doorbell, "notif", "doorbell", -1);
	tee_notif_init(t);
	return t;
}

void tee_free(struct tee *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < TEE_MAX_THREADS; i++)
		free(t->threads[i].bh_ids.v);
	free(t->fetched0.v);
	free(t->cpu_thread);
	free(t->itr_intid);
	free(t->itr_then);
	free(t->isa_send);
	tee_ffa_free(t);
	free(t);
}

void tee_attach(struct tee *t, struct mon *m)
{
	struct tee_vectors v = {
		.yield_smc_entry = yield_smc_entry,   .fast_smc_entry = fast_smc_entry,
		.cpu_on_entry = cpu_on_entry,	      .cpu_off_entry = cpu_off_entry,
		.cpu_resume_entry = cpu_resume_entry, .cpu_suspend_entry = cpu_suspend_entry,
		.fiq_entry = tee_itr_entry,	      .system_off_entry = system_off_entry,
		.system_reset_entry = system_reset_entry, .ctx = t,
	};
	mon_set_tee(m, cold_boot, &v);
	for (unsigned i = 0; i < t->cfg.num_pes; i++) {
		pe_set_vector(t->pes[i], PE_VEC_S_IRQ, s_irq, t);
		pe_set_vector(t->pes[i], PE_VEC_S_FIQ, s_fiq, t);
	}
}

struct sim_wire *tee_doorbell_wire(struct tee *t) { return &t->doorbell; }
