#!/usr/bin/env python3
"""tests/el3_pass_test.py: a pass through EL3 as one step changes the trace, nothing else.

EL3 runs with IRQ and FIQ masked (Arm ARM D1.3.6; TF-A runs its handlers with PSTATE.DAIF set), so
the legs of a pass (exception entry, the monitor's dispatch, its world switch, the ERET) cannot be
interrupted, and `outputs.el3: pass` (the default) runs the OP-TEE dispatcher's usual passes as
one PE step each (models/cpu/pe.h, struct pe_el3_pass). `outputs.el3: legs` runs each leg as its
own step, as tzsim did before. For every shipped scenario, under --check:

  NAME.same_run       the --json summaries are identical but for wall_s, digest and records:
                      every metric, every latency percentile, simulated time, the outcome;
  NAME.fewer_records  pass writes fewer records than legs (equal for FF-A, whose SPMD passes
                      are legs either way, and with guest code, which always runs the legs:
                      its engine runs up to the kernel's next event, models/cpu/isa_rt.h);

and for default.yaml's outputs, with the trace on:

  default.outputs_same   notifications.csv and summary.csv are byte-identical;
  default.perfetto_same  trace.json has the same slices: a pass is drawn as its four legs;
  default.legs_in_pass   each pass record of trace.csv holds the legs' times that legs mode
                         records as four activity records (same times, same labels).

Prints "ok NAME" / "FAIL NAME" per check and "N passed, N failed" last.
"""
import csv, glob, json, os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.environ.get("BUILD", "build")
TZ = BUILD if os.path.isabs(BUILD) else os.path.join(ROOT, BUILD)
TZ = os.path.join(TZ, "tzsim")
LEGS = ["--vary", "outputs.el3=legs"]
EL3_PASS = "SMC entry", "FIQ entry"

passed = failed = 0


def ok(name):
    global passed
    passed += 1
    print(f"ok {name}")


def bad(name, *why):
    global failed
    failed += 1
    print(f"FAIL {name}")
    for w in why:
        print(f"    {w}"[:3000])


def summary(path, extra):
    out = subprocess.run([TZ, "run", path, "--json", "--check", "--trace", "none", "--quiet"] + extra,
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"exit {out.returncode}: {out.stderr.strip()[:500]}")
    return json.loads(out.stdout)


def scenarios():
    return sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml")) +
                  glob.glob(os.path.join(ROOT, "examples", "explore", "*.yaml")))


def check_summaries():
    for p in scenarios():
        name = os.path.splitext(os.path.basename(p))[0]
        rel = os.path.relpath(p, ROOT)
        try:
            a, b = summary(rel, []), summary(rel, LEGS)
        except (RuntimeError, ValueError, subprocess.TimeoutExpired) as e:
            bad(f"{name}.same_run", str(e))
            continue
        ra, rb = a.get("records"), b.get("records")
        for d in (a, b):
            for k in ("wall_s", "digest", "records"):
                d.pop(k, None)
        if a == b:
            ok(f"{name}.same_run")
        else:
            keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            bad(f"{name}.same_run", f"differ: {keys[:10]}")
        text = open(p).read()
        ffa = bool(re.search(r"^transport:\s*\{[^}]*kind:\s*ffa\b", text, re.M) or
                   re.search(r"^transport:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+kind:\s*ffa\b", text, re.M))
        isa = bool(re.search(r"^fidelity:.*\bisa\b", text, re.M) or
                   re.search(r"^fidelity:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+\w+:\s*isa\b", text, re.M))
        if (ra == rb) if ffa or isa else (ra is not None and rb is not None and ra < rb):
            ok(f"{name}.fewer_records")
        else:
            bad(f"{name}.fewer_records", f"records: pass {ra}, legs {rb} (FF-A transport: {ffa}, guest code: {isa})")


def run_outputs(tmp, sub, extra):
    d = os.path.join(tmp, sub)
    out = subprocess.run([TZ, "run", "scenarios/default.yaml", "--trace", "csv,perfetto", "-o", d, "--quiet",
                          "--vary", "stop={notifications: 200}"] + extra, cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"exit {out.returncode}: {out.stderr.strip()[:500]}")
    return d


def slices(path):
    with open(path) as f:
        ev = json.load(f)
    ev = ev["traceEvents"] if isinstance(ev, dict) else ev
    return sorted(json.dumps(e, sort_keys=True) for e in ev if e.get("ph") == "X")


def el3_activity(path, pass_mode):
    """(cpu, t, label) of every EL3 leg: the records of legs mode, or unpacked from pass records."""
    legs = []
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["kind"] != "activity" or r["world"] != "el3":
                continue
            t = int(r["time_ps"])
            b, c, d = (int(r[k], 16) for k in "bcd")
            if pass_mode and r["label"] in EL3_PASS and d:
                legs += [(r["cpu"], t, r["label"]), (r["cpu"], t + b, "SMC dispatch"),
                         (r["cpu"], t + c, "world switch"), (r["cpu"], t + d, "ERET")]
            else:
                legs.append((r["cpu"], t, r["label"]))
    return sorted(legs, key=lambda x: (int(x[0]), x[1]))  # stable: a CPU's legs at one time keep their order


def check_outputs():
    tmp = tempfile.mkdtemp(prefix="tzsim-el3-")
    try:
        try:
            a, b = run_outputs(tmp, "pass", []), run_outputs(tmp, "legs", LEGS)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            for n in ("outputs_same", "perfetto_same", "legs_in_pass"):
                bad(f"default.{n}", str(e))
            return
        same = [f for f in ("notifications.csv", "summary.csv")
                if open(os.path.join(a, f), "rb").read() == open(os.path.join(b, f), "rb").read()]
        if len(same) == 2:
            ok("default.outputs_same")
        else:
            bad("default.outputs_same", f"identical: {same} of notifications.csv, summary.csv")
        sa, sb = slices(os.path.join(a, "trace.json")), slices(os.path.join(b, "trace.json"))
        if sa == sb and sa:
            ok("default.perfetto_same")
        else:
            bad("default.perfetto_same", f"{len(sa)} and {len(sb)} slices, {len(set(sa) ^ set(sb))} not in both")
        la = el3_activity(os.path.join(a, "trace.csv"), True)
        lb = el3_activity(os.path.join(b, "trace.csv"), False)
        if la == lb and len(lb) > 100:
            ok("default.legs_in_pass")
        else:
            first = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            bad("default.legs_in_pass", f"{len(la)} and {len(lb)} legs; first difference at {first}: "
                f"{la[first:first + 2]} vs {lb[first:first + 2]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    if not os.access(TZ, os.X_OK):
        bad("el3_pass.tzsim", f"{TZ} is not built")
    else:
        check_summaries()
        check_outputs()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
