// SPDX-License-Identifier: BSD-3-Clause
#include <string.h>

#include "sim/kernel/sim.h"

int sim_init(struct sim *s, enum sim_backend backend, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	s->k = sim_kernel_new(backend);
	s->tr = sim_trace_new();
	if (!s->k || !s->tr) {
		sim_fini(s);
		return -1;
	}
	return 0;
}

void sim_fini(struct sim *s)
{
	sim_kernel_free(s->k);
	sim_trace_free(s->tr);
	s->k = NULL;
	s->tr = NULL;
}
