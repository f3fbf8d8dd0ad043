/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/calibrate.h: `tzsim calibrate`: the abstract cost-table entries the
 * guest code implies.
 *
 * Runs one isolated notification through the guest images of all three
 * worlds (sim/isa_plat.h: a secure UART character, the SPI transport,
 * EOImode 0, an idle system) on the preset's core, cuts it into segments
 * at each change of world (as docs/calibration.md §5.2), and maps each
 * segment to the abstract entries the models charge for the same stretch
 * of code (e.g. NS SMC -> OP-TEE: exc_entry + el3.dispatch +
 * world_switch). An entry's implied value is its share of the segment's
 * cycles in proportion to the abstract values of the segment's entries,
 * averaged over the segments it appears in. Entries no segment covers are
 * not printed. That table cross-checks the estimates; calibrate_steps (below)
 * gives what a fidelity: isa run executes per step, which `tzsim calibrate
 * --emit-overrides` prints.
 */
#ifndef SIM_CALIBRATE_H
#define SIM_CALIBRATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/kernel/costs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CALIBRATE_MAX 16

struct calibrate_entry {
	enum sim_cost_id id;
	double abstract_cycles;   /* the preset's table */
	double implied_cycles;    /* from the guest code */
	unsigned segments;        /* how many segments it was derived from */
};

/*
 * One segment of the path and what the abstract model charges for it: an
 * abstract run on the same path spends @table_cycles in the same stretch
 * (tests/protocol_test.cc, CalibrateSegments).
 */
struct calibrate_seg {
	const char *what;
	unsigned world;           /* SIM_WORLD_* the segment runs in */
	bool fiq;                 /* an EL3 segment entered by an FIQ ... */
	uint32_t fid;             /* ... or by the SMC with this function ID (0: neither) */
	unsigned from_world;      /* ... taken in this world */
	double table_cycles;      /* the sum of its abstract entries */
	uint64_t insns, cycles;   /* the guest code's */
};

#define CALIBRATE_MAX_SEG 12

struct calibrate_result {
	enum sim_preset preset;
	struct calibrate_entry e[CALIBRATE_MAX];
	unsigned n;
	struct calibrate_seg seg[CALIBRATE_MAX_SEG];
	unsigned nseg;
	uint64_t insns[3], cycles[3];  /* the notification's, by SIM_WORLD_NS, _S, _EL3 */
};

/*
 * calibrate_run - run the notification on @preset; print the segments and
 * the implied table to @out (NULL: nothing) and fill @res (NULL: not
 * wanted). Returns 0, or -1 with @err.
 */
int calibrate_run(enum sim_preset preset, FILE *out, struct calibrate_result *res, char *err, size_t errlen);

/*
 * The steps fidelity: isa runs as guest code inside a whole-platform run
 * (models/cpu/isa_rt.h), each with the cycles it executed per call, and the
 * abstract entry it replaces. calibrate_steps runs a built-in scenario (one
 * CPU, a secure timer every 1 ms on the SPI transport, 20 ms) with
 * fidelity {monitor, tee, ree: isa} on @preset and reads the per-handler
 * statistics: an abstract run with these entries as platform.cost_overrides
 * is timed as the guest code is (exactly so for world_switch, whose
 * routine is one straight-line step of constant cycles; docs/calibration.md
 * §5.6 says where tee.fast, tee.notif_send and ree.notif_value cannot be).
 */
#define CALIBRATE_STEPS 10
struct calibrate_step {
	const char *handler;     /* isa_rt_handler_name */
	enum sim_cost_id id;     /* the entry it replaces */
	uint64_t calls;
	double insns, cycles;    /* per call (mean) */
	double min_insns, max_insns;
	double entry_cycles;     /* the value for platform.cost_overrides */
};
struct calibrate_steps {
	enum sim_preset preset;
	struct calibrate_step s[CALIBRATE_STEPS];
	unsigned n;
	/* the drain run (ree.notif_value and ree.notif_irq): drains of one and of two values, their mean cycles */
	uint64_t drain_calls[2];
	double drain_cycles[2];
};
int calibrate_steps(enum sim_preset preset, struct calibrate_steps *out, char *err, size_t errlen);

/* @st's entries as platform.cost_overrides (YAML): `tzsim calibrate --emit-overrides`. */
void calibrate_print_step_overrides(const struct calibrate_steps *st, FILE *out);
/* @st as a table (part of `tzsim calibrate`'s output). */
void calibrate_print_steps(const struct calibrate_steps *st, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
