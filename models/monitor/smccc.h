/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/monitor/smccc.h: SMC Calling Convention encoding, PSCI and the
 * TF-A OP-TEE dispatcher's return IDs (docs/protocol.md §1.1, §6.3, §6.4).
 */
#ifndef MODELS_MONITOR_SMCCC_H
#define MODELS_MONITOR_SMCCC_H

#include <stdint.h>

/* SMCCC function ID fields: bit31 fast, bit30 SMC64, [29:24] OEN, [15:0] function. */
#define SMCCC_FAST (1u << 31)
#define SMCCC_64 (1u << 30)
#define SMCCC_OEN(fid) (((fid) >> 24) & 0x3f)
#define SMCCC_FUNC(fid) ((fid)&0xffff)
#define SMCCC_IS_FAST(fid) (((fid) & SMCCC_FAST) != 0)
#define SMC_UNK 0xFFFFFFFFull

/* Call types (TF-A smccc.h SMC_TYPE_*): the index of a service's dispatch table. */
#define SMC_TYPE_YIELD 0
#define SMC_TYPE_FAST 1
#define SMC_TYPE_OF(fid) (SMCCC_IS_FAST(fid) ? SMC_TYPE_FAST : SMC_TYPE_YIELD)

/* Owning entity numbers (SMCCC, Arm DEN 0028 table 6-2) */
#define OEN_ARM 0
#define OEN_STD 4
#define OEN_TOS_START 50
#define OEN_TOS_END 63
#define OEN_LIMIT 64

/* Arm architecture calls (OEN 0): SMCCC_VERSION returns v1.2 as (major << 16) | minor. */
#define SMCCC_VERSION 0x80000000u
#define SMCCC_VERSION_1_2 0x10002u

/* Standard service (OEN 4) function ranges: PSCI 0x00-0x1F (TF-A is_psci_fid), FF-A 0x60-0xFF. */
#define PSCI_FUNC_LAST 0x1f

/* PSCI (TF-A include/lib/psci/psci.h) */
#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_SUSPEND64 0xC4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_CPU_ON64 0xC4000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_AFFINITY_INFO64 0xC4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000Au

#define PSCI_E_SUCCESS 0
#define PSCI_E_NOT_SUPPORTED (-1)
#define PSCI_E_INVALID_PARAMS (-2)
#define PSCI_E_DENIED (-3)
#define PSCI_E_ALREADY_ON (-4)
#define PSCI_E_ON_PENDING (-5)
#define PSCI_E_INTERN_FAIL (-6)
#define PSCI_E_NOT_PRESENT (-7)
#define PSCI_E_DISABLED (-8)
#define PSCI_E_INVALID_ADDRESS (-9)

#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

/* power_state (PSCI 0.2 original format): StateType bit 16, PowerLevel [25:24] */
#define PSCI_PSTATE_TYPE_POWERDOWN (1u << 16)
#define PSCI_PSTATE_PWRLVL(ps) (((ps) >> 24) & 0x3)
#define PSCI_PSTATE_VALID_MASK 0x0301FFFFu

/* PSCI 1.1 as TF-A reports it */
#define PSCI_VERSION_1_1 0x10001u

/* TEESMC_OPTEED_RV(n): fast, SMC32, OEN 62 (TF-A teesmc_opteed.h) */
#define TEESMC_OPTEED_RETURN_ENTRY_DONE 0xBE000000u
#define TEESMC_OPTEED_RETURN_ON_DONE 0xBE000001u
#define TEESMC_OPTEED_RETURN_OFF_DONE 0xBE000002u
#define TEESMC_OPTEED_RETURN_SUSPEND_DONE 0xBE000003u
#define TEESMC_OPTEED_RETURN_RESUME_DONE 0xBE000004u
#define TEESMC_OPTEED_RETURN_CALL_DONE 0xBE000005u
#define TEESMC_OPTEED_RETURN_FIQ_DONE 0xBE000006u
#define TEESMC_OPTEED_RETURN_SYSTEM_OFF_DONE 0xBE000007u
#define TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE 0xBE000008u

/* FF-A (docs/protocol.md §4.1): function numbers 0x60..0xFF of the standard service */
#define FFA_FUNC_FIRST 0x60
#define FFA_FUNC_LAST 0xFF

#endif
