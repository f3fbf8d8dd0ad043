/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/stats/hist.h: HDR (log-linear) histogram of uint64 values, usually
 * picoseconds of latency.
 *
 * The layout is HdrHistogram's with lowest discernible value 1 and 3
 * significant decimal digits: 2048 sub-buckets per bucket (1024 per bucket
 * after the first), so any value is kept within a relative error of 1/1024
 * (< 1e-3), and values below 2048 exactly. The range is the whole uint64
 * (0 included; 0 and 1 share no bucket), 54 buckets. All memory
 * (~440 KiB) is allocated by sim_hist_new; recording never allocates.
 *
 * Besides the counts a histogram keeps the exact count, min, max and sum of
 * the recorded values, and a running second moment (Welford/Chan), so
 * mean and standard deviation are those of the data, not of the buckets.
 *
 * A histogram is plain data: no global state, not thread-safe.
 */
#ifndef SIM_HIST_H
#define SIM_HIST_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sim_hist;

/* Layout constants, as HdrHistogram reports them in the .hgrm footer. */
#define SIM_HIST_SUB_BUCKETS 2048
#define SIM_HIST_BUCKETS 54

/* A new empty histogram, or NULL when out of memory. */
struct sim_hist *sim_hist_new(void);
void sim_hist_free(struct sim_hist *h);
/* Forget every recorded value (no allocation). */
void sim_hist_reset(struct sim_hist *h);

/* Record @v once / @n times. Counts saturate at UINT64_MAX (never reached in practice). */
void sim_hist_record(struct sim_hist *h, uint64_t v);
void sim_hist_record_n(struct sim_hist *h, uint64_t v, uint64_t n);
/* Add every value recorded in @src to @dst (@src unchanged). */
void sim_hist_add(struct sim_hist *dst, const struct sim_hist *src);

uint64_t sim_hist_count(const struct sim_hist *h);
/* Exact smallest / largest recorded value; 0 when empty. */
uint64_t sim_hist_min(const struct sim_hist *h);
uint64_t sim_hist_max(const struct sim_hist *h);
/* Exact mean and population standard deviation of the data; 0 when empty. */
double sim_hist_mean(const struct sim_hist *h);
double sim_hist_stddev(const struct sim_hist *h);

/*
 * The value at percentile @p (0..100, clamped), HdrHistogram's
 * valueAtPercentile: the rank is ceil(p/100 * count) (at least 1; a rank
 * within a relative 1e-9 above an integer snaps down to it, which absorbs
 * floating-point noise in @p), and the result is the highest value
 * equivalent to the rank-th smallest recorded value (same bucket). Unlike
 * HdrHistogram, p = 0 also gives the highest equivalent value (of the
 * minimum), so the rows of sim_hist_write_hgrm agree with this function at
 * every percentile. 0 when empty.
 */
uint64_t sim_hist_percentile(const struct sim_hist *h, double p);

/* The bucket of @v: lowest and highest value recorded as equal to it. */
uint64_t sim_hist_lowest_equivalent(uint64_t v);
uint64_t sim_hist_highest_equivalent(uint64_t v);

/*
 * Write the percentile distribution (.hgrm) of @h to @f, values divided by
 * @unit_ps (1000 for ns) and printed with 3 decimals, as HdrHistogram's
 * outputPercentileDistribution with 5 percentile ticks per half distance:
 * a `#[unit=<unit>]` comment, the header line, a blank line, one row per
 * tick (value, percentile as a fraction, cumulative count, 1/(1-p)), the
 * last row at 1.0 without the inverse column, then the Mean/StdDeviation,
 * Max/Total count and Buckets/SubBuckets footer. Each row's value is
 * sim_hist_percentile(h, 100 * its percentile) / unit_ps. Max in the footer
 * is the exact maximum. Returns 0, or -1 when a write to @f failed.
 */
/*
 * sim_hist_report - sim_hist_percentile clamped to the recorded maximum:
 * what summaries and expect checks report, so that a p99.9 never reads
 * above max. The .hgrm output keeps HdrHistogram's unclamped values.
 */
uint64_t sim_hist_report(const struct sim_hist *h, double p);

int sim_hist_write_hgrm(const struct sim_hist *h, FILE *f, double unit_ps, const char *unit);

/*
 * sim_hist_save - @h as one line of text (no newline) from which
 * sim_hist_load rebuilds an identical histogram: the exact count, min, max,
 * sum and second moment (doubles in C99 hex, so they round-trip bit for
 * bit) and the non-zero buckets as index-delta:count pairs, so the text
 * grows with the number of distinct buckets, not with the count:
 *
 *   n=252 min=15118000 max=48490000 sum=0:10b6... mean=0x1.1p+24 m2=0x1.8p+50 b=12310:1,2:3,...
 *
 * What `tzsim compare` ships from each run's process and what `tzsim merge`
 * reads from a sweep's results. Returns 0, or -1 when a write to @f failed.
 */
int sim_hist_save(const struct sim_hist *h, FILE *f);

/*
 * sim_hist_load - parse what sim_hist_save wrote, starting at @s, into @h
 * (which is reset first). *@end (if not NULL) is set past the text read.
 * Returns 0, or -1 when the text is malformed: a missing or bad field, a
 * bucket index out of range, or counts that do not add up to n (@h is then
 * reset).
 */
int sim_hist_load(struct sim_hist *h, const char *s, const char **end);

/*
 * sim_hist_next - iterate the non-zero buckets in increasing value: the
 * first bucket at index >= @i with a count. Sets *@value to the highest
 * value equivalent to it and *@count, and returns its index; returns
 * SIM_HIST_END when there is none. Start with 0, continue with the
 * returned index + 1.
 */
#define SIM_HIST_END ((size_t)-1)
size_t sim_hist_next(const struct sim_hist *h, size_t i, uint64_t *value, uint64_t *count);

#ifdef __cplusplus
}
#endif
#endif
