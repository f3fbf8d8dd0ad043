/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/stats/result.h: a run's measured result as data, and as a text file.
 *
 * What `tzsim compare` ships back from each run's process, what a sweep's
 * job writes (`tzsim run --result FILE`) and `tzsim merge` reads, and what
 * the HTML report is drawn from: the outcome counts, the SMCs and world
 * switches per notification, each CPU's time per world, and the latency
 * histogram of every stage, whole (not rounded percentiles), so that the
 * table and the report rebuilt from the file are those of the run, exactly.
 *
 * The text form is line-oriented and versioned:
 *
 *   tzsim-result 1
 *   scenario default
 *   seed 1
 *   status 0 0                  status (enum run_status), failed expect checks
 *   msg <text, C-escaped>       why, when status != 0
 *   transport spi 219 edge
 *   time 104003000000           simulated time, boot included, in ps
 *   measured 1                  0: nothing ran (bad input); no counts follow
 *   counts notifications=253 delivered=252 ...
 *   per_notification smc=0x1.4p+2 ws=0x1.4p+2     (C99 hex doubles: exact)
 *   cpus 4
 *   cpu 0 <normal> <secure> <el3> <idle>            ps
 *   span e2e n=252 min=... b=...                    sim_hist_save
 *   end
 *
 * Library code: never prints, never exits; no global state.
 */
#ifndef SIM_STATS_RESULT_H
#define SIM_STATS_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/kernel/time.h"
#include "sim/stats/hist.h"
#include "sim/stats/metrics.h"

#ifdef __cplusplus
extern "C" {
#endif

#define STATS_RESULT_MAX_CPUS 64
#define STATS_RESULT_VERSION 1

struct sim_stats;

/* The outcome counts, in the order of the file's `counts` line. */
#define STATS_RESULT_COUNTS(X)                                                               \
	X(notifications) X(delivered) X(coalesced) X(late) X(lost) X(spurious) X(eth_limit) \
	X(foreign_intr) X(secure_irqs) X(smc) X(world_switches)

struct stats_result {
	/* the run: set by the caller */
	int status;        /* enum run_status */
	unsigned n_failed; /* failed expect checks */
	char msg[1536];    /* why, when status != 0 */
	char scenario[65];
	uint64_t seed;
	char transport[64]; /* the effective transport, "spi 219 edge" */
	sim_time sim_end;   /* simulated time, boot included */
	/* measured: stats_result_fill */
	bool measured;
#define X(name) uint64_t name;
	STATS_RESULT_COUNTS(X)
#undef X
	double smc_per_notif, ws_per_notif;
	unsigned ncpus;
	sim_time cpu_time[STATS_RESULT_MAX_CPUS][4]; /* normal, secure, EL3, idle */
	struct sim_hist *span[SIM_SPAN_COUNT];       /* owned */
};

/* A new empty result (its histograms allocated), or NULL when out of memory. */
struct stats_result *stats_result_new(void);
void stats_result_free(struct stats_result *r);
/* Empty again, as new (no allocation). */
void stats_result_reset(struct stats_result *r);

/* Copy what @st measured (counts, ratios, CPU times, histograms) into @r; sets measured. */
void stats_result_fill(struct stats_result *r, const struct sim_stats *st);

/*
 * Add @src's measurements to @dst: counts, CPU times and simulated time
 * summed, histograms merged (the ratios are not touched: average them
 * yourself). For a variant's runs over several seeds.
 */
void stats_result_add(struct stats_result *dst, const struct stats_result *src);

/* Write @r in the text form above. Returns 0, or -1 when a write to @f failed. */
int stats_result_write(const struct stats_result *r, FILE *f);

/*
 * Parse the text form at @text (NUL-terminated) into @r (reset first).
 * Returns 0, or -1 with a message in @err ("line 7: ...") when the text is
 * not a result of this version, a line is malformed, or it is cut short
 * (no `end` line).
 */
int stats_result_read(struct stats_result *r, const char *text, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
