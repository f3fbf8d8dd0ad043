// SPDX-License-Identifier: BSD-3-Clause
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/kernel/trace.h"

int sim_trace_add_sink_kinds(struct sim_trace *tr, sim_sink_fn fn, void *ctx, uint32_t kinds)
{
	for (unsigned k = 0; k < SIM_TRACE_KIND_LISTS; k++)
		if ((kinds >> k & 1) && tr->nsinks[k] == SIM_TRACE_MAX_SINKS)
			return -1;
	for (unsigned k = 0; k < SIM_TRACE_KIND_LISTS; k++) {
		if (!(kinds >> k & 1))
			continue;
		tr->sink[k][tr->nsinks[k]].fn = fn;
		tr->sink[k][tr->nsinks[k]].ctx = ctx;
		tr->nsinks[k]++;
	}
	return 0;
}

int sim_trace_add_sinks(struct sim_trace *tr, void *ctx, const struct sim_trace_kind_sink *list, size_t n)
{
	for (unsigned k = 0; k < SIM_TRACE_KIND_LISTS; k++) {
		int more = 0;
		for (size_t i = 0; i < n; i++)
			more += list[i].kinds >> k & 1;
		if (tr->nsinks[k] + more > SIM_TRACE_MAX_SINKS)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		(void)sim_trace_add_sink_kinds(tr, list[i].fn, ctx, list[i].kinds); /* room checked above */
	return 0;
}

void sim_trace_emit_call(struct sim_trace *tr, unsigned kind, const struct sim_rec *r) { sim_trace_emit_kind(tr, kind, r); }

int sim_trace_add_sink(struct sim_trace *tr, sim_sink_fn fn, void *ctx)
{
	return sim_trace_add_sink_kinds(tr, fn, ctx, SIM_TRACE_ALL_KINDS);
}

/* The log's slow path with no consumer: every record goes there (pos == end), to nothing. */
static void no_log(void *ctx, const struct sim_rec *r)
{
	(void)ctx;
	(void)r;
}

static void no_log_drop(void *ctx) { (void)ctx; }

/* The log without a consumer. */
static void log_reset(struct sim_trace_log *l, void *tr)
{
	l->pos = tr;
	l->end = l->pos;
	l->slow = no_log;
	l->drop = no_log_drop;
	l->ctx = NULL;
}

struct sim_trace *sim_trace_new(void)
{
	struct sim_trace *tr = calloc(1, sizeof(*tr));
	if (tr)
		log_reset(&tr->log, tr);
	return tr;
}

void sim_trace_free(struct sim_trace *tr)
{
	if (!tr)
		return;
	sim_trace_drop_log(tr);
	free(tr->sig);
	free(tr);
}

void sim_trace_drop_log(struct sim_trace *tr)
{
	tr->log.drop(tr->log.ctx);
	log_reset(&tr->log, tr);
}

struct sim_trace_log *sim_trace_take_log(struct sim_trace *tr, sim_sink_fn slow, void (*drop)(void *ctx), void *ctx)
{
	if (tr->log.slow != no_log)
		return NULL;
	/* nothing remembered: a NULL label's slot holds NULL and word 0 */
	memset(tr->log.label, 0, sizeof(tr->log.label));
	memset(tr->log.word, 0, sizeof(tr->log.word));
	tr->log.slow = slow;
	tr->log.drop = drop;
	tr->log.ctx = ctx;
	return &tr->log;
}

int sim_trace_signal(struct sim_trace *tr, const char *scope, const char *name, unsigned width)
{
	if (tr->nsig == tr->capsig) {
		int cap = tr->capsig ? tr->capsig * 2 : 32;
		struct sim_signal *s = realloc(tr->sig, (size_t)cap * sizeof(*s));
		if (!s)
			return -1;
		tr->sig = s;
		tr->capsig = cap;
	}
	struct sim_signal *g = &tr->sig[tr->nsig];
	snprintf(g->scope, sizeof(g->scope), "%s", scope ? scope : "top");
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->width = width ? width : 1;
	return tr->nsig++;
}

static const char *const kind_names[TR_KIND_COUNT] = {
	[TR_WIRE] = "wire",		[TR_VALUE] = "value",
	[TR_ACTIVITY] = "activity",	[TR_EXC_ENTRY] = "exc_entry",
	[TR_EXC_RETURN] = "exc_return",	[TR_SMC] = "smc",
	[TR_SMC_RET] = "smc_ret",	[TR_WORLD_SWITCH] = "world_switch",
	[TR_GIC_PEND] = "gic_pend",	[TR_GIC_ACK] = "gic_ack",
	[TR_GIC_EOI] = "gic_eoi",	[TR_GIC_DEACT] = "gic_deact",
	[TR_GIC_CLEAR] = "gic_clear",	[TR_GIC_SGI_DROP] = "gic_sgi_drop",
	[TR_GIC_WAKE] = "gic_wake",	[TR_GIC_ROUTE] = "gic_route",
	[TR_POWER] = "power",		[TR_PSCI] = "psci",
	[TR_NOTIF] = "notif",		[TR_COUNTER] = "counter",
	[TR_TEE_THREAD] = "tee_thread",	[TR_EVENT] = "event",		[TR_GIC_FWD] = "gic_fwd",
};

const char *sim_rec_kind_name(unsigned kind)
{
	return kind < TR_KIND_COUNT && kind_names[kind] ? kind_names[kind] : "?";
}

static const char *const ev_labels[SIM_EV_COUNT] = {
	[SIM_EV_SPURIOUS_NOTIF] = "spurious notification",
	[SIM_EV_ETHREAD_LIMIT] = "ETHREAD_LIMIT",
	[SIM_EV_FOREIGN_INTR] = "RPC_FOREIGN_INTR",
	[SIM_EV_BUS_ERROR] = "bus error",
	[SIM_EV_TA_REQUEST] = "TA request",
	[SIM_EV_TA_DONE] = "TA done",
	[SIM_EV_PROBE_FAILED] = "OP-TEE driver probe failed",
	[SIM_EV_TA_WAIT] = "notif_wait",
	[SIM_EV_TA_WOKEN] = "notif_wait returned",
	[SIM_EV_TA_WAIT_REFUSED] = "notif_wait refused (EBUSY)",
	[SIM_EV_VIOLATION] = "invariant violated",
	[SIM_EV_CQ_WAIT] = "optee: waiting for a thread",
};

const char *sim_ev_label(unsigned code) { return code < SIM_EV_COUNT ? ev_labels[code] : NULL; }

static const char *const stage_names[NOTIF_STAGE_COUNT] = {
	"source", "top_half", "send", "ns_pending", "ns_taken",
	"fetched", "bh_ctx", "bh_enter", "bh_done", "coalesced",
};

const char *sim_notif_stage_name(unsigned stage)
{
	return stage < NOTIF_STAGE_COUNT ? stage_names[stage] : "?";
}

const char *sim_world_name(unsigned world)
{
	static const char *const n[] = { "normal", "secure", "el3", "gic", "devices" };
	return world < 5 ? n[world] : "?";
}

const char sim_rec_csv_header[] = "time_ps,kind,cpu,world,notif,label,a,b,c,d";

/* The line is formatted by hand (fprintf dominated CSV runs); the same text as
 * "%" PRIu64 ",%s,%d,%s,%u,%s,0x%" PRIx64 " (x4)\n". */
static char *put_u64(char *q, uint64_t v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*q++ = tmp[--n];
	return q;
}

static char *put_hex(char *q, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[16];
	int n = 0;
	*q++ = '0';
	*q++ = 'x';
	do {
		tmp[n++] = hex[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*q++ = tmp[--n];
	return q;
}

static char *put_str(char *q, const char *s)
{
	size_t n = strlen(s);
	memcpy(q, s, n);
	return q + n;
}

void sim_rec_csv(FILE *f, const struct sim_rec *r)
{
	char line[256];
	char *q = line;
	size_t llen = r->label ? strlen(r->label) : 0;

	bool quote = llen && strpbrk(r->label, ",\"\n");

	if (llen > 64 || quote) {
		/* long labels, and labels that need quoting (RFC 4180: in quotes, a quote doubled): the plain way */
		fprintf(f, "%" PRIu64 ",%s,%d,%s,%u,", r->t, sim_rec_kind_name(r->kind), r->cpu, sim_world_name(r->world),
			r->notif);
		if (quote) {
			fputc('"', f);
			for (const char *p = r->label; *p; p++) {
				if (*p == '"')
					fputc('"', f);
				fputc(*p, f);
			}
			fputc('"', f);
		} else {
			fputs(r->label, f); /* llen > 64 */
		}
		fprintf(f, ",0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64 "\n", r->a, r->b, r->c, r->d);
		return;
	}
	/* at most 20 + 1 + 12 + 1 + 11 + 1 + 7 + 1 + 10 + 1 + 64 + 4 * 19 + 1 = 207 bytes */
	q = put_u64(q, r->t);
	*q++ = ',';
	q = put_str(q, sim_rec_kind_name(r->kind));
	*q++ = ',';
	if (r->cpu < 0) {
		*q++ = '-';
		q = put_u64(q, (uint64_t)0 - (uint64_t)(int64_t)r->cpu);
	} else {
		q = put_u64(q, (uint64_t)r->cpu);
	}
	*q++ = ',';
	q = put_str(q, sim_world_name(r->world));
	*q++ = ',';
	q = put_u64(q, r->notif);
	*q++ = ',';
	memcpy(q, r->label ? r->label : "", llen);
	q += llen;
	*q++ = ',';
	q = put_hex(q, r->a);
	*q++ = ',';
	q = put_hex(q, r->b);
	*q++ = ',';
	q = put_hex(q, r->c);
	*q++ = ',';
	q = put_hex(q, r->d);
	*q++ = '\n';
	fwrite(line, 1, (size_t)(q - line), f);
}
