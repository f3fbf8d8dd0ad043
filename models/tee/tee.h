/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/tee/tee.h: OP-TEE OS (docs/protocol.md §1, §3) and the secure devices
 * whose interrupts it owns.
 *
 * OP-TEE: the vector table the monitor enters (fast and yielding SMCs, PM
 * hooks, fiq), a pool of CFG_NUM_THREADS threads (ETHREAD_LIMIT when none
 * is free), RPC exits (foreign interrupt; NOTIFICATION wait/send for the
 * secure wait queue), the notification core (a 64-bit pending bitmap:
 * sends of one value coalesce, the interrupt is raised on every send,
 * values come out lowest first, nothing is delivered before STARTED), and
 * registered drivers with atomic and yielding callbacks.
 *
 * The transport that raises the normal world's interrupt sits behind one
 * interface (struct tee_transport in tee_internal.h): SPI by GICD_ISPENDR
 * (edge) or a doorbell line (level), PPI by GICR_ISPENDR0 of the running
 * PE (a fix: upstream writes GICD_ISPENDR0, which GICv3 drops; both are
 * available), a donated SGI by ICC_ASGI1R_EL1, FF-A by the SPMC's SET + SRI.
 *
 * With transport ffa and spmc s-el2, this module also holds Hafnium, the
 * SPMC at S-EL2 (ffa_sel2.c), as far as OP-TEE's notifications need it: its
 * notification bitmaps, the delayed Schedule Receiver Interrupt, the vCPU
 * switches and the virtual interrupts it signals to OP-TEE.
 *
 * Secure device drivers (models/tee/secure_dev.c): for each secure
 * interrupt source (models/dev/secure_src.h, reached through its register
 * frame on the bus) a top half (runs in the interrupt) and a bottom half (a
 * yielding DO_BOTTOM_HALF callback), after OP-TEE's console UART example.
 *
 * Every step is a trace record: TR_NOTIF stages with the notification id,
 * TR_TEE_THREAD, TR_COUNTER "tee.threads_busy", TR_EVENT for the rest.
 */
#ifndef MODELS_TEE_TEE_H
#define MODELS_TEE_TEE_H

#include <stdbool.h>
#include <stdint.h>

#include "models/cpu/pe.h"
#include "models/monitor/monitor.h"
#include "sim/kernel/smc_name.h"
#include "sim/kernel/wire.h"
#include "sim/shm.h"

#ifdef __cplusplus
extern "C" {
#endif

enum tee_transport_kind { TEE_TRANSPORT_SPI = 0, TEE_TRANSPORT_PPI, TEE_TRANSPORT_SGI, TEE_TRANSPORT_FFA };
enum tee_sgi_target { TEE_SGI_SELF = 0, TEE_SGI_ALL_BUT_SELF, TEE_SGI_LIST };
/* Where the FF-A SPMC runs: OP-TEE itself at S-EL1, or Hafnium at S-EL2 with OP-TEE as its partition. */
enum tee_spmc { TEE_SPMC_SEL1 = 0, TEE_SPMC_SEL2 };

struct isa_rt;
struct tee_config {
	unsigned num_pes;
	unsigned threads;       /* CFG_NUM_THREADS */
	bool async_notif;       /* CFG_CORE_ASYNC_NOTIF */
	enum tee_transport_kind transport;
	unsigned intid;         /* CFG_CORE_ASYNC_NOTIF_GIC_INTID */
	bool level;             /* SPI doorbell: a level line instead of ISPENDR */
	enum tee_sgi_target sgi_target;
	uint64_t sgi_cpus;      /* TEE_SGI_LIST: bitmap of PEs */
	enum tee_spmc spmc;
	/*
	 * PPI: raise as OP-TEE codes it (gic_it_set_pending: GICD_ISPENDR0, RAZ/WI
	 * with affinity routing, so the PPI never pends) instead of tzsim's fix
	 * (GICR_ISPENDR0 of the running PE).
	 */
	bool ppi_raise_upstream;
	/*
	 * Protocol switch (docs/protocol.md §10.2): raise the interrupt only
	 * when the send found the bitmap empty, instead of on every send as
	 * notif_send_async() (core/kernel/notif_default.c) does.
	 */
	bool raise_when_empty;
	uint64_t gicd_base, gicr_base;
	struct sim_shm *shm;    /* the normal world's shared memory, reached by cookie (sim/shm.h) */
	/*
	 * fidelity: isa (models/cpu/isa_rt.h): fast calls (tee_entry_fast) and
	 * notif_send_async with its raise run as guest code, the guest's
	 * answers checked against this model's; NULL: abstract.
	 */
	struct isa_rt *isa;
};

enum tee_dev_kind { TEE_DEV_UART = 0, TEE_DEV_TIMER, TEE_DEV_TRNG };

/* A secure device OP-TEE drives: where its registers are and what its handlers cost. */
struct tee_device_config {
	char name[32];
	enum tee_dev_kind kind;
	unsigned intid;
	uint64_t base;            /* its register frame (models/dev/secure_src.h) */
	struct sim_cost top_half, bottom_half, per_item;
	/*
	 * Notify with a value of its own (notif_alloc_async_value at probe)
	 * sent by the top half, as OP-TEE's stm32_rtc alarm does, instead of
	 * DO_BOTTOM_HALF; a TA invocation naming the device waits for it.
	 */
	bool notify_value;
};

struct tee;
struct isa_rt;

struct tee *tee_new(struct sim *s, const struct tee_config *cfg, struct pe **pes);
void tee_free(struct tee *t);

/* Register OP-TEE's cold-boot entry and vector table with the monitor, and its S-EL1 vectors with the PEs. */
void tee_attach(struct tee *t, struct mon *m);

/* The level doorbell line (transport spi + level): connect it to the GIC's SPI input. */
struct sim_wire *tee_doorbell_wire(struct tee *t);

#define TEE_MAX_DEVICES 32

/*
 * Add a driver for a secure device; returns its index, or -1 (more than
 * TEE_MAX_DEVICES). A TA invocation (OPTEE_MSG_CMD_INVOKE_COMMAND) whose
 * params[0].b is index + 1 of a notify_value device waits, after its
 * secure work, for that device's value (notif_wait); params[0].c is the
 * caller's workload number for the records (SIM_EV_TA_WAIT / TA_WOKEN).
 */
int tee_add_device(struct tee *t, const struct tee_device_config *c);


/*
 * FF-A: register the SPMC with the monitor's SPMD. spmc s-el1: OP-TEE is the
 * SPMC. spmc s-el2: Hafnium (models/tee/ffa_sel2.c) is, at S-EL2 on every
 * PE (pe_set_sel2), with OP-TEE as its S-EL1 partition.
 */
int tee_ffa_attach(struct tee *t, struct mon *m); /* 0, or -1: out of memory */

/* The names of the OP-TEE SMC ABI's and FF-A's function IDs (registered by sim/smc_names.c). */
extern const struct sim_smc_names tee_optee_smc_names;
extern const struct sim_smc_names tee_ffa_smc_names;

#ifdef __cplusplus
}
#endif
#endif
