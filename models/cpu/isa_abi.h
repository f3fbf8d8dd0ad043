/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/isa_abi.h: the contract between guest code (models/{monitor,
 * tee,ree}/guest/, AArch64, freestanding) and the host engine that runs it
 * (models/cpu/isa.h). Plain #defines only: this header is included by
 * guest C, guest assembly and host C alike.
 *
 * Model calls. Guest code reaches what stays abstract (the Linux scheduler
 * and wait queues, OP-TEE's TA work, the platform's power controller, the
 * FF-A SPMC) with one instruction:
 *
 *	hvc #imm        x0..x7 in, x0..x3 out, x4..x7 clobbered
 *
 * The engine never lets the guest's HVC reach EL2: every HVC is a call into
 * the host, whatever the exception level (Unicorn 2.0.1 delivers HVC from
 * EL1, S-EL1 and EL3 alike; the engine also accepts the UNDEFINED form a
 * conforming S-EL1 would give). The immediate names the call. A call either
 * returns at once with results in x0..x3 (bookkeeping, trace records) or
 * ends the engine's run (ISA_MC_RETURN and the calls a model marks as
 * "stop": the host resumes the guest later, after the abstract work took its
 * simulated time). Ranges: 0x00-0x0f the engine, 0x10-0x2f EL3 firmware,
 * 0x30-0x4f OP-TEE, 0x50-0x6f Linux.
 */
#ifndef MODELS_CPU_ISA_ABI_H
#define MODELS_CPU_ISA_ABI_H

/*
 * Abstract work is preemptible: a model call that stands for timed work
 * (ISA_MC_TEE_STD_WORK, ISA_MC_TEE_DEV_WORK) returns ISA_MC_PREEMPTED in x0
 * when an interrupt the guest must take arrived before the work was done.
 * The guest then calls again (the interrupt is taken at the branch back, as
 * between two instructions of real work), and the model goes on with what
 * was left of the work.
 */
#define ISA_MC_PREEMPTED 0xFFFFFFFFFFFFFFF0ull

/* ---- engine ------------------------------------------------------------------------ */
/* The routine the host called returned (isa_call): the run ends, x0..x3 are its results. */
#define ISA_MC_RETURN 0x00
/* An exception vector that should never be taken: x0 = vector offset, x1 = ESR, x2 = ELR. */
#define ISA_MC_UNEXPECTED 0x01
/* A guest assertion failed: x0 = a code (the guest's __LINE__), x1 = a value. */
#define ISA_MC_PANIC 0x02
/* A trace record for the protocol-level trace: x0 = ISA_TR_* code, x1..x3 = its fields. Never stops. */
#define ISA_MC_TRACE 0x03
/* A boot stage of this PE finished (x0 = ISA_WORLD_*): the run ends. */
#define ISA_MC_BOOTED 0x04
/* Nothing to run: the guest waits for an interrupt (Linux idle, wfi). The run ends. */
#define ISA_MC_IDLE 0x05

/* ---- EL3 firmware (models/monitor/guest) -------------------------------------------- */
/* PSCI CPU_ON: x0 = target MPIDR. The power controller powers it up; x0 = PSCI result. */
#define ISA_MC_PSCI_POWER_ON 0x10
/* PSCI CPU_OFF: the calling PE is ready to lose power (never returns). */
#define ISA_MC_PSCI_POWER_OFF 0x11
/* An FF-A call the firmware hands to the SPMC (abstract): x0..x7 in, x0..x7 out. */
#define ISA_MC_FFA 0x12

/* ---- OP-TEE (models/tee/guest) ---------------------------------------------------------- */
/* The secure work of a yielding call that stays abstract (TA invocation, ...): x0 = thread,
 * x1 = OPTEE_MSG command, x2 = parameter. The run ends; x0 = TEE result when resumed. */
#define ISA_MC_TEE_STD_WORK 0x30
/* A secure device's bottom-half body beyond its register accesses (driver work): x0 = device,
 * x1 = the items it read, x2 = 1 for those items only (read_console's loop after its first pass). */
#define ISA_MC_TEE_DEV_WORK 0x31

/* ---- Linux (models/ree/guest) --------------------------------------------------------- */
/* optee_notif_send(value): wake the waiter of @x0 (wait queues stay abstract). */
#define ISA_MC_REE_NOTIF_SEND 0x50
/* The hard IRQ handler returned IRQ_WAKE_THREAD: wake the IRQ thread (x0 = INTID). */
#define ISA_MC_REE_WAKE_THREAD 0x51
/* queue_work() of the per-CPU notification work (x0 = INTID). */
#define ISA_MC_REE_QUEUE_WORK 0x52
/* An interrupt this image has no handler for (x0 = INTID): generic_handle_domain_irq's abstract rest. */
#define ISA_MC_REE_IRQ 0x53
/* optee_cq_wait_for_completion(): a yielding call met ETHREAD_LIMIT. The run ends. */
#define ISA_MC_REE_CQ_WAIT 0x54
/* optee_notif_wait(key x0, timeout x1 ms): an RPC NOTIFICATION WAIT blocks the task. The run
 * ends; x0 = 0, or TEE_ERROR_TIMEOUT when resumed. */
#define ISA_MC_REE_NOTIF_WAIT 0x55
/* optee_cq_wait_final(): a yielding call finished; wake one waiter of the call queue. */
#define ISA_MC_REE_CQ_FINAL 0x56

/* ISA_MC_TRACE codes (x0). */
#define ISA_TR_NOTIF_SEND 1  /* OP-TEE recorded value x1 (x2: 1 = coalesced), x3 = the source's TS register */
#define ISA_TR_NOTIF_GET 2   /* OP-TEE handed out value x1 (x2: 1 = more pending) */
#define ISA_TR_NOTIF_RAISE 3 /* OP-TEE raised the notification interrupt: x1 = transport, x2 = INTID */
#define ISA_TR_NOTIF_VALUE 4 /* Linux's drain loop got value x1 */

/* Worlds (ISA_MC_BOOTED). */
#define ISA_WORLD_EL3 0
#define ISA_WORLD_TEE 1
#define ISA_WORLD_REE 2

/*
 * The host page: one page the engine maps read-only at ISA_HOST_PAGE in
 * every engine. It holds an ERET (the trampoline of host-emulated exception
 * entry, isa_engine.c), the return stub of host-called routines, and an SMC
 * routine the host calls to make an SMC for an abstract caller (isa_call of
 * ISA_HOST_SMC with x0..x7: "smc #0; ret").
 */
#define ISA_HOST_PAGE 0x0F03F000
#define ISA_HOST_PAGE_SIZE 0x1000
#define ISA_HOST_ERET (ISA_HOST_PAGE + 0x0)
#define ISA_HOST_RETURN (ISA_HOST_PAGE + 0x4) /* hvc #ISA_MC_RETURN */
#define ISA_HOST_SMC (ISA_HOST_PAGE + 0x10)   /* smc #0; ret */

/*
 * Memory map of the guest images (QEMU virt's secure RAM and the start of
 * its normal RAM). Every image runs with the MMU off (physical addresses).
 */
#define ISA_SRAM_BASE 0x0E000000
#define ISA_SRAM_SIZE 0x01000000
#define ISA_NSRAM_BASE 0x40000000
#define ISA_NSRAM_SIZE 0x02000000
#define ISA_MONITOR_BASE 0x0E000000 /* BL31 */
#define ISA_TEE_BASE 0x0E100000     /* OP-TEE (qemu_armv8a's TZDRAM start) */
#define ISA_REE_BASE 0x40000000     /* Linux */

/* The most PEs the images have per-CPU data for (GIC_MAX_PES). */
#define ISA_MAX_CPUS 256

/* SCR_EL3 bits (Arm ARM D19.2.130) and the values the monitor uses per world. */
#define ISA_SCR_NS (1 << 0)
#define ISA_SCR_IRQ (1 << 1)
#define ISA_SCR_FIQ (1 << 2)
#define ISA_SCR_EA (1 << 3)
#define ISA_SCR_RES1 (3 << 4)
#define ISA_SCR_SMD (1 << 7)
#define ISA_SCR_HCE (1 << 8)
#define ISA_SCR_RW (1 << 10)
/* HCR_EL2.RW: lower ELs are AArch64 (Unicorn implements EL2; without it NS-EL1 is AArch32). */
#define ISA_HCR_RW (1 << 31)

/* SPSR/PSTATE fields. */
#define ISA_SPSR_EL1H 0x5
#define ISA_SPSR_EL3H 0xd
#define ISA_SPSR_DAIF (0xf << 6)
#define ISA_SPSR_F (1 << 6)
#define ISA_SPSR_I (1 << 7)

#ifdef __ASSEMBLER__
/*
 * A vector the guest never expects to take, at offset @off of a table
 * (VBAR_EL@el): report it to the host with ESR_EL@el and ELR_EL@el.
 */
.macro isa_unexpected_vector off, el
	.balign 0x80
	mov	x0, #\off
	mrs	x1, esr_el\el
	mrs	x2, elr_el\el
	hvc	#ISA_MC_UNEXPECTED
	b	.
.endm
#endif

#endif
