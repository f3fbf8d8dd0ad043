// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target: the replay-file reader. */
#include <stdint.h>
#include <stdlib.h>

#include "sim/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sim_time *t;
	unsigned n;
	char err[512];
	if (replay_parse((const char *)data, size, "fuzz.csv", &t, &n, err, sizeof(err)) == 0)
		free(t);
	return 0;
}
