/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/ree/ree.h: the normal world, Linux as it matters to the OP-TEE and
 * FF-A drivers (docs/protocol.md §2, §4.3, §6). The reference kernel is Linux
 * 6.12 (6.12.37 or later: every transport); options reproduce older ones.
 *
 *  - scheduling per CPU (ree_sched.c, ree_fair.c): hard-IRQ context (runs
 *    as the PE's exception handler), SCHED_FIFO kernel threads (threaded IRQ
 *    handlers, cpuhp) above the fair class of normal tasks (kworkers, user
 *    tasks) and batch tasks (CPU-bound), the fair class as EEVDF (6.6+) or
 *    CFS (up to 6.5) with wake-up preemption and the tick (HZ 250); a
 *    pending reschedule takes effect where the preemption model allows
 *    (full, voluntary or none: interrupt exit, cond_resched(),
 *    might_resched(), return to user mode, blocking); a reschedule IPI (SGI
 *    0 through ICC_SGI1R_EL1) for remote wake-ups; switching to a task costs
 *    ree.wakeup, or ree.wakeup_remote when another CPU woke it;
 *  - the IRQ layer and GICv3 driver: irq descriptors, request_threaded_irq
 *    (IRQ_WAKE_THREAD, IRQTF_RUNTHREAD coalescing), per-CPU IRQs
 *    (request_percpu_irq, enable/disable per CPU), affinity written to
 *    GICD_IROUTER, EOImode 0 or 1 (EOIR, or EOIR + DIR);
 *  - workqueues (ree_wq.c, kernel/workqueue.c): per-CPU worker pools shared
 *    by every per-CPU workqueue, a pool_workqueue per (workqueue, CPU) with
 *    max_active 1 and an inactive list, WORK_STRUCT_PENDING coalescing and
 *    the non-reentrancy rule (an item queued while it runs in another CPU's
 *    pool runs again there);
 *  - cpuhp: teardown (per-CPU IRQs off, workqueue unbind, IRQ migration,
 *    PSCI CPU_OFF) and startup (PSCI CPU_ON, GIC CPU init, per-CPU IRQs on);
 *    CPU_SUSPEND for idle;
 *  - the OP-TEE SMC-ABI driver: probe in upstream order, the hard-IRQ drain
 *    loop, the bottom half as a DO_BOTTOM_HALF yielding call through the
 *    full RPC loop, the call queue (6.8+: a call claims one of OP-TEE's
 *    threads, counted from GET_THREAD_COUNT, before its SMC; older: it
 *    waits on ETHREAD_LIMIT, cq_ethread_limit), notif wait/send;
 *  - the arm_ffa driver's notification path (SRI, INFO_GET, GET) and the
 *    OP-TEE FF-A driver's bottom half on its optee_notification workqueue
 *    (6.12.37+; inline in the SRI work as 6.8 to 6.12.36 with
 *    ffa_bh_inline);
 *  - workloads: TA invocations at a rate, CPU-bound tasks.
 *
 * The REE reaches hardware only through its PEs (SMC, ICC_* and MMIO
 * ports) and learns the platform from its device tree, parsed elsewhere
 * into struct ree_config the way Linux reads it.
 */
#ifndef MODELS_REE_REE_H
#define MODELS_REE_REE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/cpu/pe.h"
#include "models/monitor/monitor.h"
#include "sim/shm.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ree_notif_abi { REE_ABI_SMC = 0, REE_ABI_FFA = 1 };
/*
 * The preemption model (kernel/Kconfig.preempt): full (CONFIG_PREEMPT, arm64
 * defconfig) switches at an interrupt's exit to kernel mode and at
 * preempt_enable(); voluntary (CONFIG_PREEMPT_VOLUNTARY, Debian's arm64
 * kernels) only at cond_resched() and might_resched() points, on return to
 * user mode, or when the task blocks; none as voluntary without
 * might_resched().
 */
enum ree_preempt { REE_PREEMPT_FULL = 0, REE_PREEMPT_VOLUNTARY = 1, REE_PREEMPT_NONE = 2 };
/* The fair class: EEVDF (Linux 6.6+, the reference 6.12) or CFS (up to 6.5). */
enum ree_fair_sched { REE_SCHED_EEVDF = 0, REE_SCHED_CFS = 1 };

struct isa_rt;
struct ree_config {
	unsigned num_pes;
	unsigned eoimode;         /* ICC_CTLR_EL1.EOImode: 0 booted at EL1, 1 at EL2 */
	unsigned irq_affinity;    /* the notification SPI's affinity CPU */
	uint64_t gicd_base, gicr_base;
	/* from the device tree's /firmware/optee node (sim/dt.c) */
	bool optee_present;
	bool method_smc;          /* "smc" (else "hvc", unsupported here) */
	int notif_intid;          /* -1: no `interrupts` property */
	bool notif_percpu;        /* a PPI (irq_is_percpu_devid) */
	bool notif_level;         /* IRQ_TYPE_LEVEL_HIGH */
	bool spi_1ofn;            /* evaluate GICD_IROUTER.IRM=1 (Linux never sets it) */
	enum ree_notif_abi abi;
	/*
	 * FF-A: notif_callback runs optee_do_bottom_half() itself, inside the
	 * SRI work (Linux 6.8 to 6.12.36, mainline before v6.16), instead of
	 * queueing notif_work on the optee_notification workqueue (6.12.37+).
	 */
	bool ffa_bh_inline;
	enum ree_preempt preempt;
	enum ree_fair_sched fair;
	unsigned timer_ppi;       /* the arch timer's NS PPI (30) */
	/*
	 * Protocol switches (docs/protocol.md §10), each a departure from
	 * upstream: drain_once fetches one value per notification interrupt
	 * instead of smc_abi.c irq_handler()'s loop while PENDING;
	 * pcpu_disable_late disables the per-CPU notification IRQ in
	 * take_cpu_down after set_cpu_online(false) instead of at
	 * CPUHP_AP_ONLINE_DYN (optee/pcpu-notif's cpuhp teardown).
	 */
	bool drain_once;
	bool pcpu_disable_late;
	/*
	 * The OP-TEE driver's call queue as before Linux 6.8 (ree.call_queue:
	 * ethread_limit): no thread count, every call issues its SMC and sleeps
	 * on ETHREAD_LIMIT (docs/protocol.md §1.9). Not a protocol switch: an
	 * older kernel.
	 */
	bool cq_ethread_limit;
	struct sim_shm *shm;      /* shared memory with OP-TEE (tee_shm), named by cookie (sim/shm.h) */
	/*
	 * fidelity: isa (models/cpu/isa_rt.h): the notification interrupt's
	 * drain loop (smc_abi.c irq_handler) runs as guest code; NULL: abstract.
	 */
	struct isa_rt *isa;
};

struct ree_ports {
	void *ctx;
	/* the arch timer's output for @cpu was handled: de-assert its PPI line */
	void (*timer_ack)(void *ctx, unsigned cpu);
	/* the normal world finished booting (all CPUs online, drivers probed) */
	void (*booted)(void *ctx);
};

struct ree;

struct ree *ree_new(struct sim *s, const struct ree_config *cfg, struct pe **pes,
		    const struct ree_ports *ports);
void ree_free(struct ree *r);
/* Set the NS entry point with the monitor and the NS IRQ vectors on the PEs. */
void ree_attach(struct ree *r, struct mon *m);

#define REE_MAX_WORKLOADS 32
#define REE_MAX_DEVICES 32
/* IRQ descriptors: the notification interrupt (or FF-A's SRI) and one per normal-world device */
#define REE_MAX_IRQS (REE_MAX_DEVICES + 8)

enum ree_dev_kind { REE_DEV_UART = 0, REE_DEV_TIMER, REE_DEV_TRNG };

/* A normal-world device Linux drives (models/ree/ree_dev.c): its frame, its SPI and its handlers' costs. */
struct ree_device_config {
	char name[32];
	enum ree_dev_kind kind;
	unsigned intid;
	bool level;               /* its line's trigger (the DT's flags) */
	unsigned cpu;             /* the IRQ's affinity */
	uint64_t base;            /* its register frame (models/dev/secure_src.h) */
	struct sim_cost top_half, bottom_half, per_item;
};

/* Add a normal-world device (probed at boot); returns its index, or -1 (more than REE_MAX_DEVICES). */
int ree_add_device(struct ree *r, const struct ree_device_config *c);

/*
 * The scheduler's task table holds REE_MAX_TASKS. The model makes at most
 * REE_TASKS_FIXED tasks (init, the cpuhp control thread, one thread per
 * threaded IRQ), REE_TASKS_PER_CPU per CPU (kworker, cpuhp, idle for
 * suspend, a masked window, the stopper) and one per CPU of each workload; a platform
 * checks that budget before it adds workloads (a full table is a wiring bug).
 */
#define REE_MAX_TASKS 512
#define REE_TASKS_FIXED (2 + REE_MAX_IRQS)
#define REE_TASKS_PER_CPU 5

/*
 * Workloads: a TA invocation process (Poisson at @rate_hz) over the CPUs in
 * @cpus; @rate_hz 0: a closed loop, one thread per CPU calling again as soon
 * as its call returns. @wait_dev: 0, or 1 + the OP-TEE device
 * (tee_add_device's index) whose notification value each invocation waits
 * for after its secure work.
 */
int ree_add_ta_workload(struct ree *r, const char *name, uint64_t rate_hz,
			const struct sim_cost *secure_work, uint64_t cpus, unsigned wait_dev);
/* A CPU-bound batch task on each CPU in @cpus, running @chunk of work at a time. */
int ree_add_cpu_bound(struct ree *r, const char *name, const struct sim_cost *chunk, uint64_t cpus);
void ree_workloads_start(struct ree *r);
void ree_workloads_stop(struct ree *r);
void ree_workload_rate(struct ree *r, int i, uint64_t rate_hz);

/* Timeline actions. Each returns 0, or -1 when it cannot apply (recorded as a TR_EVENT). */
int ree_cpu_down(struct ree *r, unsigned cpu);
int ree_cpu_up(struct ree *r, unsigned cpu);
/* CPU_SUSPEND to a power-down state on @cpu; the timer fires after @dur. */
int ree_cpu_suspend(struct ree *r, unsigned cpu);
/* An interrupt-masked window: in the secure world (a masked OP-TEE section) or normal world. */
int ree_mask_window(struct ree *r, unsigned cpu, bool secure, sim_time dur);
/* Spurious notification interrupts (the drain loop found nothing). */
uint64_t ree_spurious(const struct ree *r);

#ifdef __cplusplus
}
#endif
#endif
