/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/platform.h: builds and wires the models a scenario describes.
 *
 * Data flows one way: the scenario and the device tree describe the
 * platform; platform_build makes the GIC, the PEs, the monitor, OP-TEE and
 * Linux, connects their wires (GIC IRQ/FIQ -> PE, WakeRequest -> power
 * controller, device lines and the doorbell -> GIC SPI inputs, the arch
 * timer -> GIC PPI inputs) and their ports (PE -> GIC CPU interface and
 * MMIO), and schedules the timeline. Models never see each other.
 */
#ifndef SIM_PLATFORM_H
#define SIM_PLATFORM_H

#include "sim/bus.h"
#include "sim/dt.h"
#include "sim/shm.h"
#include "sim/scenario/scenario.h"
#include "sim/kernel/sim.h"
#include "sim/stats/stats.h"
#include "sim/kernel/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PLATFORM_MAX_CPUS 64
#define PLATFORM_MAX_SOURCES 32

struct dev_src;
struct gic;
struct pe;
struct mon;
struct tee;
struct ree;
struct isa_rt;

struct platform {
	struct sim sim;
	const struct scenario *sc;
	struct dt_platform dt;
	void *dtb;
	size_t dtb_len;
	struct gic *gic;
	struct sim_bus *bus;
	struct sim_shm *shm;     /* the OP-TEE shared memory both worlds reach by cookie */
	struct pe *pe[PLATFORM_MAX_CPUS];
	unsigned ncpus;
	struct mon *mon;
	struct tee *tee;
	struct ree *ree;
	struct isa_rt *isa;      /* guest code (fidelity: isa), NULL when every world is abstract */
	struct sim_stats *stats;
	int notif_intid;
	/* the arch timer's NS PPI per CPU (suspend wake-ups) */
	struct sim_wire timer[PLATFORM_MAX_CPUS];
	struct sim_event timer_ev[PLATFORM_MAX_CPUS];
	/* run state */
	bool booted;
	sim_time boot_time;
	bool stopped;
	struct sim_event tl_ev;
	unsigned tl_next;
	/* the secure sources (scenario order) and their replayed times */
	struct dev_src *src[PLATFORM_MAX_SOURCES];
	sim_time *replay[PLATFORM_MAX_SOURCES];
	unsigned n_replay[PLATFORM_MAX_SOURCES];
};

/*
 * Build the platform for @sc on @backend. Returns 0, or -1 with a message
 * in @err ("file: what is wrong" for the DTS / replay files).
 */
int platform_build(struct platform *p, const struct scenario *sc, enum sim_backend backend, char *err,
		   size_t errlen);
void platform_free(struct platform *p);

/* Build only the device tree the scenario's platform would boot with. */
int platform_dtb(const struct scenario *sc, void **blob, size_t *len, char *err, size_t errlen);

/* Start the run: cold boot at t=0. The timeline starts when Linux has booted. */
void platform_start(struct platform *p);
/* Stop the sources and workloads (the end of the measured run; the drain follows). */
void platform_stop_sources(struct platform *p);
/* Account the last activity spans at the end of the run. */
void platform_finish(struct platform *p);

#ifdef __cplusplus
}
#endif
#endif
