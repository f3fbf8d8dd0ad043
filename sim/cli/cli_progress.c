// SPDX-License-Identifier: BSD-3-Clause
/*
 * The progress line: one line on stderr, redrawn in place (\r, erase to
 * the end of the line) at most five times a second, and erased before
 * anything else is printed. Only on a terminal: a redirected stderr, a
 * pipe, a CI log or `--json`/`--quiet` get nothing, so no output that a
 * program reads ever changes.
 *
 *   tzsim run:     simulated 41.2 ms of 100.0 ms, 1042 notifications, 41%, ETA 0:03
 *   tzsim compare: 5 of 12 runs done, 2 running, simulated 0.61 s, 3051 notifications, 47%, ETA 0:08
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli/cli.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(struct cli_progress *p, int total, bool wanted)
{
	memset(p, 0, sizeof(*p));
	p->on = wanted && isatty(STDERR_FILENO);
	p->t0 = now_s();
	p->total = total;
	if (p->on && total > 1 && !(p->cur = calloc((size_t)total, sizeof(*p->cur))))
		p->on = false;
}

/* " ETA m:ss" from the fraction done, once there is enough to go by. */
static void eta(char *buf, size_t len, double elapsed, double frac)
{
	if (frac < 0.01 || elapsed < 0.5) {
		snprintf(buf, len, ", ETA -:--");
		return;
	}
	double left = elapsed * (1 - frac) / frac;
	if (left < 0)
		left = 0;
	if (left >= 3600)
		snprintf(buf, len, ", ETA %d:%02d:%02d", (int)(left / 3600), (int)(left / 60) % 60, (int)left % 60);
	else
		snprintf(buf, len, ", ETA %d:%02d", (int)(left / 60), (int)left % 60);
}

/* Simulated time: ms, or s from 10 s on. */
static const char *sim_time_str(char *buf, size_t len, double ps)
{
	if (ps < 10e12)
		snprintf(buf, len, "%.1f ms", ps / 1e9);
	else
		snprintf(buf, len, "%.2f s", ps / 1e12);
	return buf;
}

static void show(struct cli_progress *p, const char *line)
{
	/* \r, the line, erase what an earlier, longer line left */
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	p->shown = true;
}

void cli_progress_run(void *ctx, const struct run_progress *rp)
{
	struct cli_progress *p = ctx;
	char line[200], e[40];
	double t = now_s();
	if (!p->on || t - p->last < 0.2)
		return;
	p->last = t;
	eta(e, sizeof(e), t - p->t0, rp->fraction);
	char a[32];
	if (rp->end) {
		char b[32];
		snprintf(line, sizeof(line), "tzsim run: simulated %s of %s, %llu notifications, %.0f%%%s",
			 sim_time_str(a, sizeof(a), (double)rp->now), sim_time_str(b, sizeof(b), (double)rp->end),
			 (unsigned long long)rp->sent, 100 * rp->fraction, e);
	} else {
		snprintf(line, sizeof(line), "tzsim run: simulated %s, %llu of %llu notifications, %.0f%%%s",
			 sim_time_str(a, sizeof(a), (double)rp->now), (unsigned long long)rp->sent,
			 (unsigned long long)rp->goal, 100 * rp->fraction, e);
	}
	show(p, line);
}

void cli_progress_runs(struct cli_progress *p)
{
	char line[240], e[40];
	double t = now_s(), frac = p->done, sim = p->sim_s, notifs = p->notifs;
	if (!p->on || t - p->last < 0.2)
		return;
	p->last = t;
	/* the running ones count with their own fraction */
	for (int i = 0; p->cur && i < p->total; i++) {
		frac += p->cur[i].fraction;
		sim += (double)p->cur[i].now / 1e12;
		notifs += (double)p->cur[i].sent;
	}
	frac /= p->total > 0 ? p->total : 1;
	eta(e, sizeof(e), t - p->t0, frac);
	snprintf(line, sizeof(line), "tzsim compare: %d of %d runs done, %d running, simulated %.2f s, %.0f notifications, %.0f%%%s",
		 p->done, p->total, p->running, sim, notifs, 100 * frac, e);
	show(p, line);
}

void cli_progress_end(struct cli_progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	free(p->cur);
	p->cur = NULL;
	p->shown = false;
}
