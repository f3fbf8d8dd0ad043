// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_dev.c: Linux drivers for the normal-world interrupt
 * sources (sources[].world: normal). Each is a platform device from the
 * device tree whose probe calls request_threaded_irq() on its SPI (the GIC
 * driver makes it Non-secure Group 1, sets its trigger and affinity and
 * enables it; kernel/irq/manage.c, drivers/irqchip/irq-gic-v3.c), with a
 * hard handler that masks the device's interrupt and wakes the thread, and
 * a threaded handler that drains what the device holds, acknowledges it
 * and unmasks: the split most drivers use. These interrupts compete with
 * the notification for the CPUs and preempt OP-TEE as foreign interrupts
 * (RPC_FOREIGN_INTR) while it runs.
 *
 * The hardware is models/dev/secure_src.h placed in the normal world (its
 * frame takes Non-secure accesses), reached through the bus.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ree_internal.h"
#include "models/dev/secure_src.h"

struct ree_dev {
	struct ree *r;
	struct ree_device_config c;
	struct ree_irq *irq;
	unsigned items;          /* what the running thread drains */
	char label_hard[48];
};

struct ree_devs {
	struct ree_dev d[REE_MAX_DEVICES];
	unsigned n;
};

int ree_devs_init(struct ree *r)
{
	r->devs = calloc(1, sizeof(*r->devs));
	return r->devs ? 0 : -1;
}

void ree_devs_free(struct ree *r) { free(r->devs); }

int ree_add_device(struct ree *r, const struct ree_device_config *c)
{
	struct ree_dev *d;
	if (r->devs->n == REE_MAX_DEVICES)
		return -1;
	d = &r->devs->d[r->devs->n];
	d->r = r;
	d->c = *c;
	snprintf(d->label_hard, sizeof(d->label_hard), "irq %s", c->name);
	return (int)r->devs->n++;
}

static struct ree_dev *dev_of(struct ree *r, const struct ree_irq *irq)
{
	for (unsigned i = 0; i < r->devs->n; i++)
		if (r->devs->d[i].irq == irq)
			return &r->devs->d[i];
	return NULL;
}

static uint64_t reg_read(const struct ree_dev *d, struct pe *pe, unsigned off)
{
	uint64_t v = 0;
	pe_mmio_read(pe, d->c.base + off, 4, &v);
	return v;
}

static void reg_write(const struct ree_dev *d, struct pe *pe, unsigned off, uint64_t v)
{
	pe_mmio_write(pe, d->c.base + off, 4, v);
}

static bool is_uart(const struct ree_dev *d) { return d->c.kind == REE_DEV_UART; }

/* The hard handler's work done: a UART masks RX (the level line drops) until its thread has drained it. */
static void hard_done(void *ctx, struct pe *pe)
{
	struct ree_dev *d = ctx;
	if (is_uart(d))
		reg_write(d, pe, DEV_SRC_CTRL, 0);
	ree_irq_handled(d->r, pe, IRQ_WAKE_THREAD);
}

static void hard_handler(struct ree *r, struct ree_irq *irq, struct pe *pe)
{
	struct ree_dev *d = dev_of(r, irq);
	pe_exec(pe, pe_sample(pe, &d->c.top_half), d->label_hard, hard_done, d);
}

static void thread_done(void *ctx, struct pe *pe)
{
	struct ree_dev *d = ctx;
	reg_write(d, pe, DEV_SRC_ACK, d->items);
	if (is_uart(d))
		reg_write(d, pe, DEV_SRC_CTRL, DEV_SRC_CTRL_RXIE);
	ree_irq_thread_done(d->irq->thread, pe);
}

static void thread_fn(struct ree_task *t, struct pe *pe)
{
	struct ree_dev *d = NULL;
	sim_time dur;
	for (unsigned i = 0; i < t->r->devs->n && !d; i++)
		if (t->r->devs->d[i].irq && t->r->devs->d[i].irq->thread == t)
			d = &t->r->devs->d[i];
	d->items = (unsigned)reg_read(d, pe, DEV_SRC_COUNT);
	dur = pe_sample(pe, &d->c.bottom_half);
	for (unsigned i = 0; i < d->items; i++)
		dur += pe_sample(pe, &d->c.per_item);
	pe_exec(pe, dur, t->name, thread_done, d);
}

/* The drivers' probes (at boot, after the OP-TEE driver): request_threaded_irq on each device's SPI. */
void ree_devs_probe(struct ree *r, struct pe *pe)
{
	for (unsigned i = 0; i < r->devs->n; i++) {
		struct ree_dev *d = &r->devs->d[i];
		d->irq = ree_request_irq(r, d->c.intid, false, d->c.level, hard_handler, thread_fn, d->c.name);
		if (!d->irq) {
			ree_trace(r, pe, "request_threaded_irq failed (no free descriptor)", d->c.intid, 0);
			continue;
		}
		d->irq->affinity = (int)d->c.cpu;
		d->irq->effective = r->cpu[d->c.cpu].online ? (int)d->c.cpu : 0;
		ree_irq_enable(r, pe, d->irq);
	}
}
