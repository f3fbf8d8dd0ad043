// SPDX-License-Identifier: BSD-3-Clause
/* sim/platform_limits.c: does a scenario fit its platform (see platform_limits.h)? */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim/platform_limits.h"
#include "models/monitor/monitor.h"
#include "models/ree/ree.h"
#include "models/tee/tee.h"

/* Every secure source is a TEE device, a TF-A secure interrupt and a DT frame: the tables hold them all. */
_Static_assert(SCENARIO_MAX_SOURCES <= TEE_MAX_DEVICES, "OP-TEE's device table holds every source");
_Static_assert(SCENARIO_MAX_SOURCES <= MON_MAX_SECURE_IRQS, "TF-A's secure interrupt table holds every source");
_Static_assert(SCENARIO_MAX_SOURCES <= DT_MAX_SECURE_SRC, "the device tree describes every source");
_Static_assert(SCENARIO_MAX_WORKLOADS <= REE_MAX_WORKLOADS, "Linux's workload table holds every workload");

/* "file:line:col: key: " then @fmt; "file: key (--vary or default): " without a position. */
__attribute__((format(printf, 4, 5))) static int fail(struct sim_diag *d, const struct scenario *sc,
						      struct scenario_pos at, const char *fmt, ...)
{
	va_list ap;
	int u;
	if (at.line)
		u = snprintf(d->msg, sizeof(d->msg), "%s:%u:%u: ", sc->path, at.line, at.col);
	else
		u = snprintf(d->msg, sizeof(d->msg), "%s: ", sc->path);
	if (u < 0 || (size_t)u >= sizeof(d->msg))
		return -1;
	va_start(ap, fmt);
	vsnprintf(d->msg + u, sizeof(d->msg) - (size_t)u, fmt, ap);
	va_end(ap);
	return -1;
}

static unsigned popcount64(uint64_t v) { return (unsigned)__builtin_popcountll(v); }

/* The device tree describes the platform the scenario asks for. */
static int check_dt(const struct scenario *sc, const struct dt_platform *dt, struct sim_diag *d)
{
	const struct scenario_transport_cfg *t = &sc->transport;
	struct scenario_pos at = sc->at.platform_dts;
	const char *dts = sc->platform.dts;
	if (!dts[0])
		return 0; /* the built-in tree is built from the scenario */
	if (dt->cpus != sc->platform.cpus)
		return fail(d, sc, sc->at.platform_cpus.line ? sc->at.platform_cpus : at,
			    "platform.cpus: %u, but %s describes %u CPUs; set platform.cpus: %u", sc->platform.cpus, dts,
			    dt->cpus, dt->cpus);
	if (!dt->optee || !dt->optee_method_smc)
		return fail(d, sc, at,
			    "platform.dts: %s has no linaro,optee-tz node with method \"smc\": Linux would not probe "
			    "OP-TEE and nothing would be measured",
			    dts);
	/*
	 * No interrupts at all is a configuration Linux meets on real boards: its
	 * probe fails (-ENXIO) and the run says so (docs/protocol.md §9.4).
	 * Another interrupt than OP-TEE raises loses every notification silently.
	 */
	if ((t->kind == SCENARIO_SPI || t->kind == SCENARIO_PPI) && dt->notif_intid >= 0) {
		bool ppi = t->kind == SCENARIO_PPI;
		if (dt->notif_intid != (int)t->intid || dt->notif_percpu != ppi ||
		    dt->notif_level != (t->trigger == SCENARIO_LEVEL))
			return fail(d, sc, at,
				    "platform.dts: the optee node's interrupts in %s (%s INTID %d%s) are not the "
				    "transport's (%s INTID %u, %s): Linux would wait on another interrupt than OP-TEE "
				    "raises",
				    dts, dt->notif_percpu ? "PPI" : "SPI", dt->notif_intid, dt->notif_level ? ", level" : ", edge",
				    ppi ? "PPI" : "SPI", t->intid, t->trigger == SCENARIO_LEVEL ? "level" : "edge");
	} else if (dt->notif_intid >= 0) {
		return fail(d, sc, at,
			    "platform.dts: the optee node in %s has interrupts (INTID %d), but transport.kind %s is "
			    "discovered without one; remove the property",
			    dts, dt->notif_intid, scenario_transport_name(t->kind));
	}
	for (unsigned i = 0; i < sc->n_sources; i++) {
		const struct dt_secure_src *ds = dt_secure_src_find(dt, sc->sources[i].name);
		if (ds && ds->intid >= 0 && ds->intid != (int)sc->sources[i].intid)
			return fail(d, sc, sc->sources[i].intid_pos.line ? sc->sources[i].intid_pos : sc->sources[i].pos,
				    "sources[%u].intid: %u, but %s gives source '%s' INTID %d; they must agree", i,
				    sc->sources[i].intid, dts, sc->sources[i].name, ds->intid);
	}
	return 0;
}

/* Interrupt numbers the GIC implements and nothing else uses. */
static int check_intids(const struct scenario *sc, struct sim_diag *d)
{
	const struct scenario_transport_cfg *t = &sc->transport;
	if (t->kind == SCENARIO_SPI && t->intid > PLATFORM_MAX_SPI)
		return fail(d, sc, sc->at.transport_intid,
			    "transport.intid: %u is out of range 32..%u: the platform's GIC implements %u SPIs", t->intid,
			    PLATFORM_MAX_SPI, PLATFORM_GIC_SPIS);
	if (t->kind == SCENARIO_PPI && t->intid == PLATFORM_TIMER_PPI)
		return fail(d, sc, sc->at.transport_intid,
			    "transport.intid: %u is the arch timer's PPI on this platform; use 16..29 or 31", t->intid);
	for (unsigned i = 0; i < sc->n_sources; i++) {
		const struct scenario_source *s = &sc->sources[i];
		if (s->intid > PLATFORM_MAX_SPI)
			return fail(d, sc, s->intid_pos.line ? s->intid_pos : s->pos,
				    "sources[%u].intid: %u is out of range 32..%u: the platform's GIC implements %u SPIs",
				    i, s->intid, PLATFORM_MAX_SPI, PLATFORM_GIC_SPIS);
	}
	return 0;
}

/* Targets that exist on this many CPUs. */
static int check_targets(const struct scenario *sc, struct sim_diag *d)
{
	const struct scenario_transport_cfg *t = &sc->transport;
	if (t->kind == SCENARIO_SGI && t->target == SCENARIO_TARGET_ALL_BUT_SELF && sc->platform.cpus < 2)
		return fail(d, sc, sc->at.transport_target,
			    "transport.target: all-but-self is an empty set of CPUs on a 1-CPU platform; use self, "
			    "or platform.cpus >= 2");
	return 0;
}

/* Linux's task table (models/ree/ree.h): fixed tasks, per-CPU tasks and one per workload CPU. */
static int check_tasks(const struct scenario *sc, struct sim_diag *d)
{
	uint64_t all = sc->platform.cpus >= 64 ? ~0ull : (1ull << sc->platform.cpus) - 1;
	unsigned need = REE_TASKS_FIXED + REE_TASKS_PER_CPU * sc->platform.cpus;
	for (unsigned i = 0; i < sc->n_workloads; i++) {
		const struct scenario_workload *w = &sc->workloads[i];
		unsigned n = popcount64(w->cpus & all);
		if (need + n > REE_MAX_TASKS)
			return fail(d, sc, w->cpus_pos.line ? w->cpus_pos : w->pos,
				    "workloads[%u].cpus: %u more Linux tasks, %u in all: the model's task table holds %u "
				    "(%u fixed, %u per CPU for %u CPUs, one per CPU of each workload); run fewer "
				    "workloads or on fewer CPUs",
				    i, n, need + n, REE_MAX_TASKS, REE_TASKS_FIXED, REE_TASKS_PER_CPU, sc->platform.cpus);
		need += n;
	}
	return 0;
}

int platform_check(const struct scenario *sc, const struct dt_platform *dt, struct sim_diag *d)
{
	d->msg[0] = 0;
	if (check_dt(sc, dt, d) || check_intids(sc, d) || check_targets(sc, d) || check_tasks(sc, d))
		return -1;
	return 0;
}
