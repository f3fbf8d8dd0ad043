#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/robust_test.sh: hostile input and faults (issue 13), one section per class.
#
# The rule: `tzsim validate` accepts exactly what `tzsim run` can run; anything
# else is exit 2 with file:line:col, the key, the value and the allowed range,
# and nothing written. A run never aborts on an assertion because of its
# input, never runs forever and never leaves files or child processes behind.
#
# Prints "ok NAME" / "FAIL NAME" per check and "N passed, N failed" last.
# Every file goes under a temp directory.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
case $BUILD in /*) TZ=$BUILD/tzsim ;; *) TZ=$ROOT/$BUILD/tzsim ;; esac
T=$(mktemp -d /tmp/tzsim-robust-XXXXXX)
trap 'rm -rf "$T"' EXIT

pass=0; fail=0
ok()   { echo "ok $1"; pass=$((pass + 1)); }
bad()  { echo "FAIL $1"; shift; for l in "$@"; do printf '    %s\n' "$l" | head -c 2000; echo; done; fail=$((fail + 1)); }
# tz ARGS...: tzsim from $T, bounded to 60 s; sets OUT, ERR, RC
tz() {
	(cd "$T" && timeout -k 5 60 "$TZ" "$@") >"$T/.out" 2>"$T/.err"
	RC=$?
	OUT=$(cat "$T/.out"); ERR=$(cat "$T/.err")
}
check_rc() { [ "$RC" -eq "$2" ] && ok "$1" || bad "$1" "exit $RC, want $2" "stdout: ${OUT:0:500}" "stderr: ${ERR:0:500}"; }
has() { grep -Eq -- "$3" <<<"$2" && ok "$1" || bad "$1" "no match for /$3/ in:" "${2:0:1500}"; }
# refused NAME FILE REGEX: validate and run both exit 2 with the message, and run writes nothing
refused() {
	local n=$1 f=$2 re=$3
	tz validate "$f"
	check_rc "$n.validate.exit2" 2
	has "$n.validate.message" "$ERR" "$re"
	tz run "$f" -o "out-$n"
	check_rc "$n.run.exit2" 2
	has "$n.run.message" "$ERR" "$re"
	[ ! -e "$T/out-$n" ] && ok "$n.run.nothing_written" || bad "$n.run.nothing_written" "$(find "$T/out-$n" | head -5)"
}
# scen NAME <<EOF: a scenario file $T/NAME.yaml
scen() { cat >"$T/$1.yaml"; }

# ---- class 2: arithmetic that wraps or reaches zero; the kernel's livelock guard ----------------

# a burst of 1000 at one instant: more than a guard of 100 events lets through
scen livelock <<'EOF'
stop: {after: 10ms}
sources:
  - {name: b, kind: timer, arrival: {burst: {count: 1000, every: 1ms, spacing: 0us}}}
EOF
tz run livelock.yaml -o out-livelock --stall-events 100
check_rc livelock.exit3 3
has livelock.message "$ERR" '^livelock.yaml: the run could not complete: livelock at [0-9]+ ps .*100 events fired without simulated time advancing; the event that keeps rescheduling: [a-z_]+ \([a-z_]+\.c\)'
[ ! -e "$T/out-livelock" ] || [ -z "$(ls -A "$T/out-livelock")" ] && ok livelock.nothing_written || bad livelock.nothing_written "$(ls -A "$T/out-livelock")"
mkdir -p "$T/ll" && cp "$T/livelock.yaml" "$T/ll/"
tz test ll --stall-events 100 --golden-dir g-none
check_rc livelock.test.exit3 3
has livelock.test.fail_line "$OUT" '^FAIL ll/livelock.yaml'
has livelock.test.reason "$OUT" 'the run could not complete: livelock'
tz compare livelock.yaml --vary seed=1,2 --seeds 1 --stall-events 100
check_rc livelock.compare.exit3 3
has livelock.compare.error_row "$OUT" '^  1 .* ERROR$'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
