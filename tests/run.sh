#!/usr/bin/env bash
# tests/run.sh: run every test and print the totals as the last line.
set -u
BUILD=${BUILD:-build}
pass=0; fail=0; skip=0
echo "== unit tests"
out=$("$BUILD/tests/unit" 2>&1); rc=$?
echo "$out" | grep -E '^\[  (FAILED|PASSED|SKIPPED) ' || true
p=$(echo "$out" | grep -c '^\[       OK \]'); f=$(echo "$out" | grep -c '^\[  FAILED  \] [A-Za-z].*\.[A-Za-z].* (')
s=$(echo "$out" | grep -c '^\[  SKIPPED \] [A-Za-z].*\.')
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then echo "$out" | tail -20; f=1; fi
pass=$((pass+p)); fail=$((fail+f)); skip=$((skip+s))
echo "$pass passed, $fail failed"
