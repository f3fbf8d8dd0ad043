/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/tee/optee_smc.h: the OP-TEE SMC ABI both sides speak
 * (protocol.md §1: OP-TEE core/arch/arm/include/sm/optee_smc.h, Linux
 * drivers/tee/optee/optee_smc.h, optee_msg.h, optee_rpc_cmd.h).
 *
 * tzsim's models share no memory: where the real ABI passes the physical
 * address of a struct optee_msg_arg (a1:a2), tzsim passes the message's
 * command in a1 and its one parameter in a2; an RPC's argument struct is
 * likewise carried in a1..a2 of the RPC return. Everything else (IDs,
 * return codes, flags, the RPC loop) is the real ABI.
 */
#ifndef MODELS_TEE_OPTEE_SMC_H
#define MODELS_TEE_OPTEE_SMC_H

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
 * (protocol.md §0: a reviewer proposed a secure-donated SGI for the SMC ABI).
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

/* OP-TEE notif.h value space */
#define NOTIF_VALUE_DO_BOTTOM_HALF 0
#define NOTIF_ASYNC_VALUE_MAX 63
#define NOTIF_SYNC_VALUE_BASE 64

#endif
