// SPDX-License-Identifier: BSD-3-Clause
#include <string.h>

#include "sim/stats/metrics.h"

static const char *const span_names[SIM_SPAN_COUNT] = {
#define X(id, name, from, to) name,
	SIM_SPAN_TABLE(X)
#undef X
};

const char *sim_span_name(enum sim_span s) { return span_names[s]; }

const char *const sim_metric_counts[] = {
	"notifications", "delivered", "coalesced", "late", "lost", "spurious", "eth_limit",
	"cq_waits", "foreign_intr", "irqs", "smc", "world_switches", "secure_irqs", "sgi_dropped", "bus_errors", "wait_refused", NULL,
};
const char *const sim_metric_ratios[] = { "smc_per_notification", "world_switches_per_notification", NULL };
const char *const sim_metric_times[] = { "time.normal", "time.secure", "time.el3", "time.idle", NULL };
const char *const sim_metric_stats[] = { "count", "min", "mean", "p50", "p90", "p99", "p999", "max", NULL };

static bool in(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && !strncmp(*list, s, n))
			return true;
	return false;
}

bool sim_metric_workload(const char *metric, const char **wl, size_t *wl_len, bool *wake, const char **stat)
{
	const char *w = metric + 9, *end = NULL, *st = NULL;
	bool wk = false;
	if (strncmp(metric, "workload.", 9))
		return false;
	/* the last ".latency." or ".wake." ends the name: a workload's name may contain dots */
	for (const char *q = w; (q = strchr(q, '.')); q++) {
		if (!strncmp(q, ".latency.", 9))
			end = q, st = q + 9, wk = false;
		else if (!strncmp(q, ".wake.", 6))
			end = q, st = q + 6, wk = true;
	}
	if (!end || end == w || strchr(st, '.'))
		return false;
	*wl = w;
	*wl_len = (size_t)(end - w);
	*wake = wk;
	*stat = st;
	return true;
}

enum sim_metric_kind sim_metric_kind(const char *name)
{
	size_t n = strlen(name);
	if (in(sim_metric_counts, name, n))
		return SIM_METRIC_COUNT;
	if (in(sim_metric_ratios, name, n))
		return SIM_METRIC_RATIO;
	if (in(sim_metric_times, name, n))
		return SIM_METRIC_TIME;
	if (!strncmp(name, "latency.", 8)) {
		const char *span = name + 8, *dot = strrchr(span, '.');
		if (!dot)
			return SIM_METRIC_UNKNOWN;
		bool ok = false;
		for (int i = 0; i < SIM_SPAN_COUNT; i++)
			if (strlen(span_names[i]) == (size_t)(dot - span) &&
			    !strncmp(span_names[i], span, (size_t)(dot - span)))
				ok = true;
		if (!ok || !in(sim_metric_stats, dot + 1, strlen(dot + 1)))
			return SIM_METRIC_UNKNOWN;
		return strcmp(dot + 1, "count") ? SIM_METRIC_TIME : SIM_METRIC_COUNT;
	}
	/*
	 * workload.<name>.latency.<stat> and workload.<name>.wake.<stat>: the
	 * loader checks that <name> is a ta_invoke workload (that waits, for wake)
	 */
	if (!strncmp(name, "workload.", 9)) {
		const char *wl, *st;
		size_t wl_len;
		bool wake;
		if (!sim_metric_workload(name, &wl, &wl_len, &wake, &st) || !in(sim_metric_stats, st, strlen(st)))
			return SIM_METRIC_UNKNOWN;
		return strcmp(st, "count") ? SIM_METRIC_TIME : SIM_METRIC_COUNT;
	}
	return SIM_METRIC_UNKNOWN;
}
