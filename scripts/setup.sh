#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Prepare a Debian 12 machine for building and testing vdgpu.
#
# - picks the newest linux-headers-6.12.N+deb12-amd64 on offer and installs it;
# - downloads and unpacks (never installs) the matching unsigned image and
#   its modules for the test VM;
# - installs the host tools (qemu, busybox, libdrm, sparse, debootstrap,
#   linux-source-6.12) from the machine's default apt sources;
# - unpacks linux-source-6.12 (checkpatch, kernel-doc, the UML/KUnit tree);
# - builds the VM's userspace: a minbase Debian unstable root with IGT.
#
# Everything lands in $VDGPU_CACHE (default ~/.cache/vdgpu), keyed by kernel
# version.  The script is idempotent: a second run only checks stamps.  The
# results are written to $VDGPU_CACHE/env.mk for the Makefile to include.
#
# The host's apt sources are never changed: the unstable root gets its own
# sources.list, pointing at the same mirror the host already uses.

set -euo pipefail

CACHE=${VDGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdgpu}
FLAVOUR=amd64
SERIES=6.12
HOST_PKGS=(qemu-system-x86 busybox-static libdrm-dev pkg-config sparse
	   debootstrap "linux-source-$SERIES" bc flex bison libelf-dev
	   libssl-dev python3 xz-utils kmod cpio gcc make)
SID_PKGS=igt-gpu-tools-tests,igt-gpu-tools,kmod,libdrm2,procps

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || die "run as root or install sudo"
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive

mkdir -p "$CACHE"

# apt-get update at most every 6 hours, or when a look-up finds nothing.
apt_refresh() {
	local stamp=$CACHE/.apt-updated
	if [ "${1:-}" = force ] || [ ! -e "$stamp" ] ||
	   [ -n "$(find "$stamp" -mmin +360)" ]; then
		log "apt-get update"
		$SUDO apt-get update -qq
		touch "$stamp"
	fi
}

newest_kver() {
	apt-cache pkgnames "linux-headers-$SERIES." 2>/dev/null |
		sed -n "s/^linux-headers-\($SERIES\.[0-9]*+deb12-$FLAVOUR\)$/\1/p" |
		sort -V | tail -n 1
}

pkg_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed'
}

apt_refresh
KVER=$(newest_kver)
if [ -z "$KVER" ]; then
	apt_refresh force
	KVER=$(newest_kver)
fi
[ -n "$KVER" ] || die "no linux-headers-$SERIES.N+deb12-$FLAVOUR on offer"
log "kernel $KVER"

missing=()
for p in "${HOST_PKGS[@]}" "linux-headers-$KVER"; do
	pkg_installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The matching image and modules, unpacked for the VM only.
KCACHE=$CACHE/$KVER
if [ ! -e "$KCACHE/image/.stamp" ]; then
	log "fetching linux-image-$KVER-unsigned"
	rm -rf "$KCACHE/image" "$KCACHE/debs"
	mkdir -p "$KCACHE/debs" "$KCACHE/image"
	(cd "$KCACHE/debs" &&
	 apt-get download -qq -o APT::Sandbox::User=root \
		"linux-image-$KVER-unsigned")
	dpkg-deb -x "$KCACHE"/debs/linux-image-*.deb "$KCACHE/image"
	[ -e "$KCACHE/image/boot/vmlinuz-$KVER" ] || die "no vmlinuz in image"
	touch "$KCACHE/image/.stamp"
fi

# The kernel source, for checkpatch, kernel-doc and the UML build.
SRCVER=$(dpkg-query -W -f='${Version}' "linux-source-$SERIES" | sed 's/-.*//')
SRC=$CACHE/linux-source-$SRCVER
if [ ! -e "$SRC/.stamp" ]; then
	log "unpacking linux-source-$SRCVER"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	tar -xf "/usr/src/linux-source-$SERIES.tar.xz" -C "$SRC" --strip-components=1
	touch "$SRC/.stamp"
fi

# The mirror the host already uses, so that no host name is written here.
host_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -e "$f" ] || continue
		awk '/^URIs:/ { u = $2 } /^Suites:/ && / bookworm( |$)/ && u { print u; exit }' "$f"
	done | head -n 1
	if [ -e /etc/apt/sources.list ]; then
		awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list
	fi
}

# The VM's userspace: Debian unstable, minbase, with IGT's tests and runner.
ROOT=$CACHE/sid-root
if [ ! -e "$ROOT/.stamp" ]; then
	MIRROR=$(host_mirror | head -n 1)
	log "debootstrap sid into $ROOT"
	$SUDO rm -rf "$ROOT" "$ROOT.tmp"
	# shellcheck disable=SC2086
	$SUDO debootstrap --variant=minbase --include=$SID_PKGS \
		sid "$ROOT.tmp" $MIRROR >"$CACHE/debootstrap.log" 2>&1 ||
		die "debootstrap failed, see $CACHE/debootstrap.log"
	[ -x "$ROOT.tmp/usr/bin/igt_runner" ] || die "igt_runner missing in root"
	$SUDO mv "$ROOT.tmp" "$ROOT"
	$SUDO touch "$ROOT/.stamp"
fi

cat >"$CACHE/env.mk.tmp" <<EOF
# Written by scripts/setup.sh; do not edit.
VDGPU_CACHE := $CACHE
VDGPU_KVER := $KVER
VDGPU_HEADERS := /usr/src/linux-headers-$KVER
VDGPU_IMAGE := $KCACHE/image
VDGPU_SRC := $SRC
VDGPU_ROOT := $ROOT
EOF
mv "$CACHE/env.mk.tmp" "$CACHE/env.mk"
log "ready: $CACHE/env.mk"
