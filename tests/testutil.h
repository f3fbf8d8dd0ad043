/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/testutil.h: helpers shared by the unit tests. */
#ifndef TESTS_TESTUTIL_H
#define TESTS_TESTUTIL_H

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/kernel/sim.h"

/* A trace sink that keeps every record, for assertions. */
struct RecordLog {
	std::vector<sim_rec> recs;
	static void sink(void *ctx, const sim_rec *r) { static_cast<RecordLog *>(ctx)->recs.push_back(*r); }
	void attach(sim_trace *tr) { sim_trace_add_sink(tr, sink, this); }
	size_t count(unsigned kind) const;
};

/* One event firing: the time it fired at and the event's arg. */
struct Fired {
	sim_time t;
	uint64_t id;
	bool operator==(const Fired &o) const { return t == o.t && id == o.id; }
};
std::ostream &operator<<(std::ostream &os, const Fired &f);

using Ids = std::vector<uint64_t>;

/* A kernel plus a log of (time, arg) for every event fired through record(). */
struct EventLog {
	sim_kernel *k;
	std::vector<Fired> fired;
	explicit EventLog(sim_backend b = SIM_BACKEND_NATIVE) : k(sim_kernel_new(b)) {}
	~EventLog() { sim_kernel_free(k); }
	EventLog(const EventLog &) = delete;
	EventLog &operator=(const EventLog &) = delete;
	static void record(void *ctx, uint64_t arg) { static_cast<EventLog *>(ctx)->note(arg); }
	void note(uint64_t arg) { fired.push_back({ sim_now(k), arg }); }
	/* the args in firing order */
	Ids ids() const;
};

/* A fresh empty directory under /tmp; removed by the caller with rm_rf. */
std::string make_temp_dir();
void rm_rf(const std::string &path);
std::string read_file(const std::string &path);
void write_file(const std::string &path, const std::string &text);
/* The names in a directory, sorted, less those starting with '.'; none if it cannot be read. */
std::vector<std::string> ls(const std::string &dir);

#endif
