/* SPDX-License-Identifier: BSD-3-Clause */
/* models/tee/tee_internal.h: OP-TEE model state shared by its files. */
#ifndef MODELS_TEE_TEE_INTERNAL_H
#define MODELS_TEE_TEE_INTERNAL_H

#include "optee_smc.h"
#include "tee.h"
#include "sim/kernel/rng.h"

#define TEE_MAX_DEVS TEE_MAX_DEVICES
#define TEE_MAX_THREADS 64

enum { TH_FREE = 0, TH_RUNNING = 1, TH_RPC = 2 };

struct tee;

struct id_list {
	uint32_t *v;
	unsigned n, cap;
};

struct tee_thread {
	struct tee *t;
	unsigned id;
	int state;
	unsigned pe;
	uint64_t shm;            /* the call's struct optee_msg_arg: its buffer's cookie ... */
	uint64_t arg_offs;       /* ... and offset (sim/shm.h) */
	uint32_t num_params;     /* read from it: the RPC arg area follows it */
	uint32_t cmd;            /* read from it: optee_msg_arg.cmd */
	uint64_t param;          /* read from it: params[0].u.value.a */
	uint64_t param_b, param_c; /* ... .b and .c (a TA invocation: the device it waits for + 1, its workload) */
	uint64_t wait_value;     /* notif_wait: the value ... */
	bool wait_ready;         /* ... was fetched before the wait began (Linux has its bit) */
	pe_fn wait_done;         /* ... and where it returns */
	uint32_t ta_ret;         /* the TA's result (arg->ret) when the call itself succeeds */
	uint32_t rc;
	struct pe_frame frame;   /* saved on an RPC exit */
	pe_fn after_rpc;         /* continuation when resumed from an RPC_CMD */
	struct id_list bh_ids;   /* notifications this bottom half serves */
	bool ffa;                /* started by an FF-A direct request */
	int dev_iter;
	pe_fn bh_done;           /* where the yielding event returns */
	char label[32];
};

/* A secure device's OP-TEE driver (the device itself is on the bus). */
struct tee_dev {
	struct tee *t;
	int idx;
	struct tee_device_config c;
	sim_time th_time;        /* when the running top half started */
	unsigned value;          /* notify_value: its async value (1..63), else 0 (DO_BOTTOM_HALF) */
	unsigned bh_items;       /* items the running bottom half drains */
	pe_fn th_done, bh_done;
	void *th_ctx, *bh_ctx;
	char label_th[48], label_bh[48];
};

struct tee_transport {
	const char *name;
	/* cold boot, on the boot PE at S-EL1 (e.g. donate the SGI) */
	void (*init)(struct tee *t, struct pe *pe);
	/* raise the normal world's interrupt, from @pe; then call @done (it may take an SMC) */
	void (*raise)(struct tee *t, struct pe *pe, pe_fn done, void *ctx);
	/* a value was read; @empty: nothing pending any more */
	void (*value_read)(struct tee *t, struct pe *pe, bool empty);
	/* a secondary CPU came up (cpu_on_entry), on that CPU; may be NULL */
	void (*init_cpu)(struct tee *t, struct pe *pe);
};

/* fidelity: isa, a notif_send_async in guest code (tee_notif.c) */
struct tee_isa_send {
	unsigned value;
	uint32_t id;          /* the notification's; its records are made when the guest records the value */
	sim_time src, th;
	bool coalesced, seen;
	pe_fn done;
	void *ctx;
	/* a GET_ASYNC_NOTIF_VALUE fast call in guest code (tee_entry.c): the value the guest's
	 * notif_get_value handed out, taken from this model's bitmap at the same moment */
	bool got, got_more;
	unsigned got_value;
};

struct tee {
	struct sim *sim;
	struct tee_config cfg;
	struct pe **pes;
	struct tee_thread threads[TEE_MAX_THREADS];
	unsigned busy;
	int *cpu_thread;         /* thread running on each PE, or -1 */
	/* notification core (OP-TEE core/kernel/notif*.c) */
	uint64_t pending;
	bool started;
	uint32_t primary[64];    /* id of the pending send for each value */
	sim_time primary_src[64]; /* ... and when its source fired */
	uint32_t next_id;
	uint64_t values_alloc;   /* notif_alloc_async_value: values handed out (bit 0: DO_BOTTOM_HALF) */
	struct id_list fetched0; /* DO_BOTTOM_HALF sends fetched, not yet in a bottom half */
	/* per value 1..63: sends Linux fetched since a notif_wait last returned with the value ... */
	unsigned fetched_n[64];
	sim_time fetched_src[64]; /* ... and the earliest one's source time */
	/* the yielding-notification mutex (notif_deliver_event) and its waiters */
	int mutex_owner;
	int waitq[TEE_MAX_THREADS];
	unsigned nwait;
	struct sim_wire doorbell;
	const struct tee_transport *tp;
	struct tee_dev devs[TEE_MAX_DEVS];
	int ndev;
	struct tee_isa_send *isa_send; /* per PE: the notif_send_async running as guest code */
	uint64_t *itr_intid;     /* per PE: the INTID being handled */
	pe_fn *itr_then;         /* per PE: where the interrupt handler returns */
	/* FF-A SPMC state (tee_ffa.c) */
	struct tee_ffa *ffa;
	pe_fn ffa_done;
	void *ffa_done_ctx;
};

/* tee_entry.c */
void tee_return(struct pe *pe, uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4);
void tee_return8(struct pe *pe, const uint64_t x[8]);
/* A yielding call whose struct optee_msg_arg is at (@cookie, @offs) in the shared memory. */
void tee_yield_start(struct tee *t, struct pe *pe, uint64_t cookie, uint64_t offs, bool ffa);
void tee_yield_resume(struct tee *t, struct pe *pe, uint64_t id, bool ffa);
/*
 * thread_rpc_cmd: write RPC command @cmd with one value parameter {@a, @b, 0}
 * into the thread's RPC arg (after the call's arg, in the same buffer), exit
 * with RPC_CMD, and continue at @after when the normal world resumes it.
 */
void tee_thread_rpc(struct tee_thread *th, struct pe *pe, uint32_t cmd, uint64_t a, uint64_t b, pe_fn after);
/* The last RPC's result as the normal world wrote it (its arg->ret), TEE_ERROR_GENERIC if out of reach. */
uint32_t tee_thread_rpc_ret(const struct tee_thread *th);
/* A record of the secure world on @pe (NULL: none); inline, as the notification path emits one at each stage. */
static inline void tee_trace(struct tee *t, struct pe *pe, unsigned kind, uint32_t notif, uint64_t a, uint64_t b,
			     uint64_t c, uint64_t d, const char *label)
{
	sim_trace_emit_rec(t->sim->tr, sim_now(t->sim->k), kind, 0, pe ? (int32_t)pe_id(pe) : -1, SIM_WORLD_S, notif, a,
			   b, c, d, label);
}
/* A counted TR_EVENT: @code (enum sim_ev) with its fixed label. */
void tee_event(struct tee *t, struct pe *pe, unsigned code, uint64_t a);
/* 0, or -1 when the list cannot grow (out of memory: the caller stops the run, sim_kernel_fail) */
int id_list_push(struct id_list *l, uint32_t v);

/* tee_notif.c */
void tee_notif_init(struct tee *t);
/*
 * gic_init_donate_sgi_to_ns on @target's Redistributor, from @pe: disable,
 * clear pending, Non-secure Group 1 (the SGI transport and FF-A's SRI).
 */
void tee_donate_sgi(struct tee *t, struct pe *pe, unsigned target);
/* notif_send_async: from a top half on @pe; @src / @th: source and top-half times; then @done. */
void tee_notif_send(struct tee *t, struct pe *pe, unsigned value, sim_time src, sim_time th, pe_fn done,
		    void *ctx);
/* notif_get_value: lowest pending value; returns false if none. */
bool tee_notif_get(struct tee *t, struct pe *pe, unsigned *value, bool *more);
/*
 * notif_wait(@value) in thread @th, a TA waiting for a device's value: an RPC
 * NOTIFICATION WAIT; then @done (th->rc says whether Linux refused the wait).
 */
void tee_notif_wait(struct tee_thread *th, struct pe *pe, unsigned value, pe_fn done);
/* Run the DO_BOTTOM_HALF / STOPPED event in thread @th, then call @done. */
void tee_notif_deliver_bh(struct tee_thread *th, struct pe *pe, pe_fn done);
void tee_notif_deliver_stopped(struct tee_thread *th, struct pe *pe, pe_fn done);

/* secure_dev.c */
struct tee_dev *tee_dev_by_intid(struct tee *t, unsigned intid);
/* The driver's top half for @d on @pe; calls @done after. */
void tee_dev_top_half(struct tee_dev *d, struct pe *pe, pe_fn done, void *ctx);
/* The driver's yielding DO_BOTTOM_HALF / STOPPED callbacks, run in a thread. */
bool tee_dev_has_bottom_half(struct tee_dev *d, struct pe *pe);
void tee_dev_bottom_half(struct tee_dev *d, struct pe *pe, pe_fn done, void *ctx);
void tee_dev_stopped(struct tee_dev *d, struct pe *pe);

/*
 * The FF-A notification state of the SPMC, for the one receiver (VM 0, the
 * normal world) and the one sender (OP-TEE): OP-TEE's own when it is the
 * SPMC (s-el1), Hafnium's at S-EL2. The pending bit is the notif core's
 * DO_BOTTOM_HALF bit (the one value OP-TEE's FF-A path sends:
 * thread_spmc.c notif_send_async asserts it), shown as bh_bit, so every
 * stage of a notification stays on one record stream.
 */
struct tee_ffa {
	bool created;         /* NOTIFICATION_BITMAP_CREATE for VM 0 */
	uint64_t bound;       /* bound global notification ids */
	int bh_bit;           /* the id Linux chose in OPTEE_FFA_ENABLE_ASYNC_NOTIF, -1 none */
	/* Hafnium only */
	bool info_retrieved;  /* vm.c: the pending bit was reported by INFO_GET (info_get_retrieved) */
	uint64_t sri_delayed; /* per physical CPU: cpu->is_sri_delayed */
	uint64_t *vintid;     /* per CPU: the interrupt Hafnium acknowledged for OP-TEE (HF_INTERRUPT_GET) */
	uint64_t (*to_ns)[8]; /* per CPU: what Hafnium's next SMC hands to the normal world */
};

/* tee_ffa.c */
struct tee_ffa *tee_ffa_state(struct tee *t);
void tee_ffa_free(struct tee *t);
/* A yielding call's outcome (SMC-ABI a0..a3) as FFA_MSG_SEND_DIRECT_RESP. */
void tee_ffa_call_exit(struct tee *t, struct pe *pe, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
/*
 * The SPMC's handling of the notification ABI a normal-world call makes
 * (FEATURES, BITMAP_CREATE, BIND, INFO_GET, GET, SET), the answer in @r.
 */
void tee_ffa_spmc_call(struct tee *t, struct pe *pe, uint64_t r[8]);
/* OP-TEE's entry for a direct request (thread_spmc_msg_recv), at S-EL1. */
void tee_ffa_direct_entry(void *ctx, struct pe *pe);
/* The SRI: SGI @intid to the current CPU's normal world (ICC_ASGI1R_EL1), from @pe. */
void tee_ffa_send_sri(struct tee *t, struct pe *pe);

/* ffa_sel2.c: Hafnium */
void tee_sel2_attach(struct tee *t, struct mon *m);

/* tee_entry.c: OP-TEE's interrupt entry for a secure interrupt taken while the normal world ran */
void tee_itr_entry(void *ctx, struct pe *pe);

/* transports */
extern const struct tee_transport tee_transport_spi_edge, tee_transport_spi_level,
	tee_transport_ppi, tee_transport_sgi, tee_transport_ffa;

#endif
