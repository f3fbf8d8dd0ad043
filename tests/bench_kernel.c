// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/bench_kernel.c: the hold model on one kernel backend.
 *
 * The classic priority-queue benchmark (Jones, CACM 1986): pre-fill P
 * pending events with random delays, then repeat {pop the earliest and
 * fire it; it schedules one new event with a random delay}, so the queue
 * stays at P. Each event is embedded in a model-like struct and re-armed by
 * its own callback, the pattern tzsim's models use. Delays are uniform in
 * [1, 2^30] ps (about 1 ms), so ties are rare even at P = 65536 and every
 * event costs SystemC one wake-up. A delay is the top 30 bits of one
 * xoshiro word: sim_rng_below's two 64-bit divisions would cost ~15 ns, as
 * much as the queue itself at small P, and the benchmark measures the queue.
 *
 * SystemC allows one elaboration per process, so one run measures one
 * backend at one P; tests/bench.sh runs the configurations.
 *
 *   bench_kernel [--backend native|systemc] [--pending P] [--seconds S] [--events N]
 *
 * A first phase of 100000 events warms up and calibrates; the measured
 * phase then fires N events (by default enough for S = 0.5 s). Output is one
 * line of key=value pairs; `digest` hashes the (time, id) sequence of the
 * first phase, equal on both backends for the same P.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/kernel/kernel.h"
#include "sim/kernel/rng.h"

#define WARMUP 100000ull

static inline sim_time delay(struct sim_rng *r) { return 1 + (sim_rng_u64(r) >> 34); }

struct holder {
	struct sim_event ev;
	struct bench *b;
	uint64_t id;
};

struct bench {
	struct sim_kernel *k;
	struct sim_rng rng;
	struct holder *h;
	uint64_t fired, target, digest;
};

static void hold(void *ctx, uint64_t arg)
{
	struct holder *h = ctx;
	struct bench *b = h->b;
	(void)arg;
	b->digest = (b->digest ^ sim_now(b->k) ^ (h->id << 40)) * 0x100000001b3ull;
	sim_schedule(b->k, &h->ev, delay(&b->rng), 0);
	if (++b->fired == b->target)
		sim_stop(b->k);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Fire @n more events; returns the wall time taken. */
static double fire(struct bench *b, uint64_t n)
{
	double t0 = now_s();
	b->target = b->fired + n;
	while (b->fired < b->target && sim_pending(b->k))
		sim_run_idle(b->k);
	return now_s() - t0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_kernel [--backend native|systemc] [--pending P] "
			"[--seconds S] [--events N]\n");
	return 2;
}

int main(int argc, char **argv)
{
	enum sim_backend backend = SIM_BACKEND_NATIVE;
	unsigned long long pending = 16, events = 0;
	double seconds = 0.5;
	struct bench b;

	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--backend") && v) {
			if (!strcmp(v, "native"))
				backend = SIM_BACKEND_NATIVE;
			else if (!strcmp(v, "systemc"))
				backend = SIM_BACKEND_SYSTEMC;
			else
				return usage();
		} else if (!strcmp(argv[i], "--pending") && v) {
			pending = strtoull(v, NULL, 0);
		} else if (!strcmp(argv[i], "--seconds") && v) {
			seconds = strtod(v, NULL);
		} else if (!strcmp(argv[i], "--events") && v) {
			events = strtoull(v, NULL, 0);
		} else {
			return usage();
		}
		i++;
	}
	if (pending == 0 || !(seconds > 0))
		return usage();

	memset(&b, 0, sizeof(b));
	b.k = sim_kernel_new(backend);
	if (!b.k) {
		fprintf(stderr, "bench_kernel: cannot make a %s kernel\n",
			backend == SIM_BACKEND_SYSTEMC ? "SystemC" : "native");
		return 1;
	}
	b.h = calloc(pending, sizeof(*b.h));
	if (!b.h)
		return 1;
	b.digest = 0xcbf29ce484222325ull;
	sim_rng_init(&b.rng, 1, "bench_kernel");
	for (uint64_t i = 0; i < pending; i++) {
		b.h[i].b = &b;
		b.h[i].id = i;
		sim_event_init(&b.h[i].ev, hold, &b.h[i]);
		sim_schedule(b.k, &b.h[i].ev, delay(&b.rng), 0);
	}

	double warm = fire(&b, WARMUP);
	uint64_t digest = b.digest;
	if (!events) {
		events = (unsigned long long)(seconds / (warm / WARMUP));
		if (events < WARMUP)
			events = WARMUP;
	}
	double t = fire(&b, events);
	if (b.fired != WARMUP + events) {
		fprintf(stderr, "bench_kernel: fired %llu, expected %llu\n",
			(unsigned long long)b.fired, WARMUP + events);
		return 1;
	}
	printf("backend=%s pending=%llu events=%llu seconds=%.3f ns_per_event=%.1f "
	       "mevents_per_s=%.2f digest=%016llx\n",
	       backend == SIM_BACKEND_SYSTEMC ? "systemc" : "native", pending, events, t,
	       t * 1e9 / (double)events, (double)events / t / 1e6, (unsigned long long)digest);
	sim_kernel_free(b.k);
	free(b.h);
	return 0;
}
