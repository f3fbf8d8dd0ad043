/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/wire.h: level signals between models (simavr's avr_irq_t, filtered).
 *
 * A wire has one level and at most one sink. Setting the level it already
 * has notifies nothing; a change notifies the sink at once (the same
 * simulated instant) and lands in the trace as a TR_WIRE record when the
 * wire has a trace signal. Delays belong to the model that drives the wire:
 * it schedules a kernel event and sets the level from there.
 */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H

#include <stdint.h>

#include "sim/kernel/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*sim_wire_fn)(void *ctx, unsigned idx, int level);

struct sim_wire {
	int level;
	int sig;          /* trace signal id, or -1 */
	sim_wire_fn fn;   /* sink, or NULL */
	void *ctx;
	unsigned idx;     /* passed to the sink: which input this wire feeds */
	int16_t cpu;      /* for the trace record */
};

/* A wire at level 0 with no sink. @name registers a trace signal when not NULL. */
void sim_wire_init(struct sim *s, struct sim_wire *w, const char *scope, const char *name, int cpu);
void sim_wire_connect(struct sim_wire *w, sim_wire_fn fn, void *ctx, unsigned idx);
/* Set the level; notify the sink and trace only on a change. */
void sim_wire_set(struct sim *s, struct sim_wire *w, int level);

#ifdef __cplusplus
}
#endif
#endif
