// SPDX-License-Identifier: BSD-3-Clause
#include "sim/out/atomic_file.h"
#include "sim/kernel/cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void seterr(char *err, size_t errlen, const char *what, const char *path, int e)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: cannot %s: %s", path, what, strerror(e));
}

static int mkdir_one(const char *p)
{
	if (mkdir(p, 0777) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(p, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int atomic_file_mkdirs(const char *dir)
{
	char *p = strdup(dir);
	if (!p) {
		errno = ENOMEM;
		return -1;
	}
	int rc = 0;
	/* every proper prefix ending before a '/', then the whole path */
	for (char *s = p + 1; rc == 0 && *s; s++) {
		if (*s != '/' || s[-1] == '/')
			continue;
		*s = '\0';
		rc = mkdir_one(p);
		*s = '/';
	}
	if (rc == 0 && *p)
		rc = mkdir_one(p);
	int e = errno;
	free(p);
	errno = e;
	return rc;
}

/* Directory part of @path ("." when none); caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int atomic_file_open(struct atomic_file *af, const char *path, char *err, size_t errlen)
{
	memset(af, 0, sizeof(*af));
	char *dir = dir_of(path);
	size_t tlen = strlen(path) + 32;
	af->path = strdup(path);
	af->tmp = malloc(tlen);
	if (!dir || !af->path || !af->tmp) {
		free(dir);
		atomic_file_abort(af);
		seterr(err, errlen, "open", path, ENOMEM);
		return -1;
	}
	snprintf(af->tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
	if (atomic_file_mkdirs(dir) != 0) {
		int e = errno;
		seterr(err, errlen, "create directory", dir, e);
		free(dir);
		atomic_file_abort(af);
		errno = e;
		return -1;
	}
	free(dir);
	af->slot = cleanup_add_path(af->tmp, false) + 1; /* before it exists: a signal in between finds nothing */
	af->f = fopen(af->tmp, "w");
	if (!af->f) {
		int e = errno;
		seterr(err, errlen, "create", path, e);
		atomic_file_abort(af);
		errno = e;
		return -1;
	}
	return 0;
}

static void release(struct atomic_file *af)
{
	if (af->slot > 0)
		cleanup_forget_path(af->slot - 1);
	af->slot = 0;
	free(af->path);
	free(af->tmp);
	af->path = af->tmp = NULL;
	af->f = NULL;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	if (af->tmp)
		unlink(af->tmp);
	release(af);
}

static void fsync_dir(const char *path)
{
	char *dir = dir_of(path);
	if (!dir)
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		/* durability of the rename; a failure here loses nothing already visible */
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen)
{
	if (!af->f) {
		seterr(err, errlen, "commit", af->path ? af->path : "(closed file)", EBADF);
		release(af);
		return -1;
	}
	int e = 0;
	const char *what = "write";
	errno = 0;
	if (fflush(af->f) != 0 || ferror(af->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(af->f)) != 0)
		e = errno, what = "fsync";
	if (fclose(af->f) != 0 && !e)
		e = errno, what = "close";
	af->f = NULL;
	if (!e && rename(af->tmp, af->path) != 0)
		e = errno, what = "rename into place";
	if (e) {
		seterr(err, errlen, what, af->path, e);
		unlink(af->tmp);
		release(af);
		errno = e;
		return -1;
	}
	fsync_dir(af->path);
	release(af);
	return 0;
}
