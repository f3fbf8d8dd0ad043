/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/replay.h: replay files, the recorded arrival times of a secure source
 * (`arrival: {replay: FILE}`).
 *
 * One time with its unit per line (`250us`), counted from the start of the
 * scenario; blank lines and `#` comments are skipped, and a CSV line keeps
 * only its first field. Times must not decrease. The file must be a
 * regular file of at most SCENARIO_MAX_REPLAY_BYTES holding at most
 * SCENARIO_MAX_REPLAY_RECORDS times of at most SCENARIO_MAX_TIME each;
 * every line is a valid record or an error naming its line and column.
 * Never prints; holds no state.
 */
#ifndef SIM_REPLAY_H
#define SIM_REPLAY_H

#include <stddef.h>

#include "sim/kernel/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * replay_parse - the times in @text (@len bytes), for messages named
 * @path. Returns 0 with a malloc'd array in *@out (NULL when there is no
 * record) and its length in *@n, or -1 with "path:line:col: what is
 * wrong" in @err: a bad time, a time out of range, times that decrease, a
 * NUL byte, too many records, out of memory.
 */
int replay_parse(const char *text, size_t len, const char *path, sim_time **out, unsigned *n, char *err,
		 size_t errlen);

/* replay_load - read the file @path (sim_read_file's checks) and replay_parse it. */
int replay_load(const char *path, sim_time **out, unsigned *n, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
