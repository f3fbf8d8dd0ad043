/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/gic/gic.h: a GICv3 (Arm IHI 0069) with one Distributor, one
 * Redistributor and one CPU interface per PE. No ITS/LPIs, no GICv4, no
 * extended PPI/SPI ranges, affinity routing always enabled (ARE_S = ARE_NS
 * = 1), two security states (GICD_CTLR.DS = 0 unless configured).
 *
 * What it owns: every interrupt's state (group, priority, enable, config,
 * pending, active, routing), the WAKER state, the CPU-interface registers
 * (PMR, BPR, APRs, CTLR, IGRPEN). What it never touches: any other model.
 *
 * Ports:
 *  - inputs: SPI lines (gic_spi_input), PPI lines per PE (gic_ppi_input),
 *    and the PE's current exception level and security state (gic_pe_state,
 *    set by the CPU model);
 *  - outputs: an IRQ wire, an FIQ wire and a WakeRequest wire per PE;
 *  - register access: MMIO to the GICD frame and the GICR region at an
 *    offset within them, with a Secure/Non-secure attribute
 *    (gic_dist_mmio_* and gic_redist_mmio_*, the callbacks the platform's
 *    bus calls; gic_map puts both on a bus), and ICC_* system registers
 *    carrying the PE, EL and security state (gic_icc_read/write). The GIC
 *    never sees an absolute address: where its frames live is the bus's
 *    business (sim/bus.h). Unicorn's MMIO and MRS/MSR hooks and a TLM
 *    socket reach the same entry points.
 *
 * Timing: a change of pending state reaches the IRQ/FIQ wires after
 * cfg.pend_to_wire; an acknowledge de-asserts the PE's wires at once and
 * re-arbitrates after cfg.ack_rearb; an SGI write becomes pending at its
 * targets after cfg.sgi_delay. All three go through kernel events. A change
 * of the PE's state (gic_pe_state) or of its PMR/IGRPEN re-evaluates the
 * PE's wires at once: the CPU interface is part of the PE.
 *
 * Every state change other models or users care about is a trace record:
 * TR_GIC_PEND, TR_GIC_ACK, TR_GIC_EOI, TR_GIC_DEACT, TR_GIC_CLEAR,
 * TR_GIC_SGI_DROP, TR_GIC_WAKE, TR_GIC_ROUTE, and the wires.
 */
#ifndef MODELS_GIC_GIC_H
#define MODELS_GIC_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/bus.h"
#include "sim/kernel/sim.h"
#include "sim/kernel/wire.h"

#ifdef __cplusplus
extern "C" {
#endif

#define GIC_MAX_PES 256
#define GIC_NUM_SGI 16
#define GIC_NUM_PPI 16
#define GIC_SPI_BASE 32
#define GIC_MAX_INTID 1019 /* last SPI */
#define GIC_SPURIOUS 1023

/* Interrupt groups. */
enum gic_group {
	GIC_G0 = 0,
	GIC_G1S = 1,  /* Secure Group 1 */
	GIC_G1NS = 2, /* Non-secure Group 1 */
};

/* Register frame layout (GICv3, IHI 0069 chapter 12). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0C00
#define GICD_IGRPMODR 0x0D00
#define GICD_NSACR 0x0E00
#define GICD_IROUTER 0x6000 /* + 8 * INTID */
#define GICD_PIDR2 0xFFE8

/*
 * Identification values this model reports (added to the contract):
 * GICD_IIDR/GICR_IIDR: Implementer 0x43B (Arm's JEP106 code), ProductID 0,
 * Revision 0 (a model, not a product); GICD_PIDR2/GICR_PIDR2: ArchRev [7:4] = 3
 * (GICv3), JEDEC-used bit 3 and the low DES_1 bits as QEMU reports them.
 */
#define GIC_IIDR_VALUE 0x0000043Bu
#define GIC_PIDR2_VALUE 0x3Bu

#define GICD_CTLR_ENABLEGRP0 (1u << 0)
#define GICD_CTLR_ENABLEGRP1NS (1u << 1)
#define GICD_CTLR_ENABLEGRP1S (1u << 2)
#define GICD_CTLR_ARE_S (1u << 4)
#define GICD_CTLR_ARE_NS (1u << 5)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_E1NWF (1u << 7)
#define GICD_CTLR_RWP (1u << 31)

#define GICD_IROUTER_IRM (1ull << 31)

/* The Distributor's frame (64 KiB). */
#define GICD_FRAME_SIZE 0x10000u

/* Where QEMU's virt board puts the frames (the built-in platform and the tests use it). */
#define GIC_VIRT_GICD_BASE 0x08000000ull
#define GIC_VIRT_GICR_BASE 0x080A0000ull

/* Each PE has a 128 KiB Redistributor: RD_base frame, then SGI_base frame. */
#define GICR_STRIDE 0x20000
#define GICR_SGI_OFFSET 0x10000
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xFFE8
/* in the SGI_base frame (add GICR_SGI_OFFSET) */
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ISPENDR0 0x0200
#define GICR_ICPENDR0 0x0280
#define GICR_ISACTIVER0 0x0300
#define GICR_ICACTIVER0 0x0380
#define GICR_IPRIORITYR 0x0400
#define GICR_ICFGR0 0x0C00
#define GICR_ICFGR1 0x0C04
#define GICR_IGRPMODR0 0x0D00
#define GICR_NSACR 0x0E00

#define GICR_CTLR_DPG0 (1u << 24)
#define GICR_CTLR_DPG1NS (1u << 25)
#define GICR_CTLR_DPG1S (1u << 26)
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)

/* ICC system registers the models use. */
enum gic_icc_reg {
	ICC_IAR0_EL1,
	ICC_IAR1_EL1,
	ICC_EOIR0_EL1,
	ICC_EOIR1_EL1,
	ICC_DIR_EL1,
	ICC_HPPIR0_EL1,
	ICC_HPPIR1_EL1,
	ICC_PMR_EL1,
	ICC_RPR_EL1,
	ICC_BPR0_EL1,
	ICC_BPR1_EL1,
	ICC_CTLR_EL1,
	ICC_CTLR_EL3,
	ICC_IGRPEN0_EL1,
	ICC_IGRPEN1_EL1,
	ICC_IGRPEN1_EL3,
	ICC_SGI0R_EL1,
	ICC_SGI1R_EL1,
	ICC_ASGI1R_EL1,
	ICC_AP0R0_EL1,
	ICC_AP1R0_EL1,
	ICC_SRE_EL1,
	ICC_SRE_EL3,
	GIC_ICC_REG_COUNT
};

/* ICC_SGI*R fields (IHI 0069, ICC_SGI1R_EL1). */
#define ICC_SGIR_TARGETLIST(v) ((v)&0xffffull)
#define ICC_SGIR_AFF1_SHIFT 16
#define ICC_SGIR_INTID_SHIFT 24
#define ICC_SGIR_AFF2_SHIFT 32
#define ICC_SGIR_IRM (1ull << 40)
#define ICC_SGIR_RS_SHIFT 44
#define ICC_SGIR_AFF3_SHIFT 48

#define ICC_CTLR_EL1_EOIMODE (1u << 1)
#define ICC_CTLR_EL1_CBPR (1u << 0)

/* Who is accessing a system register: the PE and its current state. */
struct gic_icc_access {
	unsigned pe;
	unsigned el;  /* 0..3 */
	bool secure;  /* current security state (EL3 counts as Secure) */
};

struct gic_config {
	unsigned num_pes;      /* 1..GIC_MAX_PES */
	unsigned num_spis;     /* multiple of 32, 32..988 */
	unsigned prio_bits;    /* implemented priority bits, 4..8; default 5 */
	bool security_disabled; /* GICD_CTLR.DS fixed at 1 */
	bool dpgs;             /* GICR_TYPER.DPGS: DPG bits implemented (default true) */
	sim_time pend_to_wire; /* pending change -> IRQ/FIQ wire */
	sim_time ack_rearb;    /* acknowledge -> re-arbitration */
	sim_time sgi_delay;    /* SGI register write -> pending at target */
};

/* Defaults: 5 priority bits, A53-class delays (docs/calibration.md §2). */
void gic_config_default(struct gic_config *cfg, unsigned num_pes, unsigned num_spis);

struct gic;

/* Build a GIC in its reset state. Returns NULL on a bad config or out of memory. */
struct gic *gic_new(struct sim *s, const struct gic_config *cfg);
/*
 * gic_free - release the GIC. SGIs in flight are one-shot kernel events that
 * point at the GIC: free it only once the simulation will not run again
 * (before or after sim_fini), never between runs.
 */
void gic_free(struct gic *g);

/* MPIDR affinity of PE @pe: Aff0 = pe % 16, Aff1 = pe / 16 (16 PEs per cluster). */
uint64_t gic_pe_affinity(unsigned pe);
/* The PE with affinity @aff (Aff3.Aff2.Aff1.Aff0 packed as in GICD_IROUTER), or -1. */
int gic_pe_from_affinity(const struct gic *g, uint64_t aff);

/* Output wires (level: 1 = asserted). */
struct sim_wire *gic_irq_wire(struct gic *g, unsigned pe);
struct sim_wire *gic_fiq_wire(struct gic *g, unsigned pe);
struct sim_wire *gic_wake_wire(struct gic *g, unsigned pe);

/* Input lines; both are sim_wire_fn-compatible sinks (ctx = struct gic *). */
void gic_spi_input(void *gic, unsigned intid, int level);
/* @idx = pe * 32 + intid (intid 16..31). */
void gic_ppi_input(void *gic, unsigned idx, int level);

/* The PE's current state, set by the CPU model whenever it changes. */
void gic_pe_state(struct gic *g, unsigned pe, unsigned el, bool secure);

/*
 * gic_dist_mmio_read/write - an access at offset @off of the Distributor's
 * frame; gic_redist_mmio_read/write - at offset @off of the Redistributor
 * region (PE n's RD_base frame at n * GICR_STRIDE, its SGI_base frame
 * GICR_SGI_OFFSET after). @gic is the struct gic (sim_bus_read_fn shape).
 * Returns 0, or -1 when @off is outside the frame or region or the size is
 * unsupported (the bus records a bus error). Reserved and unimplemented
 * offsets inside the frames are RAZ/WI and return 0.
 * Sizes: 4 everywhere; 8 for GICD_IROUTER<n> and GICR_TYPER (each also as two
 * 4-byte halves); 1 (added) for GICD_IPRIORITYR/GICR_IPRIORITYR, which IHI 0069
 * makes byte-accessible. An access not aligned to its size is refused (-1).
 */
int gic_dist_mmio_read(void *gic, uint64_t off, unsigned size, bool secure, uint64_t *val);
int gic_dist_mmio_write(void *gic, uint64_t off, unsigned size, bool secure, uint64_t val);
int gic_redist_mmio_read(void *gic, uint64_t off, unsigned size, bool secure, uint64_t *val);
int gic_redist_mmio_write(void *gic, uint64_t off, unsigned size, bool secure, uint64_t val);
/* The Redistributor region's size: num_pes * GICR_STRIDE. */
uint64_t gic_redist_region_size(const struct gic *g);
/*
 * gic_map - map the Distributor's frame at @gicd_base ("GICD") and the
 * Redistributor region at @gicr_base ("GICR") on @bus. Returns 0, or -1
 * when a base is not 64 KiB aligned or a frame overlaps another region.
 */
int gic_map(struct gic *g, struct sim_bus *bus, uint64_t gicd_base, uint64_t gicr_base);

/*
 * gic_icc_read/write - a system register access. Returns 0, or -1 for a
 * register that is not accessible from that EL/state (an UNDEFINED
 * instruction on hardware). Acknowledge (IAR) returns GIC_SPURIOUS (1023)
 * when nothing is eligible.
 */
int gic_icc_read(struct gic *g, const struct gic_icc_access *acc, enum gic_icc_reg reg,
		 uint64_t *val);
int gic_icc_write(struct gic *g, const struct gic_icc_access *acc, enum gic_icc_reg reg,
		  uint64_t val);

/* Map an MRS/MSR encoding (op0, op1, CRn, CRm, op2) to a register, or -1. */
int gic_icc_reg_from_encoding(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2);
const char *gic_icc_reg_name(enum gic_icc_reg reg);

/*
 * gic_probe_pending - make @intid's pending state a trace signal (TR_WIRE):
 * "gic"/"intidN_pending" for an SPI, "cpuP"/"intidN_pending" per PE for an
 * SGI or PPI, so the waveform shows the notification line whatever drives
 * it (ISPENDR, a level input, an SGI). One INTID per GIC; call before the run.
 * Returns 0, or -1 when out of memory.
 */
int gic_probe_pending(struct gic *g, unsigned intid);

/*
 * Inspection for tests, statistics and the end-of-run report. These read
 * state; they change nothing and emit nothing.
 */
bool gic_is_pending(const struct gic *g, unsigned pe, unsigned intid);
bool gic_is_active(const struct gic *g, unsigned pe, unsigned intid);
enum gic_group gic_get_group(const struct gic *g, unsigned pe, unsigned intid);
/* The PE an SPI is currently routed to (after 1-of-N choice), or -1. */
int gic_spi_target(const struct gic *g, unsigned intid);
/* Number of pending interrupts (SGI/PPI per PE, plus SPIs). */
unsigned gic_pending_count(const struct gic *g);

#ifdef __cplusplus
}
#endif
#endif
