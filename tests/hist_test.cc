// SPDX-License-Identifier: BSD-3-Clause
/* tests/hist_test.cc: the HDR histogram against exact statistics of the data. */
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sim/stats/hist.h"

namespace {

struct HistPtr {
	sim_hist *h = sim_hist_new();
	~HistPtr() { sim_hist_free(h); }
	operator sim_hist *() const { return h; }
};

/* Latency-like data: log-uniform between 100 ps and 10 ms, plus a few exact small values. */
std::vector<uint64_t> sample(size_t n, uint64_t seed)
{
	std::mt19937_64 rng(seed);
	std::uniform_real_distribution<double> e(2.0, 10.0);
	std::vector<uint64_t> v;
	for (size_t i = 0; i < n; i++)
		v.push_back(i % 97 == 0 ? i % 3000 : (uint64_t)std::pow(10.0, e(rng)));
	return v;
}

/*
 * The exact percentile with the rank HdrHistogram uses: ceil(p/100 * n), at
 * least 1. 99.9 has no exact binary form (99.9/100 * 1000 = 999.0000000000001
 * in doubles), so the reference ignores noise below 1e-9 relative: the rank of
 * 99.9% of 1000 values is 999.
 */
uint64_t exact_percentile(const std::vector<uint64_t> &sorted, double p)
{
	double f = p / 100.0 * (double)sorted.size();
	size_t r = (size_t)std::ceil(f - 1e-9 * f);
	r = std::max<size_t>(r, 1);
	r = std::min(r, sorted.size());
	return sorted[r - 1];
}

} // namespace

/* HdrHistogram: 3 significant digits keeps every value within 1e-3 relative; below 2048 exactly. */
TEST(Hist, EquivalentRangeWithinRelativePrecision)
{
	std::mt19937_64 rng(1);
	for (int i = 0; i < 200000; i++) {
		uint64_t v = rng() >> (rng() % 64);
		uint64_t lo = sim_hist_lowest_equivalent(v), hi = sim_hist_highest_equivalent(v);
		ASSERT_LE(lo, v);
		ASSERT_GE(hi, v);
		if (v < 2048)
			ASSERT_EQ(lo, hi) << v;
		else
			ASSERT_LE((double)(hi - lo), 1e-3 * (double)v) << v;
	}
	EXPECT_EQ(sim_hist_highest_equivalent(UINT64_MAX), UINT64_MAX);
	EXPECT_EQ(sim_hist_lowest_equivalent(0), 0u);
}

TEST(Hist, RecordsZeroAndFullRange)
{
	HistPtr h;
	sim_hist_record(h, 0);
	sim_hist_record(h, 1);
	sim_hist_record(h, UINT64_MAX);
	sim_hist_record(h, 1ull << 63);
	EXPECT_EQ(sim_hist_count(h), 4u);
	EXPECT_EQ(sim_hist_min(h), 0u);
	EXPECT_EQ(sim_hist_max(h), UINT64_MAX);
	EXPECT_EQ(sim_hist_percentile(h, 0), 0u);
	EXPECT_EQ(sim_hist_percentile(h, 50), 1u);
	EXPECT_EQ(sim_hist_percentile(h, 100), UINT64_MAX);
}

TEST(Hist, EmptyIsAllZero)
{
	HistPtr h;
	EXPECT_EQ(sim_hist_count(h), 0u);
	EXPECT_EQ(sim_hist_min(h), 0u);
	EXPECT_EQ(sim_hist_max(h), 0u);
	EXPECT_EQ(sim_hist_mean(h), 0.0);
	EXPECT_EQ(sim_hist_stddev(h), 0.0);
	EXPECT_EQ(sim_hist_percentile(h, 99), 0u);
}

/* valueAtPercentile: the highest equivalent value of the rank-th smallest recorded value. */
TEST(Hist, PercentilesMatchSortedReferenceWithinBucket)
{
	for (size_t n : {1u, 2u, 7u, 1000u, 1600u, 100000u}) {
		HistPtr h;
		std::vector<uint64_t> v = sample(n, n);
		for (uint64_t x : v)
			sim_hist_record(h, x);
		std::sort(v.begin(), v.end());
		for (double p : {0.0, 0.1, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.0625, 99.9, 99.99, 99.999, 100.0}) {
			uint64_t ex = exact_percentile(v, p), got = sim_hist_percentile(h, p);
			ASSERT_EQ(got, sim_hist_highest_equivalent(ex)) << "n=" << n << " p=" << p;
			ASSERT_LE((double)(got - ex), 1e-3 * (double)ex + 0.0) << "n=" << n << " p=" << p;
		}
		EXPECT_EQ(sim_hist_min(h), v.front());
		EXPECT_EQ(sim_hist_max(h), v.back());
	}
}

TEST(Hist, MeanAndStddevAreExact)
{
	HistPtr h;
	std::vector<uint64_t> v = sample(50000, 9);
	long double s = 0, s2 = 0;
	for (uint64_t x : v) {
		sim_hist_record(h, x);
		s += x;
	}
	long double mean = s / v.size();
	for (uint64_t x : v)
		s2 += ((long double)x - mean) * ((long double)x - mean);
	double sd = (double)std::sqrt(s2 / v.size());
	EXPECT_NEAR(sim_hist_mean(h), (double)mean, 1e-9 * (double)mean);
	EXPECT_NEAR(sim_hist_stddev(h), sd, 1e-9 * sd);
}

/* A narrow distribution: bucket medians would give a wrong stddev; the data's is exact. */
TEST(Hist, StddevOfNarrowDistributionIsTheData)
{
	HistPtr h;
	sim_hist_record(h, 1000000000);
	sim_hist_record(h, 1000000002);
	EXPECT_DOUBLE_EQ(sim_hist_mean(h), 1000000001.0);
	EXPECT_NEAR(sim_hist_stddev(h), 1.0, 1e-6);
}

TEST(Hist, RecordNEqualsRepeatedRecord)
{
	HistPtr a, b;
	sim_hist_record_n(a, 12345, 10);
	sim_hist_record_n(a, 7, 0);
	for (int i = 0; i < 10; i++)
		sim_hist_record(b, 12345);
	EXPECT_EQ(sim_hist_count(a), 10u);
	EXPECT_EQ(sim_hist_min(a), 12345u);
	EXPECT_EQ(sim_hist_percentile(a, 50), sim_hist_percentile(b, 50));
	EXPECT_NEAR(sim_hist_stddev(a), 0.0, 1e-9);
}

TEST(Hist, MergeEqualsRecordingEverything)
{
	HistPtr a, b, all;
	std::vector<uint64_t> v = sample(20000, 3);
	for (size_t i = 0; i < v.size(); i++) {
		sim_hist_record(i % 3 ? a : b, v[i] * (i % 3 ? 1 : 5));
		sim_hist_record(all, v[i] * (i % 3 ? 1 : 5));
	}
	sim_hist_add(a, b);
	EXPECT_EQ(sim_hist_count(a), sim_hist_count(all));
	EXPECT_EQ(sim_hist_min(a), sim_hist_min(all));
	EXPECT_EQ(sim_hist_max(a), sim_hist_max(all));
	EXPECT_NEAR(sim_hist_mean(a), sim_hist_mean(all), 1e-9 * sim_hist_mean(all));
	EXPECT_NEAR(sim_hist_stddev(a), sim_hist_stddev(all), 1e-9 * sim_hist_stddev(all));
	for (double p = 0; p <= 100; p += 0.5)
		ASSERT_EQ(sim_hist_percentile(a, p), sim_hist_percentile(all, p)) << p;

	HistPtr empty;
	sim_hist_add(a, empty);
	EXPECT_EQ(sim_hist_count(a), sim_hist_count(all));
	sim_hist_add(empty, all);
	EXPECT_EQ(sim_hist_percentile(empty, 99.9), sim_hist_percentile(all, 99.9));
}

TEST(Hist, ResetForgetsEverything)
{
	HistPtr h;
	sim_hist_record(h, 5000);
	sim_hist_reset(h);
	EXPECT_EQ(sim_hist_count(h), 0u);
	sim_hist_record(h, 7);
	EXPECT_EQ(sim_hist_min(h), 7u);
	EXPECT_EQ(sim_hist_max(h), 7u);
	EXPECT_EQ(sim_hist_percentile(h, 100), 7u);
}

namespace {

struct HgrmRow {
	double value, pct;
	uint64_t count;
	bool has_inverse;
};

std::string hgrm_text(const sim_hist *h, double unit_ps, const char *unit)
{
	char *buf = nullptr;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	EXPECT_EQ(sim_hist_write_hgrm(h, f, unit_ps, unit), 0);
	fclose(f);
	std::string s(buf, len);
	free(buf);
	return s;
}

} // namespace

/* The .hgrm rows: HdrHistogram's outputPercentileDistribution layout, consistent with percentile(). */
TEST(Hist, HgrmRowsParseAndAgreeWithPercentile)
{
	for (size_t n : {1u, 3u, 1600u, 100000u}) {
		HistPtr h;
		for (uint64_t x : sample(n, 100 + n))
			sim_hist_record(h, x);
		std::string text = hgrm_text(h, 1000.0, "ns");
		std::istringstream in(text);
		std::string line;
		ASSERT_TRUE(std::getline(in, line));
		EXPECT_EQ(line, "#[unit=ns]");
		ASSERT_TRUE(std::getline(in, line));
		EXPECT_EQ(line, "       Value     Percentile TotalCount 1/(1-Percentile)");
		ASSERT_TRUE(std::getline(in, line));
		EXPECT_EQ(line, "");
		std::vector<HgrmRow> rows;
		std::vector<std::string> footer;
		while (std::getline(in, line)) {
			if (line[0] == '#') {
				footer.push_back(line);
				continue;
			}
			ASSERT_TRUE(footer.empty()) << "row after footer: " << line;
			HgrmRow r{};
			unsigned long long c = 0;
			double inv = 0;
			int k = sscanf(line.c_str(), "%lf %lf %llu %lf", &r.value, &r.pct, &c, &inv);
			ASSERT_GE(k, 3) << line;
			r.count = c;
			r.has_inverse = k == 4;
			if (r.has_inverse) {
				EXPECT_NEAR(inv, 1.0 / (1.0 - r.pct), 0.006 + 1e-9 * inv) << line;
			}
			rows.push_back(r);
		}
		ASSERT_FALSE(rows.empty());
		for (size_t i = 0; i < rows.size(); i++) {
			uint64_t want = sim_hist_percentile(h, rows[i].pct * 100.0);
			EXPECT_EQ((uint64_t)std::llround(rows[i].value * 1000.0), want) << "n=" << n << " row " << i;
			EXPECT_LE(rows[i].count, sim_hist_count(h));
			if (i) {
				EXPECT_GE(rows[i].count, rows[i - 1].count);
				EXPECT_GT(rows[i].pct, rows[i - 1].pct);
			}
			EXPECT_EQ(rows[i].has_inverse, i + 1 != rows.size());
		}
		EXPECT_EQ(rows.back().pct, 1.0);
		EXPECT_EQ(rows.back().count, sim_hist_count(h));
		EXPECT_EQ(rows.front().pct, 0.0);
		ASSERT_EQ(footer.size(), 3u);
		double mean = 0, sd = 0, max = 0;
		unsigned long long total = 0;
		int buckets = 0, subs = 0;
		ASSERT_EQ(sscanf(footer[0].c_str(), "#[Mean    = %lf, StdDeviation   = %lf]", &mean, &sd), 2);
		ASSERT_EQ(sscanf(footer[1].c_str(), "#[Max     = %lf, Total count    = %llu]", &max, &total), 2);
		ASSERT_EQ(sscanf(footer[2].c_str(), "#[Buckets = %d, SubBuckets     = %d]", &buckets, &subs), 2);
		EXPECT_NEAR(mean, sim_hist_mean(h) / 1000.0, 0.0006);
		EXPECT_NEAR(max, sim_hist_max(h) / 1000.0, 0.0006);
		EXPECT_EQ(total, sim_hist_count(h));
		EXPECT_EQ(buckets, SIM_HIST_BUCKETS);
		EXPECT_EQ(subs, 2048);
	}
}

/* HdrHistogram's tick sequence: 5 ticks per half distance, 0 10 .. 50 55 .. 75 77.5 .. */
TEST(Hist, HgrmTicksFollowHdrHistogram)
{
	HistPtr h;
	for (uint64_t i = 1; i <= 100000; i++)
		sim_hist_record(h, i);
	std::string text = hgrm_text(h, 1.0, "ps");
	std::vector<double> pct;
	std::istringstream in(text);
	std::string line;
	while (std::getline(in, line)) {
		double v, p;
		if (line.empty() || line[0] == '#' || sscanf(line.c_str(), "%lf %lf", &v, &p) != 2)
			continue;
		pct.push_back(p);
	}
	std::vector<double> want = {0, .1, .2, .3, .4, .5, .55, .6, .65, .7, .75, .775, .8, .825, .85, .875, .8875};
	ASSERT_GE(pct.size(), want.size());
	for (size_t i = 0; i < want.size(); i++)
		EXPECT_NEAR(pct[i], want[i], 1e-12) << i;
}

TEST(Hist, HgrmOfEmptyHistogramHasNoRows)
{
	HistPtr h;
	std::string text = hgrm_text(h, 1000.0, "ns");
	EXPECT_NE(text.find("#[Max     =        0.000, Total count    =            0]"), std::string::npos) << text;
	EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 6);
}

/* The compact text form rebuilds the histogram bit for bit (merge must equal compare). */
TEST(Hist, SaveLoadRoundTripsExactly)
{
	for (size_t n : { 0, 1, 5, 20000 }) {
		HistPtr a, b;
		for (uint64_t v : sample(n, 7 + n))
			sim_hist_record(a, v);
		char *buf = nullptr;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		ASSERT_EQ(sim_hist_save(a, f), 0);
		fclose(f);
		const char *end = nullptr;
		ASSERT_EQ(sim_hist_load(b, buf, &end), 0) << buf;
		EXPECT_EQ(end, buf + len);
		EXPECT_EQ(sim_hist_count(a), sim_hist_count(b));
		EXPECT_EQ(sim_hist_min(a), sim_hist_min(b));
		EXPECT_EQ(sim_hist_max(a), sim_hist_max(b));
		EXPECT_EQ(sim_hist_mean(a), sim_hist_mean(b)); /* exact: the same doubles */
		EXPECT_EQ(sim_hist_stddev(a), sim_hist_stddev(b));
		for (double p : { 0.0, 50.0, 90.0, 99.0, 99.9, 100.0 })
			EXPECT_EQ(sim_hist_percentile(a, p), sim_hist_percentile(b, p));
		/* and the same text again */
		char *buf2 = nullptr;
		size_t len2 = 0;
		f = open_memstream(&buf2, &len2);
		sim_hist_save(b, f);
		fclose(f);
		EXPECT_STREQ(buf, buf2);
		/* merging the loaded copy is merging the original */
		HistPtr m1, m2;
		sim_hist_add(m1, a);
		sim_hist_add(m2, b);
		EXPECT_EQ(sim_hist_percentile(m1, 99), sim_hist_percentile(m2, 99));
		free(buf);
		free(buf2);
	}
}

TEST(Hist, LoadRejectsMalformedText)
{
	HistPtr h;
	const char *bad[] = {
		"",
		"n=1 min=5 max=5 sum=0:5 mean=0x1.4p+2 m2=0x0p+0",           /* no buckets field */
		"n=2 min=5 max=5 sum=0:a mean=0x1.4p+2 m2=0x0p+0 b=5:1",     /* counts do not add up */
		"n=1 min=5 max=5 sum=0:5 mean=0x1.4p+2 m2=0x0p+0 b=999999:1", /* index out of range */
		"n=1 min=5 max=5 sum=0:5 mean=0x1.4p+2 m2=0x0p+0 b=6:1",     /* max not in its bucket */
		"n=1 min=5 max=5 sum=0:5 mean=nan m2=0x0p+0 b=5:1",
		"n=1 min=5 max=5 sum=0:5 mean=0x1.4p+2 m2=0x0p+0 b=5:0",     /* an empty bucket listed */
	};
	for (const char *s : bad)
		EXPECT_EQ(sim_hist_load(h, s, nullptr), -1) << s;
	EXPECT_EQ(sim_hist_load(h, "n=1 min=5 max=5 sum=0:5 mean=0x1.4p+2 m2=0x0p+0 b=5:1", nullptr), 0);
	EXPECT_EQ(sim_hist_max(h), 5u);
}

TEST(Hist, NextVisitsNonZeroBucketsInOrder)
{
	HistPtr h;
	sim_hist_record_n(h, 3000, 2);
	sim_hist_record(h, 7);
	uint64_t v, c, seen = 0, last = 0;
	for (size_t i = sim_hist_next(h, 0, &v, &c); i != SIM_HIST_END; i = sim_hist_next(h, i + 1, &v, &c)) {
		EXPECT_GT(v, last);
		last = v;
		seen += c;
	}
	EXPECT_EQ(seen, 3u);
	EXPECT_EQ(last, sim_hist_highest_equivalent(3000));
}
