/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/stats/metrics.h: the names a scenario's expect: checks may use.
 *
 *  counts:   notifications delivered coalesced late lost spurious
 *            eth_limit cq_waits foreign_intr irqs smc world_switches
 *            smc_per_notification world_switches_per_notification
 *            secure_irqs sgi_dropped bus_errors wait_refused
 *  time:     time.normal time.secure time.el3 time.idle (busy time summed over CPUs)
 *  latency:  latency.<span>.<stat>
 *            span: e2e top_half send_to_pending pending_to_taken taken_to_fetched
 *                  fetched_to_bh_ctx bh_ctx_to_enter bottom_half send_to_bh
 *            stat: count min mean p50 p90 p99 p999 max
 *  workload: workload.<name>.latency.<stat> (a ta_invoke workload's response time)
 *            workload.<name>.wake.<stat> (a waiting one's: source interrupt to the
 *            TA running again after notif_wait)
 * Latencies and times are in picoseconds internally; expect values carry a
 * time unit (`40us`).
 */
#ifndef SIM_METRICS_H
#define SIM_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum sim_metric_kind { SIM_METRIC_UNKNOWN = 0, SIM_METRIC_COUNT, SIM_METRIC_RATIO, SIM_METRIC_TIME };

/* The counts and the ratios listed above, in that order, each list NULL-terminated (run --json prints them so). */
extern const char *const sim_metric_counts[];
extern const char *const sim_metric_ratios[];
/* The CPU-time metrics ("time.normal", ...) and the statistics a latency metric ends with ("p99", ...), likewise. */
extern const char *const sim_metric_times[];
extern const char *const sim_metric_stats[];

/* What kind of value @name is (SIM_METRIC_UNKNOWN for a name not listed above). */
enum sim_metric_kind sim_metric_kind(const char *name);
/*
 * Split "workload.<name>.latency.<stat>" or "workload.<name>.wake.<stat>":
 * the workload's name (@wl, @wl_len), whether it is the wake-up, the stat.
 * False when @metric has another shape.
 */
bool sim_metric_workload(const char *metric, const char **wl, size_t *wl_len, bool *wake, const char **stat);

#define SIM_SPAN_TABLE(X)                                                       \
	X(E2E, "e2e", NOTIF_SOURCE, NOTIF_BH_ENTER)                             \
	X(TOP_HALF, "top_half", NOTIF_SOURCE, NOTIF_TOP_HALF)                   \
	X(SEND_TO_PENDING, "send_to_pending", NOTIF_SEND, NOTIF_NS_PENDING)     \
	X(PENDING_TO_TAKEN, "pending_to_taken", NOTIF_NS_PENDING, NOTIF_NS_TAKEN) \
	X(TAKEN_TO_FETCHED, "taken_to_fetched", NOTIF_NS_TAKEN, NOTIF_FETCHED)  \
	X(FETCHED_TO_BH_CTX, "fetched_to_bh_ctx", NOTIF_FETCHED, NOTIF_BH_CTX)  \
	X(BH_CTX_TO_ENTER, "bh_ctx_to_enter", NOTIF_BH_CTX, NOTIF_BH_ENTER)     \
	X(BOTTOM_HALF, "bottom_half", NOTIF_BH_ENTER, NOTIF_BH_DONE)            \
	X(SEND_TO_BH, "send_to_bh", NOTIF_SEND, NOTIF_BH_ENTER)

enum sim_span {
#define X(id, name, from, to) SIM_SPAN_##id,
	SIM_SPAN_TABLE(X)
#undef X
	SIM_SPAN_COUNT
};

const char *sim_span_name(enum sim_span s);

#ifdef __cplusplus
}
#endif
#endif
