// SPDX-License-Identifier: BSD-3-Clause
/* sim/stats/stats.c: statistics from the trace stream (see stats.h). */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stats/notif_assoc.h"
#include "sim/stats/stats.h"

#define MAX_CPUS 64
#define SEQ_MAX 64

/* struct sim_stats.act_acc: the cpu_time column an activity span goes to */
enum { ACC_EL3 = 2, ACC_IDLE = 3, ACC_OFF = 4, ACC_COUNT };
/*
 * cpu_time's rows are ACC_ROW wide, ACC_COUNT used: a power of two, so
 * the per-record activity() finds its column with one scaled index
 */
#define ACC_ROW 8
_Static_assert(ACC_COUNT <= ACC_ROW, "ACC_ROW holds every column");

struct notif {
	uint32_t id;
	uint8_t value;
	uint16_t have;          /* bit per stage */
	int16_t pend_cpu, taken_cpu;
	uint32_t epoch;         /* pend_cpu's power-down count at pend time */
	bool pend_down;         /* pend_cpu was down (off or suspended) when it became pending */
	bool late;
	/* last: tab_insert zeroes what comes before; a time counts only with its bit in have */
	sim_time t[NOTIF_STAGE_COUNT];
};

/* An open-addressing table of open notifications, keyed by id. */
struct table {
	struct notif *slot;
	size_t cap, n;
};

struct sim_stats {
	unsigned ncpus;
	int notif_intid;
	struct table open;
	struct notif_assoc assoc;
	struct sim_hist *span[SIM_SPAN_COUNT];
	FILE *csv;
	uint64_t sent, coalesced, delivered, late, lost, spurious, eth_limit, foreign, irqs, secure_irqs;
	uint64_t smc, smc_notif, ws, ws_notif, sgi_dropped, bus_errors;
	uint64_t wait_refused; /* TA waits for a value that Linux refused (-EBUSY) */
	uint64_t cq_waits;     /* sleeps in Linux's OP-TEE call queue for a secure thread (SIM_EV_CQ_WAIT) */
	int error; /* stats_error: -ENOMEM once the open notifications' table could not grow */
	/* workloads: what their TA invocations waited (arrival to the call's return) */
	struct {
		char name[32];
		bool ta;             /* makes TA invocations (has a latency) */
		uint64_t requests;
		struct sim_hist *lat;
		struct sim_hist *wake; /* waits for a value (notif_wait): source interrupt to the TA running again */
		bool waits;
		uint64_t refused;
	} wl[STATS_MAX_WORKLOADS];
	unsigned nwl;
	const char *probe_failed; /* why Linux's OP-TEE driver did not probe (the record's label), or NULL */
	uint32_t power_epoch[MAX_CPUS];
	sim_time power_down_at[MAX_CPUS], power_up_at[MAX_CPUS];
	bool cpu_on[MAX_CPUS];
	/*
	 * time per world: where the time since act_since goes, set by each
	 * TR_ACTIVITY (and by TR_POWER while idle: an idle span counts as on
	 * or off as the CPU is when it ends), a cpu_time column
	 */
	uint8_t act_acc[MAX_CPUS];
	sim_time act_since[MAX_CPUS];
	/* per CPU: busy in normal, secure, EL3; idle (powered on); idle and off (counted nowhere) */
	sim_time cpu_time[MAX_CPUS][ACC_ROW];
	sim_time time_world[3], time_idle; /* their sums over the CPUs, made by stats_finish */
	sim_time end;
	/* the first notification's SMC sequence (up to SEQ_MAX notifications recorded) */
	uint32_t seq[SEQ_MAX][32];
	unsigned seq_n[SEQ_MAX];
	unsigned seq_open;      /* notifications 1..SEQ_MAX still open */
	int16_t seq_tail[SEQ_MAX]; /* cpu + 1 whose bottom-half call is still returning; 0: none */
	unsigned seq_tails;
};

const char stats_notif_csv_header[] =
	"id,value,outcome,receiving_cpu,source_ps,top_half_ps,send_ps,ns_pending_ps,ns_taken_ps,"
	"fetched_ps,bh_ctx_ps,bh_enter_ps,bh_done_ps,e2e_us";

static const enum sim_notif_stage span_from[SIM_SPAN_COUNT] = {
#define X(id, name, from, to) from,
	SIM_SPAN_TABLE(X)
#undef X
};
static const enum sim_notif_stage span_to[SIM_SPAN_COUNT] = {
#define X(id, name, from, to) to,
	SIM_SPAN_TABLE(X)
#undef X
};
/* the stages some span starts or ends at, a bit each */
static const unsigned span_stages = 0
#define X(id, name, from, to) | 1u << (from) | 1u << (to)
	SIM_SPAN_TABLE(X)
#undef X
	;

/* ---- containers ------------------------------------------------------------------- */

static size_t hash32(uint32_t k, size_t cap) { return (size_t)((k * 2654435761u) & (cap - 1)); }

static struct notif *tab_find(struct table *t, uint32_t id)
{
	if (!t->cap)
		return NULL;
	for (size_t i = hash32(id, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].id == id)
			return &t->slot[i];
		if (t->slot[i].id == 0)
			return NULL;
	}
}

static struct notif *tab_insert(struct table *t, uint32_t id);

/* Double @t's slots. Returns false, @t unchanged, when out of memory. */
static bool tab_grow(struct table *t)
{
	struct table n = { calloc(t->cap ? t->cap * 2 : 256, sizeof(struct notif)), t->cap ? t->cap * 2 : 256, 0 };
	if (!n.slot)
		return false;
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].id)
			*tab_insert(&n, t->slot[i].id) = t->slot[i];
	free(t->slot);
	*t = n;
	return true;
}

/* A new entry for @id, zeroed but for its times (it has no stage); NULL when the table cannot grow (out of memory). */
static struct notif *tab_insert(struct table *t, uint32_t id)
{
	if ((t->n + 1) * 2 > t->cap && !tab_grow(t))
		return NULL;
	for (size_t i = hash32(id, t->cap);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].id == 0) {
			memset(&t->slot[i], 0, offsetof(struct notif, t)); /* no stage: no time to zero */
			t->slot[i].id = id;
			t->n++;
			return &t->slot[i];
		}
	}
}

/* Backward-shift deletion keeps probe chains intact. */
static void tab_remove(struct table *t, const struct notif *e)
{
	size_t i = (size_t)(e - t->slot), j = i;
	t->slot[i].id = 0;
	t->n--;
	for (;;) {
		j = (j + 1) & (t->cap - 1);
		if (t->slot[j].id == 0)
			return;
		size_t k = hash32(t->slot[j].id, t->cap);
		if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j))) {
			t->slot[i] = t->slot[j];
			t->slot[j].id = 0;
			i = j;
		}
	}
}

/* ---- life cycle ------------------------------------------------------------------- */

struct sim_stats *stats_new(unsigned ncpus, int notif_intid)
{
	struct sim_stats *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->ncpus = ncpus > MAX_CPUS ? MAX_CPUS : ncpus;
	s->notif_intid = notif_intid;
	memset(s->act_acc, ACC_OFF, sizeof(s->act_acc)); /* idle and off until the first records */
	notif_assoc_init(&s->assoc, notif_intid);
	for (int i = 0; i < SIM_SPAN_COUNT; i++)
		if (!(s->span[i] = sim_hist_new())) {
			stats_free(s);
			return NULL;
		}
	return s;
}

void stats_free(struct sim_stats *s)
{
	if (!s)
		return;
	for (int i = 0; i < SIM_SPAN_COUNT; i++)
		sim_hist_free(s->span[i]);
	for (unsigned i = 0; i < s->nwl; i++) {
		sim_hist_free(s->wl[i].lat);
		sim_hist_free(s->wl[i].wake);
	}
	free(s->open.slot);
	notif_assoc_fini(&s->assoc);
	free(s);
}

int stats_add_workload(struct sim_stats *s, const char *name, bool ta)
{
	if (s->nwl == STATS_MAX_WORKLOADS || !(s->wl[s->nwl].lat = sim_hist_new()))
		return -1;
	if (!(s->wl[s->nwl].wake = sim_hist_new())) {
		sim_hist_free(s->wl[s->nwl].lat);
		return -1;
	}
	snprintf(s->wl[s->nwl].name, sizeof(s->wl[0].name), "%s", name);
	s->wl[s->nwl].ta = ta;
	return (int)s->nwl++;
}

void stats_workload_waits(struct sim_stats *s, unsigned i)
{
	if (i < s->nwl)
		s->wl[i].waits = true;
}

void stats_set_notif_csv(struct sim_stats *s, FILE *f)
{
	s->csv = f;
	if (f)
		fprintf(f, "%s\n", stats_notif_csv_header);
}

static char *put_u64(char *q, uint64_t v)
{
	char tmp[20];
	int k = 0;
	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k)
		*q++ = tmp[--k];
	return q;
}

/* @n's row of notifications.csv; only with one (the callers test s->csv: no call without). */
static void csv_row(struct sim_stats *s, const struct notif *n, const char *outcome)
{
	char line[512], *q = line;
	size_t ol = strlen(outcome);
	/* "%u,%u,%s,%d" */
	q = put_u64(q, n->id);
	*q++ = ',';
	q = put_u64(q, n->value);
	*q++ = ',';
	memcpy(q, outcome, ol);
	q += ol;
	*q++ = ',';
	if (n->taken_cpu < 0) {
		*q++ = '-';
		q = put_u64(q, (uint64_t)(-(int64_t)n->taken_cpu));
	} else {
		q = put_u64(q, (uint64_t)n->taken_cpu);
	}
	/* ",%" PRIu64 or "," per stage */
	for (int st = 0; st <= NOTIF_BH_DONE; st++) {
		*q++ = ',';
		if (n->have & (1u << st))
			q = put_u64(q, n->t[st]);
	}
	/* ",%.3f\n" or ",\n" */
	if ((n->have & (1u << NOTIF_SOURCE)) && (n->have & (1u << NOTIF_BH_ENTER)))
		q += snprintf(q, (size_t)(line + sizeof(line) - q), ",%.3f\n",
			      (double)(n->t[NOTIF_BH_ENTER] - n->t[NOTIF_SOURCE]) / 1e6);
	else
		*q++ = ',', *q++ = '\n';
	fwrite(line, 1, (size_t)(q - line), s->csv);
}

/* noinline, as notif_send: a tail call from stats_notif, which so saves no registers */
static __attribute__((noinline)) void close_notif(struct sim_stats *s, struct notif *n)
{
	/* the usual notification has every stage of every span: then no span tests its two */
	bool all = (n->have & span_stages) == span_stages;
	for (int i = 0; i < SIM_SPAN_COUNT; i++) {
		unsigned a = span_from[i], b = span_to[i];
		if ((all || ((n->have & (1u << a)) && (n->have & (1u << b)))) && n->t[b] >= n->t[a])
			sim_hist_record(s->span[i], n->t[b] - n->t[a]);
	}
	if (s->csv)
		csv_row(s, n, n->late ? "late" : "delivered");
	s->seq_open -= n->id <= SEQ_MAX;
	tab_remove(&s->open, n);
}

static void stamp(struct notif *n, unsigned stage, sim_time t)
{
	if (!(n->have & (1u << stage))) {
		n->have |= (uint16_t)(1u << stage);
		n->t[stage] = t;
	}
}

/* Is any of the first SEQ_MAX notifications still to come, open, or returning (record_smc's work)? */
static inline bool seq_recording(const struct sim_stats *s)
{
	return s->sent < SEQ_MAX || s->seq_open != 0 || s->seq_tails != 0;
}

/* The SMCs on the path of each of the first SEQ_MAX notifications, for smc_sequence checks (seq_recording). */
static __attribute__((noinline)) void record_smc(struct sim_stats *s, const struct sim_rec *r)
{
	for (uint32_t id = 1; id <= SEQ_MAX && id <= s->sent; id++) {
		if (r->notif != 0xFFFFFFFFu && r->notif != id)
			continue;
		if (s->seq_n[id - 1] >= 32)
			continue;
		if (tab_find(&s->open, id)) {
			s->seq[id - 1][s->seq_n[id - 1]++] = (uint32_t)r->a;
			continue;
		}
		/*
		 * Closed at NOTIF_BH_DONE, but the yielding call that ran the bottom
		 * half still returns to the normal world: its SMCs on that CPU up to
		 * the first secure one that is not an RPC return (the TEE marks
		 * those SIM_EV_SMC_RPC_RETURN) are on the path.
		 */
		if (s->seq_tail[id - 1] != r->cpu + 1)
			continue;
		s->seq[id - 1][s->seq_n[id - 1]++] = (uint32_t)r->a;
		if (r->world == SIM_WORLD_S && r->code != SIM_EV_SMC_RPC_RETURN) {
			s->seq_tail[id - 1] = 0;
			s->seq_tails--;
		}
	}
}

static void stats_notif(void *ctx, const struct sim_rec *r);
static void stats_rec(void *ctx, const struct sim_rec *r);

/* Time per world: what CPU @r->cpu ran from its last TR_ACTIVITY until now. */
static inline void activity(struct sim_stats *s, const struct sim_rec *r)
{
	if (r->cpu < 0 || r->cpu >= MAX_CPUS)
		return;
	unsigned c = (unsigned)r->cpu;
	uint8_t w = (uint8_t)r->world;
	/* per CPU only: stats_finish sums the time.* totals */
	s->cpu_time[c][s->act_acc[c]] += r->t - s->act_since[c];
	s->act_acc[c] = r->label ? (w < ACC_EL3 ? w : ACC_EL3) : s->cpu_on[c] ? ACC_IDLE : ACC_OFF;
	s->act_since[c] = r->t;
}

/* TR_WORLD_SWITCH */
static inline void world_switch(struct sim_stats *s, const struct sim_rec *r)
{
	s->ws++;
	s->ws_notif += r->notif != 0;
}

/* TR_SMC */
static inline void smc(struct sim_stats *s, const struct sim_rec *r)
{
	s->smc++;
	if (r->notif) {
		s->smc_notif++;
		/* tested here: once the sequences are complete (nearly every SMC), no call */
		if (seq_recording(s))
			record_smc(s, r);
	}
}

/* TR_EXC_ENTRY */
static inline void exc_entry(struct sim_stats *s, const struct sim_rec *r)
{
	if (r->a == 0 || r->a == 1) {
		s->irqs++;
		/* a secure interrupt: FIQ to EL3 from NS, or IRQ at S-EL1 */
		if ((r->a == 1 && r->c == 3) || (r->a == 0 && r->world == SIM_WORLD_S))
			s->secure_irqs++;
	}
}

/*
 * The per-record hot path: the frequent kinds are counted here; only
 * notification stages and GIC forwards go through the association (they
 * need an id; it hands them to stats_notif), and the rare kinds to
 * stats_rec. A GIC pend, which neither uses, is not taken. stats_attach
 * takes the same paths with one sink per kind, and no dispatch.
 */
void stats_sink(void *ctx, const struct sim_rec *r)
{
	struct sim_stats *s = ctx;

	/* nearly half of all records: tested before the switch's table jump */
	if (__builtin_expect(r->kind == TR_ACTIVITY, 1)) {
		activity(s, r);
		return;
	}
	switch (r->kind) {
	case TR_WORLD_SWITCH:
		world_switch(s, r);
		return;
	case TR_SMC:
		smc(s, r);
		return;
	case TR_EXC_ENTRY:
		exc_entry(s, r);
		return;
	case TR_NOTIF:
	case TR_GIC_FWD:
		notif_assoc_feed(&s->assoc, r, stats_notif, s);
		return;
	case TR_POWER:
	case TR_GIC_SGI_DROP:
	case TR_EVENT:
		stats_rec(s, r);
		return;
	default:
		return;
	}
}

static void sink_activity(void *ctx, const struct sim_rec *r) { activity(ctx, r); }
static void sink_world_switch(void *ctx, const struct sim_rec *r) { world_switch(ctx, r); }
static void sink_smc(void *ctx, const struct sim_rec *r) { smc(ctx, r); }
static void sink_exc_entry(void *ctx, const struct sim_rec *r) { exc_entry(ctx, r); }

static void sink_assoc(void *ctx, const struct sim_rec *r)
{
	struct sim_stats *s = ctx;
	notif_assoc_feed(&s->assoc, r, stats_notif, s);
}

int stats_attach(struct sim_stats *s, struct sim_trace *tr)
{
	static const struct sim_trace_kind_sink by_kind[] = {
		{ sink_activity, 1u << TR_ACTIVITY },
		{ sink_world_switch, 1u << TR_WORLD_SWITCH },
		{ sink_smc, 1u << TR_SMC },
		{ sink_exc_entry, 1u << TR_EXC_ENTRY },
		{ sink_assoc, (1u << TR_NOTIF) | (1u << TR_GIC_FWD) },
		{ stats_rec, (1u << TR_POWER) | (1u << TR_GIC_SGI_DROP) | (1u << TR_EVENT) },
	};
	return sim_trace_add_sinks(tr, s, by_kind, sizeof(by_kind) / sizeof(by_kind[0]));
}

/*
 * NOTIF_SEND: a notification opens. Not inlined: stats_notif's other
 * frequent stages call nothing, and so save no registers.
 */
static __attribute__((noinline)) void notif_send(struct sim_stats *s, const struct sim_rec *r)
{
	struct notif *n;

	s->sent++;
	n = tab_insert(&s->open, r->notif);
	if (!n) { /* not followed: the run reports itself incomplete (stats_error) */
		s->error = -ENOMEM;
		return;
	}
	n->value = (uint8_t)r->b;
	n->pend_cpu = n->taken_cpu = -1;
	/* its first stages: stamp()s on an entry with none */
	n->have = 1u << NOTIF_SOURCE | 1u << NOTIF_TOP_HALF | 1u << NOTIF_SEND;
	n->t[NOTIF_SOURCE] = r->c;
	n->t[NOTIF_TOP_HALF] = r->d;
	n->t[NOTIF_SEND] = r->t;
	/* the secure source's interrupt waited for this CPU to power up again */
	if (r->cpu >= 0 && r->cpu < MAX_CPUS && s->power_up_at[r->cpu] > r->c &&
	    s->power_epoch[r->cpu] > 0)
		n->late = true;
	s->seq_open += r->notif <= SEQ_MAX;
}

/*
 * The association's output: notification stages with their ids (it also
 * passes on the GIC forwards it was fed, which the statistics do not use).
 * Its own sink, not a case of stats_rec: every stage of every notification
 * comes here, and skips a switch on the kind.
 */
static void stats_notif(void *ctx, const struct sim_rec *r)
{
	struct sim_stats *s = ctx;
	struct notif *n;

	if (r->kind != TR_NOTIF)
		return;
	switch (r->a) {
	case NOTIF_SEND:
		notif_send(s, r);
		break;
	case NOTIF_COALESCED:
		s->sent++;
		s->coalesced++;
		if (s->csv)
			fprintf(s->csv, "%u,%u,coalesced,,,,%" PRIu64 ",,,,,,,\n", r->notif, (unsigned)r->b, r->t);
		break;
	case NOTIF_NS_PENDING:
		if ((n = tab_find(&s->open, r->notif))) {
			stamp(n, NOTIF_NS_PENDING, r->t);
			n->pend_cpu = r->cpu >= 0 && r->cpu < MAX_CPUS ? (int16_t)r->cpu : -1;
			if (n->pend_cpu >= 0) {
				n->epoch = s->power_epoch[n->pend_cpu];
				n->pend_down = !s->cpu_on[n->pend_cpu];
				/*
				 * late: a CPU interface that was asleep or off gets nothing
				 * forwarded (docs/protocol.md §9.6), so "pending" there after
				 * the CPU came back since the send means the interrupt waited for it
				 */
				if (s->power_epoch[n->pend_cpu] > 0 && s->power_up_at[n->pend_cpu] > n->t[NOTIF_SEND])
					n->late = true;
			}
		}
		break;
	case NOTIF_NS_TAKEN:
		if ((n = tab_find(&s->open, r->notif))) {
			stamp(n, NOTIF_NS_TAKEN, r->t);
			n->taken_cpu = (int16_t)r->cpu;
			/* late: pending on a CPU that was or went down, taken there after it came back */
			if (n->pend_cpu >= 0 && (s->power_epoch[n->pend_cpu] != n->epoch || n->pend_down) &&
			    s->cpu_on[n->pend_cpu] && s->power_up_at[n->pend_cpu] <= r->t &&
			    r->cpu == n->pend_cpu)
				n->late = true;
		}
		break;
	case NOTIF_FETCHED:
		if ((n = tab_find(&s->open, r->notif)))
			stamp(n, NOTIF_FETCHED, r->t);
		break;
	case NOTIF_BH_CTX:
		if ((n = tab_find(&s->open, r->notif)))
			stamp(n, NOTIF_BH_CTX, r->t);
		break;
	case NOTIF_BH_ENTER:
		if ((n = tab_find(&s->open, r->notif))) {
			stamp(n, NOTIF_BH_ENTER, r->t);
			s->delivered++;
			s->late += n->late;
			/* a value (not DO_BOTTOM_HALF) has no bottom half: delivered is its end */
			if (n->value != 0)
				close_notif(s, n);
		}
		break;
	case NOTIF_BH_DONE:
		if ((n = tab_find(&s->open, r->notif))) {
			if (n->id <= SEQ_MAX && r->cpu >= 0 && r->cpu < MAX_CPUS && !s->seq_tail[n->id - 1]) {
				s->seq_tail[n->id - 1] = (int16_t)(r->cpu + 1);
				s->seq_tails++;
			}
			stamp(n, NOTIF_BH_DONE, r->t);
			close_notif(s, n);
		}
		break;
	}
}

/* Power, SGI drops and counted events. */
static void stats_rec(void *ctx, const struct sim_rec *r)
{
	struct sim_stats *s = ctx;

	switch (r->kind) {
	case TR_POWER:
		if (r->cpu >= 0 && r->cpu < MAX_CPUS) {
			if (r->a == 1) {
				s->cpu_on[r->cpu] = true;
				s->power_up_at[r->cpu] = r->t;
			} else {
				if (s->cpu_on[r->cpu])
					s->power_epoch[r->cpu]++;
				s->cpu_on[r->cpu] = false;
				s->power_down_at[r->cpu] = r->t;
			}
			if (s->act_acc[r->cpu] >= ACC_IDLE)
				s->act_acc[r->cpu] = s->cpu_on[r->cpu] ? ACC_IDLE : ACC_OFF;
		}
		break;
	case TR_GIC_SGI_DROP:
		s->sgi_dropped++;
		break;
	case TR_EVENT:
		/* by event code: labels are for people */
		switch (r->code) {
		case SIM_EV_SPURIOUS_NOTIF:
			s->spurious++;
			break;
		case SIM_EV_ETHREAD_LIMIT:
			s->eth_limit++;
			break;
		case SIM_EV_CQ_WAIT:
			s->cq_waits++;
			break;
		case SIM_EV_FOREIGN_INTR:
			s->foreign++;
			break;
		case SIM_EV_BUS_ERROR:
			s->bus_errors++;
			break;
		case SIM_EV_PROBE_FAILED:
			if (!s->probe_failed)
				s->probe_failed = r->label ? r->label : sim_ev_label(r->code);
			break;
		case SIM_EV_TA_REQUEST:
			if (r->a < s->nwl)
				s->wl[r->a].requests++;
			break;
		case SIM_EV_TA_DONE:
			if (r->a < s->nwl && r->t >= r->c)
				sim_hist_record(s->wl[r->a].lat, r->t - r->c);
			break;
		case SIM_EV_TA_WOKEN:
			if (r->a < s->nwl && r->b && r->d && r->t >= r->c)
				sim_hist_record(s->wl[r->a].wake, r->t - r->c);
			break;
		case SIM_EV_TA_WAIT_REFUSED:
			s->wait_refused++;
			s->wl[r->a < s->nwl ? r->a : 0].refused += r->a < s->nwl;
			break;
		default:
			break;
		}
		break;
	default:
		break;
	}
}

unsigned stats_ncpus(const struct sim_stats *s) { return s->ncpus; }

sim_time stats_cpu_time(const struct sim_stats *s, unsigned cpu, unsigned what)
{
	return cpu < s->ncpus && what < 4 ? s->cpu_time[cpu][what] : 0;
}

uint64_t stats_undelivered(const struct sim_stats *s) { return s->open.n; }
uint64_t stats_sent(const struct sim_stats *s) { return s->sent; }
const uint64_t *stats_sent_counter(const struct sim_stats *s) { return &s->sent; }
int stats_error(const struct sim_stats *s) { return s->error ? s->error : s->assoc.error; }

void stats_finish(struct sim_stats *s, sim_time end)
{
	s->end = end;
	for (unsigned c = 0; c < s->ncpus; c++) {
		s->cpu_time[c][s->act_acc[c]] += end - s->act_since[c];
		s->act_since[c] = end;
	}
	memset(s->time_world, 0, sizeof(s->time_world));
	s->time_idle = 0;
	for (unsigned c = 0; c < s->ncpus; c++) {
		for (unsigned w = 0; w < 3; w++)
			s->time_world[w] += s->cpu_time[c][w];
		s->time_idle += s->cpu_time[c][3];
	}
	for (size_t i = 0; i < s->open.cap; i++) {
		struct notif *n = &s->open.slot[i];
		if (!n->id)
			continue;
		if (n->have & (1u << NOTIF_BH_ENTER)) {
			if (s->csv)
				csv_row(s, n, n->late ? "late" : "delivered");
		} else {
			s->lost++;
			if (s->csv)
				csv_row(s, n, "lost");
		}
	}
	/* notifications.csv says why nothing could be delivered */
	if (s->csv && s->probe_failed)
		fprintf(s->csv, "# no notification could be delivered: Linux's OP-TEE driver did not probe: %s\n",
			s->probe_failed);
	s->open.n = 0;
	s->seq_open = 0;
	if (s->open.slot) /* NULL until the first notification: memset(NULL, 0, 0) is undefined */
		memset(s->open.slot, 0, s->open.cap * sizeof(*s->open.slot));
}

const struct sim_hist *stats_span(const struct sim_stats *s, enum sim_span span) { return s->span[span]; }

unsigned stats_smc_sequence(const struct sim_stats *s, unsigned n, uint32_t *out, unsigned max)
{
	unsigned k;
	if (n == 0 || n > SEQ_MAX)
		return 0;
	k = s->seq_n[n - 1] < max ? s->seq_n[n - 1] : max;
	memcpy(out, s->seq[n - 1], k * sizeof(*out));
	return k;
}

/* One statistic of @h by name ("count", "p99", ...); times in ps. */
static bool hist_stat(const struct sim_hist *h, const char *st, double *v)
{
	if (!strcmp(st, "count"))
		*v = (double)sim_hist_count(h);
	else if (strcmp(st, "min") && strcmp(st, "max") && strcmp(st, "mean") && strcmp(st, "p50") &&
		 strcmp(st, "p90") && strcmp(st, "p99") && strcmp(st, "p999"))
		return false;
	else if (!sim_hist_count(h))
		*v = 0;
	else if (!strcmp(st, "min"))
		*v = (double)sim_hist_min(h);
	else if (!strcmp(st, "max"))
		*v = (double)sim_hist_max(h);
	else if (!strcmp(st, "mean"))
		*v = sim_hist_mean(h);
	else if (!strcmp(st, "p50"))
		*v = (double)sim_hist_report(h, 50);
	else if (!strcmp(st, "p90"))
		*v = (double)sim_hist_report(h, 90);
	else if (!strcmp(st, "p99"))
		*v = (double)sim_hist_report(h, 99);
	else
		*v = (double)sim_hist_report(h, 99.9);
	return true;
}

bool stats_metric(const struct sim_stats *s, const char *name, double *v)
{
	double d = s->delivered ? (double)s->delivered : 1.0;
	static const struct {
		const char *name;
		size_t off;
	} counts[] = {
#define C(n, f) { n, offsetof(struct sim_stats, f) }
		C("notifications", sent), C("delivered", delivered), C("coalesced", coalesced),
		C("late", late), C("lost", lost), C("spurious", spurious),
		C("eth_limit", eth_limit), C("cq_waits", cq_waits), C("wait_refused", wait_refused),
		C("foreign_intr", foreign), C("irqs", irqs), C("smc", smc), C("world_switches", ws),
		C("secure_irqs", secure_irqs), C("sgi_dropped", sgi_dropped), C("bus_errors", bus_errors),
#undef C
	};
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (!strcmp(name, counts[i].name)) {
			*v = (double)*(const uint64_t *)((const char *)s + counts[i].off);
			return true;
		}
	if (!strcmp(name, "smc_per_notification")) {
		*v = (double)s->smc_notif / d;
		return true;
	}
	if (!strcmp(name, "world_switches_per_notification")) {
		*v = (double)s->ws_notif / d;
		return true;
	}
	if (!strncmp(name, "time.", 5)) {
		const char *w = name + 5;
		if (!strcmp(w, "normal"))
			*v = (double)s->time_world[0];
		else if (!strcmp(w, "secure"))
			*v = (double)s->time_world[1];
		else if (!strcmp(w, "el3"))
			*v = (double)s->time_world[2];
		else if (!strcmp(w, "idle"))
			*v = (double)s->time_idle;
		else
			return false;
		return true;
	}
	if (!strncmp(name, "latency.", 8)) {
		const char *span = name + 8, *dot = strrchr(span, '.');
		if (!dot)
			return false;
		for (int i = 0; i < SIM_SPAN_COUNT; i++) {
			const char *sn = sim_span_name((enum sim_span)i);
			if (strlen(sn) == (size_t)(dot - span) && !strncmp(sn, span, strlen(sn)))
				return hist_stat(s->span[i], dot + 1, v);
		}
	}
	/* workload.<name>.latency.<stat>, workload.<name>.wake.<stat> */
	if (!strncmp(name, "workload.", 9)) {
		const char *wn, *st;
		size_t wl;
		bool wake;
		if (!sim_metric_workload(name, &wn, &wl, &wake, &st))
			return false;
		for (unsigned i = 0; i < s->nwl; i++)
			if (s->wl[i].ta && strlen(s->wl[i].name) == wl && !strncmp(s->wl[i].name, wn, wl) &&
			    (!wake || s->wl[i].waits))
				return hist_stat(wake ? s->wl[i].wake : s->wl[i].lat, st, v);
	}
	return false;
}

unsigned stats_workloads(const struct sim_stats *s) { return s->nwl; }
const char *stats_probe_failed(const struct sim_stats *s) { return s->probe_failed; }

bool stats_workload(const struct sim_stats *s, unsigned i, const char **name, uint64_t *requests)
{
	if (i >= s->nwl || !s->wl[i].ta)
		return false;
	*name = s->wl[i].name;
	*requests = s->wl[i].requests;
	return true;
}

static void pct(FILE *f, const char *label, const struct sim_hist *h)
{
	if (!sim_hist_count(h)) {
		fprintf(f, "  %-18s %8s %9s %9s %9s %9s\n", label, "0", "-", "-", "-", "-");
		return;
	}
	fprintf(f, "  %-18s %8" PRIu64 " %9.2f %9.2f %9.2f %9.2f\n", label, sim_hist_count(h),
		(double)sim_hist_report(h, 50) / 1e6, (double)sim_hist_report(h, 90) / 1e6,
		(double)sim_hist_report(h, 99) / 1e6, (double)sim_hist_max(h) / 1e6);
}

void stats_print_summary(const struct sim_stats *s, FILE *f)
{
	double total = (double)(s->time_world[0] + s->time_world[1] + s->time_world[2] + s->time_idle);
	double d = s->delivered ? (double)s->delivered : 1.0;
	if (total <= 0)
		total = 1;
	fprintf(f, "  notifications %" PRIu64 "   delivered %" PRIu64 "   coalesced %" PRIu64 "   late %" PRIu64
		   "   lost %" PRIu64 "   spurious %" PRIu64,
		s->sent, s->delivered, s->coalesced, s->late, s->lost, s->spurious);
	fputc('\n', f);
	fprintf(f, "  per notification: %.2f SMCs, %.2f world switches   ETHREAD_LIMIT %" PRIu64
		   "   foreign-intr exits %" PRIu64 "\n\n",
		(double)s->smc_notif / d, (double)s->ws_notif / d, s->eth_limit, s->foreign);
	if (s->cq_waits) /* Linux's call queue (docs/protocol.md §1.9): no OP-TEE thread for a call */
		fprintf(f, "  call queue: %" PRIu64 " waits for a free OP-TEE thread (see 'optee: waiting for a thread' in the trace)\n\n",
			s->cq_waits);
	if (s->probe_failed)
		fprintf(f, "  Linux: the OP-TEE driver did not probe (%s): no TA calls and no notifications\n\n",
			s->probe_failed);
	if (s->bus_errors) /* sim/bus.h: an access no device took (completed RAZ/WI); see the trace */
		fprintf(f, "  bus errors %" PRIu64 " (accesses no device took, completed as RAZ/WI: see 'bus error' in the trace)\n\n",
			s->bus_errors);
	/* an all-zero table would hide why: say it (the run itself is not an error) */
	if (!s->sent && !s->secure_irqs)
		fprintf(f, "  no notification: no secure source fired (no secure interrupt was taken); "
			   "check sources[].arrival against stop\n");
	else if (!s->sent)
		fprintf(f, "  no notification: %" PRIu64 " secure interrupts were taken, but OP-TEE sent no notification\n",
			s->secure_irqs);
	else {
		fprintf(f, "  %-18s %8s %9s %9s %9s %9s\n", "latency (us)", "count", "p50", "p90", "p99", "max");
		for (int i = 0; i < SIM_SPAN_COUNT; i++)
			pct(f, sim_span_name((enum sim_span)i), s->span[i]);
	}
	/* what the notification design costs the other users of the secure world */
	for (unsigned i = 0, first = 1; i < s->nwl; i++) {
		char label[48];
		if (!s->wl[i].ta)
			continue;
		if (first) {
			fprintf(f, "\n  %-18s %8s %9s %9s %9s %9s\n", "TA calls (us)", "count", "p50", "p90", "p99", "max");
			first = 0;
		}
		snprintf(label, sizeof(label), "%.18s", s->wl[i].name);
		pct(f, label, s->wl[i].lat);
	}
	/* TAs waiting in notif_wait: from the source's interrupt to the TA running again */
	for (unsigned i = 0, first = 1; i < s->nwl; i++) {
		char label[48];
		if (!s->wl[i].waits)
			continue;
		if (first) {
			fprintf(f, "\n  %-18s %8s %9s %9s %9s %9s\n", "TA wake-ups (us)", "count", "p50", "p90", "p99", "max");
			first = 0;
		}
		snprintf(label, sizeof(label), "%.18s", s->wl[i].name);
		pct(f, label, s->wl[i].wake);
	}
	if (s->wait_refused)
		fprintf(f, "  notif_wait refused %" PRIu64 " (Linux's optee_notif_wait: another call waits for the value, -EBUSY)\n",
			s->wait_refused);
	fprintf(f, "\n  CPU time: normal %.3f ms (%.1f%%)   secure %.3f ms (%.1f%%)   EL3 %.3f ms (%.1f%%)   idle %.1f%%\n",
		(double)s->time_world[0] / 1e9, 100.0 * (double)s->time_world[0] / total,
		(double)s->time_world[1] / 1e9, 100.0 * (double)s->time_world[1] / total,
		(double)s->time_world[2] / 1e9, 100.0 * (double)s->time_world[2] / total,
		100.0 * (double)s->time_idle / total);
}
