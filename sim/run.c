// SPDX-License-Identifier: BSD-3-Clause
/* sim/run.c: one run of a scenario (see run.h). */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/run.h"
#include "models/cpu/isa_rt.h"
#include "sim/out/atomic_file.h"
#include "sim/out/digest.h"
#include "sim/stats/metrics.h"
#include "sim/stats/notif_assoc.h"
#include "sim/out/out.h"
#include "sim/platform.h"
#include "sim/kernel/err.h"
#include "sim/kernel/symbolize.h"
#include "sim/smc_names.h"
#include "sim/stats/stats.h"
#include "sim/stats/check.h"

/*
 * A metric's value. The names are fixed here or were checked against
 * sim_metric_kind() when the scenario loaded, so an unknown one is a wiring
 * bug: a metric renamed in sim/stats but not here, or missing from stats_metric.
 */
static double metric(const struct sim_stats *st, const char *name)
{
	double v = 0;
	bool known = stats_metric(st, name, &v);
	assert(known && "a metric that sim/stats does not know");
	(void)known;
	return v;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Where expect[@i] was written: "file:line:col", or "file: expect[i] (--vary)"
 * for a check made by an override (its position is line 0).
 */
static void expect_where(char *buf, size_t len, const struct scenario *sc, unsigned i)
{
	const struct scenario_expect *e = &sc->expect[i];
	if (e->pos.line)
		snprintf(buf, len, "%s:%u:%u", sc->path, e->pos.line, e->pos.col);
	else
		snprintf(buf, len, "%s: expect[%u] (--vary)", sc->path, i);
}

int run_check_names(const struct scenario *sc, char *msg, size_t len)
{
	for (unsigned i = 0; i < sc->n_expect; i++) {
		const struct scenario_expect *e = &sc->expect[i];
		if (e->kind != SCENARIO_EXPECT_SMC_SEQUENCE)
			continue;
		for (unsigned k = 0; k < e->smc_count; k++) {
			const struct scenario_smc_fn *f = &sc->smc_fns[e->smc_first + k];
			uint32_t id;
			if (f->name[0] && !smc_name_lookup(f->name, &id)) {
				if (e->pos.line)
					snprintf(msg, len, "%s:%u:%u: expect[%u].smc_sequence[%u]: unknown SMC function '%s'",
						 sc->path, e->pos.line, e->pos.col, i, k, f->name);
				else
					snprintf(msg, len, "%s: expect[%u].smc_sequence[%u] (--vary): unknown SMC function '%s'",
						 sc->path, i, k, f->name);
				return 2;
			}
		}
	}
	return 0;
}

/* The Perfetto writer reads the stream through notif_assoc, so flows include the NS stages. */
struct pf_feed {
	struct notif_assoc assoc;
	struct out_perfetto *w;
};

static void pf_feed_sink(void *ctx, const struct sim_rec *r)
{
	struct pf_feed *f = ctx;
	notif_assoc_feed(&f->assoc, r, out_perfetto_sink, f->w);
}

static bool booted_cond(void *ctx)
{
	struct platform *p = ctx;
	return !p->booted && sim_now(p->sim.k) < RUN_BOOT_LIMIT;
}

struct notif_goal {
	struct platform *p;
	uint64_t n, last;
	sim_time last_at;
	sim_time recheck; /* sim_run_watch: the answer holds until then (or a send) */
	bool stalled;
	const struct run_opts *o; /* progress */
	unsigned calls;
};

/* Until N notifications were sent, or none has come for RUN_STALL of simulated time. */
static bool sent_cond(void *ctx)
{
	struct notif_goal *g = ctx;
	uint64_t sent = stats_sent(g->p->stats);
	sim_time now = sim_now(g->p->sim.k);
	if (sent != g->last) {
		g->last = sent;
		g->last_at = now;
		g->recheck = now > SIM_TIME_MAX - RUN_STALL ? SIM_TIME_MAX : now + RUN_STALL;
	} else if (now - g->last_at > RUN_STALL) {
		g->stalled = true;
		return false;
	}
	return sent < g->n;
}

/* sent_cond, and every 4096 events the progress hook (a condition of its own: no cost without it) */
static bool sent_cond_progress(void *ctx)
{
	struct notif_goal *g = ctx;
	if (!(++g->calls & 4095)) {
		uint64_t sent = stats_sent(g->p->stats);
		struct run_progress pr = { sim_now(g->p->sim.k) - g->p->boot_time, 0, sent, g->n,
					   (double)sent / (double)g->n };
		g->o->progress(g->o->hook_ctx, &pr);
	}
	return sent_cond(ctx);
}

struct drain {
	struct platform *p;
	sim_time until;
};

static bool drain_cond(void *ctx)
{
	struct drain *d = ctx;
	return stats_undelivered(d->p->stats) > 0 && sim_now(d->p->sim.k) < d->until;
}

static bool cmp(double a, enum scenario_op op, double b)
{
	switch (op) {
	case SCENARIO_LT:
		return a < b;
	case SCENARIO_LE:
		return a <= b;
	case SCENARIO_GT:
		return a > b;
	case SCENARIO_GE:
		return a >= b;
	case SCENARIO_EQ:
		return a == b;
	case SCENARIO_NE:
		return a != b;
	}
	return false;
}

static void fmt_value(char *buf, size_t len, int kind, double v)
{
	if (kind == SIM_METRIC_TIME)
		snprintf(buf, len, "%.3fus", v / 1e6);
	else if (kind == SIM_METRIC_RATIO)
		snprintf(buf, len, "%.3f", v);
	else
		snprintf(buf, len, "%.0f", v);
}

static void check_expectations(const struct scenario *sc, const struct sim_stats *st, struct run_result *res,
			       FILE *out)
{
	size_t used = strlen(res->msg);
	for (unsigned i = 0; i < sc->n_expect; i++) {
		const struct scenario_expect *e = &sc->expect[i];
		char line[4096], where[SCENARIO_PATH_MAX + 32];
		bool ok;
		res->n_expect++;
		expect_where(where, sizeof(where), sc, i);
		if (e->kind == SCENARIO_EXPECT_METRIC) {
			double v = metric(st, e->metric);
			char got[64];
			ok = cmp(v, e->op, e->value);
			if (i < 64) {
				res->expect_value[i] = v;
				if (e->metric_kind == SIM_METRIC_COUNT)
					res->expect_count |= 1ull << i;
			}
			fmt_value(got, sizeof(got), e->metric_kind, v);
			snprintf(line, sizeof(line), "%s: expect %s: %s (measured %s)", where, ok ? "ok" : "FAILED",
				 e->text, got);
		} else {
			uint32_t seq[SCENARIO_MAX_SMC_SEQ], want[SCENARIO_MAX_SMC_SEQ] = { 0 };
			unsigned n = stats_smc_sequence(st, e->notification, seq, SCENARIO_MAX_SMC_SEQ), m = e->smc_count;
			char have[512] = "", wanted[512] = "";
			for (unsigned k = 0; k < m; k++) {
				const struct scenario_smc_fn *f = &sc->smc_fns[e->smc_first + k];
				want[k] = f->id;
				if (f->name[0])
					(void)smc_name_lookup(f->name, &want[k]); /* known: run_check_names */
			}
			ok = n == m && !memcmp(seq, want, m * sizeof(*seq));
			for (unsigned k = 0; k < n; k++) {
				const char *nm = smc_name(seq[k]);
				size_t l = strlen(have);
				snprintf(have + l, sizeof(have) - l, "%s%s", k ? ", " : "", nm ? nm : "?");
				if (!nm) {
					l = strlen(have) - 1;
					snprintf(have + l, sizeof(have) - l, "0x%08X", seq[k]);
				}
			}
			for (unsigned k = 0; k < m; k++) {
				const char *nm = smc_name(want[k]);
				size_t l = strlen(wanted);
				if (nm)
					snprintf(wanted + l, sizeof(wanted) - l, "%s%s", k ? ", " : "", nm);
				else /* an id given as 0x... that has no name */
					snprintf(wanted + l, sizeof(wanted) - l, "%s0x%08X", k ? ", " : "", want[k]);
			}
			snprintf(line, sizeof(line), "%s: expect %s: notification %u SMC sequence [%s] (measured [%s])",
				 where, ok ? "ok" : "FAILED", e->notification, wanted, have);
		}
		if (!ok) {
			res->n_failed++;
			if (i < 64)
				res->expect_failed |= 1ull << i;
			if (used + strlen(line) + 2 < sizeof(res->msg)) {
				used += (size_t)snprintf(res->msg + used, sizeof(res->msg) - used, "%s%s",
							 used ? "\n" : "", line);
			}
		}
		if (out && (!ok || !res->quiet_ok))
			fprintf(out, "%s\n", line);
	}
}

static void print_json(FILE *f, const struct scenario *sc, const struct sim_stats *st, const struct run_result *res,
		       uint64_t seed)
{
	static const char *const stats[] = { "count", "min", "mean", "p50", "p90", "p99", "p999", "max", NULL };
	double v;
	fprintf(f, "{\"scenario\":\"%s\",\"seed\":%" PRIu64 ",\"status\":%d,\"sim_time_ps\":%" PRIu64
		   ",\"wall_s\":%.3f,\"digest\":\"%016" PRIx64 "\",\"records\":%" PRIu64 ",\"metrics\":{",
		sc->name, seed, res->status, res->sim_end, res->wall_s, res->digest, res->records);
	/* every count, then every ratio (sim/stats/metrics.h) */
	for (int l = 0, k = 0; l < 2; l++) {
		const char *const *names = l ? sim_metric_ratios : sim_metric_counts;
		for (int i = 0; names[i]; i++, k++) {
			v = metric(st, names[i]);
			fprintf(f, "%s\"%s\":%.6g", k ? "," : "", names[i], v);
		}
	}
	for (const char *t = "normal"; t; t = !strcmp(t, "normal") ? "secure" : !strcmp(t, "secure") ? "el3" : !strcmp(t, "el3") ? "idle" : NULL) {
		char name[32];
		snprintf(name, sizeof(name), "time.%s", t);
		v = metric(st, name);
		fprintf(f, ",\"%s_us\":%.3f", name, v / 1e6);
	}
	fprintf(f, "},\"latency_us\":{");
	for (int i = 0; i < SIM_SPAN_COUNT; i++) {
		fprintf(f, "%s\"%s\":{", i ? "," : "", sim_span_name((enum sim_span)i));
		for (int k = 0; stats[k]; k++) {
			char name[64];
			snprintf(name, sizeof(name), "latency.%s.%s", sim_span_name((enum sim_span)i), stats[k]);
			v = metric(st, name);
			fprintf(f, "%s\"%s\":%.6g", k ? "," : "", stats[k], k ? v / 1e6 : v);
		}
		fputc('}', f);
	}
	fprintf(f, "},\"workloads\":{");
	for (unsigned i = 0, k = 0; i < stats_workloads(st); i++) {
		const char *name;
		uint64_t requests;
		if (!stats_workload(st, i, &name, &requests))
			continue;
		fprintf(f, "%s\"%s\":{\"requests\":%" PRIu64 ",\"latency_us\":{", k++ ? "," : "", name, requests);
		for (int j = 0; stats[j]; j++) {
			char m[96];
			snprintf(m, sizeof(m), "workload.%s.latency.%s", name, stats[j]);
			v = metric(st, m);
			fprintf(f, "%s\"%s\":%.6g", j ? "," : "", stats[j], j ? v / 1e6 : v);
		}
		fputc('}', f);
		/* a TA that waits for a value (wait_for): its wake-ups */
		char wm[96];
		snprintf(wm, sizeof(wm), "workload.%s.wake.count", name);
		if (stats_metric(st, wm, &v)) {
			fputs(",\"wake_us\":{", f);
			for (int j = 0; stats[j]; j++) {
				snprintf(wm, sizeof(wm), "workload.%s.wake.%s", name, stats[j]);
				v = metric(st, wm);
				fprintf(f, "%s\"%s\":%.6g", j ? "," : "", stats[j], j ? v / 1e6 : v);
			}
			fputc('}', f);
		}
		fputc('}', f);
	}
	fprintf(f, "},\"expect\":{\"checks\":%u,\"failed\":%u}}\n", res->n_expect, res->n_failed);
}

/* ---- the run's steps ------------------------------------------------------------------------ */

/* The output files while the run writes them: committed whole after it, or thrown away. */
struct run_outputs {
	unsigned trace; /* SCENARIO_TRACE_* */
	struct out_csv *csv;
	struct out_perfetto *pf;
	struct pf_feed pf_feed;
	struct out_vcd *vcd;
	struct atomic_file notif; /* notifications.csv, written by the statistics */
};

/* res for the @what that could not be attached to the run's trace (every slot of a kind taken): -1 */
static int sink_refused(const char *what, struct run_result *res)
{
	snprintf(res->msg, sizeof(res->msg), "cannot attach the %s to the trace (%d sinks at most)", what,
		 SIM_TRACE_MAX_SINKS);
	res->status = RUN_BAD_INPUT;
	return -1;
}

/* Attach a sink to the run's trace; -1 with res set when every slot is taken. */
static int add_sink(struct platform *p, sim_sink_fn fn, void *ctx, const char *what, struct run_result *res)
{
	return sim_trace_add_sink(p->sim.tr, fn, ctx) == 0 ? 0 : sink_refused(what, res);
}

/* Build the platform for @sc and attach the digest (and the capture). 0, or res->status set. */
static int run_build(struct platform *p, const struct scenario *sc, enum sim_backend backend, struct digest *dg,
		     const struct run_opts *o, struct run_result *res)
{
	char err[1024];
	if ((res->status = run_check_names(sc, res->msg, sizeof(res->msg))) != 0)
		return -1;
	if (platform_build(p, sc, backend, err, sizeof(err)) != 0) {
		snprintf(res->msg, sizeof(res->msg), "%s", err);
		res->status = RUN_BAD_INPUT;
		return -1;
	}
	if (o->stall_events)
		sim_kernel_set_stall_limit(p->sim.k, o->stall_events);
	if (digest_attach(dg, p->sim.tr) != 0) {
		snprintf(res->msg, sizeof(res->msg), "cannot attach the digest to the trace");
		res->status = RUN_BAD_INPUT;
		return -1;
	}
	if (o->capture && add_sink(p, digest_capture_sink, o->capture, "digest capture", res) != 0)
		return -1;
	return 0;
}

/* An output that cannot be written: the file and the system's reason. Returns -1. */
static int io_error(struct run_result *res, const char *path, const char *what, int e)
{
	snprintf(res->msg, sizeof(res->msg), "%s: cannot %s: %s", path, what, strerror(e ? e : EIO));
	res->status = RUN_IO_ERROR;
	return -1;
}

/*
 * Create res->out_dir, open the output files there (as temporary files) and
 * attach them to the trace. 0, or res->status set (RUN_IO_ERROR when the
 * directory or a file cannot be created).
 */
static int outputs_open(struct run_outputs *w, struct platform *p, const struct scenario *sc,
			const struct run_opts *o, struct run_result *res)
{
	struct out_meta meta = { sc->name, (int)p->ncpus, sc->seed, { NULL } };
	char err[1024], path[1200], variant[64];

	w->trace = o->trace_given ? o->trace : sc->outputs;
	if (o->out_dir)
		snprintf(res->out_dir, sizeof(res->out_dir), "%s", o->out_dir);
	else {
		snprintf(variant, sizeof(variant), "seed%" PRIu64, sc->seed);
		snprintf(res->out_dir, sizeof(res->out_dir), "traces/%s/%s", sc->name, o->variant ? o->variant : variant);
	}
	if (!res->out_dir[0]) {
		snprintf(res->msg, sizeof(res->msg), "the output directory is an empty path");
		res->status = RUN_BAD_INPUT;
		return -1;
	}
	if (atomic_file_mkdirs(res->out_dir) != 0)
		return io_error(res, res->out_dir, "create", errno);
	if (w->trace & SCENARIO_TRACE_CSV) {
		snprintf(path, sizeof(path), "%s/trace.csv", res->out_dir);
		if (!(w->csv = out_csv_open(path, p->sim.tr, &meta, err, sizeof(err))))
			goto fail;
		if (add_sink(p, out_csv_sink, w->csv, "CSV writer", res) != 0)
			return -1;
	}
	if (w->trace & SCENARIO_TRACE_PERFETTO) {
		snprintf(path, sizeof(path), "%s/trace.json", res->out_dir);
		if (!(w->pf = out_perfetto_open(path, p->sim.tr, &meta, err, sizeof(err))))
			goto fail;
		notif_assoc_init(&w->pf_feed.assoc, p->notif_intid);
		w->pf_feed.w = w->pf;
		if (add_sink(p, pf_feed_sink, &w->pf_feed, "Perfetto writer", res) != 0)
			return -1;
	}
	if (w->trace & SCENARIO_TRACE_VCD) {
		snprintf(path, sizeof(path), "%s/trace.vcd", res->out_dir);
		if (!(w->vcd = out_vcd_open(path, p->sim.tr, &meta, err, sizeof(err))))
			goto fail;
		if (add_sink(p, out_vcd_sink, w->vcd, "VCD writer", res) != 0)
			return -1;
	}
	snprintf(path, sizeof(path), "%s/notifications.csv", res->out_dir);
	if (atomic_file_open(&w->notif, path, err, sizeof(err)) != 0)
		goto fail;
	stats_set_notif_csv(p->stats, w->notif.f);
	return 0;
fail:
	/* the writers' message names the file and the reason */
	snprintf(res->msg, sizeof(res->msg), "%s", err);
	res->status = RUN_IO_ERROR;
	return -1;
}

/*
 * Move every output file into place, then write the latency summaries.
 * Stops at the first file that cannot be written: 0, or -1 with
 * res->status RUN_IO_ERROR (outputs_abort removes the rest).
 */
static int outputs_commit(struct run_outputs *w, struct platform *p, struct run_result *res)
{
	static const struct {
		unsigned flag;
		const char *file;
	} files[] = { { SCENARIO_TRACE_CSV, "trace.csv" }, { SCENARIO_TRACE_PERFETTO, "trace.json" },
		      { SCENARIO_TRACE_VCD, "trace.vcd" } };
	const char *names[SIM_SPAN_COUNT];
	struct sim_hist *hs[SIM_SPAN_COUNT];
	char mname[SIM_SPAN_COUNT][48], err[1024], path[1200];

	stats_set_notif_csv(p->stats, NULL);
	if (atomic_file_commit(&w->notif, err, sizeof(err)) != 0) {
		snprintf(res->msg, sizeof(res->msg), "%s", err); /* names the file and the reason */
		res->status = RUN_IO_ERROR;
		return -1;
	}
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int rc;
		if (!(w->trace & files[i].flag))
			continue;
		errno = 0;
		if (files[i].flag == SCENARIO_TRACE_CSV)
			rc = out_csv_close(w->csv, true), w->csv = NULL;
		else if (files[i].flag == SCENARIO_TRACE_PERFETTO)
			rc = out_perfetto_close(w->pf, true), w->pf = NULL;
		else
			rc = out_vcd_close(w->vcd, true), w->vcd = NULL;
		if (rc != 0) {
			snprintf(path, sizeof(path), "%s/%s", res->out_dir, files[i].file);
			return io_error(res, path, "write", errno);
		}
	}
	for (int i = 0; i < SIM_SPAN_COUNT; i++) {
		snprintf(mname[i], sizeof(mname[i]), "latency.%s", sim_span_name((enum sim_span)i));
		names[i] = mname[i];
		hs[i] = (struct sim_hist *)stats_span(p->stats, (enum sim_span)i);
		if (!(w->trace & SCENARIO_TRACE_HGRM))
			continue;
		errno = 0;
		if (out_hgrm_write(res->out_dir, mname[i], hs[i]) != 0) {
			snprintf(path, sizeof(path), "%s/%s.hgrm", res->out_dir, mname[i]);
			return io_error(res, path, "write", errno);
		}
	}
	snprintf(path, sizeof(path), "%s/summary.csv", res->out_dir);
	errno = 0;
	if (out_summary_csv(path, names, hs, SIM_SPAN_COUNT) != 0)
		return io_error(res, path, "write", errno);
	return 0;
}

/* Throw away whatever output is still open. */
static void outputs_abort(struct run_outputs *w)
{
	if (w->notif.f)
		atomic_file_abort(&w->notif);
	out_csv_close(w->csv, false);
	out_perfetto_close(w->pf, false);
	out_vcd_close(w->vcd, false);
	w->csv = NULL, w->pf = NULL, w->vcd = NULL;
	notif_assoc_fini(&w->pf_feed.assoc);
}

/* Phase 1: cold boot until Linux is up, for at most RUN_BOOT_LIMIT. Returns whether it booted. */
static bool phase_boot(struct platform *p)
{
	platform_start(p);
	sim_run_while(p->sim.k, booted_cond, p);
	return p->booted;
}

/*
 * Phase 2, the measured run: until stop.after, or until stop.notifications
 * were sent. A run that cannot reach N stops early with a warning: none
 * was sent for RUN_STALL, or nothing was left to simulate.
 */
/* Append a line for the caller to show on stderr. */
static void add_warning(struct run_result *res, const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(res->warning);
	snprintf(res->warning + n, sizeof(res->warning) - n, "%s", n ? "\n" : "");
	n = strlen(res->warning);
	snprintf(res->warning + n, sizeof(res->warning) - n, fmt, a, b);
}

static void phase_measure(struct platform *p, const struct scenario *sc, const struct run_opts *o,
			  struct run_result *res)
{
	if (sc->stop == SCENARIO_STOP_AFTER && !o->progress) {
		sim_run_until(p->sim.k, p->boot_time + sc->stop_after);
	} else if (sc->stop == SCENARIO_STOP_AFTER) {
		/* in steps: running until t1, then until t2, fires the same events as running until t2 */
		sim_time end = p->boot_time + sc->stop_after, step = sc->stop_after / 256 + 1;
		for (sim_time t = p->boot_time; t < end;) {
			t = end - t > step ? t + step : end;
			sim_run_until(p->sim.k, t);
			struct run_progress pr = { t - p->boot_time, sc->stop_after, stats_sent(p->stats), 0,
						   (double)(t - p->boot_time) / (double)sc->stop_after };
			o->progress(o->hook_ctx, &pr);
		}
	} else {
		struct notif_goal g = { p, sc->stop_notifications, 0, sim_now(p->sim.k), 0, false, o, 0 };
		char why[64];
		uint64_t sent;
		g.recheck = g.last_at > SIM_TIME_MAX - RUN_STALL ? SIM_TIME_MAX : g.last_at + RUN_STALL;
		if (o->progress) /* the hook counts the events: asked before each */
			sim_run_while(p->sim.k, sent_cond_progress, &g);
		else /* sent_cond's answer changes only with a send, or RUN_STALL after the last */
			sim_run_watch(p->sim.k, sent_cond, &g, stats_sent_counter(p->stats), &g.recheck);
		sent = stats_sent(p->stats);
		if (o->progress) { /* the last word: measured */
			struct run_progress pr = { sim_now(p->sim.k) - p->boot_time, 0, sent, g.n, 1.0 };
			o->progress(o->hook_ctx, &pr);
		}
		if (g.stalled)
			snprintf(why, sizeof(why), "none for %.0f ms of simulated time", (double)RUN_STALL / 1e9);
		else
			snprintf(why, sizeof(why), "nothing left to simulate");
		if (g.stalled || sent < g.n) {
			char what[128];
			snprintf(what, sizeof(what), "stopped after %" PRIu64 " of %" PRIu64 " notifications: %s", sent,
				 sc->stop_notifications, why);
			add_warning(res, "%s: %s", sc->path, what);
		}
	}
}

/* Phase 3: stop the sources and let the notifications in flight complete, for at most RUN_DRAIN. */
static void phase_drain(struct platform *p)
{
	struct drain d = { p, 0 };
	platform_stop_sources(p);
	d.until = sim_now(p->sim.k) + RUN_DRAIN;
	sim_run_while(p->sim.k, drain_cond, &d);
}

/*
 * Whether the kernel's livelock guard stopped the run; if so, res says
 * where (RUN_INCOMPLETE): the time, how many events fired there, and the
 * event that would have fired next, named by its callback.
 */
static bool livelocked(const struct platform *p, const struct scenario *sc, struct run_result *res)
{
	const struct sim_livelock *l = sim_kernel_livelock(p->sim.k);
	char fn[160];
	if (!l)
		return false;
	sim_symbolize((const void *)l->fn, fn, sizeof(fn));
	snprintf(res->msg, sizeof(res->msg),
		 "%s: the run could not complete: livelock at %" PRIu64 " ps (%.6f ms after boot): %" PRIu64
		 " events fired without simulated time advancing; the event that keeps rescheduling: %s",
		 sc->path, l->when, p->booted ? (double)(l->when - p->boot_time) / 1e9 : 0.0, l->events, fn);
	res->status = RUN_INCOMPLETE;
	res->sim_end = l->when;
	return true;
}

/*
 * A sticky error inside the run (sim/kernel/err.h): the event queue, the
 * statistics or the Perfetto writer's stage association could not grow.
 */
static bool run_error(const struct platform *p, const struct run_outputs *w, const struct scenario *sc,
		      struct run_result *res)
{
	const char *what = "the event queue";
	int err = sim_kernel_error(p->sim.k);
	if (!err && (err = stats_error(p->stats)))
		what = "the statistics";
	if (!err && w->pf && (err = w->pf_feed.assoc.error))
		what = "the Perfetto trace's notification stages";
	if (!err)
		return false;
	snprintf(res->msg, sizeof(res->msg), "%s: the run could not complete: %s could not grow: %s", sc->path, what,
		 sim_strerror(err));
	res->status = RUN_INCOMPLETE;
	res->sim_end = sim_now(p->sim.k);
	return true;
}

/* The figures tzsim test and compare read from the result. */
static void collect_metrics(const struct platform *p, const struct run_opts *o, struct run_result *res)
{
	const struct sim_stats *st = p->stats;
	res->notifications = metric(st, "notifications");
	res->delivered = metric(st, "delivered");
	res->lost = metric(st, "lost");
	res->late = metric(st, "late");
	res->spurious = metric(st, "spurious");
	res->coalesced = metric(st, "coalesced");
	res->e2e_p50 = metric(st, "latency.e2e.p50");
	res->e2e_p99 = metric(st, "latency.e2e.p99");
	res->e2e_max = metric(st, "latency.e2e.max");
	res->smc_per_notif = metric(st, "smc_per_notification");
	res->secure_time = metric(st, "time.secure");
	if (o->e2e)
		sim_hist_add(o->e2e, stats_span(st, SIM_SPAN_E2E));
}

/*
 * The transport's options that change what is modelled, for the summary
 * line. A design no upstream ships says so (docs/protocol.md §9): the
 * donated SGI over the SMC ABI (proposed in 2021, never merged: a DT cannot
 * name an SGI for Linux, so tzsim's OP-TEE hands it over in a fast call of
 * its own), the level doorbell, the fixed PPI raise, 1-of-N SPI routing
 * (Linux always routes an SPI to one CPU); the FF-A bottom half run inline
 * is Linux before 6.12.37 / 6.16.
 */
static void transport_variant(const struct scenario_transport_cfg *t, char *buf, size_t len)
{
	switch (t->kind) {
	case SCENARIO_PPI:
		snprintf(buf, len, "%s", t->raise == SCENARIO_RAISE_UPSTREAM
						 ? " (raise: upstream, GICD_ISPENDR0: lost on GICv3)"
						 : " (raise: fixed, GICR_ISPENDR0: not upstream)");
		return;
	case SCENARIO_SGI:
		snprintf(buf, len, " (donated SGI over the SMC ABI: hypothetical, proposed upstream, not merged; target %s)",
			 t->target == SCENARIO_TARGET_SELF ? "self" : t->target == SCENARIO_TARGET_ALL_BUT_SELF ? "all-but-self" : "list");
		return;
	case SCENARIO_FFA:
		snprintf(buf, len, " (spmc: %s%s)", t->spmc == SCENARIO_SPMC_S_EL2 ? "s-el2, Hafnium" : "s-el1, OP-TEE",
			 t->ffa_bottom_half == SCENARIO_FFA_BH_INLINE ? "; bottom half inline: Linux before 6.12.37" : "");
		return;
	case SCENARIO_SPI:
		snprintf(buf, len, "%s%s", t->trigger == SCENARIO_LEVEL ? " (level doorbell: hypothetical, no upstream OP-TEE has one)" : "",
			 t->routing == SCENARIO_ROUTE_1_OF_N ? " (1-of-N routing: hypothetical, Linux routes an SPI to one CPU)" : "");
		return;
	}
	buf[0] = 0;
}

static void print_summary(FILE *out, const struct scenario *sc, const struct platform *p, enum sim_backend backend,
			  const struct run_opts *o, const struct run_result *res)
{
	const char *tn = scenario_transport_name(sc->transport.kind);
	char variant[160];
	transport_variant(&sc->transport, variant, sizeof(variant));
	fprintf(out, "tzsim: %s (seed %" PRIu64 ", %s kernel): %u CPUs %s@%.2fGHz, transport %s INTID %u%s\n",
		sc->name, sc->seed, backend == SIM_BACKEND_SYSTEMC ? "SystemC" : "native", p->ncpus,
		sim_preset_name(sc->platform.costs.preset), (double)sc->platform.costs.clock.hz / 1e9, tn,
		sc->transport.intid, variant);
	if (sc->transport.kind == SCENARIO_PPI && sc->transport.raise == SCENARIO_RAISE_UPSTREAM)
		fprintf(out, "  note: OP-TEE's PPI raise (gic_it_set_pending) writes GICD_ISPENDR0, which is RAZ/WI with\n"
			     "        affinity routing (GICD_CTLR.ARE_S/ARE_NS = 1 on GICv3): the PPI never pends and Linux\n"
			     "        never sees it, so notifications are lost\n");
	fprintf(out, "  simulated %.3f ms (boot %.3f ms) in %.2f s wall, %" PRIu64 " trace records\n",
		(double)res->sim_end / 1e9, (double)p->boot_time / 1e9, res->wall_s, res->records);
	stats_print_summary(p->stats, out);
	if (p->isa)
		isa_rt_print(p->isa, out);
	if (!o->no_outputs)
		fprintf(out, "  outputs: %s/\n", res->out_dir);
}

/* Compare the digest with the golden file, or (bless) write it; a golden file that cannot be written is RUN_IO_ERROR. */
static void check_golden(const char *path, bool bless, const struct digest *dg, struct run_result *res)
{
	uint64_t at = 0;
	char gerr[512];
	int g;
	if (bless) {
		errno = 0;
		if (digest_write_golden(path, dg) == 0)
			res->golden = RUN_GOLDEN_BLESSED;
		else
			io_error(res, path, "write", errno);
		return;
	}
	g = digest_compare_golden(path, dg, &at, gerr, sizeof(gerr));
	if (g == 0) {
		res->golden = RUN_GOLDEN_SAME;
	} else if (g == 1) {
		res->golden = RUN_GOLDEN_CHANGED;
		res->golden_at = at;
		res->status = RUN_FAILED;
	} else {
		res->golden = RUN_GOLDEN_MISSING;
		res->status = RUN_FAILED;
		snprintf(res->golden_msg, sizeof(res->golden_msg), "%s", gerr);
	}
}

/* Attach the invariant checker (sim/stats/check.h) after every output sink. 0, or res set. */
static int run_check_attach(struct sim_check **chk, struct platform *p, const struct scenario *sc, struct run_result *res)
{
	struct sim_check_cfg cfg = { p->ncpus, sc->tee_threads, p->notif_intid, 0 };
	if (!(*chk = check_new(&cfg, p->sim.tr))) {
		snprintf(res->msg, sizeof(res->msg), "%s: the run could not start: %s", sc->path, sim_strerror(-ENOMEM));
		res->status = RUN_INCOMPLETE;
		return -1;
	}
	res->checked = true;
	return check_attach(*chk, p->sim.tr) == 0 ? 0 : sink_refused("invariant checker", res);
}

/* The checker's violations: error lines (and res->msg), the run FAILED; its notes go to the warnings. */
static void check_report(const struct sim_check *chk, const struct scenario *sc, struct run_result *res, FILE *out)
{
	size_t used = strlen(res->msg);
	const char *notes = check_notes(chk);
	res->violations = check_count(chk);
	res->refused = check_refused(chk);
	for (unsigned i = 0; i < res->violations && check_violation(chk, i); i++) {
		char line[700];
		char text[600];
		check_format(chk, i, text, sizeof(text));
		snprintf(line, sizeof(line), "%s: %s", sc->path, text);
		if (!i) {
			snprintf(res->violation, sizeof(res->violation), "%s", text);
			res->violation_inv = check_violation(chk, 0)->inv;
		}
		if (used + strlen(line) + 2 < sizeof(res->msg))
			used += (size_t)snprintf(res->msg + used, sizeof(res->msg) - used, "%s%s", used ? "\n" : "", line);
		if (out)
			fprintf(out, "%s\n", line);
	}
	if (res->violations > 16 && out)
		fprintf(out, "%s: ... %u violations in all (the first 16 shown)\n", sc->path, res->violations);
	if (res->violations)
		res->status = RUN_FAILED;
	for (const char *n = notes; *n;) {
		const char *e = strchr(n, '\n');
		size_t l = e ? (size_t)(e - n) : strlen(n);
		char buf[700];
		snprintf(buf, sizeof(buf), "%s: %.*s", sc->path, (int)(l < 600 ? l : 600), n);
		add_warning(res, "%s%s", buf, "");
		n += l + (e ? 1 : 0);
	}
}

int run_scenario(const struct scenario *sc, const struct run_opts *o, struct run_result *res, FILE *out)
{
	struct scenario *seeded = malloc(sizeof(*seeded));
	struct platform *p = calloc(1, sizeof(*p));
	/* the per-record hash list grows with the run: only golden runs need it */
	struct digest *dg = o->golden ? digest_new() : digest_new_flat();
	struct run_outputs w = { 0 };
	struct sim_check *chk = NULL;
	enum sim_backend backend;
	double t0 = wall_now();
	bool booted, measured = false;
	const struct scenario *ran = sc; /* with the seed set, once copied */

	memset(res, 0, sizeof(*res)); /* golden: RUN_GOLDEN_NOT_CHECKED */
	if (!seeded || !p || !dg) {
		snprintf(res->msg, sizeof(res->msg), "%s: the run could not start: %s", sc->path, sim_strerror(-ENOMEM));
		res->status = RUN_INCOMPLETE;
		goto out;
	}
	*seeded = *sc;
	if (o->seed_given)
		seeded->seed = o->seed;
	ran = seeded;
	backend = o->kernel >= 0 ? (enum sim_backend)o->kernel : seeded->kernel;
	if (run_build(p, seeded, backend, dg, o, res) != 0)
		goto out;
	if (!o->no_outputs && outputs_open(&w, p, seeded, o, res) != 0)
		goto out;

	if ((o->check || seeded->check) && run_check_attach(&chk, p, seeded, res) != 0)
		goto out;
	if (o->sink && add_sink(p, o->sink, o->sink_ctx, "caller's sink", res) != 0)
		goto out;

	booted = phase_boot(p);
	if (p->isa)
		digest_set_header(dg, ISA_IMG_COUNT); /* platform_start's guest image records */
	res->boot_time = p->boot_time;
	if (booted && !isa_rt_error(p->isa)) {
		if (chk)
			check_set_origin(chk, p->boot_time);
		if (seeded->ties.order != SCENARIO_TIES_FIFO)
			sim_kernel_set_ties(p->sim.k, (int)seeded->ties.order, seeded->ties.seed, p->boot_time + seeded->ties.from,
					    seeded->ties.to ? p->boot_time + seeded->ties.to : SIM_TIME_MAX);
		phase_measure(p, seeded, o, res);
		if (!isa_rt_error(p->isa))
			phase_drain(p);
		if (chk)
			check_end(chk, sim_now(p->sim.k));
	}
	if (livelocked(p, seeded, res) || run_error(p, &w, seeded, res))
		goto out; /* nothing is written: outputs_abort removes the temporary files */
	if (isa_rt_error(p->isa)) { /* guest code faulted, or disagreed with the model: the run is void */
		snprintf(res->msg, sizeof(res->msg), "%s: %s", sc->path, isa_rt_error(p->isa));
		res->status = RUN_FAILED;
		goto out;
	}
	if (!booted) {
		snprintf(res->msg, sizeof(res->msg), "%s: the platform did not finish booting within 1 s", seeded->path);
		res->status = RUN_FAILED;
	}
	platform_finish(p);
	if (stats_probe_failed(p->stats))
		add_warning(res, "%s: Linux's OP-TEE driver did not probe (%s): no TA calls and no notifications", seeded->path,
			    stats_probe_failed(p->stats));
	res->sim_end = sim_now(p->sim.k);
	res->digest = digest_value(dg);
	res->records = digest_count(dg);
	res->wall_s = wall_now() - t0;
	collect_metrics(p, o, res);
	measured = true;
	/* the outputs are committed before anything is printed: a run that cannot write them prints nothing */
	if (!o->no_outputs && outputs_commit(&w, p, res) != 0)
		goto out;

	if (!o->quiet && !o->json && out)
		print_summary(out, seeded, p, backend, o, res);
	if (booted) {
		res->quiet_ok = o->quiet || o->json;
		check_expectations(seeded, p->stats, res, (o->json || !out) ? NULL : out);
		if (res->n_failed)
			res->status = RUN_FAILED;
	}
	if (chk)
		check_report(chk, sc, res, (o->json || !out) ? NULL : out);
	if (o->golden)
		check_golden(o->golden, o->bless, dg, res);
	if (o->json && out)
		print_json(out, seeded, p->stats, res, seeded->seed);
out:
	if (o->done)
		o->done(o->hook_ctx, ran, measured ? p->stats : NULL, res);
	outputs_abort(&w);
	check_free(chk);
	if (p && p->sim.k)
		platform_free(p);
	free(p);
	digest_free(dg);
	free(seeded);
	return res->status;
}
