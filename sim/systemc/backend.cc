// SPDX-License-Identifier: BSD-3-Clause
// Placeholder until the SystemC backend lands: refuses to attach.
#include "sim/kernel_internal.h"

extern "C" int sim_systemc_attach(struct sim_kernel *) { return -1; }
