/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/time.h: simulated time and clock domains.
 *
 * Time is an unsigned 64-bit count of picoseconds, as gem5 and SystemC (at
 * 1 ps resolution) count it: 2^64 ps is about 213 days of simulated time.
 * A clock domain converts between cycles of a PE (or GIC) clock and time.
 * Conversions round to the nearest picosecond, so a cycle at 1.2 GHz is
 * 833 ps and 3 cycles are 2500 ps (not 3 x 833).
 */
#ifndef SIM_TIME_H
#define SIM_TIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t sim_time;

#define SIM_PS 1ull
#define SIM_NS 1000ull
#define SIM_US 1000000ull
#define SIM_MS 1000000000ull
#define SIM_S 1000000000000ull
#define SIM_TIME_MAX UINT64_MAX

/* A clock domain: a frequency in Hz (never 0 once initialised). */
struct sim_clock {
	uint64_t hz;
};

/* Time taken by @cycles cycles of @clk, rounded to the nearest ps. */
static inline sim_time sim_clock_cycles(const struct sim_clock *clk, uint64_t cycles)
{
	unsigned __int128 v = (unsigned __int128)cycles * SIM_S + clk->hz / 2;
	return (sim_time)(v / clk->hz);
}

/* Whole cycles of @clk that fit in @t, rounded to the nearest cycle. */
static inline uint64_t sim_clock_to_cycles(const struct sim_clock *clk, sim_time t)
{
	unsigned __int128 v = (unsigned __int128)t * clk->hz + SIM_S / 2;
	return (uint64_t)(v / SIM_S);
}

#ifdef __cplusplus
}
#endif
#endif
