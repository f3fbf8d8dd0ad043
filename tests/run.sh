#!/usr/bin/env bash
# tests/run.sh: every test tzsim has, and the totals as the last line.
#
#  1. the GoogleTest unit tests (build/tests/unit), one count per test;
#  2. the SystemC tests, one process per test (tests/sc_run.sh);
#  3. the scenario regression set: tzsim test scenarios/ (expectations and
#     golden digests), one count per scenario;
#  4. the command-line checks (tests/cli_test.sh), one count per check;
#  5. tests/sweep_test.sh and tests/report_test.sh (below).
# The last line is "N passed, N failed" alone on its line.
set -u
BUILD=${BUILD:-build}
pass=0; fail=0
add() { pass=$((pass + $1)); fail=$((fail + $2)); }

echo "== unit tests ($BUILD/tests/unit)"
out=$("$BUILD/tests/unit" --gtest_brief=1 2>&1); rc=$?
p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
p=${p:-0}; f=${f:-0}
echo "$out" | grep -E '^\[  FAILED  \]|Failure|error' | head -40
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then echo "$out" | tail -20; f=1; fi
echo "   $p passed, $f failed"
add "$p" "$f"

echo "== SystemC tests, one process each"
out=$(BUILD=$BUILD tests/sc_run.sh 2>&1)
echo "$out" | grep -v -E '^ok |^[0-9]+ passed, [0-9]+ failed' | head -40
last=$(echo "$out" | tail -1)
p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p'); f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
[ -n "$p" ] || { p=0; f=1; }
echo "   $p passed, $f failed"
add "$p" "$f"

echo "== scenario regression: tzsim test scenarios/"
out=$("$BUILD/tzsim" test scenarios/ --tap 2>&1)
echo "$out" | grep -E '^not ok|^#' | head -60
p=$(echo "$out" | grep -c '^ok ')
f=$(echo "$out" | grep -c '^not ok ')
[ "$p" -gt 0 ] || [ "$f" -gt 0 ] || { echo "$out" | tail -5; f=1; }
echo "   $p passed, $f failed"
add "$p" "$f"

if [ -x tests/cli_test.sh ]; then
	echo "== command line (tests/cli_test.sh)"
	out=$(BUILD=$BUILD tests/cli_test.sh 2>&1)
	echo "$out" | grep -E '^FAIL' | head -40
	last=$(echo "$out" | tail -1)
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p'); f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	[ -n "$p" ] || { p=0; f=1; }
	echo "   $p passed, $f failed"
	add "$p" "$f"
fi

# 5. sweeps through GNU parallel and a private Slurm cluster (needs root), and the HTML
#    report in headless Chromium: one count per check, the time each took.
for t in "sweep:sweeps through GNU parallel and Slurm, merge = compare" "report:the HTML report in headless Chromium"; do
	name=${t%%:*}
	[ -x "tests/${name}_test.sh" ] || continue
	echo "== ${t#*:} (tests/${name}_test.sh)"
	t0=$(date +%s.%N)
	out=$(BUILD=$BUILD "tests/${name}_test.sh" 2>&1)
	echo "$out" | grep -E '^FAIL' -A6 | head -60
	echo "$out" | grep -E '^   [A-Za-z].*[0-9] s$'
	last=$(echo "$out" | tail -1)
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p'); f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	[ -n "$p" ] || { echo "$out" | tail -5; p=0; f=1; }
	echo "   $p passed, $f failed ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)"
	add "$p" "$f"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
