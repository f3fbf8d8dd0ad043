// SPDX-License-Identifier: BSD-3-Clause
/*
 * HdrHistogram layout with unit magnitude 0 and 3 significant digits:
 * sub_bucket_count 2048 (magnitude 11), half count 1024 (magnitude 10).
 * Bucket b holds values [1024 << b, 2048 << b) (bucket 0 holds [0, 2048))
 * with a resolution of 1 << b. Counts index as HdrHistogram's counts_index:
 * ((b + 1) << 10) + (sub - 1024).
 */
#include "sim/stats/hist.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SUB_BUCKET_COUNT 2048u
#define SUB_HALF_MAG 10
#define SUB_HALF_COUNT 1024u
#define SUB_MASK ((uint64_t)SUB_BUCKET_COUNT - 1)
#define COUNTS_LEN (((size_t)SIM_HIST_BUCKETS + 1) * SUB_HALF_COUNT)

struct sim_hist {
	uint64_t total;
	uint64_t min, max;
	unsigned __int128 sum; /* exact: < 2^64 values of < 2^64 each */
	double wmean, m2;      /* Welford running mean and second moment */
	uint64_t counts[COUNTS_LEN];
};

static inline unsigned bucket_of(uint64_t v)
{
	/* log2(pow2ceiling(v | mask)) - (half magnitude + 1): the top bit's position - half magnitude */
	return (unsigned)(63 - __builtin_clzll(v | SUB_MASK)) - SUB_HALF_MAG;
}

static inline size_t index_of(uint64_t v)
{
	unsigned b = bucket_of(v);
	uint64_t sub = v >> b;
	/* ((b + 1) << SUB_HALF_MAG) + (sub - SUB_HALF_COUNT), the half count cancelled out */
	return ((size_t)b << SUB_HALF_MAG) + (size_t)sub;
}

static inline uint64_t value_at_index(size_t i)
{
	long b = (long)(i >> SUB_HALF_MAG) - 1;
	uint64_t sub = (i & (SUB_HALF_COUNT - 1)) + SUB_HALF_COUNT;
	if (b < 0) {
		sub -= SUB_HALF_COUNT;
		b = 0;
	}
	return sub << b;
}

uint64_t sim_hist_lowest_equivalent(uint64_t v)
{
	unsigned b = bucket_of(v);
	return (v >> b) << b;
}

uint64_t sim_hist_highest_equivalent(uint64_t v)
{
	unsigned b = bucket_of(v);
	/* lowest + (size - 1): never overflows, even in the top bucket */
	return ((v >> b) << b) + ((1ull << b) - 1);
}

struct sim_hist *sim_hist_new(void)
{
	struct sim_hist *h = malloc(sizeof(*h));
	if (h)
		sim_hist_reset(h);
	return h;
}

void sim_hist_free(struct sim_hist *h) { free(h); }

void sim_hist_reset(struct sim_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

static inline uint64_t sat_add(uint64_t a, uint64_t b) { return a + b < a ? UINT64_MAX : a + b; }

void sim_hist_record_n(struct sim_hist *h, uint64_t v, uint64_t n)
{
	if (!n)
		return;
	size_t i = index_of(v);
	h->counts[i] = sat_add(h->counts[i], n);
	h->total = sat_add(h->total, n);
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->sum += (unsigned __int128)v * n;
	/* Welford for n equal observations at once */
	double delta = (double)v - h->wmean;
	h->wmean += delta * (double)n / (double)h->total;
	h->m2 += delta * ((double)v - h->wmean) * (double)n;
}

/*
 * sim_hist_record_n with n = 1, spelled out: the hot path (every span of
 * every notification). The same arithmetic: multiplying by 1.0 is exact,
 * so the moments come out bit for bit as sim_hist_record_n's.
 */
void sim_hist_record(struct sim_hist *h, uint64_t v)
{
	size_t i = index_of(v);
	h->counts[i] = sat_add(h->counts[i], 1);
	h->total = sat_add(h->total, 1);
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->sum += v;
	double delta = (double)v - h->wmean;
	h->wmean += delta / (double)h->total;
	h->m2 += delta * ((double)v - h->wmean);
}

void sim_hist_add(struct sim_hist *dst, const struct sim_hist *src)
{
	if (!src->total)
		return;
	for (size_t i = 0; i < COUNTS_LEN; i++)
		dst->counts[i] = sat_add(dst->counts[i], src->counts[i]);
	uint64_t na = dst->total, nb = src->total;
	dst->total = sat_add(na, nb);
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	dst->sum += src->sum;
	/* Chan et al.'s pairwise combination of the second moments */
	double n = (double)na + (double)nb;
	double delta = src->wmean - dst->wmean;
	dst->wmean += delta * (double)nb / n;
	dst->m2 += src->m2 + delta * delta * (double)na * (double)nb / n;
}

uint64_t sim_hist_count(const struct sim_hist *h) { return h->total; }
uint64_t sim_hist_min(const struct sim_hist *h) { return h->total ? h->min : 0; }
uint64_t sim_hist_max(const struct sim_hist *h) { return h->max; }

double sim_hist_mean(const struct sim_hist *h)
{
	return h->total ? (double)h->sum / (double)h->total : 0.0;
}

double sim_hist_stddev(const struct sim_hist *h)
{
	if (!h->total || h->m2 <= 0)
		return 0.0;
	return sqrt(h->m2 / (double)h->total);
}

/* ceil(p/100 * n), at least 1, at most n; see hist.h on the snapping. */
static uint64_t rank_at(double p, uint64_t n)
{
	if (!(p > 0)) /* also NaN */
		p = 0;
	if (p > 100)
		p = 100;
	double f = p / 100.0 * (double)n;
	double fl = floor(f);
	uint64_t r = (uint64_t)fl;
	if (f - fl > 1e-9 * f)
		r++;
	if (r < 1)
		r = 1;
	if (r > n)
		r = n;
	return r;
}

uint64_t sim_hist_percentile(const struct sim_hist *h, double p)
{
	if (!h->total)
		return 0;
	uint64_t want = rank_at(p, h->total), cum = 0;
	for (size_t i = 0; i < COUNTS_LEN; i++) {
		cum += h->counts[i];
		if (h->counts[i] && cum >= want)
			return sim_hist_highest_equivalent(value_at_index(i));
	}
	return sim_hist_highest_equivalent(h->max);
}

uint64_t sim_hist_report(const struct sim_hist *h, double p)
{
	uint64_t v = sim_hist_percentile(h, p);
	return v < h->max ? v : h->max;
}

/*
 * HdrHistogram's PercentileIterator.incrementIterationLevel: the step halves
 * every time the remaining distance to 100% halves, with
 * ticks_per_half_distance (5) steps in each half.
 */
static double next_tick(double tick)
{
	if (tick >= 100.0)
		return 100.0;
	long k = (long)(log(100.0 / (100.0 - tick)) / log(2.0));
	double ticks = ldexp(5.0, (int)(k + 1));
	double next = tick + 100.0 / ticks;
	return next > tick ? next : 100.0;
}

static void row(FILE *f, uint64_t v, double unit_ps, double tick, uint64_t cum, bool last)
{
	double frac = tick / 100.0;
	if (last)
		fprintf(f, "%12.3f %2.12f %10llu\n", (double)v / unit_ps, frac, (unsigned long long)cum);
	else
		fprintf(f, "%12.3f %2.12f %10llu %14.2f\n", (double)v / unit_ps, frac,
			(unsigned long long)cum, 1.0 / (1.0 - frac));
}

int sim_hist_write_hgrm(const struct sim_hist *h, FILE *f, double unit_ps, const char *unit)
{
	if (!(unit_ps > 0))
		unit_ps = 1;
	fprintf(f, "#[unit=%s]\n", unit ? unit : "ps");
	fprintf(f, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");

	double tick = 0.0;
	uint64_t cum = 0;
	for (size_t i = 0; h->total && i < COUNTS_LEN; i++) {
		if (!h->counts[i])
			continue;
		cum += h->counts[i];
		uint64_t v = sim_hist_highest_equivalent(value_at_index(i));
		if (cum >= h->total) {
			/*
			 * As the Java iterator: the last bucket yields the
			 * pending tick once, then one extra step to 100%.
			 */
			if (tick < 100.0)
				row(f, v, unit_ps, tick, cum, false);
			row(f, v, unit_ps, 100.0, cum, true);
			break;
		}
		while (tick < 100.0 && cum >= rank_at(tick, h->total)) {
			row(f, v, unit_ps, tick, cum, false);
			tick = next_tick(tick);
		}
	}

	fprintf(f, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", sim_hist_mean(h) / unit_ps,
		sim_hist_stddev(h) / unit_ps);
	fprintf(f, "#[Max     = %12.3f, Total count    = %12llu]\n", (double)sim_hist_max(h) / unit_ps,
		(unsigned long long)h->total);
	fprintf(f, "#[Buckets = %12d, SubBuckets     = %12d]\n", SIM_HIST_BUCKETS, SIM_HIST_SUB_BUCKETS);
	return ferror(f) ? -1 : 0;
}

/* ---- compact text form (sim_hist_save / sim_hist_load) ------------------------------------- */

int sim_hist_save(const struct sim_hist *h, FILE *f)
{
	size_t prev = 0;
	bool first = true;
	fprintf(f, "n=%llu min=%llu max=%llu sum=%llx:%llx mean=%a m2=%a b=", (unsigned long long)h->total,
		(unsigned long long)h->min, (unsigned long long)h->max, (unsigned long long)(uint64_t)(h->sum >> 64),
		(unsigned long long)(uint64_t)h->sum, h->wmean, h->m2);
	for (size_t i = 0; h->total && i < COUNTS_LEN; i++) {
		if (!h->counts[i])
			continue;
		fprintf(f, "%s%zu:%llu", first ? "" : ",", i - prev, (unsigned long long)h->counts[i]);
		prev = i;
		first = false;
	}
	return ferror(f) ? -1 : 0;
}

/* "name=" at *@s, then an unsigned number in @base; advances *@s past it. */
static bool read_field(const char **s, const char *name, int base, unsigned long long *v)
{
	size_t l = strlen(name);
	char *e;
	while (**s == ' ')
		(*s)++;
	if (strncmp(*s, name, l) || (*s)[l] != '=' || !isxdigit((unsigned char)(*s)[l + 1]))
		return false;
	errno = 0;
	*v = strtoull(*s + l + 1, &e, base);
	if (errno || e == *s + l + 1)
		return false;
	*s = e;
	return true;
}

static bool read_double(const char **s, const char *name, double *v)
{
	size_t l = strlen(name);
	char *e;
	while (**s == ' ')
		(*s)++;
	if (strncmp(*s, name, l) || (*s)[l] != '=')
		return false;
	errno = 0;
	*v = strtod(*s + l + 1, &e);
	if (errno || e == *s + l + 1 || !isfinite(*v))
		return false;
	*s = e;
	return true;
}

int sim_hist_load(struct sim_hist *h, const char *s, const char **end)
{
	unsigned long long total, mn, mx, hi, lo, d, c;
	uint64_t sum_counts = 0;
	size_t i = 0, lowest = 0;
	bool first = true;
	sim_hist_reset(h);
	if (!read_field(&s, "n", 10, &total) || !read_field(&s, "min", 10, &mn) || !read_field(&s, "max", 10, &mx) ||
	    !read_field(&s, "sum", 16, &hi) || *s++ != ':')
		goto bad;
	{
		char *e;
		errno = 0;
		lo = strtoull(s, &e, 16);
		if (errno || e == s)
			goto bad;
		s = e;
	}
	if (!read_double(&s, "mean", &h->wmean) || !read_double(&s, "m2", &h->m2))
		goto bad;
	while (*s == ' ')
		s++;
	if (strncmp(s, "b=", 2))
		goto bad;
	s += 2;
	while ((*s >= '0' && *s <= '9')) {
		char *e;
		errno = 0;
		d = strtoull(s, &e, 10);
		if (errno || *e != ':' || (!first && d == 0))
			goto bad;
		s = e + 1;
		c = strtoull(s, &e, 10);
		if (errno || e == s || c == 0 || d > COUNTS_LEN - 1 - i)
			goto bad;
		s = e;
		i += d;
		h->counts[i] = c;
		sum_counts = sat_add(sum_counts, c);
		if (first)
			lowest = i;
		first = false;
		if (*s != ',')
			break;
		s++;
	}
	/* the exact min and max lie in the lowest and highest non-zero buckets */
	if (sum_counts != total || (total && (mn > mx || index_of(mn) != lowest || index_of(mx) != i)))
		goto bad;
	h->total = total;
	h->min = total ? mn : UINT64_MAX;
	h->max = mx;
	h->sum = (unsigned __int128)hi << 64 | lo;
	if (end)
		*end = s;
	return 0;
bad:
	sim_hist_reset(h);
	return -1;
}

size_t sim_hist_next(const struct sim_hist *h, size_t i, uint64_t *value, uint64_t *count)
{
	for (; h->total && i < COUNTS_LEN; i++)
		if (h->counts[i]) {
			*value = sim_hist_highest_equivalent(value_at_index(i));
			*count = h->counts[i];
			return i;
		}
	return SIM_HIST_END;
}
