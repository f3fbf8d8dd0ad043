/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/platform_limits.h: what the platform that runs a scenario can hold,
 * and the check that a scenario fits it.
 *
 * The scenario loader checks a scenario against its schema; some values
 * inside the schema's ranges are still more than the platform built for
 * them holds: an SPI beyond the GIC's implemented SPIs, a per-CPU
 * interrupt the platform already uses, an SGI target set that is empty on
 * this many CPUs, more Linux tasks than the scheduler's table, a device
 * tree that disagrees with the scenario. platform_check() derives each
 * limit from the platform (its GIC, its device tree, the models' tables)
 * and is called by platform_build(), so `tzsim validate` (which builds
 * the platform without running it) and `tzsim run` refuse the same
 * scenarios with the same message:
 *
 *     file:line:col: key: value ...; the allowed range and why
 */
#ifndef SIM_PLATFORM_LIMITS_H
#define SIM_PLATFORM_LIMITS_H

#include "sim/dt.h"
#include "sim/scenario/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The GIC the platform builds: 256 SPIs (INTIDs 32..287), as QEMU virt's GICv3 (ITLinesNumber 8). */
#define PLATFORM_GIC_SPIS 256
#define PLATFORM_MAX_SPI (32 + PLATFORM_GIC_SPIS - 1)
/* The arch timer's EL1 physical timer, a Non-secure PPI on every CPU (the DT's timer node: PPI 14). */
#define PLATFORM_TIMER_PPI 30

/*
 * platform_check - does @sc fit the platform described by @dt (the device
 * tree it boots with)? Returns 0, or -1 with one message in @d naming the
 * scenario's file, line and column (or the --vary that set the key), the
 * key, the value and what is allowed.
 */
int platform_check(const struct scenario *sc, const struct dt_platform *dt, struct sim_diag *d);

#ifdef __cplusplus
}
#endif
#endif
