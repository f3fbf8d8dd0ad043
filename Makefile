# tzsim: a cycle-level simulator of both Arm TrustZone worlds.
#
#   make run     install missing Debian packages, build, run scenarios/default.yaml
#   make test    build and run every test (unit, SystemC per-process, scenarios)
#   make asan    the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   kernel and end-to-end benchmarks (figures, not pass/fail)
#   make cppcheck  cppcheck over sim/ and models/: every finding, and its count (0 passes; also in make test)
#   make deps    only the package check/installation (with the sweep and report tests' Slurm,
#                munge, GNU parallel and Chromium: tests/tools/deps-sweep.sh, no recommends,
#                their services left stopped and disabled)
#   make install build/tzsim, libtzsim.a, the public headers, tzsim.pc, the man page and
#                the bash completion under PREFIX (default /usr/local), staged under DESTDIR;
#                make uninstall

BUILD    ?= build
CC       ?= gcc
CXX      ?= g++
# -O3 over -O2: the per-record and per-event paths inline further (default.yaml: 41,848 -> 40,123
# instructions per notification, tests/bench.sh); the results are the same (no fast-math).
# Without the SLP vectorizer: it packs a record's fields through vector registers at more
# instructions than the plain stores (36,330 -> 36,091). A higher inline limit takes the
# small model steps and record emitters into their callers (36,091 -> 34,921; the binary
# grows by a sixth; 600 and beyond gain little more).
OPT      ?= -O3 -fno-tree-slp-vectorize -finline-limit=300
SAN      ?=
# a warning flag when the compiler knows it (clang rejects gcc's -Wno-format-truncation)
cc_flag   = $(shell $(1) -Werror $(2) -E -x $(3) /dev/null >/dev/null 2>&1 && echo $(2))
WARN     := -Wall -Wextra -Werror
CPPFLAGS := -I. -D_GNU_SOURCE -MMD -MP
CFLAGS   := -std=c11 $(OPT) -g $(WARN) $(call cc_flag,$(CC),-Wno-format-truncation,c) $(SAN)
CXXFLAGS := -std=c++17 $(OPT) -g $(WARN) $(call cc_flag,$(CXX),-Wno-format-truncation,c++) $(SAN) \
            -Wno-missing-field-initializers
LDFLAGS  := $(SAN)

# Libraries through pkg-config where they ship a .pc file; the plain -l
# flags when pkg-config (or the .pc: Debian 12's libfdt-dev has none) is
# missing. $(call pc,MODULES,FALLBACK)
pc        = $(shell pkg-config --libs $(1) 2>/dev/null || echo $(2))
pc_cflags = $(shell pkg-config --cflags $(1) 2>/dev/null)
LIBS_PC  := systemc unicorn yaml-0.1 libxxhash
CPPFLAGS += $(call pc_cflags,$(LIBS_PC)) $(call pc_cflags,libfdt)
LDLIBS   := $(call pc,$(LIBS_PC),-lsystemc -lunicorn -lyaml -lxxhash) $(call pc,libfdt,-lfdt) -lm -lpthread
GTEST_CFLAGS := $(call pc_cflags,gtest_main gtest)
GTEST_LIBS   := $(call pc,gtest_main gtest,-lgtest_main -lgtest)

DEB_PKGS := libsystemc-dev libunicorn-dev libfdt-dev device-tree-compiler libyaml-dev \
            libxxhash-dev libgtest-dev binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu \
            pkg-config python3 g++ valgrind help2man cppcheck clang

# Guest images (models/{monitor,tee,ree}/guest/): freestanding AArch64 code, one ELF per
# world, cross-compiled with Debian's gcc-aarch64-linux-gnu (make deps installs it) and
# embedded into libtzsim (models/cpu/isa_images.S). The flags are pinned: the images are
# inputs of the ISA runs' digests, and another compiler version may change them.
GUEST_CROSS  ?= aarch64-linux-gnu-
GUEST_CC     := $(GUEST_CROSS)gcc
GUEST_CFLAGS := -std=gnu11 -ffreestanding -nostdlib -nostartfiles -fno-builtin \
                -fno-tree-loop-distribute-patterns -O2 -march=armv8-a -mgeneral-regs-only \
                -mstrict-align -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
                -fno-unwind-tables -fno-common -fno-ident -g0 -Wall -Wextra -Werror -I.
GUEST_LDFLAGS = -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-T,models/cpu/guest/guest.ld \
                -Wl,-z,max-page-size=4096 -Wl,--no-warn-rwx-segments
GUEST_WORLDS := monitor tee ree
GUEST_BASE_monitor := 0x0E000000
GUEST_BASE_tee     := 0x0E100000
GUEST_BASE_ree     := 0x40000000
GUEST_ELFS   := $(GUEST_WORLDS:%=$(BUILD)/guest/%.elf)
guest_objs    = $(patsubst %,$(BUILD)/guest/%.o,$(basename $(wildcard models/$(1)/guest/*.c models/$(1)/guest/*.S))) \
                $(BUILD)/guest/models/cpu/guest/lib.o
GUEST_CC_PATH := $(shell command -v $(GUEST_CC) 2>/dev/null)
# The store fast path (models/cpu/isa_ucfix.c) interposes a libunicorn internal: every
# host binary exports it so the library's PLT binds to tzsim's definition.
LDFLAGS  += -Wl,--export-dynamic-symbol=tlb_set_page_with_attrs_aarch64 -Wl,--export-dynamic-symbol=get_arm_cp_reginfo_aarch64

# sim/cli/ is the command line: in the tzsim binary, not in the library
CLI_C    := $(wildcard sim/cli/*.c)
LIB_C    := $(wildcard sim/*.c sim/kernel/*.c sim/scenario/*.c sim/out/*.c sim/stats/*.c models/*/*.c)
CLI_OBJ  := $(CLI_C:%.c=$(BUILD)/%.o)
LIB_CXX  := $(wildcard sim/kernel/*.cc sim/systemc/*.cc)
LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o) $(BUILD)/models/cpu/isa_images.o
UNIT_SRC := $(filter-out tests/sc_%.cc,$(wildcard tests/*_test.cc))
UNIT_OBJ := $(UNIT_SRC:%.cc=$(BUILD)/%.o) $(BUILD)/tests/testutil.o $(BUILD)/tests/trace_check.o \
            $(BUILD)/tests/plat_harness.o
SC_SRC   := $(wildcard tests/sc_*_test.cc)
SC_OBJ   := $(SC_SRC:%.cc=$(BUILD)/%.o) $(BUILD)/tests/testutil.o
BENCH_SRC:= $(wildcard tests/bench_*.c)

TZSIM    := $(BUILD)/tzsim
LIB      := $(BUILD)/libtzsim.a
# bash completion, made by tzsim from its option table; for make install:
# $(PREFIX)/share/bash-completion/completions/tzsim
COMPLETION := $(BUILD)/tzsim.bash

# make install (GNU conventions: PREFIX, DESTDIR staging)
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   := $(PREFIX)/bin
LIBDIR   := $(PREFIX)/lib
INCDIR   := $(PREFIX)/include/tzsim
PCDIR    := $(LIBDIR)/pkgconfig
MANDIR   := $(PREFIX)/share/man/man1
COMPDIR  := $(PREFIX)/share/bash-completion/completions
VERSION  := $(shell sed -n 's/^\#define TZSIM_VERSION "\(.*\)"/\1/p' sim/cli/main.c)
# The public headers: the C API that builds and runs a platform from a scenario
# (platform.h, run.h and what they include), the kernel, the bus, the GIC, and
# the SystemC/TLM modules. They keep their tree under $(INCDIR), and tzsim.pc's
# Cflags point there, so their root-relative includes resolve as in the source.
# tests/install_test.sh compiles each one alone from outside the tree.
PUBLIC_H := sim/platform.h sim/run.h sim/bus.h sim/dt.h sim/shm.h models/gic/gic.h \
            sim/kernel/costs.h sim/kernel/kernel.h sim/kernel/rng.h sim/kernel/sim.h \
            sim/kernel/time.h sim/kernel/trace.h sim/kernel/units.h sim/kernel/wire.h \
            sim/scenario/scenario.h sim/stats/hist.h sim/stats/metrics.h sim/stats/stats.h \
            sim/out/digest.h sim/kernel/systemc.h sim/systemc/tlm_gic.h sim/systemc/tlm_platform.h
# tzsim.pc: the public headers include SystemC's, so systemc is Required; the
# static archive also needs libyaml (a .pc) and libfdt (Debian's libfdt-dev ships no .pc)
# and the C++ runtime; the ISA engines (models/cpu/isa*.c) need libunicorn.
PC_REQUIRES         := systemc
PC_REQUIRES_PRIVATE := yaml-0.1 libxxhash unicorn
PC_LIBS_PRIVATE     := -lfdt -lstdc++ -lm -lpthread

.PHONY: all run test asan bench cppcheck clang-check deps clean fuzz soak install uninstall print-public-headers guest
all: $(TZSIM) $(COMPLETION)
guest: $(GUEST_ELFS)
.PRECIOUS: $(BUILD)/guest/%.o

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "tzsim: installing missing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@tests/tools/deps-sweep.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(GTEST_CFLAGS) $(CXXFLAGS) -c $< -o $@

# ---- guest images --------------------------------------------------------------------
guest_cc_check = @test -n "$(GUEST_CC_PATH)" || { echo "tzsim: $(GUEST_CC) not found: the guest images \
(models/*/guest/) are cross-compiled with Debian's gcc-aarch64-linux-gnu; run 'make deps'" >&2; exit 1; }

$(BUILD)/guest/%.o: %.c
	$(guest_cc_check)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/guest/%.o: %.S
	$(guest_cc_check)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

.SECONDEXPANSION:
$(BUILD)/guest/%.elf: $$(call guest_objs,$$*) models/cpu/guest/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -Wl,--defsym=IMAGE_BASE=$(GUEST_BASE_$*) \
	  -o $@ $(filter %.o,$^)

# The images inside the library: .incbin of each ELF (isa_images.S names them).
$(BUILD)/models/cpu/isa_images.o: models/cpu/isa_images.S $(GUEST_ELFS)
	@mkdir -p $(dir $@)
	$(CC) -c $(foreach w,$(GUEST_WORLDS),-DGUEST_$(shell echo $(w) | tr a-z A-Z)='"$(BUILD)/guest/$(w).elf"') $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(TZSIM): $(CLI_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(COMPLETION): $(TZSIM)
	$(TZSIM) completion bash > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/unit: $(UNIT_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(GTEST_LIBS) $(LDLIBS)

$(BUILD)/tests/sc_unit: $(SC_OBJ) $(LIB)
	$(CXX) $(LDFLAGS) -o $@ $^ $(GTEST_LIBS) $(LDLIBS)

$(BUILD)/tests/bench_%: tests/bench_%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lstdc++

$(BUILD)/tzsim.1: $(TZSIM)
	@command -v help2man >/dev/null || { echo "tzsim: help2man is missing (make deps installs it)"; exit 1; }
	help2man --no-info --name='a cycle-level simulator of both Arm TrustZone worlds' --version-string=$(VERSION) \
	  --output=$@ ./$(TZSIM)

install: $(TZSIM) $(LIB) $(BUILD)/tzsim.1 $(COMPLETION)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PCDIR) $(DESTDIR)$(MANDIR) \
	  $(DESTDIR)$(COMPDIR)
	install -m 755 $(TZSIM) $(DESTDIR)$(BINDIR)/tzsim
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libtzsim.a
	install -m 644 $(BUILD)/tzsim.1 $(DESTDIR)$(MANDIR)/tzsim.1
	install -m 644 $(COMPLETION) $(DESTDIR)$(COMPDIR)/tzsim
	@for h in $(PUBLIC_H); do install -D -m 644 $$h $(DESTDIR)$(INCDIR)/$$h || exit 1; done
	@echo "install: $(words $(PUBLIC_H)) headers under $(DESTDIR)$(INCDIR)"
	printf '%s\n' 'prefix=$(PREFIX)' 'exec_prefix=$${prefix}' 'libdir=$${exec_prefix}/lib' \
	  'includedir=$${prefix}/include' '' 'Name: tzsim' \
	  'Description: Arm TrustZone simulator: GICv3, EL3 monitor, OP-TEE and Linux models; SystemC/TLM-2.0 modules' \
	  'Version: $(VERSION)' 'Requires: $(PC_REQUIRES)' 'Requires.private: $(PC_REQUIRES_PRIVATE)' \
	  'Libs: -L$${libdir} -ltzsim' 'Libs.private: $(PC_LIBS_PRIVATE)' 'Cflags: -I$${includedir}/tzsim' \
	  > $(DESTDIR)$(PCDIR)/tzsim.pc

# The header list, for tests/install_test.sh.
print-public-headers:
	@echo $(PUBLIC_H)

# Removes what install put there; of the directories, only the empty ones under $(INCDIR).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/tzsim $(DESTDIR)$(LIBDIR)/libtzsim.a $(DESTDIR)$(MANDIR)/tzsim.1 \
	  $(DESTDIR)$(PCDIR)/tzsim.pc $(DESTDIR)$(COMPDIR)/tzsim
	rm -f $(addprefix $(DESTDIR)$(INCDIR)/,$(PUBLIC_H))
	@if [ -d $(DESTDIR)$(INCDIR) ]; then find $(DESTDIR)$(INCDIR) -depth -type d -empty -delete; fi

run: deps
	@$(MAKE) --no-print-directory all
	$(TZSIM) run scenarios/default.yaml

test: deps
	@$(MAKE) --no-print-directory $(TZSIM) $(BUILD)/tests/unit $(BUILD)/tests/sc_unit
	@BUILD=$(BUILD) tests/run.sh

asan:
	@$(MAKE) --no-print-directory test BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"

bench: deps
	@$(MAKE) --no-print-directory $(TZSIM) $(BENCH_SRC:tests/%.c=$(BUILD)/tests/%)
	@BUILD=$(BUILD) tests/bench.sh

# SOAK_RUNS random runs of the shipped scenarios with up to three switches each, under --check,
# every tenth also on the SystemC kernel (tests/soak.py); SOAK_SEED picks them
SOAK_RUNS ?= 1000
SOAK_SEED ?= 1
soak: deps
	@$(MAKE) --no-print-directory $(TZSIM)
	@python3 tests/soak.py --runs $(SOAK_RUNS) --seed $(SOAK_SEED) --tzsim $(TZSIM)

cppcheck: deps
	@tests/cppcheck.sh

# libFuzzer targets (clang): the scenario loader, the DT reader and the replay reader, each
# for FUZZ_SECONDS (default 60) from a corpus seeded with scenarios/ and tests/data/
FUZZ_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: deps
	@command -v clang >/dev/null || { echo "tzsim: installing clang"; apt-get install -y -qq clang; }
	@$(MAKE) --no-print-directory $(TZSIM)
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CXX=clang++ OPT=-O1 \
	  SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" build-fuzz/libtzsim.a
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@FUZZ_BUILD=build-fuzz tests/fuzz/run.sh

# The library, the CLI and the fuzz targets under clang's warnings, as make fuzz builds them (clang, $(WARN)
# with -Werror): diagnostics only, no objects, a few seconds. tests/clang_check.sh runs it in make test.
CLANG_CPPFLAGS = $(filter-out -MMD -MP,$(CPPFLAGS))
clang-check:
	@command -v clang >/dev/null || { echo "clang-check: clang is not installed (make deps installs it)"; exit 1; }
	@printf '%s\n' $(LIB_C) $(CLI_C) $(wildcard tests/fuzz/fuzz_*.c) | xargs -P2 -n8 clang $(CLANG_CPPFLAGS) -std=c11 $(WARN) -fsyntax-only
	@printf '%s\n' $(LIB_CXX) | xargs -P2 -n1 clang++ $(CLANG_CPPFLAGS) -std=c++17 $(WARN) \
	  -Wno-missing-field-initializers -fsyntax-only

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/libtzsim.a
	clang $(CPPFLAGS) -std=c11 -O1 -g $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< build-fuzz/libtzsim.a \
	  -lyaml -lfdt -lunicorn -lxxhash -lm -lpthread -lstdc++

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
