/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/stats/notif_assoc.h: give the normal world's notification stages an id.
 *
 * The secure side stamps its stages with the notification's id (send,
 * fetched, bottom half). The normal world cannot know ids: its records
 * (the NS interrupt taken, the bottom-half context running) carry none, and
 * the GIC's pend of the notification INTID knows nothing of notifications.
 * This filter applies each such record to the notifications waiting for
 * that stage, in order, and hands one id-carrying TR_NOTIF record per
 * notification to its output:
 *  - TR_GIC_FWD of the notification INTID (it can be signalled at that CPU
 *    interface) -> NOTIF_NS_PENDING (cpu = that PE)
 *    for every sent notification not yet pending;
 *  - an id-less NOTIF_NS_TAKEN -> for every pending one not yet taken;
 *  - an id-less NOTIF_BH_CTX -> for every fetched DO_BOTTOM_HALF not yet
 *    in a bottom-half context;
 *  - an id-less NOTIF_BH_ENTER with a value (b != 0: Linux's drain loop
 *    passes it to optee_notif_send, its delivery) -> the value fetched last
 *    on that CPU (the drain loop fetches and passes on one value at a time).
 * Statistics and the Perfetto flows both read the stream through it.
 */
#ifndef SIM_NOTIF_ASSOC_H
#define SIM_NOTIF_ASSOC_H

#include <stddef.h>
#include <stdint.h>

#include "sim/kernel/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_ASSOC_MAX_CPUS 64

struct notif_idq {
	uint32_t *v;
	size_t head, n, cap;
};

struct notif_assoc {
	int notif_intid;
	/*
	 * 0, or -ENOMEM once a queue could not grow: a notification missed a
	 * stage (sticky, sim/kernel/err.h; the reader reports the run incomplete)
	 */
	int error;
	struct notif_idq wait_pend, wait_taken, wait_bhctx;
	uint32_t fetched_value[SIM_ASSOC_MAX_CPUS]; /* per CPU: the value (not DO_BOTTOM_HALF) fetched, not yet passed on */
};

void notif_assoc_init(struct notif_assoc *a, int notif_intid);
void notif_assoc_fini(struct notif_assoc *a);

/* notif_assoc_feed for any record (notif_assoc.c): what the inline part leaves to it. */
void notif_assoc_feed_slow(struct notif_assoc *a, const struct sim_rec *r, sim_sink_fn out, void *ctx);

/*
 * Feed record @r. Records that need no id pass to @out unchanged; an
 * id-less stage record becomes one record per associated notification (or
 * passes unchanged when none waits); a GIC pend of the INTID passes and is
 * followed by the NOTIF_NS_PENDING records it implies.
 *
 * The usual record, a stage with its id, inline, so that a sink feeding
 * the association calls its @out directly: its queue bookkeeping first (no
 * queue to grow), then @out as a tail call, so nothing is saved;
 * everything else as notif_assoc_feed_slow does it. The bookkeeping is the
 * assoc's own and @out (the statistics) does not read it, so its order
 * with @out shows nowhere.
 */
static inline void notif_assoc_feed(struct notif_assoc *a, const struct sim_rec *r, sim_sink_fn out, void *ctx)
{
	struct notif_idq *q = NULL;

	if (__builtin_expect(r->kind != TR_NOTIF || !r->notif, 0)) {
		notif_assoc_feed_slow(a, r, out, ctx);
		return;
	}
	if (r->a == NOTIF_SEND)
		q = &a->wait_pend;
	else if (r->a == NOTIF_FETCHED && r->b == 0)
		q = &a->wait_bhctx;
	if (q) {
		if (__builtin_expect(q->n == q->cap, 0)) { /* to grow: notif_assoc_feed_slow does it */
			notif_assoc_feed_slow(a, r, out, ctx);
			return;
		}
		q->v[(q->head + q->n++) % q->cap] = r->notif; /* q_push without growing */
	} else if (r->a == NOTIF_FETCHED && r->cpu >= 0 && r->cpu < SIM_ASSOC_MAX_CPUS) {
		a->fetched_value[r->cpu] = r->notif;
	}
	out(ctx, r);
}

#ifdef __cplusplus
}
#endif
#endif
