// SPDX-License-Identifier: BSD-3-Clause
/*
 * `--vary key.path=value` overrides, applied to the ynode tree before it
 * is validated. An override only edits the tree: the nodes it adds carry
 * its number (ynode origin), so the validator can blame it by name; it
 * never looks at the schema.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario_internal.h"

/* ---- overrides ----------------------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static int ovr_fail(struct sim_diag *diag, const char *ovr,
							  const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	scn_diag_set(diag, "--vary %s: %s", ovr, what);
	return -1;
}

/*
 * Apply `key.path=value` to the tree at *@root. The value is parsed as
 * YAML and replaces the node at the path; missing mapping keys on the way
 * are created (as mappings, or sequences before [n]).
 */
/*
 * `-key[n]`: remove item n of the top-level sequence `key` (tzsim explore
 * shrinks a failing scenario with it; later items move down by one).
 */
static int remove_item(struct ynode *root, const char *ovr, struct sim_diag *diag)
{
	char key[128];
	unsigned long idx;
	char *e;
	const char *br = strchr(ovr, '[');
	size_t i;
	if (!br || br == ovr + 1 || (size_t)(br - ovr - 1) >= sizeof(key))
		return ovr_fail(diag, ovr, "expected -key[n]");
	snprintf(key, sizeof(key), "%.*s", (int)(br - ovr - 1), ovr + 1);
	errno = 0;
	idx = strtoul(br + 1, &e, 10);
	if (e == br + 1 || *e != ']' || e[1] || errno)
		return ovr_fail(diag, ovr, "expected -key[n]");
	struct ynode *seq = root->kind == YNODE_MAP ? ynode_get(root, key, &i) : NULL;
	if (!seq || seq->kind != YNODE_SEQ)
		return ovr_fail(diag, ovr, "'%s' is not a sequence of the scenario", key);
	if (idx >= seq->n)
		return ovr_fail(diag, ovr, "index %lu is past the end of '%s' (%zu items)", idx, key, seq->n);
	ynode_free(seq->val[idx]);
	memmove(&seq->val[idx], &seq->val[idx + 1], (seq->n - idx - 1) * sizeof(seq->val[0]));
	seq->n--;
	return 0;
}

int scn_apply_override(struct ynode **root, const char *ovr, unsigned origin, struct sim_diag *diag)
{
	if (ovr[0] == '-' && !strchr(ovr, '='))
		return remove_item(*root, ovr, diag);
	const char *eq = strchr(ovr, '=');
	if (!eq || eq == ovr)
		return ovr_fail(diag, ovr, "expected key.path=value");
	struct ynode *val = NULL;
	struct ynode_error yerr;
	const char *vtext = eq + 1;
	if (ynode_parse(vtext, strlen(vtext), &val, &yerr))
		return ovr_fail(diag, ovr, "the value is not valid YAML: %s", yerr.msg);
	if (!val && !(val = ynode_new_scalar("")))
		return ovr_fail(diag, ovr, "out of memory");
	ynode_set_origin(val, origin);

	struct ynode **slot = root;
	const char *p = ovr, *end = eq;
	bool whole_rest = false; /* under cost_overrides, the rest of the path is one cost name */
	int rc = -1;
	while (p < end) {
		struct ynode *cur = *slot;
		int plen = (int)(p - ovr);
		if (*p == '[') {
			char *e;
			errno = 0;
			unsigned long idx = strtoul(p + 1, &e, 10);
			if (e == p + 1 || *e != ']' || e > end || errno) {
				ovr_fail(diag, ovr, "bad index in '%.*s'", (int)(end - ovr), ovr);
				goto out;
			}
			if (cur->kind != YNODE_SEQ) {
				ovr_fail(diag, ovr, "'%.*s' is %s, not a sequence", plen, ovr, ynode_kind_name(cur->kind));
				goto out;
			}
			p = e + 1;
			if (idx > cur->n) {
				ovr_fail(diag, ovr, "index %lu is past the end of '%.*s' (%zu items)", idx, plen, ovr,
					 cur->n);
				goto out;
			}
			if (idx == cur->n) {
				struct ynode *item = p == end ? NULL : ynode_new(*p == '[' ? YNODE_SEQ : YNODE_MAP);
				if (p != end && !item) {
					ovr_fail(diag, ovr, "out of memory");
					goto out;
				}
				if (item)
					item->origin = origin;
				if (ynode_append(cur, NULL, item)) {
					ynode_free(item);
					ovr_fail(diag, ovr, "out of memory");
					goto out;
				}
			}
			slot = &cur->val[idx];
		} else {
			const char *k = p;
			if (p > ovr && *p != '.') {
				ovr_fail(diag, ovr, "expected '.' or '[' after '%.*s'", plen, ovr);
				goto out;
			}
			if (*p == '.' && p > ovr)
				k = ++p;
			if (whole_rest)
				p = end;
			else
				while (p < end && *p != '.' && *p != '[')
					p++;
			if (p == k) {
				ovr_fail(diag, ovr, "empty key in '%.*s'", (int)(end - ovr), ovr);
				goto out;
			}
			char key[128];
			snprintf(key, sizeof(key), "%.*s", (int)(p - k), k);
			whole_rest = !strcmp(key, "cost_overrides");
			if (cur->kind != YNODE_MAP) {
				ovr_fail(diag, ovr, "'%.*s' is %s, not a mapping", (int)(k - ovr - 1), ovr,
					 ynode_kind_name(cur->kind));
				goto out;
			}
			size_t idx;
			if (!ynode_get(cur, key, &idx)) {
				struct ynode *kn = ynode_new_scalar(key);
				struct ynode *vn = p == end ? NULL : ynode_new(*p == '[' ? YNODE_SEQ : YNODE_MAP);
				if (!kn || (p != end && !vn) || ynode_append(cur, kn, vn)) {
					ynode_free(kn);
					ynode_free(vn);
					ovr_fail(diag, ovr, "out of memory");
					goto out;
				}
				kn->origin = origin;
				if (vn)
					vn->origin = origin;
				idx = cur->n - 1;
			}
			slot = &cur->val[idx];
		}
	}
	ynode_free(*slot);
	*slot = val;
	val = NULL;
	rc = 0;
out:
	ynode_free(val);
	return rc;
}
