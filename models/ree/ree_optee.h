/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/ree/ree_optee.h: the OP-TEE driver's state (drivers/tee/optee),
 * shared by its two ABIs: the SMC ABI (ree_optee.c, smc_abi.c) and the FF-A
 * ABI (ree_ffa.c, ffa_abi.c). Nothing else in the Linux model reads it.
 */
#ifndef MODELS_REE_REE_OPTEE_H
#define MODELS_REE_REE_OPTEE_H

#include "ree_internal.h"

struct ree_optee {
	bool ok;                            /* probed */
	uint64_t sec_caps;
	unsigned thread_count;
	unsigned max_notif;
	uint8_t notif_bitmap[32];           /* optee_notif_send before a waiter: one bit per key */
	struct optee_call *notif_waiters;
	struct optee_call *cq_head, *cq_tail; /* the call queue: every call in flight */
	/*
	 * optee_cq_init's thread count (call.c, Linux 6.8+): the SMC ABI counts
	 * OP-TEE's threads from GET_THREAD_COUNT and a call claims one before its
	 * SMC; 0: no count (FF-A, ree.call_queue: ethread_limit, or no answer),
	 * a call learns it from ETHREAD_LIMIT as before 6.8
	 */
	unsigned cq_total, cq_free;
	struct ree_irq *notif_irq;          /* the notification interrupt (or FF-A's SRI) */
	ree_task_fn probe_done;
	uint64_t spurious;                  /* notification interrupts that found nothing */
	/* SMC ABI */
	int probe_step;
	/* init_pcpu_irq: ONE notif_pcpu_work on create_workqueue("optee_pcpu_notification") */
	struct ree_work notif_pcpu_work;
	struct ree_wq *notif_pcpu_wq;
	/* FF-A ABI (6.12.37+): notif_work on create_workqueue("optee_notification") */
	struct ree_work ffa_notif_work;
	struct ree_wq *ffa_notif_wq;
	bool drain_first[REE_MAX_CPUS], drain_bh[REE_MAX_CPUS], drain_more[REE_MAX_CPUS];
};

#endif
