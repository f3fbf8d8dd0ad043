// SPDX-License-Identifier: BSD-3-Clause
/* sim/dt.c: build, compile and read the platform device tree (see dt.h). */
#include <errno.h>
#include <fcntl.h>
#include <libfdt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/kernel/cleanup.h"
#include "sim/dt.h"
#include "sim/kernel/infile.h"
#include "sim/kernel/err.h"

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

/* ---- the toolchain: cpp, then dtc, each a bounded child ------------------------------------- */

/* A tool's error output kept for the message; the rest is read and dropped (never a SIGPIPE). */
#define TOOL_ERR_KEEP 4096

/*
 * Run @argv with stdin from /dev/null, stdout to @out_path (or /dev/null)
 * and stderr captured (the first TOOL_ERR_KEEP bytes, NUL-terminated, into
 * @errbuf). The child runs in its own process group under the limits of
 * dt.h (address space, output file size, CPU time); the parent kills the
 * group when DT_TOOL_TIMEOUT_S pass, and on every path out. Returns the
 * exit status, or -1 with @why set (could not start, killed by a signal,
 * timed out).
 */
static int run_tool(char *const argv[], const char *out_path, char *errbuf, const char **why)
{
	int pipefd[2], status = 0;
	size_t got = 0;
	pid_t pid;
	struct timespec t0, now;

	*why = NULL;
	errbuf[0] = 0;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		*why = "cannot make a pipe";
		return -1;
	}
	fflush(NULL);
	/* no signal between the fork and the registration: a child is never missed by the handler */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		close(pipefd[0]);
		close(pipefd[1]);
		*why = "cannot fork";
		return -1;
	}
	if (pid == 0) {
		struct rlimit as = { DT_TOOL_MAX_AS, DT_TOOL_MAX_AS }, fsz = { DT_TOOL_MAX_OUTPUT, DT_TOOL_MAX_OUTPUT },
			      cpu = { DT_TOOL_TIMEOUT_S, DT_TOOL_TIMEOUT_S + 1 };
		int in = open("/dev/null", O_RDONLY), out;
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600) : open("/dev/null", O_WRONLY);
		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(pipefd[1], 2) < 0)
			_exit(126);
		/* bound the child, never tzsim itself (Unicorn and ASan reserve much address space) */
		setrlimit(RLIMIT_AS, &as);
		setrlimit(RLIMIT_FSIZE, &fsz);
		setrlimit(RLIMIT_CPU, &cpu);
		execvp(argv[0], argv);
		dprintf(2, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid); /* also here: no window where a kill of the group misses it */
	cleanup_add_group(pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pipefd[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pfd = { pipefd[0], POLLIN, 0 };
		char drop[4096];
		long left_ms;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left_ms = DT_TOOL_TIMEOUT_S * 1000L - ((now.tv_sec - t0.tv_sec) * 1000L + (now.tv_nsec - t0.tv_nsec) / 1000000L);
		if (left_ms <= 0) {
			*why = "timed out";
			break;
		}
		int pr = poll(&pfd, 1, (int)left_ms);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue; /* the deadline is checked above */
		ssize_t n = got < TOOL_ERR_KEEP - 1 ? read(pipefd[0], errbuf + got, TOOL_ERR_KEEP - 1 - got)
						     : read(pipefd[0], drop, sizeof(drop));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* every writer closed stderr: the tool is done */
		if (got < TOOL_ERR_KEEP - 1)
			got += (size_t)n;
	}
	errbuf[got] = 0;
	close(pipefd[0]);
	kill(-pid, SIGKILL); /* whatever is left of the group: a timeout, or children of the tool */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cleanup_forget_group(pid);
	if (*why)
		return -1;
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		*why = sig == SIGXFSZ ? "its output exceeded the limit"
		       : sig == SIGXCPU || sig == SIGKILL ? "it ran out of time"
		       : sig == SIGSEGV || sig == SIGABRT ? "it crashed or ran out of memory"
							 : "killed by a signal";
		return -1;
	}
	return WEXITSTATUS(status);
}

/* The first line of @err holding "error" (dtc's "Error: file:line.col-col: msg" as "file:line.col: msg"). */
static void first_error_line(char *err)
{
	/* the earliest of dtc's "Error: " / "FATAL ERROR: " and cpp's "error" */
	static const char *const marks[] = { "Error", "ERROR: ", "error" };
	char *p = NULL, *nl;
	for (int i = 0; i < 3; i++) {
		char *q = strstr(err, marks[i]);
		if (q && (!p || q < p))
			p = q;
	}
	if (p) {
		char *ls = p;
		while (ls > err && ls[-1] != '\n')
			ls--;
		if (!strncmp(ls, "Error: ", 7))
			p = ls + 7; /* dtc: "Error: file:line.col-col: msg" */
		else if (!strncmp(ls, "FATAL ERROR: ", 13))
			p = ls + 13;
		else
			p = ls; /* cpp: "file:line:col: error: msg", the whole line */
		memmove(err, p, strlen(p) + 1);
	}
	while (*err == '\n' || *err == '\r' || *err == ' ')
		memmove(err, err + 1, strlen(err));
	nl = strchr(err, '\n');
	if (nl)
		*nl = 0;
}

int dt_load_blob(const char *path, void **blob, size_t *len, char *err, size_t errlen)
{
	char *buf;
	size_t n;
	int rc;
	/* only a regular file of bounded size is read at all (sim/kernel/infile.h) */
	if (sim_read_file(path, DT_MAX_BLOB, &buf, &n, err, errlen) != 0)
		return -1;
	if (n < 4 || fdt32_to_cpu(*(const fdt32_t *)buf) != FDT_MAGIC) {
		free(buf);
		return 0; /* a DTS: cpp and dtc */
	}
	if (n < 40 || (rc = fdt_check_header(buf)) != 0 || fdt_totalsize(buf) > n) {
		if (n < 40 || rc)
			snprintf(err, errlen, "%s: not a valid DTB (%s)", path,
				 n < 40 ? "shorter than its header" : fdt_strerror(rc));
		else
			snprintf(err, errlen, "%s: not a valid DTB (totalsize %u, the file has %zu bytes)", path,
				 fdt_totalsize(buf), n);
		free(buf);
		return -1;
	}
	*blob = buf;
	*len = n;
	return 1;
}

/* Replace every @from in @s (of @size bytes) with @to, truncating at @size. */
static void replace_all(char *s, size_t size, const char *from, const char *to)
{
	char out[TOOL_ERR_KEEP + 1024];
	size_t u = 0, fl = strlen(from);
	const char *p = s;
	if (!fl)
		return;
	while (*p && u < sizeof(out) - 1) {
		if (!strncmp(p, from, fl)) {
			u += (size_t)snprintf(out + u, sizeof(out) - u, "%s", to);
			if (u >= sizeof(out))
				u = sizeof(out) - 1;
			p += fl;
		} else {
			out[u++] = *p++;
		}
	}
	out[u] = 0;
	snprintf(s, size, "%s", out);
}

/*
 * The message for a tool that exited with an error: its first error line,
 * naming @path where it named the DTS by its absolute path @abs or the
 * preprocessed file @pp (then line numbers count after preprocessing),
 * and starting with @path.
 */
static void tool_message(char *tool_err, size_t size, const char *abs, const char *pp, const char *path,
			 const char *tool, char *err, size_t errlen)
{
	bool pre;
	first_error_line(tool_err);
	pre = strstr(tool_err, pp) != NULL;
	replace_all(tool_err, size, pp, path);
	replace_all(tool_err, size, abs, path);
	if (!tool_err[0])
		snprintf(err, errlen, "%s: %s failed", path, tool);
	else if (strncmp(tool_err, path, strlen(path)) != 0)
		snprintf(err, errlen, "%s: %s: %s", path, tool, tool_err);
	else
		snprintf(err, errlen, "%s%s", tool_err, pre ? " (line numbers after preprocessing)" : "");
}

int dt_compile(const char *path, void **blob, size_t *len, char *err, size_t errlen)
{
	char abs[PATH_MAX], dir[PATH_MAX], work[PATH_MAX], pp[PATH_MAX + 16], out[PATH_MAX + 16];
	const char *tmpdir = getenv("TMPDIR");
	char tool_err[TOOL_ERR_KEEP + 1024];
	const char *why;
	int rc = -1, slot_dir = -1, slot_pp = -1, slot_out = -1, st;
	char *data = NULL;
	size_t dlen = 0;

	*blob = NULL;
	*len = 0;
	/* a regular file of bounded size: not stdin ("-"), a FIFO, a device or a directory */
	if (sim_check_file(path, DT_MAX_DTS_BYTES, err, errlen) != 0)
		return -1;
	/* an absolute path: a name starting with '-' is never taken as an option */
	if (!realpath(path, abs)) {
		return sim_fail(err, errlen, "%s: cannot resolve: %s", path, strerror(errno));
	}
	snprintf(dir, sizeof(dir), "%s", abs);
	*strrchr(dir, '/') = 0;
	if (!dir[0])
		snprintf(dir, sizeof(dir), "/");
	/* $TMPDIR as mkstemp users expect (an absolute one), else /tmp */
	if (!tmpdir || tmpdir[0] != '/' || strlen(tmpdir) > PATH_MAX - 32)
		tmpdir = "/tmp";
	snprintf(work, sizeof(work), "%s/tzsim-dt-XXXXXX", tmpdir);
	if (!mkdtemp(work)) {
		return sim_fail(err, errlen, "%s: cannot make a temporary directory: %s", path, strerror(errno));
	}
	snprintf(pp, sizeof(pp), "%s/pp.dts", work);
	snprintf(out, sizeof(out), "%s/out.dtb", work);
	slot_dir = cleanup_add_path(work, true);
	slot_pp = cleanup_add_path(pp, false);
	slot_out = cleanup_add_path(out, false);
	{
		/* #include resolves next to the DTS (-I), as the kernel's dtc_cpp_flags do; the gcc
		 * driver has no "--", so the DTS is named by its absolute path (never an option) */
		char *cpp_argv[] = { "cpp", "-nostdinc", "-undef", "-x", "assembler-with-cpp", "-P", "-I", dir,
				     abs, NULL };
		st = run_tool(cpp_argv, pp, tool_err, &why);
		if (st != 0) {
			if (why)
				snprintf(err, errlen, "%s: the C preprocessor failed: %s", path, why);
			else
				tool_message(tool_err, sizeof(tool_err), abs, pp, path, "the C preprocessor", err, errlen);
			goto done;
		}
	}
	{
		/* /include/ and /incbin/ resolve next to the DTS (-i), as dtc does for the file itself */
		char *dtc_argv[] = { "dtc", "-q", "-I", "dts", "-O", "dtb", "-i", dir, "-o", out, pp, NULL };
		st = run_tool(dtc_argv, NULL, tool_err, &why);
		if (st != 0) {
			if (why)
				snprintf(err, errlen, "%s: dtc failed: %s", path, why);
			else /* dtc names the preprocessed file: the message names the user's file instead */
				tool_message(tool_err, sizeof(tool_err), abs, pp, path, "dtc", err, errlen);
			goto done;
		}
	}
	if (sim_read_file(out, DT_MAX_DTB_BYTES, &data, &dlen, tool_err, sizeof(tool_err)) != 0) {
		snprintf(err, errlen, "%s: the compiled device tree: %s", path, tool_err);
		goto done;
	}
	*blob = data;
	*len = dlen;
	rc = 0;
done:
	unlink(pp);
	unlink(out);
	rmdir(work);
	cleanup_forget_path(slot_out);
	cleanup_forget_path(slot_pp);
	cleanup_forget_path(slot_dir);
	return rc;
}

/* A string property: NULL when absent or not NUL-terminated inside the property. */
static const char *prop_str(const void *fdt, int node, const char *name)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);
	return p && len > 0 && memchr(p, 0, (size_t)len) ? p : NULL;
}

/* The node's name for messages (never read past the blob: fdt_get_name's length is used). */
static void node_name(const void *fdt, int node, char *buf, size_t size)
{
	int len = 0;
	const char *n = fdt_get_name(fdt, node, &len);
	snprintf(buf, size, "%.*s", n && len > 0 ? (len > 120 ? 120 : len) : 1, n && len > 0 ? n : "?");
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
		const char *name = prop_str(fdt, node, "tzsim,source");
		int ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
		int sc = fdt_size_cells(fdt, fdt_parent_offset(fdt, node));
		int n;
		const fdt32_t *cells = prop_cells(fdt, node, "reg", &n);
		char nn[128];
		uint64_t v[2] = { 0, 0 };
		node_name(fdt, node, nn, sizeof(nn));
		if (o->nsrc == DT_MAX_SECURE_SRC) {
			return sim_fail(err, errlen, "%s: more than %d tzsim,source nodes", nn, DT_MAX_SECURE_SRC);
		}
		if (!name || !cells || ac < 1 || ac > 2 || sc < 1 || sc > 2 || n < ac + sc) {
			return sim_fail(err, errlen, "%s: a tzsim,source needs tzsim,source and reg", nn);
		}
		for (int k = 0, i = 0; k < 2; k++)
			for (int j = 0; j < (k ? sc : ac); j++)
				v[k] = (v[k] << 32) | fdt32_to_cpu(cells[i++]);
		s = &o->src[o->nsrc++];
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->base = v[0];
		s->size = v[1];
		cells = prop_cells(fdt, node, "interrupts", &n);
		s->intid = -1;
		if (cells && n == 3 && fdt32_to_cpu(cells[0]) == 0) {
			uint32_t num = fdt32_to_cpu(cells[1]);
			/* SPIs are INTIDs 32..1019 (IHI 0069, 2.2): number 0..987, as for the notification node */
			if (num > 987)
				return sim_fail(err, errlen, "%s: interrupts: type 0 number %u is not a GIC SPI", nn, num);
			s->intid = (int)num + 32;
		}
		{
			const char *st = fdt_getprop(fdt, node, "status", NULL);
			s->normal = !st || !strcmp(st, "okay") || !strcmp(st, "ok");
		}
	}
	return 0;
}

int dt_parse(const void *fdt, struct dt_platform *o, char *err, size_t errlen)
{
	int cpus, c, gic, node, n;
	const fdt32_t *cells;
	const char *s;

	memset(o, 0, sizeof(*o));
	o->notif_intid = -1;
	if (fdt_check_header(fdt) != 0) {
		return sim_fail(err, errlen, "not a valid DTB (%s)", fdt_strerror(fdt_check_header(fdt)));
	}
	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0) {
		return sim_fail(err, errlen, "/cpus: node missing");
	}
	fdt_for_each_subnode(c, fdt, cpus)
	{
		const char *dt = prop_str(fdt, c, "device_type");
		if (dt && !strcmp(dt, "cpu"))
			o->cpus++;
	}
	if (o->cpus == 0 || o->cpus > 64) {
		return sim_fail(err, errlen, "/cpus: %u cpu nodes (1 to 64 supported)", o->cpus);
	}
	gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (gic < 0) {
		return sim_fail(err, errlen, "no arm,gic-v3 interrupt controller");
	}
	{
		int ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, gic));
		int sc = fdt_size_cells(fdt, fdt_parent_offset(fdt, gic));
		uint64_t v[4] = { 0 };
		cells = prop_cells(fdt, gic, "reg", &n);
		if (!cells || ac < 1 || ac > 2 || sc < 1 || sc > 2 || n < 2 * (ac + sc)) {
			char nn[128];
			node_name(fdt, gic, nn, sizeof(nn));
			return sim_fail(err, errlen, "%s: reg must hold the GICD and GICR regions", nn);
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
			char nn[128];
			node_name(fdt, gic, nn, sizeof(nn));
			return sim_fail(err, errlen, "%s: the GICR region (0x%llx bytes) is too small for %u CPUs", nn,
				 (unsigned long long)o->gicr_size, o->cpus);
		}
	}
	if (parse_secure_sources(fdt, o, err, errlen) != 0)
		return -1;
	node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	s = node >= 0 ? prop_str(fdt, node, "method") : NULL;
	o->psci_smc = s && !strcmp(s, "smc");
	if (!o->psci_smc) {
		return sim_fail(err, errlen, "/psci: method must be \"smc\" (the EL3 monitor is reached by SMC)");
	}
	node = fdt_node_offset_by_compatible(fdt, -1, "linaro,optee-tz");
	if (node < 0)
		return 0;
	o->optee = true;
	s = prop_str(fdt, node, "method");
	o->optee_method_smc = s && !strcmp(s, "smc");
	cells = prop_cells(fdt, node, "interrupts", &n);
	if (!cells)
		return 0;
	{
		char path[128];
		int parent = irq_parent(fdt, node);
		int icells;
		const fdt32_t *ic;
		/* a path too long for the buffer leaves it unterminated: use libfdt's verdict */
		if (fdt_get_path(fdt, node, path, sizeof(path)) != 0)
			node_name(fdt, node, path, sizeof(path));
		if (parent < 0) {
			return sim_fail(err, errlen, "%s: interrupts: no interrupt-parent", path);
		}
		if (fdt_node_check_compatible(fdt, parent, "arm,gic-v3") != 0) {
			return sim_fail(err, errlen, "%s: interrupt-parent is not an arm,gic-v3", path);
		}
		ic = prop_cells(fdt, parent, "#interrupt-cells", &icells);
		if (!ic || icells != 1 || fdt32_to_cpu(*ic) != 3 || n != 3) {
			return sim_fail(err, errlen, "%s: interrupts must have 3 cells (type, number, flags)", path);
		}
		uint32_t type = fdt32_to_cpu(cells[0]), num = fdt32_to_cpu(cells[1]);
		uint32_t flags = fdt32_to_cpu(cells[2]) & 0xf;
		if (type == 0 && num <= 987)
			o->notif_intid = (int)num + 32;
		else if (type == 1 && num <= 15)
			o->notif_intid = (int)num + 16, o->notif_percpu = true;
		else {
			return sim_fail(err, errlen, "%s: interrupts: type %u number %u is not a GIC SPI or PPI", path, type, num);
		}
		if (flags != DT_IRQ_TYPE_EDGE_RISING && flags != DT_IRQ_TYPE_LEVEL_HIGH) {
			return sim_fail(err, errlen, "%s: interrupts: flags 0x%x: GICv3 takes edge-rising (1) or level-high (4)",
				 path, flags);
		}
		o->notif_level = flags == DT_IRQ_TYPE_LEVEL_HIGH;
	}
	return 0;
}

static uint32_t be32_at(const unsigned char *b, uint64_t off)
{
	return (uint32_t)b[off] << 24 | (uint32_t)b[off + 1] << 16 | (uint32_t)b[off + 2] << 8 | b[off + 3];
}

/*
 * Walk a blob from outside before any libfdt function beyond fdt_check_header sees it. Debian 12's
 * libfdt 1.6.1 is not safe on hostile blobs: fdt_next_tag adds a property's 32-bit length to
 * the offset unchecked, so a length of 0xfffffff4 brings the offset back to the same tag and
 * fdt_check_full loops for ever (fixed upstream in dtc v1.7.0, 73590342 "libfdt: prevent
 * integer overflow in fdt_next_tag"), and fdt_check_full dereferences the NULL that
 * fdt_get_name returns for a bad root node name (v1.7.0, fda71da2 "libfdt: Handle failed
 * get_name() on BEGIN_NODE"; a version below 16 gets there). Every step here advances by at
 * least one tag, in 64-bit arithmetic bounded by the block, so the walk ends in at most
 * len / 4 steps. Returns 0, or -1 with what is wrong and the struct-block offset in @err.
 */
static int dt_walk_blob(const void *fdt, size_t len, char *err, size_t errlen)
{
	const unsigned char *b = fdt;
	uint64_t total, soff, ssize, stroff, strsize, rsv, p, steps = 0;
	uint32_t version, tag;
	unsigned depth = 0;
	bool root_done = false;
	int rc;
	if (len < 40) { /* the version-17 header */
		snprintf(err, errlen, "not a valid DTB (too short: %zu bytes, the header alone is 40)", len);
		return -1;
	}
	if ((rc = fdt_check_header(fdt)) != 0) {
		snprintf(err, errlen, "not a valid DTB (%s)", fdt_strerror(rc));
		return -1;
	}
	version = be32_at(b, 20);
	if (version < 16) {
		snprintf(err, errlen, "not a valid DTB (version %u: tzsim reads versions 16 and 17, as dtc writes)",
			 version);
		return -1;
	}
	total = be32_at(b, 4);
	soff = be32_at(b, 8);
	stroff = be32_at(b, 12);
	rsv = be32_at(b, 16);
	strsize = be32_at(b, 32);
	ssize = version >= 17 ? be32_at(b, 36) : (soff <= total ? total - soff : 0);
	if (len > DT_MAX_BLOB || total > len) {
		snprintf(err, errlen, "not a valid DTB (totalsize %llu, the blob has %zu bytes, at most %u)",
			 (unsigned long long)total, len, DT_MAX_BLOB);
		return -1;
	}
	if (soff % 4 || rsv % 8 || soff + ssize > total || stroff + strsize > total || rsv + 16 > total) {
		snprintf(err, errlen, "not a valid DTB (a block is misaligned or outside totalsize %llu)",
			 (unsigned long long)total);
		return -1;
	}
	/* the memory reservation map: 16-byte entries up to one of size 0, inside the blob */
	for (p = rsv;; p += 16) {
		if (p + 16 > total) {
			snprintf(err, errlen, "not a valid DTB (the memory reservation map has no end)");
			return -1;
		}
		if (!be32_at(b, p + 8) && !be32_at(b, p + 12))
			break;
	}
	for (p = 0; p + 4 <= ssize; steps++) {
		const unsigned char *s = b + soff;
		tag = be32_at(s, p);
		if (root_done && tag != FDT_NOP && tag != FDT_END)
			goto bad_struct; /* a second root node */
		switch (tag) {
		case FDT_BEGIN_NODE: {
			const unsigned char *nul = memchr(s + p + 4, 0, ssize - (p + 4));
			if (!nul)
				goto bad_struct;
			if (++depth > DT_MAX_DEPTH) {
				snprintf(err, errlen, "not a valid DTB (nodes nested deeper than %d at struct offset %llu)",
					 DT_MAX_DEPTH, (unsigned long long)p);
				return -1;
			}
			if (depth == 1 && nul != s + p + 4)
				goto bad_struct; /* the root node's name is empty */
			p = ((uint64_t)(nul - s) + 1 + 3) & ~3ull;
			break;
		}
		case FDT_END_NODE:
			if (depth == 0)
				goto bad_struct;
			if (--depth == 0)
				root_done = true;
			p += 4;
			break;
		case FDT_PROP: {
			uint64_t plen, nameoff;
			if (depth == 0 || p + 12 > ssize)
				goto bad_struct;
			plen = be32_at(s, p + 4);
			nameoff = be32_at(s, p + 8);
			if (plen > ssize - (p + 12)) {
				snprintf(err, errlen,
					 "not a valid DTB (a property at struct offset %llu is %llu bytes long, past the "
					 "structure block)",
					 (unsigned long long)p, (unsigned long long)plen);
				return -1;
			}
			if (nameoff >= strsize || !memchr(b + stroff + nameoff, 0, strsize - nameoff)) {
				snprintf(err, errlen,
					 "not a valid DTB (a property at struct offset %llu names string %llu, outside the "
					 "strings block)",
					 (unsigned long long)p, (unsigned long long)nameoff);
				return -1;
			}
			p = (p + 12 + plen + 3) & ~3ull;
			break;
		}
		case FDT_NOP:
			p += 4;
			break;
		case FDT_END:
			if (depth != 0 || !root_done)
				goto bad_struct;
			return 0;
		default:
			goto bad_struct;
		}
	}
	snprintf(err, errlen, "not a valid DTB (the structure block ends without FDT_END after %llu tags)",
		 (unsigned long long)steps);
	return -1;
bad_struct:
	snprintf(err, errlen, "not a valid DTB (bad structure at struct offset %llu, tag 0x%x)",
		 (unsigned long long)p, tag);
	return -1;
}

int dt_parse_blob(const void *fdt, size_t len, struct dt_platform *out, char *err, size_t errlen)
{
	int rc = 0;
	memset(out, 0, sizeof(*out));
	out->notif_intid = -1;
	if (dt_walk_blob(fdt, len, err, errlen) != 0) /* also bounds len by DT_MAX_BLOB */
		return -1;
	/* libfdt's own check on a blob the walk has bounded */
	if ((rc = fdt_check_full(fdt, len)) != 0)
		return sim_fail(err, errlen, "not a valid DTB (%s)", fdt_strerror(rc));
	return dt_parse(fdt, out, err, errlen);
}
