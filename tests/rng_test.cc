// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/rng_test.cc: named random streams and distributions (sim/kernel/rng.h).
 *
 * Statistical checks draw N = 200000 samples and accept a sample mean within
 * 5 standard errors of the formula (SE = sd / sqrt(N)) and a sample sd within
 * 5 SE of the sd, SE(sd) ~= sd * sqrt((kurtosis - 1) / (4N)) (the delta
 * method; kurtosis = 3 normal, 9 exponential, 1.8 uniform). At 5 SE a
 * correct generator fails with probability below 1e-6 per check, and the
 * streams are seeded, so a pass is reproducible.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "sim/kernel/rng.h"

namespace {

constexpr int N = 200000;

struct Moments {
	double mean, sd;
};

Moments sample_moments(const sim_dist &d, uint64_t seed, std::vector<double> *keep = nullptr)
{
	sim_rng r;
	sim_rng_init(&r, seed, "moments");
	double sum = 0, sum2 = 0;
	for (int i = 0; i < N; i++) {
		double x = sim_dist_sample(&d, &r);
		sum += x;
		sum2 += x * x;
		if (keep)
			keep->push_back(x);
	}
	double m = sum / N;
	return {m, std::sqrt((sum2 - N * m * m) / (N - 1))};
}

/* 5 standard errors of the mean and of the sd (see the file comment). */
void expect_moments(const Moments &s, double mean, double sd, double kurtosis)
{
	double se_mean = sd / std::sqrt((double)N);
	double se_sd = sd * std::sqrt((kurtosis - 1) / (4.0 * N));
	EXPECT_NEAR(s.mean, mean, 5 * se_mean);
	EXPECT_NEAR(s.sd, sd, 5 * se_sd);
}

bool same_state(const sim_rng &a, const sim_rng &b) { return std::memcmp(a.s, b.s, sizeof a.s) == 0; }

} // namespace

/* rng.h: a stream is seeded from (run seed, instance name) only. */
TEST(Rng, SameSeedAndNameGiveSameStream)
{
	sim_rng a, b;
	sim_rng_init(&a, 1234, "pe0");
	sim_rng_init(&b, 1234, "pe0");
	for (int i = 0; i < 1000; i++)
		ASSERT_EQ(sim_rng_u64(&a), sim_rng_u64(&b));
}

/* rng.h: each instance owns its stream: another name is another sequence. */
TEST(Rng, DifferentNamesGiveDifferentStreams)
{
	sim_rng a, b;
	sim_rng_init(&a, 1234, "pe0");
	sim_rng_init(&b, 1234, "pe1");
	int same = 0;
	for (int i = 0; i < 1000; i++)
		same += sim_rng_u64(&a) == sim_rng_u64(&b);
	EXPECT_EQ(same, 0);
}

/* rng.h: the run seed changes every stream. */
TEST(Rng, DifferentSeedsGiveDifferentStreams)
{
	sim_rng a, b;
	sim_rng_init(&a, 1, "pe0");
	sim_rng_init(&b, 2, "pe0");
	EXPECT_NE(sim_rng_u64(&a), sim_rng_u64(&b));
}

/* rng.h sim_rng_unit: uniform in [0, 1). */
TEST(Rng, UnitStaysInHalfOpenInterval)
{
	sim_rng r;
	sim_rng_init(&r, 5, "unit");
	for (int i = 0; i < N; i++) {
		double u = sim_rng_unit(&r);
		ASSERT_GE(u, 0.0);
		ASSERT_LT(u, 1.0);
	}
}

/* rng.h sim_rng_below: every value of [0, n) appears with frequency 1/n (5 SE). */
TEST(Rng, BelowCoversRangeUniformly)
{
	sim_rng r;
	sim_rng_init(&r, 9, "below");
	const uint64_t n = 7;
	std::vector<int> count(n, 0);
	for (int i = 0; i < N; i++) {
		uint64_t v = sim_rng_below(&r, n);
		ASSERT_LT(v, n);
		count[v]++;
	}
	double p = 1.0 / n, se = std::sqrt(p * (1 - p) / N);
	for (uint64_t v = 0; v < n; v++)
		EXPECT_NEAR(count[v] / (double)N, p, 5 * se) << "value " << v;
	EXPECT_EQ(sim_rng_below(&r, 1), 0u);
}

/*
 * rng.h sim_rng_below: no modulo bias. For n = 3 * 2^62, x % n maps 2^64 raw
 * values so that [0, 2^62) gets twice the weight: P = 1/2 instead of 1/3.
 */
TEST(Rng, BelowHasNoModuloBias)
{
	sim_rng r;
	sim_rng_init(&r, 11, "bias");
	const uint64_t n = 3ull << 62, third = 1ull << 62;
	int low = 0;
	for (int i = 0; i < N; i++)
		low += sim_rng_below(&r, n) < third;
	double p = 1.0 / 3, se = std::sqrt(p * (1 - p) / N);
	EXPECT_NEAR(low / (double)N, p, 5 * se);
}

/* rng.h: a constant is its value: mean v, sd 0, every draw v. */
TEST(RngDist, ConstantIsItsValue)
{
	sim_dist d = sim_dist_const(42.5);
	EXPECT_EQ(sim_dist_mean(&d), 42.5);
	EXPECT_EQ(sim_dist_sd(&d), 0.0);
	Moments s = sample_moments(d, 1);
	EXPECT_EQ(s.mean, 42.5);
}

/* Uniform on [a, b): mean (a + b) / 2, sd (b - a) / sqrt(12); kurtosis 9/5. */
TEST(RngDist, UniformMatchesMoments)
{
	sim_dist d = {};
	d.kind = SIM_DIST_UNIFORM;
	d.a = 100;
	d.b = 300;
	EXPECT_DOUBLE_EQ(sim_dist_mean(&d), 200.0);
	EXPECT_DOUBLE_EQ(sim_dist_sd(&d), 200.0 / std::sqrt(12.0));
	std::vector<double> xs;
	expect_moments(sample_moments(d, 2, &xs), 200.0, 57.735026918962575, 1.8);
	EXPECT_GE(*std::min_element(xs.begin(), xs.end()), 100.0);
	EXPECT_LT(*std::max_element(xs.begin(), xs.end()), 300.0);
}

/* Exponential with mean m: sd = m; kurtosis 9. */
TEST(RngDist, ExponentialMatchesMoments)
{
	sim_dist d = {};
	d.kind = SIM_DIST_EXPONENTIAL;
	d.a = 1500;
	EXPECT_DOUBLE_EQ(sim_dist_mean(&d), 1500.0);
	EXPECT_DOUBLE_EQ(sim_dist_sd(&d), 1500.0);
	expect_moments(sample_moments(d, 3), 1500.0, 1500.0, 9.0);
}

/* Normal(mean, sd); kurtosis 3. */
TEST(RngDist, NormalMatchesMoments)
{
	sim_dist d = {};
	d.kind = SIM_DIST_NORMAL;
	d.a = 1000;
	d.b = 50;
	EXPECT_DOUBLE_EQ(sim_dist_mean(&d), 1000.0);
	EXPECT_DOUBLE_EQ(sim_dist_sd(&d), 50.0);
	expect_moments(sample_moments(d, 4), 1000.0, 50.0, 3.0);
}

/*
 * Lognormal from median 100 and p99 300: sigma = ln 3 / z99 = 0.47226,
 * mean = median * exp(sigma^2 / 2) = 111.796, sd = mean * sqrt(exp(sigma^2) - 1)
 * = 55.937, kurtosis = e^{4s^2} + 2e^{3s^2} + 3e^{2s^2} - 3 = 8.05.
 */
TEST(RngDist, LognormalMatchesMoments)
{
	sim_dist d = sim_dist_lognormal(100, 300);
	const double s2 = std::pow(std::log(3.0) / 2.3263478740408408, 2);
	const double mean = 100 * std::exp(s2 / 2), sd = mean * std::sqrt(std::exp(s2) - 1);
	const double kurt = std::exp(4 * s2) + 2 * std::exp(3 * s2) + 3 * std::exp(2 * s2) - 3;
	EXPECT_NEAR(sim_dist_mean(&d), mean, 1e-9 * mean);
	EXPECT_NEAR(sim_dist_sd(&d), sd, 1e-9 * sd);
	EXPECT_NEAR(mean, 111.796, 0.001); /* the closed form, worked by hand */
	expect_moments(sample_moments(d, 5), mean, sd, kurt);
}

/*
 * rng.h sim_dist_lognormal: the median and p99 it was given come back from
 * the sample (order statistics: the p99's SE at N = 200k is ~0.5%, so 3% is
 * generous; the median's ~0.2%, against 1%).
 */
TEST(RngDist, LognormalRecoversMedianAndP99)
{
	sim_dist d = sim_dist_lognormal(2000, 9000);
	std::vector<double> xs;
	sample_moments(d, 6, &xs);
	std::nth_element(xs.begin(), xs.begin() + N / 2, xs.end());
	EXPECT_NEAR(xs[N / 2], 2000, 0.01 * 2000);
	std::nth_element(xs.begin(), xs.begin() + N * 99 / 100, xs.end());
	EXPECT_NEAR(xs[N * 99 / 100], 9000, 0.03 * 9000);
}

/* rng.h sim_dist_lognormal: p99 <= median degenerates to the constant median. */
TEST(RngDist, LognormalWithoutSpreadIsMedian)
{
	sim_dist d = sim_dist_lognormal(500, 500);
	sim_rng r;
	sim_rng_init(&r, 1, "x");
	EXPECT_NEAR(sim_dist_sample(&d, &r), 500, 1e-9);
	EXPECT_NEAR(sim_dist_sd(&d), 0, 1e-12);
}

/* Empirical table: each value with frequency weight / sum (5 SE of a proportion). */
TEST(RngDist, EmpiricalMatchesFrequencies)
{
	const double val[3] = {10, 20, 50}, w[3] = {1, 2, 7};
	sim_dist d;
	ASSERT_EQ(sim_dist_empirical(&d, val, w, 3), 0);
	/* mean = 0.1*10 + 0.2*20 + 0.7*50 = 40; var = 0.1*900 + 0.2*400 + 0.7*100 = 240 */
	EXPECT_NEAR(sim_dist_mean(&d), 40.0, 1e-9);
	EXPECT_NEAR(sim_dist_sd(&d), std::sqrt(240.0), 1e-9);
	sim_rng r;
	sim_rng_init(&r, 8, "emp");
	int c[3] = {0, 0, 0};
	for (int i = 0; i < N; i++) {
		double x = sim_dist_sample(&d, &r);
		int k = x == 10 ? 0 : x == 20 ? 1 : x == 50 ? 2 : -1;
		ASSERT_GE(k, 0) << "value not in the table: " << x;
		c[k]++;
	}
	const double p[3] = {0.1, 0.2, 0.7};
	for (int k = 0; k < 3; k++)
		EXPECT_NEAR(c[k] / (double)N, p[k], 5 * std::sqrt(p[k] * (1 - p[k]) / N)) << "value " << val[k];
}

/* rng.h sim_dist_empirical: rejects n = 0, n > 32, negative or all-zero weights. */
TEST(RngDist, EmpiricalRejectsBadTables)
{
	double val[33] = {}, w[33] = {};
	sim_dist d;
	EXPECT_EQ(sim_dist_empirical(&d, val, w, 0), -1);
	EXPECT_EQ(sim_dist_empirical(&d, val, w, 33), -1);
	EXPECT_EQ(sim_dist_empirical(&d, val, w, 3), -1); /* all zero */
	w[0] = 1;
	w[1] = -1;
	EXPECT_EQ(sim_dist_empirical(&d, val, w, 3), -1);
}

/* rng.h sim_cost_sample: cycles convert with the PE clock (time.h rounding). */
TEST(RngCost, CyclesConvertWithClock)
{
	sim_rng r;
	sim_rng_init(&r, 1, "cost");
	sim_clock c12 = {1200000000}, c20 = {2000000000};
	sim_cost c = sim_cost_cycles(3);
	EXPECT_EQ(sim_cost_sample(&c, &r, &c12), 2500u); /* 3 / 1.2 GHz = 2.5 ns */
	EXPECT_EQ(sim_cost_sample(&c, &r, &c20), 1500u);
	c = sim_cost_cycles(1);
	EXPECT_EQ(sim_cost_sample(&c, &r, &c12), 833u); /* 833.33 rounds down */
	sim_cost p = sim_cost_ps(1234);
	EXPECT_EQ(sim_cost_sample(&p, &r, &c12), 1234u); /* ps ignore the clock */
}

/* rng.h sim_cost_sample: a random cycle count is rounded to whole cycles, then converted. */
TEST(RngCost, RandomCyclesRoundToWholeCycles)
{
	sim_cost c = {};
	c.unit = SIM_COST_CYCLES;
	c.d.kind = SIM_DIST_UNIFORM;
	c.d.a = 10;
	c.d.b = 20;
	sim_clock clk = {1200000000};
	sim_rng r, twin;
	sim_rng_init(&r, 3, "cost");
	twin = r;
	for (int i = 0; i < 1000; i++) {
		double cycles = std::llround(sim_dist_sample(&c.d, &twin));
		EXPECT_EQ(sim_cost_sample(&c, &r, &clk), sim_clock_cycles(&clk, (uint64_t)cycles));
	}
}

/* rng.h sim_cost_sample: negative draws clamp to 0. */
TEST(RngCost, NegativeDrawsClampToZero)
{
	sim_rng r;
	sim_rng_init(&r, 1, "neg");
	sim_clock clk = {2000000000};
	sim_cost c = sim_cost_ps(-50);
	EXPECT_EQ(sim_cost_sample(&c, &r, &clk), 0u);
	c = sim_cost_cycles(-3);
	EXPECT_EQ(sim_cost_sample(&c, &r, &clk), 0u);
	sim_cost n = {};
	n.unit = SIM_COST_PS;
	n.d.kind = SIM_DIST_NORMAL;
	n.d.a = -1000;
	n.d.b = 10;
	for (int i = 0; i < 1000; i++)
		ASSERT_EQ(sim_cost_sample(&n, &r, &clk), 0u);
}

/* rng.h: a constant draws nothing from the stream (so adding one shifts no sequence). */
TEST(RngCost, ConstantDrawsNothing)
{
	sim_rng r, before;
	sim_rng_init(&r, 77, "const");
	before = r;
	sim_clock clk = {1200000000};
	sim_cost c = sim_cost_cycles(100), p = sim_cost_ps(5);
	for (int i = 0; i < 10; i++) {
		sim_cost_sample(&c, &r, &clk);
		sim_cost_sample(&p, &r, &clk);
	}
	EXPECT_TRUE(same_state(r, before));
}

/* rng.h: normals use Box-Muller without a cached spare: two draws each, always. */
TEST(RngDist, NormalDrawsTwoWordsPerSample)
{
	sim_dist d = {};
	d.kind = SIM_DIST_NORMAL;
	d.a = 0;
	d.b = 1;
	sim_rng r, twin;
	sim_rng_init(&r, 99, "bm");
	twin = r;
	for (int i = 0; i < 3; i++)
		sim_dist_sample(&d, &r);
	for (int i = 0; i < 6; i++)
		sim_rng_u64(&twin);
	EXPECT_TRUE(same_state(r, twin));
}
