/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/scenario/scenario_internal.h: what the scenario loader's sources share.
 *
 * The loader is one module (public API in sim/scenario/scenario.h) in five files:
 *
 *   scenario.c           entry points, the document walk and the platform,
 *                        transport, tee, ree, sources, workloads and
 *                        outputs sections
 *   scenario_value.c     the validator context's key path, its messages and
 *                        "did you mean", node shapes and scalar values
 *   scenario_cost.c      costs: a constant or a distribution
 *   scenario_timeline.c  timeline entries
 *   scenario_expect.c    expect checks
 *   scenario_override.c  `--vary key.path=value` applied to the node tree
 *
 * Every scn_* reader below takes the validator context and the node to
 * check; it returns 0, or -1 with the first problem written to c->diag
 * (file:line:col, key path and message, or the --vary override that set
 * the node). Readers leave c's key path as they found it on success; on
 * failure the path is whatever the message named, since loading stops.
 * Nothing here is for use outside sim/scenario*.c.
 */
#ifndef TZSIM_SCENARIO_INTERNAL_H
#define TZSIM_SCENARIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/scenario/scenario.h"
#include "sim/kernel/units.h"
#include "sim/scenario/ynode.h"

/* The validator context: where the node being checked is, and where the scenario goes. */
struct vctx {
	const char *file;               /* for messages */
	char dir[SCENARIO_PATH_MAX];    /* relative paths resolve here ("" = as given) */
	const char *const *ovr;         /* the overrides, for messages */
	struct sim_diag *diag;
	char path[384];                 /* key path of the node being checked */
	size_t plen;
	struct scenario *s;
};

/* ---- messages and the key path (scenario_value.c) ------------------------------------------ */

/* snprintf into the diagnostic, truncating quietly and replacing control characters. */
__attribute__((format(printf, 2, 3))) void scn_diag_set(struct sim_diag *d, const char *fmt, ...);
/* The message for @n (NULL: no position) at the current key path; always returns -1. */
__attribute__((format(printf, 3, 4))) int scn_fail(struct vctx *c, const struct ynode *n, const char *fmt, ...);
/* Extend the key path by `.k` or `[i]`; each returns the mark to scn_pop() back to. */
size_t scn_push_key(struct vctx *c, const char *k);
size_t scn_push_idx(struct vctx *c, size_t i);
void scn_pop(struct vctx *c, size_t mark);
/* The candidate closest to @word, if close enough to be a likely typo; else NULL. */
const char *scn_suggest(const char *word, const char *const *cands, size_t n);

/* When @map has @key, run @body with @var bound to its value and the key path extended; return -1 if @body fails. */
#define WITH_KEY(c, map, key, var, body)                                                                     \
	do {                                                                                                 \
		const struct ynode *var = ynode_get((map), (key), NULL);                                     \
		if (var) {                                                                                   \
			size_t mark_ = scn_push_key((c), (key));                                             \
			if (body)                                                                            \
				return -1;                                                                   \
			scn_pop((c), mark_);                                                                 \
		}                                                                                            \
	} while (0)

/* ---- node shapes (scenario_value.c) ------------------------------------------------------------ */

bool scn_is_null(const struct ynode *n);
/* "expected @want, found <what @n is>" */
int scn_type_error(struct vctx *c, const struct ynode *n, const char *want);
/* A non-empty scalar without NUL bytes. */
int scn_want_scalar(struct vctx *c, const struct ynode *n, const char *want);
/* A sequence of @lo..@hi items. */
int scn_want_seq(struct vctx *c, const struct ynode *n, const char *want, size_t lo, size_t hi);
/* A mapping whose keys are all in @keys (NULL-terminated) and appear once. */
int scn_check_map(struct vctx *c, const struct ynode *n, const char *const *keys);
/* The single key of a one-key mapping such as `arrival` or a cost distribution: its index in @keys. */
int scn_one_key(struct vctx *c, const struct ynode *n, const char *const *keys, size_t *which);
/* "missing required key" for @key of @map; always returns -1. */
int scn_missing(struct vctx *c, const struct ynode *map, const char *key);
/* Each of the keys @req (NULL-terminated) must be in the mapping @m. */
int scn_require(struct vctx *c, const struct ynode *m, const char *const *req);

/* ---- scalars (scenario_value.c) -------------------------------------------------------------- */

int scn_get_int(struct vctx *c, const struct ynode *n, uint64_t lo, uint64_t hi, uint64_t *out);
int scn_get_uint(struct vctx *c, const struct ynode *n, unsigned lo, unsigned hi, unsigned *out);
/* A cpu number below platform.cpus (so platform is read first). */
int scn_get_cpu(struct vctx *c, const struct ynode *n, unsigned *out);
int scn_get_u64(struct vctx *c, const struct ynode *n, uint64_t *out);
/* One of @names (NULL-terminated): its index. */
int scn_get_enum(struct vctx *c, const struct ynode *n, const char *const *names, unsigned *out);
/* The name of one of @count @names (@what for messages, e.g. "source"): its index. */
int scn_find_named(struct vctx *c, const struct ynode *n, const char *what, const char *const *names,
		   size_t count, unsigned *out);
int scn_get_bool(struct vctx *c, const struct ynode *n, bool *out);
/* [A-Za-z0-9_.-]{1,64} */
bool scn_good_name(const char *s);
int scn_get_name(struct vctx *c, const struct ynode *n, char *out);
int scn_get_text(struct vctx *c, const struct ynode *n, char *out, size_t size);
/* A path, resolved against the scenario file's directory into SCENARIO_PATH_MAX bytes. */
int scn_get_path(struct vctx *c, const struct ynode *n, char *out);
/* The message for a failed sim_parse_* of @n, which wanted @kind (or @want, when set). */
int scn_qty_error(struct vctx *c, const struct ynode *n, enum sim_qty_kind kind, const char *want, int rc);
/* A time 0 (when @allow_zero) or 1ps .. SCENARIO_MAX_TIME. */
int scn_get_time(struct vctx *c, const struct ynode *n, bool allow_zero, sim_time *out);
int scn_get_freq(struct vctx *c, const struct ynode *n, uint64_t lo, uint64_t hi, uint64_t *out);
/* The fastest arrival rate the platform takes (its clock / SCENARIO_RATE_CYCLES), and the shortest period. */
uint64_t scn_max_rate(const struct vctx *c);
sim_time scn_min_period(const struct vctx *c);
/* An arrival rate: 1Hz .. scn_max_rate(). */
int scn_get_rate(struct vctx *c, const struct ynode *n, uint64_t *out);
/* @hz as "12MHz", "1.2GHz", "500Hz"; @ps as "83.334ns", "1h" (for messages). */
const char *scn_fmt_freq(char *buf, size_t len, uint64_t hz);
const char *scn_fmt_time(char *buf, size_t len, sim_time ps);

/* ---- sections kept in their own files -------------------------------------------------------- */

/* A cost: a constant such as `800 cycles` or a one-key distribution mapping (scenario_cost.c). */
int scn_get_cost(struct vctx *c, const struct ynode *n, struct sim_cost *out);
/* timeline[@idx] into c->s->timeline[@idx]; sources and workloads are read first (scenario_timeline.c). */
int scn_parse_event(struct vctx *c, const struct ynode *n, unsigned idx);
/* Order c->s->timeline by time, file order breaking ties (scenario_timeline.c). */
void scn_sort_timeline(struct scenario *s);
/* expect[@idx] into c->s->expect[@idx] (scenario_expect.c). */
int scn_parse_expect_item(struct vctx *c, const struct ynode *n, unsigned idx);
/*
 * Apply the override `key.path=value` @ovr, numbered @origin (1-based) for
 * messages, to the tree at *@root (scenario_override.c). Returns 0, or -1
 * with @diag set to "--vary @ovr: what is wrong".
 */
int scn_apply_override(struct ynode **root, const char *ovr, unsigned origin, struct sim_diag *diag);

#endif
