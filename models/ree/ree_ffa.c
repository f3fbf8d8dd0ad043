// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/ree/ree_ffa.c: the arm_ffa driver's notification path and the
 * OP-TEE FF-A ABI (protocol.md §2.8, §4.3). Placeholder until FF-A lands.
 */
#include "ree_internal.h"

void ree_ffa_probe(struct ree_task *t, struct pe *pe)
{
	struct ree *r = t->r;
	ree_trace(r, pe, "arm_ffa: not implemented", 0, 0);
	r->probe_done(t, pe);
}

void ree_ffa_cpuhp(struct ree *r, struct pe *pe, unsigned cpu, bool online)
{
	(void)r, (void)pe, (void)cpu, (void)online;
}
