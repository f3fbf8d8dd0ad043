// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/secure_dev.c: OP-TEE's drivers for the secure interrupt
 * sources (the hardware is models/dev/secure_src.c, reached only through
 * its register frame on the bus).
 *
 * After OP-TEE's console example (plat-vexpress, docs/protocol.md §3.6): once
 * notifications are STARTED, the top half masks the UART's RX interrupt (the
 * line drops) and sends DO_BOTTOM_HALF; the bottom half, in a yielding call,
 * drains the device until it is empty (read_console's loop: what arrives
 * while it reads is read too) and then unmasks RX (the line re-asserts only
 * for data that came after its last check). Before STARTED, and after
 * STOPPED, the top half handles the data inline. A timer or TRNG counts its
 * events the same way, except that its line is never masked: an event during
 * its bottom half has raised its own top half, and the next bottom half
 * handles it.
 *
 * A device with notify_value follows OP-TEE's stm32_rtc driver instead: a
 * value of its own from notif_alloc_async_value() at probe; its interrupt
 * handler (stm32_rtc_it_handler) clears the event and calls
 * notif_send_async(value) whether or not notifications are STARTED; there
 * is no bottom half, a TA waiting in notif_wait(value) is the consumer.
 */
#include <stdio.h>
#include <string.h>

#include "tee_internal.h"
#include "models/dev/secure_src.h"

static uint64_t reg_read(struct tee_dev *d, struct pe *pe, unsigned off, unsigned size)
{
	uint64_t v = 0;
	pe_mmio_read(pe, d->c.base + off, size, &v);
	return v;
}

static void reg_write(struct tee_dev *d, struct pe *pe, unsigned off, uint64_t v)
{
	pe_mmio_write(pe, d->c.base + off, 4, v);
}

static bool is_uart(const struct tee_dev *d) { return d->c.kind == TEE_DEV_UART; }

int tee_add_device(struct tee *t, const struct tee_device_config *c)
{
	struct tee_dev *d;
	if (t->ndev == TEE_MAX_DEVS)
		return -1;
	d = &t->devs[t->ndev];
	memset(d, 0, sizeof(*d));
	d->t = t;
	d->idx = t->ndev;
	d->c = *c;
	if (c->notify_value) {
		/* notif_alloc_async_value (notif_default.c): the lowest free value, 0 (DO_BOTTOM_HALF) reserved */
		uint64_t used = t->values_alloc | 1;
		if (!~used)
			return -1;
		d->value = (unsigned)__builtin_ctzll(~used);
		if (d->value > NOTIF_ASYNC_VALUE_MAX)
			return -1;
		t->values_alloc = used | (1ull << d->value);
	}
	snprintf(d->label_th, sizeof(d->label_th), "top half %s", c->name);
	snprintf(d->label_bh, sizeof(d->label_bh), "bottom half %s", c->name);
	return t->ndev++;
}

struct tee_dev *tee_dev_by_intid(struct tee *t, unsigned intid)
{
	for (int i = 0; i < t->ndev; i++)
		if (t->devs[i].c.intid == intid)
			return &t->devs[i];
	return NULL;
}

/* ---- the driver ------------------------------------------------------------------ */

static void top_half_done(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	d->th_done(d->th_ctx, pe);
}

static void top_half_sent(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	if (d->t->cfg.isa) { /* fidelity: isa: notif_send_async's cycles were the guest's */
		top_half_done(ctx, pe);
		return;
	}
	pe_exec_cost(pe, SIM_COST_TEE_NOTIF_SEND, "notif_send_async", top_half_done, ctx);
}

static void top_half_send(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	uint64_t ts = reg_read(d, pe, DEV_SRC_TS, 8);
	sim_time src = ts ? ts - 1 : d->th_time;
	/* the rest of this interrupt (up to FIQ_DONE) is on that notification's path */
	tee_notif_send(d->t, pe, NOTIF_VALUE_DO_BOTTOM_HALF, src, d->th_time, top_half_sent, d);
}

static void top_half_inline(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	/* not started: the data is handled in the interrupt (console_itr_cb's else branch) */
	reg_read(d, pe, DEV_SRC_TS, 8);
	reg_write(d, pe, DEV_SRC_ACK, reg_read(d, pe, DEV_SRC_COUNT, 4));
	top_half_done(d, pe);
}

/* stm32_rtc_it_handler: clear the event flags, then notif_send_async(value). */
static void top_half_value(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	uint64_t ts = reg_read(d, pe, DEV_SRC_TS, 8);
	sim_time src = ts ? ts - 1 : d->th_time;
	reg_write(d, pe, DEV_SRC_ACK, reg_read(d, pe, DEV_SRC_COUNT, 4));
	tee_notif_send(d->t, pe, d->value, src, d->th_time, top_half_sent, d);
}

void tee_dev_top_half(struct tee_dev *d, struct pe *pe, pe_fn done, void *ctx)
{
	struct tee *t = d->t;
	sim_time dur = pe_sample(pe, &d->c.top_half);
	d->th_done = done;
	d->th_ctx = ctx;
	d->th_time = sim_now(t->sim->k);
	if (d->value) {
		uint64_t items = reg_read(d, pe, DEV_SRC_COUNT, 4);
		for (uint64_t i = 0; i < items; i++)
			dur += pe_sample(pe, &d->c.per_item);
		pe_exec(pe, dur, d->label_th, top_half_value, d);
		return;
	}
	if (!t->started) {
		uint64_t items = reg_read(d, pe, DEV_SRC_COUNT, 4);
		for (uint64_t i = 0; i < items; i++)
			dur += pe_sample(pe, &d->c.per_item);
		if (!is_uart(d))
			dur += pe_sample(pe, &d->c.bottom_half);
		pe_exec(pe, dur, d->label_th, top_half_inline, d);
		return;
	}
	if (is_uart(d))
		reg_write(d, pe, DEV_SRC_CTRL, 0); /* rx_intr_disable(): mask the level source before sending */
	pe_exec(pe, dur, d->label_th, top_half_send, d);
}

bool tee_dev_has_bottom_half(struct tee_dev *d, struct pe *pe)
{
	if (d->value)
		return false; /* its top half did the work and sent its value */
	if (is_uart(d) && !(reg_read(d, pe, DEV_SRC_CTRL, 4) & DEV_SRC_CTRL_RXIE))
		return true; /* the top half masked RX: only the bottom half unmasks it */
	return reg_read(d, pe, DEV_SRC_COUNT, 4) > 0;
}

/* The items @n cost to handle (per_item each). */
static sim_time items_cost(struct tee_dev *d, struct pe *pe, unsigned n)
{
	sim_time dur = 0;
	for (unsigned i = 0; i < n; i++)
		dur += pe_sample(pe, &d->c.per_item);
	return dur;
}

static void bottom_half_done(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	reg_write(d, pe, DEV_SRC_ACK, d->bh_items);
	if (is_uart(d)) {
		/*
		 * read_console (plat-vexpress main.c): while (have_rx_data) getchar(): what
		 * arrived while it read is read by the same loop; RX is unmasked once the UART
		 * is empty (yielding_console_notif), so only a character that lands after the
		 * last check raises the line again.
		 */
		unsigned more = (unsigned)reg_read(d, pe, DEV_SRC_COUNT, 4);
		if (more) {
			d->bh_items = more;
			pe_exec(pe, items_cost(d, pe, more), d->label_bh, bottom_half_done, d);
			return;
		}
		reg_write(d, pe, DEV_SRC_CTRL, DEV_SRC_CTRL_RXIE); /* rx_intr_enable() */
	}
	d->bh_done(d->bh_ctx, pe);
}

void tee_dev_bottom_half(struct tee_dev *d, struct pe *pe, pe_fn done, void *ctx)
{
	sim_time dur = pe_sample(pe, &d->c.bottom_half);
	d->bh_items = (unsigned)reg_read(d, pe, DEV_SRC_COUNT, 4);
	dur += items_cost(d, pe, d->bh_items);
	d->bh_done = done;
	d->bh_ctx = ctx;
	pe_exec(pe, dur, d->label_bh, bottom_half_done, d);
}

void tee_dev_stopped(struct tee_dev *d, struct pe *pe)
{
	if (is_uart(d) && !(reg_read(d, pe, DEV_SRC_CTRL, 4) & DEV_SRC_CTRL_RXIE))
		reg_write(d, pe, DEV_SRC_CTRL, DEV_SRC_CTRL_RXIE);
}
