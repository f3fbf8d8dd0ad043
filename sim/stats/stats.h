/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/stats/stats.h: what a run measured, computed from the trace stream alone.
 *
 * A trace sink follows each notification through its stages (TR_NOTIF
 * records by id from the TEE; the NS interrupt's pend from TR_GIC_FWD of
 * the notification INTID and its taking and bottom-half context from the
 * REE's id-less TR_NOTIF records, applied to the notifications waiting for
 * that stage), and classifies it:
 *  - delivered: its DO_BOTTOM_HALF entered the TEE, or, for a value other
 *    than DO_BOTTOM_HALF, Linux's optee_notif_send() ran for it (the id-less
 *    BH_ENTER record the REE emits there; docs/protocol.md §9.6);
 *  - late: delivered, but an interrupt on its path waited for a CPU that
 *    was down (CPU_OFF or CPU_SUSPEND): the NS interrupt was pending on a
 *    CPU that was down or went down, and was taken there after it powered
 *    up again, or
 *    the secure source's interrupt was taken by a CPU that powered up after
 *    the source asserted;
 *  - coalesced: sent while the same value was still pending;
 *  - lost: never delivered by the end of the run (after the drain).
 * It also counts SMCs and world switches (all, and those on a
 * notification's path: pe->notif tagged), interrupts, ETHREAD_LIMIT,
 * spurious notification interrupts, and the time each CPU spent per world.
 * The summary table says why there is no latency when no notification was
 * sent (no secure source fired, or OP-TEE sent none) instead of printing zeros.
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/stats/hist.h"
#include "sim/stats/metrics.h"
#include "sim/kernel/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_stats;

struct sim_stats *stats_new(unsigned ncpus, int notif_intid);
void stats_free(struct sim_stats *s);
void stats_sink(void *ctx, const struct sim_rec *r);
/*
 * Attach the statistics to @tr: what stats_sink does, as one sink per kind
 * (sim_trace_add_sinks), so no record pays a dispatch on its kind.
 * Returns 0, or -1 (nothing added) when one of those kinds has
 * SIM_TRACE_MAX_SINKS sinks already.
 */
int stats_attach(struct sim_stats *s, struct sim_trace *tr);
/* Per-notification CSV rows go to @f as notifications close (NULL: none). */
void stats_set_notif_csv(struct sim_stats *s, FILE *f);
/*
 * Close the run at @end: every open notification not delivered is lost;
 * the time.* metrics (sums of stats_cpu_time) are complete from here on.
 */
void stats_finish(struct sim_stats *s, sim_time end);

/* The CPUs counted (the platform's, at most 64). */
unsigned stats_ncpus(const struct sim_stats *s);
/*
 * The time CPU @cpu spent busy in the normal world (@what 0), the secure
 * world (1), EL3 (2), or powered on and idle (3), in ps; what time.normal,
 * time.secure, time.el3 and time.idle sum over the CPUs. 0 for a CPU or
 * @what out of range. Complete after stats_finish.
 */
sim_time stats_cpu_time(const struct sim_stats *s, unsigned cpu, unsigned what);

/* Notifications sent but not yet delivered (the drain waits for 0). */
uint64_t stats_undelivered(const struct sim_stats *s);
uint64_t stats_sent(const struct sim_stats *s);
/* Where stats_sent's count lives, for sim_run_watch: it changes as records arrive. */
const uint64_t *stats_sent_counter(const struct sim_stats *s);
/*
 * 0, or -ENOMEM once the statistics could not grow (a notification is then
 * missing from them): sticky, as sim/kernel/err.h describes; the run
 * driver reports the run incomplete. Name it with sim_strerror.
 */
int stats_error(const struct sim_stats *s);

/* A metric by name (sim/stats/metrics.h). Returns false for an unknown name. */
bool stats_metric(const struct sim_stats *s, const char *name, double *v);
const struct sim_hist *stats_span(const struct sim_stats *s, enum sim_span span);
/* The SMC function IDs on notification @n's path (1-based), in order. */
unsigned stats_smc_sequence(const struct sim_stats *s, unsigned n, uint32_t *out, unsigned max);

/* The terminal summary table. */
void stats_print_summary(const struct sim_stats *s, FILE *f);

#define STATS_MAX_WORKLOADS 32
/*
 * stats_add_workload - register workload @name (the index is the one the
 * TA request/done records carry: register every workload, in the model's
 * order). @ta: it makes TA invocations, so it has a response time
 * (workload.<name>.latency.*). Returns the index, or -1 (table full, or out
 * of memory).
 */
int stats_add_workload(struct sim_stats *s, const char *name, bool ta);
unsigned stats_workloads(const struct sim_stats *s);
/* Workload @i's TA waits for a notification value: it has a wake-up time (workload.<name>.wake.*). */
void stats_workload_waits(struct sim_stats *s, unsigned i);
/* Why Linux's OP-TEE driver did not probe, or NULL when it did. */
const char *stats_probe_failed(const struct sim_stats *s);
/* Workload @i's name and requests; false when @i is not a TA workload. */
bool stats_workload(const struct sim_stats *s, unsigned i, const char **name, uint64_t *requests);

extern const char stats_notif_csv_header[];

#ifdef __cplusplus
}
#endif
#endif
