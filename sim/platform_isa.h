/* SPDX-License-Identifier: BSD-3-Clause */
/* sim/platform_isa.h: the platform's guest code (fidelity: isa), for platform.c only. */
#ifndef SIM_PLATFORM_ISA_H
#define SIM_PLATFORM_ISA_H

#include <stddef.h>

#include "sim/platform.h"

/*
 * platform_isa - p->isa for @sc: guest RAM with the three images, the
 * engines' windows on the GIC's frames, and the images' configuration
 * blocks filled from the scenario as the models' configurations are.
 * Needs p->gic, p->pe[], p->dt. Returns 0, or -1 with @err.
 */
int platform_isa(struct platform *p, const struct scenario *sc, char *err, size_t errlen);

#endif
