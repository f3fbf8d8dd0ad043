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

/*
 * Feed record @r. Records that need no id pass to @out unchanged; an
 * id-less stage record becomes one record per associated notification (or
 * passes unchanged when none waits); a GIC pend of the INTID passes and is
 * followed by the NOTIF_NS_PENDING records it implies.
 */
void notif_assoc_feed(struct notif_assoc *a, const struct sim_rec *r, sim_sink_fn out, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
