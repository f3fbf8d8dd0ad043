// SPDX-License-Identifier: BSD-3-Clause
/* sim/kernel/infile.c: regular files of bounded size only (see infile.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/kernel/infile.h"
#include "sim/kernel/err.h"

/* "1 MiB", "16 MiB", "512 KiB", or bytes */
static void fmt_size(char *buf, size_t len, size_t n)
{
	if (n >= (1u << 20) && n % (1u << 20) == 0)
		snprintf(buf, len, "%zu MiB", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, len, "%zu KiB", n >> 10);
	else
		snprintf(buf, len, "%zu bytes", n);
}

/* Open @path for reading and check it; the descriptor, or -1 with @err set. */
static int open_checked(const char *path, size_t max, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		return sim_fail(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (%s)", path,
			 S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO"
			 : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : S_ISSOCK(st.st_mode) ? "a socket"
												   : "not a file");
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		char lim[32];
		fmt_size(lim, sizeof(lim), max);
		snprintf(err, errlen, "%s: too large (%lld bytes; at most %s)", path, (long long)st.st_size, lim);
		close(fd);
		return -1;
	}
	return fd;
}

int sim_check_file(const char *path, size_t max, char *err, size_t errlen)
{
	int fd = open_checked(path, max, err, errlen);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int sim_read_file(const char *path, size_t max, char **buf, size_t *len, char *err, size_t errlen)
{
	size_t got = 0;
	char lim[32];
	int fd = open_checked(path, max, err, errlen);
	*buf = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	/* read at most max + 1 bytes: a file that grew since fstat is still caught */
	char *b = malloc(max + 2);
	if (!b) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, b + got, max + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > max) {
			fmt_size(lim, sizeof(lim), max);
			snprintf(err, errlen, "%s: too large (at most %s)", path, lim);
			goto fail;
		}
	}
	close(fd);
	b[got] = 0;
	*buf = b;
	*len = got;
	return 0;
fail:
	free(b);
	close(fd);
	return -1;
}
