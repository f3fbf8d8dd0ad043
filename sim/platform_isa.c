// SPDX-License-Identifier: BSD-3-Clause
/* sim/platform_isa.c: see platform_isa.h. Apart from platform.c: the guest images' headers
 * define OP-TEE's SMC numbers their own way. */
#include <stdio.h>
#include <string.h>

#include "sim/platform_isa.h"
#include "models/cpu/isa_rt.h"
#include "models/gic/gic.h"
#include "sim/platform_limits.h"
#include "models/ree/guest/linux.h"
#include "models/tee/guest/optee.h"

/*
 * fidelity: isa: guest RAM with the three images, the engines' windows on
 * the GIC's frames, and the images' configuration blocks filled from the
 * scenario as the models' configurations are (the guest's answers are
 * checked against the models').
 */
int platform_isa(struct platform *p, const struct scenario *sc, char *err, size_t errlen)
{
	const struct scenario_transport_cfg *tr = &sc->transport;
	struct isa_rt_config ic;
	memset(&ic, 0, sizeof(ic));
	ic.npes = p->ncpus;
	ic.preset = sc->platform.costs.preset;
	ic.clock = sc->platform.costs.clock;
	ic.sim = &p->sim;
	ic.pes = p->pe;
	ic.mmio[0] = (struct isa_window){ p->dt.gicd_base, GICD_FRAME_SIZE };
	ic.mmio[1] = (struct isa_window){ p->dt.gicr_base, gic_redist_region_size(p->gic) };
	ic.n_mmio = 2;
	if (isa_rt_new(&p->isa, &ic, err, errlen))
		return -1;
	struct optee_cfg *oc = isa_rt_ptr(p->isa, isa_rt_sym(p->isa, ISA_IMG_TEE, "optee_cfg"), sizeof(*oc));
	struct linux_cfg *lc = isa_rt_ptr(p->isa, isa_rt_sym(p->isa, ISA_IMG_REE, "linux_cfg"), sizeof(*lc));
	if (!oc || !lc) {
		snprintf(err, errlen, "ISA: the guest images have no configuration blocks");
		return -1;
	}
	oc->gicd_base = p->dt.gicd_base;
	oc->gicr_base = p->dt.gicr_base;
	oc->ncpus = p->ncpus;
	oc->nthreads = sc->tee_threads;
	oc->transport = (uint32_t)tr->kind; /* OPTEE_TRANSPORT_* are in scenario_transport's order */
	oc->notif_intid = tr->intid;
	oc->ppi_fixed = tr->kind == SCENARIO_PPI && tr->raise != SCENARIO_RAISE_UPSTREAM;
	oc->sgi_target = (uint32_t)tr->target;
	oc->sgi_cpus = tr->target_cpus;
	oc->flags = sc->tee_async_notif ? OPTEE_CFG_ASYNC_NOTIF : 0;
	lc->gicd_base = p->dt.gicd_base;
	lc->gicr_base = p->dt.gicr_base;
	lc->ncpus = p->ncpus;
	lc->eoimode = sc->ree_eoimode;
	lc->notif_intid = p->notif_intid >= 0 ? (uint32_t)p->notif_intid : 0;
	lc->notif_percpu = p->dt.notif_percpu;
	lc->notif_level = p->dt.notif_level;
	lc->num_spis = PLATFORM_GIC_SPIS;
	return 0;
}

