/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/sim.h: one simulation. Everything mutable hangs off struct sim (no
 * global state), so a test can build many simulations in one process with
 * the native kernel.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include <stdint.h>

#include "sim/kernel/kernel.h"
#include "sim/kernel/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim {
	struct sim_kernel *k;
	struct sim_trace *tr;
	uint64_t seed;
};

/* Build a simulation; returns 0 or -1 (out of memory, or backend refused). */
int sim_init(struct sim *s, enum sim_backend backend, uint64_t seed);
void sim_fini(struct sim *s);

#ifdef __cplusplus
}
#endif
#endif
