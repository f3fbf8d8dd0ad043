// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/guest/boot.c: OP-TEE's boot on the primary CPU and the PSCI
 * hooks of the others. Follows OP-TEE OS core/arch/arm/kernel/boot.c
 * (boot_init_primary_late, boot_cpu_on_handler) and thread_optee_smc.c
 * (thread_cpu_on_handler, thread_cpu_off_handler); no code copied.
 */
#include "models/tee/guest/optee_private.h"

/* Filled by the host before the first boot: in .data, never zeroed by the image. */
struct optee_cfg optee_cfg __attribute__((section(".data.cfg")));

void thread_init_threads(void);

void boot_init_primary(void)
{
	thread_init_threads();
	notif_raise_init(true);
}

uint64_t cpu_on_handler(void)
{
	notif_raise_init(false);
	return 0;
}

uint64_t cpu_off_handler(void) { return 0; }
