// SPDX-License-Identifier: BSD-3-Clause
/* sim/isa_plat.c: see isa_plat.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/isa_plat.h"

#define FFA_SUCCESS_32 0x84000061u

void isa_plat_cfg_default(struct isa_plat_cfg *c)
{
	memset(c, 0, sizeof(*c));
	c->npes = 4;
	c->preset = SIM_PRESET_A53;
	c->transport = OPTEE_TRANSPORT_SPI;
	c->notif_intid = 219;
	c->src_intid = 40;
	c->src_pe = 0;
	c->eoimode = true;
	c->nthreads = 2;
}

/* ---- ports: what sim/platform.c wires, plus logs --------------------------------------------- */

static void port_state(void *ctx, unsigned pe, unsigned el, bool secure)
{
	struct isa_plat *p = ctx;
	gic_pe_state(p->g, pe, el, secure);
}

static int port_icc_read(void *ctx, unsigned pe, unsigned el, bool secure, int reg, uint64_t *val)
{
	struct isa_plat *p = ctx;
	struct gic_icc_access a = { pe, el, secure };
	int rc = gic_icc_read(p->g, &a, (enum gic_icc_reg)reg, val);
	if (p->nicc < ISA_PLAT_LOG)
		p->icc[p->nicc++] = (struct isa_plat_icc){ p->seq++, pe, el, secure, false, reg, *val };
	return rc;
}

static int port_icc_write(void *ctx, unsigned pe, unsigned el, bool secure, int reg, uint64_t val)
{
	struct isa_plat *p = ctx;
	struct gic_icc_access a = { pe, el, secure };
	if (p->nicc < ISA_PLAT_LOG)
		p->icc[p->nicc++] = (struct isa_plat_icc){ p->seq++, pe, el, secure, true, reg, val };
	return gic_icc_write(p->g, &a, (enum gic_icc_reg)reg, val);
}

static int port_mmio_read(void *ctx, unsigned pe, unsigned el, bool secure, uint64_t addr, unsigned size,
			  uint64_t *val)
{
	struct isa_plat *p = ctx;
	struct sim_bus_access a = { (int)pe, el, secure };
	int rc = sim_bus_read(p->bus, &a, addr, size, val);
	if (p->nmmio < ISA_PLAT_LOG)
		p->mmio[p->nmmio++] = (struct isa_plat_mmio){ p->seq++, pe, secure, false, addr, *val, size };
	return rc;
}

static int port_mmio_write(void *ctx, unsigned pe, unsigned el, bool secure, uint64_t addr, unsigned size,
			   uint64_t val)
{
	struct isa_plat *p = ctx;
	struct sim_bus_access a = { (int)pe, el, secure };
	if (p->nmmio < ISA_PLAT_LOG)
		p->mmio[p->nmmio++] = (struct isa_plat_mmio){ p->seq++, pe, secure, true, addr, val, size };
	return sim_bus_write(p->bus, &a, addr, size, val);
}

/* ---- the engines' host callbacks ---------------------------------------------------------------- */

static struct isa_plat *plat_of(void *ctx, unsigned *pe)
{
	struct isa_plat_hostctx *h = ctx;
	*pe = h->pe;
	return h->p;
}

static enum isa_action host_model_call(void *ctx, struct isa_engine *e, unsigned imm)
{
	unsigned pe;
	struct isa_plat *p = plat_of(ctx, &pe);
	struct isa_plat_mc m = { pe, imm, { 0 } };
	for (int i = 0; i < 4; i++)
		m.x[i] = isa_get_reg(e, (enum isa_reg)(ISA_X0 + i));
	if (p->nmc < ISA_PLAT_LOG)
		p->mc[p->nmc++] = m;
	if (p->on_model_call) {
		int a = p->on_model_call(p->hook_ctx, p, pe, e, imm);
		if (a >= 0)
			return (enum isa_action)a;
	}
	switch (imm) {
	case ISA_MC_BOOTED:
		if (m.x[0] == ISA_WORLD_REE)
			p->booted[pe]++;
		return ISA_STOP;
	case ISA_MC_IDLE:
	case ISA_MC_PSCI_POWER_OFF:
	case ISA_MC_REE_CQ_WAIT:
		return ISA_STOP;
	case ISA_MC_PSCI_POWER_ON: {
		int target = gic_pe_from_affinity(p->g, m.x[0] & 0xff00ffffffull);
		if (target < 0) {
			isa_set_reg(e, ISA_X0, (uint64_t)-2); /* PSCI_E_INVALID_PARAMS */
			return ISA_CONTINUE;
		}
		p->power_on_pending[target] = 1;
		isa_set_reg(e, ISA_X0, 0);
		return ISA_CONTINUE;
	}
	case ISA_MC_FFA:
		isa_set_reg(e, ISA_X0, FFA_SUCCESS_32);
		return ISA_CONTINUE;
	case ISA_MC_TEE_STD_WORK:
	case ISA_MC_TEE_DEV_WORK:
	case ISA_MC_REE_NOTIF_WAIT:
		isa_set_reg(e, ISA_X0, 0); /* abstract work done at once */
		return ISA_CONTINUE;
	case ISA_MC_TRACE:
	case ISA_MC_REE_NOTIF_SEND:
	case ISA_MC_REE_WAKE_THREAD:
	case ISA_MC_REE_QUEUE_WORK:
	case ISA_MC_REE_IRQ:
	case ISA_MC_REE_CQ_FINAL:
		return ISA_CONTINUE;
	default:
		return ISA_STOP;
	}
}

static enum isa_action host_exception(void *ctx, struct isa_engine *e, const struct isa_exc *x)
{
	unsigned pe;
	struct isa_plat *p = plat_of(ctx, &pe);
	(void)e;
	if (x->kind == ISA_EXC_SMC && p->nsmc < ISA_PLAT_LOG)
		p->smc[p->nsmc++] = (struct isa_plat_smc){ pe, x->from_el, x->from_secure, { x->x[0], x->x[1], x->x[2], x->x[3] } };
	if (p->on_exception)
		p->on_exception(p->hook_ctx, p, pe, x);
	return x->kind == ISA_EXC_SMC && p->claim_smc ? ISA_STOP : ISA_CONTINUE;
}

static void host_state(void *ctx, struct isa_engine *e, unsigned el, bool secure)
{
	unsigned pe;
	struct isa_plat *p = plat_of(ctx, &pe);
	(void)e;
	if (p->on_state)
		p->on_state(p->hook_ctx, p, pe, el, secure);
}

/* The GIC's wires into the engines' inputs. */
static void irq_sink(void *ctx, unsigned idx, int level)
{
	struct isa_plat *p = ctx;
	p->irq[idx] = level != 0;
	if (p->e[idx])
		isa_set_irq(p->e[idx], level != 0);
}

static void fiq_sink(void *ctx, unsigned idx, int level)
{
	struct isa_plat *p = ctx;
	p->fiq[idx] = level != 0;
	if (p->e[idx])
		isa_set_fiq(p->e[idx], level != 0);
}

/* ---- set-up ------------------------------------------------------------------------------------ */

static int fail(struct isa_plat *p, const char *what)
{
	snprintf(p->err + strlen(p->err), sizeof(p->err) - strlen(p->err), "%s", what);
	return -1;
}

uint64_t isa_plat_sym(const struct isa_plat *p, enum isa_builtin img, const char *name)
{
	return isa_image_symbol(&p->img[img], name);
}

void *isa_plat_ptr(struct isa_plat *p, uint64_t addr, uint64_t len) { return isa_mem_ptr(p->mem, addr, len); }

uint64_t isa_plat_task_stack(const struct isa_plat *p, unsigned pe)
{
	(void)p;
	return ISA_NSRAM_BASE + ISA_NSRAM_SIZE - (uint64_t)pe * 0x2000;
}

static void *cfg_block(struct isa_plat *p, enum isa_builtin img, const char *sym, size_t size)
{
	uint64_t a = isa_plat_sym(p, img, sym);
	return a ? isa_plat_ptr(p, a, size) : NULL;
}

int isa_plat_init(struct isa_plat *p, const struct isa_plat_cfg *c)
{
	memset(p, 0, sizeof(*p));
	p->cfg = *c;
	for (unsigned i = 0; i < GIC_MAX_PES; i++)
		p->hctx[i] = (struct isa_plat_hostctx){ p, i };
	if (sim_init(&p->s, SIM_BACKEND_NATIVE, 1))
		return fail(p, "sim_init");
	sim_costs_preset(&p->costs, c->preset);
	struct gic_config gc;
	gic_config_default(&gc, c->npes, 224);
	p->g = gic_new(&p->s, &gc);
	p->bus = sim_bus_new(&p->s);
	if (!p->g || !p->bus || gic_map(p->g, p->bus, GIC_VIRT_GICD_BASE, GIC_VIRT_GICR_BASE))
		return fail(p, "gic");
	for (unsigned i = 0; i < c->npes; i++) {
		sim_wire_connect(gic_irq_wire(p->g, i), irq_sink, p, i);
		sim_wire_connect(gic_fiq_wire(p->g, i), fiq_sink, p, i);
	}
	struct dev_src_config dc;
	memset(&dc, 0, sizeof(dc));
	snprintf(dc.name, sizeof(dc.name), "uart");
	dc.kind = DEV_SRC_UART;
	p->replay_at = c->src_at;
	if (c->src_period) {
		dc.arrival = DEV_SRC_PERIODIC;
		dc.period = c->src_period;
	} else {
		dc.arrival = DEV_SRC_REPLAY;
		dc.replay = &p->replay_at;
		dc.n_replay = c->src_at ? 1 : 0;
	}
	p->src = dev_src_new(&p->s, &dc, 0);
	if (!p->src || dev_src_map(p->src, p->bus, ISA_PLAT_SRC_BASE))
		return fail(p, "secure source");
	sim_wire_connect(dev_src_line(p->src), gic_spi_input, p->g, c->src_intid);
	p->ports = (struct pe_ports){ p, port_state, port_icc_read, port_icc_write, port_mmio_read, port_mmio_write };

	struct isa_bank banks[2] = { { ISA_SRAM_BASE, ISA_SRAM_SIZE }, { ISA_NSRAM_BASE, ISA_NSRAM_SIZE } };
	if (isa_mem_new(&p->mem, banks, 2))
		return fail(p, "isa_mem_new");
	for (int i = 0; i < ISA_IMG_COUNT; i++) {
		const void *elf;
		size_t len;
		const char *name;
		isa_builtin_image((enum isa_builtin)i, &elf, &len, &name);
		if (isa_mem_load(p->mem, name, elf, len, &p->img[i]))
			return fail(p, "isa_mem_load");
	}

	struct bl31_cfg *bc = cfg_block(p, ISA_IMG_MONITOR, "bl31_cfg", sizeof(*bc));
	struct optee_cfg *oc = cfg_block(p, ISA_IMG_TEE, "optee_cfg", sizeof(*oc));
	struct linux_cfg *lc = cfg_block(p, ISA_IMG_REE, "linux_cfg", sizeof(*lc));
	uint64_t shm = isa_plat_sym(p, ISA_IMG_REE, "linux_shm");
	if (!bc || !oc || !lc || !shm)
		return fail(p, "configuration blocks");
	bc->bl32_entry = p->img[ISA_IMG_TEE].entry;
	bc->bl33_entry = p->img[ISA_IMG_REE].entry;
	bc->gicd_base = GIC_VIRT_GICD_BASE;
	bc->gicr_base = GIC_VIRT_GICR_BASE;
	bc->ncpus = c->npes;
	bc->num_spis = 224;
	bc->flags = BL31_CFG_GIC_DIST_INIT;
	bc->n_sirq = 1;
	bc->sirq[0] = (struct bl31_sirq){ c->src_intid, 0x10, 1, (uint16_t)c->src_pe };

	oc->gicd_base = GIC_VIRT_GICD_BASE;
	oc->gicr_base = GIC_VIRT_GICR_BASE;
	oc->nsec_shm_base = shm;
	oc->nsec_shm_size = LINUX_SHM_SLOTS * LINUX_SHM_SLOT;
	oc->ncpus = c->npes;
	oc->nthreads = c->nthreads;
	oc->transport = c->transport;
	oc->notif_intid = c->notif_intid;
	oc->ppi_fixed = c->ppi_fixed;
	oc->sgi_target = c->sgi_target;
	oc->ffa_own_id = 0x8001;
	oc->ffa_nw_id = 0;
	oc->ffa_bh_bit = 0;
	oc->flags = OPTEE_CFG_ASYNC_NOTIF;
	oc->nsrc = 1;
	oc->src[0] = (struct optee_src){ ISA_PLAT_SRC_BASE, c->src_intid, OPTEE_SRC_UART };

	lc->gicd_base = GIC_VIRT_GICD_BASE;
	lc->gicr_base = GIC_VIRT_GICR_BASE;
	lc->ncpus = c->npes;
	lc->eoimode = c->eoimode;
	lc->notif_intid = c->notif_intid;
	lc->notif_percpu = c->notif_intid < 32;
	lc->notif_level = 0;
	lc->num_spis = 224;
	lc->flags = LINUX_CFG_GIC_DIST_INIT;
	if (c->src_at || c->src_period)
		dev_src_start(p->src);
	return 0;
}

void isa_plat_fini(struct isa_plat *p)
{
	for (unsigned i = 0; i < GIC_MAX_PES; i++)
		isa_engine_free(p->e[i]);
	isa_mem_free(p->mem);
	dev_src_free(p->src);
	gic_free(p->g);
	sim_bus_free(p->bus);
	sim_fini(&p->s);
}

struct isa_engine *isa_plat_engine(struct isa_plat *p, unsigned pe)
{
	if (pe >= p->cfg.npes)
		return NULL;
	if (p->e[pe])
		return p->e[pe];
	struct isa_config c;
	memset(&c, 0, sizeof(c));
	c.pe = pe;
	c.preset = p->cfg.preset;
	c.clock = p->costs.clock;
	c.sim = &p->s;
	c.ports = &p->ports;
	c.host = (struct isa_host){ &p->hctx[pe], host_model_call, host_exception, host_state };
	c.mmio[0] = (struct isa_window){ GIC_VIRT_GICD_BASE, GICD_FRAME_SIZE };
	c.mmio[1] = (struct isa_window){ GIC_VIRT_GICR_BASE, gic_redist_region_size(p->g) };
	c.mmio[2] = (struct isa_window){ ISA_PLAT_SRC_BASE, DEV_SRC_FRAME_SIZE };
	c.n_mmio = 3;
	c.tb_end_all = p->cfg.tb_end_all;
	int rc = isa_engine_new(&p->e[pe], p->mem, &c, p->err, sizeof(p->err));
	if (rc) {
		if (!p->err[0])
			snprintf(p->err, sizeof(p->err), "isa_engine_new: %s", isa_strerror(rc));
		return NULL;
	}
	isa_set_irq(p->e[pe], p->irq[pe]);
	isa_set_fiq(p->e[pe], p->fiq[pe]);
	return p->e[pe];
}

/* ---- driving ---------------------------------------------------------------------------------- */

int isa_plat_drive(struct isa_plat *p, unsigned pe, struct isa_result *r)
{
	struct isa_engine *e = isa_plat_engine(p, pe);
	if (!e)
		return -1;
	for (int guard = 0; guard < 1000000; guard++) {
		sim_run_until(p->s.k, sim_now(p->s.k)); /* what is due now, first */
		sim_time now = sim_now(p->s.k), next = sim_next_time(p->s.k);
		uint64_t budget = next == SIM_TIME_MAX ? 0 : sim_clock_to_cycles(&p->costs.clock, next - now);
		int rc = isa_run(e, budget ? budget : (next == SIM_TIME_MAX ? 0 : 1), r);
		sim_run_until(p->s.k, now + sim_clock_cycles(&p->costs.clock, r->cycles));
		if (rc) {
			snprintf(p->err, sizeof(p->err), "pe%u: %s at pc 0x%llx", pe, isa_strerror(rc),
				 (unsigned long long)r->err_pc);
			return -1;
		}
		if (r->why != ISA_STOP_BUDGET && r->why != ISA_STOP_DEADLINE)
			return 0;
	}
	snprintf(p->err, sizeof(p->err), "pe%u: no stop", pe);
	return -1;
}

static int drive_to_booted(struct isa_plat *p, unsigned pe)
{
	struct isa_result r;
	unsigned before = p->booted[pe];
	while (p->booted[pe] == before) {
		if (isa_plat_drive(p, pe, &r))
			return -1;
		if (r.why != ISA_STOP_MODEL_CALL || r.imm != ISA_MC_BOOTED) {
			snprintf(p->err, sizeof(p->err), "pe%u: boot stopped (%d, #%u)", pe, r.why, r.imm);
			return -1;
		}
	}
	return 0;
}

int isa_plat_boot(struct isa_plat *p)
{
	struct isa_engine *e = isa_plat_engine(p, 0);
	if (!e)
		return -1;
	isa_reset(e, p->img[ISA_IMG_MONITOR].entry, NULL);
	return drive_to_booted(p, 0);
}

int isa_plat_warm_boot(struct isa_plat *p, unsigned pe)
{
	struct isa_engine *e = isa_plat_engine(p, pe);
	uint64_t warm = isa_plat_sym(p, ISA_IMG_MONITOR, "bl31_warm_entrypoint");
	if (!e || !warm || !p->power_on_pending[pe])
		return fail(p, "warm boot");
	p->power_on_pending[pe] = 0;
	isa_reset(e, warm, NULL);
	return drive_to_booted(p, pe);
}

int isa_plat_call(struct isa_plat *p, unsigned pe, uint64_t fn, const uint64_t *args, unsigned nargs, uint64_t sp,
		  uint64_t res[4])
{
	struct isa_engine *e = isa_plat_engine(p, pe);
	struct isa_result r;
	if (!e)
		return -1;
	sim_time now = sim_now(p->s.k), next = sim_next_time(p->s.k);
	uint64_t budget = next == SIM_TIME_MAX ? 0 : sim_clock_to_cycles(&p->costs.clock, next - now);
	int rc = isa_call(e, fn, args, nargs, sp, budget ? budget : (next == SIM_TIME_MAX ? 0 : 1), res, &r);
	sim_run_until(p->s.k, now + sim_clock_cycles(&p->costs.clock, r.cycles));
	if (rc) {
		snprintf(p->err, sizeof(p->err), "pe%u: %s at pc 0x%llx", pe, isa_strerror(rc), (unsigned long long)r.err_pc);
		return -1;
	}
	while (r.why != ISA_STOP_RETURN) {
		if (r.why == ISA_STOP_MODEL_CALL && r.imm == ISA_MC_IDLE)
			return fail(p, "the routine went idle");
		if (isa_plat_drive(p, pe, &r))
			return -1;
		if (r.why == ISA_STOP_RETURN && res) {
			/* returned in a later run: the engine restored PC and LR only, x0..x3 hold the results */
			for (int i = 0; i < 4; i++)
				res[i] = isa_get_reg(e, (enum isa_reg)(ISA_X0 + i));
		}
	}
	return 0;
}

int isa_plat_smc_call(struct isa_plat *p, unsigned pe, const uint64_t x[8], uint64_t res[4])
{
	return isa_plat_call(p, pe, ISA_HOST_SMC, x, 8, 0, res);
}

int isa_plat_idle_until(struct isa_plat *p, unsigned pe, sim_time t)
{
	struct isa_engine *e = isa_plat_engine(p, pe);
	struct isa_result r;
	if (!e)
		return -1;
	while (sim_now(p->s.k) < t) {
		sim_time next = sim_next_time(p->s.k);
		/* idle until the next event (or the end), then let the engine take what is pending */
		sim_run_until(p->s.k, next < t ? next : t);
		if (!(p->irq[pe] || p->fiq[pe]))
			continue;
		do {
			if (isa_plat_drive(p, pe, &r))
				return -1;
		} while (!(r.why == ISA_STOP_MODEL_CALL && r.imm == ISA_MC_IDLE));
	}
	return 0;
}
