// SPDX-License-Identifier: BSD-3-Clause
/* sim/kernel/err.c: the error helpers (see err.h for the convention). */
#include "sim/kernel/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sim_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || !errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

const char *sim_strerror(int err) { return err ? strerror(-err) : ""; }
