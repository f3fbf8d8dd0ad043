// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/tee/guest/itr.c: OP-TEE's native interrupts and the drivers of
 * the secure sources (models/dev/secure_src.h: their register frames).
 * The GIC handler acknowledges (IAR1, or IAR0 for Group 0), runs the
 * handler registered for the INTID and ends it (EOIR); the console-style
 * driver masks RX and sends DO_BOTTOM_HALF once notifications are started,
 * and drains in the bottom half.
 *
 * Follows OP-TEE OS (no code copied): core/drivers/gic.c
 * (gic_native_itr_handler, gic_read_iar, gic_write_eoir),
 * core/kernel/interrupt.c (interrupt_main_handler), plat-vexpress main.c
 * (console_itr_cb, yielding_console_notif) and core/drivers/pl011.c
 * (rx_intr_enable/disable); the register accesses are the abstract model's
 * (models/tee/secure_dev.c). docs/protocol.md §3.6.
 */
#include "models/tee/guest/optee_private.h"

#include "models/dev/secure_src_regs.h" /* the device's register map, as the host model has it */

uint32_t tee_abstract_dev_work(unsigned dev, uint64_t items);
uint32_t tee_abstract_dev_items(unsigned dev, uint64_t items);

static uint64_t reg(const struct optee_src *s, unsigned off) { return s->base + off; }

/* console_itr_cb: the top half of source @i. */
static void src_top_half(unsigned i)
{
	const struct optee_src *s = &optee_cfg.src[i];
	if (!notif_async_is_started()) {
		/* not started: handle the data inline */
		(void)mmio_read64(reg(s, DEV_SRC_TS));
		mmio_write32(reg(s, DEV_SRC_ACK), mmio_read32(reg(s, DEV_SRC_COUNT)));
		return;
	}
	if (s->kind == OPTEE_SRC_UART)
		mmio_write32(reg(s, DEV_SRC_CTRL), 0); /* rx_intr_disable: the level line drops */
	uint64_t ts = mmio_read64(reg(s, DEV_SRC_TS));
	notif_send_async(NOTIF_VALUE_DO_BOTTOM_HALF, ts);
}

/* Does source @i have work for the bottom half? (RX masked by the top half, or items waiting) */
static bool src_has_bottom_half(unsigned i)
{
	const struct optee_src *s = &optee_cfg.src[i];
	if (s->kind == OPTEE_SRC_UART && !(mmio_read32(reg(s, DEV_SRC_CTRL)) & DEV_SRC_CTRL_RXIE))
		return true;
	return mmio_read32(reg(s, DEV_SRC_COUNT)) > 0;
}

/* yielding_console_notif: drain the UART until it is empty, then unmask RX (the line returns for what came after). */
void secure_src_yielding_cb(unsigned ev)
{
	for (unsigned i = 0; i < optee_cfg.nsrc && i < OPTEE_MAX_SRC; i++) {
		const struct optee_src *s = &optee_cfg.src[i];
		if (ev == NOTIF_EVENT_STOPPED) {
			if (s->kind == OPTEE_SRC_UART && !(mmio_read32(reg(s, DEV_SRC_CTRL)) & DEV_SRC_CTRL_RXIE))
				mmio_write32(reg(s, DEV_SRC_CTRL), DEV_SRC_CTRL_RXIE);
			continue;
		}
		if (ev != NOTIF_EVENT_DO_BOTTOM_HALF || !src_has_bottom_half(i))
			continue;
		uint32_t items = mmio_read32(reg(s, DEV_SRC_COUNT));
		tee_abstract_dev_work(i, items); /* read_console's per-character work stays abstract */
		mmio_write32(reg(s, DEV_SRC_ACK), items);
		if (s->kind != OPTEE_SRC_UART)
			continue;
		/* read_console: while (have_rx_data) getchar(): what arrived meanwhile is read too */
		while ((items = mmio_read32(reg(s, DEV_SRC_COUNT)))) {
			tee_abstract_dev_items(i, items);
			mmio_write32(reg(s, DEV_SRC_ACK), items);
		}
		mmio_write32(reg(s, DEV_SRC_CTRL), DEV_SRC_CTRL_RXIE);
	}
}

/*
 * gic_native_itr_handler's acknowledge (gic_read_iar): IAR1, or IAR0 for
 * Group 0. Also a step of its own with tee: isa (models/tee/tee_entry.c, itr_ack).
 */
uint64_t itr_ack(void)
{
	return optee_cfg.itr_group0 ? read_sysreg(S3_0_C12_C8_0) /* ICC_IAR0_EL1 */
				    : read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
}

/* gic_native_itr_handler's end of interrupt (gic_write_eoir); a step of its own with tee: isa (itr_eoi). */
void itr_eoi(uint64_t iar)
{
	if (optee_cfg.itr_group0)
		write_sysreg(S3_0_C12_C8_1, iar);  /* ICC_EOIR0_EL1 */
	else
		write_sysreg(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1 */
	isb();
}

/*
 * gic_native_itr_handler: acknowledge, the handler registered for the
 * INTID, end of interrupt. A special INTID (1020-1023) means it went away.
 */
void itr_core_handler(void)
{
	uint64_t iar = itr_ack();
	uint32_t id = (uint32_t)iar & 0xffffff;
	if (id >= 1020)
		return;
	for (unsigned i = 0; i < optee_cfg.nsrc && i < OPTEE_MAX_SRC; i++)
		if (optee_cfg.src[i].intid == id)
			src_top_half(i);
	itr_eoi(iar);
}
