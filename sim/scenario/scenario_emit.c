// SPDX-License-Identifier: BSD-3-Clause
/*
 * scenario_write_resolved (scenario.h): a scenario with its overrides
 * applied, written back as YAML that loads to the same scenario from any
 * directory. What `tzsim compare --emit-jobs` writes for each job of a
 * sweep, so that a job is one self-contained file.
 *
 * The overrides are applied to the node tree exactly as the loader
 * applies them; the file is also loaded (and so validated) to learn what
 * the tree leaves implicit: the resolved paths and the default name.
 * Scalars are written plain when that cannot change their meaning and
 * double-quoted otherwise (the loader reads a quoted scalar as the same
 * text; only an unquoted null differs, and stays unquoted).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/scenario/scenario_internal.h"

#define MAX_FILE_BYTES (16u << 20)

/* @path as an absolute path: the file's real path when it exists, else the working directory + @path. */
static int absolute(const char *path, char *out, size_t len)
{
	char real[PATH_MAX], cwd[PATH_MAX];
	if (path[0] == '/')
		return snprintf(out, len, "%s", path) < (int)len ? 0 : -1;
	if (realpath(path, real))
		return snprintf(out, len, "%s", real) < (int)len ? 0 : -1;
	if (!getcwd(cwd, sizeof(cwd)))
		return -1;
	return snprintf(out, len, "%s/%s", cwd, path) < (int)len ? 0 : -1;
}

/* Replace the scalar at @n (a map's value) with @s. */
static int set_scalar(struct ynode **slot, const char *s)
{
	struct ynode *n = ynode_new_scalar(s);
	if (!n)
		return -1;
	ynode_free(*slot);
	*slot = n;
	return 0;
}

static bool null_word(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL");
}

/* Written plain, @n reads back as the same scalar in block and in flow context. */
static bool plain_ok(const struct ynode *n)
{
	const char *s = n->str;
	size_t l = n->len;
	if (!l || l != strlen(s) || s[l - 1] == ' ' || (n->quoted && null_word(s)))
		return false;
	if (!(s[0] == '_' || s[0] == '.' || s[0] == '/' || (s[0] >= '0' && s[0] <= '9') ||
	      ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')))
		return false;
	for (size_t i = 0; i < l; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || strchr("_./@+- ", c)))
			return false;
	}
	return true;
}

static void emit_scalar(FILE *f, const struct ynode *n)
{
	if (!n->quoted && null_word(n->str)) {
		fputs("null", f);
		return;
	}
	if (plain_ok(n)) {
		fputs(n->str, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n->len; i++) {
		unsigned char c = (unsigned char)n->str[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void emit_node(FILE *f, const struct ynode *n, int indent, bool inline_first);

/* After "key:" or "-": a scalar or an empty collection on the same line, anything else below. */
static void emit_value(FILE *f, const struct ynode *v, int indent)
{
	if (!v) {
		fputs(" null\n", f);
	} else if (v->kind == YNODE_SCALAR) {
		fputc(' ', f);
		emit_scalar(f, v);
		fputc('\n', f);
	} else if (v->n == 0) {
		fputs(v->kind == YNODE_MAP ? " {}\n" : " []\n", f);
	} else {
		fputc('\n', f);
		emit_node(f, v, indent, false);
	}
}

/* A non-empty collection in block style at @indent (the first line already indented when @inline_first). */
static void emit_node(FILE *f, const struct ynode *n, int indent, bool inline_first)
{
	for (size_t i = 0; i < n->n; i++) {
		if (i || !inline_first)
			fprintf(f, "%*s", indent, "");
		if (n->kind == YNODE_MAP) {
			emit_scalar(f, n->key[i]);
			fputc(':', f);
			emit_value(f, n->val[i], indent + 2);
		} else {
			const struct ynode *v = n->val[i];
			fputc('-', f);
			if (v && v->kind == YNODE_MAP && v->n) {
				fputc(' ', f); /* "- key: value", the rest of the mapping under it */
				emit_node(f, v, indent + 2, true);
			} else {
				emit_value(f, v, indent + 2);
			}
		}
	}
}

int scenario_write_resolved(const char *path, const char *const *overrides, int n_overrides, FILE *f,
			    struct sim_diag *diag)
{
	struct scenario *sc = malloc(sizeof(*sc));
	struct ynode *root = NULL, *v;
	struct ynode_error yerr;
	char *text = NULL, abs[SCENARIO_PATH_MAX];
	size_t len = 0;
	int rc = -1;
	FILE *in = NULL;

	if (!sc) {
		scn_diag_set(diag, "%s: out of memory", path);
		return -1;
	}
	if (scenario_load(path, overrides, n_overrides, sc, diag) != 0)
		goto out;
	if (!(in = fopen(path, "rb"))) {
		scn_diag_set(diag, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	for (size_t cap = 0;;) {
		if (len + 1 >= cap) {
			char *nb = cap < MAX_FILE_BYTES ? realloc(text, cap ? cap * 2 : 4096) : NULL;
			if (!nb) {
				scn_diag_set(diag, "%s: too large or out of memory", path);
				goto out;
			}
			text = nb;
			cap = cap ? cap * 2 : 4096;
		}
		size_t got = fread(text + len, 1, cap - len - 1, in);
		len += got;
		if (!got)
			break;
	}
	text[len] = 0;
	if (ynode_parse(text, len, &root, &yerr) || !root || root->kind != YNODE_MAP) {
		scn_diag_set(diag, "%s: changed while it was read", path); /* it loaded a moment ago */
		goto out;
	}
	for (int i = 0; i < n_overrides; i++)
		if (scn_apply_override(&root, overrides[i], (unsigned)i + 1, diag))
			goto out;

	/* the name defaults to the file's: write it out */
	if (!ynode_get(root, "name", NULL)) {
		struct ynode *k = ynode_new_scalar("name"), *val = ynode_new_scalar(sc->name);
		if (!k || !val || ynode_append(root, k, val)) {
			ynode_free(k);
			ynode_free(val);
			scn_diag_set(diag, "%s: out of memory", path);
			goto out;
		}
	}
	/* paths resolve against the original file's directory: make them absolute */
	if ((v = ynode_get(root, "platform", NULL)) && v->kind == YNODE_MAP && sc->platform.dts[0]) {
		size_t i;
		if (ynode_get(v, "dts", &i) &&
		    (absolute(sc->platform.dts, abs, sizeof(abs)) || set_scalar(&v->val[i], abs))) {
			scn_diag_set(diag, "%s: platform.dts: cannot make the path absolute", path);
			goto out;
		}
	}
	if ((v = ynode_get(root, "sources", NULL)) && v->kind == YNODE_SEQ)
		for (size_t s = 0; s < v->n && s < sc->n_sources; s++) {
			struct ynode *arr = v->val[s] && v->val[s]->kind == YNODE_MAP ? ynode_get(v->val[s], "arrival", NULL)
										       : NULL;
			size_t i;
			if (sc->sources[s].arrival != SCENARIO_REPLAY || !arr || arr->kind != YNODE_MAP ||
			    !ynode_get(arr, "replay", &i))
				continue;
			if (absolute(sc->sources[s].replay, abs, sizeof(abs)) || set_scalar(&arr->val[i], abs)) {
				scn_diag_set(diag, "%s: sources[%zu].arrival.replay: cannot make the path absolute", path, s);
				goto out;
			}
		}
	emit_node(f, root, 0, false);
	if (ferror(f)) {
		scn_diag_set(diag, "%s: cannot write the resolved scenario: %s", path, strerror(errno ? errno : EIO));
		goto out;
	}
	rc = 0;
out:
	if (in)
		fclose(in);
	free(text);
	ynode_free(root);
	free(sc);
	return rc;
}
