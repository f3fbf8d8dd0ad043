/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/trace.h: the trace record stream.
 *
 * Every observable step of every model is one struct sim_rec, emitted in
 * simulated-time order (the kernel's order). Nothing is stored: sinks
 * (CSV, Perfetto JSON, VCD, the digest, the statistics) see each record as
 * it is emitted, so memory stays flat however long the run.
 *
 * Records carry their meaning in `kind` and up to four arguments a..d whose
 * meaning per kind is listed in the table below (and in sim_rec_kind_name /
 * sim_rec_arg_names), and an event code (enum sim_ev) for the records
 * sinks count. `label` points to a string with static storage duration, or
 * a string owned by the simulation that outlives the run and whose text
 * does not change while the run lasts: sinks may remember a label's hash by
 * its address (the digest does).
 *
 * Signals are named level/vector values for the waveform (VCD) view; they
 * are registered before the run and changed by TR_WIRE / TR_VALUE records.
 */
#ifndef SIM_TRACE_H
#define SIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim/kernel/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Worlds, also the Perfetto process ids. */
enum sim_world {
	SIM_WORLD_NS = 0,  /* Normal world (EL0/EL1/EL2 Non-secure) */
	SIM_WORLD_S = 1,   /* Secure world (S-EL0/S-EL1, and S-EL2 when an SPMC runs there) */
	SIM_WORLD_EL3 = 2, /* the monitor */
	SIM_WORLD_GIC = 3, /* the interrupt controller */
	SIM_WORLD_DEV = 4, /* devices (interrupt sources) */
};

/*
 * Record kinds.             cpu     a          b          c          d
 */
enum sim_rec_kind {
	TR_WIRE = 0,        /* cpu   signal     level                            */
	TR_VALUE,           /* cpu   signal     value   (vector signal)          */
	TR_ACTIVITY,        /* cpu   el  (b c d: SIM_EV_EL3_PASS) ; world, label = what runs now (NULL: idle) */
	TR_EXC_ENTRY,       /* cpu   type(0 irq 1 fiq 2 smc 3 hvc 4 virq 5 vfiq)  from_el  to_el ; world = to */
	TR_EXC_RETURN,      /* cpu   to_el  ; world = to                         */
	TR_SMC,             /* cpu   fid        x1         x2         x3 ; world = caller */
	TR_SMC_RET,         /* cpu   fid        x0         x1         x2 ; world = caller */
	TR_WORLD_SWITCH,    /* cpu   from       to                               */
	TR_GIC_PEND,        /* pe    intid      group      src(0 wire 1 sw 2 sgi)   */
	TR_GIC_ACK,         /* pe    intid      group                           */
	TR_GIC_EOI,         /* pe    intid      (priority drop)                 */
	TR_GIC_DEACT,       /* pe    intid                                      */
	TR_GIC_CLEAR,       /* pe    intid      (pending removed without ack)   */
	TR_GIC_SGI_DROP,    /* pe    intid      req_group  sender               */
	TR_GIC_WAKE,        /* pe    level      (WakeRequest)                   */
	TR_GIC_ROUTE,       /* pe    intid      irouter    (target changed)     */
	TR_POWER,           /* cpu   state(0 off 1 on 2 suspended) ; label       */
	TR_PSCI,            /* cpu   fid        target     result               */
	TR_NOTIF,           /* cpu   stage      value      (notif = id)         */
	TR_COUNTER,         /* -     value ; label = counter name               */
	TR_TEE_THREAD,      /* cpu   thread     state(0 free 1 run 2 rpc 3 wait) */
	TR_EVENT,           /* cpu   a b c d ; label = what happened (instant)  */
	TR_GIC_FWD,         /* pe    intid      group   (the probed INTID can be signalled at the PE's CPU interface) */
	TR_KIND_COUNT
};

/* Stages of a notification's life (TR_NOTIF.a); ARCHITECTURE.md. */
enum sim_notif_stage {
	NOTIF_SOURCE = 0,   /* secure source asserted */
	NOTIF_TOP_HALF,     /* top half starts */
	NOTIF_SEND,         /* notif_send_async */
	NOTIF_NS_PENDING,   /* NS interrupt pending */
	NOTIF_NS_TAKEN,     /* NS interrupt taken (cpu) */
	NOTIF_FETCHED,      /* value fetched (GET_ASYNC_NOTIF_VALUE / NOTIFICATION_GET) */
	NOTIF_BH_CTX,       /* bottom-half context runs (thread / work) */
	NOTIF_BH_ENTER,     /* DO_BOTTOM_HALF enters the TEE */
	NOTIF_BH_DONE,      /* bottom half done */
	NOTIF_COALESCED,    /* merged into an earlier pending send (b = primary id) */
	NOTIF_STAGE_COUNT
};

/*
 * Event codes (struct sim_rec.code): what a record means to the sinks that
 * count it, so they never compare label text. A model that emits one of
 * these sets the code; everything else is SIM_EV_NONE and its label, free
 * text, is for people only (CSV, Perfetto).
 */
enum sim_ev {
	SIM_EV_NONE = 0,         /* free text: the label says what happened */
	/* TR_EVENT, with the fixed label sim_ev_label() gives */
	SIM_EV_SPURIOUS_NOTIF,   /* a notification IRQ found nothing */
	SIM_EV_ETHREAD_LIMIT,    /* the TEE had no free thread */
	SIM_EV_FOREIGN_INTR,     /* a TEE thread left for a normal-world interrupt */
	SIM_EV_BUS_ERROR,        /* an access no device took (sim/bus.h) */
	SIM_EV_TA_REQUEST,       /* a workload's TA invocation arrives: a = workload, b = request number */
	SIM_EV_TA_DONE,          /* ... its call returned: a = workload, b = request number, c = arrival time */
	SIM_EV_PROBE_FAILED,     /* Linux's OP-TEE driver did not probe; the label says why (free text) */
	/*
	 * TR_SMC from the secure world: it hands the normal world an RPC
	 * request, so the yielding call it belongs to goes on (OP-TEE's
	 * CALL_DONE with an RPC code in a0). The label stays the PE's.
	 */
	SIM_EV_SMC_RPC_RETURN,
	/*
	 * A TA invocation waiting for a device's notification value
	 * (notif_wait, OPTEE_RPC_NOTIFICATION_WAIT): a = workload, b = value.
	 */
	SIM_EV_TA_WAIT,
	/*
	 * ... it returned with the value: a = workload, b = the sends it took,
	 * c = the earliest one's source time (0: none), d = 1 if it slept
	 */
	SIM_EV_TA_WOKEN,
	/* ... Linux refused it (optee_notif_wait: another waiter has the key, -EBUSY): a = workload, b = value */
	SIM_EV_TA_WAIT_REFUSED,
	/*
	 * The invariant checker (sim/stats/check.h, --check): a = the invariant
	 * (enum sim_inv), b = the value or INTID it concerns; notif, cpu: whose
	 */
	SIM_EV_VIOLATION,
	/*
	 * A Linux OP-TEE call sleeps in the driver's call queue for a secure
	 * thread (call.c optee_cq_wait_for_completion): a = its OPTEE_MSG
	 * command, b = 1 when the driver's own count had no thread free (before
	 * the SMC, Linux 6.8+), 0 after an ETHREAD_LIMIT return
	 */
	SIM_EV_CQ_WAIT,
	/*
	 * TR_ACTIVITY: a whole pass through EL3 as one step (models/cpu/pe.h,
	 * struct pe_el3_pass): the label is the entry's ("SMC entry", "FIQ
	 * entry"); b, c, d are the ends of the entry, the dispatch and the world
	 * switch legs, in ps after the record's time; the ERET runs from d to
	 * the PE's next TR_ACTIVITY
	 */
	SIM_EV_EL3_PASS,
	SIM_EV_COUNT
};

/* The fixed TR_EVENT label of @code ("ETHREAD_LIMIT", ...); NULL for codes without one. A const function (from a constant table). */
const char *sim_ev_label(unsigned code) __attribute__((const));

/*
 * One record: 64 bytes; t..d have no padding between them (the digest
 * hashes them as they lie, sim/out/digest.c).
 */
struct sim_rec {
	sim_time t;
	uint16_t kind;  /* enum sim_rec_kind */
	uint16_t code;  /* enum sim_ev; 0: none */
	int32_t cpu;    /* -1: none */
	uint32_t world;
	uint32_t notif; /* notification id, 0: none */
	uint64_t a, b, c, d;
	const char *label;
};

typedef void (*sim_sink_fn)(void *ctx, const struct sim_rec *r);

struct sim_signal {
	char scope[32];
	char name[48];
	unsigned width;
};

#define SIM_TRACE_MAX_SINKS 16

struct sim_trace_sink {
	sim_sink_fn fn;
	void *ctx;
};

#define SIM_TRACE_KIND_LISTS 32 /* sinks are listed by kind % 32 */

/* Every kind (also any beyond TR_KIND_COUNT): a sink added with sim_trace_add_sink. */
#define SIM_TRACE_ALL_KINDS UINT32_MAX

/*
 * The record log: one consumer, the digest (sim/out/digest.c), that keeps
 * every record as 64 canonical bytes in a batch of its own: struct
 * sim_rec's first 56 bytes as they lie (on a little-endian host they are
 * the canonical ones), then the label's 64-bit word. sim_trace_emit writes
 * a record there itself, without a call, while the batch has room
 * (pos < end) and the label's word is remembered; every other case goes to
 * the consumer's slow path, which owns the batch and fills in the words.
 * Words are remembered by the label's address (labels keep their text for
 * the run, see above), two-way: a label's word sits in its own slot (the
 * address's low bits) or the one beside it (sim_log_find), so two labels
 * whose addresses differ by a multiple of SIM_LOG_LABELS both stay; it takes
 * three in one pair of slots to evict one. Direct-mapped, one such pair among
 * the hot labels sent every record of both through the slow path, and which
 * labels pair depends on where the linker puts the string literals: an
 * unrelated change moved default.yaml's figure by ~160 instructions per
 * notification. With no consumer, pos == end and slow does nothing.
 */
#define SIM_LOG_REC_BYTES 64
#define SIM_LOG_LABELS 4096

struct sim_trace_log {
	unsigned char *pos;       /* the next record's place in the batch */
	const unsigned char *end; /* the fast path writes only below it */
	sim_sink_fn slow;         /* everything else, with ctx */
	void (*drop)(void *ctx);  /* the consumer loses the log (sim_trace_drop_log) */
	void *ctx;
	const char *label[SIM_LOG_LABELS]; /* the label of each remembered word */
	uint64_t word[SIM_LOG_LABELS];
};

/* The own slot of label @s in @l's table; its word is there or in the slot beside it (slot ^ 1). */
static inline size_t sim_log_slot(const char *s) { return (uintptr_t)s & (SIM_LOG_LABELS - 1); }

/* The slot that remembers label @s's word in @l, or SIM_LOG_LABELS when none does. */
static inline size_t sim_log_find(const struct sim_trace_log *l, const char *s)
{
	size_t i = sim_log_slot(s);
	if (__builtin_expect(l->label[i] == s, 1))
		return i;
	return l->label[i ^ 1] == s ? i ^ 1 : SIM_LOG_LABELS;
}

/* Add @r to @l's batch in place when the fast path can; returns whether it did (else nothing is done). */
static inline bool sim_trace_log_try(struct sim_trace_log *l, const struct sim_rec *r)
{
	unsigned char *q = l->pos;
	size_t i = sim_log_find(l, r->label);

	if (__builtin_expect(i < SIM_LOG_LABELS && q < l->end, 1)) {
		memcpy(q, r, SIM_LOG_REC_BYTES - 8);
		memcpy(q + SIM_LOG_REC_BYTES - 8, &l->word[i], 8);
		l->pos = q + SIM_LOG_REC_BYTES;
		return true;
	}
	return false;
}

/* Add @r to @l's batch: in place when the fast path can, else through l->slow. */
static inline void sim_trace_log_put(struct sim_trace_log *l, const struct sim_rec *r)
{
	if (!sim_trace_log_try(l, r))
		l->slow(l->ctx, r);
}

struct sim_trace {
	struct sim_trace_log log; /* sim_trace_take_log */
	/* the sinks of each kind (% 32), in the order added: each list ends at the first entry without fn */
	struct sim_trace_sink sink[SIM_TRACE_KIND_LISTS][SIM_TRACE_MAX_SINKS + 1];
	int nsinks[SIM_TRACE_KIND_LISTS];
	struct sim_signal *sig;
	int nsig, capsig;
};

struct sim_trace *sim_trace_new(void);
void sim_trace_free(struct sim_trace *tr);

/* Add a sink; returns 0, or -1 when a kind has SIM_TRACE_MAX_SINKS sinks already. */
int sim_trace_add_sink(struct sim_trace *tr, sim_sink_fn fn, void *ctx);
/*
 * The same for a sink that takes only the kinds in @kinds (bit 1 << kind;
 * a kind from 32 on as kind % 32): the others cost it no call. A model
 * may add one function per kind it takes (sim/stats: stats_attach), which
 * spares it a dispatch on the kind. Returns -1, adding nothing, when one of
 * those kinds has SIM_TRACE_MAX_SINKS sinks already.
 */
int sim_trace_add_sink_kinds(struct sim_trace *tr, sim_sink_fn fn, void *ctx, uint32_t kinds);

/* One sink of a model that takes each of its kinds with a function of its own. */
struct sim_trace_kind_sink {
	sim_sink_fn fn;
	uint32_t kinds; /* as sim_trace_add_sink_kinds's */
};
/*
 * sim_trace_add_sink_kinds of each of @list's @n sinks with @ctx, all or
 * none: returns -1, adding nothing, when a kind would pass
 * SIM_TRACE_MAX_SINKS sinks (sim/stats: stats_attach, check_attach).
 */
int sim_trace_add_sinks(struct sim_trace *tr, void *ctx, const struct sim_trace_kind_sink *list, size_t n);

/* Register a signal; returns its id (>= 0), or -1 when out of memory. */
int sim_trace_signal(struct sim_trace *tr, const char *scope, const char *name, unsigned width);

/*
 * Make (@slow, @drop, @ctx) the record log's consumer, which then sets its
 * pos and end: returns the log, or NULL when it has a consumer already. The
 * log sees every record before the sinks do, so that a sink's own record
 * (sim/stats/check.c) comes after the one it saw there too, as with any
 * sink added after the others. sim_trace_drop_log, and sim_trace_free,
 * call @drop(@ctx) (the consumer takes back what it needs of the log) and
 * leave the log without a consumer.
 */
struct sim_trace_log *sim_trace_take_log(struct sim_trace *tr, sim_sink_fn slow, void (*drop)(void *ctx),
					 void *ctx);
void sim_trace_drop_log(struct sim_trace *tr);

/*
 * sim_trace_emit for a record whose kind the caller knows (@kind ==
 * @r->kind): a constant @kind picks the sink list without reading the record.
 */
static inline void sim_trace_emit_kind(struct sim_trace *tr, unsigned kind, const struct sim_rec *r)
{
	const struct sim_trace_sink *s = tr->sink[kind % SIM_TRACE_KIND_LISTS];
	sim_trace_log_put(&tr->log, r);
	if (!s->fn)
		return;
	if (!s[1].fn) {
		s->fn(s->ctx, r); /* one sink (the usual case): a tail call where the caller ends here */
		return;
	}
	if (!s[2].fn) { /* two (the statistics and --check's checker) */
		s[0].fn(s[0].ctx, r);
		s[1].fn(s[1].ctx, r);
		return;
	}
	for (; s->fn; s++)
		s->fn(s->ctx, r);
}

/* Hand @r to the log and to every sink that takes its kind, in the order they were added (none may add a sink meanwhile). */
static inline void sim_trace_emit(struct sim_trace *tr, const struct sim_rec *r)
{
	sim_trace_emit_kind(tr, r->kind, r);
}

/* sim_trace_emit_kind as a function (trace.c): the uncommon cases of an emitter that inlines the common one. */
void sim_trace_emit_call(struct sim_trace *tr, unsigned kind, const struct sim_rec *r);

/*
 * sim_trace_emit_kind for an emitter that ends with it, @r not on its
 * stack (a record kept in the model): the usual case inline (one sink, the
 * log's fast path), the sink's call a tail call, so the emitter saves no
 * registers; anything else goes to sim_trace_emit_call, before any of it.
 */
static inline void sim_trace_emit_tail(struct sim_trace *tr, unsigned kind, const struct sim_rec *r)
{
	const struct sim_trace_sink *s = tr->sink[kind % SIM_TRACE_KIND_LISTS];

	if (__builtin_expect(s->fn && !s[1].fn, 1) && sim_trace_log_try(&tr->log, r)) {
		s->fn(s->ctx, r);
		return;
	}
	sim_trace_emit_call(tr, kind, r);
}

/*
 * When no sink takes @kind and the log's fast path can take the record
 * with these fields, write it into the batch field by field, as
 * sim_trace_log_put would copy it (the same 64 bytes), with no struct
 * sim_rec built first, and return true; else do nothing and return false.
 * The log has a consumer only on a little-endian host (sim/out/digest.c),
 * where the record's bytes are its fields' in memory order. It calls
 * nothing: an emitter can keep its other cases out of line.
 */
static inline bool sim_trace_rec_try(struct sim_trace *tr, sim_time t, unsigned kind, unsigned code, int32_t cpu,
				     uint32_t world, uint32_t notif, uint64_t a, uint64_t b, uint64_t c, uint64_t d,
				     const char *label)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	struct sim_trace_log *l = &tr->log;
	unsigned char *q = l->pos;
	size_t i = sim_log_find(l, label);

	if (__builtin_expect(!tr->sink[kind % SIM_TRACE_KIND_LISTS][0].fn && i < SIM_LOG_LABELS && q < l->end, 1)) {
		/* struct sim_rec's t, kind, code, cpu, world, notif, a..d, then the label's word */
		uint64_t w1 = (uint64_t)(uint16_t)kind | (uint64_t)(uint16_t)code << 16 | (uint64_t)(uint32_t)cpu << 32;
		uint64_t w2 = (uint64_t)world | (uint64_t)notif << 32;
		memcpy(q, &t, 8);
		memcpy(q + 8, &w1, 8);
		memcpy(q + 16, &w2, 8);
		memcpy(q + 24, &a, 8);
		memcpy(q + 32, &b, 8);
		memcpy(q + 40, &c, 8);
		memcpy(q + 48, &d, 8);
		memcpy(q + 56, &l->word[i], 8);
		l->pos = q + SIM_LOG_REC_BYTES;
		return true;
	}
#else
	(void)tr, (void)t, (void)kind, (void)code, (void)cpu, (void)world, (void)notif;
	(void)a, (void)b, (void)c, (void)d, (void)label;
#endif
	return false;
}

/* sim_trace_emit of the record with these fields: sim_trace_rec_try, else a struct sim_rec for sim_trace_emit_kind. */
static inline void sim_trace_emit_rec(struct sim_trace *tr, sim_time t, unsigned kind, unsigned code, int32_t cpu,
				      uint32_t world, uint32_t notif, uint64_t a, uint64_t b, uint64_t c,
				      uint64_t d, const char *label)
{
	if (sim_trace_rec_try(tr, t, kind, code, cpu, world, notif, a, b, c, d, label))
		return;
	{
		/* positional: the header is C++ too (no designated initializers there) */
		const struct sim_rec r = { t, (uint16_t)kind, (uint16_t)code, cpu, world, notif, a, b, c, d, label };
		sim_trace_emit_kind(tr, kind, &r);
	}
}

const char *sim_rec_kind_name(unsigned kind);
const char *sim_notif_stage_name(unsigned stage);
const char *sim_world_name(unsigned world);

/* Write one record as a CSV line (no trailing newline handling needed by callers). */
void sim_rec_csv(FILE *f, const struct sim_rec *r);
extern const char sim_rec_csv_header[];

#ifdef __cplusplus
}
#endif
#endif
