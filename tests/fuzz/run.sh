#!/usr/bin/env bash
# tests/fuzz/run.sh: make fuzz. Seeds a corpus per target, runs each libFuzzer target for
# FUZZ_SECONDS (default 60); a crash, a leak or an input taking over 2 s fails it.
set -u
cd "$(dirname "$0")/../.."
FB=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
C=$FB/corpus
mkdir -p "$C/scenario" "$C/dt" "$C/replay" "$FB/crashes"
cp scenarios/*.yaml tests/data/scenarios/*.yaml tests/data/regress/*.yaml "$C/scenario/" 2>/dev/null
cp tests/data/scenarios/*.csv "$C/replay/"
for f in scenarios/*.yaml; do build/tzsim dtb "$f" -o "$C/dt/$(basename "$f" .yaml).dtb" >/dev/null 2>&1; done
dtc -q -I dts -O dtb -o "$C/dt/qemu-virt.dtb" <(cpp -nostdinc -undef -x assembler-with-cpp -P -I tests/data/scenarios tests/data/scenarios/qemu-virt.dts) 2>/dev/null
fail=0
for t in scenario dt replay; do
	echo "== fuzz_$t for ${SECS}s"
	log=$FB/fuzz_$t.log
	"$FB/fuzz_$t" "$C/$t" -max_total_time="$SECS" -timeout=2 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="$FB/crashes/$t-" -print_final_stats=1 >"$log" 2>&1
	rc=$?
	grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^#[0-9]+ *DONE' "$log" | tr '\n' ' '; echo
	if [ $rc -ne 0 ]; then
		echo "FAIL fuzz_$t (exit $rc): see $log and $FB/crashes/"; grep -E 'ERROR|SUMMARY' "$log" | head -5
		fail=$((fail + 1))
	fi
done
echo "$((3 - fail)) passed, $fail failed"
[ $fail -eq 0 ]
