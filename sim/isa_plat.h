/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/isa_plat.h: guest code on the real GIC, bus and a secure source,
 * without the abstract models: what tests/isa_test.cc, tests/bench_isa.c and
 * tzsim calibrate (sim/calibrate.c) drive.
 *
 * Built like the platform (sim/platform.c): a GICv3 with its frames at
 * QEMU virt's addresses on a bus, one secure source (a UART) whose line is
 * an SPI, and the three guest images loaded into shared RAM with their
 * configuration blocks filled. Engines are made lazily, one per PE, with
 * ports that reach the GIC CPU interface and the bus; the GIC's IRQ/FIQ
 * wires drive the engines' inputs.
 *
 * The driver is a stand-in for phase 2's PE: it runs one engine with a
 * budget up to the next kernel event, advances the kernel by the cycles the
 * run reports, fires the events that are due, and goes on until a model
 * call stops the run. Model calls are logged; abstract work takes no time.
 */
#ifndef SIM_ISA_PLAT_H
#define SIM_ISA_PLAT_H

#include <stdbool.h>
#include <stdint.h>

#include "models/cpu/isa.h"
#include "models/dev/secure_src.h"
#include "models/gic/gic.h"
#include "models/monitor/guest/bl31.h"
#include "models/ree/guest/linux.h"
#include "models/tee/guest/optee.h"
#include "sim/bus.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ISA_PLAT_SRC_BASE 0x09040000ull
#define ISA_PLAT_LOG 1024

struct isa_plat_cfg {
	unsigned npes;          /* GIC PEs (engines are made for the PEs that run) */
	enum sim_preset preset;
	unsigned transport;     /* OPTEE_TRANSPORT_* */
	unsigned notif_intid;   /* 219 (SPI), 31 (PPI), 9 (SGI) */
	bool ppi_fixed;
	unsigned sgi_target;    /* OPTEE_SGI_* */
	unsigned src_intid;     /* the secure UART's SPI */
	unsigned src_pe;        /* where its SPI is routed */
	sim_time src_at;        /* when the UART receives its one character (0: never) */
	sim_time src_period;    /* or: a character every period from src_at (0: only one) */
	bool eoimode;
	unsigned nthreads;
	bool tb_end_all;        /* isa_config.tb_end_all: every MSR ends a translation block */
};
void isa_plat_cfg_default(struct isa_plat_cfg *c);

struct isa_plat_smc {
	unsigned pe, el;
	bool secure;
	uint64_t x[4];
};
struct isa_plat_mc {
	unsigned pe, imm;
	uint64_t x[4];
};
struct isa_plat_icc {
	unsigned seq;           /* order among every logged access (ICC and MMIO) */
	unsigned pe, el;
	bool secure, write;
	int reg;
	uint64_t v;
};
struct isa_plat_mmio {
	unsigned seq;
	unsigned pe;
	bool secure, write;
	uint64_t addr, v;
	unsigned size;
};

struct isa_plat;
typedef void (*isa_plat_state_fn)(void *ctx, struct isa_plat *p, unsigned pe, unsigned el, bool secure);
typedef void (*isa_plat_exc_fn)(void *ctx, struct isa_plat *p, unsigned pe, const struct isa_exc *x);
/* A test's model call handler: an enum isa_action, or -1 for the default handling. */
typedef int (*isa_plat_mc_fn)(void *ctx, struct isa_plat *p, unsigned pe, struct isa_engine *e, unsigned imm);

struct isa_plat {
	struct isa_plat_cfg cfg;
	struct sim s;
	struct sim_costs costs;
	struct gic *g;
	struct sim_bus *bus;
	struct dev_src *src;
	sim_time replay_at;
	struct isa_mem *mem;
	struct isa_image img[ISA_IMG_COUNT];
	struct pe_ports ports;
	struct isa_engine *e[GIC_MAX_PES];
	bool irq[GIC_MAX_PES], fiq[GIC_MAX_PES];
	struct isa_plat_hostctx {
		struct isa_plat *p;
		unsigned pe;
	} hctx[GIC_MAX_PES];
	char err[256];

	/* logs */
	struct isa_plat_smc smc[ISA_PLAT_LOG];
	unsigned nsmc;
	struct isa_plat_mc mc[ISA_PLAT_LOG];
	unsigned nmc;
	struct isa_plat_icc icc[ISA_PLAT_LOG];
	unsigned nicc;
	struct isa_plat_mmio mmio[ISA_PLAT_LOG];
	unsigned nmmio;
	unsigned seq;
	unsigned booted[GIC_MAX_PES];  /* ISA_MC_BOOTED seen per PE */
	int power_on_pending[GIC_MAX_PES];

	/* test hooks */
	isa_plat_state_fn on_state;
	isa_plat_exc_fn on_exception;
	isa_plat_mc_fn on_model_call;
	void *hook_ctx;
	bool claim_smc;         /* host.exception claims every SMC (an abstract monitor) */
};

/* Build the platform and load the images. Returns 0, or -1 with p->err. */
int isa_plat_init(struct isa_plat *p, const struct isa_plat_cfg *c);
void isa_plat_fini(struct isa_plat *p);

/* The engine of @pe, made on first use (NULL and p->err on failure). */
struct isa_engine *isa_plat_engine(struct isa_plat *p, unsigned pe);

/* Run @pe until a stop that is not about time (budget, deadline), firing events in between. */
int isa_plat_drive(struct isa_plat *p, unsigned pe, struct isa_result *r);

/* Cold boot of PE 0 through BL31, OP-TEE and Linux, until Linux's ISA_MC_BOOTED. Returns 0 or -1. */
int isa_plat_boot(struct isa_plat *p);
/* The warm boot of @pe after a PSCI CPU_ON asked for it, until Linux's ISA_MC_BOOTED. */
int isa_plat_warm_boot(struct isa_plat *p, unsigned pe);

/* isa_call at @pe's current EL, driven until it returns; x0..x3 in @res. Returns 0 or -1. */
int isa_plat_call(struct isa_plat *p, unsigned pe, uint64_t fn, const uint64_t *args, unsigned nargs, uint64_t sp,
		  uint64_t res[4]);
/* A normal-world SMC from @pe (ISA_HOST_SMC), x0..x7 = @x; results in @res. */
int isa_plat_smc_call(struct isa_plat *p, unsigned pe, const uint64_t x[8], uint64_t res[4]);

/* Let simulated time pass until @t with @pe idle in Linux's idle loop, taking its interrupts. */
int isa_plat_idle_until(struct isa_plat *p, unsigned pe, sim_time t);

/* A symbol of an image (0 if absent), and the host's view of guest memory. */
uint64_t isa_plat_sym(const struct isa_plat *p, enum isa_builtin img, const char *name);
void *isa_plat_ptr(struct isa_plat *p, uint64_t addr, uint64_t len);
/* A stack for routines the host calls at @pe (the top of a per-PE area of NS RAM). */
uint64_t isa_plat_task_stack(const struct isa_plat *p, unsigned pe);

#ifdef __cplusplus
}
#endif
#endif
