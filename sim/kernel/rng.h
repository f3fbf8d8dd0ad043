/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/rng.h: named, seeded random streams and the distributions costs and
 * arrivals are drawn from.
 *
 * Each model instance owns one stream, seeded from (run seed, instance
 * name) through SplitMix64, so that adding a draw in one model never
 * shifts another's sequence. The generator is xoshiro256** (Blackman and
 * Vigna). Normal variates use the Box-Muller transform without a cached
 * spare, so a stream's state depends only on the number of draws.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <stdint.h>

#include "sim/kernel/time.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sim_rng {
	uint64_t s[4];
};

void sim_rng_init(struct sim_rng *r, uint64_t seed, const char *name);
uint64_t sim_rng_u64(struct sim_rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double sim_rng_unit(struct sim_rng *r);
/* Uniform integer in [0, n) (n > 0), without modulo bias. */
uint64_t sim_rng_below(struct sim_rng *r, uint64_t n);
/* llround(@v) for @v >= 0 (or -0.0), bit for bit; the libm call only from 9e18 on (rng.c). */
uint64_t sim_round_pos(double v);

enum sim_dist_kind {
	SIM_DIST_CONST = 0,
	SIM_DIST_UNIFORM,     /* a = lo, b = hi */
	SIM_DIST_EXPONENTIAL, /* a = mean */
	SIM_DIST_NORMAL,      /* a = mean, b = sd */
	SIM_DIST_LOGNORMAL,   /* a = mu, b = sigma (of ln x); see sim_dist_lognormal */
	SIM_DIST_EMPIRICAL,   /* n (value, cumulative weight) pairs */
};

#define SIM_DIST_MAX_TABLE 32

struct sim_dist {
	enum sim_dist_kind kind;
	double a, b;
	unsigned n;
	double val[SIM_DIST_MAX_TABLE];
	double cum[SIM_DIST_MAX_TABLE]; /* cumulative weights, normalised to 1 */
};

/* z such that P(Z <= z) = 0.99 for a standard normal Z. */
#define SIM_Z99 2.3263478740408408

/* (Positional initializers in this header: it is public, and C++ before C++20 has no designated ones.) */
static inline struct sim_dist sim_dist_const(double v)
{
	struct sim_dist d = { SIM_DIST_CONST, v, 0, 0, { 0 }, { 0 } };
	return d;
}
/* Lognormal given as median and p99: mu = ln(median), sigma = ln(p99/median) / z99. */
struct sim_dist sim_dist_lognormal(double median, double p99);
/* Empirical table: returns -1 if n is 0 or too large, or a weight is negative or all are 0. */
int sim_dist_empirical(struct sim_dist *d, const double *val, const double *weight, unsigned n);

double sim_dist_sample(const struct sim_dist *d, struct sim_rng *r);
/* The distribution's mean and standard deviation, from its formula. */
double sim_dist_mean(const struct sim_dist *d);
double sim_dist_sd(const struct sim_dist *d);

/* A cost: a distribution of cycles (of the PE's clock) or of picoseconds. */
enum sim_cost_unit { SIM_COST_PS = 0, SIM_COST_CYCLES = 1 };
struct sim_cost {
	struct sim_dist d;
	enum sim_cost_unit unit;
};

static inline struct sim_cost sim_cost_cycles(double c)
{
	struct sim_cost k = { sim_dist_const(c), SIM_COST_CYCLES };
	return k;
}
static inline struct sim_cost sim_cost_ps(double ps)
{
	struct sim_cost k = { sim_dist_const(ps), SIM_COST_PS };
	return k;
}
/*
 * Draw a cost in ps (negative draws clamp to 0, draws beyond
 * SIM_COST_SAMPLE_MAX to it: a distribution's tail or an absurd constant
 * never wraps into a short time). A constant draws nothing from @r.
 */
#define SIM_COST_SAMPLE_MAX (1ull << 62) /* ps, about 53 days */
sim_time sim_cost_sample(const struct sim_cost *c, struct sim_rng *r, const struct sim_clock *clk);

#ifdef __cplusplus
}
#endif
#endif
