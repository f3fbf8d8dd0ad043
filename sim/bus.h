/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/bus.h: the platform's physical address map, between the PEs and the
 * devices that have registers.
 *
 * A table of regions, each a device's register frame: base, size, a name,
 * the device, and its read/write callbacks. The platform fills it from the
 * device tree (the GIC's Distributor and Redistributor frames, the secure
 * sources' frames). A PE's load or store reaches the bus through its MMIO
 * port; the bus finds the region and calls the device with the offset
 * within its frame, never the absolute address. Unicorn's uc_mmio_map
 * regions and a TLM target socket call the same two entry points.
 *
 * Bus errors. An access that hits no region, or that the device refuses
 * (a size or alignment its registers do not support), is a bus error. On
 * hardware the interconnect either returns an error response, which the PE
 * takes as an external abort (SError or a synchronous abort), or completes
 * the access as RAZ/WI. tzsim's PEs run abstract handlers that cannot take
 * an abort, so the bus completes a failed access as RAZ/WI (a read returns
 * 0, a write is ignored) and makes it visible instead: a TR_EVENT
 * SIM_EV_BUS_ERROR record with the PE, the world, the address, the size and
 * the direction, counted in the run's summary (bus_errors). A correct
 * platform has none.
 *
 * Library code: never prints, never exits.
 */
#ifndef SIM_BUS_H
#define SIM_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/kernel/sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A device's register access: 0, or -1 when the device refuses it (a bus error). */
typedef int (*sim_bus_read_fn)(void *dev, uint64_t off, unsigned size, bool secure, uint64_t *val);
typedef int (*sim_bus_write_fn)(void *dev, uint64_t off, unsigned size, bool secure, uint64_t val);

struct sim_bus_region {
	uint64_t base, size;
	const char *name;        /* static storage, or owned by the caller for the bus's life */
	void *dev;
	sim_bus_read_fn read;
	sim_bus_write_fn write;
};

/* Who makes an access: a PE, its exception level and security state (EL3 counts as Secure). */
struct sim_bus_access {
	int pe;                  /* -1: not a PE (a test, a DMA master) */
	unsigned el;
	bool secure;
};

#define SIM_BUS_MAX_REGIONS 64

struct sim_bus;

/* An empty address map. Returns NULL when out of memory. */
struct sim_bus *sim_bus_new(struct sim *s);
void sim_bus_free(struct sim_bus *b);

/*
 * sim_bus_map - add @r (copied). Returns 0, or -1 when the region is empty,
 * wraps around the address space, overlaps a region already mapped, or the
 * table is full (SIM_BUS_MAX_REGIONS).
 */
int sim_bus_map(struct sim_bus *b, const struct sim_bus_region *r);

/* The region holding @addr, or NULL. */
const struct sim_bus_region *sim_bus_find(const struct sim_bus *b, uint64_t addr);

/*
 * sim_bus_read / sim_bus_write - an access of @size bytes (1, 2, 4 or 8) at
 * physical address @addr. Returns 0, or -1 for a bus error (recorded and
 * counted as above; the read value is then 0).
 */
int sim_bus_read(struct sim_bus *b, const struct sim_bus_access *a, uint64_t addr, unsigned size,
		 uint64_t *val);
int sim_bus_write(struct sim_bus *b, const struct sim_bus_access *a, uint64_t addr, unsigned size,
		  uint64_t val);

/* Bus errors so far. */
uint64_t sim_bus_errors(const struct sim_bus *b);

#ifdef __cplusplus
}
#endif
#endif
