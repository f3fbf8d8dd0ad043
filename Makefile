# tzsim: a cycle-level simulator of both Arm TrustZone worlds.
#
#   make run     install missing Debian packages, build, run scenarios/default.yaml
#   make test    build and run every test (unit, SystemC per-process, scenarios)
#   make asan    the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   kernel and end-to-end benchmarks (figures, not pass/fail)
#   make deps    only the package check/installation (with the sweep and report tests' Slurm,
#                munge, GNU parallel and Chromium: tests/tools/deps-sweep.sh, no recommends,
#                their services left stopped and disabled)

BUILD    ?= build
CC       ?= gcc
CXX      ?= g++
OPT      ?= -O2
SAN      ?=
WARN     := -Wall -Wextra -Werror -Wno-format-truncation
CPPFLAGS := -I. -D_GNU_SOURCE -MMD -MP
CFLAGS   := -std=c11 $(OPT) -g $(WARN) $(SAN)
CXXFLAGS := -std=c++17 $(OPT) -g $(WARN) $(SAN) -Wno-missing-field-initializers
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
            libxxhash-dev libgtest-dev binutils-aarch64-linux-gnu pkg-config python3 g++ \
            valgrind

# sim/cli/ is the command line: in the tzsim binary, not in the library
CLI_C    := $(wildcard sim/cli/*.c)
LIB_C    := $(wildcard sim/*.c sim/kernel/*.c sim/scenario/*.c sim/out/*.c sim/stats/*.c models/*/*.c)
CLI_OBJ  := $(CLI_C:%.c=$(BUILD)/%.o)
LIB_CXX  := $(wildcard sim/systemc/*.cc)
LIB_OBJ  := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
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

.PHONY: all run test asan bench deps clean
all: $(TZSIM) $(COMPLETION)

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
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lstdc++

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

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
