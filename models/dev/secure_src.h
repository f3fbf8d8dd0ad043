/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/dev/secure_src.h: a secure interrupt source, the hardware half of
 * the secure devices whose drivers live in OP-TEE (models/tee/secure_dev.c).
 *
 * What it models: an arrival process (periodic, Poisson, bursts, a replayed
 * list of times, and storms on top) that feeds either a UART's receive FIFO
 * or an event counter (a timer's expiries, a TRNG's ready events); an
 * interrupt line to a GIC SPI; and a register frame on the platform's bus.
 * A UART's line is level: high while its RX interrupt is enabled and the
 * FIFO holds data. A timer or TRNG pulses its line once per event (edge).
 *
 * Register frame (DEV_SRC_FRAME_SIZE; a secure device takes Secure accesses
 * only: a Non-secure access is refused, which the bus records as a bus
 * error, as a TrustZone address-space controller would; a normal-world
 * device takes both), 32-bit registers unless noted:
 *   DEV_SRC_DATA   0x00  R   UART: pops the oldest item (its sequence number); RAZ when empty
 *   DEV_SRC_COUNT  0x04  R   items waiting: the FIFO level (UART) or events not yet acknowledged
 *   DEV_SRC_CTRL   0x08  RW  bit 0 RXIE: the UART's RX interrupt is enabled (reset 1)
 *   DEV_SRC_ACK    0x0C  W   consume N items at once (a driver that drained N)
 *   DEV_SRC_TS     0x10  R   64-bit: when the pending episode began (ps, + 1; 0 none). A
 *                            simulation probe that lets the driver stamp a notification's
 *                            source time; reading it ends the episode. Also readable as two
 *                            32-bit halves, lower first: a 32-bit read at 0x10 returns the
 *                            lower half, ends the episode and latches the upper half, which
 *                            a 32-bit read at 0x14 returns (a 64-bit load from guest code
 *                            reaches the bus as two such reads: Unicorn's MMIO regions are
 *                            at most 4 bytes wide).
 * This is tzsim's own register block ("tzsim,source" in the device
 * tree), not a PL011: it exposes what OP-TEE's console example reads (the
 * FIFO, the RX interrupt mask) without a per-byte register loop.
 *
 * Trace: TR_EVENT "fifo overrun", "storm start", "storm end" (world
 * SIM_WORLD_DEV, b = the device's index) and the line as a wire.
 */
#ifndef MODELS_DEV_SECURE_SRC_H
#define MODELS_DEV_SECURE_SRC_H

#include <stdbool.h>
#include <stdint.h>

#include "models/dev/secure_src_regs.h" /* the register map (DEV_SRC_*), shared with the guest driver */
#include "sim/bus.h"
#include "sim/kernel/sim.h"
#include "sim/kernel/wire.h"

#ifdef __cplusplus
extern "C" {
#endif


enum dev_src_kind { DEV_SRC_UART = 0, DEV_SRC_TIMER, DEV_SRC_TRNG };
enum dev_src_arrival { DEV_SRC_PERIODIC = 0, DEV_SRC_POISSON, DEV_SRC_BURST, DEV_SRC_REPLAY };

struct dev_src_config {
	char name[32];
	enum dev_src_kind kind;
	enum dev_src_arrival arrival;
	sim_time period;          /* periodic; burst: every */
	uint64_t rate_hz;         /* poisson */
	unsigned burst_count;
	sim_time burst_spacing;
	const sim_time *replay;   /* replay: times from the start (owned by the caller, outlive the run) */
	unsigned n_replay;
	unsigned fifo;            /* UART FIFO depth (0: 16) */
	bool normal_world;        /* a normal-world device: its frame takes Non-secure accesses too */
};

struct dev_src;

/*
 * dev_src_new - device @idx (its number in trace records), idle until
 * dev_src_start. Registers its line ("devices"/@c->name) with the trace.
 * Returns NULL when out of memory.
 */
struct dev_src *dev_src_new(struct sim *s, const struct dev_src_config *c, int idx);
/* Release the device (its queued events are cancelled). */
void dev_src_free(struct dev_src *d);

/* The interrupt line: connect it to the GIC's SPI input. */
struct sim_wire *dev_src_line(struct dev_src *d);
/* Map the register frame at @base on @bus ("name"). Returns 0, or -1 (sim_bus_map's reasons). */
int dev_src_map(struct dev_src *d, struct sim_bus *bus, uint64_t base);

/* Start the arrival process now; stop generating arrivals. */
void dev_src_start(struct dev_src *d);
void dev_src_stop(struct dev_src *d);
/* A storm: Poisson arrivals at @rate_hz for @dur, then the normal process again. */
void dev_src_storm(struct dev_src *d, uint64_t rate_hz, sim_time dur);
/*
 * dev_src_arrive - one arrival now from outside the arrival process (a
 * SystemC platform's device line: tzsim::Platform's source inputs). It does
 * what an arrival of the source's own process does (a UART receives one
 * item, a timer or TRNG counts one event and pulses its line) and leaves
 * that process's schedule alone; it acts whether or not the source runs.
 * A source driven only from outside has no arrivals of its own: give it
 * `arrival: {replay: /dev/null}`.
 */
void dev_src_arrive(struct dev_src *d);

/* The bus callbacks (sim_bus_read_fn shape; @dev is the struct dev_src). */
int dev_src_read(void *dev, uint64_t off, unsigned size, bool secure, uint64_t *val);
int dev_src_write(void *dev, uint64_t off, unsigned size, bool secure, uint64_t val);

#ifdef __cplusplus
}
#endif
#endif
