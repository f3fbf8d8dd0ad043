#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/sweep_test.sh: sweeps for real. `tzsim compare --emit-jobs` writes a 4 variants x 3
# seeds sweep of a scenario with a relative platform.dts and a relative replay file; its jobs
# run through GNU parallel, then (a second copy) through a private single-node Slurm cluster
# that this test starts and stops (tests/tools/slurm-up.sh, slurm-down.sh); after each,
# `tzsim merge` must print compare's table and write compare's report, byte for byte.
#
# Needs root (the cluster runs SlurmUser=root and slurmd starts jobs as the submitting
# user) and what `make deps` installs (slurmctld slurmd slurm-client munge parallel). When
# Slurm cannot start, the Slurm checks FAIL with the reason: never a silent pass.
# Prints "ok NAME" / "FAIL NAME" per check and "N passed, N failed" last; every file is in a
# temp dir, and no process of the cluster is left (a trap stops it; a watchdog does if the
# test is killed with SIGKILL).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${BUILD:-build}
case $BUILD in /*) TZ=$BUILD/tzsim ;; *) TZ=$ROOT/$BUILD/tzsim ;; esac
TOOLS=$ROOT/tests/tools
T=$(mktemp -d "${TMPDIR:-/tmp}/tzsim-sweep.XXXXXX")
chmod 0711 "$T" # munged: every directory above its socket must be o+x
CLUSTER=""
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [ -n "$CLUSTER" ]; then
		"$TOOLS/slurm-down.sh" "$CLUSTER" || { echo "FAIL slurm.down (processes left: see above)"; rc=1; }
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

pass=0; fail=0
ok()  { echo "ok $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; shift; for l in "$@"; do printf '    %s\n' "$l" | head -c 3000; echo; done; fail=$((fail + 1)); }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ---- the scenario: default.yaml, 20 ms, with its own DTS and a replayed source, both relative
mkdir -p "$T/src/data"
"$TZ" dtb scenarios/default.yaml -o "$T/src/x.dtb" >/dev/null &&
	dtc -q -I dtb -O dts "$T/src/x.dtb" -o "$T/src/data/platform.dts" ||
	bad setup.dts "could not make a DTS with tzsim dtb and dtc"
printf '0us\n300us\n1.5ms\n7ms\n12ms\n' >"$T/src/data/arrivals.txt"
sed -e 's/^stop: {after: 100ms}$/stop: {after: 20ms}/' -e 's/^  cpus: 4$/  cpus: 4\n  dts: data\/platform.dts/' \
	-e 's/^workloads:$/  - {name: replayed, kind: trng, intid: 42, arrival: {replay: data\/arrivals.txt}, bottom_half: 12us}\n\nworkloads:/' \
	scenarios/default.yaml >"$T/src/sweep.yaml"
grep -q 'dts: data/platform.dts' "$T/src/sweep.yaml" && grep -q 'replay: data/arrivals.txt' "$T/src/sweep.yaml" ||
	bad setup.scenario "the sed did not apply: $(head -20 "$T/src/sweep.yaml")"
VARY='tee.threads=1,2,3,4'

# compare, the reference: run from the scenario's directory's parent, so the path is relative
t0=$(now)
(cd "$T" && "$TZ" compare src/sweep.yaml --vary "$VARY" --seeds 3 --report "$T/compare.html") >"$T/compare.txt" 2>"$T/compare.err"
rc=$?
t1=$(now)
[ $rc = 0 ] && ok compare.exit0 || bad compare.exit0 "exit $rc" "$(cat "$T/compare.err")"
grep -Eq '^  4 +spi 219 edge +[0-9]+ .* ok$' "$T/compare.txt" && ok compare.table ||
	bad compare.table "$(cat "$T/compare.txt")"
echo "   compare (12 runs, in-process pool): $(secs "$t0" "$t1") s"

# emit: DIR/jobs.txt, 12 job files, sweep.sbatch with the throttle
emit() { # emit DIR [options]
	local d=$1; shift
	(cd "$T" && "$TZ" compare src/sweep.yaml --vary "$VARY" --seeds 3 --emit-jobs "$d" "$@") >"$T/emit.out" 2>&1
}
emit "$T/par"
rc=$?
[ $rc = 0 ] && ok emit.exit0 || bad emit.exit0 "exit $rc" "$(cat "$T/emit.out")"
[ "$(wc -l <"$T/par/jobs.txt" 2>/dev/null)" = 12 ] && ok emit.jobs_txt || bad emit.jobs_txt "$(cat "$T/par/jobs.txt" 2>&1)"
[ "$(ls "$T/par/jobs/"*.yaml 2>/dev/null | wc -l)" = 12 ] && ok emit.job_files || bad emit.job_files "$(ls -R "$T/par")"
grep -q "^  dts: $T/src/data/platform.dts$" "$T/par/jobs/000.yaml" && ok emit.dts_resolved ||
	bad emit.dts_resolved "$(grep -n dts "$T/par/jobs/000.yaml")"
grep -q "replay: $T/src/data/arrivals.txt$" "$T/par/jobs/000.yaml" && ok emit.replay_resolved ||
	bad emit.replay_resolved "$(grep -n replay "$T/par/jobs/000.yaml")"
emit "$T/par"
[ $? = 2 ] && grep -q 'holds a sweep already' "$T/emit.out" && ok emit.refuses_an_existing_sweep ||
	bad emit.refuses_an_existing_sweep "$(cat "$T/emit.out")"

# merge before anything ran: exit 3, naming the jobs, nothing on stdout
"$TZ" merge "$T/par" >"$T/m.out" 2>"$T/m.err"
rc=$?
[ $rc = 3 ] && [ ! -s "$T/m.out" ] && grep -q '12 of 12 jobs have no result' "$T/m.err" && ok merge.before_run.exit3 ||
	bad merge.before_run.exit3 "exit $rc" "$(cat "$T/m.out" "$T/m.err")"

# ---- GNU parallel: POSIX sh lines, nothing written to $HOME, a joblog
if command -v parallel >/dev/null && parallel --version 2>/dev/null | grep -q '^GNU parallel'; then
	t0=$(now)
	(cd / && PARALLEL_HOME="$T/parallel-home" PARALLEL_SHELL=/bin/sh \
		parallel --will-cite -j "$(nproc)" --joblog "$T/joblog.tsv" <"$T/par/jobs.txt") >"$T/par.out" 2>&1
	rc=$?
	t1=$(now)
	failed=$(awk -F'\t' 'NR > 1 && $7 != 0 {print $1}' "$T/joblog.tsv" 2>/dev/null | xargs)
	[ $rc = 0 ] && [ -z "$failed" ] && ok parallel.exit0 || bad parallel.exit0 "exit $rc, failed jobs: $failed" "$(cat "$T/par.out")"
	echo "   GNU parallel, 12 jobs: $(secs "$t0" "$t1") s"
	"$TZ" merge "$T/par" --report "$T/par.html" >"$T/par-merge.txt" 2>"$T/m.err"
	rc=$?
	[ $rc = 0 ] && ok parallel.merge.exit0 || bad parallel.merge.exit0 "exit $rc" "$(cat "$T/m.err")"
	cmp -s "$T/compare.txt" "$T/par-merge.txt" && ok parallel.merge_equals_compare ||
		bad parallel.merge_equals_compare "$(diff "$T/compare.txt" "$T/par-merge.txt")"
	cmp -s "$T/compare.html" "$T/par.html" && ok parallel.report_equals_compare ||
		bad parallel.report_equals_compare "$(diff "$T/compare.html" "$T/par.html" | head -20)"
	home_after=$(find "$HOME/.parallel" -newer "$T/src/sweep.yaml" 2>/dev/null | head -3)
	[ -z "$home_after" ] && ok parallel.home_untouched || bad parallel.home_untouched "written in \$HOME: $home_after"

	# a job that fails: merge names it and exits 3; then it is run again and merge is whole
	cp "$T/par/results/005.result" "$T/005.keep"
	rm "$T/par/results/005.result"
	echo 'tzsim: something went wrong' >"$T/par/logs/005.log"
	"$TZ" merge "$T/par" >"$T/m.out" 2>"$T/m.err"
	rc=$?
	[ $rc = 3 ] && grep -q "job 005 (tee.threads=2, seed 3): no result; its log ends: tzsim: something went wrong" "$T/m.err" &&
		ok merge.missing_job_named || bad merge.missing_job_named "exit $rc" "$(cat "$T/m.err")"
	sed -n 6p "$T/par/jobs.txt" | sh
	"$TZ" merge "$T/par" >"$T/m.out" 2>"$T/m.err"
	[ $? = 0 ] && cmp -s "$T/m.out" "$T/compare.txt" && ok merge.after_rerun || bad merge.after_rerun "$(cat "$T/m.err")"
	# a result that is cut short is named too
	head -c 300 "$T/005.keep" >"$T/par/results/005.result"
	"$TZ" merge "$T/par" >"$T/m.out" 2>"$T/m.err"
	[ $? = 3 ] && grep -q "job 005 .*cut short" "$T/m.err" && ok merge.cut_short_result || bad merge.cut_short_result "$(cat "$T/m.err")"
else
	bad parallel.installed "GNU parallel is not installed (make deps installs it; moreutils' parallel is another program)"
fi

# ---- Slurm: a private single-node cluster, everything in $T/cluster
slurm_fail() { bad "$1" "$2"; }
if [ "$(id -u)" != 0 ]; then
	slurm_fail slurm.needs_root "the Slurm test needs root: the private cluster runs SlurmUser=root (run make test as root)"
else
	emit "$T/slurm" --throttle 4
	grep -q '^#SBATCH --array=0-11%4$' "$T/slurm/sweep.sbatch" && ok slurm.sbatch_array_throttle ||
		bad slurm.sbatch_array_throttle "$(cat "$T/slurm/sweep.sbatch")"
	t0=$(now)
	CLUSTER=$T/cluster
	if SLURM_UP_WATCH=$$ SLURM_UP_TIMEOUT=60 "$TOOLS/slurm-up.sh" "$CLUSTER" >"$T/up.out" 2>&1; then
		t1=$(now)
		ok slurm.up
		. "$CLUSTER/env.sh"
		(cd "$T" && timeout 300 sbatch --wait --quiet "$T/slurm/sweep.sbatch") >"$T/sbatch.out" 2>&1
		rc=$?
		t2=$(now)
		[ $rc = 0 ] && ok slurm.sbatch_wait.exit0 ||
			bad slurm.sbatch_wait.exit0 "sbatch --wait: exit $rc" "$(cat "$T/sbatch.out")" "$(tail -n 3 "$T"/slurm/logs/* 2>/dev/null)"
		echo "   Slurm: cluster up $(secs "$t0" "$t1") s, 12-task array (%4) $(secs "$t1" "$t2") s"
		"$TZ" merge "$T/slurm" --report "$T/slurm.html" >"$T/slurm-merge.txt" 2>"$T/m.err"
		rc=$?
		[ $rc = 0 ] && ok slurm.merge.exit0 || bad slurm.merge.exit0 "exit $rc" "$(cat "$T/m.err")"
		cmp -s "$T/compare.txt" "$T/slurm-merge.txt" && ok slurm.merge_equals_compare ||
			bad slurm.merge_equals_compare "$(diff "$T/compare.txt" "$T/slurm-merge.txt")"
		cmp -s "$T/compare.html" "$T/slurm.html" && ok slurm.report_equals_compare ||
			bad slurm.report_equals_compare "$(diff "$T/compare.html" "$T/slurm.html" | head -20)"
	else
		slurm_fail slurm.up "the private Slurm cluster did not start: $(cat "$T/up.out")"
	fi
	t3=$(now)
	if "$TOOLS/slurm-down.sh" "$CLUSTER" >"$T/down.out" 2>&1; then ok slurm.down_nothing_left; else
		bad slurm.down_nothing_left "$(cat "$T/down.out")"
	fi
	CLUSTER=""
	echo "   Slurm: cluster down $(secs "$t3" "$(now)") s"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
