// SPDX-License-Identifier: BSD-3-Clause
// Quantities with units (sim/kernel/units.h).
#include <gtest/gtest.h>

#include "sim/kernel/units.h"

static sim_time T(const char *s)
{
	sim_time ps = 12345;
	EXPECT_EQ(sim_parse_time(s, &ps), 0) << s;
	return ps;
}

static uint64_t F(const char *s)
{
	uint64_t hz = 12345;
	EXPECT_EQ(sim_parse_freq(s, &hz), 0) << s;
	return hz;
}

TEST(Units, EveryTimeUnit)
{
	EXPECT_EQ(T("7ps"), 7u);
	EXPECT_EQ(T("7ns"), 7000u);
	EXPECT_EQ(T("7us"), 7000000u);
	EXPECT_EQ(T("7\xc2\xb5s"), 7000000u); // micro sign
	EXPECT_EQ(T("7\xce\xbcs"), 7000000u); // Greek mu
	EXPECT_EQ(T("7ms"), 7000000000u);
	EXPECT_EQ(T("7s"), 7000000000000u);
}

TEST(Units, EveryFrequencyUnit)
{
	EXPECT_EQ(F("5Hz"), 5u);
	EXPECT_EQ(F("5kHz"), 5000u);
	EXPECT_EQ(F("5MHz"), 5000000u);
	EXPECT_EQ(F("1.2GHz"), 1200000000u);
}

TEST(Units, CyclesSingularAndPluralAreDoubles)
{
	double c = 0;
	EXPECT_EQ(sim_parse_cycles("800 cycles", &c), 0);
	EXPECT_EQ(c, 800.0);
	EXPECT_EQ(sim_parse_cycles("1 cycle", &c), 0);
	EXPECT_EQ(c, 1.0);
	EXPECT_EQ(sim_parse_cycles("2.5cycles", &c), 0);
	EXPECT_EQ(c, 2.5);
}

TEST(Units, DecimalsExponentsAndOneSpace)
{
	EXPECT_EQ(T("1.5us"), 1500000u);
	EXPECT_EQ(T("2e3ns"), 2000000u);
	EXPECT_EQ(T("2E+3ns"), 2000000u);
	EXPECT_EQ(T("5e-1ns"), 500u);
	EXPECT_EQ(T(".5ns"), 500u);
	EXPECT_EQ(T("40 us"), 40000000u);
	EXPECT_EQ(T("0.1ns"), 100u); // exact decimal, no binary rounding
	EXPECT_EQ(T("0ps"), 0u);
	EXPECT_EQ(T("000012ns"), 12000u);
}

TEST(Units, TimeRoundsToNearestPicosecond)
{
	EXPECT_EQ(T("1.4ps"), 1u);
	EXPECT_EQ(T("1.5ps"), 2u); // halves round up
	EXPECT_EQ(T("1.0004ns"), 1000u);
	EXPECT_EQ(T("1.0005ns"), 1001u);
	EXPECT_EQ(T("1e-40s"), 0u);
	EXPECT_EQ(F("0.5Hz"), 1u);
}

TEST(Units, LargestTimeFitsAndOneMoreOverflows)
{
	EXPECT_EQ(T("18446744073709551615ps"), UINT64_MAX);
	sim_time ps;
	EXPECT_EQ(sim_parse_time("18446744073709551616ps", &ps), SIM_UNITS_EOVERFLOW);
	EXPECT_EQ(sim_parse_time("18446745s", &ps), SIM_UNITS_EOVERFLOW);
	EXPECT_EQ(sim_parse_time("1e30s", &ps), SIM_UNITS_EOVERFLOW);
	EXPECT_EQ(sim_parse_time("1e99999999999s", &ps), SIM_UNITS_EOVERFLOW);
	uint64_t hz;
	EXPECT_EQ(sim_parse_freq("1e20GHz", &hz), SIM_UNITS_EOVERFLOW);
	double c;
	EXPECT_EQ(sim_parse_cycles("1e400 cycles", &c), SIM_UNITS_EOVERFLOW);
}

TEST(Units, NegativeQuantitiesAreRejected)
{
	sim_time ps;
	uint64_t hz;
	double c;
	EXPECT_EQ(sim_parse_time("-5us", &ps), SIM_UNITS_ENEGATIVE);
	EXPECT_EQ(sim_parse_time("-0us", &ps), SIM_UNITS_ENEGATIVE);
	EXPECT_EQ(sim_parse_freq("-1kHz", &hz), SIM_UNITS_ENEGATIVE);
	EXPECT_EQ(sim_parse_cycles("-3 cycles", &c), SIM_UNITS_ENEGATIVE);
	EXPECT_EQ(sim_parse_time("-5", &ps), SIM_UNITS_ENEGATIVE);
}

TEST(Units, BareNumberIsMissingUnit)
{
	sim_time ps;
	uint64_t hz;
	double c;
	EXPECT_EQ(sim_parse_time("40", &ps), SIM_UNITS_ENOUNIT);
	EXPECT_EQ(sim_parse_freq("1000", &hz), SIM_UNITS_ENOUNIT);
	EXPECT_EQ(sim_parse_cycles("800", &c), SIM_UNITS_ENOUNIT);
}

TEST(Units, UnknownUnitAndWrongKind)
{
	sim_time ps;
	uint64_t hz;
	struct sim_qty q;
	EXPECT_EQ(sim_parse_time("5xs", &ps), SIM_UNITS_EUNKNOWN);
	EXPECT_EQ(sim_parse_time("5 sec", &ps), SIM_UNITS_EUNKNOWN);
	EXPECT_EQ(sim_parse_freq("5mhz", &hz), SIM_UNITS_EUNKNOWN);
	EXPECT_EQ(sim_qty_parse("5mhz", &q), SIM_UNITS_EUNKNOWN);
	EXPECT_EQ(std::string(q.unit, q.unit_len), "mhz");
	EXPECT_STREQ(sim_units_match_nocase("mhz", 3, SIM_QTY_FREQ), "MHz");
	EXPECT_STREQ(sim_units_match_nocase("US", 2, SIM_QTY_TIME), "us");
	EXPECT_EQ(sim_units_match_nocase("xs", 2, SIM_QTY_TIME), nullptr);
	EXPECT_EQ(sim_parse_time("5kHz", &ps), SIM_UNITS_EKIND);
	EXPECT_EQ(sim_parse_freq("5us", &hz), SIM_UNITS_EKIND);
	double c;
	EXPECT_EQ(sim_parse_cycles("5us", &c), SIM_UNITS_EKIND);
}

TEST(Units, JunkIsRejected)
{
	sim_time ps;
	const char *junk[] = { "us", "", "abc", "1.2.3us", "5  us", "5us ", "5 ", "5us5", "0x10us", "5 u s", "e5us",
			       "--5us", "+-5us", "nan", "inf", "5_us", "5,us" };
	for (const char *s : junk)
		EXPECT_NE(sim_parse_time(s, &ps), 0) << "'" << s << "'";
	EXPECT_EQ(sim_parse_time("", &ps), SIM_UNITS_EEMPTY);
	EXPECT_EQ(sim_parse_time("abc", &ps), SIM_UNITS_ENOTNUM);
	EXPECT_EQ(sim_parse_time("1.2.3us", &ps), SIM_UNITS_EJUNK);
	EXPECT_EQ(sim_parse_time("5  us", &ps), SIM_UNITS_EJUNK);
}

TEST(Units, PlainNumbers)
{
	double v = 0;
	EXPECT_EQ(sim_parse_number("3", &v), 0);
	EXPECT_EQ(v, 3.0);
	EXPECT_EQ(sim_parse_number("-2.5", &v), 0);
	EXPECT_EQ(v, -2.5);
	EXPECT_EQ(sim_parse_number("1e3", &v), 0);
	EXPECT_EQ(v, 1000.0);
	EXPECT_EQ(sim_parse_number("5us", &v), SIM_UNITS_EUNIT);
	EXPECT_EQ(sim_parse_number("-5us", &v), SIM_UNITS_EUNIT);
	EXPECT_EQ(sim_parse_number("5 apples", &v), SIM_UNITS_EUNKNOWN);
}

TEST(Units, StrerrorNamesEveryError)
{
	for (int e = 0; e >= SIM_UNITS_EUNIT; e--)
		EXPECT_STRNE(sim_units_strerror(e), "unknown error") << e;
	EXPECT_STREQ(sim_units_list(SIM_QTY_TIME), "ps, ns, us, ms, s");
}

#include "sim/kernel/symbolize.h"

namespace {
int a_static_function_to_name(int x) { return x + 1; }
} // namespace

/* symbolize.h: a function in the tzsim binary is named from the symbol table, with its file. */
TEST(Symbolize, NamesAStaticFunctionAndItsFile)
{
	char buf[256];
	int (*volatile fn)(int) = a_static_function_to_name;
	ASSERT_EQ(sim_symbolize((const void *)fn, buf, sizeof(buf)), 0) << buf;
	EXPECT_NE(strstr(buf, "a_static_function_to_name"), nullptr) << buf;
	EXPECT_NE(strstr(buf, "units_test.cc"), nullptr) << buf;
	EXPECT_EQ(fn(1), 2);
}
