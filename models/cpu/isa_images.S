/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/isa_images.S: the guest images, embedded in the library as
 * they were linked (build/guest/<world>.elf). The host assembler includes
 * each file whole; isa_mem.c finds them by these symbols (isa_builtin_image),
 * with their sizes in isa_image_<world>_size.
 */
#if !defined(GUEST_MONITOR) || !defined(GUEST_TEE) || !defined(GUEST_REE)
#error "GUEST_MONITOR, GUEST_TEE, GUEST_REE: the guest ELFs' paths (set by the Makefile)"
#endif

	.section .rodata.isa_images, "a"

	.balign 16
	.global isa_image_monitor
isa_image_monitor:
	.incbin GUEST_MONITOR
1:
	.balign 8
	.global isa_image_monitor_size
isa_image_monitor_size:
	.quad 1b - isa_image_monitor

	.balign 16
	.global isa_image_tee
isa_image_tee:
	.incbin GUEST_TEE
1:
	.balign 8
	.global isa_image_tee_size
isa_image_tee_size:
	.quad 1b - isa_image_tee

	.balign 16
	.global isa_image_ree
isa_image_ree:
	.incbin GUEST_REE
1:
	.balign 8
	.global isa_image_ree_size
isa_image_ree_size:
	.quad 1b - isa_image_ree

	.section .note.GNU-stack, "", %progbits
