/* SPDX-License-Identifier: BSD-3-Clause */
/* models/ree/ree_internal.h: Linux model state shared by its files. */
#ifndef MODELS_REE_REE_INTERNAL_H
#define MODELS_REE_REE_INTERNAL_H

#include "ree.h"
#include "models/tee/optee_smc.h"
#include "sim/kernel/costs.h"
#include "sim/kernel/rng.h"

#define REE_MAX_CPUS 64
#define REE_MAX_IRQS 8
#define REE_MAX_TASKS 512

struct ree;
struct ree_task;

enum { T_BLOCKED = 0, T_RUNNABLE = 1, T_RUNNING = 2 };
enum { PRIO_FIFO = 0, PRIO_NORMAL = 1, PRIO_BATCH = 2, PRIO_COUNT };

typedef void (*ree_task_fn)(struct ree_task *t, struct pe *pe);

/* One OP-TEE driver call in flight (do_call_with_arg). */
struct optee_call {
	struct ree_task *task;
	uint64_t args[8];
	uint32_t cmd;
	uint64_t param;
	uint64_t shm;            /* the buffer holding its struct optee_msg_arg (sim/shm.h cookie), 0: none yet */
	uint32_t shm_offs;       /* the message's offset in it; the RPC arg area follows the message */
	uint32_t num_params;
	void (*done)(struct optee_call *c, struct pe *pe, uint64_t rc);
	bool waiting_cq;         /* sleeping in optee_cq_wait_for_completion */
	bool cq_done;            /* its completion was signalled */
	struct optee_call *cq_next;
	uint64_t notif_key;      /* RPC NOTIFICATION WAIT key */
	struct optee_call *wnext;
	bool woken;
	uint32_t tag;            /* the path tag of this call (pe.h: Tags) */
	bool ffa;                /* over FFA_MSG_SEND_DIRECT_REQ (ffa_abi.c) instead of the SMC ABI */
};


struct ree_task {
	struct ree *r;
	char name[32];
	int cpu;                 /* runqueue it is on / last ran on */
	int bound;               /* -1: any online CPU */
	uint8_t prio;
	uint8_t state;
	bool has_frame;
	struct pe_frame frame;   /* preempted context */
	ree_task_fn resume;      /* where it continues when woken (no frame) */
	struct ree_task *next;   /* runqueue link */
	void *data;
	struct optee_call call;  /* the OP-TEE call this task makes */
};

/* A workqueue item (struct work_struct). */
struct ree_work {
	bool pending;            /* WORK_STRUCT_PENDING_BIT */
	ree_task_fn fn;          /* runs in the worker task; calls ree_work_done when finished */
	void *data;
	struct ree_work *next;
};

struct ree_cpu {
	struct ree_task *cur;    /* NULL: idle */
	struct ree_task *rq_head[PRIO_COUNT], *rq_tail[PRIO_COUNT];
	bool online;
	bool need_resched;
	struct ree_task *kworker;
	struct ree_work *wq_head, *wq_tail;
	struct ree_work *wq_running;
	struct pe *pe;
};

enum irqreturn { IRQ_NONE = 0, IRQ_HANDLED = 1, IRQ_WAKE_THREAD = 2 };

struct ree_irq;
typedef void (*ree_irq_handler)(struct ree *r, struct ree_irq *d, struct pe *pe);

/* An interrupt descriptor (struct irq_desc): what the drivers see of the IRQ layer. */
struct ree_irq {
	unsigned intid;
	bool used;
	bool percpu;
	bool level;
	uint64_t enabled_mask;   /* per CPU for per-CPU IRQs; bit 0 for others */
	int affinity;            /* user affinity: one CPU, or -1 for all */
	int effective;           /* effective affinity (the IROUTER target) */
	ree_irq_handler handler; /* hard handler; ends with ree_irq_handled(ret) */
	ree_task_fn thread_fn;   /* threaded handler; ends with ree_irq_thread_done */
	struct ree_task *thread;
	bool runthread;          /* IRQTF_RUNTHREAD */
	const char *name;
	uint64_t count;
};

/*
 * The Linux model: the scheduler's per-CPU state and tasks here, each other
 * part behind a pointer to a struct that its own file defines and owns.
 */
struct ree {
	struct sim *sim;
	struct ree_config cfg;
	struct ree_ports ports;
	struct pe **pes;
	struct mon *mon;
	/* the scheduler (ree_sched.c) */
	struct ree_cpu cpu[REE_MAX_CPUS];
	struct ree_task *tasks[REE_MAX_TASKS];
	unsigned ntasks;
	/* boot (ree_boot.c) */
	bool started;
	struct ree_task *init, *hp_waiter;
	bool booted;
	unsigned boot_next;      /* next secondary to bring up */
	/* the parts */
	struct ree_irqs *irqs;        /* ree_irq.c: descriptors, the INTID in service, VCD ids */
	struct ree_optee *optee;      /* ree_optee.c (ree_optee.h): the OP-TEE driver, both ABIs */
	struct ree_ffa *ffa;          /* ree_ffa.c: the arm_ffa driver */
	struct ree_hotplug *hp;       /* ree_hotplug.c: cpuhp, cpuidle and masked-window tasks */
	struct ree_workloads *wl;     /* ree_workload.c */
};

/* ree_sched.c */
struct ree_task *ree_task_new(struct ree *r, const char *name, int bound, int prio, ree_task_fn resume);
void ree_wake(struct ree *r, struct ree_task *t, struct pe *from);
/* The running task on @pe blocks; it continues at @resume when woken. */
void ree_block(struct ree *r, struct pe *pe, ree_task_fn resume);
void ree_task_park(struct ree_task *t, struct pe *pe);
/* The running task yields the CPU but stays runnable (it continues at @resume). */
void ree_yield(struct ree *r, struct pe *pe, ree_task_fn resume);
void ree_schedule(struct ree *r, struct pe *pe);
void ree_migrate_tasks(struct ree *r, unsigned from);
void ree_trace(struct ree *r, struct pe *pe, const char *label, uint64_t a, uint64_t b);
void ree_queue_work_on(struct ree *r, unsigned cpu, struct ree_work *w, struct pe *from);
void ree_work_done(struct ree *r, struct pe *pe);
void ree_sched_init_cpu(struct ree *r, unsigned cpu);
void ree_sched_free(struct ree *r);
void ree_wake_elsewhere(struct ree *r, struct ree_task *t);
void ree_wq_unbind(struct ree *r, unsigned cpu, struct pe *from);

/* ree_irq.c */
int ree_irq_init(struct ree *r);
void ree_irq_free(struct ree *r);
void ree_irq_vector(void *ctx, struct pe *pe, enum pe_exc exc);
void ree_irq_handled(struct ree *r, struct pe *pe, enum irqreturn ret);
void ree_irq_thread_done(struct ree_task *t, struct pe *pe);
struct ree_irq *ree_request_irq(struct ree *r, unsigned intid, bool percpu, bool level,
				ree_irq_handler h, ree_task_fn thread_fn, const char *name);
void ree_irq_set_affinity(struct ree *r, struct pe *pe, struct ree_irq *d, int cpu);
void ree_irq_enable(struct ree *r, struct pe *pe, struct ree_irq *d);
void ree_percpu_irq_enable(struct ree *r, struct pe *pe, struct ree_irq *d, bool on);
unsigned ree_gic_cpu_init(struct ree *r, struct pe *pe);
unsigned ree_gic_dist_init(struct ree *r, struct pe *pe);
void ree_migrate_irqs(struct ree *r, struct pe *pe, unsigned dying);
void ree_send_ipi(struct ree *r, struct pe *from, unsigned cpu);

/* ree_optee.c */
/* The notification interrupt's descriptor (the SPI, PPI, SGI or FF-A's SRI), or NULL. */
struct ree_irq *ree_notif_irq(const struct ree *r);
int ree_optee_init(struct ree *r);
void ree_optee_free(struct ree *r);
/* Probe the driver (optee_probe), then call @done in the same task. */
void ree_optee_probe(struct ree_task *t, struct pe *pe, ree_task_fn done);
/* Did the OP-TEE driver probe? */
bool ree_optee_ok(const struct ree *r);
void ree_optee_call(struct ree *r, struct optee_call *c, struct pe *pe);
void ree_optee_cpuhp(struct ree *r, struct pe *pe, unsigned cpu, bool online);

/* ree_optee.c, shared with the FF-A ABI */
void ree_optee_do_bottom_half(struct ree_task *t, struct pe *pe, bool ffa,
			      void (*done)(struct optee_call *c, struct pe *pe, uint64_t rc));
void ree_optee_notif_send(struct ree *r, struct pe *pe, unsigned key);
void ree_optee_bh_mark(struct ree *r, struct pe *pe);

/* ree_ffa.c */
int ree_ffa_init(struct ree *r);
void ree_ffa_free(struct ree *r);
void ree_ffa_probe(struct ree_task *t, struct pe *pe, ree_task_fn done);
void ree_ffa_cpuhp(struct ree *r, struct pe *pe, unsigned cpu, bool online);

/* ree_boot.c */
void ree_ns_entry(void *ctx, struct pe *pe);

/* ree_hotplug.c */
int ree_hotplug_init(struct ree *r);
void ree_hotplug_free(struct ree *r);
/* CPUs online and not on their way down. */
unsigned ree_online_count(const struct ree *r);

/* ree_workload.c */
int ree_workloads_init(struct ree *r);
void ree_workloads_free(struct ree *r);

#endif
