// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/cpu/isa_decode.c: instruction classes of A64 code, the per-block
 * cache of class counts and costs, and the cost tables of the presets
 * (docs/calibration.md §5).
 *
 * Classes come from the top-level encoding groups of the Arm ARM (DDI
 * 0487, "A64 instruction set encoding"): branches, exception generation and
 * system instructions (op0 = 101x), loads and stores (x1x0), data
 * processing and SIMD/FP (the rest).
 */
#include <stdlib.h>
#include <string.h>

#include "models/cpu/isa_internal.h"

static const char *const class_name[ISA_C_COUNT] = {
	"int", "load", "store", "branch", "barrier", "sysreg", "exc", "eret", "exc_entry", "mmio", "icc",
};

const char *isa_class_name(enum isa_class c) { return (unsigned)c < ISA_C_COUNT ? class_name[c] : "?"; }

enum isa_class isa_a64_class(uint32_t i)
{
	uint32_t op0 = (i >> 25) & 0xf;

	if ((op0 & 0xe) == 0xa) { /* 101x: branches, exception generating, system */
		if ((i & 0x7c000000) == 0x14000000)
			return ISA_C_BRANCH; /* B, BL */
		if ((i & 0xff000010) == 0x54000000)
			return ISA_C_BRANCH; /* B.cond */
		if ((i & 0x7e000000) == 0x34000000 || (i & 0x7e000000) == 0x36000000)
			return ISA_C_BRANCH; /* CBZ/CBNZ, TBZ/TBNZ */
		if ((i & 0xff000000) == 0xd4000000)
			return ISA_C_EXC; /* SVC, HVC, SMC, BRK, HLT, DCPS */
		if ((i & 0xfe000000) == 0xd6000000) {
			if ((i & 0xfffffbff) == 0xd69f0bff || i == 0xd69f03e0)
				return ISA_C_ERET; /* ERET, ERETAA/ERETAB */
			return ISA_C_BRANCH;       /* BR, BLR, RET and their PAC forms */
		}
		if ((i & 0xffc00000) == 0xd5000000) {
			if ((i & 0xfffff01f) == 0xd503201f)
				return ISA_C_INT; /* hints: NOP, YIELD, WFE, WFI, SEV, ... */
			if ((i & 0xfffff01f) == 0xd503301f)
				return ((i >> 5) & 7) >= 4 ? ISA_C_BARRIER : ISA_C_INT; /* DSB DMB ISB SB; CLREX */
			return ISA_C_SYSREG; /* MSR (immediate), SYS, SYSL, MRS, MSR (register) */
		}
		return ISA_C_INT;
	}
	if ((op0 & 0x5) == 0x4) { /* x1x0: loads and stores */
		if ((i & 0x3b000000) == 0x18000000)
			return ISA_C_LOAD; /* load literal (and PRFM literal) */
		if ((i & 0x3f000000) == 0x08000000)
			return (i & (1u << 22)) ? ISA_C_LOAD : ISA_C_STORE; /* exclusive, ordered */
		if ((i & 0x3a000000) == 0x28000000)
			return (i & (1u << 22)) ? ISA_C_LOAD : ISA_C_STORE; /* pairs */
		if ((i & 0x3a000000) == 0x38000000) {                     /* one register */
			if ((i & 0x3b200c00) == 0x38200000)
				return ISA_C_LOAD; /* atomic memory operations */
			if (i & (1u << 26))        /* SIMD&FP: opc<0> is L */
				return (i & (1u << 22)) ? ISA_C_LOAD : ISA_C_STORE;
			return ((i >> 22) & 3) == 0 ? ISA_C_STORE : ISA_C_LOAD;
		}
		if ((i & 0xbe000000) == 0x0c000000)
			return (i & (1u << 22)) ? ISA_C_LOAD : ISA_C_STORE; /* SIMD structures */
		return ISA_C_LOAD;
	}
	return ISA_C_INT; /* 100x data processing (immediate), x101 (register), x111 SIMD/FP */
}

bool isa_a64_changes_state(uint32_t i)
{
	if (isa_a64_class(i) == ISA_C_ERET)
		return true;
	/* MSR DAIFSet / DAIFClr (immediate): op1 = 3, CRn = 4, op2 = 6 / 7 */
	if ((i & 0xfffff0df) == 0xd50340df)
		return true;
	/* MSR DAIF, Xt: S3_3_C4_C2_1; MSR SPSel (immediate): op1 = 0, op2 = 5 */
	if ((i & 0xffffffe0) == 0xd51b4220 || (i & 0xfffff0ff) == 0xd50040bf)
		return true;
	return false;
}

/* ---- the cost tables ---------------------------------------------------------------------- */

/*
 * docs/calibration.md §5. Issue widths and pipelines: LLVM's machine models
 * (AArch64SchedA53.td: 2-wide in-order, 2 ALUs, one load/store pipe, one
 * branch pipe that also takes system and barrier instructions,
 * MispredictPenalty 9; AArch64SchedA57.td, which LLVM also uses for the
 * Cortex-A72: 3-wide dispatch, 2 integer pipes, one load and one store
 * pipe, one branch pipe, MispredictPenalty 14). Serial penalties are
 * estimates (status E) except where §5 derives them.
 */
#define P(c) ((uint16_t)((c)*16))

static const struct isa_timing timing_a53 = {
	.name = "cortex-a53",
	.issue_width = 2,
	.units = { [ISA_R_ALU] = 2, [ISA_R_LOAD] = 1, [ISA_R_STORE] = 1, [ISA_R_BRANCH] = 1 },
	.resource = { [ISA_C_INT] = ISA_R_ALU, [ISA_C_LOAD] = ISA_R_LOAD, [ISA_C_STORE] = ISA_R_LOAD,
		      [ISA_C_BRANCH] = ISA_R_BRANCH, [ISA_C_BARRIER] = ISA_R_BRANCH,
		      [ISA_C_SYSREG] = ISA_R_BRANCH, [ISA_C_EXC] = ISA_R_BRANCH, [ISA_C_ERET] = ISA_R_BRANCH },
	.penalty16 = { [ISA_C_BARRIER] = P(9), [ISA_C_SYSREG] = P(4), [ISA_C_ERET] = P(9),
		       [ISA_C_EXC_ENTRY] = P(20), [ISA_C_MMIO] = P(50), [ISA_C_ICC] = P(20) },
};

static const struct isa_timing timing_a72 = {
	.name = "cortex-a72",
	.issue_width = 3,
	.units = { [ISA_R_ALU] = 2, [ISA_R_LOAD] = 1, [ISA_R_STORE] = 1, [ISA_R_BRANCH] = 1 },
	.resource = { [ISA_C_INT] = ISA_R_ALU, [ISA_C_LOAD] = ISA_R_LOAD, [ISA_C_STORE] = ISA_R_STORE,
		      [ISA_C_BRANCH] = ISA_R_BRANCH, [ISA_C_BARRIER] = ISA_R_BRANCH,
		      [ISA_C_SYSREG] = ISA_R_BRANCH, [ISA_C_EXC] = ISA_R_BRANCH, [ISA_C_ERET] = ISA_R_BRANCH },
	.penalty16 = { [ISA_C_BARRIER] = P(14), [ISA_C_SYSREG] = P(6), [ISA_C_ERET] = P(14),
		       [ISA_C_EXC_ENTRY] = P(25), [ISA_C_MMIO] = P(50), [ISA_C_ICC] = P(20) },
};

const struct isa_timing *isa_timing_preset(enum sim_preset p)
{
	return p == SIM_PRESET_A72 ? &timing_a72 : &timing_a53;
}

uint32_t isa_block_cost16(const struct isa_timing *tm, const uint16_t *n, uint32_t ninsn)
{
	uint32_t per_res[ISA_R_COUNT] = { 0 }, cost = ninsn * 16 / tm->issue_width, serial = 0;
	for (unsigned c = 0; c < ISA_C_STATIC; c++) {
		per_res[tm->resource[c]] += n[c];
		serial += (uint32_t)n[c] * tm->penalty16[c];
	}
	for (unsigned r = 0; r < ISA_R_COUNT; r++)
		if (tm->units[r] && per_res[r] * 16 / tm->units[r] > cost)
			cost = per_res[r] * 16 / tm->units[r];
	return cost + serial;
}

/* ---- the block cache ------------------------------------------------------------------------ */

static uint32_t blk_hash(uint64_t a, uint32_t s)
{
	uint64_t h = (a >> 2) * 0x9e3779b97f4a7c15ull ^ s;
	return (uint32_t)(h >> 32);
}

int isa_blkcache_init(struct isa_blkcache *c, unsigned log2cap)
{
	c->mask = (1u << log2cap) - 1;
	c->used = 0;
	c->t = calloc(c->mask + 1, sizeof(*c->t));
	return c->t ? 0 : ISA_E_NOMEM;
}

void isa_blkcache_free(struct isa_blkcache *c)
{
	free(c->t);
	c->t = NULL;
}

static struct isa_blk *slot_of(struct isa_blkcache *c, uint64_t addr, uint32_t size)
{
	uint32_t k = blk_hash(addr, size) & c->mask;
	for (;;) {
		struct isa_blk *b = &c->t[k];
		if (!b->size || (b->addr == addr && b->size == size))
			return b;
		k = (k + 1) & c->mask;
	}
}

struct isa_blk *isa_blkcache_find(struct isa_blkcache *c, uint64_t addr, uint32_t size)
{
	struct isa_blk *b = slot_of(c, addr, size);
	return b->size ? b : NULL;
}

static int grow(struct isa_blkcache *c)
{
	struct isa_blkcache n;
	if (isa_blkcache_init(&n, (unsigned)__builtin_ctz(c->mask + 1) + 1))
		return ISA_E_NOMEM;
	for (uint32_t k = 0; k <= c->mask; k++)
		if (c->t[k].size) {
			*slot_of(&n, c->t[k].addr, c->t[k].size) = c->t[k];
			n.used++;
		}
	free(c->t);
	*c = n;
	return 0;
}

unsigned isa_block_parts(const struct isa_timing *tm, const uint32_t *code, uint32_t n, uint32_t split,
			 uint32_t *sum16, uint32_t *cost16, uint16_t *ninsn, unsigned max)
{
	uint16_t cls[ISA_C_STATIC] = { 0 };
	uint32_t len = 0, sum = 0;
	unsigned np = 0;
	for (uint32_t j = 0; j < n; j++) {
		cls[isa_a64_class(code[j])]++;
		len++;
		if (j + 1 == n || isa_msr_splits(split, code[j])) {
			uint32_t c16 = isa_block_cost16(tm, cls, len);
			if (cost16) {
				if (np == max)
					return max + 1;
				cost16[np] = c16;
				ninsn[np] = (uint16_t)len;
			}
			np++;
			sum += c16;
			memset(cls, 0, sizeof(cls));
			len = 0;
		}
	}
	if (sum16)
		*sum16 = sum;
	return np;
}

struct isa_blk *isa_blkcache_add(struct isa_blkcache *c, uint64_t addr, uint32_t size, const uint32_t *code,
				 const struct isa_timing *tm, uint32_t split, bool *grew)
{
	*grew = false;
	if ((c->used + 1) * 2 > c->mask + 1) {
		if (grow(c))
			return NULL;
		*grew = true;
	}
	struct isa_blk *b = slot_of(c, addr, size);
	memset(b, 0, sizeof(*b));
	b->addr = addr;
	b->size = size;
	b->ninsn = size / 4;
	for (uint32_t j = 0; j < b->ninsn; j++) {
		b->n[isa_a64_class(code[j])]++;
		if (isa_a64_changes_state(code[j]))
			b->flags |= ISA_BLK_STATE;
	}
	/* in parts: the sum of theirs (the engine counts them one by one, tail_of) */
	if (split && isa_block_parts(tm, code, b->ninsn, split, &b->cost16, NULL, NULL, 0) > 1)
		b->flags |= ISA_BLK_PARTS;
	else
		b->cost16 = isa_block_cost16(tm, b->n, b->ninsn);
	c->used++;
	return b;
}
