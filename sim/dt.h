/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/dt.h: the platform's device tree, built or compiled, then read with
 * libfdt the way Linux reads it: /cpus, the arm,gic-v3 node's reg (GICD,
 * GICR), psci's method, and the linaro,optee-tz node's method and
 * `interrupts` (the GIC's 3-cell binding: type 0 SPI / 1 PPI, number,
 * flags; INTID = number + 32 or + 16), resolving interrupt-parent; and the
 * secure sources' register frames: nodes compatible with
 * "tzsim,source" (status "disabled", secure-status "okay", as the
 * secure-only devices of QEMU's virt board are described), named by their
 * "tzsim,source" property.
 */
#ifndef SIM_DT_H
#define SIM_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DT_IRQ_TYPE_EDGE_RISING 1
#define DT_IRQ_TYPE_LEVEL_HIGH 4

/* Where the built-in platform puts the secure sources' frames: QEMU virt's secure UART, then up. */
#define DT_SECURE_SRC_BASE 0x09040000ull
#define DT_SECURE_SRC_STRIDE 0x1000ull
#define DT_MAX_SECURE_SRC 32

struct dt_secure_src {
	char name[32];            /* the scenario source it is ("tzsim,source") */
	uint64_t base, size;
	int intid;                /* its SPI, -1 when the node has no interrupts */
	bool normal;              /* a normal-world device (status "okay"); else secure-status "okay" */
};

struct dt_build_cfg {
	unsigned cpus;
	const char *cpu_compatible;   /* "arm,cortex-a53" */
	bool optee;
	int notif_type;               /* 0 SPI, 1 PPI, -1 no interrupts property */
	unsigned notif_number;        /* SPI: INTID - 32; PPI: INTID - 16 */
	unsigned notif_flags;         /* DT_IRQ_TYPE_* */
	const struct dt_secure_src *src; /* secure sources to describe */
	unsigned nsrc;
	const bool *src_level;        /* per source: level-high (else edge-rising) */
};

struct dt_platform {
	unsigned cpus;
	uint64_t gicd_base, gicr_base, gicr_size;
	bool psci_smc;
	bool optee;
	bool optee_method_smc;
	int notif_intid;              /* -1 when the node has no interrupts */
	bool notif_percpu;            /* a PPI */
	bool notif_level;
	struct dt_secure_src src[DT_MAX_SECURE_SRC];
	unsigned nsrc;
};

/* The secure source named @name in @p, or NULL. */
const struct dt_secure_src *dt_secure_src_find(const struct dt_platform *p, const char *name);

/* Build the built-in QEMU-virt-like platform into @buf. Returns the DTB size, or -1. */
int dt_build_default(const struct dt_build_cfg *c, void *buf, size_t len);

/*
 * The toolchain's bounds. A DTS is a regular file of at most
 * DT_MAX_DTS_BYTES. cpp and dtc each run in their own process group, with
 * stdin from /dev/null, at most DT_TOOL_MAX_AS of address space, output
 * files of at most DT_TOOL_MAX_OUTPUT (an #include or /incbin/ of a device
 * or a huge file stops there), and DT_TOOL_TIMEOUT_S seconds (CPU and
 * wall); the group is killed on every path out, and on a signal
 * (sim/kernel/cleanup.h). The DTB read back is at most DT_MAX_DTB_BYTES.
 */
#define DT_MAX_DTS_BYTES (1u << 20)
#define DT_MAX_DTB_BYTES (1u << 20)
#define DT_TOOL_MAX_AS (1ull << 30)
#define DT_TOOL_MAX_OUTPUT (16ull << 20)
#define DT_TOOL_TIMEOUT_S 10

/*
 * dt_compile - preprocess (cpp) and compile (dtc) the DTS at @path into a
 * malloc'd DTB. #include (cpp) and /include/, /incbin/ (dtc) resolve
 * relative to the DTS's directory, as dtc resolves them for a file it
 * reads itself. Returns 0, or -1 with a message in @err: the DTS is not a
 * regular file of bounded size; cpp's or dtc's first error line (naming
 * @path and its line, after preprocessing); a tool that could not start,
 * timed out, crashed or exceeded a bound.
 */
int dt_compile(const char *path, void **blob, size_t *len, char *err, size_t errlen);

/*
 * dt_load_blob - if the file at @path is a compiled device tree (it starts
 * with the FDT magic), read it into a malloc'd buffer (at most
 * DT_MAX_BLOB bytes) and return 1; return 0 when it is not a DTB (a DTS
 * to compile), or -1 with "path: what is wrong" in @err.
 */
#define DT_MAX_BLOB (1u << 20)
int dt_load_blob(const char *path, void **blob, size_t *len, char *err, size_t errlen);

/* Read a DTB that tzsim built or checked. Returns 0, or -1 with "what is wrong" (and the node path) in @err. */
int dt_parse(const void *fdt, struct dt_platform *o, char *err, size_t errlen);
/*
 * dt_parse of a blob of @len bytes from outside. Before libfdt walks it, tzsim walks it itself
 * with checked arithmetic (libfdt 1.6.1, Debian 12's, loops for ever in fdt_check_full on a
 * property length that wraps the offset, and dereferences NULL on a version-1..15 root name):
 * at most DT_MAX_BLOB bytes, version 16 or 17, every block and property inside the blob,
 * nodes nested at most DT_MAX_DEPTH deep (Linux's unflatten_dt_nodes skips deeper ones:
 * FDT_MAX_DEPTH in drivers/of/fdt.c); then fdt_check_full.
 */
#define DT_MAX_DEPTH 64
int dt_parse_blob(const void *fdt, size_t len, struct dt_platform *out, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
