#!/bin/bash
# deps-sweep.sh: install what the sweep and report tests need (Debian 12, as root) and make
# sure the packages' own system services are stopped and disabled afterwards.
#
#   deps-sweep.sh            install missing packages, then stop+disable the services
#                            (nothing at all when every package is there)
#   deps-sweep.sh --check    only stop+disable (e.g. after someone else installed them)
#
# Lean package set: slurm-wlm (a meta package) pulls ~174 packages on a minimal Debian 12,
# including systemd, udev, avahi-daemon and upower (daemons of their own); the same tools
# with --no-install-recommends are 35 packages (~20 s).
set -euo pipefail

PKGS=(slurmctld slurmd slurm-client munge parallel chromium)
SERVICES=(munge slurmctld slurmd)

if [ "${1:-}" != --check ]; then
  missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  # all there: leave the system alone (never stop a service someone runs on purpose)
  [ ${#missing[@]} -eq 0 ] && exit 0
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "deps-sweep: installing ${missing[*]} needs root" >&2; exit 1; }
    exec sudo "$0" "$@"
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "deps-sweep: installing ${missing[*]}"
    # Keep postinst scripts from starting services at all: a policy-rc.d that says
    # "denied" (exit 101), only for the duration of the install and only if none exists.
    own_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
      chmod 0755 /usr/sbin/policy-rc.d
      own_policy=1
    fi
    rc=0
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"; } || rc=$?
    [ -n "$own_policy" ] && rm -f /usr/sbin/policy-rc.d
    [ $rc = 0 ] || { echo "deps-sweep: apt-get failed ($rc)" >&2; exit $rc; }
  fi
fi

[ "$(id -u)" = 0 ] || { echo "deps-sweep: needs root" >&2; exit 1; }

# Disable at boot: systemd units (systemctl enable/disable works offline, without systemd
# as PID 1) and the SysV rc links.
for s in "${SERVICES[@]}"; do
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable "$s" >/dev/null 2>&1 || true
  fi
  if [ -e "/etc/init.d/$s" ] && command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d "$s" disable >/dev/null 2>&1 || true
  fi
done

# Stop them if something started them (postinst without policy-rc.d, or systemd as PID 1).
for s in "${SERVICES[@]}"; do
  if [ -d /run/systemd/system ]; then
    systemctl stop "$s" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$s" ]; then
    "/etc/init.d/$s" stop >/dev/null 2>&1 || true
  fi
done
# Belt and braces: the packaged daemons write these pid files; kill what they name if it
# is still that daemon.
for pf in /run/munge/munged.pid:munged /run/slurmctld.pid:slurmctld /run/slurmd.pid:slurmd; do
  f=${pf%%:*} name=${pf##*:}
  [ -s "$f" ] || continue
  pid=$(cat "$f")
  if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
done
# Report (not kill) any other instance: it may be a private cluster of a running test.
if pgrep -a -f '^/usr/sbin/munged$|/usr/sbin/munged |^/usr/sbin/slurm(ctld|d)( |$)' >/dev/null 2>&1; then
  echo "deps-sweep: note: packaged-looking daemons still running:" >&2
  pgrep -a -f '^/usr/sbin/munged|^/usr/sbin/slurm(ctld|d)' >&2 || true
fi
exit 0
