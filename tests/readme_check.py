#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/readme_check.py: the README's examples print what the README says they print.

Every fenced block of README.md that shows a command (a line "$ build/tzsim ...", or
another command in the same block) is run, in order within its block, in a scratch
directory that has the repository's scenarios/, examples/, docs/ and tests/, a copy of
traces/golden/, and the tzsim under test as build/tzsim. What the block shows after a command, up to the next
command, must be what the command prints (stdout, then stderr), line for line, with:

  - a line "..." (alone, or followed by a parenthesis that says what it stands for)
    standing for any number of lines, none included;
  - wall-clock times made equal ("in 0.01 s wall", "in 26.3 s:", the time column of
    tzsim test), and the number of parallel runs of explore ("2 at a time": the number
    of CPUs);
  - /tmp/ in a command meaning the scratch directory's tmp/, so nothing is written
    outside it.

The files an example names but the repository does not ship (typo.yaml, brokendts.yaml,
s3/timer.yaml) are made here, as the README describes them (FIXTURES).

Every ```yaml block that is a scenario (a top-level "name:") is a check too: tzsim
validate accepts it.

The commands listed in NOT_RUN are shown with the reason they are not run here (each is
checked elsewhere, or writes outside a scratch directory); they are not counted. Prints
"ok README.md:LINE: COMMAND" or "FAIL README.md:LINE: COMMAND" with a diff per example,
and "N passed, N failed" last. BUILD (default build) names the build directory;
README_CHECK_SHOW=1 also prints each failing example's whole output.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
tzsim = os.path.abspath(os.path.join(root, os.environ.get("BUILD", "build"), "tzsim"))

# command prefix -> why it is not run here
NOT_RUN = {
    "make run": "tests/cli_test.sh checks its summary (readme.quick_start_summary)",
    "make bench": "make bench itself; minutes under valgrind",
    "for n in 2000 12000; do valgrind": "make bench runs it",
    "make && build/tzsim test": "edits a guest routine and rebuilds first",
    "build/tzsim completion bash > /etc/": "writes to /etc; tests/install_test.sh loads the completion",
    "cd examples/systemc": "needs tzsim installed; tests/install_test.sh builds and runs the examples",
    "./platform_demo": "needs tzsim installed; tests/install_test.sh runs it on every scenario",
}


def default_with(old, new):
    with open(os.path.join(root, "scenarios", "default.yaml"), encoding="utf-8") as fh:
        text = fh.read()
    assert old in text, old
    return text.replace(old, new, 1)


TIMER = """name: timer
seed: 1
stop: {{after: 10ms}}
platform:
  cpus: 1
  cost_overrides: {{world_switch: {cycles} cycles}}
sources:
  - name: tick
    kind: timer
    arrival: {{periodic: 1ms}}
outputs:
  trace: [csv]
"""


def fixtures(w, cmd):
    """Make the files the example @cmd names, in @w (the README says what they hold)."""
    if cmd.startswith("build/tzsim run typo.yaml"):
        # scenarios/default.yaml with platform.cpus misspelt on its line 12
        with open(os.path.join(w, "typo.yaml"), "w", encoding="utf-8") as fh:
            fh.write(default_with("\n  cpus: 4\n", "\n  cpu: 4\n"))
    elif cmd.startswith("build/tzsim validate brokendts.yaml"):
        # platform.dts: broken.dts, cut off after "cpus {"
        with open(os.path.join(w, "brokendts.yaml"), "w", encoding="utf-8") as fh:
            fh.write(default_with("\n  cpus: 4\n", "\n  cpus: 4\n  dts: broken.dts\n"))
        with open(os.path.join(w, "broken.dts"), "w", encoding="utf-8") as fh:
            fh.write('/dts-v1/;\n/ {\n\tcompatible = "linux,dummy-virt";\n\tcpus {\n')
    elif cmd.startswith("build/tzsim test s3 --golden-dir g3"):
        # s3/timer.yaml: one secure timer, 10 ms, blessed with world_switch at 1000 cycles, now 1001
        os.makedirs(os.path.join(w, "s3"), exist_ok=True)
        path = os.path.join(w, "s3", "timer.yaml")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(TIMER.format(cycles=1000))
        subprocess.run([tzsim, "test", "s3", "--golden-dir", "g3", "--bless"], cwd=w, capture_output=True, check=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(TIMER.format(cycles=1001))


def examples():
    """(line, command, shown lines) of every command in a fenced block, in README order, by block."""
    lines = open(os.path.join(root, "README.md"), encoding="utf-8").read().split("\n")
    blocks, cur, start = [], None, 0
    for i, line in enumerate(lines):
        if line.startswith("```"):
            if cur is None:
                cur, start = [], i + 1
            else:
                blocks.append((start, cur))
                cur = None
        elif cur is not None:
            cur.append(line)
    out = []
    for start, body in blocks:
        if not any(l.startswith("$ build/tzsim") for l in body):
            continue
        block, j = [], 0
        while j < len(body):
            if not body[j].startswith("$ "):
                j += 1
                continue
            line, cmd = start + j + 1, body[j][2:]
            j += 1
            while cmd.endswith("\\") and j < len(body):
                cmd = cmd[:-1] + " " + body[j].strip()
                j += 1
            shown = []
            while j < len(body) and not body[j].startswith("$ "):
                shown.append(body[j])
                j += 1
            while shown and not shown[-1].strip():
                shown.pop()
            block.append((line, cmd, shown))
        out.append(block)
    return out


def scenarios():
    """(line, text) of every ```yaml block of README.md that is a scenario."""
    lines = open(os.path.join(root, "README.md"), encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```yaml":
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            body = lines[i + 1 : j]
            if any(l.startswith("name:") for l in body):
                out.append((i + 2, "\n".join(body) + "\n"))
            i = j
        i += 1
    return out


def norm(s, w):
    s = s.replace(w + "/", "").rstrip()
    s = re.sub(r"in \d+(\.\d+)? s wall", "in T s wall", s)
    s = re.sub(r"variants in \d+(\.\d+)? s:", "variants in T s:", s)
    s = re.sub(r"\d+ at a time", "N at a time", s)
    if re.match(r"(PASS|FAIL) ", s):
        s = re.sub(r"\s\d+\.\d\ds(\s|$)", " T.TTs ", s).rstrip()
        s = re.sub(r"\s+", " ", s)
    return s


def is_gap(s):
    return re.match(r"^\s*\.\.\.\s*(\(.*\))?\s*$", s) is not None


def matches(want, got):
    """Does @got fit @want, where a gap line in @want stands for any lines?"""
    memo = {}

    def m(i, j):
        if (i, j) in memo:
            return memo[(i, j)]
        if i == len(want):
            r = j == len(got)
        elif is_gap(want[i]):
            r = any(m(i + 1, k) for k in range(j, len(got) + 1))
        else:
            r = j < len(got) and want[i] == got[j] and m(i + 1, j + 1)
        memo[(i, j)] = r
        return r

    return m(0, 0)


def main():
    if not os.access(tzsim, os.X_OK):
        print(f"FAIL {tzsim}: not built")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    base = tempfile.mkdtemp(prefix="tzsim-readme-")
    try:
        for n, block in enumerate(examples()):
            w = os.path.join(base, f"b{n}")
            os.makedirs(os.path.join(w, "build"))
            os.makedirs(os.path.join(w, "tmp"))
            for d in ("scenarios", "examples", "docs", "tests"):
                os.symlink(os.path.join(root, d), os.path.join(w, d))
            # a copy: tzsim test --bless writes there
            shutil.copytree(os.path.join(root, "traces", "golden"), os.path.join(w, "traces", "golden"))
            os.symlink(tzsim, os.path.join(w, "build", "tzsim"))
            for line, cmd, shown in block:
                run = re.sub(r"\s+#\s.*$", "", cmd).replace("/tmp/", w + "/tmp/")
                why = next((r for p, r in NOT_RUN.items() if cmd.startswith(p)), None)
                if why:
                    print(f"not run: README.md:{line}: {cmd} ({why})")
                    continue
                try:
                    fixtures(w, cmd)
                    p = subprocess.run(["bash", "-c", run], cwd=w, capture_output=True, text=True, timeout=300)
                    got = (p.stdout + p.stderr).rstrip("\n").split("\n") if (p.stdout + p.stderr).strip() else []
                except (subprocess.SubprocessError, OSError) as e:
                    got = [f"(could not run: {e})"]
                want = [norm(s, w) for s in shown]
                have = [norm(s, w) for s in got]
                if matches(want, have):
                    passed += 1
                    print(f"ok README.md:{line}: {cmd}")
                else:
                    failed += 1
                    print(f"FAIL README.md:{line}: {cmd}")
                    for d in list(difflib.unified_diff(want, have, "README", "now", lineterm="", n=1))[2:40]:
                        print("    " + d)
                    if os.environ.get("README_CHECK_SHOW"):
                        print("\n".join("    | " + g for g in got))
        for line, text in scenarios():
            path = os.path.join(base, f"scenario-{line}.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            p = subprocess.run([tzsim, "validate", path], cwd=base, capture_output=True, text=True, timeout=60)
            if p.returncode == 0:
                passed += 1
                print(f"ok README.md:{line}: the scenario validates")
            else:
                failed += 1
                print(f"FAIL README.md:{line}: the scenario does not validate (exit {p.returncode})")
                print("    " + (p.stdout + p.stderr).strip().replace("\n", "\n    "))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
