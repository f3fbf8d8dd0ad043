/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/tee/optee_smc.h: the OP-TEE SMC ABI both sides speak
 * (docs/protocol.md §1: OP-TEE core/arch/arm/include/sm/optee_smc.h, Linux
 * drivers/tee/optee/optee_smc.h, optee_msg.h, optee_rpc_cmd.h).
 *
 * Arguments as upstream: a yielding call's struct optee_msg_arg lives in
 * shared memory (sim/shm.h), named by a cookie split over two registers
 * (reg_pair_from_64: the upper half first); RPC commands are written into
 * the RPC arg area after it. IDs, return codes, flags and the RPC loop are
 * the real ABI.
 */
#ifndef MODELS_TEE_OPTEE_SMC_H
#define MODELS_TEE_OPTEE_SMC_H

#include <stdint.h>

#define OPTEE_SMC_CALLS_COUNT 0xBF00FF00u
#define OPTEE_SMC_CALLS_UID 0xBF00FF01u
#define OPTEE_SMC_CALLS_REVISION 0xBF00FF03u
#define OPTEE_SMC_CALL_GET_OS_UUID 0xB2000000u
#define OPTEE_SMC_CALL_GET_OS_REVISION 0xB2000001u
#define OPTEE_SMC_CALL_RETURN_FROM_RPC 0x32000003u
#define OPTEE_SMC_CALL_WITH_ARG 0x32000004u
#define OPTEE_SMC_GET_SHM_CONFIG 0xB2000007u
#define OPTEE_SMC_EXCHANGE_CAPABILITIES 0xB2000009u
#define OPTEE_SMC_DISABLE_SHM_CACHE 0xB200000Au
#define OPTEE_SMC_ENABLE_SHM_CACHE 0xB200000Bu
#define OPTEE_SMC_GET_THREAD_COUNT 0xB200000Fu
#define OPTEE_SMC_ENABLE_ASYNC_NOTIF 0xB2000010u
#define OPTEE_SMC_GET_ASYNC_NOTIF_VALUE 0xB2000011u
#define OPTEE_SMC_CALL_WITH_RPC_ARG 0x32000012u
#define OPTEE_SMC_CALL_WITH_REGD_ARG 0x32000013u
/*
 * PROPOSAL, not upstream: the SGI transport's discovery call. A fast call
 * in OP-TEE's range returning a0 = OK, a1 = the donated SGI's INTID
 * (docs/protocol.md §0: a reviewer proposed a secure-donated SGI for the SMC ABI).
 */
#define OPTEE_SMC_TZSIM_GET_NOTIF_SGI 0xB20000F0u

/* API UID 384fb3e0-e7f8-11e3-af63-0002a5d5c51b in a0..a3 */
#define OPTEE_MSG_UID_0 0x384fb3e0u
#define OPTEE_MSG_UID_1 0xe7f811e3u
#define OPTEE_MSG_UID_2 0xaf630002u
#define OPTEE_MSG_UID_3 0xa5d5c51bu
#define OPTEE_MSG_REVISION_MAJOR 2
#define OPTEE_MSG_REVISION_MINOR 0

/* Return codes (a0) */
#define OPTEE_SMC_RETURN_OK 0x0u
#define OPTEE_SMC_RETURN_ETHREAD_LIMIT 0x1u
#define OPTEE_SMC_RETURN_EBUSY 0x2u
#define OPTEE_SMC_RETURN_ERESUME 0x3u
#define OPTEE_SMC_RETURN_EBADADDR 0x4u
#define OPTEE_SMC_RETURN_EBADCMD 0x5u
#define OPTEE_SMC_RETURN_ENOMEM 0x6u
#define OPTEE_SMC_RETURN_ENOTAVAIL 0x7u
#define OPTEE_SMC_RETURN_UNKNOWN_FUNCTION 0xFFFFFFFFu
#define OPTEE_SMC_RETURN_RPC_PREFIX 0xFFFF0000u
#define OPTEE_SMC_RETURN_IS_RPC(a0) (((a0)&0xFFFF0000u) == 0xFFFF0000u && (a0) != 0xFFFFFFFFu)
#define OPTEE_SMC_RETURN_RPC_FOREIGN_INTR 0xFFFF0004u
#define OPTEE_SMC_RETURN_RPC_CMD 0xFFFF0005u

/* EXCHANGE_CAPABILITIES */
#define OPTEE_SMC_NSEC_CAP_UNIPROCESSOR (1u << 0)
#define OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM (1u << 0)
#define OPTEE_SMC_SEC_CAP_DYNAMIC_SHM (1u << 2)
#define OPTEE_SMC_SEC_CAP_MEMREF_NULL (1u << 4)
#define OPTEE_SMC_SEC_CAP_ASYNC_NOTIF (1u << 5)
#define OPTEE_SMC_SEC_CAP_RPC_ARG (1u << 6)
#define OPTEE_DEFAULT_MAX_NOTIF_VALUE 255

/* GET_ASYNC_NOTIF_VALUE a2 flags */
#define OPTEE_SMC_ASYNC_NOTIF_VALID (1u << 0)
#define OPTEE_SMC_ASYNC_NOTIF_PENDING (1u << 1)
#define OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF 0

/* struct optee_msg_arg.cmd */
#define OPTEE_MSG_CMD_OPEN_SESSION 0
#define OPTEE_MSG_CMD_INVOKE_COMMAND 1
#define OPTEE_MSG_CMD_CLOSE_SESSION 2
#define OPTEE_MSG_CMD_DO_BOTTOM_HALF 6
#define OPTEE_MSG_CMD_STOP_ASYNC_NOTIF 7
/* tzsim: an invoke whose secure work runs with exceptions masked (thread_mask_exceptions) */
#define TZSIM_MSG_CMD_INVOKE_MASKED 0x100

/* RPC: OPTEE_RPC_CMD_NOTIFICATION */
#define OPTEE_RPC_CMD_NOTIFICATION 4
#define OPTEE_RPC_NOTIFICATION_WAIT 0
#define OPTEE_RPC_NOTIFICATION_SEND 1

/* TEE_Result values written in optee_msg_arg.ret */
#define TEE_SUCCESS 0x00000000u
#define TEE_ERROR_GENERIC 0xFFFF0000u
#define TEE_ERROR_BAD_PARAMETERS 0xFFFF0006u
#define TEEC_ERROR_BAD_PARAMETERS TEE_ERROR_BAD_PARAMETERS /* the client API's name, same value (tee_client_api.h) */
#define TEE_ERROR_NOT_SUPPORTED 0xFFFF000Au

/* reg_pair_from_64 / reg_pair_to_64 (OP-TEE, Linux optee_private.h): the first register holds the upper half */
static inline uint64_t reg_pair_to_64(uint64_t reg0, uint64_t reg1)
{
	return (reg0 & 0xffffffffull) << 32 | (reg1 & 0xffffffffull);
}

/* OP-TEE notif.h value space */
#define NOTIF_VALUE_DO_BOTTOM_HALF 0
#define NOTIF_ASYNC_VALUE_MAX 63
#define NOTIF_SYNC_VALUE_BASE 64

/* FF-A function IDs (docs/protocol.md §4.1) and OP-TEE's FF-A ABI (Linux optee_ffa.h) */
#define FFA_ERROR 0x84000060u
#define FFA_SUCCESS_32 0x84000061u
#define FFA_SUCCESS_64 0xC4000061u
#define FFA_INTERRUPT 0x84000062u
#define FFA_FEATURES 0x84000064u
#define FFA_MSG_WAIT 0x8400006Bu
#define FFA_MSG_SEND_DIRECT_REQ_32 0x8400006Fu
#define FFA_MSG_SEND_DIRECT_RESP_32 0x84000070u
#define FFA_NORMAL_WORLD_RESUME 0x8400007Cu
#define FFA_NOTIFICATION_BITMAP_CREATE 0x8400007Du
#define FFA_NOTIFICATION_BIND 0x8400007Fu
#define FFA_NOTIFICATION_SET 0x84000081u
#define FFA_NOTIFICATION_GET 0x84000082u
#define FFA_NOTIFICATION_INFO_GET_64 0xC4000083u
#define FFA_RET_NOT_SUPPORTED (-1)
#define FFA_RET_INVALID_PARAMETERS (-2)
#define FFA_RET_BUSY (-4)
#define FFA_RET_DENIED (-6)
#define FFA_RET_NO_DATA (-9)
#define FFA_FEATURE_SRI 2
#define FFA_NOTIF_FLAG_DELAY_SRI (1u << 1)
#define FFA_NOTIF_GET_SP_BITMAP (1u << 0)   /* SECURE_PARTITION_BITMAP */
#define FFA_NOTIF_GET_VM_BITMAP (1u << 1)   /* NON_SECURE_VM_BITMAP */
#define FFA_NOTIF_GET_SPM_BITMAP (1u << 2)  /* SPM_FRAMEWORK_BITMAP */
#define FFA_NOTIF_INFO_GET_MORE_PENDING (1u << 0)   /* w2 of INFO_GET's answer */
#define FFA_NOTIF_INFO_GET_LISTS(w2) (((w2) >> 7) & 0x1f)
#define FFA_NOTIF_INFO_GET_LIST_IDS(w2, i) ((((w2) >> (12 + 2 * (i))) & 3) + 1)
#define FFA_OPTEE_ID 0x8001u         /* OP-TEE's partition id on QEMU */
#define FFA_NOTIF_FLAG_PER_VCPU (1u << 0)
/* Hafnium (inc/vmapi/hf): the Schedule Receiver Interrupt, and the paravirtualised interrupt calls (OP-TEE hfic.c) */
#define HF_SCHEDULE_RECEIVER_INTID 8
#define HF_INTERRUPT_GET 0xff04u
#define HF_INTERRUPT_DEACTIVATE 0xff08u
#define OPTEE_FFA_EXCHANGE_CAPABILITIES 2
#define OPTEE_FFA_ENABLE_ASYNC_NOTIF 5
#define OPTEE_FFA_YIELDING_CALL_BIT (1u << 31)
#define OPTEE_FFA_YIELDING_CALL_WITH_ARG (OPTEE_FFA_YIELDING_CALL_BIT | 0)
#define OPTEE_FFA_YIELDING_CALL_RESUME (OPTEE_FFA_YIELDING_CALL_BIT | 1)
#define OPTEE_FFA_YIELDING_CALL_RETURN_DONE 0
#define OPTEE_FFA_YIELDING_CALL_RETURN_RPC_CMD 1
#define OPTEE_FFA_YIELDING_CALL_RETURN_INTERRUPT 2
#define OPTEE_FFA_SEC_CAP_ASYNC_NOTIF (1u << 1)
#define TEEC_ERROR_BUSY 0xFFFF000Du

#endif
