// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/guest/notif.c: OP-TEE's asynchronous notifications. The
 * value bitmap, notif_send_async with the raise of the normal world's
 * interrupt for each transport, notif_get_value (lowest value first), the
 * STARTED/DO_BOTTOM_HALF/STOPPED events and the mutex that serialises the
 * yielding ones (waits are NOTIFICATION RPCs to the normal world).
 *
 * Follows OP-TEE OS (no code copied): core/kernel/notif.c
 * (notif_deliver_atomic_event, notif_deliver_event), notif_default.c
 * (notif_send_async, notif_get_value), core/drivers/gic.c
 * (gic_it_set_pending, gic_it_raise_sgi, gic_init_donate_sgi_to_ns),
 * thread_spmc.c (the FF-A variant), core/kernel/mutex.c and wait_queue.c.
 * Rules: docs/protocol.md §1.5, §3.1-§3.4, §5.3.
 */
#include "models/tee/guest/optee_private.h"

#define GICD_ISPENDR 0x0200
#define GICR_STRIDE 0x20000
#define GICR_SGI_OFFSET 0x10000
#define GICR_IGROUPR0 0x0080
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_IGRPMODR0 0x0D00
#define ICC_SGIR_IRM (1ull << 40)

static uint64_t notif_values;     /* one guest: no per-VM bitmaps */
static bool notif_started;
static uint32_t notif_lock;

/* ---- the mutex of yielding events (mutex.c; ownership handed to the first waiter) -------- */

static struct {
	uint32_t spin;
	int32_t owner;                /* thread id, -1: free */
	uint32_t nwait;
	int32_t waitq[OPTEE_MAX_THREADS];
} notif_mutex = { 0, -1, 0, { 0 } };

static void mutex_lock(void)
{
	int me = thread_get_id();
	for (;;) {
		uint32_t ex = cpu_spin_lock_xsave(&notif_mutex.spin);
		if (notif_mutex.owner < 0 || notif_mutex.owner == me) {
			notif_mutex.owner = me;
			cpu_spin_unlock_xrestore(&notif_mutex.spin, ex);
			return;
		}
		bool queued = false;
		for (uint32_t i = 0; i < notif_mutex.nwait; i++)
			queued |= notif_mutex.waitq[i] == me;
		if (!queued && notif_mutex.nwait < OPTEE_MAX_THREADS)
			notif_mutex.waitq[notif_mutex.nwait++] = me;
		cpu_spin_unlock_xrestore(&notif_mutex.spin, ex);
		/* wq_wait_final: sleep in the normal world until our sync value is sent */
		thread_rpc_cmd(OPTEE_RPC_CMD_NOTIFICATION, OPTEE_RPC_NOTIFICATION_WAIT,
			       NOTIF_SYNC_VALUE_BASE + (uint64_t)me, 0);
	}
}

static void mutex_unlock(void)
{
	uint32_t ex = cpu_spin_lock_xsave(&notif_mutex.spin);
	if (!notif_mutex.nwait) {
		notif_mutex.owner = -1;
		cpu_spin_unlock_xrestore(&notif_mutex.spin, ex);
		return;
	}
	int w = notif_mutex.waitq[0];
	for (uint32_t i = 1; i < notif_mutex.nwait; i++)
		notif_mutex.waitq[i - 1] = notif_mutex.waitq[i];
	notif_mutex.nwait--;
	notif_mutex.owner = w;
	cpu_spin_unlock_xrestore(&notif_mutex.spin, ex);
	/* wq_wake_next -> notif_send_sync */
	thread_rpc_cmd(OPTEE_RPC_CMD_NOTIFICATION, OPTEE_RPC_NOTIFICATION_SEND, NOTIF_SYNC_VALUE_BASE + (uint64_t)w, 0);
}

/* ---- events --------------------------------------------------------------------------------- */

bool notif_async_is_started(void) { return notif_started; }

/* notif_deliver_atomic_event(STARTED): the ENABLE_ASYNC_NOTIF fast call, once. */
void notif_deliver_atomic_event(unsigned ev)
{
	uint32_t ex = cpu_spin_lock_xsave(&notif_lock);
	if (ev == NOTIF_EVENT_STARTED)
		notif_started = true;
	cpu_spin_unlock_xrestore(&notif_lock, ex);
}

/* notif_deliver_event: a yielding event, serialised by notif_mutex, the drivers' callbacks unlocked. */
void notif_deliver_event(unsigned ev)
{
	mutex_lock();
	uint32_t ex = cpu_spin_lock_xsave(&notif_lock);
	bool run = notif_started;
	if (ev == NOTIF_EVENT_STOPPED)
		notif_started = false;
	cpu_spin_unlock_xrestore(&notif_lock, ex);
	if (run)
		secure_src_yielding_cb(ev);
	mutex_unlock();
}

/* ---- the raise of each transport ------------------------------------------------------------- */

static uint64_t my_sgi_base(void)
{
	return optee_cfg.gicr_base + (uint64_t)plat_my_core_pos() * GICR_STRIDE + GICR_SGI_OFFSET;
}

/* gic_init_donate_sgi_to_ns: disable, clear, Non-secure Group 1 in @pos's Redistributor. */
static void donate_sgi(unsigned pos)
{
	unsigned id = optee_cfg.notif_intid;
	uint64_t rd = optee_cfg.gicr_base + (uint64_t)pos * GICR_STRIDE + GICR_SGI_OFFSET;
	mmio_write32(rd + GICR_ICENABLER0, 1u << id);
	mmio_write32(rd + GICR_ICPENDR0, 1u << id);
	mmio_write32(rd + GICR_IGROUPR0, mmio_read32(rd + GICR_IGROUPR0) | (1u << id));
	mmio_write32(rd + GICR_IGRPMODR0, mmio_read32(rd + GICR_IGRPMODR0) & ~(1u << id));
}

/* At boot every PE's copy (primary), or this PE's when it comes up (gic_init_per_cpu). */
void notif_raise_init(bool primary)
{
	if (!(optee_cfg.flags & OPTEE_CFG_ASYNC_NOTIF) || optee_cfg.transport != OPTEE_TRANSPORT_SGI)
		return;
	if (primary)
		for (unsigned i = 0; i < optee_cfg.ncpus; i++)
			donate_sgi(i);
	else
		donate_sgi(plat_my_core_pos());
}

/* ICC_SGI1R fields: INTID, Aff3.Aff2.Aff1 of the target's cluster, TargetList bit Aff0 (no RS: Aff0 < 16). */
static uint64_t sgir_for(unsigned intid, unsigned pos)
{
	return (uint64_t)intid << 24 | (uint64_t)(pos / 16) << 16 | (1ull << (pos % 16));
}

static void raise_sgi(unsigned id)
{
	switch (optee_cfg.sgi_target) {
	case OPTEE_SGI_ALL_BUT_SELF:
		write_sysreg(S3_0_C12_C11_6, (uint64_t)id << 24 | ICC_SGIR_IRM); /* ICC_ASGI1R_EL1 */
		break;
	case OPTEE_SGI_LIST:
		for (unsigned i = 0; i < optee_cfg.ncpus && i < 64; i++)
			if (optee_cfg.sgi_cpus & (1ull << i))
				write_sysreg(S3_0_C12_C11_6, sgir_for(id, i));
		break;
	default: /* ITR_CPU_MASK_TO_THIS_CPU */
		write_sysreg(S3_0_C12_C11_6, sgir_for(id, plat_my_core_pos()));
		break;
	}
	isb();
}

/*
 * interrupt_raise_pi / gic_it_set_pending for the SMC ABI transports, or
 * FFA_NOTIFICATION_SET when OP-TEE is an S-EL1 partition (thread_spmc.c):
 * global notification, delay the SRI, the bottom half's bit.
 */
static void notif_raise(void)
{
	unsigned id = optee_cfg.notif_intid;
	switch (optee_cfg.transport) {
	case OPTEE_TRANSPORT_SPI:
		mmio_write32(optee_cfg.gicd_base + GICD_ISPENDR + 4 * (id / 32), 1u << (id % 32));
		break;
	case OPTEE_TRANSPORT_PPI:
		if (optee_cfg.ppi_fixed)
			mmio_write32(my_sgi_base() + GICR_ISPENDR0, 1u << id);
		else /* GICD_ISPENDR0: RAZ/WI with affinity routing (docs/protocol.md §3.1): dropped */
			mmio_write32(optee_cfg.gicd_base + GICD_ISPENDR, 1u << id);
		break;
	case OPTEE_TRANSPORT_SGI:
		raise_sgi(id);
		break;
	case OPTEE_TRANSPORT_FFA: {
		uint64_t bit = 1ull << (optee_cfg.ffa_bh_bit & 63);
		struct guest_res r = guest_smc(FFA_NOTIFICATION_SET, optee_cfg.ffa_own_id << 16 | optee_cfg.ffa_nw_id,
					       FFA_NOTIF_FLAG_DELAY_SRI, bit & 0xffffffff, bit >> 32, 0, 0, 0);
		GUEST_ASSERT((uint32_t)r.a0 == 0x84000061); /* FFA_SUCCESS_32: it panics otherwise */
		break;
	}
	default:
		GUEST_ASSERT(0);
	}
	GUEST_TRACE(ISA_TR_NOTIF_RAISE, optee_cfg.transport, id, 0);
}

/*
 * notif_send_async: record @value (a second send before the normal world
 * reads it coalesces) and raise the interrupt on every send. @src_ts: the
 * device's TS register, for the trace (the source time of the episode).
 */
void notif_send_async(uint32_t value, uint64_t src_ts)
{
	GUEST_ASSERT(value <= NOTIF_ASYNC_VALUE_MAX);
	uint32_t ex = cpu_spin_lock_xsave(&notif_lock);
	uint64_t bit = 1ull << value;
	bool coalesced = (notif_values & bit) != 0;
	notif_values |= bit;
	GUEST_TRACE(ISA_TR_NOTIF_SEND, value, coalesced, src_ts);
	notif_raise();
	cpu_spin_unlock_xrestore(&notif_lock, ex);
}

/* notif_get_value: the lowest set bit, cleared; PENDING while any other stays set. */
uint32_t notif_get_value(bool *value_valid, bool *value_pending)
{
	uint32_t ex = cpu_spin_lock_xsave(&notif_lock), v = 0;
	*value_valid = notif_values != 0;
	if (*value_valid) {
		v = (uint32_t)__builtin_ctzll(notif_values);
		notif_values &= notif_values - 1;
	}
	*value_pending = notif_values != 0;
	cpu_spin_unlock_xrestore(&notif_lock, ex);
	if (*value_valid)
		GUEST_TRACE(ISA_TR_NOTIF_GET, v, *value_pending, 0);
	return v;
}
