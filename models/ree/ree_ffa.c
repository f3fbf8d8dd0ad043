// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_ffa.c: the arm_ffa driver's notification path and the
 * OP-TEE FF-A ABI (Linux drivers/firmware/arm_ffa/driver.c, drivers/tee/
 * optee/ffa_abi.c; docs/protocol.md §2.8, §4.3).
 *
 * Setup: FFA_FEATURES(BITMAP_CREATE) -> NOTIFICATION_BITMAP_CREATE (VM 0);
 * FFA_FEATURES(SRI) -> the SRI's INTID, request_percpu_irq and a cpuhp
 * state enabling it per CPU; OPTEE_FFA_EXCHANGE_CAPABILITIES; BIND of the
 * first free id (global); OPTEE_FFA_ENABLE_ASYNC_NOTIF with that id.
 * SRI: hard IRQ on the CPU the SGI targeted -> queue_work on that CPU ->
 * INFO_GET -> (one global list: VM 0) -> GET (SP and SPM-framework
 * bitmaps) -> for each set id the OP-TEE callback (ffa_abi.c
 * notif_callback): the bottom-half id queues notif_work on the
 * optee_notification workqueue, whose function runs optee_do_bottom_half as
 * a direct-request yielding call (Linux 6.12.37+, v6.16; with ffa_bh_inline
 * the callback runs it itself, as 6.8 to 6.12.36 did); other ids go to
 * optee_notif_send; then INFO_GET again while the last answer had its
 * more-pending bit set. All of the FF-A steps run in workqueues, not in
 * hard-IRQ context.
 */
#include <stdlib.h>
#include <string.h>

#include "ree_optee.h"

enum { F_FEAT_BITMAP, F_CREATE, F_FEAT_SRI, F_CAPS, F_BIND, F_ENABLE, F_DONE };

/* The arm_ffa driver's notification state (drivers/firmware/arm_ffa/driver.c). */
struct ree_ffa {
	int step;                     /* probe step */
	unsigned sri;                 /* the Schedule Receiver Interrupt's INTID */
	unsigned bh_id;               /* the notification id bound for the bottom half */
	/* ffa_init_pcpu_irq: ONE sched_recv_irq_work on create_workqueue("ffa_pcpu_irq_notification") */
	struct ree_work sched_recv_irq_work;
	struct ree_wq *notif_pcpu_wq;
	bool sri_first[REE_MAX_CPUS];
	bool info_more[REE_MAX_CPUS]; /* the last INFO_GET's more-pending bit, per CPU running the loop */
};

int ree_ffa_init(struct ree *r)
{
	r->ffa = calloc(1, sizeof(*r->ffa));
	return r->ffa ? 0 : -1;
}

void ree_ffa_free(struct ree *r) { free(r->ffa); }

static void work_fn(struct ree_task *t, struct pe *pe);
static void notif_work_fn(struct ree_task *t, struct pe *pe);

static void sri_handled(void *ctx, struct pe *pe) { ree_irq_handled(ctx, pe, IRQ_HANDLED); }

static void sri_handler(struct ree *r, struct ree_irq *d, struct pe *pe)
{
	(void)d;
	/* driver.c ffa_sched_recv_irq_handler: queue_work(notif_pcpu_wq, &sched_recv_irq_work), in the hard IRQ */
	ree_queue_work_charged(r->ffa->notif_pcpu_wq, &r->ffa->sched_recv_irq_work, pe, sri_handled, r);
}

static void probe_fail(struct ree_task *t, struct pe *pe, const char *why)
{
	struct ree *r = t->r;
	ree_trace(r, pe, why, pe_regs(pe)[0], pe_regs(pe)[2]);
	r->optee->ok = false;
	r->optee->probe_done(t, pe);
}

static void probe_call(struct ree_task *t, struct pe *pe, const uint64_t *x);

static void probe_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	const uint64_t *x = pe_regs(pe);
	bool ok = (uint32_t)x[0] == FFA_SUCCESS_32 || (uint32_t)x[0] == FFA_MSG_SEND_DIRECT_RESP_32;

	switch (r->ffa->step) {
	case F_FEAT_BITMAP: {
		uint64_t c[8] = { FFA_NOTIFICATION_BITMAP_CREATE, 0 };
		if (!ok) {
			probe_fail(t, pe, "arm_ffa: notifications not supported");
			return;
		}
		r->ffa->step = F_CREATE;
		probe_call(t, pe, c);
		return;
	}
	case F_CREATE: {
		uint64_t c[8] = { FFA_FEATURES, FFA_FEATURE_SRI };
		if (!ok) {
			probe_fail(t, pe, "arm_ffa: NOTIFICATION_BITMAP_CREATE failed");
			return;
		}
		r->ffa->step = F_FEAT_SRI;
		probe_call(t, pe, c);
		return;
	}
	case F_FEAT_SRI: {
		uint64_t c[8] = { FFA_MSG_SEND_DIRECT_REQ_32, FFA_OPTEE_ID, 0, OPTEE_FFA_EXCHANGE_CAPABILITIES };
		struct ree_irq *d;
		if (!ok || x[2] >= 16) {
			probe_fail(t, pe, "arm_ffa: no schedule receiver interrupt");
			return;
		}
		/* ffa_irq_map(SRI): "assumed to be SGI donated to NS world"; a per-CPU IRQ */
		r->ffa->sri = (unsigned)x[2];
		d = ree_request_irq(r, r->ffa->sri, true, false, sri_handler, NULL, "ARM-FFA-SRI");
		r->optee->notif_irq = d;
		/* ffa_init_pcpu_irq: INIT_WORK(&sched_recv_irq_work), create_workqueue("ffa_pcpu_irq_notification") */
		ree_init_work(&r->ffa->sched_recv_irq_work, work_fn, r, "sched_recv_irq_work");
		r->ffa->notif_pcpu_wq = ree_create_workqueue(r, "ffa_pcpu_irq_notification");
		for (unsigned cpu = 0; cpu < r->cfg.num_pes; cpu++)
			if (r->cpu[cpu].online)
				ree_percpu_irq_enable(r, r->pes[cpu], d, true);
		r->ffa->step = F_CAPS;
		probe_call(t, pe, c);
		return;
	}
	case F_CAPS: {
		/* ffa_notification_bind_common: w1 = PACK_TARGET_INFO(sender OP-TEE, receiver our VM 0) */
		uint64_t c[8] = { FFA_NOTIFICATION_BIND, (uint64_t)FFA_OPTEE_ID << 16, 0, 1, 0 };
		if (!ok || x[3]) {
			probe_fail(t, pe, "optee: ffa capabilities failed");
			return;
		}
		r->optee->sec_caps = x[5];
		r->optee->max_notif = x[6] ? (unsigned)x[6] : OPTEE_DEFAULT_MAX_NOTIF_VALUE;
		r->optee->ok = true;
		if (!(r->optee->sec_caps & OPTEE_FFA_SEC_CAP_ASYNC_NOTIF)) {
			ree_trace(r, pe, "optee: no asynchronous notifications", 0, 0);
			r->optee->probe_done(t, pe);
			return;
		}
		/* optee_ffa_async_notif_init: create_workqueue("optee_notification"), then notify_request(id 0, global) = BIND */
		if (!r->cfg.ffa_bh_inline) {
			ree_init_work(&r->optee->ffa_notif_work, notif_work_fn, r, "notif_work");
			r->optee->ffa_notif_wq = ree_create_workqueue(r, "optee_notification");
		}
		r->ffa->bh_id = 0;
		r->ffa->step = F_BIND;
		probe_call(t, pe, c);
		return;
	}
	case F_BIND: {
		uint64_t c[8] = { FFA_MSG_SEND_DIRECT_REQ_32, FFA_OPTEE_ID, 0, OPTEE_FFA_ENABLE_ASYNC_NOTIF, r->ffa->bh_id };
		if (!ok) {
			probe_fail(t, pe, "optee: FFA_NOTIFICATION_BIND failed");
			return;
		}
		r->ffa->step = F_ENABLE;
		probe_call(t, pe, c);
		return;
	}
	case F_ENABLE:
		if (!ok || x[3]) {
			probe_fail(t, pe, "optee: OPTEE_FFA_ENABLE_ASYNC_NOTIF failed");
			return;
		}
		ree_trace(r, pe, "optee: Asynchronous notifications enabled", r->ffa->sri, r->ffa->bh_id);
		r->ffa->step = F_DONE;
		r->optee->probe_done(t, pe);
		return;
	}
}

static void probe_call(struct ree_task *t, struct pe *pe, const uint64_t *x) { pe_smc(pe, x, probe_ret, t); }

void ree_ffa_probe(struct ree_task *t, struct pe *pe, ree_task_fn done)
{
	uint64_t c[8] = { FFA_FEATURES, FFA_NOTIFICATION_BITMAP_CREATE };
	t->r->optee->probe_done = done;
	t->r->ffa->step = F_FEAT_BITMAP;
	probe_call(t, pe, c);
}

void ree_ffa_cpuhp(struct ree *r, struct pe *pe, unsigned cpu, bool online)
{
	(void)cpu;
	/* "ffa/pcpu-irq:starting": enable or disable the SRI on the CPU */
	if (r->cfg.abi == REE_ABI_FFA && r->optee->notif_irq && r->optee->notif_irq->percpu)
		ree_percpu_irq_enable(r, pe, r->optee->notif_irq, online);
}

/* ---- the SRI work: INFO_GET, GET, callbacks -------------------------------------------- */

static void info_get(struct ree_task *t, struct pe *pe);

/* The end of one INFO_GET's lists: ffa_notification_info_get loops while more are pending. */
static void info_next(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	if (r->ffa->info_more[pe_id(pe)]) {
		info_get(t, pe);
		return;
	}
	ree_work_done(r, pe);
}

/* notif_work_fn's bottom half has returned: that work item is done */
static void bh_done(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	(void)rc;
	ree_work_done(c->task->r, pe);
}

/* notif_callback has queued the bottom half: on with this INFO_GET's lists */
static void callback_done(void *ctx, struct pe *pe) { info_next(ctx, pe); }

/* the inline bottom half (6.8 to 6.12.36) has returned: on with this INFO_GET's lists */
static void bh_inline_done(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	(void)rc;
	info_next(c->task, pe);
}

/* notif_get_and_handle: GET, then the callbacks of the VM, SP and framework maps */
static void get_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	uint64_t bits = (pe_regs(pe)[2] & 0xffffffff) | (pe_regs(pe)[3] << 32);
	bool bh = false;

	if ((uint32_t)pe_regs(pe)[0] != FFA_SUCCESS_32) {
		ree_trace(r, pe, "arm_ffa: NOTIFICATION_GET failed", pe_regs(pe)[2], 0);
		info_next(t, pe);
		return;
	}
	/* notif_callback for each set id: the bottom-half id, or optee_notif_send */
	for (unsigned id = 0; id < 64; id++) {
		if (!(bits >> id & 1))
			continue;
		if (id == r->ffa->bh_id)
			bh = true;
		else
			ree_optee_notif_send(r, pe, id);
	}
	if (!bh) {
		info_next(t, pe);
		return;
	}
	if (r->cfg.ffa_bh_inline) {
		/* 6.8 to 6.12.36: notif_callback -> optee_do_bottom_half() inside sched_recv_irq_work */
		ree_optee_bh_mark(r, pe);
		ree_optee_do_bottom_half(t, pe, true, bh_inline_done);
		return;
	}
	/* ffa_abi.c notif_callback (6.12.37+): queue_work(optee->ffa.notif_wq, &optee->ffa.notif_work) */
	ree_queue_work_charged(r->optee->ffa_notif_wq, &r->optee->ffa_notif_work, pe, callback_done, t);
}

/* ffa_abi.c notif_work_fn -> optee_do_bottom_half(optee->ctx) */
static void notif_work_fn(struct ree_task *t, struct pe *pe)
{
	t->call.task = t;
	ree_optee_bh_mark(t->r, pe);
	ree_optee_do_bottom_half(t, pe, true, bh_done);
}

static void info_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	const uint64_t *x = pe_regs(pe);

	/* ffa_notification_info_get (driver.c): FFA_SUCCESS of either width, else stop (NO_DATA silently) */
	if ((uint32_t)x[0] != (uint32_t)FFA_SUCCESS_64 && (uint32_t)x[0] != FFA_SUCCESS_32) {
		if (r->ffa->sri_first[pe_id(pe)]) {
			r->optee->spurious++;
			ree_event(r, pe, SIM_EV_SPURIOUS_NOTIF, r->ffa->sri, 0);
		}
		ree_work_done(r, pe);
		return;
	}
	r->ffa->sri_first[pe_id(pe)] = false;
	/* ... and loops while w2 has NOTIFICATION_INFO_GET_MORE_PEND_MASK (BIT(0)) */
	r->ffa->info_more[pe_id(pe)] = (x[2] & FFA_NOTIF_INFO_GET_MORE_PENDING) != 0;
	/*
	 * One list of one id naming our own VM (0): a global notification, so
	 * __do_sched_recv_cb -> ffa_self_notif_handle -> notif_get_and_handle
	 * here. tzsim's normal world is that one VM, so no other list occurs.
	 */
	if (FFA_NOTIF_INFO_GET_LISTS(x[2]) >= 1 && FFA_NOTIF_INFO_GET_LIST_IDS(x[2], 0) == 1 && (x[3] & 0xffff) == 0) {
		/*
		 * notif_get_and_handle: GET of the SP and SPM-framework bitmaps
		 * (SECURE_PARTITION_BITMAP | SPM_FRAMEWORK_BITMAP), w1 =
		 * PACK_NOTIFICATION_GET_RECEIVER_INFO(this CPU, our VM id 0).
		 */
		uint64_t g[8] = { FFA_NOTIFICATION_GET, (uint64_t)pe_id(pe) << 16,
				  FFA_NOTIF_GET_SP_BITMAP | FFA_NOTIF_GET_SPM_BITMAP };
		pe_smc_tag(pe, PE_NOTIF_ANY, g, get_ret, t);
		return;
	}
	info_next(t, pe);
}

/* ffa_notification_info_get: one FFA_NOTIFICATION_INFO_GET (64-bit, the native width) */
static void info_get(struct ree_task *t, struct pe *pe)
{
	uint64_t x[8] = { FFA_NOTIFICATION_INFO_GET_64 };
	pe_smc_tag(pe, PE_NOTIF_ANY, x, info_ret, t);
}

/* notif_pcpu_irq_work_fn -> ffa_notification_info_get */
static void work_fn(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	t->call.task = t;
	r->ffa->sri_first[pe_id(pe)] = true;
	info_get(t, pe);
}
