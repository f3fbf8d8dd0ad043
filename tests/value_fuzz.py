#!/usr/bin/env python3
"""tests/value_fuzz.py: the value-level fuzzer (issue 13).

Takes valid scenarios and replaces one value by a boundary (0, 1, the max of its type, max+1,
2^63, 2^64-1, negative, huge rates, every INTID class at every edge, CPU count 1 and max), with
tzsim's own --vary, then checks the rule: `tzsim validate` accepts exactly what `tzsim run` can
run. For each case:

  validate exits 0  ->  a short run (stop.after shortened first) exits 0 or 1, within a time and
                        memory cap, with no assertion, signal or livelock (exit 3);
  validate exits 2  ->  run exits 2 with the same message;
  and no file is left in the working directory or in TMPDIR.

  tests/value_fuzz.py [--tzsim build/tzsim] [--seed N] [--cases N] SCENARIO...

A fixed seed picks the cases, so a run is repeatable. Every finding is printed as "FINDING"
with the command that reproduces it; exit 1 if any. The last line counts the cases.
"""
import argparse, os, random, resource, subprocess, sys, tempfile

U64 = 2**64 - 1
NUMS = ["0", "1", "-1", str(2**31), str(2**32), str(2**63), str(U64), str(U64 + 1), "1e30", "0x10"]
TIMES = ["0ps", "1ps", "83ns", "1ms", "3600s", "3601s", "9223372036854775808ps", f"{U64}ps", "-1us", "1e300s"]
FREQS = ["1Hz", "0Hz", "12MHz", "12000001Hz", "100GHz", f"{U64}Hz", "-1kHz"]
COSTS = ["0 cycles", "1 cycles", "1e12 cycles", "1.1e12 cycles", f"{U64} cycles", "0us", "3600s", "3601s",
         "{exponential: {mean: 3600s}}", "{lognormal: {median: 1ps, p99: 3600s}}", "{normal: {mean: 0us, sd: 3600s}}",
         "{uniform: [0ps, 0ps]}", "{empirical: [[0ps, 1]]}"]
INTIDS = ["0", "7", "8", "15", "16", "25", "29", "30", "31", "32", "40", "219", "287", "288", "1019", "1020", "1023", str(U64)]
CPUS = ["0", "1", "2", "63", "64", "65"]

# (key path, values); {cpu} lists are filled per case
KEYS = [
    ("stop.after", TIMES), ("stop", ["{notifications: 1}", "{notifications: 0}", "{notifications: 1000000001}"]),
    ("seed", NUMS), ("platform.cpus", CPUS), ("platform.clock", ["1MHz", "999999Hz", "10GHz", "10000000001Hz"]),
    ("platform.costs", ["cortex-a53@1MHz", "cortex-a72@10GHz", "cortex-a53@0Hz"]),
    ("platform.gic.prio_bits", ["3", "4", "8", "9"]), ("platform.gic.pend_to_wire", TIMES),
    ("platform.gic.sgi_delay", TIMES), ("platform.cost_overrides.world_switch", COSTS),
    ("platform.cost_overrides.ree.wakeup", COSTS), ("platform.cost_overrides.tee.std_entry", COSTS),
    ("platform.cost_overrides.psci.cpu_on", COSTS), ("platform.cost_overrides.exc_entry", COSTS),
    ("transport", ["{kind: spi, intid: %s}", "{kind: ppi, intid: %s}", "{kind: sgi, intid: %s}", "{kind: ffa, intid: %s}",
                   "{kind: spi, intid: %s, trigger: level}", "{kind: spi, intid: %s, routing: 1-of-N}"]),
    ("transport", ["{kind: sgi, target: all-but-self}", "{kind: sgi, target: [%c]}", "{kind: ffa, spmc: el3}"]),
    ("tee.threads", ["0", "1", "64", "65"]), ("ree.irq_affinity", CPUS), ("ree.eoimode", ["0", "1", "2"]),
    ("sources[0].intid", INTIDS), ("sources[0].cpu", CPUS), ("sources[0].fifo", ["0", "1", "65536", "65537"]),
    ("sources[0].arrival", ["{periodic: %t}", "{poisson: %f}", "{burst: {count: 1000000, every: %t, spacing: 0ps}}",
                            "{burst: {count: 1, every: %t, spacing: 0ps}}"]),
    ("sources[0].top_half", COSTS), ("sources[0].bottom_half", COSTS), ("sources[0].per_item", COSTS),
    ("workloads", ["[{kind: cpu_bound, work: %k}]", "[{kind: ta_invoke, rate: %f}]", "[{kind: ta_invoke, rate: 1kHz, secure_work: %k}]",
                   "[{kind: cpu_bound, cpus: [%c]}]"]),
    ("timeline", ["[{at: %t, cpu_off: %c}]", "[{at: 1ms, cpu_off: 1}, {at: 2ms, cpu_on: %c}]",
                  "[{at: 1ms, suspend: {cpu: %c, for: %t}}]", "[{at: 1ms, mask_window: {cpu: %c, for: %t}}]",
                  "[{at: 1ms, storm: {source: %s, rate: %f, for: %t}}]"]),
]


def fill(v, rnd, src):
    return (v.replace("%s", src).replace("%t", rnd.choice(TIMES)).replace("%f", rnd.choice(FREQS))
             .replace("%k", rnd.choice(COSTS)).replace("%c", rnd.choice(CPUS)))


CAP_MB = 4096  # the run's memory, not the DT children's: tzsim bounds those itself
SANITIZED = False  # an AddressSanitizer build (make asan): set in main()


def limit():
    # ASan reserves terabytes of shadow address space at startup, which any RLIMIT_AS refuses;
    # an ASan build gets the same cap as an RSS limit (ASAN_OPTIONS, below) instead
    if not SANITIZED:
        cap = CAP_MB << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def tz_env():
    if not SANITIZED:
        return None
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(x for x in (env.get("ASAN_OPTIONS", ""), f"hard_rss_limit_mb={CAP_MB}") if x)
    return env


def tz(args, cwd, timeout):
    try:
        p = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, preexec_fn=limit,
                           env=tz_env())
        return p.returncode, p.stderr.strip()
    except subprocess.TimeoutExpired:
        return "timeout", ""


def source_name(path):
    for line in open(path):
        s = line.strip()
        if s.startswith("- name:") or s.startswith("- {name:"):
            return s.split("name:")[1].split(",")[0].strip(" }")
    return "none"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tzsim", default="build/tzsim")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--cases", type=int, default=60)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("scenarios", nargs="+")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    tzsim = os.path.abspath(a.tzsim)
    global SANITIZED
    with open(tzsim, "rb") as f:
        SANITIZED = b"__asan_init" in f.read()
    findings = accepted = refused = 0
    for i in range(a.cases):
        scen = os.path.abspath(rnd.choice(a.scenarios))
        key, vals = rnd.choice(KEYS)
        val = fill(rnd.choice(vals), rnd, source_name(scen))
        vary = f"{key}={val}"
        with tempfile.TemporaryDirectory(prefix="tzsim-vf-") as cwd:
            v_rc, v_err = tz([tzsim, "validate", scen, "--vary", vary], cwd, a.timeout)
            # a short run: the mutation applies after the stop is shortened (unless it is the stop)
            short = [] if key.startswith("stop") else ["--vary", "stop={after: 20ms}"]
            mutation = ["--vary", vary]
            if key == "stop.after" and v_rc == 0 and val == "3600s":
                mutation = ["--vary", "stop={after: 20ms}"]  # a valid long run: not run in full here
            run = [tzsim, "run", scen, *short, *mutation, "--trace", "none", "--quiet"]
            r_rc, r_err = tz(run, cwd, a.timeout)
            left = os.listdir(cwd)
        repro = f"{tzsim} validate {scen} --vary '{vary}'; {' '.join(run[:2])} {scen} {' '.join(repr(x) for x in run[3:])}"
        bad = None
        if v_rc == 0:
            accepted += 1
            if r_rc not in (0, 1):
                bad = f"validate accepted, run exited {r_rc}: {r_err[:300]}"
        elif v_rc == 2:
            refused += 1
            if r_rc != 2:
                bad = f"validate refused ({v_err[:200]}), run exited {r_rc}"
            elif v_err.splitlines()[:1] != r_err.splitlines()[:1] and not short:
                bad = f"different messages: validate '{v_err[:200]}', run '{r_err[:200]}'"
        else:
            bad = f"validate exited {v_rc}: {v_err[:300]}"
        if left:
            bad = (bad + "; " if bad else "") + f"files left: {left}"
        if bad:
            findings += 1
            print(f"FINDING case {i}: {vary}\n    {bad}\n    {repro}")
        else:
            print(f"ok case {i}: {vary} (validate {v_rc}, run {r_rc})")
    print(f"{a.cases} cases: {accepted} accepted, {refused} refused, {findings} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
