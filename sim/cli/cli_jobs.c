// SPDX-License-Identifier: BSD-3-Clause
/*
 * The job pool behind tzsim test and tzsim compare: one forked process
 * per run, so that a crash, a leak or an abort in one simulation costs
 * that run only and runs use every CPU. A child loads and runs its
 * scenario, writes its struct job back through a pipe and _exits; the
 * parent reaps children as they finish. Only the results travel back: a
 * child writes no files unless the job's run options ask for them.
 */
#include <errno.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cleanup.h"
#include "sim/cli/cli.h"
#include "sim/out/digest.h"
#include "sim/scenario/scenario.h"

int cli_nproc(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static void child_run(struct job *j, int fd)
{
	struct scenario *sc = malloc(sizeof(*sc));
	struct sim_diag d;
	const char *ov[1] = { j->vary };
	if (!sc)
		_exit(3);
	memset(&j->res, 0, sizeof(j->res));
	if (scenario_load(j->path, ov, j->vary[0] ? 1 : 0, sc, &d) != 0) {
		j->res.status = 2;
		snprintf(j->res.msg, sizeof(j->res.msg), "%s", d.msg);
	} else {
		snprintf(j->name, sizeof(j->name), "%s", sc->name);
		if (j->o.golden) {
			char g[1100];
			snprintf(g, sizeof(g), "%s/%s.seed%" PRIu64 ".golden", j->golden, sc->name,
				 j->o.seed_given ? j->o.seed : sc->seed);
			j->o.golden = g;
			run_scenario(sc, &j->o, &j->res, NULL);
			if (j->res.golden == RUN_GOLDEN_CHANGED && j->capture) {
				/* a second, identical run captures the record where the streams part */
				struct run_opts o2 = j->o;
				struct run_result r2;
				struct digest_capture cap;
				digest_capture_init(&cap, j->res.golden_at);
				o2.golden = NULL;
				o2.capture = &cap;
				run_scenario(sc, &o2, &r2, NULL);
				snprintf(j->capture_text, sizeof(j->capture_text), "record #%" PRIu64 " is now: %s%s%s",
					 j->res.golden_at, cap.have_at ? cap.at : "(the run ended before it)",
					 cap.have_prev ? "\n      after: " : "", cap.have_prev ? cap.prev : "");
			}
		} else {
			run_scenario(sc, &j->o, &j->res, NULL);
		}
	}
	if (write(fd, j, sizeof(*j)) != (ssize_t)sizeof(*j))
		_exit(3);
	free(sc);
	_exit(0);
}

void cli_run_jobs(struct job *jobs, int n, int parallel)
{
	int next = 0, running = 0;
	while (next < n || running) {
		while (next < n && running < parallel) {
			int fds[2];
			struct job *j = &jobs[next++];
			if (pipe(fds) != 0) {
				j->res.status = 2;
				snprintf(j->res.msg, sizeof(j->res.msg), "pipe: %s", strerror(errno));
				j->done = true;
				continue;
			}
			fflush(NULL);
			/* no signal between the fork and the registration (sim/cleanup.h) */
			sigset_t all, old;
			sigfillset(&all);
			sigprocmask(SIG_BLOCK, &all, &old);
			j->pid = fork();
			if (j->pid < 0) {
				sigprocmask(SIG_SETMASK, &old, NULL);
				j->res.status = 2;
				snprintf(j->res.msg, sizeof(j->res.msg), "fork: %s", strerror(errno));
				close(fds[0]);
				close(fds[1]);
				j->done = true;
				continue;
			}
			if (j->pid == 0) {
				cleanup_after_fork(); /* the parent's temporaries and children are the parent's */
				sigprocmask(SIG_SETMASK, &old, NULL);
				close(fds[0]);
				child_run(j, fds[1]);
			}
			cleanup_add_job(j->pid); /* on SIGINT/SIGTERM: told to stop, and waited for */
			sigprocmask(SIG_SETMASK, &old, NULL);
			close(fds[1]);
			j->fd = fds[0];
			running++;
		}
		if (!running)
			break;
		/* read every running job's pipe as it finishes */
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0) {
			/* no child left to wait for: whatever is not done cannot report (never a silent pass) */
			int e = errno;
			for (int i = 0; i < n; i++)
				if (!jobs[i].done) {
					jobs[i].res.status = 2;
					snprintf(jobs[i].res.msg, sizeof(jobs[i].res.msg), "waitpid: %s", strerror(e));
					if (jobs[i].pid > 0)
						close(jobs[i].fd);
					jobs[i].done = true;
				}
			break;
		}
		for (int i = 0; i < n; i++) {
			struct job *j = &jobs[i];
			if (j->pid != pid || j->done)
				continue;
			struct job tmp;
			size_t got = 0;
			ssize_t r;
			while (got < sizeof(tmp) && (r = read(j->fd, (char *)&tmp + got, sizeof(tmp) - got)) > 0)
				got += (size_t)r;
			close(j->fd);
			cleanup_forget_job(pid);
			if (got == sizeof(tmp)) {
				j->res = tmp.res;
				memcpy(j->name, tmp.name, sizeof(j->name));
				memcpy(j->capture_text, tmp.capture_text, sizeof(j->capture_text));
			} else {
				j->res.status = 2;
				snprintf(j->res.msg, sizeof(j->res.msg), "the simulation process died (%s %d)",
					 WIFSIGNALED(status) ? "signal" : "status",
					 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			}
			j->done = true;
			running--;
		}
	}
}
