// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/tee_ffa.c: FF-A notifications with the Schedule Receiver
 * Interrupt (protocol.md §3.2, §3.3, §4).
 *
 * Two placements of the SPMC, chosen by transport.spmc:
 *  - s-el1: OP-TEE is the SPMC (CFG_CORE_SEL1_SPMC, QEMU's SRI is SGI 8).
 *    TF-A's SPMD forwards every FF-A call from the normal world into OP-TEE
 *    (a world switch each way); OP-TEE's notif_send_async sets the pending
 *    bit and raises the SRI with ICC_ASGI1R_EL1 on the current CPU.
 *  - el3: the SPMC lives in the monitor (TF-A's EL3 SPMC). Notification
 *    calls are served at EL3 without a world switch; OP-TEE is a partition
 *    that signals with FFA_NOTIFICATION_SET (SMC, delay-SRI flag); direct
 *    requests still reach OP-TEE through a world switch. The delayed SRI is
 *    raised when that PE next returns to the normal world (the monitor's
 *    NS-exit hook), as the SPM documentation describes for a delayed SRI.
 * The SPMC logic is one piece of code for both: per-VM state for the host
 * (VM 0): bitmap created, bound and pending bitmaps; BIND only for global
 * notifications; INFO_GET reports without clearing; GET returns and clears.
 * OP-TEE's yielding calls travel as FFA_MSG_SEND_DIRECT_REQ/RESP with the
 * OPTEE_FFA_YIELDING_CALL_* codes; a secure interrupt handled while the
 * normal world ran ends with FFA_NORMAL_WORLD_RESUME.
 */
#include <stdlib.h>
#include <string.h>

#include "tee_internal.h"
#include "models/gic/gic.h"

struct tee_ffa {
	uint64_t sri_due;   /* EL3 SPMC: PEs owing a delayed SRI on their next exit to NS */
	bool created;       /* NOTIFICATION_BITMAP_CREATE for VM 0 */
	uint64_t bound;
	int bh_bit;         /* the bit Linux chose in OPTEE_FFA_ENABLE_ASYNC_NOTIF, -1 none */
};

static struct tee_ffa *ffa_state(struct tee *t)
{
	if (!t->ffa) {
		t->ffa = calloc(1, sizeof(*t->ffa));
		if (!t->ffa)
			abort();
		t->ffa->bh_bit = -1;
	}
	return t->ffa;
}

void tee_ffa_free(struct tee *t) { free(t->ffa); }

static bool el3_spmc(const struct tee *t) { return t->cfg.spmc == TEE_SPMC_EL3; }

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
	struct tee_ffa *f = ffa_state(t);
	return (t->pending & 1) && f->bh_bit >= 0 ? 1ull << f->bh_bit : 0;
}

static void spmc_call(struct tee *t, struct pe *pe, uint64_t r[8])
{
	struct tee_ffa *f = ffa_state(t);
	uint32_t fid = (uint32_t)pe_regs(pe)[0];
	const uint64_t *x = pe_regs(pe);

	switch (fid) {
	case FFA_FEATURES:
		if (x[1] == FFA_FEATURE_SRI) {
			ffa_ok(r, FFA_SUCCESS_32);
			r[2] = t->cfg.intid; /* the donated SGI (handle_features) */
		} else if (x[1] == FFA_NOTIFICATION_BITMAP_CREATE || x[1] == FFA_NOTIFICATION_BIND ||
			   x[1] == FFA_NOTIFICATION_GET || x[1] == FFA_NOTIFICATION_INFO_GET_64 ||
			   x[1] == FFA_MSG_SEND_DIRECT_REQ_32) {
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
		/* Reports VM 0 while anything is pending; INFO_GET does not clear. */
		if (!pending_bitmap(t)) {
			ffa_err(r, FFA_RET_NO_DATA);
			return;
		}
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
			/* GET returns and clears: every pending send is fetched now */
			while (bits && tee_notif_get(t, pe, &v, &more))
				;
			r[2] = bits & 0xffffffff;
			r[3] = bits >> 32;
		}
		return;
	}
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
		r[3] = (uint64_t)(int64_t)FFA_RET_INVALID_PARAMETERS;
		break;
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
	struct tee_ffa *f = ffa_state(t);
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

/* OP-TEE's entry for an FF-A call forwarded by the SPMD (S-EL1 SPMC). */
static void sel1_handle(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t r[8];
	if ((uint32_t)pe_regs(pe)[0] == FFA_MSG_SEND_DIRECT_REQ_32) {
		direct_req(t, pe);
		return;
	}
	spmc_call(t, pe, r);
	tee_return8(pe, r);
}

static void sel1_entry(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "OP-TEE SPMC", sel1_handle, ctx);
}

static void direct_entry(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "OP-TEE FF-A direct request", direct_req, ctx);
}

/* ---- the EL3 side: SPMD forwarding, or the EL3 SPMC --------------------------------- */

static void el3_done(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t r[8];
	spmc_call(t, pe, r);
	pe_smc_return8(pe, r);
}

static void raise_sri(struct tee *t, struct pe *pe)
{
	uint64_t aff = pe_mpidr(pe_id(pe));
	/* the SRI goes to the current CPU only (ITR_CPU_MASK_TO_THIS_CPU) */
	pe_icc_write(pe, ICC_ASGI1R_EL1,
		     ((uint64_t)t->cfg.intid << ICC_SGIR_INTID_SHIFT) | (((aff >> 8) & 0xff) << ICC_SGIR_AFF1_SHIFT) |
			     (1ull << (aff & 0xf)));
}

static void el3_set_done(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	uint64_t r[8];
	/*
	 * The pending bit was set by notif_send_async before the call. With the
	 * delay-SRI flag the SPMC raises the SRI when this PE next returns to
	 * the normal world (secure-partition-manager.rst: "a delayed SRI is
	 * triggered when returning to the normal world").
	 */
	if (pe_regs(pe)[2] & FFA_NOTIF_FLAG_DELAY_SRI)
		ffa_state(t)->sri_due |= 1ull << pe_id(pe);
	else
		raise_sri(t, pe);
	ffa_ok(r, FFA_SUCCESS_32);
	pe_smc_return8(pe, r);
}

/* The monitor's exit to the normal world: raise a delayed SRI owed by this PE. */
static void el3_ns_exit(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	struct tee_ffa *f = ffa_state(t);
	if (!(f->sri_due >> pe_id(pe) & 1))
		return;
	f->sri_due &= ~(1ull << pe_id(pe));
	raise_sri(t, pe);
}

static void ffa_smc(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	const struct pe_frame *caller = pe_top_frame(pe);
	uint32_t fid = (uint32_t)pe_regs(pe)[0];

	if (caller && caller->world == SIM_WORLD_S) {
		uint64_t r[8];
		memcpy(r, pe_regs(pe), sizeof(r));
		switch (fid) {
		case FFA_MSG_SEND_DIRECT_RESP_32:
		case FFA_SUCCESS_32:
		case FFA_SUCCESS_64:
		case FFA_ERROR:
			/* the SPMD forwards the secure side's answer to the normal world */
			pe_smc_discard(pe);
			mon_return_ns8(t->mon, pe, r);
			return;
		case FFA_NORMAL_WORLD_RESUME:
			pe_smc_discard(pe);
			mon_resume_ns(t->mon, pe);
			return;
		case FFA_NOTIFICATION_SET:
			if (el3_spmc(t)) {
				pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "EL3 SPMC", el3_set_done, t);
				return;
			}
			break;
		default:
			break;
		}
		ffa_err(r, FFA_RET_NOT_SUPPORTED);
		pe_smc_return8(pe, r);
		return;
	}
	if (fid == FFA_MSG_SEND_DIRECT_REQ_32) {
		mon_enter_secure(t->mon, pe, direct_entry, t);
		return;
	}
	if (el3_spmc(t)) {
		pe_exec_cost(pe, SIM_COST_SPMC_HANDLER, "EL3 SPMC", el3_done, t);
		return;
	}
	mon_enter_secure(t->mon, pe, sel1_entry, t);
}

void tee_ffa_attach(struct tee *t, struct mon *m)
{
	ffa_state(t);
	t->mon = m;
	mon_set_ffa(m, ffa_smc, t);
	if (el3_spmc(t))
		mon_set_ns_exit_hook(m, el3_ns_exit, t);
}

/* ---- the transport: notif_send_async over FF-A ---------------------------------------- */

static void ffa_init(struct tee *t, struct pe *pe);
static void ffa_init_cpu(struct tee *t, struct pe *pe);

static void set_returned(void *ctx, struct pe *pe)
{
	struct tee *t = ctx;
	t->ffa_done(t->ffa_done_ctx, pe);
}

static void ffa_raise(struct tee *t, struct pe *pe, pe_fn done, void *ctx)
{
	if (el3_spmc(t)) {
		/* OP-TEE as a partition: FFA_NOTIFICATION_SET(OP-TEE -> VM 0, delay SRI, the bit) */
		uint64_t bit = ffa_state(t)->bh_bit >= 0 ? 1ull << ffa_state(t)->bh_bit : 0;
		uint64_t x[8] = { FFA_NOTIFICATION_SET, (uint64_t)FFA_OPTEE_ID << 16, FFA_NOTIF_FLAG_DELAY_SRI,
				  bit & 0xffffffff, bit >> 32, 0, 0, 0 };
		t->ffa_done = done;
		t->ffa_done_ctx = ctx;
		pe_smc(pe, x, set_returned, t);
		return;
	}
	raise_sri(t, pe);
	done(ctx, pe);
}

static void ffa_read(struct tee *t, struct pe *pe, bool empty)
{
	(void)t, (void)pe, (void)empty;
}

/* The SRI is an SGI donated to the normal world, as for the SGI transport. */
static void ffa_init(struct tee *t, struct pe *pe)
{
	for (unsigned i = 0; i < t->cfg.num_pes; i++)
		tee_donate_sgi(t, pe, i);
	tee_trace(t, pe, TR_EVENT, 0, t->cfg.intid, 0, 0, 0, "SRI donated to Non-secure G1");
}

static void ffa_init_cpu(struct tee *t, struct pe *pe) { tee_donate_sgi(t, pe, pe_id(pe)); }

const struct tee_transport tee_transport_ffa = { "ffa", ffa_init, ffa_raise, ffa_read, ffa_init_cpu };
