/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/stats/check.h: the run-time invariant checker (`--check`).
 *
 * A trace sink that mirrors, from the record stream alone, what the
 * invariants of docs/protocol.md §10.4 need: OP-TEE's pending bitmap (send,
 * coalesced, fetched), each notification's outcome, which PE has each SPI
 * active, each PE's power, activity and irq/fiq wires, OP-TEE's busy
 * threads and the context the monitor last switched in. It owns that
 * mirror and nothing else: it never reads a model's state.
 *
 * A violation is a TR_EVENT record with code SIM_EV_VIOLATION (a = the
 * invariant, enum sim_inv; b = the value; c, d as sim_check_violation
 * lists), emitted into the same trace right after the record that broke
 * the invariant (or at the end, for the checks at quiescence), and an
 * error line with the time, the CPU and the notification. A clean run adds
 * no record, so its digest is unchanged. Things worth saying that break no
 * rule (an SPI pending for an offline PE, a value stranded where no online
 * CPU can take its interrupt) are notes: text only, no record.
 *
 * Costs: one switch per record, O(1) per record; memory: one byte per
 * notification between the oldest unfinished one and the newest.
 */
#ifndef SIM_STATS_CHECK_H
#define SIM_STATS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/kernel/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The invariants (SIM_EV_VIOLATION's a). */
enum sim_inv {
	SIM_INV_DELIVERED_TWICE = 1, /* a notification delivered more than once */
	SIM_INV_VANISHED,            /* fetched (or cleared) and never delivered, at quiescence */
	SIM_INV_BITMAP_NOT_EMPTY,    /* OP-TEE's bitmap not empty at quiescence, an online CPU could take it */
	SIM_INV_ACTIVE_TWICE,        /* one SPI active on two PEs */
	SIM_INV_SLEEP_PENDING,       /* a PE idle with its irq/fiq wire up (an interrupt it could take) */
	SIM_INV_THREADS,             /* more OP-TEE threads busy than tee.threads */
	SIM_INV_CALL_NOT_RETURNED,   /* a yielding call still in OP-TEE at quiescence */
	SIM_INV_WRONG_CONTEXT,       /* the monitor ERETs into a world whose context is not loaded */
	SIM_INV_COUNT
};

/* The invariant's name, as error lines and the trace label give it. */
const char *sim_inv_name(unsigned inv);

struct sim_check_cfg {
	unsigned ncpus;
	unsigned threads;     /* tee.threads */
	int notif_intid;      /* the notification interrupt (the SRI for FF-A); -1: none */
	/* a PE idle this long with its wire up is asleep on a pending interrupt */
	sim_time sleep_grace;
};

struct sim_check_violation {
	sim_time t;
	int cpu;
	uint32_t notif;
	unsigned inv;
	uint64_t value;
	char text[480]; /* what happened, with the facts that explain it */
};

struct sim_check;

/*
 * check_new - a checker writing its violations into @tr (the trace it is
 * attached to, with check_sink). The irq/fiq wires are found among @tr's
 * signals (scope "cpuN"), so call it after the platform is built. NULL
 * when out of memory.
 */
struct sim_check *check_new(const struct sim_check_cfg *cfg, struct sim_trace *tr);
void check_free(struct sim_check *c);

/* The sink: feed it every record (the kinds not in CHECK_KINDS it ignores). */
void check_sink(void *ctx, const struct sim_rec *r);

/*
 * The record kinds the invariants read (bit 1 << kind): check_sink returns
 * at once for the others (TR_VALUE, TR_SMC, TR_SMC_RET, TR_COUNTER,
 * TR_GIC_EOI, TR_GIC_FWD, TR_GIC_SGI_DROP, TR_GIC_WAKE, TR_GIC_ROUTE), so a
 * run attaches it to these only (check_attach) and the others keep the
 * trace's fast path when no other sink takes them.
 */
#define CHECK_KINDS                                                                                            \
	((1u << TR_WIRE) | (1u << TR_ACTIVITY) | (1u << TR_EXC_ENTRY) | (1u << TR_EXC_RETURN) |                \
	 (1u << TR_WORLD_SWITCH) | (1u << TR_GIC_PEND) | (1u << TR_GIC_ACK) | (1u << TR_GIC_DEACT) |         \
	 (1u << TR_GIC_CLEAR) | (1u << TR_POWER) | (1u << TR_PSCI) | (1u << TR_NOTIF) | (1u << TR_TEE_THREAD) | \
	 (1u << TR_EVENT))

/*
 * check_attach - check_sink's work attached to @tr as one sink per kind of
 * CHECK_KINDS (no dispatch on the kind; the kinds it does not read keep the
 * trace's fast path). 0, or -1 (nothing added) when a kind has
 * SIM_TRACE_MAX_SINKS sinks already.
 */
int check_attach(struct sim_check *c, struct sim_trace *tr);

/* Scenario time 0 (the end of boot), for the messages. */
void check_set_origin(struct sim_check *c, sim_time boot);

/*
 * check_end - the checks at quiescence, at the end of the run (@now). They
 * apply only when every PE is idle or off; otherwise a note says so.
 */
void check_end(struct sim_check *c, sim_time now);

/* Violations found (every one counts; the first 16 are kept). */
unsigned check_count(const struct sim_check *c);
const struct sim_check_violation *check_violation(const struct sim_check *c, unsigned i);

/* One line per violation ("at 12.004123 ms, CPU 2, notification 17: ..."); "" when none. */
void check_format(const struct sim_check *c, unsigned i, char *buf, size_t len);

/* Timeline actions (cpu_on, cpu_off) that Linux refused: "cpu_on refused (busy)" records. */
unsigned check_refused(const struct sim_check *c);

/* Notes, one a line ("" when none). */
const char *check_notes(const struct sim_check *c);

#ifdef __cplusplus
}
#endif
#endif
