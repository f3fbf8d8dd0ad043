// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target: the scenario loader (YAML text -> struct scenario), as tzsim reads a file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *s;
	struct sim_diag d;
	char *text;
	if (size > SCENARIO_MAX_FILE_BYTES || memchr(data, 0, size))
		return 0; /* scenario_load refuses these before parsing */
	text = malloc(size + 1);
	s = malloc(sizeof(*s));
	if (text && s) {
		memcpy(text, data, size);
		text[size] = 0;
		(void)scenario_load_string(text, "fuzz/f.yaml", NULL, 0, s, &d);
	}
	free(s);
	free(text);
	return 0;
}
