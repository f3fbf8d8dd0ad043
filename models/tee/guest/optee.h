/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/tee/guest/optee.h: tzsim's S-EL1 OP-TEE image, written after
 * OP-TEE OS (core/arch/arm/kernel/thread*.{c,S}, entry_fast.c, entry_std.c,
 * core/kernel/notif*.c, core/drivers/gic.c, the plat-vexpress console
 * driver): the vector table handed to the monitor, fast calls, thread
 * allocation for yielding calls, RPC and foreign-interrupt exits, native
 * interrupts (IAR, the driver, EOI), asynchronous notifications with the
 * raise of each transport. No OP-TEE code is copied.
 *
 * Shared with the host: the configuration block the host fills before the
 * first boot (symbol "optee_cfg") and the ABI numbers (docs/protocol.md §1).
 */
#ifndef MODELS_TEE_GUEST_OPTEE_H
#define MODELS_TEE_GUEST_OPTEE_H

#include "models/cpu/isa_abi.h"

/* TF-A teesmc_opteed.h */
#define TEESMC_OPTEED_RETURN_ENTRY_DONE 0xBE000000
#define TEESMC_OPTEED_RETURN_ON_DONE 0xBE000001
#define TEESMC_OPTEED_RETURN_OFF_DONE 0xBE000002
#define TEESMC_OPTEED_RETURN_SUSPEND_DONE 0xBE000003
#define TEESMC_OPTEED_RETURN_RESUME_DONE 0xBE000004
#define TEESMC_OPTEED_RETURN_CALL_DONE 0xBE000005
#define TEESMC_OPTEED_RETURN_FIQ_DONE 0xBE000006
#define TEESMC_OPTEED_RETURN_SYSTEM_OFF_DONE 0xBE000007
#define TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE 0xBE000008

/* The most threads the image has room for (CFG_NUM_THREADS comes from optee_cfg). */
#define OPTEE_MAX_THREADS 16
#define OPTEE_THREAD_STACK 0x1000
#define OPTEE_TMP_STACK 0x800
#define OPTEE_MAX_SRC 8

/* How notif_send_async raises the normal world's interrupt (optee_cfg.transport). */
#define OPTEE_TRANSPORT_SPI 0 /* GICD_ISPENDR (CFG_CORE_ASYNC_NOTIF_GIC_INTID an SPI) */
#define OPTEE_TRANSPORT_PPI 1 /* GICD_ISPENDR0 upstream (dropped on GICv3), GICR_ISPENDR0 if fixed */
#define OPTEE_TRANSPORT_SGI 2 /* ICC_ASGI1R_EL1 of a donated SGI to this CPU */
#define OPTEE_TRANSPORT_FFA 3 /* FFA_NOTIFICATION_SET to the SPMC (OP-TEE as an S-EL1 SP) */

/* Where the SGI transport sends (gic_it_raise_sgi's cpu mask). */
#define OPTEE_SGI_SELF 0
#define OPTEE_SGI_ALL_BUT_SELF 1
#define OPTEE_SGI_LIST 2

/* optee_cfg.flags */
#define OPTEE_CFG_ASYNC_NOTIF (1u << 0) /* CFG_CORE_ASYNC_NOTIF */

/* A secure device (the hardware is models/dev/secure_src.h: its register frame). */
#define OPTEE_SRC_UART 0
#define OPTEE_SRC_TIMER 1
#define OPTEE_SRC_TRNG 2

#ifndef __ASSEMBLER__
#include <stdint.h>

struct optee_src {
	uint64_t base;           /* register frame */
	uint32_t intid;          /* its SPI */
	uint32_t kind;           /* OPTEE_SRC_* */
};

/* The host fills this block (symbol "optee_cfg") before the first boot. */
struct optee_cfg {
	uint64_t gicd_base;
	uint64_t gicr_base;
	uint64_t nsec_shm_base;  /* the normal world's memory that may hold optee_msg_arg */
	uint64_t nsec_shm_size;
	uint32_t ncpus;
	uint32_t nthreads;       /* CFG_NUM_THREADS, 1..OPTEE_MAX_THREADS */
	uint32_t transport;      /* OPTEE_TRANSPORT_* */
	uint32_t notif_intid;    /* CFG_CORE_ASYNC_NOTIF_GIC_INTID */
	uint32_t ppi_fixed;      /* PPI: 1 = pend it in this PE's GICR_ISPENDR0 (hypothetical fix) */
	uint32_t itr_group0;     /* 1: secure interrupts are Group 0 (IAR0/EOIR0); 0: Secure Group 1 */
	uint32_t ffa_own_id;     /* FF-A: OP-TEE's partition id (the sender) */
	uint32_t ffa_nw_id;      /* FF-A: the receiver (the normal world's VM id) */
	uint32_t ffa_bh_bit;     /* FF-A: the bit the normal world chose for the bottom half */
	uint32_t sgi_target;     /* SGI: OPTEE_SGI_SELF, _ALL_BUT_SELF or _LIST */
	uint64_t sgi_cpus;       /* SGI, _LIST: a bit per target PE (< 64) */
	uint32_t nsrc;
	uint32_t flags;          /* OPTEE_CFG_* */
	struct optee_src src[OPTEE_MAX_SRC];
};
#endif

#endif
