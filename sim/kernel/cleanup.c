// SPDX-License-Identifier: BSD-3-Clause
/* sim/kernel/cleanup.c: temporaries and children undone on a signal (see cleanup.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/kernel/cleanup.h"

static const char *volatile paths[CLEANUP_MAX_PATHS];
static volatile bool path_is_dir[CLEANUP_MAX_PATHS];
static volatile pid_t groups[CLEANUP_MAX_PIDS];
static volatile pid_t jobs[CLEANUP_MAX_PIDS];
static volatile sig_atomic_t handling;

int cleanup_add_path(const char *path, bool dir)
{
	for (int i = 0; i < CLEANUP_MAX_PATHS; i++)
		if (!paths[i]) {
			path_is_dir[i] = dir;
			paths[i] = path;
			return i;
		}
	return -1;
}

void cleanup_forget_path(int slot)
{
	if (slot >= 0 && slot < CLEANUP_MAX_PATHS)
		paths[slot] = NULL;
}

static void pid_add(volatile pid_t *t, pid_t pid)
{
	for (int i = 0; i < CLEANUP_MAX_PIDS; i++)
		if (!t[i]) {
			t[i] = pid;
			return;
		}
}

static void pid_forget(volatile pid_t *t, pid_t pid)
{
	for (int i = 0; i < CLEANUP_MAX_PIDS; i++)
		if (t[i] == pid)
			t[i] = 0;
}

void cleanup_add_group(pid_t pid) { pid_add(groups, pid); }
void cleanup_forget_group(pid_t pid) { pid_forget(groups, pid); }
void cleanup_add_job(pid_t pid) { pid_add(jobs, pid); }
void cleanup_forget_job(pid_t pid) { pid_forget(jobs, pid); }

void cleanup_after_fork(void)
{
	for (int i = 0; i < CLEANUP_MAX_PATHS; i++)
		paths[i] = NULL;
	for (int i = 0; i < CLEANUP_MAX_PIDS; i++)
		groups[i] = jobs[i] = 0;
	handling = 0;
}

int cleanup_pending_signal(void) { return handling; }

static void write_str(const char *s) { (void)!write(2, s, strlen(s)); }

/* files first, then the (now empty) directories */
static void remove_paths(void)
{
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < CLEANUP_MAX_PATHS; i++) {
			const char *p = paths[i];
			if (p && path_is_dir[i] == (pass == 1))
				(void)(pass ? rmdir(p) : unlink(p));
		}
}

static void handler(int sig)
{
	int e = errno;
	if (handling) {
		/*
		 * A second signal while the first is handled (the job pool's children may be slow
		 * to stop, or stopped): no more waiting. Every child is killed, our temporaries go,
		 * and the status is the first signal's.
		 */
		for (int i = 0; i < CLEANUP_MAX_PIDS; i++) {
			if (jobs[i] > 0)
				kill(jobs[i], SIGKILL);
			if (groups[i] > 0)
				kill(-groups[i], SIGKILL);
		}
		remove_paths();
		write_str("tzsim: second signal: children killed, exiting at once\n");
		_exit(128 + handling);
	}
	handling = sig;
	for (int i = 0; i < CLEANUP_MAX_PIDS; i++) {
		if (groups[i] > 0) {
			kill(-groups[i], SIGKILL);
			waitpid(groups[i], NULL, 0);
		}
		if (jobs[i] > 0)
			kill(jobs[i], SIGTERM);
	}
	for (int i = 0; i < CLEANUP_MAX_PIDS; i++)
		if (jobs[i] > 0)
			while (waitpid(jobs[i], NULL, 0) < 0 && errno == EINTR)
				;
	remove_paths();
	write_str(sig == SIGINT ? "tzsim: interrupted\n" : sig == SIGTERM ? "tzsim: terminated\n" : "tzsim: hangup\n");
	errno = e;
	_exit(128 + sig);
}

void cleanup_install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = SA_NODEFER; /* a second signal re-enters: exit at once */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* a signal ignored by whoever started us (nohup) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}
