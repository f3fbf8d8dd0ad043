/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/out/report.h: the HTML report of a run or a comparison.
 *
 * One self-contained HTML file: inline SVG and CSS, no script, no font or
 * anything else fetched, so it opens anywhere (a browser offline, a CI
 * artifact viewer) and prints. Its figures, one series per variant:
 *
 *   - the end-to-end latency CDF on a log time axis, p50, p99 and max
 *     marked on each curve (svg#plot-cdf);
 *   - the median of each stage on the way, stacked per variant, with the
 *     e2e median marked (svg#plot-stages), and the same numbers as a table;
 *   - the outcome counts (delivered, coalesced, late, lost, spurious) and
 *     the SMCs and world switches per notification, as a table;
 *   - each CPU's busy time by world, normal / secure / EL3 (svg#plot-cpu);
 *   - the scenario text and the command that made the report.
 *
 * Series differ by dash pattern and marker shape as well as by colour
 * (Okabe-Ito, safe for colour-blind readers), and stacked segments by a
 * hatch pattern as well as by colour, so a greyscale print still tells
 * them apart. Every axis names its unit. The file depends only on its
 * input: no date, host or wall time, so the report of `tzsim merge` equals
 * that of `tzsim compare` on the same runs, byte for byte.
 *
 * Library code: never prints to stdout, never exits.
 */
#ifndef SIM_OUT_REPORT_H
#define SIM_OUT_REPORT_H

#include <stdio.h>

#include "sim/stats/result.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One variant: its runs' measurements combined. */
struct report_series {
	const char *label;     /* the variant as the table names it ("spi") */
	const char *transport; /* its effective transport ("spi 219 edge") */
	unsigned runs;         /* runs measured (seeds) */
	/* stats_result_add over the runs: counts, CPU times and simulated time summed, histograms merged */
	const struct stats_result *sum;
	double smc_per_notif, ws_per_notif; /* the mean over the runs */
};

struct report {
	const char *title;         /* the scenario's name */
	const char *what;          /* "transport.kind over 3 seeds (from 7)", "seed 1" */
	const char *command;       /* the command line that made the report (may be NULL) */
	const char *scenario_path; /* as given */
	const char *scenario_text; /* the file's text (NULL: not shown) */
	const struct report_series *series;
	unsigned n;
};

/*
 * Write the report of @r to @f. Series with no delivered notification
 * are listed but drawn as empty. Returns 0, or -1 when a write failed.
 */
int report_write_html(const struct report *r, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
