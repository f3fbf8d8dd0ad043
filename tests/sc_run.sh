#!/usr/bin/env bash
# tests/sc_run.sh: run each SystemC test in a process of its own.
#
# SystemC allows one elaboration per process (Accellera SystemC refuses
# sc_start once the simulation has stopped, and modules cannot be
# created after elaboration), so the
# sc_unit binary cannot run its tests in one go. This lists them with
# --gtest_list_tests and runs each with --gtest_filter=NAME, in parallel
# (one job per CPU), then prints one line per test in list order,
# "ok NAME" or "FAIL NAME" (with the tail of its output), and last the
# totals line "N passed, N failed". Exit status: 0 when all pass.
#
#   BUILD     build directory (default: build)
#   SC_JOBS   parallel jobs (default: nproc)
#   SC_TIMEOUT seconds per test (default: 120)
#
# Sanitizers: nothing is set here. Under ASan+UBSan (make asan) these
# processes pass with LeakSanitizer on (checked with SystemC 2.3.4: its
# process-lifetime objects stay reachable from its globals, and so does the
# backend's, on purpose). If a SystemC build ever reports its own static
# leaks, run with ASAN_OPTIONS=detect_leaks=0; the caller's ASAN_OPTIONS
# pass through unchanged.
set -u
BUILD=${BUILD:-build}
BIN="$BUILD/tests/sc_unit"
JOBS=${SC_JOBS:-$(nproc 2>/dev/null || echo 2)}
TIMEOUT=${SC_TIMEOUT:-120}

if [ ! -x "$BIN" ]; then
	echo "FAIL $BIN (not built)"
	echo "0 passed, 1 failed"
	exit 1
fi

# "Suite." lines then "  Test" lines (gtest may append "  # TypeParam ..." comments).
if ! list=$("$BIN" --gtest_list_tests 2>&1); then
	echo "$list" | tail -20
	echo "FAIL $BIN --gtest_list_tests"
	echo "0 passed, 1 failed"
	exit 1
fi
names=$(echo "$list" | awk '
	/^[^ ]/ { suite = $1; next }
	/^  [^ ]/ { print suite $1 }')
if [ -z "$names" ]; then
	echo "FAIL $BIN lists no tests"
	echo "0 passed, 1 failed"
	exit 1
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/tzsim-sc-run-XXXXXX")
trap 'rm -rf "$out"' EXIT

# One job per test; each writes NAME.log and NAME.rc. xargs keeps JOBS running.
export BIN TIMEOUT out
echo "$names" | xargs -P "$JOBS" -I{} sh -c '
	timeout "$TIMEOUT" "$BIN" --gtest_filter="$1" --gtest_color=no >"$out/$1.log" 2>&1
	echo $? >"$out/$1.rc"' _ {}

pass=0; fail=0
for name in $names; do
	rc=$(cat "$out/$name.rc" 2>/dev/null || echo 255)
	# A filter that matched nothing also exits 0: require the OK line.
	if [ "$rc" = 0 ] && grep -q "^\[       OK \] $name " "$out/$name.log"; then
		echo "ok $name"
		pass=$((pass+1))
	else
		echo "FAIL $name (exit $rc)"
		sed -n '/\(Failure\|ERROR\|Error\|runtime error\|FAILED\)/,$p' "$out/$name.log" | head -30 | sed 's/^/    /'
		[ "$rc" = 124 ] && echo "    (timed out after ${TIMEOUT}s)"
		fail=$((fail+1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
