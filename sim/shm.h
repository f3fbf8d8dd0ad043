/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/shm.h: the shared memory through which the normal world's OP-TEE
 * driver and OP-TEE exchange messages (OP-TEE optee_msg.h, Linux
 * drivers/tee/optee).
 *
 * What it models: buffers the normal world allocates (tee_shm), each named
 * by a 64-bit cookie as Linux names them to OP-TEE (the struct tee_shm
 * pointer, split over two registers by reg_pair_from_64; FF-A's global
 * handle), and holding struct optee_msg_arg messages at byte offsets. The
 * normal world writes a call's command and parameters, the secure world
 * reads them by (cookie, offset), writes its result and its RPC requests
 * back, and the normal world reads those. Only the cookies travel in
 * registers; the models share this registry, never pointers into each
 * other's state.
 *
 * What it owns: the buffers and their messages (freed with the registry).
 * What it does not model: the bytes of a message (a message is a struct,
 * read and written whole), memory attributes, or physical addresses: a
 * CALL_WITH_ARG's "physical address" is a cookie here too.
 */
#ifndef SIM_SHM_H
#define SIM_SHM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* OPTEE_MSG_ATTR_TYPE_* for the value parameters tzsim passes */
#define SIM_MSG_ATTR_NONE 0u
#define SIM_MSG_ATTR_VALUE_INPUT 1u
#define SIM_MSG_ATTR_VALUE_OUTPUT 2u
#define SIM_MSG_ATTR_VALUE_INOUT 3u

/* THREAD_RPC_MAX_NUM_PARAMS / the RPC parameter count OP-TEE advertises */
#define SIM_MSG_MAX_PARAMS 6

/* struct optee_msg_param, value form: attr and u.value.{a, b, c} */
struct sim_msg_param {
	uint64_t attr;
	uint64_t a, b, c;
};

/* struct optee_msg_arg (optee_msg.h) */
struct sim_msg_arg {
	uint32_t cmd;
	uint32_t func;
	uint32_t session;
	uint32_t cancel_id;
	uint32_t ret;
	uint32_t ret_origin;
	uint32_t num_params;
	struct sim_msg_param params[SIM_MSG_MAX_PARAMS];
};

/* OPTEE_MSG_GET_ARG_SIZE(n): the 32-byte header and 32 bytes per parameter */
#define SIM_MSG_ARG_SIZE(n) (32u + 32u * (unsigned)(n))
/* A buffer's size (one page) and how many messages one buffer holds at once */
#define SIM_SHM_SIZE 4096u
#define SIM_SHM_MSGS 8

struct sim_shm;

/* An empty registry; NULL when out of memory. */
struct sim_shm *sim_shm_new(void);
/* Free the registry and every buffer in it (NULL: nothing). */
void sim_shm_free(struct sim_shm *shm);

/*
 * sim_shm_alloc - a new zeroed buffer of SIM_SHM_SIZE bytes. Returns its
 * cookie (never 0; the upper 32 bits are not 0, as for a kernel pointer),
 * or 0 when out of memory.
 */
uint64_t sim_shm_alloc(struct sim_shm *shm);

/*
 * sim_shm_msg - the message at byte @offset of buffer @cookie, zeroed the
 * first time that offset is reached (memory nobody wrote reads as zero).
 * Returns NULL when no buffer has that cookie (OP-TEE answers EBADADDR), the
 * offset is not 8-byte aligned or a message there would not fit in the
 * buffer, or the buffer already holds SIM_SHM_MSGS messages at other
 * offsets. The message stays at its address until sim_shm_free.
 */
struct sim_msg_arg *sim_shm_msg(struct sim_shm *shm, uint64_t cookie, uint64_t offset);

#ifdef __cplusplus
}
#endif
#endif
