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
#define ISA_BLK_PARTS 0x2 /* the block goes on past an MSR that ended a block in Unicorn: costed in parts */

/* One translation block, decoded once: keyed by (start address, size in bytes). */
struct isa_blk {
	uint64_t addr;
	uint32_t size;
	uint32_t ninsn;
	uint32_t cost16;           /* cycles * 16 under the engine's timing */
	uint32_t flags;            /* ISA_BLK_* */
	uint16_t n[ISA_C_STATIC];  /* instructions per class */
	uint16_t tail;             /* ISA_BLK_PARTS: the engine's tail of it, index + 1 (0: not made yet) */
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
				 const struct isa_timing *tm, uint32_t split, bool *grew);
/* Is @insn an MSR to a register of the shadow set @split (bit k: shadow register k) whose write Unicorn
 * translates without ending the block (isa_engine_cpreg)? The cost of a block is then that of its parts. */
bool isa_msr_splits(uint32_t split, uint32_t insn);
/* The parts of the block @code (@n instructions), split after each MSR isa_msr_splits names: their summed cost in
 * *@sum16 (when not NULL) and, when @cost16 is not NULL, each one's cost and instruction count, at most @max.
 * Returns how many (more than @max with arrays: @max + 1). */
unsigned isa_block_parts(const struct isa_timing *tm, const uint32_t *code, uint32_t n, uint32_t split,
			 uint32_t *sum16, uint32_t *cost16, uint16_t *ninsn, unsigned max);
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

/* isa_ucfix.c: the engine in uc_emu_start (translation happens there), and its say on a register's info */
extern __thread struct isa_engine *isa_ucfix_running;
const void *isa_engine_cpreg(struct isa_engine *e, uint32_t key, const void *ri);

#ifdef __cplusplus
}
#endif
#endif
