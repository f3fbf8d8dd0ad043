// SPDX-License-Identifier: BSD-3-Clause
/*
 * What tzsim run adds around run_scenario: the progress line on a
 * terminal, --report (the HTML report of the one run) and --result (the
 * run's stats_result, what a sweep's job leaves for tzsim merge). Both
 * files are made from the run's statistics when it is over
 * (run_opts.done), written atomically after the summary; one that cannot
 * be written is exit status 3, with the file and the reason on stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/out/atomic_file.h"
#include "sim/scenario/scenario.h"

static int write_result(const char *path, const struct stats_result *r)
{
	struct atomic_file af;
	char err[1200];
	if (atomic_file_open(&af, path, err, sizeof(err)) != 0 ||
	    (stats_result_write(r, af.f), atomic_file_commit(&af, err, sizeof(err)) != 0)) {
		fprintf(stderr, "%s%s%s\n", strstr(err, path) ? "" : path, strstr(err, path) ? "" : ": ", err);
		return RUN_IO_ERROR;
	}
	return 0;
}

/* "tzsim run FILE --vary ..." as typed (quoted where a shell would need it). */
static void command_line(const struct cli_args *a, char *buf, size_t len)
{
	size_t u = (size_t)snprintf(buf, len, "tzsim");
	for (int i = 0; i < a->argc && u < len; i++)
		u += (size_t)snprintf(buf + u, len - u, strpbrk(a->argv[i], " {}[]'\"*?$;&|<>()") ? " '%s'" : " %s",
				      a->argv[i]);
}

static void on_done(void *ctx, const struct scenario *sc, const struct sim_stats *st, const struct run_result *res)
{
	struct cli_run_hooks *h = ctx;
	const struct cli_args *a = h->a;
	cli_result_fill(h->r, sc, st, res);
	if (a->result && write_result(a->result, h->r))
		h->rc = RUN_IO_ERROR;
	if (a->report && st) {
		struct cli_variant v;
		char *text = cli_read_file(a->operand, NULL);
		cli_variant_init(&v, sc->name, h->r->transport, 1);
		if (cli_variant_add(&v, 0, h->r) != 0) {
			fprintf(stderr, "%s: cannot write: out of memory\n", a->report);
			h->rc = RUN_IO_ERROR;
		} else {
			char what[200], cmd[2048];
			snprintf(what, sizeof(what), "one run, seed %" PRIu64, sc->seed);
			command_line(a, cmd, sizeof(cmd));
			if (cli_write_report(a->report, sc->name, what, cmd, a->operand, text, &v, 1))
				h->rc = RUN_IO_ERROR;
		}
		cli_variant_free(&v);
		free(text);
	}
}

static void on_progress(void *ctx, const struct run_progress *p)
{
	struct cli_run_hooks *h = ctx;
	if (p->fraction >= 1) /* measured: the summary comes next, on a clean line */
		cli_progress_end(&h->pg);
	else
		cli_progress_run(&h->pg, p);
}

int cli_run_hooks_init(struct cli_run_hooks *h, const struct cli_args *a, struct run_opts *o)
{
	memset(h, 0, sizeof(*h));
	h->a = a;
	h->novr = cli_expand_overrides(a->vary.v, a->vary.n, h->ovr, MAX_VARY + 1);
	if ((a->report || a->result) && !(h->r = stats_result_new()))
		return -1;
	cli_progress_init(&h->pg, 1, !a->json && !a->quiet);
	o->hook_ctx = h;
	if (h->r)
		o->done = on_done;
	if (h->pg.on)
		o->progress = on_progress;
	return 0;
}

int cli_run_hooks_end(struct cli_run_hooks *h, int rc, const char *load_error)
{
	cli_progress_end(&h->pg);
	if (load_error && h->a->result) {
		/* the scenario did not load: the result says why (merge shows it) */
		stats_result_reset(h->r);
		h->r->status = RUN_BAD_INPUT;
		snprintf(h->r->msg, sizeof(h->r->msg), "%s", load_error);
		if (write_result(h->a->result, h->r))
			h->rc = RUN_IO_ERROR;
	}
	stats_result_free(h->r);
	h->r = NULL;
	return h->rc > rc ? h->rc : rc;
}
