/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/out/out.h: the run's output files, written as trace sinks.
 *
 * Each writer is opened on a path before the run, attached to the trace
 * with sim_trace_add_sink(tr, out_X_sink, w), fed every record as it is
 * emitted, and closed after the run: out_X_close(w, true) moves the file
 * into place, out_X_close(w, false) throws it away. Files are written
 * through sim/out/atomic_file.h, so a failed or interrupted run never leaves a
 * partial output file. Nothing holds the record stream in memory: a writer
 * keeps only a write buffer and O(CPUs + signals + open notifications) of
 * state, whatever the run's length.
 *
 *   CSV       sim_rec_csv_header, then one sim_rec_csv line per record.
 *   Perfetto  Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing):
 *             pid = world (0 Normal, 1 Secure, 2 EL3, 3 GIC, 4 Devices),
 *             tid = CPU. TR_ACTIVITY becomes non-overlapping X slices,
 *             interrupt/SMC/PSCI/power/... records instants, TR_COUNTER
 *             counters, TR_NOTIF instants plus s/t/f flow arrows per
 *             notification id. ts are microseconds printed exactly from
 *             picoseconds (6 decimals).
 *   VCD       the signals registered in the trace (tr->sig[]) before
 *             out_vcd_open, $timescale 1ps; TR_WIRE / TR_VALUE changes.
 *
 * A sink cannot return an error: a writer remembers the first failure
 * (write error, out of memory) and its close returns -1 (and removes the
 * file) even when asked to commit.
 *
 * Library code: never prints, never exits.
 */
#ifndef SIM_OUT_H
#define SIM_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/stats/hist.h"
#include "sim/kernel/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OUT_NWORLDS 5 /* enum sim_world */

/* What the run was; copied by the writers at open (pointers need not outlive the call). */
struct out_meta {
	const char *scenario;                  /* NULL: "" */
	int ncpus;                             /* CPUs (Perfetto tracks cpu0..ncpus-1) */
	uint64_t seed;
	const char *world_label[OUT_NWORLDS];  /* Perfetto process names; NULL: default */
};

/* Default process name of a world ("Normal world", ..., "Devices"). */
const char *out_world_label(const struct out_meta *meta, unsigned world);

/*
 * Every open function returns the writer, or NULL with a message in @err
 * (cannot create the directory or the temporary file, out of memory).
 * @tr is read at open only (the VCD writer's signal list); it may be NULL
 * for CSV and Perfetto. Every close returns 0 when the file is in place,
 * -1 when @commit was false or any write failed (nothing left behind
 * either way); the writer is freed in both cases. NULL is accepted.
 */
struct out_csv;
struct out_csv *out_csv_open(const char *path, const struct sim_trace *tr, const struct out_meta *meta,
			     char *err, size_t errlen);
void out_csv_sink(void *ctx, const struct sim_rec *r);
int out_csv_close(struct out_csv *w, bool commit);

struct out_perfetto;
struct out_perfetto *out_perfetto_open(const char *path, const struct sim_trace *tr,
				       const struct out_meta *meta, char *err, size_t errlen);
void out_perfetto_sink(void *ctx, const struct sim_rec *r);
int out_perfetto_close(struct out_perfetto *w, bool commit);

/*
 * The VCD declares the signals registered in @tr (required) at open; a
 * change of a signal registered later is ignored. Changes that do not
 * change a signal's value are not written.
 */
struct out_vcd;
struct out_vcd *out_vcd_open(const char *path, const struct sim_trace *tr, const struct out_meta *meta,
			     char *err, size_t errlen);
void out_vcd_sink(void *ctx, const struct sim_rec *r);
int out_vcd_close(struct out_vcd *w, bool commit);

/*
 * Write <dir>/<metric>.hgrm (sim_hist_write_hgrm in ns) atomically,
 * creating @dir. Returns 0 or -1 (errno set).
 */
int out_hgrm_write(const char *dir, const char *metric, const struct sim_hist *h);

/*
 * Write the summary CSV `metric,count,min,p50,p90,p99,p99.9,max,mean`, one
 * row per histogram, times in microseconds with 3 decimals (rounded to the
 * nearest ns), atomically. Returns 0 or -1 (errno set).
 */
int out_summary_csv(const char *path, const char *const *metric_names, struct sim_hist *const *hists, int n);

#ifdef __cplusplus
}
#endif
#endif
