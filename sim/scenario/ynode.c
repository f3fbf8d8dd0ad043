// SPDX-License-Identifier: BSD-3-Clause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sim/scenario/ynode.h"

struct ynode *ynode_new(enum ynode_kind kind)
{
	struct ynode *n = calloc(1, sizeof(*n));
	if (n)
		n->kind = kind;
	return n;
}

static struct ynode *new_scalar_len(const char *s, size_t len)
{
	struct ynode *n = ynode_new(YNODE_SCALAR);
	if (!n)
		return NULL;
	n->str = malloc(len + 1);
	if (!n->str) {
		free(n);
		return NULL;
	}
	memcpy(n->str, s, len);
	n->str[len] = 0;
	n->len = len;
	return n;
}

struct ynode *ynode_new_scalar(const char *s) { return new_scalar_len(s, strlen(s)); }

void ynode_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->key)
			ynode_free(n->key[i]);
		ynode_free(n->val[i]);
	}
	free(n->key);
	free(n->val);
	free(n->str);
	free(n);
}

int ynode_append(struct ynode *p, struct ynode *key, struct ynode *val)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct ynode **v = realloc(p->val, cap * sizeof(*v));
		if (!v)
			return -1;
		p->val = v;
		if (p->kind == YNODE_MAP) {
			struct ynode **k = realloc(p->key, cap * sizeof(*k));
			if (!k)
				return -1;
			p->key = k;
		}
		p->cap = cap;
	}
	if (p->kind == YNODE_MAP)
		p->key[p->n] = key;
	p->val[p->n++] = val;
	return 0;
}

struct ynode *ynode_get(const struct ynode *map, const char *key, size_t *index)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = map->key[i];
		if (k->kind == YNODE_SCALAR && !strcmp(k->str, key)) {
			if (index)
				*index = i;
			return map->val[i];
		}
	}
	return NULL;
}

void ynode_set_origin(struct ynode *n, unsigned origin)
{
	if (!n)
		return;
	n->origin = origin;
	n->line = n->col = 0;
	for (size_t i = 0; i < n->n; i++) {
		if (n->key)
			ynode_set_origin(n->key[i], origin);
		ynode_set_origin(n->val[i], origin);
	}
}

const char *ynode_kind_name(enum ynode_kind kind)
{
	switch (kind) {
	case YNODE_SCALAR:
		return "a scalar";
	case YNODE_MAP:
		return "a mapping";
	case YNODE_SEQ:
		return "a sequence";
	}
	return "a node";
}

struct conv {
	yaml_document_t *doc;
	size_t count;
	struct ynode_error *err;
};

static void set_err(struct ynode_error *err, unsigned line, unsigned col, const char *msg)
{
	err->line = line;
	err->col = col;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static struct ynode *convert(struct conv *c, yaml_node_t *yn, unsigned depth)
{
	unsigned line = (unsigned)yn->start_mark.line + 1, col = (unsigned)yn->start_mark.column + 1;
	if (depth > YNODE_MAX_DEPTH) {
		set_err(c->err, line, col, "nesting too deep (or a recursive alias)");
		return NULL;
	}
	if (++c->count > YNODE_MAX_NODES) {
		set_err(c->err, line, col, "too many nodes (aliases expand to more than 200000)");
		return NULL;
	}
	struct ynode *n = NULL;
	switch (yn->type) {
	case YAML_SCALAR_NODE:
		n = new_scalar_len((const char *)yn->data.scalar.value, yn->data.scalar.length);
		if (n)
			n->quoted = yn->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
				    yn->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_NODE:
		n = ynode_new(YNODE_SEQ);
		for (yaml_node_item_t *it = yn->data.sequence.items.start; n && it < yn->data.sequence.items.top; it++) {
			struct ynode *v = convert(c, yaml_document_get_node(c->doc, *it), depth + 1);
			if (!v || ynode_append(n, NULL, v)) {
				ynode_free(v);
				ynode_free(n);
				return NULL;
			}
		}
		break;
	case YAML_MAPPING_NODE:
		n = ynode_new(YNODE_MAP);
		for (yaml_node_pair_t *p = yn->data.mapping.pairs.start; n && p < yn->data.mapping.pairs.top; p++) {
			struct ynode *k = convert(c, yaml_document_get_node(c->doc, p->key), depth + 1);
			struct ynode *v = k ? convert(c, yaml_document_get_node(c->doc, p->value), depth + 1) : NULL;
			if (!k || !v || ynode_append(n, k, v)) {
				ynode_free(k);
				ynode_free(v);
				ynode_free(n);
				return NULL;
			}
		}
		break;
	default:
		break;
	}
	if (!n) {
		if (!c->err->msg[0])
			set_err(c->err, line, col, "out of memory");
		return NULL;
	}
	n->line = line;
	n->col = col;
	return n;
}

/* 1-based line and column of byte @off in @text (reader errors carry only an offset). */
static void offset_pos(const char *text, size_t len, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else {
			++*col;
		}
	}
}

static void parser_error(const yaml_parser_t *p, const char *text, size_t len, struct ynode_error *err)
{
	unsigned line = (unsigned)p->problem_mark.line + 1, col = (unsigned)p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "syntax error";
	if (p->error == YAML_READER_ERROR) {
		offset_pos(text, len, p->problem_offset, &line, &col);
		snprintf(err->msg, sizeof(err->msg), "%s", problem);
	} else if (p->error == YAML_MEMORY_ERROR) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	} else if (p->context) {
		snprintf(err->msg, sizeof(err->msg), "%s (%s at %u:%u)", problem, p->context,
			 (unsigned)p->context_mark.line + 1, (unsigned)p->context_mark.column + 1);
	} else {
		snprintf(err->msg, sizeof(err->msg), "%s", problem);
	}
	err->line = line;
	err->col = col;
}

/*
 * Flow collections nested deeper than YNODE_MAX_DEPTH, found in one pass
 * before libyaml sees the text: libyaml's scanner takes time quadratic in
 * the nesting of `[[[[...` (it re-checks every open level for a possible
 * simple key), so the depth check on the tree would come too late. Quoted
 * scalars and comments are skipped; brackets inside a plain or block
 * scalar count too, which only matters for a text holding more than
 * YNODE_MAX_DEPTH unbalanced ones. Returns 0, or -1 with @err set.
 */
static int prescan_depth(const char *t, size_t len, struct ynode_error *err)
{
	unsigned depth = 0, line = 1, col = 0;
	char quote = 0;
	bool comment = false;
	for (size_t i = 0; i < len; i++) {
		char ch = t[i];
		col++;
		if (ch == '\n') {
			line++;
			col = 0;
			comment = false;
			continue;
		}
		if (comment)
			continue;
		if (quote) {
			if (quote == '"' && ch == '\\' && i + 1 < len && t[i + 1] != '\n')
				i++, col++;
			else if (ch == quote)
				quote = 0;
			continue;
		}
		switch (ch) {
		case '#':
			comment = i == 0 || t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n';
			break;
		case '\'':
		case '"':
			/* a quote starts a quoted scalar where a value can start, not inside a word (it's) */
			if (i == 0 || strchr(" \t\n[{,:-", t[i - 1]))
				quote = ch;
			break;
		case '[':
		case '{':
			if (++depth > YNODE_MAX_DEPTH) {
				set_err(err, line, col, "nesting too deep (more than 64 levels of [ and {)");
				return -1;
			}
			break;
		case ']':
		case '}':
			if (depth)
				depth--;
			break;
		default:
			break;
		}
	}
	return 0;
}

int ynode_parse(const char *text, size_t len, struct ynode **root, struct ynode_error *err)
{
	yaml_parser_t p;
	yaml_document_t doc;
	int rc = -1;

	*root = NULL;
	memset(err, 0, sizeof(*err));
	if (prescan_depth(text, len, err))
		return -1;
	if (!yaml_parser_initialize(&p)) {
		set_err(err, 1, 1, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &doc)) {
		parser_error(&p, text, len, err);
		yaml_parser_delete(&p);
		return -1;
	}
	yaml_node_t *yroot = yaml_document_get_root_node(&doc);
	if (yroot) {
		struct conv c = { .doc = &doc, .err = err };
		*root = convert(&c, yroot, 0);
		if (!*root) {
			if (!err->msg[0])
				set_err(err, 1, 1, "out of memory");
			yaml_document_delete(&doc);
			yaml_parser_delete(&p);
			return -1;
		}
	}
	yaml_document_delete(&doc);

	/* A scenario is one document: a second one is a mistake, not something to ignore. */
	if (!yaml_parser_load(&p, &doc)) {
		parser_error(&p, text, len, err);
	} else {
		yaml_node_t *second = yaml_document_get_root_node(&doc);
		if (second)
			set_err(err, (unsigned)second->start_mark.line + 1, (unsigned)second->start_mark.column + 1,
				"a second YAML document; a scenario file holds exactly one");
		else
			rc = 0;
		yaml_document_delete(&doc);
	}
	if (rc) {
		ynode_free(*root);
		*root = NULL;
	}
	yaml_parser_delete(&p);
	return rc;
}
