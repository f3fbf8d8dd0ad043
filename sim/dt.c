// SPDX-License-Identifier: BSD-3-Clause
/* sim/dt.c: build, compile and read the platform device tree (see dt.h). */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/dt.h"

#define GICD_BASE 0x08000000ull
#define GICD_SIZE 0x10000ull
#define GICR_BASE 0x080A0000ull
#define GICR_SIZE 0xF60000ull

int dt_build_default(const struct dt_build_cfg *c, void *buf, size_t len)
{
	void *f = buf;
	int err = 0;
#define CK(x)                            \
	do {                             \
		if (!err && (x) < 0)     \
			err = -1;        \
	} while (0)
	CK(fdt_create(f, (int)len));
	CK(fdt_finish_reservemap(f));
	CK(fdt_begin_node(f, ""));
	CK(fdt_property_string(f, "compatible", "linux,dummy-virt"));
	CK(fdt_property_u32(f, "#address-cells", 2));
	CK(fdt_property_u32(f, "#size-cells", 2));
	CK(fdt_property_u32(f, "interrupt-parent", 1));
	CK(fdt_begin_node(f, "cpus"));
	CK(fdt_property_u32(f, "#address-cells", 1));
	CK(fdt_property_u32(f, "#size-cells", 0));
	for (unsigned i = 0; i < c->cpus; i++) {
		char name[16];
		uint32_t mpidr = ((i / 16) << 8) | (i % 16);
		snprintf(name, sizeof(name), "cpu@%x", mpidr);
		CK(fdt_begin_node(f, name));
		CK(fdt_property_string(f, "device_type", "cpu"));
		CK(fdt_property_string(f, "compatible", c->cpu_compatible ? c->cpu_compatible : "arm,cortex-a53"));
		CK(fdt_property_u32(f, "reg", mpidr));
		CK(fdt_property_string(f, "enable-method", "psci"));
		CK(fdt_end_node(f));
	}
	CK(fdt_end_node(f));
	{
		static const char cl[] = "arm,psci-1.0\0arm,psci-0.2";
		CK(fdt_begin_node(f, "psci"));
		CK(fdt_property(f, "compatible", cl, sizeof(cl)));
		CK(fdt_property_string(f, "method", "smc"));
		CK(fdt_end_node(f));
	}
	{
		fdt64_t reg[4] = { cpu_to_fdt64(GICD_BASE), cpu_to_fdt64(GICD_SIZE), cpu_to_fdt64(GICR_BASE),
				   cpu_to_fdt64(GICR_SIZE) };
		fdt32_t irq[3] = { cpu_to_fdt32(1), cpu_to_fdt32(9), cpu_to_fdt32(DT_IRQ_TYPE_LEVEL_HIGH) };
		CK(fdt_begin_node(f, "interrupt-controller@8000000"));
		CK(fdt_property_string(f, "compatible", "arm,gic-v3"));
		CK(fdt_property_u32(f, "#interrupt-cells", 3));
		CK(fdt_property_u32(f, "#address-cells", 0));
		CK(fdt_property(f, "interrupt-controller", NULL, 0));
		CK(fdt_property(f, "reg", reg, sizeof(reg)));
		CK(fdt_property(f, "interrupts", irq, sizeof(irq)));
		CK(fdt_property_u32(f, "phandle", 1));
		CK(fdt_end_node(f));
	}
	for (unsigned i = 0; i < c->nsrc; i++) {
		const struct dt_secure_src *s = &c->src[i];
		char name[48];
		fdt64_t reg[2] = { cpu_to_fdt64(s->base), cpu_to_fdt64(s->size) };
		fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32((uint32_t)s->intid - 32),
				   cpu_to_fdt32(c->src_level && c->src_level[i] ? DT_IRQ_TYPE_LEVEL_HIGH
										: DT_IRQ_TYPE_EDGE_RISING) };
		snprintf(name, sizeof(name), "source@%llx", (unsigned long long)s->base);
		CK(fdt_begin_node(f, name));
		CK(fdt_property_string(f, "compatible", "tzsim,source"));
		CK(fdt_property_string(f, "tzsim,source", s->name));
		CK(fdt_property(f, "reg", reg, sizeof(reg)));
		CK(fdt_property(f, "interrupts", irq, sizeof(irq)));
		if (s->normal) {
			CK(fdt_property_string(f, "status", "okay"));
		} else {
			CK(fdt_property_string(f, "status", "disabled"));
			CK(fdt_property_string(f, "secure-status", "okay"));
		}
		CK(fdt_end_node(f));
	}
	if (c->optee) {
		CK(fdt_begin_node(f, "firmware"));
		CK(fdt_begin_node(f, "optee"));
		CK(fdt_property_string(f, "compatible", "linaro,optee-tz"));
		CK(fdt_property_string(f, "method", "smc"));
		if (c->notif_type >= 0) {
			fdt32_t irq[3] = { cpu_to_fdt32((uint32_t)c->notif_type), cpu_to_fdt32(c->notif_number),
					   cpu_to_fdt32(c->notif_flags) };
			CK(fdt_property(f, "interrupts", irq, sizeof(irq)));
		}
		CK(fdt_end_node(f));
		CK(fdt_end_node(f));
	}
	CK(fdt_end_node(f));
	CK(fdt_finish(f));
#undef CK
	return err ? -1 : (int)fdt_totalsize(f);
}

/* Run argv with stdout to @out_path and stderr captured into @err. Returns the exit status. */
static int run_tool(char *const argv[], const char *out_path, char *err, size_t errlen)
{
	int pipefd[2];
	pid_t pid;
	int status = -1;
	ssize_t n;
	size_t got = 0;

	if (pipe(pipefd) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		FILE *o = out_path ? freopen(out_path, "w", stdout) : NULL;
		(void)o;
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	err[0] = 0;
	while ((n = read(pipefd[0], err + got, errlen - 1 - got)) > 0 && got < errlen - 1)
		got += (size_t)n;
	err[got] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void first_error_line(char *err)
{
	char *p = strstr(err, "Error");
	char *nl;
	if (!p)
		p = strstr(err, "error");
	if (p) {
		/* keep dtc's "Error: file:line.col-col: msg" as "file:line.col: msg" */
		if (!strncmp(p, "Error: ", 7))
			p += 7;
		memmove(err, p, strlen(p) + 1);
	}
	nl = strchr(err, '\n');
	if (nl)
		*nl = 0;
}

int dt_load_blob(const char *path, void **blob, size_t *len, char *err, size_t errlen)
{
	unsigned char magic[4];
	FILE *f = fopen(path, "rb");
	long sz;
	int rc;
	if (!f)
		return 0; /* dt_compile reports the open error the way cpp does */
	if (fread(magic, 1, 4, f) != 4 || fdt32_to_cpu(*(const fdt32_t *)magic) != FDT_MAGIC) {
		fclose(f);
		return 0;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || (unsigned long)sz > DT_MAX_BLOB) {
		snprintf(err, errlen, "%s: a compiled device tree larger than %u bytes (or unreadable)", path, DT_MAX_BLOB);
		fclose(f);
		return -1;
	}
	rewind(f);
	*blob = malloc(sz ? (size_t)sz : 1);
	if (!*blob || fread(*blob, 1, (size_t)sz, f) != (size_t)sz) {
		snprintf(err, errlen, "%s: cannot read the compiled device tree", path);
		free(*blob);
		*blob = NULL;
		fclose(f);
		return -1;
	}
	fclose(f);
	if ((rc = fdt_check_header(*blob)) != 0 || fdt_totalsize(*blob) > (uint32_t)sz) {
		snprintf(err, errlen, "%s: not a valid DTB (%s)", path, rc ? fdt_strerror(rc) : "truncated");
		free(*blob);
		*blob = NULL;
		return -1;
	}
	*len = (size_t)sz;
	return 1;
}

int dt_compile(const char *path, void **blob, size_t *len, char *err, size_t errlen)
{
	char pp[] = "/tmp/tzsim-dts-XXXXXX", out[] = "/tmp/tzsim-dtb-XXXXXX";
	int fd1 = mkstemp(pp), fd2 = mkstemp(out), rc = -1;
	FILE *f;
	long sz;
	if (fd1 < 0 || fd2 < 0) {
		snprintf(err, errlen, "%s: cannot make a temporary file", path);
		goto done;
	}
	close(fd1);
	close(fd2);
	{
		char *cpp_argv[] = { "cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-P",
				     (char *)path, NULL };
		if (run_tool(cpp_argv, pp, err, errlen) != 0) {
			first_error_line(err);
			goto done;
		}
	}
	{
		char *dtc_argv[] = { "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, pp, NULL };
		if (run_tool(dtc_argv, NULL, err, errlen) != 0) {
			first_error_line(err);
			/* dtc names the preprocessed temp file; name the user's file instead */
			char *p = strstr(err, pp);
			if (p) {
				char tail[512];
				snprintf(tail, sizeof(tail), "%s", p + strlen(pp));
				snprintf(err, errlen, "%s%s (line numbers after preprocessing)", path, tail);
			}
			goto done;
		}
	}
	f = fopen(out, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: dtc produced no output", path);
		goto done;
	}
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	*blob = malloc(sz > 0 ? (size_t)sz : 1);
	if (*blob && fread(*blob, 1, (size_t)sz, f) == (size_t)sz) {
		*len = (size_t)sz;
		rc = 0;
	} else {
		free(*blob);
		*blob = NULL;
		snprintf(err, errlen, "%s: cannot read the compiled DTB", path);
	}
	fclose(f);
done:
	unlink(pp);
	unlink(out);
	return rc;
}

static const fdt32_t *prop_cells(const void *fdt, int node, const char *name, int *ncells)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	if (!p) {
		*ncells = 0;
		return NULL;
	}
	*ncells = len / 4;
	return p;
}

/* The interrupt parent of @node: its own or an ancestor's interrupt-parent phandle. */
static int irq_parent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
		int len;
		const fdt32_t *ph = fdt_getprop(fdt, n, "interrupt-parent", &len);
		if (ph && len == 4)
			return fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
		if (n == 0)
			break;
	}
	return -FDT_ERR_NOTFOUND;
}

const struct dt_secure_src *dt_secure_src_find(const struct dt_platform *p, const char *name)
{
	for (unsigned i = 0; i < p->nsrc; i++)
		if (!strcmp(p->src[i].name, name))
			return &p->src[i];
	return NULL;
}

/* The nodes compatible with "tzsim,source": name, first reg region, first SPI. */
static int parse_secure_sources(const void *fdt, struct dt_platform *o, char *err, size_t errlen)
{
	int node;
	for (node = fdt_node_offset_by_compatible(fdt, -1, "tzsim,source"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "tzsim,source")) {
		struct dt_secure_src *s;
		const char *name = fdt_getprop(fdt, node, "tzsim,source", NULL);
		int ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
		int sc = fdt_size_cells(fdt, fdt_parent_offset(fdt, node));
		int n;
		const fdt32_t *cells = prop_cells(fdt, node, "reg", &n);
		const char *nn = fdt_get_name(fdt, node, NULL);
		uint64_t v[2] = { 0, 0 };
		if (o->nsrc == DT_MAX_SECURE_SRC) {
			snprintf(err, errlen, "%s: more than %d tzsim,source nodes", nn, DT_MAX_SECURE_SRC);
			return -1;
		}
		if (!name || !cells || ac < 1 || ac > 2 || sc < 1 || sc > 2 || n < ac + sc) {
			snprintf(err, errlen, "%s: a tzsim,source needs tzsim,source and reg", nn);
			return -1;
		}
		for (int k = 0, i = 0; k < 2; k++)
			for (int j = 0; j < (k ? sc : ac); j++)
				v[k] = (v[k] << 32) | fdt32_to_cpu(cells[i++]);
		s = &o->src[o->nsrc++];
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->base = v[0];
		s->size = v[1];
		cells = prop_cells(fdt, node, "interrupts", &n);
		s->intid = cells && n == 3 && fdt32_to_cpu(cells[0]) == 0 ? (int)fdt32_to_cpu(cells[1]) + 32 : -1;
		{
			const char *st = fdt_getprop(fdt, node, "status", NULL);
			s->normal = !st || !strcmp(st, "okay") || !strcmp(st, "ok");
		}
	}
	return 0;
}

int dt_parse(const void *fdt, struct dt_platform *o, char *err, size_t errlen)
{
	int cpus, c, gic, node, len, n;
	const fdt32_t *cells;
	const char *s;

	memset(o, 0, sizeof(*o));
	o->notif_intid = -1;
	if (fdt_check_header(fdt) != 0) {
		snprintf(err, errlen, "not a valid DTB (%s)", fdt_strerror(fdt_check_header(fdt)));
		return -1;
	}
	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0) {
		snprintf(err, errlen, "/cpus: node missing");
		return -1;
	}
	fdt_for_each_subnode(c, fdt, cpus)
	{
		const char *dt = fdt_getprop(fdt, c, "device_type", NULL);
		if (dt && !strcmp(dt, "cpu"))
			o->cpus++;
	}
	if (o->cpus == 0 || o->cpus > 64) {
		snprintf(err, errlen, "/cpus: %u cpu nodes (1 to 64 supported)", o->cpus);
		return -1;
	}
	gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (gic < 0) {
		snprintf(err, errlen, "no arm,gic-v3 interrupt controller");
		return -1;
	}
	{
		int ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, gic));
		int sc = fdt_size_cells(fdt, fdt_parent_offset(fdt, gic));
		uint64_t v[4] = { 0 };
		cells = prop_cells(fdt, gic, "reg", &n);
		if (!cells || ac < 1 || ac > 2 || sc < 1 || sc > 2 || n < 2 * (ac + sc)) {
			snprintf(err, errlen, "%s: reg must hold the GICD and GICR regions", fdt_get_name(fdt, gic, NULL));
			return -1;
		}
		for (int k = 0, i = 0; k < 4; k++) {
			int w = (k % 2 == 0) ? ac : sc;
			for (int j = 0; j < w; j++)
				v[k] = (v[k] << 32) | fdt32_to_cpu(cells[i++]);
		}
		o->gicd_base = v[0];
		o->gicr_base = v[2];
		o->gicr_size = v[3];
		if (o->gicr_size < (uint64_t)o->cpus * 0x20000) {
			snprintf(err, errlen, "%s: the GICR region (0x%llx bytes) is too small for %u CPUs",
				 fdt_get_name(fdt, gic, NULL), (unsigned long long)o->gicr_size, o->cpus);
			return -1;
		}
	}
	if (parse_secure_sources(fdt, o, err, errlen) != 0)
		return -1;
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	s = node >= 0 ? fdt_getprop(fdt, node, "method", &len) : NULL;
	o->psci_smc = s && !strcmp(s, "smc");
	if (!o->psci_smc) {
		snprintf(err, errlen, "/psci: method must be \"smc\" (the EL3 monitor is reached by SMC)");
		return -1;
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "linaro,optee-tz");
	if (node < 0)
		return 0;
	o->optee = true;
	s = fdt_getprop(fdt, node, "method", &len);
	o->optee_method_smc = s && !strcmp(s, "smc");
	cells = prop_cells(fdt, node, "interrupts", &n);
	if (!cells)
		return 0;
	{
		char path[128];
		int parent = irq_parent(fdt, node);
		int icells;
		const fdt32_t *ic;
		fdt_get_path(fdt, node, path, sizeof(path));
		if (parent < 0) {
			snprintf(err, errlen, "%s: interrupts: no interrupt-parent", path);
			return -1;
		}
		if (fdt_node_check_compatible(fdt, parent, "arm,gic-v3") != 0) {
			snprintf(err, errlen, "%s: interrupt-parent is not an arm,gic-v3", path);
			return -1;
		}
		ic = prop_cells(fdt, parent, "#interrupt-cells", &icells);
		if (!ic || icells != 1 || fdt32_to_cpu(*ic) != 3 || n != 3) {
			snprintf(err, errlen, "%s: interrupts must have 3 cells (type, number, flags)", path);
			return -1;
		}
		uint32_t type = fdt32_to_cpu(cells[0]), num = fdt32_to_cpu(cells[1]);
		uint32_t flags = fdt32_to_cpu(cells[2]) & 0xf;
		if (type == 0 && num <= 987)
			o->notif_intid = (int)num + 32;
		else if (type == 1 && num <= 15)
			o->notif_intid = (int)num + 16, o->notif_percpu = true;
		else {
			snprintf(err, errlen, "%s: interrupts: type %u number %u is not a GIC SPI or PPI", path, type, num);
			return -1;
		}
		if (flags != DT_IRQ_TYPE_EDGE_RISING && flags != DT_IRQ_TYPE_LEVEL_HIGH) {
			snprintf(err, errlen, "%s: interrupts: flags 0x%x: GICv3 takes edge-rising (1) or level-high (4)",
				 path, flags);
			return -1;
		}
		o->notif_level = flags == DT_IRQ_TYPE_LEVEL_HIGH;
	}
	return 0;
}
