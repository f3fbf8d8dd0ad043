#!/usr/bin/env python3
"""tests/baseline.py: hold every shipped scenario's measurements against a committed baseline.

  tests/baseline.py record [--tzsim build/tzsim]   write tests/baseline/<scenario>.json
  tests/baseline.py check  [--tzsim build/tzsim]   run each scenario and compare (exit 1 on a difference)

What is kept: the --json summary without wall_s (host time) and digest (the golden format may
change while behaviour does not): simulated time, record count, every metric and every latency
percentile. A refactoring that claims "no behaviour change" must pass `check` unchanged.
"""
import argparse, glob, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BASE = os.path.join(HERE, "baseline")
DROP = ("wall_s", "digest")


def measure(tzsim, path):
    out = subprocess.run([tzsim, "run", path, "--json", "--trace", "none"], cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"{path}: tzsim exited {out.returncode}: {out.stderr.strip()}")
    js = json.loads(out.stdout)
    for k in DROP:
        js.pop(k, None)
    return js


def diff(a, b, path=""):
    """Every baseline leaf that differs in the run, as 'path: a -> b'. A value the run
    reports and the baseline does not know (a metric added later) is not a difference."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(a):
            out += diff(a.get(k), b.get(k), f"{path}.{k}" if path else k)
        return out
    return [] if a == b else [f"{path}: {a!r} -> {b!r}"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["record", "check"])
    ap.add_argument("--tzsim", default=os.path.join(ROOT, "build", "tzsim"))
    a = ap.parse_args()
    scen = sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml")))
    bad = 0
    for p in scen:
        name = os.path.splitext(os.path.basename(p))[0]
        js = measure(a.tzsim, os.path.relpath(p, ROOT))
        f = os.path.join(BASE, name + ".json")
        if a.mode == "record":
            os.makedirs(BASE, exist_ok=True)
            with open(f, "w") as fh:
                json.dump(js, fh, indent=1, sort_keys=True)
                fh.write("\n")
            print(f"recorded {name}")
            continue
        if not os.path.exists(f):
            print(f"FAIL {name}: no baseline ({os.path.relpath(f, ROOT)})")
            bad += 1
            continue
        with open(f) as fh:
            d = diff(json.load(fh), js)
        if d:
            bad += 1
            print(f"FAIL {name}: {len(d)} values differ from the baseline")
            for line in d[:20]:
                print("   ", line)
        else:
            print(f"ok   {name}")
    if a.mode == "check":
        print(f"{len(scen) - bad} match, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
