#!/usr/bin/env bash
# tests/run.sh: every test tzsim has, and the totals as the last line.
#
#  1. the GoogleTest unit tests (build/tests/unit), one count per test;
#  2. the SystemC tests, one process per test (tests/sc_run.sh);
#  3. the scenario regression set: tzsim test scenarios/ (expectations and
#     golden digests), one count per scenario;
#  4. the command-line checks (tests/cli_test.sh), one count per check;
#  5. hostile input and faults (tests/robust_test.sh), one count per check;
#     citations of docs/ and paths of the project's own files (tests/cite_check.py:
#     every cited section and named file exists, nothing points outside the
#     repository), one count per citing file;
#     the README's examples: each command it shows prints what it shows, and each
#     scenario it shows validates (tests/readme_check.py), one count per example;
#     outputs.el3 pass against legs: the same runs, fewer records (tests/el3_pass_test.py),
#     one count per check;
#     40 of make soak's seeded random runs under --check (tests/soak.py), one count per run;
#     the layers: what each folder may include, internal headers and the models'
#     state structs kept in their folders (tests/layers_check.py), one count per rule
#     and folder;
#     cppcheck over sim/ and models/ with no finding (tests/cppcheck.sh), one count;
#     the library and the CLI under clang -Wall -Wextra -Werror, as make fuzz builds
#     them (tests/clang_check.sh), one count;
#  6. make install into a temporary DESTDIR, the SystemC examples built
#     against it and the bash completion (tests/install_test.sh), one count
#     per check;
#  7. tests/sweep_test.sh and tests/report_test.sh (below);
#  8. nothing left behind, checked last: temporary files, /tmp, processes.
# The last line is "N passed, N failed" alone on its line.
set -u
BUILD=${BUILD:-build}
pass=0; fail=0
add() { pass=$((pass + $1)); fail=$((fail + $2)); }
# p and f from the last line of output $1, "N passed, N failed"; without one, the output's tail
# is shown and it counts as one failure
counts() {
	local last
	last=$(echo "$1" | tail -1)
	p=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
	f=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
	[ -n "$p" ] || { echo "$1" | tail -5; p=0; f=1; }
}
# section TITLE CONTEXT FILTER LINES CMD...: run a check script that ends with "N passed, N
# failed", show at most LINES of its output matching FILTER (grep -E, with CONTEXT lines after
# each), and count it
section() {
	local title=$1 ctx=$2 filter=$3 lines=$4 out
	shift 4
	echo "== $title"
	out=$("$@" 2>&1)
	if [ "$ctx" -gt 0 ]; then echo "$out" | grep -E "$filter" -A"$ctx"; else echo "$out" | grep -E "$filter"; fi |
		head -"$lines"
	counts "$out"
	echo "   $p passed, $f failed"
	add "$p" "$f"
}

# Nothing may be left behind (issue 13): every test writes its temporaries under a private
# TMPDIR, which must be empty at the end, /tmp gains no tzsim-* entry, and no process that
# inherited this run's mark (a forked run, cpp, dtc, a tzsim) outlives the tests.
tmp_before=$(compgen -G '/tmp/tzsim-*' | sort)
export TMPDIR=$(mktemp -d /tmp/tzsim-run-XXXXXX)
# searchable, not listable: munged (tests/sweep_test.sh's private Slurm cluster) wants o+x on
# every directory above its socket
chmod 0711 "$TMPDIR"
export TZSIM_TEST_MARK="$$-$RANDOM$RANDOM"

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
counts "$out"
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

[ -x tests/cli_test.sh ] &&
	section "command line (tests/cli_test.sh)" 0 '^FAIL' 40 env BUILD="$BUILD" tests/cli_test.sh

[ -x tests/robust_test.sh ] &&
	section "hostile input and faults (tests/robust_test.sh)" 4 '^FAIL' 60 env BUILD="$BUILD" tests/robust_test.sh

section "citations resolve inside the repository (tests/cite_check.py)" 0 '^FAIL|^    ' 40 \
	python3 tests/cite_check.py
section "the README's examples print what it shows (tests/readme_check.py)" 0 '^FAIL|^    ' 60 \
	env BUILD="$BUILD" python3 tests/readme_check.py
section "a pass through EL3 as one step changes the trace only (tests/el3_pass_test.py)" 0 '^FAIL|^    ' 40 \
	env BUILD="$BUILD" python3 tests/el3_pass_test.py
section "40 seeded random runs under --check, as make soak runs them (tests/soak.py)" 0 '^FINDING|^FAIL|^    ' 40 \
	python3 tests/soak.py --runs 40 --seed 1 --tzsim "$BUILD/tzsim"
section "the folders are layers (tests/layers_check.py)" 0 '^FAIL|^    ' 40 python3 tests/layers_check.py
section "static analysis (tests/cppcheck.sh)" 0 \
	': (error|warning|style|performance|portability|information): |^FAIL' 40 tests/cppcheck.sh
section "the library under clang's warnings, as make fuzz builds it (tests/clang_check.sh)" 0 \
	'^FAIL|^    ' 40 tests/clang_check.sh
[ -x tests/install_test.sh ] &&
	section "install and the SystemC examples (tests/install_test.sh)" 0 '^FAIL|^    ' 60 \
		env BUILD="$BUILD" tests/install_test.sh

# 7. sweeps through GNU parallel and a private Slurm cluster (needs root), and the HTML
#    report in headless Chromium: one count per check, the time each took.
for t in "sweep:sweeps through GNU parallel and Slurm, merge = compare" "report:the HTML report in headless Chromium"; do
	name=${t%%:*}
	[ -x "tests/${name}_test.sh" ] || continue
	echo "== ${t#*:} (tests/${name}_test.sh)"
	t0=$(date +%s.%N)
	out=$(BUILD=$BUILD "tests/${name}_test.sh" 2>&1)
	echo "$out" | grep -E '^FAIL' -A6 | head -60
	echo "$out" | grep -E '^   [A-Za-z].*[0-9] s$'
	counts "$out"
	echo "   $p passed, $f failed ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s)"
	add "$p" "$f"
done

echo "== nothing left behind (temporary files, child processes)"
sleep 0.3 # children killed at the end of the last test are reaped by now
left_files=$(find "$TMPDIR" -mindepth 1 2>/dev/null | head -20)
leaked=""
for d in /proc/[0-9]*; do
	pid=${d#/proc/}
	[ "$pid" = "$$" ] && continue
	{ mapfile -d '' -t envs <"$d/environ"; } 2>/dev/null || continue
	for e in "${envs[@]}"; do
		if [ "$e" = "TZSIM_TEST_MARK=$TZSIM_TEST_MARK" ]; then
			leaked="$leaked $pid($(tr -d '\0' <"$d/comm" 2>/dev/null))"
			break
		fi
	done
done
rm -rf "$TMPDIR"
tmp_after=$(compgen -G '/tmp/tzsim-*' | sort)
new_tmp=$(comm -13 <(echo "$tmp_before") <(echo "$tmp_after") | grep -v '^$')
# The machine may be shared: another tests/run.sh's private TMPDIR (tzsim-run-*: ours is gone),
# an entry a process outside this run has as its cwd or an open file, or one that goes away
# within 10 s (ours cannot: none of our processes is left) belongs to someone else.
ours_only() {
	local e d pid used
	for e in $new_tmp; do
		case $e in /tmp/tzsim-run-*) continue ;; esac
		used=""
		for d in /proc/[0-9]*; do
			pid=${d#/proc/}
			ls -l "$d/cwd" "$d/fd" 2>/dev/null | grep -q -- "$e" || continue
			tr '\0' '\n' <"$d/environ" 2>/dev/null | grep -qx "TZSIM_TEST_MARK=$TZSIM_TEST_MARK" || { used=1; break; }
		done
		[ -n "$used" ] || [ ! -e "$e" ] || echo "$e"
	done
}
for _ in $(seq 20); do
	new_tmp=$(ours_only)
	[ -z "$new_tmp" ] && break
	sleep 0.5
done
f=0
[ -z "$left_files" ] || { echo "FAIL temporary files left in TMPDIR:"; echo "$left_files"; f=$((f + 1)); }
[ -z "$leaked" ] || { echo "FAIL processes left running:$leaked"; f=$((f + 1)); }
[ -z "$new_tmp" ] || { echo "FAIL new /tmp entries:"; echo "$new_tmp"; f=$((f + 1)); }
echo "   $((3 - f)) passed, $f failed"
add $((3 - f)) "$f"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
