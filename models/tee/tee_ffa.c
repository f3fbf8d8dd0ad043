// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/tee_ffa.c: OP-TEE over FF-A, and FF-A notifications with the
 * Schedule Receiver Interrupt (OP-TEE core/arch/arm/kernel/thread_spmc.c;
 * docs/protocol.md §3.2, §3.3, §4).
 *
 * Two placements of the SPMC, chosen by transport.spmc; TF-A's SPMD
 * (models/monitor/mon_spmd.c) forwards the normal world's FF-A calls to it:
 *  - s-el1: OP-TEE is the SPMC (CFG_CORE_SEL1_SPMC, QEMU's SRI is SGI 8).
 *    It answers the notification calls itself; its notif_send_async sets
 *    the pending bit and raises the SRI with ICC_ASGI1R_EL1 on the current
 *    CPU.
 *  - s-el2: Hafnium is the SPMC (ffa_sel2.c) and OP-TEE its partition: its
 *    notif_send_async is FFA_NOTIFICATION_SET with the delay-SRI flag, an
 *    SMC that Hafnium traps; Hafnium answers the notification calls.
 * The notification ABI (tee_ffa_spmc_call) is one piece of code for both,
 * with Hafnium's differences: INFO_GET reports a pending notification once
 * (until GET), and a SET from the normal world is Hafnium's to judge.
 * OP-TEE's yielding calls travel as FFA_MSG_SEND_DIRECT_REQ/RESP with the
 * OPTEE_FFA_YIELDING_CALL_* codes; a secure interrupt handled while the
 * normal world ran ends with FFA_NORMAL_WORLD_RESUME (OP-TEE as the SPMC)
 * or FFA_MSG_WAIT (OP-TEE as a partition).
 *
 * FF-A with TF-A's EL3 SPMC has no notifications at all (spmc_main.c
 * spmc_smc_handler handles no FFA_NOTIFICATION_*), so tzsim does not offer
 * it.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "tee_internal.h"
#include "models/gic/gic.h"

/* The FF-A state, made by tee_ffa_attach (a wiring bug to ask before). */
struct tee_ffa *tee_ffa_state(struct tee *t)
{
	assert(t->ffa);
	return t->ffa;
}

void tee_ffa_free(struct tee *t)
{
	if (t->ffa) {
		free(t->ffa->vintid);
		free(t->ffa->to_ns);
	}
	free(t->ffa);
}

static bool sel2(const struct tee *t) { return t->cfg.spmc == TEE_SPMC_SEL2; }

/* ---- the SPMC: notification ABI ------------------------------------------------------ */

static void ffa_ok(uint64_t r[8], uint32_t fid)
{
	memset(r, 0, 8 * sizeof(*r));
	r[0] = fid;
}

static void ffa_err(uint64_t r[8], int code)
{
	memset(r, 0, 8 * sizeof(*r));
	r[0] = FFA_ERROR;
	r[2] = (uint64_t)(int64_t)code;
}

/* The FF-A bitmap of VM 0: OP-TEE's pending DO_BOTTOM_HALF maps to the chosen bit. */
static uint64_t pending_bitmap(struct tee *t)
{
	struct tee_ffa *f = tee_ffa_state(t);
	return (t->pending & 1) && f->bh_bit >= 0 ? 1ull << f->bh_bit : 0;
}

void tee_ffa_spmc_call(struct tee *t, struct pe *pe, uint64_t r[8])
{
	struct tee_ffa *f = tee_ffa_state(t);
	uint32_t fid = (uint32_t)pe_regs(pe)[0];
	const uint64_t *x = pe_regs(pe);

	switch (fid) {
	case FFA_FEATURES:
		if (x[1] == FFA_FEATURE_SRI) {
			ffa_ok(r, FFA_SUCCESS_32);
			/* OP-TEE: its donated SGI (handle_features); Hafnium: HF_SCHEDULE_RECEIVER_INTID (api.c) */
			r[2] = sel2(t) ? HF_SCHEDULE_RECEIVER_INTID : t->cfg.intid;
		} else if (x[1] == FFA_NOTIFICATION_BITMAP_CREATE || x[1] == FFA_NOTIFICATION_BIND ||
			   x[1] == FFA_NOTIFICATION_GET || x[1] == FFA_NOTIFICATION_INFO_GET_64 ||
			   x[1] == FFA_MSG_SEND_DIRECT_REQ_32 || (sel2(t) && x[1] == FFA_NOTIFICATION_SET)) {
			ffa_ok(r, FFA_SUCCESS_32);
		} else {
			ffa_err(r, FFA_RET_NOT_SUPPORTED);
		}
		return;
	case FFA_NOTIFICATION_BITMAP_CREATE:
		if (f->created || x[1] != 0) {
			ffa_err(r, FFA_RET_DENIED);
			return;
		}
		f->created = true;
		ffa_ok(r, FFA_SUCCESS_32);
		return;
	case FFA_NOTIFICATION_BIND: {
		uint64_t bits = (x[3] & 0xffffffff) | (x[4] << 32);
		/* "We only deal with global notifications" (thread_spmc.c) */
		if (x[2] != 0 || (f->bound & bits) || !f->created) {
			ffa_err(r, FFA_RET_DENIED);
			return;
		}
		f->bound |= bits;
		ffa_ok(r, FFA_SUCCESS_32);
		return;
	}
	case FFA_NOTIFICATION_INFO_GET_64:
		/*
		 * VM 0 in one list of one id (a global notification). OP-TEE's
		 * SPMC (handle_notification_info_get) reports it while anything
		 * is pending; Hafnium (vm.c vm_notifications_state_info_get)
		 * reports only what is pending and not yet reported, and marks it
		 * retrieved until GET. No more-pending bit: one receiver.
		 */
		if (!pending_bitmap(t) || (sel2(t) && f->info_retrieved)) {
			ffa_err(r, FFA_RET_NO_DATA);
			return;
		}
		f->info_retrieved = true;
		ffa_ok(r, FFA_SUCCESS_64);
		r[2] = 1u << 7; /* one list; its size field 0 = one id: a global notification */
		r[3] = 0;       /* VM 0 */
		tee_trace(t, pe, TR_EVENT, 0, pending_bitmap(t), 0, 0, 0, "FFA INFO_GET");
		return;
	case FFA_NOTIFICATION_GET: {
		ffa_ok(r, FFA_SUCCESS_32);
		if (x[2] & FFA_NOTIF_GET_SP_BITMAP) {
			unsigned v;
			bool more;
			uint64_t bits = pending_bitmap(t);
			/* GET returns and clears, and ends info_get_retrieved: every pending send is fetched now */
			while (bits && tee_notif_get(t, pe, &v, &more))
				;
			f->info_retrieved = false;
			r[2] = bits & 0xffffffff; /* reg_pair_from_64(pending, &w3, &w2) */
			r[3] = bits >> 32;
		}
		/* w6 (FFA_NOTIF_GET_SPM_BITMAP): no SPM-framework notifications pend here */
		return;
	}
	case FFA_NOTIFICATION_SET:
		/*
		 * From the normal world. Hafnium api_ffa_notification_set: the
		 * delay-SRI flag "can only be set at the secure virtual FF-A
		 * instance"; otherwise OP-TEE bound no notification from a VM, so
		 * the binding check denies it.
		 */
		if (sel2(t) && (x[2] & FFA_NOTIF_FLAG_DELAY_SRI)) {
			ffa_err(r, FFA_RET_INVALID_PARAMETERS);
			return;
		}
		ffa_err(r, sel2(t) ? FFA_RET_DENIED : FFA_RET_NOT_SUPPORTED);
		return;
	default:
		ffa_err(r, FFA_RET_NOT_SUPPORTED);
		return;
	}
}

/* ---- OP-TEE as the receiver of direct requests ------------------------------------- */

/*
 * The responses of Linux optee_ffa.h (OPTEE_FFA_YIELDING_CALL_*): w3 0 (or
 * an error, TEEC_ERROR_BUSY when out of threads), w4 RETURN_DONE /
 * RETURN_RPC_CMD / RETURN_INTERRUPT, w7 the resume info for an RPC (the
 * thread); w5-w6 MBZ. The call's result and an RPC's command travel in the
 * shared-memory message, not in registers.
 */
void tee_ffa_call_exit(struct tee *t, struct pe *pe, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t r[8] = { FFA_MSG_SEND_DIRECT_RESP_32, (uint64_t)FFA_OPTEE_ID << 16, 0, 0, 0, 0, 0, 0 };
	(void)t, (void)a1, (void)a2;
	switch (a0) {
	case OPTEE_SMC_RETURN_ETHREAD_LIMIT:
		r[3] = TEEC_ERROR_BUSY; /* "Number of OP-TEE OS threads exceeded, try again later" */
		break;
	case OPTEE_SMC_RETURN_RPC_FOREIGN_INTR:
		r[4] = OPTEE_FFA_YIELDING_CALL_RETURN_INTERRUPT;
		r[7] = a3; /* resume info: the thread */
		break;
	case OPTEE_SMC_RETURN_RPC_CMD:
		r[4] = OPTEE_FFA_YIELDING_CALL_RETURN_RPC_CMD;
		r[7] = a3;
		break;
	case OPTEE_SMC_RETURN_ERESUME:
	case OPTEE_SMC_RETURN_EBADADDR:
		r[3] = (uint64_t)(int64_t)FFA_RET_INVALID_PARAMETERS;
		break;
	default:
		r[4] = OPTEE_FFA_YIELDING_CALL_RETURN_DONE;
		break;
	}
	tee_return8(pe, r);
}

static void direct_req(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	struct tee_ffa *f = tee_ffa_state(t);
	uint64_t w3 = pe_regs(pe)[3] & 0xffffffff;
	uint64_t r[8] = { FFA_MSG_SEND_DIRECT_RESP_32, (uint64_t)FFA_OPTEE_ID << 16, 0, 0, 0, 0, 0, 0 };

	/*
	 * Linux optee_ffa.h / ffa_abi.c optee_ffa_do_call_with_arg: WITH_ARG has
	 * w4 the lower and w5 the upper 32 bits of the shared memory's global
	 * handle, w6 the offset of the struct optee_msg_arg; RESUME has the
	 * resume info (the thread) in w7, w4-w6 MBZ.
	 */
	if (w3 == OPTEE_FFA_YIELDING_CALL_WITH_ARG) {
		tee_yield_start(t, pe, reg_pair_to_64(pe_regs(pe)[5], pe_regs(pe)[4]), pe_regs(pe)[6] & 0xffffffff,
				true);
		return;
	}
	if (w3 == OPTEE_FFA_YIELDING_CALL_RESUME) {
		tee_yield_resume(t, pe, pe_regs(pe)[7] & 0xffffffff, true);
		return;
	}
	switch (w3) {
	case OPTEE_FFA_EXCHANGE_CAPABILITIES:
		r[4] = 6; /* RPC parameter count */
		r[5] = t->cfg.async_notif ? OPTEE_FFA_SEC_CAP_ASYNC_NOTIF : 0;
		r[6] = NOTIF_SYNC_VALUE_BASE + t->cfg.threads;
		break;
	case OPTEE_FFA_ENABLE_ASYNC_NOTIF:
		/* w4 = the bottom-half bit (< 64); then STARTED */
		if (pe_regs(pe)[4] >= 64 || !t->cfg.async_notif) {
			r[3] = (uint64_t)(int64_t)FFA_RET_INVALID_PARAMETERS;
			break;
		}
		f->bh_bit = (int)pe_regs(pe)[4];
		if (!t->started) {
			t->started = true;
			tee_trace(t, pe, TR_EVENT, 0, pe_regs(pe)[4], 0, 0, 0, "notif STARTED");
		}
		break;
	default:
		r[3] = (uint64_t)(int64_t)FFA_RET_NOT_SUPPORTED;
		break;
	}
	tee_return8(pe, r);
}

void tee_ffa_direct_entry(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "OP-TEE FF-A direct request", direct_req, ctx);
}

/* OP-TEE's entry for an FF-A call the SPMD forwarded to it as the SPMC (s-el1). */
static void sel1_handle(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t r[8];
	if ((uint32_t)pe_regs(pe)[0] == FFA_MSG_SEND_DIRECT_REQ_32) {
		direct_req(t, pe);
		return;
	}
	tee_ffa_spmc_call(t, pe, r);
	tee_return8(pe, r);
}

static void sel1_entry(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "OP-TEE SPMC", sel1_handle, ctx);
}

/*
 * The SRI to this CPU only: OP-TEE's interrupt_raise_sgi(...,
 * ITR_CPU_MASK_TO_THIS_CPU), Hafnium's gicv3_send_sgi(..., false): a Group 1
 * SGI for the other security state, ICC_ASGI1R_EL1.
 */
void tee_ffa_send_sri(struct tee *t, struct pe *pe)
{
	uint64_t aff = pe_mpidr(pe_id(pe));
	unsigned id = sel2(t) ? HF_SCHEDULE_RECEIVER_INTID : t->cfg.intid;
	pe_icc_write(pe, ICC_ASGI1R_EL1,
		     ((uint64_t)id << ICC_SGIR_INTID_SHIFT) | (((aff >> 8) & 0xff) << ICC_SGIR_AFF1_SHIFT) |
			     (1ull << (aff & 0xf)));
	pe_charge(pe, SIM_COST_GIC_SYSREG);
}

int tee_ffa_attach(struct tee *t, struct mon *m)
{
	if (!t->ffa) {
		t->ffa = calloc(1, sizeof(*t->ffa));
		if (!t->ffa)
			return -1;
		t->ffa->vintid = calloc(t->cfg.num_pes, sizeof(uint64_t));
		t->ffa->to_ns = calloc(t->cfg.num_pes, sizeof(*t->ffa->to_ns));
		if (!t->ffa->vintid || !t->ffa->to_ns)
			return -1; /* tee_free -> tee_ffa_free frees what was made */
		t->ffa->bh_bit = -1;
	}
	if (sel2(t)) {
		tee_sel2_attach(t, m);
		return 0;
	}
	/* OP-TEE is the SPMC: the SPMD enters it at S-EL1 for calls and for FFA_INTERRUPT */
	mon_set_spmc(m, &(struct mon_spmc){ 1, sel1_entry, tee_itr_entry, t });
	return 0;
}

/* ---- the transport: notif_send_async over FF-A ---------------------------------------- */

static void set_returned(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	/* thread_spmc.c: "notification set failed with error %d", then panic() */
	if ((uint32_t)pe_regs(pe)[0] != FFA_SUCCESS_32)
		tee_trace(t, pe, TR_EVENT, 0, pe_regs(pe)[2], 0, 0, 0, "OP-TEE: notification set failed");
	t->ffa_done(t->ffa_done_ctx, pe);
}

static void ffa_raise(struct tee *t, struct pe *pe, pe_fn done, void *ctx)
{
	if (sel2(t)) {
		/*
		 * OP-TEE as Hafnium's partition (thread_spmc.c notif_send_async,
		 * !CFG_CORE_SEL1_SPMC): ffa_set_notification(VM 0, OP-TEE, flags
		 * BIT32(1) = delay SRI, global, BIT64(the bottom-half id)): w1 =
		 * sender << 16 | receiver, w2 the flags, w3:w4 the bitmap.
		 */
		uint64_t bit = tee_ffa_state(t)->bh_bit >= 0 ? 1ull << tee_ffa_state(t)->bh_bit : 0;
		uint64_t x[8] = { FFA_NOTIFICATION_SET, (uint64_t)FFA_OPTEE_ID << 16, FFA_NOTIF_FLAG_DELAY_SRI,
				  bit & 0xffffffff, bit >> 32, 0, 0, 0 };
		t->ffa_done = done;
		t->ffa_done_ctx = ctx;
		pe_smc(pe, x, set_returned, t);
		return;
	}
	/* OP-TEE's SPMC: nvb->pending |= BIT64(the bottom-half id), interrupt_raise_sgi(this CPU) */
	tee_ffa_send_sri(t, pe);
	done(ctx, pe);
}

static void ffa_read(struct tee *t, struct pe *pe, bool empty)
{
	(void)t, (void)pe, (void)empty;
}

/*
 * The SRI is an SGI configured Non-secure Group 1: by OP-TEE as the SPMC
 * (gic_init_donate_sgi_to_ns), by Hafnium at S-EL2
 * (ffa_notifications_sri_init). tzsim makes both from OP-TEE's boot and
 * CPU-on hooks, the same writes.
 */
static void ffa_init(struct tee *t, struct pe *pe)
{
	for (unsigned i = 0; i < t->cfg.num_pes; i++)
		tee_donate_sgi(t, pe, i);
	tee_trace(t, pe, TR_EVENT, 0, t->cfg.intid, 0, 0, 0,
		  sel2(t) ? "SRI configured Non-secure (Hafnium)" : "SRI donated to Non-secure G1");
}

static void ffa_init_cpu(struct tee *t, struct pe *pe) { tee_donate_sgi(t, pe, pe_id(pe)); }

const struct tee_transport tee_transport_ffa = { "ffa", ffa_init, ffa_raise, ffa_read, ffa_init_cpu };
