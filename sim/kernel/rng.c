// SPDX-License-Identifier: BSD-3-Clause
#include <math.h>
#include <string.h>

#include "sim/kernel/rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; s && *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return h;
}

void sim_rng_init(struct sim_rng *r, uint64_t seed, const char *name)
{
	uint64_t x = seed ^ fnv1a(name);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t sim_rng_u64(struct sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

double sim_rng_unit(struct sim_rng *r) { return (double)(sim_rng_u64(r) >> 11) * 0x1.0p-53; }

uint64_t sim_rng_below(struct sim_rng *r, uint64_t n)
{
	uint64_t lim = (UINT64_MAX - n + 1) % n; /* 2^64 mod n */
	uint64_t x;
	do
		x = sim_rng_u64(r);
	while (x < lim);
	return x % n;
}

struct sim_dist sim_dist_lognormal(double median, double p99)
{
	struct sim_dist d = { .kind = SIM_DIST_LOGNORMAL };
	d.a = log(median);
	d.b = p99 > median ? log(p99 / median) / SIM_Z99 : 0.0;
	return d;
}

int sim_dist_empirical(struct sim_dist *d, const double *val, const double *weight, unsigned n)
{
	double sum = 0;
	if (n == 0 || n > SIM_DIST_MAX_TABLE)
		return -1;
	for (unsigned i = 0; i < n; i++) {
		if (!(weight[i] >= 0))
			return -1;
		sum += weight[i];
	}
	if (!(sum > 0))
		return -1;
	memset(d, 0, sizeof(*d));
	d->kind = SIM_DIST_EMPIRICAL;
	d->n = n;
	double c = 0;
	for (unsigned i = 0; i < n; i++) {
		c += weight[i];
		d->val[i] = val[i];
		d->cum[i] = c / sum;
	}
	d->cum[n - 1] = 1.0;
	return 0;
}

static double std_normal(struct sim_rng *r)
{
	double u1 = sim_rng_unit(r), u2 = sim_rng_unit(r);
	return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * M_PI * u2);
}

double sim_dist_sample(const struct sim_dist *d, struct sim_rng *r)
{
	switch (d->kind) {
	case SIM_DIST_CONST:
		return d->a;
	case SIM_DIST_UNIFORM:
		return d->a + (d->b - d->a) * sim_rng_unit(r);
	case SIM_DIST_EXPONENTIAL:
		return -d->a * log(1.0 - sim_rng_unit(r));
	case SIM_DIST_NORMAL:
		return d->a + d->b * std_normal(r);
	case SIM_DIST_LOGNORMAL:
		return exp(d->a + d->b * std_normal(r));
	case SIM_DIST_EMPIRICAL: {
		double u = sim_rng_unit(r);
		for (unsigned i = 0; i < d->n; i++)
			if (u < d->cum[i])
				return d->val[i];
		return d->val[d->n - 1];
	}
	}
	return 0;
}

double sim_dist_mean(const struct sim_dist *d)
{
	switch (d->kind) {
	case SIM_DIST_CONST:
		return d->a;
	case SIM_DIST_UNIFORM:
		return (d->a + d->b) / 2;
	case SIM_DIST_EXPONENTIAL:
		return d->a;
	case SIM_DIST_NORMAL:
		return d->a;
	case SIM_DIST_LOGNORMAL:
		return exp(d->a + d->b * d->b / 2);
	case SIM_DIST_EMPIRICAL: {
		double m = 0, prev = 0;
		for (unsigned i = 0; i < d->n; i++) {
			m += d->val[i] * (d->cum[i] - prev);
			prev = d->cum[i];
		}
		return m;
	}
	}
	return 0;
}

double sim_dist_sd(const struct sim_dist *d)
{
	switch (d->kind) {
	case SIM_DIST_CONST:
		return 0;
	case SIM_DIST_UNIFORM:
		return (d->b - d->a) / sqrt(12.0);
	case SIM_DIST_EXPONENTIAL:
		return d->a;
	case SIM_DIST_NORMAL:
		return d->b;
	case SIM_DIST_LOGNORMAL:
		return sqrt(expm1(d->b * d->b) * exp(2 * d->a + d->b * d->b));
	case SIM_DIST_EMPIRICAL: {
		double m = sim_dist_mean(d), v = 0, prev = 0;
		for (unsigned i = 0; i < d->n; i++) {
			v += (d->val[i] - m) * (d->val[i] - m) * (d->cum[i] - prev);
			prev = d->cum[i];
		}
		return sqrt(v);
	}
	}
	return 0;
}

/*
 * llround(v) for v >= 0, without the libm call below 9e18. A v that is not
 * a whole number there is below 2^52 (from 2^52 on every double is one),
 * so v - trunc(v) is exact, and llround's half away from zero is
 * trunc(v) + (v - trunc(v) >= 0.5), bit for bit.
 */
static inline uint64_t round_pos(double v)
{
	if (v < 9.0e18) {
		/* below 2^63: the signed conversions, one instruction each way */
		int64_t u = (int64_t)v;
		return (uint64_t)u + (v - (double)u >= 0.5);
	}
	return (uint64_t)llround(v);
}

uint64_t sim_round_pos(double v) { return round_pos(v); }

sim_time sim_cost_sample(const struct sim_cost *c, struct sim_rng *r, const struct sim_clock *clk)
{
	/* constants draw no random number: skip the call */
	double v = c->d.kind == SIM_DIST_CONST ? c->d.a : sim_dist_sample(&c->d, r);
	if (!(v > 0))
		return 0;
	if (c->unit == SIM_COST_CYCLES) {
		if (!(v < 1e15)) { /* beyond any cost a scenario can set: convert in floating point, clamped */
			double ps = v * (double)SIM_S / (double)clk->hz;
			return ps < (double)SIM_COST_SAMPLE_MAX ? (sim_time)ps : SIM_COST_SAMPLE_MAX;
		}
		uint64_t cycles = round_pos(v);
		sim_time t;
		/* sim_clock_cycles in 64 bits when cycles * 1e12 + hz / 2 cannot overflow */
		if (cycles <= (UINT64_MAX - clk->hz / 2) / SIM_S)
			return (cycles * SIM_S + clk->hz / 2) / clk->hz;
		t = sim_clock_cycles(clk, cycles);
		return t < SIM_COST_SAMPLE_MAX ? t : SIM_COST_SAMPLE_MAX;
	}
	return v < (double)SIM_COST_SAMPLE_MAX ? (sim_time)round_pos(v) : SIM_COST_SAMPLE_MAX;
}
