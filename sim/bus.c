// SPDX-License-Identifier: BSD-3-Clause
/* sim/bus.c: the physical address map (see bus.h). */
#include <stdlib.h>

#include "sim/bus.h"

/*
 * Regions tried before the search: a secure device's interrupt handler
 * touches its device, the next device it polls and the GIC, in turn.
 */
#define BUS_RECENT 3

struct sim_bus {
	struct sim *sim;
	struct sim_bus_region r[SIM_BUS_MAX_REGIONS]; /* sorted by base, disjoint */
	unsigned n;
	uint64_t errors;
	/* the regions of the latest accesses, most recent first (NULL: none) */
	const struct sim_bus_region *recent[BUS_RECENT];
};

struct sim_bus *sim_bus_new(struct sim *s)
{
	struct sim_bus *b = calloc(1, sizeof(*b));
	if (b)
		b->sim = s;
	return b;
}

void sim_bus_free(struct sim_bus *b) { free(b); }

int sim_bus_map(struct sim_bus *b, const struct sim_bus_region *r)
{
	unsigned i;
	if (!r->size || r->base + r->size - 1 < r->base || b->n == SIM_BUS_MAX_REGIONS)
		return -1;
	for (i = 0; i < b->n && b->r[i].base < r->base; i++)
		;
	/* disjoint from the regions on either side */
	if (i > 0 && b->r[i - 1].base + (b->r[i - 1].size - 1) >= r->base)
		return -1;
	if (i < b->n && r->base + (r->size - 1) >= b->r[i].base)
		return -1;
	for (unsigned k = b->n; k > i; k--)
		b->r[k] = b->r[k - 1];
	b->r[i] = *r;
	b->n++;
	for (unsigned k = 0; k < BUS_RECENT; k++)
		b->recent[k] = NULL; /* the regions moved */
	return 0;
}

const struct sim_bus_region *sim_bus_find(const struct sim_bus *b, uint64_t addr)
{
	unsigned lo = 0, hi = b->n;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		const struct sim_bus_region *r = &b->r[mid];
		if (addr < r->base)
			hi = mid;
		else if (addr - r->base >= r->size)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/*
 * sim_bus_find, trying the regions of the latest accesses first, most
 * recent first: an access nearly always goes where one of the few before
 * went (the regions are disjoint, so the answer is the same). The region
 * found moves to the front.
 */
static inline const struct sim_bus_region *find_cached(struct sim_bus *b, uint64_t addr)
{
	const struct sim_bus_region *r = b->recent[0];
	unsigned i;

	if (r && addr - r->base < r->size)
		return r; /* where the last access went: most accesses */
	for (i = 1; i < BUS_RECENT; i++) {
		r = b->recent[i];
		if (r && addr - r->base < r->size)
			break;
	}
	if (i == BUS_RECENT) {
		r = sim_bus_find(b, addr);
		if (!r)
			return NULL;
		i = BUS_RECENT - 1; /* the least recent one drops out */
	}
	for (; i > 0; i--)
		b->recent[i] = b->recent[i - 1];
	b->recent[0] = r;
	return r;
}

/* Out of line: the accesses' usual case keeps no record on its stack. */
static __attribute__((noinline, cold)) int bus_error(struct sim_bus *b, const struct sim_bus_access *a,
							uint64_t addr, unsigned size, bool write)
{
	unsigned world = a->el == 3 ? SIM_WORLD_EL3 : a->secure ? SIM_WORLD_S : SIM_WORLD_NS;
	b->errors++;
	sim_trace_emit(b->sim->tr, &(struct sim_rec){ .t = sim_now(b->sim->k), .kind = TR_EVENT,
						     .code = SIM_EV_BUS_ERROR, .cpu = a->pe, .world = world, .a = addr,
						     .b = size, .c = write, .label = sim_ev_label(SIM_EV_BUS_ERROR) });
	return -1;
}

int sim_bus_read(struct sim_bus *b, const struct sim_bus_access *a, uint64_t addr, unsigned size,
		 uint64_t *val)
{
	const struct sim_bus_region *r = find_cached(b, addr);
	*val = 0;
	if (!r || addr - r->base + size > r->size || !r->read || r->read(r->dev, addr - r->base, size, a->secure, val)) {
		*val = 0; /* RAZ */
		return bus_error(b, a, addr, size, false);
	}
	return 0;
}

int sim_bus_write(struct sim_bus *b, const struct sim_bus_access *a, uint64_t addr, unsigned size,
		  uint64_t val)
{
	const struct sim_bus_region *r = find_cached(b, addr);
	if (!r || addr - r->base + size > r->size || !r->write || r->write(r->dev, addr - r->base, size, a->secure, val))
		return bus_error(b, a, addr, size, true); /* WI */
	return 0;
}

uint64_t sim_bus_errors(const struct sim_bus *b) { return b->errors; }
