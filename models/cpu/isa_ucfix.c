// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/cpu/isa_ucfix.c: the fast path for guest stores on Debian 12's
 * libunicorn 2.0.1, and the hand-over of system register info at
 * translation (get_arm_cp_reginfo_aarch64, at the end).
 *
 * Why: in Unicorn 2.0.1 cpu_physical_memory_is_clean() is always true, so
 * every writable RAM entry of QEMU's soft TLB carries TLB_NOTDIRTY and
 * every guest store goes to notdirty_write(), which builds and frees a
 * page collection and looks for translated code in the page: 0.1-0.2 us
 * per store, 6-8 us per SMC round trip instead of 0.7-0.9 us
 * (notes/unicorn-spike.md §9; unicorn-engine/unicorn#1970).
 *
 * How: libunicorn.so.2 calls its internal tlb_set_page_with_attrs_aarch64
 * through its PLT, and the executable exports a function of that name
 * (Makefile LDFLAGS: --export-dynamic-symbol), so this one runs instead. It
 * calls the library's own (dlsym RTLD_NEXT), then, for a writable page,
 * the library's tlb_set_dirty_aarch64, which drops TLB_NOTDIRTY from a
 * plain RAM entry: stores to it take QEMU's inline path. Code pages are
 * mapped read-only by the engine (isa_mem.c): their TLB entries carry
 * TLB_DISCARD_WRITE, not TLB_NOTDIRTY, so tlb_set_dirty leaves them alone
 * and a guest store to code still faults (UC_ERR_WRITE_PROT).
 *
 * Relies on the QEMU 5.0 prototypes of 2.0.1 (also valid in 2.1); other
 * versions only get the pass-through. Process-wide by nature: the resolved
 * pointers and a counter of fills, which each engine's start-up check
 * reads (isa_storefix_active).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "models/cpu/isa_internal.h"

struct CPUState;

typedef void (*set_page_fn)(struct CPUState *, uint64_t, uint64_t, uint32_t, int, int, uint64_t);
typedef void (*set_dirty_fn)(struct CPUState *, uint64_t);

static set_page_fn real_set_page;
static set_dirty_fn real_set_dirty;
typedef const void *(*get_reginfo_fn)(void *, uint32_t);
static get_reginfo_fn real_get_reginfo;
static bool enabled, qemu50;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Atomic uint64_t fills;

#define PAGE_WRITE 0x2 /* QEMU include/exec/cpu-all.h */

static void resolve(void)
{
	unsigned major = 0, minor = 0;
	uc_version(&major, &minor);
	*(void **)&real_set_page = dlsym(RTLD_NEXT, "tlb_set_page_with_attrs_aarch64");
	*(void **)&real_set_dirty = dlsym(RTLD_NEXT, "tlb_set_dirty_aarch64");
	*(void **)&real_get_reginfo = dlsym(RTLD_NEXT, "get_arm_cp_reginfo_aarch64");
	qemu50 = major == 2 && minor <= 1;
	enabled = real_set_dirty && qemu50;
}

/* QEMU 5.0: tlb_set_page_with_attrs(CPUState *, target_ulong vaddr, hwaddr paddr, MemTxAttrs attrs
 * (a 4-byte struct, passed in a register), int prot, int mmu_idx, target_ulong size) */
void tlb_set_page_with_attrs_aarch64(struct CPUState *cpu, uint64_t vaddr, uint64_t paddr, uint32_t attrs, int prot,
				     int mmu_idx, uint64_t size);
void tlb_set_page_with_attrs_aarch64(struct CPUState *cpu, uint64_t vaddr, uint64_t paddr, uint32_t attrs, int prot,
				     int mmu_idx, uint64_t size)
{
	pthread_once(&once, resolve);
	if (!real_set_page)
		return; /* not reached: the library itself calls us, so it has the function */
	real_set_page(cpu, vaddr, paddr, attrs, prot, mmu_idx, size);
	if (enabled && (prot & PAGE_WRITE)) {
		atomic_fetch_add_explicit(&fills, 1, memory_order_relaxed);
		real_set_dirty(cpu, vaddr);
	}
}

uint64_t isa_ucfix_fills(void) { return atomic_load_explicit(&fills, memory_order_relaxed); }

/*
 * ---- system register writes that need not end a translation block ----
 *
 * libunicorn.so.2 calls its get_arm_cp_reginfo_aarch64 through its PLT too
 * (handle_sys, when it translates an MRS or MSR, and its register access
 * API), and the executable exports one (Makefile LDFLAGS): the library's
 * answer, or the running engine's copy of it (isa_engine_cpreg,
 * isa_engine.c "blocks in parts"). isa_ucfix_running is the engine inside
 * uc_emu_start, where Unicorn translates; NULL elsewhere.
 */

__thread struct isa_engine *isa_ucfix_running;

/* QEMU 5.0: const ARMCPRegInfo *get_arm_cp_reginfo(GHashTable *cpregs, uint32_t encoded_cp) */
const void *get_arm_cp_reginfo_aarch64(void *cpregs, uint32_t key);
const void *get_arm_cp_reginfo_aarch64(void *cpregs, uint32_t key)
{
	pthread_once(&once, resolve);
	const void *ri = real_get_reginfo ? real_get_reginfo(cpregs, key) : NULL;
	if (ri && qemu50 && isa_ucfix_running)
		ri = isa_engine_cpreg(isa_ucfix_running, key, ri);
	return ri;
}
