// SPDX-License-Identifier: BSD-3-Clause
#include "testutil.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>
#include <dirent.h>
#include <unistd.h>

size_t RecordLog::count(unsigned kind) const
{
	size_t n = 0;
	for (const auto &r : recs)
		n += r.kind == kind;
	return n;
}

std::ostream &operator<<(std::ostream &os, const Fired &f) { return os << "(" << f.t << "," << f.id << ")"; }

Ids EventLog::ids() const
{
	Ids v;
	for (const auto &f : fired)
		v.push_back(f.id);
	return v;
}

/* Under $TMPDIR when set (tests/run.sh sets a private one and checks it is left empty). */
static std::string temp_base()
{
	const char *t = getenv("TMPDIR");
	return std::string(t && t[0] == '/' ? t : "/tmp") + "/tzsim-test-";
}

std::string make_temp_dir()
{
	std::string tmpl = temp_base() + "XXXXXX";
	std::vector<char> buf(tmpl.begin(), tmpl.end());
	buf.push_back(0);
	char *d = mkdtemp(buf.data());
	return d ? std::string(d) : std::string();
}

void rm_rf(const std::string &path)
{
	if (path.rfind(temp_base(), 0) != 0 || path.find('\'') != std::string::npos)
		return;
	std::string cmd = "rm -rf '" + path + "'";
	if (system(cmd.c_str()) != 0) {
	}
}

std::string read_file(const std::string &path)
{
	std::ifstream f(path, std::ios::binary);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

void write_file(const std::string &path, const std::string &text)
{
	std::ofstream f(path, std::ios::binary);
	f << text;
}

std::vector<std::string> ls(const std::string &dir)
{
	std::vector<std::string> names;
	DIR *d = opendir(dir.c_str());
	if (!d)
		return names;
	while (dirent *e = readdir(d))
		if (e->d_name[0] != '.')
			names.push_back(e->d_name);
	closedir(d);
	std::sort(names.begin(), names.end());
	return names;
}
