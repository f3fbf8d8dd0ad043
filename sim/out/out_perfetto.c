// SPDX-License-Identifier: BSD-3-Clause
/*
 * Chrome trace-event JSON for Perfetto, streamed.
 *
 * State kept between records: one open activity slice per CPU, and one
 * pending flow point per notification whose flow is still open. Flow
 * points are written one stage late, so that the last stage of a
 * notification can be written as "f" (bp "e") even when the run ends
 * before NOTIF_BH_DONE: every flow id gets exactly one "s" and one "f".
 * Perfetto accepts no overlapping X on one track (perfetto.dev/docs/faq);
 * slices here never overlap because a CPU runs one activity at a time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/out/atomic_file.h"
#include "sim/out/out.h"

#define PF_BUF (1u << 20)
#define PF_NAMED_TIDS 256 /* lazily named threads beyond the CPUs */

struct slice {
	bool open;
	uint32_t world;
	uint64_t el;
	sim_time start;
	const char *label;
	/* a pass through EL3 (SIM_EV_EL3_PASS): its first three legs' ends, after start */
	bool pass;
	sim_time leg[3];
};

struct flow {
	uint32_t id; /* 0: empty bucket */
	uint32_t pid;
	int32_t tid;
	bool started; /* "s" already written */
	sim_time t;
};

struct out_perfetto {
	struct atomic_file af;
	char *buf;
	bool failed;
	bool first_event;
	int ncpus;
	sim_time last_t;
	struct slice *slice;
	int nslice;
	struct flow *flow; /* open addressing, linear probing; capacity a power of 2 */
	size_t flow_cap, flow_n;
	uint64_t named[OUT_NWORLDS][PF_NAMED_TIDS / 64];
};

static const char *const default_world_label[OUT_NWORLDS] = {
	"Normal world", "Secure world", "EL3 monitor", "GIC", "Devices",
};

const char *out_world_label(const struct out_meta *meta, unsigned world)
{
	if (world >= OUT_NWORLDS)
		return "?";
	if (meta && meta->world_label[world])
		return meta->world_label[world];
	return default_world_label[world];
}

/* ---- JSON text ---------------------------------------------------------- */

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Picoseconds as microseconds, exactly: integer part '.' 6 digits. */
static void put_us(FILE *f, sim_time ps)
{
	fprintf(f, "%" PRIu64 ".%06" PRIu64, (uint64_t)(ps / SIM_US), (uint64_t)(ps % SIM_US));
}

/* Start an event object: {"name":..,"ph":..,"ts":..,"pid":..,"tid":.. (left open). */
static void ev_begin(struct out_perfetto *w, const char *name, const char *ph, sim_time t, uint32_t pid,
		     int64_t tid)
{
	FILE *f = w->af.f;
	fputs(w->first_event ? "\n" : ",\n", f);
	w->first_event = false;
	fputs("{\"name\":", f);
	put_str(f, name);
	fprintf(f, ",\"ph\":\"%s\",\"ts\":", ph);
	put_us(f, t);
	fprintf(f, ",\"pid\":%" PRIu32 ",\"tid\":%" PRId64, pid, tid);
}

static void ev_end(struct out_perfetto *w) { fputc('}', w->af.f); }

static void metadata(struct out_perfetto *w, const char *what, uint32_t pid, int64_t tid, const char *key,
		     const char *sval, long ival)
{
	ev_begin(w, what, "M", 0, pid, tid);
	fprintf(w->af.f, ",\"args\":{\"%s\":", key);
	if (sval)
		put_str(w->af.f, sval);
	else
		fprintf(w->af.f, "%ld", ival);
	fputs("}}", w->af.f);
}

static void name_thread(struct out_perfetto *w, uint32_t pid, int64_t tid)
{
	char name[32];
	if (tid == w->ncpus)
		snprintf(name, sizeof(name), "global");
	else
		snprintf(name, sizeof(name), "cpu%" PRId64, tid);
	metadata(w, "thread_name", pid, tid, "name", name, 0);
	metadata(w, "thread_sort_index", pid, tid, "sort_index", NULL, (long)tid);
}

/* Track of a record: tid = CPU, or a "global" thread (tid = ncpus) for cpu -1. */
static int64_t track_tid(struct out_perfetto *w, uint32_t pid, int32_t cpu)
{
	int64_t tid = cpu < 0 ? w->ncpus : cpu;
	if (tid >= w->ncpus && pid < OUT_NWORLDS && tid - w->ncpus < PF_NAMED_TIDS) {
		int64_t k = tid - w->ncpus;
		uint64_t bit = 1ull << (k % 64);
		if (!(w->named[pid][k / 64] & bit)) {
			w->named[pid][k / 64] |= bit;
			name_thread(w, pid, tid);
		}
	}
	return tid;
}

/* ---- open / close -------------------------------------------------------- */

struct out_perfetto *out_perfetto_open(const char *path, const struct sim_trace *tr,
				       const struct out_meta *meta, char *err, size_t errlen)
{
	(void)tr;
	struct out_perfetto *w = calloc(1, sizeof(*w));
	char *buf = malloc(PF_BUF);
	int ncpus = meta && meta->ncpus > 0 ? meta->ncpus : 1;
	struct slice *sl = calloc((size_t)ncpus, sizeof(*sl));
	if (!w || !buf || !sl) {
		free(w);
		free(buf);
		free(sl);
		if (err && errlen)
			snprintf(err, errlen, "open %s: out of memory", path);
		return NULL;
	}
	if (atomic_file_open(&w->af, path, err, errlen) != 0) {
		free(w);
		free(buf);
		free(sl);
		return NULL;
	}
	w->buf = buf;
	setvbuf(w->af.f, w->buf, _IOFBF, PF_BUF);
	w->slice = sl;
	w->nslice = ncpus;
	w->ncpus = ncpus;
	w->first_event = true;

	FILE *f = w->af.f;
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"scenario\":", f);
	put_str(f, meta && meta->scenario ? meta->scenario : "");
	fprintf(f, ",\"seed\":\"%" PRIu64 "\",\"cpus\":%d},\"traceEvents\":[", meta ? meta->seed : 0, ncpus);
	for (uint32_t pid = 0; pid < OUT_NWORLDS; pid++) {
		metadata(w, "process_name", pid, 0, "name", out_world_label(meta, pid), 0);
		metadata(w, "process_sort_index", pid, 0, "sort_index", NULL, (long)pid);
		for (int cpu = 0; cpu < ncpus; cpu++)
			name_thread(w, pid, cpu);
	}
	return w;
}

static void put_slice(struct out_perfetto *w, int cpu, const struct slice *s, const char *label, sim_time from,
		      sim_time to)
{
	if (to <= from) /* zero-length: nothing ran */
		return;
	ev_begin(w, label, "X", from, s->world, cpu);
	fputs(",\"cat\":\"run\",\"dur\":", w->af.f);
	put_us(w->af.f, to - from);
	fprintf(w->af.f, ",\"args\":{\"el\":%" PRIu64 "}}", s->el);
}

/*
 * The legs of a pass through EL3 (trace.h, SIM_EV_EL3_PASS), drawn as the
 * steps they stand for: the entry (the record's label), the dispatch, the
 * world switch and the ERET, as models/monitor/mon_main.c labels its steps
 * with outputs.el3: legs.
 */
static const char *const el3_legs[] = { "SMC dispatch", "world switch", "ERET" };

static void close_slice(struct out_perfetto *w, int cpu, sim_time now)
{
	struct slice *s = &w->slice[cpu];
	if (!s->open)
		return;
	s->open = false;
	if (!s->pass) {
		put_slice(w, cpu, s, s->label, s->start, now);
		return;
	}
	sim_time from = s->start;
	for (int i = 0; i < 4; i++) {
		sim_time to = i < 3 ? s->start + s->leg[i] : now;
		if (to > now) /* the run ended inside the pass */
			to = now;
		put_slice(w, cpu, s, i ? el3_legs[i - 1] : s->label, from, to);
		from = to;
	}
}

static void flow_point(struct out_perfetto *w, const char *ph, const struct flow *fl)
{
	ev_begin(w, "notif", ph, fl->t, fl->pid, fl->tid);
	fprintf(w->af.f, ",\"cat\":\"notif\",\"id\":%" PRIu32 "%s}", fl->id,
		ph[0] == 'f' ? ",\"bp\":\"e\"" : "");
}

int out_perfetto_close(struct out_perfetto *w, bool commit)
{
	if (!w)
		return -1;
	int rc = -1;
	if (commit && !w->failed) {
		for (int cpu = 0; cpu < w->nslice; cpu++)
			close_slice(w, cpu, w->last_t);
		for (size_t i = 0; i < w->flow_cap; i++)
			if (w->flow[i].id && w->flow[i].started)
				flow_point(w, "f", &w->flow[i]);
		fputs("\n]}\n", w->af.f);
		rc = atomic_file_commit(&w->af, NULL, 0);
	} else {
		atomic_file_abort(&w->af);
	}
	free(w->buf);
	free(w->slice);
	free(w->flow);
	free(w);
	return rc;
}

/* ---- flows --------------------------------------------------------------- */

static size_t flow_slot(const struct out_perfetto *w, uint32_t id)
{
	size_t mask = w->flow_cap - 1;
	size_t i = (size_t)(id * 0x9E3779B1u) & mask;
	while (w->flow[i].id && w->flow[i].id != id)
		i = (i + 1) & mask;
	return i;
}

static int flow_grow(struct out_perfetto *w)
{
	size_t cap = w->flow_cap ? w->flow_cap * 2 : 64;
	struct flow *old = w->flow, *nf = calloc(cap, sizeof(*nf));
	if (!nf)
		return -1;
	size_t oldcap = w->flow_cap;
	w->flow = nf;
	w->flow_cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].id)
			w->flow[flow_slot(w, old[i].id)] = old[i];
	free(old);
	return 0;
}

/* Remove slot @i, shifting back the entries of its probe run (no tombstones). */
static void flow_remove(struct out_perfetto *w, size_t i)
{
	size_t mask = w->flow_cap - 1;
	w->flow[i].id = 0;
	w->flow_n--;
	for (size_t j = (i + 1) & mask; w->flow[j].id; j = (j + 1) & mask) {
		struct flow e = w->flow[j];
		w->flow[j].id = 0;
		w->flow[flow_slot(w, e.id)] = e;
	}
}

static void notif_flow(struct out_perfetto *w, const struct sim_rec *r, uint32_t pid, int64_t tid)
{
	/* the notification's life ends at its bottom half, or when merged into another */
	bool last = r->a == NOTIF_BH_DONE || r->a == NOTIF_COALESCED;
	struct flow here = { r->notif, pid, (int32_t)tid, false, r->t };
	if (w->flow_n * 2 >= w->flow_cap && flow_grow(w) != 0) {
		w->failed = true;
		return;
	}
	size_t i = flow_slot(w, r->notif);
	struct flow *fl = &w->flow[i];
	if (!fl->id) {
		if (!last) { /* a one-stage life has no arrow */
			*fl = here;
			w->flow_n++;
		}
		return;
	}
	flow_point(w, fl->started ? "t" : "s", fl);
	here.started = true;
	if (last) {
		flow_point(w, "f", &here);
		flow_remove(w, i);
	} else {
		*fl = here;
	}
}

/* ---- records ------------------------------------------------------------- */

static void activity(struct out_perfetto *w, const struct sim_rec *r)
{
	if (r->cpu < 0)
		return;
	if (r->cpu >= w->nslice) {
		int n = r->cpu + 1;
		struct slice *s = realloc(w->slice, (size_t)n * sizeof(*s));
		if (!s) {
			w->failed = true;
			return;
		}
		memset(s + w->nslice, 0, (size_t)(n - w->nslice) * sizeof(*s));
		w->slice = s;
		w->nslice = n;
	}
	struct slice *s = &w->slice[r->cpu];
	if (s->open && r->label && r->code != SIM_EV_EL3_PASS && s->world == r->world && s->el == r->a &&
	    (s->label == r->label || strcmp(s->label, r->label) == 0))
		return; /* the same activity announced again: one slice */
	close_slice(w, r->cpu, r->t);
	if (!r->label)
		return; /* idle */
	track_tid(w, r->world, r->cpu);
	*s = (struct slice){ true, r->world, r->a, r->t, r->label, r->code == SIM_EV_EL3_PASS, { r->b, r->c, r->d } };
}

static void arg_u(FILE *f, bool *first, const char *k, uint64_t v)
{
	fprintf(f, "%s\"%s\":%" PRIu64, *first ? "" : ",", k, v);
	*first = false;
}

/* Register values as hex strings: JSON numbers lose precision beyond 2^53. */
static void arg_x(FILE *f, bool *first, const char *k, uint64_t v)
{
	fprintf(f, "%s\"%s\":\"0x%" PRIx64 "\"", *first ? "" : ",", k, v);
	*first = false;
}

static void arg_s(FILE *f, bool *first, const char *k, const char *v)
{
	fprintf(f, "%s\"%s\":", *first ? "" : ",", k);
	put_str(f, v);
	*first = false;
}

static const char *const power_state[] = { "off", "on", "suspended" };
static const char *const exc_type[] = { "irq", "fiq", "smc", "hvc", "virq", "vfiq" };
static const char *const thread_state[] = { "free", "run", "rpc", "wait" };
static const char *const pend_src[] = { "wire", "sw", "sgi" };

#define NAME_OF(tab, i) ((i) < sizeof(tab) / sizeof(tab[0]) ? tab[i] : "?")

void out_perfetto_sink(void *ctx, const struct sim_rec *r)
{
	struct out_perfetto *w = ctx;
	if (w->failed)
		return;
	if (r->t > w->last_t)
		w->last_t = r->t;
	FILE *f = w->af.f;
	char name[96];
	uint32_t pid = r->world;
	bool first = true;

	switch (r->kind) {
	case TR_WIRE:
	case TR_VALUE:
		return; /* waveforms: the VCD */
	case TR_ACTIVITY:
		activity(w, r);
		return;
	case TR_COUNTER:
		pid = r->label && strncmp(r->label, "gic.", 4) == 0 ? SIM_WORLD_GIC : SIM_WORLD_S;
		ev_begin(w, r->label ? r->label : "counter", "C", r->t, pid, 0);
		fprintf(f, ",\"args\":{\"value\":%" PRIu64 "}}", r->a);
		return;
	default:
		break;
	}

	/* Instants. Names first, then the track, then args. */
	switch (r->kind) {
	case TR_EXC_ENTRY:
		snprintf(name, sizeof(name), "%s entry", NAME_OF(exc_type, r->a));
		break;
	case TR_EXC_RETURN:
		snprintf(name, sizeof(name), "eret to EL%" PRIu64, r->a);
		break;
	case TR_SMC:
		snprintf(name, sizeof(name), "SMC 0x%08" PRIX64, r->a);
		break;
	case TR_SMC_RET:
		snprintf(name, sizeof(name), "SMC ret 0x%08" PRIX64, r->a);
		break;
	case TR_WORLD_SWITCH:
		snprintf(name, sizeof(name), "switch %s->%s", sim_world_name((unsigned)r->a),
			 sim_world_name((unsigned)r->b));
		break;
	case TR_GIC_PEND: snprintf(name, sizeof(name), "pend %" PRIu64, r->a); break;
	case TR_GIC_ACK: snprintf(name, sizeof(name), "ack %" PRIu64, r->a); break;
	case TR_GIC_EOI: snprintf(name, sizeof(name), "eoi %" PRIu64, r->a); break;
	case TR_GIC_DEACT: snprintf(name, sizeof(name), "deact %" PRIu64, r->a); break;
	case TR_GIC_CLEAR: snprintf(name, sizeof(name), "clear %" PRIu64, r->a); break;
	case TR_GIC_SGI_DROP: snprintf(name, sizeof(name), "sgi drop %" PRIu64, r->a); break;
	case TR_GIC_WAKE: snprintf(name, sizeof(name), "wake %" PRIu64, r->a); break;
	case TR_GIC_ROUTE: snprintf(name, sizeof(name), "route %" PRIu64, r->a); break;
	case TR_GIC_FWD: snprintf(name, sizeof(name), "forward %" PRIu64, r->a); break;
	case TR_POWER:
		snprintf(name, sizeof(name), "power %s", NAME_OF(power_state, r->a));
		pid = SIM_WORLD_NS;
		break;
	case TR_PSCI:
		snprintf(name, sizeof(name), "PSCI 0x%08" PRIX64, r->a);
		break;
	case TR_NOTIF:
		snprintf(name, sizeof(name), "%s", sim_notif_stage_name((unsigned)r->a));
		break;
	case TR_TEE_THREAD:
		snprintf(name, sizeof(name), "thread %" PRIu64 " %s", r->a, NAME_OF(thread_state, r->b));
		pid = SIM_WORLD_S;
		break;
	case TR_EVENT:
		snprintf(name, sizeof(name), "%s", r->label ? r->label : "event");
		break;
	default:
		snprintf(name, sizeof(name), "%s", sim_rec_kind_name(r->kind));
		break;
	}
	if ((r->kind >= TR_GIC_PEND && r->kind <= TR_GIC_ROUTE) || r->kind == TR_GIC_FWD)
		pid = SIM_WORLD_GIC;
	int64_t tid = track_tid(w, pid, r->cpu);
	if (r->kind == TR_NOTIF && r->notif)
		notif_flow(w, r, pid, tid);

	ev_begin(w, r->kind == TR_EVENT && r->label ? r->label : name, "i", r->t, pid, tid);
	fprintf(f, ",\"s\":\"t\",\"cat\":\"%s\",\"args\":{", sim_rec_kind_name(r->kind));
	switch (r->kind) {
	case TR_EXC_ENTRY:
		arg_u(f, &first, "type", r->a);
		arg_u(f, &first, "from_el", r->b);
		arg_u(f, &first, "to_el", r->c);
		break;
	case TR_EXC_RETURN:
		arg_u(f, &first, "to_el", r->a);
		break;
	case TR_SMC:
		arg_x(f, &first, "fid", r->a);
		arg_x(f, &first, "x1", r->b);
		arg_x(f, &first, "x2", r->c);
		arg_x(f, &first, "x3", r->d);
		break;
	case TR_SMC_RET:
		arg_x(f, &first, "fid", r->a);
		arg_x(f, &first, "x0", r->b);
		arg_x(f, &first, "x1", r->c);
		arg_x(f, &first, "x2", r->d);
		break;
	case TR_WORLD_SWITCH:
		arg_u(f, &first, "from", r->a);
		arg_u(f, &first, "to", r->b);
		break;
	case TR_GIC_PEND:
		arg_u(f, &first, "intid", r->a);
		arg_u(f, &first, "group", r->b);
		arg_s(f, &first, "src", NAME_OF(pend_src, r->c));
		break;
	case TR_GIC_ACK:
		arg_u(f, &first, "intid", r->a);
		arg_u(f, &first, "group", r->b);
		break;
	case TR_GIC_SGI_DROP:
		arg_u(f, &first, "intid", r->a);
		arg_u(f, &first, "req_group", r->b);
		arg_u(f, &first, "sender", r->c);
		break;
	case TR_GIC_WAKE:
		arg_u(f, &first, "level", r->a);
		break;
	case TR_GIC_ROUTE:
		arg_u(f, &first, "intid", r->a);
		arg_x(f, &first, "irouter", r->b);
		break;
	case TR_GIC_FWD:
		arg_u(f, &first, "intid", r->a);
		arg_u(f, &first, "group", r->b);
		break;
	case TR_GIC_EOI:
	case TR_GIC_DEACT:
	case TR_GIC_CLEAR:
		arg_u(f, &first, "intid", r->a);
		break;
	case TR_POWER:
		arg_u(f, &first, "state", r->a);
		if (r->label)
			arg_s(f, &first, "what", r->label);
		break;
	case TR_PSCI:
		arg_x(f, &first, "fid", r->a);
		arg_u(f, &first, "target", r->b);
		arg_x(f, &first, "result", r->c);
		break;
	case TR_NOTIF:
		arg_u(f, &first, "id", r->notif);
		arg_u(f, &first, "value", r->b);
		break;
	case TR_TEE_THREAD:
		arg_u(f, &first, "thread", r->a);
		arg_u(f, &first, "state", r->b);
		break;
	default:
		arg_x(f, &first, "a", r->a);
		arg_x(f, &first, "b", r->b);
		arg_x(f, &first, "c", r->c);
		arg_x(f, &first, "d", r->d);
		break;
	}
	if (r->notif && r->kind != TR_NOTIF)
		arg_u(f, &first, "notif", r->notif);
	fputs("}", f);
	ev_end(w);
	if (ferror(f))
		w->failed = true;
}
