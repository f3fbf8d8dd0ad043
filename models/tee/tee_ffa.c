// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/tee_ffa.c: FF-A notifications (protocol.md §3.2, §3.3, §4).
 * Placeholder until the FF-A transport lands: the transport raises nothing.
 */
#include "tee_internal.h"

void tee_ffa_init(struct tee *t) { (void)t; }
void tee_ffa_free(struct tee *t) { (void)t; }
void tee_ffa_attach(struct tee *t, struct mon *m)
{
	(void)t;
	(void)m;
}

static void ffa_raise(struct tee *t, struct pe *pe)
{
	(void)t;
	(void)pe;
}

static void ffa_read(struct tee *t, struct pe *pe, bool empty)
{
	(void)t, (void)pe, (void)empty;
}

const struct tee_transport tee_transport_ffa = { "ffa", NULL, ffa_raise, ffa_read };
