// SPDX-License-Identifier: BSD-3-Clause
/* tests/trace_check.cc: the validators of tests/trace_check.h. */
#include "trace_check.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>
#include <sstream>

namespace {

/* the parser proper; JsonParser::parse runs one over its text */
class Parser {
public:
	explicit Parser(const std::string &s) : s_(s) {}
	bool parse(Json &out, std::string &err)
	{
		try {
			out = value();
			ws();
			if (p_ != s_.size())
				fail("trailing text");
			return true;
		} catch (const std::string &e) {
			err = e;
			return false;
		}
	}

private:
	const std::string &s_;
	size_t p_ = 0;

	[[noreturn]] void fail(const char *what) { throw std::string(what) + " at offset " + std::to_string(p_); }
	void ws()
	{
		while (p_ < s_.size() && strchr(" \t\r\n", s_[p_]))
			p_++;
	}
	char peek()
	{
		ws();
		if (p_ >= s_.size())
			fail("unexpected end");
		return s_[p_];
	}
	void expect(char c)
	{
		if (peek() != c)
			fail("unexpected character");
		p_++;
	}
	bool lit(const char *w)
	{
		size_t n = strlen(w);
		if (s_.compare(p_, n, w) != 0)
			return false;
		p_ += n;
		return true;
	}
	Json value()
	{
		Json j;
		char c = peek();
		if (c == '{') {
			j.type = Json::OBJ;
			p_++;
			if (peek() == '}') {
				p_++;
				return j;
			}
			for (;;) {
				if (peek() != '"')
					fail("object key must be a string");
				std::string k = string();
				expect(':');
				j.obj.emplace_back(k, value());
				if (peek() == ',') {
					p_++;
					continue;
				}
				expect('}');
				return j;
			}
		}
		if (c == '[') {
			j.type = Json::ARR;
			p_++;
			if (peek() == ']') {
				p_++;
				return j;
			}
			for (;;) {
				j.arr.push_back(value());
				if (peek() == ',') {
					p_++;
					continue;
				}
				expect(']');
				return j;
			}
		}
		if (c == '"') {
			j.type = Json::STR;
			j.str = string();
			return j;
		}
		if (lit("true") || lit("false")) {
			j.type = Json::BOOL;
			j.b = s_[p_ - 1] == 'e' && s_[p_ - 2] == 'u';
			return j;
		}
		if (lit("null"))
			return j;
		return number();
	}
	std::string string()
	{
		expect('"');
		std::string out;
		for (;;) {
			if (p_ >= s_.size())
				fail("unterminated string");
			unsigned char c = (unsigned char)s_[p_++];
			if (c == '"')
				return out;
			if (c < 0x20)
				fail("control character in string");
			if (c != '\\') {
				out += (char)c;
				continue;
			}
			if (p_ >= s_.size())
				fail("unterminated escape");
			char e = s_[p_++];
			switch (e) {
			case '"': out += '"'; break;
			case '\\': out += '\\'; break;
			case '/': out += '/'; break;
			case 'b': out += '\b'; break;
			case 'f': out += '\f'; break;
			case 'n': out += '\n'; break;
			case 'r': out += '\r'; break;
			case 't': out += '\t'; break;
			case 'u': {
				if (p_ + 4 > s_.size())
					fail("short \\u escape");
				unsigned v = (unsigned)std::stoul(s_.substr(p_, 4), nullptr, 16);
				p_ += 4;
				if (v >= 0x80)
					fail("non-ASCII \\u escape not supported by this test parser");
				out += (char)v;
				break;
			}
			default: fail("bad escape");
			}
		}
	}
	Json number()
	{
		size_t start = p_;
		if (p_ < s_.size() && s_[p_] == '-')
			p_++;
		auto digits = [&] {
			size_t d = p_;
			while (p_ < s_.size() && isdigit((unsigned char)s_[p_]))
				p_++;
			if (p_ == d)
				fail("digit expected");
		};
		if (p_ < s_.size() && s_[p_] == '0')
			p_++;
		else
			digits();
		if (p_ < s_.size() && s_[p_] == '.') {
			p_++;
			digits();
		}
		if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
			p_++;
			if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-'))
				p_++;
			digits();
		}
		Json j;
		j.type = Json::NUM;
		j.str = s_.substr(start, p_ - start);
		j.num = std::stod(j.str);
		return j;
	}
};

} // namespace

bool JsonParser::parse(Json &out, std::string &err)
{
	return Parser(s_).parse(out, err);
}

/* Exact ps from a ts/dur written as "<int>.<6 digits>" (the writer's promise). */
uint64_t ps_of(const Json &j)
{
	size_t dot = j.str.find('.');
	EXPECT_NE(dot, std::string::npos) << j.str;
	EXPECT_EQ(j.str.size() - dot - 1, 6u) << j.str;
	return std::stoull(j.str.substr(0, dot)) * 1000000ull + std::stoull(j.str.substr(dot + 1));
}

/* IEEE 1364-2001 §18 subset: header order, ids, change syntax, time monotonic. */
void validate_vcd(const std::string &text, size_t *nchanges, std::map<std::string, std::string> *last_value)
{
	std::istringstream in(text);
	std::string tok, all;
	std::vector<std::string> order;
	std::map<std::string, unsigned> width;
	std::string line;
	/* declarations: token stream up to $enddefinitions $end */
	std::vector<std::string> toks;
	while (in >> tok) {
		toks.push_back(tok);
		if (tok == "$end" && toks.size() >= 2 && toks[toks.size() - 2] == "$enddefinitions")
			break;
	}
	int depth = 0;
	for (size_t i = 0; i < toks.size(); i++) {
		const std::string &t = toks[i];
		if (t[0] != '$' || t == "$end")
			continue;
		order.push_back(t);
		if (t == "$timescale") {
			ASSERT_LT(i + 2, toks.size());
			const std::string &ts = toks[i + 1];
			EXPECT_TRUE(ts == "1ps" || ts == "1ns" || ts == "10ps" || ts == "100ps" || ts == "1fs") << ts;
			EXPECT_EQ(toks[i + 2], "$end");
		}
		if (t == "$scope") {
			EXPECT_EQ(toks[i + 1], "module");
			EXPECT_EQ(toks[i + 3], "$end");
			depth++;
		}
		if (t == "$upscope")
			depth--;
		if (t == "$var") {
			ASSERT_LT(i + 5, toks.size());
			EXPECT_GT(depth, 0) << "$var outside a scope";
			const std::string &type = toks[i + 1], &id = toks[i + 3];
			unsigned w = (unsigned)std::stoul(toks[i + 2]);
			EXPECT_TRUE(type == "wire" || type == "reg") << type;
			EXPECT_EQ(toks[i + 5], "$end") << "name must be one token";
			for (char c : id)
				EXPECT_TRUE(c >= 33 && c <= 126) << id;
			EXPECT_EQ(width.count(id), 0u) << "duplicate id " << id;
			width[id] = w;
		}
	}
	EXPECT_EQ(depth, 0);
	ASSERT_GE(order.size(), 4u);
	EXPECT_EQ(order[0], "$date");
	EXPECT_EQ(order[1], "$version");
	EXPECT_EQ(order.back(), "$enddefinitions");
	EXPECT_LT(std::find(order.begin(), order.end(), "$timescale") - order.begin(),
		  std::find(order.begin(), order.end(), "$scope") - order.begin());

	/* the rest, line by line */
	std::getline(in, line);
	ASSERT_TRUE(std::getline(in, line));
	ASSERT_EQ(line, "$dumpvars");
	std::set<std::string> dumped;
	while (std::getline(in, line) && line != "$end") {
		std::string id = line[0] == 'b' ? line.substr(line.find(' ') + 1) : line.substr(1);
		ASSERT_TRUE(width.count(id)) << line;
		dumped.insert(id);
	}
	EXPECT_EQ(dumped.size(), width.size()) << "every signal has an initial value";
	bool have_t = false;
	unsigned long long t = 0;
	size_t n = 0;
	bool change_since_time = true;
	while (std::getline(in, line)) {
		ASSERT_FALSE(line.empty());
		if (line[0] == '#') {
			unsigned long long nt = std::stoull(line.substr(1));
			if (have_t) {
				ASSERT_GT(nt, t) << "time must increase strictly";
			}
			EXPECT_TRUE(change_since_time) << "empty time step";
			have_t = true;
			t = nt;
			change_since_time = false;
			continue;
		}
		ASSERT_TRUE(have_t) << "change before any #time: " << line;
		change_since_time = true;
		n++;
		if (line[0] == 'b') {
			size_t sp = line.find(' ');
			ASSERT_NE(sp, std::string::npos) << line;
			ASSERT_EQ(line.find(' ', sp + 1), std::string::npos) << line;
			std::string bits = line.substr(1, sp - 1), id = line.substr(sp + 1);
			ASSERT_TRUE(width.count(id)) << "undeclared id in " << line;
			ASSERT_GT(width[id], 1u) << "vector change of a scalar: " << line;
			ASSERT_LE(bits.size(), width[id]) << line;
			ASSERT_EQ(bits.find_first_not_of("01"), std::string::npos) << line;
			if (last_value)
				(*last_value)[id] = bits;
		} else {
			ASSERT_TRUE(line[0] == '0' || line[0] == '1') << line;
			std::string id = line.substr(1);
			ASSERT_EQ(id.find(' '), std::string::npos) << "scalar change has no space: " << line;
			ASSERT_TRUE(width.count(id)) << "undeclared id in " << line;
			ASSERT_EQ(width[id], 1u) << line;
			if (last_value)
				(*last_value)[id] = line.substr(0, 1);
		}
	}
	if (nchanges)
		*nchanges = n;
}
