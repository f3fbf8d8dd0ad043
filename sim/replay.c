// SPDX-License-Identifier: BSD-3-Clause
/* sim/replay.c: replay files (see replay.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel/infile.h"
#include "sim/kernel/units.h"
#include "sim/replay.h"
#include "sim/scenario/scenario.h"

int replay_parse(const char *text, size_t len, const char *path, sim_time **out, unsigned *n, char *err,
		 size_t errlen)
{
	sim_time *v = NULL;
	unsigned cap = 0, ln = 0;
	const char *p = text, *end = text + len;
	char field[64];

	*out = NULL;
	*n = 0;
	while (p < end) {
		const char *ls = p, *eol = memchr(p, '\n', (size_t)(end - p)), *s = p, *e;
		sim_time t;
		int rc;
		if (!eol)
			eol = end;
		ln++;
		if (memchr(p, 0, (size_t)(eol - p))) {
			snprintf(err, errlen, "%s:%u:%u: a NUL byte", path, ln,
				 (unsigned)((const char *)memchr(p, 0, (size_t)(eol - p)) - p) + 1);
			goto fail;
		}
		while (s < eol && (*s == ' ' || *s == '\t'))
			s++;
		e = s;
		while (e < eol && *e != '#' && *e != ',' && *e != '\r')
			e++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		p = eol + 1;
		if (e == s)
			continue;
		unsigned col = (unsigned)(s - ls) + 1;
		if ((size_t)(e - s) >= sizeof(field)) {
			snprintf(err, errlen, "%s:%u:%u: a time of %zu characters; expected a time such as 250us", path,
				 ln, col, (size_t)(e - s));
			goto fail;
		}
		memcpy(field, s, (size_t)(e - s));
		field[e - s] = 0;
		if ((rc = sim_parse_time(field, &t)) != 0) {
			snprintf(err, errlen, "%s:%u:%u: '%s': %s; expected a time such as 250us", path, ln, col, field,
				 sim_units_strerror(rc));
			goto fail;
		}
		if (t > SCENARIO_MAX_TIME) {
			snprintf(err, errlen, "%s:%u:%u: %s is out of range 0..3600s (times are at most 1 hour)", path, ln,
				 col, field);
			goto fail;
		}
		if (*n && t < v[*n - 1]) {
			snprintf(err, errlen, "%s:%u:%u: %s is before the previous time; times must not decrease", path,
				 ln, col, field);
			goto fail;
		}
		if (*n == SCENARIO_MAX_REPLAY_RECORDS) {
			snprintf(err, errlen, "%s:%u:%u: more than %u times (a replay file holds at most that many)",
				 path, ln, col, SCENARIO_MAX_REPLAY_RECORDS);
			goto fail;
		}
		if (*n == cap) {
			unsigned nc = cap ? cap * 2 : 64;
			sim_time *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			v = nv;
			cap = nc;
		}
		v[(*n)++] = t;
	}
	*out = v;
	return 0;
fail:
	free(v);
	*n = 0;
	return -1;
}

int replay_load(const char *path, sim_time **out, unsigned *n, char *err, size_t errlen)
{
	char *buf;
	size_t len;
	*out = NULL;
	*n = 0;
	if (sim_read_file(path, SCENARIO_MAX_REPLAY_BYTES, &buf, &len, err, errlen) != 0)
		return -1;
	int rc = replay_parse(buf, len, path, out, n, err, errlen);
	free(buf);
	return rc;
}
