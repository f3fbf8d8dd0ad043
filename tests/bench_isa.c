// SPDX-License-Identifier: BSD-3-Clause
/*
 * tests/bench_isa.c: what guest code on Unicorn costs the host, and what
 * the guest routines execute (instructions and modelled cycles per world,
 * for docs/calibration.md §5). Figures, not pass/fail: exits non-zero only
 * when a run fails.
 *
 *   bench_isa [--preset cortex-a53|cortex-a72] [--n N]
 *
 * Prints key=value lines (tests/bench.sh formats them):
 *   fixed      host ns per run that executes nothing (uc_emu_start, the return stub's model call, the stop)
 *   psci       PSCI_VERSION from the normal world: NS -> EL3 -> NS
 *   fast       GET_ASYNC_NOTIF_VALUE with nothing pending: NS -> EL3 -> OP-TEE -> EL3 -> NS
 *   notif      one secure UART character: FIQ to EL3, OP-TEE's top half, FIQ_DONE, Linux's IRQ
 *              and drain loop, then DO_BOTTOM_HALF in an OP-TEE thread
 *   segment    the notification's instructions and cycles between two world changes (§3's rows)
 *   engines    making N more engines (one per PE): ms per engine, resident and virtual memory per engine
 * Host times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), best of 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/isa_plat.h"

#define GET_ASYNC 0xB2000011u
#define ENABLE_ASYNC 0xB2000010u
#define PSCI_VERSION 0x84000000u

static double cpu_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Resident and virtual size of this process, in KiB (/proc/self/statm). */
static void mem_kib(long *rss, long *vsz)
{
	long pages_v = 0, pages_r = 0, kib = sysconf(_SC_PAGESIZE) / 1024;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages_v, &pages_r) != 2)
			pages_v = pages_r = 0;
		fclose(f);
	}
	*rss = pages_r * kib;
	*vsz = pages_v * kib;
}

static void die(const struct isa_plat *p, const char *what)
{
	fprintf(stderr, "bench_isa: %s: %s\n", what, p->err);
	exit(1);
}

/* ---- segments: the instructions between two world changes of PE 0 ------------------------------- */

#define MAX_SEG 64
struct seg {
	unsigned world;
	const char *why; /* what ended it */
	uint64_t insns, cycles;
};
static struct {
	struct seg s[MAX_SEG];
	unsigned n;
	bool on;
	uint64_t insns0, cycles0;
	unsigned world;
} segs;

static const char *const world_name[3] = { "NS-EL1", "S-EL1", "EL3" };

static void seg_close(struct isa_plat *p, const char *why, unsigned next_world)
{
	struct isa_stats st;
	isa_get_stats(p->e[0], &st);
	uint64_t insns = st.insns, cycles = st.cycles_world[0] + st.cycles_world[1] + st.cycles_world[2];
	if (segs.on && segs.n < MAX_SEG && insns > segs.insns0)
		segs.s[segs.n++] = (struct seg){ segs.world, why, insns - segs.insns0, cycles - segs.cycles0 };
	segs.insns0 = insns;
	segs.cycles0 = cycles;
	segs.world = next_world;
}

static void on_state(void *ctx, struct isa_plat *p, unsigned pe, unsigned el, bool secure)
{
	(void)ctx;
	if (pe == 0)
		seg_close(p, el == 3 ? "exception entry" : "ERET", el == 3 ? 2 : secure ? 1 : 0);
}

static void on_exc(void *ctx, struct isa_plat *p, unsigned pe, const struct isa_exc *x)
{
	(void)ctx, (void)p, (void)pe, (void)x;
}

/* ---- the benchmarks ----------------------------------------------------------------------------- */

struct fig {
	double ns;
	uint64_t insns, cycles;
};

/* One engine-level call, @n times, best of 3; guest instructions and modelled cycles per call. */
static struct fig bench_calls(struct isa_plat *p, uint64_t fn, const uint64_t *x, unsigned nx, unsigned n)
{
	struct fig best = { 1e30, 0, 0 };
	struct isa_engine *e = p->e[0];
	for (int rep = 0; rep < 3; rep++) {
		struct isa_stats a, b;
		isa_get_stats(e, &a);
		double t0 = cpu_ns();
		for (unsigned i = 0; i < n; i++) {
			struct isa_result r;
			uint64_t res[4];
			if (isa_call(e, fn, x, nx, 0, 0, res, &r) || r.why != ISA_STOP_RETURN)
				die(p, "call");
		}
		double ns = (cpu_ns() - t0) / n;
		isa_get_stats(e, &b);
		if (ns < best.ns)
			best = (struct fig){ ns, (b.insns - a.insns) / n, (b.cycles - a.cycles) / n };
	}
	return best;
}

int main(int argc, char **argv)
{
	struct isa_plat_cfg c;
	unsigned n = 20000, nnotif = 2000, nengines = 16;
	isa_plat_cfg_default(&c);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--preset") && i + 1 < argc) {
			c.preset = !strcmp(argv[++i], "cortex-a72") ? SIM_PRESET_A72 : SIM_PRESET_A53;
		} else if (!strcmp(argv[i], "--engines") && i + 1 < argc) {
			nengines = (unsigned)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--n") && i + 1 < argc) {
			n = (unsigned)strtoul(argv[++i], NULL, 0);
			nnotif = n / 10 ? n / 10 : 1;
		} else {
			fprintf(stderr, "usage: bench_isa [--preset cortex-a53|cortex-a72] [--n N] [--engines N]\n");
			return 2;
		}
	}
	c.src_period = 50 * SIM_US;
	c.npes = nengines + 1 > 4 ? nengines + 1 : 4;
	static struct isa_plat p;
	if (isa_plat_init(&p, &c))
		die(&p, "init");
	double t0 = cpu_ns();
	if (isa_plat_boot(&p))
		die(&p, "boot");
	double boot_ns = cpu_ns() - t0;
	struct isa_engine *e = p.e[0];
	struct isa_stats st;
	isa_get_stats(e, &st);
	printf("engine preset=%s storefix=%d boot_host_us=%.0f boot_insns=%llu\n",
	       isa_timing_preset(c.preset)->name, isa_storefix_active(e), boot_ns / 1e3, (unsigned long long)st.insns);

	/* the fixed cost of a run: "ret" on the host page returns at once to the return stub */
	struct fig f = bench_calls(&p, ISA_HOST_SMC + 4, NULL, 0, n);
	printf("fixed ns_per_run=%.0f\n", f.ns);
	uint64_t psci[8] = { PSCI_VERSION }, fast[8] = { GET_ASYNC };
	f = bench_calls(&p, ISA_HOST_SMC, psci, 8, n);
	printf("psci ns=%.0f insns=%llu cycles=%llu ns_per_insn=%.2f\n", f.ns, (unsigned long long)f.insns,
	       (unsigned long long)f.cycles, f.ns / (double)f.insns);
	uint64_t res[4];
	if (isa_plat_smc_call(&p, 0, (uint64_t[8]){ ENABLE_ASYNC }, res) || res[0])
		die(&p, "ENABLE_ASYNC_NOTIF");
	f = bench_calls(&p, ISA_HOST_SMC, fast, 8, n);
	printf("fast ns=%.0f insns=%llu cycles=%llu ns_per_insn=%.2f\n", f.ns, (unsigned long long)f.insns,
	       (unsigned long long)f.cycles, f.ns / (double)f.insns);

	/* notifications: the UART receives a character every 50 us (simulated) */
	uint64_t bh = isa_plat_sym(&p, ISA_IMG_REE, "optee_do_bottom_half");
	struct isa_stats a, b;
	isa_get_stats(e, &a);
	unsigned smc0 = p.nsmc;
	double host = 0;
	for (unsigned i = 0; i < nnotif; i++) {
		if (i == nnotif - 1) { /* the segments of the last one (isa_get_stats is not free) */
			seg_close(&p, "", 0); /* the baseline */
			segs.on = true;
			segs.n = 0;
			p.on_state = on_state;
			p.on_exception = on_exc;
		}
		sim_time next = (sim_now(p.s.k) / (50 * SIM_US) + 1) * 50 * SIM_US + 10 * SIM_US;
		t0 = cpu_ns();
		if (isa_plat_idle_until(&p, 0, next))
			die(&p, "notification");
		if (isa_plat_call(&p, 0, bh, NULL, 0, isa_plat_task_stack(&p, 0), res) || res[0])
			die(&p, "DO_BOTTOM_HALF");
		host += cpu_ns() - t0;
		if (segs.on)
			seg_close(&p, "the bottom half returned", 0);
		p.nsmc = p.nmc = p.nicc = p.nmmio = 0; /* the logs would fill up */
	}
	(void)smc0;
	isa_get_stats(e, &b);
	uint64_t ni = b.insns - a.insns;
	printf("notif n=%u ns=%.0f insns=%llu ns_per_insn=%.2f insns_el3=%llu insns_s=%llu insns_ns=%llu "
	       "cycles_el3=%llu cycles_s=%llu cycles_ns=%llu blocks=%llu icc=%llu mmio=%llu exc=%llu\n",
	       nnotif, host / nnotif, (unsigned long long)(ni / nnotif), host / (double)ni,
	       (unsigned long long)((b.insns_world[2] - a.insns_world[2]) / nnotif),
	       (unsigned long long)((b.insns_world[1] - a.insns_world[1]) / nnotif),
	       (unsigned long long)((b.insns_world[0] - a.insns_world[0]) / nnotif),
	       (unsigned long long)((b.cycles_world[2] - a.cycles_world[2]) / nnotif),
	       (unsigned long long)((b.cycles_world[1] - a.cycles_world[1]) / nnotif),
	       (unsigned long long)((b.cycles_world[0] - a.cycles_world[0]) / nnotif),
	       (unsigned long long)((b.blocks - a.blocks) / nnotif),
	       (unsigned long long)((b.icc_accesses - a.icc_accesses) / nnotif),
	       (unsigned long long)((b.mmio_accesses - a.mmio_accesses) / nnotif),
	       (unsigned long long)((b.cls[ISA_C_EXC_ENTRY] - a.cls[ISA_C_EXC_ENTRY]) / nnotif));
	printf("classes");
	for (int k = 0; k < ISA_C_COUNT; k++)
		printf(" %s=%llu", isa_class_name((enum isa_class)k),
		       (unsigned long long)((b.cls[k] - a.cls[k]) / nnotif));
	printf("\n");
	for (unsigned i = 0; i < segs.n; i++)
		printf("segment i=%u world=%s insns=%llu cycles=%llu end=%s\n", i, world_name[segs.s[i].world],
		       (unsigned long long)segs.s[i].insns, (unsigned long long)segs.s[i].cycles,
		       segs.s[i].why[0] ? segs.s[i].why : "-");

	/* engines for the other PEs, as a 64-CPU platform would make them */
	long rss0, vsz0, rss1, vsz1;
	mem_kib(&rss0, &vsz0);
	t0 = cpu_ns();
	for (unsigned i = 1; i <= nengines; i++) {
		if (!isa_plat_engine(&p, i))
			die(&p, "engine");
	}
	double ms = (cpu_ns() - t0) / 1e6;
	mem_kib(&rss1, &vsz1);
	if (nengines)
		printf("engines n=%u ms_per_engine=%.2f rss_kib_per_engine=%ld vsz_mib_per_engine=%ld\n", nengines,
		       ms / nengines, (rss1 - rss0) / (long)nengines, (vsz1 - vsz0) / 1024 / (long)nengines);
	isa_plat_fini(&p);
	return 0;
}
