// SPDX-License-Identifier: BSD-3-Clause
/* sim/stats/notif_assoc.c: ids for the normal world's notification stages (see notif_assoc.h). */
#include <errno.h>
#include <stdlib.h>

#include "sim/stats/notif_assoc.h"

/* Append @id to @q; out of memory, @id is dropped and a->error set. */
static void q_push(struct notif_assoc *a, struct notif_idq *q, uint32_t id)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		uint32_t *v = malloc(cap * sizeof(*v));
		if (!v) {
			a->error = -ENOMEM;
			return;
		}
		for (size_t i = 0; i < q->n; i++)
			v[i] = q->v[(q->head + i) % q->cap];
		free(q->v);
		q->v = v;
		q->cap = cap;
		q->head = 0;
	}
	q->v[(q->head + q->n++) % q->cap] = id;
}

static int q_pop(struct notif_idq *q, uint32_t *id)
{
	if (!q->n)
		return 0;
	*id = q->v[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	return 1;
}

void notif_assoc_init(struct notif_assoc *a, int notif_intid)
{
	*a = (struct notif_assoc){ .notif_intid = notif_intid };
}

void notif_assoc_fini(struct notif_assoc *a)
{
	free(a->wait_pend.v);
	free(a->wait_taken.v);
	free(a->wait_bhctx.v);
}

/* Emit @stage for every id in @from (moving them to @to when given). */
static int fan_out(struct notif_assoc *a, const struct sim_rec *r, unsigned stage, int cpu, unsigned world,
		   struct notif_idq *from, struct notif_idq *to, sim_sink_fn out, void *ctx)
{
	uint32_t id;
	int n = 0;
	while (q_pop(from, &id)) {
		struct sim_rec c = *r;
		c.kind = TR_NOTIF;
		c.notif = id;
		c.a = stage;
		c.cpu = cpu;
		c.world = world;
		c.b = c.c = c.d = 0;
		c.label = NULL;
		out(ctx, &c);
		if (to)
			q_push(a, to, id);
		n++;
	}
	return n;
}

/* notif_assoc_feed, every case. */
void notif_assoc_feed_slow(struct notif_assoc *a, const struct sim_rec *r, sim_sink_fn out, void *ctx)
{
	/* pending = can be signalled at a CPU interface, after the GIC's propagation (docs/protocol.md §9.6) */
	if (r->kind == TR_GIC_FWD && (int)r->a == a->notif_intid) {
		out(ctx, r);
		fan_out(a, r, NOTIF_NS_PENDING, r->cpu, SIM_WORLD_GIC, &a->wait_pend, &a->wait_taken, out, ctx);
		return;
	}
	if (r->kind != TR_NOTIF) {
		out(ctx, r);
		return;
	}
	if (r->notif) {
		out(ctx, r);
		if (r->a == NOTIF_SEND)
			q_push(a, &a->wait_pend, r->notif);
		else if (r->a == NOTIF_FETCHED && r->b == 0)
			q_push(a, &a->wait_bhctx, r->notif);
		else if (r->a == NOTIF_FETCHED && r->cpu >= 0 && r->cpu < SIM_ASSOC_MAX_CPUS)
			a->fetched_value[r->cpu] = r->notif;
		return;
	}
	if (r->a == NOTIF_BH_ENTER && r->b != 0 && r->cpu >= 0 && r->cpu < SIM_ASSOC_MAX_CPUS &&
	    a->fetched_value[r->cpu]) {
		struct sim_rec c = *r;
		c.notif = a->fetched_value[r->cpu];
		a->fetched_value[r->cpu] = 0;
		out(ctx, &c);
		return;
	}
	if (r->a == NOTIF_NS_TAKEN && fan_out(a, r, NOTIF_NS_TAKEN, r->cpu, r->world, &a->wait_taken, NULL, out, ctx))
		return;
	if (r->a == NOTIF_BH_CTX && fan_out(a, r, NOTIF_BH_CTX, r->cpu, r->world, &a->wait_bhctx, NULL, out, ctx))
		return;
	out(ctx, r);
}
