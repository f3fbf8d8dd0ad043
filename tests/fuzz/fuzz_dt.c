// SPDX-License-Identifier: BSD-3-Clause
/* libFuzzer target: the device-tree reader (a DTB from dtc or from outside -> struct dt_platform). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/dt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_platform p;
	char err[512];
	/* libfdt wants the blob 8-byte aligned, as a malloc'd one is */
	void *blob = malloc(size ? size : 1);
	if (!blob)
		return 0;
	memcpy(blob, data, size);
	(void)dt_parse_blob(blob, size, &p, err, sizeof(err));
	free(blob);
	return 0;
}
