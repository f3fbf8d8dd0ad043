/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/systemc.h: what a SystemC module built on tzsim's models needs
 * from the SystemC backend of the event kernel (sim/kernel/systemc.cc).
 *
 * Free running. tzsim's own runs (sim_run_until/idle/while) call sc_start()
 * themselves. A SystemC platform that embeds tzsim models calls sc_start()
 * itself instead, and never a sim_run_*: the kernel is then free running,
 * and its events fire as SystemC time reaches them, from the same SC_METHOD,
 * in the same (time, seq) order. Two things differ from a tzsim run:
 *  - the platform's own processes call into the models (a TLM access, an
 *    input line), at a SystemC time the kernel has not caught up with:
 *    sim_systemc_sync() first;
 *  - nobody calls sim_run_while with a condition: a gate
 *    (sim_systemc_set_gate) plays that part, and a false gate or a
 *    sim_stop() holds the kernel instead of pausing the user's simulation.
 *
 * Library code: never prints, never exits, never throws.
 */
#ifndef SIM_KERNEL_SYSTEMC_H
#define SIM_KERNEL_SYSTEMC_H

#include <stdbool.h>

#include "sim/kernel/kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * sim_systemc_sync - bring @k up to SystemC's time: fire every event due
 * at or before sc_time_stamp() (asking the gate, as the kernel's SC_METHOD
 * would), then set sim_now() to sc_time_stamp(). Call it from a SystemC
 * process (or between sc_start calls) before calling into a model: a model
 * schedules relative to sim_now(), and a read must see every change due by
 * now. From inside a tzsim event it does nothing (the kernel is in step).
 * Returns 0, or -1 when @k is not this process's SystemC kernel. When the
 * kernel is held (below) it fires nothing and leaves sim_now() alone.
 */
int sim_systemc_sync(struct sim_kernel *k);

/*
 * sim_systemc_set_gate - while free running, call @gate(@gctx) before each
 * event, with sim_now() at the last event fired, exactly where
 * sim_run_while calls its condition (once per event; again when the
 * earliest event changes from outside an event), and once more when the
 * last queued event has fired (sim_pending() is 0 then: where a
 * sim_run_while would return). When it returns false no
 * event fires and the kernel holds: SystemC time goes on, the kernel's
 * events stay queued, until the next sim_systemc_set_gate call (NULL: no
 * gate); events that came due meanwhile then fire at once, in order, each
 * at its own time, and sim_now() catches up with SystemC after them. The
 * gate may call into the models (schedule, cancel). A sim_stop()
 * while free running holds the kernel the same way. The gate is not
 * consulted during a sim_run_* (that run's condition is).
 * Returns 0, or -1 when @k is not this process's SystemC kernel.
 */
int sim_systemc_set_gate(struct sim_kernel *k, bool (*gate)(void *gctx), void *gctx);

/* sim_systemc_held - true while the kernel holds (a false gate or a sim_stop while free running). */
bool sim_systemc_held(const struct sim_kernel *k);

#ifdef __cplusplus
}
#endif
#endif
