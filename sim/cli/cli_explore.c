// SPDX-License-Identifier: BSD-3-Clause
/*
 * tzsim explore: search the schedules of a scenario for one that breaks an
 * invariant (sim/stats/check.h) or an expectation, and hand back a shrunk
 * reproducer.
 *
 * 1. A reference run, in this process (native kernel), with a sink that
 *    keeps every notification stage's time (docs/protocol.md §9.6) and the
 *    times where records of two CPUs coincide (candidate tie sets).
 * 2. The variants, in a fixed order that depends only on the scenario and
 *    the options (never on -j or the machine):
 *      ties:      the whole run's ties reversed (lifo), then shuffled with
 *                 seeds 1..8 (random);
 *      timing:    every cost given as a distribution pinned to its p0.1
 *                 and its p99.9; each Poisson source as back-to-back pairs
 *                 at its p0.1 gap and as a periodic source at its p99.9
 *                 gap; the GIC delays (constants of the model) at x0.25,
 *                 x0.5, x2, x4; the seed + 1..8 (random draws);
 *      placement: each timeline action (cpu_off, cpu_on, suspend,
 *                 mask_window) moved 1 ps after each boundary of the
 *                 reference run's notification paths, nearest to its own
 *                 time first, round-robin over the actions, kept between
 *                 the actions before and after it on the same CPU;
 *                 interleaved with the tie sets one at a time (lifo in a
 *                 1 ps window at that time: for a set of two, its only
 *                 other order).
 * 3. Batches of 32 variants, each a forked job (cli_jobs.c) with the
 *    checker on; the first failing variant is the lowest index of the
 *    first batch with one, so the answer does not depend on -j.
 * 4. Shrinking: remove timeline entries, workloads and sources one at a
 *    time (last first) while the variant still breaks the same invariant.
 * 5. The reproducer: DIR/reproducer.yaml (the overrides applied, check:
 *    true; `tzsim run` shows the violation), DIR/trace.csv of its run and
 *    DIR/explanation.txt.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/cli/cli.h"
#include "sim/out/atomic_file.h"
#include "sim/scenario/scenario.h"
#include "sim/stats/check.h"

#define BATCH 32
#define DEFAULT_BUDGET 500
#define MAX_OVR 24 /* a variant's own overrides, shrinking included */
#define Z999 3.090232306167813

enum vkind { V_REFERENCE = 0, V_TIES, V_TIMING, V_PLACEMENT, V_TIESET };
static const char *const vkind_name[] = { "reference", "ties", "timing", "placement", "tie set" };

struct variant {
	enum vkind kind;
	char ovr[2][200]; /* at most two overrides of its own */
	int novr;
	char what[200];   /* for people */
};

struct vlist {
	struct variant *v;
	int n, cap;
	unsigned counts[5];
	unsigned nact;        /* timeline actions placed */
	size_t nbound;        /* distinct boundary times */
	size_t ncand;         /* (action, boundary) pairs inside each action's range */
};

static int vpush(struct vlist *l, enum vkind kind, const char *what, const char *o1, const char *o2)
{
	struct variant *v;
	if (l->n == l->cap) {
		int ncap = l->cap ? l->cap * 2 : 256;
		struct variant *nv = realloc(l->v, (size_t)ncap * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	v = &l->v[l->n++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	snprintf(v->what, sizeof(v->what), "%s", what);
	if (o1)
		snprintf(v->ovr[v->novr++], sizeof(v->ovr[0]), "%s", o1);
	if (o2)
		snprintf(v->ovr[v->novr++], sizeof(v->ovr[0]), "%s", o2);
	l->counts[kind]++;
	return 0;
}

/* ---- the reference run's boundaries ------------------------------------------------------ */

struct boundary {
	sim_time t; /* scenario time */
	unsigned stage;
	uint32_t notif;
};

struct refsink {
	struct boundary *b;
	size_t n, cap;
	sim_time *ties; /* times where records of two CPUs coincide */
	size_t nties, capties;
	sim_time last_t;
	int last_cpu;
	bool oom;
};

static void ref_sink(void *ctx, const struct sim_rec *r)
{
	struct refsink *s = ctx;
	if (r->kind == TR_NOTIF) { /* the normal world's stages carry no id (notif_assoc.h): boundaries too */
		if (s->n == s->cap) {
			size_t nc = s->cap ? s->cap * 2 : 4096;
			struct boundary *nb = realloc(s->b, nc * sizeof(*nb));
			if (!nb) {
				s->oom = true;
				return;
			}
			s->b = nb, s->cap = nc;
		}
		s->b[s->n++] = (struct boundary){ r->t, (unsigned)r->a, r->notif };
	}
	if (r->cpu >= 0) {
		if (r->t == s->last_t && r->cpu != s->last_cpu && (!s->nties || s->ties[s->nties - 1] != r->t)) {
			if (s->nties == s->capties) {
				size_t nc = s->capties ? s->capties * 2 : 1024;
				sim_time *nt = realloc(s->ties, nc * sizeof(*nt));
				if (!nt) {
					s->oom = true;
					return;
				}
				s->ties = nt, s->capties = nc;
			}
			s->ties[s->nties++] = r->t;
		}
		s->last_t = r->t;
		s->last_cpu = r->cpu;
	}
}

/* ---- distributions' tails --------------------------------------------------------------- */

static double quantile(const struct sim_dist *d, double p)
{
	double z = p < 0.5 ? -Z999 : Z999;
	switch (d->kind) {
	case SIM_DIST_CONST:
		return d->a;
	case SIM_DIST_UNIFORM:
		return d->a + p * (d->b - d->a);
	case SIM_DIST_EXPONENTIAL:
		return -d->a * log(1 - p);
	case SIM_DIST_NORMAL:
		return d->a + d->b * z;
	case SIM_DIST_LOGNORMAL:
		return exp(d->a + d->b * z);
	case SIM_DIST_EMPIRICAL:
		for (unsigned i = 0; i < d->n; i++)
			if (d->cum[i] >= p)
				return d->val[i];
		return d->n ? d->val[d->n - 1] : 0;
	}
	return 0;
}

static void cost_text(char *buf, size_t len, const struct sim_cost *c, double p)
{
	double v = quantile(&c->d, p);
	if (v < 0)
		v = 0;
	if (c->unit == SIM_COST_CYCLES)
		snprintf(buf, len, "%.0f cycles", v);
	else
		snprintf(buf, len, "%.0fps", v);
}

/* Pin @c at its p0.1 and p99.9 (nothing for a constant). */
static int tails(struct vlist *l, const char *path, const struct sim_cost *c)
{
	static const double ps[] = { 0.001, 0.999 };
	if (c->d.kind == SIM_DIST_CONST)
		return 0;
	for (int i = 0; i < 2; i++) {
		char val[64], o[200], what[200];
		cost_text(val, sizeof(val), c, ps[i]);
		snprintf(o, sizeof(o), "%s=%s", path, val);
		snprintf(what, sizeof(what), "%s at its %s (%s)", path, i ? "p99.9" : "p0.1", val);
		if (vpush(l, V_TIMING, what, o, NULL))
			return -1;
	}
	return 0;
}

/* ---- building the variants ------------------------------------------------------------------ */

static bool movable(enum scenario_action a)
{
	return a == SCENARIO_CPU_OFF || a == SCENARIO_CPU_ON || a == SCENARIO_SUSPEND || a == SCENARIO_MASK_WINDOW;
}

/* The stage name --around gives, or -1. */
static int stage_by_name(const char *s)
{
	for (unsigned i = 0; i < NOTIF_STAGE_COUNT; i++)
		if (!strcmp(s, sim_notif_stage_name(i)))
			return (int)i;
	return -1;
}

struct around {
	int stage;      /* -1: any */
	bool has_time;
	sim_time t;     /* scenario time */
};

static bool around_ok(const struct around *a, const struct boundary *b)
{
	if (a->stage >= 0 && (int)b->stage != a->stage)
		return false;
	if (a->has_time && (b->t + SIM_MS < a->t || b->t > a->t + SIM_MS))
		return false;
	return true;
}

static int cmp_time(const void *x, const void *y)
{
	sim_time a = *(const sim_time *)x, b = *(const sim_time *)y;
	return a < b ? -1 : a > b;
}

struct cand {
	sim_time t;
	sim_time dist;
};

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->dist != b->dist)
		return a->dist < b->dist ? -1 : 1;
	return a->t < b->t ? -1 : a->t > b->t;
}

static int build_variants(struct vlist *l, const struct scenario *sc, const struct refsink *ref,
			  const struct around *ar, int budget)
{
	char o[200], what[200];
	vpush(l, V_REFERENCE, "the scenario as written", NULL, NULL);
	/* ties over the whole run */
	vpush(l, V_TIES, "every tie reversed (ties: lifo)", "ties={order: lifo}", NULL);
	for (int s = 1; s <= 8; s++) {
		snprintf(o, sizeof(o), "ties={order: random, seed: %d}", s);
		snprintf(what, sizeof(what), "every tie shuffled (ties: random, seed %d)", s);
		vpush(l, V_TIES, what, o, NULL);
	}
	/* timing: the tails of every distribution */
	for (int i = 0; i < SIM_COST_COUNT; i++) {
		snprintf(o, sizeof(o), "platform.cost_overrides.%s", sim_cost_name((enum sim_cost_id)i));
		if (tails(l, o, &sc->platform.costs.c[i]))
			return -1;
	}
	for (unsigned i = 0; i < sc->n_sources; i++) {
		const struct scenario_source *s = &sc->sources[i];
		snprintf(o, sizeof(o), "sources[%u].top_half", i);
		tails(l, o, &s->top_half);
		snprintf(o, sizeof(o), "sources[%u].bottom_half", i);
		tails(l, o, &s->bottom_half);
		if (s->arrival == SCENARIO_POISSON && s->rate_hz) {
			double gap_lo = -log(0.999) / (double)s->rate_hz * 1e12, gap_hi = -log(0.001) / (double)s->rate_hz * 1e12;
			char v[200];
			snprintf(v, sizeof(v), "sources[%u].arrival={burst: {count: 2, every: %.0fps, spacing: %.0fps}}", i,
				 2e12 / (double)s->rate_hz, gap_lo > 1000 ? gap_lo : 1000);
			snprintf(what, sizeof(what), "source %s in pairs at its p0.1 gap (%.3f us)", s->name, gap_lo / 1e6);
			vpush(l, V_TIMING, what, v, NULL);
			snprintf(v, sizeof(v), "sources[%u].arrival={periodic: %.0fps}", i, gap_hi);
			snprintf(what, sizeof(what), "source %s periodic at its p99.9 gap (%.3f us)", s->name, gap_hi / 1e6);
			vpush(l, V_TIMING, what, v, NULL);
		}
	}
	for (unsigned i = 0; i < sc->n_workloads; i++) {
		snprintf(o, sizeof(o), "workloads[%u].secure_work", i);
		tails(l, o, &sc->workloads[i].secure_work);
	}
	{
		static const char *const gic[] = { "pend_to_wire", "ack_rearb", "sgi_delay" };
		static const enum sim_cost_id gid[] = { SIM_COST_GIC_PEND_TO_WIRE, SIM_COST_GIC_ACK_REARB,
							SIM_COST_GIC_SGI_DELAY };
		static const double f[] = { 0.25, 0.5, 2, 4 };
		for (int g = 0; g < 3; g++) {
			double base = quantile(&sc->platform.costs.c[gid[g]].d, 0.5);
			for (int k = 0; k < 4; k++) {
				snprintf(o, sizeof(o), "platform.gic.%s=%.0fps", gic[g], base * f[k] > 1 ? base * f[k] : 1);
				snprintf(what, sizeof(what), "GIC %s x%g (%.0f ns)", gic[g], f[k], base * f[k] / 1e3);
				vpush(l, V_TIMING, what, o, NULL);
			}
		}
	}
	for (int s = 1; s <= 8; s++) {
		snprintf(o, sizeof(o), "seed=%" PRIu64, sc->seed + (uint64_t)s);
		snprintf(what, sizeof(what), "random draws of seed %" PRIu64, sc->seed + (uint64_t)s);
		vpush(l, V_TIMING, what, o, NULL);
	}

	/* placement, interleaved with the tie sets */
	unsigned nact = 0, act[SCENARIO_MAX_TIMELINE];
	struct cand *cands[SCENARIO_MAX_TIMELINE] = { 0 };
	size_t ncand[SCENARIO_MAX_TIMELINE] = { 0 }, next[SCENARIO_MAX_TIMELINE] = { 0 };
	sim_time *times = malloc((ref->n ? ref->n : 1) * sizeof(*times));
	size_t nt = 0, tie_next = 0;
	if (!times)
		return -1;
	for (size_t i = 0; i < ref->n; i++)
		if (around_ok(ar, &ref->b[i]))
			times[nt++] = ref->b[i].t;
	qsort(times, nt, sizeof(*times), cmp_time);
	{
		size_t k = 0;
		for (size_t i = 0; i < nt; i++)
			if (!k || times[k - 1] != times[i])
				times[k++] = times[i];
		nt = k;
	}
	for (unsigned i = 0; i < sc->n_timeline; i++) {
		const struct scenario_event *e = &sc->timeline[i];
		sim_time lo = 0, hi = sc->stop == SCENARIO_STOP_AFTER ? sc->stop_after : SIM_TIME_MAX;
		if (!movable(e->action))
			continue;
		/* keep the order of the actions on this CPU */
		for (unsigned k = 0; k < sc->n_timeline; k++) {
			const struct scenario_event *f = &sc->timeline[k];
			if (k == i || !movable(f->action) || f->cpu != e->cpu)
				continue;
			if (k < i && f->at + f->duration > lo)
				lo = f->at + f->duration;
			if (k > i && f->at < hi)
				hi = f->at;
		}
		if (!(cands[nact] = malloc((nt ? nt : 1) * sizeof(struct cand)))) {
			free(times);
			return -1;
		}
		for (size_t k = 0; k < nt; k++) {
			sim_time t = times[k] + 1;
			if (t <= lo || t + e->duration >= hi || t == e->at)
				continue;
			cands[nact][ncand[nact]++] = (struct cand){ t, t > e->at ? t - e->at : e->at - t };
		}
		qsort(cands[nact], ncand[nact], sizeof(struct cand), cmp_cand);
		act[nact++] = i;
	}
	l->nact = nact;
	l->nbound = nt;
	for (unsigned a = 0; a < nact; a++)
		l->ncand += ncand[a];
	for (bool more = true; more && l->n < budget;) {
		more = false;
		for (unsigned a = 0; a < nact && l->n < budget; a++) {
			if (next[a] >= ncand[a])
				continue;
			const struct scenario_event *e = &sc->timeline[act[a]];
			struct cand c = cands[a][next[a]++];
			more = true;
			snprintf(o, sizeof(o), "timeline[%u].at=%" PRIu64 "ps", e->file_index, c.t);
			snprintf(what, sizeof(what), "timeline[%u] (%s on CPU %u) at %.6f ms instead of %.6f ms", e->file_index,
				 scenario_action_name(e->action), e->cpu, (double)c.t / 1e9, (double)e->at / 1e9);
			vpush(l, V_PLACEMENT, what, o, NULL);
		}
		if (tie_next < ref->nties && l->n < budget) {
			sim_time t = ref->ties[tie_next++];
			more = true;
			snprintf(o, sizeof(o), "ties={order: lifo, from: %" PRIu64 "ps, to: %" PRIu64 "ps}", t, t + 1);
			snprintf(what, sizeof(what), "the tie set at %.6f ms reversed", (double)t / 1e9);
			vpush(l, V_TIESET, what, o, NULL);
		}
	}
	for (unsigned a = 0; a < nact; a++)
		free(cands[a]);
	free(times);
	return 0;
}

/* ---- running variants ----------------------------------------------------------------------- */

struct ctx {
	const struct cli_args *a;
	const char *file;
	const char *base[MAX_VARY + 1];
	int nbase;
	int kernel;
	int parallel;
};

static void job_fill(struct job *j, const struct ctx *x, const char *const *ovr, int n)
{
	memset(j, 0, sizeof(*j));
	snprintf(j->path, sizeof(j->path), "%s", x->file);
	for (int i = 0; i < x->nbase && j->nvary < JOB_MAX_VARY; i++)
		snprintf(j->vary[j->nvary++], sizeof(j->vary[0]), "%s", x->base[i]);
	for (int i = 0; i < n && j->nvary < JOB_MAX_VARY; i++)
		snprintf(j->vary[j->nvary++], sizeof(j->vary[0]), "%s", ovr[i]);
	j->o = (struct run_opts){ .kernel = x->kernel, .no_outputs = true, .quiet = true,
				  .stall_events = x->a->stall_events, .check = true };
}

static bool failing(const struct run_result *r) { return r->status == RUN_FAILED; }

/*
 * Same failure: the same first invariant broken, or (without one) every
 * expectation that failed still failing (by its index: shrinking keeps the
 * expect list), one that reads a count with the same measured count. Any
 * failed expectation was taken before, so a shrunk scenario could fail
 * another one than the variant did. Without the count, "late == 4" that a
 * moved action broke (measured 3) would shrink to a scenario with no
 * sources at all (measured 0): failing, but for a reason of its own.
 * A time or ratio moves with any removal, so there only the failing counts.
 */
static bool same_failure(const struct run_result *r, const struct run_result *want)
{
	if (!failing(r) || r->refused > want->refused)
		return false;
	if (want->violation_inv)
		return r->violation_inv == want->violation_inv;
	if (r->n_failed == 0 || (r->expect_failed & want->expect_failed) != want->expect_failed)
		return false;
	for (uint64_t m = want->expect_failed & want->expect_count; m; m &= m - 1) {
		int i = __builtin_ctzll(m);
		if (r->expect_value[i] != want->expect_value[i])
			return false;
	}
	return true;
}

static int run_one(const struct ctx *x, const char *const *ovr, int n, struct run_result *res)
{
	struct job *j = malloc(sizeof(*j));
	if (!j)
		return -1;
	job_fill(j, x, ovr, n);
	cli_run_jobs(j, 1, 1, NULL);
	*res = j->res;
	free(j);
	return 0;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --budget: N variants, or a wall time (90s, 10m, 1h). */
static int parse_budget(const char *s, int *n, double *secs)
{
	char *e;
	double v;
	*n = 0, *secs = 0;
	if (!s)
		return *n = DEFAULT_BUDGET, 0;
	errno = 0;
	v = strtod(s, &e);
	if (errno || e == s || v <= 0)
		return -1;
	if (!*e) {
		if (v != floor(v) || v > 1000000)
			return -1;
		*n = (int)v;
		return 0;
	}
	if (!strcmp(e, "s"))
		*secs = v;
	else if (!strcmp(e, "m") || !strcmp(e, "min"))
		*secs = v * 60;
	else if (!strcmp(e, "h"))
		*secs = v * 3600;
	else
		return -1;
	*n = 1000000;
	return *secs > 0 && *secs <= 86400 ? 0 : -1;
}

static int parse_around(const char *s, struct around *ar)
{
	struct sim_diag d;
	struct scenario *tmp;
	ar->stage = -1;
	ar->has_time = false;
	if (!s)
		return 0;
	if ((ar->stage = stage_by_name(s)) >= 0)
		return 0;
	/* a time, read as the scenario reads one: through a throwaway scenario with stop.after */
	if (!(tmp = malloc(sizeof(*tmp))))
		return -1;
	char text[200];
	snprintf(text, sizeof(text), "stop: {after: \"%s\"}\n", s);
	if (strchr(s, '"') || scenario_load_string(text, "--around", NULL, 0, tmp, &d) != 0) {
		free(tmp);
		return -1;
	}
	ar->has_time = true;
	ar->t = tmp->stop_after;
	scenario_free(tmp);
	free(tmp);
	return 0;
}

/* Write @text to @path whole (atomic_file): 0, or -1 with @err set. */
static int write_text(const char *path, const char *text, char *err, size_t len)
{
	struct atomic_file af;
	if (atomic_file_open(&af, path, err, len) != 0)
		return -1;
	fputs(text, af.f);
	return atomic_file_commit(&af, err, len);
}

int cli_explore(const struct cli_args *a)
{
	struct ctx x = { a, a->operand, { 0 }, 0, a->kernel, a->jobs ? (int)a->jobs : cli_nproc() };
	struct scenario *sc = malloc(sizeof(*sc));
	struct sim_diag d;
	struct refsink ref = { 0 };
	struct vlist vl = { 0 };
	struct around ar = { -1, false, 0 };
	struct run_result *res = malloc(sizeof(*res));
	struct job *jobs = calloc(BATCH, sizeof(*jobs));
	int budget, rc = 0, found = -1, ran = 0, skipped = 0, incomplete = 0, refused = 0;
	unsigned ref_refused = 0;
	double secs, t0 = now_s();
	char out_dir[1024], path[1200], err[1024];

	if (!sc || !res || !jobs) {
		fputs("tzsim: out of memory\n", stderr);
		rc = 2;
		goto out;
	}
	if (parse_budget(a->budget, &budget, &secs) != 0) {
		rc = cli_usage_error(a->command, "--budget: expected a number of variants (1 to 1000000) or a wall time (90s, 10m, 1h), got '%s'",
				     a->budget);
		goto out;
	}
	if (parse_around(a->around, &ar) != 0) {
		rc = cli_usage_error(a->command, "--around: expected a notification stage (source, top_half, send, ns_pending, ns_taken, fetched, bh_ctx, bh_enter, bh_done) or a scenario time (12ms), got '%s'",
				     a->around);
		goto out;
	}
	x.nbase = cli_expand_overrides(a->vary.v, a->vary.n, x.base, MAX_VARY + 1);
	if (x.nbase < 0 || x.nbase > JOB_MAX_VARY - MAX_OVR) {
		rc = cli_usage_error(a->command, "--vary: at most %d overrides with explore", JOB_MAX_VARY - MAX_OVR);
		goto out;
	}
	if (scenario_load(x.file, x.base, x.nbase, sc, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		rc = 2;
		goto out;
	}
	if (a->out)
		snprintf(out_dir, sizeof(out_dir), "%s", a->out);
	else
		snprintf(out_dir, sizeof(out_dir), "traces/%s/explore", sc->name);

	/* 1. the reference run, here, with the boundaries' sink */
	{
		struct run_opts o = { .kernel = SIM_BACKEND_NATIVE, .no_outputs = true, .quiet = true,
				      .stall_events = a->stall_events, .check = true, .sink = ref_sink, .sink_ctx = &ref };
		run_scenario(sc, &o, res, NULL);
		ref_refused = res->refused;
		if (res->status >= RUN_BAD_INPUT) {
			fprintf(stderr, "%s\n", res->msg);
			rc = res->status;
			goto out;
		}
		if (ref.oom) {
			fputs("tzsim: out of memory\n", stderr);
			rc = 3;
			goto out;
		}
		/* scenario times */
		for (size_t i = 0; i < ref.n; i++)
			ref.b[i].t = ref.b[i].t > res->boot_time ? ref.b[i].t - res->boot_time : 0;
		size_t k = 0;
		for (size_t i = 0; i < ref.nties; i++)
			if (ref.ties[i] > res->boot_time && (!sc->stop_after || ref.ties[i] - res->boot_time < sc->stop_after))
				ref.ties[k++] = ref.ties[i] - res->boot_time;
		ref.nties = k;
	}
	if (build_variants(&vl, sc, &ref, &ar, budget) != 0) {
		fputs("tzsim: out of memory\n", stderr);
		rc = 3;
		goto out;
	}
	if (vl.n > budget)
		vl.n = budget;
	printf("tzsim explore: %s (seed %" PRIu64 "): %d variants to run (budget %s), %d at a time\n", x.file, sc->seed,
	       vl.n, a->budget ? a->budget : "500", x.parallel);
	{
		uint32_t maxid = 0;
		for (size_t i = 0; i < ref.n; i++)
			maxid = ref.b[i].notif > maxid ? ref.b[i].notif : maxid;
		printf("  reference run: %zu stage records of %u notifications at %zu distinct times; %u timeline actions to place (%zu action x boundary pairs in range); %zu tie sets\n",
		       ref.n, (unsigned)maxid, vl.nbound, vl.nact, vl.ncand, ref.nties);
	}

	/* 2-3. the variants, batch by batch */
	for (int first = 0; first < vl.n && found < 0; first += BATCH) {
		int nb = vl.n - first < BATCH ? vl.n - first : BATCH;
		if (secs > 0 && now_s() - t0 > secs)
			break;
		for (int i = 0; i < nb; i++) {
			const struct variant *v = &vl.v[first + i];
			const char *ov[2] = { v->ovr[0], v->ovr[1] };
			job_fill(&jobs[i], &x, ov, v->novr);
		}
		cli_run_jobs(jobs, nb, x.parallel, NULL);
		for (int i = 0; i < nb; i++) {
			ran++;
			if (jobs[i].res.status == RUN_BAD_INPUT)
				skipped++;
			else if (jobs[i].res.status == RUN_INCOMPLETE)
				incomplete++;
			else if (jobs[i].res.refused > ref_refused) {
				/* the move made Linux refuse an action (a cpu_on while another runs): not this schedule */
				refused++;
				continue;
			}
			if (found < 0 && failing(&jobs[i].res))
				found = first + i, *res = jobs[i].res;
		}
	}
	{
		unsigned c[5] = { 0 };
		for (int i = 0; i < ran; i++)
			c[vl.v[i].kind]++;
		printf("  ran %d variants in %.1f s: 1 reference, %u tie orders of the whole run, %u timing (tails, GIC delays, seeds), %u placements (actions x boundaries), %u tie sets reversed",
		       ran, now_s() - t0, c[V_TIES], c[V_TIMING], c[V_PLACEMENT], c[V_TIESET]);
		if (skipped || incomplete || refused)
			printf("; %d did not load, %d could not complete, %d not applicable (Linux refused a moved action)",
			       skipped, incomplete, refused);
		printf("\n");
	}
	if (found < 0) {
		printf("  no violation found: every invariant and expectation held in every variant\n");
		rc = 0;
		goto out;
	}

	/* 4. shrink */
	const struct variant *fv = &vl.v[found];
	const char *ov[MAX_OVR];
	char dels[MAX_OVR][48];
	int nov = 0, ndel = 0;
	struct run_result want = *res, r2;
	for (int i = 0; i < fv->novr; i++)
		ov[nov++] = fv->ovr[i];
	printf("  FOUND at variant %d (%s): %s\n", found, vkind_name[fv->kind], fv->what);
	printf("    %s\n", want.violation[0] ? want.violation : want.msg);
	{
		/* candidates, last first within each list: removing item k leaves lower indices as they are */
		char cand[SCENARIO_MAX_TIMELINE + SCENARIO_MAX_SOURCES + SCENARIO_MAX_WORKLOADS][48];
		int nc = 0;
		int placed = -1;
		if (fv->kind == V_PLACEMENT)
			sscanf(fv->ovr[0], "timeline[%d]", &placed);
		/* the placed action stays: the reproducer is about where it lands */
		for (int i = (int)sc->n_timeline - 1; i >= 0; i--)
			if (i != placed)
				snprintf(cand[nc++], sizeof(cand[0]), "-timeline[%d]", i);
		for (int i = (int)sc->n_workloads - 1; i >= 0; i--)
			snprintf(cand[nc++], sizeof(cand[0]), "-workloads[%d]", i);
		for (int i = (int)sc->n_sources - 1; i >= 0; i--)
			snprintf(cand[nc++], sizeof(cand[0]), "-sources[%d]", i);
		for (int c = 0; c < nc && nov + ndel + 1 < MAX_OVR; c++) {
			const char *try[MAX_OVR];
			int n = 0;
			for (int i = 0; i < nov; i++)
				try[n++] = ov[i];
			for (int i = 0; i < ndel; i++)
				try[n++] = dels[i];
			try[n++] = cand[c];
			/* a placed action that is removed makes its own override fail to load: not smaller, skipped */
			if (run_one(&x, try, n, &r2) == 0 && same_failure(&r2, &want)) {
				snprintf(dels[ndel++], sizeof(dels[0]), "%s", cand[c]);
				want.status = r2.status;
				snprintf(want.violation, sizeof(want.violation), "%s", r2.violation);
				snprintf(want.msg, sizeof(want.msg), "%s", r2.msg);
			}
		}
	}

	/* 5. the reproducer */
	{
		const char *all[JOB_MAX_VARY + 4];
		char namebuf[SCENARIO_NAME_MAX + 16];
		int n = 0;
		FILE *f;
		char *text = NULL;
		size_t len = 0;
		for (int i = 0; i < x.nbase; i++)
			all[n++] = x.base[i];
		for (int i = 0; i < nov; i++)
			all[n++] = ov[i];
		for (int i = 0; i < ndel; i++)
			all[n++] = dels[i];
		all[n++] = "check=true";
		snprintf(namebuf, sizeof(namebuf), "name=%.60s-repro", sc->name);
		all[n++] = namebuf;
		if (atomic_file_mkdirs(out_dir) != 0) {
			fprintf(stderr, "%s: cannot create: %s\n", out_dir, strerror(errno));
			rc = 3;
			goto out;
		}
		if (!(f = open_memstream(&text, &len)) || scenario_write_resolved(x.file, all, n, f, &d) != 0) {
			if (f)
				fclose(f);
			free(text);
			fprintf(stderr, "%s\n", d.msg[0] ? d.msg : "tzsim: out of memory");
			rc = 3;
			goto out;
		}
		fclose(f);
		{
			char head[1400];
			char *full;
			snprintf(head, sizeof(head),
				 "# tzsim explore reproducer: variant %d of %s (%s): %s\n# shrunk: %d removal%s", found,
				 x.file, vkind_name[fv->kind], fv->what, ndel, ndel == 1 ? "" : "s");
			size_t hl = strlen(head);
			for (int i = 0; i < ndel && hl + 50 < sizeof(head); i++)
				hl += (size_t)snprintf(head + hl, sizeof(head) - hl, "%s%s", i ? " " : " (", dels[i]);
			snprintf(head + hl, sizeof(head) - hl, "%s\n# run: tzsim run THIS_FILE\n", ndel ? ")" : "");
			full = malloc(strlen(head) + len + 1);
			if (!full) {
				free(text);
				rc = 3;
				goto out;
			}
			strcpy(full, head);
			strcat(full, text);
			free(text);
			snprintf(path, sizeof(path), "%s/reproducer.yaml", out_dir);
			if (write_text(path, full, err, sizeof(err)) != 0) {
				free(full);
				fprintf(stderr, "%s\n", err);
				rc = 3;
				goto out;
			}
			free(full);
		}
		/* its run, with its trace, here (native kernel) */
		struct scenario *rs = malloc(sizeof(*rs));
		struct run_result *rr = malloc(sizeof(*rr));
		if (!rs || !rr || scenario_load(path, NULL, 0, rs, &d) != 0) {
			fprintf(stderr, "%s\n", rs && rr ? d.msg : "tzsim: out of memory");
			free(rs);
			free(rr);
			rc = 3;
			goto out;
		}
		struct run_opts o = { .out_dir = out_dir, .trace = SCENARIO_TRACE_CSV, .trace_given = true,
				      .kernel = SIM_BACKEND_NATIVE, .quiet = true, .stall_events = a->stall_events,
				      .check = true };
		run_scenario(rs, &o, rr, NULL);
		char expl[3000], switches[400] = "", removed[200];
		unsigned dt = 0, dw = 0, ds = 0;
		for (int i = 0; i < ndel; i++)
			dt += dels[i][1] == 't', dw += dels[i][1] == 'w', ds += dels[i][1] == 's';
		snprintf(removed, sizeof(removed), "%u of %u timeline entries, %u of %u workloads, %u of %u sources", dt,
			 sc->n_timeline, dw, sc->n_workloads, ds, sc->n_sources);
		/* the protocol switches in effect, each named by the upstream behaviour it departs from */
		if (sc->ree_notif_drain == SCENARIO_DRAIN_ONCE)
			strcat(switches, " with ree.notif_drain: once (one value per interrupt; upstream smc_abi.c irq_handler() loops while PENDING)");
		if (sc->tee_notif_raise == SCENARIO_RAISE_WHEN_EMPTY)
			strcat(switches, " with tee.notif_raise: when_empty (upstream notif_send_async() raises on every send)");
		if (sc->ree_pcpu_disable == SCENARIO_PCPU_DISABLE_AFTER_OFFLINE)
			strcat(switches, " with ree.pcpu_disable: after_offline (upstream disables at CPUHP_AP_ONLINE_DYN)");
		snprintf(expl, sizeof(expl),
			 "%s: variant %d of %d (%s: %s) breaks %s%s. %s. Shrunk while it still failed the same way: removed %s. `tzsim run %s` shows the same %s (%s); its trace is %s/trace.csv.\n",
			 x.file, found, vl.n, vkind_name[fv->kind], fv->what,
			 want.violation[0] ? "an invariant" : "an expectation", switches,
			 rr->violation[0] ? rr->violation : (rr->msg[0] ? rr->msg : want.msg), removed, path,
			 want.violation[0] ? "violation" : "failure",
			 failing(rr) ? "confirmed: it fails again here" : "NOT confirmed: it passed when run again",
			 out_dir);
		snprintf(path, sizeof(path), "%s/explanation.txt", out_dir);
		if (write_text(path, expl, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			rc = 3;
		} else {
			printf("  shrunk: %d removal%s; reproducer: %s/reproducer.yaml (trace.csv, explanation.txt beside it)\n", ndel,
			       ndel == 1 ? "" : "s", out_dir);
			printf("\n%s", expl);
			rc = failing(rr) ? 1 : 3;
		}
		scenario_free(rs);
		free(rs);
		free(rr);
	}
out:
	free(ref.b);
	free(ref.ties);
	free(vl.v);
	free(jobs);
	free(res);
	if (sc)
		scenario_free(sc);
	free(sc);
	return rc;
}
