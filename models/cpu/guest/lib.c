// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/cpu/guest/lib.c: the two libc routines GCC may emit calls to in
 * freestanding code (struct copies and zeroing), linked into every image.
 * Word-at-a-time when everything is 8-byte aligned (-mstrict-align).
 */
#include "models/cpu/guest/guest.h"

void *memcpy(void *d, const void *s, size_t n)
{
	if ((((uintptr_t)d | (uintptr_t)s | n) & 7) == 0) {
		uint64_t *d8 = d;
		const uint64_t *s8 = s;
		for (n /= 8; n--;)
			*d8++ = *s8++;
		return d;
	}
	unsigned char *dp = d;
	const unsigned char *sp = s;
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	if (!c && (((uintptr_t)d | n) & 7) == 0) {
		uint64_t *d8 = d;
		for (n /= 8; n--;)
			*d8++ = 0;
		return d;
	}
	unsigned char *dp = d;
	while (n--)
		*dp++ = (unsigned char)c;
	return d;
}
