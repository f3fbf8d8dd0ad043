/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/kernel_internal.h: what a kernel backend sees of the kernel.
 * Only sim/kernel/kernel.c and sim/systemc/ include this.
 */
#ifndef SIM_KERNEL_INTERNAL_H
#define SIM_KERNEL_INTERNAL_H

#include "sim/kernel/kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_kernel;

/*
 * A backend advances time. The native backend has no ops (NULL): kernel.c
 * pops events itself. A non-native backend implements:
 *  run:          fire events until the queue is empty, or the next event is
 *                after @limit, or @cond (may be NULL) is false, or
 *                sim_stop() was called; it fires each event with
 *                sim_kernel_fire_next(). Returns events fired.
 *  head_changed: the earliest queued time changed (an earlier event was
 *                scheduled, or the head was cancelled).
 *  stop:         sim_stop() was called from inside an event.
 *  destroy:      release the backend.
 */
struct sim_backend_ops {
	uint64_t (*run)(struct sim_kernel *k, sim_time limit, bool (*cond)(void *), void *cctx);
	void (*head_changed)(struct sim_kernel *k);
	void (*stop)(struct sim_kernel *k);
	void (*destroy)(struct sim_kernel *k);
};

/* Backend context pointer, set by the backend's constructor. */
void *sim_kernel_backend_ctx(struct sim_kernel *k);
void sim_kernel_set_backend(struct sim_kernel *k, const struct sim_backend_ops *ops, void *bctx);

/* Pop the earliest event, set now to its time, and fire it. */
void sim_kernel_fire_next(struct sim_kernel *k);
/* Set the current time (a backend that advanced time without an event). */
void sim_kernel_set_now(struct sim_kernel *k, sim_time t);
bool sim_kernel_stop_requested(struct sim_kernel *k);
void sim_kernel_clear_stop(struct sim_kernel *k);

/* Provided by sim/systemc/ when built with SystemC, else a stub returning -1. */
int sim_systemc_attach(struct sim_kernel *k);

#ifdef __cplusplus
}
#endif
#endif
