#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""tests/cite_check.py: every citation of the project's notes resolves inside the repository.

Checks the tracked files (git ls-files) for:
  - `docs/<name>.md §N` or `§N.M` (also a bare `§N` list after one, as in
    `docs/protocol.md §5.2, §6.4`): docs/<name>.md exists and has a heading
    numbered N or N.M;
  - a reference to the notes the project was written from, which a clone does
    not have: a folder beside the repository or an absolute path to one (its
    reference/, design/ and style/ subfolders), or those notes by file name
    (`reference/protocol.md`, `tooling.md`, a bare `protocol.md`, ...).
  - a path of the project's own code or notes (`sim/...`, `models/...`,
    `docs/...`, `scenarios/...`, `examples/...` ending in a source or notes
    extension): it exists. A file that moves leaves no comment, message or
    document naming its old place (the layout move of issue 11 left a dozen).
    Fixture paths that tests make on purpose live under tests/ and are not
    checked; names with a wildcard or a placeholder (`*`, `<`, `%`) are not
    paths.
Prints "FAIL NAME" per file with a problem and "N passed, N failed" last.
"""
import os
import re
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)
files = subprocess.run(["git", "ls-files"], capture_output=True, text=True, check=True).stdout.split()
texts = (".c", ".h", ".cc", ".S", ".sh", ".py", ".md", ".yaml", ".dts", ".dtsi", "Makefile", ".in", ".txt")
files = [f for f in files if f.endswith(texts) and os.path.isfile(f) and f != "tests/cite_check.py"]

headings = {}
for doc in os.listdir("docs"):
    if doc.endswith(".md"):
        nums = set()
        with open(os.path.join("docs", doc), encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"#+\s+(\d+(?:\.\d+)*)\.?\s", line)
                if m:
                    nums.add(m.group(1))
        headings[doc] = nums

cite = re.compile(r"docs/([A-Za-z0-9_-]+\.md)((?:\s*(?:§|,|/|and|-)\s*\d+(?:\.\d+)*[a-z]?)*)")
outside = re.compile(r"(?:\.\./|/work/)[\w.-]+/(?:reference|design|style)/|/work/[\w.-]+/(?:reference|design|style)\b"
                     r"|reference/(?:protocol|calibration|tooling|formats)\.md"
                     r"|(?<![\w/])(?:tooling|formats)\.md|(?<![\w/.])(?:protocol|calibration)\.md")
# a project path: not inside a longer path (an upstream file such as drivers/tee/optee/... or
# include/linux/... never starts with these folders)
own = re.compile(r"(?<![\w./-])((?:sim|models|docs|scenarios|examples)/[\w/.-]*\w\."
                 r"(?:c|h|cc|S|ld|md|yaml|dts|dtsi|sh|py))(?![\w*<%])")
passed = failed = 0
for f in sorted(files):
    with open(f, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    problems = []
    cites = 0
    for ln, line in enumerate(text.splitlines(), 1):
        for m in cite.finditer(line):
            cites += 1
            doc = m.group(1)
            if doc not in headings:
                problems.append(f"{f}:{ln}: docs/{doc} does not exist")
                continue
            for sec in re.findall(r"§\s*(\d+(?:\.\d+)*)", m.group(0)):
                if sec not in headings[doc] and not any(h.startswith(sec + ".") for h in headings[doc]):
                    problems.append(f"{f}:{ln}: docs/{doc} has no section {sec}")
        for m in own.finditer(line):
            cites += 1
            if not os.path.exists(m.group(1)):
                problems.append(f"{f}:{ln}: names {m.group(1)}, which does not exist")
        for m in outside.finditer(line):
            # a file's own name in docs/ cites itself as docs/<name>; "docs/protocol.md" is fine
            if line[max(0, m.start() - 5):m.start()] == "docs/":
                continue
            problems.append(f"{f}:{ln}: points outside the repository: {m.group(0)}")
    if problems:
        failed += 1
        print(f"FAIL cite.{f}")
        for p in problems[:20]:
            print("    " + p)
    elif cites:
        passed += 1  # one check per file that cites the notes
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
