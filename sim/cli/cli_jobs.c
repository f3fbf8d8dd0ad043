// SPDX-License-Identifier: BSD-3-Clause
/*
 * The job pool behind tzsim test and tzsim compare: one forked process
 * per run, so that a crash, a leak or an abort in one simulation costs
 * that run only and runs use every CPU. A child loads and runs its
 * scenario and sends frames back through a pipe: progress now and then,
 * the run's result (stats_result text, when asked) and last its struct
 * job; then it _exits. The parent polls every running job's pipe, reads
 * frames as they come (a result can be larger than a pipe's buffer, so
 * reading only after the child ended could deadlock) and reaps a child
 * when its pipe closes. Only the results travel back: a child writes no
 * files unless the job's run options ask for them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/kernel/cleanup.h"
#include "sim/cli/cli.h"
#include "sim/out/digest.h"
#include "sim/scenario/scenario.h"

/* A frame: a type byte, a 32-bit length, the payload. */
enum { FRAME_PROGRESS = 'P', FRAME_RESULT = 'R', FRAME_JOB = 'J' };
#define FRAME_HEAD 5

int cli_nproc(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the child ---------------------------------------------------------------------------------- */

struct child {
	int fd;
	double last; /* the last progress frame, wall clock */
};

static void send_frame(int fd, char type, const void *p, size_t len)
{
	unsigned char head[FRAME_HEAD] = { (unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
					   (unsigned char)(len >> 8), (unsigned char)len };
	const char *q = p;
	if (write(fd, head, sizeof(head)) != (ssize_t)sizeof(head))
		_exit(3);
	while (len) {
		ssize_t w = write(fd, q, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		q += w;
		len -= (size_t)w;
	}
}

/* At most five progress frames a second: the parent redraws no faster. */
static void child_progress(void *ctx, const struct run_progress *p)
{
	struct child *c = ctx;
	double t = now_s();
	if (t - c->last < 0.2)
		return;
	c->last = t;
	send_frame(c->fd, FRAME_PROGRESS, p, sizeof(*p));
}

static void child_done(void *ctx, const struct scenario *sc, const struct sim_stats *st, const struct run_result *res)
{
	struct child *c = ctx;
	struct stats_result *r = stats_result_new();
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	if (!r || !(f = open_memstream(&buf, &len)))
		_exit(3);
	cli_result_fill(r, sc, st, res);
	if (stats_result_write(r, f) != 0 || fclose(f) != 0)
		_exit(3);
	send_frame(c->fd, FRAME_RESULT, buf, len);
	free(buf);
	stats_result_free(r);
}

static void child_run(struct job *j, int fd, bool progress)
{
	struct scenario *sc = malloc(sizeof(*sc));
	struct sim_diag d;
	const char *ov[JOB_MAX_VARY];
	struct child c = { fd, 0 };
	if (!sc)
		_exit(3);
	for (int i = 0; i < j->nvary; i++)
		ov[i] = j->vary[i];
	memset(&j->res, 0, sizeof(j->res));
	if (progress) {
		j->o.progress = child_progress;
		j->o.hook_ctx = &c;
	}
	if (j->want_result) {
		j->o.done = child_done;
		j->o.hook_ctx = &c;
	}
	if (scenario_load(j->path, ov, j->nvary, sc, &d) != 0) {
		j->res.status = 2;
		snprintf(j->res.msg, sizeof(j->res.msg), "%s", d.msg);
		if (j->want_result) { /* a result that says why */
			memset(sc, 0, sizeof(*sc));
			if (j->o.seed_given)
				sc->seed = j->o.seed;
			child_done(&c, sc, NULL, &j->res);
		}
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
				o2.progress = NULL;
				o2.done = NULL;
				run_scenario(sc, &o2, &r2, NULL);
				snprintf(j->capture_text, sizeof(j->capture_text), "record #%" PRIu64 " is now: %s%s%s",
					 j->res.golden_at, cap.have_at ? cap.at : "(the run ended before it)",
					 cap.have_prev ? "\n      after: " : "", cap.have_prev ? cap.prev : "");
			}
		} else {
			run_scenario(sc, &j->o, &j->res, NULL);
		}
	}
	send_frame(fd, FRAME_JOB, j, sizeof(*j));
	free(sc);
	_exit(0);
}

/* ---- the parent --------------------------------------------------------------------------------- */

static void fail_job(struct job *j, const char *fmt, const char *what)
{
	j->res.status = 2;
	snprintf(j->res.msg, sizeof(j->res.msg), fmt, what);
	j->done = true;
}

/* Hand over every complete frame in j->buf. */
static void take_frames(struct job *j, int i, const struct job_hooks *h)
{
	size_t at = 0;
	while (j->len - at >= FRAME_HEAD) {
		const unsigned char *q = (const unsigned char *)j->buf + at;
		size_t len = (size_t)q[1] << 24 | (size_t)q[2] << 16 | (size_t)q[3] << 8 | q[4];
		if (j->len - at - FRAME_HEAD < len)
			break;
		const char *p = j->buf + at + FRAME_HEAD;
		if (q[0] == FRAME_PROGRESS && len == sizeof(struct run_progress)) {
			struct run_progress rp;
			memcpy(&rp, p, sizeof(rp));
			if (h && h->progress)
				h->progress(h->ctx, i, &rp);
		} else if (q[0] == FRAME_RESULT) {
			if (h && h->result) {
				/* NUL-terminated in place for the reader: the byte after is the next header's */
				char keep = j->buf[at + FRAME_HEAD + len];
				j->buf[at + FRAME_HEAD + len] = 0;
				h->result(h->ctx, i, p, len);
				j->buf[at + FRAME_HEAD + len] = keep;
			}
		} else if (q[0] == FRAME_JOB && len == sizeof(struct job)) {
			struct job tmp;
			memcpy(&tmp, p, sizeof(tmp));
			j->res = tmp.res;
			memcpy(j->name, tmp.name, sizeof(j->name));
			memcpy(j->capture_text, tmp.capture_text, sizeof(j->capture_text));
			j->got_job = true;
		}
		at += FRAME_HEAD + len;
	}
	memmove(j->buf, j->buf + at, j->len - at);
	j->len -= at;
}

/* Read what job @j's pipe has; true at its end (EOF or an error). */
static bool read_pipe(struct job *j, int i, const struct job_hooks *h)
{
	for (;;) {
		if (j->cap - j->len < 65536 + 1) {
			size_t cap = j->cap ? j->cap * 2 : 131072;
			char *nb = realloc(j->buf, cap);
			if (!nb)
				return true; /* the job fails below: no final frame */
			j->buf = nb;
			j->cap = cap;
		}
		ssize_t r = read(j->fd, j->buf + j->len, j->cap - j->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		if (r <= 0)
			return true;
		j->len += (size_t)r;
		take_frames(j, i, h);
	}
}

static void finish(struct job *j, int i, const struct job_hooks *h)
{
	int status = 0;
	pid_t w;
	close(j->fd);
	while ((w = waitpid(j->pid, &status, 0)) < 0 && errno == EINTR)
		;
	int e = errno;
	cleanup_forget_job(j->pid); /* reaped (or not ours to wait for): the signal handler leaves it */
	if (w < 0 && !j->got_job)
		fail_job(j, "waitpid: %s", strerror(e));
	else if (!j->got_job) {
		j->res.status = 2;
		snprintf(j->res.msg, sizeof(j->res.msg), "the simulation process died (%s %d)",
			 WIFSIGNALED(status) ? "signal" : "status", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	}
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
	j->done = true;
	if (h && h->finished)
		h->finished(h->ctx, i);
}

void cli_run_jobs(struct job *jobs, int n, int parallel, const struct job_hooks *h)
{
	int next = 0, running = 0, *idx = calloc((size_t)(parallel > 0 ? parallel : 1), sizeof(int));
	struct pollfd *pfd = calloc((size_t)(parallel > 0 ? parallel : 1), sizeof(*pfd));
	bool progress = h && h->progress;
	double last_tick = 0;

	if (!idx || !pfd) {
		for (int i = 0; i < n; i++)
			fail_job(&jobs[i], "%s", "out of memory");
		free(idx);
		free(pfd);
		return;
	}
	while (next < n || running) {
		while (next < n && running < parallel) {
			int fds[2], i = next++;
			struct job *j = &jobs[i];
			if (pipe2(fds, O_CLOEXEC) != 0) {
				fail_job(j, "pipe: %s", strerror(errno));
				if (h && h->finished)
					h->finished(h->ctx, i);
				continue;
			}
			fflush(NULL);
			/* no signal between the fork and the registration (sim/kernel/cleanup.h) */
			sigset_t all, old;
			sigfillset(&all);
			sigprocmask(SIG_BLOCK, &all, &old);
			j->pid = fork();
			if (j->pid < 0) {
				int e = errno;
				sigprocmask(SIG_SETMASK, &old, NULL);
				fail_job(j, "fork: %s", strerror(e));
				close(fds[0]);
				close(fds[1]);
				if (h && h->finished)
					h->finished(h->ctx, i);
				continue;
			}
			if (j->pid == 0) {
				cleanup_after_fork(); /* the parent's temporaries and children are the parent's */
				sigprocmask(SIG_SETMASK, &old, NULL);
				close(fds[0]);
				child_run(j, fds[1], progress);
			}
			cleanup_add_job(j->pid); /* on SIGINT/SIGTERM: told to stop, and waited for */
			sigprocmask(SIG_SETMASK, &old, NULL);
			close(fds[1]);
			fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
			j->fd = fds[0];
			j->got_job = false;
			running++;
		}
		if (!running)
			break;
		int k = 0;
		for (int i = 0; i < n && k < running; i++)
			if (jobs[i].pid > 0 && !jobs[i].done) {
				pfd[k] = (struct pollfd){ .fd = jobs[i].fd, .events = POLLIN };
				idx[k++] = i;
			}
		int pr = poll(pfd, (nfds_t)k, h && h->tick ? 250 : -1);
		if (pr < 0 && errno != EINTR) {
			/* cannot wait for the pipes: whatever is running cannot report (never a silent pass) */
			const char *why = strerror(errno);
			for (int x = 0; x < k; x++) {
				struct job *j = &jobs[idx[x]];
				kill(j->pid, SIGKILL);
				j->got_job = false;
				finish(j, idx[x], h);
				j->res.status = 2;
				snprintf(j->res.msg, sizeof(j->res.msg), "poll: %s", why);
			}
			for (int i = next; i < n; i++) {
				fail_job(&jobs[i], "poll: %s", why);
				if (h && h->finished)
					h->finished(h->ctx, i);
			}
			break;
		}
		for (int x = 0; pr > 0 && x < k; x++) {
			if (!pfd[x].revents)
				continue;
			struct job *j = &jobs[idx[x]];
			if (read_pipe(j, idx[x], h)) {
				finish(j, idx[x], h);
				running--;
			}
		}
		if (h && h->tick && now_s() - last_tick >= 0.2) {
			last_tick = now_s();
			h->tick(h->ctx);
		}
	}
	free(idx);
	free(pfd);
}
