/* SPDX-License-Identifier: BSD-3-Clause */
/* models/tee/guest/optee_private.h: what the OP-TEE image's C and assembly share (not the host). */
#ifndef MODELS_TEE_GUEST_OPTEE_PRIVATE_H
#define MODELS_TEE_GUEST_OPTEE_PRIVATE_H

#include "models/tee/guest/optee.h"

/* struct thread_ctx_regs (OP-TEE kernel/thread_private_arch.h): x0..x30, then SP_EL0, PC, CPSR */
#define THREAD_CTX_REGS_X(n) (8 * (n))
#define THREAD_CTX_REGS_SP 0xf8
#define THREAD_CTX_REGS_PC 0x100
#define THREAD_CTX_REGS_CPSR 0x108
#define THREAD_CTX_SIZE 0x140 /* struct thread_ctx */

/* struct thread_core_local: TPIDR_EL1 of each CPU points at its entry */
#define THREAD_CORE_LOCAL_CURR_THREAD 0x00
#define THREAD_CORE_LOCAL_SIZE 0x10

#define THREAD_FLAGS_COPY_ARGS_ON_RETURN (1 << 0)
#define THREAD_FLAGS_EXIT_ON_FOREIGN_INTR (1 << 1)

/* The thread's PSTATE at its first run: EL1 with SP_EL0, foreign interrupts (FIQ) and
 * SError masked, native interrupts (IRQ) unmasked (OP-TEE init_regs). */
#define THREAD_CPSR_START 0x144

/* OP-TEE optee_smc.h (docs/protocol.md §1) */
#define OPTEE_SMC_CALLS_COUNT 0xBF00FF00
#define OPTEE_SMC_CALLS_UID 0xBF00FF01
#define OPTEE_SMC_CALLS_REVISION 0xBF00FF03
#define OPTEE_SMC_CALL_GET_OS_UUID 0xB2000000
#define OPTEE_SMC_CALL_GET_OS_REVISION 0xB2000001
#define OPTEE_SMC_CALL_RETURN_FROM_RPC 0x32000003
#define OPTEE_SMC_CALL_WITH_ARG 0x32000004
#define OPTEE_SMC_EXCHANGE_CAPABILITIES 0xB2000009
#define OPTEE_SMC_GET_THREAD_COUNT 0xB200000F
#define OPTEE_SMC_ENABLE_ASYNC_NOTIF 0xB2000010
#define OPTEE_SMC_GET_ASYNC_NOTIF_VALUE 0xB2000011
#define OPTEE_SMC_CALL_WITH_RPC_ARG 0x32000012
#define OPTEE_SMC_CALL_WITH_REGD_ARG 0x32000013
#define OPTEE_SMC_TZSIM_GET_NOTIF_SGI 0xB20000F0 /* tzsim's proposal (models/tee/optee_smc.h) */

#define OPTEE_SMC_RETURN_OK 0x0
#define OPTEE_SMC_RETURN_ETHREAD_LIMIT 0x1
#define OPTEE_SMC_RETURN_EBUSY 0x2
#define OPTEE_SMC_RETURN_ERESUME 0x3
#define OPTEE_SMC_RETURN_EBADADDR 0x4
#define OPTEE_SMC_RETURN_EBADCMD 0x5
#define OPTEE_SMC_RETURN_ENOTAVAIL 0x7
#define OPTEE_SMC_RETURN_UNKNOWN_FUNCTION 0xFFFFFFFF
#define OPTEE_SMC_RETURN_RPC_FOREIGN_INTR 0xFFFF0004
#define OPTEE_SMC_RETURN_RPC_CMD 0xFFFF0005

#define OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM (1u << 0)
#define OPTEE_SMC_SEC_CAP_DYNAMIC_SHM (1u << 2)
#define OPTEE_SMC_SEC_CAP_MEMREF_NULL (1u << 4)
#define OPTEE_SMC_SEC_CAP_ASYNC_NOTIF (1u << 5)
#define OPTEE_SMC_SEC_CAP_RPC_ARG (1u << 6)
#define OPTEE_SMC_ASYNC_NOTIF_VALID (1u << 0)
#define OPTEE_SMC_ASYNC_NOTIF_PENDING (1u << 1)
#define OPTEE_MSG_UID_0 0x384fb3e0
#define OPTEE_MSG_UID_1 0xe7f811e3
#define OPTEE_MSG_UID_2 0xaf630002
#define OPTEE_MSG_UID_3 0xa5d5c51b
#define OPTEE_MSG_REVISION_MAJOR 2
#define OPTEE_MSG_REVISION_MINOR 0

/* optee_msg.h */
#define OPTEE_MSG_CMD_OPEN_SESSION 0
#define OPTEE_MSG_CMD_INVOKE_COMMAND 1
#define OPTEE_MSG_CMD_CLOSE_SESSION 2
#define OPTEE_MSG_CMD_DO_BOTTOM_HALF 6
#define OPTEE_MSG_CMD_STOP_ASYNC_NOTIF 7
#define OPTEE_MSG_ATTR_TYPE_VALUE_INPUT 0x1
#define OPTEE_RPC_CMD_NOTIFICATION 4
#define OPTEE_RPC_NOTIFICATION_WAIT 0
#define OPTEE_RPC_NOTIFICATION_SEND 1
#define TEE_SUCCESS 0
#define TEE_ERROR_BAD_PARAMETERS 0xFFFF0006
#define TEE_ERROR_NOT_IMPLEMENTED 0xFFFF0009
#define TEE_ORIGIN_TEE 3

/* notif.h */
#define NOTIF_VALUE_DO_BOTTOM_HALF 0
#define NOTIF_ASYNC_VALUE_MAX 63
#define NOTIF_SYNC_VALUE_BASE 64
#define NOTIF_EVENT_STARTED 0
#define NOTIF_EVENT_DO_BOTTOM_HALF 1
#define NOTIF_EVENT_STOPPED 2

/* FF-A (docs/protocol.md §4) */
#define FFA_NOTIFICATION_SET 0x84000081
#define FFA_NOTIF_FLAG_DELAY_SRI (1u << 1)

#ifndef __ASSEMBLER__
#include "models/cpu/guest/guest.h"

/* struct optee_msg_param / optee_msg_arg (optee_msg.h): in the normal world's shared memory */
struct optee_msg_param {
	uint64_t attr;
	uint64_t a, b, c;
};
struct optee_msg_arg {
	uint32_t cmd;
	uint32_t func;
	uint32_t session;
	uint32_t cancel_id;
	uint32_t pad;
	uint32_t ret;
	uint32_t ret_origin;
	uint32_t num_params;
	struct optee_msg_param params[];
};
#define OPTEE_MSG_GET_ARG_SIZE(n) (sizeof(struct optee_msg_arg) + (n) * sizeof(struct optee_msg_param))

/* struct thread_smc_args: a0..a7 of an entry, results in a0..a3 */
struct thread_smc_args {
	uint64_t a0, a1, a2, a3, a4, a5, a6, a7;
};

struct thread_ctx_regs {
	uint64_t x[31];
	uint64_t sp, pc, cpsr;
};

enum thread_state { THREAD_STATE_FREE, THREAD_STATE_SUSPENDED, THREAD_STATE_ACTIVE };

struct thread_ctx {
	struct thread_ctx_regs regs;
	uint32_t state;          /* enum thread_state */
	uint32_t flags;
	uint64_t stack_va_end;
	uint64_t rpc_arg;        /* the call's RPC argument struct (after its optee_msg_arg) */
	uint64_t pad[3];
};

struct thread_core_local {
	int32_t curr_thread;     /* -1: none */
	uint32_t flags;
	uint64_t pad;
};

extern struct optee_cfg optee_cfg;
extern struct thread_ctx threads[OPTEE_MAX_THREADS];
extern struct thread_core_local thread_core_local[ISA_MAX_CPUS];

/* thread_a64.S */
void thread_resume(const struct thread_ctx_regs *regs) __attribute__((noreturn));
void thread_std_smc_entry(void);
uint32_t thread_rpc(uint32_t rv[4]);

/* thread.c */
struct thread_core_local *thread_get_core_local(void);
int thread_get_id(void);
void thread_handle_fast_smc(struct thread_smc_args *args);
void thread_handle_std_smc(struct thread_smc_args *args);
void thread_set_foreign_intr(bool enable);
uint32_t thread_rpc_cmd(uint32_t cmd, uint64_t a, uint64_t b, uint64_t c);

/* entry_fast.c, entry_std.c */
void tee_entry_fast(struct thread_smc_args *args);
uint32_t std_smc_entry(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);

/* notif.c */
bool notif_async_is_started(void);
void notif_send_async(uint32_t value, uint64_t src_ts);
uint32_t notif_get_value(bool *value_valid, bool *value_pending);
void notif_deliver_atomic_event(unsigned ev);
void notif_deliver_event(unsigned ev);
void notif_raise_init(bool primary);

/* itr.c */
void itr_core_handler(void);
/* its acknowledge and EOI, steps of their own with tee: isa (models/tee/tee_entry.c) */
uint64_t itr_ack(void);
void itr_eoi(uint64_t iar);
void secure_src_yielding_cb(unsigned ev);

/* spinlocks (kernel/spinlock.h): interrupts masked while held */
uint32_t cpu_spin_lock_xsave(uint32_t *lock);
void cpu_spin_unlock_xrestore(uint32_t *lock, uint32_t exceptions);
#endif

#endif
