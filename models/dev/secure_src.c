// SPDX-License-Identifier: BSD-3-Clause
/* models/dev/secure_src.c: a secure interrupt source (see secure_src.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/dev/secure_src.h"
#include "sim/kernel/rng.h"

struct dev_src {
	struct sim *sim;
	int idx;
	struct dev_src_config c;
	struct sim_wire line;
	struct sim_rng rng;
	struct sim_event arr_ev, storm_ev;
	bool running;
	bool rx_enabled;         /* UART: CTRL.RXIE */
	unsigned fifo_n;         /* UART: items waiting */
	uint64_t seq;            /* UART: items received so far (DATA's value) */
	uint64_t events;         /* timer/TRNG: events not acknowledged */
	sim_time src_time;       /* when the line asserted for the pending episode */
	uint32_t ts_hi;          /* TS's upper half, latched by a 32-bit read of its lower half */
	bool src_valid;
	unsigned burst_left;
	unsigned replay_i;
	sim_time start_time;
	bool storm;
	uint64_t storm_rate;
};

static void arrival(void *ctx, uint64_t arg);
static void storm_end(void *ctx, uint64_t arg);

static void dev_event(struct dev_src *d, const char *label, uint64_t a)
{
	sim_trace_emit(d->sim->tr, &(struct sim_rec){ .t = sim_now(d->sim->k), .kind = TR_EVENT, .cpu = -1,
						     .world = SIM_WORLD_DEV, .a = a, .b = (uint64_t)d->idx,
						     .label = label });
}

/* The UART's level line follows its state; an episode starts when it rises. */
static void update_line(struct dev_src *d)
{
	int level = d->c.kind == DEV_SRC_UART && d->rx_enabled && d->fifo_n > 0;
	if (level && !d->line.level && !d->src_valid) {
		d->src_time = sim_now(d->sim->k);
		d->src_valid = true;
	}
	sim_wire_set(d->sim, &d->line, level);
}

struct dev_src *dev_src_new(struct sim *s, const struct dev_src_config *c, int idx)
{
	struct dev_src *d = calloc(1, sizeof(*d));
	char name[48];
	if (!d)
		return NULL;
	d->sim = s;
	d->idx = idx;
	d->c = *c;
	if (!d->c.fifo)
		d->c.fifo = 16;
	d->rx_enabled = true;
	snprintf(name, sizeof(name), "dev.%s", c->name);
	sim_rng_init(&d->rng, s->seed, name);
	sim_wire_init(s, &d->line, "devices", d->c.name, -1);
	sim_event_init(&d->arr_ev, arrival, d);
	sim_event_init(&d->storm_ev, storm_end, d);
	return d;
}

void dev_src_free(struct dev_src *d)
{
	if (!d)
		return;
	sim_cancel(d->sim->k, &d->arr_ev);
	sim_cancel(d->sim->k, &d->storm_ev);
	free(d);
}

struct sim_wire *dev_src_line(struct dev_src *d) { return &d->line; }

int dev_src_map(struct dev_src *d, struct sim_bus *bus, uint64_t base)
{
	struct sim_bus_region r = { base, DEV_SRC_FRAME_SIZE, d->c.name, d, dev_src_read, dev_src_write };
	return sim_bus_map(bus, &r);
}

/* ---- registers ------------------------------------------------------------------ */

static uint64_t waiting(const struct dev_src *d) { return d->c.kind == DEV_SRC_UART ? d->fifo_n : d->events; }

static void consume(struct dev_src *d, uint64_t n)
{
	if (d->c.kind == DEV_SRC_UART) {
		d->fifo_n -= (unsigned)(n < d->fifo_n ? n : d->fifo_n);
		update_line(d);
	} else {
		d->events -= n < d->events ? n : d->events;
	}
}

int dev_src_read(void *dev, uint64_t off, unsigned size, bool secure, uint64_t *val)
{
	struct dev_src *d = dev;
	if ((!secure && !d->c.normal_world) || (off == DEV_SRC_TS ? size != 8 && size != 4 : size != 4))
		return -1;
	switch (off) {
	case DEV_SRC_DATA:
		*val = 0;
		if (d->c.kind == DEV_SRC_UART && d->fifo_n) {
			*val = (d->seq - d->fifo_n) & 0xffffffff;
			consume(d, 1);
		}
		return 0;
	case DEV_SRC_COUNT:
		*val = waiting(d);
		return 0;
	case DEV_SRC_CTRL:
		*val = d->rx_enabled ? DEV_SRC_CTRL_RXIE : 0;
		return 0;
	case DEV_SRC_TS: {
		uint64_t ts = d->src_valid ? d->src_time + 1 : 0;
		d->src_valid = false;
		d->ts_hi = (uint32_t)(ts >> 32);
		*val = size == 8 ? ts : ts & 0xffffffff;
		return 0;
	}
	case DEV_SRC_TS + 4:
		*val = d->ts_hi;
		return 0;
	default:
		*val = 0; /* reserved: RAZ */
		return 0;
	}
}

int dev_src_write(void *dev, uint64_t off, unsigned size, bool secure, uint64_t val)
{
	struct dev_src *d = dev;
	if ((!secure && !d->c.normal_world) || size != 4)
		return -1;
	switch (off) {
	case DEV_SRC_CTRL:
		d->rx_enabled = (val & DEV_SRC_CTRL_RXIE) != 0;
		update_line(d);
		return 0;
	case DEV_SRC_ACK:
		consume(d, val);
		return 0;
	default:
		return 0; /* read-only or reserved: WI */
	}
}

/* ---- arrival processes ------------------------------------------------------------ */

static sim_time exp_gap(struct dev_src *d, uint64_t rate_hz)
{
	double u = sim_rng_unit(&d->rng);
	return (sim_time)sim_round_pos(-log(1.0 - u) * (double)SIM_S / (double)rate_hz);
}

/* Delay to the next arrival, or SIM_TIME_MAX when the process is exhausted. */
static sim_time next_gap(struct dev_src *d)
{
	if (d->storm)
		return exp_gap(d, d->storm_rate);
	switch (d->c.arrival) {
	case DEV_SRC_PERIODIC:
		return d->c.period;
	case DEV_SRC_POISSON:
		return exp_gap(d, d->c.rate_hz);
	case DEV_SRC_BURST:
		if (d->burst_left > 0)
			return d->c.burst_spacing;
		d->burst_left = d->c.burst_count;
		return d->c.period > (d->c.burst_count - 1) * d->c.burst_spacing
			       ? d->c.period - (d->c.burst_count - 1) * d->c.burst_spacing
			       : d->c.burst_spacing;
	case DEV_SRC_REPLAY: {
		sim_time now = sim_now(d->sim->k);
		if (d->replay_i >= d->c.n_replay)
			return SIM_TIME_MAX;
		sim_time at = d->start_time + d->c.replay[d->replay_i];
		return at > now ? at - now : 0;
	}
	}
	return SIM_TIME_MAX;
}

static void schedule_next(struct dev_src *d)
{
	sim_time gap;
	if (!d->running)
		return;
	gap = next_gap(d);
	if (gap != SIM_TIME_MAX)
		sim_schedule(d->sim->k, &d->arr_ev, gap, 0);
}

/* One item (UART) or event (timer, TRNG) arrives now. */
static void receive(struct dev_src *d)
{
	if (d->c.kind == DEV_SRC_UART) {
		if (d->fifo_n >= d->c.fifo) {
			dev_event(d, "fifo overrun", d->fifo_n);
		} else {
			d->fifo_n++;
			d->seq++;
		}
		update_line(d);
	} else {
		/* An edge event: one rising edge per expiry; the GIC latches it. */
		if (!d->src_valid) {
			d->src_time = sim_now(d->sim->k);
			d->src_valid = true;
		}
		d->events++;
		sim_wire_set(d->sim, &d->line, 1);
		sim_wire_set(d->sim, &d->line, 0);
	}
}

static void arrival(void *ctx, uint64_t arg)
{
	struct dev_src *d = ctx;
	(void)arg;
	if (d->c.arrival == DEV_SRC_BURST && d->burst_left > 0)
		d->burst_left--;
	if (d->c.arrival == DEV_SRC_REPLAY)
		d->replay_i++;
	receive(d);
	schedule_next(d);
}

void dev_src_arrive(struct dev_src *d) { receive(d); }

void dev_src_start(struct dev_src *d)
{
	d->running = true;
	d->start_time = sim_now(d->sim->k);
	d->burst_left = d->c.arrival == DEV_SRC_BURST ? d->c.burst_count : 0;
	if (d->c.arrival == DEV_SRC_BURST)
		sim_schedule(d->sim->k, &d->arr_ev, 0, 0);
	else
		schedule_next(d);
}

void dev_src_stop(struct dev_src *d)
{
	d->running = false;
	sim_cancel(d->sim->k, &d->arr_ev);
	sim_cancel(d->sim->k, &d->storm_ev);
}

static void storm_end(void *ctx, uint64_t arg)
{
	struct dev_src *d = ctx;
	(void)arg;
	d->storm = false;
	dev_event(d, "storm end", 0);
	sim_cancel(d->sim->k, &d->arr_ev);
	schedule_next(d);
}

void dev_src_storm(struct dev_src *d, uint64_t rate_hz, sim_time dur)
{
	if (!d->running || !rate_hz)
		return;
	d->storm = true;
	d->storm_rate = rate_hz;
	dev_event(d, "storm start", rate_hz);
	sim_cancel(d->sim->k, &d->arr_ev);
	schedule_next(d);
	sim_schedule(d->sim->k, &d->storm_ev, dur, 0);
}
