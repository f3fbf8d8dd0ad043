// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_optee.c: Linux's OP-TEE SMC-ABI driver
 * (drivers/tee/optee/smc_abi.c, call.c, notif.c; docs/protocol.md §1.9, §2).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ree_optee.h"
#include "models/cpu/isa_rt.h"
#include "models/monitor/smccc.h"

int ree_optee_init(struct ree *r)
{
	r->optee = calloc(1, sizeof(*r->optee));
	return r->optee ? 0 : -1;
}

void ree_optee_free(struct ree *r) { free(r->optee); }

bool ree_optee_ok(const struct ree *r) { return r->optee->ok; }
struct ree_irq *ree_notif_irq(const struct ree *r) { return r->optee->notif_irq; }
uint64_t ree_spurious(const struct ree *r) { return r->optee->spurious; }

/* ---- optee_notif_wait / optee_notif_send (notif.c) -------------------------------- */

static bool bit_test_clear(struct ree *r, unsigned key)
{
	bool set = r->optee->notif_bitmap[key / 8] & (1u << (key % 8));
	r->optee->notif_bitmap[key / 8] &= (uint8_t) ~(1u << (key % 8));
	return set;
}

/*
 * optee_notif_send: complete the first entry with @key in notif.db;
 * otherwise keep the key as one bit (sends coalesce). An entry stays
 * listed until its waiter runs again (optee_notif_wait's list_del after
 * wait_for_completion), so a second send before then completes it again
 * and is absorbed, as upstream.
 */
void ree_optee_notif_send(struct ree *r, struct pe *pe, unsigned key)
{
	if (key > r->optee->max_notif || key >= 8 * sizeof(r->optee->notif_bitmap)) {
		ree_trace(r, pe, "optee_notif_send: key out of range", key, 0);
		return;
	}
	for (struct optee_call *c = r->optee->notif_waiters; c; c = c->wnext) {
		if (c->notif_key == key) {
			if (!c->woken) {
				c->woken = true;
				ree_wake(r, c->task, pe);
			}
			return;
		}
	}
	r->optee->notif_bitmap[key / 8] |= (uint8_t)(1u << (key % 8));
}

static bool have_key(const struct ree *r, unsigned key)
{
	for (const struct optee_call *c = r->optee->notif_waiters; c; c = c->wnext)
		if (c->notif_key == key)
			return true;
	return false;
}

static void notif_unlist(struct ree *r, struct optee_call *c)
{
	for (struct optee_call **pp = &r->optee->notif_waiters; *pp; pp = &(*pp)->wnext)
		if (*pp == c) {
			*pp = c->wnext;
			break;
		}
	c->wnext = NULL;
}

/* ---- do_call_with_arg and the RPC loop (§1.9) ----------------------------------------- */

static void call_issue(void *ctx, struct pe *pe);

/*
 * The call queue (Linux drivers/tee/optee/call.c, docs/protocol.md §1.9):
 * every call joins it at the end of its set-up, just before its first SMC
 * (optee_cq_wait_init). Over the SMC ABI since 6.8 the driver counts
 * OP-TEE's threads (GET_THREAD_COUNT at probe, optee_cq_init): the call
 * claims a free one there or sleeps until completed, then, at the tail,
 * tries again. Every call sleeps the same way when its SMC returns
 * ETHREAD_LIMIT (optee_cq_wait_for_completion, which then moves it to the
 * tail). A call that ends leaves, gives its thread back to the count, and
 * completes the first member not yet completed (optee_cq_wait_final ->
 * optee_cq_complete_one), waiting or not.
 */
static void cq_del(struct ree *r, struct optee_call *c)
{
	struct optee_call **pp;
	for (pp = &r->optee->cq_head; *pp; pp = &(*pp)->cq_next)
		if (*pp == c) {
			*pp = c->cq_next;
			break;
		}
	r->optee->cq_tail = NULL;
	for (struct optee_call *w = r->optee->cq_head; w; w = w->cq_next)
		r->optee->cq_tail = w;
	c->cq_next = NULL;
}

static void cq_add_tail(struct ree *r, struct optee_call *c)
{
	c->cq_next = NULL;
	if (r->optee->cq_tail)
		r->optee->cq_tail->cq_next = c;
	else
		r->optee->cq_head = c;
	r->optee->cq_tail = c;
}

/* optee_cq_complete_one: complete the first member not yet completed, waiting or not */
static void cq_complete_one(struct ree *r, struct pe *pe)
{
	for (struct optee_call *w = r->optee->cq_head; w; w = w->cq_next) {
		if (w->cq_done)
			continue;
		w->cq_done = true;
		if (w->waiting_cq) {
			w->waiting_cq = false;
			ree_wake(r, w->task, pe);
		}
		break;
	}
}

/* optee_cq_wait_init's claim: true when the call may go on to its SMC */
static bool cq_claim(struct ree *r)
{
	if (!r->optee->cq_total)
		return true; /* no count: OP-TEE says ETHREAD_LIMIT when it has none free */
	if (!r->optee->cq_free)
		return false;
	r->optee->cq_free--;
	return true;
}

static void call_finish(struct ree *r, struct optee_call *c, struct pe *pe, uint64_t rc)
{
	cq_del(r, c);
	if (r->optee->cq_total)
		r->optee->cq_free++; /* optee_cq_wait_final: the call's thread is free again */
	cq_complete_one(r, pe);
	/* optee_cq_wait_final: completed while it ran, it passes that thread on too */
	if (c->cq_done)
		cq_complete_one(r, pe);
	c->done(c, pe, rc);
}

static void cq_wait(struct ree *r, struct optee_call *c, struct pe *pe);

static void cq_woken(struct ree_task *t, struct pe *pe)
{
	struct optee_call *c = &t->call;
	/*
	 * wait_for_completion ignores other wake-ups (a workload arrival, a
	 * threaded IRQ's IRQTF_RUNTHREAD): still queued, sleep on. Reissuing
	 * now would queue the call twice and lose the waiter behind it.
	 */
	if (c->waiting_cq) {
		ree_block(t->r, pe, cq_woken);
		return;
	}
	/* completed: move to the tail, re-arm */
	cq_del(t->r, c);
	c->cq_done = false;
	cq_add_tail(t->r, c);
	/* optee_cq_wait_init's loop: a thread by the count, or sleep again */
	if (c->cq_claiming && !cq_claim(t->r)) {
		cq_wait(t->r, c, pe);
		return;
	}
	c->cq_claiming = false;
	/* the first SMC, or the same a0..a7 again after ETHREAD_LIMIT (optee_smc_do_call_with_arg) */
	call_issue(c, pe);
}

static void notif_woken(struct ree_task *t, struct pe *pe)
{
	struct optee_call *c = &t->call;
	if (!c->woken) { /* not our optee_notif_send yet: keep waiting */
		ree_block(t->r, pe, notif_woken);
		return;
	}
	notif_unlist(t->r, c); /* list_del(&entry->link) */
	pe_exec_cost(pe, SIM_COST_REE_RPC_HANDLE, "optee rpc", call_issue, c);
}

static void ffa_call_ret(struct optee_call *c, struct pe *pe);

/* The call's struct optee_msg_arg in the shared memory (NULL before the first call). */
static struct sim_msg_arg *call_arg(struct ree *r, const struct optee_call *c)
{
	return c->shm ? sim_shm_msg(r->cfg.shm, c->shm, c->shm_offs) : NULL;
}

/*
 * The RPC arg area: right after the call's message, at
 * OPTEE_MSG_GET_ARG_SIZE(num_params) (smc_abi.c optee_smc_do_call_with_arg,
 * ffa_abi.c optee_ffa_do_call_with_arg: rpc_arg_offs).
 */
static struct sim_msg_arg *rpc_arg(struct ree *r, const struct optee_call *c)
{
	return c->shm ? sim_shm_msg(r->cfg.shm, c->shm, c->shm_offs + SIM_MSG_ARG_SIZE(c->num_params)) : NULL;
}

/*
 * OPTEE_RPC_CMD_NOTIFICATION (optee_rpc_cmd -> handle_rpc_func_cmd_notif):
 * SEND completes a waiter (or keeps the key as one bit); WAIT returns at
 * once if the key was sent before, else sleeps until optee_notif_send(key).
 * Then the call resumes with the RPC's resume arguments already in c->args.
 */
static void rpc_notification(struct ree *r, struct optee_call *c, struct pe *pe, struct sim_msg_arg *rpc)
{
	unsigned op = (unsigned)rpc->params[0].a, key = (unsigned)rpc->params[0].b;
	rpc->ret = TEE_SUCCESS;
	if (op == OPTEE_RPC_NOTIFICATION_SEND) {
		if (key > r->optee->max_notif)
			rpc->ret = TEEC_ERROR_BAD_PARAMETERS; /* -EINVAL */
		else
			ree_optee_notif_send(r, pe, key);
	} else if (op != OPTEE_RPC_NOTIFICATION_WAIT || key > r->optee->max_notif ||
		   key >= 8 * sizeof(r->optee->notif_bitmap)) {
		rpc->ret = TEEC_ERROR_BAD_PARAMETERS;
	} else if (!bit_test_clear(r, key)) {
		/* optee_notif_wait: a second waiter for a key is "a programming error": -EBUSY */
		if (have_key(r, key)) {
			rpc->ret = TEEC_ERROR_BAD_PARAMETERS;
		} else {
			c->notif_key = key;
			c->woken = false;
			c->wnext = r->optee->notif_waiters;
			r->optee->notif_waiters = c;
			ree_block(r, pe, notif_woken);
			return;
		}
	}
	pe_exec_cost(pe, SIM_COST_REE_RPC_HANDLE, "optee rpc", call_issue, c);
}

/*
 * optee_rpc_cmd: the command is read from the RPC arg in shared memory and
 * its result written back there (arg->ret); only NOTIFICATION is modelled,
 * anything else answers TEEC_ERROR_NOT_SUPPORTED and the call resumes.
 */
static void rpc_cmd(struct ree *r, struct optee_call *c, struct pe *pe)
{
	struct sim_msg_arg *rpc = rpc_arg(r, c);
	if (!rpc) {
		ree_trace(r, pe, "optee: RPC arg out of reach", c->shm, c->shm_offs);
	} else if (rpc->cmd == OPTEE_RPC_CMD_NOTIFICATION && rpc->num_params == 1) {
		rpc_notification(r, c, pe, rpc);
		return;
	} else {
		rpc->ret = TEE_ERROR_NOT_SUPPORTED;
	}
	pe_exec_cost(pe, SIM_COST_REE_RPC_HANDLE, "optee rpc", call_issue, c);
}

/* optee_handle_rpc / optee_handle_ffa_rpc, after cond_resched(): an RPC command, or nothing to do (FOREIGN_INTR) */
static void rpc_handle(void *ctx, struct pe *pe)
{
	struct optee_call *c = ctx;
	if (c->rpc_is_cmd) {
		rpc_cmd(c->task->r, c, pe);
		return;
	}
	pe_exec_cost(pe, SIM_COST_REE_RPC_HANDLE, "optee rpc", call_issue, c);
}

static void call_ret(void *ctx, struct pe *pe)
{
	struct optee_call *c = ctx;
	struct ree *r = c->task->r;
	uint64_t a0 = pe_regs(pe)[0], a1 = pe_regs(pe)[1], a2 = pe_regs(pe)[2], a3 = pe_regs(pe)[3];

	if (c->ffa) {
		ffa_call_ret(c, pe);
		return;
	}

	if (a0 == OPTEE_SMC_RETURN_ETHREAD_LIMIT) {
		/* optee_cq_wait_for_completion: sleep until another call completes */
		cq_wait(r, c, pe);
		return;
	}
	if (OPTEE_SMC_RETURN_IS_RPC(a0)) {
		/* param.a0 = RETURN_FROM_RPC; a1..a3 kept (a3: the thread to resume) */
		c->args[0] = OPTEE_SMC_CALL_RETURN_FROM_RPC;
		c->args[1] = a1, c->args[2] = a2, c->args[3] = a3;
		c->rpc_is_cmd = a0 == OPTEE_SMC_RETURN_RPC_CMD; /* a1:a2 name the RPC arg's buffer (the driver reads its own area) */
		/*
		 * smc_abi.c optee_smc_do_call_with_arg: cond_resched() after the RPC return, before
		 * optee_handle_rpc; an interrupt that made the call return (RPC_FOREIGN_INTR) is taken first
		 */
		ree_cond_resched(r, pe, rpc_handle, c);
		return;
	}
	call_finish(r, c, pe, a0);
}

/*
 * optee_cq_wait_for_completion: sleep until another call's end completes
 * this one (at once if that happened already), then cq_woken. Before the
 * first SMC (c->cq_claiming: no thread free by the driver's count) or
 * after ETHREAD_LIMIT.
 */
static void cq_wait(struct ree *r, struct optee_call *c, struct pe *pe)
{
	ree_event(r, pe, SIM_EV_CQ_WAIT, c->cmd, c->cq_claiming);
	if (!c->cq_done) {
		c->waiting_cq = true;
		ree_block(r, pe, cq_woken);
		return;
	}
	cq_woken(c->task, pe);
}

/* handle_ffa_rpc_func_cmd / the RPC part of optee_ffa_yielding_call */
static void ffa_call_ret(struct optee_call *c, struct pe *pe)
{
	struct ree *r = c->task->r;
	const uint64_t *x = pe_regs(pe);
	if ((uint32_t)x[0] != FFA_MSG_SEND_DIRECT_RESP_32 || (x[3] && x[3] != TEEC_ERROR_BUSY)) {
		ree_trace(r, pe, "optee ffa: call failed", x[0], x[3]);
		call_finish(r, c, pe, x[3] ? x[3] : x[2]);
		return;
	}
	if (x[3] == TEEC_ERROR_BUSY) {
		/* out of threads in secure world: wait for one to become available */
		cq_wait(r, c, pe);
		return;
	}
	if (x[4] == OPTEE_FFA_YIELDING_CALL_RETURN_DONE) {
		const struct sim_msg_arg *arg = call_arg(r, c);
		call_finish(r, c, pe, arg ? arg->ret : 0); /* the result is in the message */
		return;
	}
	{
		/*
		 * optee_ffa_yielding_call: RESUME with w4-w6 0 and w7 the resume
		 * info the response carried in w7 (data->data4 kept from it).
		 */
		uint64_t resume = x[7];
		memset(c->args, 0, sizeof(c->args));
		c->args[0] = FFA_MSG_SEND_DIRECT_REQ_32;
		c->args[1] = FFA_OPTEE_ID;
		c->args[3] = OPTEE_FFA_YIELDING_CALL_RESUME;
		c->args[7] = resume;
		c->rpc_is_cmd = x[4] == OPTEE_FFA_YIELDING_CALL_RETURN_RPC_CMD; /* handle_ffa_rpc_func_cmd: in the RPC arg */
		/* ffa_abi.c optee_ffa_yielding_call: cond_resched() before optee_handle_ffa_rpc */
		ree_cond_resched(r, pe, rpc_handle, c);
	}
}

static void call_issue(void *ctx, struct pe *pe)
{
	struct optee_call *c = ctx;
	pe_smc_tag(pe, c->tag, c->args, call_ret, c);
}

/*
 * optee_cq_wait_init, the set-up done (ree.call_prep): join the call queue;
 * with the driver's thread count, claim a free thread or wait for one
 * before the SMC.
 */
static void call_enter(void *ctx, struct pe *pe)
{
	struct optee_call *c = ctx;
	struct ree *r = c->task->r;
	c->cq_done = false;
	c->waiting_cq = false;
	c->cq_claiming = false;
	cq_add_tail(r, c);
	if (!cq_claim(r)) {
		c->cq_claiming = true;
		cq_wait(r, c, pe);
		return;
	}
	call_issue(c, pe);
}

void ree_optee_call(struct ree *r, struct optee_call *c, struct pe *pe)
{
	bool regd = r->optee->sec_caps & OPTEE_SMC_SEC_CAP_RPC_ARG;
	struct sim_msg_arg *arg;

	/* optee_get_msg_arg: a message in shared memory (the driver keeps one buffer per caller here) */
	if (!c->shm && !(c->shm = sim_shm_alloc(r->cfg.shm))) {
		/* out of memory: the run stops (sim/kernel/err.h), this call is never made */
		sim_kernel_fail(r->sim->k, -ENOMEM);
		return;
	}
	c->shm_offs = 0;
	c->num_params = c->cmd == OPTEE_MSG_CMD_DO_BOTTOM_HALF || c->cmd == OPTEE_MSG_CMD_STOP_ASYNC_NOTIF ? 0 : 1;
	arg = call_arg(r, c);
	/*
	 * optee_get_msg_arg zeroes OPTEE_MSG_GET_ARG_SIZE(num_params), not the
	 * largest message: the header here, and the one parameter (when there
	 * is one) is written whole below.
	 */
	memset(arg, 0, offsetof(struct sim_msg_arg, params));
	arg->cmd = c->cmd;
	arg->num_params = c->num_params;
	if (c->num_params)
		arg->params[0] = (struct sim_msg_param){ SIM_MSG_ATTR_VALUE_INPUT, c->param, c->param_b, c->param_c };

	memset(c->args, 0, sizeof(c->args));
	c->ffa = r->cfg.abi == REE_ABI_FFA;
	if (c->ffa) {
		/*
		 * optee_ffa_do_call_with_arg: FFA_MSG_SEND_DIRECT_REQ(VM 0 -> OP-TEE)
		 * with w3 WITH_ARG, w4 the lower and w5 the upper half of the shm's
		 * global handle, w6 the offset, w7 MBZ.
		 */
		c->args[0] = FFA_MSG_SEND_DIRECT_REQ_32;
		c->args[1] = FFA_OPTEE_ID;
		c->args[3] = OPTEE_FFA_YIELDING_CALL_WITH_ARG;
		c->args[4] = c->shm & 0xffffffff;
		c->args[5] = c->shm >> 32;
		c->args[6] = c->shm_offs;
	} else {
		/*
		 * optee_smc_do_call_with_arg (6.12 smc_abi.c): CALL_WITH_REGD_ARG
		 * when OP-TEE reports RPC_ARG and the shm is dynamic, with
		 * reg_pair_from_64(&a1, &a2, (u_long)shm): a1 the cookie's upper
		 * half, a2 its lower half, a3 the offset. Without RPC_ARG,
		 * CALL_WITH_ARG passes the argument's physical address the same way
		 * (a cookie in tzsim's shared memory).
		 */
		c->args[0] = regd ? OPTEE_SMC_CALL_WITH_REGD_ARG : OPTEE_SMC_CALL_WITH_ARG;
		c->args[1] = c->shm >> 32;
		c->args[2] = c->shm & 0xffffffff;
		c->args[3] = regd ? c->shm_offs : 0;
	}
	c->task = r->cpu[pe_id(pe)].cur;
	pe_exec_cost_tag(pe, c->tag, SIM_COST_REE_CALL_PREP, "optee call", call_enter, c);
}

static void call_after_might_sleep(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	ree_optee_call(t->r, &t->call, pe);
}

void ree_optee_call_task(struct ree_task *t, struct pe *pe)
{
	/* optee_get_msg_arg -> mutex_lock -> might_sleep() -> might_resched() (voluntary preemption only) */
	ree_might_resched(t->r, pe, call_after_might_sleep, t);
}

/* ---- the notification interrupt: irq_handler (§2.3) ----------------------------------- */

static void drain(struct ree *r, struct pe *pe);

static void pcpu_irq_handled(void *ctx, struct pe *pe) { ree_irq_handled(ctx, pe, IRQ_HANDLED); }

static void drain_finish(struct ree *r, struct pe *pe)
{
	struct ree_irq *d = r->optee->notif_irq;
	bool bh = r->optee->drain_bh[pe_id(pe)];
	if (d->percpu) {
		/*
		 * smc_abi.c notif_pcpu_irq_handler: queue_work(notif_pcpu_wq, &notif_pcpu_work), the one
		 * item, on the local CPU unless it still runs elsewhere (ree_wq.c); paid in the hard IRQ
		 */
		if (bh)
			ree_queue_work_charged(r->optee->notif_pcpu_wq, &r->optee->notif_pcpu_work, pe, pcpu_irq_handled, r);
		else
			ree_irq_handled(r, pe, IRQ_HANDLED);
		return;
	}
	ree_irq_handled(r, pe, bh ? IRQ_WAKE_THREAD : IRQ_HANDLED);
}

static void drain_end_charged(void *ctx, struct pe *pe) { drain_finish(ctx, pe); }

/*
 * The loop is over: ree.notif_irq, its part paid once per interrupt (the
 * handler's entry and exit around the loop; 0 in the abstract table, where
 * ree.notif_value covers it, so no step then).
 */
static void drain_end(struct ree *r, struct pe *pe)
{
	sim_time t = pe_cost(pe, SIM_COST_REE_NOTIF_IRQ);
	if (t) {
		pe_exec(pe, t, "optee notif irq", drain_end_charged, r);
		return;
	}
	drain_finish(r, pe);
}

static void drain_next(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	if (r->optee->drain_more[pe_id(pe)])
		drain(r, pe);
	else
		drain_end(r, pe);
}

static void drain_ret(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	bool valid = pe_regs(pe)[0] == OPTEE_SMC_RETURN_OK && (pe_regs(pe)[2] & OPTEE_SMC_ASYNC_NOTIF_VALID);
	unsigned v = (unsigned)pe_regs(pe)[1];

	if (!valid) {
		if (r->optee->drain_first[pe_id(pe)]) {
			/* a notification interrupt with nothing pending costs one fast call */
			r->optee->spurious++;
			ree_event(r, pe, SIM_EV_SPURIOUS_NOTIF, r->optee->notif_irq->intid, 0);
		}
		drain_end(r, pe);
		return;
	}
	r->optee->drain_first[pe_id(pe)] = false;
	if (v == OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF) {
		r->optee->drain_bh[pe_id(pe)] = true;
	} else {
		/* a value reaches its consumer's side: delivered (sim/stats/notif_assoc.h names it) */
		sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_NOTIF,
							     .cpu = (int32_t)pe_id(pe), .world = SIM_WORLD_NS,
							     .a = NOTIF_BH_ENTER, .b = v });
		ree_optee_notif_send(r, pe, v);
	}
	/* ree.notif_drain: once (docs/protocol.md §10.1): PENDING ignored, one value per interrupt */
	r->optee->drain_more[pe_id(pe)] =
		!r->cfg.drain_once && (pe_regs(pe)[2] & OPTEE_SMC_ASYNC_NOTIF_PENDING) != 0;
	pe_exec_cost(pe, SIM_COST_REE_NOTIF_VALUE, "optee notif irq", drain_next, r);
}

static void drain(struct ree *r, struct pe *pe)
{
	uint64_t x[8] = { OPTEE_SMC_GET_ASYNC_NOTIF_VALUE };
	pe_smc_tag(pe, PE_NOTIF_ANY, x, drain_ret, r);
}

/*
 * fidelity: isa. The guest's irq_handler (models/ree/guest/optee.c,
 * optee_notif_drain) runs the loop: its GET_ASYNC_NOTIF_VALUE SMCs go
 * through the PE to the monitor, each value it fetches comes back as a
 * trace model call, each value but DO_BOTTOM_HALF as optee_notif_send (the
 * wait queues stay here). Its return (IRQ_WAKE_THREAD or IRQ_HANDLED) must
 * agree with the values it fetched.
 */
#define GUEST_IRQ_WAKE_THREAD 2

static enum isa_action isa_drain_mc(void *ctx, struct pe *pe, unsigned imm, uint64_t x[4])
{
	struct ree *r = ctx;
	unsigned cpu = pe_id(pe);
	switch (imm) {
	case ISA_MC_TRACE:
		if (x[0] == ISA_TR_NOTIF_VALUE) {
			r->optee->drain_first[cpu] = false;
			if (x[1] == OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF)
				r->optee->drain_bh[cpu] = true;
		}
		return ISA_CONTINUE;
	case ISA_MC_REE_NOTIF_SEND:
		sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_NOTIF, .cpu = (int32_t)cpu,
							     .world = SIM_WORLD_NS, .a = NOTIF_BH_ENTER, .b = x[0] });
		ree_optee_notif_send(r, pe, (unsigned)x[0]);
		return ISA_CONTINUE;
	default:
		return ISA_STOP;
	}
}

static void isa_drain_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	struct ree *r = ctx;
	unsigned cpu = pe_id(pe);
	if (r->optee->drain_first[cpu]) {
		r->optee->spurious++;
		ree_event(r, pe, SIM_EV_SPURIOUS_NOTIF, r->optee->notif_irq->intid, 0);
	}
	if ((res[0] == GUEST_IRQ_WAKE_THREAD) != r->optee->drain_bh[cpu]) {
		isa_rt_fail(r->cfg.isa, "ISA: cpu%u: irq_handler returned %llu after %s DO_BOTTOM_HALF", cpu,
			    (unsigned long long)res[0], r->optee->drain_bh[cpu] ? "fetching" : "not fetching");
		return;
	}
	drain_finish(r, pe);
}

static void notif_irq_handler(struct ree *r, struct ree_irq *d, struct pe *pe)
{
	(void)d;
	r->optee->drain_first[pe_id(pe)] = true;
	r->optee->drain_bh[pe_id(pe)] = false;
	r->optee->drain_more[pe_id(pe)] = false;
	if (r->cfg.isa) {
		struct isa_rt_req rq = { .h = ISA_H_REE_NOTIF_IRQ, .world = ISA_RT_REE,
					 .fn = isa_rt_sym(r->cfg.isa, ISA_IMG_REE, "optee_notif_drain"),
					 .smc_tag = PE_NOTIF_ANY, .mc = isa_drain_mc, .nres = 1, .done = isa_drain_done,
					 .ctx = r };
		isa_rt_call(r->cfg.isa, pe, &rq);
		return;
	}
	drain(r, pe);
}

/* ---- the bottom half (§2.4) -------------------------------------------------------- */

static void bh_done_thread(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	(void)rc;
	ree_irq_thread_done(c->task, pe);
}

static void bh_done_work(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	(void)rc;
	ree_work_done(c->task->r, pe);
}

void ree_optee_bh_mark(struct ree *r, struct pe *pe)
{
	sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_NOTIF,
						     .cpu = (int32_t)pe_id(pe), .world = SIM_WORLD_NS,
						     .a = NOTIF_BH_CTX });
}

/* notif_irq_thread_fn -> optee_do_bottom_half(optee->ctx) */
static void notif_thread_fn(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct optee_call *c = &t->call;
	ree_optee_bh_mark(r, pe);
	c->cmd = OPTEE_MSG_CMD_DO_BOTTOM_HALF;
	c->param = 0;
	c->tag = PE_NOTIF_ANY;
	c->done = bh_done_thread;
	ree_optee_call_task(t, pe);
}

/* notif_pcpu_irq_work_fn */
static void notif_work_fn(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct optee_call *c = &t->call;
	ree_optee_bh_mark(r, pe);
	c->cmd = OPTEE_MSG_CMD_DO_BOTTOM_HALF;
	c->param = 0;
	c->tag = PE_NOTIF_ANY;
	c->done = bh_done_work;
	ree_optee_call_task(t, pe);
}

void ree_optee_do_bottom_half(struct ree_task *t, struct pe *pe, bool ffa,
			      void (*done)(struct optee_call *c, struct pe *pe, uint64_t rc))
{
	struct optee_call *c = &t->call;
	(void)ffa;
	c->cmd = OPTEE_MSG_CMD_DO_BOTTOM_HALF;
	c->param = 0;
	c->tag = PE_NOTIF_ANY;
	c->done = done;
	ree_optee_call_task(t, pe);
}

/* cpuhp callbacks of init_pcpu_irq (CPUHP_AP_ONLINE_DYN) */
void ree_optee_cpuhp(struct ree *r, struct pe *pe, unsigned cpu, bool online)
{
	(void)cpu;
	if (r->cfg.abi == REE_ABI_SMC && r->optee->ok && r->optee->notif_irq && r->optee->notif_irq->percpu)
		ree_percpu_irq_enable(r, pe, r->optee->notif_irq, online);
}

/* ---- probe (§2.1) -------------------------------------------------------------------- */

enum { P_UID, P_OS_REV, P_REV, P_THREADS, P_CAPS, P_SGI, P_IRQ, P_ENABLE, P_DONE };

/*
 * optee_probe fails: the whole driver is absent (no /dev/tee0, no TA calls,
 * no notifications; docs/protocol.md §9.4). The record names why.
 */
static void probe_fail(struct ree_task *t, struct pe *pe, const char *why)
{
	struct ree *r = t->r;
	sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_EVENT,
						     .code = SIM_EV_PROBE_FAILED, .cpu = (int32_t)pe_id(pe),
						     .world = SIM_WORLD_NS, .label = why });
	r->optee->ok = false;
	r->optee->probe_done(t, pe);
}

static void probe_smc(struct ree_task *t, struct pe *pe, uint32_t fid, uint64_t a1);

static void probe_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	const uint64_t *x = pe_regs(pe);

	switch (r->optee->probe_step) {
	case P_UID:
		if (x[0] != OPTEE_MSG_UID_0 || x[1] != OPTEE_MSG_UID_1 || x[2] != OPTEE_MSG_UID_2 ||
		    x[3] != OPTEE_MSG_UID_3) {
			probe_fail(t, pe, "optee: api uid mismatch");
			return;
		}
		r->optee->probe_step = P_OS_REV;
		probe_smc(t, pe, OPTEE_SMC_CALL_GET_OS_REVISION, 0);
		return;
	case P_OS_REV:
		r->optee->probe_step = P_REV;
		probe_smc(t, pe, OPTEE_SMC_CALLS_REVISION, 0);
		return;
	case P_REV:
		if (x[0] != OPTEE_MSG_REVISION_MAJOR || (int64_t)x[1] < OPTEE_MSG_REVISION_MINOR) {
			probe_fail(t, pe, "optee: api revision mismatch");
			return;
		}
		r->optee->probe_step = P_THREADS;
		probe_smc(t, pe, OPTEE_SMC_GET_THREAD_COUNT, 0);
		return;
	case P_THREADS:
		r->optee->thread_count = x[0] == OPTEE_SMC_RETURN_OK ? (unsigned)x[1] : 0;
		/* optee_cq_init(&call_queue, thread_count) (6.8+): the driver counts free threads */
		r->optee->cq_total = r->cfg.cq_ethread_limit ? 0 : r->optee->thread_count;
		r->optee->cq_free = r->optee->cq_total;
		r->optee->probe_step = P_CAPS;
		probe_smc(t, pe, OPTEE_SMC_EXCHANGE_CAPABILITIES, 0);
		return;
	case P_CAPS:
		if (x[0] != OPTEE_SMC_RETURN_OK) {
			probe_fail(t, pe, "optee: capabilities mismatch");
			return;
		}
		r->optee->sec_caps = x[1];
		r->optee->max_notif = (r->optee->sec_caps & OPTEE_SMC_SEC_CAP_ASYNC_NOTIF) ? (unsigned)x[2]
									    : OPTEE_DEFAULT_MAX_NOTIF_VALUE;
		r->optee->ok = true;
		if (!(r->optee->sec_caps & OPTEE_SMC_SEC_CAP_ASYNC_NOTIF)) {
			ree_trace(r, pe, "optee: no asynchronous notifications", 0, 0);
			r->optee->probe_done(t, pe);
			return;
		}
		if (r->cfg.notif_intid < 0 && r->cfg.abi == REE_ABI_SMC) {
			/* PROPOSAL: no `interrupts` in the DT; ask for a donated SGI */
			r->optee->probe_step = P_SGI;
			probe_smc(t, pe, OPTEE_SMC_TZSIM_GET_NOTIF_SGI, 0);
			return;
		}
		r->optee->probe_step = P_IRQ;
		probe_ret(t, pe);
		return;
	case P_SGI:
		if (x[0] != OPTEE_SMC_RETURN_OK) {
			probe_fail(t, pe, "optee: platform_get_irq: -ENXIO: the DT's optee node has no interrupts "
					  "while OP-TEE advertises asynchronous notifications");
			return;
		}
		r->cfg.notif_intid = (int)x[1];
		r->cfg.notif_percpu = true;
		r->optee->probe_step = P_IRQ;
		probe_ret(t, pe);
		return;
	case P_IRQ: {
		/* optee_smc_notif_init_irq: per-CPU if the IRQ is percpu_devid (a PPI or SGI) */
		unsigned id = (unsigned)r->cfg.notif_intid;
		bool percpu = id < 32;
		struct ree_irq *d;
		if (percpu) {
			d = ree_request_irq(r, id, true, r->cfg.notif_level, notif_irq_handler, NULL,
					    "optee_pcpu_notification");
			r->optee->notif_irq = d;
			/* init_pcpu_irq: INIT_WORK(&notif_pcpu_work), create_workqueue("optee_pcpu_notification") */
			ree_init_work(&r->optee->notif_pcpu_work, notif_work_fn, r, "notif_pcpu_work");
			r->optee->notif_pcpu_wq = ree_create_workqueue(r, "optee_pcpu_notification");
			/* cpuhp_setup_state: the startup callback runs on every online CPU */
			for (unsigned c = 0; c < r->cfg.num_pes; c++)
				if (r->cpu[c].online)
					ree_percpu_irq_enable(r, r->pes[c], d, true);
		} else {
			d = ree_request_irq(r, id, false, r->cfg.notif_level, notif_irq_handler,
					    notif_thread_fn, "optee_notification");
			r->optee->notif_irq = d;
			d->affinity = (int)r->cfg.irq_affinity;
			d->effective = r->cpu[r->cfg.irq_affinity].online ? (int)r->cfg.irq_affinity : 0;
			ree_irq_enable(r, pe, d);
		}
		r->optee->probe_step = P_ENABLE;
		probe_smc(t, pe, OPTEE_SMC_ENABLE_ASYNC_NOTIF, 0);
		return;
	}
	case P_ENABLE:
		/* enable_async_notif's result is ignored */
		ree_trace(r, pe, "optee: Asynchronous notifications enabled", r->cfg.notif_intid, 0);
		r->optee->probe_step = P_DONE;
		r->optee->probe_done(t, pe);
		return;
	}
}

static void probe_smc(struct ree_task *t, struct pe *pe, uint32_t fid, uint64_t a1)
{
	uint64_t x[8] = { fid, a1 };
	pe_smc(pe, x, probe_ret, t);
}

void ree_optee_probe(struct ree_task *t, struct pe *pe, ree_task_fn done)
{
	struct ree *r = t->r;
	r->optee->probe_done = done;
	if (!r->cfg.optee_present) {
		probe_fail(t, pe, "optee: no linaro,optee-tz node");
		return;
	}
	if (!r->cfg.method_smc) {
		probe_fail(t, pe, "optee: method is not smc");
		return;
	}
	r->optee->probe_step = P_UID;
	probe_smc(t, pe, OPTEE_SMC_CALLS_UID, 0);
}
