// SPDX-License-Identifier: BSD-3-Clause
/* sim/kernel/symbolize.c: function names from the ELF symbol table (see symbolize.h). */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/kernel/symbolize.h"

/* A binary bigger than this is not read (ours is a few MiB with debug info). */
#define MAX_ELF_BYTES (512u << 20)

/* The section header @i of the mapped ELF file, or NULL when it lies outside the file. */
static const Elf64_Shdr *shdr(const unsigned char *m, size_t size, const Elf64_Ehdr *eh, unsigned i)
{
	uint64_t off = eh->e_shoff + (uint64_t)i * eh->e_shentsize;
	if (i >= eh->e_shnum || eh->e_shentsize < sizeof(Elf64_Shdr) || off > size || size - off < sizeof(Elf64_Shdr))
		return NULL;
	return (const Elf64_Shdr *)(m + off);
}

/* Look @a (an address in the file's terms) up in the mapped ELF @m. */
static int lookup(const unsigned char *m, size_t size, uint64_t a, bool *pie_out, uint64_t base, char *buf,
		  size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)m;
	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return -1;
	*pie_out = eh->e_type == ET_DYN;
	if (*pie_out)
		a -= base;
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *sh = shdr(m, size, eh, i), *st;
		if (!sh || sh->sh_type != SHT_SYMTAB || !(st = shdr(m, size, eh, sh->sh_link)))
			continue;
		if (sh->sh_offset > size || sh->sh_size > size - sh->sh_offset || st->sh_offset > size ||
		    st->sh_size > size - st->sh_offset || sh->sh_entsize < sizeof(Elf64_Sym))
			return -1;
		const char *strs = (const char *)m + st->sh_offset, *file = NULL;
		size_t nsym = sh->sh_size / sh->sh_entsize;
		/* a name is used only when it ends inside the string table */
#define NAME(off) ((off) < st->sh_size && memchr(strs + (off), 0, st->sh_size - (off)) ? strs + (off) : NULL)
		for (size_t k = 0; k < nsym; k++) {
			const Elf64_Sym *s = (const Elf64_Sym *)(m + sh->sh_offset + k * sh->sh_entsize);
			unsigned type = ELF64_ST_TYPE(s->st_info);
			if (type == STT_FILE) {
				file = NAME(s->st_name);
				continue;
			}
			if (ELF64_ST_BIND(s->st_info) != STB_LOCAL)
				file = NULL; /* globals come after every file's locals */
			if (type != STT_FUNC || a < s->st_value || a - s->st_value >= (s->st_size ? s->st_size : 1))
				continue;
			const char *name = NAME(s->st_name);
			if (!name)
				return -1;
			if (file)
				snprintf(buf, len, "%s (%s)", name, file);
			else
				snprintf(buf, len, "%s", name);
			return 0;
		}
#undef NAME
	}
	return -1;
}

int sim_symbolize(const void *addr, char *buf, size_t len)
{
	Dl_info info;
	struct stat st;
	const char *path = "/proc/self/exe";
	uint64_t base = 0;
	int rc = -1, fd;
	bool pie = false;

	snprintf(buf, len, "%p", addr);
	if (dladdr(addr, &info) && info.dli_fbase) {
		base = (uint64_t)(uintptr_t)info.dli_fbase;
		/* a shared library names itself; the main program is /proc/self/exe */
		if (info.dli_fname && info.dli_fname[0] == '/' && strstr(info.dli_fname, ".so"))
			path = info.dli_fname;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= MAX_ELF_BYTES) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			rc = lookup(m, (size_t)st.st_size, (uint64_t)(uintptr_t)addr, &pie, base, buf, len);
			munmap(m, (size_t)st.st_size);
		}
	}
	close(fd);
	return rc;
}
