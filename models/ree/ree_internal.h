/* SPDX-License-Identifier: BSD-3-Clause */
/* models/ree/ree_internal.h: Linux model state shared by its files. */
#ifndef MODELS_REE_REE_INTERNAL_H
#define MODELS_REE_REE_INTERNAL_H

#include "ree.h"
#include "models/tee/optee_smc.h"
#include "sim/kernel/costs.h"
#include "sim/kernel/rng.h"

#define REE_MAX_CPUS 64
#ifndef __cplusplus
_Static_assert(REE_TASKS_FIXED >= 2 + REE_MAX_IRQS, "ree.h: REE_TASKS_FIXED counts init, cpuhp-ctl and the IRQ threads");
#endif

struct ree;
struct ree_task;

enum { T_BLOCKED = 0, T_RUNNABLE = 1, T_RUNNING = 2 };
/* Scheduling policy: SCHED_FIFO (the rt class), or the fair class as SCHED_NORMAL or SCHED_BATCH. */
enum { PRIO_FIFO = 0, PRIO_NORMAL = 1, PRIO_BATCH = 2, PRIO_COUNT };

/*
 * What a task is to is_cpu_allowed() (kernel/sched/core.c), which decides
 * where it may run while a CPU goes down (docs/protocol.md §6.1): a user
 * process only on an active CPU; a per-CPU kthread (KTHREAD_IS_PER_CPU:
 * smpboot's cpuhp/N, a bound pool's kworker) on any online one; any other
 * kthread (an IRQ thread, an unbound kworker) on an online CPU that is not
 * dying.
 */
enum ree_task_kind { REE_KTHREAD = 0, REE_KTHREAD_PER_CPU = 1, REE_USER = 2 };

/* CONFIG_HZ of arm64 defconfig and of Debian's arm64 kernels */
#define REE_HZ 250

/*
 * A fair-class entity (struct sched_entity) of a nice-0 task; times and
 * virtual times in ps. ree_fair.c owns every field.
 */
struct ree_se {
	int64_t vruntime, deadline, vlag;
	int64_t vprot;           /* the deadline it was picked with (set_protect_slice) */
	int64_t sum_exec, prev_sum_exec;
	sim_time exec_start;
	int rq;                  /* the CPU whose run queue it was last on */
	bool on_rq;              /* queued, running or delayed */
	bool delayed;            /* DELAY_DEQUEUE: asleep, still competing until picked or woken */
	bool batch;              /* SCHED_BATCH: never preempts on wake-up */
	bool relative;           /* CFS: vruntime relative to min_vruntime while it migrates */
	struct ree_se *next;     /* on the queued list */
};

/* One CPU's fair run queue (struct cfs_rq). */
struct ree_cfs_rq {
	int cpu;
	bool cfs;                /* ree.scheduler: cfs (Linux <= 6.5) instead of EEVDF */
	struct ree_se *curr;     /* the running entity, kept out of the queued list */
	struct ree_se *queued;   /* the others, delayed ones included */
	unsigned nr_running;     /* queued + curr when on_rq */
	int64_t zero_vruntime;   /* EEVDF: V as last computed */
	int64_t min_vruntime;    /* CFS */
	int64_t base_slice, latency, min_granularity, wakeup_granularity;
};

typedef void (*ree_task_fn)(struct ree_task *t, struct pe *pe);

/* One OP-TEE driver call in flight (do_call_with_arg). */
struct optee_call {
	struct ree_task *task;
	uint64_t args[8];
	uint32_t cmd;
	uint64_t param, param_b, param_c; /* params[0].u.value.a, .b, .c */
	uint64_t shm;            /* the buffer holding its struct optee_msg_arg (sim/shm.h cookie), 0: none yet */
	uint32_t shm_offs;       /* the message's offset in it; the RPC arg area follows the message */
	uint32_t num_params;
	void (*done)(struct optee_call *c, struct pe *pe, uint64_t rc);
	bool waiting_cq;         /* sleeping in optee_cq_wait_for_completion */
	bool cq_done;            /* its completion was signalled */
	bool cq_claiming;        /* in optee_cq_wait_init: no thread free by the driver's count yet */
	struct optee_call *cq_next;
	uint64_t notif_key;      /* RPC NOTIFICATION WAIT key */
	struct optee_call *wnext; /* optee->notif.db: listed from the wait until the waiter runs again */
	bool woken;              /* its entry was completed */
	uint32_t tag;            /* the path tag of this call (pe.h: Tags) */
	bool ffa;                /* over FFA_MSG_SEND_DIRECT_REQ (ffa_abi.c) instead of the SMC ABI */
	bool rpc_is_cmd;         /* the RPC being handled is an RPC command (its arg is in shared memory) */
};


struct ree_task {
	struct ree *r;
	char name[32];
	int cpu;                 /* runqueue it is on / last ran on */
	int bound;               /* -1: any online CPU */
	uint8_t prio;
	uint8_t state;
	uint8_t kind;            /* enum ree_task_kind */
	bool has_frame;
	bool wake_remote;        /* woken by try_to_wake_up from another CPU: its switch-in costs ree.wakeup_remote */
	bool stopper;            /* the stop class (migration/N, kernel/sched/stop_task.c): preempts every other task, and nothing preempts it */
	struct pe_frame frame;   /* preempted context */
	ree_task_fn resume;      /* where it continues when woken (no frame) */
	struct ree_task *next;   /* runqueue link */
	void *data;
	struct optee_call call;  /* the OP-TEE call this task makes */
	struct ree_worker *worker; /* a kworker: its workqueue worker (ree_wq.c), else NULL */
	struct ree_se se;        /* the fair class's entity (PRIO_NORMAL, PRIO_BATCH) */
	bool in_user;            /* running user code (an interrupt returns to user mode) */
	pe_fn resched_fn;        /* where a voluntary preemption point continues */
	void *resched_ctx;
};

struct ree_wq;
struct ree_pwq;
struct ree_worker;

/*
 * A work item (struct work_struct). Its function runs in a kworker task and
 * calls ree_work_done() when it has finished.
 */
struct ree_work {
	bool pending;            /* WORK_STRUCT_PENDING_BIT */
	ree_task_fn fn;
	void *data;
	const char *name;
	int last_pool;           /* get_work_pool(): the CPU pool it was last queued on or ran in; -1: none */
	struct ree_pwq *pwq;     /* get_work_pwq(): where it is queued (active or inactive) */
	struct ree_work *next;   /* on a pool's worklist or a pwq's inactive list */
	/* a charged queue_work in progress: PENDING is set, the insert follows the cost */
	struct ree_wq *q_wq;
	unsigned q_cpu;
	pe_fn q_cont;
	void *q_ctx;
};

struct ree_cpu {
	struct ree_task *cur;    /* NULL: idle */
	struct ree_task *fifo_head, *fifo_tail; /* the rt class's run queue (one priority) */
	struct ree_cfs_rq cfs;   /* the fair class's (ree_fair.c) */
	bool online;
	/*
	 * cpu_dying_mask (set by cpuhp_set_state() as cpu_down starts, kernel/cpu.c)
	 * and !cpu_active_mask (sched_cpu_deactivate(), CPUHP_AP_ACTIVE's teardown);
	 * both end when the CPU is online again (sched_cpu_activate), or stays up
	 * after a refused CPU_OFF
	 */
	bool dying;
	bool inactive;
	bool need_resched;       /* TIF_NEED_RESCHED of the running task */
	/*
	 * A kick found the CPU inside an exception (in the secure world, or
	 * the monitor): the interrupt that carries the wake-up is taken when
	 * the CPU returns to the normal world, and the kick with it (the PE's
	 * Non-secure return hook is armed until then: ns_return,
	 * docs/protocol.md §8.5).
	 */
	bool kick_deferred;
	struct pe *pe;
	struct sim_event tick;   /* the scheduler tick, armed while fair tasks share the CPU */
	bool tick_armed;
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
	struct ree_devs *devs;        /* ree_dev.c: drivers of normal-world devices */
	struct ree_wqs *wqs;          /* ree_wq.c: worker pools and workqueues */
};

/*
 * ree_fair.c: the fair class of one run queue (kernel/sched/fair.c; EEVDF,
 * or CFS). @now is the current time; the running entity's vruntime is
 * brought up to it first (update_curr).
 */
void ree_fair_init(struct ree_cfs_rq *rq, int cpu, bool cfs, unsigned ncpus);
/* update_curr: true if the running entity used up its request and others wait (resched_curr). */
bool ree_fair_update_curr(struct ree_cfs_rq *rq, sim_time now);
/* enqueue_entity(ENQUEUE_WAKEUP): place a waking entity, or requeue a delayed one. */
void ree_fair_enqueue(struct ree_cfs_rq *rq, struct ree_se *se, sim_time now);
/* dequeue_entity(DEQUEUE_SLEEP) of the running entity; EEVDF delays one that is not eligible. */
void ree_fair_dequeue_sleep(struct ree_cfs_rq *rq, struct ree_se *se, sim_time now);
/* Take @se off @rq for good (migration, or a delayed sleeper moving elsewhere). */
void ree_fair_remove(struct ree_cfs_rq *rq, struct ree_se *se, sim_time now);
/* CFS: an entity removed from another run queue joins this one (vruntime made absolute again). */
void ree_fair_migrate_in(struct ree_cfs_rq *rq, struct ree_se *se);
/* pick_next_entity + put_prev/set_next: the entity to run next (possibly the running one), or NULL. */
struct ree_se *ree_fair_pick_next(struct ree_cfs_rq *rq, sim_time now);
/* put_prev_entity: the running entity stops running (another class takes the CPU). */
void ree_fair_put_prev(struct ree_cfs_rq *rq, sim_time now);
/* check_preempt_wakeup_fair (CFS: check_preempt_wakeup): should @pse, just enqueued, preempt? */
bool ree_fair_wakeup_preempt(struct ree_cfs_rq *rq, struct ree_se *pse, sim_time now);
/* The scheduler tick (task_tick_fair): should the running entity be rescheduled? */
bool ree_fair_tick(struct ree_cfs_rq *rq, sim_time now);

/* ree_sched.c */
struct ree_task *ree_task_new(struct ree *r, const char *name, int bound, int prio, enum ree_task_kind kind,
			      ree_task_fn resume);
void ree_wake(struct ree *r, struct ree_task *t, struct pe *from);
/* The running task on @pe blocks; it continues at @resume when woken. */
void ree_block(struct ree *r, struct pe *pe, ree_task_fn resume);
void ree_task_park(struct ree_task *t, struct pe *pe);
/* The running task yields the CPU but stays runnable (it continues at @resume). */
void ree_yield(struct ree *r, struct pe *pe, ree_task_fn resume);
/*
 * cond_resched() in the running task: after a zero-length step (so that an
 * interrupt already pending is taken first), switch if a reschedule is
 * pending, then continue at @fn(@ctx) when the task runs again.
 */
void ree_cond_resched(struct ree *r, struct pe *pe, pe_fn fn, void *ctx);
/* might_resched() of might_sleep(): a cond_resched point only with ree.preempt: voluntary. */
void ree_might_resched(struct ree *r, struct pe *pe, pe_fn fn, void *ctx);
/* At an interrupt's exit on @pe, with @top the frame it returns to: may the scheduler switch now? */
bool ree_preempt_at_irq_exit(struct ree *r, struct pe *pe, const struct pe_frame *top);
/* preempt_schedule_irq: the running task (if any) was interrupted in @f; switch. */
void ree_preempt_irq(struct ree *r, struct pe *pe, const struct pe_frame *f);
void ree_schedule(struct ree *r, struct pe *pe);
void ree_migrate_tasks(struct ree *r, unsigned from);
/* balance_push: move every task queued on @cpu that may no longer run there (is_cpu_allowed) to a CPU where it may */
void ree_balance_push(struct ree *r, unsigned cpu);
/* The running task of @pe's CPU sleeps until woken (it resumes at @resume); no other is picked yet. */
void ree_sleep_current(struct ree *r, struct pe *pe, ree_task_fn resume);
void ree_trace(struct ree *r, struct pe *pe, const char *label, uint64_t a, uint64_t b);
/* A counted TR_EVENT: @code (enum sim_ev) with its fixed label. */
void ree_event(struct ree *r, struct pe *pe, unsigned code, uint64_t a, uint64_t b);
void ree_sched_init_cpu(struct ree *r, unsigned cpu);
void ree_sched_free(struct ree *r);
void ree_wake_elsewhere(struct ree *r, struct ree_task *t);

/*
 * ree_wq.c: workqueues (kernel/workqueue.c). Each CPU has one worker pool of
 * normal priority shared by every per-CPU workqueue; each (workqueue, CPU)
 * has a pool_workqueue with max_active and an inactive list.
 */
int ree_wq_init(struct ree *r);
void ree_wq_free(struct ree *r);
/* create_workqueue(@name): per-CPU, max_active 1 (alloc_workqueue(__WQ_LEGACY | WQ_MEM_RECLAIM, 1)). */
struct ree_wq *ree_create_workqueue(struct ree *r, const char *name);
/* INIT_WORK */
void ree_init_work(struct ree_work *w, ree_task_fn fn, void *data, const char *name);
/*
 * queue_work(@wq, @w) from @pe's CPU (WORK_CPU_UNBOUND: the local CPU's pwq,
 * unless the item still runs in another pool), as the caller pays for it:
 * if the item is already pending, call @cont at once (queue_work returns
 * false); otherwise set PENDING, charge ree.queue_work on @pe
 * (test_and_set_bit + __queue_work: insert and kick_pool), queue it at the
 * end of that step, then call @cont.
 */
void ree_queue_work_charged(struct ree_wq *wq, struct ree_work *w, struct pe *pe, pe_fn cont, void *ctx);
/*
 * queue_work_on(@cpu, @wq, @w), uncharged; @from is the waker's PE, NULL if
 * none. Returns false, doing nothing, when the item is already pending.
 */
bool ree_queue_work_on(struct ree *r, unsigned cpu, struct ree_wq *wq, struct ree_work *w, struct pe *from);
/* current_work(): the item the kworker @t is running, or NULL. */
struct ree_work *ree_current_work(const struct ree_task *t);
/*
 * Concurrency management: the running task @t blocks (sched_submit_work ->
 * wq_worker_sleeping) or runs again after blocking (wq_worker_running); a
 * no-op for tasks that are not kworkers in a work item.
 */
void ree_wq_worker_sleeping(struct ree *r, struct ree_task *t, struct pe *pe);
void ree_wq_worker_running(struct ree *r, struct ree_task *t);
/* The running work item has finished (its function calls this in its kworker). */
void ree_work_done(struct ree *r, struct pe *pe);
/* CPUHP_AP_WORKQUEUE_ONLINE: teardown (unbind_workers) and startup (rebind_workers). */
void ree_wq_unbind(struct ree *r, unsigned cpu, struct pe *from);
void ree_wq_rebind(struct ree *r, unsigned cpu);

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
/* @t makes its call t->call: might_sleep() first (optee_get_msg_arg's mutex_lock), then ree_optee_call. */
void ree_optee_call_task(struct ree_task *t, struct pe *pe);
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
/* @cpu's bring-up ended (it is online, or its CPU_ON failed): a stop_machine that waited may start. */
void ree_hotplug_up_done(struct ree *r, struct pe *pe, unsigned cpu);

/* ree_dev.c */
int ree_devs_init(struct ree *r);
void ree_devs_free(struct ree *r);
void ree_devs_probe(struct ree *r, struct pe *pe);

/* ree_workload.c */
int ree_workloads_init(struct ree *r);
void ree_workloads_free(struct ree *r);

#endif
