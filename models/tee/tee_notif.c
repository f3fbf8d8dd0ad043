// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/tee_notif.c: OP-TEE's asynchronous notification core
 * (core/kernel/notif.c, notif_default.c; docs/protocol.md §1.5, §3.1, §3.4) and
 * the SMC-ABI transports that raise the normal world's interrupt.
 */
#include <errno.h>
#include <string.h>

#include "tee_internal.h"
#include "models/cpu/isa_rt.h"
#include "models/gic/gic.h"

/*
 * fidelity: isa. OP-TEE's notif_send_async (models/tee/guest/notif.c)
 * records the value in the guest's bitmap and raises the interrupt with
 * the transport's register write (GICD_ISPENDR, GICR_ISPENDR0,
 * ICC_ASGI1R_EL1) through the PE's ports; its ISA_TR_NOTIF_SEND trace must
 * agree with this model's bookkeeping (value, coalesced).
 */
static bool send_book(struct tee *t, struct pe *pe, uint32_t id, unsigned value, sim_time src, sim_time th);

/*
 * The guest's notif_send_async recorded the value (under its lock): this
 * model's bitmap and records follow at the same moment, so that two CPUs
 * sending at once coalesce in the order their guest code ran (the routine
 * of the one whose send step started first may run later, when the kernel
 * event that ends its budget is the other's), and must agree.
 */
static enum isa_action isa_send_mc(void *ctx, struct pe *pe, unsigned imm, uint64_t x[4])
{
	struct tee *t = ctx;
	struct tee_isa_send *s = &t->isa_send[pe_id(pe)];
	if (imm != ISA_MC_TRACE)
		return ISA_STOP;
	if (x[0] == ISA_TR_NOTIF_SEND) {
		bool coalesced = send_book(t, pe, s->id, s->value, s->src, s->th);
		if (x[1] != s->value || (x[2] != 0) != coalesced)
			isa_rt_fail(t->cfg.isa,
				    "ISA: cpu%u: notif_send_async recorded value %llu%s, the model %u%s", pe_id(pe),
				    (unsigned long long)x[1], x[2] ? " (coalesced)" : "", s->value,
				    coalesced ? " (coalesced)" : "");
		s->seen = true;
	}
	return ISA_CONTINUE;
}

static void isa_send_done(void *ctx, struct pe *pe, const uint64_t res[4])
{
	struct tee *t = ctx;
	struct tee_isa_send *s = &t->isa_send[pe_id(pe)];
	(void)res;
	if (!s->seen)
		isa_rt_fail(t->cfg.isa, "ISA: cpu%u: notif_send_async returned without recording a value", pe_id(pe));
	s->done(s->ctx, pe);
}

static void isa_send(struct tee *t, struct pe *pe, uint32_t id, unsigned value, sim_time src, sim_time th, pe_fn done,
		     void *ctx)
{
	struct tee_isa_send *s = &t->isa_send[pe_id(pe)];
	s->value = value, s->id = id, s->src = src, s->th = th, s->coalesced = false, s->seen = false;
	s->done = done, s->ctx = ctx;
	struct isa_rt_req rq = { .h = ISA_H_TEE_NOTIF_SEND, .world = ISA_RT_TEE,
				 .fn = isa_rt_sym(t->cfg.isa, ISA_IMG_TEE, "notif_send_async"),
				 .args = { value, src + 1 }, .nargs = 2, .mc = isa_send_mc, .done = isa_send_done, .ctx = t };
	isa_rt_call(t->cfg.isa, pe, &rq);
}

void tee_notif_init(struct tee *t)
{
	t->pending = 0;
	t->started = false;
	memset(t->primary, 0, sizeof(t->primary));
	switch (t->cfg.transport) {
	case TEE_TRANSPORT_SPI:
		t->tp = t->cfg.level ? &tee_transport_spi_level : &tee_transport_spi_edge;
		break;
	case TEE_TRANSPORT_PPI:
		t->tp = &tee_transport_ppi;
		break;
	case TEE_TRANSPORT_SGI:
		t->tp = &tee_transport_sgi;
		break;
	case TEE_TRANSPORT_FFA:
		t->tp = &tee_transport_ffa;
		break;
	}
}

static void notif_rec(struct tee *t, struct pe *pe, uint32_t id, unsigned stage, uint64_t value,
		      uint64_t c, uint64_t d)
{
	tee_trace(t, pe, TR_NOTIF, id, stage, value, c, d, NULL);
}

/*
 * notif_send_async (notif_default.c): set the value's bit (a second send
 * before the normal world reads it coalesces) and raise the interrupt on
 * every send.
 */
/* The model's side of a send: the bit (or a coalesced record). Returns whether it coalesced. */
static bool send_book(struct tee *t, struct pe *pe, uint32_t id, unsigned value, sim_time src, sim_time th)
{
	uint64_t bit = 1ull << value;
	bool coalesced = (t->pending & bit) != 0;

	if (coalesced) {
		notif_rec(t, pe, id, NOTIF_COALESCED, value, t->primary[value], 0);
	} else {
		t->pending |= bit;
		t->primary[value] = id;
		t->primary_src[value] = src;
		notif_rec(t, pe, id, NOTIF_SEND, value, src, th);
	}
	return coalesced;
}

void tee_notif_send(struct tee *t, struct pe *pe, unsigned value, sim_time src, sim_time th, pe_fn done,
		    void *ctx)
{
	uint32_t id = ++t->next_id;
	bool was_empty = t->pending == 0;

	if (t->cfg.isa) {
		/* the bookkeeping when the guest records the value (isa_send_mc) */
		pe_serve(pe, id);
		isa_send(t, pe, id, value, src, th, done, ctx);
		return;
	}
	send_book(t, pe, id, value, src, th);
	pe_serve(pe, id); /* the rest of this top half serves the notification */
	if (t->cfg.raise_when_empty && !was_empty && t->cfg.transport != TEE_TRANSPORT_FFA) {
		done(ctx, pe); /* tee.notif_raise: when_empty (docs/protocol.md §10.2): no raise */
		return;
	}
	t->tp->raise(t, pe, done, ctx);
}

/* notif_get_value: the lowest set bit first, cleared as it is read. */
bool tee_notif_get(struct tee *t, struct pe *pe, unsigned *value, bool *more)
{
	unsigned v;
	if (!t->pending) {
		*more = false;
		t->tp->value_read(t, pe, true);
		return false;
	}
	v = (unsigned)__builtin_ctzll(t->pending);
	t->pending &= ~(1ull << v);
	*value = v;
	*more = t->pending != 0;
	notif_rec(t, pe, t->primary[v], NOTIF_FETCHED, v, 0, 0);
	if (v == NOTIF_VALUE_DO_BOTTOM_HALF) {
		if (id_list_push(&t->fetched0, t->primary[v]) != 0)
			sim_kernel_fail(t->sim->k, -ENOMEM); /* the run stops: out of memory (sim/kernel/err.h) */
	} else {
		/*
		 * Linux's irq_handler passes it to optee_notif_send (its record
		 * there marks it delivered); a notif_wait returns with it
		 */
		if (!t->fetched_n[v] || t->primary_src[v] < t->fetched_src[v])
			t->fetched_src[v] = t->primary_src[v];
		t->fetched_n[v]++;
	}
	t->primary[v] = 0;
	t->tp->value_read(t, pe, !*more);
	return true;
}

/* ---- a TA waiting for a value: notif_wait (core/kernel/notif.c) ------------------------ */

static void ta_event(struct tee *t, struct pe *pe, unsigned code, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
	sim_trace_emit(t->sim->tr, &(struct sim_rec){ .t = sim_now(t->sim->k), .kind = TR_EVENT,
						     .code = (uint16_t)code, .cpu = (int32_t)pe_id(pe),
						     .world = SIM_WORLD_S, .a = a, .b = b, .c = c, .d = d,
						     .label = sim_ev_label(code) });
}

static void wait_returned(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	unsigned v = (unsigned)th->wait_value, n = t->fetched_n[v];

	if (tee_thread_rpc_ret(th) != TEE_SUCCESS) {
		/* optee_notif_wait -EBUSY -> TEEC_ERROR_BAD_PARAMETERS: notif_wait fails, so does the TA's command */
		ta_event(t, pe, SIM_EV_TA_WAIT_REFUSED, th->param_c, v, 0, 0);
		th->ta_ret = TEE_ERROR_BAD_PARAMETERS;
		th->wait_done(th, pe);
		return;
	}
	/*
	 * Back in the waiting thread with the value. Linux keeps one bit or one
	 * completion per key, so this wait took every send fetched since the
	 * last one returned (a send that completes an entry already completed
	 * is absorbed, optee_notif_send). When the wait had to sleep, its
	 * wake-up ran from the earliest of them: that is the latency a waiting
	 * TA sees. A wait that found the value already there has none.
	 */
	ta_event(t, pe, SIM_EV_TA_WOKEN, th->param_c, n, n ? t->fetched_src[v] : 0, !th->wait_ready);
	t->fetched_n[v] = 0;
	th->wait_done(th, pe);
}

/*
 * notif_wait(value) = notif_rpc(OPTEE_RPC_NOTIFICATION_WAIT, value, 0):
 * thread_rpc_cmd(OPTEE_RPC_CMD_NOTIFICATION) with {a = WAIT, b = value},
 * no timeout. The thread leaves the secure world until Linux's
 * optee_notif_wait returns.
 */
void tee_notif_wait(struct tee_thread *th, struct pe *pe, unsigned value, pe_fn done)
{
	th->wait_value = value;
	th->wait_ready = th->t->fetched_n[value] > 0;
	th->wait_done = done;
	ta_event(th->t, pe, SIM_EV_TA_WAIT, th->param_c, value, 0, 0);
	tee_thread_rpc(th, pe, OPTEE_RPC_CMD_NOTIFICATION, OPTEE_RPC_NOTIFICATION_WAIT, value, wait_returned);
}

/* ---- yielding events: DO_BOTTOM_HALF and STOPPED ------------------------------------ */

/*
 * notif_deliver_event() serialises yielding notifications with a mutex. A
 * thread that finds it taken waits through the wait queue: an RPC
 * NOTIFICATION WAIT for its sync value (64 + thread id); the owner's
 * unlock sends NOTIFICATION SEND for the first waiter (wait_queue.c).
 */
static void bh_locked(void *ctx, struct pe *pe);

static void mutex_lock(struct tee_thread *th, struct pe *pe, pe_fn locked)
{
	struct tee *t = th->t;
	if (t->mutex_owner < 0 || t->mutex_owner == (int)th->id) {
		t->mutex_owner = (int)th->id;
		locked(th, pe);
		return;
	}
	t->waitq[t->nwait++] = (int)th->id;
	/* notif_wait -> notif_rpc: OPTEE_RPC_CMD_NOTIFICATION {a = WAIT, b = the value} */
	tee_thread_rpc(th, pe, OPTEE_RPC_CMD_NOTIFICATION, OPTEE_RPC_NOTIFICATION_WAIT, NOTIF_SYNC_VALUE_BASE + th->id,
		       locked);
}

static void mutex_unlock(struct tee_thread *th, struct pe *pe, pe_fn done)
{
	struct tee *t = th->t;
	int w;
	if (!t->nwait) {
		t->mutex_owner = -1;
		done(th, pe);
		return;
	}
	w = t->waitq[0];
	memmove(t->waitq, t->waitq + 1, --t->nwait * sizeof(t->waitq[0]));
	t->mutex_owner = w; /* handed over: the waiter holds it when it resumes */
	tee_thread_rpc(th, pe, OPTEE_RPC_CMD_NOTIFICATION, OPTEE_RPC_NOTIFICATION_SEND,
		       NOTIF_SYNC_VALUE_BASE + (unsigned)w, done);
}

static void bh_next_dev(void *ctx, struct pe *pe);

static void bh_unlocked(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	th->bh_done(th, pe);
}

static void bh_exit_done(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	mutex_unlock(th, pe, bh_unlocked);
}

/*
 * The last driver callback returned (the console's ends with
 * rx_intr_enable(): the UART's RX line comes back at once if a character
 * waits). The rest of the secure exit still runs in the thread with native
 * interrupts unmasked: notif_deliver_event's loop end and spin unlock
 * (core/kernel/notif.c; an interrupt pending by then is taken there at the
 * latest), mutex_unlock(&notif_mutex), the return through tee_entry_std and
 * __thread_std_smc_entry, until thread_std_smc_entry masks every exception
 * before the CALL_DONE SMC. One timed step, tee.bh_exit, covers it; a
 * secure interrupt in it is a native interrupt in S-EL1, and the
 * notification it raises preempts the thread as a foreign one
 * (RPC_FOREIGN_INTR), as on QEMU + TF-A + OP-TEE.
 */
static void bh_all_done(struct tee_thread *th, struct pe *pe)
{
	struct tee *t = th->t;
	for (unsigned i = 0; i < th->bh_ids.n; i++)
		notif_rec(t, pe, th->bh_ids.v[i], NOTIF_BH_DONE, 0, 0, 0);
	th->bh_ids.n = 0;
	pe_exec_cost(pe, SIM_COST_TEE_BH_EXIT, "notif_deliver_event exit", bh_exit_done, th);
}

static void bh_next_dev(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	while (th->dev_iter < t->ndev) {
		struct tee_dev *d = &t->devs[th->dev_iter++];
		if (tee_dev_has_bottom_half(d, pe)) {
			tee_dev_bottom_half(d, pe, bh_next_dev, th);
			return;
		}
	}
	bh_all_done(th, pe);
}

static void bh_locked(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	if (!t->started) { /* "Not started": nothing is delivered before STARTED */
		mutex_unlock(th, pe, bh_unlocked);
		return;
	}
	/* This bottom half serves every DO_BOTTOM_HALF fetched so far. */
	for (unsigned i = 0; i < t->fetched0.n; i++) {
		if (id_list_push(&th->bh_ids, t->fetched0.v[i]) != 0)
			sim_kernel_fail(t->sim->k, -ENOMEM);
		notif_rec(t, pe, t->fetched0.v[i], NOTIF_BH_ENTER, 0, 0, 0);
	}
	t->fetched0.n = 0;
	th->dev_iter = 0;
	bh_next_dev(th, pe);
}

void tee_notif_deliver_bh(struct tee_thread *th, struct pe *pe, pe_fn done)
{
	th->bh_done = done;
	mutex_lock(th, pe, bh_locked);
}

static void stopped_locked(void *ctx, struct pe *pe)
{
	struct tee_thread *th = ctx;
	struct tee *t = th->t;
	/* notif_started = false first, then every driver's yielding_cb(STOPPED). */
	t->started = false;
	for (int i = 0; i < t->ndev; i++)
		tee_dev_stopped(&t->devs[i], pe);
	tee_trace(t, pe, TR_EVENT, 0, 0, 0, 0, 0, "notif STOPPED");
	mutex_unlock(th, pe, bh_unlocked);
}

void tee_notif_deliver_stopped(struct tee_thread *th, struct pe *pe, pe_fn done)
{
	th->bh_done = done;
	mutex_lock(th, pe, stopped_locked);
}

/* ---- transports ------------------------------------------------------------------ */

static void no_read(struct tee *t, struct pe *pe, bool empty)
{
	(void)t, (void)pe, (void)empty;
}

/* interrupt_raise_pi -> gic_it_set_pending: GICD_ISPENDR(it / 32) bit (it % 32). */
static void spi_raise(struct tee *t, struct pe *pe, pe_fn done, void *ctx)
{
	unsigned id = t->cfg.intid;
	pe_mmio_write(pe, t->cfg.gicd_base + GICD_ISPENDR + 4 * (id / 32), 4, 1ull << (id % 32));
	pe_charge(pe, SIM_COST_GIC_MMIO);
	done(ctx, pe);
}

const struct tee_transport tee_transport_spi_edge = { "spi", NULL, spi_raise, no_read, NULL };

/* A secure doorbell device: its level line stays high while any value is pending. */
static void door_raise(struct tee *t, struct pe *pe, pe_fn done, void *ctx)
{
	sim_wire_set(t->sim, &t->doorbell, 1);
	done(ctx, pe);
}

static void door_read(struct tee *t, struct pe *pe, bool empty)
{
	(void)pe;
	if (empty)
		sim_wire_set(t->sim, &t->doorbell, 0);
}

const struct tee_transport tee_transport_spi_level = { "spi-level", NULL, door_raise, door_read, NULL };

/*
 * PPI. Upstream OP-TEE (core/drivers/gic.c gic_op_raise_pi ->
 * gic_it_set_pending) writes only GICD_ISPENDR(it / 32), i.e. GICD_ISPENDR0
 * for a PPI. With affinity routing enabled (TF-A gicv3_distif_init sets
 * ARE_S and ARE_NS) GICD_ISPENDR0 is RAZ/WI (IHI 0069, GICD_ISPENDR<n>):
 * the GIC model drops the write and Linux never sees the PPI
 * (transport.raise: upstream). The fix (raise: fixed, tzsim's, not
 * upstream) writes GICR_ISPENDR0 of the running PE, which provides the
 * function under ARE.
 */
static void ppi_raise(struct tee *t, struct pe *pe, pe_fn done, void *ctx)
{
	unsigned id = t->cfg.intid;
	if (t->cfg.ppi_raise_upstream) {
		pe_mmio_write(pe, t->cfg.gicd_base + GICD_ISPENDR + 4 * (id / 32), 4, 1ull << (id % 32));
	} else {
		uint64_t rd = t->cfg.gicr_base + (uint64_t)pe_id(pe) * GICR_STRIDE + GICR_SGI_OFFSET;
		pe_mmio_write(pe, rd + GICR_ISPENDR0, 4, 1ull << id);
	}
	pe_charge(pe, SIM_COST_GIC_MMIO);
	done(ctx, pe);
}

const struct tee_transport tee_transport_ppi = { "ppi", NULL, ppi_raise, no_read, NULL };

/*
 * SGI donated to the normal world (plat-vexpress boot_primary_init_intc ->
 * gic_init_donate_sgi_to_ns): disable, clear pending, Non-secure Group 1,
 * on every PE's Redistributor.
 */
void tee_donate_sgi(struct tee *t, struct pe *pe, unsigned target)
{
	unsigned id = t->cfg.intid;
	uint64_t rd = t->cfg.gicr_base + (uint64_t)target * GICR_STRIDE + GICR_SGI_OFFSET, v;
	pe_mmio_write(pe, rd + GICR_ICENABLER0, 4, 1ull << id);
	pe_mmio_write(pe, rd + GICR_ICPENDR0, 4, 1ull << id);
	pe_mmio_read(pe, rd + GICR_IGROUPR0, 4, &v);
	pe_mmio_write(pe, rd + GICR_IGROUPR0, 4, v | (1ull << id));
	pe_mmio_read(pe, rd + GICR_IGRPMODR0, 4, &v);
	pe_mmio_write(pe, rd + GICR_IGRPMODR0, 4, v & ~(1ull << id));
}

static void sgi_init(struct tee *t, struct pe *pe)
{
	for (unsigned i = 0; i < t->cfg.num_pes; i++)
		tee_donate_sgi(t, pe, i);
	tee_trace(t, pe, TR_EVENT, 0, t->cfg.intid, 0, 0, 0, "SGI donated to Non-secure G1");
}

/*
 * A secondary CPU coming up: TF-A's gicv3_rdistif_init put SGIs 8-15 back in
 * Secure Group 1, so OP-TEE copies the donation into this CPU's
 * Redistributor (gic_init_per_cpu -> gicv3_sync_redist_config).
 */
static void sgi_init_cpu(struct tee *t, struct pe *pe) { tee_donate_sgi(t, pe, pe_id(pe)); }

static uint64_t sgir_for(unsigned intid, unsigned pe)
{
	uint64_t aff = pe_mpidr(pe);
	return ((uint64_t)intid << ICC_SGIR_INTID_SHIFT) | (((aff >> 8) & 0xff) << ICC_SGIR_AFF1_SHIFT) |
	       (1ull << (aff & 0xf));
}

/* gic_it_raise_sgi: ICC_ASGI1R_EL1 because the SGI's group is Non-secure (donated). */
static void sgi_raise(struct tee *t, struct pe *pe, pe_fn done, void *ctx)
{
	unsigned id = t->cfg.intid;
	switch (t->cfg.sgi_target) {
	case TEE_SGI_SELF:
		pe_icc_write(pe, ICC_ASGI1R_EL1, sgir_for(id, pe_id(pe)));
		pe_charge(pe, SIM_COST_GIC_SYSREG);
		break;
	case TEE_SGI_ALL_BUT_SELF:
		pe_icc_write(pe, ICC_ASGI1R_EL1, ((uint64_t)id << ICC_SGIR_INTID_SHIFT) | ICC_SGIR_IRM);
		pe_charge(pe, SIM_COST_GIC_SYSREG);
		break;
	case TEE_SGI_LIST:
		/* one write per target (TargetList covers one cluster per write) */
		for (unsigned i = 0; i < t->cfg.num_pes; i++)
			if (t->cfg.sgi_cpus & (1ull << i)) {
				pe_icc_write(pe, ICC_ASGI1R_EL1, sgir_for(id, i));
				pe_charge(pe, SIM_COST_GIC_SYSREG);
			}
		break;
	}
	done(ctx, pe);
}

const struct tee_transport tee_transport_sgi = { "sgi", sgi_init, sgi_raise, no_read, sgi_init_cpu };
