/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/scenario/scenario.h: scenario files (YAML) -> struct scenario.
 *
 * The loader parses one YAML document (sim/ynode), applies `--vary`
 * overrides to the node tree, then validates every key against the schema
 * below and fills a struct scenario with defaults for what is absent. It
 * reports the first problem as one line
 *
 *     file:line:col: key.path: what is wrong
 *
 * (1-based line and column of the offending node; the key path is left
 * out for YAML syntax errors and problems with the whole document), or
 *
 *     --vary key.path=value: what is wrong
 *
 * for a problem in an override. struct scenario is allocation-free (fixed
 * capacities below; exceeding one is an error), so it can be copied, and
 * it keeps the position of every source, workload, timeline entry and
 * expect check for later run-time messages. The loader never prints,
 * never exits and holds no global state; it does not open the DTS or the
 * replay files (their paths are resolved and stored), except to check
 * that a replay file can be opened.
 *
 * Schema (every quantity carries its unit; a bare number where a unit is
 * expected is an error; sim/scenario/SCENARIO_KEYS.md has the same as a table):
 *
 *   name: string [A-Za-z0-9_.-]{1,64}     default: file basename without .yaml/.yml
 *   description: string                   default: ""
 *   seed: u64                             default: 1
 *   stop: exactly one of {after: time} | {notifications: int 1..10^9}
 *                                         default: {after: 100ms}
 *   kernel: native | systemc              default: native (the CLI may override)
 *   platform:
 *     dts: path (relative to the scenario file's directory)   default: "" (built-in)
 *     cpus: int 1..64                     default: 4
 *     clock: frequency 1MHz..10GHz        default: the preset's clock
 *     costs: cortex-a53 | cortex-a72, optional @frequency (sets the clock)
 *                                         default: cortex-a53
 *     cost_overrides: {cost-name: cost}   names as sim_cost_lookup() knows them
 *     gic: {pend_to_wire: time, ack_rearb: time, sgi_delay: time,
 *           prio_bits: int 4..8}          default: the preset's gic.* costs, prio_bits 5
 *   transport:
 *     kind: spi | ppi | sgi | ffa         default: spi
 *     intid: int                          default: spi 219, ppi 31, sgi 8, ffa 8;
 *                                         range: spi 32..1019, ppi 16..31, sgi/ffa 8..15
 *     trigger: edge | level               default: edge (level: spi only)
 *     routing: fixed | 1-of-N             default: fixed (1-of-N: spi only)
 *     target: self | all-but-self | [cpu, ...]  default: self (others: sgi only)
 *     spmc: s-el1 | s-el2                 default: s-el1 (s-el2: ffa only, intid 8;
 *                                         el3 is refused: TF-A's EL3 SPMC has no notifications)
 *     raise: fixed | upstream             default: fixed (upstream: ppi only)
 *     ffa_bottom_half: workqueue | inline default: workqueue (inline: ffa only)
 *   tee: {threads: int 1..64 (2), async_notif: bool (true)}
 *   ree: {irq_affinity: cpu (0), eoimode: 0 | 1 (0),
 *         preempt: none | voluntary | full (full), scheduler: eevdf | cfs (eevdf),
 *         call_queue: thread_count | ethread_limit (thread_count)}
 *   fidelity: {monitor, tee, ree: abstract | isa}
 *                                         default: abstract each. isa runs the world's
 *                                         guest routines (models/cpu/isa_rt.h): monitor: the
 *                                         world switch's EL1 context save and restore; tee:
 *                                         fast calls and notif_send_async (not with a level
 *                                         doorbell); ree: the notification IRQ's drain loop.
 *                                         Not with transport ffa
 *   sources: [ up to 32 of
 *     name: string (required, unique)
 *     kind: uart | timer | trng           default: uart
 *     world: secure | normal              default: secure
 *     intid: int 32..1019 (an SPI, unique) default: 40 + index
 *     trigger: edge | level               default: level for uart, else edge
 *     cpu: cpu (GICD_IROUTER target)      default: 0
 *     arrival: (required) exactly one of {periodic: time} | {poisson: frequency}
 *              | {burst: {count: int 1..10^6, every: time, spacing: time}}
 *              | {replay: path of a file of times with units, one per line}
 *     top_half: cost                      default: 800 cycles
 *     bottom_half: cost                   default: 20us
 *     per_item: cost                      default: 0 cycles
 *     fifo: int 1..65536                  default: 16
 *     notify: bottom_half | value         default: bottom_half (value: timer and trng,
 *                                         secure, SMC ABI (not ffa), tee.async_notif; no bottom_half key) ]
 *   workloads: [ up to 32 of
 *     name: string (unique)               default: kind + index ("ta_invoke0")
 *     kind: ta_invoke | cpu_bound         (required)
 *     rate: frequency                     (ta_invoke only; required unless wait_for: without
 *                                         it each CPU's thread calls again when its call returns)
 *     secure_work: cost                   default: 50us (ta_invoke only)
 *     work: cost                          default: 1ms (cpu_bound only)
 *     wait_for: source name               default: none (ta_invoke only; a notify: value source)
 *     cpus: [cpu, ...]                    default: all ]
 *   timeline: [ up to 1024 of {at: time, and exactly one action}:
 *     cpu_off: cpu | cpu_on: cpu
 *     suspend: {cpu, for: time, wake: timer | interrupt (interrupt)}
 *     storm: {source: source name, rate: frequency, for: time}
 *     mask_window: {cpu, world: secure | normal (secure), for: time}
 *     load: {workload: workload name, rate: frequency} ]
 *     Entries are sorted stably by `at`.
 *   outputs: {trace: [csv | perfetto | vcd | hgrm, ...]}   default: [csv]
 *            {el3: pass | legs}   default: pass (a pass through EL3 is one TR_ACTIVITY)
 *   expect: [ up to 64 of
 *     "<metric> <op> <value>"   op: < <= > >= == !=; metric per sim_metric_kind();
 *                               value: plain number (count, ratio) or time (time)
 *     | {smc_sequence: [name or 0xID, ...] (1..64), notification: int >= 1 (1)} ]
 *
 * A cpu is an int 0..platform.cpus-1. A cost is a constant (`800 cycles`,
 * `2us`) or one of {exponential: {mean}}, {normal: {mean, sd}},
 * {lognormal: {median, p99}} (p99 >= median), {uniform: [lo, hi]}
 * (hi >= lo), {empirical: [[value, weight], ...]} (1..32 rows, weights
 * >= 0, not all 0); all values of one cost are cycles, or all are times.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/kernel/costs.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SCENARIO_MAX_SOURCES 32
#define SCENARIO_MAX_WORKLOADS 32
#define SCENARIO_MAX_TIMELINE 1024
#define SCENARIO_MAX_EXPECT 64
#define SCENARIO_MAX_SMC_SEQ 64    /* entries in one smc_sequence check */
#define SCENARIO_MAX_SMC_TOTAL 256 /* entries over all smc_sequence checks */
#define SCENARIO_MAX_CPUS 64
#define SCENARIO_NAME_MAX 64       /* names: [A-Za-z0-9_.-]{1,64} */
#define SCENARIO_METRIC_MAX 96     /* a metric's name (workload.<name>.latency.p999) */
#define SCENARIO_TEXT_MAX 256      /* description, expect text (longer is an error) */
#define SCENARIO_PATH_MAX 1024     /* resolved paths (longer is an error) */

/*
 * Bounds on values (README "Limits" says why). Every time is at most
 * SCENARIO_MAX_TIME, so sums of a few (boot + stop.after + drain, at + for)
 * stay far below 2^64 ps; a cost is at most SCENARIO_MAX_TIME or
 * SCENARIO_MAX_COST_CYCLES; an arrival rate (poisson, storm, ta_invoke,
 * load; periodic and burst as their average) is at most the PE clock /
 * SCENARIO_RATE_CYCLES, faster than the platform can take interrupts.
 */
#define SCENARIO_MAX_TIME (3600ull * SIM_S)          /* 1 h */
#define SCENARIO_MAX_COST_CYCLES 1000000000000ull    /* 10^12 cycles */
#define SCENARIO_RATE_CYCLES 100ull                  /* one arrival per 100 PE cycles at most */
#define SCENARIO_MIN_WORK (1 * SIM_US)               /* cpu_bound work: the least mean chunk */
#define SCENARIO_MAX_FILE_BYTES (1u << 20)           /* a scenario file: 1 MiB */
#define SCENARIO_MAX_REPLAY_BYTES (16u << 20)        /* a replay file: 16 MiB */
#define SCENARIO_MAX_REPLAY_RECORDS 1000000u         /* records in one replay file */

/* One diagnostic line; see the top of this file for its shape. */
struct sim_diag {
	char msg[512];
};

/* A node's 1-based position in the scenario file; line 0 when it came from an override. */
struct scenario_pos {
	unsigned line, col;
};

enum scenario_stop { SCENARIO_STOP_AFTER = 0, SCENARIO_STOP_NOTIFICATIONS };
enum scenario_transport { SCENARIO_SPI = 0, SCENARIO_PPI, SCENARIO_SGI, SCENARIO_FFA };
enum scenario_trigger { SCENARIO_EDGE = 0, SCENARIO_LEVEL };
enum scenario_routing { SCENARIO_ROUTE_FIXED = 0, SCENARIO_ROUTE_1_OF_N };
enum scenario_sgi_target { SCENARIO_TARGET_SELF = 0, SCENARIO_TARGET_ALL_BUT_SELF, SCENARIO_TARGET_LIST };
/* transport.spmc (kind ffa): OP-TEE is the SPMC at S-EL1, or Hafnium at S-EL2 with OP-TEE its partition */
enum scenario_spmc { SCENARIO_SPMC_S_EL1 = 0, SCENARIO_SPMC_S_EL2 };
/* transport.raise (kind ppi): tzsim's GICR_ISPENDR0 write, or OP-TEE's GICD_ISPENDR0 as upstream codes it */
enum scenario_raise { SCENARIO_RAISE_FIXED = 0, SCENARIO_RAISE_UPSTREAM };
/* Linux's preemption model (ree.preempt) and fair scheduler (ree.scheduler). */
enum scenario_preempt { SCENARIO_PREEMPT_FULL = 0, SCENARIO_PREEMPT_VOLUNTARY, SCENARIO_PREEMPT_NONE };
enum scenario_scheduler { SCENARIO_SCHED_EEVDF = 0, SCENARIO_SCHED_CFS };
/* ree.call_queue: the OP-TEE driver's call queue of Linux 6.8+ (counts threads) or before (ETHREAD_LIMIT only) */
enum scenario_call_queue { SCENARIO_CQ_THREAD_COUNT = 0, SCENARIO_CQ_ETHREAD_LIMIT };

/*
 * Protocol switches (docs/protocol.md §10): each departs from one upstream
 * behaviour so that `tzsim explore` can ask whether a change is safe.
 */
/* ree.notif_drain: Linux's irq_handler loops while PENDING (loop, upstream) or fetches one value (once) */
enum scenario_drain { SCENARIO_DRAIN_LOOP = 0, SCENARIO_DRAIN_ONCE };
/* ree.pcpu_disable: disable_percpu_irq at CPUHP_AP_ONLINE_DYN (upstream), or after set_cpu_online(false) */
enum scenario_pcpu_disable { SCENARIO_PCPU_DISABLE_ONLINE_DYN = 0, SCENARIO_PCPU_DISABLE_AFTER_OFFLINE };
/* tee.notif_raise: raise on every send (upstream notif_send_async) or only when the bitmap was empty */
enum scenario_notif_raise { SCENARIO_RAISE_EVERY = 0, SCENARIO_RAISE_WHEN_EMPTY };

/*
 * ties: the order of events scheduled at the same picosecond (hardware
 * gives them none). fifo: insertion order (the default); lifo: reversed;
 * random: a permutation drawn from seed. Only inside [from, to) of
 * scenario time when `to` is set; never during boot.
 */
enum scenario_tie_order { SCENARIO_TIES_FIFO = 0, SCENARIO_TIES_LIFO, SCENARIO_TIES_RANDOM };
struct scenario_ties {
	enum scenario_tie_order order;
	uint64_t seed;
	sim_time from, to; /* to == 0: no end */
};
/* Where Linux's OP-TEE FF-A driver runs the bottom half (ffa_abi.c notif_callback). */
enum scenario_ffa_bh { SCENARIO_FFA_BH_WORKQUEUE = 0, SCENARIO_FFA_BH_INLINE };
enum scenario_world { SCENARIO_SECURE = 0, SCENARIO_NORMAL };
/* fidelity: how each world's notification path runs (models/cpu/isa_rt.h) */
enum scenario_fidelity { SCENARIO_FIDELITY_ABSTRACT = 0, SCENARIO_FIDELITY_ISA };
enum scenario_fidelity_world { SCENARIO_FID_MONITOR = 0, SCENARIO_FID_TEE, SCENARIO_FID_REE, SCENARIO_FID_COUNT };
/* How a secure source's OP-TEE driver notifies: DO_BOTTOM_HALF, or a value of its own (notif_alloc_async_value) */
enum scenario_notify { SCENARIO_NOTIFY_BOTTOM_HALF = 0, SCENARIO_NOTIFY_VALUE };
enum scenario_source_kind { SCENARIO_UART = 0, SCENARIO_TIMER, SCENARIO_TRNG };
enum scenario_arrival { SCENARIO_PERIODIC = 0, SCENARIO_POISSON, SCENARIO_BURST, SCENARIO_REPLAY };
enum scenario_workload_kind { SCENARIO_TA_INVOKE = 0, SCENARIO_CPU_BOUND };
enum scenario_action {
	SCENARIO_CPU_OFF = 0,
	SCENARIO_CPU_ON,
	SCENARIO_SUSPEND,
	SCENARIO_STORM,
	SCENARIO_MASK_WINDOW,
	SCENARIO_LOAD,
};
enum scenario_wake { SCENARIO_WAKE_INTERRUPT = 0, SCENARIO_WAKE_TIMER };
enum scenario_op { SCENARIO_LT = 0, SCENARIO_LE, SCENARIO_GT, SCENARIO_GE, SCENARIO_EQ, SCENARIO_NE };
enum scenario_expect_kind { SCENARIO_EXPECT_METRIC = 0, SCENARIO_EXPECT_SMC_SEQUENCE };

/* outputs.trace, a bit set */
#define SCENARIO_TRACE_CSV 1u
#define SCENARIO_TRACE_PERFETTO 2u
#define SCENARIO_TRACE_VCD 4u
#define SCENARIO_TRACE_HGRM 8u

struct scenario_platform {
	char dts[SCENARIO_PATH_MAX]; /* resolved; "" for the built-in platform */
	unsigned cpus;
	/* The preset (costs.preset), its clock or platform.clock / @freq
	 * (costs.clock), then cost_overrides and gic.* applied. */
	struct sim_costs costs;
	bool cost_overridden[SIM_COST_COUNT];
	unsigned prio_bits;
};

struct scenario_transport_cfg {
	enum scenario_transport kind;
	unsigned intid;
	enum scenario_trigger trigger;
	enum scenario_routing routing;
	enum scenario_sgi_target target;
	uint64_t target_cpus; /* SCENARIO_TARGET_LIST: bit n = cpu n */
	enum scenario_spmc spmc;
	enum scenario_ffa_bh ffa_bottom_half;
	enum scenario_raise raise; /* kind ppi */
};

struct scenario_source {
	char name[SCENARIO_NAME_MAX + 1];
	enum scenario_source_kind kind;
	enum scenario_world world;
	unsigned intid;
	enum scenario_trigger trigger;
	unsigned cpu;
	enum scenario_arrival arrival;
	sim_time period;      /* PERIODIC */
	uint64_t rate_hz;     /* POISSON */
	unsigned burst_count; /* BURST: count interrupts `spacing` apart, every `every` */
	sim_time burst_every, burst_spacing;
	char replay[SCENARIO_PATH_MAX]; /* REPLAY: resolved path */
	struct sim_cost top_half, bottom_half, per_item;
	unsigned fifo;
	enum scenario_notify notify;
	struct scenario_pos pos; /* the source's mapping */
	struct scenario_pos intid_pos; /* its intid (line 0: default or --vary) */
};

struct scenario_workload {
	char name[SCENARIO_NAME_MAX + 1];
	enum scenario_workload_kind kind;
	uint64_t rate_hz;        /* TA_INVOKE; 0: a closed loop (wait_for without rate) */
	struct sim_cost secure_work; /* TA_INVOKE */
	struct sim_cost work;    /* CPU_BOUND: one chunk */
	uint64_t cpus;           /* bit n = cpu n */
	int wait_for;            /* TA_INVOKE: index of the value source its TA waits for, or -1 */
	struct scenario_pos pos;
	struct scenario_pos cpus_pos; /* its cpus (line 0: default or --vary) */
};

struct scenario_event {
	sim_time at;
	enum scenario_action action;
	unsigned cpu;            /* CPU_OFF, CPU_ON, SUSPEND, MASK_WINDOW */
	sim_time duration;       /* SUSPEND, STORM, MASK_WINDOW: `for` */
	enum scenario_wake wake; /* SUSPEND */
	enum scenario_world world; /* MASK_WINDOW */
	unsigned source;         /* STORM: index into sources */
	unsigned workload;       /* LOAD: index into workloads */
	uint64_t rate_hz;        /* STORM, LOAD */
	unsigned file_index;     /* position in the file's list, before sorting */
	struct scenario_pos pos;
};

struct scenario_smc_fn {
	char name[SCENARIO_NAME_MAX + 1]; /* "" when given as an id */
	uint32_t id;                      /* when given as 0x... */
};

struct scenario_expect {
	enum scenario_expect_kind kind;
	char text[SCENARIO_TEXT_MAX];   /* METRIC: the check as written */
	char metric[SCENARIO_METRIC_MAX + 1];
	int metric_kind;                /* enum sim_metric_kind */
	enum scenario_op op;
	double value;                   /* TIME metrics: ps */
	unsigned smc_first, smc_count;  /* SMC_SEQUENCE: slice of scenario.smc_fns */
	unsigned notification;          /* SMC_SEQUENCE: which notification (1-based) */
	struct scenario_pos pos;
};

struct scenario {
	char path[SCENARIO_PATH_MAX];   /* as given to the loader */
	char name[SCENARIO_NAME_MAX + 1];
	char description[SCENARIO_TEXT_MAX];
	uint64_t seed;
	enum scenario_stop stop;
	sim_time stop_after;
	uint64_t stop_notifications;
	enum sim_backend kernel;
	struct scenario_platform platform;
	struct scenario_transport_cfg transport;
	unsigned tee_threads;
	bool tee_async_notif;
	unsigned ree_irq_affinity;
	unsigned ree_eoimode;
	enum scenario_preempt ree_preempt;
	enum scenario_scheduler ree_scheduler;
	enum scenario_call_queue ree_call_queue;
	enum scenario_fidelity fidelity[SCENARIO_FID_COUNT]; /* by enum scenario_fidelity_world */
	enum scenario_drain ree_notif_drain;
	enum scenario_pcpu_disable ree_pcpu_disable;
	enum scenario_notif_raise tee_notif_raise;
	bool check;                     /* run the invariant checker (as --check) */
	struct scenario_ties ties;
	unsigned n_sources, n_workloads, n_timeline, n_expect, n_smc_fns;
	struct scenario_source sources[SCENARIO_MAX_SOURCES];
	struct scenario_workload workloads[SCENARIO_MAX_WORKLOADS];
	struct scenario_event timeline[SCENARIO_MAX_TIMELINE]; /* sorted by at, stably */
	struct scenario_expect expect[SCENARIO_MAX_EXPECT];
	struct scenario_smc_fn smc_fns[SCENARIO_MAX_SMC_TOTAL];
	unsigned outputs;               /* SCENARIO_TRACE_* */
	bool el3_legs;                  /* outputs.el3: legs (models/monitor/monitor.h, mon_config) */
	/* where keys that the platform checks further were written (line 0: default or --vary) */
	struct {
		struct scenario_pos platform_cpus, platform_dts, transport_intid, transport_target;
	} at;
};

/*
 * scenario_load - read the scenario file @path, apply @n_overrides
 * overrides `key.path=value` (in order), validate, and fill @out.
 *
 * An override's key path names mapping keys with dots and sequence items
 * with [n] (`sources[0].arrival`); under platform.cost_overrides the rest
 * of the path is one cost name (`platform.cost_overrides.ree.wakeup=2us`).
 * Its value is parsed as YAML (so `stop={notifications: 500}` replaces a
 * whole mapping) and replaces the node at the path; missing mapping keys
 * are created, and [n] with n equal to the sequence's length appends.
 *
 * Returns 0, or -1 with @diag filled when the file cannot be read
 * (`path: cannot open: reason`), is not valid YAML, is empty, breaks the
 * schema (unknown or duplicate key, wrong type, value out of range, bad
 * or missing unit, missing required key, bad distribution, unknown
 * reference, bad expect check, a capacity exceeded), or an override is
 * malformed. @out is only meaningful on success.
 */
int scenario_load(const char *path, const char *const *overrides, int n_overrides, struct scenario *out,
		  struct sim_diag *diag);

/*
 * scenario_load_string - as scenario_load, from @text; @fake_path names the
 * file in messages, gives the default name and the directory relative
 * paths resolve against.
 */
int scenario_load_string(const char *text, const char *fake_path, const char *const *overrides,
			 int n_overrides, struct scenario *out, struct sim_diag *diag);

/*
 * scenario_write_resolved - load @path with @overrides as scenario_load
 * does and write it to @f as one YAML document that loads to the same
 * scenario from any directory: the overrides applied, relative paths
 * (platform.dts, sources[].arrival.replay) made absolute, the default name
 * written out. Comments and layout are not kept (scenario_emit.c). For
 * the job files of `tzsim compare --emit-jobs`. Returns 0, or -1 with
 * @diag filled as scenario_load fills it (or a write to @f failed).
 */
int scenario_write_resolved(const char *path, const char *const *overrides, int n_overrides, FILE *f,
			    struct sim_diag *diag);

/* Release what a loaded scenario holds. struct scenario owns no memory
 * today, so this only clears it; call it anyway. */
void scenario_free(struct scenario *s);

/* Names for messages and outputs. */
const char *scenario_transport_name(enum scenario_transport t);
const char *scenario_action_name(enum scenario_action a);
const char *scenario_op_name(enum scenario_op op);

#ifdef __cplusplus
}
#endif
#endif
