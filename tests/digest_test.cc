// SPDX-License-Identifier: BSD-3-Clause
/* tests/digest_test.cc: golden digests locate the first differing record. */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/out/digest.h"
#include "sim/kernel/trace.h"
#include "testutil.h"

namespace {

/* A synthetic stream of @n records; @bump shifts record @at's time by +1 ps. */
std::vector<sim_rec> stream(size_t n, size_t at = SIZE_MAX, sim_time bump = 0)
{
	static const char *const labels[] = { "linux", "optee", nullptr, "tf-a" };
	std::vector<sim_rec> v;
	for (size_t i = 0; i < n; i++) {
		sim_rec r{};
		r.t = i * 1000 + (i == at ? bump : 0);
		r.kind = (uint32_t)(i % TR_KIND_COUNT);
		r.cpu = (int32_t)(i % 4);
		r.world = (uint32_t)(i % 3);
		r.notif = (uint32_t)(i / 10);
		r.a = i * 7;
		r.b = i ^ 0x55;
		r.c = 0;
		r.d = ~(uint64_t)i;
		r.label = labels[i % 4];
		v.push_back(r);
	}
	return v;
}

struct Digest {
	digest *d = digest_new();
	~Digest() { digest_free(d); }
	void feed(const std::vector<sim_rec> &v)
	{
		sim_trace *tr = sim_trace_new();
		sim_trace_add_sink(tr, digest_sink, d);
		for (const auto &r : v)
			sim_trace_emit(tr, &r);
		sim_trace_free(tr);
	}
};

} // namespace

TEST(Digest, IdenticalStreamsGiveIdenticalDigests)
{
	Digest a, b;
	a.feed(stream(5000));
	b.feed(stream(5000));
	EXPECT_EQ(digest_value(a.d), digest_value(b.d));
	EXPECT_EQ(digest_count(a.d), 5000u);
}

/* Record hashes depend on the label's bytes, not on where the string lives. */
TEST(Digest, LabelContentNotPointerIsHashed)
{
	char buf1[] = "optee", buf2[] = "optee";
	sim_rec r{};
	r.label = buf1;
	uint64_t h1 = digest_rec_hash(&r);
	r.label = buf2;
	EXPECT_EQ(digest_rec_hash(&r), h1);
	r.label = "";
	uint64_t empty = digest_rec_hash(&r);
	r.label = nullptr;
	EXPECT_NE(digest_rec_hash(&r), empty);
}

TEST(Digest, EveryFieldChangesTheRecordHash)
{
	sim_rec base{};
	base.t = 5;
	base.label = "x";
	uint64_t h = digest_rec_hash(&base);
	for (int f = 0; f < 10; f++) {
		sim_rec r = base;
		switch (f) {
		case 0: r.t++; break;
		case 1: r.kind++; break;
		case 2: r.cpu = -1; break;
		case 3: r.world++; break;
		case 4: r.notif++; break;
		case 5: r.a++; break;
		case 6: r.b++; break;
		case 7: r.c++; break;
		case 8: r.d++; break;
		case 9: r.label = "y"; break;
		}
		EXPECT_NE(digest_rec_hash(&r), h) << "field " << f;
	}
}

/* A cost shifting one time by 1 ps changes the digest, and the golden file names that record. */
TEST(Digest, OnePicosecondShiftIsLocatedExactly)
{
	std::string dir = make_temp_dir();
	std::string golden = dir + "/traces/golden/demo.seed1.golden";
	Digest a, b;
	a.feed(stream(3000));
	b.feed(stream(3000, 1234, 1));
	EXPECT_NE(digest_value(a.d), digest_value(b.d));
	ASSERT_EQ(digest_write_golden(golden.c_str(), a.d), 0);

	uint64_t idx = 0;
	char err[256] = "";
	EXPECT_EQ(digest_compare_golden(golden.c_str(), a.d, &idx, err, sizeof(err)), 0) << err;
	EXPECT_EQ(digest_compare_golden(golden.c_str(), b.d, &idx, err, sizeof(err)), 1) << err;
	EXPECT_EQ(idx, 1234u);
	EXPECT_EQ(ls(dir + "/traces/golden"), std::vector<std::string>{"demo.seed1.golden"});
	rm_rf(dir);
}

TEST(Digest, GoldenFileLayout)
{
	std::string dir = make_temp_dir();
	std::string golden = dir + "/g.golden";
	Digest a;
	a.feed(stream(40));
	ASSERT_EQ(digest_write_golden(golden.c_str(), a.d), 0);
	std::string text = read_file(golden);
	char hex[32];
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)digest_value(a.d));
	std::string head = std::string("tzsim-golden v1\ndigest ") + hex + "\nrecords 40\nhashes\n";
	ASSERT_EQ(text.substr(0, head.size()), head);
	std::string body = text.substr(head.size());
	/* 40 records x 4 base64 characters: 76 + 76 + 8 */
	EXPECT_EQ(body.size(), 160u + 3u);
	EXPECT_EQ(body.find('\n'), 76u);
	rm_rf(dir);
}

/* One stream a prefix of the other: the first record one of them lacks. */
TEST(Digest, PrefixDiffersAtTheShorterLength)
{
	std::string dir = make_temp_dir();
	std::string golden = dir + "/g.golden";
	Digest full, shorter;
	full.feed(stream(100));
	shorter.feed(stream(77));
	ASSERT_EQ(digest_write_golden(golden.c_str(), full.d), 0);
	uint64_t idx = 0;
	EXPECT_EQ(digest_compare_golden(golden.c_str(), shorter.d, &idx, nullptr, 0), 1);
	EXPECT_EQ(idx, 77u);

	ASSERT_EQ(digest_write_golden(golden.c_str(), shorter.d), 0);
	EXPECT_EQ(digest_compare_golden(golden.c_str(), full.d, &idx, nullptr, 0), 1);
	EXPECT_EQ(idx, 77u);
	rm_rf(dir);
}

TEST(Digest, EmptyStreamRoundTrips)
{
	std::string dir = make_temp_dir();
	std::string golden = dir + "/g.golden";
	Digest e;
	ASSERT_EQ(digest_write_golden(golden.c_str(), e.d), 0);
	uint64_t idx = 99;
	EXPECT_EQ(digest_compare_golden(golden.c_str(), e.d, &idx, nullptr, 0), 0);
	EXPECT_EQ(idx, 0u);
	rm_rf(dir);
}

TEST(Digest, MissingOrCorruptGoldenIsAnError)
{
	std::string dir = make_temp_dir();
	Digest a;
	a.feed(stream(50));
	char err[256] = "";
	uint64_t idx = 0;
	EXPECT_EQ(digest_compare_golden((dir + "/missing.golden").c_str(), a.d, &idx, err, sizeof(err)), -1);
	EXPECT_NE(std::string(err).find("missing.golden"), std::string::npos) << err;

	std::string golden = dir + "/g.golden";
	ASSERT_EQ(digest_write_golden(golden.c_str(), a.d), 0);
	const std::string good = read_file(golden);
	std::vector<std::string> corrupt = {
		"",                                                   /* empty */
		"tzsim-golden v2" + good.substr(15),                  /* wrong version */
		good.substr(0, good.size() - 5) + "\n",               /* truncated hash list */
		good + "AAAA\n",                                      /* extra record */
		good.substr(0, good.size() - 2) + "*\n",              /* bad base64 */
	};
	std::string baddigest = good;
	baddigest[16] = 'g';
	corrupt.push_back(baddigest);
	std::string badrecords = good;
	badrecords.replace(badrecords.find("records 50"), 10, "records x0");
	corrupt.push_back(badrecords);
	for (size_t i = 0; i < corrupt.size(); i++) {
		write_file(golden, corrupt[i]);
		err[0] = '\0';
		EXPECT_EQ(digest_compare_golden(golden.c_str(), a.d, &idx, err, sizeof(err)), -1) << "case " << i;
		EXPECT_NE(err[0], '\0') << "case " << i;
	}
	rm_rf(dir);
}

/* Atomic write: only the golden file is left, no .tmp.<pid>; a bad path fails cleanly. */
TEST(Digest, WriteGoldenLeavesNoTemporaryFiles)
{
	std::string dir = make_temp_dir();
	Digest a;
	a.feed(stream(10));
	ASSERT_EQ(digest_write_golden((dir + "/a.golden").c_str(), a.d), 0);
	ASSERT_EQ(digest_write_golden((dir + "/a.golden").c_str(), a.d), 0); /* replace */
	EXPECT_EQ(ls(dir), std::vector<std::string>{"a.golden"});
	write_file(dir + "/file", "x");
	EXPECT_EQ(digest_write_golden((dir + "/file/sub.golden").c_str(), a.d), -1);
	EXPECT_EQ(ls(dir).size(), 2u);
	rm_rf(dir);
}

/* The second pass: capture records i-1 and i as CSV text. */
TEST(Digest, CaptureKeepsTheRecordsAroundTheDifference)
{
	std::vector<sim_rec> v = stream(3000, 1234, 1);
	digest_capture c;
	digest_capture_init(&c, 1234);
	sim_trace *tr = sim_trace_new();
	sim_trace_add_sink(tr, digest_capture_sink, &c);
	for (const auto &r : v)
		sim_trace_emit(tr, &r);
	sim_trace_free(tr);
	ASSERT_TRUE(c.have_prev);
	ASSERT_TRUE(c.have_at);
	EXPECT_EQ(std::string(c.prev).rfind("1233000,", 0), 0u) << c.prev;
	EXPECT_EQ(std::string(c.at).rfind("1234001,", 0), 0u) << c.at;
	EXPECT_EQ(std::string(c.at).find('\n'), std::string::npos);

	digest_capture c0;
	digest_capture_init(&c0, 0);
	digest_capture_sink(&c0, &v[0]);
	EXPECT_FALSE(c0.have_prev);
	EXPECT_TRUE(c0.have_at);
}

/* digest_new_flat: the same digest and count, no record-hash list (flat memory). */
TEST(Digest, FlatDigestKeepsValueNotList)
{
	Digest a;
	digest *flat = digest_new_flat();
	ASSERT_NE(flat, nullptr);
	auto v = stream(5000);
	a.feed(v);
	sim_trace *tr = sim_trace_new();
	sim_trace_add_sink(tr, digest_sink, flat);
	for (const auto &r : v)
		sim_trace_emit(tr, &r);
	sim_trace_free(tr);
	EXPECT_EQ(digest_value(flat), digest_value(a.d));
	EXPECT_EQ(digest_count(flat), 5000u);
	EXPECT_EQ(digest_record_hash24(flat, 10), 0u);
	std::string dir = make_temp_dir();
	EXPECT_EQ(digest_write_golden((dir + "/flat.golden").c_str(), flat), -1);
	EXPECT_TRUE(ls(dir).empty());
	rm_rf(dir);
	digest_free(flat);
}
