/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/tee/guest/entry_a64.S: OP-TEE's entry points, the vector table it
 * hands to the monitor, its own exception vectors, and the thread switch.
 *
 * Follows OP-TEE OS (no code copied):
 *  - core/arch/arm/kernel/entry_a64.S (_start: stacks, VBAR_EL1, smc
 *    TEESMC_OPTEED_RETURN_ENTRY_DONE with x1 = thread_vector_table;
 *    cpu_on_handler);
 *  - core/arch/arm/kernel/thread_optee_smc_a64.S (thread_vector_table,
 *    vector_std_smc_entry, vector_fast_smc_entry, vector_fiq_entry and the
 *    PM entries, thread_std_smc_entry, thread_rpc);
 *  - core/arch/arm/kernel/thread_a64.S (thread_resume, thread_excp_vect:
 *    the native interrupt handler and the foreign interrupt exit,
 *    foreign_intr_handler).
 * Stacks: each CPU's temporary stack is SP_EL1 (the entries run EL1h with
 * every exception masked); a thread runs EL1t on its own stack in SP_EL0.
 * TPIDR_EL1 points at the CPU's struct thread_core_local.
 */
#include "models/tee/guest/optee_private.h"

	.section .text.entry, "ax"

/*
 * set_sp_core_local: SP (SP_EL1) = the end of this CPU's temporary stack,
 * TPIDR_EL1 = &thread_core_local[pos] (thread_get_tmp_sp). Every exit to
 * the monitor leaves SP_EL1 there, so the next entry starts on an empty
 * stack. Clobbers x0..x2.
 */
.macro set_sp_core_local
	mrs	x0, mpidr_el1
	ubfx	x1, x0, #8, #8
	and	x0, x0, #0xf
	add	x0, x0, x1, lsl #4		/* plat_my_core_pos */
	ldr	x1, =thread_core_local
	add	x1, x1, x0, lsl #4		/* THREAD_CORE_LOCAL_SIZE */
	msr	tpidr_el1, x1
	add	x0, x0, #1
	mov	x1, #OPTEE_TMP_STACK
	mul	x0, x0, x1
	ldr	x1, =stack_tmp
	add	x0, x0, x1
	msr	spsel, #1
	mov	sp, x0
.endm

	.global _start
_start:					/* cold boot on the primary CPU, from BL31 */
	set_sp_core_local
	adr	x0, thread_excp_vect
	msr	vbar_el1, x0
	isb
	bl	boot_init_primary
	ldr	x0, =TEESMC_OPTEED_RETURN_ENTRY_DONE
	adr	x1, thread_vector_table
	smc	#0
	b	.

/* ---- the vector table BL31 enters through (opteed's optee_vectors_t) ---------------------- */

	.balign 8
	.global thread_vector_table
thread_vector_table:
	b	vector_std_smc_entry
	b	vector_fast_smc_entry
	b	vector_cpu_on_entry
	b	vector_cpu_off_entry
	b	vector_cpu_resume_entry
	b	vector_cpu_suspend_entry
	b	vector_fiq_entry
	b	vector_system_off_entry
	b	vector_system_reset_entry

/*
 * An SMC entry: x0..x7 as a struct thread_smc_args on the stack, @handler
 * called with its address, a0..a3 back as x1..x4 with CALL_DONE.
 */
.macro smc_entry handler
	sub	sp, sp, #0x40
	stp	x0, x1, [sp, #0x00]
	stp	x2, x3, [sp, #0x10]
	stp	x4, x5, [sp, #0x20]
	stp	x6, x7, [sp, #0x30]
	mov	x0, sp
	bl	\handler
	ldp	x1, x2, [sp, #0x00]
	ldp	x3, x4, [sp, #0x10]
	add	sp, sp, #0x40
	ldr	x0, =TEESMC_OPTEED_RETURN_CALL_DONE
	smc	#0
	b	.
.endm

/*
 * A yielding call: thread_handle_std_smc either resumes a thread (never
 * returns here) or returns with the result in a0 (ETHREAD_LIMIT, ERESUME).
 */
vector_std_smc_entry:
	smc_entry thread_handle_std_smc

/* A fast call: handled on the temporary stack, results a0..a3 go back as x1..x4. */
vector_fast_smc_entry:
	smc_entry thread_handle_fast_smc

/* A secure interrupt that arrived in the normal world (x0 = its PC): handle it, FIQ_DONE. */
vector_fiq_entry:
	bl	itr_core_handler
	ldr	x0, =TEESMC_OPTEED_RETURN_FIQ_DONE
	smc	#0
	b	.

vector_cpu_on_entry:
	set_sp_core_local
	adr	x0, thread_excp_vect
	msr	vbar_el1, x0
	isb
	bl	cpu_on_handler
	mov	x1, x0
	ldr	x0, =TEESMC_OPTEED_RETURN_ON_DONE
	smc	#0
	b	.

vector_cpu_off_entry:
	bl	cpu_off_handler
	mov	x1, x0
	ldr	x0, =TEESMC_OPTEED_RETURN_OFF_DONE
	smc	#0
	b	.

vector_cpu_resume_entry:
	mov	x1, #0
	ldr	x0, =TEESMC_OPTEED_RETURN_RESUME_DONE
	smc	#0
	b	.

vector_cpu_suspend_entry:
	mov	x1, #0
	ldr	x0, =TEESMC_OPTEED_RETURN_SUSPEND_DONE
	smc	#0
	b	.

vector_system_off_entry:
	mov	x1, #0
	ldr	x0, =TEESMC_OPTEED_RETURN_SYSTEM_OFF_DONE
	smc	#0
	b	.

vector_system_reset_entry:
	mov	x1, #0
	ldr	x0, =TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE
	smc	#0
	b	.

/* ---- threads ---------------------------------------------------------------------------- */

/* thread_resume(x0 = struct thread_ctx_regs *): SP_EL0, ELR/SPSR_EL1, x0..x30, ERET into the thread. */
	.global thread_resume
thread_resume:
	ldr	x1, [x0, #THREAD_CTX_REGS_SP]
	msr	sp_el0, x1
	ldp	x1, x2, [x0, #THREAD_CTX_REGS_PC]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x2, x3, [x0, #THREAD_CTX_REGS_X(2)]
	ldp	x4, x5, [x0, #THREAD_CTX_REGS_X(4)]
	ldp	x6, x7, [x0, #THREAD_CTX_REGS_X(6)]
	ldp	x8, x9, [x0, #THREAD_CTX_REGS_X(8)]
	ldp	x10, x11, [x0, #THREAD_CTX_REGS_X(10)]
	ldp	x12, x13, [x0, #THREAD_CTX_REGS_X(12)]
	ldp	x14, x15, [x0, #THREAD_CTX_REGS_X(14)]
	ldp	x16, x17, [x0, #THREAD_CTX_REGS_X(16)]
	ldp	x18, x19, [x0, #THREAD_CTX_REGS_X(18)]
	ldp	x20, x21, [x0, #THREAD_CTX_REGS_X(20)]
	ldp	x22, x23, [x0, #THREAD_CTX_REGS_X(22)]
	ldp	x24, x25, [x0, #THREAD_CTX_REGS_X(24)]
	ldp	x26, x27, [x0, #THREAD_CTX_REGS_X(26)]
	ldp	x28, x29, [x0, #THREAD_CTX_REGS_X(28)]
	ldr	x30, [x0, #THREAD_CTX_REGS_X(30)]
	ldp	x0, x1, [x0, #THREAD_CTX_REGS_X(0)]
	eret

/*
 * thread_std_smc_entry: the first code of a thread (x0..x7 = the call).
 * When the call is done: mask everything, back to the temporary stack
 * (SP_EL1), free the thread, CALL_DONE with x1 = the result.
 */
	.global thread_std_smc_entry
thread_std_smc_entry:
	bl	__thread_std_smc_entry
	mov	w20, w0
	msr	daifset, #0xf
	set_sp_core_local
	bl	thread_state_free
	ldr	x0, =TEESMC_OPTEED_RETURN_CALL_DONE
	mov	w1, w20
	mov	x2, #0
	mov	x3, #0
	mov	x4, #0
	smc	#0
	b	.

/*
 * thread_rpc(x0 = uint32_t rv[4]): leave the thread for an RPC to the
 * normal world with a0..a2 = rv[0..2]; when it resumes (RETURN_FROM_RPC),
 * rv[0..3] = a0..a3 of that call. Returns rv[0].
 */
	.global thread_rpc
thread_rpc:
	sub	sp, sp, #0x70
	stp	x19, x20, [sp, #0x00]
	stp	x21, x22, [sp, #0x10]
	stp	x23, x24, [sp, #0x20]
	stp	x25, x26, [sp, #0x30]
	stp	x27, x28, [sp, #0x40]
	stp	x29, x30, [sp, #0x50]
	str	x0, [sp, #0x60]
	mov	x19, x0
	mov	x20, sp
	mrs	x21, daif
	orr	x21, x21, #0x4			/* EL1t */
	msr	daifset, #0xf
	set_sp_core_local
	mov	x0, #THREAD_FLAGS_COPY_ARGS_ON_RETURN
	mov	x1, x21
	adr	x2, .Lthread_rpc_return
	mov	x3, x20
	bl	thread_state_suspend		/* w0 = the thread's id */
	mov	w4, w0
	ldp	w1, w2, [x19, #0]
	ldr	w3, [x19, #8]
	ldr	x0, =TEESMC_OPTEED_RETURN_CALL_DONE
	smc	#0
	b	.
.Lthread_rpc_return:			/* thread_resume, x0..x3 = a0..a3 of RETURN_FROM_RPC */
	ldr	x16, [sp, #0x60]
	stp	w0, w1, [x16, #0]
	stp	w2, w3, [x16, #8]
	ldp	x19, x20, [sp, #0x00]
	ldp	x21, x22, [sp, #0x10]
	ldp	x23, x24, [sp, #0x20]
	ldp	x25, x26, [sp, #0x30]
	ldp	x27, x28, [sp, #0x40]
	ldp	x29, x30, [sp, #0x50]
	add	sp, sp, #0x70
	ret

/* ---- exception vectors of S-EL1 (VBAR_EL1) ------------------------------------------------ */

.macro unexpected_vector off	/* models/cpu/isa_abi.h, EL1 */
	isa_unexpected_vector \off, 1
.endm

	.balign 2048
	.global thread_excp_vect
thread_excp_vect:
	unexpected_vector 0x000		/* current EL with SP_EL0 (a thread): sync */
	.balign 0x80			/* 0x080: IRQ in a thread: a native interrupt */
	b	native_intr_handler
	.balign 0x80			/* 0x100: FIQ in a thread: a foreign interrupt */
	b	foreign_intr_handler
	unexpected_vector 0x180
	unexpected_vector 0x200		/* current EL with SP_ELx: the entries run masked */
	.balign 0x80			/* 0x280: IRQ */
	b	native_intr_handler
	unexpected_vector 0x300
	unexpected_vector 0x380
	unexpected_vector 0x400		/* lower EL: there is no S-EL0 code */
	unexpected_vector 0x480
	unexpected_vector 0x500
	unexpected_vector 0x580
	unexpected_vector 0x600
	unexpected_vector 0x680
	unexpected_vector 0x700
	unexpected_vector 0x780

/*
 * native_intr_handler: a secure interrupt taken in S-EL1. Save what the C
 * handler may clobber and the exception registers on the temporary stack,
 * handle it, ERET to where it was taken.
 */
native_intr_handler:
	sub	sp, sp, #0xb0
	stp	x0, x1, [sp, #0x00]
	stp	x2, x3, [sp, #0x10]
	stp	x4, x5, [sp, #0x20]
	stp	x6, x7, [sp, #0x30]
	stp	x8, x9, [sp, #0x40]
	stp	x10, x11, [sp, #0x50]
	stp	x12, x13, [sp, #0x60]
	stp	x14, x15, [sp, #0x70]
	stp	x16, x17, [sp, #0x80]
	stp	x18, x30, [sp, #0x90]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #0xa0]
	bl	itr_core_handler
	ldp	x0, x1, [sp, #0xa0]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0x00]
	ldp	x2, x3, [sp, #0x10]
	ldp	x4, x5, [sp, #0x20]
	ldp	x6, x7, [sp, #0x30]
	ldp	x8, x9, [sp, #0x40]
	ldp	x10, x11, [sp, #0x50]
	ldp	x12, x13, [sp, #0x60]
	ldp	x14, x15, [sp, #0x70]
	ldp	x16, x17, [sp, #0x80]
	ldp	x18, x30, [sp, #0x90]
	add	sp, sp, #0xb0
	eret

/*
 * foreign_intr_handler: a normal-world interrupt while a thread ran. Save
 * the thread whole into threads[curr].regs, suspend it, and leave with
 * CALL_DONE: a0 = RPC_FOREIGN_INTR, a3 = the thread. The normal world takes
 * its interrupt, then RETURN_FROM_RPC resumes the thread where it was.
 */
foreign_intr_handler:
	stp	x0, x1, [sp, #-0x20]!
	stp	x2, x3, [sp, #0x10]
	mrs	x0, tpidr_el1
	ldrsw	x1, [x0, #THREAD_CORE_LOCAL_CURR_THREAD]
	mov	x2, #THREAD_CTX_SIZE
	ldr	x3, =threads
	madd	x0, x1, x2, x3			/* &threads[curr].regs */
	stp	x4, x5, [x0, #THREAD_CTX_REGS_X(4)]
	stp	x6, x7, [x0, #THREAD_CTX_REGS_X(6)]
	stp	x8, x9, [x0, #THREAD_CTX_REGS_X(8)]
	stp	x10, x11, [x0, #THREAD_CTX_REGS_X(10)]
	stp	x12, x13, [x0, #THREAD_CTX_REGS_X(12)]
	stp	x14, x15, [x0, #THREAD_CTX_REGS_X(14)]
	stp	x16, x17, [x0, #THREAD_CTX_REGS_X(16)]
	stp	x18, x19, [x0, #THREAD_CTX_REGS_X(18)]
	stp	x20, x21, [x0, #THREAD_CTX_REGS_X(20)]
	stp	x22, x23, [x0, #THREAD_CTX_REGS_X(22)]
	stp	x24, x25, [x0, #THREAD_CTX_REGS_X(24)]
	stp	x26, x27, [x0, #THREAD_CTX_REGS_X(26)]
	stp	x28, x29, [x0, #THREAD_CTX_REGS_X(28)]
	str	x30, [x0, #THREAD_CTX_REGS_X(30)]
	ldp	x2, x3, [sp, #0x10]
	stp	x2, x3, [x0, #THREAD_CTX_REGS_X(2)]
	ldp	x2, x3, [sp], #0x20
	stp	x2, x3, [x0, #THREAD_CTX_REGS_X(0)]
	mrs	x1, sp_el0
	str	x1, [x0, #THREAD_CTX_REGS_SP]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [x0, #THREAD_CTX_REGS_PC]
	set_sp_core_local
	mov	x0, #THREAD_FLAGS_EXIT_ON_FOREIGN_INTR
	bl	thread_foreign_intr_suspend	/* w0 = the thread's id */
	mov	w4, w0
	ldr	x0, =TEESMC_OPTEED_RETURN_CALL_DONE
	ldr	x1, =OPTEE_SMC_RETURN_RPC_FOREIGN_INTR
	mov	x2, #0
	mov	x3, #0
	smc	#0
	b	.

	.ltorg
