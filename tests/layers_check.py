#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/layers_check.py: the folders are layers, and the code keeps them (README, Layout).

Reads every `#include "..."` of the tracked sources under sim/ and models/
(host code; the freestanding guest images under models/*/guest/ are left
out) and checks:

  - each layer includes only what README's layout lets it:
      sim/kernel/                   nothing above it: only sim/kernel/
      sim/stats/                    sim/kernel/
      sim/scenario/                 sim/kernel/, and sim/stats/metrics.h (the metric
                                    names an expectation may use)
      sim/out/                      sim/kernel/, sim/stats/hist.h and sim/stats/result.h
      sim/bus.*, sim/shm.*          sim/kernel/ (the bus and the shared memory sit
                                    under the models that use them)
      models/<m>/                   sim/kernel/, sim/bus.h, sim/shm.h, its own folder,
                                    and other models' public headers
      sim/ (platform, run, ...),    anything but another folder's internal header
      sim/systemc/, sim/cli/
    so no layer below the platform includes a model's header (OP-TEE's among
    them), and no model reaches the statistics, outputs or the run driver;
  - a folder's internal header (`*_internal.h`) is included only from its own
    folder (tests/ may include it);
  - the models' state structs (struct pe, gic, mon, tee, ree, dev_src) are
    defined only inside their own folder, in an internal header or a .c file:
    an incomplete type everywhere else, so no other model can write one.
One check per rule and folder: "FAIL NAME" with each offending line, then
"N passed, N failed" alone on the last line.
"""
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)
tracked = subprocess.run(["git", "ls-files", "sim", "models"], capture_output=True, text=True,
                         check=True).stdout.split()
sources = [f for f in tracked if f.endswith((".c", ".h", ".cc")) and "/guest/" not in f and os.path.isfile(f)]
inc = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def includes(f):
    out = []
    with open(f, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            m = inc.match(line)
            if m:
                out.append((ln, m.group(1)))
    return out


def folder(path):
    return os.path.dirname(path) + "/"


# Which folder a source belongs to, for the layer rules: the first matching prefix.
def layer(f):
    for pre in ("sim/kernel/", "sim/stats/", "sim/scenario/", "sim/out/", "sim/systemc/", "sim/cli/"):
        if f.startswith(pre):
            return pre
    if f.startswith(("sim/bus.", "sim/shm.")):
        return "sim/bus+shm"
    if f.startswith("models/"):
        return "models/"
    return "sim/"  # the platform level: platform, run, dt, replay, calibrate, ...


def allowed(f, h):
    """Whether source @f may include project header @h by the layer rules."""
    lay = layer(f)
    if h.startswith(folder(f)):
        return True
    if lay == "sim/kernel/":
        return h.startswith("sim/kernel/")
    if lay == "sim/stats/":
        return h.startswith("sim/kernel/")
    if lay == "sim/scenario/":
        return h.startswith("sim/kernel/") or h == "sim/stats/metrics.h"
    if lay == "sim/out/":
        return h.startswith("sim/kernel/") or h in ("sim/stats/hist.h", "sim/stats/result.h")
    if lay == "sim/bus+shm":
        return h.startswith("sim/kernel/") or h in ("sim/bus.h", "sim/shm.h")
    if lay == "models/":
        return (h.startswith("sim/kernel/") or h in ("sim/bus.h", "sim/shm.h") or
                (h.startswith("models/") and not h.endswith("_internal.h")))
    return True  # the platform level, sim/systemc/ and sim/cli/ sit on top


results = {}  # check name -> problems
by_layer = {}
internal = {}
for f in sources:
    for ln, h in includes(f):
        if "/" not in h:
            # a header beside the source ("gic_internal.h"): it must be in the source's own folder
            if not os.path.exists(os.path.join(folder(f), h)):
                by_layer.setdefault(layer(f), []).append(f"{f}:{ln}: includes {h}, not in {folder(f)}")
            continue
        if not h.startswith(("sim/", "models/")):
            continue
        if not allowed(f, h):
            by_layer.setdefault(layer(f), []).append(f"{f}:{ln}: includes {h}")
        if h.endswith("_internal.h") and not h.startswith(folder(f)):
            internal.setdefault(folder(h), []).append(f"{f}:{ln}: includes {h}, internal to {folder(h)}")

for lay in ("sim/kernel/", "sim/stats/", "sim/scenario/", "sim/out/", "sim/bus+shm", "models/", "sim/",
            "sim/systemc/", "sim/cli/"):
    results[f"layers.{lay.rstrip('/')}"] = by_layer.get(lay, [])
for d in sorted({folder(f) for f in sources if f.endswith("_internal.h")}):
    results[f"internal.{d.rstrip('/')}"] = internal.get(d, [])

state = {"pe": "models/cpu/", "gic": "models/gic/", "mon": "models/monitor/", "tee": "models/tee/",
         "ree": "models/ree/", "dev_src": "models/dev/"}
defn = re.compile(r"^\s*struct\s+(" + "|".join(state) + r")\s*\{")
found = {s: [] for s in state}
for f in sources:
    with open(f, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            m = defn.match(line)
            if m:
                found[m.group(1)].append((f, ln))
for s, home in state.items():
    problems = []
    if not found[s]:
        problems.append(f"struct {s}: no definition found under {home}")
    for f, ln in found[s]:
        if not f.startswith(home) or not (f.endswith("_internal.h") or f.endswith(".c")):
            problems.append(f"{f}:{ln}: defines struct {s}; only {home}*_internal.h or a .c file there may")
    results[f"state.struct_{s}"] = problems

passed = failed = 0
for name, problems in results.items():
    if problems:
        failed += 1
        print(f"FAIL {name}")
        for p in problems[:20]:
            print("    " + p)
    else:
        passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
