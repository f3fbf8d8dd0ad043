// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/monitor/guest/bl31_main.c: BL31's cold boot, the context
 * management of the two worlds, and the dispatch of SMCs and interrupts
 * taken to EL3.
 *
 * Follows TF-A (no code copied): bl31/bl31_main.c (bl31_main),
 * common/runtime_svc.c (runtime_svc_init, the rt_svc_descs_indices table,
 * handle_runtime_svc), lib/el3_runtime/aarch64/context_mgmt.c
 * (cm_init_context, cm_el1_sysregs_context_save/restore,
 * cm_set_next_eret_context, cm_set_elr_el3), bl31/interrupt_mgmt.c
 * (get_interrupt_type_handler).
 */
#include "models/monitor/guest/bl31_private.h"

_Static_assert(sizeof(struct cpu_context) == CTX_SIZE, "cpu_context layout");
_Static_assert(__builtin_offsetof(struct cpu_context, scr_el3) == CTX_SCR_EL3, "CTX_SCR_EL3");
_Static_assert(__builtin_offsetof(struct cpu_context, runtime_sp) == CTX_RUNTIME_SP, "CTX_RUNTIME_SP");
_Static_assert(__builtin_offsetof(struct cpu_context, spsr_el3) == CTX_SPSR_EL3, "CTX_SPSR_EL3");
_Static_assert(__builtin_offsetof(struct cpu_context, el1) == CTX_EL1_SYSREGS, "CTX_EL1_SYSREGS");
_Static_assert(__builtin_offsetof(struct bl31_cpu, stack) == BL31_STACK_OFFSET, "BL31_STACK_OFFSET");
_Static_assert(sizeof(struct bl31_cpu) == BL31_CPU_SIZE, "BL31_CPU_SIZE");

/* Filled by the host before the first boot: in .data, never zeroed by the image's own start-up. */
struct bl31_cfg bl31_cfg __attribute__((section(".data.cfg")));
struct bl31_cpu bl31_cpus[ISA_MAX_CPUS];

/* SCTLR_EL1's RES1 bits at reset (TF-A SCTLR_EL1_RES1): the value a fresh EL1 context gets. */
#define SCTLR_EL1_RES1 0x30d00800ull

/* ---- context management ------------------------------------------------------------------ */

struct cpu_context *cm_get_context(unsigned security_state)
{
	return &plat_my_cpu_data()->ctx[security_state];
}

/*
 * cm_init_context: a fresh context that enters @entry at EL1h with every
 * exception masked, x0 = @arg0, the world's SCR_EL3, EL1 registers at reset.
 */
void cm_init_context(struct cpu_context *ctx, unsigned security_state, uint64_t entry, uint64_t arg0)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->gpregs[0] = arg0;
	ctx->scr_el3 = security_state == BL31_SECURE ? BL31_SCR_SECURE : BL31_SCR_NON_SECURE;
	ctx->elr_el3 = entry;
	ctx->spsr_el3 = BL31_SPSR_EL1H_MASKED;
	ctx->el1[(CTX_SCTLR_EL1 - CTX_EL1_SYSREGS) / 8] = SCTLR_EL1_RES1;
}

void cm_el1_sysregs_context_save(unsigned security_state)
{
	el1_sysregs_context_save(cm_get_context(security_state)->el1);
}

void cm_el1_sysregs_context_restore(unsigned security_state)
{
	el1_sysregs_context_restore(cm_get_context(security_state)->el1);
}

void cm_set_next_eret_context(unsigned security_state)
{
	cm_set_next_eret_context_ptr(cm_get_context(security_state));
}

void cm_set_elr_el3(unsigned security_state, uint64_t entry)
{
	cm_get_context(security_state)->elr_el3 = entry;
}

void cm_set_elr_spsr_el3(unsigned security_state, uint64_t entry, uint64_t spsr)
{
	struct cpu_context *ctx = cm_get_context(security_state);
	ctx->elr_el3 = entry;
	ctx->spsr_el3 = spsr;
}

/* ---- runtime services --------------------------------------------------------------------- */

/* arm_arch_svc_smc_handler (TF-A services/arm_arch_svc): SMCCC_VERSION only. */
static void arm_arch_svc_smc_handler(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4,
				     void *cookie, struct cpu_context *handle, uint64_t flags)
{
	(void)x1, (void)x2, (void)x3, (void)x4, (void)cookie, (void)flags;
	SMC_RET1(handle, fid == SMCCC_VERSION ? SMCCC_VERSION_1_2 : SMC_UNK);
}

struct rt_svc_desc {
	uint8_t start_oen, end_oen, call_type;
	rt_svc_handle_t handle;
};

/* DECLARE_RT_SVC: each service owns an OEN range of one call type. */
static const struct rt_svc_desc rt_svc_descs[] = {
	{ 0, 0, SMC_TYPE_FAST, arm_arch_svc_smc_handler },
	{ 4, 4, SMC_TYPE_FAST, std_svc_smc_handler },
	{ 50, 63, SMC_TYPE_FAST, opteed_smc_handler },
	{ 50, 63, SMC_TYPE_YIELD, opteed_smc_handler },
};
#define RT_SVC_DECS_NUM (sizeof(rt_svc_descs) / sizeof(rt_svc_descs[0]))

/* get_unique_oen(oen, call type) -> index into rt_svc_descs, 0xff: none */
static uint8_t rt_svc_descs_indices[128];

static unsigned get_unique_oen(unsigned oen, unsigned call_type) { return (call_type & 1) << 6 | (oen & 0x3f); }

static void runtime_svc_init(void)
{
	memset(rt_svc_descs_indices, 0xff, sizeof(rt_svc_descs_indices));
	for (unsigned i = 0; i < RT_SVC_DECS_NUM; i++)
		for (unsigned oen = rt_svc_descs[i].start_oen; oen <= rt_svc_descs[i].end_oen; oen++)
			rt_svc_descs_indices[get_unique_oen(oen, rt_svc_descs[i].call_type)] = (uint8_t)i;
}

/*
 * handle_runtime_svc (smc_handler64's C part): the service that owns the
 * function ID's (call type, OEN). Its handler writes the results into a
 * context and, for a world switch, moves SP_EL3 to the other world's.
 */
void el3_smc_dispatch(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, void *cookie,
		      struct cpu_context *handle, uint64_t flags)
{
	uint32_t fid = (uint32_t)x0;
	unsigned idx = rt_svc_descs_indices[get_unique_oen(GET_SMC_OEN(fid), GET_SMC_TYPE(fid))];

	if (idx >= RT_SVC_DECS_NUM) {
		SMC_RET1(handle, SMC_UNK);
		return;
	}
	rt_svc_descs[idx].handle(fid, x1, x2, x3, x4, cookie, handle, flags);
}

/*
 * handle_interrupt_exception's C part: the type of the highest-priority
 * pending interrupt picks its handler (only S-EL1 interrupts are routed to
 * EL3 here: opteed's routing model). Anything else went away meanwhile:
 * return to the interrupted world.
 */
void el3_interrupt_dispatch(uint64_t id, uint64_t flags, struct cpu_context *handle)
{
	(void)id;
	if (plat_ic_get_pending_interrupt_type() == INTR_TYPE_S_EL1 && opteed_sel1_interrupts_registered())
		opteed_sel1_interrupt_handler(INTR_ID_UNAVAILABLE, flags, handle, NULL);
}

/* ---- cold boot ---------------------------------------------------------------------------- */

/*
 * bl31_main: runtime services, the GIC (bl31_platform_setup), the Trusted
 * OS (bl32_init -> opteed_init: a synchronous entry until ENTRY_DONE), then
 * the normal world's entry (bl31_prepare_next_image_entry). Returns into
 * el3_exit with SP_EL3 at the normal world's context.
 */
void bl31_main(void)
{
	unsigned me = plat_my_core_pos();

	runtime_svc_init();
	if (bl31_cfg.flags & BL31_CFG_GIC_DIST_INIT)
		gicv3_distif_init();
	gicv3_rdistif_init(me);
	gicv3_cpuif_enable(me);
	psci_setup(me);
	opteed_setup();
	(void)opteed_init();

	cm_init_context(cm_get_context(BL31_NON_SECURE), BL31_NON_SECURE, bl31_cfg.bl33_entry, 0);
	cm_el1_sysregs_context_restore(BL31_NON_SECURE);
	cm_set_next_eret_context(BL31_NON_SECURE);
}
