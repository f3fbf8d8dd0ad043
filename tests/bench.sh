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

SECTIONS="section_kernel"
for s in $SECTIONS; do
	"$s"
	echo
done
exit $status
