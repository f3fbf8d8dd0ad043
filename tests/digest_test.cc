// SPDX-License-Identifier: BSD-3-Clause
/* tests/digest_test.cc: golden digests locate the first differing record. */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <xxhash.h>

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
	for (int f = 0; f < 11; f++) {
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
		case 10: r.code++; break;
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
	std::string head = std::string("tzsim-golden v2\ndigest ") + hex + "\nrecords 40\nhashes\n";
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
		"tzsim-golden v1" + good.substr(15),                  /* the old format */
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

/*
 * digest_attach: the trace's record log, filled inline by sim_trace_emit,
 * gives the digest, count and record hashes the sink gives; a trace takes
 * one log consumer, and a digest attaches once.
 */
TEST(Digest, AttachedGivesWhatTheSinkGives)
{
	Digest a;
	auto v = stream(5000);
	a.feed(v);
	for (bool flat : { true, false }) {
		digest *d = flat ? digest_new_flat() : digest_new();
		digest *other = digest_new_flat();
		ASSERT_NE(d, nullptr);
		ASSERT_NE(other, nullptr);
		sim_trace *tr = sim_trace_new();
		ASSERT_EQ(digest_attach(d, tr), 0);
		EXPECT_EQ(digest_attach(d, tr), -1);
		EXPECT_EQ(digest_attach(other, tr), -1);
		for (const auto &r : v)
			sim_trace_emit(tr, &r);
		sim_trace_free(tr);
		EXPECT_EQ(digest_value(d), digest_value(a.d));
		EXPECT_EQ(digest_count(d), 5000u);
		for (uint64_t i = 0; !flat && i < 5000; i += 37) {
			EXPECT_EQ(digest_record_hash24(d, i), digest_record_hash24(a.d, i)) << i;
		}
		digest_free(other);
		digest_free(d);
	}
}

namespace {

/* The canonical record digest.h and digest.c define, packed by hand: 64 bytes little-endian. */
void put_le(std::string &s, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		s += (char)(v >> (8 * i));
}

std::string canonical(const sim_rec &r)
{
	std::string s;
	put_le(s, r.t, 8);
	put_le(s, r.kind, 2);
	put_le(s, r.code, 2);
	put_le(s, (uint32_t)r.cpu, 4);
	put_le(s, r.world, 4);
	put_le(s, r.notif, 4);
	put_le(s, r.a, 8);
	put_le(s, r.b, 8);
	put_le(s, r.c, 8);
	put_le(s, r.d, 8);
	put_le(s, r.label ? XXH3_64bits(r.label, strlen(r.label)) : 0, 8);
	return s;
}

uint64_t digest_of(const std::vector<sim_rec> &v)
{
	Digest d;
	d.feed(v);
	return digest_value(d.d);
}

} // namespace

/* Format v2: the digest is XXH3-64 of the canonical records, a record's hash XXH3-64 of its own. */
TEST(Digest, DigestIsXxh3OfTheCanonicalRecords)
{
	for (size_t n : { 0u, 1u, 63u, 64u, 65u, 1000u }) {
		auto v = stream(n);
		for (size_t i = 0; i < v.size(); i++)
			v[i].code = (uint16_t)(i % 5);
		std::string all;
		for (const auto &r : v)
			all += canonical(r);
		EXPECT_EQ(digest_of(v), XXH3_64bits(all.data(), all.size())) << n << " records";
		if (!v.empty()) {
			EXPECT_EQ(digest_rec_hash(&v[0]), XXH3_64bits(canonical(v[0]).data(), 64));
		}
	}
}

/*
 * Every field trace.csv prints (t, kind, cpu, world, notif, label, a, b, c,
 * d), and the event code, reaches the digest: changing any one of them in
 * one record of a stream changes the digest, and the golden file locates
 * that record.
 */
TEST(Digest, EveryFieldChangesTheDigest)
{
	const size_t at = 150; /* in the third XXH3 batch */
	std::vector<sim_rec> base = stream(300);
	base[at].label = "optee";
	const uint64_t h = digest_of(base);
	std::string dir = make_temp_dir();
	std::string golden = dir + "/g.golden";
	{
		Digest g;
		g.feed(base);
		ASSERT_EQ(digest_write_golden(golden.c_str(), g.d), 0);
	}
	char other[] = "optef";
	const char *names[] = { "t", "kind", "cpu", "world", "notif", "a", "b", "c", "d", "label text", "label NULL", "code" };
	for (int f = 0; f < 12; f++) {
		std::vector<sim_rec> v = base;
		sim_rec &r = v[at];
		switch (f) {
		case 0: r.t++; break;
		case 1: r.kind ^= 1; break;
		case 2: r.cpu = -1; break;
		case 3: r.world ^= 1; break;
		case 4: r.notif ^= 1; break;
		case 5: r.a ^= 1ull << 63; break;
		case 6: r.b ^= 1; break;
		case 7: r.c ^= 1; break;
		case 8: r.d ^= 1; break;
		case 9: r.label = other; break;
		case 10: r.label = nullptr; break;
		case 11: r.code = SIM_EV_SMC_RPC_RETURN; break;
		}
		EXPECT_NE(digest_of(v), h) << names[f];
		Digest d;
		d.feed(v);
		uint64_t idx = 0;
		EXPECT_EQ(digest_compare_golden(golden.c_str(), d.d, &idx, nullptr, 0), 1) << names[f];
		EXPECT_EQ(idx, at) << names[f];
	}
	rm_rf(dir);
}

/* Labels are hashed by text: the same text at another address, or re-read from the cache, is the same record. */
TEST(Digest, SameLabelTextAnywhereGivesTheSameDigest)
{
	std::vector<sim_rec> a = stream(200), b = a;
	std::vector<std::string> copies;
	copies.reserve(b.size());
	for (auto &r : b) {
		if (r.label) {
			copies.push_back(r.label);
			r.label = copies.back().c_str();
		}
	}
	EXPECT_EQ(digest_of(a), digest_of(b));
	/* "" is not NULL */
	std::vector<sim_rec> c = a, e = a;
	c[7].label = nullptr;
	e[7].label = "";
	EXPECT_NE(digest_of(c), digest_of(e));
}
