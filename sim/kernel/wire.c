// SPDX-License-Identifier: BSD-3-Clause
#include "sim/kernel/wire.h"

void sim_wire_init(struct sim *s, struct sim_wire *w, const char *scope, const char *name, int cpu)
{
	w->level = 0;
	w->fn = NULL;
	w->ctx = NULL;
	w->idx = 0;
	w->cpu = (int16_t)cpu;
	w->sig = name ? sim_trace_signal(s->tr, scope, name, 1) : -1;
}

void sim_wire_connect(struct sim_wire *w, sim_wire_fn fn, void *ctx, unsigned idx)
{
	w->fn = fn;
	w->ctx = ctx;
	w->idx = idx;
}

/* sim_wire_set's record when sim_trace_rec_try cannot take it, and the rest of the set: out of line. */
static __attribute__((noinline)) void wire_set_rest(struct sim *s, struct sim_wire *w, int level)
{
	sim_trace_emit_rec(s->tr, sim_now(s->k), TR_WIRE, 0, w->cpu, 0, 0, (uint64_t)w->sig, (uint64_t)level, 0, 0,
			   NULL);
	if (w->fn)
		w->fn(w->ctx, w->idx, level);
}

void sim_wire_set(struct sim *s, struct sim_wire *w, int level)
{
	level = !!level;
	if (w->level == level)
		return;
	w->level = level;
	/* the record's usual case inline (it calls nothing), so the sink is a tail call and nothing is saved */
	if (w->sig >= 0 && !sim_trace_rec_try(s->tr, sim_now(s->k), TR_WIRE, 0, w->cpu, 0, 0, (uint64_t)w->sig,
					      (uint64_t)level, 0, 0, NULL)) {
		wire_set_rest(s, w, level);
		return;
	}
	if (w->fn)
		w->fn(w->ctx, w->idx, level);
}
