#!/bin/bash
# tests/tools/fresh-debian12.sh: check the README's promise on a fresh Debian 12.
#
# Builds a minimal Debian 12 (bookworm) root with debootstrap (variant minbase,
# plus git and make, what a user needs to clone and type the README's two
# commands), clones this repository's HEAD into it, and runs `make run` and
# then `make test` there, as root in a chroot. Prints both commands' last
# lines and times. Not part of `make test`: it needs root, network access to
# a Debian mirror, ~3 GB of disk and ~10 minutes.
#
#   fresh-debian12.sh [DIR]   DIR: where the root goes (default: a new mktemp -d);
#                             removed at the end unless KEEP=1
#   MIRROR                    the Debian mirror (default http://deb.debian.org/debian)
#
# Exit status: 0 when both commands succeed, 1 when one fails, 2 when the
# root cannot be made.
set -u

[ "$(id -u)" = 0 ] || { echo "fresh-debian12: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null ||
	{ echo "fresh-debian12: cannot install debootstrap" >&2; exit 2; }

src=$(git -C "$(dirname "$0")/../.." rev-parse --show-toplevel) || exit 2
root=${1:-$(mktemp -d /var/tmp/tzsim-deb12.XXXXXX)}
mirror=${MIRROR:-http://deb.debian.org/debian}
# the root's "/" must be traversable by the system users inside (mktemp -d makes it 0700: apt's
# _apt sandbox and the packages' postinst scripts that run as their own users would fail)
chmod 755 "$root" || exit 2
mounted=()

cleanup() {
	local m
	for m in "${mounted[@]}"; do umount -R "$m" 2>/dev/null || umount -l "$m"; done
	[ "${KEEP:-0}" = 1 ] || rm -rf --one-file-system "$root"
}
trap cleanup EXIT

echo "fresh-debian12: debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 ||
	{ echo "fresh-debian12: debootstrap failed, see $root.debootstrap.log" >&2; exit 2; }
rm -f "$root.debootstrap.log"
for d in proc sys dev; do
	if [ "$d" = proc ]; then mount -t proc proc "$root/proc"; else mount --rbind "/$d" "$root/$d"; fi &&
		mounted+=("$root/$d") || exit 2
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
git clone -q "$src" "$root/root/tzsim" || exit 2
echo "fresh-debian12: $(git -C "$root/root/tzsim" log --oneline -1)"

in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb /bin/bash -c "$1"; }
in_root 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq git make >/dev/null' ||
	{ echo "fresh-debian12: cannot install git and make" >&2; exit 2; }

status=0
for cmd in "make run" "make test"; do
	log="$root/root/${cmd// /-}.log"
	start=$(date +%s)
	in_root "cd /root/tzsim && $cmd" >"$log" 2>&1
	rc=$?
	echo "fresh-debian12: '$cmd' exit $rc in $(($(date +%s) - start)) s; its last lines:"
	tail -n 3 "$log" | sed 's/^/    /'
	[ $rc = 0 ] || status=1
done
exit $status
