// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/monitor/guest/psci.c: the standard service (OEN 4): PSCI's
 * VERSION, FEATURES, CPU_ON, CPU_OFF, AFFINITY_INFO and MIGRATE_INFO_TYPE,
 * the warm-boot entry of a CPU that CPU_ON powered up, and FF-A calls
 * handed to the SPMC.
 *
 * Follows TF-A (no code copied): services/std_svc/std_svc_setup.c
 * (std_svc_smc_handler), lib/psci/psci_main.c (psci_smc_handler,
 * psci_cpu_on, psci_cpu_off, psci_affinity_info, psci_features),
 * psci_on.c (psci_cpu_on_start, psci_cpu_on_finish), psci_off.c
 * (psci_do_cpu_off), psci_common.c (psci_warmboot_entrypoint). One power
 * level (the CPU): tzsim's platform has no cluster power-down. The power
 * controller itself stays abstract (ISA_MC_PSCI_POWER_ON/OFF).
 */
#include "models/monitor/guest/bl31_private.h"

/* plat_core_pos_by_mpidr: -1 for an MPIDR that names no CPU of the platform. */
static int plat_core_pos_by_mpidr(uint64_t mpidr)
{
	uint64_t aff0 = mpidr & 0xff, aff1 = (mpidr >> 8) & 0xff;
	if ((mpidr & ~0xffffull) != 0 || aff0 >= 16)
		return -1;
	unsigned pos = (unsigned)(aff1 * 16 + aff0);
	return pos < bl31_cfg.ncpus ? (int)pos : -1;
}

void psci_setup(unsigned primary)
{
	for (unsigned i = 0; i < bl31_cfg.ncpus && i < ISA_MAX_CPUS; i++)
		bl31_cpus[i].aff_info_state = i == primary ? PSCI_AFF_STATE_ON : PSCI_AFF_STATE_OFF;
}

/* psci_cpu_on -> psci_cpu_on_start: prepare the target's normal-world entry, power it up. */
static int psci_cpu_on(uint64_t target, uint64_t entry, uint64_t context_id)
{
	int pos = plat_core_pos_by_mpidr(target);
	if (pos < 0)
		return PSCI_E_INVALID_PARAMS;
	struct bl31_cpu *t = &bl31_cpus[pos];
	if (t->aff_info_state == PSCI_AFF_STATE_ON)
		return PSCI_E_ALREADY_ON;
	if (t->aff_info_state == PSCI_AFF_STATE_ON_PENDING)
		return PSCI_E_ON_PENDING;
	/* psci_validate_entry_point, then cm_init_context_by_index(target, NON_SECURE) */
	if (!entry)
		return PSCI_E_INVALID_PARAMS;
	cm_init_context(&t->ctx[BL31_NON_SECURE], BL31_NON_SECURE, entry, context_id);
	t->aff_info_state = PSCI_AFF_STATE_ON_PENDING;
	dsb(ish);
	/* opteed's svc_on does nothing; plat_psci_ops->pwr_domain_on is the power controller */
	int64_t rc = (int64_t)MODEL_CALL(ISA_MC_PSCI_POWER_ON, target, 0, 0, 0).a0;
	if (rc != PSCI_E_SUCCESS) {
		t->aff_info_state = PSCI_AFF_STATE_OFF;
		return (int)rc;
	}
	return PSCI_E_SUCCESS;
}

/*
 * psci_do_cpu_off: OP-TEE's cpu_off hook, the CPU interface off and the
 * Redistributor asleep (plat pwr_domain_off), then the power goes. Never
 * returns.
 */
static void __attribute__((noreturn)) psci_cpu_off(void)
{
	unsigned me = plat_my_core_pos();
	GUEST_ASSERT(opteed_cpu_off_handler() == 0);
	gicv3_cpuif_disable(me);
	bl31_cpus[me].aff_info_state = PSCI_AFF_STATE_OFF;
	dsb(ish);
	(void)MODEL_CALL(ISA_MC_PSCI_POWER_OFF, 0, 0, 0, 0);
	for (;;)
		(void)MODEL_CALL(ISA_MC_PANIC, __LINE__, 0, 0, 0);
}

/*
 * psci_warmboot_entrypoint -> psci_cpu_on_finish: the GIC CPU interface,
 * OP-TEE's cpu_on hook, then the normal world's entry that CPU_ON gave.
 */
void psci_warmboot_entrypoint(void)
{
	unsigned me = plat_my_core_pos();
	gicv3_rdistif_init(me);
	gicv3_cpuif_enable(me);
	GUEST_ASSERT(opteed_cpu_on_finish_handler() == 0);
	bl31_cpus[me].aff_info_state = PSCI_AFF_STATE_ON;
	cm_el1_sysregs_context_restore(BL31_NON_SECURE);
	cm_set_next_eret_context(BL31_NON_SECURE);
}

static int psci_features(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_AARCH32:
	case PSCI_CPU_ON_AARCH64:
	case PSCI_AFFINITY_INFO_AARCH32:
	case PSCI_AFFINITY_INFO_AARCH64:
	case PSCI_MIG_INFO_TYPE:
	case PSCI_FEATURES:
		return PSCI_E_SUCCESS;
	default:
		return PSCI_E_NOT_SUPPORTED;
	}
}

static void psci_smc_handler(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, struct cpu_context *handle,
			     uint64_t flags)
{
	int64_t rc;
	if (!is_caller_non_secure(flags)) {
		SMC_RET1(handle, (uint64_t)(int64_t)PSCI_E_DENIED);
		return;
	}
	switch (fid) {
	case PSCI_VERSION:
		rc = PSCI_VERSION_1_1;
		break;
	case PSCI_CPU_OFF:
		psci_cpu_off();
	case PSCI_CPU_ON_AARCH32:
		rc = psci_cpu_on(x1 & 0xffffffffu, x2 & 0xffffffffu, x3 & 0xffffffffu);
		break;
	case PSCI_CPU_ON_AARCH64:
		rc = psci_cpu_on(x1, x2, x3);
		break;
	case PSCI_AFFINITY_INFO_AARCH32:
	case PSCI_AFFINITY_INFO_AARCH64: {
		int pos = plat_core_pos_by_mpidr(x1);
		rc = pos < 0 || x2 != 0 ? PSCI_E_INVALID_PARAMS : (int64_t)bl31_cpus[pos].aff_info_state;
		break;
	}
	case PSCI_MIG_INFO_TYPE:
		rc = PSCI_TOS_NOT_PRESENT_MP;
		break;
	case PSCI_FEATURES:
		rc = psci_features((uint32_t)x1);
		break;
	default:
		SMC_RET1(handle, SMC_UNK);
		return;
	}
	SMC_RET1(handle, (uint64_t)rc);
}

/*
 * spmd_smc_handler's place: the SPMC stays abstract. x0..x7 of the caller
 * go to the model and its x0..x7 come back (FF-A returns up to w7).
 */
static void ffa_smc_handler(uint32_t fid, struct cpu_context *handle)
{
	(void)fid;
	ffa_model_call(handle->gpregs); /* x0..x7 of the caller's context, in and out */
}

void std_svc_smc_handler(uint32_t fid, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t x4, void *cookie,
			 struct cpu_context *handle, uint64_t flags)
{
	(void)x4, (void)cookie;
	if ((fid & 0xBFFFFFFFu) >= FFA_FID_FIRST && (fid & 0xBFFFFFFFu) <= FFA_FID_LAST) {
		ffa_smc_handler(fid, handle);
		return;
	}
	if ((fid & 0xBFFFFFE0u) == 0x84000000u) { /* is_psci_fid: function numbers 0x00-0x1f */
		psci_smc_handler(fid, x1, x2, x3, handle, flags);
		return;
	}
	SMC_RET1(handle, SMC_UNK);
}
