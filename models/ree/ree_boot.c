// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_boot.c: the Linux model's construction and boot (primary,
 * SMP bring-up with PSCI CPU_ON, driver probe).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ree_internal.h"
#include "models/monitor/smccc.h"

static struct ree_task *init_task(struct ree *r);

/* ---- construction ------------------------------------------------------------------ */

struct ree *ree_new(struct sim *s, const struct ree_config *cfg, struct pe **pes,
		    const struct ree_ports *ports)
{
	struct ree *r;
	if (cfg->num_pes == 0 || cfg->num_pes > REE_MAX_CPUS)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->sim = s;
	r->cfg = *cfg;
	if (ports)
		r->ports = *ports;
	r->pes = pes;
	if (ree_irq_init(r) || ree_optee_init(r) || ree_ffa_init(r) || ree_hotplug_init(r) ||
	    ree_workloads_init(r) || ree_devs_init(r)) {
		ree_free(r);
		return NULL;
	}
	for (unsigned i = 0; i < cfg->num_pes; i++)
		ree_sched_init_cpu(r, i);
	if (ree_wq_init(r)) {
		ree_free(r);
		return NULL;
	}
	return r;
}

void ree_free(struct ree *r)
{
	if (!r)
		return;
	ree_devs_free(r);
	ree_workloads_free(r);
	ree_wq_free(r);
	ree_hotplug_free(r);
	ree_ffa_free(r);
	ree_optee_free(r);
	ree_irq_free(r);
	ree_sched_free(r);
	free(r);
}

void ree_attach(struct ree *r, struct mon *m)
{
	r->mon = m;
	mon_set_ns_entry(m, ree_ns_entry, r);
	for (unsigned i = 0; i < r->cfg.num_pes; i++)
		pe_set_vector(r->pes[i], PE_VEC_NS_IRQ, ree_irq_vector, r);
}


/* ---- bring-up ---------------------------------------------------------------------- */

/* The CPU is up: cpuhp startup callbacks, then the scheduler takes over. */
static void cpu_online_done(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	c->online = true;
	/* cpuhp_set_state(bringup) and CPUHP_AP_ACTIVE's sched_cpu_activate (the last step, kept in this one) */
	c->dying = false;
	c->inactive = false;
	/* CPUHP_AP_WORKQUEUE_ONLINE (rebind_workers) comes before CPUHP_AP_ONLINE_DYN */
	ree_wq_rebind(r, pe_id(pe));
	ree_optee_cpuhp(r, pe, pe_id(pe), true);
	ree_ffa_cpuhp(r, pe, pe_id(pe), true);
	ree_trace(r, pe, "CPU online", pe_id(pe), 0);
	if (r->hp_waiter) {
		struct ree_task *w = r->hp_waiter;
		r->hp_waiter = NULL;
		ree_wake(r, w, pe);
	}
	ree_hotplug_up_done(r, pe, pe_id(pe));
	ree_schedule(r, pe);
}

static void primary_gic_done(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	struct ree_cpu *c = &r->cpu[pe_id(pe)];
	c->online = true;
	ree_wake(r, init_task(r), pe);
	ree_schedule(r, pe);
}

/* The monitor ERETs here: the primary's kernel entry, or secondary_entry after CPU_ON. */
void ree_ns_entry(void *ctx, struct pe *pe)
{
	struct ree *r = ctx;
	if (!r->started) {
		unsigned n;
		r->started = true;
		n = ree_gic_dist_init(r, pe) + ree_gic_cpu_init(r, pe);
		pe_exec(pe, n * pe_cost(pe, SIM_COST_GIC_MMIO) + 100 * SIM_US, "Linux boot", primary_gic_done, r);
		return;
	}
	/* secondary_start_kernel: GIC CPU init, then the cpuhp online sequence */
	pe_exec(pe, ree_gic_cpu_init(r, pe) * pe_cost(pe, SIM_COST_GIC_MMIO) + pe_cost(pe, SIM_COST_REE_HOTPLUG),
		"secondary_start_kernel", cpu_online_done, r);
}

static void init_step(struct ree_task *t, struct pe *pe);

static void init_cpu_on_ret(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	struct ree *r = t->r;
	int64_t rc = (int64_t)pe_regs(pe)[0];
	if (rc != PSCI_E_SUCCESS) {
		ree_trace(r, pe, "psci: CPU_ON failed", r->boot_next, (uint64_t)rc);
		r->boot_next++;
		init_step(t, pe);
		return;
	}
	r->boot_next++;
	r->hp_waiter = t;
	ree_block(r, pe, init_step);
}

static void probe_finished(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	ree_devs_probe(r, pe);
	r->booted = true;
	ree_trace(r, pe, "boot complete", ree_online_count(r), ree_optee_ok(r));
	if (r->ports.booted)
		r->ports.booted(r->ports.ctx);
	ree_block(r, pe, init_step);
}

/* kernel_init: smp_init brings every secondary up, then the drivers probe. */
static void init_step(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	if (r->booted) {
		ree_block(r, pe, init_step);
		return;
	}
	if (r->boot_next < r->cfg.num_pes) {
		uint64_t x[8] = { PSCI_CPU_ON64, pe_mpidr(r->boot_next), 0x40080000, 0 };
		if (r->boot_next == pe_id(pe)) {
			r->boot_next++;
			init_step(t, pe);
			return;
		}
		pe_smc(pe, x, init_cpu_on_ret, t);
		return;
	}
	if (r->cfg.abi == REE_ABI_FFA)
		ree_ffa_probe(t, pe, probe_finished);
	else
		ree_optee_probe(t, pe, probe_finished);
}

static struct ree_task *init_task(struct ree *r)
{
	if (!r->init)
		r->init = ree_task_new(r, "init", -1, PRIO_FIFO, REE_KTHREAD, init_step);
	return r->init;
}
