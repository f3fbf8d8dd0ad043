/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/kernel/infile.h: reading the files a scenario names (the scenario itself,
 * replay files, the DTS) as what they claim to be.
 *
 * Such files are copied between people and may be anything: a device
 * (/dev/zero never ends, a FIFO or /dev/stdin blocks), a directory, or a
 * regular file of gigabytes. Only a regular file of at most a given size
 * is read; it is opened without blocking (O_NONBLOCK, so a FIFO cannot
 * stall the open) and checked with fstat on the descriptor that is read,
 * so a path swapped after the check changes nothing. Errors are -1 with
 * "path: what is wrong" in the caller's buffer; never prints, holds no
 * state.
 */
#ifndef SIM_INFILE_H
#define SIM_INFILE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * sim_read_file - read the regular file @path, at most @max bytes, into a
 * malloc'd buffer with a NUL after the last byte (*@len bytes). Returns 0,
 * or -1 with @err set: cannot open (the system's reason), not a regular
 * file (a directory, a device, a FIFO), larger than @max, a read error,
 * out of memory.
 */
int sim_read_file(const char *path, size_t max, char **buf, size_t *len, char *err, size_t errlen);

/* sim_check_file - the checks of sim_read_file without reading: 0, or -1 with @err set. */
int sim_check_file(const char *path, size_t max, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
