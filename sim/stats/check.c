// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/stats/check.c: the run-time invariant checker (check.h). Every rule
 * is stated in docs/protocol.md §10.4 with its upstream source.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats/check.h"

#define MAX_CPUS 64
#define MAX_KEPT 16
#define PSCI_CPU_OFF_FID 0x84000002u

enum nstate { N_NONE = 0, N_SENT, N_COALESCED, N_FETCHED, N_DELIVERED };

struct cpu_view {
	int power;          /* 0 off, 1 on, 2 suspended (TR_POWER) */
	bool idle;          /* TR_ACTIVITY with no label */
	bool wire[2];       /* irq, fiq */
	sim_time suspect;   /* idle with a wire up since (0: not) */
	bool reported_sleep;
	unsigned el;
	int ctx, ctx_saved; /* the world whose EL1 context is loaded (-1: unknown) */
	uint32_t fetched_id; /* a value other than DO_BOTTOM_HALF fetched here, not yet passed on */
	sim_time pcpu_off_at; /* disable_percpu_irq of the notification IRQ (0: enabled) */
	sim_time cpu_off_at;  /* PSCI CPU_OFF issued */
	bool notif_pending;   /* the notification INTID pending for this PE at the GIC */
	bool bringup;         /* powered on from off, not yet "CPU online" */
	sim_time notif_cleared_at; /* a pending notification INTID cleared, not taken, during a bring-up (0: none) */
};

struct sim_check {
	struct sim_check_cfg cfg;
	struct sim_trace *tr;
	sim_time origin;
	struct cpu_view cpu[MAX_CPUS];
	int8_t *sig_cpu;       /* per trace signal: cpu*2 + (0 irq, 1 fiq), or -1 */
	int nsig;
	/* OP-TEE's bitmap as the stream shows it, and per value its last send */
	uint64_t bitmap;
	sim_time last_send_t[64];
	int last_send_cpu[64];
	uint32_t last_send_id[64];
	/* the notification interrupt last taken */
	sim_time taken_t;
	int taken_cpu;
	unsigned fetched_since_taken;
	/* per notification id, from base: enum nstate (a ring grown as needed) */
	uint8_t *st;
	size_t cap, used;
	uint32_t base; /* st[i] is id base + i */
	/* SPIs: the PE each is active on (-1: none), and notes given */
	int8_t active_on[1024];
	uint8_t noted_offline[1024];
	unsigned busy;          /* OP-TEE threads not free */
	int ta_waits;
	unsigned refused;       /* timeline actions Linux refused (cpu_on while another runs, ...) */           /* TAs in notif_wait (an RPC that only a value ends) */
	uint8_t thread_state[256];
	unsigned count;
	struct sim_check_violation v[MAX_KEPT];
	char notes[1024];
	bool in_emit;
};

static const char *const inv_names[SIM_INV_COUNT] = {
	[SIM_INV_DELIVERED_TWICE] = "delivered twice",
	[SIM_INV_VANISHED] = "value vanished",
	[SIM_INV_BITMAP_NOT_EMPTY] = "bitmap not empty at quiescence",
	[SIM_INV_ACTIVE_TWICE] = "interrupt active on two PEs",
	[SIM_INV_SLEEP_PENDING] = "PE asleep with a pending interrupt",
	[SIM_INV_THREADS] = "more OP-TEE threads than tee.threads",
	[SIM_INV_CALL_NOT_RETURNED] = "yielding call never returned",
	[SIM_INV_WRONG_CONTEXT] = "monitor entered a world with the other world's context",
};

const char *sim_inv_name(unsigned inv) { return inv > 0 && inv < SIM_INV_COUNT ? inv_names[inv] : "?"; }

struct sim_check *check_new(const struct sim_check_cfg *cfg, struct sim_trace *tr)
{
	struct sim_check *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->cfg = *cfg;
	if (c->cfg.ncpus > MAX_CPUS)
		c->cfg.ncpus = MAX_CPUS;
	if (!c->cfg.sleep_grace)
		c->cfg.sleep_grace = 1000000000ull; /* 1 ms */
	c->tr = tr;
	c->taken_cpu = -1;
	memset(c->active_on, -1, sizeof(c->active_on));
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		c->cpu[i].power = 1;
		c->cpu[i].ctx = c->cpu[i].ctx_saved = -1;
		c->cpu[i].el = 3;
	}
	for (int v = 0; v < 64; v++)
		c->last_send_cpu[v] = -1;
	c->nsig = tr ? tr->nsig : 0;
	c->sig_cpu = malloc((size_t)(c->nsig ? c->nsig : 1));
	c->cap = 1024;
	c->st = calloc(c->cap, 1);
	if (!c->sig_cpu || !c->st) {
		check_free(c);
		return NULL;
	}
	for (int i = 0; i < c->nsig; i++) {
		const struct sim_signal *s = &tr->sig[i];
		unsigned cpu;
		char tail;
		c->sig_cpu[i] = -1;
		if (sscanf(s->scope, "cpu%u%c", &cpu, &tail) != 1 || cpu >= c->cfg.ncpus)
			continue;
		if (!strcmp(s->name, "irq"))
			c->sig_cpu[i] = (int8_t)(cpu * 2);
		else if (!strcmp(s->name, "fiq"))
			c->sig_cpu[i] = (int8_t)(cpu * 2 + 1);
	}
	c->base = 1;
	return c;
}

void check_free(struct sim_check *c)
{
	if (!c)
		return;
	free(c->sig_cpu);
	free(c->st);
	free(c);
}

void check_set_origin(struct sim_check *c, sim_time boot) { c->origin = boot; }

unsigned check_count(const struct sim_check *c) { return c->count; }
unsigned check_refused(const struct sim_check *c) { return c->refused; }

const struct sim_check_violation *check_violation(const struct sim_check *c, unsigned i)
{
	return i < c->count && i < MAX_KEPT ? &c->v[i] : NULL;
}

const char *check_notes(const struct sim_check *c) { return c->notes; }

/* Scenario time in ms (times before the end of boot are printed as boot times). */
static double ms(const struct sim_check *c, sim_time t)
{
	return t >= c->origin ? (double)(t - c->origin) / 1e9 : -(double)(c->origin - t) / 1e9;
}

void check_format(const struct sim_check *c, unsigned i, char *buf, size_t len)
{
	const struct sim_check_violation *v = check_violation(c, i);
	char who[64] = "";
	if (!v) {
		buf[0] = 0;
		return;
	}
	if (v->notif)
		snprintf(who, sizeof(who), ", notification %" PRIu32, v->notif);
	snprintf(buf, len, "invariant violated: %s: at %.6f ms, CPU %d%s: %s", sim_inv_name(v->inv), ms(c, v->t),
		 v->cpu, who, v->text);
}

static void note(struct sim_check *c, const char *text)
{
	size_t n = strlen(c->notes);
	if (n + strlen(text) + 2 < sizeof(c->notes))
		snprintf(c->notes + n, sizeof(c->notes) - n, "%s%s", n ? "\n" : "", text);
}

__attribute__((format(printf, 7, 8))) static void violate(struct sim_check *c, sim_time t, int cpu, uint32_t notif,
							  unsigned inv, uint64_t value, const char *fmt, ...)
{
	if (c->count < MAX_KEPT) {
		struct sim_check_violation *v = &c->v[c->count];
		va_list ap;
		v->t = t, v->cpu = cpu, v->notif = notif, v->inv = inv, v->value = value;
		va_start(ap, fmt);
		vsnprintf(v->text, sizeof(v->text), fmt, ap);
		va_end(ap);
	}
	c->count++;
	if (c->tr) {
		c->in_emit = true;
		sim_trace_emit(c->tr, &(struct sim_rec){ .t = t, .kind = TR_EVENT, .code = SIM_EV_VIOLATION,
							.cpu = cpu, .world = SIM_WORLD_NS, .notif = notif,
							.a = inv, .b = value, .label = sim_ev_label(SIM_EV_VIOLATION) });
		c->in_emit = false;
	}
}

/* ---- notification ids ------------------------------------------------------------------ */

static bool finished(uint8_t s) { return s == N_DELIVERED || s == N_COALESCED; }

/* Drop the finished ids at the front (when the array is full: amortised O(1)). */
static void compact(struct sim_check *c)
{
	size_t k = 0;
	while (k < c->used && finished(c->st[k]))
		k++;
	memmove(c->st, c->st + k, c->used - k);
	memset(c->st + c->used - k, 0, k);
	c->base += (uint32_t)k;
	c->used -= k;
}

/* The state of notification @id; NULL for an id already finished and dropped (or out of memory). */
static uint8_t *slot(struct sim_check *c, uint32_t id)
{
	size_t idx;
	if (id < c->base)
		return NULL;
	idx = id - c->base;
	if (idx >= c->cap) {
		compact(c);
		idx = id - c->base;
		while (idx >= c->cap) {
			uint8_t *n = realloc(c->st, c->cap * 2);
			if (!n)
				return NULL; /* that id is not checked */
			memset(n + c->cap, 0, c->cap);
			c->st = n;
			c->cap *= 2;
		}
	}
	if (idx + 1 > c->used)
		c->used = idx + 1;
	return &c->st[idx];
}

static void delivered(struct sim_check *c, const struct sim_rec *r, uint32_t id, uint64_t value)
{
	uint8_t *s = slot(c, id);
	if (!s) {
		if (id && id < c->base)
			violate(c, r->t, r->cpu, id, SIM_INV_DELIVERED_TWICE, value,
				"value %" PRIu64 " delivered again after its delivery", value);
		return;
	}
	if (*s == N_DELIVERED) {
		violate(c, r->t, r->cpu, id, SIM_INV_DELIVERED_TWICE, value,
			"value %" PRIu64 " delivered again after its delivery", value);
		return;
	}
	*s = N_DELIVERED;
}

static void on_notif(struct sim_check *c, const struct sim_rec *r)
{
	unsigned v = (unsigned)(r->b & 63);
	uint8_t *s;
	switch (r->a) {
	case NOTIF_SEND:
		c->bitmap |= 1ull << v;
		c->last_send_t[v] = r->t;
		c->last_send_cpu[v] = r->cpu;
		c->last_send_id[v] = r->notif;
		if ((s = slot(c, r->notif)))
			*s = N_SENT;
		break;
	case NOTIF_COALESCED:
		c->last_send_t[v] = r->t;
		c->last_send_cpu[v] = r->cpu;
		if ((s = slot(c, r->notif)))
			*s = N_COALESCED;
		break;
	case NOTIF_FETCHED:
		c->bitmap &= ~(1ull << v);
		c->fetched_since_taken++;
		if ((s = slot(c, r->notif)) && *s == N_SENT)
			*s = N_FETCHED;
		if (v != 0 && r->cpu >= 0 && r->cpu < MAX_CPUS)
			c->cpu[r->cpu].fetched_id = r->notif;
		break;
	case NOTIF_BH_ENTER:
		if (r->notif) {
			delivered(c, r, r->notif, r->b);
		} else if (r->b && r->cpu >= 0 && r->cpu < MAX_CPUS) {
			/* Linux's drain loop passes a value on (notif_assoc.h): the one it fetched last here */
			uint32_t id = c->cpu[r->cpu].fetched_id;
			c->cpu[r->cpu].fetched_id = 0;
			if (!id)
				violate(c, r->t, r->cpu, 0, SIM_INV_DELIVERED_TWICE, r->b,
					"value %" PRIu64 " passed to optee_notif_send() without a fetch", r->b);
			else
				delivered(c, r, id, r->b);
		}
		break;
	default:
		break;
	}
}

/* ---- PEs ------------------------------------------------------------------------------- */

static void sleep_update(struct sim_check *c, unsigned cpu, sim_time t)
{
	struct cpu_view *p = &c->cpu[cpu];
	bool bad = p->power == 1 && p->idle && (p->wire[0] || p->wire[1]);
	if (!bad)
		p->suspect = 0, p->reported_sleep = false;
	else if (!p->suspect)
		p->suspect = t ? t : 1;
}

/* An idle PE whose wire stayed up for the grace period. */
static void sleep_check(struct sim_check *c, unsigned cpu, sim_time now)
{
	struct cpu_view *p = &c->cpu[cpu];
	if (p->suspect && !p->reported_sleep && now - p->suspect >= c->cfg.sleep_grace) {
		p->reported_sleep = true;
		violate(c, now, (int)cpu, 0, SIM_INV_SLEEP_PENDING, 0,
			"CPU %u idle since %.6f ms with its %s line asserted: an interrupt it could take waits", cpu,
			ms(c, p->suspect), p->wire[0] ? "IRQ" : "FIQ");
	}
}

static void on_exc_return(struct sim_check *c, const struct sim_rec *r)
{
	struct cpu_view *p = &c->cpu[r->cpu];
	unsigned w = r->world;
	if (p->el == 3 && (w == SIM_WORLD_NS || w == SIM_WORLD_S) && p->ctx >= 0 && (unsigned)p->ctx != w)
		violate(c, r->t, r->cpu, r->notif, SIM_INV_WRONG_CONTEXT, w,
			"ERET from EL3 into the %s world while the %s world's context is loaded", sim_world_name(w),
			sim_world_name((unsigned)p->ctx));
	p->el = (unsigned)r->a;
}

static void on_world_switch(struct sim_check *c, const struct sim_rec *r)
{
	struct cpu_view *p = &c->cpu[r->cpu];
	unsigned from = (unsigned)r->a, to = (unsigned)r->b;
	if (from == SIM_WORLD_EL3) { /* a synchronous entry from EL3: the caller's context is saved */
		p->ctx_saved = p->ctx;
		p->ctx = (int)to;
	} else if (to == SIM_WORLD_EL3) {
		p->ctx = p->ctx_saved;
	} else {
		p->ctx = (int)to;
	}
}

/* Everything but activity and wire records: out of line, so the common records pay no register saves. */
__attribute__((noinline)) static void check_record(struct sim_check *c, const struct sim_rec *r)
{
	int cpu = r->cpu;
	bool has_cpu = cpu >= 0 && (unsigned)cpu < c->cfg.ncpus;

	switch (r->kind) {
	case TR_NOTIF:
		on_notif(c, r);
		break;
	case TR_POWER:
		if (has_cpu) {
			struct cpu_view *p = &c->cpu[cpu];
			p->bringup = r->a == 1 && p->power == 0;
			p->power = (int)r->a;
			if (r->a == 1) {
				p->el = 3;
				p->ctx = p->ctx_saved = -1;
				p->pcpu_off_at = 0;
				p->cpu_off_at = 0;
			}
			sleep_update(c, (unsigned)cpu, r->t);
		}
		break;
	case TR_EXC_ENTRY:
		if (has_cpu)
			c->cpu[cpu].el = (unsigned)r->c;
		break;
	case TR_EXC_RETURN:
		if (has_cpu)
			on_exc_return(c, r);
		break;
	case TR_WORLD_SWITCH:
		if (has_cpu)
			on_world_switch(c, r);
		break;
	case TR_PSCI:
		if (has_cpu && r->a == PSCI_CPU_OFF_FID)
			c->cpu[cpu].cpu_off_at = r->t;
		break;
	case TR_GIC_PEND:
		if (has_cpu && (int)r->a == c->cfg.notif_intid)
			c->cpu[cpu].notif_pending = true;
		if (r->a >= 32 && r->a < 1024 && has_cpu && c->cpu[cpu].power == 0 && !c->noted_offline[r->a]) {
			char buf[200];
			c->noted_offline[r->a] = 1;
			snprintf(buf, sizeof(buf),
				 "note: SPI %" PRIu64 " became pending at %.6f ms routed to CPU %d, which is off (1-of-N off): it waits for that CPU",
				 r->a, ms(c, r->t), cpu);
			note(c, buf);
		}
		break;
	case TR_GIC_CLEAR:
		if (has_cpu && (int)r->a == c->cfg.notif_intid) {
			/* a donated SGI made Secure again at CPU_ON and cleared by OP-TEE (docs/protocol.md §6.2) */
			if (c->cpu[cpu].notif_pending && c->cpu[cpu].bringup)
				c->cpu[cpu].notif_cleared_at = r->t;
			c->cpu[cpu].notif_pending = false;
		}
		break;
	case TR_GIC_ACK:
		if (!has_cpu)
			break;
		if ((int)r->a == c->cfg.notif_intid) {
			c->cpu[cpu].notif_pending = false;
			c->taken_t = r->t;
			c->taken_cpu = cpu;
			c->fetched_since_taken = 0;
		}
		if (r->a >= 32 && r->a < 1024) {
			if (c->active_on[r->a] >= 0 && c->active_on[r->a] != cpu)
				violate(c, r->t, cpu, 0, SIM_INV_ACTIVE_TWICE, r->a,
					"INTID %" PRIu64 " acknowledged while still active on CPU %d", r->a,
					c->active_on[r->a]);
			c->active_on[r->a] = (int8_t)cpu;
		}
		break;
	case TR_GIC_DEACT:
		if (r->a >= 32 && r->a < 1024 && c->active_on[r->a] == cpu)
			c->active_on[r->a] = -1;
		break;
	case TR_TEE_THREAD: {
		unsigned th = (unsigned)r->a & 255;
		bool was = c->thread_state[th] != 0, now = r->b != 0;
		c->thread_state[th] = (uint8_t)(r->b ? r->b : 0);
		if (was != now) {
			c->busy += now ? 1 : (c->busy ? (unsigned)-1 : 0);
			if (now && (r->a >= c->cfg.threads || c->busy > c->cfg.threads))
				violate(c, r->t, cpu, r->notif, SIM_INV_THREADS, r->a,
					"thread %" PRIu64 " started: %u busy, tee.threads is %u", r->a, c->busy,
					c->cfg.threads);
		}
		break;
	}
	case TR_EVENT:
		/* "cpu_on refused (busy)", "psci: CPU_ON failed" (ree_hotplug.c): the action did not happen */
		if (r->code == SIM_EV_NONE && r->label &&
		    ((!strncmp(r->label, "cpu_o", 5) && strstr(r->label, "refused")) ||
		     (!strncmp(r->label, "psci: CPU_O", 11) && strstr(r->label, "failed"))))
			c->refused++;
		if (r->code == SIM_EV_TA_WAIT)
			c->ta_waits++;
		else if (r->code == SIM_EV_TA_WOKEN || r->code == SIM_EV_TA_WAIT_REFUSED)
			c->ta_waits--;
		if (has_cpu && r->code == SIM_EV_NONE && r->label && r->label[0] == 'd' &&
		    (int)r->a == c->cfg.notif_intid && !strcmp(r->label, "disable_percpu_irq"))
			c->cpu[cpu].pcpu_off_at = r->t;
		else if (has_cpu && r->code == SIM_EV_NONE && r->label && r->label[0] == 'e' &&
			 (int)r->a == c->cfg.notif_intid && !strcmp(r->label, "enable_percpu_irq"))
			c->cpu[cpu].pcpu_off_at = 0;
		else if (has_cpu && r->code == SIM_EV_NONE && r->label && r->label[0] == 'C' &&
			 !strcmp(r->label, "CPU online"))
			c->cpu[cpu].bringup = false;
		break;
	default:
		break;
	}
}


/* check_activity's case with a line up or a suspect sleep: out of line, so the usual case saves no register */
static __attribute__((noinline)) void activity_sleep(struct sim_check *c, unsigned cpu, sim_time t)
{
	sleep_check(c, cpu, t);
	sleep_update(c, cpu, t);
}

/* TR_ACTIVITY, the most frequent record: the PE's idle state, and the sleep checks when a line is up */
static void check_activity(void *ctx, const struct sim_rec *r)
{
	struct sim_check *c = ctx;
	unsigned cpu = (unsigned)r->cpu;
	if (cpu < c->cfg.ncpus && !c->in_emit) {
		struct cpu_view *p = &c->cpu[cpu];
		p->idle = r->label == NULL;
		/* the common case (both lines low, nothing suspect) costs nothing more */
		if (p->suspect || p->wire[0] || p->wire[1])
			activity_sleep(c, cpu, r->t);
	}
}

/* TR_WIRE: the PEs' irq/fiq lines */
static void check_wire(void *ctx, const struct sim_rec *r)
{
	struct sim_check *c = ctx;
	if (!c->in_emit && r->a < (uint64_t)c->nsig && c->sig_cpu[r->a] >= 0) {
		unsigned k = (unsigned)c->sig_cpu[r->a];
		c->cpu[k / 2].wire[k % 2] = r->b != 0;
		sleep_update(c, k / 2, r->t);
	}
}

/* The other kinds of CHECK_KINDS */
static void check_other(void *ctx, const struct sim_rec *r)
{
	struct sim_check *c = ctx;
	if (!c->in_emit)
		check_record(c, r);
}

/* The sink for every kind: records no invariant reads return at once. */
void check_sink(void *ctx, const struct sim_rec *r)
{
	if (r->kind == TR_ACTIVITY)
		check_activity(ctx, r);
	else if (r->kind == TR_WIRE)
		check_wire(ctx, r);
	else if (r->kind < 32 && (CHECK_KINDS >> r->kind & 1))
		check_other(ctx, r);
}

int check_attach(struct sim_check *c, struct sim_trace *tr)
{
	static const struct sim_trace_kind_sink by_kind[] = {
		{ check_activity, 1u << TR_ACTIVITY },
		{ check_wire, 1u << TR_WIRE },
		{ check_other, CHECK_KINDS & ~(1u << TR_ACTIVITY | 1u << TR_WIRE) },
	};
	return sim_trace_add_sinks(tr, c, by_kind, sizeof(by_kind) / sizeof(by_kind[0]));
}

/* ---- at quiescence ---------------------------------------------------------------------- */

/* Why value @v was never fetched: the facts around its last send. */
static void explain_value(const struct sim_check *c, unsigned v, char *buf, size_t len)
{
	int sc = c->last_send_cpu[v];
	size_t n;
	snprintf(buf, len, "value %u left in OP-TEE's bitmap: the last send was on CPU %d at %.6f ms", v, sc,
		 ms(c, c->last_send_t[v]));
	n = strlen(buf);
	if (sc >= 0 && sc < MAX_CPUS) {
		const struct cpu_view *p = &c->cpu[sc];
		if (p->pcpu_off_at && p->pcpu_off_at <= c->last_send_t[v])
			snprintf(buf + n, len - n,
				 ", %.1f us after CPU %d's disable_percpu_irq (%.6f ms)", (double)(c->last_send_t[v] - p->pcpu_off_at) / 1e6,
				 sc, ms(c, p->pcpu_off_at));
		n = strlen(buf);
		if (p->cpu_off_at && p->cpu_off_at >= c->last_send_t[v])
			snprintf(buf + n, len - n, ", %.1f us before its CPU_OFF", (double)(p->cpu_off_at - c->last_send_t[v]) / 1e6);
	}
	n = strlen(buf);
	if (c->taken_cpu >= 0 && c->taken_t >= c->last_send_t[v])
		snprintf(buf + n, len - n,
			 "; the notification interrupt was last taken on CPU %d at %.6f ms and its handler fetched %u value%s",
			 c->taken_cpu, ms(c, c->taken_t), c->fetched_since_taken, c->fetched_since_taken == 1 ? "" : "s");
	n = strlen(buf);
	snprintf(buf + n, len - n, "; no later notification fetched it");
}

void check_end(struct sim_check *c, sim_time now)
{
	bool quiet = true;
	for (unsigned i = 0; i < c->cfg.ncpus; i++) {
		sleep_check(c, i, now);
		if (c->cpu[i].power == 1 && !c->cpu[i].idle)
			quiet = false;
	}
	if (!quiet) {
		note(c, "note: not quiescent at the end of the run (a CPU was still busy): the checks at quiescence were skipped");
		return;
	}
	for (unsigned v = 0; v < 64; v++) {
		char buf[480];
		int stranded = -1;
		if (!(c->bitmap >> v & 1))
			continue;
		explain_value(c, v, buf, sizeof(buf));
		/* is the interrupt that would fetch it held for a PE that is not on? */
		for (unsigned i = 0; i < c->cfg.ncpus; i++)
			if (c->cpu[i].notif_pending && c->cpu[i].power != 1)
				stranded = (int)i;
		if (stranded >= 0) {
			char nb[600];
			snprintf(nb, sizeof(nb),
				 "note: %s; its interrupt is pending for CPU %d, which is %s: no online CPU can take it (docs/protocol.md §6.2)",
				 buf, stranded, c->cpu[stranded].power == 0 ? "off" : "suspended");
			note(c, nb);
			continue;
		}
		/* or was it withdrawn after the send: the donated SGI cleared as its CPU came back? */
		for (unsigned i = 0; i < c->cfg.ncpus; i++)
			if (c->cpu[i].notif_cleared_at && c->cpu[i].notif_cleared_at >= c->last_send_t[v])
				stranded = (int)i;
		if (stranded >= 0) {
			char nb[640];
			snprintf(nb, sizeof(nb),
				 "note: %s; its interrupt, pending for CPU %d, was cleared untaken as that CPU came back (%.6f ms: "
				 "the donated SGI is made Secure again at CPU_ON, docs/protocol.md §6.2), and no later notification came",
				 buf, stranded, ms(c, c->cpu[stranded].notif_cleared_at));
			note(c, nb);
			continue;
		}
		violate(c, now, c->last_send_cpu[v], c->last_send_id[v], SIM_INV_BITMAP_NOT_EMPTY, v, "%s", buf);
	}
	for (size_t i = 0; i < c->used; i++) {
		uint32_t id = c->base + (uint32_t)i;
		if (c->st[i] == N_FETCHED)
			violate(c, now, -1, id, SIM_INV_VANISHED, 0,
				"notification %" PRIu32 " was fetched from OP-TEE's bitmap but never delivered", id);
	}
	/* a TA in notif_wait sits out in an RPC until a value comes: the sources stopped, so none may */
	int waits = c->ta_waits;
	for (unsigned th = 0; th < 256; th++)
		if (c->thread_state[th] == 2 && waits > 0)
			waits--;
		else if (c->thread_state[th] == 1 || c->thread_state[th] == 2)
			violate(c, now, -1, 0, SIM_INV_CALL_NOT_RETURNED, th,
				"OP-TEE thread %u is still %s at quiescence: its yielding call never returned", th,
				c->thread_state[th] == 1 ? "running" : "out in an RPC");
}
