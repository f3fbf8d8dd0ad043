#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/soak.py: random runs of the shipped scenarios under --check (make soak).

Each run takes one shipped scenario (scenarios/*.yaml, examples/explore/*.yaml), a random seed
and up to three switches from SWITCHES (transports, routing, threads, preemption, scheduler,
guest code, CPUs, presets, load), and runs it with --check. `tzsim explore` searches the timing
and placement of one scenario; this searches the configurations around all of them. What it
reports:

  FINDING  an invariant broke (docs/protocol.md §10.4): a model bug or a protocol hazard, to
           triage with the command printed (a lost wake-up in the Linux model, docs/protocol.md
           §8.5, was found this way);
  FAIL     the run could not complete (exit 3 or a signal), or, every BACKEND_EVERY-th run, the
           SystemC kernel's digest differs from the native one (README, Determinism).

A configuration tzsim refuses (exit 2: a switch that does not apply to that scenario) is
counted, not run. The switches are upstream behaviour and one departure that loses nothing
(ree.pcpu_disable=after_offline); ree.notif_drain=once and tee.notif_raise=when_empty are left
out, as they leave values behind by design (README, Protocol switches).

  tests/soak.py [--runs N] [--seed S] [--tzsim build/tzsim] [--jobs J]

It prints "N runs, N refused, N findings, N failed", then "N passed, N failed" last (a run that
completed clean passes; findings and failures fail; refused ones are not counted), and exits 1
when any finding or failure. Same --seed, same runs. make test runs 40 of them (seed 1).
"""
import argparse
import glob
import json
import os
import random
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SWITCHES = [
    "transport.kind=spi", "transport.kind=ppi", "transport.kind=sgi", "transport.kind=ffa",
    "transport={kind: ffa, spmc: s-el2}", "transport.trigger=level", "transport.routing=1-of-N",
    "transport={kind: sgi, target: all_but_self}", "transport={kind: sgi, target: self}",
    "tee.threads=1", "tee.threads=2", "tee.threads=4",
    "ree.preempt=none", "ree.preempt=voluntary", "ree.scheduler=cfs", "ree.irq_affinity=1",
    "ree.irq_affinity=3", "ree.pcpu_disable=after_offline", "ree.call_queue=ethread_limit",
    "fidelity.tee=isa", "fidelity.ree=isa", "fidelity.monitor=isa",
    "platform.cpus=1", "platform.cpus=2", "platform.cpus=3", "platform.cpus=8",
    "platform.costs=cortex-a72", "sources[0].arrival={poisson: 20kHz}", "workloads[0].rate=10kHz",
    "workloads[0].secure_work=300us",
]
BACKEND_EVERY = 10


def plan(seed, runs):
    rng = random.Random(seed)
    scen = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml")))
    scen += sorted(glob.glob(os.path.join(ROOT, "examples", "explore", "*.yaml")))
    out = []
    for i in range(runs):
        s = os.path.relpath(rng.choice(scen), ROOT)
        out.append((i, s, rng.randint(0, 10**6), rng.sample(SWITCHES, rng.randint(0, 3))))
    return out


def command(tzsim, s, seed, vary, kernel):
    cmd = [tzsim, "run", s, "--seed", str(seed), "--check", "--trace", "none", "--json", "--kernel", kernel]
    for v in vary:
        cmd += ["--vary", v]
    return cmd


def one(tzsim, item):
    """(what, message) of one planned run: a run that cannot start or takes over 10 minutes fails."""
    try:
        return run_one(tzsim, item)
    except (OSError, subprocess.SubprocessError) as e:
        i, s, seed, vary = item
        return "FAIL", f"build/tzsim run {s} --seed {seed} --check {' '.join('--vary ' + shlex.quote(v) for v in vary)}: {e}"


def run_one(tzsim, item):
    i, s, seed, vary = item
    shown = " ".join(["build/tzsim run", s, "--seed", str(seed), "--check"] +
                     [f"--vary {shlex.quote(v)}" for v in vary])
    p = subprocess.run(command(tzsim, s, seed, vary, "native"), cwd=ROOT, capture_output=True, text=True,
                       timeout=600)
    if p.returncode == 2:
        return "refused", None
    if p.returncode not in (0, 1):
        return "FAIL", f"{shown}: exit {p.returncode}: {p.stderr.strip()[-300:]}"
    if "invariant violated" in p.stderr or "invariant violated" in p.stdout:
        why = next(l for l in (p.stderr + p.stdout).splitlines() if "invariant violated" in l)
        return "FINDING", f"{shown}\n    {why[:400]}"
    if i % BACKEND_EVERY == 0:
        q = subprocess.run(command(tzsim, s, seed, vary, "systemc"), cwd=ROOT, capture_output=True, text=True,
                           timeout=600)
        try:
            a, b = json.loads(p.stdout), json.loads(q.stdout)
        except ValueError:
            return "FAIL", f"{shown} --kernel systemc: exit {q.returncode}: {q.stderr.strip()[-300:]}"
        if (a.get("digest"), a.get("records")) != (b.get("digest"), b.get("records")):
            return "FAIL", (f"{shown}: native digest {a.get('digest')} ({a.get('records')} records), "
                            f"systemc {b.get('digest')} ({b.get('records')})")
    return "ok", None


def main():
    ap = argparse.ArgumentParser(description="random runs of the shipped scenarios under --check")
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--tzsim", default=os.path.join(ROOT, "build", "tzsim"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    tzsim = os.path.abspath(a.tzsim)
    counts = {"ok": 0, "refused": 0, "FINDING": 0, "FAIL": 0}
    with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for what, msg in ex.map(lambda it: one(tzsim, it), plan(a.seed, a.runs)):
            counts[what] += 1
            if msg:
                print(f"{what} {msg}", flush=True)
    ran = a.runs - counts["refused"]
    print(f"{ran} runs, {counts['refused']} refused, {counts['FINDING']} findings, {counts['FAIL']} failed")
    print(f"{counts['ok']} passed, {counts['FINDING'] + counts['FAIL']} failed")
    return 1 if counts["FINDING"] or counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
