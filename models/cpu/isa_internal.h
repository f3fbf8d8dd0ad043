/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/cpu/isa_internal.h: what the engine's files share (isa_engine.c,
 * isa_decode.c, isa_mem.c, isa_ucfix.c). Not for other models.
 */
#ifndef MODELS_CPU_ISA_INTERNAL_H
#define MODELS_CPU_ISA_INTERNAL_H

#include <unicorn/unicorn.h>

#include "models/cpu/isa.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- decode (isa_decode.c) ------------------------------------------------------------ */

/* The class of one A64 instruction (Arm ARM DDI 0487, the A64 encoding index). */
enum isa_class isa_a64_class(uint32_t i);
/* Does the instruction change the exception level or PSTATE.DAIF (ERET, MSR DAIF*)? */
bool isa_a64_changes_state(uint32_t i);

#define ISA_BLK_STATE 0x1 /* the block may change EL or DAIF: re-read PSTATE after it */

/* One translation block, decoded once: keyed by (start address, size in bytes). */
struct isa_blk {
	uint64_t addr;
	uint32_t size;
	uint32_t ninsn;
	uint32_t cost16;           /* cycles * 16 under the engine's timing */
	uint32_t flags;            /* ISA_BLK_* */
	uint16_t n[ISA_C_STATIC];  /* instructions per class */
};

/* Open addressing, grown at half load; a pointer into it is valid until the next insert. */
struct isa_blkcache {
	struct isa_blk *t;
	uint32_t mask;
	uint32_t used;
};

int isa_blkcache_init(struct isa_blkcache *c, unsigned log2cap);
void isa_blkcache_free(struct isa_blkcache *c);
struct isa_blk *isa_blkcache_find(struct isa_blkcache *c, uint64_t addr, uint32_t size);
/* Insert a block decoded from @code (@size bytes). NULL when out of memory. @grew: the table moved. */
struct isa_blk *isa_blkcache_add(struct isa_blkcache *c, uint64_t addr, uint32_t size, const uint32_t *code,
				 const struct isa_timing *tm, bool *grew);
/* Cost of a block with the class counts @n (static classes). */
uint32_t isa_block_cost16(const struct isa_timing *tm, const uint16_t *n, uint32_t ninsn);

/* ---- memory (isa_mem.c) --------------------------------------------------------------- */

#define ISA_MAX_BANKS 4
#define ISA_MAX_CODE 16

struct isa_range {
	uint64_t lo, hi;  /* [lo, hi), page aligned */
};

struct isa_mem {
	struct isa_bank bank[ISA_MAX_BANKS];
	uint8_t *host[ISA_MAX_BANKS];
	unsigned nbank;
	struct isa_range code[ISA_MAX_CODE];  /* executable segments of the loaded images */
	unsigned ncode;
	unsigned engines;                     /* made on this RAM (images are frozen then) */
};

/* ---- the store fast path (isa_ucfix.c) -------------------------------------------------- */

/* Fills of writable TLB entries the interposer has seen so far (process-wide). */
uint64_t isa_ucfix_fills(void);

#ifdef __cplusplus
}
#endif
#endif
