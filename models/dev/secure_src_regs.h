/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * models/dev/secure_src_regs.h: the register frame of a secure interrupt
 * source (models/dev/secure_src.h), the device's side of its driver ABI.
 * Plain defines, no includes: the host's device model and the guest's
 * OP-TEE driver (models/tee/guest/itr.c, freestanding) read the same map.
 * What each register does: the table in secure_src.h.
 */
#ifndef MODELS_DEV_SECURE_SRC_REGS_H
#define MODELS_DEV_SECURE_SRC_REGS_H

#define DEV_SRC_FRAME_SIZE 0x1000u
#define DEV_SRC_DATA 0x00
#define DEV_SRC_COUNT 0x04
#define DEV_SRC_CTRL 0x08
#define DEV_SRC_ACK 0x0C
#define DEV_SRC_TS 0x10
#define DEV_SRC_CTRL_RXIE (1u << 0)

#endif
