/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/guest/guest.h: what every guest image's C code uses. System
 * register access, the model call (isa_abi.h), the SMC Calling Convention
 * call, MMIO, and the core position of tzsim's topology. Freestanding: no
 * libc beyond memcpy/memset (lib.c), which GCC may call for struct copies.
 */
#ifndef MODELS_CPU_GUEST_GUEST_H
#define MODELS_CPU_GUEST_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/cpu/isa_abi.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define read_sysreg(r)                                                  \
	({                                                              \
		uint64_t __v;                                           \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));            \
		__v;                                                    \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)) : "memory")

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")

/* Results of an SMC or a model call: x0..x3. */
struct guest_res {
	uint64_t a0, a1, a2, a3;
};

/*
 * The model call: hvc #imm with x0..x3 in and out (isa_abi.h). A macro with
 * register variables: its arguments must not contain function calls (a
 * call evaluated after x0 is bound would clobber it).
 */
#define MODEL_CALL(imm, a0, a1, a2, a3)                                                  \
	({                                                                                \
		register uint64_t __x0 __asm__("x0") = (uint64_t)(a0);                    \
		register uint64_t __x1 __asm__("x1") = (uint64_t)(a1);                    \
		register uint64_t __x2 __asm__("x2") = (uint64_t)(a2);                    \
		register uint64_t __x3 __asm__("x3") = (uint64_t)(a3);                    \
		__asm__ volatile("hvc #" STR(imm)                                             \
				 : "+r"(__x0), "+r"(__x1), "+r"(__x2), "+r"(__x3)         \
				 :                                                        \
				 : "x4", "x5", "x6", "x7", "memory");                     \
		(struct guest_res){ __x0, __x1, __x2, __x3 };                             \
	})

/* A protocol-level trace record (ISA_MC_TRACE never ends the run and costs nothing). */
#define GUEST_TRACE(code, a, b, c) ((void)MODEL_CALL(ISA_MC_TRACE, (code), (a), (b), (c)))

/* A guest assertion: the engine stops the run with an error naming the line. */
#define GUEST_ASSERT(cond)                                                        \
	do {                                                                      \
		if (!(cond))                                                      \
			(void)MODEL_CALL(ISA_MC_PANIC, __LINE__, 0, 0, 0);        \
	} while (0)

/*
 * SMC Calling Convention v1.2 (DEN 0028), what Linux's arm_smccc_smc()
 * does: x0 = function ID, x1..x7 arguments, results in x0..x3 (x4..x17 may be
 * clobbered by the callee under SMCCC v1.0; x4..x7 are restored by this
 * call's contract only up to SMCCC 1.1, so they are declared clobbered).
 */
static inline struct guest_res guest_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
					 uint64_t a5, uint64_t a6, uint64_t a7)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;
	register uint64_t x6 __asm__("x6") = a6;
	register uint64_t x7 __asm__("x7") = a7;
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
			 :
			 : "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct guest_res){ x0, x1, x2, x3 };
}

static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static inline uint64_t mmio_read64(uint64_t a) { return *(volatile uint64_t *)a; }

/*
 * plat_my_core_pos (TF-A plat/qemu: plat_qemu_calc_core_pos): the linear
 * core index from MPIDR_EL1. tzsim's topology has clusters of 16
 * (models/cpu/pe.h pe_mpidr): Aff1 * 16 + Aff0.
 */
static inline unsigned plat_my_core_pos(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	return (unsigned)(((mpidr >> 8) & 0xff) * 16 + (mpidr & 0xf));
}

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);

#endif
