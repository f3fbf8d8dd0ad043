#!/usr/bin/env bash
# tests/bench.sh: tzsim's benchmarks. Figures, not pass/fail: the exit status
# is non-zero only when a benchmark could not run.
#
# One function per section, called in order at the bottom; add a section by
# writing a function and adding it to SECTIONS.
#
#   BUILD   build directory holding tests/bench_* (default: build)
set -u
BUILD=${BUILD:-build}
status=0

# Pull key=value pairs out of one bench output line: kv LINE KEY
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# --- kernel: the hold model on both backends -----------------------------------
# One process per (backend, pending) run: SystemC allows one elaboration per
# process. Each run sizes itself to ~0.5 s after a 100k-event warm-up; the
# digest of the warm-up's (time, id) sequence must match between backends.
section_kernel() {
	local bin="$BUILD/tests/bench_kernel" p nat sc n_ns s_ns ratio same
	echo "== kernel: hold model (fire one, schedule one; queue held at P events)"
	if [ ! -x "$bin" ]; then
		echo "   $bin not built"
		status=1
		return
	fi
	printf "   %-8s %14s %14s %16s %10s\n" "pending" "native ns/ev" "systemc ns/ev" \
		"native/systemc" "same order"
	for p in 16 1024 65536; do
		nat=$("$bin" --backend native --pending "$p") || { echo "   native P=$p failed"; status=1; continue; }
		sc=$("$bin" --backend systemc --pending "$p") || { echo "   systemc P=$p failed"; status=1; continue; }
		n_ns=$(kv "$nat" ns_per_event)
		s_ns=$(kv "$sc" ns_per_event)
		# throughput ratio = (1/native) / (1/systemc)
		ratio=$(awk -v n="$n_ns" -v s="$s_ns" 'BEGIN { printf "%.2fx", s / n }')
		same=yes
		[ "$(kv "$nat" digest)" = "$(kv "$sc" digest)" ] || { same=NO; status=1; }
		printf "   %-8s %14s %14s %16s %10s\n" "$p" "$n_ns" "$s_ns" "$ratio" "$same"
	done
	echo "   (native/systemc = native events/s over SystemC events/s; one run each)"
}

# --- e2e: the default scenario, end to end ---------------------------------------
# Throughput: simulated notifications per wall-second (tzsim's own wall_s,
# which covers boot, the run and the drain, not loading), with no outputs
# (--trace none) and with the record CSV on. Instructions per notification:
# callgrind on two runs, the difference over the difference in notifications
# cancels boot and set-up. Peak RSS: tests/bench_rss (wait4's ru_maxrss) at
# 10k and 1M notifications; the ratio should stay near 1 (flat memory).
#
#   E2E_N      notifications for the no-output throughput run (default 200000)
#   E2E_N_CSV  ... for the CSV run (default 20000; ~7 kB of CSV each)
#   E2E_BIG    notifications for the large RSS run (default 1000000)
#   E2E_CG     0: skip callgrind
TZSIM=${TZSIM:-$BUILD/tzsim}
SCEN=${SCEN:-scenarios/default.yaml}

# notifications and wall_s of one run: e2e_run N ARGS... -> "N_SENT WALL_S"
e2e_run() {
	local n=$1 out
	shift
	out=$("$TZSIM" run "$SCEN" --vary "stop={notifications: $n}" --json "$@") || return 1
	echo "$(echo "$out" | sed -n 's/.*"notifications":\([0-9.e+]*\).*/\1/p') $(echo "$out" | sed -n 's/.*"wall_s":\([0-9.]*\).*/\1/p')"
}

e2e_rate() {
	local label=$1 n=$2 r
	shift 2
	r=$(e2e_run "$n" "$@") || { echo "   $label: run failed"; status=1; return; }
	set -- $r
	awk -v l="$label" -v n="$1" -v w="$2" \
		'BEGIN { printf "   %-28s %9d notifications in %7.3f s wall = %9.0f notifications/s\n", l, n, w, n / w }'
}

# Instructions of one run under callgrind
e2e_ir() {
	local n=$1 tmp=$2 log
	shift 2
	log=$(valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$n" "$TZSIM" run "$SCEN" \
		--vary "stop={notifications: $n}" --trace none --quiet "$@" 2>&1 >/dev/null) || return 1
	echo "$log" | sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p'
}

# Peak RSS (kB) of one run
e2e_rss() {
	local n=$1 line
	line=$("$BUILD/tests/bench_rss" "$TZSIM" run "$SCEN" --vary "stop={notifications: $n}" --trace none \
		--quiet 2>&1 >/dev/null | grep '^maxrss_kb=') || return 1
	kv "$line" maxrss_kb
}

# The invariant checker's cost (--check, docs/protocol.md §10.4; goal: under 20%): the best of
# five wall times with and without it, and, with valgrind, the instructions (repeatable).
check_overhead() {
	local n=${E2E_N_CHECK:-100000} w0=999 w1=999 r i0 i1
	for _ in 1 2 3 4 5; do
		r=$(e2e_run "$n" --trace none) || { echo "   --check: run failed"; status=1; return; }
		w0=$(awk -v a="$w0" -v b="${r#* }" 'BEGIN { print (b < a ? b : a) }')
		r=$(e2e_run "$n" --trace none --check) || { echo "   --check: run failed"; status=1; return; }
		w1=$(awk -v a="$w1" -v b="${r#* }" 'BEGIN { print (b < a ? b : a) }')
	done
	awk -v a="$w0" -v b="$w1" -v n="$n" 'BEGIN {
		printf "   %-28s %9d notifications in %7.3f s wall, %.3f s with --check: overhead %+.1f%% (goal < 20%%)\n",
			"--check (tracing off)", n, a, b, (b - a) / a * 100 }'
	if [ "${E2E_CG:-1}" != 0 ] && command -v valgrind >/dev/null; then
		i0=$(e2e_ir 5000 "$tmp") && i1=$(e2e_ir 5000 "$tmp" --check) && [ -n "$i0" ] && [ -n "$i1" ] &&
			awk -v a="$i0" -v b="$i1" 'BEGIN {
				printf "   %-28s %9.0f instructions without, %.0f with --check at 5000: overhead %+.1f%%\n",
					"--check (callgrind)", a, b, (b - a) / a * 100 }'
	fi
}

section_e2e() {
	local tmp n1=2000 n2=12000 i1 i2 r1 r2
	echo "== e2e: $SCEN, end to end ($TZSIM)"
	if [ ! -x "$TZSIM" ]; then
		echo "   $TZSIM not built"
		status=1
		return
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tzsim-bench.XXXXXX") || { status=1; return; }
	e2e_rate "tracing off (--trace none)" "${E2E_N:-200000}" --trace none
	e2e_rate "CSV on (--trace csv)" "${E2E_N_CSV:-20000}" --trace csv -o "$tmp/csv"
	rm -rf "$tmp/csv"
	check_overhead
	if [ "${E2E_CG:-1}" = 0 ]; then
		echo "   callgrind: skipped (E2E_CG=0)"
	elif ! command -v valgrind >/dev/null; then
		echo "   callgrind: valgrind not installed"
	else
		i1=$(e2e_ir $n1 "$tmp") && i2=$(e2e_ir $n2 "$tmp") && [ -n "$i1" ] && [ -n "$i2" ] ||
			{ echo "   callgrind: run failed"; status=1; }
		[ -n "${i1:-}" ] && [ -n "${i2:-}" ] &&
			awk -v a="$i1" -v b="$i2" -v n1=$n1 -v n2=$n2 'BEGIN {
				printf "   %-28s %9.0f instructions/notification (callgrind: %d at %d, %d at %d)\n",
					"instructions (tracing off)", (b - a) / (n2 - n1), a, n1, b, n2 }'
	fi
	if [ ! -x "$BUILD/tests/bench_rss" ]; then
		echo "   $BUILD/tests/bench_rss not built"
		status=1
	else
		r1=$(e2e_rss 10000) && r2=$(e2e_rss "${E2E_BIG:-1000000}") ||
			{ echo "   peak RSS: run failed"; status=1; }
		[ -n "${r1:-}" ] && [ -n "${r2:-}" ] &&
			awk -v a="$r1" -v b="$r2" -v big="${E2E_BIG:-1000000}" 'BEGIN {
				printf "   %-28s %9d kB at 10000, %d kB at %d notifications: ratio %.3f (target <= 1.2)\n",
					"peak RSS (tracing off)", a, b, big, b / a }'
	fi
	rm -rf "$tmp"
}

SECTIONS="section_kernel section_e2e"
for s in $SECTIONS; do
	"$s"
	echo
done
exit $status
