// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/secure_dev.c: secure interrupt sources and their OP-TEE
 * drivers.
 *
 * Hardware: an arrival process (periodic, Poisson, bursts, replay) feeds a
 * FIFO; the device drives its GIC SPI line. A UART's RX line is level and
 * high while RX is enabled and the FIFO holds data; a timer or TRNG pulses
 * an edge line per event.
 *
 * Driver (OP-TEE plat-vexpress console example, protocol.md §3.6): once
 * notifications are STARTED, the top half masks RX (the line drops) and
 * sends DO_BOTTOM_HALF; the bottom half, in a yielding call, drains the
 * FIFO and unmasks RX (the line re-asserts at once if data arrived
 * meanwhile). Before STARTED, and after STOPPED, the top half handles the
 * data inline.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tee_internal.h"

static void arrival(void *ctx, uint64_t arg);
static void storm_end(void *ctx, uint64_t arg);

static void dev_event(struct tee_dev *d, const char *label, uint64_t a)
{
	sim_trace_emit(d->t->sim->tr, &(struct sim_rec){ .t = sim_now(d->t->sim->k), .kind = TR_EVENT,
							.cpu = -1, .world = SIM_WORLD_DEV, .a = a,
							.b = (uint64_t)d->idx, .label = label });
}

/* The line follows the device state; record when an episode starts. */
static void update_line(struct tee_dev *d)
{
	int level;
	if (d->c.kind == TEE_DEV_UART)
		level = d->rx_enabled && d->fifo_n > 0;
	else
		level = 0; /* edge devices pulse in arrival() */
	if (level && !d->line.level && !d->src_valid) {
		d->src_time = sim_now(d->t->sim->k);
		d->src_valid = true;
	}
	sim_wire_set(d->t->sim, &d->line, level);
}

int tee_add_device(struct tee *t, const struct tee_device_config *c)
{
	struct tee_dev *d;
	char name[48];
	if (t->ndev == TEE_MAX_DEVS)
		return -1;
	d = &t->devs[t->ndev];
	memset(d, 0, sizeof(*d));
	d->t = t;
	d->idx = t->ndev;
	d->c = *c;
	if (!d->c.fifo)
		d->c.fifo = 16;
	d->rx_enabled = true;
	snprintf(name, sizeof(name), "dev.%s", c->name);
	sim_rng_init(&d->rng, t->sim->seed, name);
	sim_wire_init(t->sim, &d->line, "devices", c->name, -1);
	sim_event_init(&d->arr_ev, arrival, d);
	sim_event_init(&d->storm_ev, storm_end, d);
	snprintf(d->label_th, sizeof(d->label_th), "top half %s", c->name);
	snprintf(d->label_bh, sizeof(d->label_bh), "bottom half %s", c->name);
	return t->ndev++;
}

struct sim_wire *tee_device_wire(struct tee *t, int dev) { return &t->devs[dev].line; }


struct tee_dev *tee_dev_by_intid(struct tee *t, unsigned intid)
{
	for (int i = 0; i < t->ndev; i++)
		if (t->devs[i].c.intid == intid)
			return &t->devs[i];
	return NULL;
}


/* ---- arrival processes ------------------------------------------------------- */

static sim_time exp_gap(struct tee_dev *d, uint64_t rate_hz)
{
	double u = sim_rng_unit(&d->rng);
	return (sim_time)llround(-log(1.0 - u) * (double)SIM_S / (double)rate_hz);
}

/* Delay to the next arrival, or SIM_TIME_MAX when the process is exhausted. */
static sim_time next_gap(struct tee_dev *d)
{
	if (d->storm)
		return exp_gap(d, d->storm_rate);
	switch (d->c.arrival) {
	case TEE_ARRIVAL_PERIODIC:
		return d->c.period;
	case TEE_ARRIVAL_POISSON:
		return exp_gap(d, d->c.rate_hz);
	case TEE_ARRIVAL_BURST:
		if (d->burst_left > 0)
			return d->c.burst_spacing;
		d->burst_left = d->c.burst_count;
		return d->c.period > (d->c.burst_count - 1) * d->c.burst_spacing
			       ? d->c.period - (d->c.burst_count - 1) * d->c.burst_spacing
			       : d->c.burst_spacing;
	case TEE_ARRIVAL_REPLAY: {
		sim_time now = sim_now(d->t->sim->k);
		if (d->replay_i >= d->c.n_replay)
			return SIM_TIME_MAX;
		sim_time at = d->start_time + d->c.replay[d->replay_i];
		return at > now ? at - now : 0;
	}
	}
	return SIM_TIME_MAX;
}

static void schedule_next(struct tee_dev *d)
{
	sim_time gap;
	if (!d->running)
		return;
	gap = next_gap(d);
	if (gap != SIM_TIME_MAX)
		sim_schedule(d->t->sim->k, &d->arr_ev, gap, 0);
}

static void arrival(void *ctx, uint64_t arg)
{
	struct tee_dev *d = ctx;
	(void)arg;
	if (d->c.arrival == TEE_ARRIVAL_BURST && d->burst_left > 0)
		d->burst_left--;
	if (d->c.arrival == TEE_ARRIVAL_REPLAY)
		d->replay_i++;
	if (d->c.kind == TEE_DEV_UART) {
		if (d->fifo_n >= d->c.fifo) {
			dev_event(d, "fifo overrun", d->fifo_n);
		} else {
			d->fifo_n++;
		}
		update_line(d);
	} else {
		/* An edge event: one rising edge per expiry; the GIC latches it. */
		if (!d->src_valid) {
			d->src_time = sim_now(d->t->sim->k);
			d->src_valid = true;
		}
		d->events++;
		sim_wire_set(d->t->sim, &d->line, 1);
		sim_wire_set(d->t->sim, &d->line, 0);
	}
	schedule_next(d);
}

void tee_devices_start(struct tee *t)
{
	for (int i = 0; i < t->ndev; i++) {
		struct tee_dev *d = &t->devs[i];
		d->running = true;
		d->start_time = sim_now(t->sim->k);
		d->burst_left = d->c.arrival == TEE_ARRIVAL_BURST ? d->c.burst_count : 0;
		if (d->c.arrival == TEE_ARRIVAL_BURST)
			sim_schedule(t->sim->k, &d->arr_ev, 0, 0);
		else
			schedule_next(d);
	}
}

void tee_devices_stop(struct tee *t)
{
	for (int i = 0; i < t->ndev; i++) {
		t->devs[i].running = false;
		sim_cancel(t->sim->k, &t->devs[i].arr_ev);
		sim_cancel(t->sim->k, &t->devs[i].storm_ev);
	}
}

static void storm_end(void *ctx, uint64_t arg)
{
	struct tee_dev *d = ctx;
	(void)arg;
	d->storm = false;
	dev_event(d, "storm end", 0);
	sim_cancel(d->t->sim->k, &d->arr_ev);
	schedule_next(d);
}

void tee_device_storm(struct tee *t, int dev, uint64_t rate_hz, sim_time dur)
{
	struct tee_dev *d = &t->devs[dev];
	if (!d->running || !rate_hz)
		return;
	d->storm = true;
	d->storm_rate = rate_hz;
	dev_event(d, "storm start", rate_hz);
	sim_cancel(t->sim->k, &d->arr_ev);
	schedule_next(d);
	sim_schedule(t->sim->k, &d->storm_ev, dur, 0);
}

/* ---- the OP-TEE driver --------------------------------------------------------- */

struct th_ctx {
	pe_fn done;
	void *ctx;
};

static void top_half_done(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	d->th_done(d->th_ctx, pe);
}

static void top_half_sent(void *ctx, struct pe *pe)
{
	pe_exec_cost(pe, SIM_COST_TEE_NOTIF_SEND, "notif_send_async", top_half_done, ctx);
}

static void top_half_send(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	struct tee *t = d->t;
	sim_time src = d->src_valid ? d->src_time : d->th_time;
	d->src_valid = false;
	/* the rest of this interrupt (up to FIQ_DONE) is on that notification's path */
	tee_notif_send(t, pe, NOTIF_VALUE_DO_BOTTOM_HALF, src, d->th_time, top_half_sent, d);
}

static void top_half_inline(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	/* not started: the data is handled in the interrupt (console_itr_cb's else branch) */
	d->src_valid = false;
	d->fifo_n = 0;
	d->events = 0;
	update_line(d);
	top_half_done(d, pe);
}

void tee_dev_top_half(struct tee_dev *d, struct pe *pe, pe_fn done, void *ctx)
{
	struct tee *t = d->t;
	sim_time dur = pe_sample(pe, &d->c.top_half);
	d->th_done = done;
	d->th_ctx = ctx;
	d->th_time = sim_now(t->sim->k);
	if (!t->started) {
		unsigned items = d->c.kind == TEE_DEV_UART ? d->fifo_n : (unsigned)d->events;
		for (unsigned i = 0; i < items; i++)
			dur += pe_sample(pe, &d->c.per_item);
		if (d->c.kind != TEE_DEV_UART)
			dur += pe_sample(pe, &d->c.bottom_half);
		pe_exec(pe, dur, d->label_th, top_half_inline, d);
		return;
	}
	if (d->c.kind == TEE_DEV_UART) {
		/* rx_intr_disable(): mask the level source before sending */
		d->rx_enabled = false;
		update_line(d);
	}
	pe_exec(pe, dur, d->label_th, top_half_send, d);
}

bool tee_dev_has_bottom_half(const struct tee_dev *d)
{
	if (d->c.kind == TEE_DEV_UART)
		return !d->rx_enabled || d->fifo_n > 0;
	return d->events > 0;
}

static void bottom_half_done(void *ctx, struct pe *pe)
{
	struct tee_dev *d = ctx;
	if (d->c.kind == TEE_DEV_UART) {
		d->fifo_n -= d->bh_items;
		/* rx_intr_enable(): the line comes back if more data waits */
		d->rx_enabled = true;
		update_line(d);
	} else {
		d->events -= d->bh_items;
	}
	d->bh_done(d->bh_ctx, pe);
}

void tee_dev_bottom_half(struct tee_dev *d, struct pe *pe, pe_fn done, void *ctx)
{
	sim_time dur = pe_sample(pe, &d->c.bottom_half);
	d->bh_items = d->c.kind == TEE_DEV_UART ? d->fifo_n : (unsigned)d->events;
	for (unsigned i = 0; i < d->bh_items; i++)
		dur += pe_sample(pe, &d->c.per_item);
	d->bh_done = done;
	d->bh_ctx = ctx;
	pe_exec(pe, dur, d->label_bh, bottom_half_done, d);
}

void tee_dev_stopped(struct tee_dev *d)
{
	if (d->c.kind == TEE_DEV_UART && !d->rx_enabled) {
		d->rx_enabled = true;
		update_line(d);
	}
}
