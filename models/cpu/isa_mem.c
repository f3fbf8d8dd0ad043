// SPDX-License-Identifier: BSD-3-Clause
/*
 * models/cpu/isa_mem.c: guest RAM shared by the engines of a simulation,
 * the ELF loader, symbols and the images built into the library.
 *
 * The loader reads only what a static, freestanding AArch64 executable
 * has: the ELF header, PT_LOAD program headers (copied to their physical
 * addresses, the rest of p_memsz zeroed) and the symbol table. <elf.h>
 * gives the structure layouts.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <xxhash.h>

#include "models/cpu/isa_internal.h"

#define PAGE 4096ull

int isa_mem_new(struct isa_mem **out, const struct isa_bank *banks, unsigned n)
{
	struct isa_mem *m;
	*out = NULL;
	if (!n || n > ISA_MAX_BANKS)
		return ISA_E_RANGE;
	for (unsigned i = 0; i < n; i++) {
		if (!banks[i].size || ((banks[i].base | banks[i].size) & (PAGE - 1)) ||
		    banks[i].base + banks[i].size < banks[i].base)
			return ISA_E_RANGE;
		for (unsigned j = 0; j < i; j++)
			if (banks[i].base < banks[j].base + banks[j].size && banks[j].base < banks[i].base + banks[i].size)
				return ISA_E_RANGE;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return ISA_E_NOMEM;
	for (unsigned i = 0; i < n; i++) {
		/* anonymous and not reserved: a page costs memory only once touched */
		void *p = mmap(NULL, banks[i].size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);
		if (p == MAP_FAILED) {
			isa_mem_free(m);
			return ISA_E_NOMEM;
		}
		m->bank[i] = banks[i];
		m->host[i] = p;
		m->nbank = i + 1;
	}
	*out = m;
	return 0;
}

void isa_mem_free(struct isa_mem *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->nbank; i++)
		munmap(m->host[i], m->bank[i].size);
	free(m);
}

void *isa_mem_ptr(struct isa_mem *m, uint64_t addr, size_t len)
{
	for (unsigned i = 0; i < m->nbank; i++) {
		const struct isa_bank *b = &m->bank[i];
		if (addr >= b->base && len <= b->size && addr - b->base <= b->size - len)
			return m->host[i] + (addr - b->base);
	}
	return NULL;
}

/* The ELF header, checked: ELF64, little-endian, AArch64, a static executable, headers in the file. */
static const Elf64_Ehdr *elf_header(const uint8_t *f, size_t len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_AARCH64 || eh->e_type != ET_EXEC ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return NULL;
	return eh;
}

int isa_mem_load(struct isa_mem *m, const char *name, const void *elf, size_t len, struct isa_image *img)
{
	const uint8_t *f = elf;
	const Elf64_Ehdr *eh = elf_header(f, len);
	struct isa_range code[ISA_MAX_CODE];
	unsigned ncode = 0, nload = 0;

	if (m->engines)
		return ISA_E_STATE;
	if (!eh)
		return ISA_E_ELF;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(f + eh->e_phoff);
	/* check every segment before copying any */
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		if (ph[i].p_filesz > ph[i].p_memsz || ph[i].p_offset > len || ph[i].p_filesz > len - ph[i].p_offset ||
		    !isa_mem_ptr(m, ph[i].p_paddr, ph[i].p_memsz))
			return ISA_E_ELF;
		if (ph[i].p_flags & PF_X) {
			if (ncode + m->ncode >= ISA_MAX_CODE)
				return ISA_E_ELF;
			code[ncode].lo = ph[i].p_paddr & ~(PAGE - 1);
			code[ncode].hi = (ph[i].p_paddr + ph[i].p_memsz + PAGE - 1) & ~(PAGE - 1);
			ncode++;
		}
		nload++;
	}
	if (!nload)
		return ISA_E_ELF;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uint8_t *d = isa_mem_ptr(m, ph[i].p_paddr, ph[i].p_memsz);
		memcpy(d, f + ph[i].p_offset, ph[i].p_filesz);
		memset(d + ph[i].p_filesz, 0, ph[i].p_memsz - ph[i].p_filesz);
	}
	memcpy(&m->code[m->ncode], code, ncode * sizeof(code[0]));
	m->ncode += ncode;
	memset(img, 0, sizeof(*img));
	snprintf(img->name, sizeof(img->name), "%s", name);
	img->entry = eh->e_entry;
	img->elf = f;
	img->len = len;
	img->hash = XXH3_64bits(f, len);
	return 0;
}

uint64_t isa_image_symbol(const struct isa_image *img, const char *sym)
{
	const Elf64_Ehdr *eh = elf_header(img->elf, img->len);
	if (!eh || !eh->e_shoff || eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > img->len ||
	    (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > img->len - eh->e_shoff)
		return 0;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(img->elf + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > img->len || sh[i].sh_size > img->len - sh[i].sh_offset ||
		    st->sh_offset > img->len || st->sh_size > img->len - st->sh_offset)
			return 0;
		const Elf64_Sym *s = (const Elf64_Sym *)(img->elf + sh[i].sh_offset);
		const char *str = (const char *)(img->elf + st->sh_offset);
		for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); k++)
			if (s[k].st_name < st->sh_size &&
			    !strncmp(str + s[k].st_name, sym, st->sh_size - s[k].st_name) &&
			    strlen(sym) < st->sh_size - s[k].st_name)
				return s[k].st_value;
	}
	return 0;
}

/* models/cpu/isa_images.S */
extern const uint8_t isa_image_monitor[], isa_image_tee[], isa_image_ree[];
extern const uint64_t isa_image_monitor_size, isa_image_tee_size, isa_image_ree_size;

void isa_builtin_image(enum isa_builtin which, const void **elf, size_t *len, const char **name)
{
	switch (which) {
	case ISA_IMG_MONITOR:
		*elf = isa_image_monitor, *len = (size_t)isa_image_monitor_size;
		*name = "monitor";
		break;
	case ISA_IMG_TEE:
		*elf = isa_image_tee, *len = (size_t)isa_image_tee_size;
		*name = "tee";
		break;
	default:
		*elf = isa_image_ree, *len = (size_t)isa_image_ree_size;
		*name = "ree";
		break;
	}
}
