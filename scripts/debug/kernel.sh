#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the debug lane's kernel: x86-64 from linux-source-6.12 with vdgpu in
# the tree as a module, lockdep, KASAN, kmemleak, debugobjects and fault
# injection (FAILSLAB, FAIL_PAGE_ALLOC, FAIL_FUNCTION), configured from
# "make tinyconfig" plus tests/debug/kernel.config.
#
# The scratch tree is a hard-linked copy of the cached source with the
# driver directory and the uAPI header symlinked from this checkout, as the
# KUnit lane does, but a tree of its own: the two lanes may run from
# different checkouts.  The build directory is cached; a second run
# rebuilds only what changed (the driver, normally), in well under a
# minute.
#
# Output, under $VDGPU_CACHE/debug: image-<ver>/boot/vmlinuz-<release> and
# image-<ver>/lib/modules/<release>, the shape scripts/vm/vm.sh boots; the
# last line printed is "release=<release> image=<dir> build=<dir>".
#
# Usage: scripts/debug/kernel.sh
# Environment: VDGPU_CACHE, DEBUG_JOBS (default: nproc).

set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${VDGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdgpu}
# shellcheck disable=SC1091
eval "$(sed -n 's/^\(VDGPU_[A-Z_]*\) := \(.*\)$/\1="\2"/p' "$CACHE/env.mk")"
: "${VDGPU_SRC:?run scripts/setup.sh first}"

ver=${VDGPU_SRC##*/linux-source-}
ddir=$CACHE/debug
tree=$ddir/tree-$ver
build=$ddir/build-$ver
image=$ddir/image-$ver
fragment=$top/tests/debug/kernel.config
jobs=${DEBUG_JOBS:-$(nproc)}

log() { printf 'debug-kernel: %s\n' "$*" >&2; }
die() { printf 'debug-kernel: error: %s\n' "$*" >&2; exit 2; }

if [ ! -e "$tree/.stamp" ]; then
	log "preparing scratch tree $tree"
	rm -rf "$tree"
	mkdir -p "$ddir"
	cp -al "$VDGPU_SRC" "$tree"
	# sed -i writes new files, so the cached source stays pristine.
	sed -i '$a source "drivers/gpu/drm/vdgpu/Kconfig"' "$tree/drivers/gpu/drm/Kconfig"
	sed -i '$a obj-$(CONFIG_DRM_VDGPU) += vdgpu/' "$tree/drivers/gpu/drm/Makefile"
	touch "$tree/.stamp"
fi
# Re-pointed every run: the checkout may have moved (CI clones afresh).
ln -sfn "$top/drivers/gpu/drm/vdgpu" "$tree/drivers/gpu/drm/vdgpu"
ln -sfn "$top/include/uapi/drm/vdgpu_drm.h" "$tree/include/uapi/drm/vdgpu_drm.h"

mkdir -p "$build"
# Objects built from another checkout may look newer than this one's
# sources: rebuild the driver whenever the checkout changes.
if [ "$(cat "$build/.vdgpu-top" 2>/dev/null)" != "$top" ]; then
	rm -rf "$build/drivers/gpu/drm/vdgpu"
	echo "$top" >"$build/.vdgpu-top"
fi

kmake() { make -C "$tree" O="$build" -j"$jobs" "$@"; }

# The configuration is made again whenever the fragment changes.
key=$(sha256sum <"$fragment")
if [ "$(cat "$build/.config-key" 2>/dev/null)" != "$key" ]; then
	log "configuring (tinyconfig + ${fragment#"$top"/})"
	kmake -s tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$build" \
		"$build/.config" "$fragment" >"$build/merge.log" 2>&1 ||
		{ cat "$build/merge.log" >&2; die "merge_config failed"; }
	"$tree/scripts/config" --file "$build/.config" \
		--set-str LOCALVERSION "-vdgpu-debug" --disable LOCALVERSION_AUTO
	kmake -s olddefconfig >/dev/null
	# Every option the fragment asks for must have survived olddefconfig:
	# a dependency it lacks would otherwise drop it silently.
	bad=0
	while IFS= read -r line; do
		case $line in
		CONFIG_*=n) opt=${line%=n}
			! grep -q "^$opt=" "$build/.config" || { log "$opt is set"; bad=1; } ;;
		CONFIG_*) grep -qxF "$line" "$build/.config" ||
			{ log "wanted $line, got: $(grep "^${line%%=*}=" "$build/.config" || echo unset)"; bad=1; } ;;
		esac
	done <"$fragment"
	[ $bad -eq 0 ] || die "the configuration lacks options of ${fragment#"$top"/}"
	echo "$key" >"$build/.config-key"
fi

log "building in $build ($jobs jobs)"
kmake -s bzImage modules

release=$(kmake -s kernelrelease)
rm -rf "$image.tmp"
mkdir -p "$image.tmp/boot"
cp "$build/arch/x86/boot/bzImage" "$image.tmp/boot/vmlinuz-$release"
kmake -s INSTALL_MOD_PATH="$image.tmp" INSTALL_MOD_STRIP=1 DEPMOD=true \
	modules_install >/dev/null
cp "$build/Module.symvers" "$image.tmp/Module.symvers"
touch "$image.tmp/.stamp"
rm -rf "$image"
mv "$image.tmp" "$image"
echo "release=$release image=$image build=$build"
