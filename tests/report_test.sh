#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/report_test.sh: the HTML report as a browser shows it. `tzsim compare --report` and
# `tzsim run --report` write reports; each must be self-contained (no script, no link, no
# URL it would fetch), and headless Chromium must draw it: a screenshot whose plot regions
# (every <svg>, located by the page itself) are not blank, and the legend text in the DOM
# (tests/tools/chromium-shot.sh, tests/tools/pngcheck.py).
#
# Chromium runs as root with --no-sandbox, its profile, HOME and TMPDIR in the test's temp
# dir, under timeout in its own process group, killed as a group at the end; the script
# checks that no process and no file of it is left. When Chromium cannot run, the test
# FAILS with the reason (make deps installs it).
# Prints "ok NAME" / "FAIL NAME" per check and "N passed, N failed" last.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
case $BUILD in /*) TZ=$BUILD/tzsim ;; *) TZ=$ROOT/$BUILD/tzsim ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/tzsim-report.XXXXXX")
trap 'rc=$?; rm -rf "$T"; exit $rc' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pass=0; fail=0
ok()  { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do printf '    %s\n' "$l" | head -c 3000; echo; done; fail=$((fail + 1)); }

# self_contained NAME FILE: nothing the page would fetch, nothing it would run
self_contained() {
	local urls
	urls=$(grep -oE '(https?|ftp)://[^" )<]*' "$2" | grep -v '^http://www.w3.org/2000/svg$' | sort -u)
	if [ -n "$urls" ]; then bad "$1.no_urls" "$urls"; else ok "$1.no_urls"; fi
	if grep -qiE '<script|<link|<img|<iframe|@import|url\((https?:|//)' "$2"; then
		bad "$1.no_external" "$(grep -oiE '<script|<link|<img|<iframe|@import|url\((https?:|//)' "$2" | sort -u)"
	else ok "$1.no_external"; fi
}

# shot NAME FILE LEGEND...: Chromium draws it
shot() {
	local name=$1 file=$2 t0 t1 rc
	shift 2
	t0=$(date +%s.%N)
	"$ROOT/tests/tools/chromium-shot.sh" "$file" "$T/$name" "$@" >"$T/$name.out" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	case $rc in
	0) ok "$name.drawn" ;;
	3) bad "$name.drawn" "Chromium could not run (make deps installs chromium):" "$(cat "$T/$name.out")" ;;
	4) bad "$name.drawn" "Chromium left processes or files behind:" "$(cat "$T/$name.out")" ;;
	*) bad "$name.drawn" "$(cat "$T/$name.out")" ;;
	esac
	echo "   $name: Chromium screenshot and checks $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
	sed -n 's/^  \(ok   \|BLANK\) /   /p' "$T/$name.out"
	[ -n "${KEEP_SHOT:-}" ] && cp "$T/$name/shot.png" "$KEEP_SHOT.$name.png"
}

# ---- the transport comparison
"$TZ" compare scenarios/transports.yaml --vary transport.kind=spi,ppi,sgi,ffa --seeds 2 \
	--report "$T/compare.html" >"$T/compare.txt" 2>&1
rc=$?
[ $rc = 0 ] && ok compare.report.exit0 || bad compare.report.exit0 "exit $rc" "$(cat "$T/compare.txt")"
for id in plot-cdf plot-stages plot-cpu; do
	grep -q "<svg id=\"$id\"" "$T/compare.html" && ok "compare.report.has.$id" || bad "compare.report.has.$id"
done
self_contained compare.report "$T/compare.html"
shot compare "$T/compare.html" "spi 219 edge" "ppi 31 edge" "sgi 8 edge" "ffa 8 edge spmc s-el1" \
	"source → top half" "normal world" "p50 "

# ---- one run
"$TZ" run scenarios/default.yaml --trace none --quiet --report "$T/run.html" >"$T/run.txt" 2>&1
rc=$?
[ $rc = 0 ] && ok run.report.exit0 || bad run.report.exit0 "exit $rc" "$(cat "$T/run.txt")"
self_contained run.report "$T/run.html"
shot run "$T/run.html" "default" "spi 219 edge"

# ---- an unwritable report is exit 3, naming the file
"$TZ" run scenarios/default.yaml --trace none --quiet --report /proc/x/report.html >"$T/io.txt" 2>&1
rc=$?
[ $rc = 3 ] && grep -q '^/proc/x/report.html' "$T/io.txt" && ok run.report.unwritable.exit3 ||
	bad run.report.unwritable.exit3 "exit $rc" "$(cat "$T/io.txt")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
