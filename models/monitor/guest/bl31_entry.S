/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/monitor/guest/bl31_entry.S: BL31's entry points, its exception
 * vectors and the context save/restore around them.
 *
 * Follows TF-A (no code copied):
 *  - bl31/aarch64/bl31_entrypoint.S (bl31_entrypoint, bl31_warm_entrypoint)
 *    and include/arch/aarch64/el3_common_macros.S (el3_entrypoint_common):
 *    VBAR_EL3, SCR_EL3, the per-CPU runtime stack in SP_EL0;
 *  - bl31/aarch64/runtime_exceptions.S: the lower-EL AArch64 sync vector
 *    (sync_exception_aarch64 -> handle_sync_exception -> smc_handler64) and
 *    FIQ vector (handle_interrupt_exception); SP_EL3 always points at the
 *    cpu_context of the world that was running, the C runtime uses SP_EL0;
 *  - lib/el3_runtime/aarch64/context.S: el1_sysregs_context_save/restore,
 *    save_gp_pmcr_pauth_regs, el3_exit;
 *  - services/spd/opteed/opteed_helpers.S: opteed_enter_sp, opteed_exit_sp.
 */
#include "models/monitor/guest/bl31.h"

	.section .text.entry, "ax"

/*
 * bl31_entrypoint: the cold boot of the primary CPU, at EL3 from reset (the
 * host enters here). bl31_warm_entrypoint: every later power-up (PSCI
 * CPU_ON), the same set-up, then psci_warmboot_entrypoint.
 */
	.global _start
	.global bl31_entrypoint
_start:
bl31_entrypoint:
	bl	el3_entrypoint_common
	bl	bl31_main			/* returns when the normal world may start */
	b	el3_exit

	.global bl31_warm_entrypoint
bl31_warm_entrypoint:
	bl	el3_entrypoint_common
	bl	psci_warmboot_entrypoint
	b	el3_exit

/*
 * el3_entrypoint_common: VBAR_EL3, SCR_EL3 (HCE so that the model call works
 * before the first world is set up), HCR_EL2.RW (lower ELs are AArch64:
 * EL2 exists in Unicorn's cores), then the runtime stack of this CPU in
 * SP_EL0 (plat_set_my_stack) with SPSel = 0, and SP_EL3 at this CPU's
 * non-secure context (cm_init_my_context). Clobbers x0..x2, x30 kept.
 */
el3_entrypoint_common:
	adr	x0, runtime_exceptions
	msr	vbar_el3, x0
	mov	x0, #(ISA_SCR_RES1 | ISA_SCR_RW | ISA_SCR_HCE)
	msr	scr_el3, x0
	mov	x0, #ISA_HCR_RW
	msr	hcr_el2, x0
	isb
	mov	x3, x30
	bl	plat_my_cpu_data
	mov	x30, x3
	ldr	x1, =(BL31_STACK_OFFSET + BL31_STACK_SIZE)
	add	x1, x0, x1
	msr	spsel, #1
	add	x2, x0, #(BL31_NON_SECURE * CTX_SIZE)
	mov	sp, x2
	msr	spsel, #0
	mov	sp, x1
	ret

/*
 * plat_my_cpu_data: x0 = &bl31_cpus[plat_my_core_pos()] (TF-A
 * _cpu_data_by_index); no stack, clobbers x1, x2.
 */
	.global plat_my_cpu_data
plat_my_cpu_data:
	mrs	x0, mpidr_el1
	ubfx	x1, x0, #8, #8
	and	x0, x0, #0xf
	add	x0, x0, x1, lsl #4
	mov	x1, #BL31_CPU_SIZE
	ldr	x2, =bl31_cpus
	madd	x0, x0, x1, x2
	ret

/*
 * cm_set_next_eret_context (TF-A lib/el3_runtime/aarch64/context_mgmt.c):
 * SP_EL3 = @x0, the context el3_exit restores. Called from C on SP_EL0.
 */
	.global cm_set_next_eret_context_ptr
cm_set_next_eret_context_ptr:
	msr	spsel, #1
	mov	sp, x0
	msr	spsel, #0
	ret

/* cm_get_next_eret_context: the current SP_EL3. */
	.global cm_get_next_eret_context_ptr
cm_get_next_eret_context_ptr:
	msr	spsel, #1
	mov	x0, sp
	msr	spsel, #0
	ret

/* ---- context save and restore -------------------------------------------------------- */

/* save_gp_pmcr_pauth_regs: x0..x29 (x30 is saved by the vector), SP_EL0. */
.macro save_gp_regs
	stp	x0, x1, [sp, #CTX_GPREGS + 0x00]
	stp	x2, x3, [sp, #CTX_GPREGS + 0x10]
	stp	x4, x5, [sp, #CTX_GPREGS + 0x20]
	stp	x6, x7, [sp, #CTX_GPREGS + 0x30]
	stp	x8, x9, [sp, #CTX_GPREGS + 0x40]
	stp	x10, x11, [sp, #CTX_GPREGS + 0x50]
	stp	x12, x13, [sp, #CTX_GPREGS + 0x60]
	stp	x14, x15, [sp, #CTX_GPREGS + 0x70]
	stp	x16, x17, [sp, #CTX_GPREGS + 0x80]
	stp	x18, x19, [sp, #CTX_GPREGS + 0x90]
	stp	x20, x21, [sp, #CTX_GPREGS + 0xa0]
	stp	x22, x23, [sp, #CTX_GPREGS + 0xb0]
	stp	x24, x25, [sp, #CTX_GPREGS + 0xc0]
	stp	x26, x27, [sp, #CTX_GPREGS + 0xd0]
	stp	x28, x29, [sp, #CTX_GPREGS + 0xe0]
	mrs	x18, sp_el0
	str	x18, [sp, #CTX_SP_EL0]
.endm

/*
 * Everything the C handlers need, after save_gp_regs: the EL3 state of the
 * interrupted world into its context, x6 = the context (the "handle"), x7 =
 * flags (bit 0: the caller is Non-secure, SCR_EL3.NS), then the runtime
 * stack of this CPU (SP_EL0).
 */
.macro enter_el3_runtime
	mrs	x16, spsr_el3
	mrs	x17, elr_el3
	mrs	x18, scr_el3
	mrs	x19, esr_el3
	stp	x16, x17, [sp, #CTX_SPSR_EL3]
	str	x18, [sp, #CTX_SCR_EL3]
	str	x19, [sp, #CTX_ESR_EL3]
	and	x7, x18, #ISA_SCR_NS
	mov	x6, sp
	ldr	x12, [sp, #CTX_RUNTIME_SP]
	msr	spsel, #0
	mov	sp, x12
.endm

/*
 * el3_exit: leave EL3 into the context SP_EL3 points at. The runtime stack
 * pointer is remembered in that context for its next exception; then
 * SCR_EL3, SPSR_EL3, ELR_EL3, SP_EL0 and x0..x30, and ERET.
 */
	.global el3_exit
el3_exit:
	mov	x17, sp
	msr	spsel, #1
	str	x17, [sp, #CTX_RUNTIME_SP]
	ldr	x18, [sp, #CTX_SCR_EL3]
	ldp	x16, x17, [sp, #CTX_SPSR_EL3]
	msr	scr_el3, x18
	msr	spsr_el3, x16
	msr	elr_el3, x17
	ldr	x28, [sp, #CTX_SP_EL0]
	msr	sp_el0, x28
	ldp	x0, x1, [sp, #CTX_GPREGS + 0x00]
	ldp	x2, x3, [sp, #CTX_GPREGS + 0x10]
	ldp	x4, x5, [sp, #CTX_GPREGS + 0x20]
	ldp	x6, x7, [sp, #CTX_GPREGS + 0x30]
	ldp	x8, x9, [sp, #CTX_GPREGS + 0x40]
	ldp	x10, x11, [sp, #CTX_GPREGS + 0x50]
	ldp	x12, x13, [sp, #CTX_GPREGS + 0x60]
	ldp	x14, x15, [sp, #CTX_GPREGS + 0x70]
	ldp	x16, x17, [sp, #CTX_GPREGS + 0x80]
	ldp	x18, x19, [sp, #CTX_GPREGS + 0x90]
	ldp	x20, x21, [sp, #CTX_GPREGS + 0xa0]
	ldp	x22, x23, [sp, #CTX_GPREGS + 0xb0]
	ldp	x24, x25, [sp, #CTX_GPREGS + 0xc0]
	ldp	x26, x27, [sp, #CTX_GPREGS + 0xd0]
	ldp	x28, x29, [sp, #CTX_GPREGS + 0xe0]
	ldr	x30, [sp, #CTX_X30]
	eret

/*
 * el1_sysregs_context_save(x0 = &ctx->el1[0]) / el1_sysregs_context_restore:
 * the EL1 system registers of one world (TF-A's list without the
 * FEAT_* extras: PMCR, MTE, pointer authentication, ...).
 */
	.global el1_sysregs_context_save
el1_sysregs_context_save:
	mrs	x9, spsr_el1
	mrs	x10, elr_el1
	stp	x9, x10, [x0, #0x00]
	mrs	x15, sctlr_el1
	mrs	x16, tcr_el1
	stp	x15, x16, [x0, #0x10]
	mrs	x17, cpacr_el1
	mrs	x9, csselr_el1
	stp	x17, x9, [x0, #0x20]
	mrs	x10, sp_el1
	mrs	x11, esr_el1
	stp	x10, x11, [x0, #0x30]
	mrs	x12, ttbr0_el1
	mrs	x13, ttbr1_el1
	stp	x12, x13, [x0, #0x40]
	mrs	x14, mair_el1
	mrs	x15, amair_el1
	stp	x14, x15, [x0, #0x50]
	mrs	x16, actlr_el1
	mrs	x17, tpidr_el1
	stp	x16, x17, [x0, #0x60]
	mrs	x9, tpidr_el0
	mrs	x10, tpidrro_el0
	stp	x9, x10, [x0, #0x70]
	mrs	x13, par_el1
	mrs	x14, far_el1
	stp	x13, x14, [x0, #0x80]
	mrs	x15, afsr0_el1
	mrs	x16, afsr1_el1
	stp	x15, x16, [x0, #0x90]
	mrs	x17, contextidr_el1
	mrs	x9, vbar_el1
	stp	x17, x9, [x0, #0xa0]
	mrs	x10, cntkctl_el1
	mrs	x11, mdscr_el1
	stp	x10, x11, [x0, #0xb0]
	ret

/*
 * Placement for the host, not the guest: Unicorn 2.0.1 (QEMU 5.0) looks a
 * translation block up in a per-CPU jump cache whose slot is
 * ((pc ^ pc >> 4) >> 4 & 0xfc0) | ((pc ^ pc >> 4) & 0x3f) (tb-hash.h with
 * 1 KiB target pages). Where every MSR here ends a block (Unicorn itself, or
 * isa_config.tb_end_all), this routine starts 21 blocks per world switch,
 * each looked up in that cache. Beside the save routine (at 0x1a0 of the
 * first 1 KiB page) three pairs of them shared a slot and missed on every
 * switch (a hash-table lookup of ~300 host instructions each); alone at
 * offset 0xa8 of its own 1 KiB page one pair does, the fewest of any offset
 * (docs/calibration.md section 5.4). No guest instruction changes, only
 * addresses. The engine now translates these writes at EL3 without ending
 * the block (models/cpu/isa_engine.c, "blocks in parts"): the routine is one
 * block, and the placement stays (moving it would change the image's hash,
 * and with it the ISA digests, for nothing).
 */
	.balign 1024
	.skip 0xa8
	.global el1_sysregs_context_restore
el1_sysregs_context_restore:
	ldp	x9, x10, [x0, #0x00]
	msr	spsr_el1, x9
	msr	elr_el1, x10
	ldp	x15, x16, [x0, #0x10]
	msr	sctlr_el1, x15
	msr	tcr_el1, x16
	ldp	x17, x9, [x0, #0x20]
	msr	cpacr_el1, x17
	msr	csselr_el1, x9
	ldp	x10, x11, [x0, #0x30]
	msr	sp_el1, x10
	msr	esr_el1, x11
	ldp	x12, x13, [x0, #0x40]
	msr	ttbr0_el1, x12
	msr	ttbr1_el1, x13
	ldp	x14, x15, [x0, #0x50]
	msr	mair_el1, x14
	msr	amair_el1, x15
	ldp	x16, x17, [x0, #0x60]
	msr	actlr_el1, x16
	msr	tpidr_el1, x17
	ldp	x9, x10, [x0, #0x70]
	msr	tpidr_el0, x9
	msr	tpidrro_el0, x10
	ldp	x13, x14, [x0, #0x80]
	msr	par_el1, x13
	msr	far_el1, x14
	ldp	x15, x16, [x0, #0x90]
	msr	afsr0_el1, x15
	msr	afsr1_el1, x16
	ldp	x17, x9, [x0, #0xa0]
	msr	contextidr_el1, x17
	msr	vbar_el1, x9
	ldp	x10, x11, [x0, #0xb0]
	msr	cntkctl_el1, x10
	msr	mdscr_el1, x11
	ret

/*
 * opteed_enter_sp(x0 = &optee_ctx->c_rt_ctx): a synchronous entry into
 * OP-TEE. Saves the callee-saved registers on the runtime stack, records
 * that stack pointer, and leaves EL3 into the context SP_EL3 points at
 * (the caller made it the secure one). opteed_exit_sp(x0 = c_rt_ctx, x1 =
 * ret) returns from opteed_enter_sp with x0 = ret.
 */
	.global opteed_enter_sp
opteed_enter_sp:
	mov	x3, sp
	str	x3, [x0, #0]
	sub	sp, sp, #0x60
	stp	x19, x20, [sp, #0x00]
	stp	x21, x22, [sp, #0x10]
	stp	x23, x24, [sp, #0x20]
	stp	x25, x26, [sp, #0x30]
	stp	x27, x28, [sp, #0x40]
	stp	x29, x30, [sp, #0x50]
	b	el3_exit

	.global opteed_exit_sp
opteed_exit_sp:
	mov	sp, x0
	sub	x0, x0, #0x60
	ldp	x19, x20, [x0, #0x00]
	ldp	x21, x22, [x0, #0x10]
	ldp	x23, x24, [x0, #0x20]
	ldp	x25, x26, [x0, #0x30]
	ldp	x27, x28, [x0, #0x40]
	ldp	x29, x30, [x0, #0x50]
	mov	x0, x1
	ret

/* ffa_model_call(x0 = uint64_t regs[8]): hvc #ISA_MC_FFA with x0..x7 = regs, results into regs. */
	.global ffa_model_call
ffa_model_call:
	mov	x8, x0
	ldp	x0, x1, [x8, #0x00]
	ldp	x2, x3, [x8, #0x10]
	ldp	x4, x5, [x8, #0x20]
	ldp	x6, x7, [x8, #0x30]
	hvc	#ISA_MC_FFA
	stp	x0, x1, [x8, #0x00]
	stp	x2, x3, [x8, #0x10]
	stp	x4, x5, [x8, #0x20]
	stp	x6, x7, [x8, #0x30]
	ret

/* ---- the vector table (VBAR_EL3) --------------------------------------------------------- */

.macro unexpected_vector off	/* models/cpu/isa_abi.h, EL3 */
	isa_unexpected_vector \off, 3
.endm

	.balign 2048
	.global runtime_exceptions
runtime_exceptions:
	unexpected_vector 0x000		/* current EL with SP_EL0: sync, IRQ, FIQ, SError */
	unexpected_vector 0x080
	unexpected_vector 0x100
	unexpected_vector 0x180
	unexpected_vector 0x200		/* current EL with SP_ELx */
	unexpected_vector 0x280
	unexpected_vector 0x300
	unexpected_vector 0x380

	/* 0x400: lower EL, AArch64, synchronous: sync_exception_aarch64 */
	.balign 0x80
sync_exception_aarch64:
	str	x30, [sp, #CTX_X30]
	mrs	x30, esr_el3
	ubfx	x30, x30, #26, #6
	cmp	x30, #0x17			/* EC_AARCH64_SMC */
	b.ne	1f
	b	smc_handler64
1:	mov	x0, #0x400
	mrs	x1, esr_el3
	mrs	x2, elr_el3
	hvc	#ISA_MC_UNEXPECTED
	b	.

	unexpected_vector 0x480		/* lower EL IRQ: the normal world's IRQs stay at NS-EL1 */

	/* 0x500: lower EL, AArch64, FIQ: handle_interrupt_exception */
	.balign 0x80
fiq_aarch64:
	str	x30, [sp, #CTX_X30]
	b	handle_interrupt_exception

	unexpected_vector 0x580		/* SError */
	unexpected_vector 0x600		/* lower EL, AArch32 */
	unexpected_vector 0x680
	unexpected_vector 0x700
	unexpected_vector 0x780

/*
 * smc_handler64: x0 = function ID, x1..x4 = arguments, x6 = the caller's
 * context, x7 = flags. The C dispatcher (bl31_main.c) picks the runtime
 * service by OEN and returns with SP_EL3 at the context to resume.
 */
smc_handler64:
	save_gp_regs
	enter_el3_runtime
	mov	x5, #0				/* cookie */
	bl	el3_smc_dispatch
	b	el3_exit

/*
 * handle_interrupt_exception: the type of the pending interrupt
 * (plat_ic_get_pending_interrupt_type) picks its handler; x0 = id (not
 * read), x1 = flags, x2 = the interrupted context.
 */
handle_interrupt_exception:
	save_gp_regs
	enter_el3_runtime
	mov	x1, x7
	mov	x2, x6
	bl	el3_interrupt_dispatch
	b	el3_exit

	.ltorg
