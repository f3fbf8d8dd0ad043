/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/ree/guest/entry.S: Linux's entry points, its EL1 vector table and
 * the SMCCC call.
 *
 * Follows Linux 6.1 (no code copied): arch/arm64/kernel/head.S
 * (primary_entry, secondary_entry: the stack and VBAR_EL1),
 * arch/arm64/kernel/entry.S (vectors, kernel_entry/kernel_exit around
 * el1h_64_irq_handler -> el1_interrupt -> handle_arch_irq),
 * arch/arm64/kernel/smccc-call.S (__arm_smccc_smc), and the idle loop
 * (cpu_do_idle: WFI), where the engine's run ends until an interrupt.
 */
#include "models/ree/guest/linux.h"

#define PT_REGS_SIZE 0x120	/* x0..x30, sp, pc, pstate (+ pad to 16) */

	.section .text.entry, "ax"

/* SP = the end of this CPU's kernel stack, VBAR_EL1 = vectors. Clobbers x0..x2. */
.macro set_cpu_stack
	mrs	x0, mpidr_el1
	ubfx	x1, x0, #8, #8
	and	x0, x0, #0xf
	add	x0, x0, x1, lsl #4
	add	x0, x0, #1
	mov	x1, #LINUX_CPU_STACK
	mul	x0, x0, x1
	ldr	x1, =linux_cpu_stacks
	add	x0, x0, x1
	msr	spsel, #1
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
.endm

	.global _start
_start:					/* primary_entry, from BL31 (EL1h, DAIF masked) */
	set_cpu_stack
	bl	start_kernel
	b	cpu_idle_loop

	.global secondary_entry
secondary_entry:			/* from PSCI CPU_ON, x0 = context id */
	set_cpu_stack
	bl	secondary_start_kernel
	b	cpu_idle_loop

/* do_idle -> cpu_do_idle: interrupts on, then WFI (the run ends until one is pending). */
	.global cpu_idle_loop
cpu_idle_loop:
	msr	daifclr, #2
	hvc	#ISA_MC_IDLE
	b	cpu_idle_loop

/*
 * __arm_smccc_smc(a0..a7 in x0..x7, struct arm_smccc_res *res at [sp],
 * quirk at [sp, #8]): SMC #0, then a0..a3 into *res.
 */
	.global __arm_smccc_smc
__arm_smccc_smc:
	smc	#0
	ldr	x4, [sp]
	stp	x0, x1, [x4, #0]
	stp	x2, x3, [x4, #16]
	ret

/* ---- the vector table (VBAR_EL1) ---------------------------------------------------------- */

.macro unexpected_vector off	/* models/cpu/isa_abi.h, EL1 */
	isa_unexpected_vector \off, 1
.endm

	.balign 2048
	.global vectors
vectors:
	unexpected_vector 0x000		/* EL1t: the kernel runs EL1h */
	unexpected_vector 0x080
	unexpected_vector 0x100
	unexpected_vector 0x180
	unexpected_vector 0x200		/* EL1h sync */
	.balign 0x80			/* 0x280: EL1h IRQ: el1h_64_irq */
	b	el1h_64_irq
	unexpected_vector 0x300		/* EL1h FIQ: Group 0 is not the kernel's */
	unexpected_vector 0x380
	unexpected_vector 0x400		/* EL0: no user space here */
	unexpected_vector 0x480
	unexpected_vector 0x500
	unexpected_vector 0x580
	unexpected_vector 0x600
	unexpected_vector 0x680
	unexpected_vector 0x700
	unexpected_vector 0x780

/* kernel_entry 1: struct pt_regs on the kernel stack. */
el1h_64_irq:
	sub	sp, sp, #PT_REGS_SIZE
	stp	x0, x1, [sp, #0x00]
	stp	x2, x3, [sp, #0x10]
	stp	x4, x5, [sp, #0x20]
	stp	x6, x7, [sp, #0x30]
	stp	x8, x9, [sp, #0x40]
	stp	x10, x11, [sp, #0x50]
	stp	x12, x13, [sp, #0x60]
	stp	x14, x15, [sp, #0x70]
	stp	x16, x17, [sp, #0x80]
	stp	x18, x19, [sp, #0x90]
	stp	x20, x21, [sp, #0xa0]
	stp	x22, x23, [sp, #0xb0]
	stp	x24, x25, [sp, #0xc0]
	stp	x26, x27, [sp, #0xd0]
	stp	x28, x29, [sp, #0xe0]
	add	x21, sp, #PT_REGS_SIZE
	stp	x30, x21, [sp, #0xf0]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #0x100]
	mov	x0, sp
	bl	el1_interrupt
	/* kernel_exit 1 */
	ldp	x22, x23, [sp, #0x100]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #0x00]
	ldp	x2, x3, [sp, #0x10]
	ldp	x4, x5, [sp, #0x20]
	ldp	x6, x7, [sp, #0x30]
	ldp	x8, x9, [sp, #0x40]
	ldp	x10, x11, [sp, #0x50]
	ldp	x12, x13, [sp, #0x60]
	ldp	x14, x15, [sp, #0x70]
	ldp	x16, x17, [sp, #0x80]
	ldp	x18, x19, [sp, #0x90]
	ldp	x20, x21, [sp, #0xa0]
	ldp	x22, x23, [sp, #0xb0]
	ldp	x24, x25, [sp, #0xc0]
	ldp	x26, x27, [sp, #0xd0]
	ldp	x28, x29, [sp, #0xe0]
	ldr	x30, [sp, #0xf0]
	add	sp, sp, #PT_REGS_SIZE
	eret

	.ltorg
