// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/guest/thread.c: OP-TEE's threads for yielding calls. A call
 * takes a free thread (or gets ETHREAD_LIMIT), runs in it on its own
 * stack, and may leave it suspended for an RPC or a foreign interrupt; the
 * normal world resumes it with RETURN_FROM_RPC naming the thread.
 *
 * Follows OP-TEE OS (no code copied): core/arch/arm/kernel/thread.c
 * (thread_alloc_and_run, thread_resume_from_rpc, thread_state_free,
 * thread_state_suspend, thread_set_foreign_intr), thread_optee_smc.c
 * (thread_handle_fast_smc, thread_handle_std_smc, __thread_std_smc_entry,
 * thread_rpc_cmd), kernel/spinlock.h.
 */
#include "models/tee/guest/optee_private.h"

_Static_assert(sizeof(struct thread_ctx) == THREAD_CTX_SIZE, "THREAD_CTX_SIZE");
_Static_assert(__builtin_offsetof(struct thread_ctx_regs, sp) == THREAD_CTX_REGS_SP, "REGS_SP");
_Static_assert(__builtin_offsetof(struct thread_ctx_regs, pc) == THREAD_CTX_REGS_PC, "REGS_PC");
_Static_assert(sizeof(struct thread_core_local) == THREAD_CORE_LOCAL_SIZE, "CORE_LOCAL_SIZE");

struct thread_ctx threads[OPTEE_MAX_THREADS];
struct thread_core_local thread_core_local[ISA_MAX_CPUS];
static uint8_t thread_stacks[OPTEE_MAX_THREADS][OPTEE_THREAD_STACK] __attribute__((aligned(16)));
/* The temporary stacks of the CPUs (entry_a64.S: set_sp_core_local). */
uint8_t stack_tmp[ISA_MAX_CPUS][OPTEE_TMP_STACK] __attribute__((aligned(16)));
static uint32_t thread_global_lock;

/* ---- spinlocks with exceptions masked ------------------------------------------------------ */

uint32_t cpu_spin_lock_xsave(uint32_t *lock)
{
	uint32_t exceptions = (uint32_t)read_sysreg(daif);
	uint32_t tmp, busy;
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	/* no WFE: an engine waiting for another PE spins (its time passes as the budget runs out) */
	__asm__ volatile("1:	ldaxr	%w0, [%2]\n"
			 "	cbnz	%w0, 1b\n"
			 "	stxr	%w1, %w3, [%2]\n"
			 "	cbnz	%w1, 1b\n"
			 : "=&r"(tmp), "=&r"(busy)
			 : "r"(lock), "r"(1)
			 : "memory");
	return exceptions;
}

void cpu_spin_unlock_xrestore(uint32_t *lock, uint32_t exceptions)
{
	__asm__ volatile("stlr wzr, [%0]" ::"r"(lock) : "memory");
	write_sysreg(daif, exceptions);
}

/* ---- thread bookkeeping --------------------------------------------------------------------- */

struct thread_core_local *thread_get_core_local(void)
{
	return (struct thread_core_local *)read_sysreg(tpidr_el1);
}

int thread_get_id(void) { return thread_get_core_local()->curr_thread; }

void thread_init_threads(void)
{
	for (unsigned n = 0; n < OPTEE_MAX_THREADS; n++) {
		threads[n].state = THREAD_STATE_FREE;
		threads[n].stack_va_end = (uint64_t)&thread_stacks[n][OPTEE_THREAD_STACK];
	}
	for (unsigned i = 0; i < ISA_MAX_CPUS; i++)
		thread_core_local[i].curr_thread = -1;
}

/* thread_set_foreign_intr: unmask/mask the foreign interrupts (FIQ on GICv3 with IRQ native). */
void thread_set_foreign_intr(bool enable)
{
	if (enable)
		__asm__ volatile("msr daifclr, #1" ::: "memory");
	else
		__asm__ volatile("msr daifset, #1" ::: "memory");
}

/*
 * thread_alloc_and_run: the first free thread of CFG_NUM_THREADS runs the
 * call from thread_std_smc_entry with x0..x7 = the call's a0..a7. Without
 * a free thread the call fails with ETHREAD_LIMIT (the caller returns it).
 */
static void thread_alloc_and_run(struct thread_smc_args *args)
{
	struct thread_core_local *l = thread_get_core_local();
	uint32_t exceptions = cpu_spin_lock_xsave(&thread_global_lock);
	unsigned nthreads = optee_cfg.nthreads < OPTEE_MAX_THREADS ? optee_cfg.nthreads : OPTEE_MAX_THREADS;
	int n = -1;

	/* cppcheck-suppress knownConditionTrueFalse ; optee_cfg is filled by the host, not zero */
	for (unsigned i = 0; i < nthreads; i++)
		if (threads[i].state == THREAD_STATE_FREE) {
			threads[i].state = THREAD_STATE_ACTIVE;
			n = (int)i;
			break;
		}
	cpu_spin_unlock_xrestore(&thread_global_lock, exceptions);
	if (n < 0) {
		args->a0 = OPTEE_SMC_RETURN_ETHREAD_LIMIT;
		return;
	}
	l->curr_thread = n;
	struct thread_ctx *t = &threads[n];
	t->flags = 0;
	t->rpc_arg = 0;
	memset(&t->regs, 0, sizeof(t->regs));
	t->regs.pc = (uint64_t)thread_std_smc_entry;
	t->regs.cpsr = THREAD_CPSR_START;
	t->regs.sp = t->stack_va_end;
	t->regs.x[0] = args->a0, t->regs.x[1] = args->a1, t->regs.x[2] = args->a2, t->regs.x[3] = args->a3;
	t->regs.x[4] = args->a4, t->regs.x[5] = args->a5, t->regs.x[6] = args->a6, t->regs.x[7] = args->a7;
	thread_resume(&t->regs);
}

/*
 * thread_resume_from_rpc: RETURN_FROM_RPC with a3 = the thread. Only a
 * thread suspended for an RPC or a foreign interrupt can be resumed; an RPC
 * gets a0..a3 of this call as its results. Anything else: ERESUME.
 */
static void thread_resume_from_rpc(struct thread_smc_args *args)
{
	uint64_t n = args->a3;
	struct thread_core_local *l = thread_get_core_local();
	uint32_t exceptions = cpu_spin_lock_xsave(&thread_global_lock);
	bool ok = n < optee_cfg.nthreads && n < OPTEE_MAX_THREADS && threads[n].state == THREAD_STATE_SUSPENDED;
	if (ok)
		threads[n].state = THREAD_STATE_ACTIVE;
	cpu_spin_unlock_xrestore(&thread_global_lock, exceptions);
	if (!ok) {
		args->a0 = OPTEE_SMC_RETURN_ERESUME;
		return;
	}
	l->curr_thread = (int)n;
	struct thread_ctx *t = &threads[n];
	if (t->flags & THREAD_FLAGS_COPY_ARGS_ON_RETURN) {
		t->regs.x[0] = args->a0;
		t->regs.x[1] = args->a1;
		t->regs.x[2] = args->a2;
		t->regs.x[3] = args->a3;
	}
	t->flags &= ~(THREAD_FLAGS_COPY_ARGS_ON_RETURN | THREAD_FLAGS_EXIT_ON_FOREIGN_INTR);
	thread_resume(&t->regs);
}

void thread_handle_std_smc(struct thread_smc_args *args)
{
	if ((uint32_t)args->a0 == OPTEE_SMC_CALL_RETURN_FROM_RPC)
		thread_resume_from_rpc(args);
	else
		thread_alloc_and_run(args);
}

/* Fast calls run on the temporary stack with every exception masked. */
void thread_handle_fast_smc(struct thread_smc_args *args)
{
	tee_entry_fast(args);
}

/* thread_state_free: the current thread's call is done (on the temporary stack, masked). */
void thread_state_free(void)
{
	struct thread_core_local *l = thread_get_core_local();
	uint32_t exceptions = cpu_spin_lock_xsave(&thread_global_lock);
	GUEST_ASSERT(l->curr_thread >= 0 && threads[l->curr_thread].state == THREAD_STATE_ACTIVE);
	threads[l->curr_thread].state = THREAD_STATE_FREE;
	threads[l->curr_thread].flags = 0;
	l->curr_thread = -1;
	cpu_spin_unlock_xrestore(&thread_global_lock, exceptions);
}

/* thread_state_suspend: remember where the thread resumes; it leaves this CPU. Returns its id. */
int thread_state_suspend(uint32_t flags, uint64_t cpsr, uint64_t pc, uint64_t sp)
{
	struct thread_core_local *l = thread_get_core_local();
	int n = l->curr_thread;
	uint32_t exceptions = cpu_spin_lock_xsave(&thread_global_lock);
	GUEST_ASSERT(n >= 0 && threads[n].state == THREAD_STATE_ACTIVE);
	threads[n].regs.cpsr = cpsr;
	threads[n].regs.pc = pc;
	threads[n].regs.sp = sp;
	threads[n].flags |= flags;
	threads[n].state = THREAD_STATE_SUSPENDED;
	l->curr_thread = -1;
	cpu_spin_unlock_xrestore(&thread_global_lock, exceptions);
	return n;
}

/* The foreign-interrupt exit: the registers are already in threads[curr].regs. */
int thread_foreign_intr_suspend(uint32_t flags)
{
	struct thread_core_local *l = thread_get_core_local();
	int n = l->curr_thread;
	const struct thread_ctx_regs *r = &threads[n].regs;
	return thread_state_suspend(flags, r->cpsr, r->pc, r->sp);
}

/*
 * thread_rpc_cmd: an RPC command to the normal world in the call's RPC
 * argument struct (optee_msg_arg with one value parameter), then
 * OPTEE_SMC_RETURN_RPC_CMD. Returns the command's result.
 */
uint32_t thread_rpc_cmd(uint32_t cmd, uint64_t a, uint64_t b, uint64_t c)
{
	struct thread_ctx *t = &threads[thread_get_id()];
	struct optee_msg_arg *arg = (struct optee_msg_arg *)t->rpc_arg;
	uint32_t rv[4] = { OPTEE_SMC_RETURN_RPC_CMD, 0, 0, 0 };

	if (!arg)
		return TEE_ERROR_NOT_IMPLEMENTED;
	arg->cmd = cmd;
	arg->ret = TEE_ERROR_NOT_IMPLEMENTED;
	arg->num_params = 1;
	arg->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	arg->params[0].a = a;
	arg->params[0].b = b;
	arg->params[0].c = c;
	dsb(ish);
	thread_rpc(rv);
	return arg->ret;
}

/* __thread_std_smc_entry: the call in the thread, with the result for CALL_DONE's a0. */
uint32_t __thread_std_smc_entry(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return std_smc_entry(a0, a1, a2, a3);
}
