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
	# a run stopped at N notifications may end with a CPU busy: --check's note that it skipped
	# the checks at quiescence is expected here, any other message still shows
	out=$("$TZSIM" run "$SCEN" --vary "stop={notifications: $n}" --json "$@" 2> >(grep -v 'not quiescent at the end' >&2)) ||
		return 1
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

# Where a notification's instructions go, by layer: callgrind's self cost per source file in
# section_e2e's two runs, the difference over the difference in notifications. Inline code counts
# where its source is (a record written by sim/kernel/trace.h's inline emitters counts as the
# trace's, not the model's). With the records a notification makes, so that a model doing more
# per notification (more steps, more records) reads apart from a slower path.
#   e2e_breakdown CG1 CG2 N1 N2
e2e_breakdown() {
	local a=$1 b=$2 n1=$3 n2=$4 r1 r2
	command -v callgrind_annotate >/dev/null || { echo "   by layer: callgrind_annotate not installed"; return; }
	r1=$(e2e_records "$n1") r2=$(e2e_records "$n2")
	{ callgrind_annotate --auto=no --threshold=100 "$a" | sed 's/^/1 /'
	  callgrind_annotate --auto=no --threshold=100 "$b" | sed 's/^/2 /'; } 2>/dev/null |
	awk -v n="$((n2 - n1))" -v r1="${r1:-0}" -v r2="${r2:-0}" '
	function layer(f) {
		if (f ~ /libxxhash/) return "XXH3"
		if (f ~ /(^|\/)sim\/kernel\/trace\.[ch]:|(^|\/)sim\/out\//) return "records"
		if (f ~ /(^|\/)sim\/kernel\/(rng|costs)\.c:|\/math\/|libm[.-]/) return "cost draws"
		if (f ~ /(^|\/)sim\/kernel\//) return "kernel"
		if (f ~ /(^|\/)sim\/stats\//) return "statistics"
		if (f ~ /(^|\/)models\/cpu\//) return "PE"
		if (f ~ /(^|\/)models\/gic\//) return "GIC"
		if (f ~ /(^|\/)models\/monitor\//) return "monitor"
		if (f ~ /(^|\/)models\/tee\//) return "OP-TEE"
		if (f ~ /(^|\/)models\/ree\//) return "Linux"
		if (f ~ /(^|\/)models\/dev\//) return "devices"
		if (f ~ /(^|\/)sim\//) return "platform"
		return "other"
	}
	$2 ~ /^[0-9,]+$/ && $3 ~ /^\(/ {
		v = $2; gsub(",", "", v)
		f = $0; sub(/^[12] +[0-9,]+ +\( *[0-9.]+%\) +/, "", f)
		if (f ~ /PROGRAM TOTALS/) { tot[$1] = v; next }
		d[layer(f)] += ($1 == 2 ? v : -v)
	}
	function row(title, names,   o, k, i, line) {
		k = split(names, o, "|")
		for (i = 1; i <= k; i++)
			line = line sprintf("%s%s %.0f", (i > 1 ? ", " : ""), o[i], d[o[i]] / n)
		printf "   %-28s %s\n", title, line
	}
	END {
		if (!n || !tot[1] || !tot[2])
			exit
		row("by layer: simulation", "kernel|records|XXH3|statistics|cost draws|platform")
		row("by layer: models", "PE|GIC|monitor|OP-TEE|Linux|devices|other")
		if (r2 > r1)
			printf "   %-28s %.1f records a notification, %.1f instructions a record (records + XXH3)\n",
				"records", (r2 - r1) / n, (d["records"] + d["XXH3"]) / (r2 - r1)
	}'
}

# Trace records of one run of N notifications (--json "records")
e2e_records() {
	"$TZSIM" run "$SCEN" --vary "stop={notifications: $1}" --trace none --json 2>/dev/null |
		sed -n 's/.*"records":\([0-9]*\).*/\1/p'
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
		[ -n "${i1:-}" ] && [ -n "${i2:-}" ] && ABS_IPN=$(( (i2 - i1) / (n2 - n1) )) &&
			e2e_breakdown "$tmp/cg.$n1" "$tmp/cg.$n2" $n1 $n2
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

# --- isa: guest code on Unicorn --------------------------------------------------
# tests/bench_isa (models/cpu/isa.h on the real GIC and bus, no abstract model):
# the host's fixed cost of a run, host ns per guest instruction on three paths,
# and what one notification executes (instructions and modelled cycles by world,
# for docs/calibration.md §5). Host times are the thread's CPU time, best of 3.
#   ISA_N        calls per path (default 20000; notifications: ISA_N / 10)
#   ISA_ENGINES  engines made afterwards, as PEs of a larger platform (default 63: 64 PEs)
section_isa() {
	local bin="$BUILD/tests/bench_isa" preset out line
	echo "== isa: guest code on Unicorn ($bin), host time per call (thread CPU time, best of 3)"
	if [ ! -x "$bin" ]; then
		echo "   $bin not built"
		status=1
		return
	fi
	printf "   %-11s %9s %24s %24s %26s\n" "preset" "fixed/run" "PSCI_VERSION round trip" \
		"fast call (NS-S-NS)" "notification (UART to BH)"
	for preset in cortex-a53 cortex-a72; do
		out=$("$bin" --preset "$preset" --n "${ISA_N:-20000}" --engines "${ISA_ENGINES:-63}") || { echo "   $preset: failed"; status=1; continue; }
		line() { echo "$out" | grep "^$1 "; }
		path() { # path NAME: "N.N us, I insns, N.N ns/insn"
			local l; l=$(line "$1")
			awk -v ns="$(kv "$l" ns)" -v i="$(kv "$l" insns)" \
				'BEGIN { printf "%5.1f us %5d i %5.1f ns/i", ns / 1000, i, ns / i }'
		}
		printf "   %-11s %6s ns %24s %24s %26s\n" "$preset" "$(kv "$(line fixed)" ns_per_run)" \
			"$(path psci)" "$(path fast)" "$(path notif)"
		l=$(line notif)
		printf "   %-11s per notification: instructions EL3 %s, S-EL1 %s, NS-EL1 %s; cycles EL3 %s, S-EL1 %s, NS-EL1 %s\n" \
			"" "$(kv "$l" insns_el3)" "$(kv "$l" insns_s)" "$(kv "$l" insns_ns)" \
			"$(kv "$l" cycles_el3)" "$(kv "$l" cycles_s)" "$(kv "$l" cycles_ns)"
		l=$(line engines)
		[ -n "$l" ] && printf "   %-11s %s more engines (PEs): %s ms, %s kB resident, %s MiB address space each\n" \
			"" "$(kv "$l" n)" "$(kv "$l" ms_per_engine)" "$(kv "$l" rss_kib_per_engine)" "$(kv "$l" vsz_mib_per_engine)"
	done
	echo "   (i: guest instructions per call; the notification's host time includes the event kernel)"
	isa_slowdown
}

# The whole platform with guest code (fidelity: {tee: isa, ree: isa}, models/cpu/isa_rt.h) against
# abstract on $SCEN (and with monitor: isa too): host CPU time (user + sys) per notification, and the ratio (the
# issue's goal: at most 5x). ISA_SLOW_N notifications per run (default 20000).
cpu_of() { # cpu_of ARGS...: user+sys seconds of one `tzsim run $SCEN --quiet ARGS`
	{ TIMEFORMAT='%U %S'; time "$TZSIM" run "$SCEN" --quiet "$@" >/dev/null 2>&1; } 2>&1 |
		awk '{ print $1 + $2 }'
}
cpu_of_one() { cpu_of --trace none "$@"; } # the simulation alone
# ISA_SLOW_ROUNDS rounds (default 5), each running abstract, tee+ree isa and all three once,
# interleaved so that a change in the machine's load hits all three alike. Prints the ratio of
# the best times (the figure the goal is read against: the simulation alone, --trace none) and
# the median and range of the per-round ratios (how much the machine moved it). Each round also
# runs abstract and all three with the scenario's own outputs (default.yaml: its CSV trace, into
# a directory removed afterwards): what a user who runs the scenario as shipped sees.
isa_slowdown() {
	local n="${ISA_SLOW_N:-20000}" rounds="${ISA_SLOW_ROUNDS:-5}" r a i m oa om tmp rows=""
	local all3="--vary fidelity.tee=isa --vary fidelity.ree=isa --vary fidelity.monitor=isa"
	[ -x "$TZSIM" ] || { echo "   $TZSIM not built"; status=1; return; }
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tzsim-bench.XXXXXX") || { status=1; return; }
	for r in $(seq 1 "$rounds"); do
		a=$(cpu_of_one --vary "stop={notifications: $n}") || break
		i=$(cpu_of_one --vary "stop={notifications: $n}" --vary fidelity.tee=isa --vary fidelity.ree=isa) || break
		# shellcheck disable=SC2086 # $all3: three options
		m=$(cpu_of_one --vary "stop={notifications: $n}" $all3) || break
		oa=$(cpu_of -o "$tmp/a" --vary "stop={notifications: $n}") || break
		# shellcheck disable=SC2086
		om=$(cpu_of -o "$tmp/m" --vary "stop={notifications: $n}" $all3) || break
		rm -rf "$tmp/a" "$tmp/m"
		rows="$rows$a $i $m $oa $om"$'\n'
	done
	rm -rf "$tmp"
	[ "$(printf '%s' "$rows" | grep -c .)" = "$rounds" ] || { echo "   a run failed"; status=1; return; }
	isa_ir "$all3"
	printf '%s' "$rows" | awk -v n="$n" -v s="$SCEN" -v R="$rounds" '
		function med(v, k,   t, x, y) { # median of v[1..k] (sorted in place)
			for (x = 2; x <= k; x++) for (y = x; y > 1 && v[y-1] > v[y]; y--) { t = v[y]; v[y] = v[y-1]; v[y-1] = t }
			return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
		NF == 5 { k++; if (k == 1 || $1 < a) a = $1; if (k == 1 || $2 < i) i = $2; if (k == 1 || $3 < m) m = $3
			if (k == 1 || $4 < oa) oa = $4; if (k == 1 || $5 < om) om = $5
			ri[k] = $2 / $1; rm[k] = $3 / $1 }
		END {
			printf "   %s, %d notifications, best of %d interleaved rounds: abstract %.1f us, fidelity tee+ree isa %.1f us host CPU per notification: slowdown %.2fx (goal <= 5x)\n",
				s, n, R, a / n * 1e6, i / n * 1e6, i / a
			printf "   %s with monitor: isa too: %.1f us host CPU per notification: slowdown %.2fx\n", s, m / n * 1e6, m / a
			lo_i = hi_i = ri[1]; lo_m = hi_m = rm[1]
			for (x = 1; x <= k; x++) { if (ri[x] < lo_i) lo_i = ri[x]; if (ri[x] > hi_i) hi_i = ri[x]; if (rm[x] < lo_m) lo_m = rm[x]; if (rm[x] > hi_m) hi_m = rm[x] }
			printf "   per round: tee+ree median %.2fx (%.2f-%.2f), all three median %.2fx (%.2f-%.2f)\n",
				med(ri, k), lo_i, hi_i, med(rm, k), lo_m, hi_m
			printf "   with the scenario'"'"'s own outputs (not --trace none): abstract %.1f us, all three isa %.1f us per notification: %.2fx\n",
				oa / n * 1e6, om / n * 1e6, om / oa }'
}

# The same ratio in host instructions (repeatable on a loaded machine): callgrind, all three worlds as
# code, runs of 3,000 and 5,000 notifications (an ISA run makes its engines lazily: both make the
# same ones, so the difference holds no engine's creation), against section_e2e's abstract figure.
isa_ir() {
	local tmp a b
	[ "${E2E_CG:-1}" != 0 ] && command -v valgrind >/dev/null || return 0
	[ -n "${ABS_IPN:-}" ] || { echo "   callgrind: no abstract figure (section_e2e)"; return 0; }
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/tzsim-bench.XXXXXX") || { status=1; return; }
	# shellcheck disable=SC2086 # $1: the options
	a=$(e2e_ir 3000 "$tmp" $1) && b=$(e2e_ir 5000 "$tmp" $1) && [ -n "$a" ] && [ -n "$b" ] ||
		{ echo "   callgrind (isa): run failed"; status=1; rm -rf "$tmp"; return; }
	rm -rf "$tmp"
	awk -v a="$a" -v b="$b" -v abs="$ABS_IPN" 'BEGIN {
		printf "   in host instructions (callgrind, all three isa: %d at 3000, %d at 5000): %.0f per notification, %.2fx the abstract %d (goal <= 5x)\n",
			a, b, (b - a) / 2000, (b - a) / 2000 / abs, abs }'
}

SECTIONS="section_kernel section_e2e section_isa"
for s in $SECTIONS; do
	"$s"
	echo
done
exit $status
