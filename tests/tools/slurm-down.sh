#!/bin/bash
# slurm-down.sh DIR: stop the private cluster that slurm-up.sh DIR started and leave no
# process of it behind: cancel jobs, stop slurmctld/slurmd/munged by PID file (TERM, then
# KILL), then any leftover slurmstepd or job task that belongs to DIR (found by SLURM_CONF
# in its environment or DIR on its command line; never by name alone).
# Safe to call twice, from a trap, or when slurm-up failed half way. Does not delete DIR.
# Exit: 0 nothing left; 1 something survived (listed on stderr).
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: slurm-down.sh DIR" >&2; exit 2; }
# DIR already deleted (a trap that removed the temp dir first): still sweep by its path
if [ -d "$1" ]; then DIR=$(cd "$1" && pwd -P); else DIR=$(realpath -m "$1"); fi
export SLURM_CONF="$DIR/slurm.conf"

# Our own ancestors may carry SLURM_CONF=DIR/... (a test that sourced env.sh): never them.
ancestors=" "
p=$$
while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do
  ancestors+="$p "
  p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null) || break
done

# Running and not a zombie: daemons re-parent to PID 1, and a container's PID 1 may reap
# late, so kill -0 alone would wait out every timeout on a <defunct> entry.
alive() {
  local st=""
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  { read -r st < "/proc/$1/stat"; } 2>/dev/null || return 1
  st=${st##*) }
  [ "${st:0:1}" != Z ]
}

# TERM the given pids, wait up to $2 tenths of a second, then KILL.
stop_pids() {
  local pids=$1 tenths=$2 left
  [ -n "$pids" ] || return 0
  kill -TERM $pids 2>/dev/null
  for _ in $(seq "$tenths"); do
    left=""
    for q in $pids; do alive "$q" && left+="$q "; done
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  kill -KILL $left 2>/dev/null
  sleep 0.2
}

# print the pid in file $1 if that process still runs, is not us, and (when $2 is given)
# its name is one of $2 ("a|b"): a stale pid file must not kill a recycled pid
pidof_file() {
  local f=$1 names=${2:-} pid comm=""
  [ -s "$f" ] || return 0
  pid=$(tr -dc 0-9 < "$f")
  [ -n "$pid" ] && [ "$pid" != $$ ] && [[ "$ancestors" != *" $pid "* ]] && alive "$pid" || return 0
  if [ -n "$names" ]; then
    { read -r comm < "/proc/$pid/comm"; } 2>/dev/null
    [[ "|$names|" == *"|$comm|"* ]] || return 0
  fi
  echo "$pid"
}

# 0. the watchdog (unless we are it)
wd=$(pidof_file "$DIR/watchdog.pid" bash); rm -f "$DIR/watchdog.pid"
[ -n "$wd" ] && kill -KILL "$wd" 2>/dev/null

# 1. cancel jobs while the controller still answers (bounded).
ctld=$(pidof_file "$DIR/slurmctld.pid" slurmctld)
[ -n "$ctld" ] || ctld=$(pidof_file "$DIR/slurmctld.bgpid" slurmctld)
if [ -n "$ctld" ] && [ -e "$SLURM_CONF" ]; then
  timeout 10 scancel --quiet --full --partition=debug >/dev/null 2>&1 || true
  for _ in $(seq 50); do
    [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
    sleep 0.2
  done
fi

# 2. daemons by PID file: slurmctld and slurmd first, munged last (they talk to it).
pids=""
for f in slurmctld.pid slurmctld.bgpid slurmd.pid slurmd.bgpid; do
  pids+="$(pidof_file "$DIR/$f" "slurmctld|slurmd") "
done
pids=$(tr ' ' '\n' <<<"$pids" | sort -u | xargs)
stop_pids "$pids" 100

# 3. leftovers of DIR: slurmstepd and job tasks (SLURM_CONF=DIR/slurm.conf in environ),
#    anything with DIR on its command line (munged, daemons whose pid file was lost).
belongs() {  # no forks: ~100 processes are scanned several times
  local q=$1 comm="" e has_conf="" has_job="" cmd=()
  [[ "$ancestors" == *" $q "* ]] && return 1
  [ "$q" = $$ ] && return 1
  { read -r comm < "/proc/$q/comm"; } 2>/dev/null || return 1
  alive "$q" || return 1
  case "$comm" in
    munged|slurmd|slurmctld|slurmscriptd|slurmstepd)
      { mapfile -d '' -t cmd < "/proc/$q/cmdline"; } 2>/dev/null
      [[ "${cmd[*]}" == *"$DIR/"* ]] && return 0;;
  esac
  local envv=()
  { mapfile -d '' -t envv < "/proc/$q/environ"; } 2>/dev/null || return 1
  for e in "${envv[@]}"; do
    [ "$e" = "SLURM_CONF=$DIR/slurm.conf" ] && has_conf=1
    [[ "$e" == SLURM_JOB_ID=* ]] && has_job=1
  done
  [ -n "$has_conf" ] || return 1
  # a task or stepd of the cluster, not some unrelated shell that sourced env.sh
  [ -n "$has_job" ] && return 0
  # or a client of the cluster left waiting on it (e.g. an orphaned sbatch --wait)
  case "$comm" in slurmstepd|slurmd|slurmctld|slurmscriptd|sbatch|srun|salloc|squeue|sinfo|scontrol|scancel) return 0;; esac
  return 1
}
leftovers() {
  local d q out=""
  for d in /proc/[0-9]*; do
    q=${d#/proc/}
    belongs "$q" && out+="$q "
  done
  echo "$out"
}
stop_pids "$(leftovers)" 50

# 4. munged (after the daemons, so they could still authenticate on the way down)
stop_pids "$(pidof_file "$DIR/munged.pid" munged)" 50
stop_pids "$(leftovers)" 30

left=$(leftovers)
rm -f "$DIR/slurmctld.bgpid" "$DIR/slurmd.bgpid"
if [ -n "$left" ]; then
  echo "slurm-down: processes of $DIR survived:" >&2
  for q in $left; do echo "  $q $(cat /proc/$q/cmdline 2>/dev/null | tr '\0' ' ')" >&2; done
  exit 1
fi
exit 0
