/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/symbolize.h: the name of a function from its address, for
 * messages about an event (the livelock guard names the callback that
 * keeps rescheduling itself).
 *
 * Model callbacks are mostly static functions, which dladdr() cannot name
 * (they are not in the dynamic symbol table). This reads the ELF symbol
 * table of the object holding the address (the tzsim binary itself) and
 * names the function and, for a static one, the source file it came from
 * (the STT_FILE entry before it): "arrival (secure_src.c)". Only for error
 * paths: it opens and maps the binary on each call. Never prints; holds no
 * state.
 */
#ifndef SIM_SYMBOLIZE_H
#define SIM_SYMBOLIZE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Write the name of the function at @addr into @buf: "name (file.c)",
 * "name", or "0x<address>" when there is no symbol table (a stripped
 * binary). Returns 0 when a name was found, -1 otherwise (@buf is filled
 * either way).
 */
int sim_symbolize(const void *addr, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif
