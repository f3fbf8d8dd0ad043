// SPDX-License-Identifier: BSD-3-Clause
/* sim/shm.c: shared-memory buffers named by cookie (see shm.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "sim/shm.h"

/* Where the cookies start: an address in the arm64 kernel's linear map, as a struct tee_shm * is. */
#define SHM_COOKIE_BASE 0xffff000010000000ull
#define SHM_COOKIE_STRIDE 0x100ull

/* a message, next to its offset in its buffer */
struct shm_msg {
	uint64_t offset;
	struct sim_msg_arg msg;
};

struct shm_buf {
	uint64_t cookie;
	unsigned n;
	struct shm_msg at[SIM_SHM_MSGS];
};

struct sim_shm {
	struct shm_buf **buf; /* one allocation each: a message's address never moves */
	size_t n, cap;
};

struct sim_shm *sim_shm_new(void) { return calloc(1, sizeof(struct sim_shm)); }

void sim_shm_free(struct sim_shm *shm)
{
	if (!shm)
		return;
	for (size_t i = 0; i < shm->n; i++)
		free(shm->buf[i]);
	free(shm->buf);
	free(shm);
}

uint64_t sim_shm_alloc(struct sim_shm *shm)
{
	struct shm_buf *b;
	if (shm->n == shm->cap) {
		size_t cap = shm->cap ? shm->cap * 2 : 16;
		struct shm_buf **v = realloc(shm->buf, cap * sizeof(*v));
		if (!v)
			return 0;
		shm->buf = v;
		shm->cap = cap;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return 0;
	b->cookie = SHM_COOKIE_BASE + SHM_COOKIE_STRIDE * shm->n;
	shm->buf[shm->n++] = b;
	return b->cookie;
}

struct sim_msg_arg *sim_shm_msg(struct sim_shm *shm, uint64_t cookie, uint64_t offset)
{
	struct shm_buf *b;
	uint64_t i;

	if (cookie < SHM_COOKIE_BASE || (cookie - SHM_COOKIE_BASE) % SHM_COOKIE_STRIDE)
		return NULL;
	i = (cookie - SHM_COOKIE_BASE) / SHM_COOKIE_STRIDE;
	if (i >= shm->n)
		return NULL;
	b = shm->buf[i];
	for (struct shm_msg *m = b->at; m < b->at + b->n; m++)
		if (m->offset == offset)
			return &m->msg;
	/*
	 * a new message: an offset already there passed these tests when it was
	 * made. The room is tested without adding to @offset, which the normal
	 * world chose (x3 of the SMC): near 2^64 the sum would wrap and pass.
	 */
	if ((offset & 7) || offset > SIM_SHM_SIZE - SIM_MSG_ARG_SIZE(SIM_MSG_MAX_PARAMS) || b->n == SIM_SHM_MSGS)
		return NULL;
	b->at[b->n].offset = offset;
	memset(&b->at[b->n].msg, 0, sizeof(b->at[b->n].msg));
	return &b->at[b->n++].msg;
}
