/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/trace_check.h: format validators for the trace writers' output,
 * shared by tests/output_test.cc (synthetic streams) and
 * tests/regress_test.cc (real runs): a minimal JSON parser for the Perfetto
 * file and a VCD checker. They report through GoogleTest assertions.
 */
#ifndef TESTS_TRACE_CHECK_H
#define TESTS_TRACE_CHECK_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

/* ---- a minimal JSON parser (RFC 8259 subset: no \u surrogate pairs) ------ */

struct Json {
	enum Type { NUL, BOOL, NUM, STR, ARR, OBJ } type = NUL;
	bool b = false;
	double num = 0;
	std::string str; /* STR: the text; NUM: the number as written */
	std::vector<Json> arr;
	std::vector<std::pair<std::string, Json>> obj;

	const Json *get(const std::string &k) const
	{
		for (const auto &kv : obj)
			if (kv.first == k)
				return &kv.second;
		return nullptr;
	}
};

class JsonParser {
public:
	explicit JsonParser(const std::string &s) : s_(s) {}
	/* The whole of the text as one value; false with err set otherwise. */
	bool parse(Json &out, std::string &err);

private:
	const std::string &s_;
};

/* Exact ps from a ts/dur written as "<int>.<6 digits>" (the writer's promise). */
uint64_t ps_of(const Json &j);

/* IEEE 1364-2001 §18 subset: header order, ids, change syntax, time monotonic.
 * nchanges (if set) gets the number of value changes after $dumpvars;
 * last_value (if set) each id's last value ("0"/"1" or the bits). */
void validate_vcd(const std::string &text, size_t *nchanges, std::map<std::string, std::string> *last_value);

#endif
