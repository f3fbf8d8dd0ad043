// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_workload.c: what else the normal world runs: TA
 * invocations arriving at a rate (user tasks making yielding calls) and
 * CPU-bound batch tasks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ree_internal.h"

/* One TA invocation: when it arrived, and its number (trace records TA request / TA done). */
struct ta_req {
	sim_time at;
	uint64_t n;
};

struct ree_workload {
	struct ree *r;
	char name[32];
	int kind;                /* 0 ta_invoke, 1 cpu_bound */
	uint64_t rate_hz;
	struct sim_cost cost;
	uint64_t cpus;
	struct sim_rng rng;
	struct sim_event ev;
	bool running;
	unsigned rr;
	int idx;                 /* its number in TA request/done records */
	unsigned wait_dev;       /* 0, or 1 + the OP-TEE device whose value the TA waits for */
	bool closed;             /* no rate: each CPU's thread calls again when its call returns */
	struct ree_task *task[REE_MAX_CPUS];
	unsigned queued[REE_MAX_CPUS];
	/* per CPU, the requests queued (oldest first): when each arrived and its number */
	struct ta_req *req[REE_MAX_CPUS];
	unsigned req_head[REE_MAX_CPUS], req_cap[REE_MAX_CPUS];
	struct ta_req cur[REE_MAX_CPUS]; /* the request each CPU's task is serving */
	uint64_t requests;
	uint64_t dropped;
};

struct ree_workloads {
	struct ree_workload w[REE_MAX_WORKLOADS];
	int n;
};

int ree_workloads_init(struct ree *r)
{
	r->wl = calloc(1, sizeof(*r->wl));
	return r->wl ? 0 : -1;
}

void ree_workloads_free(struct ree *r)
{
	if (!r->wl)
		return;
	for (int i = 0; i < r->wl->n; i++) {
		sim_cancel(r->sim->k, &r->wl->w[i].ev);
		for (unsigned c = 0; c < REE_MAX_CPUS; c++)
			free(r->wl->w[i].req[c]);
	}
	free(r->wl);
}

/* ---- workloads ----------------------------------------------------------------------- */

static void ta_loop(struct ree_task *t, struct pe *pe);

static void ta_record(struct ree *r, struct pe *pe, unsigned code, const struct ree_workload *w, const struct ta_req *q)
{
	sim_trace_emit(r->sim->tr, &(struct sim_rec){ .t = sim_now(r->sim->k), .kind = TR_EVENT, .code = (uint16_t)code,
						     .cpu = pe ? (int32_t)pe_id(pe) : -1, .world = SIM_WORLD_NS,
						     .a = (uint64_t)w->idx, .b = q->n, .c = q->at,
						     .label = sim_ev_label(code) });
}

static bool req_push(struct ree_workload *w, unsigned cpu, struct ta_req q);

/* A closed loop's next call on @cpu: it arrives now (the thread calls again as soon as it can). */
static void closed_call(struct ree_workload *w, unsigned cpu)
{
	struct ta_req q = { sim_now(w->r->sim->k), w->requests };
	if (!req_push(w, cpu, q)) {
		w->dropped++;
		return;
	}
	w->requests++;
	ta_record(w->r, NULL, SIM_EV_TA_REQUEST, w, &q);
}

static void ta_done(struct optee_call *c, struct pe *pe, uint64_t rc)
{
	struct ree_task *t = c->task;
	struct ree_workload *w = t->data;
	(void)rc;
	/* the invocation's response time: from its arrival to the return of its call */
	ta_record(t->r, pe, SIM_EV_TA_DONE, w, &w->cur[t->bound]);
	if (w->closed && w->running)
		closed_call(w, (unsigned)t->bound);
	ree_yield(t->r, pe, ta_loop);
}

/* The request queue of @cpu holds w->queued[cpu] entries from req_head (a ring of req_cap). */
static bool req_push(struct ree_workload *w, unsigned cpu, struct ta_req q)
{
	unsigned cap = w->req_cap[cpu], n = w->queued[cpu];
	if (n == cap) {
		unsigned ncap = cap ? cap * 2 : 8;
		struct ta_req *v = malloc(ncap * sizeof(*v));
		if (!v)
			return false;
		for (unsigned i = 0; i < n; i++)
			v[i] = w->req[cpu][(w->req_head[cpu] + i) % cap];
		free(w->req[cpu]);
		w->req[cpu] = v;
		w->req_cap[cpu] = cap = ncap;
		w->req_head[cpu] = 0;
	}
	w->req[cpu][(w->req_head[cpu] + n) % cap] = q;
	w->queued[cpu]++;
	return true;
}

static struct ta_req req_pop(struct ree_workload *w, unsigned cpu)
{
	struct ta_req q = w->req[cpu][w->req_head[cpu]];
	w->req_head[cpu] = (w->req_head[cpu] + 1) % w->req_cap[cpu];
	w->queued[cpu]--;
	return q;
}

static void ta_loop(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	struct ree_workload *w = t->data;
	unsigned cpu = (unsigned)t->bound;
	sim_time work;
	if (!w->queued[cpu]) {
		ree_block(r, pe, ta_loop);
		return;
	}
	w->cur[cpu] = req_pop(w, cpu);
	work = sim_cost_sample(&w->cost, &w->rng, pe_clock(pe));
	t->call.cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
	t->call.param = work;
	/* the command's other two values: the device the TA waits for (if any), and who asks */
	t->call.param_b = w->wait_dev;
	t->call.param_c = (uint64_t)w->idx;
	t->call.tag = 0;
	t->call.done = ta_done;
	ree_optee_call_task(t, pe);
}

static void ta_arrival(void *ctx, uint64_t arg)
{
	struct ree_workload *w = ctx;
	struct ree *r = w->r;
	unsigned n = r->cfg.num_pes;
	(void)arg;
	if (!w->running)
		return;
	if (!ree_optee_ok(r)) {
		w->dropped++; /* no OP-TEE driver: the application's open("/dev/tee0") fails */
		n = 0;
	}
	for (unsigned k = 0; k < n; k++) {
		unsigned cpu = (w->rr + k) % n;
		if ((w->cpus >> cpu & 1) && r->cpu[cpu].online) {
			struct ta_req q = { sim_now(r->sim->k), w->requests };
			w->rr = cpu + 1;
			if (w->queued[cpu] < 1000 && req_push(w, cpu, q)) {
				w->requests++;
				ta_record(r, NULL, SIM_EV_TA_REQUEST, w, &q);
			} else {
				w->dropped++;
			}
			ree_wake(r, w->task[cpu], NULL);
			break;
		}
	}
	if (w->rate_hz)
		sim_schedule(r->sim->k, &w->ev,
			     (sim_time)sim_round_pos(-log(1.0 - sim_rng_unit(&w->rng)) * (double)SIM_S / (double)w->rate_hz), 0);
}

static void cpu_bound_loop(struct ree_task *t, struct pe *pe);

static void cpu_bound_chunk(void *ctx, struct pe *pe)
{
	struct ree_task *t = ctx;
	t->in_user = false;
	ree_yield(t->r, pe, cpu_bound_loop);
}

static void cpu_bound_loop(struct ree_task *t, struct pe *pe)
{
	struct ree_workload *w = t->data;
	if (!w->running) {
		ree_block(t->r, pe, cpu_bound_loop);
		return;
	}
	t->in_user = true; /* a CPU-bound process computes in user mode */
	pe_exec(pe, sim_cost_sample(&w->cost, &w->rng, pe_clock(pe)), t->name, cpu_bound_chunk, t);
}

static int add_workload(struct ree *r, const char *name, int kind, uint64_t rate, const struct sim_cost *cost,
			uint64_t cpus)
{
	struct ree_workload *w;
	char rng_name[48];
	if (r->wl->n == REE_MAX_WORKLOADS)
		return -1;
	w = &r->wl->w[r->wl->n];
	memset(w, 0, sizeof(*w));
	w->r = r;
	w->idx = r->wl->n;
	snprintf(w->name, sizeof(w->name), "%s", name);
	w->kind = kind;
	w->rate_hz = rate;
	w->cost = *cost;
	w->cpus = cpus;
	snprintf(rng_name, sizeof(rng_name), "workload.%s", name);
	sim_rng_init(&w->rng, r->sim->seed, rng_name);
	sim_event_init(&w->ev, ta_arrival, w);
	for (unsigned c = 0; c < r->cfg.num_pes; c++) {
		char tn[32];
		if (!(cpus >> c & 1))
			continue;
		snprintf(tn, sizeof(tn), "%.20s/%u", name, c);
		w->task[c] = ree_task_new(r, tn, (int)c, kind ? PRIO_BATCH : PRIO_NORMAL, REE_USER,
					  kind ? cpu_bound_loop : ta_loop);
		w->task[c]->data = w;
	}
	return r->wl->n++;
}

int ree_add_ta_workload(struct ree *r, const char *name, uint64_t rate_hz, const struct sim_cost *secure_work,
			uint64_t cpus, unsigned wait_dev)
{
	int i = add_workload(r, name, 0, rate_hz, secure_work, cpus);
	if (i >= 0) {
		r->wl->w[i].wait_dev = wait_dev;
		r->wl->w[i].closed = rate_hz == 0;
	}
	return i;
}

int ree_add_cpu_bound(struct ree *r, const char *name, const struct sim_cost *chunk, uint64_t cpus)
{
	return add_workload(r, name, 1, 0, chunk, cpus);
}

void ree_workloads_start(struct ree *r)
{
	for (int i = 0; i < r->wl->n; i++) {
		struct ree_workload *w = &r->wl->w[i];
		w->running = true;
		if (w->kind == 0) {
			if (w->rate_hz)
				sim_schedule(r->sim->k, &w->ev, 0, 0);
			/* a closed loop: one call per CPU from the start (none when /dev/tee0 is missing) */
			for (unsigned c = 0; w->closed && c < r->cfg.num_pes; c++) {
				if (!(w->cpus >> c & 1) || !w->task[c])
					continue;
				if (!ree_optee_ok(r) || !r->cpu[c].online) {
					w->dropped++;
					continue;
				}
				closed_call(w, c);
				ree_wake(r, w->task[c], NULL);
			}
			continue;
		}
		for (unsigned c = 0; c < r->cfg.num_pes; c++)
			if (w->task[c])
				ree_wake(r, w->task[c], NULL);
	}
}

void ree_workloads_stop(struct ree *r)
{
	for (int i = 0; i < r->wl->n; i++) {
		r->wl->w[i].running = false;
		sim_cancel(r->sim->k, &r->wl->w[i].ev);
	}
}

void ree_workload_rate(struct ree *r, int i, uint64_t rate_hz)
{
	struct ree_workload *w = &r->wl->w[i];
	w->rate_hz = rate_hz;
	if (w->running && w->kind == 0) {
		sim_cancel(r->sim->k, &w->ev);
		if (rate_hz)
			sim_schedule(r->sim->k, &w->ev, 0, 0);
	}
}


