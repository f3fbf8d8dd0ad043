/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/scenario/ynode.h: a YAML document as a tree of positioned nodes.
 *
 * libyaml's document API gives nodes with 0-based marks, every scalar as a
 * string and duplicate keys silently accepted (yaml_parser_load keeps
 * both entries of a repeated key; yaml.h, struct yaml_mark_s: index, line,
 * column from 0).
 * This module turns one document into a plain tree that the scenario
 * validator walks and that `--vary` overrides can edit before validation:
 * every node keeps its 1-based line and column, and nodes made by an
 * override carry the override's number instead of a position.
 *
 * Duplicate keys are kept in order; the validator reports them. Aliases
 * are expanded (a node reachable twice is copied twice), bounded by
 * YNODE_MAX_NODES and YNODE_MAX_DEPTH so hostile input cannot exhaust
 * memory or the stack. The module owns the nodes it returns; free a tree
 * with ynode_free(). It never prints.
 */
#ifndef SIM_YNODE_H
#define SIM_YNODE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define YNODE_MAX_NODES 200000
#define YNODE_MAX_DEPTH 64

enum ynode_kind { YNODE_SCALAR = 1, YNODE_MAP, YNODE_SEQ };

struct ynode {
	enum ynode_kind kind;
	unsigned line, col;  /* 1-based position in the file; 0 when made by an override */
	unsigned origin;     /* 0: from the file; k > 0: made by override number k - 1 */
	bool quoted;         /* a single- or double-quoted scalar */
	char *str;           /* SCALAR: the text, NUL-terminated; NULL otherwise */
	size_t len;          /* SCALAR: bytes in str (a quoted "\0" makes len > strlen) */
	size_t n, cap;       /* MAP: pairs; SEQ: items */
	struct ynode **key;  /* MAP: key nodes; NULL for SEQ */
	struct ynode **val;  /* MAP: value nodes; SEQ: items */
};

/* A YAML syntax error: 1-based position and libyaml's message. */
struct ynode_error {
	unsigned line, col;
	char msg[256];
};

/*
 * ynode_parse - parse the single YAML document in @text (@len bytes).
 * On success returns 0 and sets *@root (NULL for an empty document).
 * Returns -1 and fills @err on a syntax or encoding error, a second
 * document in the stream, more than YNODE_MAX_NODES nodes after alias
 * expansion, nesting deeper than YNODE_MAX_DEPTH, or out of memory.
 */
int ynode_parse(const char *text, size_t len, struct ynode **root, struct ynode_error *err);

/* Free @n and everything below it (NULL is fine). */
void ynode_free(struct ynode *n);

/* A new empty node of @kind, or a scalar holding a copy of @s; NULL when out of memory. */
struct ynode *ynode_new(enum ynode_kind kind);
struct ynode *ynode_new_scalar(const char *s);

/* Append a pair to a MAP (or, with @key NULL, an item to a SEQ); takes ownership. -1 when out of memory. */
int ynode_append(struct ynode *p, struct ynode *key, struct ynode *val);

/* The value of the first pair of MAP @map whose key is the scalar @key, or NULL; *@index gets its index. */
struct ynode *ynode_get(const struct ynode *map, const char *key, size_t *index);

/* Set origin (and clear the position) of @n and all below it. */
void ynode_set_origin(struct ynode *n, unsigned origin);

/* "a mapping", "a sequence", "a scalar": for messages. */
const char *ynode_kind_name(enum ynode_kind kind);

#ifdef __cplusplus
}
#endif
#endif
