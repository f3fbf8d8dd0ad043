/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/testutil.h: helpers shared by the unit tests. */
#ifndef TESTS_TESTUTIL_H
#define TESTS_TESTUTIL_H

#include <string>
#include <vector>

#include "sim/sim.h"

/* A trace sink that keeps every record, for assertions. */
struct RecordLog {
	std::vector<sim_rec> recs;
	static void sink(void *ctx, const sim_rec *r) { static_cast<RecordLog *>(ctx)->recs.push_back(*r); }
	void attach(sim_trace *tr) { sim_trace_add_sink(tr, sink, this); }
	size_t count(unsigned kind) const;
};

/* A fresh empty directory under /tmp; removed by the caller with rm_rf. */
std::string make_temp_dir();
void rm_rf(const std::string &path);
std::string read_file(const std::string &path);
void write_file(const std::string &path, const std::string &text);
/* The names in a directory, sorted, less those starting with '.'; none if it cannot be read. */
std::vector<std::string> ls(const std::string &dir);

#endif
