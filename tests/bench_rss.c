// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/bench_rss.c: run a command and report its peak resident set size.
 *
 *   bench_rss CMD [ARGS...]
 *
 * Forks, execs CMD with its output passed through, waits for it with wait4
 * and prints `maxrss_kb=<child's ru_maxrss> wall_s=<seconds> status=<exit>`
 * on stderr. Exits with the child's status (128 + signal when killed, 127
 * when it could not be started). Used by tests/bench.sh: /usr/bin/time is
 * not always installed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, rc;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_rss CMD [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("bench_rss: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "bench_rss: %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	memset(&ru, 0, sizeof(ru));
	while (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench_rss: wait4");
		return 127;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(stderr, "maxrss_kb=%ld wall_s=%.3f status=%d\n", ru.ru_maxrss,
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, rc);
	return rc;
}
